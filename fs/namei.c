// SPDX-License-Identifier: MIT
/*
 * namei.c - path checks, open's lookup-or-create and unlink(2)
 * (fs/namei.c).
 *
 * getname(): "" is ENOENT, a path longer than PATH_MAX - 1 or with a
 * component longer than NAME_MAX is ENAMETOOLONG; linmm takes absolute
 * paths only (there is no working directory): a relative one is EINVAL.
 * do_filp_open() follows open(2)'s rules for O_CREAT and O_EXCL:
 *
 *   exists  O_CREAT  O_EXCL   result
 *   no      no       -        ENOENT
 *   no      yes      -        a new file
 *   yes     yes      yes      EEXIST
 *   yes     -        no       the file
 *
 * and a directory ("/") opened for writing is EISDIR.
 *
 * Locks: none of its own (the directory's are linmmfs's).
 */
#include <errno.h>
#include <string.h>

#include <linmm/sched.h>
#include <linmm/slab.h>

#include "fs/internal.h"

int getname(const char *path)
{
	size_t len, comp = 0;

	if (!path || !*path)
		return -ENOENT;
	len = strlen(path);
	if (len >= PATH_MAX_LINMM)
		return -ENAMETOOLONG;
	for (const char *c = path; *c; c++) {
		comp = *c == '/' ? 0 : comp + 1;
		if (comp > NAME_MAX_LINMM)
			return -ENAMETOOLONG;
	}
	if (*path != '/')
		return -EINVAL;
	return 0;
}

/**
 * do_filp_open - find or create @path for open(2) and open it.
 * @path: checked by getname()
 * @flags: open flags
 * @mode: permission bits for a new file
 * @err: the -errno when NULL is returned
 *
 * Context: no locks held.
 * Return: a new file with f_count 1, or NULL.
 */
struct file *do_filp_open(const char *path, int flags, unsigned int mode, int *err)
{
	struct inode *inode = linmmfs_lookup(path, err);
	struct file *file;

	if (inode && (flags & O_CREAT) && (flags & O_EXCL)) {
		iput(inode);
		*err = -EEXIST;
		return NULL;
	}
	if (!inode && *err == -ENOENT && (flags & O_CREAT))
		inode = linmmfs_create(path, mode, err);
	if (!inode)
		return NULL;
	if (S_ISDIR_LINMM(inode->i_mode) &&
	    ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC)))) {
		iput(inode);
		*err = -EISDIR;
		return NULL;
	}
	if (!S_ISDIR_LINMM(inode->i_mode) && (flags & O_DIRECTORY)) {
		iput(inode);
		*err = -ENOTDIR;
		return NULL;
	}
	file = alloc_file(inode, (unsigned int)flags);
	if (!file) {
		iput(inode);
		*err = -ENOMEM;
		return NULL;
	}
	/* The name maps and smaps print for a mapping of it (d_path()). */
	file->f_pathname = kstrdup(path, GFP_KERNEL);
	return file;
}

int linmm_unlink(struct task_struct *tsk, const char *path)
{
	int err = getname(path);

	(void)tsk;
	fs_syscall_enter();
	return err ? err : linmmfs_unlink(path);
}
