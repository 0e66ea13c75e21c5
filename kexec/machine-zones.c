/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * machine-zones.c - proc/zoneinfo: where each node's memory zones start and
 * how many pages they span.  The end of the DMA-capable zone is the limit
 * below which the kdump kernel needs memory for devices that cannot address
 * more (arm64 places crashkernel=,low there), and the page size the running
 * kernel counts in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "machine-read.h"

/* "Node 0, zone      DMA" */
static int zone_header(const char *line, size_t len, struct kx_zone *z)
{
	char buf[96], name[sizeof(z->name)];
	unsigned node;
	char tail;

	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, line, len);
	buf[len] = 0;
	if (sscanf(buf, "Node %u, zone %15s%c", &node, name, &tail) != 2)
		return -EINVAL;
	memset(z, 0, sizeof(*z));
	z->node = node;
	memcpy(z->name, name, sizeof(name));
	return 0;
}

/* "        spanned  262144" or "  start_pfn:           262144": 1 if @key, 0 if another line */
static int zone_number(const char *line, size_t len, const char *key, uint64_t *ret)
{
	size_t kl = strlen(key), i = 0;
	char buf[32], *end;
	unsigned long long v;

	while (i < len && line[i] == ' ')
		i++;
	if (len - i < kl || memcmp(line + i, key, kl))
		return 0;
	i += kl;
	if (i < len && line[i] != ' ')
		return 0;	/* a longer word with this prefix */
	while (i < len && line[i] == ' ')
		i++;
	if (i == len || len - i >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, line + i, len - i);
	buf[len - i] = 0;
	if (buf[0] < '0' || buf[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*ret = v;
	return 1;
}

int kx_zoneinfo_parse(struct kx_machine *m, const char *text, size_t len, const char *fname, struct kx_diag *d)
{
	const char *p = text, *end = text + len;
	struct kx_zone *cur = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	int r;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		uint64_t v;

		lineno++;
		if (ll >= 5 && !memcmp(p, "Node ", 5)) {
			struct kx_zone z;

			if (zone_header(p, ll, &z) < 0)
				return kx_diag_set(d, -EINVAL, "%s: line %u: expected \"Node N, zone NAME\", got \"%.*s\"",
						   fname, lineno, (int)(ll > 80 ? 80 : ll), p);
			if (m->n_zones == cap) {
				struct kx_zone *nv;

				cap = cap ? cap * 2 : 8;
				nv = reallocarray(m->zones, cap, sizeof(*nv));
				if (!nv)
					return -ENOMEM;
				m->zones = nv;
			}
			cur = &m->zones[m->n_zones++];
			*cur = z;
		} else if (cur) {
			uint64_t *field = &cur->spanned;

			r = zone_number(p, ll, "spanned", &v);
			if (r == 0) {
				field = &cur->start_pfn;
				r = zone_number(p, ll, "start_pfn:", &v);
			}
			if (r < 0)
				return kx_diag_set(d, -EINVAL, "%s: line %u: zone %s: expected a decimal page count, got \"%.*s\"",
						   fname, lineno, cur->name, (int)(ll > 80 ? 80 : ll), p);
			if (r == 1)
				*field = v;
			if (cur->start_pfn > UINT64_MAX / 2 || cur->spanned > UINT64_MAX / 2 - cur->start_pfn)
				return kx_diag_set(d, -EINVAL, "%s: line %u: zone %s: start_pfn + spanned overflows",
						   fname, lineno, cur->name);
		}
		p += ll + (nl ? 1 : 0);
	}
	m->has_zoneinfo = true;
	return 0;
}

int kx_machine_load_zones(struct kx_machine *m, struct kx_diag *d)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	int r;

	if (m->loaded & KX_MACHINE_ZONES)
		return 0;
	r = kx_mread(m, KX_PATH_ZONEINFO, 0, &text, &len, d);
	if (r == -ENOENT) {
		m->loaded |= KX_MACHINE_ZONES;
		return 0;
	}
	if (r < 0)
		return r;
	r = kx_zoneinfo_parse(m, text, len, kx_path_rel(KX_PATH_ZONEINFO), d);
	if (r < 0)
		return r;
	m->loaded |= KX_MACHINE_ZONES;
	return 0;
}

int kx_machine_dma_zone_end(const struct kx_machine *m, uint64_t page_size, uint64_t *ret, const char **ret_zone)
{
	static const char *const names[] = { "DMA", "DMA32" };
	size_t n, i;

	for (n = 0; n < ARRAY_SIZE(names); n++) {
		uint64_t best = 0;
		bool found = false;

		for (i = 0; i < m->n_zones; i++) {
			const struct kx_zone *z = &m->zones[i];
			uint64_t e;

			if (strcmp(z->name, names[n]) || !z->spanned)
				continue;
			if (__builtin_mul_overflow(z->start_pfn + z->spanned, page_size, &e))
				e = UINT64_MAX;
			if (!found || e > best)
				best = e;
			found = true;
		}
		if (found) {
			*ret = best;
			*ret_zone = names[n];
			return 0;
		}
	}
	return -ENOENT;
}

uint64_t kx_machine_page_size(const struct kx_machine *m)
{
	uint64_t v;
	long sc;

	if (m->kcore.present && kx_vmcoreinfo_u64(m, "PAGESIZE", 10, &v) == 0 && kx_is_pow2(v) && v >= 4096 &&
	    v <= 65536)
		return v;
	if (m->root && !strcmp(m->root, "/")) {
		sc = sysconf(_SC_PAGESIZE);
		if (sc >= 4096)
			return (uint64_t)sc;
	}
	return 4096;
}
