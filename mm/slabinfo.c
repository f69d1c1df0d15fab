// SPDX-License-Identifier: MIT
/*
 * slabinfo.c - /proc/slabinfo, version 2.1 (the slabinfo part of the
 * kernel's mm/slab_common.c: print_slabinfo_header, slab_show, cache_show).
 *
 * One header, then one row per cache, newest first and kmem_cache (the
 * first one) last: the kernel adds caches at the head of slab_caches
 * (list_add in create_cache()) and slab_show() walks from the head.
 * linmm's slab_common.c keeps the list oldest first (list_add_tail, so
 * find_mergeable() walks it forwards where the kernel walks backwards);
 * this file walks it backwards to print the kernel's order.  Aliases
 * (merged caches) are not on the list and have no row; their objects are
 * counted in the cache they share.  Nothing at all is printed while the
 * list is empty, as in the kernel (the header is printed with the first row).
 *
 *   slabinfo - version: 2.1
 *   # name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>
 *   kmalloc-128           96     96    128   32    1 : tunables    0    0    0 : slabdata      3      3      0
 *
 * Row fields (cache_show): the name left-justified in 17 columns, then
 * %6lu active_objs, %6lu num_objs, %6u objsize, %4u objperslab, %4d
 * pagesperslab, " : tunables" %4u x 3, " : slabdata" %6lu x 3, each after
 * one blank; a longer name or number just widens its column.
 *
 * objsize is s->size, the whole slot (metadata included), not object_size.
 * SLUB has no tunables (all 0) and no shared arrays; active_slabs equals
 * num_slabs.  The numbers come from get_slabinfo() (mm/slub.c): with SLUB,
 * active_objs counts every object not on a node partial list's freelist, so
 * free objects of per-CPU slabs count as active until the slab is flushed.
 *
 * Locks: slab_mutex is held across the walk (the kernel's slab_start() to
 * slab_stop()), so caches can be neither created nor destroyed meanwhile; get_slabinfo()
 * takes each node's list_lock inside it (slab_mutex -> list_lock).
 */
#include <linmm/seq_file.h>

#include "mm/internal.h"
#include "mm/slab.h"

static void print_slabinfo_header(struct seq_file *m)
{
	seq_puts(m, "slabinfo - version: 2.1\n");
	seq_puts(m, "# name            <active_objs> <num_objs> <objsize> <objperslab> "
		 "<pagesperslab>");
	seq_puts(m, " : tunables <limit> <batchcount> <sharedfactor>");
	seq_puts(m, " : slabdata <active_slabs> <num_slabs> <sharedavail>");
	seq_putc(m, '\n');
}

void slabinfo_show_row(struct seq_file *m, const char *name, unsigned int size,
		       const struct slabinfo *sinfo)
{
	seq_printf(m, "%-17s %6lu %6lu %6u %4u %4d", name, sinfo->active_objs, sinfo->num_objs,
		   size, sinfo->objects_per_slab, 1 << sinfo->cache_order);
	seq_printf(m, " : tunables %4lu %4lu %4lu", sinfo->limit, sinfo->batchcount, sinfo->shared);
	seq_printf(m, " : slabdata %6lu %6lu %6lu\n", sinfo->active_slabs, sinfo->num_slabs,
		   sinfo->shared_avail);
}

void slabinfo_show(struct seq_file *m)
{
	struct kmem_cache *s;
	struct slabinfo sinfo;

	spin_lock(&slab_mutex);
	list_for_each_entry_reverse(s, &slab_caches, list) {
		if (&s->list == slab_caches.prev)
			print_slabinfo_header(m);
		sinfo = (struct slabinfo){ 0 };
		get_slabinfo(s, &sinfo);
		slabinfo_show_row(m, s->name, s->size, &sinfo);
	}
	spin_unlock(&slab_mutex);
}
