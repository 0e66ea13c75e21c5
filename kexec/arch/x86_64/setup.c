/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * setup.c (x86_64) - boot_params ("zero page") for the next kernel: the
 * image's own setup header, what the running kernel's boot_params says
 * about firmware (screen_info, ACPI RSDP), and the e820 memory map.
 */
#include <string.h>

#include "bootparam.h"
#include "x86.h"

uint32_t kx_x86_e820_type(enum kx_mem_type t)
{
	switch (t) {
	case KX_MEM_RAM: return E820_RAM;
	case KX_MEM_ACPI: return E820_ACPI;
	case KX_MEM_NVS: return E820_NVS;
	case KX_MEM_UNUSABLE: return E820_UNUSABLE;
	case KX_MEM_PMEM: return E820_PMEM;
	case KX_MEM_PRAM: return E820_PRAM;
	case KX_MEM_SOFT_RESERVED: return E820_SOFT_RESERVED;
	default: return E820_RESERVED;
	}
}

static void e820_put(uint8_t *e, const struct kx_range *r)
{
	bp_put64(e, 0, r->start);
	bp_put64(e, 8, r->end - r->start);
	bp_put32(e, 16, kx_x86_e820_type(r->type));
}

/*
 * The first 128 entries go into boot_params; the rest into a SETUP_E820_EXT
 * setup_data at @ext (physical @ext_addr), which must hold
 * 16 + 20 * (n - 128) bytes when n > 128.
 */
void kx_x86_e820_fill(const struct kx_ranges *map, uint8_t *bp, uint8_t *ext, uint64_t ext_addr)
{
	size_t i, n = map->n;

	bp_put8(bp, BP_E820_ENTRIES, (uint8_t)(n > BP_E820_MAX ? BP_E820_MAX : n));
	for (i = 0; i < n && i < BP_E820_MAX; i++)
		e820_put(bp + BP_E820_TABLE + i * BP_E820_ENTRY_SIZE, &map->v[i]);
	if (n <= BP_E820_MAX)
		return;
	bp_put64(ext, 0, bp_get64(bp, BP_SETUP_DATA));	/* next: keep any existing chain */
	bp_put32(ext, 8, SETUP_E820_EXT);
	bp_put32(ext, 12, (uint32_t)((n - BP_E820_MAX) * BP_E820_ENTRY_SIZE));
	for (i = BP_E820_MAX; i < n; i++)
		e820_put(ext + 16 + (i - BP_E820_MAX) * BP_E820_ENTRY_SIZE, &map->v[i]);
	bp_put64(bp, BP_SETUP_DATA, ext_addr);
}

int kx_x86_normal_memmap(struct kx_ctx *ctx, struct kx_ranges *out)
{
	const struct kx_machine *m = ctx->m;
	size_t i;
	int r;

	/*
	 * The firmware's own map, which mem=, memmap= and the running kernel's
	 * reservations do not shrink, as kexec-tools does; proc/iomem only
	 * where the kernel exports no firmware map.
	 */
	if (m->has_fw_memmap) {
		kx_note(ctx->notes, KX_NOTE_DEBUG, "next kernel's e820: %s (%zu entries)",
			"sys/firmware/memmap", m->fw_memmap.n);
		return kx_ranges_copy(out, &m->fw_memmap);
	}
	kx_note(ctx->notes, KX_NOTE_DEBUG, "next kernel's e820: %s (no sys/firmware/memmap)", kx_path_rel(KX_PATH_IOMEM));
	r = kx_ranges_copy(out, &m->ram);
	if (r < 0)
		return r;
	/* firmware ranges win where iomem nests them inside RAM */
	r = kx_ranges_exclude_all(out, &m->firmware);
	if (r < 0)
		return r;
	for (i = 0; i < m->firmware.n; i++) {
		r = kx_ranges_add(out, m->firmware.v[i].start, m->firmware.v[i].end, m->firmware.v[i].type);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The ACPI RSDP: the running kernel's boot_params, else EFI's systab (ACPI 2.0 first). */
static uint64_t rsdp(struct kx_ctx *ctx)
{
	const struct kx_machine *m = ctx->m;
	uint64_t a = 0;

	if (m->boot_data && m->boot_data_len >= BP_SIZE)
		a = bp_get64(m->boot_data, BP_ACPI_RSDP_ADDR);
	if (a)
		return a;
	a = m->efi.acpi20 ? m->efi.acpi20 : m->efi.acpi;
	if (a)
		kx_note(ctx->notes, KX_NOTE_DEBUG, "boot_params.acpi_rsdp_addr is 0; the RSDP 0x%llx comes from %s (%s)",
			(unsigned long long)a, kx_path_rel(KX_PATH_EFI_SYSTAB), m->efi.acpi20 ? "ACPI20" : "ACPI");
	return a;
}

int kx_x86_setup_boot_params(struct kx_ctx *ctx, uint8_t *bp)
{
	const uint8_t *img = ctx->kernel.buf;
	const uint8_t *cur = ctx->m->boot_data;
	size_t hdr_end = 0x202 + img[0x201];

	memset(bp, 0, BP_SIZE);
	/* the image's setup header, as far as it says it reaches */
	if (hdr_end > ctx->kernel.len)
		hdr_end = ctx->kernel.len;
	if (hdr_end > BP_E820_TABLE)
		hdr_end = BP_E820_TABLE;
	memcpy(bp + BP_HDR, img + BP_HDR, hdr_end - BP_HDR);
	/* firmware facts from the running kernel's boot_params, as kexec_file_load copies them */
	if (cur && ctx->m->boot_data_len >= BP_SIZE) {
		memcpy(bp + BP_SCREEN_INFO, cur + BP_SCREEN_INFO, 0x40);
		bp_put32(bp, BP_HARDWARE_SUBARCH, bp_get32(cur, BP_HARDWARE_SUBARCH));
		memcpy(bp + BP_EDDBUF, cur + BP_EDDBUF, BP_EDDBUF_LEN);
		bp_put8(bp, BP_EDDBUF_ENTRIES, bp_get8(cur, BP_EDDBUF_ENTRIES));
		memcpy(bp + BP_EDD_MBR_SIG_BUF, cur + BP_EDD_MBR_SIG_BUF, 16 * 4);
		bp_put8(bp, BP_EDD_MBR_SIG_ENTRIES, bp_get8(cur, BP_EDD_MBR_SIG_ENTRIES));
	}
	bp_put64(bp, BP_ACPI_RSDP_ADDR, rsdp(ctx));
	bp_put8(bp, BP_TYPE_OF_LOADER, LOADER_TYPE_KEXEC);
	bp_put8(bp, BP_SENTINEL, 0);
	bp_put64(bp, BP_SETUP_DATA, 0);
	return 0;
}
