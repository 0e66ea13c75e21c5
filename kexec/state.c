/* SPDX-License-Identifier: GPL-2.0-or-later */
/* state.c - writing and reading the record of a loaded crash plan. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ctx.h"
#include "digest.h"
#include "state.h"

#define MAGIC "kexec-ng-state"
#define MAX_STATE (64u << 20)

static void hex(char *out, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static int unhex(const char *s, size_t slen, uint8_t *out, size_t n)
{
	size_t i;

	if (slen != 2 * n)
		return -EBADMSG;
	for (i = 0; i < n; i++) {
		unsigned v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -EBADMSG;
		out[i] = (uint8_t)v;
	}
	return 0;
}

int kx_state_file_identity(int fd, struct kx_state_file *f)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->size = (uint64_t)st.st_size;
	f->mtime_sec = st.st_mtim.tv_sec;
	f->mtime_nsec = st.st_mtim.tv_nsec;
	f->ctime_sec = st.st_ctim.tv_sec;
	f->ctime_nsec = st.st_ctim.tv_nsec;
	return 0;
}

static int file_of(const struct kx_image *img, struct kx_state_file *f)
{
	f->path = strdup(img->path);
	if (!f->path)
		return -ENOMEM;
	return kx_state_file_identity(img->fd, f);
}

/* Is @buf a slice of @img's file bytes?  Sets *ret_off. */
static bool slice_of(const struct kx_image *img, const void *buf, size_t len, uint64_t *ret_off)
{
	const uint8_t *b = buf;

	if (!img->path || img->decompressed || !img->buf || b < img->buf || b + len > img->buf + img->len)
		return false;
	*ret_off = (uint64_t)(b - img->buf);
	return true;
}

int kx_state_from_plan(struct kx_state *st, const struct kx_ctx *ctx, const struct kx_plan *plan)
{
	const struct kx_image *imgs[KX_STATE_FILES] = { &ctx->kernel, &ctx->initrd };
	int file_idx[KX_STATE_FILES] = { -1, -1 };
	unsigned i, k;
	int r;

	memset(st, 0, sizeof(*st));
	st->syscall = plan->syscall;
	st->argv = calloc((size_t)ctx->argc + 1, sizeof(char *));
	if (!st->argv)
		return -ENOMEM;
	for (i = 0; i < (unsigned)ctx->argc; i++) {
		st->argv[i] = strdup(ctx->argv[i]);
		if (!st->argv[i])
			return -ENOMEM;
		st->argc++;
	}
	snprintf(st->boot_id, sizeof(st->boot_id), "%s", ctx->m->boot_id);
	st->written = (int64_t)time(NULL);
	snprintf(st->writer, sizeof(st->writer), "%s", ctx->writer ? ctx->writer : "load");
	if (plan->syscall != KX_SYS_KEXEC_LOAD)
		return 0;
	st->flags = plan->flags;
	st->entry = plan->entry;
	st->cma = ctx->cma;
	st->hdr_capacity = plan->hdr_cap.capacity;
	st->hdr_used = plan->hdr_used;
	st->has_digest = plan->has_digest;
	memcpy(st->digest, plan->digest, 32);
	st->fast = true;
	for (i = 0; i < plan->n_seg; i++) {
		const struct kx_segment *s = &plan->seg[i];
		struct kx_state_seg *o = &st->segs[st->n_segs++];
		uint64_t off;

		*o = (struct kx_state_seg){ .role = s->role, .mem = s->mem, .memsz = s->memsz, .bufsz = s->bufsz,
					    .in_digest = s->in_digest };
		if (s->role == KX_SEG_ELFCOREHDR)
			st->hdr_index = i;
		for (k = 0; k < KX_STATE_FILES; k++) {
			if (s->role != KX_SEG_ELFCOREHDR && slice_of(imgs[k], s->buf, s->bufsz, &off)) {
				if (file_idx[k] < 0) {
					file_idx[k] = (int)st->n_files;
					r = file_of(imgs[k], &st->files[st->n_files]);
					if (r < 0)
						return r;
					st->n_files++;
				}
				o->src = KX_SRC_FILE;
				o->file = (unsigned)file_idx[k];
				o->off = off;
				break;
			}
		}
		if (k < KX_STATE_FILES)
			continue;
		/* the small pieces (boot data, purgatory, header) are kept; a big one means a decompressed kernel */
		if (s->bufsz > (8u << 20) && s->role != KX_SEG_ELFCOREHDR) {
			st->fast = false;
			o->src = KX_SRC_FILE;
			o->file = UINT32_MAX;
			continue;
		}
		o->src = KX_SRC_BLOB;
		o->blob = malloc(s->bufsz ? s->bufsz : 1);
		if (!o->blob)
			return -ENOMEM;
		memcpy(o->blob, s->buf, s->bufsz);
	}
	return 0;
}

static int put_state(FILE *f, const struct kx_state *st)
{
	char sha[65], *hx;
	unsigned i;

	fprintf(f, "%s %d\n", MAGIC, st->cma.n ? 2 : 1);
	fprintf(f, "boot_id %s\nwritten %lld %s\n", st->boot_id[0] ? st->boot_id : "-", (long long)st->written,
		st->writer);
	fprintf(f, "syscall %s\nflags 0x%lx\nentry 0x%llx\nheader %u %u %u\nfast %d\n",
		st->syscall == KX_SYS_KEXEC_FILE_LOAD ? "kexec_file_load" : "kexec_load", st->flags,
		(unsigned long long)st->entry, st->hdr_index, st->hdr_capacity, st->hdr_used, st->fast);
	if (st->has_digest) {
		hex(sha, st->digest, 32);
		fprintf(f, "digest %s\n", sha);
	} else {
		fprintf(f, "digest none\n");
	}
	fprintf(f, "argc %d\n", st->argc);
	for (i = 0; i < (unsigned)st->argc; i++) {
		size_t n = strlen(st->argv[i]);

		hx = malloc(2 * n + 1);
		if (!hx)
			return -ENOMEM;
		hex(hx, (const uint8_t *)st->argv[i], n);
		hx[2 * n] = 0;
		fprintf(f, "arg %s\n", n ? hx : "-");
		free(hx);
	}
	for (i = 0; i < st->n_files; i++) {
		const struct kx_state_file *x = &st->files[i];
		size_t n = strlen(x->path);

		hx = malloc(2 * n + 1);
		if (!hx)
			return -ENOMEM;
		hex(hx, (const uint8_t *)x->path, n);
		hx[2 * n] = 0;
		fprintf(f, "file %u %llu %llu %lld %lld %lld %lld %llu %s\n", i, (unsigned long long)x->dev,
			(unsigned long long)x->ino, (long long)x->mtime_sec, (long long)x->mtime_nsec,
			(long long)x->ctime_sec, (long long)x->ctime_nsec, (unsigned long long)x->size, hx);
		free(hx);
	}
	for (i = 0; i < st->n_segs; i++) {
		const struct kx_state_seg *s = &st->segs[i];

		fprintf(f, "seg %u %s 0x%llx 0x%llx 0x%zx %d ", i, kx_seg_role_name(s->role), (unsigned long long)s->mem,
			(unsigned long long)s->memsz, s->bufsz, s->in_digest);
		if (s->src == KX_SRC_BLOB)
			fprintf(f, "blob\n");
		else if (s->file == UINT32_MAX)
			fprintf(f, "none\n");
		else
			fprintf(f, "file %u 0x%llx\n", s->file, (unsigned long long)s->off);
	}
	for (i = 0; i < st->cma.n; i++)
		fprintf(f, "cma 0x%llx 0x%llx\n", (unsigned long long)st->cma.v[i].start, (unsigned long long)st->cma.v[i].end);
	fprintf(f, "blobs\n");
	for (i = 0; i < st->n_segs; i++)
		if (st->segs[i].src == KX_SRC_BLOB && st->segs[i].bufsz)
			fwrite(st->segs[i].blob, 1, st->segs[i].bufsz, f);
	return ferror(f) ? -EIO : 0;
}

/* run/kexec-ng, ours and private */
static int state_dir(int root_fd, bool create, struct kx_diag *d)
{
	const char *rel = kx_path_rel(KX_PATH_STATE_DIR);
	struct stat st;
	int fd;

	if (create) {
		char parent[64];
		const char *slash = strrchr(rel, '/');

		snprintf(parent, sizeof(parent), "%.*s", (int)(slash - rel), rel);
		if (mkdirat(root_fd, parent, 0755) < 0 && errno != EEXIST)
			return kx_diag_set(d, -errno, "%s: cannot create: %s", parent, strerror(errno));
		if (mkdirat(root_fd, rel, 0700) < 0 && errno != EEXIST)
			return kx_diag_set(d, -errno, "%s: cannot create: %s", rel, strerror(errno));
	}
	fd = kx_open_rel(root_fd, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	if (fd < 0)
		return fd == -ENOENT ? fd : kx_diag_set(d, fd, "%s: %s", rel, strerror(-fd));
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 022)) {
		close(fd);
		return kx_diag_set(d, -EPERM, "%s: not a private directory of this user (owner %u, mode %o); remove it and load again",
				   rel, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
	}
	return fd;
}

int kx_state_write(int root_fd, const struct kx_state *st, struct kx_diag *d)
{
	_cleanup_close_ int dfd = -1, fd = -1;
	char *buf = NULL, sha[65], tmp[64];
	const char *name = strrchr(kx_path_rel(KX_PATH_STATE), '/') + 1;
	uint8_t dg[32];
	size_t len = 0, off = 0;
	FILE *f;
	int r;

	dfd = state_dir(root_fd, true, d);
	if (dfd < 0)
		return dfd;
	f = open_memstream(&buf, &len);
	if (!f)
		return -ENOMEM;
	r = put_state(f, st);
	if (fclose(f) != 0 && r == 0)
		r = -ENOMEM;
	if (r == 0)
		r = kx_sha256(buf, len, dg);
	if (r < 0) {
		free(buf);
		return r;
	}
	hex(sha, dg, 32);
	snprintf(tmp, sizeof(tmp), ".%s.%d", name, (int)getpid());
	unlinkat(dfd, tmp, 0);
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		free(buf);
		return kx_diag_set(d, -errno, "%s/%s: cannot create: %s", kx_path_rel(KX_PATH_STATE_DIR), tmp,
				   strerror(errno));
	}
	while (off < len) {
		ssize_t n = write(fd, buf + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	free(buf);
	if (off < len || dprintf(fd, "\nsha256 %s\n", sha) < 0 || fsync(fd) < 0) {
		r = errno ? -errno : -EIO;
		unlinkat(dfd, tmp, 0);
		return kx_diag_set(d, r, "%s: cannot write: %s", kx_path_rel(KX_PATH_STATE), strerror(-r));
	}
	if (renameat(dfd, tmp, dfd, name) < 0) {
		r = -errno;
		unlinkat(dfd, tmp, 0);
		return kx_diag_set(d, r, "%s: cannot rename into place: %s", kx_path_rel(KX_PATH_STATE), strerror(-r));
	}
	return 0;
}

/* The next "\n"-terminated line at *p (< end), NUL-terminated in place. */
static char *next_line(char **p, char *end)
{
	char *s = *p, *nl;

	if (s >= end)
		return NULL;
	nl = memchr(s, '\n', (size_t)(end - s));
	if (!nl)
		return NULL;
	*nl = 0;
	*p = nl + 1;
	return s;
}

static const char *const role_words[KX_SEG_ROLE_MAX] = {
	[KX_SEG_KERNEL] = "kernel", [KX_SEG_INITRD] = "initrd", [KX_SEG_SETUP] = "setup",
	[KX_SEG_PURGATORY] = "purgatory", [KX_SEG_ELFCOREHDR] = "elfcorehdr", [KX_SEG_DTB] = "dtb",
};

static int parse_state(char *buf, size_t len, struct kx_state *st, const char *fname, struct kx_diag *d)
{
	char *p = buf, *end = buf + len, *l, word[32], sys[32], src[16], tail[8];
	unsigned lineno = 0, i, ver;
	long long a;
	int n;

#define BAD(what) kx_diag_set(d, -EBADMSG, "%s: line %u: %s; it is corrupt: load the crash kernel again (kexec -p)", fname, lineno, what)
	l = next_line(&p, end), lineno++;
	if (!l || sscanf(l, MAGIC " %u%c", &ver, tail) != 1)
		return BAD("not a kexec-ng state file");
	if (ver < KX_STATE_VERSION_MIN || ver > KX_STATE_VERSION)
		return kx_diag_set(d, -EPROTO, "%s: format version %u, this kexec reads %u to %u; load the crash kernel again (kexec -p)",
				   fname, ver, KX_STATE_VERSION_MIN, KX_STATE_VERSION);
	l = next_line(&p, end), lineno++;
	if (!l || sscanf(l, "boot_id %63s%c", st->boot_id, tail) != 1)
		return BAD("expected boot_id");
	if (!strcmp(st->boot_id, "-"))
		st->boot_id[0] = 0;
	l = next_line(&p, end), lineno++;
	if (!l || sscanf(l, "written %lld %15s%c", &a, st->writer, tail) != 2)
		return BAD("expected written");
	st->written = a;
	l = next_line(&p, end), lineno++;
	if (!l || sscanf(l, "syscall %31s%c", sys, tail) != 1 || (strcmp(sys, "kexec_load") && strcmp(sys, "kexec_file_load")))
		return BAD("expected syscall kexec_load or kexec_file_load");
	st->syscall = strcmp(sys, "kexec_load") ? KX_SYS_KEXEC_FILE_LOAD : KX_SYS_KEXEC_LOAD;
	l = next_line(&p, end), lineno++;
	if (!l || sscanf(l, "flags %lx%c", &st->flags, tail) != 1)
		return BAD("expected flags");
	l = next_line(&p, end), lineno++;
	if (!l || sscanf(l, "entry %llx%c", (unsigned long long *)&a, tail) != 1)
		return BAD("expected entry");
	st->entry = (uint64_t)a;
	l = next_line(&p, end), lineno++;
	if (!l || sscanf(l, "header %u %u %u%c", &st->hdr_index, &st->hdr_capacity, &st->hdr_used, tail) != 3)
		return BAD("expected header INDEX CAPACITY USED");
	l = next_line(&p, end), lineno++;
	if (!l || sscanf(l, "fast %d%c", &n, tail) != 1 || (n != 0 && n != 1))
		return BAD("expected fast 0|1");
	st->fast = n;
	l = next_line(&p, end), lineno++;
	if (!l || strncmp(l, "digest ", 7))
		return BAD("expected digest");
	if (strcmp(l + 7, "none")) {
		if (unhex(l + 7, strlen(l + 7), st->digest, 32) < 0)
			return BAD("digest is not 64 hex digits");
		st->has_digest = true;
	}
	l = next_line(&p, end), lineno++;
	if (!l || sscanf(l, "argc %d%c", &n, tail) != 1 || n < 1 || n > 4096)
		return BAD("expected argc");
	st->argv = calloc((size_t)n + 1, sizeof(char *));
	if (!st->argv)
		return -ENOMEM;
	for (i = 0; i < (unsigned)n; i++) {
		size_t hl;

		l = next_line(&p, end), lineno++;
		if (!l || strncmp(l, "arg ", 4))
			return BAD("expected arg");
		hl = strlen(l + 4);
		st->argv[i] = calloc(1, hl / 2 + 1);
		if (!st->argv[i])
			return -ENOMEM;
		st->argc++;
		if (strcmp(l + 4, "-") && unhex(l + 4, hl, (uint8_t *)st->argv[i], hl / 2) < 0)
			return BAD("arg is not hex");
	}
	for (;;) {
		l = next_line(&p, end), lineno++;
		if (!l)
			return BAD("truncated before \"blobs\"");
		if (!strcmp(l, "blobs"))
			break;
		if (sscanf(l, "%31s", word) != 1)
			return BAD("empty line");
		if (!strcmp(word, "file")) {
			struct kx_state_file *f;
			unsigned long long dev, ino, size;
			long long ms, mn, cs, cn;
			char path[8200];

			if (st->n_files == KX_STATE_FILES)
				return BAD("too many files");
			f = &st->files[st->n_files];
			if (sscanf(l, "file %u %llu %llu %lld %lld %lld %lld %llu %8199s%c", &i, &dev, &ino, &ms, &mn, &cs, &cn,
				   &size, path, tail) != 9 || i != st->n_files)
				return BAD("malformed file line");
			f->path = calloc(1, strlen(path) / 2 + 1);
			if (!f->path)
				return -ENOMEM;
			st->n_files++;
			if (unhex(path, strlen(path), (uint8_t *)f->path, strlen(path) / 2) < 0)
				return BAD("file path is not hex");
			f->dev = dev;
			f->ino = ino;
			f->size = size;
			f->mtime_sec = ms;
			f->mtime_nsec = mn;
			f->ctime_sec = cs;
			f->ctime_nsec = cn;
		} else if (!strcmp(word, "seg")) {
			struct kx_state_seg *s;
			unsigned long long mem, memsz, bufsz, off = 0;
			unsigned fi = 0, r;
			int dig;

			if (st->n_segs == KX_MAX_SEGMENTS)
				return BAD("more than 16 segments");
			s = &st->segs[st->n_segs];
			n = sscanf(l, "seg %u %31s %llx %llx %llx %d %15s %u %llx", &i, word, &mem, &memsz, &bufsz, &dig, src, &fi,
				   &off);
			if (n < 7 || i != st->n_segs || (dig != 0 && dig != 1) || bufsz > memsz)
				return BAD("malformed seg line");
			for (r = 0; r < KX_SEG_ROLE_MAX && strcmp(word, role_words[r]); r++)
				;
			if (r == KX_SEG_ROLE_MAX)
				return BAD("unknown segment role");
			*s = (struct kx_state_seg){ .role = r, .mem = mem, .memsz = memsz, .bufsz = bufsz, .in_digest = dig };
			if (!strcmp(src, "blob") && n == 7) {
				s->src = KX_SRC_BLOB;
			} else if (!strcmp(src, "file") && n == 9 && fi < st->n_files) {
				s->src = KX_SRC_FILE;
				s->file = fi;
				s->off = off;
			} else if (!strcmp(src, "none") && n == 7 && !st->fast) {
				s->src = KX_SRC_FILE;
				s->file = UINT32_MAX;
			} else {
				return BAD("segment source must be blob, file N OFFSET or none");
			}
			st->n_segs++;
		} else if (!strcmp(word, "cma") && ver >= 2) {
			unsigned long long cs, ce;
			unsigned j;

			if (st->cma.n == KX_CMA_MAX)
				return BAD("more than 4 cma ranges");
			if (sscanf(l, "cma %llx %llx%c", &cs, &ce, tail) != 2 || cs >= ce)
				return BAD("malformed cma line (want cma START END, START < END)");
			for (j = 0; j < st->cma.n; j++)
				if (cs < st->cma.v[j].end && st->cma.v[j].start < ce)
					return BAD("overlapping cma ranges");
			st->cma.v[st->cma.n++] = (struct kx_range){ cs, ce, KX_MEM_RAM };
		} else {
			return BAD("unknown keyword");
		}
	}
	for (i = 0; i < st->n_segs; i++) {
		struct kx_state_seg *s = &st->segs[i];

		if (s->src != KX_SRC_BLOB)
			continue;
		if ((size_t)(end - p) < s->bufsz)
			return BAD("truncated in the segment bytes");
		s->blob = malloc(s->bufsz ? s->bufsz : 1);
		if (!s->blob)
			return -ENOMEM;
		memcpy(s->blob, p, s->bufsz);
		p += s->bufsz;
	}
	if (p != end)
		return BAD("bytes left after the segments");
	if (st->syscall == KX_SYS_KEXEC_LOAD &&
	    (st->hdr_index >= st->n_segs || st->segs[st->hdr_index].role != KX_SEG_ELFCOREHDR ||
	     st->segs[st->hdr_index].src != KX_SRC_BLOB || st->hdr_used > st->hdr_capacity))
		return BAD("the header segment is not a recorded elfcorehdr");
	return 0;
#undef BAD
}

int kx_state_read(int root_fd, struct kx_state *st, struct kx_diag *d)
{
	_cleanup_close_ int dfd = -1, fd = -1;
	_cleanup_free_ char *buf = NULL;
	const char *fname = kx_path_rel(KX_PATH_STATE);
	const char *name = strrchr(fname, '/') + 1;
	struct stat sb;
	size_t len = 0;
	char *trailer;
	uint8_t want[32], got[32];
	int r;

	memset(st, 0, sizeof(*st));
	dfd = state_dir(root_fd, false, d);
	if (dfd < 0)
		return dfd;
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ENOENT : kx_diag_set(d, -errno, "%s: %s", fname, strerror(errno));
	if (fstat(fd, &sb) < 0)
		return kx_diag_set(d, -errno, "%s: %s", fname, strerror(errno));
	if (!S_ISREG(sb.st_mode) || sb.st_uid != geteuid() || (sb.st_mode & 022))
		return kx_diag_set(d, -EPERM,
				   "%s: refused: owner %u, mode %o: anyone who can write it could make kexec load something else; remove it and load the crash kernel again",
				   fname, (unsigned)sb.st_uid, (unsigned)(sb.st_mode & 07777));
	if ((uint64_t)sb.st_size > MAX_STATE)
		return kx_diag_set(d, -EBADMSG, "%s: %lld bytes is not a state file", fname, (long long)sb.st_size);
	close(TAKE_FD(fd));
	r = kx_read_rel(dfd, name, &buf, &len, MAX_STATE);
	if (r < 0)
		return kx_diag_set(d, r, "%s: %s", fname, strerror(-r));
	/* the trailer: "\nsha256 <64 hex>\n" over everything before it */
	if (len < 73 || memcmp(buf + len - 73, "\nsha256 ", 8) || buf[len - 1] != '\n' ||
	    unhex(buf + len - 65, 64, want, 32) < 0)
		return kx_diag_set(d, -EBADMSG, "%s: no checksum trailer: truncated or not written by kexec-ng; load the crash kernel again (kexec -p)",
				   fname);
	trailer = buf + len - 73;
	r = kx_sha256(buf, (size_t)(trailer - buf), got);
	if (r < 0)
		return r;
	if (memcmp(want, got, 32))
		return kx_diag_set(d, -EBADMSG, "%s: checksum mismatch: the file was changed or damaged; load the crash kernel again (kexec -p)",
				   fname);
	r = parse_state(buf, (size_t)(trailer - buf), st, fname, d);
	if (r < 0)
		kx_state_done(st);
	return r;
}

int kx_state_remove(int root_fd)
{
	_cleanup_close_ int dfd = state_dir(root_fd, false, NULL);

	if (dfd < 0)
		return dfd == -ENOENT ? 0 : dfd;
	if (unlinkat(dfd, strrchr(kx_path_rel(KX_PATH_STATE), '/') + 1, 0) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

struct kx_segment kx_state_segment(const struct kx_state *st, unsigned i, void *buf)
{
	const struct kx_state_seg *s = &st->segs[i];

	return (struct kx_segment){ .role = s->role, .buf = buf, .bufsz = s->bufsz, .mem = s->mem, .memsz = s->memsz,
				    .in_digest = s->in_digest };
}

void kx_state_done(struct kx_state *st)
{
	unsigned i;

	for (i = 0; st->argv && i < (unsigned)st->argc; i++)
		free(st->argv[i]);
	free(st->argv);
	for (i = 0; i < st->n_files; i++)
		free(st->files[i].path);
	for (i = 0; i < st->n_segs; i++)
		free(st->segs[i].blob);
	memset(st, 0, sizeof(*st));
}
