/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-machine.c - libFuzzer target for the machine model's parsers and the
 * bzImage probe: the first input byte picks the parser, the rest is its input.
 *   0: /proc/iomem text      1: a CPU list (possible)     2: /proc/kcore (via a memfd)
 *   3: bzImage64 probe (and the setup-header sanity it implies)
 *   4: sys/firmware/efi/systab     5: sys/kernel/security/lockdown
 *   6: a gzip kernel (every member, 1 MiB output limit)
 *   7: proc/zoneinfo
 *   8: sys/kernel/kexec/crash_cma_ranges   9: a --crash-cma= list (then validated)
 * Every parser must return 0 or a negative errno with a message, never crash.
 * Built and run by tests/fuzz/run-fuzz.sh.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cma.h"
#include "ctx.h"
#include "decompress.h"
#include "machine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must_have_message(int r, const struct kx_diag *d)
{
	if (r < 0 && r != -ENOMEM && !d->msg[0])
		abort();	/* every failure must say what failed */
}

static void fuzz_iomem(const uint8_t *p, size_t n)
{
	struct kx_machine m = { .root_fd = -1 };
	struct kx_diag d = { 0 };
	int r = kx_iomem_parse(&m, (const char *)p, n, "proc/iomem", &d);

	must_have_message(r, &d);
	if (r == 0 && m.has_crash && m.crash_main.start >= m.crash_main.end)
		abort();
	kx_machine_done(&m);
}

static void fuzz_zoneinfo(const uint8_t *p, size_t n)
{
	struct kx_machine m = { .root_fd = -1 };
	struct kx_diag d = { 0 };
	const char *zone;
	uint64_t end;
	int r = kx_zoneinfo_parse(&m, (const char *)p, n, "proc/zoneinfo", &d);

	must_have_message(r, &d);
	if (r == 0 && kx_machine_dma_zone_end(&m, 65536, &end, &zone) == 0 && !end)
		abort();
	kx_machine_done(&m);
}

static void fuzz_cpus(const uint8_t *p, size_t n)
{
	char *s = strndup((const char *)p, n);
	struct kx_diag d = { 0 };
	unsigned *v = NULL;
	size_t cnt;
	int r;

	if (!s)
		return;
	r = kx_cpu_list_parse(s, "possible", &v, &cnt, &d);
	must_have_message(r, &d);
	free(v);
	free(s);
}

static int memfd_with(const uint8_t *p, size_t n)
{
	int fd = memfd_create("kcore", 0);

	if (fd >= 0 && write(fd, p, n) != (ssize_t)n) {
		close(fd);
		return -1;
	}
	return fd;
}

static void fuzz_kcore(const uint8_t *p, size_t n)
{
	struct kx_kcore k = { 0 };
	struct kx_diag d = { 0 };
	int fd = memfd_with(p, n), r;

	if (fd < 0)
		return;
	r = kx_kcore_parse(&k, fd, "proc/kcore", &d);
	must_have_message(r, &d);
	if (r == 0) {
		struct kx_machine m = { .kcore = k };
		uint64_t v, pa, sz;

		kx_arch_native.kernel_text(&m, &v, &pa, &sz, &d);
		kx_arch_native.phys_to_virt(&m, 0x100000, &v, &d);
	}
	free(k.vmcoreinfo);
	free(k.loads);
	close(fd);
}

static void fuzz_probe(const uint8_t *p, size_t n)
{
	const struct kx_loader *const *l;
	struct kx_diag d = { 0 };

	for (l = kx_arch_native.loaders; *l; l++) {
		int r = (*l)->probe(p, n, &d);

		if (r < 0 && r != -ENOEXEC)
			must_have_message(r, &d);
	}
}

static void fuzz_text(const uint8_t *p, size_t n, int which)
{
	char *s = strndup((const char *)p, n);
	struct kx_diag d = { 0 };
	struct kx_efi e = { 0 };
	enum kx_lockdown l;
	int r;

	if (!s)
		return;
	if (which == 4) {
		r = kx_efi_systab_parse(&e, s, "sys/firmware/efi/systab", &d);
		must_have_message(r, &d);
	} else {
		r = kx_lockdown_parse(s, &l);
		if (r == 0 && (l < KX_LOCKDOWN_NONE || l > KX_LOCKDOWN_CONFIDENTIALITY))
			abort();
	}
	free(s);
}

static void fuzz_gunzip(const uint8_t *p, size_t n)
{
	uint8_t *out = NULL;
	size_t len = 0;
	int r = kx_gunzip(p, n, 1 << 20, &out, &len);

	if (r == 0 && len > (1 << 20))
		abort();
	if (r < 0 && r != -EINVAL && r != -EFBIG && r != -ENOMEM)
		abort();
	free(out);
}

/* A parsed list holds at most 4 non-empty ranges; validation keeps them page aligned, inside RAM, disjoint. */
static void check_cma(const struct kx_cma *c)
{
	unsigned i;

	if (c->n > KX_CMA_MAX)
		abort();
	for (i = 0; i < c->n; i++)
		if (c->v[i].start >= c->v[i].end)
			abort();
}

static void fuzz_cma(const uint8_t *p, size_t n, bool sysfs)
{
	struct kx_ranges ram = { 0 }, crash = { 0 };
	struct kx_diag d = { 0 };
	struct kx_cma c;
	char *s;
	unsigned i, j;
	int r;

	if (sysfs) {
		r = kx_cma_parse_sysfs((const char *)p, n, "crash_cma_ranges", &c, &d);
	} else {
		s = strndup((const char *)p, n);
		if (!s)
			return;
		r = kx_cma_parse_list(s, &c, &d);
		free(s);
	}
	must_have_message(r, &d);
	if (r < 0)
		return;
	check_cma(&c);
	if (kx_ranges_add(&ram, 0x100000, 0x80000000, KX_MEM_RAM) < 0 ||
	    kx_ranges_add(&ram, 0x100000000, 0x400000000, KX_MEM_RAM) < 0 ||
	    kx_ranges_insert(&crash, 0x70000000, 0x78000000, KX_MEM_RAM) < 0)
		goto out;
	r = kx_cma_validate(&c, &ram, &crash, 4096, "fuzz", NULL, &d);
	must_have_message(r, &d);
	if (r == 0) {
		check_cma(&c);
		for (i = 0; i < c.n; i++) {
			if ((c.v[i].start | c.v[i].end) & 4095 || !kx_ranges_contains(&ram, c.v[i].start, c.v[i].end) ||
			    kx_ranges_overlaps(&crash, c.v[i].start, c.v[i].end))
				abort();
			for (j = 0; j < i; j++)
				if (c.v[i].start < c.v[j].end && c.v[j].start < c.v[i].end)
					abort();
		}
	}
out:
	kx_ranges_done(&ram);
	kx_ranges_done(&crash);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	switch (data[0] % 10) {
	case 0: fuzz_iomem(data + 1, size - 1); break;
	case 1: fuzz_cpus(data + 1, size - 1); break;
	case 2: fuzz_kcore(data + 1, size - 1); break;
	case 3: fuzz_probe(data + 1, size - 1); break;
	case 4: case 5: fuzz_text(data + 1, size - 1, data[0] % 7); break;
	case 6: fuzz_gunzip(data + 1, size - 1); break;
	case 7: fuzz_zoneinfo(data + 1, size - 1); break;
	case 8: case 9: fuzz_cma(data + 1, size - 1, data[0] % 10 == 8); break;
	}
	return 0;
}
