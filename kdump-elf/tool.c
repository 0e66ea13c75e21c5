/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tool.c - kdump-elf(1): show or check an ELF64 core header, whether an
 * elfcorehdr blob (notes and loads at physical addresses), /proc/vmcore or
 * /proc/kcore (notes inside the file).
 *
 * Exit status: 0 fine, 1 "check" found problems, 2 unreadable input, not an
 * ELF64 core, or bad usage.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

static int cmd_show(const char *path, int json, int all_vmcoreinfo)
{
	struct core c;
	struct note_info ni = { 0 };
	int r, ret = EXIT_BAD;

	if (core_open(&c, path) < 0)
		goto out;
	if (c.notes_in_file) {
		r = core_scan_notes(&c, &ni, 0);
		if (r < 0)
			goto out;
	}
	if (json)
		show_json(&c, &ni, all_vmcoreinfo);
	else
		show_text(&c, &ni, all_vmcoreinfo);
	ret = ni.bad ? EXIT_BAD : EXIT_SUCCESS;
out:
	free(ni.vmcoreinfo);
	core_close(&c);
	if (fflush(stdout) != 0) {
		tool_err(NULL, "write error: %s", strerror(errno));
		ret = EXIT_BAD;
	}
	return ret;
}

static void print_problem(const struct core *c, const struct kdump_elf_problem *p)
{
	struct kdump_elf_phdr ph = { 0 };

	kdump_elf_phdr(c->hdr, c->len, p->index, &ph);
	printf("%s: phdr %u (%s paddr 0x%" PRIx64 " memsz 0x%" PRIx64 "): %s", c->path, p->index,
	       tool_type_name(ph.type), ph.paddr, ph.memsz, kdump_elf_problem_str(p->code));
	if (p->other != p->index) {
		struct kdump_elf_phdr o = { 0 };

		kdump_elf_phdr(c->hdr, c->len, p->other, &o);
		printf(" (phdr %u: %s paddr 0x%" PRIx64 " memsz 0x%" PRIx64 ")", p->other,
		       tool_type_name(o.type), o.paddr, o.memsz);
	}
	putchar('\n');
}

static int cmd_check(const char *path)
{
	struct kdump_elf_problem p[64];
	struct note_info ni = { 0 };
	struct core c;
	int n, i, ret = EXIT_BAD;

	if (core_open(&c, path) < 0)
		goto out;
	n = kdump_elf_check(c.hdr, c.len, p, sizeof(p) / sizeof(p[0]));
	if (n < 0) {
		tool_err(path, "%s", kdump_elf_strerror(n));
		goto out;
	}
	for (i = 0; i < n && (size_t)i < sizeof(p) / sizeof(p[0]); i++)
		print_problem(&c, &p[i]);
	if ((size_t)n > sizeof(p) / sizeof(p[0]))
		printf("%s: ... and %zu more\n", path, (size_t)n - sizeof(p) / sizeof(p[0]));
	if (c.notes_in_file && core_scan_notes(&c, &ni, 1) < 0)
		goto out;
	n += ni.bad;
	if (n)
		printf("%s: %d problem%s\n", path, n, n == 1 ? "" : "s");
	else
		printf("%s: ok (%u phdrs, %u spare)\n", path, c.v.phnum, c.v.spare);
	ret = n ? EXIT_PROBLEMS : EXIT_SUCCESS;
out:
	free(ni.vmcoreinfo);
	core_close(&c);
	if (fflush(stdout) != 0) {
		tool_err(NULL, "write error: %s", strerror(errno));
		ret = EXIT_BAD;
	}
	return ret;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s show [--json] [--vmcoreinfo] FILE\n"
		"       %s show --state [--root DIR]\n"
		"       %s check FILE\n"
		"Show or check an ELF64 core header: an elfcorehdr blob, /proc/vmcore or\n"
		"/proc/kcore.  Only headers and note segments are read.\n"
		"\n"
		"  -j, --json        show: JSON output (addresses as \"0x...\" strings)\n"
		"  -a, --vmcoreinfo  show: print every VMCOREINFO line, not a selection\n"
		"  -s, --state       show the crash header kexec-ng loaded (run/kexec-ng/crash.state):\n"
		"                    how full it is, when it was written, and whether the kernel rewrote it\n"
		"  -r, --root DIR    with --state: the machine root (default /)\n"
		"  -h, --help        this text\n"
		"  -V, --version     print the version\n"
		"\n"
		"Exit status: 0 ok, 1 check found problems, 2 unreadable input,\n"
		"not an ELF64 core, or bad usage.\n",
		"kdump-elf", "kdump-elf", "kdump-elf");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "vmcoreinfo", no_argument, NULL, 'a' },
		{ "state", no_argument, NULL, 's' },
		{ "root", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, json = 0, all = 0, state = 0;
	const char *cmd, *file, *root = NULL;

	while ((c = getopt_long(argc, argv, "jasr:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'a':
			all = 1;
			break;
		case 's':
			state = 1;
			break;
		case 'r':
			root = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		case 'V':
			printf("kdump-elf (kexec-ng) %s\n", PACKAGE_VERSION);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return EXIT_BAD;
		}
	}
	if (state || root) {
		if (!state || json || all || argc - optind != 1 || strcmp(argv[optind], "show")) {
			tool_err(NULL, "--state goes with show alone (and --root DIR)");
			usage(stderr);
			return EXIT_BAD;
		}
		return cmd_show_state(root ? root : "/");
	}
	if (argc - optind != 2) {
		usage(stderr);
		return EXIT_BAD;
	}
	cmd = argv[optind];
	file = argv[optind + 1];
	if (!strcmp(cmd, "show"))
		return cmd_show(file, json, all);
	if (!strcmp(cmd, "check")) {
		if (json || all) {
			tool_err(NULL, "--json and --vmcoreinfo only apply to show");
			return EXIT_BAD;
		}
		return cmd_check(file);
	}
	tool_err(NULL, "unknown command '%s' (show or check)", cmd);
	usage(stderr);
	return EXIT_BAD;
}
