/* SPDX-License-Identifier: GPL-2.0-or-later */
/* plan.c - segment bookkeeping and the kernel's segment sanity rules. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan.h"

static const char *const role_names[KX_SEG_ROLE_MAX] = {
	[KX_SEG_KERNEL] = "kernel",
	[KX_SEG_INITRD] = "initrd",
	[KX_SEG_SETUP] = "setup",
	[KX_SEG_PURGATORY] = "purgatory",
	[KX_SEG_ELFCOREHDR] = "elfcorehdr",
	[KX_SEG_DTB] = "dtb",
};

const char *kx_seg_role_name(enum kx_seg_role role)
{
	return (unsigned)role < KX_SEG_ROLE_MAX ? role_names[role] : "?";
}

void kx_plan_init(struct kx_plan *p)
{
	memset(p, 0, sizeof(*p));
	p->kernel_fd = -1;
	p->initrd_fd = -1;
	p->page_size = KX_PAGE_SIZE;
}

void kx_plan_done(struct kx_plan *p)
{
	size_t i;

	for (i = 0; i < p->n_seg; i++)
		if (p->seg[i].owned)
			free(p->seg[i].buf);
	kx_ranges_done(&p->avail);
	kx_ranges_done(&p->kdump_memmap);
	free(p->cmdline);
	if (p->kernel_fd >= 0)
		close(p->kernel_fd);
	if (p->initrd_fd >= 0)
		close(p->initrd_fd);
	kx_plan_init(p);
}

void kx_plan_trim(struct kx_plan *p, int idx)
{
	struct kx_segment *s = &p->seg[idx];
	uint64_t sz;

	if (!kx_align_up(s->bufsz ? s->bufsz : 1, p->page_size, &sz) || sz >= s->memsz)
		return;
	s->kept_free += s->memsz - sz;
	s->memsz = sz;
}

int kx_plan_add(struct kx_plan *p, enum kx_seg_role role, void *buf, size_t bufsz, bool owned,
		uint64_t memsz, struct kx_place_req req)
{
	uint64_t mem;
	int r;

	if (p->n_seg >= KX_MAX_SEGMENTS) {
		r = -E2BIG;
		goto fail;
	}
	if (memsz < bufsz || !kx_align_up(memsz, p->page_size, &memsz) || !memsz) {
		r = -EINVAL;
		goto fail;
	}
	if (req.align < p->page_size)
		req.align = p->page_size;
	req.size = memsz;
	r = kx_find_space(&p->avail, &req, &mem);
	if (r < 0)
		goto fail;
	r = kx_ranges_exclude(&p->avail, mem, mem + memsz);
	if (r < 0)
		goto fail;
	p->seg[p->n_seg] = (struct kx_segment){
		.role = role, .buf = buf, .bufsz = bufsz, .owned = owned,
		.mem = mem, .memsz = memsz, .in_digest = true,
	};
	return (int)p->n_seg++;
fail:
	if (owned)
		free(buf);
	return r;
}

int kx_plan_find(const struct kx_plan *p, enum kx_seg_role role)
{
	size_t i;

	for (i = 0; i < p->n_seg; i++)
		if (p->seg[i].role == role)
			return (int)i;
	return -ENOENT;
}

int kx_plan_check(const struct kx_plan *p, const struct kx_check_limits *lim, struct kx_diag *d)
{
	const struct kx_range *cr = &lim->crash_region;
	bool entry_ok = false;
	uint64_t used = 0;
	size_t i, j;

	if (p->n_seg > KX_MAX_SEGMENTS)
		return kx_diag_set(d, -EINVAL, "plan: %zu segments, the kernel takes at most %d",
				   p->n_seg, KX_MAX_SEGMENTS);
	for (i = 0; i < p->n_seg; i++) {
		const struct kx_segment *s = &p->seg[i];
		uint64_t end = s->mem + s->memsz;
		const char *what = kx_seg_role_name(s->role);

		if (end < s->mem)
			return kx_diag_set(d, -EADDRNOTAVAIL, "plan: %s segment at 0x%llx wraps around",
					   what, (unsigned long long)s->mem);
		if ((s->mem | s->memsz) & (p->page_size - 1))
			return kx_diag_set(d, -EADDRNOTAVAIL,
					   "plan: %s segment [0x%llx, 0x%llx) is not page aligned", what,
					   (unsigned long long)s->mem, (unsigned long long)end);
		if (s->bufsz > s->memsz)
			return kx_diag_set(d, -EINVAL, "plan: %s segment bufsz 0x%zx > memsz 0x%llx",
					   what, s->bufsz, (unsigned long long)s->memsz);
		for (j = 0; j < i; j++) {
			const struct kx_segment *o = &p->seg[j];

			if (s->mem < o->mem + o->memsz && o->mem < end)
				return kx_diag_set(d, -EINVAL, "plan: %s and %s segments overlap", what,
						   kx_seg_role_name(o->role));
		}
		if (p->crash) {
			if (s->mem < cr->start || end > cr->end)
				return kx_diag_set(d, -EADDRNOTAVAIL,
						   "plan: %s segment [0x%llx, 0x%llx) is outside the crash region [0x%llx, 0x%llx)",
						   what, (unsigned long long)s->mem, (unsigned long long)end,
						   (unsigned long long)cr->start, (unsigned long long)cr->end);
		} else if (lim->ram && !kx_ranges_contains(lim->ram, s->mem, end)) {
			return kx_diag_set(d, -EADDRNOTAVAIL,
					   "plan: %s segment [0x%llx, 0x%llx) is not inside System RAM", what,
					   (unsigned long long)s->mem, (unsigned long long)end);
		}
		/* the kernel finds a kexec_load elfcorehdr by its magic: no other segment may start so */
		if (p->crash && s->role != KX_SEG_ELFCOREHDR && s->bufsz >= 4 && !memcmp(s->buf, "\177ELF", 4))
			return kx_diag_set(d, -EINVAL,
					   "plan: the %s segment starts with the ELF magic; only the elfcorehdr may (the kernel's crash hotplug finds it that way)",
					   what);
		if (p->entry >= s->mem && p->entry < end)
			entry_ok = true;
		used += s->memsz;
	}
	if (p->n_seg && !entry_ok)
		return kx_diag_set(d, -EINVAL, "plan: entry 0x%llx is not inside any segment",
				   (unsigned long long)p->entry);
	if (p->crash && p->n_seg) {
		if (p->entry < cr->start || p->entry >= cr->end)
			return kx_diag_set(d, -EADDRNOTAVAIL, "plan: entry 0x%llx is outside the crash region",
					   (unsigned long long)p->entry);
		/* kimage_alloc_crash_control_pages() needs a free page in crashk_res */
		if (kx_align_down(cr->end, p->page_size) - cr->start < used + p->page_size)
			return kx_diag_set(d, -ENOSPC,
					   "plan: segments use 0x%llx of the 0x%llx-byte crash region, no page is left for the kernel's control pages",
					   (unsigned long long)used, (unsigned long long)(cr->end - cr->start));
	}
	return 0;
}
