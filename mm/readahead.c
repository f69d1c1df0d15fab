// SPDX-License-Identifier: MIT
/*
 * readahead.c - on-demand readahead (mm/readahead.c).
 *
 * A file's window (struct file_ra_state) is [start, start + size); its
 * last async_size pages are the "lookahead", and the first of them gets
 * PG_readahead.  A read that hits that page reads the next window before
 * the reader needs it:
 *
 *   sequential 4 KiB reads from 0, ra_pages = 32 (128 KiB):
 *     read 0: miss   -> window [0, 4)    async 3, marker on page 1
 *     read 1: marker -> window [4, 12)   async 8, marker on page 4
 *     read 4: marker -> window [12, 28)  async 16, marker on page 12
 *     read 12: marker -> window [28, 60) async 32, then 32 per window
 *
 * Sizes are the kernel's: the first window is get_init_ra_size(request)
 * (the request rounded up to a power of two, times 4 while <= max/32,
 * times 2 while <= max/4, else max), each next one get_next_ra_size()
 * (times 4 below max/16, times 2 up to max/2, else max).  A miss that is
 * not sequential (the previous read ended elsewhere) looks at the cached
 * pages just before it (context readahead): if there are more than the
 * request, it reads contig + request pages with a lookahead of 1;
 * otherwise just the request.
 *
 * Pages are read under a block plug, so a window of consecutive blocks is
 * one request to ram0.  Page faults choose their own windows (mm/filemap.c
 * do_sync_mmap_readahead: read-around, exec, VM_HUGEPAGE) and read them
 * with page_cache_ra_order().  ra_pages is the disk's read_ahead_kb
 * (/sys/block/ram0/queue/read_ahead_kb) when the file was opened, as
 * file_ra_state_init() takes bdi->ra_pages.  Differences from the kernel: no large
 * folios (the ra order is always 0, as the kernel's page_cache_ra_order()
 * falls back to for a mapping without large folio support), no bdi
 * io_pages above ra_pages and no FMODE_RANDOM (fadvise).
 *
 * Locks: none of its own; pages are inserted locked and unlocked by
 * read_folio, as in the kernel.
 */
#include <linmm/blkdev.h>
#include <linmm/pagemap.h>

#include "mm/internal.h"

void (*linmm_readahead_hook)(struct file *file, pgoff_t start, unsigned long size,
			     unsigned long async_size);

void file_ra_state_init(struct file_ra_state *ra, struct address_space *mapping)
{
	struct super_block *sb = mapping && mapping->host ? mapping->host->i_sb : NULL;
	struct block_device *bdev = sb ? sb->s_bdev : NULL;

	/* inode_to_bdi(): the disk's read_ahead_kb; tmpfs and friends the bdi default. */
	ra->ra_pages = bdev ? (unsigned int)__atomic_load_n(&bdev->ra_pages, __ATOMIC_RELAXED)
			    : VM_READAHEAD_PAGES;
	ra->prev_pos = -1;
	ra->start = 0;
	ra->size = ra->async_size = 0;
	ra->mmap_miss = 0;
}

static unsigned long roundup_pow_of_two_ul(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << (64 - __builtin_clzl(n - 1));
}

static unsigned long get_init_ra_size(unsigned long size, unsigned long max)
{
	unsigned long newsize = roundup_pow_of_two_ul(size);

	if (newsize <= max / 32)
		newsize *= 4;
	else if (newsize <= max / 4)
		newsize *= 2;
	else
		newsize = max;
	return newsize;
}

static unsigned long get_next_ra_size(const struct file_ra_state *ra, unsigned long max)
{
	unsigned long cur = ra->size;

	if (cur < max / 16)
		return 4 * cur;
	if (cur <= max / 2)
		return 2 * cur;
	return max;
}

static bool page_cached(struct address_space *mapping, pgoff_t index)
{
	return xa_load(&mapping->i_pages, index) != NULL;
}

/* The first uncached index scanning back from @index, ULONG_MAX past 0 (page_cache_prev_miss). */
static pgoff_t page_cache_prev_miss(struct address_space *mapping, pgoff_t index,
				    unsigned long max_scan)
{
	while (max_scan--) {
		if (!page_cached(mapping, index))
			return index;
		if (!index)
			return ~0UL;
		index--;
	}
	return index;
}

/* The first uncached index from @index on, 0 if it wraps (page_cache_next_miss). */
static pgoff_t page_cache_next_miss(struct address_space *mapping, pgoff_t index,
				    unsigned long max_scan)
{
	while (max_scan--) {
		if (!page_cached(mapping, index))
			return index;
		index++;
		if (!index)
			return 0;
	}
	return index;
}

/*
 * page_cache_ra_unbounded - insert and read the missing pages of
 * [index, index + nr_to_read); the page @lookahead_size before the end
 * gets PG_readahead.
 */
static void page_cache_ra_unbounded(struct file *file, pgoff_t index, unsigned long nr_to_read,
				    unsigned long lookahead_size)
{
	struct address_space *mapping = file->f_mapping;
	struct block_device *bdev = mapping->host->i_sb->s_bdev;
	unsigned long mark = nr_to_read - lookahead_size;

	if (bdev)
		blk_start_plug(bdev);
	for (unsigned long i = 0; i < nr_to_read; i++) {
		struct page *page;

		if (page_cached(mapping, index + i))
			continue;
		page = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_NORETRY | __GFP_NOWARN);
		if (!page)
			break;
		set_page_flag(page, PG_locked);
		if (add_to_page_cache_lru(page, mapping, index + i, GFP_KERNEL)) {
			unlock_page(page);
			put_page(page);
			continue;
		}
		if (i == mark)
			SetPageReadahead(page);
		/* read_pages(): the file system reads it and unlocks it. */
		mapping->a_ops->read_folio(file, page);
		put_page(page);
	}
	if (bdev)
		blk_finish_plug(bdev);
}

/* do_page_cache_ra(): the window clipped to the end of the file. */
static void do_page_cache_ra(struct file *file, pgoff_t index, unsigned long nr_to_read,
			     unsigned long lookahead_size)
{
	loff_t isize = i_size_read(file->f_mapping->host);
	pgoff_t end_index;

	if (isize <= 0)
		return;
	end_index = (pgoff_t)((isize - 1) >> PAGE_SHIFT);
	if (index > end_index)
		return;
	if (nr_to_read > end_index - index)
		nr_to_read = end_index - index + 1;
	page_cache_ra_unbounded(file, index, nr_to_read, lookahead_size);
}

static void ra_submit(struct file *file)
{
	struct file_ra_state *ra = &file->f_ra;

	if (linmm_readahead_hook)
		linmm_readahead_hook(file, ra->start, ra->size, ra->async_size);
	do_page_cache_ra(file, ra->start, ra->size, ra->async_size);
}

void page_cache_ra_order(struct file *file, pgoff_t index)
{
	struct file_ra_state *ra = &file->f_ra;

	if (linmm_readahead_hook)
		linmm_readahead_hook(file, index, ra->size, ra->async_size);
	do_page_cache_ra(file, index, ra->size, ra->async_size);
}

/**
 * page_cache_sync_ra - readahead for a read that found page @index missing.
 * @file: the file (its f_ra is updated)
 * @index: the first missing page
 * @req_count: pages the read asks for from @index on
 *
 * Context: no page locks held.
 */
void page_cache_sync_ra(struct file *file, pgoff_t index, unsigned long req_count)
{
	struct file_ra_state *ra = &file->f_ra;
	unsigned long max_pages = ra->ra_pages, contig_count;
	pgoff_t prev_index, miss;

	if (!max_pages) {
		do_page_cache_ra(file, index, 1, 0);	/* force_page_cache_ra() of one page */
		return;
	}
	prev_index = (pgoff_t)((unsigned long long)ra->prev_pos >> PAGE_SHIFT);
	/* Start of file, a big request, or sequential: a fresh window. */
	if (!index || req_count > max_pages || index - prev_index <= 1UL) {
		ra->start = index;
		ra->size = (unsigned int)get_init_ra_size(req_count, max_pages);
		ra->async_size = ra->size > req_count ? ra->size - (unsigned int)req_count
						      : ra->size >> 1;
		ra_submit(file);
		return;
	}
	/* Context readahead: how much was read just before this? */
	miss = page_cache_prev_miss(file->f_mapping, index - 1, max_pages);
	contig_count = index - miss - 1;
	if (contig_count <= req_count) {
		do_page_cache_ra(file, index, req_count, 0);
		return;
	}
	if (miss == ~0UL)
		contig_count *= 2;	/* cached from the start of the file */
	ra->start = index;
	ra->size = (unsigned int)min(contig_count + req_count, max_pages);
	ra->async_size = 1;
	ra_submit(file);
}

/**
 * page_cache_async_ra - a read reached @page, which carries PG_readahead.
 * @file: the file
 * @page: the marked page (its mark is cleared)
 * @req_count: pages the read asks for from @page on
 *
 * Context: no page locks held.
 */
void page_cache_async_ra(struct file *file, struct page *page, unsigned long req_count)
{
	struct file_ra_state *ra = &file->f_ra;
	unsigned long max_pages = ra->ra_pages;
	pgoff_t index = page->index, start;

	if (!max_pages || PageWriteback(page))
		return;
	ClearPageReadahead(page);
	/* The expected marker: sequential, so ramp up and push the window on. */
	if (index == ra->start + ra->size - ra->async_size) {
		ra->start += ra->size;
		ra->size = (unsigned int)get_next_ra_size(ra, max_pages);
		ra->async_size = ra->size;
		ra_submit(file);
		return;
	}
	/* A marker without matching state (another reader's window): start past the cached run. */
	start = page_cache_next_miss(file->f_mapping, index + 1, max_pages);
	if (!start || start - index > max_pages)
		return;
	ra->start = start;
	ra->size = (unsigned int)(start - index + req_count);
	ra->size = (unsigned int)get_next_ra_size(ra, max_pages);
	ra->async_size = ra->size;
	ra_submit(file);
}
