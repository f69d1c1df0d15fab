// SPDX-License-Identifier: MIT
/*
 * block_dev.c - the RAM disk ram0 and its I/O (block/bdev.c, block/blk-core.c
 * submit_bio(), drivers/block/brd.c; fs/block_dev.c in kernels before 5.15).
 *
 * Blocks are PAGE_SIZE bytes of a host mapping reserved at mount and
 * populated on first touch (through kernel/host.h), so a 1 GiB disk costs
 * host memory only for the blocks written.  I/O model (include/linmm/blkdev.h):
 *
 *   read:   copy block -> page, clock += latency                (synchronous)
 *   write:  copy page -> block now, queue a completion at
 *           done_at = max(now, last done_at) + latency;
 *           bdev_run_queue() ends the writeback of every page whose
 *           done_at <= now; with @wait it first moves the clock to the
 *           last done_at (the caller slept until the disk finished).
 *
 *   plug:   between blk_start_plug() and blk_finish_plug() (readahead,
 *           a writeback pass), a block that follows the previous one in
 *           the same direction merges into its request, up to
 *           BLK_MAX_SEGMENTS (128) pages, 512 KiB: it is counted as a
 *           merge and costs no further latency.  (The kernel's plug is
 *           per task; linmm's is per device, submitters take turns.)
 *
 *   queue:  head [page A done 100us] -> [page B done 200us] -> ... tail
 *
 * Counters follow the kernel's: ios/sectors/ticks per direction as
 * /sys/block/<dev>/stat shows them, and PGPGIN/PGPGOUT in sectors (vmstat
 * prints them halved, in KiB).  /sys/block/ram0/queue/read_ahead_kb sets
 * the disk's readahead (bdi->ra_pages), which files opened later take.
 *
 * Locks: bdev->lock protects the queue, last_done_ns and the counters; it
 * is dropped around end_page_writeback() (which takes the mapping's xa_lock).
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <linmm/blkdev.h>
#include <linmm/highmem.h>
#include <linmm/mm.h>
#include <linmm/pagemap.h>
#include <linmm/printk.h>
#include <linmm/seq_file.h>
#include <linmm/slab.h>
#include <linmm/vmstat.h>

#include "kernel/host.h"
#include "kernel/machine.h"

#define SECTORS_PER_BLOCK (PAGE_SIZE >> SECTOR_SHIFT)
/* Segments (here: pages) one request may hold, the block layer's default limit. */
#define BLK_MAX_SEGMENTS 128

struct block_device *ram0;
static struct block_device ram0_dev;

/*
 * read_ahead_kb written before ram0 is attached (with the file system, on
 * first use): the disk takes it then.  Valid for the boot that wrote it.
 */
static struct {
	unsigned long ra_pages;
	unsigned long boot_seq;
} ram0_queue;

static unsigned long queue_ra_pages(void)
{
	return ram0_queue.boot_seq == linmm_boot_seq ? ram0_queue.ra_pages : VM_READAHEAD_PAGES;
}

/* A queued write (the kernel's bio, one page). */
struct bio {
	struct list_head list;
	struct page *page;
	u64 done_at;
};

int bdev_init(u64 size)
{
	struct block_device *bdev = &ram0_dev;
	int err = 0;

	memset(bdev, 0, sizeof(*bdev));
	bdev->bd_name = "ram0";
	bdev->nr_blocks = size >> PAGE_SHIFT;
	bdev->ra_pages = queue_ra_pages();
	bdev->data = linmm_host_reserve(size, &err);
	if (!bdev->data)
		return err ? err : -ENOMEM;
	err = linmm_host_map_anon(bdev->data, size, LINMM_PROT_RW);
	if (err) {
		linmm_host_release(bdev->data, size);
		return err;
	}
	spin_lock_init(&bdev->lock);
	INIT_LIST_HEAD(&bdev->queue);
	ram0 = bdev;
	return 0;
}

void bdev_teardown(void)
{
	if (!ram0)
		return;
	bdev_run_queue(ram0, /* wait = */ true);
	linmm_host_release(ram0->data, ram0->nr_blocks << PAGE_SHIFT);
	ram0 = NULL;
}

static char *block_address(struct block_device *bdev, u64 blk)
{
	BUG_ON(blk >= bdev->nr_blocks);
	return bdev->data + (blk << PAGE_SHIFT);
}

void blk_start_plug(struct block_device *bdev)
{
	spin_lock(&bdev->lock);
	if (!bdev->plug_depth++)
		bdev->plug_next[BDEV_READ] = bdev->plug_next[BDEV_WRITE] = ~0ULL;
	spin_unlock(&bdev->lock);
}

void blk_finish_plug(struct block_device *bdev)
{
	spin_lock(&bdev->lock);
	bdev->plug_depth--;
	spin_unlock(&bdev->lock);
}

/*
 * Count one block of I/O.  Under a plug, a block right after the previous
 * one in the same direction merges into its request (the "merges" field);
 * Return: true if it started a new request (which costs latency_ns).
 */
static bool account_io(struct block_device *bdev, int dir, u64 blk)
{
	bool merged = bdev->plug_depth && bdev->plug_next[dir] == blk &&
		      bdev->plug_len[dir] < BLK_MAX_SEGMENTS;

	if (bdev->plug_depth) {
		bdev->plug_next[dir] = blk + 1;
		bdev->plug_len[dir] = merged ? bdev->plug_len[dir] + 1 : 1;
	}
	bdev->sectors[dir] += SECTORS_PER_BLOCK;
	count_vm_events(dir == BDEV_READ ? PGPGIN : PGPGOUT, SECTORS_PER_BLOCK);
	if (merged) {
		bdev->merges[dir]++;
		return false;
	}
	bdev->ios[dir]++;
	bdev->ticks_ms[dir] += bdev->latency_ns / 1000000;
	return true;
}

void bdev_read_page(struct block_device *bdev, u64 blk, struct page *page)
{
	char *kaddr = kmap_local_page(page);
	bool new_request;

	memcpy(kaddr, block_address(bdev, blk), PAGE_SIZE);
	kunmap_local(kaddr);
	spin_lock(&bdev->lock);
	new_request = account_io(bdev, BDEV_READ, blk);
	spin_unlock(&bdev->lock);
	if (new_request)
		linmm_clock_advance(bdev->latency_ns);
}

int bdev_write_page(struct block_device *bdev, u64 blk, struct page *page)
{
	struct bio *bio = kmalloc(sizeof(*bio), GFP_NOIO);
	char *kaddr;

	if (!bio) {
		mapping_set_error(page_file_mapping(page), -EIO);
		end_page_writeback(page);
		return -ENOMEM;
	}
	kaddr = kmap_local_page(page);
	memcpy(block_address(bdev, blk), kaddr, PAGE_SIZE);
	kunmap_local(kaddr);
	bio->page = page;
	spin_lock(&bdev->lock);
	if (account_io(bdev, BDEV_WRITE, blk))
		bdev->last_done_ns = max(bdev->last_done_ns, local_clock()) + bdev->latency_ns;
	bio->done_at = bdev->last_done_ns;
	list_add_tail(&bio->list, &bdev->queue);
	bdev->inflight++;
	spin_unlock(&bdev->lock);
	return 0;
}

/* Complete the head of the queue if due (or @force).  Return: false if nothing was. */
static bool bdev_complete_one(struct block_device *bdev, bool force)
{
	struct bio *bio;

	spin_lock(&bdev->lock);
	bio = list_first_entry_or_null(&bdev->queue, struct bio, list);
	if (!bio || (!force && bio->done_at > local_clock())) {
		spin_unlock(&bdev->lock);
		return false;
	}
	list_del(&bio->list);
	bdev->inflight--;
	spin_unlock(&bdev->lock);
	if (bio->done_at > local_clock())
		linmm_clock_advance(bio->done_at - local_clock());	/* waited for it */
	end_page_writeback(bio->page);
	kfree(bio);
	return true;
}

void bdev_run_queue(struct block_device *bdev, bool wait)
{
	while (bdev_complete_one(bdev, wait))
		;
}

void bdev_wait_page(struct block_device *bdev, struct page *page)
{
	while (PageWriteback(page) && bdev_complete_one(bdev, /* force = */ true))
		;
}

void bdev_discard(struct block_device *bdev, u64 blk)
{
	linmm_host_discard(block_address(bdev, blk), PAGE_SIZE);
}

/*
 * /sys/block/ram0/stat (Documentation/block/stat.rst): read I/Os, merges,
 * sectors, ticks; write the same; in_flight, io_ticks, time_in_queue;
 * discard x4; flush I/Os and ticks.  Each field is %8lu separated by a blank.
 */
void bdev_stat_show(struct seq_file *m)
{
	struct block_device *bdev = ram0;
	unsigned long v[17] = { 0 };

	if (bdev) {
		spin_lock(&bdev->lock);
		v[0] = bdev->ios[BDEV_READ];
		v[1] = bdev->merges[BDEV_READ];
		v[2] = bdev->sectors[BDEV_READ];
		v[3] = bdev->ticks_ms[BDEV_READ];
		v[4] = bdev->ios[BDEV_WRITE];
		v[5] = bdev->merges[BDEV_WRITE];
		v[6] = bdev->sectors[BDEV_WRITE];
		v[7] = bdev->ticks_ms[BDEV_WRITE];
		v[8] = bdev->inflight;
		v[9] = v[3] + v[7];
		v[10] = v[3] + v[7];
		spin_unlock(&bdev->lock);
	}
	for (int i = 0; i < 17; i++)
		seq_printf(m, "%8lu%s", v[i], i == 16 ? "\n" : " ");
}

void bdev_ra_show(struct seq_file *m)
{
	unsigned long ra_pages = ram0 ? __atomic_load_n(&ram0->ra_pages, __ATOMIC_RELAXED)
				      : queue_ra_pages();

	seq_printf(m, "%lu\n", ra_pages << (PAGE_SHIFT - 10));
}

int bdev_ra_store(const char *value)
{
	unsigned long kb = 0;
	const char *p = value;

	/* kstrtoul(value, 10): an optional '+', digits, one optional newline. */
	if (*p == '+')
		p++;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		kb = kb * 10 + (unsigned long)(*p - '0');
		if (kb > UINT_MAX)	/* queue_var_store() */
			return -EINVAL;
	}
	if (*p == '\n')
		p++;
	if (*p)
		return -EINVAL;
	ram0_queue.ra_pages = kb >> (PAGE_SHIFT - 10);
	ram0_queue.boot_seq = linmm_boot_seq;
	if (ram0)
		__atomic_store_n(&ram0->ra_pages, ram0_queue.ra_pages, __ATOMIC_RELAXED);
	return 0;
}
