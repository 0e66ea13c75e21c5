/* SPDX-License-Identifier: GPL-2.0-or-later */
/* machine-cma.c - the crash CMA ranges the kernel exports (crashkernel=SIZE,cma). */
#include <stdlib.h>

#include "machine-read.h"

int kx_machine_load_cma(struct kx_machine *m, struct kx_diag *d)
{
	static const enum kx_path_id ids[] = { KX_PATH_CRASH_CMA_RANGES, KX_PATH_CRASH_CMA_RANGES_OLD };
	size_t i;
	int r;

	if (m->loaded & KX_MACHINE_CMA)
		return 0;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		_cleanup_free_ char *text = NULL;
		size_t len = 0;

		r = kx_mread(m, ids[i], 0, &text, &len, d);
		if (r == -ENOENT)
			continue;
		if (r < 0)
			return r;
		r = kx_cma_parse_sysfs(text, len, kx_path_rel(ids[i]), &m->crash_cma, d);
		if (r < 0)
			return r;
		m->has_crash_cma_file = true;
		m->crash_cma_path = ids[i];
		break;
	}
	m->loaded |= KX_MACHINE_CMA;
	return 0;
}
