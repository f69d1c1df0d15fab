/* SPDX-License-Identifier: MIT */
/*
 * uaccess.h - the kernel's accesses to user memory (include/linux/uaccess.h,
 * arch/x86/include/asm/uaccess.h, mm/memory.c access_process_vm).
 *
 * The kernel runs on behalf of a task: every call names it (the kernel's
 * `current`).  Accesses go through the software MMU in kernel mode (SMAP
 * opened by stac, CR0.WP set: a read-only user page faults on a write),
 * and a fault enters the page-fault handler, which maps the page
 * (handle_mm_fault, counted in the task's min_flt as on Linux) or, for a
 * bad address, takes the exception-table fixup: the copy stops and the
 * caller gets the bytes not copied / -EFAULT.  No signal is sent for a
 * kernel-mode fault; that is what user-mode accesses (mmu.h) do.
 */
#ifndef LINMM_UACCESS_H
#define LINMM_UACCESS_H

#include <linmm/types.h>

struct task_struct;

/* access_ok - [@addr, @addr + @size) lies below the user address limit. */
bool access_ok(unsigned long addr, unsigned long size);

/**
 * copy_to_user - copy @n bytes from kernel buffer @from to user address @to of @tsk
 * @tsk: the task on whose behalf the kernel runs
 * @to: user address
 * @from: kernel (host) buffer
 * @n: bytes
 *
 * Context: no locks held (faults take mmap_lock); may allocate.
 * Return: bytes NOT copied (0 on success).
 */
unsigned long copy_to_user(struct task_struct *tsk, unsigned long to, const void *from,
			   unsigned long n);

/* copy_from_user - the other direction; the uncopied tail of @to is zeroed. Return: bytes not copied. */
unsigned long copy_from_user(struct task_struct *tsk, void *to, unsigned long from,
			     unsigned long n);

/* clear_user - zero @n bytes at @to. Return: bytes not cleared. */
unsigned long clear_user(struct task_struct *tsk, unsigned long to, unsigned long n);

/*
 * __get_user_size / __put_user_size - one naturally sized access (1, 2, 4
 * or 8 bytes).  Return: 0 or -EFAULT (*@val zeroed on a failed get).
 */
int __get_user_size(struct task_struct *tsk, void *val, unsigned long uaddr, unsigned int size);
int __put_user_size(struct task_struct *tsk, const void *val, unsigned long uaddr,
		    unsigned int size);

/* get_user(tsk, x, uaddr) / put_user(tsk, x, uaddr): x is an lvalue / value of the access's type. */
#define get_user(tsk, x, uaddr) __get_user_size((tsk), &(x), (uaddr), sizeof(x))
#define put_user(tsk, x, uaddr)                                                  \
	({                                                                       \
		__typeof__(x) __pu_val = (x);                                    \
		__put_user_size((tsk), &__pu_val, (uaddr), sizeof(__pu_val));    \
	})

#define FOLL_WRITE	0x01	/* access_process_vm: write */
#define FOLL_FORCE	0x10	/* ... even where the VMA forbids it (ptrace) */

/**
 * access_process_vm - read or write another task's memory (ptrace, /proc/PID/mem)
 * @tsk: the target task
 * @addr: its user address
 * @buf: kernel (host) buffer
 * @len: bytes
 * @gup_flags: FOLL_WRITE to write; FOLL_FORCE to ignore the VMA's rights
 *	(writes to a read-only private mapping then go to a private copy)
 *
 * Pages are faulted in as get_user_pages_remote() does: the faults are
 * counted in vmstat pgfault but not in the task's min_flt (no regs).
 * Context: no locks held.
 * Return: bytes accessed (stops at the first page that cannot be reached).
 */
int access_process_vm(struct task_struct *tsk, unsigned long addr, void *buf, int len,
		      unsigned int gup_flags);

#endif /* LINMM_UACCESS_H */
