/* SPDX-License-Identifier: MIT */
/*
 * memory_hotplug.c - growing and shrinking a running machine's memory
 * (mm/memory_hotplug.c, with the memory block online/offline steps of
 * drivers/base/memory.c and x86's arch_add_memory()).
 *
 * Memory is added, onlined and offlined per memory block (one section, 128
 * MiB on x86_64).  A hot-added block carries its own memmap in its first
 * pages (the kernel's memmap_on_memory), so of its 32768 pages 512 hold
 * struct pages and 32256 become usable:
 *
 *   hot-added block (one section)
 *   +--------+-------------------------------------------------+
 *   | memmap |         pages handed to the buddy allocator      |
 *   | 512 pg |                   32256 pages                    |
 *   +--------+-------------------------------------------------+
 *    present, reserved      present + managed (MemTotal grows)
 *
 *   add_memory()     "System RAM" in /proc/iomem, memblock, node RAM grown,
 *                    direct map, section present with its memmap; offline.
 *   online           struct pages initialised into the zone (the span grows),
 *                    pages freed to the buddy in MAX_PAGE_ORDER chunks,
 *                    section online, zonelists rebuilt if the zone was empty,
 *                    watermarks and pcp sizes recomputed.
 *   offline          pageblocks isolated (MIGRATE_ISOLATE), every page must
 *                    be free (there is no page migration yet: a page in use
 *                    makes the block -EBUSY), free pages taken out of the
 *                    buddy, managed/present shrink, section offline, zone
 *                    span shrinks, watermarks recomputed.
 *
 * Boot memory blocks have no self-hosted memmap; they can be offlined the
 * same way when all their pages are free.
 *
 * Invariants: a section is SECTION_IS_ONLINE iff its pages belong to a zone
 * span and are counted in present_pages; totalram_pages equals the sum of
 * managed pages; offlined struct pages are reserved pages of their old zone
 * (the kernel poisons them).
 *
 * Locks: mem_hotplug_lock serialises every add/online/offline (the
 * kernel's mem_hotplug_lock writer side with the device hotplug lock).
 * Under it: zone->lock (taken by the buddy allocator), the pcp locks.
 */

#include <linmm/ioport.h>
#include <linmm/memblock.h>
#include <linmm/memory_hotplug.h>
#include <linmm/printk.h>

#include "arch/arch.h"
#include "kernel/machine.h"
#include "kernel/physmem.h"
#include "mm/internal.h"

static spinlock_t mem_hotplug_lock = __SPIN_LOCK_UNLOCKED;

/**
 * memory_block_size_bytes - bytes per memory block (one section)
 *
 * Context: machine booted.
 * Return: 128 MiB on x86_64.
 */
unsigned long memory_block_size_bytes(void)
{
	return section_nr_pages() << PAGE_SHIFT;
}

/**
 * memory_block_memmap_pages - pages of a hot-added block that hold its memmap
 *
 * Context: machine booted.
 * Return: PFN_UP(pages per section * sizeof(struct page)): 512 on x86_64.
 */
unsigned long memory_block_memmap_pages(void)
{
	return PFN_UP(section_nr_pages() * sizeof(struct page));
}

/* The kernel's MEMORY_HOTPLUG depends on 64BIT and SPARSEMEM. */
static bool mhp_supported(void)
{
	return linmm_arch->bits == 64 && boot_params.model == LINMM_SPARSEMEM_VMEMMAP;
}

static struct mem_section *block_section(unsigned long block_id)
{
	if (!mhp_supported() || block_id >= nr_mem_sections)
		return NULL;
	return __pfn_to_section(block_id * section_nr_pages());
}

/**
 * memory_block_present - has memory block @block_id been added (or booted)?
 * @block_id: the N of memoryN
 *
 * Context: machine booted.
 * Return: true if its section is present with a memmap.
 */
bool memory_block_present(unsigned long block_id)
{
	struct mem_section *ms = block_section(block_id);

	return ms && (ms->section_mem_map & SECTION_HAS_MEM_MAP);
}

/**
 * memory_block_is_online - is memory block @block_id online?
 * @block_id: the N of memoryN
 *
 * Context: machine booted.
 * Return: true if its section is online.
 */
bool memory_block_is_online(unsigned long block_id)
{
	struct mem_section *ms = block_section(block_id);

	return ms && (ms->section_mem_map & SECTION_IS_ONLINE);
}

/**
 * pfn_to_online_page - the struct page of @pfn if it is online
 * @pfn: page frame number
 *
 * Context: any.
 * Return: the page, or NULL for pfns without memmap or in offline sections.
 */
struct page *pfn_to_online_page(unsigned long pfn)
{
	struct mem_section *ms;

	if (boot_params.model != LINMM_SPARSEMEM_VMEMMAP)
		return pfn_valid(pfn) ? pfn_to_page(pfn) : NULL;
	ms = __pfn_to_section(pfn);
	if (!ms || !(ms->section_mem_map & SECTION_IS_ONLINE))
		return NULL;
	return pfn_to_page(pfn);
}

static void set_sections_online(unsigned long start_pfn, unsigned long end_pfn, bool online)
{
	for (unsigned long pfn = start_pfn; pfn < end_pfn;
	     pfn = ALIGN_DOWN(pfn, section_nr_pages()) + section_nr_pages()) {
		struct mem_section *ms = __pfn_to_section(pfn);

		if (!ms)
			continue;
		if (online)
			ms->section_mem_map |= SECTION_IS_ONLINE;
		else
			ms->section_mem_map &= ~SECTION_IS_ONLINE;
	}
}

static bool zone_is_empty(const struct zone *zone)
{
	return zone->spanned_pages == 0;
}

static bool zone_intersects(const struct zone *zone, unsigned long start_pfn,
			    unsigned long nr_pages)
{
	if (zone_is_empty(zone))
		return false;
	return start_pfn < zone_end_pfn(zone) && start_pfn + nr_pages > zone->zone_start_pfn;
}

/* The kernel zone (DMA..DMA32) spanning the range, else ZONE_NORMAL. */
static struct zone *default_kernel_zone_for_pfn(int nid, unsigned long start_pfn,
						unsigned long nr_pages)
{
	pg_data_t *pgdat = NODE_DATA(nid);

	for (int zid = 0; zid < ZONE_NORMAL; zid++)
		if (zone_intersects(&pgdat->node_zones[zid], start_pfn, nr_pages))
			return &pgdat->node_zones[zid];
	return &pgdat->node_zones[ZONE_NORMAL];
}

/**
 * zone_for_pfn_range - the zone onlining puts a range into
 * @online_type: MMOP_ONLINE, MMOP_ONLINE_KERNEL or MMOP_ONLINE_MOVABLE
 * @nid: the range's node
 * @start_pfn: first pfn
 * @nr_pages: pages
 *
 * MMOP_ONLINE keeps zones contiguous: the zone whose span the range is in
 * (kernel or Movable), else a kernel zone (no movable_node).
 *
 * Context: mem_hotplug_lock held, or nothing changing the zones.
 * Return: the zone.
 */
struct zone *zone_for_pfn_range(int online_type, int nid, unsigned long start_pfn,
				unsigned long nr_pages)
{
	struct zone *kernel_zone = default_kernel_zone_for_pfn(nid, start_pfn, nr_pages);
	struct zone *movable_zone = &NODE_DATA(nid)->node_zones[ZONE_MOVABLE];
	bool in_kernel, in_movable;

	if (online_type == MMOP_ONLINE_KERNEL)
		return kernel_zone;
	if (online_type == MMOP_ONLINE_MOVABLE)
		return movable_zone;
	in_kernel = zone_intersects(kernel_zone, start_pfn, nr_pages);
	in_movable = zone_intersects(movable_zone, start_pfn, nr_pages);
	if (in_kernel ^ in_movable)
		return in_kernel ? kernel_zone : movable_zone;
	return kernel_zone;
}

static void resize_zone_range(struct zone *zone, unsigned long start_pfn, unsigned long nr_pages)
{
	unsigned long old_end_pfn = zone_end_pfn(zone);

	if (zone_is_empty(zone) || start_pfn < zone->zone_start_pfn)
		zone->zone_start_pfn = start_pfn;
	zone->spanned_pages = max(start_pfn + nr_pages, old_end_pfn) - zone->zone_start_pfn;
}

static void resize_pgdat_range(pg_data_t *pgdat, unsigned long start_pfn, unsigned long nr_pages)
{
	unsigned long old_end_pfn = pgdat->node_start_pfn + pgdat->node_spanned_pages;

	if (!pgdat->node_spanned_pages || start_pfn < pgdat->node_start_pfn)
		pgdat->node_start_pfn = start_pfn;
	pgdat->node_spanned_pages = max(start_pfn + nr_pages, old_end_pfn) - pgdat->node_start_pfn;
}

/*
 * move_pfn_range_to_zone - make [start_pfn, +nr_pages) part of @zone: the
 * spans grow and every struct page is initialised (PageOffline until the
 * buddy gets it, refcount 1) with its pageblocks of type @migratetype.
 */
static void move_pfn_range_to_zone(struct zone *zone, unsigned long start_pfn,
				   unsigned long nr_pages, int migratetype)
{
	pg_data_t *pgdat = zone->zone_pgdat;
	int nid = pgdat->node_id, zid = zone_idx(zone);

	if (zone_is_empty(zone))
		init_currently_empty_zone(zone, start_pfn, nr_pages);
	resize_zone_range(zone, start_pfn, nr_pages);
	resize_pgdat_range(pgdat, start_pfn, nr_pages);
	if (pgdat->nr_zones < zid + 1)
		pgdat->nr_zones = zid + 1;

	for (unsigned long pfn = start_pfn; pfn < start_pfn + nr_pages; pfn++) {
		struct page *page = pfn_to_page(pfn);

		__init_single_page(page, pfn, zid, nid);
		__SetPageOffline(page);
		if (IS_ALIGNED(pfn, pageblock_nr_pages))
			set_pageblock_migratetype(page, migratetype);
	}
}

/* The lowest online pfn of @zone (and @nid) in [start_pfn, end_pfn), or 0. */
static unsigned long find_smallest_section_pfn(int nid, struct zone *zone,
					       unsigned long start_pfn, unsigned long end_pfn)
{
	for (; start_pfn < end_pfn; start_pfn += pageblock_nr_pages) {
		struct page *page = pfn_to_online_page(start_pfn);

		if (page && page_to_nid(page) == nid && page_zone(page) == zone)
			return start_pfn;
	}
	return 0;
}

/* The highest online pfn of @zone (and @nid) in [start_pfn, end_pfn), or 0. */
static unsigned long find_biggest_section_pfn(int nid, struct zone *zone,
					      unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long pfn;

	if (end_pfn <= start_pfn)
		return 0;
	for (pfn = end_pfn - 1;; pfn -= pageblock_nr_pages) {
		struct page *page = pfn_to_online_page(pfn);

		if (page && page_to_nid(page) == nid && page_zone(page) == zone)
			return pfn;
		if (pfn < start_pfn + pageblock_nr_pages)
			return 0;
	}
}

static void shrink_zone_span(struct zone *zone, unsigned long start_pfn, unsigned long end_pfn)
{
	int nid = zone_to_nid(zone);
	unsigned long pfn;

	if (zone->zone_start_pfn == start_pfn) {
		/* The first range of the zone goes: the next online one starts it. */
		pfn = find_smallest_section_pfn(nid, zone, end_pfn, zone_end_pfn(zone));
		if (pfn) {
			zone->spanned_pages = zone_end_pfn(zone) - pfn;
			zone->zone_start_pfn = pfn;
		} else {
			zone->zone_start_pfn = 0;
			zone->spanned_pages = 0;
		}
	} else if (zone_end_pfn(zone) == end_pfn) {
		/* The last range goes: the previous online one ends it. */
		pfn = find_biggest_section_pfn(nid, zone, zone->zone_start_pfn, start_pfn);
		if (pfn) {
			zone->spanned_pages = pfn - zone->zone_start_pfn + 1;
		} else {
			zone->zone_start_pfn = 0;
			zone->spanned_pages = 0;
		}
	}
}

static void update_pgdat_span(pg_data_t *pgdat)
{
	unsigned long node_start_pfn = 0, node_end_pfn = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *zone = &pgdat->node_zones[i];

		if (!zone->spanned_pages)
			continue;
		if (!node_end_pfn) {
			node_start_pfn = zone->zone_start_pfn;
			node_end_pfn = zone_end_pfn(zone);
			continue;
		}
		node_end_pfn = max(node_end_pfn, zone_end_pfn(zone));
		node_start_pfn = min(node_start_pfn, zone->zone_start_pfn);
	}
	pgdat->node_start_pfn = node_start_pfn;
	pgdat->node_spanned_pages = node_end_pfn - node_start_pfn;
}

/*
 * Reset the struct pages to reserved pages of @zone (as the memmap of holes
 * is) and shrink the spans.  The kernel poisons them instead; linmm keeps
 * them consistent so pfn walkers that only check pfn_valid() see a page
 * that no one may use.
 */
static void remove_pfn_range_from_zone(struct zone *zone, unsigned long start_pfn,
				       unsigned long nr_pages)
{
	for (unsigned long pfn = start_pfn; pfn < start_pfn + nr_pages; pfn++) {
		__init_single_page(pfn_to_page(pfn), pfn, zone_idx(zone), zone_to_nid(zone));
		SetPageReserved(pfn_to_page(pfn));
	}
	shrink_zone_span(zone, start_pfn, start_pfn + nr_pages);
	update_pgdat_span(zone->zone_pgdat);
}

static void adjust_present_page_count(struct zone *zone, long nr_pages)
{
	zone->present_pages += (unsigned long)nr_pages;
	zone->zone_pgdat->node_present_pages += (unsigned long)nr_pages;
}

/* Free the range to the buddy in the largest naturally aligned chunks; mark it online. */
static void online_pages_range(unsigned long start_pfn, unsigned long nr_pages)
{
	const unsigned long end_pfn = start_pfn + nr_pages;

	for (unsigned long pfn = start_pfn; pfn < end_pfn;) {
		unsigned int order = pfn ? min(MAX_PAGE_ORDER, __builtin_ctzl(pfn)) : MAX_PAGE_ORDER;

		__free_pages_core(pfn_to_page(pfn), order);
		pfn += 1UL << order;
	}
	set_sections_online(start_pfn, end_pfn, true);
}

static bool online_range_ok(unsigned long pfn, unsigned long nr_pages)
{
	return nr_pages && IS_ALIGNED(pfn, pageblock_nr_pages) &&
	       IS_ALIGNED(pfn + nr_pages, section_nr_pages());
}

/* online_pages() with mem_hotplug_lock held. */
static int __online_pages(unsigned long pfn, unsigned long nr_pages, struct zone *zone)
{
	bool need_zonelists_rebuild;

	if (WARN_ON_ONCE(!online_range_ok(pfn, nr_pages)))
		return -EINVAL;

	move_pfn_range_to_zone(zone, pfn, nr_pages, MIGRATE_MOVABLE);
	/*
	 * An unpopulated zone is in no zonelist (the allocator cannot see it
	 * yet) and has boot pagesets: give it real ones.
	 */
	need_zonelists_rebuild = !populated_zone(zone);
	if (need_zonelists_rebuild)
		setup_zone_pageset(zone);
	online_pages_range(pfn, nr_pages);
	adjust_present_page_count(zone, (long)nr_pages);
	if (need_zonelists_rebuild)
		build_all_zonelists();
	/* Watermarks, lowmem reserves and pcp sizes follow the new zone size. */
	init_per_zone_wmark_min();
	return 0;
}

/**
 * online_pages - put a range of present pages into @zone and the buddy
 * @pfn: first pfn, pageblock aligned
 * @nr_pages: pages; the range ends on a section boundary
 * @zone: the zone (zone_for_pfn_range())
 *
 * Context: machine booted; takes mem_hotplug_lock.
 * Return: 0, -EINVAL for a misaligned range, -EOPNOTSUPP without hotplug.
 */
int online_pages(unsigned long pfn, unsigned long nr_pages, struct zone *zone)
{
	int ret;

	if (!mhp_supported())
		return -EOPNOTSUPP;
	spin_lock(&mem_hotplug_lock);
	ret = __online_pages(pfn, nr_pages, zone);
	spin_unlock(&mem_hotplug_lock);
	return ret;
}

/* offline_pages() with mem_hotplug_lock held. */
static int __offline_pages(unsigned long start_pfn, unsigned long nr_pages)
{
	const unsigned long end_pfn = start_pfn + nr_pages;
	unsigned long managed_pages;
	const char *reason;
	struct zone *zone;
	int ret;

	if (WARN_ON_ONCE(!online_range_ok(start_pfn, nr_pages)))
		return -EINVAL;
	if (!pfn_to_online_page(start_pfn) || !pfn_to_online_page(end_pfn - 1)) {
		ret = -EINVAL;
		reason = "offline range";
		goto failed_removal;
	}
	/* Blocks with holes are never onlined by hotplug, nor offlined. */
	if (memblock_present_pages(start_pfn, end_pfn, NUMA_NO_NODE) != nr_pages) {
		ret = -EINVAL;
		reason = "memory holes";
		goto failed_removal;
	}
	zone = page_zone(pfn_to_page(start_pfn));
	if (page_zone(pfn_to_page(end_pfn - 1)) != zone) {
		ret = -EINVAL;
		reason = "multizone range";
		goto failed_removal;
	}

	/* No pcp list may hold on to pages of the isolated pageblocks. */
	zone_pcp_disable(zone);
	ret = start_isolate_page_range(start_pfn, end_pfn, MIGRATE_MOVABLE);
	if (ret) {
		reason = "failure to isolate range";
		goto failed_removal_pcplists_disabled;
	}
	/* Without page migration, any page still in use keeps the block. */
	ret = test_pages_isolated(start_pfn, end_pfn);
	if (ret) {
		reason = "unmovable page";
		goto failed_removal_isolated;
	}

	managed_pages = __offline_isolated_pages(start_pfn, end_pfn);
	set_sections_online(start_pfn, end_pfn, false);
	pr_debug("Offlined Pages %ld\n", (long)nr_pages);
	zone_pcp_enable(zone);

	atomic_fetch_sub_explicit(&zone->managed_pages, (long)managed_pages, memory_order_relaxed);
	totalram_pages_add(-(long)managed_pages);
	adjust_present_page_count(zone, -(long)nr_pages);
	init_per_zone_wmark_min();
	if (!populated_zone(zone)) {
		zone_pcp_reset(zone);
		build_all_zonelists();
	}
	remove_pfn_range_from_zone(zone, start_pfn, nr_pages);
	return 0;

failed_removal_isolated:
	undo_isolate_page_range(start_pfn, end_pfn, MIGRATE_MOVABLE);
failed_removal_pcplists_disabled:
	zone_pcp_enable(zone);
failed_removal:
	pr_debug("memory offlining [mem %#010llx-%#010llx] failed due to %s\n",
		 (unsigned long long)PFN_PHYS(start_pfn), (unsigned long long)PFN_PHYS(end_pfn) - 1,
		 reason);
	return ret;
}

/**
 * offline_pages - take a range of online pages out of its zone
 * @start_pfn: first pfn, pageblock aligned
 * @nr_pages: pages; the range ends on a section boundary and lies in one zone
 *
 * Every page must be free: linmm has no page migration yet, so a page in
 * use fails the offline with -EBUSY, and the range stays online.
 *
 * Context: machine booted; takes mem_hotplug_lock; may drain pcp lists.
 * Return: 0; -EINVAL (misaligned, offline, holes, several zones); -EBUSY;
 * -EOPNOTSUPP (32-bit or FLATMEM machine).
 */
int offline_pages(unsigned long start_pfn, unsigned long nr_pages)
{
	int ret;

	if (!mhp_supported())
		return -EOPNOTSUPP;
	spin_lock(&mem_hotplug_lock);
	ret = __offline_pages(start_pfn, nr_pages);
	spin_unlock(&mem_hotplug_lock);
	return ret;
}

/* The memmap pages join the zone as reserved pages that are never freed. */
static void mhp_init_memmap_on_memory(unsigned long pfn, unsigned long nr_pages, struct zone *zone)
{
	move_pfn_range_to_zone(zone, pfn, nr_pages, MIGRATE_UNMOVABLE);
	for (unsigned long i = 0; i < nr_pages; i++) {
		struct page *page = pfn_to_page(pfn + i);

		__ClearPageOffline(page);
		SetPageReserved(page);
	}
}

/* Pages of @ms's block that hold its own memmap: only hot-added sections have them. */
static unsigned long block_vmemmap_pages(const struct mem_section *ms)
{
	return (ms->section_mem_map & SECTION_IS_EARLY) ? 0 : memory_block_memmap_pages();
}

/**
 * memory_block_online - online memory block @block_id
 * @block_id: the N of memoryN
 * @online_type: MMOP_ONLINE, MMOP_ONLINE_KERNEL or MMOP_ONLINE_MOVABLE
 *
 * The block's self-hosted memmap pages join the zone as present, reserved
 * pages; the rest is onlined with online_pages().
 *
 * Context: machine booted; takes mem_hotplug_lock.
 * Return: 0, or -EINVAL (bad type, block absent or already online).
 */
int memory_block_online(unsigned long block_id, int online_type)
{
	const unsigned long start_pfn = block_id * section_nr_pages();
	const unsigned long nr_pages = section_nr_pages();
	struct mem_section *ms = block_section(block_id);
	unsigned long nr_vmemmap_pages;
	struct zone *zone;
	int ret = -EINVAL;

	if (online_type < MMOP_ONLINE || online_type > MMOP_ONLINE_MOVABLE)
		return -EINVAL;
	spin_lock(&mem_hotplug_lock);
	if (!ms || !(ms->section_mem_map & SECTION_HAS_MEM_MAP) ||
	    (ms->section_mem_map & SECTION_IS_ONLINE))
		goto out_unlock;
	nr_vmemmap_pages = block_vmemmap_pages(ms);
	zone = zone_for_pfn_range(online_type, ms->nid, start_pfn, nr_pages);
	if (nr_vmemmap_pages)
		mhp_init_memmap_on_memory(start_pfn, nr_vmemmap_pages, zone);
	ret = __online_pages(start_pfn + nr_vmemmap_pages, nr_pages - nr_vmemmap_pages, zone);
	if (ret) {
		if (nr_vmemmap_pages)
			remove_pfn_range_from_zone(zone, start_pfn, nr_vmemmap_pages);
		pr_debug("online_pages [mem %#010llx-%#010llx] failed\n",
			 (unsigned long long)PFN_PHYS(start_pfn),
			 (unsigned long long)PFN_PHYS(start_pfn + nr_pages) - 1);
		goto out_unlock;
	}
	/* Accounted once onlining succeeded, as the kernel does. */
	adjust_present_page_count(zone, (long)nr_vmemmap_pages);
out_unlock:
	spin_unlock(&mem_hotplug_lock);
	return ret;
}

/**
 * memory_block_offline - offline memory block @block_id
 * @block_id: the N of memoryN
 *
 * Context: machine booted; takes mem_hotplug_lock.
 * Return: 0; -EINVAL (block absent or offline); -EBUSY (a page is in use).
 */
int memory_block_offline(unsigned long block_id)
{
	const unsigned long start_pfn = block_id * section_nr_pages();
	const unsigned long nr_pages = section_nr_pages();
	struct mem_section *ms = block_section(block_id);
	unsigned long nr_vmemmap_pages;
	struct zone *zone;
	int ret = -EINVAL;

	spin_lock(&mem_hotplug_lock);
	if (!ms || !(ms->section_mem_map & SECTION_IS_ONLINE))
		goto out_unlock;
	nr_vmemmap_pages = block_vmemmap_pages(ms);
	zone = page_zone(pfn_to_page(start_pfn + nr_vmemmap_pages));
	/* Unaccount first, so an emptied zone leaves the zonelists in offline_pages. */
	adjust_present_page_count(zone, -(long)nr_vmemmap_pages);
	ret = __offline_pages(start_pfn + nr_vmemmap_pages, nr_pages - nr_vmemmap_pages);
	if (ret) {
		adjust_present_page_count(zone, (long)nr_vmemmap_pages);
		goto out_unlock;
	}
	if (nr_vmemmap_pages)
		remove_pfn_range_from_zone(zone, start_pfn, nr_vmemmap_pages);
out_unlock:
	spin_unlock(&mem_hotplug_lock);
	return ret;
}

/* x86's arch_add_memory(): node RAM, direct map, sections, end-of-memory variables. */
static int arch_add_memory(int nid, u64 start, u64 size)
{
	const unsigned long start_pfn = PHYS_PFN(start), end_pfn = PHYS_PFN(start + size);
	int ret;

	ret = physmem_node_grow(nid, start + size);
	if (ret)
		return ret;
	ret = init_memory_mapping(start, start + size, nid);
	if (ret)
		return ret;
	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn += section_nr_pages()) {
		ret = sparse_populate_section(pfn_to_section_nr(pfn), nid);
		if (ret)
			return ret;
	}
	/* update_end_of_memory_vars() */
	if (end_pfn > max_pfn) {
		max_pfn = end_pfn;
		max_low_pfn = end_pfn;
		direct_map_end = PFN_PHYS(end_pfn);
	}
	return 0;
}

/**
 * add_memory - add [@start, @start + @size) as RAM of node @nid, offline
 * @nid: an online node
 * @start: physical address, memory block aligned
 * @size: bytes, a multiple of the memory block size
 * @mhp_flags: MHP_NONE
 *
 * Claims "System RAM" in /proc/iomem, adds the range to memblock, grows the
 * node's RAM, maps it into the direct map and makes its sections present
 * with their memmap at the start of each block.  The blocks stay offline
 * until memory_block_online() (the kernel's default online type).
 *
 * Context: machine booted; takes mem_hotplug_lock.
 * Return: 0; -EINVAL (misaligned, empty, bad node or flags); -EEXIST (the
 * range overlaps RAM or a resource); -E2BIG (past the direct map window);
 * -ENOMEM; -EOPNOTSUPP (32-bit or FLATMEM machine).
 */
int add_memory(int nid, u64 start, u64 size, mhp_t mhp_flags)
{
	unsigned long block = memory_block_size_bytes();
	struct resource *res;
	int ret;

	if (!mhp_supported())
		return -EOPNOTSUPP;
	if (mhp_flags != MHP_NONE || nid < 0 || nid >= nr_online_nodes)
		return -EINVAL;
	if (!size || !IS_ALIGNED(start, block) || !IS_ALIGNED(size, block)) {
		pr_err("Block size [%#lx] unaligned hotplug range: start %#llx, size %#llx",
		       block, (unsigned long long)start, (unsigned long long)size);
		return -EINVAL;
	}
	if (start + size > direct_map_window_size() || start + size < start) {
		pr_warn("Hotplug memory [%#llx-%#llx] exceeds maximum addressable range [%#llx-%#llx]\n",
			(unsigned long long)start, (unsigned long long)(start + size),
			0ULL, (unsigned long long)direct_map_window_size());
		return -E2BIG;
	}
	if (start < node_ram[nid].base)
		return -EINVAL;

	res = __request_region(&iomem_resource, start, size, "System RAM", IORESOURCE_SYSTEM_RAM);
	if (!res) {
		pr_debug("Unable to reserve System RAM region: %016llx->%016llx\n",
			 (unsigned long long)start, (unsigned long long)(start + size));
		return -EEXIST;
	}

	spin_lock(&mem_hotplug_lock);
	ret = memblock_add_node(start, size, nid, MEMBLOCK_NONE);
	if (ret)
		goto out_release;
	ret = arch_add_memory(nid, start, size);
	if (ret)
		goto out_memblock_remove;
	spin_unlock(&mem_hotplug_lock);
	return 0;

out_memblock_remove:
	if (memblock_remove(start, size))
		pr_err("memory_hotplug: memblock lost [%#llx-%#llx]\n", (unsigned long long)start,
		       (unsigned long long)(start + size - 1));
out_release:
	spin_unlock(&mem_hotplug_lock);
	__release_region(&iomem_resource, start, size);
	return ret;
}
