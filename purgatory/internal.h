/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * internal.h - what the freestanding purgatory's files share: the patched
 * globals, the console helpers and the hooks each arch provides.  Never
 * included by hosted code.
 */
#ifndef PG_INTERNAL_H
#define PG_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "purgatory.h"

/*
 * The loader patches these in the relocated image, so they must be in a
 * PROGBITS section: never let the compiler move a zero value to .bss.
 */
#define PG_DATA __attribute__((section(".data")))
#define PG_NORETURN __attribute__((noreturn))

/* generic symbols (purgatory.c) */
extern struct pg_sha_region purgatory_sha_regions[PG_MAX_REGIONS];
extern uint8_t purgatory_sha256_digest[32];
extern uint8_t purgatory_skip_checks;
extern uint8_t purgatory_debug;

/*
 * pg_purgatory - the generic work before the next kernel runs
 * Verifies the SHA-256 regions unless purgatory_skip_checks is set.  On a
 * mismatch it reports on the console and never returns.
 */
void pg_purgatory(void);

/* console output (lib/print.c); silent when the arch has no console set */
void pg_puts(const char *s);
void pg_put_dec(uint64_t v);
void pg_put_hex(uint64_t v);
void pg_put_hex_bytes(const uint8_t *p, size_t n);

/* arch hooks (arch/<arch>/) */
void pg_arch_putc(char c);
PG_NORETURN void pg_arch_halt(void);

/* lib/string.c: the compiler may emit calls to these even with -fno-builtin */
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
