/* SPDX-License-Identifier: GPL-2.0-or-later */
/* arm64-int.h - what the arm64 loader's files share (the ops table's pieces). */
#ifndef KX_ARM64_INT_H
#define KX_ARM64_INT_H

#include "ctx.h"

extern const struct kx_loader kx_arm64_image_loader;

/* crash.c: kernel facts from VMCOREINFO and proc/kcore, and the kdump kernel's memory */
int kx_arm64_kernel_text(const struct kx_machine *m, uint64_t *vaddr, uint64_t *paddr, uint64_t *size,
			 struct kx_diag *d);
int kx_arm64_phys_to_virt(const struct kx_machine *m, uint64_t paddr, uint64_t *ret, struct kx_diag *d);
int kx_arm64_crash_memmap(struct kx_ctx *ctx, struct kx_plan *plan);
int kx_arm64_kdump_cmdline(struct kx_ctx *ctx);
int kx_arm64_normal_avail(const struct kx_machine *m, struct kx_ranges *avail);

/*
 * kx_arm64_usable - the kdump kernel's linux,usable-memory-range entries in
 * the order the DT gets them: the main crash region first, then the crash
 * CMA ranges (ctx->cma, in their order), the low region last (the kernel
 * takes the first entry as the cap and adds the rest; kdump kernels before
 * crash-CMA support read at most 2 entries, so the low region must be last
 * and kx_arm64_crash_cma_fit keeps the CMA ranges within what they read).
 * Returns the count (at most KX_ARM64_USABLE_MAX).
 */
#define KX_ARM64_USABLE_MAX (2 + KX_CMA_MAX)
unsigned kx_arm64_usable(const struct kx_ctx *ctx, struct kx_range out[KX_ARM64_USABLE_MAX]);

/*
 * kx_arm64_usable_reads - how many linux,usable-memory-range entries a kdump
 * kernel of release @major.@minor reads (drivers/of/fdt.c MAX_USABLE_RANGES):
 * 2 before 7.3, 6 (2 + CRASHKERNEL_CMA_RANGES_MAX) from 7.3; @known false
 * (no version banner found): 2.
 */
unsigned kx_arm64_usable_reads(bool known, unsigned major, unsigned minor);

/*
 * kx_arm64_crash_cma_fit - the arch's crash_cma_fit: find the kdump kernel's
 * release in its Image and keep only as many crash CMA ranges as it reads
 * beside the main and low regions; a WARN note names what was left out and
 * why.  Returns 0.
 */
int kx_arm64_crash_cma_fit(struct kx_ctx *ctx);

/* dma.c: the DMA limit and the placement rules around it */
struct kx_arm64_dma {
	uint64_t limit;		/* exclusive end of DMA-capable memory */
	char source[96];	/* where it came from, for messages */
};

/*
 * kx_arm64_dma_limit - --dma-limit, else the end of zone DMA/DMA32
 * (proc/zoneinfo), else the lowest DT dma-ranges end, else 4 GiB.
 * Returns 0, or -EINVAL (malformed zoneinfo or DT, named in ctx->d), -ENOMEM.
 */
int kx_arm64_dma_limit(struct kx_ctx *ctx, struct kx_arm64_dma *dma);

/*
 * kx_arm64_dma_check - crash loads: classify each usable range against the
 * limit (notes) and refuse when the kdump kernel would get no memory below
 * it.  Returns 0, or -EADDRNOTAVAIL (nothing below the limit and no
 * --ignore-dma-limit; ctx->final is set: the reservation must change).
 */
int kx_arm64_dma_check(struct kx_ctx *ctx, const struct kx_arm64_dma *dma);

/* After every segment is placed: note the largest free DMA-capable block the kdump kernel keeps. */
int kx_arm64_finish(struct kx_ctx *ctx, struct kx_plan *plan);

/*
 * kx_arm64_largest_free - the largest block of @usable below @limit that no
 * segment of @plan covers.  *ret is {0,0} when there is none.
 */
void kx_arm64_largest_free(const struct kx_range *usable, unsigned n, uint64_t limit, const struct kx_plan *plan,
			   struct kx_range *ret);

/*
 * dtb.c: kx_arm64_dtb - the next kernel's device tree: the running one
 * (sys/firmware/fdt) or --dtb FILE, with /chosen rewritten for this load.
 * Returns 0 with *ret and *ret_len (malloc'ed), -ENOENT (no DT to start from),
 * -EINVAL (a malformed DT, named), -ERANGE, -E2BIG, -ENOMEM, with ctx->d set.
 */
int kx_arm64_dtb(struct kx_ctx *ctx, const struct kx_plan *plan, bool has_initrd, uint64_t initrd_start,
		 uint64_t initrd_end, void **ret, size_t *ret_len);

#endif
