/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-bzimage.c - the x86_64 bzImage64 loader on synthetic images: probe
 * rows (good, not a kernel, too old, 32-bit only, truncated) and a whole
 * normal-load plan (placement, boot_params fields, e820, purgatory entry).
 */
#include <libfdt.h>
#include <stdlib.h>

#include "bootparam.h"
#include "ctx.h"
#include "test.h"

#include "fake-bzimage.h"

static int probe(const uint8_t *b, size_t len, struct kx_diag *d)
{
	*d = (struct kx_diag){ 0 };
	return kx_arch_native.loaders[0]->probe(b, len, d);
}

TEST(probe_rows)
{
	struct kx_diag d;
	size_t len;
	uint8_t *b = kt_fake_bzimage(&len), junk[4096] = { 0x7f, 'E', 'L', 'F' };

	ASSERT_OK(probe(b, len, &d));
	ASSERT_ERR(probe(junk, sizeof(junk), &d), -ENOEXEC);
	ASSERT_ERR(probe(b, 100, &d), -ENOEXEC);	/* shorter than a setup header */
	ASSERT_ERR(probe(b, len - 1, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "truncated");
	bp_put16(b, BP_VERSION, 0x020b);
	ASSERT_ERR(probe(b, len, &d), -ENOEXEC);
	ASSERT_CONTAINS(d.msg, "2.11");
	bp_put16(b, BP_VERSION, 0x020f);
	bp_put16(b, BP_XLOADFLAGS, 0);
	ASSERT_ERR(probe(b, len, &d), -ENOEXEC);
	ASSERT_CONTAINS(d.msg, "XLF_KERNEL_64");
	bp_put16(b, BP_XLOADFLAGS, XLF_KERNEL_64);
	bp_put8(b, BP_RELOCATABLE, 0);
	ASSERT_ERR(probe(b, len, &d), -ENOEXEC);
	ASSERT_CONTAINS(d.msg, "relocatable");
	free(b);
}

struct fixture {
	struct kx_opts o;
	struct kx_machine m;
	struct kx_diag d;
	struct kx_ctx ctx;
	struct kx_plan plan;
};

static void setup_normal(struct fixture *f, const char *append)
{
	memset(f, 0, sizeof(*f));
	f->o.append = append;
	f->o.root = "/";
	f->m.root = (char *)"test";
	f->m.root_fd = -1;
	ASSERT_OK(kx_ranges_add(&f->m.ram, 0x1000, 0x9fc00, KX_MEM_RAM));
	ASSERT_OK(kx_ranges_add(&f->m.ram, 0x100000, 0x20000000, KX_MEM_RAM));
	ASSERT_OK(kx_ranges_add(&f->m.firmware, 0, 0x1000, KX_MEM_RESERVED));
	ASSERT_OK(kx_ranges_add(&f->m.firmware, 0xf0000, 0x100000, KX_MEM_RESERVED));
	ASSERT_OK(kx_ranges_add(&f->m.firmware, 0x1fff0000, 0x20000000, KX_MEM_ACPI));
	/* that ACPI range is inside RAM above; the normal map must not double it */
	f->ctx = (struct kx_ctx){ .o = &f->o, .arch = &kx_arch_native, .m = &f->m, .d = &f->d };
	f->ctx.kernel.buf = kt_fake_bzimage(&f->ctx.kernel.len);
	f->ctx.kernel.path = "fake-bzImage";
	f->ctx.kernel.fd = f->ctx.initrd.fd = -1;
	ASSERT_OK(kx_cmdline_build(&f->ctx, &f->ctx.cmdline));
	kx_plan_init(&f->plan);
}

static void teardown(struct fixture *f)
{
	kx_plan_done(&f->plan);
	free(f->ctx.kernel.buf);
	free(f->ctx.cmdline);
	kx_ranges_done(&f->m.ram);
	kx_ranges_done(&f->m.firmware);
}

TEST(normal_load_plan)
{
	struct fixture f;
	const struct kx_segment *k, *s;
	const uint8_t *bp;
	unsigned i, n;
	int ki, si;

	setup_normal(&f, "console=ttyS0 quiet");
	if (kx_load_plan(&f.ctx, &f.plan) < 0)
		kt_fail(__FILE__, __LINE__, "plan: %s", f.d.msg);
	ki = kx_plan_find(&f.plan, KX_SEG_KERNEL);
	si = kx_plan_find(&f.plan, KX_SEG_SETUP);
	ASSERT_TRUE(ki >= 0 && si >= 0);
	k = &f.plan.seg[ki];
	s = &f.plan.seg[si];
	ASSERT_EQ(k->mem % 0x200000, 0);
	ASSERT_TRUE(k->mem >= 0x1000000);	/* pref_address honoured */
	ASSERT_EQ(k->memsz, 0x400000);	/* init_size */
	ASSERT_EQ(k->bufsz, PAYLOAD);
	bp = s->buf;
	ASSERT_EQ(bp_get8(bp, BP_TYPE_OF_LOADER), LOADER_TYPE_KEXEC);
	ASSERT_EQ(bp_get32(bp, BP_CMD_LINE_PTR), s->mem + BP_SIZE);
	ASSERT_STREQ((const char *)bp + BP_SIZE, "console=ttyS0 quiet");
	ASSERT_EQ(memcmp(bp + BP_HEADER_MAGIC, "HdrS", 4), 0);
	/* e820: 2 RAM + 3 firmware ranges, RAM split around the ACPI range */
	n = bp_get8(bp, BP_E820_ENTRIES);
	ASSERT_EQ(n, 5);
	for (i = 1; i < n; i++)
		ASSERT_TRUE(bp_get64(bp, BP_E820_TABLE + i * 20) >= bp_get64(bp, BP_E820_TABLE + (i - 1) * 20));
	ASSERT_EQ(bp_get32(bp, BP_E820_TABLE + 4 * 20 + 16), E820_ACPI);
	ASSERT_EQ(kx_plan_find(&f.plan, KX_SEG_PURGATORY) >= 0, 1);
	ASSERT_TRUE(f.plan.has_digest);
	ASSERT_FALSE(f.plan.seg[kx_plan_find(&f.plan, KX_SEG_PURGATORY)].in_digest);
	teardown(&f);
}

TEST(cmdline_too_long)
{
	struct fixture f;
	char longline[300];

	memset(longline, 'a', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = 0;
	setup_normal(&f, longline);
	ASSERT_ERR(kx_load_plan(&f.ctx, &f.plan), -E2BIG);
	ASSERT_CONTAINS(f.d.msg, "command line is 299 bytes");
	ASSERT_CONTAINS(f.d.msg, "cmdline_size");
	teardown(&f);
}

TEST(no_room_for_kernel)
{
	struct fixture f;

	setup_normal(&f, "");
	f.o.mem_max = 0x4fffff;	/* 4 MiB init_size at 2 MiB alignment needs [2M, 6M) */
	ASSERT_ERR(kx_load_plan(&f.ctx, &f.plan), -ENOSPC);
	ASSERT_CONTAINS(f.d.msg, "no room for the kernel");
	teardown(&f);
}

TEST(e820_ext_beyond_128_entries)
{
	struct fixture f;
	const struct kx_segment *s;
	const uint8_t *bp, *ext;
	uint64_t i, n, ext_addr;

	setup_normal(&f, "");
	/* 200 reserved holes punched into RAM: 401 map entries */
	for (i = 0; i < 200; i++)
		ASSERT_OK(kx_ranges_add(&f.m.firmware, 0x4000000 + i * 0x10000, 0x4000000 + i * 0x10000 + 0x1000,
					KX_MEM_RESERVED));
	if (kx_load_plan(&f.ctx, &f.plan) < 0)
		kt_fail(__FILE__, __LINE__, "plan: %s", f.d.msg);
	s = &f.plan.seg[kx_plan_find(&f.plan, KX_SEG_SETUP)];
	bp = s->buf;
	ASSERT_EQ(bp_get8(bp, BP_E820_ENTRIES), 128);
	ext_addr = bp_get64(bp, BP_SETUP_DATA);
	ASSERT_TRUE(ext_addr > s->mem && ext_addr < s->mem + s->bufsz);
	ASSERT_EQ(ext_addr % 16, 0);
	ext = bp + (ext_addr - s->mem);
	ASSERT_EQ(bp_get64(ext, 0), 0);	/* end of the setup_data list */
	ASSERT_EQ(bp_get32(ext, 8), SETUP_E820_EXT);
	n = bp_get32(ext, 12) / 20;
	ASSERT_EQ(128 + n, 5 + 2 * 200);
	/* the list continues in address order where boot_params stops */
	ASSERT_TRUE(bp_get64(ext, 16) > bp_get64(bp, BP_E820_TABLE + 127 * 20));
	teardown(&f);
}

TEST(dtb_as_setup_data)
{
	struct fixture f;
	const struct kx_segment *s;
	const uint8_t *bp, *sd;
	uint8_t tree[256];
	uint64_t a;

	setup_normal(&f, "");
	ASSERT_OK(fdt_create_empty_tree(tree, sizeof(tree)));
	f.ctx.dtb.path = "test.dtb";
	f.ctx.dtb.buf = tree;
	f.ctx.dtb.len = sizeof(tree);
	if (kx_load_plan(&f.ctx, &f.plan) < 0)
		kt_fail(__FILE__, __LINE__, "plan: %s", f.d.msg);
	s = &f.plan.seg[kx_plan_find(&f.plan, KX_SEG_SETUP)];
	bp = s->buf;
	a = bp_get64(bp, BP_SETUP_DATA);
	ASSERT_TRUE(a > s->mem && a + 16 + fdt_totalsize(tree) <= s->mem + s->bufsz);
	sd = bp + (a - s->mem);
	ASSERT_EQ(bp_get32(sd, 8), SETUP_DTB);
	ASSERT_EQ(bp_get32(sd, 12), fdt_totalsize(tree));
	ASSERT_EQ(bp_get64(sd, 0), 0);
	ASSERT_EQ(fdt_check_full(sd + 16, fdt_totalsize(tree)), 0);
	f.ctx.dtb.buf = NULL;
	teardown(&f);
}

TEST(dtb_corrupt_is_refused)
{
	struct fixture f;
	uint8_t junk[64] = { 0xd0, 0x0d, 0xfe, 0xed, 1 };

	setup_normal(&f, "");
	f.ctx.dtb.path = "junk.dtb";
	f.ctx.dtb.buf = junk;
	f.ctx.dtb.len = sizeof(junk);
	ASSERT_ERR(kx_load_plan(&f.ctx, &f.plan), -EINVAL);
	ASSERT_CONTAINS(f.d.msg, "junk.dtb: not a valid flattened device tree");
	f.ctx.dtb.buf = NULL;
	teardown(&f);
}
