// SPDX-License-Identifier: MIT
/*
 * page_state.c - the frame map: what every page frame is used for
 * (include/linmm/page_state.h).
 *
 * Linmm's own; the kernel's counterpart is user space, tools/mm/page-types.c
 * over /proc/kpageflags.  Each frame gets its kpageflags word
 * (fs/proc/page.c) and one state, found in three passes over the range:
 *
 *   1. frames in order: holes, free buddy blocks (KPF_BUDDY; the order is
 *      the block head's, carried over the block's other frames), then the
 *      owner the struct page names (reserved, slab, page table, anon, file...);
 *   2. every per-CPU list of the zones in the range: those frames are free
 *      too, but kpageflags shows them as plain refcount-0 pages;
 *   3. every vmalloc area: its pages are plain allocations to kpageflags.
 *
 *   pass 1   [FREE o3 .......][KERNEL][KERNEL][FREE o0][KERNEL]
 *   pass 2                    [PCP   ]                            (a pcp page)
 *   pass 3                                              [VMALLOC]
 *
 * Invariant: passes 2 and 3 only relabel frames pass 1 called KERNEL (a
 * pcp page has refcount 0 and no owner; a vmalloc page has no owner), so a
 * free buddy frame is FREE whatever the lists say.
 *
 * Locks: none across frames; free_buddy_head() under the zone's lock,
 * the pcp lists under each pcp->lock, the vmalloc areas under
 * vmap_area_lock, one at a time.
 */
#include <errno.h>

#include <linmm/kernel-page-flags.h>
#include <linmm/mm.h>
#include <linmm/page_state.h>

#include "kernel/machine.h"
#include "mm/internal.h"

const char *const linmm_frame_state_names[NR_FRAME_STATES] = {
	[FRAME_HOLE] = "hole",
	[FRAME_FREE] = "free",
	[FRAME_PCP] = "pcp",
	[FRAME_RESERVED] = "reserved",
	[FRAME_SLAB] = "slab",
	[FRAME_KMALLOC] = "kmalloc",
	[FRAME_PGTABLE] = "pagetable",
	[FRAME_ANON] = "anon",
	[FRAME_FILE] = "file",
	[FRAME_VMALLOC] = "vmalloc",
	[FRAME_OFFLINE] = "offline",
	[FRAME_KERNEL] = "kernel",
};

/* The range being described, for the list walks of passes 2 and 3. */
struct frame_walk {
	unsigned long start, end;
	struct linmm_frame *out;
};

/* The owner of an allocated (not free) frame, from its kpageflags and struct page. */
static enum linmm_frame_state frame_owner(struct page *page, u64 kpf)
{
	struct page *head = compound_head(page);

	if (kpf & (1ULL << KPF_RESERVED))
		return FRAME_RESERVED;
	if (kpf & (1ULL << KPF_SLAB))
		return FRAME_SLAB;
	if (PageLargeKmalloc(head))
		return FRAME_KMALLOC;
	if (kpf & (1ULL << KPF_PGTABLE))
		return FRAME_PGTABLE;
	if (kpf & (1ULL << KPF_ANON))
		return FRAME_ANON;
	if (head->mapping)
		return FRAME_FILE;
	if (kpf & (1ULL << KPF_OFFLINE))
		return FRAME_OFFLINE;
	return FRAME_KERNEL;
}

/* Pass 1 for one frame with a struct page; *@free_end/@free_order carry a free block. */
static void describe_frame(unsigned long pfn, struct linmm_frame *f, unsigned long *free_end,
			   u8 *free_order)
{
	struct page *page = pfn_to_page(pfn);

	f->kpageflags = stable_page_flags(page);
	f->zone = (u8)page_zonenum(page);
	f->nid = (u8)page_to_nid(page);
	f->migratetype = (u8)get_pfnblock_migratetype(page, pfn);
	if (pfn >= *free_end && (f->kpageflags & (1ULL << KPF_BUDDY))) {
		struct zone *zone = page_zone(page);
		struct page *head;

		spin_lock(&zone->lock);
		head = free_buddy_head(page);
		if (head) {
			*free_order = (u8)buddy_order(head);
			*free_end = page_to_pfn(head) + (1UL << *free_order);
		}
		spin_unlock(&zone->lock);
	}
	if (pfn < *free_end) {
		f->state = FRAME_FREE;
		f->order = *free_order;
		return;
	}
	f->state = (u8)frame_owner(page, f->kpageflags);
	f->order = (u8)compound_order(compound_head(page));
}

/* Pass 2: a block on a per-CPU list. */
static void mark_pcp_block(struct page *page, unsigned int order, void *arg)
{
	struct frame_walk *w = arg;
	unsigned long pfn = page_to_pfn(page);

	for (unsigned long i = 0; i < 1UL << order; i++, pfn++) {
		struct linmm_frame *f;

		if (pfn < w->start || pfn >= w->end)
			continue;
		f = &w->out[pfn - w->start];
		if (f->state != FRAME_KERNEL)
			continue;
		f->state = FRAME_PCP;
		f->order = (u8)order;
	}
}

/* Pass 3: a page of a vmalloc area. */
static void mark_vmalloc_page(struct page *page, void *arg)
{
	struct frame_walk *w = arg;
	unsigned long pfn = page_to_pfn(page);

	if (pfn >= w->start && pfn < w->end && w->out[pfn - w->start].state == FRAME_KERNEL)
		w->out[pfn - w->start].state = FRAME_VMALLOC;
}

int linmm_frame_states(unsigned long start_pfn, unsigned long nr, struct linmm_frame *out)
{
	struct frame_walk w = { .start = start_pfn, .end = start_pfn + nr, .out = out };
	unsigned long limit = max_pfn, free_end = 0;
	struct zone *zone;
	u8 free_order = 0;

	if (boot_params.model != LINMM_FLATMEM)
		limit = ALIGN(max_pfn, section_nr_pages());
	if (start_pfn > limit || nr > limit - start_pfn)
		return -EINVAL;

	for (unsigned long pfn = w.start; pfn < w.end; pfn++) {
		struct linmm_frame *f = &out[pfn - w.start];

		if (!pfn_valid(pfn)) {
			*f = (struct linmm_frame){ .kpageflags = 1ULL << KPF_NOPAGE,
						   .state = FRAME_HOLE, .zone = FRAME_NO_ZONE,
						   .nid = FRAME_NO_ZONE };
			continue;
		}
		describe_frame(pfn, f, &free_end, &free_order);
	}

	for_each_populated_zone(zone)
		if (zone->zone_start_pfn < w.end && zone_end_pfn(zone) > w.start)
			zone_pcp_for_each_block(zone, mark_pcp_block, &w);
	vmalloc_for_each_page(mark_vmalloc_page, &w);
	return 0;
}
