/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-iomem.c - the /proc/iomem parser on real listings
 * (the listings in tests/golden/fixtures, each with a "# source:" provenance header)
 * and on malformed input.
 */
#include <stdio.h>
#include <stdlib.h>

#include "machine.h"
#include "test.h"

/* Load a fixture without its '#' provenance lines. */
static char *fixture(const char *name, size_t *len)
{
	char path[512], line[512];
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	FILE *f;

	snprintf(path, sizeof(path), "tests/golden/fixtures/%s", name);
	f = fopen(kt_src(path), "r");
	if (!f)
		kt_fail(__FILE__, __LINE__, "cannot open %s", kt_src(path));
	while (fgets(line, sizeof(line), f)) {
		size_t l = strlen(line);

		if (line[0] == '#')
			continue;
		memcpy(buf + n, line, l);
		n += l;
	}
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

static void parse_fixture(struct kx_machine *m, const char *name)
{
	struct kx_diag d = { 0 };
	size_t len;
	char *t = fixture(name, &len);
	int r;

	memset(m, 0, sizeof(*m));
	r = kx_iomem_parse(m, t, len, name, &d);
	free(t);
	if (r < 0)
		kt_fail(__FILE__, __LINE__, "%s: %s", name, d.msg);
}

TEST(qemu_i440fx_one_crash_region)
{
	struct kx_machine m;

	parse_fixture(&m, "x86_64-qemu-i440fx-vm-crash-low.txt");
	ASSERT_EQ(m.ram.n, 3);
	ASSERT_EQ(m.ram.v[0].start, 0x1000);
	ASSERT_EQ(m.ram.v[0].end, 0x9fc00);
	ASSERT_EQ(m.ram.v[1].start, 0x100000);
	ASSERT_EQ(m.ram.v[1].end, 0xbfff0000);
	ASSERT_EQ(m.ram.v[2].end, 0x140000000);
	ASSERT_TRUE(m.has_crash);
	ASSERT_FALSE(m.has_crash_low);
	ASSERT_EQ(m.crash_main.start, 0xaf000000);
	ASSERT_EQ(m.crash_main.end, 0xbf000000);
	/* nested lines keep their depth */
	ASSERT_EQ(m.iomem[8].depth, 1);
	ASSERT_STREQ(m.iomem[8].name, "System ROM");
	kx_machine_done(&m);
}

TEST(hpe_low_and_high_crash_regions)
{
	struct kx_machine m;
	size_t i, acpi = 0, nvs = 0, resv = 0, pram = 0;

	parse_fixture(&m, "x86_64-hpe-xeon-server-crash-low-high-pmem.txt");
	ASSERT_TRUE(m.has_crash_low);
	ASSERT_EQ(m.crash_low.start, 0x69000000);
	ASSERT_EQ(m.crash_low.end, 0x79000000);
	ASSERT_EQ(m.crash_main.start, 0x858000000);
	ASSERT_EQ(m.crash_main.end, 0x878000000);
	for (i = 0; i < m.firmware.n; i++) {
		acpi += m.firmware.v[i].type == KX_MEM_ACPI;
		nvs += m.firmware.v[i].type == KX_MEM_NVS;
		resv += m.firmware.v[i].type == KX_MEM_RESERVED;
		pram += m.firmware.v[i].type == KX_MEM_PRAM;
	}
	ASSERT_TRUE(acpi >= 1 && nvs >= 1 && resv >= 3);
	ASSERT_EQ(pram, 2);	/* Persistent Memory (legacy) from memmap=4G!4G, split by a device */
	kx_machine_done(&m);
}

TEST(arm64_fixtures_parse)
{
	struct kx_machine m;

	parse_fixture(&m, "arm64-ampere-emag-server-crash-low.txt");
	ASSERT_TRUE(m.has_crash);
	ASSERT_TRUE(m.ram.n > 0);
	kx_machine_done(&m);
	parse_fixture(&m, "arm64-raspberrypi4-8gb-no-crashkernel.txt");
	ASSERT_FALSE(m.has_crash);
	ASSERT_TRUE(m.ram.n > 0);
	kx_machine_done(&m);
}

TEST(nested_system_ram_virtio_mem)
{
	static const char t[] = "00100000-3fffffff : System RAM\n"
				"100000000-13fffffff : virtio0\n"
				"  100000000-11fffffff : System RAM (virtio_mem)\n";
	struct kx_machine m = { 0 };
	struct kx_diag d = { 0 };

	ASSERT_OK(kx_iomem_parse(&m, t, sizeof(t) - 1, "iomem", &d));
	ASSERT_EQ(m.ram.n, 2);
	ASSERT_EQ(m.ram.v[1].start, 0x100000000);
	ASSERT_EQ(m.ram.v[1].end, 0x120000000);
	kx_machine_done(&m);
}

/* arm64-like: RAM contiguous across 4 GiB, crashkernel=,high and ,low reserved back to back */
TEST(adjacent_crash_regions_stay_two)
{
	static const char t[] = "40000000-17fffffff : System RAM\n"
				"  bc000000-ffffffff : Crash kernel\n"
				"  100000000-10fffffff : Crash kernel\n"
				"  100000000-10fffffff : Crash kernel\n";	/* listed twice: one resource */
	struct kx_machine m = { 0 };
	struct kx_diag d = { 0 };

	ASSERT_OK(kx_iomem_parse(&m, t, sizeof(t) - 1, "iomem", &d));
	ASSERT_EQ(m.crash.n, 2);
	ASSERT_TRUE(m.has_crash_low);
	ASSERT_EQ(m.crash_low.start, 0xbc000000);
	ASSERT_EQ(m.crash_low.end, 0x100000000);
	ASSERT_EQ(m.crash_main.start, 0x100000000);	/* segments go here, and only here */
	ASSERT_EQ(m.crash_main.end, 0x110000000);
	kx_machine_done(&m);
}

/* What a user without CAP_SYS_ADMIN reads: every address 0, which parses */
TEST(non_root_zeros_are_refused)
{
	static const char t[] = "00000000-00000000 : Reserved\n"
				"00000000-00000000 : System RAM\n"
				"  00000000-00000000 : Kernel code\n"
				"00000000-00000000 : Crash kernel\n";
	struct kx_machine m = { 0 };
	struct kx_diag d = { 0 };

	ASSERT_ERR(kx_iomem_parse(&m, t, sizeof(t) - 1, "proc/iomem", &d), -EACCES);
	ASSERT_CONTAINS(d.msg, "proc/iomem: every address reads as 0");
	ASSERT_CONTAINS(d.msg, "needs root");
	ASSERT_CONTAINS(d.msg, "--root");
	kx_machine_done(&m);
}

struct bad_case {
	const char *text;
	const char *want;
};

TEST(malformed_lines)
{
	static const struct bad_case cases[] = {
		{ "00100000-3fffffff System RAM\n", "line 1" },
		{ "xyz-3fffffff : System RAM\n", "hex addresses" },
		{ "3fffffff-00100000 : System RAM\n", "start <= end" },
		{ "00100000-3fffffff : System RAM\n00100000 : Crash\n", "line 2" },
		{ "00100000-11223344556677889 : System RAM\n", "line 1" },
		{ "-3fffffff : System RAM\n", "line 1" },
		{ "00100000- : System RAM\n", "line 1" },
		{ "00100000-3fffffff :x\n", "line 1" },
		{ "1000-1fff : Crash kernel\n3000-3fff : Crash kernel\n5000-5fff : Crash kernel\n", "at most two" },
		{ "1000-2fff : Crash kernel\n2000-3fff : Crash kernel\n", "overlap" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kx_machine m = { 0 };
		struct kx_diag d = { 0 };
		int r = kx_iomem_parse(&m, cases[i].text, strlen(cases[i].text), "proc/iomem", &d);

		if (r != -EINVAL || !strstr(d.msg, cases[i].want) || !strstr(d.msg, "proc/iomem"))
			kt_fail(__FILE__, __LINE__, "case %zu: r=%d msg=\"%s\"", i, r, d.msg);
		kx_machine_done(&m);
	}
}

TEST(cpu_list)
{
	struct kx_diag d = { 0 };
	unsigned *v;
	size_t n;

	ASSERT_OK(kx_cpu_list_parse("0-3,8,10-11\n", "possible", &v, &n, &d));
	ASSERT_EQ(n, 7);
	ASSERT_EQ(v[4], 8);
	ASSERT_EQ(v[6], 11);
	free(v);
	ASSERT_ERR(kx_cpu_list_parse("3-1\n", "possible", &v, &n, &d), -EINVAL);
	ASSERT_ERR(kx_cpu_list_parse("\n", "possible", &v, &n, &d), -EINVAL);
	ASSERT_ERR(kx_cpu_list_parse("0-x", "possible", &v, &n, &d), -EINVAL);
	ASSERT_ERR(kx_cpu_list_parse("0,,1", "possible", &v, &n, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "possible");
}
