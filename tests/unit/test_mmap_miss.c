// SPDX-License-Identifier: MIT
/*
 * test_mmap_miss.c - the mmap_miss heuristic and the fault-time readahead
 * windows (mm/filemap.c do_sync_mmap_readahead, do_async_mmap_readahead,
 * filemap_map_pages; mm/readahead.c page_cache_ra_order).
 *
 * A sparse, never-cached 16 MiB linmmfs file (4096 pages), ra_pages 32.
 * Faults land 33 pages apart, so no read-around window meets another:
 *
 *   file pages  |[--32--].[--32--].[--32--]. ...   window k: [33k, 33k+32)
 *   faults           ^ 33k+16
 *
 * Write faults (COW) take no fault-around: each miss is +1, and from the
 * 101st on the fault reads its page alone.  Read faults hit their own
 * read-around on the retry (fault-around counts 16 cached pages), so read
 * misses never stop read-around, as on the host (test_filemap_diff).
 * Every step checks the page cache, the VMAs, the page tables and the
 * machine.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "../linmm_test.h"

#include <linmm/fs.h>
#include <linmm/memory.h>
#include <linmm/mmap.h>
#include <linmm/mmu.h>
#include <linmm/pagemap.h>
#include <linmm/sched.h>
#include <linmm/vmstat.h>

/* 4096 pages: the page cache iterates across xarray levels (index 4095 -> 4096 and past EOF). */
#define FILE_PAGES 4096UL
#define P 4096UL

static struct task_struct *p;
static struct file *file;
static int fd;

static int setup(void **state)
{
	(void)state;
	boot_or_fail("mem=256M");
	p = linmm_spawn("p");
	assert_non_null(p);
	fd = linmm_open(p, "/big", O_RDWR | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(linmm_ftruncate(p, fd, (loff_t)(FILE_PAGES * P)), 0);
	file = fget(p, fd);
	assert_non_null(file);
	assert_int_equal(file->f_ra.ra_pages, 32);
	assert_int_equal(file->f_mapping->nrpages, 0);
	return 0;
}

static int teardown(void **state)
{
	fput(file);
	return linmm_test_shutdown(state);
}

static void check(void)
{
	if (validate_page_cache()) {
		char *log = linmm_dmesg(7);

		const char *e = log ? strstr(log, "page cache:") : NULL;

		fail_msg("%.300s", e ? e : "validate_page_cache");
	}
	assert_int_equal(validate_mm(p->mm), 0);
	assert_int_equal(validate_page_tables(p->mm), 0);
	check_machine();
}

static bool cached(pgoff_t index)
{
	struct page *page = find_get_page(file->f_mapping, index);

	if (page)
		put_page(page);
	return page != NULL;
}

/* One access at file page @pg of the mapping at @map; returns the pages it brought into the cache. */
static unsigned long fault_at(unsigned long map, pgoff_t pg, enum linmm_access acc,
			      bool major)
{
	unsigned long before = file->f_mapping->nrpages, maj = p->maj_flt, min = p->min_flt;

	assert_int_equal(linmm_touch(p, map + pg * P, 1, acc), 0);
	/* A retried fault is one fault, a major one. */
	assert_int_equal(p->maj_flt - maj, major ? 1 : 0);
	assert_int_equal(p->min_flt - min, major ? 0 : 1);
	check();
	return file->f_mapping->nrpages - before;
}

static unsigned long map_file(unsigned long prot, unsigned long flags)
{
	unsigned long a = linmm_mmap(p, 0, FILE_PAGES * P, prot, flags, fd, 0);

	assert_false(IS_ERR_VALUE(a));
	return a;
}

/* Write misses: 100 read-arounds, then single pages; fault-around hits bring it back. */
static void test_write_misses_stop_read_around(void **state)
{
	unsigned long map = map_file(PROT_READ | PROT_WRITE, MAP_PRIVATE);
	pgoff_t k;

	(void)state;
	for (k = 0; k < 110; k++) {
		unsigned long got = fault_at(map, 33 * k + 16, LINMM_ACCESS_WRITE, true);

		assert_int_equal(file->f_ra.mmap_miss, k + 1);
		/* [33k, 33k+32) around the page, or the page alone once mmap_miss > 100. */
		assert_int_equal(got, k < 100 ? 32 : 1);
		assert_int_equal(cached(33 * k), k < 100);
	}
	/*
	 * A read fault on a cached, unmapped page: fault-around counts the
	 * cached pages of its 64 KiB window but the readahead mark (page 24,
	 * window [0, 32) async 8): 15 hits, 110 -> 95.
	 *   window  [16 ....... 24 ....... 32)   page 17 faults
	 */
	assert_int_equal(fault_at(map, 17, LINMM_ACCESS_READ, false), 0);
	assert_int_equal(file->f_ra.mmap_miss, 95);
	/* A write hit on a cached page (->fault finds it): one hit. */
	assert_int_equal(fault_at(map, 5, LINMM_ACCESS_WRITE, false), 0);
	assert_int_equal(file->f_ra.mmap_miss, 94);
	/* 95 .. 100 read around again, 101 not. */
	for (k = 110; k < 118; k++)
		assert_int_equal(fault_at(map, 33 * k + 16, LINMM_ACCESS_WRITE, true),
				 k < 116 ? 32 : 1);
	assert_int_equal(file->f_ra.mmap_miss, 102);
}

/* Random read misses: the retry's fault-around cancels each miss; read-around never stops. */
static void test_read_misses_keep_read_around(void **state)
{
	unsigned long map = map_file(PROT_READ, MAP_SHARED);
	unsigned long misses = 0;
	u32 seed = 12345;

	(void)state;
	for (int i = 0; i < 300; i++) {
		pgoff_t pg;
		unsigned long got;

		seed = seed * 1103515245 + 12345;
		pg = (seed >> 8) % FILE_PAGES;
		if (cached(pg)) {	/* a hit, or no fault at all if mapped already */
			assert_int_equal(linmm_touch(p, map + pg * P, 1, LINMM_ACCESS_READ), 0);
			check();
			continue;
		}
		got = fault_at(map, pg, LINMM_ACCESS_READ, true);
		misses++;
		assert_true(got > 1);	/* read-around, every time */
		assert_int_equal(file->f_ra.mmap_miss, 0);
	}
	assert_true(misses > 50);
}

/*
 * Exec mappings read from the page on, clipped to the VMA, even under
 * MADV_RANDOM; VM_HUGEPAGE reads two PMD units without touching mmap_miss.
 *
 *   exec VMA   [pgoff 3000 ......... 3020)     fault at 3010 (a write: no fault-around)
 *   cached                [3010 ..... 3020)
 *   hugepage   fault at 700: [512 .............. 1536), PG_readahead on 1024
 */
static void test_exec_and_hugepage_windows(void **state)
{
	unsigned long ex = linmm_mmap(p, 0, 20 * P, PROT_READ | PROT_WRITE | PROT_EXEC,
				      MAP_PRIVATE, fd, 3000 * P);
	unsigned long map = map_file(PROT_READ | PROT_WRITE, MAP_PRIVATE);
	struct page *page;

	(void)state;
	assert_false(IS_ERR_VALUE(ex));
	assert_int_equal(linmm_madvise(p, ex, 20 * P, MADV_RANDOM), 0);
	assert_int_equal(fault_at(ex, 10, LINMM_ACCESS_WRITE, true), 10);
	assert_true(cached(3010) && cached(3019) && !cached(3009) && !cached(3020));
	assert_int_equal(file->f_ra.mmap_miss, 1);

	assert_int_equal(linmm_madvise(p, map, FILE_PAGES * P, MADV_HUGEPAGE), 0);
	assert_int_equal(fault_at(map, 700, LINMM_ACCESS_WRITE, true), 1024);
	assert_true(cached(512) && cached(1535) && !cached(511) && !cached(1536));
	page = find_get_page(file->f_mapping, 1024);
	assert_true(page && PageReadahead(page));
	put_page(page);
	assert_int_equal(file->f_ra.mmap_miss, 1);

	/* Still VM_HUGEPAGE under MADV_RANDOM: one unit, [1536, 2048). */
	assert_int_equal(linmm_madvise(p, map, FILE_PAGES * P, MADV_RANDOM), 0);
	assert_int_equal(fault_at(map, 2000, LINMM_ACCESS_WRITE, true), 512);
	/* MADV_RANDOM without exec: the page alone, no count; MADV_SEQUENTIAL: readahead, no count. */
	assert_int_equal(linmm_madvise(p, map, FILE_PAGES * P, MADV_NOHUGEPAGE), 0);
	assert_int_equal(fault_at(map, 2200, LINMM_ACCESS_WRITE, true), 1);
	assert_int_equal(linmm_madvise(p, map, FILE_PAGES * P, MADV_SEQUENTIAL), 0);
	assert_true(fault_at(map, 2500, LINMM_ACCESS_WRITE, true) > 1);
	assert_int_equal(file->f_ra.mmap_miss, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_write_misses_stop_read_around, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_misses_keep_read_around, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_and_hugepage_windows, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
