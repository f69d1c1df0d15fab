// SPDX-License-Identifier: MIT
/*
 * mmu.c - the simulated CPU's MMU and its memory accesses: the hardware
 * side of paging, which the kernel has no file for (Intel SDM vol. 3,
 * ch. 4 "Paging" and 4.10 "Caching translation information").
 *
 * linmm_mmu_translate() does what an x86 core does for one access:
 *
 *   TLB lookup (asid, vpn) --hit--> rights ok? --yes--> frame
 *        |miss                        |no: #PF (the entry is dropped)
 *        v
 *   PDE cache (asid, addr >> PMD_SHIFT) --hit--> read the PTE only
 *        |miss
 *        v
 *   walk pgd -> (p4d) -> pud -> pmd -> pte in the arch format:
 *     each level present? else #PF (not-present)
 *     rights = AND of RW and US over the levels, NX = OR
 *     set Accessed on every level (locked cmpxchg), Dirty on the leaf for
 *     a write; the PAE PDPTE has neither
 *   rights ok? else #PF (protection); fill the TLB entry, and the PDE
 *   cache when the walk went through a PTE table
 *
 * Rights: user mode needs US everywhere; a write needs RW everywhere (in
 * kernel mode too: CR0.WP); a fetch needs no NX bit (NX exists only with
 * 8-byte entries).  Kernel-mode accesses to user pages are allowed (SMAP
 * opened by the uaccess code).  A TLB hit is trusted: the entry may be
 * stale if the kernel changed the PTE without flushing, exactly the bug a
 * real CPU exposes.  A write hit on an entry filled clean walks again to
 * set Dirty.
 *
 * The PDE cache is trusted the same way (SDM 4.10.3): a walk it serves
 * reads the PTE from the cached table and sets no Accessed bit above the
 * PTE (the walk that filled it did).  It holds only what a successful
 * translation used: a #PF drops the TLB entry and the PDE-cache entry for
 * the faulting address (SDM 4.10.4.2), so a fault leaves nothing cached
 * for its address.  INVLPG and a full flush of the ASID drop every PDE
 * entry of the ASID (tlb_hw_invlpg, tlb_hw_flush_asid); the kernel must
 * flush after clearing an upper-level entry and before freeing the table
 * (mmu_gather's freed_tables), or this CPU keeps reading the freed table.
 * While the page is still a page table (not yet reused, or reused as
 * another table) the CPU reads it as hardware would; once it is something
 * else the cached PDE is reported in dmesg and taken as a #PF (the
 * simulator's own objects may live there), whose handler finds the real
 * tables and retries.
 *
 * The access engine (linmm_touch, linmm_user_read/write, and the kernel's
 * uaccess through linmm_cpu_access) retries an access after each page
 * fault that exc_page_fault() resolved, as the CPU re-executes the
 * faulting instruction.
 *
 * Locks: this CPU's TLB lock across lookup, walk and fill (page tables are
 * read locklessly; the kernel's PTE changes are single atomic stores), so
 * a flush from another CPU (the IPI) lands between two accesses, never
 * inside one.
 */
#include <string.h>

#include <linmm/highmem.h>
#include <linmm/memory.h>
#include <linmm/mmu.h>
#include <linmm/printk.h>
#include <linmm/sched.h>
#include <linmm/smp.h>

#include "arch/arch.h"
#include "arch/x86/mmu.h"
#include "kernel/machine.h"
#include "mm/internal.h"

/* More faults than this on one access mean a handler bug, not a program's. */
#define MAX_FAULT_RETRIES 8

static struct cpu_tlb cpu_tlbs[NR_CPUS];
static _Thread_local struct task_struct *current_task __linmm_tls;

struct task_struct *get_current(void)
{
	return current_task;
}

void set_current(struct task_struct *tsk)
{
	current_task = tsk;
}

struct cpu_tlb *cpu_tlb(int cpu)
{
	return &cpu_tlbs[cpu];
}

/* ---- the TLB and the PDE cache: sets of tags, LRU stamps ---- */

/* The way of @tags holding @tag, or -1. */
static inline int tag_find(const u64 *tags, int ways, u64 tag)
{
	for (int w = 0; w < ways; w++)
		if (tags[w] == tag)
			return w;
	return -1;
}

static inline struct tlb_set *tlb_set_of(struct cpu_tlb *t, u64 vpn)
{
	return &t->sets[vpn & (TLB_SETS - 1)];
}

/* The PDE-cache number of @addr: the index of its PTE table's region. */
static inline u64 pde_nr(unsigned long addr)
{
	return (u64)addr >> PMD_SHIFT;
}

static inline struct pde_cache_set *pde_set_of(struct cpu_tlb *t, u64 nr)
{
	return &t->pde[nr & (PDE_CACHE_SETS - 1)];
}

static void pde_flush_asid(struct cpu_tlb *t, unsigned short asid)
{
	for (int s = 0; s < PDE_CACHE_SETS; s++)
		for (int w = 0; w < PDE_CACHE_WAYS; w++)
			if (t->pde[s].tag[w] && tlb_tag_asid(t->pde[s].tag[w]) == asid)
				t->pde[s].tag[w] = 0;
}

void tlb_hw_invlpg(struct cpu_tlb *t, unsigned short asid, unsigned long addr)
{
	u64 vpn = addr >> PAGE_SHIFT;
	struct tlb_set *set = tlb_set_of(t, vpn);
	int w = tag_find(set->tag, TLB_WAYS, tlb_tag(asid, vpn));

	if (w >= 0)
		set->tag[w] = 0;
	pde_flush_asid(t, asid);
}

void tlb_hw_flush_asid(struct cpu_tlb *t, unsigned short asid)
{
	for (int s = 0; s < TLB_SETS; s++)
		for (int w = 0; w < TLB_WAYS; w++)
			if (t->sets[s].tag[w] && tlb_tag_asid(t->sets[s].tag[w]) == asid)
				t->sets[s].tag[w] = 0;
	pde_flush_asid(t, asid);
}

/* A #PF: drop the TLB entry and the PDE-cache entry that would serve @addr. */
static void tlb_hw_fault_invalidate(struct cpu_tlb *t, unsigned short asid, unsigned long addr)
{
	u64 vpn = addr >> PAGE_SHIFT, nr = pde_nr(addr);
	struct tlb_set *set = tlb_set_of(t, vpn);
	struct pde_cache_set *ps = pde_set_of(t, nr);
	int w = tag_find(set->tag, TLB_WAYS, tlb_tag(asid, vpn));

	if (w >= 0)
		set->tag[w] = 0;
	w = tag_find(ps->tag, PDE_CACHE_WAYS, tlb_tag(asid, nr));
	if (w >= 0)
		ps->tag[w] = 0;
}

/* The first way of @tags that holds nothing, or -1. */
static inline int free_way(const u64 *tags, int ways)
{
	for (int w = 0; w < ways; w++)
		if (!tags[w])
			return w;
	return -1;
}

/*
 * The TLB's victim in a full set: the least recently used way, picked
 * without branches on the stamps (which way is oldest is unpredictable).
 */
static inline int tlb_lru_way(const struct tlb_set *set)
{
	unsigned long oldest = set->e[0].last_used;
	int v = 0;

	for (int w = 1; w < TLB_WAYS; w++) {
		bool older = set->e[w].last_used < oldest;

		oldest = older ? set->e[w].last_used : oldest;
		v = older ? w : v;
	}
	return v;
}

/* Fill @set with @tag: in @way if it holds @tag already (>= 0), else in the victim. */
static void tlb_fill(struct cpu_tlb *t, struct tlb_set *set, int way, u64 tag, unsigned long pfn,
		     u64 pte, unsigned char perm)
{
	if (way < 0) {
		way = free_way(set->tag, TLB_WAYS);
		if (way < 0) {
			way = tlb_lru_way(set);
			t->st.evictions++;
		}
	}
	set->tag[way] = tag;
	set->e[way] = (struct tlb_entry){
		.pfn = pfn, .pte = pte, .last_used = ++t->clock, .perm = perm,
	};
	t->st.fills++;
}

/* Tree PLRU: @way was used, so point every node on its path at the other side. */
static inline void pde_plru_touch(struct pde_cache_set *ps, int way)
{
	if (way < 2)
		ps->plru = (unsigned char)((ps->plru & 0x4) | 0x1 | (way == 0 ? 0x2 : 0));
	else
		ps->plru = (unsigned char)((ps->plru & 0x2) | (way == 2 ? 0x4 : 0));
}

static inline int pde_plru_victim(const struct pde_cache_set *ps)
{
	if (!(ps->plru & 0x1))
		return (ps->plru & 0x2) ? 1 : 0;
	return (ps->plru & 0x4) ? 3 : 2;
}

/* Cache a PDE whose @tag is not in @ps: in a free way, else the PLRU victim. */
static void pde_fill(struct pde_cache_set *ps, u64 tag, void *table, unsigned char perm)
{
	int w = free_way(ps->tag, PDE_CACHE_WAYS);

	if (w < 0)
		w = pde_plru_victim(ps);
	ps->tag[w] = tag;
	ps->e[w] = (struct pde_cache_entry){ .table = table, .perm = perm };
	pde_plru_touch(ps, w);
}

/* ---- rights and the walk ---- */

/* The #PF error code bits an access of this kind carries. */
static unsigned long access_error_bits(enum linmm_access access, unsigned int mode)
{
	unsigned long ec = 0;

	if (mode & LINMM_MMU_USER)
		ec |= X86_PF_USER;
	if (access == LINMM_ACCESS_WRITE)
		ec |= X86_PF_WRITE;
	if (access == LINMM_ACCESS_EXEC && (__supported_pte_mask & _PAGE_NX))
		ec |= X86_PF_INSTR;
	return ec;
}

/* The TLB_PERM_* rights an access needs (Dirty not included). */
static inline unsigned char access_needs(enum linmm_access access, unsigned int mode)
{
	return (unsigned char)(((mode & LINMM_MMU_USER) ? TLB_PERM_U : 0) |
			       (access == LINMM_ACCESS_WRITE ? TLB_PERM_W : 0) |
			       (access == LINMM_ACCESS_EXEC ? TLB_PERM_X : 0));
}

/* The rights one paging entry @v grants (@nx: the NX bit, 0 without NX). */
static inline unsigned char entry_rights(u64 v, u64 nx)
{
	return (unsigned char)(((v & _PAGE_RW) ? TLB_PERM_W : 0) | ((v & _PAGE_USER) ? TLB_PERM_U : 0) |
			       ((v & nx) ? 0 : TLB_PERM_X));
}

struct page_walk {
	unsigned long pfn;
	u64 leaf;
	unsigned char perm;
	bool prot_fault;	/* a present translation denies the access */
	bool stale_table;	/* the PDE cache named a page that is no page table now */
};

/* Work out @t's walk plan for @fmt (see struct walk_plan). Context: @t->lock held. */
static __attribute__((noinline)) void walk_plan_init(struct cpu_tlb *t,
						     const struct pgtable_format *fmt)
{
	struct walk_plan *p = &t->plan;

	p->nr = 0;
	for (int l = PGT_PGD; l < PGT_PTE; l++) {
		if (l != PGT_PGD && fmt->folded[l])
			continue;
		p->lvl[p->nr++] = (struct walk_level){
			.shift = (unsigned char)fmt->shift[l],
			.mask = (unsigned short)(fmt->ptrs[l] - 1),
			.flags = l == PGT_PGD && fmt->levels == 3 ? 0 : WALK_RIGHTS,
		};
	}
	p->entry_size = (unsigned int)fmt->entry_size;
	p->pte_mask = (unsigned short)(fmt->ptrs[PGT_PTE] - 1);
	p->pfn_mask = fmt->pfn_mask;
	p->fmt = fmt;
}

/* pgtable_entry_read() with the entry size at hand. */
static inline u64 walk_read(const void *e, unsigned int esz)
{
	if (esz == 4)
		return __atomic_load_n((const u32 *)e, __ATOMIC_ACQUIRE);
	return __atomic_load_n((const u64 *)e, __ATOMIC_ACQUIRE);
}

/*
 * The page walk on CPU @t under @asid, for an access needing @need.  0 and
 * the frame, rights and leaf value in @w; or -EFAULT (with @w->prot_fault
 * when the translation is present but denies the access).
 *
 *   PDE cache hit:   PTE table ----------------------------> pte
 *   miss:            pgd -> (p4d) -> pud -> pmd -> PTE table -> pte
 *                    (or a large page at the pud / pmd)
 *
 * Context: @t->lock held.
 */
static int page_walk(struct cpu_tlb *t, unsigned short asid, struct mm_struct *mm,
		     unsigned long addr, enum linmm_access access, unsigned char need,
		     struct page_walk *w)
{
	const struct walk_plan *plan = &t->plan;
	const u64 nx = __supported_pte_mask & _PAGE_NX;
	const u64 nr = pde_nr(addr);
	struct pde_cache_set *ps = pde_set_of(t, nr);
	unsigned char upper = TLB_PERM_W | TLB_PERM_U | TLB_PERM_X, perm;
	const u64 ptag = tlb_tag(asid, nr);
	int way = tag_find(ps->tag, PDE_CACHE_WAYS, ptag);
	unsigned int esz, large_shift = 0;
	bool cacheable = false;
	char *table;
	void *e;
	u64 v, nv;

	if (unlikely(plan->fmt != pgtable_fmt))
		walk_plan_init(t, pgtable_fmt);
	esz = plan->entry_size;
	w->prot_fault = false;
	w->stale_table = false;
	if (way >= 0) {
		pde_plru_touch(ps, way);
		t->st.pde_hits++;
		table = ps->e[way].table;
		upper = ps->e[way].perm;
		/*
		 * Freed without a flush and reused: hardware would read and
		 * set bits in whatever the page holds now; here that could be
		 * the simulator's own objects, so it is a reported #PF.
		 */
		if (unlikely(!PageTable(virt_to_page(table)))) {
			w->stale_table = true;
			return -EFAULT;
		}
		goto pte;
	}
	t->st.pde_misses++;
	cacheable = true;
	table = mm->pgd;
	for (unsigned int i = 0; i < plan->nr; i++) {
		const struct walk_level *l = &plan->lvl[i];

		e = table + ((addr >> l->shift) & l->mask) * esz;
		v = walk_read(e, esz);
		if (!(v & _PAGE_PRESENT))
			return -EFAULT;
		table = __va(v & plan->pfn_mask);
		if (!(l->flags & WALK_RIGHTS))
			continue;	/* PDPTE: no rights, no Accessed bit */
		if (v & _PAGE_PSE) {
			large_shift = l->shift;	/* a large page ends the walk */
			goto leaf;
		}
		upper &= entry_rights(v, nx);
		/* An entry that changed under the walk is used once, not cached. */
		if (!(v & _PAGE_ACCESSED) && !pgtable_entry_cmpxchg(e, v, v | _PAGE_ACCESSED))
			cacheable = false;
	}
pte:
	e = table + ((addr >> PAGE_SHIFT) & plan->pte_mask) * esz;
leaf:
	/* The leaf: Accessed always, Dirty on a write, in one locked update. */
	do {
		v = walk_read(e, esz);
		if (!(v & _PAGE_PRESENT))
			return -EFAULT;
		perm = upper & entry_rights(v, nx);
		if ((perm & need) != need) {
			w->prot_fault = true;
			return -EFAULT;
		}
		nv = v | _PAGE_ACCESSED | (access == LINMM_ACCESS_WRITE ? _PAGE_DIRTY : 0);
	} while (nv != v && !pgtable_entry_cmpxchg(e, v, nv));

	w->perm = perm | ((nv & _PAGE_DIRTY) ? TLB_PERM_D : 0);
	w->leaf = nv;
	if (large_shift) {
		/* Frame inside the large page (PAT sits in bit 12 of a large entry). */
		u64 size = 1ULL << large_shift;

		w->pfn = (unsigned long)((((nv & plan->pfn_mask) & ~(size - 1)) | (addr & (size - 1))) >>
					 PAGE_SHIFT);
		return 0;
	}
	w->pfn = (unsigned long)((nv & plan->pfn_mask) >> PAGE_SHIFT);
	if (cacheable)
		pde_fill(ps, ptag, table, upper);
	return 0;
}

/* Canonical: bits 63..47 (la57: 63..56) all equal to the top implemented bit. */
static bool addr_canonical(unsigned long addr)
{
	unsigned int top = pgtable_l5_enabled() ? 56 : 47;

	if (linmm_arch->bits == 32)
		return addr <= 0xffffffffUL;
	return addr < (1UL << top) || addr >= ~((1UL << top) - 1);
}

/*
 * Everything but a plain TLB hit of the loaded mm: switch_mm, a hit that
 * faults or must set Dirty, the walk and the fills.
 * Context: @t->lock held; released here.
 */
static __attribute__((noinline)) int translate_slow(struct task_struct *tsk, unsigned long addr,
						    enum linmm_access access, unsigned int mode,
						    struct linmm_translation *out)
{
	struct cpu_tlb *t = &cpu_tlbs[smp_processor_id()];
	struct mm_struct *mm = tsk->mm;
	const unsigned char need = access_needs(access, mode);
	const u64 vpn = addr >> PAGE_SHIFT;
	struct tlb_set *set = tlb_set_of(t, vpn);
	bool stale_table = false;
	struct page_walk w;
	unsigned short asid;
	int way, ret;

	*out = (struct linmm_translation){ 0 };
	if (unlikely(t->loaded_mm != mm)) {
		struct mm_struct *prev = t->loaded_mm;

		if (!addr_canonical(addr))
			goto out_noncanonical;
		spin_unlock(&t->lock);
		switch_mm(prev, mm, tsk);
		spin_lock(&t->lock);
	}
	asid = t->loaded_mm_asid;
	way = tag_find(set->tag, TLB_WAYS, tlb_tag(asid, vpn));
	if (way >= 0) {
		struct tlb_entry *e = &set->e[way];

		/* Only canonical addresses were ever filled: a hit is canonical. */
		t->st.hits++;
		out->tlb_hit = true;
		if ((e->perm & need) != need) {
			/* A #PF drops the entry that caused it. */
			tlb_hw_fault_invalidate(t, asid, addr);
			out->error_code = access_error_bits(access, mode) | X86_PF_PROT;
			ret = -EFAULT;
			goto out_unlock;
		}
		if (access != LINMM_ACCESS_WRITE || (e->perm & TLB_PERM_D)) {
			e->last_used = ++t->clock;
			out->pfn = e->pfn;
			out->pte = e->pte;
			ret = 0;
			goto out_unlock;
		}
		t->st.dirty_walks++;
	} else {
		if (!addr_canonical(addr))
			goto out_noncanonical;
		t->st.misses++;
	}
	ret = page_walk(t, asid, mm, addr, access, need, &w);
	if (ret) {
		stale_table = w.stale_table;
		tlb_hw_fault_invalidate(t, asid, addr);
		out->error_code = access_error_bits(access, mode) | (w.prot_fault ? X86_PF_PROT : 0);
		goto out_unlock;
	}
	tlb_fill(t, set, way, tlb_tag(asid, vpn), w.pfn, w.leaf, w.perm);
	out->pfn = w.pfn;
	out->pte = w.leaf;
out_unlock:
	spin_unlock(&t->lock);
	if (unlikely(stale_table))
		pr_err("mmu: CPU %d: the cached PDE for %#lx names a page that is no longer a page "
		       "table (freed without a TLB flush?)\n", smp_processor_id(), addr);
	return ret;
out_noncanonical:
	spin_unlock(&t->lock);
	return -EINVAL;
}

/* linmm_mmu_translate() itself, inlined into the access engine below. */
static inline int mmu_translate(struct task_struct *tsk, unsigned long addr,
				enum linmm_access access, unsigned int mode,
				struct linmm_translation *out)
{
	struct mm_struct *mm = tsk ? tsk->mm : NULL;
	int cpu = smp_processor_id();
	struct cpu_tlb *t = &cpu_tlbs[cpu];

	if (unlikely(!mm || !mm->pgd)) {
		*out = (struct linmm_translation){ 0 };
		return -ESRCH;
	}
	tsk->cpu = cpu;
	spin_lock(&t->lock);
	/* The common case in one lock round trip: mm loaded, a hit that allows the access. */
	if (likely(t->loaded_mm == mm)) {
		const u64 vpn = addr >> PAGE_SHIFT;
		struct tlb_set *set = tlb_set_of(t, vpn);
		const int way = tag_find(set->tag, TLB_WAYS, tlb_tag(t->loaded_mm_asid, vpn));
		const unsigned char need = access_needs(access, mode) |
					   (access == LINMM_ACCESS_WRITE ? TLB_PERM_D : 0);

		if (likely(way >= 0) && likely((set->e[way].perm & need) == need)) {
			struct tlb_entry *e = &set->e[way];

			t->st.hits++;
			e->last_used = ++t->clock;
			out->pfn = e->pfn;
			out->pte = e->pte;
			out->tlb_hit = true;
			out->error_code = 0;
			spin_unlock(&t->lock);
			return 0;
		}
	}
	return translate_slow(tsk, addr, access, mode, out);
}

int linmm_mmu_translate(struct task_struct *tsk, unsigned long addr, enum linmm_access access,
			unsigned int mode, struct linmm_translation *out)
{
	return mmu_translate(tsk, addr, access, mode, out);
}

/*
 * A translation of linmm_cpu_access() failed with @ret: the exception.
 * Return: 0 (resolved: retry), or what the access returns.
 */
static __attribute__((noinline)) int cpu_access_exception(struct task_struct *tsk,
							   unsigned long addr,
							   enum linmm_access access,
							   unsigned int mode, int ret,
							   const struct linmm_translation *tr)
{
	struct pt_regs regs = { .ip = access == LINMM_ACCESS_EXEC ? addr : 0, .sp = 0 };

	if (ret == -EINVAL)
		return exc_general_protection(tsk, &regs, mode);
	if (ret != -EFAULT)
		return ret;
	return exc_page_fault(tsk, &regs, tr->error_code, addr);
}

static inline int cpu_access(struct task_struct *tsk, unsigned long addr, enum linmm_access access,
			     unsigned int mode, unsigned long *pfn)
{
	struct linmm_translation tr;

	for (int tries = 0; tries < MAX_FAULT_RETRIES; tries++) {
		int ret;

		if (unlikely(tsk->exit_signal_nr))
			return -ESRCH;
		ret = mmu_translate(tsk, addr, access, mode, &tr);
		if (likely(!ret)) {
			*pfn = tr.pfn;
			return 0;
		}
		ret = cpu_access_exception(tsk, addr, access, mode, ret, &tr);
		if (ret)
			return ret;
	}
	pr_err("linmm_cpu_access: %s[%d] access at %#lx never resolved\n", tsk->comm, tsk->pid, addr);
	return -EFAULT;
}

/**
 * linmm_cpu_access - one access by @tsk's CPU, taking page faults until it succeeds
 * @tsk: the task
 * @addr: address
 * @access: read, write, exec
 * @mode: LINMM_MMU_USER, or LINMM_MMU_KERNEL for uaccess
 * @pfn: out, the frame
 *
 * Context: no locks held; get_current() is @tsk.
 * Return: 0, -EFAULT (a user-mode access: the task got its signal; kernel
 * mode: the exception fixup), -ESRCH (no mm / killed).
 */
int linmm_cpu_access(struct task_struct *tsk, unsigned long addr, enum linmm_access access,
		     unsigned int mode, unsigned long *pfn)
{
	return cpu_access(tsk, addr, access, mode, pfn);
}

static __attribute__((noinline)) void frame_copy_slow(unsigned long pfn, unsigned long off,
						      void *buf, unsigned long n, bool to_frame)
{
	struct page *page = pfn_to_page(pfn);
	char *p;

	if (boot_params.backing == LINMM_BACKING_NONE) {
		if (!to_frame)
			memset(buf, 0, n);
		return;
	}
	p = PageHighMem(page) ? kmap_local_page(page) : page_address(page);
	if (to_frame)
		memcpy(p + off, buf, n);
	else
		memcpy(buf, p + off, n);
	if (PageHighMem(page))
		kunmap_local(p);
}

/* linmm_frame_copy(): a direct-mapped frame inline (a word as one move), the rest out of line. */
static inline void frame_copy(unsigned long pfn, unsigned long off, void *buf, unsigned long n,
			      bool to_frame)
{
	char *p;

	if (unlikely(PFN_PHYS(pfn) >= direct_map_end || boot_params.backing == LINMM_BACKING_NONE)) {
		frame_copy_slow(pfn, off, buf, n, to_frame);
		return;
	}
	p = (char *)__va(PFN_PHYS(pfn)) + off;
	if (n == sizeof(u64)) {
		if (to_frame)
			__builtin_memcpy(p, buf, sizeof(u64));
		else
			__builtin_memcpy(buf, p, sizeof(u64));
	} else if (to_frame) {
		memcpy(p, buf, n);
	} else {
		memcpy(buf, p, n);
	}
}

/* Copy between @buf and the frame @pfn at @off (kmap for HighMem frames). */
void linmm_frame_copy(unsigned long pfn, unsigned long off, void *buf, unsigned long n, bool to_frame)
{
	frame_copy(pfn, off, buf, n, to_frame);
}

/* Walk [addr, addr + len) page by page with one access each; copy when @buf. */
static int user_access_range(struct task_struct *tsk, unsigned long addr, unsigned long len,
			     enum linmm_access access, void *buf, bool to_frame)
{
	struct task_struct *prev = current_task;
	unsigned long done = 0;
	int ret = 0;

	if (tsk->exit_signal_nr)
		return -ESRCH;
	current_task = tsk;
	while (done < len) {
		unsigned long a = addr + done, off = a & ~PAGE_MASK;
		unsigned long n = min(len - done, PAGE_SIZE - off), pfn;

		ret = cpu_access(tsk, a, access, LINMM_MMU_USER, &pfn);
		if (ret)
			break;
		if (buf)
			frame_copy(pfn, off, (char *)buf + done, n, to_frame);
		else if (access == LINMM_ACCESS_WRITE) {
			unsigned char byte;

			frame_copy(pfn, off, &byte, 1, /* to_frame = */ false);
			frame_copy(pfn, off, &byte, 1, /* to_frame = */ true);
		}
		done += n;
	}
	current_task = prev;
	return ret;
}

int linmm_touch(struct task_struct *tsk, unsigned long addr, unsigned long len,
		enum linmm_access access)
{
	return user_access_range(tsk, addr, len, access, NULL, false);
}

int linmm_user_read(struct task_struct *tsk, unsigned long addr, void *buf, unsigned long len)
{
	return user_access_range(tsk, addr, len, LINMM_ACCESS_READ, buf, false);
}

int linmm_user_write(struct task_struct *tsk, unsigned long addr, const void *buf,
		     unsigned long len)
{
	return user_access_range(tsk, addr, len, LINMM_ACCESS_WRITE, (void *)buf, true);
}
