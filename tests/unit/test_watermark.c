/* SPDX-License-Identifier: MIT */
/*
 * test_watermark.c - min_free_kbytes, zone watermarks, lowmem reserves,
 * totalreserve_pages and the sysctls that change them.
 *
 * Oracles: the kernel's formulas as the fact sheet states them (section
 * 2.3), re-derived here independently of mm/watermark.c; the kernel's own
 * table in the comment above calculate_min_free_kbytes() (16MB: 512k ...
 * 16384MB: 16384k); and the host's /proc/zoneinfo (a 24 GiB x86_64 6.18
 * guest whose min_free_kbytes khugepaged raised to 67584):
 *
 *   zone     managed   min    low    high   promo   protection
 *   DMA         3840     62     77     92    107    (0, 3019, 4043, 4043, 4043)
 *   DMA32     772915  12570  15712  18854  21996    (0, 0, 1024, 1024, 1024)
 *   Normal    262144   4263   5328   6393   7458    (0, 0, 0, 0, 0)
 *   Movable        0     32     32     32     32    (0, 0, 0, 0, 0)
 *   Device         0      0      0      0      0    (0, 0, 0, 0, 0)
 */
#include "linmm_test.h"

#include <limits.h>

#include <linmm/ioport.h>
#include <linmm/smp.h>

#include "arch/arch.h"
#include "mm/internal.h"

static unsigned long isqrt(unsigned long x)
{
	unsigned long lo = 0, hi = 1UL << 32;

	while (lo + 1 < hi) {	/* invariant: lo*lo <= x < hi*hi */
		unsigned long mid = lo + (hi - lo) / 2;

		if (mid * mid <= x)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The postcore initcall runs before free_initmem() returns the kernel's
 * .init pages to the allocator, so what it computed saw each zone's
 * managed pages without them (the kernel has the same order).  With
 * @before_initmem the checkers use those counts.
 */
static unsigned long managed_of(struct zone *z, bool before_initmem)
{
	struct linmm_kernel_image img;
	unsigned long s, e, m = zone_managed_pages(z);

	if (!before_initmem || !z->spanned_pages)
		return m;
	linmm_kernel_image_layout(linmm_arch, &img);
	s = max(PFN_UP(img.init_start), z->zone_start_pfn);
	e = min(PFN_DOWN(img.init_end), zone_end_pfn(z));
	if (zone_to_nid(z) == page_to_nid(pfn_to_page(PFN_UP(img.init_start))) && s < e)
		m -= e - s;
	return m;
}

static bool capped_zone(int idx)
{
	return idx == ZONE_HIGHMEM || idx == ZONE_MOVABLE;
}

/* Managed pages of zones a GFP_USER allocation may use (<= NORMAL), all nodes. */
static unsigned long managed_up_to_normal(bool before_initmem)
{
	unsigned long sum = 0;
	int nid;

	for_each_online_node(nid)
		for (int i = 0; i <= ZONE_NORMAL; i++)
			sum += managed_of(&NODE_DATA(nid)->node_zones[i], before_initmem);
	return sum;
}

/* Fact sheet 2.3, written out again: every zone's MIN/LOW/HIGH/PROMO and boost. */
static void check_wmarks(int mfk, int scale, bool before_initmem)
{
	unsigned long pages_min = (unsigned long)mfk / 4, lowmem = 0;
	int nid;

	for_each_online_node(nid)
		for (int i = 0; i < MAX_NR_ZONES; i++)
			if (!capped_zone(i))
				lowmem += managed_of(&NODE_DATA(nid)->node_zones[i], before_initmem);

	for_each_online_node(nid) {
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *z = &NODE_DATA(nid)->node_zones[i];
			unsigned long managed = managed_of(z, before_initmem);
			unsigned long tmp = pages_min * managed / lowmem;
			unsigned long min, gap, byscale;

			if (!arch_zone_configured(i))
				continue;
			if (capped_zone(i)) {
				min = managed / 1024;
				min = min < 32 ? 32 : min > 128 ? 128 : min;
			} else {
				min = tmp;
			}
			byscale = managed / 10000 * scale + managed % 10000 * scale / 10000;
			gap = tmp / 4 > byscale ? tmp / 4 : byscale;
			if (z->_watermark[WMARK_MIN] != min || z->_watermark[WMARK_LOW] != min + gap ||
			    z->_watermark[WMARK_HIGH] != min + 2 * gap ||
			    z->_watermark[WMARK_PROMO] != min + 3 * gap)
				fail_msg("node %d %s (managed %lu): wmarks %lu/%lu/%lu/%lu, want %lu/%lu/%lu/%lu",
					 nid, z->name, managed, z->_watermark[WMARK_MIN],
					 z->_watermark[WMARK_LOW], z->_watermark[WMARK_HIGH],
					 z->_watermark[WMARK_PROMO], min, min + gap, min + 2 * gap,
					 min + 3 * gap);
			assert_int_equal(z->watermark_boost, 0);
		}
	}
}

/*
 * lowmem_reserve[] of every zone from the ratios, and totalreserve_pages.
 * @reserve_before_initmem: the reserves were last computed at boot;
 * @total_before_initmem: so was totalreserve_pages (any watermark change
 * recomputes it, not the reserves).
 */
static void check_reserves(const int ratio[MAX_NR_ZONES], bool reserve_before_initmem,
			   bool total_before_initmem)
{
	unsigned long total = 0;
	int nid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);
		unsigned long node_total = 0;

		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *z = &pgdat->node_zones[i];
			unsigned long managed = managed_of(z, reserve_before_initmem), above = 0;
			unsigned long cap = managed_of(z, total_before_initmem);
			long max = 0;

			for (int j = 0; j < MAX_NR_ZONES; j++) {
				long want = 0;

				if (j > i) {
					above += managed_of(&pgdat->node_zones[j], reserve_before_initmem);
					if (ratio[i] && managed)
						want = (long)(above / (unsigned long)ratio[i]);
				}
				if (z->lowmem_reserve[j] != want)
					fail_msg("node %d %s lowmem_reserve[%d] = %ld, want %ld", nid,
						 z->name, j, z->lowmem_reserve[j], want);
				if (j >= i && want > max)
					max = want;
			}
			max += (long)z->_watermark[WMARK_HIGH];
			node_total += (unsigned long)max < cap ? (unsigned long)max : cap;
		}
		assert_int_equal(pgdat->totalreserve_pages, node_total);
		total += node_total;
	}
	assert_int_equal(totalreserve_pages, total);
}

static const int default_ratio[MAX_NR_ZONES] = { 256, 256, 32, 0, 0, 0 };

/* At boot min_free_kbytes comes from lowmem before free_initmem(), watermarks still 0. */
static void check_boot_min_free_kbytes(unsigned long lo_kb, unsigned long hi_kb)
{
	unsigned long lowmem = managed_up_to_normal(true);
	unsigned long want = isqrt(lowmem * 4 * 16);

	if ((unsigned long)min_free_kbytes != want)
		fail_msg("min_free_kbytes %d, want %lu", min_free_kbytes, want);
	assert_true((unsigned long)min_free_kbytes >= lo_kb);
	assert_true((unsigned long)min_free_kbytes <= hi_kb);
	assert_int_equal(user_min_free_kbytes, -1);
	check_wmarks(min_free_kbytes, 10, true);
	check_reserves(default_ratio, true, true);
}

/* Fact sheet: 1 GiB -> 4096, 4 GiB -> 8192, 16 GiB -> 16384, 64 GiB -> 32768 (less what is reserved). */
static void test_boot_1g(void **state)
{
	boot_or_fail("mem=1G");
	check_boot_min_free_kbytes(3800, 4096);
}

static void test_boot_4g_2nodes(void **state)
{
	boot_or_fail("mem=4G nodes=2 cpus=4");
	check_boot_min_free_kbytes(7800, 8192);
}

static void test_boot_16g(void **state)
{
	boot_or_fail("mem=16G backing=none");
	check_boot_min_free_kbytes(15800, 16384);
}

static void test_boot_64g(void **state)
{
	boot_or_fail("mem=64G nodes=4 cpus=4 backing=none");
	check_boot_min_free_kbytes(32000, 32768);
}

/* x86_32: HighMem's MIN is capped at 32..128 pages and HighMem is not lowmem. */
static void test_boot_x86_32_highmem(void **state)
{
	boot_or_fail("mem=2G arch=x86_32");
	assert_true(populated_zone(&NODE_DATA(0)->node_zones[ZONE_HIGHMEM]));
	assert_int_equal(NODE_DATA(0)->node_zones[ZONE_HIGHMEM]._watermark[WMARK_MIN], 128);
	check_wmarks(min_free_kbytes, 10, true);
	check_reserves(default_ratio, true, true);
}

/* The kernel's table above calculate_min_free_kbytes(), recomputed exactly. */
static void test_min_free_kbytes_table(void **state)
{
	static const struct { unsigned long mb, kb; } table[] = {
		{ 16, 512 }, { 32, 724 }, { 64, 1024 }, { 128, 1448 }, { 256, 2048 },
		{ 512, 2896 }, { 1024, 4096 }, { 2048, 5792 }, { 4096, 8192 },
		{ 8192, 11585 }, { 16384, 16384 },	/* the comment rounds 11585.2 to 11584 */
	};

	for (size_t i = 0; i < ARRAY_SIZE(table); i++)
		assert_int_equal(min_free_kbytes_formula(table[i].mb * 1024), table[i].kb);
	assert_int_equal(min_free_kbytes_formula(0), 128);
	assert_int_equal(min_free_kbytes_formula(1024), 128);
	assert_int_equal(min_free_kbytes_formula(1UL << 40), 262144);
}

/* The host's zoneinfo, recomputed from its managed pages and min_free_kbytes. */
static void test_host_zoneinfo(void **state)
{
	static const struct {
		int idx;
		unsigned long managed, wmark[NR_WMARK];
	} host[] = {
		{ ZONE_DMA, 3840, { 62, 77, 92, 107 } },
		{ ZONE_DMA32, 772915, { 12570, 15712, 18854, 21996 } },
		{ ZONE_NORMAL, 262144, { 4263, 5328, 6393, 7458 } },
		{ ZONE_MOVABLE, 0, { 32, 32, 32, 32 } },
		{ ZONE_DEVICE, 0, { 0, 0, 0, 0 } },
	};
	unsigned long managed[MAX_NR_ZONES] = { 3840, 772915, 262144, 0, 0, 0 };
	const unsigned long pages_min = 67584 / 4, lowmem = 3840 + 772915 + 262144;
	static const long protection_dma[] = { 0, 3019, 4043, 4043, 4043, 4043 };
	static const long protection_dma32[] = { 0, 0, 1024, 1024, 1024, 1024 };

	for (size_t i = 0; i < ARRAY_SIZE(host); i++) {
		unsigned long w[NR_WMARK];

		zone_wmarks_formula(pages_min, lowmem, host[i].managed, host[i].idx, 10, w);
		for (int k = 0; k < NR_WMARK; k++)
			assert_int_equal(w[k], host[i].wmark[k]);
	}
	for (int j = 0; j < MAX_NR_ZONES; j++) {
		assert_int_equal(lowmem_reserve_formula(managed, ZONE_DMA, j, 256), protection_dma[j]);
		assert_int_equal(lowmem_reserve_formula(managed, ZONE_DMA32, j, 256),
				 protection_dma32[j]);
		assert_int_equal(lowmem_reserve_formula(managed, ZONE_NORMAL, j, 32), 0);
		assert_int_equal(lowmem_reserve_formula(managed, ZONE_MOVABLE, j, 0), 0);
	}
}

/* pcp high_min of every populated zone from its low watermark (or the fraction). */
static void check_pcp_high(int fraction)
{
	struct zone *zone;

	for_each_populated_zone(zone) {
		int cpus = 0, cpu, high;
		unsigned long total;

		for_each_online_cpu(cpu)
			cpus += cpu_to_node(cpu) == zone_to_nid(zone);
		if (!cpus)
			cpus = (int)nr_cpu_ids;
		total = fraction ? zone_managed_pages(zone) / (unsigned long)fraction
				 : zone->_watermark[WMARK_LOW];
		high = (int)(total / (unsigned long)cpus);
		if (high < zone->pageset_batch * 4)
			high = zone->pageset_batch * 4;
		if (zone->pageset_high_min != high)
			fail_msg("node %d %s: pageset_high_min %d, want %d", zone_to_nid(zone),
				 zone->name, zone->pageset_high_min, high);
	}
}

static void test_sysctl_min_free_kbytes(void **state)
{
	int boot_mfk;

	boot_or_fail("mem=2G nodes=2 cpus=4");
	boot_mfk = min_free_kbytes;
	check_pcp_high(0);

	assert_int_equal(sysctl_set_min_free_kbytes(-1), -EINVAL);
	assert_int_equal(sysctl_set_min_free_kbytes((long)INT_MAX + 1), -EINVAL);
	assert_int_equal(min_free_kbytes, boot_mfk);

	assert_int_equal(sysctl_set_min_free_kbytes(4 * boot_mfk), 0);
	assert_int_equal(min_free_kbytes, 4 * boot_mfk);
	assert_int_equal(user_min_free_kbytes, 4 * boot_mfk);
	check_wmarks(4 * boot_mfk, 10, false);
	check_reserves(default_ratio, true, false);	/* reserves are not recomputed */
	check_pcp_high(0);	/* pcp high follows the new low watermark */

	/* A recomputation (as after memory hotplug) keeps the larger user value... */
	init_per_zone_wmark_min();
	assert_int_equal(min_free_kbytes, 4 * boot_mfk);
	assert_true(dmesg_contains("min_free_kbytes is not updated to"));
	assert_true(dmesg_contains("because user defined value"));

	/* ...but not a smaller one. */
	assert_int_equal(sysctl_set_min_free_kbytes(128), 0);
	check_wmarks(128, 10, false);
	init_per_zone_wmark_min();
	assert_true(min_free_kbytes > 128);
	check_wmarks(min_free_kbytes, 10, false);
	check_reserves(default_ratio, false, false);

	assert_int_equal(sysctl_set_min_free_kbytes(0), 0);
	check_wmarks(0, 10, false);
}

static void test_sysctl_scale_and_boost(void **state)
{
	struct zone *zone;

	boot_or_fail("mem=1G");
	assert_int_equal(sysctl_set_watermark_scale_factor(0), -EINVAL);
	assert_int_equal(sysctl_set_watermark_scale_factor(3001), -EINVAL);
	assert_int_equal(watermark_scale_factor, 10);
	assert_int_equal(sysctl_set_watermark_scale_factor(1000), 0);
	check_wmarks(min_free_kbytes, 1000, false);
	check_reserves(default_ratio, true, false);
	check_pcp_high(0);
	assert_int_equal(sysctl_set_watermark_scale_factor(3000), 0);
	check_wmarks(min_free_kbytes, 3000, false);
	assert_int_equal(sysctl_set_watermark_scale_factor(1), 0);
	check_wmarks(min_free_kbytes, 1, false);

	assert_int_equal(sysctl_set_watermark_boost_factor(-1), -EINVAL);
	assert_int_equal(watermark_boost_factor, 15000);
	assert_int_equal(sysctl_set_watermark_boost_factor(0), 0);
	assert_int_equal(watermark_boost_factor, 0);

	/* A recomputation drops any boost. */
	for_each_populated_zone(zone)
		zone->watermark_boost = 512;
	setup_per_zone_wmarks();
	check_wmarks(min_free_kbytes, 1, false);
}

static void test_sysctl_percpu_pagelist_high_fraction(void **state)
{
	boot_or_fail("mem=4G nodes=2 cpus=4");
	assert_int_equal(sysctl_set_percpu_pagelist_high_fraction(7), -EINVAL);
	assert_int_equal(sysctl_set_percpu_pagelist_high_fraction(1), -EINVAL);
	assert_int_equal(sysctl_set_percpu_pagelist_high_fraction(-1), -EINVAL);
	assert_int_equal(percpu_pagelist_high_fraction, 0);
	assert_int_equal(sysctl_set_percpu_pagelist_high_fraction(8), 0);
	check_pcp_high(8);
	assert_int_equal(sysctl_set_percpu_pagelist_high_fraction(100), 0);
	check_pcp_high(100);
	assert_int_equal(sysctl_set_percpu_pagelist_high_fraction(0), 0);
	check_pcp_high(0);
}

static void test_sysctl_lowmem_reserve_ratio(void **state)
{
	const long ones[] = { 1, 1, 1, 1, 1 };
	const long mixed[] = { 128, -5 };
	const long six[] = { 1, 1, 1, 1, 1, 1 };
	int ratio[MAX_NR_ZONES] = { 256, 256, 32, 0, 0, 0 };

	boot_or_fail("mem=6G nodes=2 cpus=2");
	/* x86_64 lists DMA, DMA32, Normal, Movable, Device: five values. */
	assert_int_equal(sysctl_set_lowmem_reserve_ratio(six, 6), -EINVAL);
	assert_int_equal(sysctl_set_lowmem_reserve_ratio(ones, -1), -EINVAL);
	check_reserves(default_ratio, true, true);

	assert_int_equal(sysctl_set_lowmem_reserve_ratio(ones, 5), 0);
	ratio[ZONE_DMA] = ratio[ZONE_DMA32] = ratio[ZONE_NORMAL] = 1;
	ratio[ZONE_MOVABLE] = ratio[ZONE_DEVICE] = 1;
	check_reserves(ratio, false, false);
	assert_int_equal(sysctl_lowmem_reserve_ratio[ZONE_HIGHMEM], 0);

	/* A partial write changes the first zones only; below 1 means 0. */
	assert_int_equal(sysctl_set_lowmem_reserve_ratio(mixed, 2), 0);
	ratio[ZONE_DMA] = 128;
	ratio[ZONE_DMA32] = 0;
	check_reserves(ratio, false, false);
	assert_int_equal(sysctl_lowmem_reserve_ratio[ZONE_DMA32], 0);
}

/* Through the /proc/sys files, as the host shows them. */
static void test_sysctl_files(void **state)
{
	char *v;

	boot_or_fail("mem=4G");
	v = linmm_sysctl_read("vm.lowmem_reserve_ratio");
	assert_non_null(v);
	assert_string_equal(v, "256\t256\t32\t0\t0\n");	/* the host's file */
	linmm_free(v);
	v = linmm_sysctl_read("vm.watermark_scale_factor");
	assert_string_equal(v, "10\n");
	linmm_free(v);

	assert_int_equal(linmm_sysctl_write("vm.min_free_kbytes", "16384"), 0);
	assert_int_equal(min_free_kbytes, 16384);
	assert_int_equal(user_min_free_kbytes, 16384);
	check_wmarks(16384, 10, false);
	assert_true(linmm_sysctl_write("vm.watermark_scale_factor", "0") < 0);
	assert_int_equal(linmm_sysctl_write("vm.watermark_scale_factor", "100"), 0);
	check_wmarks(16384, 100, false);
	assert_true(linmm_sysctl_write("vm.percpu_pagelist_high_fraction", "4") < 0);
	assert_int_equal(linmm_sysctl_write("vm.lowmem_reserve_ratio", "128 128 16"), 0);
	v = linmm_sysctl_read("vm.lowmem_reserve_ratio");
	assert_string_equal(v, "128\t128\t16\t0\t0\n");
	linmm_free(v);
	{
		int ratio[MAX_NR_ZONES] = { 128, 128, 16, 0, 0, 0 };

		check_reserves(ratio, false, false);
	}
}

/* A new machine starts from the kernel's defaults whatever the last one set. */
static void test_defaults_at_boot(void **state)
{
	const long zeros[] = { 0, 0, 0 };

	boot_or_fail("mem=1G");
	assert_int_equal(sysctl_set_watermark_scale_factor(500), 0);
	assert_int_equal(sysctl_set_min_free_kbytes(65536), 0);
	assert_int_equal(sysctl_set_percpu_pagelist_high_fraction(10), 0);
	assert_int_equal(sysctl_set_lowmem_reserve_ratio(zeros, 3), 0);
	linmm_shutdown();
	boot_or_fail("mem=1G");
	assert_int_equal(watermark_scale_factor, 10);
	assert_int_equal(watermark_boost_factor, 15000);
	assert_int_equal(user_min_free_kbytes, -1);
	assert_int_equal(percpu_pagelist_high_fraction, 0);
	assert_true(min_free_kbytes < 65536);
	check_wmarks(min_free_kbytes, 10, true);
	check_reserves(default_ratio, true, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_min_free_kbytes_table),
		cmocka_unit_test(test_host_zoneinfo),
		cmocka_unit_test_teardown(test_boot_1g, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_boot_4g_2nodes, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_boot_16g, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_boot_64g, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_boot_x86_32_highmem, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_sysctl_min_free_kbytes, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_sysctl_scale_and_boost, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_sysctl_percpu_pagelist_high_fraction, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_sysctl_lowmem_reserve_ratio, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_sysctl_files, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_defaults_at_boot, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
