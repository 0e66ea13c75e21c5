/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kexec.c - the next kernel's DTB: the running tree with its /memreserve/
 * entries dropped and /chosen rewritten (what the kernel's kexec_file does in
 * of_kexec_alloc_and_setup_fdt(), for kexec_load).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kfdt.h"
#include "kfdt-int.h"

/* /chosen properties a previous kexec (or the firmware handing over to us) left, never valid for the next kernel */
static const char *const stale[] = {
	"linux,elfcorehdr", "linux,usable-memory-range", "linux,initrd-start", "linux,initrd-end",
	"linux,booted-from-kexec", "linux,ima-kexec-buffer", "linux,tpm-kexec-buffer",
};
#define STALE_PREFIX "linux,kho-"

static int is_stale(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(stale) / sizeof(stale[0]); i++)
		if (strcmp(name, stale[i]) == 0)
			return 1;
	return strncmp(name, STALE_PREFIX, strlen(STALE_PREFIX)) == 0;
}

/* delete the stale properties of node @chosen: 0 or a libfdt error */
static int drop_stale(void *fdt, int chosen)
{
	int prop, r;

again:
	fdt_for_each_property_offset(prop, fdt, chosen) {
		const char *name;

		if (!fdt_getprop_by_offset(fdt, prop, &name, NULL) || !name)
			return -FDT_ERR_BADSTRUCTURE;
		if (is_stale(name)) {
			r = fdt_delprop(fdt, chosen, name);
			if (r < 0)
				return r;
			goto again;	/* offsets moved */
		}
	}
	return prop == -FDT_ERR_NOTFOUND ? 0 : prop;
}

/* set @name to @val (@len bytes) or delete it: 0 or a libfdt error */
static int set_or_del(void *fdt, int node, const char *name, int set, const void *val, int len)
{
	int r;

	if (set)
		return fdt_setprop(fdt, node, name, val, len);
	r = fdt_delprop(fdt, node, name);
	return r == -FDT_ERR_NOTFOUND ? 0 : r;
}

/* replace @name with @len bytes of @val only if the property exists */
static int refresh(void *fdt, int node, const char *name, const void *val, size_t len)
{
	int cur;

	if (!val || !fdt_getprop(fdt, node, name, &cur))
		return 0;
	return fdt_setprop(fdt, node, name, val, (int)len);
}

/* encode the cell values; -ERANGE or -EINVAL with *why, before the tree is touched */
static int encode(const void *in, const struct kfdt_kexec *k, fdt32_t *ech, fdt32_t *usable, int *na_out,
		  int *ns_out, const char **why)
{
	int na = 2, ns = 2, r;
	unsigned i;

	if (k->has_elfcorehdr || k->n_usable) {
		r = kfdt_root_cells(in, &na, &ns, why);
		if (r < 0)
			return r;
	}
	if (k->has_elfcorehdr &&
	    (kfdt_put_num(ech, na, k->elfcorehdr_addr) < 0 || kfdt_put_num(ech + na, ns, k->elfcorehdr_size) < 0))
		return kfdt_why(why, -ERANGE, "linux,elfcorehdr <0x%llx 0x%llx> does not fit #address-cells %d / #size-cells %d",
				(unsigned long long)k->elfcorehdr_addr, (unsigned long long)k->elfcorehdr_size, na, ns);
	for (i = 0; i < k->n_usable; i++) {
		fdt32_t *c = usable + i * (unsigned)(na + ns);

		if (kfdt_put_num(c, na, k->usable[i].start) < 0 || kfdt_put_num(c + na, ns, k->usable[i].size) < 0)
			return kfdt_why(why, -ERANGE,
					"linux,usable-memory-range <0x%llx 0x%llx> does not fit #address-cells %d / #size-cells %d",
					(unsigned long long)k->usable[i].start, (unsigned long long)k->usable[i].size, na, ns);
	}
	*na_out = na;
	*ns_out = ns;
	return 0;
}

/* every edit on @fdt (already opened into a big enough buffer): 0 or a libfdt error */
static int edit(void *fdt, const struct kfdt_kexec *k, const fdt32_t *ech, const fdt32_t *usable, int na, int ns)
{
	int chosen, r;

	while (fdt_num_mem_rsv(fdt) > 0)
		if ((r = fdt_del_mem_rsv(fdt, 0)) < 0)
			return r;
	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen == -FDT_ERR_NOTFOUND)
		chosen = fdt_add_subnode(fdt, 0, "chosen");
	if (chosen < 0)
		return chosen;
	if ((r = drop_stale(fdt, chosen)) < 0)
		return r;
	if ((r = set_or_del(fdt, chosen, "bootargs", k->bootargs != NULL, k->bootargs,
			    k->bootargs ? (int)strlen(k->bootargs) + 1 : 0)) < 0)
		return r;
	if (k->has_initrd) {
		if ((r = fdt_setprop_u64(fdt, chosen, "linux,initrd-start", k->initrd_start)) < 0 ||
		    (r = fdt_setprop_u64(fdt, chosen, "linux,initrd-end", k->initrd_end)) < 0)
			return r;
	}
	if (k->has_elfcorehdr && (r = fdt_setprop(fdt, chosen, "linux,elfcorehdr", ech, (na + ns) * 4)) < 0)
		return r;
	if (k->n_usable &&
	    (r = fdt_setprop(fdt, chosen, "linux,usable-memory-range", usable, (int)k->n_usable * (na + ns) * 4)) < 0)
		return r;
	if ((r = refresh(fdt, chosen, "kaslr-seed", k->kaslr_seed, 8)) < 0)
		return r;
	return refresh(fdt, chosen, "rng-seed", k->rng_seed, k->rng_seed_len);
}

int kfdt_kexec_build(const void *in, size_t in_len, const struct kfdt_kexec *k,
		     void **out, size_t *out_len, const char **why)
{
	fdt32_t ech[4], *usable = NULL;
	size_t room, size, blen = k->bootargs ? strlen(k->bootargs) + 1 : 0;
	void *buf = NULL;
	int na = 2, ns = 2, r, tries, oom = 0;

	r = kfdt_check(in, in_len, why);
	if (r < 0)
		return r;
	if ((k->n_usable && !k->usable) || (k->rng_seed_len && !k->rng_seed) ||
	    (k->has_initrd && k->initrd_end < k->initrd_start))
		return kfdt_why(why, -EINVAL, "kexec DTB request: initrd end before start, or a count without its array");
	/* bound every length so the int arithmetic of libfdt cannot overflow */
	if (blen > KFDT_MAX_DTB_SIZE || k->n_usable > KFDT_MAX_DTB_SIZE / 16 || k->rng_seed_len > KFDT_MAX_DTB_SIZE ||
	    k->extra_space > KFDT_MAX_DTB_SIZE || fdt_totalsize(in) > KFDT_MAX_DTB_SIZE * 4u)
		return kfdt_why(why, -E2BIG, "the next kernel's DTB would be over %u bytes", KFDT_MAX_DTB_SIZE);
	if (k->n_usable) {
		usable = calloc(k->n_usable, 4 * sizeof(*usable));
		if (!usable)
			return kfdt_why(why, -ENOMEM, "out of memory");
	}
	r = encode(in, k, ech, usable, &na, &ns, why);
	if (r < 0)
		goto out;
	/* room for the new properties, their names and /chosen; doubled on NOSPACE */
	room = blen + k->n_usable * 16 + k->rng_seed_len + 1024;
	for (tries = 0; tries < 4; tries++, room *= 2) {
		size = fdt_totalsize(in) + room;
		free(buf);
		buf = malloc(size);
		if (!buf) {
			oom = 1;
			break;
		}
		r = fdt_open_into(in, buf, (int)size);
		if (r == 0)
			r = edit(buf, k, ech, usable, na, ns);
		if (r != -FDT_ERR_NOSPACE)
			break;
	}
	if (oom) {
		r = kfdt_why(why, -ENOMEM, "out of memory");
		goto out;
	}
	if (r == 0)
		r = fdt_pack(buf);
	if (r < 0) {
		r = kfdt_lib_err(why, r);
		goto out;
	}
	size = fdt_totalsize(buf) + k->extra_space;
	if (size > KFDT_MAX_DTB_SIZE) {
		r = kfdt_why(why, -E2BIG, "the next kernel's DTB is %zu bytes, over the %u bytes arm64 boots with",
			     size, KFDT_MAX_DTB_SIZE);
		goto out;
	}
	{
		void *nb = realloc(buf, size);

		if (!nb) {
			r = kfdt_why(why, -ENOMEM, "out of memory");
			goto out;
		}
		buf = nb;
	}
	memset((char *)buf + fdt_totalsize(buf), 0, k->extra_space);
	fdt_set_totalsize(buf, (uint32_t)size);
	*out = buf;
	*out_len = size;
	buf = NULL;
	r = 0;
out:
	free(buf);
	free(usable);
	return r;
}
