// SPDX-License-Identifier: MIT
/*
 * page-writeback.c - dirty page limits, dirty and writeback page state,
 * writing a mapping's dirty pages, and writer throttling
 * (mm/page-writeback.c).
 *
 * Limits: the dirty knobs and the global thresholds derived from them,
 * which /proc/vmstat prints as nr_dirty_threshold and
 * nr_dirty_background_threshold:
 *
 *   dirtyable = free - min(free, totalreserve) + active_file + inactive_file
 *               [- highmem part, 32-bit] + 1
 *   thresh    = vm_dirty_bytes ? pages(vm_dirty_bytes)
 *                              : dirtyable * (vm_dirty_ratio * PAGE_SIZE / 100) / PAGE_SIZE
 *   bg_thresh likewise from the background knobs, and at most thresh / 2
 *
 * The ratios are first scaled to parts per PAGE_SIZE (20% is 819/4096), as
 * the kernel does, so the thresholds match its rounding.
 *
 * Page state and its counters (folio_account_dirtied() and friends):
 *
 *   set_page_dirty          PG_dirty, TAG_DIRTY, NR_FILE_DIRTY+1, NR_DIRTIED+1,
 *                           NR_ZONE_WRITE_PENDING+1, inode on b_dirty
 *   clear_page_dirty_for_io PG_dirty off, NR_FILE_DIRTY-1, WRITE_PENDING-1
 *   set_page_writeback      PG_writeback, TAG_WRITEBACK (TAG_DIRTY and
 *                           TAG_TOWRITE off), NR_WRITEBACK+1, WRITE_PENDING+1
 *   end_page_writeback      PG_writeback off, TAG_WRITEBACK off,
 *                           NR_WRITEBACK-1, WRITE_PENDING-1, NR_WRITTEN+1
 *   cancel_dirty_page       (truncation) as clear_page_dirty_for_io, tag off
 *
 * Throttling (balance_dirty_pages): every 32 pages a writer dirties (8 while
 * the limit is exceeded: the kernel's initial nr_dirtied_pause and its
 * dirty_exceeded value) it checks dirty + writeback against the limits:
 * above the background threshold it starts background writeback (run at
 * once by the flusher, fs/fs-writeback.c); above the hard threshold it
 * sleeps until the disk has completed enough writes, which advances the
 * simulated clock.  Between the "freerun" midpoint and the hard threshold
 * the kernel also pauses in proportion (dirty ratelimit); linmm does not.
 *
 * Invariants: at most one of vm_dirty_ratio / vm_dirty_bytes is non-zero
 * after a sysctl write, likewise for the background pair.  PG_dirty iff
 * TAG_DIRTY and PG_writeback iff TAG_WRITEBACK outside these functions
 * (validate_mapping()).
 * Locks: the knobs are ints written by sysctl and read racily; page state
 * changes under the page lock (set_page_dirty: the caller's) and the
 * mapping's xa_lock for the tags.
 */
#include <limits.h>
#include <string.h>

#include <linmm/blkdev.h>
#include <linmm/pagemap.h>
#include <linmm/printk.h>
#include <linmm/mm.h>
#include <linmm/vmstat.h>
#include <linmm/writeback.h>

#include "arch/arch.h"
#include "mm/internal.h"

#define DEFAULT_DIRTY_RATIO 20
#define DEFAULT_DIRTY_BACKGROUND_RATIO 10

int vm_dirty_ratio = DEFAULT_DIRTY_RATIO;
int dirty_background_ratio = DEFAULT_DIRTY_BACKGROUND_RATIO;
unsigned long vm_dirty_bytes;
unsigned long dirty_background_bytes;
const unsigned long dirty_bytes_min = 2 * PAGE_SIZE;
static unsigned long nr_dirtied;	/* since the last check (the kernel keeps it per task) */
static bool dirty_exceeded;
struct wb_stats wb_stats;

void page_writeback_init(void)
{
	vm_dirty_ratio = DEFAULT_DIRTY_RATIO;
	dirty_background_ratio = DEFAULT_DIRTY_BACKGROUND_RATIO;
	vm_dirty_bytes = 0;
	dirty_background_bytes = 0;
	dirty_writeback_interval = 5 * 100;
	dirty_expire_interval = 30 * 100;
	nr_dirtied = 0;
	dirty_exceeded = false;
	memset(&wb_stats, 0, sizeof(wb_stats));
}

/*
 * Free and file pages of the highmem zones, which cannot hold dirty page
 * cache metadata while vm.highmem_is_dirtyable is 0 (highmem_dirtyable_memory).
 */
static unsigned long highmem_dirtyable_memory(unsigned long total)
{
	unsigned long x = 0;
	int nid;

	if (!arch_zone_configured(ZONE_HIGHMEM))
		return 0;
	for_each_online_node(nid) {
		struct zone *z = &NODE_DATA(nid)->node_zones[ZONE_HIGHMEM];
		unsigned long nr;

		if (!populated_zone(z))
			continue;
		nr = zone_page_state(z, NR_FREE_PAGES);
		nr -= min(nr, high_wmark_pages(z));
		nr += zone_page_state(z, NR_ZONE_INACTIVE_FILE);
		nr += zone_page_state(z, NR_ZONE_ACTIVE_FILE);
		x += nr;
	}
	return min(x, total);
}

static unsigned long global_dirtyable_memory(void)
{
	unsigned long x = global_zone_page_state(NR_FREE_PAGES);

	x -= min(x, totalreserve_pages);
	x += global_node_page_state(NR_INACTIVE_FILE);
	x += global_node_page_state(NR_ACTIVE_FILE);
	x -= highmem_dirtyable_memory(x);
	return x + 1;	/* never 0 */
}

void global_dirty_limits(unsigned long *pbackground, unsigned long *pdirty)
{
	unsigned long avail = global_dirtyable_memory();
	unsigned long ratio = ((unsigned long)vm_dirty_ratio * PAGE_SIZE) / 100;
	unsigned long bg_ratio = ((unsigned long)dirty_background_ratio * PAGE_SIZE) / 100;
	unsigned long thresh, bg_thresh;

	if (vm_dirty_bytes)
		thresh = DIV_ROUND_UP(vm_dirty_bytes, PAGE_SIZE);
	else
		thresh = (ratio * avail) / PAGE_SIZE;
	if (dirty_background_bytes)
		bg_thresh = DIV_ROUND_UP(dirty_background_bytes, PAGE_SIZE);
	else
		bg_thresh = (bg_ratio * avail) / PAGE_SIZE;
	if (bg_thresh >= thresh)
		bg_thresh = thresh / 2;
	*pbackground = bg_thresh;
	*pdirty = thresh;
}

/*
 * The four handlers: each stores the value (proc_dointvec_minmax /
 * proc_doulongvec_minmax, range-checked) and clears its partner; the
 * foreground pair only when the value changed, as the kernel's.
 */
int dirty_ratio_handler(const struct ctl_table *table, int write, struct seq_file *m,
			const char *buf)
{
	int old_ratio = vm_dirty_ratio;
	int ret = proc_dointvec_minmax(table, write, m, buf);

	if (!ret && write && vm_dirty_ratio != old_ratio)
		vm_dirty_bytes = 0;
	return ret;
}

int dirty_bytes_handler(const struct ctl_table *table, int write, struct seq_file *m,
			const char *buf)
{
	unsigned long old_bytes = vm_dirty_bytes;
	int ret = proc_doulongvec_minmax(table, write, m, buf);

	if (!ret && write && vm_dirty_bytes != old_bytes)
		vm_dirty_ratio = 0;
	return ret;
}

int dirty_background_ratio_handler(const struct ctl_table *table, int write, struct seq_file *m,
				   const char *buf)
{
	int ret = proc_dointvec_minmax(table, write, m, buf);

	if (!ret && write)
		dirty_background_bytes = 0;
	return ret;
}

int dirty_background_bytes_handler(const struct ctl_table *table, int write, struct seq_file *m,
				   const char *buf)
{
	int ret = proc_doulongvec_minmax(table, write, m, buf);

	if (!ret && write)
		dirty_background_ratio = 0;
	return ret;
}

/* ---- dirty and writeback page state ---- */

static void account_page_dirtied(struct page *page)
{
	__inc_node_page_state(page, NR_FILE_DIRTY);
	__inc_zone_page_state(page, NR_ZONE_WRITE_PENDING);
	__inc_node_page_state(page, NR_DIRTIED);
}

static void account_page_cleaned(struct page *page)
{
	__dec_node_page_state(page, NR_FILE_DIRTY);
	__dec_zone_page_state(page, NR_ZONE_WRITE_PENDING);
}

/**
 * set_page_dirty - mark a page-cache page dirty (folio_mark_dirty() with
 * filemap_dirty_folio()).
 * @page: an uptodate page of a mapping, locked by the caller
 *
 * Context: takes the mapping's xa_lock and the flusher's list lock.
 * Return: true if the page was clean.
 */
bool set_page_dirty(struct page *page)
{
	struct address_space *mapping = page_file_mapping(page);

	if (PageDirty(page))
		return false;
	/*
	 * A mapping without writeback (shmem: noop_dirty_folio) only sets
	 * PG_dirty: no tag, no NR_FILE_DIRTY, no inode on the flusher's
	 * list.  The flag says the data exists nowhere else (reclaim must
	 * swap it out, smaps counts it as Dirty).
	 */
	SetPageDirty(page);
	if (mapping && !mapping_can_writeback(mapping))
		return true;
	if (!mapping)
		return true;
	xa_lock(&mapping->i_pages);
	account_page_dirtied(page);
	__xa_set_mark(&mapping->i_pages, page->index, PAGECACHE_TAG_DIRTY);
	xa_unlock(&mapping->i_pages);
	__mark_inode_dirty(mapping->host);
	return true;
}

/**
 * clear_page_dirty_for_io - the page is about to be written: clean it.
 * @page: a locked page
 *
 * The DIRTY tag stays until set_page_writeback(), as in the kernel.
 * Context: page locked.
 * Return: true if it was dirty (and must be written).
 */
bool clear_page_dirty_for_io(struct page *page)
{
	VM_BUG_ON(!PageLocked(page));
	/*
	 * folio_clear_dirty_for_io(): write-protect the PTEs first, so the
	 * next write through a mapping faults and dirties the page again; a
	 * dirty PTE's data is in the page already.
	 */
	if (page_mapcount(page) > 0 && folio_mkclean(page))
		set_page_dirty(page);
	if (!PageDirty(page))
		return false;
	ClearPageDirty(page);
	account_page_cleaned(page);
	return true;
}

/* cancel_dirty_page - truncation drops a dirty page's data (folio_cancel_dirty()). */
void cancel_dirty_page(struct page *page)
{
	struct address_space *mapping = page_file_mapping(page);

	if (!PageDirty(page))
		return;
	ClearPageDirty(page);
	if (mapping && !mapping_can_writeback(mapping))
		return;			/* shmem: the flag was never accounted */
	account_page_cleaned(page);
	if (mapping)
		xa_clear_mark(&mapping->i_pages, page->index, PAGECACHE_TAG_DIRTY);
}

void set_page_writeback(struct page *page)
{
	struct address_space *mapping = page_file_mapping(page);

	VM_BUG_ON(PageWriteback(page));
	SetPageWriteback(page);
	xa_lock(&mapping->i_pages);
	__xa_set_mark(&mapping->i_pages, page->index, PAGECACHE_TAG_WRITEBACK);
	if (!PageDirty(page))
		__xa_clear_mark(&mapping->i_pages, page->index, PAGECACHE_TAG_DIRTY);
	__xa_clear_mark(&mapping->i_pages, page->index, PAGECACHE_TAG_TOWRITE);
	__inc_node_page_state(page, NR_WRITEBACK);
	__inc_zone_page_state(page, NR_ZONE_WRITE_PENDING);
	xa_unlock(&mapping->i_pages);
}

void end_page_writeback(struct page *page)
{
	struct address_space *mapping = page_file_mapping(page);

	VM_BUG_ON(!PageWriteback(page));
	ClearPageWriteback(page);
	xa_lock(&mapping->i_pages);
	__xa_clear_mark(&mapping->i_pages, page->index, PAGECACHE_TAG_WRITEBACK);
	__dec_node_page_state(page, NR_WRITEBACK);
	__dec_zone_page_state(page, NR_ZONE_WRITE_PENDING);
	__inc_node_page_state(page, NR_WRITTEN);
	xa_unlock(&mapping->i_pages);
}

/* ---- writing a mapping ---- */

/* tag_pages_for_writeback(): TOWRITE on every DIRTY page of [start, end] (sync livelock guard). */
static void tag_pages_for_writeback(struct address_space *mapping, pgoff_t start, pgoff_t end)
{
	unsigned long index = start;
	struct page *page;

	for (page = xa_find(&mapping->i_pages, &index, end, PAGECACHE_TAG_DIRTY); page;
	     page = xa_find_after(&mapping->i_pages, &index, end, PAGECACHE_TAG_DIRTY))
		xa_set_mark(&mapping->i_pages, index, PAGECACHE_TAG_TOWRITE);
}

/*
 * write_cache_pages(): write the dirty pages of the wbc's range (or, with
 * range_cyclic, from mapping->writeback_index on, wrapping once), at most
 * wbc->nr_to_write of them unless WB_SYNC_ALL.
 */
static int write_cache_pages(struct address_space *mapping, struct writeback_control *wbc)
{
	bool sync_all = wbc->sync_mode == WB_SYNC_ALL;
	xa_mark_t tag = sync_all ? PAGECACHE_TAG_TOWRITE : PAGECACHE_TAG_DIRTY;
	pgoff_t start, end, index;
	struct block_device *bdev = mapping->host->i_sb->s_bdev;
	bool wrapped = false;
	int ret = 0;

	if (wbc->range_cyclic) {
		start = mapping->writeback_index;
		end = ~0UL;
	} else {
		start = (pgoff_t)(wbc->range_start >> PAGE_SHIFT);
		end = (pgoff_t)(wbc->range_end >> PAGE_SHIFT);
	}
	if (sync_all)
		tag_pages_for_writeback(mapping, start, end);
	if (bdev)
		blk_start_plug(bdev);
	index = start;
retry:
	for (;;) {
		struct page *page = xa_find(&mapping->i_pages, &index, end, tag);
		int err;

		if (!page)
			break;
		get_page(page);
		lock_page(page);
		if (page->mapping != mapping || !PageDirty(page)) {
			if (page->mapping == mapping)
				xa_clear_mark(&mapping->i_pages, index, PAGECACHE_TAG_TOWRITE);
			goto next;
		}
		if (PageWriteback(page)) {
			if (!sync_all) {
				wbc->pages_skipped++;
				goto next;
			}
			wait_on_page_writeback(page);
		}
		if (!clear_page_dirty_for_io(page))
			goto next;
		err = mapping->a_ops->writepage(page, wbc);	/* unlocks */
		put_page(page);
		if (err && !ret)
			ret = err;
		wbc->nr_written++;
		if (--wbc->nr_to_write <= 0 && !sync_all) {
			index++;
			goto done;
		}
		if (!++index)
			goto done;
		continue;
next:
		unlock_page(page);
		put_page(page);
		if (!++index)
			goto done;
	}
	if (wbc->range_cyclic && !wrapped && start) {
		wrapped = true;
		end = start - 1;
		index = 0;
		goto retry;
	}
	index = 0;
done:
	if (wbc->range_cyclic)
		mapping->writeback_index = index;
	if (bdev)
		blk_finish_plug(bdev);
	return ret;
}

/**
 * do_writepages - write dirty pages of @mapping.
 * @mapping: the page cache
 * @wbc: which pages and how many
 *
 * Context: no page locks held; may wait for earlier writeback (WB_SYNC_ALL).
 * Return: 0 or the first error of a writepage.
 */
int do_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	if (!mapping->a_ops->writepage || !mapping->nrpages)
		return 0;
	return write_cache_pages(mapping, wbc);
}

/* ---- throttling ---- */

#define DIRTY_PAUSE_PAGES 32		/* 128 KiB >> (PAGE_SHIFT - 10): nr_dirtied_pause */
#define DIRTY_EXCEEDED_PAUSE_PAGES 8	/* 32 KiB >> (PAGE_SHIFT - 10) */
#define MAX_PAUSE_NS (200ULL * 1000000)	/* HZ / 5 */


static unsigned long global_dirty_and_writeback(void)
{
	return (unsigned long)(global_node_page_state(NR_FILE_DIRTY) +
			       global_node_page_state(NR_WRITEBACK));
}

/* balance_dirty_pages(): start background writeback, throttle above the hard limit. */
static void balance_dirty_pages(struct address_space *mapping)
{
	struct block_device *bdev = mapping->host->i_sb->s_bdev;

	for (int pauses = 0;; pauses++) {
		unsigned long bg_thresh, thresh, nr;
		u64 before;

		refresh_vm_stats();
		global_dirty_limits(&bg_thresh, &thresh);
		nr = global_dirty_and_writeback();
		if (global_node_page_state(NR_FILE_DIRTY) > (long)bg_thresh)
			wakeup_flusher_threads(WB_REASON_BACKGROUND);
		if (nr <= thresh) {
			dirty_exceeded = false;
			return;
		}
		dirty_exceeded = true;
		if (pauses >= 16)
			return;		/* as the kernel: the writer makes progress eventually */
		/* io_schedule_timeout(): sleep while the disk completes writes. */
		before = local_clock();
		wb_stats.throttled++;
		if (bdev && bdev->inflight)
			bdev_run_queue(bdev, /* wait = */ true);
		else
			linmm_clock_advance(MAX_PAUSE_NS);
		wb_stats.throttle_ns += local_clock() - before;
	}
}

/**
 * balance_dirty_pages_ratelimited - a writer dirtied a page of @mapping.
 * @mapping: the page cache written to
 *
 * Context: may write back and sleep (advance the simulated clock).
 */
void balance_dirty_pages_ratelimited(struct address_space *mapping)
{
	unsigned long ratelimit = dirty_exceeded ? DIRTY_EXCEEDED_PAUSE_PAGES : DIRTY_PAUSE_PAGES;

	if (!mapping_can_writeback(mapping))
		return;			/* shmem: nothing to wait for */
	if (++nr_dirtied < ratelimit)
		return;
	nr_dirtied = 0;
	balance_dirty_pages(mapping);
}

/* ---- the interval knobs ---- */

unsigned int dirty_writeback_interval = 5 * 100;	/* centisecs */
unsigned int dirty_expire_interval = 30 * 100;		/* centisecs */

int dirty_writeback_centisecs_handler(const struct ctl_table *table, int write,
				      struct seq_file *m, const char *buf)
{
	unsigned int old = dirty_writeback_interval;
	int ret = proc_dointvec_minmax(table, write, m, buf);

	/* A new interval takes effect now: the kernel wakes the flushers. */
	if (!ret && write && dirty_writeback_interval && dirty_writeback_interval != old)
		wakeup_flusher_threads(WB_REASON_PERIODIC);
	return ret;
}
