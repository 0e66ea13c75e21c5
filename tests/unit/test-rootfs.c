/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-rootfs.c - private output directories (--capture-root,
 * --dump-segments): 0700/0600, never a non-empty or symlinked directory,
 * never through a planted symlink; and --capture-root end to end.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctx.h"
#include "rootfs.h"
#include "test.h"

static int mode_of(const char *path)
{
	struct stat st;

	ASSERT_OK(lstat(path, &st));
	return (int)(st.st_mode & 07777);
}

TEST(outdir_is_private_and_new)
{
	char dir[300], path[400];
	int fd;

	snprintf(dir, sizeof(dir), "%s/out", kt_tmpdir());
	fd = kx_outdir_create(dir);
	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(mode_of(dir), 0700);
	ASSERT_OK(kx_outdir_write(fd, "sys/kernel/vmcoreinfo", "x\n", 2));
	snprintf(path, sizeof(path), "%s/sys/kernel/vmcoreinfo", dir);
	ASSERT_EQ(mode_of(path), 0600);
	snprintf(path, sizeof(path), "%s/sys/kernel", dir);
	ASSERT_EQ(mode_of(path), 0700);
	/* never overwrite */
	ASSERT_ERR(kx_outdir_write(fd, "sys/kernel/vmcoreinfo", "y\n", 2), -EEXIST);
	close(fd);
	/* an existing, non-empty directory is refused */
	ASSERT_ERR(kx_outdir_create(dir), -ENOTEMPTY);
}

TEST(planted_symlinks_are_not_followed)
{
	char dir[300], path[400], victim[400], buf[16] = { 0 };
	int fd, vfd;

	snprintf(dir, sizeof(dir), "%s/out", kt_tmpdir());
	snprintf(victim, sizeof(victim), "%s/victim", kt_tmpdir());
	vfd = open(victim, O_CREAT | O_WRONLY, 0644);
	ASSERT_TRUE(vfd >= 0);
	ASSERT_EQ(write(vfd, "keep", 4), 4);
	close(vfd);
	fd = kx_outdir_create(dir);
	ASSERT_TRUE(fd >= 0);
	/* someone plants DIR/proc/iomem -> victim and DIR/sys -> / after we made DIR */
	snprintf(path, sizeof(path), "%s/proc", dir);
	ASSERT_OK(mkdir(path, 0755));
	snprintf(path, sizeof(path), "%s/proc/iomem", dir);
	ASSERT_OK(symlink(victim, path));
	snprintf(path, sizeof(path), "%s/sys", dir);
	ASSERT_OK(symlink("/", path));
	ASSERT_ERR(kx_outdir_write(fd, "proc/iomem", "owned", 5), -EEXIST);
	ASSERT_TRUE(kx_outdir_write(fd, "sys/kernel/x", "owned", 5) < 0);
	close(fd);
	vfd = open(victim, O_RDONLY);
	ASSERT_EQ(read(vfd, buf, sizeof(buf)), 4);
	close(vfd);
	ASSERT_STREQ(buf, "keep");
	/* the directory itself a symlink */
	snprintf(path, sizeof(path), "%s/link", kt_tmpdir());
	ASSERT_OK(symlink(dir, path));
	ASSERT_ERR(kx_outdir_create(path), -ELOOP);
}

TEST(capture_root_writes_private_copies)
{
	char src[300], dst[300], path[400];
	struct kx_diag d = { 0 };
	int fd;

	snprintf(src, sizeof(src), "%s", kt_tmpdir());
	snprintf(path, sizeof(path), "%s/proc", src);
	ASSERT_OK(mkdir(path, 0755));
	snprintf(path, sizeof(path), "%s/proc/iomem", src);
	fd = open(path, O_CREAT | O_WRONLY, 0644);
	ASSERT_EQ(write(fd, "00100000-3fffffff : System RAM\n", 31), 31);
	close(fd);
	snprintf(dst, sizeof(dst), "%s/cap", kt_tmpdir());
	fd = open(src, O_RDONLY | O_DIRECTORY);
	ASSERT_OK(kx_capture_root(fd, dst, &d));
	ASSERT_EQ(mode_of(dst), 0700);
	snprintf(path, sizeof(path), "%s/proc/iomem", dst);
	ASSERT_EQ(mode_of(path), 0600);
	/* a second capture into the same (now non-empty) directory is refused */
	ASSERT_ERR(kx_capture_root(fd, dst, &d), -ENOTEMPTY);
	ASSERT_CONTAINS(d.msg, "not empty");
	close(fd);
}

/* The openat2-less walk confines symlinks the way RESOLVE_IN_ROOT does */
TEST(walk_without_openat2_stays_in_root)
{
	char root[300], p[400], outside[400], buf[16];
	int rfd, fd;
	ssize_t n;

	snprintf(root, sizeof(root), "%s/root", kt_tmpdir());
	snprintf(outside, sizeof(outside), "%s/secret", kt_tmpdir());
	ASSERT_OK(mkdir(root, 0755));
	fd = open(outside, O_CREAT | O_WRONLY, 0600);
	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(write(fd, "outside", 7), 7);
	close(fd);
	snprintf(p, sizeof(p), "%s/sys", root);
	ASSERT_OK(mkdir(p, 0755));
	snprintf(p, sizeof(p), "%s/sys/kernel", root);
	ASSERT_OK(mkdir(p, 0755));
	snprintf(p, sizeof(p), "%s/sys/kernel/real", root);
	fd = open(p, O_CREAT | O_WRONLY, 0644);
	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(write(fd, "inside", 6), 6);
	close(fd);
	/* a relative link (as sysfs has), an absolute one, and two that try to leave */
	snprintf(p, sizeof(p), "%s/sys/kernel/rel", root);
	ASSERT_OK(symlink("real", p));
	snprintf(p, sizeof(p), "%s/sys/kernel/abs", root);
	ASSERT_OK(symlink("/sys/kernel/real", p));
	snprintf(p, sizeof(p), "%s/sys/kernel/up", root);
	ASSERT_OK(symlink("../../../../../../secret", p));
	snprintf(p, sizeof(p), "%s/sys/kernel/escape", root);
	ASSERT_OK(symlink(outside, p));
	snprintf(p, sizeof(p), "%s/sys/kernel/loop", root);
	ASSERT_OK(symlink("loop", p));
	rfd = open(root, O_RDONLY | O_DIRECTORY);
	ASSERT_TRUE(rfd >= 0);
	static const char *const good[] = { "sys/kernel/real", "/sys/kernel/rel", "sys/kernel/abs",
					    "sys/../sys/./kernel//real", "../../sys/kernel/real" };
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		fd = kx_open_rel_walk(rfd, good[i], O_RDONLY);
		ASSERT_TRUE(fd >= 0);
		memset(buf, 0, sizeof(buf));
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		ASSERT_EQ(n, 6);
		ASSERT_STREQ(buf, "inside");
	}
	/* leaving the root resolves inside it: there is no /secret there */
	ASSERT_ERR(kx_open_rel_walk(rfd, "sys/kernel/up", O_RDONLY), -ENOENT);
	ASSERT_ERR(kx_open_rel_walk(rfd, "sys/kernel/escape", O_RDONLY), -ENOENT);
	ASSERT_ERR(kx_open_rel_walk(rfd, "sys/kernel/loop", O_RDONLY), -ELOOP);
	ASSERT_ERR(kx_open_rel_walk(rfd, "sys/kernel/none", O_RDONLY), -ENOENT);
	close(rfd);
}
