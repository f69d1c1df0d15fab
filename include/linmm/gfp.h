/* SPDX-License-Identifier: MIT */
/*
 * gfp.h - GFP flags and the page allocator API (mm/page_alloc.c).
 *
 * Flag names and bit values are the kernel's (include/linux/gfp_types.h,
 * 6.4+: GFP_ATOMIC no longer carries the retired __GFP_ATOMIC bit).
 */
#ifndef LINMM_GFP_H
#define LINMM_GFP_H

#include <linmm/mm.h>
#include <linmm/types.h>

#define ___GFP_DMA 0x01u
#define ___GFP_HIGHMEM 0x02u
#define ___GFP_DMA32 0x04u
#define ___GFP_MOVABLE 0x08u
#define ___GFP_RECLAIMABLE 0x10u
#define ___GFP_HIGH 0x20u
#define ___GFP_IO 0x40u
#define ___GFP_FS 0x80u
#define ___GFP_ZERO 0x100u
#define ___GFP_DIRECT_RECLAIM 0x400u
#define ___GFP_KSWAPD_RECLAIM 0x800u
#define ___GFP_WRITE 0x1000u
#define ___GFP_NOWARN 0x2000u
#define ___GFP_RETRY_MAYFAIL 0x4000u
#define ___GFP_NOFAIL 0x8000u
#define ___GFP_NORETRY 0x10000u
#define ___GFP_MEMALLOC 0x20000u
#define ___GFP_COMP 0x40000u
#define ___GFP_NOMEMALLOC 0x80000u
#define ___GFP_HARDWALL 0x100000u
#define ___GFP_THISNODE 0x200000u
#define ___GFP_ACCOUNT 0x400000u
#define ___GFP_ZEROTAGS 0x800000u
/* Only with CONFIG_KASAN_HW_TAGS (arm64 MTE): 0 on the x86 models. */
#define ___GFP_SKIP_ZERO 0u
#define ___GFP_SKIP_KASAN 0u

#define __GFP_DMA ((gfp_t)___GFP_DMA)
#define __GFP_HIGHMEM ((gfp_t)___GFP_HIGHMEM)
#define __GFP_DMA32 ((gfp_t)___GFP_DMA32)
#define __GFP_MOVABLE ((gfp_t)___GFP_MOVABLE)
#define GFP_ZONEMASK (__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE)
#define __GFP_RECLAIMABLE ((gfp_t)___GFP_RECLAIMABLE)
#define __GFP_WRITE ((gfp_t)___GFP_WRITE)
#define __GFP_HARDWALL ((gfp_t)___GFP_HARDWALL)
#define __GFP_THISNODE ((gfp_t)___GFP_THISNODE)
#define __GFP_ACCOUNT ((gfp_t)___GFP_ACCOUNT)
#define __GFP_HIGH ((gfp_t)___GFP_HIGH)
#define __GFP_MEMALLOC ((gfp_t)___GFP_MEMALLOC)
#define __GFP_NOMEMALLOC ((gfp_t)___GFP_NOMEMALLOC)
#define __GFP_IO ((gfp_t)___GFP_IO)
#define __GFP_FS ((gfp_t)___GFP_FS)
#define __GFP_DIRECT_RECLAIM ((gfp_t)___GFP_DIRECT_RECLAIM)
#define __GFP_KSWAPD_RECLAIM ((gfp_t)___GFP_KSWAPD_RECLAIM)
#define __GFP_RECLAIM ((gfp_t)(___GFP_DIRECT_RECLAIM | ___GFP_KSWAPD_RECLAIM))
#define __GFP_RETRY_MAYFAIL ((gfp_t)___GFP_RETRY_MAYFAIL)
#define __GFP_NOFAIL ((gfp_t)___GFP_NOFAIL)
#define __GFP_NORETRY ((gfp_t)___GFP_NORETRY)
#define __GFP_NOWARN ((gfp_t)___GFP_NOWARN)
#define __GFP_COMP ((gfp_t)___GFP_COMP)
#define __GFP_ZERO ((gfp_t)___GFP_ZERO)
#define __GFP_ZEROTAGS ((gfp_t)___GFP_ZEROTAGS)
#define __GFP_SKIP_ZERO ((gfp_t)___GFP_SKIP_ZERO)
#define __GFP_SKIP_KASAN ((gfp_t)___GFP_SKIP_KASAN)
#define __GFP_BITS_SHIFT 24
#define __GFP_BITS_MASK ((gfp_t)((1u << __GFP_BITS_SHIFT) - 1))

#define GFP_ATOMIC (__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT (__GFP_KSWAPD_RECLAIM | __GFP_NOWARN)
#define GFP_NOIO (__GFP_RECLAIM)
#define GFP_NOFS (__GFP_RECLAIM | __GFP_IO)
#define GFP_USER (__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA __GFP_DMA
#define GFP_DMA32 __GFP_DMA32
#define GFP_HIGHUSER (GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | __GFP_MOVABLE | __GFP_SKIP_KASAN)
#define GFP_TRANSHUGE_LIGHT \
	((GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN) & ~__GFP_RECLAIM)
#define GFP_TRANSHUGE (GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM)

/*
 * gfp_zone - the highest zone an allocation with @flags may use
 * (the kernel's GFP_ZONE_TABLE; zones the arch does not configure collapse
 * to ZONE_NORMAL).  Return: a zone index, or -1 for an invalid combination.
 */
int gfp_zone(gfp_t flags);

/* Set when memory is too small to group pages by mobility (mm/page_alloc.c). */
extern int page_group_by_mobility_disabled;

/*
 * gfp_migratetype - the migrate type an allocation with @flags asks for:
 * UNMOVABLE, MOVABLE or RECLAIMABLE from the two mobility bits, or always
 * UNMOVABLE while page_group_by_mobility_disabled is set.
 */
static inline int gfp_migratetype(gfp_t flags)
{
	if (unlikely(page_group_by_mobility_disabled))
		return 0; /* MIGRATE_UNMOVABLE */
	return (int)((flags & (__GFP_MOVABLE | __GFP_RECLAIMABLE)) >> 3);
}

static inline bool gfpflags_allow_blocking(gfp_t flags)
{
	return flags & __GFP_DIRECT_RECLAIM;
}

/*
 * format_gfp_flags - render @flags as the kernel's %pGg does
 * ("GFP_KERNEL|__GFP_ZERO|__GFP_COMP").  Return: chars written (excl. NUL).
 */
int format_gfp_flags(gfp_t flags, char *buf, size_t size);
/* parse_gfp_flags - parse "GFP_KERNEL|__GFP_ZERO" or a hex mask. Return 0 or -EINVAL. */
int parse_gfp_flags(const char *s, gfp_t *out);

/* The page allocator. */
struct page *__alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid, const unsigned long *nodemask);
struct page *alloc_pages(gfp_t gfp, unsigned int order);
struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order);
/* Bulk order-0 allocation: fill the NULL slots; return populated slots up to the first NULL. */
unsigned long __alloc_pages_bulk(gfp_t gfp, int preferred_nid, const unsigned long *nodemask,
				 int nr_pages, struct page **page_array);
unsigned long alloc_pages_bulk(gfp_t gfp, int nr_pages, struct page **page_array);
unsigned long alloc_pages_bulk_node(gfp_t gfp, int nid, int nr_pages, struct page **page_array);
unsigned long alloc_pages_bulk_mempolicy(gfp_t gfp, int nr_pages, struct page **page_array);
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
unsigned long get_zeroed_page(gfp_t gfp);
#define alloc_page(gfp) alloc_pages(gfp, 0)
#define __get_free_page(gfp) __get_free_pages(gfp, 0)
void __free_pages(struct page *page, unsigned int order);
void free_pages(unsigned long addr, unsigned int order);
#define __free_page(page) __free_pages(page, 0)
#define free_page(addr) free_pages(addr, 0)

void get_page(struct page *page);
void put_page(struct page *page);
void split_page(struct page *page, unsigned int order);
void drain_all_pages(struct zone *zone);
void drain_local_pages(struct zone *zone);

/* Boot: hand a range of pages (refcount reset, PageReserved cleared) to the buddy allocator. */
void __free_pages_core(struct page *page, unsigned int order);

/* Free pages summed over all zones (NR_FREE_PAGES). */
unsigned long nr_free_pages(void);

/*
 * Contiguous ranges of page frames (mm/page_isolation.c): take every page
 * of [start, end) out of the free lists, or give such a range back.
 * alloc_contig_range() returns 0, -EINVAL (range not inside one zone),
 * -EBUSY (a page in the range is in use: it is not migrated away) or
 * -EINTR; on success every page has refcount 1.
 */
int __must_check alloc_contig_range(unsigned long start, unsigned long end, int migratetype,
				    gfp_t gfp_mask);
void free_contig_range(unsigned long pfn, unsigned long nr_pages);

#endif /* LINMM_GFP_H */
