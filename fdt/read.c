/* SPDX-License-Identifier: GPL-2.0-or-later */
/* read.c - read back what kfdt_kexec_build() wrote to /chosen. */
#include <errno.h>
#include <string.h>

#include "kfdt.h"
#include "kfdt-int.h"

/* /chosen's @name: the value and its length, or -ENOENT / -EINVAL */
static const fdt32_t *chosen_prop(const void *fdt, const char *name, int *len, int *err, const char **why)
{
	const fdt32_t *c;
	int chosen = kfdt_chosen(fdt, why);

	if (chosen < 0) {
		*err = chosen;
		return NULL;
	}
	c = fdt_getprop(fdt, chosen, name, len);
	if (!c)
		*err = *len == -FDT_ERR_NOTFOUND ? kfdt_why(why, -ENOENT, "/chosen has no %s", name)
						 : kfdt_lib_err(why, *len);
	return c;
}

int kfdt_get_usable_ranges(const void *fdt, struct kfdt_range *r, unsigned max, unsigned *n, const char **why)
{
	const fdt32_t *c;
	int len, err, na, ns, i;
	unsigned k;

	c = chosen_prop(fdt, "linux,usable-memory-range", &len, &err, why);
	if (!c)
		return err;
	err = kfdt_root_cells(fdt, &na, &ns, why);
	if (err < 0)
		return err;
	if (len % ((na + ns) * 4))
		return kfdt_why(why, -EINVAL, "/chosen linux,usable-memory-range is %d bytes, not a multiple of %d cells",
				len, na + ns);
	for (i = 0, k = 0; i < len / 4; i += na + ns, k++) {
		if (k < max) {
			r[k].start = kfdt_read_num(c + i, na);
			r[k].size = kfdt_read_num(c + i + na, ns);
		}
	}
	*n = k;
	if (k > max)
		return kfdt_why(why, -ENOSPC, "/chosen linux,usable-memory-range has %u ranges, room for %u", k, max);
	return 0;
}

int kfdt_get_elfcorehdr(const void *fdt, uint64_t *addr, uint64_t *size, const char **why)
{
	const fdt32_t *c;
	int len, err, na, ns;

	c = chosen_prop(fdt, "linux,elfcorehdr", &len, &err, why);
	if (!c)
		return err;
	err = kfdt_root_cells(fdt, &na, &ns, why);
	if (err < 0)
		return err;
	if (len != (na + ns) * 4)
		return kfdt_why(why, -EINVAL, "/chosen linux,elfcorehdr is %d bytes, not %d cells", len, na + ns);
	*addr = kfdt_read_num(c, na);
	*size = kfdt_read_num(c + na, ns);
	return 0;
}

static int read_u32_or_u64(const void *fdt, const char *name, uint64_t *v, const char **why)
{
	const fdt32_t *c;
	int len, err;

	c = chosen_prop(fdt, name, &len, &err, why);
	if (!c)
		return err;
	if (len != 4 && len != 8)
		return kfdt_why(why, -EINVAL, "/chosen %s is %d bytes, not 4 or 8", name, len);
	*v = kfdt_read_num(c, len / 4);
	return 0;
}

int kfdt_get_initrd(const void *fdt, uint64_t *start, uint64_t *end, const char **why)
{
	uint64_t s, e;
	int r;

	r = read_u32_or_u64(fdt, "linux,initrd-start", &s, why);
	if (r == 0)
		r = read_u32_or_u64(fdt, "linux,initrd-end", &e, why);
	if (r < 0)
		return r;
	*start = s;
	*end = e;
	return 0;
}

const char *kfdt_get_bootargs(const void *fdt)
{
	const char *s;
	int chosen, len;

	chosen = kfdt_chosen(fdt, NULL);
	if (chosen < 0)
		return NULL;
	s = fdt_getprop(fdt, chosen, "bootargs", &len);
	if (!s || len <= 0 || strnlen(s, (size_t)len) == (size_t)len)
		return NULL;
	return s;
}
