// SPDX-License-Identifier: MIT
/*
 * namei.c - linmmfs's flat directory: lookup, create and unlink
 * (fs/ext2/namei.c, fs/ext2/dir.c).
 *
 * The root "/" holds every name; a name is the whole absolute path, so
 * "/data/x" needs no "/data" directory:
 *
 *   "/"  ->  [ "/a" -> inode 2 ]  [ "/data/x" -> inode 3 ] ...
 *
 * An entry holds one i_nlink and one i_count of its inode; unlink drops
 * both, so the inode lives on while a file has it open.
 *
 * Locks: LINMMFS_SB()->lock protects the entry list.
 */
#include <errno.h>
#include <string.h>

#include <linmm/slab.h>

#include "fs/internal.h"
#include "fs/linmmfs/linmmfs.h"

static struct linmmfs_dirent *find_entry(struct linmmfs_sb_info *sbi, const char *path)
{
	struct linmmfs_dirent *de;

	list_for_each_entry(de, &sbi->entries, list)
		if (!strcmp(de->name, path))
			return de;
	return NULL;
}

/* ->lookup of the root: @path is the whole path ("/" the root itself). */
static struct inode *linmmfs_lookup(struct inode *dir, const char *path, int *err)
{
	struct linmmfs_sb_info *sbi = LINMMFS_SB(dir->i_sb);
	struct linmmfs_dirent *de;
	struct inode *inode = NULL;

	if (!strcmp(path, "/")) {
		ihold(sbi->root);
		return sbi->root;
	}
	spin_lock(&sbi->lock);
	de = find_entry(sbi, path);
	if (de) {
		inode = de->inode;
		ihold(inode);
	}
	spin_unlock(&sbi->lock);
	if (!inode)
		*err = -ENOENT;
	return inode;
}

/* ->create (ext2_create()): a new regular file @path, with the caller's reference. */
static struct inode *linmmfs_create(struct inode *dir, const char *path, unsigned int mode,
				    int *err)
{
	struct super_block *sb = dir->i_sb;
	struct linmmfs_sb_info *sbi = LINMMFS_SB(sb);
	struct linmmfs_dirent *de;
	struct inode *inode;
	size_t len = strlen(path);

	de = kmalloc(sizeof(*de) + len + 1, GFP_KERNEL);
	inode = de ? new_inode(sb) : NULL;
	if (!inode) {
		kfree(de);
		*err = -ENOMEM;
		return NULL;
	}
	memcpy(de->name, path, len + 1);
	inode->i_mode = S_IFREG_LINMM | (mode & 07777);
	inode->i_nlink = 1;
	inode->i_data.a_ops = &linmmfs_aops;
	inode->i_op = &linmmfs_file_inode_operations;
	inode->i_fop = &linmmfs_file_operations;
	spin_lock(&sbi->lock);
	if (find_entry(sbi, path)) {
		spin_unlock(&sbi->lock);
		inode->i_nlink = 0;
		iput(inode);
		kfree(de);
		*err = -EEXIST;
		return NULL;
	}
	inode->i_ino = sbi->next_ino++;
	de->inode = inode;
	list_add_tail(&de->list, &sbi->entries);
	ihold(inode);			/* the caller's; the entry keeps the first */
	spin_unlock(&sbi->lock);
	return inode;
}

/* ->unlink (ext2_unlink()): the entry's i_nlink and reference go. */
static int linmmfs_unlink(struct inode *dir, const char *path)
{
	struct linmmfs_sb_info *sbi = LINMMFS_SB(dir->i_sb);
	struct linmmfs_dirent *de;

	if (!strcmp(path, "/"))
		return -EISDIR;
	spin_lock(&sbi->lock);
	de = find_entry(sbi, path);
	if (de)
		list_del(&de->list);
	spin_unlock(&sbi->lock);
	if (!de)
		return -ENOENT;
	de->inode->i_nlink--;
	iput(de->inode);
	kfree(de);
	return 0;
}

const struct inode_operations linmmfs_dir_inode_operations = {
	.lookup = linmmfs_lookup,
	.create = linmmfs_create,
	.unlink = linmmfs_unlink,
};

/* The root opened O_RDONLY: read is EISDIR before the VFS gets here; fsync writes nothing. */
const struct file_operations linmmfs_dir_operations = {
	.fsync = generic_file_fsync,
};
