/* SPDX-License-Identifier: MIT */
/*
 * test_gfp.c - GFP masks as text: %pGg rendering and parsing.
 *
 * Oracle: the order of __def_gfpflag_names in the kernel's
 * include/trace/events/mmflags.h (6.18) - compound masks first
 * (GFP_TRANSHUGE, GFP_TRANSHUGE_LIGHT, GFP_HIGHUSER_MOVABLE, GFP_HIGHUSER,
 * GFP_USER, GFP_KERNEL_ACCOUNT, GFP_KERNEL, GFP_NOFS, GFP_ATOMIC, GFP_NOIO,
 * GFP_NOWAIT, GFP_DMA, GFP_DMA32, __GFP_RECLAIM), then the single bits in
 * bit order, leftovers in hex - and lib/vsprintf.c's format_flags(), which
 * prints nothing for an empty mask ("mode:0x0()").
 */
#include "linmm_test.h"

#include <linmm/gfp.h>

static void expect_format(gfp_t flags, const char *want)
{
	char buf[256];
	int n = format_gfp_flags(flags, buf, sizeof(buf));

	if (strcmp(buf, want))
		fail_msg("format_gfp_flags(%#x) = \"%s\", want \"%s\"", flags, buf, want);
	assert_int_equal(n, (int)strlen(want));
}

static void test_format_compound_first(void **state)
{
	expect_format(GFP_KERNEL, "GFP_KERNEL");
	expect_format(0xcc0, "GFP_KERNEL");
	expect_format(GFP_KERNEL | __GFP_ZERO | __GFP_COMP, "GFP_KERNEL|__GFP_ZERO|__GFP_COMP");
	expect_format(0x40dc0, "GFP_KERNEL|__GFP_ZERO|__GFP_COMP");
	expect_format(0x140cc0, "GFP_USER|__GFP_COMP");
	expect_format(GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT");
	expect_format(GFP_KERNEL | __GFP_ACCOUNT | __GFP_ZERO, "GFP_KERNEL_ACCOUNT|__GFP_ZERO");
	expect_format(GFP_NOFS, "GFP_NOFS");
	expect_format(GFP_NOIO, "GFP_NOIO");		/* == __GFP_RECLAIM, listed first */
	expect_format(GFP_ATOMIC, "GFP_ATOMIC");
	expect_format(0x820, "GFP_ATOMIC");
	expect_format(GFP_ATOMIC | __GFP_NOWARN, "GFP_ATOMIC|__GFP_NOWARN");
	expect_format(GFP_NOWAIT, "GFP_NOWAIT");
	expect_format(GFP_NOWAIT | __GFP_ZERO, "GFP_NOWAIT|__GFP_ZERO");
	expect_format(GFP_USER, "GFP_USER");
	expect_format(GFP_HIGHUSER, "GFP_HIGHUSER");
	expect_format(GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE");
	expect_format(GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_ZERO,
		      "GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP");
	expect_format(GFP_TRANSHUGE, "GFP_TRANSHUGE");
	expect_format(GFP_TRANSHUGE_LIGHT, "GFP_TRANSHUGE_LIGHT");
	expect_format(GFP_TRANSHUGE | __GFP_THISNODE, "GFP_TRANSHUGE|__GFP_THISNODE");
	expect_format(GFP_DMA, "GFP_DMA");
	expect_format(GFP_KERNEL | GFP_DMA, "GFP_KERNEL|GFP_DMA");
	expect_format(GFP_KERNEL | GFP_DMA32, "GFP_KERNEL|GFP_DMA32");
	expect_format(GFP_KERNEL | __GFP_HIGHMEM | __GFP_NOWARN | __GFP_ZERO,
		      "GFP_KERNEL|__GFP_HIGHMEM|__GFP_ZERO|__GFP_NOWARN");
}

static void test_format_single_bits(void **state)
{
	expect_format(__GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM");
	expect_format(__GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM");
	expect_format(__GFP_HIGH, "__GFP_HIGH");
	expect_format(__GFP_MOVABLE | __GFP_RECLAIMABLE, "__GFP_MOVABLE|__GFP_RECLAIMABLE");
	expect_format(__GFP_NORETRY | __GFP_NOFAIL | __GFP_RETRY_MAYFAIL,
		      "__GFP_RETRY_MAYFAIL|__GFP_NOFAIL|__GFP_NORETRY");
	expect_format(__GFP_IO | __GFP_FS, "__GFP_IO|__GFP_FS");
	expect_format(__GFP_THISNODE | __GFP_HARDWALL | __GFP_MEMALLOC | __GFP_NOMEMALLOC,
		      "__GFP_MEMALLOC|__GFP_NOMEMALLOC|__GFP_HARDWALL|__GFP_THISNODE");
	expect_format(__GFP_WRITE | __GFP_ZEROTAGS, "__GFP_WRITE|__GFP_ZEROTAGS");
}

static void test_format_empty_and_unknown(void **state)
{
	expect_format(0, "");
	expect_format(0x200, "0x200");			/* the retired __GFP_ATOMIC bit */
	expect_format(GFP_KERNEL | 0x200, "GFP_KERNEL|0x200");
	expect_format(0x4000000, "0x4000000");		/* past __GFP_BITS_SHIFT */
	expect_format(0x4000000 | 0x200 | __GFP_ZERO, "__GFP_ZERO|0x4000200");
}

static void test_format_truncates_like_snprintf(void **state)
{
	char buf[8];
	const char *full = "GFP_KERNEL|__GFP_ZERO";

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(format_gfp_flags(GFP_KERNEL | __GFP_ZERO, buf, sizeof(buf)),
			 (int)strlen(full));
	assert_string_equal(buf, "GFP_KER");
	assert_int_equal(format_gfp_flags(GFP_KERNEL, NULL, 0), (int)strlen("GFP_KERNEL"));
}

static void expect_parse(const char *s, gfp_t want)
{
	gfp_t got = 0xdeadbeef;

	if (parse_gfp_flags(s, &got))
		fail_msg("parse_gfp_flags(\"%s\") failed", s);
	if (got != want)
		fail_msg("parse_gfp_flags(\"%s\") = %#x, want %#x", s, got, want);
}

static void expect_parse_error(const char *s)
{
	gfp_t got = 0x1234;

	assert_int_equal(parse_gfp_flags(s, &got), -EINVAL);
	assert_int_equal(got, 0x1234);	/* untouched on error */
}

static void test_parse(void **state)
{
	expect_parse("GFP_KERNEL", 0xcc0);
	expect_parse("GFP_KERNEL|__GFP_ZERO", 0xdc0);
	expect_parse("GFP_KERNEL|__GFP_ZERO|__GFP_COMP", 0x40dc0);
	expect_parse(" GFP_ATOMIC | __GFP_NOWARN ", 0x2820);
	expect_parse("0x40dc0", 0x40dc0);
	expect_parse("0", 0);
	expect_parse("", 0);
	expect_parse("GFP_KERNEL|0x200", 0xec0);
	expect_parse("__GFP_DMA|__GFP_DMA", __GFP_DMA);
	expect_parse("GFP_HIGHUSER_MOVABLE", GFP_HIGHUSER_MOVABLE);
	expect_parse("3264", 3264);

	expect_parse_error("GFP_KERNEL|");
	expect_parse_error("|GFP_KERNEL");
	expect_parse_error("GFP_KERNEL||__GFP_ZERO");
	expect_parse_error("GFP_BOGUS");
	expect_parse_error("gfp_kernel");
	expect_parse_error("-1");
	expect_parse_error("0x100000000");
	expect_parse_error("0xzz");
	assert_int_equal(parse_gfp_flags(NULL, &(gfp_t){ 0 }), -EINVAL);
}

/* format then parse gives the mask back, for every single bit and many mixes. */
static void test_round_trip(void **state)
{
	char buf[512];
	u32 x = 0x12345678;

	for (int bit = 0; bit < 32; bit++) {
		gfp_t m = 1u << bit, back;

		format_gfp_flags(m, buf, sizeof(buf));
		assert_int_equal(parse_gfp_flags(buf, &back), 0);
		assert_int_equal(back, m);
	}
	for (int i = 0; i < 20000; i++) {
		gfp_t m, back;

		x ^= x << 13;	/* xorshift32: deterministic */
		x ^= x >> 17;
		x ^= x << 5;
		m = (i & 1) ? (x & __GFP_BITS_MASK) : x;
		format_gfp_flags(m, buf, sizeof(buf));
		if (parse_gfp_flags(buf, &back) || back != m)
			fail_msg("round trip of %#x via \"%s\" gave %#x", m, buf, back);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_compound_first),
		cmocka_unit_test(test_format_single_bits),
		cmocka_unit_test(test_format_empty_and_unknown),
		cmocka_unit_test(test_format_truncates_like_snprintf),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
