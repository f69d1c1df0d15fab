/* SPDX-License-Identifier: MIT */
/*
 * test_pgtable.c - the kernel page tables (init_mm) and the kernel windows.
 *
 * Oracles (none computed by the code under test):
 *   - the x86 PTE values the kernel documents and prints: PAGE_KERNEL is
 *     0x8000000000000163 on x86_64 (P|RW|A|D|G, NX), 0x163 on 2-level x86_32
 *     (no NX); PAGE_KERNEL_RO 0x8000000000000121; a large page adds PSE
 *     (0x80); table entries are 0x067 as in every oops' "PGD ...067";
 *   - the formats of fact sheet 5: 512 x 8-byte tables on x86_64 (leaf 1 GiB
 *     at the PUD, 2 MiB at the PMD), 1024 x 4-byte on x86_32 (4 MiB PSE
 *     pages), 4 + 512 + 512 x 8-byte on PAE (2 MiB);
 *   - the x86_32 layout macros of pgtable_32_areas.h re-derived by hand:
 *     VMALLOC_END = PKMAP_BASE - 2 pages, VMALLOC_START = high_memory + 8 MiB,
 *     LAST_PKMAP 1024 / 512;
 *   - the host MMU: a page mapped at two kernel addresses shows the same
 *     bytes at both (memfd aliasing), an unmapped one faults.
 *
 *   kva:  PAGE_OFFSET |== direct map ==| hole | VMALLOC_START |.. window ..|
 */
#include "linmm_test.h"

#include <linmm/gfp.h>
#include <linmm/memblock.h>
#include <linmm/memory_hotplug.h>
#include <linmm/pgtable.h>

#include "kernel/machine.h"
#include "mm/internal.h"

static void check_all(void)
{
	check_machine();
	assert_int_equal(validate_vmalloc(), 0);
}

/* The leaf level and entry of @kva; fails the test if unmapped. */
static u64 leaf(u64 kva, enum pgtable_level *lvl)
{
	u64 v = kernel_walk_entry(kva, lvl);

	if (!v)
		fail_msg("kva %#llx is not mapped", (unsigned long long)kva);
	return v;
}

static void test_pte_values(void **state)
{
	(void)state;
	boot_or_fail("mem=1G arch=x86_64");
	assert_int_equal(pte_val(pfn_pte(0x1234, PAGE_KERNEL)), 0x8000000001234163ULL);
	assert_int_equal(pte_val(pfn_pte(0x1234, PAGE_KERNEL_RO)), 0x8000000001234121ULL);
	assert_int_equal(pte_val(pfn_pte(0x1234, PAGE_KERNEL_EXEC)), 0x0000000001234163ULL);
	assert_int_equal(pte_val(pfn_pte(0x1234, PAGE_KERNEL_LARGE)), 0x80000000012341e3ULL);
	assert_false(pte_present(pfn_pte(0, PAGE_NONE)) && (pte_val(pfn_pte(0, PAGE_NONE)) & _PAGE_PRESENT));
	assert_int_equal(pte_pfn(pfn_pte(0x1234, PAGE_KERNEL)), 0x1234);
	assert_int_equal(PTRS_PER_PTE, 512);
	assert_int_equal(PMD_SHIFT, 21);
	assert_int_equal(PUD_SHIFT, 30);
	assert_int_equal(PGDIR_SHIFT, 39);
	linmm_shutdown();

	boot_or_fail("mem=1G arch=x86_32");
	assert_int_equal(pte_val(pfn_pte(0x1234, PAGE_KERNEL)), 0x01234163ULL);
	assert_int_equal(PTRS_PER_PTE, 1024);
	assert_int_equal(PTRS_PER_PGD, 1024);
	assert_int_equal(PMD_SHIFT, 22);
	linmm_shutdown();

	boot_or_fail("mem=1G arch=x86_32-pae");
	assert_int_equal(pte_val(pfn_pte(0x123456, PAGE_KERNEL)), 0x8000000123456163ULL);
	assert_int_equal(PTRS_PER_PGD, 4);
	assert_int_equal(PTRS_PER_PMD, 512);
	assert_int_equal(PMD_SHIFT, 21);
}

/*
 * x86_64, mem=4G: RAM [0x1000, 0x9f000) [1M, 3G) [4G, 5G) (PCI hole).
 *   0..2M      4 KiB pages (the range starts at 0x1000)
 *   2M..1G     2 MiB pages
 *   1G..2G     one 1 GiB page
 */
static void test_direct_map_x86_64(void **state)
{
	enum pgtable_level lvl;
	u64 v;

	(void)state;
	boot_or_fail("mem=4G arch=x86_64");
	v = leaf(PAGE_OFFSET + SZ_1G + 0x5000, &lvl);
	assert_int_equal(lvl, PGT_PUD);
	assert_int_equal(v & 0xfff, 0x1e3);
	assert_true(v & _PAGE_NX);
	assert_int_equal(v & PTE_PFN_MASK, SZ_1G);
	v = leaf(PAGE_OFFSET + 4 * SZ_1M + 0x3000, &lvl);
	assert_int_equal(lvl, PGT_PMD);
	assert_int_equal(v & 0xfff, 0x1e3);
	v = leaf(PAGE_OFFSET + 0x5000, &lvl);
	assert_int_equal(lvl, PGT_PTE);
	assert_int_equal(v, 0x8000000000005163ULL);
	/* The legacy hole and page 0 are not RAM: not mapped. */
	assert_null(kernel_walk_page(PAGE_OFFSET + 0xa0000));
	assert_null(kernel_walk_page(PAGE_OFFSET));
	/* Every megabyte of RAM walks to its own page, through the same host address. */
	for (unsigned long pfn = 0x100; pfn < max_pfn; pfn += 256) {
		if (!pfn_valid(pfn) || !memblock_is_memory(PFN_PHYS(pfn)))
			continue;
		assert_ptr_equal(kernel_walk_page(PAGE_OFFSET + PFN_PHYS(pfn) + 123), pfn_to_page(pfn));
		assert_ptr_equal(kva_to_host(PAGE_OFFSET + PFN_PHYS(pfn)), __va(PFN_PHYS(pfn)));
		assert_int_equal(host_to_kva(__va(PFN_PHYS(pfn))), PAGE_OFFSET + PFN_PHYS(pfn));
	}
	/* The tables themselves: the pgd entry is a _PAGE_TABLE pointing at lowmem. */
	assert_int_equal(pgd_val(pgdp_get(pgd_offset_k(PAGE_OFFSET))) & 0xfff, 0x067);
	check_all();
}

/* x86_32 lowmem in 4 MiB PSE pages, PAE in 2 MiB ones; HighMem not in the direct map. */
static void test_direct_map_x86_32(void **state)
{
	static const struct { const char *cmdline; enum pgtable_level lvl; u64 size; } cases[] = {
		{ "mem=2G arch=x86_32", PGT_PMD, 4 * SZ_1M },
		{ "mem=2G arch=x86_32-pae", PGT_PMD, 2 * SZ_1M },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		enum pgtable_level lvl;
		u64 kva, v;

		boot_or_fail(cases[i].cmdline);
		kva = PAGE_OFFSET + 64 * SZ_1M + 0x1234;
		v = leaf(kva, &lvl);
		assert_int_equal(lvl, cases[i].lvl);
		assert_true(v & _PAGE_PSE);
		assert_int_equal(v & PTE_PFN_MASK, ALIGN_DOWN(64 * SZ_1M, cases[i].size));
		assert_ptr_equal(kernel_walk_page(kva), pfn_to_page(PHYS_PFN(64 * SZ_1M + 0x1234)));
		/* The last lowmem page is mapped, the first HighMem byte is outside the map. */
		assert_non_null(kernel_walk_page(PAGE_OFFSET + PFN_PHYS(max_low_pfn) - 1));
		assert_null(kernel_walk_page(PAGE_OFFSET + PFN_PHYS(max_low_pfn)));
		check_all();
		linmm_shutdown();
	}
}

static void test_x86_32_layout(void **state)
{
	static const struct { const char *cmdline; unsigned int last_pkmap; const char *line; } cases[] = {
		{ "mem=2G arch=x86_32", 1024, "    pkmap   : 0xff000000 - 0xff400000   (4096 kB)" },
		{ "mem=2G arch=x86_32-pae", 512, "    pkmap   : 0xff200000 - 0xff400000   (2048 kB)" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char line[128];

		boot_or_fail(cases[i].cmdline);
		assert_int_equal(LAST_PKMAP, cases[i].last_pkmap);
		assert_true(dmesg_contains(cases[i].line));
		assert_int_equal(VMALLOC_END, PKMAP_BASE - 2 * 4096);
		assert_int_equal(VMALLOC_START, 0xc0000000ULL + 896 * SZ_1M + 8 * SZ_1M);
		assert_int_equal(PKMAP_BASE % PMD_SIZE, 0);
		snprintf(line, sizeof(line), "    vmalloc : 0x%08llx - 0x%08llx", (unsigned long long)VMALLOC_START,
			 (unsigned long long)VMALLOC_END);
		assert_true(dmesg_contains(line));
		/* Every kmap_local slot of every CPU lies in the fixmap, below FIXADDR_TOP. */
		assert_int_equal(FIX_KMAP_END - FIX_KMAP_BEGIN + 1, KM_MAX_IDX * NR_CPUS);
		assert_true(__fix_to_virt(FIX_KMAP_END) >= FIXADDR_START);
		assert_true(__fix_to_virt(FIX_KMAP_BEGIN) < FIXADDR_TOP);
		assert_true(PKMAP_ADDR(LAST_PKMAP) <= FIXADDR_TOT_START);
		/* pkmap and fixmap are inside the host window and their tables exist. */
		assert_non_null(kva_to_host(PKMAP_BASE));
		assert_non_null(kva_to_host(__fix_to_virt(FIX_KMAP_BEGIN)));
		assert_int_equal(host_to_kva(kva_to_host(PKMAP_ADDR(7))), PKMAP_ADDR(7));
		linmm_shutdown();
	}
}

struct touch {
	volatile char *p;
	bool write;
};

static void touch_fn(void *arg)
{
	struct touch *t = arg;

	if (t->write)
		t->p[0] = 1;
	else
		(void)t->p[0];
}

/*
 * The same HighMem page mapped at a vmalloc-window address and at a pkmap
 * address: both views share bytes (the host maps the same memfd page);
 * unmapping one makes it fault and leaves the other.
 */
static void map_twice(const char *cmdline)
{
	struct page *page;
	u64 a, b = 0;
	char *pa, *pb;
	struct touch t;

	boot_or_fail(cmdline);
	page = alloc_page(GFP_HIGHUSER);
	assert_non_null(page);
	assert_true(!strcmp(cmdline, "mem=1G arch=x86_64") || PageHighMem(page));
	a = VMALLOC_START + 64 * SZ_1M;
	b = PKMAP_BASE ? PKMAP_ADDR(5) : VMALLOC_START + 65 * SZ_1M;
	assert_int_equal(kernel_map_pages(a, &page, 1, PAGE_KERNEL), 0);
	assert_int_equal(kernel_map_pages(b, &page, 1, PAGE_KERNEL), 0);
	assert_int_equal(kernel_map_pages(a, &page, 1, PAGE_KERNEL), -EEXIST);
	assert_int_equal(kernel_map_pages(a + 1, &page, 1, PAGE_KERNEL), -EINVAL);
	assert_int_equal(kernel_map_pages(PAGE_OFFSET + SZ_16M, &page, 1, PAGE_KERNEL), -EINVAL);
	assert_ptr_equal(kernel_walk_page(a + 100), page);
	assert_ptr_equal(kernel_walk_page(b), page);
	pa = kva_to_host(a);
	pb = kva_to_host(b);
	memcpy(pa + 10, "linmm", 6);
	assert_string_equal(pb + 10, "linmm");
	kernel_unmap_pages(a, 1);
	assert_null(kernel_walk_page(a));
	t = (struct touch){ pa, true };
	assert_int_equal(linmm_oops_catch(touch_fn, &t), -EFAULT);
	assert_string_equal(pb + 10, "linmm");
	kernel_unmap_pages(b, 1);
	__free_page(page);
	check_all();
	linmm_shutdown();
}

static void test_map_pages(void **state)
{
	(void)state;
	map_twice("mem=1G arch=x86_64");
	map_twice("mem=2G arch=x86_32");
	map_twice("mem=2G arch=x86_32-pae");
}

/* The oops report of a read of an unmapped window address (x86_32 format of the walk). */
static void test_oops_text_x86_32(void **state)
{
	struct touch t;
	char line[128];
	u64 kva;

	(void)state;
	boot_or_fail("mem=2G arch=x86_32");
	kva = VMALLOC_START + 3 * 4096;
	t = (struct touch){ kva_to_host(kva), false };
	assert_int_equal(linmm_oops_catch(touch_fn, &t), -EFAULT);
	snprintf(line, sizeof(line), "BUG: unable to handle page fault for address: %08llx",
		 (unsigned long long)kva);
	assert_true(dmesg_contains(line));
	assert_true(dmesg_contains("#PF: supervisor read access in kernel mode"));
	assert_true(dmesg_contains("#PF: error_code(0x0000) - not-present page"));
	assert_true(dmesg_contains("*pde = "));
	assert_true(dmesg_contains("Oops: 0000 [#1]"));
	assert_true(get_taint() & (1UL << TAINT_DIE));
	check_all();
}

/*
 * Memory hot-added after boot is described in init_mm as init_memory_mapping()
 * maps it: mem=1G, add_memory(1G, 128M) is not 1 GiB-aligned in size, so
 * 2 MiB pages in a new PMD table (from the page allocator, kept: the
 * kernel frees direct-map tables only when memory is removed).
 */
static void test_hotplug_direct_map(void **state)
{
	long tables = 0;
	enum pgtable_level lvl;
	u64 kva;

	(void)state;
	boot_or_fail("mem=1G arch=x86_64");
	kva = PAGE_OFFSET + SZ_1G + 5 * SZ_1M + 0x10;
	assert_null(kernel_walk_page(kva));
	tables = atomic_load(&init_mm.pgtables_bytes);
	assert_int_equal(add_memory(0, SZ_1G, 128 * SZ_1M, MHP_NONE), 0);
	leaf(kva, &lvl);
	assert_int_equal(lvl, PGT_PMD);
	assert_ptr_equal(kernel_walk_page(kva), pfn_to_page(PHYS_PFN(SZ_1G + 5 * SZ_1M)));
	assert_int_equal(atomic_load(&init_mm.pgtables_bytes) - tables, 4096);
	assert_null(kernel_walk_page(PAGE_OFFSET + SZ_1G + 128 * SZ_1M));
	check_all();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_pte_values, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_direct_map_x86_64, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_direct_map_x86_32, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_x86_32_layout, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_map_pages, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_oops_text_x86_32, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_hotplug_direct_map, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
