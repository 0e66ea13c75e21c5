/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * main.c - the only place that prints errors and picks exit codes
 * (kexec-tools' codes: 0 ok, 1 usage and fatal setup errors, 255 load
 * failures, 253 kexec_file_load unusable with -s; -S: 1 loaded, 0 not).
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "action.h"
#include "commit.h"
#include "config.h"
#include "ctx.h"
#include "reload.h"

#define EXIT_USAGE 1
#define EXIT_FATAL 1
#define EXIT_FAILED 255
#define EXIT_FALLBACK 253

static int report(const struct kx_diag *d, int err, int code)
{
	if (d->err)
		fprintf(stderr, "kexec: %s\n", d->msg);
	else
		fprintf(stderr, "kexec: %s\n", strerror(-err));
	return code;
}

/* Notes not yet shown by a plan printer: warnings and errors always, the rest with -d. */
static void print_notes(struct kx_notes *ns, bool debug)
{
	size_t i;

	for (i = ns->shown; i < ns->n; i++) {
		const struct kx_note *n = &ns->v[i];

		if (n->level >= KX_NOTE_WARN)
			fprintf(stderr, "kexec: %s: %s\n", kx_note_level_name(n->level), n->msg);
		else if (debug)
			fprintf(stderr, "kexec: %s\n", n->msg);
	}
	ns->shown = ns->n;
}

/* Exit code of a failed load or unload (kexec-tools' codes). */
static int load_exit(const struct kx_ctx *ctx, const struct kx_outcome *o)
{
	if (o->stage == KX_STAGE_PLAN && o->err == -EADDRNOTAVAIL && !ctx->m->has_crash)
		return report(ctx->d, o->err, EXIT_FATAL);	/* no crashkernel= */
	if (o->stage == KX_STAGE_SYSCALL && o->syscall == KX_SYS_KEXEC_FILE_LOAD &&
	    ctx->o->sysmode == KX_SYS_FILE_ONLY && kx_file_unusable(o->err))
		return report(ctx->d, o->err, EXIT_FALLBACK);
	return report(ctx->d, o->err, EXIT_FAILED);
}

static const char *how(const struct kx_ctx *ctx, const struct kx_outcome *o)
{
	if (ctx->o->sysmode == KX_SYS_FILE_ONLY)
		return "-s";
	if (ctx->o->sysmode == KX_SYS_LOAD_ONLY)
		return "-c";
	return o->fell_back ? "-a, after kexec_load could not be used" : "-a: our purgatory and crash header";
}

static int do_load(struct kx_ctx *ctx, struct kx_outcome *out)
{
	struct kx_outcome o;

	if (kx_action_load(ctx, &kx_sys_real, stdout, &o) < 0) {
		*out = o;
		/* the error first; main() prints the notes after it */
		if (o.fell_back && o.fell_back_stage == KX_STAGE_SYSCALL && ctx->m->lockdown <= KX_LOCKDOWN_NONE)
			kx_note(ctx->notes, KX_NOTE_ERROR, "kexec_load could not be used (%s), so -a tried kexec_file_load",
				o.why);
		return load_exit(ctx, &o);
	}
	kx_note(ctx->notes, KX_NOTE_DEBUG, "%s with %s (%s)", ctx->o->dry_run ? "planned" : "loaded",
		o.syscall == KX_SYS_KEXEC_FILE_LOAD ? "kexec_file_load" : "kexec_load", how(ctx, &o));
	*out = o;
	return 0;
}

static int do_unload(struct kx_ctx *ctx)
{
	struct kx_outcome o;

	if (kx_action_unload(ctx, &kx_sys_real, stdout, &o) < 0) {
		if (o.fell_back)
			kx_note(ctx->notes, KX_NOTE_ERROR, "%s; tried kexec_file_load instead", o.why);
		return load_exit(ctx, &o);
	}
	kx_note(ctx->notes, KX_NOTE_DEBUG, "unloaded the %s image with %s%s", ctx->o->crash ? "crash" : "normal",
		o.syscall == KX_SYS_KEXEC_FILE_LOAD ? "kexec_file_load" : "kexec_load",
		o.fell_back ? " (kexec_load was refused)" : "");
	return 0;
}

static int open_images(struct kx_ctx *ctx)
{
	int r;

	r = kx_image_open(&ctx->kernel, ctx->o->kernel, ctx->d);
	if (r < 0)
		return r;
	if (ctx->o->initrd) {
		r = kx_image_open(&ctx->initrd, ctx->o->initrd, ctx->d);
		if (r < 0)
			return r;
	}
	if (ctx->o->dtb) {
		r = kx_image_open(&ctx->dtb, ctx->o->dtb, ctx->d);
		if (r < 0)
			return r;
	}
	return kx_cmdline_build(ctx, &ctx->cmdline);
}

static void note_ignored(struct kx_ctx *ctx)
{
	static const struct { unsigned bit; const char *what; } ign[] = {
		{ KX_IGNORED_RESET_VGA, "--reset-vga: our purgatory does not reset a VGA adapter" },
		{ KX_IGNORED_CONSOLE_VGA, "--console-vga: our purgatory writes only to a serial port" },
		{ KX_IGNORED_REUSE_VIDEO, "--reuse-video-type: screen_info is always copied from the running kernel" },
		{ KX_IGNORED_SERIAL_BAUD, "--serial-baud: the purgatory uses the UART as the running kernel left it" },
		{ KX_IGNORED_ELF64, "--elf64-core-headers: crash headers are always ELF64" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ign); i++)
		if (ctx->o->ignored & ign[i].bit)
			kx_note(ctx->notes, KX_NOTE_DEBUG, "%s (accepted for compatibility, no effect)", ign[i].what);
}

/* The load step: read the machine, open the files, plan, load.  @o says how far a failure got. */
static int load_step(struct kx_ctx *ctx, struct kx_outcome *o)
{
	int r;

	memset(o, 0, sizeof(*o));
	if (!ctx->o->kernel) {
		fprintf(stderr, "kexec: No kernel specified\n");
		kx_usage(stdout);
		return EXIT_FAILED;
	}
	r = kx_machine_load(ctx->m, ctx->root_fd, ctx->o->root, KX_MACHINE_BASE, ctx->d);
	if (r < 0)
		return report(ctx->d, r, EXIT_FAILED);
	r = open_images(ctx);
	if (r < 0)
		return report(ctx->d, r, EXIT_FATAL);
	return do_load(ctx, o);
}

static void ctx_done(struct kx_ctx *ctx)
{
	kx_image_done(&ctx->kernel);
	kx_image_done(&ctx->initrd);
	kx_image_done(&ctx->dtb);
	free(ctx->cmdline);
	ctx->cmdline = NULL;
	kx_machine_done(ctx->m);
}

/*
 * The reload's slow paths: load the recorded command line again (a relink
 * gets fresh headroom).  If the kernel refused the new image it had already
 * dropped the old one: put the last good plan back.
 */
static int reload_again(struct kx_ctx *ctx, struct kx_state *st, const struct kx_reload *rl)
{
	struct kx_opts o2;
	struct kx_machine m2 = { .root_fd = -1 };
	struct kx_diag d2 = { 0 };
	struct kx_ctx c2 = { .o = &o2, .arch = ctx->arch, .m = &m2, .d = &d2, .notes = ctx->notes,
			     .root_fd = ctx->root_fd, .argc = st->argc, .argv = st->argv };
	struct kx_outcome out;
	int r, rc;

	c2.kernel.fd = c2.initrd.fd = c2.dtb.fd = -1;
	r = kx_opts_parse(&o2, st->argc, st->argv, &d2);
	if (r < 0 || o2.action != KX_ACT_RUN || !o2.do_load || !o2.crash)
		return report(ctx->d, kx_diag_set(ctx->d, -EBADMSG, "%s: the recorded command line is not a crash load (%s)",
					      kx_path_rel(KX_PATH_STATE), d2.msg), EXIT_FAILED);
	o2.dry_run = ctx->o->dry_run;
	o2.json = ctx->o->json;
	o2.debug = ctx->o->debug;
	o2.root = ctx->o->root;
	if (rl->path == KX_RELOAD_RELINK) {
		c2.writer = "relink";
		if (o2.elfcorehdr_slots) {
			kx_note(ctx->notes, KX_NOTE_WARN, "--elfcorehdr-slots=%u of the recorded load is too small now: the relink sizes the header by the policy",
				o2.elfcorehdr_slots);
			o2.elfcorehdr_slots = 0;
		}
	}
	c2.crash = true;
	kx_note(ctx->notes, ctx->o->dry_run ? KX_NOTE_INFO : KX_NOTE_WARN, "--reload-elfcorehdr: %s: %s",
		rl->path == KX_RELOAD_RELINK ? "relink fallback: new header capacity and address, new digest, purgatory relinked" :
		"full reload of the recorded command line", rl->why);
	rc = load_step(&c2, &out);
	if (rc && !o2.dry_run && out.stage == KX_STAGE_SYSCALL) {
		struct kx_diag again = { 0 };

		if (kx_reload_rearm(ctx, &kx_sys_real, st, &again) == 0)
			kx_note(ctx->notes, KX_NOTE_ERROR, "the reload failed; the last good plan is loaded again (its header predates the hotplug)");
		else
			kx_note(ctx->notes, KX_NOTE_ERROR, "the reload failed, and putting the last good plan back failed too (%s): no crash kernel is loaded",
				again.msg);
	}
	ctx_done(&c2);
	return rc;
}

static int do_reload(struct kx_ctx *ctx)
{
	struct kx_state st;
	struct kx_reload rl;
	int r, rc = 0;

	r = kx_machine_load(ctx->m, ctx->root_fd, ctx->o->root, KX_MACHINE_BASE, ctx->d);
	if (r < 0)
		return report(ctx->d, r, EXIT_FAILED);
	r = kx_state_read(ctx->root_fd, &st, ctx->d);
	if (r == -ENOENT)
		r = kx_diag_set(ctx->d, r, "%s: none: no crash kernel was loaded by kexec-ng since boot; load one with kexec -p",
				kx_path_rel(KX_PATH_STATE));
	if (r < 0)
		return report(ctx->d, r, EXIT_FAILED);
	r = kx_reload(ctx, &kx_sys_real, &st, &rl);
	if (r < 0) {
		rc = report(ctx->d, r, EXIT_FAILED);
		if (rl.rearmed)
			kx_note(ctx->notes, KX_NOTE_ERROR, "the last good plan is loaded again (its header predates the hotplug)");
		goto out;
	}
	switch (rl.path) {
	case KX_RELOAD_NOOP_KERNEL:
	case KX_RELOAD_NOOP_SAME:
		printf("kexec: --reload-elfcorehdr: nothing to do: %s\n", rl.why);
		break;
	case KX_RELOAD_FAST:
		if (ctx->o->dry_run)
			printf("kexec-ng plan (dry run): --reload-elfcorehdr: %s: %s\n", kx_reload_path_name(rl.path), rl.why);
		else
			kx_note(ctx->notes, KX_NOTE_DEBUG, "--reload-elfcorehdr: %s: %s", kx_reload_path_name(rl.path), rl.why);
		break;
	case KX_RELOAD_RELINK:
	case KX_RELOAD_FULL:
		if (ctx->o->dry_run)
			printf("kexec-ng plan (dry run): --reload-elfcorehdr: %s: %s; the new plan:\n",
			       kx_reload_path_name(rl.path), rl.why);
		rc = reload_again(ctx, &st, &rl);
		break;
	}
out:
	kx_state_done(&st);
	return rc;
}

/* Unload, load, then shutdown or exec: the steps -l/-p/-u/-e/-f left set, in kexec-tools' order. */
static int run(struct kx_ctx *ctx, int root_fd)
{
	const struct kx_opts *o = ctx->o;
	struct kx_machine *m = ctx->m;
	struct kx_outcome out;
	int r, rc;

	note_ignored(ctx);
	if (o->do_unload) {
		rc = do_unload(ctx);
		if (rc)
			return rc;
	}
	if (o->do_load) {
		rc = load_step(ctx, &out);
		if (rc)
			return rc;
	}
	if (!o->do_exec && !o->do_shutdown)
		return 0;
	if (o->dry_run) {
		printf("kexec-ng plan (dry run): %s%s%s\n",
		       o->do_exec ? "reboot into the loaded kernel" : "shutdown -r now (the loaded kernel boots)",
		       o->do_exec && !o->no_sync ? " after sync" : "", o->do_exec && !o->no_ifdown ? " and ifdown" : "");
		return 0;
	}
	kx_machine_done(m);
	r = kx_machine_load(m, root_fd, o->root, KX_MACHINE_STATUS, ctx->d);
	if (r < 0)
		return report(ctx->d, r, EXIT_FAILED);
	if (m->kexec_loaded == 0) {	/* unknown (-1) counts as loaded, as in kexec-tools */
		fprintf(stderr, "kexec: Nothing has been loaded!\n");
		return EXIT_FATAL;
	}
	if (o->do_shutdown)
		r = kx_commit_shutdown(ctx->d);
	else
		r = kx_commit_exec(&kx_sys_real, o->no_sync, o->no_ifdown, ctx->d);
	return report(ctx->d, r, EXIT_FAILED);
}

int main(int argc, char **argv)
{
	struct kx_diag diag = { 0 };
	struct kx_notes notes = { 0 };
	struct kx_opts o;
	struct kx_machine m = { .root_fd = -1 };
	struct kx_ctx ctx = { .o = &o, .arch = &kx_arch_native, .m = &m, .d = &diag, .notes = &notes,
			      .argc = argc, .argv = argv };
	_cleanup_close_ int root_fd = -1;
	int r, rc = 0;

	ctx.kernel.fd = ctx.initrd.fd = ctx.dtb.fd = -1;
	r = kx_opts_parse(&o, argc, argv, &diag);
	if (r < 0) {
		fprintf(stderr, "kexec: %s\n", diag.msg);
		kx_usage(stdout);
		return EXIT_USAGE;
	}
	ctx.crash = o.crash && o.do_load;
	switch (o.action) {
	case KX_ACT_HELP:
		kx_usage(stdout);
		return 0;
	case KX_ACT_VERSION:
		printf("kexec-ng %s (kexec-tools compatible command line)\n", PACKAGE_VERSION);
		return 0;
	default:
		break;
	}

	root_fd = open(o.root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0) {
		fprintf(stderr, "kexec: --root %s: %s\n", o.root, strerror(errno));
		return EXIT_FATAL;
	}
	ctx.root_fd = root_fd;
	if (o.capture_root) {
		r = kx_capture_root(root_fd, o.capture_root, &diag);
		if (r < 0)
			return report(&diag, r, EXIT_FAILED);
		if (o.action == KX_ACT_CAPTURE)
			return 0;
	}

	switch (o.action) {
	case KX_ACT_STATUS: {
		int loaded;

		r = kx_machine_load(&m, root_fd, o.root, KX_MACHINE_STATUS, &diag);
		if (r < 0)
			return report(&diag, r, EXIT_FAILED);
		loaded = o.crash ? m.crash_loaded : m.kexec_loaded;
		if (loaded < 0) {
			fprintf(stderr, "kexec: %s: not available\n",
				kx_path_rel(o.crash ? KX_PATH_CRASH_LOADED_OLD : KX_PATH_KEXEC_LOADED_OLD));
			rc = EXIT_FAILED;
		} else {
			rc = loaded;
		}
		break;
	}
	case KX_ACT_PRINT_CKR:
		r = kx_machine_load(&m, root_fd, o.root, KX_MACHINE_BASE, &diag);
		if (r < 0)
			return report(&diag, r, EXIT_FAILED);
		/* stdout: kexec-tools' one number (the main region); the CMA part beside it, on stderr */
		printf("%llu\n", m.has_crash ? (unsigned long long)(m.crash_main.end - m.crash_main.start) : 0ULL);
		r = kx_machine_load_cma(&m, &diag);
		if (r < 0)
			return report(&diag, r, EXIT_FAILED);
		if (m.crash_cma.n || o.debug)
			fprintf(stderr, "kexec: crash memory: classic %llu bytes (main %llu, low %llu), CMA %llu bytes in %u range%s (%s)\n",
				(unsigned long long)kx_ranges_total(&m.crash),
				m.has_crash ? (unsigned long long)(m.crash_main.end - m.crash_main.start) : 0ULL,
				m.has_crash_low ? (unsigned long long)(m.crash_low.end - m.crash_low.start) : 0ULL,
				(unsigned long long)kx_cma_total(&m.crash_cma), m.crash_cma.n, m.crash_cma.n == 1 ? "" : "s",
				m.has_crash_cma_file ? kx_path_rel(m.crash_cma_path) : "this kernel exports no crash CMA ranges");
		break;
	case KX_ACT_RUN:
		rc = run(&ctx, root_fd);
		break;
	case KX_ACT_RELOAD:
		rc = do_reload(&ctx);
		break;
	default:
		break;
	}
	print_notes(&notes, o.debug);
	ctx_done(&ctx);
	kx_notes_done(&notes);
	return rc;
}
