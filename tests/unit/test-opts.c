/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-opts.c - the command line: kexec-tools spellings, order-independent meaning. */
#include "opts.h"
#include "test.h"
#include "util.h"

static int parse(struct kx_opts *o, struct kx_diag *d, int argc, const char **argv)
{
	*d = (struct kx_diag){ 0 };
	return kx_opts_parse(o, argc, (char **)argv, d);
}

#define ARGS(...) (const char *[]){ "kexec", __VA_ARGS__, NULL }
#define NARGS(...) (int)(sizeof((const char *[]){ "kexec", __VA_ARGS__ }) / sizeof(char *))

/* The steps a run takes, as a word: u(nload) l(oad) e(xec) s(hutdown), crash marked "p". */
static const char *steps(const struct kx_opts *o)
{
	static char buf[8];
	char *p = buf;

	if (o->action != KX_ACT_RUN)
		return "-";
	if (o->do_unload)
		*p++ = 'u';
	if (o->do_load)
		*p++ = 'l';
	if (o->do_exec)
		*p++ = 'e';
	if (o->do_shutdown)
		*p++ = 's';
	if (o->crash)
		*p++ = 'p';
	*p = 0;
	return buf;
}

/*
 * kexec-tools' rule: each of -l -p -u -e -f sets every step when seen, so
 * the last one wins; -p marks the run a crash one wherever it stands.
 */
TEST(step_options_last_wins)
{
	static const struct {
		const char *args[4];
		const char *want;
	} rows[] = {
		{ { "k" }, "ls" },			/* bare: load, then shutdown -r */
		{ { "-l", "k" }, "l" },
		{ { "-p", "k" }, "lp" },
		{ { "-e" }, "e" },
		{ { "-f", "k" }, "le" },		/* load and exec at once */
		{ { "-l", "-e", "k" }, "e" },		/* -e last: exec only */
		{ { "-e", "-l", "k" }, "l" },		/* -l last: load only */
		{ { "-l", "-u" }, "u" },
		{ { "-u", "-l", "k" }, "ul" },		/* unload, then load k */
		{ { "-u", "-e" }, "ue" },		/* unload, then exec (fails: nothing loaded) */
		{ { "-e", "-u" }, "ue" },		/* -u clears only load and shutdown */
		{ { "-p", "-u" }, "up" },
		{ { "-u", "-p" }, "up" },		/* deliberate: kexec-tools unloads, then fails "No kernel" */
		{ { "-u", "-p", "k" }, "ulp" },		/* with a kernel: unload, then load it */
		{ { "-p", "-e" }, "ep" },
		{ { "-p", "-l", "k" }, "lp" },		/* -p's crash flag stays, as kexec_flags does */
		{ { "-l", "-f", "k" }, "le" },
		{ { "-f", "-l", "k" }, "l" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		const char *argv[6] = { "kexec" };
		struct kx_opts o;
		struct kx_diag d;
		int n = 1, k;

		for (k = 0; k < 4 && rows[i].args[k]; k++)
			argv[n++] = rows[i].args[k];
		argv[n] = NULL;
		ASSERT_OK(parse(&o, &d, n, argv));
		if (strcmp(steps(&o), rows[i].want))
			kt_fail(__FILE__, __LINE__, "row %zu (%s %s %s): steps \"%s\", want \"%s\"", i, rows[i].args[0],
				rows[i].args[1] ? rows[i].args[1] : "", rows[i].args[2] ? rows[i].args[2] : "",
				steps(&o), rows[i].want);
	}
}

/* SUSE appends -a to KEXEC_OPTIONS, Fedora appends -s: the last syscall option wins. */
TEST(syscall_options_last_wins)
{
	struct kx_opts o;
	struct kx_diag d;

	ASSERT_OK(parse(&o, &d, NARGS("-c", "-p", "k", "-a"), ARGS("-c", "-p", "k", "-a")));
	ASSERT_EQ(o.sysmode, KX_SYS_AUTO);
	ASSERT_OK(parse(&o, &d, NARGS("-c", "-s"), ARGS("-c", "-s")));
	ASSERT_EQ(o.sysmode, KX_SYS_FILE_ONLY);
	ASSERT_OK(parse(&o, &d, NARGS("-s", "-c"), ARGS("-s", "-c")));
	ASSERT_EQ(o.sysmode, KX_SYS_LOAD_ONLY);
	ASSERT_OK(parse(&o, &d, NARGS("-a", "-s", "-a"), ARGS("-a", "-s", "-a")));
	ASSERT_EQ(o.sysmode, KX_SYS_AUTO);
	ASSERT_OK(parse(&o, &d, NARGS("-p"), ARGS("-p")));
	ASSERT_EQ(o.sysmode, KX_SYS_AUTO);	/* the default */
}

TEST(load_panic_with_files)
{
	struct kx_opts o;
	struct kx_diag d;

	ASSERT_OK(parse(&o, &d, NARGS("-p", "/boot/vmlinuz", "--initrd=/i", "--append=a b", "-s", "-d"),
			ARGS("-p", "/boot/vmlinuz", "--initrd=/i", "--append=a b", "-s", "-d")));
	ASSERT_STREQ(steps(&o), "lp");
	ASSERT_STREQ(o.kernel, "/boot/vmlinuz");
	ASSERT_STREQ(o.initrd, "/i");
	ASSERT_STREQ(o.append, "a b");
	ASSERT_EQ(o.sysmode, KX_SYS_FILE_ONLY);
	ASSERT_TRUE(o.debug);
	/* synonyms, last wins */
	ASSERT_OK(parse(&o, &d, NARGS("-l", "--command-line=x", "--append=y", "--ramdisk", "/r", "k"),
			ARGS("-l", "--command-line=x", "--append=y", "--ramdisk", "/r", "k")));
	ASSERT_STREQ(o.append, "y");
	ASSERT_STREQ(o.initrd, "/r");
	ASSERT_STREQ(steps(&o), "l");
}

TEST(status_defaults_to_crash)
{
	struct kx_opts o;
	struct kx_diag d;

	ASSERT_OK(parse(&o, &d, NARGS("-S"), ARGS("-S")));
	ASSERT_EQ(o.action, KX_ACT_STATUS);
	ASSERT_TRUE(o.crash);
	ASSERT_OK(parse(&o, &d, NARGS("-l", "-S"), ARGS("-l", "-S")));
	ASSERT_FALSE(o.crash);
	ASSERT_OK(parse(&o, &d, NARGS("-d", "-S"), ARGS("-d", "-S")));	/* -d does not change it */
	ASSERT_TRUE(o.crash);
}

TEST(bad_values)
{
	struct kx_opts o;
	struct kx_diag d;

	ASSERT_ERR(parse(&o, &d, NARGS("--mem-min=zz"), ARGS("--mem-min=zz")), -EINVAL);
	ASSERT_CONTAINS(d.msg, "Bad option value in --mem-min=zz");
	ASSERT_ERR(parse(&o, &d, NARGS("--serial=ttyS9"), ARGS("--serial=ttyS9")), -EINVAL);
	ASSERT_ERR(parse(&o, &d, NARGS("--serial-baud=1234"), ARGS("--serial-baud=1234")), -EINVAL);
	ASSERT_ERR(parse(&o, &d, NARGS("--bogus"), ARGS("--bogus")), -EINVAL);
	ASSERT_CONTAINS(d.msg, "unrecognized option '--bogus'");
	ASSERT_ERR(parse(&o, &d, NARGS("--initrd"), ARGS("--initrd")), -EINVAL);
	ASSERT_CONTAINS(d.msg, "requires an argument");
	ASSERT_ERR(parse(&o, &d, NARGS("--json", "-p", "k"), ARGS("--json", "-p", "k")), -EINVAL);
	ASSERT_ERR(parse(&o, &d, NARGS("--dump-segments=/x", "-p", "k"), ARGS("--dump-segments=/x", "-p", "k")), -EINVAL);
	/* kexec-tools ignores a second word; we refuse it and name it */
	ASSERT_ERR(parse(&o, &d, NARGS("-l", "k", "extra"), ARGS("-l", "k", "extra")), -EINVAL);
	ASSERT_CONTAINS(d.msg, "extra argument 'extra' after the kernel 'k'");
}

TEST(serial_ports_and_dry_run)
{
	struct kx_opts o;
	struct kx_diag d;

	ASSERT_OK(parse(&o, &d, NARGS("--serial=ttyS1", "--dry-run", "--json", "--root=/x", "-p", "k"),
			ARGS("--serial=ttyS1", "--dry-run", "--json", "--root=/x", "-p", "k")));
	ASSERT_STREQ(o.serial, "ttyS1");
	ASSERT_TRUE(o.console_serial && o.dry_run && o.json);
	ASSERT_STREQ(o.root, "/x");
	ASSERT_OK(parse(&o, &d, NARGS("--serial=0x3e8"), ARGS("--serial=0x3e8")));
	ASSERT_STREQ(o.serial, "0x3e8");
	ASSERT_TRUE(o.console_serial);
	/* any nonzero number passes here: the arch's purgatory setup checks its range */
	ASSERT_OK(parse(&o, &d, NARGS("--serial=0x9000000"), ARGS("--serial=0x9000000")));
	ASSERT_STREQ(o.serial, "0x9000000");
	ASSERT_OK(parse(&o, &d, NARGS("--console-serial"), ARGS("--console-serial")));
	ASSERT_TRUE(o.console_serial && !o.serial);
	ASSERT_ERR(parse(&o, &d, NARGS("--serial=0"), ARGS("--serial=0")), -EINVAL);
	ASSERT_CONTAINS(d.msg, "Bad serial port base '0'");
}

TEST(default_action_and_capture)
{
	struct kx_opts o;
	struct kx_diag d;

	ASSERT_OK(parse(&o, &d, NARGS("k"), ARGS("k")));
	ASSERT_EQ(o.action, KX_ACT_RUN);
	ASSERT_OK(parse(&o, &d, NARGS("--capture-root=/tmp/c"), ARGS("--capture-root=/tmp/c")));
	ASSERT_EQ(o.action, KX_ACT_CAPTURE);
	ASSERT_STREQ(steps(&o), "-");
	ASSERT_OK(parse(&o, &d, NARGS("--capture-root=/tmp/c", "-p", "k"), ARGS("--capture-root=/tmp/c", "-p", "k")));
	ASSERT_EQ(o.action, KX_ACT_RUN);
	ASSERT_OK(parse(&o, &d, NARGS("-h", "-p"), ARGS("-h", "-p")));
	ASSERT_EQ(o.action, KX_ACT_HELP);
	ASSERT_OK(parse(&o, &d, NARGS("-S", "-u", "-e"), ARGS("-S", "-u", "-e")));	/* -S overrides every step */
	ASSERT_EQ(o.action, KX_ACT_STATUS);
	ASSERT_STREQ(steps(&o), "-");
}

TEST(crash_cma)
{
	struct kx_opts o;
	struct kx_diag d = { 0 };

	ASSERT_OK(parse(&o, &d, NARGS("-p", "k", "--crash-cma"), ARGS("-p", "k", "--crash-cma")));
	ASSERT_TRUE(o.crash_cma);
	ASSERT_FALSE(o.crash_cma_explicit);
	ASSERT_OK(parse(&o, &d, NARGS("--crash-cma=9ba00000-ab9fffff,256M@0x140000000", "-p", "k"),
			ARGS("--crash-cma=9ba00000-ab9fffff,256M@0x140000000", "-p", "k")));
	ASSERT_TRUE(o.crash_cma_explicit);
	ASSERT_EQ(o.crash_cma_list.n, 2);
	ASSERT_EQ(o.crash_cma_list.v[1].end, 0x150000000);
	d = (struct kx_diag){ 0 };
	ASSERT_ERR(parse(&o, &d, NARGS("-p", "k", "--crash-cma=1M@1G,1M@2G,1M@3G,1M@4G,1M@5G"),
			 ARGS("-p", "k", "--crash-cma=1M@1G,1M@2G,1M@3G,1M@4G,1M@5G")), -E2BIG);
	d = (struct kx_diag){ 0 };
	ASSERT_ERR(parse(&o, &d, NARGS("-p", "k", "--crash-cma=1000"), ARGS("-p", "k", "--crash-cma=1000")), -EINVAL);
	ASSERT_CONTAINS(d.msg, "--crash-cma");
	d = (struct kx_diag){ 0 };
	ASSERT_ERR(parse(&o, &d, NARGS("-l", "k", "--crash-cma"), ARGS("-l", "k", "--crash-cma")), -EINVAL);
	ASSERT_CONTAINS(d.msg, "--crash-cma goes with loading a crash kernel");
	d = (struct kx_diag){ 0 };
	ASSERT_ERR(parse(&o, &d, NARGS("--reload-elfcorehdr", "--crash-cma"), ARGS("--reload-elfcorehdr", "--crash-cma")),
		   -EINVAL);
}
