/* SPDX-License-Identifier: MIT */
/*
 * fault.c - page faults (arch/x86/mm/fault.c): kernel-mode faults in
 * linmm's windows become oopses (show_fault_oops/dump_pagetable/
 * page_fault_oops, arch/x86/kernel/dumpstack.c __die_header/__die_body);
 * faults of the software MMU on user addresses go through
 * do_user_addr_fault() (second half of this file).
 *
 * A host SIGSEGV/SIGBUS whose address lies in the direct map, the vmalloc
 * window or (x86_32) the pkmap/fixmap part of it is a fault of the
 * simulated kernel: a guard-page overrun, a use after vfree, a hole of the
 * direct map.  The host seam (kernel/host.c) asks x86_fault_is_ours(), and
 * the kernel's report goes into the dmesg ring (from linmm_oops_catch()
 * after the catch, or from the signal handler when nothing catches it):
 *
 *   BUG: unable to handle page fault for address: ffffc90000005000
 *   #PF: supervisor write access in kernel mode
 *   #PF: error_code(0x0002) - not-present page
 *   PGD 1a8b067 P4D 1a8b067 PUD 1a8c067 PMD 1a8d067 PTE 0
 *   Oops: 0002 [#1] PREEMPT SMP NOPTI
 *   CPU: 0 UID: 0 PID: 0 Comm: linmm Not tainted 6.18.0-linmm #1
 *   RIP: 0010:overrun+0x1a/0x30
 *   Modules linked in:
 *   CR2: ffffc90000005000
 *   ---[ end trace 0000000000000000 ]---
 *
 * The error code is the kernel's: write/fetch from the host's, "present"
 * (permissions violation) from init_mm's PTE for the address, never the
 * user bit (the simulated access is the kernel's).  Under
 * linmm_oops_catch() the faulting function is abandoned and the caller
 * gets -EFAULT; otherwise the process dies of the signal, as the kernel
 * kills the task.  Taints the machine with D (TAINT_DIE).
 *
 * Locks: an uncaught fault is reported in signal context through printk
 * (which takes its lock and allocates): a fault inside printk or malloc
 * would deadlock there; the process is about to die anyway.  Caught faults
 * are reported in normal context.
 */
#include <stdio.h>

#include <linmm/pgtable.h>
#include <linmm/printk.h>
#include <linmm/smp.h>

#include "arch/arch.h"
#include "kernel/host.h"
#include "kernel/machine.h"
#include "mm/internal.h"

#define X86_PF_PROT	0x01
#define X86_PF_WRITE	0x02
#define X86_PF_INSTR	0x10

static _Atomic int die_counter;

/* The entries on the way to @kva, in the arch's dump format (dump_pagetable). */
static void dump_pagetable(u64 kva)
{
	static const char *const names[PGT_NR_LEVELS] = { "PGD", "P4D", "PUD", "PMD", "PTE" };
	const bool wide = pgtable_fmt->entry_size == 8;
	void *e;

	if (!init_mm.pgd)
		return;
	e = pgd_offset_k(kva);
	for (int lvl = PGT_PGD; lvl <= PGT_PTE; lvl++) {
		u64 v;

		if (lvl != PGT_PGD && pgtable_fmt->folded[lvl] && linmm_arch->bits != 64)
			continue;	/* 32-bit dumps show only real levels */
		if (lvl != PGT_PGD)
			e = pgtable_offset(lvl, e, kva);
		v = pgtable_entry_read(e);
		if (linmm_arch->bits == 64)
			printk(lvl == PGT_PGD ? KERN_INFO "%s %llx" : KERN_CONT " %s %llx", names[lvl],
			       (unsigned long long)v);
		else if (lvl == PGT_PGD && pgtable_fmt->levels == 3)
			printk(KERN_INFO "*pdpt = %016llx", (unsigned long long)v);
		else
			printk(lvl == PGT_PGD ? KERN_INFO "*%s = %0*llx" : KERN_CONT " *%s = %0*llx",
			       lvl == PGT_PTE ? "pte" : "pde", wide ? 16 : 8, (unsigned long long)v);
		if (lvl == PGT_PTE || ((linmm_arch->bits != 64 || pgtable_level_checks(lvl)) &&
					(!(v & _PAGE_PRESENT) || (v & _PAGE_PSE))))
			break;
	}
	pr_cont(" \n");
}

static void page_fault_oops(u64 kva, unsigned long error_code, unsigned long ip)
{
	const int w = linmm_arch->bits == 64 ? 16 : 8;
	char sym[256];

	if (kva < PAGE_SIZE)
		printk(KERN_ALERT "BUG: kernel NULL pointer dereference, address: %0*llx\n", w,
		       (unsigned long long)kva);
	else
		printk(KERN_ALERT "BUG: unable to handle page fault for address: %0*llx\n", w,
		       (unsigned long long)kva);
	printk(KERN_ALERT "#PF: supervisor %s in kernel mode\n",
	       error_code & X86_PF_INSTR ? "instruction fetch" :
	       error_code & X86_PF_WRITE ? "write access" : "read access");
	printk(KERN_ALERT "#PF: error_code(0x%04lx) - %s\n", error_code,
	       error_code & X86_PF_PROT ? "permissions violation" : "not-present page");
	dump_pagetable(kva);
	printk(KERN_WARNING "Oops: %04lx [#%d] PREEMPT SMP NOPTI\n", error_code & 0xffff,
	       atomic_fetch_add(&die_counter, 1) + 1);
	printk(KERN_WARNING "CPU: %d UID: 0 PID: 0 Comm: linmm %s 6.18.0-linmm #1\n",
	       smp_processor_id(), print_tainted());
	linmm_host_symbolize(ip, sym, sizeof(sym));
	printk(KERN_WARNING "RIP: %04x:%s\n", linmm_arch->bits == 64 ? 0x10 : 0x60, sym);
	printk(KERN_WARNING "Modules linked in:\n");
	printk(KERN_WARNING "CR2: %0*llx\n", w, (unsigned long long)kva);
	printk(KERN_WARNING "---[ end trace %016llx ]---\n", 0ULL);
	add_taint(TAINT_DIE);
}

/* The host seam's question (async-signal-safe): is this fault the simulated kernel's? */
static bool x86_fault_is_ours(const struct linmm_host_fault *f)
{
	return host_to_kva(f->addr) != 0;
}

/* The kernel's error code of a fault at @kva: write/fetch from the host, present from init_mm. */
static unsigned long x86_error_code(const struct linmm_host_fault *f, u64 kva)
{
	unsigned long error_code = 0;

	if (f->write)
		error_code |= X86_PF_WRITE;
	if (f->instr)
		error_code |= X86_PF_INSTR;
	if (kernel_walk_entry(kva, NULL))
		error_code |= X86_PF_PROT;
	return error_code;
}

static void x86_fault_report(const struct linmm_host_fault *f)
{
	u64 kva = host_to_kva(f->addr);

	page_fault_oops(kva, x86_error_code(f, kva), f->ip);
}

/**
 * x86_fault_init - route host faults in linmm's windows to the oops report
 *
 * The oops counter ("[#1]") starts again with every boot.
 * Context: boot (vmalloc_init() calls it, after sanitizers set up theirs).
 */
void x86_fault_init(void)
{
	atomic_store(&die_counter, 0);
	linmm_host_set_fault_handler(x86_fault_is_ours, x86_fault_report);
}

/**
 * linmm_oops_catch - run @fn(@arg), surviving a kernel page fault
 * @fn: the code that may touch a guard page or an unmapped kernel address
 * @arg: its argument
 *
 * The oops is printed after @fn has been abandoned, outside signal context.
 *
 * Context: a booted machine; @fn must not hold linmm locks where it may
 * fault (they stay held: the kernel would have killed the task).
 * Return: 0 if @fn returned, -EFAULT if it faulted in a linmm window (the
 * oops is in dmesg).
 */
int linmm_oops_catch(void (*fn)(void *), void *arg)
{
	struct linmm_host_fault info;
	int ret;

	linmm_host_set_fault_handler(x86_fault_is_ours, x86_fault_report);
	ret = linmm_host_fault_catch(fn, arg, &info);
	if (ret)
		x86_fault_report(&info);
	return ret;
}

/*
 * ---- faults of the simulated CPU on user addresses (do_user_addr_fault) ----
 *
 * The software MMU (arch/x86/mmu.c) raises #PF here with the hardware error
 * code.  A user address goes through the VMA checks and handle_mm_fault();
 * an address at or above TASK_SIZE_MAX is a bad area at once, one just
 * below a VM_GROWSDOWN VMA grows the stack (expand_downwards, mm/mmap.c).  A bad
 * user-mode access prints the kernel's show_signal_msg() line and forces
 * the signal (the task dies: it has no handlers):
 *
 *   a.out[2]: segfault at 0 ip 0000000000000000 sp 0000000000000000 error 6 likely on CPU 0 (core 0, socket 0)
 *   Code: Unable to access opcode bytes at 0xffffffffffffffd6.
 *
 * (" in FILE[start+len]" appears only for an ip inside a file mapping;
 * ip is the fetched address for an instruction fetch, 0 otherwise, and
 * sp is 0: a simulated task has no registers.)  A kernel-mode fault
 * (uaccess) that cannot be resolved takes the exception-table fixup:
 * -EFAULT, no signal.  access_error() is the kernel's: a write needs
 * VM_WRITE, a read of a present page that faulted (PROT) is an error, a
 * read needs an accessible VMA; an instruction fetch is not checked
 * against VM_EXEC until the page is present, so a fetch from a readable
 * non-executable page maps it first and then faults with error 15
 * (user, instruction, protection), as on Linux.
 */
#include <linmm/memory.h>
#include <linmm/mmap.h>
#include <linmm/sched.h>

#include "arch/x86/mmu.h"

#define X86_TRAP_GP	13
#define X86_TRAP_PF	14
#define OPCODE_PROLOGUE	42	/* show_opcodes(): bytes shown before ip */
#define SI_KERNEL_CODE	0x80

int show_unhandled_signals = 1;	/* debug.exception-trace */

static unsigned long arch_ulong(unsigned long v)
{
	return linmm_arch->bits == 64 ? v : v & 0xffffffffUL;
}

/* force_sig_fault(): a fatal signal (no handler) kills the task. */
static void force_sig_fault(struct task_struct *tsk, int sig, int code, unsigned long addr)
{
	tsk->last_siginfo.signo = sig;
	tsk->last_siginfo.code = code;
	tsk->last_siginfo.addr = addr;
	tsk->exit_signal_nr = sig;
}

static void show_signal_msg(struct task_struct *tsk, struct pt_regs *regs,
			    unsigned long error_code, unsigned long address)
{
	const int w = linmm_arch->bits == 64 ? 16 : 8;
	int cpu = smp_processor_id();
	char line[256], code[96];

	if (!show_unhandled_signals)
		return;
	/* print_vma_addr()'s " in FILE[start+len]" for an ip in a file mapping is not added (a gap). */
	snprintf(line, sizeof(line),
		 "%s[%d]: segfault at %lx ip %0*lx sp %0*lx error %lx likely on CPU %d (core %d, socket %d)\n",
		 tsk->comm, tsk->pid, arch_ulong(address), w, arch_ulong(regs->ip), w,
		 arch_ulong(regs->sp), error_code, cpu, cpu, cpu_to_node(cpu));
	/* show_opcodes(): there are no instruction bytes to show. */
	snprintf(code, sizeof(code), "Code: Unable to access opcode bytes at 0x%lx.\n",
		 arch_ulong(regs->ip - OPCODE_PROLOGUE));
	/* Init's (pid 1) unhandled signal is an emergency. */
	if (tsk->pid > 1) {
		printk(KERN_INFO "%s", line);
		printk(KERN_INFO "%s", code);
	} else {
		printk(KERN_EMERG "%s", line);
		printk(KERN_EMERG "%s", code);
	}
}

static int __bad_area_nosemaphore(struct task_struct *tsk, struct pt_regs *regs,
				  unsigned long error_code, unsigned long address, int si_code)
{
	if (!(error_code & X86_PF_USER))
		return -EFAULT;		/* kernelmode_fixup_or_oops(): uaccess fixup */
	/* sanitize_error_code(): do not tell whether a kernel address is mapped. */
	if (address >= TASK_SIZE_MAX || address >= user_addr_max())
		error_code |= X86_PF_PROT;
	show_signal_msg(tsk, regs, error_code, address);
	/* set_signal_archinfo() */
	tsk->thread.cr2 = address;
	tsk->thread.trap_nr = X86_TRAP_PF;
	tsk->thread.error_code = error_code;
	force_sig_fault(tsk, LINMM_SIGSEGV, si_code, address);
	return -EFAULT;
}

static int access_error(unsigned long error_code, struct vm_area_struct *vma)
{
	if (error_code & X86_PF_WRITE)
		return !(vma->vm_flags & VM_WRITE);
	if (error_code & X86_PF_PROT)
		return 1;
	return !(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC));
}

static int do_user_addr_fault(struct task_struct *tsk, struct pt_regs *regs,
			      unsigned long error_code, unsigned long address)
{
	struct mm_struct *mm = tsk->mm;
	unsigned int flags = FAULT_FLAG_DEFAULT;
	struct vm_area_struct *vma;
	vm_fault_t fault;

	if (error_code & X86_PF_USER)
		flags |= FAULT_FLAG_USER;
	if (error_code & X86_PF_WRITE)
		flags |= FAULT_FLAG_WRITE;
	if (error_code & X86_PF_INSTR)
		flags |= FAULT_FLAG_INSTRUCTION;
	mmap_read_lock(mm);
	vma = find_vma(mm, address);
	if (vma && vma->vm_start > address && (vma->vm_flags & VM_GROWSDOWN)) {
		/* lock_mm_and_find_vma(): the stack grows under the write lock. */
		int err;

		mmap_read_unlock(mm);
		mmap_write_lock(mm);
		vma = find_vma(mm, address);
		err = vma && vma->vm_start > address ? expand_downwards(vma, address) : 0;
		mmap_write_unlock(mm);
		mmap_read_lock(mm);
		vma = err ? NULL : find_vma(mm, address);
	}
	if (!vma || vma->vm_start > address) {
		mmap_read_unlock(mm);
		return __bad_area_nosemaphore(tsk, regs, error_code, address, LINMM_SEGV_MAPERR);
	}
	if (access_error(error_code, vma)) {
		mmap_read_unlock(mm);
		return __bad_area_nosemaphore(tsk, regs, error_code, address, LINMM_SEGV_ACCERR);
	}
	/*
	 * A fault that read from its file let go of the lock for the I/O
	 * and asks to be run again (VM_FAULT_RETRY).  The kernel's first
	 * attempt runs under the VMA lock and marks the retry
	 * FAULT_FLAG_TRIED only if it was major; retries under mmap_lock
	 * are always TRIED.  linmm keeps the lock (its I/O is synchronous),
	 * so the VMA found is still the VMA.
	 */
	fault = handle_mm_fault(vma, address, flags, regs);
	if (fault & VM_FAULT_RETRY) {
		if (fault & VM_FAULT_MAJOR)
			flags |= FAULT_FLAG_TRIED;
		do {
			fault = handle_mm_fault(vma, address, flags, regs);
			flags |= FAULT_FLAG_TRIED;
		} while (fault & VM_FAULT_RETRY);
	}
	mmap_read_unlock(mm);
	if (!(fault & VM_FAULT_ERROR))
		return 0;
	/* mm_fault_error() */
	if (!(error_code & X86_PF_USER))
		return -EFAULT;
	if (fault & VM_FAULT_OOM) {
		/* pagefault_out_of_memory(): no OOM killer yet, the faulting task dies. */
		force_sig_fault(tsk, LINMM_SIGKILL, 0, address);
		return -EFAULT;
	}
	if (fault & (VM_FAULT_SIGBUS | VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE)) {
		/* do_sigbus(): no message. */
		tsk->thread.cr2 = address;
		tsk->thread.trap_nr = X86_TRAP_PF;
		tsk->thread.error_code = error_code;
		force_sig_fault(tsk, LINMM_SIGBUS, LINMM_BUS_ADRERR, address);
		return -EFAULT;
	}
	return __bad_area_nosemaphore(tsk, regs, error_code, address, LINMM_SEGV_MAPERR);
}

int exc_page_fault(struct task_struct *tsk, struct pt_regs *regs, unsigned long error_code,
		   unsigned long address)
{
	/* fault_in_kernel_space(): never a VMA, never a kernel crash from user mode. */
	if (address >= user_addr_max())
		return __bad_area_nosemaphore(tsk, regs, error_code, address, LINMM_SEGV_MAPERR);
	return do_user_addr_fault(tsk, regs, error_code, address);
}

int exc_general_protection(struct task_struct *tsk, struct pt_regs *regs, unsigned int mode)
{
	if (!(mode & LINMM_MMU_USER))
		return -EFAULT;
	/* gp_user_force_sig_segv() / show_signal() */
	if (show_unhandled_signals && tsk->pid > 1)
		printk(KERN_INFO "traps: %s[%d] general protection fault ip:%lx sp:%lx error:0\n",
		       tsk->comm, tsk->pid, regs->ip, regs->sp);
	else if (show_unhandled_signals)
		printk(KERN_EMERG "traps: %s[%d] general protection fault ip:%lx sp:%lx error:0\n",
		       tsk->comm, tsk->pid, regs->ip, regs->sp);
	tsk->thread.trap_nr = X86_TRAP_GP;
	tsk->thread.error_code = 0;
	force_sig_fault(tsk, LINMM_SIGSEGV, SI_KERNEL_CODE, 0);
	return -EFAULT;
}
