/* SPDX-License-Identifier: MIT */
/*
 * page_isolation.c - isolating pageblocks (MIGRATE_ISOLATE) and taking
 * contiguous pfn ranges out of the buddy allocator.
 *
 * Mirrors mm/page_isolation.c and alloc_contig_range()/free_contig_range()
 * of mm/page_alloc.c.  Isolating a pageblock retypes it MIGRATE_ISOLATE and
 * moves its free pages to the ISOLATE lists, where no allocation looks and
 * NR_FREE_PAGES does not count them; pages freed into it later land there
 * too.  A free block larger than a pageblock that covers it is split first,
 * so that only the isolated pageblock leaves circulation:
 *
 *   before  [ order-10 free block: P0 P1 ]            MOVABLE list
 *   isolate P0:
 *   after   [ P0 order 9 ]  ISOLATE list   [ P1 order 9 ]  MOVABLE list
 *
 * Undoing it puts the free pages back on the lists of the given type, a
 * fully free pageblock through __free_one_page() so that it merges again.
 *
 * Isolation refuses a pageblock holding a page that could never move
 * (reserved, or in use and not on an LRU list).  alloc_contig_range()
 * isolates the pageblocks around [start, end), drains the pcp lists and
 * takes every page of the range out of the free lists.  It does not
 * migrate (mm/migrate.c is not called here yet): a page of the range that
 * is in use makes it fail with -EBUSY, even a movable one (the kernel
 * would migrate it away).
 *
 * Locks: zone->lock around every list change; drain_all_pages() takes the
 * pcp locks.  Memory offline (mm/memory_hotplug.c) uses the same steps:
 * start_isolate_page_range(), test_pages_isolated(),
 * __offline_isolated_pages().
 */
#include <string.h>

#include <linmm/gfp.h>
#include <linmm/mm.h>

#include "kernel/machine.h"
#include "mm/internal.h"

/*
 * The free block containing @pfn of an order of at least @min_order, or
 * NULL.  A page inside a free block is never PageBuddy itself: only the
 * head of the block is.
 */
static struct page *find_buddy_containing(struct zone *zone, unsigned long pfn,
					  unsigned int min_order, unsigned long *head_pfn)
{
	for (unsigned int order = min_order; order < NR_PAGE_ORDERS; order++) {
		unsigned long start = ALIGN_DOWN(pfn, 1UL << order);
		struct page *page;

		if (!zone_spans_pfn(zone, start))
			break;
		page = pfn_to_page(start);
		if (PageBuddy(page) && buddy_order(page) >= order) {
			*head_pfn = start;
			return page;
		}
	}
	return NULL;
}

/* Free [start, end) in naturally aligned chunks onto the lists (zone->lock held). */
static void free_range_to_lists(struct zone *zone, unsigned long start, unsigned long end)
{
	while (start < end) {
		unsigned int order = start ? min((unsigned int)MAX_PAGE_ORDER,
						 (unsigned int)__builtin_ctzl(start)) : MAX_PAGE_ORDER;
		struct page *page;

		while (start + (1UL << order) > end)
			order--;
		if (order > pageblock_order)
			order = pageblock_order;
		page = pfn_to_page(start);
		__free_one_page(page, start, zone, order, get_pfnblock_migratetype(page, start),
				FPI_NONE);
		start += 1UL << order;
	}
}

/*
 * has_unmovable_pages - a page of the pageblock at @pfn that could never
 * be migrated away: reserved, or in use and neither on an LRU list nor
 * in ZONE_MOVABLE (where every page is movable by definition).
 */
static struct page *has_unmovable_pages(struct zone *zone, unsigned long pfn)
{
	unsigned long end = pfn + pageblock_nr_pages;

	for (; pfn < end; pfn++) {
		struct page *page = pfn_to_page(pfn);

		if (PageReserved(page))
			return page;
		if (zone_idx(zone) == ZONE_MOVABLE)
			continue;
		if (!page_ref_count(page)) {
			if (PageBuddy(page))
				pfn += (1UL << buddy_order(page)) - 1;
			continue;
		}
		if (PageLRU(page))
			continue;
		return page;
	}
	return NULL;
}

/*
 * Isolate the pageblock of @page.  0, or -EBUSY: already isolated, straddles
 * the zone, or holds a page that can never move.
 */
static int set_migratetype_isolate(struct zone *zone, struct page *page)
{
	unsigned long pfn = ALIGN_DOWN(page_to_pfn(page), pageblock_nr_pages), head_pfn;
	struct page *big;
	int mt, ret = 0;

	spin_lock(&zone->lock);
	mt = get_pfnblock_migratetype(page, pfn);
	if (mt == MIGRATE_ISOLATE || !zone_spans_pfn(zone, pfn) ||
	    !zone_spans_pfn(zone, pfn + pageblock_nr_pages - 1) ||
	    has_unmovable_pages(zone, pfn)) {
		ret = -EBUSY;
		goto out_unlock;
	}
	big = find_buddy_containing(zone, pfn, pageblock_order + 1, &head_pfn);
	if (big) {
		unsigned int order = buddy_order(big);

		del_page_from_free_list(big, zone, order, mt);
		set_pfnblock_migratetype(pfn, MIGRATE_ISOLATE);
		free_range_to_lists(zone, head_pfn, head_pfn + (1UL << order));
	} else {
		move_freepages_block(zone, pfn_to_page(pfn), mt, MIGRATE_ISOLATE);
	}
out_unlock:
	spin_unlock(&zone->lock);
	return ret;
}

/* Give the pageblock of @page back to @migratetype. */
static void unset_migratetype_isolate(struct zone *zone, struct page *page, int migratetype)
{
	unsigned long pfn = ALIGN_DOWN(page_to_pfn(page), pageblock_nr_pages);
	struct page *head = pfn_to_page(pfn);

	spin_lock(&zone->lock);
	if (get_pfnblock_migratetype(head, pfn) != MIGRATE_ISOLATE)
		goto out_unlock;
	if (PageBuddy(head) && buddy_order(head) >= pageblock_order) {
		unsigned int order = buddy_order(head);

		/* A whole free pageblock: free it again so that it merges. */
		del_page_from_free_list(head, zone, order, MIGRATE_ISOLATE);
		set_pfnblock_migratetype(pfn, migratetype);
		__free_one_page(head, pfn, zone, order, get_pfnblock_migratetype(head, pfn), FPI_NONE);
	} else {
		move_freepages_block(zone, head, MIGRATE_ISOLATE, migratetype);
	}
out_unlock:
	spin_unlock(&zone->lock);
}

/**
 * start_isolate_page_range - isolate every pageblock of [start_pfn, end_pfn)
 * @start_pfn: first pfn, pageblock aligned
 * @end_pfn: end pfn, pageblock aligned
 * @migratetype: the type to give the pageblocks back on failure
 *
 * Context: takes zone->lock of the range's zone.
 * Return: 0, -EINVAL (range not pageblock aligned or not in one zone),
 * -EBUSY (a pageblock was isolated already or holds a page that cannot
 * move); nothing stays isolated on failure.
 */
int start_isolate_page_range(unsigned long start_pfn, unsigned long end_pfn, int migratetype)
{
	struct zone *zone;
	unsigned long pfn;

	if (start_pfn >= end_pfn || !IS_ALIGNED(start_pfn | end_pfn, pageblock_nr_pages) ||
	    !pfn_valid(start_pfn))
		return -EINVAL;
	zone = page_zone(pfn_to_page(start_pfn));
	if (!zone_spans_pfn(zone, end_pfn - 1))
		return -EINVAL;
	for (pfn = start_pfn; pfn < end_pfn; pfn += pageblock_nr_pages) {
		if (set_migratetype_isolate(zone, pfn_to_page(pfn))) {
			undo_isolate_page_range(start_pfn, pfn, migratetype);
			return -EBUSY;
		}
	}
	return 0;
}

/**
 * undo_isolate_page_range - give isolated pageblocks back to @migratetype
 * @start_pfn: first pfn, pageblock aligned
 * @end_pfn: end pfn, pageblock aligned
 * @migratetype: their new type
 *
 * Pageblocks that are not isolated are left alone.
 * Context: takes zone->lock.
 */
void undo_isolate_page_range(unsigned long start_pfn, unsigned long end_pfn, int migratetype)
{
	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn += pageblock_nr_pages) {
		struct page *page = pfn_to_page(pfn);

		unset_migratetype_isolate(page_zone(page), page, migratetype);
	}
}

/**
 * test_pages_isolated - is every page of [start_pfn, end_pfn) free and isolated?
 * @start_pfn: first pfn
 * @end_pfn: end pfn
 *
 * Pages of the range must lie in MIGRATE_ISOLATE pageblocks and be free in
 * the buddy (or be PageOffline / hwpoisoned with no references: memory
 * offline skips those).
 *
 * Context: takes zone->lock.
 * Return: 0, or -EBUSY.
 */
int test_pages_isolated(unsigned long start_pfn, unsigned long end_pfn)
{
	struct zone *zone = page_zone(pfn_to_page(start_pfn));
	unsigned long pfn = start_pfn;
	int ret = 0;

	spin_lock(&zone->lock);
	while (pfn < end_pfn) {
		struct page *page = pfn_to_page(pfn);

		if (get_pfnblock_migratetype(page, pfn) != MIGRATE_ISOLATE) {
			ret = -EBUSY;
			break;
		}
		if (PageBuddy(page)) {
			pfn += 1UL << buddy_order(page);
		} else if ((PageOffline(page) || PageHWPoison(page)) && !page_ref_count(page)) {
			pfn++;
		} else {
			ret = -EBUSY;
			break;
		}
	}
	spin_unlock(&zone->lock);
	return ret;
}

/**
 * __offline_isolated_pages - take the free pages of an isolated range out
 * of the buddy for good (memory offline)
 * @start_pfn: first pfn
 * @end_pfn: end pfn; test_pages_isolated() passed for the range
 *
 * Context: takes zone->lock.
 * Return: pages taken (PageOffline pages were already out and are not counted).
 */
unsigned long __offline_isolated_pages(unsigned long start_pfn, unsigned long end_pfn)
{
	struct zone *zone = page_zone(pfn_to_page(start_pfn));
	unsigned long pfn = start_pfn, already_offline = 0;

	spin_lock(&zone->lock);
	while (pfn < end_pfn) {
		struct page *page = pfn_to_page(pfn);
		unsigned int order;

		if (!PageBuddy(page)) {
			WARN_ON_ONCE(page_ref_count(page));
			already_offline++;
			pfn++;
			continue;
		}
		VM_WARN_ON(get_pfnblock_migratetype(page, pfn) != MIGRATE_ISOLATE);
		order = buddy_order(page);
		del_page_from_free_list(page, zone, order, MIGRATE_ISOLATE);
		pfn += 1UL << order;
	}
	spin_unlock(&zone->lock);
	return end_pfn - start_pfn - already_offline;
}

/* Take [start, end) off the (isolated) free lists; -EBUSY if a page is in use. */
static int isolate_freepages_range(struct zone *zone, unsigned long start, unsigned long end)
{
	unsigned long pfn, head_pfn;
	int ret = 0;

	spin_lock(&zone->lock);
	for (pfn = start; pfn < end; pfn = head_pfn + (1UL << buddy_order(pfn_to_page(head_pfn)))) {
		if (!find_buddy_containing(zone, pfn, 0, &head_pfn)) {
			ret = -EBUSY;
			goto out_unlock;
		}
	}
	pfn = start;
	while (pfn < end) {
		struct page *head = find_buddy_containing(zone, pfn, 0, &head_pfn);
		unsigned int order = buddy_order(head);
		unsigned long head_end = head_pfn + (1UL << order);

		del_page_from_free_list(head, zone, order, MIGRATE_ISOLATE);
		/* Parts of the block outside the range go back to the lists. */
		free_range_to_lists(zone, head_pfn, max(head_pfn, start));
		free_range_to_lists(zone, min(head_end, end), head_end);
		pfn = min(head_end, end);
	}
out_unlock:
	spin_unlock(&zone->lock);
	return ret;
}

/**
 * alloc_contig_range - allocate the pages of [start, end)
 * @start: first pfn
 * @end: end pfn
 * @migratetype: type of the surrounding pageblocks, restored afterwards
 *	(MIGRATE_MOVABLE or MIGRATE_CMA in the kernel)
 * @gfp_mask: __GFP_ZERO zeroes lowmem pages, __GFP_COMP makes one compound
 *	page of a naturally aligned power-of-two range; other bits are unused
 *
 * Context: takes pcp and zone locks; must not run twice on overlapping
 * pageblocks at once (the second one gets -EBUSY).
 * Return: 0 with every page of the range at refcount 1 (or one compound
 * page), or -EINVAL, -EBUSY (some page of the range is in use).
 */
int alloc_contig_range(unsigned long start, unsigned long end, int migratetype, gfp_t gfp_mask)
{
	unsigned long iso_start = ALIGN_DOWN(start, pageblock_nr_pages);
	unsigned long iso_end = ALIGN(end, pageblock_nr_pages);
	unsigned long nr = end - start;
	struct zone *zone;
	int ret;

	if (start >= end || !pfn_valid(start))
		return -EINVAL;
	if ((gfp_mask & __GFP_COMP) && (!IS_ALIGNED(start, nr) || (nr & (nr - 1)) ||
					nr > MAX_ORDER_NR_PAGES))
		return -EINVAL;
	zone = page_zone(pfn_to_page(start));
	if (!zone_spans_pfn(zone, iso_start) || !zone_spans_pfn(zone, iso_end - 1))
		return -EINVAL;

	ret = start_isolate_page_range(iso_start, iso_end, migratetype);
	if (ret)
		return ret;
	/* Pages cached on pcp lists are in use as far as the buddy knows. */
	drain_all_pages(zone);
	ret = isolate_freepages_range(zone, start, end);
	undo_isolate_page_range(iso_start, iso_end, migratetype);
	if (ret)
		return ret;

	for (unsigned long pfn = start; pfn < end; pfn++) {
		struct page *page = pfn_to_page(pfn);

		page->private = 0;
		set_page_count(page, 1);
		if ((gfp_mask & __GFP_ZERO) && boot_params.backing != LINMM_BACKING_NONE &&
		    !PageHighMem(page))
			memset(page_address(page), 0, PAGE_SIZE);
	}
	if ((gfp_mask & __GFP_COMP) && nr > 1) {
		for (unsigned long pfn = start + 1; pfn < end; pfn++)
			set_page_count(pfn_to_page(pfn), 0);
		prep_compound_page(pfn_to_page(start), (unsigned int)ilog2_u64(nr));
	}
	return 0;
}

/**
 * free_contig_range - free pages alloc_contig_range() returned
 * @pfn: first pfn
 * @nr_pages: number of pages (every page must have refcount 1)
 *
 * Context: as __free_pages().
 */
void free_contig_range(unsigned long pfn, unsigned long nr_pages)
{
	unsigned long count = 0;

	for (; nr_pages--; pfn++) {
		struct page *page = pfn_to_page(pfn);

		count += page_ref_count(page) != 1;
		__free_pages(page, 0);
	}
	WARN_ON(count != 0);
}
