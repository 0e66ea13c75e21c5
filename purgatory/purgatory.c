/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * purgatory.c - the arch-independent part of the purgatory: check that the
 * segments the loader hashed are still intact before the next kernel runs.
 */
#include "internal.h"
#include "verify.h"

/* Patched by the loader; purgatory.h gives their names and exact sizes. */
struct pg_sha_region purgatory_sha_regions[PG_MAX_REGIONS] PG_DATA;
uint8_t purgatory_sha256_digest[32] PG_DATA;
uint8_t purgatory_skip_checks PG_DATA;
uint8_t purgatory_debug PG_DATA;

#define PFX "kexec-ng purgatory: "

static void report_mismatch(const uint8_t got[32])
{
	unsigned i;

	pg_puts(PFX "SHA-256 mismatch: loaded segments changed since kexec computed the digest: not booting\n");
	for (i = 0; i < PG_MAX_REGIONS; i++) {
		const struct pg_sha_region *r = &purgatory_sha_regions[i];

		if (!r->len)
			continue;
		pg_puts(PFX "  region ");
		pg_put_dec(i);
		pg_puts(" [");
		pg_put_hex(r->start);
		pg_puts(", ");
		pg_put_hex(r->start + r->len);
		pg_puts(")\n");
	}
	pg_puts(PFX "  want ");
	pg_put_hex_bytes(purgatory_sha256_digest, 32);
	pg_puts("\n" PFX "  got  ");
	pg_put_hex_bytes(got, 32);
	pg_puts("\n");
}

void pg_purgatory(void)
{
	uint8_t got[32];

	if (purgatory_debug)
		pg_puts(PFX "entered\n");
	if (purgatory_skip_checks) {
		if (purgatory_debug)
			pg_puts(PFX "checks skipped\n");
		return;
	}
	if (pg_verify_regions(purgatory_sha_regions, purgatory_sha256_digest, got)) {
		report_mismatch(got);
		pg_arch_halt();
	}
	if (purgatory_debug)
		pg_puts(PFX "digest ok\n");
}
