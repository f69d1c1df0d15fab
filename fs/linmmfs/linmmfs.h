/* SPDX-License-Identifier: MIT */
/*
 * linmmfs.h - linmmfs's own state: a flat directory and a block bitmap on
 * ram0 (linmm's file system; its layout follows a minimal ext2).
 *
 *   sb->s_fs_info -> linmmfs_sb_info { block bitmap, free count, entries }
 *   entry "/data/x" -> inode 2 (i_blockmap: page index -> block)
 *
 * Only the directory and the bitmap live here; inodes, the page cache and
 * writeback are the VFS's and mm's.  Metadata is kept in memory only (no
 * on-disk inode table): data blocks are what reaches ram0.
 */
#ifndef LINMM_FS_LINMMFS_H
#define LINMM_FS_LINMMFS_H

#include <linmm/fs.h>
#include <linmm/list.h>
#include <linmm/spinlock.h>

struct linmmfs_dirent {
	struct list_head list;
	struct inode *inode;		/* holds one i_count and one i_nlink */
	char name[];			/* the whole path */
};

struct linmmfs_sb_info {
	unsigned long *block_bitmap;	/* bit set: block in use (vzalloc) */
	u64 nr_blocks, free_blocks;
	u64 next_block;			/* where the next search starts */
	unsigned long next_ino;
	struct list_head entries;
	spinlock_t lock;		/* entries, bitmap, counters */
	struct inode *root;		/* "/" */
};

static inline struct linmmfs_sb_info *LINMMFS_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

/* fs/linmmfs/inode.c */
extern const struct address_space_operations linmmfs_aops;
/* A regular file's setattr; its calls are the generic ones (fs/read_write.c). */
extern const struct inode_operations linmmfs_file_inode_operations;
extern const struct file_operations linmmfs_file_operations;
/* fs/linmmfs/namei.c: the root directory's lookup, create and unlink. */
extern const struct inode_operations linmmfs_dir_inode_operations;
extern const struct file_operations linmmfs_dir_operations;
void linmmfs_evict_inode(struct inode *inode);
/* Free the blocks of pages >= @from_index. */
void linmmfs_free_blocks(struct inode *inode, pgoff_t from_index);
/* The block of page @index, or 0 (a hole: block 0 is the reserved "super block"). */
u64 linmmfs_bmap(struct inode *inode, pgoff_t index);

#endif /* LINMM_FS_LINMMFS_H */
