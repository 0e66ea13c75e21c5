/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * crash.c - the generic part of a crash (kdump) load: the crash regions,
 * the ELF core header (through libkdump-elf) and the RAM the kdump kernel
 * is given.  Arch code adds what only it knows (kernel text, direct map,
 * firmware ranges) through struct kx_arch.
 */
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "kdump-elf.h"

/* Memory the first kernel used that the dump must contain: RAM minus every crash region. */
static int dump_ranges(const struct kx_ctx *ctx, struct kx_ranges *out)
{
	const struct kx_machine *m = ctx->m;
	int r;

	r = kx_ranges_copy(out, &m->ram);
	if (r < 0)
		return r;
	r = kx_ranges_exclude_all(out, &m->crash);
	if (r < 0)
		return r;
	return kx_ranges_exclude(out, 0, ctx->arch->dump_min);
}

/*
 * Build the header: one PT_NOTE per CPU with crash notes, the VMCOREINFO
 * note, the kernel text PT_LOAD, then RAM — the order the kernel itself uses.
 */
static int build_elfcorehdr(struct kx_ctx *ctx, uint8_t **ret, size_t *ret_len, unsigned *ret_cap)
{
	const struct kx_machine *m = ctx->m;
	struct kx_diag *d = ctx->d;
	_cleanup_(kx_ranges_done) struct kx_ranges ram = { 0 };
	_cleanup_free_ uint8_t *buf = NULL;
	uint64_t tv, tp, ts, len;
	size_t i, need;
	int r;

	r = dump_ranges(ctx, &ram);
	if (r < 0)
		return r;
	r = ctx->arch->kernel_text(m, &tv, &tp, &ts, d);
	if (r < 0)
		return r;
	if (!m->has_vmcoreinfo)
		return kx_diag_set(d, -ENOENT, "%s: missing; the kdump kernel needs VMCOREINFO (CONFIG_CRASH_CORE)",
				   kx_path_rel(KX_PATH_VMCOREINFO));
	if (!m->n_notes)
		return kx_diag_set(d, -ENOENT, "%s: no CPU has crash notes (CONFIG_CRASH_DUMP?)",
				   kx_path_rel(KX_PATH_CPU_CRASH_NOTES));

	need = m->n_notes + 1 + 1 + ram.n;
	if (!kx_align_up(kdump_elf_bytes((unsigned)need), KX_PAGE_SIZE, &len))
		return -EOVERFLOW;
	buf = malloc(len);
	if (!buf)
		return -ENOMEM;
	r = kdump_elf_init(buf, len, ctx->arch->elf_machine);
	for (i = 0; r >= 0 && i < m->n_notes; i++)
		r = kdump_elf_add_note(buf, len, m->notes[i].addr, m->notes[i].size);
	if (r >= 0)
		r = kdump_elf_add_note(buf, len, m->vmcoreinfo_addr, m->vmcoreinfo_size);
	if (r >= 0)
		r = kdump_elf_add_load(buf, len, tp, tv, ts);
	for (i = 0; r >= 0 && i < ram.n; i++) {
		uint64_t va;

		r = ctx->arch->phys_to_virt(m, ram.v[i].start, &va, d);
		if (r < 0)
			return r;
		r = kdump_elf_add_load(buf, len, ram.v[i].start, va, ram.v[i].end - ram.v[i].start);
	}
	if (r < 0)
		return kx_diag_set(d, r, "elfcorehdr: building %zu program headers failed: %s", need, strerror(-r));
	r = kdump_elf_capacity(buf, len);
	if (r < 0)
		return r;
	*ret_cap = (unsigned)r;
	*ret_len = len;
	*ret = TAKE_PTR(buf);
	return 0;
}

int kx_crash_require(const struct kx_ctx *ctx)
{
	if (ctx->m->has_crash)
		return 0;
	return kx_diag_set(ctx->d, -EADDRNOTAVAIL,
			   "%s: no \"Crash kernel\" range: memory for the crash kernel is not reserved; boot with crashkernel=SIZE (e.g. crashkernel=256M)",
			   kx_path_rel(KX_PATH_IOMEM));
}

int kx_crash_prepare(struct kx_ctx *ctx, struct kx_plan *plan)
{
	const struct kx_machine *m = ctx->m;
	struct kx_diag *d = ctx->d;
	struct kx_place_req req = { .align = KX_PAGE_SIZE, .top_down = true };
	uint8_t *hdr = NULL;
	size_t len = 0;
	unsigned cap = 0;
	size_t i;
	int r;

	r = kx_crash_require(ctx);
	if (r < 0)
		return r;
	plan->crash = true;
	r = build_elfcorehdr(ctx, &hdr, &len, &cap);
	if (r < 0)
		return r;
	r = kx_plan_add(plan, KX_SEG_ELFCOREHDR, hdr, len, true, len, req);
	if (r < 0)
		return kx_diag_set(d, r, "elfcorehdr: no room for %zu bytes in the crash region [0x%llx, 0x%llx)",
				   len, (unsigned long long)m->crash_main.start,
				   (unsigned long long)m->crash_main.end);
	ctx->elfcorehdr_mem = plan->seg[r].mem;
	ctx->elfcorehdr_memsz = plan->seg[r].memsz;
	plan->elfcorehdr_capacity = cap;

	/* the kdump kernel's RAM: every crash region minus the elfcorehdr, page granular */
	for (i = 0; i < m->crash.n; i++) {
		r = kx_ranges_add(&plan->kdump_memmap, m->crash.v[i].start, m->crash.v[i].end, KX_MEM_RAM);
		if (r < 0)
			return r;
	}
	kx_ranges_shrink(&plan->kdump_memmap, KX_PAGE_SIZE);
	r = kx_ranges_exclude(&plan->kdump_memmap, ctx->elfcorehdr_mem,
			      ctx->elfcorehdr_mem + ctx->elfcorehdr_memsz);
	if (r < 0)
		return r;
	return ctx->arch->crash_memmap ? ctx->arch->crash_memmap(ctx, plan) : 0;
}
