// SPDX-License-Identifier: MIT
/*
 * open.c - open(2), close(2) and ftruncate(2) (fs/open.c).
 *
 * open: getname(), do_filp_open() (fs/namei.c), then O_TRUNC of a regular
 * file truncates it to 0 (do_truncate(); even with O_RDONLY, as Linux
 * does when the caller may write), and the file
 * gets the lowest free descriptor.  close drops the descriptor's
 * reference; the file goes with its last reference.  ftruncate needs a
 * file open for writing (EINVAL otherwise, EBADF for a bad descriptor, as
 * Linux), and a length that is not negative (EINVAL).
 *
 * The size change is the file system's inode_operations->setattr.
 *
 * Locks: i_rwsem for the size change.
 */
#include <errno.h>

#include <linmm/sched.h>

#include "fs/internal.h"

struct file *do_filp_open(const char *path, int flags, unsigned int mode, int *err);

int do_truncate(struct inode *inode, loff_t length)
{
	int err;

	if (!inode->i_op || !inode->i_op->setattr)
		return -EINVAL;
	down_write(&inode->i_rwsem);
	err = inode->i_op->setattr(inode, length);	/* notify_change(ATTR_SIZE) */
	up_write(&inode->i_rwsem);
	return err;
}

int linmm_open(struct task_struct *tsk, const char *path, int flags, unsigned int mode)
{
	struct file *file;
	int err = getname(path), fd;

	if (err)
		return err;
	fs_syscall_enter();
	file = do_filp_open(path, flags, mode, &err);
	if (!file)
		return err;
	/* As Linux: O_TRUNC truncates even with O_RDONLY (write permission is enough). */
	if ((flags & O_TRUNC) && !S_ISDIR_LINMM(file->f_inode->i_mode)) {
		err = do_truncate(file->f_inode, 0);
		if (err) {
			fput(file);
			return err;
		}
	}
	fd = alloc_fd_install(tsk, file);
	if (fd < 0)
		fput(file);
	return fd;
}

int linmm_close(struct task_struct *tsk, int fd)
{
	struct file *file = close_fd(tsk, fd);

	fs_syscall_enter();
	if (!file)
		return -EBADF;
	fput(file);
	return 0;
}

int linmm_ftruncate(struct task_struct *tsk, int fd, loff_t length)
{
	struct file *file;
	int err;

	fs_syscall_enter();
	if (length < 0)
		return -EINVAL;
	file = fget(tsk, fd);
	if (!file)
		return -EBADF;
	if (!(file->f_mode & FMODE_WRITE) || S_ISDIR_LINMM(file->f_inode->i_mode))
		err = -EINVAL;
	else if (length > file->f_inode->i_sb->s_maxbytes)
		err = -EFBIG;
	else
		err = do_truncate(file->f_inode, length);
	fput(file);
	return err;
}
