/* SPDX-License-Identifier: MIT */
/*
 * test_kmalloc.c - kmalloc size classes, families, large kmalloc and the
 * helpers (krealloc, ksize, kmalloc_array, kstrdup...).
 *
 * Oracles: the kernel's size classes and kmalloc_size_index table (fact
 * sheet 3.6: 65..96 -> kmalloc-96, 129..192 -> kmalloc-192, above 192
 * fls(size - 1)), kmalloc(115) from kmalloc-128 with ksize 128 (issue 4),
 * ZERO_SIZE_PTR == (void *)16, natural alignment of power-of-two sizes,
 * large kmalloc as compound pages counted in NR_SLAB_UNRECLAIMABLE_B
 * (6.18 ___kmalloc_large_node), and the zone rules of the families
 * (dma-kmalloc-* objects live in ZONE_DMA).
 * validate_slab_cache() runs after every step.
 */
#include "linmm_test.h"

#include <linmm/slab.h>
#include <linmm/vmstat.h>

#include "mm/slab.h"

static void validate_everything(void)
{
	if (validate_all_slab_caches()) {
		char *log = linmm_dmesg(3);

		fail_msg("validate_all_slab_caches failed:\n%s", log ? log : "");
	}
	check_machine();
}

static const char *cache_name_of(const void *p)
{
	struct slab *slab = virt_to_slab(p);

	return slab ? slab->slab_cache->name : "(not a slab)";
}

/* The kernel's classes, written out by hand from the table (not from the code). */
static const char *expected_class(size_t size)
{
	if (size <= 8)
		return "kmalloc-8";
	if (size <= 16)
		return "kmalloc-16";
	if (size <= 32)
		return "kmalloc-32";
	if (size <= 64)
		return "kmalloc-64";
	if (size <= 96)
		return "kmalloc-96";
	if (size <= 128)
		return "kmalloc-128";
	if (size <= 192)
		return "kmalloc-192";
	if (size <= 256)
		return "kmalloc-256";
	if (size <= 512)
		return "kmalloc-512";
	if (size <= 1024)
		return "kmalloc-1k";
	if (size <= 2048)
		return "kmalloc-2k";
	if (size <= 4096)
		return "kmalloc-4k";
	return "kmalloc-8k";
}

static void test_size_classes(void **state)
{
	void *p;

	boot_or_fail("mem=1G cpus=2");
	p = kmalloc(115, GFP_KERNEL);
	assert_string_equal(cache_name_of(p), "kmalloc-128");
	assert_int_equal(ksize(p), 128);
	kfree(p);
	for (size_t size = 1; size <= KMALLOC_MAX_CACHE_SIZE; size += size < 300 ? 1 : 97) {
		p = kmalloc(size, GFP_KERNEL);
		assert_non_null(p);
		if (strcmp(cache_name_of(p), expected_class(size)))
			fail_msg("kmalloc(%zu) from %s, expected %s", size, cache_name_of(p),
				 expected_class(size));
		assert_int_equal(kmalloc_size_roundup(size), ksize(p));
		memset(p, 0xab, ksize(p));
		kfree(p);
	}
	assert_int_equal(kmalloc_index(72), 1);
	assert_int_equal(kmalloc_index(136), 2);
	assert_int_equal(kmalloc_index(193), 8);
	assert_int_equal(kmalloc_index(8192), 13);
	assert_string_equal(kmalloc_info[kmalloc_index(1000)].name[KMALLOC_NORMAL], "kmalloc-1k");
	assert_string_equal(kmalloc_info[1].name[KMALLOC_RECLAIM], "kmalloc-rcl-96");
	assert_string_equal(kmalloc_info[2].name[KMALLOC_DMA], "dma-kmalloc-192");
	assert_string_equal(kmalloc_info[13].name[KMALLOC_CGROUP], "kmalloc-cg-8k");
	assert_int_equal(kmalloc_size_roundup(0), 0);
	assert_int_equal(kmalloc_size_roundup(8193), 16384);
	validate_everything();
}

static void test_natural_alignment(void **state)
{
	boot_or_fail("mem=1G cpus=2");
	for (size_t size = 8; size <= KMALLOC_MAX_CACHE_SIZE; size *= 2) {
		void *p[5];

		for (int i = 0; i < 5; i++) {
			p[i] = kmalloc(size, GFP_KERNEL);
			if ((uintptr_t)p[i] % size)
				fail_msg("kmalloc(%zu) = %p is not aligned to its size", size, p[i]);
		}
		for (int i = 0; i < 5; i++)
			kfree(p[i]);
	}
	validate_everything();
}

static void test_zero_and_null(void **state)
{
	boot_or_fail("mem=1G cpus=2");
	assert_ptr_equal(kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	assert_ptr_equal(ZERO_SIZE_PTR, (void *)16);
	assert_true(ZERO_OR_NULL_PTR(NULL));
	assert_int_equal(ksize(ZERO_SIZE_PTR), 0);
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	kfree_sensitive(NULL);
	assert_false(dmesg_contains("WARNING"));
	validate_everything();
}

static void test_large_kmalloc(void **state)
{
	struct page *page;
	long before;
	char *p;

	boot_or_fail("mem=1G cpus=2");
	refresh_vm_stats();
	before = global_node_page_state(NR_SLAB_UNRECLAIMABLE_B);
	p = kmalloc(8193, GFP_KERNEL);
	assert_non_null(p);
	assert_null(virt_to_slab(p));
	page = virt_to_page(p);
	assert_true(PageLargeKmalloc(page));
	assert_true(PageHead(page));
	assert_int_equal(compound_order(page), 2);
	assert_int_equal(ksize(p), 16384);
	assert_int_equal((uintptr_t)p % PAGE_SIZE, 0);
	memset(p, 1, 16384);
	refresh_vm_stats();
	assert_int_equal(global_node_page_state(NR_SLAB_UNRECLAIMABLE_B) - before, 4);
	kfree(p);
	refresh_vm_stats();
	assert_int_equal(global_node_page_state(NR_SLAB_UNRECLAIMABLE_B), before);
	/* The largest, and one byte more. */
	p = kmalloc(KMALLOC_MAX_SIZE, GFP_KERNEL);
	assert_non_null(p);
	assert_int_equal(ksize(p), KMALLOC_MAX_SIZE);
	kfree(p);
	assert_null(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN));
	validate_everything();
}

static void test_array_and_zeroing(void **state)
{
	unsigned char *p;

	boot_or_fail("mem=1G cpus=2");
	assert_null(kmalloc_array(SIZE_MAX / 2, 3, GFP_KERNEL));
	assert_null(kcalloc(1UL << 40, 1UL << 40, GFP_KERNEL));
	assert_null(krealloc_array(NULL, SIZE_MAX, 2, GFP_KERNEL));
	/* Dirty an object, free it, get it back zeroed through kcalloc/kzalloc. */
	p = kmalloc(200, GFP_KERNEL);
	memset(p, 0xff, 200);
	kfree(p);
	p = kcalloc(25, 8, GFP_KERNEL);
	for (int i = 0; i < 200; i++)
		assert_int_equal(p[i], 0);
	memset(p, 0xff, 200);
	kfree(p);
	p = kzalloc(200, GFP_KERNEL);
	for (int i = 0; i < 200; i++)
		assert_int_equal(p[i], 0);
	kfree(p);
	p = kmalloc_array(10, 30, GFP_KERNEL);
	assert_string_equal(cache_name_of(p), "kmalloc-512");
	kfree(p);
	validate_everything();
}

static void test_krealloc(void **state)
{
	static const size_t steps[] = { 16, 100, 5000, 20000, 3000, 40, 8 };
	unsigned char *p = NULL, *q;
	size_t have = 0;

	boot_or_fail("mem=1G cpus=2");
	for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
		size_t keep = min(have, steps[i]);

		q = krealloc(p, steps[i], GFP_KERNEL);
		assert_non_null(q);
		for (size_t j = 0; j < keep; j++)
			assert_int_equal(q[j], (unsigned char)(j * 7));
		for (size_t j = 0; j < steps[i]; j++)
			q[j] = (unsigned char)(j * 7);
		assert_true(ksize(q) >= steps[i]);
		p = q;
		have = steps[i];
		validate_everything();
	}
	/* Shrinking within the object keeps it in place. */
	q = krealloc(p, 4, GFP_KERNEL);
	assert_ptr_equal(q, p);
	assert_ptr_equal(krealloc(q, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	p = krealloc(NULL, 64, GFP_KERNEL);
	assert_string_equal(cache_name_of(p), "kmalloc-64");
	p = krealloc_array(p, 10, 20, GFP_KERNEL);
	assert_string_equal(cache_name_of(p), "kmalloc-256");
	kfree_sensitive(p);
	validate_everything();
}

static void test_strings(void **state)
{
	static const char hello[] = "hello, slab";
	char *a, *b, *c;

	boot_or_fail("mem=1G cpus=2");
	a = kstrdup(hello, GFP_KERNEL);
	assert_string_equal(a, hello);
	assert_string_equal(cache_name_of(a), "kmalloc-16");
	b = kstrndup(hello, 5, GFP_KERNEL);
	assert_string_equal(b, "hello");
	assert_string_equal(cache_name_of(b), "kmalloc-8");
	c = kmemdup(hello, sizeof(hello), GFP_KERNEL);
	assert_memory_equal(c, hello, sizeof(hello));
	assert_null(kstrdup(NULL, GFP_KERNEL));
	kfree(a);
	kfree(b);
	kfree(c);
	validate_everything();
}

static void test_families(void **state)
{
	void *n, *r, *d, *cg, *d32;

	boot_or_fail("mem=1G nodes=2 cpus=2");
	n = kmalloc(60, GFP_KERNEL);
	r = kmalloc(60, GFP_KERNEL | __GFP_RECLAIMABLE);
	d = kmalloc(60, GFP_KERNEL | __GFP_DMA);
	cg = kmalloc(60, GFP_KERNEL_ACCOUNT);
	assert_string_equal(cache_name_of(n), "kmalloc-64");
	assert_string_equal(cache_name_of(r), "kmalloc-rcl-64");
	assert_string_equal(cache_name_of(d), "dma-kmalloc-64");
	assert_string_equal(cache_name_of(cg), "kmalloc-cg-64");
	assert_int_equal(page_zonenum(virt_to_page(d)), ZONE_DMA);
	assert_true(kmem_cache_find("kmalloc-rcl-64")->flags & SLAB_RECLAIM_ACCOUNT);
	/* __GFP_DMA32 is not a slab flag: fixed up with the kernel's warning. */
	d32 = kmalloc(20000, GFP_KERNEL | __GFP_DMA32);
	assert_non_null(d32);
	assert_true(dmesg_contains("Unexpected gfp: 0x4 (GFP_DMA32). Fixing up to gfp: 0xcc0 (GFP_KERNEL). Fix your code!"));
	kfree(d32);
	kfree(n);
	kfree(r);
	kfree(d);
	kfree(cg);
	/* kmalloc_node lands on the node. */
	for (int nid = 0; nid < 2; nid++) {
		void *p = kmalloc_node(300, GFP_KERNEL, nid), *big = kmalloc_node(20000, GFP_KERNEL, nid);

		assert_int_equal(page_to_nid(virt_to_page(p)), nid);
		assert_int_equal(page_to_nid(virt_to_page(big)), nid);
		kfree(p);
		kfree(big);
	}
	validate_everything();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_size_classes, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_natural_alignment, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_zero_and_null, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_large_kmalloc, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_array_and_zeroing, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_krealloc, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_strings, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_families, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
