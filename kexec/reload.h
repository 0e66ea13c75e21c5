/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reload.h - kexec --reload-elfcorehdr: after memory or CPU hotplug, put a
 * crash header that describes the machine as it is now into the loaded crash
 * image, re-issuing the recorded plan with every other segment byte for byte
 * (no image parse, no decompression, no new digest, no purgatory relink).
 */
#ifndef KX_RELOAD_H
#define KX_RELOAD_H

#include "commit.h"
#include "ctx.h"
#include "state.h"

enum kx_reload_path {
	KX_RELOAD_NOOP_KERNEL,	/* the kernel rewrites the header itself (crash_hotplug reads 1) */
	KX_RELOAD_NOOP_SAME,	/* the new header equals the loaded one */
	KX_RELOAD_FAST,		/* header rewritten in place, the rest re-issued as recorded */
	KX_RELOAD_RELINK,	/* the header outgrew its capacity: full re-plan (caller) */
	KX_RELOAD_FULL,		/* kexec_file_load image, decompressed kernel or changed files: full reload (caller) */
};

/*
 * struct kx_reload
 * @path:     what the reload did (or, with --dry-run, would do)
 * @why:      why that path, for people
 * @used/@capacity: program headers the header needs now, and its slots
 * @rearmed:  the fast path's kexec_load failed and the recorded plan was loaded again
 */
struct kx_reload {
	enum kx_reload_path path;
	char why[600];
	unsigned used, capacity;
	bool rearmed;
};

const char *kx_reload_path_name(enum kx_reload_path p);

/*
 * kx_reload - decide the path and, for KX_RELOAD_FAST, do it
 * ctx->m must hold the base and status; @st the verified state.  For RELINK
 * and FULL the caller re-runs the load of @st->argv (and may use
 * kx_reload_rearm() if that fails).  With ctx->o->dry_run nothing is loaded
 * and nothing is written.
 * Returns 0, or -errno with ctx->d set: -ESRCH (no crash image is loaded,
 * or the state is from another boot), the kernel's errno (then @out->rearmed
 * says whether the recorded plan is loaded again), or a machine read error.
 */
int kx_reload(struct kx_ctx *ctx, const struct kx_sys *sys, struct kx_state *st, struct kx_reload *out);

/*
 * kx_reload_rearm - load @st's plan exactly as recorded (its header too):
 * the last good plan, after a failed reload left no crash image.
 * Returns 0, -ESTALE (a file changed since: the plan cannot be rebuilt), or
 * the kernel's errno, with @d set.
 */
int kx_reload_rearm(struct kx_ctx *ctx, const struct kx_sys *sys, const struct kx_state *st, struct kx_diag *d);

#endif
