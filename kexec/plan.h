/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plan.h - everything a load will do, built without side effects.
 *
 * A plan is made by the loaders, checked by kx_plan_check() (the kernel's
 * sanity_check_segment_list() rules) and then either printed (--dry-run) or
 * handed to commit.c, the only place that makes kexec syscalls.
 */
#ifndef KX_PLAN_H
#define KX_PLAN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "capacity.h"
#include "range.h"
#include "util.h"

#define KX_MAX_SEGMENTS 16	/* KEXEC_SEGMENT_MAX */

/* kexec_load flags (low 16 bits) */
#define KX_KEXEC_ON_CRASH		0x1UL
#define KX_KEXEC_PRESERVE_CONTEXT	0x2UL
#define KX_KEXEC_UPDATE_ELFCOREHDR	0x4UL
#define KX_KEXEC_CRASH_HOTPLUG_SUPPORT	0x8UL
/* kexec_file_load flags */
#define KX_FILE_UNLOAD		0x1UL
#define KX_FILE_ON_CRASH	0x2UL
#define KX_FILE_NO_INITRAMFS	0x4UL
#define KX_FILE_DEBUG		0x8UL

enum kx_seg_role {
	KX_SEG_KERNEL,
	KX_SEG_INITRD,
	KX_SEG_SETUP,		/* the arch's boot data block (x86: boot_params, command line, setup_data) */
	KX_SEG_PURGATORY,
	KX_SEG_ELFCOREHDR,
	KX_SEG_DTB,
	KX_SEG_ROLE_MAX,
};

const char *kx_seg_role_name(enum kx_seg_role role);

/*
 * struct kx_segment - one kexec_segment and who owns its bytes
 * @buf/@bufsz: the bytes; @owned says the plan frees @buf
 * @mem/@memsz: physical destination, page aligned; the tail past @bufsz is zero
 * @in_digest:  covered by the purgatory's SHA-256 region list
 * @kept_free:  bytes after mem + memsz that the image needs free (x86
 *              init_size, arm64 image_size) and that no other segment takes,
 *              but that the kernel does not copy or zero (kx_plan_trim)
 */
struct kx_segment {
	enum kx_seg_role role;
	void *buf;
	size_t bufsz;
	bool owned;
	uint64_t mem, memsz;
	bool in_digest;
	uint64_t kept_free;
};

enum kx_syscall {
	KX_SYS_NONE,		/* unload, exec, status */
	KX_SYS_KEXEC_LOAD,
	KX_SYS_KEXEC_FILE_LOAD,
};

/*
 * struct kx_plan
 * @avail:        free memory the next segment may go into (shrinks as segments are added)
 * @kdump_memmap: the memory map the kdump kernel is given (crash loads), typed
 * @cmdline:      the next kernel's final command line (owned)
 * @kernel_fd/@initrd_fd/@file_flags: kexec_file_load arguments (fds owned, -1 if none)
 * @hdr_used/@hdr_cap: crash header program headers in use, and its capacity
 *               decision (slots, bytes, which source decided)
 */
struct kx_plan {
	enum kx_syscall syscall;
	unsigned long flags;
	uint64_t entry;
	struct kx_segment seg[KX_MAX_SEGMENTS];
	size_t n_seg;
	struct kx_ranges avail;
	struct kx_ranges kdump_memmap;
	char *cmdline;
	int kernel_fd, initrd_fd;
	unsigned long file_flags;
	unsigned hdr_used;
	struct kx_cap_out hdr_cap;
	uint8_t digest[32];
	bool has_digest;
	bool crash;
	uint64_t page_size;	/* the running kernel's: segments are aligned to it (default 4096) */
};

void kx_plan_init(struct kx_plan *p);
void kx_plan_done(struct kx_plan *p);

/*
 * kx_plan_add - place a buffer in @p->avail and record it as a segment
 * @buf/@bufsz/@owned: the bytes (ownership moves to the plan if @owned, even on error)
 * @memsz: destination size (rounded up to a page; must be >= @bufsz)
 * @req:   placement request; req->size is overwritten with the rounded memsz
 * Returns the segment index (>= 0), -E2BIG when all 16 slots are used,
 * -EINVAL for memsz < bufsz, -ENOSPC if no hole fits, -ENOMEM.
 */
int kx_plan_add(struct kx_plan *p, enum kx_seg_role role, void *buf, size_t bufsz, bool owned,
		uint64_t memsz, struct kx_place_req req);

/*
 * kx_plan_trim - segment @idx was placed with all the memory its image needs
 * (a kernel's init_size or image_size); let the kernel copy only its bytes.
 * memsz becomes bufsz rounded up to a page; the rest stays out of @p->avail
 * (kept_free), so nothing else goes there, but kexec_load no longer zeroes it
 * on every load (most of a reload's time).  Neither boot protocol asks for
 * zeroed memory past the image: both kernels clear their own BSS and early
 * page tables.  The caller must make sure nothing the jump to the kernel
 * still uses can be in the kept-free part: the kernel allocates its kexec
 * control pages outside the segments (x86: identity page tables that
 * startup_64 runs on while it moves the image; see loader-bzimage.c).
 */
void kx_plan_trim(struct kx_plan *p, int idx);

/* Index of the first segment with @role, or -ENOENT. */
int kx_plan_find(const struct kx_plan *p, enum kx_seg_role role);

/*
 * struct kx_check_limits - what kx_plan_check() compares the plan with
 * @crash_region: crashk_res (the main "Crash kernel" range), for crash loads
 * @ram: memory the segments of a normal load may overwrite
 */
struct kx_check_limits {
	struct kx_range crash_region;
	const struct kx_ranges *ram;
};

/*
 * kx_plan_check - the kernel's sanity_check_segment_list() rules, in userspace
 * Returns 0 or, with @d filled in:
 *   -EADDRNOTAVAIL  unaligned or wrapping segment, crash segment or entry
 *                   outside the crash region, normal segment outside RAM
 *   -EINVAL         overlapping segments, bufsz > memsz, more than 16 segments,
 *                   entry not inside any segment, a crash segment other than
 *                   the elfcorehdr starting with "\177ELF"
 *   -ENOSPC         no free page left in the crash region for control pages
 */
int kx_plan_check(const struct kx_plan *p, const struct kx_check_limits *lim, struct kx_diag *d);

/*
 * kx_plan_dump_segments - write each segment's bytes to DIR/seg<N>.bin and a
 * "manifest" (syscall, flags, entry, one "seg N role mem= memsz= bufsz=
 * digest= file=" line each).  @dir must be new or empty; it is made 0700.
 * Returns 0, or -ENOTEMPTY, -ELOOP, -ENOMEM or the errno of a write (with @d).
 */
int kx_plan_dump_segments(const struct kx_plan *p, const char *dir, struct kx_diag *d);

#endif
