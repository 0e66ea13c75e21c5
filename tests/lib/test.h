/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test.h - a tiny table-driven test harness (systemd/libfdt style).
 *
 *   TEST(name) { ASSERT_EQ(...); }
 *
 * Every TEST registers itself; main() (tests/lib/test.c) runs them all, or
 * those named in TESTFUNCS=a:b, and prints one line per test:
 *   PASS: <binary>: <name>      or      FAIL: <binary>: <name>: <why>
 * (or SKIP: <binary>: <name>: <why>), then "<binary>: N passed, N failed" with
 * ", N skipped" when any were.  Exit 0 none failed, 1 any failed, 77 nothing
 * passed or failed (all skipped, or none selected), 99 harness error.
 * Tests that need files find the source tree in $KX_SRCDIR (default ".").
 */
#ifndef KX_TEST_H
#define KX_TEST_H

#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef void (*kt_fn)(void);
void kt_register(const char *name, kt_fn fn);
void kt_fail(const char *file, int line, const char *fmt, ...) __attribute__((noreturn, format(printf, 3, 4)));
/* KX_SRCDIR joined with @rel into a static buffer */
const char *kt_src(const char *rel);
/* a fresh empty temporary directory (removed at exit) */
const char *kt_tmpdir(void);
/* mark the running test skipped (printed as SKIP and counted apart from passes) */
void kt_skip(const char *why) __attribute__((noreturn));
/* @len bytes of @in as one gzip member into @out (tests/lib/kt-gzip.c; link zlib) */
size_t kt_gzip(const uint8_t *in, size_t len, uint8_t *out, size_t cap);

/* kx_machine.loaded for a machine a test builds by hand (nothing left to read) */
#define KT_MACHINE_ALL 0xffffu

#define TEST(name)                                                            \
	static void test_##name(void);                                        \
	__attribute__((constructor)) static void kt_reg_##name(void)          \
	{                                                                     \
		kt_register(#name, test_##name);                              \
	}                                                                     \
	static void test_##name(void)

#define ASSERT_TRUE(e) do { if (!(e)) kt_fail(__FILE__, __LINE__, "%s", #e); } while (0)
#define ASSERT_FALSE(e) ASSERT_TRUE(!(e))
#define ASSERT_EQ(a, b) do {                                                  \
	uint64_t _a = (uint64_t)(a), _b = (uint64_t)(b);                      \
	if (_a != _b)                                                         \
		kt_fail(__FILE__, __LINE__, "%s == %s: 0x%" PRIx64 " != 0x%" PRIx64, #a, #b, _a, _b); \
} while (0)
#define ASSERT_NE(a, b) do {                                                  \
	uint64_t _a = (uint64_t)(a), _b = (uint64_t)(b);                      \
	if (_a == _b)                                                         \
		kt_fail(__FILE__, __LINE__, "%s != %s: both 0x%" PRIx64, #a, #b, _a); \
} while (0)
#define ASSERT_OK(e) do {                                                     \
	long _r = (long)(e);                                                  \
	if (_r < 0)                                                           \
		kt_fail(__FILE__, __LINE__, "%s failed: %ld (%s)", #e, _r, strerror((int)-_r)); \
} while (0)
#define ASSERT_ERR(e, err) do {                                               \
	long _r = (long)(e);                                                  \
	if (_r != (long)(err))                                                \
		kt_fail(__FILE__, __LINE__, "%s: got %ld, want %ld (%s)", #e, _r, (long)(err), #err); \
} while (0)
#define ASSERT_STREQ(a, b) do {                                               \
	const char *_a = (a), *_b = (b);                                      \
	if (!_a || !_b || strcmp(_a, _b))                                     \
		kt_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a, #b, _a ? _a : "(null)", _b ? _b : "(null)"); \
} while (0)
#define ASSERT_CONTAINS(hay, needle) do {                                     \
	const char *_h = (hay), *_n = (needle);                               \
	if (!_h || !strstr(_h, _n))                                           \
		kt_fail(__FILE__, __LINE__, "\"%s\" does not contain \"%s\"", _h ? _h : "(null)", _n); \
} while (0)

#endif
