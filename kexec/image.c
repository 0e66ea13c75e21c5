/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * image.c - read a file given on the command line, byte for byte.  Nothing
 * is decompressed here: an initrd goes to the kernel exactly as it is on
 * disk (the kernel unpacks gzip, zstd, xz and concatenated archives
 * itself), and kernel formats that need decompressing do it when probed.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctx.h"


static int read_all(int fd, size_t len, uint8_t **ret)
{
	uint8_t *buf = malloc(len ? len : 1);
	size_t got = 0;

	if (!buf)
		return -ENOMEM;
	while (got < len) {
		ssize_t n = pread(fd, buf + got, len - got, (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? -errno : -EIO;

			free(buf);
			return e;
		}
		got += (size_t)n;
	}
	*ret = buf;
	return 0;
}

static int image_open(struct kx_image *img, const char *path, bool map, struct kx_diag *d)
{
	struct stat st;
	int r;

	memset(img, 0, sizeof(*img));
	img->fd = -1;
	img->path = path;
	img->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (img->fd < 0)
		return kx_diag_set(d, -errno, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(img->fd, &st) < 0)
		return kx_diag_set(d, -errno, "%s: cannot stat: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return kx_diag_set(d, -EINVAL, "%s: not a regular file", path);
	if ((uint64_t)st.st_size > KX_IMAGE_MAX)
		return kx_diag_set(d, -EFBIG, "%s: %lld bytes is more than kexec loads (1 GiB)", path,
				   (long long)st.st_size);
	img->len = (size_t)st.st_size;
	if (map && img->len) {
		void *p = mmap(NULL, img->len, PROT_READ, MAP_PRIVATE, img->fd, 0);

		if (p == MAP_FAILED)
			return kx_diag_set(d, -errno, "%s: cannot map: %s", path, strerror(errno));
		img->buf = p;
		img->mapped = true;
		return 0;
	}
	r = read_all(img->fd, img->len, &img->buf);
	if (r < 0)
		return kx_diag_set(d, r, "%s: cannot read: %s", path, strerror(-r));
	return 0;
}

int kx_image_open(struct kx_image *img, const char *path, struct kx_diag *d)
{
	return image_open(img, path, false, d);
}

int kx_image_map(struct kx_image *img, const char *path, struct kx_diag *d)
{
	return image_open(img, path, true, d);
}

void kx_image_done(struct kx_image *img)
{
	if (img->mapped)
		munmap(img->buf, img->len);
	else
		free(img->buf);
	if (img->fd >= 0)
		close(img->fd);
	memset(img, 0, sizeof(*img));
	img->fd = -1;
}
