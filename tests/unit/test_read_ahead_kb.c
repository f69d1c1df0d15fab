// SPDX-License-Identifier: MIT
/*
 * test_read_ahead_kb.c - /sys/block/ram0/queue/read_ahead_kb (block/blk-
 * sysfs.c queue_ra_show/queue_ra_store) and the file readahead state that
 * takes it (mm/readahead.c file_ra_state_init).
 *
 *   read_ahead_kb 128 (brd's default) -> bdi ra_pages 32
 *   echo 8192 > read_ahead_kb         -> files opened now: ra_pages 2048;
 *                                        files already open keep theirs
 *
 * And what the store refuses (kstrtoul base 10, at most UINT_MAX).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "../linmm_test.h"

#include <linmm/fs.h>
#include <linmm/sched.h>

#define RA_KB "/sys/block/ram0/queue/read_ahead_kb"

static struct task_struct *p;

static int setup(void **state)
{
	(void)state;
	boot_or_fail("mem=96M");
	p = linmm_spawn("p");
	assert_non_null(p);
	return 0;
}

static void check(void)
{
	assert_int_equal(validate_page_cache(), 0);
	assert_int_equal(validate_mm(p->mm), 0);
	check_machine();
}

static void assert_ra_kb(const char *want)
{
	char *text = linmm_proc_read(RA_KB);

	assert_non_null(text);
	assert_string_equal(text, want);
	linmm_free(text);
}

/* The ra_pages a file opened now gets. */
static unsigned int opened_ra_pages(const char *path, int *fdp)
{
	int fd = linmm_open(p, path, O_RDWR | O_CREAT, 0644);
	struct file *file;
	unsigned int ra;

	assert_true(fd >= 0);
	file = fget(p, fd);
	assert_non_null(file);
	ra = file->f_ra.ra_pages;
	fput(file);
	*fdp = fd;
	return ra;
}

static void test_default_and_store(void **state)
{
	int fd1, fd2;

	(void)state;
	assert_ra_kb("128\n");
	assert_int_equal(opened_ra_pages("/a", &fd1), 32);
	assert_int_equal(linmm_proc_write(RA_KB, "8192"), 0);
	assert_ra_kb("8192\n");
	assert_int_equal(opened_ra_pages("/b", &fd2), 2048);
	/* Opened before the store: unchanged, as file->f_ra is set at open. */
	linmm_close(p, fd2);
	{
		struct file *file = fget(p, fd1);

		assert_non_null(file);
		assert_int_equal(file->f_ra.ra_pages, 32);
		fput(file);
	}
	linmm_close(p, fd1);
	/* KiB below a page round down; a trailing newline and a '+' are fine. */
	assert_int_equal(linmm_proc_write(RA_KB, "+7\n"), 0);
	assert_ra_kb("4\n");
	assert_int_equal(linmm_proc_write(RA_KB, "0"), 0);
	assert_ra_kb("0\n");
	assert_int_equal(opened_ra_pages("/c", &fd1), 0);
	linmm_close(p, fd1);
	assert_int_equal(linmm_proc_write(RA_KB, "4294967295"), 0);	/* UINT_MAX */
	check();
}

static void test_store_refuses(void **state)
{
	static const char *const bad[] = {
		"", "\n", "-1", "abc", "12 ", " 12", "12\n\n", "0x10", "4294967296",
		"99999999999999999999999",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		if (linmm_proc_write(RA_KB, bad[i]) != -EINVAL)
			fail_msg("read_ahead_kb took \"%s\"", bad[i]);
		assert_ra_kb("128\n");
	}
	check();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_default_and_store, setup,
						linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_store_refuses, setup, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
