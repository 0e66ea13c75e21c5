/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-sha256.c - the purgatory's own SHA-256 (purgatory/sha256.c, built
 * hosted here) against FIPS 180-2 known answers and against OpenSSL, which
 * the loader uses: the two must agree bit for bit or no kexec would boot.
 */
#include <stdlib.h>

#include <openssl/evp.h>

#include "sha256.h"
#include "test.h"

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

static void ossl_sha256(const void *p, size_t n, uint8_t out[32])
{
	unsigned int len = 0;

	if (EVP_Digest(n ? p : "", n, out, &len, EVP_sha256(), NULL) != 1 || len != 32)
		kt_fail(__FILE__, __LINE__, "OpenSSL EVP_Digest failed");
}

static void to_hex(const uint8_t d[32], char out[65])
{
	static const char x[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = x[d[i] >> 4];
		out[2 * i + 1] = x[d[i] & 15];
	}
	out[64] = 0;
}

/* xorshift64: reproducible pseudo-random bytes */
static void fill_random(uint8_t *p, size_t n, uint64_t seed)
{
	uint64_t s = seed ? seed : 1;
	size_t i;

	for (i = 0; i < n; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		p[i] = (uint8_t)(s >> 24);
	}
}

static void check_against_openssl(const uint8_t *p, size_t n)
{
	uint8_t a[32], b[32];
	char ha[65], hb[65];

	pg_sha256(p, n, a);
	ossl_sha256(p, n, b);
	if (memcmp(a, b, 32)) {
		to_hex(a, ha);
		to_hex(b, hb);
		kt_fail(__FILE__, __LINE__, "%zu bytes: purgatory %s, OpenSSL %s", n, ha, hb);
	}
}

static void check_kat(const char *msg, const char *want)
{
	uint8_t d[32];
	char h[65];

	pg_sha256(msg, strlen(msg), d);
	to_hex(d, h);
	ASSERT_STREQ(h, want);
}

TEST(kat_empty)
{
	check_kat("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(kat_abc)
{
	check_kat("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(kat_448_bits)
{
	/* 56 bytes: the length no longer fits the first block's padding */
	check_kat("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(kat_896_bits)
{
	check_kat("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(kat_million_a_incremental)
{
	struct pg_sha256 c;
	uint8_t chunk[1000], d[32];
	char h[65];
	int i;

	memset(chunk, 'a', sizeof(chunk));
	pg_sha256_init(&c);
	for (i = 0; i < 1000; i++)
		pg_sha256_update(&c, chunk, sizeof(chunk));
	pg_sha256_final(&c, d);
	to_hex(d, h);
	ASSERT_STREQ(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(padding_boundaries)
{
	static const size_t sizes[] = { 0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 191, 192 };
	uint8_t buf[256];
	size_t i;

	fill_random(buf, sizeof(buf), 42);
	for (i = 0; i < N_ELEM(sizes); i++)
		check_against_openssl(buf, sizes[i]);
	/* and every length up to four blocks */
	for (i = 0; i <= sizeof(buf); i++)
		check_against_openssl(buf, i);
}

TEST(one_byte_values)
{
	uint8_t b;
	int v;

	for (v = 0; v < 256; v++) {
		b = (uint8_t)v;
		check_against_openssl(&b, 1);
	}
}

TEST(segment_sized_inputs)
{
	static const size_t sizes[] = { 4096, (1u << 20) + 7, 16u << 20 };
	uint8_t *buf = malloc(16u << 20);
	size_t i;

	ASSERT_TRUE(buf);
	fill_random(buf, 16u << 20, 0x5eed);
	for (i = 0; i < N_ELEM(sizes); i++)
		check_against_openssl(buf, sizes[i]);
	free(buf);
}

TEST(zero_pages)
{
	/* what the zero tail of a segment looks like */
	uint8_t *buf = calloc(1, 1u << 20);

	ASSERT_TRUE(buf);
	check_against_openssl(buf, 1u << 20);
	check_against_openssl(buf, 4096 * 3 + 1);
	free(buf);
}

TEST(incremental_odd_splits)
{
	enum { N = 70000 };
	uint8_t *buf = malloc(N), want[32], got[32];
	uint64_t s = 7;
	int round;

	ASSERT_TRUE(buf);
	fill_random(buf, N, 99);
	ossl_sha256(buf, N, want);
	for (round = 0; round < 200; round++) {
		struct pg_sha256 c;
		size_t off = 0;

		pg_sha256_init(&c);
		while (off < N) {
			size_t step;

			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			/* mostly small and odd, sometimes empty, sometimes several blocks */
			switch (s % 5) {
			case 0:
				step = 0;
				break;
			case 1:
				step = 1;
				break;
			case 2:
				step = (size_t)(s >> 8) % 64;
				break;
			case 3:
				step = 63 + (size_t)(s >> 8) % 3;
				break;
			default:
				step = (size_t)(s >> 8) % 5000;
				break;
			}
			if (step > N - off)
				step = N - off;
			pg_sha256_update(&c, buf + off, step);
			off += step;
		}
		pg_sha256_final(&c, got);
		ASSERT_TRUE(!memcmp(got, want, 32));
	}
	free(buf);
}

TEST(unaligned_input)
{
	uint8_t buf[4096 + 8];
	size_t off;

	fill_random(buf, sizeof(buf), 3);
	for (off = 1; off < 8; off++)
		check_against_openssl(buf + off, 4096 - off);
}

TEST(null_pointer_with_zero_length)
{
	struct pg_sha256 c;
	uint8_t a[32], b[32];

	pg_sha256_init(&c);
	pg_sha256_update(&c, NULL, 0);
	pg_sha256_final(&c, a);
	ossl_sha256(NULL, 0, b);
	ASSERT_TRUE(!memcmp(a, b, 32));
}

TEST(reinit_after_final)
{
	struct pg_sha256 c;
	uint8_t a[32], b[32];

	pg_sha256_init(&c);
	pg_sha256_update(&c, "garbage", 7);
	pg_sha256_final(&c, a);
	pg_sha256_init(&c);
	pg_sha256_update(&c, "abc", 3);
	pg_sha256_final(&c, a);
	ossl_sha256("abc", 3, b);
	ASSERT_TRUE(!memcmp(a, b, 32));
}
