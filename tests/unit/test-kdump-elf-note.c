/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-kdump-elf-note.c - note iterator, VMCOREINFO lookup */
#include "test-kdump-elf.h"

/* append a well-formed note (name with its NUL, 4-byte padding) at @off */
static size_t put_note(unsigned char *buf, size_t off, const char *name, uint32_t type,
		       const void *desc, uint32_t descsz)
{
	uint32_t namesz = (uint32_t)strlen(name) + 1;

	kt_put(buf + off, 4, namesz);
	kt_put(buf + off + 4, 4, descsz);
	kt_put(buf + off + 8, 4, type);
	off += 12;
	memset(buf + off, 0, (namesz + 3) & ~3u);
	memcpy(buf + off, name, namesz);
	off += (namesz + 3) & ~3u;
	memset(buf + off, 0, (descsz + 3) & ~3u);
	if (descsz)
		memcpy(buf + off, desc, descsz);
	return off + ((descsz + 3) & ~3u);
}

static const char vmci[] =
	"OSRELEASE=6.1.0-18-amd64\n"
	"BUILD-ID=0123456789abcdef\n"
	"PAGESIZE=4096\n"
	"SYMBOL(_stext)=ffffffff81000000\n"
	"NUMBER(phys_base)=-2147483648\n"
	"KERNELOFFSET2=deadbeef\n"
	"KERNELOFFSET=1a000000\n"
	"NUMBER(VA_BITS)=48\n"
	"NUMBER(kimage_voffset)=0xffff800070000000\n"
	"CRASHTIME=1700000000";	/* no newline at the end */

/* two CPUs' notes the way /proc/vmcore merges them, then VMCOREINFO */
static size_t build_notes(unsigned char *buf)
{
	unsigned char prstatus[336];
	size_t off = 0;

	memset(prstatus, 0x11, sizeof(prstatus));
	off = put_note(buf, off, "CORE", NT_PRSTATUS, prstatus, sizeof(prstatus));
	off = put_note(buf, off, "CORE", NT_PRSTATUS, prstatus, sizeof(prstatus));
	off = put_note(buf, off, "VMCOREINFO", 0, vmci, sizeof(vmci));	/* NUL included */
	return off;
}

TEST(kdump_elf_note_iterate)
{
	unsigned char buf[2048];
	struct kdump_elf_note n;
	size_t len = build_notes(buf), off = 0;

	ASSERT_EQ(kdump_elf_note_next(buf, len, &off, &n), 1);
	ASSERT_EQ(n.offset, 0);
	ASSERT_EQ(n.namesz, 5);
	ASSERT_EQ(n.descsz, 336);
	ASSERT_EQ(n.type, NT_PRSTATUS);
	ASSERT_TRUE(n.name == (const char *)buf + 12);
	ASSERT_TRUE(n.desc == buf + 12 + 8);
	ASSERT_TRUE(kdump_elf_note_is(&n, "CORE"));
	ASSERT_EQ(off, 12 + 8 + 336);

	ASSERT_EQ(kdump_elf_note_next(buf, len, &off, &n), 1);
	ASSERT_EQ(n.offset, 356);
	ASSERT_EQ(kdump_elf_note_next(buf, len, &off, &n), 1);
	ASSERT_TRUE(kdump_elf_note_is(&n, "VMCOREINFO"));
	ASSERT_EQ(n.namesz, 11);
	ASSERT_EQ(n.descsz, sizeof(vmci));
	ASSERT_EQ(off, len);
	ASSERT_EQ(kdump_elf_note_next(buf, len, &off, &n), 0);
	ASSERT_EQ(off, len);
}

/* the kernel ends each crash_notes buffer with an all-zero note header */
TEST(kdump_elf_note_terminators)
{
	unsigned char buf[256];
	struct kdump_elf_note n;
	size_t len, off;
	int i;

	memset(buf, 0, sizeof(buf));
	len = put_note(buf, 0, "CORE", NT_PRSTATUS, "abcd", 4);
	/* 12-byte zero header then more zeros: the end */
	off = 0;
	ASSERT_EQ(kdump_elf_note_next(buf, len + 40, &off, &n), 1);
	ASSERT_EQ(kdump_elf_note_next(buf, len + 40, &off, &n), 0);
	ASSERT_EQ(off, len);
	/* fewer than 12 trailing zero bytes: the end */
	for (i = 1; i < 12; i++) {
		off = len;
		ASSERT_EQ(kdump_elf_note_next(buf, len + (size_t)i, &off, &n), 0);
	}
	/* fewer than 12 trailing bytes with data: a cut-off header */
	buf[len + 5] = 1;
	off = len;
	ASSERT_ERR(kdump_elf_note_next(buf, len + 8, &off, &n), -KDUMP_ELF_ENOTETRUNC);
	ASSERT_EQ(off, len);
	/* a zero header with a non-zero type is a (nameless, empty) note */
	memset(buf + len, 0, 12);
	buf[len + 8] = 7;
	off = len;
	ASSERT_EQ(kdump_elf_note_next(buf, len + 12, &off, &n), 1);
	ASSERT_EQ(n.type, 7);
	ASSERT_EQ(n.namesz, 0);
	ASSERT_EQ(off, len + 12);
	/* empty data */
	off = 0;
	ASSERT_EQ(kdump_elf_note_next(NULL, 0, &off, &n), 0);
}

/* hostile n_namesz / n_descsz: no overflow, no read past len */
TEST(kdump_elf_note_malformed_rows)
{
	static const struct {
		const char *name;
		uint32_t namesz, descsz;
		size_t len;		/* bytes handed to the iterator */
		int want;
		size_t next;		/* *off afterwards, when want is 1 */
	} rows[] = {
		{ "fits exactly", 5, 8, 12 + 8 + 8, 1, 28 },
		{ "desc one byte over", 5, 9, 12 + 8 + 8, -KDUMP_ELF_ENOTEDESC, 0 },
		{ "desc without final pad", 5, 6, 12 + 8 + 6, 1, 26 },
		{ "desc cut inside", 5, 8, 12 + 8 + 7, -KDUMP_ELF_ENOTEDESC, 0 },
		{ "name cut inside", 5, 0, 12 + 4, -KDUMP_ELF_ENOTENAME, 0 },
		{ "name without pad, nothing after", 5, 0, 12 + 5, 1, 17 },
		{ "name without pad, desc after", 5, 1, 12 + 5, -KDUMP_ELF_ENOTEDESC, 0 },
		{ "namesz 0xffffffff", 0xffffffff, 0, 64, -KDUMP_ELF_ENOTENAME, 0 },
		{ "namesz 0xfffffffd (pad wraps in 32 bits)", 0xfffffffd, 4, 64, -KDUMP_ELF_ENOTENAME, 0 },
		{ "descsz 0xffffffff", 4, 0xffffffff, 64, -KDUMP_ELF_ENOTEDESC, 0 },
		{ "descsz 0xfffffffd", 4, 0xfffffffd, 64, -KDUMP_ELF_ENOTEDESC, 0 },
		{ "both huge", 0xfffffff0, 0xfffffff0, 64, -KDUMP_ELF_ENOTENAME, 0 },
		{ "header only", 0, 0, 11, -KDUMP_ELF_ENOTETRUNC, 0 },
	};
	unsigned char buf[64];
	struct kdump_elf_note n;
	size_t i, off;
	int r;

	for (i = 0; i < KT_ARRAY_SIZE(rows); i++) {
		memset(buf, 'x', sizeof(buf));
		kt_put(buf, 4, rows[i].namesz);
		kt_put(buf + 4, 4, rows[i].descsz);
		kt_put(buf + 8, 4, 1);
		off = 0;
		r = kdump_elf_note_next(buf, rows[i].len, &off, &n);
		if (r != rows[i].want)
			kt_fail(__FILE__, __LINE__, "%s: got %d (%s), want %d", rows[i].name, r,
				kdump_elf_strerror(r), rows[i].want);
		ASSERT_EQ(off, r == 1 ? rows[i].next : 0);
		if (r == 1) {
			ASSERT_TRUE((const unsigned char *)n.desc + n.descsz <= buf + rows[i].len);
			ASSERT_TRUE((const unsigned char *)n.name + n.namesz <= buf + rows[i].len);
		}
	}
}

TEST(kdump_elf_note_bad_args)
{
	unsigned char buf[32] = { 0 };
	struct kdump_elf_note n;
	size_t off = 33;

	ASSERT_ERR(kdump_elf_note_next(buf, sizeof(buf), &off, &n), -EINVAL);
	off = 0;
	ASSERT_ERR(kdump_elf_note_next(NULL, sizeof(buf), &off, &n), -EINVAL);
	ASSERT_ERR(kdump_elf_note_next(buf, sizeof(buf), NULL, &n), -EINVAL);
	ASSERT_ERR(kdump_elf_note_next(buf, sizeof(buf), &off, NULL), -EINVAL);
	off = 32;
	ASSERT_EQ(kdump_elf_note_next(buf, sizeof(buf), &off, &n), 0);
	ASSERT_ERR(kdump_elf_note_find(buf, sizeof(buf), &off, NULL, &n), -EINVAL);
	ASSERT_ERR(kdump_elf_note_find(buf, sizeof(buf), &off, "CORE", NULL), -EINVAL);
}

TEST(kdump_elf_note_is_rows)
{
	static const struct {
		const char *stored;
		uint32_t namesz;
		const char *ask;
		int want;
	} rows[] = {
		{ "CORE", 5, "CORE", 1 },		/* with the NUL: the rule */
		{ "CORE", 4, "CORE", 1 },		/* without: tolerated */
		{ "CORE", 5, "COR", 0 },		/* prefix */
		{ "COREX", 6, "CORE", 0 },		/* longer */
		{ "CORX", 5, "CORE", 0 },
		{ "CORE\0\0\0", 8, "CORE", 0 },		/* padding counted in namesz */
		{ "", 1, "", 1 },
		{ "", 0, "", 1 },
	};
	struct kdump_elf_note n;
	size_t i;

	for (i = 0; i < KT_ARRAY_SIZE(rows); i++) {
		memset(&n, 0, sizeof(n));
		n.name = rows[i].stored;
		n.namesz = rows[i].namesz;
		if (kdump_elf_note_is(&n, rows[i].ask) != rows[i].want)
			kt_fail(__FILE__, __LINE__, "row %zu: %s/%u vs %s", i, rows[i].stored,
				rows[i].namesz, rows[i].ask);
	}
	ASSERT_EQ(kdump_elf_note_is(NULL, "CORE"), 0);
	ASSERT_EQ(kdump_elf_note_is(&n, NULL), 0);
}

TEST(kdump_elf_note_find_repeats)
{
	unsigned char buf[2048];
	struct kdump_elf_note n;
	size_t len = build_notes(buf), off = 0;
	int count = 0;

	while (kdump_elf_note_find(buf, len, &off, "CORE", &n) == 0) {
		ASSERT_EQ(n.type, NT_PRSTATUS);
		count++;
	}
	ASSERT_EQ(count, 2);
	off = 0;
	ASSERT_ERR(kdump_elf_note_find(buf, len, &off, "LINUX", &n), -ENOENT);
	/* an error in the data comes through instead of -ENOENT */
	kt_put(buf + 356 + 4, 4, 0x7fffffff);	/* second note's descsz */
	off = 0;
	ASSERT_ERR(kdump_elf_note_find(buf, len, &off, "VMCOREINFO", &n), -KDUMP_ELF_ENOTEDESC);
}

TEST(kdump_elf_vmcoreinfo_find_text)
{
	unsigned char buf[2048];
	const char *text;
	size_t len = build_notes(buf), tlen;

	ASSERT_OK(kdump_elf_vmcoreinfo_find(buf, len, &text, &tlen));
	ASSERT_EQ(tlen, strlen(vmci));	/* stops at the NUL, not at descsz */
	ASSERT_TRUE(!memcmp(text, vmci, tlen));
	ASSERT_ERR(kdump_elf_vmcoreinfo_find(buf, 356 * 2, &text, &tlen), -ENOENT);
	ASSERT_ERR(kdump_elf_vmcoreinfo_find(buf, len, NULL, &tlen), -EINVAL);
	ASSERT_ERR(kdump_elf_vmcoreinfo_find(buf, len, &text, NULL), -EINVAL);
	/* VMCOREINFO cut inside its name, then inside its text */
	ASSERT_ERR(kdump_elf_vmcoreinfo_find(buf, 356 * 2 + 20, &text, &tlen), -KDUMP_ELF_ENOTENAME);
	ASSERT_ERR(kdump_elf_vmcoreinfo_find(buf, 356 * 2 + 24 + 10, &text, &tlen), -KDUMP_ELF_ENOTEDESC);
}

TEST(kdump_elf_vmcoreinfo_get_rows)
{
	static const struct {
		const char *key;
		int want;		/* length, or error */
		const char *val;
	} rows[] = {
		{ "OSRELEASE", 14, "6.1.0-18-amd64" },
		{ "PAGESIZE", 4, "4096" },
		{ "SYMBOL(_stext)", 16, "ffffffff81000000" },
		{ "NUMBER(phys_base)", 11, "-2147483648" },
		{ "KERNELOFFSET", 8, "1a000000" },	/* after KERNELOFFSET2 */
		{ "KERNELOFFSET2", 8, "deadbeef" },
		{ "CRASHTIME", 10, "1700000000" },	/* last line, no newline */
		{ "KERNELOFFSET3", -ENOENT, NULL },
		{ "KERNELOFFSE", -ENOENT, NULL },	/* prefix of a key */
		{ "RELEASE", -ENOENT, NULL },		/* suffix of a key */
		{ "NUMBER(VA_BITS", -ENOENT, NULL },
		{ "", -EINVAL, NULL },
		{ "A=B", -EINVAL, NULL },
		{ "A\nB", -EINVAL, NULL },
	};
	char val[64];
	size_t i;
	int r;

	for (i = 0; i < KT_ARRAY_SIZE(rows); i++) {
		memset(val, 'z', sizeof(val));
		r = kdump_elf_vmcoreinfo_get(vmci, strlen(vmci), rows[i].key, val, sizeof(val));
		if (r != rows[i].want)
			kt_fail(__FILE__, __LINE__, "%s: got %d want %d", rows[i].key, r, rows[i].want);
		if (rows[i].val)
			ASSERT_STREQ(val, rows[i].val);
	}
	ASSERT_ERR(kdump_elf_vmcoreinfo_get(vmci, strlen(vmci), NULL, val, sizeof(val)), -EINVAL);
	ASSERT_ERR(kdump_elf_vmcoreinfo_get(NULL, 5, "A", val, sizeof(val)), -EINVAL);
	ASSERT_ERR(kdump_elf_vmcoreinfo_get(vmci, strlen(vmci), "PAGESIZE", NULL, 5), -EINVAL);
	ASSERT_ERR(kdump_elf_vmcoreinfo_get(NULL, 0, "A", val, sizeof(val)), -ENOENT);
}

TEST(kdump_elf_vmcoreinfo_get_edges)
{
	static const char t[] = "A=1\nEMPTY=\nB=xyz\nNOEQUALS\n\n=novalue\nC=tail";
	char val[8];

	/* exact space: 3 characters need 4 bytes */
	ASSERT_EQ(kdump_elf_vmcoreinfo_get(t, strlen(t), "B", val, 4), 3);
	ASSERT_STREQ(val, "xyz");
	memset(val, 'z', sizeof(val));
	ASSERT_ERR(kdump_elf_vmcoreinfo_get(t, strlen(t), "B", val, 3), -ENOSPC);
	ASSERT_EQ(val[0], '\0');
	ASSERT_EQ(val[1], 'z');	/* nothing else written */
	/* length query */
	ASSERT_EQ(kdump_elf_vmcoreinfo_get(t, strlen(t), "B", NULL, 0), 3);
	/* empty value */
	ASSERT_EQ(kdump_elf_vmcoreinfo_get(t, strlen(t), "EMPTY", val, sizeof(val)), 0);
	ASSERT_STREQ(val, "");
	ASSERT_ERR(kdump_elf_vmcoreinfo_get(t, strlen(t), "NOEQUALS", val, sizeof(val)), -ENOENT);
	ASSERT_EQ(kdump_elf_vmcoreinfo_get(t, strlen(t), "C", val, sizeof(val)), 4);
	/* len cuts the last value short */
	ASSERT_EQ(kdump_elf_vmcoreinfo_get(t, strlen(t) - 2, "C", val, sizeof(val)), 2);
	ASSERT_STREQ(val, "ta");
	/* the text ends at a NUL even when len says more */
	ASSERT_ERR(kdump_elf_vmcoreinfo_get("A=1\0B=2\n", 8, "B", val, sizeof(val)), -ENOENT);
	ASSERT_EQ(kdump_elf_vmcoreinfo_get("A=1\0B=2\n", 8, "A", val, sizeof(val)), 1);
	/* a key mid-line does not match */
	ASSERT_ERR(kdump_elf_vmcoreinfo_get("XA=1\n", 5, "A", val, sizeof(val)), -ENOENT);
	/* CR is part of the value: the kernel never writes one */
	ASSERT_EQ(kdump_elf_vmcoreinfo_get("A=1\r\n", 5, "A", val, sizeof(val)), 2);
}

TEST(kdump_elf_vmcoreinfo_u64_rows)
{
	static const char t[] =
		"PAGESIZE=4096\n"
		"KERNELOFFSET=1a000000\n"
		"NUMBER(phys_base)=-2\n"
		"NUMBER(PHYS_OFFSET)=0x40000000\n"
		"MAX=0xffffffffffffffff\n"
		"MAXD=18446744073709551615\n"
		"OVER=18446744073709551616\n"
		"OVERX=0x10000000000000000\n"
		"EMPTY=\n"
		"HEXONLY=0x\n"
		"STRAY=12a\n"
		"SPACE= 12\n"
		"LONG=000000000000000000000000000000000000001\n";
	static const struct {
		const char *key;
		int base;
		int want;
		uint64_t val;
	} rows[] = {
		{ "PAGESIZE", 0, 0, 4096 },
		{ "PAGESIZE", 10, 0, 4096 },
		{ "PAGESIZE", 16, 0, 0x4096 },
		{ "KERNELOFFSET", 16, 0, 0x1a000000 },
		{ "KERNELOFFSET", 0, -ERANGE, 0 },	/* "1a..." is not decimal */
		{ "NUMBER(phys_base)", 0, 0, (uint64_t)-2 },
		{ "NUMBER(PHYS_OFFSET)", 0, 0, 0x40000000 },
		{ "NUMBER(PHYS_OFFSET)", 16, 0, 0x40000000 },
		{ "NUMBER(PHYS_OFFSET)", 10, -ERANGE, 0 },
		{ "MAX", 0, 0, UINT64_MAX },
		{ "MAXD", 10, 0, UINT64_MAX },
		{ "OVER", 10, -ERANGE, 0 },
		{ "OVERX", 0, -ERANGE, 0 },
		{ "EMPTY", 0, -ERANGE, 0 },
		{ "HEXONLY", 0, -ERANGE, 0 },
		{ "STRAY", 10, -ERANGE, 0 },
		{ "SPACE", 10, -ERANGE, 0 },
		{ "LONG", 10, -ERANGE, 0 },	/* longer than any number */
		{ "ABSENT", 0, -ENOENT, 0 },
		{ "PAGESIZE", 8, -EINVAL, 0 },
	};
	size_t i;

	for (i = 0; i < KT_ARRAY_SIZE(rows); i++) {
		uint64_t v = 0x5a5a;
		int r = kdump_elf_vmcoreinfo_u64(t, strlen(t), rows[i].key, rows[i].base, &v);

		if (r != rows[i].want)
			kt_fail(__FILE__, __LINE__, "%s base %d: got %d want %d", rows[i].key,
				rows[i].base, r, rows[i].want);
		ASSERT_EQ(v, r == 0 ? rows[i].val : 0x5a5a);
	}
	ASSERT_ERR(kdump_elf_vmcoreinfo_u64(t, strlen(t), "PAGESIZE", 0, NULL), -EINVAL);
}
