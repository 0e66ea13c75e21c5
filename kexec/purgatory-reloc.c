/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * purgatory-reloc.c - apply the purgatory object's relocations for a load
 * address; arch->apply_rela does each one.
 */
#include <string.h>

#include "purgatory-impl.h"

/*
 * sym_value - S for a relocation or an address lookup
 * Returns 0, -ENOENT (undefined), -EINVAL (common, reserved or bad section
 * index, or a section that is not loaded).
 */
int kx_purg_sym_value_(const struct kx_purg_impl *im, const GElf_Sym *s, uint64_t load_addr,
		     uint64_t *ret, struct kx_diag *d)
{
	const char *name = kx_purg_sym_name_(im, s);

	switch (s->st_shndx) {
	case SHN_UNDEF:
		return kx_diag_set(d, -ENOENT, PFX "undefined symbol '%s'", name);
	case SHN_ABS:
		*ret = s->st_value;
		return 0;
	case SHN_COMMON:
		return kx_diag_set(d, -EINVAL, PFX "common symbol '%s' has no storage (build with -fno-common)", name);
	default:
		break;
	}
	if (s->st_shndx >= SHN_LORESERVE || s->st_shndx >= im->shnum)
		return kx_diag_set(d, -EINVAL, PFX "symbol '%s': section index 0x%x out of range", name, s->st_shndx);
	if (!im->sec[s->st_shndx].alloc)
		return kx_diag_set(d, -EINVAL, PFX "symbol '%s' is in section %s, which is not loaded",
				   name, im->sec[s->st_shndx].name);
	*ret = load_addr + im->sec[s->st_shndx].off + s->st_value;
	return 0;
}

/*
 * A field that starts less than RELOC_MAX_WIDTH bytes before the end of its
 * section: apply it to a padded scratch copy, twice with different padding,
 * and refuse it if either run changed a byte past the end.  The arch needs
 * no table of field widths, and nothing is written outside the section.
 * Returns as apply_rela, or -EFAULT when the field does not fit.
 */
static int apply_near_end(kx_apply_rela_fn apply, uint32_t type, uint8_t *loc, size_t avail,
			  uint64_t S, int64_t A, uint64_t P)
{
	static const uint8_t pad[2] = { 0x00, 0xff };
	uint8_t tmp[2][RELOC_MAX_WIDTH];
	size_t k, b;
	int r;

	for (k = 0; k < 2; k++) {
		memset(tmp[k], pad[k], RELOC_MAX_WIDTH);
		memcpy(tmp[k], loc, avail);
		r = apply(type, tmp[k], S, A, P);
		if (r < 0)
			return r;
		for (b = avail; b < RELOC_MAX_WIDTH; b++)
			if (tmp[k][b] != pad[k])
				return -EFAULT;
	}
	memcpy(loc, tmp[0], avail);
	return 0;
}

static int apply_one(struct kx_purgatory *pg, size_t rsec, size_t idx, const GElf_Rela *rel,
		     uint64_t load_addr, struct kx_diag *d)
{
	const struct kx_purg_impl *im = pg->impl;
	const struct purg_sec *rs = &im->sec[rsec];
	const struct purg_sec *t = &im->sec[rs->target];
	size_t symi = GELF_R_SYM(rel->r_info);
	uint32_t type = (uint32_t)GELF_R_TYPE(rel->r_info);
	const char *tname = im->arch->reloc_name ? im->arch->reloc_name(type) : NULL;
	const char *sname = "(none)";
	uint64_t S = 0, P;
	uint8_t *loc;
	int r;

	if (!tname)
		tname = "?";
	if (symi) {
		GElf_Sym sym;

		if (symi >= im->nsyms || !gelf_getsym(im->syms, (int)symi, &sym))
			return kx_diag_set(d, -EINVAL, PFX "%s entry %zu: symbol index %zu out of range (%zu symbols)",
					   rs->name, idx, symi, im->nsyms);
		sname = kx_purg_sym_name_(im, &sym);
		r = kx_purg_sym_value_(im, &sym, load_addr, &S, d);
		if (r < 0)
			return r;
	}
	if (rel->r_offset >= t->size)
		return kx_diag_set(d, -EINVAL, PFX "%s entry %zu: offset 0x%llx is outside %s (0x%llx bytes)",
				   rs->name, idx, (unsigned long long)rel->r_offset, t->name,
				   (unsigned long long)t->size);
	P = load_addr + t->off + rel->r_offset;
	loc = pg->buf + t->off + rel->r_offset;
	if (t->size - rel->r_offset >= RELOC_MAX_WIDTH)
		r = im->arch->apply_rela(type, loc, S, rel->r_addend, P);
	else
		r = apply_near_end(im->arch->apply_rela, type, loc, (size_t)(t->size - rel->r_offset), S,
				   rel->r_addend, P);

	switch (r) {
	case 0:
		return 0;
	case -ENOEXEC:
		return kx_diag_set(d, r, PFX "relocation %s (type %u) is not supported (%s+0x%llx, symbol %s)",
				   tname, type, t->name, (unsigned long long)rel->r_offset, sname);
	case -ERANGE:
		return kx_diag_set(d, r, PFX "relocation %s (type %u) against %s: value 0x%llx (S 0x%llx + A %lld) "
				   "does not fit its field at 0x%llx (%s+0x%llx)",
				   tname, type, sname, (unsigned long long)(S + (uint64_t)rel->r_addend),
				   (unsigned long long)S, (long long)rel->r_addend, (unsigned long long)P,
				   t->name, (unsigned long long)rel->r_offset);
	case -EFAULT:
		return kx_diag_set(d, -EINVAL, PFX "relocation %s (type %u) at %s+0x%llx runs past the end of the section",
				   tname, type, t->name, (unsigned long long)rel->r_offset);
	default:
		return kx_diag_set(d, r < 0 ? r : -EINVAL, PFX "relocation %s (type %u) at %s+0x%llx failed (%d)",
				   tname, type, t->name, (unsigned long long)rel->r_offset, r);
	}
}

int kx_purg_relocate(struct kx_purgatory *pg, uint64_t load_addr, struct kx_diag *d)
{
	struct kx_purg_impl *im = pg->impl;
	size_t i, j;
	int r;

	if (!im)
		return kx_diag_set(d, -EINVAL, PFX "not opened");
	pg->load_addr = 0;
	pg->entry = 0;
	if (load_addr & (pg->align - 1))
		return kx_diag_set(d, -EINVAL, PFX "load address 0x%llx is not aligned to 0x%llx",
				   (unsigned long long)load_addr, (unsigned long long)pg->align);
	if (load_addr > UINT64_MAX - pg->memsz)
		return kx_diag_set(d, -EINVAL, PFX "load address 0x%llx + 0x%llx bytes wraps around",
				   (unsigned long long)load_addr, (unsigned long long)pg->memsz);

	kx_purg_copy_pristine_(pg);
	for (i = 1; i < im->shnum; i++) {
		const struct purg_sec *s = &im->sec[i];
		size_t n;

		if (!s->relocs)
			continue;
		n = s->relocs->d_size / sizeof(Elf64_Rela);
		for (j = 0; j < n; j++) {
			GElf_Rela rel;

			if (!gelf_getrela(s->relocs, (int)j, &rel))
				return kx_diag_set(d, -EINVAL, PFX "%s entry %zu: %s", s->name, j, elf_errmsg(-1));
			r = apply_one(pg, i, j, &rel, load_addr, d);
			if (r < 0)
				return r;
		}
	}
	pg->load_addr = load_addr;
	pg->entry = load_addr + im->entry_off;
	return 0;
}
