/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kversion.c - the kernel release from the "Linux version " banner. */
#include <errno.h>
#include <string.h>

#include "kversion.h"

#define BANNER "Linux version "
/* longer than any release string: a run of printable bytes this long is not one */
#define MAX_RELEASE 128

/* "<digits>" into *v (capped, no overflow); returns the bytes read, 0 if none */
static size_t digits(const uint8_t *p, size_t len, unsigned *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < len && p[i] >= '0' && p[i] <= '9'; i++)
		if (*v < 100000)
			*v = *v * 10 + (p[i] - '0');
	return i;
}

static int is_release_byte(uint8_t c)
{
	return c > ' ' && c < 0x7f;
}

int kx_kernel_version(const uint8_t *buf, size_t len, char *ver, size_t n, unsigned *major, unsigned *minor)
{
	const size_t bl = sizeof(BANNER) - 1;
	const uint8_t *p = buf, *end = buf + len;

	while (p && (size_t)(end - p) > bl) {
		const uint8_t *r, *hit = memmem(p, end - p, BANNER, bl);
		size_t a, b, tok;
		unsigned maj, min;

		if (!hit)
			break;
		r = hit + bl;
		p = hit + 1;
		a = digits(r, end - r, &maj);
		if (!a || r + a >= end || r[a] != '.')
			continue;
		b = digits(r + a + 1, end - (r + a + 1), &min);
		if (!b)
			continue;
		for (tok = 0; r + tok < end && tok < MAX_RELEASE && is_release_byte(r[tok]); tok++)
			;
		if (n) {
			size_t c = tok < n - 1 ? tok : n - 1;

			memcpy(ver, r, c);
			ver[c] = 0;
		}
		if (major)
			*major = maj;
		if (minor)
			*minor = min;
		return 0;
	}
	return -ENOENT;
}
