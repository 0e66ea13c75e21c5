/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * arm64.h - what the arm64 arch table (arch.c) takes from the other files
 * of kexec/arch/arm64/: the purgatory relocations, the embedded purgatory
 * object and the purgatory's entry state.
 */
#ifndef KX_ARM64_H
#define KX_ARM64_H

#include <stddef.h>
#include <stdint.h>

struct kx_ctx;
struct kx_plan;
struct kx_purgatory;

/*
 * kx_arm64_apply_rela - apply one RELA relocation of the purgatory
 * @type: R_AARCH64_* from r_info
 * @loc:  where the field is, in the loader's copy (any alignment); the
 *        caller guarantees 8 readable/writable bytes or the field width
 * @S:    symbol address, @A: addend, @P: address of the field once loaded
 * Handles NONE, ABS64, ABS32, PREL64, PREL32, ADR_PREL_PG_HI21(_NC),
 * ADR_PREL_LO21, ADD_ABS_LO12_NC, LDST8/16/32/64/128_ABS_LO12_NC, CALL26,
 * JUMP26, CONDBR19, TSTBR14, LD_PREL_LO19 and MOVW_UABS_G0..G3 (and _NC).
 * Instruction fields are merged into the existing word (little-endian).
 * Returns 0; -ERANGE when the value does not fit a checked field;
 * -EINVAL when a scaled LDST offset or a branch/literal offset is not a
 * multiple of its scale; -ENOEXEC for any other type.  On error the
 * field is left unchanged.
 */
int kx_arm64_apply_rela(uint32_t type, void *loc, uint64_t S, int64_t A, uint64_t P);

/* kx_arm64_reloc_name - "R_AARCH64_CALL26" for 283; "R_AARCH64_<unknown>" if not a known type. */
const char *kx_arm64_reloc_name(uint32_t type);

/*
 * kx_arm64_purgatory_setup - the purgatory's entry state, once the plan's
 * segments are placed: the kernel entry (the KX_SEG_KERNEL segment's
 * address: the Image is placed so its first byte is the entry), the DTB
 * (the KX_SEG_DTB segment) and the PL011 UART base from --serial.
 * Returns 0, -EINVAL (no kernel or DTB segment; --serial not an MMIO
 * address: then ctx->final is set, -a must not fall back), or
 * kx_purg_set_sym()'s errors; ctx->d names the problem.
 */
int kx_arm64_purgatory_setup(struct kx_ctx *ctx, struct kx_plan *plan, struct kx_purgatory *pg);

/* purgatory/purgatory-arm64.ro, embedded by purgatory-blob.S */
extern const unsigned char kx_purgatory_arm64[];
extern const size_t kx_purgatory_arm64_len;

#endif
