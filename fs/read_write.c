// SPDX-License-Identifier: MIT
/*
 * read_write.c - read(2), write(2), pread64(2), pwrite64(2) and lseek(2)
 * (fs/read_write.c, mm/filemap.c's generic_file_write_iter()).
 *
 * Checks, in Linux's order: a bad descriptor, or one not open for reading
 * (writing), is EBADF; a directory is EISDIR for read; a negative pread/
 * pwrite position is EINVAL; counts are clamped to MAX_RW_COUNT
 * (INT_MAX & PAGE_MASK).  Writes take i_rwsem exclusive; with O_APPEND
 * every write, pwrite included (as Linux does), starts at i_size; a write
 * past s_maxbytes is EFBIG; O_SYNC writes the range back before returning
 * (generic_write_sync()).  lseek: SEEK_SET/SEEK_CUR/SEEK_END, EINVAL for a
 * negative or too large result or another whence (SEEK_DATA/SEEK_HOLE are
 * not modelled).
 *
 * The VFS checks the descriptor and clamps the count, then calls the
 * file's file_operations read_iter/write_iter: linmmfs's are the generic
 * ones below (the page cache with readahead and writeback), tmpfs's are
 * shmem_file_read_iter/shmem_file_write_iter (mm/shmem.c).
 *
 * Locks: i_rwsem (writes); f_pos is updated without f_pos_lock (linmm
 * runs one call per file at a time).
 */
#include <errno.h>
#include <limits.h>

#include <linmm/pagemap.h>
#include <linmm/sched.h>

#include "fs/internal.h"

#define MAX_RW_COUNT ((size_t)(INT_MAX & ~(PAGE_SIZE - 1)))

static long vfs_read(struct file *file, void *buf, size_t count, loff_t *pos)
{
	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	if (S_ISDIR_LINMM(file->f_inode->i_mode))
		return -EISDIR;
	if (!file->f_op || !file->f_op->read_iter)
		return -EINVAL;
	if (*pos < 0)
		return -EINVAL;
	return file->f_op->read_iter(file, pos, buf, min(count, MAX_RW_COUNT));
}

static long vfs_write(struct file *file, const void *buf, size_t count, loff_t *pos)
{
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!file->f_op || !file->f_op->write_iter)
		return -EINVAL;
	if (*pos < 0)
		return -EINVAL;
	count = min(count, MAX_RW_COUNT);
	if (!count)
		return 0;
	return file->f_op->write_iter(file, pos, buf, count);
}

int generic_write_checks(struct file *file, loff_t *pos, size_t *count)
{
	struct inode *inode = file->f_inode;

	if (file->f_flags & O_APPEND)
		*pos = i_size_read(inode);
	if (*pos >= inode->i_sb->s_maxbytes)
		return -EFBIG;
	*count = (size_t)min((loff_t)*count, inode->i_sb->s_maxbytes - *pos);
	return 0;
}

/* generic_file_read_iter(): through the page cache, with readahead (mm/filemap.c). */
long generic_file_read_iter(struct file *file, loff_t *pos, void *buf, size_t count)
{
	return filemap_read(file, pos, buf, count);
}

/* generic_file_write_iter(): checks, the cached write, O_SYNC's writeback. */
long generic_file_write_iter(struct file *file, loff_t *pos, const void *buf, size_t count)
{
	struct inode *inode = file->f_inode;
	long ret;

	down_write(&inode->i_rwsem);
	ret = generic_write_checks(file, pos, &count);
	if (!ret)
		ret = generic_perform_write(file, pos, buf, count);
	up_write(&inode->i_rwsem);
	if (ret > 0 && (file->f_flags & O_SYNC) == O_SYNC) {
		int err = filemap_write_and_wait(inode->i_mapping);	/* generic_write_sync() */

		if (err)
			ret = err;
	}
	return ret;
}

long linmm_read(struct task_struct *tsk, int fd, void *buf, size_t count)
{
	struct file *file;
	long ret;

	fs_syscall_enter();
	file = fget(tsk, fd);
	if (!file)
		return -EBADF;
	ret = vfs_read(file, buf, count, &file->f_pos);
	fput(file);
	return ret;
}

long linmm_write(struct task_struct *tsk, int fd, const void *buf, size_t count)
{
	struct file *file;
	long ret;

	fs_syscall_enter();
	file = fget(tsk, fd);
	if (!file)
		return -EBADF;
	ret = vfs_write(file, buf, count, &file->f_pos);
	fput(file);
	return ret;
}

long linmm_pread(struct task_struct *tsk, int fd, void *buf, size_t count, loff_t pos)
{
	struct file *file;
	long ret;

	fs_syscall_enter();
	file = fget(tsk, fd);
	if (!file)
		return -EBADF;
	ret = pos < 0 ? -EINVAL : vfs_read(file, buf, count, &pos);
	fput(file);
	return ret;
}

long linmm_pwrite(struct task_struct *tsk, int fd, const void *buf, size_t count, loff_t pos)
{
	struct file *file;
	long ret;

	fs_syscall_enter();
	file = fget(tsk, fd);
	if (!file)
		return -EBADF;
	ret = pos < 0 ? -EINVAL : vfs_write(file, buf, count, &pos);
	fput(file);
	return ret;
}

loff_t linmm_lseek(struct task_struct *tsk, int fd, loff_t offset, int whence)
{
	struct file *file;
	loff_t base, ret;

	fs_syscall_enter();
	file = fget(tsk, fd);
	if (!file)
		return -EBADF;
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = file->f_pos;
		break;
	case SEEK_END:
		base = i_size_read(file->f_inode);
		break;
	default:
		fput(file);
		return -EINVAL;
	}
	/* generic_file_llseek_size(): vfs_setpos() refuses <0 and > s_maxbytes. */
	if ((offset > 0 && base > file->f_inode->i_sb->s_maxbytes - offset) ||
	    base + offset < 0) {
		ret = -EINVAL;
	} else {
		file->f_pos = base + offset;
		ret = file->f_pos;
	}
	fput(file);
	return ret;
}
