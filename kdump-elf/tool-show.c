/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tool-show.c - the output of "kdump-elf show": a stable text form and a
 * JSON form (addresses and sizes as "0x..." strings).
 */
#include <inttypes.h>
#include <string.h>

#include "tool.h"

static const char *machine_name(uint16_t m)
{
	switch (m) {
	case 62:
		return "x86_64";
	case 183:
		return "aarch64";
	case 3:
		return "i386";
	case 40:
		return "arm";
	case 21:
		return "ppc64";
	case 22:
		return "s390";
	case 243:
		return "riscv";
	case 258:
		return "loongarch";
	default:
		return "unknown";
	}
}

const char *tool_type_name(uint32_t t)
{
	switch (t) {
	case 0:
		return "NULL";
	case 1:
		return "LOAD";
	case 2:
		return "DYNAMIC";
	case 3:
		return "INTERP";
	case 4:
		return "NOTE";
	case 6:
		return "PHDR";
	default:
		return "OTHER";
	}
}

/* text output of bytes from the input: printable ASCII or '?' */
static void put_safe(FILE *f, const char *s, size_t n)
{
	while (n--) {
		unsigned char ch = (unsigned char)*s++;

		fputc(ch >= 0x20 && ch < 0x7f ? ch : '?', f);
	}
}

/* a JSON string; bytes outside printable ASCII become \u00XX */
static void put_json(FILE *f, const char *s, size_t n)
{
	fputc('"', f);
	while (n--) {
		unsigned char ch = (unsigned char)*s++;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void put_json_str(FILE *f, const char *s)
{
	put_json(f, s, strlen(s));
}

static const char *const vmcoreinfo_keys[] = {
	"OSRELEASE", "BUILD-ID", "PAGESIZE", "KERNELOFFSET", "SYMBOL(_stext)",
	"NUMBER(phys_base)", "NUMBER(VA_BITS)", "NUMBER(kimage_voffset)", "NUMBER(PHYS_OFFSET)",
};

static void flags_str(uint32_t fl, char out[4])
{
	out[0] = fl & 4 ? 'R' : '-';
	out[1] = fl & 2 ? 'W' : '-';
	out[2] = fl & 1 ? 'X' : '-';
	out[3] = '\0';
}

void show_text(const struct core *c, const struct note_info *ni, int all_vmcoreinfo)
{
	struct kdump_elf_phdr ph;
	char fl[4];
	unsigned i, k;

	printf("file: %s\n", c->path);
	printf("machine: %u (%s)\n", c->v.machine, machine_name(c->v.machine));
	printf("phoff: 0x%" PRIx64 "\n", c->v.phoff);
	printf("phnum: %u\n", c->v.phnum);
	printf("capacity: %u\n", c->v.capacity);
	printf("spare: %u\n", c->v.spare);
	printf("notes: %u\n", c->v.notes);
	printf("loads: %u\n", c->v.loads);
	if (c->text >= 0)
		printf("text-load: %d\n", c->text);
	else
		printf("text-load: none\n");
	printf("  %4s %-5s %-18s %-18s %-18s %-18s %-18s %s\n", "idx", "type", "offset", "vaddr",
	       "paddr", "filesz", "memsz", "flg");
	for (i = 0; i < c->v.phnum; i++) {
		if (kdump_elf_phdr(c->hdr, c->len, i, &ph) < 0)
			break;
		flags_str(ph.flags, fl);
		printf("  %4u %-5s 0x%016" PRIx64 " 0x%016" PRIx64 " 0x%016" PRIx64 " 0x%016" PRIx64
		       " 0x%016" PRIx64 " %s%s\n",
		       i, tool_type_name(ph.type), ph.offset, ph.vaddr, ph.paddr, ph.filesz,
		       ph.memsz, fl, (int)i == c->text ? " text" : "");
	}
	if (!c->notes_in_file) {
		if (c->v.notes)
			printf("note-data: not in this file "
			       "(PT_NOTE p_offset is a physical address)\n");
		return;
	}
	printf("note-data: in file\n");
	printf("note-count: %u\n", ni->total);
	printf("prstatus: %u\n", ni->prstatus);
	for (k = 0; k < ni->nkinds; k++) {
		printf("  note ");
		if (ni->kind[k].name[0])
			put_safe(stdout, ni->kind[k].name, strlen(ni->kind[k].name));
		else
			putchar('-');
		printf(" type %" PRIu32 ": %u\n", ni->kind[k].type, ni->kind[k].count);
	}
	if (ni->other)
		printf("  note (other kinds): %u\n", ni->other);
	if (!ni->vmcoreinfo) {
		printf("vmcoreinfo: none\n");
		return;
	}
	printf("vmcoreinfo: %zu bytes\n", ni->vmcoreinfo_len);
	if (all_vmcoreinfo) {
		const char *s = ni->vmcoreinfo, *e;

		for (; *s; s = *e ? e + 1 : e) {
			e = strchr(s, '\n');
			if (!e)
				e = s + strlen(s);
			printf("  ");
			put_safe(stdout, s, (size_t)(e - s));
			putchar('\n');
		}
		return;
	}
	for (k = 0; k < sizeof(vmcoreinfo_keys) / sizeof(vmcoreinfo_keys[0]); k++) {
		char val[256];

		if (kdump_elf_vmcoreinfo_get(ni->vmcoreinfo, ni->vmcoreinfo_len, vmcoreinfo_keys[k],
					     val, sizeof(val)) < 0)
			continue;
		printf("  %s=", vmcoreinfo_keys[k]);
		put_safe(stdout, val, strlen(val));
		putchar('\n');
	}
}

static void json_hex(const char *key, uint64_t v, int comma)
{
	printf("\"%s\": \"0x%" PRIx64 "\"%s", key, v, comma ? ", " : "");
}

void show_json(const struct core *c, const struct note_info *ni, int all_vmcoreinfo)
{
	struct kdump_elf_phdr ph;
	unsigned i, k;
	int first = 1;

	printf("{\n  \"file\": ");
	put_json_str(stdout, c->path);
	printf(",\n  \"machine\": %u,\n  \"machine_name\": \"%s\",\n", c->v.machine,
	       machine_name(c->v.machine));
	printf("  \"phoff\": \"0x%" PRIx64 "\",\n", c->v.phoff);
	printf("  \"phnum\": %u,\n  \"capacity\": %u,\n  \"spare\": %u,\n", c->v.phnum,
	       c->v.capacity, c->v.spare);
	printf("  \"notes\": %u,\n  \"loads\": %u,\n", c->v.notes, c->v.loads);
	if (c->text >= 0)
		printf("  \"text_load\": %d,\n", c->text);
	else
		printf("  \"text_load\": null,\n");
	printf("  \"phdrs\": [");
	for (i = 0; i < c->v.phnum; i++) {
		if (kdump_elf_phdr(c->hdr, c->len, i, &ph) < 0)
			break;
		printf("%s\n    {\"index\": %u, \"type\": \"%s\", ", i ? "," : "", i,
		       tool_type_name(ph.type));
		json_hex("p_type", ph.type, 1);
		json_hex("offset", ph.offset, 1);
		json_hex("vaddr", ph.vaddr, 1);
		json_hex("paddr", ph.paddr, 1);
		json_hex("filesz", ph.filesz, 1);
		json_hex("memsz", ph.memsz, 1);
		json_hex("flags", ph.flags, 1);
		json_hex("align", ph.align, 0);
		printf("}");
	}
	printf("%s],\n", c->v.phnum ? "\n  " : "");
	printf("  \"note_data_in_file\": %s", c->notes_in_file ? "true" : "false");
	if (!c->notes_in_file) {
		printf("\n}\n");
		return;
	}
	printf(",\n  \"note_count\": %u,\n  \"prstatus\": %u,\n  \"note_kinds\": [", ni->total,
	       ni->prstatus);
	for (k = 0; k < ni->nkinds; k++) {
		printf("%s{\"name\": ", k ? ", " : "");
		put_json_str(stdout, ni->kind[k].name);
		printf(", \"type\": %" PRIu32 ", \"count\": %u}", ni->kind[k].type,
		       ni->kind[k].count);
	}
	printf("],\n  \"vmcoreinfo\": ");
	if (!ni->vmcoreinfo) {
		printf("null\n}\n");
		return;
	}
	printf("{");
	if (all_vmcoreinfo) {
		const char *s = ni->vmcoreinfo, *e, *eq;

		for (; *s; s = *e ? e + 1 : e) {
			e = strchr(s, '\n');
			if (!e)
				e = s + strlen(s);
			eq = memchr(s, '=', (size_t)(e - s));
			if (!eq || eq == s)
				continue;
			printf("%s\n    ", first ? "" : ",");
			put_json(stdout, s, (size_t)(eq - s));
			printf(": ");
			put_json(stdout, eq + 1, (size_t)(e - eq - 1));
			first = 0;
		}
	} else {
		for (k = 0; k < sizeof(vmcoreinfo_keys) / sizeof(vmcoreinfo_keys[0]); k++) {
			char val[256];

			if (kdump_elf_vmcoreinfo_get(ni->vmcoreinfo, ni->vmcoreinfo_len,
						     vmcoreinfo_keys[k], val, sizeof(val)) < 0)
				continue;
			printf("%s\n    ", first ? "" : ",");
			put_json_str(stdout, vmcoreinfo_keys[k]);
			printf(": ");
			put_json_str(stdout, val);
			first = 0;
		}
	}
	printf("%s}\n}\n", first ? "" : "\n  ");
}
