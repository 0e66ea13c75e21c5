/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * build.c - write an ELF64 core header into a caller-owned buffer: the
 * Ehdr, then one phdr per call into the next free slot.
 */
#include "kdump-elf-internal.h"

size_t kdump_elf_bytes(unsigned nphdr)
{
	if (nphdr > KDUMP_ELF_MAX_PHDRS)
		return 0;
	return KDUMP_ELF_EHDR_SIZE + (size_t)KDUMP_ELF_PHDR_SIZE * nphdr;
}

int kdump_elf_init(void *buf, size_t bufsz, uint16_t machine)
{
	unsigned char *b = buf;

	if (!b || machine == EM_NONE)
		return -EINVAL;
	if (bufsz < KDUMP_ELF_EHDR_SIZE + KDUMP_ELF_PHDR_SIZE)
		return -ENOSPC;

	memset(b, 0, bufsz);
	memcpy(b, ELFMAG, SELFMAG);
	b[EI_CLASS] = ELFCLASS64;
	b[EI_DATA] = ELFDATA2LSB;
	b[EI_VERSION] = EV_CURRENT;
	b[EI_OSABI] = ELFOSABI_NONE;
	kdump_elf_put16_(b + EH_(e_type), ET_CORE);
	kdump_elf_put16_(b + EH_(e_machine), machine);
	kdump_elf_put32_(b + EH_(e_version), EV_CURRENT);
	kdump_elf_put64_(b + EH_(e_phoff), KDUMP_ELF_EHDR_SIZE);
	kdump_elf_put16_(b + EH_(e_ehsize), KDUMP_ELF_EHDR_SIZE);
	kdump_elf_put16_(b + EH_(e_phentsize), KDUMP_ELF_PHDR_SIZE);
	/* e_entry, e_shoff, e_flags, e_phnum and the section fields stay 0 */
	return (int)kdump_elf_slots_(bufsz - KDUMP_ELF_EHDR_SIZE);
}

int kdump_elf_rw_probe_(const unsigned char *b, size_t bufsz)
{
	unsigned cap;

	if (!b || bufsz < KDUMP_ELF_EHDR_SIZE + KDUMP_ELF_PHDR_SIZE)
		return -EINVAL;
	if (memcmp(b, ELFMAG, SELFMAG) || b[EI_CLASS] != ELFCLASS64 || b[EI_DATA] != ELFDATA2LSB ||
	    kdump_elf_get16_(b + EH_(e_type)) != ET_CORE ||
	    kdump_elf_get64_(b + EH_(e_phoff)) != KDUMP_ELF_EHDR_SIZE ||
	    kdump_elf_get16_(b + EH_(e_phentsize)) != KDUMP_ELF_PHDR_SIZE)
		return -EINVAL;
	cap = kdump_elf_slots_(bufsz - KDUMP_ELF_EHDR_SIZE);
	/* a smaller @bufsz than the header was built with */
	if (kdump_elf_get16_(b + EH_(e_phnum)) > cap)
		return -EINVAL;
	return (int)cap;
}

/* fill the slot at e_phnum and count it; the common part of add_note/add_load */
static int add_phdr_(void *buf, size_t bufsz, uint32_t type, uint32_t flags, uint64_t paddr,
		     uint64_t vaddr, uint64_t size)
{
	unsigned char *b = buf, *ph;
	int cap = kdump_elf_rw_probe_(b, bufsz);
	uint16_t n;

	if (cap < 0)
		return cap;
	if (!size || kdump_elf_wraps_(paddr, size) || kdump_elf_wraps_(vaddr, size))
		return -EINVAL;
	n = kdump_elf_get16_(b + EH_(e_phnum));
	if (n >= cap)
		return -ENOSPC;

	ph = b + KDUMP_ELF_EHDR_SIZE + (size_t)n * KDUMP_ELF_PHDR_SIZE;
	memset(ph, 0, KDUMP_ELF_PHDR_SIZE);
	kdump_elf_put32_(ph + PH_(p_type), type);
	kdump_elf_put32_(ph + PH_(p_flags), flags);
	kdump_elf_put64_(ph + PH_(p_offset), paddr);
	kdump_elf_put64_(ph + PH_(p_vaddr), vaddr);
	kdump_elf_put64_(ph + PH_(p_paddr), paddr);
	kdump_elf_put64_(ph + PH_(p_filesz), size);
	kdump_elf_put64_(ph + PH_(p_memsz), size);
	/* p_align stays 0, as in the kernel's header */
	kdump_elf_put16_(b + EH_(e_phnum), (uint16_t)(n + 1));
	return n;
}

int kdump_elf_add_note(void *buf, size_t bufsz, uint64_t paddr, uint64_t size)
{
	return add_phdr_(buf, bufsz, PT_NOTE, 0, paddr, 0, size);
}

int kdump_elf_add_load(void *buf, size_t bufsz, uint64_t paddr, uint64_t vaddr, uint64_t size)
{
	return add_phdr_(buf, bufsz, PT_LOAD, PF_R | PF_W | PF_X, paddr, vaddr, size);
}

int kdump_elf_reset_loads(void *buf, size_t bufsz, unsigned keep)
{
	unsigned char *b = buf;
	int cap = kdump_elf_rw_probe_(b, bufsz);

	if (cap < 0)
		return cap;
	if (keep > kdump_elf_get16_(b + EH_(e_phnum)))
		return -ERANGE;
	/* zero up to the capacity, not just e_phnum: every spare slot is PT_NULL */
	memset(b + KDUMP_ELF_EHDR_SIZE + (size_t)keep * KDUMP_ELF_PHDR_SIZE, 0,
	       ((size_t)cap - keep) * KDUMP_ELF_PHDR_SIZE);
	kdump_elf_put16_(b + EH_(e_phnum), (uint16_t)keep);
	return cap - (int)keep;
}

int kdump_elf_capacity(const void *buf, size_t bufsz)
{
	return kdump_elf_rw_probe_(buf, bufsz);
}

int kdump_elf_phnum(const void *buf, size_t bufsz)
{
	const unsigned char *b = buf;
	int cap = kdump_elf_rw_probe_(b, bufsz);

	if (cap < 0)
		return cap;
	return kdump_elf_get16_(b + EH_(e_phnum));
}

int kdump_elf_spare(const void *buf, size_t bufsz)
{
	const unsigned char *b = buf;
	int cap = kdump_elf_rw_probe_(b, bufsz);

	if (cap < 0)
		return cap;
	return cap - kdump_elf_get16_(b + EH_(e_phnum));
}
