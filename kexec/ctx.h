/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ctx.h - what one kexec invocation works with: options, machine model,
 * arch table, the kernel and initrd images, and the diagnostic record.
 */
#ifndef KX_CTX_H
#define KX_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "machine.h"
#include "notes.h"
#include "opts.h"
#include "plan.h"
#include "util.h"

/*
 * struct kx_image - a file given on the command line
 * @buf/@len:  its bytes (for a kernel: decompressed if its format needed it)
 * @fd:        the original file, kept open (kexec_file_load passes it on so
 *             IMA can appraise it, unless the bytes were decompressed)
 * @decompressed: @buf is not the file's bytes
 */
#define KX_IMAGE_MAX (1ULL << 30)	/* no file or decompressed kernel beyond 1 GiB */

struct kx_image {
	const char *path;
	uint8_t *buf;
	size_t len;
	int fd;
	bool decompressed;
	bool mapped;		/* @buf is an mmap(2) of the file, not malloc'ed */
};

struct kx_ctx {
	const struct kx_opts *o;
	const struct kx_arch *arch;
	struct kx_machine *m;
	struct kx_diag *d;
	struct kx_notes *notes;		/* may be NULL: notes are then dropped */
	int root_fd;			/* --root (or "/"): the machine, and kexec-ng's state under it */
	bool crash;
	struct kx_image kernel, initrd, dtb;
	const struct kx_loader *loader;
	bool prepared;			/* kx_load_prepare() passed */
	bool final;			/* the error is the user's choice: -a must not fall back */
	int argc;			/* the command line, recorded with a crash load */
	char **argv;
	const char *writer;		/* who writes the state: "load" (default), "reload", "relink" */
	char *cmdline;			/* reuse-cmdline + append, before loader additions */
	/* crash loads: where the elfcorehdr went (set before loader->load) */
	uint64_t elfcorehdr_mem, elfcorehdr_memsz;
	/*
	 * crash loads with --crash-cma (or a reload of one): CMA crash memory the
	 * kdump kernel gets as RAM and the crash header leaves out; @cma_src
	 * names where it came from; @cma_kernel_known: the kernel's own
	 * crash_cma_ranges (its hotplug rewrite and DMA wait cover them)
	 */
	struct kx_cma cma;
	const char *cma_src;
	bool cma_kernel_known;
};

/*
 * kx_image_open - read @path whole, exactly as it is on disk
 * Returns 0, -errno of open/read (with @d naming the file), -EINVAL for
 * something that is not a regular file, -EFBIG over 1 GiB.
 */
int kx_image_open(struct kx_image *img, const char *path, struct kx_diag *d);
/* kx_image_map - the same, but the bytes are a read-only mapping of the file (nothing copied) */
int kx_image_map(struct kx_image *img, const char *path, struct kx_diag *d);
void kx_image_done(struct kx_image *img);

/*
 * kx_cmdline_build - the base command line: --reuse-cmdline (the running
 * kernel's, minus BOOT_IMAGE= and, for crash loads, every crashkernel=)
 * followed by --append.  Returns 0 or -ENOMEM.
 */
int kx_cmdline_build(struct kx_ctx *ctx, char **ret);
/*
 * kx_cmdline_has - is @word a whole word of @cmdline?  A @word ending in
 * '=' (e.g. "cma=") matches that parameter with any value.
 */
bool kx_cmdline_has(const char *cmdline, const char *word);

/* Probe ctx->kernel against the arch's loaders (or -t TYPE). */
int kx_loader_probe(struct kx_ctx *ctx);

/*
 * kx_load_prepare - what both system calls need first: the crash region
 * (crash loads) and the kernel image's format.  A failure here would fail
 * either syscall, so -a does not fall back on it.
 * Returns 0, -EADDRNOTAVAIL (no crashkernel=), -ENOEXEC (not a kernel this
 * kexec loads), -EINVAL (a broken image), with ctx->d set.
 */
int kx_load_prepare(struct kx_ctx *ctx);
/*
 * kx_load_plan - the kexec_load plan: reads the facts only it needs (crash
 * notes, VMCOREINFO, proc/kcore, firmware state), then crash header, loader
 * segments, purgatory and the kernel's segment checks.  Returns 0 or -errno
 * with ctx->d set.
 */
int kx_load_plan(struct kx_ctx *ctx, struct kx_plan *plan);
/* Build the kexec_file_load plan (fds, flags, command line). */
int kx_file_plan(struct kx_ctx *ctx, struct kx_plan *plan);

/* -EADDRNOTAVAIL (with a message) if the machine has no crashkernel= reservation. */
int kx_crash_require(const struct kx_ctx *ctx);
/*
 * kx_crash_header_need - the RAM ranges the crash header lists today, and
 * how many program headers it needs (CPU notes, VMCOREINFO, kernel text,
 * RAM).  Returns 0, -ENOENT (no VMCOREINFO or crash notes), -ENOMEM.
 */
int kx_crash_header_need(struct kx_ctx *ctx, struct kx_ranges *ram, unsigned *ret_used);
/*
 * kx_crash_header_build - a crash header of @capacity slots for today's
 * machine (malloc'ed, kdump_elf_bytes(@capacity) long).  Returns 0,
 * -ENOSPC (it needs more slots), or the arch's kernel-fact errors.
 */
int kx_crash_header_build(struct kx_ctx *ctx, unsigned capacity, uint8_t **ret, size_t *ret_len);
/*
 * kx_crash_cma_select - --crash-cma: ctx->cma from --crash-cma=LIST or the
 * kernel's crash_cma_ranges (read here).  Returns 0, -EOPNOTSUPP (no
 * crash_cma_ranges file and no LIST), -ENOENT (it is empty), or the file's
 * parse errors, with ctx->d set.
 */
int kx_crash_cma_select(struct kx_ctx *ctx);
/*
 * kx_crash_cma_check - kexec_load: validate ctx->cma against the machine
 * (kx_cma_validate: page aligned inward, in System RAM, off the crash
 * regions, disjoint), let the arch drop what the kdump kernel cannot take,
 * and warn about DMA.  Returns 0, -EINVAL, -EADDRNOTAVAIL, with ctx->d set.
 */
int kx_crash_cma_check(struct kx_ctx *ctx, uint64_t page_size);
/* -EINVAL (with ctx->d) if a segment of @plan lies in a crash CMA range, else 0. */
int kx_crash_cma_check_segments(const struct kx_ctx *ctx, const struct kx_plan *plan);
/*
 * kx_crash_cma_file - kexec_file_load with --crash-cma: the kernel must have
 * crash CMA (-EOPNOTSUPP) and LIST, if given, must be its ranges (-EINVAL).
 */
int kx_crash_cma_file(struct kx_ctx *ctx);
/* Crash pieces (crash.c): place the elfcorehdr and fill plan->kdump_memmap's RAM. */
int kx_crash_prepare(struct kx_ctx *ctx, struct kx_plan *plan);
/* Link, patch and place the purgatory; computes the digest. Sets plan->entry. */
int kx_purgatory_attach(struct kx_ctx *ctx, struct kx_plan *plan);

/* Print the plan (--dry-run): people or JSON. */
int kx_plan_print(const struct kx_ctx *ctx, const struct kx_plan *plan, bool json, FILE *f);

/* --capture-root: copy what the machine model reads into @dir. */
int kx_capture_root(int root_fd, const char *dir, struct kx_diag *d);

#endif
