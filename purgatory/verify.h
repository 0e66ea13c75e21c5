/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * verify.h - the purgatory's integrity check: SHA-256 over a region list.
 *
 * Built freestanding into the purgatory (regions are identity-mapped
 * physical memory) and hosted into the unit tests (regions point at host
 * buffers), so the loader's digest and this check are tested against each
 * other.
 */
#ifndef PG_VERIFY_H
#define PG_VERIFY_H

#include <stdint.h>

#include "purgatory.h"

/*
 * pg_verify_regions - hash every non-empty region in order and compare
 * @regions: PG_MAX_REGIONS entries; each is the memory [start, start + len),
 *           read through a pointer equal to start; len 0 entries are skipped
 * @want:    the expected digest
 * @got:     receives the computed digest
 * Returns 0 when the digests are equal, 1 when they differ.  Cannot fail
 * otherwise (an unreadable region is the caller's fault and faults).
 */
int pg_verify_regions(const struct pg_sha_region regions[PG_MAX_REGIONS], const uint8_t want[32],
		      uint8_t got[32]);

#endif
