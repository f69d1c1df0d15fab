// SPDX-License-Identifier: MIT
/*
 * test_vma.c - VMAs: mmap/munmap/mprotect, every merge and split case,
 * gap search, vm.max_map_count, errno values and /proc/PID/maps.
 *
 * Pictures use one character per page from BASE: a letter per VMA, '.'
 * for a hole.  layout() (tests/vma_test.h) prints the VMAs as "start-end:perms" so each case
 * checks exactly which VMAs exist after the call; validate_mm() runs after
 * every operation.
 */
#include "../linmm_test.h"
#include "../vma_test.h"

#include "kernel/host.h"

#define PRIV (MAP_PRIVATE | MAP_ANONYMOUS)
#define FIXED (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

static long mmap_err(unsigned long addr, unsigned long len, unsigned long prot,
		     unsigned long flags)
{
	unsigned long ret = linmm_mmap(tsk, addr, len, prot, flags, -1, 0);

	check_mm();
	return IS_ERR_VALUE(ret) ? (long)ret : 0;
}

/*
 * New-range merges (vma_merge_new_range):
 *
 *	AAA.BBB -> map 3 -> AAAAAAA    both neighbours: one VMA
 *	AAA.... -> map 3 -> AAAA...    prev grows up
 *	....BBB -> map 3 -> ...BBBB    next grows down
 *	AAA.BBB with other prot -> AAACBBB   nothing merges
 */
static void test_merge_new_range(void **state)
{
	(void)state;
	spawn();
	map_at(0, 3, RW, PRIV);
	map_at(4, 3, RW, PRIV);
	assert_string_equal(layout(), "0-3:rw-p 4-7:rw-p");
	map_at(3, 1, RW, PRIV);
	assert_string_equal(layout(), "0-7:rw-p");
	assert_int_equal(tsk->mm->map_count, 1);

	map_at(10, 3, RW, PRIV);
	map_at(13, 1, RW, PRIV);
	assert_string_equal(layout(), "0-7:rw-p 10-14:rw-p");
	map_at(19, 2, RW, PRIV);
	map_at(18, 1, RW, PRIV);
	assert_string_equal(layout(), "0-7:rw-p 10-14:rw-p 18-21:rw-p");
	/* Different rights, shared memory: separate VMAs. */
	map_at(14, 1, PROT_READ, PRIV);
	map_at(17, 1, RW, MAP_SHARED | MAP_ANONYMOUS);
	assert_string_equal(layout(), "0-7:rw-p 10-14:rw-p 14-15:r--p 17-18:rw-s 18-21:rw-p");
	/* Shared anonymous memory never merges, not even with its own kind. */
	map_at(16, 1, RW, MAP_SHARED | MAP_ANONYMOUS);
	assert_int_equal(tsk->mm->map_count, 6);
}

/*
 * MAP_FIXED over existing VMAs unmaps them first, then merges:
 *
 *	AAAABBBB (A rw-, B r--) -> rw- over 2..6 -> AAAAAABB (A grows, B shrinks)
 */
static void test_fixed_replaces(void **state)
{
	(void)state;
	spawn();
	map_at(0, 4, RW, PRIV);
	map_at(4, 4, PROT_READ, PRIV);
	map_at(2, 4, RW, PRIV);
	assert_string_equal(layout(), "0-6:rw-p 6-8:r--p");
	/* The same rights over the middle of one VMA: still one VMA. */
	map_at(1, 2, RW, PRIV);
	assert_string_equal(layout(), "0-6:rw-p 6-8:r--p");
}

/*
 * munmap splits at both ends:
 *
 *	AAAAAAAA -> unmap 2..4 -> AA..AAAA -> unmap 1..7 -> A......A
 */
static void test_munmap_split(void **state)
{
	(void)state;
	spawn();
	map_at(0, 8, RW, PRIV);
	assert_int_equal(linmm_munmap(tsk, BASE + 2 * P, 2 * P), 0);
	check_mm();
	assert_string_equal(layout(), "0-2:rw-p 4-8:rw-p");
	assert_int_equal(linmm_munmap(tsk, BASE + P, 6 * P), 0);
	check_mm();
	assert_string_equal(layout(), "0-1:rw-p 7-8:rw-p");
	/* Nothing mapped there: success. */
	assert_int_equal(linmm_munmap(tsk, BASE + 3 * P, P), 0);
	/* A length that is not a page multiple is rounded up. */
	assert_int_equal(linmm_munmap(tsk, BASE, 1), 0);
	assert_string_equal(layout(), "7-8:rw-p");
	assert_int_equal(tsk->mm->total_vm, 1);
}

/*
 * mprotect on an existing range (vma_merge_existing_range):
 *
 *	PPPPMMMMNNNN  (P r--, M rw-, N r--), M -> r--   => one VMA (both)
 *	PPPPMMMM      M -> r--                          => P grows over M
 *	PPPPMMmm      MM -> r--                         => P grows, M keeps mm
 *	    MMMMNNNN  M -> r--                          => N grows down over M
 *	    mmMMNNNN  MM -> r--                         => N grows down over MM
 *	    mmMMmm    MM -> r--, no neighbour matches   => split into three
 */
static void test_mprotect_merge_split(void **state)
{
	(void)state;
	spawn();
	/* both */
	map_at(0, 4, PROT_READ, PRIV);
	map_at(4, 4, RW, PRIV);
	map_at(8, 4, PROT_READ, PRIV);
	assert_string_equal(layout(), "0-4:r--p 4-8:rw-p 8-12:r--p");
	assert_int_equal(linmm_mprotect(tsk, BASE + 4 * P, 4 * P, PROT_READ), 0);
	check_mm();
	assert_string_equal(layout(), "0-12:r--p");
	assert_int_equal(linmm_munmap(tsk, BASE, 12 * P), 0);

	/* prev grows over all of middle */
	map_at(0, 4, PROT_READ, PRIV);
	map_at(4, 4, RW, PRIV);
	assert_int_equal(linmm_mprotect(tsk, BASE + 4 * P, 4 * P, PROT_READ), 0);
	check_mm();
	assert_string_equal(layout(), "0-8:r--p");
	assert_int_equal(linmm_munmap(tsk, BASE, 8 * P), 0);

	/* prev grows over part of middle */
	map_at(0, 4, PROT_READ, PRIV);
	map_at(4, 4, RW, PRIV);
	assert_int_equal(linmm_mprotect(tsk, BASE + 4 * P, 2 * P, PROT_READ), 0);
	check_mm();
	assert_string_equal(layout(), "0-6:r--p 6-8:rw-p");
	assert_int_equal(linmm_munmap(tsk, BASE, 8 * P), 0);

	/* next grows down over all of middle */
	map_at(4, 4, RW, PRIV);
	map_at(8, 4, PROT_READ, PRIV);
	assert_int_equal(linmm_mprotect(tsk, BASE + 4 * P, 4 * P, PROT_READ), 0);
	check_mm();
	assert_string_equal(layout(), "4-12:r--p");
	assert_int_equal(linmm_munmap(tsk, BASE, 12 * P), 0);

	/* next grows down over part of middle */
	map_at(4, 4, RW, PRIV);
	map_at(8, 4, PROT_READ, PRIV);
	assert_int_equal(linmm_mprotect(tsk, BASE + 6 * P, 2 * P, PROT_READ), 0);
	check_mm();
	assert_string_equal(layout(), "4-6:rw-p 6-12:r--p");
	assert_int_equal(linmm_munmap(tsk, BASE, 12 * P), 0);

	/* split in three, then back: the pieces merge again */
	map_at(4, 6, RW, PRIV);
	assert_int_equal(linmm_mprotect(tsk, BASE + 6 * P, 2 * P, PROT_READ), 0);
	check_mm();
	assert_string_equal(layout(), "4-6:rw-p 6-8:r--p 8-10:rw-p");
	assert_int_equal(linmm_mprotect(tsk, BASE + 6 * P, 2 * P, RW), 0);
	check_mm();
	assert_string_equal(layout(), "4-10:rw-p");
	assert_int_equal(tsk->mm->map_count, 1);
}

/*
 * Commit accounting follows VM_ACCOUNT: a private writable mapping is
 * charged; read-only again (never faulted) it is uncharged and merges with
 * a read-only neighbour that never had VM_ACCOUNT.
 */
static void test_accounting(void **state)
{
	unsigned long committed;

	(void)state;
	spawn();
	committed = vm_memory_committed();
	map_at(0, 4, RW, PRIV);
	assert_int_equal(vm_memory_committed(), committed + 4);
	assert_int_equal(tsk->mm->total_vm, 4);
	assert_int_equal(tsk->mm->data_vm, 4);
	map_at(4, 2, PROT_READ, PRIV);
	assert_int_equal(vm_memory_committed(), committed + 4);
	assert_int_equal(linmm_mprotect(tsk, BASE, 4 * P, PROT_READ), 0);
	check_mm();
	assert_string_equal(layout(), "0-6:r--p");
	assert_int_equal(vm_memory_committed(), committed);
	assert_int_equal(tsk->mm->data_vm, 0);
	/* MAP_NORESERVE and shared memory are not charged. */
	map_at(8, 2, RW, PRIV | MAP_NORESERVE);
	map_at(12, 2, RW, MAP_SHARED | MAP_ANONYMOUS);
	assert_int_equal(vm_memory_committed(), committed);
	map_at(16, 1, PROT_READ | PROT_EXEC, PRIV);
	assert_int_equal(tsk->mm->exec_vm, 1);
	/* MAP_LOCKED counts locked_vm, up to RLIMIT_MEMLOCK (8 MiB). */
	map_at(20, 2, PROT_READ, PRIV | MAP_LOCKED);
	assert_int_equal(tsk->mm->locked_vm, 2);
	assert_int_equal(mmap_err(BASE + 100 * P, 8UL << 20, PROT_READ, FIXED | MAP_LOCKED),
			 -EAGAIN);
	assert_int_equal(mmap_err(BASE + 100 * P, (8UL << 20) - 2 * P, PROT_READ,
				  FIXED | MAP_LOCKED), 0);
	assert_int_equal(tsk->mm->locked_vm, 2048);
	assert_int_equal(linmm_munmap(tsk, BASE + 100 * P, 8UL << 20), 0);
	assert_int_equal(tsk->mm->locked_vm, 2);
	assert_int_equal(linmm_munmap(tsk, BASE + 20 * P, 2 * P), 0);
	assert_int_equal(tsk->mm->total_vm, 11);
	linmm_task_exit(tsk);
	assert_int_equal(vm_memory_committed(), committed);
}

static void test_errno(void **state)
{
	(void)state;
	spawn();
	assert_int_equal(mmap_err(0, 0, RW, PRIV), -EINVAL);
	assert_int_equal(mmap_err(BASE + 1, P, RW, FIXED), -EINVAL);
	assert_int_equal(mmap_err(BASE, P, RW, MAP_ANONYMOUS | MAP_FIXED), -EINVAL);
	assert_int_equal(mmap_err(BASE, P, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS), -EINVAL);
	assert_int_equal(mmap_err(0, P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN), -EINVAL);
	assert_int_equal(mmap_err(0, -P, RW, PRIV), -ENOMEM);		/* rounds to 0 */
	assert_int_equal(mmap_err(0, 1UL << 47, RW, PRIV), -ENOMEM);	/* > TASK_SIZE */
	assert_int_equal(mmap_err(TASK_SIZE_MAX, P, RW, FIXED), -ENOMEM);
	assert_int_equal(mmap_err(PAGE_SIZE, P, RW, FIXED), -EPERM);	/* < mmap_min_addr */
	assert_int_equal((long)linmm_mmap(tsk, 0, P, RW, MAP_PRIVATE, 3, 0), -EBADF);
	assert_int_equal((long)linmm_mmap(tsk, 0, P, RW, PRIV, -1, 1), -EINVAL);
	map_at(0, 2, RW, PRIV);
	assert_int_equal(mmap_err(BASE + P, P, RW, PRIV | MAP_FIXED_NOREPLACE), -EEXIST);
	/* NOREPLACE into a free range works. */
	assert_int_equal(mmap_err(BASE + 2 * P, P, PROT_READ, PRIV | MAP_FIXED_NOREPLACE), 0);

	assert_int_equal(linmm_munmap(tsk, BASE + 1, P), -EINVAL);
	assert_int_equal(linmm_munmap(tsk, BASE, 0), -EINVAL);
	assert_int_equal(linmm_munmap(tsk, TASK_SIZE_MAX, 2 * P), -EINVAL);

	assert_int_equal(linmm_mprotect(tsk, BASE + 1, P, PROT_READ), -EINVAL);
	assert_int_equal(linmm_mprotect(tsk, BASE, P, 0x10), -EINVAL);
	assert_int_equal(linmm_mprotect(tsk, BASE, 0, PROT_READ), 0);
	assert_int_equal(linmm_mprotect(tsk, BASE + 10 * P, P, PROT_READ), -ENOMEM);
	/* A hole after the first VMA: it is changed, then -ENOMEM (as Linux). */
	assert_int_equal(linmm_mprotect(tsk, BASE, 5 * P, PROT_NONE), -ENOMEM);
	check_mm();
	assert_string_equal(layout(), "0-3:---p");
	assert_int_equal(linmm_mprotect(tsk, BASE, 3 * P, PROT_READ | PROT_GROWSDOWN), -EINVAL);
	assert_int_equal(linmm_mprotect(tsk, BASE, 3 * P,
					PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP), -EINVAL);
}

/*
 * Top-down placement below mmap_base (x86_64: 2^47 - 4096 - 128 MiB),
 * hints, the THP alignment of 2 MiB multiples and the stack guard gap.
 */
static void test_gap_search(void **state)
{
	unsigned long base, a, b, stack;

	(void)state;
	spawn();
	base = tsk->mm->mmap_base;
	assert_int_equal(base, 0x7ffff7fff000UL);
	a = linmm_mmap(tsk, 0, P, RW, PRIV, -1, 0);
	assert_int_equal(a, base - P);
	b = linmm_mmap(tsk, 0, 3 * P, PROT_READ, PRIV, -1, 0);
	assert_int_equal(b, base - 4 * P);
	check_mm();
	/* Free a hole of 2 pages above b: a 2-page request fits it exactly... */
	assert_int_equal(linmm_munmap(tsk, b + P, 2 * P), 0);
	assert_int_equal(linmm_mmap(tsk, 0, 2 * P, PROT_EXEC, PRIV, -1, 0), b + P);
	/* ...a 3-page one goes below everything. */
	assert_int_equal(linmm_mmap(tsk, 0, 3 * P, PROT_EXEC, PRIV, -1, 0), b - 3 * P);
	check_mm();

	/* Hints: free -> taken, busy -> top-down, low -> mmap_min_addr. */
	assert_int_equal(linmm_mmap(tsk, BASE, P, RW, PRIV, -1, 0), BASE);
	assert_int_equal(linmm_mmap(tsk, BASE + 5, P, RW, PRIV, -1, 0), b - 4 * P);
	assert_int_equal(linmm_mmap(tsk, 4096, P, RW, PRIV, -1, 0), mmap_min_addr);

	/* 2 MiB with no hint: 2 MiB aligned. */
	a = linmm_mmap(tsk, 0, 2UL << 20, RW, PRIV, -1, 0);
	assert_false(IS_ERR_VALUE(a));
	assert_true(IS_ALIGNED(a, 2UL << 20));
	check_mm();

	/*
	 * A VM_GROWSDOWN VMA keeps stack_guard_gap free below it:
	 *	[new]<-- 256 pages -->[stack]
	 */
	stack = linmm_mmap(tsk, 0x700000000000UL, 4 * P, RW, PRIV | MAP_GROWSDOWN, -1, 0);
	assert_int_equal(stack, 0x700000000000UL);
	assert_int_equal(tsk->mm->stack_vm, 4);
	assert_int_equal(linmm_mmap(tsk, stack - P, P, RW, PRIV, -1, 0) == stack - P, false);
	assert_int_equal(linmm_mmap(tsk, stack - stack_guard_gap - P, P, RW, PRIV, -1, 0),
			 stack - stack_guard_gap - P);
	check_mm();
}

/* vm.max_map_count: mmap refuses once map_count exceeds it (map_count > max). */
static void test_max_map_count(void **state)
{
	unsigned long i;

	(void)state;
	spawn();
	assert_int_equal(linmm_proc_write("/proc/sys/vm/max_map_count", "10"), 0);
	assert_int_equal(sysctl_max_map_count, 10);
	/* Alternate rights so that nothing merges: r- rw r- rw ... */
	for (i = 0; i < 11; i++)
		map_at(2 * i, 1, i & 1 ? RW : PROT_READ, PRIV);
	assert_int_equal(tsk->mm->map_count, 11);
	assert_int_equal(mmap_err(BASE + 40 * P, P, RW, FIXED), -ENOMEM);
	/* A merge would need no new VMA, but the count is checked first. */
	assert_int_equal(mmap_err(BASE + P, P, PROT_READ, FIXED), -ENOMEM);
	assert_int_equal(linmm_munmap(tsk, BASE, P), 0);
	assert_int_equal(mmap_err(BASE + 40 * P, P, RW, FIXED), 0);
	/* Left at 10: the next boot starts from the default again. */
}

static void test_max_map_count_split(void **state)
{
	int saved = sysctl_max_map_count;

	(void)state;
	spawn();
	assert_int_equal(sysctl_max_map_count, 65530);
	map_at(0, 3, RW, PRIV);
	map_at(4, 3, RW, PRIV);
	sysctl_max_map_count = 2;
	/* Punching a hole needs a third VMA: refused. */
	assert_int_equal(linmm_munmap(tsk, BASE + P, P), -ENOMEM);
	/* Trimming an end needs none. */
	assert_int_equal(linmm_munmap(tsk, BASE, P), 0);
	/* mprotect's split is refused at the limit. */
	assert_int_equal(linmm_mprotect(tsk, BASE + 5 * P, P, PROT_READ), -ENOMEM);
	check_mm();
	assert_string_equal(layout(), "1-3:rw-p 4-7:rw-p");
	sysctl_max_map_count = saved;
}

/*
 * /proc/PID/maps lines, byte for byte as Linux prints them: an unnamed line
 * ends in a space; a name starts at column 73 (checked against the host's
 * /proc/self/maps by tests/diff/test_mmap_diff.c).
 */
static void test_proc_maps(void **state)
{
	char expect[512];
	char *text;

	(void)state;
	spawn();
	assert_int_equal(tsk->pid, 1);
	map_at(0, 2, RW, PRIV);
	map_at(4, 1, PROT_READ | PROT_EXEC, PRIV);
	map_at(8, 3, RW, MAP_SHARED | MAP_ANONYMOUS);
	assert_int_equal(linmm_munmap(tsk, BASE + 9 * P, P), 0);
	snprintf(expect, sizeof(expect), "%s%s%-73s%s\n%-73s%s\n",
		 "10000000-10002000 rw-p 00000000 00:00 0 \n",
		 "10004000-10005000 r-xp 00000000 00:00 0 \n",
		 "10008000-10009000 rw-s 00000000 00:01 1 ", "/dev/zero (deleted)",
		 "1000a000-1000b000 rw-s 00002000 00:01 1 ", "/dev/zero (deleted)");
	text = linmm_proc_read("/proc/1/maps");
	assert_non_null(text);
	assert_string_equal(text, expect);
	free(text);
	assert_null(linmm_proc_read("/proc/2/maps"));
	assert_null(linmm_proc_read("/proc/1/smapsx"));
	assert_null(linmm_proc_read("/proc/01/maps"));
	/* Top-down addresses print in 12 digits. */
	assert_int_equal(linmm_mmap(tsk, 0, P, PROT_NONE, PRIV, -1, 0), 0x7ffff7ffe000UL);
	text = linmm_proc_read("/proc/1/maps");
	assert_non_null(strstr(text, "\n7ffff7ffe000-7ffff7fff000 ---p 00000000 00:00 0 \n"));
	free(text);
	/* VMAs, mms and tasks come from their own (unmerged) slab caches. */
	text = linmm_proc_read("/proc/slabinfo");
	assert_non_null(text);
	assert_non_null(strstr(text, "\nvm_area_struct "));
	assert_non_null(strstr(text, "\nmm_struct "));
	assert_non_null(strstr(text, "\ntask_struct "));
	free(text);
}

/*
 * Random sequences against a page-array model: after every call each
 * page's state (unmapped, or mapped with rights and shared/private) must
 * match the VMAs, and validate_mm() must hold.
 */
#define MODEL_PAGES 128

static unsigned char model[MODEL_PAGES];	/* 0: hole, else 0x80 | prot | 8 shared */

static void check_model(void)
{
	for (unsigned long i = 0; i < MODEL_PAGES; i++) {
		struct vm_area_struct *vma;
		unsigned char state = 0;

		mmap_read_lock(tsk->mm);
		vma = vma_lookup(tsk->mm, BASE + i * P);
		if (vma)
			state = (unsigned char)(0x80 | (vma->vm_flags & VM_ACCESS_FLAGS) |
						(vma->vm_flags & VM_SHARED ? 8 : 0));
		mmap_read_unlock(tsk->mm);
		if (state != model[i])
			fail_msg("page %lu: state %#x, model %#x", i, state, model[i]);
	}
	check_mm();
}

static void test_random_model(void **state)
{
	(void)state;
	spawn();
	memset(model, 0, sizeof(model));
	linmm_test_rnd = 0x5eed;
	for (int step = 0; step < 3000; step++) {
		unsigned long i = next_rand() % MODEL_PAGES;
		unsigned long n = 1 + next_rand() % 6;
		unsigned long prot = next_rand() % 8 & (PROT_READ | PROT_WRITE | PROT_EXEC);
		unsigned long op = next_rand() % 3, j;
		bool shared = next_rand() % 5 == 0;

		if (i + n > MODEL_PAGES)
			n = MODEL_PAGES - i;
		if (op == 0) {
			map_at(i, n, prot, shared ? MAP_SHARED | MAP_ANONYMOUS : PRIV);
			for (j = i; j < i + n; j++)
				model[j] = (unsigned char)(0x80 | prot | (shared ? 8 : 0));
		} else if (op == 1) {
			assert_int_equal(linmm_munmap(tsk, BASE + i * P, n * P), 0);
			memset(model + i, 0, n);
		} else {
			bool hole = false;
			int ret;

			for (j = i; j < i + n; j++)
				hole |= !model[j];
			ret = linmm_mprotect(tsk, BASE + i * P, n * P, prot);
			assert_int_equal(ret, hole ? -ENOMEM : 0);
			/* Pages before the first hole change, as in Linux. */
			for (j = i; j < i + n && model[j]; j++)
				model[j] = (unsigned char)((model[j] & ~7) | prot);
		}
		check_model();
	}
}

/*
 * brk: the heap VMA grows and shrinks at the break, stays one VMA, is
 * named [heap] in /proc/PID/maps, and stops one page (plus the stack
 * guard gap of a VM_GROWSDOWN VMA) below the next mapping.
 *
 *	start_brk                       next mapping
 *	[heap.........)  . . free . . . [NNNN)
 */
static void test_brk(void **state)
{
	unsigned long start, ret;
	char *text;

	(void)state;
	spawn();
	start = tsk->mm->start_brk;
	assert_int_equal(start, 0x555555554000UL);
	assert_int_equal(linmm_brk(tsk, 0), start);		/* a query */
	assert_int_equal(linmm_brk(tsk, start + 100), start + 100);
	check_mm();
	assert_int_equal(linmm_brk(tsk, start + 5 * P), start + 5 * P);
	check_mm();
	assert_int_equal(tsk->mm->map_count, 1);
	assert_int_equal(tsk->mm->data_vm, 5);
	text = linmm_proc_read("/proc/1/maps");
	assert_non_null(text);
	assert_non_null(strstr(text, "555555554000-555555559000 rw-p 00000000 00:00 0 "));
	assert_non_null(strstr(text, "[heap]\n"));
	free(text);
	/* Shrink, then refuse to grow into a mapping placed above. */
	assert_int_equal(linmm_brk(tsk, start + 2 * P), start + 2 * P);
	check_mm();
	assert_int_equal(tsk->mm->data_vm, 2);
	ret = linmm_mmap(tsk, start + 10 * P, P, RW, FIXED, -1, 0);
	assert_int_equal(ret, start + 10 * P);
	assert_int_equal(linmm_brk(tsk, start + 10 * P), start + 2 * P);
	assert_int_equal(linmm_brk(tsk, start + 9 * P), start + 9 * P);
	check_mm();
	/* Below start_brk: the break does not move. */
	assert_int_equal(linmm_brk(tsk, start - P), start + 9 * P);
	assert_int_equal(linmm_brk(tsk, start), start);
	assert_int_equal(tsk->mm->map_count, 1);
	check_mm();
}

/*
 * mmap_lock: two host threads (on CPUs 1 and 0) map, protect and unmap in
 * disjoint halves of one mm at the same time.  The tree must come out valid
 * and each half must hold what its sequence alone would leave (the model).
 */
struct mm_worker {
	unsigned long first;	/* page index of its half */
	int cpu;
};

#define WORKER_STEPS 2000

static void *mm_worker_fn(void *arg)
{
	struct mm_worker *w = arg;

	assert_int_equal(linmm_cpu_enter(w->cpu), 0);
	for (unsigned long i = 0; i < WORKER_STEPS; i++) {
		unsigned long addr = BASE + (w->first + i % 32) * P;

		assert_int_equal(linmm_mmap(tsk, addr, 2 * P, i & 1 ? RW : PROT_READ, FIXED, -1, 0),
				 addr);
		assert_int_equal(linmm_mprotect(tsk, addr, P, PROT_NONE), 0);
		if (i % 3 == 0)
			assert_int_equal(linmm_munmap(tsk, addr, P), 0);
	}
	return NULL;
}

static void model_worker(unsigned long first)
{
	for (unsigned long i = 0; i < WORKER_STEPS; i++) {
		unsigned long pg = first + i % 32;

		model[pg + 1] = (unsigned char)(0x80 | (i & 1 ? RW : PROT_READ));
		model[pg] = i % 3 == 0 ? 0 : 0x80;
	}
}

static void test_mmap_lock_threads(void **state)
{
	struct mm_worker a = { .first = 0, .cpu = 1 }, b = { .first = 64, .cpu = 0 };
	linmm_host_thread_t *t;

	(void)state;
	spawn_on("mem=256M cpus=2", "threads");
	assert_int_equal(linmm_host_thread_create(&t, mm_worker_fn, &a), 0);
	mm_worker_fn(&b);
	assert_int_equal(linmm_host_thread_join(t), 0);
	memset(model, 0, sizeof(model));
	model_worker(a.first);
	model_worker(b.first);
	check_model();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_merge_new_range, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_fixed_replaces, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_munmap_split, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_mprotect_merge_split, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_accounting, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_errno, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_gap_search, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_max_map_count, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_max_map_count_split, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_proc_maps, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_random_model, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_brk, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_mmap_lock_threads, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
