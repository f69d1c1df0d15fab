/* SPDX-License-Identifier: MIT */
/*
 * test_memblock.c - mm/memblock.c case by case, in the style of the
 * kernel's tools/testing/memblock.  No machine is booted: memblock works on
 * its own region arrays.  validate_memblock() runs after every step.
 */
#include "linmm_test.h"

#include <linmm/memblock.h>

#include "kernel/machine.h"

#define MB(x) ((phys_addr_t)(x) << 20)

static int setup(void **state)
{
	memblock_init();
	return 0;
}

static int teardown(void **state)
{
	memblock_teardown();
	return 0;
}

static void check(void)
{
	assert_int_equal(validate_memblock(), 0);
}

/*
 *   add  [10M  20M)            [30M 40M)
 *   add       [15M          35M)
 *   ->   [10M                   40M)   one merged region
 */
static void test_add_merges_overlaps(void **state)
{
	assert_int_equal(memblock_add(MB(10), MB(10)), 0);
	check();
	assert_int_equal(memblock_add(MB(30), MB(10)), 0);
	check();
	assert_int_equal(memblock.memory.cnt, 2);
	assert_int_equal(memblock_add(MB(15), MB(20)), 0);
	check();
	assert_int_equal(memblock.memory.cnt, 1);
	assert_int_equal(memblock.memory.regions[0].base, MB(10));
	assert_int_equal(memblock.memory.regions[0].size, MB(30));
	assert_int_equal(memblock_phys_mem_size(), MB(30));
}

/*
 *   memory [0                 100M)
 *   remove        [40M  60M)
 *   ->     [0  40M)        [60M 100M)
 */
static void test_remove_splits(void **state)
{
	assert_int_equal(memblock_add(0, MB(100)), 0);
	assert_int_equal(memblock_remove(MB(40), MB(20)), 0);
	check();
	assert_int_equal(memblock.memory.cnt, 2);
	assert_int_equal(memblock.memory.regions[0].size, MB(40));
	assert_int_equal(memblock.memory.regions[1].base, MB(60));
	assert_int_equal(memblock_phys_mem_size(), MB(80));
	assert_false(memblock_is_memory(MB(50)));
	assert_true(memblock_is_memory(MB(60)));
	assert_false(memblock_is_memory(MB(100)));
}

/* Allocations are top-down, aligned, inside the limit, and reserved. */
static void test_alloc_top_down(void **state)
{
	phys_addr_t a, b;

	assert_int_equal(memblock_add(MB(1), MB(63)), 0);
	assert_int_equal(memblock_reserve(MB(60), MB(4)), 0);
	a = memblock_phys_alloc_range(MB(2), MB(2), 0, MEMBLOCK_ALLOC_ANYWHERE, NUMA_NO_NODE);
	check();
	assert_int_equal(a, MB(58));	/* highest 2M-aligned fit below the reservation */
	b = memblock_phys_alloc_range(0x1000, 0x1000, 0, MEMBLOCK_ALLOC_ANYWHERE, NUMA_NO_NODE);
	assert_int_equal(b, MB(58) - 0x1000);
	assert_true(memblock_is_reserved(a));
	assert_true(memblock_is_region_reserved(b, 1));
	/* the reservations merged: [58M - 4K, 60M) + [60M, 64M) */
	assert_int_equal(memblock.reserved.cnt, 1);
	memblock_set_current_limit(MB(16));
	a = memblock_phys_alloc_range(MB(1), MB(1), 0, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
	assert_int_equal(a, MB(15));
	check();
	/* too large: fails with 0, changes nothing */
	phys_addr_t before = memblock_reserved_size();

	assert_int_equal(memblock_phys_alloc_range(MB(200), PAGE_SIZE, 0, MEMBLOCK_ALLOC_ANYWHERE,
						   NUMA_NO_NODE), 0);
	assert_int_equal(memblock_reserved_size(), before);
}

/* Allocation prefers the requested node and falls back to any node. */
static void test_alloc_node(void **state)
{
	assert_int_equal(memblock_add_node(0, MB(64), 0, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(MB(64), MB(64), 1, MEMBLOCK_NONE), 0);
	check();
	assert_int_equal(memblock_phys_alloc_try_nid(MB(1), MB(1), 0), MB(63));
	assert_int_equal(memblock_phys_alloc_try_nid(MB(1), MB(1), 1), MB(127));
	assert_int_equal(memblock_present_pages(0, PHYS_PFN(MB(128)), 1), PHYS_PFN(MB(64)));
	assert_int_equal(memblock_reserve(MB(64), MB(63)), 0);
	/* node 1 is full: falls back to node 0 */
	assert_int_equal(memblock_phys_alloc_try_nid(MB(1), MB(1), 1), MB(62));
	check();
}

/* Free ranges = memory minus reserved, ascending. */
static void test_free_ranges(void **state)
{
	phys_addr_t s, e;
	u64 idx = 0;
	int n = 0;
	const phys_addr_t want[][2] = { { 0, MB(1) }, { MB(2), MB(3) }, { MB(10), MB(11) } };

	assert_int_equal(memblock_add(0, MB(3)), 0);
	assert_int_equal(memblock_add(MB(10), MB(2)), 0);
	assert_int_equal(memblock_reserve(MB(1), MB(1)), 0);
	assert_int_equal(memblock_reserve(MB(11), MB(5)), 0);
	check();
	while (memblock_next_free_range(&idx, &s, &e, NULL)) {
		assert_true(n < 3);
		assert_int_equal(s, want[n][0]);
		assert_int_equal(e, want[n][1]);
		n++;
	}
	assert_int_equal(n, 3);
}

/* More than INIT_MEMBLOCK_REGIONS disjoint regions: the array doubles. */
static void test_array_doubles(void **state)
{
	for (int i = 0; i < 3 * INIT_MEMBLOCK_REGIONS; i++)
		assert_int_equal(memblock_reserve(MB(2 * i), MB(1)), 0);
	check();
	assert_int_equal(memblock.reserved.cnt, 3 * INIT_MEMBLOCK_REGIONS);
	assert_true(memblock.reserved.max >= 3 * INIT_MEMBLOCK_REGIONS);
	/* filling the gaps merges everything into one region */
	for (int i = 0; i < 3 * INIT_MEMBLOCK_REGIONS; i++)
		assert_int_equal(memblock_reserve(MB(2 * i + 1), MB(1)), 0);
	check();
	assert_int_equal(memblock.reserved.cnt, 1);
}

static void test_set_node_and_trim(void **state)
{
	assert_int_equal(memblock_add(0x800, MB(8) - 0x1000), 0);	/* unaligned both ends */
	memblock_trim_memory(PAGE_SIZE);
	check();
	assert_int_equal(memblock.memory.regions[0].base, 0x1000);
	assert_int_equal(memblock.memory.regions[0].size, MB(8) - 0x2000);
	assert_int_equal(memblock_set_node(MB(4), MB(4), 1), 0);
	check();
	assert_int_equal(memblock.memory.cnt, 2);
	assert_int_equal(memblock.memory.regions[1].nid, 1);
	assert_int_equal(memblock.memory.regions[1].base, MB(4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_merges_overlaps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remove_splits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_top_down, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_node, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_array_doubles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_node_and_trim, setup, teardown),
	};

	return cmocka_run_group_tests_name("memblock", tests, NULL, NULL);
}
