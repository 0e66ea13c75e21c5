/* SPDX-License-Identifier: GPL-2.0-or-later */
/* action.c - load and unload: plan, print or commit, and the -a fallback. */
#include <string.h>

#include "action.h"
#include "state.h"

bool kx_load_refused(int err)
{
	return err == -EPERM || err == -EACCES || err == -ENOSYS;
}

bool kx_file_unusable(int err)
{
	return err == -ENOSYS || err == -EINVAL || err == -ENOEXEC || err == -EOPNOTSUPP;
}

/*
 * A crash image is loaded: record its plan for --reload-elfcorehdr and for
 * putting it back after a failed reload.  The load stands even if this fails.
 */
static void record(struct kx_ctx *ctx, const struct kx_plan *plan)
{
	struct kx_state st;
	struct kx_diag d = { 0 };
	int r;

	if (!ctx->crash)
		return;
	r = kx_state_from_plan(&st, ctx, plan);
	if (r == 0)
		r = kx_state_write(ctx->root_fd, &st, &d);
	if (r < 0)
		kx_note(ctx->notes, KX_NOTE_WARN, "the crash kernel is loaded, but its plan could not be recorded (%s): kexec --reload-elfcorehdr cannot use it",
			d.err ? d.msg : strerror(-r));
	kx_state_done(&st);
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

static const char *lockdown_name(enum kx_lockdown l)
{
	return l == KX_LOCKDOWN_CONFIDENTIALITY ? "confidentiality" : "integrity";
}

/* Say what a refusal means when the machine is known to be locked down. */
static void explain_lockdown(struct kx_ctx *ctx, int err, bool file)
{
	enum kx_lockdown l = ctx->m->lockdown;

	if (err != -EPERM || l <= KX_LOCKDOWN_NONE)
		return;
	if (file)
		kx_diag_reset(ctx->d, err,
			      "kexec_file_load failed: %s: kernel lockdown is on (%s), so the kernel loads only an image whose signature it can verify (KEXEC_SIG against its trusted keyrings, or IMA appraisal), and the signature check of %s did not pass",
			      strerror(-err), lockdown_name(l), ctx->kernel.path);
	else
		kx_diag_reset(ctx->d, err,
			      "kexec_load failed: %s: kernel lockdown is on (%s), which always refuses kexec_load; kexec_file_load (-s) loads an image whose signature the kernel can verify",
			      strerror(-err), lockdown_name(l));
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
	if (r < 0) {
		explain_lockdown(ctx, r, true);
		return fail(o, r, KX_STAGE_SYSCALL);
	}
	record(ctx, &plan);
	return 0;
}

/* -a: remember why kexec_load could not be used and try kexec_file_load. */
static int fall_back(struct kx_ctx *ctx, const struct kx_sys *sys, FILE *out, struct kx_outcome *o,
		     int stage)
{
	o->fell_back = true;
	o->fell_back_stage = stage;
	snprintf(o->why, sizeof(o->why), "%s", ctx->d->msg);
	if (stage == KX_STAGE_PLAN)
		kx_note(ctx->notes, KX_NOTE_WARN, "kexec_load could not be planned (%s); -a uses kexec_file_load instead",
			o->why);
	else
		kx_note(ctx->notes, KX_NOTE_DEBUG, "kexec_load: %s; -a tries kexec_file_load instead", o->why);
	*ctx->d = (struct kx_diag){ 0 };
	return file_load(ctx, sys, out, o);
}

int kx_action_load(struct kx_ctx *ctx, const struct kx_sys *sys, FILE *out, struct kx_outcome *o)
{
	_cleanup_(kx_plan_done) struct kx_plan plan;
	enum kx_sysmode mode = ctx->o->sysmode;
	int r;

	memset(o, 0, sizeof(*o));
	kx_plan_init(&plan);
	o->syscall = mode == KX_SYS_FILE_ONLY ? KX_SYS_KEXEC_FILE_LOAD : KX_SYS_KEXEC_LOAD;
	/* what both syscalls need: a failure here is final */
	r = kx_load_prepare(ctx);
	if (r < 0)
		return fail(o, r, KX_STAGE_PLAN);
	if (mode == KX_SYS_FILE_ONLY)
		return file_load(ctx, sys, out, o);
	if (mode == KX_SYS_AUTO && ctx->m->lockdown > KX_LOCKDOWN_NONE) {
		kx_diag_set(ctx->d, -EPERM, "kernel lockdown is on (%s), which refuses kexec_load",
			    lockdown_name(ctx->m->lockdown));
		return fall_back(ctx, sys, out, o, KX_STAGE_SYSCALL);
	}
	if (mode == KX_SYS_LOAD_ONLY && ctx->m->lockdown > KX_LOCKDOWN_NONE)
		kx_note(ctx->notes, KX_NOTE_WARN, "kernel lockdown is on (%s), which refuses kexec_load: -c cannot load here; -s or -a can load a signed kernel",
			lockdown_name(ctx->m->lockdown));
	r = kx_load_plan(ctx, &plan);
	if (r < 0) {
		/* facts only kexec_load needs (proc/kcore, crash notes, ...): file_load may still work */
		if (mode == KX_SYS_AUTO && !ctx->final)
			return fall_back(ctx, sys, out, o, KX_STAGE_PLAN);
		return fail(o, r, KX_STAGE_PLAN);
	}
	if (ctx->o->dry_run)
		return dry_run(ctx, &plan, out, o);
	r = kx_commit_load(sys, ctx->arch, &plan, ctx->d);
	if (r == 0) {
		record(ctx, &plan);
		return 0;
	}
	if (mode == KX_SYS_AUTO && kx_load_refused(r))
		return fall_back(ctx, sys, out, o, KX_STAGE_SYSCALL);
	explain_lockdown(ctx, r, false);
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
	if (r < 0)
		return fail(o, r, KX_STAGE_SYSCALL);
	if (op->crash && !op->dry_run && ctx->root_fd >= 0 && kx_state_remove(ctx->root_fd) < 0)
		kx_note(ctx->notes, KX_NOTE_WARN, "unloaded, but %s could not be removed", kx_path_rel(KX_PATH_STATE));
	return 0;
}
