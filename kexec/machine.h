/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * machine.h - everything kexec reads from /proc and /sys, read once through a
 * root directory fd (--root DIR, default "/").  The paths live in one table
 * (machine-paths.c); no other file names a /proc or /sys path.
 */
#ifndef KX_MACHINE_H
#define KX_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "range.h"
#include "rootfs.h"
#include "util.h"

/* Every file the machine model may read; index into kx_machine_paths[]. */
enum kx_path_id {
	KX_PATH_IOMEM,
	KX_PATH_CMDLINE,
	KX_PATH_KCORE,
	KX_PATH_CPU_POSSIBLE,
	KX_PATH_CPU_CRASH_NOTES,	/* format: %u = cpu */
	KX_PATH_CPU_CRASH_NOTES_SIZE,	/* format: %u = cpu */
	KX_PATH_VMCOREINFO,
	KX_PATH_KEXEC_LOADED,
	KX_PATH_KEXEC_LOADED_OLD,
	KX_PATH_CRASH_LOADED,
	KX_PATH_CRASH_LOADED_OLD,
	KX_PATH_ELFCOREHDR_SIZE,
	KX_PATH_ELFCOREHDR_SIZE_OLD,
	KX_PATH_MEM_CRASH_HOTPLUG,
	KX_PATH_CPU_CRASH_HOTPLUG,
	KX_PATH_BOOT_PARAMS,
	KX_PATH_MAX,
};

struct kx_path {
	const char *rel;	/* relative to the root; may hold one %u */
	bool optional;		/* missing is normal on some kernels */
	bool per_cpu;
};

extern const struct kx_path kx_machine_paths[KX_PATH_MAX];

/* One /proc/iomem line. @depth is the indentation level (2 spaces each). */
struct kx_iomem_res {
	uint64_t start, end;	/* half-open */
	unsigned depth;
	char *name;
};

struct kx_cpu_note {
	unsigned cpu;
	uint64_t addr, size;
};

/* What /proc/kcore and its VMCOREINFO note tell about the running kernel. */
struct kx_kcore {
	bool present;
	uint16_t machine;
	char *vmcoreinfo;		/* the note's text, NUL terminated */
	size_t vmcoreinfo_len;
	/* every PT_LOAD (paddr is UINT64_MAX where the kernel gives none); arch code picks */
	struct kx_kcore_load {
		uint64_t vaddr, paddr, size;
	} *loads;
	size_t n_loads;
};

struct kx_machine {
	int root_fd;
	char *root;			/* for messages: "/" or the --root argument */

	struct kx_iomem_res *iomem;
	size_t n_iomem;
	struct kx_ranges ram;		/* every "System RAM*" resource, any depth */
	struct kx_ranges firmware;	/* typed e820-like ranges: reserved, ACPI, NVS, PMEM … */
	struct kx_ranges crash;		/* every "Crash kernel" resource */
	bool has_crash;
	struct kx_range crash_main;	/* crashk_res: the one segments must go in (highest) */
	bool has_crash_low;
	struct kx_range crash_low;	/* crashk_low_res */

	struct kx_cpu_note *notes;	/* possible CPUs that have crash_notes */
	size_t n_notes;
	bool has_vmcoreinfo;
	uint64_t vmcoreinfo_addr, vmcoreinfo_size;

	int kexec_loaded, crash_loaded;	/* 0/1, -1 if unknown */
	bool has_elfcorehdr_size;
	uint64_t elfcorehdr_size;	/* /sys/kernel/crash_elfcorehdr_size */
	int mem_crash_hotplug, cpu_crash_hotplug;	/* 0/1, -1 absent */

	char *cmdline;			/* /proc/cmdline without the newline */
	uint8_t *boot_params;		/* x86 /sys/kernel/boot_params/data */
	size_t boot_params_len;

	struct kx_kcore kcore;
};

/* What parts of the machine a caller needs (reading kcore is not free). */
enum {
	KX_MACHINE_CRASH = 1 << 0,	/* crash regions, cpu notes, vmcoreinfo, kcore */
	KX_MACHINE_STATUS = 1 << 1,	/* only the loaded flags */
};

/*
 * kx_machine_load - read the machine through @root_fd
 * @root: the name of the root, for messages
 * @what: KX_MACHINE_* bits
 * Returns 0, or (with @d naming the file, line and field):
 *   -ENOENT  a required file is missing (e.g. proc/iomem)
 *   -EINVAL  malformed content (bad number, inverted range, bad kcore header)
 *   -ENOMEM, or the errno of a failed read
 */
int kx_machine_load(struct kx_machine *m, int root_fd, const char *root, unsigned what,
		    struct kx_diag *d);
void kx_machine_done(struct kx_machine *m);

/* Parsers, exposed for unit tests and fuzzing.  All return 0 or -errno with @d set. */
int kx_iomem_parse(struct kx_machine *m, const char *text, size_t len, const char *fname,
		   struct kx_diag *d);
int kx_cpu_list_parse(const char *text, const char *fname, unsigned **ret, size_t *ret_n,
		      struct kx_diag *d);
int kx_kcore_parse(struct kx_kcore *k, int fd, const char *fname, struct kx_diag *d);

/* The path of @id for messages (per-cpu ones keep their %u). */
static inline const char *kx_path_rel(enum kx_path_id id)
{
	return kx_machine_paths[id].rel;
}

/* Format the path of @id (with @cpu for per-cpu ones) into @buf. */
const char *kx_machine_path(enum kx_path_id id, unsigned cpu, char *buf, size_t len);

/* Value of "KEY=" in the kcore VMCOREINFO note; false if absent. */
bool kx_vmcoreinfo_get(const struct kx_machine *m, const char *key, char *val, size_t len);
int kx_vmcoreinfo_u64(const struct kx_machine *m, const char *key, int base, uint64_t *ret);

#endif
