// SPDX-License-Identifier: MIT
/*
 * filemap.c - the page cache: page locks, lookup and insertion, read and
 * write through the cache, waiting for a mapping's writeback, and the
 * page-cache invariant checker (mm/filemap.c).
 *
 * A read (filemap_read) works in batches of up to PAGEVEC_SIZE cached,
 * consecutive, uptodate pages, as the kernel's filemap_get_pages():
 *
 *   1. take the cached pages from the index on (stop at a hole, at a
 *      !uptodate page, or after a PG_readahead page);
 *   2. none cached: synchronous readahead (mm/readahead.c), look again;
 *      still none: read just this page (filemap_create_folio);
 *   3. the batch's last page has PG_readahead: asynchronous readahead;
 *   4. a !uptodate page: lock it and read it (filemap_update_page);
 *   5. copy out up to i_size; mark the batch's first page accessed unless
 *      the previous read ended in it (pos_same_folio).
 *
 * A write (generic_perform_write) takes each page with FGP_WRITEBEGIN
 * (locked, created if missing), lets the file system allocate its block
 * (a_ops->write_begin), fills a partial page from disk or with zeros first,
 * copies, sets PG_uptodate and PG_dirty, grows i_size, and calls
 * balance_dirty_pages_ratelimited() after each page.
 *
 * Page-cache counters: NR_FILE_PAGES per page in a cache (node and
 * mapping->nrpages), NR_SHMEM too for a swap-backed (shmem) page; dirty
 * and writeback counters are page-writeback.c's.
 *
 * File mappings (filemap_fault, filemap_map_pages, filemap_page_mkwrite:
 * the vm_ops of a mapped linmmfs file; mm/memory.c's do_fault calls them)
 * find their pages here; see the comments at each.
 *
 * Locks: PG_locked per page (atomic bit, spin-and-yield); the mapping's
 * xa_lock around slot and nrpages changes.  Order: page lock, xa_lock,
 * lru_lock.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <linmm/blkdev.h>
#include <linmm/highmem.h>
#include <linmm/memory.h>
#include <linmm/mmap.h>
#include <linmm/pagemap.h>
#include <linmm/printk.h>
#include <linmm/swap.h>
#include <linmm/vmstat.h>
#include <linmm/writeback.h>

#include "kernel/host.h"
#include "mm/internal.h"

#define PAGEVEC_SIZE 31
/* What the xarray's node allocation inherits from the caller (the kernel's GFP_RECLAIM_MASK). */
#define FILEMAP_GFP_RECLAIM_MASK (__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | __GFP_NOWARN)

/* ---- page lock ---- */

bool trylock_page(struct page *page)
{
	return !(__atomic_fetch_or(&page->flags, 1UL << PG_locked, __ATOMIC_ACQUIRE) &
		 (1UL << PG_locked));
}

void lock_page(struct page *page)
{
	while (!trylock_page(page))
		linmm_host_yield();
}

void unlock_page(struct page *page)
{
	VM_BUG_ON(!PageLocked(page));
	__atomic_fetch_and(&page->flags, ~(1UL << PG_locked), __ATOMIC_RELEASE);
}

/* ---- lookup and insertion ---- */

int add_to_page_cache_lru(struct page *page, struct address_space *mapping, pgoff_t index,
			  gfp_t gfp)
{
	int ret;

	VM_BUG_ON(!PageLocked(page));
	VM_BUG_ON(page->mapping);
	page_ref_inc(page);		/* the cache's reference */
	page->mapping = mapping;
	page->index = index;
	xa_lock(&mapping->i_pages);
	ret = __xa_insert(&mapping->i_pages, index, page, gfp & FILEMAP_GFP_RECLAIM_MASK);
	if (!ret) {
		mapping->nrpages++;
		__inc_node_page_state(page, NR_FILE_PAGES);
		if (PageSwapBacked(page))
			__inc_node_page_state(page, NR_SHMEM);	/* shmem_add_to_page_cache() */
	}
	xa_unlock(&mapping->i_pages);
	if (ret) {
		page->mapping = NULL;
		page_ref_dec_and_test(page);	/* the caller still holds one */
		return ret == -EBUSY ? -EEXIST : ret;
	}
	folio_add_lru(page);
	return 0;
}

void delete_from_page_cache(struct page *page)
{
	struct address_space *mapping = page_file_mapping(page);

	VM_BUG_ON(!PageLocked(page));
	VM_BUG_ON(PageDirty(page) || PageWriteback(page));
	xa_lock(&mapping->i_pages);
	__xa_erase(&mapping->i_pages, page->index);
	mapping->nrpages--;
	__dec_node_page_state(page, NR_FILE_PAGES);
	if (PageSwapBacked(page))
		__dec_node_page_state(page, NR_SHMEM);	/* filemap_unaccount_folio() */
	xa_unlock(&mapping->i_pages);
	/*
	 * The kernel leaves the LRU removal to the last put_page()
	 * (__page_cache_release); linmm does it here, which is the same
	 * moment unless another reference is held.
	 */
	lru_cache_del(page);
	page->mapping = NULL;
	put_page(page);			/* the cache's reference; freeing clears the flags */
}

/* The cached page at @index with a reference, or NULL. */
static struct page *filemap_get_entry(struct address_space *mapping, pgoff_t index)
{
	struct page *page;

	xa_lock(&mapping->i_pages);
	page = __xa_load(&mapping->i_pages, index);
	if (page)
		get_page(page);
	xa_unlock(&mapping->i_pages);
	return page;
}

struct page *__filemap_get_folio(struct address_space *mapping, pgoff_t index, int fgp_flags,
				 gfp_t gfp)
{
	struct page *page;
	int err;

repeat:
	page = filemap_get_entry(mapping, index);
	if (page) {
		if (fgp_flags & FGP_LOCK) {
			lock_page(page);
			if (page->mapping != mapping) {	/* truncated meanwhile */
				unlock_page(page);
				put_page(page);
				goto repeat;
			}
		}
		if (fgp_flags & FGP_ACCESSED)
			mark_page_accessed(page);
		else if (fgp_flags & FGP_WRITE)
			clear_page_flag(page, PG_idle);
		return page;
	}
	if (!(fgp_flags & FGP_CREAT))
		return NULL;
	page = alloc_page(gfp);
	if (!page)
		return NULL;
	set_page_flag(page, PG_locked);		/* __folio_set_locked(): nobody sees it yet */
	if (fgp_flags & FGP_ACCESSED)
		SetPageReferenced(page);
	err = add_to_page_cache_lru(page, mapping, index, gfp);
	if (err) {
		unlock_page(page);
		put_page(page);
		if (err == -EEXIST)
			goto repeat;
		return NULL;
	}
	if (!(fgp_flags & FGP_LOCK))
		unlock_page(page);
	return page;
}

struct page *filemap_get_folio(struct address_space *mapping, pgoff_t index)
{
	return __filemap_get_folio(mapping, index, 0, 0);
}

struct page *find_get_page(struct address_space *mapping, pgoff_t index)
{
	return __filemap_get_folio(mapping, index, 0, 0);
}

/* ---- read ---- */

/* filemap_read_folio(): read the locked page; it comes back unlocked.  0 or -EIO. */
static int filemap_read_folio(struct file *file, struct page *page)
{
	int err = page_file_mapping(page)->a_ops->read_folio(file, page);

	if (err)
		return err;
	return PageUptodate(page) ? 0 : -EIO;
}

/* Cached consecutive pages from @index to @max (filemap_get_read_batch()). */
static unsigned int filemap_get_read_batch(struct address_space *mapping, pgoff_t index,
					   pgoff_t max, struct page **batch)
{
	unsigned int nr = 0;

	for (; index <= max && nr < PAGEVEC_SIZE; index++) {
		struct page *page = filemap_get_entry(mapping, index);

		if (!page)
			break;
		batch[nr++] = page;
		if (!PageUptodate(page) || PageReadahead(page))
			break;
	}
	return nr;
}

static void put_batch(struct page **batch, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++)
		put_page(batch[i]);
}

/* filemap_update_page(): make a cached !uptodate page uptodate.  0, -EAGAIN (gone) or -errno. */
static int filemap_update_page(struct file *file, struct address_space *mapping,
			       struct page *page)
{
	lock_page(page);
	if (page->mapping != mapping) {
		unlock_page(page);
		return -EAGAIN;
	}
	if (PageUptodate(page)) {
		unlock_page(page);
		return 0;
	}
	return filemap_read_folio(file, page);
}

/* filemap_create_folio(): read the single page at @index into the cache. */
static int filemap_create_folio(struct file *file, struct address_space *mapping, pgoff_t index,
				struct page **batch)
{
	struct page *page = alloc_page(GFP_HIGHUSER_MOVABLE);
	int err;

	if (!page)
		return -ENOMEM;
	set_page_flag(page, PG_locked);
	err = add_to_page_cache_lru(page, mapping, index, GFP_KERNEL);
	if (err) {
		unlock_page(page);
		put_page(page);
		return err == -EEXIST ? -EAGAIN : err;
	}
	err = filemap_read_folio(file, page);
	if (err) {
		put_page(page);
		return err;
	}
	batch[0] = page;
	return 0;
}

/* filemap_get_pages(): a batch for [pos, pos + count).  Return: pages in it, or -errno. */
static int filemap_get_pages(struct file *file, loff_t pos, size_t count, struct page **batch)
{
	struct address_space *mapping = file->f_mapping;
	pgoff_t index = (pgoff_t)(pos >> PAGE_SHIFT);
	pgoff_t last_index = (pgoff_t)DIV_ROUND_UP((u64)pos + count, PAGE_SIZE);
	unsigned int nr;
	struct page *page;
	int err;

retry:
	nr = filemap_get_read_batch(mapping, index, last_index - 1, batch);
	if (!nr) {
		page_cache_sync_ra(file, index, last_index - index);
		nr = filemap_get_read_batch(mapping, index, last_index - 1, batch);
	}
	if (!nr) {
		err = filemap_create_folio(file, mapping, index, batch);
		if (err == -EAGAIN)
			goto retry;
		return err ? err : 1;
	}
	page = batch[nr - 1];
	if (PageReadahead(page))
		page_cache_async_ra(file, page, last_index - page->index);
	if (!PageUptodate(page)) {
		err = filemap_update_page(file, mapping, page);
		if (err) {
			put_batch(batch, nr);
			if (err == -EAGAIN)
				goto retry;
			return err;
		}
	}
	return (int)nr;
}

static void copy_page_to_buf(char *dst, struct page *page, size_t offset, size_t bytes)
{
	char *kaddr = kmap_local_page(page);

	memcpy(dst, kaddr + offset, bytes);
	kunmap_local(kaddr);
}

long filemap_read(struct file *file, loff_t *ppos, void *buf, size_t count)
{
	struct file_ra_state *ra = &file->f_ra;
	struct inode *inode = file->f_mapping->host;
	struct page *batch[PAGEVEC_SIZE];
	loff_t pos = *ppos, last_pos = ra->prev_pos;
	size_t copied = 0;
	int err = 0;

	if (!count)
		return 0;
	if (pos >= inode->i_sb->s_maxbytes)
		return 0;
	count = (size_t)min((loff_t)count, inode->i_sb->s_maxbytes - pos);
	do {
		loff_t isize, end;
		int nr = filemap_get_pages(file, pos, count - copied, batch);

		if (nr < 0) {
			err = nr;
			break;
		}
		isize = i_size_read(inode);
		if (pos >= isize) {
			put_batch(batch, (unsigned int)nr);
			break;
		}
		end = min(isize, pos + (loff_t)(count - copied));
		/* Several reads of one page mark it accessed once (pos_same_folio()). */
		if ((pos >> PAGE_SHIFT) != ((last_pos - 1) >> PAGE_SHIFT))
			mark_page_accessed(batch[0]);
		for (int i = 0; i < nr; i++) {
			struct page *page = batch[i];
			size_t offset = (size_t)(pos & (PAGE_SIZE - 1));
			size_t bytes;

			if (((loff_t)page->index << PAGE_SHIFT) >= end)
				break;
			bytes = (size_t)min((loff_t)(PAGE_SIZE - offset), end - pos);
			copy_page_to_buf((char *)buf + copied, page, offset, bytes);
			copied += bytes;
			pos += (loff_t)bytes;
			last_pos = pos;
		}
		put_batch(batch, (unsigned int)nr);
	} while (copied < count && pos < i_size_read(inode));
	ra->prev_pos = last_pos;
	*ppos = pos;
	return copied ? (long)copied : err;
}

/* ---- write ---- */

static void zero_page_range(struct page *page, size_t from, size_t to)
{
	char *kaddr = kmap_local_page(page);

	memset(kaddr + from, 0, to - from);
	kunmap_local(kaddr);
}

/*
 * write_begin's fill (block_write_begin()): a page not wholly overwritten
 * and not uptodate is read from disk if it holds file data, else zeroed.
 * @page is locked on entry and on return.
 */
static int prepare_partial_page(struct file *file, struct page *page, size_t offset,
				size_t bytes)
{
	struct address_space *mapping = page_file_mapping(page);
	int err;

	if (PageUptodate(page) || (offset == 0 && bytes == PAGE_SIZE))
		return 0;
	if (((loff_t)page->index << PAGE_SHIFT) >= i_size_read(mapping->host)) {
		zero_page_range(page, 0, PAGE_SIZE);
		SetPageUptodate(page);
		return 0;
	}
	err = filemap_read_folio(file, page);
	lock_page(page);
	return err;
}

long generic_perform_write(struct file *file, loff_t *ppos, const void *buf, size_t count)
{
	struct address_space *mapping = file->f_mapping;
	struct inode *inode = mapping->host;
	loff_t pos = *ppos;
	size_t written = 0;
	int err = 0;

	while (written < count) {
		size_t offset = (size_t)(pos & (PAGE_SIZE - 1));
		size_t bytes = min(PAGE_SIZE - offset, count - written);
		struct page *page;
		char *kaddr;

		page = __filemap_get_folio(mapping, (pgoff_t)(pos >> PAGE_SHIFT), FGP_WRITEBEGIN,
					   GFP_HIGHUSER_MOVABLE);
		if (!page) {
			err = -ENOMEM;
			break;
		}
		err = mapping->a_ops->write_begin ? mapping->a_ops->write_begin(mapping, page) : 0;
		if (!err)
			err = prepare_partial_page(file, page, offset, bytes);
		if (err) {
			unlock_page(page);
			put_page(page);
			break;
		}
		kaddr = kmap_local_page(page);
		memcpy(kaddr + offset, (const char *)buf + written, bytes);
		kunmap_local(kaddr);
		SetPageUptodate(page);
		set_page_dirty(page);
		pos += (loff_t)bytes;
		written += bytes;
		if (pos > i_size_read(inode))
			i_size_write(inode, pos);
		unlock_page(page);
		put_page(page);
		balance_dirty_pages_ratelimited(mapping);
	}
	*ppos = pos;
	return written ? (long)written : err;
}

/* ---- waiting for a mapping ---- */

void wait_on_page_writeback(struct page *page)
{
	struct address_space *mapping = page_file_mapping(page);

	if (PageWriteback(page) && mapping && mapping->host->i_sb->s_bdev)
		bdev_wait_page(mapping->host->i_sb->s_bdev, page);
}

/* filemap_check_errors(): report and clear a recorded writeback error. */
static int filemap_check_errors(struct address_space *mapping)
{
	int ret = 0;

	if (mapping->flags & (1UL << AS_ENOSPC))
		ret = -ENOSPC;
	if (mapping->flags & (1UL << AS_EIO))
		ret = -EIO;
	mapping->flags &= ~((1UL << AS_ENOSPC) | (1UL << AS_EIO));
	return ret;
}

int filemap_fdatawrite(struct address_space *mapping)
{
	struct writeback_control wbc = {
		.sync_mode = WB_SYNC_ALL,
		.nr_to_write = LONG_MAX,
		.range_start = 0,
		.range_end = MAX_LFS_FILESIZE,
	};

	return do_writepages(mapping, &wbc);
}

int filemap_fdatawait(struct address_space *mapping)
{
	unsigned long index = 0;
	struct page *page;

	while ((page = xa_find(&mapping->i_pages, &index, ~0UL, PAGECACHE_TAG_WRITEBACK))) {
		get_page(page);
		wait_on_page_writeback(page);
		put_page(page);
		index++;
		if (!index)
			break;
	}
	return filemap_check_errors(mapping);
}

int filemap_write_and_wait(struct address_space *mapping)
{
	int err = filemap_fdatawrite(mapping);
	int err2 = filemap_fdatawait(mapping);

	return err ? err : err2;
}

/* ---- file mappings: the fault handlers (filemap_fault, filemap_map_pages) ---- */

/*
 * mmap_miss: each file's f_ra counts how much its mappings miss the page
 * cache, to stop read-around that only wastes I/O and memory:
 *
 *   major fault, no MADV_SEQUENTIAL      +1 (at most MMAP_LOTSAMISS * 10);
 *   (do_sync_mmap_readahead)             above MMAP_LOTSAMISS no read-around:
 *                                        the fault reads its page alone
 *   ->fault found the page cached        -1 (do_async_mmap_readahead; not on
 *                                        a retry, nor for a locked page)
 *   fault-around (filemap_map_pages)     -1 per cached page in the window it
 *                                        could map, mapped already or not
 *                                        (not for PG_workingset refaults)
 *
 * A fault that reads (read-around, or the page alone) lets go of mmap_lock
 * for the I/O on its first attempt and returns VM_FAULT_RETRY; the retry
 * finds the page cached.  For a read fault the retry starts with
 * fault-around, which counts the window it maps: so a read miss whose
 * read-around filled the window nets 1 - 16, and read-around keeps going.
 * Write faults (COW and shared) do not fault around, so with random write
 * faults read-around stops after 100 misses, as on the host:
 *
 *   fault   1 .. 100   miss, read-around (ra_pages around the page)
 *   fault 101 ...      miss, one page      (until hits bring it back)
 *
 * linmm's I/O is synchronous and it keeps mmap_lock; the retry (which the
 * fault handlers run, arch/x86/fault.c and faultin_page_range) is what it
 * models of the kernel's lock drop.
 */
#define MMAP_LOTSAMISS	100
#define HPAGE_PMD_NR	512UL	/* pages per PMD, x86_64 */

/* maybe_unlock_mmap_for_io(): does this attempt let go of mmap_lock for I/O? */
static bool fault_drops_lock_for_io(const struct vm_fault *vmf)
{
	return (vmf->flags & FAULT_FLAG_ALLOW_RETRY) &&
	       !(vmf->flags & (FAULT_FLAG_TRIED | FAULT_FLAG_RETRY_NOWAIT));
}

/*
 * do_sync_mmap_readahead - a fault missed the page cache: read a window
 * (6.18's order: VM_HUGEPAGE first, then MADV_RANDOM, ra_pages, MADV_
 * SEQUENTIAL, mmap_miss, then exec or read-around).  True if the fault
 * let go of mmap_lock for it (the caller returns VM_FAULT_RETRY).
 */
static bool do_sync_mmap_readahead(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct file *file = vma->vm_file;
	struct file_ra_state *ra = &file->f_ra;
	vm_flags_t vm_flags = vma->vm_flags;
	unsigned int mmap_miss;

	/*
	 * MADV_HUGEPAGE: two PMD-sized, PMD-aligned units (one under
	 * MADV_RANDOM), the second asynchronous, even with ra_pages 0 and
	 * whatever mmap_miss says (CONFIG_TRANSPARENT_HUGEPAGE; the kernel
	 * reads PMD folios where the file system has large folios, order-0
	 * pages otherwise, as linmmfs).  ra->start is left as it was.
	 */
	if (vm_flags & VM_HUGEPAGE) {
		ra->size = (unsigned int)HPAGE_PMD_NR * (vm_flags & VM_RAND_READ ? 1 : 2);
		ra->async_size = (unsigned int)HPAGE_PMD_NR;
		page_cache_ra_order(file, ALIGN_DOWN(vmf->pgoff, HPAGE_PMD_NR));
		return fault_drops_lock_for_io(vmf);
	}
	/* MADV_RANDOM: none, except for exec mappings (random by nature, handled below). */
	if ((vm_flags & (VM_RAND_READ | VM_EXEC)) == VM_RAND_READ || !ra->ra_pages)
		return false;
	if (vm_flags & VM_SEQ_READ) {
		page_cache_sync_ra(file, vmf->pgoff, ra->ra_pages);
		return fault_drops_lock_for_io(vmf);
	}
	mmap_miss = ra->mmap_miss;
	if (mmap_miss < MMAP_LOTSAMISS * 10)
		ra->mmap_miss = ++mmap_miss;
	if (mmap_miss > MMAP_LOTSAMISS)
		return false;
	if (vm_flags & VM_EXEC) {
		/*
		 * Exec: from the page on, ra_pages clipped to the VMA, nothing
		 * async (exec_folio_order() is 0 on x86):
		 *   VMA      [vm_pgoff ............................ end)
		 *   window            [pgoff ... pgoff + ra_pages) or to end
		 */
		pgoff_t end = vma->vm_pgoff + vma_pages(vma);

		ra->start = max(vmf->pgoff, vma->vm_pgoff);
		ra->size = (unsigned int)(min(ra->start + ra->ra_pages, end) - ra->start);
		ra->async_size = 0;
	} else {
		/* Read-around: ra_pages centred on the page, the last quarter async. */
		ra->start = vmf->pgoff > ra->ra_pages / 2 ? vmf->pgoff - ra->ra_pages / 2 : 0;
		ra->size = ra->ra_pages;
		ra->async_size = ra->ra_pages / 4;
	}
	page_cache_ra_order(file, ra->start);
	return fault_drops_lock_for_io(vmf);
}

/*
 * do_async_mmap_readahead - a fault found @page cached: one hit less in
 * mmap_miss (a locked page is likely another fault's, which counts it);
 * PG_readahead pushes the window on.  True if that let go of mmap_lock.
 */
static bool do_async_mmap_readahead(struct vm_fault *vmf, struct page *page)
{
	struct file *file = vmf->vma->vm_file;
	struct file_ra_state *ra = &file->f_ra;

	if ((vmf->vma->vm_flags & VM_RAND_READ) || !ra->ra_pages)
		return false;
	if (!PageLocked(page) && ra->mmap_miss)
		ra->mmap_miss--;
	if (!PageReadahead(page))
		return false;
	page_cache_async_ra(file, page, ra->ra_pages);
	return fault_drops_lock_for_io(vmf);
}

/*
 * filemap_fault - vm_ops->fault of a file mapping: the page at vmf->pgoff,
 * locked and uptodate, in vmf->page.  A cached page is a minor fault (and
 * pushes readahead on if it carries PG_readahead); a missing one is a
 * major fault (PGMAJFAULT, VM_FAULT_MAJOR) read with do_sync_mmap_readahead
 * (read-around, sequential readahead, or the page alone).  An attempt that
 * read anything with FAULT_FLAG_ALLOW_RETRY returns VM_FAULT_RETRY (the
 * kernel dropped mmap_lock for the I/O) and the fault is run again with
 * FAULT_FLAG_TRIED.  Beyond EOF: VM_FAULT_SIGBUS.
 */
static vm_fault_t filemap_fault(struct vm_fault *vmf)
{
	struct file *file = vmf->vma->vm_file;
	struct address_space *mapping = file->f_mapping;
	struct inode *inode = mapping->host;
	pgoff_t index = vmf->pgoff;
	vm_fault_t ret = 0;
	bool dropped = false;	/* the kernel's fpin: mmap_lock let go, retry */
	struct page *page;
	int err;

	if ((u64)index >= DIV_ROUND_UP((u64)i_size_read(inode), PAGE_SIZE))
		return VM_FAULT_SIGBUS;
	page = filemap_get_entry(mapping, index);
	if (page) {
		if (!(vmf->flags & FAULT_FLAG_TRIED))
			dropped = do_async_mmap_readahead(vmf, page);
	} else {
		count_vm_event(PGMAJFAULT);
		ret = VM_FAULT_MAJOR;
		dropped = do_sync_mmap_readahead(vmf);
retry_find:
		page = __filemap_get_folio(mapping, index, FGP_CREAT, GFP_HIGHUSER_MOVABLE);
		if (!page)
			return ret | (dropped ? VM_FAULT_RETRY : VM_FAULT_OOM);
	}
	lock_page(page);
	if (page->mapping != mapping) {		/* truncated meanwhile */
		unlock_page(page);
		put_page(page);
		goto retry_find;
	}
	if (!PageUptodate(page)) {
		/* page_not_uptodate: read it now (unlocks it), letting go of mmap_lock if allowed. */
		dropped = dropped || fault_drops_lock_for_io(vmf);
		err = filemap_read_folio(file, page);
		put_page(page);
		if (dropped)
			return ret | VM_FAULT_RETRY;
		if (!err)
			goto retry_find;
		return VM_FAULT_SIGBUS;
	}
	if (dropped) {
		unlock_page(page);
		put_page(page);
		return ret | VM_FAULT_RETRY;
	}
	/* The size may have shrunk while the page was read. */
	if ((u64)index >= DIV_ROUND_UP((u64)i_size_read(inode), PAGE_SIZE)) {
		unlock_page(page);
		put_page(page);
		return VM_FAULT_SIGBUS;
	}
	vmf->page = page;
	return ret | VM_FAULT_LOCKED;
}

/*
 * filemap_map_pages - vm_ops->map_pages: map the cached pages of file
 * pages [@start_pgoff, @end_pgoff] (clipped to EOF) whose PTEs are empty
 * and which are uptodate, unlocked and not readahead marks, without I/O
 * and without counting faults: they were "faulted around".  Each such
 * page, mapped now or before, is a hit off the file's mmap_miss.
 *
 * Return: VM_FAULT_NOPAGE when the faulting address itself got mapped.
 */
unsigned int filemap_map_pages(struct vm_fault *vmf, pgoff_t start_pgoff, pgoff_t end_pgoff)
{
	struct vm_area_struct *vma = vmf->vma;
	struct file *file = vma->vm_file;
	struct address_space *mapping = file->f_mapping;
	loff_t isize = i_size_read(mapping->host);
	unsigned int mmap_miss = 0;
	vm_fault_t ret = 0;

	if (isize <= 0)
		return 0;
	end_pgoff = min(end_pgoff, (pgoff_t)((u64)(isize - 1) >> PAGE_SHIFT));
	spin_lock(vmf->ptl);	/* the window lies in vmf->pte's table (do_fault_around) */
	for (pgoff_t index = start_pgoff; index <= end_pgoff; index++) {
		unsigned long addr = vma->vm_start + ((index - vma->vm_pgoff) << PAGE_SHIFT);
		struct page *page = filemap_get_entry(mapping, index);
		pte_t *ptep;

		if (!page)
			continue;
		if (!PageUptodate(page) || PageReadahead(page) || !trylock_page(page)) {
			put_page(page);
			continue;
		}
		if (page->mapping != mapping || PageHWPoison(page)) {
			unlock_page(page);
			put_page(page);
			continue;
		}
		/* A recently evicted page coming back is no hit: thrashing should stop read-ahead. */
		if (!test_page_flag(page, PG_workingset))
			mmap_miss++;
		ptep = addr == vmf->address ? vmf->pte : pte_offset_map_vma(vma, addr);
		if (ptep && pte_none(ptep_get(ptep))) {
			set_pte_range(vmf, page, 1, addr);	/* keeps our reference */
			if (addr == vmf->address)
				ret = VM_FAULT_NOPAGE;
			unlock_page(page);
			continue;
		}
		unlock_page(page);
		put_page(page);
	}
	spin_unlock(vmf->ptl);
	file->f_ra.mmap_miss = mmap_miss >= file->f_ra.mmap_miss ? 0
								 : file->f_ra.mmap_miss - mmap_miss;
	return ret;
}

/*
 * filemap_page_mkwrite - vm_ops->page_mkwrite: a write through a shared
 * mapping is coming: the page gets its disk block (write_begin: ENOSPC is
 * SIGBUS, as vmf_fs_error() makes it) and is dirtied.  Returns it locked.
 */
static vm_fault_t filemap_page_mkwrite(struct vm_fault *vmf)
{
	struct page *page = vmf->page;
	struct address_space *mapping = vmf->vma->vm_file->f_mapping;

	lock_page(page);
	if (page->mapping != mapping) {
		unlock_page(page);
		return VM_FAULT_NOPAGE;
	}
	if (mapping->a_ops->write_begin && mapping->a_ops->write_begin(mapping, page)) {
		unlock_page(page);
		return VM_FAULT_SIGBUS;
	}
	set_page_dirty(page);
	wait_on_page_writeback(page);	/* folio_wait_stable() */
	return VM_FAULT_LOCKED;
}

const struct vm_operations_struct generic_file_vm_ops = {
	.fault = filemap_fault,
	.map_pages = filemap_map_pages,
	.page_mkwrite = filemap_page_mkwrite,
};

int generic_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	(void)file;
	vma->vm_ops = &generic_file_vm_ops;
	return 0;
}

/* ---- the invariant checker ---- */

int validate_mapping(struct address_space *mapping)
{
	unsigned long index, nr = 0;
	struct page *page;

	if (xa_validate(&mapping->i_pages))
		return -EINVAL;
	xa_for_each(&mapping->i_pages, index, page) {
		bool dirty_tag = xa_get_mark(&mapping->i_pages, index, PAGECACHE_TAG_DIRTY);
		bool wb_tag = xa_get_mark(&mapping->i_pages, index, PAGECACHE_TAG_WRITEBACK);

		nr++;
		if (page->mapping != mapping || page->index != index || page_ref_count(page) < 1 ||
		    !PageLRU(page) || dirty_tag != (PageDirty(page) && mapping_can_writeback(mapping)) ||
		    wb_tag != PageWriteback(page) || (PageDirty(page) && !PageUptodate(page))) {
			pr_err("page cache: inode %lu slot %lu: pfn %#lx mapping %p index %lu "
			       "refcount %d flags %#lx dirty tag %d writeback tag %d\n",
			       mapping->host->i_ino, index, page_to_pfn(page), page->mapping,
			       page->index, page_ref_count(page), page->flags, dirty_tag, wb_tag);
			return -EINVAL;
		}
	}
	if (nr != mapping->nrpages) {
		pr_err("page cache: inode %lu has %lu pages, nrpages %lu\n", mapping->host->i_ino,
		       nr, mapping->nrpages);
		return -EINVAL;
	}
	return 0;
}
