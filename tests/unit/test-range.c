/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-range.c - range algebra and placement, table-driven. */
#include "range.h"
#include "test.h"

struct excl_case {
	const char *name;
	uint64_t rs[3][2];	/* initial ranges (0,0 ends the list) */
	uint64_t ex[2];		/* exclude [start, end) */
	uint64_t want[4][2];	/* expected */
};

/* Every position of the excluded range B relative to range A = [100, 200). */
static const struct excl_case excl_cases[] = {
	{ "B before A, apart", { { 100, 200 } }, { 10, 50 }, { { 100, 200 } } },
	{ "B ends where A starts", { { 100, 200 } }, { 50, 100 }, { { 100, 200 } } },
	{ "B overlaps A's start", { { 100, 200 } }, { 50, 150 }, { { 150, 200 } } },
	{ "B starts with A, shorter", { { 100, 200 } }, { 100, 150 }, { { 150, 200 } } },
	{ "B inside A", { { 100, 200 } }, { 120, 150 }, { { 100, 120 }, { 150, 200 } } },
	{ "B ends with A, shorter", { { 100, 200 } }, { 150, 200 }, { { 100, 150 } } },
	{ "B equals A", { { 100, 200 } }, { 100, 200 }, { { 0, 0 } } },
	{ "B covers A", { { 100, 200 } }, { 50, 250 }, { { 0, 0 } } },
	{ "B starts with A, longer", { { 100, 200 } }, { 100, 250 }, { { 0, 0 } } },
	{ "B ends with A, longer", { { 100, 200 } }, { 50, 200 }, { { 0, 0 } } },
	{ "B overlaps A's end", { { 100, 200 } }, { 150, 250 }, { { 100, 150 } } },
	{ "B starts where A ends", { { 100, 200 } }, { 200, 250 }, { { 100, 200 } } },
	{ "B after A, apart", { { 100, 200 } }, { 300, 400 }, { { 100, 200 } } },
	{ "B empty", { { 100, 200 } }, { 150, 150 }, { { 100, 200 } } },
	{ "B spans two ranges", { { 100, 200 }, { 300, 400 } }, { 150, 350 }, { { 100, 150 }, { 350, 400 } } },
	{ "B splits middle of three", { { 100, 200 }, { 300, 400 }, { 500, 600 } }, { 310, 320 },
	  { { 100, 200 }, { 300, 310 }, { 320, 400 }, { 500, 600 } } },
	{ "B removes middle of three", { { 100, 200 }, { 300, 400 }, { 500, 600 } }, { 250, 450 },
	  { { 100, 200 }, { 500, 600 } } },
};

TEST(exclude_every_position)
{
	size_t c;

	for (c = 0; c < sizeof(excl_cases) / sizeof(excl_cases[0]); c++) {
		const struct excl_case *t = &excl_cases[c];
		struct kx_ranges rs = { 0 };
		size_t i, n = 0;

		for (i = 0; i < 3 && t->rs[i][1]; i++)
			ASSERT_OK(kx_ranges_add(&rs, t->rs[i][0], t->rs[i][1], KX_MEM_RAM));
		ASSERT_OK(kx_ranges_exclude(&rs, t->ex[0], t->ex[1]));
		while (n < 4 && t->want[n][1])
			n++;
		if (rs.n != n)
			kt_fail(__FILE__, __LINE__, "%s: %zu ranges, want %zu", t->name, rs.n, n);
		for (i = 0; i < n; i++)
			if (rs.v[i].start != t->want[i][0] || rs.v[i].end != t->want[i][1])
				kt_fail(__FILE__, __LINE__, "%s: range %zu is [%llu,%llu)", t->name, i,
					(unsigned long long)rs.v[i].start, (unsigned long long)rs.v[i].end);
		kx_ranges_done(&rs);
	}
}

TEST(exclude_inverted_is_einval)
{
	struct kx_ranges rs = { 0 };

	ASSERT_OK(kx_ranges_add(&rs, 0, 10, KX_MEM_RAM));
	ASSERT_ERR(kx_ranges_exclude(&rs, 5, 4), -EINVAL);
	ASSERT_ERR(kx_ranges_add(&rs, 5, 4, KX_MEM_RAM), -EINVAL);
	kx_ranges_done(&rs);
}

TEST(add_merges_same_type_only)
{
	struct kx_ranges rs = { 0 };

	ASSERT_OK(kx_ranges_add(&rs, 300, 400, KX_MEM_RAM));
	ASSERT_OK(kx_ranges_add(&rs, 100, 200, KX_MEM_RAM));
	ASSERT_OK(kx_ranges_add(&rs, 200, 300, KX_MEM_RAM));	/* bridges both */
	ASSERT_EQ(rs.n, 1);
	ASSERT_EQ(rs.v[0].start, 100);
	ASSERT_EQ(rs.v[0].end, 400);
	ASSERT_OK(kx_ranges_add(&rs, 400, 500, KX_MEM_ACPI));	/* adjacent, other type */
	ASSERT_EQ(rs.n, 2);
	ASSERT_OK(kx_ranges_add(&rs, 150, 160, KX_MEM_RAM));	/* contained */
	ASSERT_EQ(rs.n, 2);
	ASSERT_OK(kx_ranges_add(&rs, 7, 7, KX_MEM_RAM));	/* empty: ignored */
	ASSERT_EQ(rs.n, 2);
	ASSERT_EQ(kx_ranges_total(&rs), 400);
	kx_ranges_done(&rs);
}

TEST(intersect_contains_overlaps_shrink)
{
	struct kx_ranges rs = { 0 };

	ASSERT_OK(kx_ranges_add(&rs, 0x1000, 0x5800, KX_MEM_RAM));
	ASSERT_OK(kx_ranges_add(&rs, 0x9100, 0x9f00, KX_MEM_RAM));
	ASSERT_TRUE(kx_ranges_contains(&rs, 0x1000, 0x5800));
	ASSERT_FALSE(kx_ranges_contains(&rs, 0x1000, 0x5801));
	ASSERT_TRUE(kx_ranges_overlaps(&rs, 0x5000, 0x9200));
	ASSERT_FALSE(kx_ranges_overlaps(&rs, 0x5800, 0x9100));
	kx_ranges_shrink(&rs, 0x1000);
	ASSERT_EQ(rs.n, 1);	/* [0x9100,0x9f00) has no whole page */
	ASSERT_EQ(rs.v[0].end, 0x5000);
	ASSERT_OK(kx_ranges_intersect(&rs, 0x2000, 0x3000));
	ASSERT_EQ(rs.n, 1);
	ASSERT_EQ(rs.v[0].start, 0x2000);
	ASSERT_EQ(rs.v[0].end, 0x3000);
	ASSERT_OK(kx_ranges_intersect(&rs, 0x8000, 0x9000));
	ASSERT_EQ(rs.n, 0);
	kx_ranges_done(&rs);
}

TEST(from_inclusive)
{
	struct kx_range r = kx_range_from_incl(0x100000, 0xbffeffff, KX_MEM_RAM);

	ASSERT_EQ(r.start, 0x100000);
	ASSERT_EQ(r.end, 0xbfff0000);
	r = kx_range_from_incl(0, UINT64_MAX, KX_MEM_RAM);
	ASSERT_EQ(r.end, UINT64_MAX);
}

struct place_case {
	const char *name;
	struct kx_place_req req;
	int want_err;
	uint64_t want;
};

TEST(find_space_table)
{
	/* free: [0x1000, 0x5000) and [0x10000, 0x20000) */
	static const struct place_case cases[] = {
		{ "lowest fit", { 0x1000, 0x1000, 0, 0, false }, 0, 0x1000 },
		{ "highest fit", { 0x1000, 0x1000, 0, 0, true }, 0, 0x1f000 },
		{ "aligned bottom-up skips first range", { 0x1000, 0x10000, 0, 0, false }, 0, 0x10000 },
		{ "aligned top-down", { 0x1000, 0x8000, 0, 0, true }, 0, 0x18000 },
		{ "min inside first range", { 0x1000, 0x1000, 0x2000, 0, false }, 0, 0x2000 },
		{ "max bounds top-down", { 0x1000, 0x1000, 0, 0x4800, true }, 0, 0x3000 },
		{ "just enough space", { 0x4000, 0x1000, 0, 0x5000, false }, 0, 0x1000 },
		{ "too big for first, fits second", { 0x5000, 0x1000, 0, 0, false }, 0, 0x10000 },
		{ "no space", { 0x11000, 0x1000, 0, 0, false }, -ENOSPC, 0 },
		{ "no space under max", { 0x5000, 0x1000, 0, 0x10000, true }, -ENOSPC, 0 },
		{ "zero size", { 0, 0x1000, 0, 0, false }, -EINVAL, 0 },
		{ "bad alignment", { 0x1000, 0x1800, 0, 0, false }, -EINVAL, 0 },
		{ "min beyond everything", { 0x1000, 0x1000, 0x30000, 0, false }, -ENOSPC, 0 },
	};
	struct kx_ranges fr = { 0 };
	size_t i;

	ASSERT_OK(kx_ranges_add(&fr, 0x1000, 0x5000, KX_MEM_RAM));
	ASSERT_OK(kx_ranges_add(&fr, 0x10000, 0x20000, KX_MEM_RAM));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t a = 0;
		int r = kx_find_space(&fr, &cases[i].req, &a);

		if (r != cases[i].want_err || (!r && a != cases[i].want))
			kt_fail(__FILE__, __LINE__, "%s: r=%d addr=0x%llx", cases[i].name, r, (unsigned long long)a);
	}
	kx_ranges_done(&fr);
}

TEST(find_space_empty_list)
{
	struct kx_ranges fr = { 0 };
	struct kx_place_req q = { 0x1000, 0x1000, 0, 0, false };
	uint64_t a;

	ASSERT_ERR(kx_find_space(&fr, &q, &a), -ENOSPC);
}
