/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * purgatory-blob.S - embed the relocatable arm64 purgatory object.
 *
 *   const unsigned char kx_purgatory_arm64[];
 *   const size_t kx_purgatory_arm64_len;
 *
 * The path is relative to the build directory, which is both the current
 * directory of the (non-recursive) make and on the include path
 * (-I$(top_builddir)), so out-of-tree builds find the built object.
 * purgatory/local.am makes this file's object depend on it.
 */
	.section .rodata, "a", %progbits

	/* 16 bytes: ELF headers inside are read in place (see purgatory-load.c) */
	.balign	16
	.globl	kx_purgatory_arm64
	.type	kx_purgatory_arm64, %object
kx_purgatory_arm64:
	.incbin	"purgatory/purgatory-arm64.ro"
.Lblob_end:
	.size	kx_purgatory_arm64, .Lblob_end - kx_purgatory_arm64

	.balign	8
	.globl	kx_purgatory_arm64_len
	.type	kx_purgatory_arm64_len, %object
kx_purgatory_arm64_len:
	.quad	.Lblob_end - kx_purgatory_arm64
	.size	kx_purgatory_arm64_len, 8

	.section .note.GNU-stack, "", %progbits
