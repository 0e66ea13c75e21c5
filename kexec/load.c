/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * load.c - the order of a load: probe the image, prepare the crash pieces,
 * let the image loader add its segments, attach the purgatory, check.
 * Nothing here touches the kernel; commit.c does that with the plan.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ctx.h"
#include "decompress.h"
#include "purgatory.h"

/* A kernel file that is gzip as a whole (kexec-tools accepts those too). */
static int kernel_gunzip(struct kx_ctx *ctx)
{
	struct kx_image *k = &ctx->kernel;
	uint8_t *out;
	size_t len;
	int r;

	if (k->decompressed || !kx_is_gzip(k->buf, k->len))
		return 0;
	r = kx_gunzip(k->buf, k->len, KX_IMAGE_MAX, &out, &len);
	if (r < 0)
		return kx_diag_set(ctx->d, r, "%s: gzip data is %s", k->path,
				   r == -EINVAL ? "corrupt, truncated or followed by garbage" :
				   r == -EFBIG ? "more than 1 GiB decompressed" : strerror(-r));
	free(k->buf);
	k->buf = out;
	k->len = len;
	k->decompressed = true;
	kx_note(ctx->notes, KX_NOTE_DEBUG, "%s: gzip, %zu bytes decompressed", k->path, len);
	return 0;
}

int kx_loader_probe(struct kx_ctx *ctx)
{
	const struct kx_loader *const *l;
	const struct kx_image *k = &ctx->kernel;
	int r;

	r = kernel_gunzip(ctx);
	if (r < 0)
		return r;

	for (l = ctx->arch->loaders; *l; l++) {
		if (ctx->o->type && strcmp(ctx->o->type, (*l)->name))
			continue;
		r = (*l)->probe(k->buf, k->len, ctx->d);
		if (r == 0) {
			ctx->loader = *l;
			return 0;
		}
		if (r != -ENOEXEC) {
			char msg[sizeof(ctx->d->msg)] = "";

			if (ctx->d)
				snprintf(msg, sizeof(msg), "%s", ctx->d->msg);
			return kx_diag_reset(ctx->d, r, "%s: broken %s image%s%s", k->path, (*l)->name,
					     msg[0] ? ": " : "", msg);
		}
	}
	if (ctx->o->type && !ctx->loader) {
		for (l = ctx->arch->loaders; *l; l++)
			if (!strcmp(ctx->o->type, (*l)->name))
				return kx_diag_set(ctx->d, -ENOEXEC, "%s: not a %s image", k->path, ctx->o->type);
		return kx_diag_set(ctx->d, -EINVAL, "Unsupported kernel type %s", ctx->o->type);
	}
	return kx_diag_set(ctx->d, -ENOEXEC,
			   "%s: not a kernel image this kexec can load (Cannot determine the file type; %s takes %s)",
			   k->path, ctx->arch->name, ctx->arch->formats);
}

/*
 * Where segments may go: the main crash region for crash loads (the kernel
 * accepts nothing else), the arch's choice of RAM otherwise; then
 * --mem-min/--mem-max, in whole pages.
 */
static int plan_avail(struct kx_ctx *ctx, struct kx_plan *plan)
{
	const struct kx_machine *m = ctx->m;
	int r;

	if (ctx->crash) {
		r = kx_crash_require(ctx);
		if (r < 0)
			return r;
		r = kx_ranges_add(&plan->avail, m->crash_main.start, m->crash_main.end, KX_MEM_RAM);
	} else {
		r = ctx->arch->normal_avail(m, &plan->avail);
	}
	if (r < 0)
		return r;
	if (ctx->o->mem_min)
		r = kx_ranges_exclude(&plan->avail, 0, ctx->o->mem_min);
	if (r == 0 && ctx->o->mem_max && ctx->o->mem_max < UINT64_MAX)
		r = kx_ranges_exclude(&plan->avail, ctx->o->mem_max + 1, UINT64_MAX);
	kx_ranges_shrink(&plan->avail, plan->page_size);
	return r;
}

int kx_load_prepare(struct kx_ctx *ctx)
{
	int r;

	if (ctx->prepared)
		return 0;
	if (ctx->crash) {
		r = kx_crash_require(ctx);
		if (r < 0)
			return r;
		r = kx_crash_cma_select(ctx);
		if (r < 0)
			return r;
		/* what the kdump command line needs, for either syscall */
		r = kx_machine_load_hotplug(ctx->m, ctx->d);
		if (r < 0)
			return r;
		if (ctx->o->hotplug == KX_HOTPLUG_ON && (!ctx->m->has_elfcorehdr_size || !ctx->arch->hotplug_flag))
			return kx_diag_set(ctx->d, -EOPNOTSUPP,
					   "--hotplug: %s is missing: this kernel cannot rewrite the crash header itself (it needs CONFIG_CRASH_HOTPLUG); without --hotplug, kexec --reload-elfcorehdr does it from udev",
					   kx_path_rel(KX_PATH_ELFCOREHDR_SIZE_OLD));
		if (ctx->arch->kdump_cmdline) {
			r = ctx->arch->kdump_cmdline(ctx);
			if (r < 0)
				return r;
		}
	}
	if (!ctx->loader) {
		r = kx_loader_probe(ctx);
		if (r < 0)
			return r;
	}
	if (ctx->loader->check) {
		r = ctx->loader->check(ctx);
		if (r < 0)
			return r;
	}
	ctx->prepared = true;
	return 0;
}

/*
 * The machine facts only a kexec_load plan needs: the crash header's
 * sources for crash loads (required), proc/kcore for normal ones (optional:
 * the arch checks what it can without it), and the firmware state the next
 * kernel is handed (its boot data, firmware memory map, EFI).
 */
static int load_facts(struct kx_ctx *ctx)
{
	struct kx_machine *m = ctx->m;
	struct kx_diag scratch = { 0 };
	int r;

	if (ctx->crash) {
		r = kx_machine_load_crash(m, ctx->d);
	} else {
		r = kx_machine_load_kcore(m, &scratch);
		if (r < 0)
			kx_note(ctx->notes, KX_NOTE_DEBUG, "%s (a normal load does without it)", scratch.msg);
		r = 0;
	}
	if (r < 0)
		return r;
	return kx_machine_load_firmware(m, ctx->arch->boot_data, ctx->d);
}

int kx_load_plan(struct kx_ctx *ctx, struct kx_plan *plan)
{
	struct kx_check_limits lim;
	int r;

	plan->syscall = KX_SYS_KEXEC_LOAD;
	plan->flags = ctx->arch->kexec_arch | (ctx->crash ? KX_KEXEC_ON_CRASH : 0);
	r = kx_load_prepare(ctx);
	if (r < 0)
		return r;
	r = load_facts(ctx);
	if (r < 0)
		return r;
	plan->page_size = kx_machine_page_size(ctx->m);
	r = plan_avail(ctx, plan);
	if (r < 0)
		return r;
	if (ctx->crash) {
		r = kx_crash_prepare(ctx, plan);
		if (r < 0)
			return r;
	}
	r = ctx->loader->load(ctx, plan);
	if (r < 0)
		return r;
	r = kx_purgatory_attach(ctx, plan);
	if (r < 0)
		return r;
	if (ctx->arch->finish) {
		r = ctx->arch->finish(ctx, plan);
		if (r < 0)
			return r;
	}
	lim = (struct kx_check_limits){ .crash_region = ctx->m->crash_main, .ram = &ctx->m->ram };
	r = kx_plan_check(plan, &lim, ctx->d);
	if (r < 0)
		return r;
	/* segments go only into the main crash region, which no CMA range overlaps: say so if that ever changes */
	return kx_crash_cma_check_segments(ctx, plan);
}

/* A sealed memfd holding @buf, for kexec_file_load of bytes that are not the file's. */
static int memfd_of(const char *name, const void *buf, size_t len, struct kx_diag *d)
{
	_cleanup_close_ int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	size_t off = 0;

	if (fd < 0)
		return kx_diag_set(d, -errno, "memfd_create: %s", strerror(errno));
	while (off < len) {
		ssize_t n = write(fd, (const char *)buf + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return kx_diag_set(d, n < 0 ? -errno : -EIO, "memfd write: %s", strerror(errno));
		off += (size_t)n;
	}
	fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
	return TAKE_FD(fd);
}

int kx_file_plan(struct kx_ctx *ctx, struct kx_plan *plan)
{
	int r;

	plan->syscall = KX_SYS_KEXEC_FILE_LOAD;
	plan->file_flags = ctx->crash ? KX_FILE_ON_CRASH : 0;
	r = kx_load_prepare(ctx);
	if (r < 0)
		return r;
	if (ctx->crash) {
		r = kx_crash_cma_file(ctx);
		if (r < 0)
			return r;
	}
	plan->cmdline = strdup(ctx->cmdline);
	if (!plan->cmdline)
		return -ENOMEM;
	/* the original fd keeps IMA's view of the file; decompressed bytes go in a memfd */
	if (ctx->kernel.decompressed)
		r = memfd_of("kexec-kernel", ctx->kernel.buf, ctx->kernel.len, ctx->d);
	else {
		r = fcntl(ctx->kernel.fd, F_DUPFD_CLOEXEC, 0);
		if (r < 0)
			r = -errno;
	}
	if (r < 0)
		return kx_diag_set(ctx->d, r, "%s: %s", ctx->kernel.path, strerror(-r));
	plan->kernel_fd = r;
	if (ctx->initrd.path) {
		r = fcntl(ctx->initrd.fd, F_DUPFD_CLOEXEC, 0);
		if (r < 0)
			return kx_diag_set(ctx->d, -errno, "%s: %s", ctx->initrd.path, strerror(errno));
		plan->initrd_fd = r;
	} else {
		plan->file_flags |= KX_FILE_NO_INITRAMFS;
	}
	return 0;
}
