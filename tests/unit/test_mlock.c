// SPDX-License-Identifier: MIT
/*
 * test_mlock.c - mlock, mlock2, munlock, mlockall, munlockall (mm/mlock.c):
 * VM_LOCKED splits and merges, holes, MLOCK_ONFAULT, RLIMIT_MEMLOCK and
 * CAP_IPC_LOCK, mlockall's def_flags, the errno values and locked_vm.
 *
 * Pictures use one character per page from BASE: a letter per VMA, upper
 * case unlocked, lower case locked, '.' a hole.  layout() (tests/vma_test.h) prints the VMAs
 * as "start-end:perms" plus ",lo" (VM_LOCKED) and ",lf" (VM_LOCKONFAULT);
 * validate_mm() runs after every call and locked_vm is checked against
 * the VMAs (locked_pages()) each time.
 */
#include "../linmm_test.h"

#define VMA_TEST_CHECKS (VMA_CHECK_LOCKED_VM | VMA_CHECK_MACHINE)
#define VMA_TEST_CODES { VM_LOCKED, "lo" }, { VM_LOCKONFAULT, "lf" }
#define VMA_TEST_LAYOUT_SPAN (1UL << 32)	/* the heap lies above: see heap_flags() */
#include "../vma_test.h"

#define FIXED (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
#define SHARED_FIXED (MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED)

/* The calls, on pages from BASE; each checks the mm afterwards. */
static int mlock_at(unsigned long i, unsigned long n)
{
	int ret = linmm_mlock(tsk, BASE + i * P, n * P);

	check_mm();
	return ret;
}

static int mlock2_at(unsigned long i, unsigned long n, int flags)
{
	int ret = linmm_mlock2(tsk, BASE + i * P, n * P, flags);

	check_mm();
	return ret;
}

static int munlock_at(unsigned long i, unsigned long n)
{
	int ret = linmm_munlock(tsk, BASE + i * P, n * P);

	check_mm();
	return ret;
}

static int mlockall(int flags)
{
	int ret = linmm_mlockall(tsk, flags);

	check_mm();
	return ret;
}

/* vm_flags of the heap VMA (the one at start_brk). */
static vm_flags_t heap_flags(void)
{
	return vma_flags_at(tsk->mm->start_brk);
}

/*
 *	AAAAAAAA  mlock 2..4     AAaaAAAA   split in three
 *	AAaaAAAA  mlock 4..6     AAaaaaAA   a grows over part of A (merge left)
 *	AAaaaaAA  mlock 0..2     aaaaaaAA   A's head merges with a on its right
 *	aaaaaaAA  mlock 6..8     aaaaaaaa   all one VMA again
 *	aaaaaaaa  munlock 3..5   aaaAAaaa   split in three, locked_vm 6
 *	aaaAAaaa  munlock 0..8   AAAAAAAA   one VMA, locked_vm 0
 */
static void test_mlock_split_merge(void **state)
{
	(void)state;
	spawn();
	map_at(0, 8, RW, FIXED);
	assert_int_equal(mlock_at(2, 2), 0);
	assert_string_equal(layout(), "0-2:rw-p 2-4:rw-p,lo 4-8:rw-p");
	assert_int_equal(tsk->mm->locked_vm, 2);
	assert_int_equal(mlock_at(4, 2), 0);
	assert_string_equal(layout(), "0-2:rw-p 2-6:rw-p,lo 6-8:rw-p");
	assert_int_equal(mlock_at(0, 2), 0);
	assert_string_equal(layout(), "0-6:rw-p,lo 6-8:rw-p");
	assert_int_equal(mlock_at(6, 2), 0);
	assert_string_equal(layout(), "0-8:rw-p,lo");
	assert_int_equal(tsk->mm->locked_vm, 8);
	/* Locking again changes nothing and charges nothing. */
	assert_int_equal(mlock_at(0, 8), 0);
	assert_int_equal(tsk->mm->locked_vm, 8);
	assert_int_equal(munlock_at(3, 2), 0);
	assert_string_equal(layout(), "0-3:rw-p,lo 3-5:rw-p 5-8:rw-p,lo");
	assert_int_equal(tsk->mm->locked_vm, 6);
	assert_int_equal(munlock_at(0, 8), 0);
	assert_string_equal(layout(), "0-8:rw-p");
	assert_int_equal(tsk->mm->locked_vm, 0);
	assert_int_equal(tsk->mm->map_count, 1);
}

/*
 * Locking spans VMAs of different rights without merging them, and shared
 * memory never merges:
 *
 *	AAAABBBBSS  (A r--, B rw-, S shared)   mlock 2..9   AAaabbbbsS
 */
static void test_mlock_across_vmas(void **state)
{
	(void)state;
	spawn();
	map_at(0, 4, PROT_READ, FIXED);
	map_at(4, 4, RW, FIXED);
	map_at(8, 2, RW, SHARED_FIXED);
	assert_int_equal(mlock_at(2, 7), 0);
	assert_string_equal(layout(), "0-2:r--p 2-4:r--p,lo 4-8:rw-p,lo 8-9:rw-s,lo 9-10:rw-s");
	assert_int_equal(tsk->mm->locked_vm, 7);
	/* munmap of part of a locked VMA gives its pages back. */
	assert_int_equal(linmm_munmap(tsk, BASE + 5 * P, 2 * P), 0);
	check_mm();
	assert_int_equal(tsk->mm->locked_vm, 5);
	assert_int_equal(munlock_at(0, 10), -ENOMEM);	/* the hole at 5..7 */
	assert_string_equal(layout(), "0-4:r--p 4-5:rw-p 7-8:rw-p,lo 8-9:rw-s,lo 9-10:rw-s");
}

/*
 * Holes: a start in a hole fails at once; a hole further on fails after
 * the VMAs before it were changed:
 *
 *	AAAA..BBBB  mlock 0..10  aaaa..BBBB  -ENOMEM
 *	AAAA..BBBB  mlock 5..7   unchanged   -ENOMEM (starts in the hole)
 *	            mlock 6..12  aaaa..bbbb  -ENOMEM (runs past the end)
 */
static void test_mlock_holes(void **state)
{
	(void)state;
	spawn();
	map_at(0, 4, RW, FIXED);
	map_at(6, 4, RW, FIXED);
	assert_int_equal(mlock_at(0, 10), -ENOMEM);
	assert_string_equal(layout(), "0-4:rw-p,lo 6-10:rw-p");
	assert_int_equal(mlock_at(5, 2), -ENOMEM);
	assert_string_equal(layout(), "0-4:rw-p,lo 6-10:rw-p");
	assert_int_equal(mlock_at(6, 6), -ENOMEM);
	assert_string_equal(layout(), "0-4:rw-p,lo 6-10:rw-p,lo");
	assert_int_equal(munlock_at(4, 1), -ENOMEM);
	assert_int_equal(munlock_at(20, 1), -ENOMEM);	/* nothing above */
	assert_int_equal(tsk->mm->locked_vm, 8);
}

/*
 * MLOCK_ONFAULT sets VM_LOCKONFAULT as well; a plain mlock over it keeps
 * VM_LOCKED and drops VM_LOCKONFAULT without charging the pages again:
 *
 *	AAAAAA  mlock2(1..5, ONFAULT)  AffffA   f = locked on fault
 *	AffffA  mlock 2..3             AfflfA   l = locked
 *	AfflfA  mlock2(0..6, ONFAULT)  ffffff   one VMA
 */
static void test_mlock_onfault(void **state)
{
	(void)state;
	spawn();
	map_at(0, 6, RW, FIXED);
	assert_int_equal(mlock2_at(1, 4, MLOCK_ONFAULT), 0);
	assert_string_equal(layout(), "0-1:rw-p 1-5:rw-p,lo,lf 5-6:rw-p");
	assert_int_equal(mlock_at(3, 1), 0);
	assert_string_equal(layout(), "0-1:rw-p 1-3:rw-p,lo,lf 3-4:rw-p,lo 4-5:rw-p,lo,lf 5-6:rw-p");
	assert_int_equal(tsk->mm->locked_vm, 4);
	assert_int_equal(mlock2_at(0, 6, MLOCK_ONFAULT), 0);
	assert_string_equal(layout(), "0-6:rw-p,lo,lf");
	assert_int_equal(mlock2_at(0, 1, 2), -EINVAL);
	assert_int_equal(mlock2_at(0, 1, MLOCK_ONFAULT | 2), -EINVAL);
	assert_int_equal(mlock2_at(0, 1, -1), -EINVAL);
	assert_int_equal(munlock_at(0, 6), 0);
	assert_string_equal(layout(), "0-6:rw-p");
}

/*
 * Faulting in: mlock of a PROT_NONE VMA locks it, but GUP cannot fault it
 * in: -ENOMEM (the kernel's -EFAULT), the VMA stays locked and counted.
 * With MLOCK_ONFAULT nothing is faulted in: 0.  Write-only and
 * execute-only memory can be (FOLL_FORCE).
 */
static void test_mlock_prot_none(void **state)
{
	(void)state;
	spawn();
	map_at(0, 2, PROT_NONE, FIXED);
	map_at(2, 2, PROT_WRITE, FIXED);
	map_at(4, 2, PROT_EXEC, FIXED);
	assert_int_equal(mlock_at(0, 2), -ENOMEM);
	assert_string_equal(layout(), "0-2:---p,lo 2-4:-w-p 4-6:--xp");
	assert_int_equal(tsk->mm->locked_vm, 2);
	assert_int_equal(munlock_at(0, 2), 0);
	assert_int_equal(mlock2_at(0, 2, MLOCK_ONFAULT), 0);
	assert_int_equal(mlock_at(2, 4), 0);
	assert_string_equal(layout(), "0-2:---p,lo,lf 2-4:-w-p,lo 4-6:--xp,lo");
	/* The whole range is locked first; populating stops at PROT_NONE. */
	assert_int_equal(munlock_at(0, 6), 0);
	assert_int_equal(mlock_at(2, 4), 0);
	assert_int_equal(mlock_at(0, 6), -ENOMEM);
	assert_string_equal(layout(), "0-2:---p,lo 2-4:-w-p,lo 4-6:--xp,lo");
}

/*
 * Arguments: the start is rounded down and the length grows by as much;
 * zero length and lengths that round up to 0 do nothing; an end that
 * wraps is -EINVAL, or -ENOMEM first for a task that the limit stops.
 */
static void test_mlock_args(void **state)
{
	(void)state;
	spawn();
	map_at(0, 4, RW, FIXED);
	assert_int_equal(linmm_mlock(tsk, BASE + P + 1, 1), 0);
	check_mm();
	assert_string_equal(layout(), "0-1:rw-p 1-2:rw-p,lo 2-4:rw-p");
	assert_int_equal(linmm_mlock(tsk, BASE + 2 * P - 1, 2), 0);	/* pages 1 and 2 */
	check_mm();
	assert_string_equal(layout(), "0-1:rw-p 1-3:rw-p,lo 3-4:rw-p");
	assert_int_equal(linmm_mlock(tsk, BASE, 0), 0);
	assert_int_equal(linmm_mlock(tsk, BASE, ~0UL), 0);	/* rounds up to 0 */
	assert_int_equal(linmm_munlock(tsk, BASE, ~0UL), 0);
	check_mm();
	assert_string_equal(layout(), "0-1:rw-p 1-3:rw-p,lo 3-4:rw-p");
	assert_int_equal(linmm_mlock(tsk, BASE + P, -2 * P), -ENOMEM);	/* limit first */
	assert_int_equal(linmm_munlock(tsk, BASE + P, -2 * P), -EINVAL);
	tsk->cap_effective |= 1ULL << CAP_IPC_LOCK;
	assert_int_equal(linmm_mlock(tsk, BASE + P, -2 * P), -EINVAL);
	check_mm();
}

/*
 * RLIMIT_MEMLOCK (8 MiB = 2048 pages at spawn) without CAP_IPC_LOCK:
 * pages already locked inside the range are not charged again; a limit
 * of 0 forbids mlock (-EPERM) but not munlock; CAP_IPC_LOCK lifts the
 * limit.  MAP_LOCKED mappings count against the same limit (-EAGAIN).
 */
static void test_mlock_rlimit(void **state)
{
	unsigned long limit = MLOCK_LIMIT / P;

	(void)state;
	spawn();
	assert_int_equal(tsk->rlim_memlock, MLOCK_LIMIT);
	map_at(0, limit + 8, RW, FIXED);
	assert_int_equal(mlock_at(0, limit), 0);
	assert_int_equal(tsk->mm->locked_vm, limit);
	assert_int_equal(mlock_at(limit, 1), -ENOMEM);
	/* Overlapping what is locked: only the new pages count. */
	assert_int_equal(mlock_at(4, limit - 4), 0);
	assert_int_equal(munlock_at(0, 1), 0);
	assert_int_equal(mlock_at(1, limit), 0);	/* pages 1..limit: one new */
	assert_int_equal(tsk->mm->locked_vm, limit);
	assert_int_equal(mlock_at(0, 1), -ENOMEM);
	assert_int_equal(linmm_mmap(tsk, BASE + (limit + 16) * P, P, RW, FIXED | MAP_LOCKED, -1, 0),
			 -EAGAIN);
	check_mm();

	/* A smaller limit: 4 pages. */
	assert_int_equal(munlock_at(0, limit + 8), 0);
	tsk->rlim_memlock = 4 * P;
	assert_int_equal(mlock_at(0, 4), 0);
	assert_int_equal(mlock2_at(4, 1, MLOCK_ONFAULT), -ENOMEM);
	assert_int_equal(mlockall(MCL_CURRENT), -ENOMEM);	/* total_vm > limit */
	assert_int_equal(mlockall(MCL_FUTURE), 0);
	assert_int_equal(linmm_mmap(tsk, BASE + (limit + 16) * P, P, RW, FIXED, -1, 0), -EAGAIN);
	assert_int_equal(linmm_munlockall(tsk), 0);
	check_mm();

	/* No limit at all: nothing may be locked. */
	tsk->rlim_memlock = 0;
	assert_int_equal(mlock_at(0, 1), -EPERM);
	assert_int_equal(mlock2_at(0, 1, MLOCK_ONFAULT), -EPERM);
	assert_int_equal(mlock2_at(0, 1, 2), -EINVAL);	/* flags are checked first */
	assert_int_equal(mlockall(MCL_FUTURE), -EPERM);
	assert_int_equal(mlockall(0), -EINVAL);
	assert_int_equal(linmm_mmap(tsk, BASE + (limit + 16) * P, P, RW, FIXED | MAP_LOCKED, -1, 0),
			 -EPERM);
	assert_int_equal(munlock_at(0, 1), 0);

	/* CAP_IPC_LOCK: no limit. */
	tsk->cap_effective |= 1ULL << CAP_IPC_LOCK;
	assert_int_equal(mlock_at(0, limit + 8), 0);
	assert_int_equal(tsk->mm->locked_vm, limit + 8);
	assert_int_equal(mlockall(MCL_CURRENT | MCL_ONFAULT), 0);
	map_at(limit + 16, 1, RW, FIXED | MAP_LOCKED);
	assert_int_equal(tsk->mm->locked_vm, limit + 9);
}

/*
 * mlockall:
 *	AAAA.BBBB.S  MCL_CURRENT          aaaa.bbbb.s   every VMA (no merge across holes)
 *	MCL_FUTURE: def_flags; later mmap and brk memory is locked
 *	munlockall: everything unlocked, def_flags cleared; VMAs that differed
 *	only in the lock bits merge again
 */
static void test_mlockall(void **state)
{
	unsigned long brk;

	(void)state;
	spawn();
	map_at(0, 4, RW, FIXED);
	map_at(5, 4, PROT_READ, FIXED);
	map_at(10, 1, RW, SHARED_FIXED);
	assert_int_equal(mlockall(0), -EINVAL);
	assert_int_equal(mlockall(MCL_ONFAULT), -EINVAL);
	assert_int_equal(mlockall(8), -EINVAL);
	assert_int_equal(mlockall(MCL_CURRENT), 0);
	assert_string_equal(layout(), "0-4:rw-p,lo 5-9:r--p,lo 10-11:rw-s,lo");
	assert_int_equal(tsk->mm->def_flags, 0);
	assert_int_equal(tsk->mm->locked_vm, 9);
	/* A new unlocked mapping next to a locked one stays apart. */
	map_at(4, 1, RW, FIXED);
	assert_string_equal(layout(), "0-4:rw-p,lo 4-5:rw-p 5-9:r--p,lo 10-11:rw-s,lo");
	assert_int_equal(linmm_munlockall(tsk), 0);
	check_mm();
	assert_string_equal(layout(), "0-5:rw-p 5-9:r--p 10-11:rw-s");

	assert_int_equal(mlockall(MCL_FUTURE | MCL_ONFAULT), 0);
	assert_int_equal(tsk->mm->def_flags, VM_LOCKED | VM_LOCKONFAULT);
	assert_string_equal(layout(), "0-5:rw-p 5-9:r--p 10-11:rw-s");
	map_at(11, 2, RW, FIXED);
	assert_string_equal(layout(), "0-5:rw-p 5-9:r--p 10-11:rw-s 11-13:rw-p,lo,lf");
	brk = linmm_brk(tsk, 0);
	assert_int_equal(linmm_brk(tsk, brk + 2 * P), brk + 2 * P);
	check_mm();
	assert_int_equal(tsk->mm->locked_vm, 4);
	assert_int_equal(heap_flags() & VM_LOCKED_MASK, VM_LOCKED | VM_LOCKONFAULT);
	/* A second call replaces the first: MCL_CURRENT alone clears MCL_FUTURE. */
	assert_int_equal(mlockall(MCL_CURRENT), 0);
	assert_int_equal(tsk->mm->def_flags, 0);
	assert_string_equal(layout(), "0-5:rw-p,lo 5-9:r--p,lo 10-11:rw-s,lo 11-13:rw-p,lo");
	assert_int_equal(heap_flags() & VM_LOCKED_MASK, VM_LOCKED);
	assert_int_equal(linmm_munlockall(tsk), 0);
	check_mm();
	assert_int_equal(tsk->mm->locked_vm, 0);
	assert_string_equal(layout(), "0-5:rw-p 5-9:r--p 10-11:rw-s 11-13:rw-p");
	assert_int_equal(heap_flags() & VM_LOCKED_MASK, 0);

	/* The heap after MCL_FUTURE counts against the limit too. */
	tsk->rlim_memlock = P;
	assert_int_equal(mlockall(MCL_FUTURE), 0);
	brk = linmm_brk(tsk, 0);
	assert_int_equal(linmm_brk(tsk, brk + 2 * P), brk);
	assert_int_equal(linmm_brk(tsk, brk + P), brk + P);
	check_mm();
	assert_int_equal(tsk->mm->locked_vm, 1);
}

/* A split that would pass vm.max_map_count fails with -ENOMEM. */
static void test_mlock_max_map_count(void **state)
{
	(void)state;
	spawn();
	map_at(0, 8, RW, FIXED);
	map_at(10, 1, RW, FIXED);
	sysctl_max_map_count = 2;
	assert_int_equal(mlock_at(2, 2), -ENOMEM);
	assert_string_equal(layout(), "0-8:rw-p 10-11:rw-p");
	/* A whole VMA needs no split. */
	assert_int_equal(mlock_at(10, 1), 0);
	sysctl_max_map_count = 3;
	/* One split (at the head) fits, the second does not: left half-done. */
	assert_int_equal(mlock_at(2, 2), -ENOMEM);
	assert_string_equal(layout(), "0-2:rw-p 2-8:rw-p 10-11:rw-p,lo");
	assert_int_equal(mlock_at(2, 6), 0);
	assert_string_equal(layout(), "0-2:rw-p 2-8:rw-p,lo 10-11:rw-p,lo");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_mlock_split_merge, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_mlock_across_vmas, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_mlock_holes, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_mlock_onfault, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_mlock_prot_none, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_mlock_args, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_mlock_rlimit, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_mlockall, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_mlock_max_map_count, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
