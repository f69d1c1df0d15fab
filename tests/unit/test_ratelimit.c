// SPDX-License-Identifier: MIT
/*
 * test_ratelimit.c - lib/ratelimit.c: DEFAULT_RATELIMIT_BURST (10) messages
 * per DEFAULT_RATELIMIT_INTERVAL (5 s) of simulated time, the "callbacks
 * suppressed" line, a fresh interval after a reboot; and warn_alloc(),
 * the page allocator's failure report, limited by it while the simulated
 * clock stands at 0 (as it does in a script that never sleeps).
 */
#include "../linmm_test.h"

#include <linmm/ratelimit.h>

static int count_in_dmesg(const char *needle)
{
	char *log = linmm_dmesg(7);
	int n = 0;

	for (const char *p = log; p && (p = strstr(p, needle)); p++)
		n++;
	free(log);
	return n;
}

static void test_burst_interval_reboot(void **state)
{
	static struct ratelimit_state rs =
		RATELIMIT_STATE_INIT(DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);
	int ok = 0;

	(void)state;
	boot_or_fail("mem=128M");
	for (int i = 0; i < 13; i++)
		ok += ___ratelimit(&rs, "test_rl");
	assert_int_equal(ok, 10);
	assert_false(dmesg_contains("test_rl: 3 callbacks suppressed"));
	/* Still inside the interval: quiet. */
	linmm_clock_advance(4999999999ULL);
	assert_false(___ratelimit(&rs, "test_rl"));
	/* The interval is over: the count of the missed, and a new burst. */
	linmm_clock_advance(1);
	assert_true(___ratelimit(&rs, "test_rl"));
	assert_true(dmesg_contains("test_rl: 4 callbacks suppressed"));
	/* A new boot starts afresh, without a count from the last one. */
	for (int i = 0; i < 20; i++)
		___ratelimit(&rs, "test_rl");
	linmm_shutdown();
	boot_or_fail("mem=128M");
	ok = 0;
	for (int i = 0; i < 12; i++)
		ok += ___ratelimit(&rs, "test_rl");
	assert_int_equal(ok, 10);
	assert_int_equal(count_in_dmesg("callbacks suppressed"), 0);
}

static void test_warn_alloc_limited(void **state)
{
	(void)state;
	boot_or_fail("mem=128M");
	/* 12 failures at simulated time 0: 10 reports. */
	for (int i = 0; i < 12; i++)
		warn_alloc(GFP_KERNEL, NULL, "page allocation failure: order:%u", 10);
	assert_int_equal(count_in_dmesg("page allocation failure: order:10"), 10);
	linmm_clock_advance(DEFAULT_RATELIMIT_INTERVAL);
	warn_alloc(GFP_KERNEL, NULL, "page allocation failure: order:%u", 10);
	assert_int_equal(count_in_dmesg("page allocation failure: order:10"), 11);
	assert_true(dmesg_contains("warn_alloc: 2 callbacks suppressed"));
	check_machine();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_burst_interval_reboot, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_warn_alloc_limited, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
