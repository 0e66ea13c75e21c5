/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * image.c (arm64) - the raw Image header (64 bytes, little-endian) and the
 * choice between the wrapped formats (zboot.c, vmlinux.c).
 *   0x00 code0  0x04 code1  0x08 text_offset  0x10 image_size  0x18 flags
 *   0x20-0x37 reserved  0x38 magic "ARM\x64"  0x3c PE header offset
 */
#include <string.h>

#include "image.h"

#define SZ_2M (2ULL << 20)

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_le64(const uint8_t *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

/* res5 names a PE header only behind an "MZ" code0 and when "PE\0\0" is really there */
static uint32_t pe_header(const uint8_t *buf, size_t len)
{
	uint32_t off = get_le32(buf + KX_ARM64_HDR_PE);

	if (buf[0] != 'M' || buf[1] != 'Z' || off < KX_ARM64_HDR_SIZE || off > len || len - off < 4 ||
	    memcmp(buf + off, "PE\0\0", 4))
		return 0;
	return off;
}

int kx_arm64_image_parse(const uint8_t *buf, size_t len, unsigned want_page_size, struct kx_arm64_image *img,
			 struct kx_diag *d)
{
	static const unsigned page_sizes[] = { 0, 4096, 16384, 65536 };
	struct kx_arm64_image h = { 0 };
	uint64_t end;

	if (len < KX_ARM64_HDR_SIZE || get_le32(buf + KX_ARM64_HDR_MAGIC) != KX_ARM64_IMAGE_MAGIC)
		return -ENOEXEC;
	h.text_offset = get_le64(buf + 0x08);
	h.image_size = get_le64(buf + 0x10);
	h.flags = get_le64(buf + 0x18);
	h.big_endian = !!(h.flags & KX_ARM64_FLAG_BE);
	h.page_size = page_sizes[(h.flags >> KX_ARM64_FLAG_PAGE_SHIFT) & KX_ARM64_FLAG_PAGE_MASK];
	h.phys_anywhere = !!(h.flags & KX_ARM64_FLAG_PHYS_ANYWHERE);
	h.pe_offset = pe_header(buf, len);

	if (h.flags & KX_ARM64_FLAG_RESERVED)
		return kx_diag_set(d, -EINVAL, "arm64 Image: flags 0x%llx: reserved bits 4-63 set (0x%llx)",
				   (unsigned long long)h.flags, (unsigned long long)(h.flags & KX_ARM64_FLAG_RESERVED));
	if (h.big_endian)
		return kx_diag_set(d, -EOPNOTSUPP, "arm64 Image: flags 0x%llx: a big-endian kernel (bit 0) is not supported",
				   (unsigned long long)h.flags);
	if (!h.image_size) {
		/* before 3.17: no flags, no size, text_offset 0x80000 in the kernel's endianness */
		if (h.flags)
			return kx_diag_set(d, -EINVAL, "arm64 Image: image_size is 0 but flags is 0x%llx (flags came with image_size in 3.17)",
					   (unsigned long long)h.flags);
		h.text_offset = KX_ARM64_OLD_TEXT_OFFSET;
	} else {
		if (h.text_offset & (KX_PAGE_SIZE - 1) || h.text_offset >= SZ_2M)
			return kx_diag_set(d, -EINVAL,
					   "arm64 Image: text_offset 0x%llx is not a 4 KiB aligned offset below 2 MiB",
					   (unsigned long long)h.text_offset);
		if (__builtin_add_overflow(h.text_offset, h.image_size, &end) || end > UINT64_MAX - SZ_2M)
			return kx_diag_set(d, -EINVAL, "arm64 Image: text_offset 0x%llx + image_size 0x%llx overflows",
					   (unsigned long long)h.text_offset, (unsigned long long)h.image_size);
		if (h.image_size < len)
			return kx_diag_set(d, -EINVAL, "arm64 Image: image_size 0x%llx is smaller than the file (%zu bytes)",
					   (unsigned long long)h.image_size, len);
	}
	if (want_page_size && h.page_size && h.page_size != want_page_size)
		return kx_diag_set(d, -EOPNOTSUPP,
				   "arm64 Image: flags 0x%llx: built for %u KiB pages, this system runs %u KiB pages",
				   (unsigned long long)h.flags, h.page_size / 1024, want_page_size / 1024);
	*img = h;
	return 0;
}

uint64_t kx_arm64_image_memsz(const struct kx_arm64_image *img, size_t file_len)
{
	uint64_t r;

	if (img->image_size)
		return img->image_size;
	if (!kx_align_up(file_len, SZ_2M, &r) || r > UINT64_MAX / 2)
		return UINT64_MAX;
	return r ? 2 * r : SZ_2M;
}

int kx_arm64_unwrap(const uint8_t *buf, size_t len, size_t max, uint8_t **out, size_t *out_len,
		    const char **format, struct kx_diag *d)
{
	int r;

	if (len >= 8 && buf[0] == 'M' && buf[1] == 'Z' && !memcmp(buf + 4, "zimg", 4))
		return kx_arm64_zboot_unwrap(buf, len, max, out, out_len, format, d);
	if (len >= 4 && !memcmp(buf, "\177ELF", 4)) {
		r = kx_arm64_vmlinux_unwrap(buf, len, max, out, out_len, d);
		if (r == 0)
			*format = "vmlinux";
		return r;
	}
	return -ENOEXEC;
}
