/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * notes.h - what a run has to say besides its one error: decisions (-d),
 * warnings, and second outcomes (a fallback, a re-arm).  Code below main()
 * records notes; main() prints them (stderr) and --dry-run --json emits them
 * as "notes".  kx_diag still carries the one error that decides the exit code.
 */
#ifndef KX_NOTES_H
#define KX_NOTES_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

enum kx_note_level {
	KX_NOTE_DEBUG,		/* why a choice was made; printed with -d */
	KX_NOTE_INFO,		/* worth knowing; printed with -d and in every plan */
	KX_NOTE_WARN,		/* always printed */
	KX_NOTE_ERROR,		/* a second failure beside the main error; always printed */
};

struct kx_note {
	enum kx_note_level level;
	char *msg;
};

/* Zero-initialised is empty.  @shown: how many a plan printer already showed. */
struct kx_notes {
	struct kx_note *v;
	size_t n, cap, shown;
};

/*
 * kx_note - add a note (a NULL @ns drops it)
 * Returns 0 or -ENOMEM; callers may ignore the result: a lost note never
 * changes what is loaded.
 */
_printf_(3, 4) int kx_note(struct kx_notes *ns, enum kx_note_level level, const char *fmt, ...);

const char *kx_note_level_name(enum kx_note_level level);
void kx_notes_done(struct kx_notes *ns);

#endif
