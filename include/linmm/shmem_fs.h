/* SPDX-License-Identifier: MIT */
/*
 * shmem_fs.h - tmpfs and shmem objects (include/linux/shmem_fs.h).
 *
 * Two mounts of the one file system (mm/shmem.c, mm/tmpfs.c):
 *
 *   shm_mnt   0:1   internal, no names, no limits: MAP_SHARED|MAP_ANONYMOUS
 *                   ("/dev/zero (deleted)") and SysV segments ("/SYSV...")
 *   /dev/shm  0:1a  tmpfs: a flat directory of named files, size= and
 *                   nr_inodes= limits (sbinfo->max_blocks, max_inodes)
 *
 * A file's data is its page cache: swap-backed pages (NR_SHMEM, meminfo
 * Shmem) created at the first write or fault; i_blocks counts them (stat's
 * st_blocks = pages * 8) and, on a limited mount, so does used_blocks.
 */
#ifndef LINMM_SHMEM_FS_H
#define LINMM_SHMEM_FS_H

#include <linmm/fs.h>
#include <linmm/list.h>
#include <linmm/spinlock.h>
#include <linmm/types.h>

struct page;

/* What one inode costs of nr_inodes= (the kernel's BOGO_INODE_SIZE, bytes). */
#define BOGO_INODE_SIZE 1024

/*
 * struct shmem_sb_info - a mount's limits and counters.
 * @max_blocks: size= in pages; 0: unlimited (shm_mnt)
 * @used_blocks: pages its files hold (counted only when @max_blocks is set)
 * @max_inodes: nr_inodes=; 0: unlimited
 * @free_ispace: inode space left, BOGO_INODE_SIZE per inode
 * @next_ino: the next inode number (per mount, as tmpfs's are)
 * @entries: the flat directory (tmpfs; mm/tmpfs.c)
 * @stat_lock: all of the above
 */
struct shmem_sb_info {
	unsigned long max_blocks;
	unsigned long used_blocks;
	unsigned long max_inodes;
	unsigned long free_ispace;
	unsigned long next_ino;
	struct list_head entries;
	spinlock_t stat_lock;
};

static inline struct shmem_sb_info *SHMEM_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

/* struct linmm_statfs - what statfs(2) of a tmpfs gives (4 KiB blocks). */
struct linmm_statfs {
	unsigned long f_bsize;
	unsigned long f_blocks, f_bfree, f_bavail;
	unsigned long f_files, f_ffree;
};

/* ---- mm/shmem.c: inodes, pages, the file calls ---- */
/*
 * shmem_get_inode - a new shmem inode of @sb (regular file or directory by
 * @mode), with i_op, i_fop and a_ops set, i_nlink 0.
 * Return: the inode (i_count 1), or NULL with *err -ENOSPC (nr_inodes) or -ENOMEM.
 */
struct inode *shmem_get_inode(struct super_block *sb, unsigned int mode, int *err);
/**
 * shmem_get_page - the page at @index of @inode, created zeroed if missing.
 * @pagep: the page, locked and uptodate, with a reference
 *
 * A new page takes a block of the mount's size= (-ENOSPC when full).
 * Context: may allocate; no spinlocks held.
 * Return: 0, -ENOSPC or -ENOMEM.
 */
int shmem_get_page(struct inode *inode, pgoff_t index, struct page **pagep);
long shmem_file_read_iter(struct file *file, loff_t *pos, void *buf, size_t count);
long shmem_file_write_iter(struct file *file, loff_t *pos, const void *buf, size_t count);
/* ->evict_inode of both mounts: the blocks and the inode go back. */
extern const struct super_operations shmem_ops;
extern const struct inode_operations shmem_inode_operations;
extern const struct file_operations shmem_file_operations;

/* ---- mm/tmpfs.c: the /dev/shm mount ---- */
/* shmem_get_sb - /dev/shm's super block, mounted at its first use after a boot.  NULL: no memory. */
struct super_block *shmem_get_sb(void);
/* The mounted /dev/shm or NULL, without mounting (checkers, reports). */
struct super_block *shmem_current_sb(void);
/* shmem_statfs - statfs(2) of /dev/shm (df).  Return: 0. */
int shmem_statfs(struct linmm_statfs *buf);
/*
 * shmem_reconfigure - `mount -o remount,size=@bytes /dev/shm` (0: unlimited).
 * Return: 0, or -EINVAL when the files already hold more than @bytes.
 */
int shmem_reconfigure(unsigned long long bytes);
/* Unmount (machine shutdown): every name goes, every inode is evicted. */
void tmpfs_kill_sb(void);

#endif /* LINMM_SHMEM_FS_H */
