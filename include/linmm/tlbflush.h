/* SPDX-License-Identifier: MIT */
/*
 * tlbflush.h - TLB flushing and address-space switching
 * (arch/x86/include/asm/tlbflush.h, asm/mmu_context.h).
 *
 * Every simulated CPU has a software TLB (arch/x86/mmu.c) whose entries
 * are tagged with one of TLB_NR_DYN_ASIDS address-space ids (PCID =
 * ASID + 1, as kern_pcid() makes them without PTI).  Code that changes a
 * present user PTE must flush it through these calls, exactly as kernel
 * code must: the change only reaches the CPUs through the flush, and a
 * missing flush leaves a stale translation behind.
 *
 * flush_tlb_mm_range() bumps mm->context.tlb_gen, flushes this CPU if the
 * mm is loaded here, and shoots the range down on every other CPU in
 * mm_cpumask() (the kernel's IPI: done synchronously on the target CPU's
 * TLB under its lock).  A CPU that has switched away keeps its ASID slot;
 * when it switches back it sees the slot's tlb_gen behind and flushes
 * the whole ASID (the kernel's lazy scheme).  Up to
 * tlb_single_page_flush_ceiling (33) pages are flushed one by one, more
 * as a full flush of the ASID.
 *
 * Each CPU also caches PDEs (a paging-structure cache: the PTE table behind
 * a 2 MiB region, tagged by ASID).  Any flush drops every cached PDE of the
 * ASID, as INVLPG does, so a kernel path that clears or changes an upper
 * level entry (free_pgtables) must flush before the table page is reused;
 * a missing flush lets the CPU keep reading PTEs from the old table.
 */
#ifndef LINMM_TLBFLUSH_H
#define LINMM_TLBFLUSH_H

#include <linmm/mm_types.h>
#include <linmm/types.h>

struct task_struct;

#define TLB_NR_DYN_ASIDS	6
#define TLB_FLUSH_ALL		(~0UL)

/* Pages up to which a range flush goes page by page (debugfs tlb_single_page_flush_ceiling). */
extern unsigned long tlb_single_page_flush_ceiling;

/* mm_cpumask - the CPUs that have @mm loaded now (one word: NR_CPUS == 64). */
#define mm_cpumask(mm) (&(mm)->cpu_bitmap)

/**
 * flush_tlb_mm_range - make every CPU forget the translations of [@start, @end) of @mm
 * @mm: the address space whose page tables changed
 * @start: first address
 * @end: end address, or TLB_FLUSH_ALL with @start 0 for the whole mm
 * @stride_shift: PAGE_SHIFT (4 KiB pages)
 * @freed_tables: page-table pages were freed too (a full flush of paging caches)
 *
 * Context: any; takes the target CPUs' TLB locks.
 */
void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end,
			unsigned int stride_shift, bool freed_tables);

void flush_tlb_mm(struct mm_struct *mm);
void flush_tlb_page(struct vm_area_struct *vma, unsigned long addr);
void flush_tlb_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);

/**
 * switch_mm - load @next on this CPU (switch_mm_irqs_off)
 * @prev: the mm loaded now (NULL: none)
 * @next: the mm to load
 * @tsk: the task that runs @next
 *
 * Picks the ASID slot that still holds @next (flushing it if its tlb_gen
 * is behind) or takes the next slot round robin and flushes it; moves this
 * CPU from mm_cpumask(@prev) to mm_cpumask(@next).
 * Context: the calling thread is on the CPU.
 */
void switch_mm(struct mm_struct *prev, struct mm_struct *next, struct task_struct *tsk);

/* The mm loaded on @cpu (cpu_tlbstate.loaded_mm), or NULL. */
struct mm_struct *tlb_loaded_mm(int cpu);

/*
 * init_new_context / destroy_context - give @mm its ctx_id and tlb_gen;
 * unload it from every CPU when it dies.
 */
void init_new_context(struct mm_struct *mm);
void destroy_context(struct mm_struct *mm);

/* TLB counters of one CPU (linmm's; the kernel counts a subset with CONFIG_DEBUG_TLBFLUSH). */
struct tlb_stats {
	unsigned long hits;		/* translations found in the TLB */
	unsigned long misses;		/* ... that needed a page walk */
	unsigned long dirty_walks;	/* hits that walked again to set Dirty */
	unsigned long fills;		/* entries inserted */
	unsigned long evictions;	/* valid entries replaced */
	unsigned long local_flush_all;	/* nr_tlb_local_flush_all: whole-ASID flushes */
	unsigned long local_flush_one;	/* nr_tlb_local_flush_one: single-page flushes */
	unsigned long remote_flush;	/* nr_tlb_remote_flush: shootdowns sent */
	unsigned long remote_flush_received; /* nr_tlb_remote_flush_received */
	unsigned long asid_switches;	/* switch_mm() to another mm */
	unsigned long asid_new;		/* ... that had to take (and flush) a new slot */
	unsigned long pde_hits;		/* page walks that began at the PTE: PDE-cache hits */
	unsigned long pde_misses;	/* ... that walked from the top (and may fill the PDE cache) */
};

/* tlb_get_stats - the counters of @cpu, or the sum of all CPUs for @cpu < 0. */
void tlb_get_stats(int cpu, struct tlb_stats *st);

#endif /* LINMM_TLBFLUSH_H */
