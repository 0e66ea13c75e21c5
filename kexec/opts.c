/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * opts.c - one getopt_long pass over every option.  Flags are collected
 * first and the action is derived afterwards, so "-p -u" and "-u -p" mean
 * the same thing (unlike kexec-tools).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "capacity.h"
#include "opts.h"

enum {
	OPT_MEM_MIN = 256, OPT_MEM_MAX, OPT_REUSEINITRD, OPT_PRINT_CKR, OPT_LOAD_PRESERVE,
	OPT_LOAD_JUMP_BACK, OPT_ENTRY, OPT_HOTPLUG, OPT_INITRD, OPT_APPEND, OPT_REUSE_CMDLINE,
	OPT_DTB, OPT_DRY_RUN, OPT_JSON, OPT_ROOT, OPT_CAPTURE_ROOT, OPT_RESET_VGA, OPT_SERIAL,
	OPT_SERIAL_BAUD, OPT_CONSOLE_VGA, OPT_CONSOLE_SERIAL, OPT_ELF32, OPT_ELF64,
	OPT_PASS_MEMMAP, OPT_NOEFI, OPT_REUSE_VIDEO, OPT_REAL_MODE, OPT_ENTRY32, OPT_DUMP_SEGMENTS,
	OPT_NO_HOTPLUG, OPT_ELFCOREHDR_SLOTS, OPT_RELOAD_ELFCOREHDR, OPT_VERIFY_DIGEST,
	OPT_DMA_LIMIT, OPT_IGNORE_DMA_LIMIT, OPT_CRASH_CMA,
};

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'v' },
	{ "debug", no_argument, NULL, 'd' },
	{ "force", no_argument, NULL, 'f' },
	{ "no-checks", no_argument, NULL, 'i' },
	{ "no-ifdown", no_argument, NULL, 'x' },
	{ "no-sync", no_argument, NULL, 'y' },
	{ "load", no_argument, NULL, 'l' },
	{ "load-panic", no_argument, NULL, 'p' },
	{ "unload", no_argument, NULL, 'u' },
	{ "exec", no_argument, NULL, 'e' },
	{ "type", required_argument, NULL, 't' },
	{ "kexec-file-syscall", no_argument, NULL, 's' },
	{ "kexec-syscall", no_argument, NULL, 'c' },
	{ "kexec-syscall-auto", no_argument, NULL, 'a' },
	{ "status", no_argument, NULL, 'S' },
	{ "mem-min", required_argument, NULL, OPT_MEM_MIN },
	{ "mem-max", required_argument, NULL, OPT_MEM_MAX },
	{ "reuseinitrd", no_argument, NULL, OPT_REUSEINITRD },
	{ "print-ckr-size", no_argument, NULL, OPT_PRINT_CKR },
	{ "load-preserve-context", no_argument, NULL, OPT_LOAD_PRESERVE },
	{ "load-jump-back-helper", no_argument, NULL, OPT_LOAD_JUMP_BACK },
	{ "entry", required_argument, NULL, OPT_ENTRY },
	{ "hotplug", no_argument, NULL, OPT_HOTPLUG },
	{ "no-hotplug", no_argument, NULL, OPT_NO_HOTPLUG },
	{ "reload-elfcorehdr", no_argument, NULL, OPT_RELOAD_ELFCOREHDR },
	{ "verify-digest", no_argument, NULL, OPT_VERIFY_DIGEST },
	{ "elfcorehdr-slots", required_argument, NULL, OPT_ELFCOREHDR_SLOTS },
	{ "dma-limit", required_argument, NULL, OPT_DMA_LIMIT },
	{ "ignore-dma-limit", no_argument, NULL, OPT_IGNORE_DMA_LIMIT },
	{ "crash-cma", optional_argument, NULL, OPT_CRASH_CMA },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "ramdisk", required_argument, NULL, OPT_INITRD },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "command-line", required_argument, NULL, OPT_APPEND },
	{ "reuse-cmdline", no_argument, NULL, OPT_REUSE_CMDLINE },
	{ "dtb", required_argument, NULL, OPT_DTB },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "capture-root", required_argument, NULL, OPT_CAPTURE_ROOT },
	{ "dump-segments", required_argument, NULL, OPT_DUMP_SEGMENTS },
	/* x86 */
	{ "reset-vga", no_argument, NULL, OPT_RESET_VGA },
	{ "serial", required_argument, NULL, OPT_SERIAL },
	{ "serial-baud", required_argument, NULL, OPT_SERIAL_BAUD },
	{ "console-vga", no_argument, NULL, OPT_CONSOLE_VGA },
	{ "console-serial", no_argument, NULL, OPT_CONSOLE_SERIAL },
	{ "elf32-core-headers", no_argument, NULL, OPT_ELF32 },
	{ "elf64-core-headers", no_argument, NULL, OPT_ELF64 },
	{ "pass-memmap-cmdline", no_argument, NULL, OPT_PASS_MEMMAP },
	{ "noefi", no_argument, NULL, OPT_NOEFI },
	{ "reuse-video-type", no_argument, NULL, OPT_REUSE_VIDEO },
	{ "real-mode", no_argument, NULL, OPT_REAL_MODE },
	{ "entry-32bit", no_argument, NULL, OPT_ENTRY32 },
	{ NULL, 0, NULL, 0 },
};

void kx_usage(void *stream)
{
	fputs("Usage: kexec [OPTIONS] [KERNEL]\n"
	      "Load a new kernel to boot now (-l, -e) or on a crash (-p).\n\n"
	      "Actions:\n"
	      "  -l, --load                 load KERNEL for a later kexec -e\n"
	      "  -p, --load-panic           load KERNEL as the crash (kdump) kernel\n"
	      "  -u, --unload               unload the loaded kernel (the crash kernel with -p)\n"
	      "  -e, --exec                 boot the loaded kernel now\n"
	      "  -S, --status               exit 1 if a crash kernel (with -l: a kernel) is loaded, else 0\n"
	      "  -f, --force                load KERNEL and boot it now\n"
	      "  (the last of -l, -p, -u, -e, -f wins, as in kexec-tools; -p also makes -u and -S act on the crash kernel)\n"
	      "      --print-ckr-size       print the crash kernel region size in bytes\n"
	      "  -h, --help                 this help; -v, --version  print the version\n\n"
	      "Kernel and boot data:\n"
	      "      --initrd=FILE, --ramdisk=FILE   initial ramdisk\n"
	      "      --append=S, --command-line=S    command line (the last one wins)\n"
	      "      --reuse-cmdline        start from the running kernel's command line (minus BOOT_IMAGE=, and crashkernel= with -p)\n"
	      "      --dtb=FILE             x86: pass FILE as SETUP_DTB setup_data\n"
	      "  -t, --type=TYPE            the image type to use (bzImage64)\n\n"
	      "Syscall:\n"
	      "  -a, --kexec-syscall-auto   kexec_load, then kexec_file_load if kexec_load is refused,\n"
	      "                             cannot be planned (no /proc/kcore ...) or the kernel is locked down (default)\n"
	      "  -c, --kexec-syscall        kexec_load only\n"
	      "  -s, --kexec-file-syscall   kexec_file_load only\n"
	      "  (the last of -a, -c, -s wins)\n\n"
	      "Checks and plans:\n"
	      "  -i, --no-checks            the purgatory does not verify the SHA-256 digest\n"
	      "      --dry-run              print the plan instead of loading (no privileges needed)\n"
	      "      --json                 print the plan as JSON (with --dry-run)\n"
	      "      --root=DIR             read /proc and /sys from DIR (a captured machine)\n"
	      "      --capture-root=DIR     copy the files kexec reads into DIR, for --root\n"
	      "      --dump-segments=DIR    with --dry-run: write each segment's bytes and a manifest to DIR\n"
	      "      --mem-min=ADDR, --mem-max=ADDR  limit where segments go\n"
	      "      --dma-limit=ADDR       arm64: the end of DMA-capable memory (default: zone DMA/DMA32, DT dma-ranges, 4 GiB)\n"
	      "      --ignore-dma-limit     arm64: load a crash kernel that gets no memory below the DMA limit\n\n"
	      "Crash header and hotplug (-p):\n"
	      "      --hotplug              the kernel must rewrite the header on hotplug (CONFIG_CRASH_HOTPLUG)\n"
	      "      --no-hotplug           it must not: kexec --reload-elfcorehdr does, from udev\n"
	      "      --elfcorehdr-slots=N   program header slots in the header (default: today's map + what can be hot-added)\n"
	      "      --reload-elfcorehdr    after hotplug: rewrite the loaded crash kernel's header (udev runs this)\n"
	      "      --verify-digest        with --reload-elfcorehdr: re-hash the kernel and initrd against the digest\n"
	      "      --crash-cma[=LIST]     give the kdump kernel the crashkernel=,cma memory as RAM and keep it out of the\n"
	      "                             dump: the kernel's ranges (sys/kernel/kexec/crash_cma_ranges), or LIST =\n"
	      "                             START-END[,START-END...] (inclusive, hex) or SIZE@START (K/M/G), at most 4\n"
	      "  -d, --debug                say which syscall runs and why\n"
	      "  -x, --no-ifdown            do not bring network interfaces down before -e\n"
	      "  -y, --no-sync              do not sync file systems before -e\n\n"
	      "x86_64:\n"
	      "      --serial=ttyS0|ttyS1|0xPORT, --console-serial   purgatory messages on that UART\n"
	      "                                  (arm64: --serial=0xADDR, a PL011 MMIO base)\n"
	      "      --noefi                the next kernel gets no EFI runtime services\n"
	      "      --reset-vga, --console-vga, --serial-baud=N, --elf64-core-headers  accepted, no effect\n",
	      (FILE *)stream);
}

static int parse_addr(const char *name, const char *s, uint64_t *ret, struct kx_diag *d)
{
	if (kx_parse_u64(s, 0, ret) < 0)
		return kx_diag_set(d, -EINVAL, "Bad option value in --%s=%s", name, s);
	return 0;
}

/*
 * --serial: only the arch-independent shape is checked here (ttyS0, ttyS1 or
 * a nonzero number), so a typo fails before anything is read; the arch's
 * purgatory setup checks the value itself, with the same message.
 */
static int check_serial(const char *s, struct kx_diag *d)
{
	uint64_t v;

	if (!strcmp(s, "ttyS0") || !strcmp(s, "ttyS1") || (kx_parse_u64(s, 0, &v) == 0 && v))
		return 0;
	return kx_diag_set(d, -EINVAL, "Bad serial port base '%s'", s);
}

int kx_opts_parse(struct kx_opts *o, int argc, char **argv, struct kx_diag *d)
{
	bool f_help = false, f_version = false, f_ckr = false, f_status = false, f_opt_load = false, f_reload = false;
	int c, r;

	memset(o, 0, sizeof(*o));
	o->root = "/";
	/* kexec-tools' starting point: a bare "kexec KERNEL" loads, then shuts down */
	o->do_load = o->do_shutdown = true;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hvdfixyluet:pscaS", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': f_help = true; break;
		case 'v': f_version = true; break;
		case 'd': o->debug = true; break;
		case 'i': o->no_checks = true; break;
		case 'x': o->no_ifdown = true; break;
		case 'y': o->no_sync = true; break;
		/* the step options: each one sets all steps, so the last one wins */
		case 'f':
			o->do_load = o->do_exec = true;
			o->do_shutdown = false;
			break;
		case 'l':
			o->do_load = true;
			o->do_exec = o->do_shutdown = false;
			f_opt_load = true;
			break;
		case 'p':
			o->do_load = true;
			o->do_exec = o->do_shutdown = false;
			o->crash = true;
			break;
		case 'u':
			o->do_unload = true;
			o->do_load = o->do_shutdown = false;
			break;
		case 'e':
			o->do_exec = true;
			o->do_load = o->do_shutdown = false;
			break;
		case 't': o->type = optarg; break;
		case 'S': f_status = true; break;
		/* the syscall: last one wins, as in kexec-tools (SUSE appends -a, Fedora -s) */
		case 's': o->sysmode = KX_SYS_FILE_ONLY; break;
		case 'c': o->sysmode = KX_SYS_LOAD_ONLY; break;
		case 'a': o->sysmode = KX_SYS_AUTO; break;
		case OPT_MEM_MIN:
			r = parse_addr("mem-min", optarg, &o->mem_min, d);
			if (r < 0)
				return r;
			break;
		case OPT_MEM_MAX:
			r = parse_addr("mem-max", optarg, &o->mem_max, d);
			if (r < 0)
				return r;
			break;
		case OPT_PRINT_CKR: f_ckr = true; break;
		case OPT_INITRD: o->initrd = optarg; break;
		case OPT_APPEND: o->append = optarg; break;
		case OPT_REUSE_CMDLINE: o->reuse_cmdline = true; break;
		case OPT_DTB: o->dtb = optarg; break;
		case OPT_DRY_RUN: o->dry_run = true; break;
		case OPT_JSON: o->json = true; break;
		case OPT_ROOT: o->root = optarg; break;
		case OPT_CAPTURE_ROOT: o->capture_root = optarg; break;
		case OPT_DUMP_SEGMENTS: o->dump_segments = optarg; break;
		case OPT_SERIAL:
			r = check_serial(optarg, d);
			if (r < 0)
				return r;
			o->serial = optarg;
			o->console_serial = true;
			break;
		case OPT_CONSOLE_SERIAL: o->console_serial = true; break;
		case OPT_SERIAL_BAUD: {
			uint64_t b;

			if (kx_parse_u64(optarg, 10, &b) < 0 || b < 9600 || b > 115200 || 115200 % b)
				return kx_diag_set(d, -EINVAL, "Bad serial port baud rate '%s'", optarg);
			o->ignored |= KX_IGNORED_SERIAL_BAUD;
			break;
		}
		case OPT_NOEFI: o->noefi = true; break;
		case OPT_RESET_VGA: o->ignored |= KX_IGNORED_RESET_VGA; break;
		case OPT_CONSOLE_VGA: o->ignored |= KX_IGNORED_CONSOLE_VGA; break;
		case OPT_REUSE_VIDEO: o->ignored |= KX_IGNORED_REUSE_VIDEO; break;
		case OPT_ELF64: o->ignored |= KX_IGNORED_ELF64; break;
		case OPT_ELF32:
			return kx_diag_set(d, -EINVAL, "--elf32-core-headers: x86_64 crash headers are always ELF64");
		case OPT_PASS_MEMMAP:
			return kx_diag_set(d, -EINVAL, "--pass-memmap-cmdline is not supported: the kdump memory map always goes into boot_params e820 (and SETUP_E820_EXT)");
		case OPT_REAL_MODE: case OPT_ENTRY32:
			return kx_diag_set(d, -EINVAL, "--%s: only the 64-bit bzImage entry is supported", c == OPT_REAL_MODE ? "real-mode" : "entry-32bit");
		case OPT_REUSEINITRD:
			return kx_diag_set(d, -EINVAL, "--reuseinitrd is not implemented on x86_64 (neither is it in kexec-tools)");
		case OPT_LOAD_PRESERVE: case OPT_LOAD_JUMP_BACK: case OPT_ENTRY:
			return kx_diag_set(d, -EINVAL, "%s: kexec jump (preserve-context) is not supported", argv[optind - 1]);
		case OPT_HOTPLUG: o->hotplug = KX_HOTPLUG_ON; break;
		case OPT_NO_HOTPLUG: o->hotplug = KX_HOTPLUG_OFF; break;
		case OPT_RELOAD_ELFCOREHDR: f_reload = true; break;
		case OPT_VERIFY_DIGEST: o->verify_digest = true; break;
		case OPT_DMA_LIMIT:
			r = parse_addr("dma-limit", optarg, &o->dma_limit, d);
			if (r < 0)
				return r;
			if (!o->dma_limit)
				return kx_diag_set(d, -EINVAL, "Bad option value in --dma-limit=%s (an address above 0)", optarg);
			break;
		case OPT_IGNORE_DMA_LIMIT: o->ignore_dma_limit = true; break;
		case OPT_CRASH_CMA:
			o->crash_cma = true;
			o->crash_cma_explicit = optarg != NULL;
			if (optarg) {
				r = kx_cma_parse_list(optarg, &o->crash_cma_list, d);
				if (r < 0)
					return r;
			}
			break;
		case OPT_ELFCOREHDR_SLOTS: {
			uint64_t v;

			if (kx_parse_u64(optarg, 0, &v) < 0 || !v || v > KX_MAX_SLOTS)
				return kx_diag_set(d, -EINVAL, "Bad option value in --elfcorehdr-slots=%s (1 to %u program headers)",
						   optarg, KX_MAX_SLOTS);
			o->elfcorehdr_slots = (unsigned)v;
			break;
		}
		case ':':
			return kx_diag_set(d, -EINVAL, "option '%s' requires an argument", argv[optind - 1]);
		default:
			return kx_diag_set(d, -EINVAL, "unrecognized option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		o->kernel = argv[optind];
	if (optind + 1 < argc)
		return kx_diag_set(d, -EINVAL,
				   "extra argument '%s' after the kernel '%s': kexec takes one KERNEL (kexec-tools ignores extra words; kexec-ng refuses them so that a typo cannot load the wrong thing)",
				   argv[optind + 1], argv[optind]);

	/* informational actions first, then -S, which overrides every step */
	if (f_help)
		o->action = KX_ACT_HELP;
	else if (f_version)
		o->action = KX_ACT_VERSION;
	else if (f_ckr)
		o->action = KX_ACT_PRINT_CKR;
	else if (f_reload) {
		if (o->kernel)
			return kx_diag_set(d, -EINVAL, "--reload-elfcorehdr takes no kernel ('%s'): it reloads the crash kernel loaded before",
					   o->kernel);
		o->action = KX_ACT_RELOAD;
		o->crash = true;
	} else if (f_status) {
		o->action = KX_ACT_STATUS;
		o->crash = o->crash || !f_opt_load;	/* -S alone asks about the crash image */
	} else if (o->capture_root && !o->kernel && o->do_load && o->do_shutdown && !o->do_unload)
		o->action = KX_ACT_CAPTURE;
	else
		o->action = KX_ACT_RUN;
	if (o->action != KX_ACT_RUN)
		o->do_unload = o->do_load = o->do_exec = o->do_shutdown = false;
	/*
	 * "-u -p" without a kernel: kexec-tools unloads and then fails with "No
	 * kernel specified" (exit 255).  We read it as "-p -u", which is what
	 * was meant; with a kernel both unload and then load it.
	 */
	if (o->do_unload && o->do_load && o->crash && !o->kernel)
		o->do_load = false;

	if (o->json && !o->dry_run)
		return kx_diag_set(d, -EINVAL, "--json goes with --dry-run");
	if (o->dump_segments && !o->dry_run)
		return kx_diag_set(d, -EINVAL, "--dump-segments goes with --dry-run");
	if (o->verify_digest && o->action != KX_ACT_RELOAD)
		return kx_diag_set(d, -EINVAL, "--verify-digest goes with --reload-elfcorehdr");
	if (o->crash_cma && !(o->action == KX_ACT_RUN && o->crash && o->do_load))
		return kx_diag_set(d, -EINVAL,
				   "--crash-cma goes with loading a crash kernel (-p KERNEL); --reload-elfcorehdr keeps the ranges of the load");
	return 0;
}
