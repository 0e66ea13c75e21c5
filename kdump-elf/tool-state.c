/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tool-state.c - kdump-elf show --state [--root DIR]: the crash header of
 * the plan kexec-ng loaded (DIR/run/kexec-ng/crash.state): how full it is,
 * its ranges, when kexec-ng last wrote it, and whether the kernel has
 * rewritten it since (its live bytes, read through DIR/proc/kcore, differ
 * from what kexec-ng wrote).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "machine.h"
#include "state.h"
#include "tool.h"

/* The loaded header's live bytes, through kcore's direct-map PT_LOAD that holds them. */
static int live_header(int root_fd, uint64_t paddr, size_t len, unsigned char **ret, char *why, size_t wlen)
{
	struct core c;
	unsigned i;
	int fd, r;

	fd = kx_open_rel(root_fd, kx_path_rel(KX_PATH_KCORE), O_RDONLY);
	if (fd < 0) {
		snprintf(why, wlen, "%s: %s", kx_path_rel(KX_PATH_KCORE), strerror(-fd));
		return fd;
	}
	r = core_open_fd(&c, fd, kx_path_rel(KX_PATH_KCORE));
	if (r) {
		core_close(&c);
		snprintf(why, wlen, "%s is not a readable ELF core", kx_path_rel(KX_PATH_KCORE));
		return -EINVAL;
	}
	r = -ENOENT;
	snprintf(why, wlen, "no %s PT_LOAD maps 0x%" PRIx64, kx_path_rel(KX_PATH_KCORE), paddr);
	for (i = 0; i < c.v.phnum; i++) {
		struct kdump_elf_phdr ph;
		unsigned char *buf;
		ssize_t n;

		if (kdump_elf_phdr(c.hdr, c.len, i, &ph) < 0 || ph.type != TOOL_PT_LOAD || ph.paddr == KDUMP_ELF_NO_PADDR ||
		    paddr < ph.paddr || paddr + len > ph.paddr + ph.memsz || ph.vaddr < 0xff00000000000000ULL)
			continue;
		buf = malloc(len);
		if (!buf) {
			r = -ENOMEM;
			break;
		}
		n = pread(c.fd, buf, len, (off_t)(ph.offset + (paddr - ph.paddr)));
		if (n != (ssize_t)len) {
			snprintf(why, wlen, "reading %zu bytes at 0x%" PRIx64 ": %s", len, paddr,
				 n < 0 ? strerror(errno) : "short read");
			free(buf);
			r = -EIO;
			break;
		}
		*ret = buf;
		r = 0;
		break;
	}
	core_close(&c);
	return r;
}

static void list_phdrs(const unsigned char *b, size_t len)
{
	struct kdump_elf_view v;
	unsigned i;

	if (kdump_elf_parse(b, len, &v) < 0)
		return;
	for (i = 0; i < v.phnum; i++) {
		struct kdump_elf_phdr ph;

		if (kdump_elf_phdr(b, len, i, &ph) < 0)
			continue;
		printf("    %-5s paddr 0x%012" PRIx64 " size 0x%" PRIx64 "\n", tool_type_name(ph.type), ph.paddr, ph.memsz);
	}
}

int cmd_show_state(const char *root)
{
	struct kx_state st;
	struct kx_diag d = { 0 };
	struct kdump_elf_view v;
	const struct kx_state_seg *h;
	unsigned char *live = NULL;
	char when[64], why[256];
	struct tm tm;
	time_t t;
	int root_fd, r;

	root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0) {
		tool_err(root, "%s", strerror(errno));
		return EXIT_BAD;
	}
	r = kx_state_read(root_fd, &st, &d);
	if (r < 0) {
		tool_err(root, "%s", r == -ENOENT ? "no run/kexec-ng/crash.state: kexec-ng loaded no crash kernel since boot"
					       : d.msg);
		close(root_fd);
		return EXIT_BAD;
	}
	t = (time_t)st.written;
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	printf("state: %s (kexec-ng wrote the header %s, %s)\n", kx_path_rel(KX_PATH_STATE), when, st.writer);
	if (st.syscall != KX_SYS_KEXEC_LOAD) {
		printf("crash image: kexec_file_load: the kernel built and keeps its own header\n");
		goto out;
	}
	h = &st.segs[st.hdr_index];
	printf("crash image: kexec_load, flags 0x%lx%s, entry 0x%" PRIx64 ", %u segments\n", st.flags,
	       st.flags & 0xc ? " (the kernel rewrites the header on hotplug)" : " (kexec --reload-elfcorehdr rewrites the header)",
	       st.entry, st.n_segs);
	if (kdump_elf_parse(h->blob, h->bufsz, &v) < 0) {
		tool_err(kx_path_rel(KX_PATH_STATE), "the recorded header does not parse");
		kx_state_done(&st);
		close(root_fd);
		return EXIT_BAD;
	}
	printf("header: at 0x%" PRIx64 ", %u of %u program headers used, %zu bytes (segment 0x%" PRIx64 "), outside the digest\n",
	       h->mem, v.phnum, v.capacity, h->bufsz, h->memsz);
	printf("  as written by kexec-ng (%s):\n", st.writer);
	list_phdrs(h->blob, h->bufsz);
	r = live_header(root_fd, h->mem, h->bufsz, &live, why, sizeof(why));
	if (r < 0) {
		printf("live: unknown (%s)\n", why);
	} else if (!memcmp(live, h->blob, h->bufsz)) {
		printf("live: the loaded header is the one kexec-ng wrote\n");
	} else if (kdump_elf_parse(live, h->bufsz, &v) == 0) {
		printf("live: rewritten by the kernel since: %u of %u program headers used:\n", v.phnum, v.capacity);
		list_phdrs(live, h->bufsz);
	} else {
		printf("live: the loaded bytes differ and are not an ELF core header (crash region protected or reused?)\n");
	}
	free(live);
out:
	kx_state_done(&st);
	close(root_fd);
	return fflush(stdout) ? EXIT_BAD : EXIT_SUCCESS;
}
