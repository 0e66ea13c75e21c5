/* SPDX-License-Identifier: GPL-2.0-or-later */
/* notes.c - the list of notes a run collects. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notes.h"

int kx_note(struct kx_notes *ns, enum kx_note_level level, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int n;

	if (!ns)
		return 0;
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 8;
		struct kx_note *v = reallocarray(ns->v, cap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		ns->v = v;
		ns->cap = cap;
	}
	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	ns->v[ns->n++] = (struct kx_note){ level, msg };
	return 0;
}

const char *kx_note_level_name(enum kx_note_level level)
{
	switch (level) {
	case KX_NOTE_DEBUG: return "debug";
	case KX_NOTE_INFO: return "info";
	case KX_NOTE_WARN: return "warning";
	case KX_NOTE_ERROR: return "error";
	}
	return "?";
}

void kx_notes_done(struct kx_notes *ns)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		free(ns->v[i].msg);
	free(ns->v);
	memset(ns, 0, sizeof(*ns));
}
