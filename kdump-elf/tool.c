/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tool.c - kdump-elf(1): show or check an ELF64 core header, whether an
 * elfcorehdr blob (notes and loads at physical addresses), /proc/vmcore or
 * /proc/kcore (notes inside the file).  Those two are huge and sparse, so
 * only the headers and the note segments are ever read, with pread().
 *
 * Exit status: 0 fine, 1 "check" found problems, 2 unreadable input, not an
 * ELF64 core, or bad usage.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kdump-elf.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

#define EXIT_PROBLEMS	1
#define EXIT_BAD	2

/* a note segment beyond this is not plausible (8192 CPUs need about 4 MiB) */
#define MAX_NOTE_BYTES	(64u << 20)
/* how far a header with every possible slot reaches past e_phoff */
#define MAX_TABLE_BYTES	((uint64_t)KDUMP_ELF_MAX_PHDRS * KDUMP_ELF_PHDR_SIZE)

static const char *prog = "kdump-elf";

struct core {
	const char *path;
	int fd;
	uint64_t fsize;		/* st_size of a regular file, else 0 = unknown */
	unsigned char *hdr;	/* Ehdr, phdr table and the spare slots after it */
	size_t len;
	struct kdump_elf_view v;
	int text;		/* kernel-text load index, or -1 */
	int notes_in_file;	/* vmcore/kcore: some PT_NOTE's data is in the file */
};

static void err_(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void err_(const char *path, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	if (path)
		fprintf(stderr, "%s: ", path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* pread until @len bytes or end of file; returns the count or -errno */
static ssize_t read_at(int fd, void *buf, size_t len, uint64_t off)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(fd, (char *)buf + got, len - got, (off_t)(off + got));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* ------------------------------------------------------------------------ */
/* Reading the header                                                       */
/* ------------------------------------------------------------------------ */

/* where each Ehdr error code's field lives, to quote the bad value */
static const struct {
	int err;
	unsigned off, size;
} err_field[] = {
	{ KDUMP_ELF_EBADCLASS, 4, 1 },	  { KDUMP_ELF_EBADDATA, 5, 1 },
	{ KDUMP_ELF_EBADVERSION, 20, 4 }, { KDUMP_ELF_EBADTYPE, 16, 2 },
	{ KDUMP_ELF_EBADEHSIZE, 52, 2 },  { KDUMP_ELF_EBADPHENTSIZE, 54, 2 },
	{ KDUMP_ELF_EBADPHOFF, 32, 8 },	  { KDUMP_ELF_EPNXNUM, 56, 2 },
};

static void ehdr_error(const char *path, const unsigned char *eh, size_t n, int r)
{
	uint64_t val = 0;
	size_t i, k;

	for (i = 0; i < sizeof(err_field) / sizeof(err_field[0]); i++) {
		if (-r != err_field[i].err || err_field[i].off + err_field[i].size > n)
			continue;
		for (k = err_field[i].size; k-- > 0;)
			val = val << 8 | eh[err_field[i].off + k];
		err_(path, "not a usable ELF64 core: %s (found 0x%" PRIx64 ")",
		     kdump_elf_strerror(r), val);
		return;
	}
	err_(path, "not a usable ELF64 core: %s", kdump_elf_strerror(r));
}

static int grow_read(struct core *c, size_t want)
{
	unsigned char *p = realloc(c->hdr, want);
	ssize_t n;

	if (!p) {
		err_(c->path, "out of memory for %zu header bytes", want);
		return -ENOMEM;
	}
	c->hdr = p;
	n = read_at(c->fd, p, want, 0);
	if (n < 0) {
		err_(c->path, "read: %s", strerror((int)-n));
		return (int)n;
	}
	c->len = (size_t)n;
	return 0;
}

/* does phdr @ph's data lie inside the file, after the phdr table? */
static int in_file(const struct core *c, const struct kdump_elf_phdr *ph, size_t table_end)
{
	return (ph->type == 1 /* PT_LOAD */ || ph->type == 4 /* PT_NOTE */) && ph->filesz &&
	       c->fsize && ph->offset >= table_end && ph->offset <= c->fsize &&
	       ph->filesz <= c->fsize - ph->offset;
}

/*
 * Read the Ehdr and phdr table, then decide how far the slots may reach:
 * to the end of a blob, or up to the first segment data of a vmcore/kcore.
 */
static int core_open(struct core *c, const char *path)
{
	unsigned char eh[KDUMP_ELF_EHDR_SIZE];
	struct kdump_elf_phdr ph;
	uint64_t window, first_data = UINT64_MAX;
	size_t need;
	struct stat st;
	ssize_t n;
	unsigned i;
	int r;

	memset(c, 0, sizeof(*c));
	c->path = path;
	c->text = -1;
	c->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (c->fd < 0) {
		r = -errno;
		err_(path, "open: %s", strerror(-r));
		return r;
	}
	if (fstat(c->fd, &st) < 0 || S_ISDIR(st.st_mode)) {
		err_(path, "not a readable file");
		return -EISDIR;
	}
	if (S_ISREG(st.st_mode) && st.st_size > 0)
		c->fsize = (uint64_t)st.st_size;

	n = read_at(c->fd, eh, sizeof(eh), 0);
	if (n < 0) {
		err_(path, "read: %s", strerror((int)-n));
		return (int)n;
	}
	r = kdump_elf_probe(eh, (size_t)n, &need);
	if (r < 0) {
		ehdr_error(path, eh, (size_t)n, r);
		return r;
	}
	if (c->fsize && need > c->fsize) {
		err_(path, "%s: the table ends at 0x%zx, the file at 0x%" PRIx64,
		     kdump_elf_strerror(-KDUMP_ELF_EPHTRUNC), need, c->fsize);
		return -KDUMP_ELF_EPHTRUNC;
	}
	r = grow_read(c, need);
	if (r < 0)
		return r;
	r = kdump_elf_parse(c->hdr, c->len, &c->v);
	if (r < 0) {
		err_(path, "%s (file is 0x%zx bytes)", kdump_elf_strerror(r), c->len);
		return r;
	}

	for (i = 0; i < c->v.phnum; i++) {
		if (kdump_elf_phdr(c->hdr, c->len, i, &ph) < 0 || !in_file(c, &ph, need))
			continue;
		if (ph.type == 4)
			c->notes_in_file = 1;
		if (ph.offset < first_data)
			first_data = ph.offset;
	}
	window = c->v.phoff + MAX_TABLE_BYTES;
	if (c->fsize && c->fsize < window)
		window = c->fsize;
	if (c->notes_in_file && first_data < window)
		window = first_data;
	if (window > need) {
		r = grow_read(c, (size_t)window);
		if (r < 0)
			return r;
		r = kdump_elf_parse(c->hdr, c->len, &c->v);
		if (r < 0) {	/* the file shrank under us */
			err_(path, "%s", kdump_elf_strerror(r));
			return r;
		}
	}
	r = kdump_elf_text_load(c->hdr, c->len);
	c->text = r >= 0 ? r : -1;
	return 0;
}

static void core_close(struct core *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->hdr);
}

/* read the data of in-file PT_NOTE @ph; the caller frees it */
static int read_notes(const struct core *c, unsigned idx, const struct kdump_elf_phdr *ph,
		      unsigned char **ret)
{
	unsigned char *p;
	ssize_t n;

	if (ph->filesz > MAX_NOTE_BYTES) {
		err_(c->path, "phdr %u: PT_NOTE p_filesz 0x%" PRIx64 " is implausibly large", idx,
		     ph->filesz);
		return -EFBIG;
	}
	p = malloc((size_t)ph->filesz);
	if (!p) {
		err_(c->path, "out of memory for a 0x%" PRIx64 "-byte note segment", ph->filesz);
		return -ENOMEM;
	}
	n = read_at(c->fd, p, (size_t)ph->filesz, ph->offset);
	if (n < 0 || (uint64_t)n != ph->filesz) {
		err_(c->path, "phdr %u: cannot read the PT_NOTE data at offset 0x%" PRIx64 ": %s",
		     idx, ph->offset, n < 0 ? strerror((int)-n) : "short read");
		free(p);
		return n < 0 ? (int)n : -EIO;
	}
	*ret = p;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Output helpers                                                           */
/* ------------------------------------------------------------------------ */

static const char *machine_name(uint16_t m)
{
	switch (m) {
	case 62:
		return "x86_64";
	case 183:
		return "aarch64";
	case 3:
		return "i386";
	case 40:
		return "arm";
	case 21:
		return "ppc64";
	case 22:
		return "s390";
	case 243:
		return "riscv";
	case 258:
		return "loongarch";
	default:
		return "unknown";
	}
}

static const char *type_name(uint32_t t)
{
	switch (t) {
	case 0:
		return "NULL";
	case 1:
		return "LOAD";
	case 2:
		return "DYNAMIC";
	case 3:
		return "INTERP";
	case 4:
		return "NOTE";
	case 6:
		return "PHDR";
	default:
		return "OTHER";
	}
}

/* text output of bytes from the input: printable ASCII or '?' */
static void put_safe(FILE *f, const char *s, size_t n)
{
	while (n--) {
		unsigned char ch = (unsigned char)*s++;

		fputc(ch >= 0x20 && ch < 0x7f ? ch : '?', f);
	}
}

/* a JSON string; bytes outside printable ASCII become \u00XX */
static void put_json(FILE *f, const char *s, size_t n)
{
	fputc('"', f);
	while (n--) {
		unsigned char ch = (unsigned char)*s++;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void put_json_str(FILE *f, const char *s)
{
	put_json(f, s, strlen(s));
}

/* ------------------------------------------------------------------------ */
/* Notes: a summary by (name, type), PRSTATUS count and VMCOREINFO          */
/* ------------------------------------------------------------------------ */

#define MAX_KINDS 16

struct note_kind {
	char name[32];
	uint32_t type;
	unsigned count;
};

struct note_info {
	struct note_kind kind[MAX_KINDS];
	unsigned nkinds, other, total, prstatus;
	char *vmcoreinfo;	/* a copy, NUL-terminated, or NULL */
	size_t vmcoreinfo_len;
	int bad;		/* note segments that did not parse */
};

static void count_note(struct note_info *ni, const struct kdump_elf_note *n)
{
	char name[32];
	size_t l = n->namesz < sizeof(name) - 1 ? n->namesz : sizeof(name) - 1;
	unsigned i;

	memcpy(name, n->name, l);
	name[l] = '\0';
	ni->total++;
	if (kdump_elf_note_is(n, "CORE") && n->type == KDUMP_ELF_NT_PRSTATUS)
		ni->prstatus++;
	for (i = 0; i < ni->nkinds; i++)
		if (ni->kind[i].type == n->type && !strcmp(ni->kind[i].name, name)) {
			ni->kind[i].count++;
			return;
		}
	if (ni->nkinds == MAX_KINDS) {
		ni->other++;
		return;
	}
	memcpy(ni->kind[ni->nkinds].name, name, l + 1);
	ni->kind[ni->nkinds].type = n->type;
	ni->kind[ni->nkinds].count = 1;
	ni->nkinds++;
}

/*
 * Walk every in-file PT_NOTE.  Malformed notes are reported on stdout as
 * problems (check, @as_problems) or on stderr (show), and counted in
 * ni->bad; I/O errors return < 0.
 */
static int scan_notes(const struct core *c, struct note_info *ni, int as_problems)
{
	struct kdump_elf_phdr ph;
	struct kdump_elf_note n;
	unsigned char *data = NULL;
	unsigned i;
	size_t off;
	int r;

	memset(ni, 0, sizeof(*ni));
	for (i = 0; i < c->v.phnum; i++) {
		if (kdump_elf_phdr(c->hdr, c->len, i, &ph) < 0 || ph.type != 4)
			continue;
		if (!in_file(c, &ph, (size_t)(c->v.phoff + (uint64_t)c->v.phnum * KDUMP_ELF_PHDR_SIZE)))
			continue;
		r = read_notes(c, i, &ph, &data);
		if (r < 0)
			return r;
		off = 0;
		while ((r = kdump_elf_note_next(data, (size_t)ph.filesz, &off, &n)) > 0) {
			count_note(ni, &n);
			if (!ni->vmcoreinfo && kdump_elf_note_is(&n, KDUMP_ELF_VMCOREINFO)) {
				const char *nul = memchr(n.desc, '\0', n.descsz);
				size_t l = nul ? (size_t)(nul - (const char *)n.desc) : n.descsz;

				ni->vmcoreinfo = malloc(l + 1);
				if (!ni->vmcoreinfo) {
					free(data);
					return -ENOMEM;
				}
				memcpy(ni->vmcoreinfo, n.desc, l);
				ni->vmcoreinfo[l] = '\0';
				ni->vmcoreinfo_len = l;
			}
		}
		if (r < 0) {
			ni->bad++;
			if (!as_problems)
				err_(c->path, "phdr %u: PT_NOTE at file offset 0x%" PRIx64
				     ": note at +0x%zx: %s", i, ph.offset, off, kdump_elf_strerror(r));
			else
				printf("%s: phdr %u: bad note at file offset 0x%" PRIx64 ": %s\n",
				       c->path, i, ph.offset + off, kdump_elf_strerror(r));
		}
		free(data);
	}
	return 0;
}

static const char *const vmcoreinfo_keys[] = {
	"OSRELEASE", "BUILD-ID", "PAGESIZE", "KERNELOFFSET", "SYMBOL(_stext)",
	"NUMBER(phys_base)", "NUMBER(VA_BITS)", "NUMBER(kimage_voffset)", "NUMBER(PHYS_OFFSET)",
};

/* ------------------------------------------------------------------------ */
/* show                                                                     */
/* ------------------------------------------------------------------------ */

static void flags_str(uint32_t fl, char out[4])
{
	out[0] = fl & 4 ? 'R' : '-';
	out[1] = fl & 2 ? 'W' : '-';
	out[2] = fl & 1 ? 'X' : '-';
	out[3] = '\0';
}

static void show_text(const struct core *c, const struct note_info *ni, int all_vmcoreinfo)
{
	struct kdump_elf_phdr ph;
	char fl[4];
	unsigned i, k;

	printf("file: %s\n", c->path);
	printf("machine: %u (%s)\n", c->v.machine, machine_name(c->v.machine));
	printf("phoff: 0x%" PRIx64 "\n", c->v.phoff);
	printf("phnum: %u\n", c->v.phnum);
	printf("capacity: %u\n", c->v.capacity);
	printf("spare: %u\n", c->v.spare);
	printf("notes: %u\n", c->v.notes);
	printf("loads: %u\n", c->v.loads);
	if (c->text >= 0)
		printf("text-load: %d\n", c->text);
	else
		printf("text-load: none\n");
	printf("  %4s %-5s %-18s %-18s %-18s %-18s %-18s %s\n", "idx", "type", "offset", "vaddr",
	       "paddr", "filesz", "memsz", "flg");
	for (i = 0; i < c->v.phnum; i++) {
		if (kdump_elf_phdr(c->hdr, c->len, i, &ph) < 0)
			break;
		flags_str(ph.flags, fl);
		printf("  %4u %-5s 0x%016" PRIx64 " 0x%016" PRIx64 " 0x%016" PRIx64 " 0x%016" PRIx64
		       " 0x%016" PRIx64 " %s%s\n",
		       i, type_name(ph.type), ph.offset, ph.vaddr, ph.paddr, ph.filesz, ph.memsz, fl,
		       (int)i == c->text ? " text" : "");
	}
	if (!c->notes_in_file) {
		if (c->v.notes)
			printf("note-data: not in this file (PT_NOTE p_offset is a physical address)\n");
		return;
	}
	printf("note-data: in file\n");
	printf("note-count: %u\n", ni->total);
	printf("prstatus: %u\n", ni->prstatus);
	for (k = 0; k < ni->nkinds; k++) {
		printf("  note ");
		if (ni->kind[k].name[0])
			put_safe(stdout, ni->kind[k].name, strlen(ni->kind[k].name));
		else
			putchar('-');
		printf(" type %" PRIu32 ": %u\n", ni->kind[k].type, ni->kind[k].count);
	}
	if (ni->other)
		printf("  note (other kinds): %u\n", ni->other);
	if (!ni->vmcoreinfo) {
		printf("vmcoreinfo: none\n");
		return;
	}
	printf("vmcoreinfo: %zu bytes\n", ni->vmcoreinfo_len);
	if (all_vmcoreinfo) {
		const char *s = ni->vmcoreinfo, *e;

		for (; *s; s = *e ? e + 1 : e) {
			e = strchr(s, '\n');
			if (!e)
				e = s + strlen(s);
			printf("  ");
			put_safe(stdout, s, (size_t)(e - s));
			putchar('\n');
		}
		return;
	}
	for (k = 0; k < sizeof(vmcoreinfo_keys) / sizeof(vmcoreinfo_keys[0]); k++) {
		char val[256];

		if (kdump_elf_vmcoreinfo_get(ni->vmcoreinfo, ni->vmcoreinfo_len, vmcoreinfo_keys[k],
					     val, sizeof(val)) < 0)
			continue;
		printf("  %s=", vmcoreinfo_keys[k]);
		put_safe(stdout, val, strlen(val));
		putchar('\n');
	}
}

static void json_hex(const char *key, uint64_t v, int comma)
{
	printf("\"%s\": \"0x%" PRIx64 "\"%s", key, v, comma ? ", " : "");
}

static void show_json(const struct core *c, const struct note_info *ni, int all_vmcoreinfo)
{
	struct kdump_elf_phdr ph;
	unsigned i, k;
	int first = 1;

	printf("{\n  \"file\": ");
	put_json_str(stdout, c->path);
	printf(",\n  \"machine\": %u,\n  \"machine_name\": \"%s\",\n", c->v.machine,
	       machine_name(c->v.machine));
	printf("  \"phoff\": \"0x%" PRIx64 "\",\n", c->v.phoff);
	printf("  \"phnum\": %u,\n  \"capacity\": %u,\n  \"spare\": %u,\n", c->v.phnum,
	       c->v.capacity, c->v.spare);
	printf("  \"notes\": %u,\n  \"loads\": %u,\n", c->v.notes, c->v.loads);
	if (c->text >= 0)
		printf("  \"text_load\": %d,\n", c->text);
	else
		printf("  \"text_load\": null,\n");
	printf("  \"phdrs\": [");
	for (i = 0; i < c->v.phnum; i++) {
		if (kdump_elf_phdr(c->hdr, c->len, i, &ph) < 0)
			break;
		printf("%s\n    {\"index\": %u, \"type\": \"%s\", ", i ? "," : "", i, type_name(ph.type));
		json_hex("p_type", ph.type, 1);
		json_hex("offset", ph.offset, 1);
		json_hex("vaddr", ph.vaddr, 1);
		json_hex("paddr", ph.paddr, 1);
		json_hex("filesz", ph.filesz, 1);
		json_hex("memsz", ph.memsz, 1);
		json_hex("flags", ph.flags, 1);
		json_hex("align", ph.align, 0);
		printf("}");
	}
	printf("%s],\n", c->v.phnum ? "\n  " : "");
	printf("  \"note_data_in_file\": %s", c->notes_in_file ? "true" : "false");
	if (!c->notes_in_file) {
		printf("\n}\n");
		return;
	}
	printf(",\n  \"note_count\": %u,\n  \"prstatus\": %u,\n  \"note_kinds\": [", ni->total,
	       ni->prstatus);
	for (k = 0; k < ni->nkinds; k++) {
		printf("%s{\"name\": ", k ? ", " : "");
		put_json_str(stdout, ni->kind[k].name);
		printf(", \"type\": %" PRIu32 ", \"count\": %u}", ni->kind[k].type, ni->kind[k].count);
	}
	printf("],\n  \"vmcoreinfo\": ");
	if (!ni->vmcoreinfo) {
		printf("null\n}\n");
		return;
	}
	printf("{");
	if (all_vmcoreinfo) {
		const char *s = ni->vmcoreinfo, *e, *eq;

		for (; *s; s = *e ? e + 1 : e) {
			e = strchr(s, '\n');
			if (!e)
				e = s + strlen(s);
			eq = memchr(s, '=', (size_t)(e - s));
			if (!eq || eq == s)
				continue;
			printf("%s\n    ", first ? "" : ",");
			put_json(stdout, s, (size_t)(eq - s));
			printf(": ");
			put_json(stdout, eq + 1, (size_t)(e - eq - 1));
			first = 0;
		}
	} else {
		for (k = 0; k < sizeof(vmcoreinfo_keys) / sizeof(vmcoreinfo_keys[0]); k++) {
			char val[256];

			if (kdump_elf_vmcoreinfo_get(ni->vmcoreinfo, ni->vmcoreinfo_len,
						     vmcoreinfo_keys[k], val, sizeof(val)) < 0)
				continue;
			printf("%s\n    ", first ? "" : ",");
			put_json_str(stdout, vmcoreinfo_keys[k]);
			printf(": ");
			put_json_str(stdout, val);
			first = 0;
		}
	}
	printf("%s}\n}\n", first ? "" : "\n  ");
}

static int cmd_show(const char *path, int json, int all_vmcoreinfo)
{
	struct core c;
	struct note_info ni = { 0 };
	int r, ret = EXIT_BAD;

	if (core_open(&c, path) < 0)
		goto out;
	if (c.notes_in_file) {
		r = scan_notes(&c, &ni, 0);
		if (r < 0)
			goto out;
	}
	if (json)
		show_json(&c, &ni, all_vmcoreinfo);
	else
		show_text(&c, &ni, all_vmcoreinfo);
	ret = ni.bad ? EXIT_BAD : EXIT_SUCCESS;
out:
	free(ni.vmcoreinfo);
	core_close(&c);
	if (fflush(stdout) != 0) {
		err_(NULL, "write error: %s", strerror(errno));
		ret = EXIT_BAD;
	}
	return ret;
}

/* ------------------------------------------------------------------------ */
/* check                                                                    */
/* ------------------------------------------------------------------------ */

static void print_problem(const struct core *c, const struct kdump_elf_problem *p)
{
	struct kdump_elf_phdr ph = { 0 };

	kdump_elf_phdr(c->hdr, c->len, p->index, &ph);
	printf("%s: phdr %u (%s paddr 0x%" PRIx64 " memsz 0x%" PRIx64 "): %s", c->path, p->index,
	       type_name(ph.type), ph.paddr, ph.memsz, kdump_elf_problem_str(p->code));
	if (p->other != p->index) {
		struct kdump_elf_phdr o = { 0 };

		kdump_elf_phdr(c->hdr, c->len, p->other, &o);
		printf(" (phdr %u: %s paddr 0x%" PRIx64 " memsz 0x%" PRIx64 ")", p->other,
		       type_name(o.type), o.paddr, o.memsz);
	}
	putchar('\n');
}

static int cmd_check(const char *path)
{
	struct kdump_elf_problem p[64];
	struct note_info ni = { 0 };
	struct core c;
	int n, i, ret = EXIT_BAD;

	if (core_open(&c, path) < 0)
		goto out;
	n = kdump_elf_check(c.hdr, c.len, p, sizeof(p) / sizeof(p[0]));
	if (n < 0) {
		err_(path, "%s", kdump_elf_strerror(n));
		goto out;
	}
	for (i = 0; i < n && (size_t)i < sizeof(p) / sizeof(p[0]); i++)
		print_problem(&c, &p[i]);
	if ((size_t)n > sizeof(p) / sizeof(p[0]))
		printf("%s: ... and %zu more\n", path, (size_t)n - sizeof(p) / sizeof(p[0]));
	if (c.notes_in_file && scan_notes(&c, &ni, 1) < 0)
		goto out;
	n += ni.bad;
	if (n)
		printf("%s: %d problem%s\n", path, n, n == 1 ? "" : "s");
	else
		printf("%s: ok (%u phdrs, %u spare)\n", path, c.v.phnum, c.v.spare);
	ret = n ? EXIT_PROBLEMS : EXIT_SUCCESS;
out:
	free(ni.vmcoreinfo);
	core_close(&c);
	if (fflush(stdout) != 0) {
		err_(NULL, "write error: %s", strerror(errno));
		ret = EXIT_BAD;
	}
	return ret;
}

/* ------------------------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s show [--json] [--vmcoreinfo] FILE\n"
		"       %s check FILE\n"
		"Show or check an ELF64 core header: an elfcorehdr blob, /proc/vmcore or\n"
		"/proc/kcore.  Only headers and note segments are read.\n"
		"\n"
		"  -j, --json        show: JSON output (addresses as \"0x...\" strings)\n"
		"  -a, --vmcoreinfo  show: print every VMCOREINFO line, not a selection\n"
		"  -h, --help        this text\n"
		"  -V, --version     print the version\n"
		"\n"
		"Exit status: 0 ok, 1 check found problems, 2 unreadable input,\n"
		"not an ELF64 core, or bad usage.\n",
		prog, prog);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "vmcoreinfo", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, json = 0, all = 0;
	const char *cmd, *file;

	while ((c = getopt_long(argc, argv, "jahV", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'a':
			all = 1;
			break;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		case 'V':
			printf("kdump-elf (kexec-ng) %s\n", PACKAGE_VERSION);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return EXIT_BAD;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return EXIT_BAD;
	}
	cmd = argv[optind];
	file = argv[optind + 1];
	if (!strcmp(cmd, "show"))
		return cmd_show(file, json, all);
	if (!strcmp(cmd, "check")) {
		if (json || all) {
			err_(NULL, "--json and --vmcoreinfo only apply to show");
			return EXIT_BAD;
		}
		return cmd_check(file);
	}
	err_(NULL, "unknown command '%s' (show or check)", cmd);
	usage(stderr);
	return EXIT_BAD;
}
