/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * capacity.h - how many program header slots a crash load's ELF core
 * header gets: room for today's map plus what can still be hot-added, so a
 * hotplug rewrite (by the kernel or by kexec --reload-elfcorehdr) fits in
 * place, and at least what the kernel says its own rewrite needs.
 */
#ifndef KX_CAPACITY_H
#define KX_CAPACITY_H

#include <stddef.h>
#include <stdint.h>

#define KX_PHDR_SIZE 56			/* sizeof(Elf64_Phdr) */
#define KX_EHDR_SIZE 64			/* sizeof(Elf64_Ehdr) */
#define KX_MIN_SPARE_SLOTS 16		/* room for splits nobody announced */
#define KX_MAX_RANGE_SLOTS 8192		/* the kernel's CONFIG_CRASH_MAX_MEMORY_RANGES default */
#define KX_MAX_SLOTS 0xfffe		/* e_phnum stays below PN_XNUM */
#define KX_DEFAULT_BLOCK (128ULL << 20)	/* x86's memory block size when sysfs says nothing */

/*
 * struct kx_cap_in - what the capacity is decided from
 * @used:          program headers the header needs today
 * @cpus_absent:   possible CPUs that are not present (each may add a PT_NOTE)
 * @absent_bytes:  hot-pluggable memory that is not RAM today
 * @block_size:    the memory block size (0: unknown)
 * @kernel_bytes:  /sys/kernel/crash_elfcorehdr_size when the kernel will
 *                 rewrite the header itself (0 otherwise); it counts program
 *                 headers only, not the 64-byte ELF header
 * @user_slots:    --elfcorehdr-slots, 0 for the policy
 * @page_size:     the header's segment is a whole number of these
 */
struct kx_cap_in {
	unsigned used, cpus_absent;
	uint64_t absent_bytes, block_size, kernel_bytes;
	unsigned user_slots;
	uint64_t page_size;
};

/*
 * struct kx_cap_out
 * @capacity:  program header slots
 * @bufsz:     header bytes (64 + 56 * capacity)
 * @memsz:     the segment's size (bufsz rounded up to a page)
 * @mem_slots/@cpu_slots/@kernel_slots: the headroom each source asked for
 * @why:       "policy", "kernel" or "--elfcorehdr-slots"
 */
struct kx_cap_out {
	unsigned capacity;
	size_t bufsz;
	uint64_t memsz;
	unsigned mem_slots, cpu_slots, kernel_slots;
	const char *why;
};

/*
 * kx_elfcorehdr_capacity - the policy
 * Policy capacity: @used plus one slot per memory block that can still come
 * (each may become its own range; at most 8192, the kernel's own bound) plus
 * one per absent CPU, and never fewer than 16 spare slots; the rest of the
 * last page is free, so the policy fills it.  The result is the larger of
 * that and the kernel's size.  --elfcorehdr-slots is taken exactly.
 * Returns 0, -ENOSPC (@user_slots below @used), -E2BIG (more than 0xfffe
 * slots, PN_XNUM), -EINVAL (a zero or non-power-of-two page size).
 */
int kx_elfcorehdr_capacity(const struct kx_cap_in *in, struct kx_cap_out *out);

#endif
