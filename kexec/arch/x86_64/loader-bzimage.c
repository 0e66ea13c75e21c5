/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * loader-bzimage.c (x86_64) - the 64-bit relocatable bzImage: boot
 * protocol >= 2.12, XLF_KERNEL_64, entered at startup_64 (+0x200) with
 * %rsi = boot_params.  Segments: kernel (init_size), initrd, setup
 * (boot_params + command line + setup_data: SETUP_E820_EXT past 128
 * memory map entries, SETUP_EFI and the EFI runtime map on EFI machines,
 * SETUP_DTB for --dtb).  An image without XLF_CAN_BE_LOADED_ABOVE_4G
 * is kept below 4 GiB, with its boot data and initrd.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootparam.h"
#include "kfdt.h"
#include "x86.h"

#define MIN_KERNEL_ADDR (1ULL << 20)

static size_t setup_bytes(const uint8_t *b)
{
	unsigned s = bp_get8(b, BP_SETUP_SECTS);

	return (size_t)((s ? s : 4) + 1) * 512;
}

static int bz_probe(const void *buf, size_t len, struct kx_diag *d)
{
	const uint8_t *b = buf;
	uint16_t ver, xlf;
	size_t setup, payload;

	if (len < 0x260 + 4 || bp_get16(b, BP_BOOT_FLAG) != 0xaa55 || memcmp(b + BP_HEADER_MAGIC, "HdrS", 4))
		return -ENOEXEC;
	ver = bp_get16(b, BP_VERSION);
	if (ver < 0x020c)
		return kx_diag_set(d, -ENOEXEC, "bzImage: boot protocol %u.%02u is older than 2.12 (setup_header.version)",
				   ver >> 8, ver & 0xff);
	xlf = bp_get16(b, BP_XLOADFLAGS);
	if (!(xlf & XLF_KERNEL_64))
		return kx_diag_set(d, -ENOEXEC, "bzImage: no 64-bit entry point (setup_header.xloadflags lacks XLF_KERNEL_64)");
	if (!(bp_get8(b, BP_LOADFLAGS) & LOADED_HIGH))
		return kx_diag_set(d, -ENOEXEC, "bzImage: a zImage (setup_header.loadflags lacks LOADED_HIGH)");
	if (!bp_get8(b, BP_RELOCATABLE))
		return kx_diag_set(d, -ENOEXEC, "bzImage: not relocatable (setup_header.relocatable_kernel = 0)");
	setup = setup_bytes(b);
	payload = (size_t)bp_get32(b, BP_SYSSIZE) * 16;
	if (len < setup + payload)
		return kx_diag_set(d, -EINVAL,
				   "bzImage: truncated: %zu bytes, but the setup header says %zu (setup_sects and syssize)",
				   len, setup + payload);
	if (!kx_is_pow2(bp_get32(b, BP_KERNEL_ALIGNMENT)))
		return kx_diag_set(d, -EINVAL, "bzImage: setup_header.kernel_alignment 0x%x is not a power of two",
				   bp_get32(b, BP_KERNEL_ALIGNMENT));
	if (!bp_get32(b, BP_CMDLINE_SIZE))
		return kx_diag_set(d, -EINVAL, "bzImage: setup_header.cmdline_size is 0");
	return 0;
}

/* elfcorehdr= goes first, like the kernel's kexec_file does */
static int final_cmdline(const struct kx_ctx *ctx, char **ret)
{
	char *s;
	int n;

	if (ctx->crash)
		n = asprintf(&s, "elfcorehdr=0x%llx%s%s", (unsigned long long)ctx->elfcorehdr_mem,
			     *ctx->cmdline ? " " : "", ctx->cmdline);
	else
		n = asprintf(&s, "%s", ctx->cmdline);
	if (n < 0)
		return -ENOMEM;
	*ret = s;
	return 0;
}

static int hex_digits(uint64_t v)
{
	int n = 1;

	while (v >>= 4)
		n++;
	return n;
}

/*
 * The command line must fit setup_header.cmdline_size for either syscall.
 * A crash load adds "elfcorehdr=0x<address> " in front; the header lies in
 * the crash region, so its address has at most as many digits as the
 * region's last byte (the exact check follows in bz_load).
 */
static int bz_check(struct kx_ctx *ctx)
{
	const uint8_t *img = ctx->kernel.buf;
	uint32_t max = bp_get32(img, BP_CMDLINE_SIZE);
	size_t len = strlen(ctx->cmdline);

	if (ctx->crash)
		len += strlen("elfcorehdr=0x ") + (size_t)hex_digits(ctx->m->crash_main.end - 1);
	if (len > max)
		return kx_diag_set(ctx->d, -E2BIG,
				   "%s: the command line is %zu bytes%s, the kernel takes at most %u (setup_header.cmdline_size)",
				   ctx->kernel.path, len, ctx->crash ? " with elfcorehdr=" : "", max);
	return 0;
}

/*
 * A 5-level paging kernel can only kexec into an image that handles it
 * (the kernel's bzImage64_probe refuses it too).  VMCOREINFO says whether
 * 5-level paging is on; a normal load without proc/kcore cannot tell.
 */
static int check_paging(struct kx_ctx *ctx, uint16_t xlf)
{
	uint64_t l5 = 0;

	if (xlf & XLF_5LEVEL)
		return 0;
	if (kx_vmcoreinfo_u64(ctx->m, "NUMBER(pgtable_l5_enabled)", 10, &l5) == 0) {
		if (l5)
			return kx_diag_set(ctx->d, -ENOEXEC,
					   "%s: the running kernel uses 5-level paging, but the image cannot (setup_header.xloadflags lacks XLF_5LEVEL)",
					   ctx->kernel.path);
		return 0;
	}
	kx_note(ctx->notes, KX_NOTE_WARN,
		"%s: the image cannot run with 5-level paging (no XLF_5LEVEL), and without %s's VMCOREINFO kexec cannot tell whether the running kernel uses it; if it does, the next kernel will not boot",
		ctx->kernel.path, kx_path_rel(KX_PATH_KCORE));
	return 0;
}

/* Where the pieces of the setup segment go: boot_params, then 16-byte aligned parts. */
struct setup_layout {
	size_t cmdline, ext, ext_len, efimap, efimap_len, efisd, dtb, dtb_len, total;
};

static size_t put_part(struct setup_layout *l, size_t len)
{
	size_t off = (l->total + 15) & ~(size_t)15;

	l->total = off + len;
	return off;
}

static int bz_load(struct kx_ctx *ctx, struct kx_plan *plan)
{
	const uint8_t *img = ctx->kernel.buf;
	struct kx_diag *d = ctx->d;
	_cleanup_(kx_ranges_done) struct kx_ranges normal_map = { 0 };
	const struct kx_ranges *map;
	struct setup_layout lay = { 0 };
	size_t koff = setup_bytes(img), cl_len;
	uint32_t cl_max = bp_get32(img, BP_CMDLINE_SIZE);
	uint64_t kalign = bp_get32(img, BP_KERNEL_ALIGNMENT), pref = bp_get64(img, BP_PREF_ADDRESS);
	uint64_t memsz = bp_get32(img, BP_INIT_SIZE), smem, kmem;
	uint16_t xlf = bp_get16(img, BP_XLOADFLAGS);
	/* an image without XLF_CAN_BE_LOADED_ABOVE_4G must stay below 4 GiB, with its boot data */
	uint64_t below = (xlf & XLF_CAN_BE_LOADED_ABOVE_4G) ? 0 : 1ULL << 32;
	const char *why4g = below ? " below 4 GiB (setup_header.xloadflags lacks XLF_CAN_BE_LOADED_ABOVE_4G)" : "";
	int efi, i, r;
	uint8_t *bp;

	r = check_paging(ctx, xlf);
	if (r < 0)
		return r;
	r = final_cmdline(ctx, &plan->cmdline);
	if (r < 0)
		return r;
	cl_len = strlen(plan->cmdline);
	if (cl_len > cl_max)
		return kx_diag_set(d, -E2BIG,
				   "%s: the command line is %zu bytes, the kernel takes at most %u (setup_header.cmdline_size)",
				   ctx->kernel.path, cl_len, cl_max);

	/* kernel: the protected-mode part, room for init_size, at its alignment */
	if (memsz < ctx->kernel.len - koff)
		memsz = ctx->kernel.len - koff;
	i = kx_plan_add(plan, KX_SEG_KERNEL, ctx->kernel.buf + koff, ctx->kernel.len - koff, false, memsz,
			(struct kx_place_req){ .align = kalign, .max = below, .top_down = ctx->crash,
					       .min = pref > MIN_KERNEL_ADDR && !ctx->crash ? pref : MIN_KERNEL_ADDR });
	if (i == -ENOSPC && pref > MIN_KERNEL_ADDR && !ctx->crash)
		i = kx_plan_add(plan, KX_SEG_KERNEL, ctx->kernel.buf + koff, ctx->kernel.len - koff, false, memsz,
				(struct kx_place_req){ .align = kalign, .min = MIN_KERNEL_ADDR, .max = below });
	if (i < 0)
		return kx_diag_set(d, i, "%s: no room for the kernel (init_size 0x%llx, alignment 0x%llx)%s%s",
				   ctx->kernel.path, (unsigned long long)memsz, (unsigned long long)kalign,
				   ctx->crash ? " in the crash region" : "", why4g);
	kmem = plan->seg[i].mem;
	/*
	 * Crash loads: init_size stays free but the kernel need not zero it on
	 * every load (most of a reload's time).  Only here: the kernel puts
	 * its kexec control pages (relocate_kernel and the identity page
	 * tables still live when startup_64 runs) in the lowest free pages of
	 * the crash region, so the kernel goes to the top (above) and they
	 * land below it, never in the init_size the decompressor overwrites.
	 * A normal load's control pages come from anywhere outside the
	 * segments: there the whole init_size stays a segment.
	 */
	if (ctx->crash)
		kx_plan_trim(plan, i);

	/* the memory map the next kernel gets */
	if (ctx->crash) {
		map = &plan->kdump_memmap;
	} else {
		r = kx_x86_normal_memmap(ctx, &normal_map);
		if (r < 0)
			return r;
		map = &normal_map;
	}
	efi = kx_x86_efi_decide(ctx);

	/* setup segment: boot_params, command line, then setup_data: E820_EXT, EFI (+ its map), DTB */
	lay.total = BP_SIZE;
	lay.cmdline = put_part(&lay, cl_len + 1);
	if (map->n > BP_E820_MAX) {
		lay.ext_len = 16 + (map->n - BP_E820_MAX) * BP_E820_ENTRY_SIZE;
		lay.ext = put_part(&lay, lay.ext_len);
	}
	if (efi) {
		lay.efimap_len = ctx->m->efi.n_rtmap * EFI_MEMDESC_SIZE;
		lay.efimap = put_part(&lay, lay.efimap_len);
		lay.efisd = put_part(&lay, 16 + SETUP_EFI_LEN);
	}
	if (ctx->dtb.path) {
		const char *why;

		if (kfdt_check(ctx->dtb.buf, ctx->dtb.len, &why) < 0)
			return kx_diag_set(d, -EINVAL, "%s: not a valid flattened device tree: %s", ctx->dtb.path, why);
		lay.dtb_len = kfdt_size(ctx->dtb.buf);
		lay.dtb = put_part(&lay, 16 + lay.dtb_len);
	}
	bp = calloc(1, lay.total);
	if (!bp)
		return -ENOMEM;
	i = kx_plan_add(plan, KX_SEG_SETUP, bp, lay.total, true, lay.total,
			(struct kx_place_req){ .align = 16, .min = 0x3000, .max = below });
	if (i < 0)
		return kx_diag_set(d, i, "no room for boot_params and the command line (%zu bytes)%s", lay.total, why4g);
	smem = plan->seg[i].mem;
	r = kx_x86_setup_boot_params(ctx, bp);
	if (r < 0)
		return r;
	memcpy(bp + lay.cmdline, plan->cmdline, cl_len + 1);
	bp_put32(bp, BP_CMD_LINE_PTR, (uint32_t)(smem + lay.cmdline));
	bp_put32(bp, BP_EXT_CMD_LINE_PTR, (uint32_t)((smem + lay.cmdline) >> 32));
	if (lay.dtb) {
		/* struct setup_data { u64 next; u32 type; u32 len; u8 data[]; } */
		bp_put64(bp + lay.dtb, 0, bp_get64(bp, BP_SETUP_DATA));
		bp_put32(bp + lay.dtb, 8, SETUP_DTB);
		bp_put32(bp + lay.dtb, 12, (uint32_t)lay.dtb_len);
		memcpy(bp + lay.dtb + 16, ctx->dtb.buf, lay.dtb_len);
		bp_put64(bp, BP_SETUP_DATA, smem + lay.dtb);
	}
	if (efi)
		kx_x86_efi_fill(ctx, bp, bp + lay.efimap, smem + lay.efimap, bp + lay.efisd, smem + lay.efisd);
	kx_x86_e820_fill(map, bp, bp + lay.ext, smem + lay.ext);

	if (ctx->initrd.path) {
		uint64_t max = below ? (uint64_t)bp_get32(img, BP_INITRD_ADDR_MAX) + 1 : 0;
		uint64_t imem;

		i = kx_plan_add(plan, KX_SEG_INITRD, ctx->initrd.buf, ctx->initrd.len, false, ctx->initrd.len,
				(struct kx_place_req){ .align = plan->page_size, .min = kmem, .max = max });
		if (i < 0)
			i = kx_plan_add(plan, KX_SEG_INITRD, ctx->initrd.buf, ctx->initrd.len, false,
					ctx->initrd.len, (struct kx_place_req){ .align = plan->page_size, .max = max });
		if (i < 0)
			return kx_diag_set(d, i, "%s: no room for the initrd (%zu bytes)%s%s", ctx->initrd.path,
					   ctx->initrd.len, ctx->crash ? " in the crash region" : "",
					   below ? " below setup_header.initrd_addr_max" : "");
		imem = plan->seg[i].mem;
		bp_put32(bp, BP_RAMDISK_IMAGE, (uint32_t)imem);
		bp_put32(bp, BP_EXT_RAMDISK_IMAGE, (uint32_t)(imem >> 32));
		bp_put32(bp, BP_RAMDISK_SIZE, (uint32_t)ctx->initrd.len);
		bp_put32(bp, BP_EXT_RAMDISK_SIZE, (uint32_t)((uint64_t)ctx->initrd.len >> 32));
	}
	return 0;
}

const struct kx_loader kx_x86_bzimage64 = {
	.name = "bzImage64",
	.probe = bz_probe,
	.check = bz_check,
	.load = bz_load,
};
