// SPDX-License-Identifier: MIT
/*
 * fork.c - creating and ending simulated tasks (kernel/fork.c, kernel/exit.c,
 * kernel/pid.c).
 *
 * A task owns one mm (mm_alloc() in mm/mmap.c); ending it unmaps every
 * VMA and frees the mm (mmput).  Tasks live on task_list in pid order;
 * pids count up from 1 from each boot and are not reused.  The
 * "task_struct" slab cache is created with the first task after a boot.
 *
 * Locks: tasklist_lock protects task_list and next_pid.  It is never held
 * while an mm is torn down (mmput takes mmap_lock).
 */
#include <stdio.h>
#include <string.h>

#include <linmm/sched.h>
#include <linmm/slab.h>
#include <linmm/smp.h>

#include "kernel/machine.h"
#include "mm/internal.h"

static LIST_HEAD(task_list);
static spinlock_t tasklist_lock = __SPIN_LOCK_UNLOCKED;
static int next_pid = 1;
static struct kmem_cache *task_struct_cachep;

struct task_struct *linmm_spawn(const char *comm)
{
	struct task_struct *tsk;

	if (!linmm_booted) {
		linmm_set_error("no machine is booted");
		return NULL;
	}
	if (!task_struct_cachep) {
		/* Unmerged, as the kernel's (its usercopy region prevents merging). */
		task_struct_cachep = kmem_cache_create("task_struct", sizeof(struct task_struct),
						       0, SLAB_NO_MERGE | SLAB_ACCOUNT, NULL);
		if (!task_struct_cachep)
			goto out_nomem;
	}
	tsk = kmem_cache_alloc(task_struct_cachep, GFP_KERNEL);
	if (!tsk)
		goto out_nomem;
	memset(tsk, 0, sizeof(*tsk));
	tsk->rlim_memlock = MLOCK_LIMIT;	/* no capabilities: unprivileged */
	tsk->mm = mm_alloc();
	if (!tsk->mm)
		goto out_free_task;
	tsk->mm->owner = tsk;
	snprintf(tsk->comm, sizeof(tsk->comm), "%s", comm ? comm : "");
	tsk->cpu = smp_processor_id();
	spin_lock(&tasklist_lock);
	tsk->pid = next_pid++;
	list_add_tail(&tsk->tasks, &task_list);
	spin_unlock(&tasklist_lock);
	return tsk;

out_free_task:
	kmem_cache_free(task_struct_cachep, tsk);
out_nomem:
	linmm_set_error("out of memory creating a task");
	return NULL;
}

void linmm_task_exit(struct task_struct *tsk)
{
	spin_lock(&tasklist_lock);
	list_del(&tsk->tasks);
	spin_unlock(&tasklist_lock);
	mmput(tsk->mm);
	kmem_cache_free(task_struct_cachep, tsk);
}

struct task_struct *find_task_by_vpid(int pid)
{
	struct task_struct *tsk, *found = NULL;

	spin_lock(&tasklist_lock);
	list_for_each_entry(tsk, &task_list, tasks) {
		if (tsk->pid == pid) {
			found = tsk;
			break;
		}
	}
	spin_unlock(&tasklist_lock);
	return found;
}

void exit_all_tasks(void)
{
	while (!list_empty(&task_list))
		linmm_task_exit(list_first_entry(&task_list, struct task_struct, tasks));
	if (task_struct_cachep)
		kmem_cache_destroy(task_struct_cachep);
	task_struct_cachep = NULL;
	next_pid = 1;
	memory_teardown();	/* TLBs, ASIDs, the anon_vma cache */
	mmap_teardown();
}
