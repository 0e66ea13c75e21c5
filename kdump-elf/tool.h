/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tool.h - shared between the files of the kdump-elf(1) tool: the opened
 * core file, the note summary, and the show/check output.
 */
#ifndef KDUMP_ELF_TOOL_H
#define KDUMP_ELF_TOOL_H

#include <stdint.h>
#include <stdio.h>

#include "kdump-elf.h"

#define EXIT_PROBLEMS	1	/* check found problems */
#define EXIT_BAD	2	/* unreadable, not an ELF64 core, bad usage */

#define TOOL_PT_LOAD	1u
#define TOOL_PT_NOTE	4u

/* an opened file: its Ehdr and phdr table, read with pread() */
struct core {
	const char *path;
	int fd;
	uint64_t fsize;		/* st_size of a regular file, else 0 = unknown */
	unsigned char *hdr;	/* Ehdr, phdr table and the spare slots after it */
	size_t len;
	size_t table_end;	/* e_phoff + e_phnum * 56 */
	struct kdump_elf_view v;
	int text;		/* kernel-text load index, or -1 */
	int notes_in_file;	/* vmcore/kcore: some PT_NOTE's data is in the file */
};

#define MAX_KINDS 16

struct note_kind {
	char name[32];
	uint32_t type;
	unsigned count;
};

/* what the in-file notes hold */
struct note_info {
	struct note_kind kind[MAX_KINDS];
	unsigned nkinds, other, total, prstatus;
	char *vmcoreinfo;	/* a copy, NUL-terminated, or NULL */
	size_t vmcoreinfo_len;
	int bad;		/* note segments that did not parse */
};

/* "kdump-elf: PATH: message" on stderr; @path may be NULL */
void tool_err(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* tool-core.c: open @path and read its headers; messages go to stderr */
int core_open(struct core *c, const char *path);
/* the same for an open file (the core owns @fd from here on, also on failure); @path names it */
int core_open_fd(struct core *c, int fd, const char *path);
void core_close(struct core *c);
/* does @ph's data lie inside the file, after the phdr table? */
int core_in_file(const struct core *c, const struct kdump_elf_phdr *ph);
/* the data of in-file PT_NOTE @idx; the caller frees *ret */
int core_read_notes(const struct core *c, unsigned idx, const struct kdump_elf_phdr *ph,
		    unsigned char **ret);

/* tool-notes.c: summarise the in-file notes */
int core_scan_notes(const struct core *c, struct note_info *ni, int as_problems);

/* tool-show.c: the show output */
const char *tool_type_name(uint32_t type);
void show_text(const struct core *c, const struct note_info *ni, int all_vmcoreinfo);
void show_json(const struct core *c, const struct note_info *ni, int all_vmcoreinfo);

/* tool-state.c: show --state: the crash header kexec-ng loaded, under the root @root */
int cmd_show_state(const char *root);

#endif
