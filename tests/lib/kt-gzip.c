/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-gzip.c - test fixtures compressed the way kernel packages are: one
 * gzip member (zlib, level 6). Only the tests that use it link zlib.
 */
#include <zlib.h>

#include "test.h"

size_t kt_gzip(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	z_stream zs = { 0 };

	ASSERT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	ASSERT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
	len = cap - zs.avail_out;
	deflateEnd(&zs);
	return len;
}
