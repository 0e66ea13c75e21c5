/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check.c - validate a device tree blob with libfdt. */
#include <errno.h>
#include <libfdt.h>

#include "kfdt.h"

int kfdt_check(const void *blob, size_t len, const char **ret_why)
{
	int r;

	if (len < sizeof(struct fdt_header)) {
		*ret_why = fdt_strerror(-FDT_ERR_TRUNCATED);
		return -EINVAL;
	}
	r = fdt_check_full(blob, len);
	if (r < 0) {
		*ret_why = fdt_strerror(r);
		return -EINVAL;
	}
	return 0;
}

size_t kfdt_size(const void *blob)
{
	return fdt_totalsize(blob);
}
