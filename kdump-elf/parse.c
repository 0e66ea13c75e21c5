/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * parse.c - validate the Ehdr and program header table of any ELF64 core
 * (our own header, the kernel's, /proc/vmcore, /proc/kcore) and read it back.
 */
#include "kdump-elf-internal.h"

int kdump_elf_probe(const void *buf, size_t len, size_t *ret_need)
{
	const unsigned char *b = buf;
	uint64_t phoff, table;
	uint16_t phnum;

	if (!b || !ret_need)
		return -EINVAL;
	/* say "not ELF" rather than "short" when there is enough to tell */
	if (len >= SELFMAG && memcmp(b, ELFMAG, SELFMAG))
		return -KDUMP_ELF_EBADMAGIC;
	if (len < KDUMP_ELF_EHDR_SIZE)
		return -KDUMP_ELF_ETRUNC;
	if (b[EI_CLASS] != ELFCLASS64)
		return -KDUMP_ELF_EBADCLASS;
	if (b[EI_DATA] != ELFDATA2LSB)
		return -KDUMP_ELF_EBADDATA;
	if (b[EI_VERSION] != EV_CURRENT || kdump_elf_get32_(b + EH_(e_version)) != EV_CURRENT)
		return -KDUMP_ELF_EBADVERSION;
	if (kdump_elf_get16_(b + EH_(e_type)) != ET_CORE)
		return -KDUMP_ELF_EBADTYPE;
	if (kdump_elf_get16_(b + EH_(e_ehsize)) != KDUMP_ELF_EHDR_SIZE)
		return -KDUMP_ELF_EBADEHSIZE;
	if (kdump_elf_get16_(b + EH_(e_phentsize)) != KDUMP_ELF_PHDR_SIZE)
		return -KDUMP_ELF_EBADPHENTSIZE;
	phnum = kdump_elf_get16_(b + EH_(e_phnum));
	if (phnum == PN_XNUM)
		return -KDUMP_ELF_EPNXNUM;

	phoff = kdump_elf_get64_(b + EH_(e_phoff));
	table = (uint64_t)phnum * KDUMP_ELF_PHDR_SIZE;	/* < 2^22: no overflow */
	/* the table must lie after the Ehdr and end inside the address space */
	if (phoff < KDUMP_ELF_EHDR_SIZE || phoff > UINT64_MAX - table ||
	    (uint64_t)(size_t)(phoff + table) != phoff + table)
		return -KDUMP_ELF_EBADPHOFF;
	*ret_need = (size_t)(phoff + table);
	return 0;
}

int kdump_elf_ro_probe_(const unsigned char *b, size_t len)
{
	size_t need;
	int r = kdump_elf_probe(b, len, &need);

	if (r < 0)
		return r;
	return need > len ? -KDUMP_ELF_EPHTRUNC : 0;
}

int kdump_elf_slot_zero_(const unsigned char *slot)
{
	unsigned i;

	for (i = 0; i < KDUMP_ELF_PHDR_SIZE; i++)
		if (slot[i])
			return 0;
	return 1;
}

void kdump_elf_read_phdr_(const unsigned char *ph, struct kdump_elf_phdr *out)
{
	out->type = kdump_elf_get32_(ph + PH_(p_type));
	out->flags = kdump_elf_get32_(ph + PH_(p_flags));
	out->offset = kdump_elf_get64_(ph + PH_(p_offset));
	out->vaddr = kdump_elf_get64_(ph + PH_(p_vaddr));
	out->paddr = kdump_elf_get64_(ph + PH_(p_paddr));
	out->filesz = kdump_elf_get64_(ph + PH_(p_filesz));
	out->memsz = kdump_elf_get64_(ph + PH_(p_memsz));
	out->align = kdump_elf_get64_(ph + PH_(p_align));
}

int kdump_elf_parse(const void *buf, size_t len, struct kdump_elf_view *v)
{
	const unsigned char *b = buf, *tab;
	struct kdump_elf_view w = { 0 };
	unsigned i;
	int r;

	if (!b || !v)
		return -EINVAL;
	r = kdump_elf_ro_probe_(b, len);
	if (r < 0)
		return r;

	w.machine = kdump_elf_get16_(b + EH_(e_machine));
	w.phoff = kdump_elf_get64_(b + EH_(e_phoff));
	w.phnum = kdump_elf_get16_(b + EH_(e_phnum));
	/* the probe proved phoff + phnum * 56 <= len, so this cannot underflow */
	w.capacity = kdump_elf_slots_(len - (size_t)w.phoff);
	tab = b + w.phoff;
	for (i = 0; i < w.phnum; i++) {
		uint32_t type = kdump_elf_get32_(tab + (size_t)i * KDUMP_ELF_PHDR_SIZE);

		if (type == PT_NOTE)
			w.notes++;
		else if (type == PT_LOAD)
			w.loads++;
		else
			w.others++;
	}
	for (i = w.phnum; i < w.capacity; i++) {
		if (!kdump_elf_slot_zero_(tab + (size_t)i * KDUMP_ELF_PHDR_SIZE))
			break;
		w.spare++;
	}
	*v = w;
	return 0;
}

int kdump_elf_phdr(const void *buf, size_t len, unsigned i, struct kdump_elf_phdr *out)
{
	const unsigned char *b = buf;
	int r;

	if (!out)
		return -EINVAL;
	r = kdump_elf_ro_probe_(b, len);
	if (r < 0)
		return r;
	if (i >= kdump_elf_get16_(b + EH_(e_phnum)))
		return -ERANGE;
	kdump_elf_read_phdr_(b + kdump_elf_get64_(b + EH_(e_phoff)) +
			     (size_t)i * KDUMP_ELF_PHDR_SIZE, out);
	return 0;
}
