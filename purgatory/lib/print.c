/* SPDX-License-Identifier: GPL-2.0-or-later */
/* print.c - the few number formats the purgatory's messages need. */
#include "internal.h"

static const char hex_digits[] = "0123456789abcdef";

void pg_puts(const char *s)
{
	while (*s)
		pg_arch_putc(*s++);
}

void pg_put_dec(uint64_t v)
{
	char buf[21];
	unsigned n = 0;

	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		pg_arch_putc(buf[--n]);
}

void pg_put_hex(uint64_t v)
{
	int shift = 60;

	pg_puts("0x");
	/* no leading zeros, but at least one digit */
	while (shift > 0 && !((v >> shift) & 0xf))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		pg_arch_putc(hex_digits[(v >> shift) & 0xf]);
}

void pg_put_hex_bytes(const uint8_t *p, size_t n)
{
	while (n--) {
		pg_arch_putc(hex_digits[*p >> 4]);
		pg_arch_putc(hex_digits[*p & 0xf]);
		p++;
	}
}
