/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tool-core.c - open an ELF core file of any size and read just its Ehdr,
 * its phdr table (plus the spare slots after it) and its note segments,
 * with pread(): /proc/vmcore and /proc/kcore are huge and sparse.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tool.h"

/* a note segment beyond this is not plausible (8192 CPUs need about 4 MiB) */
#define MAX_NOTE_BYTES	(64u << 20)
/* how far a header with every possible slot reaches past e_phoff */
#define MAX_TABLE_BYTES	((uint64_t)KDUMP_ELF_MAX_PHDRS * KDUMP_ELF_PHDR_SIZE)

void tool_err(const char *path, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kdump-elf: ");
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
		tool_err(path, "not a usable ELF64 core: %s (found 0x%" PRIx64 ")",
			 kdump_elf_strerror(r), val);
		return;
	}
	tool_err(path, "not a usable ELF64 core: %s", kdump_elf_strerror(r));
}

static int grow_read(struct core *c, size_t want)
{
	unsigned char *p = realloc(c->hdr, want);
	ssize_t n;

	if (!p) {
		tool_err(c->path, "out of memory for %zu header bytes", want);
		return -ENOMEM;
	}
	c->hdr = p;
	n = read_at(c->fd, p, want, 0);
	if (n < 0) {
		tool_err(c->path, "read: %s", strerror((int)-n));
		return (int)n;
	}
	c->len = (size_t)n;
	return 0;
}

int core_in_file(const struct core *c, const struct kdump_elf_phdr *ph)
{
	return (ph->type == TOOL_PT_LOAD || ph->type == TOOL_PT_NOTE) && ph->filesz &&
	       c->fsize && ph->offset >= c->table_end && ph->offset <= c->fsize &&
	       ph->filesz <= c->fsize - ph->offset;
}

/*
 * Read the Ehdr and phdr table, then decide how far the slots may reach:
 * to the end of a blob, or up to the first segment data of a vmcore/kcore.
 */
int core_open(struct core *c, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		int r = -errno;

		memset(c, 0, sizeof(*c));
		c->fd = -1;
		tool_err(path, "open: %s", strerror(-r));
		return r;
	}
	return core_open_fd(c, fd, path);
}

int core_open_fd(struct core *c, int fd, const char *path)
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
	c->fd = fd;
	if (fstat(c->fd, &st) < 0 || S_ISDIR(st.st_mode)) {
		tool_err(path, "not a readable file");
		return -EISDIR;
	}
	if (S_ISREG(st.st_mode) && st.st_size > 0)
		c->fsize = (uint64_t)st.st_size;

	n = read_at(c->fd, eh, sizeof(eh), 0);
	if (n < 0) {
		tool_err(path, "read: %s", strerror((int)-n));
		return (int)n;
	}
	r = kdump_elf_probe(eh, (size_t)n, &need);
	if (r < 0) {
		ehdr_error(path, eh, (size_t)n, r);
		return r;
	}
	if (c->fsize && need > c->fsize) {
		tool_err(path, "%s: the table ends at 0x%zx, the file at 0x%" PRIx64,
			 kdump_elf_strerror(-KDUMP_ELF_EPHTRUNC), need, c->fsize);
		return -KDUMP_ELF_EPHTRUNC;
	}
	c->table_end = need;
	r = grow_read(c, need);
	if (r < 0)
		return r;
	r = kdump_elf_parse(c->hdr, c->len, &c->v);
	if (r < 0) {
		tool_err(path, "%s (file is 0x%zx bytes)", kdump_elf_strerror(r), c->len);
		return r;
	}

	for (i = 0; i < c->v.phnum; i++) {
		if (kdump_elf_phdr(c->hdr, c->len, i, &ph) < 0 || !core_in_file(c, &ph))
			continue;
		if (ph.type == TOOL_PT_NOTE)
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
			tool_err(path, "%s", kdump_elf_strerror(r));
			return r;
		}
	}
	r = kdump_elf_text_load(c->hdr, c->len);
	c->text = r >= 0 ? r : -1;
	return 0;
}

void core_close(struct core *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->hdr);
}

int core_read_notes(const struct core *c, unsigned idx, const struct kdump_elf_phdr *ph,
		    unsigned char **ret)
{
	unsigned char *p;
	ssize_t n;

	if (ph->filesz > MAX_NOTE_BYTES) {
		tool_err(c->path, "phdr %u: PT_NOTE p_filesz 0x%" PRIx64 " is implausibly large",
			 idx, ph->filesz);
		return -EFBIG;
	}
	p = malloc((size_t)ph->filesz);
	if (!p) {
		tool_err(c->path, "out of memory for a 0x%" PRIx64 "-byte note segment",
			 ph->filesz);
		return -ENOMEM;
	}
	n = read_at(c->fd, p, (size_t)ph->filesz, ph->offset);
	if (n < 0 || (uint64_t)n != ph->filesz) {
		tool_err(c->path, "phdr %u: cannot read the PT_NOTE data at offset 0x%" PRIx64
			 ": %s", idx, ph->offset, n < 0 ? strerror((int)-n) : "short read");
		free(p);
		return n < 0 ? (int)n : -EIO;
	}
	*ret = p;
	return 0;
}
