/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * purgatory.c (arm64) - the purgatory's entry state: where the Image
 * starts, where the DTB is, and which UART (if any) gets its messages.
 */
#include <string.h>

#include "arm64.h"
#include "ctx.h"
#include "kfdt.h"
#include "purgatory.h"
#include "purgatory/purgatory.h"

/*
 * The PL011 MMIO base for the purgatory's messages: --serial=0xADDR; with
 * --console-serial alone, the PL011 the next kernel's DT names in
 * /chosen/stdout-path (@dtb); else 0 (silent).  Returns 0 or -EINVAL (not a
 * nonzero, 4-byte aligned address: the user's choice, so *final is set and
 * -a does not fall back).
 */
static int uart_base(struct kx_ctx *ctx, const void *dtb, uint64_t *ret)
{
	const struct kx_opts *o = ctx->o;
	const char *why = NULL;
	uint64_t v;

	*ret = 0;
	if (!o->serial) {
		if (!o->console_serial)
			return 0;
		if (kfdt_stdout_uart(dtb, &v, &why) == 0) {
			*ret = v;
			kx_note(ctx->notes, KX_NOTE_DEBUG, "purgatory console: the PL011 at 0x%llx (/chosen stdout-path)",
				(unsigned long long)v);
		} else {
			kx_note(ctx->notes, KX_NOTE_WARN,
				"--console-serial: the device tree names no PL011 in /chosen stdout-path (%s); the purgatory stays silent, --serial=0xADDR names one",
				why ? why : "none");
		}
		return 0;
	}
	if (kx_parse_u64(o->serial, 0, &v) < 0 || !v || (v & 3)) {
		ctx->final = true;
		return kx_diag_set(ctx->d, -EINVAL, "Bad serial port base '%s'", o->serial);
	}
	*ret = v;
	return 0;
}

int kx_arm64_purgatory_setup(struct kx_ctx *ctx, struct kx_plan *plan, struct kx_purgatory *pg)
{
	int k = kx_plan_find(plan, KX_SEG_KERNEL), t = kx_plan_find(plan, KX_SEG_DTB);
	uint64_t entry, dtb, uart;
	int r;

	if (k < 0 || t < 0)
		return kx_diag_set(ctx->d, -EINVAL, "plan: arm64 purgatory needs kernel and dtb segments (%s missing)",
				   k < 0 ? "kernel" : "dtb");
	entry = plan->seg[k].mem;
	dtb = plan->seg[t].mem;
	r = uart_base(ctx, plan->seg[t].buf, &uart);
	if (r < 0)
		return r;
	r = kx_purg_set_sym(pg, PG_SYM_ARM64_ENTRY, &entry, sizeof(entry), ctx->d);
	if (r < 0)
		return r;
	r = kx_purg_set_sym(pg, PG_SYM_ARM64_DTB, &dtb, sizeof(dtb), ctx->d);
	if (r < 0)
		return r;
	return kx_purg_set_sym(pg, PG_SYM_ARM64_UART, &uart, sizeof(uart), ctx->d);
}
