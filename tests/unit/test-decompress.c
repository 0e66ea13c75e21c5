/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-decompress.c - gzip kernels: every member of a concatenated stream
 * is kept, padding is fine, garbage and truncation are errors, the size
 * limit holds, and output is fed to zlib in pieces (as past 4 GiB).
 */
#include <stdlib.h>

#include "decompress.h"
#include "test.h"

static uint8_t a[100000], b[70000];

static void fill(void)
{
	size_t i;

	for (i = 0; i < sizeof(a); i++)
		a[i] = (uint8_t)(i * 7 + i / 1000);
	for (i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)(i * 13 + 5);
}

TEST(concatenated_members_are_all_kept)
{
	static uint8_t in[400000];
	uint8_t *out;
	size_t n, len;

	fill();
	n = kt_gzip(a, sizeof(a), in, sizeof(in));
	n += kt_gzip(b, sizeof(b), in + n, sizeof(in) - n);
	ASSERT_TRUE(kx_is_gzip(in, n));
	ASSERT_OK(kx_gunzip(in, n, 1 << 20, &out, &len));
	ASSERT_EQ(len, sizeof(a) + sizeof(b));	/* the old code stopped after a */
	ASSERT_EQ(memcmp(out, a, sizeof(a)), 0);
	ASSERT_EQ(memcmp(out + sizeof(a), b, sizeof(b)), 0);
	free(out);
	/* zero padding after the last member (block-padded images) */
	memset(in + n, 0, 512);
	ASSERT_OK(kx_gunzip(in, n + 512, 1 << 20, &out, &len));
	ASSERT_EQ(len, sizeof(a) + sizeof(b));
	free(out);
}

TEST(small_chunks_walk_the_large_output_path)
{
	static uint8_t in[400000];
	uint8_t *out;
	size_t n, len;

	fill();
	n = kt_gzip(a, sizeof(a), in, sizeof(in));
	n += kt_gzip(b, sizeof(b), in + n, sizeof(in) - n);
	ASSERT_OK(kx_gunzip_chunked(in, n, 1 << 20, 7, &out, &len));
	ASSERT_EQ(len, sizeof(a) + sizeof(b));
	ASSERT_EQ(memcmp(out + sizeof(a), b, sizeof(b)), 0);
	free(out);
}

TEST(bad_streams)
{
	static uint8_t in[400000];
	uint8_t *out = NULL;
	size_t n, len;

	fill();
	n = kt_gzip(a, sizeof(a), in, sizeof(in));
	ASSERT_ERR(kx_gunzip(in, n - 10, 1 << 20, &out, &len), -EINVAL);	/* truncated */
	memcpy(in + n, "garbage!", 8);
	ASSERT_ERR(kx_gunzip(in, n + 8, 1 << 20, &out, &len), -EINVAL);	/* trailing garbage */
	ASSERT_ERR(kx_gunzip(in, n, sizeof(a) - 1, &out, &len), -EFBIG);
	in[20] ^= 0xff;
	ASSERT_ERR(kx_gunzip(in, n, 1 << 20, &out, &len), -EINVAL);		/* corrupt */
	ASSERT_TRUE(out == NULL);
}
