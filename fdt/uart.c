/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uart.c - the console UART /chosen points at, for purgatory's early output
 * (the kernel's early_init_dt_scan_chosen_stdout() lookup).
 */
#include <errno.h>
#include <string.h>

#include "kfdt.h"
#include "kfdt-int.h"

int kfdt_stdout_uart(const void *fdt, uint64_t *base, const char **why)
{
	struct kfdt_path p;
	const fdt32_t *reg;
	const char *s;
	size_t n;
	int chosen, node, len, na, ns, r;

	chosen = kfdt_chosen(fdt, why);
	if (chosen < 0)
		return chosen;
	s = fdt_getprop(fdt, chosen, "stdout-path", &len);
	if (!s)
		s = fdt_getprop(fdt, chosen, "linux,stdout-path", &len);
	if (!s || len <= 0)
		return kfdt_why(why, -ENOENT, "/chosen has no stdout-path");
	n = strnlen(s, (size_t)len);
	if (n == (size_t)len)
		return kfdt_why(why, -EINVAL, "/chosen stdout-path is not a NUL-terminated string");
	n = strcspn(s, ":");
	node = fdt_path_offset_namelen(fdt, s, (int)n);
	if (node < 0) {
		if (node == -FDT_ERR_NOTFOUND || node == -FDT_ERR_BADPATH)
			return kfdt_why(why, -ENOENT, "stdout-path \"%.*s\": no such node", (int)n, s);
		return kfdt_lib_err(why, node);
	}
	if (fdt_node_check_compatible(fdt, node, "arm,pl011") != 0 &&
	    fdt_node_check_compatible(fdt, node, "arm,sbsa-uart") != 0)
		return kfdt_why_node(why, -ENOENT, fdt, node, "stdout device is not an arm,pl011 or arm,sbsa-uart");
	r = kfdt_path_of(fdt, node, &p, why);
	if (r < 0)
		return r;
	if (p.depth == 0)
		return kfdt_why(why, -ENOENT, "stdout-path names the root node");
	r = kfdt_bus_cells(fdt, &p, p.depth - 1, &na, &ns, why);
	if (r < 0)
		return r;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return kfdt_why_node(why, -ENOENT, fdt, node, "no reg");
	if (na < 1 || len < (na + ns) * 4)
		return kfdt_why_node(why, -EINVAL, fdt, node, "reg is %d bytes, shorter than one entry of %d + %d cells",
				     len, na, ns);
	return kfdt_translate(fdt, &p, p.depth, kfdt_read_num(reg, na), "ranges", base, why);
}
