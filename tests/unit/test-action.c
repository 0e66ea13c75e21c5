/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-action.c - which system calls a load or unload makes, with a
 * recorder in place of the kernel: -c, -s, the -a fallback on EPERM/ENOSYS,
 * no fallback on other errors, signature errors final, --dry-run makes none.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "action.h"
#include "fake-bzimage.h"
#include "test.h"

static struct rec {
	int n_load, n_file, n_reboot;
	long load_ret, file_ret;
	unsigned long load_flags, file_flags, n_segments;
	int kernel_fd;
} rec;

static long rec_load(long nr, unsigned long entry, unsigned long n, const void *segs, unsigned long flags)
{
	rec.n_load++;
	rec.load_flags = flags;
	rec.n_segments = n;
	return rec.load_ret;
}

static char fd_target[256];

static long rec_file(long nr, int kfd, int ifd, unsigned long len, const char *cmd, unsigned long flags)
{
	char link[64];
	ssize_t n;

	rec.n_file++;
	rec.file_flags = flags;
	rec.kernel_fd = kfd;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", kfd);
	n = readlink(link, fd_target, sizeof(fd_target) - 1);
	fd_target[n > 0 ? n : 0] = 0;
	return rec.file_ret;
}

static long rec_reboot(void)
{
	rec.n_reboot++;
	return -EPERM;
}

static const struct kx_sys recorder = { rec_load, rec_file, rec_reboot };

struct fx {
	struct kx_opts o;
	struct kx_machine m;
	struct kx_diag d;
	struct kx_ctx ctx;
	char path[64];
};

static void setup(struct fx *f, enum kx_sysmode mode, bool dry)
{
	uint8_t *img;
	size_t len;
	int fd;

	memset(f, 0, sizeof(*f));
	memset(&rec, 0, sizeof(rec));
	f->o.sysmode = mode;
	f->o.dry_run = dry;
	f->o.append = "console=ttyS0";
	f->m.root = (char *)"test";
	f->m.root_fd = -1;
	f->m.loaded = KT_MACHINE_ALL;	/* the whole machine is given here: read nothing */
	ASSERT_OK(kx_ranges_add(&f->m.ram, 0x100000, 0x40000000, KX_MEM_RAM));
	f->ctx = (struct kx_ctx){ .o = &f->o, .arch = &kx_arch_native, .m = &f->m, .d = &f->d, .root_fd = -1 };
	img = kt_fake_bzimage(&len);
	snprintf(f->path, sizeof(f->path), "/tmp/kx-action-XXXXXX");
	fd = mkstemp(f->path);
	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(write(fd, img, len), len);
	close(fd);
	free(img);
	ASSERT_OK(kx_image_open(&f->ctx.kernel, f->path, &f->d));
	f->ctx.initrd.fd = -1;
	ASSERT_OK(kx_cmdline_build(&f->ctx, &f->ctx.cmdline));
}

static void done(struct fx *f)
{
	unlink(f->path);
	kx_image_done(&f->ctx.kernel);
	free(f->ctx.cmdline);
	kx_ranges_done(&f->m.ram);
}

TEST(kexec_load_only)
{
	struct fx f;
	struct kx_outcome o;

	setup(&f, KX_SYS_LOAD_ONLY, false);
	ASSERT_OK(kx_action_load(&f.ctx, &recorder, stdout, &o));
	ASSERT_EQ(rec.n_load, 1);
	ASSERT_EQ(rec.n_file, 0);
	ASSERT_EQ(rec.load_flags, 62UL << 16);	/* KEXEC_ARCH_X86_64, not ON_CRASH */
	ASSERT_EQ(rec.n_segments, 3);	/* kernel, setup, purgatory */
	done(&f);
}

TEST(auto_falls_back_on_eperm)
{
	struct fx f;
	struct kx_outcome o;

	setup(&f, KX_SYS_AUTO, false);
	rec.load_ret = -EPERM;
	ASSERT_OK(kx_action_load(&f.ctx, &recorder, stdout, &o));
	ASSERT_EQ(rec.n_load, 1);
	ASSERT_EQ(rec.n_file, 1);
	ASSERT_TRUE(o.fell_back);
	ASSERT_CONTAINS(o.why, "kexec_load failed: Operation not permitted");
	ASSERT_EQ(rec.file_flags, 0x4);	/* KEXEC_FILE_NO_INITRAMFS */
	ASSERT_TRUE(rec.kernel_fd >= 0);	/* the original file (not decompressed) */
	done(&f);
}

TEST(auto_falls_back_on_enosys_and_eacces)
{
	static const long errs[] = { -ENOSYS, -EACCES };
	size_t i;

	for (i = 0; i < 2; i++) {
		struct fx f;
		struct kx_outcome o;

		setup(&f, KX_SYS_AUTO, false);
		rec.load_ret = errs[i];
		ASSERT_OK(kx_action_load(&f.ctx, &recorder, stdout, &o));
		ASSERT_EQ(rec.n_file, 1);
		done(&f);
	}
}

TEST(auto_no_fallback_on_other_errors)
{
	static const long errs[] = { -EBUSY, -EINVAL, -EADDRNOTAVAIL, -ENOMEM };
	size_t i;

	for (i = 0; i < 4; i++) {
		struct fx f;
		struct kx_outcome o;

		setup(&f, KX_SYS_AUTO, false);
		rec.load_ret = errs[i];
		ASSERT_ERR(kx_action_load(&f.ctx, &recorder, stdout, &o), errs[i]);
		ASSERT_EQ(rec.n_file, 0);
		ASSERT_EQ(o.stage, KX_STAGE_SYSCALL);
		ASSERT_CONTAINS(f.d.msg, "kexec_load failed: ");
		done(&f);
	}
}

TEST(signature_error_is_final)
{
	static const long errs[] = { -EKEYREJECTED, -ENOKEY, -EBADMSG, -ENODATA };
	size_t i;

	for (i = 0; i < 4; i++) {
		struct fx f;
		struct kx_outcome o;

		setup(&f, KX_SYS_AUTO, false);
		rec.load_ret = -EPERM;
		rec.file_ret = errs[i];
		ASSERT_ERR(kx_action_load(&f.ctx, &recorder, stdout, &o), errs[i]);
		ASSERT_EQ(rec.n_load, 1);	/* never retried another way */
		ASSERT_EQ(rec.n_file, 1);
		ASSERT_CONTAINS(f.d.msg, "signature was rejected");
		ASSERT_FALSE(kx_file_unusable((int)errs[i]));
		done(&f);
	}
}

TEST(file_only_reports_real_errno)
{
	struct fx f;
	struct kx_outcome o;

	setup(&f, KX_SYS_FILE_ONLY, false);
	rec.file_ret = -ENOSYS;
	ASSERT_ERR(kx_action_load(&f.ctx, &recorder, stdout, &o), -ENOSYS);
	ASSERT_EQ(rec.n_load, 0);
	ASSERT_EQ(o.syscall, KX_SYS_KEXEC_FILE_LOAD);
	ASSERT_TRUE(kx_file_unusable(o.err));	/* main() exits 253 */
	ASSERT_CONTAINS(f.d.msg, "kexec_file_load failed: Function not implemented");
	done(&f);
}

TEST(dry_run_makes_no_syscall)
{
	static const enum kx_sysmode modes[] = { KX_SYS_AUTO, KX_SYS_LOAD_ONLY, KX_SYS_FILE_ONLY };
	FILE *out = fopen("/dev/null", "w");
	size_t i;

	ASSERT_TRUE(out);
	/* setup() clears the recorder: check each mode before the next one */
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		struct fx f;
		struct kx_outcome o;

		setup(&f, modes[i], true);
		ASSERT_OK(kx_action_load(&f.ctx, &recorder, out, &o));
		ASSERT_EQ(rec.n_load + rec.n_file + rec.n_reboot, 0);
		f.o.crash = true;
		ASSERT_OK(kx_action_unload(&f.ctx, &recorder, out, &o));
		ASSERT_EQ(rec.n_load + rec.n_file + rec.n_reboot, 0);
		done(&f);
	}
	fclose(out);
}

TEST(unload_crash_falls_back)
{
	struct fx f;
	struct kx_outcome o;

	setup(&f, KX_SYS_AUTO, false);
	f.o.crash = true;
	rec.load_ret = -EPERM;
	ASSERT_OK(kx_action_unload(&f.ctx, &recorder, stdout, &o));
	ASSERT_EQ(rec.load_flags, (62UL << 16) | 1);	/* kexec_load(0 segments, ON_CRASH) */
	ASSERT_EQ(rec.n_segments, 0);
	ASSERT_EQ(rec.file_flags, 0x3);	/* KEXEC_FILE_UNLOAD | KEXEC_FILE_ON_CRASH */
	ASSERT_TRUE(o.fell_back);
	done(&f);
}

TEST(file_load_passes_original_fd_or_memfd)
{
	struct fx f;
	struct kx_outcome o;
	char cmd[256], gz[80];

	/* unmodified: the file itself, so IMA can appraise it */
	setup(&f, KX_SYS_FILE_ONLY, false);
	ASSERT_OK(kx_action_load(&f.ctx, &recorder, stdout, &o));
	ASSERT_STREQ(fd_target, f.path);
	done(&f);

	/* gzip: kexec decompresses, so the kernel gets a sealed memfd */
	setup(&f, KX_SYS_FILE_ONLY, false);
	snprintf(gz, sizeof(gz), "%s.gz", f.path);
	snprintf(cmd, sizeof(cmd), "gzip -c %s > %s", f.path, gz);
	ASSERT_EQ(system(cmd), 0);
	kx_image_done(&f.ctx.kernel);
	ASSERT_OK(kx_image_open(&f.ctx.kernel, gz, &f.d));
	ASSERT_FALSE(f.ctx.kernel.decompressed);	/* files are read as they are */
	ASSERT_OK(kx_action_load(&f.ctx, &recorder, stdout, &o));
	ASSERT_TRUE(f.ctx.kernel.decompressed);		/* the kernel probe inflated it */
	ASSERT_CONTAINS(fd_target, "memfd:kexec-kernel");
	unlink(gz);
	done(&f);
}

/* A crash load on a machine whose crash facts could not be read (kcore_err). */
static void setup_crash(struct fx *f, enum kx_sysmode mode, int kcore_err)
{
	setup(f, mode, false);
	f->ctx.crash = true;
	f->m.has_crash = true;
	f->m.crash_main = (struct kx_range){ 0x30000000, 0x38000000, KX_MEM_RAM };
	ASSERT_OK(kx_ranges_insert(&f->m.crash, 0x30000000, 0x38000000, KX_MEM_RAM));
	f->m.kcore_err = kcore_err;
}

static void done_crash(struct fx *f)
{
	kx_ranges_done(&f->m.crash);
	done(f);
}

TEST(auto_falls_back_when_kexec_load_cannot_be_planned)
{
	struct fx f;
	struct kx_outcome o;

	/* proc/kcore refused (e.g. no CAP_SYS_RAWIO): kexec_file_load needs none of it */
	setup_crash(&f, KX_SYS_AUTO, -EPERM);
	ASSERT_OK(kx_action_load(&f.ctx, &recorder, stdout, &o));
	ASSERT_EQ(rec.n_load, 0);
	ASSERT_EQ(rec.n_file, 1);
	ASSERT_EQ(rec.file_flags, 0x2 | 0x4);	/* ON_CRASH | NO_INITRAMFS */
	ASSERT_TRUE(o.fell_back);
	ASSERT_EQ(o.fell_back_stage, KX_STAGE_PLAN);
	ASSERT_CONTAINS(o.why, "proc/kcore");
	done_crash(&f);

	/* -c has no fallback: the planning error is the answer */
	setup_crash(&f, KX_SYS_LOAD_ONLY, -EPERM);
	ASSERT_ERR(kx_action_load(&f.ctx, &recorder, stdout, &o), -EPERM);
	ASSERT_EQ(o.stage, KX_STAGE_PLAN);
	ASSERT_EQ(rec.n_load + rec.n_file, 0);
	done_crash(&f);
}

TEST(file_load_needs_no_kcore)
{
	struct fx f;
	struct kx_outcome o;

	setup_crash(&f, KX_SYS_FILE_ONLY, 0);
	f.m.loaded = KX_MACHINE_BASE | KX_MACHINE_STATUS | KX_MACHINE_HOTPLUG;	/* crash facts would fail: root_fd is -1 */
	ASSERT_OK(kx_action_load(&f.ctx, &recorder, stdout, &o));
	ASSERT_EQ(rec.n_file, 1);
	ASSERT_FALSE(f.m.loaded & (KX_MACHINE_CRASH | KX_MACHINE_KCORE));
	done_crash(&f);
}

TEST(failure_shared_by_both_syscalls_is_final)
{
	struct fx f;
	struct kx_outcome o;

	/* no crash region: kexec_file_load would fail the same way */
	setup(&f, KX_SYS_AUTO, false);
	f.ctx.crash = true;
	ASSERT_ERR(kx_action_load(&f.ctx, &recorder, stdout, &o), -EADDRNOTAVAIL);
	ASSERT_FALSE(o.fell_back);
	ASSERT_EQ(rec.n_load + rec.n_file, 0);
	ASSERT_CONTAINS(f.d.msg, "crashkernel=");
	done(&f);
}

TEST(lockdown_goes_straight_to_kexec_file_load_and_says_why_it_fails)
{
	struct fx f;
	struct kx_outcome o;

	setup_crash(&f, KX_SYS_AUTO, -EPERM);	/* kcore is refused under confidentiality too */
	f.m.lockdown = KX_LOCKDOWN_CONFIDENTIALITY;
	rec.file_ret = -EPERM;			/* the image's signature is not trusted */
	ASSERT_ERR(kx_action_load(&f.ctx, &recorder, stdout, &o), -EPERM);
	ASSERT_EQ(rec.n_load, 0);
	ASSERT_EQ(rec.n_file, 1);
	ASSERT_CONTAINS(f.d.msg, "kexec_file_load failed");
	ASSERT_CONTAINS(f.d.msg, "kernel lockdown is on (confidentiality)");
	ASSERT_CONTAINS(f.d.msg, "signature");
	ASSERT_TRUE(strstr(f.d.msg, "kcore") == NULL);
	done_crash(&f);

	/* -c: kexec_load is tried and refused, and the message says lockdown did it */
	setup(&f, KX_SYS_LOAD_ONLY, false);
	f.m.lockdown = KX_LOCKDOWN_INTEGRITY;
	rec.load_ret = -EPERM;
	ASSERT_ERR(kx_action_load(&f.ctx, &recorder, stdout, &o), -EPERM);
	ASSERT_EQ(rec.n_load, 1);
	ASSERT_CONTAINS(f.d.msg, "kexec_load failed");
	ASSERT_CONTAINS(f.d.msg, "kernel lockdown is on (integrity)");
	done(&f);
}
