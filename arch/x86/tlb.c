// SPDX-License-Identifier: MIT
/*
 * tlb.c - TLB flushing, shootdowns and ASID management (arch/x86/mm/tlb.c).
 *
 * Each CPU keeps TLB_NR_DYN_ASIDS slots, each remembering which mm
 * (ctx_id) it was last used for and up to which tlb_gen its entries are
 * flushed.  switch_mm() reuses the slot still holding the next mm - and
 * flushes it when the mm's tlb_gen has moved on meanwhile - or takes the
 * next slot round robin and flushes it:
 *
 *   CPU 1:  asid 0 [mm A, gen 5]  asid 1 [mm B, gen 2]  ...   loaded: B
 *   flush of A (gen 5 -> 6) while CPU 1 runs B: CPU 1 is not in A's
 *   cpumask, no IPI; when CPU 1 switches back to A it finds gen 5 < 6 and
 *   flushes asid 0 completely.
 *
 * flush_tlb_mm_range() raises mm->context.tlb_gen and runs the flush on
 * every CPU in mm_cpumask() (this one directly, the others as the IPI
 * handler would, on their TLB under their lock).  The handler flushes only
 * the range when it is exactly one generation behind and the range is at
 * most tlb_single_page_flush_ceiling pages, else the whole ASID, and then
 * records the mm's current generation, as flush_tlb_func() does.  Both
 * kinds drop the CPU's PDE-cache entries of the ASID as well (INVLPG does,
 * whatever the address), so freed_tables needs no extra step here beyond
 * the kernel's full flush.
 *
 * Locks: each CPU's struct cpu_tlb lock protects its TLB and cpu_tlbstate;
 * a flush takes one CPU's lock at a time.  It nests inside page_table_lock.
 * ctx ids come from an atomic counter, never reused within a boot.
 */
#include <string.h>

#include <linmm/mmzone.h>
#include <linmm/smp.h>
#include <linmm/tlbflush.h>

#include "arch/x86/mmu.h"

unsigned long tlb_single_page_flush_ceiling = 33;
static _Atomic u64 last_mm_ctx_id;

void init_new_context(struct mm_struct *mm)
{
	mm->context.ctx_id = atomic_fetch_add(&last_mm_ctx_id, 1) + 1;
	atomic_store(&mm->context.tlb_gen, 0);
	atomic_store(&mm->cpu_bitmap, 0);
}

struct mm_struct *tlb_loaded_mm(int cpu)
{
	struct cpu_tlb *t = cpu_tlb(cpu);
	struct mm_struct *mm;

	spin_lock(&t->lock);
	mm = t->loaded_mm;
	spin_unlock(&t->lock);
	return mm;
}

/* Flush the whole ASID of this CPU's slot and bring it to @gen. Context: t->lock. */
static void flush_asid_to(struct cpu_tlb *t, unsigned short asid, u64 gen)
{
	tlb_hw_flush_asid(t, asid);
	t->ctxs[asid].tlb_gen = gen;
}

void switch_mm(struct mm_struct *prev, struct mm_struct *next, struct task_struct *tsk)
{
	int cpu = smp_processor_id();
	struct cpu_tlb *t = cpu_tlb(cpu);
	unsigned short asid;
	bool need_flush = true;
	u64 gen;

	(void)prev;
	(void)tsk;
	spin_lock(&t->lock);
	if (t->loaded_mm == next) {
		spin_unlock(&t->lock);
		return;
	}
	if (t->loaded_mm)
		atomic_fetch_and(mm_cpumask(t->loaded_mm), ~(1UL << cpu));
	for (asid = 0; asid < TLB_NR_DYN_ASIDS; asid++)
		if (t->ctxs[asid].ctx_id == next->context.ctx_id)
			break;
	if (asid == TLB_NR_DYN_ASIDS) {
		asid = t->next_asid;
		t->next_asid = (unsigned short)((t->next_asid + 1) % TLB_NR_DYN_ASIDS);
		t->ctxs[asid].ctx_id = next->context.ctx_id;
		t->st.asid_new++;
	} else {
		need_flush = false;
	}
	/* Join the cpumask before reading tlb_gen: a concurrent flush sees us or we see it. */
	atomic_fetch_or(mm_cpumask(next), 1UL << cpu);
	gen = atomic_load(&next->context.tlb_gen);
	if (need_flush || t->ctxs[asid].tlb_gen < gen)
		flush_asid_to(t, asid, gen);
	t->loaded_mm = next;
	t->loaded_mm_asid = asid;
	t->st.asid_switches++;
	spin_unlock(&t->lock);
}

void destroy_context(struct mm_struct *mm)
{
	for (int cpu = 0; cpu < (int)nr_cpu_ids; cpu++) {
		struct cpu_tlb *t = cpu_tlb(cpu);

		spin_lock(&t->lock);
		if (t->loaded_mm == mm)
			t->loaded_mm = NULL;	/* switch to init_mm */
		for (unsigned short a = 0; a < TLB_NR_DYN_ASIDS; a++) {
			if (t->ctxs[a].ctx_id != mm->context.ctx_id)
				continue;
			tlb_hw_flush_asid(t, a);
			t->ctxs[a].ctx_id = 0;
			t->ctxs[a].tlb_gen = 0;
		}
		spin_unlock(&t->lock);
	}
	atomic_store(mm_cpumask(mm), 0);
}

/* flush_tlb_func() on @cpu: the IPI handler, or the local call when @local. */
static void flush_tlb_func(int cpu, struct mm_struct *mm, unsigned long start, unsigned long end,
			   u64 new_gen, bool local)
{
	struct cpu_tlb *t = cpu_tlb(cpu);
	unsigned short asid;
	u64 local_gen, mm_gen;
	unsigned long nr;

	spin_lock(&t->lock);
	if (!local)
		t->st.remote_flush_received++;
	if (t->loaded_mm != mm)
		goto out_unlock;	/* switched away: the next switch_mm catches up */
	asid = t->loaded_mm_asid;
	local_gen = t->ctxs[asid].tlb_gen;
	mm_gen = atomic_load(&mm->context.tlb_gen);
	if (local_gen >= mm_gen)
		goto out_unlock;	/* a full flush already covered this one */
	nr = end == TLB_FLUSH_ALL ? ~0UL : (end - start) >> PAGE_SHIFT;
	if (new_gen == mm_gen && local_gen + 1 == new_gen && nr <= tlb_single_page_flush_ceiling) {
		for (unsigned long a = start; a < end; a += PAGE_SIZE)
			tlb_hw_invlpg(t, asid, a);
		if (local)
			t->st.local_flush_one += nr;
	} else {
		tlb_hw_flush_asid(t, asid);
		if (local)
			t->st.local_flush_all++;
	}
	t->ctxs[asid].tlb_gen = mm_gen;
out_unlock:
	spin_unlock(&t->lock);
}

void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end,
			unsigned int stride_shift, bool freed_tables)
{
	int this_cpu = smp_processor_id();
	unsigned long mask;
	bool remote = false;
	u64 new_gen;

	(void)stride_shift;
	if (freed_tables)
		end = TLB_FLUSH_ALL;	/* paging-structure caches: a full flush here */
	if (end != TLB_FLUSH_ALL && ((end - start) >> PAGE_SHIFT) > tlb_single_page_flush_ceiling)
		end = TLB_FLUSH_ALL;
	if (end == TLB_FLUSH_ALL)
		start = 0;
	new_gen = atomic_fetch_add(&mm->context.tlb_gen, 1) + 1;
	mask = atomic_load(mm_cpumask(mm));
	for (int cpu = 0; cpu < (int)nr_cpu_ids; cpu++) {
		if (!(mask & (1UL << cpu)))
			continue;
		if (cpu != this_cpu)
			remote = true;
		flush_tlb_func(cpu, mm, start, end, new_gen, cpu == this_cpu);
	}
	if (remote) {
		struct cpu_tlb *t = cpu_tlb(this_cpu);

		spin_lock(&t->lock);
		t->st.remote_flush++;
		spin_unlock(&t->lock);
	}
}

void flush_tlb_mm(struct mm_struct *mm)
{
	flush_tlb_mm_range(mm, 0, TLB_FLUSH_ALL, PAGE_SHIFT, false);
}

void flush_tlb_page(struct vm_area_struct *vma, unsigned long addr)
{
	flush_tlb_mm_range(vma->vm_mm, addr & PAGE_MASK, (addr & PAGE_MASK) + PAGE_SIZE, PAGE_SHIFT,
			   false);
}

void flush_tlb_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	flush_tlb_mm_range(vma->vm_mm, start, end, PAGE_SHIFT, false);
}

void tlb_get_stats(int cpu, struct tlb_stats *st)
{
	*st = (struct tlb_stats){ 0 };
	for (int c = 0; c < (int)nr_cpu_ids; c++) {
		struct cpu_tlb *t;

		if (cpu >= 0 && c != cpu)
			continue;
		t = cpu_tlb(c);
		spin_lock(&t->lock);
		st->hits += t->st.hits;
		st->misses += t->st.misses;
		st->dirty_walks += t->st.dirty_walks;
		st->fills += t->st.fills;
		st->evictions += t->st.evictions;
		st->local_flush_all += t->st.local_flush_all;
		st->local_flush_one += t->st.local_flush_one;
		st->remote_flush += t->st.remote_flush;
		st->remote_flush_received += t->st.remote_flush_received;
		st->asid_switches += t->st.asid_switches;
		st->asid_new += t->st.asid_new;
		st->pde_hits += t->st.pde_hits;
		st->pde_misses += t->st.pde_misses;
		spin_unlock(&t->lock);
	}
}

void tlb_reset_all(void)
{
	atomic_store(&last_mm_ctx_id, 0);
	tlb_single_page_flush_ceiling = 33;
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct cpu_tlb *t = cpu_tlb(cpu);

		spin_lock(&t->lock);
		memset(t->sets, 0, sizeof(t->sets));
		memset(t->pde, 0, sizeof(t->pde));
		t->plan.fmt = NULL;
		t->clock = 0;
		t->loaded_mm = NULL;
		t->loaded_mm_asid = 0;
		t->next_asid = 0;
		for (int a = 0; a < TLB_NR_DYN_ASIDS; a++)
			t->ctxs[a] = (struct tlb_context){ 0 };
		t->st = (struct tlb_stats){ 0 };
		spin_unlock(&t->lock);
	}
}
