/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kfdt-int.h - helpers shared by the fdt/ files (not for loader code). */
#ifndef KFDT_INT_H
#define KFDT_INT_H

#include <stdint.h>
#include <libfdt.h>

/* the kernel's OF_MAX_ADDR_CELLS: numbers of more cells are not handled */
#define KFDT_MAX_CELLS 4
/* deepest node kfdt walks (a real tree is under 10 deep) */
#define KFDT_MAX_DEPTH 64

/*
 * kfdt_why - format a reason into the per-thread buffer and point *why at it.
 * Returns @err, so `return kfdt_why(why, -EINVAL, "...")` reads well.
 */
int kfdt_why(const char **why, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* kfdt_why_node - same, with "<node path>: " before the text */
int kfdt_why_node(const char **why, int err, const void *fdt, int node, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* kfdt_lib_err - a libfdt error: -ENOMEM for NOSPACE, -EINVAL otherwise, *why = fdt_strerror */
int kfdt_lib_err(const char **why, int fdt_err);

/* the root node and its ancestors down to a node: off[0] = 0 (root), off[depth] = the node */
struct kfdt_path {
	int off[KFDT_MAX_DEPTH + 1];
	int depth;
};
/* kfdt_path_of - fill @p for @node.  0, -EINVAL (libfdt error or too deep) */
int kfdt_path_of(const void *fdt, int node, struct kfdt_path *p, const char **why);

/*
 * kfdt_bus_cells - the #address-cells / #size-cells node p->off[level] gives
 * its children, looked up on the node and then its ancestors (the kernel's
 * of_bus_n_addr_cells), default 1 / 1.  0, or -EINVAL when a property is not
 * one cell or over KFDT_MAX_CELLS.
 */
int kfdt_bus_cells(const void *fdt, const struct kfdt_path *p, int level, int *na, int *ns, const char **why);

/* kfdt_root_cells - the root's cells for /chosen values: must be 1 or 2 (else -EINVAL) */
int kfdt_root_cells(const void *fdt, int *na, int *ns, const char **why);

/* kfdt_read_num - a big-endian number of @n cells (low 64 bits, as the kernel's of_read_number) */
uint64_t kfdt_read_num(const fdt32_t *c, int n);
/* kfdt_put_num - write @v as @n (1 or 2) cells; -ERANGE if it does not fit */
int kfdt_put_num(fdt32_t *c, int n, uint64_t v);

/*
 * kfdt_translate - translate @addr, an address on the bus of node
 * p->off[level - 1] (i.e. as written in node p->off[level]'s reg or ranges
 * parent side), to a CPU address through the @rprop ("ranges" or
 * "dma-ranges") of every ancestor below the root.  A missing @rprop is 1:1
 * for "dma-ranges" and untranslatable for "ranges"; an empty one is 1:1.
 * Returns 0, -ENOENT (untranslatable; *why says where), -EINVAL (malformed).
 */
int kfdt_translate(const void *fdt, const struct kfdt_path *p, int level, uint64_t addr,
		   const char *rprop, uint64_t *out, const char **why);

/* kfdt_available - status absent, "okay" or "ok" */
int kfdt_available(const void *fdt, int node);

/* kfdt_chosen - offset of /chosen, or -ENOENT / -EINVAL (libfdt error) */
int kfdt_chosen(const void *fdt, const char **why);

#endif
