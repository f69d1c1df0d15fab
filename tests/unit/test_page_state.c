/* SPDX-License-Identifier: MIT */
/*
 * test_page_state.c - the frame map (mm/page_state.c) and /proc/kpageflags
 * (fs/proc/page.c) against states the test sets up itself.
 *
 *   alloc_pages(order 3)        free_pages + drain
 *   [K K K K K K K K]   --->    [F F F F F F F F ...]   K kernel, F free (buddy)
 *    no KPF_BUDDY                KPF_BUDDY on every frame, order >= 3
 *
 * Every case boots its own machine and runs the invariant checkers after
 * each step.
 */
#include "../linmm_test.h"

#include <linmm/gfp.h>
#include <linmm/kernel-page-flags.h>
#include <linmm/page_state.h>
#include <linmm/slab.h>
#include <linmm/vmalloc.h>

#include "kernel/machine.h"

#define KPF(n) (1ULL << (n))

static struct linmm_frame *frames_of(unsigned long pfn, unsigned long nr)
{
	struct linmm_frame *f = calloc(nr, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(linmm_frame_states(pfn, nr, f), 0);
	return f;
}

static struct linmm_frame frame_of(unsigned long pfn)
{
	struct linmm_frame *f = frames_of(pfn, 1), r = *f;

	free(f);
	return r;
}

/* Whole machine: FREE frames are exactly buddyinfo's pages, PCP frames the pcp counts. */
static void check_totals(void)
{
	struct zone *zone;

	for_each_populated_zone(zone) {
		unsigned long nr = zone->spanned_pages, buddy = 0, n_free = 0, n_pcp = 0;
		struct linmm_frame *f = frames_of(zone->zone_start_pfn, nr);

		for (int o = 0; o < NR_PAGE_ORDERS; o++)
			buddy += zone->free_area[o].nr_free << o;
		for (unsigned long i = 0; i < nr; i++) {
			if (f[i].state == FRAME_FREE) {
				n_free++;
				assert_true(f[i].kpageflags & KPF(KPF_BUDDY));
				assert_int_equal(f[i].zone, zone_idx(zone));
			} else {
				assert_false(f[i].kpageflags & KPF(KPF_BUDDY));
			}
			n_pcp += f[i].state == FRAME_PCP;
		}
		assert_int_equal(n_free, buddy);
		assert_int_equal(n_pcp, zone_pcp_count(zone));
		free(f);
	}
	check_machine();
}

static void test_boot_totals(void **state)
{
	(void)state;
	boot_or_fail("mem=256M cpus=2");
	check_totals();
}

/* An order-3 block: taken (no frame free), given back (every frame free again). */
static void test_order3_alloc_free(void **state)
{
	struct page *page;
	unsigned long pfn;
	struct linmm_frame *f;

	(void)state;
	boot_or_fail("mem=256M cpus=2");
	page = alloc_pages(GFP_KERNEL, 3);
	assert_non_null(page);
	pfn = page_to_pfn(page);
	f = frames_of(pfn, 8);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(f[i].state, FRAME_KERNEL);
		assert_false(f[i].kpageflags & KPF(KPF_BUDDY));
		assert_int_equal(f[i].order, 0);	/* not compound: no order is recorded */
		assert_int_equal(f[i].migratetype, MIGRATE_UNMOVABLE);
	}
	free(f);
	check_totals();

	__free_pages(page, 3);
	drain_all_pages(NULL);	/* off the per-CPU list, into the buddy */
	f = frames_of(pfn, 8);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(f[i].state, FRAME_FREE);
		assert_true(f[i].kpageflags & KPF(KPF_BUDDY));
		assert_true(f[i].order >= 3);
	}
	free(f);
	check_totals();
}

/* A compound order-2 page: head and tails, with the order. */
static void test_compound(void **state)
{
	struct page *page;
	unsigned long pfn;
	struct linmm_frame *f;

	(void)state;
	boot_or_fail("mem=256M cpus=2");
	page = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	assert_non_null(page);
	pfn = page_to_pfn(page);
	f = frames_of(pfn, 4);
	assert_true(f[0].kpageflags & KPF(KPF_COMPOUND_HEAD));
	for (int i = 0; i < 4; i++) {
		assert_int_equal(f[i].state, FRAME_KERNEL);
		assert_int_equal(f[i].order, 2);
		if (i)
			assert_true(f[i].kpageflags & KPF(KPF_COMPOUND_TAIL));
	}
	free(f);
	/*
	 * Freed to the per-CPU list of order 2 (pcp_allowed_order), or to the
	 * buddy if the list is full: PCP frames are not KPF_BUDDY, FREE ones are.
	 */
	__free_pages(page, 2);
	f = frames_of(pfn, 4);
	for (int i = 0; i < 4; i++) {
		if (f[i].state == FRAME_PCP) {
			assert_int_equal(f[i].order, 2);
			assert_false(f[i].kpageflags & KPF(KPF_BUDDY));
		} else {
			assert_int_equal(f[i].state, FRAME_FREE);
			assert_true(f[i].kpageflags & KPF(KPF_BUDDY));
		}
		assert_int_equal(f[i].state, f[0].state);
	}
	free(f);
	check_totals();
}

/* kmalloc: a slab page; a large kmalloc; vmalloc pages. */
static void test_owners(void **state)
{
	void *small, *large, *v;
	struct linmm_frame f;
	struct page *vp;

	(void)state;
	boot_or_fail("mem=256M cpus=2");
	small = kmalloc(64, GFP_KERNEL);
	large = kmalloc(4 * KMALLOC_MAX_CACHE_SIZE, GFP_KERNEL);
	v = vmalloc(3 * PAGE_SIZE);
	assert_non_null(small);
	assert_non_null(large);
	assert_non_null(v);

	f = frame_of(virt_to_pfn(small));
	assert_int_equal(f.state, FRAME_SLAB);
	assert_true(f.kpageflags & KPF(KPF_SLAB));
	assert_int_equal(f.kpageflags & stable_page_flags(virt_to_page(small)), f.kpageflags);
	f = frame_of(virt_to_pfn(large) + 1);	/* a tail answers for its head */
	assert_int_equal(f.state, FRAME_KMALLOC);
	assert_false(f.kpageflags & KPF(KPF_SLAB));
	for (int i = 0; i < 3; i++) {
		vp = vmalloc_to_page((char *)v + i * PAGE_SIZE);
		assert_non_null(vp);
		f = frame_of(page_to_pfn(vp));
		assert_int_equal(f.state, FRAME_VMALLOC);
		assert_false(f.kpageflags & KPF(KPF_BUDDY));
	}
	check_totals();

	vfree(v);
	kfree(large);
	kfree(small);
	check_totals();
}

/* A range starting inside a free block still gets the block's order. */
static void test_range_inside_block(void **state)
{
	struct zone *zone = NULL, *z;
	unsigned long pfn;
	struct page *head = NULL;
	struct linmm_frame *f;

	(void)state;
	boot_or_fail("mem=256M cpus=2");
	for_each_populated_zone(z)
		if (z->free_area[MAX_PAGE_ORDER].nr_free)
			zone = z;
	assert_non_null(zone);
	for (pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone); pfn++) {
		struct page *p = pfn_to_page(pfn);

		if (PageBuddy(p) && buddy_order(p) == MAX_PAGE_ORDER) {
			head = p;
			break;
		}
	}
	assert_non_null(head);
	f = frames_of(page_to_pfn(head) + 5, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(f[i].state, FRAME_FREE);
		assert_int_equal(f[i].order, MAX_PAGE_ORDER);
	}
	free(f);
	assert_int_equal(stable_page_flags(head + 7) & KPF(KPF_BUDDY), KPF(KPF_BUDDY));
}

/* Reserved frames, holes, the end of the file. */
static void test_reserved_and_limits(void **state)
{
	unsigned long end, n, reserved = 0;
	struct linmm_frame *f, one;
	u64 buf[4];

	(void)state;
	boot_or_fail("mem=256M cpus=2");
	end = boot_params.model == LINMM_FLATMEM ? max_pfn : ALIGN(max_pfn, section_nr_pages());
	assert_int_equal(stable_page_flags(NULL), KPF(KPF_NOPAGE));
	f = frames_of(0, max_pfn);
	for (n = 0; n < max_pfn; n++) {
		if (!pfn_valid(n)) {
			assert_int_equal(f[n].state, FRAME_HOLE);
			continue;
		}
		if (PageReserved(pfn_to_page(n))) {
			assert_int_equal(f[n].state, FRAME_RESERVED);
			assert_true(f[n].kpageflags & KPF(KPF_RESERVED));
			reserved++;
		}
	}
	assert_true(reserved > 0);	/* at least the memmap and pfn 0 */
	free(f);
	assert_int_equal(linmm_frame_states(end, 1, &one), -EINVAL);
	assert_int_equal(linmm_frame_states(end - 1, 2, &one), -EINVAL);
	assert_int_equal(linmm_kpageflags_read(buf, end - 2, 4), 2);
	assert_int_equal(linmm_kpageflags_read(buf, end, 4), 0);
	assert_true(linmm_frame_state_names[FRAME_SLAB] != NULL);
	assert_string_equal(linmm_frame_state_names[FRAME_FREE], "free");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_boot_totals, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_order3_alloc_free, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_compound, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_owners, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_range_inside_block, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_reserved_and_limits, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
