/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * crash.c - the generic part of a crash (kdump) load: the crash regions,
 * the ELF core header (through libkdump-elf) and the RAM the kdump kernel
 * is given.  Arch code adds what only it knows (kernel text, direct map,
 * firmware ranges) through struct kx_arch.
 */
#include <stdlib.h>
#include <string.h>

#include <stdio.h>

#include "ctx.h"
#include "kdump-elf.h"

/*
 * Memory the first kernel used that the dump must contain: RAM minus every
 * crash region and every crash CMA range (the kdump kernel runs in those).
 */
static int dump_ranges(const struct kx_ctx *ctx, struct kx_ranges *out)
{
	const struct kx_machine *m = ctx->m;
	unsigned i;
	int r;

	r = kx_ranges_copy(out, &m->ram);
	if (r < 0)
		return r;
	r = kx_ranges_exclude_all(out, &m->crash);
	if (r < 0)
		return r;
	for (i = 0; i < ctx->cma.n; i++) {
		r = kx_ranges_exclude(out, ctx->cma.v[i].start, ctx->cma.v[i].end);
		if (r < 0)
			return r;
	}
	return kx_ranges_exclude(out, 0, ctx->arch->dump_min);
}

/* kx_cap_in for today's machine; the kernel's size counts only when it will rewrite the header. */
static void capacity_input(const struct kx_ctx *ctx, unsigned used, bool kernel_rewrites, uint64_t page_size,
			   struct kx_cap_in *in)
{
	const struct kx_machine *m = ctx->m;

	*in = (struct kx_cap_in){
		.used = used,
		.cpus_absent = m->hp.n_possible > m->hp.n_present ? m->hp.n_possible - m->hp.n_present : 0,
		.absent_bytes = m->hp.absent_bytes,
		.block_size = m->hp.block_size,
		.kernel_bytes = kernel_rewrites ? m->elfcorehdr_size : 0,
		.user_slots = ctx->o->elfcorehdr_slots,
		.page_size = page_size,
	};
}

/*
 * Fill @buf (kdump_elf_init()'ed) the way the kernel's own rewrite does:
 * one PT_NOTE per CPU with crash notes, the VMCOREINFO note, the kernel
 * text PT_LOAD, then RAM minus every crash region and the arch's low
 * memory, so nothing changes meaning when the kernel rewrites it.
 */
static int fill_elfcorehdr(struct kx_ctx *ctx, const struct kx_ranges *ram, uint8_t *buf, size_t len)
{
	const struct kx_machine *m = ctx->m;
	uint64_t tv, tp, ts;
	size_t i;
	int r;

	r = ctx->arch->kernel_text(m, &tv, &tp, &ts, ctx->d);
	if (r < 0)
		return r;
	r = kdump_elf_init(buf, len, ctx->arch->elf_machine);
	for (i = 0; r >= 0 && i < m->n_notes; i++)
		r = kdump_elf_add_note(buf, len, m->notes[i].addr, m->notes[i].size);
	if (r >= 0)
		r = kdump_elf_add_note(buf, len, m->vmcoreinfo_addr, m->vmcoreinfo_size);
	if (r >= 0)
		r = kdump_elf_add_load(buf, len, tp, tv, ts);
	for (i = 0; r >= 0 && i < ram->n; i++) {
		uint64_t va;

		r = ctx->arch->phys_to_virt(m, ram->v[i].start, &va, ctx->d);
		if (r < 0)
			return r;
		r = kdump_elf_add_load(buf, len, ram->v[i].start, va, ram->v[i].end - ram->v[i].start);
	}
	return r < 0 ? r : 0;
}

int kx_crash_header_need(struct kx_ctx *ctx, struct kx_ranges *ram, unsigned *ret_used)
{
	const struct kx_machine *m = ctx->m;
	struct kx_diag *d = ctx->d;
	int r;

	if (!m->has_vmcoreinfo)
		return kx_diag_set(d, -ENOENT, "%s: missing; the kdump kernel needs VMCOREINFO (CONFIG_CRASH_CORE)",
				   kx_path_rel(KX_PATH_VMCOREINFO));
	if (!m->n_notes)
		return kx_diag_set(d, -ENOENT, "%s: no CPU has crash notes (CONFIG_CRASH_DUMP?)",
				   kx_path_rel(KX_PATH_CPU_CRASH_NOTES));
	r = dump_ranges(ctx, ram);
	if (r < 0)
		return r;
	*ret_used = (unsigned)(m->n_notes + 1 + 1 + ram->n);
	return 0;
}

int kx_crash_header_build(struct kx_ctx *ctx, unsigned capacity, uint8_t **ret, size_t *ret_len)
{
	_cleanup_(kx_ranges_done) struct kx_ranges ram = { 0 };
	_cleanup_free_ uint8_t *buf = NULL;
	size_t len = kdump_elf_bytes(capacity);
	unsigned used;
	int r;

	r = kx_crash_header_need(ctx, &ram, &used);
	if (r < 0)
		return r;
	if (used > capacity)
		return kx_diag_set(ctx->d, -ENOSPC, "elfcorehdr: %u program headers do not fit its %u slots", used, capacity);
	buf = calloc(1, len);
	if (!buf)
		return -ENOMEM;
	r = fill_elfcorehdr(ctx, &ram, buf, len);
	if (r < 0)
		return kx_diag_set(ctx->d, r, "elfcorehdr: building %u program headers failed: %s", used, strerror(-r));
	*ret = TAKE_PTR(buf);
	*ret_len = len;
	return 0;
}

/*
 * The kernel hotplug flag: set when the kernel can rewrite the header
 * itself (/sys/kernel/crash_elfcorehdr_size exists), unless --no-hotplug;
 * --hotplug makes its absence an error.  Its rewrite leaves out only the
 * crash CMA it reserved itself, so crash CMA ranges it does not know
 * (--crash-cma=LIST) keep the flag off: kexec --reload-elfcorehdr rewrites
 * the header then, from the state that records them.
 */
static int hotplug_flag(struct kx_ctx *ctx, struct kx_plan *plan, bool *ret_kernel_rewrites)
{
	const struct kx_machine *m = ctx->m;
	enum kx_hotplug_mode mode = ctx->o->hotplug;

	*ret_kernel_rewrites = false;
	if (mode == KX_HOTPLUG_OFF) {
		kx_note(ctx->notes, KX_NOTE_DEBUG, "--no-hotplug: the kernel does not rewrite the crash header; kexec --reload-elfcorehdr does");
		return 0;
	}
	if (!m->has_elfcorehdr_size || !ctx->arch->hotplug_flag) {
		kx_note(ctx->notes, KX_NOTE_DEBUG, "no %s: after hotplug, kexec --reload-elfcorehdr rewrites the crash header",
			kx_path_rel(KX_PATH_ELFCOREHDR_SIZE_OLD));
		return 0;
	}
	if (ctx->cma.n && !ctx->cma_kernel_known) {
		if (mode == KX_HOTPLUG_ON) {
			ctx->final = true;
			return kx_diag_set(ctx->d, -EINVAL,
					   "--hotplug with --crash-cma=LIST: the kernel's own rewrite of the crash header would put back ranges it did not reserve as crash CMA; drop --hotplug (kexec --reload-elfcorehdr then keeps them out)");
		}
		kx_note(ctx->notes, KX_NOTE_DEBUG,
			"no hotplug flag: the crash CMA ranges from %s are not the kernel's crash_cma_ranges, and its own rewrite of the crash header on hotplug would dump them again; after hotplug, kexec --reload-elfcorehdr rewrites the header and keeps them out",
			ctx->cma_src);
		return 0;
	}
	plan->flags |= ctx->arch->hotplug_flag;
	*ret_kernel_rewrites = true;
	kx_note(ctx->notes, KX_NOTE_DEBUG, "hotplug flag 0x%lx: the kernel rewrites the crash header on memory and CPU hotplug (crash_elfcorehdr_size %llu)",
		ctx->arch->hotplug_flag, (unsigned long long)m->elfcorehdr_size);
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
	struct kx_place_req req = { .align = plan->page_size, .top_down = true };
	_cleanup_(kx_ranges_done) struct kx_ranges ram = { 0 };
	struct kx_cap_in in;
	uint8_t *hdr = NULL;
	size_t len = 0;
	bool kernel_rewrites;
	size_t i;
	int r;

	r = kx_crash_require(ctx);
	if (r < 0)
		return r;
	plan->crash = true;
	r = kx_crash_cma_check(ctx, plan->page_size);
	if (r < 0)
		return r;
	r = hotplug_flag(ctx, plan, &kernel_rewrites);
	if (r < 0)
		return r;
	r = kx_crash_header_need(ctx, &ram, &plan->hdr_used);
	if (r < 0)
		return r;
	capacity_input(ctx, plan->hdr_used, kernel_rewrites, plan->page_size, &in);
	r = kx_elfcorehdr_capacity(&in, &plan->hdr_cap);
	if (r == -ENOSPC) {
		ctx->final = true;	/* the user's number: kexec_file_load is no answer to it */
		return kx_diag_set(d, -ENOSPC, "--elfcorehdr-slots=%u is too small: the crash header needs %u program headers today",
				   in.user_slots, in.used);
	}
	if (r < 0)
		return kx_diag_set(d, r, "elfcorehdr: capacity for %u program headers: %s", in.used, strerror(-r));
	if (kernel_rewrites && plan->hdr_cap.memsz < m->elfcorehdr_size + KX_EHDR_SIZE)
		kx_note(ctx->notes, KX_NOTE_WARN,
			"--elfcorehdr-slots=%u gives %llu bytes, less than the %llu the kernel asks for (crash_elfcorehdr_size + the ELF header); its rewrite fails once the header outgrows them",
			in.user_slots, (unsigned long long)plan->hdr_cap.memsz,
			(unsigned long long)(m->elfcorehdr_size + KX_EHDR_SIZE));
	r = kx_crash_header_build(ctx, plan->hdr_cap.capacity, &hdr, &len);
	if (r < 0)
		return r;
	r = kx_plan_add(plan, KX_SEG_ELFCOREHDR, hdr, len, true, plan->hdr_cap.memsz, req);
	if (r < 0)
		return kx_diag_set(d, r, "elfcorehdr: no room for %llu bytes in the crash region [0x%llx, 0x%llx)",
				   (unsigned long long)plan->hdr_cap.memsz, (unsigned long long)m->crash_main.start,
				   (unsigned long long)m->crash_main.end);
	/* never in the digest: the kernel or --reload-elfcorehdr rewrites it after the load */
	plan->seg[r].in_digest = false;
	ctx->elfcorehdr_mem = plan->seg[r].mem;
	ctx->elfcorehdr_memsz = plan->seg[r].memsz;

	/* the kdump kernel's RAM: every crash region minus the elfcorehdr, page granular */
	for (i = 0; i < m->crash.n; i++) {
		r = kx_ranges_add(&plan->kdump_memmap, m->crash.v[i].start, m->crash.v[i].end, KX_MEM_RAM);
		if (r < 0)
			return r;
	}
	kx_ranges_shrink(&plan->kdump_memmap, plan->page_size);
	r = kx_ranges_exclude(&plan->kdump_memmap, ctx->elfcorehdr_mem,
			      ctx->elfcorehdr_mem + ctx->elfcorehdr_memsz);
	if (r < 0)
		return r;
	/* and the crash CMA ranges, whole (page aligned already) */
	for (i = 0; i < ctx->cma.n; i++) {
		r = kx_ranges_add(&plan->kdump_memmap, ctx->cma.v[i].start, ctx->cma.v[i].end, KX_MEM_RAM);
		if (r < 0)
			return r;
	}
	return ctx->arch->crash_memmap ? ctx->arch->crash_memmap(ctx, plan) : 0;
}
