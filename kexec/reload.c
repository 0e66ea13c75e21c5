/* SPDX-License-Identifier: GPL-2.0-or-later */
/* reload.c - the --reload-elfcorehdr fast path, its no-ops, and re-arming. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "digest.h"
#include "reload.h"

const char *kx_reload_path_name(enum kx_reload_path p)
{
	switch (p) {
	case KX_RELOAD_NOOP_KERNEL: return "no-op (the kernel updates the header)";
	case KX_RELOAD_NOOP_SAME: return "no-op (unchanged)";
	case KX_RELOAD_FAST: return "fast (header rewritten in place)";
	case KX_RELOAD_RELINK: return "relink (full re-plan)";
	case KX_RELOAD_FULL: return "full reload";
	}
	return "?";
}

/*
 * The recorded files, mapped again and checked against the record: the same
 * device, inode, size, mtime and ctime (which any write changes and nothing
 * can set back).  Returns 0, or -ESTALE with @why saying what changed.
 */
static int files_unchanged(const struct kx_state *st, struct kx_image *imgs, char *why, size_t wlen, struct kx_diag *d)
{
	unsigned i;
	int r;

	for (i = 0; i < st->n_files; i++) {
		const struct kx_state_file *f = &st->files[i];
		struct kx_state_file now;
		struct kx_diag scratch = { 0 };

		r = kx_image_map(&imgs[i], f->path, &scratch);
		if (r < 0) {
			snprintf(why, wlen, "%s", scratch.msg);
			return -ESTALE;
		}
		r = kx_state_file_identity(imgs[i].fd, &now);
		if (r < 0)
			return kx_diag_set(d, r, "%s: %s", f->path, strerror(-r));
		if (now.dev != f->dev || now.ino != f->ino || now.size != f->size || now.mtime_sec != f->mtime_sec ||
		    now.mtime_nsec != f->mtime_nsec || now.ctime_sec != f->ctime_sec || now.ctime_nsec != f->ctime_nsec) {
			snprintf(why, wlen, "%s changed since the load (device, inode, size, mtime or ctime)", f->path);
			return -ESTALE;
		}
	}
	return 0;
}

/*
 * --verify-digest: hash the bytes the purgatory will check (every segment
 * but the purgatory and the header) and compare with the recorded digest.
 * Returns 0, -ESTALE (they differ: @why), -ENOMEM.
 */
static int digest_unchanged(const struct kx_state *st, const struct kx_plan *p, char *why, size_t wlen,
			    struct kx_diag *d)
{
	struct pg_sha_region regions[PG_MAX_REGIONS];
	uint8_t dg[32];
	int r;

	if (!st->has_digest)
		return 0;	/* loaded with -i: nothing is checked at crash time either */
	r = kx_digest_segments(p->seg, p->n_seg, regions, dg, d);
	if (r < 0)
		return r;
	if (memcmp(dg, st->digest, 32)) {
		snprintf(why, wlen, "the kernel or initrd bytes no longer hash to the digest recorded at load");
		return -ESTALE;
	}
	return 0;
}

/* Segments of the recorded plan, with @hdr (capacity-sized) as the crash header. */
static void recorded_segments(const struct kx_state *st, const struct kx_image *imgs, const uint8_t *hdr,
			      struct kx_plan *p)
{
	unsigned i;

	kx_plan_init(p);
	p->syscall = KX_SYS_KEXEC_LOAD;
	p->flags = st->flags;
	p->entry = st->entry;
	p->crash = true;
	for (i = 0; i < st->n_segs; i++) {
		const struct kx_state_seg *s = &st->segs[i];
		void *buf = s->src == KX_SRC_BLOB ? (void *)s->blob : (void *)(imgs[s->file].buf + s->off);

		if (i == st->hdr_index)
			buf = (void *)hdr;
		p->seg[p->n_seg++] = kx_state_segment(st, i, buf);
	}
}

static int load_recorded(struct kx_ctx *ctx, const struct kx_sys *sys, const struct kx_state *st,
			 const struct kx_image *imgs, const uint8_t *hdr, struct kx_diag *d)
{
	struct kx_plan p;
	int r;

	recorded_segments(st, imgs, hdr, &p);
	r = kx_commit_load(sys, ctx->arch, &p, d);
	p.n_seg = 0;	/* the buffers are not the plan's */
	kx_plan_done(&p);
	return r;
}

static void images_done(struct kx_image *imgs, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		kx_image_done(&imgs[i]);
}

int kx_reload_rearm(struct kx_ctx *ctx, const struct kx_sys *sys, const struct kx_state *st, struct kx_diag *d)
{
	struct kx_image imgs[KX_STATE_FILES];
	char why[512];
	unsigned i;
	int r;

	for (i = 0; i < KX_STATE_FILES; i++)
		imgs[i] = (struct kx_image){ .fd = -1 };
	if (st->syscall != KX_SYS_KEXEC_LOAD || !st->fast)
		return kx_diag_set(d, -ESTALE, "the recorded plan is not kept whole (%s)",
				   st->syscall != KX_SYS_KEXEC_LOAD ? "a kexec_file_load image" : "a decompressed kernel");
	r = files_unchanged(st, imgs, why, sizeof(why), d);
	if (r == -ESTALE)
		r = kx_diag_set(d, r, "%s", why);
	if (r == 0)
		r = load_recorded(ctx, sys, st, imgs, st->segs[st->hdr_index].blob, d);
	images_done(imgs, KX_STATE_FILES);
	return r;
}

int kx_reload(struct kx_ctx *ctx, const struct kx_sys *sys, struct kx_state *st, struct kx_reload *out)
{
	struct kx_machine *m = ctx->m;
	struct kx_diag *d = ctx->d;
	struct kx_image imgs[KX_STATE_FILES];
	_cleanup_(kx_ranges_done) struct kx_ranges ram = { 0 };
	_cleanup_free_ uint8_t *hdr = NULL;
	struct kx_state_seg *old;
	size_t len;
	unsigned i;
	int r;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < KX_STATE_FILES; i++)
		imgs[i] = (struct kx_image){ .fd = -1 };
	if (m->crash_loaded == 0)
		return kx_diag_set(d, -ESRCH, "no crash kernel is loaded (%s is 0): nothing to reload; load one with kexec -p",
				   kx_path_rel(KX_PATH_CRASH_LOADED_OLD));
	if (st->boot_id[0] && m->boot_id[0] && strcmp(st->boot_id, m->boot_id))
		return kx_diag_set(d, -ESRCH, "%s is from another boot: nothing loaded now was loaded by it; load the crash kernel again",
				   kx_path_rel(KX_PATH_STATE));
	r = kx_machine_load_hotplug(m, d);
	if (r < 0)
		return r;
	if (m->mem_crash_hotplug == 1 || m->cpu_crash_hotplug == 1) {
		out->path = KX_RELOAD_NOOP_KERNEL;
		snprintf(out->why, sizeof(out->why), "the kernel rewrites the crash header itself on hotplug (crash_hotplug reads 1)");
		return 0;
	}
	if (st->syscall == KX_SYS_KEXEC_FILE_LOAD || !st->fast) {
		out->path = KX_RELOAD_FULL;
		snprintf(out->why, sizeof(out->why), "%s", st->syscall == KX_SYS_KEXEC_FILE_LOAD ?
			 "a kexec_file_load image: the kernel builds its crash header, so the load is repeated" :
			 "the kernel was decompressed at load time and its bytes are not kept");
		return 0;
	}
	/* the header for the machine as it is now, in the recorded capacity, without the recorded crash CMA */
	ctx->cma = st->cma;
	ctx->cma_src = kx_path_rel(KX_PATH_STATE);
	r = kx_machine_load_crash(m, d);
	if (r < 0)
		return r;
	r = kx_crash_header_need(ctx, &ram, &out->used);
	if (r < 0)
		return r;
	out->capacity = st->hdr_capacity;
	if (out->used > st->hdr_capacity) {
		out->path = KX_RELOAD_RELINK;
		snprintf(out->why, sizeof(out->why), "the crash header needs %u program headers, its capacity is %u",
			 out->used, st->hdr_capacity);
		return 0;
	}
	r = kx_crash_header_build(ctx, st->hdr_capacity, &hdr, &len);
	if (r < 0)
		return r;
	old = &st->segs[st->hdr_index];
	if (len != old->bufsz)
		return kx_diag_set(d, -EBADMSG, "%s: the header segment holds %zu bytes, %u slots need %zu",
				   kx_path_rel(KX_PATH_STATE), old->bufsz, st->hdr_capacity, len);
	if (!memcmp(hdr, old->blob, len)) {
		out->path = KX_RELOAD_NOOP_SAME;
		snprintf(out->why, sizeof(out->why), "the crash header already describes this machine (%u program headers)",
			 out->used);
		return 0;
	}
	out->path = KX_RELOAD_FAST;
	r = files_unchanged(st, imgs, out->why, sizeof(out->why), d);
	if (r == 0 && ctx->o->verify_digest) {
		struct kx_plan p;

		recorded_segments(st, imgs, hdr, &p);
		r = digest_unchanged(st, &p, out->why, sizeof(out->why), d);
		p.n_seg = 0;
		kx_plan_done(&p);
	}
	if (r == -ESTALE) {
		/* the recorded bytes are gone: the caller loads the recorded command line again */
		out->path = KX_RELOAD_FULL;
		r = 0;
		goto out;
	}
	if (r < 0)
		goto out;
	snprintf(out->why, sizeof(out->why), "%u of %u program headers; every other segment as recorded%s",
		 out->used, st->hdr_capacity, ctx->o->verify_digest ? " (digest verified)" : "");
	if (ctx->o->dry_run)
		goto out;
	r = load_recorded(ctx, sys, st, imgs, hdr, d);
	if (r < 0) {
		/* the kernel dropped the old image before refusing the new one: put the last good plan back */
		struct kx_diag again = { 0 };

		if (load_recorded(ctx, sys, st, imgs, old->blob, &again) == 0)
			out->rearmed = true;
		else
			kx_note(ctx->notes, KX_NOTE_ERROR, "putting the last good plan back failed too: %s; no crash kernel is loaded",
				again.msg);
		goto out;
	}
	/* the state now holds the header the kernel has */
	memcpy(old->blob, hdr, len);
	st->hdr_used = out->used;
	st->written = (int64_t)time(NULL);
	snprintf(st->writer, sizeof(st->writer), "reload");
	r = kx_state_write(ctx->root_fd, st, d);
	if (r < 0) {
		kx_note(ctx->notes, KX_NOTE_WARN, "the header is reloaded, but recording it failed: %s", d->msg);
		*d = (struct kx_diag){ 0 };
		r = 0;
	}
out:
	images_done(imgs, KX_STATE_FILES);
	return r;
}
