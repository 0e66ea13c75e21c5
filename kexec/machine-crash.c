/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * machine-crash.c - what a kexec_load crash header is built from: the
 * possible CPUs and their crash notes, the VMCOREINFO note, the crash
 * hotplug sysfs files, and proc/kcore.  kexec_file_load needs none of it,
 * so none of it is read unless a kexec_load crash plan is made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine-read.h"

int kx_cpu_list_parse(const char *text, const char *fname, unsigned **ret, size_t *ret_n,
		      struct kx_diag *d)
{
	_cleanup_free_ unsigned *v = NULL;
	size_t n = 0, cap = 0;
	const char *p = text;

	while (*p && *p != '\n') {
		char *e;
		unsigned long a, b;

		if (*p < '0' || *p > '9')
			goto bad;
		a = strtoul(p, &e, 10);
		b = a;
		if (*e == '-') {
			if (e[1] < '0' || e[1] > '9')
				goto bad;
			b = strtoul(e + 1, &e, 10);
		}
		if (b < a || b >= 65536)
			goto bad;
		for (; a <= b; a++) {
			if (n == cap) {
				unsigned *nv;

				cap = cap ? cap * 2 : 64;
				nv = reallocarray(v, cap, sizeof(*v));
				if (!nv)
					return -ENOMEM;
				v = nv;
			}
			v[n++] = (unsigned)a;
		}
		p = e;
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			goto bad;
	}
	if (!n)
		goto bad;
	*ret = TAKE_PTR(v);
	*ret_n = n;
	return 0;
bad:
	return kx_diag_set(d, -EINVAL, "%s: expected a CPU list like \"0-3,8\", got \"%.40s\"", fname, text);
}

static int load_cpus(struct kx_machine *m, struct kx_diag *d)
{
	_cleanup_free_ unsigned *cpus = NULL;
	size_t n, i;
	char rel[128];
	int r;

	r = kx_mread_cpus(m, KX_PATH_CPU_POSSIBLE, &cpus, &n, d);
	if (r < 0)
		return r;
	m->notes = calloc(n, sizeof(*m->notes));
	if (!m->notes)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct kx_cpu_note *cn = &m->notes[m->n_notes];

		r = kx_mread_u64(m, KX_PATH_CPU_CRASH_NOTES, cpus[i], 16, &cn->addr, d);
		if (r == -ENOENT)
			continue;	/* a possible CPU that is not present has no directory */
		if (r < 0)
			return r;
		r = kx_mread_u64(m, KX_PATH_CPU_CRASH_NOTES_SIZE, cpus[i], 10, &cn->size, d);
		if (r == -ENOENT)
			cn->size = 1024;	/* kernels before crash_notes_size: one note_buf_t fits */
		else if (r < 0)
			return r;
		if (!cn->addr || !cn->size || cn->size > 65536 || cn->addr + cn->size < cn->addr)
			return kx_diag_set(d, -EINVAL, "%s: crash notes at 0x%llx size %llu are not plausible",
					   kx_machine_path(KX_PATH_CPU_CRASH_NOTES, cpus[i], rel, sizeof(rel)),
					   (unsigned long long)cn->addr, (unsigned long long)cn->size);
		cn->cpu = cpus[i];
		m->n_notes++;
	}
	return 0;
}

static int load_vmcoreinfo(struct kx_machine *m, struct kx_diag *d)
{
	_cleanup_free_ char *s = NULL;
	unsigned long long a, sz;
	char rel[128], tail;
	int r;

	r = kx_mread(m, KX_PATH_VMCOREINFO, 0, &s, NULL, d);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	kx_chomp(s);
	if (sscanf(s, "%llx %llx%c", &a, &sz, &tail) != 2 || !a || !sz || sz > 65536)
		return kx_diag_set(d, -EINVAL, "%s: expected \"<hex address> <hex size>\", got \"%.40s\"",
				   kx_machine_path(KX_PATH_VMCOREINFO, 0, rel, sizeof(rel)), s);
	m->has_vmcoreinfo = true;
	m->vmcoreinfo_addr = a;
	m->vmcoreinfo_size = sz;
	return 0;
}

int kx_machine_load_crash(struct kx_machine *m, struct kx_diag *d)
{
	int r;

	if (m->loaded & KX_MACHINE_CRASH)
		return kx_machine_load_kcore(m, d);
	r = load_cpus(m, d);
	if (r < 0)
		return r;
	r = load_vmcoreinfo(m, d);
	if (r < 0)
		return r;
	r = kx_machine_load_hotplug(m, d);
	if (r < 0)
		return r;
	m->loaded |= KX_MACHINE_CRASH;
	return kx_machine_load_kcore(m, d);
}
