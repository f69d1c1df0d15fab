/* SPDX-License-Identifier: MIT */
/*
 * blkdev.h - the block device under linmmfs (include/linux/blkdev.h,
 * block/bdev.c, drivers/block/brd.c).
 *
 * One RAM disk, "ram0", of 4 KiB blocks held in host memory (a lazily
 * populated host mapping: untouched blocks cost nothing and read as
 * zeros).  Every I/O is counted as /sys/block/ram0/stat counts it, and
 * pgpgin/pgpgout count its 512-byte sectors as submit_bio() does.  An I/O
 * costs `latency_ns` of simulated time (default 0):
 *
 *   reads   are synchronous: the reader's clock advances by the latency;
 *   writes  are queued (the page stays PG_writeback) and complete at
 *           done_at = max(now, previous done_at) + latency, when the queue
 *           is run at a deterministic point (a file system call, the
 *           flusher, fsync/sync, or someone waiting on the page).
 *
 * Locks: bdev->lock protects the queue and the counters.
 */
#ifndef LINMM_BLKDEV_H
#define LINMM_BLKDEV_H

#include <linmm/list.h>
#include <linmm/spinlock.h>
#include <linmm/types.h>

struct page;

#define SECTOR_SHIFT 9
#define BDEV_DEFAULT_SIZE (1ULL << 30)	/* 1 GiB */

struct block_device {
	const char *bd_name;
	u64 nr_blocks;			/* PAGE_SIZE blocks */
	char *data;			/* host memory holding the blocks */
	u64 latency_ns;			/* simulated cost of one I/O */
	u64 last_done_ns;		/* when the last queued write completes */
	spinlock_t lock;
	struct list_head queue;		/* pending writes, in completion order */
	unsigned long inflight;
	int plug_depth;			/* blk_start_plug() nesting */
	u64 plug_next[2];		/* the block that would merge, per direction */
	unsigned int plug_len[2];	/* pages in the current request */
	/* /sys/block/ram0/stat: requests, merges, sectors and ticks (ms) per direction */
	unsigned long ios[2], merges[2], sectors[2], ticks_ms[2];
	/*
	 * The disk's bdi->ra_pages: /sys/block/ram0/queue/read_ahead_kb in
	 * pages (default VM_READAHEAD_PAGES, 128 KiB, as brd's queue gets).
	 * A file takes it when opened (file_ra_state_init).
	 */
	unsigned long ra_pages;
};

enum { BDEV_READ = 0, BDEV_WRITE = 1 };

extern struct block_device *ram0;

/* Create ram0 (boot) and free it (shutdown).  Return: 0 or -ENOMEM. */
int bdev_init(u64 size);
void bdev_teardown(void);

/* Merge consecutive blocks into one request until the plug is finished. */
void blk_start_plug(struct block_device *bdev);
void blk_finish_plug(struct block_device *bdev);
/* bdev_read_page - read block @blk into @page, synchronously. */
void bdev_read_page(struct block_device *bdev, u64 blk, struct page *page);
/*
 * bdev_write_page - queue a write of @page (PG_writeback set by the
 * caller) to block @blk; end_page_writeback() runs when it completes.
 * Return: 0 or -ENOMEM (the page is then completed with an error at once).
 */
int bdev_write_page(struct block_device *bdev, u64 blk, struct page *page);
/* bdev_run_queue - complete the writes due by now (@wait: all, advancing the clock). */
void bdev_run_queue(struct block_device *bdev, bool wait);
/* bdev_wait_page - complete queued I/O up to and including @page's. */
void bdev_wait_page(struct block_device *bdev, struct page *page);
/* Zero block @blk (a freed block is cleared, as a discard would). */
void bdev_discard(struct block_device *bdev, u64 blk);
/* /sys/block/ram0/stat's 17 fields. */
struct seq_file;
void bdev_stat_show(struct seq_file *m);
/*
 * /sys/block/ram0/queue/read_ahead_kb (block/blk-sysfs.c queue_ra_show,
 * queue_ra_store): shows ra_pages in KiB; a store takes a decimal number
 * of KiB (kstrtoul, a trailing newline allowed, at most UINT_MAX).
 * Before ram0 is attached (linmm attaches it with the file system, on
 * first use) the value waits for it.  Return (store): 0 or -EINVAL.
 */
void bdev_ra_show(struct seq_file *m);
int bdev_ra_store(const char *value);

#endif /* LINMM_BLKDEV_H */
