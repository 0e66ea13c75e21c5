/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-kdump-elf.c - libFuzzer target for libkdump-elf: the input is fed
 * to the header parser and checker, to the note iterator and VMCOREINFO
 * readers, to the builder as a foreign buffer, and drives a sequence of
 * builder calls whose result must always parse and check.  Not built by
 * default:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Ikdump-elf \
 *	tests/fuzz/fuzz-kdump-elf.c kdump-elf/{build,parse,check,note,vmcoreinfo,strerror}.c \
 *	-o fuzz-kdump-elf && ./fuzz-kdump-elf -max_total_time=60
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kdump-elf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MUST(e) do { if (!(e)) abort(); } while (0)

static void fuzz_header(const uint8_t *data, size_t size)
{
	struct kdump_elf_problem p[16];
	struct kdump_elf_view v;
	struct kdump_elf_phdr ph;
	size_t need;
	unsigned i;
	int r, n;

	r = kdump_elf_probe(data, size, &need);
	MUST(r <= 0);
	r = kdump_elf_parse(data, size, &v);
	n = kdump_elf_check(data, size, p, sizeof(p) / sizeof(p[0]));
	if (r < 0) {
		MUST(n == r);
		MUST(kdump_elf_phdr(data, size, 0, &ph) == r);
		MUST(kdump_elf_strerror(r) != NULL);
		return;
	}
	MUST(need <= size);
	MUST(v.phnum <= v.capacity && v.phnum + v.spare <= v.capacity);
	MUST(v.capacity <= KDUMP_ELF_MAX_PHDRS);
	MUST(v.notes + v.loads + v.others == v.phnum);
	MUST(n >= 0);
	for (i = 0; i < (unsigned)n && i < sizeof(p) / sizeof(p[0]); i++) {
		MUST(p[i].code > 0 && p[i].code < KDUMP_ELF_P_MAX);
		MUST(p[i].index < v.phnum && p[i].other < v.phnum);
	}
	for (i = 0; i < v.phnum; i++)
		MUST(kdump_elf_phdr(data, size, i, &ph) == 0);
	MUST(kdump_elf_phdr(data, size, v.phnum, &ph) == -ERANGE);
	r = kdump_elf_text_load(data, size);
	MUST(r == -ENOENT || (r >= 0 && (unsigned)r < v.phnum));
}

static void fuzz_notes(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "OSRELEASE", "PAGESIZE", "KERNELOFFSET",
					    "NUMBER(phys_base)", "SYMBOL(_stext)", "A" };
	struct kdump_elf_note n;
	const char *text;
	size_t off = 0, last = 0, tlen, k;
	char val[64];
	uint64_t u;
	int r;

	while ((r = kdump_elf_note_next(data, size, &off, &n)) > 0) {
		MUST(off > last && off <= size);
		MUST((const uint8_t *)n.name >= data && (const uint8_t *)n.name + n.namesz <= data + size);
		MUST((const uint8_t *)n.desc >= data &&
		     (const uint8_t *)n.desc + n.descsz <= data + size);
		last = off;
	}
	MUST(r <= 0);
	off = 0;
	(void)kdump_elf_note_find(data, size, &off, "CORE", &n);
	if (kdump_elf_vmcoreinfo_find(data, size, &text, &tlen) == 0)
		MUST((const uint8_t *)text + tlen <= data + size);

	/* the input as VMCOREINFO text */
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		r = kdump_elf_vmcoreinfo_get((const char *)data, size, keys[k], val, sizeof(val));
		MUST(r < 0 || (size_t)r == strlen(val));
		r = kdump_elf_vmcoreinfo_get((const char *)data, size, keys[k], NULL, 0);
		MUST(r >= -ENOSPC);
		(void)kdump_elf_vmcoreinfo_u64((const char *)data, size, keys[k], (int)(k % 2) * 16, &u);
	}
}

/* the input as a buffer the builder did not make: must be refused or handled */
static void fuzz_foreign(const uint8_t *data, size_t size)
{
	uint8_t *b = malloc(size ? size : 1);
	int r;

	if (!b)
		return;
	memcpy(b, data, size);
	r = kdump_elf_add_load(b, size, 0x100000, 0, 0x1000);
	MUST(r == -EINVAL || r == -ENOSPC || r >= 0);
	(void)kdump_elf_add_note(b, size, 0x1000, 0x10);
	(void)kdump_elf_spare(b, size);
	(void)kdump_elf_reset_loads(b, size, size ? data[0] : 0);
	if (kdump_elf_capacity(b, size) >= 0) {
		struct kdump_elf_view v;

		/* a header the builder accepts must also parse */
		r = kdump_elf_parse(b, size, &v);
		MUST(r == 0 || r == -KDUMP_ELF_EBADVERSION || r == -KDUMP_ELF_EBADEHSIZE);
	}
	free(b);
}

static uint64_t take(const uint8_t **p, size_t *left)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < 8 && *left; i++, (*p)++, (*left)--)
		v |= (uint64_t)**p << (8 * i);
	return v;
}

/* the input as a script of builder calls */
static void fuzz_build(const uint8_t *data, size_t size)
{
	size_t bufsz = 0, left = size;
	const uint8_t *p = data;
	struct kdump_elf_view v;
	uint8_t *b;
	int cap, r;

	if (size < 2)
		return;
	/* up to 72 slots: enough to fill up, small enough to stay fast */
	bufsz = (size_t)(data[0] | (data[1] & 0x0f) << 8);
	p += 2;
	left -= 2;
	b = malloc(bufsz ? bufsz : 1);
	if (!b)
		return;
	cap = kdump_elf_init(b, bufsz, 62);
	if (cap < 0) {
		MUST(cap == -ENOSPC && bufsz < 120);
		free(b);
		return;
	}
	while (left) {
		uint8_t op = *p++;
		uint64_t a, c, d;

		left--;
		a = take(&p, &left);
		c = take(&p, &left);
		d = take(&p, &left) >> (op & 63);
		switch (op % 3) {
		case 0:
			r = kdump_elf_add_note(b, bufsz, a, d);
			break;
		case 1:
			r = kdump_elf_add_load(b, bufsz, a, c, d);
			break;
		default:
			r = kdump_elf_reset_loads(b, bufsz, (unsigned)(a % 8));
			break;
		}
		MUST(r >= 0 || r == -EINVAL || r == -ENOSPC || r == -ERANGE);
		MUST(kdump_elf_spare(b, bufsz) + kdump_elf_phnum(b, bufsz) == cap);
		MUST(kdump_elf_parse(b, bufsz, &v) == 0);
		MUST(v.spare == (unsigned)kdump_elf_spare(b, bufsz));
		MUST(kdump_elf_check(b, bufsz, NULL, 0) >= 0);
	}
	free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_header(data, size);
	fuzz_notes(data, size);
	fuzz_foreign(data, size);
	fuzz_build(data, size);
	return 0;
}
