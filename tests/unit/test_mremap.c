// SPDX-License-Identifier: MIT
/*
 * test_mremap.c - mremap(): shrink, grow in place, grow merging with the
 * next VMA, moves (MAYMOVE, FIXED, several VMAs at once), DONTUNMAP, the
 * errno of every refusal, vm.max_map_count, and the accounting (total_vm,
 * locked_vm, Committed_AS, hiwater_vm).
 *
 * Pictures use one character per page from BASE: a letter per VMA, '.' for
 * a hole, lower case for a read-only VMA.  layout() (tests/vma_test.h) prints the VMAs as
 * "start-end:perms" in pages from BASE; validate_mm() runs after every
 * call.  What each case expects was first measured on the host kernel
 * (Linux 6.18); tests/diff/test_mmap_diff.c keeps comparing.
 */
#include "../linmm_test.h"

#define VMA_TEST_CHECKS VMA_CHECK_PAGE_TABLES
#include "../vma_test.h"

#include <linmm/memory.h>
#include <linmm/mmu.h>

#define PRIV (MAP_PRIVATE | MAP_ANONYMOUS)
#define SHARED (MAP_SHARED | MAP_ANONYMOUS)
#define MAYMOVE MREMAP_MAYMOVE
#define FIXED (MREMAP_MAYMOVE | MREMAP_FIXED)
#define DONTUNMAP (MREMAP_MAYMOVE | MREMAP_DONTUNMAP)

/* mremap() in pages from BASE; the result as a page index, or -errno. */
static long remap(unsigned long i, unsigned long old_n, unsigned long new_n, unsigned long flags,
		  unsigned long new_i)
{
	unsigned long ret = linmm_mremap(tsk, PG(i), old_n * P, new_n * P, flags, PG(new_i));

	check_mm();
	if (IS_ERR_VALUE(ret))
		return (long)ret;
	return (long)((ret - BASE) / P);
}

/* The same with byte arguments, for the argument checks. */
static long remap_raw(unsigned long addr, unsigned long old_len, unsigned long new_len,
		      unsigned long flags, unsigned long new_addr)
{
	unsigned long ret = linmm_mremap(tsk, addr, old_len, new_len, flags, new_addr);

	check_mm();
	return IS_ERR_VALUE(ret) ? (long)ret : 0;
}

/* Is page @i mapped by a present PTE? */
static bool present(unsigned long i)
{
	pte_t pte = __pte(0);

	return !follow_pte(tsk->mm, PG(i), &pte) && pte_present(pte);
}

/* Give the VMA holding page @i extra flags (what drivers set; mmap cannot). */
static void set_flags_at(unsigned long i, vm_flags_t flags)
{
	struct vm_area_struct *vma;

	mmap_write_lock(tsk->mm);
	vma = vma_lookup(tsk->mm, PG(i));
	assert_non_null(vma);
	vma->vm_flags |= flags;
	mmap_write_unlock(tsk->mm);
}

/*
 * Shrinking unmaps the tail and returns the address; the unmapped part may
 * reach into the next VMAs (only the first page must be mapped):
 *
 *	AAAAAAAA -> 8 to 3 pages             -> AAA.....
 *	AAAAAAAA -> the middle 4 to 2 pages  -> AAAA..AA
 *	AbbbCCCC -> 7 pages to 1             -> A......C
 */
static void test_shrink(void **state)
{
	unsigned long committed;

	(void)state;
	spawn();
	committed = vm_memory_committed();
	map_at(0, 8, RW, PRIV);
	assert_int_equal(remap(0, 8, 3, 0, 0), 0);
	assert_string_equal(layout(), "0-3:rw-p");
	assert_int_equal(tsk->mm->total_vm, 3);
	assert_int_equal(vm_memory_committed(), committed + 3);

	map_at(0, 8, RW, PRIV);
	assert_int_equal(remap(2, 4, 2, 0, 0), 2);
	assert_string_equal(layout(), "0-4:rw-p 6-8:rw-p");

	map_at(0, 1, RW, PRIV);
	map_at(1, 3, PROT_READ, PRIV);
	map_at(4, 4, RW, PRIV);
	assert_int_equal(remap(0, 7, 1, 0, 0), 0);
	assert_string_equal(layout(), "0-1:rw-p 7-8:rw-p");
	/* The same length: nothing happens, not even a check of the range. */
	assert_int_equal(remap(0, 20, 20, 0, 0), 0);
	assert_int_equal(remap(0, 20, 20, MAYMOVE, 0), 0);
	assert_string_equal(layout(), "0-1:rw-p 7-8:rw-p");
	assert_int_equal(tsk->mm->total_vm, 2);
	assert_int_equal(vm_memory_committed(), committed + 2);
}

/*
 * Growing in place when the range ends the VMA and the pages after it are
 * free; otherwise -ENOMEM without MREMAP_MAYMOVE:
 *
 *	AAAA.... -> 4 to 6 pages   -> AAAAAA..   charged 2 more
 *	AAAAAA.b -> 6 to 8 pages   -> -ENOMEM    (b in the way)
 *	AAAAAA.b -> pages 0-1 to 3 -> -ENOMEM    (not the end of the VMA)
 */
static void test_grow_in_place(void **state)
{
	unsigned long committed;

	(void)state;
	spawn();
	committed = vm_memory_committed();
	map_at(0, 4, RW, PRIV);
	assert_int_equal(remap(0, 4, 6, 0, 0), 0);
	assert_string_equal(layout(), "0-6:rw-p");
	assert_int_equal(tsk->mm->total_vm, 6);
	assert_int_equal(tsk->mm->data_vm, 6);
	assert_int_equal(vm_memory_committed(), committed + 6);

	map_at(7, 1, PROT_READ, PRIV);
	assert_int_equal(remap(0, 6, 8, 0, 0), -ENOMEM);
	assert_int_equal(remap(0, 2, 3, 0, 0), -ENOMEM);
	/* A part that does end the VMA grows it (old_len counts from addr). */
	assert_int_equal(remap(4, 2, 3, 0, 0), 4);
	assert_string_equal(layout(), "0-7:rw-p 7-8:r--p");
	/* Shared memory grows in place too, its shmem object with it. */
	map_at(20, 2, RW, SHARED);
	assert_int_equal(remap(20, 2, 5, 0, 0), 20);
	assert_string_equal(layout(), "0-7:rw-p 7-8:r--p 20-25:rw-s");
	assert_int_equal(vm_memory_committed(), committed + 7);
}

/*
 * Growing into the gap before a compatible VMA merges with it, as the
 * kernel's vma_merge_extend() does; an incompatible one stays apart:
 *
 *	AA..BB   -> 2 to 4 pages -> AAAAAA  (one VMA)
 *	AA..bb   -> 2 to 4 pages -> AAAAbb
 */
static void test_grow_merge_next(void **state)
{
	(void)state;
	spawn();
	map_at(0, 2, RW, PRIV);
	map_at(4, 2, RW, PRIV);
	assert_int_equal(remap(0, 2, 4, 0, 0), 0);
	assert_string_equal(layout(), "0-6:rw-p");
	assert_int_equal(tsk->mm->map_count, 1);
	assert_int_equal(tsk->mm->total_vm, 6);

	map_at(10, 2, RW, PRIV);
	map_at(14, 2, PROT_READ, PRIV);
	assert_int_equal(remap(10, 2, 4, 0, 0), 10);
	assert_string_equal(layout(), "0-6:rw-p 10-14:rw-p 14-16:r--p");
	/* Growing over the next VMA is not growing into free space. */
	assert_int_equal(remap(10, 4, 7, 0, 0), -ENOMEM);
}

/*
 * Moves: MREMAP_MAYMOVE when there is no room (to a gap below mmap_base),
 * MREMAP_FIXED to a given place (unmapping what is there), merging with the
 * neighbours at the destination; the old range is unmapped:
 *
 *	AAAA.b     -> 4 to 8, MAYMOVE     -> ....?b   A went elsewhere
 *	AAAAAAAA   -> pages 2-3 to 20     -> AA..AAAA ... AA at 20
 *	AA......BB -> 2 pages to 6        -> ......AAAA (merged with B)
 *	AA..       -> 2 pages to 2        -> ..AA  (next to itself)
 */
static void test_move(void **state)
{
	unsigned long committed, ret;

	(void)state;
	spawn();
	committed = vm_memory_committed();
	map_at(0, 4, RW, PRIV);
	map_at(5, 1, PROT_READ, PRIV);
	ret = linmm_mremap(tsk, PG(0), 4 * P, 8 * P, MAYMOVE, 0);
	check_mm();
	assert_false(IS_ERR_VALUE(ret));
	assert_true(ret + 8 * P <= tsk->mm->mmap_base && ret > PG(100));
	assert_int_equal(tsk->mm->map_count, 2);
	assert_int_equal(flags_at((ret - BASE) / P + 7) & VM_ACCESS_FLAGS, VM_READ | VM_WRITE);
	mmap_read_lock(tsk->mm);
	assert_int_equal(vma_lookup(tsk->mm, ret)->vm_start, ret);
	assert_int_equal(vma_lookup(tsk->mm, ret)->vm_end, ret + 8 * P);
	assert_null(vma_lookup(tsk->mm, PG(0)));
	mmap_read_unlock(tsk->mm);
	assert_int_equal(tsk->mm->total_vm, 9);
	/* Both ranges counted for a moment (13 pages): kept out of hiwater_vm (VmPeak). */
	assert_true(tsk->mm->hiwater_vm <= 9);
	assert_int_equal(vm_memory_committed(), committed + 8);
	assert_int_equal(linmm_munmap(tsk, ret, 8 * P), 0);
	assert_int_equal(linmm_munmap(tsk, PG(5), P), 0);

	map_at(0, 8, RW, PRIV);
	assert_int_equal(remap(2, 2, 2, FIXED, 20), 20);
	assert_string_equal(layout(), "0-2:rw-p 4-8:rw-p 20-22:rw-p");
	assert_int_equal(vm_memory_committed(), committed + 8);
	assert_int_equal(linmm_munmap(tsk, BASE, 30 * P), 0);

	map_at(0, 2, RW, PRIV);
	map_at(8, 2, RW, PRIV);
	assert_int_equal(remap(0, 2, 2, FIXED, 6), 6);
	assert_string_equal(layout(), "6-10:rw-p");
	assert_int_equal(remap(6, 2, 2, FIXED, 4), 4);
	assert_string_equal(layout(), "4-6:rw-p 8-10:rw-p");
	/* Right next to itself: for a moment one VMA covers both ranges. */
	assert_int_equal(remap(4, 2, 2, FIXED, 6), 6);
	assert_string_equal(layout(), "6-10:rw-p");
	assert_int_equal(vm_memory_committed(), committed + 4);
	assert_int_equal(tsk->mm->total_vm, 4);
	/* Growing and moving at once: charged what it grows by. */
	assert_int_equal(remap(6, 2, 5, FIXED, 20), 20);
	assert_string_equal(layout(), "8-10:rw-p 20-25:rw-p");
	assert_int_equal(vm_memory_committed(), committed + 7);
}

/*
 * MREMAP_FIXED with old_len == new_len moves every VMA of the range, holes
 * kept; what lies where a hole lands stays; the range must start in a VMA:
 *
 *	A.bb..C. ... xx.y  -> to 20 -> ........ ... A.bbyyC.   (x replaced, y kept)
 *	.AA        from page 0          -> -EFAULT
 */
static void test_move_several(void **state)
{
	(void)state;
	spawn();
	map_at(0, 1, RW, PRIV);
	map_at(2, 2, PROT_READ, PRIV);
	map_at(6, 1, RW, PRIV);
	map_at(22, 2, PROT_EXEC, PRIV);
	map_at(24, 1, PROT_EXEC, PRIV);
	assert_int_equal(remap(0, 8, 8, FIXED, 20), 20);
	assert_string_equal(layout(), "20-21:rw-p 22-24:r--p 24-25:--xp 26-27:rw-p");
	assert_int_equal(tsk->mm->total_vm, 5);
	assert_int_equal(tsk->mm->map_count, 4);
	/* Starting in a hole: nothing moves. */
	assert_int_equal(remap(19, 4, 4, FIXED, 40), -EFAULT);
	assert_int_equal(remap(30, 4, 4, FIXED, 40), -EFAULT);
	/* A DONTUNMAP move of several VMAs keeps them all. */
	assert_int_equal(remap(20, 4, 4, FIXED | MREMAP_DONTUNMAP, 40), 40);
	assert_string_equal(layout(), "20-21:rw-p 22-24:r--p 24-25:--xp 26-27:rw-p "
				      "40-41:rw-p 42-44:r--p");
	/* Shrinking or growing never spans VMAs. */
	assert_int_equal(remap(20, 4, 5, FIXED, 60), -EFAULT);
	assert_int_equal(remap(20, 4, 2, FIXED, 60), -EFAULT);
}

/*
 * MREMAP_DONTUNMAP moves the pages but leaves the old range mapped (empty):
 * it stays accounted, loses VM_LOCKED (locked_vm still counts it, as in
 * 6.18), and the copy is charged in full:
 *
 *	LLL        page 1 to 10, FIXED -> AAA ....... L    (A: LLL unlocked)
 *	A          hint 30             -> A ... A at 30
 */
static void test_dontunmap(void **state)
{
	unsigned long committed;

	(void)state;
	spawn();
	committed = vm_memory_committed();
	map_at(0, 3, RW, PRIV | MAP_LOCKED);
	assert_int_equal(tsk->mm->locked_vm, 3);
	assert_int_equal(remap(1, 1, 1, FIXED | MREMAP_DONTUNMAP, 10), 10);
	assert_string_equal(layout(), "0-3:rw-p 10-11:rw-p");
	assert_int_equal(flags_at(0) & (VM_LOCKED | VM_ACCOUNT), VM_ACCOUNT);
	assert_int_equal(flags_at(10) & (VM_LOCKED | VM_ACCOUNT), VM_LOCKED | VM_ACCOUNT);
	assert_int_equal(tsk->mm->locked_vm, 4);
	assert_int_equal(tsk->mm->total_vm, 4);
	assert_int_equal(vm_memory_committed(), committed + 4);
	/* The old VMA no longer merges with a locked neighbour, but does with others. */
	map_at(3, 1, RW, PRIV | MAP_LOCKED);
	map_at(11, 1, RW, PRIV);
	assert_string_equal(layout(), "0-3:rw-p 3-4:rw-p 10-11:rw-p 11-12:rw-p");
	assert_int_equal(linmm_munmap(tsk, BASE, 20 * P), 0);
	/* Only VM_LOCKED pages leave locked_vm: the 3 unlocked pages stay counted. */
	assert_int_equal(tsk->mm->locked_vm, 3);

	/* Without MREMAP_FIXED the new address is a hint. */
	map_at(0, 1, RW, PRIV);
	assert_int_equal(remap(0, 1, 1, DONTUNMAP, 30), 30);
	assert_string_equal(layout(), "0-1:rw-p 30-31:rw-p");
	/* Next to the old range: the copy merges with it. */
	assert_int_equal(remap(0, 1, 1, DONTUNMAP, 1), 1);
	assert_string_equal(layout(), "0-2:rw-p 30-31:rw-p");
	assert_int_equal(remap(0, 1, 1, MREMAP_DONTUNMAP, 30), -EINVAL);
	assert_int_equal(remap(0, 1, 2, DONTUNMAP, 30), -EINVAL);
	/* Shared memory may be moved this way too. */
	map_at(40, 2, RW, SHARED);
	assert_int_equal(remap(40, 1, 1, DONTUNMAP, 50), 50);
	assert_string_equal(layout(), "0-2:rw-p 30-31:rw-p 40-42:rw-s 50-51:rw-s");
	/*
	 * AAA. -> page 1 to 3 with FIXED (a move-only walk): the copy merges
	 * into the source, AAAA, which the walk must not take up again.
	 */
	map_at(60, 3, RW, PRIV);
	assert_int_equal(remap(61, 1, 1, FIXED | MREMAP_DONTUNMAP, 63), 63);
	assert_string_equal(layout(), "0-2:rw-p 30-31:rw-p 40-42:rw-s 50-51:rw-s 60-64:rw-p");
}

/*
 * MREMAP_FIXED unmaps what is at the destination first; a destination
 * overlapping the source is -EINVAL:
 *
 *	AA..bbbb -> 2 pages to 4 -> ....AAbb
 *	AAAA     -> 4 pages to 2 -> -EINVAL
 */
static void test_fixed_overlap(void **state)
{
	(void)state;
	spawn();
	map_at(0, 2, RW, PRIV);
	map_at(4, 4, PROT_READ, PRIV);
	assert_int_equal(remap(0, 2, 2, FIXED, 4), 4);
	assert_string_equal(layout(), "4-6:rw-p 6-8:r--p");
	assert_int_equal(tsk->mm->total_vm, 4);
	assert_int_equal(remap(4, 2, 2, FIXED, 5), -EINVAL);
	assert_int_equal(remap(4, 2, 2, FIXED, 4), -EINVAL);
	assert_int_equal(remap(4, 2, 4, FIXED, 2), -EINVAL);
	assert_int_equal(remap(4, 2, 4, FIXED, 1), -EINVAL);
	assert_int_equal(remap(4, 2, 2, FIXED, 2), 2);
	assert_string_equal(layout(), "2-4:rw-p 6-8:r--p");
}

/* Every refusal, in the order Linux 6.18 checks. */
static void test_errors(void **state)
{
	unsigned long task_size;

	(void)state;
	spawn();
	task_size = tsk->mm->task_size;
	map_at(0, 2, RW, PRIV);
	map_at(2, 2, PROT_READ, PRIV);
	/* Arguments. */
	assert_int_equal(remap_raw(PG(0), P, P, 8, 0), -EINVAL);
	assert_int_equal(remap_raw(PG(0) + 1, P, P, 0, 0), -EINVAL);
	assert_int_equal(remap_raw(PG(0), P, 0, 0, 0), -EINVAL);
	assert_int_equal(remap_raw(PG(0), P, ~0UL, 0, 0), -EINVAL);	/* rounds to 0 */
	assert_int_equal(remap_raw(PG(0), P, task_size + P, 0, 0), -EINVAL);
	assert_int_equal(remap_raw(PG(0), P, task_size, 0, 0), -ENOMEM);
	assert_int_equal(remap_raw(PG(0), P, P, FIXED, task_size), -EINVAL);
	assert_int_equal(remap_raw(PG(0), P, P, FIXED, PG(10) + 1), -EINVAL);
	assert_int_equal(remap_raw(PG(0), P, P, MREMAP_FIXED, PG(10)), -EINVAL);
	/* Without a destination, new_addr is not looked at. */
	assert_int_equal(remap_raw(PG(0), 2 * P, P, MAYMOVE, ~0UL), 0);
	assert_string_equal(layout(), "0-1:rw-p 2-4:r--p");
	/* The VMA. */
	assert_int_equal(remap(10, 1, 2, 0, 0), -EFAULT);
	assert_int_equal(remap(10, 1, 1, FIXED, 20), -EFAULT);
	assert_int_equal(remap(2, 2, 4, 0, 0), 2);
	assert_string_equal(layout(), "0-1:rw-p 2-6:r--p");
}

/* Growing across the VMA's end, special mappings, old_len 0, RLIMIT_MEMLOCK. */
static void test_errors_vma(void **state)
{
	(void)state;
	spawn();
	map_at(0, 2, RW, PRIV);
	map_at(2, 2, PROT_READ, PRIV);
	assert_int_equal(remap(0, 3, 4, MAYMOVE, 0), -EFAULT);
	assert_int_equal(remap(0, 3, 3, MREMAP_DONTUNMAP | MAYMOVE, 10), -EFAULT);
	/* A shrinking move keeps what lies in the VMA; the rest may cross it. */
	assert_int_equal(remap(0, 3, 2, FIXED, 10), 10);
	assert_string_equal(layout(), "3-4:r--p 10-12:rw-p");
	/* VM_DONTEXPAND (and VM_PFNMAP) mappings may shrink and move, not grow. */
	set_flags_at(10, VM_DONTEXPAND);
	assert_int_equal(remap(10, 2, 3, MAYMOVE, 0), -EFAULT);
	assert_int_equal(remap(10, 2, 2, DONTUNMAP, 30), -EINVAL);
	assert_int_equal(remap(10, 2, 2, FIXED, 20), 20);
	assert_int_equal(remap(20, 2, 1, 0, 0), 20);
	set_flags_at(3, VM_PFNMAP);
	assert_int_equal(remap(3, 1, 2, MAYMOVE, 0), -EFAULT);
	/* old_len 0 duplicates a shared mapping; a private one is refused, with a warning once. */
	map_at(40, 2, RW, PRIV);
	assert_false(dmesg_contains("attempted to duplicate a private mapping"));
	assert_int_equal(remap(40, 0, 1, FIXED, 50), -EINVAL);
	assert_int_equal(remap(40, 0, 1, FIXED, 50), -EINVAL);
	assert_true(dmesg_contains("test (1): attempted to duplicate a private mapping with "
				   "mremap.  This is not supported."));
	map_at(60, 2, RW, SHARED);
	assert_int_equal(remap(60, 0, 1, FIXED, 70), 70);
	assert_int_equal(remap(60, 0, 1, 0, 0), -ENOMEM);
	assert_string_equal(layout(), "3-4:r--p 20-21:rw-p 40-42:rw-p 60-62:rw-s 70-71:rw-s");
	mmap_read_lock(tsk->mm);
	/* The duplicate maps the same shmem object. */
	assert_non_null(vma_lookup(tsk->mm, PG(60))->vm_file);
	assert_ptr_equal(vma_lookup(tsk->mm, PG(70))->vm_file,
			 vma_lookup(tsk->mm, PG(60))->vm_file);
	mmap_read_unlock(tsk->mm);
	/* A locked mapping may not grow past RLIMIT_MEMLOCK (8 MiB). */
	assert_int_equal(linmm_mmap(tsk, PG(100), (8UL << 20) - P, PROT_READ,
				    PRIV | MAP_FIXED | MAP_LOCKED, -1, 0), PG(100));
	assert_int_equal(remap(100, 2047, 2049, MAYMOVE, 0), -EAGAIN);
	assert_int_equal(remap(100, 2047, 2048, 0, 0), 100);
	assert_int_equal(tsk->mm->locked_vm, 2048);
	/* Only at the next boot does the warning come again. */
	linmm_shutdown();
	spawn();
	map_at(0, 1, RW, PRIV);
	assert_int_equal(remap(0, 0, 1, MAYMOVE, 0), -EINVAL);
	assert_true(dmesg_contains("attempted to duplicate a private mapping"));
}

/*
 * vm.max_map_count: a call with a destination needs map_count + 2 below
 * max - 3 before anything happens; a move needs map_count below max - 3.
 */
static void test_max_map_count(void **state)
{
	(void)state;
	spawn();
	/* Alternate rights so that nothing merges. */
	for (unsigned long i = 0; i < 6; i++)
		map_at(2 * i, 1, i & 1 ? RW : PROT_READ, PRIV);
	map_at(20, 1, RW, PRIV);
	map_at(21, 1, PROT_READ, PRIV);		/* blocks page 20 from growing */
	assert_int_equal(tsk->mm->map_count, 8);
	sysctl_max_map_count = 13;		/* 8 + 2 >= 13 - 3 */
	assert_int_equal(remap(20, 1, 1, FIXED, 40), -ENOMEM);
	assert_int_equal(remap(20, 1, 1, DONTUNMAP, 40), -ENOMEM);
	assert_int_equal(remap(20, 1, 2, MAYMOVE, 0) > 0, 1);	/* 8 < 13 - 3: moves */
	check_mm();
	map_at(20, 1, RW, PRIV);
	assert_int_equal(tsk->mm->map_count, 9);
	sysctl_max_map_count = 12;		/* 9 >= 12 - 3 */
	assert_int_equal(remap(20, 1, 2, MAYMOVE, 0), -ENOMEM);
	assert_int_equal(flags_at(20) & VM_ACCESS_FLAGS, VM_READ | VM_WRITE);
	assert_int_equal(tsk->mm->map_count, 9);
	/* Shrinking and growing in place need no new VMA. */
	assert_int_equal(remap(20, 1, 1, 0, 0), 20);
	map_at(30, 2, RW, PRIV);
	assert_int_equal(tsk->mm->map_count, 10);
	assert_int_equal(remap(30, 2, 1, 0, 0), 30);
	assert_int_equal(remap(30, 1, 3, 0, 0), 30);
}

/*
 * Committed_AS: growth is charged, a plain move is not, DONTUNMAP is
 * charged the whole copy, a shrinking move the shrunk amount (which is
 * never given back, as 6.18 does); vm.overcommit_memory=2 refuses growth.
 */
static void test_accounting(void **state)
{
	unsigned long committed;

	(void)state;
	spawn();
	committed = vm_memory_committed();
	map_at(0, 8, RW, PRIV);
	assert_int_equal(remap(0, 8, 8, FIXED, 20), 20);
	assert_int_equal(vm_memory_committed(), committed + 8);
	assert_int_equal(remap(20, 8, 2, FIXED, 40), 40);
	assert_string_equal(layout(), "40-42:rw-p");
	assert_int_equal(vm_memory_committed(), committed + 2 + 6);
	assert_int_equal(linmm_munmap(tsk, PG(40), 2 * P), 0);
	assert_int_equal(vm_memory_committed(), committed + 6);
	committed += 6;
	/* Not accounted: MAP_NORESERVE, read-only, shared. */
	map_at(0, 2, RW, PRIV | MAP_NORESERVE);
	map_at(4, 2, PROT_READ, PRIV);
	map_at(8, 2, RW, SHARED);
	assert_int_equal(remap(0, 2, 3, 0, 0), 0);
	assert_int_equal(remap(4, 2, 3, 0, 0), 4);
	assert_int_equal(remap(8, 2, 2, DONTUNMAP, 20), 20);
	assert_int_equal(vm_memory_committed(), committed);
	/* Mode 2: a 200 MiB growth of a 256 MiB machine is refused (50% limit). */
	assert_int_equal(linmm_proc_write("/proc/sys/vm/overcommit_memory", "2"), 0);
	map_at(40, 1, RW, PRIV);
	assert_int_equal(remap(40, 1, 51200, MAYMOVE, 0), -ENOMEM);
	assert_int_equal(remap(40, 1, 256, 0, 0), 40);
	assert_int_equal(vm_memory_committed(), committed + 256);
	assert_string_equal(layout(), "0-3:rw-p 4-7:r--p 8-10:rw-s 20-22:rw-s 40-296:rw-p");
	linmm_task_exit(tsk);
	assert_int_equal(vm_memory_committed(), committed);	/* still 6 pages too many */
}

/*
 * The pages go with the mapping: what was written before a move is read
 * at the new place; DONTUNMAP's old range reads as zeroes again; a locked
 * mapping's growth is faulted in (mm_populate):
 *
 *	"AB"..  -> 2 pages to 10, FIXED     -> .... "AB" at 10
 *	"AB"    -> DONTUNMAP to 20          -> 00 at 10, "AB" at 20
 */
static void test_move_pages(void **state)
{
	char buf[2];

	(void)state;
	spawn();
	map_at(0, 2, RW, PRIV);
	assert_int_equal(linmm_user_write(tsk, PG(0), "A", 1), 0);
	assert_int_equal(linmm_user_write(tsk, PG(1), "B", 1), 0);
	check_mm();
	assert_int_equal(remap(0, 2, 2, FIXED, 10), 10);
	assert_int_equal(linmm_user_read(tsk, PG(10), buf, 1), 0);
	assert_int_equal(linmm_user_read(tsk, PG(11), buf + 1, 1), 0);
	assert_memory_equal(buf, "AB", 2);
	check_mm();
	/* Grown in place: the old pages stay, the new one is fresh. */
	assert_int_equal(remap(10, 2, 3, 0, 0), 10);
	assert_int_equal(linmm_user_read(tsk, PG(12), buf, 1), 0);
	assert_int_equal(buf[0], 0);
	assert_int_equal(linmm_user_read(tsk, PG(11), buf, 1), 0);
	assert_int_equal(buf[0], 'B');
	assert_int_equal(remap(10, 2, 2, FIXED | MREMAP_DONTUNMAP, 20), 20);
	assert_int_equal(linmm_user_read(tsk, PG(10), buf, 2), 0);
	assert_memory_equal(buf, "\0\0", 2);
	assert_int_equal(linmm_user_read(tsk, PG(20), buf, 1), 0);
	assert_int_equal(linmm_user_read(tsk, PG(21), buf + 1, 1), 0);
	assert_memory_equal(buf, "AB", 2);
	check_mm();
	/* A locked mapping that grows gets its new pages at once. */
	map_at(40, 1, RW, PRIV | MAP_LOCKED);
	assert_int_equal(remap(40, 1, 4, 0, 0), 40);
	assert_true(present(43));
	assert_false(present(44));
	check_mm();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_shrink, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_grow_in_place, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_grow_merge_next, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_move, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_move_several, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_dontunmap, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_fixed_overlap, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_errors, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_errors_vma, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_max_map_count, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_accounting, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_move_pages, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
