/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pg-x86_64.h - x86_64 purgatory internals shared by entry.S and setup.c. */
#ifndef PG_PG_X86_64_H
#define PG_PG_X86_64_H

/* GDT selectors the kernel's 64-bit entry expects (__BOOT_CS, __BOOT_DS) */
#define PG_X86_BOOT_CS 0x10
#define PG_X86_BOOT_DS 0x18

#ifndef __ASSEMBLER__
#include <stdint.h>

extern uint64_t purgatory_entry_rip;
extern uint64_t purgatory_entry_rsi;
extern uint16_t purgatory_console_port;

/* Called by purgatory_start on the purgatory's own stack; returns only if booting may go on. */
void pg_x86_64_main(void);
#endif

#endif
