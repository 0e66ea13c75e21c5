/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * opts.h - the command line, parsed once into a struct with order-independent
 * meaning (kexec-tools' spellings and exit codes; see man/kexec.8).
 */
#ifndef KX_OPTS_H
#define KX_OPTS_H

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

enum kx_action {
	KX_ACT_NONE,
	KX_ACT_LOAD,		/* -l */
	KX_ACT_LOAD_CRASH,	/* -p */
	KX_ACT_UNLOAD,		/* -u (crash image with -p) */
	KX_ACT_EXEC,		/* -e */
	KX_ACT_STATUS,		/* -S */
	KX_ACT_LOAD_REBOOT,	/* no -l/-p/-e: load, then shutdown -r (or exec now with -f) */
	KX_ACT_PRINT_CKR,	/* --print-ckr-size */
	KX_ACT_CAPTURE,		/* --capture-root DIR (alone) */
	KX_ACT_HELP,
	KX_ACT_VERSION,
};

enum kx_sysmode {
	KX_SYS_AUTO,		/* -a: kexec_load, kexec_file_load when kexec_load is refused */
	KX_SYS_LOAD_ONLY,	/* -c */
	KX_SYS_FILE_ONLY,	/* -s */
};

struct kx_opts {
	enum kx_action action;
	bool crash;		/* -p given (for -u, -S and loads) */
	enum kx_sysmode sysmode;
	const char *kernel;
	const char *initrd;
	const char *append;	/* --append/--command-line, last wins */
	bool reuse_cmdline;
	const char *dtb;
	const char *type;	/* -t */
	bool debug, force, no_checks, no_ifdown, no_sync;
	bool dry_run, json;
	const char *root;	/* --root, default "/" */
	const char *capture_root;
	const char *dump_segments;	/* --dump-segments DIR (with --dry-run) */
	uint64_t mem_min, mem_max;	/* mem_max 0 = no limit */
	/* x86 purgatory console: --serial/--console-serial */
	uint16_t serial_port;
	bool console_serial;
	bool reset_vga;
};

/*
 * kx_opts_parse - argv to struct kx_opts
 * Returns 0, or -EINVAL with @d holding the message (the caller prints it and
 * the usage, and exits 1 like kexec-tools).
 */
int kx_opts_parse(struct kx_opts *o, int argc, char **argv, struct kx_diag *d);
void kx_usage(void *stream);

#endif
