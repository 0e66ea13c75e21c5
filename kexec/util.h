/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * util.h - small hosted helpers shared by the loader: cleanup attributes,
 * overflow-checked arithmetic, alignment, and the diagnostic record.
 *
 * Errors are negative errno values.  Code below main() never prints: it
 * records what went wrong (file, field, value) in a struct kx_diag and
 * returns the errno; main() prints the record once.
 */
#ifndef KX_UTIL_H
#define KX_UTIL_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define KX_PAGE_SIZE 4096ULL

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _unused_ __attribute__((unused))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline void freep(void *p)
{
	free(*(void **)p);
}
#define _cleanup_free_ _cleanup_(freep)

static inline void closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
#define _cleanup_close_ _cleanup_(closep)

/* Hand ownership out of a _cleanup_ variable. */
#define TAKE_PTR(p) ({ __typeof__(p) _p = (p); (p) = NULL; _p; })
#define TAKE_FD(fd) ({ int _fd = (fd); (fd) = -1; _fd; })

static inline bool kx_is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* Round up to @a (a power of two); returns false on overflow. */
static inline bool kx_align_up(uint64_t v, uint64_t a, uint64_t *ret)
{
	uint64_t r;

	if (__builtin_add_overflow(v, a - 1, &r))
		return false;
	*ret = r & ~(a - 1);
	return true;
}

static inline uint64_t kx_align_down(uint64_t v, uint64_t a)
{
	return v & ~(a - 1);
}

/*
 * struct kx_diag - what went wrong, for the one message main() prints.
 * @err:  the negative errno that was returned
 * @msg:  "<file or syscall>: <field>: <problem>" (no trailing newline)
 */
struct kx_diag {
	int err;
	char msg[512];
};

/*
 * kx_diag_set - record a failure and return it
 * Returns @err (a negative errno), so callers can write
 * "return kx_diag_set(d, -EINVAL, "...")".  A NULL @d only returns @err.
 * The first record wins: a caller deeper down already said what failed.
 */
_printf_(3, 4) int kx_diag_set(struct kx_diag *d, int err, const char *fmt, ...);

/* Like kx_diag_set but always overwrites an earlier record. */
_printf_(3, 4) int kx_diag_reset(struct kx_diag *d, int err, const char *fmt, ...);

/* Parse a whole unsigned number (base 0: 0x, 0 or decimal; or a fixed base). */
int kx_parse_u64(const char *s, int base, uint64_t *ret);

#endif
