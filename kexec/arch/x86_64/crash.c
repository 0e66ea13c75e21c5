/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * crash.c (x86_64) - kernel facts for the core header, taken from the
 * running kernel rather than guessed: the kernel text mapping and the
 * direct-map offset come from /proc/kcore's program headers, checked
 * against VMCOREINFO (KERNELOFFSET, NUMBER(phys_base)).  Also the kdump
 * kernel's memory map as the kernel's own crash_setup_memmap_entries()
 * builds it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "purgatory.h"
#include "purgatory/purgatory.h"
#include "x86.h"
#include "bootparam.h"

#define START_KERNEL_MAP 0xffffffff80000000ULL	/* __START_KERNEL_map */
#define KCORE kx_path_rel(KX_PATH_KCORE)

static int need_kcore(const struct kx_machine *m, struct kx_diag *d)
{
	if (!m->kcore.present)
		return kx_diag_set(d, -ENOENT,
				   "%s: not readable; x86_64 needs it for the kernel text mapping and the direct-map offset (KASLR)",
				   KCORE);
	return 0;
}

int kx_x86_phys_to_virt(const struct kx_machine *m, uint64_t paddr, uint64_t *ret, struct kx_diag *d)
{
	const struct kx_kcore *k = &m->kcore;
	bool have = false;
	uint64_t off = 0;
	size_t i;
	int r;

	r = need_kcore(m, d);
	if (r < 0)
		return r;
	/* direct-map PT_LOADs: have a physical address and sit below the kernel text map */
	for (i = 0; i < k->n_loads; i++) {
		const struct kx_kcore_load *l = &k->loads[i];

		if (l->paddr == UINT64_MAX || l->vaddr >= START_KERNEL_MAP || l->vaddr < l->paddr)
			continue;
		if (have && l->vaddr - l->paddr != off)
			return kx_diag_set(d, -EINVAL,
					   "%s: direct-map PT_LOADs disagree on the offset (0x%llx vs 0x%llx)", KCORE,
					   (unsigned long long)off, (unsigned long long)(l->vaddr - l->paddr));
		off = l->vaddr - l->paddr;
		have = true;
	}
	if (!have)
		return kx_diag_set(d, -ENOENT, "%s: no direct-map PT_LOAD with a physical address", KCORE);
	*ret = off + paddr;
	return 0;
}

int kx_x86_kernel_text(const struct kx_machine *m, uint64_t *vaddr, uint64_t *paddr, uint64_t *size,
		       struct kx_diag *d)
{
	const struct kx_kcore *k = &m->kcore;
	uint64_t phys_base, koff, pa;
	const struct kx_kcore_load *t = NULL;
	size_t i;
	int r;

	r = need_kcore(m, d);
	if (r < 0)
		return r;
	for (i = 0; i < k->n_loads; i++)
		if (k->loads[i].vaddr >= START_KERNEL_MAP && k->loads[i].vaddr < START_KERNEL_MAP + (1ULL << 30)) {
			t = &k->loads[i];
			break;
		}
	if (!t)
		return kx_diag_set(d, -ENOENT, "%s: no kernel text PT_LOAD at 0xffffffff8xxxxxxx", KCORE);
	if (kx_vmcoreinfo_u64(m, "NUMBER(phys_base)", 10, &phys_base) < 0)
		return kx_diag_set(d, -ENOENT, "%s: VMCOREINFO has no NUMBER(phys_base)", KCORE);
	/* __pa_symbol(): vaddr - __START_KERNEL_map + phys_base */
	pa = t->vaddr - START_KERNEL_MAP + phys_base;
	if (t->paddr != UINT64_MAX && t->paddr != pa)
		return kx_diag_set(d, -EINVAL,
				   "%s: kernel text paddr 0x%llx disagrees with VMCOREINFO phys_base (0x%llx)", KCORE,
				   (unsigned long long)t->paddr, (unsigned long long)pa);
	if (kx_vmcoreinfo_u64(m, "KERNELOFFSET", 16, &koff) == 0 && koff > t->vaddr - START_KERNEL_MAP)
		return kx_diag_set(d, -EINVAL, "%s: VMCOREINFO KERNELOFFSET=%llx is beyond the kernel text at 0x%llx", KCORE,
				   (unsigned long long)koff, (unsigned long long)t->vaddr);
	*vaddr = t->vaddr;
	*paddr = pa;
	*size = t->size;
	return 0;
}

/*
 * What the kdump kernel gets besides the crash regions (crash.c added those):
 * RAM below 1 MiB, ACPI tables, ACPI NVS and e820-reserved ranges.
 */
int kx_x86_crash_memmap(struct kx_ctx *ctx, struct kx_plan *plan)
{
	const struct kx_machine *m = ctx->m;
	size_t i;
	int r;

	for (i = 0; i < m->ram.n && m->ram.v[i].start < ctx->arch->dump_min; i++) {
		uint64_t end = m->ram.v[i].end < ctx->arch->dump_min ? m->ram.v[i].end : ctx->arch->dump_min;

		r = kx_ranges_add(&plan->kdump_memmap, m->ram.v[i].start, end, KX_MEM_RAM);
		if (r < 0)
			return r;
	}
	for (i = 0; i < m->firmware.n; i++) {
		const struct kx_range *f = &m->firmware.v[i];

		if (f->type != KX_MEM_ACPI && f->type != KX_MEM_NVS && f->type != KX_MEM_RESERVED)
			continue;
		r = kx_ranges_add(&plan->kdump_memmap, f->start, f->end, f->type);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * A kdump kernel that finds the first kernel's ACPI memory devices adds and
 * (7.3 by default, 6.1 with memhp_default_state=online, which kdump-config
 * copies from the running kernel) onlines them as its own RAM: memory the
 * dump is made of.  acpi_no_memhotplug keeps its hands off, as RHEL's kdump
 * does.  "Where hot-added or hot-pluggable memory exists" is what the SRAT
 * declares hot-pluggable (QEMU's maxmem, a server's spare DIMM slots).
 */
int kx_x86_kdump_cmdline(struct kx_ctx *ctx)
{
	const struct kx_hotplug_facts *hp = &ctx->m->hp;
	char *s;

	if (!hp->hotpluggable.n)
		return 0;
	/*
	 * Only acpi_no_memhotplug itself decides: with memhp_default_state=offline
	 * the DIMMs are still added, and reading them from /proc/vmcore then fails.
	 */
	if (kx_cmdline_has(ctx->cmdline, "acpi_no_memhotplug")) {
		kx_note(ctx->notes, KX_NOTE_DEBUG, "the kdump command line already has acpi_no_memhotplug");
		return 0;
	}
	if (asprintf(&s, "%s%sacpi_no_memhotplug", ctx->cmdline, *ctx->cmdline ? " " : "") < 0)
		return -ENOMEM;
	free(ctx->cmdline);
	ctx->cmdline = s;
	kx_note(ctx->notes, KX_NOTE_INFO,
		"added acpi_no_memhotplug to the kdump command line: the SRAT declares %llu MiB of hot-pluggable memory, and a kdump kernel that onlines the first kernel's DIMMs overwrites the memory the dump is made of",
		(unsigned long long)(kx_ranges_total(&hp->hotpluggable) >> 20));
	return 0;
}

int kx_x86_normal_avail(const struct kx_machine *m, struct kx_ranges *avail)
{
	int r = kx_ranges_copy(avail, &m->ram);

	if (r < 0)
		return r;
	r = kx_ranges_exclude(avail, 0, 1ULL << 20);
	if (r < 0)
		return r;
	return kx_ranges_exclude_all(avail, &m->crash);
}

/*
 * The purgatory's 8250 I/O port: --serial (ttyS0, ttyS1 or a port number),
 * else 0x3f8, as kexec-tools.  Returns 0 or -EINVAL (not a port: the
 * user's choice, so *final is set and -a does not fall back).
 */
static int serial_port(const struct kx_opts *o, uint16_t *ret, bool *final, struct kx_diag *d)
{
	uint64_t v;

	*ret = 0x3f8;
	if (!o->serial || !strcmp(o->serial, "ttyS0"))
		return 0;
	if (!strcmp(o->serial, "ttyS1"))
		*ret = 0x2f8;
	else if (kx_parse_u64(o->serial, 0, &v) == 0 && v && v < 65536)
		*ret = (uint16_t)v;
	else {
		*final = true;
		return kx_diag_set(d, -EINVAL, "Bad serial port base '%s'", o->serial);
	}
	return 0;
}

int kx_x86_purgatory_setup(struct kx_ctx *ctx, struct kx_plan *plan, struct kx_purgatory *pg)
{
	uint16_t port;
	int k = kx_plan_find(plan, KX_SEG_KERNEL), s = kx_plan_find(plan, KX_SEG_SETUP);
	uint64_t rip, rsi;
	int r;

	if (k < 0 || s < 0)
		return kx_diag_set(ctx->d, -EINVAL, "plan: x86_64 purgatory needs kernel and setup segments");
	rip = plan->seg[k].mem + X86_64_ENTRY_OFFSET;
	rsi = plan->seg[s].mem;
	r = serial_port(ctx->o, &port, &ctx->final, ctx->d);
	if (r < 0)
		return r;
	r = kx_purg_set_sym(pg, PG_SYM_X86_RIP, &rip, sizeof(rip), ctx->d);
	if (r < 0)
		return r;
	r = kx_purg_set_sym(pg, PG_SYM_X86_RSI, &rsi, sizeof(rsi), ctx->d);
	if (r < 0)
		return r;
	return kx_purg_set_sym(pg, PG_SYM_X86_CONSOLE, &port, sizeof(port), ctx->d);
}
