// SPDX-License-Identifier: MIT
/*
 * mprotect.c - changing the access rights of a range (mm/mprotect.c).
 *
 * do_mprotect_pkey() walks the VMAs covering [start, end): a hole is
 * -ENOMEM, a right whose VM_MAYx bit is clear is -EACCES, and each VMA's
 * part of the range gets its new flags through mprotect_fixup(), which
 * merges it into a neighbour or splits it off (vma_modify_flags() in
 * vma.c).  As in the kernel, an error stops the walk but leaves the
 * VMAs already changed as they are.
 *
 * Commit accounting: making private memory writable charges it
 * (VM_ACCOUNT) through security_vm_enough_memory_mm(), before the VMA
 * changes, so that a refusal (-ENOMEM under vm.overcommit_memory) leaves
 * it as it was; making an anonymous VMA that has never been faulted (no
 * anon_vma) read-only again uncharges it, so that it can merge with
 * read-only neighbours.
 *
 * The PTEs of the range follow the new vm_page_prot (change_protection()
 * in mm/memory.c, which flushes the TLB for what changed).
 *
 * Locks: mm->mmap_lock for writing (linmm_mprotect() takes it).
 */
#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/sched.h>

#include "mm/internal.h"

static int mprotect_fixup(struct mm_struct *mm, struct vm_area_struct **pvma,
			  struct vm_area_struct **pprev, unsigned long start, unsigned long end,
			  vm_flags_t newflags)
{
	struct vm_area_struct *vma = *pvma;
	vm_flags_t oldflags = vma->vm_flags;
	long nrpages = (long)((end - start) >> PAGE_SHIFT);
	long charged = 0;
	int err;

	if (newflags == oldflags) {
		*pprev = vma;
		return 0;
	}
	if (newflags & VM_WRITE) {
		if (!(oldflags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB | VM_SHARED | VM_NORESERVE))) {
			charged = nrpages;
			if (security_vm_enough_memory_mm(mm, charged))
				return -ENOMEM;
			newflags |= VM_ACCOUNT;
		}
	} else if ((oldflags & VM_ACCOUNT) && vma_is_anonymous(vma) && !vma->anon_vma) {
		newflags &= ~VM_ACCOUNT;
	}
	err = vma_modify_flags(mm, *pprev, pvma, start, end, newflags);
	if (err) {
		if (charged)
			vm_unacct_memory(charged);
		return err;
	}
	*pprev = *pvma;
	change_protection(*pvma, start, end);	/* the PTEs, then a TLB flush (mm/memory.c) */
	if ((oldflags & VM_ACCOUNT) && !(newflags & VM_ACCOUNT))
		vm_unacct_memory(nrpages);
	vm_stat_account(mm, oldflags, -nrpages);
	vm_stat_account(mm, newflags, nrpages);
	return 0;
}

/**
 * do_mprotect_pkey - mprotect(2) on @mm.
 * @mm: the address space
 * @start: page-aligned start
 * @len: length in bytes
 * @prot: PROT_* bits, optionally PROT_GROWSDOWN
 *
 * Context: mm->mmap_lock held for writing.
 * Return: 0 or -errno (see linmm_mprotect()).
 */
int do_mprotect_pkey(struct mm_struct *mm, unsigned long start, unsigned long len,
		     unsigned long prot)
{
	unsigned long grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
	struct vm_area_struct *vma, *prev;
	unsigned long end, tmp, nstart;
	vm_flags_t newflags;
	int err;

	mmap_assert_write_locked(mm);
	prot &= ~grows;
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (offset_in_page(start))
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;

	vma = find_vma(mm, start);
	if (!vma || vma->vm_start >= end)
		return -ENOMEM;
	if (grows & PROT_GROWSDOWN) {
		start = vma->vm_start;
		if (!(vma->vm_flags & VM_GROWSDOWN))
			return -EINVAL;
	} else {
		if (vma->vm_start > start)
			return -ENOMEM;
		if (grows & PROT_GROWSUP)
			return -EINVAL;		/* no VM_GROWSUP on x86 */
	}
	prev = start > vma->vm_start ? vma : vma_prev(vma);

	err = 0;
	nstart = start;
	tmp = vma->vm_start;
	while (vma && vma->vm_start < end) {
		if (vma->vm_start != tmp) {
			err = -ENOMEM;
			break;
		}
		newflags = (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
			   (prot & PROT_EXEC ? VM_EXEC : 0);
		newflags |= vma->vm_flags & ~VM_ACCESS_FLAGS;
		/* A right may be added only where its VM_MAYx bit is set. */
		if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS) {
			err = -EACCES;
			break;
		}
		tmp = min(vma->vm_end, end);
		err = mprotect_fixup(mm, &vma, &prev, nstart, tmp, newflags);
		if (err)
			break;
		tmp = vma->vm_end;
		nstart = tmp;
		vma = vma_next(vma);
	}
	if (!err && tmp < end)
		err = -ENOMEM;
	return err;
}

int linmm_mprotect(struct task_struct *tsk, unsigned long start, unsigned long len,
		   unsigned long prot)
{
	struct mm_struct *mm = tsk->mm;
	int ret;

	mmap_write_lock(mm);
	ret = do_mprotect_pkey(mm, start, len, prot);
	mmap_write_unlock(mm);
	return ret;
}
