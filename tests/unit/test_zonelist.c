/* SPDX-License-Identifier: MIT */
/*
 * test_zonelist.c - which zone and node an allocation lands in: zonelists,
 * GFP zone modifiers, __GFP_THISNODE and NUMA memory policies.
 *
 * Oracles: the kernel's find_next_best_node() rule worked out by hand for
 * the machines below; gfp_zone() of the fact sheet (2.4); the semantics of
 * set_mempolicy(2) (modes, flags, errno values).
 *
 * "mem=4G nodes=4 cpus=8": a ring SLIT (0-1 20, 0-2 30, 0-3 20, ...), every
 * node has CPUs.  node_load[] accumulates over the nodes, so:
 *
 *   node 0:  0 | 1 3 (distance 20, 1 first: lower load tie -> lower id) | 2
 *            load[1]++ (first at 20), load[2]++ (first at 30)
 *   node 1:  1 | 2 (20+1+load 1 beats 0's 20+1(below)+1) 0 | 3
 *            load[2]++, load[3]++
 *   node 2:  2 | 3 1 | 0          load[3]++, load[0]++
 *   node 3:  3 | 0 2 | 1          load[0]++, load[1]++
 *
 * Within a node zones go highest first:
 *   [ N0 Normal | N0 DMA32 | N0 DMA | N1 ... ]
 */
#include "linmm_test.h"

#include <linmm/mempolicy.h>
#include <linmm/smp.h>
#include <linmm/vmstat.h>

#include "arch/arch.h"
#include "mm/internal.h"

#define MAX_HELD 8192

static struct page *held[MAX_HELD];
static unsigned int held_order[MAX_HELD];
static int nr_held;

static int shutdown_after(void **state)
{
	nr_held = 0;
	return linmm_test_shutdown(state);
}

static struct page *hold(struct page *page, unsigned int order)
{
	if (page) {
		assert_true(nr_held < MAX_HELD);
		held[nr_held] = page;
		held_order[nr_held++] = order;
	}
	return page;
}

static void free_held(void)
{
	while (nr_held > 0) {
		nr_held--;
		__free_pages(held[nr_held], held_order[nr_held]);
	}
	drain_all_pages(NULL);
	check_machine();
}

/* One zonelist: nodes in @order, each node's populated zones highest first, NULL end. */
static void check_zonelist(const struct zonelist *zl, const int *order, int nr_nodes)
{
	const struct zoneref *z = zl->_zonerefs;

	for (int i = 0; i < nr_nodes; i++) {
		pg_data_t *pgdat = NODE_DATA(order[i]);

		for (int idx = MAX_NR_ZONES - 1; idx >= 0; idx--) {
			if (!populated_zone(&pgdat->node_zones[idx]))
				continue;
			assert_ptr_equal(z->zone, &pgdat->node_zones[idx]);
			assert_int_equal(z->zone_idx, idx);
			z++;
		}
	}
	assert_null(z->zone);
}

static void check_node_order(int nid, const int *order, int nr_nodes)
{
	char line[128];
	int n;

	n = snprintf(line, sizeof(line), "Fallback order for Node %d: ", nid);
	for (int i = 0; i < nr_nodes; i++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, "%d ", order[i]);
	snprintf(line + n, sizeof(line) - (size_t)n, "\n");
	if (!dmesg_contains(line))
		fail_msg("dmesg lacks \"%s\"", line);
	check_zonelist(&NODE_DATA(nid)->node_zonelists[ZONELIST_FALLBACK], order, nr_nodes);
	check_zonelist(&NODE_DATA(nid)->node_zonelists[ZONELIST_NOFALLBACK], &nid, 1);
}

static void check_built_line(const char *policy_zone_name)
{
	char line[160];

	snprintf(line, sizeof(line), "Built %d zonelists, mobility grouping on.  Total pages: %lu\n",
		 nr_online_nodes, get_num_physpages());
	if (!dmesg_contains(line))
		fail_msg("dmesg lacks \"%s\"", line);
	if (policy_zone_name) {
		snprintf(line, sizeof(line), "Policy zone: %s\n", policy_zone_name);
		assert_true(dmesg_contains(line));
	} else {
		assert_false(dmesg_contains("Policy zone:"));
	}
}

static void test_fallback_order_4_nodes(void **state)
{
	static const int order[4][4] = { { 0, 1, 3, 2 }, { 1, 2, 0, 3 }, { 2, 3, 1, 0 }, { 3, 0, 2, 1 } };

	boot_or_fail("mem=4G nodes=4 cpus=8");
	for (int nid = 0; nid < 4; nid++)
		check_node_order(nid, order[nid], 4);
	check_built_line("Normal");
	assert_int_equal(page_group_by_mobility_disabled, 0);
}

static void test_fallback_order_2_nodes(void **state)
{
	static const int order[2][2] = { { 0, 1 }, { 1, 0 } };

	boot_or_fail("mem=1G nodes=2 cpus=2");
	check_node_order(0, order[0], 2);
	check_node_order(1, order[1], 2);
	check_built_line("DMA32");	/* no memory above 4 GiB */
}

/* for_each_zone() visits every configured zone index of every node, in order. */
static void test_next_zone(void **state)
{
	struct zone *zone, *prev = NULL;
	int n = 0, per_node = 0;

	boot_or_fail("mem=2G nodes=3 cpus=3");
	for (int i = 0; i < MAX_NR_ZONES; i++)
		per_node += arch_zone_configured(i);
	for_each_zone(zone) {
		assert_true(arch_zone_configured(zone_idx(zone)));
		if (prev && zone_to_nid(prev) == zone_to_nid(zone))
			assert_true(zone_idx(zone) > zone_idx(prev));
		else if (prev)
			assert_int_equal(zone_to_nid(zone), zone_to_nid(prev) + 1);
		prev = zone;
		n++;
	}
	assert_int_equal(n, 3 * per_node);
	assert_false(arch_zone_configured(ZONE_HIGHMEM));	/* x86_64 */
}

static struct page *alloc_on_cpu(int cpu, gfp_t gfp, unsigned int order)
{
	assert_int_equal(linmm_cpu_enter(cpu), 0);
	return hold(alloc_pages(gfp, order), order);
}

/* GFP zone modifiers pick the highest zone; the zonelist walks down from it. */
static void test_gfp_zone_choice(void **state)
{
	struct page *p;

	boot_or_fail("mem=6G");
	p = alloc_on_cpu(0, GFP_KERNEL, 0);
	assert_int_equal(page_zonenum(p), ZONE_NORMAL);
	p = alloc_on_cpu(0, GFP_HIGHUSER_MOVABLE, 0);
	assert_int_equal(page_zonenum(p), ZONE_NORMAL);	/* no Movable zone */
	p = alloc_on_cpu(0, GFP_KERNEL | GFP_DMA32, 0);
	assert_int_equal(page_zonenum(p), ZONE_DMA32);
	p = alloc_on_cpu(0, GFP_KERNEL | GFP_DMA, 0);
	assert_int_equal(page_zonenum(p), ZONE_DMA);
	p = alloc_on_cpu(0, GFP_DMA | __GFP_ZERO, 3);
	assert_int_equal(page_zonenum(p), ZONE_DMA);
	assert_true(page_to_pfn(p) + 8 <= (16UL << 20) >> PAGE_SHIFT);
	check_machine();
	free_held();
}

/* On a node's CPU the node's memory comes first; GFP_DMA must leave for node 0. */
static void test_local_node_first(void **state)
{
	struct page *p;

	boot_or_fail("mem=1G nodes=2 cpus=2");
	assert_int_equal(cpu_to_node(1), 1);
	p = alloc_on_cpu(1, GFP_KERNEL, 0);
	assert_int_equal(page_to_nid(p), 1);
	assert_int_equal(page_zonenum(p), ZONE_DMA32);	/* node 1 is all below 4 GiB */
	p = alloc_on_cpu(0, GFP_KERNEL, 0);
	assert_int_equal(page_to_nid(p), 0);
	p = alloc_on_cpu(1, GFP_KERNEL | GFP_DMA, 0);
	assert_int_equal(page_to_nid(p), 0);
	assert_int_equal(page_zonenum(p), ZONE_DMA);
	p = hold(alloc_pages_node(1, GFP_KERNEL, 2), 2);
	assert_int_equal(page_to_nid(p), 1);
	free_held();
}

/*
 * Fill the machine from node 0's CPU: the nodes show up in the fallback
 * order 0 1 3 2 of the ring SLIT.
 */
static void test_fallback_by_distance(void **state)
{
	static const int want[4] = { 0, 1, 3, 2 };
	int seen[4], nr_seen = 0;
	struct page *p;

	boot_or_fail("mem=2G nodes=4 cpus=4 backing=none");
	assert_int_equal(linmm_cpu_enter(0), 0);
	while ((p = hold(alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, pageblock_order),
			 pageblock_order))) {
		int nid = page_to_nid(p), k;

		for (k = 0; k < nr_seen && seen[k] != nid; k++)
			;
		if (k == nr_seen) {
			assert_true(nr_seen < 4);
			seen[nr_seen++] = nid;
		}
	}
	assert_int_equal(nr_seen, 4);
	for (int k = 0; k < 4; k++)
		assert_int_equal(seen[k], want[k]);
	check_machine();
	free_held();
}

/* __GFP_THISNODE never leaves the node, even when it is full. */
static void test_thisnode(void **state)
{
	struct page *p;
	int n = 0;

	boot_or_fail("mem=1G nodes=2 cpus=2 backing=none");
	while ((p = alloc_on_cpu(1, GFP_HIGHUSER_MOVABLE | __GFP_THISNODE | __GFP_NOWARN,
				 pageblock_order))) {
		assert_int_equal(page_to_nid(p), 1);
		n++;
	}
	assert_true(n > 0);
	/* Without __GFP_THISNODE the same CPU falls back to node 0. */
	p = alloc_on_cpu(1, GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, pageblock_order);
	assert_non_null(p);
	assert_int_equal(page_to_nid(p), 0);
	check_machine();
	free_held();
}

static long set_policy(int mode, unsigned long mask)
{
	return set_mempolicy(mode, mask ? &mask : NULL, mask ? 65 : 0);
}

static void test_set_mempolicy_validation(void **state)
{
	unsigned long big[2] = { 0x1, 0x1 };
	unsigned long mask = 0;
	int mode = -1;

	boot_or_fail("mem=2G nodes=4 cpus=4 backing=none");
	assert_int_equal(set_policy(MPOL_MAX, 0x1), -EINVAL);
	assert_int_equal(set_policy(MPOL_DEFAULT, 0x1), -EINVAL);
	assert_int_equal(set_policy(MPOL_BIND, 0), -EINVAL);
	assert_int_equal(set_policy(MPOL_INTERLEAVE, 0), -EINVAL);
	assert_int_equal(set_policy(MPOL_PREFERRED_MANY, 0), -EINVAL);
	assert_int_equal(set_policy(MPOL_LOCAL, 0x2), -EINVAL);
	assert_int_equal(set_policy(MPOL_BIND, 1UL << 5), -EINVAL);	/* node 5 does not exist */
	assert_int_equal(set_policy(MPOL_BIND | MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES, 0x1),
			 -EINVAL);
	assert_int_equal(set_policy(MPOL_INTERLEAVE | MPOL_F_NUMA_BALANCING, 0x3), -EINVAL);
	assert_int_equal(set_policy(MPOL_PREFERRED | MPOL_F_STATIC_NODES, 0), -EINVAL);
	/* A bit past MAX_NUMNODES is rejected; maxnode past a page of bits too. */
	assert_int_equal(set_mempolicy(MPOL_BIND, big, 129), -EINVAL);
	assert_int_equal(set_mempolicy(MPOL_BIND, big, 65), 0);
	assert_int_equal(set_mempolicy(MPOL_BIND, big, PAGE_SIZE * 8 + 2), -EINVAL);
	/* maxnode counts one more than the bits read: maxnode 1 reads none. */
	assert_int_equal(set_mempolicy(MPOL_BIND, big, 1), -EINVAL);

	assert_int_equal(set_policy(MPOL_BIND | MPOL_F_NUMA_BALANCING, 0x6), 0);
	assert_int_equal(get_mempolicy(&mode, &mask, 65, 0, 0), 0);
	assert_int_equal(mode, MPOL_BIND | MPOL_F_NUMA_BALANCING);	/* mode flags come back */
	assert_int_equal(mask, 0x6);

	/* PREFERRED keeps its first node only; an empty PREFERRED is LOCAL. */
	assert_int_equal(set_policy(MPOL_PREFERRED, 0xc), 0);
	assert_int_equal(get_mempolicy(&mode, &mask, 65, 0, 0), 0);
	assert_int_equal(mode, MPOL_PREFERRED);
	assert_int_equal(mask, 0x4);
	assert_int_equal(set_policy(MPOL_PREFERRED, 0), 0);
	assert_int_equal(get_mempolicy(&mode, &mask, 65, 0, 0), 0);
	assert_int_equal(mode, MPOL_LOCAL);
	assert_int_equal(mask, 0);

	/* STATIC keeps the user's mask; RELATIVE maps bit i to the i-th node. */
	assert_int_equal(set_policy(MPOL_INTERLEAVE | MPOL_F_STATIC_NODES, 0x30 | 0x3), 0);
	assert_int_equal(get_mempolicy(&mode, &mask, 65, 0, 0), 0);
	assert_int_equal(mode, MPOL_INTERLEAVE | MPOL_F_STATIC_NODES);
	assert_int_equal(mask, 0x33);
	assert_int_equal(set_policy(MPOL_BIND | MPOL_F_RELATIVE_NODES, 0x20), 0); /* 5 % 4 -> node 1 */
	for (int i = 0; i < 4; i++) {
		struct page *p = alloc_on_cpu(0, GFP_KERNEL, 0);

		assert_int_equal(page_to_nid(p), 1);
	}

	/* get_mempolicy() errors. */
	assert_int_equal(get_mempolicy(&mode, &mask, 2, 0, 0), -EINVAL);	/* < nr nodes */
	assert_int_equal(get_mempolicy(&mode, NULL, 0, 0x1000, 0), -EINVAL);
	assert_int_equal(get_mempolicy(&mode, NULL, 0, 0x1000, MPOL_F_ADDR), -EFAULT);
	assert_int_equal(get_mempolicy(&mode, NULL, 0, 0, MPOL_F_NODE), -EINVAL); /* not interleave */
	assert_int_equal(get_mempolicy(&mode, NULL, 0, 0, 0x8), -EINVAL);
	assert_int_equal(get_mempolicy(&mode, &mask, 65, 0, MPOL_F_MEMS_ALLOWED), 0);
	assert_int_equal(mask, 0xf);

	assert_int_equal(set_policy(MPOL_DEFAULT, 0), 0);
	assert_int_equal(get_mempolicy(&mode, &mask, 65, 0, 0), 0);
	assert_int_equal(mode, MPOL_DEFAULT);
	assert_int_equal(mask, 0);
	free_held();
}

static unsigned long node_interleave_hits(int nid)
{
	unsigned long sum = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++)
		sum += zone_numa_event_state(&NODE_DATA(nid)->node_zones[i], NUMA_INTERLEAVE_HIT);
	return sum;
}

/* Interleave rotates over the set, starting at its first node. */
static void test_interleave(void **state)
{
	unsigned long hits_before;
	int mode;

	boot_or_fail("mem=2G nodes=4 cpus=4 backing=none");
	hits_before = node_interleave_hits(1) + node_interleave_hits(3);
	assert_int_equal(set_policy(MPOL_INTERLEAVE, 0xa), 0);
	assert_int_equal(get_mempolicy(&mode, NULL, 0, 0, MPOL_F_NODE), 0);
	assert_int_equal(mode, 1);
	for (int i = 0; i < 8; i++) {
		struct page *p = alloc_on_cpu(0, GFP_KERNEL, 0);

		assert_int_equal(page_to_nid(p), (i & 1) ? 3 : 1);
	}
	assert_int_equal(get_mempolicy(&mode, NULL, 0, 0, MPOL_F_NODE), 0);
	assert_int_equal(mode, 1);
	assert_int_equal(node_interleave_hits(1) + node_interleave_hits(3), hits_before + 8);

	/* An explicit index picks (index mod weight)-th node. */
	{
		struct mempolicy pol = { .mode = MPOL_INTERLEAVE, .home_node = NUMA_NO_NODE };

		node_set(0, &pol.nodes);
		node_set(2, &pol.nodes);
		node_set(3, &pol.nodes);
		for (unsigned long ilx = 0; ilx < 6; ilx++) {
			static const int want[3] = { 0, 2, 3 };
			struct page *p = hold(alloc_pages_mpol(GFP_KERNEL, 0, &pol, ilx, 1), 0);

			assert_int_equal(page_to_nid(p), want[ilx % 3]);
		}
	}

	/* __GFP_THISNODE ignores the task policy. */
	{
		struct page *p = alloc_on_cpu(2, GFP_KERNEL | __GFP_THISNODE, 0);

		assert_int_equal(page_to_nid(p), 2);
	}
	free_held();
}

/* BIND stays inside its set until it is exhausted; lower zones are exempt. */
static void test_bind(void **state)
{
	struct page *p;
	int n = 0;

	boot_or_fail("mem=2G nodes=4 cpus=4 backing=none");
	assert_int_equal(set_policy(MPOL_BIND, 0x4), 0);
	while ((p = alloc_on_cpu(0, GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, pageblock_order))) {
		assert_int_equal(page_to_nid(p), 2);
		n++;
	}
	assert_true(n > 0);
	/* GFP_DMA is below policy_zone (DMA32): BIND does not restrict it. */
	p = alloc_on_cpu(0, GFP_KERNEL | GFP_DMA, 0);
	assert_non_null(p);
	assert_int_equal(page_to_nid(p), 0);
	assert_int_equal(set_policy(MPOL_DEFAULT, 0), 0);
	p = alloc_on_cpu(0, GFP_HIGHUSER_MOVABLE, pageblock_order);
	assert_non_null(p);
	assert_int_equal(page_to_nid(p), 0);
	check_machine();
	free_held();
}

static void test_preferred_and_local(void **state)
{
	struct page *p;

	boot_or_fail("mem=2G nodes=4 cpus=4 backing=none");
	assert_int_equal(set_policy(MPOL_PREFERRED, 0x8), 0);
	p = alloc_on_cpu(0, GFP_KERNEL, 0);
	assert_int_equal(page_to_nid(p), 3);
	/* PREFERRED_MANY {1,2} from node 0: node 0's fallback order 0 1 3 2 picks 1. */
	assert_int_equal(set_policy(MPOL_PREFERRED_MANY, 0x6), 0);
	p = alloc_on_cpu(0, GFP_KERNEL, 0);
	assert_int_equal(page_to_nid(p), 1);
	p = alloc_on_cpu(3, GFP_KERNEL, 0);		/* node 3: 3 0 2 1 -> 2 */
	assert_int_equal(page_to_nid(p), 2);
	assert_int_equal(set_policy(MPOL_LOCAL, 0), 0);
	p = alloc_on_cpu(3, GFP_KERNEL, 0);
	assert_int_equal(page_to_nid(p), 3);
	free_held();
}

/* x86_32: no NUMA; HighMem is the top of the single zonelist. */
static void test_x86_32(void **state)
{
	static const int only_node[1] = { 0 };
	struct page *p;

	boot_or_fail("mem=2G arch=x86_32");
	check_node_order(0, only_node, 1);
	check_built_line(NULL);
	assert_int_equal(set_policy(MPOL_BIND, 0x1), -ENOSYS);
	p = alloc_on_cpu(0, GFP_HIGHUSER, 0);
	assert_int_equal(page_zonenum(p), ZONE_HIGHMEM);
	p = alloc_on_cpu(0, GFP_KERNEL, 0);
	assert_int_equal(page_zonenum(p), ZONE_NORMAL);
	p = alloc_on_cpu(0, GFP_DMA, 0);
	assert_int_equal(page_zonenum(p), ZONE_DMA);
	free_held();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_fallback_order_4_nodes, shutdown_after),
		cmocka_unit_test_teardown(test_fallback_order_2_nodes, shutdown_after),
		cmocka_unit_test_teardown(test_next_zone, shutdown_after),
		cmocka_unit_test_teardown(test_gfp_zone_choice, shutdown_after),
		cmocka_unit_test_teardown(test_local_node_first, shutdown_after),
		cmocka_unit_test_teardown(test_fallback_by_distance, shutdown_after),
		cmocka_unit_test_teardown(test_thisnode, shutdown_after),
		cmocka_unit_test_teardown(test_set_mempolicy_validation, shutdown_after),
		cmocka_unit_test_teardown(test_interleave, shutdown_after),
		cmocka_unit_test_teardown(test_bind, shutdown_after),
		cmocka_unit_test_teardown(test_preferred_and_local, shutdown_after),
		cmocka_unit_test_teardown(test_x86_32, shutdown_after),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
