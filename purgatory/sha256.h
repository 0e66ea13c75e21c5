/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sha256.h - SHA-256 (FIPS 180-4) with no library underneath.
 *
 * The same source is compiled three ways: freestanding into the purgatory,
 * and hosted into the unit tests (which compare it with OpenSSL, the digest
 * the loader itself uses).  It needs only <stdint.h> and <stddef.h>.
 */
#ifndef PG_SHA256_H
#define PG_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define PG_SHA256_DIGEST_LEN 32
#define PG_SHA256_BLOCK_LEN 64

/*
 * struct pg_sha256 - running hash state
 * @h:     the eight chaining words
 * @total: bytes hashed so far
 * @buf:   a partial block waiting for more input
 * @used:  bytes in @buf (always < 64 between calls)
 */
struct pg_sha256 {
	uint32_t h[8];
	uint64_t total;
	uint8_t buf[PG_SHA256_BLOCK_LEN];
	size_t used;
};

/* pg_sha256_init - start a new hash. Cannot fail. */
void pg_sha256_init(struct pg_sha256 *c);

/*
 * pg_sha256_update - hash @len more bytes
 * @data may be NULL only when @len is 0.  Any split of the input into
 * update calls gives the same digest.  Cannot fail.
 */
void pg_sha256_update(struct pg_sha256 *c, const void *data, size_t len);

/*
 * pg_sha256_final - pad, finish and write the 32-byte digest
 * The state is used up: call pg_sha256_init() before hashing again.
 */
void pg_sha256_final(struct pg_sha256 *c, uint8_t out[PG_SHA256_DIGEST_LEN]);

/* pg_sha256 - one-shot convenience wrapper of the three calls above. */
void pg_sha256(const void *data, size_t len, uint8_t out[PG_SHA256_DIGEST_LEN]);

#endif
