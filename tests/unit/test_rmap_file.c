// SPDX-License-Identifier: MIT
/*
 * test_rmap_file.c - the reverse map of page-cache pages: rmap_walk_file
 * (mm/rmap_file.c), folio_referenced() and try_to_unmap() of file and
 * shmem pages (mm/rmap.c), and migrate_file_page() (mm/migrate.c).
 *
 * Oracles (none computed by the code under test):
 *   - the kernel's rules: a page-cache page mapped in N VMAs has mapcount
 *     N and N + 1 references (the cache's); try_to_unmap() clears every
 *     PTE and leaves the page in the cache, so the next access is a minor
 *     fault; a dirty PTE's write reaches the disk at the next fsync; a
 *     VM_LOCKED VMA keeps the page mapped (TTU_IGNORE_MLOCK overrides);
 *     MADV_RANDOM/SEQUENTIAL mappings do not count references;
 *   - x86 PTE Accessed bit 0x20: an access sets it again only through a
 *     flushed TLB, and a cleared PTE faults only if its TLB entry went;
 *   - migration: every mapper reads the same bytes from a frame on the
 *     target node, the PTE bits but the pfn are unchanged, the file's
 *     slot holds the new page, the old frame is free, an extra reference
 *     makes it -EAGAIN with nothing changed.
 *
 * After every step: validate_mm, validate_page_tables, validate_anon_vmas
 * and validate_file_rmap (i_mmap walk count == mapcount) of every task,
 * validate_page_cache (each mapping, its i_mmap tree, the LRU lists,
 * shmem) and check_machine().
 *
 * The file /data/f, four pages, mapped three ways (one character a page):
 *
 *   file pages        0 1 2 3
 *   A  shared rw      0 1 2 3     at SA       (task a)
 *   B  shared rw        1 2 3     at SB       (task b, offset 1 page)
 *   C  private r      0 1 2 3     at SC       (task c)
 *   page 2: at SA+2P, SB+P, SC+2P  -> mapcount 3
 */
#include "../mm_test.h"

#include <linmm/fs.h>
#include <linmm/memory.h>
#include <linmm/migrate.h>
#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/mmu.h>
#include <linmm/pagemap.h>
#include <linmm/rmap.h>
#include <linmm/sched.h>
#include <linmm/swap.h>
#include <linmm/vmstat.h>

#define P PAGE_SIZE
#define RW (PROT_READ | PROT_WRITE)

enum { TA, TB, TC, NR_TASKS };
static struct task_struct *tasks[NR_TASKS];
static int fds[NR_TASKS];
static unsigned long SA, SB, SC;
static struct address_space *mapping;

static void check(void)
{
	for (int i = 0; i < NR_TASKS; i++) {
		if (!tasks[i])
			continue;
		assert_int_equal(validate_mm(tasks[i]->mm), 0);
		assert_int_equal(validate_page_tables(tasks[i]->mm), 0);
		assert_int_equal(validate_anon_vmas(tasks[i]->mm), 0);
		assert_int_equal(validate_file_rmap(tasks[i]->mm), 0);
	}
	assert_int_equal(validate_page_cache(), 0);
	check_machine();
	assert_false(dmesg_contains("WARNING:"));
	assert_false(dmesg_contains("BUG: Bad page"));
}

static void expect(struct task_struct *t, unsigned long addr, const char *s)
{
	char buf[32];

	assert_int_equal(linmm_user_read(t, addr, buf, strlen(s)), 0);
	assert_memory_equal(buf, s, strlen(s));
}

static void touch(struct task_struct *t, unsigned long addr)
{
	assert_int_equal(linmm_touch(t, addr, 1, LINMM_ACCESS_READ), 0);
	check();
}

/* try_to_unmap() as reclaim calls it, with the page locked (unlocked before any assert). */
static bool unmap_locked(struct page *page, unsigned int flags)
{
	bool ret;

	lock_page(page);
	ret = try_to_unmap(page, flags);
	unlock_page(page);
	return ret;
}

/* Boot, three tasks, /data/f with pages "page0".."page3", mapped as drawn above. */
static void setup_three(const char *cmdline)
{
	char buf[4 * 4096];
	struct file *file;

	memset(tasks, 0, sizeof(tasks));
	boot_or_fail(cmdline);
	for (int i = 0; i < NR_TASKS; i++) {
		tasks[i] = linmm_spawn("rmapf");
		assert_non_null(tasks[i]);
	}
	assert_int_equal(P, sizeof(buf) / 4);
	memset(buf, '.', sizeof(buf));
	for (int i = 0; i < 4; i++)
		snprintf(buf + i * P, 6, "page%d", i);
	fds[TA] = linmm_open(tasks[TA], "/data/f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	assert_true(fds[TA] >= 0);
	assert_int_equal(linmm_write(tasks[TA], fds[TA], buf, sizeof(buf)), (long)sizeof(buf));
	assert_int_equal(linmm_fsync(tasks[TA], fds[TA]), 0);
	fds[TB] = linmm_open(tasks[TB], "/data/f", O_RDWR, 0);
	fds[TC] = linmm_open(tasks[TC], "/data/f", O_RDONLY, 0);
	assert_true(fds[TB] >= 0 && fds[TC] >= 0);
	SA = linmm_mmap(tasks[TA], 0, 4 * P, RW, MAP_SHARED, fds[TA], 0);
	SB = linmm_mmap(tasks[TB], 0, 3 * P, RW, MAP_SHARED, fds[TB], P);
	SC = linmm_mmap(tasks[TC], 0, 4 * P, PROT_READ, MAP_PRIVATE, fds[TC], 0);
	assert_false(IS_ERR_VALUE(SA) || IS_ERR_VALUE(SB) || IS_ERR_VALUE(SC));
	file = fget(tasks[TA], fds[TA]);
	mapping = file->f_mapping;
	fput(file);
	touch(tasks[TA], SA + 2 * P);
	touch(tasks[TB], SB + P);
	touch(tasks[TC], SC + 2 * P);
	expect(tasks[TB], SB + P, "page2");
}

/* One read access at @addr; assert it faulted (minor) or did not. */
static void read_faults(struct task_struct *t, unsigned long addr, unsigned long minor)
{
	unsigned long min0 = t->min_flt, maj0 = t->maj_flt;

	touch(t, addr);
	assert_int_equal(t->min_flt - min0, minor);
	assert_int_equal(t->maj_flt - maj0, 0);
}

/*
 * The walk and folio_referenced: page 2 is found in A, B and C; the young
 * PTEs are counted and made old; MADV_RANDOM takes C out of the vote;
 * a private COW copy leaves the file page's walk.
 */
static void test_walk_and_referenced(void **state)
{
	struct page *page;
	unsigned long flags;
	long mapped0;

	(void)state;
	setup_three("mem=256M cpus=2");
	page = page_of(tasks[TA], SA + 2 * P);
	assert_ptr_equal(page_of(tasks[TB], SB + P), page);
	assert_ptr_equal(page_of(tasks[TC], SC + 2 * P), page);
	assert_ptr_equal(page->mapping, mapping);
	assert_int_equal(page->index, 2);
	assert_false(PageAnon(page));
	assert_int_equal(page_mapcount(page), 3);
	assert_int_equal(page_ref_count(page), 4);	/* the cache + three PTEs */
	mapped0 = node_stat(NR_FILE_MAPPED);
	assert_int_equal(mapped0, 4);	/* fault-around mapped every cached page */

	/* All three PTEs were young; the VMAs' flags are reported (A and B are shared). */
	assert_int_equal(page_referenced(page, &flags), 3);
	assert_true(flags & VM_SHARED);
	assert_false(flags & VM_LOCKED);
	assert_false(pte_of(tasks[TA], SA + 2 * P) & _PAGE_ACCESSED);
	assert_false(pte_of(tasks[TC], SC + 2 * P) & _PAGE_ACCESSED);
	assert_int_equal(page_referenced(page, &flags), 0);
	assert_int_equal(flags, 0);
	check();

	/* Through the flushed TLB, B's access sets Accessed again: one reference. */
	read_faults(tasks[TB], SB + P, 0);
	assert_true(pte_of(tasks[TB], SB + P) & _PAGE_ACCESSED);
	assert_int_equal(page_referenced(page, &flags), 1);
	assert_true(flags & VM_SHARED);

	/* A page someone else has locked counts as referenced, untouched. */
	touch(tasks[TA], SA + 2 * P);
	{
		int busy, held;
		u64 young;

		lock_page(page);
		busy = page_referenced(page, NULL);
		young = pte_of(tasks[TA], SA + 2 * P) & _PAGE_ACCESSED;
		held = folio_referenced(page, /* is_locked = */ 1, NULL);
		unlock_page(page);
		assert_int_equal(busy, 1);
		assert_true(young);
		assert_int_equal(held, 1);
		assert_false(pte_of(tasks[TA], SA + 2 * P) & _PAGE_ACCESSED);
	}
	check();

	/* MADV_RANDOM: C's mapping has no recency; its young PTE is neither counted nor cleared. */
	assert_int_equal(linmm_madvise(tasks[TC], SC, 4 * P, MADV_RANDOM), 0);
	touch(tasks[TA], SA + 2 * P);
	touch(tasks[TC], SC + 2 * P);
	assert_int_equal(page_referenced(page, &flags), 1);
	assert_true(pte_of(tasks[TC], SC + 2 * P) & _PAGE_ACCESSED);
	assert_int_equal(linmm_madvise(tasks[TC], SC, 4 * P, MADV_NORMAL), 0);
	assert_int_equal(page_referenced(page, NULL), 1);	/* C's, now counted */
	check();

	/*
	 * A private writable mapping D of the file in C: its write copies page 2;
	 * the copy is anonymous, D's PTE leaves the file page (mapcount 3 again).
	 */
	{
		unsigned long sd = linmm_mmap(tasks[TC], 0, 4 * P, RW, MAP_PRIVATE, fds[TC], 0);
		struct page *cow;

		assert_false(IS_ERR_VALUE(sd));
		touch(tasks[TC], sd + 2 * P);
		assert_int_equal(page_mapcount(page), 4);
		assert_int_equal(linmm_user_write(tasks[TC], sd + 2 * P, "COW", 3), 0);
		check();
		cow = page_of(tasks[TC], sd + 2 * P);
		assert_true(PageAnon(cow));
		assert_int_equal(page_mapcount(page), 3);
		/* The file page's walk does not see D; try_to_unmap leaves the copy alone. */
		assert_true(unmap_locked(page, 0));
		assert_ptr_equal(page_of(tasks[TC], sd + 2 * P), cow);
		expect(tasks[TC], sd + 2 * P, "COW");
		expect(tasks[TA], SA + 2 * P, "page2");
		check();
	}

	/* The checker sees a mapcount the walk does not confirm. */
	atomic_fetch_add(&page->_mapcount, 1);
	assert_int_equal(validate_file_rmap(tasks[TA]->mm), -EINVAL);
	atomic_fetch_sub(&page->_mapcount, 1);
	assert_int_equal(validate_file_rmap(tasks[TA]->mm), 0);
}

/*
 * try_to_unmap of page 2: every PTE goes (and its TLB entry: the next
 * access faults), rss and Mapped drop, the page stays cached; each task's
 * next access is a minor fault back onto the same page.
 *
 *   before   A: pte -> p2   B: pte -> p2   C: pte -> p2     mapcount 3, ref 4
 *   after    A: none        B: none        C: none          mapcount 0, ref 1
 */
static void test_unmap_refault(void **state)
{
	long file_rss[NR_TASKS], mapped0;
	unsigned long rss0;
	struct page *page;

	(void)state;
	setup_three("mem=256M cpus=2");
	page = page_of(tasks[TA], SA + 2 * P);
	for (int i = 0; i < NR_TASKS; i++)
		file_rss[i] = (long)get_mm_counter(tasks[i]->mm, MM_FILEPAGES);
	mapped0 = node_stat(NR_FILE_MAPPED);
	rss0 = get_mm_rss(tasks[TA]->mm);

	assert_true(unmap_locked(page, 0));
	assert_int_equal(tasks[TA]->mm->hiwater_rss, rss0);	/* VmHWM kept the peak */
	assert_false(page_mapped(page));
	assert_int_equal(page_mapcount(page), 0);
	assert_int_equal(page_ref_count(page), 1);	/* the cache's */
	assert_ptr_equal(xa_load(&mapping->i_pages, 2), page);
	assert_false(pte_of(tasks[TA], SA + 2 * P) & _PAGE_PRESENT);
	assert_false(pte_of(tasks[TB], SB + P) & _PAGE_PRESENT);
	assert_false(pte_of(tasks[TC], SC + 2 * P) & _PAGE_PRESENT);
	for (int i = 0; i < NR_TASKS; i++)
		assert_int_equal(get_mm_counter(tasks[i]->mm, MM_FILEPAGES), file_rss[i] - 1);
	assert_int_equal(node_stat(NR_FILE_MAPPED), mapped0 - 1);
	/* Unmapped already: nothing to do, success. */
	assert_true(unmap_locked(page, 0));
	check();

	/* Minor faults, no I/O: the same page comes back in every mapping. */
	read_faults(tasks[TA], SA + 2 * P, 1);
	read_faults(tasks[TB], SB + P, 1);
	read_faults(tasks[TC], SC + 2 * P, 1);
	assert_ptr_equal(page_of(tasks[TB], SB + P), page);
	assert_int_equal(page_mapcount(page), 3);
	for (int i = 0; i < NR_TASKS; i++)
		assert_int_equal(get_mm_counter(tasks[i]->mm, MM_FILEPAGES), file_rss[i]);
	assert_int_equal(node_stat(NR_FILE_MAPPED), mapped0);
	expect(tasks[TC], SC + 2 * P, "page2");
	/* Pages next to it were never touched by the unmap. */
	read_faults(tasks[TA], SA + 3 * P, 0);
	check();
}

/*
 * The Dirty bit moves to the page: A writes page 1; the page is then
 * cleaned behind the PTE's back (as a mapping without write-notify would
 * leave it), so only the PTE records the write.  try_to_unmap makes the
 * page dirty; fsync writes it; dropped from the cache, it reads back.
 */
static void test_unmap_dirty_writeback(void **state)
{
	struct page *page;
	long dirty0;
	char buf[8];

	(void)state;
	setup_three("mem=256M");
	assert_int_equal(linmm_user_write(tasks[TA], SA + P, "DIRTY", 5), 0);
	check();
	page = page_of(tasks[TA], SA + P);
	assert_true(pte_of(tasks[TA], SA + P) & _PAGE_DIRTY);
	lock_page(page);
	cancel_dirty_page(page);
	unlock_page(page);
	assert_false(PageDirty(page));
	dirty0 = node_stat(NR_FILE_DIRTY);
	check();

	assert_true(unmap_locked(page, TTU_BATCH_FLUSH));
	assert_true(PageDirty(page));
	assert_int_equal(node_stat(NR_FILE_DIRTY), dirty0 + 1);
	check();

	assert_int_equal(linmm_fsync(tasks[TB], fds[TB]), 0);
	assert_false(PageDirty(page));
	assert_int_equal(node_stat(NR_FILE_DIRTY), dirty0);
	check();
	/* From the disk: the write survived although no PTE had it any more. */
	assert_int_equal(invalidate_mapping_pages(mapping, 1, 1), 1);
	check();
	assert_int_equal(linmm_pread(tasks[TC], fds[TC], buf, 5, P), 5);
	assert_memory_equal(buf, "DIRTY", 5);
	expect(tasks[TB], SB, "DIRTY");
	check();
}

/*
 * mlock: C's VM_LOCKED mapping stops the unmap (the walk visits VMAs by
 * file offset: A and C at 0, then B at 1, so B is not reached), and
 * folio_referenced says VM_LOCKED; TTU_IGNORE_MLOCK unmaps everything.
 */
static void test_unmap_mlocked(void **state)
{
	unsigned long flags;
	struct page *page;

	(void)state;
	setup_three("mem=256M");
	assert_int_equal(linmm_mlock(tasks[TC], SC, 4 * P), 0);
	check();
	page = page_of(tasks[TC], SC + 2 * P);
	assert_int_equal(page_mapcount(page), 3);

	assert_false(unmap_locked(page, 0));
	assert_true(page_mapped(page));
	assert_ptr_equal(page_of(tasks[TC], SC + 2 * P), page);
	assert_ptr_equal(page_of(tasks[TB], SB + P), page);
	check();

	assert_true(page_referenced(page, &flags) >= 0);
	assert_true(flags & VM_LOCKED);
	check();

	assert_true(unmap_locked(page, TTU_IGNORE_MLOCK));
	assert_false(page_mapped(page));
	assert_false(pte_of(tasks[TC], SC + 2 * P) & _PAGE_PRESENT);
	check();
	/* munlock: the unmap goes through again after the refault. */
	assert_int_equal(linmm_munlock(tasks[TC], SC, 4 * P), 0);
	read_faults(tasks[TC], SC + 2 * P, 1);
	assert_true(unmap_locked(page, 0));
	check();
}

/*
 * Shared anonymous memory: a shmem page mapped by parent and child.
 * folio_referenced counts both; try_to_unmap takes both PTEs (RssShmem
 * drops) and the page stays in the object; the refault is minor.
 */
static void test_shmem_unmap(void **state)
{
	struct task_struct *p, *c;
	struct page *page;
	unsigned long a;
	long shmem0, dirty0;

	(void)state;
	memset(tasks, 0, sizeof(tasks));
	boot_or_fail("mem=256M");
	p = tasks[TA] = linmm_spawn("shm");
	a = linmm_mmap(p, 0, 2 * P, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_false(IS_ERR_VALUE(a));
	assert_int_equal(linmm_user_write(p, a, "shared", 6), 0);
	c = tasks[TB] = linmm_fork(p);
	assert_non_null(c);
	touch(c, a);
	page = page_of(p, a);
	assert_true(PageSwapBacked(page));
	assert_ptr_equal(page_of(c, a), page);
	assert_int_equal(page_mapcount(page), 2);
	shmem0 = node_stat(NR_SHMEM);
	dirty0 = node_stat(NR_FILE_DIRTY);
	assert_int_equal(page_referenced(page, NULL), 2);

	assert_true(unmap_locked(page, 0));
	assert_int_equal(get_mm_counter(p->mm, MM_SHMEMPAGES), 0);
	assert_int_equal(get_mm_counter(c->mm, MM_SHMEMPAGES), 0);
	assert_int_equal(node_stat(NR_SHMEM), shmem0);	/* still in the object */
	/* The dirty PTE moves to a bare PG_dirty (noop_dirty_folio): no tag, no NR_FILE_DIRTY. */
	assert_true(PageDirty(page));
	assert_false(xa_get_mark(&page_file_mapping(page)->i_pages, page->index, PAGECACHE_TAG_DIRTY));
	assert_int_equal(node_stat(NR_FILE_DIRTY), dirty0);
	check();
	read_faults(c, a, 1);
	assert_ptr_equal(page_of(c, a), page);
	expect(c, a, "shared");
	assert_int_equal(get_mm_counter(c->mm, MM_SHMEMPAGES), 1);
	check();
}

/*
 * Migration of page 2 (mapped in A, B and C, dirty, active) from node 0
 * to node 1; then of an unmapped page; an extra reference refuses.
 *
 *   i_pages[2]: old (node 0)  ->  new (node 1); PTEs in A, B, C -> new
 */
static void test_migrate_file_page(void **state)
{
	long file0[2], dirty0[2], mapped0[2], cached0;
	struct page *old, *new, *unmapped;
	unsigned long old_pfn, free0;
	u64 pte[NR_TASKS];

	(void)state;
	setup_three("mem=512M nodes=2");
	assert_int_equal(linmm_user_write(tasks[TA], SA + 2 * P, "PAGE2", 5), 0);
	old = page_of(tasks[TA], SA + 2 * P);
	old_pfn = page_to_pfn(old);
	assert_int_equal(page_to_nid(old), 0);
	mark_page_accessed(old);
	mark_page_accessed(old);
	assert_true(PageActive(old));
	assert_true(PageDirty(old));
	pte[TA] = pte_of(tasks[TA], SA + 2 * P);
	pte[TB] = pte_of(tasks[TB], SB + P);
	pte[TC] = pte_of(tasks[TC], SC + 2 * P);
	check();

	/* Someone holds a reference: refused, nothing changed. */
	cached0 = node_stat(NR_FILE_PAGES);
	get_page(old);
	assert_int_equal(migrate_file_page(old, 1, &new), -EAGAIN);
	assert_null(new);
	put_page(old);
	assert_int_equal(pte_of(tasks[TA], SA + 2 * P), pte[TA]);
	assert_int_equal(pte_of(tasks[TC], SC + 2 * P), pte[TC]);
	assert_int_equal(page_mapcount(old), 3);
	assert_true(PageLRU(old) && PageActive(old) && PageDirty(old));
	assert_ptr_equal(xa_load(&mapping->i_pages, 2), old);
	assert_int_equal(node_stat(NR_FILE_PAGES), cached0);
	check();

	/* Warm the caches a migration allocates from (its target list), then measure. */
	assert_int_equal(migrate_file_page(page_of(tasks[TA], SA + 3 * P), 1, NULL), 0);
	check();
	for (int nid = 0; nid < 2; nid++) {
		file0[nid] = node_stat_of(nid, NR_FILE_PAGES);
		dirty0[nid] = node_stat_of(nid, NR_FILE_DIRTY);
		mapped0[nid] = node_stat_of(nid, NR_FILE_MAPPED);
	}
	drain_all_pages(NULL);
	refresh_vm_stats();
	free0 = nr_free_pages();
	assert_int_equal(migrate_file_page(old, 1, &new), 0);
	assert_non_null(new);
	assert_int_equal(page_to_nid(new), 1);
	/* Every mapper's PTE: the same bits, the new frame. */
	assert_int_equal(pte_of(tasks[TA], SA + 2 * P),
			 (pte[TA] & ~PTE_PFN_MASK) | PFN_PHYS(page_to_pfn(new)));
	assert_int_equal(pte_of(tasks[TB], SB + P), (pte[TB] & ~PTE_PFN_MASK) | PFN_PHYS(page_to_pfn(new)));
	assert_int_equal(pte_of(tasks[TC], SC + 2 * P),
			 (pte[TC] & ~PTE_PFN_MASK) | PFN_PHYS(page_to_pfn(new)));
	/* The cache's slot, the states, the list. */
	assert_ptr_equal(xa_load(&mapping->i_pages, 2), new);
	assert_ptr_equal(new->mapping, mapping);
	assert_int_equal(new->index, 2);
	assert_int_equal(page_mapcount(new), 3);
	assert_int_equal(page_ref_count(new), 4);
	assert_true(PageDirty(new) && PageUptodate(new) && PageActive(new) && PageLRU(new));
	assert_false(PageSwapBacked(new));
	assert_true(xa_get_mark(&mapping->i_pages, 2, PAGECACHE_TAG_DIRTY));
	assert_int_equal(page_lru(new), LRU_ACTIVE_FILE);
	/* The old frame is free; one page out, one back. */
	assert_int_equal(page_ref_count(pfn_to_page(old_pfn)), 0);
	assert_null(pfn_to_page(old_pfn)->mapping);
	drain_all_pages(NULL);
	refresh_vm_stats();
	assert_int_equal(nr_free_pages(), free0);
	/* The counters moved with it. */
	assert_int_equal(node_stat_of(0, NR_FILE_PAGES), file0[0] - 1);
	assert_int_equal(node_stat_of(1, NR_FILE_PAGES), file0[1] + 1);
	assert_int_equal(node_stat_of(0, NR_FILE_DIRTY), dirty0[0] - 1);
	assert_int_equal(node_stat_of(1, NR_FILE_DIRTY), dirty0[1] + 1);
	assert_int_equal(node_stat_of(0, NR_FILE_MAPPED), mapped0[0] - 1);
	assert_int_equal(node_stat_of(1, NR_FILE_MAPPED), mapped0[1] + 1);
	check();
	expect(tasks[TA], SA + 2 * P, "PAGE2");
	expect(tasks[TB], SB + P, "PAGE2");
	expect(tasks[TC], SC + 2 * P, "PAGE2");

	/* The new page is an ordinary cache page: written back, unmapped, refaulted. */
	assert_int_equal(linmm_fsync(tasks[TA], fds[TA]), 0);
	assert_false(PageDirty(new));
	assert_true(unmap_locked(new, 0));
	read_faults(tasks[TB], SB + P, 1);
	assert_ptr_equal(page_of(tasks[TB], SB + P), new);
	check();

	/* An unmapped page-cache page moves too: page 0 after A and C unmap it. */
	unmapped = page_of(tasks[TA], SA);
	assert_true(unmap_locked(unmapped, 0));
	assert_int_equal(migrate_file_page(unmapped, 1, &new), 0);
	assert_int_equal(page_to_nid(new), 1);
	assert_int_equal(page_mapcount(new), 0);
	assert_ptr_equal(xa_load(&mapping->i_pages, 0), new);
	check();
	read_faults(tasks[TA], SA, 1);
	expect(tasks[TA], SA, "page0");
	assert_ptr_equal(page_of(tasks[TA], SA), new);

	/* Wrong kinds are refused. */
	assert_int_equal(migrate_anon_page(new, 1, NULL), -EINVAL);
	assert_int_equal(migrate_file_page(ZERO_PAGE(0), 1, NULL), -EINVAL);
	check();
}

/*
 * A shmem page mapped by parent and child moves to node 1: the object's
 * slot, Shmem per node and the anonymous LRU follow; RssShmem stays.
 */
static void test_migrate_shmem_page(void **state)
{
	struct task_struct *p, *c;
	struct page *old, *new;
	unsigned long a, old_pfn;
	long shmem0[2];

	(void)state;
	memset(tasks, 0, sizeof(tasks));
	boot_or_fail("mem=512M nodes=2");
	p = tasks[TA] = linmm_spawn("shm");
	a = linmm_mmap(p, 0, 2 * P, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_false(IS_ERR_VALUE(a));
	assert_int_equal(linmm_user_write(p, a, "shmem!", 6), 0);
	assert_int_equal(linmm_user_write(p, a + P, "warm", 4), 0);
	c = tasks[TB] = linmm_fork(p);
	assert_non_null(c);
	touch(c, a);
	old = page_of(p, a);
	old_pfn = page_to_pfn(old);
	assert_int_equal(page_to_nid(old), 0);
	assert_int_equal(migrate_file_page(page_of(p, a + P), 1, NULL), 0);	/* warm caches */
	check();
	shmem0[0] = node_stat_of(0, NR_SHMEM);
	shmem0[1] = node_stat_of(1, NR_SHMEM);

	assert_int_equal(migrate_file_page(old, 1, &new), 0);
	assert_int_equal(page_to_nid(new), 1);
	assert_ptr_equal(page_of(p, a), new);
	assert_ptr_equal(page_of(c, a), new);
	assert_int_equal(page_mapcount(new), 2);
	assert_true(PageSwapBacked(new));
	assert_int_equal(page_lru(new), LRU_INACTIVE_ANON);
	assert_ptr_equal(xa_load(&page_file_mapping(new)->i_pages, 0), new);
	assert_int_equal(page_ref_count(pfn_to_page(old_pfn)), 0);
	assert_int_equal(node_stat_of(0, NR_SHMEM), shmem0[0] - 1);
	assert_int_equal(node_stat_of(1, NR_SHMEM), shmem0[1] + 1);
	assert_int_equal(get_mm_counter(p->mm, MM_SHMEMPAGES), 2);
	assert_int_equal(get_mm_counter(c->mm, MM_SHMEMPAGES), 2);
	check();
	expect(p, a, "shmem!");
	expect(c, a, "shmem!");
	/* Still one object: the child's write is the parent's. */
	assert_int_equal(linmm_user_write(c, a, "child", 5), 0);
	expect(p, a, "child");
	linmm_task_exit(c);
	tasks[TB] = NULL;
	check();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_walk_and_referenced, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_unmap_refault, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_unmap_dirty_writeback, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_unmap_mlocked, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_shmem_unmap, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_migrate_file_page, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_migrate_shmem_page, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
