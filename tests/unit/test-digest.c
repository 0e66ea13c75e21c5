/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-digest.c - the loader's digest (kexec/digest.c, OpenSSL) and the
 * purgatory's check (purgatory/verify.c, built hosted) over the same bytes.
 *
 * A fake plan's segments are "loaded" into host buffers (bytes, then the
 * zero tail up to memsz, as the kernel copies them); the purgatory's region
 * list is pointed at those buffers, so verify.c reads exactly what it would
 * read from physical memory.
 */
#include <stdlib.h>

#include <openssl/evp.h>

#include "digest.h"
#include "sha256.h"
#include "test.h"
#include "verify.h"

/*
 * struct fake - a plan plus what the kernel would have put in memory
 * @img: per segment, memsz bytes: buf then zeros
 */
struct fake {
	struct kx_plan p;
	uint8_t *img[KX_MAX_SEGMENTS];
};

static void fill_random(uint8_t *p, size_t n, uint64_t seed)
{
	uint64_t s = seed | 1;
	size_t i;

	for (i = 0; i < n; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		p[i] = (uint8_t)(s >> 32);
	}
}

static void fake_add(struct fake *f, enum kx_seg_role role, size_t bufsz, uint64_t memsz, uint64_t mem,
		     bool in_digest)
{
	struct kx_segment *s = &f->p.seg[f->p.n_seg];
	uint8_t *buf = malloc(bufsz ? bufsz : 1);

	ASSERT_TRUE(buf);
	fill_random(buf, bufsz, mem + bufsz);
	s->role = role;
	s->buf = buf;
	s->bufsz = bufsz;
	s->owned = true;
	s->mem = mem;
	s->memsz = memsz;
	s->in_digest = in_digest;
	f->img[f->p.n_seg] = calloc(1, memsz ? memsz : 1);
	ASSERT_TRUE(f->img[f->p.n_seg]);
	memcpy(f->img[f->p.n_seg], buf, bufsz);
	f->p.n_seg++;
}

static void fake_done(struct fake *f)
{
	size_t i;

	for (i = 0; i < f->p.n_seg; i++)
		free(f->img[i]);
	kx_plan_done(&f->p);
}

/*
 * kernel 10000 B in 16 KiB, setup exactly 3 pages, purgatory (never hashed),
 * initrd 100 B in one page: three regions, in plan order.
 */
static void fake_typical(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	kx_plan_init(&f->p);
	fake_add(f, KX_SEG_KERNEL, 10000, 16384, 0x1000000, true);
	fake_add(f, KX_SEG_SETUP, 3 * 4096, 3 * 4096, 0x90000, true);
	fake_add(f, KX_SEG_PURGATORY, 8192, 8192 + 16384, 0x7f000000, false);
	fake_add(f, KX_SEG_INITRD, 100, 4096, 0x2000000, true);
}

/* The purgatory's view: regions pointing at the host images. */
static void host_regions(const struct fake *f, const struct pg_sha_region *phys,
			 struct pg_sha_region *host)
{
	size_t i, j;

	memset(host, 0, sizeof(*host) * PG_MAX_REGIONS);
	for (i = 0; i < PG_MAX_REGIONS && phys[i].len; i++) {
		for (j = 0; j < f->p.n_seg; j++)
			if (f->p.seg[j].mem == phys[i].start)
				break;
		ASSERT_TRUE(j < f->p.n_seg);
		ASSERT_EQ(phys[i].len, f->p.seg[j].bufsz);	/* the zero tail is not hashed */
		host[i].start = (uint64_t)(uintptr_t)f->img[j];
		host[i].len = phys[i].len;
	}
}

TEST(plan_digest_is_sha256_of_loaded_bytes)
{
	struct fake f;
	struct pg_sha_region reg[PG_MAX_REGIONS];
	struct kx_diag d = { 0 };
	uint8_t dg[32], want[32];
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned int len;
	size_t i;

	fake_typical(&f);
	ASSERT_OK(kx_digest_plan(&f.p, reg, dg, &d));

	ASSERT_TRUE(c);
	ASSERT_EQ(EVP_DigestInit_ex(c, EVP_sha256(), NULL), 1);
	for (i = 0; i < f.p.n_seg; i++)
		if (f.p.seg[i].in_digest)
			ASSERT_EQ(EVP_DigestUpdate(c, f.img[i], f.p.seg[i].bufsz), 1);
	ASSERT_EQ(EVP_DigestFinal_ex(c, want, &len), 1);
	EVP_MD_CTX_free(c);
	ASSERT_TRUE(!memcmp(dg, want, 32));
	fake_done(&f);
}

TEST(regions_in_plan_order_skip_not_in_digest)
{
	struct fake f;
	struct pg_sha_region reg[PG_MAX_REGIONS];
	uint8_t dg[32];
	size_t i;

	fake_typical(&f);
	ASSERT_OK(kx_digest_plan(&f.p, reg, dg, NULL));
	ASSERT_EQ(reg[0].start, 0x1000000);
	ASSERT_EQ(reg[0].len, 10000);	/* bufsz: the zero tail is not hashed */
	ASSERT_EQ(reg[1].start, 0x90000);
	ASSERT_EQ(reg[1].len, 3 * 4096);
	/* the purgatory segment is not there: the initrd follows the setup */
	ASSERT_EQ(reg[2].start, 0x2000000);
	ASSERT_EQ(reg[2].len, 100);
	for (i = 3; i < PG_MAX_REGIONS; i++) {
		ASSERT_EQ(reg[i].start, 0);
		ASSERT_EQ(reg[i].len, 0);
	}
	fake_done(&f);
}

TEST(purgatory_verify_agrees)
{
	struct fake f;
	struct pg_sha_region reg[PG_MAX_REGIONS], host[PG_MAX_REGIONS];
	uint8_t dg[32], got[32];

	fake_typical(&f);
	ASSERT_OK(kx_digest_plan(&f.p, reg, dg, NULL));
	host_regions(&f, reg, host);
	ASSERT_EQ(pg_verify_regions(host, dg, got), 0);
	ASSERT_TRUE(!memcmp(got, dg, 32));
	fake_done(&f);
}

TEST(purgatory_verify_catches_flipped_byte)
{
	struct fake f;
	struct pg_sha_region reg[PG_MAX_REGIONS], host[PG_MAX_REGIONS];
	uint8_t dg[32], got[32];

	fake_typical(&f);
	ASSERT_OK(kx_digest_plan(&f.p, reg, dg, NULL));
	host_regions(&f, reg, host);

	/* in the bytes */
	f.img[0][5000] ^= 0x01;
	ASSERT_EQ(pg_verify_regions(host, dg, got), 1);
	ASSERT_TRUE(memcmp(got, dg, 32));
	f.img[0][5000] ^= 0x01;
	ASSERT_EQ(pg_verify_regions(host, dg, got), 0);

	/* in the initrd's last byte */
	f.img[3][99] ^= 0x80;
	ASSERT_EQ(pg_verify_regions(host, dg, got), 1);
	f.img[3][99] ^= 0x80;
	/* the zero tail past bufsz is the next kernel's scratch: not covered */
	f.img[3][4095] = 0x80;
	ASSERT_EQ(pg_verify_regions(host, dg, got), 0);
	f.img[3][4095] = 0;

	/* a segment outside the digest may change freely */
	f.img[2][0] ^= 0xff;
	ASSERT_EQ(pg_verify_regions(host, dg, got), 0);
	fake_done(&f);
}

TEST(purgatory_verify_catches_region_change)
{
	struct fake f;
	struct pg_sha_region reg[PG_MAX_REGIONS], host[PG_MAX_REGIONS];
	uint8_t dg[32], got[32];

	fake_typical(&f);
	ASSERT_OK(kx_digest_plan(&f.p, reg, dg, NULL));
	host_regions(&f, reg, host);
	host[2].len -= 1;
	ASSERT_EQ(pg_verify_regions(host, dg, got), 1);
	fake_done(&f);
}

TEST(empty_plan_is_digest_of_nothing)
{
	struct kx_plan p;
	struct pg_sha_region reg[PG_MAX_REGIONS], zero[PG_MAX_REGIONS];
	uint8_t dg[32], want[32], got[32];

	kx_plan_init(&p);
	memset(reg, 0xaa, sizeof(reg));
	memset(zero, 0, sizeof(zero));
	ASSERT_OK(kx_digest_plan(&p, reg, dg, NULL));
	ASSERT_TRUE(!memcmp(reg, zero, sizeof(reg)));
	pg_sha256(NULL, 0, want);
	ASSERT_TRUE(!memcmp(dg, want, 32));
	/* and the purgatory accepts an empty region list with that digest */
	ASSERT_EQ(pg_verify_regions(reg, dg, got), 0);
	kx_plan_done(&p);
}

TEST(seventeen_digest_segments_e2big)
{
	struct kx_segment seg[17];
	struct pg_sha_region reg[PG_MAX_REGIONS], before[PG_MAX_REGIONS];
	struct kx_diag d = { 0 };
	uint8_t dg[32], dg_before[32];
	static uint8_t page[4096];
	size_t i;

	memset(seg, 0, sizeof(seg));
	for (i = 0; i < 17; i++) {
		seg[i].role = KX_SEG_INITRD;
		seg[i].buf = page;
		seg[i].bufsz = sizeof(page);
		seg[i].mem = 0x100000 * (i + 1);
		seg[i].memsz = sizeof(page);
		seg[i].in_digest = true;
	}
	memset(reg, 0x5a, sizeof(reg));
	memset(dg, 0x5a, sizeof(dg));
	memcpy(before, reg, sizeof(reg));
	memcpy(dg_before, dg, sizeof(dg));
	ASSERT_ERR(kx_digest_segments(seg, 17, reg, dg, &d), -E2BIG);
	ASSERT_EQ(d.err, -E2BIG);
	ASSERT_CONTAINS(d.msg, "more than 16");
	/* outputs untouched on failure */
	ASSERT_TRUE(!memcmp(reg, before, sizeof(reg)));
	ASSERT_TRUE(!memcmp(dg, dg_before, sizeof(dg)));

	/* 16 in the digest plus one outside it is fine */
	seg[7].in_digest = false;
	ASSERT_OK(kx_digest_segments(seg, 17, reg, dg, NULL));
	ASSERT_EQ(reg[15].start, 0x100000 * 17);
	ASSERT_EQ(reg[7].start, 0x100000 * 9);
}

TEST(plan_with_too_many_segments_einval)
{
	struct kx_plan p;
	struct pg_sha_region reg[PG_MAX_REGIONS];
	uint8_t dg[32];

	kx_plan_init(&p);
	p.n_seg = KX_MAX_SEGMENTS + 1;
	ASSERT_ERR(kx_digest_plan(&p, reg, dg, NULL), -EINVAL);
}

TEST(bad_segments_einval)
{
	struct kx_segment s;
	struct pg_sha_region reg[PG_MAX_REGIONS];
	struct kx_diag d = { 0 };
	uint8_t dg[32], b[8] = { 0 };

	memset(&s, 0, sizeof(s));
	s.role = KX_SEG_KERNEL;
	s.buf = b;
	s.bufsz = 8;
	s.memsz = 4;
	s.in_digest = true;
	ASSERT_ERR(kx_digest_segments(&s, 1, reg, dg, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "kernel");

	s.memsz = 4096;
	s.buf = NULL;
	ASSERT_ERR(kx_digest_segments(&s, 1, reg, dg, NULL), -EINVAL);

	/* not hashed: not checked either */
	s.in_digest = false;
	ASSERT_OK(kx_digest_segments(&s, 1, reg, dg, NULL));
}

TEST(large_zero_tail_is_not_hashed)
{
	/* 64 MiB of zero tail is hashed without allocating it */
	static uint8_t zero[65536];
	struct kx_segment s;
	struct pg_sha_region reg[PG_MAX_REGIONS];
	struct pg_sha256 c;
	uint8_t dg[32], want[32], head[100];
	uint64_t left;

	fill_random(head, sizeof(head), 11);
	memset(&s, 0, sizeof(s));
	s.buf = head;
	s.bufsz = sizeof(head);
	s.mem = 0x40000000;
	s.memsz = 64ULL << 20;
	s.in_digest = true;
	ASSERT_OK(kx_digest_segments(&s, 1, reg, dg, NULL));

	/* only the bytes given are hashed: the 64 MiB zero tail is the kernel's scratch */
	pg_sha256_init(&c);
	pg_sha256_update(&c, head, sizeof(head));
	pg_sha256_final(&c, want);
	ASSERT_TRUE(!memcmp(dg, want, 32));
	ASSERT_EQ(reg[0].len, sizeof(head));
	(void)left;
	(void)zero;
}

TEST(kx_sha256_matches_purgatory_sha256)
{
	uint8_t buf[5000], a[32], b[32];
	size_t n;

	fill_random(buf, sizeof(buf), 5);
	for (n = 0; n <= sizeof(buf); n += 333) {
		ASSERT_OK(kx_sha256(buf, n, a));
		pg_sha256(buf, n, b);
		ASSERT_TRUE(!memcmp(a, b, 32));
	}
	ASSERT_OK(kx_sha256(NULL, 0, a));
	pg_sha256(NULL, 0, b);
	ASSERT_TRUE(!memcmp(a, b, 32));
}
