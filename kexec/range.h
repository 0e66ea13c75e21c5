/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * range.h - half-open physical address ranges [start, end) and sorted lists
 * of them.  Inclusive values from /proc/iomem and sysfs are converted once,
 * by kx_range_from_incl(), in the parsers, and nowhere else.
 */
#ifndef KX_RANGE_H
#define KX_RANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kx_mem_type {
	KX_MEM_NONE = 0,
	KX_MEM_RAM,
	KX_MEM_RESERVED,
	KX_MEM_ACPI,
	KX_MEM_NVS,
	KX_MEM_UNUSABLE,
	KX_MEM_PMEM,
	KX_MEM_PRAM,
	KX_MEM_SOFT_RESERVED,
	KX_MEM_TYPE_MAX,
};

struct kx_range {
	uint64_t start, end;	/* [start, end) */
	enum kx_mem_type type;
};

/* Sorted by start; owns v.  Zero-initialised is an empty list. */
struct kx_ranges {
	struct kx_range *v;
	size_t n, cap;
};

const char *kx_mem_type_name(enum kx_mem_type t);

/*
 * kx_range_from_incl - [first, last] to [first, last + 1)
 * A last of UINT64_MAX cannot be represented and is clamped to UINT64_MAX
 * (the final byte of the address space is never RAM we load into).
 */
struct kx_range kx_range_from_incl(uint64_t first, uint64_t last, enum kx_mem_type t);

/*
 * kx_ranges_add - insert [start, end) of @type, keeping the list sorted
 * Overlapping or adjacent ranges of the same type are merged.  Ranges of
 * different types may overlap; that is the caller's business.
 * Returns 0, -EINVAL if start > end (empty ranges are ignored and return 0),
 * -ENOMEM.
 */
int kx_ranges_add(struct kx_ranges *rs, uint64_t start, uint64_t end, enum kx_mem_type type);

/*
 * kx_ranges_insert - insert [start, end) of @type in start order, merging
 * nothing: for lists whose entries keep an identity (two "Crash kernel"
 * resources that happen to touch are still two regions).
 * Returns 0, -EINVAL if start > end (empty ranges are ignored), -ENOMEM.
 */
int kx_ranges_insert(struct kx_ranges *rs, uint64_t start, uint64_t end, enum kx_mem_type type);

/*
 * kx_ranges_exclude - remove [start, end) from every range, splitting as needed
 * Returns 0, -EINVAL if start > end, -ENOMEM if a split could not grow the list
 * (the list is then unchanged).
 */
int kx_ranges_exclude(struct kx_ranges *rs, uint64_t start, uint64_t end);

/* kx_ranges_exclude() for each range of @what. Returns 0 or -ENOMEM. */
int kx_ranges_exclude_all(struct kx_ranges *rs, const struct kx_ranges *what);

/* kx_ranges_intersect - keep only the parts of each range inside [start, end). Returns 0. */
int kx_ranges_intersect(struct kx_ranges *rs, uint64_t start, uint64_t end);

/* kx_ranges_copy - @dst = @src (old @dst contents are released). Returns 0 or -ENOMEM. */
int kx_ranges_copy(struct kx_ranges *dst, const struct kx_ranges *src);

/* kx_ranges_filter - keep only ranges of @type (copy into @dst). Returns 0 or -ENOMEM. */
int kx_ranges_filter(struct kx_ranges *dst, const struct kx_ranges *src, enum kx_mem_type type);

/* kx_ranges_page_shrink - round every start up and end down to @align; drop what empties. */
void kx_ranges_shrink(struct kx_ranges *rs, uint64_t align);

/* true if [start, end) lies wholly inside one range of @rs */
bool kx_ranges_contains(const struct kx_ranges *rs, uint64_t start, uint64_t end);

/* true if [start, end) overlaps any range of @rs */
bool kx_ranges_overlaps(const struct kx_ranges *rs, uint64_t start, uint64_t end);

uint64_t kx_ranges_total(const struct kx_ranges *rs);

void kx_ranges_done(struct kx_ranges *rs);

/*
 * struct kx_place_req - where a buffer may go; the kernel's struct kexec_buf
 * @size:     bytes (rounded up to @align by the caller if it wants that)
 * @align:    power of two
 * @min:      lowest start address
 * @max:      highest end address, exclusive; 0 means no limit
 * @top_down: take the highest fit instead of the lowest
 */
struct kx_place_req {
	uint64_t size, align, min, max;
	bool top_down;
};

/*
 * kx_find_space - find [addr, addr + size) inside one range of @free
 * Returns 0 and sets *ret_addr, -EINVAL for a zero size or a bad alignment,
 * -ENOSPC if nothing fits.
 */
int kx_find_space(const struct kx_ranges *free, const struct kx_place_req *req, uint64_t *ret_addr);

#endif
