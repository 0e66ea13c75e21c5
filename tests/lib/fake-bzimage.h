/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fake-bzimage.h - a synthetic bzImage: boot protocol 2.15, 64-bit,
 * relocatable, 2 MiB alignment, cmdline_size 255, init_size 4 MiB,
 * SETUP_SECTS setup sectors and a PAYLOAD-byte protected-mode part.
 */
#ifndef KT_FAKE_BZIMAGE_H
#define KT_FAKE_BZIMAGE_H

#include <stddef.h>
#include <stdint.h>

#define SETUP_SECTS 3
#define PAYLOAD 0x8000

/* malloc'd image; *len gets its size */
uint8_t *kt_fake_bzimage(size_t *len);

#endif
