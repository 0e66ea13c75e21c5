/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-reload.c - kexec --reload-elfcorehdr with a recorder in place of the
 * kernel: a crash load records its plan (state under a temporary root);
 * after a hot-add the reload re-issues every segment byte for byte but the
 * header, and the purgatory's digest (checked with the hosted
 * purgatory/verify.c) still holds; no change is a no-op; a header that
 * outgrows its slots takes the relink path, whose new plan carries a new
 * digest in the purgatory; a kexec_load refusal puts the last good plan
 * back; changed files and a bad state file are refused.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "action.h"
#include "digest.h"
#include "fake-bzimage.h"
#include "kdump-elf.h"
#include "reload.h"
#include "test.h"
#include "verify.h"

/* every kexec_load the code under test made, with copies of the bytes */
static struct call {
	unsigned long entry, flags;
	unsigned n;
	struct { uint64_t mem, memsz; size_t bufsz; uint8_t *buf; } seg[KX_MAX_SEGMENTS];
} calls[8];
static int n_calls;
static long fail_next;		/* the next kexec_load returns this */

struct kseg { const void *buf; size_t bufsz; const void *mem; size_t memsz; };

static long rec_load(long nr, unsigned long entry, unsigned long n, const void *segs, unsigned long flags)
{
	const struct kseg *s = segs;
	struct call *c = &calls[n_calls++ % 8];
	unsigned i;
	long r = fail_next;

	(void)nr;
	fail_next = 0;
	c->entry = entry;
	c->flags = flags;
	c->n = (unsigned)n;
	for (i = 0; i < n; i++) {
		c->seg[i].mem = (uint64_t)(uintptr_t)s[i].mem;
		c->seg[i].memsz = s[i].memsz;
		c->seg[i].bufsz = s[i].bufsz;
		c->seg[i].buf = malloc(s[i].bufsz ? s[i].bufsz : 1);
		memcpy(c->seg[i].buf, s[i].buf, s[i].bufsz);
	}
	return r;
}

static long rec_file(long nr, int kfd, int ifd, unsigned long len, const char *cmd, unsigned long flags)
{
	(void)nr; (void)kfd; (void)ifd; (void)len; (void)cmd; (void)flags;
	return -ENOSYS;
}

static long rec_reboot(void)
{
	return -EPERM;
}

static const struct kx_sys recorder = { rec_load, rec_file, rec_reboot };

struct fx {
	struct kx_opts o;
	struct kx_machine m;
	struct kx_diag d;
	struct kx_notes notes;
	struct kx_ctx ctx;
	char root[300], kernel[400], initrd[400];
	uint8_t digest[32];
};

#define TEXT_VADDR 0xffffffff81000000ULL
#define PAGE_OFFSET 0xffff888000000000ULL

static void write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);

	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(write(fd, buf, len), len);
	close(fd);
}

/* A 1 GiB machine with a 256 MiB crash region, two CPUs, and kexec's own view of the kernel. */
static void setup(struct fx *f, unsigned slots)
{
	static char a0[] = "kexec", a1[] = "-p", a2[] = "k";
	static char *argv[] = { a0, a1, a2, NULL };
	static struct kx_cpu_note notes[2] = { { 0, 0x3a400, 368 }, { 1, 0x13a400, 368 } };
	uint8_t *img, ird[8192];
	size_t len;

	memset(f, 0, sizeof(*f));
	for (len = 0; len < (size_t)n_calls && len < 8; len++)
		for (unsigned i = 0; i < calls[len].n; i++)
			free(calls[len].seg[i].buf);
	n_calls = 0;
	snprintf(f->root, sizeof(f->root), "%s", kt_tmpdir());
	snprintf(f->kernel, sizeof(f->kernel), "%s/vmlinuz", f->root);
	snprintf(f->initrd, sizeof(f->initrd), "%s/initrd", f->root);
	img = kt_fake_bzimage(&len);
	write_file(f->kernel, img, len);
	free(img);
	memset(ird, 0x5a, sizeof(ird));
	write_file(f->initrd, ird, sizeof(ird));

	f->o.sysmode = KX_SYS_LOAD_ONLY;
	f->o.append = "console=ttyS0";
	f->o.crash = f->o.do_load = true;
	f->o.elfcorehdr_slots = slots;
	f->m.root = (char *)"test";
	f->m.root_fd = -1;
	f->m.loaded = KT_MACHINE_ALL;
	f->m.lockdown = KX_LOCKDOWN_NONE;
	f->m.crash_loaded = 1;
	f->m.mem_crash_hotplug = f->m.cpu_crash_hotplug = -1;
	ASSERT_OK(kx_ranges_add(&f->m.ram, 0x100000, 0x40000000, KX_MEM_RAM));
	f->m.has_crash = true;
	f->m.crash_main = (struct kx_range){ 0x30000000, 0x38000000, KX_MEM_RAM };
	ASSERT_OK(kx_ranges_insert(&f->m.crash, 0x30000000, 0x38000000, KX_MEM_RAM));
	f->m.notes = notes;
	f->m.n_notes = 2;
	f->m.has_vmcoreinfo = true;
	f->m.vmcoreinfo_addr = 0x2000000;
	f->m.vmcoreinfo_size = 0x1024;
	f->m.kcore.present = true;
	f->m.kcore.vmcoreinfo = strdup("NUMBER(phys_base)=16777216\nKERNELOFFSET=0\n");
	f->m.kcore.vmcoreinfo_len = strlen(f->m.kcore.vmcoreinfo);
	f->m.kcore.loads = calloc(2, sizeof(*f->m.kcore.loads));
	f->m.kcore.loads[0] = (struct kx_kcore_load){ TEXT_VADDR, UINT64_MAX, 0x2000000 };
	f->m.kcore.loads[1] = (struct kx_kcore_load){ PAGE_OFFSET + 0x100000, 0x100000, 0x3ff00000 };
	f->m.kcore.n_loads = 2;
	f->m.n_notes = 2;
	f->ctx = (struct kx_ctx){ .o = &f->o, .arch = &kx_arch_native, .m = &f->m, .d = &f->d, .notes = &f->notes,
				  .argc = 3, .argv = argv, .crash = true };
	f->ctx.root_fd = open(f->root, O_RDONLY | O_DIRECTORY);
	ASSERT_TRUE(f->ctx.root_fd >= 0);
	f->o.kernel = f->kernel;
	f->o.initrd = f->initrd;
	ASSERT_OK(kx_image_open(&f->ctx.kernel, f->kernel, &f->d));
	ASSERT_OK(kx_image_open(&f->ctx.initrd, f->initrd, &f->d));
	ASSERT_OK(kx_cmdline_build(&f->ctx, &f->ctx.cmdline));
	f->ctx.dtb.fd = -1;
}

static void teardown(struct fx *f)
{
	kx_image_done(&f->ctx.kernel);
	kx_image_done(&f->ctx.initrd);
	free(f->ctx.cmdline);
	free(f->m.kcore.vmcoreinfo);
	free(f->m.kcore.loads);
	kx_ranges_done(&f->m.ram);
	kx_ranges_done(&f->m.crash);
	kx_notes_done(&f->notes);
	close(f->ctx.root_fd);
}

/* The first load: kexec -c -p, recorded; keeps its digest. */
static void load(struct fx *f)
{
	struct kx_outcome o;

	if (kx_action_load(&f->ctx, &recorder, stdout, &o) < 0)
		kt_fail(__FILE__, __LINE__, "load: %s", f->d.msg);
	ASSERT_EQ(n_calls, 1);
}

static int reload(struct fx *f, struct kx_state *st, struct kx_reload *rl)
{
	int r;

	f->d = (struct kx_diag){ 0 };
	r = kx_state_read(f->ctx.root_fd, st, &f->d);
	if (r < 0)
		kt_fail(__FILE__, __LINE__, "state: %s", f->d.msg);
	return kx_reload(&f->ctx, &recorder, st, rl);
}

static int hdr_index(const struct call *c)
{
	unsigned i;

	for (i = 0; i < c->n; i++)
		if (c->seg[i].bufsz >= 4 && !memcmp(c->seg[i].buf, "\177ELF", 4))
			return (int)i;
	return -1;
}

/* The purgatory's check over @c's bytes, against the digest kept in its purgatory segment. */
static int verify_call(const struct call *c, const uint8_t digest[32], int flip_seg)
{
	struct pg_sha_region regions[PG_MAX_REGIONS] = { { 0 } };
	uint8_t got[32];
	unsigned i, n = 0;
	int h = hdr_index(c);

	for (i = 0; i < c->n; i++) {
		/* in the digest: all but the header and the purgatory (the last segment added) */
		if ((int)i == h || i == c->n - 1)
			continue;
		if ((int)i == flip_seg)
			c->seg[i].buf[c->seg[i].bufsz / 2] ^= 1;
		regions[n].start = (uint64_t)(uintptr_t)c->seg[i].buf;
		regions[n].len = c->seg[i].bufsz;
		n++;
	}
	return pg_verify_regions(regions, digest, got);
}

static bool contains(const uint8_t *hay, size_t n, const uint8_t *needle, size_t k)
{
	size_t i;

	for (i = 0; i + k <= n; i++)
		if (!memcmp(hay + i, needle, k))
			return true;
	return false;
}

TEST(hot_add_rewrites_only_the_header)
{
	struct fx f;
	struct kx_state st;
	struct kx_reload rl;
	struct kdump_elf_view v0, v1;
	const struct call *a, *b;
	uint8_t digest[32];
	unsigned i;
	int h;

	setup(&f, 0);
	load(&f);
	a = &calls[0];
	h = hdr_index(a);
	ASSERT_TRUE(h >= 0);
	/* the digest the purgatory carries: over every segment but it and the header */
	ASSERT_OK(kx_state_read(f.ctx.root_fd, &st, &f.d));
	{
		struct kx_segment segs[KX_MAX_SEGMENTS];
		struct pg_sha_region regions[PG_MAX_REGIONS];

		for (i = 0; i < a->n; i++)
			segs[i] = (struct kx_segment){ .buf = a->seg[i].buf, .bufsz = a->seg[i].bufsz, .mem = a->seg[i].mem,
						       .memsz = a->seg[i].memsz, .in_digest = st.segs[i].in_digest };
		ASSERT_OK(kx_digest_segments(segs, a->n, regions, digest, &f.d));
		ASSERT_TRUE(contains(a->seg[a->n - 1].buf, a->seg[a->n - 1].bufsz, digest, 32));
		ASSERT_FALSE(st.segs[h].in_digest);
	}
	kx_state_done(&st);

	/* nothing changed: a no-op */
	ASSERT_OK(reload(&f, &st, &rl));
	ASSERT_EQ(rl.path, KX_RELOAD_NOOP_SAME);
	ASSERT_EQ(n_calls, 1);
	kx_state_done(&st);

	/* 1 GiB hot-added above 4 GiB: one more PT_LOAD, everything else as loaded */
	ASSERT_OK(kx_ranges_add(&f.m.ram, 0x100000000ULL, 0x140000000ULL, KX_MEM_RAM));
	if (reload(&f, &st, &rl) < 0)
		kt_fail(__FILE__, __LINE__, "reload: %s", f.d.msg);
	ASSERT_EQ(rl.path, KX_RELOAD_FAST);
	ASSERT_EQ(n_calls, 2);
	b = &calls[1];
	ASSERT_EQ(b->n, a->n);
	ASSERT_EQ(b->entry, a->entry);
	ASSERT_EQ(b->flags, a->flags);
	for (i = 0; i < a->n; i++) {
		ASSERT_EQ(b->seg[i].mem, a->seg[i].mem);
		ASSERT_EQ(b->seg[i].memsz, a->seg[i].memsz);
		ASSERT_EQ(b->seg[i].bufsz, a->seg[i].bufsz);
		if ((int)i != h)
			ASSERT_EQ(memcmp(b->seg[i].buf, a->seg[i].buf, a->seg[i].bufsz), 0);
	}
	ASSERT_OK(kdump_elf_parse(a->seg[h].buf, a->seg[h].bufsz, &v0));
	ASSERT_OK(kdump_elf_parse(b->seg[h].buf, b->seg[h].bufsz, &v1));
	ASSERT_EQ(v1.loads, v0.loads + 1);
	ASSERT_EQ(v1.capacity, v0.capacity);
	/* the purgatory's old digest holds over the new bytes, and catches any other change */
	ASSERT_EQ(verify_call(b, digest, -1), 0);
	ASSERT_EQ(verify_call(b, digest, 0 == h ? 1 : 0), 1);
	/* the state follows */
	ASSERT_EQ(st.hdr_used, rl.used);
	ASSERT_STREQ(st.writer, "reload");
	kx_state_done(&st);
	ASSERT_OK(reload(&f, &st, &rl));
	ASSERT_EQ(rl.path, KX_RELOAD_NOOP_SAME);
	kx_state_done(&st);
	teardown(&f);
}

TEST(kernel_side_hotplug_is_a_noop)
{
	struct fx f;
	struct kx_state st;
	struct kx_reload rl;

	setup(&f, 0);
	load(&f);
	f.m.mem_crash_hotplug = 1;
	ASSERT_OK(kx_ranges_add(&f.m.ram, 0x100000000ULL, 0x140000000ULL, KX_MEM_RAM));
	ASSERT_OK(reload(&f, &st, &rl));
	ASSERT_EQ(rl.path, KX_RELOAD_NOOP_KERNEL);
	ASSERT_EQ(n_calls, 1);
	kx_state_done(&st);
	teardown(&f);
}

TEST(outgrown_header_takes_the_relink_path)
{
	struct fx f;
	struct kx_state st;
	struct kx_reload rl;
	struct kx_outcome o;
	const struct call *a, *c;
	uint8_t d0[32], d1[32];
	struct kx_segment segs[KX_MAX_SEGMENTS];
	struct pg_sha_region regions[PG_MAX_REGIONS];
	unsigned i;

	/* exactly the slots today's map needs: 2 notes, VMCOREINFO, text, RAM on both sides of the crash region */
	setup(&f, 6);
	load(&f);
	a = &calls[0];
	ASSERT_OK(kx_ranges_add(&f.m.ram, 0x100000000ULL, 0x140000000ULL, KX_MEM_RAM));
	ASSERT_OK(reload(&f, &st, &rl));
	ASSERT_EQ(rl.path, KX_RELOAD_RELINK);
	ASSERT_EQ(rl.used, 7);
	ASSERT_EQ(rl.capacity, 6);
	ASSERT_EQ(n_calls, 1);	/* the relink is a new plan, made by the caller */
	kx_state_done(&st);

	/* what main does next: the recorded command line again, the policy sizing the header */
	f.o.elfcorehdr_slots = 0;
	f.ctx.prepared = false;
	f.ctx.writer = "relink";
	ASSERT_OK(kx_action_load(&f.ctx, &recorder, stdout, &o));
	c = &calls[1];
	/* the new plan: a bigger header, so a new digest in a relinked purgatory */
	for (i = 0; i < a->n; i++)
		segs[i] = (struct kx_segment){ .buf = a->seg[i].buf, .bufsz = a->seg[i].bufsz, .mem = a->seg[i].mem,
					       .memsz = a->seg[i].memsz, .in_digest = hdr_index(a) != (int)i && i != a->n - 1 };
	ASSERT_OK(kx_digest_segments(segs, a->n, regions, d0, &f.d));
	for (i = 0; i < c->n; i++)
		segs[i] = (struct kx_segment){ .buf = c->seg[i].buf, .bufsz = c->seg[i].bufsz, .mem = c->seg[i].mem,
					       .memsz = c->seg[i].memsz, .in_digest = hdr_index(c) != (int)i && i != c->n - 1 };
	ASSERT_OK(kx_digest_segments(segs, c->n, regions, d1, &f.d));
	ASSERT_TRUE(contains(c->seg[c->n - 1].buf, c->seg[c->n - 1].bufsz, d1, 32));
	ASSERT_EQ(verify_call(c, d1, -1), 0);
	ASSERT_EQ(verify_call(c, d1, 0 == hdr_index(c) ? 1 : 0), 1);
	ASSERT_TRUE(c->seg[hdr_index(c)].bufsz > a->seg[hdr_index(a)].bufsz);
	ASSERT_OK(kx_state_read(f.ctx.root_fd, &st, &f.d));
	ASSERT_STREQ(st.writer, "relink");
	ASSERT_TRUE(st.hdr_capacity > 7);
	kx_state_done(&st);
	(void)d0;
	teardown(&f);
}

TEST(refused_reload_puts_the_last_good_plan_back)
{
	struct fx f;
	struct kx_state st;
	struct kx_reload rl;
	int h;

	setup(&f, 0);
	load(&f);
	h = hdr_index(&calls[0]);
	ASSERT_OK(kx_ranges_add(&f.m.ram, 0x100000000ULL, 0x140000000ULL, KX_MEM_RAM));
	fail_next = -ENOMEM;
	ASSERT_ERR(reload(&f, &st, &rl), -ENOMEM);
	ASSERT_TRUE(rl.rearmed);
	ASSERT_EQ(n_calls, 3);	/* the load, the refused reload, the old plan again */
	ASSERT_EQ(memcmp(calls[2].seg[h].buf, calls[0].seg[h].buf, calls[0].seg[h].bufsz), 0);
	ASSERT_TRUE(memcmp(calls[1].seg[h].buf, calls[0].seg[h].buf, calls[0].seg[h].bufsz) != 0);
	kx_state_done(&st);
	/* the state still describes the old header: the next reload tries again */
	ASSERT_OK(reload(&f, &st, &rl));
	ASSERT_EQ(rl.path, KX_RELOAD_FAST);
	kx_state_done(&st);
	teardown(&f);
}

TEST(changed_kernel_file_means_a_full_reload)
{
	struct fx f;
	struct kx_state st;
	struct kx_reload rl;
	uint8_t *img;
	size_t len;

	setup(&f, 0);
	load(&f);
	img = kt_fake_bzimage(&len);
	img[len - 1] ^= 0xff;
	unlink(f.kernel);
	write_file(f.kernel, img, len);	/* a new inode: an updated kernel package */
	free(img);
	ASSERT_OK(kx_ranges_add(&f.m.ram, 0x100000000ULL, 0x140000000ULL, KX_MEM_RAM));
	ASSERT_OK(reload(&f, &st, &rl));
	ASSERT_EQ(rl.path, KX_RELOAD_FULL);
	ASSERT_CONTAINS(rl.why, "vmlinuz changed since the load");
	ASSERT_EQ(n_calls, 1);
	kx_state_done(&st);
	teardown(&f);
}

/* Rewritten in place with its old mtime put back: ctime still tells. */
TEST(in_place_rewrite_with_old_mtime_is_seen)
{
	struct fx f;
	struct kx_state st;
	struct kx_reload rl;
	struct stat sb;
	struct timespec ts[2];
	int fd;

	setup(&f, 0);
	load(&f);
	ASSERT_OK(stat(f.kernel, &sb));
	usleep(20000);
	fd = open(f.kernel, O_WRONLY);
	ASSERT_EQ(pwrite(fd, "x", 1, 600), 1);
	close(fd);
	ts[0] = sb.st_atim;
	ts[1] = sb.st_mtim;
	ASSERT_OK(utimensat(AT_FDCWD, f.kernel, ts, 0));
	ASSERT_OK(kx_ranges_add(&f.m.ram, 0x100000000ULL, 0x140000000ULL, KX_MEM_RAM));
	ASSERT_OK(reload(&f, &st, &rl));
	ASSERT_EQ(rl.path, KX_RELOAD_FULL);
	ASSERT_CONTAINS(rl.why, "ctime");
	kx_state_done(&st);
	teardown(&f);
}

/*
 * A change the identity cannot see (here: the record made to match it):
 * only --verify-digest, which re-hashes what the purgatory will check,
 * catches it; the fast path would hand over bytes the purgatory refuses.
 */
TEST(verify_digest_rehashes)
{
	struct fx f;
	struct kx_state st;
	struct kx_reload rl;
	int fd;

	setup(&f, 0);
	load(&f);
	fd = open(f.initrd, O_WRONLY);
	ASSERT_EQ(pwrite(fd, "corrupt", 7, 100), 7);
	close(fd);
	ASSERT_OK(kx_state_read(f.ctx.root_fd, &st, &f.d));
	fd = open(f.initrd, O_RDONLY);
	ASSERT_OK(kx_state_file_identity(fd, &st.files[1]));
	close(fd);
	ASSERT_OK(kx_state_write(f.ctx.root_fd, &st, &f.d));
	kx_state_done(&st);
	ASSERT_OK(kx_ranges_add(&f.m.ram, 0x100000000ULL, 0x140000000ULL, KX_MEM_RAM));
	f.o.verify_digest = true;
	ASSERT_OK(reload(&f, &st, &rl));
	ASSERT_EQ(rl.path, KX_RELOAD_FULL);
	ASSERT_CONTAINS(rl.why, "no longer hash to the digest recorded at load");
	ASSERT_EQ(n_calls, 1);
	kx_state_done(&st);
	f.o.verify_digest = false;
	ASSERT_OK(reload(&f, &st, &rl));
	ASSERT_EQ(rl.path, KX_RELOAD_FAST);
	kx_state_done(&st);
	teardown(&f);
}

TEST(no_crash_image_or_other_boot_refused)
{
	struct fx f;
	struct kx_state st;
	struct kx_reload rl;

	setup(&f, 0);
	load(&f);
	f.m.crash_loaded = 0;
	ASSERT_ERR(reload(&f, &st, &rl), -ESRCH);
	ASSERT_CONTAINS(f.d.msg, "no crash kernel is loaded");
	kx_state_done(&st);
	f.m.crash_loaded = 1;
	snprintf(f.m.boot_id, sizeof(f.m.boot_id), "another-boot");
	ASSERT_OK(kx_state_read(f.ctx.root_fd, &st, &f.d));
	snprintf(st.boot_id, sizeof(st.boot_id), "this-boot");
	f.d = (struct kx_diag){ 0 };
	ASSERT_ERR(kx_reload(&f.ctx, &recorder, &st, &rl), -ESRCH);
	ASSERT_CONTAINS(f.d.msg, "another boot");
	kx_state_done(&st);
	teardown(&f);
}

static void rewrite_state(struct fx *f, long off, int byte, mode_t mode)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/run/kexec-ng/crash.state", f->root);
	if (byte >= 0) {
		fd = open(path, O_RDWR);
		ASSERT_TRUE(fd >= 0);
		ASSERT_EQ(pwrite(fd, &byte, 1, off), 1);
		close(fd);
	}
	if (mode)
		ASSERT_OK(chmod(path, mode));
}

TEST(bad_state_files_are_refused)
{
	struct fx f;
	struct kx_state st;

	setup(&f, 0);
	/* none */
	ASSERT_ERR(kx_state_read(f.ctx.root_fd, &st, &f.d), -ENOENT);
	load(&f);
	/* a flipped byte: the checksum catches it */
	rewrite_state(&f, 40, 'Z', 0);
	ASSERT_ERR(kx_state_read(f.ctx.root_fd, &st, &f.d), -EBADMSG);
	ASSERT_CONTAINS(f.d.msg, "run/kexec-ng/crash.state: checksum mismatch");
	teardown(&f);

	/* world-writable: refused before it is even read */
	setup(&f, 0);
	load(&f);
	rewrite_state(&f, 0, -1, 0666);
	f.d = (struct kx_diag){ 0 };
	ASSERT_ERR(kx_state_read(f.ctx.root_fd, &st, &f.d), -EPERM);
	ASSERT_CONTAINS(f.d.msg, "mode 666");
	teardown(&f);

	/* another format version, with a checksum that adds up */
	setup(&f, 0);
	load(&f);
	{
		char path[512], hex[65];
		uint8_t *buf, dg[32];
		long len;
		FILE *fp;
		int i;

		snprintf(path, sizeof(path), "%s/run/kexec-ng/crash.state", f.root);
		fp = fopen(path, "r+b");
		ASSERT_TRUE(fp);
		fseek(fp, 0, SEEK_END);
		len = ftell(fp);
		buf = malloc((size_t)len);
		rewind(fp);
		ASSERT_EQ(fread(buf, 1, (size_t)len, fp), len);
		buf[strlen("kexec-ng-state ")] = '7';
		ASSERT_OK(kx_sha256(buf, (size_t)len - 73, dg));
		for (i = 0; i < 32; i++)
			sprintf(hex + 2 * i, "%02x", dg[i]);
		memcpy(buf + len - 65, hex, 64);
		rewind(fp);
		ASSERT_EQ(fwrite(buf, 1, (size_t)len, fp), len);
		fclose(fp);
		free(buf);
	}
	f.d = (struct kx_diag){ 0 };
	ASSERT_ERR(kx_state_read(f.ctx.root_fd, &st, &f.d), -EPROTO);
	ASSERT_CONTAINS(f.d.msg, "format version 7");
	teardown(&f);
}

/* No PT_LOAD of the header at @c's index @h overlaps [start, end). */
static bool header_avoids(const struct call *c, int h, uint64_t start, uint64_t end)
{
	struct kdump_elf_view v;
	unsigned k;

	ASSERT_OK(kdump_elf_parse(c->seg[h].buf, c->seg[h].bufsz, &v));
	for (k = 0; k < v.phnum; k++) {
		struct kdump_elf_phdr ph;

		ASSERT_OK(kdump_elf_phdr(c->seg[h].buf, c->seg[h].bufsz, k, &ph));
		if (ph.type == 1 && ph.paddr < end && start < ph.paddr + ph.memsz)
			return false;
	}
	return true;
}

TEST(crash_cma_is_recorded_and_kept_out_by_reload)
{
	struct fx f;
	struct kx_state st;
	struct kx_reload rl;
	struct kdump_elf_view v0, v1;
	int h;

	setup(&f, 0);
	f.o.crash_cma = f.o.crash_cma_explicit = true;
	ASSERT_OK(kx_cma_parse_list("0x10000000-0x13ffffff", &f.o.crash_cma_list, &f.d));
	load(&f);
	h = hdr_index(&calls[0]);
	ASSERT_TRUE(h >= 0);
	ASSERT_TRUE(header_avoids(&calls[0], h, 0x10000000, 0x14000000));
	ASSERT_OK(kx_state_read(f.ctx.root_fd, &st, &f.d));
	ASSERT_EQ(st.cma.n, 1);
	ASSERT_EQ(st.cma.v[0].start, 0x10000000);
	ASSERT_EQ(st.cma.v[0].end, 0x14000000);
	kx_state_done(&st);

	/* a reload in a later run knows the ranges only from the state */
	f.ctx.cma = (struct kx_cma){ 0 };
	ASSERT_OK(kx_ranges_add(&f.m.ram, 0x100000000ULL, 0x140000000ULL, KX_MEM_RAM));
	if (reload(&f, &st, &rl) < 0)
		kt_fail(__FILE__, __LINE__, "reload: %s", f.d.msg);
	ASSERT_EQ(rl.path, KX_RELOAD_FAST);
	ASSERT_EQ(n_calls, 2);
	ASSERT_TRUE(header_avoids(&calls[1], h, 0x10000000, 0x14000000));
	ASSERT_OK(kdump_elf_parse(calls[0].seg[h].buf, calls[0].seg[h].bufsz, &v0));
	ASSERT_OK(kdump_elf_parse(calls[1].seg[h].buf, calls[1].seg[h].bufsz, &v1));
	ASSERT_EQ(v1.loads, v0.loads + 1);
	kx_state_done(&st);
	/* and the rewritten state still records them */
	ASSERT_OK(kx_state_read(f.ctx.root_fd, &st, &f.d));
	ASSERT_EQ(st.cma.n, 1);
	kx_state_done(&st);
	teardown(&f);
}

TEST(state_without_cma_stays_version_1)
{
	struct fx f;
	char path[512], head[32] = "";
	FILE *fp;

	setup(&f, 0);
	load(&f);
	snprintf(path, sizeof(path), "%s/run/kexec-ng/crash.state", f.root);
	fp = fopen(path, "rb");
	ASSERT_TRUE(fp);
	ASSERT_TRUE(fgets(head, sizeof(head), fp) != NULL);
	fclose(fp);
	ASSERT_STREQ(head, "kexec-ng-state 1\n");
	teardown(&f);
}
