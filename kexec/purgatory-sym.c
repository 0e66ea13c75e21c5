/* SPDX-License-Identifier: GPL-2.0-or-later */
/* purgatory-sym.c - read and patch the purgatory's global symbols (exact size, not NOBITS). */
#include <string.h>

#include "purgatory-impl.h"

/* The STB_GLOBAL symbol called @name. Returns 0 or -ENOENT. */
static int find_global(const struct kx_purg_impl *im, const char *name, GElf_Sym *ret)
{
	size_t i;

	for (i = 1; i < im->nsyms; i++) {
		GElf_Sym s;
		const char *n;

		if (!gelf_getsym(im->syms, (int)i, &s) || GELF_ST_BIND(s.st_info) != STB_GLOBAL)
			continue;
		n = elf_strptr(im->elf, im->strtab, s.st_name);
		if (n && !strcmp(n, name)) {
			*ret = s;
			return 0;
		}
	}
	return -ENOENT;
}

/* Where a global symbol's @len bytes are in pg->buf. Returns 0, -ENOENT, -EINVAL. */
static int sym_bytes(const struct kx_purgatory *pg, const char *name, size_t len, uint8_t **ret,
		     struct kx_diag *d)
{
	const struct kx_purg_impl *im = pg->impl;
	const struct purg_sec *s;
	GElf_Sym sym;

	if (!im || !name)
		return kx_diag_set(d, -EINVAL, PFX "not opened");
	if (find_global(im, name, &sym) < 0)
		return kx_diag_set(d, -ENOENT, PFX "no global symbol '%s'", name);
	if (sym.st_shndx == SHN_UNDEF)
		return kx_diag_set(d, -ENOENT, PFX "symbol '%s' is undefined", name);
	if (sym.st_shndx >= SHN_LORESERVE || sym.st_shndx >= im->shnum || !im->sec[sym.st_shndx].alloc)
		return kx_diag_set(d, -EINVAL, PFX "symbol '%s' has no bytes in the loaded image", name);
	s = &im->sec[sym.st_shndx];
	if (s->type == SHT_NOBITS)
		return kx_diag_set(d, -EINVAL, PFX "symbol '%s' is in NOBITS section %s and cannot be preset",
				   name, s->name);
	if (sym.st_size != len)
		return kx_diag_set(d, -EINVAL, PFX "symbol '%s' has size %llu, not %zu", name,
				   (unsigned long long)sym.st_size, len);
	if (sym.st_value > s->size || sym.st_size > s->size - sym.st_value)
		return kx_diag_set(d, -EINVAL, PFX "symbol '%s' runs past the end of %s", name, s->name);
	*ret = pg->buf + s->off + sym.st_value;
	return 0;
}

int kx_purg_set_sym(struct kx_purgatory *pg, const char *name, const void *val, size_t len,
		    struct kx_diag *d)
{
	uint8_t *p;
	int r = sym_bytes(pg, name, len, &p, d);

	if (r < 0)
		return r;
	if (len)
		memcpy(p, val, len);
	return 0;
}

int kx_purg_get_sym(const struct kx_purgatory *pg, const char *name, void *val, size_t len,
		    struct kx_diag *d)
{
	uint8_t *p;
	int r = sym_bytes(pg, name, len, &p, d);

	if (r < 0)
		return r;
	if (len)
		memcpy(val, p, len);
	return 0;
}

int kx_purg_sym_addr(const struct kx_purgatory *pg, const char *name, uint64_t *ret)
{
	GElf_Sym sym;
	uint64_t v;

	if (!pg->impl || !name || find_global(pg->impl, name, &sym) < 0)
		return -ENOENT;
	if (kx_purg_sym_value_(pg->impl, &sym, pg->load_addr, &v, NULL) < 0)
		return -ENOENT;
	*ret = v;
	return 0;
}
