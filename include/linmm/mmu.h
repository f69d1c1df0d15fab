/* SPDX-License-Identifier: MIT */
/*
 * mmu.h - the simulated CPU's memory accesses: the software MMU and the
 * user-mode access engine (arch/x86/mmu.c; hardware, no kernel file).
 *
 * linmm_mmu_translate() is what the CPU does for one access: look the
 * page up in this CPU's TLB, walk the task's page tables on a miss (in the
 * arch's format, setting Accessed on every level and Dirty on a write, as
 * x86 hardware does), check present/RW/user/NX and either return the frame
 * or the page-fault error code.  It never calls the kernel.
 *
 * linmm_touch(), linmm_user_read() and linmm_user_write() are user-mode
 * instructions of a task: each access that faults enters the kernel's
 * page-fault handler (exc_page_fault in arch/x86/fault.c), which resolves
 * it (handle_mm_fault) and lets the access retry, or sends SIGSEGV/SIGBUS
 * with the kernel's "segfault at" line in dmesg and kills the task.
 * Kernel-mode accesses to user memory are in uaccess.h.
 */
#ifndef LINMM_MMU_H
#define LINMM_MMU_H

#include <linmm/types.h>

struct task_struct;

enum linmm_access {
	LINMM_ACCESS_READ,
	LINMM_ACCESS_WRITE,
	LINMM_ACCESS_EXEC,
};

/* Privilege of an access: user mode (CPL 3) or the kernel (CPL 0, SMAP open). */
#define LINMM_MMU_USER		0x1u
#define LINMM_MMU_KERNEL	0x0u

/**
 * struct linmm_translation - the outcome of one translation
 * @pfn: the frame (when the access succeeded)
 * @pte: the leaf entry as the walk or the TLB saw it
 * @tlb_hit: served by the TLB (a stale entry is served too: that is the point)
 * @error_code: X86_PF_* bits when the access faults
 */
struct linmm_translation {
	unsigned long pfn;
	u64 pte;
	bool tlb_hit;
	unsigned long error_code;
};

/**
 * linmm_mmu_translate - translate @addr of @tsk for one access on this CPU
 * @tsk: the task whose mm is (made) the CPU's current one (switch_mm)
 * @addr: virtual address
 * @access: read, write or instruction fetch
 * @mode: LINMM_MMU_USER or LINMM_MMU_KERNEL
 * @out: the result
 *
 * Context: the calling thread is on a simulated CPU; no kernel locks taken
 * beyond this CPU's TLB lock.
 * Return: 0 (translated), -EFAULT (page fault: @out->error_code), -EINVAL
 * (@addr not canonical for the arch), -ESRCH (@tsk has no mm).
 */
int linmm_mmu_translate(struct task_struct *tsk, unsigned long addr, enum linmm_access access,
			unsigned int mode, struct linmm_translation *out);

/**
 * linmm_touch - user-mode accesses of @tsk to every page of [@addr, @addr + @len)
 * @tsk: the task
 * @addr: first byte
 * @len: bytes (0: nothing)
 * @access: read, write or exec
 *
 * One access per page, at @addr for the first page and at the page start
 * for the others.  A write loads the byte and stores it back, so the
 * contents stay as they were.
 * Context: no locks held.
 * Return: 0, -EFAULT (the task got a fatal signal: it is killed), -ESRCH
 * (the task was killed already).
 */
int linmm_touch(struct task_struct *tsk, unsigned long addr, unsigned long len,
		enum linmm_access access);

/**
 * linmm_user_read - user-mode loads of @len bytes at @addr into @buf
 * @tsk: the task
 * @addr: user address
 * @buf: host buffer
 * @len: bytes
 *
 * Context: no locks held.
 * Return: as linmm_touch(); on -EFAULT the bytes before the fault are in @buf.
 */
int linmm_user_read(struct task_struct *tsk, unsigned long addr, void *buf, unsigned long len);

/* linmm_user_write - user-mode stores of @len bytes from @buf at @addr; return as linmm_touch(). */
int linmm_user_write(struct task_struct *tsk, unsigned long addr, const void *buf,
		     unsigned long len);

#endif /* LINMM_MMU_H */
