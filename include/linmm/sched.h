/* SPDX-License-Identifier: MIT */
/*
 * sched.h - simulated processes (include/linux/sched.h, kernel/fork.c,
 * kernel/exit.c).
 *
 * A task is a pid, a name, an address space and the CPU it last ran on.
 * linmm_spawn() creates one with an empty mm (linmm_execve() in binfmts.h
 * gives it a program's layout; a fresh
 * mm has no VMAs, mmap_base at TASK_SIZE minus the 128 MiB minimum stack
 * gap and the program break at ELF_ET_DYN_BASE, as an unrandomised x86_64
 * process has them); linmm_task_exit() tears the
 * mm down (exit_mmap) and frees the task.  Tasks are on one list in pid
 * order (for_each_process) under tasklist_lock; pids count up from 1 at
 * each boot.
 */
#ifndef LINMM_SCHED_H
#define LINMM_SCHED_H

#include <linmm/list.h>
#include <linmm/mm_types.h>
#include <linmm/types.h>

#define TASK_COMM_LEN 16

struct files_struct;

struct task_struct {
	int pid;
	char comm[TASK_COMM_LEN];
	struct mm_struct *mm;
	short oom_score_adj;
	int cpu;
	struct list_head tasks;		/* on the task list, by pid */
	/*
	 * Faults and signals (mm/memory.c mm_account_fault, arch/x86/fault.c).
	 * @min_flt/@maj_flt: faults resolved without / with I/O (getrusage)
	 * @thread: cr2, trap number and error code of the last fault signal
	 *	(set_signal_archinfo)
	 * @last_siginfo: the last signal forced on the task (force_sig_fault)
	 * @exit_signal_nr: the fatal signal that killed it, 0 while it lives;
	 *	a killed task keeps its mm until `exit` reaps it
	 */
	unsigned long min_flt, maj_flt;
	struct {
		unsigned long cr2, trap_nr, error_code;
	} thread;
	struct {
		int signo, code;	/* si_signo, si_code (host <signal.h> macros clash) */
		unsigned long addr;	/* si_addr */
	} last_siginfo;
	int exit_signal_nr;
	/*
	 * Exec (fs/exec.c): @flags holds PF_RANDOMIZE when the layout of
	 * the last exec was randomised (kernel.randomize_va_space != 0).
	 */
	unsigned int flags;
	/*
	 * Credentials and limits (the kernel's cred->cap_effective and
	 * signal->rlim[RLIMIT_MEMLOCK].rlim_cur; mm/mlock.c reads them).
	 * @cap_effective: CAP_* bits; none at spawn (an unprivileged process)
	 * @rlim_memlock: RLIMIT_MEMLOCK in bytes; MLOCK_LIMIT at spawn,
	 *	RLIM_INFINITY for no limit
	 */
	u64 cap_effective;
	unsigned long rlim_memlock;
	/*
	 * Open files (fs/file.c): the descriptor table, allocated at the
	 * task's first open() and closed by exit_files() at exit.
	 */
	struct files_struct *files;
};

#define PF_RANDOMIZE	0x00400000	/* randomise the virtual address space */

/* Capabilities (include/uapi/linux/capability.h); only what linmm checks. */
#define CAP_IPC_LOCK	14	/* mlock beyond RLIMIT_MEMLOCK */
#define CAP_IPC_OWNER	15	/* SysV IPC: pass every permission check */
#define CAP_SYS_ADMIN	21	/* SysV IPC: IPC_SET/IPC_RMID of another's object */
/* RLIMIT_MEMLOCK at spawn (include/uapi/linux/resource.h, 8 MiB since 5.16). */
#define MLOCK_LIMIT	(8UL * 1024 * 1024)
#ifndef RLIM_INFINITY
#define RLIM_INFINITY	(~0UL)
#endif

/* has_capability - does @t hold @cap in its effective set (kernel/capability.c)? */
static inline bool has_capability(const struct task_struct *t, int cap)
{
	return t->cap_effective & (1ULL << cap);
}

/**
 * linmm_spawn - create a task with an empty address space.
 * @comm: its name (truncated to TASK_COMM_LEN - 1 characters)
 *
 * Context: a booted machine; allocates from the "task_struct" and
 * "mm_struct" slab caches.
 * Return: the task, or NULL (out of memory, or no machine: see linmm_error()).
 */
struct task_struct *linmm_spawn(const char *comm);

/**
 * linmm_task_exit - end @tsk: unmap its address space and free it.
 * @tsk: a task from linmm_spawn()
 *
 * Context: no locks held; @tsk must not be used afterwards.
 */
void linmm_task_exit(struct task_struct *tsk);

/**
 * linmm_fork - fork(2): a new task with a copy of @parent's address space.
 * @parent: the forking task
 *
 * The child gets the next pid, the parent's name, rights and limits, and a
 * copy of its mm (dup_mmap): private memory is shared copy-on-write, the
 * PTEs of both sides write-protected; VM_DONTCOPY mappings are left out,
 * VM_WIPEONFORK ones come back empty, VM_LOCKED is not inherited.
 * Context: no locks held; takes both mmap_locks.
 * Return: the child, or NULL (out of memory, or refused by the strict
 * overcommit policy: the kernel's -ENOMEM; see linmm_error()).
 */
struct task_struct *linmm_fork(struct task_struct *parent);

/* find_task_by_vpid - the task with @pid, or NULL. */
struct task_struct *find_task_by_vpid(int pid);

/*
 * next_tgid - the task with the lowest pid >= @tgid, or NULL (fs/proc/base.c
 * walks /proc this way): for (t = next_tgid(1); t; t = next_tgid(t->pid + 1)).
 * Context: takes tasklist_lock; the task may exit once it is dropped.
 */
struct task_struct *next_tgid(int tgid);

/* exit_all_tasks - end every task (machine shutdown). */
void exit_all_tasks(void);

/*
 * get_current - the task the calling thread's CPU is running on behalf of
 * (the kernel's `current`), NULL outside a task's access or system call;
 * set_current() sets it (arch/x86/mmu.c: the CPU running a task).
 */
struct task_struct *get_current(void);
void set_current(struct task_struct *tsk);

/*
 * Signals of the fault path: the values of include/uapi/asm-generic/signal.h
 * and siginfo.h (LINMM_-prefixed: the host's <signal.h> defines the names).
 */
#define LINMM_SIGBUS	7
#define LINMM_SIGKILL	9
#define LINMM_SIGSEGV	11
#define LINMM_SEGV_MAPERR 1	/* address not mapped to object */
#define LINMM_SEGV_ACCERR 2	/* invalid permissions for mapped object */
#define LINMM_BUS_ADRERR 2	/* non-existent physical address */

#endif /* LINMM_SCHED_H */
