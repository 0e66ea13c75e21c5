/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * purgatory.h - the contract between the loader and the purgatory: the
 * symbols the loader patches (kx_purg_set_sym) before the load.  Shared by
 * the freestanding purgatory and by hosted code (sizes must match exactly).
 */
#ifndef PG_PURGATORY_H
#define PG_PURGATORY_H

#include <stdint.h>

#define PG_MAX_REGIONS 16	/* one per kexec segment at most */

struct pg_sha_region {
	uint64_t start;
	uint64_t len;
};

/* Generic symbols (every arch) */
#define PG_SYM_REGIONS	"purgatory_sha_regions"	/* struct pg_sha_region[PG_MAX_REGIONS] */
#define PG_SYM_DIGEST	"purgatory_sha256_digest"	/* uint8_t[32] */
#define PG_SYM_SKIP	"purgatory_skip_checks"	/* uint8_t: 1 = do not verify (kexec -i) */
#define PG_SYM_DEBUG	"purgatory_debug"	/* uint8_t: 1 = also print progress ("digest ok"); default 0, quiet */

/* x86_64 entry state for the next kernel */
#define PG_SYM_X86_RIP	"purgatory_entry_rip"	/* uint64_t: kernel load address + 0x200 (startup_64) */
#define PG_SYM_X86_RSI	"purgatory_entry_rsi"	/* uint64_t: physical address of boot_params */
#define PG_SYM_X86_CONSOLE "purgatory_console_port"	/* uint16_t: 8250 I/O port for messages, 0 = silent */

/* arm64 entry state for the next kernel (all physical addresses) */
#define PG_SYM_ARM64_ENTRY "purgatory_arm64_kernel_entry"	/* uint64_t: the Image's first byte */
#define PG_SYM_ARM64_DTB   "purgatory_arm64_dtb"		/* uint64_t: the DTB, passed in x0 */
#define PG_SYM_ARM64_UART  "purgatory_arm64_uart_base"	/* uint64_t: PL011 MMIO base for messages, 0 = silent */

#endif
