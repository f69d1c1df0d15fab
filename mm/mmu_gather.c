// SPDX-License-Identifier: MIT
/*
 * mmu_gather.c - batching the TLB flush of an unmap before pages and page
 * tables are freed (mm/mmu_gather.c, include/asm-generic/tlb.h).
 *
 * Unmapping clears PTEs first and frees afterwards: until every CPU has
 * dropped its translations, another CPU may still reach a page through a
 * stale TLB entry, so the page must not be reused yet.  The gather
 * remembers the range of cleared PTEs and the pages and table pages to
 * release; tlb_flush_mmu() flushes the range (flush_tlb_mm_range, with
 * freed_tables when tables go) and then puts the pages and frees the
 * tables.  A full batch is flushed early.
 *
 *   zap: clear PTE, tlb_remove_page()  ...  tlb_finish_mmu(): flush TLBs
 *                                                            put_page() each
 *
 * Locks: none of its own; the gather belongs to one caller.  Pages are put
 * outside page_table_lock when the batch is flushed from tlb_finish_mmu().
 */
#include <linmm/gfp.h>
#include <linmm/tlbflush.h>

#include "mm/internal.h"

static void __tlb_reset_range(struct mmu_gather *tlb)
{
	tlb->start = TLB_FLUSH_ALL;
	tlb->end = 0;
	tlb->freed_tables = false;
}

void tlb_gather_mmu(struct mmu_gather *tlb, struct mm_struct *mm)
{
	tlb->mm = mm;
	tlb->fullmm = false;
	tlb->nr_pages = tlb->nr_tables = 0;
	__tlb_reset_range(tlb);
}

void tlb_gather_mmu_fullmm(struct mmu_gather *tlb, struct mm_struct *mm)
{
	tlb_gather_mmu(tlb, mm);
	tlb->fullmm = true;
}

void tlb_remove_tlb_entry(struct mmu_gather *tlb, unsigned long addr)
{
	tlb->start = min(tlb->start, addr);
	tlb->end = max(tlb->end, addr + PAGE_SIZE);
}

/* Flush the gathered range, then release what waited for it. */
void tlb_flush_mmu(struct mmu_gather *tlb)
{
	if (tlb->end > tlb->start || tlb->freed_tables) {
		if (tlb->fullmm || tlb->freed_tables)
			flush_tlb_mm_range(tlb->mm, 0, TLB_FLUSH_ALL, PAGE_SHIFT, tlb->freed_tables);
		else
			flush_tlb_mm_range(tlb->mm, tlb->start, tlb->end, PAGE_SHIFT, false);
	}
	__tlb_reset_range(tlb);
	for (unsigned int i = 0; i < tlb->nr_pages; i++)
		put_page(tlb->pages[i]);
	for (unsigned int i = 0; i < tlb->nr_tables; i++)
		pgtable_page_free(tlb->tables[i]);
	tlb->nr_pages = tlb->nr_tables = 0;
}

/*
 * The page's reference is dropped after the flush.  A full batch is
 * flushed on the spot (the kernel drops the PTE lock for it; here freeing
 * pages under page_table_lock is safe: the page allocator never takes it).
 */
void tlb_remove_page(struct mmu_gather *tlb, struct page *page)
{
	if (tlb->nr_pages == MMU_GATHER_BATCH)
		tlb_flush_mmu(tlb);
	tlb->pages[tlb->nr_pages++] = page;
}

void tlb_remove_table(struct mmu_gather *tlb, void *table)
{
	if (tlb->nr_tables == MMU_GATHER_BATCH)
		tlb_flush_mmu(tlb);
	tlb->tables[tlb->nr_tables++] = table;
	tlb->freed_tables = true;
}

void tlb_finish_mmu(struct mmu_gather *tlb)
{
	tlb_flush_mmu(tlb);
}
