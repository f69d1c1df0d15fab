// SPDX-License-Identifier: MIT
/*
 * fs-writeback.c - the flusher: dirty inode lists and writeback work
 * (fs/fs-writeback.c, mm/backing-dev.c).
 *
 * One bdi_writeback (ram0's).  Inodes with dirty pages are on b_dirty,
 * oldest dirtied first (__mark_inode_dirty() stamps dirtied_when); a pass
 * moves those old enough to b_io (queue_io()) and writes each once:
 *
 *   b_dirty: [inode 3, dirtied 1200] -> [inode 7, dirtied 4800] -> ...
 *   b_io:    the inodes of this round, taken from the head
 *
 * wb_workfn() runs what the kernel's flusher kworker runs, in its order:
 *   1. periodic ("kupdate") writeback, due every dirty_writeback_centisecs:
 *      inodes dirtied at least dirty_expire_centisecs ago;
 *   2. background writeback while NR_FILE_DIRTY is above the background
 *      threshold, oldest inodes first.
 * Each inode is written MAX_WRITEBACK_PAGES (1024 pages, 4 MiB) at a time
 * and requeued at the tail if pages remain dirty.  sync(2) writes every
 * dirty inode with WB_SYNC_ALL and waits for the disk.
 *
 * Determinism: there is no kworker thread.  The flusher runs when it is
 * woken (balance_dirty_pages(), sync, the dirty_writeback_centisecs
 * handler) and when its timer is due, checked at every file system call
 * and while simulated time passes (wb_sleep()).  Completed disk writes are
 * reaped at the same points (bdev_run_queue()).
 *
 * Locks: wb_list_lock protects b_dirty, b_io, i_io_list, I_DIRTY_PAGES and
 * dirtied_when; it is dropped while an inode is written (the inode is
 * pinned with i_count).  wb_running keeps the flusher from re-entering
 * itself (a writeback that throttles cannot start another).
 */
#include <limits.h>

#include <linmm/blkdev.h>
#include <linmm/pagemap.h>
#include <linmm/printk.h>
#include <linmm/vmstat.h>
#include <linmm/writeback.h>

#include "fs/internal.h"

#define MAX_WRITEBACK_PAGES 1024	/* 4 MiB per inode per pass (writeback_chunk_size) */

static LIST_HEAD(b_dirty);
static LIST_HEAD(b_io);
static spinlock_t wb_list_lock = __SPIN_LOCK_UNLOCKED;
static u64 last_old_flush;		/* jiffies of the last kupdate pass */
static bool wb_running;

void wb_init(void)
{
	INIT_LIST_HEAD(&b_dirty);
	INIT_LIST_HEAD(&b_io);
	last_old_flush = get_jiffies_64();
	wb_running = false;
}

void __mark_inode_dirty(struct inode *inode)
{
	spin_lock(&wb_list_lock);
	if (!(inode->i_state & I_DIRTY_PAGES) && !(inode->i_state & I_FREEING)) {
		inode->i_state |= I_DIRTY_PAGES;
		inode->dirtied_when = get_jiffies_64();
		list_move_tail(&inode->i_io_list, &b_dirty);
	}
	spin_unlock(&wb_list_lock);
}

void inode_io_list_del(struct inode *inode)
{
	spin_lock(&wb_list_lock);
	inode->i_state &= ~I_DIRTY_PAGES;
	list_del_init(&inode->i_io_list);
	spin_unlock(&wb_list_lock);
}

static bool over_bground_thresh(void)
{
	unsigned long bg, thresh;

	refresh_vm_stats();
	global_dirty_limits(&bg, &thresh);
	return global_node_page_state(NR_FILE_DIRTY) > (long)bg;
}

/* After writing @inode: off b_dirty if clean, else to its tail (requeue_inode()). */
static void requeue_inode(struct inode *inode)
{
	bool dirty = xa_marked(&inode->i_mapping->i_pages, PAGECACHE_TAG_DIRTY);

	spin_lock(&wb_list_lock);
	if (!(inode->i_state & I_DIRTY_PAGES)) {
		spin_unlock(&wb_list_lock);
		return;
	}
	if (dirty) {
		/* redirty_tail(): keep b_dirty sorted by dirtied_when. */
		list_del_init(&inode->i_io_list);
		if (!list_empty(&b_dirty)) {
			struct inode *tail = list_last_entry(&b_dirty, struct inode, i_io_list);

			if (inode->dirtied_when < tail->dirtied_when)
				inode->dirtied_when = get_jiffies_64();
		}
		list_add_tail(&inode->i_io_list, &b_dirty);
	} else {
		inode->i_state &= ~I_DIRTY_PAGES;
		list_del_init(&inode->i_io_list);
	}
	spin_unlock(&wb_list_lock);
}

/* queue_io(): move the inodes dirtied at or before @older_than from b_dirty to b_io. */
static void queue_io(u64 older_than)
{
	struct inode *inode, *tmp;

	spin_lock(&wb_list_lock);
	list_for_each_entry_safe(inode, tmp, &b_dirty, i_io_list) {
		if (inode->dirtied_when > older_than)
			break;
		list_move_tail(&inode->i_io_list, &b_io);
	}
	spin_unlock(&wb_list_lock);
}

/* The next inode of b_io, pinned (i_count), or NULL. */
static struct inode *next_io_inode(void)
{
	struct inode *inode;

	spin_lock(&wb_list_lock);
	inode = list_first_entry_or_null(&b_io, struct inode, i_io_list);
	if (inode) {
		/* Off b_io while it is written; requeue_inode() puts it back on b_dirty. */
		list_move_tail(&inode->i_io_list, &b_dirty);
		atomic_fetch_add(&inode->i_count, 1);
	}
	spin_unlock(&wb_list_lock);
	return inode;
}

/* Anything left on b_io goes back to the head of b_dirty, in order. */
static void splice_io_back(void)
{
	spin_lock(&wb_list_lock);
	list_splice_init(&b_io, &b_dirty);
	spin_unlock(&wb_list_lock);
}

/*
 * wb_writeback(): rounds of queue_io() and writing each queued inode once,
 * until @nr_pages are written, nothing is written in a round, or
 * (background) the dirty count is under the threshold.
 */
static long wb_writeback(long nr_pages, enum wb_reason reason)
{
	bool background = reason == WB_REASON_BACKGROUND;
	bool kupdate = reason == WB_REASON_PERIODIC;
	long wrote = 0;

	while (nr_pages > 0) {
		u64 older_than = ~0ULL;
		long wrote_round = 0;
		struct inode *inode;

		if (background && !over_bground_thresh())
			break;
		if (kupdate) {
			u64 expire = (u64)dirty_expire_interval * HZ / 100;
			u64 now = get_jiffies_64();

			if (now < expire)
				break;
			older_than = now - expire;
		}
		queue_io(older_than);
		while (nr_pages > 0 && (inode = next_io_inode())) {
			struct writeback_control wbc = {
				.sync_mode = WB_SYNC_NONE,
				.nr_to_write = min(nr_pages, (long)MAX_WRITEBACK_PAGES),
				.range_cyclic = true,
				.for_background = background,
				.for_kupdate = kupdate,
			};

			do_writepages(inode->i_mapping, &wbc);
			requeue_inode(inode);
			iput(inode);
			nr_pages -= wbc.nr_written;
			wrote += wbc.nr_written;
			wrote_round += wbc.nr_written;
			if (background && !over_bground_thresh())
				break;
		}
		splice_io_back();
		if (!wrote_round)
			break;
	}
	wb_stats.written[reason] += (unsigned long)wrote;
	return wrote;
}

/*
 * wb_workfn() / wb_do_writeback(): explicit work first (a sync's "start
 * all": every dirty inode, WB_SYNC_NONE), then the periodic pass when
 * due, then background writeback while over the threshold.
 */
static void wb_workfn(enum wb_reason work, bool periodic_due)
{
	long wrote = 0;

	if (wb_running)
		return;
	wb_running = true;
	if (work == WB_REASON_SYNC)
		wrote += wb_writeback(LONG_MAX, WB_REASON_SYNC);
	if (periodic_due) {
		refresh_vm_stats();
		last_old_flush = get_jiffies_64();
		if (global_node_page_state(NR_FILE_DIRTY))
			wrote += wb_writeback(LONG_MAX, WB_REASON_PERIODIC);
	}
	if (over_bground_thresh())
		wrote += wb_writeback(LONG_MAX, WB_REASON_BACKGROUND);
	if (wrote)
		wb_stats.runs++;
	wb_running = false;
}

void wakeup_flusher_threads(enum wb_reason reason)
{
	wb_workfn(reason, /* periodic_due = */ reason == WB_REASON_PERIODIC);
}

/* Jiffies at which the periodic pass is due next (0: never). */
static u64 wb_next_due(void)
{
	if (!dirty_writeback_interval)
		return 0;
	return last_old_flush + (u64)dirty_writeback_interval * HZ / 100;
}

void wb_check_timer(void)
{
	u64 due = wb_next_due();

	if (ram0)
		bdev_run_queue(ram0, /* wait = */ false);
	if (due && get_jiffies_64() >= due)
		wb_workfn(WB_REASON_PERIODIC, /* periodic_due = */ true);
}

/**
 * wb_sleep - let @ns of simulated time pass, running the flusher each time
 * its timer is due and reaping completed disk writes on the way.
 * @ns: nanoseconds
 *
 * Context: no locks held.
 */
void wb_sleep(u64 ns)
{
	u64 end = local_clock() + ns;

	for (;;) {
		u64 due = wb_next_due(), now = local_clock(), step = end;

		if (due) {
			u64 due_ns = due * (1000000000ULL / HZ);

			if (due_ns > now && due_ns < step)
				step = due_ns;
		}
		if (step > now)
			linmm_clock_advance(step - now);
		wb_check_timer();
		if (local_clock() >= end)
			break;
	}
	/* The vmstat worker (vmstat_update, every second) would have folded the deltas. */
	if (ns >= 1000000000ULL)
		refresh_vm_stats();
}

void sync_inodes_sb(void)
{
	struct inode *inode;

	for (;;) {
		spin_lock(&wb_list_lock);
		inode = list_first_entry_or_null(&b_dirty, struct inode, i_io_list);
		if (inode)
			atomic_fetch_add(&inode->i_count, 1);
		spin_unlock(&wb_list_lock);
		if (!inode)
			break;
		{
			struct writeback_control wbc = {
				.sync_mode = WB_SYNC_ALL,
				.nr_to_write = LONG_MAX,
				.range_end = MAX_LFS_FILESIZE,
				.for_sync = true,
			};

			do_writepages(inode->i_mapping, &wbc);
			wb_stats.written[WB_REASON_SYNC] += (unsigned long)wbc.nr_written;
		}
		inode_io_list_del(inode);
		iput(inode);
	}
	if (ram0)
		bdev_run_queue(ram0, /* wait = */ true);
}
