/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-selftest.c - a test program for the harness itself: one test that
 * passes, one that skips, one that fails.  tests/unit/test-harness runs it
 * with TESTFUNCS choosing a subset and checks the summary and exit code.
 * Not a test of its own (it is in check_PROGRAMS, not in TESTS).
 */
#include "test.h"

TEST(passes)
{
	ASSERT_EQ(1, 1);
}

TEST(skips)
{
	kt_skip("on purpose");
}

TEST(fails)
{
	ASSERT_EQ(1, 2);
}
