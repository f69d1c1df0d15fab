// SPDX-License-Identifier: MIT
/*
 * test_vma_tree.c - the mm's maple tree of VMAs (mm/vma.c over
 * lib/maple_tree.c): stack guard gaps in vm_unmapped_area(), and lookups
 * in an address space of thousands of VMAs against a page array.
 *
 * Pictures: one character per page from BASE, '.' free, 'g' the guard gap
 * of the stack S (VM_GROWSDOWN).
 */
#include "../linmm_test.h"

#include <linmm/maple_tree.h>
#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/sched.h>
#include <linmm/slab.h>

#define P PAGE_SIZE
#define BASE 0x10000000UL
#define PRIV (MAP_PRIVATE | MAP_ANONYMOUS)

static struct task_struct *tsk;

static unsigned long unmapped(bool topdown, unsigned long length, unsigned long low,
			      unsigned long high, unsigned long align)
{
	struct vm_unmapped_area_info info = {
		.topdown = topdown,
		.length = length,
		.low_limit = low,
		.high_limit = high,
		.align_mask = align ? align - 1 : 0,
	};
	unsigned long addr;

	mmap_read_lock(tsk->mm);
	addr = vm_unmapped_area(tsk->mm, &info);
	mmap_read_unlock(tsk->mm);
	return addr;
}

/*
 *	A . . . . . . . . . g g g ... g g g S S S S . . .
 *	0 1                10 (10 + 256 guard pages)   S at 266
 *
 * The tree sees one free range 1..265; the searches must keep the guard
 * gap below S free, as the kernel's unmapped_area{,_topdown}() do by
 * checking the next VMA after the tree's answer.
 */
static void test_guard_gap(void **state)
{
	unsigned long g = stack_guard_gap / P, s, end;

	(void)state;
	boot_or_fail("mem=256M");
	tsk = linmm_spawn("test");
	assert_non_null(tsk);
	assert_int_equal(linmm_mmap(tsk, BASE, P, PROT_READ, PRIV | MAP_FIXED, -1, 0), BASE);
	s = BASE + (g + 10) * P;
	assert_int_equal(linmm_mmap(tsk, s, 4 * P, PROT_READ | PROT_WRITE,
				    PRIV | MAP_FIXED | MAP_GROWSDOWN, -1, 0), s);
	end = s + 4 * P;
	assert_int_equal(validate_mm(tsk->mm), 0);

	/* Top-down below S: under the guard gap, or nothing when 9 pages do not do. */
	assert_int_equal(unmapped(true, 4 * P, BASE + P, s, 0), BASE + 6 * P);
	assert_int_equal(unmapped(true, 9 * P, BASE + P, s, 0), BASE + P);
	assert_int_equal(unmapped(true, 10 * P, BASE + P, s, 0), -ENOMEM);
	/* With a high limit inside the guard gap the tree's answer is already right. */
	assert_int_equal(unmapped(true, 4 * P, BASE + P, BASE + 8 * P, 0), BASE + 4 * P);
	/* Above S it may end right at the top. */
	assert_int_equal(unmapped(true, 4 * P, BASE + P, end + 8 * P, 0), end + 4 * P);

	/* Bottom-up: below the guard gap when it fits, else on above S. */
	assert_int_equal(unmapped(false, 9 * P, BASE + P, BASE + 0x10000000UL, 0), BASE + P);
	assert_int_equal(unmapped(false, 10 * P, BASE + P, BASE + 0x10000000UL, 0), end);

	/*
	 * Alignment of 8 pages: the search asks for length + 7 pages, so
	 * bottom-up the candidate at page 8 counts as reaching into the guard
	 * gap (the kernel's check is gap + length - 1 against vm_start_gap) and
	 * the answer is the first 8-page boundary above S; top-down it retries
	 * below the guard gap and finds page 8.
	 */
	assert_int_equal(unmapped(false, P, BASE + P, BASE + 0x10000000UL, 8 * P),
			 ALIGN(end, 8 * P));
	assert_int_equal(unmapped(true, P, BASE + P, s, 8 * P), BASE + 8 * P);
	assert_int_equal(validate_mm(tsk->mm), 0);
}

#define NPAGES 6000

static bool used[NPAGES];

/* The first used page at or after @p, or NPAGES. */
static unsigned long next_used(unsigned long p)
{
	while (p < NPAGES && !used[p])
		p++;
	return p < NPAGES ? p : NPAGES;
}

static unsigned long vma_page(const struct vm_area_struct *vma)
{
	return vma ? (vma->vm_start - BASE) / P : NPAGES;
}

/*
 * Thousands of one-page VMAs (prot alternating with the page number, so
 * none merges) mapped and unmapped at random; every lookup function is
 * compared with the page array, validate_mm() after every batch.
 */
static void test_many_vmas(void **state)
{
	struct mm_struct *mm;

	(void)state;
	boot_or_fail("mem=256M");
	tsk = linmm_spawn("test");
	assert_non_null(tsk);
	mm = tsk->mm;
	memset(used, 0, sizeof(used));
	linmm_test_rnd = 2026;
	for (int round = 0; round < 60; round++) {
		for (int k = 0; k < 150; k++) {
			unsigned long p = next_rand() % NPAGES, addr = BASE + p * P;

			if (round < 30 || next_rand() % 3) {
				unsigned long ret = linmm_mmap(tsk, addr, P,
							       p & 1 ? PROT_READ : PROT_NONE,
							       PRIV | MAP_FIXED, -1, 0);

				assert_int_equal(ret, addr);
				used[p] = true;
			} else {
				assert_int_equal(linmm_munmap(tsk, addr, P), 0);
				used[p] = false;
			}
		}
		assert_int_equal(validate_mm(mm), 0);
		mmap_read_lock(mm);
		for (int k = 0; k < 200; k++) {
			unsigned long p = next_rand() % (NPAGES + 2), addr = BASE + p * P + k;
			unsigned long want = next_used(p), before = p;
			struct vm_area_struct *vma, *prev;

			while (before > 0 && (before > NPAGES || !used[before - 1]))
				before--;
			vma = find_vma(mm, addr);
			assert_int_equal(vma_page(vma), want);
			assert_ptr_equal(find_vma_prev(mm, addr, &prev), vma);
			assert_int_equal(vma_page(prev), before ? before - 1 : NPAGES);
			assert_ptr_equal(vma_lookup(mm, addr), p < NPAGES && used[p] ? vma : NULL);
			if (vma) {
				assert_int_equal(vma_page(vma_next(vma)), next_used(want + 1));
				assert_ptr_equal(vma_prev(vma), prev);
			}
		}
		mmap_read_unlock(mm);
	}
	/* The tree has grown several levels, its nodes from "maple_node". */
	assert_true(mt_height(&mm->mm_mt) >= 3);
	assert_non_null(kmem_cache_find("maple_node"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_guard_gap, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_many_vmas, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
