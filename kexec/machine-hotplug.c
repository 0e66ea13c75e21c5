/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * machine-hotplug.c - what can still be hot-added to the running machine:
 * CPUs that are possible but not present, memory the firmware declares
 * hot-pluggable (ACPI SRAT, x86) and virtio-mem device regions, and the
 * memory block size in which it comes online.  The crash header's spare
 * capacity and the kdump command line are decided from these.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine-read.h"

#define SRAT_HDR 48		/* ACPI header (36) + SRAT's 12 reserved bytes */
#define SRAT_MEM_AFFINITY 1
#define SRAT_MEM_LEN 40
#define SRAT_MEM_ENABLED (1u << 0)
#define SRAT_MEM_HOTPLUGGABLE (1u << 1)

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

int kx_srat_parse(const uint8_t *buf, size_t len, const char *fname, struct kx_ranges *out, struct kx_diag *d)
{
	uint32_t total;
	uint8_t sum = 0;
	size_t off, i;
	int r;

	if (len < SRAT_HDR || memcmp(buf, "SRAT", 4))
		return kx_diag_set(d, -EINVAL, "%s: not an ACPI SRAT (signature or size %zu)", fname, len);
	total = le32(buf + 4);
	if (total < SRAT_HDR || total > len)
		return kx_diag_set(d, -EINVAL, "%s: header length %u does not fit the %zu-byte file", fname, total, len);
	for (i = 0; i < total; i++)
		sum = (uint8_t)(sum + buf[i]);
	if (sum)
		return kx_diag_set(d, -EINVAL, "%s: checksum does not add up to 0 (off by 0x%02x)", fname, sum);
	for (off = SRAT_HDR; off + 2 <= total; off += buf[off + 1]) {
		uint8_t type = buf[off], sublen = buf[off + 1];

		if (sublen < 2 || off + sublen > total)
			return kx_diag_set(d, -EINVAL, "%s: subtable at offset %zu: length %u runs past the table",
					   fname, off, sublen);
		if (type != SRAT_MEM_AFFINITY)
			continue;
		if (sublen < SRAT_MEM_LEN)
			return kx_diag_set(d, -EINVAL, "%s: memory affinity at offset %zu: length %u, want %u",
					   fname, off, sublen, SRAT_MEM_LEN);
		{
			uint64_t base = le64(buf + off + 8), size = le64(buf + off + 16);
			uint32_t flags = le32(buf + off + 28);

			if (!(flags & SRAT_MEM_ENABLED) || !(flags & SRAT_MEM_HOTPLUGGABLE) || !size)
				continue;
			if (base + size < base)
				return kx_diag_set(d, -EINVAL, "%s: memory affinity at offset %zu: 0x%llx + 0x%llx wraps",
						   fname, off, (unsigned long long)base, (unsigned long long)size);
			r = kx_ranges_add(out, base, base + size, KX_MEM_RAM);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

static int cpu_count(struct kx_machine *m, enum kx_path_id id, unsigned *ret, struct kx_diag *d)
{
	_cleanup_free_ unsigned *cpus = NULL;
	size_t n;
	int r;

	r = kx_mread_cpus(m, id, &cpus, &n, d);
	if (r < 0)
		return r;
	*ret = (unsigned)n;
	return 0;
}

/* iomem regions that hold "System RAM (virtio_mem)", whole (the device's span) */
static int virtio_mem_regions(struct kx_machine *m)
{
	size_t i, j;
	int r;

	for (i = 0; i < m->n_iomem; i++) {
		const struct kx_iomem_res *p = &m->iomem[i];

		for (j = i + 1; j < m->n_iomem && m->iomem[j].depth > p->depth; j++) {
			if (m->iomem[j].depth == p->depth + 1 && !strcmp(m->iomem[j].name, "System RAM (virtio_mem)")) {
				r = kx_ranges_add(&m->hp.virtio_mem, p->start, p->end, KX_MEM_RAM);
				if (r < 0)
					return r;
				break;
			}
		}
	}
	return 0;
}

int kx_machine_load_hotplug(struct kx_machine *m, struct kx_diag *d)
{
	struct kx_hotplug_facts *hp = &m->hp;
	_cleanup_(kx_ranges_done) struct kx_ranges absent = { 0 };
	_cleanup_free_ char *srat = NULL;
	enum kx_path_id got;
	char rel[128];
	uint64_t v;
	size_t len;
	int r;

	if (m->loaded & KX_MACHINE_HOTPLUG)
		return 0;
	/* the kernel's own crash hotplug (CONFIG_CRASH_HOTPLUG) */
	r = kx_mread_u64_either(m, KX_PATH_ELFCOREHDR_SIZE, KX_PATH_ELFCOREHDR_SIZE_OLD, &v, &got, d);
	if (r == 0) {
		m->has_elfcorehdr_size = true;
		m->elfcorehdr_size = v;
	} else if (r != -ENOENT) {
		return r;
	}
	r = kx_mread_flag(m, KX_PATH_MEM_CRASH_HOTPLUG, KX_PATH_MAX, &m->mem_crash_hotplug, d);
	if (r < 0)
		return r;
	r = kx_mread_flag(m, KX_PATH_CPU_CRASH_HOTPLUG, KX_PATH_MAX, &m->cpu_crash_hotplug, d);
	if (r < 0)
		return r;
	r = cpu_count(m, KX_PATH_CPU_POSSIBLE, &hp->n_possible, d);
	if (r < 0)
		return r;
	r = cpu_count(m, KX_PATH_CPU_PRESENT, &hp->n_present, d);
	if (r == -ENOENT)
		hp->n_present = hp->n_possible;
	else if (r < 0)
		return r;
	r = kx_mread_u64(m, KX_PATH_MEM_BLOCK_SIZE, 0, 16, &hp->block_size, d);
	if (r < 0 && r != -ENOENT)
		return r;
	if (hp->block_size && !kx_is_pow2(hp->block_size))
		return kx_diag_set(d, -EINVAL, "%s: 0x%llx is not a power of two", kx_path_rel(KX_PATH_MEM_BLOCK_SIZE),
				   (unsigned long long)hp->block_size);
	/* root-only and optional: without it no firmware hotplug ranges are known */
	r = kx_mread(m, KX_PATH_ACPI_SRAT, 0, &srat, &len, NULL);
	if (r == 0) {
		r = kx_srat_parse((const uint8_t *)srat, len, kx_machine_path(KX_PATH_ACPI_SRAT, 0, rel, sizeof(rel)),
				  &hp->hotpluggable, d);
		if (r < 0)
			return r;
		hp->srat_read = true;
	}
	r = virtio_mem_regions(m);
	if (r < 0)
		return r;
	/* what could still come: hot-pluggable and virtio-mem spans minus today's RAM */
	r = kx_ranges_copy(&absent, &hp->hotpluggable);
	if (r == 0) {
		size_t i;

		for (i = 0; r == 0 && i < hp->virtio_mem.n; i++)
			r = kx_ranges_add(&absent, hp->virtio_mem.v[i].start, hp->virtio_mem.v[i].end, KX_MEM_RAM);
	}
	if (r == 0)
		r = kx_ranges_exclude_all(&absent, &m->ram);
	if (r < 0)
		return r;
	hp->absent_bytes = kx_ranges_total(&absent);
	m->loaded |= KX_MACHINE_HOTPLUG;
	return 0;
}
