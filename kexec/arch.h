/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * arch.h - one ops table per architecture.  Generic code reaches arch
 * behaviour only through struct kx_arch; there is no arch #ifdef outside
 * kexec/arch/<arch>/.  configure picks which table is linked (kx_arch_native).
 */
#ifndef KX_ARCH_H
#define KX_ARCH_H

#include <stdint.h>

#include "machine.h"
#include "plan.h"
#include "util.h"

struct kx_ctx;
struct kx_machine;
struct kx_purgatory;

/* A kernel image format: probe the bytes, then add its segments to the plan. */
struct kx_loader {
	const char *name;
	/* 0 if the image is this format, -ENOEXEC if not, other -errno with d set if it is but broken */
	int (*probe)(const void *buf, size_t len, struct kx_diag *d);
	/*
	 * what the kernel would refuse for either syscall (e.g. a command line
	 * longer than the image takes), checked before any machine fact is
	 * read; optional.  0 or -errno with ctx->d set.
	 */
	int (*check)(struct kx_ctx *ctx);
	/* add kernel/initrd/boot data segments; crash loads find the elfcorehdr already placed */
	int (*load)(struct kx_ctx *ctx, struct kx_plan *plan);
};

/*
 * Relocation result of apply_rela(): 0, -ERANGE (value does not fit the field:
 * the caller names the relocation), -ENOEXEC (type not handled).
 */
typedef int (*kx_apply_rela_fn)(uint32_t type, void *loc, uint64_t S, int64_t A, uint64_t P);

struct kx_arch {
	const char *name;		/* "x86_64" */
	uint16_t elf_machine;		/* EM_X86_64 */
	unsigned long kexec_arch;	/* KEXEC_ARCH_* for the flags' high bits */
	long nr_kexec_load, nr_kexec_file_load;
	const struct kx_loader *const *loaders;	/* NULL-terminated, probe order */
	const char *formats;		/* for "not a kernel" messages: "a 64-bit relocatable bzImage" */
	/* the file with the running kernel's boot data the next one starts from (machine.h boot_data) */
	enum kx_path_id boot_data;

	/* purgatory: the embedded relocatable object and how to relocate it */
	const unsigned char *purgatory;
	const size_t *purgatory_len;
	kx_apply_rela_fn apply_rela;
	const char *(*reloc_name)(uint32_t type);
	/* set the arch's entry symbols once the plan's segments are known */
	int (*purgatory_setup)(struct kx_ctx *ctx, struct kx_plan *plan, struct kx_purgatory *pg);

	/* kdump: RAM below this is never dumped (x86: the low 1 MiB, as the kernel does) */
	uint64_t dump_min;
	/* the kernel direct-map virtual address of @paddr */
	int (*phys_to_virt)(const struct kx_machine *m, uint64_t paddr, uint64_t *ret, struct kx_diag *d);
	/* kernel text PT_LOAD: [vaddr, vaddr+size) at paddr, from VMCOREINFO and /proc/kcore */
	int (*kernel_text)(const struct kx_machine *m, uint64_t *vaddr, uint64_t *paddr, uint64_t *size,
			   struct kx_diag *d);
	/* add the arch's part of the kdump kernel's memory map (x86: low 1 MiB, firmware ranges) */
	int (*crash_memmap)(struct kx_ctx *ctx, struct kx_plan *plan);
	/*
	 * crash loads with crash CMA (ctx->cma, validated): drop the ranges the
	 * kdump kernel cannot take, with a WARN note saying which and why; optional
	 */
	int (*crash_cma_fit)(struct kx_ctx *ctx);
	/* kexec_load flag asking the kernel to rewrite the crash header on hotplug (0: none) */
	unsigned long hotplug_flag;
	/* crash loads, either syscall: add what the kdump command line needs (ctx->cmdline); optional */
	int (*kdump_cmdline)(struct kx_ctx *ctx);
	/* free memory a normal (non-crash) load may use, from the machine's RAM */
	int (*normal_avail)(const struct kx_machine *m, struct kx_ranges *avail);
	/* kexec_load plans, after every segment is placed (notes on the result); optional */
	int (*finish)(struct kx_ctx *ctx, struct kx_plan *plan);
};

extern const struct kx_arch kx_arch_native;

#endif
