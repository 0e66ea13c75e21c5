/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * setup.c - the C half of the arm64 purgatory entry: run the generic
 * checks, then make sure there is a kernel and a DTB to boot with.
 * entry.S does the branch with the registers the boot protocol wants.
 */
#include "internal.h"
#include "pg-arm64.h"

/* Patched by the loader: the Image's first byte and the DTB, both physical. */
uint64_t purgatory_arm64_kernel_entry PG_DATA;
uint64_t purgatory_arm64_dtb PG_DATA;

#define PFX "kexec-ng purgatory: "

void pg_arm64_main(void)
{
	pg_purgatory();
	if (!purgatory_arm64_kernel_entry || !purgatory_arm64_dtb) {
		pg_puts(PFX "no kernel entry point or DTB (purgatory_arm64_kernel_entry/dtb is 0): not booting\n");
		pg_arch_halt();
	}
	if (purgatory_debug) {
		pg_puts(PFX "jumping to ");
		pg_put_hex(purgatory_arm64_kernel_entry);
		pg_puts(" with x0 ");
		pg_put_hex(purgatory_arm64_dtb);
		pg_puts("\n");
	}
}
