/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * loader-image.c (arm64) - the arm64 boot protocol for kexec_load: a raw
 * Image (or one unwrapped from Image.gz, an EFI zboot PE or a vmlinux ELF)
 * at a 2 MiB-aligned base plus text_offset with image_size bytes free, the
 * initrd in the same 1 GiB-aligned 32 GiB window, and the device tree
 * (<= 2 MiB, 8-byte aligned) whose address the purgatory puts in x0.
 *
 * Placement: crash loads go top-down in the main crash region (the only
 * place the kernel accepts), kernel first, then initrd and device tree, so
 * that the segments sit packed at the top and the memory left below them,
 * the part most likely under the DMA limit, stays one block.  Normal loads
 * go bottom-up: without the image's "anywhere" flag, memory below the
 * kernel's base is lost to it.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "arm64-int.h"
#include "image.h"

#define SZ_2M (2ULL << 20)
#define SZ_1G (1ULL << 30)
#define SZ_32G (32ULL << 30)
#define DTB_MAX (2ULL << 20)
#define ARM64_CMDLINE_MAX 2048	/* COMMAND_LINE_SIZE, with the NUL */

static bool is_zboot(const uint8_t *b, size_t len)
{
	return len >= 8 && b[0] == 'M' && b[1] == 'Z' && !memcmp(b + 4, "zimg", 4);
}

static bool is_elf_arm64(const uint8_t *b, size_t len)
{
	return len >= sizeof(Elf64_Ehdr) && !memcmp(b, ELFMAG, SELFMAG) && b[EI_CLASS] == ELFCLASS64 &&
	       b[EI_DATA] == ELFDATA2LSB && (b[18] | b[19] << 8) == EM_AARCH64;
}

static int image_probe(const void *buf, size_t len, struct kx_diag *d)
{
	struct kx_arm64_image img;
	int r;

	if (is_zboot(buf, len) || is_elf_arm64(buf, len))
		return 0;
	r = kx_arm64_image_parse(buf, len, 0, &img, d);
	return r == -ENOEXEC ? -ENOEXEC : r < 0 ? r : 0;
}

/* Name the file in front of what a parser said about its fields. */
static int in_file(struct kx_diag *d, int r, const char *path, const char *fallback)
{
	char msg[sizeof(d->msg)];

	if (!d)
		return r;
	snprintf(msg, sizeof(msg), "%s", d->msg[0] ? d->msg : fallback);
	return kx_diag_reset(d, r, "%s: %s", path, msg);
}

/* Replace ctx->kernel's bytes with the unwrapped Image. */
static int unwrap(struct kx_ctx *ctx)
{
	struct kx_image *k = &ctx->kernel;
	const char *fmt = NULL;
	uint8_t *out;
	size_t len;
	int r;

	r = kx_arm64_unwrap(k->buf, k->len, KX_IMAGE_MAX, &out, &len, &fmt, ctx->d);
	if (r == -ENOEXEC)
		return 0;
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return in_file(ctx->d, r, k->path, strerror(-r));
	if (k->mapped)
		munmap(k->buf, k->len);
	else
		free(k->buf);
	k->buf = out;
	k->len = len;
	k->mapped = false;
	k->decompressed = true;
	kx_note(ctx->notes, KX_NOTE_DEBUG, "%s: %s, %zu bytes of Image", k->path, fmt ? fmt : "unwrapped", len);
	return 0;
}

static int image_check(struct kx_ctx *ctx)
{
	struct kx_arm64_image img;
	size_t cl = strlen(ctx->cmdline);
	int r;

	r = unwrap(ctx);
	if (r < 0)
		return r;
	r = kx_arm64_image_parse(ctx->kernel.buf, ctx->kernel.len, 0, &img, ctx->d);
	if (r < 0)
		return in_file(ctx->d, r == -ENOEXEC ? -EINVAL : r, ctx->kernel.path,
			       "the unwrapped kernel is not an arm64 Image");
	if (cl >= ARM64_CMDLINE_MAX) {
		ctx->final = true;
		return kx_diag_set(ctx->d, -EINVAL, "command line is %zu bytes; arm64 kernels take at most %d",
				   cl, ARM64_CMDLINE_MAX - 1);
	}
	return 0;
}

/* Where the Image may go: [base + text_offset, + image_size) with base 2 MiB aligned. */
static int place_kernel(struct kx_ctx *ctx, struct kx_plan *plan, const struct kx_arm64_image *img,
			uint64_t memsz)
{
	struct kx_place_req req = { .align = SZ_2M, .top_down = ctx->crash };
	uint64_t base;
	int r;

	if (!kx_align_up(img->text_offset + memsz, plan->page_size, &req.size))
		return -EOVERFLOW;
	r = kx_find_space(&plan->avail, &req, &base);
	if (r < 0)
		return kx_diag_set(ctx->d, r, "%s: no 2 MiB-aligned room for the kernel (%llu bytes from text_offset 0x%llx)%s",
				   ctx->kernel.path, (unsigned long long)memsz, (unsigned long long)img->text_offset,
				   ctx->crash ? " in the crash region" : "");
	r = kx_plan_add(plan, KX_SEG_KERNEL, ctx->kernel.buf, ctx->kernel.len, false, memsz,
			(struct kx_place_req){ .align = plan->page_size, .min = base + img->text_offset,
					       .max = base + req.size });
	if (r < 0)
		return kx_diag_set(ctx->d, r, "%s: placing the kernel at 0x%llx: %s", ctx->kernel.path,
				   (unsigned long long)(base + img->text_offset), strerror(-r));
	kx_plan_trim(plan, r);	/* image_size stays free; the kernel need not zero it on every load */
	return r;
}

static int place_initrd(struct kx_ctx *ctx, struct kx_plan *plan, uint64_t kbase, uint64_t kend)
{
	struct kx_place_req req = { .align = plan->page_size, .top_down = ctx->crash };
	uint64_t hi = kx_align_down(kbase, SZ_1G) + SZ_32G, lo = 0, up;
	int r;

	/* any 1 GiB-aligned window of 32 GiB that holds the kernel may hold the initrd */
	if (kx_align_up(kend, SZ_1G, &up) && up > SZ_32G)
		lo = up - SZ_32G;
	req.min = lo;
	req.max = hi < kbase ? 0 : hi;
	r = kx_plan_add(plan, KX_SEG_INITRD, ctx->initrd.buf, ctx->initrd.len, false, ctx->initrd.len, req);
	if (r < 0)
		return kx_diag_set(ctx->d, r, "%s: no room for the initrd (%zu bytes)%s within the kernel's 32 GiB window",
				   ctx->initrd.path, ctx->initrd.len, ctx->crash ? " in the crash region" : "");
	return r;
}

static int image_load(struct kx_ctx *ctx, struct kx_plan *plan)
{
	struct kx_arm64_image img;
	struct kx_arm64_dma dma;
	uint64_t memsz, kmem, istart = 0, iend = 0;
	void *dtb = NULL;
	size_t dtb_len = 0;
	int r, ki, di;

	r = kx_arm64_image_parse(ctx->kernel.buf, ctx->kernel.len, 0, &img, ctx->d);
	if (r < 0)
		return r;
	if (ctx->crash) {
		r = kx_arm64_dma_limit(ctx, &dma);
		if (r < 0)
			return r;
		r = kx_arm64_dma_check(ctx, &dma);
		if (r < 0)
			return r;
	}
	memsz = img.image_size;
	if (!memsz) {
		/* pre-3.17 kernels do not say how much they need past the file: leave as much again */
		if (!kx_align_up((uint64_t)ctx->kernel.len * 2, SZ_2M, &memsz))
			return -EOVERFLOW;
		kx_note(ctx->notes, KX_NOTE_INFO, "%s: image_size is 0 (a kernel older than 3.17): reserving %llu bytes",
			ctx->kernel.path, (unsigned long long)memsz);
	}
	if (memsz < ctx->kernel.len)
		memsz = ctx->kernel.len;
	plan->cmdline = strdup(ctx->cmdline);
	if (!plan->cmdline)
		return -ENOMEM;
	ki = place_kernel(ctx, plan, &img, memsz);
	if (ki < 0)
		return ki;
	kmem = plan->seg[ki].mem;
	if (ctx->initrd.path) {
		int ii = place_initrd(ctx, plan, kmem - img.text_offset,
				      kmem + plan->seg[ki].memsz + plan->seg[ki].kept_free);

		if (ii < 0)
			return ii;
		istart = plan->seg[ii].mem;
		iend = istart + ctx->initrd.len;
	}
	r = kx_arm64_dtb(ctx, plan, ctx->initrd.path != NULL, istart, iend, &dtb, &dtb_len);
	if (r < 0)
		return r;
	if (dtb_len > DTB_MAX) {
		free(dtb);
		return kx_diag_set(ctx->d, -E2BIG, "device tree: %zu bytes; the arm64 boot protocol takes at most 2 MiB",
				   dtb_len);
	}
	di = kx_plan_add(plan, KX_SEG_DTB, dtb, dtb_len, true, dtb_len,
			 (struct kx_place_req){ .align = 8, .top_down = true, .max = 0 });
	if (di < 0)
		return kx_diag_set(ctx->d, di, "device tree: no room for %zu bytes%s", dtb_len,
				   ctx->crash ? " in the crash region" : "");
	kx_note(ctx->notes, KX_NOTE_DEBUG, "Image: text_offset 0x%llx image_size 0x%llx flags 0x%llx (page size %s, %s)",
		(unsigned long long)img.text_offset, (unsigned long long)img.image_size,
		(unsigned long long)img.flags,
		img.page_size == 4096 ? "4K" : img.page_size == 16384 ? "16K" : img.page_size == 65536 ? "64K" : "unspecified",
		img.phys_anywhere ? "anywhere in memory" : "as low as possible");
	return 0;
}

const struct kx_loader kx_arm64_image_loader = {
	.name = "Image",
	.probe = image_probe,
	.check = image_check,
	.load = image_load,
};
