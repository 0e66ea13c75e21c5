/* SPDX-License-Identifier: GPL-2.0-or-later */
/* x86.h - what the x86_64 files share among themselves (all static to the arch). */
#ifndef KX_X86_H
#define KX_X86_H

#include "ctx.h"

extern const struct kx_loader kx_x86_bzimage64;

/*
 * setup.c: build boot_params for ctx->kernel (its setup header, the running
 * kernel's firmware facts, the ACPI RSDP) into @bp (BP_SIZE bytes).  Returns 0.
 */
int kx_x86_setup_boot_params(struct kx_ctx *ctx, uint8_t *bp);
/* setup.c: e820 table (plus SETUP_E820_EXT data if >128) from typed ranges */
void kx_x86_e820_fill(const struct kx_ranges *map, uint8_t *bp, uint8_t *ext, uint64_t ext_addr);
uint32_t kx_x86_e820_type(enum kx_mem_type t);
/*
 * setup.c: the memory map a normal kexec passes on: sys/firmware/memmap,
 * else proc/iomem's RAM and firmware ranges.  Returns 0 or -ENOMEM.
 */
int kx_x86_normal_memmap(struct kx_ctx *ctx, struct kx_ranges *out);

/*
 * efi.c: whether the next kernel keeps EFI runtime services (1) or runs
 * without them (0, with a note saying why); then fill efi_info, the runtime
 * map at @map (physical @map_addr, n_rtmap * EFI_MEMDESC_SIZE bytes) and the
 * SETUP_EFI setup_data at @sd (physical @sd_addr, 16 + SETUP_EFI_LEN bytes).
 */
int kx_x86_efi_decide(struct kx_ctx *ctx);
void kx_x86_efi_fill(const struct kx_ctx *ctx, uint8_t *bp, uint8_t *map, uint64_t map_addr, uint8_t *sd,
		     uint64_t sd_addr);

/* crash.c */
int kx_x86_phys_to_virt(const struct kx_machine *m, uint64_t paddr, uint64_t *ret, struct kx_diag *d);
int kx_x86_kernel_text(const struct kx_machine *m, uint64_t *vaddr, uint64_t *paddr, uint64_t *size,
		       struct kx_diag *d);
int kx_x86_crash_memmap(struct kx_ctx *ctx, struct kx_plan *plan);
int kx_x86_normal_avail(const struct kx_machine *m, struct kx_ranges *avail);
/*
 * crash.c: acpi_no_memhotplug on the kdump command line when memory can be
 * (or was) hot-added through ACPI, unless the command line already decides.
 * Returns 0 or -ENOMEM.
 */
int kx_x86_kdump_cmdline(struct kx_ctx *ctx);
int kx_x86_purgatory_setup(struct kx_ctx *ctx, struct kx_plan *plan, struct kx_purgatory *pg);

#endif
