/* SPDX-License-Identifier: MIT */
/*
 * pagemap.h - the page cache (include/linux/pagemap.h, mm/filemap.c,
 * mm/readahead.c, mm/truncate.c).
 *
 * A page-cache page has page->mapping == its address_space (no
 * PAGE_MAPPING_ANON bit), page->index == its offset in pages, one
 * reference held by the cache, PG_lru on its node's file LRU, and the
 * states:
 *
 *   !uptodate --read_folio--> uptodate --write--> uptodate+dirty (TAG_DIRTY)
 *       --writeback starts--> writeback (TAG_WRITEBACK, not dirty)
 *       --I/O completes--> uptodate, clean
 *
 * Pages are single (order 0): linmmfs has no large folios, so a "folio"
 * in a kernel name here is one page.
 *
 * Locks: PG_locked (lock_page()) serialises a page's I/O and its removal;
 * mapping->i_pages.xa_lock its slot and marks; inode->i_rwsem writers and
 * truncation.  Order: i_rwsem, page lock, xa_lock, lru_lock.
 */
#ifndef LINMM_PAGEMAP_H
#define LINMM_PAGEMAP_H

#include <linmm/fs.h>
#include <linmm/gfp.h>
#include <linmm/mm.h>

#define PAGECACHE_TAG_DIRTY	XA_MARK_0
#define PAGECACHE_TAG_WRITEBACK	XA_MARK_1
#define PAGECACHE_TAG_TOWRITE	XA_MARK_2

/* The default read_ahead_kb, 128 KiB, in pages (VM_READAHEAD_PAGES). */
#define VM_READAHEAD_PAGES ((unsigned int)((128 * SZ_1K) / PAGE_SIZE))

/* __filemap_get_folio() flags (FGP_*). */
#define FGP_ACCESSED	0x01
#define FGP_LOCK	0x02
#define FGP_CREAT	0x04
#define FGP_WRITE	0x08
#define FGP_WRITEBEGIN	(FGP_LOCK | FGP_WRITE | FGP_CREAT)

/* PG_readahead shares its bit with PG_reclaim, as in the kernel. */
static inline bool PageReadahead(const struct page *p) { return test_page_flag(p, PG_reclaim); }
static inline void SetPageReadahead(struct page *p) { set_page_flag(p, PG_reclaim); }
static inline void ClearPageReadahead(struct page *p) { clear_page_flag(p, PG_reclaim); }

/* The address_space of a page-cache page (folio_mapping() without swap cache). */
static inline struct address_space *page_file_mapping(const struct page *page)
{
	return (struct address_space *)page->mapping;
}

/* mapping_set_error - remember a writeback error for the next fsync(). */
static inline void mapping_set_error(struct address_space *mapping, int error)
{
	if (error && mapping)
		mapping->flags |= 1UL << (error == -ENOSPC ? AS_ENOSPC : AS_EIO);
}

/*
 * mapping_set_unevictable/mapping_clear_unevictable/mapping_unevictable -
 * AS_UNEVICTABLE: the mapping's pages may not be reclaimed (a SHM_LOCKed
 * segment, shmem_lock()); new pages join the unevictable list.  Atomic
 * bit operations, as the kernel's set_bit()/test_bit().
 */
/*
 * mapping_can_writeback - whether dirty pages of @mapping are accounted
 * and written back (the bdi's BDI_CAP_WRITEBACK): linmmfs files yes,
 * shmem/tmpfs no - their PG_dirty is a bare flag (noop_dirty_folio).
 */
static inline bool mapping_can_writeback(const struct address_space *mapping)
{
	return mapping->a_ops->writepage != NULL;
}

static inline void mapping_set_unevictable(struct address_space *mapping)
{
	__atomic_fetch_or(&mapping->flags, 1UL << AS_UNEVICTABLE, __ATOMIC_RELAXED);
}

static inline void mapping_clear_unevictable(struct address_space *mapping)
{
	__atomic_fetch_and(&mapping->flags, ~(1UL << AS_UNEVICTABLE), __ATOMIC_RELAXED);
}

static inline bool mapping_unevictable(const struct address_space *mapping)
{
	return mapping &&
	       (__atomic_load_n(&mapping->flags, __ATOMIC_RELAXED) & (1UL << AS_UNEVICTABLE));
}

/* Page lock (PG_locked, set and cleared atomically).  Context: may spin. */
void lock_page(struct page *page);
bool trylock_page(struct page *page);
void unlock_page(struct page *page);

/**
 * __filemap_get_folio - find, and with FGP_CREAT create, the page at @index.
 * @mapping: the page cache
 * @index: page offset in the file
 * @fgp_flags: FGP_LOCK (return it locked), FGP_CREAT (allocate and insert
 *	a !uptodate page if there is none), FGP_ACCESSED (mark_page_accessed)
 * @gfp: for a new page
 *
 * Context: no page locks held.
 * Return: the page with a reference for the caller, or NULL (not cached,
 * or no memory).
 */
struct page *__filemap_get_folio(struct address_space *mapping, pgoff_t index, int fgp_flags,
				 gfp_t gfp);
/* filemap_get_folio/find_get_page - the cached page at @index with a reference, or NULL. */
struct page *filemap_get_folio(struct address_space *mapping, pgoff_t index);
struct page *find_get_page(struct address_space *mapping, pgoff_t index);

/**
 * add_to_page_cache_lru - insert the locked new @page at @index and put it
 * on the inactive file LRU (filemap_add_folio()).
 * Context: @page locked, not in any cache.
 * Return: 0, -EEXIST (someone was faster) or -ENOMEM.
 */
int add_to_page_cache_lru(struct page *page, struct address_space *mapping, pgoff_t index,
			  gfp_t gfp);
/* delete_from_page_cache - remove the locked, clean @page and drop the cache's reference. */
void delete_from_page_cache(struct page *page);

/* filemap_read - read @count bytes at *@pos through the cache.  Return: bytes or -errno. */
long filemap_read(struct file *file, loff_t *pos, void *buf, size_t count);
/* generic_perform_write - copy @count bytes into cached pages at *@pos, dirtying them. */
long generic_perform_write(struct file *file, loff_t *pos, const void *buf, size_t count);

/* Dirty and writeback state (mm/page-writeback.c). */
bool set_page_dirty(struct page *page);		/* folio_mark_dirty(); true if newly dirty */
bool clear_page_dirty_for_io(struct page *page);	/* locked page; true if it was dirty */
void cancel_dirty_page(struct page *page);	/* truncation: clean without I/O */
void set_page_writeback(struct page *page);	/* __folio_start_writeback() */
void end_page_writeback(struct page *page);	/* folio_end_writeback() */
void wait_on_page_writeback(struct page *page);	/* completes its I/O if pending */

/* Readahead (mm/readahead.c). */
void file_ra_state_init(struct file_ra_state *ra, struct address_space *mapping);
/* A miss at @index of a read of @req_count pages: start a window (page_cache_sync_ra()). */
void page_cache_sync_ra(struct file *file, pgoff_t index, unsigned long req_count);
/*
 * page_cache_ra_order - read the window f_ra.size pages from @index, the
 * last f_ra.async_size of them asynchronously (the first gets
 * PG_readahead); clipped to EOF.  The fault path sets the window
 * (do_sync_mmap_readahead); linmm reads it in order-0 pages.
 */
void page_cache_ra_order(struct file *file, pgoff_t index);
/* @page carried PG_readahead: push the window on (page_cache_async_ra()). */
void page_cache_async_ra(struct file *file, struct page *page, unsigned long req_count);
/*
 * A readahead observer for tests and traces: called with each window read
 * (start, size, async_size), after the pages were queued.  NULL: none.
 */
extern void (*linmm_readahead_hook)(struct file *file, pgoff_t start, unsigned long size,
				    unsigned long async_size);

/* Truncation and invalidation (mm/truncate.c). */
/* truncate_inode_pages_range - remove the cached pages of bytes [lstart, lend] (lend inclusive). */
void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart, loff_t lend);
void truncate_inode_pages(struct address_space *mapping, loff_t lstart);
/* truncate_pagecache - after i_size changed to @newsize: zero the tail page, drop the rest. */
void truncate_pagecache(struct inode *inode, loff_t newsize);
/* invalidate_mapping_pages - drop clean, unlocked, unmapped pages of [start, end]. Return: pages. */
unsigned long invalidate_mapping_pages(struct address_space *mapping, pgoff_t start, pgoff_t end);

/* Writing back one mapping (mm/filemap.c, mm/page-writeback.c). */
int filemap_fdatawrite(struct address_space *mapping);
int filemap_fdatawait(struct address_space *mapping);
int filemap_write_and_wait(struct address_space *mapping);

/*
 * validate_mapping - every page in i_pages has mapping == @mapping and
 * index == its slot and a reference; nrpages matches; the DIRTY and
 * WRITEBACK marks match PG_dirty and PG_writeback; the xarray is valid.
 * Return: 0, or -EINVAL after a pr_err().
 */
int validate_mapping(struct address_space *mapping);

/* File-mapping faults (mm/filemap.c): the vm_ops of a linmmfs file mapping. */
struct vm_fault;
extern const struct vm_operations_struct generic_file_vm_ops;
/* filemap_map_pages - fault-around: map cached uptodate pages of [start, end] (no I/O). */
unsigned int filemap_map_pages(struct vm_fault *vmf, pgoff_t start_pgoff, pgoff_t end_pgoff);

#endif /* LINMM_PAGEMAP_H */
