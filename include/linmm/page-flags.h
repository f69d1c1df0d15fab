/* SPDX-License-Identifier: MIT */
/*
 * page-flags.h - PG_* page flags, page types, and zone/node ids in page->flags.
 *
 * Mirrors include/linux/page-flags.h (bit order of 6.1x) and the
 * page->flags layout of include/linux/page-flags-layout.h:
 *
 *   63    58 57  55 54                          0
 *   | NODE  | ZONE |  ...unused... | PG_* flags  |
 *
 * Page types use the 6.11+ encoding: the top byte of page_type holds the
 * type (PGTY_*); a page with no type has page_type == mapcount == -1.
 */
#ifndef LINMM_PAGE_FLAGS_H
#define LINMM_PAGE_FLAGS_H

#include <linmm/mm_types.h>

enum pageflags {
	PG_locked,
	PG_writeback,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_head,
	PG_waiters,
	PG_active,
	PG_workingset,
	PG_owner_priv_1,
	PG_owner_2,
	PG_arch_1,
	PG_reserved,
	PG_private,
	PG_private_2,
	PG_reclaim,
	PG_swapbacked,
	PG_unevictable,
	PG_dropbehind,
	PG_mlocked,
	PG_hwpoison,
	PG_young,
	PG_idle,
	__NR_PAGEFLAGS,
};

#define NODES_SHIFT 6
#define MAX_NUMNODES (1 << NODES_SHIFT)
#define ZONES_SHIFT 3
#define NODES_PGSHIFT (64 - NODES_SHIFT)
#define ZONES_PGSHIFT (NODES_PGSHIFT - ZONES_SHIFT)
#define NODES_MASK ((1UL << NODES_SHIFT) - 1)
#define ZONES_MASK ((1UL << ZONES_SHIFT) - 1)

static inline bool test_page_flag(const struct page *page, enum pageflags f)
{
	return page->flags & (1UL << f);
}

static inline void set_page_flag(struct page *page, enum pageflags f)
{
	page->flags |= 1UL << f;
}

static inline void clear_page_flag(struct page *page, enum pageflags f)
{
	page->flags &= ~(1UL << f);
}

#define PAGEFLAG(uname, lname)                                                       \
	static inline bool Page##uname(const struct page *p) { return test_page_flag(p, PG_##lname); } \
	static inline void SetPage##uname(struct page *p) { set_page_flag(p, PG_##lname); }           \
	static inline void ClearPage##uname(struct page *p) { clear_page_flag(p, PG_##lname); }

PAGEFLAG(Locked, locked)
PAGEFLAG(Reserved, reserved)
PAGEFLAG(Head, head)
PAGEFLAG(LRU, lru)
PAGEFLAG(Dirty, dirty)
PAGEFLAG(Referenced, referenced)
PAGEFLAG(Active, active)
PAGEFLAG(Private, private)
PAGEFLAG(Uptodate, uptodate)
PAGEFLAG(Writeback, writeback)
PAGEFLAG(SwapBacked, swapbacked)
PAGEFLAG(Unevictable, unevictable)
PAGEFLAG(Mlocked, mlocked)
PAGEFLAG(HWPoison, hwpoison)

/* Names in bit order, for dump_page() and /proc/kpageflags-style output. */
extern const char *const pageflag_names[__NR_PAGEFLAGS];

/* Page types (top byte of page->page_type). */
enum pagetype {
	PGTY_buddy = 0xf0,
	PGTY_offline = 0xf1,
	PGTY_table = 0xf2,
	PGTY_guard = 0xf3,
	PGTY_hugetlb = 0xf4,
	PGTY_slab = 0xf5,
	PGTY_zsmalloc = 0xf6,
	PGTY_unaccepted = 0xf7,
	PGTY_large_kmalloc = 0xf8,
	PGTY_mapcount_underflow = 0xff,
};

#define PAGE_TYPE_NONE 0xffffffffu /* == _mapcount -1 */

/*
 * A type is a page_type below PGTY_mapcount_underflow << 24 compared as a
 * signed int (the kernel's page_type_has_type()): 0xf0000000 is a type,
 * while mapcounts (_mapcount -1, 0, 1, ...) are not.
 */
static inline bool page_has_type(const struct page *page)
{
	return (int)page->page_type < (int)((unsigned int)PGTY_mapcount_underflow << 24);
}

#define PAGE_TYPE_OPS(uname, lname)                                                   \
	static inline bool Page##uname(const struct page *p)                          \
	{ return (p->page_type >> 24) == PGTY_##lname; }                             \
	static inline void __SetPage##uname(struct page *p)                           \
	{ p->page_type = (unsigned int)PGTY_##lname << 24; }                         \
	static inline void __ClearPage##uname(struct page *p)                         \
	{ p->page_type = PAGE_TYPE_NONE; }

PAGE_TYPE_OPS(Buddy, buddy)
PAGE_TYPE_OPS(Offline, offline)
PAGE_TYPE_OPS(Table, table)
PAGE_TYPE_OPS(Guard, guard)
PAGE_TYPE_OPS(Slab, slab)
PAGE_TYPE_OPS(LargeKmalloc, large_kmalloc)

/* Compound pages. */
static inline bool PageTail(const struct page *page)
{
	return page->compound_head & 1;
}

static inline struct page *compound_head(struct page *page)
{
	unsigned long head = page->compound_head;

	return (head & 1) ? (struct page *)(head - 1) : page;
}

static inline bool PageCompound(const struct page *page)
{
	return PageHead(page) || PageTail(page);
}

static inline unsigned int compound_order(struct page *page)
{
	return PageHead(page) ? page[1].compound_order : 0;
}

/*
 * Anonymous pages: the low bit of the (head) page's mapping is set and the
 * rest of it points at the anon_vma (PAGE_MAPPING_ANON, FOLIO_MAPPING_ANON
 * in 6.18's include/linux/page-flags.h).  A page-cache page's mapping is
 * its address_space, without the bit.
 */
#define PAGE_MAPPING_ANON 0x1UL

static inline bool PageAnon(const struct page *page)
{
	return (unsigned long)compound_head((struct page *)page)->mapping & PAGE_MAPPING_ANON;
}

/*
 * PG_anon_exclusive: an anonymous page that only one PTE maps and that may
 * be written without a copy (6.18 aliases it on PG_owner_2).  Set for a new
 * anonymous page and when a write fault reuses one; cleared when fork
 * shares it.  Cleared at free with the other PAGE_FLAGS_CHECK_AT_PREP bits.
 */
#define PG_anon_exclusive PG_owner_2
static inline bool PageAnonExclusive(const struct page *page)
{
	return test_page_flag(page, PG_anon_exclusive);
}
static inline void SetPageAnonExclusive(struct page *page) { set_page_flag(page, PG_anon_exclusive); }
static inline void ClearPageAnonExclusive(struct page *page)
{
	clear_page_flag(page, PG_anon_exclusive);
}

#endif /* LINMM_PAGE_FLAGS_H */
