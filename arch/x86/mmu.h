/* SPDX-License-Identifier: MIT */
/*
 * mmu.h - internals shared by the simulated CPU's MMU (arch/x86/mmu.c) and
 * the kernel's TLB management (arch/x86/tlb.c): one struct per CPU holding
 * the hardware TLB and the kernel's cpu_tlbstate, under one lock.
 *
 * The TLB is TLB_SETS x TLB_WAYS entries (64 x 4, like an L1 DTLB), set
 * chosen by the low bits of the virtual page number, each entry tagged with
 * the ASID it was filled under; replacement is least recently used.
 */
#ifndef LINMM_ARCH_X86_MMU_H
#define LINMM_ARCH_X86_MMU_H

#include <linmm/mm_types.h>
#include <linmm/tlbflush.h>

#define TLB_SETS	64
#define TLB_WAYS	4

/* Rights an entry grants: the AND of RW/US over the walk, no NX anywhere, Dirty on the leaf. */
#define TLB_PERM_W	0x1u
#define TLB_PERM_U	0x2u
#define TLB_PERM_X	0x4u
#define TLB_PERM_D	0x8u

struct tlb_entry {
	u64 vpn;
	unsigned long pfn;
	u64 pte;
	unsigned long last_used;
	unsigned short asid;
	unsigned char perm;
	bool valid;
};

/* The kernel's per-CPU ASID slot (struct tlb_context). */
struct tlb_context {
	u64 ctx_id;
	u64 tlb_gen;
};

struct cpu_tlb {
	spinlock_t lock;		/* everything below */
	struct tlb_entry e[TLB_SETS][TLB_WAYS];
	unsigned long clock;
	/* cpu_tlbstate */
	struct mm_struct *loaded_mm;
	unsigned short loaded_mm_asid;
	unsigned short next_asid;
	struct tlb_context ctxs[TLB_NR_DYN_ASIDS];
	struct tlb_stats st;
};

/* The TLB of @cpu. */
struct cpu_tlb *cpu_tlb(int cpu);
/* INVLPG for one ASID: drop @addr's entry. Context: @t->lock held. */
void tlb_hw_invlpg(struct cpu_tlb *t, unsigned short asid, unsigned long addr);
/* INVPCID single-context: drop every entry of @asid. Context: @t->lock held. */
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
