/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dma.c - the lowest CPU address any device can DMA to, from dma-ranges
 * (what the kernel's of_dma_get_max_cpu_address() gives arm64's ZONE_DMA).
 */
#include <errno.h>

#include "kfdt.h"
#include "kfdt-int.h"

/* the entries of node p->off[p->depth]'s non-empty dma-ranges: lower *last (inclusive CPU end) */
static int node_limit(const void *fdt, const struct kfdt_path *p, const fdt32_t *c, int len,
		      uint64_t *last, const char **why)
{
	int node = p->off[p->depth], na, ns, pna, pns, n, i, r;

	r = kfdt_bus_cells(fdt, p, p->depth, &na, &ns, why);
	if (r == 0)
		r = kfdt_bus_cells(fdt, p, p->depth - 1, &pna, &pns, why);
	if (r < 0)
		return r;
	if (na < 1 || ns < 1 || pna < 1)
		return kfdt_why_node(why, -EINVAL, fdt, node,
				     "dma-ranges with #address-cells %d, #size-cells %d, parent #address-cells %d",
				     na, ns, pna);
	n = na + pna + ns;
	if (len % (n * 4))
		return kfdt_why_node(why, -EINVAL, fdt, node, "dma-ranges is %d bytes, not a multiple of %d cells",
				     len, n);
	for (i = 0; i < len / 4;) {
		uint64_t bus = kfdt_read_num(c + i, na), cpu = kfdt_read_num(c + i + na, pna);
		uint64_t size = kfdt_read_num(c + i + na + pna, ns), end;
		const fdt32_t *first = c + i;

		/* contiguous entries (bus and CPU side, same flag cells) are one range, as the kernel's parser merges them */
		for (i += n; i < len / 4; i += n) {
			const fdt32_t *e = c + i;
			int k, same = 1;

			for (k = 0; k < na - 2; k++)
				same &= fdt32_ld(e + k) == fdt32_ld(first + k);
			if (!same || kfdt_read_num(e, na) != bus + size || kfdt_read_num(e + na, pna) != cpu + size)
				break;
			size += kfdt_read_num(e + na + pna, ns);
		}
		if (size == 0)
			continue;
		r = kfdt_translate(fdt, p, p->depth, cpu, "dma-ranges", &cpu, why);
		if (r == -ENOENT)
			continue;	/* the kernel skips entries that do not translate */
		if (r < 0)
			return r;
		end = cpu + (size - 1);
		if (end < cpu)
			end = UINT64_MAX;
		if (end < *last)
			*last = end;
	}
	return 0;
}

int kfdt_dma_limit(const void *fdt, uint64_t *limit, const char **why)
{
	struct kfdt_path p;
	uint64_t last = UINT64_MAX;
	int node, depth = 0, skip = -1, r;

	r = fdt_check_header(fdt);
	if (r < 0)
		return kfdt_lib_err(why, r);
	for (node = 0; node >= 0; node = fdt_next_node(fdt, node, &depth)) {
		const fdt32_t *c;
		int len;

		if (depth < 0)
			break;
		if (skip >= 0) {
			if (depth > skip)
				continue;
			skip = -1;
		}
		if (depth > KFDT_MAX_DEPTH)
			return kfdt_why_node(why, -EINVAL, fdt, node, "nested deeper than %d nodes", KFDT_MAX_DEPTH);
		p.off[depth] = node;
		p.depth = depth;
		if (depth > 0 && !kfdt_available(fdt, node)) {
			skip = depth;
			continue;
		}
		/* the root's own dma-ranges has no parent bus to translate to: the kernel ignores it */
		if (depth == 0)
			continue;
		c = fdt_getprop(fdt, node, "dma-ranges", &len);
		if (!c || len == 0)
			continue;
		r = node_limit(fdt, &p, c, len, &last, why);
		if (r < 0)
			return r;
	}
	if (node < 0 && node != -FDT_ERR_NOTFOUND)
		return kfdt_lib_err(why, node);
	if (last == UINT64_MAX)
		return kfdt_why(why, -ENOENT, "no dma-ranges limits DMA");
	*limit = last + 1;
	return 0;
}
