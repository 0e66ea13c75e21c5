/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-machine.c - the machine model beyond proc/iomem, read from small
 * roots built in a temporary directory: lockdown, the firmware memory map,
 * EFI systab and runtime map, the on-demand parts (kexec_file_load needs no
 * proc/kcore), and the messages that name the file and field.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "machine.h"
#include "test.h"

/* Write @text to ROOT/@rel, creating directories. */
static void put(const char *root, const char *rel, const char *text)
{
	char path[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	if (!f)
		kt_fail(__FILE__, __LINE__, "cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

static void rm(const char *root, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	ASSERT_OK(unlink(path));
}

static char *new_root(void)
{
	char *root = strdup(kt_tmpdir());

	put(root, "proc/iomem", "00001000-0009fbff : System RAM\n00100000-3fffffff : System RAM\n"
		  "  30000000-37ffffff : Crash kernel\n");
	put(root, "sys/devices/system/cpu/possible", "0-1\n");
	return root;
}

static int load(struct kx_machine *m, const char *root, struct kx_diag *d)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY);

	*d = (struct kx_diag){ 0 };
	ASSERT_TRUE(fd >= 0);
	return kx_machine_load(m, fd, root, KX_MACHINE_BASE, d);
}

static void unload(struct kx_machine *m)
{
	int fd = m->root_fd;

	kx_machine_done(m);
	close(fd);
}

TEST(lockdown_rows)
{
	static const struct {
		const char *text;
		int want;
	} rows[] = {
		{ "[none] integrity confidentiality\n", KX_LOCKDOWN_NONE },
		{ "none [integrity] confidentiality\n", KX_LOCKDOWN_INTEGRITY },
		{ "none integrity [confidentiality]\n", KX_LOCKDOWN_CONFIDENTIALITY },
		{ "none integrity confidentiality\n", -EINVAL },
		{ "", -EINVAL },
		{ "x[none]\n", -EINVAL },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		enum kx_lockdown l = KX_LOCKDOWN_UNKNOWN;
		int r = kx_lockdown_parse(rows[i].text, &l);

		if ((rows[i].want < 0 && r != rows[i].want) || (rows[i].want >= 0 && (r || (int)l != rows[i].want)))
			kt_fail(__FILE__, __LINE__, "row %zu: r=%d l=%d", i, r, l);
	}
}

TEST(lockdown_read_or_unknown)
{
	struct kx_machine m;
	struct kx_diag d;
	char *root = new_root();

	ASSERT_OK(load(&m, root, &d));
	ASSERT_EQ(m.lockdown, KX_LOCKDOWN_UNKNOWN);	/* securityfs not mounted */
	unload(&m);
	put(root, "sys/kernel/security/lockdown", "none integrity [confidentiality]\n");
	ASSERT_OK(load(&m, root, &d));
	ASSERT_EQ(m.lockdown, KX_LOCKDOWN_CONFIDENTIALITY);
	unload(&m);
	put(root, "sys/kernel/security/lockdown", "locked\n");
	ASSERT_ERR(load(&m, root, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "sys/kernel/security/lockdown");
	unload(&m);
	free(root);
}

TEST(efi_systab_rows)
{
	struct kx_efi e = { 0 };
	struct kx_diag d = { 0 };

	ASSERT_OK(kx_efi_systab_parse(&e, "MPS=0xfe000\nACPI20=0x7fb7e014\nACPI=0x7fb7e000\nSMBIOS=0x7f9a3000\nSMBIOS3=0x7f9a1000\n",
				      "systab", &d));
	ASSERT_EQ(e.acpi20, 0x7fb7e014);
	ASSERT_EQ(e.acpi, 0x7fb7e000);
	ASSERT_EQ(e.smbios, 0x7f9a3000);
	ASSERT_ERR(kx_efi_systab_parse(&e, "ACPI20\n", "sys/firmware/efi/systab", &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "sys/firmware/efi/systab: line 1");
	d = (struct kx_diag){ 0 };
	ASSERT_ERR(kx_efi_systab_parse(&e, "ACPI20=0x1\nACPI=zz\n", "systab", &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "line 2: ACPI");
}

TEST(firmware_memmap_and_efi)
{
	struct kx_machine m;
	struct kx_diag d;
	char *root = new_root();

	put(root, "sys/firmware/memmap/0/start", "0x0\n");
	put(root, "sys/firmware/memmap/0/end", "0x9fbff\n");
	put(root, "sys/firmware/memmap/0/type", "System RAM\n");
	put(root, "sys/firmware/memmap/1/start", "0x100000\n");
	put(root, "sys/firmware/memmap/1/end", "0x7fffffff\n");	/* mem=1G hid the rest from iomem */
	put(root, "sys/firmware/memmap/1/type", "System RAM\n");
	put(root, "sys/firmware/memmap/2/start", "0xfeffc000\n");
	put(root, "sys/firmware/memmap/2/end", "0xfeffffff\n");
	put(root, "sys/firmware/memmap/2/type", "Reserved\n");
	put(root, "sys/firmware/efi/systab", "ACPI20=0x7fb7e014\nACPI=0x7fb7e000\n");
	put(root, "sys/firmware/efi/fw_vendor", "0x7fb9e200\n");
	put(root, "sys/firmware/efi/runtime", "0x7fb9e300\n");
	put(root, "sys/firmware/efi/config_table", "0x7fb9e400\n");
	put(root, "sys/firmware/efi/runtime-map/0/type", "0x5\n");
	put(root, "sys/firmware/efi/runtime-map/0/phys_addr", "0x7f800000\n");
	put(root, "sys/firmware/efi/runtime-map/0/virt_addr", "0xfffffffeff800000\n");
	put(root, "sys/firmware/efi/runtime-map/0/num_pages", "0x100\n");
	put(root, "sys/firmware/efi/runtime-map/0/attribute", "0x800000000000000f\n");
	ASSERT_OK(load(&m, root, &d));
	ASSERT_FALSE(m.loaded & KX_MACHINE_FIRMWARE);	/* read on demand only */
	ASSERT_OK(kx_machine_load_firmware(&m, KX_PATH_BOOT_PARAMS, &d));
	ASSERT_TRUE(m.has_fw_memmap);
	ASSERT_EQ(m.fw_memmap.n, 3);
	ASSERT_EQ(m.fw_memmap.v[1].end, 0x80000000);	/* inclusive end converted once */
	ASSERT_EQ(m.fw_memmap.v[2].type, KX_MEM_RESERVED);
	ASSERT_TRUE(m.efi.present && m.efi.has_tables && m.efi.has_rtmap);
	ASSERT_EQ(m.efi.n_rtmap, 1);
	ASSERT_EQ(m.efi.rtmap[0].virt, 0xfffffffeff800000ULL);
	ASSERT_EQ(m.efi.config_table, 0x7fb9e400);
	unload(&m);

	/* malformed entries name the file */
	put(root, "sys/firmware/memmap/1/end", "0x1000\n");
	ASSERT_OK(load(&m, root, &d));
	ASSERT_ERR(kx_machine_load_firmware(&m, KX_PATH_BOOT_PARAMS, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "sys/firmware/memmap/1/end: end 0x1000 is below start 0x100000");
	unload(&m);
	put(root, "sys/firmware/memmap/1/end", "0x7fffffff\n");
	put(root, "sys/firmware/efi/runtime-map/0/num_pages", "0x0\n");
	ASSERT_OK(load(&m, root, &d));
	ASSERT_ERR(kx_machine_load_firmware(&m, KX_PATH_BOOT_PARAMS, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "sys/firmware/efi/runtime-map/0/type");
	unload(&m);
	put(root, "sys/firmware/efi/runtime-map/0/num_pages", "0x100\n");
	rm(root, "sys/firmware/efi/runtime-map/0/virt_addr");
	ASSERT_OK(load(&m, root, &d));
	ASSERT_ERR(kx_machine_load_firmware(&m, KX_PATH_BOOT_PARAMS, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "runtime-map/0/virt_addr: missing");
	unload(&m);
	free(root);
}

/* kexec_file_load reads no crash facts: a broken proc/kcore is only kexec_load's problem */
TEST(crash_facts_read_on_demand)
{
	struct kx_machine m;
	struct kx_diag d;
	char *root = new_root();

	put(root, "proc/kcore", "not an ELF core");
	put(root, "sys/devices/system/cpu/cpu0/crash_notes", "not-hex\n");
	ASSERT_OK(load(&m, root, &d));
	ASSERT_TRUE(m.has_crash);
	ASSERT_EQ(m.n_notes, 0);
	ASSERT_ERR(kx_machine_load_crash(&m, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "cpu0/crash_notes");
	unload(&m);

	put(root, "sys/devices/system/cpu/cpu0/crash_notes", "1f00000\n");
	put(root, "sys/kernel/vmcoreinfo", "0x000000000ada3a00 1024\n");
	ASSERT_OK(load(&m, root, &d));
	ASSERT_ERR(kx_machine_load_crash(&m, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "proc/kcore");
	/* asked again: the same answer, without reading it twice */
	d = (struct kx_diag){ 0 };
	ASSERT_ERR(kx_machine_load_kcore(&m, &d), -EINVAL);
	unload(&m);

	rm(root, "proc/kcore");
	ASSERT_OK(load(&m, root, &d));
	ASSERT_ERR(kx_machine_load_crash(&m, &d), -ENOENT);
	ASSERT_CONTAINS(d.msg, "proc/kcore: missing");
	unload(&m);
	free(root);
}

/* A capture from someone else's bug report cannot make us read outside it */
TEST(root_reads_stay_inside_the_root)
{
	struct kx_machine m;
	struct kx_diag d;
	char *root = new_root(), path[512];

	snprintf(path, sizeof(path), "%s/proc/iomem", root);
	unlink(path);
	ASSERT_OK(symlink("/proc/self/status", path));	/* absolute: resolves inside the root */
	ASSERT_ERR(load(&m, root, &d), -ENOENT);
	ASSERT_CONTAINS(d.msg, "proc/iomem");
	unload(&m);
	unlink(path);
	ASSERT_OK(symlink("../../../../../../../../etc/passwd", path));	/* ".." stops at the root */
	ASSERT_ERR(load(&m, root, &d), -ENOENT);
	unload(&m);
	free(root);
}

/* proc/zoneinfo as the kernel prints it (mm/vmstat.c), trimmed to the lines that matter */
static const char zoneinfo_rpi4[] =
	"Node 0, zone      DMA\n"
	"  per-node stats\n"
	"      nr_inactive_anon 1234\n"
	"  pages free     200000\n"
	"        boost    0\n"
	"        spanned  262144\n"
	"        present  242688\n"
	"        managed  230000\n"
	"        protection: (0, 0, 0, 0)\n"
	"  pagesets\n"
	"    cpu: 0\n"
	"              count: 0\n"
	"  node_unreclaimable:  0\n"
	"  start_pfn:           0\n"
	"Node 0, zone    DMA32\n"
	"  pages free     700000\n"
	"        spanned  786432\n"
	"        present  770000\n"
	"  start_pfn:           262144\n"
	"Node 0, zone   Normal\n"
	"  pages free     1000000\n"
	"        spanned  1048576\n"
	"  start_pfn:           1048576\n"
	"Node 0, zone  Movable\n"
	"  pages free     0\n"
	"        spanned  0\n"
	"        present  0\n"
	"  start_pfn:           0\n";

TEST(zoneinfo_dma_zone_end)
{
	struct kx_machine m = { .root_fd = -1 };
	struct kx_diag d = { 0 };
	const char *zone = NULL;
	uint64_t end;

	ASSERT_OK(kx_zoneinfo_parse(&m, zoneinfo_rpi4, strlen(zoneinfo_rpi4), "proc/zoneinfo", &d));
	ASSERT_EQ(m.n_zones, 4);
	ASSERT_STREQ(m.zones[1].name, "DMA32");
	ASSERT_EQ(m.zones[1].start_pfn, 262144);
	ASSERT_EQ(m.zones[1].spanned, 786432);
	/* ZONE_DMA wins over DMA32: the kernel's arm64_dma_phys_limit */
	ASSERT_OK(kx_machine_dma_zone_end(&m, 4096, &end, &zone));
	ASSERT_EQ(end, 1ULL << 30);
	ASSERT_STREQ(zone, "DMA");
	/* 64K pages count the same pfns in bigger units */
	ASSERT_OK(kx_machine_dma_zone_end(&m, 65536, &end, &zone));
	ASSERT_EQ(end, 16ULL << 30);
	kx_machine_done(&m);
}

TEST(zoneinfo_dma32_only_and_empty_dma)
{
	static const char text[] = "Node 0, zone      DMA\n        spanned  0\n  start_pfn:           0\n"
				   "Node 0, zone    DMA32\n        spanned  524288\n  start_pfn:           524288\n"
				   "Node 1, zone    DMA32\n        spanned  0\n  start_pfn:           0\n";
	static const char normal_only[] = "Node 0, zone   Normal\n        spanned  10\n";
	struct kx_machine m = { .root_fd = -1 };
	struct kx_diag d = { 0 };
	const char *zone = NULL;
	uint64_t end;

	ASSERT_OK(kx_zoneinfo_parse(&m, text, strlen(text), "proc/zoneinfo", &d));
	ASSERT_OK(kx_machine_dma_zone_end(&m, 4096, &end, &zone));
	ASSERT_EQ(end, 4ULL << 30);
	ASSERT_STREQ(zone, "DMA32");
	kx_machine_done(&m);

	m = (struct kx_machine){ .root_fd = -1 };
	ASSERT_OK(kx_zoneinfo_parse(&m, normal_only, strlen(normal_only), "proc/zoneinfo", &d));
	ASSERT_ERR(kx_machine_dma_zone_end(&m, 4096, &end, &zone), -ENOENT);
	kx_machine_done(&m);
}

TEST(zoneinfo_malformed_lines_are_named)
{
	static const char *const bad[] = {
		"Node x, zone DMA\n",
		"Node 0, zone      DMA\n        spanned  -5\n",
		"Node 0, zone      DMA\n        spanned  12abc\n",
		"Node 0, zone      DMA\n  start_pfn:\n",
		"Node 0, zone      DMA\n  start_pfn:           99999999999999999999999\n",
		"Node 0, zone      DMA\n  start_pfn:           9223372036854775807\n        spanned  9223372036854775807\n",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct kx_machine m = { .root_fd = -1 };
		struct kx_diag d = { 0 };

		ASSERT_ERR(kx_zoneinfo_parse(&m, bad[i], strlen(bad[i]), "proc/zoneinfo", &d), -EINVAL);
		ASSERT_CONTAINS(d.msg, "proc/zoneinfo: line ");
		kx_machine_done(&m);
	}
}

TEST(zoneinfo_missing_is_no_zones)
{
	char *root = new_root();
	struct kx_machine m;
	struct kx_diag d;

	ASSERT_OK(load(&m, root, &d));
	ASSERT_OK(kx_machine_load_zones(&m, &d));
	ASSERT_FALSE(m.has_zoneinfo);
	ASSERT_EQ(m.n_zones, 0);
	unload(&m);
	put(root, "proc/zoneinfo", zoneinfo_rpi4);
	ASSERT_OK(load(&m, root, &d));
	ASSERT_OK(kx_machine_load_zones(&m, &d));
	ASSERT_EQ(m.n_zones, 4);
	unload(&m);
	free(root);
}

/* memblock "reserved" children of System RAM stay RAM; top-level "Reserved" is firmware */
TEST(iomem_reserved_children_are_ram)
{
	static const char text[] = "00000000-00000fff : Reserved\n"
				   "40000000-7fffffff : System RAM\n"
				   "  40000000-40000fff : reserved\n"
				   "  40080000-40c5ffff : Kernel code\n"
				   "  50000000-5fffffff : Crash kernel\n"
				   "  7f000000-7fffffff : reserved\n"
				   "80000000-8000ffff : pcie\n"
				   "  80001000-80001fff : reserved\n";
	struct kx_machine m = { .root_fd = -1 };
	struct kx_diag d = { 0 };

	ASSERT_OK(kx_iomem_parse(&m, text, strlen(text), "proc/iomem", &d));
	ASSERT_EQ(m.ram.n, 1);
	ASSERT_EQ(m.ram_reserved.n, 2);
	ASSERT_EQ(m.ram_reserved.v[0].start, 0x40000000);
	ASSERT_EQ(m.ram_reserved.v[1].end, 0x80000000);
	/* the top-level one and the one under a non-RAM parent are firmware ranges */
	ASSERT_EQ(m.firmware.n, 2);
	ASSERT_EQ(m.firmware.v[0].start, 0);
	ASSERT_EQ(m.firmware.v[1].start, 0x80001000);
	kx_machine_done(&m);
}

TEST(crash_cma_discovery)
{
	struct kx_machine m;
	struct kx_diag d;
	char *root = new_root();

	/* neither name: no crash CMA support */
	ASSERT_OK(load(&m, root, &d));
	ASSERT_OK(kx_machine_load_cma(&m, &d));
	ASSERT_FALSE(m.has_crash_cma_file);
	ASSERT_EQ(m.crash_cma.n, 0);
	unload(&m);
	/* the old name alone */
	put(root, "sys/kernel/kexec_crash_cma_ranges", "20000000-23ffffff\n");
	ASSERT_OK(load(&m, root, &d));
	ASSERT_OK(kx_machine_load_cma(&m, &d));
	ASSERT_TRUE(m.has_crash_cma_file);
	ASSERT_EQ(m.crash_cma_path, KX_PATH_CRASH_CMA_RANGES_OLD);
	ASSERT_EQ(m.crash_cma.n, 1);
	ASSERT_EQ(m.crash_cma.v[0].end, 0x24000000);
	unload(&m);
	/* the new name wins, in reservation order; empty means none reserved */
	put(root, "sys/kernel/kexec/crash_cma_ranges", "28000000-2bffffff\n20000000-23ffffff\n");
	ASSERT_OK(load(&m, root, &d));
	ASSERT_OK(kx_machine_load_cma(&m, &d));
	ASSERT_EQ(m.crash_cma_path, KX_PATH_CRASH_CMA_RANGES);
	ASSERT_EQ(m.crash_cma.n, 2);
	ASSERT_EQ(m.crash_cma.v[0].start, 0x28000000);
	unload(&m);
	put(root, "sys/kernel/kexec/crash_cma_ranges", "");
	ASSERT_OK(load(&m, root, &d));
	ASSERT_OK(kx_machine_load_cma(&m, &d));
	ASSERT_TRUE(m.has_crash_cma_file);
	ASSERT_EQ(m.crash_cma.n, 0);
	unload(&m);
	put(root, "sys/kernel/kexec/crash_cma_ranges", "28000000-2bffffff\nbogus\n");
	ASSERT_OK(load(&m, root, &d));
	ASSERT_ERR(kx_machine_load_cma(&m, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "sys/kernel/kexec/crash_cma_ranges: line 2");
	unload(&m);
	free(root);
}
