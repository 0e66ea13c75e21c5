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

#include "cma.h"
#include "range.h"
#include "rootfs.h"
#include "util.h"

/* Every file the machine model may read; index into kx_machine_paths[]. */
enum kx_path_id {
	KX_PATH_IOMEM,
	KX_PATH_CMDLINE,
	KX_PATH_KCORE,
	KX_PATH_CPU_POSSIBLE,
	KX_PATH_CPU_CRASH_NOTES,	/* %u = cpu */
	KX_PATH_CPU_CRASH_NOTES_SIZE,	/* %u = cpu */
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
	KX_PATH_LOCKDOWN,
	KX_PATH_FW_MEMMAP_START,	/* %u = entry, 0, 1, ... */
	KX_PATH_FW_MEMMAP_END,
	KX_PATH_FW_MEMMAP_TYPE,
	KX_PATH_EFI_SYSTAB,
	KX_PATH_EFI_FW_VENDOR,
	KX_PATH_EFI_RUNTIME,
	KX_PATH_EFI_CONFIG_TABLE,
	KX_PATH_EFI_RTMAP_TYPE,		/* %u = entry, 0, 1, ... */
	KX_PATH_EFI_RTMAP_PHYS,
	KX_PATH_EFI_RTMAP_VIRT,
	KX_PATH_EFI_RTMAP_PAGES,
	KX_PATH_EFI_RTMAP_ATTR,
	KX_PATH_CPU_PRESENT,
	KX_PATH_MEM_BLOCK_SIZE,
	KX_PATH_ACPI_SRAT,
	KX_PATH_BOOT_ID,
	KX_PATH_STATE,			/* kexec-ng's record of the loaded crash plan */
	KX_PATH_STATE_DIR,
	KX_PATH_ZONEINFO,
	KX_PATH_FDT,
	KX_PATH_CRASH_CMA_RANGES,	/* crashkernel=,cma ranges (7.x) */
	KX_PATH_CRASH_CMA_RANGES_OLD,	/* its first name (6.19) */
	KX_PATH_MAX,
};

/* How a path's %u is filled in. */
enum kx_path_index {
	KX_IDX_NONE,
	KX_IDX_CPU,	/* each possible CPU */
	KX_IDX_SEQ,	/* 0, 1, 2, ... up to the first missing entry */
};

struct kx_path {
	const char *rel;	/* relative to the root; may hold one %u */
	bool optional;		/* missing is normal on some kernels */
	enum kx_path_index index;
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

/* One EFI runtime memory descriptor (/sys/firmware/efi/runtime-map/N). */
struct kx_efi_md {
	uint32_t type;
	uint64_t phys, virt, pages, attr;
};

/* What the EFI firmware left behind, for a next kernel that keeps EFI runtime services. */
struct kx_efi {
	bool present;			/* sys/firmware/efi/systab was readable */
	uint64_t acpi20, acpi, smbios;	/* from systab; 0 if absent */
	bool has_tables;		/* fw_vendor, runtime and config_table all read */
	uint64_t fw_vendor, runtime, config_table;
	bool has_rtmap;			/* sys/firmware/efi/runtime-map exists */
	struct kx_efi_md *rtmap;
	size_t n_rtmap;
};

/*
 * What can still be hot-added: the facts behind the crash header's spare
 * capacity and the kdump command line (kx_machine_load_hotplug).
 */
struct kx_hotplug_facts {
	unsigned n_possible, n_present;	/* CPUs */
	uint64_t block_size;		/* memory block size, 0 if unknown */
	struct kx_ranges hotpluggable;	/* ACPI SRAT hot-pluggable memory affinity ranges */
	bool srat_read;			/* the SRAT was there and readable */
	struct kx_ranges virtio_mem;	/* iomem regions of virtio-mem devices (RAM may appear inside) */
	uint64_t absent_bytes;		/* hot-pluggable bytes not RAM today */
};

/* One memory zone of one node (proc/zoneinfo); pfns count the running kernel's pages. */
struct kx_zone {
	unsigned node;
	char name[16];			/* "DMA", "DMA32", "Normal", "Movable", "Device" */
	uint64_t start_pfn, spanned;	/* spanned 0: an empty zone */
};

/* Kernel lockdown (sys/kernel/security/lockdown), -1 if unknown. */
enum kx_lockdown {
	KX_LOCKDOWN_UNKNOWN = -1,
	KX_LOCKDOWN_NONE = 0,
	KX_LOCKDOWN_INTEGRITY = 1,
	KX_LOCKDOWN_CONFIDENTIALITY = 2,
};

struct kx_machine {
	int root_fd;
	char *root;			/* for messages: "/" or the --root argument */
	unsigned loaded;		/* KX_MACHINE_* parts read so far */

	/* base: proc/iomem, proc/cmdline, lockdown */
	struct kx_iomem_res *iomem;
	size_t n_iomem;
	struct kx_ranges ram;		/* every "System RAM*" resource, any depth */
	struct kx_ranges firmware;	/* typed e820-like ranges: reserved, ACPI, NVS, PMEM … */
	struct kx_ranges ram_reserved;	/* "reserved" children of System RAM: memblock reservations
					 * (still RAM, dumped; a normal load avoids them) */
	struct kx_ranges crash;		/* each "Crash kernel" resource, unmerged, by address */
	bool has_crash;
	struct kx_range crash_main;	/* crashk_res: the one segments must go in (highest) */
	bool has_crash_low;
	struct kx_range crash_low;	/* crashk_low_res */
	char *cmdline;			/* /proc/cmdline without the newline */
	enum kx_lockdown lockdown;
	char boot_id[40];		/* this boot's id ("" if unknown), to tell a stale state */

	/* crash facts (kx_machine_load_crash) */
	struct kx_cpu_note *notes;	/* possible CPUs that have crash_notes */
	size_t n_notes;
	bool has_vmcoreinfo;
	uint64_t vmcoreinfo_addr, vmcoreinfo_size;

	/* the kernel's crash hotplug (kx_machine_load_hotplug) */
	bool has_elfcorehdr_size;
	uint64_t elfcorehdr_size;	/* /sys/kernel/crash_elfcorehdr_size */
	int mem_crash_hotplug, cpu_crash_hotplug;	/* 0/1, -1 absent */

	/* kx_machine_load_kcore: the running kernel's own description */
	struct kx_kcore kcore;
	int kcore_err;			/* 0, or why kcore could not be read */

	/* firmware (kx_machine_load_firmware) */
	/*
	 * what the running kernel exports of its own boot data, for the next
	 * kernel to start from (the arch's kx_arch.boot_data path: x86's
	 * boot_params, a DT arch's flattened device tree); NULL if absent
	 */
	uint8_t *boot_data;
	size_t boot_data_len;
	bool has_fw_memmap;
	struct kx_ranges fw_memmap;	/* /sys/firmware/memmap: the firmware's own map, typed */
	struct kx_efi efi;

	/* zones (kx_machine_load_zones) */
	struct kx_zone *zones;
	size_t n_zones;
	bool has_zoneinfo;

	/* hotplug (kx_machine_load_hotplug) */
	struct kx_hotplug_facts hp;

	/* crash CMA (kx_machine_load_cma): what crashkernel=SIZE,cma reserved */
	bool has_crash_cma_file;	/* the kernel exports its crash CMA ranges (empty: none reserved) */
	enum kx_path_id crash_cma_path;	/* which name it was read from */
	struct kx_cma crash_cma;	/* in reservation order */

	/* status */
	int kexec_loaded, crash_loaded;	/* 0/1, -1 if unknown */
};

/* Parts of the machine; each is read at most once, when a caller needs it. */
enum {
	KX_MACHINE_BASE = 1 << 0,	/* iomem, cmdline, lockdown, status flags */
	KX_MACHINE_STATUS = 1 << 1,	/* only the loaded flags */
	KX_MACHINE_CRASH = 1 << 2,	/* cpu crash notes, vmcoreinfo, hotplug sysfs */
	KX_MACHINE_KCORE = 1 << 3,	/* proc/kcore headers and VMCOREINFO */
	KX_MACHINE_FIRMWARE = 1 << 4,	/* boot data, firmware memmap, EFI */
	KX_MACHINE_HOTPLUG = 1 << 5,	/* CPUs present/possible, memory blocks, SRAT hotplug ranges */
	KX_MACHINE_ZONES = 1 << 6,	/* proc/zoneinfo */
	KX_MACHINE_CMA = 1 << 7,	/* crash CMA ranges */
};

/*
 * kx_machine_load - read the base (or only the status flags) through @root_fd
 * @root: the name of the root, for messages
 * @what: KX_MACHINE_BASE or KX_MACHINE_STATUS
 * Returns 0, or (with @d naming the file, line and field):
 *   -ENOENT  a required file is missing (proc/iomem)
 *   -EINVAL  malformed content (bad number, inverted range)
 *   -EACCES  proc/iomem shows only zeros (read by a non-root user)
 *   -ENOMEM, or the errno of a failed read
 */
int kx_machine_load(struct kx_machine *m, int root_fd, const char *root, unsigned what,
		    struct kx_diag *d);

/*
 * kx_machine_load_crash - the facts a kexec_load crash header needs: cpu
 * crash notes, the VMCOREINFO note address, what can be hot-added
 * (kx_machine_load_hotplug), and proc/kcore (kx_machine_load_kcore).
 * Never needed by kexec_file_load.
 * Returns 0, or -EINVAL (malformed file), -ENOENT (proc/kcore missing),
 * -EPERM/-EACCES (proc/kcore refused, e.g. lockdown), -ENOMEM, with @d set.
 */
int kx_machine_load_crash(struct kx_machine *m, struct kx_diag *d);

/*
 * kx_machine_load_kcore - proc/kcore's program headers and VMCOREINFO note
 * Returns 0, -ENOENT (no proc/kcore), -EPERM/-EACCES (refused), -EINVAL
 * (not an ELF core, no VMCOREINFO), -ENOMEM, with @d set.  The result is
 * remembered in m->kcore_err, so callers that can do without it ask once.
 */
int kx_machine_load_kcore(struct kx_machine *m, struct kx_diag *d);

/*
 * kx_machine_load_firmware - the running kernel's boot data (@boot_data:
 * the arch's file for it, kx_arch.boot_data), the
 * firmware memory map (sys/firmware/memmap) and EFI facts.  All optional.
 * Returns 0, or -EINVAL (a malformed entry, named in @d), -ENOMEM.
 */
int kx_machine_load_firmware(struct kx_machine *m, enum kx_path_id boot_data, struct kx_diag *d);

/*
 * kx_machine_load_hotplug - the kernel's crash hotplug files
 * (crash_elfcorehdr_size, memory and cpu crash_hotplug) and what can still be
 * hot-added: possible and present CPUs, the memory block size, the ACPI
 * SRAT's hot-pluggable ranges (x86; unreadable or absent: none known) and
 * virtio-mem device regions.
 * Returns 0, or -EINVAL (a malformed file, named in @d), -ENOMEM.
 */
int kx_machine_load_hotplug(struct kx_machine *m, struct kx_diag *d);

/*
 * kx_machine_load_zones - proc/zoneinfo's zones (optional: none without it).
 * Returns 0, or -EINVAL (a malformed line, named in @d), -ENOMEM.
 */
int kx_machine_load_zones(struct kx_machine *m, struct kx_diag *d);
/*
 * kx_machine_load_cma - the crash CMA ranges the kernel reserved: read
 * sys/kernel/kexec/crash_cma_ranges, else its old name
 * sys/kernel/kexec_crash_cma_ranges (optional: a kernel without crash CMA
 * has neither, m->has_crash_cma_file stays false).
 * Returns 0, or -EINVAL/-E2BIG (a malformed file, named in @d), -ENOMEM.
 */
int kx_machine_load_cma(struct kx_machine *m, struct kx_diag *d);

int kx_zoneinfo_parse(struct kx_machine *m, const char *text, size_t len, const char *fname, struct kx_diag *d);

/*
 * kx_machine_dma_zone_end - the end (exclusive) of the lowest DMA-capable
 * zone: ZONE_DMA if any node has it populated, else ZONE_DMA32.
 * @page_size converts the pfns.  *ret_zone names the zone.
 * Returns 0, or -ENOENT (no zoneinfo, or neither zone is populated).
 */
int kx_machine_dma_zone_end(const struct kx_machine *m, uint64_t page_size, uint64_t *ret,
			    const char **ret_zone);

/*
 * kx_machine_page_size - the running kernel's page size: VMCOREINFO's
 * PAGESIZE when proc/kcore was read, else the live system's own (for the
 * real root), else 4096 (a captured root without kcore).
 */
uint64_t kx_machine_page_size(const struct kx_machine *m);

void kx_machine_done(struct kx_machine *m);

/* Parsers, exposed for unit tests and fuzzing.  All return 0 or -errno with @d set. */
int kx_iomem_parse(struct kx_machine *m, const char *text, size_t len, const char *fname,
		   struct kx_diag *d);
int kx_cpu_list_parse(const char *text, const char *fname, unsigned **ret, size_t *ret_n,
		      struct kx_diag *d);
int kx_kcore_parse(struct kx_kcore *k, int fd, const char *fname, struct kx_diag *d);
/* The memory type of a proc/iomem or sys/firmware/memmap name (KX_MEM_NONE if none). */
enum kx_mem_type kx_iomem_type(const char *name);
int kx_lockdown_parse(const char *text, enum kx_lockdown *ret);
/* ACPI SRAT: the hot-pluggable, enabled memory affinity ranges, added to @out. */
int kx_srat_parse(const uint8_t *buf, size_t len, const char *fname, struct kx_ranges *out, struct kx_diag *d);
int kx_efi_systab_parse(struct kx_efi *e, const char *text, const char *fname, struct kx_diag *d);

/* The path of @id for messages (per-cpu ones keep their %u). */
static inline const char *kx_path_rel(enum kx_path_id id)
{
	return kx_machine_paths[id].rel;
}

/* Format the path of @id (with @cpu, the index, for indexed ones) into @buf. */
const char *kx_machine_path(enum kx_path_id id, unsigned cpu, char *buf, size_t len);

/* Value of "KEY=" in the kcore VMCOREINFO note; false if absent. */
bool kx_vmcoreinfo_get(const struct kx_machine *m, const char *key, char *val, size_t len);
int kx_vmcoreinfo_u64(const struct kx_machine *m, const char *key, int base, uint64_t *ret);

#endif
