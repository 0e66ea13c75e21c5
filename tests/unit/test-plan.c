/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-plan.c - segment placement and the kernel's sanity_check_segment_list() rules. */
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "test.h"

static void crash_plan(struct kx_plan *p, struct kx_check_limits *lim)
{
	kx_plan_init(p);
	p->crash = true;
	ASSERT_OK(kx_ranges_add(&p->avail, 0x10000000, 0x10010000, KX_MEM_RAM));
	lim->crash_region = (struct kx_range){ 0x10000000, 0x10010000, KX_MEM_RAM };
	lim->ram = NULL;
}

static int add(struct kx_plan *p, enum kx_seg_role role, size_t len, bool top)
{
	return kx_plan_add(p, role, calloc(1, len), len, true, len,
			   (struct kx_place_req){ .align = 0x1000, .top_down = top });
}

TEST(add_places_and_shrinks_avail)
{
	struct kx_plan p;
	struct kx_check_limits lim;
	struct kx_diag d = { 0 };

	crash_plan(&p, &lim);
	ASSERT_EQ(add(&p, KX_SEG_KERNEL, 0x3001, false), 0);
	ASSERT_EQ(p.seg[0].mem, 0x10000000);
	ASSERT_EQ(p.seg[0].memsz, 0x4000);	/* page rounded */
	ASSERT_EQ(add(&p, KX_SEG_ELFCOREHDR, 0x1000, true), 1);
	ASSERT_EQ(p.seg[1].mem, 0x1000f000);
	p.entry = 0x10000000;
	ASSERT_OK(kx_plan_check(&p, &lim, &d));
	ASSERT_EQ(kx_plan_find(&p, KX_SEG_ELFCOREHDR), 1);
	ASSERT_ERR(kx_plan_find(&p, KX_SEG_DTB), -ENOENT);
	kx_plan_done(&p);
}

TEST(add_no_space_and_too_many)
{
	struct kx_plan p;
	struct kx_check_limits lim;
	int i;

	crash_plan(&p, &lim);
	ASSERT_ERR(add(&p, KX_SEG_KERNEL, 0x11000, false), -ENOSPC);
	for (i = 0; i < KX_MAX_SEGMENTS; i++)
		ASSERT_EQ(add(&p, KX_SEG_INITRD, 0x1000, false), i);
	ASSERT_ERR(add(&p, KX_SEG_INITRD, 0x1000, false), -E2BIG);
	ASSERT_ERR(kx_plan_add(&p, KX_SEG_INITRD, NULL, 0x2000, false, 0x1000, (struct kx_place_req){ 0 }),
		   -E2BIG);
	kx_plan_done(&p);
}

TEST(check_rules)
{
	struct kx_plan p;
	struct kx_check_limits lim;
	struct kx_diag d;

	crash_plan(&p, &lim);
	ASSERT_EQ(add(&p, KX_SEG_KERNEL, 0x1000, false), 0);
	p.entry = 0x10000000;

	d = (struct kx_diag){ 0 };
	p.seg[0].mem = 0x10000800;	/* unaligned */
	ASSERT_ERR(kx_plan_check(&p, &lim, &d), -EADDRNOTAVAIL);
	ASSERT_CONTAINS(d.msg, "page aligned");

	d = (struct kx_diag){ 0 };
	p.seg[0].mem = 0x20000000;	/* outside the crash region */
	p.entry = 0x20000000;
	ASSERT_ERR(kx_plan_check(&p, &lim, &d), -EADDRNOTAVAIL);
	ASSERT_CONTAINS(d.msg, "crash region");

	d = (struct kx_diag){ 0 };
	p.seg[0].mem = 0x10000000;
	p.entry = 0x30000000;	/* entry in no segment */
	ASSERT_ERR(kx_plan_check(&p, &lim, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "entry");

	d = (struct kx_diag){ 0 };
	p.entry = 0x10000000;
	p.seg[0].bufsz = 0x2000;	/* bufsz > memsz */
	ASSERT_ERR(kx_plan_check(&p, &lim, &d), -EINVAL);
	p.seg[0].bufsz = 0x1000;

	d = (struct kx_diag){ 0 };
	memcpy(p.seg[0].buf, "\177ELF", 4);	/* only the elfcorehdr may look like one */
	ASSERT_ERR(kx_plan_check(&p, &lim, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "ELF magic");
	memset(p.seg[0].buf, 0, 4);

	d = (struct kx_diag){ 0 };
	ASSERT_EQ(add(&p, KX_SEG_INITRD, 0x1000, false), 1);
	p.seg[1].mem = 0x10000000;	/* overlap */
	ASSERT_ERR(kx_plan_check(&p, &lim, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "overlap");
	kx_plan_done(&p);
}

TEST(check_leaves_a_control_page)
{
	struct kx_plan p;
	struct kx_check_limits lim;
	struct kx_diag d = { 0 };

	crash_plan(&p, &lim);
	ASSERT_EQ(add(&p, KX_SEG_KERNEL, 0x10000, false), 0);	/* the whole region */
	p.entry = 0x10000000;
	ASSERT_ERR(kx_plan_check(&p, &lim, &d), -ENOSPC);
	ASSERT_CONTAINS(d.msg, "control pages");
	kx_plan_done(&p);
}

TEST(check_normal_segments_in_ram)
{
	struct kx_plan p;
	struct kx_ranges ram = { 0 };
	struct kx_check_limits lim = { .ram = &ram };
	struct kx_diag d = { 0 };

	kx_plan_init(&p);
	ASSERT_OK(kx_ranges_add(&ram, 0x100000, 0x200000, KX_MEM_RAM));
	ASSERT_OK(kx_ranges_add(&p.avail, 0x100000, 0x300000, KX_MEM_RAM));
	ASSERT_EQ(add(&p, KX_SEG_KERNEL, 0x180000, true), 0);	/* 0x180000..0x300000: past RAM */
	p.entry = p.seg[0].mem;
	ASSERT_ERR(kx_plan_check(&p, &lim, &d), -EADDRNOTAVAIL);
	ASSERT_CONTAINS(d.msg, "System RAM");
	kx_plan_done(&p);
	kx_ranges_done(&ram);
}
