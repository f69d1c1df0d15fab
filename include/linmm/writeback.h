/* SPDX-License-Identifier: MIT */
/*
 * writeback.h - dirty page limits (include/linux/writeback.h,
 * mm/page-writeback.c).
 *
 * The dirty knobs come in pairs: a ratio of dirtyable memory (percent) or
 * an absolute byte count; setting one clears the other, as the kernel's
 * handlers do.  Dirtyable memory is free pages minus the kernel's reserves
 * plus the file LRU pages (global_dirtyable_memory); highmem counts only
 * when vm.highmem_is_dirtyable would allow it (never, in linmm).
 */
#ifndef LINMM_WRITEBACK_H
#define LINMM_WRITEBACK_H

#include <linmm/sysctl.h>
#include <linmm/types.h>

extern int vm_dirty_ratio;			/* 20 */
extern int dirty_background_ratio;		/* 10 */
extern unsigned long vm_dirty_bytes;		/* 0: use the ratio */
extern unsigned long dirty_background_bytes;	/* 0: use the ratio */
extern const unsigned long dirty_bytes_min;	/* 2 pages */

/*
 * global_dirty_limits - the system-wide dirty thresholds, in pages.
 * @pbackground: where background writeback starts (nr_dirty_background_threshold)
 * @pdirty: where writers are throttled (nr_dirty_threshold)
 * Context: any; reads counters without locks (approximate, as in the kernel).
 */
void global_dirty_limits(unsigned long *pbackground, unsigned long *pdirty);

/* Reset the dirty knobs to the kernel's defaults (boot). */
void page_writeback_init(void);

/* The sysctl handlers of vm.dirty_ratio, dirty_bytes, dirty_background_{ratio,bytes}. */
proc_handler dirty_ratio_handler;
proc_handler dirty_bytes_handler;
proc_handler dirty_background_ratio_handler;
proc_handler dirty_background_bytes_handler;

/*
 * ---- writeback of the page cache (mm/page-writeback.c, fs/fs-writeback.c) ----
 *
 * The flusher (one bdi_writeback for ram0, run at deterministic points
 * rather than on a kworker): wb_workfn() does, in the kernel's order,
 * explicit work (sync), then background writeback while dirty pages are
 * above the background threshold, then "kupdate" writeback of inodes
 * dirtied more than dirty_expire_centisecs ago.  It is due every
 * dirty_writeback_centisecs of simulated time (wb_check_timer()), woken
 * when a writer passes the background threshold, and called by sync.
 *
 * balance_dirty_pages(): a writer whose dirtying leaves dirty + writeback
 * above the midpoint of the background and hard thresholds wakes the
 * flusher; above the hard threshold it is throttled: it sleeps (the
 * simulated clock advances by the wait) while writeback brings the count
 * under the limit.
 */
enum writeback_sync_modes { WB_SYNC_NONE, WB_SYNC_ALL };

/* enum wb_reason (include/linux/backing-dev-defs.h), for the counters. */
enum wb_reason {
	WB_REASON_BACKGROUND,
	WB_REASON_VMSCAN,
	WB_REASON_SYNC,
	WB_REASON_PERIODIC,
	WB_REASON_FS_FREE_SPACE,
	WB_REASON_FORKER_THREAD,
	WB_REASON_FOREIGN_FLUSH,
	WB_REASON_MAX
};

struct writeback_control {
	long nr_to_write;		/* pages left to write in this pass */
	long nr_written;		/* pages written (a linmm addition, for the flusher) */
	long pages_skipped;
	long long range_start, range_end;	/* bytes, inclusive (loff_t) */
	enum writeback_sync_modes sync_mode;
	bool range_cyclic;		/* from mapping->writeback_index on, wrapping */
	bool for_background, for_kupdate, for_sync;
};

extern unsigned int dirty_writeback_interval;	/* centisecs, 500 */
extern unsigned int dirty_expire_interval;	/* centisecs, 3000 */
extern int sysctl_drop_caches;
proc_handler dirty_writeback_centisecs_handler;
proc_handler drop_caches_sysctl_handler;

/* Writeback statistics: throttle events, flusher runs, pages written per reason. */
struct wb_stats {
	unsigned long throttled;	/* balance_dirty_pages() sleeps */
	unsigned long throttle_ns;	/* simulated time spent in them */
	unsigned long runs;		/* wb_workfn() calls that wrote something */
	unsigned long written[WB_REASON_MAX];
};
extern struct wb_stats wb_stats;

struct address_space;
struct inode;
/* do_writepages - write dirty pages of @mapping per @wbc (write_cache_pages()). */
int do_writepages(struct address_space *mapping, struct writeback_control *wbc);
/* __mark_inode_dirty - put @inode on the flusher's b_dirty list (I_DIRTY_PAGES). */
void __mark_inode_dirty(struct inode *inode);
/* inode_io_list_del - take @inode off the flusher's lists (eviction). */
void inode_io_list_del(struct inode *inode);
/* balance_dirty_pages_ratelimited - throttle the writer of @mapping if needed. */
void balance_dirty_pages_ratelimited(struct address_space *mapping);
/* wakeup_flusher_threads - run the flusher now for @reason. */
void wakeup_flusher_threads(enum wb_reason reason);
/* wb_check_timer - run the flusher if dirty_writeback_centisecs passed since its last run. */
void wb_check_timer(void);
/*
 * wb_sleep - let @ns of simulated time pass (a sleeping task, the script's
 * `sleep`), running the flusher whenever its timer is due on the way and
 * reaping completed disk writes.
 */
void wb_sleep(u64 ns);
/* sync_inodes_sb - write every dirty inode and wait (sync(2)). */
void sync_inodes_sb(void);
/* Reset the flusher and the knobs (boot, shutdown). */
void wb_init(void);

#endif /* LINMM_WRITEBACK_H */
