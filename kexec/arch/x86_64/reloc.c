/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reloc.c - x86_64 relocations for linking the purgatory object.
 *
 * The purgatory is built with -mcmodel=large, so its C code refers to
 * everything through 64-bit absolute fields; the entry assembly uses
 * RIP-relative PC32 fields and a PLT32 call, which stay inside the object.
 * 32 and 32S are accepted for hand-written code but checked, so a purgatory
 * placed above 4 GiB is refused rather than silently truncated.
 */
#include <elf.h>
#include <errno.h>
#include <string.h>

#include "x86_64.h"

static void put32(void *loc, uint32_t v)
{
	memcpy(loc, &v, sizeof(v));	/* x86_64 is little-endian, like the field */
}

static void put64(void *loc, uint64_t v)
{
	memcpy(loc, &v, sizeof(v));
}

int kx_x86_64_apply_rela(uint32_t type, void *loc, uint64_t S, int64_t A, uint64_t P)
{
	uint64_t v = S + (uint64_t)A;
	int64_t rel;

	switch (type) {
	case R_X86_64_NONE:
		return 0;
	case R_X86_64_64:
		put64(loc, v);
		return 0;
	case R_X86_64_32:
		/* zero-extended by the CPU: the value must fit in 32 unsigned bits */
		if (v > UINT32_MAX)
			return -ERANGE;
		put32(loc, (uint32_t)v);
		return 0;
	case R_X86_64_32S:
		/* sign-extended by the CPU */
		if ((int64_t)v != (int64_t)(int32_t)(uint32_t)v)
			return -ERANGE;
		put32(loc, (uint32_t)v);
		return 0;
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
		/* no PLT here: a PLT32 call goes straight to the symbol */
		rel = (int64_t)(v - P);
		if (rel != (int64_t)(int32_t)rel)
			return -ERANGE;
		put32(loc, (uint32_t)rel);
		return 0;
	default:
		return -ENOEXEC;
	}
}

#define NAME(t) [t] = #t

static const char *const names[] = {
	NAME(R_X86_64_NONE),
	NAME(R_X86_64_64),
	NAME(R_X86_64_PC32),
	NAME(R_X86_64_GOT32),
	NAME(R_X86_64_PLT32),
	NAME(R_X86_64_COPY),
	NAME(R_X86_64_GLOB_DAT),
	NAME(R_X86_64_JUMP_SLOT),
	NAME(R_X86_64_RELATIVE),
	NAME(R_X86_64_GOTPCREL),
	NAME(R_X86_64_32),
	NAME(R_X86_64_32S),
	NAME(R_X86_64_16),
	NAME(R_X86_64_PC16),
	NAME(R_X86_64_8),
	NAME(R_X86_64_PC8),
	NAME(R_X86_64_DTPMOD64),
	NAME(R_X86_64_DTPOFF64),
	NAME(R_X86_64_TPOFF64),
	NAME(R_X86_64_TLSGD),
	NAME(R_X86_64_TLSLD),
	NAME(R_X86_64_DTPOFF32),
	NAME(R_X86_64_GOTTPOFF),
	NAME(R_X86_64_TPOFF32),
	NAME(R_X86_64_PC64),
	NAME(R_X86_64_GOTOFF64),
	NAME(R_X86_64_GOTPC32),
	NAME(R_X86_64_GOT64),
	NAME(R_X86_64_GOTPCREL64),
	NAME(R_X86_64_GOTPC64),
	NAME(R_X86_64_GOTPLT64),
	NAME(R_X86_64_PLTOFF64),
	NAME(R_X86_64_SIZE32),
	NAME(R_X86_64_SIZE64),
	NAME(R_X86_64_GOTPC32_TLSDESC),
	NAME(R_X86_64_TLSDESC_CALL),
	NAME(R_X86_64_TLSDESC),
	NAME(R_X86_64_IRELATIVE),
	NAME(R_X86_64_RELATIVE64),
	[39] = "R_X86_64_PC32_BND",	/* deprecated MPX types, gone from elf.h */
	[40] = "R_X86_64_PLT32_BND",
	NAME(R_X86_64_GOTPCRELX),
	NAME(R_X86_64_REX_GOTPCRELX),
};

const char *kx_x86_64_reloc_name(uint32_t type)
{
	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	return "R_X86_64_<unknown>";
}
