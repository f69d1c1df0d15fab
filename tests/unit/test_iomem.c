/* SPDX-License-Identifier: MIT */
/*
 * test_iomem.c - the resource tree and /proc/iomem (kernel/resource.c).
 *
 * Oracles: the firmware map (each e820 RAM entry is one top-level
 * "System RAM" line), the kernel image layout (code at kernel_start, rodata
 * and data on 2 MiB boundaries on x86_64), the kernel's nesting rules
 * (request_resource refuses overlap, insert_resource adopts contained
 * siblings, a partial overlap is -EBUSY), and the kernel's "RAM buffer"
 * after RAM that ends off a 64 MiB boundary.
 *
 *   00100000-3e7fffff : System RAM          mem=1000M
 *     01000000-...    : Kernel code
 *   3e800000-3fffffff : RAM buffer          up to the next 64 MiB
 */
#include "linmm_test.h"

#include <linmm/ioport.h>

#include "arch/x86/e820.h"
#include "kernel/machine.h"

static char *iomem(void)
{
	char *text = linmm_proc_read("/proc/iomem");

	if (!text)
		fail_msg("/proc/iomem: %s", linmm_last_error());
	return text;
}

/* @line is a whole line of @text. */
static void expect_line(const char *text, const char *line)
{
	char want[160];

	snprintf(want, sizeof(want), "%s\n", line);
	if (!strncmp(text, want, strlen(want)))
		return;
	snprintf(want, sizeof(want), "\n%s\n", line);
	if (!strstr(text, want))
		fail_msg("/proc/iomem lacks '%s':\n%s", line, text);
}

static void test_ram_and_kernel(void **state)
{
	struct linmm_kernel_image img;
	char *text, line[128];
	int ram_lines = 0;

	boot_or_fail("mem=6G");
	text = iomem();
	for (u32 i = 0; i < e820_table->nr_entries; i++) {
		const struct e820_entry *e = &e820_table->entries[i];

		if (e->type != E820_TYPE_RAM)
			continue;
		snprintf(line, sizeof(line), "%08llx-%08llx : System RAM",
			 (unsigned long long)e->addr, (unsigned long long)(e->addr + e->size - 1));
		expect_line(text, line);
		ram_lines++;
	}
	assert_true(ram_lines >= 3);	/* below 640K, up to 3G, above 4G */

	linmm_kernel_image_layout(linmm_arch, &img);
	assert_int_equal(img.code_start, 0x1000000);
	assert_int_equal(img.rodata_start % (2 << 20), 0);
	assert_int_equal(img.data_start % (2 << 20), 0);
	assert_true(img.init_start >= img.data_end && img.bss_start >= img.init_end);
	assert_int_equal(img.code_end - img.code_start, linmm_arch->kernel_code_k * 1024);
	snprintf(line, sizeof(line), "  %08llx-%08llx : Kernel code",
		 (unsigned long long)img.code_start, (unsigned long long)img.code_end - 1);
	expect_line(text, line);
	snprintf(line, sizeof(line), "  %08llx-%08llx : Kernel bss",
		 (unsigned long long)img.bss_start, (unsigned long long)img.bss_end - 1);
	expect_line(text, line);
	assert_non_null(strstr(text, "00000000-00000fff : Reserved\n"));
	linmm_free(text);
}

static void test_ram_buffer(void **state)
{
	char *text;

	boot_or_fail("mem=1000M");
	text = iomem();
	expect_line(text, "00100000-3e7fffff : System RAM");
	expect_line(text, "3e800000-3fffffff : RAM buffer");
	linmm_free(text);
	linmm_shutdown();

	boot_or_fail("mem=1G");
	text = iomem();
	assert_null(strstr(text, "RAM buffer"));
	linmm_free(text);
}

static void test_memmap_types(void **state)
{
	char *text;

	boot_or_fail("mem=2G memmap=100M$0x50000000 memmap=1M#0x30000000");
	text = iomem();
	expect_line(text, "30000000-300fffff : ACPI Tables");
	expect_line(text, "50000000-563fffff : Reserved");
	expect_line(text, "56400000-7fffffff : System RAM");
	linmm_free(text);
}

static void test_tree_rules(void **state)
{
	struct resource outer = { .name = "outer", .start = 0x1000000000ULL, .end = 0x100fffffffULL,
				  .flags = IORESOURCE_MEM };
	struct resource a = { .name = "a", .start = 0x1000100000ULL, .end = 0x10001fffffULL };
	struct resource b = { .name = "b", .start = 0x1000400000ULL, .end = 0x10004fffffULL };
	struct resource wrap = { .name = "wrap", .start = 0x1000000000ULL, .end = 0x10007fffffULL };
	struct resource partial = { .name = "partial", .start = 0x1000180000ULL,
				    .end = 0x10002fffffULL };
	struct resource *r;
	char *text;

	boot_or_fail("mem=1G");
	assert_int_equal(request_resource(&iomem_resource, &outer), 0);
	assert_int_equal(insert_resource(&iomem_resource, &a), 0);	/* descends into outer */
	assert_ptr_equal(a.parent, &outer);
	assert_int_equal(insert_resource(&iomem_resource, &b), 0);
	assert_int_equal(request_resource(&outer, &partial), -EBUSY);	/* overlaps a */
	assert_int_equal(insert_resource(&iomem_resource, &partial), -EBUSY);
	assert_int_equal(insert_resource(&outer, &wrap), 0);		/* adopts a and b */
	assert_ptr_equal(a.parent, &wrap);
	assert_ptr_equal(b.parent, &wrap);
	assert_ptr_equal(wrap.parent, &outer);

	/* A region nests inside non-busy resources and refuses busy ones. */
	r = request_mem_region(0x1000600000ULL, 0x1000, "region");
	assert_non_null(r);
	assert_ptr_equal(r->parent, &wrap);
	assert_null(request_mem_region(0x1000600800ULL, 0x1000, "clash"));
	text = iomem();
	assert_non_null(strstr(text, "1000000000-100fffffff : outer\n"
				     "  1000000000-10007fffff : wrap\n"
				     "    1000100000-10001fffff : a\n"
				     "    1000400000-10004fffff : b\n"
				     "    1000600000-1000600fff : region\n"));
	linmm_free(text);
	release_mem_region(0x1000600000ULL, 0x1000);
	assert_null(wrap.child->sibling->sibling);
	assert_int_equal(release_resource(&wrap), -EINVAL);	/* has children */
	assert_int_equal(release_resource(&a), 0);
	assert_int_equal(release_resource(&b), 0);
	assert_int_equal(release_resource(&wrap), 0);
	assert_int_equal(release_resource(&outer), 0);
	/* The boot tree is untouched. */
	text = iomem();
	assert_null(strstr(text, "outer"));
	assert_non_null(strstr(text, "Kernel code"));
	linmm_free(text);
}

static void test_x86_32_layout(void **state)
{
	struct linmm_kernel_image img;
	char *text;

	boot_or_fail("mem=2G arch=x86_32");
	linmm_kernel_image_layout(linmm_arch, &img);
	/* The 32-bit linker script aligns sections to pages, not large pages. */
	assert_int_equal(img.rodata_start, ALIGN(img.code_end, 4096));
	text = iomem();
	expect_line(text, "00100000-7fffffff : System RAM");
	assert_non_null(strstr(text, "  01000000-"));
	linmm_free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_ram_and_kernel, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_ram_buffer, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_memmap_types, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_tree_rules, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_x86_32_layout, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
