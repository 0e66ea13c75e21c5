/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * entry.S - x86_64 purgatory entry point.
 *
 * The kernel's relocate_kernel jumps here in 64-bit long mode with an
 * identity map of RAM, interrupts off, every general register zero except
 * %rsp, which may point anywhere.  Nothing here may touch the stack before
 * it is switched to our own.
 *
 * Then: our own GDT (the selectors the kernel's startup_64 expects), our own
 * stack, the C checks, and a jump to the kernel with %rsi = boot_params and
 * the other registers zero, as the 64-bit boot protocol asks.
 *
 * RIP-relative operands keep this position independent; the loader
 * resolves the PC32 relocations they create.
 */
#include "pg-x86_64.h"

#define STACK_SIZE 16384

	.text
	.code64
	.globl	purgatory_start
	.type	purgatory_start, @function
purgatory_start:
	cli
	cld
	lgdt	pg_gdt_desc(%rip)
	movl	$PG_X86_BOOT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	leaq	pg_stack_end(%rip), %rsp

	/* reload %cs: far return to the next instruction */
	pushq	$PG_X86_BOOT_CS
	leaq	1f(%rip), %rax
	pushq	%rax
	lretq
1:
	/* %rsp is 16-byte aligned here, as the C ABI wants at a call */
	call	pg_x86_64_main

	/* pg_x86_64_main() returned: the checks passed and a kernel entry is set */
	movq	purgatory_entry_rsi(%rip), %rsi
	xorl	%eax, %eax
	xorl	%ebx, %ebx
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%edi, %edi
	xorl	%ebp, %ebp
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%r12d, %r12d
	xorl	%r13d, %r13d
	xorl	%r14d, %r14d
	xorl	%r15d, %r15d
	jmpq	*purgatory_entry_rip(%rip)
	.size	purgatory_start, . - purgatory_start

	/*
	 * The descriptors' accessed bits are preset so the CPU never needs to
	 * write the table when a selector is loaded.
	 */
	.data
	.balign	16
pg_gdt:
	.quad	0			/* 0x00: null */
	.quad	0			/* 0x08: unused */
	.quad	0x00af9b000000ffff	/* 0x10: code, 64-bit (L=1), ring 0, flat */
	.quad	0x00cf93000000ffff	/* 0x18: data, read/write, ring 0, flat 4 GiB */
pg_gdt_end:

	.balign	16
pg_gdt_desc:
	.word	pg_gdt_end - pg_gdt - 1
	.quad	pg_gdt
	.size	pg_gdt_desc, . - pg_gdt_desc

	.bss
	.balign	16
pg_stack:
	.skip	STACK_SIZE
pg_stack_end:

	.section .note.GNU-stack, "", @progbits
