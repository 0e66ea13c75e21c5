/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * zboot.c (arm64) - the EFI zboot image (CONFIG_EFI_ZBOOT, vmlinuz.efi):
 * a small PE decompressor whose DOS header carries, little-endian,
 *   0x00 "MZ"  0x04 "zimg"  0x08 payload offset (u32)  0x0c payload size (u32)
 *   0x10 reserved (2 x u32)  0x18 compression type (NUL-terminated, up to 0x38)
 * The payload is the compressed Image, padded with zeros to image_size.
 * Types the kernel's build writes: gzip, lz4, lzma, lzo, xzkern, zstd22.
 */
#include <ctype.h>
#include <string.h>

#include "decompress.h"
#include "image.h"

#define ZB_OFFSET 0x08
#define ZB_SIZE 0x0c
#define ZB_COMP 0x18
#define ZB_COMP_END 0x38
#define ZB_HDR_END 0x40

typedef int (*zb_decode)(const uint8_t *in, size_t inlen, size_t max, uint8_t **ret, size_t *ret_len);

struct zb_comp {
	const char *name;	/* as in the header */
	const char *format;	/* what kx_arm64_unwrap reports */
	zb_decode decode;	/* NULL: kexec-ng has no decoder */
	const char *package;	/* the Debian package a build needs to decode it */
};

static const struct zb_comp zb_comps[] = {
	{ "gzip", "zboot-gzip", kx_gunzip, "zlib1g-dev" },
	{ "zstd22", "zboot-zstd", kx_arm64_unzstd, "libzstd-dev" },
	{ "zstd", "zboot-zstd", kx_arm64_unzstd, "libzstd-dev" },
	{ "xzkern", "zboot-xz", kx_arm64_unxz, "liblzma-dev" },
	{ "xz", "zboot-xz", kx_arm64_unxz, "liblzma-dev" },
	{ "lzma", "zboot-lzma", kx_arm64_unlzma, "liblzma-dev" },
	{ "lz4", "zboot-lz4", NULL, NULL },
	{ "lzo", "zboot-lzo", NULL, NULL },
};

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* the printable, NUL-terminated compression name, or NULL */
static const char *comp_name(const uint8_t *buf, char name[ZB_COMP_END - ZB_COMP])
{
	size_t i;

	for (i = 0; i < ZB_COMP_END - ZB_COMP; i++) {
		uint8_t c = buf[ZB_COMP + i];

		name[i] = (char)c;
		if (!c)
			return i ? name : NULL;
		if (!isgraph(c))
			return NULL;
	}
	return NULL;
}

int kx_arm64_zboot_unwrap(const uint8_t *buf, size_t len, size_t max, uint8_t **out, size_t *out_len,
			  const char **format, struct kx_diag *d)
{
	char namebuf[ZB_COMP_END - ZB_COMP];
	const struct zb_comp *c = NULL;
	uint32_t off, size;
	const char *name;
	uint8_t *img = NULL;
	size_t img_len = 0, i;
	uint64_t end;
	int r;

	if (len < 8 || buf[0] != 'M' || buf[1] != 'Z' || memcmp(buf + 4, "zimg", 4))
		return -ENOEXEC;
	if (len < ZB_HDR_END) {
		static const struct { size_t end; const char *field; } f[] = {
			{ ZB_SIZE, "payload offset" }, { ZB_SIZE + 4, "payload size" },
			{ ZB_COMP_END, "compression type" }, { ZB_HDR_END, "PE header offset" },
		};

		for (i = 0; len >= f[i].end; i++)
			;
		return kx_diag_set(d, -EINVAL, "zboot: truncated header (%zu bytes): the %s field ends at 0x%zx", len,
				   f[i].field, f[i].end);
	}
	off = get_le32(buf + ZB_OFFSET);
	size = get_le32(buf + ZB_SIZE);
	name = comp_name(buf, namebuf);
	if (!name)
		return kx_diag_set(d, -EINVAL, "zboot: compression type at 0x%x is not a NUL-terminated name", ZB_COMP);
	if (off < ZB_HDR_END || !size)
		return kx_diag_set(d, -EINVAL, "zboot: payload offset 0x%x size 0x%x: %s", off, size,
				   size ? "inside the header" : "empty payload");
	end = (uint64_t)off + size;
	if (end > len)
		return kx_diag_set(d, -EINVAL, "zboot: payload offset 0x%x + size 0x%x = 0x%llx is past the end of the file (%zu bytes)",
				   off, size, (unsigned long long)end, len);
	for (i = 0; i < ARRAY_SIZE(zb_comps); i++)
		if (!strcmp(zb_comps[i].name, name))
			c = &zb_comps[i];
	if (!c)
		return kx_diag_set(d, -EOPNOTSUPP, "zboot: unknown compression type \"%s\"", name);
	if (!c->decode)
		return kx_diag_set(d, -EOPNOTSUPP,
				   "zboot: %s compression is not supported (kexec-ng decodes gzip, zstd, xz and lzma)", name);
	r = c->decode(buf + off, size, max, &img, &img_len);
	if (r == -EOPNOTSUPP)
		return kx_diag_set(d, r, "zboot: %s compression: kexec-ng was built without its library (rebuild with the Debian package %s installed)",
				   name, c->package);
	if (r == -EFBIG)
		return kx_diag_set(d, r, "zboot: the %s payload decompresses to more than %zu bytes", name, max);
	if (r == -EINVAL)
		return kx_diag_set(d, r, "zboot: corrupt or truncated %s payload (offset 0x%x, size 0x%x)", name, off, size);
	if (r < 0)
		return r;
	if (img_len < KX_ARM64_HDR_SIZE || get_le32(img + KX_ARM64_HDR_MAGIC) != KX_ARM64_IMAGE_MAGIC) {
		free(img);
		return kx_diag_set(d, -EINVAL, "zboot: the %s payload (%zu bytes) is not an arm64 Image (no ARM\\x64 magic at 0x38)",
				   name, img_len);
	}
	*out = img;
	*out_len = img_len;
	*format = c->format;
	return 0;
}
