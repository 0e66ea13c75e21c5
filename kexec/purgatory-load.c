/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * purgatory-load.c - link the embedded relocatable purgatory (ET_REL) at a
 * physical address, with libelf, and read/write its global symbols.
 *
 * Layout: every SHF_ALLOC section goes into one image, the PROGBITS-like
 * ones first in section header order, then the NOBITS ones (.bss), each at
 * its own alignment.  Section i then lives at load address + sec[i].off.
 *
 * The object is untrusted input as far as this file is concerned (it is
 * fuzzed): every offset, size, index and link is checked before use, and a
 * malformed object gives -EINVAL or -ENOEXEC, never a wild access.
 */
#include <gelf.h>
#include <libelf.h>
#include <string.h>

#include "purgatory-impl.h"

static void impl_free(struct kx_purg_impl *im)
{
	if (!im)
		return;
	if (im->elf)
		elf_end(im->elf);
	free(im->sec);
	free(im->obj);
	free(im);
}

static void impl_freep(struct kx_purg_impl **im)
{
	impl_free(*im);
}

static bool host_is_lsb(void)
{
	const uint16_t one = 1;

	return *(const uint8_t *)&one == 1;
}

/* [off, off + size) inside a @len-byte object, without overflow */
static bool in_object(uint64_t off, uint64_t size, size_t len)
{
	return off <= len && size <= len - off;
}

const char *kx_purg_sym_name_(const struct kx_purg_impl *im, const GElf_Sym *s)
{
	const char *n;

	if (GELF_ST_TYPE(s->st_info) == STT_SECTION && s->st_shndx < im->shnum)
		return im->sec[s->st_shndx].name;
	n = elf_strptr(im->elf, im->strtab, s->st_name);
	return n && *n ? n : "(unnamed)";
}

/* e_ident: an ELF object of our class and byte order, checked before libelf sees it */
static int check_ident(const uint8_t *obj, size_t len, struct kx_diag *d)
{
	if (len < EI_NIDENT || memcmp(obj, ELFMAG, SELFMAG))
		return kx_diag_set(d, -ENOEXEC, PFX "not an ELF object");
	if (obj[EI_CLASS] != ELFCLASS64)
		return kx_diag_set(d, -ENOEXEC, PFX "ELF class %u, not ELFCLASS64", obj[EI_CLASS]);
	if (obj[EI_DATA] != (host_is_lsb() ? ELFDATA2LSB : ELFDATA2MSB))
		return kx_diag_set(d, -ENOEXEC, PFX "ELF byte order %u is not the host's", obj[EI_DATA]);
	if (len < sizeof(Elf64_Ehdr))
		return kx_diag_set(d, -EINVAL, PFX "truncated: %zu bytes, an ELF header needs %zu",
				   len, sizeof(Elf64_Ehdr));
	return 0;
}

static int read_sections(struct kx_purg_impl *im, struct kx_diag *d)
{
	size_t i, shstrndx;
	bool names = elf_getshdrstrndx(im->elf, &shstrndx) == 0;

	for (i = 1; i < im->shnum; i++) {
		struct purg_sec *s = &im->sec[i];
		GElf_Shdr sh;
		const char *n = NULL;

		if (!gelf_getshdr(elf_getscn(im->elf, i), &sh))
			return kx_diag_set(d, -EINVAL, PFX "section %zu: %s", i, elf_errmsg(-1));
		if (names)
			n = elf_strptr(im->elf, shstrndx, sh.sh_name);
		s->name = n && *n ? n : "(unnamed section)";
		s->type = sh.sh_type;
		s->flags = sh.sh_flags;
		s->addr = sh.sh_addr;
		s->size = sh.sh_size;
		s->align = sh.sh_addralign ? sh.sh_addralign : 1;
		s->alloc = (sh.sh_flags & SHF_ALLOC) && sh.sh_type != SHT_NULL;
		if (s->alloc && (!kx_is_pow2(s->align) || s->align > PURG_MAX_ALIGN))
			return kx_diag_set(d, -EINVAL, PFX "section %zu (%s): alignment 0x%llx is not a power of two up to 0x%llx",
					   i, s->name, (unsigned long long)sh.sh_addralign, PURG_MAX_ALIGN);
		if (s->type == SHT_NOBITS || s->type == SHT_NULL)
			continue;
		if (!s->alloc && s->type != SHT_SYMTAB && s->type != SHT_STRTAB &&
		    s->type != SHT_RELA && s->type != SHT_REL)
			continue;	/* never read: .comment, debug info */
		if (!in_object(sh.sh_offset, sh.sh_size, im->len))
			return kx_diag_set(d, -EINVAL,
					   PFX "section %zu (%s): [0x%llx, +0x%llx) is outside the %zu-byte object",
					   i, s->name, (unsigned long long)sh.sh_offset,
					   (unsigned long long)sh.sh_size, im->len);
		s->src = im->obj + sh.sh_offset;
	}
	return 0;
}

/* Offsets for every SHF_ALLOC section: data first, then NOBITS. */
static int layout(struct kx_purgatory *pg, struct kx_purg_impl *im, struct kx_diag *d)
{
	uint64_t off = 0, align = 16;
	int pass;
	size_t i;

	for (pass = 0; pass < 2; pass++) {
		for (i = 1; i < im->shnum; i++) {
			struct purg_sec *s = &im->sec[i];

			if (!s->alloc || (s->type == SHT_NOBITS) != (pass == 1))
				continue;
			if (!kx_align_up(off, s->align, &off) || s->size > PURG_MAX_SIZE ||
			    off + s->size > PURG_MAX_SIZE)
				return kx_diag_set(d, -EINVAL, PFX "section %zu (%s): image would exceed %llu bytes",
						   i, s->name, PURG_MAX_SIZE);
			s->off = off;
			off += s->size;
			if (s->align > align)
				align = s->align;
		}
		if (pass == 0)
			pg->bufsz = (size_t)off;
	}
	pg->memsz = off;
	pg->align = align;
	return 0;
}

static int find_entry(struct kx_purg_impl *im, uint64_t e_entry, struct kx_diag *d)
{
	size_t i;

	for (i = 1; i < im->shnum; i++) {
		const struct purg_sec *s = &im->sec[i];

		if (!s->alloc || s->type == SHT_NOBITS || !(s->flags & SHF_EXECINSTR))
			continue;
		if (e_entry >= s->addr && e_entry - s->addr < s->size) {
			im->entry_off = s->off + (e_entry - s->addr);
			return 0;
		}
	}
	return kx_diag_set(d, -ENOEXEC, PFX "e_entry 0x%llx is outside every executable section",
			   (unsigned long long)e_entry);
}

static int find_symtab(struct kx_purg_impl *im, struct kx_diag *d)
{
	GElf_Shdr sh;
	size_t i;

	for (i = 1; i < im->shnum; i++)
		if (im->sec[i].type == SHT_SYMTAB)
			break;
	if (i == im->shnum)
		return 0;	/* no symbols: only an object without relocations can work */
	if (!gelf_getshdr(elf_getscn(im->elf, i), &sh))
		return kx_diag_set(d, -EINVAL, PFX "section %zu: %s", i, elf_errmsg(-1));
	if (sh.sh_entsize != sizeof(Elf64_Sym))
		return kx_diag_set(d, -EINVAL, PFX "symbol table %s: entry size %llu, not %zu",
				   im->sec[i].name, (unsigned long long)sh.sh_entsize, sizeof(Elf64_Sym));
	if (sh.sh_link == 0 || sh.sh_link >= im->shnum || im->sec[sh.sh_link].type != SHT_STRTAB)
		return kx_diag_set(d, -EINVAL, PFX "symbol table %s: sh_link %u is not a string table",
				   im->sec[i].name, sh.sh_link);
	im->syms = elf_getdata(elf_getscn(im->elf, i), NULL);
	if (!im->syms)
		return kx_diag_set(d, -EINVAL, PFX "symbol table %s: %s", im->sec[i].name, elf_errmsg(-1));
	im->symtab = i;
	im->strtab = sh.sh_link;
	im->nsyms = im->syms->d_size / sizeof(Elf64_Sym);
	return 0;
}

/* Check every relocation section that applies to a loaded section, keep its data. */
static int find_relocs(struct kx_purg_impl *im, struct kx_diag *d)
{
	size_t i;

	for (i = 1; i < im->shnum; i++) {
		struct purg_sec *s = &im->sec[i];
		GElf_Shdr sh;

		if (s->type != SHT_RELA && s->type != SHT_REL)
			continue;
		if (!gelf_getshdr(elf_getscn(im->elf, i), &sh))
			return kx_diag_set(d, -EINVAL, PFX "section %zu: %s", i, elf_errmsg(-1));
		if (sh.sh_info == 0 || sh.sh_info >= im->shnum)
			return kx_diag_set(d, -EINVAL, PFX "relocation section %s: target section %u out of range",
					   s->name, sh.sh_info);
		if (!im->sec[sh.sh_info].alloc)
			continue;	/* e.g. debug info: not loaded, not relocated */
		if (s->type == SHT_REL)
			return kx_diag_set(d, -ENOEXEC, PFX "relocation section %s: SHT_REL is not supported, only SHT_RELA",
					   s->name);
		if (im->sec[sh.sh_info].type == SHT_NOBITS)
			return kx_diag_set(d, -EINVAL, PFX "relocation section %s applies to NOBITS section %s",
					   s->name, im->sec[sh.sh_info].name);
		if (!im->symtab || sh.sh_link != im->symtab)
			return kx_diag_set(d, -EINVAL, PFX "relocation section %s: sh_link %u is not the symbol table",
					   s->name, sh.sh_link);
		if (sh.sh_entsize != sizeof(Elf64_Rela))
			return kx_diag_set(d, -EINVAL, PFX "relocation section %s: entry size %llu, not %zu",
					   s->name, (unsigned long long)sh.sh_entsize, sizeof(Elf64_Rela));
		s->target = sh.sh_info;
		s->relocs = elf_getdata(elf_getscn(im->elf, i), NULL);
		if (!s->relocs)
			return kx_diag_set(d, -EINVAL, PFX "relocation section %s: %s", s->name, elf_errmsg(-1));
	}
	return 0;
}

/* Every loaded section's pristine bytes into @pg->buf; padding zero. */
void kx_purg_copy_pristine_(struct kx_purgatory *pg)
{
	const struct kx_purg_impl *im = pg->impl;
	size_t i;

	memset(pg->buf, 0, pg->bufsz);
	for (i = 1; i < im->shnum; i++) {
		const struct purg_sec *s = &im->sec[i];

		if (s->alloc && s->type != SHT_NOBITS && s->size)
			memcpy(pg->buf + s->off, s->src, s->size);
	}
}

int kx_purg_open(struct kx_purgatory *pg, const void *obj, size_t len, const struct kx_arch *arch,
		 struct kx_diag *d)
{
	_cleanup_(impl_freep) struct kx_purg_impl *im = NULL;
	_cleanup_free_ uint8_t *buf = NULL;
	GElf_Ehdr eh;
	int r;

	memset(pg, 0, sizeof(*pg));
	if (!obj || !arch || !arch->apply_rela)
		return kx_diag_set(d, -EINVAL, PFX "no object or no relocation handler");
	r = check_ident(obj, len, d);
	if (r < 0)
		return r;

	im = calloc(1, sizeof(*im));
	if (!im)
		return kx_diag_set(d, -ENOMEM, PFX "out of memory");
	im->arch = arch;
	im->len = len;
	im->obj = malloc(len);
	if (!im->obj)
		return kx_diag_set(d, -ENOMEM, PFX "out of memory");
	memcpy(im->obj, obj, len);

	elf_version(EV_CURRENT);
	im->elf = elf_memory((char *)im->obj, len);
	if (!im->elf || elf_kind(im->elf) != ELF_K_ELF || !gelf_getehdr(im->elf, &eh))
		return kx_diag_set(d, -EINVAL, PFX "malformed ELF: %s", elf_errmsg(-1));
	if (eh.e_type != ET_REL)
		return kx_diag_set(d, -ENOEXEC, PFX "ELF type %u, not ET_REL (a relocatable object)", eh.e_type);
	if (eh.e_machine != arch->elf_machine)
		return kx_diag_set(d, -ENOEXEC, PFX "ELF machine %u, not %u (%s)", eh.e_machine,
				   arch->elf_machine, arch->name ? arch->name : "?");
	if (elf_getshdrnum(im->elf, &im->shnum) < 0)
		return kx_diag_set(d, -EINVAL, PFX "section headers: %s", elf_errmsg(-1));
	if (im->shnum == 0)
		return kx_diag_set(d, -ENOEXEC, PFX "no section headers");
	if (eh.e_shentsize != sizeof(Elf64_Shdr) ||
	    !in_object(eh.e_shoff, (uint64_t)im->shnum * sizeof(Elf64_Shdr), len))
		return kx_diag_set(d, -EINVAL, PFX "%zu section headers at 0x%llx are outside the %zu-byte object",
				   im->shnum, (unsigned long long)eh.e_shoff, len);
	im->sec = calloc(im->shnum, sizeof(*im->sec));
	if (!im->sec)
		return kx_diag_set(d, -ENOMEM, PFX "out of memory");

	r = read_sections(im, d);
	if (r >= 0)
		r = layout(pg, im, d);
	if (r >= 0)
		r = find_entry(im, eh.e_entry, d);
	if (r >= 0)
		r = find_symtab(im, d);
	if (r >= 0)
		r = find_relocs(im, d);
	if (r < 0) {
		pg->bufsz = pg->memsz = pg->align = 0;
		return r;
	}

	buf = calloc(1, pg->bufsz ? pg->bufsz : 1);
	if (!buf) {
		pg->bufsz = pg->memsz = pg->align = 0;
		return kx_diag_set(d, -ENOMEM, PFX "out of memory");
	}
	pg->buf = TAKE_PTR(buf);
	pg->impl = TAKE_PTR(im);
	kx_purg_copy_pristine_(pg);	/* so symbols read their defaults before relocation */
	return 0;
}

void kx_purg_done(struct kx_purgatory *pg)
{
	free(pg->buf);
	impl_free(pg->impl);
	memset(pg, 0, sizeof(*pg));
}
