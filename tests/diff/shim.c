/* shim.so — LD_PRELOAD recorder for differential tests (kexec-ng tests/diff).
 *
 * Overrides libc's syscall() so that a kexec-tools binary run by run-peer.sh records the
 * kexec_load it would make instead of loading anything:
 *   kexec_load(entry, nr, segs, flags) -> writes $KSHIM_OUT/manifest
 *                                           "entry 0x.. nr N flags 0x.."
 *                                           "seg I mem 0x.. memsz 0x.. bufsz 0x.."  (one per segment)
 *                                         and $KSHIM_OUT/segI.bin (the segment's buffer), returns 0
 *   kexec_file_load                    -> fails with ENOSYS (so -c is not even needed)
 *   reboot (LINUX_REBOOT_CMD_KEXEC)    -> fails with EPERM (kexec -e must never run here)
 * Every other syscall() goes to libc. Without $KSHIM_OUT the kexec calls fail with EINVAL
 * (never reaching the kernel). Build: gcc -shared -fPIC -O2 -o shim.so shim.c -ldl
 * (Adapted from the differential-test recipe the project started from.) */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <linux/kexec.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>

static int record(unsigned long entry, unsigned long nr, const struct kexec_segment *s, unsigned long flags)
{
	const char *out = getenv("KSHIM_OUT");
	char p[4096];
	if (!out || !*out) return -EINVAL;
	snprintf(p, sizeof p, "%s/manifest", out);
	FILE *m = fopen(p, "w");
	if (!m) return -errno;
	fprintf(m, "entry %#lx nr %lu flags %#lx\n", entry, nr, flags);
	for (unsigned long i = 0; i < nr; i++) {
		fprintf(m, "seg %lu mem %#lx memsz %#zx bufsz %#zx\n", i, (unsigned long)s[i].mem, s[i].memsz, s[i].bufsz);
		snprintf(p, sizeof p, "%s/seg%lu.bin", out, i);
		FILE *f = fopen(p, "wb");
		if (!f) { fclose(m); return -errno; }
		if (s[i].bufsz && fwrite(s[i].buf, 1, s[i].bufsz, f) != s[i].bufsz) { fclose(f); fclose(m); return -EIO; }
		fclose(f);
	}
	if (fclose(m)) return -errno;
	return 0;
}

long syscall(long nr, ...)
{
	va_list ap;
	va_start(ap, nr);
	long a1 = va_arg(ap, long), a2 = va_arg(ap, long), a3 = va_arg(ap, long);
	long a4 = va_arg(ap, long), a5 = va_arg(ap, long), a6 = va_arg(ap, long);
	va_end(ap);
	if (nr == SYS_kexec_load) {
		int r = record(a1, a2, (const struct kexec_segment *)a3, a4);
		if (r) { errno = -r; return -1; }
		return 0;
	}
	if (nr == SYS_kexec_file_load) { errno = ENOSYS; return -1; }
	if (nr == SYS_reboot) { errno = EPERM; return -1; }
	static long (*real)(long, ...);
	if (!real) real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	return real(nr, a1, a2, a3, a4, a5, a6);
}

/* kexec-tools calls reboot(2) through libc's reboot() for -e: refuse it as well. */
int reboot(int cmd)
{
	(void)cmd;
	errno = EPERM;
	return -1;
}
