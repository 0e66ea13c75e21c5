/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * decompress.h - whole-buffer decompression for kernel image formats that
 * need it (a gzip'd kernel file; Image.gz and zboot payloads on arm64).
 * Initrds are never decompressed: the kernel unpacks them itself.
 */
#ifndef KX_DECOMPRESS_H
#define KX_DECOMPRESS_H

#include <stddef.h>
#include <stdint.h>

static inline int kx_is_gzip(const uint8_t *b, size_t len)
{
	return len >= 18 && b[0] == 0x1f && b[1] == 0x8b && b[2] == 8;
}

/*
 * kx_gunzip - inflate every gzip member of @in (concatenated members, as
 * "gzip -c a b" writes them, are all kept; trailing zero padding is ignored)
 * @max: refuse output larger than this
 * Returns 0 with *ret and *ret_len (malloc'ed), -EINVAL (corrupt or truncated
 * stream, trailing garbage), -EFBIG (more than @max bytes), -ENOMEM.
 */
int kx_gunzip(const uint8_t *in, size_t inlen, size_t max, uint8_t **ret, size_t *ret_len);

/*
 * kx_gunzip_chunked - kx_gunzip() handing zlib at most @chunk bytes of
 * input and output at a time (zlib counts in 32 bits; kx_gunzip uses
 * UINT_MAX, tests use tiny chunks to walk the same path cheaply).
 */
int kx_gunzip_chunked(const uint8_t *in, size_t inlen, size_t max, size_t chunk, uint8_t **ret,
		      size_t *ret_len);

#endif
