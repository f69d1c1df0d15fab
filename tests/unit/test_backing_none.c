// SPDX-License-Identifier: MIT
/*
 * test_backing_none.c - a metadata-only machine (backing=none) never
 * touches page contents: neither the zeroing of a new anonymous page nor
 * the copy of a copy-on-write fault costs host memory.
 *
 * Measured as the growth of this process's resident set (host
 * /proc/self/statm) over 64 MiB of write faults and then 64 MiB of COW
 * copies: with contents it would be at least 64 MiB each; the bound of
 * 16 MiB leaves room for struct pages, page tables and the allocator's
 * own metadata, which are real memory in every mode.
 */
#include <unistd.h>

#include "../linmm_test.h"

#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/mmu.h>
#include <linmm/sched.h>

#define REGION (64UL << 20)
#define BOUND (16UL << 20)

static unsigned long host_rss_bytes(void)
{
	unsigned long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return resident * (unsigned long)sysconf(_SC_PAGESIZE);
}

static void test_no_contents_touched(void **state)
{
	struct task_struct *parent, *child;
	unsigned long addr, before;

	(void)state;
	boot_or_fail("mem=1G backing=none");
	parent = linmm_spawn("parent");
	assert_non_null(parent);
	addr = linmm_mmap(parent, 0, REGION, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_false(IS_ERR_VALUE(addr));

	before = host_rss_bytes();
	assert_int_equal(linmm_touch(parent, addr, REGION, LINMM_ACCESS_WRITE), 0);
	assert_true(host_rss_bytes() - before < BOUND);
	assert_int_equal(parent->min_flt, REGION / PAGE_SIZE);

	child = linmm_fork(parent);
	assert_non_null(child);
	before = host_rss_bytes();
	/* Every page is shared: the child's writes copy each one. */
	assert_int_equal(linmm_touch(child, addr, REGION, LINMM_ACCESS_WRITE), 0);
	assert_true(host_rss_bytes() - before < BOUND);
	assert_int_equal(child->min_flt, REGION / PAGE_SIZE);
	assert_int_equal(validate_mm(parent->mm), 0);
	assert_int_equal(validate_mm(child->mm), 0);
	check_machine();
	linmm_task_exit(child);
	linmm_task_exit(parent);
	check_machine();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_no_contents_touched, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
