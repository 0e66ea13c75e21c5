/* SPDX-License-Identifier: GPL-2.0-or-later */
/* action.c - load and unload: plan, print or commit, and the -a fallback. */
#include <string.h>

#include "action.h"

bool kx_load_refused(int err)
{
	return err == -EPERM || err == -EACCES || err == -ENOSYS;
}

bool kx_file_unusable(int err)
{
	return err == -ENOSYS || err == -EINVAL || err == -ENOEXEC || err == -EOPNOTSUPP;
}

static int fail(struct kx_outcome *o, int err, int stage)
{
	o->err = err;
	o->stage = stage;
	return err;
}

static int dry_run(struct kx_ctx *ctx, const struct kx_plan *plan, FILE *out, struct kx_outcome *o)
{
	int r = kx_plan_print(ctx, plan, ctx->o->json, out);

	if (r == 0 && ctx->o->dump_segments)
		r = kx_plan_dump_segments(plan, ctx->o->dump_segments, ctx->d);
	return r < 0 ? fail(o, r, KX_STAGE_PLAN) : 0;
}

static int file_load(struct kx_ctx *ctx, const struct kx_sys *sys, FILE *out, struct kx_outcome *o)
{
	_cleanup_(kx_plan_done) struct kx_plan plan;
	int r;

	kx_plan_init(&plan);
	o->syscall = KX_SYS_KEXEC_FILE_LOAD;
	r = kx_file_plan(ctx, &plan);
	if (r < 0)
		return fail(o, r, KX_STAGE_PLAN);
	if (ctx->o->dry_run)
		return dry_run(ctx, &plan, out, o);
	r = kx_commit_file_load(sys, ctx->arch, &plan, ctx->d);
	return r < 0 ? fail(o, r, KX_STAGE_SYSCALL) : 0;
}

int kx_action_load(struct kx_ctx *ctx, const struct kx_sys *sys, FILE *out, struct kx_outcome *o)
{
	_cleanup_(kx_plan_done) struct kx_plan plan;
	int r;

	memset(o, 0, sizeof(*o));
	kx_plan_init(&plan);
	if (ctx->o->sysmode == KX_SYS_FILE_ONLY)
		return file_load(ctx, sys, out, o);
	o->syscall = KX_SYS_KEXEC_LOAD;
	r = kx_load_plan(ctx, &plan);
	if (r < 0)
		return fail(o, r, KX_STAGE_PLAN);
	if (ctx->o->dry_run)
		return dry_run(ctx, &plan, out, o);
	r = kx_commit_load(sys, ctx->arch, &plan, ctx->d);
	if (r == 0)
		return 0;
	if (ctx->o->sysmode == KX_SYS_AUTO && kx_load_refused(r)) {
		o->fell_back = true;
		snprintf(o->why, sizeof(o->why), "%s", ctx->d->msg);
		*ctx->d = (struct kx_diag){ 0 };
		return file_load(ctx, sys, out, o);
	}
	return fail(o, r, KX_STAGE_SYSCALL);
}

int kx_action_unload(struct kx_ctx *ctx, const struct kx_sys *sys, FILE *out, struct kx_outcome *o)
{
	const struct kx_opts *op = ctx->o;
	bool file = op->sysmode == KX_SYS_FILE_ONLY;
	int r;

	memset(o, 0, sizeof(*o));
	o->syscall = file ? KX_SYS_KEXEC_FILE_LOAD : KX_SYS_KEXEC_LOAD;
	if (op->dry_run) {
		fprintf(out, "kexec-ng plan (dry run): unload the %s image with %s\n", op->crash ? "crash" : "normal",
			file ? "kexec_file_load" : "kexec_load");
		return 0;
	}
	r = kx_commit_unload(sys, ctx->arch, op->crash, file, ctx->d);
	if (r < 0 && op->sysmode == KX_SYS_AUTO && kx_load_refused(r)) {
		o->fell_back = true;
		snprintf(o->why, sizeof(o->why), "%s", ctx->d->msg);
		*ctx->d = (struct kx_diag){ 0 };
		o->syscall = KX_SYS_KEXEC_FILE_LOAD;
		r = kx_commit_unload(sys, ctx->arch, op->crash, true, ctx->d);
	}
	return r < 0 ? fail(o, r, KX_STAGE_SYSCALL) : 0;
}
