/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-kdump-elf-parse.c - kdump_elf_probe/parse/phdr on good and bad input */
#include <stdlib.h>

#include "test-kdump-elf.h"

#define EHOFF(f) offsetof(Elf64_Ehdr, f)

/*
 * One field of a good 3-phdr header (4 slots, 288 bytes) changed, and the
 * length handed to the parser; what kdump_elf_parse() must answer.
 */
TEST(kdump_elf_parse_malformed_rows)
{
	static const struct {
		const char *name;
		unsigned off, size;	/* size 0: no change */
		uint64_t val;
		size_t len;		/* 0: the whole buffer */
		int want;
	} rows[] = {
		{ "good", 0, 0, 0, 0, 0 },
		{ "good, table exactly fills len", 0, 0, 0, 64 + 56 * 3, 0 },
		{ "empty", 0, 0, 0, (size_t)-1, -KDUMP_ELF_ETRUNC },
		{ "3 bytes", 0, 0, 0, 3, -KDUMP_ELF_ETRUNC },
		{ "63 bytes", 0, 0, 0, 63, -KDUMP_ELF_ETRUNC },
		{ "Ehdr only", 0, 0, 0, 64, -KDUMP_ELF_EPHTRUNC },
		{ "table one byte short", 0, 0, 0, 64 + 56 * 3 - 1, -KDUMP_ELF_EPHTRUNC },
		{ "bad magic", 3, 1, 'G', 0, -KDUMP_ELF_EBADMAGIC },
		{ "bad magic, 4 bytes", 0, 1, 0x7e, 4, -KDUMP_ELF_EBADMAGIC },
		{ "ELFCLASS32", EI_CLASS, 1, ELFCLASS32, 0, -KDUMP_ELF_EBADCLASS },
		{ "ELFCLASSNONE", EI_CLASS, 1, 0, 0, -KDUMP_ELF_EBADCLASS },
		{ "big endian", EI_DATA, 1, ELFDATA2MSB, 0, -KDUMP_ELF_EBADDATA },
		{ "EI_VERSION 0", EI_VERSION, 1, 0, 0, -KDUMP_ELF_EBADVERSION },
		{ "e_version 2", EHOFF(e_version), 4, 2, 0, -KDUMP_ELF_EBADVERSION },
		{ "ET_EXEC", EHOFF(e_type), 2, ET_EXEC, 0, -KDUMP_ELF_EBADTYPE },
		{ "ET_REL", EHOFF(e_type), 2, ET_REL, 0, -KDUMP_ELF_EBADTYPE },
		{ "e_ehsize 52", EHOFF(e_ehsize), 2, 52, 0, -KDUMP_ELF_EBADEHSIZE },
		{ "e_phentsize 32", EHOFF(e_phentsize), 2, 32, 0, -KDUMP_ELF_EBADPHENTSIZE },
		{ "e_phentsize 0", EHOFF(e_phentsize), 2, 0, 0, -KDUMP_ELF_EBADPHENTSIZE },
		{ "e_phnum PN_XNUM", EHOFF(e_phnum), 2, PN_XNUM, 0, -KDUMP_ELF_EPNXNUM },
		{ "e_phnum 0xfffe", EHOFF(e_phnum), 2, 0xfffe, 0, -KDUMP_ELF_EPHTRUNC },
		{ "e_phnum 5 of 4 slots", EHOFF(e_phnum), 2, 5, 0, -KDUMP_ELF_EPHTRUNC },
		{ "e_phnum 4 of 4 slots", EHOFF(e_phnum), 2, 4, 0, 0 },
		{ "e_phoff 0", EHOFF(e_phoff), 8, 0, 0, -KDUMP_ELF_EBADPHOFF },
		{ "e_phoff 63", EHOFF(e_phoff), 8, 63, 0, -KDUMP_ELF_EBADPHOFF },
		{ "e_phoff 120 (table ends at len)", EHOFF(e_phoff), 8, 120, 0, 0 },
		{ "e_phoff 121 (table past end)", EHOFF(e_phoff), 8, 121, 0, -KDUMP_ELF_EPHTRUNC },
		{ "e_phoff 2^63", EHOFF(e_phoff), 8, 1ull << 63, 0, -KDUMP_ELF_EPHTRUNC },
		{ "e_phoff ~0", EHOFF(e_phoff), 8, UINT64_MAX, 0, -KDUMP_ELF_EBADPHOFF },
		{ "e_phoff + table wraps", EHOFF(e_phoff), 8, UINT64_MAX - 100, 0, -KDUMP_ELF_EBADPHOFF },
		{ "e_phoff 2^64 - 168 (ends at 2^64)", EHOFF(e_phoff), 8, 0 - 168ull, 0, -KDUMP_ELF_EBADPHOFF },
		{ "e_machine 0 is fine to read", EHOFF(e_machine), 2, 0, 0, 0 },
		{ "e_shoff set is ignored", EHOFF(e_shoff), 8, 0x1234, 0, 0 },
	};
	unsigned char buf[64 + 56 * 4];
	struct kdump_elf_view v;
	size_t i, need;

	for (i = 0; i < KT_ARRAY_SIZE(rows); i++) {
		size_t len = rows[i].len == (size_t)-1 ? 0 : rows[i].len ? rows[i].len : sizeof(buf);
		int r;

		ASSERT_EQ(kdump_elf_init(buf, sizeof(buf), EM_X86_64), 4);
		ASSERT_EQ(kdump_elf_add_note(buf, sizeof(buf), 0x1000, 0x400), 0);
		ASSERT_EQ(kdump_elf_add_load(buf, sizeof(buf), 0x100000, 0, 0x100000), 1);
		ASSERT_EQ(kdump_elf_add_load(buf, sizeof(buf), 0x400000, 0, 0x100000), 2);
		if (rows[i].size)
			kt_put(buf + rows[i].off, rows[i].size, rows[i].val);
		memset(&v, 0x5a, sizeof(v));
		r = kdump_elf_parse(buf, len, &v);
		if (r != rows[i].want)
			kt_fail(__FILE__, __LINE__, "%s: got %d (%s), want %d", rows[i].name, r,
				kdump_elf_strerror(r), rows[i].want);
		if (r < 0) {
			ASSERT_EQ(v.phnum, 0x5a5a5a5a);	/* untouched on failure */
			ASSERT_ERR(kdump_elf_check(buf, len, NULL, 0), r);
			ASSERT_ERR(kdump_elf_text_load(buf, len), r);
		}
		/* probe agrees except where only the length is at fault */
		r = kdump_elf_probe(buf, len, &need);
		if (rows[i].want != -KDUMP_ELF_EPHTRUNC)
			ASSERT_EQ(r, rows[i].want);
	}
}

TEST(kdump_elf_parse_null_args)
{
	unsigned char buf[120];
	struct kdump_elf_view v;
	struct kdump_elf_phdr ph;
	size_t need;

	ASSERT_EQ(kdump_elf_init(buf, sizeof(buf), EM_X86_64), 1);
	ASSERT_ERR(kdump_elf_parse(NULL, sizeof(buf), &v), -EINVAL);
	ASSERT_ERR(kdump_elf_parse(buf, sizeof(buf), NULL), -EINVAL);
	ASSERT_ERR(kdump_elf_probe(NULL, sizeof(buf), &need), -EINVAL);
	ASSERT_ERR(kdump_elf_probe(buf, sizeof(buf), NULL), -EINVAL);
	ASSERT_ERR(kdump_elf_phdr(buf, sizeof(buf), 0, NULL), -EINVAL);
	ASSERT_ERR(kdump_elf_phdr(NULL, sizeof(buf), 0, &ph), -EINVAL);
	ASSERT_ERR(kdump_elf_check(NULL, sizeof(buf), NULL, 0), -EINVAL);
	ASSERT_ERR(kdump_elf_check(buf, sizeof(buf), NULL, 1), -EINVAL);
}

TEST(kdump_elf_probe_need)
{
	unsigned char buf[64 + 56 * 6];
	size_t need;

	ASSERT_EQ(kdump_elf_init(buf, sizeof(buf), EM_AARCH64), 6);
	ASSERT_OK(kdump_elf_probe(buf, 64, &need));
	ASSERT_EQ(need, 64);
	ASSERT_EQ(kdump_elf_add_load(buf, sizeof(buf), 0x80000000, 0, 0x1000), 0);
	ASSERT_EQ(kdump_elf_add_load(buf, sizeof(buf), 0x90000000, 0, 0x1000), 1);
	ASSERT_OK(kdump_elf_probe(buf, 64, &need));
	ASSERT_EQ(need, 64 + 2 * 56);
	/* the table may sit further out, as in files made by other tools */
	kt_put(buf + EHOFF(e_phoff), 8, 0x1000);
	ASSERT_OK(kdump_elf_probe(buf, 64, &need));
	ASSERT_EQ(need, 0x1000 + 2 * 56);
}

/* capacity counts whole slots in len after e_phoff; spare stops at data */
TEST(kdump_elf_parse_capacity_and_spare)
{
	unsigned char buf[64 + 56 * 8 + 40];
	struct kdump_elf_view v;

	ASSERT_EQ(kdump_elf_init(buf, sizeof(buf), EM_X86_64), 8);
	ASSERT_EQ(kdump_elf_add_note(buf, sizeof(buf), 0x1000, 0x400), 0);
	ASSERT_OK(kdump_elf_parse(buf, sizeof(buf), &v));
	ASSERT_EQ(v.capacity, 8);
	ASSERT_EQ(v.spare, 7);
	ASSERT_OK(kdump_elf_parse(buf, 64 + 56 * 5 + 55, &v));
	ASSERT_EQ(v.capacity, 5);
	ASSERT_EQ(v.spare, 4);
	/* one non-zero byte in slot 4 ends the spare run at 3 */
	kt_slot(buf, 4)[50] = 1;
	ASSERT_OK(kdump_elf_parse(buf, sizeof(buf), &v));
	ASSERT_EQ(v.spare, 3);
	ASSERT_EQ(v.phnum, 1);
	/* ... so does a non-zero slot right after e_phnum */
	kt_slot(buf, 1)[0] = 1;
	ASSERT_OK(kdump_elf_parse(buf, sizeof(buf), &v));
	ASSERT_EQ(v.spare, 0);
}

TEST(kdump_elf_parse_counts_types)
{
	unsigned char buf[64 + 56 * 6];
	struct kdump_elf_view v;

	ASSERT_EQ(kdump_elf_init(buf, sizeof(buf), EM_X86_64), 6);
	kt_raw_phdr(buf, 0, PT_NOTE, 0, 0, 0x100, 0x100);
	kt_raw_phdr(buf, 1, PT_LOAD, 0x1000, 0, 0x100, 0x100);
	kt_raw_phdr(buf, 2, PT_DYNAMIC, 0x2000, 0, 0x100, 0x100);
	kt_raw_phdr(buf, 3, PT_NULL, 0, 0, 0, 0);
	kt_raw_phdr(buf, 4, PT_LOAD, 0x3000, 0, 0x100, 0x100);
	kt_set_phnum(buf, 5);
	ASSERT_OK(kdump_elf_parse(buf, sizeof(buf), &v));
	ASSERT_EQ(v.notes, 1);
	ASSERT_EQ(v.loads, 2);
	ASSERT_EQ(v.others, 2);
	ASSERT_EQ(v.spare, 1);
}

TEST(kdump_elf_phdr_index_range)
{
	unsigned char buf[64 + 56 * 3];
	struct kdump_elf_phdr ph;

	ASSERT_EQ(kdump_elf_init(buf, sizeof(buf), EM_X86_64), 3);
	ASSERT_ERR(kdump_elf_phdr(buf, sizeof(buf), 0, &ph), -ERANGE);
	ASSERT_EQ(kdump_elf_add_load(buf, sizeof(buf), 0x1000, 0xffff000000001000ull, 0x2000), 0);
	ASSERT_OK(kdump_elf_phdr(buf, sizeof(buf), 0, &ph));
	ASSERT_EQ(ph.vaddr, 0xffff000000001000ull);
	ASSERT_ERR(kdump_elf_phdr(buf, sizeof(buf), 1, &ph), -ERANGE);
	ASSERT_ERR(kdump_elf_phdr(buf, sizeof(buf), ~0u, &ph), -ERANGE);
	/* a truncated buffer is a parse error, not a range error */
	ASSERT_ERR(kdump_elf_phdr(buf, 64, 0, &ph), -KDUMP_ELF_EPHTRUNC);
}

/* phdrs read at an odd address: no alignment is assumed */
TEST(kdump_elf_parse_unaligned_buffer)
{
	unsigned char raw[1 + 64 + 56 * 2];
	unsigned char *buf = raw + 1;
	struct kdump_elf_phdr ph;

	ASSERT_EQ(kdump_elf_init(buf, sizeof(raw) - 1, EM_X86_64), 2);
	ASSERT_EQ(kdump_elf_add_load(buf, sizeof(raw) - 1, 0x123456789a, 0x5, 0x77), 0);
	ASSERT_OK(kdump_elf_phdr(buf, sizeof(raw) - 1, 0, &ph));
	ASSERT_EQ(ph.paddr, 0x123456789a);
	ASSERT_EQ(ph.memsz, 0x77);
}

TEST(kdump_elf_strerror_rows)
{
	int e;

	for (e = KDUMP_ELF_ERR_BASE; e < KDUMP_ELF_ERR_MAX; e++) {
		ASSERT_TRUE(strcmp(kdump_elf_strerror(-e), "unknown error"));
		ASSERT_STREQ(kdump_elf_strerror(-e), kdump_elf_strerror(e));
	}
	ASSERT_CONTAINS(kdump_elf_strerror(-KDUMP_ELF_EBADPHENTSIZE), "e_phentsize");
	ASSERT_CONTAINS(kdump_elf_strerror(-KDUMP_ELF_EBADPHOFF), "e_phoff");
	ASSERT_CONTAINS(kdump_elf_strerror(-KDUMP_ELF_EPNXNUM), "e_phnum");
	ASSERT_CONTAINS(kdump_elf_strerror(-KDUMP_ELF_ENOTENAME), "n_namesz");
	ASSERT_CONTAINS(kdump_elf_strerror(-ENOSPC), "space");
	ASSERT_STREQ(kdump_elf_strerror(0), "success");
	ASSERT_STREQ(kdump_elf_strerror(-EPERM), "unknown error");
	ASSERT_STREQ(kdump_elf_strerror(-KDUMP_ELF_ERR_MAX), "unknown error");
	ASSERT_STREQ(kdump_elf_strerror(-2147483647 - 1), "unknown error");

	ASSERT_EQ(kdump_elf_errno(-KDUMP_ELF_ETRUNC), -ENOEXEC);
	ASSERT_EQ(kdump_elf_errno(-KDUMP_ELF_EBADTYPE), -ENOEXEC);
	ASSERT_EQ(kdump_elf_errno(-KDUMP_ELF_EBADEHSIZE), -EINVAL);
	ASSERT_EQ(kdump_elf_errno(-KDUMP_ELF_EPHTRUNC), -EINVAL);
	ASSERT_EQ(kdump_elf_errno(-KDUMP_ELF_ENOTETRUNC), -EBADMSG);
	ASSERT_EQ(kdump_elf_errno(-KDUMP_ELF_ENOTEDESC), -EBADMSG);
	ASSERT_EQ(kdump_elf_errno(-ENOSPC), -ENOSPC);
	ASSERT_EQ(kdump_elf_errno(3), 3);
	ASSERT_EQ(kdump_elf_errno(-KDUMP_ELF_ERR_MAX), -KDUMP_ELF_ERR_MAX);
}
