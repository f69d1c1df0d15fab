// SPDX-License-Identifier: MIT
/*
 * test_filemap.c - files, the page cache, readahead and writeback
 * (mm/filemap.c, mm/readahead.c, mm/page-writeback.c, fs/fs-writeback.c,
 * fs/linmmfs/).
 *
 * Every step is followed by check(): validate_page_cache() (each mapping's
 * pages, tags and nrpages; NR_FILE_PAGES/NR_FILE_DIRTY/NR_WRITEBACK equal
 * the pages counted; the LRU lists; the block maps) and check_machine().
 *
 * A page's life in these tests:
 *
 *   write     -> cached, uptodate, dirty (TAG_DIRTY), inactive file LRU
 *   writeback -> PG_writeback (TAG_WRITEBACK), queued on ram0
 *   complete  -> clean; drop_caches may now free it
 */
#include <unistd.h>

#include "../linmm_test.h"

#include <linmm/blkdev.h>
#include <linmm/fs.h>
#include <linmm/pagemap.h>
#include <linmm/sched.h>
#include <linmm/swap.h>
#include <linmm/vmstat.h>
#include <linmm/writeback.h>

static struct task_struct *p;

static int setup(void **state)
{
	(void)state;
	boot_or_fail("mem=512M");
	p = linmm_spawn("p");
	assert_non_null(p);
	return 0;
}

static void check(void)
{
	assert_int_equal(validate_page_cache(), 0);
	check_machine();
}

static long node_stat(enum node_stat_item item)
{
	refresh_vm_stats();
	return global_node_page_state(item);
}

static char buf[1 << 20];

/* Create @path with @len bytes of pattern (byte i = i * 7 + seed); return its fd (O_RDWR). */
static int make_file(const char *path, size_t len, unsigned int seed)
{
	int fd = linmm_open(p, path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)(i * 7 + seed);
	assert_int_equal(linmm_write(p, fd, buf, len), (long)len);
	check();
	return fd;
}

static void test_write_read_counters(void **state)
{
	char out[8000];
	int fd;

	(void)state;
	/* 3 pages + 100 bytes: 4 dirty pages. */
	fd = make_file("/a", 3 * 4096 + 100, 1);
	assert_int_equal(node_stat(NR_FILE_PAGES), 4);
	assert_int_equal(node_stat(NR_FILE_DIRTY), 4);
	assert_int_equal(node_stat(NR_INACTIVE_FILE), 4);
	assert_int_equal(node_stat(NR_ACTIVE_FILE), 0);
	assert_int_equal(linmm_lseek(p, fd, 4000, SEEK_SET), 4000);
	assert_int_equal(linmm_read(p, fd, out, sizeof(out)), sizeof(out));
	for (size_t i = 0; i < sizeof(out); i++)
		assert_int_equal((unsigned char)out[i], (unsigned char)((4000 + i) * 7 + 1));
	/* Short read at EOF, then 0. */
	assert_int_equal(linmm_read(p, fd, out, sizeof(out)), 3 * 4096 + 100 - 12000);
	assert_int_equal(linmm_read(p, fd, out, sizeof(out)), 0);
	check();
	/* fsync: clean, written (4 pages = 32 sectors = 16 KiB of pgpgout). */
	assert_int_equal(linmm_fsync(p, fd), 0);
	assert_int_equal(node_stat(NR_FILE_DIRTY), 0);
	assert_int_equal(node_stat(NR_WRITEBACK), 0);
	assert_int_equal(node_stat(NR_WRITTEN), 4);
	assert_int_equal(sum_vm_event(PGPGOUT), 32);
	assert_int_equal(ram0->ios[BDEV_WRITE], 1);	/* consecutive blocks: one request */
	assert_int_equal(ram0->merges[BDEV_WRITE], 3);
	assert_int_equal(node_stat(NR_FILE_PAGES), 4);	/* still cached */
	check();
	assert_int_equal(linmm_close(p, fd), 0);
	check();
}

static void test_dirty_writeback_clean(void **state)
{
	struct file *file;
	struct page *page;
	int fd;

	(void)state;
	fd = make_file("/b", 8 * 4096, 2);
	file = fget(p, fd);
	page = find_get_page(file->f_mapping, 3);
	assert_non_null(page);
	assert_true(PageDirty(page) && PageUptodate(page) && PageLRU(page));
	assert_ptr_equal(page->mapping, file->f_mapping);
	assert_int_equal(page->index, 3);
	/* A slow disk: writes stay in flight until the clock passes them. */
	ram0->latency_ns = 1000000;	/* 1 ms per request */
	assert_int_equal(filemap_fdatawrite(file->f_mapping), 0);
	assert_false(PageDirty(page));
	assert_true(PageWriteback(page));
	assert_true(xa_get_mark(&file->f_mapping->i_pages, 3, PAGECACHE_TAG_WRITEBACK));
	assert_false(xa_get_mark(&file->f_mapping->i_pages, 3, PAGECACHE_TAG_DIRTY));
	assert_int_equal(node_stat(NR_FILE_DIRTY), 0);
	assert_int_equal(node_stat(NR_WRITEBACK), 8);
	check();
	/* A file system call before the request is done completes nothing. */
	assert_int_equal(linmm_lseek(p, fd, 0, SEEK_CUR), 8 * 4096);
	assert_int_equal(node_stat(NR_WRITEBACK), 8);
	/* Waiting advances the clock to the completion. */
	{
		u64 before = local_clock();

		assert_int_equal(filemap_fdatawait(file->f_mapping), 0);
		assert_true(local_clock() - before <= 1000000 && local_clock() > before);
	}
	assert_false(PageWriteback(page));
	assert_int_equal(node_stat(NR_WRITEBACK), 0);
	check();
	/* Redirty one page: one dirty page, one dirty tag. */
	assert_int_equal(linmm_pwrite(p, fd, "x", 1, 3 * 4096 + 5), 1);
	assert_true(PageDirty(page));
	assert_int_equal(node_stat(NR_FILE_DIRTY), 1);
	check();
	put_page(page);
	fput(file);
	assert_int_equal(linmm_close(p, fd), 0);
}

/* Windows seen by the readahead hook. */
static struct { pgoff_t start; unsigned long size, async; } windows[64];
static int nr_windows;

static void record_window(struct file *file, pgoff_t start, unsigned long size,
			  unsigned long async_size)
{
	(void)file;
	if (nr_windows < 64)
		windows[nr_windows++] = (typeof(windows[0])){ start, size, async_size };
}

static void test_readahead_windows(void **state)
{
	unsigned long reads_before;
	char out[4096];
	int fd;

	(void)state;
	fd = make_file("/big", 1 << 20, 3);		/* 256 pages */
	assert_int_equal(linmm_close(p, fd), 0);
	linmm_sync();
	assert_int_equal(linmm_sysctl_write("vm.drop_caches", "1"), 0);
	assert_int_equal(node_stat(NR_FILE_PAGES), 0);
	check();
	linmm_readahead_hook = record_window;
	nr_windows = 0;
	reads_before = ram0->ios[BDEV_READ];
	fd = linmm_open(p, "/big", O_RDONLY, 0);
	for (int i = 0; i < 256; i++) {
		assert_int_equal(linmm_read(p, fd, out, sizeof(out)), sizeof(out));
		assert_int_equal((unsigned char)out[17], (unsigned char)((i * 4096 + 17) * 7 + 3));
	}
	linmm_readahead_hook = NULL;
	check();
	/*
	 * The kernel's ramp for 4 KiB sequential reads with ra_pages 32:
	 *   [0,4) async 3 -> [4,12) 8 -> [12,28) 16 -> [28,60) 32 -> then 32 per window
	 */
	assert_true(nr_windows >= 8);
	assert_int_equal(windows[0].start, 0);
	assert_int_equal(windows[0].size, 4);
	assert_int_equal(windows[0].async, 3);
	assert_int_equal(windows[1].start, 4);
	assert_int_equal(windows[1].size, 8);
	assert_int_equal(windows[1].async, 8);
	assert_int_equal(windows[2].start, 12);
	assert_int_equal(windows[2].size, 16);
	assert_int_equal(windows[3].start, 28);
	assert_int_equal(windows[3].size, 32);
	for (int w = 4; w < nr_windows; w++) {
		assert_int_equal(windows[w].start, windows[w - 1].start + windows[w - 1].size);
		assert_int_equal(windows[w].size, 32);
	}
	/* Every page was read once, one request per window of consecutive blocks. */
	assert_int_equal(node_stat(NR_FILE_PAGES), 256);
	assert_int_equal(ram0->ios[BDEV_READ] - reads_before, (unsigned long)nr_windows);
	assert_int_equal(sum_vm_event(PGPGIN), 256 * 8);
	assert_int_equal(linmm_close(p, fd), 0);
}

static void test_sharing_and_activation(void **state)
{
	struct task_struct *q = linmm_spawn("q");
	unsigned long reads;
	struct page *page;
	struct file *file;
	char out[100];
	int fd, fd2, fdq;

	(void)state;
	fd = make_file("/s", 4096, 4);
	assert_int_equal(linmm_fsync(p, fd), 0);
	file = fget(p, fd);
	page = find_get_page(file->f_mapping, 0);
	/* The write did not count as an access: inactive, unreferenced. */
	assert_false(PageReferenced(page) || PageActive(page));
	reads = ram0->ios[BDEV_READ];
	/* First read: referenced.  Re-reading the same page through the same file: no change. */
	assert_int_equal(linmm_pread(p, fd, out, 100, 0), 100);
	assert_true(PageReferenced(page) && !PageActive(page));
	assert_int_equal(linmm_lseek(p, fd, 0, SEEK_SET), 0);
	assert_int_equal(linmm_read(p, fd, out, 100), 100);
	assert_int_equal(linmm_read(p, fd, out, 100), 100);
	assert_false(PageActive(page));
	/* Another task's file: the same page (no I/O), and the second access activates it. */
	fdq = linmm_open(q, "/s", O_RDONLY, 0);
	assert_true(fdq >= 0);
	assert_int_equal(linmm_read(q, fdq, out, 100), 100);
	assert_int_equal((unsigned char)out[5], (unsigned char)(5 * 7 + 4));
	assert_true(PageActive(page) && !PageReferenced(page));
	assert_int_equal(ram0->ios[BDEV_READ], reads);
	assert_int_equal(node_stat(NR_ACTIVE_FILE), 1);
	assert_int_equal(node_stat(NR_INACTIVE_FILE), 0);
	assert_true(sum_vm_event(PGACTIVATE) >= 1);
	check();
	/* Two descriptors of one task share the inode, not the offset. */
	fd2 = linmm_open(p, "/s", O_RDONLY, 0);
	assert_int_equal(linmm_lseek(p, fd2, 0, SEEK_CUR), 0);
	assert_int_equal(fd2, fd + 1);
	put_page(page);
	fput(file);
	linmm_task_exit(q);	/* closes its file */
	check();
}

static void test_drop_caches(void **state)
{
	int fd;

	(void)state;
	fd = make_file("/c", 10 * 4096, 5);
	/* Dirty pages survive drop_caches; after sync they go. */
	assert_int_equal(linmm_sysctl_write("vm.drop_caches", "1"), 0);
	assert_int_equal(node_stat(NR_FILE_PAGES), 10);
	linmm_sync();
	assert_int_equal(node_stat(NR_FILE_DIRTY), 0);
	assert_int_equal(linmm_sysctl_write("vm.drop_caches", "3"), 0);
	assert_int_equal(node_stat(NR_FILE_PAGES), 0);
	assert_int_equal(node_stat(NR_INACTIVE_FILE), 0);
	assert_int_equal(sum_vm_event(DROP_PAGECACHE), 2);	/* one per write, as the kernel */
	assert_int_equal(sum_vm_event(DROP_SLAB), 1);
	assert_true(dmesg_contains("sysctl (0): drop_caches: 3"));
	assert_null(linmm_sysctl_read("vm.drop_caches"));	/* write-only */
	check();
	/* The data comes back from ram0. */
	assert_int_equal(linmm_pread(p, fd, buf, 10 * 4096, 0), 10 * 4096);
	assert_int_equal((unsigned char)buf[40000], (unsigned char)(40000 * 7 + 5));
	check();
	assert_int_equal(linmm_close(p, fd), 0);
}

static void test_unlink_while_open(void **state)
{
	struct linmm_stat st;
	int fd, fd2;

	(void)state;
	fd = make_file("/u", 5 * 4096, 6);
	assert_int_equal(linmm_unlink(p, "/u"), 0);
	assert_int_equal(linmm_open(p, "/u", O_RDONLY, 0), -ENOENT);
	assert_int_equal(linmm_unlink(p, "/u"), -ENOENT);
	/* Still readable and writable through the open file. */
	assert_int_equal(linmm_fstat(p, fd, &st), 0);
	assert_int_equal(st.st_nlink, 0);
	assert_int_equal(st.st_size, 5 * 4096);
	assert_int_equal(st.st_blocks, 5 * 8);
	assert_int_equal(linmm_pread(p, fd, buf, 10, 4096), 10);
	assert_int_equal((unsigned char)buf[3], (unsigned char)((4096 + 3) * 7 + 6));
	assert_int_equal(node_stat(NR_FILE_PAGES), 5);
	check();
	/* A new file of the same name is another inode. */
	fd2 = linmm_open(p, "/u", O_RDWR | O_CREAT | O_EXCL, 0600);
	assert_true(fd2 >= 0);
	assert_int_equal(linmm_open(p, "/u", O_RDWR | O_CREAT | O_EXCL, 0600), -EEXIST);
	/* The last close frees the unlinked file's pages (dirty ones unwritten) and blocks. */
	assert_int_equal(linmm_close(p, fd), 0);
	assert_int_equal(node_stat(NR_FILE_PAGES), 0);
	assert_int_equal(node_stat(NR_FILE_DIRTY), 0);
	assert_int_equal(sum_vm_event(PGPGOUT), 0);
	check();
	assert_int_equal(linmm_close(p, fd2), 0);
	assert_int_equal(linmm_close(p, fd2), -EBADF);
}

static void test_truncate(void **state)
{
	int fd;

	(void)state;
	fd = make_file("/t", 4 * 4096, 7);
	linmm_sync();
	/* Shrink into the middle of page 1: pages 2 and 3 go, page 1's tail is zeroed. */
	assert_int_equal(linmm_ftruncate(p, fd, 5000), 0);
	assert_int_equal(node_stat(NR_FILE_PAGES), 2);
	check();
	assert_int_equal(linmm_ftruncate(p, fd, 4 * 4096), 0);	/* holes again */
	assert_int_equal(linmm_pread(p, fd, buf, 4 * 4096, 0), 4 * 4096);
	assert_int_equal((unsigned char)buf[4999], (unsigned char)(4999 * 7 + 7));
	for (int i = 5000; i < 4 * 4096; i++)
		assert_int_equal(buf[i], 0);
	/* The same after the cache is dropped: the tail was zeroed on disk too. */
	linmm_sync();
	assert_int_equal(linmm_sysctl_write("vm.drop_caches", "1"), 0);
	assert_int_equal(linmm_pread(p, fd, buf, 4 * 4096, 0), 4 * 4096);
	for (int i = 5000; i < 4 * 4096; i++)
		assert_int_equal(buf[i], 0);
	check();
	assert_int_equal(linmm_ftruncate(p, fd, -1), -EINVAL);
	assert_int_equal(linmm_close(p, fd), 0);
}

static void test_errors(void **state)
{
	char c;
	int fd;

	(void)state;
	assert_int_equal(linmm_open(p, "/none", O_RDONLY, 0), -ENOENT);
	assert_int_equal(linmm_open(p, "", O_RDONLY, 0), -ENOENT);
	assert_int_equal(linmm_open(p, "rel", O_RDONLY | O_CREAT, 0), -EINVAL);
	assert_int_equal(linmm_open(p, "/", O_RDWR, 0), -EISDIR);
	fd = linmm_open(p, "/", O_RDONLY, 0);
	assert_true(fd >= 0);
	assert_int_equal(linmm_read(p, fd, &c, 1), -EISDIR);
	assert_int_equal(linmm_close(p, fd), 0);
	assert_int_equal(linmm_read(p, 42, &c, 1), -EBADF);
	assert_int_equal(linmm_write(p, -1, &c, 1), -EBADF);
	fd = linmm_open(p, "/e", O_WRONLY | O_CREAT, 0644);
	assert_int_equal(linmm_read(p, fd, &c, 1), -EBADF);
	assert_int_equal(linmm_lseek(p, fd, -1, SEEK_SET), -EINVAL);
	assert_int_equal(linmm_lseek(p, fd, 0, 7), -EINVAL);
	assert_int_equal(linmm_pwrite(p, fd, &c, 1, -1), -EINVAL);
	assert_int_equal(linmm_close(p, fd), 0);
	fd = linmm_open(p, "/e", O_RDONLY, 0);
	assert_int_equal(linmm_write(p, fd, &c, 1), -EBADF);
	assert_int_equal(linmm_ftruncate(p, fd, 0), -EINVAL);
	assert_int_equal(linmm_close(p, fd), 0);
	memset(buf, 'n', 300);
	buf[299] = '\0';
	assert_int_equal(linmm_open(p, buf, O_RDONLY, 0), -ENAMETOOLONG);
	check();
}

static void test_append(void **state)
{
	char out[16];
	int fd;

	(void)state;
	fd = linmm_open(p, "/ap", O_RDWR | O_CREAT | O_APPEND, 0644);
	assert_int_equal(linmm_write(p, fd, "abc", 3), 3);
	assert_int_equal(linmm_lseek(p, fd, 0, SEEK_SET), 0);
	assert_int_equal(linmm_write(p, fd, "de", 2), 2);
	/* pwrite on an O_APPEND file appends too, as on Linux. */
	assert_int_equal(linmm_pwrite(p, fd, "f", 1, 0), 1);
	assert_int_equal(linmm_pread(p, fd, out, sizeof(out), 0), 6);
	assert_memory_equal(out, "abcdef", 6);
	assert_int_equal(linmm_close(p, fd), 0);
	check();
}

static void test_periodic_writeback(void **state)
{
	int fd;

	(void)state;
	fd = make_file("/w", 3 * 4096, 8);
	/* Not expired yet after 20 s (dirty_expire_centisecs 3000)... */
	wb_sleep(20ULL * 1000000000);
	assert_int_equal(node_stat(NR_FILE_DIRTY), 3);
	/* ... written by the first flusher run after 30 s (every 5 s). */
	wb_sleep(11ULL * 1000000000);
	assert_int_equal(node_stat(NR_FILE_DIRTY), 0);
	assert_int_equal(node_stat(NR_WRITEBACK), 0);
	assert_int_equal(wb_stats.written[WB_REASON_PERIODIC], 3);
	check();
	assert_int_equal(linmm_close(p, fd), 0);
}

static void test_throttling(void **state)
{
	unsigned long bg, thresh;
	u64 before;
	int fd;

	(void)state;
	/* 2 MiB hard limit, 1 MiB background, a disk of 100 us per request. */
	assert_int_equal(linmm_sysctl_write("vm.dirty_bytes", "2097152"), 0);
	assert_int_equal(linmm_sysctl_write("vm.dirty_background_bytes", "1048576"), 0);
	global_dirty_limits(&bg, &thresh);
	assert_int_equal(thresh, 512);
	assert_int_equal(bg, 256);
	fd = linmm_open(p, "/th", O_WRONLY | O_CREAT, 0644);
	ram0->latency_ns = 100000;
	before = local_clock();
	for (int i = 0; i < 8; i++) {
		memset(buf, 'a' + i, 1 << 20);
		assert_int_equal(linmm_write(p, fd, buf, 1 << 20), 1 << 20);
		/* The writer never leaves more than the limit dirty or in flight. */
		assert_true(node_stat(NR_FILE_DIRTY) + node_stat(NR_WRITEBACK) <= 512 + 32);
		check();
	}
	assert_true(wb_stats.written[WB_REASON_BACKGROUND] > 0);
	assert_true(wb_stats.throttled > 0);
	assert_true(local_clock() > before);	/* the throttled writer slept */
	assert_int_equal(linmm_fsync(p, fd), 0);
	assert_int_equal(node_stat(NR_FILE_DIRTY) + node_stat(NR_WRITEBACK), 0);
	assert_int_equal(linmm_close(p, fd), 0);
	check();
}

static void test_load(void **state)
{
	char path[] = "/tmp/linmm_load_XXXXXX";
	int hfd = mkstemp(path);
	int fd;

	(void)state;
	assert_true(hfd >= 0);
	for (int i = 0; i < 100000; i++)
		buf[i] = (char)(i % 251);
	assert_int_equal(write(hfd, buf, 100000), 100000);
	close(hfd);
	assert_int_equal(linmm_load_file(path, "/data/x"), 100000);
	assert_int_equal(linmm_load_file("/nonexistent/linmm", "/data/y"), -ENOENT);
	unlink(path);
	assert_int_equal(node_stat(NR_FILE_DIRTY), 0);		/* synced */
	assert_int_equal(node_stat(NR_FILE_PAGES), 25);
	fd = linmm_open(p, "/data/x", O_RDONLY, 0);
	memset(buf, 0, 100000);
	assert_int_equal(linmm_read(p, fd, buf, 200000), 100000);
	for (int i = 0; i < 100000; i++)
		assert_int_equal((unsigned char)buf[i], i % 251);
	assert_int_equal(linmm_close(p, fd), 0);
	check();
}

static void test_fork_shares_files(void **state)
{
	struct task_struct *child;
	char out[8];
	int fd;

	(void)state;
	fd = make_file("/f", 100, 9);
	assert_int_equal(linmm_lseek(p, fd, 10, SEEK_SET), 10);
	child = linmm_fork(p);
	assert_non_null(child);
	/* One open file, two descriptors: the offset is shared, as after fork(2). */
	assert_int_equal(linmm_read(child, fd, out, 5), 5);
	assert_int_equal((unsigned char)out[0], (unsigned char)(10 * 7 + 9));
	assert_int_equal(linmm_lseek(p, fd, 0, SEEK_CUR), 15);
	assert_int_equal(linmm_close(p, fd), 0);
	assert_int_equal(linmm_read(child, fd, out, 5), 5);	/* still open in the child */
	assert_int_equal(linmm_read(p, fd, out, 5), -EBADF);
	linmm_task_exit(child);		/* the last reference */
	assert_int_equal(linmm_unlink(p, "/f"), 0);
	assert_int_equal(node_stat(NR_FILE_PAGES), 0);
	check();
}

/* 32-bit with HighMem: page-cache pages come from ZONE_HIGHMEM and are copied through kmap. */
static void test_highmem_page_cache(void **state)
{
	unsigned long highmem_pages = 0, index;
	struct file *file;
	struct page *page;
	int fd;

	(void)state;
	linmm_shutdown();
	boot_or_fail("mem=2G arch=x86_32");
	p = linmm_spawn("p");
	fd = make_file("/h", 1 << 20, 10);	/* then 7 more MiB of the same pattern */
	for (int mb = 1; mb < 8; mb++) {
		for (int i = 0; i < 1 << 20; i++)
			buf[i] = (char)(((mb << 20) + i) * 7 + 10);
		assert_int_equal(linmm_write(p, fd, buf, 1 << 20), 1 << 20);
	}
	linmm_sync();
	assert_int_equal(linmm_sysctl_write("vm.drop_caches", "1"), 0);
	assert_int_equal(linmm_pread(p, fd, buf, 1 << 20, 7 << 20), 1 << 20);
	for (int i = 0; i < 1 << 20; i += 4093)
		assert_int_equal((unsigned char)buf[i], (unsigned char)(((7 << 20) + i) * 7 + 10));
	file = fget(p, fd);
	xa_for_each(&file->f_mapping->i_pages, index, page)
		highmem_pages += PageHighMem(page);
	fput(file);
	assert_true(highmem_pages > 0);
	check();
	assert_int_equal(linmm_close(p, fd), 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, linmm_test_shutdown)
	const struct CMUnitTest tests[] = {
		T(test_write_read_counters), T(test_dirty_writeback_clean), T(test_readahead_windows),
		T(test_sharing_and_activation), T(test_drop_caches), T(test_unlink_while_open),
		T(test_truncate), T(test_errors), T(test_append), T(test_periodic_writeback),
		T(test_throttling), T(test_load), T(test_fork_shares_files), T(test_highmem_page_cache),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
