// SPDX-License-Identifier: MIT
/*
 * test_trace.c - the memory-trace formats of `linmm replay`
 * (tools/linmm/trace_lmt.c, tools/linmm/trace_lackey.c; docs/replay.md).
 *
 * The command line's trace code is not part of liblinmm, so its two files
 * are compiled into this test.  Cases:
 *
 *   - the LMT examples of the format's specification, byte for byte;
 *   - round trips of extreme accesses: address 0 and the last bytes below
 *     2^64, jumps of +-2^63, fetch sizes 15 and 16 (the one-byte limit),
 *     sizes 1 and 2^20, every kind after every other;
 *   - a random trace: LMT -> accesses -> lackey text -> accesses, the same;
 *   - every prefix of an LMT stream is an error naming a record, never an
 *     access that was not written, and only the whole stream ends cleanly;
 *   - the lackey reader: what valgrind writes (banner, summary, "SB" lines),
 *     blanks, CRLF and comments; and each malformed line's message.
 */
#define _GNU_SOURCE
#include "../linmm_test.h"

#include "tools/linmm/trace.h"
#include "tools/linmm/trace_lackey.c"
#include "tools/linmm/trace_lmt.c"

/* Encode @n accesses into a fresh buffer (free() it); *@len its size. */
static unsigned char *encode(const struct trace_access *a, size_t n, const char *cmd, size_t *len)
{
	struct lmt_writer w;

	assert_int_equal(lmt_writer_init(&w, NULL, cmd), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(lmt_write(&w, &a[i]), 0);
	assert_int_equal(lmt_writer_finish(&w), 0);
	return lmt_writer_take(&w, len);
}

/* Decode [@buf, @buf + @len) and compare with the @n accesses of @a. */
static void decode_equal(const unsigned char *buf, size_t len, const struct trace_access *a,
			 size_t n)
{
	struct lmt_reader r;
	struct trace_access got;
	size_t i = 0;
	int ret;

	assert_int_equal(lmt_reader_init(&r, buf, len, "t.lmt"), 0);
	while ((ret = lmt_next(&r, &got)) > 0) {
		assert_true(i < n);
		assert_int_equal(got.kind, a[i].kind);
		assert_int_equal(got.addr, a[i].addr);
		assert_int_equal(got.size, a[i].size);
		i++;
	}
	if (ret)
		fail_msg("%s", r.err);
	assert_int_equal(i, n);
}

static void test_lmt_spec_examples(void **state)
{
	static const struct trace_access a[] = {
		{ 0x401000, 3, TRACE_INSTR }, { 0x401003, 4, TRACE_INSTR },
		{ 0x401010, 2, TRACE_INSTR }, { 0x7ffe0008, 8, TRACE_LOAD },
		{ 0x7ffe0000, 8, TRACE_STORE }, { 0x7ffe0010, 8, TRACE_LOAD },
	};
	static const unsigned char want[] = {
		'L', 'I', 'N', 'M', 'M', 'T', 'R', 'C', 1, 0, 2, 'h', 'i',
		0x1c, 0x80, 0xc0, 0x80, 0x04,		/* J, N = 3, ZZ 0x802000 */
		0x20,					/* N = 4 */
		0x14, 0x12,				/* J, N = 2, ZZ 18 */
		0x85, 0x81, 0x80, 0xff, 0x7f, 0x08,	/* S, ZZ 0xfffc0010, SIZE 8 */
		0x7e, 0x08,				/* S, ZZ 15 */
		0x81, 0x02,				/* ZZ 32 */
		0x00, 0x00, 0x06,			/* end, 6 records */
	};
	size_t len;
	unsigned char *buf = encode(a, 6, "hi", &len);

	(void)state;
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	decode_equal(buf, len, a, 6);
	free(buf);
}

static void test_lmt_extremes(void **state)
{
	static const struct trace_access a[] = {
		{ 0, 1, TRACE_INSTR },
		{ ~0ULL - 14, 15, TRACE_INSTR },	/* the last 15 bytes: N = 15 */
		{ 0, 16, TRACE_INSTR },			/* wraps to 0: size 16 needs a varint */
		{ 1ULL << 63, TRACE_SIZE_MAX, TRACE_LOAD },
		{ 0, 1, TRACE_STORE },			/* delta -2^63 */
		{ ~0ULL - (TRACE_SIZE_MAX - 1), TRACE_SIZE_MAX, TRACE_MODIFY },
		{ ~0ULL, 1, TRACE_LOAD },
		{ 0x1234, 1, TRACE_STORE },
		{ 0x1234, 1, TRACE_STORE },		/* same place, same size: one byte */
		{ 0x7ffffffff000ULL, 8, TRACE_MODIFY },
		{ 16, 15, TRACE_INSTR },
	};
	size_t n = sizeof(a) / sizeof(a[0]), len;
	unsigned char *buf = encode(a, n, "", &len);

	(void)state;
	decode_equal(buf, len, a, n);
	free(buf);
}

static void test_lmt_random_and_lackey_text(void **state)
{
	enum { N = 20000 };
	struct trace_access *a = calloc(N, sizeof(*a));
	struct lackey_reader lr;
	struct trace_access got;
	unsigned char *buf;
	char *text = NULL;
	size_t len, text_len = 0, i;
	uint64_t pc = 0x401000;
	FILE *f;
	int ret;

	(void)state;
	assert_non_null(a);
	linmm_test_rnd = 42;
	for (i = 0; i < N; i++) {
		u64 r = next_rand();

		if (r % 3) {
			a[i] = (struct trace_access){ pc, (uint32_t)(1 + (r >> 8) % 15), TRACE_INSTR };
			pc = r % 17 ? pc + a[i].size : 0x400000 + (r >> 20) % 0x100000;
		} else {
			a[i] = (struct trace_access){
				.addr = r % 5 ? 0x7ffe0000 - (r >> 12) % 4096 : (r >> 16) & ~0xfULL,
				.size = 1u << ((r >> 4) % 6),
				.kind = (enum trace_kind)(1 + (r >> 40) % 3),
			};
			if (a[i].addr + (a[i].size - 1) < a[i].addr)
				a[i].addr = 0;
		}
	}
	buf = encode(a, N, "prog", &len);
	decode_equal(buf, len, a, N);
	assert_true(len < 3 * N);	/* compact: lackey text takes ~14 bytes an access */

	f = open_memstream(&text, &text_len);
	assert_non_null(f);
	for (i = 0; i < N; i++)
		assert_true(lackey_write(f, &a[i]) > 0);
	fclose(f);
	f = fmemopen(text, text_len, "r");
	lackey_init(&lr, f, "t.txt");
	for (i = 0; (ret = lackey_next(&lr, &got)) > 0; i++) {
		assert_true(i < N);
		assert_int_equal(got.kind, a[i].kind);
		assert_int_equal(got.addr, a[i].addr);
		assert_int_equal(got.size, a[i].size);
	}
	assert_int_equal(ret, 0);
	assert_int_equal(i, N);
	lackey_release(&lr);
	fclose(f);
	free(text);
	free(buf);
	free(a);
}

/*
 * Every proper prefix of a stream: an error with "t.lmt:N: ", after at most
 * the accesses of the prefix, each one right.
 */
static void test_lmt_every_prefix_fails(void **state)
{
	static const struct trace_access a[] = {
		{ 0x401000, 3, TRACE_INSTR }, { 0x401003, 20, TRACE_INSTR },
		{ 0x7ffe0008, 8, TRACE_LOAD }, { 0x12345678, 4, TRACE_MODIFY },
		{ 0x401200, 5, TRACE_INSTR }, { 0x7ffe0000, 8, TRACE_STORE },
	};
	size_t n = sizeof(a) / sizeof(a[0]), len;
	unsigned char *buf = encode(a, n, "cmd", &len);

	(void)state;
	for (size_t cut = 0; cut < len; cut++) {
		struct lmt_reader r;
		struct trace_access got;
		size_t i = 0;
		int ret = lmt_reader_init(&r, buf, cut, "t.lmt");

		while (!ret && (ret = lmt_next(&r, &got)) > 0) {
			assert_true(i < n);
			assert_int_equal(got.addr, a[i].addr);
			i++;
			ret = 0;
		}
		assert_int_equal(ret, -1);
		assert_true(!strncmp(r.err, "t.lmt:", 6));
		assert_non_null(strchr(r.err + 6, ':'));
	}
	decode_equal(buf, len, a, n);
	free(buf);
}

/* Read @text with the lackey reader: the accesses into @a (at most @max), the return code. */
static int read_lackey(const char *text, struct trace_access *a, size_t max, size_t *n,
		       char *err, size_t errlen, char *command)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct lackey_reader lr;
	int ret;

	assert_non_null(f);
	lackey_init(&lr, f, "t.txt");
	*n = 0;
	while ((ret = lackey_next(&lr, &a[*n])) > 0)
		assert_true(++*n < max);
	snprintf(err, errlen, "%s", lr.err);
	if (command)
		strcpy(command, lr.command);
	lackey_release(&lr);
	fclose(f);
	return ret;
}

static void test_lackey_reader(void **state)
{
	static const char ok[] =
		"==77== Lackey, an example Valgrind tool\n"
		"==77== Command: /usr/bin/prog -x\n"
		"==77== \n"
		"I  04000000,3\n"
		" L 1fff000708,8\n"
		" S 0401f0a8,4\r\n"
		"SB 04000000\n"
		"\n"
		"# a comment\n"
		"\tM\t7FFE0000,16  \n"
		"I 0401,15\n"
		"==77== Exit code:       0\n";
	struct trace_access a[16];
	char err[TRACE_ERR_MAX], cmd[TRACE_COMMAND_MAX];
	size_t n;

	(void)state;
	assert_int_equal(read_lackey(ok, a, 16, &n, err, sizeof(err), cmd), 0);
	assert_string_equal(cmd, "/usr/bin/prog -x");
	assert_int_equal(n, 5);
	assert_int_equal(a[0].kind, TRACE_INSTR);
	assert_int_equal(a[0].addr, 0x4000000);
	assert_int_equal(a[1].kind, TRACE_LOAD);
	assert_int_equal(a[1].addr, 0x1fff000708ULL);
	assert_int_equal(a[2].kind, TRACE_STORE);
	assert_int_equal(a[3].kind, TRACE_MODIFY);
	assert_int_equal(a[3].addr, 0x7ffe0000);
	assert_int_equal(a[3].size, 16);
	assert_int_equal(a[4].size, 15);

	{
		static const struct {
			const char *text, *err;
		} bad[] = {
			{ "I  0400,3\nQ 1,1\n", "t.txt:2: not a lackey line: expected 'I', 'L', "
					       "'S' or 'M' and ADDR,SIZE, got 'Q 1,1'" },
			{ " L ,8\n", "t.txt:1: expected ADDR,SIZE after 'L' (ADDR hexadecimal, "
				     "SIZE decimal)" },
			{ " S 10,\n", "t.txt:1: expected a decimal SIZE after ','" },
			{ " S 10,0\n", "t.txt:1: size 0" },
			{ " S 10,1048577\n", "t.txt:1: size larger than 1048576" },
			{ "I  10,4 5\n", "t.txt:1: unexpected '5' after the size" },
			{ "I  10000000000000000,4\n", "t.txt:1: address longer than 16 hex digits" },
			{ "\n\n M fffffffffffffff0,17\n", "t.txt:3: access wraps around the end of "
							  "the address space" },
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			assert_int_equal(read_lackey(bad[i].text, a, 16, &n, err, sizeof(err), NULL),
					 -1);
			assert_string_equal(err, bad[i].err);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lmt_spec_examples),
		cmocka_unit_test(test_lmt_extremes),
		cmocka_unit_test(test_lmt_random_and_lackey_text),
		cmocka_unit_test(test_lmt_every_prefix_fails),
		cmocka_unit_test(test_lackey_reader),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
