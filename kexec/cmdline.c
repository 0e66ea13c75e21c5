/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmdline.c - the next kernel's base command line (--reuse-cmdline, --append). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"

/* Is @w (length @n) a parameter to drop from the reused command line? */
static bool drop_word(const char *w, size_t n, bool crash)
{
	if (n >= 11 && !strncmp(w, "BOOT_IMAGE=", 11))
		return true;
	return crash && n >= 12 && !strncmp(w, "crashkernel=", 12);
}

int kx_cmdline_build(struct kx_ctx *ctx, char **ret)
{
	const char *reuse = ctx->o->reuse_cmdline && ctx->m->cmdline ? ctx->m->cmdline : "";
	const char *append = ctx->o->append ? ctx->o->append : "";
	size_t cap = strlen(reuse) + strlen(append) + 2, len = 0;
	char *out = malloc(cap);
	const char *p = reuse;

	if (!out)
		return -ENOMEM;
	/* words are split on spaces; a quoted value keeps its spaces */
	while (*p) {
		const char *w;
		bool q = false;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		w = p;
		while (*p && (q || *p != ' ')) {
			if (*p == '"')
				q = !q;
			p++;
		}
		if (drop_word(w, (size_t)(p - w), ctx->crash))
			continue;
		if (len)
			out[len++] = ' ';
		memcpy(out + len, w, (size_t)(p - w));
		len += (size_t)(p - w);
	}
	if (*append) {
		if (len)
			out[len++] = ' ';
		memcpy(out + len, append, strlen(append));
		len += strlen(append);
	}
	out[len] = 0;
	*ret = out;
	return 0;
}

bool kx_cmdline_has(const char *cmdline, const char *word)
{
	size_t n = strlen(word);
	const char *p = cmdline;

	while (p && (p = strstr(p, word))) {
		if ((p == cmdline || p[-1] == ' ') && (word[n - 1] == '=' || p[n] == 0 || p[n] == ' '))
			return true;
		p += n;
	}
	return false;
}
