/* SPDX-License-Identifier: GPL-2.0-or-later */
/* x86.h - what the x86_64 files share among themselves (all static to the arch). */
#ifndef KX_X86_H
#define KX_X86_H

#include "ctx.h"

extern const struct kx_loader kx_x86_bzimage64;

/* setup.c: build boot_params for @kernel (its setup header) into @bp (BP_SIZE bytes) */
int kx_x86_setup_boot_params(const struct kx_ctx *ctx, uint8_t *bp);
/* setup.c: e820 table (plus SETUP_E820_EXT data if >128) from typed ranges */
void kx_x86_e820_fill(const struct kx_ranges *map, uint8_t *bp, uint8_t *ext, uint64_t ext_addr);
uint32_t kx_x86_e820_type(enum kx_mem_type t);
/* setup.c: the memory map a normal kexec passes on: RAM and firmware ranges */
int kx_x86_normal_memmap(const struct kx_machine *m, struct kx_ranges *out);

/* crash.c */
int kx_x86_phys_to_virt(const struct kx_machine *m, uint64_t paddr, uint64_t *ret, struct kx_diag *d);
int kx_x86_kernel_text(const struct kx_machine *m, uint64_t *vaddr, uint64_t *paddr, uint64_t *size,
		       struct kx_diag *d);
int kx_x86_crash_memmap(struct kx_ctx *ctx, struct kx_plan *plan);
int kx_x86_normal_avail(const struct kx_machine *m, struct kx_ranges *avail);
int kx_x86_purgatory_setup(struct kx_ctx *ctx, struct kx_plan *plan, struct kx_purgatory *pg);

#endif
