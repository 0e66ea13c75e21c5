/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * purgatory-attach.c - put the purgatory into a plan: place it, link it at
 * that address, let the arch set the entry state (and its console, from
 * --serial/--console-serial), then hash every segment
 * that is in the digest and write the region list and digest into it.
 * The purgatory segment itself is never in the digest (it holds the digest).
 */
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "digest.h"
#include "purgatory.h"
#include "purgatory/purgatory.h"

int kx_purgatory_attach(struct kx_ctx *ctx, struct kx_plan *plan)
{
	const struct kx_arch *arch = ctx->arch;
	struct kx_diag *d = ctx->d;
	struct kx_purgatory pg = { 0 };
	struct pg_sha_region regions[PG_MAX_REGIONS];
	struct kx_place_req req = { .top_down = true };
	uint8_t skip = ctx->o->no_checks, *seg_buf;
	int idx, r;

	r = kx_purg_open(&pg, arch->purgatory, *arch->purgatory_len, arch, d);
	if (r < 0)
		goto out;
	req.align = pg.align > plan->page_size ? pg.align : plan->page_size;
	seg_buf = calloc(1, pg.bufsz ? pg.bufsz : 1);
	if (!seg_buf) {
		r = -ENOMEM;
		goto out;
	}
	idx = kx_plan_add(plan, KX_SEG_PURGATORY, seg_buf, pg.bufsz, true, pg.memsz, req);
	if (idx < 0) {
		r = kx_diag_set(d, idx, "purgatory: no room for %llu bytes: %s",
				(unsigned long long)pg.memsz, strerror(-idx));
		goto out;
	}
	plan->seg[idx].in_digest = false;
	r = kx_purg_relocate(&pg, plan->seg[idx].mem, d);
	if (r < 0)
		goto out;
	r = arch->purgatory_setup(ctx, plan, &pg);
	if (r < 0)
		goto out;
	r = kx_purg_set_sym(&pg, PG_SYM_SKIP, &skip, sizeof(skip), d);
	if (r < 0)
		goto out;
	memset(regions, 0, sizeof(regions));
	if (!skip) {
		r = kx_digest_plan(plan, regions, plan->digest, d);
		if (r < 0)
			goto out;
		plan->has_digest = true;
	} else {
		memset(plan->digest, 0, sizeof(plan->digest));
	}
	r = kx_purg_set_sym(&pg, PG_SYM_REGIONS, regions, sizeof(regions), d);
	if (r < 0)
		goto out;
	r = kx_purg_set_sym(&pg, PG_SYM_DIGEST, plan->digest, sizeof(plan->digest), d);
	if (r < 0)
		goto out;
	memcpy(plan->seg[idx].buf, pg.buf, pg.bufsz);
	plan->entry = pg.entry;
out:
	kx_purg_done(&pg);
	return r;
}
