// SPDX-License-Identifier: MIT
/*
 * page.c - /proc/kpageflags: one u64 of KPF_* bits per page frame
 * (fs/proc/page.c).
 *
 * stable_page_flags() turns a struct page into the bits the kernel exports
 * (include/linmm/kernel-page-flags.h); linmm_kpageflags_read() is the
 * file's read(): words for [pfn, pfn + count), cut at the end of the file.
 * The frame map of mm/page_state.c is built on the same word.
 *
 * What the kernel shows and linmm has not got yet reads as 0: KSM,
 * THP (no large_rmappable folios yet), the zero pages, soft-dirty, uncached.
 * The PG_* bits come from the head page for a compound page (the folio's
 * flags), except PG_hwpoison, which is per page.
 *
 * Locks: none held across frames; is_free_buddy_page() takes the zone's
 * lock for one frame at a time, as the kernel's.
 */
#include <linmm/kernel-page-flags.h>
#include <linmm/mm.h>

#include "kernel/machine.h"
#include "mm/internal.h"

/* Bit @kbit of the page flags @k, moved to KPF bit @ubit. */
static inline u64 kpf_copy_bit(unsigned long k, int ubit, int kbit)
{
	return (u64)((k >> kbit) & 1) << ubit;
}

u64 stable_page_flags(const struct page *page)
{
	const struct page *head;
	unsigned long k;
	u64 u = 0;

	if (!page)
		return 1ULL << KPF_NOPAGE;
	head = compound_head((struct page *)page);
	k = head->flags;

	if (page_mapcount(page) > 0)
		u |= 1ULL << KPF_MMAP;
	/* (A slab's mapping word is its slab_cache: aligned, so never "anon".) */
	if (PageAnon(page))
		u |= 1ULL << KPF_ANON;

	if (page == head)
		u |= kpf_copy_bit(k, KPF_COMPOUND_HEAD, PG_head);
	else
		u |= 1ULL << KPF_COMPOUND_TAIL;
	if ((head->page_type >> 24) == PGTY_hugetlb)
		u |= 1ULL << KPF_HUGE;

	/* PageBuddy is on the head of a free block only; its other pages are found. */
	if (PageBuddy(page))
		u |= 1ULL << KPF_BUDDY;
	else if (page_ref_count(page) == 0 && is_free_buddy_page(page))
		u |= 1ULL << KPF_BUDDY;

	if (PageOffline(page))
		u |= 1ULL << KPF_OFFLINE;
	if (PageTable(page))
		u |= 1ULL << KPF_PGTABLE;
	if (PageSlab(head))
		u |= 1ULL << KPF_SLAB;

	u |= kpf_copy_bit(k, KPF_IDLE, PG_idle);
	u |= kpf_copy_bit(k, KPF_LOCKED, PG_locked);
	u |= kpf_copy_bit(k, KPF_DIRTY, PG_dirty);
	u |= kpf_copy_bit(k, KPF_UPTODATE, PG_uptodate);
	u |= kpf_copy_bit(k, KPF_WRITEBACK, PG_writeback);
	u |= kpf_copy_bit(k, KPF_LRU, PG_lru);
	u |= kpf_copy_bit(k, KPF_REFERENCED, PG_referenced);
	u |= kpf_copy_bit(k, KPF_ACTIVE, PG_active);
	u |= kpf_copy_bit(k, KPF_RECLAIM, PG_reclaim);
	/* PG_swapcache is PG_owner_priv_1 on a swap-backed page. */
	if ((k & (1UL << PG_swapbacked)) && (k & (1UL << PG_owner_priv_1)))
		u |= 1ULL << KPF_SWAPCACHE;
	u |= kpf_copy_bit(k, KPF_SWAPBACKED, PG_swapbacked);
	u |= kpf_copy_bit(k, KPF_UNEVICTABLE, PG_unevictable);
	u |= kpf_copy_bit(k, KPF_MLOCKED, PG_mlocked);
	u |= kpf_copy_bit(page->flags, KPF_HWPOISON, PG_hwpoison);
	u |= kpf_copy_bit(k, KPF_RESERVED, PG_reserved);
	u |= kpf_copy_bit(k, KPF_OWNER_2, PG_owner_2);
	u |= kpf_copy_bit(k, KPF_PRIVATE, PG_private);
	u |= kpf_copy_bit(k, KPF_PRIVATE_2, PG_private_2);
	u |= kpf_copy_bit(k, KPF_OWNER_PRIVATE, PG_owner_priv_1);
	u |= kpf_copy_bit(k, KPF_ARCH, PG_arch_1);
	return u;
}

/* The end of the file: max_pfn, rounded up to a section with SPARSEMEM (get_max_dump_pfn()). */
static unsigned long max_dump_pfn(void)
{
	if (boot_params.model == LINMM_FLATMEM)
		return max_pfn;
	return ALIGN(max_pfn, section_nr_pages());
}

unsigned long linmm_kpageflags_read(u64 *buf, unsigned long pfn, unsigned long count)
{
	unsigned long end = max_dump_pfn(), n;

	if (pfn >= end)
		return 0;
	if (count > end - pfn)
		count = end - pfn;
	for (n = 0; n < count; n++, pfn++)
		buf[n] = stable_page_flags(pfn_valid(pfn) ? pfn_to_page(pfn) : NULL);
	return count;
}
