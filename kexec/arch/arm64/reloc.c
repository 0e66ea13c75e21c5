/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reloc.c - arm64 relocations for linking the purgatory object.
 *
 * The purgatory's C code is built with -mcmodel=large (64-bit literals,
 * ABS64) and its entry uses ADRP pairs and BL; the other types are here so
 * a compiler or flag change does not break the load.  Instruction fields
 * are written into the existing little-endian word through a mask, so the
 * opcode and register bits the assembler set stay as they are.  Checked
 * types refuse a value that does not fit instead of truncating it; the
 * field is only written once the value is known to fit.
 */
#include <elf.h>
#include <errno.h>

#include "arm64.h"

static uint32_t get32(const void *loc)
{
	const uint8_t *p = loc;

	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(void *loc, uint32_t v)
{
	uint8_t *p = loc;

	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put64(void *loc, uint64_t v)
{
	put32(loc, (uint32_t)v);
	put32((uint8_t *)loc + 4, (uint32_t)(v >> 32));
}

/* replace the bits of @mask in the instruction at @loc by @field (already shifted) */
static void patch(void *loc, uint32_t mask, uint32_t field)
{
	put32(loc, (get32(loc) & ~mask) | (field & mask));
}

/* -2^(bits-1) <= v < 2^(bits-1) */
static int fits_signed(int64_t v, unsigned bits)
{
	int64_t lim = (int64_t)1 << (bits - 1);

	return v >= -lim && v < lim;
}

/* ADR/ADRP: a 21-bit immediate split into immlo (bits 30:29) and immhi (bits 23:5) */
static void patch_adr(void *loc, uint64_t imm21)
{
	uint32_t lo = (uint32_t)(imm21 & 3), hi = (uint32_t)((imm21 >> 2) & 0x7ffff);

	patch(loc, 3u << 29 | 0x7ffffu << 5, lo << 29 | hi << 5);
}

/* a PC-relative branch or literal: word offset of @bits bits at bit @shift */
static int pc_word(void *loc, int64_t x, unsigned bits, unsigned shift)
{
	uint32_t mask = (uint32_t)(((1ULL << bits) - 1) << shift);

	if (x & 3)
		return -EINVAL;
	if (!fits_signed(x, bits + 2))
		return -ERANGE;
	patch(loc, mask, (uint32_t)((uint64_t)x >> 2) << shift);
	return 0;
}

/* LD/ST unsigned offset: the low 12 bits scaled by the access size (1 << @scale) */
static int ldst_lo12(void *loc, uint64_t x, unsigned scale)
{
	uint64_t lo = x & 0xfff;

	if (lo & ((1u << scale) - 1))
		return -EINVAL;
	patch(loc, 0xfffu << 10, (uint32_t)(lo >> scale) << 10);
	return 0;
}

/* MOVZ/MOVK: the 16 bits at @group * 16 of @x; @check: the rest above must be zero */
static int movw_uabs(void *loc, uint64_t x, unsigned group, int check)
{
	if (check && group < 3 && (x >> (16 * (group + 1))))
		return -ERANGE;
	patch(loc, 0xffffu << 5, (uint32_t)((x >> (16 * group)) & 0xffff) << 5);
	return 0;
}

int kx_arm64_apply_rela(uint32_t type, void *loc, uint64_t S, int64_t A, uint64_t P)
{
	uint64_t x = S + (uint64_t)A;
	int64_t rel = (int64_t)(x - P);
	int64_t pages = (int64_t)((x & ~0xfffULL) - (P & ~0xfffULL)) >> 12;

	switch (type) {
	case R_AARCH64_NONE:
		return 0;
	case R_AARCH64_ABS64:
		put64(loc, x);
		return 0;
	case R_AARCH64_ABS32:
		/* either a zero- or a sign-extended reading must give the value */
		if ((int64_t)x < INT32_MIN || (int64_t)x > (int64_t)UINT32_MAX)
			return -ERANGE;
		put32(loc, (uint32_t)x);
		return 0;
	case R_AARCH64_PREL64:
		put64(loc, (uint64_t)rel);
		return 0;
	case R_AARCH64_PREL32:
		if (rel < INT32_MIN || rel > (int64_t)UINT32_MAX)
			return -ERANGE;
		put32(loc, (uint32_t)rel);
		return 0;
	case R_AARCH64_ADR_PREL_PG_HI21:
		if (!fits_signed(pages, 21))
			return -ERANGE;
		/* fall through */
	case R_AARCH64_ADR_PREL_PG_HI21_NC:
		patch_adr(loc, (uint64_t)pages);
		return 0;
	case R_AARCH64_ADR_PREL_LO21:
		if (!fits_signed(rel, 21))
			return -ERANGE;
		patch_adr(loc, (uint64_t)rel);
		return 0;
	case R_AARCH64_ADD_ABS_LO12_NC:
		return ldst_lo12(loc, x, 0);
	case R_AARCH64_LDST8_ABS_LO12_NC:
		return ldst_lo12(loc, x, 0);
	case R_AARCH64_LDST16_ABS_LO12_NC:
		return ldst_lo12(loc, x, 1);
	case R_AARCH64_LDST32_ABS_LO12_NC:
		return ldst_lo12(loc, x, 2);
	case R_AARCH64_LDST64_ABS_LO12_NC:
		return ldst_lo12(loc, x, 3);
	case R_AARCH64_LDST128_ABS_LO12_NC:
		return ldst_lo12(loc, x, 4);
	case R_AARCH64_CALL26:
	case R_AARCH64_JUMP26:
		/* no veneers: the purgatory is far smaller than +-128 MiB */
		return pc_word(loc, rel, 26, 0);
	case R_AARCH64_CONDBR19:
	case R_AARCH64_LD_PREL_LO19:
		return pc_word(loc, rel, 19, 5);
	case R_AARCH64_TSTBR14:
		return pc_word(loc, rel, 14, 5);
	case R_AARCH64_MOVW_UABS_G0:
		return movw_uabs(loc, x, 0, 1);
	case R_AARCH64_MOVW_UABS_G0_NC:
		return movw_uabs(loc, x, 0, 0);
	case R_AARCH64_MOVW_UABS_G1:
		return movw_uabs(loc, x, 1, 1);
	case R_AARCH64_MOVW_UABS_G1_NC:
		return movw_uabs(loc, x, 1, 0);
	case R_AARCH64_MOVW_UABS_G2:
		return movw_uabs(loc, x, 2, 1);
	case R_AARCH64_MOVW_UABS_G2_NC:
		return movw_uabs(loc, x, 2, 0);
	case R_AARCH64_MOVW_UABS_G3:
		return movw_uabs(loc, x, 3, 1);
	default:
		return -ENOEXEC;
	}
}

#define NAME(t) [t - R_AARCH64_ABS64] = #t

/* types 257.. (R_AARCH64_NONE, 0, is named apart) */
static const char *const names[] = {
	NAME(R_AARCH64_ABS64),
	NAME(R_AARCH64_ABS32),
	NAME(R_AARCH64_ABS16),
	NAME(R_AARCH64_PREL64),
	NAME(R_AARCH64_PREL32),
	NAME(R_AARCH64_PREL16),
	NAME(R_AARCH64_MOVW_UABS_G0),
	NAME(R_AARCH64_MOVW_UABS_G0_NC),
	NAME(R_AARCH64_MOVW_UABS_G1),
	NAME(R_AARCH64_MOVW_UABS_G1_NC),
	NAME(R_AARCH64_MOVW_UABS_G2),
	NAME(R_AARCH64_MOVW_UABS_G2_NC),
	NAME(R_AARCH64_MOVW_UABS_G3),
	NAME(R_AARCH64_MOVW_SABS_G0),
	NAME(R_AARCH64_MOVW_SABS_G1),
	NAME(R_AARCH64_MOVW_SABS_G2),
	NAME(R_AARCH64_LD_PREL_LO19),
	NAME(R_AARCH64_ADR_PREL_LO21),
	NAME(R_AARCH64_ADR_PREL_PG_HI21),
	NAME(R_AARCH64_ADR_PREL_PG_HI21_NC),
	NAME(R_AARCH64_ADD_ABS_LO12_NC),
	NAME(R_AARCH64_LDST8_ABS_LO12_NC),
	NAME(R_AARCH64_TSTBR14),
	NAME(R_AARCH64_CONDBR19),
	NAME(R_AARCH64_JUMP26),
	NAME(R_AARCH64_CALL26),
	NAME(R_AARCH64_LDST16_ABS_LO12_NC),
	NAME(R_AARCH64_LDST32_ABS_LO12_NC),
	NAME(R_AARCH64_LDST64_ABS_LO12_NC),
	NAME(R_AARCH64_MOVW_PREL_G0),
	NAME(R_AARCH64_MOVW_PREL_G0_NC),
	NAME(R_AARCH64_MOVW_PREL_G1),
	NAME(R_AARCH64_MOVW_PREL_G1_NC),
	NAME(R_AARCH64_MOVW_PREL_G2),
	NAME(R_AARCH64_MOVW_PREL_G2_NC),
	NAME(R_AARCH64_MOVW_PREL_G3),
	NAME(R_AARCH64_LDST128_ABS_LO12_NC),
	NAME(R_AARCH64_MOVW_GOTOFF_G0),
	NAME(R_AARCH64_MOVW_GOTOFF_G0_NC),
	NAME(R_AARCH64_MOVW_GOTOFF_G1),
	NAME(R_AARCH64_MOVW_GOTOFF_G1_NC),
	NAME(R_AARCH64_MOVW_GOTOFF_G2),
	NAME(R_AARCH64_MOVW_GOTOFF_G2_NC),
	NAME(R_AARCH64_MOVW_GOTOFF_G3),
	NAME(R_AARCH64_GOTREL64),
	NAME(R_AARCH64_GOTREL32),
	NAME(R_AARCH64_GOT_LD_PREL19),
	NAME(R_AARCH64_LD64_GOTOFF_LO15),
	NAME(R_AARCH64_ADR_GOT_PAGE),
	NAME(R_AARCH64_LD64_GOT_LO12_NC),
	NAME(R_AARCH64_LD64_GOTPAGE_LO15),
};

const char *kx_arm64_reloc_name(uint32_t type)
{
	if (type == R_AARCH64_NONE)
		return "R_AARCH64_NONE";
	if (type >= R_AARCH64_ABS64 && type - R_AARCH64_ABS64 < sizeof(names) / sizeof(names[0]) &&
	    names[type - R_AARCH64_ABS64])
		return names[type - R_AARCH64_ABS64];
	switch (type) {
	case R_AARCH64_COPY: return "R_AARCH64_COPY";
	case R_AARCH64_GLOB_DAT: return "R_AARCH64_GLOB_DAT";
	case R_AARCH64_JUMP_SLOT: return "R_AARCH64_JUMP_SLOT";
	case R_AARCH64_RELATIVE: return "R_AARCH64_RELATIVE";
	case R_AARCH64_IRELATIVE: return "R_AARCH64_IRELATIVE";
	default: return "R_AARCH64_<unknown>";
	}
}
