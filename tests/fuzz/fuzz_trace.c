/* SPDX-License-Identifier: MIT */
/*
 * fuzz_trace.c - libFuzzer target for the memory-trace readers of `linmm
 * replay` (tools/linmm/trace_lackey.c, trace_lmt.c).
 *
 * The input is an LMT stream if it starts with the magic, lackey text
 * otherwise.  Whatever it is:
 *
 *   - the reader ends with the end of input or an error whose message names
 *     the input and a line or record ("fuzz:N: ..."), never a crash;
 *   - the accesses read so far, written as LMT and read back, are the same
 *     accesses (kind, address, size), and written as lackey text and read
 *     back, too; and the LMT writer's stream is read to its end cleanly.
 */
#define _GNU_SOURCE
#include "tests/fuzz/fuzz.h"
#include "tools/linmm/trace.h"

#define FUZZ_TRACE_MAX 4096	/* accesses checked per input */

static struct trace_access got[FUZZ_TRACE_MAX];

static void check_err(const char *err)
{
	FUZZ_CHECK(!strncmp(err, "fuzz:", 5) && strchr(err + 5, ':'), "message '%s'", err);
}

/* @n accesses through the LMT writer and reader, then through lackey text. */
static void round_trips(size_t n)
{
	struct lmt_writer w;
	struct lmt_reader r;
	struct lackey_reader lr;
	struct trace_access a;
	unsigned char *buf;
	size_t len, i;
	char *text = NULL;
	size_t text_len = 0;
	FILE *f;

	FUZZ_CHECK(!lmt_writer_init(&w, NULL, "fuzz"), "writer init");
	for (i = 0; i < n; i++)
		FUZZ_CHECK(!lmt_write(&w, &got[i]), "write %zu", i);
	FUZZ_CHECK(!lmt_writer_finish(&w), "finish");
	buf = lmt_writer_take(&w, &len);
	FUZZ_CHECK(!lmt_reader_init(&r, buf, len, "fuzz"), "reread: %s", r.err);
	for (i = 0; lmt_next(&r, &a) > 0; i++)
		FUZZ_CHECK(i < n && a.kind == got[i].kind && a.addr == got[i].addr &&
			   a.size == got[i].size, "LMT record %zu differs", i);
	FUZZ_CHECK(i == n && r.done && !r.err[0], "LMT: %zu of %zu, '%s'", i, n, r.err);
	free(buf);

	f = open_memstream(&text, &text_len);
	FUZZ_CHECK(f, "open_memstream");
	for (i = 0; i < n; i++)
		lackey_write(f, &got[i]);
	fclose(f);
	f = fmemopen(text, text_len ? text_len : 1, "r");
	lackey_init(&lr, text_len ? f : NULL, "fuzz");
	for (i = 0; lackey_next(&lr, &a) > 0; i++)
		FUZZ_CHECK(i < n && a.kind == got[i].kind && a.addr == got[i].addr &&
			   a.size == got[i].size, "lackey line %zu differs", i);
	FUZZ_CHECK(i == n && !lr.err[0], "lackey: %zu of %zu, '%s'", i, n, lr.err);
	lackey_release(&lr);
	fclose(f);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace_access a;
	size_t n = 0;
	int r;

	if (lmt_is_lmt(data, size)) {
		struct lmt_reader rd;

		if (lmt_reader_init(&rd, data, size, "fuzz")) {
			check_err(rd.err);
			return 0;
		}
		while (n < FUZZ_TRACE_MAX && (r = lmt_next(&rd, &a)) > 0)
			got[n++] = a;
		if (n < FUZZ_TRACE_MAX && r < 0)
			check_err(rd.err);
	} else {
		struct lackey_reader lr;
		FILE *f = size ? fmemopen((void *)data, size, "r") : NULL;

		lackey_init(&lr, f, "fuzz");
		while (n < FUZZ_TRACE_MAX && (r = lackey_next(&lr, &a)) > 0)
			got[n++] = a;
		if (n < FUZZ_TRACE_MAX && r < 0)
			check_err(lr.err);
		lackey_release(&lr);
		if (f)
			fclose(f);
	}
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(got[i].size >= 1 && got[i].size <= TRACE_SIZE_MAX &&
			   got[i].addr + (got[i].size - 1) >= got[i].addr && got[i].kind < NR_TRACE_KINDS,
			   "access %zu out of range", i);
	round_trips(n);
	return 0;
}
