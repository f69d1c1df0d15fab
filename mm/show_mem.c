/* SPDX-License-Identifier: MIT */
/*
 * show_mem.c - the "Mem-Info:" dump of allocation failures and OOM reports
 * (mm/show_mem.c: __show_mem, show_free_areas; 6.18 formats).
 *
 * Printed with printk at the default level, in the kernel's order:
 *
 *   Mem-Info:
 *   active_anon:.. inactive_anon:.. isolated_anon:..      global, in pages
 *    ... free:.. free_pcp:.. free_cma:..
 *   Node 0 active_anon:..kB ... all_unreclaimable? no Balloon:0kB
 *   Node 0 DMA free:..kB boost:..kB min:..kB ... free_cma:0kB
 *   lowmem_reserve[]: 0 1936 1936 1936 1936             per zone
 *   Node 0 DMA: 1*4kB (U) 2*8kB (M) ... 0*4096kB = 15360kB
 *   0 total pagecache pages
 *   0 pages in swap cache ... Total swap = 0kB
 *   262014 pages RAM
 *   0 pages HighMem/MovableOnly
 *   8177 pages reserved
 *   0 pages cma reserved
 *   0 pages hwpoisoned
 *
 * "Node %d " prefixes zone lines on NUMA architectures only; the
 * lowmem_reserve[] line lists every zone index the arch configures; the
 * per-order line shows, for each non-empty order, the migrate types with
 * free blocks there (U M E H C I).  Mechanisms that do not exist yet in
 * linmm (kswapd failures, hugetlb pools, swap devices, memory failure) show
 * the values the kernel shows when they have nothing to report.
 *
 * Locks: takes each zone->lock in turn to snapshot its free lists.
 */
#include <stdio.h>

#include <linmm/printk.h>
#include <linmm/smp.h>
#include <linmm/vmstat.h>

#include "arch/arch.h"
#include "mm/internal.h"

#define K(x) ((unsigned long)(x) << (PAGE_SHIFT - 10))

static bool show_mem_node_skip(unsigned int filter, int nid, const unsigned long *nodemask)
{
	if (!(filter & SHOW_MEM_FILTER_NODES) || !nodemask)
		return false;
	return !((nodemask[nid / (8 * sizeof(long))] >> (nid % (8 * sizeof(long)))) & 1);
}

/* Is @zone left out of the report: above @max_zone_idx, or its node filtered out? */
static bool show_mem_zone_skip(const struct zone *zone, unsigned int filter,
			       const unsigned long *nodemask, int max_zone_idx)
{
	return zone_idx(zone) > max_zone_idx ||
	       show_mem_node_skip(filter, zone_to_nid(zone), nodemask);
}

/*
 * "Node %d " before a zone's name on NUMA architectures (show_node()).
 * The kernel prints it separately and continues the line with KERN_CONT;
 * here it goes into the line's first printk, so the line never depends on
 * how a continuation after a finished line is handled.
 */
static void zone_line_prefix(const struct zone *zone, char *buf, size_t size)
{
	if (linmm_arch->numa)
		snprintf(buf, size, "Node %d %s", zone_to_nid(zone), zone->name);
	else
		snprintf(buf, size, "%s", zone->name);
}

static void show_migration_types(unsigned char type)
{
	static const char types[MIGRATE_TYPES] = {
		[MIGRATE_UNMOVABLE] = 'U',
		[MIGRATE_MOVABLE] = 'M',
		[MIGRATE_RECLAIMABLE] = 'E',
		[MIGRATE_HIGHATOMIC] = 'H',
		[MIGRATE_CMA] = 'C',
		[MIGRATE_ISOLATE] = 'I',
	};
	char tmp[MIGRATE_TYPES + 1];
	char *p = tmp;

	for (int i = 0; i < MIGRATE_TYPES; i++)
		if (type & (1 << i))
			*p++ = types[i];
	*p = '\0';
	printk(KERN_CONT "(%s) ", tmp);
}

static bool node_has_managed_zones(pg_data_t *pgdat, int max_zone_idx)
{
	for (int zone_idx = 0; zone_idx <= max_zone_idx; zone_idx++)
		if (zone_managed_pages(pgdat->node_zones + zone_idx))
			return true;
	return false;
}

static unsigned long zone_free_pcp(struct zone *zone)
{
	return zone_pcp_count(zone);
}

/* This CPU's pcp count, read without its lock as the kernel's this_cpu_read(). */
static unsigned int zone_local_pcp(struct zone *zone)
{
	if (!zone->per_cpu_pageset)
		return 0;
	return (unsigned int)__atomic_load_n(&zone->per_cpu_pageset[smp_processor_id()].count,
					     __ATOMIC_RELAXED);
}

/* Free pages on the HIGHATOMIC lists (the kernel keeps nr_free_highatomic). */
static unsigned long zone_free_highatomic(struct zone *zone)
{
	unsigned long pages = 0;

	spin_lock(&zone->lock);
	for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++) {
		struct list_head *pos;

		list_for_each(pos, &zone->free_area[order].free_list[MIGRATE_HIGHATOMIC])
			pages += 1UL << order;
	}
	spin_unlock(&zone->lock);
	return pages;
}

static bool is_highmem_zone(const struct zone *zone)
{
	int idx = zone_idx(zone);

	/* Movable counts as highmem only where it is carved from HighMem. */
	return idx == ZONE_HIGHMEM || (idx == ZONE_MOVABLE && arch_zone_configured(ZONE_HIGHMEM));
}

static void show_free_areas_global(unsigned int filter, const unsigned long *nodemask,
				   int max_zone_idx)
{
	unsigned long free_pcp = 0;
	struct zone *zone;

	for_each_populated_zone(zone) {
		if (show_mem_zone_skip(zone, filter, nodemask, max_zone_idx))
			continue;
		free_pcp += zone_free_pcp(zone);
	}

	printk("active_anon:%lu inactive_anon:%lu isolated_anon:%lu\n"
	       " active_file:%lu inactive_file:%lu isolated_file:%lu\n"
	       " unevictable:%lu dirty:%lu writeback:%lu\n"
	       " slab_reclaimable:%lu slab_unreclaimable:%lu\n"
	       " mapped:%lu shmem:%lu pagetables:%lu\n"
	       " sec_pagetables:%lu bounce:%lu\n"
	       " kernel_misc_reclaimable:%lu\n"
	       " free:%lu free_pcp:%lu free_cma:%lu\n",
	       global_node_page_state(NR_ACTIVE_ANON),
	       global_node_page_state(NR_INACTIVE_ANON),
	       global_node_page_state(NR_ISOLATED_ANON),
	       global_node_page_state(NR_ACTIVE_FILE),
	       global_node_page_state(NR_INACTIVE_FILE),
	       global_node_page_state(NR_ISOLATED_FILE),
	       global_node_page_state(NR_UNEVICTABLE),
	       global_node_page_state(NR_FILE_DIRTY),
	       global_node_page_state(NR_WRITEBACK),
	       global_node_page_state(NR_SLAB_RECLAIMABLE_B),
	       global_node_page_state(NR_SLAB_UNRECLAIMABLE_B),
	       global_node_page_state(NR_FILE_MAPPED),
	       global_node_page_state(NR_SHMEM),
	       global_node_page_state(NR_PAGETABLE),
	       global_node_page_state(NR_SECONDARY_PAGETABLE),
	       0UL,
	       global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE),
	       global_zone_page_state(NR_FREE_PAGES),
	       free_pcp,
	       global_zone_page_state(NR_FREE_CMA_PAGES));
}

static void show_free_areas_nodes(unsigned int filter, const unsigned long *nodemask,
				  int max_zone_idx)
{
	int nid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		if (show_mem_node_skip(filter, nid, nodemask))
			continue;
		if (!node_has_managed_zones(pgdat, max_zone_idx))
			continue;

		/* all_unreclaimable? says whether kswapd gave up; no kswapd yet. */
		printk("Node %d active_anon:%lukB inactive_anon:%lukB active_file:%lukB"
		       " inactive_file:%lukB unevictable:%lukB isolated(anon):%lukB"
		       " isolated(file):%lukB mapped:%lukB dirty:%lukB writeback:%lukB"
		       " shmem:%lukB shmem_thp:%lukB shmem_pmdmapped:%lukB anon_thp:%lukB"
		       " kernel_stack:%lukB pagetables:%lukB sec_pagetables:%lukB"
		       " all_unreclaimable? %s Balloon:%lukB\n",
		       pgdat->node_id,
		       K(node_page_state(pgdat, NR_ACTIVE_ANON)),
		       K(node_page_state(pgdat, NR_INACTIVE_ANON)),
		       K(node_page_state(pgdat, NR_ACTIVE_FILE)),
		       K(node_page_state(pgdat, NR_INACTIVE_FILE)),
		       K(node_page_state(pgdat, NR_UNEVICTABLE)),
		       K(node_page_state(pgdat, NR_ISOLATED_ANON)),
		       K(node_page_state(pgdat, NR_ISOLATED_FILE)),
		       K(node_page_state(pgdat, NR_FILE_MAPPED)),
		       K(node_page_state(pgdat, NR_FILE_DIRTY)),
		       K(node_page_state(pgdat, NR_WRITEBACK)),
		       K(node_page_state(pgdat, NR_SHMEM)),
		       K(node_page_state(pgdat, NR_SHMEM_THPS)),
		       K(node_page_state(pgdat, NR_SHMEM_PMDMAPPED)),
		       K(node_page_state(pgdat, NR_ANON_THPS)),
		       (unsigned long)node_page_state(pgdat, NR_KERNEL_STACK_KB),
		       K(node_page_state(pgdat, NR_PAGETABLE)),
		       K(node_page_state(pgdat, NR_SECONDARY_PAGETABLE)),
		       "no",
		       K(node_page_state(pgdat, NR_BALLOON_PAGES)));
	}
}

static void show_free_areas_zones(unsigned int filter, const unsigned long *nodemask,
				  int max_zone_idx)
{
	char name[32];
	struct zone *zone;

	for_each_populated_zone(zone) {
		if (show_mem_zone_skip(zone, filter, nodemask, max_zone_idx))
			continue;

		zone_line_prefix(zone, name, sizeof(name));
		printk("%s free:%lukB boost:%lukB min:%lukB low:%lukB high:%lukB"
		       " reserved_highatomic:%luKB free_highatomic:%luKB active_anon:%lukB"
		       " inactive_anon:%lukB active_file:%lukB inactive_file:%lukB"
		       " unevictable:%lukB writepending:%lukB present:%lukB managed:%lukB"
		       " mlocked:%lukB bounce:%lukB free_pcp:%lukB local_pcp:%ukB"
		       " free_cma:%lukB\n",
		       name,
		       K(zone_page_state(zone, NR_FREE_PAGES)),
		       K(zone->watermark_boost),
		       K(min_wmark_pages(zone)),
		       K(low_wmark_pages(zone)),
		       K(high_wmark_pages(zone)),
		       K(zone->nr_reserved_highatomic),
		       K(zone_free_highatomic(zone)),
		       K(zone_page_state(zone, NR_ZONE_ACTIVE_ANON)),
		       K(zone_page_state(zone, NR_ZONE_INACTIVE_ANON)),
		       K(zone_page_state(zone, NR_ZONE_ACTIVE_FILE)),
		       K(zone_page_state(zone, NR_ZONE_INACTIVE_FILE)),
		       K(zone_page_state(zone, NR_ZONE_UNEVICTABLE)),
		       K(zone_page_state(zone, NR_ZONE_WRITE_PENDING)),
		       K(zone->present_pages),
		       K(zone_managed_pages(zone)),
		       K(zone_page_state(zone, NR_MLOCK)),
		       0UL,
		       K(zone_free_pcp(zone)),
		       (unsigned int)K(zone_local_pcp(zone)),
		       K(zone_page_state(zone, NR_FREE_CMA_PAGES)));
		printk("lowmem_reserve[]:");
		for (int i = 0; i < MAX_NR_ZONES; i++)
			if (arch_zone_configured(i))
				printk(KERN_CONT " %ld", zone->lowmem_reserve[i]);
		printk(KERN_CONT "\n");
	}
}

static void show_free_areas_orders(unsigned int filter, const unsigned long *nodemask,
				   int max_zone_idx)
{
	struct zone *zone;

	for_each_populated_zone(zone) {
		unsigned long nr[NR_PAGE_ORDERS], total = 0;
		unsigned char types[NR_PAGE_ORDERS];
		char name[32];

		if (show_mem_zone_skip(zone, filter, nodemask, max_zone_idx))
			continue;
		zone_line_prefix(zone, name, sizeof(name));
		printk("%s: ", name);

		spin_lock(&zone->lock);
		for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++) {
			struct free_area *area = &zone->free_area[order];

			nr[order] = area->nr_free;
			total += nr[order] << order;
			types[order] = 0;
			for (int type = 0; type < MIGRATE_TYPES; type++)
				if (!list_empty(&area->free_list[type]))
					types[order] |= 1 << type;
		}
		spin_unlock(&zone->lock);

		for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++) {
			printk(KERN_CONT "%lu*%lukB ", nr[order], K(1UL) << order);
			if (nr[order])
				show_migration_types(types[order]);
		}
		printk(KERN_CONT "= %lukB\n", K(total));
	}
}

/**
 * __show_mem - print the Mem-Info dump
 * @filter: SHOW_MEM_FILTER_NODES to restrict the dump to @nodemask
 * @nodemask: nodes to show with SHOW_MEM_FILTER_NODES (NULL: all)
 * @max_zone_idx: highest zone index to show (warn_alloc passes gfp_zone())
 *
 * Context: any; takes zone locks one at a time.
 */
void __show_mem(unsigned int filter, const unsigned long *nodemask, int max_zone_idx)
{
	unsigned long total = 0, reserved = 0, highmem = 0, cma = 0;
	struct zone *zone;

	printk("Mem-Info:\n");
	show_free_areas_global(filter, nodemask, max_zone_idx);
	show_free_areas_nodes(filter, nodemask, max_zone_idx);
	show_free_areas_zones(filter, nodemask, max_zone_idx);
	show_free_areas_orders(filter, nodemask, max_zone_idx);
	printk("%ld total pagecache pages\n", global_node_page_state(NR_FILE_PAGES));

	/* show_swap_cache_info(): no swap device yet. */
	printk("%lu pages in swap cache\n", (unsigned long)global_node_page_state(NR_SWAPCACHE));
	printk("Free swap  = %ldkB\n", 0L);
	printk("Total swap = %lukB\n", 0UL);

	for_each_populated_zone(zone) {
		total += zone->present_pages;
		reserved += zone->present_pages - zone_managed_pages(zone);
		cma += zone->cma_pages;
		if (is_highmem_zone(zone))
			highmem += zone->present_pages;
	}
	printk("%lu pages RAM\n", total);
	printk("%lu pages HighMem/MovableOnly\n", highmem);
	printk("%lu pages reserved\n", reserved);
	printk("%lu pages cma reserved\n", cma);
	printk("%lu pages hwpoisoned\n", 0UL);
}

/**
 * show_mem - print the whole Mem-Info dump (all nodes, all zones)
 *
 * Context: any; takes zone locks one at a time.
 */
void show_mem(void)
{
	__show_mem(0, NULL, MAX_NR_ZONES - 1);
}

/**
 * si_meminfo_node_free - free pages of node @nid
 * @nid: node id
 * @free: out: NR_FREE_PAGES summed over the node's zones
 *
 * Context: any.
 */
void si_meminfo_node_free(int nid, unsigned long *free)
{
	pg_data_t *pgdat = NODE_DATA(nid);
	unsigned long sum = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++)
		sum += (unsigned long)zone_page_state(&pgdat->node_zones[i], NR_FREE_PAGES);
	*free = sum;
}
