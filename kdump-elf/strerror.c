/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * strerror.c - words for the library's return codes: its own KDUMP_ELF_E*
 * codes (each naming the ELF field at fault) and the errno values it uses.
 */
#include <limits.h>

#include "kdump-elf-internal.h"

#define ERRIDX_(e) ((e) - KDUMP_ELF_ERR_BASE)

static const char *const err_str_[ERRIDX_(KDUMP_ELF_ERR_MAX)] = {
	[ERRIDX_(KDUMP_ELF_ETRUNC)] = "shorter than a 64-byte ELF64 header",
	[ERRIDX_(KDUMP_ELF_EBADMAGIC)] = "not an ELF file (e_ident magic is not \\177ELF)",
	[ERRIDX_(KDUMP_ELF_EBADCLASS)] = "e_ident[EI_CLASS] is not ELFCLASS64",
	[ERRIDX_(KDUMP_ELF_EBADDATA)] = "e_ident[EI_DATA] is not ELFDATA2LSB (little-endian)",
	[ERRIDX_(KDUMP_ELF_EBADVERSION)] = "e_ident[EI_VERSION] or e_version is not EV_CURRENT",
	[ERRIDX_(KDUMP_ELF_EBADTYPE)] = "e_type is not ET_CORE",
	[ERRIDX_(KDUMP_ELF_EBADEHSIZE)] = "e_ehsize is not 64",
	[ERRIDX_(KDUMP_ELF_EBADPHENTSIZE)] = "e_phentsize is not 56 (sizeof(Elf64_Phdr))",
	[ERRIDX_(KDUMP_ELF_EBADPHOFF)] = "e_phoff overlaps the ELF header or overflows",
	[ERRIDX_(KDUMP_ELF_EPNXNUM)] = "e_phnum is PN_XNUM (extended numbering is not supported)",
	[ERRIDX_(KDUMP_ELF_EPHTRUNC)] =
		"program header table (e_phoff + e_phnum * 56) runs past the end",
	[ERRIDX_(KDUMP_ELF_ENOTETRUNC)] = "note header truncated",
	[ERRIDX_(KDUMP_ELF_ENOTENAME)] =
		"note name (n_namesz) runs past the end of the note data",
	[ERRIDX_(KDUMP_ELF_ENOTEDESC)] =
		"note descriptor (n_descsz) runs past the end of the note data",
};

const char *kdump_elf_strerror(int err)
{
	if (err == INT_MIN)
		return "unknown error";
	if (err < 0)
		err = -err;
	if (err >= KDUMP_ELF_ERR_BASE && err < KDUMP_ELF_ERR_MAX)
		return err_str_[ERRIDX_(err)];
	switch (err) {
	case 0:
		return "success";
	case EINVAL:
		return "invalid argument or not a header made by kdump_elf_init()";
	case ENOSPC:
		return "no space left in the buffer";
	case ERANGE:
		return "index or value out of range";
	case ENOENT:
		return "not found";
	default:
		return "unknown error";
	}
}

int kdump_elf_errno(int err)
{
	if (err > -KDUMP_ELF_ERR_BASE || err <= -KDUMP_ELF_ERR_MAX)
		return err;
	if (err >= -KDUMP_ELF_EBADTYPE)
		return -ENOEXEC;
	if (err >= -KDUMP_ELF_EPHTRUNC)
		return -EINVAL;
	return -EBADMSG;
}
