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

#define EXIT_USAGE 1
#define EXIT_FATAL 1
#define EXIT_FAILED 255
#define EXIT_FALLBACK 253

static bool debug;

static void dbg(const char *fmt, ...) _printf_(1, 2);
static void dbg(const char *fmt, ...)
{
	va_list ap;

	if (!debug)
		return;
	va_start(ap, fmt);
	fputs("kexec: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static int report(const struct kx_diag *d, int err, int code)
{
	if (d->err)
		fprintf(stderr, "kexec: %s\n", d->msg);
	else
		fprintf(stderr, "kexec: %s\n", strerror(-err));
	return code;
}

/* Exit code of a failed load or unload (kexec-tools' codes). */
static int load_exit(const struct kx_ctx *ctx, const struct kx_outcome *o)
{
	if (o->fell_back)
		fprintf(stderr, "kexec: %s; tried kexec_file_load instead\n", o->why);
	if (o->stage == KX_STAGE_PLAN && o->err == -EADDRNOTAVAIL && !ctx->m->has_crash)
		return report(ctx->d, o->err, EXIT_FATAL);	/* no crashkernel= */
	if (o->stage == KX_STAGE_SYSCALL && o->syscall == KX_SYS_KEXEC_FILE_LOAD &&
	    ctx->o->sysmode == KX_SYS_FILE_ONLY && kx_file_unusable(o->err))
		return report(ctx->d, o->err, EXIT_FALLBACK);
	return report(ctx->d, o->err, EXIT_FAILED);
}

static int do_load(struct kx_ctx *ctx)
{
	struct kx_outcome o;

	if (kx_action_load(ctx, &kx_sys_real, stdout, &o) < 0)
		return load_exit(ctx, &o);
	if (o.fell_back)
		fprintf(stderr, "kexec: %s; loaded with kexec_file_load instead\n", o.why);
	dbg("loaded with %s (%s)", o.syscall == KX_SYS_KEXEC_FILE_LOAD ? "kexec_file_load" : "kexec_load",
	    ctx->o->sysmode == KX_SYS_FILE_ONLY ? "-s" : ctx->o->sysmode == KX_SYS_LOAD_ONLY ? "-c" :
	    o.fell_back ? "-a: kexec_load was refused" : "default -a: our purgatory and crash header");
	return 0;
}

static int do_unload(struct kx_ctx *ctx)
{
	struct kx_outcome o;

	if (kx_action_unload(ctx, &kx_sys_real, stdout, &o) < 0)
		return load_exit(ctx, &o);
	dbg("unloaded the %s image with %s%s", ctx->o->crash ? "crash" : "normal",
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

int main(int argc, char **argv)
{
	struct kx_diag diag = { 0 };
	struct kx_opts o;
	struct kx_machine m = { .root_fd = -1 };
	struct kx_ctx ctx = { .o = &o, .arch = &kx_arch_native, .m = &m, .d = &diag };
	_cleanup_close_ int root_fd = -1;
	int r, rc = 0;

	ctx.kernel.fd = ctx.initrd.fd = ctx.dtb.fd = -1;
	r = kx_opts_parse(&o, argc, argv, &diag);
	if (r < 0) {
		fprintf(stderr, "kexec: %s\n", diag.msg);
		kx_usage(stdout);
		return EXIT_USAGE;
	}
	debug = o.debug;
	ctx.crash = o.crash && o.action != KX_ACT_STATUS;
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
		r = kx_machine_load(&m, root_fd, o.root, 0, &diag);
		if (r < 0)
			return report(&diag, r, EXIT_FAILED);
		printf("%llu\n", m.has_crash ? (unsigned long long)(m.crash_main.end - m.crash_main.start) : 0ULL);
		break;
	case KX_ACT_UNLOAD:
		rc = do_unload(&ctx);
		break;
	case KX_ACT_EXEC:
		r = kx_machine_load(&m, root_fd, o.root, KX_MACHINE_STATUS, &diag);
		if (r < 0)
			return report(&diag, r, EXIT_FAILED);
		if (m.kexec_loaded == 0) {
			fprintf(stderr, "kexec: Nothing has been loaded!\n");
			return EXIT_FATAL;
		}
		if (o.dry_run) {
			printf("kexec-ng plan (dry run): reboot into the loaded kernel%s%s\n",
			       o.no_sync ? "" : " after sync", o.no_ifdown ? "" : " and ifdown");
			break;
		}
		r = kx_commit_exec(&kx_sys_real, o.no_sync, o.no_ifdown, &diag);
		rc = report(&diag, r, EXIT_FAILED);
		break;
	case KX_ACT_LOAD:
	case KX_ACT_LOAD_CRASH:
	case KX_ACT_LOAD_REBOOT:
		if (!o.kernel) {
			fprintf(stderr, "kexec: No kernel specified\n");
			kx_usage(stdout);
			return EXIT_FAILED;
		}
		r = kx_machine_load(&m, root_fd, o.root, ctx.crash ? KX_MACHINE_CRASH : 0, &diag);
		if (r < 0) {
			rc = report(&diag, r, EXIT_FAILED);
			break;
		}
		r = open_images(&ctx);
		if (r < 0) {
			rc = report(&diag, r, EXIT_FATAL);
			break;
		}
		rc = do_load(&ctx);
		if (rc || o.action != KX_ACT_LOAD_REBOOT || o.dry_run)
			break;
		if (o.force) {
			r = kx_commit_exec(&kx_sys_real, o.no_sync, o.no_ifdown, &diag);
			rc = report(&diag, r, EXIT_FAILED);
		} else {
			r = kx_commit_shutdown(&diag);
			rc = report(&diag, r, EXIT_FAILED);
		}
		break;
	default:
		break;
	}
	kx_image_done(&ctx.kernel);
	kx_image_done(&ctx.initrd);
	kx_image_done(&ctx.dtb);
	free(ctx.cmdline);
	kx_machine_done(&m);
	return rc;
}
