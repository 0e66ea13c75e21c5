/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fake-bzimage.c - a synthetic x86_64 bzImage for unit tests (cannot boot). */
#include <stdlib.h>
#include <string.h>

#include "bootparam.h"
#include "fake-bzimage.h"




uint8_t *kt_fake_bzimage(size_t *len)
{
	size_t setup = (SETUP_SECTS + 1) * 512;
	uint8_t *b = calloc(1, setup + PAYLOAD);

	bp_put8(b, BP_SETUP_SECTS, SETUP_SECTS);
	bp_put32(b, BP_SYSSIZE, PAYLOAD / 16);
	bp_put16(b, BP_BOOT_FLAG, 0xaa55);
	b[0x200] = 0xeb;
	b[0x201] = 0x6a;	/* header reaches 0x26c */
	memcpy(b + BP_HEADER_MAGIC, "HdrS", 4);
	bp_put16(b, BP_VERSION, 0x020f);
	bp_put8(b, BP_LOADFLAGS, LOADED_HIGH);
	bp_put32(b, BP_INITRD_ADDR_MAX, 0x7fffffff);
	bp_put32(b, BP_KERNEL_ALIGNMENT, 0x200000);
	bp_put8(b, BP_RELOCATABLE, 1);
	bp_put16(b, BP_XLOADFLAGS, XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G);
	bp_put32(b, BP_CMDLINE_SIZE, 255);
	bp_put64(b, BP_PREF_ADDRESS, 0x1000000);
	bp_put32(b, BP_INIT_SIZE, 0x400000);
	memset(b + setup, 0x90, PAYLOAD);
	*len = setup + PAYLOAD;
	return b;
}

