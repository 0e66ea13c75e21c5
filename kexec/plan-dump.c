/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plan-dump.c - --dry-run --dump-segments DIR: the exact bytes a load
 * would hand to the kernel, one file per segment, plus a manifest.  Tests
 * decode these bytes themselves (boot_params, e820, core header) instead of
 * trusting what the plan printer says about them.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "plan.h"
#include "rootfs.h"

int kx_plan_dump_segments(const struct kx_plan *p, const char *dir, struct kx_diag *d)
{
	_cleanup_close_ int dirfd = -1;
	char name[32], *man = NULL;
	size_t man_len = 0, i;
	FILE *f;
	int r;

	dirfd = kx_outdir_create(dir);
	if (dirfd < 0)
		return kx_diag_set(d, dirfd, "--dump-segments %s: %s", dir,
				   dirfd == -ENOTEMPTY ? "exists and is not empty" : strerror(-dirfd));
	f = open_memstream(&man, &man_len);
	if (!f)
		return -ENOMEM;
	fprintf(f, "syscall %s\nflags 0x%lx\nentry 0x%llx\n",
		p->syscall == KX_SYS_KEXEC_FILE_LOAD ? "kexec_file_load" : "kexec_load",
		p->syscall == KX_SYS_KEXEC_FILE_LOAD ? p->file_flags : p->flags, (unsigned long long)p->entry);
	for (i = 0; i < p->n_seg; i++) {
		const struct kx_segment *s = &p->seg[i];

		fprintf(f, "seg %zu %s mem=0x%llx memsz=0x%llx bufsz=0x%zx digest=%d file=seg%zu.bin", i,
			kx_seg_role_name(s->role), (unsigned long long)s->mem, (unsigned long long)s->memsz,
			s->bufsz, s->in_digest, i);
		if (s->kept_free)
			fprintf(f, " kept_free=0x%llx", (unsigned long long)s->kept_free);
		fputc('\n', f);
	}
	if (fclose(f) != 0) {
		free(man);
		return -ENOMEM;
	}
	r = kx_outdir_write(dirfd, "manifest", man, man_len);
	free(man);
	for (i = 0; r == 0 && i < p->n_seg; i++) {
		snprintf(name, sizeof(name), "seg%zu.bin", i);
		r = kx_outdir_write(dirfd, name, p->seg[i].buf, p->seg[i].bufsz);
	}
	if (r < 0)
		return kx_diag_set(d, r, "--dump-segments %s: %s", dir, strerror(-r));
	return 0;
}
