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

/* kexec_load refusals after which -a tries kexec_file_load */
static bool load_refused(int err)
{
	return err == -EPERM || err == -EACCES || err == -ENOSYS;
}

/* kexec_file_load errors that mean "this syscall can't do it" (exit 253 with -s) */
static bool file_unusable(int err)
{
	return err == -ENOSYS || err == -EINVAL || err == -ENOEXEC || err == -EOPNOTSUPP;
}

static int do_file_load(struct kx_ctx *ctx, bool explicit_s)
{
	_cleanup_(kx_plan_done) struct kx_plan plan;
	int r;

	kx_plan_init(&plan);
	r = kx_file_plan(ctx, &plan);
	if (r < 0)
		return report(ctx->d, r, r == -EADDRNOTAVAIL ? EXIT_FATAL : EXIT_FAILED);
	if (ctx->o->dry_run) {
		r = kx_plan_print(ctx, &plan, ctx->o->json, stdout);
		return r < 0 ? report(ctx->d, r, EXIT_FAILED) : 0;
	}
	dbg("kexec_file_load(kernel fd %d%s, initrd fd %d, cmdline %zu bytes, flags 0x%lx)", plan.kernel_fd,
	    ctx->kernel.decompressed ? " memfd" : "", plan.initrd_fd, strlen(plan.cmdline) + 1, plan.file_flags);
	r = kx_commit_file_load(&kx_sys_real, ctx->arch, &plan, ctx->d);
	if (r < 0)
		return report(ctx->d, r, explicit_s && file_unusable(r) ? EXIT_FALLBACK : EXIT_FAILED);
	return 0;
}

static int do_load(struct kx_ctx *ctx)
{
	_cleanup_(kx_plan_done) struct kx_plan plan;
	int r;

	kx_plan_init(&plan);
	if (ctx->o->sysmode == KX_SYS_FILE_ONLY) {
		dbg("using kexec_file_load (-s)");
		return do_file_load(ctx, true);
	}
	r = kx_load_plan(ctx, &plan);
	if (r < 0)
		return report(ctx->d, r, r == -EADDRNOTAVAIL && !ctx->m->has_crash ? EXIT_FATAL : EXIT_FAILED);
	if (ctx->o->dry_run) {
		r = kx_plan_print(ctx, &plan, ctx->o->json, stdout);
		return r < 0 ? report(ctx->d, r, EXIT_FAILED) : 0;
	}
	dbg("using kexec_load (%s): %zu segments, entry 0x%llx, flags 0x%lx",
	    ctx->o->sysmode == KX_SYS_LOAD_ONLY ? "-c" : "default -a: our purgatory and crash header",
	    plan.n_seg, (unsigned long long)plan.entry, plan.flags);
	r = kx_commit_load(&kx_sys_real, ctx->arch, &plan, ctx->d);
	if (r == 0)
		return 0;
	if (ctx->o->sysmode == KX_SYS_AUTO && load_refused(r)) {
		fprintf(stderr, "kexec: %s; trying kexec_file_load\n", ctx->d->msg);
		*ctx->d = (struct kx_diag){ 0 };
		return do_file_load(ctx, false);
	}
	return report(ctx->d, r, EXIT_FAILED);
}

static int do_unload(struct kx_ctx *ctx)
{
	const struct kx_opts *o = ctx->o;
	bool file = o->sysmode == KX_SYS_FILE_ONLY;
	int r;

	if (o->dry_run) {
		printf("kexec-ng plan (dry run): unload the %s image with %s\n", o->crash ? "crash" : "normal",
		       file ? "kexec_file_load" : "kexec_load");
		return 0;
	}
	r = kx_commit_unload(&kx_sys_real, ctx->arch, o->crash, file, ctx->d);
	if (r < 0 && o->sysmode == KX_SYS_AUTO && load_refused(r)) {
		dbg("%s; unloading with kexec_file_load", ctx->d->msg);
		*ctx->d = (struct kx_diag){ 0 };
		r = kx_commit_unload(&kx_sys_real, ctx->arch, o->crash, true, ctx->d);
	}
	return r < 0 ? report(ctx->d, r, EXIT_FAILED) : 0;
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
	if (ctx->o->dtb)
		return kx_diag_set(ctx->d, -EINVAL, "--dtb: the x86_64 bzImage loader does not pass a device tree");
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
			fprintf(stderr, "kexec: sys/kernel/%s: not available\n", o.crash ? "kexec_crash_loaded" : "kexec_loaded");
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
	free(ctx.cmdline);
	kx_machine_done(&m);
	return rc;
}
