/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * image.h (arm64) - the kernel file formats an arm64 kexec accepts, as pure
 * functions over buffers: the raw Image header (Documentation/arch/arm64/
 * booting.rst), and the two wrappers around an Image that are unwrapped
 * first: the EFI zboot PE (a compressed Image behind a small PE loader)
 * and the vmlinux ELF.  No I/O and no arch dependency: the x86_64 build's
 * unit tests and fuzz targets compile these files too.
 */
#ifndef KX_ARM64_IMAGE_H
#define KX_ARM64_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define KX_ARM64_IMAGE_MAGIC 0x644d5241u	/* "ARM\x64" at 0x38 */
#define KX_ARM64_HDR_SIZE 64
#define KX_ARM64_HDR_MAGIC 0x38
#define KX_ARM64_HDR_PE 0x3c
/* text_offset of the kernels before 3.17 (image_size == 0) */
#define KX_ARM64_OLD_TEXT_OFFSET 0x80000ULL

/* flags (header offset 0x18) */
#define KX_ARM64_FLAG_BE (1ULL << 0)
#define KX_ARM64_FLAG_PAGE_SHIFT 1
#define KX_ARM64_FLAG_PAGE_MASK 3ULL
#define KX_ARM64_FLAG_PHYS_ANYWHERE (1ULL << 3)
#define KX_ARM64_FLAG_RESERVED (~0xfULL)

struct kx_arm64_image {
	uint64_t text_offset;	/* header value; 0x80000 for a pre-3.17 image (image_size == 0) */
	uint64_t image_size;	/* header value; 0 = unknown (pre-3.17): see kx_arm64_image_memsz() */
	uint64_t flags;
	unsigned page_size;	/* 4096, 16384, 65536, or 0 (unspecified) */
	int big_endian;
	int phys_anywhere;	/* flags bit 3: any 2 MiB aligned base, not just near DRAM start */
	uint32_t pe_offset;	/* 0: no PE/EFI stub header ("MZ" and "PE\0\0" at res5) */
};

/*
 * kx_arm64_image_parse - check and decode the 64-byte header of a raw Image
 * @want_page_size: the page size the caller runs (0: don't care)
 * Returns 0 with *img filled, or:
 *   -ENOEXEC    shorter than the header, or no "ARM\x64" magic (no message: not an Image)
 *   -EINVAL     reserved flag bits (4-63) set; flags set with image_size 0; image_size smaller
 *               than @len; text_offset + image_size overflowing; text_offset not 4 KiB aligned
 *               or >= 2 MiB
 *   -EOPNOTSUPP a big-endian kernel; a page size other than @want_page_size
 * Every failure but the first -ENOEXEC fills @d naming the header field and its value.
 */
int kx_arm64_image_parse(const uint8_t *buf, size_t len, unsigned want_page_size, struct kx_arm64_image *img,
			 struct kx_diag *d);

/*
 * kx_arm64_image_memsz - the bytes to reserve from the Image's load address: image_size when
 * the header has one; for a pre-3.17 image (image_size 0, nothing says how big BSS and the
 * initial page tables are) twice @file_len rounded up to 2 MiB, at least 2 MiB.
 * Saturates at UINT64_MAX (kx_arm64_image_parse already refused overflowing headers).
 */
uint64_t kx_arm64_image_memsz(const struct kx_arm64_image *img, size_t file_len);

/*
 * kx_arm64_unwrap - turn a wrapped kernel file into the raw Image bytes
 *   EFI zboot ("MZ" at 0, "zimg" at 4): the payload at its header offset/size, decompressed by
 *     its compression type ("gzip" with zlib; "zstd22"/"zstd" with libzstd, "xzkern"/"xz" and
 *     "lzma" with liblzma when built with them; "lz4"/"lzo" never);
 *   vmlinux ELF (ELFCLASS64, EM_AARCH64, ET_EXEC or ET_DYN - a relocatable kernel is linked
 *     -shared): the PT_LOAD file contents laid out flat from the lowest p_paddr, gaps zeroed
 *     (what objcopy -O binary makes of it).
 * Either result must start with an Image header (the magic), else -EINVAL.
 * A raw gzip'd Image.gz is inflated by generic code before this; it is not handled here.
 * @max: refuse an Image larger than this
 * Returns 0 with *out (malloc'ed), *out_len and *format ("zboot-gzip", "zboot-zstd",
 * "zboot-xz", "zboot-lzma", "vmlinux"), or:
 *   -ENOEXEC    neither format (no message: the caller tries the raw Image header)
 *   -EINVAL     truncated or overflowing zboot fields, a corrupt payload, an ELF that is not an
 *               arm64 64-bit executable, segments outside the file or overlapping, no loadable
 *               segment, a result without the Image magic
 *   -EFBIG      the Image would be larger than @max
 *   -EOPNOTSUPP a compression this build has no decoder for (the message names the Debian
 *               package to build with), or one kexec-ng never decodes
 *   -ENOMEM
 */
int kx_arm64_unwrap(const uint8_t *buf, size_t len, size_t max, uint8_t **out, size_t *out_len,
		    const char **format, struct kx_diag *d);

/* the parts of kx_arm64_unwrap (same contract, each for its own format) */
int kx_arm64_zboot_unwrap(const uint8_t *buf, size_t len, size_t max, uint8_t **out, size_t *out_len,
			  const char **format, struct kx_diag *d);
int kx_arm64_vmlinux_unwrap(const uint8_t *buf, size_t len, size_t max, uint8_t **out, size_t *out_len,
			    struct kx_diag *d);

/*
 * kx_arm64_unzstd, kx_arm64_unxz, kx_arm64_unlzma - a whole zstd stream (every frame), .xz
 * stream, or legacy .lzma stream into a malloc'ed buffer of at most @max bytes.
 * Returns 0, -EINVAL (corrupt, truncated, trailing garbage), -EFBIG, -ENOMEM, or -EOPNOTSUPP
 * when built without the library (HAVE_ZSTD / HAVE_LZMA).
 */
int kx_arm64_unzstd(const uint8_t *in, size_t inlen, size_t max, uint8_t **ret, size_t *ret_len);
int kx_arm64_unxz(const uint8_t *in, size_t inlen, size_t max, uint8_t **ret, size_t *ret_len);
int kx_arm64_unlzma(const uint8_t *in, size_t inlen, size_t max, uint8_t **ret, size_t *ret_len);

#endif
