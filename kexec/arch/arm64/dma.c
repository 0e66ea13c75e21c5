/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dma.c (arm64) - the DMA limit and the crash placement rules around it.
 *
 * Devices that address less than the whole of physical memory (a 30-bit
 * window on a Raspberry Pi 4, 32 bits on many SoCs) need the kdump kernel
 * to have RAM below that limit, for its swiotlb bounce buffers and DMA
 * zone.  The kernel itself places crashkernel=,low below
 * arm64_dma_phys_limit, which is the end of ZONE_DMA (or ZONE_DMA32).  We
 * take the same limit from proc/zoneinfo, else from the DT's dma-ranges,
 * else 4 GiB, and:
 *   - refuse a crash load whose kdump kernel would get no memory below it
 *     (unless --ignore-dma-limit), naming crashkernel=...,low;
 *   - place segments top-down in the main region only, so that what stays
 *     free below the limit is one block as large as it can be (the
 *     loader's placement order does the packing; kx_arm64_finish reports
 *     the result).
 */
#include <stdio.h>
#include <string.h>

#include "arm64-int.h"
#include "kfdt.h"

#define GIB (1ULL << 30)

int kx_arm64_dma_limit(struct kx_ctx *ctx, struct kx_arm64_dma *dma)
{
	struct kx_machine *m = ctx->m;
	const char *zone, *why = NULL;
	uint64_t lim;
	int r;

	if (ctx->o->dma_limit) {
		dma->limit = ctx->o->dma_limit;
		snprintf(dma->source, sizeof(dma->source), "--dma-limit");
		return 0;
	}
	r = kx_machine_load_zones(m, ctx->d);
	if (r < 0)
		return r;
	if (kx_machine_dma_zone_end(m, kx_machine_page_size(m), &lim, &zone) == 0) {
		dma->limit = lim;
		snprintf(dma->source, sizeof(dma->source), "%s zone %s", kx_path_rel(KX_PATH_ZONEINFO), zone);
		return 0;
	}
	r = kx_machine_load_firmware(m, ctx->arch->boot_data, ctx->d);
	if (r < 0)
		return r;
	if (m->boot_data) {
		r = kfdt_dma_limit(m->boot_data, &lim, &why);
		if (r == -EINVAL)
			return kx_diag_set(ctx->d, r, "%s: %s", kx_path_rel(KX_PATH_FDT), why ? why : "malformed dma-ranges");
		if (r == 0) {
			dma->limit = lim;
			snprintf(dma->source, sizeof(dma->source), "%s dma-ranges", kx_path_rel(KX_PATH_FDT));
			return 0;
		}
	}
	dma->limit = 4 * GIB;
	snprintf(dma->source, sizeof(dma->source), "default: no DMA zone in %s, no DT dma-ranges",
		 kx_path_rel(KX_PATH_ZONEINFO));
	return 0;
}

static const char *classify(const struct kx_range *u, uint64_t limit)
{
	if (u->end <= limit)
		return "below the DMA limit";
	if (u->start >= limit)
		return "above the DMA limit";
	return "across the DMA limit";
}

int kx_arm64_dma_check(struct kx_ctx *ctx, const struct kx_arm64_dma *dma)
{
	struct kx_range u[KX_ARM64_USABLE_MAX];
	unsigned i, n = kx_arm64_usable(ctx, u);
	uint64_t below = 0;

	kx_note(ctx->notes, KX_NOTE_INFO, "DMA limit 0x%llx (%s)", (unsigned long long)dma->limit, dma->source);
	for (i = 0; i < n; i++) {
		uint64_t e = u[i].end < dma->limit ? u[i].end : dma->limit;

		if (u[i].start < e)
			below += e - u[i].start;
		kx_note(ctx->notes, KX_NOTE_INFO, "usable-memory-range %u: [0x%llx, 0x%llx) %s region, %s", i,
			(unsigned long long)u[i].start, (unsigned long long)u[i].end,
			i == 0 ? "main" : i <= ctx->cma.n ? "crash CMA" : "low", classify(&u[i], dma->limit));
	}
	if (below)
		return 0;
	if (ctx->o->ignore_dma_limit) {
		kx_note(ctx->notes, KX_NOTE_WARN,
			"--ignore-dma-limit: the kdump kernel gets no memory below the DMA limit 0x%llx (%s); devices limited to it will fail",
			(unsigned long long)dma->limit, dma->source);
		return 0;
	}
	ctx->final = true;
	return kx_diag_set(ctx->d, -EADDRNOTAVAIL,
			   "the crash kernel memory lies entirely above the DMA limit 0x%llx (%s): the kdump kernel would have no memory for devices limited to it; reserve low memory too, e.g. crashkernel=256M,high crashkernel=128M,low, or a crashkernel= below the limit (--dma-limit=ADDR names another limit, --ignore-dma-limit loads anyway)",
			   (unsigned long long)dma->limit, dma->source);
}

void kx_arm64_largest_free(const struct kx_range *usable, unsigned n, uint64_t limit, const struct kx_plan *plan,
			   struct kx_range *ret)
{
	struct kx_ranges fr = { 0 };
	size_t i;

	*ret = (struct kx_range){ 0 };
	for (i = 0; i < n; i++)
		if (kx_ranges_add(&fr, usable[i].start, usable[i].end, KX_MEM_RAM) < 0)
			goto out;
	if (kx_ranges_exclude(&fr, limit, UINT64_MAX) < 0)
		goto out;
	for (i = 0; i < plan->n_seg; i++)
		if (kx_ranges_exclude(&fr, plan->seg[i].mem,
				      plan->seg[i].mem + plan->seg[i].memsz + plan->seg[i].kept_free) < 0)
			goto out;
	for (i = 0; i < fr.n; i++)
		if (fr.v[i].end - fr.v[i].start > ret->end - ret->start)
			*ret = fr.v[i];
out:
	kx_ranges_done(&fr);
}

int kx_arm64_finish(struct kx_ctx *ctx, struct kx_plan *plan)
{
	struct kx_arm64_dma dma;
	struct kx_range u[KX_ARM64_USABLE_MAX], best;
	unsigned n;
	int r;

	if (!ctx->crash)
		return 0;
	r = kx_arm64_dma_limit(ctx, &dma);
	if (r < 0)
		return r;
	n = kx_arm64_usable(ctx, u);
	kx_arm64_largest_free(u, n, dma.limit, plan, &best);
	if (best.end > best.start)
		kx_note(ctx->notes, KX_NOTE_INFO, "largest free DMA-capable block for the kdump kernel: [0x%llx, 0x%llx) (%llu MiB)",
			(unsigned long long)best.start, (unsigned long long)best.end,
			(unsigned long long)((best.end - best.start) >> 20));
	else
		kx_note(ctx->notes, KX_NOTE_INFO, "largest free DMA-capable block for the kdump kernel: none");
	return 0;
}
