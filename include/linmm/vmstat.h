/* SPDX-License-Identifier: MIT */
/*
 * vmstat.h - zone, node and event counters (include/linux/vmstat.h,
 * include/linux/vm_event_item.h, mm/vmstat.c).
 *
 * Zone and node counters are atomics plus per-CPU s8 deltas folded into the
 * atomic when they pass the zone's stat_threshold, as the kernel does;
 * zone_page_state() reads the (approximate) atomic, *_snapshot() adds the
 * deltas.  Events are per-CPU unsigned longs summed on read.  Event names
 * and order are those of /proc/vmstat on Linux 6.18; per-zone events
 * (pgalloc_*, allocstall_*, pgskip_*) have one slot per zone index and are
 * printed for configured zones only.
 */
#ifndef LINMM_VMSTAT_H
#define LINMM_VMSTAT_H

#include <linmm/mmzone.h>
#include <linmm/sysctl.h>

enum vm_event_item {
	PGPGIN,
	PGPGOUT,
	PSWPIN,
	PSWPOUT,
	PGALLOC_DMA,
	PGALLOC_DMA32,
	PGALLOC_NORMAL,
	PGALLOC_HIGH,
	PGALLOC_MOVABLE,
	PGALLOC_DEVICE,
	ALLOCSTALL_DMA,
	ALLOCSTALL_DMA32,
	ALLOCSTALL_NORMAL,
	ALLOCSTALL_HIGH,
	ALLOCSTALL_MOVABLE,
	ALLOCSTALL_DEVICE,
	PGSKIP_DMA,
	PGSKIP_DMA32,
	PGSKIP_NORMAL,
	PGSKIP_HIGH,
	PGSKIP_MOVABLE,
	PGSKIP_DEVICE,
	PGFREE,
	PGACTIVATE,
	PGDEACTIVATE,
	PGLAZYFREE,
	PGFAULT,
	PGMAJFAULT,
	PGLAZYFREED,
	PGREFILL,
	PGREUSE,
	PGSTEAL_KSWAPD,
	PGSTEAL_DIRECT,
	PGSTEAL_KHUGEPAGED,
	PGSTEAL_PROACTIVE,
	PGSCAN_KSWAPD,
	PGSCAN_DIRECT,
	PGSCAN_KHUGEPAGED,
	PGSCAN_PROACTIVE,
	PGSCAN_DIRECT_THROTTLE,
	PGSCAN_ANON,
	PGSCAN_FILE,
	PGSTEAL_ANON,
	PGSTEAL_FILE,
	ZONE_RECLAIM_SUCCESS,
	ZONE_RECLAIM_FAILED,
	PGINODESTEAL,
	SLABS_SCANNED,
	KSWAPD_INODESTEAL,
	KSWAPD_LOW_WMARK_HIT_QUICKLY,
	KSWAPD_HIGH_WMARK_HIT_QUICKLY,
	PAGEOUTRUN,
	PGROTATED,
	DROP_PAGECACHE,
	DROP_SLAB,
	OOM_KILL,
	NUMA_PTE_UPDATES,
	NUMA_HUGE_PTE_UPDATES,
	NUMA_HINT_FAULTS,
	NUMA_HINT_FAULTS_LOCAL,
	NUMA_PAGES_MIGRATED,
	PGMIGRATE_SUCCESS,
	PGMIGRATE_FAIL,
	THP_MIGRATION_SUCCESS,
	THP_MIGRATION_FAIL,
	THP_MIGRATION_SPLIT,
	COMPACT_MIGRATE_SCANNED,
	COMPACT_FREE_SCANNED,
	COMPACT_ISOLATED,
	COMPACT_STALL,
	COMPACT_FAIL,
	COMPACT_SUCCESS,
	COMPACT_DAEMON_WAKE,
	COMPACT_DAEMON_MIGRATE_SCANNED,
	COMPACT_DAEMON_FREE_SCANNED,
	HTLB_BUDDY_ALLOC_SUCCESS,
	HTLB_BUDDY_ALLOC_FAIL,
	UNEVICTABLE_PGS_CULLED,
	UNEVICTABLE_PGS_SCANNED,
	UNEVICTABLE_PGS_RESCUED,
	UNEVICTABLE_PGS_MLOCKED,
	UNEVICTABLE_PGS_MUNLOCKED,
	UNEVICTABLE_PGS_CLEARED,
	UNEVICTABLE_PGS_STRANDED,
	THP_FAULT_ALLOC,
	THP_FAULT_FALLBACK,
	THP_FAULT_FALLBACK_CHARGE,
	THP_COLLAPSE_ALLOC,
	THP_COLLAPSE_ALLOC_FAILED,
	THP_FILE_ALLOC,
	THP_FILE_FALLBACK,
	THP_FILE_FALLBACK_CHARGE,
	THP_FILE_MAPPED,
	THP_SPLIT_PAGE,
	THP_SPLIT_PAGE_FAILED,
	THP_DEFERRED_SPLIT_PAGE,
	THP_UNDERUSED_SPLIT_PAGE,
	THP_SPLIT_PMD,
	THP_SCAN_EXCEED_NONE_PTE,
	THP_SCAN_EXCEED_SWAP_PTE,
	THP_SCAN_EXCEED_SHARE_PTE,
	THP_SPLIT_PUD,
	THP_ZERO_PAGE_ALLOC,
	THP_ZERO_PAGE_ALLOC_FAILED,
	THP_SWPOUT,
	THP_SWPOUT_FALLBACK,
	BALLOON_INFLATE,
	BALLOON_DEFLATE,
	BALLOON_MIGRATE,
	SWAP_RA,
	SWAP_RA_HIT,
	SWPIN_ZERO,
	SWPOUT_ZERO,
	KSM_SWPIN_COPY,
	COW_KSM,
	ZSWPIN,
	ZSWPOUT,
	ZSWPWB,
	DIRECT_MAP_LEVEL2_SPLITS,
	DIRECT_MAP_LEVEL3_SPLITS,
	DIRECT_MAP_LEVEL2_COLLAPSES,
	DIRECT_MAP_LEVEL3_COLLAPSES,
	NR_VM_EVENT_ITEMS
};

#define PGALLOC_FIRST_ZONE PGALLOC_DMA

extern const char *const vmstat_text_zone[NR_VM_ZONE_STAT_ITEMS];
extern const char *const vmstat_text_numa[NR_VM_NUMA_EVENT_ITEMS];
extern const char *const vmstat_text_node[NR_VM_NODE_STAT_ITEMS];
extern const char *const vmstat_text_event[NR_VM_EVENT_ITEMS]; /* per-zone items: NULL */

/* Zone counters. */
void __mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta);
void mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta);
long zone_page_state(struct zone *zone, enum zone_stat_item item);
long zone_page_state_snapshot(struct zone *zone, enum zone_stat_item item);
long global_zone_page_state(enum zone_stat_item item);

/*
 * Single-page increments and decrements (__inc_zone_state() and friends):
 * when the per-CPU delta passes the threshold they fold it plus half a
 * threshold of "overstep", so a counter moving steadily one way folds half
 * as often.  The page forms take the zone or node of @page.
 */
void __inc_zone_state(struct zone *zone, enum zone_stat_item item);
void __dec_zone_state(struct zone *zone, enum zone_stat_item item);
void __inc_zone_page_state(struct page *page, enum zone_stat_item item);
void __dec_zone_page_state(struct page *page, enum zone_stat_item item);
void inc_zone_page_state(struct page *page, enum zone_stat_item item);
void dec_zone_page_state(struct page *page, enum zone_stat_item item);

/*
 * Node counters.  The two slab items (NR_SLAB_RECLAIMABLE_B,
 * NR_SLAB_UNRECLAIMABLE_B) take their delta in bytes (whole pages only), as
 * in the kernel, and are stored and read back in pages; NR_KERNEL_STACK_KB
 * is in KiB; every other item counts pages.
 */
void __mod_node_page_state(struct pglist_data *pgdat, enum node_stat_item item, long delta);
void mod_node_page_state(struct pglist_data *pgdat, enum node_stat_item item, long delta);
long node_page_state(struct pglist_data *pgdat, enum node_stat_item item);
long global_node_page_state(enum node_stat_item item);
void __inc_node_state(struct pglist_data *pgdat, enum node_stat_item item);
void __dec_node_state(struct pglist_data *pgdat, enum node_stat_item item);
void __inc_node_page_state(struct page *page, enum node_stat_item item);
void __dec_node_page_state(struct page *page, enum node_stat_item item);
void inc_node_page_state(struct page *page, enum node_stat_item item);
void dec_node_page_state(struct page *page, enum node_stat_item item);

/* NUMA events (numa_hit...), per zone. */
void __count_numa_event(struct zone *zone, enum numa_stat_item item);
/* Both fold every CPU's pending NUMA events first (fold_vm_zone_numa_events). */
unsigned long zone_numa_event_state(struct zone *zone, enum numa_stat_item item);
unsigned long global_numa_event_state(enum numa_stat_item item);
/* vm.numa_stat: 1 counts NUMA events (default), 0 stops and clears them. */
extern int sysctl_vm_numa_stat;
proc_handler sysctl_vm_numa_stat_handler;
/* vm.stat_refresh: reading or writing folds every CPU's deltas. */
proc_handler vmstat_refresh;

/* VM events. */
void __count_vm_events(enum vm_event_item item, long delta);
static inline void count_vm_event(enum vm_event_item item) { __count_vm_events(item, 1); }
static inline void count_vm_events(enum vm_event_item item, long delta) { __count_vm_events(item, delta); }
#define __count_zid_vm_events(item, zid, delta) __count_vm_events(item##_DMA + (zid), delta)
unsigned long sum_vm_event(enum vm_event_item item);

/* Fold every CPU's deltas into the totals (vmstat_refresh / quiet_vmstat). */
void refresh_vm_stats(void);
/* Fold one zone's per-CPU deltas (zone_pcp_reset, memory offline). */
void drain_zonestat(struct zone *zone);
/* Compute per-CPU stat thresholds (calculate_normal_threshold) for every zone. */
void refresh_zone_stat_thresholds(void);
/* Reset every counter (boot). */
void vmstat_init(void);

/*
 * Memmap accounting for /proc/vmstat: memmap_pages_total (mm/sparse.c)
 * counts every page of struct page; memory hotplug reports the part it
 * populated after boot here (nr_memmap_pages), the rest is
 * nr_memmap_boot_pages.
 */
void memmap_pages_add(long delta);

#endif /* LINMM_VMSTAT_H */
