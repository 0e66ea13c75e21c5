/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * action.h - what kexec does for -l/-p (plan, then commit, with the -a
 * fallback) and -u, with the system calls injected so tests can record
 * them.  main.c turns the outcome into messages and exit codes.
 */
#ifndef KX_ACTION_H
#define KX_ACTION_H

#include <stdio.h>

#include "commit.h"
#include "ctx.h"

/*
 * struct kx_outcome
 * @err:        0 or the negative errno of the step that failed (ctx->d says which)
 * @stage:      where it failed: planning or the system call
 * @syscall:    the system call that ran last (or would have, for --dry-run)
 * @fell_back:  -a: kexec_load could not be used and kexec_file_load was
 *              tried; @why holds kexec_load's error and @fell_back_stage
 *              says whether planning it failed (facts only it needs) or
 *              the kernel refused it (EPERM, EACCES, ENOSYS, lockdown)
 */
enum kx_stage { KX_STAGE_PLAN, KX_STAGE_SYSCALL };

struct kx_outcome {
	int err;
	enum kx_stage stage;
	enum kx_syscall syscall;
	bool fell_back;
	enum kx_stage fell_back_stage;
	char why[512];
};

/*
 * kx_action_load - plan and load ctx->kernel (or print the plan with --dry-run to @out)
 * -c: kexec_load; -s: kexec_file_load; -a (default): kexec_load, and
 * kexec_file_load when the kernel refuses kexec_load (EPERM, EACCES,
 * ENOSYS; lockdown is known to refuse it, so it is not even tried), or when
 * planning it fails on what only it needs (proc/kcore, crash notes,
 * VMCOREINFO, placement).  A failure both share (no crash region, not a
 * kernel image) is final, as is a kexec_file_load signature error.
 * Returns 0 or @o->err, with ctx->d set.
 */
int kx_action_load(struct kx_ctx *ctx, const struct kx_sys *sys, FILE *out, struct kx_outcome *o);

/* kx_action_unload - -u: unload with kexec_load (or -s: kexec_file_load); -a falls back likewise. */
int kx_action_unload(struct kx_ctx *ctx, const struct kx_sys *sys, FILE *out, struct kx_outcome *o);

/* kexec_load errors after which -a tries kexec_file_load */
bool kx_load_refused(int err);
/* kexec_file_load errors that mean this syscall cannot do it (exit 253 with -s) */
bool kx_file_unusable(int err);

#endif
