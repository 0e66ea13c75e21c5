/* SPDX-License-Identifier: GPL-2.0-or-later */
/* place.c - find a hole for a buffer, like the kernel's kexec_locate_mem_hole(). */
#include "range.h"
#include "util.h"

/* Best address inside one free range, or false if the request does not fit. */
static bool fit_in(const struct kx_range *fr, const struct kx_place_req *q, uint64_t *ret)
{
	uint64_t lo = fr->start > q->min ? fr->start : q->min;
	uint64_t hi = fr->end;
	uint64_t a;

	if (q->max && hi > q->max)
		hi = q->max;
	if (lo >= hi || hi - lo < q->size)
		return false;
	if (q->top_down) {
		a = kx_align_down(hi - q->size, q->align);
		if (a < lo)
			return false;
	} else {
		if (!kx_align_up(lo, q->align, &a) || a > hi || hi - a < q->size)
			return false;
	}
	*ret = a;
	return true;
}

int kx_find_space(const struct kx_ranges *free, const struct kx_place_req *req, uint64_t *ret_addr)
{
	size_t i;
	uint64_t a;

	if (!req->size || !kx_is_pow2(req->align))
		return -EINVAL;
	if (req->top_down) {
		for (i = free->n; i-- > 0;)
			if (fit_in(&free->v[i], req, &a))
				goto found;
	} else {
		for (i = 0; i < free->n; i++)
			if (fit_in(&free->v[i], req, &a))
				goto found;
	}
	return -ENOSPC;
found:
	*ret_addr = a;
	return 0;
}
