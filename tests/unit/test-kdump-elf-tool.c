/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-kdump-elf-tool.c - the kdump-elf binary end to end, on headers built
 * here: an elfcorehdr blob, a vmcore-shaped file with notes inside, a huge
 * sparse kcore-shaped file, and broken input.  The binary is found through
 * $KDUMP_ELF_TOOL or as kdump-elf/kdump-elf under the current directory (the
 * build tree when run by make check); without it the tests are skipped.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test-kdump-elf.h"

#define EHOFF(f) offsetof(Elf64_Ehdr, f)

static char out[1 << 16];

static const char *tool(void)
{
	const char *t = getenv("KDUMP_ELF_TOOL");

	if (!t || !*t)
		t = "kdump-elf/kdump-elf";
	if (access(t, X_OK))
		kt_skip("kdump-elf binary not found (set KDUMP_ELF_TOOL)");
	return t;
}

/* run "kdump-elf ARGS" with stdout and stderr into out[]; return the exit code */
static int run(const char *args)
{
	char cmd[4096];
	size_t n = 0, got;
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), "'%s' %s 2>&1", tool(), args);
	p = popen(cmd, "r");
	ASSERT_TRUE(p);
	while ((got = fread(out + n, 1, sizeof(out) - 1 - n, p)) > 0)
		n += got;
	out[n] = '\0';
	st = pclose(p);
	ASSERT_TRUE(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static const char *tmpfile_(const char *name)
{
	static char path[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(path[i], sizeof(path[i]), "%s/%s", kt_tmpdir(), name);
	return path[i];
}

static void write_at(const char *path, const void *buf, size_t len, off_t off, int trunc)
{
	int fd = open(path, O_WRONLY | O_CREAT | (trunc ? O_TRUNC : 0), 0644);

	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(pwrite(fd, buf, len, off), len);
	close(fd);
}

static const char *blob_file(void)
{
	unsigned char buf[64 + 56 * 10];
	const char *path = tmpfile_("elfcorehdr.bin");

	kt_build_kernel_like(buf, sizeof(buf), EM_X86_64);
	write_at(path, buf, sizeof(buf), 0, 1);
	return path;
}

static void set_offset(unsigned char *buf, unsigned i, uint64_t off)
{
	kt_put(kt_slot(buf, i) + offsetof(Elf64_Phdr, p_offset), 8, off);
}

static size_t put_note(unsigned char *buf, size_t off, const char *name, uint32_t type,
		       const void *desc, uint32_t descsz)
{
	uint32_t namesz = (uint32_t)strlen(name) + 1;

	kt_put(buf + off, 4, namesz);
	kt_put(buf + off + 4, 4, descsz);
	kt_put(buf + off + 8, 4, type);
	memcpy(buf + off + 12, name, namesz);
	off += 12 + ((namesz + 3) & ~3u);
	memcpy(buf + off, desc, descsz);
	return off + ((descsz + 3) & ~3u);
}

/*
 * A vmcore-shaped file: PT_NOTE at 0x1000 holding two PRSTATUS notes and
 * VMCOREINFO, then two PT_LOADs whose data is in the file.  @big_load makes
 * the second load 1 GiB at 1 TiB in a sparse file, like /proc/kcore.
 */
static const char *core_file(const char *name, int big_load, int break_notes)
{
	static const char vmci[] = "OSRELEASE=6.1.0-test\nPAGESIZE=4096\nKERNELOFFSET2=1\n"
				   "KERNELOFFSET=1a000000\nNUMBER(phys_base)=-2\n"
				   "SYMBOL(init_uts_ns)=ffffffff82a12340\nCRASHTIME=1";
	unsigned char hdr[64 + 56 * 3], notes[1024] = { 0 }, prs[336] = { 0 };
	const char *path = tmpfile_(name);
	uint64_t off2 = big_load ? 1ull << 40 : 0x3000, sz2 = big_load ? 1ull << 30 : 0x1000;
	size_t nlen = 0;

	nlen = put_note(notes, nlen, "CORE", NT_PRSTATUS, prs, sizeof(prs));
	nlen = put_note(notes, nlen, "CORE", NT_PRSTATUS, prs, sizeof(prs));
	nlen = put_note(notes, nlen, "VMCOREINFO", 0, vmci, sizeof(vmci));
	if (break_notes)
		kt_put(notes + 356 + 4, 4, 0x10000);	/* second note's descsz */

	ASSERT_EQ(kdump_elf_init(hdr, sizeof(hdr), EM_AARCH64), 3);
	kt_raw_phdr(hdr, 0, PT_NOTE, 0, 0, nlen, nlen);
	set_offset(hdr, 0, 0x1000);
	kt_raw_phdr(hdr, 1, PT_LOAD, 0x40000000, 0xffff000000000000ull, 0x1000, 0x1000);
	set_offset(hdr, 1, 0x2000);
	kt_raw_phdr(hdr, 2, PT_LOAD, 0x80000000, 0xffff000040000000ull, sz2, sz2);
	set_offset(hdr, 2, off2);
	kt_set_phnum(hdr, 3);

	write_at(path, hdr, sizeof(hdr), 0, 1);
	write_at(path, notes, nlen, 0x1000, 0);
	write_at(path, "RAM", 3, 0x2000, 0);
	if (big_load) {
		int fd = open(path, O_WRONLY);

		ASSERT_TRUE(fd >= 0);
		if (ftruncate(fd, (off_t)(off2 + sz2))) {
			close(fd);
			kt_skip("cannot make a 1 TiB sparse file here");
		}
		close(fd);
	} else {
		write_at(path, "RAM", 3, off2 + sz2 - 3, 0);
	}
	return path;
}

static void json_valid(const char *args)
{
	char cmd[4096];

	if (access("/usr/bin/python3", X_OK))
		return;
	snprintf(cmd, sizeof(cmd),
		 "'%s' %s | /usr/bin/python3 -c 'import json,sys; json.load(sys.stdin)'",
		 tool(), args);
	ASSERT_EQ(system(cmd), 0);
}

TEST(kdump_elf_tool_show_blob)
{
	char args[1024];

	snprintf(args, sizeof(args), "show '%s'", blob_file());
	ASSERT_EQ(run(args), 0);
	ASSERT_CONTAINS(out, "machine: 62 (x86_64)\n");
	ASSERT_CONTAINS(out, "phnum: 7\n");
	ASSERT_CONTAINS(out, "capacity: 10\n");
	ASSERT_CONTAINS(out, "spare: 3\n");
	ASSERT_CONTAINS(out, "notes: 3\nloads: 4\ntext-load: 3\n");
	ASSERT_CONTAINS(out, "     0 NOTE  0x000000013fc1a000 0x0000000000000000 0x000000013fc1a000 "
			     "0x0000000000000400 0x0000000000000400 ---\n");
	ASSERT_CONTAINS(out, "     3 LOAD  0x0000000041000000 0xffffffff81000000 0x0000000041000000 "
			     "0x0000000002000000 0x0000000002000000 RWX text\n");
	ASSERT_CONTAINS(out, "note-data: not in this file");
}

TEST(kdump_elf_tool_show_json)
{
	char args[1024];

	snprintf(args, sizeof(args), "show --json '%s'", blob_file());
	ASSERT_EQ(run(args), 0);
	ASSERT_CONTAINS(out, "\"phnum\": 7,");
	ASSERT_CONTAINS(out, "\"text_load\": 3,");
	ASSERT_CONTAINS(out, "\"paddr\": \"0x100000\"");
	ASSERT_CONTAINS(out, "\"vaddr\": \"0xffff888000100000\"");
	ASSERT_CONTAINS(out, "\"note_data_in_file\": false");
	json_valid(args);

	snprintf(args, sizeof(args), "show --json '%s'", core_file("vmcore-j", 0, 0));
	ASSERT_EQ(run(args), 0);
	ASSERT_CONTAINS(out, "\"prstatus\": 2,");
	ASSERT_CONTAINS(out, "\"OSRELEASE\": \"6.1.0-test\"");
	ASSERT_CONTAINS(out, "\"machine_name\": \"aarch64\"");
	json_valid(args);
	snprintf(args, sizeof(args), "show --json --vmcoreinfo '%s'", core_file("vmcore-j", 0, 0));
	ASSERT_EQ(run(args), 0);
	ASSERT_CONTAINS(out, "\"CRASHTIME\": \"1\"");
	json_valid(args);
}

TEST(kdump_elf_tool_show_vmcore)
{
	char args[1024];

	snprintf(args, sizeof(args), "show '%s'", core_file("vmcore", 0, 0));
	ASSERT_EQ(run(args), 0);
	ASSERT_CONTAINS(out, "machine: 183 (aarch64)\n");
	/* slots end where the note data starts: (0x1000 - 64) / 56 */
	ASSERT_CONTAINS(out, "capacity: 72\n");
	ASSERT_CONTAINS(out, "spare: 69\n");
	ASSERT_CONTAINS(out, "note-data: in file\n");
	ASSERT_CONTAINS(out, "prstatus: 2\n");
	ASSERT_CONTAINS(out, "  note CORE type 1: 2\n");
	ASSERT_CONTAINS(out, "  OSRELEASE=6.1.0-test\n");
	ASSERT_CONTAINS(out, "  PAGESIZE=4096\n");
	ASSERT_CONTAINS(out, "  KERNELOFFSET=1a000000\n");
	ASSERT_CONTAINS(out, "  NUMBER(phys_base)=-2\n");
	ASSERT_TRUE(!strstr(out, "KERNELOFFSET2"));
	ASSERT_TRUE(!strstr(out, "init_uts_ns"));

	snprintf(args, sizeof(args), "show --vmcoreinfo '%s'", core_file("vmcore", 0, 0));
	ASSERT_EQ(run(args), 0);
	ASSERT_CONTAINS(out, "  SYMBOL(init_uts_ns)=ffffffff82a12340\n");
	ASSERT_CONTAINS(out, "  CRASHTIME=1\n");
}

/* a 1 TiB sparse file: only the header and notes are read, so this is quick */
TEST(kdump_elf_tool_show_sparse_kcore)
{
	char args[1024];

	snprintf(args, sizeof(args), "show '%s'", core_file("kcore", 1, 0));
	ASSERT_EQ(run(args), 0);
	ASSERT_CONTAINS(out, "prstatus: 2\n");
	ASSERT_CONTAINS(out, "0x0000010000000000 0xffff000040000000 0x0000000080000000 "
			     "0x0000000040000000 0x0000000040000000");
	snprintf(args, sizeof(args), "check '%s'", core_file("kcore", 1, 0));
	ASSERT_EQ(run(args), 0);
	ASSERT_CONTAINS(out, ": ok (3 phdrs, 69 spare)\n");
}

TEST(kdump_elf_tool_check)
{
	unsigned char buf[64 + 56 * 4];
	const char *bad = tmpfile_("overlap.bin");
	char args[1024];

	snprintf(args, sizeof(args), "check '%s'", blob_file());
	ASSERT_EQ(run(args), 0);
	ASSERT_CONTAINS(out, ": ok (7 phdrs, 3 spare)\n");

	ASSERT_EQ(kdump_elf_init(buf, sizeof(buf), EM_X86_64), 4);
	ASSERT_EQ(kdump_elf_add_load(buf, sizeof(buf), 0x100000, 0, 0x200000), 0);
	ASSERT_EQ(kdump_elf_add_load(buf, sizeof(buf), 0x200000, 0, 0x200000), 1);
	ASSERT_EQ(kdump_elf_add_note(buf, sizeof(buf), 0x1000, 0x100), 2);
	write_at(bad, buf, sizeof(buf), 0, 1);
	snprintf(args, sizeof(args), "check '%s'", bad);
	ASSERT_EQ(run(args), 1);
	ASSERT_CONTAINS(out, "phdr 1 (LOAD paddr 0x200000 memsz 0x200000): PT_LOAD physical range "
			     "overlaps another PT_LOAD (phdr 0: LOAD paddr 0x100000 memsz 0x200000)\n");
	ASSERT_CONTAINS(out, "phdr 2 (NOTE paddr 0x1000 memsz 0x100): PT_NOTE after the first PT_LOAD");
	ASSERT_CONTAINS(out, ": 2 problems\n");
}

TEST(kdump_elf_tool_bad_notes)
{
	char args[1024];
	const char *path = core_file("vmcore-bad", 0, 1);

	snprintf(args, sizeof(args), "show '%s'", path);
	ASSERT_EQ(run(args), 2);
	ASSERT_CONTAINS(out, "n_descsz");
	ASSERT_CONTAINS(out, path);
	snprintf(args, sizeof(args), "check '%s'", path);
	ASSERT_EQ(run(args), 1);
	ASSERT_CONTAINS(out, "bad note at file offset 0x1164: note descriptor (n_descsz)");
	ASSERT_CONTAINS(out, ": 1 problem\n");
}

TEST(kdump_elf_tool_bad_input)
{
	static const struct {
		const char *name;
		unsigned off, size;	/* size 0: no change */
		uint64_t val;
		size_t len;		/* bytes of the blob written; 0: all */
		const char *want;
	} rows[] = {
		{ "empty", 0, 0, 0, (size_t)-1, "shorter than a 64-byte ELF64 header" },
		{ "garbage", 0, 8, 0x6f77206f6c6c6568ull, 0, "not an ELF file" },
		{ "ELFCLASS32", EI_CLASS, 1, ELFCLASS32, 0,
		  "e_ident[EI_CLASS] is not ELFCLASS64 (found 0x1)" },
		{ "ET_EXEC", EHOFF(e_type), 2, ET_EXEC, 0, "e_type is not ET_CORE (found 0x2)" },
		{ "phentsize", EHOFF(e_phentsize), 2, 32, 0,
		  "e_phentsize is not 56 (sizeof(Elf64_Phdr)) (found 0x20)" },
		{ "phoff", EHOFF(e_phoff), 8, 8, 0,
		  "e_phoff overlaps the ELF header or overflows (found 0x8)" },
		{ "phnum", EHOFF(e_phnum), 2, 0xffff, 0, "PN_XNUM" },
		{ "truncated", 0, 0, 0, 100,
		  "runs past the end: the table ends at 0x1c8, the file at 0x64" },
		{ "phnum past end", EHOFF(e_phnum), 2, 11, 0, "runs past the end" },
	};
	unsigned char buf[64 + 56 * 10];
	char args[1024];
	size_t i;

	for (i = 0; i < KT_ARRAY_SIZE(rows); i++) {
		const char *path = tmpfile_("bad.bin");
		size_t len = rows[i].len == (size_t)-1 ? 0 : rows[i].len ? rows[i].len : sizeof(buf);

		kt_build_kernel_like(buf, sizeof(buf), EM_X86_64);
		if (rows[i].size)
			kt_put(buf + rows[i].off, rows[i].size, rows[i].val);
		write_at(path, buf, len, 0, 1);
		snprintf(args, sizeof(args), "show '%s'", path);
		if (run(args) != 2 || !strstr(out, rows[i].want) || !strstr(out, path))
			kt_fail(__FILE__, __LINE__, "%s: output \"%s\"", rows[i].name, out);
		snprintf(args, sizeof(args), "check '%s'", path);
		ASSERT_EQ(run(args), 2);
		ASSERT_CONTAINS(out, rows[i].want);
	}
}

TEST(kdump_elf_tool_usage)
{
	char args[1024];

	ASSERT_EQ(run(""), 2);
	ASSERT_CONTAINS(out, "Usage:");
	ASSERT_EQ(run("frobnicate x"), 2);
	ASSERT_CONTAINS(out, "unknown command 'frobnicate'");
	ASSERT_EQ(run("show"), 2);
	ASSERT_EQ(run("--bogus show x"), 2);
	snprintf(args, sizeof(args), "check --json '%s'", blob_file());
	ASSERT_EQ(run(args), 2);
	ASSERT_EQ(run("--help"), 0);
	ASSERT_CONTAINS(out, "Usage:");
	ASSERT_EQ(run("--version"), 0);
	ASSERT_CONTAINS(out, "kdump-elf");
	snprintf(args, sizeof(args), "show '%s/does-not-exist'", kt_tmpdir());
	ASSERT_EQ(run(args), 2);
	ASSERT_CONTAINS(out, "does-not-exist: open: No such file or directory");
	snprintf(args, sizeof(args), "show '%s'", kt_tmpdir());
	ASSERT_EQ(run(args), 2);
}
