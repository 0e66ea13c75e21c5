/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * string.c - the memory functions a freestanding compiler may still call
 * (struct copies, large zero-initialisers).  Byte loops: the purgatory
 * barely uses them.
 *
 * The empty asm statements hide the loop's pointer from the optimiser, which
 * could otherwise recognise the loop as memset/memcpy and call itself.
 */
#include "internal.h"

#define OPAQUE(p) __asm__("" : "+r"(p))

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--) {
		OPAQUE(d);
		*d++ = *s++;
	}
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || !n)
		return dst;
	if ((uintptr_t)d < (uintptr_t)s) {
		while (n--) {
			OPAQUE(d);
			*d++ = *s++;
		}
	} else {
		d += n;
		s += n;
		while (n--) {
			OPAQUE(d);
			*--d = *--s;
		}
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--) {
		OPAQUE(d);
		*d++ = (unsigned char)c;
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}
