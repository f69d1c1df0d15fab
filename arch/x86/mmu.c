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
 *   walk pgd -> (p4d) -> pud -> pmd -> pte in the arch format:
 *     each level present? else #PF (not-present)
 *     rights = AND of RW and US over the levels, NX = OR
 *     set Accessed on every level (locked cmpxchg), Dirty on the leaf for
 *     a write; the PAE PDPTE has neither
 *   rights ok? else #PF (protection); fill the TLB entry
 *
 * Rights: user mode needs US everywhere; a write needs RW everywhere (in
 * kernel mode too: CR0.WP); a fetch needs no NX bit (NX exists only with
 * 8-byte entries).  Kernel-mode accesses to user pages are allowed (SMAP
 * opened by the uaccess code).  A TLB hit is trusted: the entry may be
 * stale if the kernel changed the PTE without flushing, exactly the bug a
 * real CPU exposes.  A write hit on an entry filled clean walks again to
 * set Dirty.
 *
 * The access engine (linmm_touch, linmm_user_read/write, and the kernel's
 * uaccess through linmm_cpu_access) retries an access after each page
 * fault that exc_page_fault() resolved, as the CPU re-executes the
 * faulting instruction.
 *
 * Locks: this CPU's TLB lock across lookup, walk and fill (page tables are
 * read locklessly; the kernel's PTE changes are single atomic stores).
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
static _Thread_local struct task_struct *current_task;

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

static struct tlb_entry *tlb_lookup(struct cpu_tlb *t, unsigned short asid, u64 vpn)
{
	struct tlb_entry *set = t->e[vpn & (TLB_SETS - 1)];

	for (int w = 0; w < TLB_WAYS; w++)
		if (set[w].valid && set[w].asid == asid && set[w].vpn == vpn)
			return &set[w];
	return NULL;
}

void tlb_hw_invlpg(struct cpu_tlb *t, unsigned short asid, unsigned long addr)
{
	struct tlb_entry *e = tlb_lookup(t, asid, addr >> PAGE_SHIFT);

	if (e)
		e->valid = false;
}

void tlb_hw_flush_asid(struct cpu_tlb *t, unsigned short asid)
{
	for (int s = 0; s < TLB_SETS; s++)
		for (int w = 0; w < TLB_WAYS; w++)
			if (t->e[s][w].asid == asid)
				t->e[s][w].valid = false;
}

static void tlb_fill(struct cpu_tlb *t, unsigned short asid, u64 vpn, unsigned long pfn, u64 pte,
		     unsigned char perm)
{
	struct tlb_entry *set = t->e[vpn & (TLB_SETS - 1)], *victim = tlb_lookup(t, asid, vpn);

	if (!victim) {
		victim = &set[0];
		for (int w = 0; w < TLB_WAYS; w++) {
			if (!set[w].valid) {
				victim = &set[w];
				break;
			}
			if (set[w].last_used < victim->last_used)
				victim = &set[w];
		}
		if (victim->valid)
			t->st.evictions++;
	}
	*victim = (struct tlb_entry){
		.vpn = vpn, .pfn = pfn, .pte = pte, .last_used = ++t->clock,
		.asid = asid, .perm = perm, .valid = true,
	};
	t->st.fills++;
}

static bool nx_supported(void)
{
	return __supported_pte_mask & _PAGE_NX;
}

/* The #PF error code bits an access of this kind carries. */
static unsigned long access_error_bits(enum linmm_access access, unsigned int mode)
{
	unsigned long ec = 0;

	if (mode & LINMM_MMU_USER)
		ec |= X86_PF_USER;
	if (access == LINMM_ACCESS_WRITE)
		ec |= X86_PF_WRITE;
	if (access == LINMM_ACCESS_EXEC && nx_supported())
		ec |= X86_PF_INSTR;
	return ec;
}

static bool rights_ok(unsigned char perm, enum linmm_access access, unsigned int mode)
{
	if ((mode & LINMM_MMU_USER) && !(perm & TLB_PERM_U))
		return false;
	if (access == LINMM_ACCESS_WRITE && !(perm & TLB_PERM_W))
		return false;
	if (access == LINMM_ACCESS_EXEC && !(perm & TLB_PERM_X))
		return false;
	return true;
}

/*
 * The page walk.  0 and the frame, rights and leaf value; or -EFAULT with
 * X86_PF_PROT in *@prot_fault when a present translation denies the access.
 */
static int page_walk(struct mm_struct *mm, unsigned long addr, enum linmm_access access,
		     unsigned int mode, unsigned long *pfn, u64 *leaf, unsigned char *perm,
		     bool *prot_fault)
{
	const bool pae_top = pgtable_fmt->levels == 3;

retry:
	*perm = TLB_PERM_W | TLB_PERM_U | TLB_PERM_X;
	*prot_fault = false;
	{
		void *e = pgd_offset(mm, addr);
		u64 v = 0;
		int lvl;

		for (lvl = PGT_PGD; lvl <= PGT_PTE; lvl++) {
			if (lvl != PGT_PGD) {
				if (pgtable_fmt->folded[lvl])
					continue;
				e = pgtable_entry_table(v) + pgtable_index((enum pgtable_level)lvl, addr) *
							  (unsigned long)pgtable_fmt->entry_size;
			}
			v = pgtable_entry_read(e);
			if (!(v & _PAGE_PRESENT))
				return -EFAULT;
			if (lvl == PGT_PGD && pae_top)
				continue;	/* PDPTE: no rights, no Accessed bit */
			if (!(v & _PAGE_RW))
				*perm &= (unsigned char)~TLB_PERM_W;
			if (!(v & _PAGE_USER))
				*perm &= (unsigned char)~TLB_PERM_U;
			if (nx_supported() && (v & _PAGE_NX))
				*perm &= (unsigned char)~TLB_PERM_X;
			if (lvl != PGT_PTE && (v & _PAGE_PSE))
				break;		/* a large page ends the walk */
			if (lvl == PGT_PTE)
				break;
			if (!(v & _PAGE_ACCESSED))
				pgtable_entry_cmpxchg(e, v, v | _PAGE_ACCESSED);
		}
		if (!rights_ok(*perm, access, mode)) {
			*prot_fault = true;
			return -EFAULT;
		}
		/* The leaf: Accessed always, Dirty on a write, in one locked update. */
		{
			u64 nv = v | _PAGE_ACCESSED | (access == LINMM_ACCESS_WRITE ? _PAGE_DIRTY : 0);

			if (nv != v && !pgtable_entry_cmpxchg(e, v, nv))
				goto retry;
			v = nv;
		}
		if (v & _PAGE_DIRTY)
			*perm |= TLB_PERM_D;
		*leaf = v;
		if (lvl != PGT_PTE) {
			/* Frame inside the large page (PAT sits in bit 12 of a large entry). */
			u64 size = 1ULL << pgtable_fmt->shift[lvl];

			*pfn = (unsigned long)((((v & PTE_PFN_MASK) & ~(size - 1)) | (addr & (size - 1))) >>
					       PAGE_SHIFT);
		} else {
			*pfn = (unsigned long)((v & PTE_PFN_MASK) >> PAGE_SHIFT);
		}
	}
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

static unsigned short loaded_asid(struct cpu_tlb *t)
{
	return t->loaded_mm_asid;
}

int linmm_mmu_translate(struct task_struct *tsk, unsigned long addr, enum linmm_access access,
			unsigned int mode, struct linmm_translation *out)
{
	struct mm_struct *mm = tsk ? tsk->mm : NULL;
	int cpu = smp_processor_id();
	struct cpu_tlb *t = cpu_tlb(cpu);
	unsigned long pfn;
	unsigned char perm;
	bool prot_fault;
	struct tlb_entry *e;
	unsigned short asid;
	u64 leaf;
	int ret;

	*out = (struct linmm_translation){ 0 };
	if (!mm || !mm->pgd)
		return -ESRCH;
	if (!addr_canonical(addr))
		return -EINVAL;
	tsk->cpu = cpu;
	spin_lock(&t->lock);
	/* One lock round trip on the common path: the mm is already loaded. */
	if (unlikely(t->loaded_mm != mm)) {
		struct mm_struct *prev = t->loaded_mm;

		spin_unlock(&t->lock);
		switch_mm(prev, mm, tsk);
		spin_lock(&t->lock);
	}
	asid = loaded_asid(t);
	e = tlb_lookup(t, asid, addr >> PAGE_SHIFT);
	if (e) {
		t->st.hits++;
		out->tlb_hit = true;
		if (!rights_ok(e->perm, access, mode)) {
			/* A #PF drops the entry that caused it. */
			e->valid = false;
			out->error_code = access_error_bits(access, mode) | X86_PF_PROT;
			spin_unlock(&t->lock);
			return -EFAULT;
		}
		if (access != LINMM_ACCESS_WRITE || (e->perm & TLB_PERM_D)) {
			e->last_used = ++t->clock;
			out->pfn = e->pfn;
			out->pte = e->pte;
			spin_unlock(&t->lock);
			return 0;
		}
		t->st.dirty_walks++;
	} else {
		t->st.misses++;
	}
	ret = page_walk(mm, addr, access, mode, &pfn, &leaf, &perm, &prot_fault);
	if (ret) {
		tlb_hw_invlpg(t, asid, addr);
		out->error_code = access_error_bits(access, mode) | (prot_fault ? X86_PF_PROT : 0);
		spin_unlock(&t->lock);
		return ret;
	}
	tlb_fill(t, asid, addr >> PAGE_SHIFT, pfn, leaf, perm);
	out->pfn = pfn;
	out->pte = leaf;
	spin_unlock(&t->lock);
	return 0;
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
	struct pt_regs regs = { .ip = access == LINMM_ACCESS_EXEC ? addr : 0, .sp = 0 };
	struct linmm_translation tr;

	for (int tries = 0; tries < MAX_FAULT_RETRIES; tries++) {
		int ret;

		if (tsk->exit_signal_nr)
			return -ESRCH;
		ret = linmm_mmu_translate(tsk, addr, access, mode, &tr);
		if (!ret) {
			*pfn = tr.pfn;
			return 0;
		}
		if (ret == -EINVAL)
			return exc_general_protection(tsk, &regs, mode);
		if (ret != -EFAULT)
			return ret;
		ret = exc_page_fault(tsk, &regs, tr.error_code, addr);
		if (ret)
			return ret;
	}
	pr_err("linmm_cpu_access: %s[%d] access at %#lx never resolved\n", tsk->comm, tsk->pid, addr);
	return -EFAULT;
}

/* Copy between @buf and the frame @pfn at @off (kmap for HighMem frames). */
void linmm_frame_copy(unsigned long pfn, unsigned long off, void *buf, unsigned long n, bool to_frame)
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

/* Walk [addr, addr + len) page by page with one access each; copy when @buf. */
static int user_access_range(struct task_struct *tsk, unsigned long addr, unsigned long len,
			     enum linmm_access access, void *buf, bool to_frame)
{
	struct task_struct *prev = get_current();
	unsigned long done = 0;
	int ret = 0;

	if (tsk->exit_signal_nr)
		return -ESRCH;
	set_current(tsk);
	while (done < len) {
		unsigned long a = addr + done, off = a & ~PAGE_MASK;
		unsigned long n = min(len - done, PAGE_SIZE - off), pfn;

		ret = linmm_cpu_access(tsk, a, access, LINMM_MMU_USER, &pfn);
		if (ret)
			break;
		if (buf)
			linmm_frame_copy(pfn, off, (char *)buf + done, n, to_frame);
		else if (access == LINMM_ACCESS_WRITE) {
			unsigned char byte;

			linmm_frame_copy(pfn, off, &byte, 1, /* to_frame = */ false);
			linmm_frame_copy(pfn, off, &byte, 1, /* to_frame = */ true);
		}
		done += n;
	}
	set_current(prev);
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
