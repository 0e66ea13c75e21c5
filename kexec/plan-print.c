/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plan-print.c - --dry-run output, for people and (--json) for tools.
 * The elfcorehdr summary is read back from the segment bytes with
 * libkdump-elf, so what is printed is what would be loaded.
 */
#include <stdio.h>
#include <string.h>

#include "ctx.h"
#include "digest.h"
#include "kdump-elf.h"

static void hex(char *out, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static const char *syscall_name(const struct kx_plan *p)
{
	return p->syscall == KX_SYS_KEXEC_FILE_LOAD ? "kexec_file_load" : "kexec_load";
}

static int seg_sha(const struct kx_segment *s, char out[65])
{
	uint8_t dg[32];
	int r = kx_sha256(s->buf, s->bufsz, dg);

	if (r < 0)
		return r;
	hex(out, dg, 32);
	return 0;
}

/* Every note as {"level", "message"}; the plan then owns showing them. */
static void json_notes(struct kx_notes *ns, FILE *f)
{
	size_t i;

	fprintf(f, ",\n  \"notes\": [");
	for (i = 0; ns && i < ns->n; i++) {
		fprintf(f, "%s\n    {\"level\": \"%s\", \"message\": ", i ? "," : "", kx_note_level_name(ns->v[i].level));
		json_str(f, ns->v[i].msg);
		fputc('}', f);
	}
	fprintf(f, "%s]", ns && ns->n ? "\n  " : "");
	if (ns)
		ns->shown = ns->n;
}

/* Notes worth a line in the plan: info and up, debug too with -d. */
static void text_notes(const struct kx_ctx *ctx, FILE *f)
{
	struct kx_notes *ns = ctx->notes;
	size_t i;

	for (i = 0; ns && i < ns->n; i++)
		if (ns->v[i].level >= KX_NOTE_INFO || ctx->o->debug)
			fprintf(f, "  note      %s: %s\n", kx_note_level_name(ns->v[i].level), ns->v[i].msg);
	if (ns)
		ns->shown = ns->n;
}

/* RAM bytes of the kdump kernel's memory map, and the classic (crashkernel=) part of it. */
static uint64_t kdump_ram(const struct kx_plan *p)
{
	uint64_t t = 0;
	size_t i;

	for (i = 0; i < p->kdump_memmap.n; i++)
		if (p->kdump_memmap.v[i].type == KX_MEM_RAM)
			t += p->kdump_memmap.v[i].end - p->kdump_memmap.v[i].start;
	return t;
}

static const char *cma_treatment(const struct kx_plan *p)
{
	return p->syscall == KX_SYS_KEXEC_FILE_LOAD ?
		"the kernel gives them to the kdump kernel and leaves them out of the dump itself" :
		"RAM for the kdump kernel; no PT_LOAD of the crash header covers them; no segment goes there";
}

static void json_cma(const struct kx_ctx *ctx, const struct kx_plan *p, FILE *f)
{
	const struct kx_cma *c = p->syscall == KX_SYS_KEXEC_FILE_LOAD ? &ctx->m->crash_cma : &ctx->cma;
	unsigned i;

	if (!ctx->o || !ctx->o->crash_cma)
		return;
	fprintf(f, ",\n  \"crash_cma\": {\"source\": ");
	json_str(f, p->syscall == KX_SYS_KEXEC_FILE_LOAD ? "kernel" : ctx->cma_src);
	fprintf(f, ", \"kernel_known\": %s, \"treatment\": ", ctx->cma_kernel_known ? "true" : "false");
	json_str(f, cma_treatment(p));
	fprintf(f, ", \"ranges\": [");
	for (i = 0; i < c->n; i++)
		fprintf(f, "%s{\"start\": \"0x%llx\", \"end\": \"0x%llx\"}", i ? ", " : "",
			(unsigned long long)c->v[i].start, (unsigned long long)c->v[i].end);
	fprintf(f, "], \"cma_bytes\": %llu, \"classic_bytes\": %llu", (unsigned long long)kx_cma_total(c),
		(unsigned long long)kx_ranges_total(&ctx->m->crash));
	if (p->syscall == KX_SYS_KEXEC_LOAD)
		fprintf(f, ", \"kdump_ram_bytes\": %llu", (unsigned long long)kdump_ram(p));
	fprintf(f, "}");
}

static void text_cma(const struct kx_ctx *ctx, const struct kx_plan *p, FILE *f)
{
	const struct kx_cma *c = p->syscall == KX_SYS_KEXEC_FILE_LOAD ? &ctx->m->crash_cma : &ctx->cma;
	uint64_t classic = kx_ranges_total(&ctx->m->crash);
	unsigned i;

	if (!ctx->o || !ctx->o->crash_cma)
		return;
	fprintf(f, "  crash CMA %u range%s from %s%s: %s\n", c->n, c->n == 1 ? "" : "s",
		p->syscall == KX_SYS_KEXEC_FILE_LOAD ? "the kernel" : ctx->cma_src,
		ctx->cma_kernel_known ? " (the kernel's own)" : " (not the kernel's crash CMA)", cma_treatment(p));
	for (i = 0; i < c->n; i++)
		fprintf(f, "    [0x%012llx, 0x%012llx) %llu MiB\n", (unsigned long long)c->v[i].start,
			(unsigned long long)c->v[i].end, (unsigned long long)((c->v[i].end - c->v[i].start) >> 20));
	fprintf(f, "  crash memory: classic (crashkernel=) %llu MiB, CMA %llu MiB", (unsigned long long)(classic >> 20),
		(unsigned long long)(kx_cma_total(c) >> 20));
	if (p->syscall == KX_SYS_KEXEC_LOAD)
		fprintf(f, "; the kdump kernel gets %llu MiB of RAM in all", (unsigned long long)(kdump_ram(p) >> 20));
	fprintf(f, "\n");
}

static int print_json(const struct kx_ctx *ctx, const struct kx_plan *p, FILE *f)
{
	int e = kx_plan_find(p, KX_SEG_ELFCOREHDR);
	char sha[65];
	size_t i;
	int r;

	fprintf(f, "{\n  \"syscall\": \"%s\",\n", syscall_name(p));
	fprintf(f, "  \"flags\": \"0x%lx\",\n", p->syscall == KX_SYS_KEXEC_FILE_LOAD ? p->file_flags : p->flags);
	fprintf(f, "  \"entry\": \"0x%llx\",\n", (unsigned long long)p->entry);
	fprintf(f, "  \"cmdline\": ");
	json_str(f, p->cmdline);
	fprintf(f, ",\n  \"digest\": ");
	if (p->has_digest) {
		hex(sha, p->digest, 32);
		fprintf(f, "\"%s\"", sha);
	} else {
		fprintf(f, "null");
	}
	fprintf(f, ",\n  \"segments\": [");
	for (i = 0; i < p->n_seg; i++) {
		const struct kx_segment *s = &p->seg[i];

		r = seg_sha(s, sha);
		if (r < 0)
			return r;
		fprintf(f, "%s\n    {\"role\": \"%s\", \"mem\": \"0x%llx\", \"memsz\": \"0x%llx\", \"bufsz\": \"0x%zx\", \"sha256\": \"%s\", \"in_digest\": %s",
			i ? "," : "", kx_seg_role_name(s->role), (unsigned long long)s->mem,
			(unsigned long long)s->memsz, s->bufsz, sha, s->in_digest ? "true" : "false");
		if (s->kept_free)
			fprintf(f, ", \"kept_free\": \"0x%llx\"", (unsigned long long)s->kept_free);
		fprintf(f, "}");
	}
	fprintf(f, "%s],\n  \"kdump_memmap\": [", p->n_seg ? "\n  " : "");
	for (i = 0; i < p->kdump_memmap.n; i++) {
		const struct kx_range *m = &p->kdump_memmap.v[i];

		fprintf(f, "%s\n    {\"start\": \"0x%llx\", \"end\": \"0x%llx\", \"type\": \"%s\"}", i ? "," : "",
			(unsigned long long)m->start, (unsigned long long)m->end, kx_mem_type_name(m->type));
	}
	fprintf(f, "%s]", p->kdump_memmap.n ? "\n  " : "");
	if (e >= 0) {
		const struct kx_segment *s = &p->seg[e];
		struct kdump_elf_view v;
		unsigned k, first = 1;

		r = kdump_elf_parse(s->buf, s->bufsz, &v);
		if (r < 0)
			return kdump_elf_errno(r);
		fprintf(f, ",\n  \"elfcorehdr\": {\"mem\": \"0x%llx\", \"memsz\": \"0x%llx\", \"phnum\": %u, \"capacity\": %u, \"spare\": %u, "
			"\"capacity_by\": \"%s\", \"headroom\": {\"memory\": %u, \"cpus\": %u, \"kernel\": %u}, \"notes\": [",
			(unsigned long long)s->mem, (unsigned long long)s->memsz, v.phnum, v.capacity, v.spare,
			p->hdr_cap.why ? p->hdr_cap.why : "", p->hdr_cap.mem_slots, p->hdr_cap.cpu_slots,
			p->hdr_cap.kernel_slots);
		for (k = 0; k < v.phnum; k++) {
			struct kdump_elf_phdr ph;

			if (kdump_elf_phdr(s->buf, s->bufsz, k, &ph) < 0 || ph.type != 4 /* PT_NOTE */)
				continue;
			fprintf(f, "%s{\"paddr\": \"0x%llx\", \"size\": \"0x%llx\"}", first ? "" : ", ",
				(unsigned long long)ph.paddr, (unsigned long long)ph.memsz);
			first = 0;
		}
		fprintf(f, "], \"loads\": [");
		first = 1;
		for (k = 0; k < v.phnum; k++) {
			struct kdump_elf_phdr ph;

			if (kdump_elf_phdr(s->buf, s->bufsz, k, &ph) < 0 || ph.type != 1 /* PT_LOAD */)
				continue;
			fprintf(f, "%s\n      {\"paddr\": \"0x%llx\", \"vaddr\": \"0x%llx\", \"size\": \"0x%llx\"}",
				first ? "" : ",", (unsigned long long)ph.paddr, (unsigned long long)ph.vaddr,
				(unsigned long long)ph.memsz);
			first = 0;
		}
		fprintf(f, "\n    ]}");
	}
	json_cma(ctx, p, f);
	json_notes(ctx->notes, f);
	fprintf(f, "\n}\n");
	return 0;
}

static int print_text(const struct kx_ctx *ctx, const struct kx_plan *p, FILE *f)
{
	int e = kx_plan_find(p, KX_SEG_ELFCOREHDR);
	char sha[65];
	size_t i;
	int r;

	fprintf(f, "kexec-ng plan (dry run, root %s)\n", ctx->m ? ctx->m->root : "/");
	if (p->syscall == KX_SYS_KEXEC_FILE_LOAD) {
		fprintf(f, "  syscall   kexec_file_load  flags 0x%lx%s%s\n", p->file_flags,
			p->file_flags & KX_FILE_ON_CRASH ? " ON_CRASH" : "",
			p->file_flags & KX_FILE_NO_INITRAMFS ? " NO_INITRAMFS" : "");
		fprintf(f, "  kernel    %s%s\n", ctx->kernel.path, ctx->kernel.decompressed ? " (decompressed, memfd)" : "");
		fprintf(f, "  initrd    %s\n", ctx->initrd.path ? ctx->initrd.path : "(none)");
		fprintf(f, "  cmdline   \"%s\" (for crash loads the kernel adds where its crash header is)\n", p->cmdline);
		text_cma(ctx, p, f);
		text_notes(ctx, f);
		return 0;
	}
	fprintf(f, "  syscall   kexec_load  flags 0x%lx%s%s%s  entry 0x%llx (purgatory)\n", p->flags,
		p->flags & KX_KEXEC_ON_CRASH ? " ON_CRASH" : "",
		p->flags & KX_KEXEC_UPDATE_ELFCOREHDR ? " UPDATE_ELFCOREHDR" : "",
		p->flags & KX_KEXEC_CRASH_HOTPLUG_SUPPORT ? " CRASH_HOTPLUG_SUPPORT" : "", (unsigned long long)p->entry);
	fprintf(f, "  kernel    %s (%s)\n", ctx->kernel.path, ctx->loader ? ctx->loader->name : "?");
	if (p->crash)
		fprintf(f, "  crash     [0x%llx, 0x%llx)%s\n", (unsigned long long)ctx->m->crash_main.start,
			(unsigned long long)ctx->m->crash_main.end, ctx->m->has_crash_low ? " + low region" : "");
	fprintf(f, "  cmdline   \"%s\"\n", p->cmdline ? p->cmdline : "");
	fprintf(f, "  segments  %zu of %d\n", p->n_seg, KX_MAX_SEGMENTS);
	for (i = 0; i < p->n_seg; i++) {
		const struct kx_segment *s = &p->seg[i];

		r = seg_sha(s, sha);
		if (r < 0)
			return r;
		fprintf(f, "    %-10s [0x%012llx, 0x%012llx) memsz 0x%-9llx bufsz 0x%-9zx %s sha256 %.16s…\n",
			kx_seg_role_name(s->role), (unsigned long long)s->mem,
			(unsigned long long)(s->mem + s->memsz), (unsigned long long)s->memsz, s->bufsz,
			s->in_digest ? "digest " : "no-dgst", sha);
		if (s->kept_free)
			fprintf(f, "    %-10s [0x%012llx, 0x%012llx) kept free for the image, not copied or zeroed\n", "",
				(unsigned long long)(s->mem + s->memsz),
				(unsigned long long)(s->mem + s->memsz + s->kept_free));
	}
	if (p->has_digest) {
		hex(sha, p->digest, 32);
		fprintf(f, "  digest    %s (checked by the purgatory)\n", sha);
	} else {
		fprintf(f, "  digest    none (--no-checks)\n");
	}
	if (p->kdump_memmap.n) {
		fprintf(f, "  kdump memory map (%zu entries)\n", p->kdump_memmap.n);
		for (i = 0; i < p->kdump_memmap.n; i++)
			fprintf(f, "    [0x%012llx, 0x%012llx) %s\n", (unsigned long long)p->kdump_memmap.v[i].start,
				(unsigned long long)p->kdump_memmap.v[i].end, kx_mem_type_name(p->kdump_memmap.v[i].type));
	}
	text_cma(ctx, p, f);
	if (e >= 0) {
		const struct kx_segment *s = &p->seg[e];
		struct kdump_elf_view v;
		unsigned k;

		r = kdump_elf_parse(s->buf, s->bufsz, &v);
		if (r < 0)
			return kdump_elf_errno(r);
		fprintf(f, "  elfcorehdr at 0x%llx: %u of %u program headers used, %llu bytes (%s; headroom: %u memory, %u cpus; kernel asks %u); outside the digest\n",
			(unsigned long long)s->mem, v.phnum, v.capacity, (unsigned long long)s->memsz,
			p->hdr_cap.why ? p->hdr_cap.why : "?", p->hdr_cap.mem_slots, p->hdr_cap.cpu_slots,
			p->hdr_cap.kernel_slots);
		for (k = 0; k < v.phnum; k++) {
			struct kdump_elf_phdr ph;

			if (kdump_elf_phdr(s->buf, s->bufsz, k, &ph) < 0)
				continue;
			fprintf(f, "    %-5s paddr 0x%012llx vaddr 0x%016llx size 0x%llx\n",
				ph.type == 1 ? "LOAD" : ph.type == 4 ? "NOTE" : "?", (unsigned long long)ph.paddr,
				(unsigned long long)ph.vaddr, (unsigned long long)ph.memsz);
		}
	}
	text_notes(ctx, f);
	return 0;
}

int kx_plan_print(const struct kx_ctx *ctx, const struct kx_plan *plan, bool json, FILE *f)
{
	return json ? print_json(ctx, plan, f) : print_text(ctx, plan, f);
}
