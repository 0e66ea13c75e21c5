/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-kdump-elf.h - helpers shared by the libkdump-elf unit tests: raw
 * little-endian pokes (to build malformed input the library would never
 * write) and a kernel-shaped header.
 */
#ifndef TEST_KDUMP_ELF_H
#define TEST_KDUMP_ELF_H

#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kdump-elf.h"
#include "test.h"

#define KT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline void kt_put(unsigned char *p, unsigned size, uint64_t v)
{
	unsigned i;

	for (i = 0; i < size; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static inline uint64_t kt_get(const unsigned char *p, unsigned size)
{
	uint64_t v = 0;

	while (size--)
		v = v << 8 | p[size];
	return v;
}

/* where phdr slot @i starts in a header with e_phoff 64 */
static inline unsigned char *kt_slot(unsigned char *buf, unsigned i)
{
	return buf + 64 + (size_t)i * 56;
}

/* write a raw phdr into slot @i (no checks: for malformed rows) */
static inline void kt_raw_phdr(unsigned char *buf, unsigned i, uint32_t type, uint64_t paddr,
			       uint64_t vaddr, uint64_t filesz, uint64_t memsz)
{
	unsigned char *s = kt_slot(buf, i);

	memset(s, 0, 56);
	kt_put(s + offsetof(Elf64_Phdr, p_type), 4, type);
	kt_put(s + offsetof(Elf64_Phdr, p_offset), 8, paddr);
	kt_put(s + offsetof(Elf64_Phdr, p_vaddr), 8, vaddr);
	kt_put(s + offsetof(Elf64_Phdr, p_paddr), 8, paddr);
	kt_put(s + offsetof(Elf64_Phdr, p_filesz), 8, filesz);
	kt_put(s + offsetof(Elf64_Phdr, p_memsz), 8, memsz);
}

static inline void kt_set_phnum(unsigned char *buf, unsigned n)
{
	kt_put(buf + offsetof(Elf64_Ehdr, e_phnum), 2, n);
}

/* x86_64 direct map, as the kernel's __va() with no KASLR */
#define KT_PAGE_OFFSET 0xffff888000000000ull
#define KT_KTEXT_VADDR 0xffffffff81000000ull

/*
 * The kernel's layout: 2 CPU notes, VMCOREINFO, kernel text inside the
 * second RAM range, 3 RAM ranges (1M..640M, 1G..2G, 4G..6G).  Returns the
 * phnum (7) or fails the test.
 */
static inline unsigned kt_build_kernel_like(unsigned char *buf, size_t bufsz, uint16_t machine)
{
	static const uint64_t ram[][2] = {
		{ 0x100000, 0x28000000 },	/* [1M, 640M) */
		{ 0x40000000, 0x40000000 },	/* [1G, 2G) */
		{ 0x100000000, 0x80000000 },	/* [4G, 6G) */
	};
	unsigned i;

	ASSERT_OK(kdump_elf_init(buf, bufsz, machine));
	ASSERT_EQ(kdump_elf_add_note(buf, bufsz, 0x13fc1a000, 0x400), 0);
	ASSERT_EQ(kdump_elf_add_note(buf, bufsz, 0x13fc3a000, 0x400), 1);
	ASSERT_EQ(kdump_elf_add_note(buf, bufsz, 0x3c8e000, 0x1024), 2);
	ASSERT_EQ(kdump_elf_add_load(buf, bufsz, 0x41000000, KT_KTEXT_VADDR, 0x2000000), 3);
	for (i = 0; i < KT_ARRAY_SIZE(ram); i++)
		ASSERT_EQ(kdump_elf_add_load(buf, bufsz, ram[i][0], KT_PAGE_OFFSET + ram[i][0],
					     ram[i][1]), 4 + i);
	return 7;
}

#endif
