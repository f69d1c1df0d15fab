// SPDX-License-Identifier: MIT
/*
 * test_shm.c - shmctl(2) beyond IPC_STAT/IPC_RMID (ipc/shm.c): IPC_SET,
 * IPC_INFO, SHM_INFO, SHM_STAT[_ANY], SHM_LOCK/SHM_UNLOCK with their
 * accounting (mm/mlock.c's user_shm_lock), the unevictable list
 * (mm/shmem.c's shmem_lock, mm/swap.c), and the cyclic id allocation.
 *
 * Every step is followed by the page-cache, LRU, mm and machine checkers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "../mm_test.h"

#include <linmm/memory.h>
#include <linmm/mmap.h>
#include <linmm/mmu.h>
#include <linmm/page-flags.h>
#include <linmm/pagemap.h>
#include <linmm/printk.h>
#include <linmm/sched.h>
#include <linmm/shm.h>
#include <linmm/swap.h>
#include <linmm/vmstat.h>

static struct task_struct *p;

static int setup(void **state)
{
	(void)state;
	p = boot_and_spawn("mem=256M", "p");
	return 0;
}

static void check(void)
{
	assert_int_equal(validate_page_cache(), 0);
	assert_int_equal(validate_lru(0), 0);
	assert_int_equal(validate_mm(p->mm), 0);
	assert_int_equal(validate_page_tables(p->mm), 0);
	check_machine();
}

static unsigned long event(enum vm_event_item item)
{
	return sum_vm_event(item);
}

/* The page at @index of the segment attached at @addr (a reference is dropped at once). */
static struct page *seg_page(unsigned long addr, pgoff_t index)
{
	struct vm_area_struct *vma = find_vma(p->mm, addr);
	struct page *page;

	assert_non_null(vma);
	page = find_get_page(vma->vm_file->f_mapping, index);
	assert_non_null(page);
	put_page(page);
	return page;
}

static struct linmm_shmid_ds stat_of(int id)
{
	struct linmm_shmid_ds ds;

	assert_int_equal(linmm_shmctl(p, id, IPC_STAT, &ds), 0);
	return ds;
}

/* IPC_SET: uid, gid, the low 9 mode bits, shm_ctime; SHM_DEST survives; the errors. */
static void test_ipc_set(void **state)
{
	int id = linmm_shmget(p, 0x5e7, 2 * PAGE_SIZE, IPC_CREAT | 0640);
	struct linmm_shmid_ds ds;
	unsigned long a;

	(void)state;
	assert_true(id >= 0);
	ds = stat_of(id);
	assert_int_equal(ds.shm_ctime, 0);
	linmm_clock_advance(5000000000ULL);		/* 5 s */
	ds.uid = 1234;
	ds.gid = 99;
	ds.mode = 07604;			/* only 0604 is taken */
	ds.cuid = 77;				/* ignored */
	assert_int_equal(linmm_shmctl(p, id, IPC_SET, &ds), 0);
	ds = stat_of(id);
	assert_int_equal(ds.uid, 1234);
	assert_int_equal(ds.gid, 99);
	assert_int_equal(ds.cuid, 0);
	assert_int_equal(ds.cgid, 0);
	assert_int_equal(ds.mode, 0604);
	assert_int_equal(ds.shm_ctime, 5);
	check();

	/* The creator (cuid 0) keeps the owner's bits: 06 lets it attach read-write. */
	a = linmm_shmat(p, id, 0, 0);
	assert_false(IS_ERR_VALUE(a));
	assert_int_equal(linmm_shmctl(p, id, IPC_RMID, NULL), 0);
	ds = stat_of(id);
	ds.mode = 0400;
	assert_int_equal(linmm_shmctl(p, id, IPC_SET, &ds), 0);
	ds = stat_of(id);
	assert_int_equal(ds.mode, SHM_DEST_LINMM | 0400);
	/* Owner read-only now: a read-write attach is EACCES, CAP_IPC_OWNER passes. */
	assert_int_equal((long)linmm_shmat(p, id, 0, 0), -EACCES);
	p->cap_effective |= 1ULL << CAP_IPC_OWNER;
	assert_int_equal(linmm_shmdt(p, linmm_shmat(p, id, 0, 0)), 0);
	p->cap_effective = 0;

	ds.uid = (unsigned int)-1;
	assert_int_equal(linmm_shmctl(p, id, IPC_SET, &ds), -EINVAL);
	ds.uid = 0;
	ds.gid = (unsigned int)-1;
	assert_int_equal(linmm_shmctl(p, id, IPC_SET, &ds), -EINVAL);
	assert_int_equal(linmm_shmctl(p, id, IPC_SET, NULL), -EFAULT);
	assert_int_equal(linmm_shmctl(p, id + (1 << 15), IPC_SET, &ds), -EINVAL);
	assert_int_equal(linmm_shmctl(p, -1, IPC_SET, &ds), -EINVAL);
	assert_int_equal(linmm_shmctl(p, id + (1 << 15), IPC_SET, NULL), -EFAULT);
	assert_int_equal(stat_of(id).uid, 1234);	/* the failures changed nothing */
	check();
	assert_int_equal(linmm_shmdt(p, a), 0);
	assert_int_equal(shm_nr_segments(), 0);
	check();
}

/*
 * IPC_INFO and SHM_INFO: the sysctls, the usage in pages, and the highest
 * index in use as the return value:
 *
 *   indices  [0 1 2]      maxidx 2
 *   rmid 2   [0 1 .]      maxidx 1
 *   rmid 0   [. 1 .]      maxidx 1;  rmid 1: none, 0
 */
static void test_info(void **state)
{
	struct linmm_shminfo si;
	struct linmm_shm_info info;
	int id[3];
	unsigned long a;

	(void)state;
	assert_int_equal(linmm_shmctl(p, 0, IPC_INFO, &si), 0);
	assert_int_equal(si.shmmax, SHMMAX_LINMM);
	assert_int_equal(si.shmall, SHMALL_LINMM);
	assert_int_equal(si.shmmin, 1);
	assert_int_equal(si.shmmni, 4096);
	assert_int_equal(si.shmseg, 4096);
	assert_int_equal(linmm_sysctl_write("kernel.shmmni", "100"), 0);
	assert_int_equal(linmm_sysctl_write("kernel.shmmax", "1048576"), 0);
	assert_int_equal(linmm_shmctl(p, 12345, IPC_INFO, &si), 0);	/* the id is ignored */
	assert_int_equal(si.shmmni, 100);
	assert_int_equal(si.shmseg, 100);
	assert_int_equal(si.shmmax, 1048576);
	assert_int_equal(linmm_shmctl(p, -1, IPC_INFO, &si), -EINVAL);
	assert_int_equal(linmm_shmctl(p, 0, IPC_INFO, NULL), -EFAULT);
	assert_int_equal(linmm_shmctl(p, 0, SHM_INFO, &info), 0);
	assert_int_equal(info.used_ids, 0);
	assert_int_equal(info.shm_tot, 0);

	id[0] = linmm_shmget(p, IPC_PRIVATE, 3 * PAGE_SIZE + 1, 0600);	/* 4 pages */
	id[1] = linmm_shmget(p, IPC_PRIVATE, PAGE_SIZE, 0600);
	id[2] = linmm_shmget(p, IPC_PRIVATE, 2 * PAGE_SIZE, 0600);
	assert_int_equal(id[0], 0);
	assert_int_equal(id[1], 1);
	assert_int_equal(id[2], 2);
	a = linmm_shmat(p, id[0], 0, 0);
	assert_false(IS_ERR_VALUE(a));
	assert_int_equal(linmm_user_write(p, a, "x", 1), 0);
	assert_int_equal(linmm_user_write(p, a + 3 * PAGE_SIZE, "y", 1), 0);
	assert_int_equal(linmm_shmctl(p, 0, IPC_INFO, &si), 2);
	assert_int_equal(linmm_shmctl(p, 0, SHM_INFO, &info), 2);
	assert_int_equal(info.used_ids, 3);
	assert_int_equal(info.shm_tot, 7);
	assert_int_equal(info.shm_rss, 2);
	assert_int_equal(info.shm_swp, 0);
	assert_int_equal(info.swap_attempts, 0);
	assert_int_equal(info.swap_successes, 0);
	assert_int_equal(linmm_shmctl(p, 0, SHM_INFO, NULL), -EFAULT);
	check();

	assert_int_equal(linmm_shmctl(p, id[2], IPC_RMID, NULL), 0);
	assert_int_equal(linmm_shmctl(p, 0, SHM_INFO, &info), 1);
	assert_int_equal(info.shm_tot, 5);
	assert_int_equal(linmm_shmctl(p, id[0], IPC_RMID, NULL), 0);	/* attached: stays */
	assert_int_equal(linmm_shmctl(p, 0, SHM_INFO, &info), 1);
	assert_int_equal(info.used_ids, 2);
	assert_int_equal(linmm_shmdt(p, a), 0);
	assert_int_equal(linmm_shmctl(p, 0, SHM_INFO, &info), 1);
	assert_int_equal(info.used_ids, 1);
	assert_int_equal(info.shm_rss, 0);
	assert_int_equal(linmm_shmctl(p, id[1], IPC_RMID, NULL), 0);
	assert_int_equal(linmm_shmctl(p, 0, IPC_INFO, &si), 0);
	assert_int_equal(linmm_shmctl(p, 0, SHM_INFO, &info), 0);
	assert_int_equal(info.used_ids, 0);
	assert_int_equal(info.shm_tot, 0);
	check();
}

/*
 * SHM_STAT takes an index and returns the full id; it checks read
 * permission, SHM_STAT_ANY does not.  Indices are taken cyclically, so
 * the 65th segment wraps to index 0 with sequence 1:
 *
 *   create+rmid x64:  ids 0, 1, ..., 63     then: index 0, id 32768
 */
static void test_stat_and_cyclic_ids(void **state)
{
	struct linmm_shmid_ds ds;
	int id, keep;

	(void)state;
	keep = linmm_shmget(p, 0x57a7, PAGE_SIZE, IPC_CREAT | 0000);
	assert_int_equal(keep, 0);
	for (int i = 1; i < 64; i++) {
		id = linmm_shmget(p, IPC_PRIVATE, PAGE_SIZE, 0600);
		assert_int_equal(id, i);	/* not the lowest free: the cursor moves on */
		assert_int_equal(linmm_shmctl(p, id, IPC_RMID, NULL), 0);
	}
	assert_int_equal(linmm_shmctl(p, 0, SHM_INFO, NULL), -EFAULT);
	id = linmm_shmget(p, IPC_PRIVATE, 3 * PAGE_SIZE, 0600);
	assert_int_equal(id, (1 << 15) + 1);	/* wrapped: 0 is taken, 1 is free */
	check();

	memset(&ds, 0xff, sizeof(ds));
	assert_int_equal(linmm_shmctl(p, 1, SHM_STAT, &ds), id);
	assert_int_equal(ds.shm_segsz, 3 * PAGE_SIZE);
	assert_int_equal(ds.seq, 1);
	assert_int_equal(ds.key, IPC_PRIVATE);
	assert_int_equal(linmm_shmctl(p, 1 + (5 << 15), SHM_STAT, &ds), id);	/* no seq check */
	assert_int_equal(linmm_shmctl(p, 1, IPC_STAT, &ds), -EINVAL);		/* stale seq */
	assert_int_equal(linmm_shmctl(p, id, IPC_STAT, &ds), 0);
	assert_int_equal(linmm_shmctl(p, 2, SHM_STAT, &ds), -EINVAL);
	assert_int_equal(linmm_shmctl(p, 1, SHM_STAT, NULL), -EFAULT);
	/* Mode 000: SHM_STAT and IPC_STAT are EACCES, SHM_STAT_ANY is not. */
	assert_int_equal(linmm_shmctl(p, 0, SHM_STAT, &ds), -EACCES);
	assert_int_equal(linmm_shmctl(p, keep, IPC_STAT, &ds), -EACCES);
	assert_int_equal(linmm_shmctl(p, 0, SHM_STAT_ANY, &ds), keep);
	assert_int_equal(ds.key, 0x57a7);
	assert_int_equal(ds.mode, 0);
	p->cap_effective |= 1ULL << CAP_IPC_OWNER;
	assert_int_equal(linmm_shmctl(p, 0, SHM_STAT, &ds), keep);
	p->cap_effective = 0;
	assert_int_equal(linmm_shmctl(p, 0, 99, &ds), -EINVAL);
	assert_int_equal(linmm_shmctl(p, 0, -1, &ds), -EINVAL);
	assert_int_equal(linmm_shmctl(p, keep, IPC_RMID, NULL), 0);
	assert_int_equal(linmm_shmctl(p, id, IPC_RMID, NULL), 0);
	assert_int_equal(shm_nr_segments(), 0);
	check();
}

/*
 * SHM_LOCK makes the mapping unevictable: resident pages stay on the
 * anon LRU, pages faulted afterwards are culled to the unevictable list;
 * SHM_UNLOCK rescues them (the host shows the same Unevictable deltas).
 *
 *   touch 0,1; lock; touch 2,3:   anon [0][1]   unevictable [2][3]
 *   unlock:                       anon [0][1][2][3]
 */
static void test_lock_lru(void **state)
{
	int id = linmm_shmget(p, IPC_PRIVATE, 4 * PAGE_SIZE, 0600);
	long unev0 = node_stat(NR_UNEVICTABLE), anon0 = node_stat(NR_INACTIVE_ANON);
	unsigned long culled0 = event(UNEVICTABLE_PGS_CULLED);
	unsigned long rescued0 = event(UNEVICTABLE_PGS_RESCUED);
	unsigned long scanned0 = event(UNEVICTABLE_PGS_SCANNED);
	unsigned long a;

	(void)state;
	a = linmm_shmat(p, id, 0, 0);
	assert_false(IS_ERR_VALUE(a));
	assert_int_equal(linmm_user_write(p, a, "0", 1), 0);
	assert_int_equal(linmm_user_write(p, a + PAGE_SIZE, "1", 1), 0);
	assert_int_equal(linmm_shmctl(p, id, SHM_LOCK, NULL), 0);
	assert_int_equal(stat_of(id).mode, SHM_LOCKED_LINMM | 0600);
	assert_int_equal(node_stat(NR_UNEVICTABLE) - unev0, 0);
	assert_false(PageUnevictable(seg_page(a, 0)));
	check();
	assert_int_equal(linmm_user_write(p, a + 2 * PAGE_SIZE, "2", 1), 0);
	assert_int_equal(linmm_user_write(p, a + 3 * PAGE_SIZE, "3", 1), 0);
	assert_int_equal(node_stat(NR_UNEVICTABLE) - unev0, 2);
	assert_int_equal(node_stat(NR_INACTIVE_ANON) - anon0, 2);
	assert_int_equal(global_zone_page_state(NR_MLOCK), 0);
	assert_true(PageUnevictable(seg_page(a, 2)) && PageLRU(seg_page(a, 2)));
	assert_false(PageActive(seg_page(a, 3)));
	assert_int_equal(event(UNEVICTABLE_PGS_CULLED) - culled0, 2);
	assert_int_equal(user_shm_locked_pages(), 4);
	check();

	assert_int_equal(linmm_shmctl(p, id, SHM_UNLOCK, NULL), 0);
	assert_int_equal(stat_of(id).mode, 0600);
	assert_int_equal(node_stat(NR_UNEVICTABLE) - unev0, 0);
	assert_int_equal(node_stat(NR_INACTIVE_ANON) - anon0, 4);
	assert_false(PageUnevictable(seg_page(a, 2)));
	assert_int_equal(event(UNEVICTABLE_PGS_SCANNED) - scanned0, 4);
	assert_int_equal(event(UNEVICTABLE_PGS_RESCUED) - rescued0, 2);
	assert_int_equal(user_shm_locked_pages(), 0);
	assert_int_equal(linmm_shmctl(p, id, SHM_UNLOCK, NULL), 0);	/* not locked: nothing */
	assert_int_equal(event(UNEVICTABLE_PGS_SCANNED) - scanned0, 4);
	check();

	/* Destroyed while locked, pages on the unevictable list: all freed, charge returned. */
	assert_int_equal(linmm_shmctl(p, id, SHM_LOCK, NULL), 0);
	assert_int_equal(linmm_shmdt(p, a), 0);
	a = linmm_shmat(p, id, 0, 0);
	assert_false(IS_ERR_VALUE(a));
	assert_int_equal(linmm_shmctl(p, id, IPC_RMID, NULL), 0);
	assert_int_equal(stat_of(id).mode, SHM_DEST_LINMM | SHM_LOCKED_LINMM | 0600);
	assert_int_equal(linmm_shmdt(p, a), 0);
	assert_int_equal(linmm_shmctl(p, id, IPC_STAT, NULL), -EINVAL);
	assert_int_equal(node_stat(NR_UNEVICTABLE), unev0);
	assert_int_equal(node_stat(NR_SHMEM), 0);
	assert_int_equal(user_shm_locked_pages(), 0);
	check();
}

/*
 * The lock's permissions and accounting: without CAP_IPC_LOCK a zero
 * RLIMIT_MEMLOCK is EPERM and a charge past the limit ENOMEM; with it
 * anything goes (still charged).  A second SHM_LOCK charges nothing more.
 */
static void test_lock_limits(void **state)
{
	int small = linmm_shmget(p, IPC_PRIVATE, 5 << 20, 0600);	/* 1280 pages */
	int big = linmm_shmget(p, IPC_PRIVATE, 4 << 20, 0600);		/* 1024 pages */

	(void)state;
	assert_true(small >= 0 && big >= 0);
	assert_int_equal(p->rlim_memlock, MLOCK_LIMIT);		/* 8 MiB: 2048 pages */
	assert_int_equal(linmm_shmctl(p, small, SHM_LOCK, NULL), 0);
	assert_int_equal(linmm_shmctl(p, small, SHM_LOCK, NULL), 0);
	assert_int_equal(user_shm_locked_pages(), 1280);
	assert_int_equal(linmm_shmctl(p, big, SHM_LOCK, NULL), -ENOMEM);	/* 2304 > 2048 */
	assert_int_equal(stat_of(big).mode, 0600);
	assert_int_equal(user_shm_locked_pages(), 1280);
	p->rlim_memlock = 0;
	assert_int_equal(linmm_shmctl(p, big, SHM_LOCK, NULL), -EPERM);
	assert_int_equal(linmm_shmctl(p, small, SHM_UNLOCK, NULL), 0);	/* needs no limit */
	assert_int_equal(user_shm_locked_pages(), 0);
	p->cap_effective |= 1ULL << CAP_IPC_LOCK;
	assert_int_equal(linmm_shmctl(p, big, SHM_LOCK, NULL), 0);
	assert_int_equal(linmm_shmctl(p, small, SHM_LOCK, NULL), 0);
	assert_int_equal(user_shm_locked_pages(), 2304);
	p->cap_effective = 0;
	p->rlim_memlock = MLOCK_LIMIT;
	assert_int_equal(linmm_shmctl(p, small + (1 << 15), SHM_LOCK, NULL), -EINVAL);
	assert_int_equal(linmm_shmctl(p, -1, SHM_UNLOCK, NULL), -EINVAL);
	check();
	/* Removing a locked, unattached segment gives its charge back at once. */
	assert_int_equal(linmm_shmctl(p, big, IPC_RMID, NULL), 0);
	assert_int_equal(user_shm_locked_pages(), 1280);
	assert_int_equal(linmm_shmctl(p, small, IPC_RMID, NULL), 0);
	assert_int_equal(user_shm_locked_pages(), 0);
	check();
}

/* A locked segment left at shutdown: the next boot starts with no charge. */
static void test_lock_across_boot(void **state)
{
	int id = linmm_shmget(p, IPC_PRIVATE, PAGE_SIZE, 0600);

	(void)state;
	assert_int_equal(linmm_shmctl(p, id, SHM_LOCK, NULL), 0);
	assert_int_equal(user_shm_locked_pages(), 1);
	linmm_shutdown();
	boot_or_fail("mem=256M");
	p = linmm_spawn("p");
	assert_non_null(p);
	assert_int_equal(user_shm_locked_pages(), 0);
	assert_int_equal(linmm_shmctl(p, 0, SHM_INFO, NULL), -EFAULT);
	assert_int_equal(shm_nr_segments(), 0);
	check();
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, linmm_test_shutdown)
	const struct CMUnitTest tests[] = {
		T(test_ipc_set), T(test_info), T(test_stat_and_cyclic_ids), T(test_lock_lru),
		T(test_lock_limits), T(test_lock_across_boot),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
