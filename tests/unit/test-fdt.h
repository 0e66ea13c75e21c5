/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-fdt.h - building small device trees with libfdt's sequential-write API. */
#ifndef TEST_FDT_H
#define TEST_FDT_H

#include <libfdt.h>

#include "test.h"

#define T_FDT_SIZE 65536

/* FDT_OK(e): a libfdt call that must succeed */
#define FDT_OK(e) do {                                                        \
	int _r = (e);                                                         \
	if (_r < 0)                                                           \
		kt_fail(__FILE__, __LINE__, "%s: %s", #e, fdt_strerror(_r));  \
} while (0)

/* start a tree in @buf with @n_rsv /memreserve/ entries and open the root (cells -1: no property) */
static inline void t_begin(void *buf, int n_rsv, int na, int ns)
{
	int i;

	FDT_OK(fdt_create(buf, T_FDT_SIZE));
	for (i = 0; i < n_rsv; i++)
		FDT_OK(fdt_add_reservemap_entry(buf, 0x40000000ull + (uint64_t)i * 0x100000, 0x1000));
	FDT_OK(fdt_finish_reservemap(buf));
	FDT_OK(fdt_begin_node(buf, ""));
	FDT_OK(fdt_property_string(buf, "compatible", "linux,dummy-virt"));
	if (na >= 0)
		FDT_OK(fdt_property_u32(buf, "#address-cells", (uint32_t)na));
	if (ns >= 0)
		FDT_OK(fdt_property_u32(buf, "#size-cells", (uint32_t)ns));
}

/* close the root and finish; returns the tree's size */
static inline size_t t_end(void *buf)
{
	FDT_OK(fdt_end_node(buf));
	FDT_OK(fdt_finish(buf));
	return fdt_totalsize(buf);
}

/* a property of @n big-endian cells */
static inline void t_cells(void *buf, const char *name, const uint32_t *v, int n)
{
	fdt32_t c[32];
	int i;

	for (i = 0; i < n; i++)
		c[i] = cpu_to_fdt32(v[i]);
	FDT_OK(fdt_property(buf, name, c, n * 4));
}
#define T_CELLS(buf, name, ...) do {                                          \
	const uint32_t _v[] = { __VA_ARGS__ };                                \
	t_cells(buf, name, _v, (int)(sizeof(_v) / sizeof(_v[0])));            \
} while (0)

#endif
