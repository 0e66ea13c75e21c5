/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rootfs.h - files under a root directory that may not be ours (--root DIR
 * can be a capture from someone else's bug report), and private output
 * directories (--capture-root, --dump-segments) that nobody can redirect.
 */
#ifndef KX_ROOTFS_H
#define KX_ROOTFS_H

#include <stddef.h>

/*
 * kx_open_rel - open @rel below @root_fd without ever leaving it
 * Absolute symlinks and ".." resolve inside the root (openat2 RESOLVE_IN_ROOT),
 * magic links (/proc/PID/fd/...) are refused.  @flags are open(2) flags;
 * O_CLOEXEC is added.
 * Returns the fd, or -ENOENT, -EACCES, -EPERM, -ELOOP, -EXDEV, -ENOSYS (a
 * kernel before 5.6, only for roots other than "/"), or another open errno.
 */
int kx_open_rel(int root_fd, const char *rel, int flags);
/* kx_open_rel's fallback without openat2 (kernels before 5.6, qemu-user), exposed for tests */
int kx_open_rel_walk(int root_fd, const char *rel, int flags);

/*
 * kx_read_rel - read a whole file below the root (kx_open_rel rules)
 * *ret is NUL terminated; *ret_len (if not NULL) excludes the NUL.
 * Returns 0, -EFBIG past @max bytes, -ENOMEM, or the errno of open/read.
 */
int kx_read_rel(int root_fd, const char *rel, char **ret, size_t *ret_len, size_t max);

/*
 * kx_outdir_create - make @path a new private directory (mode 0700) and open it
 * An existing empty directory is accepted (and chmod'ed 0700 if we own it);
 * a non-empty one or a symlink is refused: we never write into a tree someone
 * else prepared.
 * Returns the directory fd, -ENOTEMPTY, -ENOTDIR, -ELOOP, or the errno of
 * mkdir/open.
 */
int kx_outdir_create(const char *path);

/*
 * kx_outdir_write - create @rel (with its parent directories, 0700) below the
 * private directory @dirfd and write @len bytes to it, mode 0600
 * Every component is opened with O_NOFOLLOW and the file with O_EXCL, so a
 * planted symlink or an existing file makes it fail instead of writing
 * elsewhere.
 * Returns 0, -EEXIST, -ELOOP, -ENAMETOOLONG, -EIO (short write), or another
 * errno of mkdirat/openat/write.
 */
int kx_outdir_write(int dirfd, const char *rel, const void *buf, size_t len);

/* kx_outdir_open_file - like kx_outdir_write but return the new file's fd (0600, O_EXCL). */
int kx_outdir_open_file(int dirfd, const char *rel);

#endif
