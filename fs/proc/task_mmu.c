// SPDX-License-Identifier: MIT
/*
 * task_mmu.c - /proc/PID/maps (fs/proc/task_mmu.c show_map_vma).
 *
 * One line per VMA in address order:
 *
 *   start-end perms offset major:minor inode [padding name]
 *
 * start and end in at least 8 lowercase hex digits; perms r/w/x and 's'
 * (VM_MAYSHARE) or 'p'; offset = vm_pgoff << PAGE_SHIFT in at least 8 hex
 * digits for a file mapping, 0 for anonymous memory; the device as
 * %02x:%02x and the inode in decimal, both 0 for anonymous memory; then
 * a space.  A named mapping pads the line with spaces to column 72 on
 * 64-bit (25 + 6 * sizeof(void *) - 1), adds one more space and prints
 * its name: "/dev/zero (deleted)" for shared anonymous memory (its shmem
 * file, on device 00:01), "[heap]" for a VMA overlapping start_brk..brk,
 * "[stack]" for the one holding start_stack.  An unnamed line ends in the
 * space after the inode, as in the kernel.
 *
 * Locks: takes the task's mmap_lock for reading.  A task must not exit
 * while its maps are read (tasks have no reference counts yet).
 */
#include <stdlib.h>
#include <string.h>

#include <linmm/mmap.h>
#include <linmm/sched.h>
#include <linmm/seq_file.h>

#include "fs/proc/internal.h"
#include "mm/internal.h"

#define MAPS_NAME_COLUMN (25 + 6 * (int)sizeof(void *) - 1)
#define SHMEM_DEV_MINOR 1

static const char *vma_name(const struct vm_area_struct *vma)
{
	const struct mm_struct *mm = vma->vm_mm;

	if (vma->vm_shmem_ino)
		return "/dev/zero (deleted)";
	if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk && mm->brk)
		return "[heap]";
	if (vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack && mm->start_stack)
		return "[stack]";
	return NULL;
}

static void show_map_vma(struct seq_file *m, const struct vm_area_struct *vma)
{
	vm_flags_t flags = vma->vm_flags;
	unsigned long long pgoff = 0;
	unsigned long ino = 0;
	int minor = 0;
	const char *name = vma_name(vma);
	size_t line_start = m->count;

	if (vma->vm_shmem_ino) {
		pgoff = (unsigned long long)vma->vm_pgoff << PAGE_SHIFT;
		ino = vma->vm_shmem_ino;
		minor = SHMEM_DEV_MINOR;
	}
	seq_printf(m, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ", vma->vm_start, vma->vm_end,
		   flags & VM_READ ? 'r' : '-', flags & VM_WRITE ? 'w' : '-',
		   flags & VM_EXEC ? 'x' : '-', flags & VM_MAYSHARE ? 's' : 'p', pgoff, 0, minor,
		   ino);
	if (name) {
		int used = (int)(m->count - line_start);

		/* seq_pad(): spaces up to the column, then one more, then the name. */
		seq_printf(m, "%*s %s", used < MAPS_NAME_COLUMN ? MAPS_NAME_COLUMN - used : 0, "",
			   name);
	}
	seq_putc(m, '\n');
}

void show_maps(struct seq_file *m, struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	for_each_vma(mm, vma)
		show_map_vma(m, vma);
	mmap_read_unlock(mm);
}

int proc_pid_show(struct seq_file *m, const char *pid_path)
{
	struct task_struct *tsk;
	char *end;
	long pid = strtol(pid_path, &end, 10);

	if (end == pid_path || *pid_path == '0' || *end != '/' || pid <= 0 || pid > INT32_MAX)
		return -ENOENT;
	tsk = find_task_by_vpid((int)pid);
	if (!tsk)
		return -ENOENT;
	if (!strcmp(end + 1, "maps")) {
		show_maps(m, tsk->mm);
		return 0;
	}
	return -ENOENT;
}
