/* SPDX-License-Identifier: MIT */
/*
 * test_slabinfo.c - /proc/slabinfo (mm/slabinfo.c) and the slab counters of
 * /proc/meminfo and /proc/vmstat.
 *
 * Oracles, none of them read from the code under test:
 *   - tests/data/slabinfo-host-6.18.txt, lines of a real 6.18 x86_64
 *     machine's /proc/slabinfo (2 CPUs, like the default machine): the
 *     header must be byte-identical, and every host row, rendered again
 *     from its own numbers, must come out byte-identical (column widths);
 *   - the same file's kmalloc-8 .. kmalloc-8k rows: objsize, objects per
 *     slab and pages per slab as the kernel chose them for 2 CPUs; and the
 *     order of the boot caches (kmalloc-cg-, dma-kmalloc-, kmalloc-rcl-,
 *     kmalloc- families, kmem_cache_node, kmem_cache last) as the host
 *     lists them;
 *   - the kernel's list order (create_cache() does list_add, slab_show()
 *     walks from the head: newest first, kmem_cache last) and its merging
 *     rule (an alias has no row of its own);
 *   - the counters: a fill of N objects moves nr_slab_unreclaimable (pages)
 *     by exactly the new slabs' pages, SUnreclaim and Slab by their bytes
 *     / 1024, and SReclaimable instead with SLAB_RECLAIM_ACCOUNT; after
 *     free + kmem_cache_shrink() they are back where they started; a
 *     kmalloc above 8 KiB (compound pages, no slab) counts in SUnreclaim
 *     too, as in kernels since 5.14's NR_SLAB_UNRECLAIMABLE_B accounting.
 */
#include "linmm_test.h"

#include <linmm/seq_file.h>
#include <linmm/slab.h>
#include <linmm/vmstat.h>

#include "mm/internal.h"
#include "mm/slab.h"

#define HOST_SLABINFO LINMM_TEST_DATA_DIR "/slabinfo-host-6.18.txt"
#define DEFAULT_MACHINE "mem=1G nodes=1 cpus=2 arch=x86_64"

/* The whole of @path; fails the test if it cannot be read. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = calloc(1, 1 << 16);
	size_t n;

	if (!f)
		fail_msg("cannot open %s", path);
	assert_non_null(text);
	n = fread(text, 1, (1 << 16) - 1, f);
	assert_true(n > 0 && n < (1 << 16) - 1);
	fclose(f);
	return text;
}

static char *proc_slabinfo(void)
{
	char *text = linmm_proc_read("/proc/slabinfo");

	assert_non_null(text);
	return text;
}

/* The row of cache @name in slabinfo @text (a pointer into it), or NULL. */
static const char *find_row(const char *text, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, name, len) && p[len] == ' ')
			return p;
	return NULL;
}

struct row {
	char name[64];
	unsigned long active_objs, num_objs, active_slabs, num_slabs, shared_avail;
	unsigned int objsize, objperslab, pagesperslab, limit, batch, shared;
};

static bool parse_row(const char *line, struct row *r)
{
	return sscanf(line, "%63s %lu %lu %u %u %u : tunables %u %u %u : slabdata %lu %lu %lu",
		      r->name, &r->active_objs, &r->num_objs, &r->objsize, &r->objperslab,
		      &r->pagesperslab, &r->limit, &r->batch, &r->shared, &r->active_slabs,
		      &r->num_slabs, &r->shared_avail) == 12;
}

static void check_slab_cache(struct kmem_cache *s)
{
	assert_int_equal(validate_slab_cache(s), 0);
	check_machine();
}

/* Header lines: byte-identical to the host's. */
static void test_header_matches_host(void **state)
{
	char *host = slurp(HOST_SLABINFO), *ours;
	const char *second;
	size_t len;

	boot_or_fail(DEFAULT_MACHINE);
	ours = proc_slabinfo();
	second = strchr(strchr(host, '\n') + 1, '\n');
	len = (size_t)(second + 1 - host);
	assert_true(strlen(ours) > len);
	assert_memory_equal(ours, host, len);
	linmm_free(ours);
	free(host);
}

/* Every host row, rendered again from its numbers, is the same bytes. */
static void test_row_format_matches_host(void **state)
{
	char *host = slurp(HOST_SLABINFO);
	int rows = 0;

	for (char *line = strtok(host, "\n"); line; line = strtok(NULL, "\n")) {
		struct seq_file m;
		struct slabinfo sinfo;
		struct row r;
		char *text;

		if (!strncmp(line, "slabinfo", 8) || line[0] == '#')
			continue;
		assert_true(parse_row(line, &r));
		sinfo = (struct slabinfo){
			.active_objs = r.active_objs, .num_objs = r.num_objs,
			.active_slabs = r.active_slabs, .num_slabs = r.num_slabs,
			.shared_avail = r.shared_avail, .limit = r.limit, .batchcount = r.batch,
			.shared = r.shared, .objects_per_slab = r.objperslab,
			.cache_order = (unsigned int)__builtin_ctz(r.pagesperslab),
		};
		seq_file_init(&m);
		slabinfo_show_row(&m, r.name, r.objsize, &sinfo);
		text = seq_file_take(&m);
		assert_non_null(text);
		assert_int_equal(strlen(text), strlen(line) + 1);
		assert_memory_equal(text, line, strlen(line));
		assert_int_equal(text[strlen(line)], '\n');
		linmm_free(text);
		rows++;
	}
	assert_true(rows >= 30);
	free(host);
}

/* kmalloc caches: the kernel's slot size, objects and pages per slab (2 CPUs). */
static void test_kmalloc_geometry_matches_host(void **state)
{
	static const char *const names[] = {
		"kmalloc-8", "kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-96",
		"kmalloc-128", "kmalloc-192", "kmalloc-256", "kmalloc-512", "kmalloc-1k",
		"kmalloc-2k", "kmalloc-4k", "kmalloc-8k",
	};
	char *host = slurp(HOST_SLABINFO), *ours;

	boot_or_fail(DEFAULT_MACHINE);
	ours = proc_slabinfo();
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		const char *h = find_row(host, names[i]), *o = find_row(ours, names[i]);
		struct row hr, or;

		if (!h || !o)
			fail_msg("%s: no row (host %p, linmm %p)", names[i], (void *)h, (void *)o);
		assert_true(parse_row(h, &hr));
		assert_true(parse_row(o, &or));
		assert_int_equal(or.objsize, hr.objsize);
		assert_int_equal(or.objperslab, hr.objperslab);
		assert_int_equal(or.pagesperslab, hr.pagesperslab);
		/* SLUB: no tunables, every slab active. */
		assert_int_equal(or.limit + or.batch + or.shared + or.shared_avail, 0);
		assert_int_equal(or.active_slabs, or.num_slabs);
		assert_true(or.active_objs <= or.num_objs);
		assert_int_equal(or.num_objs, or.num_slabs * or.objperslab);
	}
	linmm_free(ours);
	free(host);
}

/* The caches both machines have are listed in the same order. */
static void test_boot_order_matches_host(void **state)
{
	char *host = slurp(HOST_SLABINFO), *ours;
	const char *prev = NULL;
	int common = 0;

	boot_or_fail(DEFAULT_MACHINE);
	ours = proc_slabinfo();
	for (char *line = strtok(host, "\n"); line; line = strtok(NULL, "\n")) {
		struct row r;
		const char *o;

		if (!parse_row(line, &r))
			continue;
		o = find_row(ours, r.name);
		if (!o)
			continue;
		if (prev && o <= prev)
			fail_msg("%s comes before the cache listed above it on the host", r.name);
		prev = o;
		common++;
	}
	assert_true(common >= 20);
	linmm_free(ours);
	free(host);
}

/*
 * Newest first; kmem_cache (the first cache) last; an alias has no row.
 *
 *   create A (200 bytes), then B (300), then C (200: merges into A)
 *   slabinfo:  B ... A ... kmem_cache      (no C)
 */
static void test_order_and_aliases(void **state)
{
	struct kmem_cache *a, *b, *c;
	const char *ra, *rb, *last;
	char *text;

	boot_or_fail(DEFAULT_MACHINE);
	a = kmem_cache_create("test_a", 200, 0, 0, NULL);
	b = kmem_cache_create("test_b", 300, 0, 0, NULL);
	c = kmem_cache_create("test_c", 200, 0, 0, NULL);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	/* find_mergeable(): same size class, no ctor, no debug flags -> one cache. */
	assert_ptr_equal(c, a);
	assert_string_equal(kmem_cache_name(c), "test_a");
	check_slab_cache(a);

	text = proc_slabinfo();
	ra = find_row(text, "test_a");
	rb = find_row(text, "test_b");
	assert_non_null(ra);
	assert_non_null(rb);
	assert_true(rb < ra);
	assert_null(find_row(text, "test_c"));
	assert_true(ra < find_row(text, "kmalloc-8"));
	last = text;
	for (const char *p = text; *p; p++)
		if (*p == '\n' && p[1])
			last = p + 1;
	assert_int_equal(strncmp(last, "kmem_cache ", 11), 0);
	linmm_free(text);

	kmem_cache_destroy(c);
	kmem_cache_destroy(b);
	text = proc_slabinfo();
	assert_non_null(find_row(text, "test_a"));	/* one reference left */
	assert_null(find_row(text, "test_b"));
	linmm_free(text);
	kmem_cache_destroy(a);
	text = proc_slabinfo();
	assert_null(find_row(text, "test_a"));
	linmm_free(text);
	check_machine();
}

/* A value from /proc/meminfo ("SUnreclaim:") or /proc/vmstat ("nr_slab_..."). */
static long proc_value(const char *path, const char *key)
{
	char *text = linmm_proc_read(path);
	size_t len = strlen(key);
	long v = -1;

	assert_non_null(text);
	for (const char *p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, key, len) && (p[len] == ':' || p[len] == ' ')) {
			v = strtol(p + len + 1, NULL, 10);
			break;
		}
	}
	linmm_free(text);
	if (v < 0)
		fail_msg("%s has no %s", path, key);
	return v;
}

struct slab_counters {
	long vmstat_pages, meminfo_kb, slab_kb, other_kb;
};

static void read_counters(struct slab_counters *c, bool reclaimable)
{
	refresh_vm_stats();
	c->vmstat_pages = proc_value("/proc/vmstat", reclaimable ? "nr_slab_reclaimable" :
				     "nr_slab_unreclaimable");
	c->meminfo_kb = proc_value("/proc/meminfo", reclaimable ? "SReclaimable" : "SUnreclaim");
	c->other_kb = proc_value("/proc/meminfo", reclaimable ? "SUnreclaim" : "SReclaimable");
	c->slab_kb = proc_value("/proc/meminfo", "Slab");
	/* The kernel's definition: Slab = SReclaimable + SUnreclaim. */
	assert_int_equal(c->slab_kb, c->meminfo_kb + c->other_kb);
}

/*
 * Fill a fresh cache with @n objects; the counters move by its slab pages
 * (num_slabs << order), and come back after free + shrink.
 */
static void check_counters_follow_slabs(slab_flags_t flags, unsigned int size, unsigned long n)
{
	bool reclaimable = flags & SLAB_RECLAIM_ACCOUNT;
	struct slab_counters before, full, after;
	struct slabinfo sinfo = { 0 };
	struct kmem_cache *s;
	unsigned long pages;
	void **objs;

	s = kmem_cache_create("test_fill", size, 0, flags | SLAB_NO_MERGE, NULL);
	assert_non_null(s);
	objs = calloc(n, sizeof(*objs));
	assert_non_null(objs);
	read_counters(&before, reclaimable);

	for (unsigned long i = 0; i < n; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		assert_non_null(objs[i]);
	}
	check_slab_cache(s);
	get_slabinfo(s, &sinfo);
	pages = sinfo.num_slabs << sinfo.cache_order;
	assert_true(sinfo.num_objs >= n);
	assert_true(pages > 0);
	read_counters(&full, reclaimable);
	assert_int_equal(full.vmstat_pages - before.vmstat_pages, pages);
	assert_int_equal(full.meminfo_kb - before.meminfo_kb, pages * PAGE_SIZE / 1024);
	assert_int_equal(full.slab_kb - before.slab_kb, pages * PAGE_SIZE / 1024);
	assert_int_equal(full.other_kb, before.other_kb);

	for (unsigned long i = 0; i < n; i++)
		kmem_cache_free(s, objs[i]);
	assert_int_equal(kmem_cache_shrink(s), 0);
	check_slab_cache(s);
	sinfo = (struct slabinfo){ 0 };
	get_slabinfo(s, &sinfo);
	assert_int_equal(sinfo.num_slabs, 0);
	assert_int_equal(sinfo.active_objs, 0);
	read_counters(&after, reclaimable);
	assert_int_equal(after.vmstat_pages, before.vmstat_pages);
	assert_int_equal(after.meminfo_kb, before.meminfo_kb);
	assert_int_equal(after.slab_kb, before.slab_kb);
	kmem_cache_destroy(s);
	free(objs);
	check_machine();
}

static void test_counters_unreclaimable(void **state)
{
	boot_or_fail(DEFAULT_MACHINE);
	check_counters_follow_slabs(0, 256, 5000);
	check_counters_follow_slabs(0, 3000, 300);	/* order-3 slabs */
}

static void test_counters_reclaimable(void **state)
{
	boot_or_fail(DEFAULT_MACHINE);
	check_counters_follow_slabs(SLAB_RECLAIM_ACCOUNT, 96, 10000);
}

/* kmalloc(20000): an order-3 compound page, 8 pages of SUnreclaim until kfree. */
static void test_counters_large_kmalloc(void **state)
{
	struct slab_counters before, during, after;
	void *p;

	boot_or_fail(DEFAULT_MACHINE);
	read_counters(&before, false);
	p = kmalloc(20000, GFP_KERNEL);
	assert_non_null(p);
	assert_int_equal(ksize(p), 8 * PAGE_SIZE);
	assert_null(virt_to_slab(p));
	read_counters(&during, false);
	assert_int_equal(during.vmstat_pages - before.vmstat_pages, 8);
	assert_int_equal(during.meminfo_kb - before.meminfo_kb, 8 * PAGE_SIZE / 1024);
	kfree(p);
	read_counters(&after, false);
	assert_int_equal(after.vmstat_pages, before.vmstat_pages);
	assert_int_equal(after.slab_kb, before.slab_kb);
	check_machine();
}

/*
 * kmalloc(115) lands in kmalloc-128: after the CPU slab is flushed
 * (kmem_cache_shrink), active_objs is exactly what is allocated.
 */
static void test_kmalloc_active_objs(void **state)
{
	struct kmem_cache *k128;
	struct row before, after;
	void *objs[100];
	char *text;

	boot_or_fail(DEFAULT_MACHINE);
	k128 = kmem_cache_find("kmalloc-128");
	assert_non_null(k128);
	kmem_cache_shrink(k128);
	text = proc_slabinfo();
	assert_true(parse_row(find_row(text, "kmalloc-128"), &before));
	linmm_free(text);
	for (int i = 0; i < 100; i++) {
		objs[i] = kmalloc(115, GFP_KERNEL);
		assert_non_null(objs[i]);
		assert_int_equal(ksize(objs[i]), 128);
	}
	kmem_cache_shrink(k128);
	check_slab_cache(k128);
	text = proc_slabinfo();
	assert_true(parse_row(find_row(text, "kmalloc-128"), &after));
	linmm_free(text);
	assert_int_equal(after.active_objs, before.active_objs + 100);
	for (int i = 0; i < 100; i++)
		kfree(objs[i]);
	kmem_cache_shrink(k128);
	text = proc_slabinfo();
	assert_true(parse_row(find_row(text, "kmalloc-128"), &after));
	linmm_free(text);
	assert_int_equal(after.active_objs, before.active_objs);
	check_slab_cache(k128);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_header_matches_host, linmm_test_shutdown),
		cmocka_unit_test(test_row_format_matches_host),
		cmocka_unit_test_teardown(test_kmalloc_geometry_matches_host, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_boot_order_matches_host, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_order_and_aliases, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_counters_unreclaimable, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_counters_reclaimable, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_counters_large_kmalloc, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_kmalloc_active_objs, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
