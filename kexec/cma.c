/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cma.c - crash CMA range lists: the kernel's sysfs form, the --crash-cma=
 * forms, and the checks against the machine (see cma.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cma.h"

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* [@s, @s + @n) all hex digits, 1..16 of them, into *ret. */
static int bare_hex(const char *s, size_t n, uint64_t *ret)
{
	uint64_t v = 0;
	size_t i;

	if (!n || n > 16)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!is_hex(c))
			return -EINVAL;
		v = v << 4 | (uint64_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	*ret = v;
	return 0;
}

static int add(struct kx_cma *out, uint64_t first, uint64_t last)
{
	if (out->n >= KX_CMA_MAX)
		return -E2BIG;
	out->v[out->n++] = kx_range_from_incl(first, last, KX_MEM_RAM);
	return 0;
}

int kx_cma_parse_sysfs(const char *text, size_t len, const char *fname, struct kx_cma *out, struct kx_diag *d)
{
	size_t off = 0;
	unsigned line = 0;

	*out = (struct kx_cma){ 0 };
	while (off < len) {
		const char *s = text + off, *nl = memchr(s, '\n', len - off), *dash;
		size_t n = nl ? (size_t)(nl - s) : len - off;
		uint64_t first, last;

		line++;
		off += n + (nl ? 1 : 0);
		dash = memchr(s, '-', n);
		if (!n)
			return kx_diag_set(d, -EINVAL, "%s: line %u: empty line (want START-END in hex)", fname, line);
		if (!dash)
			return kx_diag_set(d, -EINVAL, "%s: line %u: no '-' between start and end (want START-END in hex)",
					   fname, line);
		if (bare_hex(s, (size_t)(dash - s), &first) < 0)
			return kx_diag_set(d, -EINVAL, "%s: line %u: start is not a hex number of 1 to 16 digits", fname, line);
		if (bare_hex(dash + 1, n - (size_t)(dash - s) - 1, &last) < 0)
			return kx_diag_set(d, -EINVAL, "%s: line %u: end is not a hex number of 1 to 16 digits", fname, line);
		if (last < first)
			return kx_diag_set(d, -EINVAL, "%s: line %u: end 0x%" PRIx64 " is below start 0x%" PRIx64, fname,
					   line, last, first);
		if (add(out, first, last) < 0)
			return kx_diag_set(d, -E2BIG, "%s: line %u: more than %d ranges (the kernel reserves at most %d)",
					   fname, line, KX_CMA_MAX, KX_CMA_MAX);
	}
	return 0;
}

/* A START-END bound: hex, with or without 0x. */
static int hex_bound(const char *s, size_t n, uint64_t *ret)
{
	if (n > 2 && s[0] == '0' && (s[1] | 0x20) == 'x') {
		s += 2;
		n -= 2;
	}
	return bare_hex(s, n, ret);
}

/* A SIZE or START of SIZE@START: C notation (0x hex or decimal) with an optional K, M or G. */
static int mem_number(const char *s, size_t n, uint64_t *ret)
{
	char buf[32];
	unsigned shift = 0;
	uint64_t v;

	if (!n || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = 0;
	switch (buf[n - 1]) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	}
	if (shift)
		buf[--n] = 0;
	/* no octal: "010" is ten, as people mean it */
	if (kx_parse_u64(buf, buf[0] == '0' && (buf[1] | 0x20) == 'x' ? 16 : 10, &v) < 0)
		return -EINVAL;
	if (shift && v > (UINT64_MAX >> shift))
		return -EINVAL;
	*ret = v << shift;
	return 0;
}

static int parse_item(const char *s, size_t n, unsigned idx, struct kx_cma *out, struct kx_diag *d)
{
	const char *at = memchr(s, '@', n), *dash = memchr(s, '-', n);
	uint64_t first, last, size;

	if (!n)
		return kx_diag_set(d, -EINVAL, "--crash-cma: range %u is empty (want START-END or SIZE@START)", idx);
	if (at) {
		if (mem_number(s, (size_t)(at - s), &size) < 0)
			return kx_diag_set(d, -EINVAL, "--crash-cma: range %u (%.*s): bad SIZE (want e.g. 512M or 0x20000000)",
					   idx, (int)n, s);
		if (mem_number(at + 1, n - (size_t)(at - s) - 1, &first) < 0)
			return kx_diag_set(d, -EINVAL, "--crash-cma: range %u (%.*s): bad START (want e.g. 0x9ba00000 or 4G)",
					   idx, (int)n, s);
		if (!size)
			return kx_diag_set(d, -EINVAL, "--crash-cma: range %u (%.*s): SIZE is zero", idx, (int)n, s);
		if (first + size - 1 < first)
			return kx_diag_set(d, -EINVAL, "--crash-cma: range %u (%.*s): runs past the end of the address space",
					   idx, (int)n, s);
		last = first + size - 1;
	} else if (dash) {
		if (hex_bound(s, (size_t)(dash - s), &first) < 0)
			return kx_diag_set(d, -EINVAL, "--crash-cma: range %u (%.*s): START is not a hex number", idx, (int)n, s);
		if (hex_bound(dash + 1, n - (size_t)(dash - s) - 1, &last) < 0)
			return kx_diag_set(d, -EINVAL, "--crash-cma: range %u (%.*s): END is not a hex number", idx, (int)n, s);
		if (last < first)
			return kx_diag_set(d, -EINVAL, "--crash-cma: range %u (%.*s): END is below START (ranges are inclusive)",
					   idx, (int)n, s);
	} else {
		return kx_diag_set(d, -EINVAL, "--crash-cma: range %u (%.*s): want START-END (inclusive, hex) or SIZE@START",
				   idx, (int)n, s);
	}
	if (add(out, first, last) < 0)
		return kx_diag_set(d, -E2BIG, "--crash-cma: more than %d ranges (the kernel reserves at most %d)", KX_CMA_MAX,
				   KX_CMA_MAX);
	return 0;
}

int kx_cma_parse_list(const char *arg, struct kx_cma *out, struct kx_diag *d)
{
	const char *s = arg;
	unsigned idx = 0;
	int r;

	*out = (struct kx_cma){ 0 };
	if (!arg || !*arg)
		return kx_diag_set(d, -EINVAL, "--crash-cma=: empty list (want START-END[,START-END...] or SIZE@START)");
	for (;;) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);

		r = parse_item(s, n, ++idx, out, d);
		if (r < 0)
			return r;
		if (!comma)
			return 0;
		s = comma + 1;
	}
}

int kx_cma_validate(struct kx_cma *c, const struct kx_ranges *ram, const struct kx_ranges *crash,
		    uint64_t page_size, const char *src, struct kx_notes *notes, struct kx_diag *d)
{
	unsigned i, j;

	for (i = 0; i < c->n; i++) {
		struct kx_range *v = &c->v[i];
		uint64_t s = (v->start + page_size - 1) & ~(page_size - 1);
		uint64_t e = v->end & ~(page_size - 1);

		if (v->start > UINT64_MAX - page_size + 1 || e <= s)
			return kx_diag_set(d, -EINVAL, "%s: range %u [0x%" PRIx64 "-0x%" PRIx64 "] holds no whole %" PRIu64 "-byte page",
					   src, i + 1, v->start, v->end - 1, page_size);
		if (s != v->start || e != v->end) {
			kx_note(notes, KX_NOTE_WARN,
				"%s: range %u [0x%" PRIx64 "-0x%" PRIx64 "] is not page aligned: using [0x%" PRIx64 "-0x%" PRIx64 "] (rounded inward to %" PRIu64 " bytes)",
				src, i + 1, v->start, v->end - 1, s, e - 1, page_size);
			v->start = s;
			v->end = e;
		}
		if (!kx_ranges_contains(ram, v->start, v->end))
			return kx_diag_set(d, -EADDRNOTAVAIL, "%s: range %u [0x%" PRIx64 "-0x%" PRIx64 "] is not inside System RAM",
					   src, i + 1, v->start, v->end - 1);
		if (kx_ranges_overlaps(crash, v->start, v->end))
			return kx_diag_set(d, -EADDRNOTAVAIL,
					   "%s: range %u [0x%" PRIx64 "-0x%" PRIx64 "] overlaps a \"Crash kernel\" region", src, i + 1,
					   v->start, v->end - 1);
		for (j = 0; j < i; j++)
			if (v->start < c->v[j].end && c->v[j].start < v->end)
				return kx_diag_set(d, -EINVAL, "%s: range %u [0x%" PRIx64 "-0x%" PRIx64 "] overlaps range %u", src,
						   i + 1, v->start, v->end - 1, j + 1);
	}
	return 0;
}

bool kx_cma_equal(const struct kx_cma *a, const struct kx_cma *b)
{
	unsigned i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (a->v[i].start != b->v[i].start || a->v[i].end != b->v[i].end)
			return false;
	return true;
}

uint64_t kx_cma_total(const struct kx_cma *c)
{
	uint64_t t = 0;
	unsigned i;

	for (i = 0; i < c->n; i++)
		t += c->v[i].end - c->v[i].start;
	return t;
}

const char *kx_cma_format(const struct kx_cma *c, char *buf, size_t len)
{
	size_t off = 0;
	unsigned i;

	if (len)
		buf[0] = 0;
	for (i = 0; i < c->n && off < len; i++) {
		int n = snprintf(buf + off, len - off, "%s0x%" PRIx64 "-0x%" PRIx64, i ? "," : "", c->v[i].start,
				 c->v[i].end - 1);

		if (n < 0)
			break;
		off += (size_t)n;
	}
	return buf;
}
