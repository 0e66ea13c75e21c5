/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * purgatory-impl.h - what the three purgatory linker files share: the
 * checked section table and the parsed object (purgatory-load.c opens and
 * lays it out, purgatory-reloc.c relocates it, purgatory-sym.c patches
 * symbols).  Not for use outside them.
 */
#ifndef KX_PURGATORY_IMPL_H
#define KX_PURGATORY_IMPL_H

#include <gelf.h>
#include <libelf.h>

#include "purgatory.h"
#define PFX "purgatory: "
/* A purgatory is a few KiB; these only bound what a malformed object can ask for. */
#define PURG_MAX_SIZE (16ULL << 20)
#define PURG_MAX_ALIGN (2ULL << 20)
/* No relocation field of a supported arch is wider than this. */
#define RELOC_MAX_WIDTH 8

/*
 * struct purg_sec - one section header, checked
 * @src:   pristine bytes inside the private copy of the object (NULL for NOBITS)
 * @off:   offset from the load address (SHF_ALLOC sections only)
 * @relocs: libelf data of an SHT_RELA section that applies to a loaded
 *          section, @target (sh_info, checked) is that section
 */
struct purg_sec {
	const char *name;
	uint32_t type;
	uint64_t flags, addr, size, align;
	const uint8_t *src;
	uint64_t off;
	bool alloc;
	Elf_Data *relocs;
	size_t target;
};

struct kx_purg_impl {
	const struct kx_arch *arch;
	uint8_t *obj;		/* private copy: libelf reads it in place */
	size_t len;
	Elf *elf;
	struct purg_sec *sec;
	size_t shnum;
	size_t symtab;		/* section index of SHT_SYMTAB, 0 if none */
	size_t strtab;		/* its string table */
	Elf_Data *syms;
	size_t nsyms;
	uint64_t entry_off;	/* e_entry, as an offset from the load address */
};
/* a symbol's name for messages (section symbols are named after their section) */
const char *kx_purg_sym_name_(const struct kx_purg_impl *im, const GElf_Sym *s);
/*
 * kx_purg_sym_value_ - S for a relocation or an address lookup
 * Returns 0, -ENOENT (undefined), -EINVAL (common, reserved or bad section
 * index, or a section that is not loaded); @d may be NULL.
 */
int kx_purg_sym_value_(const struct kx_purg_impl *im, const GElf_Sym *s, uint64_t load_addr,
		       uint64_t *ret, struct kx_diag *d);
/* reset the laid-out image to the object's bytes (before each relocation) */
void kx_purg_copy_pristine_(struct kx_purgatory *pg);

#endif
