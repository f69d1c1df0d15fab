/* SPDX-License-Identifier: MIT */
/*
 * internal.h - cross-file internals of mm/ (mm/internal.h in the kernel),
 * grouped by the file that defines them.
 */
#ifndef LINMM_MM_INTERNAL_H
#define LINMM_MM_INTERNAL_H

#include <linmm/gfp.h>
#include <linmm/mm.h>
#include <linmm/mmzone.h>
#include <linmm/seq_file.h>

/* ---- mm/sparse.c: sections and the vmemmap ---- */
/* SPARSEMEM_EXTREME: roots of SECTIONS_PER_ROOT sections, allocated on demand. */
extern struct mem_section **mem_section;
extern unsigned long nr_mem_sections;		/* sections the physical address space holds */
extern unsigned long memmap_pages_total;	/* pages of struct page populated */
static inline unsigned long pfn_to_section_nr(unsigned long pfn);
int __must_check sparse_init(void);		/* present sections + vmemmap */
void sparse_teardown(void);
struct mem_section *__pfn_to_section(unsigned long pfn);
/* Populate memmap for section @nr of node @nid (hotplug uses this too). Return 0 or -errno. */
int __must_check sparse_populate_section(unsigned long nr, int nid);
unsigned long section_nr_pages(void);		/* pages per section */

/* ---- mm/mm_init.c: node/zone setup and handing memory to the buddy ---- */
extern unsigned long arch_zone_lowest_possible_pfn[MAX_NR_ZONES];
extern unsigned long arch_zone_highest_possible_pfn[MAX_NR_ZONES];
int __must_check free_area_init(void);
void memblock_free_all(void);
void mem_init_print_info(void);
void mm_init_teardown(void);
/* Initialise the struct page of @pfn for @zone/@nid (reserved, refcount 1). */
void __init_single_page(struct page *page, unsigned long pfn, int zone, int nid);
void init_currently_empty_zone(struct zone *zone, unsigned long start_pfn, unsigned long size);
int __must_check zone_alloc_percpu(struct zone *zone);	/* pcp + zonestat arrays */

/* ---- mm/page_alloc.c: buddy allocator ---- */
void zone_init_free_lists(struct zone *zone);
int get_pfnblock_migratetype(const struct page *page, unsigned long pfn);
void set_pageblock_migratetype(struct page *page, int migratetype);
static inline int get_pageblock_migratetype(const struct page *page)
{
	return get_pfnblock_migratetype(page, page_to_pfn(page));
}
void build_all_zonelists(void);
void setup_per_cpu_pageset(void);
void zone_pcp_init(struct zone *zone);	/* boot pageset: high 0, batch 1 */
void zone_pcp_reset(struct zone *zone);
/* Free-list invariant checker: alignment, buddy flags, nr_free, counters. 0 or -EINVAL. */
int validate_free_lists(struct zone *zone);

/* ---- mm/watermark.c (page_alloc.c's watermark code) ---- */
extern int min_free_kbytes;
extern int user_min_free_kbytes;
extern int watermark_scale_factor;
extern int watermark_boost_factor;
extern int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES];
extern int percpu_pagelist_high_fraction;
void init_per_zone_wmark_min(void);
void setup_per_zone_wmarks(void);
void calculate_min_free_kbytes(void);
unsigned long nr_free_buffer_pages(void);

/* mm/watermark.c, continued: sysctl handlers, formulas, totalreserve_pages. */
#define SWAP_CLUSTER_MAX 32UL
#define MIN_PERCPU_PAGELIST_HIGH_FRACTION 8
extern unsigned long totalreserve_pages;
void setup_per_zone_lowmem_reserve(void);
/*
 * Handlers called by the sysctl table (fs/proc) after parsing the value:
 * validate the kernel's range, store, recompute.  Return 0 or -EINVAL.
 */
int sysctl_set_min_free_kbytes(long v);		/* [0, INT_MAX]; sets user_min_free_kbytes */
int sysctl_set_watermark_scale_factor(long v);	/* [1, 3000] */
int sysctl_set_watermark_boost_factor(long v);	/* [0, INT_MAX] */
int sysctl_set_percpu_pagelist_high_fraction(long v); /* 0 or >= 8 */
/* @vals[i] is the ratio of the i-th *configured* zone (as /proc prints them); n <= that count. */
int sysctl_set_lowmem_reserve_ratio(const long *vals, int n);
/* Pure formulas (also used by tests with host-derived inputs). */
int min_free_kbytes_formula(unsigned long lowmem_kbytes);	/* before the user override */
void zone_wmarks_formula(unsigned long pages_min, unsigned long lowmem_pages,
			 unsigned long managed, int zone_idx, int scale_factor,
			 unsigned long wmark[NR_WMARK]);
/* Restore the sysctl defaults (called at shutdown by kernel/machine.c). */
void watermark_teardown(void);

/* ---- mm/zonelist.c (page_alloc.c's zonelist building) ---- */
extern int page_group_by_mobility_disabled;	/* defined in page_alloc.c */
/* Number of zonerefs in @zl before the NULL terminator. */
int zonelist_nr_zones(const struct zonelist *zl);
static inline struct zonelist *node_zonelist(int nid, gfp_t flags)
{
	return &NODE_DATA(nid)->node_zonelists[(flags & ___GFP_THISNODE) ? ZONELIST_NOFALLBACK
									  : ZONELIST_FALLBACK];
}
/* Nodes with memory (N_MEMORY): at least one populated zone. */
bool node_has_memory(int nid);

/* ---- mm/mempolicy.c: NUMA memory policies ---- */
extern int policy_zone;		/* highest non-movable zone of any node (zonelist.c sets it) */
/* alloc_pages() in page_alloc.c calls this: the current task's policy, local node. */
struct page *alloc_pages_mpol_current(gfp_t gfp, unsigned int order);
/* Reset the task policy to the default (called at shutdown by kernel/machine.c). */
void mempolicy_teardown(void);

/* ---- mm/show_mem.c ---- */
void show_mem(void);
void si_meminfo_node_free(int nid, unsigned long *free);
#define SHOW_MEM_FILTER_NODES 0x0001u
/*
 * __show_mem - the Mem-Info dump of warn_alloc()/OOM: zones above
 * @max_zone_idx are skipped; with SHOW_MEM_FILTER_NODES only nodes in
 * @nodemask (NULL: all) are shown.
 */
void __show_mem(unsigned int filter, const unsigned long *nodemask, int max_zone_idx);

/* ---- mm/memory_hotplug.c ---- */
/* Pages at the start of each hot-added section that hold its memmap (memmap_on_memory). */
unsigned long memory_block_memmap_pages(void);
/*
 * Needed from page_alloc.c ("alloc"): recompute pcp batch/high of @zone
 * (kernel zone_pcp_update(zone, cpu_online)); called after every watermark
 * or managed-pages change.
 */
void zone_pcp_update(struct zone *zone, int cpu_online);

static inline unsigned long pfn_to_section_nr(unsigned long pfn)
{
	extern int linmm_pfn_section_shift;
	return pfn >> linmm_pfn_section_shift;
}

#endif /* LINMM_MM_INTERNAL_H */
