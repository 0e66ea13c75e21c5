/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * machine-read.h - how the machine model's files read the path table
 * (internal to machine*.c).  Every reader names the file in its message.
 */
#ifndef KX_MACHINE_READ_H
#define KX_MACHINE_READ_H

#include "machine.h"

/*
 * kx_mread - read table path @id (@idx fills its %u) whole
 * Returns 0, -ENOENT quietly for a missing optional file, or another
 * -errno with @d naming the file.
 */
int kx_mread(struct kx_machine *m, enum kx_path_id id, unsigned idx, char **ret, size_t *ret_len,
	     struct kx_diag *d);

/* kx_mread_u64 - a one-number file in @base.  0, -ENOENT (optional, absent), -EINVAL with @d. */
int kx_mread_u64(struct kx_machine *m, enum kx_path_id id, unsigned idx, int base, uint64_t *ret,
		 struct kx_diag *d);

/* kx_mread_u64_either - the new /sys/kernel/kexec/ name, then the old one; *ret_id says which. */
int kx_mread_u64_either(struct kx_machine *m, enum kx_path_id id, enum kx_path_id old, uint64_t *ret,
			enum kx_path_id *ret_id, struct kx_diag *d);

/* kx_mread_flag - a 0/1 file (new name, then old); *ret = -1 when absent.  0 or -EINVAL. */
int kx_mread_flag(struct kx_machine *m, enum kx_path_id id, enum kx_path_id old, int *ret,
		  struct kx_diag *d);

/* kx_mread_cpus - a CPU list file (possible, present) as CPU numbers.  0, -ENOENT (optional, absent), -EINVAL with @d. */
int kx_mread_cpus(struct kx_machine *m, enum kx_path_id id, unsigned **ret, size_t *ret_n, struct kx_diag *d);

/* Strip trailing newlines and blanks in place. */
void kx_chomp(char *s);

#endif
