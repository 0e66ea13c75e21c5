/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-arm64-image.c - the arm64 kernel formats, on any host: the Image
 * header over every flags combination and its size/offset edges; EFI
 * zboot files built here around a compressed fake Image (gzip, zstd, xz
 * with the arm64 BCJ filter as the kernel's "xzkern", legacy lzma),
 * truncated at each header field, with payloads out of the file, unknown
 * or undecodable compressions and corrupt streams; a minimal vmlinux ELF
 * with two PT_LOADs; and the "Linux version" banner.
 */
#include "config.h"

#include <elf.h>
#include <stdlib.h>
#ifdef HAVE_ZSTD
#include <zstd.h>
#endif
#ifdef HAVE_LZMA
#include <lzma.h>
#endif

#include "arch/arm64/image.h"
#include "kversion.h"
#include "test.h"

#define MiB (1ULL << 20)

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* a 64-byte Image header */
static void hdr(uint8_t *b, uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
	memset(b, 0, 64);
	put64(b + 0x08, text_offset);
	put64(b + 0x10, image_size);
	put64(b + 0x18, flags);
	put32(b + 0x38, KX_ARM64_IMAGE_MAGIC);
}

/* ---- the Image header ---- */

TEST(image_every_flags_combination)
{
	static const uint64_t reserved[] = { 0, 1ULL << 4, 1ULL << 17, 1ULL << 63 };
	static const unsigned sizes[] = { 0, 4096, 16384, 65536 };
	static const unsigned wants[] = { 0, 4096, 65536 };
	unsigned be, pg, phys, res, w, n = 0;
	uint8_t b[4096];

	memset(b, 0xaa, sizeof(b));
	for (be = 0; be < 2; be++)
		for (pg = 0; pg < 4; pg++)
			for (phys = 0; phys < 2; phys++)
				for (res = 0; res < ARRAY_SIZE(reserved); res++)
					for (w = 0; w < ARRAY_SIZE(wants); w++) {
						uint64_t flags = be | pg << 1 | phys << 3 | reserved[res];
						struct kx_arm64_image img;
						struct kx_diag d = { 0 };
						int want, r;

						hdr(b, 0, 16 * MiB, flags);
						r = kx_arm64_image_parse(b, sizeof(b), wants[w], &img, &d);
						if (reserved[res])
							want = -EINVAL;
						else if (be)
							want = -EOPNOTSUPP;
						else if (wants[w] && sizes[pg] && sizes[pg] != wants[w])
							want = -EOPNOTSUPP;
						else
							want = 0;
						ASSERT_ERR(r, want);
						if (r < 0) {
							ASSERT_CONTAINS(d.msg, "flags 0x");
							continue;
						}
						n++;
						ASSERT_EQ(d.msg[0], 0);
						ASSERT_EQ(img.flags, flags);
						ASSERT_EQ(img.page_size, sizes[pg]);
						ASSERT_EQ(img.phys_anywhere, phys);
						ASSERT_EQ(img.big_endian, 0);
						ASSERT_EQ(img.image_size, 16 * MiB);
						ASSERT_EQ(img.text_offset, 0);
						ASSERT_EQ(img.pe_offset, 0);
					}
	ASSERT_EQ(n, 2 * (4 + 2 + 2));	/* phys x (want 0: any page | want 4K: 0,4K | want 64K: 0,64K) */
}

TEST(image_messages_name_the_field)
{
	struct kx_arm64_image img;
	struct kx_diag d = { 0 };
	uint8_t b[64];

	hdr(b, 0, MiB, 1);
	ASSERT_ERR(kx_arm64_image_parse(b, sizeof(b), 0, &img, &d), -EOPNOTSUPP);
	ASSERT_CONTAINS(d.msg, "big-endian");
	d = (struct kx_diag){ 0 };
	hdr(b, 0, MiB, 3 << 1);
	ASSERT_ERR(kx_arm64_image_parse(b, sizeof(b), 4096, &img, &d), -EOPNOTSUPP);
	ASSERT_CONTAINS(d.msg, "64 KiB pages, this system runs 4 KiB");
	d = (struct kx_diag){ 0 };
	hdr(b, 0, MiB, 1ULL << 40);
	ASSERT_ERR(kx_arm64_image_parse(b, sizeof(b), 0, &img, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "reserved bits");
}

TEST(image_pre_3_17_has_no_size_and_0x80000)
{
	struct kx_arm64_image img;
	struct kx_diag d = { 0 };
	uint8_t b[8192] = { 0 };

	/* flags 0, image_size 0: text_offset may be big-endian; 0x80000 by definition */
	hdr(b, 0x0000080000000000ULL, 0, 0);
	ASSERT_OK(kx_arm64_image_parse(b, sizeof(b), 4096, &img, &d));
	ASSERT_EQ(img.text_offset, KX_ARM64_OLD_TEXT_OFFSET);
	ASSERT_EQ(img.image_size, 0);
	ASSERT_EQ(img.page_size, 0);
	/* the documented fallback: twice the file rounded up to 2 MiB */
	ASSERT_EQ(kx_arm64_image_memsz(&img, sizeof(b)), 4 * MiB);
	ASSERT_EQ(kx_arm64_image_memsz(&img, 2 * MiB + 1), 8 * MiB);
	ASSERT_EQ(kx_arm64_image_memsz(&img, 0), 2 * MiB);
	ASSERT_EQ(kx_arm64_image_memsz(&img, SIZE_MAX), UINT64_MAX);
	img.image_size = 3 * MiB;
	ASSERT_EQ(kx_arm64_image_memsz(&img, sizeof(b)), 3 * MiB);

	/* image_size 0 with flags set: no kernel writes that */
	hdr(b, 0, 0, 1 << 1);
	ASSERT_ERR(kx_arm64_image_parse(b, sizeof(b), 0, &img, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "image_size is 0 but flags");
	d = (struct kx_diag){ 0 };
	hdr(b, 0, 0, 1 << 3);
	ASSERT_ERR(kx_arm64_image_parse(b, sizeof(b), 0, &img, &d), -EINVAL);
}

TEST(image_text_offset_edges)
{
	static const struct {
		uint64_t text_offset;
		int want;
	} t[] = {
		{ 0, 0 }, { 0x1000, 0 }, { 0x80000, 0 }, { 0x1ff000, 0 },
		{ 0x200000, -EINVAL }, { 0x201000, -EINVAL }, { 0x800, -EINVAL }, { 1, -EINVAL },
		{ 0x80001, -EINVAL }, { UINT64_MAX & ~0xfffULL, -EINVAL },
	};
	uint8_t b[4096] = { 0 };

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		struct kx_arm64_image img;
		struct kx_diag d = { 0 };

		hdr(b, t[i].text_offset, 8 * MiB, 1 << 1 | 1 << 3);
		ASSERT_ERR(kx_arm64_image_parse(b, sizeof(b), 0, &img, &d), t[i].want);
		if (t[i].want)
			ASSERT_CONTAINS(d.msg, "text_offset");
		else
			ASSERT_EQ(img.text_offset, t[i].text_offset);
	}
}

TEST(image_size_edges)
{
	struct kx_arm64_image img;
	struct kx_diag d = { 0 };
	uint8_t b[4096] = { 0 };

	hdr(b, 0, sizeof(b), 2);
	ASSERT_OK(kx_arm64_image_parse(b, sizeof(b), 0, &img, &d));	/* a zboot payload: padded to image_size */
	hdr(b, 0, sizeof(b) - 1, 2);
	ASSERT_ERR(kx_arm64_image_parse(b, sizeof(b), 0, &img, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "smaller than the file");
	d = (struct kx_diag){ 0 };
	hdr(b, 0x1000, UINT64_MAX - 0x10, 2);
	ASSERT_ERR(kx_arm64_image_parse(b, sizeof(b), 0, &img, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "overflows");
	d = (struct kx_diag){ 0 };
	hdr(b, 0, UINT64_MAX - MiB, 2);	/* no room left to round a base up */
	ASSERT_ERR(kx_arm64_image_parse(b, sizeof(b), 0, &img, &d), -EINVAL);
}

TEST(image_too_short_or_no_magic)
{
	struct kx_arm64_image img;
	uint8_t b[64];

	hdr(b, 0, MiB, 2);
	for (size_t len = 0; len < 64; len++) {
		struct kx_diag d = { 0 };

		ASSERT_ERR(kx_arm64_image_parse(b, len, 0, &img, &d), -ENOEXEC);
		ASSERT_EQ(d.msg[0], 0);	/* the caller tries other formats */
	}
	b[0x38] ^= 1;
	ASSERT_ERR(kx_arm64_image_parse(b, sizeof(b), 0, &img, NULL), -ENOEXEC);
}

TEST(image_pe_offset)
{
	struct kx_arm64_image img;
	uint8_t b[256] = { 0 };

	hdr(b, 0, MiB, 2);
	b[0] = 'M';
	b[1] = 'Z';
	put32(b + 0x3c, 0x40);
	memcpy(b + 0x40, "PE\0\0", 4);
	ASSERT_OK(kx_arm64_image_parse(b, sizeof(b), 0, &img, NULL));
	ASSERT_EQ(img.pe_offset, 0x40);
	put32(b + 0x3c, 0xfe);	/* "PE\0\0" would end past the buffer */
	ASSERT_OK(kx_arm64_image_parse(b, sizeof(b), 0, &img, NULL));
	ASSERT_EQ(img.pe_offset, 0);
	put32(b + 0x3c, 0xffffffff);
	ASSERT_OK(kx_arm64_image_parse(b, sizeof(b), 0, &img, NULL));
	ASSERT_EQ(img.pe_offset, 0);
	put32(b + 0x3c, 0x40);
	b[0] = 0;	/* no MZ: res5 means nothing */
	ASSERT_OK(kx_arm64_image_parse(b, sizeof(b), 0, &img, NULL));
	ASSERT_EQ(img.pe_offset, 0);
}

/* ---- EFI zboot ---- */

#define FAKE_FILE 150000	/* the Image's file part */
#define FAKE_SIZE 262144	/* image_size: vmlinux.bin is padded to it */
#define ZB_PAYLOAD 0x1000

static uint8_t fake[FAKE_SIZE];

/* an Image as the zboot build compresses it: header, contents, zeros up to image_size */
static void fake_image(void)
{
	hdr(fake, 0, FAKE_SIZE, 1 << 1 | 1 << 3);
	fake[0] = 'M';
	fake[1] = 'Z';
	for (size_t i = 64; i < FAKE_FILE; i++)
		fake[i] = (uint8_t)(i * 7 + i / 999);
	memcpy(fake + 0x1234, "Linux version 6.12.9-arm64 (debian-kernel@lists.debian.org) #1 SMP", 66);
}

#ifdef HAVE_ZSTD
static size_t zst(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	size_t r = ZSTD_compress(out, cap, in, len, 19);

	ASSERT_FALSE(ZSTD_isError(r));
	return r;
}
#endif

#ifdef HAVE_LZMA
/* xz as the kernel's xz_wrap.sh makes it for arm64: CRC32 check, ARM64 BCJ then LZMA2 */
static size_t xz(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	lzma_options_lzma opt;
	lzma_filter f[] = {
		{ .id = LZMA_FILTER_ARM64, .options = NULL },
		{ .id = LZMA_FILTER_LZMA2, .options = &opt },
		{ .id = LZMA_VLI_UNKNOWN, .options = NULL },
	};
	size_t pos = 0;

	ASSERT_FALSE(lzma_lzma_preset(&opt, 6));
	ASSERT_EQ(lzma_stream_buffer_encode(f, LZMA_CHECK_CRC32, NULL, in, len, out, &pos, cap), LZMA_OK);
	return pos;
}

static size_t lzma_alone(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_options_lzma opt;

	ASSERT_FALSE(lzma_lzma_preset(&opt, 6));
	ASSERT_EQ(lzma_alone_encoder(&s, &opt), LZMA_OK);
	s.next_in = in;
	s.avail_in = len;
	s.next_out = out;
	s.avail_out = cap;
	ASSERT_EQ(lzma_code(&s, LZMA_FINISH), LZMA_STREAM_END);
	len = cap - s.avail_out;
	lzma_end(&s);
	return len;
}
#endif

/*
 * A zboot file into @f: the DOS header, "PE\0\0" at 0x40, the payload at ZB_PAYLOAD, the
 * 4-byte size the build appends (outside payload_size), some trailing padding.
 */
static size_t zboot(uint8_t *f, size_t cap, const char *comp, const uint8_t *payload, size_t plen)
{
	size_t n = ZB_PAYLOAD + plen + 4 + 512;

	ASSERT_TRUE(n <= cap);
	memset(f, 0, n);
	f[0] = 'M';
	f[1] = 'Z';
	memcpy(f + 4, "zimg", 4);
	put32(f + 8, ZB_PAYLOAD);
	put32(f + 12, (uint32_t)plen);
	strcpy((char *)f + 0x18, comp);
	put32(f + 0x38, 0x644d5241);	/* arm64 zboot keeps the Image magic in its DOS header too */
	put32(f + 0x3c, 0x40);
	memcpy(f + 0x40, "PE\0\0", 4);
	memcpy(f + ZB_PAYLOAD, payload, plen);
	put32(f + ZB_PAYLOAD + plen, FAKE_SIZE);
	return n;
}

static uint8_t zfile[FAKE_SIZE + 0x10000], zpay[FAKE_SIZE + 0x1000];

typedef size_t (*compressor)(const uint8_t *in, size_t len, uint8_t *out, size_t cap);

static const struct {
	const char *comp, *format;
	compressor c;
} comps[] = {
	{ "gzip", "zboot-gzip", kt_gzip },
#ifdef HAVE_ZSTD
	{ "zstd22", "zboot-zstd", zst },
	{ "zstd", "zboot-zstd", zst },
#endif
#ifdef HAVE_LZMA
	{ "xzkern", "zboot-xz", xz },
	{ "lzma", "zboot-lzma", lzma_alone },
#endif
};

static size_t zboot_of(size_t i, size_t *plen)
{
	fake_image();
	*plen = comps[i].c(fake, FAKE_SIZE, zpay, sizeof(zpay));
	return zboot(zfile, sizeof(zfile), comps[i].comp, zpay, *plen);
}

TEST(zboot_each_compression_gives_the_image)
{
	for (size_t i = 0; i < ARRAY_SIZE(comps); i++) {
		struct kx_arm64_image img;
		struct kx_diag d = { 0 };
		const char *format = NULL;
		size_t plen, n = zboot_of(i, &plen), len;
		uint8_t *out;

		ASSERT_OK(kx_arm64_unwrap(zfile, n, 64 * MiB, &out, &len, &format, &d));
		ASSERT_STREQ(format, comps[i].format);
		ASSERT_EQ(len, FAKE_SIZE);
		ASSERT_EQ(memcmp(out, fake, FAKE_SIZE), 0);
		ASSERT_OK(kx_arm64_image_parse(out, len, 4096, &img, &d));
		ASSERT_EQ(img.image_size, FAKE_SIZE);
		free(out);
		/* the exact limit is fine, one byte less is -EFBIG */
		ASSERT_OK(kx_arm64_unwrap(zfile, n, FAKE_SIZE, &out, &len, &format, &d));
		free(out);
		ASSERT_ERR(kx_arm64_unwrap(zfile, n, FAKE_SIZE - 1, &out, &len, &format, &d), -EFBIG);
		ASSERT_CONTAINS(d.msg, "more than");
	}
}

TEST(zboot_without_zstd_or_lzma_names_the_package)
{
#if defined(HAVE_ZSTD) && defined(HAVE_LZMA)
	kt_skip("built with libzstd and liblzma");
#else
	static const uint8_t junk[64] = { 1, 2, 3 };
	struct kx_diag d = { 0 };
	const char *format;
	uint8_t *out;
	size_t len, n;

#ifndef HAVE_ZSTD
	n = zboot(zfile, sizeof(zfile), "zstd22", junk, sizeof(junk));
	ASSERT_ERR(kx_arm64_unwrap(zfile, n, 64 * MiB, &out, &len, &format, &d), -EOPNOTSUPP);
	ASSERT_CONTAINS(d.msg, "libzstd-dev");
	d = (struct kx_diag){ 0 };
#endif
#ifndef HAVE_LZMA
	n = zboot(zfile, sizeof(zfile), "xzkern", junk, sizeof(junk));
	ASSERT_ERR(kx_arm64_unwrap(zfile, n, 64 * MiB, &out, &len, &format, &d), -EOPNOTSUPP);
	ASSERT_CONTAINS(d.msg, "liblzma-dev");
#endif
#endif
}

TEST(zboot_lz4_lzo_and_unknown_are_refused_by_name)
{
	static const char *const names[] = { "lz4", "lzo", "bzip3", "zstd23" };
	static const uint8_t junk[64] = { 1, 2, 3 };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		struct kx_diag d = { 0 };
		const char *format;
		uint8_t *out;
		size_t len, n = zboot(zfile, sizeof(zfile), names[i], junk, sizeof(junk));

		ASSERT_ERR(kx_arm64_unwrap(zfile, n, 64 * MiB, &out, &len, &format, &d), -EOPNOTSUPP);
		ASSERT_CONTAINS(d.msg, names[i]);
	}
}

TEST(zboot_truncated_at_each_field)
{
	static const struct {
		size_t len;
		int want;
		const char *field;
	} t[] = {
		{ 0, -ENOEXEC, NULL }, { 2, -ENOEXEC, NULL }, { 7, -ENOEXEC, NULL },
		{ 8, -EINVAL, "payload offset" }, { 11, -EINVAL, "payload offset" },
		{ 12, -EINVAL, "payload size" }, { 15, -EINVAL, "payload size" },
		{ 16, -EINVAL, "compression type" }, { 0x18, -EINVAL, "compression type" },
		{ 0x37, -EINVAL, "compression type" }, { 0x38, -EINVAL, "PE header offset" },
		{ 0x3f, -EINVAL, "PE header offset" },
		{ 0x40, -EINVAL, "past the end" }, { ZB_PAYLOAD + 10, -EINVAL, "past the end" },
	};
	size_t plen, n = zboot_of(0, &plen);

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		struct kx_diag d = { 0 };
		const char *format;
		uint8_t *out;
		size_t len;

		ASSERT_TRUE(t[i].len < n);
		ASSERT_ERR(kx_arm64_unwrap(zfile, t[i].len, 64 * MiB, &out, &len, &format, &d), t[i].want);
		if (t[i].field)
			ASSERT_CONTAINS(d.msg, t[i].field);
		else
			ASSERT_EQ(d.msg[0], 0);
	}
}

TEST(zboot_payload_outside_the_file)
{
	static const struct {
		uint32_t off, size;
		const char *why;
	} t[] = {
		{ 0xffffffff, 0xffffffff, "past the end" },	/* wraps in 32 bits */
		{ 0x80000000, 0x80000001, "past the end" },
		{ ZB_PAYLOAD, 0xffffffff, "past the end" },
		{ 0xfffffff0, 0x20, "past the end" },
		{ 0x10, 0x100, "inside the header" },
		{ 0, 0x100, "inside the header" },
		{ ZB_PAYLOAD, 0, "empty" },
	};
	size_t plen, n = zboot_of(0, &plen);

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		struct kx_diag d = { 0 };
		const char *format;
		uint8_t *out;
		size_t len;

		put32(zfile + 8, t[i].off);
		put32(zfile + 12, t[i].size);
		ASSERT_ERR(kx_arm64_unwrap(zfile, n, 64 * MiB, &out, &len, &format, &d), -EINVAL);
		ASSERT_CONTAINS(d.msg, t[i].why);
	}
	/* exactly to the end of the file is fine */
	put32(zfile + 8, ZB_PAYLOAD);
	put32(zfile + 12, (uint32_t)plen);
	{
		const char *format;
		uint8_t *out;
		size_t len;

		ASSERT_OK(kx_arm64_unwrap(zfile, ZB_PAYLOAD + plen, 64 * MiB, &out, &len, &format, NULL));
		free(out);
	}
}

TEST(zboot_bad_compression_name)
{
	size_t plen, n = zboot_of(0, &plen);
	struct kx_diag d = { 0 };
	const char *format;
	uint8_t *out;
	size_t len;

	memset(zfile + 0x18, 'A', 0x38 - 0x18);	/* no NUL before 0x38 */
	ASSERT_ERR(kx_arm64_unwrap(zfile, n, 64 * MiB, &out, &len, &format, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "compression type");
	d = (struct kx_diag){ 0 };
	memset(zfile + 0x18, 0, 0x38 - 0x18);	/* empty */
	ASSERT_ERR(kx_arm64_unwrap(zfile, n, 64 * MiB, &out, &len, &format, &d), -EINVAL);
	d = (struct kx_diag){ 0 };
	memcpy(zfile + 0x18, "gz\x01p", 5);	/* unprintable */
	ASSERT_ERR(kx_arm64_unwrap(zfile, n, 64 * MiB, &out, &len, &format, &d), -EINVAL);
}

TEST(zboot_corrupt_or_truncated_payload)
{
	for (size_t i = 0; i < ARRAY_SIZE(comps); i++) {
		const char *format;
		uint8_t *out;
		size_t len, plen, n;
		struct kx_diag d = { 0 };

		/* cut short */
		n = zboot_of(i, &plen);
		put32(zfile + 12, (uint32_t)(plen - 9));
		ASSERT_ERR(kx_arm64_unwrap(zfile, n, 64 * MiB, &out, &len, &format, &d), -EINVAL);
		ASSERT_CONTAINS(d.msg, comps[i].comp);
		ASSERT_CONTAINS(d.msg, "corrupt or truncated");
		/* flipped bytes in the middle (the checksums catch what decoding does not) */
		d = (struct kx_diag){ 0 };
		n = zboot_of(i, &plen);
		for (size_t j = plen / 2; j < plen / 2 + 16; j++)
			zfile[ZB_PAYLOAD + j] ^= 0x5a;
		ASSERT_ERR(kx_arm64_unwrap(zfile, n, 64 * MiB, &out, &len, &format, &d), -EINVAL);
		/* a payload of another kind's header entirely */
		d = (struct kx_diag){ 0 };
		n = zboot_of(i, &plen);
		memset(zfile + ZB_PAYLOAD, 0x42, 32);
		ASSERT_ERR(kx_arm64_unwrap(zfile, n, 64 * MiB, &out, &len, &format, &d), -EINVAL);
	}
}

TEST(zboot_payload_that_is_not_an_image)
{
	static uint8_t other[4096];
	struct kx_diag d = { 0 };
	const char *format;
	uint8_t *out;
	size_t len, plen, n;

	memset(other, 0x11, sizeof(other));	/* a riscv or loongarch zboot would look like this */
	plen = kt_gzip(other, sizeof(other), zpay, sizeof(zpay));
	n = zboot(zfile, sizeof(zfile), "gzip", zpay, plen);
	ASSERT_ERR(kx_arm64_unwrap(zfile, n, 64 * MiB, &out, &len, &format, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "not an arm64 Image");
	d = (struct kx_diag){ 0 };
	plen = kt_gzip(other, 10, zpay, sizeof(zpay));	/* shorter than a header */
	n = zboot(zfile, sizeof(zfile), "gzip", zpay, plen);
	ASSERT_ERR(kx_arm64_unwrap(zfile, n, 64 * MiB, &out, &len, &format, &d), -EINVAL);
}

TEST(unwrap_leaves_other_files_alone)
{
	struct kx_diag d = { 0 };
	const char *format;
	uint8_t *out, b[4096] = { 0 };
	size_t len;

	hdr(b, 0, MiB, 2);	/* a raw Image, even with an EFI stub's "MZ" */
	b[0] = 'M';
	b[1] = 'Z';
	ASSERT_ERR(kx_arm64_unwrap(b, sizeof(b), 64 * MiB, &out, &len, &format, &d), -ENOEXEC);
	ASSERT_ERR(kx_arm64_unwrap(b, 0, 64 * MiB, &out, &len, &format, &d), -ENOEXEC);
	b[0] = 0x1f;	/* gzip is the generic code's */
	b[1] = 0x8b;
	ASSERT_ERR(kx_arm64_unwrap(b, sizeof(b), 64 * MiB, &out, &len, &format, &d), -ENOEXEC);
	ASSERT_EQ(d.msg[0], 0);
}

/* ---- vmlinux ---- */

#define VM_BASE 0xffff800080000000ULL
#define VM_SEG1 0x3000	/* the first segment's file bytes */
#define VM_GAP 0x1000	/* between the segments, in memory only */
#define VM_SEG2 0x800

static uint8_t velf[0x10000];

/* an ELF64 arm64 vmlinux: 2 PT_LOADs (text with the Image header, data + BSS), one PT_NOTE */
static size_t vmlinux(uint16_t type, uint16_t machine)
{
	Elf64_Ehdr *e = (Elf64_Ehdr *)velf;
	Elf64_Phdr *ph = (Elf64_Phdr *)(velf + sizeof(*e));
	size_t off1 = 0x1000, off2 = off1 + VM_SEG1;

	memset(velf, 0, sizeof(velf));
	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = ELFCLASS64;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_ident[EI_VERSION] = EV_CURRENT;
	e->e_type = type;
	e->e_machine = machine;
	e->e_version = EV_CURRENT;
	e->e_entry = VM_BASE;
	e->e_phoff = sizeof(*e);
	e->e_ehsize = sizeof(*e);
	e->e_phentsize = sizeof(*ph);
	e->e_phnum = 3;
	ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = off1, .p_vaddr = VM_BASE,
			      .p_paddr = VM_BASE, .p_filesz = VM_SEG1, .p_memsz = VM_SEG1, .p_align = 0x10000 };
	ph[1] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = off1 + 0x100, .p_filesz = 0x20, .p_memsz = 0x20 };
	ph[2] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = off2,
			      .p_vaddr = VM_BASE + VM_SEG1 + VM_GAP, .p_paddr = VM_BASE + VM_SEG1 + VM_GAP,
			      .p_filesz = VM_SEG2, .p_memsz = VM_SEG2 + 0x5000, .p_align = 0x10000 };
	hdr(velf + off1, 0, VM_SEG1 + VM_GAP + VM_SEG2 + 0x5000, 1 << 1 | 1 << 3);
	for (size_t i = 64; i < VM_SEG1; i++)
		velf[off1 + i] = (uint8_t)(i * 3 + 1);
	for (size_t i = 0; i < VM_SEG2; i++)
		velf[off2 + i] = (uint8_t)(i * 5 + 2);
	return off2 + VM_SEG2;
}

TEST(vmlinux_two_loads_laid_out_flat)
{
	static const uint16_t types[] = { ET_EXEC, ET_DYN };

	for (size_t t = 0; t < ARRAY_SIZE(types); t++) {
		struct kx_arm64_image img;
		struct kx_diag d = { 0 };
		const char *format = NULL;
		size_t n = vmlinux(types[t], EM_AARCH64), len, i;
		uint8_t *out;

		ASSERT_OK(kx_arm64_unwrap(velf, n, 64 * MiB, &out, &len, &format, &d));
		ASSERT_STREQ(format, "vmlinux");
		ASSERT_EQ(len, VM_SEG1 + VM_GAP + VM_SEG2);
		ASSERT_EQ(memcmp(out, velf + 0x1000, VM_SEG1), 0);
		for (i = 0; i < VM_GAP; i++)
			ASSERT_EQ(out[VM_SEG1 + i], 0);
		ASSERT_EQ(memcmp(out + VM_SEG1 + VM_GAP, velf + 0x1000 + VM_SEG1, VM_SEG2), 0);
		ASSERT_OK(kx_arm64_image_parse(out, len, 0, &img, &d));
		free(out);
		ASSERT_ERR(kx_arm64_unwrap(velf, n, len - 1, &out, &len, &format, &d), -EFBIG);
	}
}

TEST(vmlinux_segment_order_does_not_matter)
{
	Elf64_Phdr *ph = (Elf64_Phdr *)(velf + sizeof(Elf64_Ehdr)), t;
	size_t n = vmlinux(ET_EXEC, EM_AARCH64), len;
	uint8_t *out;
	const char *format;

	t = ph[0];
	ph[0] = ph[2];
	ph[2] = t;
	ASSERT_OK(kx_arm64_unwrap(velf, n, 64 * MiB, &out, &len, &format, NULL));
	ASSERT_EQ(len, VM_SEG1 + VM_GAP + VM_SEG2);
	ASSERT_EQ(memcmp(out, velf + 0x1000, VM_SEG1), 0);
	free(out);
}

TEST(vmlinux_refusals)
{
	Elf64_Ehdr *e = (Elf64_Ehdr *)velf;
	Elf64_Phdr *ph = (Elf64_Phdr *)(velf + sizeof(*e));
	struct kx_diag d;
	const char *format;
	uint8_t *out;
	size_t n, len;

#define REFUSED(err, what) do {                                                            \
		d = (struct kx_diag){ 0 };                                                 \
		ASSERT_ERR(kx_arm64_unwrap(velf, n, 64 * MiB, &out, &len, &format, &d), err); \
		ASSERT_CONTAINS(d.msg, what);                                              \
	} while (0)

	n = vmlinux(ET_EXEC, EM_X86_64);
	REFUSED(-EINVAL, "EM_AARCH64");
	n = vmlinux(ET_REL, EM_AARCH64);
	REFUSED(-EINVAL, "e_type 1");
	n = vmlinux(ET_EXEC, EM_AARCH64);
	velf[EI_CLASS] = ELFCLASS32;
	REFUSED(-EINVAL, "64-bit little-endian");
	n = vmlinux(ET_EXEC, EM_AARCH64);
	velf[EI_DATA] = ELFDATA2MSB;
	REFUSED(-EINVAL, "64-bit little-endian");
	n = vmlinux(ET_EXEC, EM_AARCH64);
	ph[0].p_type = PT_NULL;
	ph[2].p_type = PT_NOTE;
	REFUSED(-EINVAL, "no PT_LOAD");
	n = vmlinux(ET_EXEC, EM_AARCH64);
	e->e_phnum = 0;
	REFUSED(-EINVAL, "no PT_LOAD");
	n = vmlinux(ET_EXEC, EM_AARCH64);
	ph[2].p_filesz = 0x10000;
	ph[2].p_memsz = 0x10000;
	REFUSED(-EINVAL, "past the end of the file");
	n = vmlinux(ET_EXEC, EM_AARCH64);
	ph[2].p_offset = UINT64_MAX - 0x10;
	REFUSED(-EINVAL, "past the end of the file");
	n = vmlinux(ET_EXEC, EM_AARCH64);
	ph[2].p_memsz = 0x10;	/* filesz > memsz */
	REFUSED(-EINVAL, "inconsistent");
	n = vmlinux(ET_EXEC, EM_AARCH64);
	ph[2].p_paddr = UINT64_MAX - 0x100;
	REFUSED(-EINVAL, "inconsistent");
	n = vmlinux(ET_EXEC, EM_AARCH64);
	ph[2].p_paddr = VM_BASE + 0x2000;
	REFUSED(-EINVAL, "overlaps");
	n = vmlinux(ET_EXEC, EM_AARCH64);
	velf[0x1000 + 0x38] = 0;
	REFUSED(-EINVAL, "Image header");
	n = vmlinux(ET_EXEC, EM_AARCH64);
	ph[0].p_paddr = VM_BASE - 0x40000000000ULL;	/* a sparse layout asks for a huge buffer */
	REFUSED(-EFBIG, "span");
	n = vmlinux(ET_EXEC, EM_AARCH64);
	e->e_phoff = n - 8;	/* program headers past the end */
	d = (struct kx_diag){ 0 };
	ASSERT_ERR(kx_arm64_unwrap(velf, n, 64 * MiB, &out, &len, &format, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "vmlinux");
	n = vmlinux(ET_EXEC, EM_AARCH64);
	for (size_t cut = 4; cut < sizeof(Elf64_Ehdr) + 3 * sizeof(Elf64_Phdr); cut += 7) {
		d = (struct kx_diag){ 0 };
		ASSERT_ERR(kx_arm64_unwrap(velf, cut, 64 * MiB, &out, &len, &format, &d), -EINVAL);
		ASSERT_CONTAINS(d.msg, "vmlinux");
	}
#undef REFUSED
}

/* ---- the kernel version banner ---- */

TEST(kernel_version_banner)
{
	static const struct {
		const char *buf;
		int want;
		const char *ver;
		unsigned major, minor;
	} t[] = {
		{ "xx\0Linux version 6.1.0-18-arm64 (debian-kernel@lists.debian.org) #1 SMP", 0, "6.1.0-18-arm64", 6, 1 },
		{ "Linux version 7.3.0 (x)", 0, "7.3.0", 7, 3 },
		{ "Linux version 3.16.7\n", 0, "3.16.7", 3, 16 },
		{ "Linux version 5.10.0", 0, "5.10.0", 5, 10 },	/* ends the buffer */
		{ "Linux version %s\0Linux version 6.12.9+rpt-rpi-2712 #1", 0, "6.12.9+rpt-rpi-2712", 6, 12 },
		{ "Linux version 99999999999999.1", 0, "99999999999999.1", 100000 * 10 + 9, 1 },
		{ "no banner here", -ENOENT, NULL, 0, 0 },
		{ "", -ENOENT, NULL, 0, 0 },
		{ "Linux version ", -ENOENT, NULL, 0, 0 },
		{ "Linux version 6", -ENOENT, NULL, 0, 0 },
		{ "Linux version 6.", -ENOENT, NULL, 0, 0 },
		{ "Linux version 6.x", -ENOENT, NULL, 0, 0 },
		{ "Linux version .1", -ENOENT, NULL, 0, 0 },
		{ "Linux versio 6.1", -ENOENT, NULL, 0, 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		const char *b = t[i].buf;
		size_t len = strlen(b);
		unsigned major = 0, minor = 0;
		char ver[64];

		if (!strncmp(b, "xx", 2) || !strncmp(b, "Linux version %s", 16))
			len += 1 + strlen(b + len + 1);	/* the cases with a NUL inside */
		ASSERT_ERR(kx_kernel_version((const uint8_t *)b, len, ver, sizeof(ver), &major, &minor), t[i].want);
		if (t[i].want)
			continue;
		ASSERT_STREQ(ver, t[i].ver);
		if (t[i].major < 100000)
			ASSERT_EQ(major, t[i].major);
		ASSERT_EQ(minor, t[i].minor);
	}
}

TEST(kernel_version_truncated_token_and_buffers)
{
	static const char b[] = "Linux version 6.1.0-18-arm64 (gcc)";
	char ver[6];
	unsigned major;

	ASSERT_OK(kx_kernel_version((const uint8_t *)b, sizeof(b) - 1, ver, sizeof(ver), &major, NULL));
	ASSERT_STREQ(ver, "6.1.0");
	ASSERT_EQ(major, 6);
	ASSERT_OK(kx_kernel_version((const uint8_t *)b, sizeof(b) - 1, NULL, 0, NULL, NULL));
	/* the buffer ends inside the release: what is there */
	ASSERT_OK(kx_kernel_version((const uint8_t *)b, 19, ver, sizeof(ver), NULL, NULL));
	ASSERT_STREQ(ver, "6.1.0");
	ASSERT_ERR(kx_kernel_version((const uint8_t *)b, 15, ver, sizeof(ver), NULL, NULL), -ENOENT);
	/* in the unwrapped fake Image */
	fake_image();
	ASSERT_OK(kx_kernel_version(fake, FAKE_SIZE, ver, sizeof(ver), &major, NULL));
	ASSERT_STREQ(ver, "6.12.");
}
