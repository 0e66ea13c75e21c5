/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * digest.h - the SHA-256 the loader computes for the purgatory (OpenSSL).
 *
 * The digest covers, in segment order, the bytes of every segment marked
 * in_digest: [mem, mem + bufsz), what the loader gave the kernel.  The zero
 * tail up to memsz is not hashed: it is scratch the next kernel clears or
 * overwrites itself (bss, the decompressor's init_size area), and hashing it
 * would cost ~60 MiB of SHA-256 per x86 kernel at load and again at crash
 * time.  (kexec_file_load and kexec-tools hash memsz.)  The purgatory
 * re-hashes the regions before booting (purgatory/verify.c) and must agree
 * bit for bit.
 */
#ifndef KX_DIGEST_H
#define KX_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "purgatory/purgatory.h"
#include "plan.h"
#include "util.h"

/*
 * kx_digest_segments - digest and region list of an array of segments
 * @seg/@n:  the segments, hashed in this order when in_digest is set
 * @regions: receives {mem, bufsz} of each hashed segment in order, unused
 *           entries zero (written only on success)
 * @digest:  receives the SHA-256 (written only on success)
 * @d:       names the failing segment
 * Returns 0, -E2BIG (more than PG_MAX_REGIONS segments in the digest),
 * -EINVAL (a hashed segment with bufsz > memsz, or bytes missing: buf NULL
 * with bufsz > 0), -ENOMEM, -EIO (OpenSSL failed).
 */
int kx_digest_segments(const struct kx_segment *seg, size_t n,
		       struct pg_sha_region regions[PG_MAX_REGIONS], uint8_t digest[32],
		       struct kx_diag *d);

/*
 * kx_digest_plan - kx_digest_segments() over @p's segments
 * Returns as kx_digest_segments(), plus -EINVAL for n_seg > KX_MAX_SEGMENTS.
 */
int kx_digest_plan(const struct kx_plan *p, struct pg_sha_region regions[PG_MAX_REGIONS],
		   uint8_t digest[32], struct kx_diag *d);

/*
 * kx_sha256 - one-shot SHA-256 of @len bytes at @buf (NULL allowed when @len is 0)
 * Returns 0, -EIO (OpenSSL failed).
 */
int kx_sha256(const void *buf, size_t len, uint8_t out[32]);

#endif
