/* SPDX-License-Identifier: GPL-2.0-or-later */
/* util.c - diagnostics record and number parsing. */
#include <stdio.h>
#include <string.h>

#include "util.h"

static int diag_vset(struct kx_diag *d, int err, const char *fmt, va_list ap) _printf_(3, 0);
static int diag_vset(struct kx_diag *d, int err, const char *fmt, va_list ap)
{
	if (!d)
		return err;
	d->err = err;
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	return err;
}

int kx_diag_set(struct kx_diag *d, int err, const char *fmt, ...)
{
	va_list ap;

	if (d && d->err)
		return err;
	va_start(ap, fmt);
	diag_vset(d, err, fmt, ap);
	va_end(ap);
	return err;
}

int kx_diag_reset(struct kx_diag *d, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vset(d, err, fmt, ap);
	va_end(ap);
	return err;
}

int kx_parse_u64(const char *s, int base, uint64_t *ret)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno == ERANGE)
		return -ERANGE;
	if (end == s || *end)
		return -EINVAL;
	*ret = v;
	return 0;
}
