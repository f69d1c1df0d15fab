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
 * the mapping has no writeback (no a_ops->writepage): its pages are
 * never dirty-tracked or written.
 *
 *   mmap(MAP_SHARED|MAP_ANONYMOUS, 3 pages)
 *     vma->vm_file -> file "/dev/zero" -> inode 5 on shm_mnt, i_size 3 pages
 *     parent and forked child fault page 1: one page, in inode 5's cache
 *
 * Faults beyond i_size are SIGBUS; fault-around maps the cached pages as
 * for a file (filemap_map_pages).
 *
 * Locks: the mount's s_inode_list_lock for its inode list; page cache
 * locking as mm/filemap.c.
 */
#include <string.h>

#include <linmm/fs.h>
#include <linmm/memory.h>
#include <linmm/mmap.h>
#include <linmm/pagemap.h>
#include <linmm/printk.h>
#include <linmm/shm.h>
#include <linmm/slab.h>

#include "fs/internal.h"
#include "kernel/machine.h"
#include "mm/internal.h"

/* shmem has no a_ops of its own to speak of: no read_folio (never on disk), no writepage. */
static const struct address_space_operations shmem_aops;

static struct super_block shm_sb;
static unsigned long shm_sb_boot;
static unsigned long shmem_next_ino;

/* The internal mount, set up at the first object after a boot. */
static struct super_block *shm_mnt(void)
{
	if (shm_sb_boot != linmm_boot_seq || !shm_sb.s_inodes.next) {
		memset(&shm_sb, 0, sizeof(shm_sb));
		INIT_LIST_HEAD(&shm_sb.s_inodes);
		spin_lock_init(&shm_sb.s_inode_list_lock);
		shm_sb.s_maxbytes = MAX_LFS_FILESIZE;
		shm_sb.s_dev = MKDEV_LINMM(0, 1);
		shm_sb_boot = linmm_boot_seq;
		shmem_next_ino = 0;
	}
	return &shm_sb;
}

bool shmem_mapping(const struct address_space *mapping)
{
	return mapping && mapping->a_ops == &shmem_aops;
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
	struct inode *inode = new_inode(shm_mnt());
	struct file *file;

	if (!inode)
		return NULL;
	inode->i_ino = ++shmem_next_ino;
	inode->i_mode = S_IFREG_LINMM | 0777;
	inode->i_nlink = 0;		/* never in a directory: an unlinked file */
	inode->i_size = size;
	inode->i_data.a_ops = &shmem_aops;
	file = alloc_file(inode, O_RDWR);
	if (!file) {
		iput(inode);
		return NULL;
	}
	file->f_pathname = kstrdup(name, GFP_KERNEL);
	file->f_op = &shmem_file_operations;
	return file;
}

/*
 * shmem_get_folio(): the page at @index, created zeroed and uptodate if
 * missing; locked, with a reference.  NULL: no memory.
 */
static struct page *shmem_get_page(struct address_space *mapping, pgoff_t index)
{
	struct page *page;
	int err;

	for (;;) {
		page = __filemap_get_folio(mapping, index, FGP_LOCK, 0);
		if (page)
			return page;
		page = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO);
		if (!page)
			return NULL;
		set_page_flag(page, PG_locked);
		SetPageSwapBacked(page);
		SetPageUptodate(page);
		err = add_to_page_cache_lru(page, mapping, index, GFP_KERNEL);
		if (!err)
			return page;
		unlock_page(page);
		put_page(page);
		if (err != -EEXIST)
			return NULL;
	}
}

/* shmem_fault - vm_ops->fault: the object's page, created on first touch (a minor fault). */
vm_fault_t shmem_fault(struct vm_fault *vmf)
{
	struct address_space *mapping = vmf->vma->vm_file->f_mapping;
	struct page *page;

	if ((u64)vmf->pgoff >= DIV_ROUND_UP((u64)i_size_read(mapping->host), PAGE_SIZE))
		return VM_FAULT_SIGBUS;
	page = shmem_get_page(mapping, vmf->pgoff);
	if (!page)
		return VM_FAULT_OOM;
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

const struct file_operations shmem_file_operations = {
	.mmap = shmem_mmap,
};

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

/**
 * shmem_truncate - tmpfs's setattr size change: @file's object becomes
 * @size bytes; pages beyond it are unmapped from every mapper and freed.
 * Context: no locks held.
 */
void shmem_truncate(struct file *file, loff_t size)
{
	struct inode *inode = file->f_inode;

	down_write(&inode->i_rwsem);
	if (size < i_size_read(inode)) {
		i_size_write(inode, size);
		truncate_pagecache(inode, size);
	} else {
		i_size_write(inode, size);
	}
	up_write(&inode->i_rwsem);
}

int validate_shmem(unsigned long *nr_pages)
{
	struct super_block *sb = &shm_sb;
	struct inode *inode;
	int ret = 0;

	*nr_pages = 0;
	if (shm_sb_boot != linmm_boot_seq || !sb->s_inodes.next)
		return 0;
	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		unsigned long index;
		struct page *page;

		if (validate_mapping(inode->i_mapping) || validate_i_mmap(inode->i_mapping)) {
			ret = -EINVAL;
			break;
		}
		xa_for_each(&inode->i_mapping->i_pages, index, page) {
			if (!PageSwapBacked(page) || PageDirty(page)) {
				pr_err("shmem: inode %lu page %lu flags %#lx\n", inode->i_ino,
				       index, page->flags);
				ret = -EINVAL;
				break;
			}
		}
		*nr_pages += inode->i_mapping->nrpages;
	}
	spin_unlock(&sb->s_inode_list_lock);
	return ret;
}

void shmem_teardown(void)
{
	shm_destroy_all();		/* SysV segments nobody removed (ipc/shm.c) */
	if (shm_sb_boot == linmm_boot_seq && shm_sb.s_inodes.next && !list_empty(&shm_sb.s_inodes))
		pr_err("shmem: objects left at shutdown\n");
	memset(&shm_sb, 0, sizeof(shm_sb));
	shmem_next_ino = 0;
}
