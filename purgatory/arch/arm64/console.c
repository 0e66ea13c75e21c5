/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * console.c - arm64 purgatory output on a PL011 UART at an MMIO base, and
 * the final halt.
 *
 * The UART is used as the previous kernel left it (baud rate, line format,
 * enabled): the purgatory only waits while the transmit FIFO is full and
 * writes a byte to the data register.  The wait is bounded so a missing or
 * wedged UART cannot keep the next kernel from booting.  With the MMU off
 * the registers are Device memory; the 32-bit accesses are aligned.
 */
#include "internal.h"
#include "pg-arm64.h"

/* 0 = silent; patched by the loader (PG_SYM_ARM64_UART) */
uint64_t purgatory_arm64_uart_base PG_DATA;

#define PL011_DR 0x00		/* data register */
#define PL011_FR 0x18		/* flag register */
#define PL011_FR_TXFF 0x20	/* transmit FIFO full */
#define UART_SPIN_MAX 200000	/* ~ tens of ms on real hardware, then give up */

static inline uint32_t mmio_read32(uint64_t addr)
{
	return *(volatile uint32_t *)(uintptr_t)addr;
}

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)addr = v;
}

static void uart_putc(uint64_t base, char c)
{
	unsigned spin;

	for (spin = 0; spin < UART_SPIN_MAX; spin++)
		if (!(mmio_read32(base + PL011_FR) & PL011_FR_TXFF))
			break;
	mmio_write32(base + PL011_DR, (uint32_t)(unsigned char)c);
}

void pg_arch_putc(char c)
{
	uint64_t base = purgatory_arm64_uart_base;

	if (!base)
		return;
	if (c == '\n')
		uart_putc(base, '\r');
	uart_putc(base, c);
}

void pg_arch_halt(void)
{
	__asm__ volatile("msr daifset, #0xf" : : : "memory");
	for (;;)
		__asm__ volatile("wfe" : : : "memory");
}
