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
 * and a directory ("/", "/dev/shm") opened for writing is EISDIR.  Which
 * file system answers is the mount table's choice (fs/namespace.c); it is
 * asked only through its root directory's inode_operations.
 *
 * Locks: none of its own (the directories' are the file systems').
 */
#include <errno.h>
#include <stdio.h>
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

/* d_path(): the name maps shows, "/dev/shm/x" however it was spelled ("/dev/shm//x"). */
static char *d_path(const char *path, const struct mount_path *mp)
{
	size_t len;
	char *buf;

	if (!mp->mnt_point)
		return kstrdup(path, GFP_KERNEL);
	len = strlen(mp->mnt_point) + 1 + strlen(mp->name) + 1;
	buf = kmalloc(len, GFP_KERNEL);
	if (buf)
		snprintf(buf, len, "%s%s%s", mp->mnt_point, *mp->name ? "/" : "", mp->name);
	return buf;
}

/**
 * do_filp_open - find or create @path for open(2) and open it.
 * @path: checked by getname()
 * @flags: open flags
 * @mode: permission bits for a new file
 * @err: the -errno when NULL is returned
 *
 * The path's file system (lookup_mnt()) is asked through its root
 * directory's inode_operations: lookup, then create for O_CREAT.
 *
 * Context: no locks held.
 * Return: a new file with f_count 1, or NULL.
 */
struct file *do_filp_open(const char *path, int flags, unsigned int mode, int *err)
{
	struct mount_path mp;
	struct inode *dir, *inode;
	struct file *file;

	*err = lookup_mnt(path, &mp);
	if (*err)
		return NULL;
	dir = mp.sb->s_root;
	inode = dir->i_op->lookup(dir, mp.name, err);
	if (inode && (flags & O_CREAT) && (flags & O_EXCL)) {
		iput(inode);
		*err = -EEXIST;
		return NULL;
	}
	if (!inode && *err == -ENOENT && (flags & O_CREAT))
		inode = dir->i_op->create(dir, mp.name, mode, err);
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
	file->f_pathname = d_path(path, &mp);
	return file;
}

int linmm_unlink(struct task_struct *tsk, const char *path)
{
	struct mount_path mp;
	int err = getname(path);

	(void)tsk;
	fs_syscall_enter();
	if (!err)
		err = lookup_mnt(path, &mp);
	return err ? err : mp.sb->s_root->i_op->unlink(mp.sb->s_root, mp.name);
}
