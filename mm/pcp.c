/* SPDX-License-Identifier: MIT */
/*
 * pcp.c - per-CPU page lists ("pcp"), the cache in front of the buddy
 * allocator.
 *
 * Mirrors the per_cpu_pages half of the kernel's mm/page_alloc.c (6.7+
 * auto-tuned pcp->high).  Each zone has one struct per_cpu_pages per CPU
 * with NR_PCP_LISTS lists: one per (order, migrate type) for orders
 * 0..PAGE_ALLOC_COSTLY_ORDER, plus one list for pageblock_order (THP)
 * shared by all types:
 *
 *   pindex = 3 * order + migratetype         order 0..3 -> lists 0..11
 *   pindex = NR_LOWORDER_PCP_LISTS (12)      order 9
 *
 * Allocation takes the head of the list; an empty list is refilled with
 * a batch of blocks from the buddy (rmqueue_bulk(), one zone->lock round
 * trip).  Freeing puts the page at the list head (hot) and, when the CPU
 * holds pcp->high pages or more, returns a batch to the buddy from the
 * list tails (free_pcppages_bulk(), round robin over the lists).
 *
 * Sizes (zone_batchsize(), zone_highsize()):
 *   batch    = rounddown_pow_of_two(b + b/2) - 1, b = min(managed/1024, 256)/4,
 *              at least 1: 63 for zones of about 1 GiB and more;
 *   high_min = max(low watermark / CPUs of the node, 4 * batch)
 *              (managed / percpu_pagelist_high_fraction when that is set);
 *   high_max = max(managed / 8 / CPUs of the node, 4 * batch)
 *              (== high_min when percpu_pagelist_high_fraction is set).
 * high_min exceeds high_max when the low watermark is above managed / 8
 * (a large vm.min_free_kbytes), as in the kernel; clamp() then gives
 * high_max.
 * pcp->high starts at 0 on every CPU and is clamped into [high_min,
 * high_max] the first time the CPU uses its list, then floats: it grows
 * while a CPU keeps refilling and is decayed by vmstat's periodic
 * decay_pcp_high().  Until setup_per_cpu_pageset() runs, every pageset is
 * a boot pageset (high 0, batch 1): nothing is ever kept on the lists.
 *
 * Pages on pcp lists are not PageBuddy and are not counted in
 * NR_FREE_PAGES; their pageblock type is looked up again when they go back
 * to the buddy.  HIGHATOMIC and CMA pages are cached on the MOVABLE lists,
 * ISOLATE pages bypass the lists.
 *
 * Locks: pcp->lock protects one CPU's lists and counters.  The owning CPU
 * only trylocks it (a remote drain may hold it; the caller then goes to
 * the buddy directly); drains from other CPUs take it.  pcp_batch_high_lock
 * serialises updates of batch/high_min/high_max.  Order:
 * pcp_batch_high_lock, pcp->lock, zone->lock.
 */
#include <string.h>

#include <linmm/gfp.h>
#include <linmm/printk.h>
#include <linmm/smp.h>
#include <linmm/vmstat.h>

#include "mm/internal.h"

/* pcp->flags */
#define PCPF_PREV_FREE_HIGH_ORDER (1u << 0)	/* last free was of order 1..3 */

static spinlock_t pcp_batch_high_lock;

static inline struct per_cpu_pages *zone_pcp(struct zone *zone, int cpu)
{
	return &zone->per_cpu_pageset[cpu];
}

static inline unsigned int order_to_pindex(int migratetype, unsigned int order)
{
	if (order > PAGE_ALLOC_COSTLY_ORDER) {
		VM_BUG_ON(order != pageblock_order);
		return NR_LOWORDER_PCP_LISTS;
	}
	return MIGRATE_PCPTYPES * order + (unsigned int)migratetype;
}

static inline unsigned int pindex_to_order(unsigned int pindex)
{
	return pindex >= NR_LOWORDER_PCP_LISTS ? pageblock_order : pindex / MIGRATE_PCPTYPES;
}

/* ---- returning pages to the buddy ---- */

/*
 * free_pcppages_bulk - give @count pages of @pcp back to the buddy, taking
 * from the list tails (the coldest pages), round robin from @pindex on.
 * Context: pcp->lock held; takes zone->lock.
 */
static void free_pcppages_bulk(struct zone *zone, int count, struct per_cpu_pages *pcp,
			       unsigned int pindex)
{
	count = min(count, pcp->count);
	if (count <= 0)
		return;
	/* Drain the requested list first. */
	pindex = pindex ? pindex - 1 : NR_PCP_LISTS - 1;
	spin_lock(&zone->lock);
	while (count > 0) {
		struct list_head *list;
		unsigned int order;

		do {
			if (++pindex > NR_PCP_LISTS - 1)
				pindex = 0;
			list = &pcp->lists[pindex];
		} while (list_empty(list));

		order = pindex_to_order(pindex);
		do {
			struct page *page = list_last_entry(list, struct page, pcp_list);
			unsigned long pfn = page_to_pfn(page);

			list_del(&page->pcp_list);
			count -= 1 << order;
			pcp->count -= 1 << order;
			__free_one_page(page, pfn, zone, order, get_pfnblock_migratetype(page, pfn),
					FPI_NONE);
		} while (count > 0 && !list_empty(list));
	}
	spin_unlock(&zone->lock);
}

/*
 * nr_pcp_high - the high mark that applies to this free, adjusting the
 * floating pcp->high: shrink it while the zone is below its high
 * watermark or kswapd is reclaiming, grow it so that a freeing burst of
 * a batch fits.
 */
static int nr_pcp_high(struct per_cpu_pages *pcp, struct zone *zone, int batch, bool free_high)
{
	int high, high_min = pcp->high_min, high_max = pcp->high_max;

	high = pcp->high = clamp(pcp->high, high_min, high_max);
	if (unlikely(!high))
		return 0;
	if (unlikely(free_high)) {
		pcp->high = max(high - (batch << PCP_BATCH_SCALE_MAX), high_min);
		return 0;
	}
	if (zone_test_flag(zone, ZONE_RECLAIM_ACTIVE)) {
		int free_count = max((int)pcp->free_count, batch);

		pcp->high = max(high - free_count, high_min);
		return min(batch << 2, pcp->high);
	}
	if (high_min == high_max)
		return high;
	if (zone_test_flag(zone, ZONE_BELOW_HIGH)) {
		int free_count = max((int)pcp->free_count, batch);

		pcp->high = max(high - free_count, high_min);
		high = max(pcp->count, high_min);
	} else if (pcp->count >= high) {
		int need_high = pcp->free_count + batch;

		if (pcp->high < need_high)
			pcp->high = clamp(need_high, high_min, high_max);
	}
	return high;
}

/* How many pages a free that reached the high mark returns to the buddy. */
static int nr_pcp_free(struct per_cpu_pages *pcp, int batch, int high, bool free_high)
{
	if (unlikely(free_high))
		return min(pcp->count, batch << PCP_BATCH_SCALE_MAX);
	/* Boot pageset or caching disabled. */
	if (unlikely(high < batch))
		return 1;
	/* Free as many as were freed in a row, but leave at least a batch. */
	return clamp((int)pcp->free_count, batch, high - batch);
}

static void free_frozen_page_commit(struct zone *zone, struct per_cpu_pages *pcp,
				    struct page *page, int migratetype, unsigned int order)
{
	unsigned int pindex = order_to_pindex(migratetype, order);
	int high, batch = pcp->batch;
	bool free_high = false;

	/* A free ends a run of allocations: refill less eagerly next time. */
	pcp->alloc_factor >>= 1;
	count_vm_events(PGFREE, 1L << order);
	list_add(&page->pcp_list, &pcp->lists[pindex]);
	pcp->count += 1 << order;

	/*
	 * Orders 1..3 stored on pcp lists fragment the zone: when a CPU frees
	 * them in a long run without allocating, flush them (free_high).  The
	 * kernel also weighs the CPU's cache size here; linmm has no cache
	 * model and always uses the plain rule.
	 */
	if (order && order <= PAGE_ALLOC_COSTLY_ORDER) {
		free_high = pcp->free_count >= batch + pcp->high_min / 2 &&
			    (pcp->flags & PCPF_PREV_FREE_HIGH_ORDER);
		pcp->flags |= PCPF_PREV_FREE_HIGH_ORDER;
	} else {
		pcp->flags &= ~PCPF_PREV_FREE_HIGH_ORDER;
	}
	if (pcp->free_count < (batch << PCP_BATCH_SCALE_MAX))
		pcp->free_count += 1 << order;

	high = nr_pcp_high(pcp, zone, batch, free_high);
	if (pcp->count >= high) {
		free_pcppages_bulk(zone, nr_pcp_free(pcp, batch, high, free_high), pcp, pindex);
		if (zone_test_flag(zone, ZONE_BELOW_HIGH) &&
		    zone_watermark_ok(zone, 0, high_wmark_pages(zone), ZONE_MOVABLE, 0))
			zone_clear_flag(zone, ZONE_BELOW_HIGH);
	}
}

/**
 * free_frozen_page_commit_pcp - free a prepared block of a pcp order
 * @zone: its zone
 * @page: head page, through free_pages_prepare() (refcount 0)
 * @pfn: page_to_pfn(@page)
 * @order: pcp_allowed_order() order
 * @fpi_flags: FPI_* (used when the block bypasses the lists)
 *
 * The block goes to the head of this CPU's list for its pageblock's type;
 * an isolated pageblock's pages, and every page when the list is busy
 * (remote drain) or not set up, go straight to the buddy.
 *
 * Context: takes this CPU's pcp->lock (trylock), maybe zone->lock.
 */
void free_frozen_page_commit_pcp(struct zone *zone, struct page *page, unsigned long pfn,
				 unsigned int order, fpi_t fpi_flags)
{
	struct per_cpu_pages *pcp;
	int migratetype = get_pfnblock_migratetype(page, pfn);

	if (unlikely(migratetype >= MIGRATE_PCPTYPES)) {
		if (migratetype == MIGRATE_ISOLATE) {
			free_one_page(zone, page, pfn, order, fpi_flags);
			return;
		}
		migratetype = MIGRATE_MOVABLE;
	}
	if (unlikely(!zone->per_cpu_pageset)) {
		free_one_page(zone, page, pfn, order, fpi_flags);
		return;
	}
	pcp = zone_pcp(zone, smp_processor_id());
	if (!spin_trylock(&pcp->lock)) {
		free_one_page(zone, page, pfn, order, fpi_flags);
		return;
	}
	free_frozen_page_commit(zone, pcp, page, migratetype, order);
	spin_unlock(&pcp->lock);
}

/* ---- allocating through the lists ---- */

/*
 * rmqueue_bulk - move up to @count blocks of @order from the buddy to
 * @list, in physical order (expand() hands out the lower halves first).
 * Return: blocks moved.  Context: takes zone->lock.
 */
static int rmqueue_bulk(struct zone *zone, unsigned int order, int count, struct list_head *list,
			int migratetype, unsigned int alloc_flags)
{
	enum rmqueue_mode rmqm = RMQUEUE_NORMAL;
	int i;

	spin_lock(&zone->lock);
	for (i = 0; i < count; i++) {
		struct page *page = __rmqueue(zone, order, migratetype, alloc_flags, &rmqm);

		if (unlikely(!page))
			break;
		list_add_tail(&page->pcp_list, list);
	}
	spin_unlock(&zone->lock);
	return i;
}

/*
 * nr_pcp_alloc - how many blocks to refill an empty list with: a batch,
 * doubled for each consecutive order-0 refill without a free in between
 * (alloc_factor, up to 2^PCP_BATCH_SCALE_MAX), never beyond pcp->high;
 * fewer for higher orders.  1 for boot pagesets.
 */
static int nr_pcp_alloc(struct per_cpu_pages *pcp, struct zone *zone, unsigned int order)
{
	int high, base_batch = pcp->batch, batch, max_nr_alloc;
	int high_min = pcp->high_min, high_max = pcp->high_max;

	high = pcp->high = clamp(pcp->high, high_min, high_max);
	if (unlikely(high < base_batch))
		return 1;
	batch = order ? base_batch : base_batch << pcp->alloc_factor;
	/* A CPU that keeps refilling deserves a larger cache. */
	if (high_min != high_max && !zone_test_flag(zone, ZONE_BELOW_HIGH))
		high = pcp->high = min(high + batch, high_max);
	if (!order) {
		max_nr_alloc = max(high - pcp->count - base_batch, base_batch);
		if (batch <= max_nr_alloc && pcp->alloc_factor < PCP_BATCH_SCALE_MAX)
			pcp->alloc_factor++;
		batch = min(batch, max_nr_alloc);
	}
	if (batch > 1)
		batch = max(batch >> order, 2);
	return batch;
}

static struct page *__rmqueue_pcplist(struct zone *zone, unsigned int order, int migratetype,
				      unsigned int alloc_flags, struct per_cpu_pages *pcp,
				      struct list_head *list)
{
	struct page *page;

	do {
		if (list_empty(list)) {
			int batch = nr_pcp_alloc(pcp, zone, order);
			int alloced = rmqueue_bulk(zone, order, batch, list, migratetype, alloc_flags);

			pcp->count += alloced << order;
			if (unlikely(list_empty(list)))
				return NULL;
		}
		page = list_first_entry(list, struct page, pcp_list);
		list_del(&page->pcp_list);
		pcp->count -= 1 << order;
	} while (check_new_pages(page, order));
	return page;
}

/**
 * rmqueue_pcplist - allocate a block of a pcp order from this CPU's list
 * @preferred_zone: first zone of the zonelist (NUMA accounting)
 * @zone: the zone to allocate from
 * @order: pcp_allowed_order() order
 * @migratetype: UNMOVABLE, MOVABLE or RECLAIMABLE
 * @alloc_flags: ALLOC_* passed to the buddy on refill
 *
 * Context: takes this CPU's pcp->lock (trylock) and, on refill, zone->lock.
 * Return: the block (refcount 0, not yet prepared), or NULL when the list
 * is busy or the buddy could not refill it; the caller then tries the
 * buddy directly.
 */
struct page *rmqueue_pcplist(struct zone *preferred_zone, struct zone *zone, unsigned int order,
			     int migratetype, unsigned int alloc_flags)
{
	struct per_cpu_pages *pcp;
	struct page *page;

	if (unlikely(!zone->per_cpu_pageset))
		return NULL;
	pcp = zone_pcp(zone, smp_processor_id());
	if (!spin_trylock(&pcp->lock))
		return NULL;
	/* An allocation ends a run of frees: free smaller batches next time. */
	pcp->free_count >>= 1;
	page = __rmqueue_pcplist(zone, order, migratetype, alloc_flags, pcp,
				 &pcp->lists[order_to_pindex(migratetype, order)]);
	spin_unlock(&pcp->lock);
	if (page) {
		__count_zid_vm_events(PGALLOC, zone_idx(zone), 1L << order);
		zone_statistics(preferred_zone, zone);
	}
	return page;
}

/**
 * rmqueue_pcplist_bulk - take order-0 pages off this CPU's list, one lock hold
 * @zone: the zone (its watermark already checked by the caller)
 * @migratetype: UNMOVABLE, MOVABLE or RECLAIMABLE
 * @alloc_flags: ALLOC_* passed to the buddy when the list is refilled
 * @count: at most this many pages
 * @list: the pages are added at its tail, in the order the list gives them
 *
 * The locked loop of the kernel's alloc_pages_bulk(): pages come off the
 * list head one by one, the list refilled from the buddy by batches as it
 * empties, all under one pcp->lock hold.  The pages are not prepared
 * (refcount 0) and not counted: the caller does both.
 *
 * Context: trylocks this CPU's pcp->lock; takes zone->lock on refill.
 * Return: pages added, or -EAGAIN when the zone has no pagesets or the
 * lock is busy (a remote drain).
 */
int rmqueue_pcplist_bulk(struct zone *zone, int migratetype, unsigned int alloc_flags, int count,
			 struct list_head *list)
{
	struct per_cpu_pages *pcp;
	struct list_head *pcp_list;
	int n;

	if (unlikely(!zone->per_cpu_pageset))
		return -EAGAIN;
	pcp = zone_pcp(zone, smp_processor_id());
	if (!spin_trylock(&pcp->lock))
		return -EAGAIN;
	pcp_list = &pcp->lists[order_to_pindex(migratetype, 0)];
	for (n = 0; n < count; n++) {
		struct page *page = __rmqueue_pcplist(zone, 0, migratetype, alloc_flags, pcp,
						      pcp_list);

		if (unlikely(!page))
			break;
		list_add_tail(&page->pcp_list, list);
	}
	spin_unlock(&pcp->lock);
	return n;
}

/* ---- draining ---- */

/* Return every page of @cpu's lists of @zone to the buddy. */
static void drain_pages_zone(int cpu, struct zone *zone)
{
	struct per_cpu_pages *pcp = zone_pcp(zone, cpu);
	int count;

	do {
		spin_lock(&pcp->lock);
		count = pcp->count;
		if (count) {
			int to_drain = min(count, pcp->batch << PCP_BATCH_SCALE_MAX);

			free_pcppages_bulk(zone, to_drain, pcp, 0);
			count -= to_drain;
		}
		spin_unlock(&pcp->lock);
	} while (count > 0);
}

static void drain_cpu_pages(int cpu, struct zone *zone)
{
	if (zone) {
		if (zone->per_cpu_pageset)
			drain_pages_zone(cpu, zone);
		return;
	}
	for_each_populated_zone(zone)
		if (zone->per_cpu_pageset)
			drain_pages_zone(cpu, zone);
}

/**
 * drain_local_pages - return this CPU's pcp pages to the buddy
 * @zone: only this zone, or NULL for every zone
 *
 * Context: takes this CPU's pcp locks and zone locks.
 */
void drain_local_pages(struct zone *zone)
{
	drain_cpu_pages(smp_processor_id(), zone);
}

/**
 * drain_all_pages - return every CPU's pcp pages to the buddy
 * @zone: only this zone, or NULL for every zone
 *
 * The kernel queues a work item on each CPU; linmm takes each CPU's
 * pcp->lock from the caller, which the lists allow (see file header).
 *
 * Context: takes every pcp lock of the zones and their zone locks.
 */
void drain_all_pages(struct zone *zone)
{
	int cpu;

	for_each_possible_cpu(cpu)
		drain_cpu_pages(cpu, zone);
}

/**
 * decay_pcp_high - let an idle CPU's pcp->high fall back towards high_min
 * @zone: the zone
 * @pcp: one CPU's pageset of @zone
 *
 * Called by the periodic vmstat refresh: high drops by 1/8 (not below
 * count - 32 batches nor high_min) and pages above it are freed.
 *
 * Context: takes @pcp->lock and zone->lock.
 * Return: nonzero while there is more to do on a later refresh.
 */
int decay_pcp_high(struct zone *zone, struct per_cpu_pages *pcp)
{
	int high_min = pcp->high_min, batch = pcp->batch, to_drain, todo = 0;

	spin_lock(&pcp->lock);
	if (pcp->high > high_min) {
		pcp->high = max(max(pcp->count - (batch << PCP_BATCH_SCALE_MAX),
				    pcp->high - (pcp->high >> 3)), high_min);
		if (pcp->high > high_min)
			todo++;
	}
	to_drain = pcp->count - pcp->high;
	if (to_drain > 0) {
		free_pcppages_bulk(zone, to_drain, pcp, 0);
		todo++;
	}
	spin_unlock(&pcp->lock);
	return todo;
}

/**
 * drain_zone_pages - return up to a batch of @pcp's pages to the buddy
 * @zone: the zone
 * @pcp: a pageset of @zone (the vmstat refresh drains remote nodes' pages)
 *
 * Context: takes @pcp->lock and zone->lock.
 */
void drain_zone_pages(struct zone *zone, struct per_cpu_pages *pcp)
{
	spin_lock(&pcp->lock);
	free_pcppages_bulk(zone, min(pcp->count, pcp->batch), pcp, 0);
	spin_unlock(&pcp->lock);
}

/* ---- sizing ---- */

/**
 * zone_batchsize - pages moved per pcp refill/drain for @zone
 * @zone: the zone
 *
 * About 0.1% of the zone or 1 MiB, whichever is smaller, divided by 4,
 * clamped to a 2^n - 1 value (power-of-two batches alias badly in caches).
 *
 * Context: any.
 * Return: the batch (0 for zones under 4 MiB; callers use max(1, batch)).
 */
int zone_batchsize(struct zone *zone)
{
	long batch = (long)min(zone_managed_pages(zone) >> 10, (unsigned long)(SZ_1M / PAGE_SIZE));

	batch /= 4;
	if (batch < 1)
		batch = 1;
	return (int)rounddown_pow_of_two((u64)(batch + batch / 2)) - 1;
}

/**
 * zone_highsize - pcp high mark for @zone
 * @zone: the zone
 * @batch: the zone's batch
 * @cpu_online: 1 while a CPU is coming online (counted in the split)
 * @high_fraction: 0 to size from the low watermark, else managed/fraction
 *
 * The total is split across the CPUs of the zone's node (all CPUs for a
 * node without CPUs) and is at least 4 batches.
 *
 * Context: any.
 * Return: the high mark in pages.
 */
int zone_highsize(struct zone *zone, int batch, int cpu_online, int high_fraction)
{
	unsigned long total_pages;
	int cpu, nr_split_cpus = cpu_online;
	long high;

	if (!high_fraction)
		total_pages = low_wmark_pages(zone);
	else
		total_pages = zone_managed_pages(zone) / (unsigned long)high_fraction;
	for_each_online_cpu(cpu)
		if (cpu_to_node(cpu) == zone_to_nid(zone))
			nr_split_cpus++;
	if (!nr_split_cpus)
		nr_split_cpus = (int)nr_cpu_ids;
	high = (long)(total_pages / (unsigned long)nr_split_cpus);
	return (int)max(high, (long)batch << 2);
}

static void per_cpu_pages_init(struct per_cpu_pages *pcp)
{
	memset(pcp, 0, sizeof(*pcp));
	spin_lock_init(&pcp->lock);
	for (int pindex = 0; pindex < NR_PCP_LISTS; pindex++)
		INIT_LIST_HEAD(&pcp->lists[pindex]);
	pcp->high_min = BOOT_PAGESET_HIGH;
	pcp->high_max = BOOT_PAGESET_HIGH;
	pcp->batch = BOOT_PAGESET_BATCH;
}

static void pageset_update(struct per_cpu_pages *pcp, int high_min, int high_max, int batch)
{
	pcp->batch = batch;
	pcp->high_min = high_min;
	pcp->high_max = high_max;
}

static void __zone_set_pageset_high_and_batch(struct zone *zone, int high_min, int high_max,
					      int batch)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct per_cpu_pages *pcp = zone_pcp(zone, cpu);

		spin_lock(&pcp->lock);
		pageset_update(pcp, high_min, high_max, batch);
		spin_unlock(&pcp->lock);
	}
}

/* Recompute batch/high_min/high_max; context: pcp_batch_high_lock held. */
static void zone_set_pageset_high_and_batch(struct zone *zone, int cpu_online)
{
	int new_high_min, new_high_max, new_batch;

	new_batch = max(1, zone_batchsize(zone));
	if (percpu_pagelist_high_fraction) {
		/* Tuned by hand: no auto-tuning, high_min == high_max. */
		new_high_min = zone_highsize(zone, new_batch, cpu_online,
					     percpu_pagelist_high_fraction);
		new_high_max = new_high_min;
	} else {
		new_high_min = zone_highsize(zone, new_batch, cpu_online, 0);
		new_high_max = zone_highsize(zone, new_batch, cpu_online,
					     MIN_PERCPU_PAGELIST_HIGH_FRACTION);
	}
	if (zone->pageset_high_min == new_high_min && zone->pageset_high_max == new_high_max &&
	    zone->pageset_batch == new_batch)
		return;
	zone->pageset_high_min = new_high_min;
	zone->pageset_high_max = new_high_max;
	zone->pageset_batch = new_batch;
	__zone_set_pageset_high_and_batch(zone, new_high_min, new_high_max, new_batch);
}

/**
 * zone_pcp_init - give @zone boot pagesets (high 0, batch 1: no caching)
 * @zone: a zone being initialised; its per_cpu_pageset array may already
 *	be allocated (it is then initialised), or be NULL (the allocator then
 *	bypasses the lists for this zone)
 *
 * Context: boot or hotplug, before the zone has users.
 */
void zone_pcp_init(struct zone *zone)
{
	int cpu;

	zone->pageset_high_min = BOOT_PAGESET_HIGH;
	zone->pageset_high_max = BOOT_PAGESET_HIGH;
	zone->pageset_batch = BOOT_PAGESET_BATCH;
	if (!zone->per_cpu_pageset)
		return;
	for_each_possible_cpu(cpu)
		per_cpu_pages_init(zone_pcp(zone, cpu));
}

/**
 * setup_zone_pageset - turn @zone's boot pagesets into real ones
 * @zone: a populated zone with a per_cpu_pageset array
 *
 * Context: boot (setup_per_cpu_pageset) or when hotplug populates a zone;
 * the lists must be empty (boot pagesets never keep pages).
 */
void setup_zone_pageset(struct zone *zone)
{
	int cpu;

	if (!zone->per_cpu_pageset)
		return;
	for_each_possible_cpu(cpu) {
		VM_WARN_ON(zone_pcp(zone, cpu)->count);
		per_cpu_pages_init(zone_pcp(zone, cpu));
	}
	spin_lock(&pcp_batch_high_lock);
	zone->pageset_high_min = zone->pageset_high_max = zone->pageset_batch = -1;
	zone_set_pageset_high_and_batch(zone, 0);
	spin_unlock(&pcp_batch_high_lock);
}

/**
 * setup_per_cpu_pageset - the real pagesets of every populated zone
 *
 * Watermarks are not set yet, so high_min starts at 4 batches; the
 * watermark setup that follows calls zone_pcp_update() with the real low
 * watermark.
 *
 * Context: boot, after memblock_free_all().
 */
void setup_per_cpu_pageset(void)
{
	struct zone *zone;

	spin_lock_init(&pcp_batch_high_lock);
	for_each_populated_zone(zone)
		setup_zone_pageset(zone);
}

/**
 * zone_pcp_update - recompute @zone's pcp batch and high marks
 * @zone: the zone (unpopulated zones keep their boot pagesets)
 * @cpu_online: 1 while a CPU is coming online
 *
 * Called when the low watermark, managed pages or
 * percpu_pagelist_high_fraction change.  pcp->high itself is clamped into
 * the new range at each CPU's next use.
 *
 * Context: takes pcp_batch_high_lock and each pcp->lock.
 */
void zone_pcp_update(struct zone *zone, int cpu_online)
{
	if (!populated_zone(zone) || !zone->per_cpu_pageset)
		return;
	spin_lock(&pcp_batch_high_lock);
	zone_set_pageset_high_and_batch(zone, cpu_online);
	spin_unlock(&pcp_batch_high_lock);
}

/**
 * zone_pcp_disable - stop caching pages of @zone on pcp lists
 * @zone: the zone
 *
 * Every pageset becomes a boot pageset (high 0, batch 1) and the lists are
 * drained.  Holds pcp_batch_high_lock until zone_pcp_enable(), as the
 * kernel holds its mutex: do not change watermarks in between.
 *
 * Context: takes pcp_batch_high_lock (kept), pcp and zone locks.
 */
void zone_pcp_disable(struct zone *zone)
{
	spin_lock(&pcp_batch_high_lock);
	if (zone->per_cpu_pageset) {
		__zone_set_pageset_high_and_batch(zone, BOOT_PAGESET_HIGH, BOOT_PAGESET_HIGH,
						  BOOT_PAGESET_BATCH);
		drain_all_pages(zone);
	}
}

/**
 * zone_pcp_enable - restore @zone's pcp sizes after zone_pcp_disable()
 * @zone: the zone
 *
 * Context: pcp_batch_high_lock held by zone_pcp_disable(); releases it.
 */
void zone_pcp_enable(struct zone *zone)
{
	if (zone->per_cpu_pageset)
		__zone_set_pageset_high_and_batch(zone, zone->pageset_high_min,
						  zone->pageset_high_max, zone->pageset_batch);
	spin_unlock(&pcp_batch_high_lock);
}

/**
 * zone_pcp_reset - drain @zone's lists and make its pagesets boot pagesets
 * @zone: the zone (memory offline of a whole zone, shutdown)
 *
 * The kernel frees the per-CPU array here; in linmm it belongs to the
 * zone setup code (zone_alloc_percpu()) and stays allocated.
 *
 * Context: takes pcp and zone locks.
 */
void zone_pcp_reset(struct zone *zone)
{
	if (!zone->per_cpu_pageset)
		return;
	drain_all_pages(zone);
	drain_zonestat(zone);
	zone_pcp_init(zone);
}

/**
 * zone_pcp_count - pages on every CPU's pcp lists of @zone
 * @zone: the zone
 *
 * Context: any; the sum is a snapshot.
 * Return: the number of pages.
 */
unsigned long zone_pcp_count(struct zone *zone)
{
	unsigned long n = 0;
	int cpu;

	if (!zone->per_cpu_pageset)
		return 0;
	for_each_possible_cpu(cpu)
		n += (unsigned long)__atomic_load_n(&zone_pcp(zone, cpu)->count, __ATOMIC_RELAXED);
	return n;
}

void zone_pcp_for_each_block(struct zone *zone,
			     void (*fn)(struct page *page, unsigned int order, void *arg), void *arg)
{
	int cpu;

	if (!zone->per_cpu_pageset)
		return;
	for_each_possible_cpu(cpu) {
		struct per_cpu_pages *pcp = zone_pcp(zone, cpu);

		spin_lock(&pcp->lock);
		for (unsigned int pindex = 0; pindex < NR_PCP_LISTS; pindex++) {
			struct page *page;

			list_for_each_entry(page, &pcp->lists[pindex], pcp_list)
				fn(page, pindex_to_order(pindex), arg);
		}
		spin_unlock(&pcp->lock);
	}
}

/**
 * validate_pcp_lists - check @zone's per-CPU lists
 * @zone: the zone
 *
 * For every CPU: pcp->count equals the pages on its lists; every page is
 * in @zone, aligned to its list's order, not PageBuddy and has refcount 0;
 * batch >= 1, high_min and high_max >= 0 (high_min may exceed high_max,
 * see the file comment).
 *
 * Context: takes each pcp->lock.
 * Return: 0, or -EINVAL on the first violation (reported with pr_err()).
 */
int validate_pcp_lists(struct zone *zone)
{
	int cpu;

	if (!zone->per_cpu_pageset)
		return 0;
	for_each_possible_cpu(cpu) {
		struct per_cpu_pages *pcp = zone_pcp(zone, cpu);
		const char *what = NULL;
		unsigned long bad_pfn = 0;
		long count = 0;

		spin_lock(&pcp->lock);
		for (unsigned int pindex = 0; pindex < NR_PCP_LISTS && !what; pindex++) {
			unsigned int order = pindex_to_order(pindex);
			struct page *page;

			list_for_each_entry(page, &pcp->lists[pindex], pcp_list) {
				bad_pfn = page_to_pfn(page);
				if (page_zone(page) != zone)
					what = "page of another zone";
				else if (!IS_ALIGNED(bad_pfn, 1UL << order))
					what = "block not aligned to its order";
				else if (PageBuddy(page))
					what = "PageBuddy page";
				else if (page_ref_count(page))
					what = "page with a nonzero refcount";
				if (what)
					break;
				count += 1L << order;
			}
		}
		if (!what && count != pcp->count)
			what = "count differs from the pages on the lists";
		if (!what && (pcp->batch < 1 || pcp->high_min < 0 || pcp->high_max < 0))
			what = "bad batch/high_min/high_max";
		if (what)
			pr_err("validate_pcp_lists: node %d zone %s cpu %d: %s (pfn %#lx, count %d, lists %ld)\n",
			       zone_to_nid(zone), zone->name, cpu, what, bad_pfn, pcp->count, count);
		spin_unlock(&pcp->lock);
		if (what)
			return -EINVAL;
	}
	return 0;
}
