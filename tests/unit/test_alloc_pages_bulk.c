/* SPDX-License-Identifier: MIT */
/*
 * test_alloc_pages_bulk.c - alloc_pages_bulk(): order-0 pages into the NULL
 * slots of an array (mm/alloc_pages.c, the kernel's alloc_pages_bulk_noprof).
 *
 *   in   [ P | P | - | - | P | - ]    P populated, - NULL
 *   out  [ P | P | a | b | P | c ]    return 6, P slots untouched
 *
 * Oracles: the kernel's contract (return = populated slots up to the first
 * NULL; one page through the single-page allocator when the bulk path
 * cannot start; nothing when fail_page_alloc fails the call), PGALLOC and
 * numa_hit counted once per page, and "free everything and buddyinfo
 * returns to its boot state".  validate_free_lists() after every step.
 */
#include "linmm_test.h"

#include <linmm/fault-inject.h>
#include <linmm/vmstat.h>

#include "kernel/machine.h"
#include "mm/internal.h"

#define NR 40

static int shutdown_after(void **state)
{
	fail_page_alloc_reset();
	return linmm_test_shutdown(state);
}

static void validate_all(void)
{
	struct zone *zone;

	for_each_zone(zone)
		assert_int_equal(validate_free_lists(zone), 0);
	check_machine();
}

static unsigned long pgalloc_all(void)
{
	unsigned long n = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++)
		n += sum_vm_event(PGALLOC_DMA + z);
	return n;
}

static unsigned long free_and_drained(void)
{
	drain_all_pages(NULL);
	return nr_free_pages();
}

static void free_array(struct page **pages, int nr)
{
	for (int i = 0; i < nr; i++)
		if (pages[i]) {
			__free_page(pages[i]);
			pages[i] = NULL;
		}
}

/* A whole empty array: NR distinct prepared pages, counted, and all return. */
static void test_fills_array(void **state)
{
	struct page *pages[NR] = { 0 };
	unsigned long free0, alloc0, hit0;
	struct zone *zone;

	boot_or_fail("mem=512M cpus=2");
	zone = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	free0 = free_and_drained();
	alloc0 = pgalloc_all();
	hit0 = zone_numa_event_state(zone, NUMA_HIT);
	assert_int_equal(alloc_pages_bulk(GFP_KERNEL, NR, pages), NR);
	validate_all();
	assert_int_equal(pgalloc_all() - alloc0, NR);
	assert_int_equal(zone_numa_event_state(zone, NUMA_HIT) - hit0, NR);
	for (int i = 0; i < NR; i++) {
		assert_non_null(pages[i]);
		assert_int_equal(page_ref_count(pages[i]), 1);
		assert_ptr_equal(page_zone(pages[i]), zone);
		for (int j = 0; j < i; j++)
			assert_ptr_not_equal(pages[i], pages[j]);
	}
	/* Every page is usable memory. */
	for (int i = 0; i < NR; i++)
		memset(page_address(pages[i]), i, PAGE_SIZE);
	assert_int_equal(((unsigned char *)page_address(pages[7]))[PAGE_SIZE - 1], 7);
	free_array(pages, NR);
	validate_all();
	assert_int_equal(free_and_drained(), free0);
	validate_all();
}

/* Populated slots are kept and skipped; the return counts them. */
static void test_skips_populated(void **state)
{
	struct page *pages[6] = { 0 }, *p0, *p1, *p4;
	unsigned long alloc0;

	boot_or_fail("mem=512M cpus=1");
	p0 = pages[0] = alloc_page(GFP_KERNEL);
	p1 = pages[1] = alloc_page(GFP_KERNEL);
	p4 = pages[4] = alloc_page(GFP_KERNEL);
	assert_non_null(p0);
	assert_non_null(p1);
	assert_non_null(p4);
	alloc0 = pgalloc_all();
	/* [ P | P | - | - | P | - ] */
	assert_int_equal(alloc_pages_bulk(GFP_KERNEL, 6, pages), 6);
	validate_all();
	assert_ptr_equal(pages[0], p0);
	assert_ptr_equal(pages[1], p1);
	assert_ptr_equal(pages[4], p4);
	assert_non_null(pages[2]);
	assert_non_null(pages[3]);
	assert_non_null(pages[5]);
	assert_int_equal(pgalloc_all() - alloc0, 3);
	/* A full array: nothing to do, nothing counted. */
	assert_int_equal(alloc_pages_bulk(GFP_KERNEL, 6, pages), 6);
	assert_int_equal(pgalloc_all() - alloc0, 3);
	/* No slots. */
	assert_int_equal(alloc_pages_bulk(GFP_KERNEL, 0, pages), 0);
	free_array(pages, 6);
	validate_all();
}

/*
 * Short: a request the zone cannot give above its low watermark gets one
 * page from the single-page allocator; fail_page_alloc fails the call.
 */
static void test_partial_on_failure(void **state)
{
	struct page *pages[NR] = { 0 };
	unsigned long free0, managed = 0;
	struct page **big;
	struct zone *zone;
	int nbig;

	boot_or_fail("mem=128M cpus=1");
	free0 = free_and_drained();
	for_each_zone(zone)
		managed += zone_managed_pages(zone);
	/* More pages than the machine has: no zone passes, one page comes back. */
	nbig = (int)managed + 16;
	big = calloc((size_t)nbig, sizeof(*big));
	assert_non_null(big);
	assert_int_equal(alloc_pages_bulk(GFP_KERNEL, nbig, big), 1);
	validate_all();
	assert_non_null(big[0]);
	assert_null(big[1]);
	/* The same with a populated head: the page goes into the first NULL slot. */
	assert_int_equal(alloc_pages_bulk(GFP_KERNEL, nbig, big), 2);
	assert_non_null(big[1]);
	assert_null(big[2]);
	free_array(big, 2);
	free(big);
	validate_all();

	/* fail_page_alloc: the call fails as a whole, before any page is taken. */
	fail_page_alloc.attr.probability = 100;
	atomic_store(&fail_page_alloc.attr.times, 1);
	fail_page_alloc.min_order = 0;
	fail_page_alloc.ignore_gfp_reclaim = false;
	assert_int_equal(alloc_pages_bulk(GFP_KERNEL, NR, pages), 0);
	assert_null(pages[0]);
	assert_true(dmesg_contains("FAULT_INJECTION: forcing a failure."));
	validate_all();
	/* times exhausted: the next call fills the array. */
	assert_int_equal(alloc_pages_bulk(GFP_KERNEL, NR, pages), NR);
	validate_all();
	free_array(pages, NR);
	validate_all();
	assert_int_equal(free_and_drained(), free0);
}

/* alloc_pages_bulk_node(): pages of the asked node (two nodes). */
static void test_node(void **state)
{
	struct page *pages[NR] = { 0 };

	boot_or_fail("mem=1G nodes=2 cpus=2");
	assert_int_equal(alloc_pages_bulk_node(GFP_KERNEL, 1, NR, pages), NR);
	validate_all();
	for (int i = 0; i < NR; i++)
		assert_int_equal(page_to_nid(pages[i]), 1);
	free_array(pages, NR);
	assert_int_equal(alloc_pages_bulk_mempolicy(GFP_KERNEL, NR, pages), NR);
	validate_all();
	for (int i = 0; i < NR; i++)
		assert_int_equal(page_to_nid(pages[i]), numa_node_id());
	free_array(pages, NR);
	validate_all();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_fills_array, shutdown_after),
		cmocka_unit_test_teardown(test_skips_populated, shutdown_after),
		cmocka_unit_test_teardown(test_partial_on_failure, shutdown_after),
		cmocka_unit_test_teardown(test_node, shutdown_after),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
