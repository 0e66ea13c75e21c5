/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * note.c - walk ELF notes (n_namesz, n_descsz, n_type, name, desc, each
 * padded to 4 bytes) with every length checked against what is left, so
 * hostile sizes can neither overflow nor read past the data.
 */
#include "kdump-elf-internal.h"

/* 32-bit size rounded up to 4, in 64 bits so 0xffffffff cannot wrap */
static uint64_t pad4_(uint32_t n)
{
	return ((uint64_t)n + 3) & ~(uint64_t)3;
}

static int all_zero_(const unsigned char *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

int kdump_elf_note_next(const void *notes, size_t len, size_t *off, struct kdump_elf_note *out)
{
	const unsigned char *b = notes, *h;
	uint64_t left, name_room, desc_room;
	uint32_t namesz, descsz, type;

	if ((!b && len) || !off || !out || *off > len)
		return -EINVAL;
	left = len - *off;
	if (!left)
		return 0;
	h = b + *off;
	if (left < KDUMP_ELF_NOTE_HDR_SIZE)
		return all_zero_(h, (size_t)left) ? 0 : -KDUMP_ELF_ENOTETRUNC;
	namesz = kdump_elf_get32_(h);
	descsz = kdump_elf_get32_(h + 4);
	type = kdump_elf_get32_(h + 8);
	if (!namesz && !descsz && !type)
		return 0;	/* the terminator after the last note */
	left -= KDUMP_ELF_NOTE_HDR_SIZE;

	if (namesz > left)
		return -KDUMP_ELF_ENOTENAME;
	name_room = pad4_(namesz);
	/* the name's padding may only be missing when nothing follows it */
	if (name_room > left) {
		if (descsz)
			return -KDUMP_ELF_ENOTEDESC;
		name_room = left;
	}
	left -= name_room;
	if (descsz > left)
		return -KDUMP_ELF_ENOTEDESC;
	desc_room = pad4_(descsz);
	if (desc_room > left)
		desc_room = left;	/* tolerate a missing final pad */

	out->namesz = namesz;
	out->descsz = descsz;
	out->type = type;
	out->name = (const char *)h + KDUMP_ELF_NOTE_HDR_SIZE;
	out->desc = h + KDUMP_ELF_NOTE_HDR_SIZE + name_room;
	out->offset = *off;
	*off += (size_t)(KDUMP_ELF_NOTE_HDR_SIZE + name_room + desc_room);
	return 1;
}

int kdump_elf_note_is(const struct kdump_elf_note *n, const char *name)
{
	size_t l;

	if (!n || !name)
		return 0;
	l = strlen(name);
	if (n->namesz == l + 1)
		return !memcmp(n->name, name, l + 1);
	if (n->namesz == l)
		return !memcmp(n->name, name, l);
	return 0;
}

int kdump_elf_note_find(const void *notes, size_t len, size_t *off, const char *name,
			struct kdump_elf_note *out)
{
	struct kdump_elf_note n;
	int r;

	if (!name || !out)
		return -EINVAL;
	while ((r = kdump_elf_note_next(notes, len, off, &n)) > 0)
		if (kdump_elf_note_is(&n, name)) {
			*out = n;
			return 0;
		}
	return r < 0 ? r : -ENOENT;
}
