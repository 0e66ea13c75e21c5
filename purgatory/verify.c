/* SPDX-License-Identifier: GPL-2.0-or-later */
/* verify.c - hash the region list the loader recorded and compare digests. */
#include "sha256.h"
#include "verify.h"

int pg_verify_regions(const struct pg_sha_region regions[PG_MAX_REGIONS], const uint8_t want[32],
		      uint8_t got[32])
{
	struct pg_sha256 c;
	unsigned i, diff = 0;

	pg_sha256_init(&c);
	for (i = 0; i < PG_MAX_REGIONS; i++) {
		if (!regions[i].len)
			continue;
		/* identity mapped: the physical address is the pointer */
		pg_sha256_update(&c, (const void *)(uintptr_t)regions[i].start, (size_t)regions[i].len);
	}
	pg_sha256_final(&c, got);

	for (i = 0; i < 32; i++)
		diff |= (unsigned)(got[i] ^ want[i]);
	return diff ? 1 : 0;
}
