/* SPDX-License-Identifier: MIT */
/*
 * linmm_test.h - helpers shared by the cmocka tests.
 *
 * Include after <cmocka.h>.  boot_or_fail() boots a fresh machine and fails
 * the test with linmm_last_error() if it does not boot.
 */
#ifndef LINMM_TEST_H
#define LINMM_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <linmm/linmm.h>

#include "mm/internal.h"

static inline void boot_or_fail(const char *cmdline)
{
	int ret = linmm_boot(cmdline);

	if (ret)
		fail_msg("linmm_boot(\"%s\") = %d: %s", cmdline ? cmdline : "(default)", ret,
			 linmm_last_error());
}

/* True if the machine's dmesg contains @needle. */
static inline bool dmesg_contains(const char *needle)
{
	char *log = linmm_dmesg(7);
	bool found = log && strstr(log, needle);

	free(log);
	return found;
}

/* Deterministic xorshift64 for randomised tests: the seed fixes the run. */
static u64 linmm_test_rnd = 1;

static inline u64 next_rand(void)
{
	linmm_test_rnd ^= linmm_test_rnd << 13;
	linmm_test_rnd ^= linmm_test_rnd >> 7;
	linmm_test_rnd ^= linmm_test_rnd << 17;
	return linmm_test_rnd;
}

/*
 * check_machine - every invariant checker over the whole machine:
 * memblock, node/zone layout, free lists and per-CPU lists of every zone.
 */
static inline void check_machine(void)
{
	struct zone *zone;

	assert_int_equal(validate_memblock(), 0);
	assert_int_equal(validate_zones(), 0);
	assert_int_equal(validate_highmem(), 0);	/* pkmap and kmap_local state */
	for_each_populated_zone(zone) {
		assert_int_equal(validate_free_lists(zone), 0);
		assert_int_equal(validate_pcp_lists(zone), 0);
	}
}

/* cmocka teardown: back on CPU 0, machine shut down. */
static inline int linmm_test_shutdown(void **state)
{
	(void)state;
	linmm_cpu_enter(0);
	linmm_shutdown();
	return 0;
}

#endif /* LINMM_TEST_H */
