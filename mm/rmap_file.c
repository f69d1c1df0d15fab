// SPDX-License-Identifier: MIT
/*
 * rmap_file.c - the reverse map of page-cache pages: mapcount and Mapped,
 * and the walk from a file page to the PTEs that map it (the file half of
 * mm/rmap.c: folio_add_file_rmap_ptes, folio_mkclean, rmap_walk_file).
 *
 * A page-cache page mapped by PTEs has page->mapping == its address_space
 * and page->index == its file page; _mapcount counts the PTEs (-1: none)
 * and NR_FILE_MAPPED (meminfo Mapped, shmem included) the pages with at
 * least one.  Each PTE holds a reference, the cache one more.  The PTEs
 * are found through mapping->i_mmap: every VMA whose page range covers
 * page->index maps it, if at all, at
 *
 *   addr = vm_start + ((page->index - vm_pgoff) << PAGE_SHIFT)
 *
 *   file      [0 1 2 3 4 5 6 7]         page->index 5
 *   VMA A       [1 2 3 4 5 6]  vm_pgoff 1 -> A.vm_start + 4 pages
 *   VMA B           [3 4]      does not cover 5: not visited
 *
 * Shared and private VMAs alike: a private VMA maps the file's page until
 * it writes, and then its COW copy, an anonymous page of its own that the
 * anon_vma walk finds (the visit here sees a PTE of another pfn and
 * skips it).  The walk's users are in mm/rmap.c (folio_referenced,
 * try_to_unmap) and mm/migrate.c (migrate_file_page).
 *
 * Invariant (validate_file_page): a page-cache page mapped in a file VMA
 * is that file's, is in its cache at page->index, its index gives the
 * address, and the walk finds exactly page_mapcount() PTEs.
 *
 * Locks: the page lock (the walk's caller: truncation cannot take the
 * page from its mapping meanwhile), then i_mmap_rwsem for reading around
 * the walk, then each mm's page_table_lock and the PTE lock per PTE.
 */
#include <linmm/fs.h>
#include <linmm/mmap.h>
#include <linmm/pagemap.h>
#include <linmm/printk.h>
#include <linmm/rmap.h>
#include <linmm/vmstat.h>

#include "mm/internal.h"

void folio_add_file_rmap_pte(struct page *page)
{
	if (atomic_fetch_add(&page->_mapcount, 1) == -1)
		mod_node_page_state(page_pgdat(page), NR_FILE_MAPPED, 1);
}

/*
 * page_mkclean_one(): one PTE of the page write-protected and cleaned,
 * counted if dirty; cleared and flushed before the clean entry goes in
 * (page_vma_mkclean_one).  Context: its PTE lock held.
 */
static bool page_mkclean_one(struct page *page, struct vm_area_struct *vma, unsigned long addr,
			     pte_t *ptep, void *arg)
{
	pte_t pte = ptep_get(ptep);
	int *dirty = arg;

	(void)page;
	lockdep_assert_held(ptep_lockptr(ptep));
	if (!pte_write(pte) && !pte_dirty(pte))
		return true;
	*dirty += pte_dirty(pte);
	pte = ptep_clear_flush(vma, addr, ptep);
	set_pte_at(vma->vm_mm, addr, ptep, pte_mkclean(pte_wrprotect(pte)));
	return true;
}

/* invalid_mkclean_vma(): a private mapping never writes to the file; its PTEs stay. */
static bool invalid_mkclean_vma(struct vm_area_struct *vma, void *arg)
{
	(void)arg;
	return !(vma->vm_flags & VM_SHARED);
}

int folio_mkclean(struct page *page)
{
	int dirty = 0;
	struct rmap_walk_control rwc = {
		.arg = &dirty,
		.rmap_one = page_mkclean_one,
		.invalid_vma = invalid_mkclean_vma,
	};

	VM_BUG_ON(!PageLocked(page));
	if (!page_file_mapping(page) || page_mapcount(page) <= 0)
		return 0;
	rmap_walk_file(page, &rwc, /* locked = */ false);
	return dirty;
}

void rmap_walk_file(struct page *page, struct rmap_walk_control *rwc, bool locked)
{
	struct address_space *mapping = page_file_mapping(page);
	pgoff_t index = page->index;
	struct vm_area_struct *vma;

	VM_BUG_ON(!PageLocked(page));
	if (!mapping)
		return;
	if (!locked)
		down_read(&mapping->i_mmap_rwsem);
	vma_interval_tree_foreach(vma, &mapping->i_mmap, index, index) {
		if (!rmap_walk_vma(page, vma, rwc))
			break;
	}
	if (!locked)
		up_read(&mapping->i_mmap_rwsem);
}

int validate_file_page(struct vm_area_struct *vma, unsigned long addr, struct page *page)
{
	struct address_space *mapping = vma->vm_file->f_mapping;
	bool found;
	int ptes;

	if (PageAnon(page) || !page->mapping)
		return 0;	/* a COW copy (validate_anon_vmas), or no page-cache page */
	if (page->mapping != mapping || xa_load(&mapping->i_pages, page->index) != page) {
		pr_err("validate_file_rmap: page pfn %#lx at %lx: mapping %p index %lu, "
		       "not the vma's file page (mapping %p)\n", page_to_pfn(page), addr,
		       (void *)page->mapping, page->index, (void *)mapping);
		return -EINVAL;
	}
	if (vma_address(page, vma) != addr) {
		pr_err("validate_file_rmap: page pfn %#lx at %lx: index %lu gives %lx\n",
		       page_to_pfn(page), addr, page->index, vma_address(page, vma));
		return -EINVAL;
	}
	if (!trylock_page(page))
		return 0;	/* someone works on it: its walk would wait */
	ptes = rmap_count_ptes(page, vma, addr, &found);
	unlock_page(page);
	if (!found || ptes != page_mapcount(page)) {
		pr_err("validate_file_rmap: page pfn %#lx at %lx: i_mmap walk finds %d ptes%s, "
		       "mapcount %d\n", page_to_pfn(page), addr, ptes,
		       found ? "" : " (not this one)", page_mapcount(page));
		return -EINVAL;
	}
	return 0;
}
