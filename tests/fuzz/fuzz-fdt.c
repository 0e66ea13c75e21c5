/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-fdt.c - libFuzzer target for fdt/libkfdt.a: the input is a device
 * tree from an untrusted source (/sys/firmware/fdt, --dtb).  Whatever
 * libfdt's full check accepts must go through kfdt_kexec_build(),
 * kfdt_dma_limit(), kfdt_stdout_uart() and the /chosen readers without a
 * crash, and a built DTB must check, be packed under 2 MiB and read back
 * what was asked.  Built and run by tests/fuzz/run-fuzz.sh:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Ifdt \
 *	tests/fuzz/fuzz-fdt.c fdt/*.c -lfdt -o fuzz-fdt && ./fuzz-fdt -max_total_time=60
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kfdt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MUST(e) do { if (!(e)) abort(); } while (0)

static void read_all(const void *fdt)
{
	struct kfdt_range r[4];
	uint64_t a, b;
	unsigned n;
	const char *why, *s;
	int rc;

	why = NULL;
	rc = kfdt_dma_limit(fdt, &a, &why);
	MUST(rc == 0 || ((rc == -ENOENT || rc == -EINVAL) && why));
	why = NULL;
	rc = kfdt_stdout_uart(fdt, &a, &why);
	MUST(rc == 0 || ((rc == -ENOENT || rc == -EINVAL) && why));
	rc = kfdt_get_usable_ranges(fdt, r, 4, &n, &why);
	MUST(rc == 0 || rc == -ENOENT || rc == -EINVAL || rc == -ENOSPC);
	MUST(rc != 0 || n <= 4);
	rc = kfdt_get_elfcorehdr(fdt, &a, &b, &why);
	MUST(rc == 0 || rc == -ENOENT || rc == -EINVAL);
	rc = kfdt_get_initrd(fdt, &a, &b, &why);
	MUST(rc == 0 || rc == -ENOENT || rc == -EINVAL);
	s = kfdt_get_bootargs(fdt);
	MUST(!s || strlen(s) < (1u << 24));
}

/* build with @k; when it works, the result must read back as asked */
static void build(const void *in, size_t len, const struct kfdt_kexec *k)
{
	struct kfdt_range r[4];
	const char *why = NULL;
	uint64_t a, b;
	unsigned n, i;
	size_t out_len = 0;
	void *out = NULL;
	int rc;

	rc = kfdt_kexec_build(in, len, k, &out, &out_len, &why);
	if (rc < 0) {
		MUST(rc == -EINVAL || rc == -ERANGE || rc == -E2BIG || rc == -ENOMEM);
		MUST(why && !out);
		return;
	}
	MUST(kfdt_check(out, out_len, &why) == 0);
	MUST(kfdt_size(out) == out_len && out_len <= KFDT_MAX_DTB_SIZE);
	MUST(strcmp(kfdt_get_bootargs(out), k->bootargs) == 0);
	MUST(kfdt_get_initrd(out, &a, &b, &why) == 0 && a == k->initrd_start && b == k->initrd_end);
	MUST(kfdt_get_elfcorehdr(out, &a, &b, &why) == 0 && a == k->elfcorehdr_addr && b == k->elfcorehdr_size);
	MUST(kfdt_get_usable_ranges(out, r, 4, &n, &why) == 0 && n == k->n_usable);
	for (i = 0; i < n; i++)
		MUST(r[i].start == k->usable[i].start && r[i].size == k->usable[i].size);
	MUST(kfdt_set_elfcorehdr(out, 0x1000, 0x2000, &why) == 0);
	MUST(kfdt_get_elfcorehdr(out, &a, &b, &why) == 0 && a == 0x1000 && b == 0x2000);
	read_all(out);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct kfdt_range lo[] = { { 0x38000000, 0x8000000 }, { 0x10000000, 0x1000000 } };
	static const struct kfdt_range hi[] = { { 0x880000000ull, 0x20000000 }, { 0x38000000, 0x8000000 } };
	static const uint8_t seed[64] = { 1, 2, 3 };
	struct kfdt_kexec k = {
		.bootargs = "console=ttyAMA0 reset_devices",
		.has_initrd = 1, .initrd_start = 0x48000000, .initrd_end = 0x48100000,
		.has_elfcorehdr = 1, .elfcorehdr_addr = 0x3f000000, .elfcorehdr_size = 0x10000,
		.usable = lo, .n_usable = 2,
		.kaslr_seed = seed, .rng_seed = seed, .rng_seed_len = sizeof(seed),
		.extra_space = KFDT_EXTRA_SPACE,
	};
	const char *why = NULL;
	void *copy;

	/* libfdt wants the tree 8-byte aligned: give it its own buffer */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	build(copy, size, &k);		/* fits 1 and 2 cells */
	k.usable = hi;
	k.elfcorehdr_addr = 0x8a0000000ull;
	build(copy, size, &k);		/* -ERANGE with 1 cell */
	if (kfdt_check(copy, size, &why) == 0)
		read_all(copy);
	else
		MUST(why != NULL);
	free(copy);
	return 0;
}
