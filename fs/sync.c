// SPDX-License-Identifier: MIT
/*
 * sync.c - fsync(2) and sync(2) (fs/sync.c).
 *
 * fsync writes the file's dirty pages (WB_SYNC_ALL: pages already under
 * writeback are waited for and written again if redirtied) and waits for
 * the disk, which advances the simulated clock by the outstanding I/O;
 * it returns a writeback error recorded in the mapping (EIO, ENOSPC) once
 * (generic_file_fsync, linmmfs's file_operations->fsync; tmpfs has
 * noop_fsync: its pages live in memory only).
 * sync starts writeback of everything (the flusher's "start all" work),
 * then writes and waits for every dirty inode (sync_inodes_sb()).
 *
 * Locks: none of its own.
 */
#include <errno.h>

#include <linmm/pagemap.h>
#include <linmm/sched.h>

#include "fs/internal.h"

int linmm_fsync(struct task_struct *tsk, int fd)
{
	struct file *file;
	int err;

	fs_syscall_enter();
	file = fget(tsk, fd);
	if (!file)
		return -EBADF;
	err = file->f_op && file->f_op->fsync ? file->f_op->fsync(file) : -EINVAL;
	fput(file);
	return err;
}

int generic_file_fsync(struct file *file)
{
	return filemap_write_and_wait(file->f_mapping);
}

int noop_fsync(struct file *file)
{
	(void)file;
	return 0;
}

void linmm_sync(void)
{
	if (!current_sb())
		return;		/* nothing was ever written */
	fs_syscall_enter();
	wakeup_flusher_threads(WB_REASON_SYNC);
	sync_inodes_sb();
}
