// SPDX-License-Identifier: MIT
/*
 * super.c - mounting and unmounting linmmfs on ram0, and its checker
 * (fs/ext2/super.c, fs/super.c).
 *
 * The file system is mounted by the first file system call after a boot
 * (get_sb()), so a machine that never touches a file has no ram0, no
 * inode cache and no page cache, exactly as before files existed.  Mount:
 * ram0 of BDEV_DEFAULT_SIZE (1 GiB, host memory on demand), the block
 * bitmap (vzalloc), the root inode "/" (inode 1, a directory).  Unmount
 * (machine shutdown, after every task closed its files): sync, drop every
 * directory entry (which evicts its inode), free ram0.
 *
 * Invariants (linmmfs_validate()): every block in a block map is marked
 * in the bitmap and used by one page index only; free_blocks is the
 * number of clear bits (block 0 counts as used).
 * Locks: sbi->lock (see linmmfs.h); the mount itself happens on one
 * thread at a time (mount_lock).
 */
#include <errno.h>
#include <string.h>

#include <linmm/blkdev.h>
#include <linmm/pagemap.h>
#include <linmm/printk.h>
#include <linmm/slab.h>
#include <linmm/vmalloc.h>

#include "fs/internal.h"
#include "fs/linmmfs/linmmfs.h"
#include "kernel/machine.h"

#define LINMMFS_ROOT_INO 1

static struct super_block linmmfs_sb;
static struct linmmfs_sb_info linmmfs_sbi;
static bool mounted;
static unsigned long mounted_boot;
static spinlock_t mount_lock = __SPIN_LOCK_UNLOCKED;

static const struct super_operations linmmfs_sops = {
	.evict_inode = linmmfs_evict_inode,
};

struct super_block *current_sb(void)
{
	return mounted && mounted_boot == linmm_boot_seq ? &linmmfs_sb : NULL;
}

static int linmmfs_fill_super(struct super_block *sb)
{
	struct linmmfs_sb_info *sbi = &linmmfs_sbi;
	int err;

	memset(sb, 0, sizeof(*sb));
	memset(sbi, 0, sizeof(*sbi));
	err = bdev_init(BDEV_DEFAULT_SIZE);
	if (err)
		return err;
	sb->s_op = &linmmfs_sops;
	sb->s_bdev = ram0;
	sb->s_dev = MKDEV_LINMM(1, 0);	/* RAMDISK_MAJOR */
	sb->s_maxbytes = MAX_LFS_FILESIZE;
	sb->s_fs_info = sbi;
	INIT_LIST_HEAD(&sb->s_inodes);
	spin_lock_init(&sb->s_inode_list_lock);
	sbi->nr_blocks = ram0->nr_blocks;
	sbi->block_bitmap = vzalloc(DIV_ROUND_UP(sbi->nr_blocks, 8 * sizeof(unsigned long)) *
				    sizeof(unsigned long));
	if (!sbi->block_bitmap)
		goto out_bdev;
	sbi->block_bitmap[0] = 1;	/* block 0: the super block */
	sbi->free_blocks = sbi->nr_blocks - 1;
	sbi->next_block = 1;
	sbi->next_ino = LINMMFS_ROOT_INO + 1;
	INIT_LIST_HEAD(&sbi->entries);
	spin_lock_init(&sbi->lock);
	sbi->root = new_inode(sb);
	if (!sbi->root)
		goto out_bitmap;
	sbi->root->i_ino = LINMMFS_ROOT_INO;
	sbi->root->i_mode = S_IFDIR_LINMM | 0755;
	sbi->root->i_nlink = 2;
	sbi->root->i_op = &linmmfs_dir_inode_operations;
	sbi->root->i_fop = &linmmfs_dir_operations;
	sb->s_root = sbi->root;
	wb_init();
	return 0;

out_bitmap:
	vfree(sbi->block_bitmap);
out_bdev:
	bdev_teardown();
	return -ENOMEM;
}

struct super_block *get_sb(void)
{
	struct super_block *sb;

	spin_lock(&mount_lock);
	if (!current_sb() && !linmmfs_fill_super(&linmmfs_sb)) {
		mounted = true;
		mounted_boot = linmm_boot_seq;
	}
	sb = current_sb();
	spin_unlock(&mount_lock);
	return sb;
}

void linmmfs_kill_sb(void)
{
	struct super_block *sb = current_sb();
	struct linmmfs_sb_info *sbi;

	if (!sb)
		return;
	sbi = LINMMFS_SB(sb);
	sync_inodes_sb();
	while (!list_empty(&sbi->entries)) {
		struct linmmfs_dirent *de = list_first_entry(&sbi->entries, struct linmmfs_dirent,
							     list);

		list_del(&de->list);
		de->inode->i_nlink = 0;
		iput(de->inode);
		kfree(de);
	}
	/* Inodes still held (an open file leaked by a test) go with the root. */
	sbi->root->i_nlink = 0;
	iput(sbi->root);
	while (!list_empty(&sb->s_inodes)) {
		struct inode *inode = list_first_entry(&sb->s_inodes, struct inode, i_sb_list);

		pr_err("linmmfs: inode %lu still in use (i_count %d) at unmount\n", inode->i_ino,
		       atomic_load(&inode->i_count));
		inode->i_nlink = 0;
		atomic_store(&inode->i_count, 1);
		iput(inode);
	}
	vfree(sbi->block_bitmap);
	bdev_teardown();
	mounted = false;
}

int linmmfs_validate(struct super_block *sb)
{
	struct linmmfs_sb_info *sbi = LINMMFS_SB(sb);
	unsigned long *seen;
	u64 used = 0, words = DIV_ROUND_UP(sbi->nr_blocks, 8 * sizeof(unsigned long));
	struct inode *inode;
	int ret = 0;

	seen = vzalloc(words * sizeof(unsigned long));
	if (!seen)
		return -ENOMEM;
	seen[0] = 1;
	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		unsigned long index, nr = 0;
		void *entry;

		if (xa_validate(&inode->i_blockmap)) {
			ret = -EINVAL;
			break;
		}
		xa_for_each(&inode->i_blockmap, index, entry) {
			u64 blk = xa_to_value(entry);
			unsigned long bit = 1UL << (blk % (8 * sizeof(unsigned long)));

			nr++;
			if (!blk || blk >= sbi->nr_blocks ||
			    !(sbi->block_bitmap[blk / (8 * sizeof(unsigned long))] & bit) ||
			    (seen[blk / (8 * sizeof(unsigned long))] & bit)) {
				pr_err("linmmfs: inode %lu page %lu: block %llu free or shared\n",
				       inode->i_ino, index, (unsigned long long)blk);
				ret = -EINVAL;
				break;
			}
			seen[blk / (8 * sizeof(unsigned long))] |= bit;
		}
		if (!ret && inode->i_blocks != nr * (PAGE_SIZE >> SECTOR_SHIFT)) {
			pr_err("linmmfs: inode %lu i_blocks %lu for %lu blocks\n", inode->i_ino,
			       inode->i_blocks, nr);
			ret = -EINVAL;
		}
		if (ret)
			break;
	}
	spin_unlock(&sb->s_inode_list_lock);
	for (u64 w = 0; !ret && w < words; w++) {
		if (seen[w] != sbi->block_bitmap[w]) {
			pr_err("linmmfs: bitmap word %llu is %#lx, block maps use %#lx\n",
			       (unsigned long long)w, sbi->block_bitmap[w], seen[w]);
			ret = -EINVAL;
		}
		used += (u64)__builtin_popcountl(seen[w]);
	}
	if (!ret && sbi->nr_blocks - used != sbi->free_blocks) {
		pr_err("linmmfs: %llu free blocks counted, free_blocks %llu\n",
		       (unsigned long long)(sbi->nr_blocks - used),
		       (unsigned long long)sbi->free_blocks);
		ret = -EINVAL;
	}
	vfree(seen);
	return ret;
}
