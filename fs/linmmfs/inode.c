// SPDX-License-Identifier: MIT
/*
 * inode.c - linmmfs's block map and its page-cache operations
 * (fs/ext2/inode.c, fs/mpage.c, fs/buffer.c in spirit).
 *
 * Each regular file maps page index -> disk block in inode->i_blockmap (an
 * xarray of value entries); an index with no block is a hole and reads as
 * zeros.  Blocks are allocated when a page is first written
 * (write_begin), so ENOSPC comes back from write(), not from writeback;
 * they are freed when the file is truncated past them or evicted.
 *
 *   i_blockmap: [0] = blk 17, [1] = blk 18, [5] = blk 40   (2..4 holes)
 *
 * Block 0 is reserved (the "super block"), so 0 can mean "no block".
 * Allocation is next-fit over the bitmap from where the last one ended, so
 * a file written sequentially gets consecutive blocks, which the block
 * layer then merges into large requests.
 *
 * Locks: LINMMFS_SB()->lock protects the bitmap and free count; the block
 * map is changed under the page lock (write_begin) or i_rwsem (truncate).
 */
#include <errno.h>
#include <string.h>

#include <linmm/blkdev.h>
#include <linmm/highmem.h>
#include <linmm/pagemap.h>

#include "fs/internal.h"
#include "fs/linmmfs/linmmfs.h"
#include "mm/internal.h"

#define BITS_PER_LONG_LINMM (8 * sizeof(unsigned long))

static bool block_test(const unsigned long *map, u64 blk)
{
	return map[blk / BITS_PER_LONG_LINMM] & (1UL << (blk % BITS_PER_LONG_LINMM));
}

static void block_set(unsigned long *map, u64 blk, bool on)
{
	if (on)
		map[blk / BITS_PER_LONG_LINMM] |= 1UL << (blk % BITS_PER_LONG_LINMM);
	else
		map[blk / BITS_PER_LONG_LINMM] &= ~(1UL << (blk % BITS_PER_LONG_LINMM));
}

/* A free block, marked used; 0 if the disk is full. */
static u64 linmmfs_new_block(struct super_block *sb)
{
	struct linmmfs_sb_info *sbi = LINMMFS_SB(sb);
	u64 blk = 0;

	spin_lock(&sbi->lock);
	if (sbi->free_blocks) {
		for (u64 n = 0; n < sbi->nr_blocks; n++) {
			u64 b = (sbi->next_block + n) % sbi->nr_blocks;

			if (b && !block_test(sbi->block_bitmap, b)) {
				blk = b;
				break;
			}
		}
	}
	if (blk) {
		block_set(sbi->block_bitmap, blk, true);
		sbi->free_blocks--;
		sbi->next_block = blk + 1;
	}
	spin_unlock(&sbi->lock);
	return blk;
}

static void linmmfs_free_block(struct super_block *sb, u64 blk)
{
	struct linmmfs_sb_info *sbi = LINMMFS_SB(sb);

	bdev_discard(sb->s_bdev, blk);
	spin_lock(&sbi->lock);
	VM_BUG_ON(!block_test(sbi->block_bitmap, blk));
	block_set(sbi->block_bitmap, blk, false);
	sbi->free_blocks++;
	spin_unlock(&sbi->lock);
}

u64 linmmfs_bmap(struct inode *inode, pgoff_t index)
{
	void *entry = xa_load(&inode->i_blockmap, index);

	return entry ? xa_to_value(entry) : 0;
}

void linmmfs_free_blocks(struct inode *inode, pgoff_t from_index)
{
	unsigned long index = from_index;
	void *entry;

	while ((entry = xa_find(&inode->i_blockmap, &index, ~0UL, XA_PRESENT))) {
		xa_erase(&inode->i_blockmap, index);
		linmmfs_free_block(inode->i_sb, xa_to_value(entry));
		inode->i_blocks -= PAGE_SIZE >> SECTOR_SHIFT;
		if (!++index)
			break;
	}
}

void linmmfs_evict_inode(struct inode *inode)
{
	linmmfs_free_blocks(inode, 0);
}

/* ->read_folio: a hole is zeros, a block is read from ram0.  Unlocks @page. */
static int linmmfs_read_folio(struct file *file, struct page *page)
{
	struct inode *inode = page_file_mapping(page)->host;
	u64 blk = linmmfs_bmap(inode, page->index);

	(void)file;
	if (blk) {
		bdev_read_page(inode->i_sb->s_bdev, blk, page);
	} else {
		char *kaddr = kmap_local_page(page);

		memset(kaddr, 0, PAGE_SIZE);
		kunmap_local(kaddr);
	}
	SetPageUptodate(page);
	unlock_page(page);
	return 0;
}

/* ->write_begin: give the page a block before it holds data (ext2_get_block(create)). */
static int linmmfs_write_begin(struct address_space *mapping, struct page *page)
{
	struct inode *inode = mapping->host;
	void *old;
	u64 blk;

	if (linmmfs_bmap(inode, page->index))
		return 0;
	blk = linmmfs_new_block(inode->i_sb);
	if (!blk)
		return -ENOSPC;
	old = xa_store(&inode->i_blockmap, page->index, xa_mk_value(blk), GFP_NOFS);
	if (xa_is_err(old)) {
		linmmfs_free_block(inode->i_sb, blk);
		return xa_err(old);
	}
	inode->i_blocks += PAGE_SIZE >> SECTOR_SHIFT;
	return 0;
}

/* ->writepage: the page is locked and cleaned for I/O; start writeback, unlock, submit. */
static int linmmfs_writepage(struct page *page, struct writeback_control *wbc)
{
	struct address_space *mapping = page_file_mapping(page);
	struct inode *inode = mapping->host;
	u64 blk = linmmfs_bmap(inode, page->index);

	(void)wbc;
	set_page_writeback(page);
	unlock_page(page);
	if (!blk) {
		/* Written without write_begin (cannot happen yet): report and drop. */
		mapping_set_error(mapping, -EIO);
		end_page_writeback(page);
		return -EIO;
	}
	return bdev_write_page(inode->i_sb->s_bdev, blk, page);
}

const struct address_space_operations linmmfs_aops = {
	.read_folio = linmmfs_read_folio,
	.writepage = linmmfs_writepage,
	.write_begin = linmmfs_write_begin,
};

/* block_truncate_page(): zero the tail of the last page on disk and in the cache. */
static int block_truncate_page(struct inode *inode, loff_t size)
{
	size_t offset = (size_t)(size & (PAGE_SIZE - 1));
	pgoff_t index = (pgoff_t)(size >> PAGE_SHIFT);
	struct page *page;
	char *kaddr;

	if (!offset || !linmmfs_bmap(inode, index))
		return 0;
	page = __filemap_get_folio(inode->i_mapping, index, FGP_LOCK | FGP_CREAT,
				   GFP_HIGHUSER_MOVABLE);
	if (!page)
		return -ENOMEM;
	if (!PageUptodate(page)) {
		linmmfs_read_folio(NULL, page);
		lock_page(page);
	}
	kaddr = kmap_local_page(page);
	memset(kaddr + offset, 0, PAGE_SIZE - offset);
	kunmap_local(kaddr);
	set_page_dirty(page);
	unlock_page(page);
	put_page(page);
	return 0;
}

/* ->setattr(ATTR_SIZE) (ext2_setsize()): i_rwsem held. */
static int linmmfs_setsize(struct inode *inode, loff_t size)
{
	loff_t old = i_size_read(inode);
	int err;

	if (size >= old) {
		i_size_write(inode, size);	/* the new part is a hole */
		return 0;
	}
	err = block_truncate_page(inode, size);
	if (err)
		return err;
	i_size_write(inode, size);
	truncate_pagecache(inode, size);
	linmmfs_free_blocks(inode, (pgoff_t)DIV_ROUND_UP((u64)size, PAGE_SIZE));
	return 0;
}

const struct inode_operations linmmfs_file_inode_operations = {
	.setattr = linmmfs_setsize,
};

const struct file_operations linmmfs_file_operations = {
	.mmap = generic_file_mmap,
	.read_iter = generic_file_read_iter,
	.write_iter = generic_file_write_iter,
	.fsync = generic_file_fsync,
	.get_unmapped_area = thp_get_unmapped_area,	/* as ext4's */
};
