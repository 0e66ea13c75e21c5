/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-purgatory.c - libFuzzer target for kexec/purgatory-load.c: the
 * input is taken as a purgatory object and opened, relocated at two
 * addresses, and has its contract symbols read and written.
 *
 * Not part of the default build (it needs clang).  From the source tree,
 * after a build in BUILD:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I. \
 *     -Ikexec -Ikexec/arch/x86_64 -Ipurgatory tests/fuzz/fuzz-purgatory.c \
 *     kexec/purgatory-load.c kexec/purgatory-reloc.c kexec/purgatory-sym.c kexec/util.c kexec/arch/x86_64/reloc.c -lelf \
 *     -o fuzz-purgatory
 *   mkdir -p corpus && cp BUILD/purgatory/purgatory-x86_64.ro corpus/
 *   ./fuzz-purgatory -max_len=65536 corpus
 */
#include <elf.h>
#include <stdint.h>
#include <string.h>

#include "purgatory/purgatory.h"
#include "purgatory.h"
#include "x86_64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static const struct kx_arch fuzz_arch = {
	.name = "x86_64",
	.elf_machine = EM_X86_64,
	.apply_rela = kx_x86_64_apply_rela,
	.reloc_name = kx_x86_64_reloc_name,
};

static const char *const syms[] = {
	PG_SYM_REGIONS, PG_SYM_DIGEST, PG_SYM_SKIP, PG_SYM_X86_CONSOLE, PG_SYM_DEBUG,
	PG_SYM_X86_RIP, PG_SYM_X86_RSI, "purgatory_start",
};
static const size_t sizes[] = { 256, 32, 1, 2, 1, 8, 8, 0 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct kx_purgatory pg;
	struct kx_diag d = { 0 };
	uint8_t buf[256];
	uint64_t addr;
	size_t i;

	if (len > (1u << 20))
		return 0;
	if (kx_purg_open(&pg, data, len, &fuzz_arch, &d) < 0)
		return 0;
	/* the image the loader would hand to the kernel must be fully readable */
	for (i = 0; i < pg.bufsz; i++)
		buf[i % sizeof(buf)] ^= pg.buf[i];
	kx_purg_relocate(&pg, 0x3f000000, &d);
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		memset(buf, 0x5a, sizeof(buf));
		kx_purg_get_sym(&pg, syms[i], buf, sizes[i], NULL);
		kx_purg_set_sym(&pg, syms[i], buf, sizes[i], NULL);
		kx_purg_sym_addr(&pg, syms[i], &addr);
	}
	kx_purg_relocate(&pg, 0xbef00000, NULL);
	kx_purg_relocate(&pg, 0x100000000ULL, NULL);
	kx_purg_done(&pg);
	return 0;
}
