/* SPDX-License-Identifier: GPL-2.0-or-later */
/* capacity.c - spare program header slots for the crash header: the policy. */
#include "capacity.h"
#include "util.h"

static uint64_t div_up(uint64_t a, uint64_t b)
{
	return a / b + !!(a % b);
}

int kx_elfcorehdr_capacity(const struct kx_cap_in *in, struct kx_cap_out *out)
{
	uint64_t cap, headroom, blocks, memsz;

	if (!kx_is_pow2(in->page_size))
		return -EINVAL;
	*out = (struct kx_cap_out){ 0 };
	if (in->user_slots) {
		if (in->user_slots < in->used)
			return -ENOSPC;
		if (in->user_slots > KX_MAX_SLOTS)
			return -E2BIG;
		cap = in->user_slots;
		out->why = "--elfcorehdr-slots";
	} else {
		blocks = div_up(in->absent_bytes, in->block_size ? in->block_size : KX_DEFAULT_BLOCK);
		out->mem_slots = (unsigned)(blocks > KX_MAX_RANGE_SLOTS ? KX_MAX_RANGE_SLOTS : blocks);
		out->cpu_slots = in->cpus_absent;
		headroom = (uint64_t)out->mem_slots + out->cpu_slots;
		if (headroom < KX_MIN_SPARE_SLOTS)
			headroom = KX_MIN_SPARE_SLOTS;
		cap = in->used + headroom;
		out->why = "policy";
		out->kernel_slots = (unsigned)div_up(in->kernel_bytes, KX_PHDR_SIZE);
		if (out->kernel_slots > cap) {
			cap = out->kernel_slots;
			out->why = "kernel";
		}
		/* the segment is whole pages: the slots that fill the last one cost nothing */
		memsz = (KX_EHDR_SIZE + cap * KX_PHDR_SIZE + in->page_size - 1) & ~(in->page_size - 1);
		cap = (memsz - KX_EHDR_SIZE) / KX_PHDR_SIZE;
		if (cap > KX_MAX_SLOTS)
			cap = KX_MAX_SLOTS;
	}
	if (cap > KX_MAX_SLOTS)
		return -E2BIG;
	out->capacity = (unsigned)cap;
	out->bufsz = KX_EHDR_SIZE + (size_t)cap * KX_PHDR_SIZE;
	out->memsz = (out->bufsz + in->page_size - 1) & ~(in->page_size - 1);
	return 0;
}
