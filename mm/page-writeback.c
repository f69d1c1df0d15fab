// SPDX-License-Identifier: MIT
/*
 * page-writeback.c - dirty page limits (mm/page-writeback.c).
 *
 * This file holds the part of the kernel's writeback control that exists
 * before there is a page cache to write back: the dirty knobs and the
 * global thresholds derived from them, which /proc/vmstat prints as
 * nr_dirty_threshold and nr_dirty_background_threshold.
 *
 *   dirtyable = free - min(free, totalreserve) + active_file + inactive_file
 *               [- highmem part, 32-bit] + 1
 *   thresh    = vm_dirty_bytes ? pages(vm_dirty_bytes)
 *                              : dirtyable * (vm_dirty_ratio * PAGE_SIZE / 100) / PAGE_SIZE
 *   bg_thresh likewise from the background knobs, and at most thresh / 2
 *
 * The ratios are first scaled to parts per PAGE_SIZE (20% is 819/4096), as
 * the kernel does, so the thresholds match its rounding.
 *
 * Invariants: at most one of vm_dirty_ratio / vm_dirty_bytes is non-zero
 * after a sysctl write, likewise for the background pair.
 * Locks: none; the knobs are ints written by sysctl and read racily.
 */
#include <linmm/mm.h>
#include <linmm/vmstat.h>
#include <linmm/writeback.h>

#include "arch/arch.h"
#include "mm/internal.h"

#define DEFAULT_DIRTY_RATIO 20
#define DEFAULT_DIRTY_BACKGROUND_RATIO 10

int vm_dirty_ratio = DEFAULT_DIRTY_RATIO;
int dirty_background_ratio = DEFAULT_DIRTY_BACKGROUND_RATIO;
unsigned long vm_dirty_bytes;
unsigned long dirty_background_bytes;
const unsigned long dirty_bytes_min = 2 * PAGE_SIZE;

void page_writeback_init(void)
{
	vm_dirty_ratio = DEFAULT_DIRTY_RATIO;
	dirty_background_ratio = DEFAULT_DIRTY_BACKGROUND_RATIO;
	vm_dirty_bytes = 0;
	dirty_background_bytes = 0;
}

/*
 * Free and file pages of the highmem zones, which cannot hold dirty page
 * cache metadata while vm.highmem_is_dirtyable is 0 (highmem_dirtyable_memory).
 */
static unsigned long highmem_dirtyable_memory(unsigned long total)
{
	unsigned long x = 0;
	int nid;

	if (!arch_zone_configured(ZONE_HIGHMEM))
		return 0;
	for_each_online_node(nid) {
		struct zone *z = &NODE_DATA(nid)->node_zones[ZONE_HIGHMEM];
		unsigned long nr;

		if (!populated_zone(z))
			continue;
		nr = zone_page_state(z, NR_FREE_PAGES);
		nr -= min(nr, high_wmark_pages(z));
		nr += zone_page_state(z, NR_ZONE_INACTIVE_FILE);
		nr += zone_page_state(z, NR_ZONE_ACTIVE_FILE);
		x += nr;
	}
	return min(x, total);
}

static unsigned long global_dirtyable_memory(void)
{
	unsigned long x = global_zone_page_state(NR_FREE_PAGES);

	x -= min(x, totalreserve_pages);
	x += global_node_page_state(NR_INACTIVE_FILE);
	x += global_node_page_state(NR_ACTIVE_FILE);
	x -= highmem_dirtyable_memory(x);
	return x + 1;	/* never 0 */
}

void global_dirty_limits(unsigned long *pbackground, unsigned long *pdirty)
{
	unsigned long avail = global_dirtyable_memory();
	unsigned long ratio = ((unsigned long)vm_dirty_ratio * PAGE_SIZE) / 100;
	unsigned long bg_ratio = ((unsigned long)dirty_background_ratio * PAGE_SIZE) / 100;
	unsigned long thresh, bg_thresh;

	if (vm_dirty_bytes)
		thresh = DIV_ROUND_UP(vm_dirty_bytes, PAGE_SIZE);
	else
		thresh = (ratio * avail) / PAGE_SIZE;
	if (dirty_background_bytes)
		bg_thresh = DIV_ROUND_UP(dirty_background_bytes, PAGE_SIZE);
	else
		bg_thresh = (bg_ratio * avail) / PAGE_SIZE;
	if (bg_thresh >= thresh)
		bg_thresh = thresh / 2;
	*pbackground = bg_thresh;
	*pdirty = thresh;
}

/*
 * The four handlers: each parses and range-checks like proc_dointvec_minmax
 * / proc_doulongvec_minmax, stores the value and clears its partner.
 */
int dirty_ratio_handler(const struct ctl_table *table, int write, struct seq_file *m,
			const char *buf)
{
	int v, nr;
	int ret;

	if (!write)
		return proc_dointvec(table, write, m, buf);
	ret = proc_parse_ints(table, buf, &v, 1, &nr);
	if (ret)
		return ret;
	if (v != vm_dirty_ratio) {
		vm_dirty_ratio = v;
		vm_dirty_bytes = 0;
	}
	return 0;
}

int dirty_bytes_handler(const struct ctl_table *table, int write, struct seq_file *m,
			const char *buf)
{
	unsigned long v;
	int nr, ret;

	if (!write)
		return proc_doulongvec_minmax(table, write, m, buf);
	ret = proc_parse_ulongs(table, buf, &v, 1, &nr);
	if (ret)
		return ret;
	if (v != vm_dirty_bytes) {
		vm_dirty_bytes = v;
		vm_dirty_ratio = 0;
	}
	return 0;
}

int dirty_background_ratio_handler(const struct ctl_table *table, int write, struct seq_file *m,
				   const char *buf)
{
	int v, nr, ret;

	if (!write)
		return proc_dointvec(table, write, m, buf);
	ret = proc_parse_ints(table, buf, &v, 1, &nr);
	if (ret)
		return ret;
	dirty_background_ratio = v;
	dirty_background_bytes = 0;
	return 0;
}

int dirty_background_bytes_handler(const struct ctl_table *table, int write, struct seq_file *m,
				   const char *buf)
{
	unsigned long v;
	int nr, ret;

	if (!write)
		return proc_doulongvec_minmax(table, write, m, buf);
	ret = proc_parse_ulongs(table, buf, &v, 1, &nr);
	if (ret)
		return ret;
	dirty_background_bytes = v;
	dirty_background_ratio = 0;
	return 0;
}
