/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vmcoreinfo.c - the VMCOREINFO note: find it, and read its "KEY=value"
 * lines (OSRELEASE=..., NUMBER(phys_base)=..., SYMBOL(_stext)=..., ...).
 */
#include <limits.h>

#include "kdump-elf-internal.h"

int kdump_elf_vmcoreinfo_find(const void *notes, size_t len, const char **ret_text,
			      size_t *ret_len)
{
	struct kdump_elf_note n;
	size_t off = 0;
	const char *nul;
	int r;

	if (!ret_text || !ret_len)
		return -EINVAL;
	r = kdump_elf_note_find(notes, len, &off, KDUMP_ELF_VMCOREINFO, &n);
	if (r < 0)
		return r;
	/* the kernel's buffer is zero-padded past the text */
	nul = memchr(n.desc, '\0', n.descsz);
	*ret_text = n.desc;
	*ret_len = nul ? (size_t)(nul - (const char *)n.desc) : n.descsz;
	return 0;
}

static int key_ok_(const char *key)
{
	return key && *key && !strchr(key, '=') && !strchr(key, '\n');
}

int kdump_elf_vmcoreinfo_get(const char *text, size_t len, const char *key, char *val,
			     size_t vallen)
{
	const char *nul, *line, *eol, *end;
	size_t klen, vlen;

	if ((!text && len) || !key_ok_(key) || (!val && vallen))
		return -EINVAL;
	if (!len)
		return -ENOENT;
	nul = memchr(text, '\0', len);
	end = nul ? nul : text + len;
	klen = strlen(key);

	for (line = text; line < end; line = eol + 1) {
		eol = memchr(line, '\n', (size_t)(end - line));
		if (!eol)
			eol = end;
		if ((size_t)(eol - line) <= klen || memcmp(line, key, klen) || line[klen] != '=')
			continue;
		vlen = (size_t)(eol - line) - klen - 1;
		if (vlen > INT_MAX)
			return -ENOSPC;
		if (!vallen)
			return (int)vlen;	/* a length query */
		if (vlen >= vallen) {
			val[0] = '\0';
			return -ENOSPC;
		}
		memcpy(val, line + klen + 1, vlen);
		val[vlen] = '\0';
		return (int)vlen;
	}
	return -ENOENT;
}

static int digit_(char c, unsigned base)
{
	unsigned d;

	if (c >= '0' && c <= '9')
		d = (unsigned)(c - '0');
	else if (c >= 'a' && c <= 'f')
		d = (unsigned)(c - 'a') + 10;
	else if (c >= 'A' && c <= 'F')
		d = (unsigned)(c - 'A') + 10;
	else
		return -1;
	return d < base ? (int)d : -1;
}

int kdump_elf_vmcoreinfo_u64(const char *text, size_t len, const char *key, int base,
			     uint64_t *ret)
{
	/* 2^64 in hex with "-0x" is 19 characters; anything longer is junk */
	char val[32];
	const char *s = val;
	uint64_t v = 0;
	unsigned b;
	int neg = 0, r, d;

	if (!ret || (base != 0 && base != 10 && base != 16))
		return -EINVAL;
	r = kdump_elf_vmcoreinfo_get(text, len, key, val, sizeof(val));
	if (r == -ENOSPC)
		return -ERANGE;
	if (r < 0)
		return r;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	b = base ? (unsigned)base : 10;
	if (base != 10 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		b = 16;
		s += 2;
	}
	if (!*s)
		return -ERANGE;
	for (; *s; s++) {
		d = digit_(*s, b);
		if (d < 0 || v > (UINT64_MAX - (unsigned)d) / b)
			return -ERANGE;
		v = v * b + (unsigned)d;
	}
	*ret = neg ? (uint64_t)0 - v : v;
	return 0;
}
