/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check.c - hold a core header to the rules the kernel's own elfcorehdr
 * follows (see the ordering convention in kdump-elf.h) and list every
 * departure.  Linear in e_phnum, no allocation.
 */
#include "kdump-elf-internal.h"

struct problems_ {
	struct kdump_elf_problem *out;
	size_t max;
	int n;
};

static void report_(struct problems_ *p, int code, unsigned index, unsigned other)
{
	if ((size_t)p->n < p->max) {
		p->out[p->n].code = code;
		p->out[p->n].index = index;
		p->out[p->n].other = other;
	}
	p->n++;
}

static const unsigned char *slot_(const unsigned char *b, unsigned i)
{
	return b + kdump_elf_get64_(b + EH_(e_phoff)) + (size_t)i * KDUMP_ELF_PHDR_SIZE;
}

/* a PT_LOAD that has a physical range to compare: [paddr, last] */
static int ranged_load_(const struct kdump_elf_phdr *ph)
{
	return ph->type == PT_LOAD && ph->paddr != KDUMP_ELF_NO_PADDR && ph->memsz &&
	       !kdump_elf_wraps_(ph->paddr, ph->memsz);
}

/* index of the kernel-text load, or -ENOENT; the phdr table is known valid */
static int text_load_(const unsigned char *b, unsigned phnum)
{
	struct kdump_elf_phdr t, o;
	unsigned i, j;

	for (j = 0; j < phnum; j++) {
		kdump_elf_read_phdr_(slot_(b, j), &t);
		if (t.type == PT_LOAD)
			break;
	}
	if (j == phnum || !ranged_load_(&t))
		return -ENOENT;
	for (i = 0; i < phnum; i++) {
		if (i == j)
			continue;
		kdump_elf_read_phdr_(slot_(b, i), &o);
		if (ranged_load_(&o) && o.paddr <= t.paddr &&
		    t.paddr + (t.memsz - 1) <= o.paddr + (o.memsz - 1))
			return (int)j;
	}
	return -ENOENT;
}

int kdump_elf_text_load(const void *buf, size_t len)
{
	const unsigned char *b = buf;
	int r = kdump_elf_ro_probe_(b, len);

	if (r < 0)
		return r;
	return text_load_(b, kdump_elf_get16_(b + EH_(e_phnum)));
}

/* rules that look at one phdr at a time */
static void check_each_(const unsigned char *b, unsigned phnum, struct problems_ *p)
{
	struct kdump_elf_phdr ph;
	unsigned i, last_used = 0;
	int have_used = 0, first_load = -1;

	for (i = phnum; i-- > 0;)
		if (!kdump_elf_slot_zero_(slot_(b, i))) {
			last_used = i;
			have_used = 1;
			break;
		}

	for (i = 0; i < phnum; i++) {
		if (kdump_elf_slot_zero_(slot_(b, i))) {
			if (have_used && i < last_used)
				report_(p, KDUMP_ELF_P_HOLE, i, i);
			continue;
		}
		kdump_elf_read_phdr_(slot_(b, i), &ph);
		if (ph.type != PT_LOAD && ph.type != PT_NOTE) {
			if (ph.type != PT_NULL)
				report_(p, KDUMP_ELF_P_TYPE, i, i);
			continue;
		}
		if (ph.type == PT_NOTE) {
			/*
			 * Only p_filesz counts for a note: coredumps and kcore
			 * leave p_memsz 0, the kernel's elfcorehdr sets both.
			 */
			if (!ph.filesz)
				report_(p, KDUMP_ELF_P_ZERO_SIZE, i, i);
			if (kdump_elf_wraps_(ph.paddr, ph.filesz))
				report_(p, KDUMP_ELF_P_WRAP, i, i);
			if (first_load >= 0)
				report_(p, KDUMP_ELF_P_NOTE_AFTER_LOAD, i, (unsigned)first_load);
			continue;
		}
		if (!ph.filesz && !ph.memsz)
			report_(p, KDUMP_ELF_P_ZERO_SIZE, i, i);
		if (ph.filesz > ph.memsz)
			report_(p, KDUMP_ELF_P_FILESZ, i, i);
		if (ph.paddr != KDUMP_ELF_NO_PADDR && kdump_elf_wraps_(ph.paddr, ph.memsz))
			report_(p, KDUMP_ELF_P_WRAP, i, i);
		if (first_load < 0)
			first_load = (int)i;
	}
}

struct span_ {
	unsigned index;
	uint64_t first, last;	/* inclusive, so a range may end at 2^64 */
};

static int meets_(const struct span_ *a, const struct span_ *b)
{
	return a->first <= b->last && b->first <= a->last;
}

/* The RAM load in slot @i as an inclusive span; 0 if it is not one (text, no paddr, empty). */
static int ram_span_(const unsigned char *b, unsigned i, int text, struct span_ *out)
{
	struct kdump_elf_phdr ph;

	if ((int)i == text)
		return 0;
	kdump_elf_read_phdr_(slot_(b, i), &ph);
	if (!ranged_load_(&ph))
		return 0;
	out->index = i;
	out->first = ph.paddr;
	out->last = ph.paddr + (ph.memsz - 1);
	return 1;
}

/*
 * Order and overlap of the RAM loads.  When they ascend, any earlier load
 * that overlaps the current one implies that the earlier load reaching
 * highest overlaps it too, so comparing with that one finds every overlap
 * in one pass.  When they do not ascend, that shortcut misses overlaps, so
 * every pair is compared instead (no allocation: this library has none).
 */
static void check_ram_(const unsigned char *b, unsigned phnum, struct problems_ *p)
{
	struct span_ cur, prev = { 0 }, top = { 0 }, other;
	int have = 0, unordered = 0, text = text_load_(b, phnum);
	unsigned i, j;

	for (i = 0; i < phnum; i++) {
		if (!ram_span_(b, i, text, &cur))
			continue;
		if (have && cur.first < prev.first) {
			report_(p, KDUMP_ELF_P_ORDER, i, prev.index);
			unordered = 1;
		}
		prev = cur;
		have = 1;
	}
	have = 0;
	for (i = 0; i < phnum; i++) {
		if (!ram_span_(b, i, text, &cur))
			continue;
		if (unordered) {
			for (j = 0; j < i; j++)
				if (ram_span_(b, j, text, &other) && meets_(&cur, &other))
					report_(p, KDUMP_ELF_P_OVERLAP, i, j);
			continue;
		}
		if (have) {
			if (meets_(&cur, &top))
				report_(p, KDUMP_ELF_P_OVERLAP, i, top.index);
			else if (prev.index != top.index && meets_(&cur, &prev))
				report_(p, KDUMP_ELF_P_OVERLAP, i, prev.index);
		}
		if (!have || cur.last > top.last)
			top = cur;
		prev = cur;
		have = 1;
	}
}

int kdump_elf_check(const void *buf, size_t len, struct kdump_elf_problem *out, size_t max)
{
	const unsigned char *b = buf;
	struct problems_ p = { .out = out, .max = max, .n = 0 };
	unsigned phnum;
	int r;

	if (!out && max)
		return -EINVAL;
	r = kdump_elf_ro_probe_(b, len);
	if (r < 0)
		return r;
	phnum = kdump_elf_get16_(b + EH_(e_phnum));
	check_each_(b, phnum, &p);
	check_ram_(b, phnum, &p);
	return p.n;
}

static const char *const problem_str_[KDUMP_ELF_P_MAX] = {
	[KDUMP_ELF_P_HOLE] = "unused (all-zero) slot before a used one inside e_phnum",
	[KDUMP_ELF_P_TYPE] = "p_type is neither PT_LOAD nor PT_NOTE",
	[KDUMP_ELF_P_ZERO_SIZE] = "segment has p_filesz = p_memsz = 0",
	[KDUMP_ELF_P_FILESZ] = "p_filesz is larger than p_memsz",
	[KDUMP_ELF_P_WRAP] = "p_paddr + p_memsz wraps past 2^64",
	[KDUMP_ELF_P_NOTE_AFTER_LOAD] = "PT_NOTE after the first PT_LOAD",
	[KDUMP_ELF_P_ORDER] = "RAM PT_LOAD p_paddr is below the previous RAM load's",
	[KDUMP_ELF_P_OVERLAP] = "PT_LOAD physical range overlaps another PT_LOAD",
};

const char *kdump_elf_problem_str(int code)
{
	if (code <= 0 || code >= KDUMP_ELF_P_MAX || !problem_str_[code])
		return "unknown problem";
	return problem_str_[code];
}
