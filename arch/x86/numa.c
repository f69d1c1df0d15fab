/* SPDX-License-Identifier: MIT */
/*
 * numa.c - NUMA nodes of the simulated machine (arch/x86/mm/numa.c,
 * arch/x86/mm/srat.c, drivers/acpi/numa/srat.c).
 *
 * `nodes=N` describes an SRAT with N proximity domains: RAM is split into N
 * nodes of (nearly) equal size whose boundaries fall on memory-section
 * boundaries, so every section belongs to one node.  CPUs are spread over
 * the nodes in contiguous blocks (cpus=4 nodes=2: CPUs 0-1 on node 0, 2-3 on
 * node 1); with fewer CPUs than nodes the last nodes are memory-only.
 *
 * The SLIT models a ring interconnect: 10 local, and for remote nodes
 * 10 + 10 x hops around the ring (nodes=2: 20; nodes=4: 20 to neighbours,
 * 30 across), so zonelist ordering by distance is visible.
 *
 * Without nodes= (or with numa=off) there is no SRAT and the kernel fakes
 * one node spanning all memory, printing what it prints then.
 */
#include <linmm/memblock.h>
#include <linmm/mmzone.h>
#include <linmm/printk.h>
#include <linmm/smp.h>

#include "arch/x86/numa.h"

phys_addr_t numa_node_start[MAX_NUMNODES];
phys_addr_t numa_node_end[MAX_NUMNODES];

int cpu_to_node(int cpu)
{
	int nodes = nr_online_nodes ? nr_online_nodes : 1;
	int cpus = nr_cpu_ids ? (int)nr_cpu_ids : 1;

	if (cpus >= nodes)
		return cpu * nodes / cpus;
	return cpu;
}

int node_distance(int a, int b)
{
	int n = nr_online_nodes, d;

	if (a == b)
		return 10;
	d = a > b ? a - b : b - a;
	if (n - d < d)
		d = n - d;
	return 10 + 10 * d;
}

static void node_range_fixup(int nid)
{
	/* A node's span runs from its first to its last memblock.memory byte. */
	const struct memblock_type *t = &memblock.memory;
	bool first = true;

	for (unsigned long i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];

		if (r->nid != nid)
			continue;
		if (first)
			numa_node_start[nid] = r->base;
		numa_node_end[nid] = r->base + r->size;
		first = false;
	}
}

int numa_init(const struct linmm_boot_params *bp)
{
	const phys_addr_t section = 1ULL << bp->arch->section_size_bits;
	phys_addr_t total = memblock_phys_mem_size(), end = memblock_end_of_DRAM();
	int nodes = bp->nr_nodes;

	nr_online_nodes = nodes;
	if (nodes == 1) {
		if (bp->arch->numa) {
			if (bp->numa_off)
				pr_info("NUMA turned off\n");
			else
				pr_info("No NUMA configuration found\n");
			pr_info("Faking a node at [mem %#018llx-%#018llx]\n", 0ULL,
				(unsigned long long)(end - 1));
		}
		if (memblock_set_node(0, end, 0))
			return -ENOMEM;
		numa_node_start[0] = 0;
		numa_node_end[0] = end;
		node_range_fixup(0);
		numa_node_start[0] = 0;	/* a faked node starts at 0, holes included */
		return 0;
	}

	/* Walk RAM in address order and cut it every total/nodes bytes, on section boundaries. */
	phys_addr_t cut_at[MAX_NUMNODES + 1];
	int nid = 1;

	cut_at[0] = 0;
	{
		const struct memblock_type *t = &memblock.memory;
		phys_addr_t seen = 0;

		for (unsigned long i = 0; i < t->cnt && nid < nodes; i++) {
			const struct memblock_region *r = &t->regions[i];

			while (nid < nodes && seen + r->size >= total * (phys_addr_t)nid / nodes) {
				phys_addr_t at = r->base + (total * (phys_addr_t)nid / nodes - seen);

				at = ALIGN(at, section);
				if (at <= cut_at[nid - 1])
					at = cut_at[nid - 1] + section;
				cut_at[nid++] = at;
			}
			seen += r->size;
		}
	}
	cut_at[nodes] = ALIGN(end, section);
	for (nid = 0; nid < nodes; nid++) {
		phys_addr_t s = cut_at[nid], e = min(cut_at[nid + 1], end);

		if (s >= e || !memblock_present_pages(PHYS_PFN(s), PHYS_PFN(e), NUMA_NO_NODE)) {
			linmm_set_error("nodes=%d: node %d would have no memory with mem=%lluM "
					"(each node needs at least one %lluM memory section)",
					nodes, nid, (unsigned long long)(bp->mem >> 20),
					(unsigned long long)(section >> 20));
			return -EINVAL;
		}
		if (memblock_set_node(s, e - s, nid))
			return -ENOMEM;
	}
	for (nid = 0; nid < nodes; nid++) {
		const struct memblock_type *t = &memblock.memory;

		for (unsigned long i = 0; i < t->cnt; i++) {
			const struct memblock_region *r = &t->regions[i];

			if (r->nid == nid)
				pr_info("ACPI: SRAT: Node %d PXM %d [mem %#010llx-%#010llx]\n", nid, nid,
					(unsigned long long)r->base,
					(unsigned long long)(r->base + r->size - 1));
		}
		node_range_fixup(nid);
	}
	return 0;
}

void numa_teardown(void)
{
	for (int i = 0; i < MAX_NUMNODES; i++)
		numa_node_start[i] = numa_node_end[i] = 0;
	nr_online_nodes = 0;
}
