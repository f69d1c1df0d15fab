// SPDX-License-Identifier: MIT
/*
 * test_pde_cache.c - the simulated CPU's paging-structure cache (the PDE
 * cache of arch/x86/mmu.c) and the flushes that must drop it
 * (arch/x86/tlb.c, mm/mmu_gather.c, mm/memory.c free_pgtables).
 *
 * Oracles (none computed by the code under test), Intel SDM vol. 3:
 *   - 4.10.3: a PDE-cache entry maps the upper bits of an address (bits
 *     47:21 with 4 and 5 levels and PAE, 31:22 with 2-level paging) to the
 *     PTE table a present non-leaf PDE points to, tagged by PCID; a TLB
 *     miss it serves reads the PTE only and sets no Accessed bit above it;
 *   - 4.10.4.1: INVLPG drops the paging-structure-cache entries of the
 *     current PCID whatever their address; a full flush of the PCID drops
 *     them all;
 *   - 4.10.4.2: a page fault drops the entries that would serve the
 *     faulting address, and only those;
 *   - 4.10.4.3: software that clears a PDE must invalidate before it
 *     relies on the change: without it the CPU keeps reading PTEs from the
 *     old table (the bug class a missing flush after freeing page tables
 *     exposes).
 * Counts come from the TLB statistics: pde_misses counts walks from the top,
 * pde_hits walks that began at the PTE.
 *
 * Address space (x86_64: R0 and R1 are the 2 MiB regions of two PDEs, FAR is
 * 1 GiB away under another PUD entry):
 *
 *   BASE        BASE+2M      BASE+4M        BASE+1G
 *   |RRRRRRRRRRRR|RRRRRRRRRRRR|   ...    ...   |F|
 *   |<--- R0 --->|<--- R1 --->|                 FAR: one page
 *   rw- private, populated (no fault, no TLB fill)
 */
#include <pthread.h>
#include <stdatomic.h>

#include "../linmm_test.h"

#include <linmm/memory.h>
#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/mmu.h>
#include <linmm/pgtable.h>
#include <linmm/sched.h>
#include <linmm/tlbflush.h>
#include <linmm/vmstat.h>

#define P PAGE_SIZE
#define MIB (1UL << 20)
#define BASE 0x10000000UL
#define R1 (BASE + 2 * MIB)
#define FAR (BASE + 1024 * MIB)
#define RW (PROT_READ | PROT_WRITE)
#define FIXED (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

static struct task_struct *tsk;
static struct tlb_stats st0;

static void check(void)
{
	assert_int_equal(validate_mm(tsk->mm), 0);
	assert_int_equal(validate_page_tables(tsk->mm), 0);
	check_machine();
}

/* Map [addr, addr + len) rw- and populated: present PTEs, nothing in any TLB. */
static void map_populated(struct task_struct *t, unsigned long addr, unsigned long len)
{
	assert_int_equal(linmm_mmap(t, addr, len, RW, FIXED | MAP_POPULATE, -1, 0), addr);
	assert_int_equal(validate_mm(t->mm), 0);
}

/* The task with R0, R1 and FAR mapped, every TLB and PDE-cache entry flushed. */
static void setup(const char *cmdline)
{
	boot_or_fail(cmdline);
	tsk = linmm_spawn("test");
	assert_non_null(tsk);
	map_populated(tsk, BASE, 4 * MIB);
	map_populated(tsk, FAR, P);
	flush_tlb_mm(tsk->mm);
	check();
}

static struct vm_area_struct *vma_at(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	mmap_read_unlock(mm);
	return vma;
}

static unsigned long pfn_of(struct task_struct *t, unsigned long addr)
{
	pte_t pte = __pte(0);

	assert_int_equal(follow_pte(t->mm, addr, &pte), 0);
	assert_true(pte_val(pte) & _PAGE_PRESENT);
	return (unsigned long)((pte_val(pte) & PTE_PFN_MASK) >> PAGE_SHIFT);
}

static pud_t *pud_of(struct task_struct *t, unsigned long addr)
{
	return pud_offset(p4d_offset(pgd_offset(t->mm, addr), addr), addr);
}

static pmd_t *pmd_of(struct task_struct *t, unsigned long addr)
{
	return pmd_offset(pud_of(t, addr), addr);
}

static void stats_begin(void)
{
	tlb_get_stats(-1, &st0);
}

/* The change of every counter since stats_begin(), exactly. */
static void stats_expect(unsigned long hits, unsigned long misses, unsigned long pde_hits,
			 unsigned long pde_misses)
{
	struct tlb_stats st;

	tlb_get_stats(-1, &st);
	assert_int_equal(st.hits - st0.hits, hits);
	assert_int_equal(st.misses - st0.misses, misses);
	assert_int_equal(st.pde_hits - st0.pde_hits, pde_hits);
	assert_int_equal(st.pde_misses - st0.pde_misses, pde_misses);
}

/* A user read of @addr by @t that must translate to its own page. */
static void read_ok(struct task_struct *t, unsigned long addr, bool tlb_hit)
{
	struct linmm_translation tr;

	assert_int_equal(linmm_mmu_translate(t, addr, LINMM_ACCESS_READ, LINMM_MMU_USER, &tr), 0);
	assert_int_equal(tr.tlb_hit, tlb_hit);
	assert_int_equal(tr.pfn, pfn_of(t, addr));
}

/* A user read of @addr that faults with @error_code. */
static void read_faults(unsigned long addr, unsigned long error_code)
{
	struct linmm_translation tr;

	assert_int_equal(linmm_mmu_translate(tsk, addr, LINMM_ACCESS_READ, LINMM_MMU_USER, &tr),
			 -EFAULT);
	assert_false(tr.tlb_hit);
	assert_int_equal(tr.error_code, error_code);
}

/*
 * A TLB miss in a region whose PDE is cached reads only the PTE: the first
 * miss of each region walks from the top, the next ones start at the PTE.
 * A TLB hit uses neither.
 */
static void test_pde_cache_serves_tlb_miss(void **state)
{
	(void)state;
	setup("mem=256M");
	stats_begin();
	read_ok(tsk, BASE, false);		/* full walk, fills R0's PDE */
	stats_expect(0, 1, 0, 1);
	read_ok(tsk, BASE + P, false);
	read_ok(tsk, BASE + 511 * P, false);	/* last page of R0 */
	stats_expect(0, 3, 2, 1);
	read_ok(tsk, R1, false);		/* next PDE: full walk */
	read_ok(tsk, R1 + 7 * P, false);
	stats_expect(0, 5, 3, 2);
	read_ok(tsk, BASE + P, true);
	stats_expect(1, 5, 3, 2);
	check();
}

/*
 * Accessed bits above the PTE: the walk that fills the PDE cache sets
 * them; a walk the cache serves does not.  The leaf's Accessed bit is set
 * by every walk.
 */
static void test_pde_cache_accessed_bits(void **state)
{
	pmd_t *pmd;
	pud_t *pud;

	(void)state;
	setup("mem=256M");
	pmd = pmd_of(tsk, BASE);
	pud = pud_of(tsk, BASE);
	assert_int_equal(pmd_val(pmdp_get(pmd)) & ~PTE_PFN_MASK, _PAGE_TABLE);	/* 0x067 */
	pgtable_entry_write(pmd, pmd_val(pmdp_get(pmd)) & ~_PAGE_ACCESSED);
	pgtable_entry_write(pud, pud_val(pudp_get(pud)) & ~_PAGE_ACCESSED);
	stats_begin();
	read_ok(tsk, BASE, false);
	stats_expect(0, 1, 0, 1);
	assert_true(pmd_val(pmdp_get(pmd)) & _PAGE_ACCESSED);
	assert_true(pud_val(pudp_get(pud)) & _PAGE_ACCESSED);

	/* Cleared again: a walk from the cache leaves them clear, sets the PTE's. */
	pgtable_entry_write(pmd, pmd_val(pmdp_get(pmd)) & ~_PAGE_ACCESSED);
	pgtable_entry_write(pud, pud_val(pudp_get(pud)) & ~_PAGE_ACCESSED);
	{
		pte_t *ptep = pte_offset_kernel(pmd, BASE + 2 * P);

		set_pte(ptep, __pte(pte_val(ptep_get(ptep)) & ~_PAGE_ACCESSED));
		read_ok(tsk, BASE + 2 * P, false);
		stats_expect(0, 2, 1, 1);
		assert_true(pte_val(ptep_get(ptep)) & _PAGE_ACCESSED);
	}
	assert_false(pmd_val(pmdp_get(pmd)) & _PAGE_ACCESSED);
	assert_false(pud_val(pudp_get(pud)) & _PAGE_ACCESSED);

	/* INVLPG of an unrelated page: the next walk is a full one and sets them. */
	flush_tlb_page(vma_at(tsk->mm, FAR), FAR);
	read_ok(tsk, BASE + 3 * P, false);
	stats_expect(0, 3, 1, 2);
	assert_true(pmd_val(pmdp_get(pmd)) & _PAGE_ACCESSED);
	assert_true(pud_val(pudp_get(pud)) & _PAGE_ACCESSED);
	check();
}

/*
 * INVLPG drops every PDE-cache entry of the current PCID, whatever the
 * address (but only that address's TLB entry); a full flush drops all.
 *
 *   before:  PDE cache {R0, R1}   TLB {BASE, R1}
 *   INVLPG FAR:  PDE cache {}     TLB {BASE, R1}
 */
static void test_pde_cache_invlpg_any_address(void **state)
{
	struct tlb_stats f0, f1;

	(void)state;
	setup("mem=256M");
	read_ok(tsk, BASE, false);
	read_ok(tsk, R1, false);
	tlb_get_stats(-1, &f0);
	flush_tlb_page(vma_at(tsk->mm, FAR), FAR);
	tlb_get_stats(-1, &f1);
	assert_int_equal(f1.local_flush_one - f0.local_flush_one, 1);	/* the INVLPG path */
	assert_int_equal(f1.local_flush_all - f0.local_flush_all, 0);
	stats_begin();
	read_ok(tsk, BASE, true);
	read_ok(tsk, R1, true);
	stats_expect(2, 0, 0, 0);
	read_ok(tsk, BASE + P, false);		/* R0's PDE went with the INVLPG */
	read_ok(tsk, R1 + P, false);		/* and R1's */
	stats_expect(2, 2, 0, 2);
	read_ok(tsk, BASE + 2 * P, false);	/* refilled */
	stats_expect(2, 3, 1, 2);

	/* A range flush of two pages: INVLPG twice, the PDE cache is empty again. */
	flush_tlb_range(vma_at(tsk->mm, BASE), R1 + 8 * P, R1 + 10 * P);
	read_ok(tsk, BASE + 3 * P, false);
	stats_expect(2, 4, 1, 3);

	/* A full flush of the ASID. */
	tlb_get_stats(-1, &f0);
	flush_tlb_mm(tsk->mm);
	tlb_get_stats(-1, &f1);
	assert_int_equal(f1.local_flush_all - f0.local_flush_all, 1);
	read_ok(tsk, BASE, false);
	read_ok(tsk, BASE + 4 * P, false);
	stats_expect(2, 6, 2, 4);
	check();
}

/*
 * The PDE cache is tagged by PCID: another mm at the same addresses never
 * uses this mm's entries, and coming back to an ASID slot that needs no
 * flush finds them still there.
 */
static void test_pde_cache_pcid_tagged(void **state)
{
	struct task_struct *b;
	struct tlb_stats s;
	unsigned long asid_new;

	(void)state;
	setup("mem=256M");
	b = linmm_spawn("b");
	assert_non_null(b);
	map_populated(b, BASE, 2 * MIB);
	read_ok(tsk, BASE, false);		/* R0's PDE under tsk's ASID */
	tlb_get_stats(-1, &s);
	asid_new = s.asid_new;
	stats_begin();
	read_ok(b, BASE + P, false);		/* b's own walk, b's own frame */
	stats_expect(0, 1, 0, 1);
	assert_int_not_equal(pfn_of(b, BASE + P), pfn_of(tsk, BASE + P));
	read_ok(tsk, BASE + 2 * P, false);	/* back on tsk's slot: still cached */
	stats_expect(0, 2, 1, 1);
	read_ok(b, BASE + 3 * P, false);	/* and b's */
	stats_expect(0, 3, 2, 1);
	tlb_get_stats(-1, &s);
	assert_int_equal(s.asid_new - asid_new, 1);	/* b's slot, once */
	assert_int_equal(validate_mm(b->mm), 0);
	linmm_task_exit(b);
	check();
}

/*
 * A page fault drops the PDE-cache entry that served the faulting address
 * and nothing else: R1's entry stays, R0's goes.
 *
 *   BASE  RRRRR.RR...   page 5 unmapped (its PTE none, the table stays)
 */
static void test_pde_cache_fault_drops_address(void **state)
{
	(void)state;
	setup("mem=256M");
	assert_int_equal(linmm_munmap(tsk, BASE + 5 * P, P), 0);
	assert_int_equal(linmm_mprotect(tsk, R1 + 9 * P, P, PROT_READ), 0);
	read_ok(tsk, BASE, false);
	read_ok(tsk, R1, false);
	stats_begin();
	read_faults(BASE + 5 * P, X86_PF_USER);		/* not present: error 4 */
	stats_expect(0, 1, 1, 0);			/* the PTE came from the cache */
	read_ok(tsk, R1 + P, false);
	stats_expect(0, 2, 2, 0);			/* R1 kept */
	read_ok(tsk, BASE + P, false);
	stats_expect(0, 3, 2, 1);			/* R0 dropped by the fault */

	/* A protection fault (a write to r--) drops its region's entry too. */
	{
		struct linmm_translation tr;

		assert_int_equal(linmm_mmu_translate(tsk, R1 + 9 * P, LINMM_ACCESS_WRITE,
						     LINMM_MMU_USER, &tr), -EFAULT);
		assert_int_equal(tr.error_code, X86_PF_USER | X86_PF_WRITE | X86_PF_PROT);
	}
	stats_expect(0, 4, 3, 1);
	read_ok(tsk, BASE + 2 * P, false);		/* R0 refilled above: kept */
	read_ok(tsk, R1 + 2 * P, false);		/* R1 dropped */
	stats_expect(0, 6, 4, 2);
	check();
}

/*
 * The bug a missing flush after clearing a PDE exposes, and the kernel's
 * unmap path that never shows it.
 *
 *   PDE of R0 cleared, no flush:   PDE cache R0 -> old table  (stale)
 *   read BASE+P:   TLB miss, PTE read from the old table: the old frame
 *   INVLPG of any address:  the next walk sees the PDE gone: #PF
 */
static void test_pde_cache_stale_without_flush(void **state)
{
	unsigned long old_pfn;
	long pt0;
	pmd_t *pmd;
	pmd_t saved;

	(void)state;
	setup("mem=256M");
	pmd = pmd_of(tsk, BASE);
	saved = pmdp_get(pmd);
	old_pfn = pfn_of(tsk, BASE + P);
	read_ok(tsk, BASE, false);
	pmd_clear(pmd);				/* behind the kernel's back */
	stats_begin();
	{
		struct linmm_translation tr;

		assert_int_equal(linmm_mmu_translate(tsk, BASE + P, LINMM_ACCESS_READ,
						     LINMM_MMU_USER, &tr), 0);
		assert_false(tr.tlb_hit);
		assert_int_equal(tr.pfn, old_pfn);	/* stale: through the old table */
	}
	stats_expect(0, 1, 1, 0);
	flush_tlb_page(vma_at(tsk->mm, FAR), FAR);
	read_faults(BASE + 2 * P, X86_PF_USER);	/* the PDE is gone: not present */
	stats_expect(0, 2, 1, 1);

	/*
	 * The old table freed and reused while still cached (its page no
	 * longer a page table): reported, and taken as a #PF that drops it.
	 */
	pgtable_entry_write(pmd, pmd_val(saved));
	flush_tlb_mm(tsk->mm);
	read_ok(tsk, BASE, false);		/* R0's PDE cached again */
	pmd_clear(pmd);
	{
		struct page *table = virt_to_page(pgtable_entry_table(pmd_val(saved)));

		assert_true(PageTable(table));
		__ClearPageTable(table);	/* as pgtable_page_free() leaves it */
		stats_begin();
		read_faults(BASE + 7 * P, X86_PF_USER);
		stats_expect(0, 1, 1, 0);
		assert_true(dmesg_contains("mmu: CPU 0: the cached PDE for 0x10007000 names a page "
					   "that is no longer a page table (freed without a TLB "
					   "flush?)"));
		read_faults(BASE + 7 * P, X86_PF_USER);	/* the fault dropped it: PDE none */
		stats_expect(0, 2, 1, 1);
		__SetPageTable(table);
	}
	pgtable_entry_write(pmd, pmd_val(saved));
	flush_tlb_mm(tsk->mm);
	check();

	/* munmap frees R0's table and flushes first: no walk through it afterwards. */
	read_ok(tsk, BASE + 3 * P, false);
	refresh_vm_stats();
	pt0 = global_node_page_state(NR_PAGETABLE);
	assert_int_equal(linmm_munmap(tsk, BASE, 2 * MIB), 0);
	refresh_vm_stats();
	assert_int_equal(global_node_page_state(NR_PAGETABLE), pt0 - 1);	/* R0's PTE table */
	stats_begin();
	read_faults(BASE + 4 * P, X86_PF_USER);
	read_ok(tsk, R1, false);
	stats_expect(0, 2, 0, 2);
	check();
}

/*
 * The PDE's reach per format: 2 MiB with 8-byte entries (PAE, 4 and 5
 * levels), 4 MiB with 2-level paging, where the PGD entry is the PDE.
 */
static void test_pde_cache_formats(void **state)
{
	static const struct {
		const char *cmdline;
		unsigned long pde_size;
	} f[] = {
		{ "mem=256M", 2 * MIB },
		{ "mem=256M la57", 2 * MIB },
		{ "mem=256M arch=x86_32-pae", 2 * MIB },
		{ "mem=256M arch=x86_32", 4 * MIB },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		boot_or_fail(f[i].cmdline);
		assert_int_equal(PMD_SIZE, f[i].pde_size);
		tsk = linmm_spawn("test");
		assert_non_null(tsk);
		map_populated(tsk, BASE, 8 * MIB);
		flush_tlb_mm(tsk->mm);
		stats_begin();
		read_ok(tsk, BASE, false);
		read_ok(tsk, BASE + 2 * MIB, false);	/* 2-level: the same PDE */
		read_ok(tsk, BASE + 4 * MIB + P, false);
		read_ok(tsk, BASE + 4 * MIB + 2 * P, false);
		if (f[i].pde_size == 4 * MIB)
			stats_expect(0, 4, 2, 2);
		else
			stats_expect(0, 4, 1, 3);
		check();
		linmm_test_shutdown(NULL);
	}
}

/*
 * Flushes from another CPU: CPU 1 reads R0 and translates R2 in a loop
 * while CPU 0 maps, write-protects and unmaps R2 (freeing its PTE table:
 * the freed_tables flush shoots CPU 1's PDE cache down).  CPU 1 always
 * reads R0's data and never a frame outside RAM; afterwards its walk of
 * R2 starts at the top.  Run under TSan too (make check SANITIZE=thread).
 *
 *   BASE        BASE+2M       BASE+4M   BASE+6M
 *   |RRRR R0 RRRR|RRRR R1 RRRR|         |2222 R2 2222|  <- CPU 0: mmap,
 *   ^ CPU 1 reads                        ^ CPU 1 translates  mprotect, munmap
 */
#define R2 (BASE + 6 * MIB)
#define ROUNDS 64
#define READ_PAGES 16

struct reader {
	_Atomic bool stop;
	_Atomic unsigned long rounds;
	unsigned long bad;
};

static unsigned long read_page(unsigned long i)
{
	return BASE + i * 37 * P;	/* spread over R0 and R1 */
}

static void *reader_fn(void *arg)
{
	struct reader *r = arg;

	linmm_cpu_enter(1);
	while (!atomic_load(&r->stop)) {
		for (unsigned long i = 0; i < READ_PAGES; i++) {
			struct linmm_translation tr;
			unsigned long v = 0;
			int ret;

			if (linmm_user_read(tsk, read_page(i), &v, sizeof(v)) || v != read_page(i))
				r->bad++;
			ret = linmm_mmu_translate(tsk, R2 + i * 37 * P, LINMM_ACCESS_READ,
						  LINMM_MMU_USER, &tr);
			if (ret ? ret != -EFAULT : !pfn_valid(tr.pfn))
				r->bad++;
		}
		atomic_fetch_add(&r->rounds, 1);
	}
	linmm_cpu_leave();
	return NULL;
}

static void test_pde_cache_remote_flush(void **state)
{
	struct reader r = { .stop = false };
	struct tlb_stats f0, f1;
	pthread_t t;

	(void)state;
	setup("mem=256M cpus=2");
	for (unsigned long i = 0; i < READ_PAGES; i++) {
		unsigned long v = read_page(i);

		assert_int_equal(linmm_user_write(tsk, v, &v, sizeof(v)), 0);
	}
	tlb_get_stats(-1, &f0);
	assert_int_equal(pthread_create(&t, NULL, reader_fn, &r), 0);
	while (!atomic_load(&r.rounds))
		;	/* CPU 1 has the mm loaded from now on: every flush reaches it */
	for (int i = 0; i < ROUNDS; i++) {
		assert_int_equal(linmm_mmap(tsk, R2, 2 * MIB, RW, FIXED | MAP_POPULATE, -1, 0), R2);
		assert_int_equal(linmm_mprotect(tsk, R2, 2 * MIB, PROT_READ), 0);
		assert_int_equal(linmm_munmap(tsk, R2, 2 * MIB), 0);
	}
	atomic_store(&r.stop, true);
	pthread_join(t, NULL);
	tlb_get_stats(-1, &f1);
	assert_int_equal(r.bad, 0);
	/* mprotect's and munmap's flushes of each round, shot down on CPU 1. */
	assert_true(f1.remote_flush_received - f0.remote_flush_received >= 2 * ROUNDS);
	check();

	/* The last munmap flushed CPU 1 (or CPU 1 walked after it): nothing of R2 cached. */
	assert_int_equal(linmm_cpu_enter(1), 0);
	stats_begin();
	read_faults(R2 + P, X86_PF_USER);
	stats_expect(0, 1, 0, 1);
	assert_int_equal(linmm_cpu_enter(0), 0);
	check();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_pde_cache_serves_tlb_miss, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_pde_cache_accessed_bits, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_pde_cache_invlpg_any_address, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_pde_cache_pcid_tagged, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_pde_cache_fault_drops_address, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_pde_cache_stale_without_flush, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_pde_cache_formats, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_pde_cache_remote_flush, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
