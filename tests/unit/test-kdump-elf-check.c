/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-kdump-elf-check.c - kdump_elf_check rules, kdump_elf_text_load */
#include "test-kdump-elf.h"

#define MAXPH 8
#define NOPA KDUMP_ELF_NO_PADDR

struct ph_row {
	uint32_t type;
	uint64_t paddr, filesz, memsz;
};

struct want_row {
	int code;
	unsigned index, other;
};

static const struct {
	const char *name;
	struct ph_row ph[MAXPH];
	unsigned phnum;
	struct want_row want[4];
	int nwant;
	int text;	/* kdump_elf_text_load(), -ENOENT if none */
} rows[] = {
	{ "kernel layout is clean",
	  { { PT_NOTE, 0x13fc1a000, 0x400, 0x400 }, { PT_NOTE, 0x3c8e000, 0x1024, 0x1024 },
	    { PT_LOAD, 0x41000000, 0x2000000, 0x2000000 }, { PT_LOAD, 0x100000, 0x9f00000, 0x9f00000 },
	    { PT_LOAD, 0x40000000, 0x40000000, 0x40000000 } },
	  5, { { 0 } }, 0, 2 },
	{ "no kernel-text load is clean",
	  { { PT_NOTE, 0x1000, 0x400, 0x400 }, { PT_LOAD, 0x100000, 0x100000, 0x100000 },
	    { PT_LOAD, 0x200000, 0x100000, 0x100000 } },
	  3, { { 0 } }, 0, -ENOENT },
	{ "touching RAM loads do not overlap",
	  { { PT_LOAD, 0x1000, 0x1000, 0x1000 }, { PT_LOAD, 0x2000, 0x1000, 0x1000 } },
	  2, { { 0 } }, 0, -ENOENT },
	{ "RAM loads overlapping by one byte",
	  { { PT_LOAD, 0x1000, 0x1001, 0x1001 }, { PT_LOAD, 0x2000, 0x1000, 0x1000 } },
	  2, { { KDUMP_ELF_P_OVERLAP, 1, 0 } }, 1, -ENOENT },
	{ "a second contained load is an overlap",
	  { { PT_LOAD, 0x41000000, 0x1000, 0x1000 }, { PT_LOAD, 0x40000000, 0x40000000, 0x40000000 },
	    { PT_LOAD, 0x50000000, 0x1000, 0x1000 } },
	  3, { { KDUMP_ELF_P_OVERLAP, 2, 1 } }, 1, 0 },
	{ "contained load that is not first is not kernel text",
	  { { PT_LOAD, 0x40000000, 0x40000000, 0x40000000 }, { PT_LOAD, 0x41000000, 0x1000, 0x1000 } },
	  2, { { KDUMP_ELF_P_OVERLAP, 1, 0 } }, 1, -ENOENT },
	{ "RAM out of order",
	  { { PT_LOAD, 0x200000, 0x1000, 0x1000 }, { PT_LOAD, 0x100000, 0x1000, 0x1000 } },
	  2, { { KDUMP_ELF_P_ORDER, 1, 0 } }, 1, -ENOENT },
	{ "out of order: overlap with the load reaching highest",
	  { { PT_LOAD, 0x10000, 0x10000, 0x10000 }, { PT_LOAD, 0x0, 0x5000, 0x5000 },
	    { PT_LOAD, 0x12000, 0x3000, 0x3000 } },
	  3, { { KDUMP_ELF_P_ORDER, 1, 0 }, { KDUMP_ELF_P_OVERLAP, 2, 0 } }, 2, -ENOENT },
	{ "out of order: overlap with the previous load",
	  { { PT_LOAD, 0x10000, 0x10000, 0x10000 }, { PT_LOAD, 0x0, 0x5000, 0x5000 },
	    { PT_LOAD, 0x4000, 0x3000, 0x3000 } },
	  3, { { KDUMP_ELF_P_ORDER, 1, 0 }, { KDUMP_ELF_P_OVERLAP, 2, 1 } }, 2, -ENOENT },
	{ "out of order: overlap with an earlier load that is neither highest nor previous",
	  { { PT_LOAD, 0x100000, 0x200000, 0x200000 }, { PT_LOAD, 0x400000, 0x1000, 0x1000 },
	    { PT_LOAD, 0x280000, 0x1000, 0x1000 } },
	  3, { { KDUMP_ELF_P_ORDER, 2, 1 }, { KDUMP_ELF_P_OVERLAP, 2, 0 } }, 2, -ENOENT },
	{ "note after a load",
	  { { PT_NOTE, 0x1000, 0x400, 0x400 }, { PT_LOAD, 0x100000, 0x1000, 0x1000 },
	    { PT_NOTE, 0x2000, 0x400, 0x400 } },
	  3, { { KDUMP_ELF_P_NOTE_AFTER_LOAD, 2, 1 } }, 1, -ENOENT },
	{ "filesz above memsz",
	  { { PT_LOAD, 0x100000, 0x2000, 0x1000 } },
	  1, { { KDUMP_ELF_P_FILESZ, 0, 0 } }, 1, -ENOENT },
	{ "filesz below memsz is fine",
	  { { PT_LOAD, 0x100000, 0x0, 0x1000 } },
	  1, { { 0 } }, 0, -ENOENT },
	{ "zero-size note and load",
	  { { PT_NOTE, 0x1000, 0, 0 }, { PT_LOAD, 0x100000, 0, 0 } },
	  2, { { KDUMP_ELF_P_ZERO_SIZE, 0, 0 }, { KDUMP_ELF_P_ZERO_SIZE, 1, 1 } }, 2, -ENOENT },
	{ "hole inside e_phnum",
	  { { PT_NOTE, 0x1000, 0x400, 0x400 }, { 0 }, { PT_LOAD, 0x100000, 0x1000, 0x1000 } },
	  3, { { KDUMP_ELF_P_HOLE, 1, 1 } }, 1, -ENOENT },
	{ "trailing zero slots inside e_phnum are not holes",
	  { { PT_LOAD, 0x100000, 0x1000, 0x1000 }, { 0 }, { 0 } },
	  3, { { 0 } }, 0, -ENOENT },
	{ "wrapping range",
	  { { PT_LOAD, 0xfffffffffffff000, 0x2000, 0x2000 } },
	  1, { { KDUMP_ELF_P_WRAP, 0, 0 } }, 1, -ENOENT },
	{ "range ending at 2^64 is fine",
	  { { PT_LOAD, 0xffffffff00000000, 0x100000000, 0x100000000 } },
	  1, { { 0 } }, 0, -ENOENT },
	{ "unexpected p_type",
	  { { PT_NOTE, 0x1000, 0x400, 0x400 }, { PT_DYNAMIC, 0x5000, 0x10, 0x10 } },
	  2, { { KDUMP_ELF_P_TYPE, 1, 1 } }, 1, -ENOENT },
	{ "kcore: loads without a physical address are skipped",
	  { { PT_NOTE, 0, 0x1000, 0 }, { PT_LOAD, NOPA, 0x1000000, 0x1000000 },
	    { PT_LOAD, NOPA, 0x2000000, 0x2000000 }, { PT_LOAD, 0x100000, 0x1000, 0x1000 } },
	  4, { { 0 } }, 0, -ENOENT },
	{ "note with p_memsz 0 (coredump style) is fine, p_filesz 0 is not",
	  { { PT_NOTE, 0, 0x1000, 0 }, { PT_NOTE, 0, 0, 0x1000 } },
	  2, { { KDUMP_ELF_P_ZERO_SIZE, 1, 1 } }, 1, -ENOENT },
	{ "note range wraps",
	  { { PT_NOTE, UINT64_MAX, 0x10, 0x10 } },
	  1, { { KDUMP_ELF_P_WRAP, 0, 0 } }, 1, -ENOENT },
	{ "duplicate of a RAM load is taken as kernel text",
	  { { PT_LOAD, 0x100000, 0x1000, 0x1000 }, { PT_LOAD, 0x100000, 0x1000, 0x1000 } },
	  2, { { 0 } }, 0, 0 },
	{ "three identical loads: one is text, the others overlap",
	  { { PT_LOAD, 0x100000, 0x1000, 0x1000 }, { PT_LOAD, 0x100000, 0x1000, 0x1000 },
	    { PT_LOAD, 0x100000, 0x1000, 0x1000 } },
	  3, { { KDUMP_ELF_P_OVERLAP, 2, 1 } }, 1, 0 },
	{ "no phdrs at all",
	  { { 0 } }, 0, { { 0 } }, 0, -ENOENT },
};

static void write_row(unsigned char *buf, size_t bufsz, size_t r)
{
	unsigned i;

	ASSERT_EQ(kdump_elf_init(buf, bufsz, EM_X86_64), MAXPH);
	for (i = 0; i < rows[r].phnum; i++)
		if (rows[r].ph[i].type)
			kt_raw_phdr(buf, i, rows[r].ph[i].type, rows[r].ph[i].paddr, 0,
				    rows[r].ph[i].filesz, rows[r].ph[i].memsz);
	kt_set_phnum(buf, rows[r].phnum);
}

TEST(kdump_elf_check_rows)
{
	unsigned char buf[64 + 56 * MAXPH];
	struct kdump_elf_problem got[8];
	size_t r;
	int n, i;

	for (r = 0; r < KT_ARRAY_SIZE(rows); r++) {
		write_row(buf, sizeof(buf), r);
		n = kdump_elf_check(buf, sizeof(buf), got, KT_ARRAY_SIZE(got));
		if (n != rows[r].nwant)
			kt_fail(__FILE__, __LINE__, "%s: %d problems, want %d (first: %s at %u)",
				rows[r].name, n, rows[r].nwant,
				n > 0 ? kdump_elf_problem_str(got[0].code) : "-", n > 0 ? got[0].index : 0);
		for (i = 0; i < n; i++)
			if (got[i].code != rows[r].want[i].code || got[i].index != rows[r].want[i].index ||
			    got[i].other != rows[r].want[i].other)
				kt_fail(__FILE__, __LINE__, "%s: problem %d is %d@%u/%u, want %d@%u/%u",
					rows[r].name, i, got[i].code, got[i].index, got[i].other,
					rows[r].want[i].code, rows[r].want[i].index,
					rows[r].want[i].other);
		n = kdump_elf_text_load(buf, sizeof(buf));
		if (n != rows[r].text)
			kt_fail(__FILE__, __LINE__, "%s: text load %d, want %d", rows[r].name, n,
				rows[r].text);
	}
}

/* the count is the total even when @out holds fewer; NULL/0 just counts */
TEST(kdump_elf_check_max)
{
	unsigned char buf[64 + 56 * MAXPH];
	struct kdump_elf_problem got[2] = { { 0 } };
	unsigned i;

	ASSERT_EQ(kdump_elf_init(buf, sizeof(buf), EM_X86_64), MAXPH);
	for (i = 0; i < 5; i++)	/* descending: 4 order + 0 overlap problems, plus 5 FILESZ */
		kt_raw_phdr(buf, i, PT_LOAD, 0x100000 * (10 - i), 0, 0x2000, 0x1000);
	kt_set_phnum(buf, 5);
	ASSERT_EQ(kdump_elf_check(buf, sizeof(buf), NULL, 0), 9);
	ASSERT_EQ(kdump_elf_check(buf, sizeof(buf), got, 1), 9);
	ASSERT_EQ(got[0].code, KDUMP_ELF_P_FILESZ);
	ASSERT_EQ(got[1].code, 0);	/* not written past @max */
	ASSERT_ERR(kdump_elf_check(buf, sizeof(buf), NULL, 1), -EINVAL);
}

/* a full-size header of RAM loads is checked in linear time */
TEST(kdump_elf_check_many_loads)
{
	static unsigned char buf[64 + 56 * 0xfffe];
	unsigned i;

	ASSERT_EQ(kdump_elf_init(buf, sizeof(buf), EM_X86_64), 0xfffe);
	ASSERT_EQ(kdump_elf_add_load(buf, sizeof(buf), 0x1000000, KT_KTEXT_VADDR, 0x1000), 0);
	for (i = 1; i < 0xfffe; i++)
		ASSERT_EQ(kdump_elf_add_load(buf, sizeof(buf), 0x1000ull * i, 0, 0x1000), i);
	ASSERT_EQ(kdump_elf_text_load(buf, sizeof(buf)), 0);
	ASSERT_EQ(kdump_elf_check(buf, sizeof(buf), NULL, 0), 0);
	/* swap two neighbours: one order problem, no overlap */
	kt_raw_phdr(buf, 100, PT_LOAD, 0x1000ull * 101, 0, 0x1000, 0x1000);
	kt_raw_phdr(buf, 101, PT_LOAD, 0x1000ull * 100, 0, 0x1000, 0x1000);
	ASSERT_EQ(kdump_elf_check(buf, sizeof(buf), NULL, 0), 1);
}

TEST(kdump_elf_problem_str_rows)
{
	int c;

	for (c = 1; c < KDUMP_ELF_P_MAX; c++)
		ASSERT_TRUE(strcmp(kdump_elf_problem_str(c), "unknown problem"));
	ASSERT_CONTAINS(kdump_elf_problem_str(KDUMP_ELF_P_OVERLAP), "overlaps");
	ASSERT_STREQ(kdump_elf_problem_str(0), "unknown problem");
	ASSERT_STREQ(kdump_elf_problem_str(KDUMP_ELF_P_MAX), "unknown problem");
	ASSERT_STREQ(kdump_elf_problem_str(-1), "unknown problem");
}
