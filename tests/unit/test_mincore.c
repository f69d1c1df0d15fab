// SPDX-License-Identifier: MIT
/*
 * test_mincore.c - mincore(2) (mm/mincore.c): the argument checks and their
 * errno, what vec holds up to a hole, and residency of anonymous, file and
 * shmem pages through faults, MADV_DONTNEED, truncation, drop_caches, fork
 * and COW, migration entries; both the kernel-buffer form (linmm_mincore)
 * and the system call writing vec into task memory (linmm_sys_mincore).
 *
 * A vector is shown as a string, one character per page from BASE: '1'
 * resident, '0' not, '-' an entry mincore left untouched (the buffer is
 * filled with 0xee first):
 *
 *   BASE   page 0  1  2  3  4  5  6  7
 *   VMA         A  A  A  A  .  B  B  B      mincore(BASE, 8 pages)
 *   vec         1  0  1  0  -  -  -  -      -> -ENOMEM at the hole
 *
 * validate_mm(), validate_page_tables(), validate_page_cache() and
 * check_machine() run after every step.
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
#include <linmm/swapops.h>
#include <linmm/uaccess.h>

#define P PAGE_SIZE
#define BASE 0x10000000UL
#define PG(i) (BASE + (unsigned long)(i) * P)
#define RW (PROT_READ | PROT_WRITE)
#define FIXED (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
#define UNTOUCHED 0xee
#define MAX_VEC 64

static struct task_struct *p, *c;	/* c: a fork child, if any */

static void check_task(struct task_struct *t)
{
	assert_int_equal(validate_mm(t->mm), 0);
	assert_int_equal(validate_page_tables(t->mm), 0);
}

static void check(void)
{
	assert_int_equal(validate_page_cache(), 0);
	check_task(p);
	if (c)
		check_task(c);
	check_machine();
}

static void boot_task(const char *cmdline)
{
	boot_or_fail(cmdline);
	p = linmm_spawn("p");
	assert_non_null(p);
	c = NULL;
}

static int setup(void **state)
{
	(void)state;
	boot_task("mem=256M");
	return 0;
}

/* @vec's first @n entries as '0'/'1', '-' where untouched; in a static buffer. */
static const char *vec_to_str(const unsigned char *vec, unsigned long n)
{
	static char buf[MAX_VEC + 1];

	assert_true(n <= MAX_VEC);
	for (unsigned long i = 0; i < n; i++)
		buf[i] = vec[i] == UNTOUCHED ? '-' : vec[i] == 1 ? '1' : vec[i] == 0 ? '0' : '?';
	buf[n] = '\0';
	return buf;
}

/*
 * linmm_mincore() of @n pages from page @first of BASE in @t; *@ret its
 * result.  Return: the vector as a string (vec_to_str()).
 */
static const char *mincore_of(struct task_struct *t, unsigned long first, unsigned long n,
			      int *ret)
{
	static unsigned char vec[MAX_VEC];

	memset(vec, UNTOUCHED, sizeof(vec));
	*ret = linmm_mincore(t, PG(first), n * P, vec);
	check();
	return vec_to_str(vec, n);
}

/* The vector of @n pages from page @first that must succeed. */
static const char *resident(struct task_struct *t, unsigned long first, unsigned long n)
{
	int ret;
	const char *s = mincore_of(t, first, n, &ret);

	assert_int_equal(ret, 0);
	return s;
}

static void map_anon(unsigned long first, unsigned long n, int flags)
{
	assert_int_equal(linmm_mmap(p, PG(first), n * P, RW, (unsigned long)flags, -1, 0),
			 PG(first));
	check();
}

static void store(struct task_struct *t, unsigned long page, char byte)
{
	assert_int_equal(linmm_user_write(t, PG(page), &byte, 1), 0);
	check();
}

static void load(struct task_struct *t, unsigned long page)
{
	char byte;

	assert_int_equal(linmm_user_read(t, PG(page), &byte, 1), 0);
	check();
}

/* A file of @pages pages of @byte, written and synced (clean in the cache). */
static int make_file(const char *path, unsigned long pages, char byte)
{
	static char buf[16 * 4096];
	int fd = linmm_open(p, path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_true(pages * P <= sizeof(buf));
	memset(buf, byte, pages * P);
	assert_int_equal(linmm_write(p, fd, buf, pages * P), (long)(pages * P));
	assert_int_equal(linmm_fsync(p, fd), 0);
	check();
	return fd;
}

static void drop_caches(void)
{
	assert_int_equal(linmm_sysctl_write("vm.drop_caches", "1"), 0);
	check();
}

/*
 * The checks in the kernel's order and what vec holds on an error:
 *
 *   page  0 1 2 3 4 5 6 7
 *         A A A A . B B B        A written at 0 and 2
 */
static void test_errors(void **state)
{
	unsigned char vec[4] = { UNTOUCHED, UNTOUCHED, UNTOUCHED, UNTOUCHED };
	int ret;

	(void)state;
	map_anon(0, 4, FIXED);
	map_anon(5, 3, FIXED);
	store(p, 0, 'a');
	store(p, 2, 'b');

	/* An unaligned start is checked first, even with len 0. */
	assert_int_equal(linmm_mincore(p, PG(0) + 1, P, vec), -EINVAL);
	assert_int_equal(linmm_mincore(p, PG(0) + 1, 0, vec), -EINVAL);
	/* len 0 is nothing to do, mapped or not. */
	assert_int_equal(linmm_mincore(p, PG(4), 0, vec), 0);
	assert_int_equal(linmm_mincore(p, 0, 0, vec), 0);
	assert_string_equal(vec_to_str(vec, 4), "----");
	/* Beyond user space, or wrapping: -ENOMEM before any VMA is looked at. */
	assert_int_equal(linmm_mincore(p, TASK_SIZE_MAX, P, vec), -ENOMEM);
	assert_int_equal(linmm_mincore(p, TASK_SIZE_MAX - P, 2 * P, vec), -ENOMEM);
	assert_int_equal(linmm_mincore(p, PG(0), ~0UL - PG(0) + 2, vec), -ENOMEM);
	assert_int_equal(linmm_mincore(p, TASK_SIZE_MAX, 0, vec), 0);
	assert_int_equal(linmm_mincore(p, TASK_SIZE_MAX + P, 0, vec), -ENOMEM);
	assert_string_equal(vec_to_str(vec, 4), "----");

	/* len rounds up: one byte for one page. */
	assert_string_equal(mincore_of(p, 0, 4, &ret), "1010");
	memset(vec, UNTOUCHED, sizeof(vec));
	assert_int_equal(linmm_mincore(p, PG(2), 1, vec), 0);
	assert_string_equal(vec_to_str(vec, 4), "1---");
	memset(vec, UNTOUCHED, sizeof(vec));
	assert_int_equal(linmm_mincore(p, PG(1), P + 1, vec), 0);
	assert_string_equal(vec_to_str(vec, 4), "01--");

	/* A hole: the entries before it are filled, nothing after it. */
	assert_string_equal(mincore_of(p, 0, 8, &ret), "1010----");
	assert_int_equal(ret, -ENOMEM);
	assert_string_equal(mincore_of(p, 4, 4, &ret), "----");
	assert_int_equal(ret, -ENOMEM);
	assert_string_equal(mincore_of(p, 5, 3, &ret), "000");
	assert_int_equal(ret, 0);
	/* The range may end in a hole too; the last VMA's pages come first. */
	assert_string_equal(mincore_of(p, 5, 4, &ret), "000-");
	assert_int_equal(ret, -ENOMEM);
}

/*
 * Anonymous memory: the zero page after a read fault is a present PTE
 * (1); MADV_DONTNEED empties the PTEs (0); mprotect(PROT_NONE) keeps them.
 *
 *   page  0 1 2 3 4 5
 *         read write . write read .  -> 110110
 */
static void test_anon(void **state)
{
	(void)state;
	map_anon(0, 6, FIXED);
	assert_string_equal(resident(p, 0, 6), "000000");
	load(p, 0);
	store(p, 1, 'x');
	store(p, 3, 'y');
	load(p, 4);
	assert_string_equal(resident(p, 0, 6), "110110");
	assert_int_equal(linmm_mprotect(p, PG(0), 6 * P, PROT_NONE), 0);
	check();
	assert_string_equal(resident(p, 0, 6), "110110");
	assert_int_equal(linmm_mprotect(p, PG(0), 6 * P, RW), 0);
	assert_int_equal(linmm_madvise(p, PG(1), 3 * P, MADV_DONTNEED), 0);
	check();
	assert_string_equal(resident(p, 0, 6), "100010");
	/* Across two VMAs (the mprotect split and merge back): one call. */
	assert_int_equal(linmm_mprotect(p, PG(2), P, PROT_READ), 0);
	check();
	assert_string_equal(resident(p, 0, 6), "100010");
}

/* The same on 2-level x86_32 page tables (4-byte PTEs, a table spans 4 MiB). */
static void test_anon_x86_32(void **state)
{
	unsigned long span = 1024 * P;	/* one PTE table */
	static unsigned char vec[1024 + 8];

	(void)state;
	linmm_shutdown();
	boot_task("mem=256M arch=x86_32");
	/* Pages 1020..1027: across the boundary of two PTE tables at BASE + span. */
	assert_int_equal(linmm_mmap(p, BASE + span - 4 * P, 8 * P, RW, FIXED, -1, 0),
			 BASE + span - 4 * P);
	check();
	for (int i = 0; i < 8; i += 3)	/* pages 0, 3, 6 of the range */
		assert_int_equal(linmm_user_write(p, BASE + span - 4 * P + (unsigned long)i * P, "z", 1), 0);
	check();
	memset(vec, UNTOUCHED, sizeof(vec));
	assert_int_equal(linmm_mincore(p, BASE + span - 4 * P, 8 * P, vec), 0);
	check();
	assert_string_equal(vec_to_str(vec, 9), "10010010-");
}

/*
 * A file mapping reports the file's page cache where it has no PTE:
 *
 *   file /data/f: 6 pages, cached, clean
 *   s = MAP_SHARED  of file pages 0..7 at page 0    (6, 7 beyond EOF)
 *   r = MAP_PRIVATE of file pages 2..5 at page 10
 *
 *   untouched        s 11111100   r 1111
 *   drop_caches      s 00000000   r 0000
 *   read s 1, r 12   s 01001000   r 0010   (each fault reads its page:
 *                                           r's page 12 is file page 4)
 *   write r 13       s 01001100   r 0011   (a COW copy of file page 5,
 *                                           which the fault read)
 *   drop_caches      s 01001000   r 0011   (mapped pages stay)
 *   truncate to 1    s 10000000   r 0000   (pages past EOF go, COW copies
 *                                           too; block_truncate_page reads
 *                                           page 0 to zero its tail)
 */
static void test_file(void **state)
{
	int fd = make_file("/data/f", 6, 'f');
	char byte = 'w';

	(void)state;
	assert_int_equal(linmm_mmap(p, PG(0), 8 * P, RW, MAP_SHARED | MAP_FIXED, fd, 0), PG(0));
	assert_int_equal(linmm_mmap(p, PG(10), 4 * P, RW, MAP_PRIVATE | MAP_FIXED, fd, 2 * P),
			 PG(10));
	check();
	assert_string_equal(resident(p, 0, 8), "11111100");
	assert_string_equal(resident(p, 10, 4), "1111");
	drop_caches();
	assert_string_equal(resident(p, 0, 8), "00000000");
	assert_string_equal(resident(p, 10, 4), "0000");
	/* MADV_RANDOM: a fault reads its own page only (no readahead). */
	assert_int_equal(linmm_madvise(p, PG(0), 8 * P, MADV_RANDOM), 0);
	assert_int_equal(linmm_madvise(p, PG(10), 4 * P, MADV_RANDOM), 0);
	check();
	load(p, 1);
	load(p, 12);
	assert_string_equal(resident(p, 0, 8), "01001000");
	assert_string_equal(resident(p, 10, 4), "0010");
	assert_int_equal(linmm_user_write(p, PG(13), &byte, 1), 0);
	check();
	assert_string_equal(resident(p, 0, 8), "01001100");
	assert_string_equal(resident(p, 10, 4), "0011");
	drop_caches();
	assert_string_equal(resident(p, 0, 8), "01001000");
	assert_string_equal(resident(p, 10, 4), "0011");
	assert_int_equal(linmm_ftruncate(p, fd, 1), 0);
	check();
	assert_string_equal(resident(p, 0, 8), "10000000");
	assert_string_equal(resident(p, 10, 4), "0000");
	assert_int_equal(linmm_close(p, fd), 0);
	check();
}

/*
 * Shared anonymous memory (shmem) and fork:
 *
 *   page  0 1 2 3        4 5 6 7
 *         shmem S        private anon A
 *
 * A page of S written by the parent is resident in the child without a
 * fault there (the cache answers); A's pages are shared COW after fork,
 * and MADV_DONTNEED in one process leaves the other's copy resident.
 */
static void test_shmem_fork(void **state)
{
	(void)state;
	map_anon(0, 4, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED);
	map_anon(4, 4, FIXED);
	store(p, 1, 's');
	store(p, 5, 'a');
	store(p, 6, 'b');
	assert_string_equal(resident(p, 0, 8), "01000110");
	c = linmm_fork(p);
	assert_non_null(c);
	check();
	assert_string_equal(resident(c, 0, 8), "01000110");
	/* A store in the child to S lands in the same shmem page: the parent sees it cached. */
	store(c, 2, 't');
	assert_string_equal(resident(p, 0, 8), "01100110");
	/* COW in the child, then DONTNEED in the parent: only the child keeps it. */
	store(c, 5, 'c');
	assert_int_equal(linmm_madvise(p, PG(4), 4 * P, MADV_DONTNEED), 0);
	check();
	assert_string_equal(resident(p, 0, 8), "01100000");
	assert_string_equal(resident(c, 0, 8), "01100110");
	/* DONTNEED of shmem drops the PTEs, not the pages: still cached. */
	assert_int_equal(linmm_madvise(c, PG(0), 4 * P, MADV_DONTNEED), 0);
	check();
	assert_string_equal(resident(c, 0, 8), "01100110");
	linmm_task_exit(c);
	c = NULL;
	check();
	assert_string_equal(resident(p, 0, 8), "01100000");
}

/*
 * A migration entry (a page on its way to another frame) is resident, as
 * in the kernel; the entry is put in by hand for the call and taken out.
 */
static void test_migration_entry(void **state)
{
	pte_t *ptep, old;
	int ret;

	(void)state;
	map_anon(0, 2, FIXED);
	store(p, 0, 'm');
	spin_lock(&p->mm->page_table_lock);
	ptep = mm_find_pte(p->mm, PG(0));
	assert_non_null(ptep);
	spin_lock(ptep_lockptr(ptep));
	old = ptep_get(ptep);
	set_pte(ptep, swp_entry_to_pte(make_migration_entry(pte_pfn(old), /* writable = */ true,
							    /* exclusive = */ true)));
	spin_unlock(ptep_lockptr(ptep));
	spin_unlock(&p->mm->page_table_lock);
	{
		unsigned char vec[2] = { UNTOUCHED, UNTOUCHED };

		ret = linmm_mincore(p, PG(0), 2 * P, vec);
		assert_int_equal(ret, 0);
		assert_string_equal(vec_to_str(vec, 2), "10");
	}
	spin_lock(&p->mm->page_table_lock);
	spin_lock(ptep_lockptr(ptep));
	set_pte(ptep, old);
	spin_unlock(ptep_lockptr(ptep));
	spin_unlock(&p->mm->page_table_lock);
	check();
	assert_string_equal(mincore_of(p, 0, 2, &ret), "10");
}

/*
 * More than PAGE_SIZE pages: the kernel works in chunks of PAGE_SIZE
 * entries; a hole after the first chunk still leaves it filled.
 *
 *   pages 0 .. 5119 mapped (20 MiB), 4096 and 5000 written, 5120.. a hole
 */
static void test_chunks(void **state)
{
	unsigned long n = 5120;
	unsigned char *vec = test_malloc(n + 16);

	(void)state;
	map_anon(0, n, FIXED);
	store(p, 1, 'a');
	store(p, 4096, 'b');
	store(p, 5000, 'c');
	memset(vec, UNTOUCHED, n + 16);
	assert_int_equal(linmm_mincore(p, PG(0), (n + 16) * P, vec), -ENOMEM);
	check();
	for (unsigned long i = 0; i < n + 16; i++)
		assert_int_equal(vec[i], i >= n ? UNTOUCHED : (i == 1 || i == 4096 || i == 5000));
	test_free(vec);
}

/*
 * The system call: vec is an address of the task, written by
 * copy_to_user() (faulting the page in); -EFAULT for a vec beyond user
 * space before anything is done, and for a vec that cannot be written
 * (unmapped, read-only).  A hole at the start is -ENOMEM before any copy.
 *
 *   page  0 1 2 3        8: vec page (rw)   9: read-only page   10: nothing
 */
static void test_sys_mincore(void **state)
{
	unsigned char got[8];

	(void)state;
	map_anon(0, 4, FIXED);
	map_anon(8, 1, FIXED);
	assert_int_equal(linmm_mmap(p, PG(9), P, PROT_READ, FIXED, -1, 0), PG(9));
	check();
	store(p, 1, 'a');
	store(p, 3, 'b');
	assert_int_equal(linmm_sys_mincore(p, PG(0), 4 * P, PG(8) + 100), 0);
	check();
	assert_int_equal(linmm_user_read(p, PG(8) + 100, got, 4), 0);
	assert_memory_equal(got, "\0\1\0\1", 4);
	/* The vec page itself is resident now: copy_to_user faulted it in. */
	assert_int_equal(linmm_sys_mincore(p, PG(8), P, PG(8) + 200), 0);
	assert_int_equal(linmm_user_read(p, PG(8) + 200, got, 1), 0);
	assert_int_equal(got[0], 1);
	/* Checks first: EINVAL, ENOMEM, then EFAULT for a vec outside user space. */
	assert_int_equal(linmm_sys_mincore(p, PG(0) + 1, P, TASK_SIZE_MAX), -EINVAL);
	assert_int_equal(linmm_sys_mincore(p, TASK_SIZE_MAX, P, TASK_SIZE_MAX), -ENOMEM);
	assert_int_equal(linmm_sys_mincore(p, PG(0), 4 * P, TASK_SIZE_MAX - 2), -EFAULT);
	assert_int_equal(linmm_sys_mincore(p, PG(0), 4 * P, TASK_SIZE_MAX - 4), -EFAULT);
	/* An unmapped or read-only vec faults at the copy: EFAULT, the task lives. */
	assert_int_equal(linmm_sys_mincore(p, PG(0), 4 * P, PG(10)), -EFAULT);
	assert_int_equal(linmm_sys_mincore(p, PG(0), 4 * P, PG(9)), -EFAULT);
	/* A hole at the start comes before any copy: ENOMEM even with a bad vec. */
	assert_int_equal(linmm_sys_mincore(p, PG(4), P, PG(10)), -ENOMEM);
	/* A vec ending on the read-only page: the first chunk is copied up to it. */
	assert_int_equal(linmm_sys_mincore(p, PG(0), 4 * P, PG(9) - 2), -EFAULT);
	assert_int_equal(linmm_user_read(p, PG(9) - 2, got, 2), 0);
	assert_memory_equal(got, "\0\1", 2);
	check();
	assert_int_equal(p->exit_signal_nr, 0);
	/* len 0 copies nothing, but vec must still lie in user space (access_ok(vec, 0)). */
	assert_int_equal(linmm_sys_mincore(p, PG(4), 0, PG(10)), 0);
	assert_int_equal(linmm_sys_mincore(p, PG(4), 0, TASK_SIZE_MAX + P), -EFAULT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_errors, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_anon, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_anon_x86_32, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_file, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_shmem_fork, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_migration_entry, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_chunks, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_sys_mincore, setup, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
