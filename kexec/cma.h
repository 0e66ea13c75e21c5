/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cma.h - CMA-backed crash memory (crashkernel=SIZE,cma, Linux 6.17+): the
 * ranges the kernel exports in sys/kernel/kexec/crash_cma_ranges, or that
 * --crash-cma=LIST names, parsed and checked.  With kexec_load they become
 * RAM for the kdump kernel and are left out of the crash header.
 */
#ifndef KX_CMA_H
#define KX_CMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notes.h"
#include "range.h"
#include "util.h"

#define KX_CMA_MAX 4	/* the kernel's CRASHKERNEL_CMA_RANGES_MAX */

/* Up to four ranges, [start, end), in reservation order (sysfs) or as given (--crash-cma=). */
struct kx_cma {
	struct kx_range v[KX_CMA_MAX];
	unsigned n;
};

/*
 * kx_cma_parse_sysfs - the crash_cma_ranges file: one inclusive range per
 * line in bare hex ("9ba00000-ab9fffff"); an empty file is no ranges
 * @fname: names the file in messages
 * Returns 0 with @out filled, or with @d naming the file, line and field:
 *   -EINVAL  a malformed line (not hex, no '-', end before start, a blank line)
 *   -E2BIG   more than KX_CMA_MAX lines
 */
int kx_cma_parse_sysfs(const char *text, size_t len, const char *fname, struct kx_cma *out, struct kx_diag *d);

/*
 * kx_cma_parse_list - --crash-cma=LIST: comma-separated START-END (inclusive,
 * hex with or without 0x) or SIZE@START (K/M/G suffixes; plain numbers in C
 * notation: 0x hex, else decimal)
 * Returns 0 with @out filled, or with @d naming the option and the item:
 *   -EINVAL  an empty list or item, a bad number, an empty or inverted range,
 *            an overflowing SIZE@START
 *   -E2BIG   more than KX_CMA_MAX ranges
 */
int kx_cma_parse_list(const char *arg, struct kx_cma *out, struct kx_diag *d);

/*
 * kx_cma_validate - check @c against the machine, rounding unaligned ranges
 * inward to @page_size (a KX_NOTE_WARN note says so)
 * @src: where the ranges came from, for messages ("--crash-cma=", a sysfs path)
 * Returns 0, or with @d naming the range:
 *   -EINVAL         a range that is empty once page aligned, or overlaps another one
 *   -EADDRNOTAVAIL  a range not wholly inside System RAM (@ram), or overlapping a crash region (@crash)
 */
int kx_cma_validate(struct kx_cma *c, const struct kx_ranges *ram, const struct kx_ranges *crash,
		    uint64_t page_size, const char *src, struct kx_notes *notes, struct kx_diag *d);

/* Same ranges in the same order. */
bool kx_cma_equal(const struct kx_cma *a, const struct kx_cma *b);

uint64_t kx_cma_total(const struct kx_cma *c);

/* kx_cma_format - "0x9ba00000-0xab9fffff,..." (inclusive ends, as in sysfs) into @buf; returns @buf. */
const char *kx_cma_format(const struct kx_cma *c, char *buf, size_t len);

#endif
