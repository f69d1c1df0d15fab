// SPDX-License-Identifier: MIT
/*
 * test_ptlock.c - split page-table locks (include/linmm/pgtable.h
 * pte_lockptr / pte_offset_map_lock, mm/memory.c's fault path).
 *
 * Oracles: each PTE table page carries its own lock in its struct page,
 * distinct from every other table's and from mm->page_table_lock (the
 * kernel's USE_SPLIT_PTE_PTLOCKS); faults of two host threads on two
 * simulated CPUs into the same mm give every page exactly one private
 * zeroed page, whatever the interleaving (run under TSan: make check
 * SANITIZE=thread).
 *
 * Address space (one VMA, four PTE tables of 2 MiB each):
 *
 *   BASE          BASE+2M           BASE+4M          BASE+6M        BASE+8M
 *   |  table 0      |   table 1       |   table 2      |   table 3     |
 *   [thread 1 ......][.. thread 1 | thread 2 ..][...... thread 2][both threads]
 *                     (one table, two ranges)             (the same PTEs: one
 *                                                          page each, not two)
 */
#include <pthread.h>

#include "../linmm_test.h"

#include <linmm/memory.h>
#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/mmu.h>
#include <linmm/rmap.h>
#include <linmm/sched.h>

#define P PAGE_SIZE
#define BASE 0x40000000UL
#define TABLE (2UL << 20)
#define PAGES_PER_THREAD (3 * TABLE / 2 / P)	/* a table and a half each */
#define SHARED (BASE + 3 * TABLE)		/* table 3: both threads fault all of it */
#define SHARED_PAGES (TABLE / P)
#define ALL_PAGES (2 * PAGES_PER_THREAD + SHARED_PAGES)

static struct task_struct *tsk;

struct faulter {
	int cpu;
	unsigned long start;
	unsigned long errors;
};

/* One CPU's faults: get_user_pages-style (no regs: no task counters touched). */
static void *fault_fn(void *arg)
{
	struct faulter *f = arg;
	struct mm_struct *mm = tsk->mm;

	linmm_cpu_enter(f->cpu);
	for (unsigned long i = 0; i < PAGES_PER_THREAD + SHARED_PAGES; i++) {
		unsigned long addr = i < PAGES_PER_THREAD ? f->start + i * P
							   : SHARED + (i - PAGES_PER_THREAD) * P;
		struct vm_area_struct *vma;

		mmap_read_lock(mm);
		vma = vma_lookup(mm, addr);
		if (!vma || (handle_mm_fault(vma, addr, FAULT_FLAG_WRITE, NULL) & VM_FAULT_ERROR))
			f->errors++;
		/* A second write fault on a present PTE: the spurious-fault path under the lock. */
		if (vma && (handle_mm_fault(vma, addr, FAULT_FLAG_WRITE, NULL) & VM_FAULT_ERROR))
			f->errors++;
		mmap_read_unlock(mm);
	}
	linmm_cpu_leave();
	return NULL;
}

static u64 pte_of(unsigned long addr)
{
	pte_t pte = __pte(0);

	return follow_pte(tsk->mm, addr, &pte) ? 0 : pte_val(pte);
}

static void test_split_locks_are_per_table(void **state)
{
	pte_t *a, *b, *c;

	(void)state;
	boot_or_fail("mem=256M cpus=3");
	tsk = linmm_spawn("ptl");
	assert_non_null(tsk);
	assert_int_equal(linmm_mmap(tsk, BASE, 3 * TABLE, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), BASE);
	assert_int_equal(linmm_touch(tsk, BASE, 3 * TABLE, LINMM_ACCESS_WRITE), 0);
	spin_lock(&tsk->mm->page_table_lock);
	a = mm_find_pte(tsk->mm, BASE);
	b = mm_find_pte(tsk->mm, BASE + P);
	c = mm_find_pte(tsk->mm, BASE + TABLE);
	spin_unlock(&tsk->mm->page_table_lock);
	assert_non_null(a);
	assert_non_null(c);
	/* One lock per table page, in that page's struct page; not the mm's. */
	assert_ptr_equal(ptep_lockptr(a), ptep_lockptr(b));
	assert_ptr_not_equal(ptep_lockptr(a), ptep_lockptr(c));
	assert_ptr_equal(ptep_lockptr(a), &virt_to_page(a)->ptl);
	assert_ptr_not_equal(ptep_lockptr(a), &tsk->mm->page_table_lock);
	assert_true(PageTable(virt_to_page(a)));
	assert_false(spin_is_locked(ptep_lockptr(a)));
	assert_int_equal(validate_page_tables(tsk->mm), 0);
}

static void test_two_cpus_fault_one_mm(void **state)
{
	struct faulter f[2] = {
		{ .cpu = 1, .start = BASE },
		{ .cpu = 2, .start = BASE + PAGES_PER_THREAD * P },
	};
	pthread_t t[2];

	(void)state;
	boot_or_fail("mem=256M cpus=3");
	tsk = linmm_spawn("ptl");
	assert_non_null(tsk);
	assert_int_equal(linmm_mmap(tsk, BASE, 4 * TABLE, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), BASE);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, fault_fn, &f[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(f[0].errors + f[1].errors, 0);
	/* A PTE both threads faulted got one page: the loser of the race gave its page back. */
	assert_int_equal(get_mm_counter(tsk->mm, MM_ANONPAGES), ALL_PAGES);
	for (unsigned long i = 0; i < ALL_PAGES; i++) {
		u64 v = pte_of(BASE + i * P);
		struct page *page = pfn_to_page((unsigned long)((v & PTE_PFN_MASK) >> PAGE_SHIFT));

		assert_true((v & (_PAGE_PRESENT | _PAGE_RW)) == (_PAGE_PRESENT | _PAGE_RW));
		assert_int_equal(page_mapcount(page), 1);
		assert_int_equal(page_ref_count(page), 1);
	}
	assert_int_equal(mm_pgtables_bytes(tsk->mm), 4 * P + 2 * P);	/* 4 PTE, pmd, pud */
	assert_int_equal(validate_mm(tsk->mm), 0);
	assert_int_equal(validate_page_tables(tsk->mm), 0);
	assert_int_equal(validate_anon_vmas(tsk->mm), 0);
	check_machine();
	assert_false(dmesg_contains("WARNING:"));
	assert_int_equal(linmm_munmap(tsk, BASE, 4 * TABLE), 0);
	assert_int_equal(mm_pgtables_bytes(tsk->mm), 0);
	assert_int_equal(validate_page_tables(tsk->mm), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_split_locks_are_per_table, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_two_cpus_fault_one_mm, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
