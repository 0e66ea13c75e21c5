/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * unpack.c (arm64) - whole-buffer zstd, xz and legacy lzma decoding for
 * zboot payloads, with libzstd and liblzma when configure found them
 * (HAVE_ZSTD, HAVE_LZMA); without, each says -EOPNOTSUPP.
 * The output grows to @max + 1 bytes: a stream that fills more than @max
 * is -EFBIG, one that ends exactly at @max is not.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#ifdef HAVE_ZSTD
#include <zstd.h>
#include <zstd_errors.h>
#endif
#ifdef HAVE_LZMA
#include <lzma.h>
#endif

#include "image.h"

struct outbuf {
	uint8_t *p;
	size_t len, cap, limit;
};

static _unused_ int out_init(struct outbuf *o, size_t inlen, size_t max)
{
	o->limit = max < SIZE_MAX ? max + 1 : max;
	o->cap = inlen < o->limit / 4 ? inlen * 4 + 4096 : o->limit;
	if (o->cap > o->limit)
		o->cap = o->limit;
	o->len = 0;
	o->p = malloc(o->cap ? o->cap : 1);
	return o->p ? 0 : -ENOMEM;
}

/* room for more output: doubles up to the limit */
static _unused_ int out_grow(struct outbuf *o)
{
	uint8_t *n;

	if (o->len < o->cap)
		return 0;
	if (o->cap >= o->limit)
		return -EFBIG;
	o->cap = o->cap > o->limit / 2 ? o->limit : o->cap * 2;
	n = realloc(o->p, o->cap);
	if (!n)
		return -ENOMEM;
	o->p = n;
	return 0;
}

static _unused_ int out_finish(struct outbuf *o, int r, size_t max, uint8_t **ret, size_t *ret_len)
{
	if (r == 0 && o->len > max)
		r = -EFBIG;
	if (r < 0) {
		free(o->p);
		return r;
	}
	*ret = o->p;
	*ret_len = o->len;
	return 0;
}

#ifdef HAVE_ZSTD
int kx_arm64_unzstd(const uint8_t *in, size_t inlen, size_t max, uint8_t **ret, size_t *ret_len)
{
	ZSTD_inBuffer ib = { .src = in, .size = inlen, .pos = 0 };
	struct outbuf o;
	ZSTD_DStream *ds;
	size_t zr = 1;
	int r;

	if (!inlen)
		return -EINVAL;
	r = out_init(&o, inlen, max);
	if (r < 0)
		return r;
	ds = ZSTD_createDStream();
	if (!ds || ZSTD_isError(ZSTD_initDStream(ds))) {
		ZSTD_freeDStream(ds);
		free(o.p);
		return -ENOMEM;
	}
	for (;;) {
		ZSTD_outBuffer ob;
		size_t before_in = ib.pos;

		r = out_grow(&o);
		if (r < 0)
			break;
		ob = (ZSTD_outBuffer){ .dst = o.p + o.len, .size = o.cap - o.len, .pos = 0 };
		zr = ZSTD_decompressStream(ds, &ob, &ib);
		o.len += ob.pos;
		if (ZSTD_isError(zr)) {
			r = ZSTD_getErrorCode(zr) == ZSTD_error_memory_allocation ? -ENOMEM : -EINVAL;
			break;
		}
		if (zr == 0 && ib.pos == ib.size)
			break;	/* the last frame ended with the input */
		if (ob.pos < ob.size && ib.pos == ib.size) {
			r = -EINVAL;	/* wants more input than there is: truncated */
			break;
		}
		if (!ob.pos && ib.pos == before_in && ob.size) {
			r = -EINVAL;	/* no progress */
			break;
		}
	}
	ZSTD_freeDStream(ds);
	return out_finish(&o, r, max, ret, ret_len);
}
#else
int kx_arm64_unzstd(const uint8_t *in, size_t inlen, size_t max, uint8_t **ret, size_t *ret_len)
{
	return -EOPNOTSUPP;
}
#endif

#ifdef HAVE_LZMA
/*
 * A stream's header sets the decoder's dictionary (up to 4 GiB for .lzma); the kernel's
 * builds use at most 64 MiB ("lzma -9"): refuse what needs more than this as corrupt.
 */
#define LZMA_MEMLIMIT (256ULL << 20)

/* run a set-up liblzma decoder over all of @in */
static int lzma_run(lzma_stream *s, const uint8_t *in, size_t inlen, size_t max, uint8_t **ret, size_t *ret_len)
{
	struct outbuf o;
	lzma_ret lr;
	int r;

	r = out_init(&o, inlen, max);
	if (r < 0) {
		lzma_end(s);
		return r;
	}
	s->next_in = in;
	s->avail_in = inlen;
	for (;;) {
		size_t room;

		r = out_grow(&o);
		if (r < 0)
			break;
		room = o.cap - o.len;
		s->next_out = o.p + o.len;
		s->avail_out = room;
		lr = lzma_code(s, LZMA_FINISH);
		o.len += room - s->avail_out;
		if (lr == LZMA_STREAM_END) {
			/* legacy .lzma has no end of its own: only zero padding may follow */
			while (s->avail_in && !*s->next_in) {
				s->next_in++;
				s->avail_in--;
			}
			if (s->avail_in)
				r = -EINVAL;
			break;
		}
		if (lr == LZMA_OK)
			continue;
		r = lr == LZMA_MEM_ERROR ? -ENOMEM : -EINVAL;	/* corrupt, truncated (BUF_ERROR), MEMLIMIT */
		break;
	}
	lzma_end(s);
	return out_finish(&o, r, max, ret, ret_len);
}

int kx_arm64_unxz(const uint8_t *in, size_t inlen, size_t max, uint8_t **ret, size_t *ret_len)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret lr = lzma_stream_decoder(&s, LZMA_MEMLIMIT, LZMA_CONCATENATED);

	if (lr != LZMA_OK)
		return lr == LZMA_MEM_ERROR ? -ENOMEM : -EINVAL;
	return lzma_run(&s, in, inlen, max, ret, ret_len);
}

int kx_arm64_unlzma(const uint8_t *in, size_t inlen, size_t max, uint8_t **ret, size_t *ret_len)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret lr = lzma_alone_decoder(&s, LZMA_MEMLIMIT);

	if (lr != LZMA_OK)
		return lr == LZMA_MEM_ERROR ? -ENOMEM : -EINVAL;
	return lzma_run(&s, in, inlen, max, ret, ret_len);
}
#else
int kx_arm64_unxz(const uint8_t *in, size_t inlen, size_t max, uint8_t **ret, size_t *ret_len)
{
	return -EOPNOTSUPP;
}

int kx_arm64_unlzma(const uint8_t *in, size_t inlen, size_t max, uint8_t **ret, size_t *ret_len)
{
	return -EOPNOTSUPP;
}
#endif
