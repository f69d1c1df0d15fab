/* SPDX-License-Identifier: MIT */
/*
 * alloc_pages.c - the page allocator's front end: from a GFP mask to a
 * page and back.
 *
 * Mirrors the allocation and free paths of the kernel's mm/page_alloc.c:
 *
 *   alloc_pages(gfp, order)
 *     __alloc_pages(gfp, order, nid, nodemask)
 *       prepare_alloc_pages    highest zone (gfp_zone), zonelist, migrate
 *                              type, fault injection
 *       get_page_from_freelist walk the zonelist: for each zone with index
 *                              <= highest_zoneidx, check the watermark
 *                              (ALLOC_WMARK_LOW first), then rmqueue():
 *                              per-CPU list for pcp orders, else the buddy
 *       __alloc_pages_slowpath min watermark, kswapd, reserves, direct
 *                              reclaim/compaction hooks, drain, retry, OOM
 *                              hook, then "page allocation failure"
 *     prep_new_page            refcount 1, zeroing, compound pages
 *
 *   alloc_pages_bulk(gfp, nr, array)   order-0 pages into the NULL slots of
 *                              an array, off one pcp list under one lock
 *                              hold; one page via __alloc_pages() when
 *                              that cannot start
 *
 *   __free_pages(page, order) / put_page(page)
 *     refcount drop to 0 -> free_pages_prepare (bad page checks: a page in
 *     a bad state is reported, leaked, and the machine carries on)
 *     -> per-CPU list (pcp orders) or the buddy (__free_one_page)
 *
 * The slow path follows the kernel's order (fact sheet 2.7).  Reclaim,
 * compaction and the OOM killer arrive with later mechanisms through the
 * linmm_*_hook pointers; while a hook is NULL its step makes no progress.
 * Two deliberate differences: the pcp drain after direct reclaim happens
 * even when reclaim made no progress (before reclaim exists, pages parked
 * on other CPUs' lists are the only memory a failing request can get
 * back), and the retry loop is bounded (SLOWPATH_MAX_LOOPS), __GFP_NOFAIL
 * included, because a simulation without reclaim would otherwise spin
 * forever on one host thread.
 *
 * Locks: none of its own; see page_alloc.c and pcp.c.  May be called from
 * any host thread that entered a simulated CPU.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linmm/fault-inject.h>
#include <linmm/gfp.h>
#include <linmm/highmem.h>
#include <linmm/memblock.h>
#include <linmm/mm.h>
#include <linmm/printk.h>
#include <linmm/ratelimit.h>
#include <linmm/smp.h>
#include <linmm/vmstat.h>

#include "arch/arch.h"
#include "kernel/machine.h"
#include "kernel/trace/trace.h"
#include "mm/internal.h"

_Static_assert(__GFP_HIGH == ALLOC_MIN_RESERVE, "__GFP_HIGH doubles as ALLOC_MIN_RESERVE");
_Static_assert(__GFP_KSWAPD_RECLAIM == ALLOC_KSWAPD, "__GFP_KSWAPD_RECLAIM doubles as ALLOC_KSWAPD");

/* Passes through the slow path's retry label before linmm gives up (see header). */
#define SLOWPATH_MAX_LOOPS 64

void (*linmm_wakeup_kswapd_hook)(struct zone *zone, gfp_t gfp_flags, int order, int highest_zoneidx);
unsigned long (*linmm_try_to_free_pages_hook)(struct zonelist *zonelist, int order, gfp_t gfp_mask,
					      const unsigned long *nodemask);
bool (*linmm_try_to_compact_pages_hook)(gfp_t gfp_mask, unsigned int order, unsigned int alloc_flags,
					const struct alloc_context *ac);
bool (*linmm_out_of_memory_hook)(gfp_t gfp_mask, int order, const unsigned long *nodemask);

/* ---- GFP semantics ---- */

/*
 * GFP_ZONE_TABLE: zone modifier bits -> highest usable zone; -1 marks
 * the invalid combinations (more than one of DMA, DMA32, HIGHMEM).
 */
static const signed char gfp_zone_table[16] = {
	[0] = ZONE_NORMAL,
	[___GFP_DMA] = ZONE_DMA,
	[___GFP_HIGHMEM] = ZONE_HIGHMEM,
	[___GFP_DMA32] = ZONE_DMA32,
	[___GFP_MOVABLE] = ZONE_NORMAL,
	[___GFP_MOVABLE | ___GFP_DMA] = ZONE_DMA,
	[___GFP_MOVABLE | ___GFP_HIGHMEM] = ZONE_MOVABLE,
	[___GFP_MOVABLE | ___GFP_DMA32] = ZONE_DMA32,
	[___GFP_DMA | ___GFP_HIGHMEM] = -1,
	[___GFP_DMA | ___GFP_DMA32] = -1,
	[___GFP_DMA32 | ___GFP_HIGHMEM] = -1,
	[___GFP_DMA | ___GFP_DMA32 | ___GFP_HIGHMEM] = -1,
	[___GFP_MOVABLE | ___GFP_DMA | ___GFP_HIGHMEM] = -1,
	[___GFP_MOVABLE | ___GFP_DMA | ___GFP_DMA32] = -1,
	[___GFP_MOVABLE | ___GFP_DMA32 | ___GFP_HIGHMEM] = -1,
	[___GFP_MOVABLE | ___GFP_DMA | ___GFP_DMA32 | ___GFP_HIGHMEM] = -1,
};

int gfp_zone(gfp_t flags)
{
	int z = gfp_zone_table[flags & GFP_ZONEMASK];

	if (z < 0)
		return -1;
	/* OPT_ZONE_*: a zone the arch does not configure collapses to Normal. */
	if (!arch_zone_configured(z))
		z = ZONE_NORMAL;
	return z;
}

/* ---- statistics ---- */

/**
 * zone_statistics - NUMA accounting of one allocation from @z
 * @preferred_zone: the first zone of the allocation's zonelist
 * @z: the zone the pages came from
 *
 * numa_hit or numa_miss (+ numa_foreign on the preferred zone) by node of
 * the preferred zone, numa_local or numa_other by node of the running CPU.
 * Counted only when the arch model has NUMA.
 *
 * Context: any.
 */
void zone_statistics(struct zone *preferred_zone, struct zone *z)
{
	if (!linmm_arch->numa)
		return;
	if (zone_to_nid(z) == zone_to_nid(preferred_zone)) {
		__count_numa_event(z, NUMA_HIT);
	} else {
		__count_numa_event(z, NUMA_MISS);
		__count_numa_event(preferred_zone, NUMA_FOREIGN);
	}
	/* One node: every allocation is local (and cpu_to_node() need not run). */
	if (nr_online_nodes == 1 || zone_to_nid(z) == numa_node_id())
		__count_numa_event(z, NUMA_LOCAL);
	else
		__count_numa_event(z, NUMA_OTHER);
}

/* ---- watermarks ---- */

/* Free pages this request may not count: its own size, reserves it has no right to. */
static long zone_watermark_unusable_free(struct zone *z, unsigned int order, unsigned int alloc_flags)
{
	long unusable_free = (1L << order) - 1;

	if (likely(!(alloc_flags & ALLOC_RESERVES)))
		unusable_free += (long)__atomic_load_n(&z->nr_free_highatomic, __ATOMIC_RELAXED);
	return unusable_free;
}

/**
 * __zone_watermark_ok - would an allocation leave @z above @mark?
 * @z: the zone
 * @order: order of the request
 * @mark: watermark in pages (min/low/high, boost included)
 * @highest_zoneidx: highest zone the request may use (selects lowmem_reserve)
 * @alloc_flags: ALLOC_*: MIN_RESERVE lowers the mark by half, NON_BLOCK by a
 *	further quarter, OOM by half again
 * @free_pages: the zone's free pages as the caller counted them
 *
 * Order 0 passes when free pages (less unusable reserves) stay above
 * mark + lowmem_reserve[highest_zoneidx]; higher orders also need a free
 * block of at least @order on a list they may use.
 *
 * Context: any (reads free_lists_nonempty without zone->lock: a hint, not a
 * promise).
 * Return: true if the allocation may go ahead.
 */
bool __zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
			 int highest_zoneidx, unsigned int alloc_flags, long free_pages)
{
	long min = (long)mark;
	unsigned int nonempty;

	free_pages -= zone_watermark_unusable_free(z, order, alloc_flags);
	if (unlikely(alloc_flags & ALLOC_RESERVES)) {
		if (alloc_flags & ALLOC_MIN_RESERVE) {
			min -= min / 2;
			if (alloc_flags & ALLOC_NON_BLOCK)
				min -= min / 4;
		}
		if (alloc_flags & ALLOC_OOM)
			min -= min / 2;
	}
	if (free_pages <= min + z->lowmem_reserve[highest_zoneidx])
		return false;
	if (!order)
		return true;
	/* Bits 2o: a mobility list of order o has blocks; 2o+1: the HIGHATOMIC list. */
	nonempty = __atomic_load_n(&z->free_lists_nonempty, __ATOMIC_RELAXED) >> (2 * order);
	if (!(alloc_flags & (ALLOC_HIGHATOMIC | ALLOC_OOM)))
		nonempty &= 0x55555555u;
	return nonempty != 0;
}

/**
 * zone_watermark_ok - __zone_watermark_ok() with the zone's NR_FREE_PAGES
 * @z: the zone
 * @order: order of the request
 * @mark: watermark in pages
 * @highest_zoneidx: highest usable zone index
 * @alloc_flags: ALLOC_*
 *
 * Context: any.
 * Return: true if the allocation may go ahead.
 */
bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
		       int highest_zoneidx, unsigned int alloc_flags)
{
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags,
				   zone_page_state(z, NR_FREE_PAGES));
}

/**
 * zone_watermark_ok_safe - zone_watermark_ok() counting per-CPU deltas too
 * @z: the zone
 * @order: order of the request
 * @mark: watermark in pages
 * @highest_zoneidx: highest usable zone index
 *
 * Context: any.
 * Return: true if the allocation may go ahead.
 */
bool zone_watermark_ok_safe(struct zone *z, unsigned int order, unsigned long mark,
			    int highest_zoneidx)
{
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, 0,
				   zone_page_state_snapshot(z, NR_FREE_PAGES));
}

static bool zone_watermark_fast(struct zone *z, unsigned int order, unsigned long mark,
				int highest_zoneidx, unsigned int alloc_flags, gfp_t gfp_mask)
{
	long free_pages = zone_page_state(z, NR_FREE_PAGES);

	/* Quick order-0 check; on failure the reserves are computed exactly. */
	if (!order) {
		long usable_free = free_pages;
		long reserved = zone_watermark_unusable_free(z, 0, alloc_flags);

		usable_free -= min(usable_free, reserved);
		if (usable_free > (long)mark + z->lowmem_reserve[highest_zoneidx])
			return true;
	}
	if (__zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags, free_pages))
		return true;
	/*
	 * __GFP_HIGH order-0 requests checking the min watermark ignore the
	 * boost: min is where boosting stops mattering.
	 */
	if (unlikely(!order && (alloc_flags & ALLOC_MIN_RESERVE) && z->watermark_boost &&
		     (alloc_flags & ALLOC_WMARK_MASK) == WMARK_MIN))
		return __zone_watermark_ok(z, order, z->_watermark[WMARK_MIN], highest_zoneidx,
					   alloc_flags, free_pages);
	return false;
}

/* ---- page state at the allocator boundary ---- */

/* Flags a page may not carry when freed / when handed out (the kernel's masks). */
#define PAGE_FLAGS_CHECK_AT_FREE                                                            \
	(1UL << PG_lru | 1UL << PG_locked | 1UL << PG_private | 1UL << PG_private_2 |       \
	 1UL << PG_writeback | 1UL << PG_reserved | 1UL << PG_active | 1UL << PG_unevictable | \
	 1UL << PG_mlocked)
#define PAGEFLAGS_MASK ((1UL << __NR_PAGEFLAGS) - 1)
#define PAGE_FLAGS_CHECK_AT_PREP (PAGEFLAGS_MASK & ~(1UL << PG_hwpoison))

static bool page_expected_state(const struct page *page, unsigned long check_flags)
{
	if (unlikely(atomic_load_explicit(&((struct page *)page)->_mapcount, memory_order_relaxed) != -1))
		return false;
	if (unlikely((unsigned long)page->mapping | (unsigned long)page_ref_count(page) |
		     page->memcg_data | (page->flags & check_flags)))
		return false;
	return true;
}

/* The kernel's page_bad_reason(): the last matching reason wins. */
static const char *page_bad_reason(const struct page *page, unsigned long flags)
{
	const char *bad_reason = NULL;

	if (atomic_load(&((struct page *)page)->_mapcount) != -1)
		bad_reason = "nonzero mapcount";
	if (page->mapping)
		bad_reason = "non-NULL mapping";
	if (page_ref_count(page))
		bad_reason = "nonzero _refcount";
	if (page->flags & flags) {
		if (flags == PAGE_FLAGS_CHECK_AT_PREP)
			bad_reason = "PAGE_FLAGS_CHECK_AT_PREP flag(s) set";
		else
			bad_reason = "PAGE_FLAGS_CHECK_AT_FREE flag set";
	}
	if (page->memcg_data)
		bad_reason = "page still charged to cgroup";
	return bad_reason;
}

static bool free_page_is_bad(struct page *page)
{
	if (likely(page_expected_state(page, PAGE_FLAGS_CHECK_AT_FREE)))
		return false;
	bad_page(page, page_bad_reason(page, PAGE_FLAGS_CHECK_AT_FREE));
	return true;
}

/* A tail page of a compound page being freed: check and clear its links. */
static int free_tail_page_prepare(struct page *head, struct page *page)
{
	int ret = 1;

	if (page - head == 1) {
		/* The first tail: these overlay ->mapping. */
		if (atomic_load(&page->_entire_mapcount) != -1) {
			bad_page(page, "nonzero entire_mapcount");
			goto out;
		}
		if (atomic_load(&page->_pincount)) {
			bad_page(page, "nonzero pincount");
			goto out;
		}
		page->mapping = NULL;
	} else if (page->mapping) {
		bad_page(page, "corrupted mapping in tail page");
		goto out;
	}
	if (unlikely(!PageTail(page))) {
		bad_page(page, "PageTail not set");
		goto out;
	}
	if (unlikely(compound_head(page) != head)) {
		bad_page(page, "compound_head not consistent");
		goto out;
	}
	ret = 0;
out:
	page->mapping = NULL;
	page->compound_head = 0;
	return ret;
}

/**
 * free_pages_prepare - check and clean a block that is being freed
 * @page: head page, refcount already 0
 * @order: order of the block
 *
 * The head page is always checked; tail pages of compound pages always
 * have their links checked; every other page of the block is checked with
 * CONFIG_DEBUG_VM.  Unlike the kernel, a page that still has the buddy
 * type is reported rather than reset: only a double free gets it here,
 * and resetting it would corrupt the free list that holds it.
 *
 * Context: any.
 * Return: true if the block may be freed; false if a bad page was reported
 * (the block is then leaked, as in the kernel).
 */
bool free_pages_prepare(struct page *page, unsigned int order)
{
	bool compound = PageHead(page);
	int bad = 0;

	VM_BUG_ON(PageTail(page));
	if (trace_event_enabled(TRACE_MM_PAGE_FREE))
		trace_mm_page_free(page, order);
	if (compound && compound_order(page) != order) {
		bad_page(page, "compound order mismatch");
		return false;
	}
	if (unlikely(order)) {
		for (unsigned long i = 1; i < (1UL << order); i++) {
			struct page *p = page + i;

			if (compound)
				bad += free_tail_page_prepare(page, p);
			if (IS_ENABLED(CONFIG_DEBUG_VM) && free_page_is_bad(p)) {
				bad++;
				continue;
			}
			p->flags &= ~PAGE_FLAGS_CHECK_AT_PREP;
		}
	}
	if (unlikely(page_has_type(page)) && !PageBuddy(page))
		page->page_type = PAGE_TYPE_NONE;
	/* An anonymous page keeps its anon_vma (| PAGE_MAPPING_ANON) until freed. */
	if ((uintptr_t)page->mapping & PAGE_MAPPING_ANON)
		page->mapping = NULL;
	if (free_page_is_bad(page))
		bad++;
	if (bad)
		return false;
	page->flags &= ~PAGE_FLAGS_CHECK_AT_PREP;
	page->private = 0;
	return true;
}

/**
 * check_new_pages - check the pages of a block about to be handed out
 * @page: head page
 * @order: order of the block
 *
 * Every page with CONFIG_DEBUG_VM, the head page always.  A bad page is
 * reported and dropped (leaked); the caller takes another block.
 *
 * Context: any.
 * Return: true if a page was bad.
 */
bool check_new_pages(struct page *page, unsigned int order)
{
	unsigned long nr = IS_ENABLED(CONFIG_DEBUG_VM) ? 1UL << order : 1;

	for (unsigned long i = 0; i < nr; i++) {
		struct page *p = page + i;

		if (likely(page_expected_state(p, PAGE_FLAGS_CHECK_AT_PREP | 1UL << PG_hwpoison)))
			continue;
		if (PageHWPoison(p)) {
			/* Poisoned pages stay out of use without a report. */
			if (PageBuddy(p))
				__ClearPageBuddy(p);
		} else {
			bad_page(p, page_bad_reason(p, PAGE_FLAGS_CHECK_AT_PREP));
		}
		return true;
	}
	return false;
}

/**
 * prep_compound_page - make a block a compound page
 * @page: head page of a block of 2^@order pages, @order >= 1
 * @order: its order
 *
 * Head gets PG_head; every tail points at the head (compound_head | 1);
 * the first tail holds the order, entire_mapcount -1 and pincount 0.
 *
 * Context: any; the block is owned by the caller.
 */
void prep_compound_page(struct page *page, unsigned int order)
{
	unsigned long nr_pages = 1UL << order;

	SetPageHead(page);
	for (unsigned long i = 1; i < nr_pages; i++) {
		struct page *p = page + i;

		p->compound_head = (unsigned long)page | 1;
		p->private = 0;
	}
	page[1].compound_order = (unsigned char)order;
	atomic_store(&page[1]._entire_mapcount, -1);
	atomic_store(&page[1]._pincount, 0);
}

static void prep_new_page(struct page *page, unsigned int order, gfp_t gfp_flags,
			  unsigned int alloc_flags)
{
	page->private = 0;
	init_page_count(page);
	/*
	 * __GFP_ZERO: with backing=none RAM has no contents to clear.  Highmem
	 * pages have no kernel address: each is zeroed through a kmap_local
	 * slot (clear_highpage(), as the kernel's kernel_init_pages() does).
	 */
	if ((gfp_flags & __GFP_ZERO) && boot_params.backing != LINMM_BACKING_NONE) {
		if (!PageHighMem(page))
			memset(page_address(page), 0, PAGE_SIZE << order);
		else
			for (unsigned long i = 0; i < (1UL << order); i++)
				clear_highpage(page + i);
	}
	if (order && (gfp_flags & __GFP_COMP))
		prep_compound_page(page, order);
	if (alloc_flags & ALLOC_NO_WATERMARKS)
		set_page_pfmemalloc(page);
	else
		clear_page_pfmemalloc(page);
}

/* ---- taking pages from a zone ---- */

static struct page *rmqueue_buddy(struct zone *preferred_zone, struct zone *zone,
				  unsigned int order, unsigned int alloc_flags, int migratetype)
{
	struct page *page;

	do {
		page = NULL;
		spin_lock(&zone->lock);
		if (alloc_flags & ALLOC_HIGHATOMIC)
			page = __rmqueue_smallest(zone, order, MIGRATE_HIGHATOMIC);
		if (!page) {
			enum rmqueue_mode rmqm = RMQUEUE_NORMAL;

			page = __rmqueue(zone, order, migratetype, alloc_flags, &rmqm);
			/*
			 * Failing now is worse than failing a high-order atomic
			 * later: OOM victims and atomic requests may take the
			 * HIGHATOMIC reserve.
			 */
			if (!page && (alloc_flags & (ALLOC_OOM | ALLOC_NON_BLOCK)))
				page = __rmqueue_smallest(zone, order, MIGRATE_HIGHATOMIC);
			if (!page) {
				spin_unlock(&zone->lock);
				return NULL;
			}
		}
		spin_unlock(&zone->lock);
	} while (check_new_pages(page, order));

	__count_zid_vm_events(PGALLOC, zone_idx(zone), 1L << order);
	zone_statistics(preferred_zone, zone);
	return page;
}

static struct page *rmqueue(struct zone *preferred_zone, struct zone *zone, unsigned int order,
			    unsigned int alloc_flags, int migratetype)
{
	struct page *page = NULL;

	if (likely(pcp_allowed_order(order)))
		page = rmqueue_pcplist(preferred_zone, zone, order, migratetype, alloc_flags);
	if (!page)
		page = rmqueue_buddy(preferred_zone, zone, order, alloc_flags, migratetype);

	if ((alloc_flags & ALLOC_KSWAPD) && unlikely(zone_test_flag(zone, ZONE_BOOSTED_WATERMARK))) {
		zone_clear_flag(zone, ZONE_BOOSTED_WATERMARK);
		if (linmm_wakeup_kswapd_hook)
			linmm_wakeup_kswapd_hook(zone, 0, 0, zone_idx(zone));
	}
	return page;
}

/*
 * ALLOC_NOFRAGMENT for the first pass: a Normal-zone allocation on a node
 * that also has DMA32 should try other zones before mixing pageblocks.
 * Also carries ALLOC_KSWAPD from __GFP_KSWAPD_RECLAIM.
 */
static unsigned int alloc_flags_nofragment(struct zone *zone, gfp_t gfp_mask)
{
	unsigned int alloc_flags = gfp_mask & __GFP_KSWAPD_RECLAIM;

	if (!arch_zone_configured(ZONE_DMA32) || !zone || zone_idx(zone) != ZONE_NORMAL)
		return alloc_flags;
	if (nr_online_nodes > 1 && !populated_zone(zone - 1))
		return alloc_flags;
	return alloc_flags | ALLOC_NOFRAGMENT;
}

static struct page *get_page_from_freelist(gfp_t gfp_mask, unsigned int order, int alloc_flags,
					   const struct alloc_context *ac)
{
	struct zoneref *z;
	struct zone *zone;
	bool no_fallback;

retry:
	no_fallback = alloc_flags & ALLOC_NOFRAGMENT;
	z = ac->preferred_zoneref;
	for_next_zone_zonelist_nodemask(zone, z, ac->highest_zoneidx, ac->nodemask) {
		struct page *page;
		unsigned long mark;

		/* Moving to a remote node: locality beats fragmentation avoidance. */
		if (no_fallback && nr_online_nodes > 1 && zone != ac->preferred_zoneref->zone &&
		    zone_to_nid(zone) != zone_to_nid(ac->preferred_zoneref->zone)) {
			alloc_flags &= ~ALLOC_NOFRAGMENT;
			goto retry;
		}
		/*
		 * Note when free pages fall below the high watermark: frees then
		 * shrink pcp->high so that pcp lists do not trigger reclaim early.
		 */
		if (!zone_test_flag(zone, ZONE_BELOW_HIGH)) {
			mark = high_wmark_pages(zone);
			if (zone_watermark_fast(zone, order, mark, ac->highest_zoneidx, alloc_flags,
						gfp_mask))
				goto try_this_zone;
			zone_set_flag(zone, ZONE_BELOW_HIGH);
		}
		mark = wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK);
		if (!zone_watermark_fast(zone, order, mark, ac->highest_zoneidx, alloc_flags,
					 gfp_mask) &&
		    !(alloc_flags & ALLOC_NO_WATERMARKS))
			continue;	/* node_reclaim (zone_reclaim_mode) is off */
try_this_zone:
		page = rmqueue(ac->preferred_zoneref->zone, zone, order, alloc_flags,
			       ac->migratetype);
		if (page) {
			prep_new_page(page, order, gfp_mask, alloc_flags);
			if (unlikely(alloc_flags & ALLOC_HIGHATOMIC))
				reserve_highatomic_pageblock(page, order, zone);
			return page;
		}
	}
	/* Every zone was fragmented: try again, mixing pageblocks if needed. */
	if (no_fallback) {
		alloc_flags &= ~ALLOC_NOFRAGMENT;
		goto retry;
	}
	return NULL;
}

static bool prepare_alloc_pages(gfp_t gfp_mask, unsigned int order, int preferred_nid,
				const unsigned long *nodemask, struct alloc_context *ac)
{
	ac->zonelist = node_zonelist(preferred_nid, gfp_mask);
	ac->nodemask = nodemask;
	ac->migratetype = gfp_migratetype(gfp_mask);
	if (unlikely(fail_page_alloc.attr.probability) && should_fail_alloc_page(gfp_mask, order))
		return false;
	ac->preferred_zoneref = next_zones_zonelist(ac->zonelist->_zonerefs, ac->highest_zoneidx,
						    ac->nodemask);
	return true;
}

/* ---- the slow path ---- */

static unsigned int gfp_to_alloc_flags(gfp_t gfp_mask, unsigned int order)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN | ALLOC_CPUSET;

	/* __GFP_HIGH is ALLOC_MIN_RESERVE, __GFP_KSWAPD_RECLAIM is ALLOC_KSWAPD. */
	alloc_flags |= gfp_mask & (__GFP_HIGH | __GFP_KSWAPD_RECLAIM);
	if (!(gfp_mask & __GFP_DIRECT_RECLAIM)) {
		/* Cannot sleep: may dig deeper, unless it said __GFP_NOMEMALLOC. */
		if (!(gfp_mask & __GFP_NOMEMALLOC)) {
			alloc_flags |= ALLOC_NON_BLOCK;
			if (order > 0 && (alloc_flags & ALLOC_MIN_RESERVE))
				alloc_flags |= ALLOC_HIGHATOMIC;
		}
		if (alloc_flags & ALLOC_MIN_RESERVE)
			alloc_flags &= ~ALLOC_CPUSET;
	}
	return alloc_flags;
}

/* Reserve access without watermarks: __GFP_MEMALLOC (no tasks, no PF_MEMALLOC yet). */
static unsigned int gfp_pfmemalloc_flags(gfp_t gfp_mask)
{
	if (unlikely(gfp_mask & __GFP_NOMEMALLOC))
		return 0;
	if (gfp_mask & __GFP_MEMALLOC)
		return ALLOC_NO_WATERMARKS;
	return 0;
}

/* Wake kswapd once per node of the zonelist. */
static void wake_all_kswapds(unsigned int order, gfp_t gfp_mask, const struct alloc_context *ac)
{
	struct zone *zone;
	struct zoneref *z;
	pg_data_t *last_pgdat = NULL;

	if (!linmm_wakeup_kswapd_hook)
		return;
	for_each_zone_zonelist_nodemask(zone, z, ac->zonelist, ac->highest_zoneidx, ac->nodemask) {
		if (!managed_zone(zone) || last_pgdat == zone->zone_pgdat)
			continue;
		linmm_wakeup_kswapd_hook(zone, gfp_mask, (int)order, ac->highest_zoneidx);
		last_pgdat = zone->zone_pgdat;
	}
}

static struct page *alloc_pages_direct_compact(gfp_t gfp_mask, unsigned int order,
					       unsigned int alloc_flags,
					       const struct alloc_context *ac)
{
	if (!order || !linmm_try_to_compact_pages_hook)
		return NULL;
	if (!linmm_try_to_compact_pages_hook(gfp_mask, order, alloc_flags, ac))
		return NULL;
	return get_page_from_freelist(gfp_mask, order, (int)alloc_flags, ac);
}

/*
 * Direct reclaim, then the freelists again; on failure release a
 * HIGHATOMIC pageblock, drain every CPU's pcp lists and retry once.
 */
static struct page *alloc_pages_direct_reclaim(gfp_t gfp_mask, unsigned int order,
					       unsigned int alloc_flags,
					       const struct alloc_context *ac,
					       unsigned long *did_some_progress)
{
	struct page *page;
	bool drained = false;

	*did_some_progress = 0;
	if (linmm_try_to_free_pages_hook)
		*did_some_progress = linmm_try_to_free_pages_hook(ac->zonelist, (int)order, gfp_mask,
								  ac->nodemask);
retry:
	page = get_page_from_freelist(gfp_mask, order, (int)alloc_flags, ac);
	if (!page && !drained) {
		unreserve_highatomic_pageblock(ac, false);
		drain_all_pages(NULL);
		drained = true;
		goto retry;
	}
	return page;
}

/* Reclaimable pages of a zone: file LRU (anonymous pages need swap). */
static unsigned long zone_reclaimable_pages(struct zone *zone)
{
	return (unsigned long)(zone_page_state_snapshot(zone, NR_ZONE_INACTIVE_FILE) +
			       zone_page_state_snapshot(zone, NR_ZONE_ACTIVE_FILE));
}

/*
 * should_reclaim_retry - retry while reclaim makes progress and some zone
 * would pass the min watermark if all its reclaimable pages were freed;
 * give up after MAX_RECLAIM_RETRIES fruitless rounds, releasing the
 * HIGHATOMIC reserve first.
 */
static bool should_reclaim_retry(gfp_t gfp_mask, unsigned int order, struct alloc_context *ac,
				 unsigned int alloc_flags, bool did_some_progress,
				 int *no_progress_loops)
{
	struct zone *zone;
	struct zoneref *z;

	if (did_some_progress && order <= PAGE_ALLOC_COSTLY_ORDER)
		*no_progress_loops = 0;
	else
		(*no_progress_loops)++;
	if (*no_progress_loops > MAX_RECLAIM_RETRIES)
		goto out;

	for_each_zone_zonelist_nodemask(zone, z, ac->zonelist, ac->highest_zoneidx, ac->nodemask) {
		long available = (long)zone_reclaimable_pages(zone) +
				 zone_page_state_snapshot(zone, NR_FREE_PAGES);

		if (__zone_watermark_ok(zone, order, min_wmark_pages(zone), ac->highest_zoneidx,
					alloc_flags, available))
			return true;
	}
out:
	return unreserve_highatomic_pageblock(ac, true);
}

/* The OOM step: a last high-watermark attempt, then the OOM killer hook. */
static struct page *alloc_pages_may_oom(gfp_t gfp_mask, unsigned int order,
					const struct alloc_context *ac,
					unsigned long *did_some_progress)
{
	struct page *page;
	bool killed;

	*did_some_progress = 0;
	/* Someone may have freed memory meanwhile: a very high watermark catches races. */
	page = get_page_from_freelist((gfp_mask | __GFP_HARDWALL) & ~__GFP_DIRECT_RECLAIM, order,
				      ALLOC_WMARK_HIGH | ALLOC_CPUSET, ac);
	if (page)
		return page;
	/* The OOM killer does not run for these. */
	if (order > PAGE_ALLOC_COSTLY_ORDER)
		return NULL;
	if (gfp_mask & (__GFP_RETRY_MAYFAIL | __GFP_THISNODE))
		return NULL;
	if (ac->highest_zoneidx < ZONE_NORMAL)
		return NULL;

	killed = linmm_out_of_memory_hook && linmm_out_of_memory_hook(gfp_mask, (int)order,
								       ac->nodemask);
	if (killed || WARN_ON_ONCE(gfp_mask & __GFP_NOFAIL)) {
		*did_some_progress = 1;
		/* __GFP_NOFAIL that the OOM killer could not help may use everything. */
		if (gfp_mask & __GFP_NOFAIL)
			page = get_page_from_freelist(gfp_mask, order, ALLOC_NO_WATERMARKS, ac);
	}
	return page;
}

static struct page *__alloc_pages_slowpath(gfp_t gfp_mask, unsigned int order,
					   struct alloc_context *ac)
{
	bool can_direct_reclaim = gfp_mask & __GFP_DIRECT_RECLAIM;
	bool can_compact = linmm_try_to_compact_pages_hook && (gfp_mask & __GFP_IO);
	bool costly_order = order > PAGE_ALLOC_COSTLY_ORDER;
	unsigned long did_some_progress;
	unsigned int alloc_flags, reserve_flags;
	int no_progress_loops = 0, loops = 0;
	struct page *page;

	alloc_flags = gfp_to_alloc_flags(gfp_mask, order);
	ac->preferred_zoneref = next_zones_zonelist(ac->zonelist->_zonerefs, ac->highest_zoneidx,
						    ac->nodemask);
	if (!ac->preferred_zoneref->zone)
		goto nopage;

	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(order, gfp_mask, ac);

	/* The min watermark, with the reserves the request may use. */
	page = get_page_from_freelist(gfp_mask, order, (int)alloc_flags, ac);
	if (page)
		goto got_pg;

	/* Costly or unmovable high orders try compaction before reclaim. */
	if (can_direct_reclaim && can_compact &&
	    (costly_order || (order > 0 && ac->migratetype != MIGRATE_MOVABLE)) &&
	    !gfp_pfmemalloc_flags(gfp_mask)) {
		page = alloc_pages_direct_compact(gfp_mask, order, alloc_flags, ac);
		if (page)
			goto got_pg;
		if (costly_order && (gfp_mask & __GFP_NORETRY))
			goto nopage;
	}

retry:
	if (++loops > SLOWPATH_MAX_LOOPS)
		goto fail;
	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(order, gfp_mask, ac);

	reserve_flags = gfp_pfmemalloc_flags(gfp_mask);
	if (reserve_flags)
		alloc_flags = reserve_flags | (alloc_flags & ALLOC_KSWAPD);
	if (!(alloc_flags & ALLOC_CPUSET) || reserve_flags) {
		ac->nodemask = NULL;
		ac->preferred_zoneref = next_zones_zonelist(ac->zonelist->_zonerefs,
							    ac->highest_zoneidx, NULL);
	}

	page = get_page_from_freelist(gfp_mask, order, (int)alloc_flags, ac);
	if (page)
		goto got_pg;

	if (!can_direct_reclaim)
		goto nopage;

	page = alloc_pages_direct_reclaim(gfp_mask, order, alloc_flags, ac, &did_some_progress);
	if (page)
		goto got_pg;

	if (can_compact) {
		page = alloc_pages_direct_compact(gfp_mask, order, alloc_flags, ac);
		if (page)
			goto got_pg;
	}

	if (gfp_mask & __GFP_NORETRY)
		goto nopage;
	if (costly_order && (!can_compact || !(gfp_mask & __GFP_RETRY_MAYFAIL)))
		goto nopage;

	if (should_reclaim_retry(gfp_mask, order, ac, alloc_flags, did_some_progress > 0,
				 &no_progress_loops))
		goto retry;

	page = alloc_pages_may_oom(gfp_mask, order, ac, &did_some_progress);
	if (page)
		goto got_pg;
	if (did_some_progress) {
		no_progress_loops = 0;
		goto retry;
	}

nopage:
	if (gfp_mask & __GFP_NOFAIL) {
		/* __GFP_NOFAIL without the right to sleep cannot loop. */
		if (WARN_ON_ONCE(!can_direct_reclaim))
			goto fail;
		WARN_ON_ONCE(costly_order);
		page = get_page_from_freelist(gfp_mask, order, ALLOC_MIN_RESERVE, ac);
		if (page)
			goto got_pg;
		goto retry;
	}
fail:
	warn_alloc(gfp_mask, ac->nodemask, "page allocation failure: order:%u", order);
got_pg:
	return page;
}

/* ---- failure report ---- */

static bool has_managed_dma(void)
{
	int nid;

	for_each_online_node(nid)
		if (managed_zone(&NODE_DATA(nid)->node_zones[ZONE_DMA]))
			return true;
	return false;
}

/* "%*pbl": a node mask as a list of ranges, "0-1,3". */
static void format_nodemask(const unsigned long *nodemask, char *buf, size_t size)
{
	size_t len = 0;
	int nid = 0;

	buf[0] = '\0';
	while (nid < MAX_NUMNODES && len < size) {
		int end;

		if (!((nodemask[0] >> nid) & 1)) {
			nid++;
			continue;
		}
		for (end = nid; end + 1 < MAX_NUMNODES && ((nodemask[0] >> (end + 1)) & 1); end++)
			;
		if (end == nid)
			len += (size_t)snprintf(buf + len, size - len, "%s%d", len ? "," : "", nid);
		else
			len += (size_t)snprintf(buf + len, size - len, "%s%d-%d", len ? "," : "", nid, end);
		nid = end + 1;
	}
}

/**
 * warn_alloc - report an allocation failure as the kernel does
 * @gfp_mask: flags of the failed request (nothing with __GFP_NOWARN)
 * @nodemask: its node mask, NULL for all nodes
 * @fmt: what failed ("page allocation failure: order:%u")
 *
 * Prints "linmm: <fmt>, mode:0x...(GFP names), nodemask=..." and the
 * Mem-Info dump, at most 10 times per 5 s of simulated time.  Requests for
 * ZONE_DMA on machines without a DMA zone stay quiet.
 *
 * Context: any.
 */
void warn_alloc(gfp_t gfp_mask, const unsigned long *nodemask, const char *fmt, ...)
{
	static struct ratelimit_state nopage_rs =
		RATELIMIT_STATE_INIT(DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);
	char what[128], names[512], nodes[128];
	unsigned int filter = SHOW_MEM_FILTER_NODES;
	va_list ap;

	if ((gfp_mask & __GFP_NOWARN) || ((gfp_mask & __GFP_DMA) && !has_managed_dma()))
		return;
	if (!__ratelimit(&nopage_rs))
		return;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	format_gfp_flags(gfp_mask, names, sizeof(names));
	if (nodemask)
		format_nodemask(nodemask, nodes, sizeof(nodes));
	else
		snprintf(nodes, sizeof(nodes), "(null)");
	pr_warn("linmm: %s, mode:0x%x(%s), nodemask=%s\n", what, gfp_mask, names, nodes);
	/* Atomic requests show every node (the kernel's warn_alloc_show_mem()). */
	if (!(gfp_mask & __GFP_DIRECT_RECLAIM))
		filter &= ~SHOW_MEM_FILTER_NODES;
	__show_mem(filter, nodemask, gfp_zone(gfp_mask));
}

/* ---- the API ---- */

/**
 * __alloc_pages - allocate 2^@order contiguous pages
 * @gfp: GFP flags: zone modifiers, mobility, reclaim and reserve rights,
 *	__GFP_ZERO, __GFP_COMP, __GFP_NOWARN, __GFP_THISNODE ...
 * @order: 0..MAX_PAGE_ORDER
 * @preferred_nid: node whose zonelist is walked
 * @nodemask: allowed nodes (one word), NULL for all
 *
 * Context: any thread inside a simulated CPU; takes pcp and zone locks.
 * Return: the head page with refcount 1, or NULL.
 */
struct page *__alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid,
			   const unsigned long *nodemask)
{
	struct alloc_context ac = { 0 };
	unsigned int alloc_flags = ALLOC_WMARK_LOW;
	struct page *page;

	if (order > MAX_PAGE_ORDER) {
		if (!(gfp & __GFP_NOWARN))
			WARN_ON_ONCE(order > MAX_PAGE_ORDER);
		return NULL;
	}
	ac.highest_zoneidx = gfp_zone(gfp);
	if (WARN_ON_ONCE(ac.highest_zoneidx < 0))
		return NULL;
	if (WARN_ON_ONCE(preferred_nid < 0 || preferred_nid >= nr_online_nodes))
		preferred_nid = numa_node_id();
	if (!prepare_alloc_pages(gfp, order, preferred_nid, nodemask, &ac))
		return NULL;

	/* First pass: do not fall back to fragmenting types before trying every local zone. */
	alloc_flags |= alloc_flags_nofragment(ac.preferred_zoneref->zone, gfp);
	page = get_page_from_freelist(gfp, order, (int)alloc_flags, &ac);
	if (unlikely(!page)) {
		ac.nodemask = nodemask;
		page = __alloc_pages_slowpath(gfp, order, &ac);
	}
	if (trace_event_enabled(TRACE_MM_PAGE_ALLOC))
		trace_mm_page_alloc(page, order, gfp, ac.migratetype);
	return page;
}

/**
 * alloc_pages - allocate 2^@order pages following the memory policy
 * @gfp: GFP flags
 * @order: 0..MAX_PAGE_ORDER
 *
 * Context: as __alloc_pages().
 * Return: the head page, or NULL.
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return alloc_pages_mpol_current(gfp, order);
}

/**
 * alloc_pages_node - allocate 2^@order pages, preferring node @nid
 * @nid: node, or NUMA_NO_NODE for the running CPU's node
 * @gfp: GFP flags (__GFP_THISNODE: only @nid)
 * @order: 0..MAX_PAGE_ORDER
 *
 * Context: as __alloc_pages().
 * Return: the head page, or NULL.
 */
struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	if (nid == NUMA_NO_NODE)
		nid = numa_node_id();
	return __alloc_pages(gfp, order, nid, NULL);
}

/* ---- bulk allocation ---- */

/* zone_statistics() for @nr pages taken from @z in one go. */
static void zone_statistics_nr(struct zone *preferred_zone, struct zone *z, int nr)
{
	if (!linmm_arch->numa)
		return;
	while (nr-- > 0)
		zone_statistics(preferred_zone, z);
}

/**
 * __alloc_pages_bulk - fill the empty slots of @page_array with order-0 pages
 * @gfp: GFP flags
 * @preferred_nid: preferred node (a valid node id)
 * @nodemask: allowed nodes (one word), NULL for all
 * @nr_pages: slots in @page_array
 * @page_array: NULL slots are filled, others are kept
 *
 * The kernel's alloc_pages_bulk_noprof().  The first zone of the zonelist
 * (local node only) whose low watermark stays met after all the pages
 * are taken gives them from this CPU's pcp list under one lock hold:
 *
 *   page_array  [ P | P | - | - | P | - | - ]    P populated, - NULL
 *                         ^ first NULL: counting starts here
 *   after       [ P | P | a | b | P | c | d ]    a..d off the pcp list
 *
 * No zone with room, a busy list, a single slot to fill or a list that
 * yields nothing: one page from __alloc_pages() (the slow path, reclaim
 * and the allocation-failure warning are its) goes into the first NULL
 * slot.  A list that runs dry part way stops the fill: the array is then
 * partly populated and the caller decides.  Pages taken in bulk count
 * PGALLOC and the NUMA events once per page, like single allocations, but
 * emit no mm_page_alloc event (the kernel's bulk path has no tracepoint;
 * the single-page fallback emits its own).  fail_page_alloc applies once
 * per call and then returns what is populated.
 *
 * Context: any thread inside a simulated CPU; takes pcp and zone locks;
 * may sleep only in the single-page fallback, if @gfp allows.
 * Return: the number of populated slots from the start of @page_array up
 * to the first NULL one (@nr_pages when the whole array is filled).
 */
unsigned long __alloc_pages_bulk(gfp_t gfp, int preferred_nid, const unsigned long *nodemask,
				 int nr_pages, struct page **page_array)
{
	unsigned int alloc_flags = ALLOC_WMARK_LOW;
	struct alloc_context ac = { 0 };
	int nr_populated = 0, nr_account = 0;
	LIST_HEAD(pages);
	struct zoneref *z;
	struct zone *zone;
	struct page *page;
	int taken;

	/* Skip the populated head: maybe there is nothing to do. */
	while (nr_populated < nr_pages && page_array[nr_populated])
		nr_populated++;
	if (unlikely(nr_pages <= 0) || unlikely(nr_pages - nr_populated == 0))
		goto out;
	/* One page: the single-page allocator does it as well. */
	if (nr_pages - nr_populated == 1)
		goto failed;

	ac.highest_zoneidx = gfp_zone(gfp);
	if (WARN_ON_ONCE(ac.highest_zoneidx < 0))
		goto out;
	if (WARN_ON_ONCE(preferred_nid < 0 || preferred_nid >= nr_online_nodes))
		preferred_nid = numa_node_id();
	if (!prepare_alloc_pages(gfp, 0, preferred_nid, nodemask, &ac))
		goto out;

	/* A local zone that stays above its low watermark after the whole request. */
	z = ac.preferred_zoneref;
	for_next_zone_zonelist_nodemask(zone, z, ac.highest_zoneidx, ac.nodemask) {
		unsigned long mark;

		if (nr_online_nodes > 1 && zone != ac.preferred_zoneref->zone &&
		    zone_to_nid(zone) != zone_to_nid(ac.preferred_zoneref->zone))
			goto failed;
		mark = wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK) +
		       (unsigned long)(nr_pages - nr_populated);
		if (zone_watermark_fast(zone, 0, mark, ac.preferred_zoneref->zone_idx, alloc_flags,
					gfp))
			break;
	}
	if (unlikely(!zone))
		goto failed;

	taken = nr_pages - nr_populated;
	for (int i = nr_populated; i < nr_pages; i++)
		taken -= page_array[i] != NULL;
	taken = rmqueue_pcplist_bulk(zone, ac.migratetype, alloc_flags, taken, &pages);
	/* Busy, or not even one page: try at least one through the full allocator. */
	if (taken <= 0)
		goto failed;

	while (nr_populated < nr_pages) {
		if (page_array[nr_populated]) {
			nr_populated++;
			continue;
		}
		if (list_empty(&pages))
			break;
		page = list_first_entry(&pages, struct page, pcp_list);
		list_del(&page->pcp_list);
		prep_new_page(page, 0, gfp, 0);
		page_array[nr_populated++] = page;
		nr_account++;
	}
	__count_zid_vm_events(PGALLOC, zone_idx(zone), nr_account);
	zone_statistics_nr(ac.preferred_zoneref->zone, zone, nr_account);
out:
	return (unsigned long)nr_populated;

failed:
	page = __alloc_pages(gfp, 0, preferred_nid, nodemask);
	if (page)
		page_array[nr_populated++] = page;
	goto out;
}

/**
 * alloc_pages_bulk_node - alloc_pages_bulk() preferring node @nid
 * @gfp: GFP flags
 * @nid: node, or NUMA_NO_NODE for the running CPU's node
 * @nr_pages: slots in @page_array
 * @page_array: NULL slots are filled
 *
 * Context: as __alloc_pages_bulk().
 * Return: as __alloc_pages_bulk().
 */
unsigned long alloc_pages_bulk_node(gfp_t gfp, int nid, int nr_pages, struct page **page_array)
{
	if (nid == NUMA_NO_NODE)
		nid = numa_node_id();
	return __alloc_pages_bulk(gfp, nid, NULL, nr_pages, page_array);
}

/**
 * alloc_pages_bulk - fill the NULL slots of @page_array, local node first
 * @gfp: GFP flags
 * @nr_pages: slots in @page_array
 * @page_array: NULL slots are filled
 *
 * Context: as __alloc_pages_bulk().
 * Return: as __alloc_pages_bulk().
 */
unsigned long alloc_pages_bulk(gfp_t gfp, int nr_pages, struct page **page_array)
{
	return __alloc_pages_bulk(gfp, numa_node_id(), NULL, nr_pages, page_array);
}

/**
 * __get_free_pages - allocate 2^@order lowmem pages and return their address
 * @gfp: GFP flags (__GFP_HIGHMEM is ignored: the pages need an address)
 * @order: 0..MAX_PAGE_ORDER
 *
 * Context: as __alloc_pages().
 * Return: the direct-map (host) address, or 0.
 */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp & ~__GFP_HIGHMEM, order);

	return page ? (unsigned long)page_address(page) : 0;
}

/**
 * get_zeroed_page - allocate one zeroed lowmem page
 * @gfp: GFP flags
 *
 * Context: as __alloc_pages().
 * Return: its address, or 0.
 */
unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

/**
 * __free_pages_ok - free a block to the buddy, bypassing pcp lists
 * @page: head page, refcount 0
 * @order: order of the block
 * @fpi_flags: FPI_*
 *
 * Context: takes zone->lock.
 */
void __free_pages_ok(struct page *page, unsigned int order, fpi_t fpi_flags)
{
	if (free_pages_prepare(page, order))
		free_one_page(page_zone(page), page, page_to_pfn(page), order, fpi_flags);
}

static void __free_frozen_pages(struct page *page, unsigned int order, fpi_t fpi_flags)
{
	if (!pcp_allowed_order(order)) {
		__free_pages_ok(page, order, fpi_flags);
		return;
	}
	if (!free_pages_prepare(page, order))
		return;
	free_frozen_page_commit_pcp(page_zone(page), page, page_to_pfn(page), order, fpi_flags);
}

/*
 * A reference dropped on a page that has none: a double free or a free
 * of a page never allocated.  The kernel's DEBUG_VM BUGs here
 * (VM_BUG_ON_PAGE in put_page_testzero); linmm reports a bad page and
 * carries on without touching it.
 */
static bool page_ref_underflow(struct page *page)
{
	if (likely(page_ref_count(page) > 0))
		return false;
	bad_page(page, "VM_BUG_ON_PAGE(page_ref_count(page) == 0)");
	return true;
}

/**
 * __free_pages - drop a reference to a block of 2^@order pages
 * @page: the page alloc_pages() returned
 * @order: the order it was allocated with
 *
 * Frees the block when the reference was the last.  Otherwise, for a
 * non-compound block, every page but the first is freed now (their owner
 * holds no reference to them); the first is freed by the last put_page().
 *
 * Context: any thread inside a simulated CPU.
 */
void __free_pages(struct page *page, unsigned int order)
{
	bool head = PageHead(page);

	if (page_ref_underflow(page))
		return;
	if (page_ref_dec_and_test(page)) {
		__free_frozen_pages(page, order, FPI_NONE);
	} else if (!head) {
		while (order-- > 0)
			__free_frozen_pages(page + (1UL << order), order, FPI_NONE);
	}
}

/**
 * free_pages - free pages by their direct-map address
 * @addr: address __get_free_pages() returned, or 0 (ignored)
 * @order: the order they were allocated with
 *
 * Context: as __free_pages().
 */
void free_pages(unsigned long addr, unsigned int order)
{
	if (!addr)
		return;
	VM_BUG_ON(!virt_addr_valid((void *)addr));
	__free_pages(virt_to_page((void *)addr), order);
}

/**
 * get_page - take a reference to a page (of a compound page: to its head)
 * @page: a page that already has a reference
 *
 * Context: any.
 */
void get_page(struct page *page)
{
	page = compound_head(page);
	if (WARN_ON_ONCE(page_ref_count(page) <= 0)) {
		dump_page(page, "VM_BUG_ON_PAGE(page_ref_zero_or_close_to_overflow(page))");
		return;
	}
	page_ref_inc(page);
}

/**
 * put_page - drop a reference; the last one frees the page or compound page
 * @page: any page of it
 *
 * Context: any thread inside a simulated CPU.
 */
void put_page(struct page *page)
{
	page = compound_head(page);
	if (page_ref_underflow(page))
		return;
	if (page_ref_dec_and_test(page))
		__free_frozen_pages(page, compound_order(page), FPI_NONE);
}

/**
 * split_page - make a non-compound block of 2^@order pages 2^@order pages
 * @page: head of a block allocated without __GFP_COMP
 * @order: its order
 *
 * Every page gets refcount 1 and is freed on its own afterwards.
 *
 * Context: any; the caller owns the block.
 */
void split_page(struct page *page, unsigned int order)
{
	VM_BUG_ON(PageCompound(page));
	VM_BUG_ON(!page_ref_count(page));
	for (unsigned long i = 1; i < (1UL << order); i++)
		set_page_count(page + i, 1);
}

/**
 * nr_free_pages - free pages in every zone (NR_FREE_PAGES)
 *
 * Context: any.
 * Return: the count (pages on pcp lists are not included).
 */
unsigned long nr_free_pages(void)
{
	long n = global_zone_page_state(NR_FREE_PAGES);

	return n > 0 ? (unsigned long)n : 0;
}
