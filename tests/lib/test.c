/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test.c - the harness main(): run registered tests, print PASS/FAIL lines. */
#include <errno.h>
#include <ftw.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"

struct kt_case {
	const char *name;
	kt_fn fn;
};

static struct kt_case cases[512];
static size_t n_cases;
static jmp_buf kt_jmp;
static char kt_msg[1024];
static int kt_skipped;
static char tmp_root[256];

void kt_register(const char *name, kt_fn fn)
{
	if (n_cases == sizeof(cases) / sizeof(cases[0])) {
		fprintf(stderr, "too many tests\n");
		exit(99);
	}
	cases[n_cases].name = name;
	cases[n_cases].fn = fn;
	n_cases++;
}

void kt_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(kt_msg, sizeof(kt_msg), "%s:%d: ", file, line);

	va_start(ap, fmt);
	vsnprintf(kt_msg + n, sizeof(kt_msg) - n, fmt, ap);
	va_end(ap);
	longjmp(kt_jmp, 1);
}

void kt_skip(const char *why)
{
	snprintf(kt_msg, sizeof(kt_msg), "%s", why);
	kt_skipped = 1;
	longjmp(kt_jmp, 1);
}

const char *kt_src(const char *rel)
{
	static char buf[4][4096];
	static int i;
	const char *top = getenv("KX_SRCDIR");

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", top && *top ? top : ".", rel);
	return buf[i];
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	return remove(p);
}

static void rm_tmp(void)
{
	if (tmp_root[0])
		nftw(tmp_root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *kt_tmpdir(void)
{
	static char dir[300];
	static int seq;

	if (!tmp_root[0]) {
		snprintf(tmp_root, sizeof(tmp_root), "/tmp/kx-test-XXXXXX");
		if (!mkdtemp(tmp_root)) {
			perror("mkdtemp");
			exit(99);
		}
		atexit(rm_tmp);
	}
	snprintf(dir, sizeof(dir), "%s/%d", tmp_root, ++seq);
	if (mkdir(dir, 0700) < 0) {
		perror("mkdir");
		exit(99);
	}
	return dir;
}

static int selected(const char *name)
{
	const char *sel = getenv("TESTFUNCS");
	size_t n = strlen(name);
	const char *p;

	if (!sel || !*sel)
		return 1;
	for (p = sel; p; p = strchr(p, ':')) {
		if (*p == ':')
			p++;
		if (!strncmp(p, name, n) && (p[n] == ':' || !p[n]))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *prog = basename(argv[0]);
	volatile size_t i;
	volatile int pass = 0, fail = 0, skip = 0;

	(void)argc;
	for (i = 0; i < n_cases; i++) {
		if (!selected(cases[i].name))
			continue;
		kt_msg[0] = 0;
		kt_skipped = 0;
		if (!setjmp(kt_jmp)) {
			cases[i].fn();
			printf("PASS: %s: %s\n", prog, cases[i].name);
			pass++;
		} else if (kt_skipped) {
			printf("SKIP: %s: %s: %s\n", prog, cases[i].name, kt_msg);
			skip++;
		} else {
			printf("FAIL: %s: %s: %s\n", prog, cases[i].name, kt_msg);
			fail++;
		}
		fflush(stdout);
	}
	if (skip)
		printf("%s: %d passed, %d failed, %d skipped\n", prog, pass, fail, skip);
	else
		printf("%s: %d passed, %d failed\n", prog, pass, fail);
	/* automake's harness: 77 = skipped (nothing ran, or everything skipped) */
	if (!pass && !fail)
		return 77;
	return fail ? 1 : 0;
}
