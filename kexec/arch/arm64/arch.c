/* SPDX-License-Identifier: GPL-2.0-or-later */
/* arch.c (arm64) - the arm64 ops table. */
#include <elf.h>

#include "arm64-int.h"
#include "arm64.h"

static const struct kx_loader *const arm64_loaders[] = {
	&kx_arm64_image_loader,
	NULL,
};

const struct kx_arch kx_arch_native = {
	.name = "arm64",
	.elf_machine = EM_AARCH64,
	.kexec_arch = 183UL << 16,	/* KEXEC_ARCH_AARCH64 */
	.nr_kexec_load = 104,
	.nr_kexec_file_load = 294,
	.loaders = arm64_loaders,
	.formats = "an Image, Image.gz, EFI zboot or vmlinux ELF",
	.boot_data = KX_PATH_FDT,
	.purgatory = kx_purgatory_arm64,
	.purgatory_len = &kx_purgatory_arm64_len,
	.apply_rela = kx_arm64_apply_rela,
	.reloc_name = kx_arm64_reloc_name,
	.purgatory_setup = kx_arm64_purgatory_setup,
	.dump_min = 0,
	.phys_to_virt = kx_arm64_phys_to_virt,
	.kernel_text = kx_arm64_kernel_text,
	.crash_memmap = kx_arm64_crash_memmap,
	.crash_cma_fit = kx_arm64_crash_cma_fit,
	.normal_avail = kx_arm64_normal_avail,
	.hotplug_flag = KX_KEXEC_CRASH_HOTPLUG_SUPPORT,	/* 0x8: every arch but x86 (ABI.md 2.5) */
	.kdump_cmdline = kx_arm64_kdump_cmdline,
	.finish = kx_arm64_finish,
};
