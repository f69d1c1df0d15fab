// SPDX-License-Identifier: MIT
/*
 * file_table.c - struct file: allocation and the last fput()
 * (fs/file_table.c).
 *
 * A file is created by open() with f_count 1 (the descriptor's) and a
 * reference on its inode; fget() adds references for the length of a
 * call.  The last fput() drops the inode reference, which evicts an
 * unlinked inode (fs/inode.c).  Files come from the "filp" slab cache,
 * created with the first file after a boot.
 *
 * Locks: none; f_count is atomic.
 */
#include <string.h>

#include <linmm/pagemap.h>
#include <linmm/slab.h>

#include "fs/internal.h"
#include "kernel/machine.h"

static struct kmem_cache *filp_cachep;
static unsigned long filp_cache_boot;

struct file *alloc_file(struct inode *inode, unsigned int flags)
{
	struct file *file;

	if (!filp_cachep || filp_cache_boot != linmm_boot_seq) {
		filp_cachep = kmem_cache_create("filp", sizeof(struct file), 0,
						SLAB_ACCOUNT, NULL);
		filp_cache_boot = linmm_boot_seq;
		if (!filp_cachep)
			return NULL;
	}
	file = kmem_cache_alloc(filp_cachep, GFP_KERNEL);
	if (!file)
		return NULL;
	memset(file, 0, sizeof(*file));
	atomic_init(&file->f_count, 1);
	file->f_inode = inode;
	file->f_mapping = inode->i_mapping;
	file->f_op = inode->i_fop;	/* do_dentry_open() */
	file->f_flags = flags;
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		file->f_mode = FMODE_READ;
		break;
	case O_WRONLY:
		file->f_mode = FMODE_WRITE;
		break;
	default:
		file->f_mode = FMODE_READ | FMODE_WRITE;
	}
	file_ra_state_init(&file->f_ra, inode->i_mapping);
	return file;
}

/* fput - drop a reference; the last one releases the inode. */
void fput(struct file *file)
{
	if (atomic_fetch_sub(&file->f_count, 1) != 1)
		return;
	iput(file->f_inode);
	kfree(file->f_pathname);
	kmem_cache_free(filp_cachep, file);
}

void fs_file_cache_teardown(void)
{
	if (filp_cachep && filp_cache_boot == linmm_boot_seq)
		kmem_cache_destroy(filp_cachep);
	filp_cachep = NULL;
}
