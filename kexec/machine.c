/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * machine.c - the base of the machine model (proc/iomem, proc/cmdline,
 * lockdown, the loaded flags), read once through the root fd.  The other
 * parts are read on demand: machine-crash.c, machine-kcore.c,
 * machine-firmware.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine-read.h"

int kx_lockdown_parse(const char *text, enum kx_lockdown *ret)
{
	static const char *const names[] = { "[none]", "[integrity]", "[confidentiality]" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		const char *p = strstr(text, names[i]);
		size_t n = strlen(names[i]);

		/* a whole word: the kernel prints "none integrity [confidentiality]" */
		if (p && (p == text || p[-1] == ' ') && (p[n] == 0 || p[n] == ' ' || p[n] == '\n')) {
			*ret = (enum kx_lockdown)i;
			return 0;
		}
	}
	return -EINVAL;
}

static int load_lockdown(struct kx_machine *m, struct kx_diag *d)
{
	_cleanup_free_ char *s = NULL;
	int r;

	r = kx_mread(m, KX_PATH_LOCKDOWN, 0, &s, NULL, NULL);
	if (r < 0)
		return 0;	/* securityfs not mounted, or not ours to read: unknown */
	if (kx_lockdown_parse(s, &m->lockdown) < 0)
		return kx_diag_set(d, -EINVAL, "%s: expected \"none integrity confidentiality\" with one in [brackets], got \"%.60s\"",
				   kx_path_rel(KX_PATH_LOCKDOWN), s);
	return 0;
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
	m->lockdown = KX_LOCKDOWN_UNKNOWN;
	m->root = strdup(root);
	if (!m->root)
		return -ENOMEM;

	r = kx_mread_flag(m, KX_PATH_KEXEC_LOADED, KX_PATH_KEXEC_LOADED_OLD, &m->kexec_loaded, d);
	if (r < 0)
		return r;
	r = kx_mread_flag(m, KX_PATH_CRASH_LOADED, KX_PATH_CRASH_LOADED_OLD, &m->crash_loaded, d);
	if (r < 0)
		return r;
	m->loaded |= KX_MACHINE_STATUS;
	if (what == KX_MACHINE_STATUS)
		return 0;

	r = kx_mread(m, KX_PATH_IOMEM, 0, &iomem, &len, d);
	if (r < 0)
		return r;
	kx_machine_path(KX_PATH_IOMEM, 0, rel, sizeof(rel));
	r = kx_iomem_parse(m, iomem, len, rel, d);
	if (r < 0)
		return r;
	if (!m->ram.n)
		return kx_diag_set(d, -EINVAL, "%s: no \"System RAM\" ranges", rel);

	r = kx_mread(m, KX_PATH_CMDLINE, 0, &m->cmdline, NULL, d);
	if (r < 0 && r != -ENOENT)
		return r;
	if (m->cmdline)
		kx_chomp(m->cmdline);
	r = load_lockdown(m, d);
	if (r < 0)
		return r;
	{
		_cleanup_free_ char *id = NULL;

		if (kx_mread(m, KX_PATH_BOOT_ID, 0, &id, NULL, NULL) == 0) {
			kx_chomp(id);
			snprintf(m->boot_id, sizeof(m->boot_id), "%s", id);
		}
	}
	m->loaded |= KX_MACHINE_BASE;
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
	kx_ranges_done(&m->ram_reserved);
	kx_ranges_done(&m->fw_memmap);
	free(m->zones);
	kx_ranges_done(&m->hp.hotpluggable);
	kx_ranges_done(&m->hp.virtio_mem);
	free(m->notes);
	free(m->cmdline);
	free(m->boot_data);
	free(m->efi.rtmap);
	free(m->kcore.vmcoreinfo);
	free(m->kcore.loads);
	free(m->root);
	memset(m, 0, sizeof(*m));
	m->root_fd = -1;
}
