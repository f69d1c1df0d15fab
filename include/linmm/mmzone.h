/* SPDX-License-Identifier: MIT */
/*
 * mmzone.h - nodes (pg_data_t), zones, free areas, per-CPU pagesets, sections.
 *
 * Mirrors include/linux/mmzone.h.  Zone indices are fixed for every arch
 * model (DMA, DMA32, Normal, HighMem, Movable, Device); an arch model says
 * which of them are configured (`arch->zones_configured`), and unconfigured
 * zones are never populated nor printed, as if compiled out.
 *
 * Locks: zone->lock protects free_area[] and nr_reserved_highatomic;
 * pcp->lock protects one CPU's per_cpu_pages.  Order: pcp->lock, then
 * zone->lock.
 */
#ifndef LINMM_MMZONE_H
#define LINMM_MMZONE_H

#include <linmm/list.h>
#include <linmm/mm_types.h>
#include <linmm/page-flags.h>
#include <linmm/spinlock.h>
#include <linmm/types.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x) ALIGN(x, PAGE_SIZE)
#define PFN_PHYS(pfn) ((phys_addr_t)(pfn) << PAGE_SHIFT)
#define PHYS_PFN(x) ((unsigned long)((x) >> PAGE_SHIFT))
#define PFN_UP(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)

#define MAX_PAGE_ORDER 10
#define NR_PAGE_ORDERS (MAX_PAGE_ORDER + 1)
#define MAX_ORDER_NR_PAGES (1UL << MAX_PAGE_ORDER)
#define PAGE_ALLOC_COSTLY_ORDER 3
#define pageblock_order 9
#define pageblock_nr_pages (1UL << pageblock_order)
#define NR_CPUS 64

enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES,
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
	MIGRATE_CMA,
	MIGRATE_ISOLATE,
	MIGRATE_TYPES
};

extern const char *const migratetype_names[MIGRATE_TYPES];

enum zone_type {
	ZONE_DMA,
	ZONE_DMA32,
	ZONE_NORMAL,
	ZONE_HIGHMEM,
	ZONE_MOVABLE,
	ZONE_DEVICE,
	MAX_NR_ZONES
};

enum zone_watermarks {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	WMARK_PROMO,
	NR_WMARK
};

/* Zone counters (zoneinfo order of 6.18). */
enum zone_stat_item {
	NR_FREE_PAGES,
	NR_FREE_PAGES_BLOCKS,
	NR_ZONE_LRU_BASE,
	NR_ZONE_INACTIVE_ANON = NR_ZONE_LRU_BASE,
	NR_ZONE_ACTIVE_ANON,
	NR_ZONE_INACTIVE_FILE,
	NR_ZONE_ACTIVE_FILE,
	NR_ZONE_UNEVICTABLE,
	NR_ZONE_WRITE_PENDING,
	NR_MLOCK,
	NR_ZSPAGES,
	NR_FREE_CMA_PAGES,
	NR_VM_ZONE_STAT_ITEMS
};

enum numa_stat_item {
	NUMA_HIT,
	NUMA_MISS,
	NUMA_FOREIGN,
	NUMA_INTERLEAVE_HIT,
	NUMA_LOCAL,
	NUMA_OTHER,
	NR_VM_NUMA_EVENT_ITEMS
};

/* Node counters (zoneinfo "per-node stats" order of 6.18). */
enum node_stat_item {
	NR_LRU_BASE,
	NR_INACTIVE_ANON = NR_LRU_BASE,
	NR_ACTIVE_ANON,
	NR_INACTIVE_FILE,
	NR_ACTIVE_FILE,
	NR_UNEVICTABLE,
	NR_SLAB_RECLAIMABLE_B,
	NR_SLAB_UNRECLAIMABLE_B,
	NR_ISOLATED_ANON,
	NR_ISOLATED_FILE,
	WORKINGSET_NODES,
	WORKINGSET_REFAULT_ANON,
	WORKINGSET_REFAULT_FILE,
	WORKINGSET_ACTIVATE_ANON,
	WORKINGSET_ACTIVATE_FILE,
	WORKINGSET_RESTORE_ANON,
	WORKINGSET_RESTORE_FILE,
	WORKINGSET_NODERECLAIM,
	NR_ANON_MAPPED,
	NR_FILE_MAPPED,
	NR_FILE_PAGES,
	NR_FILE_DIRTY,
	NR_WRITEBACK,
	NR_SHMEM,
	NR_SHMEM_THPS,
	NR_SHMEM_PMDMAPPED,
	NR_FILE_THPS,
	NR_FILE_PMDMAPPED,
	NR_ANON_THPS,
	NR_VMSCAN_WRITE,
	NR_VMSCAN_IMMEDIATE,
	NR_DIRTIED,
	NR_WRITTEN,
	NR_THROTTLED_WRITTEN,
	NR_KERNEL_MISC_RECLAIMABLE,
	NR_FOLL_PIN_ACQUIRED,
	NR_FOLL_PIN_RELEASED,
	NR_KERNEL_STACK_KB,
	NR_PAGETABLE,
	NR_SECONDARY_PAGETABLE,
	NR_IOMMU_PAGES,
	NR_SWAPCACHE,
	PGPROMOTE_SUCCESS,
	PGPROMOTE_CANDIDATE,
	PGPROMOTE_CANDIDATE_NRL,
	PGDEMOTE_KSWAPD,
	PGDEMOTE_DIRECT,
	PGDEMOTE_KHUGEPAGED,
	PGDEMOTE_PROACTIVE,
	NR_HUGETLB,
	NR_BALLOON_PAGES,
	NR_KERNEL_FILE_PAGES,
	NR_VM_NODE_STAT_ITEMS
};

/*
 * LRU lists (include/linux/mmzone.h): page-cache and anonymous pages in use,
 * per node (the kernel's pgdat->__lruvec when there is no memcg).  The
 * order matches NR_LRU_BASE.. in node_stat_item, so NR_LRU_BASE + lru is
 * the list's counter.  mm/swap.c adds and moves pages; reclaim scans them.
 */
enum lru_list {
	LRU_INACTIVE_ANON,
	LRU_ACTIVE_ANON,
	LRU_INACTIVE_FILE,
	LRU_ACTIVE_FILE,
	LRU_UNEVICTABLE,
	NR_LRU_LISTS
};

/* @lru_lock protects @lists and PG_lru/PG_active of the pages on them. */
struct lruvec {
	struct list_head lists[NR_LRU_LISTS];
	spinlock_t lru_lock;
};

struct free_area {
	struct list_head free_list[MIGRATE_TYPES];
	unsigned long nr_free;	/* blocks of this order, all types */
};

/*
 * Per-CPU page lists: MIGRATE_PCPTYPES lists for each order
 * 0..PAGE_ALLOC_COSTLY_ORDER plus one shared list for pageblock_order (THP).
 */
#define NR_LOWORDER_PCP_LISTS (MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1))
#define NR_PCP_LISTS (NR_LOWORDER_PCP_LISTS + 1)

struct per_cpu_pages {
	spinlock_t lock;
	int count;		/* pages on all lists */
	int high;		/* free to buddy above this */
	int high_min;
	int high_max;
	int batch;		/* chunk size for buddy add/remove */
	u8 flags;
	u8 alloc_factor;
	short free_count;
	struct list_head lists[NR_PCP_LISTS];
};

/* Per-CPU counter deltas, folded into the zone totals at stat_threshold. */
struct per_cpu_zonestat {
	s8 vm_stat_diff[NR_VM_ZONE_STAT_ITEMS];
	s8 stat_threshold;
	unsigned long vm_numa_event[NR_VM_NUMA_EVENT_ITEMS];
};

struct per_cpu_nodestat {
	s8 stat_threshold;
	s8 vm_node_stat_diff[NR_VM_NODE_STAT_ITEMS];
};

struct pglist_data;

struct zone {
	unsigned long _watermark[NR_WMARK];
	unsigned long watermark_boost;
	unsigned long nr_reserved_highatomic;
	unsigned long nr_free_highatomic;	/* free pages on HIGHATOMIC lists (page_alloc.c) */
	long lowmem_reserve[MAX_NR_ZONES];
	int node;
	struct pglist_data *zone_pgdat;
	struct per_cpu_pages *per_cpu_pageset;	 /* [nr_cpu_ids] */
	struct per_cpu_zonestat *per_cpu_zonestats; /* [nr_cpu_ids] */
	int pageset_high_min;
	int pageset_high_max;
	int pageset_batch;
	/*
	 * Which free lists are non-empty, for the watermark checks that run
	 * without zone->lock (page_alloc.c): per order, bit 2*order says a
	 * list of UNMOVABLE/MOVABLE/RECLAIMABLE has blocks, bit 2*order+1 the
	 * HIGHATOMIC list.  Written under zone->lock.
	 */
	unsigned int free_lists_nonempty;
	/*
	 * FLATMEM: 4 bits per pageblock; the bits of pfn start at bit
	 * ((pfn - ALIGN_DOWN(zone_start_pfn, pageblock_nr_pages)) >> pageblock_order) * 4.
	 * SPARSEMEM: NULL; use mem_section's usemap, where the bits of pfn start at
	 * ((pfn & (PAGES_PER_SECTION - 1)) >> pageblock_order) * 4.
	 */
	unsigned long *pageblock_flags;
	unsigned long zone_start_pfn;
	_Atomic long managed_pages;
	unsigned long spanned_pages;
	unsigned long present_pages;
	unsigned long cma_pages;
	const char *name;
	bool initialized;
	bool contiguous;
	struct free_area free_area[NR_PAGE_ORDERS];
	unsigned long flags;
	spinlock_t lock;
	_Atomic long vm_stat[NR_VM_ZONE_STAT_ITEMS];
	_Atomic long vm_numa_event[NR_VM_NUMA_EVENT_ITEMS];
};

/*
 * zone->flags bits (enum zone_flags of include/linux/mmzone.h), changed with
 * atomic read-modify-writes because several CPUs test and set them.
 */
enum zone_flags {
	ZONE_BOOSTED_WATERMARK,	/* a fragmenting fallback boosted the watermark: wake kswapd */
	ZONE_RECLAIM_ACTIVE,	/* kswapd is reclaiming: keep pcp lists short */
	ZONE_BELOW_HIGH,	/* free pages fell below the high watermark */
};

static inline bool zone_test_flag(const struct zone *zone, enum zone_flags f)
{
	return __atomic_load_n(&zone->flags, __ATOMIC_RELAXED) & (1UL << f);
}

static inline void zone_set_flag(struct zone *zone, enum zone_flags f)
{
	__atomic_fetch_or(&zone->flags, 1UL << f, __ATOMIC_RELAXED);
}

static inline void zone_clear_flag(struct zone *zone, enum zone_flags f)
{
	__atomic_fetch_and(&zone->flags, ~(1UL << f), __ATOMIC_RELAXED);
}

static inline bool zone_test_and_clear_flag(struct zone *zone, enum zone_flags f)
{
	return __atomic_fetch_and(&zone->flags, ~(1UL << f), __ATOMIC_RELAXED) & (1UL << f);
}

extern const char *const zone_names[MAX_NR_ZONES];

/* Zonelists: zones in fallback order, each entry with its zone index. */
struct zoneref {
	struct zone *zone;
	int zone_idx;
};

enum { ZONELIST_FALLBACK, ZONELIST_NOFALLBACK, MAX_ZONELISTS };
#define MAX_ZONES_PER_ZONELIST (MAX_NUMNODES * MAX_NR_ZONES)

struct zonelist {
	struct zoneref _zonerefs[MAX_ZONES_PER_ZONELIST + 1];
};

/* Reclaim attempts without progress before giving up (mm/internal.h in the kernel). */
#define MAX_RECLAIM_RETRIES 16

typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	struct zonelist node_zonelists[MAX_ZONELISTS];
	int nr_zones;		/* highest populated zone index + 1 */
	struct page *node_mem_map;	/* FLATMEM */
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	int node_id;
	unsigned long totalreserve_pages;
	/* kswapd runs that freed nothing; the node is "unreclaimable" at MAX_RECLAIM_RETRIES. */
	_Atomic int kswapd_failures;
	struct per_cpu_nodestat *per_cpu_nodestats; /* [nr_cpu_ids] */
	_Atomic long vm_stat[NR_VM_NODE_STAT_ITEMS];
	struct lruvec __lruvec;		/* the node's LRU lists (mm/swap.c) */
} pg_data_t;

extern struct pglist_data *node_data[MAX_NUMNODES];
#define NODE_DATA(nid) (node_data[nid])

static inline unsigned long zone_managed_pages(const struct zone *zone)
{
	return (unsigned long)atomic_load_explicit(&zone->managed_pages, memory_order_relaxed);
}

static inline unsigned long zone_end_pfn(const struct zone *zone)
{
	return zone->zone_start_pfn + zone->spanned_pages;
}

static inline bool zone_spans_pfn(const struct zone *zone, unsigned long pfn)
{
	return zone->zone_start_pfn <= pfn && pfn < zone_end_pfn(zone);
}

static inline bool populated_zone(const struct zone *zone)
{
	return zone->present_pages != 0;
}

static inline bool managed_zone(const struct zone *zone)
{
	return zone_managed_pages(zone) != 0;
}

static inline int zone_idx(const struct zone *zone)
{
	return (int)(zone - zone->zone_pgdat->node_zones);
}

static inline int zone_to_nid(const struct zone *zone)
{
	return zone->node;
}

static inline bool is_highmem_idx(int idx)
{
	return idx == ZONE_HIGHMEM || idx == ZONE_MOVABLE;
}

#define min_wmark_pages(z) ((z)->_watermark[WMARK_MIN] + (z)->watermark_boost)
#define low_wmark_pages(z) ((z)->_watermark[WMARK_LOW] + (z)->watermark_boost)
#define high_wmark_pages(z) ((z)->_watermark[WMARK_HIGH] + (z)->watermark_boost)
#define wmark_pages(z, i) ((z)->_watermark[i] + (z)->watermark_boost)

/* SPARSEMEM: 128 MiB sections on x86_64 (arch->section_size_bits). */
#define SECTION_MARKED_PRESENT (1UL << 0)
#define SECTION_HAS_MEM_MAP (1UL << 1)
#define SECTION_IS_ONLINE (1UL << 2)
#define SECTION_IS_EARLY (1UL << 3)

struct mem_section {
	unsigned long section_mem_map;	/* SECTION_* flags (memmap is vmemmap) */
	unsigned long *pageblock_flags;	/* usemap: 4 bits per pageblock */
	int nid;
};

/* Node and zone iteration. */
extern int nr_online_nodes;
extern unsigned int nr_cpu_ids;
#define for_each_online_node(nid) for ((nid) = 0; (nid) < nr_online_nodes; (nid)++)
#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < (int)nr_cpu_ids; (cpu)++)
#define for_each_online_cpu(cpu) for_each_possible_cpu(cpu)

struct zone *next_zone(struct zone *zone);
#define first_online_pgdat() (NODE_DATA(0))
#define for_each_zone(zone)                                                      \
	for (zone = first_online_pgdat()->node_zones; zone; zone = next_zone(zone))
#define for_each_populated_zone(zone)                                            \
	for_each_zone(zone) if (!populated_zone(zone)) ; else

#endif /* LINMM_MMZONE_H */
