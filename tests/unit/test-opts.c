/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-opts.c - the command line: kexec-tools spellings, order-independent meaning. */
#include "opts.h"
#include "test.h"

static int parse(struct kx_opts *o, struct kx_diag *d, int argc, const char **argv)
{
	*d = (struct kx_diag){ 0 };
	return kx_opts_parse(o, argc, (char **)argv, d);
}

#define ARGS(...) (const char *[]){ "kexec", __VA_ARGS__, NULL }
#define NARGS(...) (int)(sizeof((const char *[]){ "kexec", __VA_ARGS__ }) / sizeof(char *))

TEST(unload_order_independent)
{
	struct kx_opts o;
	struct kx_diag d;

	ASSERT_OK(parse(&o, &d, NARGS("-p", "-u"), ARGS("-p", "-u")));
	ASSERT_EQ(o.action, KX_ACT_UNLOAD);
	ASSERT_TRUE(o.crash);
	ASSERT_OK(parse(&o, &d, NARGS("-u", "-p"), ARGS("-u", "-p")));
	ASSERT_EQ(o.action, KX_ACT_UNLOAD);
	ASSERT_TRUE(o.crash);
	ASSERT_OK(parse(&o, &d, NARGS("-u"), ARGS("-u")));
	ASSERT_FALSE(o.crash);
}

TEST(load_panic_with_files)
{
	struct kx_opts o;
	struct kx_diag d;

	ASSERT_OK(parse(&o, &d, NARGS("-p", "/boot/vmlinuz", "--initrd=/i", "--append=a b", "-s", "-d"),
			ARGS("-p", "/boot/vmlinuz", "--initrd=/i", "--append=a b", "-s", "-d")));
	ASSERT_EQ(o.action, KX_ACT_LOAD_CRASH);
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
	ASSERT_EQ(o.action, KX_ACT_LOAD);
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

TEST(sysmode_conflict_and_bad_values)
{
	struct kx_opts o;
	struct kx_diag d;

	ASSERT_ERR(parse(&o, &d, NARGS("-s", "-c"), ARGS("-s", "-c")), -EINVAL);
	ASSERT_OK(parse(&o, &d, NARGS("-c", "-c"), ARGS("-c", "-c")));
	ASSERT_ERR(parse(&o, &d, NARGS("--mem-min=zz"), ARGS("--mem-min=zz")), -EINVAL);
	ASSERT_CONTAINS(d.msg, "Bad option value in --mem-min=zz");
	ASSERT_ERR(parse(&o, &d, NARGS("--serial=ttyS9"), ARGS("--serial=ttyS9")), -EINVAL);
	ASSERT_ERR(parse(&o, &d, NARGS("--serial-baud=1234"), ARGS("--serial-baud=1234")), -EINVAL);
	ASSERT_ERR(parse(&o, &d, NARGS("--bogus"), ARGS("--bogus")), -EINVAL);
	ASSERT_CONTAINS(d.msg, "unrecognized option '--bogus'");
	ASSERT_ERR(parse(&o, &d, NARGS("--initrd"), ARGS("--initrd")), -EINVAL);
	ASSERT_CONTAINS(d.msg, "requires an argument");
	ASSERT_ERR(parse(&o, &d, NARGS("--json", "-p", "k"), ARGS("--json", "-p", "k")), -EINVAL);
	ASSERT_ERR(parse(&o, &d, NARGS("-e", "-l", "k"), ARGS("-e", "-l", "k")), -EINVAL);
	ASSERT_ERR(parse(&o, &d, NARGS("-l", "k", "extra"), ARGS("-l", "k", "extra")), -EINVAL);
}

TEST(serial_ports_and_dry_run)
{
	struct kx_opts o;
	struct kx_diag d;

	ASSERT_OK(parse(&o, &d, NARGS("--serial=ttyS1", "--dry-run", "--json", "--root=/x", "-p", "k"),
			ARGS("--serial=ttyS1", "--dry-run", "--json", "--root=/x", "-p", "k")));
	ASSERT_EQ(o.serial_port, 0x2f8);
	ASSERT_TRUE(o.console_serial && o.dry_run && o.json);
	ASSERT_STREQ(o.root, "/x");
	ASSERT_OK(parse(&o, &d, NARGS("--serial=0x3e8"), ARGS("--serial=0x3e8")));
	ASSERT_EQ(o.serial_port, 0x3e8);
}

TEST(default_action_and_capture)
{
	struct kx_opts o;
	struct kx_diag d;

	ASSERT_OK(parse(&o, &d, NARGS("k"), ARGS("k")));
	ASSERT_EQ(o.action, KX_ACT_LOAD_REBOOT);
	ASSERT_OK(parse(&o, &d, NARGS("--capture-root=/tmp/c"), ARGS("--capture-root=/tmp/c")));
	ASSERT_EQ(o.action, KX_ACT_CAPTURE);
	ASSERT_OK(parse(&o, &d, NARGS("-e"), ARGS("-e")));
	ASSERT_EQ(o.action, KX_ACT_EXEC);
	ASSERT_OK(parse(&o, &d, NARGS("-h", "-p"), ARGS("-h", "-p")));
	ASSERT_EQ(o.action, KX_ACT_HELP);
}
