/* SPDX-License-Identifier: MIT */
/*
 * test_meminfo.c - /proc/meminfo and nodeN/meminfo values
 * (fs/proc/meminfo.c, fs/sysfs/node.c).
 *
 * Oracles, none of them read from meminfo.c's own code:
 *   MemTotal  = sum of zone managed pages = present pages - reserved pages
 *   MemFree   = pages in the buddy free lists (sum of nr_free << order);
 *               pages cached on per-CPU lists are not free, as in the kernel
 *   MemAvailable = free - totalreserve (no page cache or slab yet)
 *   CommitLimit  = totalram * 50% (no swap, no hugetlb)
 *   VmallocTotal = 32 TiB - 1 on x86_64 (34359738367 kB)
 *   DirectMap    = [0, 1M) in 4k pages, each RAM range above walked with the
 *                  largest naturally aligned page that fits (1G/2M/4k on
 *                  x86_64, 4M or 2M/4k on x86_32), summed per page size
 *   Node files add up to the global file.
 */
#include "linmm_test.h"

#include <linmm/memblock.h>
#include <linmm/vmstat.h>

#include "arch/arch.h"
#include "kernel/machine.h"
#include "mm/internal.h"

struct field {
	char label[32];
	unsigned long value;
};

static struct field fields[96];
static int nr_fields;

/* Parse "Label:   value [kB]" lines (optionally after a "Node N " prefix). */
static void parse(const char *text, const char *prefix)
{
	const char *p = text;

	nr_fields = 0;
	while (*p) {
		const char *nl = strchr(p, '\n');
		const char *colon;
		size_t plen = prefix ? strlen(prefix) : 0;

		assert_non_null(nl);
		if (plen)
			assert_memory_equal(p, prefix, plen);
		p += plen;
		colon = memchr(p, ':', nl - p);
		assert_non_null(colon);
		assert_true(nr_fields < (int)(sizeof(fields) / sizeof(fields[0])));
		memcpy(fields[nr_fields].label, p, colon - p);
		fields[nr_fields].label[colon - p] = '\0';
		fields[nr_fields].value = strtoul(colon + 1, NULL, 10);
		nr_fields++;
		p = nl + 1;
	}
}

static bool has(const char *label)
{
	for (int i = 0; i < nr_fields; i++)
		if (!strcmp(fields[i].label, label))
			return true;
	return false;
}

static unsigned long val(const char *label)
{
	for (int i = 0; i < nr_fields; i++)
		if (!strcmp(fields[i].label, label))
			return fields[i].value;
	fail_msg("no field %s", label);
	return 0;
}

static void read_meminfo(void)
{
	char *text = linmm_proc_read("/proc/meminfo");

	if (!text)
		fail_msg("/proc/meminfo: %s", linmm_last_error());
	parse(text, NULL);
	linmm_free(text);
}

static unsigned long buddy_free_pages(void)
{
	unsigned long sum = 0;
	struct zone *zone;

	for_each_populated_zone(zone) {
		spin_lock(&zone->lock);
		for (int o = 0; o < NR_PAGE_ORDERS; o++)
			sum += zone->free_area[o].nr_free << o;
		spin_unlock(&zone->lock);
	}
	return sum;
}

/* Present pages of every zone, and how many of them are still reserved. */
static void count_present(unsigned long *present, unsigned long *reserved, unsigned long *managed)
{
	struct zone *zone;

	*present = *reserved = *managed = 0;
	for_each_populated_zone(zone) {
		*present += zone->present_pages;
		*managed += zone_managed_pages(zone);
		for (unsigned long pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone); pfn++) {
			if (!pfn_valid(pfn) || !memblock_is_memory(PFN_PHYS(pfn)))
				continue;
			if (page_zone(pfn_to_page(pfn)) == zone && PageReserved(pfn_to_page(pfn)))
				(*reserved)++;
		}
	}
}

/* Greedy walk: at each address the largest aligned page that fits. */
static void direct_map_oracle(unsigned long long kb[3])
{
	bool is64 = linmm_arch->bits == 64;
	unsigned long long pmd = linmm_arch->pgtable_levels == 2 ? 4ULL << 20 : 2ULL << 20;

	kb[0] = 1024;	/* the first MiB */
	kb[1] = kb[2] = 0;
	for (unsigned long i = 0; i < memblock.memory.cnt; i++) {
		unsigned long long s = memblock.memory.regions[i].base;
		unsigned long long e = s + memblock.memory.regions[i].size;

		if (s < (1ULL << 20))
			s = 1ULL << 20;
		if (e > direct_map_end)
			e = direct_map_end;
		while (s < e) {
			if (is64 && !(s & ((1ULL << 30) - 1)) && s + (1ULL << 30) <= e) {
				kb[2] += 1 << 20;
				s += 1ULL << 30;
			} else if (!(s & (pmd - 1)) && s + pmd <= e) {
				kb[1] += pmd >> 10;
				s += pmd;
			} else {
				kb[0] += 4;
				s += 4096;
			}
		}
	}
}

static void check_meminfo(void)
{
	unsigned long present, reserved, managed, free;
	unsigned long long dm[3];

	refresh_vm_stats();
	read_meminfo();
	count_present(&present, &reserved, &managed);
	assert_int_equal(val("MemTotal"), totalram_pages() * 4);
	assert_int_equal(val("MemTotal"), managed * 4);
	assert_int_equal(val("MemTotal"), (present - reserved) * 4);
	free = buddy_free_pages();
	assert_int_equal(val("MemFree"), free * 4);
	assert_int_equal(val("MemAvailable"),
			 (free > totalreserve_pages ? free - totalreserve_pages : 0) * 4);
	assert_int_equal(val("CommitLimit"), totalram_pages() * 50 / 100 * 4);
	assert_int_equal(val("Committed_AS"), 0);
	assert_int_equal(val("Percpu"), pcpu_nr_pages * 4);
	assert_int_equal(val("Cached"), 0);
	assert_int_equal(val("SwapTotal"), 0);
	assert_int_equal(val("HugePages_Total"), 0);
	direct_map_oracle(dm);
	assert_int_equal(val("DirectMap4k"), dm[0]);
	if (linmm_arch->pgtable_levels == 2) {
		assert_int_equal(val("DirectMap4M"), dm[1]);
		assert_false(has("DirectMap2M"));
	} else {
		assert_int_equal(val("DirectMap2M"), dm[1]);
	}
	if (linmm_arch->bits == 64) {
		assert_int_equal(val("DirectMap1G"), dm[2]);
		assert_int_equal(val("VmallocTotal"), 34359738367UL);
		assert_int_equal(val("Hugepagesize"), 2048);
		assert_true(has("AnonHugePages"));
		assert_false(has("HighTotal"));
	} else {
		struct zone *high = &NODE_DATA(0)->node_zones[ZONE_HIGHMEM];

		assert_false(has("DirectMap1G"));
		assert_int_equal(val("Hugepagesize"), linmm_arch->pgtable_levels == 2 ? 4096 : 2048);
		assert_int_equal(has("AnonHugePages"), linmm_arch->pgtable_levels == 3);
		assert_int_equal(val("HighTotal"), zone_managed_pages(high) * 4);
		assert_int_equal(val("HighFree"), zone_page_state(high, NR_FREE_PAGES) * 4);
		assert_int_equal(val("LowTotal") + val("HighTotal"), val("MemTotal"));
		assert_int_equal(val("LowFree") + val("HighFree"), val("MemFree"));
	}
}

/* nodeN/meminfo: the nodes add up to the machine. */
static void check_node_meminfo(void)
{
	unsigned long total = 0, free = 0, mtotal, mfree;
	int nid;

	read_meminfo();
	mtotal = val("MemTotal");
	mfree = val("MemFree");
	for_each_online_node(nid) {
		char path[64], prefix[24];
		char *text;

		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo", nid);
		snprintf(prefix, sizeof(prefix), "Node %d ", nid);
		text = linmm_proc_read(path);
		if (!text)
			fail_msg("%s: %s", path, linmm_last_error());
		parse(text, prefix);
		linmm_free(text);
		total += val("MemTotal");
		free += val("MemFree");
		assert_int_equal(val("MemUsed"), val("MemTotal") - val("MemFree"));
		assert_int_equal(val("HugePages_Total"), 0);
	}
	assert_int_equal(total, mtotal);
	assert_int_equal(free, mfree);
}

static void test_machines(void **state)
{
	static const char *const machines[] = {
		"mem=1G",
		"mem=6G nodes=2 cpus=4",
		"mem=2G arch=x86_32",
		"mem=3G arch=x86_32-pae",
		"mem=2G memory_model=flatmem",
		"mem=7G nodes=3 cpus=3 memmap=100M$0x50000000",
	};

	for (size_t i = 0; i < sizeof(machines) / sizeof(machines[0]); i++) {
		boot_or_fail(machines[i]);
		check_machine();
		check_meminfo();
		if (linmm_arch->numa)
			check_node_meminfo();
		else
			assert_null(linmm_proc_read("/sys/devices/system/node/node0/meminfo"));
		linmm_shutdown();
	}
}

/* The invariants hold while pages move between free lists, pcp lists and users. */
static void test_alloc_free_steps(void **state)
{
	struct page *pages[NR_PAGE_ORDERS];
	unsigned long boot_free;

	boot_or_fail("mem=2G nodes=2 cpus=2");
	check_meminfo();
	boot_free = val("MemFree");
	for (int o = 0; o < NR_PAGE_ORDERS; o++) {
		pages[o] = alloc_pages(GFP_KERNEL, o);
		assert_non_null(pages[o]);
		check_machine();
		check_meminfo();
		assert_true(val("MemFree") <= boot_free - (4UL << o));
	}
	for (int o = 0; o < NR_PAGE_ORDERS; o++) {
		__free_pages(pages[o], o);
		check_machine();
		check_meminfo();
	}
	drain_all_pages(NULL);
	check_meminfo();
	assert_int_equal(val("MemFree"), boot_free);
	check_node_meminfo();
}

/* Exact line format: label padded to 16, value right-aligned in 8, " kB". */
static void test_line_format(void **state)
{
	char *text, *line;

	boot_or_fail("mem=1G");
	text = linmm_proc_read("/proc/meminfo");
	assert_non_null(text);
	assert_non_null(strstr(text, "VmallocTotal:   34359738367 kB\n"));
	assert_non_null(strstr(text, "SwapTotal:             0 kB\n"));
	assert_non_null(strstr(text, "HugePages_Total:       0\n"));
	assert_non_null(strstr(text, "Hugepagesize:       2048 kB\n"));
	assert_non_null(strstr(text, "Hugetlb:               0 kB\n"));
	for (line = text; *line; line = strchr(line, '\n') + 1) {
		size_t len = strchr(line, '\n') - line;

		if (!strncmp(line, "HugePages_", 10) || !strncmp(line, "VmallocTotal", 12))
			continue;
		assert_true(len >= 27);
		assert_memory_equal(line + len - 3, " kB", 3);
		assert_true(line[15] == ' ' || line[15] == ':');
	}
	linmm_free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_machines, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_alloc_free_steps, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_line_format, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
