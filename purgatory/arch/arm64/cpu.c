/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cpu.c - the arm64 purgatory's CPU state hooks (see pg-arm64.h).
 *
 * Today the purgatory runs as the kernel left it: MMU and caches off, so
 * the SHA-256 check reads every byte from memory uncached, and nothing
 * needs undoing before the kernel starts.
 *
 * This is the one place to change that: pg_arm64_cpu_enter() could build
 * an identity map and turn on the MMU and caches (or check ID_AA64ISAR0_EL1
 * for the SHA-2 instructions), and pg_arm64_cpu_leave() must then clean
 * and invalidate the D-cache to the point of coherency, invalidate the
 * I-cache and turn the MMU and caches off again.  Code that uses SIMD
 * registers for the SHA instructions must live in its own file built
 * without -mgeneral-regs-only.
 */
#include "internal.h"
#include "pg-arm64.h"

void pg_arm64_cpu_enter(void)
{
}

void pg_arm64_cpu_leave(void)
{
}
