/* SPDX-License-Identifier: GPL-2.0-or-later */
/* why.c - the reason strings kfdt functions hand back. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "kfdt-int.h"

static __thread char why_buf[512];

static int vwhy(const char **why, int err, const char *prefix, const char *fmt, va_list ap)
{
	size_t n = 0;

	if (prefix)
		n = (size_t)snprintf(why_buf, sizeof(why_buf), "%s: ", prefix);
	if (n >= sizeof(why_buf))
		n = sizeof(why_buf) - 1;
	vsnprintf(why_buf + n, sizeof(why_buf) - n, fmt, ap);
	if (why)
		*why = why_buf;
	return err;
}

int kfdt_why(const char **why, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwhy(why, err, NULL, fmt, ap);
	va_end(ap);
	return err;
}

int kfdt_why_node(const char **why, int err, const void *fdt, int node, const char *fmt, ...)
{
	char path[256];
	va_list ap;

	if (fdt_get_path(fdt, node, path, sizeof(path)) < 0)
		snprintf(path, sizeof(path), "node at offset %d", node);
	va_start(ap, fmt);
	vwhy(why, err, path, fmt, ap);
	va_end(ap);
	return err;
}

int kfdt_lib_err(const char **why, int fdt_err)
{
	if (why)
		*why = fdt_strerror(fdt_err);
	return fdt_err == -FDT_ERR_NOSPACE ? -ENOMEM : -EINVAL;
}
