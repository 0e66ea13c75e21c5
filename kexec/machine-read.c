/* SPDX-License-Identifier: GPL-2.0-or-later */
/* machine-read.c - reading the path table's files, with messages that name them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine-read.h"

int kx_mread(struct kx_machine *m, enum kx_path_id id, unsigned cpu, char **ret, size_t *ret_len,
	     struct kx_diag *d)
{
	char rel[128];
	int r;

	kx_machine_path(id, cpu, rel, sizeof(rel));
	r = kx_read_rel(m->root_fd, rel, ret, ret_len, 64 << 20);
	if (r == -ENOENT && kx_machine_paths[id].optional)
		return r;
	if (r < 0)
		return kx_diag_set(d, r, "%s%s%s: cannot read: %s", m->root,
				   m->root[strlen(m->root) - 1] == '/' ? "" : "/", rel, strerror(-r));
	return 0;
}

void kx_chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = 0;
}

int kx_mread_u64(struct kx_machine *m, enum kx_path_id id, unsigned cpu, int base, uint64_t *ret,
		 struct kx_diag *d)
{
	_cleanup_free_ char *s = NULL;
	char rel[128];
	int r;

	r = kx_mread(m, id, cpu, &s, NULL, d);
	if (r < 0)
		return r;
	kx_chomp(s);
	r = kx_parse_u64(s, base, ret);
	if (r < 0)
		return kx_diag_set(d, -EINVAL, "%s: expected a %s%snumber, got \"%.40s\"",
				   kx_machine_path(id, cpu, rel, sizeof(rel)),
				   base == 16 ? "hexadecimal" : base == 10 ? "decimal" : "",
				   base == 16 || base == 10 ? " " : "", s);
	return 0;
}

int kx_mread_u64_either(struct kx_machine *m, enum kx_path_id id, enum kx_path_id old, uint64_t *ret,
			enum kx_path_id *ret_id, struct kx_diag *d)
{
	int r = kx_mread_u64(m, id, 0, 10, ret, d);

	*ret_id = id;
	if (r == -ENOENT && old != KX_PATH_MAX) {
		*ret_id = old;
		r = kx_mread_u64(m, old, 0, 10, ret, d);
	}
	return r;
}

int kx_mread_flag(struct kx_machine *m, enum kx_path_id id, enum kx_path_id old, int *ret,
		  struct kx_diag *d)
{
	enum kx_path_id got;
	uint64_t v;
	char rel[128];
	int r;

	r = kx_mread_u64_either(m, id, old, &v, &got, d);
	if (r == -ENOENT) {
		*ret = -1;
		return 0;
	}
	if (r < 0)
		return r;
	if (v > 1)
		return kx_diag_set(d, -EINVAL, "%s: expected 0 or 1, got %llu",
				   kx_machine_path(got, 0, rel, sizeof(rel)), (unsigned long long)v);
	*ret = (int)v;
	return 0;
}

int kx_mread_cpus(struct kx_machine *m, enum kx_path_id id, unsigned **ret, size_t *ret_n, struct kx_diag *d)
{
	_cleanup_free_ char *s = NULL;
	char rel[128];
	int r;

	r = kx_mread(m, id, 0, &s, NULL, d);
	if (r < 0)
		return r;
	return kx_cpu_list_parse(s, kx_machine_path(id, 0, rel, sizeof(rel)), ret, ret_n, d);
}
