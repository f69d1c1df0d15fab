/* SPDX-License-Identifier: MIT */
/*
 * mm_types.h - struct page, the descriptor of one 4 KiB page frame.
 *
 * Mirrors include/linux/mm_types.h.  Exactly 64 bytes on 64-bit hosts
 * (a static assertion below), laid out as the kernel lays it out:
 *
 *   0   flags          PG_* bits low, zone/node ids high (page-flags.h)
 *   8   5-word union   {lru|buddy_list|pcp_list, mapping, index, private}
 *                      or {compound_head, ...} for tail pages
 *   48  _mapcount      or page_type for never-mapped pages (6.11+ encoding:
 *                      top byte is the type, e.g. 0xf0 buddy)
 *   52  _refcount      0 while free, 1 after allocation
 *   56  memcg_data
 *
 * A free buddy block's head page has page_type PGTY_buddy and its order in
 * private; a page on a per-CPU list has its order in private too.
 */
#ifndef LINMM_MM_TYPES_H
#define LINMM_MM_TYPES_H

#include <linmm/list.h>
#include <linmm/spinlock.h>
#include <linmm/types.h>

struct page {
	unsigned long flags;
	union {
		struct {
			union {
				struct list_head lru;
				struct list_head buddy_list;
				struct list_head pcp_list;
			};
			void *mapping;
			unsigned long index;
			unsigned long private;
		};
		struct {			/* tail pages of a compound page */
			unsigned long compound_head;	/* head address | 1 */
			unsigned char compound_order;	/* first tail only */
			unsigned char _tail_pad[7];
			_Atomic int _entire_mapcount;	/* first tail only */
			_Atomic int _pincount;		/* first tail only */
		};
	};
	union {
		_Atomic int _mapcount;
		unsigned int page_type;
	};
	_Atomic int _refcount;
	unsigned long memcg_data;
};

_Static_assert(sizeof(void *) != 8 || sizeof(struct page) == 64,
	       "struct page must be 64 bytes on 64-bit hosts");

/*
 * struct mm_struct - an address space's page tables (include/linux/mm_types.h).
 * Only what the page-table code needs so far; user address spaces extend it.
 * @pgd: host address of the top-level table (a page of simulated RAM; the
 *	entry format is pgtable_fmt's, see pgtable.h)
 * @page_table_lock: serialises populating tables (pgd/pud/pmd entries)
 * @pgtables_bytes: bytes of page-table pages below the pgd
 */
struct mm_struct {
	void *pgd;
	spinlock_t page_table_lock;
	_Atomic long pgtables_bytes;
};

#endif /* LINMM_MM_TYPES_H */
