/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * console.c - x86 purgatory output on an 8250/16550 UART by I/O port, and
 * the final halt.
 *
 * The UART is used as the previous kernel left it (baud rate, line format):
 * the purgatory only waits for the transmit holding register to empty and
 * writes a byte.  The wait is bounded so a missing or wedged UART cannot
 * keep the next kernel from booting.
 */
#include "internal.h"
#include "pg-x86_64.h"

/* 0 = silent; patched by the loader (PG_SYM_X86_CONSOLE) */
uint16_t purgatory_console_port PG_DATA = 0x3f8;

#define UART_THR 0		/* transmit holding register */
#define UART_LSR 5		/* line status register */
#define UART_LSR_THRE 0x20	/* THR empty: ready for the next byte */
#define UART_SPIN_MAX 200000	/* ~ tens of ms on real hardware, then give up */

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint8_t v, uint16_t port)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static void uart_putc(uint16_t port, char c)
{
	unsigned spin;

	for (spin = 0; spin < UART_SPIN_MAX; spin++)
		if (inb((uint16_t)(port + UART_LSR)) & UART_LSR_THRE)
			break;
	outb((uint8_t)c, (uint16_t)(port + UART_THR));
}

void pg_arch_putc(char c)
{
	uint16_t port = purgatory_console_port;

	if (!port)
		return;
	if (c == '\n')
		uart_putc(port, '\r');
	uart_putc(port, c);
}

void pg_arch_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt" : : : "memory");
}
