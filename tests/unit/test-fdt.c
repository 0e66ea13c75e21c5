/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-fdt.c - the next kernel's DTB: kfdt_kexec_build() round-tripped through the readers. */
#include <stdlib.h>

#include "kfdt.h"
#include "test-fdt.h"

static uint8_t tree[T_FDT_SIZE];

/* a firmware-like tree: memreserves, /memory, a /chosen full of stale kexec properties, seeds */
static size_t firmware_tree(int n_rsv, int na, int ns, int chosen, int seeds)
{
	t_begin(tree, n_rsv, na, ns);
	FDT_OK(fdt_begin_node(tree, "memory@40000000"));
	FDT_OK(fdt_property_string(tree, "device_type", "memory"));
	if (na == 2)
		T_CELLS(tree, "reg", 0, 0x40000000, 0, 0x40000000);
	else
		T_CELLS(tree, "reg", 0x40000000, 0x40000000);
	FDT_OK(fdt_end_node(tree));
	if (chosen) {
		FDT_OK(fdt_begin_node(tree, "chosen"));
		FDT_OK(fdt_property_string(tree, "bootargs", "console=ttyAMA0 crashkernel=256M"));
		FDT_OK(fdt_property_string(tree, "stdout-path", "/pl011@9000000"));
		FDT_OK(fdt_property_u64(tree, "linux,initrd-start", 0x48000000));
		FDT_OK(fdt_property_u64(tree, "linux,initrd-end", 0x48100000));
		T_CELLS(tree, "linux,elfcorehdr", 0, 0x7f000000, 0, 0x10000);
		T_CELLS(tree, "linux,usable-memory-range", 0, 0x70000000, 0, 0x10000000);
		FDT_OK(fdt_property(tree, "linux,booted-from-kexec", NULL, 0));
		T_CELLS(tree, "linux,ima-kexec-buffer", 0, 0x7e000000, 0, 0x1000);
		T_CELLS(tree, "linux,kho-fdt", 0, 0x7d000000, 0, 0x1000);
		T_CELLS(tree, "linux,kho-scratch", 0, 0x7c000000, 0, 0x1000);
		FDT_OK(fdt_property_u64(tree, "linux,uefi-system-table", 0xbff00000));
		if (seeds) {
			FDT_OK(fdt_property_u64(tree, "kaslr-seed", 0));
			static const uint8_t zero[64];
			FDT_OK(fdt_property(tree, "rng-seed", zero, sizeof(zero)));
		}
		FDT_OK(fdt_end_node(tree));
	}
	return t_end(tree);
}

static const struct kfdt_range two[] = { { 0x880000000ull, 0x20000000 }, { 0x38000000, 0x8000000 } };

static struct kfdt_kexec crash_req(void)
{
	static const uint8_t kseed[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static uint8_t rseed[64];
	struct kfdt_kexec k = {
		.bootargs = "console=ttyAMA0 elfcorehdr=0x8a0000000 reset_devices",
		.has_initrd = 1, .initrd_start = 0x8a1000000ull, .initrd_end = 0x8a1200000ull,
		.has_elfcorehdr = 1, .elfcorehdr_addr = 0x8a0000000ull, .elfcorehdr_size = 0x10000,
		.usable = two, .n_usable = 2,
		.kaslr_seed = kseed, .rng_seed = rseed, .rng_seed_len = sizeof(rseed),
		.extra_space = KFDT_EXTRA_SPACE,
	};
	unsigned i;

	for (i = 0; i < sizeof(rseed); i++)
		rseed[i] = (uint8_t)(0xa0 + i);
	return k;
}

static void *build(size_t len, const struct kfdt_kexec *k, size_t *out_len)
{
	const char *why = NULL;
	void *out = NULL;
	int r = kfdt_kexec_build(tree, len, k, &out, out_len, &why);

	if (r < 0)
		kt_fail(__FILE__, __LINE__, "kfdt_kexec_build: %d: %s", r, why ? why : "(no reason)");
	ASSERT_OK(kfdt_check(out, *out_len, &why));
	ASSERT_EQ(fdt_totalsize(out), *out_len);
	return out;
}

static const void *chosen_prop(const void *fdt, const char *name, int *len)
{
	return fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), name, len);
}

TEST(crash_two_cells_round_trip)
{
	struct kfdt_kexec k = crash_req();
	struct kfdt_range r[4];
	uint64_t a, b;
	unsigned n;
	size_t len;
	const char *why;
	const uint8_t *p;
	void *out = build(firmware_tree(3, 2, 2, 1, 1), &k, &len);
	int plen;

	ASSERT_STREQ(kfdt_get_bootargs(out), k.bootargs);
	ASSERT_OK(kfdt_get_initrd(out, &a, &b, &why));
	ASSERT_EQ(a, k.initrd_start);
	ASSERT_EQ(b, k.initrd_end);
	ASSERT_OK(kfdt_get_elfcorehdr(out, &a, &b, &why));
	ASSERT_EQ(a, 0x8a0000000ull);
	ASSERT_EQ(b, 0x10000);
	ASSERT_OK(kfdt_get_usable_ranges(out, r, 4, &n, &why));
	ASSERT_EQ(n, 2);
	ASSERT_EQ(r[0].start, two[0].start);	/* high first, as given */
	ASSERT_EQ(r[0].size, two[0].size);
	ASSERT_EQ(r[1].start, two[1].start);
	ASSERT_EQ(r[1].size, two[1].size);
	/* initrd as u64 */
	ASSERT_TRUE(chosen_prop(out, "linux,initrd-start", &plen));
	ASSERT_EQ(plen, 8);
	/* seeds refreshed */
	p = chosen_prop(out, "kaslr-seed", &plen);
	ASSERT_TRUE(p && plen == 8 && p[0] == 1 && p[7] == 8);
	p = chosen_prop(out, "rng-seed", &plen);
	ASSERT_TRUE(p && plen == 64 && p[0] == 0xa0 && p[63] == 0xa0 + 63);
	/* memreserves gone, stale properties gone, firmware properties kept */
	ASSERT_EQ(fdt_num_mem_rsv(out), 0);
	ASSERT_FALSE(chosen_prop(out, "linux,booted-from-kexec", &plen));
	ASSERT_FALSE(chosen_prop(out, "linux,ima-kexec-buffer", &plen));
	ASSERT_FALSE(chosen_prop(out, "linux,kho-fdt", &plen));
	ASSERT_FALSE(chosen_prop(out, "linux,kho-scratch", &plen));
	ASSERT_TRUE(chosen_prop(out, "linux,uefi-system-table", &plen));
	ASSERT_STREQ(chosen_prop(out, "stdout-path", &plen), "/pl011@9000000");
	ASSERT_TRUE(fdt_path_offset(out, "/memory@40000000") > 0);
	free(out);
}

TEST(extra_space_is_free_room)
{
	struct kfdt_kexec k = crash_req();
	size_t len, len0;
	void *out;

	k.extra_space = 0;
	out = build(firmware_tree(0, 2, 2, 1, 1), &k, &len0);
	free(out);
	k.extra_space = KFDT_EXTRA_SPACE;
	out = build(firmware_tree(0, 2, 2, 1, 1), &k, &len);
	ASSERT_EQ(len, len0 + KFDT_EXTRA_SPACE);
	/* the room is usable by libfdt's read-write calls without reopening */
	FDT_OK(fdt_setprop_string(out, fdt_path_offset(out, "/chosen"), "later", "added in place"));
	ASSERT_EQ(fdt_totalsize(out), len);
	free(out);
}

TEST(crash_one_cell)
{
	static const struct kfdt_range low[] = { { 0x30000000, 0x10000000 }, { 0x10000000, 0x8000000 } };
	struct kfdt_kexec k = crash_req();
	struct kfdt_range r[2];
	uint64_t a, b;
	unsigned n;
	size_t len;
	const char *why;
	void *out;
	int plen;

	k.elfcorehdr_addr = 0x3f000000;
	k.usable = low;
	out = build(firmware_tree(1, 1, 1, 1, 0), &k, &len);
	ASSERT_TRUE(chosen_prop(out, "linux,elfcorehdr", &plen));
	ASSERT_EQ(plen, 8);
	ASSERT_TRUE(chosen_prop(out, "linux,usable-memory-range", &plen));
	ASSERT_EQ(plen, 16);
	ASSERT_OK(kfdt_get_elfcorehdr(out, &a, &b, &why));
	ASSERT_EQ(a, 0x3f000000);
	ASSERT_EQ(b, 0x10000);
	ASSERT_OK(kfdt_get_usable_ranges(out, r, 2, &n, &why));
	ASSERT_EQ(n, 2);
	ASSERT_EQ(r[0].start, 0x30000000);
	ASSERT_EQ(r[1].start, 0x10000000);
	ASSERT_ERR(kfdt_get_usable_ranges(out, r, 1, &n, &why), -ENOSPC);
	ASSERT_EQ(n, 2);
	/* seeds absent in the input: not added */
	ASSERT_FALSE(chosen_prop(out, "kaslr-seed", &plen));
	ASSERT_FALSE(chosen_prop(out, "rng-seed", &plen));
	free(out);
}

TEST(one_cell_overflow_is_erange)
{
	struct kfdt_kexec k = crash_req();
	const char *why = NULL;
	void *out = NULL;
	size_t len = firmware_tree(2, 1, 1, 1, 0), olen;

	k.usable = NULL;
	k.n_usable = 0;
	ASSERT_ERR(kfdt_kexec_build(tree, len, &k, &out, &olen, &why), -ERANGE);	/* elfcorehdr at 0x8a0000000 */
	ASSERT_CONTAINS(why, "linux,elfcorehdr");
	ASSERT_TRUE(out == NULL);
	k.has_elfcorehdr = 0;
	k.usable = two;
	k.n_usable = 2;
	ASSERT_ERR(kfdt_kexec_build(tree, len, &k, &out, &olen, &why), -ERANGE);
	ASSERT_CONTAINS(why, "linux,usable-memory-range");
}

TEST(bad_root_cells)
{
	struct kfdt_kexec k = crash_req();
	const char *why = NULL;
	void *out = NULL;
	size_t olen, len = firmware_tree(0, 3, 2, 1, 0);

	ASSERT_ERR(kfdt_kexec_build(tree, len, &k, &out, &olen, &why), -EINVAL);
	ASSERT_CONTAINS(why, "#address-cells = 3");
	/* nothing that uses cells: the odd root is fine */
	k.has_elfcorehdr = 0;
	k.n_usable = 0;
	out = build(len, &k, &olen);
	free(out);
}

TEST(absent_root_cells_default_to_one)
{
	struct kfdt_kexec k = crash_req();
	uint64_t a, b;
	size_t len;
	const char *why;
	void *out;
	int plen;

	k.elfcorehdr_addr = 0x3f000000;
	k.n_usable = 0;
	out = build(firmware_tree(0, -1, -1, 1, 0), &k, &len);
	ASSERT_TRUE(chosen_prop(out, "linux,elfcorehdr", &plen));
	ASSERT_EQ(plen, 8);
	ASSERT_OK(kfdt_get_elfcorehdr(out, &a, &b, &why));
	ASSERT_EQ(a, 0x3f000000);
	free(out);
}

TEST(no_chosen_is_created)
{
	struct kfdt_kexec k = { .bootargs = "root=/dev/vda", .extra_space = 0 };
	struct kfdt_range r[1];
	uint64_t a, b;
	unsigned n;
	size_t len;
	const char *why = NULL;
	void *out = build(firmware_tree(4, 2, 2, 0, 0), &k, &len);

	ASSERT_TRUE(fdt_path_offset(out, "/chosen") > 0);
	ASSERT_STREQ(kfdt_get_bootargs(out), "root=/dev/vda");
	ASSERT_EQ(fdt_num_mem_rsv(out), 0);
	ASSERT_ERR(kfdt_get_initrd(out, &a, &b, &why), -ENOENT);
	ASSERT_ERR(kfdt_get_elfcorehdr(out, &a, &b, &why), -ENOENT);
	ASSERT_ERR(kfdt_get_usable_ranges(out, r, 1, &n, &why), -ENOENT);
	free(out);
}

TEST(readers_without_chosen)
{
	uint64_t a, b;
	const char *why = NULL;

	firmware_tree(0, 2, 2, 0, 0);
	ASSERT_TRUE(kfdt_get_bootargs(tree) == NULL);
	ASSERT_ERR(kfdt_get_initrd(tree, &a, &b, &why), -ENOENT);
	ASSERT_CONTAINS(why, "/chosen");
}

TEST(normal_kexec_deletes_everything_unasked)
{
	struct kfdt_kexec k = { 0 };
	size_t len;
	int plen;
	void *out = build(firmware_tree(1, 2, 2, 1, 1), &k, &len);

	ASSERT_TRUE(kfdt_get_bootargs(out) == NULL);
	ASSERT_FALSE(chosen_prop(out, "linux,initrd-start", &plen));
	ASSERT_FALSE(chosen_prop(out, "linux,initrd-end", &plen));
	ASSERT_FALSE(chosen_prop(out, "linux,elfcorehdr", &plen));
	ASSERT_FALSE(chosen_prop(out, "linux,usable-memory-range", &plen));
	/* seeds without new bytes: kept as they were */
	ASSERT_TRUE(chosen_prop(out, "kaslr-seed", &plen));
	ASSERT_TRUE(chosen_prop(out, "rng-seed", &plen));
	ASSERT_TRUE(chosen_prop(out, "linux,uefi-system-table", &plen));
	free(out);
}

TEST(rng_seed_takes_the_given_length)
{
	static const uint8_t s[128] = { 0x55 };
	struct kfdt_kexec k = { .rng_seed = s, .rng_seed_len = sizeof(s) };
	size_t len;
	int plen;
	void *out = build(firmware_tree(0, 2, 2, 1, 1), &k, &len);

	ASSERT_TRUE(chosen_prop(out, "rng-seed", &plen));
	ASSERT_EQ(plen, 128);
	free(out);
}

TEST(over_two_mib_is_e2big)
{
	struct kfdt_kexec k = { .bootargs = "x", .extra_space = KFDT_MAX_DTB_SIZE };
	const char *why = NULL;
	void *out = NULL;
	size_t olen, len = firmware_tree(0, 2, 2, 1, 0);
	char *big;

	ASSERT_ERR(kfdt_kexec_build(tree, len, &k, &out, &olen, &why), -E2BIG);
	ASSERT_CONTAINS(why, "bytes");
	/* a huge bootargs, without extra space */
	big = malloc(KFDT_MAX_DTB_SIZE);
	ASSERT_TRUE(big);
	memset(big, 'a', KFDT_MAX_DTB_SIZE - 1);
	big[KFDT_MAX_DTB_SIZE - 1] = 0;
	k.bootargs = big;
	k.extra_space = 0;
	ASSERT_ERR(kfdt_kexec_build(tree, len, &k, &out, &olen, &why), -E2BIG);
	ASSERT_TRUE(out == NULL);
	/* just under: fits */
	big[KFDT_MAX_DTB_SIZE - 8192] = 0;
	ASSERT_OK(kfdt_kexec_build(tree, len, &k, &out, &olen, &why));
	ASSERT_TRUE(olen <= KFDT_MAX_DTB_SIZE);
	ASSERT_STREQ(kfdt_get_bootargs(out), big);
	free(out);
	free(big);
}

TEST(garbage_is_einval)
{
	struct kfdt_kexec k = { 0 };
	const char *why = NULL;
	void *out = NULL;
	size_t olen, len;
	static uint8_t junk[256];

	memset(junk, 0x5a, sizeof(junk));
	ASSERT_ERR(kfdt_kexec_build(junk, sizeof(junk), &k, &out, &olen, &why), -EINVAL);
	ASSERT_TRUE(why && *why);
	ASSERT_ERR(kfdt_kexec_build(junk, 10, &k, &out, &olen, &why), -EINVAL);
	ASSERT_TRUE(why && *why);
	/* a good tree cut short */
	len = firmware_tree(1, 2, 2, 1, 0);
	ASSERT_ERR(kfdt_kexec_build(tree, len - 16, &k, &out, &olen, &why), -EINVAL);
	ASSERT_TRUE(why && *why);
	ASSERT_TRUE(out == NULL);
}

TEST(inconsistent_request_is_einval)
{
	struct kfdt_kexec k = { .has_initrd = 1, .initrd_start = 0x2000, .initrd_end = 0x1000 };
	const char *why = NULL;
	void *out = NULL;
	size_t olen, len = firmware_tree(0, 2, 2, 1, 0);

	ASSERT_ERR(kfdt_kexec_build(tree, len, &k, &out, &olen, &why), -EINVAL);
	k.has_initrd = 0;
	k.n_usable = 1;
	ASSERT_ERR(kfdt_kexec_build(tree, len, &k, &out, &olen, &why), -EINVAL);
}

TEST(set_elfcorehdr_in_place)
{
	struct kfdt_kexec k = crash_req();
	uint64_t a, b;
	size_t len;
	const char *why = NULL;
	void *out = build(firmware_tree(0, 2, 2, 1, 0), &k, &len);

	ASSERT_OK(kfdt_set_elfcorehdr(out, 0x8b0000000ull, 0x20000, &why));
	ASSERT_EQ(fdt_totalsize(out), len);
	ASSERT_OK(kfdt_get_elfcorehdr(out, &a, &b, &why));
	ASSERT_EQ(a, 0x8b0000000ull);
	ASSERT_EQ(b, 0x20000);
	free(out);

	k.has_elfcorehdr = 0;
	out = build(firmware_tree(0, 2, 2, 1, 0), &k, &len);
	ASSERT_ERR(kfdt_set_elfcorehdr(out, 1, 2, &why), -ENOENT);
	free(out);

	k = crash_req();
	k.elfcorehdr_addr = 0x3f000000;
	k.n_usable = 0;
	out = build(firmware_tree(0, 1, 1, 1, 0), &k, &len);
	ASSERT_ERR(kfdt_set_elfcorehdr(out, 0x100000000ull, 0x1000, &why), -ERANGE);
	ASSERT_OK(kfdt_set_elfcorehdr(out, 0x3e000000, 0x1000, &why));
	ASSERT_OK(kfdt_get_elfcorehdr(out, &a, &b, &why));
	ASSERT_EQ(a, 0x3e000000);
	free(out);
}

TEST(build_is_deterministic)
{
	struct kfdt_kexec k = crash_req();
	size_t l1, l2, len = firmware_tree(2, 2, 2, 1, 1);
	void *a = build(len, &k, &l1), *b = build(len, &k, &l2);

	ASSERT_EQ(l1, l2);
	ASSERT_TRUE(memcmp(a, b, l1) == 0);
	free(a);
	free(b);
}

TEST(old_version_is_einval)
{
	struct kfdt_kexec k = { 0 };
	const char *why = NULL;
	void *out = NULL;
	size_t olen, len = firmware_tree(0, 2, 2, 1, 0);

	/* version 15 trees crash libfdt 1.6.1's fdt_check_full(): refused before it */
	fdt_set_version(tree, 15);
	fdt_set_last_comp_version(tree, 2);
	ASSERT_ERR(kfdt_kexec_build(tree, len, &k, &out, &olen, &why), -EINVAL);
	ASSERT_CONTAINS(why, "version");
}

TEST(wrapping_property_length_is_einval)
{
	const char *why = NULL;
	size_t len = firmware_tree(0, 2, 2, 1, 0);
	int prop = fdt_first_property_offset(tree, 0);
	fdt32_t *plen;

	/* a length of -12 sends libfdt 1.6.1's fdt_check_full() round in circles: must be refused */
	ASSERT_TRUE(prop >= 0);
	plen = (fdt32_t *)(tree + fdt_off_dt_struct(tree) + (unsigned)prop + 4);
	*plen = cpu_to_fdt32(0xfffffff4u);
	ASSERT_ERR(kfdt_check(tree, len, &why), -EINVAL);
	ASSERT_TRUE(why && *why);
}
