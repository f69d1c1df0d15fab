/* SPDX-License-Identifier: MIT */
/*
 * mm_init.c - nodes, zones and the memmap at boot, and handing boot memory
 * to the buddy allocator (mm/mm_init.c).
 *
 * free_area_init() computes each zone's pfn range from the arch limits
 * (zone_sizes_init), intersects it with each node's span, counts holes
 * against memblock.memory (spanned vs present), initialises every struct
 * page that has memmap (holes included, marked reserved) and every
 * pageblock as MOVABLE.  memblock_free_all() then gives every free range
 * (memory minus reserved) to the buddy allocator in naturally aligned
 * blocks of up to MAX_PAGE_ORDER, and managed_pages/totalram_pages are what
 * was given.  Invariants after boot: for each zone
 *   spanned >= present >= managed, and
 *   sum(managed) == totalram_pages == present pages - reserved pages.
 */
#include <stdio.h>
#include <string.h>

#include <linmm/memblock.h>
#include <linmm/mm.h>
#include <linmm/printk.h>
#include <linmm/vmstat.h>

#include "arch/arch.h"
#include "kernel/host.h"
#include "kernel/machine.h"
#include "mm/internal.h"

unsigned long arch_zone_lowest_possible_pfn[MAX_NR_ZONES];
unsigned long arch_zone_highest_possible_pfn[MAX_NR_ZONES];
extern void zone_sizes_init(unsigned long *max_zone_pfns);

void __init_single_page(struct page *page, unsigned long pfn, int zone, int nid)
{
	memset(page, 0, sizeof(*page));
	set_page_links(page, zone, nid);
	init_page_count(page);
	page_mapcount_reset(page);
	INIT_LIST_HEAD(&page->lru);
}

int zone_alloc_percpu(struct zone *zone)
{
	zone->per_cpu_pageset = linmm_host_zalloc(nr_cpu_ids * sizeof(*zone->per_cpu_pageset));
	zone->per_cpu_zonestats = linmm_host_zalloc(nr_cpu_ids * sizeof(*zone->per_cpu_zonestats));
	if (!zone->per_cpu_pageset || !zone->per_cpu_zonestats)
		return -ENOMEM;
	return 0;
}

static void zone_free_percpu(struct zone *zone)
{
	linmm_host_free(zone->per_cpu_pageset);
	linmm_host_free(zone->per_cpu_zonestats);
	linmm_host_free(zone->pageblock_flags);
	zone->per_cpu_pageset = NULL;
	zone->per_cpu_zonestats = NULL;
	zone->pageblock_flags = NULL;
}

void init_currently_empty_zone(struct zone *zone, unsigned long start_pfn, unsigned long size)
{
	zone->zone_start_pfn = start_pfn;
	zone->initialized = true;
	zone_init_free_lists(zone);
	(void)size;
}

static void print_zone_ranges(void)
{
	pr_info("Zone ranges:\n");
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		if (i == ZONE_MOVABLE || !arch_zone_configured(i))
			continue;
		if (arch_zone_lowest_possible_pfn[i] == arch_zone_highest_possible_pfn[i]) {
			pr_info("  %-8s empty\n", zone_names[i]);
			continue;
		}
		pr_info("  %-8s [mem %#018llx-%#018llx]\n", zone_names[i],
			(unsigned long long)PFN_PHYS(arch_zone_lowest_possible_pfn[i]),
			(unsigned long long)PFN_PHYS(arch_zone_highest_possible_pfn[i]) - 1);
	}
	pr_info("Movable zone start for each node\n");
	pr_info("Early memory node ranges\n");
	for (unsigned long i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];

		pr_info("  node %3d: [mem %#018llx-%#018llx]\n", r->nid,
			(unsigned long long)r->base, (unsigned long long)(r->base + r->size - 1));
	}
}

static void get_pfn_range_for_nid(int nid, unsigned long *start, unsigned long *end)
{
	*start = ~0UL;
	*end = 0;
	for (unsigned long i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];

		if (r->nid != nid)
			continue;
		*start = min(*start, PFN_UP(r->base));
		*end = max(*end, PFN_DOWN(r->base + r->size));
	}
	if (*start == ~0UL)
		*start = 0;
}

static int zone_setup_pageblock_flags(struct zone *zone)
{
	unsigned long start, nblocks, bytes;

	if (boot_params.model != LINMM_FLATMEM || !zone->spanned_pages)
		return 0;
	start = ALIGN_DOWN(zone->zone_start_pfn, pageblock_nr_pages);
	nblocks = DIV_ROUND_UP(zone_end_pfn(zone) - start, pageblock_nr_pages);
	bytes = ALIGN(DIV_ROUND_UP(nblocks * 4, 8), sizeof(unsigned long));
	zone->pageblock_flags = linmm_host_zalloc(bytes);
	return zone->pageblock_flags ? 0 : -ENOMEM;
}

static int free_area_init_node(int nid)
{
	pg_data_t *pgdat = NODE_DATA(nid);
	unsigned long start_pfn, end_pfn;
	int ret;

	get_pfn_range_for_nid(nid, &start_pfn, &end_pfn);
	pgdat->node_id = nid;
	lruvec_init(&pgdat->__lruvec);	/* pgdat_init_internals() */
	pgdat->node_start_pfn = start_pfn;
	pgdat->node_spanned_pages = end_pfn - start_pfn;
	pr_info("Initmem setup node %d [mem %#018llx-%#018llx]\n", nid,
		(unsigned long long)PFN_PHYS(start_pfn), (unsigned long long)PFN_PHYS(end_pfn) - 1);

	pgdat->per_cpu_nodestats = linmm_host_zalloc(nr_cpu_ids * sizeof(*pgdat->per_cpu_nodestats));
	if (!pgdat->per_cpu_nodestats)
		return -ENOMEM;
	pgdat->node_present_pages = 0;
	pgdat->nr_zones = 0;
	for (int j = 0; j < MAX_NR_ZONES; j++) {
		struct zone *zone = &pgdat->node_zones[j];
		unsigned long zs = max(arch_zone_lowest_possible_pfn[j], start_pfn);
		unsigned long ze = min(arch_zone_highest_possible_pfn[j], end_pfn);

		zone->name = zone_names[j];
		zone->node = nid;
		zone->zone_pgdat = pgdat;
		spin_lock_init(&zone->lock);
		if (!arch_zone_configured(j) || zs >= ze) {
			zone->zone_start_pfn = 0;
			zone->spanned_pages = 0;
			zone->present_pages = 0;
		} else {
			zone->zone_start_pfn = zs;
			zone->spanned_pages = ze - zs;
			zone->present_pages = memblock_present_pages(zs, ze, nid);
			pgdat->nr_zones = j + 1;
		}
		pgdat->node_present_pages += zone->present_pages;
		/* An estimate until memblock_free_all() counts what it really frees. */
		atomic_store(&zone->managed_pages, (long)zone->present_pages);
		ret = zone_alloc_percpu(zone);
		if (ret)
			return ret;
		init_currently_empty_zone(zone, zone->zone_start_pfn, zone->spanned_pages);
		ret = zone_setup_pageblock_flags(zone);
		if (ret)
			return ret;
		zone_pcp_init(zone);
	}
	return 0;
}

static void init_unavailable_range(unsigned long spfn, unsigned long epfn, int zid, int nid)
{
	unsigned long pgcnt = 0;

	for (unsigned long pfn = spfn; pfn < epfn; pfn++) {
		struct page *page;

		if (!pfn_valid(pfn)) {
			pfn = ALIGN(pfn + 1, section_nr_pages()) - 1;
			continue;
		}
		page = pfn_to_page(pfn);
		__init_single_page(page, pfn, zid, nid);
		SetPageReserved(page);
		pgcnt++;
	}
	if (pgcnt)
		pr_info("On node %d, zone %s: %lu pages in unavailable ranges\n", nid,
			zone_names[zid], pgcnt);
}

static void memmap_init_range(unsigned long spfn, unsigned long epfn, int zid, int nid)
{
	for (unsigned long pfn = spfn; pfn < epfn; pfn++) {
		struct page *page = pfn_to_page(pfn);

		__init_single_page(page, pfn, zid, nid);
		if (IS_ALIGNED(pfn, pageblock_nr_pages))
			set_pageblock_migratetype(page, MIGRATE_MOVABLE);
	}
}

/* memmap_init(): every page of every zone, holes between ranges included. */
static void memmap_init(void)
{
	unsigned long hole_pfn = 0, end_pfn = 0;
	int zid = 0, nid = 0;

	for (unsigned long i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		unsigned long start_pfn = PFN_UP(r->base);

		end_pfn = PFN_DOWN(r->base + r->size);
		nid = r->nid;
		for (int j = 0; j < MAX_NR_ZONES; j++) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[j];
			unsigned long s, e;

			if (!populated_zone(zone))
				continue;
			s = clamp(start_pfn, zone->zone_start_pfn, zone_end_pfn(zone));
			e = clamp(end_pfn, zone->zone_start_pfn, zone_end_pfn(zone));
			if (s >= e)
				continue;
			memmap_init_range(s, e, j, nid);
			/* As the kernel does, a hole takes the zone of the range after it. */
			if (hole_pfn < s)
				init_unavailable_range(hole_pfn, s, j, nid);
			hole_pfn = e;
			zid = j;
		}
	}
	if (boot_params.model != LINMM_FLATMEM)
		end_pfn = ALIGN(end_pfn, section_nr_pages());
	if (hole_pfn < end_pfn)
		init_unavailable_range(hole_pfn, end_pfn, zid, nid);
}

/* memmap_init_reserved_pages(): boot allocations keep PG_reserved. */
static void memmap_init_reserved_pages(void)
{
	for (unsigned long i = 0; i < memblock.reserved.cnt; i++) {
		const struct memblock_region *r = &memblock.reserved.regions[i];

		for (unsigned long pfn = PFN_DOWN(r->base); pfn < PFN_UP(r->base + r->size); pfn++)
			if (pfn_valid(pfn) && memblock_is_memory(PFN_PHYS(pfn)))
				SetPageReserved(pfn_to_page(pfn));
	}
}

int free_area_init(void)
{
	unsigned long max_zone_pfns[MAX_NR_ZONES];
	unsigned long start_pfn = PFN_UP(memblock_start_of_DRAM());
	int nid, ret;

	zone_sizes_init(max_zone_pfns);
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		if (i == ZONE_MOVABLE || i == ZONE_DEVICE || !arch_zone_configured(i)) {
			arch_zone_lowest_possible_pfn[i] = arch_zone_highest_possible_pfn[i] = 0;
			continue;
		}
		arch_zone_lowest_possible_pfn[i] = start_pfn;
		arch_zone_highest_possible_pfn[i] = max(max_zone_pfns[i], start_pfn);
		start_pfn = arch_zone_highest_possible_pfn[i];
	}
	print_zone_ranges();
	for_each_online_node(nid) {
		ret = free_area_init_node(nid);
		if (ret)
			return ret;
	}
	memmap_init();
	memmap_init_reserved_pages();
	return 0;
}

/* Give [start_pfn, end_pfn) to the buddy allocator in naturally aligned blocks. */
static void __free_pages_memory(unsigned long start, unsigned long end)
{
	while (start < end) {
		int order = start ? min(MAX_PAGE_ORDER, __builtin_ctzl(start)) : MAX_PAGE_ORDER;

		while (start + (1UL << order) > end)
			order--;
		__free_pages_core(pfn_to_page(start), (unsigned int)order);
		start += 1UL << order;
	}
}

void memblock_free_all(void)
{
	struct zone *zone;
	phys_addr_t s, e;
	u64 idx = 0;

	/* reset_all_zones_managed_pages(): from now on managed == what the buddy got. */
	for_each_zone(zone)
		atomic_store(&zone->managed_pages, 0);
	atomic_store(&_totalram_pages, 0);
	while (memblock_next_free_range(&idx, &s, &e, NULL)) {
		unsigned long spfn = PFN_UP(s), epfn = PFN_DOWN(e);

		if (spfn < epfn)
			__free_pages_memory(spfn, epfn);
	}
	totalhigh_pages_count = 0;
	for_each_zone(zone)
		if (is_highmem_idx(zone_idx(zone)))
			totalhigh_pages_count += zone_managed_pages(zone);
}

unsigned long get_num_physpages(void)
{
	unsigned long n = 0;
	int nid;

	for_each_online_node(nid)
		n += NODE_DATA(nid)->node_present_pages;
	return n;
}

void mem_init_print_info(void)
{
	const struct linmm_arch *a = linmm_arch;
	unsigned long physpages = get_num_physpages();
	unsigned long reserved = physpages - totalram_pages();
	char high[48] = "";

	if (arch_zone_configured(ZONE_HIGHMEM))
		snprintf(high, sizeof(high), ", %luK highmem", totalhigh_pages_count << (PAGE_SHIFT - 10));
	pr_info("Memory: %luK/%luK available (%luK kernel code, %luK rwdata, %luK rodata, "
		"%luK init, %luK bss, %luK reserved, %luK cma-reserved%s)\n",
		nr_free_pages() << (PAGE_SHIFT - 10), physpages << (PAGE_SHIFT - 10),
		a->kernel_code_k, a->kernel_rwdata_k, a->kernel_rodata_k, a->kernel_init_k,
		a->kernel_bss_k, reserved << (PAGE_SHIFT - 10), 0UL, high);
}

void mm_init_teardown(void)
{
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		pg_data_t *pgdat = NODE_DATA(nid);

		if (!pgdat)
			continue;
		for (int j = 0; j < MAX_NR_ZONES; j++)
			zone_free_percpu(&pgdat->node_zones[j]);
		linmm_host_free(pgdat->per_cpu_nodestats);
		pgdat->per_cpu_nodestats = NULL;
	}
	memset(arch_zone_lowest_possible_pfn, 0, sizeof(arch_zone_lowest_possible_pfn));
	memset(arch_zone_highest_possible_pfn, 0, sizeof(arch_zone_highest_possible_pfn));
}

/**
 * validate_zones - check the node and zone layout invariants.
 *
 * For every node: spanned >= present, present == sum of its zones' present;
 * zones lie inside the node, in index order, without overlap; for every
 * zone spanned >= present >= managed; the struct page of every pfn of RAM
 * names its zone and node (hole pages take the zone of the RAM after them,
 * as in the kernel, so they may name the next zone); and
 * sum(managed) == totalram_pages.
 * Context: any, machine booted; walks every struct page (O(memory)).
 * Return: 0, or -EINVAL after printing what is wrong.
 */
int validate_zones(void)
{
	unsigned long total_managed = 0;
	int nid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);
		unsigned long present = 0, prev_end = pgdat->node_start_pfn;

		if (pgdat->node_present_pages > pgdat->node_spanned_pages)
			goto bad_node;
		for (int j = 0; j < MAX_NR_ZONES; j++) {
			struct zone *zone = &pgdat->node_zones[j];

			present += zone->present_pages;
			total_managed += zone_managed_pages(zone);
			if (!zone->spanned_pages)
				continue;
			if (zone->present_pages > zone->spanned_pages ||
			    zone_managed_pages(zone) > zone->present_pages ||
			    zone->zone_start_pfn < prev_end ||
			    zone_end_pfn(zone) > pgdat->node_start_pfn + pgdat->node_spanned_pages) {
				pr_err("validate_zones: node %d zone %s: start %#lx spanned %lu present %lu managed %lu\n",
				       nid, zone->name, zone->zone_start_pfn, zone->spanned_pages,
				       zone->present_pages, zone_managed_pages(zone));
				return -EINVAL;
			}
			prev_end = zone_end_pfn(zone);
			for (unsigned long pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone); pfn++) {
				struct page *page;

				if (!pfn_valid(pfn) || !memblock_is_memory(PFN_PHYS(pfn)))
					continue;
				page = pfn_to_page(pfn);
				if (page_zonenum(page) != j || page_to_nid(page) != nid) {
					pr_err("validate_zones: pfn %#lx in node %d zone %s says node %d zone %d\n",
					       pfn, nid, zone->name, page_to_nid(page), page_zonenum(page));
					return -EINVAL;
				}
			}
		}
		if (present != pgdat->node_present_pages)
			goto bad_node;
		continue;
bad_node:
		pr_err("validate_zones: node %d spanned %lu present %lu (zones: %lu)\n", nid,
		       pgdat->node_spanned_pages, pgdat->node_present_pages, present);
		return -EINVAL;
	}
	if (total_managed != totalram_pages()) {
		pr_err("validate_zones: managed pages %lu != totalram_pages %lu\n", total_managed,
		       totalram_pages());
		return -EINVAL;
	}
	return 0;
}
