// SPDX-License-Identifier: MIT
/*
 * test_madvise.c - madvise (mm/madvise.c) and msync (mm/msync.c): the
 * argument checks, flag advice with its splits and merges, holes (advised
 * around, then -ENOMEM), the VMA checks of page advice, and msync's errno
 * values.
 *
 * Pictures use one character per page from BASE: a letter per VMA, '.' a
 * hole, lower case for the VMAs the advice changed.  layout() (tests/vma_test.h) prints the
 * VMAs as "start-end:perms" plus the smaps VmFlags codes of the flags
 * madvise sets (",dc" VM_DONTCOPY, ",sr", ",rr", ",wf", ",dd", ",hg",
 * ",nh", ",mg", ",lo"); validate_mm() runs after every call.
 */
#include "../linmm_test.h"

#define VMA_TEST_CHECKS VMA_CHECK_MACHINE
/* smaps VmFlags codes of the flags madvise sets. */
#define VMA_TEST_CODES								\
	{ VM_LOCKED, "lo" }, { VM_SEQ_READ, "sr" }, { VM_RAND_READ, "rr" },	\
	{ VM_DONTCOPY, "dc" }, { VM_WIPEONFORK, "wf" }, { VM_DONTDUMP, "dd" },	\
	{ VM_HUGEPAGE, "hg" }, { VM_NOHUGEPAGE, "nh" }, { VM_MERGEABLE, "mg" }
#include "../vma_test.h"

#define FIXED (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
#define SHARED_FIXED (MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED)

static int madvise_at(unsigned long i, unsigned long n, int advice)
{
	int ret = linmm_madvise(tsk, BASE + i * P, n * P, advice);

	check_mm();
	return ret;
}

static int msync_at(unsigned long i, unsigned long n, int flags)
{
	int ret = linmm_msync(tsk, BASE + i * P, n * P, flags);

	check_mm();
	return ret;
}

/*
 *	AAAAAAAA  DONTFORK 2..4   AAaaAAAA   split in three
 *	AAaaAAAA  DONTFORK 4..8   AAaaaaaa   a grows over the rest (merge left)
 *	AAaaaaaa  DOFORK 2..8     AAAAAAAA   one VMA again (merge left, all)
 *	AAAAAAAA  SEQUENTIAL 0..4 ssssAAAA, RANDOM 2..6 ssrrrrAA (rr replaces sr),
 *	          NORMAL 0..8     AAAAAAAA
 */
static void test_madvise_split_merge(void **state)
{
	(void)state;
	spawn();
	map_at(0, 8, RW, FIXED);
	assert_int_equal(madvise_at(2, 2, MADV_DONTFORK), 0);
	assert_string_equal(layout(), "0-2:rw-p 2-4:rw-p,dc 4-8:rw-p");
	assert_int_equal(madvise_at(4, 4, MADV_DONTFORK), 0);
	assert_string_equal(layout(), "0-2:rw-p 2-8:rw-p,dc");
	assert_int_equal(madvise_at(2, 6, MADV_DOFORK), 0);
	assert_string_equal(layout(), "0-8:rw-p");
	assert_int_equal(tsk->mm->map_count, 1);

	assert_int_equal(madvise_at(0, 4, MADV_SEQUENTIAL), 0);
	assert_int_equal(madvise_at(2, 4, MADV_RANDOM), 0);
	assert_string_equal(layout(), "0-2:rw-p,sr 2-6:rw-p,rr 6-8:rw-p");
	assert_int_equal(madvise_at(0, 8, MADV_NORMAL), 0);
	assert_string_equal(layout(), "0-8:rw-p");

	/* HUGEPAGE and NOHUGEPAGE exclude each other. */
	assert_int_equal(madvise_at(0, 4, MADV_HUGEPAGE), 0);
	assert_int_equal(madvise_at(2, 4, MADV_NOHUGEPAGE), 0);
	assert_string_equal(layout(), "0-2:rw-p,hg 2-6:rw-p,nh 6-8:rw-p");
	assert_int_equal(madvise_at(0, 6, MADV_HUGEPAGE), 0);
	assert_string_equal(layout(), "0-6:rw-p,hg 6-8:rw-p");

	/* DONTDUMP/DODUMP, WIPEONFORK/KEEPONFORK, MERGEABLE/UNMERGEABLE. */
	assert_int_equal(madvise_at(7, 1, MADV_DONTDUMP), 0);
	assert_int_equal(madvise_at(6, 1, MADV_WIPEONFORK), 0);
	assert_int_equal(madvise_at(0, 1, MADV_MERGEABLE), 0);
	assert_string_equal(layout(), "0-1:rw-p,hg,mg 1-6:rw-p,hg 6-7:rw-p,wf 7-8:rw-p,dd");
	assert_int_equal(madvise_at(0, 8, MADV_UNMERGEABLE), 0);
	assert_int_equal(madvise_at(0, 8, MADV_KEEPONFORK), 0);
	assert_int_equal(madvise_at(0, 8, MADV_DODUMP), 0);
	assert_string_equal(layout(), "0-6:rw-p,hg 6-8:rw-p");
	assert_int_equal(madvise_at(0, 8, MADV_NOHUGEPAGE), 0);
	assert_string_equal(layout(), "0-8:rw-p,nh");
}

/*
 * Holes do not stop madvise: every mapped part is advised, then -ENOMEM.
 *
 *	AAA..BBB..CCC   DONTFORK 1..12   Aaa..bbb..ccC   -ENOMEM
 *	                DONTFORK 3..5    unchanged        -ENOMEM (only a hole)
 *	                DONTFORK 14..16  unchanged        -ENOMEM (nothing above)
 */
static void test_madvise_holes(void **state)
{
	(void)state;
	spawn();
	map_at(0, 3, RW, FIXED);
	map_at(5, 3, RW, FIXED);
	map_at(10, 3, RW, FIXED);
	assert_int_equal(madvise_at(1, 11, MADV_DONTFORK), -ENOMEM);
	assert_string_equal(layout(), "0-1:rw-p 1-3:rw-p,dc 5-8:rw-p,dc 10-12:rw-p,dc 12-13:rw-p");
	assert_int_equal(madvise_at(3, 2, MADV_DONTFORK), -ENOMEM);
	assert_int_equal(madvise_at(14, 2, MADV_DONTFORK), -ENOMEM);
	assert_string_equal(layout(), "0-1:rw-p 1-3:rw-p,dc 5-8:rw-p,dc 10-12:rw-p,dc 12-13:rw-p");
	/* Page advice too: a hole is -ENOMEM after the mapped parts. */
	assert_int_equal(madvise_at(0, 13, MADV_DONTNEED), -ENOMEM);
	assert_int_equal(madvise_at(0, 3, MADV_DONTNEED), 0);
	assert_int_equal(madvise_at(3, 2, MADV_WILLNEED), -ENOMEM);
}

/*
 * An error stops the walk; the VMAs before it keep the advice:
 *
 *	AAAASSSS (S shared)   WIPEONFORK 2..6   AAaaSSSS   -EINVAL at S
 */
static void test_madvise_error_stops(void **state)
{
	(void)state;
	spawn();
	map_at(0, 4, RW, FIXED);
	map_at(4, 4, RW, SHARED_FIXED);
	assert_int_equal(madvise_at(2, 4, MADV_WIPEONFORK), -EINVAL);
	assert_string_equal(layout(), "0-2:rw-p 2-4:rw-p,wf 4-8:rw-s");
	/* MERGEABLE ignores shared memory: no error, no flag. */
	assert_int_equal(madvise_at(0, 8, MADV_MERGEABLE), 0);
	assert_string_equal(layout(), "0-2:rw-p,mg 2-4:rw-p,wf,mg 4-8:rw-s");
	/* DONTNEED stops at a locked VMA. */
	assert_int_equal(linmm_mlock(tsk, BASE + 4 * P, 4 * P), 0);
	assert_int_equal(madvise_at(0, 8, MADV_DONTNEED), -EINVAL);
	assert_int_equal(madvise_at(0, 8, MADV_DONTNEED_LOCKED), 0);
}

/* Arguments are checked before any VMA is looked at. */
static void test_madvise_args(void **state)
{
	(void)state;
	spawn();
	map_at(0, 2, RW, FIXED);
	assert_int_equal(linmm_madvise(tsk, BASE, P, 77), -EINVAL);
	assert_int_equal(linmm_madvise(tsk, BASE, P, -1), -EINVAL);
	assert_int_equal(linmm_madvise(tsk, BASE + 1, P, MADV_NORMAL), -EINVAL);
	assert_int_equal(linmm_madvise(tsk, BASE, 0, MADV_NORMAL), 0);
	assert_int_equal(linmm_madvise(tsk, BASE + 100 * P, 0, MADV_DONTFORK), 0);
	assert_int_equal(linmm_madvise(tsk, BASE + 100 * P, 0, 999), -EINVAL);
	assert_int_equal(linmm_madvise(tsk, BASE, ~0UL, MADV_NORMAL), -EINVAL);	/* rounds to 0 */
	assert_int_equal(linmm_madvise(tsk, BASE, -BASE, MADV_NORMAL), -EINVAL);	/* wraps */
	assert_int_equal(linmm_madvise(tsk, BASE, 1, MADV_DONTFORK), 0);		/* rounded up */
	check_mm();
	assert_string_equal(layout(), "0-1:rw-p,dc 1-2:rw-p");
	/* No CONFIG_MEMORY_FAILURE: unknown advice. */
	assert_int_equal(madvise_at(0, 1, MADV_HWPOISON), -EINVAL);
	assert_int_equal(madvise_at(0, 1, MADV_SOFT_OFFLINE), -EINVAL);
	/* Valid advice of a hole is -ENOMEM, even advice that fails on any VMA. */
	assert_int_equal(madvise_at(10, 1, MADV_COLLAPSE), -ENOMEM);
	assert_int_equal(madvise_at(0, 1, MADV_COLLAPSE), -EINVAL);
}

/*
 * Page advice: the kernel's VMA checks (host-verified values).
 *
 *	LLNNRRWWSS   L locked rw-, N PROT_NONE, R r--, W rw-, S shared rw-
 */
static void test_madvise_page_advice(void **state)
{
	(void)state;
	spawn();
	map_at(0, 2, RW, FIXED | MAP_LOCKED);
	map_at(2, 2, PROT_NONE, FIXED);
	map_at(4, 2, PROT_READ, FIXED);
	map_at(6, 2, RW, FIXED);
	map_at(8, 2, RW, SHARED_FIXED);
	/* Locked memory: no zapping, deactivating or reclaiming. */
	assert_int_equal(madvise_at(0, 1, MADV_DONTNEED), -EINVAL);
	assert_int_equal(madvise_at(0, 1, MADV_FREE), -EINVAL);
	assert_int_equal(madvise_at(0, 1, MADV_COLD), -EINVAL);
	assert_int_equal(madvise_at(0, 1, MADV_PAGEOUT), -EINVAL);
	assert_int_equal(madvise_at(0, 1, MADV_REMOVE), -EINVAL);
	assert_int_equal(madvise_at(0, 1, MADV_GUARD_INSTALL), -EINVAL);
	assert_int_equal(madvise_at(0, 1, MADV_GUARD_REMOVE), 0);
	assert_int_equal(madvise_at(0, 1, MADV_DONTNEED_LOCKED), 0);
	assert_int_equal(madvise_at(0, 1, MADV_WILLNEED), 0);
	/* Shared memory is shmem: no lazy free, no wiping; holes can be punched. */
	assert_int_equal(madvise_at(8, 1, MADV_FREE), -EINVAL);
	assert_int_equal(madvise_at(8, 1, MADV_WIPEONFORK), -EINVAL);
	assert_int_equal(madvise_at(8, 2, MADV_REMOVE), 0);
	assert_int_equal(madvise_at(6, 2, MADV_REMOVE), -EINVAL);	/* private */
	assert_int_equal(madvise_at(6, 4, MADV_FREE), -EINVAL);	/* W freed, then S */
	assert_int_equal(madvise_at(2, 6, MADV_DONTNEED), 0);
	assert_int_equal(madvise_at(2, 8, MADV_COLD), 0);
	assert_int_equal(madvise_at(2, 8, MADV_PAGEOUT), 0);
	/* POPULATE needs the access right (no FOLL_FORCE) and stops at holes. */
	assert_int_equal(madvise_at(2, 1, MADV_POPULATE_READ), -EINVAL);
	assert_int_equal(madvise_at(4, 2, MADV_POPULATE_READ), 0);
	assert_int_equal(madvise_at(4, 2, MADV_POPULATE_WRITE), -EINVAL);
	assert_int_equal(madvise_at(6, 4, MADV_POPULATE_WRITE), 0);
	assert_int_equal(madvise_at(0, 2, MADV_POPULATE_WRITE), 0);
	assert_int_equal(madvise_at(9, 2, MADV_POPULATE_READ), -ENOMEM);
	assert_int_equal(madvise_at(3, 2, MADV_POPULATE_READ), -EINVAL);	/* N first */
	/* Page advice leaves the VMAs alone. */
	assert_string_equal(layout(), "0-2:rw-p,lo 2-4:---p 4-6:r--p 6-8:rw-p 8-10:rw-s");
}

/* Running out of vm.max_map_count for a split is -EAGAIN for madvise. */
static void test_madvise_max_map_count(void **state)
{
	(void)state;
	spawn();
	map_at(0, 8, RW, FIXED);
	sysctl_max_map_count = 1;
	assert_int_equal(madvise_at(2, 2, MADV_DONTFORK), -EAGAIN);
	assert_int_equal(madvise_at(0, 8, MADV_DONTFORK), 0);	/* no split needed */
	assert_string_equal(layout(), "0-8:rw-p,dc");
}

/*
 * msync: flags first, then alignment, MS_ASYNC|MS_SYNC; then the walk:
 *
 *	AAAA..LLLL   (L locked)
 *	MS_ASYNC 2..8     -ENOMEM at the hole    MS_SYNC 2..8     -ENOMEM after the walk
 *	MS_INVALIDATE 0..10  -EBUSY at L         MS_INVALIDATE 5..7  -EBUSY (past the hole)
 */
static void test_msync(void **state)
{
	(void)state;
	spawn();
	map_at(0, 4, RW, FIXED);
	map_at(6, 4, RW, SHARED_FIXED);
	assert_int_equal(linmm_mlock(tsk, BASE + 6 * P, 4 * P), 0);
	assert_int_equal(msync_at(0, 1, MS_ASYNC | MS_SYNC), -EINVAL);
	assert_int_equal(msync_at(0, 1, 8), -EINVAL);
	assert_int_equal(msync_at(0, 1, -1), -EINVAL);
	assert_int_equal(linmm_msync(tsk, BASE + 1, P, MS_SYNC), -EINVAL);
	assert_int_equal(linmm_msync(tsk, BASE + 1, P, 8), -EINVAL);	/* flags first */
	assert_int_equal(msync_at(0, 0, MS_SYNC), 0);
	assert_int_equal(linmm_msync(tsk, BASE, ~0UL, MS_SYNC), 0);	/* rounds to 0 */
	assert_int_equal(linmm_msync(tsk, BASE + P, -2 * P, MS_SYNC), -ENOMEM);	/* wraps */
	assert_int_equal(msync_at(0, 4, MS_SYNC), 0);
	assert_int_equal(msync_at(0, 4, MS_ASYNC), 0);
	assert_int_equal(msync_at(0, 4, 0), 0);
	assert_int_equal(msync_at(0, 4, MS_INVALIDATE), 0);
	assert_int_equal(msync_at(6, 4, MS_SYNC), 0);
	assert_int_equal(msync_at(2, 6, MS_ASYNC), -ENOMEM);
	assert_int_equal(msync_at(2, 6, MS_SYNC), -ENOMEM);
	assert_int_equal(msync_at(2, 6, 0), -ENOMEM);
	assert_int_equal(msync_at(0, 10, MS_INVALIDATE), -EBUSY);
	assert_int_equal(msync_at(5, 2, MS_INVALIDATE), -EBUSY);
	assert_int_equal(msync_at(4, 2, MS_SYNC), -ENOMEM);	/* only a hole */
	assert_int_equal(msync_at(10, 2, MS_SYNC), -ENOMEM);	/* nothing above */
	assert_int_equal(msync_at(10, 2, MS_INVALIDATE), -ENOMEM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_madvise_split_merge, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_madvise_holes, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_madvise_error_stops, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_madvise_args, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_madvise_page_advice, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_madvise_max_map_count, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_msync, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
