/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dtb.c (arm64) - the device tree the next kernel boots with: the one the
 * running kernel booted with (sys/firmware/fdt, which on UEFI machines
 * carries the linux,uefi-* properties) or --dtb FILE, with /chosen
 * rewritten for this load through the fdt/ layer (libfdt): bootargs, the
 * initrd, and for kdump linux,elfcorehdr and linux,usable-memory-range
 * (main region first, then the crash CMA ranges, low region last), fresh kaslr-seed and rng-seed.
 */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "arm64-int.h"
#include "kfdt.h"


/* Random bytes for the seeds; a short read leaves the rest as it was (zero). */
static void seed(uint8_t *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = getrandom(buf + off, len - off, GRND_NONBLOCK);

		if (n <= 0)
			break;
		off += (size_t)n;
	}
}

int kx_arm64_dtb(struct kx_ctx *ctx, const struct kx_plan *plan, bool has_initrd, uint64_t initrd_start,
		 uint64_t initrd_end, void **ret, size_t *ret_len)
{
	struct kx_machine *m = ctx->m;
	struct kfdt_range usable[KX_ARM64_USABLE_MAX];
	struct kx_range u[KX_ARM64_USABLE_MAX];
	struct kfdt_kexec k = { 0 };
	uint8_t kaslr[8] = { 0 }, rng[64] = { 0 };
	const void *src;
	const char *name, *why = NULL;
	size_t src_len;
	unsigned i, n;
	int r;

	if (ctx->dtb.path) {
		src = ctx->dtb.buf;
		src_len = ctx->dtb.len;
		name = ctx->dtb.path;
	} else {
		r = kx_machine_load_firmware(m, ctx->arch->boot_data, ctx->d);
		if (r < 0)
			return r;
		if (!m->boot_data)
			return kx_diag_set(ctx->d, -ENOENT,
					   "%s: missing: arm64 kernels boot with a device tree; give one with --dtb=FILE",
					   kx_path_rel(KX_PATH_FDT));
		src = m->boot_data;
		src_len = m->boot_data_len;
		name = kx_path_rel(KX_PATH_FDT);
	}
	seed(kaslr, sizeof(kaslr));
	seed(rng, sizeof(rng));
	k.bootargs = plan->cmdline && *plan->cmdline ? plan->cmdline : NULL;
	k.has_initrd = has_initrd;
	k.initrd_start = initrd_start;
	k.initrd_end = initrd_end;
	if (ctx->crash) {
		k.has_elfcorehdr = 1;
		k.elfcorehdr_addr = ctx->elfcorehdr_mem;
		k.elfcorehdr_size = ctx->elfcorehdr_memsz;
		n = kx_arm64_usable(ctx, u);
		for (i = 0; i < n; i++)
			usable[i] = (struct kfdt_range){ u[i].start, u[i].end - u[i].start };
		k.usable = usable;
		k.n_usable = n;
	}
	k.kaslr_seed = kaslr;
	k.rng_seed = rng;
	k.rng_seed_len = sizeof(rng);
	k.extra_space = KFDT_EXTRA_SPACE;	/* room for later edits, as the kernel leaves */
	r = kfdt_kexec_build(src, src_len, &k, ret, ret_len, &why);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		char msg[256];

		snprintf(msg, sizeof(msg), "%s", why ? why : strerror(-r));	/* why is reused by the next kfdt call */
		return kx_diag_set(ctx->d, r, "%s: cannot build the next kernel's device tree: %s", name, msg);
	}
	return 0;
}
