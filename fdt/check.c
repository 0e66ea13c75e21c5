/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check.c - validate a device tree blob with libfdt. */
#include <errno.h>
#include <libfdt.h>

#include "kfdt.h"

/*
 * Walk the structure block's tags and insist each step moves forward.
 * libfdt 1.6.1's fdt_check_full() loops forever on a property whose length
 * is -12 (0xfffffff4: the next tag offset wraps back onto the property
 * itself); fdt_next_tag() alone is bounded by totalsize, so this walk is safe.
 */
static int tags_progress(const void *blob)
{
	int off = 0, next, tag;

	for (;;) {
		tag = fdt_next_tag(blob, off, &next);
		if (tag == FDT_END || next < 0)
			return 0;	/* the end, or an error fdt_check_full() reports */
		if (next <= off)
			return -FDT_ERR_BADSTRUCTURE;
		off = next;
	}
}

int kfdt_check(const void *blob, size_t len, const char **ret_why)
{
	int r;

	if (len < sizeof(struct fdt_header)) {
		*ret_why = fdt_strerror(-FDT_ERR_TRUNCATED);
		return -EINVAL;
	}
	r = fdt_check_header(blob);
	if (r < 0) {
		*ret_why = fdt_strerror(r);
		return -EINVAL;
	}
	/*
	 * Version 1-15 trees (full-path node names, pre-2008) crash libfdt
	 * 1.6.1's fdt_check_full() (a NULL read found by tests/fuzz/fuzz-fdt.c);
	 * every current producer (dtc, QEMU, U-Boot, EDK2, the kernel) writes 17.
	 */
	if (fdt_version(blob) < 16) {
		*ret_why = "device tree version older than 16 (not supported)";
		return -EINVAL;
	}
	if (fdt_totalsize(blob) > len) {
		*ret_why = fdt_strerror(-FDT_ERR_TRUNCATED);
		return -EINVAL;
	}
	r = tags_progress(blob);
	if (r == 0)
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
