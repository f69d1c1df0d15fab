/* SPDX-License-Identifier: MIT */
/*
 * test_boot.c - the machine boots: command line, firmware map, zones per
 * arch and size, memmap and address conversions, accounting, unwinding.
 *
 * Oracles: the kernel's zone boundaries (x86_64 DMA < 16M, DMA32 < 4G;
 * x86_32 Normal < 896M), PC firmware layout (PCI hole 3G-4G above 3.5G of
 * RAM), and MemTotal = present pages - reserved pages.
 *
 *   mem=6G on x86_64:
 *   0      16M            3G   4G                 7G
 *   |DMA|      DMA32      |hole|      Normal      |
 */
#include "linmm_test.h"

#include <linmm/vmstat.h>

#include <dirent.h>

#include "arch/x86/e820.h"
#include "kernel/host.h"
#include "kernel/machine.h"
#include "mm/internal.h"

static struct zone *zone_of(int nid, int idx)
{
	return &NODE_DATA(nid)->node_zones[idx];
}

static void test_parse_good(void **state)
{
	struct linmm_boot_params bp;
	char err[256];
	u64 v;

	assert_int_equal(linmm_parse_cmdline("mem=4G nodes=2 cpus=4 arch=x86_32-pae backing=none "
					     "memmap=64M$0x10000000 memmap=1M#512M", &bp, err,
					     sizeof(err)), 0);
	assert_int_equal(bp.mem, 4ULL << 30);
	assert_int_equal(bp.nr_nodes, 2);
	assert_int_equal(bp.nr_cpus, 4);
	assert_string_equal(bp.arch->name, "x86_32-pae");
	assert_int_equal(bp.backing, LINMM_BACKING_NONE);
	assert_int_equal(bp.model, LINMM_FLATMEM);	/* the arch's default */
	assert_int_equal(bp.nr_memmap, 2);
	assert_int_equal(bp.memmap[0].start, 0x10000000);
	assert_int_equal(bp.memmap[0].size, 64 << 20);
	assert_int_equal(bp.memmap[0].type, E820_TYPE_RESERVED);
	assert_int_equal(bp.memmap[1].type, E820_TYPE_ACPI);
	assert_int_equal(linmm_parse_cmdline("  numa=off  nodes=4 ", &bp, err, sizeof(err)), 0);
	assert_int_equal(bp.nr_nodes, 1);
	assert_int_equal(bp.model, LINMM_SPARSEMEM_VMEMMAP);

	assert_non_null(memparse("64K", &v));
	assert_int_equal(v, 65536);
	assert_non_null(memparse("0x1000", &v));
	assert_int_equal(v, 4096);
	assert_non_null(memparse("2T", &v));
	assert_int_equal(v, 2ULL << 40);
	assert_null(memparse("G", &v));
	assert_null(memparse("-1G", &v));
}

static void expect_parse_error(const char *cmdline, const char *needle)
{
	struct linmm_boot_params bp;
	char err[512];

	assert_int_equal(linmm_parse_cmdline(cmdline, &bp, err, sizeof(err)), -EINVAL);
	if (!strstr(err, needle))
		fail_msg("'%s': error '%s' does not mention '%s'", cmdline, err, needle);
}

static void test_parse_bad(void **state)
{
	expect_parse_error("mem=1G foo=1", "unknown boot parameter 'foo=1'");
	expect_parse_error("mem=1G foo=1", "accepted: mem=");
	expect_parse_error("mem=abc", "mem=abc: not a size");
	expect_parse_error("mem=", "mem=: not a size");
	expect_parse_error("mem", "mem: missing value");
	expect_parse_error("memmap=64M", "memmap=64M: expected nn[KMG]$ss[KMG]");
	expect_parse_error("memmap=64M$", "memmap=64M$");
	expect_parse_error("nodes=0", "nodes=0: expected a node count from 1 to 64");
	expect_parse_error("nodes=2x", "nodes=2x");
	expect_parse_error("cpus=65", "cpus=65: expected a CPU count from 1 to 64");
	expect_parse_error("arch=arm64", "arch=arm64: unknown architecture");
	expect_parse_error("backing=disk", "backing=disk");
	expect_parse_error("numa=on", "numa=on: only numa=off");
	expect_parse_error("memory_model=discontig", "memory_model=discontig");
}

static void expect_boot_error(const char *cmdline, int err, const char *needle)
{
	assert_int_equal(linmm_boot(cmdline), err);
	if (!strstr(linmm_last_error(), needle))
		fail_msg("'%s': error '%s' does not mention '%s'", cmdline, linmm_last_error(), needle);
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static int count_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	int n = 0, c;

	assert_non_null(f);
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* Machines that cannot boot are clear errors, and leave nothing behind. */
static void test_boot_errors_unwind(void **state)
{
	int fds = count_fds(), maps;

	/* one boot first, so that lazily created host state (malloc arenas) exists */
	boot_or_fail("mem=512M nodes=2");
	linmm_shutdown();
	maps = count_maps();
	expect_boot_error("mem=32M", -EINVAL, "machine too small to boot");
	expect_boot_error("mem=100T", -E2BIG, "46-bit physical address space");
	expect_boot_error("mem=1G nodes=16", -EINVAL, "each node needs at least one 128M");
	expect_boot_error("mem=1G nodes=2 arch=x86_32", -EINVAL, "without NUMA");
	expect_boot_error("mem=1G bogus", -EINVAL, "unknown boot parameter 'bogus'");
	/* found by fuzz_cmdline: the kernel image must stay RAM */
	expect_boot_error("mem=512M memmap=72M#64", -EINVAL, "covers the kernel image");
	expect_boot_error("mem=128M memmap=54M#11M", -EINVAL, "must stay usable RAM");
	/* the host refuses memory half-way through boot: everything unwinds */
	for (int step = 1; step <= 6; step++) {
		linmm_host_fault_inject(step);
		int ret = linmm_boot("mem=512M nodes=2");

		linmm_host_fault_inject(0);
		if (ret == 0) {
			linmm_shutdown();
			continue;
		}
		assert_int_equal(ret, -ENOMEM);
		assert_true(strlen(linmm_last_error()) > 0);
	}
	assert_int_equal(count_fds(), fds);
	boot_or_fail("mem=512M nodes=2");
	check_machine();
	assert_int_equal(linmm_boot("mem=512M"), -EBUSY);
	linmm_shutdown();
	linmm_shutdown();	/* twice is fine */
	assert_int_equal(count_fds(), fds);
	assert_int_equal(count_maps(), maps);	/* every host mapping was released */
}

static void test_default_machine(void **state)
{
	boot_or_fail(NULL);
	check_machine();
	assert_int_equal(nr_online_nodes, 1);
	assert_int_equal(nr_cpu_ids, 2);
	assert_true(dmesg_contains("Command line: " LINMM_DEFAULT_CMDLINE));
	assert_true(dmesg_contains("BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable"));
	assert_true(dmesg_contains("e820: update [mem 0x00000000-0x00000fff] usable ==> reserved"));
	assert_true(dmesg_contains("Faking a node at [mem 0x0000000000000000-0x000000003fffffff]"));
	assert_true(dmesg_contains("  DMA      [mem 0x0000000000001000-0x0000000000ffffff]"));
	assert_true(dmesg_contains("  DMA32    [mem 0x0000000001000000-0x000000003fffffff]"));
	assert_true(dmesg_contains("  Normal   empty"));
	assert_true(dmesg_contains("On node 0, zone DMA: 1 pages in unavailable ranges"));
	assert_true(dmesg_contains("On node 0, zone DMA: 97 pages in unavailable ranges"));
	assert_true(dmesg_contains("Memory: "));
}

/* x86_64 with 1 GiB: DMA and DMA32 only. */
static void test_zones_x86_64_1g(void **state)
{
	boot_or_fail("mem=1G");
	check_machine();
	assert_int_equal(zone_of(0, ZONE_DMA)->zone_start_pfn, 1);
	assert_int_equal(zone_end_pfn(zone_of(0, ZONE_DMA)), 0x1000);
	/* pfn 0 and the legacy hole [0x9f, 0x100) are not present */
	assert_int_equal(zone_of(0, ZONE_DMA)->present_pages, 0x1000 - 1 - (0x100 - 0x9f));
	assert_int_equal(zone_of(0, ZONE_DMA32)->zone_start_pfn, 0x1000);
	assert_int_equal(zone_end_pfn(zone_of(0, ZONE_DMA32)), 0x40000);
	assert_int_equal(zone_of(0, ZONE_DMA32)->present_pages, 0x40000 - 0x1000);
	assert_int_equal(zone_of(0, ZONE_NORMAL)->spanned_pages, 0);
	assert_int_equal(max_pfn, 0x40000);
}

/* 6 GiB: the PCI hole moves 3 GiB of RAM above 4 GiB. */
static void test_zones_x86_64_6g_pci_hole(void **state)
{
	boot_or_fail("mem=6G");
	check_machine();
	assert_true(dmesg_contains("BIOS-e820: [mem 0x0000000000100000-0x00000000bfffffff] usable"));
	assert_true(dmesg_contains("BIOS-e820: [mem 0x0000000100000000-0x00000001bfffffff] usable"));
	assert_int_equal(max_pfn, 0x1c0000);
	assert_int_equal(max_low_pfn, 0xc0000);
	assert_int_equal(zone_of(0, ZONE_DMA32)->spanned_pages, 0x100000 - 0x1000);
	assert_int_equal(zone_of(0, ZONE_DMA32)->present_pages, 0xc0000 - 0x1000);
	assert_int_equal(zone_of(0, ZONE_NORMAL)->zone_start_pfn, 0x100000);
	assert_int_equal(zone_of(0, ZONE_NORMAL)->present_pages, 0xc0000);
	assert_false(pfn_valid(0xd0000));	/* no memmap in the hole's sections */
	assert_true(pfn_valid(0x100000));
	/*
	 * present pages = 6 GiB minus the first MiB, plus what is usable below
	 * 640K: pfns 1..0x9e (page 0 is reserved by the kernel, 0x9f is partial)
	 */
	assert_int_equal(get_num_physpages(), (6UL << 18) - 0x100 + 0x9e);
}

/* x86_32 with 2 GiB: 896 MiB of lowmem, the rest HighMem with no direct map. */
static void test_zones_x86_32_highmem(void **state)
{
	struct page *high, *low;

	boot_or_fail("mem=2G arch=x86_32");
	check_machine();
	assert_int_equal(max_low_pfn, 0x38000);
	assert_int_equal(zone_end_pfn(zone_of(0, ZONE_NORMAL)), 0x38000);
	assert_int_equal(zone_of(0, ZONE_HIGHMEM)->zone_start_pfn, 0x38000);
	assert_int_equal(zone_end_pfn(zone_of(0, ZONE_HIGHMEM)), 0x80000);
	assert_int_equal(zone_of(0, ZONE_DMA32)->spanned_pages, 0);
	assert_true(dmesg_contains("1152MB HIGHMEM available."));
	assert_true(dmesg_contains("896MB LOWMEM available."));
	assert_true(dmesg_contains("virtual kernel memory layout:"));
	assert_true(dmesg_contains("    lowmem  : 0xc0000000 - 0xf8000000   ( 896 MB)"));
	assert_true(dmesg_contains("K highmem)"));
	high = pfn_to_page(0x40000);
	low = pfn_to_page(0x20000);
	assert_true(PageHighMem(high));
	assert_null(page_address(high));
	assert_false(PageHighMem(low));
	assert_ptr_equal(virt_to_page(page_address(low)), low);
	assert_int_equal(page_zonenum(high), ZONE_HIGHMEM);
	assert_int_equal(totalhigh_pages_count, zone_managed_pages(zone_of(0, ZONE_HIGHMEM)));
}

/* Non-PAE x86_32 cannot address RAM above 4 GiB: the kernel warns and drops it. */
static void test_x86_32_trims_above_4g(void **state)
{
	boot_or_fail("mem=8G arch=x86_32");
	check_machine();
	assert_true(dmesg_contains("Warning only 4GB will be used."));
	assert_int_equal(max_pfn, 0xc0000);
	linmm_shutdown();
	boot_or_fail("mem=8G arch=x86_32-pae");
	check_machine();
	assert_int_equal(max_pfn, 0x240000);
}

/* memmap=$ reserves a range: no longer RAM, not present, never freed. */
static void test_memmap_hole(void **state)
{
	unsigned long before;

	boot_or_fail("mem=1G");
	before = zone_of(0, ZONE_DMA32)->present_pages;
	linmm_shutdown();
	boot_or_fail("mem=1G memmap=64M$256M");
	check_machine();
	assert_true(dmesg_contains("user: [mem 0x0000000010000000-0x0000000013ffffff] reserved"));
	assert_false(memblock_is_memory(256ULL << 20));
	assert_int_equal(zone_of(0, ZONE_DMA32)->present_pages, before - (64UL << 8));
	for (unsigned long pfn = 0x10000; pfn < 0x14000; pfn++)
		assert_true(PageReserved(pfn_to_page(pfn)));
}

/* pfn <-> page <-> address conversions, and the direct map is real memory. */
static void test_conversions(void **state)
{
	boot_or_fail("mem=512M");
	for (unsigned long pfn = 1; pfn < max_pfn; pfn += 997) {
		struct page *page = pfn_to_page(pfn);

		if (!pfn_valid(pfn))
			continue;
		assert_int_equal(page_to_pfn(page), pfn);
		assert_int_equal(__pa(page_address(page)), PFN_PHYS(pfn));
		assert_ptr_equal(virt_to_page((char *)page_address(page) + 123), page);
	}
	/* struct page lives in simulated RAM: its own address is in the memmap pages */
	assert_int_equal(sizeof(struct page), 64);
	assert_int_equal(memmap_pages_total, 4 * (2 << 20) / PAGE_SIZE);	/* 4 sections x 2 MiB */
}

/* FLATMEM and SPARSEMEM give the same machine. */
static void test_memory_models_agree(void **state)
{
	unsigned long present[MAX_NR_ZONES], managed[MAX_NR_ZONES], total;

	boot_or_fail("mem=768M memory_model=sparsemem");
	check_machine();
	for (int j = 0; j < MAX_NR_ZONES; j++) {
		present[j] = zone_of(0, j)->present_pages;
		managed[j] = zone_managed_pages(zone_of(0, j));
	}
	total = totalram_pages();
	linmm_shutdown();
	boot_or_fail("mem=768M memory_model=flatmem");
	check_machine();
	/*
	 * FLATMEM's mem_map for 768M (196608 pages x 64 B = 12 MiB) is exactly
	 * SPARSEMEM's 6 sections x 2 MiB, so even managed pages agree.
	 */
	for (int j = 0; j < MAX_NR_ZONES; j++) {
		assert_int_equal(zone_of(0, j)->present_pages, present[j]);
		assert_int_equal(zone_managed_pages(zone_of(0, j)), managed[j]);
	}
	assert_int_equal(totalram_pages(), total);
	assert_int_equal(memmap_pages_total, 3072);
}

/* MemTotal is present pages minus reserved pages; the free pages are managed. */
static void test_accounting(void **state)
{
	unsigned long reserved = 0;
	struct zone *zone;

	boot_or_fail("mem=1G nodes=2 cpus=4");
	check_machine();
	for_each_zone(zone)
		for (unsigned long pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone); pfn++)
			if (pfn_valid(pfn) && memblock_is_memory(PFN_PHYS(pfn)) &&
			    PageReserved(pfn_to_page(pfn)))
				reserved++;
	assert_int_equal(totalram_pages(), get_num_physpages() - reserved);
	/* Nothing allocated yet but the slab caches kmem_cache_init() made. */
	assert_int_equal(nr_free_pages() + global_node_page_state(NR_SLAB_UNRECLAIMABLE_B),
			 totalram_pages());
	assert_true(dmesg_contains("Freeing unused kernel image (initmem) memory: 3728K"));
}

/* NUMA: nodes split on section boundaries, SRAT lines, CPUs in blocks, ring SLIT. */
static void test_numa_nodes(void **state)
{
	boot_or_fail("mem=4G nodes=4 cpus=8");
	check_machine();
	assert_int_equal(nr_online_nodes, 4);
	for (int nid = 0; nid < 4; nid++) {
		assert_non_null(NODE_DATA(nid));
		assert_true(NODE_DATA(nid)->node_present_pages > 0);
		assert_int_equal(NODE_DATA(nid)->node_id, nid);
		if (nid)
			assert_int_equal(NODE_DATA(nid)->node_start_pfn % (1UL << 15), 0);
	}
	assert_true(dmesg_contains("ACPI: SRAT: Node 3 PXM 3"));
	assert_int_equal(cpu_to_node(0), 0);
	assert_int_equal(cpu_to_node(1), 0);
	assert_int_equal(cpu_to_node(2), 1);
	assert_int_equal(cpu_to_node(7), 3);
	assert_int_equal(node_distance(0, 0), 10);
	assert_int_equal(node_distance(0, 1), 20);
	assert_int_equal(node_distance(0, 2), 30);
	assert_int_equal(node_distance(0, 3), 20);
	assert_int_equal(linmm_cpu_enter(8), -EINVAL);
	assert_int_equal(linmm_cpu_enter(5), 0);
	assert_int_equal(numa_node_id(), 2);
	assert_int_equal(linmm_cpu_enter(0), 0);
}

/* The same command line gives a byte-identical dmesg. */
static void test_deterministic(void **state)
{
	char *a, *b;

	boot_or_fail("mem=2G nodes=2 cpus=3");
	a = linmm_dmesg(7);
	linmm_shutdown();
	boot_or_fail("mem=2G nodes=2 cpus=3");
	b = linmm_dmesg(7);
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

/* A metadata-only machine of 64 GiB boots (contents are never touched). */
static void test_backing_none_64g(void **state)
{
	boot_or_fail("mem=64G nodes=2 backing=none");
	assert_int_equal(validate_memblock(), 0);
	assert_int_equal(max_pfn, (64UL + 1) << 18);
	/* all but the memmap (64 B per 4 KiB page: 1 GiB) and the kernel image is managed */
	assert_true(totalram_pages() > (62UL << 18));
	assert_int_equal(memmap_pages_total, (64UL << 18) * 64 / PAGE_SIZE); /* 512 sections */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test_teardown(test_boot_errors_unwind, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_default_machine, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_zones_x86_64_1g, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_zones_x86_64_6g_pci_hole, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_zones_x86_32_highmem, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_x86_32_trims_above_4g, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_memmap_hole, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_conversions, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_memory_models_agree, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_accounting, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_numa_nodes, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_deterministic, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_backing_none_64g, linmm_test_shutdown),
	};

	return cmocka_run_group_tests_name("boot", tests, NULL, NULL);
}
