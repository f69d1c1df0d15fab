// SPDX-License-Identifier: MIT
/*
 * usercopy.c - the kernel's accesses to user memory (lib/usercopy.c,
 * arch/x86/lib/usercopy_64.c, arch/x86/include/asm/uaccess.h, and
 * mm/memory.c's access_process_vm / __access_remote_vm).
 *
 * copy_to_user() and friends run in kernel mode on the calling CPU on
 * behalf of @tsk: access_ok() first (the whole range below the user
 * limit), then page by page through the software MMU (linmm_cpu_access
 * with LINMM_MMU_KERNEL), which takes and resolves page faults like the
 * kernel's #PF handler; a fault that cannot be resolved is the exception
 * fixup, and the copy returns what is left.  access_process_vm() reaches
 * another task's pages without its CPU or TLB, as get_user_pages_remote()
 * does: follow the PTE, fault (no regs: not counted in min_flt) when it is
 * missing or read-only for a write, copy through the frame.
 *
 * Locks: none held on entry; faults take mmap_lock (read).
 */
#include <string.h>

#include <linmm/memory.h>
#include <linmm/mmap.h>
#include <linmm/rmap.h>
#include <linmm/sched.h>
#include <linmm/uaccess.h>

#include "arch/x86/mmu.h"
#include "mm/internal.h"

bool access_ok(unsigned long addr, unsigned long size)
{
	unsigned long limit = user_addr_max();

	return size <= limit && addr <= limit - size;
}

/* Copy between @buf and @tsk's memory in kernel mode; return bytes not copied. */
static unsigned long kernel_user_copy(struct task_struct *tsk, unsigned long uaddr, void *buf,
				      unsigned long n, bool to_user)
{
	struct task_struct *prev = get_current();
	unsigned long done = 0;

	if (!access_ok(uaddr, n))
		return n;
	set_current(tsk);
	while (done < n) {
		unsigned long a = uaddr + done, off = a & ~PAGE_MASK;
		unsigned long len = min(n - done, PAGE_SIZE - off), pfn;

		if (linmm_cpu_access(tsk, a, to_user ? LINMM_ACCESS_WRITE : LINMM_ACCESS_READ,
				     LINMM_MMU_KERNEL, &pfn))
			break;
		if (buf)
			linmm_frame_copy(pfn, off, (char *)buf + done, len, to_user);
		else {
			static const char zeroes[PAGE_SIZE];

			linmm_frame_copy(pfn, off, (void *)zeroes, len, /* to_frame = */ true);
		}
		done += len;
	}
	set_current(prev);
	return n - done;
}

unsigned long copy_to_user(struct task_struct *tsk, unsigned long to, const void *from,
			   unsigned long n)
{
	return kernel_user_copy(tsk, to, (void *)from, n, /* to_user = */ true);
}

unsigned long copy_from_user(struct task_struct *tsk, void *to, unsigned long from,
			     unsigned long n)
{
	unsigned long left = kernel_user_copy(tsk, from, to, n, /* to_user = */ false);

	if (left)
		memset((char *)to + (n - left), 0, left);
	return left;
}

unsigned long clear_user(struct task_struct *tsk, unsigned long to, unsigned long n)
{
	return kernel_user_copy(tsk, to, NULL, n, /* to_user = */ true);
}

int __get_user_size(struct task_struct *tsk, void *val, unsigned long uaddr, unsigned int size)
{
	if (copy_from_user(tsk, val, uaddr, size))
		return -EFAULT;
	return 0;
}

int __put_user_size(struct task_struct *tsk, const void *val, unsigned long uaddr,
		    unsigned int size)
{
	return copy_to_user(tsk, uaddr, val, size) ? -EFAULT : 0;
}

/* check_vma_flags() of GUP: the VMA allows the access (FOLL_FORCE: a private mapping may be written). */
static bool gup_vma_ok(struct vm_area_struct *vma, unsigned int gup_flags)
{
	bool write = gup_flags & FOLL_WRITE;

	if (write) {
		if (vma->vm_flags & VM_WRITE)
			return true;
		return (gup_flags & FOLL_FORCE) && !(vma->vm_flags & VM_SHARED) &&
		       (vma->vm_flags & VM_MAYWRITE);
	}
	if (vma->vm_flags & VM_READ)
		return true;
	return (gup_flags & FOLL_FORCE) && (vma->vm_flags & VM_MAYREAD);
}

/* The frame of @addr usable for the access, faulting it in; 0 or -EFAULT. Context: mmap_lock (read). */
static int follow_page_remote(struct vm_area_struct *vma, unsigned long addr, unsigned int gup_flags,
			      unsigned long *pfn)
{
	bool write = gup_flags & FOLL_WRITE;

	for (int tries = 0; tries < 3; tries++) {
		pte_t pte;

		if (!follow_pte(vma->vm_mm, addr, &pte) && (pte_val(pte) & _PAGE_PRESENT)) {
			struct page *page = vm_normal_page(vma, addr, pte);

			/* can_follow_write_pte(): writable, or our own COWed anonymous copy (FOLL_FORCE). */
			if (!write || pte_write(pte) ||
			    ((gup_flags & FOLL_FORCE) && page && PageAnon(page) && tries)) {
				*pfn = pte_pfn(pte);
				return 0;
			}
		}
		if (handle_mm_fault(vma, addr, FAULT_FLAG_REMOTE | (write ? FAULT_FLAG_WRITE : 0), NULL) &
		    VM_FAULT_ERROR)
			return -EFAULT;
	}
	return -EFAULT;
}

int access_process_vm(struct task_struct *tsk, unsigned long addr, void *buf, int len,
		      unsigned int gup_flags)
{
	struct mm_struct *mm = tsk->mm;
	int done = 0;

	if (!mm || len <= 0)
		return 0;
	mmap_read_lock(mm);
	while (done < len) {
		unsigned long a = addr + (unsigned long)done, off = a & ~PAGE_MASK, pfn;
		unsigned long n = min((unsigned long)(len - done), PAGE_SIZE - off);
		struct vm_area_struct *vma = vma_lookup(mm, a);

		if (!vma || !gup_vma_ok(vma, gup_flags) || follow_page_remote(vma, a, gup_flags, &pfn))
			break;
		linmm_frame_copy(pfn, off, (char *)buf + done, n, gup_flags & FOLL_WRITE);
		done += (int)n;
	}
	mmap_read_unlock(mm);
	return done;
}
