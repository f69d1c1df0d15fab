/* SPDX-License-Identifier: MIT */
/*
 * test_slab.c - SLUB: slab sizing, freelists, per-CPU and node lists,
 * merging, destroy, failslab, threads.
 *
 * Oracles (none computed by the code under test):
 *   - the host kernel's /proc/slabinfo (Linux 6.18.44, x86_64, 2 CPUs):
 *     objsize, objperslab and pagesperslab of every kmalloc cache, copied
 *     into host_kmalloc[] below and, when the file is readable, compared
 *     live as well;
 *   - the kernel's formulas (fact sheet 3.1-3.4): free pointer at
 *     ALIGN_DOWN(object_size / 2, 8), HWCACHE_ALIGN halving, min_partial
 *     clamp(ilog2(size) / 2, 5, 10), set_cpu_partial() 120/52/24/6 (5.16+);
 *   - the kernel's messages: "SLUB: HWalign=64, Order=0-3, MinObjects=0,
 *     CPUs=N, Nodes=M", "kmem_cache_destroy NAME: Slab cache still has
 *     objects when called from", "Objects remaining in NAME on
 *     __kmem_cache_shutdown()", "Wrong slab cache. A but object is from B",
 *     "kernel BUG at mm/slub.c";
 *   - conservation: free everything, shrink, and the slab counters of
 *     /proc/meminfo return to their boot values.
 * validate_slab_cache() runs after every step.
 */
#include "linmm_test.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linmm/fault-inject.h>
#include <linmm/slab.h>
#include <linmm/vmstat.h>

#include "kernel/host.h"
#include "kernel/machine.h"
#include "mm/slab.h"

static int shutdown_after(void **state)
{
	failslab_reset();
	return linmm_test_shutdown(state);
}

static void validate(struct kmem_cache *s)
{
	if (validate_slab_cache(s)) {
		char *log = linmm_dmesg(3);

		fail_msg("validate_slab_cache(%s) failed:\n%s", s->name, log ? log : "");
	}
}

static void validate_everything(void)
{
	assert_int_equal(validate_all_slab_caches(), 0);
	check_machine();
}

/* Slab pages in /proc/meminfo terms, per-CPU vmstat deltas folded. */
static unsigned long slab_pages(void)
{
	refresh_vm_stats();
	return (unsigned long)(global_node_page_state(NR_SLAB_UNRECLAIMABLE_B) +
			       global_node_page_state(NR_SLAB_RECLAIMABLE_B));
}

static struct slabinfo info_of(struct kmem_cache *s)
{
	struct slabinfo si;

	get_slabinfo(s, &si);
	return si;
}

/* ---- boot ---- */

static void test_boot_line(void **state)
{
	boot_or_fail("mem=1G cpus=2");
	assert_true(dmesg_contains("SLUB: HWalign=64, Order=0-3, MinObjects=0, CPUs=2, Nodes=1\n"));
	validate_everything();
	linmm_shutdown();

	boot_or_fail("mem=2G nodes=2 cpus=8 slub_max_order=1 slub_min_objects=8 slab_nomerge");
	assert_true(dmesg_contains("SLUB: HWalign=64, Order=0-1, MinObjects=8, CPUs=8, Nodes=2\n"));
	assert_true(slab_nomerge);
	validate_everything();
	linmm_shutdown();

	assert_int_equal(linmm_boot("slab_nomerge=1"), -EINVAL);
	assert_non_null(strstr(linmm_last_error(), "slab_nomerge"));
	assert_int_equal(linmm_boot("slub_max_order=11"), -EINVAL);
	assert_int_equal(linmm_boot("failslab=1,200,0,1"), -EINVAL);
}

/* ---- sizing against the host kernel ---- */

struct host_row {
	const char *name;
	unsigned int objsize, objperslab, pagesperslab;
};

/*
 * The host's /proc/slabinfo (Linux 6.18.44-fc-v669, x86_64, nproc 2), the
 * kmalloc rows as read on 2026-11-22; rcl-, dma- and cg- rows have the
 * same geometry per size and are checked against the same table.
 */
static const struct host_row host_kmalloc[] = {
	{ "kmalloc-8k", 8192, 4, 8 },	{ "kmalloc-4k", 4096, 8, 8 },
	{ "kmalloc-2k", 2048, 16, 8 },	{ "kmalloc-1k", 1024, 16, 4 },
	{ "kmalloc-512", 512, 16, 2 },	{ "kmalloc-256", 256, 16, 1 },
	{ "kmalloc-128", 128, 32, 1 },	{ "kmalloc-64", 64, 64, 1 },
	{ "kmalloc-32", 32, 128, 1 },	{ "kmalloc-16", 16, 256, 1 },
	{ "kmalloc-8", 8, 512, 1 },	{ "kmalloc-192", 192, 21, 1 },
	{ "kmalloc-96", 96, 42, 1 },
};

static void check_geometry(const char *name, unsigned int objsize, unsigned int perslab,
			   unsigned int pages)
{
	struct kmem_cache *s = kmem_cache_find(name);
	struct slabinfo si;

	if (!s)
		fail_msg("no cache %s", name);
	si = info_of(s);
	if (s->size != objsize || si.objects_per_slab != perslab ||
	    (1u << si.cache_order) != pages)
		fail_msg("%s: size %u objperslab %u pages %u, host says %u %u %u", name, s->size,
			 si.objects_per_slab, 1u << si.cache_order, objsize, perslab, pages);
}

static void test_kmalloc_geometry_vs_host(void **state)
{
	static const char *const prefix[] = { "kmalloc-", "kmalloc-rcl-", "dma-kmalloc-",
					      "kmalloc-cg-" };
	FILE *f;
	char line[512];
	int live = 0;

	boot_or_fail("mem=1G cpus=2");
	for (size_t i = 0; i < ARRAY_SIZE(host_kmalloc); i++) {
		for (size_t t = 0; t < ARRAY_SIZE(prefix); t++) {
			char name[64];

			snprintf(name, sizeof(name), "%s%s", prefix[t], host_kmalloc[i].name + 8);
			check_geometry(name, host_kmalloc[i].objsize, host_kmalloc[i].objperslab,
				       host_kmalloc[i].pagesperslab);
		}
	}
	/* The live host file too, when it can be read (root). */
	f = fopen("/proc/slabinfo", "r");
	while (f && fgets(line, sizeof(line), f)) {
		char name[64];
		unsigned long active, num;
		unsigned int objsize, perslab, pages;

		if (sscanf(line, "%63s %lu %lu %u %u %u", name, &active, &num, &objsize, &perslab,
			   &pages) != 6 || strncmp(name, "kmalloc-", 8) || strstr(name, "rnd"))
			continue;
		if (!kmem_cache_find(name))
			continue;
		check_geometry(name, objsize, perslab, pages);
		live++;
	}
	if (f)
		fclose(f);
	print_message("compared %d live host rows\n", live);
	validate_everything();
}

static void ctor_count(void *obj);

static void test_calculate_sizes(void **state)
{
	struct kmem_cache *s;

	boot_or_fail("mem=1G cpus=2");
	/* 20 bytes, HWCACHE_ALIGN: 64 -> 32 (20 <= 32), slot 32, pointer at 8. */
	s = kmem_cache_create("t20", 20, 0, SLAB_HWCACHE_ALIGN, NULL);
	assert_non_null(s);
	assert_int_equal(s->align, 32);
	assert_int_equal(s->size, 32);
	assert_int_equal(s->offset, 8);
	assert_int_equal(s->inuse, 24);
	assert_int_equal(s->min_partial, 5);		/* ilog2(32)/2 = 2 -> 5 */
	assert_int_equal(s->cpu_partial, 120);
	assert_int_equal(s->cpu_partial_slabs, DIV_ROUND_UP(240, 4096 / 32));
	/* A constructor keeps the object intact: the pointer goes behind it. */
	s = kmem_cache_create("t20c", 20, 0, 0, ctor_count);
	assert_int_equal(s->offset, 24);
	assert_int_equal(s->size, 32);
	/* SLAB_TYPESAFE_BY_RCU too. */
	s = kmem_cache_create("t100r", 100, 0, SLAB_TYPESAFE_BY_RCU, NULL);
	assert_int_equal(s->offset, 104);
	assert_int_equal(s->size, 112);
	/* Middle of the object otherwise: ALIGN_DOWN(100 / 2, 8) = 48. */
	s = kmem_cache_create("t100", 100, 0, SLAB_NO_MERGE, NULL);
	assert_int_equal(s->offset, 48);
	assert_int_equal(s->size, 104);
	assert_int_equal(s->cpu_partial, 120);
	/* 3000 bytes: min_partial ilog2/2 = 5, cpu_partial 24; 4 KiB+: 6 objects. */
	s = kmem_cache_create("t3000", 3000, 0, 0, NULL);
	assert_int_equal(s->cpu_partial, 24);
	assert_int_equal(s->min_partial, 5);
	s = kmem_cache_create("t300k", 300 * 1024, 0, 0, NULL);
	assert_int_equal(s->cpu_partial, 6);
	assert_int_equal(s->min_partial, 9);		/* ilog2(307200) = 18 */
	/* One object does not fit order 3: the order of the object itself. */
	assert_int_equal(oo_order(s->oo), 7);
	assert_int_equal(oo_objects(s->oo), 1);
	/* Red zone + poison (slub_debug FZP-style flags given directly). */
	s = kmem_cache_create("t64rz", 64, 0, SLAB_RED_ZONE | SLAB_POISON, NULL);
	assert_int_equal(s->inuse, 72);			/* one word of right red zone */
	assert_int_equal(s->offset, 72);		/* poisoning: pointer outside */
	assert_int_equal(s->red_left_pad, 8);
	assert_int_equal(s->size, 96);			/* 72 + 8 + 8 + 8 */
	assert_true(s->flags & __OBJECT_POISON);
	assert_int_equal(s->cpu_partial, 0);		/* debug caches: none */
	/* The minimum order of kmalloc-1k with slub_min_order=2 and 4 CPUs. */
	validate_everything();
	linmm_shutdown();
	boot_or_fail("mem=1G cpus=4 slub_min_order=2");
	s = kmem_cache_find("kmalloc-8");
	assert_int_equal(oo_order(s->oo), 2);
	assert_int_equal(oo_objects(s->oo), 2048);
	validate_everything();
}

/* ---- freelists ---- */

static void test_freelist_hardening(void **state)
{
	struct kmem_cache *s;
	unsigned long random1;
	char *a, *b, *c;

	boot_or_fail("mem=1G cpus=2");
	s = kmem_cache_create("hard", 128, 0, 0, NULL);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	c = kmem_cache_alloc(s, GFP_KERNEL);
	assert_ptr_equal(b, a + 128);		/* a new slab hands out address order */
	assert_ptr_equal(c, b + 128);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);			/* b -> a -> (rest of the slab) */
	validate(s);
	{
		unsigned long *slot = (unsigned long *)(b + s->offset);
		unsigned long expect = (unsigned long)a ^ s->random ^ __builtin_bswap64((unsigned long)slot);

		assert_int_equal(*slot, expect);
		assert_ptr_equal(get_freepointer(s, b), a);
	}
	random1 = s->random;
	assert_true(random1 != 0);
	/* Same boot, same keys. */
	linmm_shutdown();
	boot_or_fail("mem=1G cpus=2");
	s = kmem_cache_create("hard", 128, 0, 0, NULL);
	assert_int_equal(s->random, random1);
	/* Different caches, different keys. */
	assert_true(kmem_cache_create("hard2", 128, 0, SLAB_NO_MERGE, NULL)->random != random1);
	validate_everything();
}

/* The naive double free (object == freelist head) is a BUG; run it in a child. */
static void test_double_free_bug(void **state)
{
	int pipefd[2], status;
	char buf[8192];
	ssize_t n, len = 0;
	pid_t pid;

	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct kmem_cache *s;
		void *p;

		dup2(pipefd[1], 2);
		if (linmm_boot("mem=256M cpus=1"))
			_exit(3);
		s = kmem_cache_create("df", 64, 0, 0, NULL);
		p = kmem_cache_alloc(s, GFP_KERNEL);
		kmem_cache_free(s, p);
		kmem_cache_free(s, p);	/* BUG */
		_exit(0);
	}
	close(pipefd[1]);
	while ((n = read(pipefd[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(pipefd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) != 0 &&
					    WEXITSTATUS(status) != 3));
	assert_non_null(strstr(buf, "kernel BUG at mm/slub.c:"));
}

/* ---- lists, partial slabs, empty slabs returned ---- */

static void test_partial_and_empty_slabs(void **state)
{
	enum { N = 16 * 12 };
	struct kmem_cache *s;
	unsigned long boot_pages;
	struct slabinfo si;
	void *obj[N];

	boot_or_fail("mem=1G cpus=2");
	s = kmem_cache_create("p256", 256, 0, 0, NULL);
	boot_pages = slab_pages();
	assert_int_equal(oo_objects(s->oo), 16);
	for (int i = 0; i < N; i++) {
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
		assert_non_null(obj[i]);
		memset(obj[i], i, 256);
	}
	validate(s);
	si = info_of(s);
	assert_int_equal(si.num_slabs, 12);
	assert_int_equal(si.active_objs, N);
	assert_int_equal(slab_pages(), boot_pages + 12);
	/* One object from every slab: every slab becomes partial. */
	for (int i = 0; i < N; i += 16) {
		kmem_cache_free(s, obj[i]);
		obj[i] = NULL;
		validate(s);
	}
	si = info_of(s);
	assert_int_equal(si.num_slabs, 12);
	/* Everything else: empty slabs beyond min_partial go back to the buddy. */
	for (int i = 0; i < N; i++) {
		if (obj[i]) {
			assert_int_equal(((unsigned char *)obj[i])[255], (unsigned char)i);
			kmem_cache_free(s, obj[i]);
		}
		if (i % 16 == 15)
			validate(s);
	}
	si = info_of(s);
	assert_true(si.num_slabs < 12);
	assert_true(si.num_slabs >= s->min_partial);	/* kept for reuse */
	assert_int_equal(kmem_cache_shrink(s), 0);
	validate(s);
	si = info_of(s);
	assert_int_equal(si.num_slabs, 0);
	assert_int_equal(si.active_objs, 0);
	assert_int_equal(slab_pages(), boot_pages);
	kmem_cache_destroy(s);
	assert_null(kmem_cache_find("p256"));
	validate_everything();
}

static int ctor_calls;

static void ctor_count(void *obj)
{
	ctor_calls++;
	memset(obj, 0x42, 20);
}

static void test_ctor_once_per_object(void **state)
{
	struct kmem_cache *s;
	unsigned int per_slab;
	void *p, *q;

	boot_or_fail("mem=1G cpus=2");
	ctor_calls = 0;
	s = kmem_cache_create("ctor", 20, 0, 0, ctor_count);
	per_slab = oo_objects(s->oo);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(ctor_calls, per_slab);		/* the whole slab, once */
	assert_int_equal(((unsigned char *)p)[19], 0x42);
	memset(p, 0, 20);
	kmem_cache_free(s, p);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(ctor_calls, per_slab);		/* not again on reuse */
	kmem_cache_free(s, q);
	validate(s);
	kmem_cache_destroy(s);
	validate_everything();
}

static void test_bulk(void **state)
{
	struct kmem_cache *s;
	void *p[300];

	boot_or_fail("mem=1G cpus=2");
	s = kmem_cache_create("bulk", 48, 0, 0, NULL);
	assert_int_equal(kmem_cache_alloc_bulk(s, GFP_KERNEL, 300, p), 300);
	for (int i = 0; i < 300; i++) {
		for (int j = i + 1; j < 300; j++)
			assert_ptr_not_equal(p[i], p[j]);
		memset(p[i], 0xa, 48);
	}
	validate(s);
	/* Free objects of CPU slabs count as active, as in the kernel's slabinfo. */
	assert_true(info_of(s).active_objs >= 300);
	flush_all(s);
	assert_int_equal(info_of(s).active_objs, 300);
	validate(s);
	kmem_cache_free_bulk(s, 300, p);
	validate(s);
	/* Bulk failure keeps nothing. */
	failslab.ignore_gfp_reclaim = false;
	failslab.attr.probability = 100;
	atomic_store(&failslab.attr.space, 48 * 10);	/* 10 objects, then fail */
	atomic_store(&failslab.attr.times, 1);
	assert_int_equal(kmem_cache_alloc_bulk(s, GFP_KERNEL, 20, p), 0);
	failslab_reset();
	validate(s);
	kmem_cache_shrink(s);
	assert_int_equal(info_of(s).active_objs, 0);
	validate_everything();
}

/* ---- merging ---- */

static void test_merge(void **state)
{
	struct kmem_cache *a, *b, *c, *d;

	boot_or_fail("mem=1G cpus=2");
	a = kmem_cache_create("merge_a", 200, 0, 0, NULL);
	b = kmem_cache_create("merge_b", 196, 0, 0, NULL);	/* same 200-byte slot */
	assert_ptr_equal(a, b);
	assert_int_equal(a->refcount, 2);
	assert_ptr_equal(kmem_cache_find("merge_a"), a);
	assert_null(kmem_cache_find("merge_b"));		/* aliases are not listed */
	c = kmem_cache_create("merge_c", 200, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	assert_ptr_not_equal(a, c);				/* SLAB_MERGE_SAME differs */
	d = kmem_cache_create("merge_d", 200, 0, 0, ctor_count);
	assert_ptr_not_equal(a, d);				/* constructors never merge */
	assert_ptr_not_equal(kmem_cache_create("merge_e", 200, 0, SLAB_NO_MERGE, NULL), a);
	/* kmalloc-N (NORMAL) never merges; the reclaimable family may. */
	assert_ptr_not_equal(kmem_cache_create("merge_64", 64, 0, 0, NULL),
			     kmem_cache_find("kmalloc-64"));
	assert_ptr_equal(kmem_cache_create("merge_r64", 64, 0, SLAB_RECLAIM_ACCOUNT, NULL),
			 kmem_cache_find("kmalloc-rcl-64"));
	kmem_cache_destroy(b);
	assert_int_equal(a->refcount, 1);
	assert_ptr_equal(kmem_cache_find("merge_a"), a);
	kmem_cache_destroy(a);
	assert_null(kmem_cache_find("merge_a"));
	validate_everything();
	linmm_shutdown();

	boot_or_fail("mem=1G cpus=2 slab_nomerge");
	a = kmem_cache_create("merge_a", 200, 0, 0, NULL);
	b = kmem_cache_create("merge_b", 200, 0, 0, NULL);
	assert_ptr_not_equal(a, b);
	validate_everything();
}

/* ---- misuse ---- */

static void test_destroy_with_objects(void **state)
{
	struct kmem_cache *s;
	void *p;

	boot_or_fail("mem=1G cpus=2");
	s = kmem_cache_create("leaky", 100, 0, 0, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	assert_non_null(p);
	kmem_cache_destroy(s);
	assert_true(dmesg_contains("kmem_cache_destroy leaky: Slab cache still has objects when called from"));
	assert_true(dmesg_contains("Objects remaining in leaky on __kmem_cache_shutdown()"));
	assert_true(dmesg_contains("WARNING: CPU: 0 PID: 0 at mm/slab_common.c:"));
	/* The cache is leaked, not freed: still listed and consistent. */
	assert_ptr_equal(kmem_cache_find("leaky"), s);
	validate(s);
	validate_everything();
}

static void test_wrong_cache_and_bad_pointers(void **state)
{
	struct kmem_cache *a, *b;
	struct page *page;
	char *p, *q;

	boot_or_fail("mem=1G cpus=2");
	a = kmem_cache_create("wrong_a", 64, 0, SLAB_NO_MERGE, NULL);
	b = kmem_cache_create("wrong_b", 64, 0, SLAB_NO_MERGE, NULL);
	p = kmem_cache_alloc(b, GFP_KERNEL);
	kmem_cache_free(a, p);		/* freed where it belongs, with a warning */
	assert_true(dmesg_contains("kmem_cache_free: Wrong slab cache. wrong_a but object is from wrong_b"));
	assert_int_equal(info_of(b).active_objs - 0, info_of(b).active_objs);
	validate(a);
	validate(b);
	kmem_cache_shrink(b);
	assert_int_equal(info_of(b).active_objs, 0);

	/* Not an object start: reported, ignored. */
	q = kmalloc(64, GFP_KERNEL);
	kfree(q + 8);
	assert_true(dmesg_contains("Invalid object pointer"));
	validate(kmem_cache_find("kmalloc-64"));
	kfree(q);
	validate(kmem_cache_find("kmalloc-64"));

	/* A page that is neither slab nor large kmalloc. */
	page = alloc_page(GFP_KERNEL);
	kfree(page_address(page));
	assert_true(dmesg_contains("Not a kmalloc allocation"));
	__free_page(page);
	/* A host pointer. */
	kfree(&page);
	assert_true(dmesg_contains("WARNING: CPU: 0 PID: 0 at mm/slab_common.c:"));
	validate_everything();
}

/* ---- accounting, RCU ---- */

static void test_meminfo_counters(void **state)
{
	struct kmem_cache *r, *u;
	long rec0, unrec0;
	void *p[64], *q[64];

	boot_or_fail("mem=1G cpus=2");
	refresh_vm_stats();
	rec0 = global_node_page_state(NR_SLAB_RECLAIMABLE_B);
	unrec0 = global_node_page_state(NR_SLAB_UNRECLAIMABLE_B);
	r = kmem_cache_create("rec", 1024, 0, SLAB_RECLAIM_ACCOUNT | SLAB_NO_MERGE, NULL);
	u = kmem_cache_create("unrec", 1024, 0, SLAB_NO_MERGE, NULL);
	for (int i = 0; i < 64; i++) {
		p[i] = kmem_cache_alloc(r, GFP_KERNEL);
		q[i] = kmem_cache_alloc(u, GFP_KERNEL);
	}
	/* 64 objects of 1 KiB = 4 slabs of order 2 (16 pages) each. */
	assert_int_equal(info_of(r).num_slabs, 4);
	refresh_vm_stats();
	assert_int_equal(global_node_page_state(NR_SLAB_RECLAIMABLE_B) - rec0, 16);
	assert_int_equal(global_node_page_state(NR_SLAB_UNRECLAIMABLE_B) - unrec0, 16);
	for (int i = 0; i < 64; i++) {
		kmem_cache_free(r, p[i]);
		kmem_cache_free(u, q[i]);
	}
	kmem_cache_shrink(r);
	kmem_cache_shrink(u);
	refresh_vm_stats();
	assert_int_equal(global_node_page_state(NR_SLAB_RECLAIMABLE_B), rec0);
	assert_int_equal(global_node_page_state(NR_SLAB_UNRECLAIMABLE_B), unrec0);
	validate_everything();
}

static void test_typesafe_by_rcu(void **state)
{
	enum { N = 16 * 10 };
	struct kmem_cache *s;
	unsigned long pages0;
	void *p[N];

	boot_or_fail("mem=1G cpus=2");
	s = kmem_cache_create("rcu", 256, 0, SLAB_TYPESAFE_BY_RCU, NULL);
	pages0 = slab_pages();		/* the struct kmem_cache may have taken a page */
	for (int i = 0; i < N; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 0; i < N; i++)
		kmem_cache_free(s, p[i]);
	validate(s);
	/* Empty slabs beyond min_partial left the cache, their pages wait. */
	assert_int_equal(s->size, 264);		/* the free pointer is behind the object */
	assert_true(info_of(s).num_slabs < N / 15 + 1);
	assert_int_equal(slab_rcu_deferred_pages(), N / 15 + 1 - info_of(s).num_slabs);
	assert_int_equal(slab_pages(), pages0 + N / 15 + 1);
	slab_rcu_barrier();
	assert_int_equal(slab_rcu_deferred_pages(), 0);
	assert_int_equal(slab_pages(), pages0 + info_of(s).num_slabs);
	kmem_cache_shrink(s);
	assert_int_equal(slab_pages(), pages0);
	kmem_cache_destroy(s);
	validate_everything();
}

/* ---- failslab ---- */

static void test_failslab(void **state)
{
	struct kmem_cache *s;
	void *p;

	boot_or_fail("mem=1G cpus=2 failslab=1,100,0,-1");
	s = kmem_cache_create("fs", 64, 0, 0, NULL);	/* kmem_cache itself never fails */
	assert_non_null(s);
	/* ignore-gfp-wait: requests that may sleep are not failed. */
	p = kmem_cache_alloc(s, GFP_KERNEL);
	assert_non_null(p);
	kmem_cache_free(s, p);
	assert_null(kmem_cache_alloc(s, GFP_ATOMIC));
	assert_null(kmalloc(32, GFP_ATOMIC));
	assert_true(dmesg_contains("FAULT_INJECTION: forcing a failure."));
	assert_true(dmesg_contains("name failslab, interval 1, probability 100, space 0, times -1"));
	p = kmem_cache_alloc(s, GFP_ATOMIC | __GFP_NOFAIL);
	assert_non_null(p);
	kmem_cache_free(s, p);
	/* cache-filter: only SLAB_FAILSLAB caches. */
	failslab.cache_filter = true;
	p = kmem_cache_alloc(s, GFP_ATOMIC);
	assert_non_null(p);
	kmem_cache_free(s, p);
	validate_everything();
}

/* ---- NUMA, CPUs, threads ---- */

static void test_alloc_node_and_cpus(void **state)
{
	struct kmem_cache *s;
	void *p, *q[40];

	boot_or_fail("mem=1G nodes=2 cpus=4");
	s = kmem_cache_create("numa", 512, 0, 0, NULL);
	for (int nid = 0; nid < 2; nid++) {
		p = kmem_cache_alloc_node(s, GFP_KERNEL, nid);
		assert_int_equal(page_to_nid(virt_to_page(p)), nid);
		kmem_cache_free(s, p);
		validate(s);
	}
	/* Allocate on CPU 3, free on CPU 1 (remote frees), flush from CPU 0. */
	assert_int_equal(linmm_cpu_enter(3), 0);
	for (int i = 0; i < 40; i++)
		q[i] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(linmm_cpu_enter(1), 0);
	for (int i = 0; i < 40; i += 2)
		kmem_cache_free(s, q[i]);
	validate(s);
	assert_int_equal(linmm_cpu_enter(0), 0);
	for (int i = 1; i < 40; i += 2)
		kmem_cache_free(s, q[i]);
	validate(s);
	assert_int_equal(kmem_cache_shrink(s), 0);
	assert_int_equal(info_of(s).num_slabs, 0);
	validate_everything();
}

enum { THREADS = 4, ROUNDS = 20000, SLOTS = 64 };

struct exchange {
	spinlock_t lock;
	void *slot[SLOTS];		/* objects handed to another CPU to free */
};

struct worker {
	int cpu;
	struct kmem_cache *s;
	struct exchange *x;
	unsigned long allocated, freed;
};

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	void *mine[32] = { NULL };
	u64 rnd = 0x9e3779b97f4a7c15ULL * (u64)(w->cpu + 1);

	linmm_cpu_enter(w->cpu);
	for (int r = 0; r < ROUNDS; r++) {
		unsigned int k;

		rnd ^= rnd << 13;
		rnd ^= rnd >> 7;
		rnd ^= rnd << 17;
		k = (unsigned int)(rnd % 32);
		/* CPU 0 shrinks now and then: flush requests to the busy CPUs. */
		if (w->cpu == 0 && r % 2000 == 1999) {
			kmem_cache_shrink(w->s);
			kmem_cache_shrink(kmem_cache_find("kmalloc-256"));
			continue;
		}
		if (!mine[k]) {
			void *p = (rnd >> 8) & 1 ? kmem_cache_alloc(w->s, GFP_KERNEL)
						 : kmalloc(40 + (rnd >> 16) % 200, GFP_KERNEL);

			if (!p)
				continue;
			*(int *)p = w->cpu;
			mine[k] = p;
			w->allocated++;
		} else if ((rnd >> 20) & 1) {
			/* Hand it to whoever takes the slot next: a cross-CPU free. */
			unsigned int slot = (unsigned int)((rnd >> 24) % SLOTS);
			void *old;

			spin_lock(&w->x->lock);
			old = w->x->slot[slot];
			w->x->slot[slot] = mine[k];
			spin_unlock(&w->x->lock);
			mine[k] = NULL;
			if (old) {
				kfree(old);
				w->freed++;
			}
		} else {
			kfree(mine[k]);
			mine[k] = NULL;
			w->freed++;
		}
	}
	for (int k = 0; k < 32; k++) {
		if (mine[k]) {
			kfree(mine[k]);
			w->freed++;
		}
	}
	linmm_cpu_leave();
	return NULL;
}

static void test_threads_cross_cpu_frees(void **state)
{
	static struct exchange x;
	struct worker w[THREADS];
	linmm_host_thread_t *t[THREADS];
	unsigned long allocated = 0, freed = 0;
	struct kmem_cache *s;

	boot_or_fail("mem=1G nodes=2 cpus=4");
	s = kmem_cache_create("threads", 200, 0, SLAB_NO_MERGE, NULL);
	memset(&x, 0, sizeof(x));
	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .cpu = i, .s = s, .x = &x };
		assert_int_equal(linmm_host_thread_create(&t[i], worker_fn, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(linmm_host_thread_join(t[i]), 0);
		allocated += w[i].allocated;
		freed += w[i].freed;
	}
	validate_everything();
	for (int i = 0; i < SLOTS; i++) {
		if (x.slot[i]) {
			kfree(x.slot[i]);
			freed++;
		}
	}
	assert_int_equal(allocated, freed);
	validate_everything();
	assert_int_equal(kmem_cache_shrink(s), 0);
	assert_int_equal(info_of(s).active_objs, 0);
	validate_everything();
}

/* The checker must see what it claims to check: break things, expect -EINVAL. */
static void test_validator_catches(void **state)
{
	struct kmem_cache *s;
	struct slab *slab;
	unsigned long saved;
	char *p[8];

	boot_or_fail("mem=1G cpus=2");
	s = kmem_cache_create("victim", 128, 0, 0, NULL);
	for (int i = 0; i < 8; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 0; i < 8; i += 2)
		kmem_cache_free(s, p[i]);	/* on this CPU's freelist */
	validate(s);
	slab = virt_to_slab(p[0]);

	/* A counter off by one. */
	slab->inuse--;
	assert_int_equal(validate_slab_cache(s), -EINVAL);
	assert_true(dmesg_contains("SLUB victim: validate_slab_cache: slab "));
	slab->inuse++;
	validate(s);

	/* A free pointer into the wrong place (p[6]'s link, the list head). */
	saved = *(unsigned long *)(p[6] + s->offset);
	*(unsigned long *)(p[6] + s->offset) ^= 0x10;
	assert_int_equal(validate_slab_cache(s), -EINVAL);
	assert_true(dmesg_contains("bad pointer"));
	*(unsigned long *)(p[6] + s->offset) = saved;
	validate(s);

	/* A cycle: p[2] -> p[6] again (an object free twice). */
	saved = *(unsigned long *)(p[2] + s->offset);
	set_freepointer(s, p[2], p[6]);
	assert_int_equal(validate_slab_cache(s), -EINVAL);
	*(unsigned long *)(p[2] + s->offset) = saved;
	validate(s);

	/* A node counter. */
	atomic_fetch_add(&s->node[0]->nr_slabs, 1);
	assert_int_equal(validate_slab_cache(s), -EINVAL);
	assert_true(dmesg_contains("node 0: counters say"));
	atomic_fetch_sub(&s->node[0]->nr_slabs, 1);
	validate(s);
	for (int i = 1; i < 8; i += 2)
		kmem_cache_free(s, p[i]);
	validate_everything();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_boot_line, shutdown_after),
		cmocka_unit_test_teardown(test_kmalloc_geometry_vs_host, shutdown_after),
		cmocka_unit_test_teardown(test_calculate_sizes, shutdown_after),
		cmocka_unit_test_teardown(test_freelist_hardening, shutdown_after),
		cmocka_unit_test(test_double_free_bug),
		cmocka_unit_test_teardown(test_partial_and_empty_slabs, shutdown_after),
		cmocka_unit_test_teardown(test_ctor_once_per_object, shutdown_after),
		cmocka_unit_test_teardown(test_bulk, shutdown_after),
		cmocka_unit_test_teardown(test_merge, shutdown_after),
		cmocka_unit_test_teardown(test_destroy_with_objects, shutdown_after),
		cmocka_unit_test_teardown(test_wrong_cache_and_bad_pointers, shutdown_after),
		cmocka_unit_test_teardown(test_meminfo_counters, shutdown_after),
		cmocka_unit_test_teardown(test_typesafe_by_rcu, shutdown_after),
		cmocka_unit_test_teardown(test_failslab, shutdown_after),
		cmocka_unit_test_teardown(test_alloc_node_and_cpus, shutdown_after),
		cmocka_unit_test_teardown(test_threads_cross_cpu_frees, shutdown_after),
		cmocka_unit_test_teardown(test_validator_catches, shutdown_after),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
