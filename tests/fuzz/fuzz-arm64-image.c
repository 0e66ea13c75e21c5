/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-arm64-image.c - libFuzzer target for the arm64 kernel formats: the
 * whole input goes to kx_arm64_unwrap (EFI zboot, vmlinux ELF; 4 MiB
 * output limit), to kx_arm64_image_parse, and to kx_kernel_version; what
 * unwrap returns is parsed as an Image too.  Every failure must be a
 * negative errno with a message (-ENOEXEC, "not this format", may have
 * none), never a crash.  Built and run by tests/fuzz/run-fuzz.sh.
 */
#include <stdlib.h>
#include <string.h>

#include "arch/arm64/image.h"
#include "kversion.h"

#define MAX_IMAGE (4u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must_have_message(int r, const struct kx_diag *d)
{
	if (r < 0 && r != -ENOEXEC && r != -ENOMEM && !d->msg[0])
		abort();	/* every failure must say what failed */
	if (r > 0)
		abort();
}

static void parse(const uint8_t *p, size_t n, unsigned page)
{
	struct kx_arm64_image img;
	struct kx_diag d = { 0 };
	int r = kx_arm64_image_parse(p, n, page, &img, &d);

	must_have_message(r, &d);
	if (r == 0 && (img.big_endian || img.text_offset >= (2u << 20) || (img.image_size && img.image_size < n) ||
		       kx_arm64_image_memsz(&img, n) < n || (img.pe_offset && img.pe_offset > n - 4)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kx_diag d = { 0 };
	const char *format = NULL;
	unsigned major, minor;
	uint8_t *out = NULL;
	size_t len = 0;
	char ver[16];
	int r;

	r = kx_arm64_unwrap(data, size, MAX_IMAGE, &out, &len, &format, &d);
	must_have_message(r, &d);
	if (r == 0) {
		if (!format || len > MAX_IMAGE || len < 64)
			abort();
		parse(out, len, 4096);
		free(out);
	}
	parse(data, size, 0);
	parse(data, size, 65536);
	r = kx_kernel_version(data, size, ver, sizeof(ver), &major, &minor);
	if (r == 0 && strlen(ver) >= sizeof(ver))
		abort();
	if (r < 0 && r != -ENOENT)
		abort();
	return 0;
}
