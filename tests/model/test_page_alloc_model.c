/* SPDX-License-Identifier: MIT */
/*
 * test_page_alloc_model.c - random allocation and free sequences against a
 * reference model of which page frames are in use.
 *
 * The model is a bitmap over pfns.  Every allocation must return a block
 * that is aligned to its order, lies in a zone the GFP flags allow, is
 * not PageBuddy, has refcount 1, is zeroed if __GFP_ZERO asked, and whose
 * pfns are all free in the model; the pfns are then marked.  Frees unmark
 * them.  Conservation is checked after every failed allocation and at
 * every validation point:
 *
 *   free pages (NR_FREE_PAGES) + pages on pcp lists + pages in use
 *       == free pages at boot
 *
 * Every LINMM_MODEL_VALIDATE_EVERY steps (default 32) validate_free_lists()
 * runs on every zone and every free block and pcp page is checked to be
 * free in the model.  At the end everything is freed, the HIGHATOMIC
 * reserves are released, and /proc/buddyinfo must equal its boot state.
 *
 * The same sequence runs again with fail_page_alloc at 10%, proving that
 * every injected failure returns NULL without leaving a trace.
 *
 * Knobs: LINMM_MODEL_OPS (operations of the first run, default 1500000; the
 * injection run does half: 2.25 million in all, about 25 s under ASan),
 * LINMM_MODEL_SEED (default 1).
 */
#include "linmm_test.h"

#include <linmm/fault-inject.h>
#include <linmm/vmstat.h>

#include "kernel/host.h"
#include "mm/internal.h"

#define MAX_LIVE 6000

struct live {
	struct page *page;
	unsigned int order;
	gfp_t gfp;
};

static struct live live[MAX_LIVE];
static int nr_live;
static unsigned long *in_use;		/* bitmap over pfns */
static unsigned long in_use_pages, boot_free;
static unsigned long env_ulong(const char *name, unsigned long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

static bool test_bit(unsigned long pfn)
{
	return in_use[pfn / 64] >> (pfn % 64) & 1;
}

static void mark(unsigned long pfn, unsigned long nr, bool used)
{
	for (unsigned long p = pfn; p < pfn + nr; p++) {
		if (used)
			in_use[p / 64] |= 1UL << (p % 64);
		else
			in_use[p / 64] &= ~(1UL << (p % 64));
	}
	if (used)
		in_use_pages += nr;
	else
		in_use_pages -= nr;
}

static unsigned long free_and_pcp_pages(void)
{
	struct zone *zone;
	long n = 0;

	for_each_populated_zone(zone)
		n += zone_page_state_snapshot(zone, NR_FREE_PAGES) + (long)zone_pcp_count(zone);
	return (unsigned long)n;
}

static void check_conservation(const char *when)
{
	unsigned long have = free_and_pcp_pages() + in_use_pages;

	if (have != boot_free)
		fail_msg("%s: free + pcp + in use = %lu, boot had %lu free", when, have, boot_free);
}

/* Every free block and pcp page must be free in the model. */
static void check_model_against_lists(void)
{
	struct zone *zone;
	int cpu;

	for_each_populated_zone(zone) {
		if (validate_free_lists(zone)) {
			char *log = linmm_dmesg(3);

			fail_msg("validate_free_lists(%s):\n%s", zone->name, log ? log : "");
		}
		spin_lock(&zone->lock);
		for (int o = 0; o < NR_PAGE_ORDERS; o++) {
			for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
				struct page *page;

				list_for_each_entry(page, &zone->free_area[o].free_list[mt], buddy_list) {
					unsigned long pfn = page_to_pfn(page);

					for (unsigned long p = pfn; p < pfn + (1UL << o); p++)
						if (test_bit(p))
							fail_msg("pfn %#lx is free in the buddy and in use", p);
				}
			}
		}
		spin_unlock(&zone->lock);
		for_each_possible_cpu(cpu) {
			struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

			spin_lock(&pcp->lock);
			for (int i = 0; i < NR_PCP_LISTS; i++) {
				struct page *page;

				list_for_each_entry(page, &pcp->lists[i], pcp_list)
					if (test_bit(page_to_pfn(page)))
						fail_msg("pfn %#lx is on a pcp list and in use",
							 page_to_pfn(page));
			}
			spin_unlock(&pcp->lock);
		}
	}
	check_conservation("validation");
}

static const gfp_t gfps[] = {
	GFP_KERNEL, GFP_KERNEL, GFP_HIGHUSER_MOVABLE, GFP_HIGHUSER_MOVABLE,
	GFP_KERNEL | __GFP_RECLAIMABLE, GFP_ATOMIC, GFP_NOWAIT, GFP_KERNEL | __GFP_COMP,
	GFP_KERNEL | __GFP_ZERO, GFP_KERNEL | GFP_DMA32, GFP_KERNEL | GFP_DMA,
	GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_ZERO, GFP_KERNEL | __GFP_NORETRY,
	GFP_ATOMIC | __GFP_COMP,
};

static unsigned int random_order(void)
{
	unsigned int r = (unsigned int)(next_rand() % 100);

	if (r < 50)
		return 0;
	if (r < 80)
		return 1 + (unsigned int)(next_rand() % 3);
	if (r < 96)
		return 4 + (unsigned int)(next_rand() % 5);
	return 9 + (unsigned int)(next_rand() % 2);
}

static void do_alloc(unsigned long *failures)
{
	gfp_t gfp = gfps[next_rand() % ARRAY_SIZE(gfps)] | __GFP_NOWARN;
	unsigned int order = random_order();
	struct page *page;
	unsigned long pfn, nr = 1UL << order;

	if (nr_live >= MAX_LIVE)
		return;
	page = alloc_pages(gfp, order);
	if (!page) {
		(*failures)++;
		check_conservation("after a failed allocation");
		return;
	}
	pfn = page_to_pfn(page);
	if (pfn & (nr - 1))
		fail_msg("order-%u block at %#lx not aligned", order, pfn);
	if (page_zonenum(page) > gfp_zone(gfp))
		fail_msg("gfp %#x got a page of zone %s", gfp, zone_names[page_zonenum(page)]);
	assert_int_equal(page_ref_count(page), 1);
	assert_false(PageBuddy(page));
	for (unsigned long p = pfn; p < pfn + nr; p++)
		if (test_bit(p))
			fail_msg("pfn %#lx handed out twice (order %u gfp %#x)", p, order, gfp);
	if ((gfp & __GFP_ZERO) && page_address(page)) {
		const unsigned char *b = page_address(page);

		if (b[0] || b[PAGE_SIZE * nr - 1])
			fail_msg("__GFP_ZERO block at %#lx is not zeroed", pfn);
	}
	if (page_address(page))
		*(unsigned char *)page_address(page) = 0x5a;	/* dirty it for later zero checks */
	mark(pfn, nr, true);
	live[nr_live++] = (struct live){ page, order, gfp };
}

static void do_free(void)
{
	int i = (int)(next_rand() % (u64)nr_live);
	struct live l = live[i];
	unsigned long nr = 1UL << l.order;

	live[i] = live[--nr_live];
	mark(page_to_pfn(l.page), nr, false);
	switch (next_rand() % 4) {
	case 0:
		if (PageHead(l.page)) {
			/* Any page of a compound page frees it all. */
			put_page(l.page + next_rand() % nr);
			return;
		}
		break;
	case 1:
		if (page_address(l.page) && !PageHead(l.page)) {
			free_pages((unsigned long)page_address(l.page), l.order);
			return;
		}
		break;
	case 2:
		/* An extra reference, dropped again: no effect. */
		get_page(l.page);
		put_page(l.page);
		break;
	}
	__free_pages(l.page, l.order);
}

/* split_page() a non-compound block into order-0 entries. */
static void do_split(void)
{
	int i = (int)(next_rand() % (u64)nr_live);
	struct live l = live[i];
	unsigned long nr = 1UL << l.order;

	if (!l.order || PageHead(l.page) || nr_live + (int)nr > MAX_LIVE)
		return;
	split_page(l.page, l.order);
	live[i].order = 0;
	for (unsigned long k = 1; k < nr; k++)
		live[nr_live++] = (struct live){ l.page + k, 0, l.gfp };
}

static void run_model(unsigned long ops, bool inject)
{
	unsigned long every = env_ulong("LINMM_MODEL_VALIDATE_EVERY", 32);
	unsigned long failures = 0, pgalloc_before;
	u64 t0 = linmm_host_now_ns();
	struct buddyinfo_s {
		unsigned long nr_free[MAX_NR_ZONES][NR_PAGE_ORDERS];
	} boot, end;
	struct alloc_context ac = { 0 };
	struct zone *zone;

	linmm_test_rnd = env_ulong("LINMM_MODEL_SEED", 1) * 0x9E3779B97F4A7C15ULL | 1;
	boot_or_fail("mem=192M cpus=4");
	in_use = calloc(max_pfn / 64 + 1, sizeof(unsigned long));
	assert_non_null(in_use);
	nr_live = 0;
	in_use_pages = 0;
	boot_free = free_and_pcp_pages();
	for (int z = 0; z < MAX_NR_ZONES; z++)
		for (int o = 0; o < NR_PAGE_ORDERS; o++)
			boot.nr_free[z][o] = NODE_DATA(0)->node_zones[z].free_area[o].nr_free;
	pgalloc_before = sum_vm_event(PGALLOC_DMA32);
	if (inject) {
		assert_int_equal(setup_fault_attr(&fail_page_alloc.attr, "1,10,0,-1"), 0);
		fail_page_alloc.attr.verbose = 0;
		fail_page_alloc.min_order = 0;
		fail_page_alloc.ignore_gfp_reclaim = false;
		fail_page_alloc.ignore_gfp_highmem = false;
		fault_attr_seed(&fail_page_alloc.attr, env_ulong("LINMM_MODEL_SEED", 1));
	}

	for (unsigned long step = 1; step <= ops; step++) {
		unsigned int r = (unsigned int)(next_rand() % 1000);

		assert_int_equal(linmm_cpu_enter((int)(next_rand() % nr_cpu_ids)), 0);
		/* Allocate more while few blocks are live, free more when many are. */
		if (r < 5)
			drain_all_pages(NULL);
		else if (r < 15 && nr_live)
			do_split();
		else if (nr_live && r < 400 + nr_live * 400 / MAX_LIVE)
			do_free();
		else
			do_alloc(&failures);
		if (step % every == 0)
			check_model_against_lists();
	}
	assert_int_equal(linmm_cpu_enter(0), 0);
	check_model_against_lists();

	/* Free everything; give back the HIGHATOMIC reserves and merge them again. */
	while (nr_live)
		do_free();
	fail_page_alloc_reset();
	drain_all_pages(NULL);
	check_model_against_lists();
	ac.zonelist = node_zonelist(0, GFP_KERNEL);
	ac.highest_zoneidx = ZONE_NORMAL;
	ac.migratetype = MIGRATE_MOVABLE;
	for_each_populated_zone(zone) {
		for (unsigned long pfn = ALIGN(zone->zone_start_pfn, pageblock_nr_pages);
		     pfn + pageblock_nr_pages <= zone_end_pfn(zone); pfn += pageblock_nr_pages) {
			if (get_pfnblock_migratetype(pfn_to_page(pfn), pfn) != MIGRATE_HIGHATOMIC)
				continue;
			while (get_pfnblock_migratetype(pfn_to_page(pfn), pfn) == MIGRATE_HIGHATOMIC)
				assert_true(unreserve_highatomic_pageblock(&ac, true));
			assert_int_equal(start_isolate_page_range(pfn, pfn + pageblock_nr_pages,
								  MIGRATE_MOVABLE), 0);
			undo_isolate_page_range(pfn, pfn + pageblock_nr_pages, MIGRATE_MOVABLE);
		}
	}
	check_model_against_lists();
	assert_int_equal(in_use_pages, 0);
	for (int z = 0; z < MAX_NR_ZONES; z++)
		for (int o = 0; o < NR_PAGE_ORDERS; o++) {
			end.nr_free[z][o] = NODE_DATA(0)->node_zones[z].free_area[o].nr_free;
			if (end.nr_free[z][o] != boot.nr_free[z][o])
				fail_msg("zone %s order %d: %lu free blocks at the end, %lu at boot",
					 zone_names[z], o, end.nr_free[z][o], boot.nr_free[z][o]);
		}
	print_message("%s: %lu ops, %lu failed allocations, %lu pages allocated from DMA32, %.1f s\n",
		      inject ? "fail_page_alloc 10%" : "plain", ops, failures,
		      sum_vm_event(PGALLOC_DMA32) - pgalloc_before,
		      (double)(linmm_host_now_ns() - t0) / 1e9);
	free(in_use);
	in_use = NULL;
}

static void test_model(void **state)
{
	run_model(env_ulong("LINMM_MODEL_OPS", 1500000), false);
}

static void test_model_fail_page_alloc(void **state)
{
	run_model(env_ulong("LINMM_MODEL_OPS", 1500000) / 2, true);
}

static int teardown(void **state)
{
	fail_page_alloc_reset();
	linmm_shutdown();
	free(in_use);
	in_use = NULL;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_model, teardown),
		cmocka_unit_test_teardown(test_model_fail_page_alloc, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
