/* SPDX-License-Identifier: MIT */
/*
 * mmu.h - internals shared by the simulated CPU's MMU (arch/x86/mmu.c) and
 * the kernel's TLB management (arch/x86/tlb.c): one struct per CPU holding
 * the hardware TLB, its paging-structure cache and the kernel's
 * cpu_tlbstate, under one lock.
 *
 * The TLB is TLB_SETS x TLB_WAYS entries (64 x 4, like an L1 DTLB), set
 * chosen by the low bits of the virtual page number, each entry tagged with
 * the ASID it was filled under; replacement is least recently used (by a
 * per-CPU clock stamped on every use).
 *
 * The PDE cache (Intel SDM vol. 3, 4.10.3 "Paging-structure caches") is
 * PDE_CACHE_SETS x PDE_CACHE_WAYS entries (8 x 4), each mapping (ASID,
 * address >> PMD_SHIFT) to the PTE table a present non-leaf PDE points to
 * and the rights of the levels above the PTE; a TLB miss that finds one
 * reads only the PTE.  Replacement is tree pseudo-LRU, as hardware does it:
 * three bits per set point away from the ways used last.
 *
 *   addr  [ pgd | pud | pmd | pte | offset ]      (x86_64, 4 levels)
 *          \________________/
 *           PDE-cache tag --> PTE table + AND(RW, US), OR(NX) of pgd..pmd
 *
 * Tags pack the number with ASID + 1 in the low TLB_TAG_ASID_BITS bits, so
 * 0 is never a valid tag: an invalid entry has tag 0 and one compare finds
 * a match.
 */
#ifndef LINMM_ARCH_X86_MMU_H
#define LINMM_ARCH_X86_MMU_H

#include <linmm/mm_types.h>
#include <linmm/pgtable.h>
#include <linmm/tlbflush.h>

#define TLB_SETS	64
#define TLB_WAYS	4
#define PDE_CACHE_SETS	8
#define PDE_CACHE_WAYS	4

/* Bits of a tag that hold ASID + 1 (TLB_NR_DYN_ASIDS + 1 must fit). */
#define TLB_TAG_ASID_BITS	3
_Static_assert(TLB_NR_DYN_ASIDS < (1 << TLB_TAG_ASID_BITS), "ASID + 1 must fit a tag");

/* Rights an entry grants: the AND of RW/US over the walk, no NX anywhere, Dirty on the leaf. */
#define TLB_PERM_W	0x1u
#define TLB_PERM_U	0x2u
#define TLB_PERM_X	0x4u
#define TLB_PERM_D	0x8u

/* The tag of @nr (a virtual page number, or address >> PMD_SHIFT) under @asid. */
static inline u64 tlb_tag(unsigned short asid, u64 nr)
{
	return nr << TLB_TAG_ASID_BITS | (u64)(asid + 1);
}

/* The ASID a valid tag was filled under. */
static inline unsigned short tlb_tag_asid(u64 tag)
{
	return (unsigned short)((tag & ((1u << TLB_TAG_ASID_BITS) - 1)) - 1);
}

struct tlb_entry {
	unsigned long pfn;
	u64 pte;
	unsigned long last_used;
	unsigned char perm;
};

/* One set: the tags side by side (one cache line to search), then the entries. */
struct tlb_set {
	u64 tag[TLB_WAYS];
	struct tlb_entry e[TLB_WAYS];
};

struct pde_cache_entry {
	void *table;			/* the PTE table (its host address) */
	unsigned char perm;		/* TLB_PERM_W/U/X of the levels above */
};

/*
 * plru: bit 0 picks the half to replace next (0: ways 0-1, 1: ways 2-3),
 * bit 1 the way within 0-1, bit 2 the way within 2-3.
 */
struct pde_cache_set {
	u64 tag[PDE_CACHE_WAYS];
	struct pde_cache_entry e[PDE_CACHE_WAYS];
	unsigned char plru;
};
_Static_assert(PDE_CACHE_WAYS == 4, "the PLRU tree has 4 leaves");

/*
 * The walk from the top for the running format, worked out once per CPU:
 * the levels that have tables of their own above the PTE, top first
 * (x86_64: pgd pud pmd; la57 adds the p4d; PAE: the PDPTE and the pmd;
 * 2-level: the pgd alone).  WALK_RIGHTS: the entry has RW/US/NX, Accessed
 * and PSE (not the PAE PDPTE).
 */
#define WALK_RIGHTS	0x1u

struct walk_level {
	unsigned char shift;		/* address bits below this level's index */
	unsigned char flags;
	unsigned short mask;		/* entries per table - 1 */
};

struct walk_plan {
	const struct pgtable_format *fmt;	/* what it was made for; NULL: not yet */
	unsigned int nr;
	unsigned int entry_size;
	unsigned short pte_mask;
	u64 pfn_mask;
	struct walk_level lvl[PGT_PTE];
};

/* The kernel's per-CPU ASID slot (struct tlb_context). */
struct tlb_context {
	u64 ctx_id;
	u64 tlb_gen;
};

struct cpu_tlb {
	spinlock_t lock;		/* everything below */
	struct mm_struct *loaded_mm;
	unsigned short loaded_mm_asid;
	unsigned long clock;		/* the TLB's LRU stamps */
	struct tlb_set sets[TLB_SETS];
	struct pde_cache_set pde[PDE_CACHE_SETS];
	struct walk_plan plan;
	/* cpu_tlbstate */
	unsigned short next_asid;
	struct tlb_context ctxs[TLB_NR_DYN_ASIDS];
	struct tlb_stats st;
};

/* The TLB of @cpu. */
struct cpu_tlb *cpu_tlb(int cpu);
/*
 * INVLPG for one ASID (the current PCID): drop @addr's TLB entry and every
 * PDE-cache entry of @asid, whatever address it maps (SDM 4.10.4.1).
 * Context: @t->lock held.
 */
void tlb_hw_invlpg(struct cpu_tlb *t, unsigned short asid, unsigned long addr);
/* INVPCID single-context: drop every TLB and PDE-cache entry of @asid. Context: @t->lock held. */
void tlb_hw_flush_asid(struct cpu_tlb *t, unsigned short asid);
/* Forget every TLB and cpu_tlbstate (boot/shutdown). */
void tlb_reset_all(void);

/* ---- the CPU's accesses (mmu.c) and the fault entry points (fault.c) ---- */
#include <linmm/mmu.h>

struct pt_regs;
struct task_struct;

/* One access by @tsk's CPU, faulting pages in; 0, -EFAULT or -ESRCH (see mmu.c). */
int linmm_cpu_access(struct task_struct *tsk, unsigned long addr, enum linmm_access access,
		     unsigned int mode, unsigned long *pfn);
/* Copy @n bytes between @buf and frame @pfn at @off (kmap_local for HighMem). */
void linmm_frame_copy(unsigned long pfn, unsigned long off, void *buf, unsigned long n,
		      bool to_frame);
/*
 * exc_page_fault - the #PF handler for @address with hardware @error_code.
 * Return: 0 (resolved: retry the access), -EFAULT (user mode: the signal
 * is sent and the task killed; kernel mode: the uaccess fixup).
 */
int exc_page_fault(struct task_struct *tsk, struct pt_regs *regs, unsigned long error_code,
		   unsigned long address);
/* exc_general_protection - a non-canonical address: SIGSEGV (user) or the fixup. -EFAULT. */
int exc_general_protection(struct task_struct *tsk, struct pt_regs *regs, unsigned int mode);

#endif /* LINMM_ARCH_X86_MMU_H */
