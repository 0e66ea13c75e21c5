/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-purgatory-verify.c - run the real x86_64 purgatory in QEMU (TCG).
 *
 * The purgatory is linked by kexec/purgatory-load.c at 0x200000 and its
 * digest computed by kexec/digest.c over two fake segments (a "kernel" and
 * an "initrd"), exactly as a kexec load would.  A small multiboot stub then
 * plays the kernel's relocate_kernel: it enters long mode with an identity
 * map and a GDT of its own (no 0x18 selector, so a purgatory that did not
 * load its own GDT faults), zeroes every register but %rsp and "returns"
 * into purgatory_start.  The fake kernel checks the state it is entered
 * with (%cs 0x10, data selectors 0x18, %rsi, zeroed registers, interrupts
 * off) and reports through QEMU's isa-debug-exit device.
 *
 * Skipped (exit 77 for the program) when qemu-system-x86_64 is missing;
 * $KX_QEMU overrides the binary.
 */
#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "digest.h"
#include "purgatory/purgatory.h"
#include "purgatory.h"
#include "test.h"
#include "x86_64.h"

#define STUB_LOAD 0x100000ULL	/* multiboot load address of the stub */
#define PURG_ADDR 0x200000ULL
#define INITRD_ADDR 0x400000ULL
#define KERNEL_ADDR 0x1000000ULL
#define BOOT_PARAMS 0x12345000ULL	/* what %rsi must hold; never dereferenced */
#define EXIT_BOOTED 65		/* isa-debug-exit: (0x20 << 1) | 1 */

/*
 * The stub, assembled into the test's .rodata and copied out as a flat
 * multiboot image (a.out kludge: load at STUB_LOAD, enter at entry32).
 * Every address is an absolute expression, so it needs no relocation.
 * kt_kernel_* is the fake kernel: position independent, loaded separately.
 */
__asm__(
	".pushsection .rodata.kt_stub, \"a\"\n"
	".balign 16\n"
	".globl kt_stub_start, kt_stub_end, kt_stub_entry_slot\n"
	"kt_stub_start:\n"
	/* multiboot header: magic, flags (bit 16: address fields valid), checksum */
	"	.long 0x1badb002, 0x00010000, -(0x1badb002 + 0x00010000)\n"
	"	.long 0x100000 + (kt_stub_start - kt_stub_start)\n"	/* header_addr */
	"	.long 0x100000, 0, 0\n"	/* load_addr, load_end (whole file), bss_end */
	"	.long 0x100000 + (1f - kt_stub_start)\n"	/* entry_addr */
	".code32\n"
	"1:	cli\n"
	/* identity map 4 GiB with 2 MiB pages: PML4 0x10000, PDPT 0x11000, PDs 0x12000.. */
	"	movl $0x10000, %edi\n"
	"	xorl %eax, %eax\n"
	"	movl $(6 * 1024), %ecx\n"
	"	rep stosl\n"
	"	movl $0x11003, 0x10000\n"
	"	movl $0x12003, 0x11000\n"
	"	movl $0x13003, 0x11008\n"
	"	movl $0x14003, 0x11010\n"
	"	movl $0x15003, 0x11018\n"
	"	movl $0x12000, %edi\n"
	"	movl $0x83, %eax\n"
	"	movl $2048, %ecx\n"
	"2:	movl %eax, (%edi)\n"
	"	addl $0x200000, %eax\n"
	"	addl $8, %edi\n"
	"	loop 2b\n"
	"	movl %cr4, %eax\n"
	"	orl $0x20, %eax\n"	/* PAE */
	"	movl %eax, %cr4\n"
	"	movl $0x10000, %eax\n"
	"	movl %eax, %cr3\n"
	"	movl $0xc0000080, %ecx\n"	/* EFER.LME */
	"	rdmsr\n"
	"	orl $0x100, %eax\n"
	"	wrmsr\n"
	"	movl %cr0, %eax\n"
	"	orl $0x80000001, %eax\n"	/* PG | PE */
	"	movl %eax, %cr0\n"
	"	lgdt 0x100000 + (3f - kt_stub_start)\n"
	"	ljmp $0x08, $(0x100000 + (4f - kt_stub_start))\n"
	".code64\n"
	"4:	movl $0x10, %eax\n"
	"	movl %eax, %ds\n"
	"	movl %eax, %es\n"
	"	movl %eax, %ss\n"
	/* like relocate_kernel: only %rsp is set, and ret enters the image */
	"	movq 0x100000 + (kt_stub_entry_slot - kt_stub_start), %rax\n"
	"	movq %rax, 0x9000\n"
	"	movq $0x9000, %rsp\n"
	"	xorl %eax, %eax\n xorl %ebx, %ebx\n xorl %ecx, %ecx\n xorl %edx, %edx\n"
	"	xorl %esi, %esi\n xorl %edi, %edi\n xorl %ebp, %ebp\n"
	"	xorl %r8d, %r8d\n xorl %r9d, %r9d\n xorl %r10d, %r10d\n xorl %r11d, %r11d\n"
	"	xorl %r12d, %r12d\n xorl %r13d, %r13d\n xorl %r14d, %r14d\n xorl %r15d, %r15d\n"
	"	ret\n"
	".balign 8\n"
	"kt_stub_entry_slot: .quad 0\n"
	/* stub GDT: 0x08 code64, 0x10 data; limit ends there (no 0x18) */
	".balign 8\n"
	"5:	.quad 0, 0x00af9b000000ffff, 0x00cf93000000ffff\n"
	"3:	.word 23\n"
	"	.long 0x100000 + (5b - kt_stub_start)\n"
	"kt_stub_end:\n"

	".balign 16\n"
	".globl kt_kernel_start, kt_kernel_end\n"
	"kt_kernel_start:\n"
	/* registers first, before anything is clobbered: error bits in %r9d */
	"	orq %rbx, %rax\n orq %rcx, %rax\n orq %rdx, %rax\n orq %rdi, %rax\n orq %rbp, %rax\n"
	"	orq %r8, %rax\n orq %r9, %rax\n orq %r10, %rax\n orq %r11, %rax\n"
	"	orq %r12, %rax\n orq %r13, %rax\n orq %r14, %rax\n orq %r15, %rax\n"
	"	xorl %r9d, %r9d\n"
	"	testq %rax, %rax\n jz 1f\n orl $0x10, %r9d\n"
	"1:	movw %cs, %ax\n cmpw $0x10, %ax\n je 1f\n orl $0x01, %r9d\n"
	"1:	movw %ds, %ax\n cmpw $0x18, %ax\n je 1f\n orl $0x02, %r9d\n"
	"1:	movw %es, %ax\n cmpw $0x18, %ax\n je 1f\n orl $0x02, %r9d\n"
	"1:	movw %ss, %ax\n cmpw $0x18, %ax\n je 1f\n orl $0x04, %r9d\n"
	"1:	movabsq $0x12345000, %rax\n cmpq %rax, %rsi\n je 1f\n orl $0x08, %r9d\n"
	"1:	pushfq\n popq %rax\n testl $0x200, %eax\n jz 1f\n orl $0x20, %r9d\n"
	"1:	leaq 9f(%rip), %rsi\n"
	"	movw $0x3f8, %dx\n"
	"2:	lodsb\n testb %al, %al\n jz 3f\n outb %al, %dx\n jmp 2b\n"
	"3:	movw $0xf4, %dx\n"
	"	movl $0x20, %eax\n"
	"	testl %r9d, %r9d\n jz 4f\n"
	"	movl %r9d, %eax\n orl $0x40, %eax\n"
	"4:	outb %al, %dx\n"
	"5:	hlt\n jmp 5b\n"
	"9:	.asciz \"kernel-stub: entered\\r\\n\"\n"
	"kt_kernel_end:\n"
	".popsection\n");

extern const uint8_t kt_stub_start[], kt_stub_end[], kt_stub_entry_slot[];
extern const uint8_t kt_kernel_start[], kt_kernel_end[];

static const struct kx_arch test_arch = {
	.name = "x86_64",
	.elf_machine = EM_X86_64,
	.apply_rela = kx_x86_64_apply_rela,
	.reloc_name = kx_x86_64_reloc_name,
};

/* How the purgatory is set up for a run. */
struct boot {
	bool skip;		/* purgatory_skip_checks */
	bool debug;		/* purgatory_debug */
	uint16_t port;		/* purgatory_console_port */
	bool no_rip;		/* leave purgatory_entry_rip 0 */
	bool corrupt;		/* change the initrd after the digest */
};

struct result {
	int exit;		/* QEMU's exit status, -1 if it had to be killed */
	char serial[4096];
};

static const char *qemu_bin(void)
{
	static char path[512];
	const char *env = getenv("KX_QEMU"), *p = getenv("PATH");

	if (env && *env)
		return access(env, X_OK) == 0 ? env : NULL;
	while (p && *p) {
		size_t n = strcspn(p, ":");

		snprintf(path, sizeof(path), "%.*s/qemu-system-x86_64", (int)n, p);
		if (access(path, X_OK) == 0)
			return path;
		p += n + (p[n] == ':');
	}
	return NULL;
}

static void write_file(const char *dir, const char *name, const void *buf, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	ASSERT_TRUE(f);
	ASSERT_EQ(fwrite(buf, 1, len, f), len);
	ASSERT_EQ(fclose(f), 0);
}

static void read_serial(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, size - 1, f);
		fclose(f);
	}
	buf[n] = 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Run QEMU until it exits, or until @halt_marker shows on the serial line
 * (then give it @settle more seconds to exit anyway, and kill it).
 */
static void run_qemu(const char *dir, const char *halt_marker, double settle, struct result *res)
{
	char serial[512], arg_serial[600], arg_kernel[600], arg_purg[600], arg_kern[600], arg_initrd[600];
	const char *qemu = qemu_bin();
	double start = now(), marked = 0;
	pid_t pid;
	int status;

	snprintf(serial, sizeof(serial), "%s/serial.txt", dir);
	snprintf(arg_serial, sizeof(arg_serial), "file:%s", serial);
	snprintf(arg_kernel, sizeof(arg_kernel), "%s/stub.bin", dir);
	snprintf(arg_purg, sizeof(arg_purg), "loader,file=%s/purgatory.bin,addr=0x%llx,force-raw=on", dir,
		 PURG_ADDR);
	snprintf(arg_kern, sizeof(arg_kern), "loader,file=%s/kernel.bin,addr=0x%llx,force-raw=on", dir,
		 KERNEL_ADDR);
	snprintf(arg_initrd, sizeof(arg_initrd), "loader,file=%s/initrd.bin,addr=0x%llx,force-raw=on", dir,
		 INITRD_ADDR);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		execl(qemu, qemu, "-nodefaults", "-machine", "pc,accel=tcg", "-cpu", "qemu64", "-m", "128",
		      "-display", "none", "-no-reboot", "-serial", arg_serial,
		      "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-kernel", arg_kernel,
		      "-device", arg_purg, "-device", arg_kern, "-device", arg_initrd, (char *)NULL);
		_exit(127);
	}
	res->exit = -1;
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid) {
			res->exit = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			break;
		}
		read_serial(serial, res->serial, sizeof(res->serial));
		if (halt_marker && !marked && strstr(res->serial, halt_marker))
			marked = now();
		if ((marked && now() - marked > settle) || now() - start > 60) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		usleep(20000);
	}
	read_serial(serial, res->serial, sizeof(res->serial));
}

/* Link and patch the purgatory, hash the fake segments, write every file, run. */
static void boot(const struct boot *b, const char *halt_marker, double settle, struct result *res)
{
	const size_t kernel_len = (size_t)(kt_kernel_end - kt_kernel_start);
	const size_t stub_len = (size_t)(kt_stub_end - kt_stub_start);
	const size_t initrd_len = 40000;
	struct kx_purgatory pg;
	struct kx_plan plan;
	struct pg_sha_region reg[PG_MAX_REGIONS];
	struct kx_diag d = { 0 };
	uint8_t *initrd = malloc(initrd_len), *stub = malloc(stub_len), dg[32], skip = b->skip,
		debug = b->debug;
	uint64_t rip = KERNEL_ADDR, rsi = BOOT_PARAMS, s = 12345;
	const char *dir = kt_tmpdir();
	size_t i;
	int r;

	if (!qemu_bin())
		kt_skip("qemu-system-x86_64 not found");
	ASSERT_TRUE(initrd && stub);
	for (i = 0; i < initrd_len; i++) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		initrd[i] = (uint8_t)(s >> 56);
	}

	r = kx_purg_open(&pg, kx_purgatory_x86_64, kx_purgatory_x86_64_len, &test_arch, &d);
	if (r >= 0)
		r = kx_purg_relocate(&pg, PURG_ADDR, &d);
	if (r < 0)
		kt_fail(__FILE__, __LINE__, "%s", d.msg);
	ASSERT_TRUE(PURG_ADDR + pg.memsz <= INITRD_ADDR);

	/* the plan the digest is computed from, in kexec's segment order */
	kx_plan_init(&plan);
	plan.seg[0] = (struct kx_segment){ .role = KX_SEG_KERNEL, .buf = (void *)kt_kernel_start,
					   .bufsz = kernel_len, .mem = KERNEL_ADDR, .memsz = 8192,
					   .in_digest = true };
	plan.seg[1] = (struct kx_segment){ .role = KX_SEG_INITRD, .buf = initrd, .bufsz = initrd_len,
					   .mem = INITRD_ADDR, .memsz = 40960, .in_digest = true };
	plan.seg[2] = (struct kx_segment){ .role = KX_SEG_PURGATORY, .buf = pg.buf, .bufsz = pg.bufsz,
					   .mem = PURG_ADDR, .memsz = 32768, .in_digest = false };
	plan.n_seg = 3;
	ASSERT_OK(kx_digest_plan(&plan, reg, dg, &d));

	ASSERT_OK(kx_purg_set_sym(&pg, PG_SYM_REGIONS, reg, sizeof(reg), &d));
	ASSERT_OK(kx_purg_set_sym(&pg, PG_SYM_DIGEST, dg, sizeof(dg), &d));
	ASSERT_OK(kx_purg_set_sym(&pg, PG_SYM_SKIP, &skip, 1, &d));
	ASSERT_OK(kx_purg_set_sym(&pg, PG_SYM_DEBUG, &debug, 1, &d));
	ASSERT_OK(kx_purg_set_sym(&pg, PG_SYM_X86_CONSOLE, &b->port, 2, &d));
	if (!b->no_rip)
		ASSERT_OK(kx_purg_set_sym(&pg, PG_SYM_X86_RIP, &rip, 8, &d));
	ASSERT_OK(kx_purg_set_sym(&pg, PG_SYM_X86_RSI, &rsi, 8, &d));

	if (b->corrupt)
		initrd[initrd_len / 2] ^= 0x04;	/* "memory" changed after the digest */

	memcpy(stub, kt_stub_start, stub_len);
	memcpy(stub + (kt_stub_entry_slot - kt_stub_start), &pg.entry, 8);
	write_file(dir, "stub.bin", stub, stub_len);
	write_file(dir, "purgatory.bin", pg.buf, pg.bufsz);
	write_file(dir, "kernel.bin", kt_kernel_start, kernel_len);
	write_file(dir, "initrd.bin", initrd, initrd_len);
	kx_purg_done(&pg);
	free(initrd);
	free(stub);

	run_qemu(dir, halt_marker, settle, res);
}

static void expect_booted(const struct result *res)
{
	if (res->exit != EXIT_BOOTED)
		kt_fail(__FILE__, __LINE__, "QEMU exit %d (want %d: booted, state ok; %d..: bad state bits 0x%x); serial: %s",
			res->exit, EXIT_BOOTED, 129, res->exit > 128 ? (res->exit - 129) / 2 : 0, res->serial);
	ASSERT_CONTAINS(res->serial, "kernel-stub: entered");
}

TEST(digest_ok_boots_kernel_with_boot_protocol_state)
{
	struct boot b = { .port = 0x3f8 };
	struct result res;

	boot(&b, NULL, 0, &res);
	expect_booted(&res);
	/* quiet by default: nothing from the purgatory itself */
	ASSERT_TRUE(strstr(res.serial, "kexec-ng purgatory") == NULL);
}

TEST(debug_prints_progress)
{
	struct boot b = { .port = 0x3f8, .debug = true };
	struct result res;

	boot(&b, NULL, 0, &res);
	expect_booted(&res);
	ASSERT_CONTAINS(res.serial, "kexec-ng purgatory: digest ok");
	ASSERT_CONTAINS(res.serial, "jumping to 0x1000000 with rsi 0x12345000");
}

TEST(mismatch_reports_and_halts)
{
	struct boot b = { .port = 0x3f8, .corrupt = true };
	struct result res;

	boot(&b, "not booting", 1.0, &res);
	ASSERT_EQ(res.exit, (uint64_t)-1);	/* never reached the kernel, still halted */
	ASSERT_CONTAINS(res.serial, "kexec-ng purgatory: SHA-256 mismatch");
	ASSERT_CONTAINS(res.serial, "region 0 [0x1000000, 0x10000c9)");
	ASSERT_CONTAINS(res.serial, "region 1 [0x400000, 0x409c40)");
	ASSERT_TRUE(strstr(res.serial, "kernel-stub") == NULL);
}

TEST(mismatch_with_console_off_halts_silently)
{
	struct boot b = { .port = 0, .corrupt = true };
	struct result res;

	/* nothing to wait for on the line: give it time to reach the kernel, which it must not */
	boot(&b, "", 3.0, &res);
	ASSERT_EQ(res.exit, (uint64_t)-1);
	ASSERT_STREQ(res.serial, "");
}

TEST(skip_checks_boots_despite_mismatch)
{
	struct boot b = { .port = 0x3f8, .corrupt = true, .skip = true };
	struct result res;

	boot(&b, NULL, 0, &res);
	expect_booted(&res);
}

TEST(no_entry_point_refuses)
{
	struct boot b = { .port = 0x3f8, .no_rip = true };
	struct result res;

	boot(&b, "not booting", 1.0, &res);
	ASSERT_EQ(res.exit, (uint64_t)-1);
	ASSERT_CONTAINS(res.serial, "no kernel entry point");
}
