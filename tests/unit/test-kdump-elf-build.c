/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-kdump-elf-build.c - init, add_note, add_load, reset_loads, capacity, spare */
#include <stdlib.h>

#include "test-kdump-elf.h"

TEST(kdump_elf_bytes_math)
{
	ASSERT_EQ(kdump_elf_bytes(0), 64);
	ASSERT_EQ(kdump_elf_bytes(1), 120);
	ASSERT_EQ(kdump_elf_bytes(8258), 64 + 8258 * 56);
	ASSERT_EQ(kdump_elf_bytes(KDUMP_ELF_MAX_PHDRS), 64 + 0xfffeull * 56);
	ASSERT_EQ(kdump_elf_bytes(KDUMP_ELF_MAX_PHDRS + 1), 0);
	ASSERT_EQ(kdump_elf_bytes(~0u), 0);
}

/* capacity = (bufsz - 64) / 56, clamped at 0xfffe; < 120 bytes is -ENOSPC */
TEST(kdump_elf_init_capacity_rows)
{
	static const struct {
		const char *name;
		size_t bufsz;
		int want;
	} rows[] = {
		{ "empty", 0, -ENOSPC },
		{ "one short of an Ehdr", 63, -ENOSPC },
		{ "Ehdr only", 64, -ENOSPC },
		{ "one byte short of a slot", 119, -ENOSPC },
		{ "exactly one slot", 120, 1 },
		{ "one slot and change", 175, 1 },
		{ "exactly two slots", 176, 2 },
		{ "odd: ten slots + 55", 64 + 56 * 10 + 55, 10 },
		{ "page", 4096, (4096 - 64) / 56 },
		{ "x86 sysfs default 0x71000", 0x71000, (0x71000 - 64) / 56 },
		{ "exactly 0xfffe slots", 64 + 56 * 0xfffe, 0xfffe },
		{ "0xffff slots clamps", 64 + 56 * 0xffff, 0xfffe },
		{ "4 MiB clamps", 4 << 20, 0xfffe },
	};
	size_t i;

	for (i = 0; i < KT_ARRAY_SIZE(rows); i++) {
		unsigned char *buf = malloc(rows[i].bufsz + 1);
		int r;

		ASSERT_TRUE(buf);
		memset(buf, 0xa5, rows[i].bufsz + 1);
		r = kdump_elf_init(buf, rows[i].bufsz, EM_X86_64);
		if (r != rows[i].want)
			kt_fail(__FILE__, __LINE__, "%s: got %d want %d", rows[i].name, r, rows[i].want);
		if (r > 0) {
			ASSERT_EQ(kdump_elf_capacity(buf, rows[i].bufsz), r);
			ASSERT_EQ(kdump_elf_spare(buf, rows[i].bufsz), r);
			ASSERT_EQ(kdump_elf_phnum(buf, rows[i].bufsz), 0);
			ASSERT_EQ(buf[rows[i].bufsz - 1], 0);	/* all zeroed ... */
		} else {
			ASSERT_EQ(buf[0], 0xa5);		/* ... or untouched */
		}
		ASSERT_EQ(buf[rows[i].bufsz], 0xa5);		/* never past the end */
		free(buf);
	}
}

TEST(kdump_elf_init_bad_args)
{
	unsigned char buf[256];

	ASSERT_ERR(kdump_elf_init(NULL, sizeof(buf), EM_X86_64), -EINVAL);
	ASSERT_ERR(kdump_elf_init(buf, sizeof(buf), EM_NONE), -EINVAL);
	ASSERT_ERR(kdump_elf_init(NULL, 0, EM_X86_64), -EINVAL);
}

/* the Ehdr, byte for byte, as the ELF spec and the kernel lay it out */
TEST(kdump_elf_init_ehdr_bytes)
{
	static const unsigned char want[64] = {
		0x7f, 'E', 'L', 'F', 2 /* CLASS64 */, 1 /* LSB */, 1 /* EV_CURRENT */, 0 /* SYSV */,
		0, 0, 0, 0, 0, 0, 0, 0,
		4, 0,		/* e_type ET_CORE */
		183, 0,		/* e_machine EM_AARCH64 */
		1, 0, 0, 0,	/* e_version */
		0, 0, 0, 0, 0, 0, 0, 0,		/* e_entry */
		64, 0, 0, 0, 0, 0, 0, 0,	/* e_phoff */
		0, 0, 0, 0, 0, 0, 0, 0,		/* e_shoff */
		0, 0, 0, 0,	/* e_flags */
		64, 0,		/* e_ehsize */
		56, 0,		/* e_phentsize */
		0, 0,		/* e_phnum */
		0, 0, 0, 0, 0, 0,	/* e_shentsize, e_shnum, e_shstrndx */
	};
	unsigned char buf[64 + 56 * 3];
	Elf64_Ehdr eh;

	ASSERT_EQ(kdump_elf_init(buf, sizeof(buf), EM_AARCH64), 3);
	ASSERT_TRUE(!memcmp(buf, want, sizeof(want)));
	/* and through the system's struct, on this little-endian host */
	memcpy(&eh, buf, sizeof(eh));
	ASSERT_EQ(eh.e_type, ET_CORE);
	ASSERT_EQ(eh.e_machine, EM_AARCH64);
	ASSERT_EQ(eh.e_phoff, sizeof(Elf64_Ehdr));
	ASSERT_EQ(eh.e_phentsize, sizeof(Elf64_Phdr));
}

static void expect_phdr(const unsigned char *buf, size_t len, unsigned i, uint32_t type,
			uint32_t flags, uint64_t paddr, uint64_t vaddr, uint64_t size)
{
	struct kdump_elf_phdr ph;

	ASSERT_EQ(kdump_elf_phdr(buf, len, i, &ph), 0);
	ASSERT_EQ(ph.type, type);
	ASSERT_EQ(ph.flags, flags);
	ASSERT_EQ(ph.offset, paddr);
	ASSERT_EQ(ph.paddr, paddr);
	ASSERT_EQ(ph.vaddr, vaddr);
	ASSERT_EQ(ph.filesz, size);
	ASSERT_EQ(ph.memsz, size);
	ASSERT_EQ(ph.align, 0);
}

TEST(kdump_elf_build_parse_roundtrip)
{
	unsigned char buf[64 + 56 * 10 + 17];
	struct kdump_elf_view v;
	unsigned n = 0;

	n = kt_build_kernel_like(buf, sizeof(buf), EM_X86_64);
	ASSERT_EQ(kdump_elf_phnum(buf, sizeof(buf)), n);
	ASSERT_EQ(kdump_elf_spare(buf, sizeof(buf)), 10 - n);

	ASSERT_OK(kdump_elf_parse(buf, sizeof(buf), &v));
	ASSERT_EQ(v.machine, EM_X86_64);
	ASSERT_EQ(v.phoff, 64);
	ASSERT_EQ(v.phnum, 7);
	ASSERT_EQ(v.capacity, 10);
	ASSERT_EQ(v.spare, 3);
	ASSERT_EQ(v.notes, 3);
	ASSERT_EQ(v.loads, 4);
	ASSERT_EQ(v.others, 0);

	expect_phdr(buf, sizeof(buf), 0, PT_NOTE, 0, 0x13fc1a000, 0, 0x400);
	expect_phdr(buf, sizeof(buf), 1, PT_NOTE, 0, 0x13fc3a000, 0, 0x400);
	expect_phdr(buf, sizeof(buf), 2, PT_NOTE, 0, 0x3c8e000, 0, 0x1024);
	expect_phdr(buf, sizeof(buf), 3, PT_LOAD, PF_R | PF_W | PF_X, 0x41000000, KT_KTEXT_VADDR,
		    0x2000000);
	expect_phdr(buf, sizeof(buf), 4, PT_LOAD, 7, 0x100000, KT_PAGE_OFFSET + 0x100000,
		    0x28000000);
	expect_phdr(buf, sizeof(buf), 6, PT_LOAD, 7, 0x100000000, KT_PAGE_OFFSET + 0x100000000,
		    0x80000000);
	ASSERT_EQ(kdump_elf_text_load(buf, sizeof(buf)), 3);
	ASSERT_EQ(kdump_elf_check(buf, sizeof(buf), NULL, 0), 0);
	/* the header proper is 64 + 7 * 56 bytes; parsing just that works too */
	ASSERT_OK(kdump_elf_parse(buf, kdump_elf_bytes(n), &v));
	ASSERT_EQ(v.capacity, 7);
	ASSERT_EQ(v.spare, 0);
}

/* fill to exactly the capacity for several odd sizes; one more is -ENOSPC */
TEST(kdump_elf_add_enospc_at_capacity)
{
	static const size_t sizes[] = { 120, 175, 176, 64 + 56 * 5 + 1, 64 + 56 * 33 + 55, 4096 };
	size_t k;

	for (k = 0; k < KT_ARRAY_SIZE(sizes); k++) {
		size_t bufsz = sizes[k];
		unsigned char *buf = calloc(1, bufsz), *snap = malloc(bufsz);
		int cap, i;

		ASSERT_TRUE(buf && snap);
		cap = kdump_elf_init(buf, bufsz, EM_X86_64);
		ASSERT_EQ(cap, (bufsz - 64) / 56);
		for (i = 0; i < cap; i++) {
			ASSERT_EQ(kdump_elf_spare(buf, bufsz), cap - i);
			if (i % 2)
				ASSERT_EQ(kdump_elf_add_load(buf, bufsz, 0x100000ull * (i + 1), 0, 0x1000), i);
			else
				ASSERT_EQ(kdump_elf_add_note(buf, bufsz, 0x1000ull * (i + 1), 0x400), i);
		}
		ASSERT_EQ(kdump_elf_spare(buf, bufsz), 0);
		memcpy(snap, buf, bufsz);
		ASSERT_ERR(kdump_elf_add_load(buf, bufsz, 0x200000000, 0, 0x1000), -ENOSPC);
		ASSERT_ERR(kdump_elf_add_note(buf, bufsz, 0x200000000, 0x1000), -ENOSPC);
		ASSERT_TRUE(!memcmp(snap, buf, bufsz));
		ASSERT_EQ(kdump_elf_phnum(buf, bufsz), cap);
		free(buf);
		free(snap);
	}
}

/* the largest header there is: 0xfffe slots, and e_phnum never reaches PN_XNUM */
TEST(kdump_elf_add_max_phdrs)
{
	size_t bufsz = kdump_elf_bytes(KDUMP_ELF_MAX_PHDRS) + 56 * 3;
	unsigned char *buf = malloc(bufsz);
	struct kdump_elf_view v;
	unsigned i;

	ASSERT_TRUE(buf);
	ASSERT_EQ(kdump_elf_init(buf, bufsz, EM_X86_64), 0xfffe);
	for (i = 0; i < KDUMP_ELF_MAX_PHDRS; i++)
		ASSERT_EQ(kdump_elf_add_load(buf, bufsz, 0x100000 + 0x1000ull * i, 0, 0x1000), i);
	ASSERT_ERR(kdump_elf_add_load(buf, bufsz, 0x1000, 0, 0x1000), -ENOSPC);
	ASSERT_OK(kdump_elf_parse(buf, bufsz, &v));
	ASSERT_EQ(v.phnum, 0xfffe);
	ASSERT_EQ(v.loads, 0xfffe);
	ASSERT_EQ(v.capacity, 0xfffe);
	ASSERT_EQ(v.spare, 0);
	ASSERT_EQ(kdump_elf_check(buf, bufsz, NULL, 0), 0);
	free(buf);
}

TEST(kdump_elf_add_bad_args)
{
	unsigned char buf[64 + 56 * 4], snap[sizeof(buf)];

	ASSERT_EQ(kdump_elf_init(buf, sizeof(buf), EM_X86_64), 4);
	ASSERT_EQ(kdump_elf_add_load(buf, sizeof(buf), 0x100000, 0, 0x1000), 0);
	memcpy(snap, buf, sizeof(buf));

	ASSERT_ERR(kdump_elf_add_load(buf, sizeof(buf), 0x100000, 0, 0), -EINVAL);
	ASSERT_ERR(kdump_elf_add_note(buf, sizeof(buf), 0x100000, 0), -EINVAL);
	/* ranges that wrap past 2^64; one that ends exactly at 2^64 is fine */
	ASSERT_ERR(kdump_elf_add_load(buf, sizeof(buf), UINT64_MAX - 0xfff, 0, 0x1001), -EINVAL);
	ASSERT_ERR(kdump_elf_add_load(buf, sizeof(buf), 0x1000, UINT64_MAX, 2), -EINVAL);
	ASSERT_ERR(kdump_elf_add_note(buf, sizeof(buf), UINT64_MAX, 2), -EINVAL);
	ASSERT_ERR(kdump_elf_add_load(NULL, sizeof(buf), 0x1000, 0, 0x1000), -EINVAL);
	/* a smaller @bufsz: no slot at all; exactly e_phnum slots (full) */
	ASSERT_ERR(kdump_elf_add_load(buf, 64, 0x1000, 0, 0x1000), -EINVAL);
	ASSERT_ERR(kdump_elf_capacity(buf, 119), -EINVAL);
	ASSERT_ERR(kdump_elf_add_load(buf, 120, 0x1000, 0, 0x1000), -ENOSPC);
	ASSERT_TRUE(!memcmp(snap, buf, sizeof(buf)));
	ASSERT_EQ(kdump_elf_add_load(buf, sizeof(buf), UINT64_MAX - 0xfff, 0, 0x1000), 1);
	/* now e_phnum 2 does not fit in 120 bytes: not a header of that size */
	ASSERT_ERR(kdump_elf_spare(buf, 120), -EINVAL);
	ASSERT_ERR(kdump_elf_phnum(buf, 120), -EINVAL);
}

/* a buffer that was not made by kdump_elf_init: each Ehdr field that matters */
TEST(kdump_elf_add_rejects_foreign_buffer)
{
	static const struct {
		const char *name;
		unsigned off, size;
		uint64_t val;
	} rows[] = {
		{ "magic", 1, 1, 'e' },
		{ "class 32", EI_CLASS, 1, ELFCLASS32 },
		{ "big endian", EI_DATA, 1, ELFDATA2MSB },
		{ "ET_EXEC", offsetof(Elf64_Ehdr, e_type), 2, ET_EXEC },
		{ "phoff 128", offsetof(Elf64_Ehdr, e_phoff), 8, 128 },
		{ "phentsize 32", offsetof(Elf64_Ehdr, e_phentsize), 2, 32 },
		{ "phnum above capacity", offsetof(Elf64_Ehdr, e_phnum), 2, 5 },
	};
	unsigned char buf[64 + 56 * 4];
	size_t i;

	for (i = 0; i < KT_ARRAY_SIZE(rows); i++) {
		int r;

		ASSERT_EQ(kdump_elf_init(buf, sizeof(buf), EM_X86_64), 4);
		kt_put(buf + rows[i].off, rows[i].size, rows[i].val);
		r = kdump_elf_add_note(buf, sizeof(buf), 0x1000, 0x100);
		if (r != -EINVAL)
			kt_fail(__FILE__, __LINE__, "%s: got %d", rows[i].name, r);
		ASSERT_ERR(kdump_elf_spare(buf, sizeof(buf)), -EINVAL);
		ASSERT_ERR(kdump_elf_reset_loads(buf, sizeof(buf), 0), -EINVAL);
	}
	memset(buf, 0, sizeof(buf));
	ASSERT_ERR(kdump_elf_add_load(buf, sizeof(buf), 0x1000, 0, 0x100), -EINVAL);
}

/* hotplug path: keep notes + text, drop the RAM loads, add new ones in place */
TEST(kdump_elf_reset_loads_rewrites_ram)
{
	static const uint64_t ram[][2] = {
		{ 0x100000, 0x28000000 },
		{ 0x40000000, 0x40000000 },
		{ 0x80000000, 0x8000000 },	/* new */
		{ 0x100000000, 0x80000000 },
	};
	unsigned char buf[64 + 56 * 12], snap[sizeof(buf)];
	struct kdump_elf_view v;
	unsigned i;
	int text;

	ASSERT_EQ(kt_build_kernel_like(buf, sizeof(buf), EM_X86_64), 7);
	text = kdump_elf_text_load(buf, sizeof(buf));
	ASSERT_EQ(text, 3);
	memcpy(snap, buf, sizeof(buf));

	ASSERT_EQ(kdump_elf_reset_loads(buf, sizeof(buf), (unsigned)text + 1), 12 - 4);
	ASSERT_EQ(kdump_elf_phnum(buf, sizeof(buf)), 4);
	ASSERT_TRUE(!memcmp(buf + 64, snap + 64, 56 * 4));	/* kept as they were */
	for (i = 4; i < 12; i++) {
		static const unsigned char zero[56];

		ASSERT_TRUE(!memcmp(kt_slot(buf, i), zero, 56));
	}
	/* memory hot-added at 2G: four RAM loads now */
	for (i = 0; i < KT_ARRAY_SIZE(ram); i++)
		ASSERT_EQ(kdump_elf_add_load(buf, sizeof(buf), ram[i][0], KT_PAGE_OFFSET + ram[i][0],
					     ram[i][1]), 4 + i);
	ASSERT_OK(kdump_elf_parse(buf, sizeof(buf), &v));
	ASSERT_EQ(v.phnum, 8);
	ASSERT_EQ(v.spare, 4);
	ASSERT_EQ(kdump_elf_check(buf, sizeof(buf), NULL, 0), 0);
}

TEST(kdump_elf_reset_loads_rows)
{
	unsigned char buf[64 + 56 * 9], snap[sizeof(buf)];

	ASSERT_EQ(kt_build_kernel_like(buf, sizeof(buf), EM_X86_64), 7);
	memcpy(snap, buf, sizeof(buf));
	/* keep above e_phnum: refused, nothing changed */
	ASSERT_ERR(kdump_elf_reset_loads(buf, sizeof(buf), 8), -ERANGE);
	ASSERT_ERR(kdump_elf_reset_loads(buf, sizeof(buf), ~0u), -ERANGE);
	ASSERT_TRUE(!memcmp(snap, buf, sizeof(buf)));
	/* keep everything: a no-op that reports the spare count */
	ASSERT_EQ(kdump_elf_reset_loads(buf, sizeof(buf), 7), 2);
	ASSERT_TRUE(!memcmp(snap, buf, sizeof(buf)));
	/* a stray byte in a spare slot is cleaned up too */
	kt_slot(buf, 8)[3] = 1;
	ASSERT_EQ(kdump_elf_reset_loads(buf, sizeof(buf), 7), 2);
	ASSERT_TRUE(!memcmp(snap, buf, sizeof(buf)));
	/* keep nothing: back to a fresh header */
	ASSERT_EQ(kdump_elf_reset_loads(buf, sizeof(buf), 0), 9);
	ASSERT_EQ(kdump_elf_phnum(buf, sizeof(buf)), 0);
	memset(snap, 0, sizeof(snap));
	ASSERT_EQ(kdump_elf_init(snap, sizeof(snap), EM_X86_64), 9);
	ASSERT_TRUE(!memcmp(snap, buf, sizeof(buf)));
}
