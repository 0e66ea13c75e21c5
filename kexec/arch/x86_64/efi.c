/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * efi.c (x86_64) - EFI runtime services for the next kernel, as the
 * kernel's own kexec_file_load passes them: boot_params.efi_info from the
 * running kernel, the EFI runtime memory map (so the next kernel maps the
 * runtime regions at the same virtual addresses: SetVirtualAddressMap()
 * can be called only once per boot), and a SETUP_EFI setup_data with the
 * firmware vendor, configuration table and SMBIOS addresses.
 */
#include <string.h>

#include "bootparam.h"
#include "x86.h"

int kx_x86_efi_decide(struct kx_ctx *ctx)
{
	const struct kx_machine *m = ctx->m;
	const uint8_t *cur = m->boot_data;
	const char *why = NULL;

	if (!cur || m->boot_data_len < BP_SIZE || bp_get32(cur, BP_EFI_LOADER_SIGNATURE) != EFI64_LOADER_SIGNATURE)
		return 0;	/* not booted through 64-bit EFI: nothing to pass on */
	if (ctx->o->noefi)
		why = "--noefi";
	else if (!bp_get32(cur, BP_EFI_MEMMAP_SIZE))
		why = "the running kernel has no EFI memory map (booted with noefi?)";
	else if (!m->efi.has_rtmap)
		why = "sys/firmware/efi/runtime-map is missing (CONFIG_EFI_RUNTIME_MAP=n, or efi=noruntime)";
	else if (!m->efi.has_tables)
		why = "sys/firmware/efi/fw_vendor, runtime or config_table is missing";
	else if (!(bp_get16(ctx->kernel.buf, BP_XLOADFLAGS) & XLF_EFI_KEXEC))
		why = "the image cannot keep EFI runtime services across kexec (setup_header.xloadflags lacks XLF_EFI_KEXEC)";
	if (why) {
		kx_note(ctx->notes, KX_NOTE_INFO, "EFI runtime services are not passed on: %s; the next kernel runs without them (as with noefi)",
			why);
		return 0;
	}
	return 1;
}

void kx_x86_efi_fill(const struct kx_ctx *ctx, uint8_t *bp, uint8_t *map, uint64_t map_addr, uint8_t *sd,
		     uint64_t sd_addr)
{
	const struct kx_machine *m = ctx->m;
	const uint8_t *cur = m->boot_data;
	size_t i;

	bp_put32(bp, BP_EFI_LOADER_SIGNATURE, bp_get32(cur, BP_EFI_LOADER_SIGNATURE));
	bp_put32(bp, BP_EFI_SYSTAB, bp_get32(cur, BP_EFI_SYSTAB));
	bp_put32(bp, BP_EFI_SYSTAB_HI, bp_get32(cur, BP_EFI_SYSTAB_HI));
	bp_put32(bp, BP_EFI_MEMDESC_VERSION, bp_get32(cur, BP_EFI_MEMDESC_VERSION));
	bp_put32(bp, BP_EFI_MEMDESC_SIZE, EFI_MEMDESC_SIZE);
	bp_put8(bp, BP_SECURE_BOOT, bp_get8(cur, BP_SECURE_BOOT));

	/* the runtime map, one efi_memory_desc_t each */
	for (i = 0; i < m->efi.n_rtmap; i++) {
		uint8_t *d = map + i * EFI_MEMDESC_SIZE;
		const struct kx_efi_md *md = &m->efi.rtmap[i];

		memset(d, 0, EFI_MEMDESC_SIZE);
		bp_put32(d, 0, md->type);
		bp_put64(d, 8, md->phys);
		bp_put64(d, 16, md->virt);
		bp_put64(d, 24, md->pages);
		bp_put64(d, 32, md->attr);
	}
	bp_put32(bp, BP_EFI_MEMMAP, (uint32_t)map_addr);
	bp_put32(bp, BP_EFI_MEMMAP_HI, (uint32_t)(map_addr >> 32));
	bp_put32(bp, BP_EFI_MEMMAP_SIZE, (uint32_t)(m->efi.n_rtmap * EFI_MEMDESC_SIZE));

	/* struct setup_data { next, type, len } + struct efi_setup_data */
	memset(sd, 0, 16 + SETUP_EFI_LEN);
	bp_put64(sd, 0, bp_get64(bp, BP_SETUP_DATA));
	bp_put32(sd, 8, SETUP_EFI);
	bp_put32(sd, 12, SETUP_EFI_LEN);
	bp_put64(sd, 16, m->efi.fw_vendor);
	bp_put64(sd, 24, m->efi.runtime);	/* unused by kernels since 5.7; older ones read it */
	bp_put64(sd, 32, m->efi.config_table);
	bp_put64(sd, 40, m->efi.smbios);
	bp_put64(bp, BP_SETUP_DATA, sd_addr);
}
