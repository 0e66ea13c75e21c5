/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cells.c - #address-cells/#size-cells, big-endian cell numbers and address
 * translation through ranges/dma-ranges (the kernel's drivers/of/address.c
 * rules for the default bus).
 */
#include <errno.h>
#include <string.h>

#include "kfdt-int.h"

uint64_t kfdt_read_num(const fdt32_t *c, int n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = (v << 32) | fdt32_ld(c++);
	return v;
}

int kfdt_put_num(fdt32_t *c, int n, uint64_t v)
{
	if (n == 1) {
		if (v > UINT32_MAX)
			return -ERANGE;
		c[0] = cpu_to_fdt32((uint32_t)v);
		return 0;
	}
	c[0] = cpu_to_fdt32((uint32_t)(v >> 32));
	c[1] = cpu_to_fdt32((uint32_t)v);
	return 0;
}

int kfdt_path_of(const void *fdt, int node, struct kfdt_path *p, const char **why)
{
	int depth = fdt_node_depth(fdt, node), i;

	if (depth < 0)
		return kfdt_lib_err(why, depth);
	if (depth > KFDT_MAX_DEPTH)
		return kfdt_why_node(why, -EINVAL, fdt, node, "nested deeper than %d nodes", KFDT_MAX_DEPTH);
	for (i = 0; i <= depth; i++) {
		int off = fdt_supernode_atdepth_offset(fdt, node, i, NULL);

		if (off < 0)
			return kfdt_lib_err(why, off);
		p->off[i] = off;
	}
	p->depth = depth;
	return 0;
}

/* one-cell property @name of @node: 1 found, 0 absent, -EINVAL malformed */
static int cell_prop(const void *fdt, int node, const char *name, int *v, const char **why)
{
	const fdt32_t *c;
	int len;
	uint32_t x;

	c = fdt_getprop(fdt, node, name, &len);
	if (!c)
		return 0;
	if (len != 4)
		return kfdt_why_node(why, -EINVAL, fdt, node, "%s is %d bytes, not one cell", name, len);
	x = fdt32_ld(c);
	if (x > KFDT_MAX_CELLS)
		return kfdt_why_node(why, -EINVAL, fdt, node, "%s = %u, over %d", name, x, KFDT_MAX_CELLS);
	*v = (int)x;
	return 1;
}

int kfdt_bus_cells(const void *fdt, const struct kfdt_path *p, int level, int *na, int *ns, const char **why)
{
	int l, r, a = -1, s = -1;

	for (l = level; l >= 0 && (a < 0 || s < 0); l--) {
		if (a < 0 && (r = cell_prop(fdt, p->off[l], "#address-cells", &a, why)) < 0)
			return r;
		if (s < 0 && (r = cell_prop(fdt, p->off[l], "#size-cells", &s, why)) < 0)
			return r;
	}
	*na = a < 0 ? 1 : a;
	*ns = s < 0 ? 1 : s;
	return 0;
}

int kfdt_root_cells(const void *fdt, int *na, int *ns, const char **why)
{
	struct kfdt_path root = { .off = { 0 }, .depth = 0 };
	int r;

	r = kfdt_bus_cells(fdt, &root, 0, na, ns, why);
	if (r < 0)
		return r;
	if (*na < 1 || *na > 2 || *ns < 1 || *ns > 2)
		return kfdt_why(why, -EINVAL, "root #address-cells = %d, #size-cells = %d: only 1 or 2 supported",
				*na, *ns);
	return 0;
}

/* one level of translation through node @node's @rprop; @na/@ns its children's cells, @pna its parent bus's */
static int translate_one(const void *fdt, int node, const char *rprop, int na, int ns, int pna,
			 uint64_t *addr, const char **why)
{
	const fdt32_t *c;
	int len, n, i;

	c = fdt_getprop(fdt, node, rprop, &len);
	if (!c) {
		if (len != -FDT_ERR_NOTFOUND)
			return kfdt_lib_err(why, len);
		if (strcmp(rprop, "dma-ranges") == 0)
			return 0;
		return kfdt_why_node(why, -ENOENT, fdt, node, "no %s: address 0x%llx does not translate",
				     rprop, (unsigned long long)*addr);
	}
	if (len == 0)
		return 0;
	if (na < 1 || ns < 1 || pna < 1)
		return kfdt_why_node(why, -EINVAL, fdt, node, "%s with #address-cells %d, #size-cells %d, parent #address-cells %d",
				     rprop, na, ns, pna);
	n = na + pna + ns;
	if (len % (n * 4))
		return kfdt_why_node(why, -EINVAL, fdt, node, "%s is %d bytes, not a multiple of %d cells", rprop, len, n);
	for (i = 0; i < len / 4; i += n) {
		uint64_t child = kfdt_read_num(c + i, na), parent = kfdt_read_num(c + i + na, pna);
		uint64_t size = kfdt_read_num(c + i + na + pna, ns);

		if (*addr >= child && *addr - child < size) {
			*addr = parent + (*addr - child);
			return 0;
		}
	}
	return kfdt_why_node(why, -ENOENT, fdt, node, "address 0x%llx is in no %s entry", (unsigned long long)*addr, rprop);
}

int kfdt_translate(const void *fdt, const struct kfdt_path *p, int level, uint64_t addr,
		   const char *rprop, uint64_t *out, const char **why)
{
	int l, r;

	/* the address is on the bus of p->off[l]; climb while that bus is not the root's */
	for (l = level - 1; l >= 1; l--) {
		int na, ns, pna, pns;

		r = kfdt_bus_cells(fdt, p, l, &na, &ns, why);
		if (r == 0)
			r = kfdt_bus_cells(fdt, p, l - 1, &pna, &pns, why);
		if (r == 0)
			r = translate_one(fdt, p->off[l], rprop, na, ns, pna, &addr, why);
		if (r < 0)
			return r;
	}
	*out = addr;
	return 0;
}

int kfdt_available(const void *fdt, int node)
{
	const char *s;
	int len;

	s = fdt_getprop(fdt, node, "status", &len);
	if (!s)
		return 1;
	return (len == 5 && memcmp(s, "okay", 5) == 0) || (len == 3 && memcmp(s, "ok", 3) == 0);
}

int kfdt_chosen(const void *fdt, const char **why)
{
	int r = fdt_check_header(fdt);

	if (r < 0)
		return kfdt_lib_err(why, r);
	r = fdt_path_offset(fdt, "/chosen");
	if (r == -FDT_ERR_NOTFOUND)
		return kfdt_why(why, -ENOENT, "no /chosen node");
	if (r < 0)
		return kfdt_lib_err(why, r);
	return r;
}
