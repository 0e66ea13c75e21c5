/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kfdt.h - kexec-ng's thin layer over libfdt.  libfdt does the work; this
 * layer turns FDT_ERR_* into negative errno values plus a reason string, so
 * loader code keeps one error convention.
 */
#ifndef KFDT_H
#define KFDT_H

#include <stddef.h>

/*
 * kfdt_check - is @blob (@len bytes) a whole, well-formed flattened device tree?
 * Uses libfdt's full structure check (header, totalsize within @len, every
 * block and the structure's nesting).
 * Returns 0, or -EINVAL with *ret_why set to libfdt's description.
 */
int kfdt_check(const void *blob, size_t len, const char **ret_why);

/* kfdt_size - the tree's totalsize (only after kfdt_check() said 0) */
size_t kfdt_size(const void *blob);

#endif
