/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * commit.h - the only place kexec changes the system: kexec_load,
 * kexec_file_load, reboot(LINUX_REBOOT_CMD_KEXEC), sync and bringing
 * network interfaces down.  Tests swap struct kx_sys for a recorder.
 */
#ifndef KX_COMMIT_H
#define KX_COMMIT_H

#include "arch.h"
#include "plan.h"
#include "util.h"

/* Raw system calls; each returns 0 or -errno. */
struct kx_sys {
	long (*kexec_load)(long nr, unsigned long entry, unsigned long nr_segments, const void *segments,
			   unsigned long flags);
	long (*kexec_file_load)(long nr, int kernel_fd, int initrd_fd, unsigned long cmdline_len,
				const char *cmdline, unsigned long flags);
	long (*reboot_kexec)(void);
};

extern const struct kx_sys kx_sys_real;

/*
 * kx_commit_load - kexec_load(2) the plan's segments
 * Returns 0 or the kernel's -errno; @d says "kexec_load: <strerror>" and
 * what that errno means here.
 */
int kx_commit_load(const struct kx_sys *sys, const struct kx_arch *arch, const struct kx_plan *p,
		   struct kx_diag *d);
/* kx_commit_file_load - kexec_file_load(2). Returns 0 or -errno (with @d). */
int kx_commit_file_load(const struct kx_sys *sys, const struct kx_arch *arch, const struct kx_plan *p,
			struct kx_diag *d);
/* kx_commit_unload - unload the normal or crash image, with @syscall (-c: kexec_load, -s: file). */
int kx_commit_unload(const struct kx_sys *sys, const struct kx_arch *arch, bool crash, bool file,
		     struct kx_diag *d);
/* kx_commit_exec - sync (unless @no_sync), ifdown (unless @no_ifdown), reboot into the image. */
int kx_commit_exec(const struct kx_sys *sys, bool no_sync, bool no_ifdown, struct kx_diag *d);
/* kx_commit_shutdown - run shutdown -r now (kexec-tools' default action after a plain load). */
int kx_commit_shutdown(struct kx_diag *d);

#endif
