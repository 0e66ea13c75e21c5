/* SPDX-License-Identifier: GPL-2.0-or-later */
/* inplace.c - edits of a built DTB that keep its size (the reload relink path). */
#include <errno.h>

#include "kfdt.h"
#include "kfdt-int.h"

int kfdt_set_elfcorehdr(void *fdt, uint64_t addr, uint64_t size, const char **why)
{
	fdt32_t c[4];
	int chosen, len, na, ns, r;

	chosen = kfdt_chosen(fdt, why);
	if (chosen < 0)
		return chosen;
	if (!fdt_getprop(fdt, chosen, "linux,elfcorehdr", &len))
		return len == -FDT_ERR_NOTFOUND ? kfdt_why(why, -ENOENT, "/chosen has no linux,elfcorehdr")
						: kfdt_lib_err(why, len);
	r = kfdt_root_cells(fdt, &na, &ns, why);
	if (r < 0)
		return r;
	if (len != (na + ns) * 4)
		return kfdt_why(why, -EINVAL, "/chosen linux,elfcorehdr is %d bytes, not %d cells", len, na + ns);
	if (kfdt_put_num(c, na, addr) < 0 || kfdt_put_num(c + na, ns, size) < 0)
		return kfdt_why(why, -ERANGE, "linux,elfcorehdr <0x%llx 0x%llx> does not fit #address-cells %d / #size-cells %d",
				(unsigned long long)addr, (unsigned long long)size, na, ns);
	r = fdt_setprop_inplace(fdt, chosen, "linux,elfcorehdr", c, len);
	return r < 0 ? kfdt_lib_err(why, r) : 0;
}
