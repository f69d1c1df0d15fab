/* SPDX-License-Identifier: MIT */
/*
 * page_alloc.c - the buddy allocator: free lists, merging and splitting,
 * pageblock migrate types, fallback stealing and the HIGHATOMIC reserve.
 *
 * Mirrors the buddy half of the kernel's mm/page_alloc.c (6.15+ fallback
 * logic).  The rest of the allocator lives beside it: per-CPU lists in
 * mm/pcp.c, the GFP front end and slow path in mm/alloc_pages.c, pageblock
 * isolation and contiguous ranges in mm/page_isolation.c.
 *
 * Free lists.  zone->free_area[order].free_list[mt] holds free blocks of
 * 2^order pages whose head page has page type PGTY_buddy and its order in
 * page->private.  A block of order o starts at a pfn aligned to 2^o and its
 * buddy is at pfn ^ (1 << o); freeing merges a block with its buddy while
 * the buddy is free, of the same order and in the same zone:
 *
 *   order 2  [ A A A A | B B B B ]   A freed, B free (order 2)
 *   order 3  [ A A A A   A A A A ]   merged at min(pfn A, pfn B)
 *
 * Allocation takes the smallest block that fits and splits it, putting the
 * upper halves back one order lower each time (expand()):
 *
 *   order 3 block [0..7], want order 0:
 *     [4..7] -> free_list[2], [2..3] -> free_list[1], [1] -> free_list[0],
 *     [0] is returned.
 *
 * Pageblocks.  Memory is grouped by mobility in pageblocks of
 * 2^pageblock_order pages, each with a 4-bit migrate type (zone's or
 * section's usemap).  An allocation of type T takes from T's lists first;
 * when they are empty it falls back to the other types in the kernel's
 * order (fallbacks[]), first trying to claim a whole pageblock for T
 * (__rmqueue_claim: largest block first, the block changes type when at
 * least half of it is free or compatible), then stealing a single block
 * without changing the pageblock's type (__rmqueue_steal: smallest first).
 *
 * Invariants (checked by validate_free_lists()):
 *   - every block on free_list[mt] of order o: PageBuddy, order o, aligned,
 *     inside the zone, and every pageblock it covers has type mt (a free
 *     page of a stolen-but-not-claimed block sits on its block's own list);
 *   - free_area[o].nr_free == number of blocks on the order's lists, and
 *     zone->free_lists_nonempty says which of them are non-empty;
 *   - NR_FREE_PAGES == pages on all lists except MIGRATE_ISOLATE ones;
 *     NR_FREE_PAGES_BLOCKS the same for blocks of order >= pageblock_order;
 *   - nr_free_highatomic == pages on the HIGHATOMIC lists;
 *   - nr_reserved_highatomic == pageblocks of type HIGHATOMIC x their size.
 *   Pages on per-CPU lists are not free in this sense (they count as
 *   allocated from the buddy, as in the kernel: MemFree excludes them).
 *
 * Locks: zone->lock protects the free lists, nr_free, the HIGHATOMIC
 * counters and pageblock type changes.  Pageblock bits are read without it
 * (atomic word loads).  Lock order: pcp->lock, then zone->lock.
 */
#include <string.h>

#include <linmm/gfp.h>
#include <linmm/mm.h>
#include <linmm/printk.h>
#include <linmm/vmstat.h>

#include "kernel/machine.h"
#include "mm/internal.h"

/* Memory too small to group by mobility; build_all_zonelists() decides. */
int page_group_by_mobility_disabled;

extern int linmm_pfn_section_shift;

/* ---- pageblock flags: 4 bits per pageblock, 3 of them the migrate type ---- */

#define NR_PAGEBLOCK_BITS 4
#define MIGRATETYPE_MASK 0x7UL
#define BLOCKS_PER_WORD (8 * sizeof(unsigned long) / NR_PAGEBLOCK_BITS)

/* The usemap word and bit shift holding @pfn's pageblock bits. */
static unsigned long *pfnblock_word(const struct page *page, unsigned long pfn, unsigned int *shift)
{
	unsigned long *bitmap, idx;

	if (boot_params.model == LINMM_FLATMEM) {
		const struct zone *zone = page_zone(page);

		bitmap = zone->pageblock_flags;
		idx = (pfn - ALIGN_DOWN(zone->zone_start_pfn, pageblock_nr_pages)) >> pageblock_order;
	} else {
		bitmap = __pfn_to_section(pfn)->pageblock_flags;
		idx = (pfn & ((1UL << linmm_pfn_section_shift) - 1)) >> pageblock_order;
	}
	*shift = (unsigned int)(idx % BLOCKS_PER_WORD) * NR_PAGEBLOCK_BITS;
	return &bitmap[idx / BLOCKS_PER_WORD];
}

/**
 * get_pfnblock_migratetype - migrate type of the pageblock holding @pfn
 * @page: the struct page of @pfn
 * @pfn: page frame number
 *
 * Context: any; the value may change under the caller unless it holds
 * zone->lock.
 * Return: a MIGRATE_* value.
 */
int get_pfnblock_migratetype(const struct page *page, unsigned long pfn)
{
	unsigned int shift;
	unsigned long *word = pfnblock_word(page, pfn, &shift);

	return (int)((__atomic_load_n(word, __ATOMIC_RELAXED) >> shift) & MIGRATETYPE_MASK);
}

static void set_pfnblock_bits(const struct page *page, unsigned long pfn, unsigned long bits)
{
	unsigned int shift;
	unsigned long *word = pfnblock_word(page, pfn, &shift);
	unsigned long old = __atomic_load_n(word, __ATOMIC_RELAXED), new;

	do {
		new = (old & ~(MIGRATETYPE_MASK << shift)) | (bits << shift);
	} while (!__atomic_compare_exchange_n(word, &old, new, true, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
}

/**
 * set_pageblock_migratetype - set the migrate type of @page's pageblock
 * @page: any page of the pageblock
 * @migratetype: MIGRATE_*; the mobility types collapse to UNMOVABLE while
 *	page_group_by_mobility_disabled is set
 *
 * Context: zone->lock held, or boot (no allocator users yet).
 */
void set_pageblock_migratetype(struct page *page, int migratetype)
{
	if (unlikely(page_group_by_mobility_disabled && migratetype < MIGRATE_PCPTYPES))
		migratetype = MIGRATE_UNMOVABLE;
	VM_BUG_ON(migratetype < 0 || migratetype >= MIGRATE_TYPES);
	set_pfnblock_bits(page, page_to_pfn(page), (unsigned long)migratetype);
}

/**
 * set_pfnblock_migratetype - set_pageblock_migratetype() by pfn
 * @pfn: any pfn of the pageblock (its struct page must be initialised)
 * @migratetype: MIGRATE_*
 *
 * Context: as set_pageblock_migratetype().
 */
void set_pfnblock_migratetype(unsigned long pfn, int migratetype)
{
	set_pageblock_migratetype(pfn_to_page(pfn), migratetype);
}

/* Retype every pageblock of a block of @order >= pageblock_order. */
static void change_pageblock_range(struct page *page, unsigned int order, int migratetype)
{
	unsigned long nr = 1UL << (order - pageblock_order);

	while (nr--) {
		set_pageblock_migratetype(page, migratetype);
		page += pageblock_nr_pages;
	}
}

/**
 * pagetypeinfo_count_blocks - count @zone's pageblocks per migrate type
 * @zone: a populated zone
 * @counts: filled with the number of pageblocks of each type
 *
 * The kernel's pagetypeinfo_showblockcount_print(): one pfn per pageblock,
 * stepping from zone_start_pfn, so a first pageblock that starts before
 * the zone counts too.
 * Context: any; takes no lock (the answer is a snapshot).
 */
void pagetypeinfo_count_blocks(struct zone *zone, unsigned long counts[MIGRATE_TYPES])
{
	unsigned long pfn = zone->zone_start_pfn;

	memset(counts, 0, MIGRATE_TYPES * sizeof(counts[0]));
	for (; pfn < zone_end_pfn(zone); pfn += pageblock_nr_pages) {
		struct page *page;

		if (!pfn_valid(pfn))
			continue;
		page = pfn_to_page(pfn);
		if (page_zone(page) != zone)
			continue;
		counts[get_pfnblock_migratetype(page, pfn)]++;
	}
}

/* ---- free list primitives (zone->lock held) ---- */

/**
 * zone_init_free_lists - empty every free list of @zone
 * @zone: a zone being initialised
 *
 * Context: boot or hotplug, before the zone has free pages.
 */
void zone_init_free_lists(struct zone *zone)
{
	for (int order = 0; order < NR_PAGE_ORDERS; order++) {
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			INIT_LIST_HEAD(&zone->free_area[order].free_list[mt]);
		zone->free_area[order].nr_free = 0;
	}
	zone->free_lists_nonempty = 0;
	zone->nr_reserved_highatomic = 0;
	zone->nr_free_highatomic = 0;
}

/* Recompute @order's bits of zone->free_lists_nonempty after a list change. */
static void update_free_lists_nonempty(struct zone *zone, unsigned int order)
{
	const struct free_area *area = &zone->free_area[order];
	unsigned int bits = 0;

	for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
		if (!list_empty(&area->free_list[mt]))
			bits = 1;
	if (!list_empty(&area->free_list[MIGRATE_HIGHATOMIC]))
		bits |= 2;
	__atomic_store_n(&zone->free_lists_nonempty,
			 (zone->free_lists_nonempty & ~(3u << (2 * order))) | bits << (2 * order),
			 __ATOMIC_RELAXED);
}

static inline void set_buddy_order(struct page *page, unsigned int order)
{
	page->private = order;
	__SetPageBuddy(page);
}

/* NR_FREE_PAGES and the HIGHATOMIC count follow pages on and off the lists. */
static void account_freepages(struct zone *zone, long nr_pages, int migratetype)
{
	lockdep_assert_held(&zone->lock);
	if (migratetype == MIGRATE_ISOLATE)
		return;
	__mod_zone_page_state(zone, NR_FREE_PAGES, nr_pages);
	/* Read without zone->lock by the watermark checks. */
	if (migratetype == MIGRATE_HIGHATOMIC)
		__atomic_store_n(&zone->nr_free_highatomic, zone->nr_free_highatomic + nr_pages,
				 __ATOMIC_RELAXED);
}

static void __add_to_free_list(struct page *page, struct zone *zone, unsigned int order,
			       int migratetype, bool tail)
{
	struct free_area *area = &zone->free_area[order];

	VM_WARN_ON_ONCE(get_pageblock_migratetype(page) != migratetype);
	if (tail)
		list_add_tail(&page->buddy_list, &area->free_list[migratetype]);
	else
		list_add(&page->buddy_list, &area->free_list[migratetype]);
	__atomic_store_n(&area->nr_free, area->nr_free + 1, __ATOMIC_RELAXED);
	update_free_lists_nonempty(zone, order);
	if (order >= pageblock_order && migratetype != MIGRATE_ISOLATE)
		__mod_zone_page_state(zone, NR_FREE_PAGES_BLOCKS, 1L << order);
}

static void __del_page_from_free_list(struct page *page, struct zone *zone, unsigned int order,
				      int migratetype)
{
	struct free_area *area = &zone->free_area[order];

	VM_WARN_ON_ONCE(!PageBuddy(page) || buddy_order(page) != order);
	list_del(&page->buddy_list);
	__ClearPageBuddy(page);
	page->private = 0;
	__atomic_store_n(&area->nr_free, area->nr_free - 1, __ATOMIC_RELAXED);
	update_free_lists_nonempty(zone, order);
	if (order >= pageblock_order && migratetype != MIGRATE_ISOLATE)
		__mod_zone_page_state(zone, NR_FREE_PAGES_BLOCKS, -(1L << order));
}

/**
 * del_page_from_free_list - take a free block off its list
 * @page: head of the block (PageBuddy)
 * @zone: its zone
 * @order: its order
 * @migratetype: the list it is on
 *
 * Context: zone->lock held.
 */
void del_page_from_free_list(struct page *page, struct zone *zone, unsigned int order,
			     int migratetype)
{
	__del_page_from_free_list(page, zone, order, migratetype);
	account_freepages(zone, -(1L << order), migratetype);
}

/* Move a free block to another type's list of the same order (tail: cold). */
static void move_to_free_list(struct page *page, struct zone *zone, unsigned int order,
			      int old_mt, int new_mt)
{
	struct free_area *area = &zone->free_area[order];
	long nr = 1L << order;

	list_move_tail(&page->buddy_list, &area->free_list[new_mt]);
	update_free_lists_nonempty(zone, order);
	if (order >= pageblock_order) {
		if (old_mt == MIGRATE_ISOLATE)
			__mod_zone_page_state(zone, NR_FREE_PAGES_BLOCKS, nr);
		else if (new_mt == MIGRATE_ISOLATE)
			__mod_zone_page_state(zone, NR_FREE_PAGES_BLOCKS, -nr);
	}
	account_freepages(zone, -nr, old_mt);
	account_freepages(zone, nr, new_mt);
}

static inline struct page *get_page_from_free_area(struct free_area *area, int migratetype)
{
	return list_first_entry_or_null(&area->free_list[migratetype], struct page, buddy_list);
}

static inline bool free_area_empty(const struct free_area *area, int migratetype)
{
	return list_empty(&area->free_list[migratetype]);
}

/* ---- freeing: merge with free buddies ---- */

/*
 * page_is_buddy - @buddy heads a free block of @order in @zone.  The
 * zone and node ids of @buddy are compared with @zone's (the kernel
 * compares them with the freed page's; only the free buddy is read here,
 * never a neighbour that its owner may be changing).
 */
static inline bool page_is_buddy(const struct zone *zone, const struct page *buddy,
				 unsigned int order)
{
	return PageBuddy(buddy) && buddy_order(buddy) == order &&
	       page_zonenum(buddy) == zone_idx(zone) && page_to_nid(buddy) == zone_to_nid(zone);
}

/*
 * The free buddy of the block (@page, @pfn, @order), or NULL.  A buddy pfn
 * outside the zone's span is never touched: its memmap may not exist.
 */
static struct page *find_buddy_page_pfn(struct zone *zone, struct page *page, unsigned long pfn,
					unsigned int order, unsigned long *buddy_pfn)
{
	unsigned long bpfn = pfn ^ (1UL << order);
	struct page *buddy;

	if (!zone_spans_pfn(zone, bpfn))
		return NULL;
	buddy = page + ((long)bpfn - (long)pfn);	/* signed: the buddy may lie below */
	if (!page_is_buddy(zone, buddy, order))
		return NULL;
	if (buddy_pfn)
		*buddy_pfn = bpfn;
	return buddy;
}

/*
 * A freed block whose next-higher buddy is free will likely merge soon:
 * put it at the tail so that it is not handed out again first.
 */
static bool buddy_merge_likely(struct zone *zone, unsigned long pfn, unsigned long buddy_pfn,
			       struct page *page, unsigned int order)
{
	unsigned long higher_pfn;

	if (order >= MAX_PAGE_ORDER - 1)
		return false;
	higher_pfn = buddy_pfn & pfn;
	return find_buddy_page_pfn(zone, page - (pfn - higher_pfn), higher_pfn, order + 1, NULL);
}

/**
 * __free_one_page - put a block on the free lists, merging with its buddies
 * @page: head of the block; its state was checked by free_pages_prepare()
 * @pfn: page_to_pfn(@page), aligned to 2^@order
 * @zone: the block's zone
 * @order: order of the block
 * @migratetype: type of the pageblock holding @pfn
 * @fpi_flags: FPI_TO_TAIL for cold blocks (boot, hotplug)
 *
 * Merging stops at MAX_PAGE_ORDER, at a buddy that is not free, and at
 * order >= pageblock_order between pageblocks whose types must not mix
 * (ISOLATE, HIGHATOMIC, CMA with anything else).  Merged pageblocks of
 * mergeable types take @migratetype.
 *
 * Context: zone->lock held.
 */
void __free_one_page(struct page *page, unsigned long pfn, struct zone *zone,
		     unsigned int order, int migratetype, fpi_t fpi_flags)
{
	unsigned long buddy_pfn = 0;
	struct page *buddy;
	bool to_tail;

	lockdep_assert_held(&zone->lock);
	VM_BUG_ON(pfn & ((1UL << order) - 1));
	VM_BUG_ON(!zone_spans_pfn(zone, pfn));
	VM_BUG_ON(migratetype < 0 || migratetype >= MIGRATE_TYPES);

	account_freepages(zone, 1L << order, migratetype);

	while (order < MAX_PAGE_ORDER) {
		int buddy_mt = migratetype;

		buddy = find_buddy_page_pfn(zone, page, pfn, order, &buddy_pfn);
		if (!buddy)
			break;
		if (unlikely(order >= pageblock_order)) {
			buddy_mt = get_pfnblock_migratetype(buddy, buddy_pfn);
			if (migratetype != buddy_mt &&
			    (!migratetype_is_mergeable(migratetype) ||
			     !migratetype_is_mergeable(buddy_mt)))
				break;
		}
		__del_page_from_free_list(buddy, zone, order, buddy_mt);
		if (unlikely(buddy_mt != migratetype))
			set_pageblock_migratetype(buddy, migratetype);
		page -= pfn - (buddy_pfn & pfn);
		pfn &= buddy_pfn;
		order++;
	}

	set_buddy_order(page, order);
	if (fpi_flags & FPI_TO_TAIL)
		to_tail = true;
	else
		to_tail = buddy_merge_likely(zone, pfn, pfn ^ (1UL << order), page, order);
	__add_to_free_list(page, zone, order, migratetype, to_tail);
}

/*
 * Free a block larger than a pageblock one pageblock at a time, so that
 * each part lands on the list of its own pageblock's type.
 */
static void split_large_buddy(struct zone *zone, struct page *page, unsigned long pfn,
			      unsigned int order, fpi_t fpi_flags)
{
	unsigned long end = pfn + (1UL << order);

	VM_WARN_ON_ONCE(!IS_ALIGNED(pfn, 1UL << order));
	if (order > pageblock_order)
		order = pageblock_order;
	for (; pfn < end; pfn += 1UL << order, page += 1UL << order)
		__free_one_page(page, pfn, zone, order, get_pfnblock_migratetype(page, pfn),
				fpi_flags);
}

/**
 * free_one_page - give a prepared block to the buddy lists
 * @zone: the block's zone
 * @page: head page, already through free_pages_prepare()
 * @pfn: page_to_pfn(@page)
 * @order: order of the block
 * @fpi_flags: FPI_*
 *
 * Context: takes zone->lock.  Counts PGFREE.
 */
void free_one_page(struct zone *zone, struct page *page, unsigned long pfn,
		   unsigned int order, fpi_t fpi_flags)
{
	spin_lock(&zone->lock);
	split_large_buddy(zone, page, pfn, order, fpi_flags);
	spin_unlock(&zone->lock);
	count_vm_events(PGFREE, 1L << order);
}

/**
 * __free_pages_core - hand a block of never-allocated pages to the buddy
 * @page: first page; struct pages initialised (reserved or offline, refcount 1)
 * @order: order of the naturally aligned block
 *
 * Clears PG_reserved / PageOffline, sets every refcount to 0, adds the
 * pages to the zone's managed_pages and to totalram_pages, and frees the
 * block at the list tails (cold), bypassing the per-CPU lists.
 *
 * Context: boot (memblock_free_all, free_initmem) or memory hotplug.
 */
void __free_pages_core(struct page *page, unsigned int order)
{
	unsigned long nr_pages = 1UL << order;
	struct zone *zone = page_zone(page);

	for (unsigned long i = 0; i < nr_pages; i++) {
		struct page *p = page + i;

		ClearPageReserved(p);
		if (PageOffline(p))
			__ClearPageOffline(p);
		set_page_count(p, 0);
	}
	atomic_fetch_add_explicit(&zone->managed_pages, (long)nr_pages, memory_order_relaxed);
	totalram_pages_add((long)nr_pages);
	__free_pages_ok(page, order, FPI_TO_TAIL);
}

/* ---- allocation: take the smallest fitting block, split the rest ---- */

/* Put the upper halves of [page, 2^high) back down to order @low. Return pages added. */
static unsigned long expand(struct zone *zone, struct page *page, unsigned int low,
			    unsigned int high, int migratetype)
{
	unsigned long size = 1UL << high, nr_added = 0;

	while (high > low) {
		high--;
		size >>= 1;
		VM_BUG_ON(!zone_spans_pfn(zone, page_to_pfn(&page[size])));
		__add_to_free_list(&page[size], zone, high, migratetype, false);
		set_buddy_order(&page[size], high);
		nr_added += size;
	}
	return nr_added;
}

static void page_del_and_expand(struct zone *zone, struct page *page, unsigned int low,
				unsigned int high, int migratetype)
{
	long nr_pages = 1L << high;

	__del_page_from_free_list(page, zone, high, migratetype);
	nr_pages -= (long)expand(zone, page, low, high, migratetype);
	account_freepages(zone, -nr_pages, migratetype);
}

/**
 * __rmqueue_smallest - take a block of @order from @migratetype's lists
 * @zone: the zone
 * @order: wanted order
 * @migratetype: list type to take from (no fallback)
 *
 * Context: zone->lock held.
 * Return: the head page (PageBuddy cleared), or NULL.
 */
struct page *__rmqueue_smallest(struct zone *zone, unsigned int order, int migratetype)
{
	for (unsigned int cur = order; cur < NR_PAGE_ORDERS; cur++) {
		struct page *page = get_page_from_free_area(&zone->free_area[cur], migratetype);

		if (!page)
			continue;
		page_del_and_expand(zone, page, order, cur, migratetype);
		return page;
	}
	return NULL;
}

/* ---- fallback: claim a pageblock or steal a block of another type ---- */

/* The kernel's fallbacks[]: the order in which other types' lists are tried. */
static const int fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1] = {
	[MIGRATE_UNMOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE },
	[MIGRATE_MOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE },
};

/*
 * Whether a fallback of this size may claim the whole pageblock: large
 * requests, unmovable/reclaimable ones (they would pollute the block
 * anyway), or when mobility grouping is off.
 */
static bool should_try_claim_block(unsigned int order, int start_mt)
{
	if (order >= pageblock_order / 2)
		return true;
	if (start_mt == MIGRATE_RECLAIMABLE || start_mt == MIGRATE_UNMOVABLE)
		return true;
	return page_group_by_mobility_disabled;
}

/*
 * The first fallback type with a free block in @area, -1 if none, or -2 when
 * claiming was asked for and blocks of this order may not claim.
 */
static int find_suitable_fallback(const struct free_area *area, unsigned int order,
				  int migratetype, bool claimable)
{
	if (claimable && !should_try_claim_block(order, migratetype))
		return -2;
	if (!area->nr_free)
		return -1;
	for (int i = 0; i < MIGRATE_PCPTYPES - 1; i++) {
		int fallback_mt = fallbacks[migratetype][i];

		if (!free_area_empty(area, fallback_mt))
			return fallback_mt;
	}
	return -1;
}

/*
 * boost_watermark - a fragmenting fallback raises the zone's watermarks by
 * a pageblock (up to watermark_boost_factor/10000 of the high watermark) so
 * that kswapd reclaims and compacts before more blocks get mixed.
 */
static bool boost_watermark(struct zone *zone)
{
	unsigned long max_boost;

	if (!watermark_boost_factor)
		return false;
	/* Small zones: boosting could cause an immediate OOM. */
	if (pageblock_nr_pages * 4 > zone_managed_pages(zone))
		return false;
	max_boost = zone->_watermark[WMARK_HIGH] * (unsigned long)watermark_boost_factor / 10000;
	/* Watermarks not set up yet (early boot): do not boost. */
	if (!max_boost)
		return false;
	max_boost = max(pageblock_nr_pages, max_boost);
	zone->watermark_boost = min(zone->watermark_boost + pageblock_nr_pages, max_boost);
	return true;
}

/*
 * The pageblock of @page, if it lies inside @zone: its first pfn, and
 * optionally its free pages and pages that look movable (on an LRU).
 */
static bool prep_move_freepages_block(struct zone *zone, struct page *page,
				      unsigned long *start_pfn, unsigned long *num_free,
				      unsigned long *num_movable)
{
	unsigned long pfn = page_to_pfn(page);
	unsigned long start = ALIGN_DOWN(pfn, pageblock_nr_pages);
	unsigned long end = start + pageblock_nr_pages;

	if (!zone_spans_pfn(zone, start) || !zone_spans_pfn(zone, end - 1))
		return false;
	*start_pfn = start;
	if (!num_free)
		return true;
	*num_free = 0;
	*num_movable = 0;
	for (pfn = start; pfn < end;) {
		page = pfn_to_page(pfn);
		if (PageBuddy(page)) {
			unsigned long nr = 1UL << buddy_order(page);

			*num_free += nr;
			pfn += nr;
			continue;
		}
		if (PageLRU(page))
			(*num_movable)++;
		pfn++;
	}
	return true;
}

/* Move every free block of the pageblock at @start_pfn to @new_mt's lists. */
static unsigned long __move_freepages_block(struct zone *zone, unsigned long start_pfn,
					    int old_mt, int new_mt)
{
	unsigned long pfn = start_pfn, end = start_pfn + pageblock_nr_pages, moved = 0;

	while (pfn < end) {
		struct page *page = pfn_to_page(pfn);
		unsigned int order;

		if (!PageBuddy(page)) {
			pfn++;
			continue;
		}
		order = buddy_order(page);
		VM_BUG_ON(order > pageblock_order);
		move_to_free_list(page, zone, order, old_mt, new_mt);
		pfn += 1UL << order;
		moved += 1UL << order;
	}
	return moved;
}

/**
 * move_freepages_block - retype @page's pageblock and move its free pages
 * @zone: the zone
 * @page: any page of the pageblock
 * @old_mt: current type of the pageblock (its free pages are on these lists)
 * @new_mt: new type
 *
 * The pageblock must not be covered by a free block of order >
 * pageblock_order (callers retype those with change_pageblock_range()).
 *
 * Context: zone->lock held.
 * Return: -1 if the pageblock straddles the zone boundary (nothing done),
 * else the number of free pages moved.
 */
int move_freepages_block(struct zone *zone, struct page *page, int old_mt, int new_mt)
{
	unsigned long start_pfn;
	long moved;

	lockdep_assert_held(&zone->lock);
	if (!prep_move_freepages_block(zone, page, &start_pfn, NULL, NULL))
		return -1;
	/* The type set_pageblock_migratetype() will really store. */
	if (page_group_by_mobility_disabled && new_mt < MIGRATE_PCPTYPES)
		new_mt = MIGRATE_UNMOVABLE;
	moved = (long)__move_freepages_block(zone, start_pfn, old_mt, new_mt);
	set_pageblock_migratetype(pfn_to_page(start_pfn), new_mt);
	return (int)moved;
}

/*
 * try_to_claim_block - take the pageblock of a free block of @block_type
 * for @start_type, then allocate from it.
 *
 * A free block of pageblock size or more is retyped whole.  A smaller one
 * boosts the watermark (fragmentation ahead) and retypes its pageblock
 * only if at least half of the block is free or already holds allocations
 * of a compatible type ("alike" pages: movable pages for a movable
 * request; everything not free and not movable when an unmovable or
 * reclaimable request takes a movable block).
 */
static struct page *try_to_claim_block(struct zone *zone, struct page *page,
				       unsigned int current_order, unsigned int order,
				       int start_type, int block_type, unsigned int alloc_flags)
{
	unsigned long free_pages, movable_pages, alike_pages, start_pfn;

	if (current_order >= pageblock_order) {
		unsigned long nr_added;

		del_page_from_free_list(page, zone, current_order, block_type);
		change_pageblock_range(page, current_order, start_type);
		nr_added = expand(zone, page, order, current_order, start_type);
		account_freepages(zone, (long)nr_added, start_type);
		return page;
	}

	if (boost_watermark(zone) && (alloc_flags & ALLOC_KSWAPD))
		zone_set_flag(zone, ZONE_BOOSTED_WATERMARK);

	if (!prep_move_freepages_block(zone, page, &start_pfn, &free_pages, &movable_pages))
		return NULL;

	if (start_type == MIGRATE_MOVABLE)
		alike_pages = movable_pages;
	else if (block_type == MIGRATE_MOVABLE)
		alike_pages = pageblock_nr_pages - (free_pages + movable_pages);
	else
		alike_pages = 0;

	if (free_pages + alike_pages >= (1UL << (pageblock_order - 1)) ||
	    page_group_by_mobility_disabled) {
		__move_freepages_block(zone, start_pfn, block_type, start_type);
		set_pageblock_migratetype(pfn_to_page(start_pfn), start_type);
		return __rmqueue_smallest(zone, order, start_type);
	}
	return NULL;
}

/*
 * __rmqueue_claim - fall back by claiming a whole pageblock: look at the
 * largest free blocks of the fallback types first (they approximate the
 * pageblocks with the most free pages).  ALLOC_NOFRAGMENT only accepts
 * whole pageblocks.
 */
static struct page *__rmqueue_claim(struct zone *zone, unsigned int order, int start_mt,
				    unsigned int alloc_flags)
{
	unsigned int min_order = order;

	if (order < pageblock_order && (alloc_flags & ALLOC_NOFRAGMENT))
		min_order = pageblock_order;

	for (int cur = MAX_PAGE_ORDER; cur >= (int)min_order; cur--) {
		struct free_area *area = &zone->free_area[cur];
		int fallback_mt = find_suitable_fallback(area, (unsigned int)cur, start_mt, true);
		struct page *page;

		if (fallback_mt == -1)
			continue;
		if (fallback_mt == -2)
			break;
		page = get_page_from_free_area(area, fallback_mt);
		page = try_to_claim_block(zone, page, (unsigned int)cur, order, start_mt,
					  fallback_mt, alloc_flags);
		if (page)
			return page;
	}
	return NULL;
}

/*
 * __rmqueue_steal - fall back without claiming: the smallest fitting block
 * of a fallback type, split on its own type's lists (the pageblock keeps
 * its type).
 */
static struct page *__rmqueue_steal(struct zone *zone, unsigned int order, int start_mt)
{
	for (unsigned int cur = order; cur < NR_PAGE_ORDERS; cur++) {
		struct free_area *area = &zone->free_area[cur];
		int fallback_mt = find_suitable_fallback(area, cur, start_mt, false);
		struct page *page;

		if (fallback_mt == -1)
			continue;
		page = get_page_from_free_area(area, fallback_mt);
		page_del_and_expand(zone, page, order, cur, fallback_mt);
		return page;
	}
	return NULL;
}

/**
 * __rmqueue - take a block for an allocation of @migratetype
 * @zone: the zone
 * @order: wanted order
 * @migratetype: UNMOVABLE, MOVABLE or RECLAIMABLE
 * @alloc_flags: ALLOC_* (ALLOC_NOFRAGMENT forbids __rmqueue_steal)
 * @mode: where the last call of a batch found pages; start at
 *	RMQUEUE_NORMAL.  rmqueue_bulk() keeps it across calls to skip
 *	searches that already failed under the same zone->lock.
 *
 * Order of attempts: own type; (CMA: not configured in linmm); claim a
 * pageblock of a fallback type; steal a block of a fallback type.
 *
 * Context: zone->lock held.
 * Return: the head page, or NULL.
 */
struct page *__rmqueue(struct zone *zone, unsigned int order, int migratetype,
		       unsigned int alloc_flags, enum rmqueue_mode *mode)
{
	struct page *page;

	VM_BUG_ON(migratetype < 0 || migratetype >= MIGRATE_PCPTYPES);
	switch (*mode) {
	case RMQUEUE_NORMAL:
		page = __rmqueue_smallest(zone, order, migratetype);
		if (page)
			return page;
		/* fall through */
	case RMQUEUE_CMA:
	case RMQUEUE_CLAIM:
		page = __rmqueue_claim(zone, order, migratetype, alloc_flags);
		if (page) {
			/* The preferred lists were refilled: back to normal. */
			*mode = RMQUEUE_NORMAL;
			return page;
		}
		/* fall through */
	case RMQUEUE_STEAL:
		if (!(alloc_flags & ALLOC_NOFRAGMENT)) {
			page = __rmqueue_steal(zone, order, migratetype);
			if (page) {
				*mode = RMQUEUE_STEAL;
				return page;
			}
		}
	}
	return NULL;
}

/* ---- the HIGHATOMIC reserve ---- */

/**
 * reserve_highatomic_pageblock - keep @page's pageblock for high-order atomics
 * @page: a page just allocated with ALLOC_HIGHATOMIC
 * @order: its order
 * @zone: its zone
 *
 * At most about 1% of the zone (rounded up to pageblocks) is reserved;
 * zones where 1% is less than a pageblock reserve nothing.  Only blocks of
 * mergeable types are taken.
 *
 * Context: takes zone->lock.
 */
void reserve_highatomic_pageblock(struct page *page, unsigned int order, struct zone *zone)
{
	unsigned long max_managed;
	int mt;

	if (zone_managed_pages(zone) / 100 < pageblock_nr_pages)
		return;
	max_managed = ALIGN(zone_managed_pages(zone) / 100, pageblock_nr_pages);
	if (__atomic_load_n(&zone->nr_reserved_highatomic, __ATOMIC_RELAXED) >= max_managed)
		return;

	spin_lock(&zone->lock);
	if (zone->nr_reserved_highatomic >= max_managed)
		goto out_unlock;
	mt = get_pageblock_migratetype(page);
	if (!migratetype_is_mergeable(mt))
		goto out_unlock;
	if (order < pageblock_order) {
		if (move_freepages_block(zone, page, mt, MIGRATE_HIGHATOMIC) == -1)
			goto out_unlock;
		zone->nr_reserved_highatomic += pageblock_nr_pages;
	} else {
		change_pageblock_range(page, order, MIGRATE_HIGHATOMIC);
		zone->nr_reserved_highatomic += 1UL << order;
	}
out_unlock:
	spin_unlock(&zone->lock);
}

/**
 * unreserve_highatomic_pageblock - give a HIGHATOMIC pageblock back
 * @ac: the failing allocation (its zonelist, nodemask and migrate type)
 * @force: also release a zone's last reserved pageblock
 *
 * The first pageblock found with a free page on a HIGHATOMIC list, in
 * zonelist order, becomes @ac->migratetype (no claiming heuristics: the
 * caller needs the pages now).
 *
 * Context: takes zone->lock of each zone looked at.
 * Return: true if a pageblock with free pages was released.
 */
bool unreserve_highatomic_pageblock(const struct alloc_context *ac, bool force)
{
	struct zoneref *z;
	struct zone *zone;

	for_each_zone_zonelist_nodemask(zone, z, ac->zonelist, ac->highest_zoneidx, ac->nodemask) {
		if (!force && zone->nr_reserved_highatomic <= pageblock_nr_pages)
			continue;
		spin_lock(&zone->lock);
		for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++) {
			struct page *page = get_page_from_free_area(&zone->free_area[order],
								    MIGRATE_HIGHATOMIC);
			unsigned long size;
			int ret;

			if (!page)
				continue;
			size = max(pageblock_nr_pages, 1UL << order);
			if (WARN_ON_ONCE(size > zone->nr_reserved_highatomic))
				size = zone->nr_reserved_highatomic;
			zone->nr_reserved_highatomic -= size;
			if (order < pageblock_order) {
				ret = move_freepages_block(zone, page, MIGRATE_HIGHATOMIC,
							   ac->migratetype);
			} else {
				move_to_free_list(page, zone, order, MIGRATE_HIGHATOMIC,
						  ac->migratetype);
				change_pageblock_range(page, order, ac->migratetype);
				ret = 1;
			}
			WARN_ON_ONCE(ret == -1);
			if (ret > 0) {
				spin_unlock(&zone->lock);
				return true;
			}
		}
		spin_unlock(&zone->lock);
	}
	return false;
}

/* ---- is this page free? (memory-failure and /proc/kpageflags ask) ---- */

/**
 * free_buddy_head - the head of the free buddy block that holds @page
 * @page: any page with a struct page
 *
 * A free block of order o starts at a pfn aligned to 2^o, so the head of
 * the block holding @pfn, if any, is @pfn with its low o bits cleared for
 * some o; it is that block when it is PageBuddy with an order of at least o:
 *
 *   pfn 0x1235 -> try 0x1235 (o 0), 0x1234 (o 1), 0x1234 (o 2), 0x1230 (o 3) ...
 *   [0x1230 ............ PageBuddy, order 3 ............ 0x1238)  found
 *
 * Context: zone->lock held, or a machine nobody else changes (a racing
 * allocation may make the answer stale at once otherwise).
 * Return: the head page, or NULL if @page is not in a free buddy block.
 */
struct page *free_buddy_head(const struct page *page)
{
	unsigned long pfn = page_to_pfn(page);

	for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++) {
		unsigned long head_pfn = pfn & ~((1UL << order) - 1);
		struct page *head = pfn_to_page(head_pfn);

		if (head_pfn != pfn && !pfn_valid(head_pfn))
			break;
		if (PageBuddy(head) && buddy_order(head) >= order)
			return head;
	}
	return NULL;
}

/**
 * is_free_buddy_page - is @page in a free block of the buddy allocator?
 * @page: any page with a struct page
 *
 * Pages on the per-CPU lists are not: they are free but owned by a CPU
 * (the kernel's answer too).
 *
 * Context: takes zone->lock.
 * Return: true if some free block on the zone's free lists holds @page.
 */
bool is_free_buddy_page(const struct page *page)
{
	struct zone *zone = page_zone(page);
	bool free;

	spin_lock(&zone->lock);
	free = free_buddy_head(page) != NULL;
	spin_unlock(&zone->lock);
	return free;
}

/* ---- the free-list invariant checker ---- */

#define check(cond, fmt, ...)                                                          \
	do {                                                                           \
		if (unlikely(!(cond))) {                                               \
			pr_err("validate_free_lists: node %d zone %s: " fmt "\n",      \
			       zone_to_nid(zone), zone->name, ##__VA_ARGS__);          \
			ret = -EINVAL;                                                 \
			goto out_unlock;                                               \
		}                                                                      \
	} while (0)

/**
 * validate_free_lists - check the free-list invariants of @zone
 * @zone: any zone (unpopulated zones must have empty lists)
 *
 * Checks every block on every list (see the file header for the list of
 * invariants), then the counters derived from them, then the per-CPU
 * lists (validate_pcp_lists()).  The first violation is reported to the
 * kernel log with pr_err().
 *
 * Context: takes zone->lock and each pcp->lock; no concurrent allocator
 * activity may change NR_FREE_PAGES's per-CPU deltas meanwhile.
 * Return: 0, or -EINVAL on the first violation.
 */
int validate_free_lists(struct zone *zone)
{
	long free_pages = 0, free_blocks = 0, free_highatomic = 0;
	unsigned long counts[MIGRATE_TYPES];
	int ret = 0;

	spin_lock(&zone->lock);
	for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++) {
		struct free_area *area = &zone->free_area[order];
		unsigned long nr = 0;

		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct page *page;

			list_for_each_entry(page, &area->free_list[mt], buddy_list) {
				unsigned long pfn = page_to_pfn(page), npb;

				check(PageBuddy(page), "pfn %#lx on free_list[%u][%s] is not PageBuddy",
				      pfn, order, migratetype_names[mt]);
				check(buddy_order(page) == order,
				      "pfn %#lx on free_list[%u] has order %u", pfn, order,
				      buddy_order(page));
				check(IS_ALIGNED(pfn, 1UL << order),
				      "pfn %#lx on free_list[%u] is not aligned", pfn, order);
				check(zone_spans_pfn(zone, pfn) &&
				      zone_spans_pfn(zone, pfn + (1UL << order) - 1),
				      "block [%#lx, %#lx) is not inside the zone", pfn,
				      pfn + (1UL << order));
				check(page_zone(page) == zone, "pfn %#lx belongs to zone %s", pfn,
				      page_zone(page)->name);
				check(page_ref_count(page) == 0, "free pfn %#lx has refcount %d", pfn,
				      page_ref_count(page));
				npb = order >= pageblock_order ? 1UL << (order - pageblock_order) : 1;
				for (unsigned long b = 0; b < npb; b++) {
					unsigned long bpfn = pfn + b * pageblock_nr_pages;
					int bmt = get_pfnblock_migratetype(pfn_to_page(bpfn), bpfn);

					check(bmt == mt,
					      "pfn %#lx on the %s list of order %u is in a %s pageblock",
					      pfn, migratetype_names[mt], order, migratetype_names[bmt]);
				}
				nr++;
				if (mt == MIGRATE_ISOLATE)
					continue;
				free_pages += 1L << order;
				if (order >= pageblock_order)
					free_blocks += 1L << order;
				if (mt == MIGRATE_HIGHATOMIC)
					free_highatomic += 1L << order;
			}
		}
		check(nr == area->nr_free, "free_area[%u].nr_free is %lu, lists hold %lu", order,
		      area->nr_free, nr);
		check(!!(zone->free_lists_nonempty & (1u << (2 * order))) ==
		      (!list_empty(&area->free_list[MIGRATE_UNMOVABLE]) ||
		       !list_empty(&area->free_list[MIGRATE_MOVABLE]) ||
		       !list_empty(&area->free_list[MIGRATE_RECLAIMABLE])) &&
		      !!(zone->free_lists_nonempty & (2u << (2 * order))) ==
		      !list_empty(&area->free_list[MIGRATE_HIGHATOMIC]),
		      "free_lists_nonempty %#x disagrees with the lists of order %u",
		      zone->free_lists_nonempty, order);
	}
	check(zone_page_state_snapshot(zone, NR_FREE_PAGES) == free_pages,
	      "NR_FREE_PAGES is %ld, free lists hold %ld", zone_page_state_snapshot(zone, NR_FREE_PAGES),
	      free_pages);
	check(zone_page_state_snapshot(zone, NR_FREE_PAGES_BLOCKS) == free_blocks,
	      "NR_FREE_PAGES_BLOCKS is %ld, free blocks hold %ld",
	      zone_page_state_snapshot(zone, NR_FREE_PAGES_BLOCKS), free_blocks);
	check((long)zone->nr_free_highatomic == free_highatomic,
	      "nr_free_highatomic is %lu, HIGHATOMIC lists hold %ld", zone->nr_free_highatomic,
	      free_highatomic);
	if (populated_zone(zone)) {
		pagetypeinfo_count_blocks(zone, counts);
		check(counts[MIGRATE_HIGHATOMIC] * pageblock_nr_pages == zone->nr_reserved_highatomic,
		      "nr_reserved_highatomic is %lu, %lu HIGHATOMIC pageblocks",
		      zone->nr_reserved_highatomic, counts[MIGRATE_HIGHATOMIC]);
	}
out_unlock:
	spin_unlock(&zone->lock);
	if (ret)
		return ret;
	return validate_pcp_lists(zone);
}
