// SPDX-License-Identifier: MIT
/*
 * node.c - the per-node files under /sys/devices/system/node/nodeN/
 * (drivers/base/node.c): meminfo and numastat.
 *
 * nodeN/meminfo is /proc/meminfo's per-node cousin: each line is prefixed
 * "Node N ", values are this node's (si_meminfo_node(): managed and free
 * pages of its zones, its node counters), and the field set is the
 * kernel's node_read_meminfo() of 6.18 x86_64: MemUsed instead of
 * MemAvailable, FilePages instead of Cached, no swap or commit lines, and
 * three HugePages lines.  nodeN/numastat sums the NUMA events of the
 * node's zones under their historical names (interleave_hit, local_node,
 * other_node).  Both directories exist only on NUMA models, as
 * /sys/devices/system/node needs CONFIG_NUMA.
 *
 * Locks: none; counters are read approximately.
 */
#include <linmm/mm.h>
#include <linmm/seq_file.h>
#include <linmm/vmstat.h>

#include "arch/arch.h"
#include "fs/proc/internal.h"

#define K(pages) ((unsigned long)(pages) << (PAGE_SHIFT - 10))

static unsigned long sum_zone_node_page_state(struct pglist_data *pgdat, enum zone_stat_item item)
{
	unsigned long sum = 0;

	for (int zid = 0; zid < MAX_NR_ZONES; zid++)
		sum += zone_page_state(&pgdat->node_zones[zid], item);
	return sum;
}

static unsigned long node_managed_pages(struct pglist_data *pgdat, bool highmem_only)
{
	unsigned long sum = 0;

	for (int zid = 0; zid < MAX_NR_ZONES; zid++)
		if (!highmem_only || zid == ZONE_HIGHMEM)
			sum += zone_managed_pages(&pgdat->node_zones[zid]);
	return sum;
}

static void node_val_kb(struct seq_file *m, int nid, const char *label, unsigned long pages)
{
	seq_printf(m, "Node %d %-16s%8lu kB\n", nid, label, K(pages));
}

/**
 * node_read_meminfo - render /sys/devices/system/node/node@nid/meminfo.
 * @m: output
 * @nid: an online node
 *
 * Context: machine booted.
 */
void node_read_meminfo(struct seq_file *m, int nid)
{
	struct pglist_data *pgdat = NODE_DATA(nid);
	unsigned long total = node_managed_pages(pgdat, false);
	unsigned long free = sum_zone_node_page_state(pgdat, NR_FREE_PAGES);
	unsigned long active_anon = node_page_state(pgdat, NR_ACTIVE_ANON);
	unsigned long inactive_anon = node_page_state(pgdat, NR_INACTIVE_ANON);
	unsigned long active_file = node_page_state(pgdat, NR_ACTIVE_FILE);
	unsigned long inactive_file = node_page_state(pgdat, NR_INACTIVE_FILE);
	unsigned long sreclaimable = node_page_state(pgdat, NR_SLAB_RECLAIMABLE_B);
	unsigned long sunreclaim = node_page_state(pgdat, NR_SLAB_UNRECLAIMABLE_B);

	node_val_kb(m, nid, "MemTotal:", total);
	node_val_kb(m, nid, "MemFree:", free);
	node_val_kb(m, nid, "MemUsed:", total - min(total, free));
	node_val_kb(m, nid, "SwapCached:", node_page_state(pgdat, NR_SWAPCACHE));
	node_val_kb(m, nid, "Active:", active_anon + active_file);
	node_val_kb(m, nid, "Inactive:", inactive_anon + inactive_file);
	node_val_kb(m, nid, "Active(anon):", active_anon);
	node_val_kb(m, nid, "Inactive(anon):", inactive_anon);
	node_val_kb(m, nid, "Active(file):", active_file);
	node_val_kb(m, nid, "Inactive(file):", inactive_file);
	node_val_kb(m, nid, "Unevictable:", node_page_state(pgdat, NR_UNEVICTABLE));
	node_val_kb(m, nid, "Mlocked:", sum_zone_node_page_state(pgdat, NR_MLOCK));
	if (arch_zone_configured(ZONE_HIGHMEM)) {
		unsigned long high = node_managed_pages(pgdat, true);
		unsigned long freehigh = zone_page_state(&pgdat->node_zones[ZONE_HIGHMEM],
							 NR_FREE_PAGES);

		node_val_kb(m, nid, "HighTotal:", high);
		node_val_kb(m, nid, "HighFree:", freehigh);
		node_val_kb(m, nid, "LowTotal:", total - high);
		node_val_kb(m, nid, "LowFree:", free - min(free, freehigh));
	}
	node_val_kb(m, nid, "Dirty:", node_page_state(pgdat, NR_FILE_DIRTY));
	node_val_kb(m, nid, "Writeback:", node_page_state(pgdat, NR_WRITEBACK));
	node_val_kb(m, nid, "FilePages:", node_page_state(pgdat, NR_FILE_PAGES));
	node_val_kb(m, nid, "Mapped:", node_page_state(pgdat, NR_FILE_MAPPED));
	node_val_kb(m, nid, "AnonPages:", node_page_state(pgdat, NR_ANON_MAPPED));
	node_val_kb(m, nid, "Shmem:", node_page_state(pgdat, NR_SHMEM));
	seq_printf(m, "Node %d %-16s%8lu kB\n", nid, "KernelStack:",
		   (unsigned long)node_page_state(pgdat, NR_KERNEL_STACK_KB));
	node_val_kb(m, nid, "PageTables:", node_page_state(pgdat, NR_PAGETABLE));
	node_val_kb(m, nid, "SecPageTables:", node_page_state(pgdat, NR_SECONDARY_PAGETABLE));
	node_val_kb(m, nid, "NFS_Unstable:", 0);
	node_val_kb(m, nid, "Bounce:", 0);
	node_val_kb(m, nid, "WritebackTmp:", 0);
	node_val_kb(m, nid, "KReclaimable:",
		    sreclaimable + node_page_state(pgdat, NR_KERNEL_MISC_RECLAIMABLE));
	node_val_kb(m, nid, "Slab:", sreclaimable + sunreclaim);
	node_val_kb(m, nid, "SReclaimable:", sreclaimable);
	node_val_kb(m, nid, "SUnreclaim:", sunreclaim);
	if (arch_has_transparent_hugepage()) {
		node_val_kb(m, nid, "AnonHugePages:", node_page_state(pgdat, NR_ANON_THPS));
		node_val_kb(m, nid, "ShmemHugePages:", node_page_state(pgdat, NR_SHMEM_THPS));
		node_val_kb(m, nid, "ShmemPmdMapped:", node_page_state(pgdat, NR_SHMEM_PMDMAPPED));
		node_val_kb(m, nid, "FileHugePages:", node_page_state(pgdat, NR_FILE_THPS));
		node_val_kb(m, nid, "FilePmdMapped:", node_page_state(pgdat, NR_FILE_PMDMAPPED));
	}
	/* hugetlb_report_node_meminfo(): no hugetlb pool exists yet. */
	seq_printf(m, "Node %d HugePages_Total: %5u\n", nid, 0U);
	seq_printf(m, "Node %d HugePages_Free:  %5u\n", nid, 0U);
	seq_printf(m, "Node %d HugePages_Surp:  %5u\n", nid, 0U);
}

/**
 * node_read_numastat - render /sys/devices/system/node/node@nid/numastat.
 * @m: output
 * @nid: an online node
 *
 * Context: machine booted; folds pending per-CPU NUMA events.
 */
void node_read_numastat(struct seq_file *m, int nid)
{
	static const char *const names[NR_VM_NUMA_EVENT_ITEMS] = {
		[NUMA_HIT] = "numa_hit",
		[NUMA_MISS] = "numa_miss",
		[NUMA_FOREIGN] = "numa_foreign",
		[NUMA_INTERLEAVE_HIT] = "interleave_hit",
		[NUMA_LOCAL] = "local_node",
		[NUMA_OTHER] = "other_node",
	};
	struct pglist_data *pgdat = NODE_DATA(nid);

	for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++) {
		unsigned long sum = 0;

		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			if (populated_zone(&pgdat->node_zones[zid]))
				sum += zone_numa_event_state(&pgdat->node_zones[zid], i);
		seq_printf(m, "%s %lu\n", names[i], sum);
	}
}
