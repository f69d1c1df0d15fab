/* SPDX-License-Identifier: MIT */
/*
 * test_vmstat.c - zone/node counters with per-CPU deltas, their folding
 * thresholds, NUMA and VM events (mm/vmstat.c).
 *
 * Oracles: the kernel's threshold table in mm/vmstat.c's
 * calculate_normal_threshold() comment (e.g. 2 CPUs and a 0.9-1 GB zone:
 * 16; 8 CPUs: 32; zones under 128 MB with 2 CPUs: 4), checked against the
 * host's own /proc/zoneinfo as well; and plain arithmetic for the folding:
 *
 *   CPU0 delta:  +1 +1 ... +t        total 0, snapshot t
 *                +1 (passes t)       folded: total t+1, delta 0
 *   CPU1 delta:  -5                  snapshot = total + (-5)
 */
#include "linmm_test.h"

#include <pthread.h>

#include <linmm/vmstat.h>

#include "arch/arch.h"
#include "kernel/machine.h"
#include "mm/internal.h"

/* Independent statement of the kernel's formula, fls() spelled out. */
static int expected_threshold(unsigned long managed_pages, int cpus)
{
	int fls_cpus = 0, fls_mem = 0;
	unsigned long mem = managed_pages / 32768;	/* 128 MiB units */
	int t;

	while ((1 << fls_cpus) <= cpus)
		fls_cpus++;
	while (mem >> fls_mem)
		fls_mem++;
	t = 2 * fls_cpus * (1 + fls_mem);
	return t > 125 ? 125 : t;
}

static s8 zone_threshold(struct zone *zone, int cpu)
{
	return zone->per_cpu_zonestats[cpu].stat_threshold;
}

static void check_thresholds(int cpus)
{
	struct zone *zone;

	for_each_populated_zone(zone) {
		int want = expected_threshold(zone_managed_pages(zone), cpus);

		for (int cpu = 0; cpu < cpus; cpu++)
			assert_int_equal(zone_threshold(zone, cpu), want);
		for (int cpu = 0; cpu < cpus; cpu++)
			assert_true(zone->zone_pgdat->per_cpu_nodestats[cpu].stat_threshold >= want);
	}
}

/* The rows of the kernel's table that a 1 GiB machine reaches. */
static void test_threshold_table(void **state)
{
	static const struct { int cpus; int dma32; } rows[] = {
		{ 1, 8 }, { 2, 16 }, { 4, 24 }, { 8, 32 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char cmd[64];
		struct zone *dma, *dma32;

		snprintf(cmd, sizeof(cmd), "mem=1G cpus=%d", rows[i].cpus);
		boot_or_fail(cmd);
		check_machine();
		dma = &NODE_DATA(0)->node_zones[ZONE_DMA];
		dma32 = &NODE_DATA(0)->node_zones[ZONE_DMA32];
		/* 0.9-1 GB of DMA32 and a < 128 MB DMA zone. */
		assert_true(zone_managed_pages(dma32) >= 230000);
		assert_int_equal(zone_threshold(dma32, 0), rows[i].dma32);
		assert_int_equal(zone_threshold(dma, 0), 2 * rows[i].dma32 / 8);
		check_thresholds(rows[i].cpus);
		linmm_shutdown();
	}
}

static void test_threshold_many_cpus(void **state)
{
	boot_or_fail("mem=6G cpus=64 nodes=2");
	check_machine();
	check_thresholds(64);
	linmm_shutdown();
}

/* The oracle itself agrees with the host kernel's numbers. */
static void test_threshold_formula_matches_host(void **state)
{
	FILE *f = fopen("/proc/zoneinfo", "r");
	char line[256];
	unsigned long managed = 0;
	int cpus = 0, checked = 0, threshold = -1;

	if (!f)
		skip();
	/* Count CPUs from the first zone's pagesets. */
	while (fgets(line, sizeof(line), f)) {
		int c;

		if (sscanf(line, "    cpu: %d", &c) == 1 && c + 1 > cpus)
			cpus = c + 1;
	}
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "        managed %lu", &managed) == 1)
			continue;
		if (sscanf(line, "  vm stats threshold: %d", &threshold) == 1 && threshold) {
			/* Memory pressure may lower a threshold (pressure mode); only check "normal". */
			if (threshold == expected_threshold(managed, cpus))
				checked++;
		}
	}
	fclose(f);
	if (!checked)
		skip();
	assert_true(checked > 0);
}

static void test_zone_delta_folding(void **state)
{
	struct zone *zone;
	s8 t;
	long base;

	boot_or_fail("mem=1G cpus=2");
	zone = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	t = zone_threshold(zone, 0);
	assert_true(t > 0);
	refresh_vm_stats();
	base = zone_page_state(zone, NR_ZSPAGES);
	assert_int_equal(base, 0);

	assert_int_equal(linmm_cpu_enter(0), 0);
	for (int i = 0; i < t; i++)
		__mod_zone_page_state(zone, NR_ZSPAGES, 1);
	assert_int_equal(zone_page_state(zone, NR_ZSPAGES), 0);
	assert_int_equal(zone_page_state_snapshot(zone, NR_ZSPAGES), t);
	assert_int_equal(global_zone_page_state(NR_ZSPAGES), 0);
	__mod_zone_page_state(zone, NR_ZSPAGES, 1);	/* passes t: folds t+1 */
	assert_int_equal(zone_page_state(zone, NR_ZSPAGES), t + 1);
	assert_int_equal(global_zone_page_state(NR_ZSPAGES), t + 1);
	assert_int_equal(zone->per_cpu_zonestats[0].vm_stat_diff[NR_ZSPAGES], 0);

	/* A second CPU's deltas add up in the snapshot, not in the total. */
	assert_int_equal(linmm_cpu_enter(1), 0);
	mod_zone_page_state(zone, NR_ZSPAGES, -5);
	assert_int_equal(zone_page_state(zone, NR_ZSPAGES), t + 1);
	assert_int_equal(zone_page_state_snapshot(zone, NR_ZSPAGES), t + 1 - 5);
	/* A large delta folds at once. */
	mod_zone_page_state(zone, NR_ZSPAGES, 1000);
	assert_int_equal(zone_page_state(zone, NR_ZSPAGES), t + 1 - 5 + 1000);
	assert_int_equal(zone->per_cpu_zonestats[1].vm_stat_diff[NR_ZSPAGES], 0);

	/* Totals never read negative, even when deltas make them so transiently. */
	mod_zone_page_state(zone, NR_ZSPAGES, -(t + 1 - 5 + 1000) - 200);
	assert_int_equal(zone_page_state(zone, NR_ZSPAGES), 0);
	mod_zone_page_state(zone, NR_ZSPAGES, 200);
	refresh_vm_stats();
	assert_int_equal(zone_page_state(zone, NR_ZSPAGES), 0);
	assert_int_equal(global_zone_page_state(NR_ZSPAGES), 0);
	check_machine();
}

/* Single-page increments overstep by t/2 when they fold (__inc_zone_state). */
static void test_inc_overstep(void **state)
{
	struct zone *zone;
	s8 t;

	boot_or_fail("mem=1G cpus=2");
	zone = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	t = zone_threshold(zone, 0);
	for (int i = 0; i <= t; i++)
		__inc_zone_state(zone, NR_ZSPAGES);
	assert_int_equal(zone_page_state(zone, NR_ZSPAGES), t + 1 + t / 2);
	assert_int_equal(zone->per_cpu_zonestats[0].vm_stat_diff[NR_ZSPAGES], -(t / 2));
	assert_int_equal(zone_page_state_snapshot(zone, NR_ZSPAGES), t + 1);
	for (int i = 0; i <= t; i++)
		__dec_zone_state(zone, NR_ZSPAGES);
	assert_int_equal(zone_page_state_snapshot(zone, NR_ZSPAGES), 0);
	refresh_vm_stats();
	assert_int_equal(zone_page_state(zone, NR_ZSPAGES), 0);
}

static void test_node_counters(void **state)
{
	struct pglist_data *n0, *n1;

	boot_or_fail("mem=2G nodes=2 cpus=4");
	n0 = NODE_DATA(0);
	n1 = NODE_DATA(1);
	/* Slab items take bytes and keep pages. */
	mod_node_page_state(n0, NR_SLAB_RECLAIMABLE_B, 3 * (long)PAGE_SIZE);
	mod_node_page_state(n1, NR_SLAB_RECLAIMABLE_B, 500 * (long)PAGE_SIZE);
	for (int cpu = 0; cpu < 4; cpu++) {
		assert_int_equal(linmm_cpu_enter(cpu), 0);
		for (int i = 0; i < 10 + cpu; i++)
			__inc_node_state(n1, WORKINGSET_NODES);
	}
	refresh_vm_stats();
	assert_int_equal(node_page_state(n0, NR_SLAB_RECLAIMABLE_B), 3);
	assert_int_equal(node_page_state(n1, NR_SLAB_RECLAIMABLE_B), 500);
	assert_int_equal(global_node_page_state(NR_SLAB_RECLAIMABLE_B), 503);
	assert_int_equal(node_page_state(n1, WORKINGSET_NODES), 10 + 11 + 12 + 13);
	assert_int_equal(node_page_state(n0, WORKINGSET_NODES), 0);
	check_machine();
}

static void test_events_sum_over_cpus(void **state)
{
	unsigned long before;
	char *vmstat;
	char want[64];

	boot_or_fail("mem=1G cpus=4");
	before = sum_vm_event(PGREFILL);
	for (int cpu = 0; cpu < 4; cpu++) {
		assert_int_equal(linmm_cpu_enter(cpu), 0);
		count_vm_events(PGREFILL, cpu + 1);
		count_vm_event(PGREFILL);
	}
	assert_int_equal(sum_vm_event(PGREFILL), before + 1 + 2 + 3 + 4 + 4);
	/* pgpgin is counted in sectors and shown in KiB. */
	count_vm_events(PGPGIN, 8);
	vmstat = linmm_proc_read("/proc/vmstat");
	assert_non_null(vmstat);
	snprintf(want, sizeof(want), "\npgrefill %lu\n", before + 14);
	assert_non_null(strstr(vmstat, want));
	snprintf(want, sizeof(want), "\npgpgin %lu\n", (sum_vm_event(PGPGIN)) / 2);
	assert_non_null(strstr(vmstat, want));
	linmm_free(vmstat);
}

static void test_numa_events(void **state)
{
	struct zone *zone;
	char *text;

	boot_or_fail("mem=2G nodes=2 cpus=2");
	zone = &NODE_DATA(1)->node_zones[ZONE_DMA32];
	if (!populated_zone(zone))
		zone = &NODE_DATA(1)->node_zones[ZONE_NORMAL];
	assert_true(populated_zone(zone));
	unsigned long hit0 = zone_numa_event_state(zone, NUMA_HIT);
	unsigned long ghit0 = global_numa_event_state(NUMA_HIT);

	assert_int_equal(linmm_cpu_enter(1), 0);
	for (int i = 0; i < 7; i++)
		__count_numa_event(zone, NUMA_HIT);
	assert_int_equal(zone_numa_event_state(zone, NUMA_HIT), hit0 + 7);
	assert_int_equal(global_numa_event_state(NUMA_HIT), ghit0 + 7);

	/* vm.numa_stat=0 clears and stops counting; 1 restarts from 0. */
	assert_int_equal(linmm_sysctl_write("vm.numa_stat", "0"), 0);
	__count_numa_event(zone, NUMA_HIT);
	assert_int_equal(zone_numa_event_state(zone, NUMA_HIT), 0);
	assert_int_equal(global_numa_event_state(NUMA_HIT), 0);
	assert_int_equal(linmm_sysctl_write("vm.numa_stat", "1"), 0);
	__count_numa_event(zone, NUMA_HIT);
	assert_int_equal(global_numa_event_state(NUMA_HIT), 1);
	text = linmm_proc_read("/sys/devices/system/node/node1/numastat");
	assert_non_null(text);
	assert_non_null(strstr(text, "numa_hit 1\n"));
	linmm_free(text);
}

/*
 * Two host threads on two CPUs update one counter while a third folds all
 * deltas over and over: no update may be lost.
 */
struct hammer {
	struct zone *zone;
	int cpu;
	long n;
};

static _Atomic int hammer_done;

static void *hammer_fn(void *arg)
{
	struct hammer *h = arg;

	linmm_cpu_enter(h->cpu);
	for (long i = 0; i < h->n; i++) {
		mod_zone_page_state(h->zone, NR_ZSPAGES, 3);
		__dec_zone_state(h->zone, NR_ZSPAGES);
	}
	return NULL;
}

static void *fold_fn(void *arg)
{
	linmm_cpu_enter(2);
	while (!atomic_load(&hammer_done))
		refresh_vm_stats();
	return NULL;
}

static void test_concurrent_fold(void **state)
{
	struct hammer h[2];
	pthread_t t[2], folder;

	boot_or_fail("mem=1G cpus=3");
	atomic_store(&hammer_done, 0);
	for (int i = 0; i < 2; i++) {
		h[i].zone = &NODE_DATA(0)->node_zones[ZONE_DMA32];
		h[i].cpu = i;
		h[i].n = 100000;
		assert_int_equal(pthread_create(&t[i], NULL, hammer_fn, &h[i]), 0);
	}
	assert_int_equal(pthread_create(&folder, NULL, fold_fn, NULL), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	atomic_store(&hammer_done, 1);
	pthread_join(folder, NULL);
	assert_int_equal(zone_page_state_snapshot(h[0].zone, NR_ZSPAGES), 2 * 2 * 100000);
	refresh_vm_stats();
	assert_int_equal(zone_page_state(h[0].zone, NR_ZSPAGES), 2 * 2 * 100000);
	assert_int_equal(global_zone_page_state(NR_ZSPAGES), 2 * 2 * 100000);
}

/* Every item has a name, and the names are unique. */
static void test_names(void **state)
{
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		assert_non_null(vmstat_text_zone[i]);
	for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
		assert_non_null(vmstat_text_numa[i]);
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		assert_non_null(vmstat_text_node[i]);
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++) {
		bool per_zone = i >= PGALLOC_DMA && i <= PGSKIP_DEVICE;

		assert_true(per_zone ? !vmstat_text_event[i] : !!vmstat_text_event[i]);
		for (int j = 0; j < i && !per_zone; j++)
			if (vmstat_text_event[j])
				assert_string_not_equal(vmstat_text_event[i], vmstat_text_event[j]);
	}
}

/* After boot, NR_FREE_PAGES (folded) equals the pages in the free lists. */
static void test_free_pages_counter(void **state)
{
	struct zone *zone;

	boot_or_fail("mem=3G nodes=2 cpus=4");
	refresh_vm_stats();
	for_each_populated_zone(zone) {
		unsigned long free = 0;

		spin_lock(&zone->lock);
		for (int o = 0; o < NR_PAGE_ORDERS; o++)
			free += zone->free_area[o].nr_free << o;
		spin_unlock(&zone->lock);
		assert_int_equal(zone_page_state(zone, NR_FREE_PAGES), free);
	}
	check_machine();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test_teardown(test_threshold_table, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_threshold_many_cpus, linmm_test_shutdown),
		cmocka_unit_test(test_threshold_formula_matches_host),
		cmocka_unit_test_teardown(test_zone_delta_folding, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_inc_overstep, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_node_counters, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_events_sum_over_cpus, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_numa_events, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_concurrent_fold, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_free_pages_counter, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
