/* SPDX-License-Identifier: GPL-2.0-or-later */
/* decompress.c - gzip with zlib, every member, without 32-bit truncation. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "decompress.h"
#include "util.h"

/* zlib counts in uInt: hand it at most this much at a time */
#define ZCHUNK ((size_t)UINT_MAX)

int kx_gunzip_chunked(const uint8_t *in, size_t inlen, size_t max, size_t chunk, uint8_t **ret, size_t *ret_len)
{
	z_stream zs = { 0 };
	size_t cap = inlen < max / 4 ? inlen * 4 + 4096 : max, len = 0, used = 0;
	uint8_t *out = malloc(cap ? cap : 1);
	int zr, r = 0;

	if (!out)
		return -ENOMEM;
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		free(out);
		return -ENOMEM;
	}
	for (;;) {
		size_t in_chunk, out_chunk, before_in, before_out;

		if (len == cap) {
			uint8_t *n;

			if (cap >= max) {
				r = -EFBIG;
				break;
			}
			cap = cap > max / 2 ? max : cap * 2;
			n = realloc(out, cap);
			if (!n) {
				r = -ENOMEM;
				break;
			}
			out = n;
		}
		in_chunk = inlen - used < chunk ? inlen - used : chunk;
		out_chunk = cap - len < chunk ? cap - len : chunk;
		zs.next_in = (Bytef *)(in + used);
		zs.avail_in = (uInt)in_chunk;
		zs.next_out = out + len;
		zs.avail_out = (uInt)out_chunk;
		before_in = zs.avail_in;
		before_out = zs.avail_out;
		zr = inflate(&zs, Z_NO_FLUSH);
		used += before_in - zs.avail_in;
		len += before_out - zs.avail_out;
		if (zr == Z_STREAM_END) {
			/* another member follows, or zero padding, or the end */
			while (used < inlen && in[used] == 0)
				used++;
			if (used == inlen)
				break;
			if (!kx_is_gzip(in + used, inlen - used) || inflateReset(&zs) != Z_OK) {
				r = -EINVAL;
				break;
			}
			continue;
		}
		if (zr == Z_BUF_ERROR && len < cap && used == inlen) {
			r = -EINVAL;	/* wants more input than there is: truncated */
			break;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			r = zr == Z_MEM_ERROR ? -ENOMEM : -EINVAL;
			break;
		}
	}
	inflateEnd(&zs);
	if (r < 0) {
		free(out);
		return r;
	}
	*ret = out;
	*ret_len = len;
	return 0;
}

int kx_gunzip(const uint8_t *in, size_t inlen, size_t max, uint8_t **ret, size_t *ret_len)
{
	return kx_gunzip_chunked(in, inlen, max, ZCHUNK, ret, ret_len);
}
