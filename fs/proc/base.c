// SPDX-License-Identifier: MIT
/*
 * base.c - the files of /proc/<pid>/ (fs/proc/base.c's tgid_base_stuff).
 *
 * "/proc/<pid>/<file>" is looked up in pid_files[]: the pid must be a
 * decimal number without leading zeros naming a live task, the file one
 * of the table's names.  The CLI also accepts a task's script name in
 * place of the pid; it translates the name before calling
 * linmm_proc_read().
 *
 * Locks: tasklist_lock while the task is looked up (find_task_by_vpid());
 * each renderer takes what it needs (the mm's mmap_lock).  A task must not
 * exit while one of its files is read (tasks have no reference counts yet).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/sched.h>
#include <linmm/seq_file.h>

#include "fs/proc/internal.h"
#include "mm/internal.h"

static void pid_maps(struct seq_file *m, struct task_struct *tsk)
{
	show_maps(m, tsk->mm);
}

static void pid_smaps(struct seq_file *m, struct task_struct *tsk)
{
	show_smaps(m, tsk->mm);
}

static void pid_smaps_rollup(struct seq_file *m, struct task_struct *tsk)
{
	show_smaps_rollup(m, tsk->mm);
}

static const struct {
	const char *name;
	void (*show)(struct seq_file *m, struct task_struct *tsk);
} pid_files[] = {
	{ "maps", pid_maps },
	{ "smaps", pid_smaps },
	{ "smaps_rollup", pid_smaps_rollup },
	{ "statm", proc_pid_statm },
	{ "status", proc_pid_status },
};

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
	for (size_t i = 0; i < ARRAY_SIZE(pid_files); i++) {
		if (!strcmp(end + 1, pid_files[i].name)) {
			pid_files[i].show(m, tsk);
			return 0;
		}
	}
	return -ENOENT;
}
