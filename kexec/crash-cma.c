/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * crash-cma.c - --crash-cma for crash loads: which ranges (the kernel's
 * sysfs list or --crash-cma=LIST), their checks against the machine and the
 * plan, and what kexec_file_load needs (the kernel's own ranges).
 */
#include <inttypes.h>
#include <stdio.h>

#include "ctx.h"

int kx_crash_cma_select(struct kx_ctx *ctx)
{
	const struct kx_opts *o = ctx->o;
	struct kx_machine *m = ctx->m;
	int r;

	ctx->cma = (struct kx_cma){ 0 };
	ctx->cma_kernel_known = false;
	if (!o->crash_cma)
		return 0;
	r = kx_machine_load_cma(m, ctx->d);
	if (r < 0)
		return r;
	if (o->crash_cma_explicit) {
		ctx->cma = o->crash_cma_list;
		ctx->cma_src = "--crash-cma=";
		ctx->cma_kernel_known = m->has_crash_cma_file && kx_cma_equal(&ctx->cma, &m->crash_cma);
		return 0;
	}
	ctx->final = true;	/* the other syscall finds no ranges either */
	if (!m->has_crash_cma_file)
		return kx_diag_set(ctx->d, -EOPNOTSUPP,
				   "--crash-cma: neither %s nor %s exists: this kernel exports no crash CMA ranges (crashkernel=SIZE,cma needs Linux 6.17+, the export came later); name them with --crash-cma=START-END",
				   kx_path_rel(KX_PATH_CRASH_CMA_RANGES), kx_path_rel(KX_PATH_CRASH_CMA_RANGES_OLD));
	if (!m->crash_cma.n)
		return kx_diag_set(ctx->d, -ENOENT,
				   "--crash-cma: %s is empty: the kernel reserved no crash CMA memory; boot with crashkernel=SIZE,cma as well as crashkernel=SIZE",
				   kx_path_rel(m->crash_cma_path));
	ctx->final = false;
	ctx->cma = m->crash_cma;
	ctx->cma_src = kx_path_rel(m->crash_cma_path);
	ctx->cma_kernel_known = true;
	return 0;
}

int kx_crash_cma_check(struct kx_ctx *ctx, uint64_t page_size)
{
	const struct kx_machine *m = ctx->m;
	char list[160];
	int r;

	if (!ctx->cma.n)
		return 0;
	r = kx_cma_validate(&ctx->cma, &m->ram, &m->crash, page_size, ctx->cma_src, ctx->notes, ctx->d);
	if (r < 0) {
		ctx->final = true;	/* the user's ranges, or the kernel's: neither syscall changes them */
		return r;
	}
	if (ctx->arch->crash_cma_fit) {
		r = ctx->arch->crash_cma_fit(ctx);
		if (r < 0)
			return r;
	}
	if (!ctx->cma.n)
		return 0;
	kx_note(ctx->notes, KX_NOTE_WARN,
		"crash CMA %s (%" PRIu64 " MiB from %s): DMA still running into these pages at a crash can corrupt the kdump kernel; %s",
		kx_cma_format(&ctx->cma, list, sizeof(list)), kx_cma_total(&ctx->cma) >> 20, ctx->cma_src,
		ctx->cma_kernel_known ?
			"the kernel waits 10 s for it after a crash because it reserved this CMA itself (crashkernel=,cma)" :
			"the kernel did not reserve these ranges as crash CMA, so its 10 s wait for in-flight DMA does not cover them");
	return 0;
}

int kx_crash_cma_check_segments(const struct kx_ctx *ctx, const struct kx_plan *plan)
{
	size_t i;
	unsigned j;

	for (i = 0; i < plan->n_seg; i++)
		for (j = 0; j < ctx->cma.n; j++)
			if (plan->seg[i].mem < ctx->cma.v[j].end && ctx->cma.v[j].start < plan->seg[i].mem + plan->seg[i].memsz)
				return kx_diag_set(ctx->d, -EINVAL,
						   "plan: %s segment [0x%" PRIx64 ", 0x%" PRIx64 ") lies in crash CMA range %u: the kdump kernel would overwrite it",
						   kx_seg_role_name(plan->seg[i].role), plan->seg[i].mem,
						   plan->seg[i].mem + plan->seg[i].memsz, j + 1);
	return 0;
}

int kx_crash_cma_file(struct kx_ctx *ctx)
{
	const struct kx_machine *m = ctx->m;
	char list[160];

	if (!ctx->o->crash_cma)
		return 0;
	if (!m->has_crash_cma_file)
		return kx_diag_set(ctx->d, -EOPNOTSUPP,
				   "--crash-cma with kexec_file_load: this kernel has no crash CMA (no %s): it would silently give the kdump kernel none; use kexec_load (-c) with --crash-cma=LIST",
				   kx_path_rel(KX_PATH_CRASH_CMA_RANGES));
	if (!ctx->cma_kernel_known)
		return kx_diag_set(ctx->d, -EINVAL,
				   "--crash-cma=%s with kexec_file_load: the kernel hands the kdump kernel its own crash CMA ranges (%s: %s), not these; use kexec_load (-c)",
				   kx_cma_format(&ctx->o->crash_cma_list, list, sizeof(list)), kx_path_rel(m->crash_cma_path),
				   m->crash_cma.n ? "listed there" : "none");
	kx_note(ctx->notes, KX_NOTE_DEBUG, "kexec_file_load: the kernel adds its crash CMA ranges (%s) to the kdump kernel's memory and leaves them out of the crash header itself",
		kx_cma_format(&m->crash_cma, list, sizeof(list)));
	return 0;
}
