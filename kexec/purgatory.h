/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * purgatory.h - link the embedded relocatable purgatory object (ET_REL) at a
 * physical address, with libelf, and read/write its global symbols.
 *
 * Life cycle:
 *   kx_purg_open()      parse the object, lay out its SHF_ALLOC sections
 *                       (memsz, align, bufsz are then known, address is not)
 *   kx_purg_relocate()  apply every relocation for a load address (may be
 *                       called again for another address: it starts from the
 *                       pristine section bytes each time, so a relink works)
 *   kx_purg_set_sym()   patch symbols (after relocate; values survive only
 *                       until the next relocate)
 *   kx_purg_done()
 */
#ifndef KX_PURGATORY_H
#define KX_PURGATORY_H

#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "util.h"

struct kx_purg_impl;

/*
 * struct kx_purgatory
 * @buf:    the laid-out sections (bufsz bytes: every non-NOBITS SHF_ALLOC section)
 * @memsz:  bufsz plus NOBITS sections (.bss), page rounding is the caller's
 * @align:  the largest section alignment (at least 16)
 * @load_addr: address given to the last kx_purg_relocate(), 0 before
 * @entry:  relocated e_entry (valid after relocate)
 */
struct kx_purgatory {
	uint8_t *buf;
	size_t bufsz;
	uint64_t memsz;
	uint64_t align;
	uint64_t load_addr;
	uint64_t entry;
	struct kx_purg_impl *impl;
};

/*
 * kx_purg_open - parse a relocatable purgatory object
 * @obj/@len: the ELF bytes (not copied: must outlive @pg)
 * @arch: gives elf_machine, apply_rela and reloc_name
 * Returns 0, -ENOEXEC (not an ET_REL for this machine, no section headers,
 * e_entry outside every executable section), -EINVAL (malformed: section
 * outside the file, bad alignment), -ENOMEM. @d names the field.
 */
int kx_purg_open(struct kx_purgatory *pg, const void *obj, size_t len, const struct kx_arch *arch,
		 struct kx_diag *d);

/*
 * kx_purg_relocate - link for @load_addr
 * Returns 0, -EINVAL (load_addr not aligned to pg->align), -ENOEXEC (a
 * relocation type the arch does not handle: @d names it, e.g.
 * "R_X86_64_GOTPCREL"), -ERANGE (a value does not fit its field: @d names the
 * type, symbol and value), -ENOENT (undefined symbol, named in @d).
 */
int kx_purg_relocate(struct kx_purgatory *pg, uint64_t load_addr, struct kx_diag *d);

/*
 * kx_purg_set_sym / kx_purg_get_sym - write/read a global symbol's bytes
 * Returns 0, -ENOENT (no such STB_GLOBAL symbol), -EINVAL (st_size != @len,
 * or the symbol lives in a NOBITS section and cannot be preset).
 */
int kx_purg_set_sym(struct kx_purgatory *pg, const char *name, const void *val, size_t len,
		    struct kx_diag *d);
int kx_purg_get_sym(const struct kx_purgatory *pg, const char *name, void *val, size_t len,
		    struct kx_diag *d);

/* kx_purg_sym_addr - the symbol's address after relocation. Returns 0 or -ENOENT. */
int kx_purg_sym_addr(const struct kx_purgatory *pg, const char *name, uint64_t *ret);

void kx_purg_done(struct kx_purgatory *pg);

#endif
