/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * machine-paths.c - the one table of /proc and /sys paths kexec reads.
 * Paths are relative to the root fd (--root DIR or "/"); --capture-root
 * copies exactly these.
 */
#include <stdio.h>

#include "machine.h"

const struct kx_path kx_machine_paths[KX_PATH_MAX] = {
	[KX_PATH_IOMEM] = { "proc/iomem", false, false },
	[KX_PATH_CMDLINE] = { "proc/cmdline", true, false },
	[KX_PATH_KCORE] = { "proc/kcore", true, false },
	[KX_PATH_CPU_POSSIBLE] = { "sys/devices/system/cpu/possible", false, false },
	[KX_PATH_CPU_CRASH_NOTES] = { "sys/devices/system/cpu/cpu%u/crash_notes", true, true },
	[KX_PATH_CPU_CRASH_NOTES_SIZE] = { "sys/devices/system/cpu/cpu%u/crash_notes_size", true, true },
	[KX_PATH_VMCOREINFO] = { "sys/kernel/vmcoreinfo", true, false },
	[KX_PATH_KEXEC_LOADED] = { "sys/kernel/kexec/loaded", true, false },
	[KX_PATH_KEXEC_LOADED_OLD] = { "sys/kernel/kexec_loaded", true, false },
	[KX_PATH_CRASH_LOADED] = { "sys/kernel/kexec/crash_loaded", true, false },
	[KX_PATH_CRASH_LOADED_OLD] = { "sys/kernel/kexec_crash_loaded", true, false },
	[KX_PATH_ELFCOREHDR_SIZE] = { "sys/kernel/kexec/crash_elfcorehdr_size", true, false },
	[KX_PATH_ELFCOREHDR_SIZE_OLD] = { "sys/kernel/crash_elfcorehdr_size", true, false },
	[KX_PATH_MEM_CRASH_HOTPLUG] = { "sys/devices/system/memory/crash_hotplug", true, false },
	[KX_PATH_CPU_CRASH_HOTPLUG] = { "sys/devices/system/cpu/crash_hotplug", true, false },
	[KX_PATH_BOOT_PARAMS] = { "sys/kernel/boot_params/data", true, false },
};

const char *kx_machine_path(enum kx_path_id id, unsigned cpu, char *buf, size_t len)
{
	const struct kx_path *p = &kx_machine_paths[id];

	if (p->per_cpu) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		snprintf(buf, len, p->rel, cpu);
#pragma GCC diagnostic pop
	} else {
		snprintf(buf, len, "%s", p->rel);
	}
	return buf;
}
