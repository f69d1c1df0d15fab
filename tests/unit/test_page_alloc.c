/* SPDX-License-Identifier: MIT */
/*
 * test_page_alloc.c - the buddy allocator, per-CPU lists and GFP semantics.
 *
 * Oracles (none of them computed by the code under test):
 *   - buddy arithmetic: blocks aligned to their order, buddy = pfn ^ 2^order,
 *     expand() hands out the lower half and frees the upper halves;
 *   - "free everything and buddyinfo returns exactly to its boot state";
 *   - the kernel's fallbacks[] table and claim rule (a pageblock changes type
 *     when at least half of it is free or compatible), fact sheet 2.2;
 *   - the pcp formulas of fact sheet 2.8 (zone_batchsize, zone_highsize) and
 *     the host's /proc/zoneinfo (pcp->high 0 until the CPU uses its list);
 *   - GFP_ZONE_TABLE (fact sheet 2.4) per arch; the kernel's report texts
 *     ("BUG: Bad page state in process", "page allocation failure:",
 *     "FAULT_INJECTION: forcing a failure.");
 *   - the host's /proc/buddyinfo DMA line at boot (x86_64, Linux 6.18).
 * validate_free_lists() runs after every step that changes the lists.
 */
#include "linmm_test.h"

#include <linmm/fault-inject.h>
#include <linmm/vmstat.h>

#include "kernel/host.h"
#include "kernel/machine.h"
#include "mm/internal.h"

/* ---- helpers ---- */

static int shutdown_after(void **state)
{
	fail_page_alloc_reset();
	linmm_shutdown();
	return 0;
}

static struct zone *zone_of(int nid, int idx)
{
	return &NODE_DATA(nid)->node_zones[idx];
}

static void validate_all(void)
{
	struct zone *zone;

	for_each_zone(zone) {
		if (validate_free_lists(zone)) {
			char *log = linmm_dmesg(3);

			fail_msg("validate_free_lists(%s) failed:\n%s", zone->name, log ? log : "");
		}
	}
	check_machine();
}

/* /proc/buddyinfo of every zone, after draining the pcp lists. */
struct buddyinfo {
	unsigned long nr_free[MAX_NUMNODES][MAX_NR_ZONES][NR_PAGE_ORDERS];
};

static void buddyinfo_snapshot(struct buddyinfo *b)
{
	int nid;

	drain_all_pages(NULL);
	memset(b, 0, sizeof(*b));
	for_each_online_node(nid)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			for (int o = 0; o < NR_PAGE_ORDERS; o++)
				b->nr_free[nid][z][o] = zone_of(nid, z)->free_area[o].nr_free;
}

static void assert_buddyinfo_equal(const struct buddyinfo *a, const struct buddyinfo *b)
{
	int nid;

	for_each_online_node(nid)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			for (int o = 0; o < NR_PAGE_ORDERS; o++)
				if (a->nr_free[nid][z][o] != b->nr_free[nid][z][o])
					fail_msg("node %d zone %s order %d: %lu free blocks, want %lu",
						 nid, zone_names[z], o, b->nr_free[nid][z][o],
						 a->nr_free[nid][z][o]);
}

/* NR_FREE_PAGES of every zone, per-CPU deltas included. */
static unsigned long free_snapshot(void)
{
	struct zone *zone;
	long n = 0;

	for_each_populated_zone(zone)
		n += zone_page_state_snapshot(zone, NR_FREE_PAGES);
	return (unsigned long)n;
}

static unsigned long buddy_pages(struct zone *zone)
{
	unsigned long n = 0;

	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		n += zone->free_area[o].nr_free << o;
	return n;
}

/* Blocks taken off a zone's free lists by a test (zone->lock held by callers). */
struct held {
	unsigned long pfn;
	unsigned int order;
};

static int take_all(struct zone *zone, struct held *h, int max)
{
	int n = 0;

	drain_all_pages(zone);
	spin_lock(&zone->lock);
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct list_head *list = &zone->free_area[o].free_list[mt];

			while (!list_empty(list) && n < max) {
				struct page *page = list_first_entry(list, struct page, buddy_list);

				h[n].pfn = page_to_pfn(page);
				h[n].order = o;
				n++;
				del_page_from_free_list(page, zone, o, mt);
			}
		}
	}
	spin_unlock(&zone->lock);
	return n;
}

/* Free one chunk onto the list of its pageblock's type. */
static void give_chunk(struct zone *zone, unsigned long pfn, unsigned int order)
{
	struct page *page = pfn_to_page(pfn);

	spin_lock(&zone->lock);
	__free_one_page(page, pfn, zone, order, get_pfnblock_migratetype(page, pfn), FPI_NONE);
	spin_unlock(&zone->lock);
}

/* The end of the free block that contains @pfn, or 0 if @pfn is not free. */
static unsigned long free_block_end(unsigned long pfn)
{
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		unsigned long head = ALIGN_DOWN(pfn, 1UL << o);
		struct page *page = pfn_to_page(head);

		if (PageBuddy(page) && buddy_order(page) >= o)
			return head + (1UL << buddy_order(page));
	}
	return 0;
}

/* Free every page of [start, end) that is not free yet (test cleanup). */
static void restore_range(struct zone *zone, unsigned long start, unsigned long end)
{
	unsigned long pfn = start;

	while (pfn < end) {
		unsigned long next = free_block_end(pfn);

		if (!next) {
			ClearPageLRU(pfn_to_page(pfn));
			give_chunk(zone, pfn, 0);
			/* It may have merged with free blocks before and after it. */
			next = free_block_end(pfn);
		}
		pfn = next;
	}
}

static void set_block_type(unsigned long pfn, int mt)
{
	set_pfnblock_migratetype(pfn, mt);
}

static int block_type(unsigned long pfn)
{
	return get_pfnblock_migratetype(pfn_to_page(pfn), pfn);
}

/* ---- boot state ---- */

static void test_boot_state(void **state)
{
	struct zone *dma, *zone;
	unsigned long buddy = 0, counts[MIGRATE_TYPES];
	/* The host's /proc/buddyinfo DMA line at boot (6.18, x86_64): 3840 free pages. */
	static const unsigned long host_dma[NR_PAGE_ORDERS] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 3 };

	boot_or_fail("mem=1G cpus=2");
	validate_all();
	for_each_populated_zone(zone) {
		buddy += buddy_pages(zone);
		assert_int_equal(zone_pcp_count(zone), 0);
	}
	assert_int_equal(free_snapshot(), buddy);
	refresh_vm_stats();
	assert_int_equal(nr_free_pages(), buddy);
	dma = zone_of(0, ZONE_DMA);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		assert_int_equal(dma->free_area[o].nr_free, host_dma[o]);
	/*
	 * memmap init types every pageblock that starts inside a zone MOVABLE;
	 * the DMA zone starts at pfn 1, so its first pageblock keeps type 0.
	 * The host's pagetypeinfo: "Node 0, zone DMA  1  7  0  0  0".
	 */
	pagetypeinfo_count_blocks(dma, counts);
	assert_int_equal(counts[MIGRATE_UNMOVABLE], 1);
	assert_int_equal(counts[MIGRATE_MOVABLE], 7);
	assert_int_equal(counts[MIGRATE_RECLAIMABLE], 0);
}

/*
 * expand(): the DMA zone's smallest free block is the order-8 one.  Taking
 * one page splits it; the upper halves go back one order lower each:
 *
 *   [P ..................... P+255]            order 8 (taken)
 *   [P][P+1][P+2..3][P+4..7] ... [P+128..255]
 *    ^   o0    o1      o2           o7         upper halves freed
 *    returned
 *
 * Freeing P merges it back up to order 8 again.
 */
static void test_expand_and_merge(void **state)
{
	struct zone *dma;
	unsigned long before[NR_PAGE_ORDERS], pfn8;
	struct page *page, *block8;

	boot_or_fail("mem=1G cpus=2");
	dma = zone_of(0, ZONE_DMA);
	drain_all_pages(NULL);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		before[o] = dma->free_area[o].nr_free;
	assert_int_equal(before[8], 1);
	/*
	 * The order-8 block lies in the DMA zone's first pageblock, which
	 * memmap init never typed (it starts before the zone, at pfn 0): it is
	 * UNMOVABLE, as on the host (pagetypeinfo: DMA Unmovable order 8: 1).
	 */
	block8 = list_first_entry(&dma->free_area[8].free_list[MIGRATE_UNMOVABLE], struct page,
				  buddy_list);
	pfn8 = page_to_pfn(block8);
	assert_int_equal(block_type(pfn8), MIGRATE_UNMOVABLE);

	spin_lock(&dma->lock);
	page = __rmqueue_smallest(dma, 0, MIGRATE_UNMOVABLE);
	spin_unlock(&dma->lock);
	assert_ptr_equal(page, block8);
	assert_false(PageBuddy(page));
	for (int o = 0; o < 8; o++) {
		struct page *half = pfn_to_page(pfn8 + (1UL << o));

		assert_int_equal(dma->free_area[o].nr_free, before[o] + 1);
		assert_true(PageBuddy(half));
		assert_int_equal(buddy_order(half), o);
	}
	assert_int_equal(dma->free_area[8].nr_free, 0);
	validate_all();

	give_chunk(dma, pfn8, 0);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		assert_int_equal(dma->free_area[o].nr_free, before[o]);
	assert_true(PageBuddy(block8));
	assert_int_equal(buddy_order(block8), 8);
	validate_all();
}

/* Allocate a mix of orders and flags, free everything: buddyinfo is back. */
static void test_roundtrip_buddyinfo(void **state)
{
	static const gfp_t flags[] = {
		GFP_KERNEL, GFP_HIGHUSER_MOVABLE, GFP_KERNEL | __GFP_RECLAIMABLE, GFP_USER | __GFP_ZERO,
		GFP_KERNEL | __GFP_COMP, GFP_KERNEL | GFP_DMA32, GFP_KERNEL | GFP_DMA, GFP_NOWAIT,
	};
	struct buddyinfo boot, now;
	struct page *pages[600];
	unsigned int orders[600];
	int n = 0;

	boot_or_fail("mem=1G cpus=2");
	buddyinfo_snapshot(&boot);
	for (int round = 0; round < 3; round++) {
		for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
			for (unsigned int f = 0; f < ARRAY_SIZE(flags); f++) {
				struct page *page;

				if (o > 6 && (flags[f] & __GFP_DMA))
					continue;
				page = alloc_pages(flags[f] | __GFP_NOWARN, o);
				assert_non_null(page);
				orders[n] = o;
				pages[n++] = page;
			}
			validate_all();
		}
		/* Free every other one now, the rest at the end. */
		for (int i = n - 1; i >= 0; i -= 2) {
			if (pages[i])
				__free_pages(pages[i], orders[i]);
			pages[i] = NULL;
		}
		validate_all();
	}
	for (int i = 0; i < n; i++)
		if (pages[i])
			__free_pages(pages[i], orders[i]);
	validate_all();
	buddyinfo_snapshot(&now);
	assert_buddyinfo_equal(&boot, &now);
	validate_all();
}

/* Every block is aligned to its order, in the zone the flags ask for. */
static void test_alignment(void **state)
{
	struct page *pages[NR_PAGE_ORDERS][4];

	boot_or_fail("mem=2G cpus=2");
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
		for (int i = 0; i < 4; i++) {
			struct page *page = alloc_pages(GFP_KERNEL | (i & 1 ? __GFP_COMP : 0), o);
			unsigned long pfn;

			assert_non_null(page);
			pfn = page_to_pfn(page);
			if (pfn & ((1UL << o) - 1))
				fail_msg("order-%u block at pfn %#lx is not aligned", o, pfn);
			assert_int_equal(page_ref_count(page), 1);
			assert_true(zone_spans_pfn(page_zone(page), pfn + (1UL << o) - 1));
			if (o && (i & 1)) {
				assert_true(PageHead(page));
				assert_int_equal(compound_order(page), o);
				for (unsigned long t = 1; t < (1UL << o); t++)
					assert_ptr_equal(compound_head(page + t), page);
			}
			pages[o][i] = page;
		}
	}
	validate_all();
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++)
		for (int i = 0; i < 4; i++)
			__free_pages(pages[o][i], o);
	validate_all();
}

/* ---- fallback and stealing, built on the DMA zone's emptied lists ---- */

#define MAX_HELD 64

/*
 * An UNMOVABLE request finds its own lists empty and falls back in the
 * kernel's order: RECLAIMABLE before MOVABLE.  A whole free block of
 * pageblock size or more is claimed outright:
 *
 *   R: order-10 block, pageblocks [ R | R ]     M: order-10 block [ M | M ]
 *   UNMOVABLE order 0  ->  R is claimed:        [ U | U ]          [ M | M ]
 *   and split on the UNMOVABLE lists: one free block of each order 0..9.
 */
static void test_fallback_claims_reclaimable_first(void **state)
{
	struct held h[MAX_HELD];
	struct zone *dma;
	unsigned long r = 0, m = 0;
	enum rmqueue_mode mode = RMQUEUE_NORMAL;
	struct page *page;
	int n;

	boot_or_fail("mem=1G cpus=2");
	dma = zone_of(0, ZONE_DMA);
	n = take_all(dma, h, MAX_HELD);
	for (int i = 0; i < n; i++) {
		if (h[i].order != MAX_PAGE_ORDER)
			continue;
		if (!r)
			r = h[i].pfn;
		else if (!m)
			m = h[i].pfn;
	}
	assert_true(r && m);
	set_block_type(r, MIGRATE_RECLAIMABLE);
	set_block_type(r + pageblock_nr_pages, MIGRATE_RECLAIMABLE);
	give_chunk(dma, r, MAX_PAGE_ORDER);
	give_chunk(dma, m, MAX_PAGE_ORDER);
	validate_all();

	spin_lock(&dma->lock);
	page = __rmqueue(dma, 0, MIGRATE_UNMOVABLE, 0, &mode);
	spin_unlock(&dma->lock);
	assert_non_null(page);
	assert_int_equal(page_to_pfn(page), r);
	assert_int_equal(block_type(r), MIGRATE_UNMOVABLE);
	assert_int_equal(block_type(r + pageblock_nr_pages), MIGRATE_UNMOVABLE);
	assert_int_equal(block_type(m), MIGRATE_MOVABLE);
	for (int o = 0; o < MAX_PAGE_ORDER; o++)
		assert_false(list_empty(&dma->free_area[o].free_list[MIGRATE_UNMOVABLE]));
	assert_true(list_empty(&dma->free_area[MAX_PAGE_ORDER].free_list[MIGRATE_RECLAIMABLE]));
	validate_all();

	for (int i = 0; i < n; i++)
		restore_range(dma, h[i].pfn, h[i].pfn + (1UL << h[i].order));
	validate_all();
}

/*
 * A MOVABLE request of a small order may not claim a pageblock: it steals
 * the smallest fitting block of a fallback type and the pageblock keeps
 * its type.
 *
 *   pageblock X (UNMOVABLE): free order-2 chunks at +0, +8, +16, +24
 *   MOVABLE lists: empty
 *   MOVABLE order 0  ->  one chunk is split on the UNMOVABLE lists,
 *                        X stays UNMOVABLE, mode RMQUEUE_STEAL
 */
static void test_fallback_steals_small_movable(void **state)
{
	struct held h[MAX_HELD];
	struct zone *dma;
	unsigned long x = 0, pfn;
	enum rmqueue_mode mode = RMQUEUE_NORMAL;
	struct page *page;
	int n;

	boot_or_fail("mem=1G cpus=2");
	dma = zone_of(0, ZONE_DMA);
	n = take_all(dma, h, MAX_HELD);
	for (int i = 0; i < n && !x; i++)
		if (h[i].order == MAX_PAGE_ORDER)
			x = h[i].pfn;
	assert_true(x);
	set_block_type(x, MIGRATE_UNMOVABLE);
	for (int c = 0; c < 4; c++)
		give_chunk(dma, x + 8 * c, 2);
	assert_int_equal(dma->free_area[2].nr_free, 4);
	validate_all();

	spin_lock(&dma->lock);
	page = __rmqueue(dma, 0, MIGRATE_MOVABLE, 0, &mode);
	spin_unlock(&dma->lock);
	assert_non_null(page);
	pfn = page_to_pfn(page);
	assert_true(pfn >= x && pfn < x + 32 && pfn % 8 == 0);
	assert_int_equal(mode, RMQUEUE_STEAL);
	assert_int_equal(block_type(x), MIGRATE_UNMOVABLE);
	assert_int_equal(dma->free_area[2].nr_free, 3);
	assert_int_equal(dma->free_area[1].nr_free, 1);
	assert_int_equal(dma->free_area[0].nr_free, 1);
	assert_false(list_empty(&dma->free_area[0].free_list[MIGRATE_UNMOVABLE]));
	validate_all();

	/* ALLOC_NOFRAGMENT forbids the steal. */
	mode = RMQUEUE_NORMAL;
	spin_lock(&dma->lock);
	page = __rmqueue(dma, 1, MIGRATE_MOVABLE, ALLOC_NOFRAGMENT, &mode);
	spin_unlock(&dma->lock);
	assert_null(page);

	for (int i = 0; i < n; i++)
		restore_range(dma, h[i].pfn, h[i].pfn + (1UL << h[i].order));
	validate_all();
}

/*
 * The claim threshold for blocks smaller than a pageblock: an UNMOVABLE
 * request takes a MOVABLE pageblock when free pages plus "alike" pages
 * (in use and not movable) are at least half of it (256 pages).  Pages on
 * an LRU count as movable.
 *
 *   case   free   in use, on LRU   in use, not on LRU   claimed?
 *   a      128    384              0                    no  (128 < 256)
 *   b      256    256              0                    yes (256 >= 256)
 *   c      128    0                384                  yes (128 + 384)
 */
static void check_claim(unsigned int free_order, bool lru, bool want_claim)
{
	struct held h[MAX_HELD];
	struct zone *dma;
	unsigned long y = 0, pfn;
	enum rmqueue_mode mode = RMQUEUE_NORMAL;
	struct page *page;
	int n;

	boot_or_fail("mem=1G cpus=2");
	dma = zone_of(0, ZONE_DMA);
	n = take_all(dma, h, MAX_HELD);
	for (int i = 0; i < n && !y; i++)
		if (h[i].order == MAX_PAGE_ORDER)
			y = h[i].pfn;
	assert_true(y);
	assert_int_equal(block_type(y), MIGRATE_MOVABLE);
	for (pfn = y + (1UL << free_order); pfn < y + pageblock_nr_pages; pfn++)
		if (lru)
			SetPageLRU(pfn_to_page(pfn));
	give_chunk(dma, y, free_order);

	spin_lock(&dma->lock);
	page = __rmqueue(dma, 0, MIGRATE_UNMOVABLE, 0, &mode);
	spin_unlock(&dma->lock);
	assert_non_null(page);
	pfn = page_to_pfn(page);
	assert_true(pfn >= y && pfn < y + (1UL << free_order));
	assert_int_equal(block_type(y), want_claim ? MIGRATE_UNMOVABLE : MIGRATE_MOVABLE);
	assert_int_equal(mode, want_claim ? RMQUEUE_NORMAL : RMQUEUE_STEAL);
	/* A fragmenting fallback boosts the watermark by a pageblock. */
	assert_int_equal(dma->watermark_boost, pageblock_nr_pages);
	validate_all();

	for (int i = 0; i < n; i++)
		restore_range(dma, h[i].pfn, h[i].pfn + (1UL << h[i].order));
	validate_all();
	linmm_shutdown();
}

static void test_claim_threshold(void **state)
{
	check_claim(7, true, false);
	check_claim(8, true, true);
	check_claim(7, false, true);
}

/* Through the API: the pageblock of an allocation takes the request's type. */
static void test_api_groups_by_mobility(void **state)
{
	struct page *u, *m, *r;

	boot_or_fail("mem=1G cpus=2");
	u = alloc_page(GFP_KERNEL);
	m = alloc_page(GFP_HIGHUSER_MOVABLE);
	r = alloc_page(GFP_KERNEL | __GFP_RECLAIMABLE);
	assert_true(u && m && r);
	assert_int_equal(get_pageblock_migratetype(u), MIGRATE_UNMOVABLE);
	assert_int_equal(get_pageblock_migratetype(m), MIGRATE_MOVABLE);
	assert_int_equal(get_pageblock_migratetype(r), MIGRATE_RECLAIMABLE);
	validate_all();
	__free_page(u);
	__free_page(m);
	__free_page(r);
	validate_all();
}

/* ---- per-CPU lists ---- */

static long fs_batch(unsigned long managed)
{
	unsigned long b = managed / 1024, x, p = 1;

	if (b > 256)
		b = 256;
	b /= 4;
	if (b < 1)
		b = 1;
	x = b + b / 2;
	while (p * 2 <= x)
		p *= 2;
	return p - 1 < 1 ? 1 : (long)(p - 1);
}

static void check_pcp_sizes(const char *cmdline, int fraction)
{
	struct zone *zone;

	boot_or_fail(cmdline);
	/*
	 * Boot sizes the pagesets before free_initmem() adds the init pages
	 * to managed_pages; a watermark update recomputes them (on the host,
	 * khugepaged's min_free_kbytes raise does it).
	 */
	setup_per_zone_wmarks();
	if (fraction)
		assert_int_equal(sysctl_set_percpu_pagelist_high_fraction(fraction), 0);
	for_each_populated_zone(zone) {
		unsigned long managed = zone_managed_pages(zone);
		long batch = fs_batch(managed), high_min, high_max;
		int cpus = 0, cpu;

		for_each_online_cpu(cpu)
			cpus += cpu_to_node(cpu) == zone_to_nid(zone);
		if (!cpus)
			cpus = (int)nr_cpu_ids;
		if (fraction) {
			high_min = high_max = max((long)(managed / fraction) / cpus, 4 * batch);
		} else {
			high_min = max((long)low_wmark_pages(zone) / cpus, 4 * batch);
			high_max = max((long)(managed / 8) / cpus, 4 * batch);
		}
		if (managed >= (1UL << 18) - (1UL << 14))	/* ~1 GiB and more: 63 */
			assert_int_equal(batch, 63);
		assert_int_equal(zone->pageset_batch, batch);
		assert_int_equal(zone->pageset_high_min, high_min);
		assert_int_equal(zone->pageset_high_max, high_max);
		for_each_possible_cpu(cpu) {
			struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

			assert_int_equal(pcp->batch, batch);
			assert_int_equal(pcp->high_min, high_min);
			assert_int_equal(pcp->high_max, high_max);
			assert_int_equal(pcp->high, 0);	/* untouched until first use */
		}
	}
	linmm_shutdown();
}

static void test_pcp_sizes(void **state)
{
	check_pcp_sizes("mem=1G cpus=2", 0);
	check_pcp_sizes("mem=4G cpus=2", 0);
	check_pcp_sizes("mem=16G cpus=4 backing=none", 0);
	check_pcp_sizes("mem=4G nodes=2 cpus=4", 0);
	check_pcp_sizes("mem=4G cpus=2", 8);
	check_pcp_sizes("mem=4G cpus=2", 100);
}

/*
 * pcp->high is 0 on every CPU until the CPU uses its list; a first free
 * sets it to high_min (the host's zoneinfo: cpu 0 "high" == "high_min",
 * the idle CPU "high: 0").
 */
static void test_pcp_high_first_use(void **state)
{
	struct page *page;
	struct zone *zone;

	boot_or_fail("mem=1G cpus=2");
	page = alloc_pages(GFP_KERNEL, 4);	/* not a pcp order: no list touched */
	assert_non_null(page);
	zone = page_zone(page);
	split_page(page, 4);
	assert_int_equal(linmm_cpu_enter(1), 0);
	__free_page(page);
	assert_int_equal(linmm_cpu_enter(0), 0);
	assert_int_equal(zone->per_cpu_pageset[1].high, zone->pageset_high_min);
	assert_int_equal(zone->per_cpu_pageset[1].count, 1);
	assert_int_equal(zone->per_cpu_pageset[0].high, 0);
	for (int i = 1; i < 16; i++)
		__free_page(page + i);
	validate_all();
	drain_all_pages(NULL);
	assert_int_equal(zone_pcp_count(zone), 0);
	validate_all();
}

/* Refill takes a batch; freeing past high returns pages; drain empties. */
static void test_pcp_refill_and_drain(void **state)
{
	struct page *pages[4096];
	struct per_cpu_pages *pcp;
	struct zone *zone;
	unsigned long free_before;
	int n;

	boot_or_fail("mem=1G cpus=2");
	zone = zone_of(0, ZONE_DMA32);
	pcp = &zone->per_cpu_pageset[0];
	free_before = free_snapshot();
	pages[0] = alloc_page(GFP_KERNEL | GFP_DMA32);
	assert_non_null(pages[0]);
	/* One refill of a batch: the page handed out plus batch - 1 cached. */
	assert_int_equal(pcp->count, pcp->batch - 1);
	assert_int_equal(free_before - free_snapshot(), (unsigned long)pcp->batch);
	for (n = 1; n < 4096; n++) {
		pages[n] = alloc_page(GFP_KERNEL | GFP_DMA32);
		assert_non_null(pages[n]);
	}
	validate_all();
	for (int i = 0; i < n; i++) {
		__free_page(pages[i]);
		assert_true(pcp->count <= pcp->high_max);
	}
	assert_true(pcp->count > 0);
	assert_true(pcp->high >= pcp->high_min && pcp->high <= pcp->high_max);
	validate_all();
	drain_local_pages(zone);
	assert_int_equal(pcp->count, 0);
	assert_int_equal(free_snapshot(), free_before);
	validate_all();

	/* zone_pcp_disable(): boot pagesets, nothing cached. */
	zone_pcp_disable(zone);
	pages[0] = alloc_page(GFP_KERNEL | GFP_DMA32);
	assert_non_null(pages[0]);
	assert_int_equal(pcp->count, 0);
	__free_page(pages[0]);
	assert_int_equal(pcp->count, 0);
	zone_pcp_enable(zone);
	assert_int_equal(pcp->batch, zone->pageset_batch);
	validate_all();
}

/*
 * A CPU that keeps refilling grows pcp->high towards high_max; the vmstat
 * refresh lets it decay by 1/8 per round back to high_min, freeing what
 * is above it; drain_zone_pages() returns at most a batch.
 */
static void test_pcp_decay(void **state)
{
	static struct page *pages[8192];
	struct per_cpu_pages *pcp;
	struct zone *zone;
	int rounds = 0, before;

	boot_or_fail("mem=1G cpus=2");
	zone = zone_of(0, ZONE_DMA32);
	pcp = &zone->per_cpu_pageset[0];
	for (int i = 0; i < 8192; i++) {
		pages[i] = alloc_page(GFP_KERNEL | GFP_DMA32);
		assert_non_null(pages[i]);
	}
	for (int i = 0; i < 8192; i++)
		__free_page(pages[i]);
	assert_true(pcp->high > pcp->high_min);
	while (decay_pcp_high(zone, pcp)) {
		assert_true(pcp->count <= pcp->high);
		rounds++;
		assert_true(rounds < 100);
	}
	assert_int_equal(pcp->high, pcp->high_min);
	assert_true(pcp->count <= pcp->high_min);
	before = pcp->count;
	drain_zone_pages(zone, pcp);
	assert_int_equal(pcp->count, max(before - pcp->batch, 0));
	validate_all();
}

/* ---- misuse ---- */

static void test_double_free(void **state)
{
	struct page *page, *again;
	char want[64];

	boot_or_fail("mem=1G cpus=2");
	page = alloc_page(GFP_KERNEL);
	assert_non_null(page);
	__free_page(page);
	assert_false(get_taint() & (1UL << TAINT_BAD_PAGE));
	__free_page(page);
	snprintf(want, sizeof(want), "BUG: Bad page state in process linmm  pfn:%05lx",
		 page_to_pfn(page));
	assert_true(dmesg_contains(want));
	assert_true(dmesg_contains("page dumped because: VM_BUG_ON_PAGE(page_ref_count(page) == 0)"));
	assert_true(dmesg_contains("Modules linked in:"));
	assert_true(get_taint() & (1UL << TAINT_BAD_PAGE));
	validate_all();

	/* An order-4 block goes to the buddy directly: a double free finds it there. */
	page = alloc_pages(GFP_KERNEL, 4);
	assert_non_null(page);
	__free_pages(page, 4);
	__free_pages(page, 4);
	validate_all();
	/* The machine carries on. */
	again = alloc_pages(GFP_KERNEL, 4);
	assert_non_null(again);
	__free_pages(again, 4);
	validate_all();
}

static void check_bad_free(void (*spoil)(struct page *), const char *reason)
{
	struct page *page;
	unsigned long free_before;
	char want[128];

	page = alloc_page(GFP_KERNEL);
	assert_non_null(page);
	drain_all_pages(NULL);
	free_before = free_snapshot();
	spoil(page);
	__free_page(page);
	drain_all_pages(NULL);
	snprintf(want, sizeof(want), "page dumped because: %s", reason);
	if (!dmesg_contains(want))
		fail_msg("no \"%s\" in dmesg", want);
	/* The bad page is leaked: not back on any list. */
	assert_int_equal(free_snapshot(), free_before);
	assert_false(PageBuddy(page));
	validate_all();
}

static void spoil_reserved(struct page *page)
{
	SetPageReserved(page);
}

static void spoil_mapping(struct page *page)
{
	page->mapping = (void *)0x1000;
}

static void spoil_mapcount(struct page *page)
{
	atomic_store(&page->_mapcount, 0);
}

static void test_bad_page_states(void **state)
{
	boot_or_fail("mem=1G cpus=2");
	check_bad_free(spoil_reserved, "PAGE_FLAGS_CHECK_AT_FREE flag set");
	check_bad_free(spoil_mapping, "non-NULL mapping");
	check_bad_free(spoil_mapcount, "nonzero mapcount");
	assert_true(dmesg_contains("flags: "));
	assert_true(get_taint() & (1UL << TAINT_BAD_PAGE));
}

/* dump_page() of a fresh DMA32 page, field by field. */
static void test_dump_page_format(void **state)
{
	struct page *page;
	char want[160];

	boot_or_fail("mem=1G cpus=2");
	page = alloc_page(GFP_KERNEL | GFP_DMA32);
	assert_non_null(page);
	dump_page(page, "test");
	snprintf(want, sizeof(want),
		 "page: refcount:1 mapcount:0 mapping:0000000000000000 index:0x0 pfn:%#lx",
		 page_to_pfn(page));
	assert_true(dmesg_contains(want));
	snprintf(want, sizeof(want), "flags: %#lx(node=0|zone=1)", page->flags);
	assert_true(dmesg_contains(want));
	assert_true(dmesg_contains("page dumped because: test"));
	__free_page(page);
}

/* ---- GFP ---- */

static void test_gfp_zone_x86_64(void **state)
{
	boot_or_fail("mem=1G arch=x86_64");
	assert_int_equal(gfp_zone(GFP_KERNEL), ZONE_NORMAL);
	assert_int_equal(gfp_zone(GFP_DMA), ZONE_DMA);
	assert_int_equal(gfp_zone(GFP_KERNEL | GFP_DMA32), ZONE_DMA32);
	assert_int_equal(gfp_zone(GFP_HIGHUSER), ZONE_NORMAL);	/* no HIGHMEM: Normal */
	assert_int_equal(gfp_zone(GFP_HIGHUSER_MOVABLE), ZONE_MOVABLE);
	assert_int_equal(gfp_zone(__GFP_MOVABLE), ZONE_NORMAL);
	assert_int_equal(gfp_zone(__GFP_MOVABLE | __GFP_DMA), ZONE_DMA);
	assert_int_equal(gfp_zone(__GFP_MOVABLE | __GFP_DMA32), ZONE_DMA32);
	assert_int_equal(gfp_zone(__GFP_DMA | __GFP_HIGHMEM), -1);
	assert_int_equal(gfp_zone(__GFP_DMA | __GFP_DMA32), -1);
	assert_int_equal(gfp_zone(__GFP_DMA32 | __GFP_HIGHMEM | __GFP_MOVABLE), -1);
	assert_int_equal(gfp_migratetype(GFP_KERNEL), MIGRATE_UNMOVABLE);
	assert_int_equal(gfp_migratetype(GFP_HIGHUSER_MOVABLE), MIGRATE_MOVABLE);
	assert_int_equal(gfp_migratetype(GFP_KERNEL | __GFP_RECLAIMABLE), MIGRATE_RECLAIMABLE);
}

static void test_gfp_zone_x86_32(void **state)
{
	boot_or_fail("mem=2G arch=x86_32");
	assert_int_equal(gfp_zone(GFP_KERNEL), ZONE_NORMAL);
	assert_int_equal(gfp_zone(GFP_DMA), ZONE_DMA);
	assert_int_equal(gfp_zone(GFP_KERNEL | GFP_DMA32), ZONE_NORMAL);	/* no DMA32 */
	assert_int_equal(gfp_zone(GFP_HIGHUSER), ZONE_HIGHMEM);
	assert_int_equal(gfp_zone(GFP_HIGHUSER_MOVABLE), ZONE_MOVABLE);
	assert_int_equal(gfp_zone(__GFP_DMA | __GFP_HIGHMEM), -1);
}

static void expect_zone(gfp_t gfp, int zid)
{
	struct page *page = alloc_pages(gfp, 0);

	assert_non_null(page);
	if (page_zonenum(page) != zid)
		fail_msg("gfp %#x: page in zone %s, want %s", gfp, zone_names[page_zonenum(page)],
			 zone_names[zid]);
	__free_page(page);
}

static void test_zone_choice_x86_64(void **state)
{
	boot_or_fail("mem=6G cpus=2");
	expect_zone(GFP_KERNEL, ZONE_NORMAL);
	expect_zone(GFP_USER, ZONE_NORMAL);
	expect_zone(GFP_HIGHUSER_MOVABLE, ZONE_NORMAL);	/* Movable is empty */
	expect_zone(GFP_KERNEL | GFP_DMA32, ZONE_DMA32);
	expect_zone(GFP_KERNEL | GFP_DMA, ZONE_DMA);
	expect_zone(GFP_ATOMIC, ZONE_NORMAL);
	validate_all();
}

static void test_zone_choice_x86_32(void **state)
{
	struct page *page;
	unsigned long addr;

	boot_or_fail("mem=2G arch=x86_32 cpus=2");
	expect_zone(GFP_KERNEL, ZONE_NORMAL);
	expect_zone(GFP_HIGHUSER, ZONE_HIGHMEM);
	expect_zone(GFP_HIGHUSER_MOVABLE, ZONE_HIGHMEM);
	expect_zone(GFP_KERNEL | GFP_DMA, ZONE_DMA);
	expect_zone(GFP_KERNEL | GFP_DMA32, ZONE_NORMAL);
	/* Highmem pages have no address; __GFP_ZERO skips them for now. */
	page = alloc_page(GFP_HIGHUSER | __GFP_ZERO);
	assert_non_null(page);
	assert_null(page_address(page));
	__free_page(page);
	/* __get_free_pages() strips __GFP_HIGHMEM: the page has an address. */
	addr = __get_free_pages(GFP_HIGHUSER, 1);
	assert_true(addr != 0);
	assert_int_equal(page_zonenum(virt_to_page((void *)addr)), ZONE_NORMAL);
	free_pages(addr, 1);
	validate_all();
}

/* ---- API details ---- */

static void test_zeroing_and_addresses(void **state)
{
	unsigned long addr;
	unsigned char *p;
	struct page *page;

	boot_or_fail("mem=1G cpus=1");
	addr = __get_free_pages(GFP_KERNEL, 2);
	assert_true(addr != 0);
	memset((void *)addr, 0xaa, 4 * PAGE_SIZE);
	free_pages(addr, 2);
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	assert_non_null(page);
	p = page_address(page);
	for (size_t i = 0; i < 4 * PAGE_SIZE; i++)
		if (p[i])
			fail_msg("byte %zu of a __GFP_ZERO block is %#x", i, p[i]);
	__free_pages(page, 2);
	addr = get_zeroed_page(GFP_KERNEL);
	assert_true(addr != 0);
	assert_int_equal(((unsigned char *)addr)[100], 0);
	assert_ptr_equal(virt_to_page((void *)addr), virt_to_page((void *)(addr + 4095)));
	free_page(addr);
	free_pages(0, 0);	/* ignored, as in the kernel */
	validate_all();
}

static void test_compound_split_and_refs(void **state)
{
	struct buddyinfo boot, now;
	struct page *page;

	boot_or_fail("mem=1G cpus=2");
	buddyinfo_snapshot(&boot);

	/* A compound page is freed whole by put_page() of any of its pages. */
	page = alloc_pages(GFP_KERNEL | __GFP_COMP, 3);
	assert_non_null(page);
	get_page(page + 5);
	assert_int_equal(page_ref_count(page), 2);
	put_page(page + 7);
	assert_int_equal(page_ref_count(page), 1);
	put_page(page + 1);
	validate_all();

	/* split_page(): eight order-0 pages, freed one by one. */
	page = alloc_pages(GFP_KERNEL, 3);
	assert_non_null(page);
	split_page(page, 3);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(page_ref_count(page + i), 1);
		__free_page(page + i);
	}
	validate_all();

	/*
	 * __free_pages() of a non-compound block with an extra reference on
	 * its first page frees the others now, the first one at the last put.
	 */
	page = alloc_pages(GFP_KERNEL, 2);
	assert_non_null(page);
	get_page(page);
	__free_pages(page, 2);
	assert_int_equal(page_ref_count(page), 1);
	validate_all();
	put_page(page);
	validate_all();

	buddyinfo_snapshot(&now);
	assert_buddyinfo_equal(&boot, &now);
}

static void test_counters(void **state)
{
	unsigned long alloc0, free0, hit0, local0;
	struct zone *zone;
	struct page *page;

	boot_or_fail("mem=1G cpus=2");
	zone = zone_of(0, ZONE_DMA32);
	alloc0 = sum_vm_event(PGALLOC_DMA32);
	free0 = sum_vm_event(PGFREE);
	hit0 = zone_numa_event_state(zone, NUMA_HIT);
	local0 = zone_numa_event_state(zone, NUMA_LOCAL);
	page = alloc_pages(GFP_KERNEL, 3);
	assert_non_null(page);
	assert_int_equal(page_zone(page), zone);
	assert_int_equal(sum_vm_event(PGALLOC_DMA32) - alloc0, 8);
	assert_int_equal(zone_numa_event_state(zone, NUMA_HIT) - hit0, 1);
	assert_int_equal(zone_numa_event_state(zone, NUMA_LOCAL) - local0, 1);
	__free_pages(page, 3);
	assert_int_equal(sum_vm_event(PGFREE) - free0, 8);
	page = alloc_pages(GFP_KERNEL, 5);
	assert_non_null(page);
	assert_int_equal(sum_vm_event(PGALLOC_DMA32) - alloc0, 8 + 32);
	__free_pages(page, 5);
	assert_int_equal(sum_vm_event(PGFREE) - free0, 8 + 32);
}

/* ---- contiguous ranges ---- */

static void test_contig_range(void **state)
{
	struct buddyinfo boot, now;
	struct zone *zone;
	struct page *block, *busy;
	unsigned long pfn;

	boot_or_fail("mem=1G cpus=2");
	zone = zone_of(0, ZONE_DMA32);
	buddyinfo_snapshot(&boot);
	block = list_first_entry(&zone->free_area[MAX_PAGE_ORDER].free_list[MIGRATE_MOVABLE],
				 struct page, buddy_list);
	pfn = page_to_pfn(block);

	/* [pfn+100, pfn+700): spans two pageblocks of a free order-10 block. */
	assert_int_equal(alloc_contig_range(pfn + 100, pfn + 700, MIGRATE_MOVABLE, 0), 0);
	for (unsigned long p = pfn + 100; p < pfn + 700; p++)
		assert_int_equal(page_ref_count(pfn_to_page(p)), 1);
	assert_int_equal(block_type(pfn), MIGRATE_MOVABLE);
	validate_all();
	free_contig_range(pfn + 100, 600);
	validate_all();
	buddyinfo_snapshot(&now);
	assert_buddyinfo_equal(&boot, &now);

	/*
	 * A page in use inside the range: -EBUSY, and nothing changes.  The
	 * page is taken from the free block above (the unmovable blocks hold
	 * the boot slab caches' pages, the top block memblock's).
	 */
	assert_int_equal(alloc_contig_range(pfn + 5, pfn + 6, MIGRATE_MOVABLE, 0), 0);
	busy = pfn_to_page(pfn + 5);
	assert_int_equal(page_ref_count(busy), 1);
	drain_all_pages(NULL);
	buddyinfo_snapshot(&boot);
	assert_int_equal(alloc_contig_range(pfn, pfn + pageblock_nr_pages, MIGRATE_MOVABLE, 0), -EBUSY);
	assert_int_equal(block_type(pfn), MIGRATE_MOVABLE);
	buddyinfo_snapshot(&now);
	assert_buddyinfo_equal(&boot, &now);
	validate_all();
	free_contig_range(pfn + 5, 1);
	assert_int_equal(alloc_contig_range(pfn, pfn + 1, MIGRATE_MOVABLE, 0), 0);
	free_contig_range(pfn, 1);
	assert_int_equal(alloc_contig_range(pfn + 1, pfn, MIGRATE_MOVABLE, 0), -EINVAL);
	validate_all();
}

/* ---- the HIGHATOMIC reserve ---- */

static void test_highatomic_reserve(void **state)
{
	struct alloc_context ac = { 0 };
	struct zone *zone;
	struct page *page;

	boot_or_fail("mem=1G cpus=2");
	page = alloc_pages(GFP_KERNEL | GFP_DMA32, 1);
	assert_non_null(page);
	zone = page_zone(page);
	reserve_highatomic_pageblock(page, 1, zone);
	assert_int_equal(zone->nr_reserved_highatomic, pageblock_nr_pages);
	assert_int_equal(get_pageblock_migratetype(page), MIGRATE_HIGHATOMIC);
	assert_true(zone->nr_free_highatomic > 0);
	validate_all();
	/* Freed through the pcp lists (cached as MOVABLE), drained back to HIGHATOMIC. */
	__free_pages(page, 1);
	drain_all_pages(NULL);
	validate_all();

	ac.zonelist = node_zonelist(0, GFP_KERNEL);
	ac.highest_zoneidx = ZONE_NORMAL;
	ac.migratetype = MIGRATE_MOVABLE;
	/* The last reserved pageblock stays unless forced. */
	assert_false(unreserve_highatomic_pageblock(&ac, false));
	assert_true(unreserve_highatomic_pageblock(&ac, true));
	assert_int_equal(zone->nr_reserved_highatomic, 0);
	assert_int_equal(zone->nr_free_highatomic, 0);
	assert_int_equal(get_pageblock_migratetype(page), MIGRATE_MOVABLE);
	validate_all();
}

/* ---- failures ---- */

static void test_allocation_failure_warning(void **state)
{
	static struct page *pages[2048];
	int n = 0;

	boot_or_fail("mem=1G cpus=1");
	while (n < 2048 && (pages[n] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER)))
		n++;
	assert_true(n > 100 && n < 2048);
	assert_false(dmesg_contains("page allocation failure"));
	assert_null(alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER));
	assert_true(dmesg_contains("linmm: page allocation failure: order:10, "
				   "mode:0xcc0(GFP_KERNEL), nodemask=(null)"));
	assert_true(dmesg_contains("Mem-Info:"));
	assert_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER + 1));
	validate_all();
	while (n--)
		__free_pages(pages[n], MAX_PAGE_ORDER);
	validate_all();
}

/*
 * Below the min watermark: GFP_KERNEL fails, GFP_ATOMIC dips into the
 * reserve (min - min/2 - min/8), __GFP_MEMALLOC ignores watermarks and
 * marks its page pfmemalloc, __GFP_NOFAIL gets a page whatever it takes.
 */
static void test_reserves(void **state)
{
	static struct page *pages[300000];
	struct page *atomic, *memalloc, *nofail;
	int n = 0;

	boot_or_fail("mem=1G cpus=1");
	while (n < 300000 && (pages[n] = alloc_page(GFP_KERNEL | __GFP_NOWARN)))
		n++;
	assert_true(n > 200000 && n < 300000);
	assert_null(alloc_page(GFP_KERNEL | __GFP_NOWARN));
	atomic = alloc_page(GFP_ATOMIC);
	assert_non_null(atomic);
	assert_false(page_is_pfmemalloc(atomic));
	memalloc = alloc_page(GFP_KERNEL | __GFP_MEMALLOC);
	assert_non_null(memalloc);
	assert_true(page_is_pfmemalloc(memalloc));
	nofail = alloc_page(GFP_KERNEL | __GFP_NOFAIL);
	assert_non_null(nofail);
	validate_all();
	__free_page(nofail);
	__free_page(memalloc);
	__free_page(atomic);
	while (n--)
		__free_page(pages[n]);
	validate_all();
}

static void test_fail_page_alloc(void **state)
{
	struct page *page;
	bool pattern[64];

	boot_or_fail("mem=1G cpus=1");
	fail_page_alloc.attr.probability = 100;
	atomic_store(&fail_page_alloc.attr.times, 3);
	fail_page_alloc.min_order = 0;
	fail_page_alloc.ignore_gfp_reclaim = false;
	for (int i = 0; i < 3; i++)
		assert_null(alloc_page(GFP_KERNEL));
	page = alloc_page(GFP_KERNEL);
	assert_non_null(page);
	__free_page(page);
	assert_true(dmesg_contains("FAULT_INJECTION: forcing a failure."));
	assert_true(dmesg_contains("name fail_page_alloc, interval 1, probability 100, space 0, times 3"));
	assert_false(dmesg_contains("page allocation failure"));

	/* __GFP_NOFAIL is never failed; ignore-gfp-wait spares sleeping requests. */
	atomic_store(&fail_page_alloc.attr.times, -1);
	page = alloc_page(GFP_KERNEL | __GFP_NOFAIL);
	assert_non_null(page);
	__free_page(page);
	fail_page_alloc.ignore_gfp_reclaim = true;
	page = alloc_page(GFP_KERNEL);
	assert_non_null(page);
	__free_page(page);
	assert_null(alloc_page(GFP_ATOMIC));
	fail_page_alloc.min_order = 1;
	page = alloc_page(GFP_ATOMIC);
	assert_non_null(page);
	__free_page(page);

	/* interval 3: every third eligible call fails. */
	assert_int_equal(setup_fault_attr(&fail_page_alloc.attr, "3,100,0,-1"), 0);
	for (int i = 1; i <= 9; i++) {
		page = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 1);
		assert_true(i % 3 == 0 ? page == NULL : page != NULL);
		if (page)
			__free_pages(page, 1);
	}
	/* space 8 (pages): four order-1 calls pass (8 -> 6 -> 4 -> 2), then failures. */
	assert_int_equal(setup_fault_attr(&fail_page_alloc.attr, "1,100,8,-1"), 0);
	for (int i = 0; i < 6; i++) {
		page = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 1);
		assert_true(i < 3 ? page != NULL : page == NULL);
		if (page)
			__free_pages(page, 1);
	}
	assert_int_equal(setup_fault_attr(&fail_page_alloc.attr, "1,101,0,1"), -EINVAL);
	assert_int_equal(setup_fault_attr(&fail_page_alloc.attr, "1,2,3"), -EINVAL);

	/* Seeded: probability 50 gives the same pattern twice. */
	assert_int_equal(setup_fault_attr(&fail_page_alloc.attr, "1,50,0,-1"), 0);
	for (int run = 0; run < 2; run++) {
		int fails = 0;

		fault_attr_seed(&fail_page_alloc.attr, 42);
		for (int i = 0; i < 64; i++) {
			page = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 1);
			if (run == 0)
				pattern[i] = !page;
			else
				assert_int_equal(pattern[i], !page);
			fails += !page;
			if (page)
				__free_pages(page, 1);
		}
		assert_true(fails > 10 && fails < 54);
	}
	fail_page_alloc_reset();
	validate_all();
}

/* ---- threads: one host thread per simulated CPU ---- */

struct thread_arg {
	int cpu;
	unsigned long failed;
};

static void *thread_alloc_free(void *p)
{
	struct thread_arg *arg = p;
	struct page *pages[256];
	unsigned int orders[256];
	u64 r = 0x9E3779B97F4A7C15ULL * (u64)(arg->cpu + 1);
	int n = 0;

	linmm_cpu_enter(arg->cpu);
	for (int i = 0; i < 40000; i++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		if (n && (r % 2 || n == 256)) {
			int k = (int)((r >> 8) % (u64)n);

			__free_pages(pages[k], orders[k]);
			pages[k] = pages[--n];
			orders[k] = orders[n];
		} else {
			unsigned int order = (unsigned int)(r >> 16) % 4;
			gfp_t gfp = (r >> 20) % 2 ? GFP_KERNEL : GFP_HIGHUSER_MOVABLE;

			pages[n] = alloc_pages(gfp | __GFP_NOWARN, order);
			if (!pages[n]) {
				arg->failed++;
				continue;
			}
			orders[n++] = order;
		}
		if (arg->cpu == 0 && i % 1000 == 0)
			drain_all_pages(NULL);
	}
	while (n--)
		__free_pages(pages[n], orders[n]);
	return NULL;
}

/* Four CPUs allocate and free at once, CPU 0 drains everyone's lists meanwhile. */
static void test_threads(void **state)
{
	struct thread_arg args[4];
	linmm_host_thread_t *t[4];
	struct buddyinfo boot, now;

	boot_or_fail("mem=1G cpus=4");
	buddyinfo_snapshot(&boot);
	for (int i = 0; i < 4; i++) {
		args[i] = (struct thread_arg){ .cpu = i };
		assert_int_equal(linmm_host_thread_create(&t[i], thread_alloc_free, &args[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(linmm_host_thread_join(t[i]), 0);
		assert_int_equal(args[i].failed, 0);
	}
	validate_all();
	buddyinfo_snapshot(&now);
	assert_buddyinfo_equal(&boot, &now);
	validate_all();
}

/* ---- memory models ---- */

static void test_flatmem_pageblocks(void **state)
{
	struct buddyinfo boot, now;
	struct page *u, *m;

	boot_or_fail("mem=1G cpus=2 memory_model=flatmem");
	buddyinfo_snapshot(&boot);
	u = alloc_pages(GFP_KERNEL, 2);
	m = alloc_pages(GFP_HIGHUSER_MOVABLE, 2);
	assert_true(u && m);
	assert_int_equal(get_pageblock_migratetype(u), MIGRATE_UNMOVABLE);
	assert_int_equal(get_pageblock_migratetype(m), MIGRATE_MOVABLE);
	validate_all();
	__free_pages(u, 2);
	__free_pages(m, 2);
	validate_all();
	buddyinfo_snapshot(&now);
	assert_buddyinfo_equal(&boot, &now);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_boot_state, shutdown_after),
		cmocka_unit_test_teardown(test_expand_and_merge, shutdown_after),
		cmocka_unit_test_teardown(test_roundtrip_buddyinfo, shutdown_after),
		cmocka_unit_test_teardown(test_alignment, shutdown_after),
		cmocka_unit_test_teardown(test_fallback_claims_reclaimable_first, shutdown_after),
		cmocka_unit_test_teardown(test_fallback_steals_small_movable, shutdown_after),
		cmocka_unit_test_teardown(test_claim_threshold, shutdown_after),
		cmocka_unit_test_teardown(test_api_groups_by_mobility, shutdown_after),
		cmocka_unit_test_teardown(test_pcp_sizes, shutdown_after),
		cmocka_unit_test_teardown(test_pcp_high_first_use, shutdown_after),
		cmocka_unit_test_teardown(test_pcp_refill_and_drain, shutdown_after),
		cmocka_unit_test_teardown(test_pcp_decay, shutdown_after),
		cmocka_unit_test_teardown(test_double_free, shutdown_after),
		cmocka_unit_test_teardown(test_bad_page_states, shutdown_after),
		cmocka_unit_test_teardown(test_dump_page_format, shutdown_after),
		cmocka_unit_test_teardown(test_gfp_zone_x86_64, shutdown_after),
		cmocka_unit_test_teardown(test_gfp_zone_x86_32, shutdown_after),
		cmocka_unit_test_teardown(test_zone_choice_x86_64, shutdown_after),
		cmocka_unit_test_teardown(test_zone_choice_x86_32, shutdown_after),
		cmocka_unit_test_teardown(test_zeroing_and_addresses, shutdown_after),
		cmocka_unit_test_teardown(test_compound_split_and_refs, shutdown_after),
		cmocka_unit_test_teardown(test_counters, shutdown_after),
		cmocka_unit_test_teardown(test_contig_range, shutdown_after),
		cmocka_unit_test_teardown(test_highatomic_reserve, shutdown_after),
		cmocka_unit_test_teardown(test_allocation_failure_warning, shutdown_after),
		cmocka_unit_test_teardown(test_reserves, shutdown_after),
		cmocka_unit_test_teardown(test_fail_page_alloc, shutdown_after),
		cmocka_unit_test_teardown(test_threads, shutdown_after),
		cmocka_unit_test_teardown(test_flatmem_pageblocks, shutdown_after),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
