/* SPDX-License-Identifier: MIT */
/*
 * mm_test.h - helpers shared by the unit tests of mappings, the page cache
 * and the reverse map (test_rmap.c, test_rmap_file.c, test_file_mmap.c,
 * test_shm.c): a machine with a first task, the counters the tests
 * compare, and a task's PTE and page at an address.
 *
 *   boot_and_spawn("mem=256M", "p")   fresh machine, task "p" in it
 *   node_stat(NR_SHMEM)               the machine's count, deltas folded
 *   node_stat_of(1, NR_FILE_PAGES)    node 1's
 *   pte_of(p, addr)                   the raw PTE (0: no table or none)
 *   page_of(p, addr)                  the page a present PTE maps
 *
 * None of them checks anything of the code under test but what it
 * returns; the tests' own check() functions run the validators.
 */
#ifndef LINMM_MM_TEST_H
#define LINMM_MM_TEST_H

#include <linmm/memory.h>
#include <linmm/mmu.h>
#include <linmm/sched.h>
#include <linmm/vmstat.h>

#include "linmm_test.h"

/* Boot a fresh machine from @cmdline and spawn its first task, @comm. */
static inline struct task_struct *boot_and_spawn(const char *cmdline, const char *comm)
{
	struct task_struct *t;

	boot_or_fail(cmdline);
	t = linmm_spawn(comm);
	assert_non_null(t);
	return t;
}

/* Node @nid's count of @item (-1: all nodes), the per-CPU deltas folded in first. */
static inline long node_stat_of(int nid, enum node_stat_item item)
{
	refresh_vm_stats();
	return nid < 0 ? global_node_page_state(item) : node_page_state(NODE_DATA(nid), item);
}

/* The machine's count of @item. */
static inline long node_stat(enum node_stat_item item)
{
	return node_stat_of(-1, item);
}

/* @t's PTE at @addr as follow_pte() reads it; 0 if there is none. */
static inline u64 pte_of(struct task_struct *t, unsigned long addr)
{
	pte_t pte = __pte(0);

	return follow_pte(t->mm, addr, &pte) ? 0 : pte_val(pte);
}

/* The page @t's present PTE at @addr maps (the test fails if it is not present). */
static inline struct page *page_of(struct task_struct *t, unsigned long addr)
{
	u64 v = pte_of(t, addr);

	assert_true(v & _PAGE_PRESENT);
	return pfn_to_page((unsigned long)((v & PTE_PFN_MASK) >> PAGE_SHIFT));
}

#endif /* LINMM_MM_TEST_H */
