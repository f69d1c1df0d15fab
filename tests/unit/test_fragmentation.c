/* SPDX-License-Identifier: MIT */
/*
 * test_fragmentation.c - grouping pages by mobility keeps whole pageblocks
 * free, in the spirit of the kernel's anti-fragmentation evaluation.
 *
 * Fill memory with a random mix of unmovable (GFP_KERNEL, 1 in 4) and
 * movable (GFP_HIGHUSER_MOVABLE) allocations of orders 0-3 until an
 * allocation fails, free the movable ones, and count how many free
 * pageblock-sized blocks (order 9, an order-10 block counts twice) there
 * are.  With mobility grouping the unmovable pages sit together in a few
 * pageblocks:
 *
 *   grouping on    [UUUU][UUUU][MMMM][MMMM][MMMM][MMMM]  -> free M: 4 blocks
 *   grouping off   [UMMU][MUMM][MMUM][UMMM][MUMM][MMMU]  -> free M: 0 blocks
 *
 * page_group_by_mobility_disabled (which the kernel sets on machines too
 * small to group) turns grouping off: every request is then UNMOVABLE and
 * every fallback claims its pageblock.  The test asserts that grouping
 * leaves strictly more free order-9 blocks and prints both counts.
 */
#include "linmm_test.h"

#include "mm/internal.h"

struct alloc {
	struct page *page;
	unsigned int order;
	bool movable;
};

static unsigned long free_pageblocks(void)
{
	struct zone *zone;
	unsigned long n = 0;

	for_each_populated_zone(zone) {
		for (int o = pageblock_order; o < NR_PAGE_ORDERS; o++)
			n += zone->free_area[o].nr_free << (o - pageblock_order);
	}
	return n;
}

static unsigned long fill_and_free_movable(bool grouping, unsigned long *unmovable_blocks)
{
	size_t max = 1UL << 19, n = 0;
	struct alloc *a = calloc(max, sizeof(*a));
	unsigned long result, counts[MIGRATE_TYPES];
	struct zone *zone;

	assert_non_null(a);
	linmm_test_rnd = 0x2545F4914F6CDD1DULL;
	boot_or_fail("mem=1G cpus=1");
	page_group_by_mobility_disabled = !grouping;
	while (n < max) {
		bool movable = next_rand() % 4 != 0;
		unsigned int order = next_rand() % 8 == 0 ? 1 + (unsigned int)(next_rand() % 3) : 0;
		struct page *page = alloc_pages((movable ? GFP_HIGHUSER_MOVABLE : GFP_KERNEL) |
						__GFP_NOWARN, order);

		if (!page)
			break;
		a[n++] = (struct alloc){ page, order, movable };
	}
	assert_true(n > 1000 && n < max);
	*unmovable_blocks = 0;
	for_each_populated_zone(zone) {
		assert_int_equal(validate_free_lists(zone), 0);
		pagetypeinfo_count_blocks(zone, counts);
		*unmovable_blocks += counts[MIGRATE_UNMOVABLE];
	}
	for (size_t i = 0; i < n; i++)
		if (a[i].movable)
			__free_pages(a[i].page, a[i].order);
	drain_all_pages(NULL);
	result = free_pageblocks();
	for_each_populated_zone(zone)
		assert_int_equal(validate_free_lists(zone), 0);

	for (size_t i = 0; i < n; i++)
		if (!a[i].movable)
			__free_pages(a[i].page, a[i].order);
	free(a);
	page_group_by_mobility_disabled = 0;
	linmm_shutdown();
	return result;
}

static void test_grouping_by_mobility(void **state)
{
	unsigned long on_unmovable, off_unmovable;
	unsigned long on = fill_and_free_movable(true, &on_unmovable);
	unsigned long off = fill_and_free_movable(false, &off_unmovable);

	print_message("free order-9 blocks after freeing the movable pages: "
		      "grouping on %lu (%lu unmovable pageblocks), grouping off %lu (%lu)\n",
		      on, on_unmovable, off, off_unmovable);
	assert_true(on > off);
}

static int teardown(void **state)
{
	page_group_by_mobility_disabled = 0;
	linmm_shutdown();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_grouping_by_mobility, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
