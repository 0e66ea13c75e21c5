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
	f->m.loaded = KT_MACHINE_ALL;	/* the whole machine is given here: read nothing */
	ASSERT_OK(kx_ranges_add(&f->m.ram, 0x1000, 0x9fc00, KX_MEM_RAM));
	ASSERT_OK(kx_ranges_add(&f->m.ram, 0x100000, 0x20000000, KX_MEM_RAM));
	ASSERT_OK(kx_ranges_add(&f->m.firmware, 0, 0x1000, KX_MEM_RESERVED));
	ASSERT_OK(kx_ranges_add(&f->m.firmware, 0xf0000, 0x100000, KX_MEM_RESERVED));
	ASSERT_OK(kx_ranges_add(&f->m.firmware, 0x1fff0000, 0x20000000, KX_MEM_ACPI));
	/* that ACPI range is inside RAM above; the normal map must not double it */
	f->ctx = (struct kx_ctx){ .o = &f->o, .arch = &kx_arch_native, .m = &f->m, .d = &f->d, .root_fd = -1 };
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
	/* a normal load keeps init_size as the segment: its control pages may come from anywhere */
	ASSERT_EQ(k->memsz, 0x400000);	/* init_size */
	ASSERT_EQ(k->kept_free, 0);
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

/* RAM below and above 4 GiB; --mem-min leaves only [496M, 512M) below 4 GiB. */
static void add_high_ram(struct fixture *f, uint64_t mem_min)
{
	ASSERT_OK(kx_ranges_add(&f->m.ram, 0x100000000ULL, 0x200000000ULL, KX_MEM_RAM));
	f->o.mem_min = mem_min;
}

TEST(not_above_4g_image_stays_below_4g)
{
	struct fixture f;
	size_t i;

	/* with XLF_CAN_BE_LOADED_ABOVE_4G and no room below 4 GiB: it goes above */
	setup_normal(&f, "");
	add_high_ram(&f, 0x20000000);
	if (kx_load_plan(&f.ctx, &f.plan) < 0)
		kt_fail(__FILE__, __LINE__, "plan: %s", f.d.msg);
	ASSERT_TRUE(f.plan.seg[kx_plan_find(&f.plan, KX_SEG_KERNEL)].mem >= 0x100000000ULL);
	teardown(&f);

	/* without it: refused, naming the flag */
	setup_normal(&f, "");
	add_high_ram(&f, 0x20000000);
	bp_put16(f.ctx.kernel.buf, BP_XLOADFLAGS, XLF_KERNEL_64);
	ASSERT_ERR(kx_load_plan(&f.ctx, &f.plan), -ENOSPC);
	ASSERT_CONTAINS(f.d.msg, "XLF_CAN_BE_LOADED_ABOVE_4G");
	teardown(&f);

	/* without it, with room below 4 GiB: kernel, boot data and initrd all end below 4 GiB */
	setup_normal(&f, "");
	add_high_ram(&f, 0x1f000000);
	bp_put16(f.ctx.kernel.buf, BP_XLOADFLAGS, XLF_KERNEL_64);
	f.ctx.initrd.path = "initrd";
	f.ctx.initrd.buf = calloc(1, 0x1000);
	f.ctx.initrd.len = 0x1000;
	if (kx_load_plan(&f.ctx, &f.plan) < 0)
		kt_fail(__FILE__, __LINE__, "plan: %s", f.d.msg);
	for (i = 0; i < f.plan.n_seg; i++)
		if (f.plan.seg[i].role != KX_SEG_PURGATORY)
			ASSERT_TRUE(f.plan.seg[i].mem + f.plan.seg[i].memsz <= 0x100000000ULL);
	free(f.ctx.initrd.buf);
	teardown(&f);
}

/* The first note at @level or above that contains @what, or NULL. */
static const struct kx_note *note_with(const struct kx_notes *ns, enum kx_note_level level, const char *what)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		if (ns->v[i].level >= level && strstr(ns->v[i].msg, what))
			return &ns->v[i];
	return NULL;
}

static void set_vmcoreinfo(struct fixture *f, const char *text)
{
	f->m.kcore.vmcoreinfo = strdup(text);
	f->m.kcore.vmcoreinfo_len = strlen(text);
}

TEST(five_level_paging_checked_for_normal_loads)
{
	struct fixture f;
	struct kx_notes notes = { 0 };

	/* the running kernel uses 5-level paging; the image cannot */
	setup_normal(&f, "");
	set_vmcoreinfo(&f, "OSRELEASE=6.1.0\nNUMBER(pgtable_l5_enabled)=1\n");
	bp_put16(f.ctx.kernel.buf, BP_XLOADFLAGS, XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G);
	ASSERT_ERR(kx_load_plan(&f.ctx, &f.plan), -ENOEXEC);
	ASSERT_CONTAINS(f.d.msg, "XLF_5LEVEL");
	free(f.m.kcore.vmcoreinfo);
	teardown(&f);

	/* 4-level: fine */
	setup_normal(&f, "");
	set_vmcoreinfo(&f, "NUMBER(pgtable_l5_enabled)=0\n");
	bp_put16(f.ctx.kernel.buf, BP_XLOADFLAGS, XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G);
	ASSERT_OK(kx_load_plan(&f.ctx, &f.plan));
	free(f.m.kcore.vmcoreinfo);
	teardown(&f);

	/* no proc/kcore: loads, with a warning that says what could not be checked */
	setup_normal(&f, "");
	f.ctx.notes = &notes;
	bp_put16(f.ctx.kernel.buf, BP_XLOADFLAGS, XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G);
	ASSERT_OK(kx_load_plan(&f.ctx, &f.plan));
	ASSERT_TRUE(note_with(&notes, KX_NOTE_WARN, "5-level") != NULL);
	kx_notes_done(&notes);
	teardown(&f);
}

/* A machine booted through 64-bit EFI, with its runtime map and tables. */
static void setup_efi(struct fixture *f, bool rsdp_in_boot_params)
{
	static const struct kx_efi_md rt[2] = {
		{ .type = 5, .phys = 0x7f800000, .virt = 0xfffffffeff800000ULL, .pages = 0x100, .attr = 0x800000000000000fULL },
		{ .type = 6, .phys = 0x7f900000, .virt = 0xfffffffeff900000ULL, .pages = 0x80, .attr = 0x800000000000000fULL },
	};
	uint8_t *cur = calloc(1, BP_SIZE);

	bp_put32(cur, BP_EFI_LOADER_SIGNATURE, EFI64_LOADER_SIGNATURE);
	bp_put32(cur, BP_EFI_SYSTAB, 0x7fb9e018);
	bp_put32(cur, BP_EFI_SYSTAB_HI, 0);
	bp_put32(cur, BP_EFI_MEMDESC_VERSION, 1);
	bp_put32(cur, BP_EFI_MEMDESC_SIZE, 48);
	bp_put32(cur, BP_EFI_MEMMAP_SIZE, 0x1200);
	bp_put8(cur, BP_SECURE_BOOT, 3);
	bp_put32(cur, BP_HARDWARE_SUBARCH, 0);
	if (rsdp_in_boot_params)
		bp_put64(cur, BP_ACPI_RSDP_ADDR, 0xf5a30);
	f->m.boot_data = cur;
	f->m.boot_data_len = BP_SIZE;
	f->m.efi = (struct kx_efi){
		.present = true, .acpi20 = 0x7fb7e014, .acpi = 0x7fb7e000, .smbios = 0x7f9a3000,
		.has_tables = true, .fw_vendor = 0x7fb9e200, .runtime = 0x7fb9e300, .config_table = 0x7fb9e400,
		.has_rtmap = true, .n_rtmap = 2,
	};
	f->m.efi.rtmap = malloc(sizeof(rt));
	memcpy(f->m.efi.rtmap, rt, sizeof(rt));
	bp_put16(f->ctx.kernel.buf, BP_XLOADFLAGS, XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G | XLF_EFI_KEXEC | XLF_5LEVEL);
}

static void teardown_efi(struct fixture *f)
{
	free(f->m.boot_data);
	free(f->m.efi.rtmap);
	teardown(f);
}

/* Find setup_data of @type in the setup segment's chain; NULL if absent. */
static const uint8_t *find_sd(const struct kx_segment *s, uint32_t type)
{
	const uint8_t *bp = s->buf;
	uint64_t a = bp_get64(bp, BP_SETUP_DATA);
	int hops = 0;

	while (a && hops++ < 16) {
		const uint8_t *sd;

		if (a < s->mem || a + 16 > s->mem + s->bufsz)
			kt_fail(__FILE__, __LINE__, "setup_data at 0x%llx is outside the setup segment", (unsigned long long)a);
		sd = bp + (a - s->mem);
		if (bp_get32(sd, 8) == type)
			return sd;
		a = bp_get64(sd, 0);
	}
	return NULL;
}

TEST(efi_runtime_services_passed_on)
{
	struct fixture f;
	const struct kx_segment *s;
	const uint8_t *bp, *sd, *map;
	uint64_t ma;

	setup_normal(&f, "");
	setup_efi(&f, false);
	if (kx_load_plan(&f.ctx, &f.plan) < 0)
		kt_fail(__FILE__, __LINE__, "plan: %s", f.d.msg);
	s = &f.plan.seg[kx_plan_find(&f.plan, KX_SEG_SETUP)];
	bp = s->buf;
	ASSERT_EQ(bp_get32(bp, BP_EFI_LOADER_SIGNATURE), EFI64_LOADER_SIGNATURE);
	ASSERT_EQ(bp_get32(bp, BP_EFI_SYSTAB), 0x7fb9e018);
	ASSERT_EQ(bp_get32(bp, BP_EFI_MEMDESC_VERSION), 1);
	ASSERT_EQ(bp_get32(bp, BP_EFI_MEMDESC_SIZE), 40);
	ASSERT_EQ(bp_get32(bp, BP_EFI_MEMMAP_SIZE), 80);
	ASSERT_EQ(bp_get8(bp, BP_SECURE_BOOT), 3);
	/* boot_params had no RSDP: EFI's ACPI 2.0 table it is */
	ASSERT_EQ(bp_get64(bp, BP_ACPI_RSDP_ADDR), 0x7fb7e014);
	/* the runtime map, inside the segment */
	ma = bp_get32(bp, BP_EFI_MEMMAP) | (uint64_t)bp_get32(bp, BP_EFI_MEMMAP_HI) << 32;
	ASSERT_TRUE(ma >= s->mem + BP_SIZE && ma + 80 <= s->mem + s->bufsz);
	map = bp + (ma - s->mem);
	ASSERT_EQ(bp_get32(map, 0), 5);
	ASSERT_EQ(bp_get64(map, 8), 0x7f800000);
	ASSERT_EQ(bp_get64(map, 16), 0xfffffffeff800000ULL);
	ASSERT_EQ(bp_get64(map, 24), 0x100);
	ASSERT_EQ(bp_get64(map, 40 + 8), 0x7f900000);
	/* SETUP_EFI: fw_vendor, runtime, tables, smbios */
	sd = find_sd(s, SETUP_EFI);
	ASSERT_TRUE(sd != NULL);
	ASSERT_EQ(bp_get32(sd, 12), 96);
	ASSERT_EQ(bp_get64(sd, 16), 0x7fb9e200);
	ASSERT_EQ(bp_get64(sd, 32), 0x7fb9e400);
	ASSERT_EQ(bp_get64(sd, 40), 0x7f9a3000);
	teardown_efi(&f);

	/* boot_params' own RSDP wins over EFI's */
	setup_normal(&f, "");
	setup_efi(&f, true);
	ASSERT_OK(kx_load_plan(&f.ctx, &f.plan));
	bp = f.plan.seg[kx_plan_find(&f.plan, KX_SEG_SETUP)].buf;
	ASSERT_EQ(bp_get64(bp, BP_ACPI_RSDP_ADDR), 0xf5a30);
	teardown_efi(&f);
}

TEST(efi_not_passed_without_runtime_map_or_with_noefi)
{
	static const char *const why[] = { "--noefi", "runtime-map", "XLF_EFI_KEXEC" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(why); i++) {
		struct fixture f;
		struct kx_notes notes = { 0 };
		const struct kx_segment *s;

		setup_normal(&f, "");
		setup_efi(&f, false);
		f.ctx.notes = &notes;
		if (i == 0)
			f.o.noefi = true;
		else if (i == 1)
			f.m.efi.has_rtmap = false;
		else
			bp_put16(f.ctx.kernel.buf, BP_XLOADFLAGS, XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G | XLF_5LEVEL);
		ASSERT_OK(kx_load_plan(&f.ctx, &f.plan));
		s = &f.plan.seg[kx_plan_find(&f.plan, KX_SEG_SETUP)];
		ASSERT_EQ(bp_get32(s->buf, BP_EFI_LOADER_SIGNATURE), 0);
		ASSERT_TRUE(find_sd(s, SETUP_EFI) == NULL);
		/* the RSDP still reaches the next kernel */
		ASSERT_EQ(bp_get64(s->buf, BP_ACPI_RSDP_ADDR), 0x7fb7e014);
		ASSERT_TRUE(note_with(&notes, KX_NOTE_INFO, why[i]) != NULL);
		kx_notes_done(&notes);
		teardown_efi(&f);
	}
}

TEST(normal_e820_from_firmware_memmap)
{
	struct fixture f;
	const uint8_t *bp;

	/* booted with mem=512M: iomem stops at 512M, the firmware map has 1 GiB */
	setup_normal(&f, "");
	ASSERT_OK(kx_ranges_add(&f.m.fw_memmap, 0, 0x9fc00, KX_MEM_RAM));
	ASSERT_OK(kx_ranges_add(&f.m.fw_memmap, 0xf0000, 0x100000, KX_MEM_RESERVED));
	ASSERT_OK(kx_ranges_add(&f.m.fw_memmap, 0x100000, 0x40000000, KX_MEM_RAM));
	f.m.has_fw_memmap = true;
	if (kx_load_plan(&f.ctx, &f.plan) < 0)
		kt_fail(__FILE__, __LINE__, "plan: %s", f.d.msg);
	bp = f.plan.seg[kx_plan_find(&f.plan, KX_SEG_SETUP)].buf;
	ASSERT_EQ(bp_get8(bp, BP_E820_ENTRIES), 3);
	ASSERT_EQ(bp_get64(bp, BP_E820_TABLE + 2 * 20), 0x100000);
	ASSERT_EQ(bp_get64(bp, BP_E820_TABLE + 2 * 20 + 8), 0x40000000 - 0x100000);
	ASSERT_EQ(bp_get32(bp, BP_E820_TABLE + 2 * 20 + 16), E820_RAM);
	kx_ranges_done(&f.m.fw_memmap);
	teardown(&f);
}
