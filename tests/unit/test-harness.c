/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-harness.c - the harness (tests/lib/test.c) counts skips apart from
 * passes and exits the way automake's harness reads it: 0 none failed,
 * 1 some failed, 77 everything skipped.  It runs tests/lib/kt-selftest
 * (found through $KT_SELFTEST or under the current directory, the build
 * tree when run by make check).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

static char out[8192];

/* run kt-selftest with TESTFUNCS=@funcs; its stdout into out[]; the exit code */
static int run(const char *funcs)
{
	const char *bin = getenv("KT_SELFTEST");
	char cmd[1024];
	size_t n = 0, got;
	FILE *p;
	int st;

	if (!bin || !*bin)
		bin = "tests/lib/kt-selftest";
	if (access(bin, X_OK))
		kt_skip("tests/lib/kt-selftest not built (set KT_SELFTEST)");
	snprintf(cmd, sizeof(cmd), "TESTFUNCS='%s' '%s'", funcs, bin);
	p = popen(cmd, "r");
	ASSERT_TRUE(p);
	while ((got = fread(out + n, 1, sizeof(out) - 1 - n, p)) > 0)
		n += got;
	out[n] = '\0';
	st = pclose(p);
	ASSERT_TRUE(WIFEXITED(st));
	return WEXITSTATUS(st);
}

TEST(skip_is_not_a_pass)
{
	ASSERT_EQ(run("passes:skips"), 0);
	ASSERT_CONTAINS(out, "PASS: kt-selftest: passes\n");
	ASSERT_CONTAINS(out, "SKIP: kt-selftest: skips: on purpose\n");
	ASSERT_CONTAINS(out, "kt-selftest: 1 passed, 0 failed, 1 skipped\n");
}

TEST(all_skipped_exits_77)
{
	ASSERT_EQ(run("skips"), 77);
	ASSERT_CONTAINS(out, "kt-selftest: 0 passed, 0 failed, 1 skipped\n");
}

TEST(no_skip_no_skip_count)
{
	ASSERT_EQ(run("passes"), 0);
	ASSERT_CONTAINS(out, "kt-selftest: 1 passed, 0 failed\n");
	ASSERT_TRUE(!strstr(out, "skipped"));
}

TEST(a_failure_exits_1)
{
	ASSERT_EQ(run("passes:skips:fails"), 1);
	ASSERT_CONTAINS(out, "FAIL: kt-selftest: fails: ");
	ASSERT_CONTAINS(out, "kt-selftest: 1 passed, 1 failed, 1 skipped\n");
}

TEST(nothing_selected_exits_77)
{
	ASSERT_EQ(run("no_such_test"), 77);
	ASSERT_CONTAINS(out, "kt-selftest: 0 passed, 0 failed\n");
}
