// SPDX-License-Identifier: MIT
/*
 * vmstat.c - zone, node, NUMA and event counters, and the files that show
 * them: /proc/vmstat, /proc/zoneinfo, /proc/buddyinfo, /proc/pagetypeinfo
 * (mm/vmstat.c).
 *
 * Zone and node counters are split like the kernel's: an atomic total per
 * zone (node) plus a global atomic total, and a signed 8-bit delta per CPU.
 * An update changes only the calling CPU's delta until its magnitude passes
 * the CPU's stat_threshold; then the delta is folded into the totals:
 *
 *   delta  -3 ... +t   stays per CPU          |delta| > t  ->  total += delta
 *
 * so a reader of the total is off by at most nr_cpus * t per counter
 * (zone_page_state), unless it adds the deltas (zone_page_state_snapshot)
 * or they are folded first (refresh_vm_stats).  The threshold grows with
 * CPUs and zone size (calculate_normal_threshold):
 *
 *   t = min(125, 2 * fls(nr_cpus) * (1 + fls(managed_pages / 32768)))
 *
 * and is 0 (every update folds) until refresh_zone_stat_thresholds() runs.
 * Single-page increments fold with an "overstep" of t/2 so that a counter
 * moving one way folds half as often (__inc_zone_state).
 *
 * NUMA events (numa_hit...) are per-CPU unsigned longs folded into the zone
 * when read.  VM events (pgalloc_*, pgfree, pgfault...) are per-CPU
 * unsigned longs summed when read; they are never folded.
 *
 * Per-CPU deltas are updated with compare-and-exchange and folded with
 * exchange, so a fold from another host thread (refresh_vm_stats) never
 * loses an update.  Events use relaxed atomic adds.
 *
 * The names and order of the counters are /proc/vmstat's on Linux 6.18
 * x86_64; items whose kernel option a model lacks (CONFIG_NUMA on x86_32,
 * THP on 2-level x86_32) are left out of the files as if compiled out.
 *
 * Locks: none for counters.  The renderers take zone->lock around free-list
 * walks (buddyinfo, pagetypeinfo) and pcp->lock per CPU for pageset fields.
 */
#include <linmm/mm.h>
#include <linmm/printk.h>
#include <linmm/seq_file.h>
#include <linmm/smp.h>
#include <linmm/sysctl.h>
#include <linmm/vmstat.h>
#include <linmm/writeback.h>

#include "arch/arch.h"
#include "kernel/machine.h"
#include "mm/internal.h"

#define STAT_THRESHOLD_MAX 125
#define PAGETYPE_COUNT_CAP 100000	/* pagetypeinfo stops counting a list here */

static _Atomic long vm_zone_stat[NR_VM_ZONE_STAT_ITEMS];
static _Atomic long vm_node_stat[NR_VM_NODE_STAT_ITEMS];
static unsigned long vm_event_states[NR_CPUS][NR_VM_EVENT_ITEMS];
static _Atomic long nr_memmap_pages;

int sysctl_vm_numa_stat = 1;

/* ---- names ---- */

const char *const vmstat_text_zone[NR_VM_ZONE_STAT_ITEMS] = {
	[NR_FREE_PAGES] = "nr_free_pages",
	[NR_FREE_PAGES_BLOCKS] = "nr_free_pages_blocks",
	[NR_ZONE_INACTIVE_ANON] = "nr_zone_inactive_anon",
	[NR_ZONE_ACTIVE_ANON] = "nr_zone_active_anon",
	[NR_ZONE_INACTIVE_FILE] = "nr_zone_inactive_file",
	[NR_ZONE_ACTIVE_FILE] = "nr_zone_active_file",
	[NR_ZONE_UNEVICTABLE] = "nr_zone_unevictable",
	[NR_ZONE_WRITE_PENDING] = "nr_zone_write_pending",
	[NR_MLOCK] = "nr_mlock",
	[NR_ZSPAGES] = "nr_zspages",
	[NR_FREE_CMA_PAGES] = "nr_free_cma",
};

const char *const vmstat_text_numa[NR_VM_NUMA_EVENT_ITEMS] = {
	[NUMA_HIT] = "numa_hit",
	[NUMA_MISS] = "numa_miss",
	[NUMA_FOREIGN] = "numa_foreign",
	[NUMA_INTERLEAVE_HIT] = "numa_interleave",
	[NUMA_LOCAL] = "numa_local",
	[NUMA_OTHER] = "numa_other",
};

const char *const vmstat_text_node[NR_VM_NODE_STAT_ITEMS] = {
	[NR_INACTIVE_ANON] = "nr_inactive_anon",
	[NR_ACTIVE_ANON] = "nr_active_anon",
	[NR_INACTIVE_FILE] = "nr_inactive_file",
	[NR_ACTIVE_FILE] = "nr_active_file",
	[NR_UNEVICTABLE] = "nr_unevictable",
	[NR_SLAB_RECLAIMABLE_B] = "nr_slab_reclaimable",
	[NR_SLAB_UNRECLAIMABLE_B] = "nr_slab_unreclaimable",
	[NR_ISOLATED_ANON] = "nr_isolated_anon",
	[NR_ISOLATED_FILE] = "nr_isolated_file",
	[WORKINGSET_NODES] = "workingset_nodes",
	[WORKINGSET_REFAULT_ANON] = "workingset_refault_anon",
	[WORKINGSET_REFAULT_FILE] = "workingset_refault_file",
	[WORKINGSET_ACTIVATE_ANON] = "workingset_activate_anon",
	[WORKINGSET_ACTIVATE_FILE] = "workingset_activate_file",
	[WORKINGSET_RESTORE_ANON] = "workingset_restore_anon",
	[WORKINGSET_RESTORE_FILE] = "workingset_restore_file",
	[WORKINGSET_NODERECLAIM] = "workingset_nodereclaim",
	[NR_ANON_MAPPED] = "nr_anon_pages",
	[NR_FILE_MAPPED] = "nr_mapped",
	[NR_FILE_PAGES] = "nr_file_pages",
	[NR_FILE_DIRTY] = "nr_dirty",
	[NR_WRITEBACK] = "nr_writeback",
	[NR_SHMEM] = "nr_shmem",
	[NR_SHMEM_THPS] = "nr_shmem_hugepages",
	[NR_SHMEM_PMDMAPPED] = "nr_shmem_pmdmapped",
	[NR_FILE_THPS] = "nr_file_hugepages",
	[NR_FILE_PMDMAPPED] = "nr_file_pmdmapped",
	[NR_ANON_THPS] = "nr_anon_transparent_hugepages",
	[NR_VMSCAN_WRITE] = "nr_vmscan_write",
	[NR_VMSCAN_IMMEDIATE] = "nr_vmscan_immediate_reclaim",
	[NR_DIRTIED] = "nr_dirtied",
	[NR_WRITTEN] = "nr_written",
	[NR_THROTTLED_WRITTEN] = "nr_throttled_written",
	[NR_KERNEL_MISC_RECLAIMABLE] = "nr_kernel_misc_reclaimable",
	[NR_FOLL_PIN_ACQUIRED] = "nr_foll_pin_acquired",
	[NR_FOLL_PIN_RELEASED] = "nr_foll_pin_released",
	[NR_KERNEL_STACK_KB] = "nr_kernel_stack",
	[NR_PAGETABLE] = "nr_page_table_pages",
	[NR_SECONDARY_PAGETABLE] = "nr_sec_page_table_pages",
	[NR_IOMMU_PAGES] = "nr_iommu_pages",
	[NR_SWAPCACHE] = "nr_swapcached",
	[PGPROMOTE_SUCCESS] = "pgpromote_success",
	[PGPROMOTE_CANDIDATE] = "pgpromote_candidate",
	[PGPROMOTE_CANDIDATE_NRL] = "pgpromote_candidate_nrl",
	[PGDEMOTE_KSWAPD] = "pgdemote_kswapd",
	[PGDEMOTE_DIRECT] = "pgdemote_direct",
	[PGDEMOTE_KHUGEPAGED] = "pgdemote_khugepaged",
	[PGDEMOTE_PROACTIVE] = "pgdemote_proactive",
	[NR_HUGETLB] = "nr_hugetlb",
	[NR_BALLOON_PAGES] = "nr_balloon_pages",
	[NR_KERNEL_FILE_PAGES] = "nr_kernel_file_pages",
};

/* Per-zone events (pgalloc, allocstall, pgskip) are named prefix_suffix. */
static const char *const zone_event_suffix[MAX_NR_ZONES] = {
	"dma", "dma32", "normal", "high", "movable", "device",
};

const char *const vmstat_text_event[NR_VM_EVENT_ITEMS] = {
	[PGPGIN] = "pgpgin",
	[PGPGOUT] = "pgpgout",
	[PSWPIN] = "pswpin",
	[PSWPOUT] = "pswpout",
	[PGFREE] = "pgfree",
	[PGACTIVATE] = "pgactivate",
	[PGDEACTIVATE] = "pgdeactivate",
	[PGLAZYFREE] = "pglazyfree",
	[PGFAULT] = "pgfault",
	[PGMAJFAULT] = "pgmajfault",
	[PGLAZYFREED] = "pglazyfreed",
	[PGREFILL] = "pgrefill",
	[PGREUSE] = "pgreuse",
	[PGSTEAL_KSWAPD] = "pgsteal_kswapd",
	[PGSTEAL_DIRECT] = "pgsteal_direct",
	[PGSTEAL_KHUGEPAGED] = "pgsteal_khugepaged",
	[PGSTEAL_PROACTIVE] = "pgsteal_proactive",
	[PGSCAN_KSWAPD] = "pgscan_kswapd",
	[PGSCAN_DIRECT] = "pgscan_direct",
	[PGSCAN_KHUGEPAGED] = "pgscan_khugepaged",
	[PGSCAN_PROACTIVE] = "pgscan_proactive",
	[PGSCAN_DIRECT_THROTTLE] = "pgscan_direct_throttle",
	[PGSCAN_ANON] = "pgscan_anon",
	[PGSCAN_FILE] = "pgscan_file",
	[PGSTEAL_ANON] = "pgsteal_anon",
	[PGSTEAL_FILE] = "pgsteal_file",
	[ZONE_RECLAIM_SUCCESS] = "zone_reclaim_success",
	[ZONE_RECLAIM_FAILED] = "zone_reclaim_failed",
	[PGINODESTEAL] = "pginodesteal",
	[SLABS_SCANNED] = "slabs_scanned",
	[KSWAPD_INODESTEAL] = "kswapd_inodesteal",
	[KSWAPD_LOW_WMARK_HIT_QUICKLY] = "kswapd_low_wmark_hit_quickly",
	[KSWAPD_HIGH_WMARK_HIT_QUICKLY] = "kswapd_high_wmark_hit_quickly",
	[PAGEOUTRUN] = "pageoutrun",
	[PGROTATED] = "pgrotated",
	[DROP_PAGECACHE] = "drop_pagecache",
	[DROP_SLAB] = "drop_slab",
	[OOM_KILL] = "oom_kill",
	[NUMA_PTE_UPDATES] = "numa_pte_updates",
	[NUMA_HUGE_PTE_UPDATES] = "numa_huge_pte_updates",
	[NUMA_HINT_FAULTS] = "numa_hint_faults",
	[NUMA_HINT_FAULTS_LOCAL] = "numa_hint_faults_local",
	[NUMA_PAGES_MIGRATED] = "numa_pages_migrated",
	[PGMIGRATE_SUCCESS] = "pgmigrate_success",
	[PGMIGRATE_FAIL] = "pgmigrate_fail",
	[THP_MIGRATION_SUCCESS] = "thp_migration_success",
	[THP_MIGRATION_FAIL] = "thp_migration_fail",
	[THP_MIGRATION_SPLIT] = "thp_migration_split",
	[COMPACT_MIGRATE_SCANNED] = "compact_migrate_scanned",
	[COMPACT_FREE_SCANNED] = "compact_free_scanned",
	[COMPACT_ISOLATED] = "compact_isolated",
	[COMPACT_STALL] = "compact_stall",
	[COMPACT_FAIL] = "compact_fail",
	[COMPACT_SUCCESS] = "compact_success",
	[COMPACT_DAEMON_WAKE] = "compact_daemon_wake",
	[COMPACT_DAEMON_MIGRATE_SCANNED] = "compact_daemon_migrate_scanned",
	[COMPACT_DAEMON_FREE_SCANNED] = "compact_daemon_free_scanned",
	[HTLB_BUDDY_ALLOC_SUCCESS] = "htlb_buddy_alloc_success",
	[HTLB_BUDDY_ALLOC_FAIL] = "htlb_buddy_alloc_fail",
	[UNEVICTABLE_PGS_CULLED] = "unevictable_pgs_culled",
	[UNEVICTABLE_PGS_SCANNED] = "unevictable_pgs_scanned",
	[UNEVICTABLE_PGS_RESCUED] = "unevictable_pgs_rescued",
	[UNEVICTABLE_PGS_MLOCKED] = "unevictable_pgs_mlocked",
	[UNEVICTABLE_PGS_MUNLOCKED] = "unevictable_pgs_munlocked",
	[UNEVICTABLE_PGS_CLEARED] = "unevictable_pgs_cleared",
	[UNEVICTABLE_PGS_STRANDED] = "unevictable_pgs_stranded",
	[THP_FAULT_ALLOC] = "thp_fault_alloc",
	[THP_FAULT_FALLBACK] = "thp_fault_fallback",
	[THP_FAULT_FALLBACK_CHARGE] = "thp_fault_fallback_charge",
	[THP_COLLAPSE_ALLOC] = "thp_collapse_alloc",
	[THP_COLLAPSE_ALLOC_FAILED] = "thp_collapse_alloc_failed",
	[THP_FILE_ALLOC] = "thp_file_alloc",
	[THP_FILE_FALLBACK] = "thp_file_fallback",
	[THP_FILE_FALLBACK_CHARGE] = "thp_file_fallback_charge",
	[THP_FILE_MAPPED] = "thp_file_mapped",
	[THP_SPLIT_PAGE] = "thp_split_page",
	[THP_SPLIT_PAGE_FAILED] = "thp_split_page_failed",
	[THP_DEFERRED_SPLIT_PAGE] = "thp_deferred_split_page",
	[THP_UNDERUSED_SPLIT_PAGE] = "thp_underused_split_page",
	[THP_SPLIT_PMD] = "thp_split_pmd",
	[THP_SCAN_EXCEED_NONE_PTE] = "thp_scan_exceed_none_pte",
	[THP_SCAN_EXCEED_SWAP_PTE] = "thp_scan_exceed_swap_pte",
	[THP_SCAN_EXCEED_SHARE_PTE] = "thp_scan_exceed_share_pte",
	[THP_SPLIT_PUD] = "thp_split_pud",
	[THP_ZERO_PAGE_ALLOC] = "thp_zero_page_alloc",
	[THP_ZERO_PAGE_ALLOC_FAILED] = "thp_zero_page_alloc_failed",
	[THP_SWPOUT] = "thp_swpout",
	[THP_SWPOUT_FALLBACK] = "thp_swpout_fallback",
	[BALLOON_INFLATE] = "balloon_inflate",
	[BALLOON_DEFLATE] = "balloon_deflate",
	[BALLOON_MIGRATE] = "balloon_migrate",
	[SWAP_RA] = "swap_ra",
	[SWAP_RA_HIT] = "swap_ra_hit",
	[SWPIN_ZERO] = "swpin_zero",
	[SWPOUT_ZERO] = "swpout_zero",
	[KSM_SWPIN_COPY] = "ksm_swpin_copy",
	[COW_KSM] = "cow_ksm",
	[ZSWPIN] = "zswpin",
	[ZSWPOUT] = "zswpout",
	[ZSWPWB] = "zswpwb",
	[DIRECT_MAP_LEVEL2_SPLITS] = "direct_map_level2_splits",
	[DIRECT_MAP_LEVEL3_SPLITS] = "direct_map_level3_splits",
	[DIRECT_MAP_LEVEL2_COLLAPSES] = "direct_map_level2_collapses",
	[DIRECT_MAP_LEVEL3_COLLAPSES] = "direct_map_level3_collapses",
};

/* ---- which items the running model "compiles in" ---- */

static bool node_stat_configured(enum node_stat_item item)
{
	switch (item) {
	case PGPROMOTE_SUCCESS:
	case PGPROMOTE_CANDIDATE:
	case PGPROMOTE_CANDIDATE_NRL:
		return linmm_arch->numa;	/* CONFIG_NUMA_BALANCING */
	default:
		return true;
	}
}

static bool vm_event_configured(enum vm_event_item item)
{
	if (item >= PGALLOC_DMA && item <= PGSKIP_DEVICE)
		return arch_zone_configured((int)(item - PGALLOC_DMA) % MAX_NR_ZONES);
	if (item == ZONE_RECLAIM_SUCCESS || item == ZONE_RECLAIM_FAILED ||
	    (item >= NUMA_PTE_UPDATES && item <= NUMA_PAGES_MIGRATED))
		return linmm_arch->numa;	/* CONFIG_NUMA, CONFIG_NUMA_BALANCING */
	if (item == THP_SPLIT_PUD)
		return linmm_arch->bits == 64;	/* HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD */
	if (item >= THP_FAULT_ALLOC && item <= THP_SWPOUT_FALLBACK)
		return arch_has_transparent_hugepage();
	return true;
}

/* vmstat_item_print_in_thp(): these node items are shown in huge pages. */
static bool node_stat_print_in_thp(enum node_stat_item item)
{
	if (!arch_has_transparent_hugepage())
		return false;
	return item == NR_ANON_THPS || item == NR_FILE_THPS || item == NR_SHMEM_THPS ||
	       item == NR_SHMEM_PMDMAPPED || item == NR_FILE_PMDMAPPED;
}

/* vmstat_item_in_bytes(): the slab items are updated in bytes, kept in pages. */
static bool node_stat_in_bytes(enum node_stat_item item)
{
	return item == NR_SLAB_RECLAIMABLE_B || item == NR_SLAB_UNRECLAIMABLE_B;
}

/* ---- zone and node counters ---- */

static void zone_page_state_add(long x, struct zone *zone, enum zone_stat_item item)
{
	atomic_fetch_add_explicit(&zone->vm_stat[item], x, memory_order_relaxed);
	atomic_fetch_add_explicit(&vm_zone_stat[item], x, memory_order_relaxed);
}

static void node_page_state_add(long x, struct pglist_data *pgdat, enum node_stat_item item)
{
	atomic_fetch_add_explicit(&pgdat->vm_stat[item], x, memory_order_relaxed);
	atomic_fetch_add_explicit(&vm_node_stat[item], x, memory_order_relaxed);
}

/*
 * Add @delta to the s8 at @diff; when the result passes ±@t, leave
 * -overstep there and return what must be folded into the totals
 * (overstep = @overstep_mode * t/2: 0 plain, +1 increments, -1 decrements).
 */
static long mod_diff(s8 *diff, s8 t, long delta, int overstep_mode)
{
	s8 old = __atomic_load_n(diff, __ATOMIC_RELAXED);
	long n, fold;

	do {
		n = delta + old;
		fold = 0;
		if (n > t || n < -t) {
			long os = overstep_mode * (t >> 1);

			fold = n + os;
			n = -os;
		}
	} while (!__atomic_compare_exchange_n(diff, &old, (s8)n, false, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return fold;
}

static void mod_zone_state(struct zone *zone, enum zone_stat_item item, long delta,
			   int overstep_mode)
{
	struct per_cpu_zonestat *pz;
	long fold;

	/* Before zone_alloc_percpu() there are no deltas: update the totals. */
	if (!zone->per_cpu_zonestats) {
		zone_page_state_add(delta, zone, item);
		return;
	}
	pz = &zone->per_cpu_zonestats[smp_processor_id()];
	fold = mod_diff(&pz->vm_stat_diff[item], __atomic_load_n(&pz->stat_threshold,
								 __ATOMIC_RELAXED),
			delta, overstep_mode);
	if (fold)
		zone_page_state_add(fold, zone, item);
}

static void mod_node_state(struct pglist_data *pgdat, enum node_stat_item item, long delta,
			   int overstep_mode)
{
	struct per_cpu_nodestat *pn;
	long fold;

	if (node_stat_in_bytes(item)) {
		VM_WARN_ON_ONCE(delta & (long)(PAGE_SIZE - 1));
		delta /= (long)PAGE_SIZE;
	}
	if (!pgdat->per_cpu_nodestats) {
		node_page_state_add(delta, pgdat, item);
		return;
	}
	pn = &pgdat->per_cpu_nodestats[smp_processor_id()];
	fold = mod_diff(&pn->vm_node_stat_diff[item], __atomic_load_n(&pn->stat_threshold,
								      __ATOMIC_RELAXED),
			delta, overstep_mode);
	if (fold)
		node_page_state_add(fold, pgdat, item);
}

/**
 * __mod_zone_page_state - add @delta to a zone counter through this CPU's delta.
 * @zone: the zone
 * @item: the counter
 * @delta: pages (may be negative)
 *
 * Context: any; the kernel requires interrupts off, linmm's update is atomic.
 */
void __mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta)
{
	mod_zone_state(zone, item, delta, 0);
}

/**
 * mod_zone_page_state - as __mod_zone_page_state(), from any context.
 * @zone: the zone
 * @item: the counter
 * @delta: pages (may be negative)
 *
 * Context: any.
 */
void mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta)
{
	mod_zone_state(zone, item, delta, 0);
}

/**
 * __inc_zone_state - add 1 to a zone counter; on folding, overstep by t/2.
 * @zone: the zone
 * @item: the counter
 *
 * The __dec, page and unprefixed forms below are the same operation on the
 * page's zone, or subtracting 1 (all are atomic in linmm, so the kernel's
 * irq-safe and irq-unsafe variants coincide).
 *
 * Context: any.
 */
void __inc_zone_state(struct zone *zone, enum zone_stat_item item)
{
	mod_zone_state(zone, item, 1, 1);
}

void __dec_zone_state(struct zone *zone, enum zone_stat_item item)
{
	mod_zone_state(zone, item, -1, -1);
}

void __inc_zone_page_state(struct page *page, enum zone_stat_item item)
{
	__inc_zone_state(page_zone(page), item);
}

void __dec_zone_page_state(struct page *page, enum zone_stat_item item)
{
	__dec_zone_state(page_zone(page), item);
}

void inc_zone_page_state(struct page *page, enum zone_stat_item item)
{
	__inc_zone_state(page_zone(page), item);
}

void dec_zone_page_state(struct page *page, enum zone_stat_item item)
{
	__dec_zone_state(page_zone(page), item);
}

/**
 * __mod_node_page_state - add @delta to a node counter through this CPU's delta.
 * @pgdat: the node
 * @item: the counter
 * @delta: pages (bytes for the slab items, KiB for NR_KERNEL_STACK_KB)
 *
 * Context: any.
 */
void __mod_node_page_state(struct pglist_data *pgdat, enum node_stat_item item, long delta)
{
	mod_node_state(pgdat, item, delta, 0);
}

/**
 * mod_node_page_state - as __mod_node_page_state(), from any context.
 * @pgdat: the node
 * @item: the counter
 * @delta: as for __mod_node_page_state()
 *
 * Context: any.
 */
void mod_node_page_state(struct pglist_data *pgdat, enum node_stat_item item, long delta)
{
	mod_node_state(pgdat, item, delta, 0);
}

/**
 * __inc_node_state - add 1 to a node counter; on folding, overstep by t/2.
 * @pgdat: the node
 * @item: the counter (not one of the byte-counted slab items)
 *
 * The __dec, page and unprefixed forms below are the same operation on the
 * page's node, or subtracting 1.
 *
 * Context: any.
 */
void __inc_node_state(struct pglist_data *pgdat, enum node_stat_item item)
{
	VM_WARN_ON_ONCE(node_stat_in_bytes(item));
	mod_node_state(pgdat, item, 1, 1);
}

void __dec_node_state(struct pglist_data *pgdat, enum node_stat_item item)
{
	VM_WARN_ON_ONCE(node_stat_in_bytes(item));
	mod_node_state(pgdat, item, -1, -1);
}

void __inc_node_page_state(struct page *page, enum node_stat_item item)
{
	__inc_node_state(page_pgdat(page), item);
}

void __dec_node_page_state(struct page *page, enum node_stat_item item)
{
	__dec_node_state(page_pgdat(page), item);
}

void inc_node_page_state(struct page *page, enum node_stat_item item)
{
	__inc_node_state(page_pgdat(page), item);
}

void dec_node_page_state(struct page *page, enum node_stat_item item)
{
	__dec_node_state(page_pgdat(page), item);
}

/* Totals can be transiently negative while deltas are unfolded: show 0. */
static long clamp_positive(long x)
{
	return x < 0 ? 0 : x;
}

/**
 * zone_page_state - a zone counter's folded total (approximate).
 * @zone: the zone
 * @item: the counter
 *
 * Context: any.
 * Return: the total, off by at most nr_cpus * stat_threshold; never negative.
 */
long zone_page_state(struct zone *zone, enum zone_stat_item item)
{
	return clamp_positive(atomic_load_explicit(&zone->vm_stat[item], memory_order_relaxed));
}

/**
 * zone_page_state_snapshot - a zone counter including every CPU's delta.
 * @zone: the zone
 * @item: the counter
 *
 * Context: any.
 * Return: the exact value at the time each delta was read; never negative.
 */
long zone_page_state_snapshot(struct zone *zone, enum zone_stat_item item)
{
	long x = atomic_load_explicit(&zone->vm_stat[item], memory_order_relaxed);
	int cpu;

	if (zone->per_cpu_zonestats)
		for_each_online_cpu(cpu)
			x += __atomic_load_n(&zone->per_cpu_zonestats[cpu].vm_stat_diff[item],
					     __ATOMIC_RELAXED);
	return clamp_positive(x);
}

/**
 * global_zone_page_state - a zone counter summed over all zones (folded part).
 * @item: the counter
 *
 * The node forms below read one node's or all nodes' folded totals alike;
 * byte-counted items read back in pages.
 *
 * Context: any.
 * Return: the total, never negative.
 */
long global_zone_page_state(enum zone_stat_item item)
{
	return clamp_positive(atomic_load_explicit(&vm_zone_stat[item], memory_order_relaxed));
}

long node_page_state(struct pglist_data *pgdat, enum node_stat_item item)
{
	return clamp_positive(atomic_load_explicit(&pgdat->vm_stat[item], memory_order_relaxed));
}

long global_node_page_state(enum node_stat_item item)
{
	return clamp_positive(atomic_load_explicit(&vm_node_stat[item], memory_order_relaxed));
}

/* ---- NUMA events ---- */

/*
 * A per-CPU event slot is written only by the thread running on that CPU
 * (one host thread per simulated CPU, as one task per CPU), so an update is
 * a relaxed load and store, not a locked read-modify-write: this is the
 * kernel's this_cpu_add(), and it keeps the allocator fast path free of
 * atomic RMWs.  Readers on other CPUs sum with relaxed loads.
 */
static inline void pcpu_counter_add(unsigned long *slot, unsigned long delta)
{
	__atomic_store_n(slot, __atomic_load_n(slot, __ATOMIC_RELAXED) + delta, __ATOMIC_RELAXED);
}

/**
 * __count_numa_event - count one NUMA placement event on this CPU.
 * @zone: the zone the page came from
 * @item: NUMA_HIT, NUMA_MISS, ...
 *
 * Context: any.  Does nothing while vm.numa_stat is 0.
 */
void __count_numa_event(struct zone *zone, enum numa_stat_item item)
{
	if (!__atomic_load_n(&sysctl_vm_numa_stat, __ATOMIC_RELAXED))
		return;
	if (!zone->per_cpu_zonestats) {
		atomic_fetch_add_explicit(&zone->vm_numa_event[item], 1, memory_order_relaxed);
		return;
	}
	pcpu_counter_add(&zone->per_cpu_zonestats[smp_processor_id()].vm_numa_event[item], 1);
}

/**
 * zone_numa_event_state - a zone's NUMA event count.
 * @zone: the zone
 * @item: NUMA_HIT ...
 *
 * NUMA events stay in their CPU's slot (only that CPU writes it, without a
 * locked instruction) and are summed on read; zone->vm_numa_event holds
 * what was counted before the per-CPU slots existed.
 *
 * Context: any; concurrent events may or may not be included.
 * Return: the count.
 */
unsigned long zone_numa_event_state(struct zone *zone, enum numa_stat_item item)
{
	unsigned long sum = atomic_load_explicit(&zone->vm_numa_event[item], memory_order_relaxed);
	int cpu;

	if (zone->per_cpu_zonestats)
		for_each_online_cpu(cpu)
			sum += __atomic_load_n(&zone->per_cpu_zonestats[cpu].vm_numa_event[item],
					       __ATOMIC_RELAXED);
	return sum;
}

/* global_numa_event_state - the same over every zone. */
unsigned long global_numa_event_state(enum numa_stat_item item)
{
	struct zone *zone;
	unsigned long sum = 0;

	for_each_zone(zone)
		sum += zone_numa_event_state(zone, item);
	return sum;
}

/* invalid_numa_statistics(): zero every NUMA counter, pending ones included. */
static void zero_numa_counters(void)
{
	struct zone *zone;
	int cpu;

	for_each_populated_zone(zone) {
		for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++) {
			atomic_store_explicit(&zone->vm_numa_event[i], 0, memory_order_relaxed);
			if (!zone->per_cpu_zonestats)
				continue;
			for_each_online_cpu(cpu)
				__atomic_store_n(&zone->per_cpu_zonestats[cpu].vm_numa_event[i], 0,
						 __ATOMIC_RELAXED);
		}
	}
}

/**
 * sysctl_vm_numa_stat_handler - vm.numa_stat: 1 counts NUMA events, 0 stops
 * counting and clears them.
 * @table: the vm.numa_stat entry (bounds 0..1)
 * @write: 0 to show, 1 to parse @buf
 * @m: output for a read
 * @buf: the value written
 *
 * Context: sysctl write.
 * Return: 0 or -EINVAL.
 */
int sysctl_vm_numa_stat_handler(const struct ctl_table *table, int write, struct seq_file *m,
				const char *buf)
{
	int old = sysctl_vm_numa_stat;
	int ret = proc_dointvec_minmax(table, write, m, buf);

	if (ret || !write || old == sysctl_vm_numa_stat)
		return ret;
	if (sysctl_vm_numa_stat) {
		pr_info("enable numa statistics\n");
	} else {
		zero_numa_counters();
		pr_info("disable numa statistics, and clear numa counters\n");
	}
	return 0;
}

/* ---- VM events ---- */

/**
 * __count_vm_events - add @delta to event @item on this CPU.
 * @item: the event
 * @delta: how many
 *
 * Context: any.
 */
void __count_vm_events(enum vm_event_item item, long delta)
{
	pcpu_counter_add(&vm_event_states[smp_processor_id()][item], (unsigned long)delta);
}

/**
 * sum_vm_event - an event's count over every CPU.
 * @item: the event
 *
 * Context: any; concurrent counts may or may not be included.
 * Return: the sum.
 */
unsigned long sum_vm_event(enum vm_event_item item)
{
	unsigned long sum = 0;

	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		sum += __atomic_load_n(&vm_event_states[cpu][item], __ATOMIC_RELAXED);
	return sum;
}

/**
 * memmap_pages_add - account memmap pages populated after boot (hotplug).
 * @delta: pages of struct page added (negative when removed)
 *
 * Context: any.
 */
void memmap_pages_add(long delta)
{
	atomic_fetch_add_explicit(&nr_memmap_pages, delta, memory_order_relaxed);
}

/* ---- folding and thresholds ---- */

/**
 * drain_zonestat - fold every CPU's counter deltas of @zone into it (NUMA
 * events need no folding: they are summed on read)
 * @zone: the zone (also when it has just become empty: memory offline)
 *
 * Context: any.
 */
void drain_zonestat(struct zone *zone)
{
	int cpu;

	if (!zone->per_cpu_zonestats)
		return;
	for_each_online_cpu(cpu) {
		struct per_cpu_zonestat *pz = &zone->per_cpu_zonestats[cpu];

		for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++) {
			s8 v = __atomic_exchange_n(&pz->vm_stat_diff[i], 0, __ATOMIC_RELAXED);

			if (v)
				zone_page_state_add(v, zone, i);
		}
	}
}

/**
 * refresh_vm_stats - fold every CPU's zone, node and NUMA deltas into the totals.
 *
 * Context: any (what /proc/sys/vm/stat_refresh and quiet_vmstat do).
 * Afterwards zone_page_state() is exact until the next update.
 */
void refresh_vm_stats(void)
{
	struct zone *zone;
	int nid, cpu;

	/* Every zone, populated or not: an emptied zone may still hold deltas. */
	for_each_zone(zone)
		drain_zonestat(zone);
	for_each_online_node(nid) {
		struct pglist_data *pgdat = NODE_DATA(nid);

		if (!pgdat->per_cpu_nodestats)
			continue;
		for_each_online_cpu(cpu) {
			struct per_cpu_nodestat *pn = &pgdat->per_cpu_nodestats[cpu];

			for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++) {
				s8 v = __atomic_exchange_n(&pn->vm_node_stat_diff[i], 0,
							   __ATOMIC_RELAXED);

				if (v)
					node_page_state_add(v, pgdat, i);
			}
		}
	}
}

/**
 * vmstat_refresh - /proc/sys/vm/stat_refresh: reading or writing folds every
 * CPU's deltas (refresh_vm_stats) and shows nothing.
 * @table: the entry
 * @write: 0 read, 1 write (the value is ignored)
 * @m: output (left empty)
 * @buf: ignored
 *
 * Context: sysctl.
 * Return: 0.
 */
int vmstat_refresh(const struct ctl_table *table, int write, struct seq_file *m, const char *buf)
{
	refresh_vm_stats();
	return 0;
}

static int calculate_normal_threshold(struct zone *zone)
{
	unsigned long mem = zone_managed_pages(zone) >> (27 - PAGE_SHIFT); /* 128 MiB units */
	int threshold = 2 * fls(nr_cpu_ids) * (1 + fls((unsigned int)mem));

	return min(STAT_THRESHOLD_MAX, threshold);
}

/**
 * refresh_zone_stat_thresholds - set every CPU's stat_threshold for every
 * populated zone (calculate_normal_threshold) and every node (the largest of
 * its zones').
 *
 * Context: boot after managed pages are known (init_per_zone_wmark_min), and
 * after memory hotplug.  Deltas already above a lowered threshold fold on
 * their next update.
 */
void refresh_zone_stat_thresholds(void)
{
	struct zone *zone;
	int nid, cpu;

	for_each_online_node(nid) {
		struct pglist_data *pgdat = NODE_DATA(nid);

		if (pgdat->per_cpu_nodestats)
			for_each_online_cpu(cpu)
				__atomic_store_n(&pgdat->per_cpu_nodestats[cpu].stat_threshold, 0,
						 __ATOMIC_RELAXED);
	}
	for_each_populated_zone(zone) {
		struct pglist_data *pgdat = zone->zone_pgdat;
		int threshold = calculate_normal_threshold(zone);

		if (!zone->per_cpu_zonestats)
			continue;
		for_each_online_cpu(cpu) {
			__atomic_store_n(&zone->per_cpu_zonestats[cpu].stat_threshold, (s8)threshold,
					 __ATOMIC_RELAXED);
			if (pgdat->per_cpu_nodestats) {
				struct per_cpu_nodestat *pn = &pgdat->per_cpu_nodestats[cpu];

				__atomic_store_n(&pn->stat_threshold,
						 (s8)max((int)pn->stat_threshold, threshold),
						 __ATOMIC_RELAXED);
			}
		}
	}
}

/**
 * vmstat_init - reset the global counters and every CPU's events (boot).
 *
 * Context: boot, before free_area_init(); the zone and node counters live in
 * the zones and nodes and start zeroed with them.
 */
void vmstat_init(void)
{
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		atomic_store_explicit(&vm_zone_stat[i], 0, memory_order_relaxed);
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		atomic_store_explicit(&vm_node_stat[i], 0, memory_order_relaxed);
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
			__atomic_store_n(&vm_event_states[cpu][i], 0, __ATOMIC_RELAXED);
	atomic_store_explicit(&nr_memmap_pages, 0, memory_order_relaxed);
	sysctl_vm_numa_stat = 1;
}

/* ---- /proc renderers ---- */

/* A migrate type /proc shows: linmm models a kernel without CONFIG_CMA. */
static bool migratetype_shown(int mt)
{
	return mt != MIGRATE_CMA;
}

/* frag_show_print(): one /proc/buddyinfo line. */
static void frag_show_print(struct seq_file *m, struct pglist_data *pgdat, struct zone *zone)
{
	unsigned long nr_free[NR_PAGE_ORDERS];

	spin_lock(&zone->lock);
	for (int order = 0; order < NR_PAGE_ORDERS; order++)
		nr_free[order] = zone->free_area[order].nr_free;
	spin_unlock(&zone->lock);
	seq_printf(m, "Node %d, zone %8s ", pgdat->node_id, zone->name);
	for (int order = 0; order < NR_PAGE_ORDERS; order++)
		seq_printf(m, "%6lu ", nr_free[order]);
	seq_putc(m, '\n');
}

/**
 * frag_show - render /proc/buddyinfo: free blocks per order, per populated zone.
 * @m: output
 *
 * Context: takes each zone->lock in turn.
 */
void frag_show(struct seq_file *m)
{
	int nid;

	for_each_online_node(nid) {
		struct pglist_data *pgdat = NODE_DATA(nid);

		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = &pgdat->node_zones[zid];

			if (arch_zone_configured(zid) && populated_zone(zone))
				frag_show_print(m, pgdat, zone);
		}
	}
}

static void pagetypeinfo_showfree_print(struct seq_file *m, struct pglist_data *pgdat,
					struct zone *zone)
{
	for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
		if (!migratetype_shown(mt))
			continue;
		seq_printf(m, "Node %4d, zone %8s, type %12s ", pgdat->node_id, zone->name,
			   migratetype_names[mt]);
		for (int order = 0; order < NR_PAGE_ORDERS; order++) {
			unsigned long count = 0;
			bool overflow = false;
			struct list_head *pos;

			spin_lock(&zone->lock);
			list_for_each(pos, &zone->free_area[order].free_list[mt]) {
				if (++count >= PAGETYPE_COUNT_CAP) {
					overflow = true;
					break;
				}
			}
			spin_unlock(&zone->lock);
			seq_printf(m, "%s%6lu ", overflow ? ">" : "", count);
		}
		seq_putc(m, '\n');
	}
}

static void pagetypeinfo_showblockcount_print(struct seq_file *m, struct pglist_data *pgdat,
					      struct zone *zone)
{
	unsigned long count[MIGRATE_TYPES] = { 0 };

	for (unsigned long pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone);
	     pfn += pageblock_nr_pages) {
		struct page *page;
		int mt;

		if (!pfn_valid(pfn))
			continue;
		page = pfn_to_page(pfn);
		if (page_zone(page) != zone)
			continue;
		mt = get_pageblock_migratetype(page);
		if (mt < MIGRATE_TYPES)
			count[mt]++;
	}
	seq_printf(m, "Node %d, zone %8s ", pgdat->node_id, zone->name);
	for (int mt = 0; mt < MIGRATE_TYPES; mt++)
		if (migratetype_shown(mt))
			seq_printf(m, "%12lu ", count[mt]);
	seq_putc(m, '\n');
}

/**
 * pagetypeinfo_show - render /proc/pagetypeinfo: per node with memory, free
 * blocks per migrate type and order, then pageblocks per migrate type.
 * @m: output
 *
 * Context: takes each zone->lock in turn.
 */
void pagetypeinfo_show(struct seq_file *m)
{
	int nid;

	for_each_online_node(nid) {
		struct pglist_data *pgdat = NODE_DATA(nid);

		if (!pgdat->node_present_pages)
			continue;	/* memoryless node */
		seq_printf(m, "Page block order: %d\n", pageblock_order);
		seq_printf(m, "Pages per block:  %lu\n", pageblock_nr_pages);
		seq_putc(m, '\n');
		seq_printf(m, "%-43s ", "Free pages count per migrate type at order");
		for (int order = 0; order < NR_PAGE_ORDERS; order++)
			seq_printf(m, "%6d ", order);
		seq_putc(m, '\n');
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = &pgdat->node_zones[zid];

			if (arch_zone_configured(zid) && populated_zone(zone))
				pagetypeinfo_showfree_print(m, pgdat, zone);
		}
		seq_printf(m, "\n%-23s", "Number of blocks type ");
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			if (migratetype_shown(mt))
				seq_printf(m, "%12s ", migratetype_names[mt]);
		seq_putc(m, '\n');
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = &pgdat->node_zones[zid];

			if (arch_zone_configured(zid) && populated_zone(zone))
				pagetypeinfo_showblockcount_print(m, pgdat, zone);
		}
	}
}

static bool is_zone_first_populated(struct pglist_data *pgdat, struct zone *zone)
{
	for (int zid = 0; zid < MAX_NR_ZONES; zid++)
		if (populated_zone(&pgdat->node_zones[zid]))
			return zone == &pgdat->node_zones[zid];
	return false;
}

/* Node counter in pages, as zoneinfo and vmstat print it. */
static unsigned long node_stat_shown(long pages, enum node_stat_item item)
{
	return node_stat_print_in_thp(item) ? (unsigned long)pages / arch_hpage_pmd_nr()
					    : (unsigned long)pages;
}

static void zoneinfo_show_pagesets(struct seq_file *m, struct zone *zone)
{
	int cpu;

	seq_puts(m, "\n  pagesets");
	for_each_online_cpu(cpu) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
		int count, high, batch, high_min, high_max;

		spin_lock(&pcp->lock);
		count = pcp->count;
		high = pcp->high;
		batch = pcp->batch;
		high_min = pcp->high_min;
		high_max = pcp->high_max;
		spin_unlock(&pcp->lock);
		seq_printf(m,
			   "\n    cpu: %i"
			   "\n              count:    %i"
			   "\n              high:     %i"
			   "\n              batch:    %i"
			   "\n              high_min: %i"
			   "\n              high_max: %i",
			   cpu, count, high, batch, high_min, high_max);
		seq_printf(m, "\n  vm stats threshold: %d",
			   __atomic_load_n(&zone->per_cpu_zonestats[cpu].stat_threshold,
					   __ATOMIC_RELAXED));
	}
}

/* zoneinfo_show_print(): one zone's block of /proc/zoneinfo. */
static void zoneinfo_show_print(struct seq_file *m, struct pglist_data *pgdat, struct zone *zone)
{
	bool first = true;

	seq_printf(m, "Node %d, zone %8s", pgdat->node_id, zone->name);
	if (is_zone_first_populated(pgdat, zone)) {
		seq_puts(m, "\n  per-node stats");
		for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
			if (node_stat_configured(i))
				seq_printf(m, "\n      %-12s %lu", vmstat_text_node[i],
					   node_stat_shown(node_page_state(pgdat, i), i));
	}
	seq_printf(m,
		   "\n  pages free     %lu"
		   "\n        boost    %lu"
		   "\n        min      %lu"
		   "\n        low      %lu"
		   "\n        high     %lu"
		   "\n        promo    %lu"
		   "\n        spanned  %lu"
		   "\n        present  %lu"
		   "\n        managed  %lu"
		   "\n        cma      %lu",
		   (unsigned long)zone_page_state(zone, NR_FREE_PAGES), zone->watermark_boost,
		   min_wmark_pages(zone), low_wmark_pages(zone), high_wmark_pages(zone),
		   wmark_pages(zone, WMARK_PROMO), zone->spanned_pages, zone->present_pages,
		   zone_managed_pages(zone), zone->cma_pages);
	seq_puts(m, "\n        protection: (");
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		if (!arch_zone_configured(i))
			continue;
		seq_printf(m, first ? "%ld" : ", %ld", zone->lowmem_reserve[i]);
		first = false;
	}
	seq_putc(m, ')');
	if (!populated_zone(zone)) {
		seq_putc(m, '\n');
		return;
	}
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		seq_printf(m, "\n      %-12s %lu", vmstat_text_zone[i],
			   (unsigned long)zone_page_state(zone, i));
	if (linmm_arch->numa)
		for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
			seq_printf(m, "\n      %-12s %lu", vmstat_text_numa[i],
				   zone_numa_event_state(zone, i));
	zoneinfo_show_pagesets(m, zone);
	seq_printf(m,
		   "\n  node_unreclaimable:  %u"
		   "\n  start_pfn:           %lu",
		   atomic_load(&pgdat->kswapd_failures) >= MAX_RECLAIM_RETRIES,
		   zone->zone_start_pfn);
	seq_putc(m, '\n');
}

/**
 * zoneinfo_show - render /proc/zoneinfo: every configured zone of every node,
 * populated or not (lowmem_reserve_ratio acts on all of them).
 * @m: output
 *
 * Context: takes pcp->lock per CPU for the pageset fields.
 */
void zoneinfo_show(struct seq_file *m)
{
	int nid;

	for_each_online_node(nid) {
		struct pglist_data *pgdat = NODE_DATA(nid);

		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			if (arch_zone_configured(zid))
				zoneinfo_show_print(m, pgdat, &pgdat->node_zones[zid]);
	}
}

static void vmstat_line(struct seq_file *m, const char *name, unsigned long v)
{
	seq_printf(m, "%s %lu\n", name, v);
}

static void vmstat_show_events(struct seq_file *m)
{
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++) {
		unsigned long v;

		if (!vm_event_configured(i))
			continue;
		v = sum_vm_event(i);
		if (i == PGPGIN || i == PGPGOUT)
			v /= 2;		/* counted in 512-byte sectors, shown in KiB */
		if (i >= PGALLOC_DMA && i <= PGSKIP_DEVICE) {
			static const char *const prefix[] = { "pgalloc", "allocstall", "pgskip" };
			int group = (i - PGALLOC_DMA) / MAX_NR_ZONES;

			seq_printf(m, "%s_%s %lu\n", prefix[group],
				   zone_event_suffix[(i - PGALLOC_DMA) % MAX_NR_ZONES], v);
			continue;
		}
		vmstat_line(m, vmstat_text_event[i], v);
	}
}

/**
 * vmstat_show - render /proc/vmstat: zone counters, NUMA events, node
 * counters, the dirty thresholds, memmap pages, then VM events, one
 * "name value" per line, and the deprecated "nr_unstable 0" last.
 * @m: output
 *
 * Context: any.
 */
void vmstat_show(struct seq_file *m)
{
	unsigned long background, dirty;
	long memmap = atomic_load_explicit(&nr_memmap_pages, memory_order_relaxed);

	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		vmstat_line(m, vmstat_text_zone[i], (unsigned long)global_zone_page_state(i));
	if (linmm_arch->numa)
		for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
			vmstat_line(m, vmstat_text_numa[i], global_numa_event_state(i));
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		if (node_stat_configured(i))
			vmstat_line(m, vmstat_text_node[i],
				    node_stat_shown(global_node_page_state(i), i));
	global_dirty_limits(&background, &dirty);
	vmstat_line(m, "nr_dirty_threshold", dirty);
	vmstat_line(m, "nr_dirty_background_threshold", background);
	vmstat_line(m, "nr_memmap_pages", (unsigned long)memmap);
	vmstat_line(m, "nr_memmap_boot_pages", memmap_pages_total - (unsigned long)memmap);
	vmstat_show_events(m);
	seq_puts(m, "nr_unstable 0\n");
}
