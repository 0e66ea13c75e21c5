/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * state.h - the record of a loaded crash plan (run/kexec-ng/crash.state
 * under the root), for kexec --reload-elfcorehdr and for putting the last
 * good plan back after a failed reload.
 *
 * It holds what a reload must not recompute: the argv of the load, every
 * segment's address and size, the bytes of the small segments (boot data,
 * purgatory, the crash header) and, for the kernel and initrd, the file's
 * identity (device, inode, size, mtime and ctime) instead of its bytes, and
 * the SHA-256 digest the purgatory checks over all of them.
 * The file is written 0600 into a 0700 directory by rename(2) over the old
 * one, and ends with a SHA-256 of everything before it.
 */
#ifndef KX_STATE_H
#define KX_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "cma.h"
#include "plan.h"
#include "util.h"

/*
 * Format versions: 1, and 2 = 1 plus "cma START END" lines (the crash CMA
 * ranges the header leaves out).  A state without crash CMA is written as
 * version 1, so kexecs that read only version 1 still read it.
 */
#define KX_STATE_VERSION 2
#define KX_STATE_VERSION_MIN 1
#define KX_STATE_FILES 2	/* kernel, initrd */

/*
 * A file the plan's bytes come from.  ctime changes with every write to the
 * file and cannot be set from userspace, so the identity changes whenever
 * the content can have.
 */
struct kx_state_file {
	char *path;
	uint64_t dev, ino, size;
	int64_t mtime_sec, mtime_nsec, ctime_sec, ctime_nsec;
};

enum kx_state_src {
	KX_SRC_BLOB,		/* the bytes are in the state */
	KX_SRC_FILE,		/* file[@file] from offset @off */
};

struct kx_state_seg {
	enum kx_seg_role role;
	uint64_t mem, memsz;
	size_t bufsz;
	bool in_digest;
	enum kx_state_src src;
	unsigned file;
	uint64_t off;
	uint8_t *blob;		/* KX_SRC_BLOB: bufsz bytes (owned) */
};

/*
 * struct kx_state
 * @syscall:      KX_SYS_KEXEC_LOAD, or KX_SYS_KEXEC_FILE_LOAD (then only
 *                @argv and @boot_id matter: a reload is a full one)
 * @hdr_index:    which segment is the crash header
 * @hdr_capacity/@hdr_used: its program header slots, and how many are used
 * @has_digest/@digest: the SHA-256 the purgatory checks (none with -i): over
 *                every segment but the purgatory and the header
 * @fast:         every segment is a file slice or a blob: a reload can
 *                re-issue the load without parsing anything
 * @cma:          crash CMA ranges (--crash-cma) the header leaves out; a reload keeps them out
 * @written/@writer: when and by what ("load", "reload", "relink") the header was last written
 */
struct kx_state {
	enum kx_syscall syscall;
	char **argv;
	int argc;
	char boot_id[64];
	int64_t written;
	char writer[16];
	unsigned long flags;
	uint64_t entry;
	unsigned hdr_index, hdr_capacity, hdr_used;
	bool has_digest;
	uint8_t digest[32];
	bool fast;
	struct kx_state_file files[KX_STATE_FILES];
	unsigned n_files;
	struct kx_state_seg segs[KX_MAX_SEGMENTS];
	unsigned n_segs;
	struct kx_cma cma;	/* crash CMA ranges the header leaves out (version 2) */
};

struct kx_ctx;

/*
 * kx_state_from_plan - what to record for a loaded crash @plan
 * Files are identified by fstat(2) of the descriptors the load read; nothing
 * is hashed again (the plan's digest covers their bytes).  Returns 0,
 * -ENOMEM, or the errno of fstat.
 */
int kx_state_from_plan(struct kx_state *st, const struct kx_ctx *ctx, const struct kx_plan *plan);

/* kx_state_file_identity - @f's identity fields from fstat(2) of @fd.  0 or -errno. */
int kx_state_file_identity(int fd, struct kx_state_file *f);

/*
 * kx_state_write - replace run/kexec-ng/crash.state under @root_fd atomically
 * Creates run/kexec-ng (0700) if needed; refuses a directory that is a
 * symlink or writable by others.  Returns 0 or -errno (with @d naming the path).
 */
int kx_state_write(int root_fd, const struct kx_state *st, struct kx_diag *d);

/*
 * kx_state_read - read and verify the state under @root_fd
 * Returns 0, -ENOENT (no state: nothing was loaded by kexec-ng), or with @d
 * naming the file and what is wrong: -EPERM (writable by others, or not
 * owned by us), -EPROTO (another format version), -EBADMSG (corrupt:
 * malformed line, bad checksum, truncated), -ENOMEM.
 */
int kx_state_read(int root_fd, struct kx_state *st, struct kx_diag *d);

/* kx_state_remove - forget the loaded plan (after an unload).  0, or -errno other than ENOENT. */
int kx_state_remove(int root_fd);

/* kx_state_seg_plan - the state's segment @i as a kx_segment, with @buf its bytes. */
struct kx_segment kx_state_segment(const struct kx_state *st, unsigned i, void *buf);

void kx_state_done(struct kx_state *st);

#endif
