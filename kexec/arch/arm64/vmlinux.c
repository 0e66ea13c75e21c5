/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vmlinux.c (arm64) - the Image inside a vmlinux ELF: the file contents of
 * its PT_LOAD segments placed at their offsets from the lowest p_paddr,
 * gaps zero-filled, BSS (p_memsz beyond p_filesz) left out: the bytes
 * "objcopy -O binary" writes, which is how the kernel build makes Image.
 * A relocatable arm64 kernel is linked -shared, so ET_DYN is accepted
 * beside ET_EXEC.
 */
#include <gelf.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"

#ifndef EM_AARCH64
#define EM_AARCH64 183
#endif
/* a vmlinux has a handful; more is not a kernel */
#define MAX_LOADS 64

struct load {
	uint64_t paddr, offset, filesz;
};

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* the PT_LOADs with file contents, checked against the file and each other */
static int collect(Elf *elf, size_t len, struct load *l, size_t *n, struct kx_diag *d)
{
	size_t phnum, i, j;

	if (elf_getphdrnum(elf, &phnum) < 0)
		return kx_diag_set(d, -EINVAL, "vmlinux: program headers: %s", elf_errmsg(-1));
	*n = 0;
	for (i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		uint64_t fend, mend;

		if (!gelf_getphdr(elf, (int)i, &ph))
			return kx_diag_set(d, -EINVAL, "vmlinux: program header %zu: %s", i, elf_errmsg(-1));
		if (ph.p_type != PT_LOAD || !ph.p_filesz)
			continue;
		if (__builtin_add_overflow(ph.p_offset, ph.p_filesz, &fend) || fend > len)
			return kx_diag_set(d, -EINVAL, "vmlinux: PT_LOAD %zu: p_offset 0x%llx + p_filesz 0x%llx is past the end of the file (%zu bytes)",
					   i, (unsigned long long)ph.p_offset, (unsigned long long)ph.p_filesz, len);
		if (ph.p_filesz > ph.p_memsz || __builtin_add_overflow(ph.p_paddr, ph.p_memsz, &mend))
			return kx_diag_set(d, -EINVAL, "vmlinux: PT_LOAD %zu: p_paddr 0x%llx p_filesz 0x%llx p_memsz 0x%llx: inconsistent",
					   i, (unsigned long long)ph.p_paddr, (unsigned long long)ph.p_filesz,
					   (unsigned long long)ph.p_memsz);
		if (*n == MAX_LOADS)
			return kx_diag_set(d, -EINVAL, "vmlinux: more than %d loadable segments", MAX_LOADS);
		for (j = 0; j < *n; j++)
			if (ph.p_paddr < l[j].paddr + l[j].filesz && l[j].paddr < ph.p_paddr + ph.p_filesz)
				return kx_diag_set(d, -EINVAL, "vmlinux: PT_LOAD %zu at p_paddr 0x%llx overlaps the one at 0x%llx",
						   i, (unsigned long long)ph.p_paddr, (unsigned long long)l[j].paddr);
		l[(*n)++] = (struct load){ ph.p_paddr, ph.p_offset, ph.p_filesz };
	}
	if (!*n)
		return kx_diag_set(d, -EINVAL, "vmlinux: no PT_LOAD segment with file contents");
	return 0;
}

int kx_arm64_vmlinux_unwrap(const uint8_t *buf, size_t len, size_t max, uint8_t **out, size_t *out_len,
			    struct kx_diag *d)
{
	struct load l[MAX_LOADS];
	uint64_t base = UINT64_MAX, end = 0;
	size_t n = 0, i;
	GElf_Ehdr eh;
	uint8_t *img;
	Elf *elf;
	int r;

	if (len < SELFMAG || memcmp(buf, ELFMAG, SELFMAG))
		return -ENOEXEC;
	if (len < EI_NIDENT)
		return kx_diag_set(d, -EINVAL, "vmlinux: truncated ELF identification (%zu bytes)", len);
	if (buf[EI_CLASS] != ELFCLASS64 || buf[EI_DATA] != ELFDATA2LSB)
		return kx_diag_set(d, -EINVAL, "vmlinux: not a 64-bit little-endian ELF (EI_CLASS %u, EI_DATA %u)",
				   buf[EI_CLASS], buf[EI_DATA]);
	elf_version(EV_CURRENT);
	elf = elf_memory((char *)buf, len);
	if (!elf)
		return kx_diag_set(d, -EINVAL, "vmlinux: %s", elf_errmsg(-1));
	if (!gelf_getehdr(elf, &eh)) {
		r = kx_diag_set(d, -EINVAL, "vmlinux: ELF header: %s", elf_errmsg(-1));
		goto out;
	}
	if (eh.e_machine != EM_AARCH64 || (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)) {
		r = kx_diag_set(d, -EINVAL, "vmlinux: e_machine %u e_type %u: not an arm64 (EM_AARCH64) executable",
				eh.e_machine, eh.e_type);
		goto out;
	}
	r = collect(elf, len, l, &n, d);
	if (r < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (l[i].paddr < base)
			base = l[i].paddr;
		if (l[i].paddr + l[i].filesz > end)
			end = l[i].paddr + l[i].filesz;
	}
	if (end - base > max) {
		r = kx_diag_set(d, -EFBIG, "vmlinux: the loadable segments span 0x%llx bytes, more than %zu",
				(unsigned long long)(end - base), max);
		goto out;
	}
	img = calloc(1, end - base);
	if (!img) {
		r = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++)
		memcpy(img + (l[i].paddr - base), buf + l[i].offset, l[i].filesz);
	if (end - base < KX_ARM64_HDR_SIZE || get_le32(img + KX_ARM64_HDR_MAGIC) != KX_ARM64_IMAGE_MAGIC) {
		free(img);
		r = kx_diag_set(d, -EINVAL, "vmlinux: the segment at p_paddr 0x%llx does not start with an arm64 Image header (no ARM\\x64 magic)",
				(unsigned long long)base);
		goto out;
	}
	*out = img;
	*out_len = end - base;
	r = 0;
out:
	elf_end(elf);
	return r;
}
