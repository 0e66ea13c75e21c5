/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * entry.S - arm64 purgatory entry point.
 *
 * The kernel's soft restart branches here at EL1 or EL2 with the MMU and
 * caches off and the stack pointer pointing nowhere useful.  Nothing here
 * may touch the stack before it is switched to our own (in .bss).
 *
 * Then: the CPU hook, the generic checks (C), the CPU hook again, and a
 * branch to the kernel Image with x0 = the DTB's physical address and
 * x1 = x2 = x3 = 0, as the arm64 boot protocol asks.
 *
 * ADRP/ADD and ADRP/LDR pairs keep this code independent of the absolute
 * address; the loader resolves the ADR_PREL_PG_HI21 and *_LO12 relocations
 * they create when it links the object at its load address.
 */
#include "pg-arm64.h"

	.text
	.globl	purgatory_start
	.type	purgatory_start, %function
	.balign	4
purgatory_start:
	adrp	x9, pg_stack_end
	add	x9, x9, :lo12:pg_stack_end
	mov	sp, x9

	/* the hook that may later turn on caches or check CPU features */
	bl	pg_arm64_cpu_enter
	/* the generic checks; returns only if the kernel may be started */
	bl	pg_arm64_main
	/* undo whatever pg_arm64_cpu_enter did */
	bl	pg_arm64_cpu_leave

	adrp	x9, purgatory_arm64_kernel_entry
	ldr	x9, [x9, :lo12:purgatory_arm64_kernel_entry]
	adrp	x0, purgatory_arm64_dtb
	ldr	x0, [x0, :lo12:purgatory_arm64_dtb]
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	br	x9
	.size	purgatory_start, . - purgatory_start

	.bss
	.balign	16
pg_stack:
	.skip	PG_ARM64_STACK_SIZE
pg_stack_end:

	.section .note.GNU-stack, "", %progbits
