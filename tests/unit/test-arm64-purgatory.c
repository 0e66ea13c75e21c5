/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-arm64-purgatory.c - link the real arm64 purgatory object with the
 * generic linker (kexec/purgatory-*.c) and the arm64 relocations, at two
 * addresses, on whatever host runs the test; then check the symbol
 * contract, where the entry code's ADRP/ADD/LDR and BL now point, and
 * kx_arm64_purgatory_setup().  With qemu-system-aarch64 installed it also
 * boots the linked purgatory on a bare "virt" machine (MMU and caches off,
 * as after the kernel's soft restart): PL011 messages, the SHA-256 check
 * and the branch to a stub "kernel" that checks x0..x3 and powers off.
 *
 * In a non-arm64 build the object exists only when configure found an
 * aarch64 toolchain; without it this program is built with
 * KT_NO_ARM64_PURGATORY and every test reports SKIP.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <openssl/evp.h>

#include "arm64.h"
#include "ctx.h"
#include "purgatory.h"
#include "purgatory/purgatory.h"
#include "test.h"

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))
#define ADDR_A 0x80000000ULL
#define ADDR_B 0x100000000ULL

#ifdef KT_NO_ARM64_PURGATORY
static const unsigned char no_obj[1];
static const size_t no_len;
#define PG_OBJ no_obj
#define PG_LEN no_len
#define NEED_OBJ() kt_skip("no arm64 purgatory object: configure found no aarch64-linux-gnu toolchain")
#else
#define PG_OBJ kx_purgatory_arm64
#define PG_LEN kx_purgatory_arm64_len
#define NEED_OBJ() do { } while (0)
#endif

static const struct kx_arch test_arch = {
	.name = "arm64",
	.elf_machine = EM_AARCH64,
	.purgatory = PG_OBJ,
	.purgatory_len = &PG_LEN,
	.apply_rela = kx_arm64_apply_rela,
	.reloc_name = kx_arm64_reloc_name,
};

static const struct {
	const char *name;
	size_t size;
} contract[] = {
	{ PG_SYM_REGIONS, sizeof(struct pg_sha_region) * PG_MAX_REGIONS },
	{ PG_SYM_DIGEST, 32 },
	{ PG_SYM_SKIP, 1 },
	{ PG_SYM_DEBUG, 1 },
	{ PG_SYM_ARM64_ENTRY, 8 },
	{ PG_SYM_ARM64_DTB, 8 },
	{ PG_SYM_ARM64_UART, 8 },
};

static void open_at(struct kx_purgatory *pg, uint64_t addr)
{
	struct kx_diag d = { 0 };

	NEED_OBJ();
	memset(pg, 0, sizeof(*pg));
	if (kx_purg_open(pg, PG_OBJ, PG_LEN, &test_arch, &d) < 0)
		kt_fail(__FILE__, __LINE__, "open: %s", d.msg);
	if (kx_purg_relocate(pg, addr, &d) < 0)
		kt_fail(__FILE__, __LINE__, "relocate at 0x%llx: %s", (unsigned long long)addr, d.msg);
}

static uint32_t insn_at(const struct kx_purgatory *pg, uint64_t addr)
{
	const uint8_t *p;

	ASSERT_TRUE(addr >= pg->load_addr && addr + 4 <= pg->load_addr + pg->bufsz);
	p = pg->buf + (addr - pg->load_addr);
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int64_t sext(uint64_t v, unsigned bits)
{
	return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

/* what ADRP at @pc computes */
static uint64_t adrp_target(uint32_t i, uint64_t pc)
{
	uint64_t imm = ((i >> 29) & 3) | (uint64_t)((i >> 5) & 0x7ffff) << 2;

	ASSERT_EQ(i & 0x9f000000u, 0x90000000u);
	return (pc & ~0xfffULL) + (uint64_t)(sext(imm, 21) * 4096);
}

TEST(links_at_two_addresses)
{
	struct kx_purgatory a, b;
	uint64_t sa, sb;
	size_t i;

	open_at(&a, ADDR_A);
	open_at(&b, ADDR_B);
	ASSERT_EQ(a.entry, ADDR_A + (b.entry - ADDR_B));
	ASSERT_TRUE(a.entry >= ADDR_A && a.entry < ADDR_A + a.bufsz);
	ASSERT_OK(kx_purg_sym_addr(&a, "purgatory_start", &sa));
	ASSERT_EQ(sa, a.entry);
	for (i = 0; i < N_ELEM(contract); i++) {
		uint8_t buf[512];

		ASSERT_OK(kx_purg_sym_addr(&a, contract[i].name, &sa));
		ASSERT_OK(kx_purg_sym_addr(&b, contract[i].name, &sb));
		ASSERT_EQ(sb - ADDR_B, sa - ADDR_A);
		ASSERT_TRUE(sa >= ADDR_A && sa + contract[i].size <= ADDR_A + a.bufsz);
		/* the exact size, and patchable (in a PROGBITS section) */
		memset(buf, 0, sizeof(buf));
		ASSERT_OK(kx_purg_set_sym(&a, contract[i].name, buf, contract[i].size, NULL));
		ASSERT_ERR(kx_purg_set_sym(&a, contract[i].name, buf, contract[i].size + 1, NULL), -EINVAL);
	}
	/* no x86 symbol leaked in */
	ASSERT_ERR(kx_purg_sym_addr(&a, PG_SYM_X86_CONSOLE, &sa), -ENOENT);
	kx_purg_done(&a);
	kx_purg_done(&b);
}

/*
 * purgatory_start: adrp x9, pg_stack_end; add x9, x9, :lo12:; mov sp, x9;
 * bl cpu_enter; bl main; bl cpu_leave; adrp/ldr x9 <- kernel entry;
 * adrp/ldr x0 <- dtb; three movs; br x9.  Decode what the linked words
 * now address.
 */
static void check_entry_code(uint64_t load)
{
	struct kx_purgatory pg;
	uint64_t pc, t, sym;
	uint32_t i;

	open_at(&pg, load);
	pc = pg.entry;
	/* the stack: its end is in .bss, 16-byte aligned */
	t = adrp_target(insn_at(&pg, pc), pc);
	i = insn_at(&pg, pc + 4);
	ASSERT_EQ(i & 0xffc00000u, 0x91000000u);	/* add x, x, #imm12 */
	t += (i >> 10) & 0xfff;
	ASSERT_TRUE(t > load + pg.bufsz && t <= load + pg.memsz);
	ASSERT_EQ(t & 15, 0);
	/* bl pg_arm64_main, the second call */
	i = insn_at(&pg, pc + 16);
	ASSERT_EQ(i & 0xfc000000u, 0x94000000u);
	ASSERT_OK(kx_purg_sym_addr(&pg, "pg_arm64_main", &sym));
	ASSERT_EQ(pc + 16 + (uint64_t)(sext(i & 0x3ffffff, 26) * 4), sym);
	/* the kernel entry and the DTB loads */
	t = adrp_target(insn_at(&pg, pc + 24), pc + 24);
	i = insn_at(&pg, pc + 28);
	ASSERT_EQ(i & 0xffc00000u, 0xf9400000u);	/* ldr x, [x, #imm12 * 8] */
	t += ((i >> 10) & 0xfff) * 8;
	ASSERT_OK(kx_purg_sym_addr(&pg, PG_SYM_ARM64_ENTRY, &sym));
	ASSERT_EQ(t, sym);
	t = adrp_target(insn_at(&pg, pc + 32), pc + 32);
	i = insn_at(&pg, pc + 36);
	ASSERT_EQ(i & 0xffc0001fu, 0xf9400000u);	/* ldr x0 */
	t += ((i >> 10) & 0xfff) * 8;
	ASSERT_OK(kx_purg_sym_addr(&pg, PG_SYM_ARM64_DTB, &sym));
	ASSERT_EQ(t, sym);
	kx_purg_done(&pg);
}

TEST(entry_code_addresses_low)
{
	check_entry_code(ADDR_A);
}

TEST(entry_code_addresses_high)
{
	check_entry_code(ADDR_B);
}

/* every 64-bit literal the C code loads addresses must land inside the image after relocation */
TEST(abs64_moves_with_the_image)
{
	struct kx_purgatory a, b;
	size_t off, moved = 0;

	open_at(&a, ADDR_A);
	open_at(&b, ADDR_B);
	ASSERT_EQ(a.bufsz, b.bufsz);
	for (off = 0; off + 8 <= a.bufsz; off += 4) {
		uint64_t va, vb;

		memcpy(&va, a.buf + off, 8);
		memcpy(&vb, b.buf + off, 8);
		if (va == vb || off % 8)
			continue;
		/* a relocated address, not code: differs by the move, points inside */
		if (vb - va == ADDR_B - ADDR_A && va >= ADDR_A && va <= ADDR_A + a.memsz) {
			moved++;
			off += 4;
		}
	}
	ASSERT_TRUE(moved > 0);
	kx_purg_done(&a);
	kx_purg_done(&b);
}

static bool last_final;

static int setup(struct kx_purgatory *pg, const char *serial, bool with_dtb, struct kx_diag *d)
{
	struct kx_opts o = { 0 };
	struct kx_ctx ctx = { 0 };
	struct kx_plan plan;
	int r;

	o.serial = serial;
	o.console_serial = serial != NULL;
	ctx.o = &o;
	ctx.d = d;
	memset(d, 0, sizeof(*d));
	kx_plan_init(&plan);
	plan.seg[0].role = KX_SEG_KERNEL;
	plan.seg[0].mem = 0x40200000;
	plan.seg[1].role = with_dtb ? KX_SEG_DTB : KX_SEG_INITRD;
	plan.seg[1].mem = 0x48000000;
	plan.n_seg = 2;
	r = kx_arm64_purgatory_setup(&ctx, &plan, pg);
	last_final = ctx.final;
	plan.n_seg = 0;
	kx_plan_done(&plan);
	return r;
}

TEST(purgatory_setup)
{
	struct kx_purgatory pg;
	struct kx_diag d = { 0 };
	uint64_t v;

	open_at(&pg, ADDR_A);
	ASSERT_OK(setup(&pg, NULL, true, &d));
	ASSERT_OK(kx_purg_get_sym(&pg, PG_SYM_ARM64_ENTRY, &v, 8, NULL));
	ASSERT_EQ(v, 0x40200000);
	ASSERT_OK(kx_purg_get_sym(&pg, PG_SYM_ARM64_DTB, &v, 8, NULL));
	ASSERT_EQ(v, 0x48000000);
	ASSERT_OK(kx_purg_get_sym(&pg, PG_SYM_ARM64_UART, &v, 8, NULL));
	ASSERT_EQ(v, 0);
	ASSERT_OK(setup(&pg, "0x9000000", true, &d));
	ASSERT_OK(kx_purg_get_sym(&pg, PG_SYM_ARM64_UART, &v, 8, NULL));
	ASSERT_EQ(v, 0x9000000);
	ASSERT_ERR(setup(&pg, "ttyS0", true, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "Bad serial port base 'ttyS0'");
	ASSERT_TRUE(last_final);	/* the user's value: -a must not try the other syscall */
	ASSERT_ERR(setup(&pg, "0x9000002", true, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "Bad serial port base '0x9000002'");
	ASSERT_ERR(setup(&pg, NULL, false, &d), -EINVAL);
	ASSERT_CONTAINS(d.msg, "dtb");
	ASSERT_FALSE(last_final);
	kx_purg_done(&pg);
}

/* ---- the linked purgatory on a bare qemu "virt" machine ---- */

#define QEMU_PG 0x40100000ULL
#define QEMU_KERNEL 0x40200000ULL
#define QEMU_DTB 0x44000000ULL
#define QEMU_DATA 0x48000000ULL
#define QEMU_UART 0x09000000ULL
#define QEMU_DATA_LEN 65536

/*
 * The stub kernel: if x0 == QEMU_DTB and x1 == x2 == x3 == 0, write "K\n"
 * to the PL011 and power off through PSCI SYSTEM_OFF (hvc); else spin.
 *   movz x9, #0x4400, lsl #16; cmp x0, x9; b.ne 1f; orr x1, x1, x2;
 *   orr x1, x1, x3; cbnz x1, 1f; movz x1, #0x0900, lsl #16; mov w2, #'K';
 *   str w2, [x1]; mov w2, #'\n'; str w2, [x1]; movz x0, #0x8400, lsl #16;
 *   movk x0, #8; hvc #0; 1: b 1b
 */
static const uint32_t stub_kernel[] = {
	0xd2a88009, 0xeb09001f, 0x54000181, 0xaa020021, 0xaa030021, 0xb5000121, 0xd2a12001, 0x52800962,
	0xb9000022, 0x52800142, 0xb9000022, 0xd2b08000, 0xf2800100, 0xd4000002, 0x14000000,
};

static void write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	ASSERT_TRUE(f);
	ASSERT_EQ(fwrite(buf, 1, len, f), len);
	ASSERT_EQ(fclose(f), 0);
}

static void put32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* run the purgatory in qemu for at most @secs seconds; the serial output in @out */
static int boot_in_qemu(bool corrupt, unsigned secs, char *out, size_t outsz)
{
	static uint8_t data[QEMU_DATA_LEN];
	uint8_t kern[sizeof(stub_kernel)], digest[32];
	struct pg_sha_region regions[PG_MAX_REGIONS];
	struct kx_purgatory pg;
	const char *dir;
	char cmd[2048], path[512];
	uint64_t v;
	uint8_t one = 1, zero = 0;
	unsigned dlen;
	size_t i, n;
	FILE *f;
	int r;

	NEED_OBJ();
	if (system("command -v qemu-system-aarch64 >/dev/null 2>&1") != 0)
		kt_skip("qemu-system-aarch64 is not installed");
	dir = kt_tmpdir();
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	for (i = 0; i < N_ELEM(stub_kernel); i++)
		put32le(kern + 4 * i, stub_kernel[i]);
	/* an odd start and length: the hash reads bytes at any alignment, MMU off */
	memset(regions, 0, sizeof(regions));
	regions[0].start = QEMU_DATA + 1;
	regions[0].len = QEMU_DATA_LEN - 3;
	ASSERT_TRUE(EVP_Digest(data + 1, QEMU_DATA_LEN - 3, digest, &dlen, EVP_sha256(), NULL));
	if (corrupt)
		digest[7] ^= 0x40;

	open_at(&pg, QEMU_PG);
	v = QEMU_KERNEL;
	ASSERT_OK(kx_purg_set_sym(&pg, PG_SYM_ARM64_ENTRY, &v, 8, NULL));
	v = QEMU_DTB;
	ASSERT_OK(kx_purg_set_sym(&pg, PG_SYM_ARM64_DTB, &v, 8, NULL));
	v = QEMU_UART;
	ASSERT_OK(kx_purg_set_sym(&pg, PG_SYM_ARM64_UART, &v, 8, NULL));
	ASSERT_OK(kx_purg_set_sym(&pg, PG_SYM_DEBUG, &one, 1, NULL));
	ASSERT_OK(kx_purg_set_sym(&pg, PG_SYM_SKIP, &zero, 1, NULL));
	ASSERT_OK(kx_purg_set_sym(&pg, PG_SYM_REGIONS, regions, sizeof(regions), NULL));
	ASSERT_OK(kx_purg_set_sym(&pg, PG_SYM_DIGEST, digest, 32, NULL));
	snprintf(path, sizeof(path), "%s/pg.bin", dir);
	write_file(path, pg.buf, pg.bufsz);
	snprintf(path, sizeof(path), "%s/kernel.bin", dir);
	write_file(path, kern, sizeof(kern));
	snprintf(path, sizeof(path), "%s/data.bin", dir);
	write_file(path, data, sizeof(data));
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && timeout %u qemu-system-aarch64 -M virt -cpu cortex-a57 -m 1G -display none "
		 "-nographic -monitor none -serial file:serial.txt "
		 "-device loader,file=pg.bin,addr=0x%llx,force-raw=on "
		 "-device loader,file=kernel.bin,addr=0x%llx,force-raw=on "
		 "-device loader,file=data.bin,addr=0x%llx,force-raw=on "
		 "-device loader,addr=0x%llx,cpu-num=0 </dev/null >qemu.txt 2>&1",
		 dir, secs, (unsigned long long)QEMU_PG, (unsigned long long)QEMU_KERNEL,
		 (unsigned long long)QEMU_DATA, (unsigned long long)pg.entry);
	kx_purg_done(&pg);
	r = system(cmd);
	snprintf(path, sizeof(path), "%s/serial.txt", dir);
	f = fopen(path, "r");
	n = f ? fread(out, 1, outsz - 1, f) : 0;
	out[n] = '\0';
	if (f)
		fclose(f);
	return r == -1 ? -1 : WEXITSTATUS(r);
}

TEST(boots_stub_kernel_in_qemu)
{
	char out[4096];
	int r = boot_in_qemu(false, 60, out, sizeof(out));

	if (r != 0)
		kt_fail(__FILE__, __LINE__, "qemu exit %d (124: the stub kernel never powered off); serial:\n%s", r, out);
	ASSERT_CONTAINS(out, "kexec-ng purgatory: digest ok");
	ASSERT_CONTAINS(out, "jumping to 0x40200000 with x0 0x44000000");
	/* the stub saw x0 = DTB and x1..x3 = 0 */
	ASSERT_CONTAINS(out, "\nK\n");
}

TEST(mismatch_halts_in_qemu)
{
	char out[4096];
	int r = boot_in_qemu(true, 3, out, sizeof(out));

	ASSERT_EQ(r, 124);	/* still halted when timeout killed it */
	ASSERT_CONTAINS(out, "SHA-256 mismatch");
	ASSERT_CONTAINS(out, "region 0 [0x48000001, 0x4800fffe)");
	ASSERT_TRUE(strstr(out, "jumping") == NULL);
	ASSERT_TRUE(strstr(out, "K\n") == NULL);
}
