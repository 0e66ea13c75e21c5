/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kfdt.h - kexec-ng's thin layer over libfdt.  libfdt does the work; this
 * layer turns FDT_ERR_* into negative errno values plus a reason string, so
 * loader code keeps one error convention.
 *
 * Reason strings (*why) are either constants or live in a per-thread buffer
 * that the next kfdt call in the same thread may overwrite: copy them out
 * (e.g. into a kx_diag) before calling kfdt again.
 *
 * Functions taking a bare `const void *fdt` expect a tree that kfdt_check()
 * accepted; they re-check the header only.  Nothing here reads the machine
 * or makes random numbers: callers pass the seed bytes.
 */
#ifndef KFDT_H
#define KFDT_H

#include <stddef.h>
#include <stdint.h>

/* the arm64 boot protocol's DTB size limit (Documentation/arch/arm64/booting.rst) */
#define KFDT_MAX_DTB_SIZE (2u << 20)
/* what the kernel's kexec_file leaves free at the end of the next kernel's DTB */
#define KFDT_EXTRA_SPACE 0x1000u

/*
 * kfdt_check - is @blob (@len bytes) a whole, well-formed flattened device tree?
 * Uses libfdt's full structure check (header, totalsize within @len, every
 * block and the structure's nesting); trees older than version 16 are refused.
 * Returns 0, or -EINVAL with *ret_why set to libfdt's description.
 */
int kfdt_check(const void *blob, size_t len, const char **ret_why);

/* kfdt_size - the tree's totalsize (only after kfdt_check() said 0) */
size_t kfdt_size(const void *blob);

/* one [start, start + size) range of physical memory */
struct kfdt_range {
	uint64_t start, size;
};

/* what the next kernel's /chosen should say (see kfdt_kexec_build()) */
struct kfdt_kexec {
	const char *bootargs;		/* NULL: delete /chosen/bootargs */
	int has_initrd;			/* 0: delete linux,initrd-start/end */
	uint64_t initrd_start, initrd_end;	/* end exclusive */
	int has_elfcorehdr;		/* 0: delete linux,elfcorehdr */
	uint64_t elfcorehdr_addr, elfcorehdr_size;
	const struct kfdt_range *usable; /* written in the order given */
	unsigned n_usable;		/* 0: delete linux,usable-memory-range */
	const uint8_t *kaslr_seed;	/* 8 bytes: replaces kaslr-seed only if the property exists; NULL: untouched */
	const uint8_t *rng_seed;	/* replaces rng-seed only if it exists; NULL: untouched */
	size_t rng_seed_len;
	size_t extra_space;		/* free room left at the end for later in-place edits (e.g. KFDT_EXTRA_SPACE) */
};

/*
 * kfdt_kexec_build - a new DTB for the next kernel from @in (@in_len bytes: the
 * running kernel's /sys/firmware/fdt or a --dtb file).
 * Drops every /memreserve/ entry of the old tree, deletes the stale kexec
 * properties of /chosen (linux,elfcorehdr, linux,usable-memory-range,
 * linux,initrd-start/end, linux,booted-from-kexec, linux,ima-kexec-buffer,
 * linux,kho-*), creating /chosen when missing, then sets what @k says.
 * linux,elfcorehdr and linux,usable-memory-range use the root's
 * #address-cells/#size-cells (the kernel's default 1 when absent; only 1 or 2
 * accepted); linux,initrd-start/end are u64.  UEFI and other /chosen
 * properties are kept.
 * Returns 0 with *out (malloc'ed, the caller frees; fdt_pack'ed, then
 * totalsize grown by k->extra_space of zeroes) and *out_len = its totalsize, or
 *   -EINVAL  @in is not a valid tree (*why from libfdt), or the root's cells
 *            are not 1 or 2 (*why says which), or @k is inconsistent
 *            (initrd end before start, n_usable without usable)
 *   -ERANGE  an address/size does not fit in 1 cell
 *   -ENOMEM  out of memory
 *   -E2BIG   the result (with extra_space) is over KFDT_MAX_DTB_SIZE
 * *out is left alone on failure.
 */
int kfdt_kexec_build(const void *in, size_t in_len, const struct kfdt_kexec *k,
		     void **out, size_t *out_len, const char **why);

/*
 * kfdt_set_elfcorehdr - rewrite /chosen linux,elfcorehdr of @fdt in place
 * (same length, the root's cells) for the reload relink path.
 * Returns 0, -ENOENT (no /chosen or no linux,elfcorehdr), -ERANGE (a value does
 * not fit in 1 cell), -EINVAL (bad tree, bad root cells, or the property's
 * length is not #address-cells + #size-cells cells).
 */
int kfdt_set_elfcorehdr(void *fdt, uint64_t addr, uint64_t size, const char **why);

/*
 * kfdt_dma_limit - the lowest CPU-side end of any dma-ranges in the tree, as
 * the kernel's of_dma_get_max_cpu_address(NULL) computes it: every available
 * node (status absent, "okay" or "ok"; a disabled node hides its subtree) with
 * a non-empty dma-ranges contributes, per entry (contiguous entries merged),
 * cpu_addr + size, where cpu_addr is the parent-bus address translated to a
 * CPU address through the ancestors' dma-ranges (missing or empty = 1:1);
 * entries that do not translate are skipped, as is the root's own dma-ranges
 * (it has no parent bus).  An empty dma-ranges means 1:1, no limit.
 * *limit is exclusive.
 * Returns 0 (found), -ENOENT (no limiting dma-ranges), -EINVAL (bad tree,
 * a dma-ranges whose length is not a whole number of entries, bad cells, or
 * nesting deeper than 64; *why names the node and property).
 */
int kfdt_dma_limit(const void *fdt, uint64_t *limit, const char **why);

/*
 * kfdt_stdout_uart - the MMIO base of the device /chosen stdout-path (or
 * linux,stdout-path) names, alias or full path, options after ':' ignored,
 * if it is compatible with "arm,pl011" or "arm,sbsa-uart" and has a reg
 * property; the first reg address is translated to a CPU address through the
 * ancestors' ranges (empty = 1:1).
 * Returns 0, -ENOENT (no stdout-path, no such node, not a PL011/SBSA UART,
 * no reg, or an ancestor without ranges/no matching range), -EINVAL (bad
 * tree, or a malformed reg/ranges/cells; *why says which).
 */
int kfdt_stdout_uart(const void *fdt, uint64_t *base, const char **why);

/*
 * Readers of /chosen (tests, the plan printer).  All return -EINVAL for a bad
 * tree or a malformed property (*why names it) and -ENOENT when the property
 * (or /chosen) is absent.
 *
 * kfdt_get_usable_ranges - linux,usable-memory-range in property order; *n =
 *   the number of ranges in the property; -ENOSPC when that is over @max
 *   (the first @max are filled).
 * kfdt_get_elfcorehdr - linux,elfcorehdr <addr size>.
 * kfdt_get_initrd - linux,initrd-start/end (1 or 2 cells each, as the kernel
 *   accepts); *end exclusive.
 * kfdt_get_bootargs - /chosen bootargs, NULL when absent or not a string.
 */
int kfdt_get_usable_ranges(const void *fdt, struct kfdt_range *r, unsigned max, unsigned *n, const char **why);
int kfdt_get_elfcorehdr(const void *fdt, uint64_t *addr, uint64_t *size, const char **why);
int kfdt_get_initrd(const void *fdt, uint64_t *start, uint64_t *end, const char **why);
const char *kfdt_get_bootargs(const void *fdt);

#endif
