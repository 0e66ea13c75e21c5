/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * opts.h - the command line, parsed once into a struct with order-independent
 * meaning (kexec-tools' spellings and exit codes; see man/kexec.8).
 */
#ifndef KX_OPTS_H
#define KX_OPTS_H

#include <stdbool.h>
#include <stdint.h>

#include "cma.h"
#include "util.h"

/*
 * What one kexec run does.  KX_ACT_RUN is the ordinary case: the steps
 * below, in this order: unload, load, then shutdown -r or exec.
 */
enum kx_action {
	KX_ACT_RUN,
	KX_ACT_STATUS,		/* -S (overrides every step) */
	KX_ACT_PRINT_CKR,	/* --print-ckr-size */
	KX_ACT_CAPTURE,		/* --capture-root DIR (alone) */
	KX_ACT_RELOAD,		/* --reload-elfcorehdr (with or without -p) */
	KX_ACT_HELP,
	KX_ACT_VERSION,
};

enum kx_hotplug_mode {
	KX_HOTPLUG_AUTO,	/* the kernel rewrites the header when it can (crash_elfcorehdr_size) */
	KX_HOTPLUG_ON,		/* --hotplug: it must be able to */
	KX_HOTPLUG_OFF,		/* --no-hotplug: userspace reloads (kexec --reload-elfcorehdr) */
};

enum kx_sysmode {
	KX_SYS_AUTO,		/* -a: kexec_load, kexec_file_load when kexec_load is refused */
	KX_SYS_LOAD_ONLY,	/* -c */
	KX_SYS_FILE_ONLY,	/* -s */
};

/*
 * struct kx_opts
 * The step flags follow kexec-tools: each of -l, -p, -u, -e and -f sets
 * them when it is seen, so the last one wins ("-l -e" execs, "-e -l" loads,
 * "-l -u" unloads, "-u -l K" unloads and then loads K).  -p also marks the
 * run as a crash one for -u and -S, wherever it stands.
 */
struct kx_opts {
	enum kx_action action;
	bool do_unload, do_load, do_exec, do_shutdown;
	bool crash;		/* -p given (for -u, -S and loads) */
	enum kx_sysmode sysmode;
	const char *kernel;
	const char *initrd;
	const char *append;	/* --append/--command-line, last wins */
	bool reuse_cmdline;
	const char *dtb;
	const char *type;	/* -t */
	bool debug, no_checks, no_ifdown, no_sync;
	bool dry_run, json;
	const char *root;	/* --root, default "/" */
	const char *capture_root;
	const char *dump_segments;	/* --dump-segments DIR (with --dry-run) */
	uint64_t mem_min, mem_max;	/* mem_max 0 = no limit */
	enum kx_hotplug_mode hotplug;
	unsigned elfcorehdr_slots;	/* --elfcorehdr-slots, 0 = policy */
	bool verify_digest;		/* --verify-digest: a reload re-hashes the segments */
	/*
	 * purgatory console: --serial as the user gave it (NULL if not given;
	 * each arch's purgatory_setup says what it means: an x86 I/O port, an
	 * arm64 PL011 MMIO base) and --console-serial (also set by --serial)
	 */
	const char *serial;
	bool console_serial;
	bool noefi;		/* --noefi: no EFI runtime state for the next kernel */
	uint64_t dma_limit;	/* --dma-limit=ADDR (0: from the machine) */
	bool ignore_dma_limit;	/* --ignore-dma-limit: load even with no kdump memory below it */
	bool crash_cma;		/* --crash-cma[=LIST]: CMA crash memory for the kdump kernel */
	bool crash_cma_explicit;	/* =LIST given: @crash_cma_list, not the kernel's sysfs ranges */
	struct kx_cma crash_cma_list;	/* as given, not yet checked against the machine */
	unsigned ignored;	/* KX_IGNORED_* options accepted for compatibility */
};

/* Options accepted but without effect (a note says so with -d). */
enum {
	KX_IGNORED_RESET_VGA = 1 << 0,
	KX_IGNORED_CONSOLE_VGA = 1 << 1,
	KX_IGNORED_REUSE_VIDEO = 1 << 2,
	KX_IGNORED_SERIAL_BAUD = 1 << 3,
	KX_IGNORED_ELF64 = 1 << 4,
};

/*
 * kx_opts_parse - argv to struct kx_opts
 * Returns 0, or -EINVAL with @d holding the message (the caller prints it and
 * the usage, and exits 1 like kexec-tools): an unknown option, a bad value,
 * a missing argument, --json/--dump-segments without --dry-run, or a second
 * non-option word (kexec-tools ignores it; we name it).
 */
int kx_opts_parse(struct kx_opts *o, int argc, char **argv, struct kx_diag *d);
void kx_usage(void *stream);

#endif
