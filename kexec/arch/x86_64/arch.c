/* SPDX-License-Identifier: GPL-2.0-or-later */
/* arch.c (x86_64) - the x86_64 ops table. */
#include <elf.h>

#include "x86.h"
#include "x86_64.h"

static const struct kx_loader *const x86_64_loaders[] = {
	&kx_x86_bzimage64,
	NULL,
};

const struct kx_arch kx_arch_native = {
	.name = "x86_64",
	.elf_machine = EM_X86_64,
	.kexec_arch = 62UL << 16,	/* KEXEC_ARCH_X86_64 */
	.nr_kexec_load = 246,
	.nr_kexec_file_load = 320,
	.loaders = x86_64_loaders,
	.formats = "a 64-bit relocatable bzImage",
	.boot_data = KX_PATH_BOOT_PARAMS,
	.purgatory = kx_purgatory_x86_64,
	.purgatory_len = &kx_purgatory_x86_64_len,
	.apply_rela = kx_x86_64_apply_rela,
	.reloc_name = kx_x86_64_reloc_name,
	.purgatory_setup = kx_x86_purgatory_setup,
	.dump_min = 1ULL << 20,
	.phys_to_virt = kx_x86_phys_to_virt,
	.kernel_text = kx_x86_kernel_text,
	.crash_memmap = kx_x86_crash_memmap,
	.normal_avail = kx_x86_normal_avail,
	.hotplug_flag = KX_KEXEC_UPDATE_ELFCOREHDR,	/* 0x8 is EINVAL on 6.6-6.9 */
	.kdump_cmdline = kx_x86_kdump_cmdline,
};
