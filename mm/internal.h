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
#include <linmm/pgtable.h>
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
unsigned long get_num_physpages(void);
/* Node/zone layout invariants (see mm_init.c). 0 or -EINVAL. */
int validate_zones(void);

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

/*
 * ---- the page allocator, continued ("alloc"): mm/page_alloc.c (buddy
 * free lists), mm/pcp.c (per-CPU lists), mm/alloc_pages.c (GFP front end,
 * fast and slow path, API), mm/page_isolation.c, mm/debug.c,
 * mm/fail_page_alloc.c ----
 */

/* alloc_flags: how hard an allocation may dig (the kernel's ALLOC_* values). */
#define ALLOC_WMARK_MIN WMARK_MIN
#define ALLOC_WMARK_LOW WMARK_LOW
#define ALLOC_WMARK_HIGH WMARK_HIGH
#define ALLOC_NO_WATERMARKS 0x04	/* don't check watermarks at all */
#define ALLOC_WMARK_MASK (ALLOC_NO_WATERMARKS - 1)
#define ALLOC_OOM 0x08			/* OOM victim: half of what MIN_RESERVE leaves */
#define ALLOC_NON_BLOCK 0x10		/* caller cannot sleep: a further 25% of min */
#define ALLOC_MIN_RESERVE 0x20		/* __GFP_HIGH: 50% of the min watermark */
#define ALLOC_CPUSET 0x40		/* check cpuset (linmm has none: ignored) */
#define ALLOC_CMA 0x80			/* may use MIGRATE_CMA blocks */
#define ALLOC_NOFRAGMENT 0x100		/* avoid mixing pageblock types (needs ZONE_DMA32) */
#define ALLOC_HIGHATOMIC 0x200		/* may use MIGRATE_HIGHATOMIC reserves */
#define ALLOC_TRYLOCK 0x400		/* only trylock zone/pcp locks */
#define ALLOC_KSWAPD 0x800		/* may wake kswapd (== __GFP_KSWAPD_RECLAIM) */
#define ALLOC_RESERVES (ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM)

/* What one allocation is allowed to use, computed once by prepare_alloc_pages(). */
struct alloc_context {
	struct zonelist *zonelist;
	const unsigned long *nodemask;	/* NULL: all nodes */
	struct zoneref *preferred_zoneref;
	int migratetype;
	int highest_zoneidx;
};

/* Free page flags (fpi_t): how a freed block enters the free lists. */
typedef unsigned int fpi_t;
#define FPI_NONE 0u
#define FPI_TO_TAIL (1u << 1)		/* cold: add at the list tail */

/* A node mask is one word: MAX_NUMNODES == BITS_PER_LONG. */
static inline bool node_isset(int nid, const unsigned long *nodemask)
{
	return !nodemask || (nodemask[0] >> nid) & 1;
}

/* The next zoneref at or after @z with zone index <= @highest and node in @nodemask. */
static inline struct zoneref *next_zones_zonelist(struct zoneref *z, int highest_zoneidx,
						  const unsigned long *nodemask)
{
	while (z->zone && (z->zone_idx > highest_zoneidx || !node_isset(zone_to_nid(z->zone), nodemask)))
		z++;
	return z;
}

#define for_next_zone_zonelist_nodemask(zone, z, highidx, nodemask)		\
	for (z = next_zones_zonelist(z, highidx, nodemask), zone = z->zone;	\
	     zone; z = next_zones_zonelist(z + 1, highidx, nodemask), zone = z->zone)
#define for_each_zone_zonelist_nodemask(zone, z, zlist, highidx, nodemask)	\
	for (z = (zlist)->_zonerefs, z = next_zones_zonelist(z, highidx, nodemask), \
	     zone = z->zone; zone;						\
	     z = next_zones_zonelist(z + 1, highidx, nodemask), zone = z->zone)

/* mm/page_alloc.c: the buddy free lists.  Context for all: zone->lock held unless said. */
struct page *__rmqueue_smallest(struct zone *zone, unsigned int order, int migratetype);
enum rmqueue_mode { RMQUEUE_NORMAL, RMQUEUE_CMA, RMQUEUE_CLAIM, RMQUEUE_STEAL };
struct page *__rmqueue(struct zone *zone, unsigned int order, int migratetype,
		       unsigned int alloc_flags, enum rmqueue_mode *mode);
void __free_one_page(struct page *page, unsigned long pfn, struct zone *zone,
		     unsigned int order, int migratetype, fpi_t fpi_flags);
void del_page_from_free_list(struct page *page, struct zone *zone, unsigned int order,
			     int migratetype);
/* Free a prepared block to the buddy lists; takes zone->lock, counts PGFREE. */
void free_one_page(struct zone *zone, struct page *page, unsigned long pfn,
		   unsigned int order, fpi_t fpi_flags);
/* Retype the pageblock of @page; -1 if it straddles the zone, else pages moved. */
int move_freepages_block(struct zone *zone, struct page *page, int old_mt, int new_mt);
void reserve_highatomic_pageblock(struct page *page, unsigned int order, struct zone *zone);
bool unreserve_highatomic_pageblock(const struct alloc_context *ac, bool force);
/* Order of a free buddy block head (page->private). */
static inline unsigned int buddy_order(const struct page *page)
{
	return (unsigned int)page->private;
}
static inline bool migratetype_is_mergeable(int mt)
{
	return mt < MIGRATE_PCPTYPES;
}
void set_pfnblock_migratetype(unsigned long pfn, int migratetype);
/* Pageblocks of every zone, counted per migrate type (pagetypeinfo). */
void pagetypeinfo_count_blocks(struct zone *zone, unsigned long counts[MIGRATE_TYPES]);
/* The PageBuddy head of the free block holding @page, or NULL (zone->lock held). */
struct page *free_buddy_head(const struct page *page);
/* Is @page in a free buddy block (not a pcp list)?  Takes zone->lock. */
bool is_free_buddy_page(const struct page *page);

/* mm/pcp.c: per-CPU page lists. */
#define BOOT_PAGESET_HIGH 0
#define BOOT_PAGESET_BATCH 1
#define PCP_BATCH_SCALE_MAX 5		/* CONFIG_PCP_BATCH_SCALE_MAX */
static inline bool pcp_allowed_order(unsigned int order)
{
	return order <= PAGE_ALLOC_COSTLY_ORDER || order == pageblock_order;
}
/* Allocate from this CPU's pcp list of @zone. NULL if empty and buddy is short too. */
struct page *rmqueue_pcplist(struct zone *preferred_zone, struct zone *zone, unsigned int order,
			     int migratetype, unsigned int alloc_flags);
/* alloc_pages_bulk(): up to @count order-0 pages onto @list, one lock hold. -EAGAIN: busy. */
int rmqueue_pcplist_bulk(struct zone *zone, int migratetype, unsigned int alloc_flags, int count,
			 struct list_head *list);
/* Free a prepared page of pcp order through this CPU's list (or the buddy if busy). */
void free_frozen_page_commit_pcp(struct zone *zone, struct page *page, unsigned long pfn,
				 unsigned int order, fpi_t fpi_flags);
/* The kernel's pcp sizing formulas (also used by tests). */
int zone_batchsize(struct zone *zone);
int zone_highsize(struct zone *zone, int batch, int cpu_online, int high_fraction);
/* vmstat refresh: let an idle pcp->high decay towards high_min. Nonzero: more to do. */
int decay_pcp_high(struct zone *zone, struct per_cpu_pages *pcp);
void drain_zone_pages(struct zone *zone, struct per_cpu_pages *pcp);
/* Stop (high 0, batch 1) and restart per-CPU caching of @zone (memory offline, bench). */
void zone_pcp_disable(struct zone *zone);
void zone_pcp_enable(struct zone *zone);
/* Pages on every CPU's lists of @zone (locks each pcp). */
unsigned long zone_pcp_count(struct zone *zone);
/* pcp-list invariants of @zone: counts, page state. 0 or -EINVAL. */
int validate_pcp_lists(struct zone *zone);
/*
 * Call @fn(@page, @order, @arg) for every block on every CPU's lists of
 * @zone (fs/proc/page.c's frame walk).  Context: takes each pcp->lock in
 * turn; @fn must not allocate or free pages.
 */
void zone_pcp_for_each_block(struct zone *zone,
			     void (*fn)(struct page *page, unsigned int order, void *arg), void *arg);

/* mm/alloc_pages.c: GFP front end, watermark checks, slow path. */
bool __zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
			 int highest_zoneidx, unsigned int alloc_flags, long free_pages);
bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
		       int highest_zoneidx, unsigned int alloc_flags);
bool zone_watermark_ok_safe(struct zone *z, unsigned int order, unsigned long mark,
			    int highest_zoneidx);
/* Page state checks at free and after allocation; false: bad page, reported and leaked. */
bool free_pages_prepare(struct page *page, unsigned int order);
bool check_new_pages(struct page *page, unsigned int order);
void __free_pages_ok(struct page *page, unsigned int order, fpi_t fpi_flags);
void prep_compound_page(struct page *page, unsigned int order);
/* NUMA hit/miss/local/other accounting of one allocation. */
void zone_statistics(struct zone *preferred_zone, struct zone *z);
/*
 * Hooks of the slow path for mechanisms that arrive later (reclaim,
 * compaction, the OOM killer).  NULL means "not there": the slow path
 * then behaves as if the step made no progress.
 */
extern void (*linmm_wakeup_kswapd_hook)(struct zone *zone, gfp_t gfp_flags, int order,
					 int highest_zoneidx);
extern unsigned long (*linmm_try_to_free_pages_hook)(struct zonelist *zonelist, int order,
						     gfp_t gfp_mask, const unsigned long *nodemask);
extern bool (*linmm_try_to_compact_pages_hook)(gfp_t gfp_mask, unsigned int order,
					       unsigned int alloc_flags,
					       const struct alloc_context *ac);
extern bool (*linmm_out_of_memory_hook)(gfp_t gfp_mask, int order, const unsigned long *nodemask);
/* warn_alloc(): "<comm>: <fmt>, mode:%#x(%pGg), nodemask=..." + show_mem(). */
__printf(3, 4) void warn_alloc(gfp_t gfp_mask, const unsigned long *nodemask, const char *fmt, ...);

/* mm/page_isolation.c: MIGRATE_ISOLATE pageblocks (memory offline, contig ranges). */
int __must_check start_isolate_page_range(unsigned long start_pfn, unsigned long end_pfn,
					  int migratetype);
void undo_isolate_page_range(unsigned long start_pfn, unsigned long end_pfn, int migratetype);
/* 0 if every page of the range is free and isolated, else -EBUSY. */
int test_pages_isolated(unsigned long start_pfn, unsigned long end_pfn);
/* Take the (isolated, free) pages of the range out of the buddy; return pages taken. */
unsigned long __offline_isolated_pages(unsigned long start_pfn, unsigned long end_pfn);

/* mm/debug.c: reports. */
void dump_page(const struct page *page, const char *reason);
void bad_page(const struct page *page, const char *reason);
/* Render page->flags as %pGp does: "0x...(name|name|node=N|zone=Z)". */
int format_page_flags(unsigned long flags, char *buf, size_t size);
/* Name a kernel pointer as Linux would show it (direct map / vmemmap). */
unsigned long linmm_kernel_address(const void *p);

/* mm/fail_page_alloc.c */
bool should_fail_alloc_page(gfp_t gfp_mask, unsigned int order);

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
long lowmem_reserve_formula(const unsigned long managed[MAX_NR_ZONES], int lower, int upper,
			    int ratio);

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
/* Boot: no task policy, policy_zone 0 (build_all_zonelists() calls it at boot). */
void numa_policy_init(void);

/* ---- mm/vmstat.c: the /proc renderers (fs/proc/proc.c dispatches to them) ---- */
void frag_show(struct seq_file *m);		/* /proc/buddyinfo */
void pagetypeinfo_show(struct seq_file *m);	/* /proc/pagetypeinfo */
void zoneinfo_show(struct seq_file *m);		/* /proc/zoneinfo */
void vmstat_show(struct seq_file *m);		/* /proc/vmstat */

/* ---- mm/slabinfo.c: /proc/slabinfo (slab_common.c's slab_show) ---- */
struct slabinfo;
/* Header and one row per cache on slab_caches, newest first. Context: takes slab_mutex. */
void slabinfo_show(struct seq_file *m);
/* One cache_show() row: @name, slot @size and the counts of @sinfo. */
void slabinfo_show_row(struct seq_file *m, const char *name, unsigned int size,
		       const struct slabinfo *sinfo);

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
 * Needed from the boot code (arch/x86/init.c, mm/sparse.c) for hotplug:
 * init_memory_mapping() maps [start, end) of node @nid into the direct map;
 * direct_map_window_size() is how far the direct map can grow.  Boot
 * sections must carry SECTION_IS_ONLINE (the kernel's memory_present()
 * sets it) so offlining and zone shrinking see boot memory as online.
 */
int init_memory_mapping(phys_addr_t start, phys_addr_t end, int nid);
u64 direct_map_window_size(void);
/*
 * From the pcp code (mm/pcp.c): recompute pcp batch/high of @zone (kernel
 * zone_pcp_update(zone, cpu_online)); watermark.c calls it after every
 * watermark change, memory hotplug after every managed-pages change.
 */
void zone_pcp_update(struct zone *zone, int cpu_online);
/* ...and give a zone that hotplug populates its real pagesets (defined in mm/pcp.c). */
void setup_zone_pageset(struct zone *zone);

/* ---- mm/highmem.c: kmap, kmap_local, kmap_atomic ---- */
/* Boot: empty pkmap window, hash and kmap_local stacks (after init_mm exists). */
void page_address_init(void);
/* Unmap the pkmap entries nobody uses (count 1), one TLB flush. */
void kmap_flush_unused(void);
/* kmap counters since boot (the kernel exports none; tests read these). */
struct highmem_stats {
	unsigned long kmap_high;	/* kmap() references taken on HighMem pages */
	unsigned long kunmap_high;	/* ... and dropped */
	unsigned long pkmap_mapped;	/* pkmap entries given to a page (map_new_virtual) */
	unsigned long pkmap_unmapped;	/* entries cleared by flush_all_zero_pkmaps() */
	unsigned long pkmap_flushes;	/* TLB flushes of the pkmap window */
	unsigned long pkmap_waits;	/* kmap() slept on pkmap_map_wait */
	unsigned long pkmap_full;	/* kmap() refused: full, only the caller could unmap */
	unsigned long kmap_local;	/* HighMem pages mapped into kmap_local slots */
	unsigned long kmap_local_bad;	/* kunmap_local() not of the innermost slot */
};
void highmem_get_stats(struct highmem_stats *st);
/* pkmap_count[] of @page's entry: 0 none, 1 mapped unused, n + 1 for n users. */
int pkmap_count_of(const struct page *page);
/* This CPU's kmap_local depth, preempt_count() and pagefault_disable() depth. */
int kmap_local_depth(void);
int preempt_count(void);
int pagefault_disabled(void);
/* pkmap counts vs init_mm PTEs vs page_address_htable; kmap_local slots. 0 or -EINVAL. */
int validate_highmem(void);

/* ---- mm/init_mm.c: the kernel's page tables and virtual windows ---- */
/*
 * Kernel virtual addresses (kva) are u64 in the simulated arch's layout
 * (include/linmm/pgtable.h: PAGE_OFFSET, VMALLOC_START, PKMAP_BASE,
 * __fix_to_virt()); the host addresses standing for them are real pointers.
 */
struct mm_struct;
/* Host address of simulated kernel VA @kva (direct map, vmalloc, pkmap, fixmap), NULL if outside every window. */
void *kva_to_host(u64 kva);
/* Simulated kernel VA of host pointer @p inside a window, 0 if none. */
u64 host_to_kva(const void *p);
/* Map @nr pages at consecutive kernel VAs from @kva: init_mm PTEs and the host memfd
   mapping of each page (linmm_host_map_fd of the page's node memfd at its offset).
   Return 0, -ENOMEM (page-table page), -EINVAL (outside a window / not page aligned),
   -EEXIST (already mapped). */
int kernel_map_pages(u64 kva, struct page **pages, unsigned int nr, pgprot_t prot);
/* Clear @nr PTEs from @kva and return the host range to a PROT_NONE hole (faults). */
void kernel_unmap_pages(u64 kva, unsigned int nr);
/* Clear @nr PTEs from @kva only; the host mapping (the "TLB") stays until kernel_flush_range(). */
void kernel_unmap_pages_noflush(u64 kva, unsigned int nr);
/* The host side of flush_tlb_kernel_range(): [start, end) of the window, PTEs clear, faults again. */
void kernel_flush_range(u64 start, u64 end);
/* Software walk of init_mm: the page mapped at @kva (4 KiB or inside a large page), NULL if none. */
struct page *kernel_walk_page(u64 kva);
/* The leaf entry mapping @kva (0 if none) and its kernel level (enum pgtable_level). */
u64 kernel_walk_entry(u64 kva, enum pgtable_level *level);
/* [start, end) of the kernel VAs backed by the host window (vmalloc; x86_32 also pkmap, fixmap). */
void kernel_window_range(u64 *start, u64 *end);
/* Describe [start, end) of the direct map in init_mm (init_memory_mapping calls it). 0 or -ENOMEM. */
int kernel_physical_mapping_init(phys_addr_t start, phys_addr_t end);
/* arch/x86/fault.c: host faults in the windows print the kernel's oops. */
void x86_fault_init(void);
/* Run @fn(@arg); 0, or -EFAULT after an oops if it faulted in a linmm window (tests). */
int linmm_oops_catch(void (*fn)(void *), void *arg);
int __must_check init_mm_init(void);	/* boot: pgd, direct map, window (after the direct map) */
void init_mm_late_init(void);		/* tables from the page allocator from now on */
void init_mm_teardown(void);

/* ---- mm/vmalloc.c: vmap areas ---- */
int __must_check vmalloc_init(void);	/* boot, after kmem_cache_init() */
void vmalloc_teardown(void);
/* Pages of vmalloc areas (VmallocUsed). */
unsigned long vmalloc_nr_pages(void);
/*
 * Call @fn(@page, @arg) for every page vmalloc() mapped (the pages[] of each
 * VM_ALLOC area in use).  Context: takes vmap_area_lock; @fn must not
 * allocate, free or call into vmalloc.
 */
void vmalloc_for_each_page(void (*fn)(struct page *page, void *arg), void *arg);
void *__vmalloc_node_range(unsigned long size, unsigned long align, gfp_t gfp_mask,
			   pgprot_t prot, unsigned long vm_flags, int node, const void *caller);
/* Lazy-free and TLB-flush accounting (the kernel's flush_tlb_kernel_range calls). */
struct vmalloc_stats {
	unsigned long lazy_pages;	/* vmap_lazy_nr: unmapped, not yet purged */
	unsigned long lazy_max_pages;	/* the purge threshold */
	unsigned long nr_purges;	/* __purge_vmap_area_lazy runs that purged */
	unsigned long tlb_flushes;	/* flush_tlb_kernel_range calls */
	unsigned long tlb_flush_pages;	/* pages those flushes covered */
};
void vmalloc_get_stats(struct vmalloc_stats *st);
void vmalloc_info_show(struct seq_file *m);	/* /proc/vmallocinfo */
/* vmap_area trees and lists agree, cover the area, lazy count right. 0 or -EINVAL. */
int validate_vmalloc(void);

/* ---- mm/vma.c, mm/mmap.c, mm/mprotect.c: user address spaces ---- */
#include <linmm/mmap.h>

/* The "vm_area_struct" and "mm_struct" slab caches, created on first use after boot. */
int __must_check mm_caches_init(void);
void mm_caches_teardown(void);
struct mm_struct *mm_struct_alloc(void);	/* zeroed */
void mm_struct_free(struct mm_struct *mm);
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);	/* zeroed, vm_mm set */
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig);	/* unlinked copy */
void vm_area_free(struct vm_area_struct *vma);

/* Tree updates (mmap_lock held for writing); each keeps the gaps exact. */
void vma_link(struct mm_struct *mm, struct vm_area_struct *vma);
void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma);
/* Change a linked VMA's extent; it must stay disjoint from its neighbours. */
void vma_set_range(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		   unsigned long pgoff);
/* Set vm_flags and the vm_page_prot derived from them. */
void vma_set_flags(struct vm_area_struct *vma, vm_flags_t flags);
/* Split @vma at @addr; the new VMA takes the lower part if @new_below. 0 or -ENOMEM. */
int __must_check __split_vma(struct mm_struct *mm, struct vm_area_struct *vma,
			     unsigned long addr, int new_below);
/* __split_vma() refusing with -ENOMEM when map_count is at vm.max_map_count. */
int __must_check split_vma(struct mm_struct *mm, struct vm_area_struct *vma,
			   unsigned long addr, int new_below);

/* What a range to be merged looks like (the kernel's struct vma_merge_struct). */
struct vma_merge_desc {
	struct vm_area_struct *prev, *middle, *next;
	struct vm_area_struct *copied_from;	/* copy_vma: the mremap source (rmap) */
	unsigned long start, end, pgoff;
	vm_flags_t vm_flags;
	struct file *file;
	struct anon_vma *anon_vma;
};
/* Merge a new range with d->prev and/or d->next; the merged VMA, or NULL. */
struct vm_area_struct *vma_merge_new_range(struct mm_struct *mm, const struct vma_merge_desc *d);
/*
 * mremap's helpers.  vma_merge_extend: grow @vma by @delta bytes, merging
 * with the next VMA if it becomes adjacent and compatible; the VMA that now
 * ends the range, or NULL (cannot merge).  copy_vma: a VMA like *@vmap for
 * [@addr, @addr + @len) at @pgoff (relocated for a never-faulted anonymous
 * VMA), merged with its new neighbours or newly linked; if the merge took
 * in the source, *@vmap becomes the merged VMA.  NULL if out of memory.
 * Neither touches the accounting.
 */
struct vm_area_struct *vma_merge_extend(struct mm_struct *mm, struct vm_area_struct *vma,
					unsigned long delta);
struct vm_area_struct *copy_vma(struct mm_struct *mm, struct vm_area_struct **vmap,
				unsigned long addr, unsigned long len, unsigned long pgoff);
/*
 * Give [start, end) of *@pvma (prev: the VMA before it) @new_flags, merging
 * with neighbours or splitting; *@pvma becomes the VMA that now covers the
 * range.  0 or -ENOMEM (max_map_count, out of memory).
 */
int __must_check vma_modify_flags(struct mm_struct *mm, struct vm_area_struct *prev,
				  struct vm_area_struct **pvma, unsigned long start,
				  unsigned long end, vm_flags_t new_flags);

struct vm_unmapped_area_info {
	bool topdown;
	unsigned long length;
	unsigned long low_limit;	/* raised to mmap_min_addr by the caller */
	unsigned long high_limit;
	unsigned long align_mask;	/* the start is align_offset modulo align_mask + 1 */
	unsigned long align_offset;
};
/* The highest (topdown) or lowest fitting address, or -ENOMEM as unsigned long. */
unsigned long vm_unmapped_area(struct mm_struct *mm, const struct vm_unmapped_area_info *info);
/* mt_validate(), VMAs sorted and matching their tree ranges, map_count, highest_vm_end. 0 or -EINVAL (pr_err says why). */
int validate_mm(struct mm_struct *mm);

/* mm/mmap.c */
pgprot_t vm_get_page_prot(vm_flags_t vm_flags);
void vm_stat_account(struct mm_struct *mm, vm_flags_t flags, long npages);
/* A fresh user mm (no VMAs; mmap_base and task_size set), or NULL. */
struct mm_struct *mm_alloc(void);
/* Unmap everything and free @mm (exit_mmap + __mmdrop). */
void mmput(struct mm_struct *mm);
void mmap_teardown(void);	/* shutdown: per-boot counters and the caches */
unsigned long do_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags, unsigned long pgoff);
/* do_mmap() of @file (NULL: anonymous) at page offset @pgoff; mmap_lock held for writing. */
unsigned long do_mmap_file(struct mm_struct *mm, struct file *file, unsigned long addr,
			   unsigned long len, unsigned long prot, unsigned long flags,
			   unsigned long pgoff);
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len);
/*
 * Where a mapping of @len bytes would go: @addr itself with MAP_FIXED, a
 * free hint, else a gap (2 MiB aligned for private anonymous multiples of
 * 2 MiB without a hint).  The address, or -ENOMEM/-EINVAL/-EPERM.
 */
unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long addr, unsigned long len,
				unsigned long flags);
/*
 * __get_unmapped_area - the same for a mapping of @file at page offset
 * @pgoff (NULL: anonymous): the file's f_op->get_unmapped_area if it has
 * one (thp_get_unmapped_area: offset-aligned to 2 MiB), see mm/mmap.c.
 */
unsigned long __get_unmapped_area(struct mm_struct *mm, struct file *file, unsigned long addr,
				  unsigned long len, unsigned long pgoff, unsigned long flags);
unsigned long thp_get_unmapped_area(struct mm_struct *mm, struct file *file, unsigned long addr,
				    unsigned long len, unsigned long pgoff, unsigned long flags);
/* Locking @bytes more of a @vm_flags mapping stays within RLIMIT_MEMLOCK. */
bool mlock_future_ok(struct mm_struct *mm, vm_flags_t vm_flags, unsigned long bytes);
/* mm/mprotect.c */
int do_mprotect_pkey(struct mm_struct *mm, unsigned long start, unsigned long len,
		     unsigned long prot);
/* mm/mlock.c */
struct task_struct;
/* can_do_mlock - may @tsk lock memory at all (RLIMIT_MEMLOCK != 0 or CAP_IPC_LOCK)? */
bool can_do_mlock(const struct task_struct *tsk);
/*
 * __mm_populate - fault in [@start, @start + @len) VMA by VMA (mm/gup.c's
 * walk; the faults are a PAGE-TABLE HOOK in mlock.c).  With @ignore_errors
 * a VMA that cannot be populated is skipped.
 * Context: takes mm->mmap_lock for reading (do not hold it).
 * Return: 0, or -EFAULT (a PROT_NONE VMA without VM_LOCKONFAULT).
 */
int __mm_populate(struct mm_struct *mm, unsigned long start, unsigned long len,
		  int ignore_errors);
/* mm/madvise.c: madvise(2) on @mm (linmm_madvise() without the task). */
int do_madvise(struct mm_struct *mm, unsigned long start, unsigned long len_in, int behavior);
/* mm/mremap.c */
void mremap_teardown(void);	/* shutdown: the once-per-boot warning may fire again */

/* ---- mm/util.c: overcommit and layout randomisation ---- */
struct task_struct;

#define _STK_LIM		(8UL << 20)	/* RLIMIT_STACK soft default */
/* arch/x86/mmap.c: the per-arch layout constants (x86_64 / x86_32). */
unsigned long stack_rnd_mask(void);
unsigned long elf_et_dyn_base(unsigned long task_size);
int mmap_rnd_bits_default(void);
#define STACK_RND_MASK		stack_rnd_mask()	/* 0x3fffff pages (16 GiB) / 0x7ff */
#define MMAP_RND_BITS_DEFAULT	mmap_rnd_bits_default()	/* CONFIG_ARCH_MMAP_RND_BITS: 28 / 8 */
/* Where a PIE is loaded: 2/3 of the window (x86_64: 0x555555554aaa, unaligned); x86_32 4 MiB. */
#define ELF_ET_DYN_BASE(task_size) elf_et_dyn_base(task_size)

extern long total_swap_pages;	/* 0 until swap exists */
extern int randomize_va_space;	/* kernel.randomize_va_space: 0 (linmm default), 1, 2 */
extern int mmap_rnd_bits;	/* 28 */

/*
 * Charge @pages to Committed_AS if vm.overcommit_memory allows it (see
 * util.c).  0, or -ENOMEM with nothing charged.  Every VM_ACCOUNT charge
 * goes through one of these: mmap, brk, stack setup, mprotect making
 * private memory writable, mremap growth, fork.
 */
int __must_check __vm_enough_memory(struct mm_struct *mm, long pages, int cap_sys_admin);
int __must_check security_vm_enough_memory_mm(struct mm_struct *mm, long pages);

/* get_random_long(): the per-boot deterministic stream (restarts at each boot). */
unsigned long get_random_long(void);
/* The next number of the xorshift64* stream whose state is *@state (never 0). */
u64 linmm_prandom_next(u64 *state);
/* A random multiple of pages in [0, 2^mmap_rnd_bits pages). */
unsigned long arch_mmap_rnd(void);
/* @start plus a random multiple of pages below @range (bytes). */
unsigned long randomize_page(unsigned long start, unsigned long range);
/* The next three randomise only if @tsk has PF_RANDOMIZE (the kernel's current). */
unsigned long randomize_stack_top(const struct task_struct *tsk, unsigned long stack_top);
unsigned long arch_align_stack(const struct task_struct *tsk, unsigned long sp);
/* Set mm->mmap_base for @mm->task_size; @tsk NULL: as an unrandomised task. */
void arch_pick_mmap_layout(struct mm_struct *mm, const struct task_struct *tsk);
/* mm->brk moved up by a random number of pages below 1 GiB. */
unsigned long arch_randomize_brk(struct mm_struct *mm);

/* fs/proc/task_mmu.c: /proc/PID/maps of @mm. */
void show_maps(struct seq_file *m, struct mm_struct *mm);

/* ---- mm/memory.c, mm/mmu_gather.c, arch/x86/pgtable.c: user page tables ---- */
/* A zeroed PageTable page counted in NR_PAGETABLE (lowmem), its host address; NULL if none. */
void *pgtable_page_alloc(void);
void pgtable_page_free(void *table);
/* mm_alloc(): the pgd (kernel half cloned from init_mm) and the TLB context. 0 or -ENOMEM. */
int __must_check mm_alloc_pgd(struct mm_struct *mm);
/* mmput(): unload from every CPU and free the pgd (after exit_mmap_pgtables). */
void mm_free_pgd(struct mm_struct *mm);
/* do_munmap(): zap [start, end) (whole VMAs, already split) and free its page tables. */
void unmap_region(struct mm_struct *mm, unsigned long start, unsigned long end);
/* mmput(): zap everything and free every user page table (VMAs unlink their anon_vmas). */
void exit_mmap_pgtables(struct mm_struct *mm);
/* mprotect: apply @vma's vm_page_prot to the PTEs of [start, end), flush. Return PTEs changed. */
unsigned long change_protection(struct vm_area_struct *vma, unsigned long start,
				unsigned long end);
/*
 * mremap's move_page_tables(): move the PTEs of [@old_addr, + @len) of @vma
 * to @new_addr (tables allocated as needed), flush the old range.  Context:
 * mmap_lock (write).  Return: bytes moved (short on -ENOMEM for a table).
 */
unsigned long move_page_ptes(struct vm_area_struct *vma, unsigned long old_addr,
			     struct vm_area_struct *new_vma, unsigned long new_addr,
			     unsigned long len);
/*
 * GUP's faultin: fault every page of [start, end) of @vma in that is not
 * present (or not writable for @write), without regs (no min_flt).
 * Context: mmap_lock held.  Return: pages done, or -EFAULT / -ENOMEM if the first fails.
 */
long faultin_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end,
			bool write);
/*
 * fork: give @dst_vma (the child's copy of @src_vma) the parent's PTEs,
 * write-protecting both in a COW mapping (the caller flushes the parent's
 * TLB).  Context: both mmap_locks (write).  Return: 0 or -ENOMEM.
 */
int copy_page_range(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma);
/* mm/mmap.c: grow a VM_GROWSDOWN stack down to @address (fault path). 0 or -errno. */
int expand_downwards(struct vm_area_struct *vma, unsigned long address);
/* fork: the child's mm, a copy of @oldmm's VMAs and pages (kernel/fork.c). NULL: -ENOMEM. */
struct mm_struct *dup_mm(struct mm_struct *oldmm);
/* Tables counted, PTEs inside VMAs with no extra right, rss and mapcounts. 0 or -EINVAL. */
int validate_page_tables(struct mm_struct *mm);
/*
 * mm_find_pte - the PTE slot for @addr of @mm if every table above it
 * exists (rmap walks), else NULL.  Context: @mm's page_table_lock held.
 */
pte_t *mm_find_pte(struct mm_struct *mm, unsigned long addr);
/* Per-boot state of the fault path and the MMU (TLBs, ASIDs, anon_vma cache). Shutdown. */
void memory_teardown(void);

#define MMU_GATHER_BATCH 64
struct mmu_gather {
	struct mm_struct *mm;
	unsigned long start, end;	/* range of cleared PTEs */
	bool fullmm;			/* the whole mm goes (exit) */
	bool freed_tables;
	unsigned int nr_pages, nr_tables;
	struct page *pages[MMU_GATHER_BATCH];
	void *tables[MMU_GATHER_BATCH];
};
void tlb_gather_mmu(struct mmu_gather *tlb, struct mm_struct *mm);
void tlb_gather_mmu_fullmm(struct mmu_gather *tlb, struct mm_struct *mm);
void tlb_remove_tlb_entry(struct mmu_gather *tlb, unsigned long addr);
void tlb_remove_page(struct mmu_gather *tlb, struct page *page);
void tlb_remove_table(struct mmu_gather *tlb, void *table);
void tlb_flush_mmu(struct mmu_gather *tlb);
void tlb_finish_mmu(struct mmu_gather *tlb);

/* ---- mm/swap.c, mm/filemap.c, mm/page-writeback.c: the page cache (issue 8) ---- */
struct lruvec;
/* Empty LRU lists and their lock (pgdat_init_internals()). */
void lruvec_init(struct lruvec *lruvec);
/* Page-cache invariants of every inode (validate_mapping() over the super block). 0 or -EINVAL. */
int validate_page_cache(void);

/* ---- mm/interval_tree.c, mm/rmap_file.c, mm/shmem.c: file mappings (issue 8) ---- */
struct address_space;
struct file;
void vma_interval_tree_insert(struct vm_area_struct *vma, struct rb_root *root);
void vma_interval_tree_remove(struct vm_area_struct *vma, struct rb_root *root);
struct vm_area_struct *vma_interval_tree_iter_first(struct rb_root *root, unsigned long first,
						    unsigned long last);
struct vm_area_struct *vma_interval_tree_iter_next(struct vm_area_struct *vma,
						   unsigned long first, unsigned long last);
#define vma_interval_tree_foreach(vma, root, first, last)				\
	for ((vma) = vma_interval_tree_iter_first(root, first, last); (vma);		\
	     (vma) = vma_interval_tree_iter_next(vma, first, last))
/* The mm-tree hooks: a VMA with a vm_file joins/leaves its file's i_mmap (takes i_mmap_rwsem). */
void vma_link_file(struct vm_area_struct *vma);
void vma_unlink_file(struct vm_area_struct *vma);
/* i_mmap's tree is valid and holds only VMAs of @mapping, augmented right.  0 or -EINVAL. */
int validate_i_mmap(struct address_space *mapping);
unsigned long i_mmap_count(struct address_space *mapping);
/* vm_area_dup()/vm_area_free() hooks: the vm_file reference and vm_ops->open/close. */
void vma_dup_file(struct vm_area_struct *vma);
void vma_release_file(struct vm_area_struct *vma);
/* vma_set_page_prot - vm_page_prot from vm_flags, write-protected for dirty tracking (writenotify). */
void vma_set_page_prot(struct vm_area_struct *vma);
/*
 * folio_mkclean - write-protect and clean every PTE mapping the file page
 * @page (writeback is about to clean it: the next write must fault and
 * dirty it again).  Context: page locked.  Return: PTEs that were dirty.
 */
int folio_mkclean(struct page *page);
/* set_pte_at - store @pte in @ptep of @mm (include/linux/pgtable.h).  Context: its PTE lock held. */
void set_pte_at(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pte);
/* ptep_clear_flush - clear @ptep and flush a present entry from every TLB.  Return: the old PTE. */
pte_t ptep_clear_flush(struct vm_area_struct *vma, unsigned long address, pte_t *ptep);
/* folio_add_file_rmap_pte - one more PTE maps the page-cache @page (NR_FILE_MAPPED on the first). */
void folio_add_file_rmap_pte(struct page *page);
/* The rmap walk's pieces (mm/rmap.c, mm/rmap_file.c). */
struct rmap_walk_control;
/*
 * rmap_walk_vma - one VMA of an rmap walk: unless it does not cover
 * page->index or rwc->invalid_vma rejects it, find its PTE of @page
 * (page_vma_mapped_walk() of a small page) and call rwc->rmap_one on it,
 * then ask rwc->done.
 * Context: the walk's lock (anon_vma or i_mmap_rwsem); takes
 * mm->page_table_lock, then the PTE lock, around rmap_one.
 * Return: false if the walk stops here (rmap_one said so, or done).
 */
bool rmap_walk_vma(struct page *page, struct vm_area_struct *vma, struct rmap_walk_control *rwc);
/*
 * rmap_walk_file - rmap_walk() of a page-cache page: the VMAs of
 * page->mapping->i_mmap covering page->index.
 * Context: @page locked; takes i_mmap_rwsem (read) unless @locked.
 */
void rmap_walk_file(struct page *page, struct rmap_walk_control *rwc, bool locked);
/*
 * rmap_count_ptes - the PTEs rmap_walk() finds mapping @page; *@found: one
 * of them is @vma's at @addr.  Context: as rmap_walk().  Return: the count.
 */
int rmap_count_ptes(struct page *page, struct vm_area_struct *vma, unsigned long addr,
		    bool *found);
/*
 * validate_file_page - validate_file_rmap()'s check of the page mapped at
 * @addr of the file VMA @vma (anonymous pages pass).
 * Context: mmap_lock (read); trylocks the page.  Return: 0 or -EINVAL (printed).
 */
int validate_file_page(struct vm_area_struct *vma, unsigned long addr, struct page *page);
/* generic_file_mmap/shmem_mmap: give a new file VMA its vm_ops.  0 or -errno. */
int generic_file_mmap(struct file *file, struct vm_area_struct *vma);
int shmem_mmap(struct file *file, struct vm_area_struct *vma);
/* shmem: is @mapping a shmem object's; the file behind MAP_SHARED|MAP_ANONYMOUS. */
bool shmem_mapping(const struct address_space *mapping);
int shmem_zero_setup(struct vm_area_struct *vma);
/* shmem pages in caches (NR_SHMEM's count) and the invariants of every shmem mapping. */
int validate_shmem(unsigned long *nr_pages);
void shmem_teardown(void);
/* shmem_file_setup - a new unlinked shmem object of @size bytes named @name.  NULL: no memory. */
struct file *shmem_file_setup(const char *name, s64 size);
extern const struct file_operations shmem_file_operations;
/* shmem_fault - vm_ops->fault of a shmem mapping (SysV attaches use it too). */
struct vm_fault;
unsigned int shmem_fault(struct vm_fault *vmf);

/* ---- mm/shmem.c, mm/mlock.c: SHM_LOCK and SHM_UNLOCK (ipc/shm.c) ---- */
/**
 * shmem_lock - lock (@lock 1) or unlock (0) the shmem object of @file in memory.
 * @file: the object's file
 * @lock: 1 to lock, 0 to unlock
 * @tsk: the caller, whose RLIMIT_MEMLOCK and CAP_IPC_LOCK a lock is charged
 *	against (user_shm_lock()); unused by an unlock
 *
 * Locking charges i_size to the user and makes the mapping unevictable
 * (pages added from then on join the unevictable list); unlocking
 * uncharges and clears it, and shmem_unlock_mapping() moves the pages
 * back.  Locking a locked object, unlocking an unlocked one: nothing.
 * Context: spinlocks may be held (the caller's shm_ids_lock); no sleeping.
 * Return: 0, or -ENOMEM when the charge passes RLIMIT_MEMLOCK.
 */
int shmem_lock(struct file *file, int lock, const struct task_struct *tsk);
/**
 * shmem_unlock_mapping - move the cached pages of an unlocked object from
 * the unevictable list back to the evictable ones.
 * @mapping: the object's mapping (no longer unevictable)
 *
 * Context: no spinlocks held; takes the mapping's xa_lock and lru_lock.
 */
void shmem_unlock_mapping(struct address_space *mapping);
/**
 * user_shm_lock - charge @size bytes of locked shared memory to the user.
 * @size: bytes (rounded up to pages)
 * @tsk: the caller: past its RLIMIT_MEMLOCK only with CAP_IPC_LOCK
 *
 * Context: takes shmlock_user_lock (a spinlock).
 * Return: true if charged, false if over the limit (nothing charged).
 */
bool user_shm_lock(size_t size, const struct task_struct *tsk);
/* user_shm_unlock - give back a user_shm_lock() charge of @size bytes. */
void user_shm_unlock(size_t size);
/* user_shm_locked_pages - the user's charged pages (the ucount; for tests). */
unsigned long user_shm_locked_pages(void);

static inline unsigned long pfn_to_section_nr(unsigned long pfn)
{
	extern int linmm_pfn_section_shift;
	return pfn >> linmm_pfn_section_shift;
}

#endif /* LINMM_MM_INTERNAL_H */
