/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bootparam.h - the x86 boot protocol offsets kexec uses
 * (Documentation/arch/x86/boot.rst, "zero page" = struct boot_params).
 * Offsets, not a struct: the layout is an ABI and is written byte-exact.
 */
#ifndef KX_X86_BOOTPARAM_H
#define KX_X86_BOOTPARAM_H

#include <stdint.h>
#include <string.h>

#define BP_SIZE			4096
#define BP_SCREEN_INFO		0x000	/* 0x40 bytes */
#define BP_ACPI_RSDP_ADDR	0x070	/* u64 */
#define BP_EXT_RAMDISK_IMAGE	0x0c0	/* u32 */
#define BP_EXT_RAMDISK_SIZE	0x0c4	/* u32 */
#define BP_EXT_CMD_LINE_PTR	0x0c8	/* u32 */
#define BP_EFI_INFO		0x1c0	/* struct efi_info, 32 bytes: */
#define BP_EFI_LOADER_SIGNATURE	0x1c0	/*   u32 "EL64" */
#define BP_EFI_SYSTAB		0x1c4	/*   u32 */
#define BP_EFI_MEMDESC_SIZE	0x1c8	/*   u32 */
#define BP_EFI_MEMDESC_VERSION	0x1cc	/*   u32 */
#define BP_EFI_MEMMAP		0x1d0	/*   u32 */
#define BP_EFI_MEMMAP_SIZE	0x1d4	/*   u32 */
#define BP_EFI_SYSTAB_HI	0x1d8	/*   u32 */
#define BP_EFI_MEMMAP_HI	0x1dc	/*   u32 */
#define BP_E820_ENTRIES		0x1e8	/* u8 */
#define BP_EDDBUF_ENTRIES	0x1e9	/* u8 */
#define BP_EDD_MBR_SIG_ENTRIES	0x1ea	/* u8 */
#define BP_SECURE_BOOT		0x1ec	/* u8 */
#define BP_SENTINEL		0x1ef	/* u8, must be 0 */
#define BP_HDR			0x1f1	/* start of struct setup_header */
#define BP_SETUP_SECTS		0x1f1	/* u8 */
#define BP_SYSSIZE		0x1f4	/* u32, 16-byte units */
#define BP_BOOT_FLAG		0x1fe	/* u16 = 0xaa55 */
#define BP_JUMP			0x200	/* u16; byte 0x201 = header length - 2 */
#define BP_HEADER_MAGIC		0x202	/* "HdrS" */
#define BP_VERSION		0x206	/* u16 */
#define BP_TYPE_OF_LOADER	0x210	/* u8 */
#define BP_LOADFLAGS		0x211	/* u8 */
#define BP_RAMDISK_IMAGE	0x218	/* u32 */
#define BP_RAMDISK_SIZE		0x21c	/* u32 */
#define BP_CMD_LINE_PTR		0x228	/* u32 */
#define BP_INITRD_ADDR_MAX	0x22c	/* u32 */
#define BP_KERNEL_ALIGNMENT	0x230	/* u32 */
#define BP_RELOCATABLE		0x234	/* u8 */
#define BP_XLOADFLAGS		0x236	/* u16 */
#define BP_CMDLINE_SIZE		0x238	/* u32 */
#define BP_HARDWARE_SUBARCH	0x23c	/* u32 */
#define BP_SETUP_DATA		0x250	/* u64 */
#define BP_PREF_ADDRESS		0x258	/* u64 */
#define BP_INIT_SIZE		0x260	/* u32 */
#define BP_EDD_MBR_SIG_BUF	0x290	/* 16 x u32 */
#define BP_E820_TABLE		0x2d0	/* 128 x { u64 addr; u64 size; u32 type } */
#define BP_EDDBUF		0xd00	/* 6 x struct edd_info (82 bytes) */
#define BP_EDDBUF_LEN		(6 * 82)
#define BP_E820_MAX		128
#define BP_E820_ENTRY_SIZE	20

#define LOADED_HIGH		0x01
#define XLF_KERNEL_64		(1 << 0)
#define XLF_CAN_BE_LOADED_ABOVE_4G (1 << 1)
#define XLF_EFI_KEXEC		(1 << 4)	/* keeps EFI runtime services across kexec */
#define XLF_5LEVEL		(1 << 5)
#define EFI64_LOADER_SIGNATURE	0x34364c45	/* "EL64" */
#define EFI_MEMDESC_SIZE	40	/* efi_memory_desc_t: u32 type, pad, 4 x u64 */
#define LOADER_TYPE_KEXEC	0xd0	/* 0x0D << 4 */
#define SETUP_E820_EXT		1
#define SETUP_DTB		2
#define SETUP_EFI		4
#define SETUP_EFI_LEN		96	/* struct efi_setup_data: fw_vendor, unused, tables, smbios, reserved[8] */
#define X86_64_ENTRY_OFFSET	0x200	/* startup_64 from the load address */

#define E820_RAM		1
#define E820_RESERVED		2
#define E820_ACPI		3
#define E820_NVS		4
#define E820_UNUSABLE		5
#define E820_PMEM		7
#define E820_PRAM		12
#define E820_SOFT_RESERVED	0xefffffff

static inline uint8_t bp_get8(const uint8_t *b, unsigned off) { return b[off]; }
static inline uint16_t bp_get16(const uint8_t *b, unsigned off)
{
	uint16_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}
static inline uint32_t bp_get32(const uint8_t *b, unsigned off)
{
	uint32_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}
static inline uint64_t bp_get64(const uint8_t *b, unsigned off)
{
	uint64_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}
static inline void bp_put8(uint8_t *b, unsigned off, uint8_t v) { b[off] = v; }
static inline void bp_put16(uint8_t *b, unsigned off, uint16_t v) { memcpy(b + off, &v, sizeof(v)); }
static inline void bp_put32(uint8_t *b, unsigned off, uint32_t v) { memcpy(b + off, &v, sizeof(v)); }
static inline void bp_put64(uint8_t *b, unsigned off, uint64_t v) { memcpy(b + off, &v, sizeof(v)); }

#endif
