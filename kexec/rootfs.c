/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rootfs.c - confined reads below --root, and private output directories. */
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rootfs.h"
#include "util.h"

#ifndef SYS_openat2
#define SYS_openat2 437	/* the same number on every architecture */
#endif

#define WALK_MAX_LINKS 40	/* as the kernel's MAXSYMLINKS */
#define WALK_MAX_DEPTH 64

/*
 * RESOLVE_IN_ROOT done by hand, for where openat2 is missing (kernels before
 * 5.6, qemu-user): one component at a time, never following a symlink
 * blindly.  A symlink's target is spliced into what is left of the path;
 * an absolute one starts again at @root_fd, and ".." never climbs above it.
 * Returns the fd or -errno (-ELOOP after 40 links, -ENAMETOOLONG).
 */
int kx_open_rel_walk(int root_fd, const char *rel, int flags)
{
	char *rest = NULL, *comp;
	int dirs[WALK_MAX_DEPTH + 1], depth = 0, links = 0, r = -ENOENT;
	rest = strdup(rel);
	if (!rest)
		return -ENOMEM;
	dirs[0] = root_fd;
	comp = rest;
	for (;;) {
		char *slash, *next, target[4096];
		struct stat st;
		ssize_t n;
		int cur = dirs[depth], fd;

		while (*comp == '/')
			comp++;
		if (!*comp) {	/* the path named a directory: open it */
			fd = openat(cur, ".", flags | O_CLOEXEC);
			r = fd < 0 ? -errno : fd;
			break;
		}
		slash = strchr(comp, '/');
		next = slash ? slash + 1 : comp + strlen(comp);
		if (slash)
			*slash = 0;
		if (!strcmp(comp, ".")) {
			comp = next;
			continue;
		}
		if (!strcmp(comp, "..")) {
			if (depth > 0)
				close(dirs[depth--]);
			comp = next;
			continue;
		}
		if (fstatat(cur, comp, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			r = -errno;
			break;
		}
		if (S_ISLNK(st.st_mode)) {
			size_t tl, nl = strlen(next);
			char *nr;

			if (++links > WALK_MAX_LINKS) {
				r = -ELOOP;
				break;
			}
			n = readlinkat(cur, comp, target, sizeof(target) - 1);
			if (n < 0) {
				r = -errno;
				break;
			}
			tl = (size_t)n;
			target[tl] = 0;
			nr = malloc(tl + 1 + nl + 1);
			if (!nr) {
				r = -ENOMEM;
				break;
			}
			snprintf(nr, tl + 1 + nl + 1, "%s%s%s", target, nl ? "/" : "", next);
			free(rest);
			rest = nr;
			comp = rest;
			if (target[0] == '/')
				while (depth > 0)
					close(dirs[depth--]);
			continue;
		}
		if (!*next && !slash) {	/* the last component */
			fd = openat(cur, comp, flags | O_NOFOLLOW | O_CLOEXEC);
			r = fd < 0 ? -errno : fd;
			break;
		}
		if (depth == WALK_MAX_DEPTH) {
			r = -ENAMETOOLONG;
			break;
		}
		fd = openat(cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			r = -errno;
			break;
		}
		dirs[++depth] = fd;
		comp = next;
	}
	while (depth > 0)
		close(dirs[depth--]);
	free(rest);
	return r;
}

int kx_open_rel(int root_fd, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	long fd;

	while (*rel == '/')
		rel++;
	fd = syscall(SYS_openat2, root_fd, rel, &how, sizeof(how));
	if (fd >= 0)
		return (int)fd;
	if (errno != ENOSYS && errno != EPERM)
		return -errno;
	/* no openat2 (before 5.6, qemu-user, or a seccomp filter that answers EPERM) */
	return kx_open_rel_walk(root_fd, rel, flags);
}

int kx_read_rel(int root_fd, const char *rel, char **ret, size_t *ret_len, size_t max)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap = 4096;

	fd = kx_open_rel(root_fd, rel, O_RDONLY);
	if (fd < 0)
		return fd;
	buf = malloc(cap + 1);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *nb;

			if (cap >= max)
				return -EFBIG;
			cap *= 2;
			nb = realloc(buf, cap + 1);
			if (!nb)
				return -ENOMEM;
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = 0;
	*ret = TAKE_PTR(buf);
	if (ret_len)
		*ret_len = len;
	return 0;
}

static int dir_is_empty(int fd)
{
	int dup_fd = dup(fd);
	DIR *dir;
	struct dirent *de;
	int r = 0;

	if (dup_fd < 0)
		return -errno;
	dir = fdopendir(dup_fd);
	if (!dir) {
		close(dup_fd);
		return -errno;
	}
	while ((de = readdir(dir))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			r = -ENOTEMPTY;
			break;
		}
	}
	closedir(dir);
	return r;
}

int kx_outdir_create(const char *path)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	int r;

	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -errno;
	if (lstat(path, &st) < 0)
		return -errno;
	if (S_ISLNK(st.st_mode))
		return -ELOOP;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = dir_is_empty(fd);
	if (r < 0)
		return r;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (st.st_uid == geteuid() && (st.st_mode & 07777) != 0700 && fchmod(fd, 0700) < 0)
		return -errno;
	return TAKE_FD(fd);
}

/* Open (creating as needed) the directory that holds @rel's last component; *ret_base = that name. */
static int parent_dir(int dirfd, const char *rel, const char **ret_base)
{
	char comp[256];
	const char *p = rel, *slash;
	int cur = dup(dirfd);

	if (cur < 0)
		return -errno;
	while ((slash = strchr(p, '/'))) {
		size_t n = (size_t)(slash - p);
		int next;

		if (n == 0) {
			p = slash + 1;
			continue;
		}
		if (n >= sizeof(comp) || (n == 2 && !memcmp(p, "..", 2)) || (n == 1 && *p == '.')) {
			close(cur);
			return n >= sizeof(comp) ? -ENAMETOOLONG : -EINVAL;
		}
		memcpy(comp, p, n);
		comp[n] = 0;
		if (mkdirat(cur, comp, 0700) < 0 && errno != EEXIST) {
			int e = -errno;

			close(cur);
			return e;
		}
		next = openat(cur, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(cur);
		if (next < 0)
			return -errno;
		cur = next;
		p = slash + 1;
	}
	if (!*p || !strcmp(p, "..") || !strcmp(p, ".")) {
		close(cur);
		return -EINVAL;
	}
	*ret_base = p;
	return cur;
}

int kx_outdir_open_file(int dirfd, const char *rel)
{
	const char *base;
	int pfd, fd;

	pfd = parent_dir(dirfd, rel, &base);
	if (pfd < 0)
		return pfd;
	fd = openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		fd = -errno;
	close(pfd);
	return fd;
}

int kx_outdir_write(int dirfd, const char *rel, const void *buf, size_t len)
{
	_cleanup_close_ int fd = kx_outdir_open_file(dirfd, rel);
	const char *p = buf;

	if (fd < 0)
		return fd;
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
