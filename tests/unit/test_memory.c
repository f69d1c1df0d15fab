// SPDX-License-Identifier: MIT
/*
 * test_memory.c - user page tables, anonymous faults, the software MMU and
 * its TLB, user memory access and the SIGSEGV outcomes, fork's copy on
 * write and the smaps numbers that follow (mm/memory.c, arch/x86/mmu.c,
 * arch/x86/tlb.c, arch/x86/fault.c, lib/usercopy.c, kernel/fork.c).
 *
 * Oracles (none computed by the code under test):
 *   - x86 PTE bits as the SDM defines them: P 0x1, RW 0x2, US 0x4,
 *     A 0x20, D 0x40, software bit 9 (_PAGE_SPECIAL) 0x200, NX bit 63;
 *     a private rw- VMA's protection is P|US|A|NX (protection_map), so the
 *     zero page is mapped 0x8000000000000225 | pfn << 12 and a written
 *     page 0x8000000000000067 | pfn << 12; without NX (2-level) the same
 *     low bits and no bit 63; table entries are 0x067, PAE PDPTEs 0x001;
 *   - the kernel's segfault line and error codes (user 4, write 2,
 *     protection 1, instruction fetch 0x10: "error 15" printed in hex);
 *   - the host kernel's behaviour for fault counts: one minor fault per
 *     first touch, none for a write after mprotect R -> RW of a page that
 *     was written, one per write to a page shared by fork
 *     (tests/diff/test_fault_diff.c checks these against the host);
 *   - smaps arithmetic: a page mapped by two processes adds half its size
 *     to each one's Pss; the zero page is not in Rss.
 *
 * Address space used (one character per page from BASE):
 *
 *   BASE  AAAA........BB       A: rw- private, B: r-- private
 *         ^0          ^12
 */
#include "../linmm_test.h"

#include <linmm/gfp.h>
#include <linmm/memory.h>
#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/mmu.h>
#include <linmm/rmap.h>
#include <linmm/sched.h>
#include <linmm/tlbflush.h>
#include <linmm/uaccess.h>
#include <linmm/vmstat.h>

#define P PAGE_SIZE
#define BASE 0x10000000UL
#define RW (PROT_READ | PROT_WRITE)
#define FIXED (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
#define PTE_ZERO_RO 0x8000000000000225ULL	/* P|US|A|special|NX */
#define PTE_ANON_RW 0x8000000000000067ULL	/* P|RW|US|A|D|NX */

static struct task_struct *tsk;

/* vma_lookup() with mmap_lock held, as it asserts. */
static struct vm_area_struct *vma_at(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	mmap_read_unlock(mm);
	return vma;
}

static void check(void)
{
	assert_int_equal(validate_mm(tsk->mm), 0);
	assert_int_equal(validate_page_tables(tsk->mm), 0);
	assert_int_equal(validate_anon_vmas(tsk->mm), 0);
	check_machine();
	{
		char *log = linmm_dmesg(7), *w = log ? strstr(log, "WARNING:") : NULL;

		/* lockdep_assert_held() and friends */
		if (w)
			fail_msg("dmesg: %.200s", w);
		free(log);
	}
}

static void spawn_on(const char *cmdline)
{
	boot_or_fail(cmdline);
	tsk = linmm_spawn("test");
	assert_non_null(tsk);
	check();
}

static void map(unsigned long addr, unsigned long len, unsigned long prot)
{
	assert_int_equal(linmm_mmap(tsk, addr, len, prot, FIXED, -1, 0), addr);
	check();
}

static u64 pte_at(unsigned long addr)
{
	pte_t pte = __pte(0);

	if (follow_pte(tsk->mm, addr, &pte))
		return 0;
	return pte_val(pte);
}

static struct page *page_at(unsigned long addr)
{
	u64 v = pte_at(addr);

	assert_true(v & _PAGE_PRESENT);
	return pfn_to_page((unsigned long)((v & PTE_PFN_MASK) >> PAGE_SHIFT));
}

static u64 pfn_bits(u64 pte)
{
	return pte & PTE_PFN_MASK;
}

/* A node counter summed over nodes with every CPU's delta folded in. */
static long node_stat(enum node_stat_item item)
{
	refresh_vm_stats();
	return global_node_page_state(item);
}

static unsigned long free_after_drain(void)
{
	drain_all_pages(NULL);
	refresh_vm_stats();
	return nr_free_pages();
}

/*
 * Read fault, then write fault, on one page; a read of a second page
 * shares the same zero page:
 *
 *   read  A0  -> pte = zero page, read-only, special     (1 fault)
 *   read  A1  -> the same zero page                       (2 faults)
 *   write A0  -> do_wp_page: a new zeroed anonymous page  (3 faults)
 *   write A0, read A0 again -> no fault
 */
static void test_zero_page_then_write(void **state)
{
	unsigned long zero = 0, pgfault0;
	struct page *page, *zp;
	int zp_ref;
	char c = 1;

	(void)state;
	spawn_on("mem=256M");
	map(BASE, 4 * P, RW);
	zp = ZERO_PAGE(0);
	zp_ref = page_ref_count(zp);
	pgfault0 = sum_vm_event(PGFAULT);

	assert_int_equal(linmm_user_read(tsk, BASE + 5, &c, 1), 0);
	assert_int_equal(c, 0);
	zero = my_zero_pfn(0);
	assert_int_equal(pte_at(BASE), PTE_ZERO_RO | ((u64)zero << PAGE_SHIFT));
	assert_int_equal(tsk->min_flt, 1);
	check();
	assert_int_equal(linmm_touch(tsk, BASE + P, 1, LINMM_ACCESS_READ), 0);
	assert_int_equal(pfn_bits(pte_at(BASE + P)), (u64)zero << PAGE_SHIFT);
	assert_int_equal(tsk->min_flt, 2);
	assert_int_equal(page_ref_count(zp), zp_ref);	/* the zero page is never counted */
	assert_int_equal(get_mm_counter(tsk->mm, MM_ANONPAGES), 0);
	check();

	assert_int_equal(linmm_touch(tsk, BASE, 1, LINMM_ACCESS_WRITE), 0);
	assert_int_equal(tsk->min_flt, 3);
	assert_int_equal(pte_at(BASE) & ~PTE_PFN_MASK, PTE_ANON_RW);
	assert_int_not_equal(pfn_bits(pte_at(BASE)), (u64)zero << PAGE_SHIFT);
	page = page_at(BASE);
	assert_int_equal(page_mapcount(page), 1);
	assert_int_equal(page_ref_count(page), 1);
	assert_true(PageAnon(page));
	assert_ptr_equal(page_anon_vma(page), vma_at(tsk->mm, BASE)->anon_vma);
	assert_int_equal(page->index, BASE >> PAGE_SHIFT);
	assert_int_equal(get_mm_counter(tsk->mm, MM_ANONPAGES), 1);
	/* Page 1 still maps the zero page. */
	assert_int_equal(pte_at(BASE + P), PTE_ZERO_RO | ((u64)zero << PAGE_SHIFT));
	check();

	assert_int_equal(linmm_touch(tsk, BASE, 1, LINMM_ACCESS_WRITE), 0);
	assert_int_equal(linmm_touch(tsk, BASE, 1, LINMM_ACCESS_READ), 0);
	assert_int_equal(tsk->min_flt, 3);
	assert_int_equal(tsk->maj_flt, 0);
	assert_int_equal(sum_vm_event(PGFAULT) - pgfault0, 3);
	check();
}

/* A first write maps a zeroed page directly; data written reads back. */
static void test_write_fault_and_data(void **state)
{
	static const char msg[] = "hello, page fault";
	char buf[sizeof(msg)] = { 0 };
	unsigned long reuse0;

	(void)state;
	spawn_on("mem=256M");
	map(BASE, 4 * P, RW);
	reuse0 = sum_vm_event(PGREUSE);
	/* Straddle pages 0 and 1: two faults. */
	assert_int_equal(linmm_user_write(tsk, BASE + P - 4, msg, sizeof(msg)), 0);
	assert_int_equal(tsk->min_flt, 2);
	assert_int_equal(pte_at(BASE) & ~PTE_PFN_MASK, PTE_ANON_RW);
	assert_int_equal(pte_at(BASE + P) & ~PTE_PFN_MASK, PTE_ANON_RW);
	assert_int_equal(linmm_user_read(tsk, BASE + P - 4, buf, sizeof(buf)), 0);
	assert_string_equal(buf, msg);
	assert_int_equal(tsk->min_flt, 2);
	assert_int_equal(sum_vm_event(PGREUSE), reuse0);	/* nothing to reuse: no COW */
	/* One PTE table, one PMD and one PUD table below the pgd. */
	assert_int_equal(mm_pgtables_bytes(tsk->mm), 3 * P);
	check();
}

/*
 * munmap frees the pages and the page tables; the free page count and
 * PageTables come back exactly.  The range straddles a 2 MiB boundary, so
 * two PTE tables are needed:
 *
 *   BASE+2M-8P ........|........ BASE+2M+8P
 *                      ^ PMD boundary
 */
static void test_munmap_frees_pages_and_tables(void **state)
{
	unsigned long start = BASE + (2 * SZ_1M) - 8 * P, len = 16 * P;
	unsigned long free0, pt0;

	(void)state;
	spawn_on("mem=256M");
	/* Warm the slab caches (vm_area_struct, anon_vma) once. */
	map(start, len, RW);
	assert_int_equal(linmm_touch(tsk, start, len, LINMM_ACCESS_WRITE), 0);
	assert_int_equal(linmm_munmap(tsk, start, len), 0);
	check();

	free0 = free_after_drain();
	pt0 = (unsigned long)node_stat(NR_PAGETABLE);
	assert_int_equal(mm_pgtables_bytes(tsk->mm), 0);
	map(start, len, RW);
	assert_int_equal(linmm_touch(tsk, start, len, LINMM_ACCESS_WRITE), 0);
	assert_int_equal(get_mm_counter(tsk->mm, MM_ANONPAGES), 16);
	assert_int_equal(mm_pgtables_bytes(tsk->mm), 4 * P);	/* 2 PTE + PMD + PUD */
	assert_int_equal(node_stat(NR_PAGETABLE), (long)pt0 + 4);
	assert_int_equal(node_stat(NR_ANON_MAPPED), 16);
	assert_int_equal(free_after_drain(), free0 - 16 - 4);
	check();

	assert_int_equal(linmm_munmap(tsk, start, len), 0);
	assert_int_equal(get_mm_counter(tsk->mm, MM_ANONPAGES), 0);
	assert_int_equal(mm_pgtables_bytes(tsk->mm), 0);
	assert_int_equal(node_stat(NR_PAGETABLE), (long)pt0);
	assert_int_equal(node_stat(NR_ANON_MAPPED), 0);
	assert_int_equal(free_after_drain(), free0);
	assert_int_equal(pte_at(start), 0);
	check();
}

/*
 * A PTE table shared by two VMAs stays until both are gone:
 *
 *   AAAA....BBBB     unmap A: the table still maps B
 *   ........BBBB     unmap B: table, PMD and PUD freed
 */
static void test_free_pgtables_keeps_shared_table(void **state)
{
	(void)state;
	spawn_on("mem=256M");
	map(BASE, 4 * P, RW);
	map(BASE + 8 * P, 4 * P, PROT_READ);
	assert_int_equal(linmm_touch(tsk, BASE, 4 * P, LINMM_ACCESS_WRITE), 0);
	assert_int_equal(linmm_touch(tsk, BASE + 8 * P, 4 * P, LINMM_ACCESS_READ), 0);
	assert_int_equal(mm_pgtables_bytes(tsk->mm), 3 * P);
	assert_int_equal(linmm_munmap(tsk, BASE, 4 * P), 0);
	assert_int_equal(mm_pgtables_bytes(tsk->mm), 3 * P);
	assert_int_equal(pte_at(BASE), 0);
	assert_true(pte_at(BASE + 8 * P) & _PAGE_PRESENT);
	check();
	assert_int_equal(linmm_munmap(tsk, BASE + 8 * P, 4 * P), 0);
	assert_int_equal(mm_pgtables_bytes(tsk->mm), 0);
	check();
}

/* Exit returns every page and table, the pgd included. */
static void test_exit_frees_everything(void **state)
{
	unsigned long free0, pt0;

	(void)state;
	spawn_on("mem=256M");
	map(BASE, 64 * P, RW);
	assert_int_equal(linmm_touch(tsk, BASE, 64 * P, LINMM_ACCESS_WRITE), 0);
	linmm_task_exit(tsk);
	free0 = free_after_drain();
	pt0 = (unsigned long)node_stat(NR_PAGETABLE);

	tsk = linmm_spawn("again");
	assert_non_null(tsk);
	assert_int_equal(node_stat(NR_PAGETABLE), (long)pt0 + 1);	/* the pgd */
	map(BASE, 64 * P, RW);
	assert_int_equal(linmm_touch(tsk, BASE, 64 * P, LINMM_ACCESS_WRITE), 0);
	assert_int_equal(get_mm_rss(tsk->mm), 64);
	linmm_task_exit(tsk);
	tsk = NULL;
	assert_int_equal(node_stat(NR_PAGETABLE), (long)pt0);
	assert_int_equal(free_after_drain(), free0);
	check_machine();
}

/*
 * mprotect changes the PTEs and flushes: after R the write is an access
 * error; back to RW an exclusive written page is writable at once.
 */
static void test_mprotect_changes_ptes(void **state)
{
	struct task_struct *t2;
	struct tlb_stats st0, st1;

	(void)state;
	spawn_on("mem=256M");
	map(BASE, 2 * P, RW);
	assert_int_equal(linmm_touch(tsk, BASE, 2 * P, LINMM_ACCESS_WRITE), 0);
	assert_int_equal(tsk->min_flt, 2);
	tlb_get_stats(-1, &st0);
	assert_int_equal(linmm_mprotect(tsk, BASE, 2 * P, PROT_READ), 0);
	tlb_get_stats(-1, &st1);
	assert_int_equal(st1.local_flush_one - st0.local_flush_one, 2);
	assert_int_equal(pte_at(BASE) & ~PTE_PFN_MASK, 0x8000000000000065ULL);	/* RW gone, D kept */
	check();
	assert_int_equal(linmm_mprotect(tsk, BASE, 2 * P, RW), 0);
	assert_int_equal(pte_at(BASE) & ~PTE_PFN_MASK, PTE_ANON_RW);
	assert_int_equal(linmm_touch(tsk, BASE, 2 * P, LINMM_ACCESS_WRITE), 0);
	assert_int_equal(tsk->min_flt, 2);	/* no fault: as on Linux since 5.19 */
	check();

	/* Read-only now: a write is SEGV_ACCERR, error 7 (user|write|protection). */
	assert_int_equal(linmm_mprotect(tsk, BASE, 2 * P, PROT_READ), 0);
	assert_int_equal(linmm_touch(tsk, BASE + 8, 1, LINMM_ACCESS_WRITE), -EFAULT);
	assert_int_equal(tsk->exit_signal_nr, LINMM_SIGSEGV);
	assert_int_equal(tsk->last_siginfo.code, LINMM_SEGV_ACCERR);
	assert_int_equal(tsk->last_siginfo.addr, BASE + 8);
	assert_int_equal(tsk->thread.error_code, 7);
	assert_true(dmesg_contains("test[1]: segfault at 10000008 ip 0000000000000000 "
				   "sp 0000000000000000 error 7 likely on CPU 0 (core 0, socket 0)"));
	assert_true(dmesg_contains("Code: Unable to access opcode bytes at 0xffffffffffffffd6."));
	/* A killed task makes no more accesses. */
	assert_int_equal(linmm_touch(tsk, BASE, 1, LINMM_ACCESS_READ), -ESRCH);
	check();

	/* PROT_NONE: a read of a present page is an access error too, error 4 (not present). */
	t2 = linmm_spawn("t2");
	assert_non_null(t2);
	assert_int_equal(linmm_mmap(t2, BASE, P, RW, FIXED, -1, 0), BASE);
	assert_int_equal(linmm_touch(t2, BASE, 1, LINMM_ACCESS_WRITE), 0);
	assert_int_equal(linmm_mprotect(t2, BASE, P, PROT_NONE), 0);
	assert_int_equal(linmm_touch(t2, BASE, 1, LINMM_ACCESS_READ), -EFAULT);
	assert_int_equal(t2->last_siginfo.code, LINMM_SEGV_ACCERR);
	assert_true(dmesg_contains("t2[2]: segfault at 10000000 ip 0000000000000000 "
				   "sp 0000000000000000 error 4 likely"));
	assert_int_equal(validate_page_tables(t2->mm), 0);
	check();
}

/* No VMA: SEGV_MAPERR; error 6 for a write, 4 for a read, 5 for a kernel address. */
static void test_segv_maperr(void **state)
{
	struct task_struct *t2, *t3;

	(void)state;
	spawn_on("mem=256M");
	assert_int_equal(linmm_touch(tsk, 0, 1, LINMM_ACCESS_WRITE), -EFAULT);
	assert_int_equal(tsk->last_siginfo.signo, LINMM_SIGSEGV);
	assert_int_equal(tsk->last_siginfo.code, LINMM_SEGV_MAPERR);
	assert_int_equal(tsk->min_flt, 0);
	assert_true(dmesg_contains("test[1]: segfault at 0 ip 0000000000000000 sp 0000000000000000 "
				   "error 6 likely on CPU 0 (core 0, socket 0)"));

	t2 = linmm_spawn("reader");
	assert_non_null(t2);
	assert_int_equal(linmm_touch(t2, BASE, 1, LINMM_ACCESS_READ), -EFAULT);
	assert_true(dmesg_contains("reader[2]: segfault at 10000000 ip 0000000000000000 "
				   "sp 0000000000000000 error 4 likely"));

	/* A kernel address from user mode: not an oops, a SIGSEGV with the PROT bit. */
	t3 = linmm_spawn("kaddr");
	assert_non_null(t3);
	assert_int_equal(linmm_touch(t3, 0xffff888000001000UL, 1, LINMM_ACCESS_READ), -EFAULT);
	assert_int_equal(t3->last_siginfo.code, LINMM_SEGV_MAPERR);
	assert_true(dmesg_contains("kaddr[3]: segfault at ffff888000001000 ip 0000000000000000 "
				   "sp 0000000000000000 error 5 likely"));
	assert_false(dmesg_contains("Oops"));
	check();
}

/*
 * Instruction fetch from rw- memory: the first fault maps the page (the
 * kernel checks VM_EXEC only once it is present), the retry faults on NX:
 * SEGV_ACCERR, error 15, ip = the address.  From rwx memory it runs.
 */
static void test_exec_nx(void **state)
{
	struct task_struct *t2;

	(void)state;
	spawn_on("mem=256M");
	map(BASE, P, RW);
	assert_int_equal(linmm_touch(tsk, BASE, 1, LINMM_ACCESS_EXEC), -EFAULT);
	assert_int_equal(tsk->min_flt, 1);
	assert_int_equal(tsk->last_siginfo.code, LINMM_SEGV_ACCERR);
	assert_true(dmesg_contains("test[1]: segfault at 10000000 ip 0000000010000000 "
				   "sp 0000000000000000 error 15 likely"));
	assert_true(dmesg_contains("Code: Unable to access opcode bytes at 0xfffffd6."));
	check();

	t2 = linmm_spawn("jit");
	assert_non_null(t2);
	assert_int_equal(linmm_mmap(t2, BASE, P, RW | PROT_EXEC, FIXED, -1, 0), BASE);
	assert_int_equal(linmm_touch(t2, BASE, 1, LINMM_ACCESS_EXEC), 0);
	{
		pte_t pte;

		assert_int_equal(follow_pte(t2->mm, BASE, &pte), 0);
		assert_false(pte_val(pte) & _PAGE_NX);
	}
	assert_int_equal(t2->exit_signal_nr, 0);
	assert_int_equal(validate_page_tables(t2->mm), 0);
}

/*
 * The TLB: a PTE changed without a flush leaves a stale translation that
 * the CPU keeps using; the flush removes it.  On two CPUs the flush of
 * one reaches the other through a shootdown.
 */
static void test_tlb_stale_entry(void **state)
{
	struct linmm_translation tr;
	struct tlb_stats st0, st1;
	unsigned long pfn;
	pte_t *ptep = NULL;
	pte_t saved;

	(void)state;
	spawn_on("mem=256M cpus=2");
	map(BASE, 2 * P, RW);
	assert_int_equal(linmm_touch(tsk, BASE, 1, LINMM_ACCESS_WRITE), 0);
	pfn = page_to_pfn(page_at(BASE));
	assert_int_equal(linmm_mmu_translate(tsk, BASE, LINMM_ACCESS_WRITE, LINMM_MMU_USER, &tr), 0);
	assert_true(tr.tlb_hit);
	assert_int_equal(tr.pfn, pfn);

	/* Write-protect the PTE behind the kernel's back: no flush. */
	{
		pgd_t *pgd = pgd_offset(tsk->mm, BASE);
		pmd_t *pmd = pmd_offset(pud_offset(p4d_offset(pgd, BASE), BASE), BASE);

		ptep = pte_offset_kernel(pmd, BASE);
	}
	saved = ptep_get(ptep);
	set_pte(ptep, pte_wrprotect(saved));
	assert_int_equal(linmm_mmu_translate(tsk, BASE, LINMM_ACCESS_WRITE, LINMM_MMU_USER, &tr), 0);
	assert_true(tr.tlb_hit);	/* stale: the CPU still writes */
	flush_tlb_page(vma_at(tsk->mm, BASE), BASE);
	assert_int_equal(linmm_mmu_translate(tsk, BASE, LINMM_ACCESS_WRITE, LINMM_MMU_USER, &tr),
			 -EFAULT);
	assert_false(tr.tlb_hit);
	assert_int_equal(tr.error_code, X86_PF_USER | X86_PF_WRITE | X86_PF_PROT);
	set_pte(ptep, saved);

	/* Cleared without a flush: the old frame is still reached. */
	assert_int_equal(linmm_mmu_translate(tsk, BASE, LINMM_ACCESS_READ, LINMM_MMU_USER, &tr), 0);
	assert_false(tr.tlb_hit);	/* refilled after the fault dropped it */
	set_pte(ptep, __pte(0));
	assert_int_equal(linmm_mmu_translate(tsk, BASE, LINMM_ACCESS_READ, LINMM_MMU_USER, &tr), 0);
	assert_true(tr.tlb_hit);
	assert_int_equal(tr.pfn, pfn);
	set_pte(ptep, saved);

	/* CPU 1 runs the task too; mprotect on CPU 0 shoots CPU 1's entry down. */
	assert_int_equal(linmm_cpu_enter(1), 0);
	assert_int_equal(linmm_mmu_translate(tsk, BASE, LINMM_ACCESS_WRITE, LINMM_MMU_USER, &tr), 0);
	assert_false(tr.tlb_hit);
	assert_int_equal(linmm_cpu_enter(0), 0);
	assert_int_equal(*mm_cpumask(tsk->mm), 3);
	tlb_get_stats(-1, &st0);
	assert_int_equal(linmm_mprotect(tsk, BASE, 2 * P, PROT_READ), 0);
	tlb_get_stats(-1, &st1);
	assert_int_equal(st1.remote_flush - st0.remote_flush, 1);
	assert_int_equal(st1.remote_flush_received - st0.remote_flush_received, 1);
	assert_int_equal(linmm_cpu_enter(1), 0);
	assert_int_equal(linmm_mmu_translate(tsk, BASE, LINMM_ACCESS_WRITE, LINMM_MMU_USER, &tr),
			 -EFAULT);
	assert_int_equal(linmm_cpu_enter(0), 0);
	check();
}

/* Kernel-mode access: bytes not copied, -EFAULT, faults counted, no signal. */
static void test_uaccess(void **state)
{
	char buf[2 * PAGE_SIZE], back[16] = { 0 };
	unsigned long v = 0;
	u32 x = 0xdeadbeef, y = 0;

	(void)state;
	spawn_on("mem=256M");
	map(BASE, P, RW);
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(copy_to_user(tsk, BASE, buf, sizeof(buf)), P);	/* page 2 unmapped */
	assert_int_equal(tsk->exit_signal_nr, 0);
	assert_int_equal(tsk->min_flt, 1);
	assert_int_equal(copy_from_user(tsk, back, BASE + P - 8, 16), 8);
	assert_memory_equal(back, "xxxxxxxx\0\0\0\0\0\0\0\0", 16);
	assert_int_equal(put_user(tsk, x, BASE + 16), 0);
	assert_int_equal(get_user(tsk, y, BASE + 16), 0);
	assert_int_equal(y, 0xdeadbeef);
	assert_int_equal(get_user(tsk, v, 0), -EFAULT);
	assert_int_equal(copy_to_user(tsk, 0xffff888000000000UL, buf, 8), 8);	/* !access_ok */
	assert_int_equal(clear_user(tsk, BASE, 8), 0);
	assert_int_equal(get_user(tsk, v, BASE), 0);
	assert_int_equal(v, 0);
	assert_int_equal(tsk->exit_signal_nr, 0);
	check();

	/* The kernel may not write a read-only mapping: -EFAULT, no COW. */
	map(BASE + 4 * P, P, PROT_READ);
	assert_int_equal(put_user(tsk, x, BASE + 4 * P), -EFAULT);
	assert_int_equal(tsk->exit_signal_nr, 0);

	/* access_process_vm(FOLL_FORCE) does, into a private copy; no min_flt for remote faults. */
	{
		unsigned long flt = tsk->min_flt;
		char out[4] = { 0 };

		assert_int_equal(access_process_vm(tsk, BASE + 4 * P, "abc", 4, FOLL_WRITE | FOLL_FORCE), 4);
		assert_int_equal(access_process_vm(tsk, BASE + 4 * P, out, 4, 0), 4);
		assert_string_equal(out, "abc");
		assert_int_equal(tsk->min_flt, flt);
		assert_false(pte_write(__pte(pte_at(BASE + 4 * P))));
		assert_true(PageAnon(page_at(BASE + 4 * P)));
		assert_int_equal(access_process_vm(tsk, BASE + 8 * P, out, 4, 0), 0);
	}
	check();
}

/*
 * 32-bit formats: 2-level 4-byte entries without NX (pgd[64] -> one PTE
 * table), PAE 8-byte entries (three preallocated PMDs and one PTE table),
 * and HighMem user pages reached through kmap_local.
 */
static void test_x86_32_formats(void **state)
{
	static const char msg[] = "highmem";
	char buf[sizeof(msg)];
	u64 v;

	(void)state;
	spawn_on("mem=2G arch=x86_32");
	map(BASE, 2 * P, RW);
	assert_int_equal(mm_pgtables_bytes(tsk->mm), 0);
	assert_int_equal(linmm_touch(tsk, BASE, 1, LINMM_ACCESS_READ), 0);
	assert_int_equal(pte_at(BASE), 0x225 | ((u64)my_zero_pfn(0) << PAGE_SHIFT));
	assert_int_equal(linmm_user_write(tsk, BASE + P, msg, sizeof(msg)), 0);
	v = pte_at(BASE + P);
	assert_int_equal(v & 0xfff, 0x067);
	assert_int_equal(v >> 32, 0);
	assert_int_equal(pgtable_entry_read((char *)tsk->mm->pgd + 64 * 4) & 0xfff, 0x067);
	assert_int_equal(mm_pgtables_bytes(tsk->mm), P);
	assert_true(PageHighMem(page_at(BASE + P)));
	assert_int_equal(linmm_user_read(tsk, BASE + P, buf, sizeof(buf)), 0);
	assert_string_equal(buf, msg);
	/* No NX on 2-level: a fetch from rw- memory runs. */
	assert_int_equal(linmm_touch(tsk, BASE + P, 1, LINMM_ACCESS_EXEC), 0);
	/* The kernel part of the pgd is init_mm's. */
	assert_int_equal(pgtable_entry_read((char *)tsk->mm->pgd + 768 * 4),
			 pgtable_entry_read((char *)init_mm.pgd + 768 * 4));
	check();
	assert_int_equal(linmm_munmap(tsk, BASE, 2 * P), 0);
	assert_int_equal(mm_pgtables_bytes(tsk->mm), 0);
	check();
	linmm_shutdown();

	spawn_on("mem=2G arch=x86_32-pae");
	assert_int_equal(mm_pgtables_bytes(tsk->mm), 3 * P);	/* PREALLOCATED_PMDS */
	assert_int_equal(pgtable_entry_read(tsk->mm->pgd) & 0xfff, 0x001);
	map(BASE, P, RW);
	assert_int_equal(linmm_user_write(tsk, BASE, msg, sizeof(msg)), 0);
	assert_int_equal(pte_at(BASE) & ~PTE_PFN_MASK, PTE_ANON_RW);
	assert_int_equal(mm_pgtables_bytes(tsk->mm), 4 * P);
	assert_int_equal(linmm_touch(tsk, BASE, 1, LINMM_ACCESS_EXEC), -EFAULT);
	assert_true(dmesg_contains("test[1]: segfault at 10000000 ip 10000000 sp 00000000 error 15"));
	check();
}

/*
 * A user mm on x86_32 gets the 32-bit layout (page_32_types.h: TASK_SIZE
 * = PAGE_OFFSET = 0xc0000000; mmap_base = TASK_SIZE - 128 MiB, the
 * smallest stack gap; TASK_UNMAPPED_BASE = TASK_SIZE / 3):
 *
 *   0x40000000          0xb8000000     0xc0000000
 *   |unmapped base  ... [mmap <- grows |  kernel (direct map)
 *
 * An mmap without a fixed address lands just below mmap_base, can be
 * touched, and an address at or above 3 GiB is refused or faults.
 */
static void test_x86_32_user_layout(void **state)
{
	static const char *const archs[] = { "mem=256M arch=x86_32", "mem=256M arch=x86_32-pae" };
	static const char msg[] = "below 3G";
	char buf[sizeof(msg)];
	unsigned long addr;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(archs); i++) {
		spawn_on(archs[i]);
		assert_int_equal(tsk->mm->task_size, 0xc0000000UL);
		assert_int_equal(TASK_SIZE_MAX, 0xc0000000UL);
		assert_int_equal(tsk->mm->mmap_base, 0xc0000000UL - SZ_128M);
		addr = linmm_mmap(tsk, 0, 4 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		assert_int_equal(addr, 0xc0000000UL - SZ_128M - 4 * P);
		check();
		assert_int_equal(linmm_user_write(tsk, addr + P, msg, sizeof(msg)), 0);
		assert_int_equal(linmm_user_read(tsk, addr + P, buf, sizeof(buf)), 0);
		assert_string_equal(buf, msg);
		assert_true(pte_at(addr + P) & _PAGE_PRESENT);
		check();
		/* Nothing fits above 3 GiB: a fixed map there is refused, a hint ignored. */
		assert_int_equal(linmm_mmap(tsk, 0xc0000000UL, P, RW, FIXED, -1, 0), -ENOMEM);
		addr = linmm_mmap(tsk, 0xc0001000UL, P, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		assert_true(addr < 0xc0000000UL);
		assert_int_equal(linmm_user_read(tsk, 0xc0000000UL, buf, 1), -EFAULT);
		check();
		linmm_shutdown();
	}
	boot_or_fail("mem=256M");
}

/*
 * 5-level tables (la57): 57-bit user addresses, TASK_SIZE_MAX 2^56 - 4096,
 * the p4d level unfolded (pgd index = bits 48-56).  mmap stays below the
 * 47-bit window unless the hint lies above it (arch_get_unmapped_area):
 *
 *   0 ... mmap_base (below 2^47) | 2^47 ......... hint 2^50 ...... 2^56
 *         [no-hint mappings]               [hinted mapping]
 *
 * A walk to 2^50: pgd[4] -> p4d[0] -> pud[0] -> pmd[0] -> pte[0], four
 * tables below the pgd; all freed again by munmap.
 */
static void test_la57(void **state)
{
	const unsigned long window = (1UL << 47) - P, high = 1UL << 50;
	static const char msg[] = "57 bits";
	char buf[sizeof(msg)];
	unsigned long addr;
	struct task_struct *child;

	(void)state;
	spawn_on("mem=256M la57");
	assert_true(pgtable_l5_enabled());
	assert_int_equal(TASK_SIZE_MAX, (1UL << 56) - P);
	assert_int_equal(tsk->mm->task_size, (1UL << 56) - P);
	assert_int_equal(tsk->mm->mmap_base, window - SZ_128M);
	assert_int_equal(PGDIR_SHIFT, 48);
	assert_int_equal(PTRS_PER_P4D, 512);
	addr = linmm_mmap(tsk, 0, 4 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(addr < window);
	/* A hint above the window is taken as given. */
	addr = linmm_mmap(tsk, high, 4 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_int_equal(addr, high);
	check();
	assert_int_equal(linmm_user_write(tsk, high + P, msg, sizeof(msg)), 0);
	assert_int_equal(linmm_user_read(tsk, high + P, buf, sizeof(buf)), 0);
	assert_string_equal(buf, msg);
	assert_int_equal(pte_at(high + P) & ~PTE_PFN_MASK, PTE_ANON_RW);
	assert_int_equal(pgtable_entry_read((char *)tsk->mm->pgd + 4 * 8) & 0xfff, 0x067);
	assert_int_equal(mm_pgtables_bytes(tsk->mm), 4 * P);	/* p4d, pud, pmd, pte */
	check();
	/* Taken: the search opens up to TASK_SIZE_MAX and goes top-down from there. */
	addr = linmm_mmap(tsk, high, 4 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(addr > window && addr < (1UL << 56) && addr != high);
	/* A hint that straddles the window's end is not valid: below the window. */
	addr = linmm_mmap(tsk, window - P, 2 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(addr < window - P);
	assert_int_equal(linmm_mmap(tsk, 1UL << 55, P, RW, FIXED, -1, 0), 1UL << 55);
	assert_int_equal(linmm_mmap(tsk, 1UL << 56, P, RW, FIXED, -1, 0), -ENOMEM);
	check();
	/* Fork copies the 5-level tables; the child's write copies on write. */
	child = linmm_fork(tsk);
	assert_non_null(child);
	assert_int_equal(linmm_user_write(child, high + P, "child", 6), 0);
	assert_int_equal(linmm_user_read(tsk, high + P, buf, sizeof(buf)), 0);
	assert_string_equal(buf, msg);
	assert_int_equal(validate_page_tables(child->mm), 0);
	assert_int_equal(validate_anon_vmas(child->mm), 0);
	linmm_task_exit(child);
	check();
	assert_int_equal(linmm_munmap(tsk, high, 4 * P), 0);
	check();
	linmm_shutdown();

	/* 4-level: the same hint is beyond TASK_SIZE, so it is ignored. */
	spawn_on("mem=256M");
	assert_false(pgtable_l5_enabled());
	addr = linmm_mmap(tsk, high, 4 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(addr < window);
	assert_int_equal(linmm_mmap(tsk, 1UL << 55, P, RW, FIXED, -1, 0), -ENOMEM);
	check();
}

/*
 * The page work of the VMA calls: mremap moves the PTEs (data and rss
 * follow, no new fault), MADV_DONTNEED zaps (the next read is the zero
 * page), MAP_POPULATE and mlock fault in without counting min_flt.
 *
 *   AAAA....          mremap(A, 4 pages, MAYMOVE|FIXED, BASE+64P)
 *   ........ ...AAAA  (64 pages further)
 */
static void test_mremap_madvise_populate(void **state)
{
	static const char msg[] = "moved";
	char buf[sizeof(msg)];
	unsigned long pgfault0, new = BASE + 64 * P;

	(void)state;
	spawn_on("mem=256M");
	map(BASE, 4 * P, RW);
	assert_int_equal(linmm_user_write(tsk, BASE + 3 * P, msg, sizeof(msg)), 0);
	assert_int_equal(linmm_touch(tsk, BASE, 3 * P, LINMM_ACCESS_WRITE), 0);
	assert_int_equal(tsk->min_flt, 4);
	assert_int_equal(linmm_mremap(tsk, BASE, 4 * P, 4 * P, MREMAP_MAYMOVE | MREMAP_FIXED, new),
			 new);
	assert_int_equal(pte_at(BASE + 3 * P), 0);
	assert_int_equal(pte_at(new + 3 * P) & ~PTE_PFN_MASK, PTE_ANON_RW);
	assert_int_equal(get_mm_counter(tsk->mm, MM_ANONPAGES), 4);
	assert_int_equal(linmm_user_read(tsk, new + 3 * P, buf, sizeof(buf)), 0);
	assert_string_equal(buf, msg);
	assert_int_equal(tsk->min_flt, 4);
	check();

	assert_int_equal(linmm_madvise(tsk, new, 4 * P, MADV_DONTNEED), 0);
	assert_int_equal(get_mm_counter(tsk->mm, MM_ANONPAGES), 0);
	assert_int_equal(pte_at(new), 0);
	assert_int_equal(linmm_user_read(tsk, new + 3 * P, buf, 1), 0);
	assert_int_equal(buf[0], 0);
	assert_int_equal(tsk->min_flt, 5);
	check();

	pgfault0 = sum_vm_event(PGFAULT);
	assert_int_equal(linmm_mmap(tsk, BASE + 128 * P, 8 * P, RW, FIXED | MAP_POPULATE, -1, 0),
			 BASE + 128 * P);
	assert_int_equal(get_mm_counter(tsk->mm, MM_ANONPAGES), 8);
	assert_int_equal(sum_vm_event(PGFAULT) - pgfault0, 8);
	assert_int_equal(tsk->min_flt, 5);	/* GUP faults have no regs */
	assert_int_equal(linmm_touch(tsk, BASE + 128 * P, 8 * P, LINMM_ACCESS_WRITE), 0);
	assert_int_equal(tsk->min_flt, 5);
	check();

	/* mlock of read-only memory populates with read faults: the zero page. */
	map(BASE + 256 * P, 2 * P, PROT_READ);
	assert_int_equal(linmm_mlock(tsk, BASE + 256 * P, 2 * P), 0);
	assert_int_equal(pfn_bits(pte_at(BASE + 257 * P)), (u64)my_zero_pfn(0) << PAGE_SHIFT);
	assert_int_equal(get_mm_counter(tsk->mm, MM_ANONPAGES), 8);
	check();
}

/* The first "FIELD: N kB" of /proc/PID/@file of @t (smaps: the first VMA's). */
static unsigned long proc_kb(struct task_struct *t, const char *file, const char *field)
{
	char path[64], key[64], *text, *p;
	unsigned long v = ~0UL;

	snprintf(path, sizeof(path), "/proc/%d/%s", t->pid, file);
	snprintf(key, sizeof(key), "\n%s:", field);
	text = linmm_proc_read(path);
	assert_non_null(text);
	p = strstr(text, key);
	assert_non_null(p);
	assert_int_equal(sscanf(p + strlen(key), " %lu kB", &v), 1);
	free(text);
	return v;
}

static u64 pte_of(struct task_struct *t, unsigned long addr)
{
	pte_t pte = __pte(0);

	return follow_pte(t->mm, addr, &pte) ? 0 : pte_val(pte);
}

/*
 * fork shares private pages copy-on-write:
 *
 *   parent  A0 A1 z2 .      (A: written, z: the zero page)
 *   fork -> both map A0 A1 read-only, mapcount 2, refcount 2; child's PTEs old
 *   parent writes A0 -> copy (the parent gets a new page, the old one is the child's)
 *   child writes A0  -> reuse (refcount 1 now): no copy
 *   parent exits; child writes A1 -> reuse
 */
static void test_fork_cow(void **state)
{
	unsigned long pfn0, pfn1, pfn_copy, reuse0, free0;
	struct task_struct *child;
	char c = 'P';
	struct page *page;

	(void)state;
	spawn_on("mem=256M");
	/* Warm the caches once (task_struct, mm_struct, vm_area_struct, anon_vma). */
	map(BASE, 4 * P, RW);
	assert_int_equal(linmm_user_write(tsk, BASE, &c, 1), 0);
	child = linmm_fork(tsk);
	assert_non_null(child);
	linmm_task_exit(child);
	assert_int_equal(linmm_munmap(tsk, BASE, 4 * P), 0);
	tsk->min_flt = 0;
	free0 = free_after_drain();

	map(BASE, 4 * P, RW);
	assert_int_equal(linmm_user_write(tsk, BASE, &c, 1), 0);
	assert_int_equal(linmm_user_write(tsk, BASE + P, &c, 1), 0);
	assert_int_equal(linmm_touch(tsk, BASE + 2 * P, 1, LINMM_ACCESS_READ), 0);
	pfn0 = page_to_pfn(page_at(BASE));
	pfn1 = page_to_pfn(page_at(BASE + P));
	child = linmm_fork(tsk);
	assert_non_null(child);
	assert_int_equal(child->pid, 3);	/* the warm-up's child was 2 */
	assert_string_equal(child->comm, "test");
	assert_int_equal(validate_mm(child->mm), 0);
	assert_int_equal(validate_page_tables(child->mm), 0);
	check();

	assert_int_equal(pte_at(BASE) & ~PTE_PFN_MASK, 0x8000000000000065ULL);	/* RW gone */
	assert_int_equal(pte_of(child, BASE) & ~PTE_PFN_MASK, 0x8000000000000045ULL);	/* and old */
	assert_int_equal(pte_of(child, BASE + 2 * P),
			 0x8000000000000205ULL | ((u64)my_zero_pfn(0) << PAGE_SHIFT));
	assert_int_equal(pfn_bits(pte_of(child, BASE)), (u64)pfn0 << PAGE_SHIFT);
	page = pfn_to_page(pfn0);
	assert_int_equal(page_mapcount(page), 2);
	assert_int_equal(page_ref_count(page), 2);
	assert_int_equal(get_mm_counter(child->mm, MM_ANONPAGES), 2);
	assert_int_equal(node_stat(NR_ANON_MAPPED), 2);
	assert_int_equal(child->min_flt, 0);
	/* smaps: the zero page is not resident there; the two shared pages count half. */
	assert_int_equal(proc_kb(tsk, "smaps", "Rss"), 8);
	assert_int_equal(proc_kb(tsk, "smaps", "Pss"), 4);
	assert_int_equal(proc_kb(tsk, "smaps", "Shared_Dirty"), 8);
	assert_int_equal(proc_kb(tsk, "smaps", "Private_Dirty"), 0);
	assert_int_equal(proc_kb(tsk, "smaps", "Referenced"), 8);
	assert_int_equal(proc_kb(child, "smaps", "Referenced"), 0);	/* the child's PTEs are old */
	assert_int_equal(proc_kb(child, "status", "VmRSS"), 8);
	assert_int_equal(proc_kb(child, "status", "RssAnon"), 8);
	assert_int_equal(proc_kb(child, "status", "VmPTE"), 12);	/* PTE, PMD, PUD tables */

	/* The child reads without a fault; the MMU sets Accessed. */
	c = 0;
	assert_int_equal(linmm_user_read(child, BASE, &c, 1), 0);
	assert_int_equal(c, 'P');
	assert_int_equal(child->min_flt, 0);
	assert_true(pte_of(child, BASE) & _PAGE_ACCESSED);

	/* The parent's TLB had a writable entry: fork flushed it, so this write faults. */
	reuse0 = sum_vm_event(PGREUSE);
	c = 'Q';
	assert_int_equal(tsk->min_flt, 3);
	assert_int_equal(linmm_user_write(tsk, BASE, &c, 1), 0);
	assert_int_equal(tsk->min_flt, 4);
	pfn_copy = page_to_pfn(page_at(BASE));
	assert_int_not_equal(pfn_copy, pfn0);
	assert_int_equal(page_mapcount(page), 1);
	assert_int_equal(page_ref_count(page), 1);
	assert_int_equal(node_stat(NR_ANON_MAPPED), 3);
	assert_int_equal(linmm_user_read(child, BASE, &c, 1), 0);
	assert_int_equal(c, 'P');
	check();
	assert_int_equal(validate_page_tables(child->mm), 0);
	/* The parent's copy is private now: Pss = 4 kB + half of the still shared page. */
	assert_int_equal(proc_kb(tsk, "smaps", "Pss"), 6);
	assert_int_equal(proc_kb(tsk, "smaps", "Private_Dirty"), 4);

	c = 'C';
	assert_int_equal(linmm_user_write(child, BASE, &c, 1), 0);
	assert_int_equal(child->min_flt, 1);
	assert_int_equal(pfn_bits(pte_of(child, BASE)), (u64)pfn0 << PAGE_SHIFT);	/* reused */
	assert_int_equal(sum_vm_event(PGREUSE) - reuse0, 1);

	/* The other side has exited: the child's write reuses the page. */
	linmm_task_exit(tsk);
	tsk = child;
	assert_int_equal(page_mapcount(pfn_to_page(pfn1)), 1);
	assert_int_equal(linmm_user_write(child, BASE + P, &c, 1), 0);
	assert_int_equal(pfn_bits(pte_of(child, BASE + P)), (u64)pfn1 << PAGE_SHIFT);
	assert_int_equal(sum_vm_event(PGREUSE) - reuse0, 2);
	check();
	linmm_task_exit(child);
	tsk = NULL;
	/* Every page went back: the shared ones and the parent's copy (slab pages may move). */
	assert_int_equal(node_stat(NR_ANON_MAPPED), 0);
	assert_int_equal(node_stat(NR_PAGETABLE), 0);
	assert_int_equal(page_ref_count(pfn_to_page(pfn0)), 0);
	assert_int_equal(page_ref_count(pfn_to_page(pfn1)), 0);
	assert_int_equal(page_ref_count(pfn_to_page(pfn_copy)), 0);
	assert_true(free_after_drain() >= free0 - 2);
	check_machine();
}

/*
 * fork copies per PTE table (copy_pte_range), on every page-table format:
 * a VMA across a PTE-table boundary X fills two child tables, a second
 * VMA in the upper table reuses the child's table the first one made, and
 * a parent table left empty by MADV_DONTNEED gets no child table.
 *
 *   X - 2P      X        X + 4P         X + 8M
 *   | A  A | A  A |  hole  | B  . |  ...  | C C (zapped) |
 *   '-- table 1 --'-------- table 2 ------' .. table 3 ..
 */
static void test_fork_per_table(void **state)
{
	static const char *const cmdlines[] = {
		"mem=2G", "mem=2G la57", "mem=2G arch=x86_32", "mem=2G arch=x86_32-pae",
	};
	const unsigned long X = BASE + (4UL << 20), C = X + (8UL << 20);

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(cmdlines); i++) {
		struct task_struct *child;
		unsigned long addrs[] = { X - 2 * P, X - P, X, X + P, X + 4 * P };
		char c = 'a';

		spawn_on(cmdlines[i]);
		map(X - 2 * P, 4 * P, RW);
		map(X + 4 * P, 2 * P, RW);
		map(C, 2 * P, RW);
		for (unsigned int j = 0; j < ARRAY_SIZE(addrs); j++)
			assert_int_equal(linmm_user_write(tsk, addrs[j], &c, 1), 0);
		assert_int_equal(linmm_touch(tsk, C, 2 * P, LINMM_ACCESS_WRITE), 0);
		assert_int_equal(linmm_madvise(tsk, C, 2 * P, MADV_DONTNEED), 0);
		check();
		child = linmm_fork(tsk);
		assert_non_null(child);
		assert_int_equal(validate_mm(child->mm), 0);
		assert_int_equal(validate_page_tables(child->mm), 0);
		check();
		/* Only the zapped range's table is not the child's. */
		assert_int_equal(mm_pgtables_bytes(tsk->mm) - mm_pgtables_bytes(child->mm), P);
		assert_int_equal(get_mm_counter(child->mm, MM_ANONPAGES), ARRAY_SIZE(addrs));
		for (unsigned int j = 0; j < ARRAY_SIZE(addrs); j++) {
			struct page *page = page_at(addrs[j]);

			assert_int_equal(pfn_bits(pte_of(child, addrs[j])), pfn_bits(pte_at(addrs[j])));
			assert_false(pte_at(addrs[j]) & _PAGE_RW);
			assert_false(pte_of(child, addrs[j]) & (_PAGE_RW | _PAGE_ACCESSED));
			assert_int_equal(page_mapcount(page), 2);
			assert_int_equal(page_ref_count(page), 2);
		}
		assert_int_equal(pte_of(child, X + 5 * P), 0);
		assert_int_equal(pte_of(child, C), 0);
		/* Either side's write copies; the other keeps the old page. */
		c = 'b';
		assert_int_equal(linmm_user_write(child, X, &c, 1), 0);
		assert_int_not_equal(pfn_bits(pte_of(child, X)), pfn_bits(pte_at(X)));
		assert_int_equal(linmm_user_read(tsk, X, &c, 1), 0);
		assert_int_equal(c, 'a');
		assert_int_equal(validate_page_tables(child->mm), 0);
		check();
		linmm_task_exit(child);
		check();
		linmm_shutdown();
		tsk = NULL;
	}
}

/*
 * VM_DONTCOPY mappings are left out of the child, VM_WIPEONFORK ones come
 * back empty, VM_LOCKED is not inherited:
 *
 *   parent  AAAA BBBB CCCC     A: plain, B: DONTFORK, C: WIPEONFORK
 *   child   AAAA .... cccc     c: no pages
 */
static void test_fork_dontcopy_wipeonfork(void **state)
{
	struct task_struct *child;
	char c = 'x';

	(void)state;
	spawn_on("mem=256M");
	map(BASE, 4 * P, RW);
	map(BASE + 8 * P, 4 * P, RW);
	map(BASE + 16 * P, 4 * P, RW);
	assert_int_equal(linmm_user_write(tsk, BASE + 17 * P, &c, 1), 0);
	assert_int_equal(linmm_touch(tsk, BASE, 4 * P, LINMM_ACCESS_WRITE), 0);
	assert_int_equal(linmm_madvise(tsk, BASE + 8 * P, 4 * P, MADV_DONTFORK), 0);
	assert_int_equal(linmm_madvise(tsk, BASE + 16 * P, 4 * P, MADV_WIPEONFORK), 0);
	assert_int_equal(linmm_mlock(tsk, BASE, 4 * P), 0);
	child = linmm_fork(tsk);
	assert_non_null(child);
	assert_int_equal(validate_page_tables(child->mm), 0);
	mmap_read_lock(child->mm);
	assert_null(vma_at(child->mm, BASE + 8 * P));
	assert_non_null(vma_at(child->mm, BASE + 16 * P));
	assert_false(vma_at(child->mm, BASE)->vm_flags & VM_LOCKED);
	mmap_read_unlock(child->mm);
	assert_int_equal(child->mm->locked_vm, 0);
	assert_int_equal(child->mm->total_vm, 8);
	assert_int_equal(get_mm_counter(child->mm, MM_ANONPAGES), 4);
	assert_int_equal(pte_of(child, BASE + 17 * P), 0);
	c = 0;
	assert_int_equal(linmm_user_read(child, BASE + 17 * P, &c, 1), 0);
	assert_int_equal(c, 0);
	assert_int_equal(child->min_flt, 1);
	assert_int_equal(validate_mm(child->mm), 0);
	check();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_zero_page_then_write, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_write_fault_and_data, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_munmap_frees_pages_and_tables, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_free_pgtables_keeps_shared_table, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_exit_frees_everything, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_mprotect_changes_ptes, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_segv_maperr, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_exec_nx, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_tlb_stale_entry, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_uaccess, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_x86_32_formats, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_x86_32_user_layout, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_la57, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_mremap_madvise_populate, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_fork_cow, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_fork_per_table, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_fork_dontcopy_wipeonfork, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
