/* SPDX-License-Identifier: GPL-2.0-or-later */
/* range.c - the range algebra: add (merge), exclude (split), intersect. */
#include <stdlib.h>
#include <string.h>

#include "range.h"
#include "util.h"

static const char *const type_names[KX_MEM_TYPE_MAX] = {
	[KX_MEM_NONE] = "none",
	[KX_MEM_RAM] = "ram",
	[KX_MEM_RESERVED] = "reserved",
	[KX_MEM_ACPI] = "acpi",
	[KX_MEM_NVS] = "nvs",
	[KX_MEM_UNUSABLE] = "unusable",
	[KX_MEM_PMEM] = "pmem",
	[KX_MEM_PRAM] = "pram",
	[KX_MEM_SOFT_RESERVED] = "soft-reserved",
};

const char *kx_mem_type_name(enum kx_mem_type t)
{
	return (unsigned)t < KX_MEM_TYPE_MAX ? type_names[t] : "?";
}

struct kx_range kx_range_from_incl(uint64_t first, uint64_t last, enum kx_mem_type t)
{
	struct kx_range r = { first, last == UINT64_MAX ? UINT64_MAX : last + 1, t };

	return r;
}

static int ranges_reserve(struct kx_ranges *rs, size_t n)
{
	struct kx_range *v;
	size_t cap;

	if (n <= rs->cap)
		return 0;
	cap = rs->cap ? rs->cap * 2 : 16;
	while (cap < n)
		cap *= 2;
	v = reallocarray(rs->v, cap, sizeof(*v));
	if (!v)
		return -ENOMEM;
	rs->v = v;
	rs->cap = cap;
	return 0;
}

static void ranges_remove_at(struct kx_ranges *rs, size_t i)
{
	memmove(&rs->v[i], &rs->v[i + 1], (rs->n - i - 1) * sizeof(rs->v[0]));
	rs->n--;
}

int kx_ranges_insert(struct kx_ranges *rs, uint64_t start, uint64_t end, enum kx_mem_type type)
{
	size_t i;
	int r;

	if (start > end)
		return -EINVAL;
	if (start == end)
		return 0;
	r = ranges_reserve(rs, rs->n + 1);
	if (r < 0)
		return r;
	/* insertion point: first range with a larger start (stable for equal starts) */
	for (i = 0; i < rs->n && rs->v[i].start <= start; i++)
		;
	memmove(&rs->v[i + 1], &rs->v[i], (rs->n - i) * sizeof(rs->v[0]));
	rs->v[i] = (struct kx_range){ start, end, type };
	rs->n++;
	return 0;
}

int kx_ranges_add(struct kx_ranges *rs, uint64_t start, uint64_t end, enum kx_mem_type type)
{
	size_t j;
	int r;

	if (start > end)
		return -EINVAL;
	if (start == end)
		return 0;
	r = kx_ranges_insert(rs, start, end, type);
	if (r < 0)
		return r;

	/* merge with same-type neighbours that touch or overlap, both ways */
	for (j = 0; j < rs->n; j++) {
		size_t k = j + 1;

		while (k < rs->n && rs->v[k].start <= rs->v[j].end) {
			if (rs->v[k].type == rs->v[j].type) {
				if (rs->v[k].end > rs->v[j].end)
					rs->v[j].end = rs->v[k].end;
				ranges_remove_at(rs, k);
			} else {
				k++;
			}
		}
	}
	return 0;
}

int kx_ranges_exclude(struct kx_ranges *rs, uint64_t start, uint64_t end)
{
	size_t i, splits = 0;
	int r;

	if (start > end)
		return -EINVAL;
	if (start == end)
		return 0;
	for (i = 0; i < rs->n; i++)
		if (rs->v[i].start < start && rs->v[i].end > end)
			splits++;
	r = ranges_reserve(rs, rs->n + splits);
	if (r < 0)
		return r;

	for (i = 0; i < rs->n;) {
		struct kx_range *c = &rs->v[i];

		if (c->end <= start || c->start >= end) {
			i++;
		} else if (c->start >= start && c->end <= end) {
			ranges_remove_at(rs, i);
		} else if (c->start < start && c->end > end) {
			struct kx_range tail = { end, c->end, c->type };

			c->end = start;
			memmove(&rs->v[i + 2], &rs->v[i + 1], (rs->n - i - 1) * sizeof(rs->v[0]));
			rs->v[i + 1] = tail;
			rs->n++;
			i += 2;
		} else if (c->start < start) {
			c->end = start;
			i++;
		} else {
			c->start = end;
			i++;
		}
	}
	return 0;
}

int kx_ranges_exclude_all(struct kx_ranges *rs, const struct kx_ranges *what)
{
	size_t i;
	int r;

	for (i = 0; i < what->n; i++) {
		r = kx_ranges_exclude(rs, what->v[i].start, what->v[i].end);
		if (r < 0)
			return r;
	}
	return 0;
}

int kx_ranges_intersect(struct kx_ranges *rs, uint64_t start, uint64_t end)
{
	size_t i;

	for (i = 0; i < rs->n;) {
		struct kx_range *c = &rs->v[i];

		if (c->start < start)
			c->start = start;
		if (c->end > end)
			c->end = end;
		if (c->start >= c->end)
			ranges_remove_at(rs, i);
		else
			i++;
	}
	return 0;
}

int kx_ranges_copy(struct kx_ranges *dst, const struct kx_ranges *src)
{
	struct kx_ranges n = { 0 };
	int r;

	r = ranges_reserve(&n, src->n);
	if (r < 0)
		return r;
	if (src->n)
		memcpy(n.v, src->v, src->n * sizeof(src->v[0]));
	n.n = src->n;
	kx_ranges_done(dst);
	*dst = n;
	return 0;
}

int kx_ranges_filter(struct kx_ranges *dst, const struct kx_ranges *src, enum kx_mem_type type)
{
	size_t i;
	int r;

	kx_ranges_done(dst);
	for (i = 0; i < src->n; i++) {
		if (src->v[i].type != type)
			continue;
		r = kx_ranges_add(dst, src->v[i].start, src->v[i].end, type);
		if (r < 0)
			return r;
	}
	return 0;
}

void kx_ranges_shrink(struct kx_ranges *rs, uint64_t align)
{
	size_t i;

	for (i = 0; i < rs->n;) {
		struct kx_range *c = &rs->v[i];
		uint64_t s;

		if (!kx_align_up(c->start, align, &s) || s >= kx_align_down(c->end, align)) {
			ranges_remove_at(rs, i);
			continue;
		}
		c->start = s;
		c->end = kx_align_down(c->end, align);
		i++;
	}
}

bool kx_ranges_contains(const struct kx_ranges *rs, uint64_t start, uint64_t end)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (rs->v[i].start <= start && end <= rs->v[i].end)
			return true;
	return false;
}

bool kx_ranges_overlaps(const struct kx_ranges *rs, uint64_t start, uint64_t end)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (rs->v[i].start < end && start < rs->v[i].end)
			return true;
	return false;
}

uint64_t kx_ranges_total(const struct kx_ranges *rs)
{
	uint64_t t = 0;
	size_t i;

	for (i = 0; i < rs->n; i++)
		t += rs->v[i].end - rs->v[i].start;
	return t;
}

void kx_ranges_done(struct kx_ranges *rs)
{
	free(rs->v);
	*rs = (struct kx_ranges){ 0 };
}
