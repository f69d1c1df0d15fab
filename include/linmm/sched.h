/* SPDX-License-Identifier: MIT */
/*
 * sched.h - simulated processes (include/linux/sched.h, kernel/fork.c,
 * kernel/exit.c).
 *
 * A task is a pid, a name, an address space and the CPU it last ran on.
 * linmm_spawn() creates one with an empty mm (no ELF image yet: a fresh
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

struct task_struct {
	int pid;
	char comm[TASK_COMM_LEN];
	struct mm_struct *mm;
	short oom_score_adj;
	int cpu;
	struct list_head tasks;		/* on the task list, by pid */
};

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

/* find_task_by_vpid - the task with @pid, or NULL. */
struct task_struct *find_task_by_vpid(int pid);

/* exit_all_tasks - end every task (machine shutdown). */
void exit_all_tasks(void);

#endif /* LINMM_SCHED_H */
