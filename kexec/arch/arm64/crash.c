/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * crash.c (arm64) - kernel facts for the core header, taken from the running
 * kernel and never guessed from kallsyms (which lacks _text on kernels
 * without KALLSYMS_ALL): the kernel image mapping is the proc/kcore PT_LOAD
 * whose virtual-to-physical offset is VMCOREINFO's NUMBER(kimage_voffset),
 * the linear map the PT_LOADs with any other offset.  Also the kdump
 * kernel's memory: the crash regions as linux,usable-memory-range.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm64-int.h"
#include "kversion.h"

#define KCORE kx_path_rel(KX_PATH_KCORE)

static int need_kcore(const struct kx_machine *m, uint64_t *voff, struct kx_diag *d)
{
	if (!m->kcore.present)
		return kx_diag_set(d, -ENOENT,
				   "%s: not readable; arm64 needs it for the kernel image mapping and the linear map (KASLR)",
				   KCORE);
	if (kx_vmcoreinfo_u64(m, "NUMBER(kimage_voffset)", 16, voff) < 0)
		return kx_diag_set(d, -ENOENT, "%s: VMCOREINFO has no NUMBER(kimage_voffset)", KCORE);
	return 0;
}

int kx_arm64_phys_to_virt(const struct kx_machine *m, uint64_t paddr, uint64_t *ret, struct kx_diag *d)
{
	const struct kx_kcore *k = &m->kcore;
	uint64_t voff, off = 0;
	bool have = false;
	size_t i;
	int r;

	r = need_kcore(m, &voff, d);
	if (r < 0)
		return r;
	/* linear-map PT_LOADs: a physical address, and not the kernel image's offset */
	for (i = 0; i < k->n_loads; i++) {
		const struct kx_kcore_load *l = &k->loads[i];

		if (l->paddr == UINT64_MAX || l->vaddr - l->paddr == voff)
			continue;
		if (have && l->vaddr - l->paddr != off)
			return kx_diag_set(d, -EINVAL, "%s: linear-map PT_LOADs disagree on the offset (0x%llx vs 0x%llx)",
					   KCORE, (unsigned long long)off, (unsigned long long)(l->vaddr - l->paddr));
		off = l->vaddr - l->paddr;
		have = true;
	}
	if (!have)
		return kx_diag_set(d, -ENOENT, "%s: no linear-map PT_LOAD with a physical address", KCORE);
	*ret = off + paddr;
	return 0;
}

/* The "Kernel code" resource (starts at the physical _stext) */
static const struct kx_iomem_res *kernel_code(const struct kx_machine *m)
{
	size_t i;

	for (i = 0; i < m->n_iomem; i++)
		if (!strcmp(m->iomem[i].name, "Kernel code"))
			return &m->iomem[i];
	return NULL;
}

int kx_arm64_kernel_text(const struct kx_machine *m, uint64_t *vaddr, uint64_t *paddr, uint64_t *size,
			 struct kx_diag *d)
{
	const struct kx_kcore *k = &m->kcore;
	const struct kx_kcore_load *t = NULL;
	const struct kx_iomem_res *code;
	uint64_t voff, sym;
	size_t i;
	int r;

	r = need_kcore(m, &voff, d);
	if (r < 0)
		return r;
	for (i = 0; i < k->n_loads; i++)
		if (k->loads[i].paddr != UINT64_MAX && k->loads[i].vaddr - k->loads[i].paddr == voff) {
			t = &k->loads[i];
			break;
		}
	if (!t)
		return kx_diag_set(d, -ENOENT, "%s: no PT_LOAD maps the kernel image at NUMBER(kimage_voffset)=0x%llx",
				   KCORE, (unsigned long long)voff);
	if (kx_vmcoreinfo_u64(m, "SYMBOL(_text)", 16, &sym) == 0 && sym != t->vaddr)
		return kx_diag_set(d, -EINVAL, "%s: kernel image PT_LOAD starts at 0x%llx, VMCOREINFO SYMBOL(_text) says 0x%llx",
				   KCORE, (unsigned long long)t->vaddr, (unsigned long long)sym);
	code = kernel_code(m);
	if (code && (code->start < t->paddr || code->start - t->paddr >= t->size))
		return kx_diag_set(d, -EINVAL,
				   "%s: \"Kernel code\" at 0x%llx is outside the kernel image PT_LOAD [0x%llx, 0x%llx) of %s",
				   kx_path_rel(KX_PATH_IOMEM), (unsigned long long)code->start,
				   (unsigned long long)t->paddr, (unsigned long long)(t->paddr + t->size), KCORE);
	*vaddr = t->vaddr;
	*paddr = t->paddr;
	*size = t->size;
	return 0;
}

unsigned kx_arm64_usable(const struct kx_ctx *ctx, struct kx_range out[KX_ARM64_USABLE_MAX])
{
	const struct kx_machine *m = ctx->m;
	unsigned i, n = 0;

	if (m->has_crash)
		out[n++] = m->crash_main;
	for (i = 0; i < ctx->cma.n && i < KX_CMA_MAX; i++)
		out[n++] = ctx->cma.v[i];
	if (m->has_crash_low)
		out[n++] = m->crash_low;
	return n;
}

/*
 * drivers/of/fdt.c: MAX_USABLE_RANGES was 2 from 5.18 (main and low) until
 * the arm64/riscv crash CMA series raised it to a fixed 6 (2 + the 4 CMA
 * ranges) for the 7.3 merge window; entries past it are silently ignored.
 */
unsigned kx_arm64_usable_reads(bool known, unsigned major, unsigned minor)
{
	if (known && (major > 7 || (major == 7 && minor >= 3)))
		return 2 + KX_CMA_MAX;
	return 2;
}

int kx_arm64_crash_cma_fit(struct kx_ctx *ctx)
{
	char ver[64] = "", left[160], kernel[96];
	unsigned major = 0, minor = 0, reads, slots;
	bool known;
	struct kx_cma dropped = { 0 };
	unsigned i;

	if (!ctx->cma.n)
		return 0;
	known = kx_kernel_version(ctx->kernel.buf, ctx->kernel.len, ver, sizeof(ver), &major, &minor) == 0;
	reads = kx_arm64_usable_reads(known, major, minor);
	slots = reads - 1 - (ctx->m->has_crash_low ? 1 : 0);
	if (known)
		snprintf(kernel, sizeof(kernel), "the kdump kernel (Linux %s)", ver);
	else
		snprintf(kernel, sizeof(kernel), "the kdump kernel (release unknown: no \"Linux version\" banner in %s)",
			 ctx->kernel.path ? ctx->kernel.path : "its image");
	if (ctx->cma.n <= slots) {
		kx_note(ctx->notes, KX_NOTE_DEBUG, "%s reads %u linux,usable-memory-range entries: main, %u crash CMA%s",
			kernel, reads, ctx->cma.n, ctx->m->has_crash_low ? ", low" : "");
		return 0;
	}
	for (i = slots; i < ctx->cma.n; i++)
		dropped.v[dropped.n++] = ctx->cma.v[i];
	ctx->cma.n = slots;
	kx_note(ctx->notes, KX_NOTE_WARN,
		"%s reads only %u linux,usable-memory-range entries (MAX_USABLE_RANGES before 7.3) and would silently ignore the rest: left out crash CMA %s (%llu MiB), kept the main%s region%s%s; the kdump kernel does not get that memory and the crash header keeps it",
		kernel, reads, kx_cma_format(&dropped, left, sizeof(left)),
		(unsigned long long)(kx_cma_total(&dropped) >> 20), ctx->m->has_crash_low ? " and low" : "",
		ctx->m->has_crash_low ? "s" : "", slots ? " and the first crash CMA range" : "");
	return 0;
}

/*
 * The kdump kernel's RAM is exactly its usable ranges, whole: the DT's
 * linux,elfcorehdr makes it keep the header (unlike x86, where the header
 * is cut out of the e820 map).
 */
int kx_arm64_crash_memmap(struct kx_ctx *ctx, struct kx_plan *plan)
{
	struct kx_range u[KX_ARM64_USABLE_MAX];
	unsigned i, n = kx_arm64_usable(ctx, u);
	int r;

	kx_ranges_done(&plan->kdump_memmap);
	for (i = 0; i < n; i++) {
		r = kx_ranges_add(&plan->kdump_memmap, u[i].start, u[i].end, KX_MEM_RAM);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * A kdump kernel with CONFIG_CMA reserves its default CMA area (64 MiB on
 * Debian's 7.3 arm64 kernel) out of the crash region unless told cma=0.
 */
int kx_arm64_kdump_cmdline(struct kx_ctx *ctx)
{
	const struct kx_machine *m = ctx->m;
	uint64_t total = 0;
	size_t i;

	for (i = 0; i < m->crash.n; i++)
		total += m->crash.v[i].end - m->crash.v[i].start;
	if (total <= (512ULL << 20) && !kx_cmdline_has(ctx->cmdline, "cma="))
		kx_note(ctx->notes, KX_NOTE_WARN,
			"the kdump command line has no cma=: a kdump kernel with CONFIG_CMA reserves its default CMA area (64 MiB on Debian's arm64 kernels) out of only %llu MiB of crash memory; distros pass cma=0",
			(unsigned long long)(total >> 20));
	return 0;
}

/*
 * A normal load may overwrite any RAM the running kernel owns (it is gone
 * when the new kernel starts) but not the memblock reservations firmware
 * and the DT asked for, which the new kernel is told about again (GIC
 * tables, reserved-memory, EFI): all "reserved" children stay out.
 */
int kx_arm64_normal_avail(const struct kx_machine *m, struct kx_ranges *avail)
{
	int r;

	r = kx_ranges_copy(avail, &m->ram);
	if (r < 0)
		return r;
	return kx_ranges_exclude_all(avail, &m->ram_reserved);
}
