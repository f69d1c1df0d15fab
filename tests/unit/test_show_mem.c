/* SPDX-License-Identifier: MIT */
/*
 * test_show_mem.c - the "Mem-Info:" dump (show_mem / __show_mem).
 *
 * Oracle: the printk formats of mm/show_mem.c in Linux 6.18 (global line
 * block with sec_pagetables and a 0 bounce, per-node line ending
 * "all_unreclaimable? no Balloon:0kB", per-zone line with boost,
 * reserved_highatomic/free_highatomic in "KB", lowmem_reserve[] over the
 * configured zones, per-order "N*SkB (types)" line, footer counts), filled
 * in here from the zones' own fields.
 */
#include "linmm_test.h"

#include <linmm/smp.h>
#include <linmm/vmstat.h>

#include "arch/arch.h"
#include "mm/internal.h"

#define K(x) ((unsigned long)(x) << 2)

/* The log after the last "Mem-Info:", without the "[    0.000000] " stamps. */
static char *last_dump(void)
{
	char *log = linmm_dmesg(7), *start, *out, *o;

	assert_non_null(log);
	start = strstr(log, "] Mem-Info:\n");
	assert_non_null(start);
	while (strstr(start + 1, "] Mem-Info:\n"))
		start = strstr(start + 1, "] Mem-Info:\n");
	while (start > log && start[-1] != '\n')
		start--;
	out = o = malloc(strlen(start) + 1);
	assert_non_null(out);
	for (const char *p = start; *p;) {
		const char *nl = strchr(p, '\n');
		const char *text = strstr(p, "] ");

		if (!nl)
			nl = p + strlen(p);
		text = text && text < nl ? text + 2 : p;
		memcpy(o, text, (size_t)(nl - text));
		o += nl - text;
		*o++ = '\n';
		p = *nl ? nl + 1 : nl;
	}
	*o = '\0';
	free(log);
	return out;
}

static void expect_line(const char *dump, const char *line)
{
	char want[1024];

	snprintf(want, sizeof(want), "\n%s\n", line);
	if (!strstr(dump, want))
		fail_msg("Mem-Info lacks line \"%s\"\n--- dump ---\n%s", line, dump);
}

static void expect_zone_lines(const char *dump, struct zone *z, bool numa)
{
	char line[1024], prefix[32];
	unsigned long pcp = zone_pcp_count(z), total = 0;
	int n;

	if (numa)
		snprintf(prefix, sizeof(prefix), "Node %d %s", zone_to_nid(z), z->name);
	else
		snprintf(prefix, sizeof(prefix), "%s", z->name);
	snprintf(line, sizeof(line),
		 "%s free:%lukB boost:%lukB min:%lukB low:%lukB high:%lukB reserved_highatomic:0KB "
		 "free_highatomic:0KB active_anon:0kB inactive_anon:0kB active_file:0kB "
		 "inactive_file:0kB unevictable:0kB writepending:0kB present:%lukB managed:%lukB "
		 "mlocked:0kB bounce:0kB free_pcp:%lukB local_pcp:%ukB free_cma:0kB",
		 prefix, K(zone_page_state(z, NR_FREE_PAGES)), K(z->watermark_boost),
		 K(z->_watermark[WMARK_MIN]), K(z->_watermark[WMARK_LOW]),
		 K(z->_watermark[WMARK_HIGH]), K(z->present_pages), K(zone_managed_pages(z)),
		 K(pcp), (unsigned int)K(z->per_cpu_pageset[smp_processor_id()].count));
	expect_line(dump, line);

	n = snprintf(line, sizeof(line), "%s: ", prefix);
	for (int order = 0; order < NR_PAGE_ORDERS; order++) {
		unsigned long nr = z->free_area[order].nr_free;

		total += nr << order;
		n += snprintf(line + n, sizeof(line) - (size_t)n, "%lu*%lukB ", nr, 4UL << order);
		if (nr) {
			static const char letters[] = "UMEHCI";

			n += snprintf(line + n, sizeof(line) - (size_t)n, "(");
			for (int t = 0; t < MIGRATE_TYPES; t++)
				if (!list_empty(&z->free_area[order].free_list[t]))
					line[n++] = letters[t];
			n += snprintf(line + n, sizeof(line) - (size_t)n, ") ");
		}
	}
	snprintf(line + n, sizeof(line) - (size_t)n, "= %lukB", K(total));
	expect_line(dump, line);
}

static void expect_footer(const char *dump)
{
	unsigned long total = 0, reserved = 0, highmem = 0;
	char line[128];
	struct zone *z;

	for_each_populated_zone(z) {
		total += z->present_pages;
		reserved += z->present_pages - zone_managed_pages(z);
		if (zone_idx(z) == ZONE_HIGHMEM)
			highmem += z->present_pages;
	}
	expect_line(dump, "0 total pagecache pages");
	expect_line(dump, "0 pages in swap cache");
	expect_line(dump, "Free swap  = 0kB");
	expect_line(dump, "Total swap = 0kB");
	snprintf(line, sizeof(line), "%lu pages RAM", total);
	expect_line(dump, line);
	snprintf(line, sizeof(line), "%lu pages HighMem/MovableOnly", highmem);
	expect_line(dump, line);
	snprintf(line, sizeof(line), "%lu pages reserved", reserved);
	expect_line(dump, line);
	expect_line(dump, "0 pages cma reserved");
	expect_line(dump, "0 pages hwpoisoned");
}

static void test_show_mem_numa(void **state)
{
	static const char node_fmt[] =
		"Node %d active_anon:0kB inactive_anon:0kB active_file:0kB inactive_file:0kB "
		"unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:0kB dirty:0kB "
		"writeback:0kB shmem:0kB shmem_thp:0kB shmem_pmdmapped:0kB anon_thp:0kB "
		"kernel_stack:0kB pagetables:0kB sec_pagetables:0kB all_unreclaimable? no Balloon:0kB";
	unsigned long free_pcp = 0;
	struct page *p;
	struct zone *z;
	char line[512], *dump;

	boot_or_fail("mem=2G nodes=2 cpus=2");
	p = alloc_pages(GFP_KERNEL, 3);		/* leaves pages on this CPU's pcp list */
	assert_non_null(p);
	show_mem();
	dump = last_dump();

	for_each_populated_zone(z)
		free_pcp += zone_pcp_count(z);
	assert_true(free_pcp > 0);
	assert_true(!strncmp(dump, "Mem-Info:\n", 10));
	expect_line(dump, "active_anon:0 inactive_anon:0 isolated_anon:0");
	expect_line(dump, " active_file:0 inactive_file:0 isolated_file:0");
	expect_line(dump, " unevictable:0 dirty:0 writeback:0");
	/* The slab caches made at boot (kmem_cache_init) hold a few pages. */
	snprintf(line, sizeof(line), " slab_reclaimable:%ld slab_unreclaimable:%ld",
		 global_node_page_state(NR_SLAB_RECLAIMABLE_B),
		 global_node_page_state(NR_SLAB_UNRECLAIMABLE_B));
	assert_true(global_node_page_state(NR_SLAB_UNRECLAIMABLE_B) > 0);
	expect_line(dump, line);
	expect_line(dump, " mapped:0 shmem:0 pagetables:0");
	expect_line(dump, " sec_pagetables:0 bounce:0");
	expect_line(dump, " kernel_misc_reclaimable:0");
	snprintf(line, sizeof(line), " free:%ld free_pcp:%lu free_cma:0",
		 global_zone_page_state(NR_FREE_PAGES), free_pcp);
	expect_line(dump, line);
	for (int nid = 0; nid < 2; nid++) {
		snprintf(line, sizeof(line), node_fmt, nid);
		expect_line(dump, line);
	}
	for_each_populated_zone(z) {
		long *r = z->lowmem_reserve;

		expect_zone_lines(dump, z, true);
		/* x86_64 configures DMA, DMA32, Normal, Movable, Device. */
		snprintf(line, sizeof(line), "lowmem_reserve[]: %ld %ld %ld %ld %ld", r[ZONE_DMA],
			 r[ZONE_DMA32], r[ZONE_NORMAL], r[ZONE_MOVABLE], r[ZONE_DEVICE]);
		expect_line(dump, line);
	}
	expect_line(dump, "lowmem_reserve[]: 0 0 0 0 0");
	expect_footer(dump);
	free(dump);
	__free_pages(p, 3);
}

/* warn_alloc passes gfp_zone() and the allocation's nodes. */
static void test_show_mem_filters(void **state)
{
	unsigned long node1 = 1UL << 1;
	char *dump;

	boot_or_fail("mem=6G nodes=2 cpus=2");
	__show_mem(0, NULL, ZONE_DMA32);
	dump = last_dump();
	assert_non_null(strstr(dump, "Node 0 DMA32: "));
	assert_null(strstr(dump, "Normal"));
	free(dump);

	__show_mem(SHOW_MEM_FILTER_NODES, &node1, MAX_NR_ZONES - 1);
	dump = last_dump();
	assert_null(strstr(dump, "\nNode 0 "));
	assert_non_null(strstr(dump, "\nNode 1 active_anon:"));
	assert_non_null(strstr(dump, "\nNode 1 Normal: "));
	expect_footer(dump);	/* the footer counts every zone */
	free(dump);
}

/* Without NUMA the zone lines carry no "Node N " prefix; HighMem is counted. */
static void test_show_mem_x86_32(void **state)
{
	struct zone *z;
	char line[256], *dump;

	boot_or_fail("mem=1G arch=x86_32");
	show_mem();
	dump = last_dump();
	assert_non_null(strstr(dump, "\nNode 0 active_anon:0kB"));
	assert_null(strstr(dump, "Node 0 DMA"));
	for_each_populated_zone(z) {
		long *r = z->lowmem_reserve;

		expect_zone_lines(dump, z, false);
		snprintf(line, sizeof(line), "lowmem_reserve[]: %ld %ld %ld %ld", r[ZONE_DMA],
			 r[ZONE_NORMAL], r[ZONE_HIGHMEM], r[ZONE_MOVABLE]);
		expect_line(dump, line);
	}
	expect_footer(dump);
	assert_null(strstr(dump, "\n0 pages HighMem/MovableOnly\n"));
	free(dump);
}

static void test_si_meminfo_node_free(void **state)
{
	unsigned long f0, f1;

	boot_or_fail("mem=2G nodes=2 cpus=2");
	refresh_vm_stats();
	si_meminfo_node_free(0, &f0);
	si_meminfo_node_free(1, &f1);
	assert_int_equal(f0 + f1, (unsigned long)global_zone_page_state(NR_FREE_PAGES));
	assert_true(f1 > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_show_mem_numa, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_show_mem_filters, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_show_mem_x86_32, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_si_meminfo_node_free, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
