/* SPDX-License-Identifier: MIT */
/*
 * page_state.h - what each page frame is used for: the frame map behind
 * pictures of physical memory (mm/page_state.c).
 *
 * Linmm's own introspection, in the spirit of the kernel's page-types tool
 * (tools/mm/page-types.c), which classifies frames from /proc/kpageflags:
 * linmm_frame_states() gives, per pfn, the /proc/kpageflags word
 * (stable_page_flags(), kernel-page-flags.h) and one state derived from it
 * and from the allocator's own lists, which kpageflags cannot see (the
 * order of a free block, per-CPU lists, vmalloc).
 *
 *   pfn    0x1000                0x1200                0x1400
 *          |FREE o9 ............|SLAB|SLAB|KERNEL|PCP|FREE o0|...
 *          |<- pageblock MOVABLE ->|<- pageblock UNMOVABLE ...
 */
#ifndef LINMM_PAGE_STATE_H
#define LINMM_PAGE_STATE_H

#include <linmm/types.h>

/*
 * enum linmm_frame_state - the one use of a frame, first match wins in
 * this order (a tail page of a compound page answers for its head):
 * @FRAME_HOLE:		no struct page (KPF_NOPAGE): a hole or absent section
 * @FRAME_FREE:		in a free buddy block (KPF_BUDDY); order = the block's
 * @FRAME_PCP:		free on a CPU's per-CPU list; order = the list's
 * @FRAME_RESERVED:	PG_reserved: memblock's (kernel image, memmap,
 *			firmware), never given to the buddy allocator
 * @FRAME_SLAB:		a slab of SLUB (KPF_SLAB)
 * @FRAME_KMALLOC:	a kmalloc() too large for the slab caches (PageLargeKmalloc)
 * @FRAME_PGTABLE:	a page table (KPF_PGTABLE)
 * @FRAME_ANON:		anonymous user memory (KPF_ANON)
 * @FRAME_FILE:		page cache: mapping set, not anonymous
 * @FRAME_VMALLOC:	mapped by vmalloc()
 * @FRAME_OFFLINE:	taken offline (KPF_OFFLINE: memory hotplug)
 * @FRAME_KERNEL:	any other allocation (alloc_pages() for the kernel;
 *			also the rest of a non-compound high-order block, whose
 *			refcount is 0 as in the kernel)
 */
enum linmm_frame_state {
	FRAME_HOLE,
	FRAME_FREE,
	FRAME_PCP,
	FRAME_RESERVED,
	FRAME_SLAB,
	FRAME_KMALLOC,
	FRAME_PGTABLE,
	FRAME_ANON,
	FRAME_FILE,
	FRAME_VMALLOC,
	FRAME_OFFLINE,
	FRAME_KERNEL,
	NR_FRAME_STATES
};

/* "hole", "free", "pcp", "reserved", "slab", ... by enum linmm_frame_state. */
extern const char *const linmm_frame_state_names[NR_FRAME_STATES];

#define FRAME_NO_ZONE 0xff	/* ->zone and ->nid of a hole */

/*
 * struct linmm_frame - one page frame
 * @kpageflags:	the /proc/kpageflags word (KPF_* bits)
 * @state:	enum linmm_frame_state
 * @order:	FREE and PCP: the free block's order; a compound page's
 *		order (head and tails); else 0
 * @migratetype: MIGRATE_* of the frame's pageblock (0 for a hole)
 * @zone:	zone index (enum zone_type), FRAME_NO_ZONE for a hole
 * @nid:	node, FRAME_NO_ZONE for a hole
 */
struct linmm_frame {
	u64 kpageflags;
	u8 state;
	u8 order;
	u8 migratetype;
	u8 zone;
	u8 nid;
};

/**
 * linmm_frame_states - describe page frames [@start_pfn, @start_pfn + @nr)
 * @start_pfn: first pfn, any alignment
 * @nr: frames wanted; @out has room for @nr
 * @out: filled in, one entry per pfn
 *
 * A snapshot with no lock held across frames, like reading /proc/kpageflags:
 * exact on a machine nobody is changing meanwhile (scripts, tests).  Costs
 * O(@nr) plus one walk of every per-CPU list of the zones in the range and
 * of every vmalloc area.
 *
 * Context: a machine is up; takes zone, pcp and vmalloc locks in turn, so
 * the caller holds none of them.
 * Return: 0, or -EINVAL if the range passes the end of physical memory
 * (max_pfn rounded up to a section).
 */
int linmm_frame_states(unsigned long start_pfn, unsigned long nr, struct linmm_frame *out);

#endif /* LINMM_PAGE_STATE_H */
