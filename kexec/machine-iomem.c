/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * machine-iomem.c - /proc/iomem as a tree (indentation = depth), and the
 * ranges derived from it: System RAM, firmware types, crash regions.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"

/* Map a resource name to the memory type the kdump memory map uses. */
enum kx_mem_type kx_iomem_type(const char *name)
{
	if (!strncmp(name, "System RAM", 10))
		return KX_MEM_RAM;
	if (!strcmp(name, "Reserved") || !strcmp(name, "reserved"))
		return KX_MEM_RESERVED;
	if (!strcmp(name, "ACPI Tables"))
		return KX_MEM_ACPI;
	if (!strcmp(name, "ACPI Non-volatile Storage"))
		return KX_MEM_NVS;
	if (!strcmp(name, "Persistent Memory (legacy)"))
		return KX_MEM_PRAM;
	if (!strcmp(name, "Persistent Memory"))
		return KX_MEM_PMEM;
	if (!strcmp(name, "Unusable memory"))
		return KX_MEM_UNUSABLE;
	if (!strcmp(name, "Soft Reserved"))
		return KX_MEM_SOFT_RESERVED;
	return KX_MEM_NONE;
}

static int hex_field(const char *s, size_t n, uint64_t *ret)
{
	uint64_t v = 0;
	size_t i;

	if (!n || n > 16)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (!isxdigit(c))
			return -EINVAL;
		v = v << 4 | (uint64_t)(isdigit(c) ? c - '0' : (tolower(c) - 'a' + 10));
	}
	*ret = v;
	return 0;
}

/* Parse one line "  start-end : name" into @r (name points into a new string). */
static int iomem_line(const char *line, size_t len, struct kx_iomem_res *r)
{
	const char *p = line, *end = line + len, *dash, *colon;
	uint64_t first, last;
	size_t sp = 0;

	while (p < end && *p == ' ')
		p++, sp++;
	dash = memchr(p, '-', (size_t)(end - p));
	colon = dash ? memchr(dash, ':', (size_t)(end - dash)) : NULL;
	/* an empty name prints as "start-end : " (trailing blank often stripped) */
	if (!dash || !colon || colon - dash < 2 || colon[-1] != ' ' || (colon + 1 < end && colon[1] != ' '))
		return -EINVAL;
	if (hex_field(p, (size_t)(dash - p), &first) < 0 ||
	    hex_field(dash + 1, (size_t)(colon - 1 - (dash + 1)), &last) < 0)
		return -EINVAL;
	if (last < first)
		return -ERANGE;
	r->depth = (unsigned)(sp / 2);
	r->start = first;
	r->end = last == UINT64_MAX ? UINT64_MAX : last + 1;
	r->name = colon + 2 <= end ? strndup(colon + 2, (size_t)(end - (colon + 2))) : strdup("");
	return r->name ? 0 : -ENOMEM;
}

/*
 * @in_ram: the resource is a child of a System RAM resource.  A "reserved"
 * child there is a memblock reservation of the running kernel (arm64 and
 * other DT arches list them): still RAM, so not a firmware range.
 */
static int add_resource(struct kx_machine *m, const struct kx_iomem_res *r, bool in_ram)
{
	enum kx_mem_type t = kx_iomem_type(r->name);

	if (!strcmp(r->name, "Crash kernel")) {
		size_t i;

		/* each resource stays itself: touching low and high regions must not merge */
		for (i = 0; i < m->crash.n; i++)
			if (m->crash.v[i].start == r->start && m->crash.v[i].end == r->end)
				return 0;	/* the same resource listed twice */
		return kx_ranges_insert(&m->crash, r->start, r->end, KX_MEM_RAM);
	}
	if (t == KX_MEM_RAM)
		return kx_ranges_add(&m->ram, r->start, r->end, KX_MEM_RAM);
	if (in_ram && t == KX_MEM_RESERVED)
		return kx_ranges_add(&m->ram_reserved, r->start, r->end, KX_MEM_RESERVED);
	if (t != KX_MEM_NONE)
		return kx_ranges_add(&m->firmware, r->start, r->end, t);
	return 0;
}

int kx_iomem_parse(struct kx_machine *m, const char *text, size_t len, const char *fname,
		   struct kx_diag *d)
{
	const char *p = text, *end = text + len;
	size_t cap = 0;
	unsigned lineno = 0;
	/* whether the last resource at each depth is System RAM (deeper ones: its children) */
	bool ram_at[16] = { false };
	int r;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct kx_iomem_res res;

		lineno++;
		if (ll == 0 || memchr(p, '\0', ll)) {
			if (ll)
				return kx_diag_set(d, -EINVAL, "%s: line %u: NUL byte in line", fname, lineno);
			p += 1;
			continue;
		}
		r = iomem_line(p, ll, &res);
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			return kx_diag_set(d, -EINVAL,
					   "%s: line %u: expected \"start-end : name\" with hex addresses%s, got \"%.*s\"",
					   fname, lineno, r == -ERANGE ? " and start <= end" : "",
					   (int)(ll > 80 ? 80 : ll), p);
		if (m->n_iomem == cap) {
			struct kx_iomem_res *v;

			cap = cap ? cap * 2 : 64;
			v = reallocarray(m->iomem, cap, sizeof(*v));
			if (!v) {
				free(res.name);
				return -ENOMEM;
			}
			m->iomem = v;
		}
		m->iomem[m->n_iomem++] = res;
		{
			unsigned dp = res.depth < ARRAY_SIZE(ram_at) ? res.depth : ARRAY_SIZE(ram_at) - 1;
			bool in_ram = dp > 0 && ram_at[dp - 1];

			r = add_resource(m, &res, in_ram);
			if (r < 0)
				return r;
			ram_at[dp] = kx_iomem_type(res.name) == KX_MEM_RAM;
		}
		p += ll + (nl ? 1 : 0);
	}

	/* a reader without CAP_SYS_ADMIN sees every address as 0 */
	if (m->n_iomem) {
		size_t i;

		for (i = 0; i < m->n_iomem && m->iomem[i].start == 0 && m->iomem[i].end == 1; i++)
			;
		if (i == m->n_iomem)
			return kx_diag_set(d, -EACCES,
					   "%s: every address reads as 0: the kernel hides them from users without CAP_SYS_ADMIN; a live plan (even --dry-run) needs root, or plan against a capture with --root DIR (made as root with kexec --capture-root DIR)",
					   fname);
	}

	/* crashk_res is the highest "Crash kernel" range; the other one is crashk_low_res */
	if (m->crash.n) {
		size_t i;

		for (i = 1; i < m->crash.n; i++)
			if (m->crash.v[i].start < m->crash.v[i - 1].end)
				return kx_diag_set(d, -EINVAL, "%s: \"Crash kernel\" ranges [0x%llx, 0x%llx) and [0x%llx, 0x%llx) overlap",
						   fname, (unsigned long long)m->crash.v[i - 1].start,
						   (unsigned long long)m->crash.v[i - 1].end,
						   (unsigned long long)m->crash.v[i].start,
						   (unsigned long long)m->crash.v[i].end);
		m->has_crash = true;
		m->crash_main = m->crash.v[m->crash.n - 1];
		if (m->crash.n == 2) {
			m->has_crash_low = true;
			m->crash_low = m->crash.v[0];
		} else if (m->crash.n > 2) {
			return kx_diag_set(d, -EINVAL, "%s: %zu separate \"Crash kernel\" ranges; the kernel has at most two (crashk_res, crashk_low_res)",
					   fname, m->crash.n);
		}
	}
	return 0;
}
