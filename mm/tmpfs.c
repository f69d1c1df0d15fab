// SPDX-License-Identifier: MIT
/*
 * tmpfs.c - the tmpfs mount on /dev/shm: its flat directory, its size=
 * and nr_inodes= limits, statfs and remount (mm/shmem.c's file-system
 * half: shmem_fill_super, shmem_lookup/simple_lookup, shmem_create/
 * shmem_mknod, shmem_unlink, shmem_statfs, shmem_reconfigure).
 *
 * The pages, faults and file calls of its files are mm/shmem.c's, shared
 * with the internal mount; only names and limits live here.
 *
 *   /dev/shm (root, inode 1, drwxrwxrwt)
 *     "a" -> inode 2   "b" -> inode 3       (no subdirectories)
 *
 * Mounted at the first use after a boot (systemd mounts it at boot; a
 * machine that never touches it has nothing), with the kernel's defaults:
 * size= half of RAM (shmem_default_max_blocks(): totalram_pages / 2) and
 * nr_inodes= min(lowmem pages, RAM pages / 2) (shmem_default_max_inodes()).
 * Its device is 0:1a: anonymous devices are numbered in mount order from
 * 0:1 (here shm_mnt), and on a systemd machine /dev/shm, among the first
 * mounts after the kernel's own pseudo file systems, gets a minor near
 * 0x1a (this test host shows 0:1b).  Inode numbers are per mount, from 1
 * (the root), as a tmpfs that is not a kernel mount has them.
 *
 * Path rules the VFS leaves to the directory (fs/namei.c passes the name
 * after "/dev/shm/"): "" is the root; "x/..." is ENOTDIR when x is a file,
 * else ENOENT; creating "x/" is EISDIR; unlinking the root is EISDIR.
 *
 * An entry holds one i_nlink and one i_count; an unlinked file lives on
 * while a descriptor or a mapping holds it, and its pages and blocks go
 * with the last reference (iput -> evict -> shmem_evict_inode).
 *
 * Locks: sbinfo->stat_lock protects the entry list and the counters;
 * mount_lock serialises the mount.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <linmm/mm.h>
#include <linmm/printk.h>
#include <linmm/shmem_fs.h>
#include <linmm/slab.h>

#include "fs/internal.h"
#include "kernel/machine.h"

#define TMPFS_DEV MKDEV_LINMM(0, 0x1a)
#define TMPFS_ROOT_MODE (S_IFDIR_LINMM | 01777)

struct shmem_dirent {
	struct list_head list;
	struct inode *inode;		/* one i_count and one i_nlink */
	char name[];
};

static struct super_block tmpfs_sb;
static struct shmem_sb_info tmpfs_sbinfo;
static bool mounted;
static unsigned long mounted_boot;
static spinlock_t mount_lock = __SPIN_LOCK_UNLOCKED;

static const struct inode_operations shmem_dir_inode_operations;
static const struct file_operations simple_dir_operations;

static unsigned long shmem_default_max_blocks(void)
{
	return totalram_pages() / 2;
}

static unsigned long shmem_default_max_inodes(void)
{
	unsigned long nr_pages = totalram_pages();

	return min(min(nr_pages - totalhigh_pages_count, nr_pages / 2),
		   ULONG_MAX / BOGO_INODE_SIZE);
}

struct super_block *shmem_current_sb(void)
{
	return mounted && mounted_boot == linmm_boot_seq ? &tmpfs_sb : NULL;
}

static int shmem_fill_super(struct super_block *sb, struct shmem_sb_info *sbinfo)
{
	struct inode *root;
	int err;

	memset(sb, 0, sizeof(*sb));
	memset(sbinfo, 0, sizeof(*sbinfo));
	INIT_LIST_HEAD(&sb->s_inodes);
	spin_lock_init(&sb->s_inode_list_lock);
	sb->s_op = &shmem_ops;
	sb->s_dev = TMPFS_DEV;
	sb->s_maxbytes = MAX_LFS_FILESIZE;
	sb->s_fs_info = sbinfo;
	sbinfo->max_blocks = shmem_default_max_blocks();
	sbinfo->max_inodes = shmem_default_max_inodes();
	sbinfo->free_ispace = sbinfo->max_inodes * BOGO_INODE_SIZE;
	sbinfo->next_ino = 1;
	INIT_LIST_HEAD(&sbinfo->entries);
	spin_lock_init(&sbinfo->stat_lock);
	root = shmem_get_inode(sb, TMPFS_ROOT_MODE, &err);
	if (!root)
		return err;
	root->i_nlink = 2;
	root->i_op = &shmem_dir_inode_operations;
	root->i_fop = &simple_dir_operations;
	sb->s_root = root;
	return 0;
}

struct super_block *shmem_get_sb(void)
{
	struct super_block *sb;

	spin_lock(&mount_lock);
	if (!shmem_current_sb() && !shmem_fill_super(&tmpfs_sb, &tmpfs_sbinfo)) {
		mounted = true;
		mounted_boot = linmm_boot_seq;
	}
	sb = shmem_current_sb();
	spin_unlock(&mount_lock);
	return sb;
}

/* The entry of the first component of @name (@len bytes).  stat_lock held. */
static struct shmem_dirent *find_entry(struct shmem_sb_info *sbinfo, const char *name,
				       size_t len)
{
	struct shmem_dirent *de;

	list_for_each_entry(de, &sbinfo->entries, list)
		if (strlen(de->name) == len && !memcmp(de->name, name, len))
			return de;
	return NULL;
}

/* ->lookup (simple_lookup()): the root for "", else the entry; see the path rules above. */
static struct inode *shmem_lookup(struct inode *dir, const char *name, int *err)
{
	struct shmem_sb_info *sbinfo = SHMEM_SB(dir->i_sb);
	const char *slash = strchr(name, '/');
	struct inode *inode = NULL;
	struct shmem_dirent *de;

	if (!*name) {
		ihold(dir);
		return dir;
	}
	spin_lock(&sbinfo->stat_lock);
	de = find_entry(sbinfo, name, slash ? (size_t)(slash - name) : strlen(name));
	if (de && !slash) {
		inode = de->inode;
		ihold(inode);
	}
	spin_unlock(&sbinfo->stat_lock);
	if (!inode)
		*err = de ? -ENOTDIR : -ENOENT;	/* "x/..." below a file, or nothing */
	return inode;
}

/* ->create (shmem_create() -> shmem_mknod()): a new file with the caller's reference. */
static struct inode *shmem_create(struct inode *dir, const char *name, unsigned int mode,
				  int *err)
{
	struct shmem_sb_info *sbinfo = SHMEM_SB(dir->i_sb);
	const char *slash = strchr(name, '/');
	size_t len = strlen(name);
	struct shmem_dirent *de;
	struct inode *inode;

	if (slash) {
		/* "x/": a directory was asked for; "x/y": x does not exist. */
		*err = strspn(slash, "/") == strlen(slash) ? -EISDIR : -ENOENT;
		return NULL;
	}
	de = kmalloc(sizeof(*de) + len + 1, GFP_KERNEL);
	if (!de) {
		*err = -ENOMEM;
		return NULL;
	}
	inode = shmem_get_inode(dir->i_sb, S_IFREG_LINMM | (mode & 07777), err);
	if (!inode) {
		kfree(de);
		return NULL;
	}
	memcpy(de->name, name, len + 1);
	inode->i_nlink = 1;
	spin_lock(&sbinfo->stat_lock);
	if (find_entry(sbinfo, name, len)) {
		spin_unlock(&sbinfo->stat_lock);
		inode->i_nlink = 0;
		iput(inode);
		kfree(de);
		*err = -EEXIST;
		return NULL;
	}
	de->inode = inode;
	list_add_tail(&de->list, &sbinfo->entries);
	ihold(inode);			/* the caller's; the entry keeps the first */
	spin_unlock(&sbinfo->stat_lock);
	return inode;
}

/* ->unlink (shmem_unlink()): the name goes; the inode with its last reference. */
static int shmem_unlink(struct inode *dir, const char *name)
{
	struct shmem_sb_info *sbinfo = SHMEM_SB(dir->i_sb);
	const char *slash = strchr(name, '/');
	struct shmem_dirent *de;

	if (!*name)
		return -EISDIR;
	spin_lock(&sbinfo->stat_lock);
	de = find_entry(sbinfo, name, slash ? (size_t)(slash - name) : strlen(name));
	if (de && !slash)
		list_del(&de->list);
	spin_unlock(&sbinfo->stat_lock);
	if (!de)
		return -ENOENT;
	if (slash)
		return -ENOTDIR;
	de->inode->i_nlink--;
	iput(de->inode);
	kfree(de);
	return 0;
}

static const struct inode_operations shmem_dir_inode_operations = {
	.lookup = shmem_lookup,
	.create = shmem_create,
	.unlink = shmem_unlink,
};

/* The root opened O_RDONLY: read is EISDIR before the VFS gets here. */
static const struct file_operations simple_dir_operations = {
	.fsync = noop_fsync,
};

int shmem_statfs(struct linmm_statfs *buf)
{
	struct super_block *sb = shmem_get_sb();
	struct shmem_sb_info *sbinfo;

	memset(buf, 0, sizeof(*buf));
	if (!sb)
		return -ENOMEM;
	sbinfo = SHMEM_SB(sb);
	buf->f_bsize = PAGE_SIZE;
	spin_lock(&sbinfo->stat_lock);
	if (sbinfo->max_blocks) {
		buf->f_blocks = sbinfo->max_blocks;
		buf->f_bavail = buf->f_bfree = sbinfo->max_blocks - sbinfo->used_blocks;
	}
	if (sbinfo->max_inodes) {
		buf->f_files = sbinfo->max_inodes;
		buf->f_ffree = sbinfo->free_ispace / BOGO_INODE_SIZE;
	}
	spin_unlock(&sbinfo->stat_lock);
	return 0;
}

int shmem_reconfigure(unsigned long long bytes)
{
	struct super_block *sb = shmem_get_sb();
	struct shmem_sb_info *sbinfo;
	unsigned long pages = (unsigned long)DIV_ROUND_UP(bytes, PAGE_SIZE);
	int err = 0;

	if (!sb)
		return -ENOMEM;
	sbinfo = SHMEM_SB(sb);
	spin_lock(&sbinfo->stat_lock);
	if (pages && !sbinfo->max_blocks)
		err = -EINVAL;		/* "Cannot retroactively limit size" */
	else if (pages && sbinfo->used_blocks > pages)
		err = -EINVAL;		/* "Too small size for used blocks" */
	else
		sbinfo->max_blocks = pages;
	spin_unlock(&sbinfo->stat_lock);
	return err;
}

void tmpfs_kill_sb(void)
{
	struct super_block *sb = shmem_current_sb();
	struct shmem_sb_info *sbinfo;

	if (!sb)
		return;
	sbinfo = SHMEM_SB(sb);
	while (!list_empty(&sbinfo->entries)) {
		struct shmem_dirent *de = list_first_entry(&sbinfo->entries, struct shmem_dirent,
							   list);

		list_del(&de->list);
		de->inode->i_nlink = 0;
		iput(de->inode);
		kfree(de);
	}
	sb->s_root->i_nlink = 0;
	iput(sb->s_root);
	/* Inodes still held (an open file leaked by a test) go too. */
	while (!list_empty(&sb->s_inodes)) {
		struct inode *inode = list_first_entry(&sb->s_inodes, struct inode, i_sb_list);

		pr_err("tmpfs: inode %lu still in use (i_count %d) at unmount\n", inode->i_ino,
		       atomic_load(&inode->i_count));
		inode->i_nlink = 0;
		atomic_store(&inode->i_count, 1);
		iput(inode);
	}
	mounted = false;
}
