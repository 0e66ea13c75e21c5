/* SPDX-License-Identifier: GPL-2.0-or-later */
/* image.c - read a kernel/initrd/dtb file; gzip kernels are inflated with zlib. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "ctx.h"

#define KX_IMAGE_MAX (1ULL << 30)

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

/* Inflate a whole gzip member; returns 0, -EINVAL (corrupt), -EFBIG, -ENOMEM. */
static int gunzip(const uint8_t *in, size_t inlen, uint8_t **ret, size_t *ret_len)
{
	z_stream zs = { 0 };
	size_t cap = inlen * 4 + 4096, len = 0;
	uint8_t *out = malloc(cap);
	int zr;

	if (!out)
		return -ENOMEM;
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		free(out);
		return -ENOMEM;
	}
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)inlen;
	do {
		if (len == cap) {
			uint8_t *n;

			if (cap >= KX_IMAGE_MAX) {
				zr = Z_MEM_ERROR;
				break;
			}
			cap *= 2;
			n = realloc(out, cap);
			if (!n) {
				zr = Z_MEM_ERROR;
				break;
			}
			out = n;
		}
		zs.next_out = out + len;
		zs.avail_out = (uInt)(cap - len);
		zr = inflate(&zs, Z_NO_FLUSH);
		len = cap - zs.avail_out;
	} while (zr == Z_OK);
	inflateEnd(&zs);
	if (zr != Z_STREAM_END) {
		free(out);
		return zr == Z_MEM_ERROR ? (cap >= KX_IMAGE_MAX ? -EFBIG : -ENOMEM) : -EINVAL;
	}
	*ret = out;
	*ret_len = len;
	return 0;
}

int kx_image_open(struct kx_image *img, const char *path, struct kx_diag *d)
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
	r = read_all(img->fd, img->len, &img->buf);
	if (r < 0)
		return kx_diag_set(d, r, "%s: cannot read: %s", path, strerror(-r));
	if (img->len >= 18 && img->buf[0] == 0x1f && img->buf[1] == 0x8b) {
		uint8_t *out;
		size_t olen;

		r = gunzip(img->buf, img->len, &out, &olen);
		if (r < 0)
			return kx_diag_set(d, r, "%s: gzip data is %s", path,
					   r == -EINVAL ? "corrupt or truncated" : strerror(-r));
		free(img->buf);
		img->buf = out;
		img->len = olen;
		img->decompressed = true;
	}
	return 0;
}

void kx_image_done(struct kx_image *img)
{
	free(img->buf);
	if (img->fd >= 0)
		close(img->fd);
	memset(img, 0, sizeof(*img));
	img->fd = -1;
}
