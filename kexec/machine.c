/* SPDX-License-Identifier: GPL-2.0-or-later */
/* machine.c - read the machine model once, through the root fd. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "machine.h"

/* Read a path of the table; -ENOENT is returned quietly for optional files. */
static int read_path(struct kx_machine *m, enum kx_path_id id, unsigned cpu, char **ret, size_t *ret_len,
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

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = 0;
}

/* A one-number sysfs file.  Returns 0, -ENOENT if absent (optional), -EINVAL with @d set. */
static int read_u64(struct kx_machine *m, enum kx_path_id id, unsigned cpu, int base, uint64_t *ret,
		    struct kx_diag *d)
{
	_cleanup_free_ char *s = NULL;
	char rel[128];
	int r;

	r = read_path(m, id, cpu, &s, NULL, d);
	if (r < 0)
		return r;
	chomp(s);
	r = kx_parse_u64(s, base, ret);
	if (r < 0)
		return kx_diag_set(d, -EINVAL, "%s: expected a %s number, got \"%.40s\"",
				   kx_machine_path(id, cpu, rel, sizeof(rel)),
				   base == 16 ? "hexadecimal" : "decimal", s);
	return 0;
}

/* Try the new /sys/kernel/kexec/ name, then the old one; *ret_id says which was read. */
static int read_u64_either(struct kx_machine *m, enum kx_path_id id, enum kx_path_id old, uint64_t *ret,
			   enum kx_path_id *ret_id, struct kx_diag *d)
{
	int r = read_u64(m, id, 0, 10, ret, d);

	*ret_id = id;
	if (r == -ENOENT && old != KX_PATH_MAX) {
		*ret_id = old;
		r = read_u64(m, old, 0, 10, ret, d);
	}
	return r;
}

static int read_flag(struct kx_machine *m, enum kx_path_id id, enum kx_path_id old, int *ret, struct kx_diag *d)
{
	enum kx_path_id got;
	uint64_t v;
	char rel[128];
	int r;

	r = read_u64_either(m, id, old, &v, &got, d);
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
	_cleanup_free_ char *s = NULL;
	_cleanup_free_ unsigned *cpus = NULL;
	size_t n, i;
	char rel[128];
	int r;

	r = read_path(m, KX_PATH_CPU_POSSIBLE, 0, &s, NULL, d);
	if (r < 0)
		return r;
	r = kx_cpu_list_parse(s, kx_machine_path(KX_PATH_CPU_POSSIBLE, 0, rel, sizeof(rel)), &cpus, &n, d);
	if (r < 0)
		return r;
	m->notes = calloc(n, sizeof(*m->notes));
	if (!m->notes)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct kx_cpu_note *cn = &m->notes[m->n_notes];

		r = read_u64(m, KX_PATH_CPU_CRASH_NOTES, cpus[i], 16, &cn->addr, d);
		if (r == -ENOENT)
			continue;	/* a possible CPU that is not present has no directory */
		if (r < 0)
			return r;
		r = read_u64(m, KX_PATH_CPU_CRASH_NOTES_SIZE, cpus[i], 10, &cn->size, d);
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

	r = read_path(m, KX_PATH_VMCOREINFO, 0, &s, NULL, d);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	chomp(s);
	if (sscanf(s, "%llx %llx%c", &a, &sz, &tail) != 2 || !a || !sz || sz > 65536)
		return kx_diag_set(d, -EINVAL, "%s: expected \"<hex address> <hex size>\", got \"%.40s\"",
				   kx_machine_path(KX_PATH_VMCOREINFO, 0, rel, sizeof(rel)), s);
	m->has_vmcoreinfo = true;
	m->vmcoreinfo_addr = a;
	m->vmcoreinfo_size = sz;
	return 0;
}

static int load_crash(struct kx_machine *m, struct kx_diag *d)
{
	_cleanup_close_ int fd = -1;
	enum kx_path_id got;
	char rel[128];
	uint64_t v;
	int r;

	r = load_cpus(m, d);
	if (r < 0)
		return r;
	r = load_vmcoreinfo(m, d);
	if (r < 0)
		return r;
	r = read_u64_either(m, KX_PATH_ELFCOREHDR_SIZE, KX_PATH_ELFCOREHDR_SIZE_OLD, &v, &got, d);
	if (r == 0) {
		m->has_elfcorehdr_size = true;
		m->elfcorehdr_size = v;
	} else if (r != -ENOENT) {
		return r;
	}
	r = read_flag(m, KX_PATH_MEM_CRASH_HOTPLUG, KX_PATH_MAX, &m->mem_crash_hotplug, d);
	if (r < 0)
		return r;
	r = read_flag(m, KX_PATH_CPU_CRASH_HOTPLUG, KX_PATH_MAX, &m->cpu_crash_hotplug, d);
	if (r < 0)
		return r;

	kx_machine_path(KX_PATH_KCORE, 0, rel, sizeof(rel));
	fd = kx_open_rel(m->root_fd, rel, O_RDONLY);
	if (fd < 0) {
		if (fd == -ENOENT)
			return 0;
		return kx_diag_set(d, fd, "%s: cannot open: %s", rel, strerror(-fd));
	}
	return kx_kcore_parse(&m->kcore, fd, rel, d);
}

int kx_machine_load(struct kx_machine *m, int root_fd, const char *root, unsigned what,
		    struct kx_diag *d)
{
	_cleanup_free_ char *iomem = NULL;
	size_t len;
	char rel[128];
	int r;

	memset(m, 0, sizeof(*m));
	m->root_fd = root_fd;
	m->kexec_loaded = m->crash_loaded = -1;
	m->mem_crash_hotplug = m->cpu_crash_hotplug = -1;
	m->root = strdup(root);
	if (!m->root)
		return -ENOMEM;

	r = read_flag(m, KX_PATH_KEXEC_LOADED, KX_PATH_KEXEC_LOADED_OLD, &m->kexec_loaded, d);
	if (r < 0)
		return r;
	r = read_flag(m, KX_PATH_CRASH_LOADED, KX_PATH_CRASH_LOADED_OLD, &m->crash_loaded, d);
	if (r < 0)
		return r;
	if (what == KX_MACHINE_STATUS)
		return 0;

	r = read_path(m, KX_PATH_IOMEM, 0, &iomem, &len, d);
	if (r < 0)
		return r;
	r = kx_iomem_parse(m, iomem, len, kx_machine_path(KX_PATH_IOMEM, 0, rel, sizeof(rel)), d);
	if (r < 0)
		return r;
	if (!m->ram.n)
		return kx_diag_set(d, -EINVAL, "%s: no \"System RAM\" ranges", rel);

	r = read_path(m, KX_PATH_CMDLINE, 0, &m->cmdline, NULL, d);
	if (r < 0 && r != -ENOENT)
		return r;
	if (m->cmdline)
		chomp(m->cmdline);

	r = read_path(m, KX_PATH_BOOT_PARAMS, 0, (char **)&m->boot_params, &m->boot_params_len, d);
	if (r < 0 && r != -ENOENT)
		return r;

	if (what & KX_MACHINE_CRASH)
		return load_crash(m, d);
	return 0;
}

void kx_machine_done(struct kx_machine *m)
{
	size_t i;

	for (i = 0; i < m->n_iomem; i++)
		free(m->iomem[i].name);
	free(m->iomem);
	kx_ranges_done(&m->ram);
	kx_ranges_done(&m->firmware);
	kx_ranges_done(&m->crash);
	free(m->notes);
	free(m->cmdline);
	free(m->boot_params);
	free(m->kcore.vmcoreinfo);
	free(m->kcore.loads);
	free(m->root);
	memset(m, 0, sizeof(*m));
	m->root_fd = -1;
}
