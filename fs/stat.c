// SPDX-License-Identifier: MIT
/*
 * stat.c - fstat(2) (fs/stat.c): the inode's number, mode, link count,
 * size and 512-byte blocks.  Locks: none (a racy snapshot, as in the kernel).
 */
#include <errno.h>

#include <linmm/sched.h>

#include "fs/internal.h"

int linmm_fstat(struct task_struct *tsk, int fd, struct linmm_stat *st)
{
	struct file *file = fget(tsk, fd);
	struct inode *inode;

	if (!file)
		return -EBADF;
	inode = file->f_inode;
	st->st_ino = inode->i_ino;
	st->st_mode = inode->i_mode;
	st->st_nlink = inode->i_nlink;
	st->st_size = i_size_read(inode);
	st->st_blocks = inode->i_blocks;
	fput(file);
	return 0;
}
