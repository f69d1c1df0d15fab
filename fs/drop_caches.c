// SPDX-License-Identifier: MIT
/*
 * drop_caches.c - /proc/sys/vm/drop_caches (fs/drop_caches.c).
 *
 * Writing 1 drops the clean page cache: invalidate_mapping_pages() over
 * every inode of linmmfs, which skips dirty, writeback, locked and mapped
 * pages (so `sync` first drops more); tmpfs (/dev/shm, mm/tmpfs.c) is not
 * walked: its pages are its files' only copy, which only swap could take.
 * 2 drops reclaimable slab objects (no shrinkers exist yet: nothing to
 * do); 3 both; bit 4 silences the message.
 * Each write counts one drop_pagecache and/or drop_slab event, as in the
 * kernel (events, not pages), and logs "COMM (PID): drop_caches: N".
 *
 * Locks: the super block's inode list lock while walking, each inode
 * pinned with i_count while its pages are dropped.
 */
#include <linmm/pagemap.h>
#include <linmm/printk.h>
#include <linmm/sched.h>
#include <linmm/vmstat.h>

#include "fs/internal.h"

int sysctl_drop_caches;
static int stfu;

/* drop_pagecache_sb() */
static void drop_pagecache_sb(struct super_block *sb)
{
	struct inode *inode, *toput = NULL;

	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		if ((inode->i_state & I_FREEING) || !inode->i_mapping->nrpages)
			continue;
		ihold(inode);
		spin_unlock(&sb->s_inode_list_lock);
		invalidate_mapping_pages(inode->i_mapping, 0, ~0UL);
		if (toput)
			iput(toput);
		toput = inode;
		spin_lock(&sb->s_inode_list_lock);
	}
	spin_unlock(&sb->s_inode_list_lock);
	if (toput)
		iput(toput);
}

int drop_caches_sysctl_handler(const struct ctl_table *table, int write, struct seq_file *m,
			       const char *buf)
{
	struct task_struct *tsk = get_current();
	int v, nr, ret;

	if (!write)
		return proc_dointvec(table, write, m, buf);
	ret = proc_parse_ints(table, buf, &v, 1, &nr);
	if (ret)
		return ret;
	sysctl_drop_caches = v;
	if (v & 1) {
		struct super_block *sb = current_sb();

		if (sb)
			drop_pagecache_sb(sb);
		count_vm_event(DROP_PAGECACHE);
	}
	if (v & 2)
		count_vm_event(DROP_SLAB);	/* drop_slab(): no shrinkers yet */
	if (!stfu)
		pr_info("%s (%d): drop_caches: %d\n", tsk ? tsk->comm : "sysctl", tsk ? tsk->pid : 0,
			v);
	stfu |= v & 4;
	return 0;
}

void drop_caches_reset(void)
{
	sysctl_drop_caches = 0;
	stfu = 0;
}
