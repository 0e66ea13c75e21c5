/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * machine-kcore.c - the running kernel's own description of itself:
 * /proc/kcore's program headers and its VMCOREINFO note, read with libelf.
 * Only headers and the note segment are read, never memory.
 */
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <unistd.h>

#include "kdump-elf.h"
#include "machine-read.h"

static int kcore_notes(struct kx_kcore *k, Elf *e, const GElf_Phdr *ph, const char *fname,
		       struct kx_diag *d)
{
	Elf_Data *data;
	GElf_Nhdr nh;
	size_t off = 0, name_off, desc_off, next;

	if (ph->p_filesz > (16 << 20))
		return kx_diag_set(d, -EINVAL, "%s: PT_NOTE of %llu bytes is not plausible", fname,
				   (unsigned long long)ph->p_filesz);
	data = elf_getdata_rawchunk(e, (int64_t)ph->p_offset, ph->p_filesz, ELF_T_NHDR);
	if (!data)
		return kx_diag_set(d, -EINVAL, "%s: cannot read PT_NOTE at offset 0x%llx: %s", fname,
				   (unsigned long long)ph->p_offset, elf_errmsg(-1));
	while (off < data->d_size && (next = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
		const char *name = (const char *)data->d_buf + name_off;

		if (nh.n_namesz == sizeof("VMCOREINFO") && !memcmp(name, "VMCOREINFO", sizeof("VMCOREINFO"))) {
			free(k->vmcoreinfo);
			k->vmcoreinfo = strndup((const char *)data->d_buf + desc_off, nh.n_descsz);
			if (!k->vmcoreinfo)
				return -ENOMEM;
			k->vmcoreinfo_len = strlen(k->vmcoreinfo);
		}
		off = next;
	}
	return 0;
}

int kx_kcore_parse(struct kx_kcore *k, int fd, const char *fname, struct kx_diag *d)
{
	GElf_Ehdr eh;
	Elf *e;
	size_t n, i;
	int r = 0;

	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e)
		return kx_diag_set(d, -EINVAL, "%s: not readable as ELF: %s", fname, elf_errmsg(-1));
	if (elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_type != ET_CORE) {
		r = kx_diag_set(d, -EINVAL, "%s: not an ELF64 core file (e_type/EI_CLASS)", fname);
		goto out;
	}
	if (elf_getphdrnum(e, &n) < 0 || n > 65536) {
		r = kx_diag_set(d, -EINVAL, "%s: bad program header count: %s", fname, elf_errmsg(-1));
		goto out;
	}
	k->machine = eh.e_machine;
	k->loads = calloc(n ? n : 1, sizeof(*k->loads));
	if (!k->loads) {
		r = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph)) {
			r = kx_diag_set(d, -EINVAL, "%s: program header %zu: %s", fname, i, elf_errmsg(-1));
			goto out;
		}
		if (ph.p_type == PT_NOTE) {
			r = kcore_notes(k, e, &ph, fname, d);
			if (r < 0)
				goto out;
		} else if (ph.p_type == PT_LOAD) {
			struct kx_kcore_load *l = &k->loads[k->n_loads++];

			l->vaddr = ph.p_vaddr;
			l->paddr = ph.p_paddr;
			l->size = ph.p_memsz;
		}
	}
	if (!k->vmcoreinfo) {
		r = kx_diag_set(d, -EINVAL, "%s: no VMCOREINFO note", fname);
		goto out;
	}
	k->present = true;
out:
	elf_end(e);
	return r;
}

int kx_machine_load_kcore(struct kx_machine *m, struct kx_diag *d)
{
	_cleanup_close_ int fd = -1;
	char rel[128];
	int r;

	if (m->loaded & KX_MACHINE_KCORE) {
		if (m->kcore_err)
			return kx_diag_set(d, m->kcore_err, "%s: not readable before: %s",
					   kx_path_rel(KX_PATH_KCORE), strerror(-m->kcore_err));
		return 0;
	}
	m->loaded |= KX_MACHINE_KCORE;
	kx_machine_path(KX_PATH_KCORE, 0, rel, sizeof(rel));
	fd = kx_open_rel(m->root_fd, rel, O_RDONLY);
	if (fd < 0) {
		m->kcore_err = fd;
		if (fd == -ENOENT)
			return kx_diag_set(d, fd, "%s: missing (a kernel without CONFIG_PROC_KCORE?)", rel);
		return kx_diag_set(d, fd, "%s: cannot open: %s%s", rel, strerror(-fd),
				   fd == -EPERM || fd == -EACCES ?
				   " (needs CAP_SYS_RAWIO; refused under lockdown=confidentiality)" : "");
	}
	r = kx_kcore_parse(&m->kcore, fd, rel, d);
	if (r < 0)
		m->kcore_err = r;
	return r;
}

bool kx_vmcoreinfo_get(const struct kx_machine *m, const char *key, char *val, size_t len)
{
	const struct kx_kcore *k = &m->kcore;

	return k->vmcoreinfo && kdump_elf_vmcoreinfo_get(k->vmcoreinfo, k->vmcoreinfo_len, key, val, len) >= 0;
}

int kx_vmcoreinfo_u64(const struct kx_machine *m, const char *key, int base, uint64_t *ret)
{
	const struct kx_kcore *k = &m->kcore;

	if (!k->vmcoreinfo)
		return -ENOENT;
	return kdump_elf_vmcoreinfo_u64(k->vmcoreinfo, k->vmcoreinfo_len, key, base, ret);
}
