// SPDX-License-Identifier: MIT
/*
 * rmap_file.c - the reverse map of page-cache pages: mapcount and Mapped,
 * and the walk from a file page to the PTEs that map it (the file half of
 * mm/rmap.c: folio_add_file_rmap_ptes, folio_mkclean, rmap_walk_file).
 *
 * A page-cache page mapped by PTEs has page->mapping == its address_space
 * and page->index == its file page; _mapcount counts the PTEs (-1: none)
 * and NR_FILE_MAPPED (meminfo Mapped, shmem included) the pages with at
 * least one.  The PTEs are found through mapping->i_mmap: every VMA whose
 * page range covers page->index maps it, if at all, at
 *
 *   addr = vm_start + ((page->index - vm_pgoff) << PAGE_SHIFT)
 *
 *   file      [0 1 2 3 4 5 6 7]         page->index 5
 *   VMA A       [1 2 3 4 5 6]  vm_pgoff 1 -> A.vm_start + 4 pages
 *   VMA B           [3 4]      does not cover 5: not visited
 *
 * (A private mapping's COW copies are anonymous pages; what it still maps
 * of the file is found the same way.)  Kept apart from mm/rmap.c while the
 * anonymous rmap is rebuilt there; folio_remove_rmap_pte() is shared.
 *
 * Locks: i_mmap_rwsem for reading around the walk, each mm's
 * page_table_lock per PTE (mkclean_one_pte); the page is locked.
 */
#include <linmm/fs.h>
#include <linmm/mmap.h>
#include <linmm/pagemap.h>
#include <linmm/vmstat.h>

#include "mm/internal.h"

void folio_add_file_rmap_pte(struct page *page)
{
	if (atomic_fetch_add(&page->_mapcount, 1) == -1)
		mod_node_page_state(page_pgdat(page), NR_FILE_MAPPED, 1);
}

int folio_mkclean(struct page *page)
{
	struct address_space *mapping = page_file_mapping(page);
	struct vm_area_struct *vma;
	pgoff_t index = page->index;
	int dirty = 0;

	VM_BUG_ON(!PageLocked(page));
	if (!mapping || page_mapcount(page) <= 0)
		return 0;
	down_read(&mapping->i_mmap_rwsem);
	vma_interval_tree_foreach(vma, &mapping->i_mmap, index, index) {
		unsigned long addr = vma->vm_start + ((index - vma->vm_pgoff) << PAGE_SHIFT);

		if (vma->vm_flags & VM_SHARED)
			dirty += mkclean_one_pte(vma, addr, page);
	}
	up_read(&mapping->i_mmap_rwsem);
	return dirty;
}
