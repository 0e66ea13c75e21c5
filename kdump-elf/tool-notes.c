/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tool-notes.c - walk the note segments inside a vmcore/kcore: counts by
 * (name, type), NT_PRSTATUS, and a copy of the VMCOREINFO text.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static void count_note(struct note_info *ni, const struct kdump_elf_note *n)
{
	char name[32];
	size_t l = n->namesz < sizeof(name) - 1 ? n->namesz : sizeof(name) - 1;
	unsigned i;

	memcpy(name, n->name, l);
	name[l] = '\0';
	ni->total++;
	if (kdump_elf_note_is(n, "CORE") && n->type == KDUMP_ELF_NT_PRSTATUS)
		ni->prstatus++;
	for (i = 0; i < ni->nkinds; i++)
		if (ni->kind[i].type == n->type && !strcmp(ni->kind[i].name, name)) {
			ni->kind[i].count++;
			return;
		}
	if (ni->nkinds == MAX_KINDS) {
		ni->other++;
		return;
	}
	memcpy(ni->kind[ni->nkinds].name, name, l + 1);
	ni->kind[ni->nkinds].type = n->type;
	ni->kind[ni->nkinds].count = 1;
	ni->nkinds++;
}

/*
 * Walk every in-file PT_NOTE.  Malformed notes are reported on stdout as
 * problems (check, @as_problems) or on stderr (show), and counted in
 * ni->bad; I/O errors return < 0.
 */
int core_scan_notes(const struct core *c, struct note_info *ni, int as_problems)
{
	struct kdump_elf_phdr ph;
	struct kdump_elf_note n;
	unsigned char *data = NULL;
	unsigned i;
	size_t off;
	int r;

	memset(ni, 0, sizeof(*ni));
	for (i = 0; i < c->v.phnum; i++) {
		if (kdump_elf_phdr(c->hdr, c->len, i, &ph) < 0 || ph.type != TOOL_PT_NOTE)
			continue;
		if (!core_in_file(c, &ph))
			continue;
		r = core_read_notes(c, i, &ph, &data);
		if (r < 0)
			return r;
		off = 0;
		while ((r = kdump_elf_note_next(data, (size_t)ph.filesz, &off, &n)) > 0) {
			count_note(ni, &n);
			if (!ni->vmcoreinfo && kdump_elf_note_is(&n, KDUMP_ELF_VMCOREINFO)) {
				const char *nul = memchr(n.desc, '\0', n.descsz);
				size_t l = nul ? (size_t)(nul - (const char *)n.desc) : n.descsz;

				ni->vmcoreinfo = malloc(l + 1);
				if (!ni->vmcoreinfo) {
					free(data);
					return -ENOMEM;
				}
				memcpy(ni->vmcoreinfo, n.desc, l);
				ni->vmcoreinfo[l] = '\0';
				ni->vmcoreinfo_len = l;
			}
		}
		if (r < 0) {
			ni->bad++;
			if (!as_problems)
				tool_err(c->path, "phdr %u: PT_NOTE at file offset 0x%" PRIx64
					 ": note at +0x%zx: %s", i, ph.offset, off,
					 kdump_elf_strerror(r));
			else
				printf("%s: phdr %u: bad note at file offset 0x%" PRIx64 ": %s\n",
				       c->path, i, ph.offset + off, kdump_elf_strerror(r));
		}
		free(data);
	}
	return 0;
}
