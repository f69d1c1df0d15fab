// SPDX-License-Identifier: MIT
/*
 * fork.c - creating and ending simulated tasks (kernel/fork.c, kernel/exit.c,
 * kernel/pid.c).
 *
 * A task owns one mm (mm_alloc() in mm/mmap.c); ending it unmaps every
 * VMA and frees the mm (mmput).  linmm_fork() copies the parent's mm
 * (dup_mm/dup_mmap: VMAs copied, private pages shared copy-on-write).
 * Tasks live on task_list in pid order; pids count up from 1 from each
 * boot and are not reused.  The
 * "task_struct" slab cache is created with the first task after a boot.
 *
 * Locks: tasklist_lock protects task_list and next_pid.  It is never held
 * while an mm is torn down (mmput takes mmap_lock).  Fork takes the
 * parent's mmap_lock, then the child's (not yet visible to anyone).
 */
#include <stdio.h>
#include <string.h>

#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/rmap.h>
#include <linmm/fs.h>
#include <linmm/sched.h>
#include <linmm/slab.h>
#include <linmm/smp.h>
#include <linmm/tlbflush.h>

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

/* ---- fork: dup_mmap, dup_mm, copy_process ---- */

/*
 * dup_mmap - copy @oldmm's VMAs into the new @mm, in address order:
 * VM_DONTCOPY ones are skipped (and uncounted), VM_ACCOUNT ones charged
 * again (the strict overcommit mode may refuse: -ENOMEM), VM_LOCKED is not
 * inherited, each copy gets its own anon_vma, and unless VM_WIPEONFORK its
 * pages are shared copy-on-write (copy_page_range); the parent's TLB is
 * flushed at the end because its PTEs were write-protected.
 */
static int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm)
{
	struct vm_area_struct *mpnt, *tmp;
	int err = 0;

	mmap_write_lock(oldmm);
	mmap_write_lock(mm);
	mm->total_vm = oldmm->total_vm;
	mm->data_vm = oldmm->data_vm;
	mm->exec_vm = oldmm->exec_vm;
	mm->stack_vm = oldmm->stack_vm;
	for_each_vma(oldmm, mpnt) {
		long pages = (long)vma_pages(mpnt);

		if (mpnt->vm_flags & VM_DONTCOPY) {
			vm_stat_account(mm, mpnt->vm_flags, -pages);
			continue;
		}
		if ((mpnt->vm_flags & VM_ACCOUNT) && security_vm_enough_memory_mm(oldmm, pages)) {
			err = -ENOMEM;
			break;
		}
		tmp = vm_area_dup(mpnt);
		if (!tmp) {
			if (mpnt->vm_flags & VM_ACCOUNT)
				vm_unacct_memory(pages);
			err = -ENOMEM;
			break;
		}
		tmp->vm_mm = mm;
		tmp->vm_flags &= ~(VM_LOCKED | VM_LOCKONFAULT);
		if (mpnt->vm_flags & VM_WIPEONFORK)
			tmp->anon_vma = NULL;
		else if (anon_vma_fork(tmp, mpnt))
			err = -ENOMEM;
		vma_link(mm, tmp);
		if (!err && !(tmp->vm_flags & VM_WIPEONFORK))
			err = copy_page_range(tmp, mpnt);
		if (err)
			break;
	}
	flush_tlb_mm(oldmm);
	mmap_write_unlock(mm);
	mmap_write_unlock(oldmm);
	return err;
}

struct mm_struct *dup_mm(struct mm_struct *oldmm)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	/* What dup_mm()'s memcpy keeps: the layout of the parent's image. */
	mm->task_size = oldmm->task_size;
	mm->mmap_base = oldmm->mmap_base;
	mm->start_code = oldmm->start_code;
	mm->end_code = oldmm->end_code;
	mm->start_data = oldmm->start_data;
	mm->end_data = oldmm->end_data;
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	mm->def_flags = oldmm->def_flags & VM_NOHUGEPAGE;	/* VM_INIT_DEF_MASK */
	if (dup_mmap(mm, oldmm)) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

struct task_struct *linmm_fork(struct task_struct *parent)
{
	struct task_struct *tsk;

	if (!linmm_booted || !parent->mm) {
		linmm_set_error("fork: no machine, or the parent has no mm");
		return NULL;
	}
	tsk = kmem_cache_alloc(task_struct_cachep, GFP_KERNEL);
	if (!tsk)
		goto out_nomem;
	memset(tsk, 0, sizeof(*tsk));
	memcpy(tsk->comm, parent->comm, sizeof(tsk->comm));
	tsk->oom_score_adj = parent->oom_score_adj;
	tsk->flags = parent->flags;
	tsk->cap_effective = parent->cap_effective;
	tsk->rlim_memlock = parent->rlim_memlock;
	tsk->mm = dup_mm(parent->mm);
	if (!tsk->mm)
		goto out_free_task;
	tsk->mm->owner = tsk;
	/* copy_files(): the child's descriptors name the parent's open files (fs/file.c). */
	if (dup_fd(tsk, parent)) {
		mmput(tsk->mm);
		goto out_free_task;
	}
	tsk->cpu = smp_processor_id();
	spin_lock(&tasklist_lock);
	tsk->pid = next_pid++;
	list_add_tail(&tsk->tasks, &task_list);
	spin_unlock(&tasklist_lock);
	return tsk;

out_free_task:
	kmem_cache_free(task_struct_cachep, tsk);
out_nomem:
	linmm_set_error("fork: out of memory");
	return NULL;
}

void linmm_task_exit(struct task_struct *tsk)
{
	spin_lock(&tasklist_lock);
	list_del(&tsk->tasks);
	spin_unlock(&tasklist_lock);
	exit_files(tsk);	/* do_exit(): files before the mm */
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

struct task_struct *next_tgid(int tgid)
{
	struct task_struct *tsk, *found = NULL;

	spin_lock(&tasklist_lock);
	list_for_each_entry(tsk, &task_list, tasks) {
		if (tsk->pid >= tgid) {		/* task_list is in pid order */
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
