/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-cma.c - crash CMA range lists: the sysfs form, --crash-cma=, validation. */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "cma.h"
#include "ctx.h"

#define S(x) x, strlen(x)
#define F "sys/kernel/kexec/crash_cma_ranges"

TEST(sysfs_one)
{
	struct kx_cma c;
	struct kx_diag d = { 0 };

	ASSERT_OK(kx_cma_parse_sysfs(S("9ba00000-ab9fffff\n"), F, &c, &d));
	ASSERT_EQ(c.n, 1);
	ASSERT_EQ(c.v[0].start, 0x9ba00000);
	ASSERT_EQ(c.v[0].end, 0xaba00000);
}

TEST(sysfs_order_kept)
{
	struct kx_cma c;
	struct kx_diag d = { 0 };

	ASSERT_OK(kx_cma_parse_sysfs(S("140000000-14fffffff\n9ba00000-ab9fffff\n"), F, &c, &d));
	ASSERT_EQ(c.n, 2);
	ASSERT_EQ(c.v[0].start, 0x140000000);
	ASSERT_EQ(c.v[1].start, 0x9ba00000);
	/* no final newline, capitals */
	ASSERT_OK(kx_cma_parse_sysfs(S("9BA00000-AB9FFFFF"), F, &c, &d));
	ASSERT_EQ(c.v[0].end, 0xaba00000);
}

TEST(sysfs_empty)
{
	struct kx_cma c = { .n = 3 };
	struct kx_diag d = { 0 };

	ASSERT_OK(kx_cma_parse_sysfs("", 0, F, &c, &d));
	ASSERT_EQ(c.n, 0);
}

TEST(sysfs_malformed)
{
	static const char *bad[] = {
		"\n", "9ba00000\n", "9ba00000-\n", "-ab9fffff\n", "0x9ba00000-0xab9fffff\n", "9ba00000 - ab9fffff\n",
		"9ba00000-ab9fffffz\n", "ab9fffff-9ba00000\n", "1-2\n\n3-4\n", "11112222333344445-1\n", "1-2\r\n",
	};
	struct kx_cma c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kx_diag d = { 0 };

		ASSERT_ERR(kx_cma_parse_sysfs(S(bad[i]), F, &c, &d), -EINVAL);
		ASSERT_CONTAINS(d.msg, F ": line ");
	}
	{
		struct kx_diag d = { 0 };

		ASSERT_ERR(kx_cma_parse_sysfs(S("1000-1fff\nab9fffff-9ba00000\n"), F, &c, &d), -EINVAL);
		ASSERT_CONTAINS(d.msg, "line 2: end 0x9ba00000 is below start");
	}
	{
		struct kx_diag d = { 0 };

		ASSERT_ERR(kx_cma_parse_sysfs("1-2\0", 4, F, &c, &d), -EINVAL);
		ASSERT_CONTAINS(d.msg, "end is not a hex");
	}
}

TEST(sysfs_too_many)
{
	struct kx_cma c;
	struct kx_diag d = { 0 };

	ASSERT_OK(kx_cma_parse_sysfs(S("1000-1fff\n3000-3fff\n5000-5fff\n7000-7fff\n"), F, &c, &d));
	ASSERT_EQ(c.n, 4);
	ASSERT_ERR(kx_cma_parse_sysfs(S("1000-1fff\n3000-3fff\n5000-5fff\n7000-7fff\n9000-9fff\n"), F, &c, &d), -E2BIG);
	ASSERT_CONTAINS(d.msg, "line 5: more than 4 ranges");
}

TEST(list_start_end)
{
	struct kx_cma c;
	struct kx_diag d = { 0 };

	ASSERT_OK(kx_cma_parse_list("0x9ba00000-0xab9fffff,140000000-14FFFFFFF", &c, &d));
	ASSERT_EQ(c.n, 2);
	ASSERT_EQ(c.v[0].start, 0x9ba00000);
	ASSERT_EQ(c.v[0].end, 0xaba00000);
	ASSERT_EQ(c.v[1].start, 0x140000000);
	ASSERT_EQ(c.v[1].end, 0x150000000);
}

TEST(list_size_at_start)
{
	struct kx_cma c;
	struct kx_diag d = { 0 };

	ASSERT_OK(kx_cma_parse_list("256M@0x9ba00000,1G@5G,64k@0x100000,0x1000@4096", &c, &d));
	ASSERT_EQ(c.n, 4);
	ASSERT_EQ(c.v[0].start, 0x9ba00000);
	ASSERT_EQ(c.v[0].end, 0x9ba00000 + (256ULL << 20));
	ASSERT_EQ(c.v[1].start, 5ULL << 30);
	ASSERT_EQ(c.v[1].end, 6ULL << 30);
	ASSERT_EQ(c.v[2].end, 0x110000);
	ASSERT_EQ(c.v[3].start, 0x1000);
	ASSERT_EQ(c.v[3].end, 0x2000);
	/* decimal means decimal: no octal */
	ASSERT_OK(kx_cma_parse_list("010M@0", &c, &d));
	ASSERT_EQ(c.v[0].end, 10ULL << 20);
}

TEST(list_malformed)
{
	static const char *bad[] = {
		"", ",", "1000-1fff,", ",1000-1fff", "1000", "1000-", "-1fff", "0x-0x1fff", "2000-1fff", "zz-1fff",
		"1000-1fffq", "0@0x1000", "M@0x1000", "256X@0x1000", "256M@", "@0x1000", "256M@0xffffffffffffffff",
		"20000000000G@0", "1000-1fff 2000-2fff", "-1M@0", "1000--1fff",
	};
	struct kx_cma c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kx_diag d = { 0 };
		int r = kx_cma_parse_list(bad[i], &c, &d);

		if (r != -EINVAL)
			kt_fail(__FILE__, __LINE__, "\"%s\": got %d, want -EINVAL", bad[i], r);
		ASSERT_CONTAINS(d.msg, "--crash-cma");
	}
}

TEST(list_too_many)
{
	struct kx_cma c;
	struct kx_diag d = { 0 };

	ASSERT_ERR(kx_cma_parse_list("1M@1G,1M@2G,1M@3G,1M@4G,1M@5G", &c, &d), -E2BIG);
	ASSERT_CONTAINS(d.msg, "more than 4 ranges");
}

static void machine(struct kx_ranges *ram, struct kx_ranges *crash)
{
	*ram = (struct kx_ranges){ 0 };
	*crash = (struct kx_ranges){ 0 };
	ASSERT_OK(kx_ranges_add(ram, 0x100000, 0xc0000000, KX_MEM_RAM));
	ASSERT_OK(kx_ranges_add(ram, 0x100000000, 0x200000000, KX_MEM_RAM));
	ASSERT_OK(kx_ranges_insert(crash, 0x70000000, 0x80000000, KX_MEM_RAM));
}

TEST(validate_ok)
{
	struct kx_ranges ram, crash;
	struct kx_notes notes = { 0 };
	struct kx_diag d = { 0 };
	struct kx_cma c;

	machine(&ram, &crash);
	ASSERT_OK(kx_cma_parse_list("9ba00000-ab9fffff,100000000-13fffffff", &c, &d));
	ASSERT_OK(kx_cma_validate(&c, &ram, &crash, 4096, "--crash-cma=", &notes, &d));
	ASSERT_EQ(notes.n, 0);
	ASSERT_EQ(kx_cma_total(&c), 0x10000000 + 0x40000000);
	kx_ranges_done(&ram);
	kx_ranges_done(&crash);
	kx_notes_done(&notes);
}

TEST(validate_unaligned_rounds_inward)
{
	struct kx_ranges ram, crash;
	struct kx_notes notes = { 0 };
	struct kx_diag d = { 0 };
	struct kx_cma c;

	machine(&ram, &crash);
	ASSERT_OK(kx_cma_parse_list("9ba00010-ab9ffffe", &c, &d));
	ASSERT_OK(kx_cma_validate(&c, &ram, &crash, 4096, "--crash-cma=", &notes, &d));
	ASSERT_EQ(c.v[0].start, 0x9ba01000);
	ASSERT_EQ(c.v[0].end, 0xab9ff000);
	ASSERT_EQ(notes.n, 1);
	ASSERT_EQ(notes.v[0].level, KX_NOTE_WARN);
	ASSERT_CONTAINS(notes.v[0].msg, "not page aligned: using [0x9ba01000-0xab9fefff]");
	/* nothing left after rounding */
	ASSERT_OK(kx_cma_parse_list("9ba00010-9ba00ffe", &c, &d));
	ASSERT_ERR(kx_cma_validate(&c, &ram, &crash, 4096, "--crash-cma=", &notes, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "holds no whole 4096-byte page");
	kx_ranges_done(&ram);
	kx_ranges_done(&crash);
	kx_notes_done(&notes);
}

TEST(validate_refuses)
{
	static const struct { const char *list; int err; const char *msg; } bad[] = {
		{ "c0000000-c0ffffff", -EADDRNOTAVAIL, "range 1 [0xc0000000-0xc0ffffff] is not inside System RAM" },
		{ "bff00000-c00fffff", -EADDRNOTAVAIL, "not inside System RAM" },
		{ "0-fffff", -EADDRNOTAVAIL, "not inside System RAM" },
		{ "6ff00000-700fffff", -EADDRNOTAVAIL, "overlaps a \"Crash kernel\" region" },
		{ "2M@0x100000000,2M@0x100100000", -EINVAL, "range 2 [0x100100000-0x1002fffff] overlaps range 1" },
		{ "1M@0x100000000,1M@0x100000000", -EINVAL, "overlaps range 1" },
	};
	struct kx_ranges ram, crash;
	size_t i;

	machine(&ram, &crash);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kx_diag d = { 0 };
		struct kx_cma c;

		ASSERT_OK(kx_cma_parse_list(bad[i].list, &c, &d));
		ASSERT_ERR(kx_cma_validate(&c, &ram, &crash, 4096, "--crash-cma=", NULL, &d), bad[i].err);
		ASSERT_CONTAINS(d.msg, bad[i].msg);
	}
	kx_ranges_done(&ram);
	kx_ranges_done(&crash);
}

TEST(equal_and_format)
{
	struct kx_cma a, b;
	struct kx_diag d = { 0 };
	char buf[128];

	ASSERT_OK(kx_cma_parse_sysfs(S("9ba00000-ab9fffff\n140000000-14fffffff\n"), F, &a, &d));
	ASSERT_OK(kx_cma_parse_list("0x9ba00000-0xab9fffff,256M@0x140000000", &b, &d));
	ASSERT_TRUE(kx_cma_equal(&a, &b));
	ASSERT_STREQ(kx_cma_format(&a, buf, sizeof(buf)), "0x9ba00000-0xab9fffff,0x140000000-0x14fffffff");
	ASSERT_OK(kx_cma_parse_list("256M@0x140000000,0x9ba00000-0xab9fffff", &b, &d));
	ASSERT_FALSE(kx_cma_equal(&a, &b));
}

TEST(segments_never_in_cma)
{
	struct kx_diag d = { 0 };
	struct kx_ctx ctx = { .d = &d };
	struct kx_plan p;

	kx_plan_init(&p);
	ASSERT_OK(kx_cma_parse_list("0x40000000-0x4fffffff", &ctx.cma, &d));
	p.seg[0] = (struct kx_segment){ .role = KX_SEG_KERNEL, .mem = 0x3ff00000, .memsz = 0x100000 };
	p.n_seg = 1;
	ASSERT_OK(kx_crash_cma_check_segments(&ctx, &p));
	p.seg[1] = (struct kx_segment){ .role = KX_SEG_INITRD, .mem = 0x4ff00000, .memsz = 0x200000 };
	p.n_seg = 2;
	ASSERT_ERR(kx_crash_cma_check_segments(&ctx, &p), -EINVAL);
	ASSERT_CONTAINS(d.msg, "initrd segment [0x4ff00000, 0x50100000) lies in crash CMA range 1");
	p.n_seg = 0;
	kx_plan_done(&p);
}
