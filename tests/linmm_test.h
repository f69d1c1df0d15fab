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

#endif /* LINMM_TEST_H */
