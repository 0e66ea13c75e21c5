/* SPDX-License-Identifier: GPL-2.0-or-later */
/* digest.c - SHA-256 of the plan's digest segments, with OpenSSL EVP. */
#include <string.h>

#include <openssl/evp.h>

#include "digest.h"

_Static_assert(sizeof(struct pg_sha_region) == 16, "pg_sha_region is two u64");

/* kx_sha256() of nothing still needs a valid pointer */
static const uint8_t zero_page[1];

static void md_ctx_freep(EVP_MD_CTX **c)
{
	EVP_MD_CTX_free(*c);
}

int kx_digest_segments(const struct kx_segment *seg, size_t n,
		       struct pg_sha_region regions[PG_MAX_REGIONS], uint8_t digest[32],
		       struct kx_diag *d)
{
	_cleanup_(md_ctx_freep) EVP_MD_CTX *c = NULL;
	struct pg_sha_region out[PG_MAX_REGIONS];
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	size_t i, used = 0;

	memset(out, 0, sizeof(out));
	for (i = 0; i < n; i++) {
		const struct kx_segment *s = &seg[i];

		if (!s->in_digest)
			continue;
		if (used == PG_MAX_REGIONS)
			return kx_diag_set(d, -E2BIG, "digest: more than %d segments to hash (segment %zu, %s)",
					   PG_MAX_REGIONS, i, kx_seg_role_name(s->role));
		if (s->bufsz > s->memsz || (!s->buf && s->bufsz))
			return kx_diag_set(d, -EINVAL, "digest: segment %zu (%s): bufsz %zu, memsz %llu, buf %p",
					   i, kx_seg_role_name(s->role), s->bufsz,
					   (unsigned long long)s->memsz, s->buf);
		out[used].start = s->mem;
		out[used].len = s->bufsz;
		used++;
	}

	c = EVP_MD_CTX_new();
	if (!c)
		return kx_diag_set(d, -ENOMEM, "digest: OpenSSL: cannot allocate a digest context");
	if (EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1)
		return kx_diag_set(d, -EIO, "digest: OpenSSL: SHA-256 init failed");
	for (i = 0; i < n; i++) {
		const struct kx_segment *s = &seg[i];

		if (!s->in_digest)
			continue;
		if (s->bufsz && EVP_DigestUpdate(c, s->buf, s->bufsz) != 1)
			return kx_diag_set(d, -EIO, "digest: OpenSSL: hashing segment %zu (%s) failed",
					   i, kx_seg_role_name(s->role));
	}
	if (EVP_DigestFinal_ex(c, md, &dlen) != 1 || dlen != 32)
		return kx_diag_set(d, -EIO, "digest: OpenSSL: SHA-256 final failed");
	memcpy(digest, md, 32);
	memcpy(regions, out, sizeof(out));
	return 0;
}

int kx_digest_plan(const struct kx_plan *p, struct pg_sha_region regions[PG_MAX_REGIONS],
		   uint8_t digest[32], struct kx_diag *d)
{
	if (p->n_seg > KX_MAX_SEGMENTS)
		return kx_diag_set(d, -EINVAL, "digest: plan has %zu segments, more than %d",
				   p->n_seg, KX_MAX_SEGMENTS);
	return kx_digest_segments(p->seg, p->n_seg, regions, digest, d);
}

int kx_sha256(const void *buf, size_t len, uint8_t out[32])
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;

	if (EVP_Digest(len ? buf : zero_page, len, md, &dlen, EVP_sha256(), NULL) != 1 || dlen != 32)
		return -EIO;
	memcpy(out, md, 32);
	return 0;
}
