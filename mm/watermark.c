/* SPDX-License-Identifier: MIT */
/*
 * watermark.c - zone watermarks, lowmem reserves and min_free_kbytes.
 *
 * Carved out of the kernel's mm/page_alloc.c (init_per_zone_wmark_min and
 * friends, 6.18), which keeps them next to the buddy allocator; here they are
 * their own mechanism.  The allocator only reads what this file computes:
 * zone->_watermark[], zone->watermark_boost (reset here, raised by the
 * allocator's boost_watermark()), zone->lowmem_reserve[] and
 * totalreserve_pages.
 *
 *   min_free_kbytes = clamp(int_sqrt(lowmem_kbytes * 16), 128, 262144)
 *                     (lowmem_kbytes: nr_free_buffer_pages() in KiB; a value
 *                     the user wrote to vm.min_free_kbytes is kept if larger)
 *   pages_min       = min_free_kbytes / 4
 *   lowmem_pages    = managed pages of all zones but HighMem and Movable
 *
 *   per zone:  tmp  = pages_min * managed / lowmem_pages
 *              MIN  = tmp, or clamp(managed / 1024, 32, 128) for HighMem/Movable
 *              gap  = max(tmp / 4, managed * watermark_scale_factor / 10000)
 *              LOW  = MIN + gap,  HIGH = LOW + gap,  PROMO = HIGH + gap
 *
 *   zone[i].lowmem_reserve[j] = (managed of zones i+1..j) / ratio[i]
 *                               (0 when ratio[i] is 0 or zone i is empty)
 *
 *   totalreserve_pages = sum over zones of
 *                        min(managed, max(lowmem_reserve[]) + HIGH)
 *
 * Invariants: after every recomputation MIN <= LOW <= HIGH <= PROMO in every
 * zone, watermark_boost is 0, and every zone's pcp high/batch was refreshed
 * (zone_pcp_update()) because pcp->high derives from the low watermark.
 *
 * Locks: wmark_lock serialises recomputations (the kernel's static lock in
 * setup_per_zone_wmarks()) and the sysctl writes; each zone's watermarks are
 * written under zone->lock.  Order: wmark_lock, then zone->lock.
 * zone_pcp_update() is called after wmark_lock is dropped.
 */
#include <limits.h>

#include <linmm/gfp.h>
#include <linmm/printk.h>
#include <linmm/smp.h>
#include <linmm/vmstat.h>

#include "arch/arch.h"
#include "kernel/machine.h"
#include "mm/internal.h"

#define DEFAULT_MIN_FREE_KBYTES 1024
#define DEFAULT_WATERMARK_BOOST_FACTOR 15000
#define DEFAULT_WATERMARK_SCALE_FACTOR 10
#define MIN_FREE_KBYTES_LOW 128
#define MIN_FREE_KBYTES_HIGH 262144
#define WATERMARK_SCALE_FACTOR_MAX 3000

int min_free_kbytes = DEFAULT_MIN_FREE_KBYTES;
int user_min_free_kbytes = -1;
int watermark_boost_factor = DEFAULT_WATERMARK_BOOST_FACTOR;
int watermark_scale_factor = DEFAULT_WATERMARK_SCALE_FACTOR;
int percpu_pagelist_high_fraction;
unsigned long totalreserve_pages;

/*
 * results with 256, 32 in the lowmem_reserve sysctl (the kernel's example):
 *	1G machine -> (16M dma, 784M normal, 224M high)
 *	NORMAL allocation will leave 784M/256 of ram reserved in the ZONE_DMA
 *	HIGHMEM allocation will leave 224M/32 of ram reserved in ZONE_NORMAL
 *	HIGHMEM allocation will leave (224M+784M)/256 of ram reserved in ZONE_DMA
 */
#define LOWMEM_RESERVE_RATIO_DEFAULTS \
	{ [ZONE_DMA] = 256, [ZONE_DMA32] = 256, [ZONE_NORMAL] = 32, \
	  [ZONE_HIGHMEM] = 0, [ZONE_MOVABLE] = 0, [ZONE_DEVICE] = 0 }

static const int default_lowmem_reserve_ratio[MAX_NR_ZONES] = LOWMEM_RESERVE_RATIO_DEFAULTS;
int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES] = LOWMEM_RESERVE_RATIO_DEFAULTS;

static spinlock_t wmark_lock = __SPIN_LOCK_UNLOCKED;

/* A fresh machine starts with the kernel's sysctl defaults. */
static void watermark_sysctl_defaults(void)
{
	min_free_kbytes = DEFAULT_MIN_FREE_KBYTES;
	user_min_free_kbytes = -1;
	watermark_boost_factor = DEFAULT_WATERMARK_BOOST_FACTOR;
	watermark_scale_factor = DEFAULT_WATERMARK_SCALE_FACTOR;
	percpu_pagelist_high_fraction = 0;
	for (int i = 0; i < MAX_NR_ZONES; i++)
		sysctl_lowmem_reserve_ratio[i] = default_lowmem_reserve_ratio[i];
}

/* HighMem and Movable get a small fixed MIN and do not count as lowmem. */
static bool zone_idx_wmark_capped(int idx)
{
	return idx == ZONE_HIGHMEM || idx == ZONE_MOVABLE;
}

/*
 * nr_free_zone_pages - managed pages above the high watermark in the zones
 * of the local node's fallback zonelist with index <= @offset (all nodes:
 * the fallback list reaches every node with memory).
 */
static unsigned long nr_free_zone_pages(int offset)
{
	struct zonelist *zonelist = node_zonelist(numa_node_id(), GFP_KERNEL);
	unsigned long sum = 0;

	for (struct zoneref *z = zonelist->_zonerefs; z->zone; z++) {
		unsigned long size, high;

		if (z->zone_idx > offset)
			continue;
		size = zone_managed_pages(z->zone);
		high = high_wmark_pages(z->zone);
		if (size > high)
			sum += size - high;
	}
	return sum;
}

/**
 * nr_free_buffer_pages - pages usable by GFP_USER allocations above the high
 * watermarks (the "lowmem" that min_free_kbytes scales with)
 *
 * Context: zonelists built.
 * Return: a page count.
 */
unsigned long nr_free_buffer_pages(void)
{
	return nr_free_zone_pages(gfp_zone(GFP_USER));
}

/**
 * min_free_kbytes_formula - the kernel's min_free_kbytes for @lowmem_kbytes
 * @lowmem_kbytes: KiB of lowmem (nr_free_buffer_pages() in KiB)
 *
 * int_sqrt(lowmem_kbytes * 16) clamped to [128, 262144]: 16 MiB -> 512,
 * 1 GiB -> 4096, 4 GiB -> 8192, 16 GiB -> 16384.
 *
 * Context: any.
 * Return: KiB.
 */
int min_free_kbytes_formula(unsigned long lowmem_kbytes)
{
	unsigned long v = int_sqrt(lowmem_kbytes * 16);

	return (int)clamp(v, (unsigned long)MIN_FREE_KBYTES_LOW, (unsigned long)MIN_FREE_KBYTES_HIGH);
}

/**
 * calculate_min_free_kbytes - set min_free_kbytes from the machine's lowmem
 *
 * A value the user wrote to vm.min_free_kbytes wins when it is at least the
 * computed one; the kernel then says so in a warning.
 *
 * Context: zonelists built; not under wmark_lock.
 */
void calculate_min_free_kbytes(void)
{
	unsigned long lowmem_kbytes = nr_free_buffer_pages() * (PAGE_SIZE >> 10);
	int new_min_free_kbytes = (int)int_sqrt(lowmem_kbytes * 16);

	if (new_min_free_kbytes > user_min_free_kbytes)
		min_free_kbytes = min_free_kbytes_formula(lowmem_kbytes);
	else
		pr_warn("min_free_kbytes is not updated to %d because user defined value %d is preferred\n",
			new_min_free_kbytes, user_min_free_kbytes);
}

/* mult_frac(x, n, d) without overflowing x * n. */
static unsigned long mult_frac_ul(unsigned long x, unsigned long n, unsigned long d)
{
	return (x / d) * n + ((x % d) * n) / d;
}

/**
 * zone_wmarks_formula - the kernel's watermarks of one zone
 * @pages_min: min_free_kbytes in pages
 * @lowmem_pages: managed pages of all non-HighMem, non-Movable zones
 * @managed: this zone's managed pages
 * @zone_idx: this zone's index (HighMem and Movable are capped)
 * @scale_factor: watermark_scale_factor
 * @wmark: out: MIN, LOW, HIGH, PROMO
 *
 * Context: any.
 */
void zone_wmarks_formula(unsigned long pages_min, unsigned long lowmem_pages,
			 unsigned long managed, int zone_idx, int scale_factor,
			 unsigned long wmark[NR_WMARK])
{
	u64 tmp = lowmem_pages ? (u64)pages_min * managed / lowmem_pages : 0;
	u64 gap;

	if (zone_idx_wmark_capped(zone_idx))
		wmark[WMARK_MIN] = clamp(managed / 1024, SWAP_CLUSTER_MAX, 128UL);
	else
		wmark[WMARK_MIN] = (unsigned long)tmp;

	gap = max(tmp >> 2, (u64)mult_frac_ul(managed, (unsigned long)scale_factor, 10000));
	wmark[WMARK_LOW] = wmark[WMARK_MIN] + (unsigned long)gap;
	wmark[WMARK_HIGH] = wmark[WMARK_LOW] + (unsigned long)gap;
	wmark[WMARK_PROMO] = wmark[WMARK_HIGH] + (unsigned long)gap;
}

/* Caller holds wmark_lock. */
static void calculate_totalreserve_pages(void)
{
	unsigned long reserve_pages = 0;
	int nid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		pgdat->totalreserve_pages = 0;
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			unsigned long managed = zone_managed_pages(zone);
			long max = 0;

			/* The largest reserve this zone keeps for higher zones... */
			for (int j = i; j < MAX_NR_ZONES; j++)
				if (zone->lowmem_reserve[j] > max)
					max = zone->lowmem_reserve[j];
			/* ...plus the high watermark, never more than the zone. */
			max += (long)high_wmark_pages(zone);
			if (max > (long)managed)
				max = (long)managed;
			pgdat->totalreserve_pages += (unsigned long)max;
			reserve_pages += (unsigned long)max;
		}
	}
	totalreserve_pages = reserve_pages;
}

/**
 * lowmem_reserve_formula - pages zone @lower keeps back from allocations
 * whose highest usable zone is @upper
 * @managed: managed pages of each zone index of one node
 * @lower: the lower zone's index
 * @upper: the allocation's highest zone index
 * @ratio: sysctl_lowmem_reserve_ratio[@lower]
 *
 * Context: any.
 * Return: (managed of zones @lower+1 .. @upper) / @ratio; 0 when @upper <=
 * @lower, @ratio is 0 or zone @lower is empty.
 */
long lowmem_reserve_formula(const unsigned long managed[MAX_NR_ZONES], int lower, int upper,
			    int ratio)
{
	unsigned long sum = 0;

	if (upper <= lower || ratio <= 0 || !managed[lower])
		return 0;
	for (int j = lower + 1; j <= upper; j++)
		sum += managed[j];
	return (long)(sum / (unsigned long)ratio);
}

/* Caller holds wmark_lock. */
static void __setup_per_zone_lowmem_reserve(void)
{
	int nid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);
		unsigned long managed[MAX_NR_ZONES];

		for (int i = 0; i < MAX_NR_ZONES; i++)
			managed[i] = zone_managed_pages(&pgdat->node_zones[i]);
		for (int i = 0; i < MAX_NR_ZONES - 1; i++)
			for (int j = i + 1; j < MAX_NR_ZONES; j++)
				pgdat->node_zones[i].lowmem_reserve[j] =
					lowmem_reserve_formula(managed, i, j, sysctl_lowmem_reserve_ratio[i]);
	}
	calculate_totalreserve_pages();
}

/**
 * setup_per_zone_lowmem_reserve - recompute every zone's lowmem_reserve[]
 * from sysctl_lowmem_reserve_ratio, then totalreserve_pages
 *
 * Context: may not hold wmark_lock or any zone->lock.
 */
void setup_per_zone_lowmem_reserve(void)
{
	spin_lock(&wmark_lock);
	__setup_per_zone_lowmem_reserve();
	spin_unlock(&wmark_lock);
}

/* Caller holds wmark_lock. */
static void __setup_per_zone_wmarks(void)
{
	unsigned long pages_min = (unsigned long)min_free_kbytes >> (PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0;
	struct zone *zone;

	for_each_zone(zone) {
		if (!zone_idx_wmark_capped(zone_idx(zone)))
			lowmem_pages += zone_managed_pages(zone);
	}

	for_each_zone(zone) {
		unsigned long wmark[NR_WMARK];

		zone_wmarks_formula(pages_min, lowmem_pages, zone_managed_pages(zone),
				    zone_idx(zone), watermark_scale_factor, wmark);
		spin_lock(&zone->lock);
		zone->watermark_boost = 0;
		for (int i = 0; i < NR_WMARK; i++)
			zone->_watermark[i] = wmark[i];
		spin_unlock(&zone->lock);
	}
	calculate_totalreserve_pages();
}

/* pcp->high derives from the low watermark: refresh every zone's pagesets. */
static void update_all_zone_pcp(void)
{
	struct zone *zone;

	for_each_zone(zone)
		zone_pcp_update(zone, 0);
}

/**
 * setup_per_zone_wmarks - recompute every zone's watermarks from
 * min_free_kbytes and watermark_scale_factor, reset the boosts, update
 * totalreserve_pages and the pcp high/batch values
 *
 * Context: may not hold wmark_lock, any zone->lock or pcp lock.
 */
void setup_per_zone_wmarks(void)
{
	spin_lock(&wmark_lock);
	__setup_per_zone_wmarks();
	spin_unlock(&wmark_lock);
	update_all_zone_pcp();
}

/**
 * init_per_zone_wmark_min - the kernel's postcore initcall: min_free_kbytes,
 * watermarks, vmstat thresholds, lowmem reserves and totalreserve_pages
 *
 * At boot the sysctls of this file start from the kernel's defaults (a
 * previous machine in this process may have changed them).  Also run again
 * after memory hotplug changes a zone's size.
 *
 * Context: machine booting or booted; zonelists built; no locks held.
 */
void init_per_zone_wmark_min(void)
{
	if (!linmm_booted)
		watermark_sysctl_defaults();
	calculate_min_free_kbytes();
	setup_per_zone_wmarks();
	refresh_zone_stat_thresholds();
	setup_per_zone_lowmem_reserve();
}

/**
 * sysctl_set_min_free_kbytes - write vm.min_free_kbytes
 * @v: KiB, 0 .. INT_MAX
 *
 * The value becomes user_min_free_kbytes, so later automatic recomputations
 * (memory hotplug) keep it unless they compute more.
 *
 * Context: machine booted; no locks held.
 * Return: 0, or -EINVAL when out of range.
 */
int sysctl_set_min_free_kbytes(long v)
{
	if (v < 0 || v > INT_MAX)
		return -EINVAL;
	spin_lock(&wmark_lock);
	min_free_kbytes = (int)v;
	user_min_free_kbytes = (int)v;
	__setup_per_zone_wmarks();
	spin_unlock(&wmark_lock);
	update_all_zone_pcp();
	return 0;
}

/**
 * sysctl_set_watermark_scale_factor - write vm.watermark_scale_factor
 * @v: in units of 0.01% of a zone, 1 .. 3000
 *
 * Context: machine booted; no locks held.
 * Return: 0, or -EINVAL when out of range.
 */
int sysctl_set_watermark_scale_factor(long v)
{
	if (v < 1 || v > WATERMARK_SCALE_FACTOR_MAX)
		return -EINVAL;
	spin_lock(&wmark_lock);
	watermark_scale_factor = (int)v;
	__setup_per_zone_wmarks();
	spin_unlock(&wmark_lock);
	update_all_zone_pcp();
	return 0;
}

/**
 * sysctl_set_watermark_boost_factor - write vm.watermark_boost_factor
 * @v: in units of 0.01% of the high watermark, 0 .. INT_MAX (0 disables boosting)
 *
 * Read by the allocator when it boosts; nothing to recompute.
 *
 * Context: machine booted.
 * Return: 0, or -EINVAL when out of range.
 */
int sysctl_set_watermark_boost_factor(long v)
{
	if (v < 0 || v > INT_MAX)
		return -EINVAL;
	spin_lock(&wmark_lock);
	watermark_boost_factor = (int)v;
	spin_unlock(&wmark_lock);
	return 0;
}

/**
 * sysctl_set_percpu_pagelist_high_fraction - write vm.percpu_pagelist_high_fraction
 * @v: 0 (pcp high from the low watermark) or >= 8 (managed / @v split over the CPUs)
 *
 * Context: machine booted; no locks held.
 * Return: 0, or -EINVAL (negative, or 1..7: the kernel refuses those to
 * avoid pcp imbalance and keeps the old value).
 */
int sysctl_set_percpu_pagelist_high_fraction(long v)
{
	struct zone *zone;
	int old;

	if (v < 0 || v > INT_MAX)
		return -EINVAL;
	if (v && v < MIN_PERCPU_PAGELIST_HIGH_FRACTION)
		return -EINVAL;
	spin_lock(&wmark_lock);
	old = percpu_pagelist_high_fraction;
	percpu_pagelist_high_fraction = (int)v;
	spin_unlock(&wmark_lock);
	if (old == v)
		return 0;
	for_each_populated_zone(zone)
		zone_pcp_update(zone, 0);
	return 0;
}

/**
 * sysctl_set_lowmem_reserve_ratio - write vm.lowmem_reserve_ratio
 * @vals: ratios in the order /proc/sys/vm/lowmem_reserve_ratio lists them
 *        (one per zone the arch configures, lowest first)
 * @n: how many were written; zones past @n keep their ratio
 *
 * As in the kernel, a ratio below 1 is stored as 0 (no reserve).
 *
 * Context: machine booted; no locks held.
 * Return: 0, or -EINVAL when @n is negative or larger than the zone count.
 */
int sysctl_set_lowmem_reserve_ratio(const long *vals, int n)
{
	int idx, k = 0;

	if (n < 0)
		return -EINVAL;
	for (idx = 0; idx < MAX_NR_ZONES; idx++)
		k += arch_zone_configured(idx);
	if (n > k)
		return -EINVAL;
	for (int i = 0; i < n; i++)
		if (vals[i] > INT_MAX || vals[i] < INT_MIN)
			return -EINVAL;

	spin_lock(&wmark_lock);
	for (idx = 0, k = 0; idx < MAX_NR_ZONES && k < n; idx++) {
		if (!arch_zone_configured(idx))
			continue;
		sysctl_lowmem_reserve_ratio[idx] = vals[k] < 1 ? 0 : (int)vals[k];
		k++;
	}
	__setup_per_zone_lowmem_reserve();
	spin_unlock(&wmark_lock);
	return 0;
}
