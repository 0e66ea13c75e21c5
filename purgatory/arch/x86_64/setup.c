/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * setup.c - the C half of the x86_64 purgatory entry: run the generic
 * checks, then make sure there is a kernel to jump to.  entry.S does the
 * jump with the registers the 64-bit boot protocol wants.
 */
#include "internal.h"
#include "pg-x86_64.h"

/* Patched by the loader: startup_64 and the boot_params address. */
uint64_t purgatory_entry_rip PG_DATA;
uint64_t purgatory_entry_rsi PG_DATA;

#define PFX "kexec-ng purgatory: "

void pg_x86_64_main(void)
{
	pg_purgatory();
	if (!purgatory_entry_rip) {
		pg_puts(PFX "no kernel entry point (purgatory_entry_rip is 0): not booting\n");
		pg_arch_halt();
	}
	if (purgatory_debug) {
		pg_puts(PFX "jumping to ");
		pg_put_hex(purgatory_entry_rip);
		pg_puts(" with rsi ");
		pg_put_hex(purgatory_entry_rsi);
		pg_puts("\n");
	}
}
