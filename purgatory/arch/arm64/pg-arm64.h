/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pg-arm64.h - arm64 purgatory internals shared by entry.S and the C files. */
#ifndef PG_PG_ARM64_H
#define PG_PG_ARM64_H

/* the purgatory's own stack, in its .bss (entry.S) */
#define PG_ARM64_STACK_SIZE 16384

#ifndef __ASSEMBLER__
#include <stdint.h>

/* patched by the loader (purgatory.h, arm64 section) */
extern uint64_t purgatory_arm64_kernel_entry;
extern uint64_t purgatory_arm64_dtb;
extern uint64_t purgatory_arm64_uart_base;

/*
 * CPU hooks (cpu.c), called by purgatory_start around the C work:
 *   pg_arm64_cpu_enter() first, on the purgatory's stack, MMU and caches off;
 *   pg_arm64_cpu_leave() last, just before the branch to the kernel, which
 *   must find the MMU and D-cache off again (arm64 boot protocol).
 */
void pg_arm64_cpu_enter(void);
void pg_arm64_cpu_leave(void);

/* Called by purgatory_start; returns only if booting may go on. */
void pg_arm64_main(void);
#endif

#endif
