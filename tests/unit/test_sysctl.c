/* SPDX-License-Identifier: MIT */
/*
 * test_sysctl.c - /proc/sys/vm: reading, writing, refusing bad values
 * (kernel/sysctl.c and the handlers it calls).
 *
 * Oracles: the kernel's defaults and bounds (fact sheet 0.1: overcommit
 * 0/50, watermark_scale_factor 10 in 1..3000, watermark_boost_factor 15000,
 * lowmem_reserve_ratio 256 256 32 0 0 on x86_64, percpu_pagelist_high_fraction
 * 0 or >= 8, dirty 20/10), the kernel's number syntax (proc_dointvec reads
 * 0x hex), and the host's own files for the output shape.
 */
#include "linmm_test.h"

#include <linmm/mman.h>
#include <linmm/writeback.h>

#include "kernel/machine.h"
#include "mm/internal.h"

static void expect_sysctl(const char *name, const char *want)
{
	char *v = linmm_sysctl_read(name);

	if (!v)
		fail_msg("%s: %s", name, linmm_last_error());
	if (strcmp(v, want))
		fail_msg("%s = '%s', expected '%s'", name, v, want);
	linmm_free(v);
}

static void expect_einval(const char *name, const char *value, const char *old,
			  const char *needle)
{
	int ret = linmm_sysctl_write(name, value);

	if (ret != -EINVAL)
		fail_msg("%s=%s: %d, expected -EINVAL", name, value, ret);
	if (!strstr(linmm_last_error(), needle) || !strstr(linmm_last_error(), name))
		fail_msg("%s=%s: error '%s' lacks '%s'", name, value, linmm_last_error(), needle);
	expect_sysctl(name, old);
}

static void test_defaults_x86_64(void **state)
{
	char buf[32];

	boot_or_fail("mem=2G cpus=2");
	expect_sysctl("vm.overcommit_memory", "0\n");
	expect_sysctl("vm.overcommit_ratio", "50\n");
	expect_sysctl("vm.overcommit_kbytes", "0\n");
	expect_sysctl("vm.watermark_scale_factor", "10\n");
	expect_sysctl("vm.watermark_boost_factor", "15000\n");
	expect_sysctl("vm.percpu_pagelist_high_fraction", "0\n");
	expect_sysctl("vm.lowmem_reserve_ratio", "256\t256\t32\t0\t0\n");
	expect_sysctl("vm.dirty_ratio", "20\n");
	expect_sysctl("vm.dirty_background_ratio", "10\n");
	expect_sysctl("vm.dirty_bytes", "0\n");
	expect_sysctl("vm.dirty_background_bytes", "0\n");
	expect_sysctl("vm.numa_stat", "1\n");
	expect_sysctl("vm.stat_refresh", "");
	snprintf(buf, sizeof(buf), "%d\n", min_free_kbytes);
	expect_sysctl("vm.min_free_kbytes", buf);
	/* min(free/32, 8 MiB) and min(free/32, 128 MiB): 2 GiB has room for both caps... */
	expect_sysctl("vm.admin_reserve_kbytes", "8192\n");
	/* ...but not for the user reserve: about 3% of ~2 GiB free. */
	assert_true(sysctl_user_reserve_kbytes > 60000 && sysctl_user_reserve_kbytes < 66000);
	/* The same knob by path. */
	{
		char *v = linmm_proc_read("/proc/sys/vm/overcommit_ratio");

		assert_non_null(v);
		assert_string_equal(v, "50\n");
		linmm_free(v);
	}
}

static void test_defaults_x86_32(void **state)
{
	boot_or_fail("mem=2G arch=x86_32");
	expect_sysctl("vm.lowmem_reserve_ratio", "256\t32\t0\t0\n");
	/* No CONFIG_NUMA on the 32-bit models: no numa_stat. */
	assert_null(linmm_sysctl_read("vm.numa_stat"));
	assert_int_equal(linmm_sysctl_write("vm.numa_stat", "1"), -ENOENT);
}

/* The host kernel prints a vector the same way: tab-separated, one newline. */
static void test_vector_shape_matches_host(void **state)
{
	FILE *f = fopen("/proc/sys/vm/lowmem_reserve_ratio", "r");
	char host[128], *ours;
	int tabs_host = 0, tabs_ours = 0;

	if (!f)
		skip();
	if (!fgets(host, sizeof(host), f)) {
		fclose(f);
		skip();
	}
	fclose(f);
	boot_or_fail("mem=2G");
	ours = linmm_sysctl_read("vm.lowmem_reserve_ratio");
	assert_non_null(ours);
	for (char *p = host; *p; p++)
		tabs_host += *p == '\t';
	for (char *p = ours; *p; p++)
		tabs_ours += *p == '\t';
	/* Same zones on an x86_64 host (DMA DMA32 Normal Movable Device). */
	if (tabs_host == 4)
		assert_int_equal(tabs_ours, tabs_host);
	assert_true(ours[strlen(ours) - 1] == '\n' && host[strlen(host) - 1] == '\n');
	linmm_free(ours);
}

static void test_min_free_kbytes(void **state)
{
	unsigned long min_sum = 0;
	struct zone *zone;
	char old[32];

	boot_or_fail("mem=2G cpus=2");
	snprintf(old, sizeof(old), "%d\n", min_free_kbytes);
	expect_einval("vm.min_free_kbytes", "-1", old, "accepted: integers from 0 to 2147483647");
	expect_einval("vm.min_free_kbytes", "abc", old, "not a number");
	expect_einval("vm.min_free_kbytes", "", old, "empty");
	expect_einval("vm.min_free_kbytes", "12abc", old, "not a number");
	expect_einval("vm.min_free_kbytes", "5 6", old, "too many values");
	expect_einval("vm.min_free_kbytes", "2147483648", old, "out of range");
	check_machine();

	assert_int_equal(linmm_sysctl_write("vm.min_free_kbytes", "16384\n"), 0);
	expect_sysctl("vm.min_free_kbytes", "16384\n");
	for_each_populated_zone(zone)
		min_sum += min_wmark_pages(zone);
	/* The zones' min watermarks share out min_free_kbytes (4 KiB pages, rounding). */
	assert_true(min_sum <= 16384 / 4 && min_sum >= 16384 / 4 - 8);
	/* Through the /proc path, and in hex as proc_dointvec allows. */
	assert_int_equal(linmm_proc_write("/proc/sys/vm/min_free_kbytes", "0x2000"), 0);
	expect_sysctl("vm.min_free_kbytes", "8192\n");
	check_machine();
}

static void test_watermark_knobs(void **state)
{
	boot_or_fail("mem=1G");
	expect_einval("vm.watermark_scale_factor", "0", "10\n", "accepted: integers from 1 to 3000");
	expect_einval("vm.watermark_scale_factor", "3001", "10\n", "out of range");
	assert_int_equal(linmm_sysctl_write("vm.watermark_scale_factor", "3000"), 0);
	expect_sysctl("vm.watermark_scale_factor", "3000\n");
	assert_int_equal(linmm_sysctl_write("vm.watermark_scale_factor", " 1 "), 0);
	expect_sysctl("vm.watermark_scale_factor", "1\n");

	expect_einval("vm.watermark_boost_factor", "-3", "15000\n", "out of range");
	assert_int_equal(linmm_sysctl_write("vm.watermark_boost_factor", "0"), 0);
	expect_sysctl("vm.watermark_boost_factor", "0\n");

	expect_einval("vm.percpu_pagelist_high_fraction", "7", "0\n", "0 for automatic, or 8 to");
	expect_einval("vm.percpu_pagelist_high_fraction", "-8", "0\n", "out of range");
	assert_int_equal(linmm_sysctl_write("vm.percpu_pagelist_high_fraction", "8"), 0);
	expect_sysctl("vm.percpu_pagelist_high_fraction", "8\n");
	assert_int_equal(linmm_sysctl_write("vm.percpu_pagelist_high_fraction", "0"), 0);
	expect_sysctl("vm.percpu_pagelist_high_fraction", "0\n");
	check_machine();
}

static void test_lowmem_reserve_ratio(void **state)
{
	struct zone *dma;

	boot_or_fail("mem=6G");
	dma = &NODE_DATA(0)->node_zones[ZONE_DMA];
	/* Fewer values than zones: the rest keep theirs. */
	assert_int_equal(linmm_sysctl_write("vm.lowmem_reserve_ratio", "128\t64"), 0);
	expect_sysctl("vm.lowmem_reserve_ratio", "128\t64\t32\t0\t0\n");
	/* Below 1 is stored as 0, as the kernel does. */
	assert_int_equal(linmm_sysctl_write("vm.lowmem_reserve_ratio", "-5 256 32"), 0);
	expect_sysctl("vm.lowmem_reserve_ratio", "0\t256\t32\t0\t0\n");
	/* A zero ratio removes the DMA zone's protection. */
	for (int i = 0; i < MAX_NR_ZONES; i++)
		assert_int_equal(dma->lowmem_reserve[i], 0);
	expect_einval("vm.lowmem_reserve_ratio", "1 2 3 4 5 6", "0\t256\t32\t0\t0\n",
		      "too many values");
	check_machine();
}

static void test_overcommit_and_dirty(void **state)
{
	char *v;

	boot_or_fail("mem=1G");
	expect_einval("vm.overcommit_memory", "3", "0\n", "accepted: integers from 0 to 2");
	assert_int_equal(linmm_sysctl_write("vm.overcommit_memory", "2"), 0);
	expect_sysctl("vm.overcommit_memory", "2\n");

	/* overcommit_kbytes and overcommit_ratio exclude each other. */
	assert_int_equal(linmm_sysctl_write("vm.overcommit_kbytes", "409600"), 0);
	expect_sysctl("vm.overcommit_ratio", "0\n");
	assert_int_equal(vm_commit_limit(), 409600 / 4);
	assert_int_equal(linmm_sysctl_write("vm.overcommit_ratio", "100"), 0);
	expect_sysctl("vm.overcommit_kbytes", "0\n");
	assert_int_equal(vm_commit_limit(), totalram_pages());
	expect_einval("vm.overcommit_kbytes", "-1", "0\n", "out of range");

	/* dirty_bytes replaces dirty_ratio and shows in /proc/vmstat. */
	expect_einval("vm.dirty_bytes", "4096", "0\n", "accepted: integers from 8192");
	assert_int_equal(linmm_sysctl_write("vm.dirty_bytes", "1048576"), 0);
	expect_sysctl("vm.dirty_ratio", "0\n");
	v = linmm_proc_read("/proc/vmstat");
	assert_non_null(v);
	assert_non_null(strstr(v, "\nnr_dirty_threshold 256\n"));
	linmm_free(v);
	assert_int_equal(linmm_sysctl_write("vm.dirty_ratio", "20"), 0);
	expect_sysctl("vm.dirty_bytes", "0\n");
	expect_einval("vm.dirty_ratio", "101", "20\n", "accepted: integers from 0 to 100");
	assert_int_equal(linmm_sysctl_write("vm.dirty_background_bytes", "65536"), 0);
	expect_sysctl("vm.dirty_background_ratio", "0\n");
	assert_int_equal(linmm_sysctl_write("vm.stat_refresh", "1"), 0);
}

static void test_unknown_and_read_only(void **state)
{
	const char *const *paths;
	int n = 0;

	assert_null(linmm_sysctl_read("vm.min_free_kbytes"));	/* nothing booted */
	boot_or_fail(NULL);
	assert_null(linmm_sysctl_read("vm.no_such_knob"));
	assert_string_equal(linmm_last_error(), "No such file or directory");
	assert_int_equal(linmm_sysctl_write("vm.no_such_knob", "1"), -ENOENT);
	assert_int_equal(linmm_sysctl_write("kernel.min_free_kbytes", "1"), -ENOENT);
	assert_null(linmm_proc_read("/proc/nonexistent"));
	assert_int_equal(linmm_proc_write("/proc/meminfo", "1"), -EACCES);
	assert_int_equal(linmm_proc_write("/proc/nonexistent", "1"), -ENOENT);

	/* Every knob is listed, sorted, and readable (but the write-only drop_caches, 0200). */
	paths = linmm_proc_paths();
	for (; paths[n]; n++) {
		char *v = linmm_proc_read(paths[n]);

		if (!strcmp(paths[n], "/proc/sys/vm/drop_caches")) {
			assert_null(v);
			assert_string_equal(linmm_last_error(), "Permission denied");
			continue;
		}
		if (!v)
			fail_msg("%s: %s", paths[n], linmm_last_error());
		linmm_free(v);
		if (n)
			assert_true(strcmp(paths[n - 1], paths[n]) < 0);
	}
	paths = linmm_proc_paths();
	for (n = 0; paths[n] && strcmp(paths[n], "/proc/sys/vm/min_free_kbytes"); n++)
		;
	assert_non_null(paths[n]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_defaults_x86_64, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_defaults_x86_32, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_vector_shape_matches_host, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_min_free_kbytes, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_watermark_knobs, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_lowmem_reserve_ratio, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_overcommit_and_dirty, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_unknown_and_read_only, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
