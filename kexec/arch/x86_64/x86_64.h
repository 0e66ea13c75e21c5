/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86_64.h - what the x86_64 arch table (arch.c) takes from the other
 * files of kexec/arch/x86_64/: the purgatory relocations and the embedded
 * purgatory object.
 */
#ifndef KX_X86_64_H
#define KX_X86_64_H

#include <stddef.h>
#include <stdint.h>

/*
 * kx_x86_64_apply_rela - apply one RELA relocation of the purgatory
 * @type: R_X86_64_* from r_info
 * @loc:  where the field is, in the loader's copy (any alignment); the
 *        caller guarantees 8 readable/writable bytes or the field width
 * @S:    symbol address, @A: addend, @P: address of the field once loaded
 * Handles NONE, 64, PC32, PLT32, 32 and 32S.  Returns 0, -ERANGE when the
 * value does not fit the field (the field is left unchanged), -ENOEXEC for
 * any other type.
 */
int kx_x86_64_apply_rela(uint32_t type, void *loc, uint64_t S, int64_t A, uint64_t P);

/* kx_x86_64_reloc_name - "R_X86_64_GOTPCREL" for 9; "R_X86_64_<unknown>" if not a known type. */
const char *kx_x86_64_reloc_name(uint32_t type);

/* purgatory/purgatory-x86_64.ro, embedded by purgatory-blob.S */
extern const unsigned char kx_purgatory_x86_64[];
extern const size_t kx_purgatory_x86_64_len;

#endif
