// SPDX-License-Identifier: MIT
/*
 * inode.c - inode lifetimes and the page-cache checker over every inode
 * (fs/inode.c).
 *
 *   new_inode()        i_count 1, on sb->s_inodes, empty page cache
 *   ihold()/iput()     i_count +1/-1
 *   last iput() with i_nlink == 0:
 *                      I_FREEING, off the flusher's lists, evict():
 *                      truncate_inode_pages() drops every cached page
 *                      (dirty data of an unlinked file is never written),
 *                      sb->s_op->evict_inode() frees the blocks, free.
 *
 * A linked inode never reaches i_count 0: its directory entry holds a
 * reference (there is no inode cache to shrink yet; reclaim will add it).
 *
 * Locks: sb->s_inode_list_lock protects s_inodes; i_count is atomic.
 */
#include <string.h>

#include <linmm/pagemap.h>
#include <linmm/printk.h>
#include <linmm/slab.h>
#include <linmm/swap.h>
#include <linmm/vmstat.h>

#include "fs/internal.h"
#include "kernel/machine.h"
#include "mm/internal.h"

static struct kmem_cache *inode_cachep;
static unsigned long inode_cache_boot;

static const struct address_space_operations empty_aops;

struct inode *new_inode(struct super_block *sb)
{
	struct inode *inode;

	if (!inode_cachep || inode_cache_boot != linmm_boot_seq) {
		/* The kernel's per-fs inode cache: reclaimable, as ext2_inode_cache. */
		inode_cachep = kmem_cache_create("linmmfs_inode_cache", sizeof(struct inode), 0,
						 SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT, NULL);
		inode_cache_boot = linmm_boot_seq;
		if (!inode_cachep)
			return NULL;
	}
	inode = kmem_cache_alloc(inode_cachep, GFP_KERNEL);
	if (!inode)
		return NULL;
	memset(inode, 0, sizeof(*inode));
	atomic_init(&inode->i_count, 1);
	INIT_LIST_HEAD(&inode->i_io_list);
	init_rwsem(&inode->i_rwsem);
	inode->i_sb = sb;
	inode->i_mapping = &inode->i_data;
	inode->i_data.host = inode;
	inode->i_data.a_ops = &empty_aops;
	xa_init(&inode->i_data.i_pages);
	inode->i_data.i_mmap = RB_ROOT;
	init_rwsem(&inode->i_data.i_mmap_rwsem);
	xa_init(&inode->i_blockmap);
	spin_lock(&sb->s_inode_list_lock);
	list_add_tail(&inode->i_sb_list, &sb->s_inodes);
	spin_unlock(&sb->s_inode_list_lock);
	return inode;
}

void ihold(struct inode *inode)
{
	atomic_fetch_add(&inode->i_count, 1);
}

static void evict(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;

	inode->i_state |= I_FREEING;
	inode_io_list_del(inode);
	truncate_inode_pages(inode->i_mapping, 0);
	if (sb->s_op && sb->s_op->evict_inode)
		sb->s_op->evict_inode(inode);
	xa_destroy(&inode->i_data.i_pages);
	xa_destroy(&inode->i_blockmap);
	spin_lock(&sb->s_inode_list_lock);
	list_del(&inode->i_sb_list);
	spin_unlock(&sb->s_inode_list_lock);
	kmem_cache_free(inode_cachep, inode);
}

void iput(struct inode *inode)
{
	if (atomic_fetch_sub(&inode->i_count, 1) != 1)
		return;
	VM_BUG_ON(inode->i_nlink);	/* a linked inode is held by its entry */
	evict(inode);
}

/**
 * validate_page_cache - the page-cache invariants over every inode:
 * validate_mapping() of each; NR_FILE_PAGES, NR_FILE_DIRTY and
 * NR_WRITEBACK equal the pages counted in the caches; every node's LRU
 * lists (validate_lru()); the file system's block maps.
 *
 * Context: no locks held; folds the per-CPU counters.
 * Return: 0, or -EINVAL after a pr_err().
 */
int validate_page_cache(void)
{
	struct super_block *sb = current_sb();
	unsigned long pages = 0, dirty = 0, writeback = 0, shmem = 0;
	struct inode *inode;
	int nid, ret = 0;

	for_each_online_node(nid)
		if (validate_lru(nid))
			return -EINVAL;
	/* shmem objects (mm/shmem.c): their own mount, in NR_FILE_PAGES and NR_SHMEM. */
	if (validate_shmem(&shmem))
		return -EINVAL;
	refresh_vm_stats();
	if ((long)shmem != global_node_page_state(NR_SHMEM)) {
		pr_err("page cache: %lu shmem pages, NR_SHMEM %ld\n", shmem,
		       global_node_page_state(NR_SHMEM));
		return -EINVAL;
	}
	if (!sb)
		return (long)shmem == global_node_page_state(NR_FILE_PAGES) ? 0 : -EINVAL;
	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		unsigned long index;
		struct page *page;

		if (validate_mapping(inode->i_mapping) || validate_i_mmap(inode->i_mapping)) {
			ret = -EINVAL;
			break;
		}
		pages += inode->i_mapping->nrpages;
		xa_for_each(&inode->i_mapping->i_pages, index, page) {
			dirty += PageDirty(page);
			writeback += PageWriteback(page);
		}
	}
	spin_unlock(&sb->s_inode_list_lock);
	if (ret)
		return ret;
	refresh_vm_stats();
	pages += shmem;
	if ((long)pages != global_node_page_state(NR_FILE_PAGES) ||
	    (long)dirty != global_node_page_state(NR_FILE_DIRTY) ||
	    (long)writeback != global_node_page_state(NR_WRITEBACK)) {
		pr_err("page cache: %lu pages, %lu dirty, %lu writeback; counters %ld, %ld, %ld\n",
		       pages, dirty, writeback, global_node_page_state(NR_FILE_PAGES),
		       global_node_page_state(NR_FILE_DIRTY), global_node_page_state(NR_WRITEBACK));
		return -EINVAL;
	}
	return linmmfs_validate(sb);
}
