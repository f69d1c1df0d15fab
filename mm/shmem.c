// SPDX-License-Identifier: MIT
/*
 * shmem.c - shared memory objects: the file behind MAP_SHARED|MAP_ANONYMOUS
 * and SysV segments (mm/shmem.c).
 *
 * A shmem object is an unlinked inode on the internal mount "shm_mnt"
 * (device 0:1, as the kernel's internal tmpfs shows in maps) whose data
 * lives only in its page cache: a page is created zeroed at the first
 * fault on it (shmem_fault), is swap-backed (PG_swapbacked: it sits on
 * the anonymous LRU, counts in NR_SHMEM - meminfo Shmem - besides
 * NR_FILE_PAGES, and in MM_SHMEMPAGES - RssShmem - of every mm mapping
 * it) and stays until the object is truncated or its last reference
 * goes.  No swap exists yet, so nothing ever evicts a shmem page, and
 * the mapping has no writeback (no a_ops->writepage): a write(2) or a
 * write through a PTE sets a bare PG_dirty (noop_dirty_folio: no tag, no
 * NR_FILE_DIRTY), which only says the data lives nowhere else; a page
 * a read fault created stays clean.
 *
 *   mmap(MAP_SHARED|MAP_ANONYMOUS, 3 pages)
 *     vma->vm_file -> file "/dev/zero" -> inode 5 on shm_mnt, i_size 3 pages
 *     parent and forked child fault page 1: one page, in inode 5's cache
 *
 * Faults beyond i_size are SIGBUS; fault-around maps the cached pages as
 * for a file (filemap_map_pages).
 *
 * Named files (tmpfs on /dev/shm, mm/tmpfs.c) are the same inodes on a
 * mount with limits: a new page takes a block of size= first
 * (shmem_get_page: -ENOSPC, which a write returns and a fault turns into
 * SIGBUS), i_blocks counts the pages in the cache (st_blocks) and
 * shmem_recalc_inode() gives back the blocks of pages that left it
 * (truncation, eviction).  read(2) of a hole copies zeros without
 * allocating (shmem_file_read_iter, the kernel's ZERO_PAGE), write(2)
 * allocates (shmem_file_write_iter), ftruncate is shmem_setattr and
 * fsync has nothing to write (noop_fsync).
 *
 *   /dev/shm/x, i_size 5 pages:  [p0][  ][p2][  ][  ]   st_blocks 16
 *   read of pages 1, 3, 4: zeros, nothing allocated; a write of page 3
 *   or a store through a mapping: [p3] allocated, st_blocks 24
 *
 * Locks: the mount's s_inode_list_lock for its inode list; sbinfo->
 * stat_lock for used_blocks, free_ispace, next_ino and i_blocks; i_rwsem
 * around writes and setattr; page cache locking as mm/filemap.c.  Order:
 * i_rwsem, page lock, stat_lock.
 */
#include <errno.h>
#include <string.h>

#include <linmm/fs.h>
#include <linmm/highmem.h>
#include <linmm/memory.h>
#include <linmm/mmap.h>
#include <linmm/pagemap.h>
#include <linmm/printk.h>
#include <linmm/shm.h>
#include <linmm/shmem_fs.h>
#include <linmm/slab.h>
#include <linmm/swap.h>

#include "fs/internal.h"
#include "kernel/machine.h"
#include "mm/internal.h"

/* shmem has no a_ops of its own to speak of: no read_folio (never on disk), no writepage. */
static const struct address_space_operations shmem_aops;

#define BLOCKS_PER_PAGE (PAGE_SIZE / 512)

static struct super_block shm_sb;
static struct shmem_sb_info shm_sbinfo;	/* the internal mount: no limits */
static unsigned long shm_sb_boot;

static void shmem_evict_inode(struct inode *inode);

const struct super_operations shmem_ops = {
	.evict_inode = shmem_evict_inode,
};

/* The internal mount, set up at the first object after a boot. */
static struct super_block *shm_mnt(void)
{
	if (shm_sb_boot != linmm_boot_seq || !shm_sb.s_inodes.next) {
		memset(&shm_sb, 0, sizeof(shm_sb));
		INIT_LIST_HEAD(&shm_sb.s_inodes);
		spin_lock_init(&shm_sb.s_inode_list_lock);
		shm_sb.s_maxbytes = MAX_LFS_FILESIZE;
		shm_sb.s_dev = MKDEV_LINMM(0, 1);
		shm_sb.s_op = &shmem_ops;
		memset(&shm_sbinfo, 0, sizeof(shm_sbinfo));
		INIT_LIST_HEAD(&shm_sbinfo.entries);
		spin_lock_init(&shm_sbinfo.stat_lock);
		shm_sbinfo.next_ino = 1;
		shm_sb.s_fs_info = &shm_sbinfo;
		shm_sb_boot = linmm_boot_seq;
	}
	return &shm_sb;
}

bool shmem_mapping(const struct address_space *mapping)
{
	return mapping && mapping->a_ops == &shmem_aops;
}

/* shmem_reserve_inode(): one inode of nr_inodes= and its number.  0 or -ENOSPC. */
static int shmem_reserve_inode(struct super_block *sb, unsigned long *ino)
{
	struct shmem_sb_info *sbinfo = SHMEM_SB(sb);

	spin_lock(&sbinfo->stat_lock);
	if (sbinfo->max_inodes) {
		if (sbinfo->free_ispace < BOGO_INODE_SIZE) {
			spin_unlock(&sbinfo->stat_lock);
			return -ENOSPC;
		}
		sbinfo->free_ispace -= BOGO_INODE_SIZE;
	}
	*ino = sbinfo->next_ino++;
	spin_unlock(&sbinfo->stat_lock);
	return 0;
}

static void shmem_free_inode(struct super_block *sb)
{
	struct shmem_sb_info *sbinfo = SHMEM_SB(sb);

	spin_lock(&sbinfo->stat_lock);
	if (sbinfo->max_inodes)
		sbinfo->free_ispace += BOGO_INODE_SIZE;
	spin_unlock(&sbinfo->stat_lock);
}

struct inode *shmem_get_inode(struct super_block *sb, unsigned int mode, int *err)
{
	struct inode *inode;
	unsigned long ino;

	*err = shmem_reserve_inode(sb, &ino);
	if (*err)
		return NULL;
	inode = new_inode(sb);
	if (!inode) {
		shmem_free_inode(sb);
		*err = -ENOMEM;
		return NULL;
	}
	inode->i_ino = ino;
	inode->i_mode = mode;
	inode->i_data.a_ops = &shmem_aops;
	inode->i_op = &shmem_inode_operations;
	inode->i_fop = &shmem_file_operations;
	return inode;
}

/**
 * shmem_file_setup - a new shmem object of @size bytes, opened read-write.
 * @name: the name maps shows ("/dev/zero", "/SYSV0000abcd"), with " (deleted)"
 * @size: i_size in bytes
 *
 * Context: no locks held; allocates.
 * Return: the file (f_count 1), or NULL (no memory).
 */
struct file *shmem_file_setup(const char *name, loff_t size)
{
	struct inode *inode;
	struct file *file;
	int err;

	inode = shmem_get_inode(shm_mnt(), S_IFREG_LINMM | 0777, &err);
	if (!inode)
		return NULL;
	inode->i_nlink = 0;		/* never in a directory: an unlinked file */
	inode->i_size = size;
	file = alloc_file(inode, O_RDWR);	/* f_op: shmem_file_operations */
	if (!file) {
		iput(inode);
		return NULL;
	}
	file->f_pathname = kstrdup(name, GFP_KERNEL);
	return file;
}

/* shmem_inode_acct_blocks(): one block of size= for a new page.  0 or -ENOSPC. */
static int shmem_inode_acct_block(struct inode *inode)
{
	struct shmem_sb_info *sbinfo = SHMEM_SB(inode->i_sb);
	int err = 0;

	spin_lock(&sbinfo->stat_lock);
	if (sbinfo->max_blocks) {
		if (sbinfo->used_blocks >= sbinfo->max_blocks)
			err = -ENOSPC;
		else
			sbinfo->used_blocks++;
	}
	spin_unlock(&sbinfo->stat_lock);
	return err;
}

static void shmem_inode_unacct_blocks(struct inode *inode, unsigned long pages)
{
	struct shmem_sb_info *sbinfo = SHMEM_SB(inode->i_sb);

	spin_lock(&sbinfo->stat_lock);
	if (sbinfo->max_blocks)
		sbinfo->used_blocks -= pages;
	spin_unlock(&sbinfo->stat_lock);
}

/*
 * shmem_recalc_inode(): i_blocks follows the pages in the cache.  A page
 * is counted once it is in (so a racing recalc never frees its block);
 * pages that left (truncation, eviction) give their blocks back.
 */
static void shmem_recalc_inode(struct inode *inode, long alloced)
{
	struct shmem_sb_info *sbinfo = SHMEM_SB(inode->i_sb);
	unsigned long freed = 0, held;

	spin_lock(&sbinfo->stat_lock);
	inode->i_blocks += (unsigned long)alloced * BLOCKS_PER_PAGE;
	held = inode->i_blocks / BLOCKS_PER_PAGE;
	if (held > inode->i_mapping->nrpages) {
		freed = held - inode->i_mapping->nrpages;
		inode->i_blocks -= freed * BLOCKS_PER_PAGE;
	}
	spin_unlock(&sbinfo->stat_lock);
	if (freed)
		shmem_inode_unacct_blocks(inode, freed);
}

int shmem_get_page(struct inode *inode, pgoff_t index, struct page **pagep)
{
	struct address_space *mapping = inode->i_mapping;
	struct page *page;
	int err;

	for (;;) {
		page = __filemap_get_folio(mapping, index, FGP_LOCK, 0);
		if (page) {
			*pagep = page;
			return 0;
		}
		err = shmem_inode_acct_block(inode);
		if (err)
			return err;
		page = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO);
		if (!page) {
			shmem_inode_unacct_blocks(inode, 1);
			return -ENOMEM;
		}
		set_page_flag(page, PG_locked);
		SetPageSwapBacked(page);
		SetPageUptodate(page);
		err = add_to_page_cache_lru(page, mapping, index, GFP_KERNEL);
		if (!err) {
			shmem_recalc_inode(inode, 1);
			*pagep = page;
			return 0;
		}
		unlock_page(page);
		put_page(page);
		shmem_inode_unacct_blocks(inode, 1);
		if (err != -EEXIST)
			return err;
	}
}

/* shmem_fault - vm_ops->fault: the object's page, created on first touch (a minor fault). */
vm_fault_t shmem_fault(struct vm_fault *vmf)
{
	struct address_space *mapping = vmf->vma->vm_file->f_mapping;
	struct page *page;
	int err;

	if ((u64)vmf->pgoff >= DIV_ROUND_UP((u64)i_size_read(mapping->host), PAGE_SIZE))
		return VM_FAULT_SIGBUS;
	err = shmem_get_page(mapping->host, vmf->pgoff, &page);
	if (err)	/* vmf_error(): no memory is OOM, a full tmpfs (ENOSPC) SIGBUS */
		return err == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
	vmf->page = page;
	return VM_FAULT_LOCKED;
}

static const struct vm_operations_struct shmem_vm_ops = {
	.fault = shmem_fault,
	.map_pages = filemap_map_pages,
};

int shmem_mmap(struct file *file, struct vm_area_struct *vma)
{
	(void)file;
	vma->vm_ops = &shmem_vm_ops;
	return 0;
}


int shmem_zero_setup(struct vm_area_struct *vma)
{
	struct file *file = shmem_file_setup("/dev/zero",
					     (loff_t)(vma->vm_end - vma->vm_start));

	if (!file)
		return -ENOMEM;
	if (vma->vm_file)
		fput(vma->vm_file);
	vma->vm_file = file;
	vma->vm_pgoff = 0;
	vma->vm_ops = &shmem_vm_ops;
	return 0;
}

/* shmem_setattr(ATTR_SIZE): shrinking unmaps and frees the pages beyond; growing is sparse. */
static int shmem_setattr(struct inode *inode, loff_t size)
{
	loff_t old = i_size_read(inode);

	i_size_write(inode, size);
	if (size < old) {
		truncate_pagecache(inode, size);	/* every mapper, private copies too */
		shmem_recalc_inode(inode, 0);
	}
	return 0;
}

/* ->evict_inode: evict() dropped the pages; their blocks and the inode go back. */
static void shmem_evict_inode(struct inode *inode)
{
	shmem_recalc_inode(inode, 0);
	shmem_free_inode(inode->i_sb);
}

/*
 * shmem_file_read_iter - read(2) of a shmem file: cached pages are copied,
 * a hole reads as zeros without allocating (the kernel copies ZERO_PAGE).
 * No readahead: there is no disk.
 * Context: no locks held (a racy snapshot of i_size, as the kernel's).
 * Return: bytes read (0 at or past EOF).
 */
long shmem_file_read_iter(struct file *file, loff_t *ppos, void *buf, size_t count)
{
	struct inode *inode = file->f_inode;
	loff_t pos = *ppos;
	size_t copied = 0;

	while (copied < count) {
		loff_t isize = i_size_read(inode);
		size_t offset = (size_t)(pos & (PAGE_SIZE - 1)), bytes;
		struct page *page;

		if (pos >= isize)
			break;
		bytes = (size_t)min(min((loff_t)(PAGE_SIZE - offset), (loff_t)(count - copied)),
				    isize - pos);
		page = find_get_page(inode->i_mapping, (pgoff_t)(pos >> PAGE_SHIFT));
		if (page) {
			char *kaddr = kmap_local_page(page);

			memcpy((char *)buf + copied, kaddr + offset, bytes);
			kunmap_local(kaddr);
			if (!offset)		/* a read of the page's start marks it */
				mark_page_accessed(page);
			put_page(page);
		} else {
			memset((char *)buf + copied, 0, bytes);
		}
		copied += bytes;
		pos += (loff_t)bytes;
	}
	*ppos = pos;
	return (long)copied;
}

/*
 * shmem_file_write_iter - write(2): generic_write_checks(), then
 * generic_perform_write() with shmem_write_begin (shmem_get_page: a block
 * of size= per new page; ENOSPC after some bytes is a short write) and
 * shmem_write_end (i_size grows, the page is marked dirty: a bare PG_dirty,
 * no writeback exists for it, but smaps counts it as Dirty as the host does).
 * Context: takes i_rwsem; may allocate.
 * Return: bytes written, or -EFBIG, -ENOSPC, -ENOMEM when none were.
 */
long shmem_file_write_iter(struct file *file, loff_t *ppos, const void *buf, size_t count)
{
	struct inode *inode = file->f_inode;
	size_t written = 0;
	loff_t pos = *ppos;
	int err;

	down_write(&inode->i_rwsem);
	err = generic_write_checks(file, &pos, &count);
	while (!err && written < count) {
		size_t offset = (size_t)(pos & (PAGE_SIZE - 1));
		size_t bytes = min(PAGE_SIZE - offset, count - written);
		struct page *page;
		char *kaddr;

		err = shmem_get_page(inode, (pgoff_t)(pos >> PAGE_SHIFT), &page);
		if (err)
			break;
		kaddr = kmap_local_page(page);
		memcpy(kaddr + offset, (const char *)buf + written, bytes);
		kunmap_local(kaddr);
		pos += (loff_t)bytes;
		written += bytes;
		if (pos > i_size_read(inode))
			i_size_write(inode, pos);
		set_page_dirty(page);	/* shmem_write_end(): folio_mark_dirty() */
		unlock_page(page);
		put_page(page);
	}
	up_write(&inode->i_rwsem);
	*ppos = pos;
	return written ? (long)written : err;
}

const struct inode_operations shmem_inode_operations = {
	.setattr = shmem_setattr,
};

const struct file_operations shmem_file_operations = {
	.mmap = shmem_mmap,
	.read_iter = shmem_file_read_iter,
	.write_iter = shmem_file_write_iter,
	.fsync = noop_fsync,
};

/*
 * The invariants of one mount: every inode's cache (validate_mapping,
 * i_mmap), its pages swap-backed and clean, i_blocks == its pages * 8;
 * with size=, used_blocks is their sum and within max_blocks; with
 * nr_inodes=, the inode space used is BOGO_INODE_SIZE per inode.
 */
static int validate_shmem_sb(struct super_block *sb, unsigned long *nr_pages)
{
	struct shmem_sb_info *sbinfo = SHMEM_SB(sb);
	unsigned long blocks = 0, inodes = 0;
	struct inode *inode;
	int ret = 0;

	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		unsigned long index;
		struct page *page;

		if (validate_mapping(inode->i_mapping) || validate_i_mmap(inode->i_mapping)) {
			ret = -EINVAL;
			break;
		}
		xa_for_each(&inode->i_mapping->i_pages, index, page) {
			if (!PageSwapBacked(page)) {
				pr_err("shmem: inode %lu page %lu flags %#lx\n", inode->i_ino,
				       index, page->flags);
				ret = -EINVAL;
				break;
			}
		}
		if (!ret && inode->i_blocks != inode->i_mapping->nrpages * BLOCKS_PER_PAGE) {
			pr_err("shmem: inode %lu i_blocks %lu for %lu pages\n", inode->i_ino,
			       inode->i_blocks, inode->i_mapping->nrpages);
			ret = -EINVAL;
		}
		if (ret)
			break;
		*nr_pages += inode->i_mapping->nrpages;
		blocks += inode->i_mapping->nrpages;
		inodes++;
	}
	spin_unlock(&sb->s_inode_list_lock);
	if (ret)
		return ret;
	spin_lock(&sbinfo->stat_lock);
	if (sbinfo->max_blocks &&
	    (sbinfo->used_blocks != blocks || sbinfo->used_blocks > sbinfo->max_blocks)) {
		pr_err("shmem: %02x:%02x used_blocks %lu, files hold %lu, max_blocks %lu\n",
		       MAJOR_LINMM(sb->s_dev), MINOR_LINMM(sb->s_dev), sbinfo->used_blocks, blocks,
		       sbinfo->max_blocks);
		ret = -EINVAL;
	}
	if (!ret && sbinfo->max_inodes &&
	    sbinfo->max_inodes * BOGO_INODE_SIZE - sbinfo->free_ispace != inodes * BOGO_INODE_SIZE) {
		pr_err("shmem: %02x:%02x free_ispace %lu of %lu inodes with %lu in use\n",
		       MAJOR_LINMM(sb->s_dev), MINOR_LINMM(sb->s_dev), sbinfo->free_ispace,
		       sbinfo->max_inodes, inodes);
		ret = -EINVAL;
	}
	spin_unlock(&sbinfo->stat_lock);
	return ret;
}

int validate_shmem(unsigned long *nr_pages)
{
	struct super_block *tmpfs = shmem_current_sb();

	*nr_pages = 0;
	if (shm_sb_boot == linmm_boot_seq && shm_sb.s_inodes.next &&
	    validate_shmem_sb(&shm_sb, nr_pages))
		return -EINVAL;
	return tmpfs ? validate_shmem_sb(tmpfs, nr_pages) : 0;
}

void shmem_teardown(void)
{
	shm_destroy_all();		/* SysV segments nobody removed (ipc/shm.c) */
	if (shm_sb_boot == linmm_boot_seq && shm_sb.s_inodes.next && !list_empty(&shm_sb.s_inodes))
		pr_err("shmem: objects left at shutdown\n");
	memset(&shm_sb, 0, sizeof(shm_sb));
	memset(&shm_sbinfo, 0, sizeof(shm_sbinfo));
}

/*
 * ---- SHM_LOCK (ipc/shm.c): the object's pages stay in memory ----
 *
 * linmm's shmem inode has no shmem_inode_info: the mapping's
 * AS_UNEVICTABLE bit stands for info->flags' VM_LOCKED.  The callers
 * (ipc/shm.c, under shm_ids_lock) serialise lock and unlock.
 *
 *   touch 2 pages, SHM_LOCK, touch 2 more:   anon LRU [0][1]  unevictable [2][3]
 *   SHM_UNLOCK (shmem_unlock_mapping):       anon LRU [0][1][2][3]
 */
int shmem_lock(struct file *file, int lock, const struct task_struct *tsk)
{
	struct address_space *mapping = file->f_mapping;
	loff_t size = i_size_read(file->f_inode);

	if (lock && !mapping_unevictable(mapping)) {
		if (!user_shm_lock((size_t)size, tsk))
			return -ENOMEM;
		mapping_set_unevictable(mapping);
	}
	if (!lock && mapping_unevictable(mapping)) {
		user_shm_unlock((size_t)size);
		mapping_clear_unevictable(mapping);
	}
	return 0;
}

#define SHMEM_UNLOCK_BATCH 31	/* PAGEVEC_SIZE: pages per check_move_unevictable_folios() */

void shmem_unlock_mapping(struct address_space *mapping)
{
	struct page *batch[SHMEM_UNLOCK_BATCH];
	unsigned long index = 0;
	bool more = true;

	while (more) {
		unsigned int nr = 0;

		while (nr < SHMEM_UNLOCK_BATCH) {
			struct page *page;

			if (!xa_find(&mapping->i_pages, &index, ~0UL, XA_PRESENT)) {
				more = false;
				break;
			}
			page = find_get_page(mapping, index);
			if (page)
				batch[nr++] = page;
			if (index == ~0UL) {
				more = false;
				break;
			}
			index++;
		}
		check_move_unevictable_folios(batch, nr);
		for (unsigned int i = 0; i < nr; i++)
			put_page(batch[i]);
	}
}
