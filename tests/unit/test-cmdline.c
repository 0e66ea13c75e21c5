/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-cmdline.c - --reuse-cmdline and --append. */
#include <stdlib.h>

#include "ctx.h"
#include "test.h"

static char *build(const char *running, const char *append, bool reuse, bool crash)
{
	struct kx_opts o = { .append = append, .reuse_cmdline = reuse };
	struct kx_machine m = { .cmdline = (char *)running };
	struct kx_ctx ctx = { .o = &o, .m = &m, .crash = crash };
	char *s;

	ASSERT_OK(kx_cmdline_build(&ctx, &s));
	return s;
}

struct cl_case {
	const char *running, *append;
	bool reuse, crash;
	const char *want;
};

TEST(reuse_and_append_table)
{
	static const struct cl_case cases[] = {
		{ "BOOT_IMAGE=/vmlinuz root=/dev/sda1 crashkernel=256M quiet", NULL, true, true, "root=/dev/sda1 quiet" },
		{ "BOOT_IMAGE=/vmlinuz root=/dev/sda1 crashkernel=256M quiet", NULL, true, false,
		  "root=/dev/sda1 crashkernel=256M quiet" },
		{ "crashkernel=256M,high crashkernel=128M,low ro", "nr_cpus=1", true, true, "ro nr_cpus=1" },
		{ "a  b   c", "d", true, false, "a b c d" },
		{ "root=x", "irqpoll", false, true, "irqpoll" },
		{ "root=x", NULL, false, true, "" },
		{ "", "x", true, true, "x" },
		{ "dyndbg=\"file a.c +p\" crashkernel=1G", NULL, true, true, "dyndbg=\"file a.c +p\"" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = build(cases[i].running, cases[i].append, cases[i].reuse, cases[i].crash);

		if (strcmp(s, cases[i].want))
			kt_fail(__FILE__, __LINE__, "case %zu: \"%s\" != \"%s\"", i, s, cases[i].want);
		free(s);
	}
}
