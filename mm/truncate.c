// SPDX-License-Identifier: MIT
/*
 * truncate.c - removing pages from the page cache: truncation and
 * invalidation (mm/truncate.c).
 *
 * truncate_inode_pages_range(mapping, lstart, lend) drops whole pages of
 * [lstart, lend] and zeroes the covered part of a partial first page:
 *
 *   lstart = 5000                       lend = end of file
 *   | page 0 ...|page 1: keep 0..903, zero 904..4095| page 2 | page 3 ...
 *                                                   `---- removed -----'
 *
 * Each removed page is locked, waited for if under writeback, its dirty
 * state cancelled (the data is gone: no writeback), and deleted from the
 * cache.  invalidate_mapping_pages() is the gentle form used by
 * drop_caches: it skips pages that are dirty, under writeback, locked,
 * mapped or held by anyone but the cache (mapping_evict_folio()).
 *
 * Locks: takes each page's lock; the caller holds i_rwsem for truncation.
 */
#include <string.h>

#include <linmm/highmem.h>
#include <linmm/memory.h>
#include <linmm/pagemap.h>

#include "mm/internal.h"

static void truncate_partial_page(struct page *page, size_t from)
{
	char *kaddr = kmap_local_page(page);

	memset(kaddr + from, 0, PAGE_SIZE - from);
	kunmap_local(kaddr);
}

/* truncate_inode_folio(): take @page (locked, ours) out of the cache for good. */
static void truncate_inode_page(struct address_space *mapping, struct page *page)
{
	if (page->mapping != mapping)
		return;
	wait_on_page_writeback(page);
	cancel_dirty_page(page);
	ClearPageReadahead(page);
	delete_from_page_cache(page);
}

void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart, loff_t lend)
{
	pgoff_t start = (pgoff_t)DIV_ROUND_UP((u64)lstart, PAGE_SIZE);
	pgoff_t end = lend < 0 || (u64)lend >= (u64)MAX_LFS_FILESIZE ? ~0UL :
		      (pgoff_t)(((u64)lend + 1) >> PAGE_SHIFT) - 1;
	unsigned long index;
	struct page *page;

	if (lstart & (PAGE_SIZE - 1)) {
		page = __filemap_get_folio(mapping, (pgoff_t)(lstart >> PAGE_SHIFT), FGP_LOCK, 0);
		if (page) {
			wait_on_page_writeback(page);
			truncate_partial_page(page, (size_t)(lstart & (PAGE_SIZE - 1)));
			unlock_page(page);
			put_page(page);
		}
	}
	if (end < start || ((u64)lend + 1 <= (u64)lstart && lend >= 0))
		return;
	index = start;
	while ((page = xa_find(&mapping->i_pages, &index, end, XA_PRESENT))) {
		get_page(page);
		lock_page(page);
		truncate_inode_page(mapping, page);
		unlock_page(page);
		put_page(page);
		if (!++index)
			break;
	}
}

void truncate_inode_pages(struct address_space *mapping, loff_t lstart)
{
	truncate_inode_pages_range(mapping, lstart, (loff_t)-1);
}

void truncate_pagecache(struct inode *inode, loff_t newsize)
{
	struct address_space *mapping = inode->i_mapping;
	loff_t holebegin = (loff_t)PAGE_ALIGN((u64)newsize);

	/*
	 * Unmap the whole pages beyond the new size from every mapper (their
	 * private copies too: they lie beyond EOF now), drop them, and unmap
	 * again what a racing fault mapped meanwhile.  The page holding the
	 * new EOF stays mapped, its tail zeroed.
	 */
	unmap_mapping_range(mapping, holebegin, 0, /* even_cows = */ 1);
	truncate_inode_pages(mapping, newsize);
	unmap_mapping_range(mapping, holebegin, 0, /* even_cows = */ 1);
}

/* mapping_evict_folio(): drop @page if nobody but the cache (and us) uses it. */
static bool mapping_evict_page(struct address_space *mapping, struct page *page)
{
	if (PageDirty(page) || PageWriteback(page) || page_mapcount(page))
		return false;
	if (page_ref_count(page) > 2)	/* the cache's and our lookup's */
		return false;
	delete_from_page_cache(page);
	(void)mapping;
	return true;
}

unsigned long invalidate_mapping_pages(struct address_space *mapping, pgoff_t start, pgoff_t end)
{
	unsigned long index = start, count = 0;
	struct page *page;

	while ((page = xa_find(&mapping->i_pages, &index, end, XA_PRESENT))) {
		get_page(page);
		if (trylock_page(page)) {
			if (page->mapping == mapping && mapping_evict_page(mapping, page))
				count++;
			unlock_page(page);
		}
		put_page(page);
		if (!++index)
			break;
	}
	return count;
}
