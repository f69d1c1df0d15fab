// SPDX-License-Identifier: MIT
/*
 * test_rmap.c - reverse mapping of anonymous pages (mm/rmap.c,
 * mm/interval_tree_anon.c, mm/migrate.c, the anon_vma parts of mm/vma.c,
 * kernel/fork.c and mm/mremap.c).
 *
 * Oracles (none computed by the code under test):
 *   - the kernel's linking rules: a first anonymous fault gives a VMA one
 *     chain; a split piece gets the same anon_vmas; a fork child one chain
 *     per anon_vma of the parent VMA plus its own, whose parent and root
 *     are the parent's; an anon_vma with no VMA of its own and fewer than
 *     two children is reused by a later fork; a page's mapping is its
 *     anon_vma | 1 and its index vm_pgoff + page offset;
 *   - the merge rules of 6.18 observed on the host kernel
 *     (tests/diff/test_fault_diff.c checks the same): a new mapping next
 *     to a fork child's faulted VMA does not merge, in the parent it does;
 *   - x86 PTE Accessed bit 0x20; after page_referenced() clears it, an
 *     access sets it again only if the TLB entry was flushed;
 *   - migration: every mapper reads the same bytes from a new frame.
 *
 * validate_anon_vmas() (chains, trees, rmap walk count == mapcount over
 * all mms) runs after every step for every live task.
 *
 * Address space used (one character per page from BASE):
 *
 *   BASE  AAAA....BBBB       A: rw- private anonymous (B: its neighbour)
 */
#include "../mm_test.h"

#include <linmm/gfp.h>
#include <linmm/memblock.h>
#include <linmm/memory.h>
#include <linmm/migrate.h>
#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/mmu.h>
#include <linmm/rmap.h>
#include <linmm/sched.h>
#include <linmm/swapops.h>
#include <linmm/vmstat.h>

#define P PAGE_SIZE
#define BASE 0x10000000UL
#define RW (PROT_READ | PROT_WRITE)
#define FIXED (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

#define MAX_TASKS 8
static struct task_struct *tasks[MAX_TASKS];

static void check(void)
{
	for (int i = 0; i < MAX_TASKS; i++) {
		if (!tasks[i])
			continue;
		assert_int_equal(validate_mm(tasks[i]->mm), 0);
		assert_int_equal(validate_page_tables(tasks[i]->mm), 0);
		assert_int_equal(validate_anon_vmas(tasks[i]->mm), 0);
	}
	check_machine();
	assert_false(dmesg_contains("WARNING:"));	/* lockdep_assert_held() and friends */
}

static struct task_struct *boot_spawn(const char *cmdline)
{
	memset(tasks, 0, sizeof(tasks));
	tasks[0] = boot_and_spawn(cmdline, "rmap");
	check();
	return tasks[0];
}

static struct task_struct *fork_into(int slot, struct task_struct *parent)
{
	tasks[slot] = linmm_fork(parent);
	assert_non_null(tasks[slot]);
	check();
	return tasks[slot];
}

static void exit_task(int slot)
{
	linmm_task_exit(tasks[slot]);
	tasks[slot] = NULL;
	check();
}

static void map(struct task_struct *t, unsigned long addr, unsigned long len)
{
	assert_int_equal(linmm_mmap(t, addr, len, RW, FIXED, -1, 0), addr);
	check();
}

static void put(struct task_struct *t, unsigned long addr, const char *s)
{
	assert_int_equal(linmm_user_write(t, addr, s, strlen(s) + 1), 0);
	check();
}

static void expect(struct task_struct *t, unsigned long addr, const char *s)
{
	char buf[64];

	assert_int_equal(linmm_user_read(t, addr, buf, strlen(s) + 1), 0);
	assert_string_equal(buf, s);
}

static struct vm_area_struct *vma_of(struct task_struct *t, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_read_lock(t->mm);
	vma = vma_lookup(t->mm, addr);
	mmap_read_unlock(t->mm);
	assert_non_null(vma);
	return vma;
}

static int nr_chains(const struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc;
	int n = 0;

	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
		n++;
	return n;
}

/* Chains in @av's interval tree that cover page index @pgoff. */
static int tree_hits(struct anon_vma *av, unsigned long pgoff)
{
	struct anon_vma_chain *avc;
	int n = 0;

	anon_vma_lock_read(av);
	anon_vma_interval_tree_foreach(avc, &av->rb_root, pgoff, pgoff)
		n++;
	anon_vma_unlock_read(av);
	return n;
}

/*
 * First fault, split and merge:
 *
 *   AAAA      write A1 -> A gets an anon_vma, one chain; page index = pgoff + 1
 *   AaAA      mprotect A1 read-only: three VMAs, all on the same anon_vma
 *   AAAA      mprotect back: merged, one chain again
 */
static void test_prepare_split_merge(void **state)
{
	struct task_struct *t;
	struct vm_area_struct *vma;
	struct anon_vma *av;
	struct page *page;

	(void)state;
	t = boot_spawn("mem=256M");
	map(t, BASE, 4 * P);
	assert_null(vma_of(t, BASE)->anon_vma);
	put(t, BASE + P, "one");
	vma = vma_of(t, BASE);
	av = vma->anon_vma;
	assert_non_null(av);
	assert_ptr_equal(av->root, av);
	assert_int_equal(nr_chains(vma), 1);
	page = page_of(t, BASE + P);
	assert_ptr_equal(page->mapping, (void *)((uintptr_t)av | PAGE_MAPPING_ANON));
	assert_int_equal(page->index, vma->vm_pgoff + 1);
	assert_int_equal(page_mapcount(page), 1);

	assert_int_equal(linmm_mprotect(t, BASE + P, P, PROT_READ), 0);
	check();
	assert_int_equal(t->mm->map_count, 3);
	for (unsigned long a = BASE; a < BASE + 4 * P; a += 2 * P) {
		assert_ptr_equal(vma_of(t, a)->anon_vma, av);
		assert_int_equal(nr_chains(vma_of(t, a)), 1);
	}
	assert_ptr_equal(vma_of(t, BASE + P)->anon_vma, av);
	assert_int_equal(av->num_active_vmas, 3);
	/* Each piece's chain covers its own pages: page index of A1 hits one chain. */
	assert_int_equal(tree_hits(av, page->index), 1);
	expect(t, BASE + P, "one");

	assert_int_equal(linmm_mprotect(t, BASE + P, P, RW), 0);
	check();
	assert_int_equal(t->mm->map_count, 1);
	assert_int_equal(av->num_active_vmas, 1);
	assert_int_equal(nr_chains(vma_of(t, BASE)), 1);

	/* Unmapping it all frees the anon_vma with the VMA; the page goes too. */
	assert_int_equal(linmm_munmap(t, BASE, 4 * P), 0);
	check();
}

/*
 * Fork links, copy on write and reuse:
 *
 *   P --> AV_P                       x (written by P) is found in P, C and G
 *   C --> AV_C, AV_P                 y (C copies x on write) only in C and G
 *   G --> AV_G, AV_C, AV_P
 *   C exits: AV_C has no VMA of its own and one child -> H (fork of G) reuses it
 */
static void test_fork_links_cow_reuse(void **state)
{
	struct task_struct *p, *c, *g, *h;
	struct anon_vma *av_p, *av_c, *av_g;
	struct page *x, *y;

	(void)state;
	p = boot_spawn("mem=256M");
	map(p, BASE, 4 * P);
	put(p, BASE, "x");
	av_p = vma_of(p, BASE)->anon_vma;
	x = page_of(p, BASE);

	c = fork_into(1, p);
	av_c = vma_of(c, BASE)->anon_vma;
	assert_ptr_not_equal(av_c, av_p);
	assert_ptr_equal(av_c->parent, av_p);
	assert_ptr_equal(av_c->root, av_p);
	assert_int_equal(nr_chains(vma_of(c, BASE)), 2);
	assert_int_equal(nr_chains(vma_of(p, BASE)), 1);
	assert_int_equal(page_mapcount(x), 2);
	assert_int_equal(tree_hits(av_p, x->index), 2);	/* P's and C's chains */
	assert_int_equal(av_p->num_children, 2);	/* itself and AV_C */

	put(c, BASE, "y");	/* COW: C's own page, in AV_C */
	y = page_of(c, BASE);
	assert_ptr_not_equal(y, x);
	assert_ptr_equal(page_anon_vma(y), av_c);
	assert_int_equal(page_mapcount(x), 1);
	expect(p, BASE, "x");

	g = fork_into(2, c);
	av_g = vma_of(g, BASE)->anon_vma;
	assert_ptr_equal(av_g->parent, av_c);
	assert_ptr_equal(av_g->root, av_p);
	assert_int_equal(nr_chains(vma_of(g, BASE)), 3);
	assert_int_equal(page_mapcount(y), 2);
	expect(g, BASE, "y");

	exit_task(1);		/* C: AV_C keeps G's chain, loses its own VMA */
	assert_int_equal(av_c->num_active_vmas, 0);
	assert_int_equal(av_c->num_children, 1);
	h = fork_into(3, g);
	assert_ptr_equal(vma_of(h, BASE)->anon_vma, av_c);	/* reused, no new anon_vma */
	assert_int_equal(nr_chains(vma_of(h, BASE)), 3);
	expect(h, BASE, "y");

	/* The root outlives its creator's mm: P exits, G and H still reach y. */
	exit_task(0);
	expect(g, BASE, "y");
	put(h, BASE + P, "h");
	exit_task(2);
	exit_task(3);
}

/*
 * Merges after fork (6.18, as the host does): a new neighbour of a fork
 * child's faulted VMA stays separate; in the parent (one chain) it merges.
 *
 *   parent  AAAABBBB -> one VMA         child  AAAA|BBBB -> two VMAs
 */
static void test_merge_fork_child(void **state)
{
	struct task_struct *p, *c;

	(void)state;
	p = boot_spawn("mem=256M");
	map(p, BASE, 4 * P);
	put(p, BASE, "a");
	c = fork_into(1, p);
	map(c, BASE + 4 * P, 4 * P);
	assert_int_equal(c->mm->map_count, 2);
	/* mprotect round trip inside the child's VMA merges back (same anon_vma). */
	assert_int_equal(linmm_mprotect(c, BASE + P, P, PROT_READ), 0);
	check();
	assert_int_equal(linmm_mprotect(c, BASE + P, P, RW), 0);
	check();
	assert_int_equal(c->mm->map_count, 2);
	exit_task(1);
	map(p, BASE + 4 * P, 4 * P);
	assert_int_equal(p->mm->map_count, 1);
	/* A page of the adopted range is found through the merged VMA. */
	put(p, BASE + 5 * P, "b");
	expect(p, BASE, "a");
}

/* mremap keeps pages reachable: the moved VMA carries the anon_vma; DONTUNMAP drops it. */
static void test_mremap_rmap(void **state)
{
	struct task_struct *t;
	struct anon_vma *av;
	unsigned long dst = BASE + 64 * P;

	(void)state;
	t = boot_spawn("mem=256M");
	map(t, BASE, 4 * P);
	put(t, BASE + 2 * P, "moved");
	av = vma_of(t, BASE)->anon_vma;
	assert_int_equal(linmm_mremap(t, BASE, 4 * P, 4 * P, MREMAP_MAYMOVE | MREMAP_FIXED, dst), dst);
	check();
	assert_ptr_equal(vma_of(t, dst)->anon_vma, av);
	assert_ptr_equal(page_anon_vma(page_of(t, dst + 2 * P)), av);
	expect(t, dst + 2 * P, "moved");

	assert_int_equal(linmm_mremap(t, dst, 4 * P, 4 * P,
				      MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, BASE),
			 BASE);
	check();
	assert_null(vma_of(t, dst)->anon_vma);
	assert_int_equal(nr_chains(vma_of(t, dst)), 0);
	assert_ptr_equal(vma_of(t, BASE)->anon_vma, av);
	expect(t, BASE + 2 * P, "moved");
}

/*
 * page_referenced: test-and-clear Accessed in every mapping PTE.  The child's
 * PTE starts old after fork; a flushed TLB makes the next access set A again.
 */
static void test_page_referenced(void **state)
{
	struct task_struct *p, *c;
	unsigned long flags;
	struct page *page;
	char b;

	(void)state;
	p = boot_spawn("mem=256M cpus=2");
	map(p, BASE, 4 * P);
	put(p, BASE, "r");
	c = fork_into(1, p);
	page = page_of(p, BASE);
	assert_true(pte_of(p, BASE) & _PAGE_ACCESSED);
	assert_false(pte_of(c, BASE) & _PAGE_ACCESSED);
	assert_int_equal(page_referenced(page, &flags), 1);
	assert_true(flags & VM_WRITE);
	assert_false(pte_of(p, BASE) & _PAGE_ACCESSED);
	assert_int_equal(page_referenced(page, NULL), 0);
	check();

	/* Both read it: the parent through its (flushed) TLB sets A again. */
	assert_int_equal(linmm_user_read(p, BASE, &b, 1), 0);
	assert_int_equal(linmm_user_read(c, BASE, &b, 1), 0);
	assert_true(pte_of(p, BASE) & _PAGE_ACCESSED);
	assert_true(pte_of(c, BASE) & _PAGE_ACCESSED);
	assert_int_equal(page_referenced(page, NULL), 2);
	check();

	/* No swap: reclaim cannot unmap an anonymous page; nothing changes. */
	assert_false(try_to_unmap(page, 0));
	assert_int_equal(page_mapcount(page), 2);
	assert_true(pte_of(p, BASE) & _PAGE_PRESENT);
	check();
}

/*
 * Migration moves a page shared by parent and child to a new frame:
 * both read the same bytes there, the old frame is freed, and a later
 * write still copies on write (the page stays shared, not exclusive).
 */
static void test_migrate_shared_page(void **state)
{
	struct task_struct *p, *c;
	struct page *old, *new;
	unsigned long old_pfn, free0;
	u64 pte_p, pte_c;

	(void)state;
	p = boot_spawn("mem=512M nodes=2");
	map(p, BASE, 4 * P);
	put(p, BASE, "migrate me");
	put(p, BASE + P, "stay");
	c = fork_into(1, p);
	old = page_of(p, BASE);
	old_pfn = page_to_pfn(old);
	pte_p = pte_of(p, BASE);
	pte_c = pte_of(c, BASE);
	assert_int_equal(page_to_nid(old), 0);

	/* Warm the caches a migration allocates from (the kmalloc of its target list). */
	assert_int_equal(migrate_anon_page(page_of(p, BASE + P), NUMA_NO_NODE, NULL), 0);
	check();
	drain_all_pages(NULL);
	refresh_vm_stats();
	free0 = nr_free_pages();
	assert_int_equal(migrate_anon_page(old, 1, &new), 0);
	assert_non_null(new);
	assert_int_equal(page_to_nid(new), 1);
	assert_int_not_equal(page_to_pfn(new), old_pfn);
	/* The same bits, a new frame, in both mms. */
	assert_int_equal(pte_of(p, BASE), (pte_p & ~PTE_PFN_MASK) | PFN_PHYS(page_to_pfn(new)));
	assert_int_equal(pte_of(c, BASE), (pte_c & ~PTE_PFN_MASK) | PFN_PHYS(page_to_pfn(new)));
	assert_int_equal(page_mapcount(new), 2);
	assert_int_equal(page_ref_count(new), 2);
	assert_int_equal(page_ref_count(pfn_to_page(old_pfn)), 0);	/* freed */
	drain_all_pages(NULL);
	refresh_vm_stats();
	assert_int_equal(nr_free_pages(), free0);	/* one page out, one back */
	check();
	expect(p, BASE, "migrate me");
	expect(c, BASE, "migrate me");
	expect(c, BASE + P, "stay");

	/* Still shared: the child's write copies, the parent keeps the migrated page. */
	put(c, BASE, "child");
	expect(p, BASE, "migrate me");
	assert_ptr_equal(page_of(p, BASE), new);
	assert_int_equal(page_mapcount(new), 1);
	exit_task(1);

	/* Only mapped small anonymous pages migrate: the zero page is refused. */
	assert_int_equal(migrate_anon_page(ZERO_PAGE(0), NUMA_NO_NODE, NULL), -EINVAL);
	assert_int_equal(linmm_munmap(p, BASE, 4 * P), 0);
	check();
}

/* Migration entries: what a PTE becomes between unmap and remap (swapops.h). */
static void test_migration_entry_format(void **state)
{
	swp_entry_t e;
	pte_t pte;

	(void)state;
	boot_or_fail("mem=256M");
	e = make_migration_entry(0x12345, /* writable = */ true, /* exclusive = */ true);
	pte = swp_entry_to_pte(e);
	assert_false(pte_present(pte));
	assert_false(pte_none(pte));
	assert_int_equal(pte_val(pte) >> 59, SWP_MIGRATION_WRITE);	/* type in bits 59-63 */
	assert_int_equal((~pte_val(pte) >> 9) & ((1ULL << 50) - 1), 0x12345);	/* ~offset 9-58 */
	assert_true(is_migration_entry(pte_to_swp_entry(pte)));
	assert_int_equal(swp_offset_pfn(pte_to_swp_entry(pte)), 0x12345);
	linmm_shutdown();

	boot_or_fail("mem=256M arch=x86_32");
	e = make_migration_entry(0x2345, /* writable = */ false, /* exclusive = */ false);
	pte = swp_entry_to_pte(e);
	assert_int_equal(pte_val(pte), (SWP_MIGRATION_READ << 1) | (0x2345ULL << 9));
	assert_true(is_migration_entry(pte_to_swp_entry(pte)));
	assert_false(is_writable_migration_entry(pte_to_swp_entry(pte)));
	assert_int_equal(swp_offset_pfn(pte_to_swp_entry(pte)), 0x2345);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_prepare_split_merge, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_fork_links_cow_reuse, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_merge_fork_child, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_mremap_rmap, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_page_referenced, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_migrate_shared_page, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_migration_entry_format, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
