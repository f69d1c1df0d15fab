/* SPDX-License-Identifier: MIT */
/*
 * fdtable.h - a task's open files (include/linux/fdtable.h, fs/file.c).
 *
 *   task->files -> files_struct { fdt -> fdtable { max_fds, fd[] , open_fds } }
 *
 * The table starts with NR_OPEN_DEFAULT (64) slots and doubles when a
 * descriptor beyond it is needed, up to RLIMIT_NOFILE (1024, EMFILE
 * beyond); alloc_fd() hands out the lowest free number, as POSIX wants.
 *
 * Locks: files->file_lock protects the table.  It is never held across
 * file operations: fget() takes a reference first.
 */
#ifndef LINMM_FDTABLE_H
#define LINMM_FDTABLE_H

#include <linmm/spinlock.h>
#include <linmm/types.h>

#define NR_OPEN_DEFAULT 64

struct file;

struct fdtable {
	unsigned int max_fds;
	struct file **fd;
};

struct files_struct {
	spinlock_t file_lock;
	struct fdtable fdtab;
	unsigned int next_fd;	/* lowest possibly free descriptor */
};

#endif /* LINMM_FDTABLE_H */
