/* SPDX-License-Identifier: MIT */
/*
 * mm.h - the core page API: pfn/page/address conversions, refcounts, zone
 * and node of a page, global page counts.
 *
 * Mirrors include/linux/mm.h, asm/page.h and include/asm-generic/memory_model.h.
 *
 * Memory model: both FLATMEM and SPARSEMEM_VMEMMAP reduce pfn_to_page() to
 * one pointer addition on `vmemmap` (FLATMEM: mem_map - ARCH_PFN_OFFSET,
 * which is 0 on x86).  What differs is how the memmap behind it is allocated:
 * FLATMEM allocates one array for the whole span at boot; SPARSEMEM
 * populates 2 MiB of memmap per present 128 MiB section, inside a reserved
 * virtual window, so holes and hot-added memory cost nothing until present.
 *
 * Direct map: __va(phys) = linmm_direct_map + phys for phys below
 * `direct_map_end` (all RAM on x86_64; the first 896 MiB, "lowmem", on
 * x86_32).  Highmem pages have no direct-map address: page_address() is
 * their kmap() address while they are kmapped, NULL otherwise.
 */
#ifndef LINMM_MM_H
#define LINMM_MM_H

#include <linmm/mmzone.h>
#include <linmm/page-flags.h>
#include <linmm/types.h>

extern struct page *vmemmap;		/* pfn_to_page(pfn) == vmemmap + pfn */
extern char *linmm_direct_map;		/* host address of physical 0 */
extern phys_addr_t direct_map_end;	/* first physical address not direct-mapped */
extern unsigned long max_pfn;		/* highest pfn of RAM + 1 */
extern unsigned long max_low_pfn;	/* highest direct-mapped pfn + 1 */
extern unsigned long min_low_pfn;
extern _Atomic long _totalram_pages;
extern unsigned long totalhigh_pages_count;

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return vmemmap + pfn;
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - vmemmap);
}

#define page_to_phys(page) PFN_PHYS(page_to_pfn(page))
#define phys_to_page(phys) pfn_to_page(PHYS_PFN(phys))

/* True if @pfn has an initialised struct page (present section, inside a node). */
bool pfn_valid(unsigned long pfn);

static inline void *__va(phys_addr_t phys)
{
	return linmm_direct_map + phys;
}

static inline phys_addr_t __pa(const void *addr)
{
	return (phys_addr_t)((const char *)addr - linmm_direct_map);
}

static inline bool virt_addr_valid(const void *addr)
{
	return (const char *)addr >= linmm_direct_map &&
	       __pa(addr) < direct_map_end && pfn_valid(PHYS_PFN(__pa(addr)));
}

#define virt_to_page(addr) pfn_to_page(PHYS_PFN(__pa(addr)))
#define virt_to_pfn(addr) PHYS_PFN(__pa(addr))

static inline void *lowmem_page_address(const struct page *page)
{
	return __va(page_to_phys(page));
}

static inline bool PageHighMem(const struct page *page)
{
	return page_to_phys(page) >= direct_map_end;
}

/* The pkmap address of a kmapped HighMem page, NULL if none (mm/highmem.c). */
void *page_address_highmem(const struct page *page);

/* Direct-map address; a HighMem page's kmap() address while it has one, else NULL. */
static inline void *page_address(const struct page *page)
{
	return PageHighMem(page) ? page_address_highmem(page) : lowmem_page_address(page);
}

/* Zone and node ids live in the top bits of page->flags. */
static inline int page_zonenum(const struct page *page)
{
	return (int)((page->flags >> ZONES_PGSHIFT) & ZONES_MASK);
}

static inline int page_to_nid(const struct page *page)
{
	return (int)((page->flags >> NODES_PGSHIFT) & NODES_MASK);
}

static inline struct zone *page_zone(const struct page *page)
{
	return &NODE_DATA(page_to_nid(page))->node_zones[page_zonenum(page)];
}

static inline pg_data_t *page_pgdat(const struct page *page)
{
	return NODE_DATA(page_to_nid(page));
}

static inline void set_page_links(struct page *page, int zone, int nid)
{
	page->flags &= ~((NODES_MASK << NODES_PGSHIFT) | (ZONES_MASK << ZONES_PGSHIFT));
	page->flags |= ((unsigned long)nid & NODES_MASK) << NODES_PGSHIFT;
	page->flags |= ((unsigned long)zone & ZONES_MASK) << ZONES_PGSHIFT;
}

/* Reference counts (include/linux/page_ref.h). */
static inline int page_ref_count(const struct page *page)
{
	return atomic_load_explicit(&((struct page *)page)->_refcount, memory_order_relaxed);
}

static inline void set_page_count(struct page *page, int v)
{
	atomic_store_explicit(&page->_refcount, v, memory_order_relaxed);
}

static inline void init_page_count(struct page *page)
{
	set_page_count(page, 1);
}

static inline void page_ref_inc(struct page *page)
{
	atomic_fetch_add_explicit(&page->_refcount, 1, memory_order_relaxed);
}

static inline void page_ref_add(struct page *page, int nr)
{
	atomic_fetch_add_explicit(&page->_refcount, nr, memory_order_relaxed);
}

static inline int page_ref_dec_and_test(struct page *page)
{
	return atomic_fetch_sub_explicit(&page->_refcount, 1, memory_order_acq_rel) == 1;
}

static inline int page_ref_sub_and_test(struct page *page, int nr)
{
	return atomic_fetch_sub_explicit(&page->_refcount, nr, memory_order_acq_rel) == nr;
}

static inline int page_mapcount(const struct page *page)
{
	return page_has_type(page) ? 0 : atomic_load(&((struct page *)page)->_mapcount) + 1;
}

static inline void page_mapcount_reset(struct page *page)
{
	atomic_store_explicit(&page->_mapcount, -1, memory_order_relaxed);
}

static inline unsigned long totalram_pages(void)
{
	return (unsigned long)atomic_load_explicit(&_totalram_pages, memory_order_relaxed);
}

static inline void totalram_pages_add(long count)
{
	atomic_fetch_add_explicit(&_totalram_pages, count, memory_order_relaxed);
}

/*
 * A page allocated from the reserves below the min watermark
 * (ALLOC_NO_WATERMARKS) is "pfmemalloc": bit 1 of lru.next says so, as in
 * the kernel, so that the caller keeps it for memory-freeing work.
 */
static inline bool page_is_pfmemalloc(const struct page *page)
{
	return (uintptr_t)page->lru.next & 2;
}

static inline void set_page_pfmemalloc(struct page *page)
{
	page->lru.next = (struct list_head *)2;
}

static inline void clear_page_pfmemalloc(struct page *page)
{
	page->lru.next = NULL;
}

/* si_mem_available - /proc/meminfo's MemAvailable estimate, in pages (fs/proc/meminfo.c). */
long si_mem_available(void);

/* get_page()/put_page() and friends are in gfp.h with the allocator. */

#endif /* LINMM_MM_H */
