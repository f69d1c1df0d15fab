/* SPDX-License-Identifier: MIT */
/*
 * test_hotplug.c - memory hotplug: add a 128 MiB block, online it, use it,
 * offline it, and end where the machine started.
 *
 * Oracles: the kernel's rules - blocks of one section (128 MiB), a
 * self-hosted memmap of PFN_UP(32768 * sizeof(struct page)) = 512 pages
 * per hot-added block (memmap_on_memory) that is present but not managed,
 * MMOP_ONLINE putting memory outside every zone span into ZONE_NORMAL,
 * "System RAM" in /proc/iomem, -EEXIST/-EINVAL/-EBUSY as add_memory(),
 * memory block onlining and offline_pages() return them.
 *
 *   mem=1G, after add_memory(0, 1G, 128M) and online:
 *   0   16M                     1G          1G+128M
 *   |DMA|        DMA32          |mm|  Normal  |
 *                                ^ 512 pages of struct page
 */
#include "linmm_test.h"

#include <linmm/ioport.h>
#include <linmm/memory_hotplug.h>
#include <linmm/smp.h>
#include <linmm/vmstat.h>

#include "arch/arch.h"
#include "mm/internal.h"

#define BLOCK_PAGES 32768UL		/* 128 MiB */
#define VMEMMAP_PAGES 512UL		/* 32768 * 64 bytes / 4096 */
#define MAX_HELD 4096

struct zone_snapshot {
	unsigned long start, spanned, present, managed, nr_free[NR_PAGE_ORDERS];
};

struct machine_snapshot {
	unsigned long totalram, free, node_present[MAX_NUMNODES], node_spanned[MAX_NUMNODES];
	struct zone_snapshot zones[MAX_NUMNODES][MAX_NR_ZONES];
};

static struct page *held[MAX_HELD];
static int nr_held;

static int shutdown_after(void **state)
{
	nr_held = 0;
	return linmm_test_shutdown(state);
}

static void snapshot(struct machine_snapshot *s)
{
	int nid;

	drain_all_pages(NULL);
	refresh_vm_stats();	/* fold the per-CPU counter deltas */
	memset(s, 0, sizeof(*s));
	s->totalram = totalram_pages();
	s->free = nr_free_pages();
	for_each_online_node(nid) {
		s->node_present[nid] = NODE_DATA(nid)->node_present_pages;
		s->node_spanned[nid] = NODE_DATA(nid)->node_spanned_pages;
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *z = &NODE_DATA(nid)->node_zones[i];
			struct zone_snapshot *zs = &s->zones[nid][i];

			zs->spanned = z->spanned_pages;
			zs->start = zs->spanned ? z->zone_start_pfn : 0;
			zs->present = z->present_pages;
			zs->managed = zone_managed_pages(z);
			for (int o = 0; o < NR_PAGE_ORDERS; o++)
				zs->nr_free[o] = z->free_area[o].nr_free;
		}
	}
}

static void assert_same(const struct machine_snapshot *a, const struct machine_snapshot *b)
{
	assert_int_equal(a->totalram, b->totalram);
	for (int nid = 0; nid < nr_online_nodes; nid++)
		for (int i = 0; i < MAX_NR_ZONES; i++)
			if (memcmp(&a->zones[nid][i], &b->zones[nid][i], sizeof(a->zones[nid][i])))
				print_message("node %d zone %d: start %lu/%lu spanned %lu/%lu present %lu/%lu managed %lu/%lu\n",
					nid, i, a->zones[nid][i].start, b->zones[nid][i].start,
					a->zones[nid][i].spanned, b->zones[nid][i].spanned,
					a->zones[nid][i].present, b->zones[nid][i].present,
					a->zones[nid][i].managed, b->zones[nid][i].managed);
	assert_int_equal(a->free, b->free);
	for (int nid = 0; nid < nr_online_nodes; nid++) {
		assert_int_equal(a->node_present[nid], b->node_present[nid]);
		assert_int_equal(a->node_spanned[nid], b->node_spanned[nid]);
		for (int i = 0; i < MAX_NR_ZONES; i++)
			if (memcmp(&a->zones[nid][i], &b->zones[nid][i], sizeof(a->zones[nid][i])))
				fail_msg("node %d zone %d differs from the snapshot", nid, i);
	}
}

static bool iomem_has(const char *line)
{
	struct seq_file m;
	bool found;

	seq_file_init(&m);
	iomem_show(&m);
	found = m.buf && strstr(m.buf, line);
	seq_file_release(&m);
	return found;
}

static unsigned long hot_start(void)
{
	return ALIGN(max_pfn, BLOCK_PAGES);
}

/* Take pages from the new block until the allocator moves on; write and read them back. */
static int fill_block(unsigned long start_pfn, gfp_t gfp)
{
	struct page *p;
	int n = 0;

	while (nr_held < MAX_HELD && (p = alloc_pages(gfp | __GFP_NOWARN, pageblock_order))) {
		unsigned long pfn = page_to_pfn(p);
		unsigned char *va;

		held[nr_held++] = p;
		if (pfn < start_pfn || pfn >= start_pfn + BLOCK_PAGES)
			break;
		va = page_address(p);
		memset(va, 0x5a, pageblock_nr_pages * PAGE_SIZE);
		assert_int_equal(va[pageblock_nr_pages * PAGE_SIZE - 1], 0x5a);
		n++;
	}
	return n;
}

static void free_held(void)
{
	while (nr_held > 0)
		__free_pages(held[--nr_held], pageblock_order);
	drain_all_pages(NULL);
}

static void test_add_errors(void **state)
{
	u64 start;

	boot_or_fail("mem=1G");
	start = PFN_PHYS(hot_start());
	assert_int_equal(memory_block_size_bytes(), 128UL << 20);
	assert_int_equal(memory_block_memmap_pages(), VMEMMAP_PAGES);
	assert_int_equal(add_memory(0, start + SZ_1M, 128UL << 20, MHP_NONE), -EINVAL);
	assert_int_equal(add_memory(0, start, 64UL << 20, MHP_NONE), -EINVAL);
	assert_true(dmesg_contains("Block size [0x8000000] unaligned hotplug range"));
	assert_int_equal(add_memory(0, start, 0, MHP_NONE), -EINVAL);
	assert_int_equal(add_memory(1, start, 128UL << 20, MHP_NONE), -EINVAL);
	assert_int_equal(add_memory(0, start, 128UL << 20, 1), -EINVAL);
	assert_int_equal(add_memory(0, 1ULL << 40, 128UL << 20, MHP_NONE), -E2BIG);
	assert_int_equal(add_memory(0, 0, 128UL << 20, MHP_NONE), -EEXIST);	/* boot RAM */
	assert_int_equal(memory_block_online(phys_to_block_id(start), MMOP_ONLINE), -EINVAL);
	assert_int_equal(memory_block_offline(phys_to_block_id(start)), -EINVAL);
	check_machine();
}

static void test_add_online_use_offline(void **state)
{
	struct machine_snapshot boot, added, after;
	unsigned long start_pfn, block;
	struct zone *normal;
	char line[64];
	int n, ret;

	boot_or_fail("mem=1G cpus=2");
	start_pfn = hot_start();
	block = start_pfn / BLOCK_PAGES;
	normal = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	assert_false(populated_zone(normal));
	snapshot(&boot);

	/* add: present in iomem and the section table, still offline */
	assert_int_equal(add_memory(0, PFN_PHYS(start_pfn), BLOCK_PAGES << PAGE_SHIFT, MHP_NONE), 0);
	snprintf(line, sizeof(line), "%08llx-%08llx : System RAM\n",
		 (unsigned long long)PFN_PHYS(start_pfn),
		 (unsigned long long)PFN_PHYS(start_pfn + BLOCK_PAGES) - 1);
	assert_true(iomem_has(line));
	assert_true(memory_block_present(block));
	assert_false(memory_block_is_online(block));
	assert_null(pfn_to_online_page(start_pfn + VMEMMAP_PAGES));
	assert_int_equal(totalram_pages(), boot.totalram);
	assert_int_equal(add_memory(0, PFN_PHYS(start_pfn), BLOCK_PAGES << PAGE_SHIFT, MHP_NONE),
			 -EEXIST);
	check_machine();
	/*
	 * The baseline for "back where we were" is the added, offline block:
	 * add_memory() described it in init_mm, and those page-table pages
	 * stay until the memory is removed (arch_remove_memory), which linmm
	 * does not model.
	 */
	snapshot(&added);
	assert_int_equal(added.totalram, boot.totalram);

	/* online: MemTotal grows by the block less its memmap */
	assert_int_equal(memory_block_online(block, MMOP_OFFLINE), -EINVAL);
	assert_int_equal(memory_block_online(block, MMOP_ONLINE), 0);
	assert_int_equal(memory_block_online(block, MMOP_ONLINE), -EINVAL);
	assert_true(memory_block_is_online(block));
	assert_int_equal(totalram_pages(), boot.totalram + BLOCK_PAGES - VMEMMAP_PAGES);
	assert_int_equal(normal->zone_start_pfn, start_pfn);
	assert_int_equal(normal->spanned_pages, BLOCK_PAGES);
	assert_int_equal(normal->present_pages, BLOCK_PAGES);
	assert_int_equal(zone_managed_pages(normal), BLOCK_PAGES - VMEMMAP_PAGES);
	assert_int_equal(NODE_DATA(0)->node_present_pages, boot.node_present[0] + BLOCK_PAGES);
	assert_ptr_equal(NODE_DATA(0)->node_zonelists[ZONELIST_FALLBACK]._zonerefs[0].zone, normal);
	assert_true(normal->_watermark[WMARK_MIN] > 0);
	assert_true(normal->_watermark[WMARK_LOW] > normal->_watermark[WMARK_MIN]);
	assert_true(normal->pageset_batch > 1);
	assert_true(PageReserved(pfn_to_page(start_pfn)));	/* the memmap itself */
	check_machine();

	/* use it: GFP_KERNEL now prefers Normal */
	n = fill_block(start_pfn, GFP_KERNEL);
	assert_true(n > (int)((BLOCK_PAGES - VMEMMAP_PAGES) / pageblock_nr_pages) / 2);
	check_machine();

	/* offline with pages in use: -EBUSY, nothing changes */
	ret = memory_block_offline(block);
	assert_int_equal(ret, -EBUSY);
	assert_true(memory_block_is_online(block));
	assert_int_equal(normal->present_pages, BLOCK_PAGES);
	assert_int_equal(totalram_pages(), boot.totalram + BLOCK_PAGES - VMEMMAP_PAGES);
	check_machine();

	/* free, offline: back to the boot state */
	free_held();
	assert_int_equal(memory_block_offline(block), 0);
	assert_false(memory_block_is_online(block));
	assert_true(memory_block_present(block));
	assert_false(populated_zone(normal));
	assert_int_equal(normal->spanned_pages, 0);
	assert_null(pfn_to_online_page(start_pfn + VMEMMAP_PAGES));
	assert_ptr_not_equal(NODE_DATA(0)->node_zonelists[ZONELIST_FALLBACK]._zonerefs[0].zone,
			     normal);
	snapshot(&after);
	assert_same(&added, &after);
	check_machine();
	assert_int_equal(memory_block_offline(block), -EINVAL);

	/* online again, movable this time: kernel allocations stay out */
	assert_int_equal(memory_block_online(block, MMOP_ONLINE_MOVABLE), 0);
	assert_int_equal(NODE_DATA(0)->node_zones[ZONE_MOVABLE].present_pages, BLOCK_PAGES);
	assert_false(populated_zone(normal));
	{
		struct page *p = alloc_pages(GFP_KERNEL, 0);

		assert_true(page_zonenum(p) < ZONE_NORMAL);
		__free_pages(p, 0);
	}
	n = fill_block(start_pfn, GFP_HIGHUSER_MOVABLE);
	assert_true(n > 0);
	assert_int_equal(page_zonenum(held[0]), ZONE_MOVABLE);
	free_held();
	assert_int_equal(memory_block_offline(block), 0);
	snapshot(&after);
	assert_same(&added, &after);
	check_machine();
}

/* Two blocks on node 1 of a two-node machine, used from node 1's CPU. */
static void test_two_blocks_node1(void **state)
{
	unsigned long start_pfn, block;
	struct machine_snapshot boot, added, after;
	struct page *p;

	boot_or_fail("mem=1G nodes=2 cpus=2");
	start_pfn = hot_start();
	block = start_pfn / BLOCK_PAGES;
	snapshot(&boot);
	assert_int_equal(add_memory(1, PFN_PHYS(start_pfn), 2 * BLOCK_PAGES << PAGE_SHIFT, MHP_NONE),
			 0);
	snapshot(&added);	/* init_mm's tables for the new range stay: see above */
	assert_int_equal(memory_block_online(block, MMOP_ONLINE), 0);
	assert_int_equal(memory_block_online(block + 1, MMOP_ONLINE), 0);
	assert_int_equal(totalram_pages(), boot.totalram + 2 * (BLOCK_PAGES - VMEMMAP_PAGES));
	assert_int_equal(NODE_DATA(1)->node_zones[ZONE_NORMAL].spanned_pages, 2 * BLOCK_PAGES);
	check_machine();

	assert_int_equal(linmm_cpu_enter(1), 0);
	p = alloc_pages(GFP_KERNEL, 0);
	assert_int_equal(page_to_nid(p), 1);
	assert_int_equal(page_zonenum(p), ZONE_NORMAL);
	__free_pages(p, 0);
	assert_int_equal(linmm_cpu_enter(0), 0);

	/* Offline the lower block first: the zone span shrinks from the start. */
	assert_int_equal(memory_block_offline(block), 0);
	assert_int_equal(NODE_DATA(1)->node_zones[ZONE_NORMAL].zone_start_pfn,
			 start_pfn + BLOCK_PAGES);
	assert_int_equal(NODE_DATA(1)->node_zones[ZONE_NORMAL].spanned_pages, BLOCK_PAGES);
	check_machine();
	assert_int_equal(memory_block_offline(block + 1), 0);
	snapshot(&after);
	assert_same(&added, &after);
	check_machine();
}

/*
 * Boot memory: block 0 has the BIOS holes (never offlined), the last block
 * holds the memmap and node data that memblock allocated top-down (busy).
 */
static void test_offline_boot_block(void **state)
{
	struct machine_snapshot boot, after;
	unsigned long last;

	boot_or_fail("mem=1G");
	last = (max_pfn - 1) / BLOCK_PAGES;
	snapshot(&boot);
	assert_true(memory_block_is_online(0));
	assert_true(memory_block_is_online(last));
	assert_int_equal(memory_block_offline(0), -EINVAL);
	assert_true(dmesg_contains("failed due to memory holes"));
	assert_int_equal(memory_block_offline(last), -EBUSY);
	snapshot(&after);
	assert_same(&boot, &after);
	check_machine();
}

/* A boot block whose pages are all free goes offline and comes back. */
static void test_offline_free_boot_block(void **state)
{
	struct machine_snapshot boot, after;
	struct zone *dma32;

	boot_or_fail("mem=1G");
	dma32 = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	snapshot(&boot);
	assert_int_equal(memory_block_offline(3), 0);	/* [384M, 512M): free at boot */
	assert_false(memory_block_is_online(3));
	assert_int_equal(totalram_pages(), boot.totalram - BLOCK_PAGES);
	assert_int_equal(dma32->present_pages, boot.zones[0][ZONE_DMA32].present - BLOCK_PAGES);
	assert_int_equal(dma32->spanned_pages, boot.zones[0][ZONE_DMA32].spanned); /* a hole now */
	check_machine();
	assert_int_equal(memory_block_online(3, MMOP_ONLINE), 0);	/* back into DMA32 */
	snapshot(&after);
	assert_same(&boot, &after);
	check_machine();
}

static void test_not_on_32bit(void **state)
{
	boot_or_fail("mem=1G arch=x86_32");
	assert_int_equal(add_memory(0, 1ULL << 30, 64UL << 20, MHP_NONE), -EOPNOTSUPP);
	assert_int_equal(offline_pages(0x10000, 0x4000), -EOPNOTSUPP);
	assert_false(memory_block_present(0));
	assert_int_equal(memory_block_online(0, MMOP_ONLINE), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_add_errors, shutdown_after),
		cmocka_unit_test_teardown(test_add_online_use_offline, shutdown_after),
		cmocka_unit_test_teardown(test_two_blocks_node1, shutdown_after),
		cmocka_unit_test_teardown(test_offline_boot_block, shutdown_after),
		cmocka_unit_test_teardown(test_offline_free_boot_block, shutdown_after),
		cmocka_unit_test_teardown(test_not_on_32bit, shutdown_after),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
