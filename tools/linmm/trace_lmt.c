// SPDX-License-Identifier: MIT
/*
 * trace_lmt.c - LMT, linmm's compact binary memory-access trace (version 1).
 * A lackey line takes about 14 bytes; an LMT record takes 1 byte for the
 * next sequential instruction and 1-3 for most data accesses.
 *
 * Layout (all integers are unsigned LEB128 "varints": 7 bits per byte,
 * least significant group first, bit 7 set on every byte but the last; at
 * most 10 bytes, values below 2^64):
 *
 *   offset 0   "LINMMTRC"        8 bytes of magic
 *   offset 8   version           1 byte: 1
 *   offset 9   flags             1 byte: 0 (readers refuse other values)
 *   offset 10  varint L, then L bytes: the traced command line (UTF-8, no
 *              NUL; L = 0 when unknown; L < 4096)
 *   records, then the end marker and the trailer.
 *
 * A record's first byte B holds the kind in bits 0-1 (0 instruction
 * fetch, 1 load, 2 store, 3 modify); the rest depends on the kind.
 * Addresses are deltas from a base, zigzag-coded (0, -1, 1, -2, 2 ... ->
 * ZZ 0, 1, 2, 3, 4 ...), modulo 2^64; both bases start at 0.
 *
 *   fetch (kind 0), base: the previous fetch's address + its size, i.e.
 *   the next instruction:
 *       bit 2      J: a varint ZZ follows (a jump); else the delta is 0
 *       bits 3-6   N: the size, 1..15; 0: a varint SIZE follows (after ZZ)
 *       bit 7      0 (reserved)
 *     so a fetch of the next instruction takes one byte, whatever its size
 *     (x86 instructions are at most 15 bytes).
 *
 *   load, store, modify (kinds 1-3), base: the previous data address (one
 *   base for the three kinds):
 *       bit 2      S: a varint SIZE follows the delta; else the size is that
 *                  of the previous record of the same kind (an error if
 *                  there was none)
 *       bits 3-6   ZZ's low 4 bits
 *       bit 7      more: a varint with ZZ's other bits (ZZ >> 4) follows
 *     so a stack push or pop next to the last access takes one byte.
 *
 *   SIZE is 1 .. 2^20 (TRACE_SIZE_MAX); an access may not wrap past 2^64.
 *
 *   end marker:  0x00 0x00    (a fetch with N = 0 and SIZE 0: no access has
 *                              size 0)
 *   trailer:     varint COUNT the number of records; then end of file.
 *
 * Examples (bytes in hex):
 *
 *   I  00401000,3    first fetch:          1c 80 c0 80 04   J, N = 3, ZZ 0x802000
 *   I  00401003,4    the next instruction: 20               N = 4
 *   I  00401010,2    a jump of +9:         14 12            J, N = 2, ZZ 18
 *    L 7ffe0008,8    first load:           85 81 80 ff 7f 08  S, ZZ 0xfffc0010, SIZE 8
 *    S 7ffe0000,8    delta -8:             7e 08            S (first store), ZZ 15
 *    L 7ffe0010,8    delta +16:            81 02            ZZ 32
 *   end, 6 records:                        00 00 06
 *
 * A file without the end marker, with a trailer that disagrees with the
 * records, or with bytes after the trailer is malformed: truncation is
 * always detected.  Errors name the record: "x.lmt:17: truncated record".
 *
 * Decoding one record is lmt_next() (trace.h: the one-byte case inline);
 * this file has the rest.  No kernel counterpart: linmm's own format.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tools/linmm/trace.h"

#define LMT_HEADER_FIXED (LMT_MAGIC_LEN + 2)
#define LMT_FLUSH_AT 65536	/* a file writer writes out its buffer at this size */
#define VARINT_MAX 10

bool lmt_is_lmt(const void *buf, size_t len)
{
	return len >= LMT_MAGIC_LEN && !memcmp(buf, LMT_MAGIC, LMT_MAGIC_LEN);
}

/* ---- reading a whole stream ---- */

int trace_read_all(FILE *f, const unsigned char *pre, size_t npre, unsigned char **out,
		   size_t *len)
{
	size_t cap = 1 << 16, n = npre;
	unsigned char *b = malloc(cap);

	if (!b)
		return -ENOMEM;
	memcpy(b, pre, npre);
	for (;;) {
		size_t got;

		if (n == cap) {
			unsigned char *nb = realloc(b, 2 * cap);

			if (!nb) {
				free(b);
				return -ENOMEM;
			}
			b = nb;
			cap *= 2;
		}
		got = fread(b + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(b);
		return -EIO;
	}
	*out = b;
	*len = n;
	return 0;
}

/* ---- writer ---- */

static int lmt_reserve(struct lmt_writer *w, size_t n)
{
	if (w->oom)
		return -ENOMEM;
	if (w->f && w->len + n > LMT_FLUSH_AT) {
		if (w->len && fwrite(w->buf, 1, w->len, w->f) != w->len)
			return -EIO;
		w->len = 0;
	}
	if (w->len + n > w->cap) {
		size_t cap = w->cap ? w->cap : 4096;
		unsigned char *b;

		while (cap < w->len + n)
			cap *= 2;
		b = realloc(w->buf, cap);
		if (!b) {
			w->oom = true;
			return -ENOMEM;
		}
		w->buf = b;
		w->cap = cap;
	}
	return 0;
}

static void put_varint(struct lmt_writer *w, uint64_t v)
{
	while (v >= 0x80) {
		w->buf[w->len++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	w->buf[w->len++] = (unsigned char)v;
}

int lmt_writer_init(struct lmt_writer *w, FILE *f, const char *command)
{
	size_t n = strnlen(command, TRACE_COMMAND_MAX - 1);
	int ret;

	memset(w, 0, sizeof(*w));
	w->f = f;
	ret = lmt_reserve(w, LMT_HEADER_FIXED + VARINT_MAX + n);
	if (ret)
		return ret;
	memcpy(w->buf, LMT_MAGIC, LMT_MAGIC_LEN);
	w->buf[LMT_MAGIC_LEN] = LMT_VERSION;
	w->buf[LMT_MAGIC_LEN + 1] = 0;
	w->len = LMT_HEADER_FIXED;
	put_varint(w, n);
	memcpy(w->buf + w->len, command, n);
	w->len += n;
	return 0;
}

static uint64_t zigzag(uint64_t delta)
{
	return (delta << 1) ^ (uint64_t)((int64_t)delta >> 63);
}

int lmt_write(struct lmt_writer *w, const struct trace_access *a)
{
	int ret = lmt_reserve(w, 2 * VARINT_MAX + 1);
	unsigned int b = (unsigned int)a->kind;
	uint64_t zz;

	if (ret)
		return ret;
	if (a->kind == TRACE_INSTR) {
		zz = zigzag(a->addr - w->st.next_instr);
		if (zz)
			b |= LMT_FLAG;
		if (a->size <= LMT_LOW_MASK)
			b |= a->size << LMT_LOW_SHIFT;
		w->buf[w->len++] = (unsigned char)b;
		if (zz)
			put_varint(w, zz);
		if (a->size > LMT_LOW_MASK)
			put_varint(w, a->size);
		w->st.next_instr = a->addr + a->size;
	} else {
		bool give = w->st.size[a->kind] != a->size;

		zz = zigzag(a->addr - w->st.prev_data);
		b |= (give ? LMT_FLAG : 0) | (unsigned int)(zz & LMT_LOW_MASK) << LMT_LOW_SHIFT;
		if (zz >> 4)
			b |= LMT_CONT;
		w->buf[w->len++] = (unsigned char)b;
		if (zz >> 4)
			put_varint(w, zz >> 4);
		if (give)
			put_varint(w, a->size);
		w->st.size[a->kind] = a->size;
		w->st.prev_data = a->addr;
	}
	w->count++;
	return 0;
}

int lmt_writer_finish(struct lmt_writer *w)
{
	int ret = lmt_reserve(w, 2 + VARINT_MAX);

	if (ret)
		return ret;
	w->buf[w->len++] = 0;		/* a fetch with N = 0, then SIZE 0 */
	w->buf[w->len++] = 0;
	put_varint(w, w->count);
	if (w->f) {
		if (fwrite(w->buf, 1, w->len, w->f) != w->len || fflush(w->f))
			return -EIO;
		w->len = 0;
	}
	return 0;
}

unsigned char *lmt_writer_take(struct lmt_writer *w, size_t *len)
{
	unsigned char *b = w->buf;

	*len = w->len;
	w->buf = NULL;
	w->len = w->cap = 0;
	return b;
}

void lmt_writer_release(struct lmt_writer *w)
{
	free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
}

/* ---- reader ---- */

__attribute__((format(printf, 2, 3)))
static int lmt_error(struct lmt_reader *r, const char *fmt, ...)
{
	int n = snprintf(r->err, sizeof(r->err), "%s:%llu: ", r->name,
			 (unsigned long long)r->count + 1);
	va_list ap;

	if (n < 0 || (size_t)n >= sizeof(r->err))
		return -1;
	va_start(ap, fmt);
	vsnprintf(r->err + n, sizeof(r->err) - (size_t)n, fmt, ap);
	va_end(ap);
	r->p = r->end;		/* nothing more comes out */
	r->done = true;
	return -1;
}

/* A varint at r->p into *@v. Return: 0, or -1 (truncated or too long; not reported). */
static int get_varint(struct lmt_reader *r, uint64_t *v)
{
	uint64_t x = 0;

	for (int shift = 0, i = 0; i < VARINT_MAX; i++, shift += 7) {
		unsigned int b;

		if (r->p == r->end)
			return -1;
		b = *r->p++;
		if (shift == 63 && (b & 0x7e))
			return -1;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			return 0;
		}
	}
	return -1;
}

int lmt_reader_init(struct lmt_reader *r, const void *buf, size_t len, const char *name)
{
	uint64_t n;

	memset(r, 0, sizeof(*r));
	r->start = r->p = buf;
	r->end = r->start + len;
	r->name = name;
	if (!lmt_is_lmt(buf, len))
		return lmt_error(r, "not an LMT trace (no \"" LMT_MAGIC "\" magic)");
	if (len < LMT_HEADER_FIXED)
		return lmt_error(r, "truncated header");
	if (r->start[LMT_MAGIC_LEN] != LMT_VERSION)
		return lmt_error(r, "LMT version %u, this linmm reads version %u",
				 r->start[LMT_MAGIC_LEN], LMT_VERSION);
	if (r->start[LMT_MAGIC_LEN + 1])
		return lmt_error(r, "unknown header flags 0x%02x", r->start[LMT_MAGIC_LEN + 1]);
	r->p += LMT_HEADER_FIXED;
	if (get_varint(r, &n) || n >= TRACE_COMMAND_MAX || n > (uint64_t)(r->end - r->p))
		return lmt_error(r, "truncated or oversized command in the header");
	if (memchr(r->p, '\0', n))
		return lmt_error(r, "NUL byte in the header's command");
	memcpy(r->command, r->p, n);
	r->command[n] = '\0';
	r->p += n;
	return 0;
}

/* The end marker's trailer has been reached at r->p. Return: 0 or -1. */
static int lmt_trailer(struct lmt_reader *r)
{
	uint64_t n;

	if (get_varint(r, &n))
		return lmt_error(r, "truncated trailer after the end marker");
	if (n != r->count)
		return lmt_error(r, "the trailer counts %llu records, the file has %llu",
				 (unsigned long long)n, (unsigned long long)r->count);
	if (r->p != r->end)
		return lmt_error(r, "%zu bytes after the trailer", (size_t)(r->end - r->p));
	r->done = true;
	return 0;
}

int lmt_next_slow(struct lmt_reader *r, struct trace_access *a)
{
	unsigned int b, kind, low;
	uint64_t zz = 0, size, base;

	if (r->done)
		return r->err[0] ? -1 : 0;
	if (r->p == r->end)
		return lmt_error(r, "truncated: no end marker (%llu records read)",
				 (unsigned long long)r->count);
	b = *r->p++;
	kind = b & LMT_KIND_MASK;
	low = (b >> LMT_LOW_SHIFT) & LMT_LOW_MASK;
	if (kind == TRACE_INSTR) {
		if (b & LMT_CONT)
			return lmt_error(r, "reserved bit 7 set in a fetch record");
		if ((b & LMT_FLAG) && get_varint(r, &zz))
			return lmt_error(r, "truncated jump delta");
		size = low;
		if (!size) {
			if (get_varint(r, &size))
				return lmt_error(r, "truncated size");
			if (!size && !(b & LMT_FLAG))
				return lmt_trailer(r);
		}
		base = r->st.next_instr;
	} else {
		zz = low;
		if (b & LMT_CONT) {
			uint64_t hi;

			if (get_varint(r, &hi) || (hi >> 60))
				return lmt_error(r, "truncated or overlong address delta");
			zz |= hi << 4;
		}
		if (b & LMT_FLAG) {
			if (get_varint(r, &size))
				return lmt_error(r, "truncated size");
		} else if (!(size = r->st.size[kind])) {
			return lmt_error(r, "a '%c' record without a size, and no earlier '%c' to "
					 "take it from", trace_kind_letter[kind],
					 trace_kind_letter[kind]);
		}
		base = r->st.prev_data;
	}
	if (!size || size > TRACE_SIZE_MAX)
		return lmt_error(r, "size %llu (1 to %u)", (unsigned long long)size, TRACE_SIZE_MAX);
	a->kind = (enum trace_kind)kind;
	a->size = (uint32_t)size;
	a->addr = base + ((zz >> 1) ^ -(zz & 1));
	if (a->addr + (a->size - 1) < a->addr)
		return lmt_error(r, "access wraps around the end of the address space");
	if (kind == TRACE_INSTR) {
		r->st.next_instr = a->addr + a->size;
	} else {
		r->st.size[kind] = a->size;
		r->st.prev_data = a->addr;
	}
	r->count++;
	return 1;
}
