/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kdump-elf-internal.h - byte access and probes shared by the library's
 * files.  Not installed; helpers end in '_' (libfdt convention).
 */
#ifndef KDUMP_ELF_INTERNAL_H
#define KDUMP_ELF_INTERNAL_H

#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kdump-elf.h"

/* field offsets, taken from the system's <elf.h> structure definitions */
#define EH_(f)	offsetof(Elf64_Ehdr, f)
#define PH_(f)	offsetof(Elf64_Phdr, f)

_Static_assert(sizeof(Elf64_Ehdr) == KDUMP_ELF_EHDR_SIZE, "Elf64_Ehdr size");
_Static_assert(sizeof(Elf64_Phdr) == KDUMP_ELF_PHDR_SIZE, "Elf64_Phdr size");
_Static_assert(KDUMP_ELF_MAX_PHDRS < PN_XNUM, "phdr limit");

static inline uint16_t kdump_elf_get16_(const unsigned char *p)
{
	return (uint16_t)(p[0] | (unsigned)p[1] << 8);
}

static inline uint32_t kdump_elf_get32_(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t kdump_elf_get64_(const unsigned char *p)
{
	return (uint64_t)kdump_elf_get32_(p) | (uint64_t)kdump_elf_get32_(p + 4) << 32;
}

static inline void kdump_elf_put16_(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static inline void kdump_elf_put32_(unsigned char *p, uint32_t v)
{
	kdump_elf_put16_(p, (uint16_t)v);
	kdump_elf_put16_(p + 2, (uint16_t)(v >> 16));
}

static inline void kdump_elf_put64_(unsigned char *p, uint64_t v)
{
	kdump_elf_put32_(p, (uint32_t)v);
	kdump_elf_put32_(p + 4, (uint32_t)(v >> 32));
}

/* slots of 56 bytes that fit in @avail bytes, clamped below PN_XNUM */
static inline unsigned kdump_elf_slots_(size_t avail)
{
	size_t n = avail / KDUMP_ELF_PHDR_SIZE;

	return n > KDUMP_ELF_MAX_PHDRS ? KDUMP_ELF_MAX_PHDRS : (unsigned)n;
}

/* does [start, start + size) wrap past 2^64?  (size 0 never wraps) */
static inline int kdump_elf_wraps_(uint64_t start, uint64_t size)
{
	return size && start > UINT64_MAX - (size - 1);
}

/* is the 56-byte slot all zero? */
int kdump_elf_slot_zero_(const unsigned char *slot);

/* decode the phdr at @slot */
void kdump_elf_read_phdr_(const unsigned char *slot, struct kdump_elf_phdr *out);

/*
 * kdump_elf_rw_probe_ - does @buf hold a header made by kdump_elf_init()?
 * returns the capacity (>= 1), or -EINVAL.
 */
int kdump_elf_rw_probe_(const unsigned char *buf, size_t bufsz);

/*
 * kdump_elf_ro_probe_ - kdump_elf_probe() plus "the phdr table fits in
 * @len"; returns 0 or the error of kdump_elf_parse().
 */
int kdump_elf_ro_probe_(const unsigned char *buf, size_t len);

#endif
