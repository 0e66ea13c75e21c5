/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kversion.h - the release of a kernel image, read from its banner
 * ("Linux version 6.1.0-18-arm64 (debian-kernel@...) ...").
 */
#ifndef KX_KVERSION_H
#define KX_KVERSION_H

#include <stddef.h>
#include <stdint.h>

/*
 * kx_kernel_version - find the first "Linux version X.Y..." in @buf (an uncompressed kernel
 * image: a compressed one shows no banner) and parse it
 * @ver: gets the release token (up to the first blank or unprintable byte), NUL-terminated,
 *       cut to @n - 1 bytes (may be NULL when @n is 0)
 * Returns 0 with @ver, *major and *minor (either may be NULL) filled, -ENOENT if no banner
 * with a "<digits>.<digits>" release is in @buf.
 */
int kx_kernel_version(const uint8_t *buf, size_t len, char *ver, size_t n, unsigned *major, unsigned *minor);

#endif
