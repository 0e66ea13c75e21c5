/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * commit.c - the kexec system calls, and nothing else decides anything.
 * The plan was checked before it got here.
 */
#include <linux/reboot.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "commit.h"

/* struct kexec_segment as the 64-bit kernel reads it */
struct kexec_segment_abi {
	const void *buf;
	size_t bufsz;
	const void *mem;
	size_t memsz;
};

static long sys_kexec_load(long nr, unsigned long entry, unsigned long n, const void *segs, unsigned long flags)
{
	return syscall(nr, entry, n, segs, flags) < 0 ? -errno : 0;
}

static long sys_kexec_file_load(long nr, int kfd, int ifd, unsigned long len, const char *cmd, unsigned long flags)
{
	return syscall(nr, kfd, ifd, len, cmd, flags) < 0 ? -errno : 0;
}

static long sys_reboot_kexec(void)
{
	return reboot(LINUX_REBOOT_CMD_KEXEC) < 0 ? -errno : 0;
}

const struct kx_sys kx_sys_real = {
	.kexec_load = sys_kexec_load,
	.kexec_file_load = sys_kexec_file_load,
	.reboot_kexec = sys_reboot_kexec,
};

/* What an errno from the kexec syscalls means, beyond strerror(). */
static const char *errno_hint(int err, bool file)
{
	switch (err) {
	case EPERM:
		return file ? "not permitted: needs CAP_SYS_BOOT; under kernel lockdown or KEXEC_SIG_FORCE the image's signature must verify against the kernel's keyrings (see /sys/kernel/security/lockdown)"
			    : "not permitted: needs CAP_SYS_BOOT, and is refused under kernel lockdown, kernel.kexec_load_disabled or an exhausted kernel.kexec_load_limit_*";
	case EBUSY:
		return "another kexec load, unload or crash hotplug update is in progress";
	case EADDRNOTAVAIL:
		return "a segment or the entry point is outside the crash kernel region, or no crashkernel= reservation";
	case ENOSYS:
		return file ? "ENOSYS: this kernel is built without kexec_file_load (CONFIG_KEXEC_FILE; Debian's arm64 kernels have none): use kexec_load (-c)"
			    : "ENOSYS: this kernel is built without kexec_load (CONFIG_KEXEC)";
	case EKEYREJECTED: case ENOKEY: case EBADMSG: case ENODATA:
		return "the kernel image signature was rejected";
	case ENOEXEC:
		return "the kernel has no loader for this image";
	case EINVAL:
		return file ? "the kernel refused the image, the flags or the command line (longer than the image accepts?)"
			    : "the kernel refused the segments or the flags; kexec --dry-run shows the plan";
	default:
		return NULL;
	}
}

static int fail(struct kx_diag *d, const char *call, int err, bool file)
{
	const char *h = errno_hint(-err, file);

	return kx_diag_reset(d, err, "%s failed: %s%s%s", call, strerror(-err), h ? " (" : "", h ? h : "");
}

int kx_commit_load(const struct kx_sys *sys, const struct kx_arch *arch, const struct kx_plan *p,
		   struct kx_diag *d)
{
	struct kexec_segment_abi segs[KX_MAX_SEGMENTS];
	size_t i;
	long r;

	for (i = 0; i < p->n_seg; i++)
		segs[i] = (struct kexec_segment_abi){
			.buf = p->seg[i].buf, .bufsz = p->seg[i].bufsz,
			.mem = (const void *)(uintptr_t)p->seg[i].mem, .memsz = p->seg[i].memsz,
		};
	r = sys->kexec_load(arch->nr_kexec_load, p->entry, p->n_seg, segs, p->flags);
	return r < 0 ? fail(d, "kexec_load", (int)r, false) : 0;
}

int kx_commit_file_load(const struct kx_sys *sys, const struct kx_arch *arch, const struct kx_plan *p,
			struct kx_diag *d)
{
	const char *cl = p->cmdline ? p->cmdline : "";
	long r;

	r = sys->kexec_file_load(arch->nr_kexec_file_load, p->kernel_fd, p->initrd_fd, strlen(cl) + 1, cl,
				 p->file_flags);
	return r < 0 ? fail(d, "kexec_file_load", (int)r, true) : 0;
}

int kx_commit_unload(const struct kx_sys *sys, const struct kx_arch *arch, bool crash, bool file,
		     struct kx_diag *d)
{
	long r;

	if (file) {
		r = sys->kexec_file_load(arch->nr_kexec_file_load, -1, -1, 0, NULL,
					 KX_FILE_UNLOAD | (crash ? KX_FILE_ON_CRASH : 0));
		return r < 0 ? fail(d, "kexec_file_load (unload)", (int)r, true) : 0;
	}
	r = sys->kexec_load(arch->nr_kexec_load, 0, 0, NULL, arch->kexec_arch | (crash ? KX_KEXEC_ON_CRASH : 0));
	return r < 0 ? fail(d, "kexec_load (unload)", (int)r, false) : 0;
}

/* Clear IFF_UP on every interface but loopback, so NICs stop DMA before the jump. */
static void ifdown(void)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	int s;

	if (!ifs)
		return;
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	for (i = ifs; s >= 0 && i->if_index; i++) {
		struct ifreq ifr = { 0 };

		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", i->if_name);
		if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0 || (ifr.ifr_flags & IFF_LOOPBACK))
			continue;
		ifr.ifr_flags &= ~IFF_UP;
		ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	if (s >= 0)
		close(s);
	if_freenameindex(ifs);
}

int kx_commit_exec(const struct kx_sys *sys, bool no_sync, bool no_ifdown, struct kx_diag *d)
{
	long r;

	if (!no_sync)
		sync();
	if (!no_ifdown)
		ifdown();
	r = sys->reboot_kexec();
	/* only returns on failure */
	return fail(d, "reboot(LINUX_REBOOT_CMD_KEXEC)", r < 0 ? (int)r : -EINVAL, false);
}

int kx_commit_shutdown(struct kx_diag *d)
{
	static const char *const paths[] = { "/sbin/shutdown", "/etc/shutdown", "/bin/shutdown" };
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		execl(paths[i], "shutdown", "-r", "now", (char *)NULL);
	return kx_diag_set(d, -errno, "cannot run shutdown -r now: %s", strerror(errno));
}
