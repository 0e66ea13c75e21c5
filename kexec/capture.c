/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * capture.c - kexec --capture-root DIR: copy exactly the files the machine
 * model reads (the table in machine-paths.c) into DIR, so the machine can
 * be planned against later with --root DIR.  /proc/kcore is copied only as
 * far as its ELF headers and notes go (at their original offsets).
 *
 * The copy holds root-only facts (the KASLR offset in VMCOREINFO, crash
 * note addresses), so DIR is created 0700 and every file 0600; an existing
 * non-empty DIR is refused, and nothing is ever written through a symlink.
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctx.h"

static int copy_file(int root_fd, int dirfd, const char *rel, struct kx_diag *d)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r;

	r = kx_read_rel(root_fd, rel, &buf, &len, 64 << 20);
	if (r == -ENOENT || r == -EISDIR)
		return 0;	/* absent, or a directory entry of the table (run/kexec-ng) */
	if (r < 0)
		return kx_diag_set(d, r, "%s: cannot read: %s", rel, strerror(-r));
	r = kx_outdir_write(dirfd, rel, buf, len);
	return r < 0 ? kx_diag_set(d, r, "capture: %s: cannot write: %s", rel, strerror(-r)) : 1;
}

/*
 * Every entry of an indexed table (0, 1, ... up to the first missing one);
 * all paths with the same kind of index are copied together, entry by entry.
 */
static int copy_seq(int root_fd, int dirfd, size_t id, struct kx_diag *d)
{
	char rel[128];
	unsigned i;
	int r;

	for (i = 0; i < 65536; i++) {
		r = copy_file(root_fd, dirfd, kx_machine_path(id, i, rel, sizeof(rel)), d);
		if (r <= 0)
			return r;
	}
	return 0;
}

/* Copy [off, off+len) of @in to the same offset of @out. */
static int copy_range(int in, int out, uint64_t off, uint64_t len)
{
	char buf[65536];

	while (len) {
		size_t n = len < sizeof(buf) ? (size_t)len : sizeof(buf);
		ssize_t got = pread(in, buf, n, (off_t)off);

		if (got <= 0)
			return got < 0 ? -errno : -EIO;
		if (pwrite(out, buf, (size_t)got, (off_t)off) != got)
			return -EIO;
		off += (uint64_t)got;
		len -= (uint64_t)got;
	}
	return 0;
}

static int copy_kcore(int root_fd, int dirfd, const char *rel, struct kx_diag *d)
{
	_cleanup_close_ int in = -1, out = -1;
	GElf_Ehdr eh;
	Elf *e;
	size_t n, i;
	int r;

	in = kx_open_rel(root_fd, rel, O_RDONLY);
	if (in < 0)
		return in == -ENOENT ? 0 : kx_diag_set(d, in, "%s: cannot open: %s", rel, strerror(-in));
	out = kx_outdir_open_file(dirfd, rel);
	if (out < 0)
		return kx_diag_set(d, out, "capture: %s: cannot create: %s", rel, strerror(-out));
	elf_version(EV_CURRENT);
	e = elf_begin(in, ELF_C_READ, NULL);
	if (!e || !gelf_getehdr(e, &eh) || elf_getphdrnum(e, &n) < 0) {
		r = kx_diag_set(d, -EINVAL, "%s: not an ELF core: %s", rel, elf_errmsg(-1));
		goto out;
	}
	r = copy_range(in, out, 0, eh.e_phoff + (uint64_t)n * eh.e_phentsize);
	for (i = 0; r >= 0 && i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph)) {
			r = -EINVAL;
			break;
		}
		if (ph.p_type == PT_NOTE)
			r = copy_range(in, out, ph.p_offset, ph.p_filesz);
	}
	if (r < 0)
		r = kx_diag_set(d, r, "capture: %s: %s", rel, strerror(-r));
out:
	if (e)
		elf_end(e);
	return r;
}

int kx_capture_root(int root_fd, const char *dir, struct kx_diag *d)
{
	_cleanup_close_ int dirfd = -1;
	_cleanup_free_ char *possible = NULL;
	_cleanup_free_ unsigned *cpus = NULL;
	size_t n_cpus = 0, i, c;
	char rel[128];
	int r;

	dirfd = kx_outdir_create(dir);
	if (dirfd < 0)
		return kx_diag_set(d, dirfd, "--capture-root %s: %s", dir,
				   dirfd == -ENOTEMPTY ? "exists and is not empty; give a new directory" :
				   dirfd == -ELOOP ? "is a symlink; give a new directory" : strerror(-dirfd));
	r = kx_read_rel(root_fd, kx_machine_path(KX_PATH_CPU_POSSIBLE, 0, rel, sizeof(rel)), &possible, NULL, 4096);
	if (r == 0) {
		r = kx_cpu_list_parse(possible, rel, &cpus, &n_cpus, d);
		if (r < 0)
			return r;
	}
	for (i = 0; i < KX_PATH_MAX; i++) {
		const struct kx_path *p = &kx_machine_paths[i];

		if (i == KX_PATH_KCORE) {
			r = copy_kcore(root_fd, dirfd, p->rel, d);
		} else if (p->index == KX_IDX_CPU) {
			for (c = 0, r = 0; r >= 0 && c < n_cpus; c++)
				r = copy_file(root_fd, dirfd, kx_machine_path(i, cpus[c], rel, sizeof(rel)), d);
		} else if (p->index == KX_IDX_SEQ) {
			r = copy_seq(root_fd, dirfd, i, d);
		} else {
			r = copy_file(root_fd, dirfd, p->rel, d);
		}
		if (r < 0)
			return r;
	}
	return 0;
}
