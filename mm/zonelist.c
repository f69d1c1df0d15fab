/* SPDX-License-Identifier: MIT */
/*
 * zonelist.c - the allocation fallback order: zonelists and zone iteration.
 *
 * Carved out of the kernel's mm/page_alloc.c (build_all_zonelists,
 * build_zonelists, find_next_best_node, build_zonerefs_node; 6.18) and
 * mm/mmzone.c (next_zone).
 *
 * Every node has two zonelists, arrays of zonerefs ending in a NULL zone:
 *
 *   ZONELIST_FALLBACK    nodes by distance, local node first; inside each
 *                        node its populated zones from highest to lowest:
 *
 *        node 1 on a 2-node machine:
 *        [ N1 Normal | N1 DMA32 | N0 Normal | N0 DMA32 | N0 DMA | NULL ]
 *
 *   ZONELIST_NOFALLBACK  the local node's zones only (__GFP_THISNODE)
 *
 * The allocator walks a zonelist skipping zones above gfp_zone(gfp), so
 * GFP_KERNEL on node 1 tries N1 Normal, N1 DMA32, then node 0.
 *
 * Node order (find_next_best_node): the local node, then repeatedly the
 * unused node with memory minimising
 *     (distance + (n < local) + has_cpus) * MAX_NUMNODES + node_load[n]
 * where node_load[] is bumped for the first node of each new distance group,
 * so equidistant nodes are spread round-robin over the nodes' lists.
 *
 * Invariants: each zonelist lists every populated zone of the nodes it
 * covers exactly once and ends with a NULL zone; policy_zone is the highest
 * non-Movable populated zone index seen.
 *
 * Locks: zonelist_lock serialises rebuilds (the kernel's zonelist_update_seq
 * writer side).  Readers (the allocator) walk zonelists without a lock; a
 * rebuild only happens at boot and on memory hotplug, which the caller
 * serialises against allocation (mem_hotplug_lock in the kernel).
 */
#include <limits.h>

#include <linmm/gfp.h>
#include <linmm/memblock.h>
#include <linmm/printk.h>
#include <linmm/smp.h>

#include "arch/arch.h"
#include "kernel/machine.h"
#include "mm/internal.h"

#define PENALTY_FOR_NODE_WITH_CPUS 1

static spinlock_t zonelist_lock = __SPIN_LOCK_UNLOCKED;
static int node_load[MAX_NUMNODES];

static pg_data_t *zone_to_pgdat(const struct zone *zone)
{
	int nid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		if (zone >= pgdat->node_zones && zone < pgdat->node_zones + MAX_NR_ZONES)
			return pgdat;
	}
	return NULL;
}

/**
 * next_zone - the zone after @zone in for_each_zone() order
 * @zone: a zone of an online node
 *
 * Walks node 0's zones, then node 1's..., skipping zone indices the arch
 * does not configure (they exist in node_zones[] but are compiled out in
 * the kernel).
 *
 * Context: any.
 * Return: the next zone, or NULL after the last zone of the last node.
 */
struct zone *next_zone(struct zone *zone)
{
	pg_data_t *pgdat = zone_to_pgdat(zone);
	int nid, idx;

	if (!pgdat)
		return NULL;
	nid = pgdat->node_id;
	idx = (int)(zone - pgdat->node_zones) + 1;
	for (;;) {
		for (; idx < MAX_NR_ZONES; idx++)
			if (arch_zone_configured(idx))
				return &NODE_DATA(nid)->node_zones[idx];
		if (++nid >= nr_online_nodes)
			return NULL;
		idx = 0;
	}
}

/**
 * node_has_memory - is @nid in N_MEMORY (has a populated zone)?
 * @nid: node id
 *
 * Context: any.
 * Return: true or false.
 */
bool node_has_memory(int nid)
{
	pg_data_t *pgdat;

	if (nid < 0 || nid >= nr_online_nodes || !NODE_DATA(nid))
		return false;
	pgdat = NODE_DATA(nid);
	for (int i = 0; i < MAX_NR_ZONES; i++)
		if (populated_zone(&pgdat->node_zones[i]))
			return true;
	return false;
}

static bool node_has_cpus(int nid)
{
	int cpu;

	for_each_online_cpu(cpu)
		if (cpu_to_node(cpu) == nid)
			return true;
	return false;
}

/**
 * zonelist_nr_zones - number of zones in @zl
 * @zl: a built zonelist
 *
 * Context: any.
 * Return: zonerefs before the NULL terminator.
 */
int zonelist_nr_zones(const struct zonelist *zl)
{
	int n = 0;

	while (zl->_zonerefs[n].zone)
		n++;
	return n;
}

static void check_highest_zone(int zone_type)
{
	if (zone_type > policy_zone && zone_type != ZONE_MOVABLE)
		policy_zone = zone_type;
}

/* Append @pgdat's populated zones, highest first. Return how many. */
static int build_zonerefs_node(pg_data_t *pgdat, struct zoneref *zonerefs)
{
	int nr_zones = 0;

	for (int zone_type = MAX_NR_ZONES - 1; zone_type >= 0; zone_type--) {
		struct zone *zone = &pgdat->node_zones[zone_type];

		if (!populated_zone(zone))
			continue;
		zonerefs[nr_zones].zone = zone;
		zonerefs[nr_zones].zone_idx = zone_type;
		nr_zones++;
		check_highest_zone(zone_type);
	}
	return nr_zones;
}

/*
 * find_next_best_node - the next node for @node's fallback list
 * @node: whose list we are building
 * @used: nodes already in the list (updated)
 *
 * Return: a node id, or NUMA_NO_NODE when every node with memory is used.
 */
static int find_next_best_node(int node, u64 *used)
{
	int min_val = INT_MAX, best_node = NUMA_NO_NODE, n;

	/* Use the local node if we haven't already. */
	if (!(*used & BIT(node))) {
		*used |= BIT(node);
		return node;
	}

	for_each_online_node(n) {
		int val;

		if ((*used & BIT(n)) || !node_has_memory(n))
			continue;
		val = node_distance(node, n);
		/* Penalise nodes under us ("prefer the next node"). */
		val += (n < node);
		/* Give preference to headless and unused nodes. */
		if (node_has_cpus(n))
			val += PENALTY_FOR_NODE_WITH_CPUS;
		/* Slight preference for less loaded node. */
		val *= MAX_NUMNODES;
		val += node_load[n];
		if (val < min_val) {
			min_val = val;
			best_node = n;
		}
	}
	if (best_node >= 0)
		*used |= BIT(best_node);
	return best_node;
}

static void build_zonelists(pg_data_t *pgdat)
{
	int node_order[MAX_NUMNODES];
	int local_node = pgdat->node_id, prev_node = local_node;
	int node, nr_nodes = 0;
	struct zoneref *zonerefs;
	u64 used = 0;

	while ((node = find_next_best_node(local_node, &used)) >= 0) {
		/*
		 * Don't pressure one node: penalise the first node of each
		 * new distance group so equidistant nodes take turns.
		 */
		if (node_distance(local_node, node) != node_distance(local_node, prev_node))
			node_load[node] += 1;
		node_order[nr_nodes++] = node;
		prev_node = node;
	}

	zonerefs = pgdat->node_zonelists[ZONELIST_FALLBACK]._zonerefs;
	for (int i = 0; i < nr_nodes; i++)
		zonerefs += build_zonerefs_node(NODE_DATA(node_order[i]), zonerefs);
	zonerefs->zone = NULL;
	zonerefs->zone_idx = 0;

	zonerefs = pgdat->node_zonelists[ZONELIST_NOFALLBACK]._zonerefs;
	zonerefs += build_zonerefs_node(pgdat, zonerefs);
	zonerefs->zone = NULL;
	zonerefs->zone_idx = 0;

	pr_info("Fallback order for Node %d: ", local_node);
	for (int i = 0; i < nr_nodes; i++)
		pr_cont("%d ", node_order[i]);
	pr_cont("\n");
}

/*
 * Present pages the local fallback list offers a GFP_HIGHUSER_MOVABLE
 * allocation: what 6.18 prints as "Total pages" (and judges mobility
 * grouping by) when it builds the zonelists.  Older kernels counted managed
 * pages above the high watermark here; the host's 6.18 boot log shows the
 * sum of present pages (6291358 on a 24 GiB guest whose managed pages are
 * far fewer), so that is what is counted.
 */
static unsigned long zonelist_total_pages(void)
{
	struct zonelist *zl = node_zonelist(numa_node_id(), GFP_KERNEL);
	int highest = gfp_zone(GFP_HIGHUSER_MOVABLE);
	unsigned long sum = 0;

	for (struct zoneref *z = zl->_zonerefs; z->zone; z++)
		if (z->zone_idx <= highest)
			sum += z->zone->present_pages;
	return sum;
}

/**
 * build_all_zonelists - (re)build every node's zonelists
 *
 * Prints "Fallback order for Node N: ..." per node, decides whether
 * grouping pages by mobility is worth it (not below pageblock_nr_pages *
 * MIGRATE_TYPES pages), and prints the kernel's summary lines.  Run at boot
 * and whenever memory hotplug populates or empties a zone.  At boot it
 * first resets the NUMA policy state (numa_policy_init()), since
 * policy_zone is recomputed here.
 *
 * Context: machine booting, or booted with memory hotplug serialised; no
 * zone locks held.
 */
void build_all_zonelists(void)
{
	unsigned long vm_total_pages;
	int nid;

	if (!linmm_booted)
		numa_policy_init();
	spin_lock(&zonelist_lock);
	for (nid = 0; nid < MAX_NUMNODES; nid++)
		node_load[nid] = 0;
	for_each_online_node(nid)
		build_zonelists(NODE_DATA(nid));
	spin_unlock(&zonelist_lock);

	vm_total_pages = zonelist_total_pages();
	page_group_by_mobility_disabled = vm_total_pages < pageblock_nr_pages * MIGRATE_TYPES;

	pr_info("Built %u zonelists, mobility grouping %s.  Total pages: %ld\n",
		(unsigned int)nr_online_nodes, page_group_by_mobility_disabled ? "off" : "on",
		(long)vm_total_pages);
	if (linmm_arch->numa)
		pr_info("Policy zone: %s\n", zone_names[policy_zone]);
}
