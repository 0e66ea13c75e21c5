/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-purgatory-reloc.c - link the real embedded x86_64 purgatory with
 * kexec/purgatory-load.c, check the symbol contract of purgatory.h, the x86_64
 * relocation table, and that malformed objects fail cleanly.
 *
 * Malformed objects are made by patching a copy of the real one in place;
 * the test reads the copy's headers itself (little-endian ELF64, as built).
 */
#include <elf.h>
#include <stdlib.h>

#include "purgatory/purgatory.h"
#include "purgatory.h"
#include "test.h"
#include "x86_64.h"

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))
#define ADDR_A 0x3f000000ULL
#define ADDR_B 0xbef00000ULL

static const struct kx_arch test_arch = {
	.name = "x86_64",
	.elf_machine = EM_X86_64,
	.purgatory = kx_purgatory_x86_64,
	.purgatory_len = &kx_purgatory_x86_64_len,
	.apply_rela = kx_x86_64_apply_rela,
	.reloc_name = kx_x86_64_reloc_name,
};

static const struct {
	const char *name;
	size_t size;
} contract[] = {
	{ PG_SYM_REGIONS, sizeof(struct pg_sha_region) * PG_MAX_REGIONS },
	{ PG_SYM_DIGEST, 32 },
	{ PG_SYM_SKIP, 1 },
	{ PG_SYM_X86_CONSOLE, 2 },
	{ PG_SYM_DEBUG, 1 },
	{ PG_SYM_X86_RIP, 8 },
	{ PG_SYM_X86_RSI, 8 },
};

/* ---- a writable copy of the object and raw access to its headers ---- */

struct obj {
	uint8_t *b;
	size_t len;
};

static struct obj obj_copy(void)
{
	struct obj o = { malloc(kx_purgatory_x86_64_len), kx_purgatory_x86_64_len };

	ASSERT_TRUE(o.b);
	memcpy(o.b, kx_purgatory_x86_64, o.len);
	return o;
}

static Elf64_Ehdr *ehdr(struct obj *o)
{
	return (Elf64_Ehdr *)o->b;
}

static Elf64_Shdr *shdr(struct obj *o, size_t i)
{
	ASSERT_TRUE(ehdr(o)->e_shoff % 8 == 0);
	ASSERT_TRUE(i < ehdr(o)->e_shnum);
	return (Elf64_Shdr *)(o->b + ehdr(o)->e_shoff) + i;
}

static const char *shname(struct obj *o, size_t i)
{
	return (const char *)o->b + shdr(o, ehdr(o)->e_shstrndx)->sh_offset + shdr(o, i)->sh_name;
}

static size_t sec_by_name(struct obj *o, const char *name)
{
	size_t i;

	for (i = 1; i < ehdr(o)->e_shnum; i++)
		if (!strcmp(shname(o, i), name))
			return i;
	kt_fail(__FILE__, __LINE__, "no section %s", name);
}

static size_t sec_by_type(struct obj *o, uint32_t type)
{
	size_t i;

	for (i = 1; i < ehdr(o)->e_shnum; i++)
		if (shdr(o, i)->sh_type == type)
			return i;
	kt_fail(__FILE__, __LINE__, "no section of type %u", type);
}

static Elf64_Sym *sym(struct obj *o, size_t i)
{
	return (Elf64_Sym *)(o->b + shdr(o, sec_by_type(o, SHT_SYMTAB))->sh_offset) + i;
}

static size_t nsyms(struct obj *o)
{
	return shdr(o, sec_by_type(o, SHT_SYMTAB))->sh_size / sizeof(Elf64_Sym);
}

static const char *symname(struct obj *o, size_t i)
{
	Elf64_Shdr *st = shdr(o, sec_by_type(o, SHT_SYMTAB));

	return (const char *)o->b + shdr(o, st->sh_link)->sh_offset + sym(o, i)->st_name;
}

static size_t sym_by_name(struct obj *o, const char *name)
{
	size_t i;

	for (i = 1; i < nsyms(o); i++)
		if (!strcmp(symname(o, i), name))
			return i;
	kt_fail(__FILE__, __LINE__, "no symbol %s", name);
}

/* The first RELA entry of @type in @relsec (SIZE_MAX if none). */
static Elf64_Rela *rela(struct obj *o, const char *relsec, size_t n)
{
	Elf64_Shdr *s = shdr(o, sec_by_name(o, relsec));

	ASSERT_TRUE(n < s->sh_size / sizeof(Elf64_Rela));
	return (Elf64_Rela *)(o->b + s->sh_offset) + n;
}

static Elf64_Rela *rela_of_type(struct obj *o, const char *relsec, uint32_t type)
{
	Elf64_Shdr *s = shdr(o, sec_by_name(o, relsec));
	size_t i;

	for (i = 0; i < s->sh_size / sizeof(Elf64_Rela); i++)
		if (ELF64_R_TYPE(rela(o, relsec, i)->r_info) == type)
			return rela(o, relsec, i);
	kt_fail(__FILE__, __LINE__, "no relocation of type %u in %s", type, relsec);
}

/* Open @o, then relocate at ADDR_A; returns the first error. */
static int try_load(struct obj *o, struct kx_diag *d)
{
	struct kx_purgatory pg;
	int r;

	r = kx_purg_open(&pg, o->b, o->len, &test_arch, d);
	if (r >= 0) {
		r = kx_purg_relocate(&pg, ADDR_A, d);
		kx_purg_done(&pg);
	}
	return r;
}

static void open_real(struct kx_purgatory *pg)
{
	struct kx_diag d = { 0 };
	int r = kx_purg_open(pg, kx_purgatory_x86_64, kx_purgatory_x86_64_len, &test_arch, &d);

	if (r < 0)
		kt_fail(__FILE__, __LINE__, "kx_purg_open: %d: %s", r, d.msg);
}

/* ---- the real object ---- */

TEST(open_lays_out_sections)
{
	struct kx_purgatory pg;

	open_real(&pg);
	ASSERT_TRUE(pg.bufsz > 0);
	ASSERT_TRUE(pg.memsz >= pg.bufsz + 4096);	/* .bss holds the stack */
	ASSERT_TRUE(pg.align >= 16);
	ASSERT_TRUE(kx_is_pow2(pg.align));
	ASSERT_EQ(pg.load_addr, 0);
	ASSERT_TRUE(pg.buf != NULL);
	kx_purg_done(&pg);
	ASSERT_TRUE(pg.buf == NULL && pg.impl == NULL);
	kx_purg_done(&pg);	/* twice is harmless */
}

TEST(object_is_clean)
{
	/* every symbol the loader patches: global, exact size, in .data; nothing undefined */
	struct obj o = obj_copy();
	size_t i, data = sec_by_name(&o, ".data");

	ASSERT_EQ(ehdr(&o)->e_type, ET_REL);
	ASSERT_EQ(ehdr(&o)->e_machine, EM_X86_64);
	for (i = 0; i < N_ELEM(contract); i++) {
		Elf64_Sym *s = sym(&o, sym_by_name(&o, contract[i].name));

		ASSERT_EQ(ELF64_ST_BIND(s->st_info), STB_GLOBAL);
		ASSERT_EQ(ELF64_ST_TYPE(s->st_info), STT_OBJECT);
		ASSERT_EQ(s->st_size, contract[i].size);
		ASSERT_EQ(s->st_shndx, data);
	}
	for (i = 1; i < nsyms(&o); i++)
		if (sym(&o, i)->st_shndx == SHN_UNDEF)
			kt_fail(__FILE__, __LINE__, "undefined symbol %s", symname(&o, i));
	/* e_entry is purgatory_start */
	i = sym_by_name(&o, "purgatory_start");
	ASSERT_EQ(ehdr(&o)->e_entry, sym(&o, i)->st_value);
	ASSERT_EQ(shdr(&o, sym(&o, i)->st_shndx)->sh_flags & SHF_EXECINSTR, SHF_EXECINSTR);
	free(o.b);
}

TEST(contract_symbols_defaults_and_sizes)
{
	struct kx_purgatory pg;
	struct kx_diag d = { 0 };
	uint8_t buf[512];
	uint16_t port;
	size_t i;

	open_real(&pg);
	for (i = 0; i < N_ELEM(contract); i++) {
		memset(buf, 0x77, sizeof(buf));
		ASSERT_OK(kx_purg_get_sym(&pg, contract[i].name, buf, contract[i].size, NULL));
		ASSERT_ERR(kx_purg_get_sym(&pg, contract[i].name, buf, contract[i].size + 1, NULL), -EINVAL);
		ASSERT_ERR(kx_purg_set_sym(&pg, contract[i].name, buf, contract[i].size - 1, NULL), -EINVAL);
	}
	/* defaults: console on COM1, everything else zero (checks on, quiet) */
	ASSERT_OK(kx_purg_get_sym(&pg, PG_SYM_X86_CONSOLE, &port, sizeof(port), NULL));
	ASSERT_EQ(port, 0x3f8);
	ASSERT_OK(kx_purg_get_sym(&pg, PG_SYM_SKIP, buf, 1, NULL));
	ASSERT_EQ(buf[0], 0);
	ASSERT_OK(kx_purg_get_sym(&pg, PG_SYM_DEBUG, buf, 1, NULL));
	ASSERT_EQ(buf[0], 0);

	ASSERT_ERR(kx_purg_set_sym(&pg, PG_SYM_DIGEST, buf, 31, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "has size 32, not 31");
	kx_purg_done(&pg);
}

TEST(set_get_round_trip)
{
	struct kx_purgatory pg;
	struct pg_sha_region reg[PG_MAX_REGIONS], back[PG_MAX_REGIONS];
	uint8_t dg[32], dgb[32], skip = 1, skipb = 0;
	uint16_t port = 0x2f8, portb = 0;
	uint64_t rip = 0x1000200, rsi = 0x90000, v = 0, addr;
	size_t i;

	open_real(&pg);
	ASSERT_OK(kx_purg_relocate(&pg, ADDR_A, NULL));
	for (i = 0; i < PG_MAX_REGIONS; i++) {
		reg[i].start = 0x100000ULL * (i + 1);
		reg[i].len = 0x1000 * (i + 3);
	}
	for (i = 0; i < 32; i++)
		dg[i] = (uint8_t)(i * 7 + 1);
	ASSERT_OK(kx_purg_set_sym(&pg, PG_SYM_REGIONS, reg, sizeof(reg), NULL));
	ASSERT_OK(kx_purg_set_sym(&pg, PG_SYM_DIGEST, dg, sizeof(dg), NULL));
	ASSERT_OK(kx_purg_set_sym(&pg, PG_SYM_SKIP, &skip, 1, NULL));
	ASSERT_OK(kx_purg_set_sym(&pg, PG_SYM_X86_CONSOLE, &port, 2, NULL));
	ASSERT_OK(kx_purg_set_sym(&pg, PG_SYM_X86_RIP, &rip, 8, NULL));
	ASSERT_OK(kx_purg_set_sym(&pg, PG_SYM_X86_RSI, &rsi, 8, NULL));

	ASSERT_OK(kx_purg_get_sym(&pg, PG_SYM_REGIONS, back, sizeof(back), NULL));
	ASSERT_TRUE(!memcmp(reg, back, sizeof(reg)));
	ASSERT_OK(kx_purg_get_sym(&pg, PG_SYM_DIGEST, dgb, sizeof(dgb), NULL));
	ASSERT_TRUE(!memcmp(dg, dgb, 32));
	ASSERT_OK(kx_purg_get_sym(&pg, PG_SYM_SKIP, &skipb, 1, NULL));
	ASSERT_EQ(skipb, 1);
	ASSERT_OK(kx_purg_get_sym(&pg, PG_SYM_X86_CONSOLE, &portb, 2, NULL));
	ASSERT_EQ(portb, 0x2f8);

	/* the bytes are where the symbol's address says, in the segment buffer */
	ASSERT_OK(kx_purg_sym_addr(&pg, PG_SYM_X86_RIP, &addr));
	ASSERT_TRUE(addr >= ADDR_A && addr + 8 <= ADDR_A + pg.bufsz);
	memcpy(&v, pg.buf + (addr - ADDR_A), 8);
	ASSERT_EQ(v, rip);

	/* a relink starts from the pristine object: patches are gone */
	ASSERT_OK(kx_purg_relocate(&pg, ADDR_B, NULL));
	ASSERT_OK(kx_purg_get_sym(&pg, PG_SYM_X86_CONSOLE, &portb, 2, NULL));
	ASSERT_EQ(portb, 0x3f8);
	ASSERT_OK(kx_purg_get_sym(&pg, PG_SYM_X86_RIP, &v, 8, NULL));
	ASSERT_EQ(v, 0);
	kx_purg_done(&pg);
}

TEST(unknown_and_local_symbols_enoent)
{
	struct kx_purgatory pg;
	struct kx_diag d = { 0 };
	uint64_t v = 0;

	open_real(&pg);
	ASSERT_ERR(kx_purg_set_sym(&pg, "no_such_symbol", &v, 8, &d), -ENOENT);
	ASSERT_CONTAINS(d.msg, "no_such_symbol");
	ASSERT_ERR(kx_purg_get_sym(&pg, "no_such_symbol", &v, 8, NULL), -ENOENT);
	ASSERT_ERR(kx_purg_sym_addr(&pg, "no_such_symbol", &v), -ENOENT);
	/* a local symbol is not part of the contract */
	ASSERT_ERR(kx_purg_get_sym(&pg, "pg_gdt_desc", &v, 8, NULL), -ENOENT);
	ASSERT_ERR(kx_purg_set_sym(&pg, "", &v, 8, NULL), -ENOENT);
	kx_purg_done(&pg);
}

TEST(relocate_at_two_addresses_moves_entry)
{
	struct kx_purgatory pg;
	uint64_t ea, eb, start;

	open_real(&pg);
	ASSERT_OK(kx_purg_relocate(&pg, ADDR_A, NULL));
	ASSERT_EQ(pg.load_addr, ADDR_A);
	ea = pg.entry;
	ASSERT_TRUE(ea >= ADDR_A && ea < ADDR_A + pg.bufsz);
	ASSERT_OK(kx_purg_sym_addr(&pg, "purgatory_start", &start));
	ASSERT_EQ(start, ea);

	ASSERT_OK(kx_purg_relocate(&pg, ADDR_B, NULL));
	ASSERT_EQ(pg.load_addr, ADDR_B);
	eb = pg.entry;
	ASSERT_EQ(eb - ea, ADDR_B - ADDR_A);
	ASSERT_OK(kx_purg_sym_addr(&pg, "purgatory_start", &start));
	ASSERT_EQ(start, eb);
	kx_purg_done(&pg);
}

/*
 * The layout rule, computed independently: each relocation field's offset
 * in the image, so a relink can be compared byte by byte.
 */
static size_t image_offsets(struct obj *o, uint64_t *off)
{
	uint64_t pos = 0;
	size_t i, n = ehdr(o)->e_shnum;
	int pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 1; i < n; i++) {
			Elf64_Shdr *s = shdr(o, i);
			uint64_t a = s->sh_addralign ? s->sh_addralign : 1;

			off[i] = pass == 0 ? UINT64_MAX : off[i];
			if (!(s->sh_flags & SHF_ALLOC) || (s->sh_type == SHT_NOBITS) != (pass == 1))
				continue;
			pos = (pos + a - 1) & ~(a - 1);
			off[i] = pos;
			pos += s->sh_size;
		}
	return n;
}

TEST(relink_differs_only_at_relocations)
{
	struct obj o = obj_copy();
	struct kx_purgatory pg;
	uint64_t off[64], delta = ADDR_B - ADDR_A;
	uint8_t *a, *mark;
	size_t i, j, n, n64 = 0, npc = 0;

	ASSERT_TRUE(ehdr(&o)->e_shnum <= N_ELEM(off));
	n = image_offsets(&o, off);
	open_real(&pg);
	ASSERT_OK(kx_purg_relocate(&pg, ADDR_A, NULL));
	a = malloc(pg.bufsz);
	mark = calloc(1, pg.bufsz);
	ASSERT_TRUE(a && mark);
	memcpy(a, pg.buf, pg.bufsz);
	ASSERT_OK(kx_purg_relocate(&pg, ADDR_B, NULL));

	for (i = 1; i < n; i++) {
		Elf64_Shdr *rs = shdr(&o, i);

		if (rs->sh_type != SHT_RELA || !(shdr(&o, rs->sh_info)->sh_flags & SHF_ALLOC))
			continue;
		for (j = 0; j < rs->sh_size / sizeof(Elf64_Rela); j++) {
			Elf64_Rela *r = (Elf64_Rela *)(o.b + rs->sh_offset) + j;
			uint64_t at = off[rs->sh_info] + r->r_offset, va, vb;
			uint32_t type = (uint32_t)ELF64_R_TYPE(r->r_info);
			Elf64_Sym *s = sym(&o, ELF64_R_SYM(r->r_info));

			ASSERT_TRUE(type == R_X86_64_64 || type == R_X86_64_PC32 || type == R_X86_64_PLT32);
			memset(mark + at, 1, type == R_X86_64_64 ? 8 : 4);
			if (type == R_X86_64_64) {
				/* absolute: moves by the delta (nothing here is SHN_ABS) */
				ASSERT_TRUE(s->st_shndx != SHN_ABS);
				memcpy(&va, a + at, 8);
				memcpy(&vb, pg.buf + at, 8);
				ASSERT_EQ(vb - va, delta);
				n64++;
			} else {
				/* PC-relative inside the image: identical */
				ASSERT_TRUE(!memcmp(a + at, pg.buf + at, 4));
				npc++;
			}
		}
	}
	ASSERT_TRUE(n64 > 10 && npc >= 4);
	for (i = 0; i < pg.bufsz; i++)
		if (a[i] != pg.buf[i] && !mark[i])
			kt_fail(__FILE__, __LINE__, "byte 0x%zx changed but is in no relocation field", i);

	/* and relinking at A again reproduces the first image exactly */
	ASSERT_OK(kx_purg_relocate(&pg, ADDR_A, NULL));
	ASSERT_TRUE(!memcmp(a, pg.buf, pg.bufsz));
	free(a);
	free(mark);
	free(o.b);
	kx_purg_done(&pg);
}

TEST(relocate_bad_addresses_einval)
{
	struct kx_purgatory pg;
	struct kx_diag d = { 0 };

	open_real(&pg);
	ASSERT_ERR(kx_purg_relocate(&pg, ADDR_A + 8, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "not aligned");
	ASSERT_EQ(pg.load_addr, 0);
	ASSERT_ERR(kx_purg_relocate(&pg, UINT64_MAX - 0xfff, NULL), -EINVAL);
	/* 64-bit fields reach anywhere: a purgatory above 4 GiB links */
	ASSERT_OK(kx_purg_relocate(&pg, 0x100000000ULL, NULL));
	kx_purg_done(&pg);
}

/* ---- x86_64 relocation table ---- */

struct rela_row {
	const char *name;
	uint32_t type;
	uint64_t S;
	int64_t A;
	uint64_t P;
	int ret;
	unsigned width;		/* bytes written on success */
	uint64_t want;
};

static const struct rela_row rela_rows[] = {
	{ "none", R_X86_64_NONE, 0x1234, 0, 0, 0, 0, 0 },
	{ "64", R_X86_64_64, 0x1122334455667788ULL, 8, 0, 0, 8, 0x1122334455667790ULL },
	{ "64 wraps", R_X86_64_64, UINT64_MAX, 2, 0, 0, 8, 1 },
	{ "32 max", R_X86_64_32, 0xfffffff0, 0xf, 0, 0, 4, 0xffffffff },
	{ "32 overflow", R_X86_64_32, 0xfffffff0, 0x10, 0, -ERANGE, 0, 0 },
	{ "32 negative", R_X86_64_32, 0, -1, 0, -ERANGE, 0, 0 },
	{ "32S max", R_X86_64_32S, 0x7fffffff, 0, 0, 0, 4, 0x7fffffff },
	{ "32S min", R_X86_64_32S, 0xffffffff80000000ULL, 0, 0, 0, 4, 0x80000000 },
	{ "32S -1", R_X86_64_32S, 0, -1, 0, 0, 4, 0xffffffff },
	{ "32S overflow", R_X86_64_32S, 0x80000000, 0, 0, -ERANGE, 0, 0 },
	{ "32S underflow", R_X86_64_32S, 0xffffffff7fffffffULL, 0, 0, -ERANGE, 0, 0 },
	{ "PC32 back", R_X86_64_PC32, 0x1000, -4, 0x2000, 0, 4, (uint32_t)-0x1004 },
	{ "PC32 max", R_X86_64_PC32, 0x80001000, 0, 0x1001, 0, 4, 0x7fffffff },
	{ "PC32 overflow", R_X86_64_PC32, 0x80001000, 0, 0x1000, -ERANGE, 0, 0 },
	{ "PC32 min", R_X86_64_PC32, 0x1000, 0, 0x80001000, 0, 4, 0x80000000 },
	{ "PC32 underflow", R_X86_64_PC32, 0x1000, -1, 0x80001000, -ERANGE, 0, 0 },
	{ "PC32 above 4G", R_X86_64_PC32, 0x3f00001000ULL, -4, 0x3f00000000ULL, 0, 4, 0xffc },
	{ "PLT32", R_X86_64_PLT32, 0x5000, -4, 0x4000, 0, 4, 0xffc },
	{ "PLT32 overflow", R_X86_64_PLT32, 0x100000000ULL, 0, 0, -ERANGE, 0, 0 },
	{ "GOTPCREL", R_X86_64_GOTPCREL, 0x1000, 0, 0, -ENOEXEC, 0, 0 },
	{ "REX_GOTPCRELX", R_X86_64_REX_GOTPCRELX, 0x1000, 0, 0, -ENOEXEC, 0, 0 },
	{ "16", R_X86_64_16, 0x10, 0, 0, -ENOEXEC, 0, 0 },
	{ "PC64", R_X86_64_PC64, 0x10, 0, 0, -ENOEXEC, 0, 0 },
	{ "RELATIVE", R_X86_64_RELATIVE, 0x10, 0, 0, -ENOEXEC, 0, 0 },
	{ "type 255", 255, 0x10, 0, 0, -ENOEXEC, 0, 0 },
};

TEST(x86_64_apply_rela_table)
{
	size_t i, b;

	for (i = 0; i < N_ELEM(rela_rows); i++) {
		const struct rela_row *row = &rela_rows[i];
		uint8_t field[16];
		uint64_t got = 0;
		int r;

		memset(field, 0xcc, sizeof(field));
		r = kx_x86_64_apply_rela(row->type, field + 4, row->S, row->A, row->P);
		if (r != row->ret)
			kt_fail(__FILE__, __LINE__, "row %s: got %d, want %d", row->name, r, row->ret);
		/* nothing outside the field, nothing at all on failure */
		for (b = 0; b < sizeof(field); b++)
			if ((b < 4 || b >= 4 + row->width) && field[b] != 0xcc)
				kt_fail(__FILE__, __LINE__, "row %s: byte %zu written", row->name, b);
		if (row->width) {
			memcpy(&got, field + 4, row->width);
			if (got != row->want)
				kt_fail(__FILE__, __LINE__, "row %s: 0x%" PRIx64 ", want 0x%" PRIx64, row->name,
					got, row->want);
		}
	}
}

TEST(x86_64_apply_rela_unaligned)
{
	uint8_t buf[16] = { 0 };
	uint64_t v;

	ASSERT_OK(kx_x86_64_apply_rela(R_X86_64_64, buf + 3, 0xdeadbeefcafef00dULL, 0, 0));
	memcpy(&v, buf + 3, 8);
	ASSERT_EQ(v, 0xdeadbeefcafef00dULL);
}

TEST(x86_64_reloc_names)
{
	ASSERT_STREQ(kx_x86_64_reloc_name(R_X86_64_NONE), "R_X86_64_NONE");
	ASSERT_STREQ(kx_x86_64_reloc_name(R_X86_64_64), "R_X86_64_64");
	ASSERT_STREQ(kx_x86_64_reloc_name(R_X86_64_PC32), "R_X86_64_PC32");
	ASSERT_STREQ(kx_x86_64_reloc_name(R_X86_64_PLT32), "R_X86_64_PLT32");
	ASSERT_STREQ(kx_x86_64_reloc_name(R_X86_64_GOTPCREL), "R_X86_64_GOTPCREL");
	ASSERT_STREQ(kx_x86_64_reloc_name(R_X86_64_32S), "R_X86_64_32S");
	ASSERT_STREQ(kx_x86_64_reloc_name(R_X86_64_REX_GOTPCRELX), "R_X86_64_REX_GOTPCRELX");
	ASSERT_STREQ(kx_x86_64_reloc_name(40), "R_X86_64_PLT32_BND");
	ASSERT_STREQ(kx_x86_64_reloc_name(1000), "R_X86_64_<unknown>");
	ASSERT_STREQ(kx_x86_64_reloc_name(UINT32_MAX), "R_X86_64_<unknown>");
}

/* ---- relocation errors through the loader ---- */

TEST(unsupported_relocation_named)
{
	struct obj o = obj_copy();
	struct kx_diag d = { 0 };
	Elf64_Rela *r = rela_of_type(&o, ".rela.text", R_X86_64_64);

	r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), R_X86_64_GOTPCREL);
	ASSERT_ERR(try_load(&o, &d), -ENOEXEC);
	ASSERT_CONTAINS(d.msg, "purgatory: relocation R_X86_64_GOTPCREL (type 9) is not supported");
	free(o.b);
}

TEST(relocation_overflow_named)
{
	struct obj o = obj_copy();
	struct kx_purgatory pg;
	struct kx_diag d = { 0 };
	size_t si = sym_by_name(&o, "pg_purgatory");
	Elf64_Shdr *rs = shdr(&o, sec_by_name(&o, ".rela.text"));
	size_t j;

	/* make the absolute reference to pg_purgatory a 32-bit one */
	for (j = 0; j < rs->sh_size / sizeof(Elf64_Rela); j++) {
		Elf64_Rela *r = rela(&o, ".rela.text", j);

		if (ELF64_R_SYM(r->r_info) == si && ELF64_R_TYPE(r->r_info) == R_X86_64_64)
			break;
	}
	ASSERT_TRUE(j < rs->sh_size / sizeof(Elf64_Rela));
	rela(&o, ".rela.text", j)->r_info = ELF64_R_INFO(si, R_X86_64_32);

	ASSERT_OK(kx_purg_open(&pg, o.b, o.len, &test_arch, NULL));
	ASSERT_OK(kx_purg_relocate(&pg, ADDR_B, NULL));	/* below 4 GiB it fits */
	ASSERT_ERR(kx_purg_relocate(&pg, 0x100000000ULL, &d), -ERANGE);
	ASSERT_CONTAINS(d.msg, "R_X86_64_32 (type 10)");
	ASSERT_CONTAINS(d.msg, "pg_purgatory");
	ASSERT_CONTAINS(d.msg, "value 0x1000");
	ASSERT_EQ(pg.load_addr, 0);
	ASSERT_EQ(pg.entry, 0);
	kx_purg_done(&pg);
	free(o.b);
}

TEST(undefined_symbol_named)
{
	struct obj o = obj_copy();
	struct kx_diag d = { 0 };

	sym(&o, sym_by_name(&o, "pg_x86_64_main"))->st_shndx = SHN_UNDEF;
	ASSERT_ERR(try_load(&o, &d), -ENOENT);
	ASSERT_CONTAINS(d.msg, "undefined symbol 'pg_x86_64_main'");
	free(o.b);
}

TEST(common_symbol_einval)
{
	struct obj o = obj_copy();
	struct kx_diag d = { 0 };

	sym(&o, sym_by_name(&o, "pg_x86_64_main"))->st_shndx = SHN_COMMON;
	ASSERT_ERR(try_load(&o, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "common symbol");
	free(o.b);
}

TEST(symbol_in_nobits_cannot_be_set)
{
	struct obj o = obj_copy();
	struct kx_purgatory pg;
	struct kx_diag d = { 0 };
	uint8_t v = 1;

	sym(&o, sym_by_name(&o, PG_SYM_DEBUG))->st_shndx = (uint16_t)sec_by_name(&o, ".bss");
	ASSERT_OK(kx_purg_open(&pg, o.b, o.len, &test_arch, NULL));
	ASSERT_ERR(kx_purg_set_sym(&pg, PG_SYM_DEBUG, &v, 1, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "NOBITS");
	kx_purg_done(&pg);
	free(o.b);
}

TEST(bad_symbol_index_einval)
{
	struct obj o = obj_copy();
	struct kx_diag d = { 0 };
	Elf64_Rela *r = rela(&o, ".rela.text", 0);

	r->r_info = ELF64_R_INFO(100000, ELF64_R_TYPE(r->r_info));
	ASSERT_ERR(try_load(&o, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "symbol index 100000");
	free(o.b);
}

TEST(relocation_offset_outside_section_einval)
{
	struct obj o = obj_copy();
	struct kx_diag d = { 0 };
	Elf64_Rela *r = rela(&o, ".rela.text", 3);

	r->r_offset = shdr(&o, sec_by_name(&o, ".text"))->sh_size;
	ASSERT_ERR(try_load(&o, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "outside .text");
	r->r_offset = UINT64_MAX - 2;
	ASSERT_ERR(try_load(&o, NULL), -EINVAL);
	free(o.b);
}

TEST(relocation_field_past_section_end)
{
	struct obj o = obj_copy();
	struct kx_diag d = { 0 };
	uint64_t size = shdr(&o, sec_by_name(&o, ".text"))->sh_size;
	Elf64_Rela *r = rela_of_type(&o, ".rela.text", R_X86_64_64);

	/* an 8-byte field starting 4 bytes before the end */
	r->r_offset = size - 4;
	ASSERT_ERR(try_load(&o, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "runs past the end");
	/* a 4-byte field in the last 4 bytes is fine */
	r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), R_X86_64_PC32);
	ASSERT_OK(try_load(&o, NULL));
	free(o.b);
}

/* ---- malformed objects ---- */

TEST(not_elf_enoexec)
{
	static const char junk[] = "this is not an ELF object at all, just some text........................";
	struct kx_purgatory pg;
	struct kx_diag d = { 0 };

	ASSERT_ERR(kx_purg_open(&pg, junk, sizeof(junk), &test_arch, &d), -ENOEXEC);
	ASSERT_CONTAINS(d.msg, "not an ELF");
	ASSERT_ERR(kx_purg_open(&pg, junk, 0, &test_arch, NULL), -ENOEXEC);
	ASSERT_ERR(kx_purg_open(&pg, "\177ELF", 4, &test_arch, NULL), -ENOEXEC);
	ASSERT_ERR(kx_purg_open(&pg, NULL, 100, &test_arch, NULL), -EINVAL);
	kx_purg_done(&pg);
}

TEST(truncated_objects_fail_cleanly)
{
	size_t cuts[] = { 16, 63, 64, 65, 200, 1024, 0, 0, 0 };
	struct kx_purgatory pg;
	size_t i;

	cuts[6] = kx_purgatory_x86_64_len / 2;
	cuts[7] = kx_purgatory_x86_64_len - 64;
	cuts[8] = kx_purgatory_x86_64_len - 1;
	for (i = 0; i < N_ELEM(cuts); i++) {
		struct obj o = obj_copy();
		int r;

		o.len = cuts[i];
		r = try_load(&o, NULL);
		if (r >= 0)
			kt_fail(__FILE__, __LINE__, "object cut to %zu bytes loaded", cuts[i]);
		free(o.b);
	}
	/* a cut inside the ELF header says so */
	ASSERT_ERR(kx_purg_open(&pg, kx_purgatory_x86_64, 16, &test_arch, NULL), -EINVAL);
}

TEST(wrong_machine_class_order_type_enoexec)
{
	struct obj o = obj_copy();
	struct kx_diag d = { 0 };

	ehdr(&o)->e_machine = EM_AARCH64;
	ASSERT_ERR(try_load(&o, &d), -ENOEXEC);
	ASSERT_CONTAINS(d.msg, "machine 183");
	ehdr(&o)->e_machine = EM_X86_64;

	ehdr(&o)->e_type = ET_EXEC;
	memset(&d, 0, sizeof(d));
	ASSERT_ERR(try_load(&o, &d), -ENOEXEC);
	ASSERT_CONTAINS(d.msg, "not ET_REL");
	ehdr(&o)->e_type = ET_DYN;
	ASSERT_ERR(try_load(&o, NULL), -ENOEXEC);
	ehdr(&o)->e_type = ET_REL;

	o.b[EI_CLASS] = ELFCLASS32;
	ASSERT_ERR(try_load(&o, NULL), -ENOEXEC);
	o.b[EI_CLASS] = ELFCLASS64;
	o.b[EI_DATA] = ELFDATA2MSB;
	ASSERT_ERR(try_load(&o, NULL), -ENOEXEC);
	o.b[EI_DATA] = ELFDATA2LSB;
	ASSERT_OK(try_load(&o, NULL));
	free(o.b);
}

TEST(no_section_headers_enoexec)
{
	struct obj o = obj_copy();

	ehdr(&o)->e_shnum = 0;
	ehdr(&o)->e_shoff = 0;
	ehdr(&o)->e_shstrndx = 0;
	ASSERT_ERR(try_load(&o, NULL), -ENOEXEC);
	free(o.b);
}

TEST(section_headers_outside_file_einval)
{
	struct obj o = obj_copy();
	int r;

	ehdr(&o)->e_shoff = o.len - 64;
	r = try_load(&o, NULL);
	ASSERT_TRUE(r == -EINVAL || r == -ENOEXEC);
	free(o.b);
}

TEST(section_bytes_outside_file_einval)
{
	struct obj o = obj_copy();
	struct kx_diag d = { 0 };
	Elf64_Shdr *t = shdr(&o, sec_by_name(&o, ".text"));

	t->sh_offset = o.len - 16;
	ASSERT_ERR(try_load(&o, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "outside the");
	t->sh_offset = UINT64_MAX - 8;
	ASSERT_ERR(try_load(&o, NULL), -EINVAL);
	free(o.b);
}

TEST(bad_links_einval)
{
	struct obj o = obj_copy();
	size_t rt = sec_by_name(&o, ".rela.text"), st = sec_by_type(&o, SHT_SYMTAB);
	uint32_t saved;

	saved = shdr(&o, rt)->sh_link;
	shdr(&o, rt)->sh_link = 999;
	ASSERT_ERR(try_load(&o, NULL), -EINVAL);
	shdr(&o, rt)->sh_link = (uint32_t)sec_by_name(&o, ".text");
	ASSERT_ERR(try_load(&o, NULL), -EINVAL);
	shdr(&o, rt)->sh_link = saved;

	saved = shdr(&o, rt)->sh_info;
	shdr(&o, rt)->sh_info = 999;
	ASSERT_ERR(try_load(&o, NULL), -EINVAL);
	shdr(&o, rt)->sh_info = saved;

	saved = shdr(&o, st)->sh_link;
	shdr(&o, st)->sh_link = 999;
	ASSERT_ERR(try_load(&o, NULL), -EINVAL);
	shdr(&o, st)->sh_link = (uint32_t)sec_by_name(&o, ".text");
	ASSERT_ERR(try_load(&o, NULL), -EINVAL);
	shdr(&o, st)->sh_link = saved;

	shdr(&o, rt)->sh_entsize = 16;
	ASSERT_ERR(try_load(&o, NULL), -EINVAL);
	shdr(&o, rt)->sh_entsize = sizeof(Elf64_Rela);
	ASSERT_OK(try_load(&o, NULL));
	free(o.b);
}

TEST(rel_without_addend_enoexec)
{
	struct obj o = obj_copy();
	struct kx_diag d = { 0 };

	shdr(&o, sec_by_name(&o, ".rela.text"))->sh_type = SHT_REL;
	ASSERT_ERR(try_load(&o, &d), -ENOEXEC);
	ASSERT_CONTAINS(d.msg, "SHT_REL");
	free(o.b);
}

TEST(bad_alignment_and_sizes_einval)
{
	struct obj o = obj_copy();
	Elf64_Shdr *t = shdr(&o, sec_by_name(&o, ".text"));
	Elf64_Shdr *bss = shdr(&o, sec_by_name(&o, ".bss"));

	t->sh_addralign = 3;
	ASSERT_ERR(try_load(&o, NULL), -EINVAL);
	t->sh_addralign = 1ULL << 40;
	ASSERT_ERR(try_load(&o, NULL), -EINVAL);
	t->sh_addralign = 0;	/* 0 means 1 */
	ASSERT_OK(try_load(&o, NULL));
	t->sh_addralign = 16;
	bss->sh_size = 1ULL << 40;
	ASSERT_ERR(try_load(&o, NULL), -EINVAL);
	bss->sh_size = UINT64_MAX;
	ASSERT_ERR(try_load(&o, NULL), -EINVAL);
	free(o.b);
}

TEST(entry_outside_code_enoexec)
{
	struct obj o = obj_copy();
	struct kx_diag d = { 0 };

	ehdr(&o)->e_entry = shdr(&o, sec_by_name(&o, ".text"))->sh_size;
	ASSERT_ERR(try_load(&o, &d), -ENOEXEC);
	ASSERT_CONTAINS(d.msg, "e_entry");
	free(o.b);
}

TEST(random_corruption_never_crashes)
{
	/* a cheap, reproducible stand-in for the fuzzer: flip bytes, mostly in headers */
	const size_t len = kx_purgatory_x86_64_len;
	uint8_t *b = malloc(len);
	uint64_t s = 0x9e3779b97f4a7c15ULL;
	int iter, ok = 0;

	ASSERT_TRUE(b);
	for (iter = 0; iter < 4000; iter++) {
		struct kx_purgatory pg;
		int k, flips;

		memcpy(b, kx_purgatory_x86_64, len);
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		flips = 1 + (int)(s % 6);
		for (k = 0; k < flips; k++) {
			size_t at;

			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			switch ((s >> 8) % 3) {
			case 0:
				at = (size_t)(s >> 16) % 64;	/* ELF header */
				break;
			case 1:	/* section headers */
				at = ((const Elf64_Ehdr *)kx_purgatory_x86_64)->e_shoff + (size_t)(s >> 16) % (len - ((const Elf64_Ehdr *)kx_purgatory_x86_64)->e_shoff);
				break;
			default:
				at = (size_t)(s >> 16) % len;
				break;
			}
			b[at] ^= (uint8_t)(1u << ((s >> 40) % 8));
		}
		if (kx_purg_open(&pg, b, len, &test_arch, NULL) == 0) {
			uint8_t v[256];

			if (kx_purg_relocate(&pg, ADDR_A, NULL) == 0)
				ok++;
			kx_purg_get_sym(&pg, PG_SYM_REGIONS, v, sizeof(v), NULL);
			kx_purg_set_sym(&pg, PG_SYM_DIGEST, v, 32, NULL);
			kx_purg_relocate(&pg, ADDR_B, NULL);
			kx_purg_done(&pg);
		}
	}
	/* many single flips are harmless (padding, names): some must still load */
	ASSERT_TRUE(ok > 0);
	free(b);
}
