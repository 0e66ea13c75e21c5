/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * machine-paths.c - the one table of /proc and /sys paths kexec reads.
 * Paths are relative to the root fd (--root DIR or "/"); --capture-root
 * copies exactly these.
 */
#include <stdio.h>

#include "machine.h"

const struct kx_path kx_machine_paths[KX_PATH_MAX] = {
	[KX_PATH_IOMEM] = { "proc/iomem", false, KX_IDX_NONE },
	[KX_PATH_CMDLINE] = { "proc/cmdline", true, KX_IDX_NONE },
	[KX_PATH_KCORE] = { "proc/kcore", true, KX_IDX_NONE },
	[KX_PATH_CPU_POSSIBLE] = { "sys/devices/system/cpu/possible", false, KX_IDX_NONE },
	[KX_PATH_CPU_CRASH_NOTES] = { "sys/devices/system/cpu/cpu%u/crash_notes", true, KX_IDX_CPU },
	[KX_PATH_CPU_CRASH_NOTES_SIZE] = { "sys/devices/system/cpu/cpu%u/crash_notes_size", true, KX_IDX_CPU },
	[KX_PATH_VMCOREINFO] = { "sys/kernel/vmcoreinfo", true, KX_IDX_NONE },
	[KX_PATH_KEXEC_LOADED] = { "sys/kernel/kexec/loaded", true, KX_IDX_NONE },
	[KX_PATH_KEXEC_LOADED_OLD] = { "sys/kernel/kexec_loaded", true, KX_IDX_NONE },
	[KX_PATH_CRASH_LOADED] = { "sys/kernel/kexec/crash_loaded", true, KX_IDX_NONE },
	[KX_PATH_CRASH_LOADED_OLD] = { "sys/kernel/kexec_crash_loaded", true, KX_IDX_NONE },
	[KX_PATH_ELFCOREHDR_SIZE] = { "sys/kernel/kexec/crash_elfcorehdr_size", true, KX_IDX_NONE },
	[KX_PATH_ELFCOREHDR_SIZE_OLD] = { "sys/kernel/crash_elfcorehdr_size", true, KX_IDX_NONE },
	[KX_PATH_MEM_CRASH_HOTPLUG] = { "sys/devices/system/memory/crash_hotplug", true, KX_IDX_NONE },
	[KX_PATH_CPU_CRASH_HOTPLUG] = { "sys/devices/system/cpu/crash_hotplug", true, KX_IDX_NONE },
	[KX_PATH_BOOT_PARAMS] = { "sys/kernel/boot_params/data", true, KX_IDX_NONE },
	[KX_PATH_LOCKDOWN] = { "sys/kernel/security/lockdown", true, KX_IDX_NONE },
	[KX_PATH_FW_MEMMAP_START] = { "sys/firmware/memmap/%u/start", true, KX_IDX_SEQ },
	[KX_PATH_FW_MEMMAP_END] = { "sys/firmware/memmap/%u/end", true, KX_IDX_SEQ },
	[KX_PATH_FW_MEMMAP_TYPE] = { "sys/firmware/memmap/%u/type", true, KX_IDX_SEQ },
	[KX_PATH_EFI_SYSTAB] = { "sys/firmware/efi/systab", true, KX_IDX_NONE },
	[KX_PATH_EFI_FW_VENDOR] = { "sys/firmware/efi/fw_vendor", true, KX_IDX_NONE },
	[KX_PATH_EFI_RUNTIME] = { "sys/firmware/efi/runtime", true, KX_IDX_NONE },
	[KX_PATH_EFI_CONFIG_TABLE] = { "sys/firmware/efi/config_table", true, KX_IDX_NONE },
	[KX_PATH_EFI_RTMAP_TYPE] = { "sys/firmware/efi/runtime-map/%u/type", true, KX_IDX_SEQ },
	[KX_PATH_EFI_RTMAP_PHYS] = { "sys/firmware/efi/runtime-map/%u/phys_addr", true, KX_IDX_SEQ },
	[KX_PATH_EFI_RTMAP_VIRT] = { "sys/firmware/efi/runtime-map/%u/virt_addr", true, KX_IDX_SEQ },
	[KX_PATH_EFI_RTMAP_PAGES] = { "sys/firmware/efi/runtime-map/%u/num_pages", true, KX_IDX_SEQ },
	[KX_PATH_EFI_RTMAP_ATTR] = { "sys/firmware/efi/runtime-map/%u/attribute", true, KX_IDX_SEQ },
	[KX_PATH_CPU_PRESENT] = { "sys/devices/system/cpu/present", true, KX_IDX_NONE },
	[KX_PATH_MEM_BLOCK_SIZE] = { "sys/devices/system/memory/block_size_bytes", true, KX_IDX_NONE },
	[KX_PATH_ACPI_SRAT] = { "sys/firmware/acpi/tables/SRAT", true, KX_IDX_NONE },
	[KX_PATH_BOOT_ID] = { "proc/sys/kernel/random/boot_id", true, KX_IDX_NONE },
	/* not a kernel file: kexec-ng's own state, under the same root (captured with the rest) */
	[KX_PATH_STATE] = { "run/kexec-ng/crash.state", true, KX_IDX_NONE },
	[KX_PATH_STATE_DIR] = { "run/kexec-ng", true, KX_IDX_NONE },
	[KX_PATH_ZONEINFO] = { "proc/zoneinfo", true, KX_IDX_NONE },
	[KX_PATH_FDT] = { "sys/firmware/fdt", true, KX_IDX_NONE },
	[KX_PATH_CRASH_CMA_RANGES] = { "sys/kernel/kexec/crash_cma_ranges", true, KX_IDX_NONE },
	[KX_PATH_CRASH_CMA_RANGES_OLD] = { "sys/kernel/kexec_crash_cma_ranges", true, KX_IDX_NONE },
};

const char *kx_machine_path(enum kx_path_id id, unsigned cpu, char *buf, size_t len)
{
	const struct kx_path *p = &kx_machine_paths[id];

	if (p->index != KX_IDX_NONE) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		snprintf(buf, len, p->rel, cpu);
#pragma GCC diagnostic pop
	} else {
		snprintf(buf, len, "%s", p->rel);
	}
	return buf;
}
