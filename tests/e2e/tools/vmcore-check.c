/* vmcore-check: summarize an ELF64 /proc/vmcore and optionally search the
 * dumped memory (PT_LOAD contents) for a marker string.
 * (kexec-ng tests/e2e; adapted from the e2e recipe the project started from.)
 * Build: gcc -O2 -static -o vmcore-check vmcore-check.c
 * Usage: vmcore-check [-v] [-f MARKER [-a PADDR]] [-h TOKEN2 [-x]] [-n MAXPHDRS] [FILE]
 *   (default FILE: /proc/vmcore)
 *   -v         print every note (name, type, size) and the whole VMCOREINFO text
 *   -f MARKER  search all PT_LOAD contents for MARKER
 *   -a PADDR   instead, require MARKER at exactly physical address PADDR
 *   -h TOKEN2  memory hot-add check (needs -a): read "E2E-HPDIR paddr=P start=S end=E" at
 *              PADDR+2048 (tools/marker-pin.c writes it there after the hot-add); a PT_LOAD
 *              must cover [S, E) and "E2E-HPMARKER-TOKEN2" must be at P
 *   -x         with -h: the hot-added range must be missing from the vmcore instead
 * Also checks the virtual<->physical layout of the PT_LOADs against VMCOREINFO
 * (x86_64: kernel text = paddr + 0xffffffff80000000 - phys_base, one direct-map
 * offset; arm64: kernel text = paddr + kimage_voffset, linear map =
 * paddr - PHYS_OFFSET + (-1 << VA_BITS)).
 * Exit: 0 ok, 1 marker not found / layout wrong, 2 error. */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *ptype(uint32_t t)
{
	switch (t) {
	case PT_NULL: return "NULL";
	case PT_LOAD: return "LOAD";
	case PT_NOTE: return "NOTE";
	default: return "OTHER";
	}
}

/* values from VMCOREINFO used by the layout check */
static int verbose;
static int have_phys_base, have_kimage_voffset, have_phys_offset, have_va_bits;
static long long phys_base;
static unsigned long long kimage_voffset, phys_offset, va_bits;

static void parse_vmcoreinfo_line(const char *l)
{
	if (!strncmp(l, "NUMBER(phys_base)=", 18)) { phys_base = strtoll(l + 18, NULL, 0); have_phys_base = 1; }
	else if (!strncmp(l, "NUMBER(kimage_voffset)=", 23)) { kimage_voffset = strtoull(l + 23, NULL, 16); have_kimage_voffset = 1; }
	else if (!strncmp(l, "NUMBER(PHYS_OFFSET)=", 20)) { phys_offset = strtoull(l + 20, NULL, 16); have_phys_offset = 1; }
	else if (!strncmp(l, "NUMBER(VA_BITS)=", 16)) { va_bits = strtoull(l + 16, NULL, 10); have_va_bits = 1; }
}

static int rd(int fd, void *buf, size_t len, off_t off)
{
	size_t done = 0;
	while (done < len) {
		ssize_t r = pread(fd, (char *)buf + done, len - done, off + done);
		if (r < 0) { if (errno == EINTR) continue; return -1; }
		if (r == 0) return -1;
		done += r;
	}
	return 0;
}

static void dump_notes(int fd, const Elf64_Phdr *p)
{
	if (p->p_filesz == 0 || p->p_filesz > (16u << 20)) return;
	char *buf = malloc(p->p_filesz);
	if (!buf || rd(fd, buf, p->p_filesz, p->p_offset)) { free(buf); return; }
	size_t off = 0;
	int prstatus = 0;
	while (off + sizeof(Elf64_Nhdr) <= p->p_filesz) {
		Elf64_Nhdr *n = (Elf64_Nhdr *)(buf + off);
		size_t nsz = (n->n_namesz + 3) & ~3u, dsz = (n->n_descsz + 3) & ~3u;
		const char *name = buf + off + sizeof(*n);
		const char *desc = name + nsz;
		if (n->n_namesz == 0 && n->n_descsz == 0) break;
		if (off + sizeof(*n) + nsz + dsz > p->p_filesz) break;
		if (n->n_type == NT_PRSTATUS) prstatus++;
		if (verbose)
			printf("NOTE-ENTRY name=%.*s type=%u descsz=%u\n", (int)(n->n_namesz ? n->n_namesz - 1 : 0),
			       name, n->n_type, n->n_descsz);
		if (n->n_namesz >= 10 && !strncmp(name, "VMCOREINFO", 10)) {
			printf("VMCOREINFO: %u bytes\n", n->n_descsz);
			/* print a few interesting lines */
			const char *keys[] = { "OSRELEASE=", "PAGESIZE=", "CRASHTIME=",
					       "KERNELOFFSET=", "NUMBER(phys_base)=",
					       "NUMBER(VA_BITS)=", "NUMBER(kimage_voffset)=",
					       "NUMBER(PHYS_OFFSET)=", NULL };
			char *d = strndup(desc, n->n_descsz);
			for (char *l = strtok(d, "\n"); l; l = strtok(NULL, "\n")) {
				parse_vmcoreinfo_line(l);
				if (verbose) { printf("  VMCOREINFO-LINE %s\n", l); continue; }
				for (int k = 0; keys[k]; k++)
					if (!strncmp(l, keys[k], strlen(keys[k])))
						printf("  %s\n", l);
			}
			free(d);
		}
		off += sizeof(*n) + nsz + dsz;
	}
	printf("NOTE: %d NT_PRSTATUS (per-cpu register) notes\n", prstatus);
	free(buf);
}


/* MARKER at exactly physical address AT: 0 found, 1 not (or not dumped), 2 read error.
 * PFX prefixes the result lines ("" or "HP-"). */
static int marker_at_pfx(int fd, const Elf64_Ehdr *eh, const Elf64_Phdr *ph, const char *marker,
			 unsigned long long at, const char *pfx)
{
	size_t mlen = strlen(marker);
	char *b = malloc(mlen);
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *p = &ph[i];
		if (p->p_type != PT_LOAD || at < p->p_paddr || at + mlen > p->p_paddr + p->p_filesz) continue;
		errno = 0;
		if (rd(fd, b, mlen, p->p_offset + (at - p->p_paddr))) {
			printf("%sREAD-ERROR paddr=0x%llx file offset 0x%llx (PH%d): %s\n", pfx, at,
			       (unsigned long long)(p->p_offset + (at - p->p_paddr)), i, errno ? strerror(errno) : "end of file");
			free(b); return 2;
		}
		int ok = !memcmp(b, marker, mlen);
		free(b);
		printf("%sMARKER-AT-PADDR-%s paddr=0x%llx (PH%d)\n", pfx, ok ? "OK" : "MISMATCH", at, i);
		return ok ? 0 : 1;
	}
	free(b);
	printf("%sMARKER-AT-PADDR-NOT-DUMPED paddr=0x%llx\n", pfx, at);
	return 1;
}

static int marker_at(int fd, const Elf64_Ehdr *eh, const Elf64_Phdr *ph, const char *marker, unsigned long long at)
{
	return marker_at_pfx(fd, eh, ph, marker, at, "");
}

/* Scan every PT_LOAD for the marker, handling matches across chunk edges. */
static int marker_scan(int fd, const Elf64_Ehdr *eh, const Elf64_Phdr *ph, const char *marker)
{
	size_t mlen = strlen(marker), chunk = 4u << 20;
	char *buf = malloc(chunk + mlen);
	unsigned long long scanned = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *p = &ph[i];
		if (p->p_type != PT_LOAD) continue;
		size_t carry = 0;
		for (unsigned long long o = 0; o < p->p_filesz; ) {
			size_t n = p->p_filesz - o < chunk ? p->p_filesz - o : chunk;
			if (rd(fd, buf + carry, n, p->p_offset + o)) {
				printf("READ-ERROR at file offset 0x%llx\n", (unsigned long long)(p->p_offset + o));
				return 2;
			}
			size_t have = carry + n;
			char *hit = memmem(buf, have, marker, mlen);
			if (hit) {
				unsigned long long pa = p->p_paddr + o - carry + (hit - buf);
				printf("MARKER-FOUND paddr=0x%llx (scanned %llu MiB)\n", pa, (scanned + (hit - buf)) >> 20);
				return 0;
			}
			carry = mlen - 1 < have ? mlen - 1 : have;
			memmove(buf, buf + have - carry, carry);
			o += n; scanned += n;
		}
	}
	printf("MARKER-NOT-FOUND (scanned %llu MiB)\n", scanned >> 20);
	return 1;
}

/* Bytes of [start, end) that the PT_LOADs cover (by paddr), counted once; PT_LOADs that
 * touch the range are listed in *list. */
static unsigned long long covered(const Elf64_Ehdr *eh, const Elf64_Phdr *ph, unsigned long long start,
				  unsigned long long end, char *list, size_t lsz)
{
	unsigned long long got = 0, pos = start;
	list[0] = 0;
	while (pos < end) {	/* the PT_LOAD reaching furthest from pos */
		unsigned long long best = pos;
		int bi = -1;
		for (int i = 0; i < eh->e_phnum; i++) {
			const Elf64_Phdr *p = &ph[i];
			if (p->p_type != PT_LOAD || p->p_vaddr >= 0xffffffff80000000ULL) continue;
			if (p->p_paddr <= pos && p->p_paddr + p->p_filesz > best) { best = p->p_paddr + p->p_filesz; bi = i; }
		}
		if (bi < 0) {	/* a hole: skip to the next PT_LOAD start inside the range */
			unsigned long long next = end;
			for (int i = 0; i < eh->e_phnum; i++) {
				const Elf64_Phdr *p = &ph[i];
				if (p->p_type == PT_LOAD && p->p_vaddr < 0xffffffff80000000ULL &&
				    p->p_paddr > pos && p->p_paddr < next) next = p->p_paddr;
			}
			pos = next;
			continue;
		}
		if (best > end) best = end;
		got += best - pos;
		snprintf(list + strlen(list), lsz - strlen(list), "%sPH%d", list[0] ? "," : "", bi);
		pos = best;
	}
	return got;
}

/* The hot-added memory check (-h TOKEN2 [-x]). The first kernel wrote
 *   "E2E-HPDIR paddr=0x... start=0x... end=0x..."
 * at offset 2048 of the first marker page (-a PADDR) after the hot-add, and
 * "E2E-HPMARKER-TOKEN2" at that paddr, inside the hot-added range [start, end).
 * Present (default): a PT_LOAD must cover all of [start, end) and the marker must be
 * at its paddr. Absent (-x): no byte of [start, end) may be in the vmcore. */
static int hp_check(int fd, const Elf64_Ehdr *eh, const Elf64_Phdr *ph, unsigned long long at,
		    const char *token, int absent)
{
	char dir[256], list[256], marker[128];
	unsigned long long pa = 0, start = 0, end = 0, dpa = at + 2048;
	int i, found = 0;

	memset(dir, 0, sizeof(dir));
	for (i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *p = &ph[i];
		if (p->p_type != PT_LOAD || dpa < p->p_paddr || dpa + sizeof(dir) > p->p_paddr + p->p_filesz) continue;
		errno = 0;
		if (rd(fd, dir, sizeof(dir) - 1, p->p_offset + (dpa - p->p_paddr))) {
			printf("HP-READ-ERROR paddr=0x%llx: %s\n", dpa, errno ? strerror(errno) : "end of file");
			return 2;
		}
		found = 1;
		break;
	}
	if (!found || sscanf(dir, "E2E-HPDIR paddr=%llx start=%llx end=%llx", &pa, &start, &end) != 3) {
		printf("HP-CHECK-BAD: no E2E-HPDIR line at paddr 0x%llx (first marker page + 2048): "
		       "the first kernel did not place the hot-added marker\n", dpa);
		return 1;
	}
	printf("HP-DIR marker=0x%llx hot-added=[0x%llx, 0x%llx) (%llu MiB)\n", pa, start, end, (end - start) >> 20);
	if (pa < start || pa >= end) {
		printf("HP-CHECK-BAD: the hot-added marker 0x%llx is outside the hot-added range\n", pa);
		return 1;
	}
	unsigned long long got = covered(eh, ph, start, end, list, sizeof(list));
	if (got == end - start) printf("HP-RANGE-COVERED by %s\n", list);
	else if (got == 0) printf("HP-RANGE-NOT-DUMPED\n");
	else printf("HP-RANGE-PARTIAL %llu of %llu MiB, by %s\n", got >> 20, (end - start) >> 20, list);
	snprintf(marker, sizeof(marker), "E2E-HPMARKER-%s", token);
	int m = marker_at_pfx(fd, eh, ph, marker, pa, "HP-");
	if (m == 2) return 2;
	if (absent) {
		if (got == 0 && m == 1) { printf("HP-CHECK-OK expect=absent: the vmcore leaves the hot-added memory out\n"); return 0; }
		printf("HP-CHECK-BAD: expected the hot-added memory to be missing from the vmcore, but %llu MiB of it are there\n", got >> 20);
		return 1;
	}
	if (got == end - start && m == 0) { printf("HP-CHECK-OK expect=present: the hot-added memory and its marker are in the vmcore\n"); return 0; }
	if (got != end - start)
		printf("HP-CHECK-BAD: the vmcore covers %llu of the %llu MiB hot-added at 0x%llx\n", got >> 20, (end - start) >> 20, start);
	else
		printf("HP-CHECK-BAD: the hot-added marker is not at 0x%llx in the vmcore\n", pa);
	return 1;
}

/* The crash CMA check (-c START-END, repeatable; -C). Excluded (default): no PT_LOAD
 * (kernel text ones included) may hold a byte of any range, since the kdump kernel
 * uses that memory as its own RAM. Dumped (-C, ranges the loader left out for a kdump
 * kernel that could not take them): PT_LOADs must cover each range whole. */
#define CMA_MAX 8
static int cma_check(const Elf64_Ehdr *eh, const Elf64_Phdr *ph, const unsigned long long (*r)[2], int n, int dumped)
{
	int bad = 0;

	for (int k = 0; k < n; k++) {
		unsigned long long a = r[k][0], b = r[k][1] + 1, got = 0;	/* [a, b) */
		char list[256] = "";
		for (int i = 0; i < eh->e_phnum; i++) {
			const Elf64_Phdr *p = &ph[i];
			unsigned long long s = p->p_paddr, e = p->p_paddr + p->p_memsz;
			if (p->p_type != PT_LOAD || e <= a || s >= b) continue;
			got += (e < b ? e : b) - (s > a ? s : a);
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%sPH%d[0x%llx-0x%llx]",
				 list[0] ? "," : "", i, s, e - 1);
		}
		printf("CMA-RANGE 0x%llx-0x%llx (%llu MiB): %llu KiB in PT_LOADs%s%s\n", a, b - 1, (b - a) >> 20,
		       got >> 10, list[0] ? " " : "", list);
		if (!dumped && got) {
			printf("CMA-CHECK-BAD: PT_LOAD(s) %s overlap crash CMA range 0x%llx-0x%llx\n", list, a, b - 1);
			bad++;
		} else if (dumped && got != b - a) {
			printf("CMA-CHECK-BAD: expected the left-out range 0x%llx-0x%llx in the vmcore, %llu of %llu KiB are\n",
			       a, b - 1, got >> 10, (b - a) >> 10);
			bad++;
		}
	}
	if (!bad)
		printf("CMA-CHECK-OK expect=%s: %d range(s)\n", dumped ? "dumped" : "excluded", n);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *marker = NULL, *path = "/proc/vmcore";
	unsigned long long at = 0; int have_at = 0;
	const char *hp_token = NULL; int hp_absent = 0;
	int maxph = 64, opt;
	unsigned long long cma[CMA_MAX][2]; int ncma = 0, cma_dumped = 0;
	while ((opt = getopt(argc, argv, "vf:n:a:h:xc:C")) != -1) {
		if (opt == 'v') verbose = 1;
		else if (opt == 'f') marker = optarg;
		else if (opt == 'a') { at = strtoull(optarg, NULL, 0); have_at = 1; }
		else if (opt == 'n') maxph = atoi(optarg);
		else if (opt == 'h') hp_token = optarg;
		else if (opt == 'x') hp_absent = 1;
		else if (opt == 'c' && ncma < CMA_MAX && sscanf(optarg, "%llx-%llx", &cma[ncma][0], &cma[ncma][1]) == 2 &&
			 cma[ncma][0] <= cma[ncma][1]) ncma++;
		else if (opt == 'C') cma_dumped = 1;
		else { fprintf(stderr, "usage: %s [-v] [-f MARKER [-a PADDR]] [-h TOKEN2 [-x]] [-c START-END [-C]]... [-n N] [FILE]\n", argv[0]); return 2; }
	}
	if (optind < argc) path = argv[optind];
	if (hp_token && !have_at) { fprintf(stderr, "-h needs -a PADDR (the first marker page)\n"); return 2; }
	int fd = open(path, O_RDONLY);
	if (fd < 0) { perror(path); return 2; }
	struct stat st;
	fstat(fd, &st);
	Elf64_Ehdr eh;
	if (rd(fd, &eh, sizeof(eh), 0) || memcmp(eh.e_ident, ELFMAG, SELFMAG)) {
		fprintf(stderr, "%s: not an ELF file\n", path); return 2;
	}
	if (eh.e_ident[EI_CLASS] != ELFCLASS64) { fprintf(stderr, "only ELF64 supported\n"); return 2; }
	printf("ELF64 %s type=%u machine=%u phnum=%u size=%lld\n",
	       eh.e_ident[EI_DATA] == ELFDATA2LSB ? "LE" : "BE", eh.e_type,
	       eh.e_machine, eh.e_phnum, (long long)st.st_size);
	Elf64_Phdr *ph = calloc(eh.e_phnum, sizeof(*ph));
	if (!ph || rd(fd, ph, (size_t)eh.e_phnum * sizeof(*ph), eh.e_phoff)) { fprintf(stderr, "bad phdrs\n"); return 2; }
	unsigned long long total = 0; int nload = 0;
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr *p = &ph[i];
		if (i < maxph)
			printf("PH%-3d %-5s off=0x%010llx vaddr=0x%016llx paddr=0x%010llx filesz=0x%010llx memsz=0x%010llx\n",
			       i, ptype(p->p_type), (unsigned long long)p->p_offset,
			       (unsigned long long)p->p_vaddr, (unsigned long long)p->p_paddr,
			       (unsigned long long)p->p_filesz, (unsigned long long)p->p_memsz);
		if (p->p_type == PT_LOAD) { nload++; total += p->p_filesz; }
		if (p->p_type == PT_NOTE) dump_notes(fd, p);
	}
	printf("SUMMARY: %d PT_LOAD, %llu bytes (%llu MiB) of memory\n", nload, total, total >> 20);

	int bad = 0, ntext = 0;
	unsigned long long lin_off = 0; int have_lin = 0;
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr *p = &ph[i];
		if (p->p_type != PT_LOAD) continue;
		if (p->p_filesz != p->p_memsz) { printf("LAYOUT: PH%d filesz != memsz\n", i); bad++; }
		if (p->p_offset + p->p_filesz > (unsigned long long)st.st_size) { printf("LAYOUT: PH%d beyond end of file\n", i); bad++; }
		unsigned long long d = p->p_vaddr - p->p_paddr;
		if (eh.e_machine == EM_X86_64) {
			if (p->p_vaddr >= 0xffffffff80000000ULL) {
				ntext++;
				if (have_phys_base && d != 0xffffffff80000000ULL - (unsigned long long)phys_base) {
					printf("LAYOUT: PH%d kernel text vaddr-paddr=0x%llx, expected 0x%llx\n", i, d,
					       0xffffffff80000000ULL - (unsigned long long)phys_base); bad++; }
			} else if (p->p_vaddr) {
				if (!have_lin) { lin_off = d; have_lin = 1; }
				else if (d != lin_off) { printf("LAYOUT: PH%d direct-map offset 0x%llx != 0x%llx\n", i, d, lin_off); bad++; }
			}
		} else if (eh.e_machine == EM_AARCH64) {
			if (have_kimage_voffset && d == kimage_voffset) { ntext++; continue; }
			if (have_phys_offset && have_va_bits) {
				unsigned long long exp = (~0ULL << va_bits) - phys_offset;
				if (d != exp) { printf("LAYOUT: PH%d vaddr-paddr=0x%llx, expected linear 0x%llx or kimage_voffset 0x%llx\n",
						       i, d, exp, kimage_voffset); bad++; }
			}
		}
	}
	if (eh.e_machine == EM_X86_64 || eh.e_machine == EM_AARCH64)
		printf("LAYOUT-%s (%d kernel-text PT_LOAD, %d problems)\n", bad ? "BAD" : "OK", ntext, bad);
	int rc = bad ? 1 : 0;
	if (marker) {
		int m = have_at ? marker_at(fd, &eh, ph, marker, at) : marker_scan(fd, &eh, ph, marker);
		if (m) rc = m;
	}
	if (hp_token) {
		int h = hp_check(fd, &eh, ph, at, hp_token, hp_absent);
		if (h && rc != 2) rc = h;
	}
	if (ncma) {
		int c = cma_check(&eh, ph, (const unsigned long long (*)[2])cma, ncma, cma_dumped);
		if (c && rc != 2) rc = c;
	}
	return rc;
}
