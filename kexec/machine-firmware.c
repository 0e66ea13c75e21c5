/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * machine-firmware.c - what the firmware told the running kernel and a
 * next kernel needs again: the running kernel's boot data (x86 boot_params, a DT), the
 * firmware memory map (sys/firmware/memmap, which mem= and memmap= do not
 * shrink), and EFI facts (systab, the runtime services map).  Every file is
 * optional; a malformed one is an error naming it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine-read.h"

#define MAX_TABLE_ENTRIES 65536	/* far beyond any real firmware map */

static int load_fw_memmap(struct kx_machine *m, struct kx_diag *d)
{
	char rel[128];
	unsigned i;
	int r;

	for (i = 0; i < MAX_TABLE_ENTRIES; i++) {
		_cleanup_free_ char *type = NULL;
		uint64_t first, last;
		enum kx_mem_type t;

		r = kx_mread_u64(m, KX_PATH_FW_MEMMAP_START, i, 0, &first, d);
		if (r == -ENOENT)
			break;
		if (r < 0)
			return r;
		r = kx_mread_u64(m, KX_PATH_FW_MEMMAP_END, i, 0, &last, d);
		if (r == 0)
			r = kx_mread(m, KX_PATH_FW_MEMMAP_TYPE, i, &type, NULL, d);
		if (r == -ENOENT)
			return kx_diag_set(d, -EINVAL, "%s: entry %u is incomplete (no end or type)",
					   kx_machine_path(KX_PATH_FW_MEMMAP_START, i, rel, sizeof(rel)), i);
		if (r < 0)
			return r;
		kx_chomp(type);
		if (last < first)
			return kx_diag_set(d, -EINVAL, "%s: end 0x%llx is below start 0x%llx",
					   kx_machine_path(KX_PATH_FW_MEMMAP_END, i, rel, sizeof(rel)),
					   (unsigned long long)last, (unsigned long long)first);
		t = kx_iomem_type(type);
		if (t == KX_MEM_NONE)
			t = KX_MEM_RESERVED;	/* "Unknown E820 type": never RAM */
		{
			struct kx_range rg = kx_range_from_incl(first, last, t);

			r = kx_ranges_add(&m->fw_memmap, rg.start, rg.end, rg.type);
		}
		if (r < 0)
			return r;
	}
	if (i == MAX_TABLE_ENTRIES)
		return kx_diag_set(d, -EINVAL, "%s: more than %u entries", kx_path_rel(KX_PATH_FW_MEMMAP_START),
				   MAX_TABLE_ENTRIES);
	m->has_fw_memmap = i > 0;
	return 0;
}

int kx_efi_systab_parse(struct kx_efi *e, const char *text, const char *fname, struct kx_diag *d)
{
	const char *p = text;
	unsigned line = 0;

	while (*p) {
		const char *nl = strchrnul(p, '\n'), *eq = memchr(p, '=', (size_t)(nl - p));
		char key[16], val[32];
		uint64_t v;

		line++;
		if (nl == p) {
			p++;
			continue;
		}
		if (!eq || eq == p || (size_t)(eq - p) >= sizeof(key) || (size_t)(nl - eq - 1) >= sizeof(val))
			return kx_diag_set(d, -EINVAL, "%s: line %u: expected KEY=0xADDRESS, got \"%.*s\"", fname, line,
					   (int)(nl - p > 60 ? 60 : nl - p), p);
		memcpy(key, p, (size_t)(eq - p));
		key[eq - p] = 0;
		memcpy(val, eq + 1, (size_t)(nl - eq - 1));
		val[nl - eq - 1] = 0;
		if (kx_parse_u64(val, 0, &v) < 0)
			return kx_diag_set(d, -EINVAL, "%s: line %u: %s: expected a number, got \"%s\"", fname, line, key, val);
		if (!strcmp(key, "ACPI20"))
			e->acpi20 = v;
		else if (!strcmp(key, "ACPI"))
			e->acpi = v;
		else if (!strcmp(key, "SMBIOS"))
			e->smbios = v;
		p = *nl ? nl + 1 : nl;
	}
	return 0;
}

static int load_efi_rtmap(struct kx_machine *m, struct kx_diag *d)
{
	static const enum kx_path_id ids[] = {
		KX_PATH_EFI_RTMAP_TYPE, KX_PATH_EFI_RTMAP_PHYS, KX_PATH_EFI_RTMAP_VIRT,
		KX_PATH_EFI_RTMAP_PAGES, KX_PATH_EFI_RTMAP_ATTR,
	};
	struct kx_efi *e = &m->efi;
	size_t cap = 0;
	char rel[128];
	unsigned i, k;
	int r;

	for (i = 0; i < MAX_TABLE_ENTRIES; i++) {
		uint64_t v[ARRAY_SIZE(ids)];

		for (k = 0; k < ARRAY_SIZE(ids); k++) {
			r = kx_mread_u64(m, ids[k], i, 0, &v[k], d);
			if (r == -ENOENT && k == 0)
				goto done;
			if (r == -ENOENT)
				return kx_diag_set(d, -EINVAL, "%s: missing in an entry that has a type",
						   kx_machine_path(ids[k], i, rel, sizeof(rel)));
			if (r < 0)
				return r;
		}
		if (v[0] > UINT32_MAX || (v[1] | v[2]) & 0xfff || !v[3] || v[3] > (UINT64_MAX >> 12) ||
		    v[1] + (v[3] << 12) < v[1])
			return kx_diag_set(d, -EINVAL, "%s: type 0x%llx at 0x%llx (virtual 0x%llx), %llu pages is not a valid EFI memory descriptor",
					   kx_machine_path(KX_PATH_EFI_RTMAP_TYPE, i, rel, sizeof(rel)),
					   (unsigned long long)v[0], (unsigned long long)v[1], (unsigned long long)v[2],
					   (unsigned long long)v[3]);
		if (e->n_rtmap == cap) {
			struct kx_efi_md *nv;

			cap = cap ? cap * 2 : 32;
			nv = reallocarray(e->rtmap, cap, sizeof(*nv));
			if (!nv)
				return -ENOMEM;
			e->rtmap = nv;
		}
		e->rtmap[e->n_rtmap++] = (struct kx_efi_md){
			.type = (uint32_t)v[0], .phys = v[1], .virt = v[2], .pages = v[3], .attr = v[4],
		};
	}
	return kx_diag_set(d, -EINVAL, "%s: more than %u entries", kx_path_rel(KX_PATH_EFI_RTMAP_TYPE), i);
done:
	e->has_rtmap = i > 0;
	return 0;
}

static int load_efi(struct kx_machine *m, struct kx_diag *d)
{
	struct kx_efi *e = &m->efi;
	_cleanup_free_ char *systab = NULL;
	char rel[128];
	int r, a, b, c;

	r = kx_mread(m, KX_PATH_EFI_SYSTAB, 0, &systab, NULL, d);
	if (r == -ENOENT)
		return 0;	/* not an EFI boot */
	if (r < 0)
		return r;
	r = kx_efi_systab_parse(e, systab, kx_machine_path(KX_PATH_EFI_SYSTAB, 0, rel, sizeof(rel)), d);
	if (r < 0)
		return r;
	e->present = true;
	a = kx_mread_u64(m, KX_PATH_EFI_FW_VENDOR, 0, 0, &e->fw_vendor, d);
	b = kx_mread_u64(m, KX_PATH_EFI_RUNTIME, 0, 0, &e->runtime, d);
	c = kx_mread_u64(m, KX_PATH_EFI_CONFIG_TABLE, 0, 0, &e->config_table, d);
	if ((a < 0 && a != -ENOENT) || (b < 0 && b != -ENOENT) || (c < 0 && c != -ENOENT))
		return a < 0 && a != -ENOENT ? a : b < 0 && b != -ENOENT ? b : c;
	e->has_tables = !a && !b && !c;
	return load_efi_rtmap(m, d);
}

int kx_machine_load_firmware(struct kx_machine *m, enum kx_path_id boot_data, struct kx_diag *d)
{
	int r;

	if (m->loaded & KX_MACHINE_FIRMWARE)
		return 0;
	r = kx_mread(m, boot_data, 0, (char **)&m->boot_data, &m->boot_data_len, d);
	if (r < 0 && r != -ENOENT)
		return r;
	r = load_fw_memmap(m, d);
	if (r < 0)
		return r;
	r = load_efi(m, d);
	if (r < 0)
		return r;
	m->loaded |= KX_MACHINE_FIRMWARE;
	return 0;
}
