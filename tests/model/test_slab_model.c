/* SPDX-License-Identifier: MIT */
/*
 * test_slab_model.c - random slab and kmalloc sequences against a reference
 * model of the live objects.
 *
 * The model is the set of live objects: pointer, cache (or kmalloc size),
 * and a content pattern derived from the object's id.  Every allocation
 * must return a pointer that is not live (hash set), aligned as its cache
 * promises, inside a slab of that cache (or a large kmalloc page); it is
 * filled with its pattern.  Every free first checks the pattern is intact
 * (no other object, free pointer or metadata overlapped it).  Objects of a
 * constructor cache must come back in constructed state (the constructor's
 * pattern), so they are restored to it before they are freed.
 *
 * Operations, on a random simulated CPU each (the thread enters it):
 * kmem_cache_alloc/free, kmalloc/kfree/krealloc of 1 .. 20000 bytes,
 * kmem_cache_alloc_bulk/free_bulk, kmem_cache_shrink.  The touched cache
 * is validated after every step, every cache every 256 steps.  At the end
 * everything is freed and shrunk: every cache's active objects must be 0
 * and /proc/meminfo's slab counters must equal their values at the start.
 *
 * The sequence runs again with failslab failing 10% of the allocations
 * (GFP_KERNEL included): every failure returns NULL and leaves no trace.
 *
 * Knobs: LINMM_MODEL_OPS (operations of the first run, default 200000; the
 * injection run does half), LINMM_MODEL_SEED (default 1).
 */
#include "linmm_test.h"

#include <linmm/fault-inject.h>
#include <linmm/slab.h>
#include <linmm/vmstat.h>

#include "mm/slab.h"

#define MAX_LIVE 4096
#define HASH_SIZE 16384		/* power of two, > 2 * MAX_LIVE */
#define NR_CACHES 5
#define KMALLOC_IDX NR_CACHES	/* "cache" index of kmalloc objects */
#define CTOR_BYTE 0x3c

struct live {
	void *p;
	int cache;
	size_t size;
	u64 id;
};

static struct live live[MAX_LIVE];
static int nr_live;
static void *hash[HASH_SIZE];
static struct kmem_cache *caches[NR_CACHES];
static u64 next_id;
static unsigned long nr_failed, nr_ops_done;

static const struct {
	const char *name;
	unsigned int size;
	slab_flags_t flags;
	bool ctor;
} cache_spec[NR_CACHES] = {
	{ "model_8", 8, 0, false },
	{ "model_100", 100, SLAB_HWCACHE_ALIGN, false },
	{ "model_ctor", 700, 0, true },
	{ "model_3000", 3000, SLAB_RECLAIM_ACCOUNT, false },
	{ "model_rcu", 256, SLAB_TYPESAFE_BY_RCU, false },
};

static unsigned long env_ulong(const char *name, unsigned long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

static void model_ctor(void *obj)
{
	memset(obj, CTOR_BYTE, 700);
}

static size_t hash_slot(const void *p)
{
	return (size_t)(((uintptr_t)p >> 3) * 0x9E3779B97F4A7C15ULL >> 50) & (HASH_SIZE - 1);
}

static bool hash_has(const void *p)
{
	for (size_t i = hash_slot(p); hash[i]; i = (i + 1) & (HASH_SIZE - 1))
		if (hash[i] == p)
			return true;
	return false;
}

static void hash_add(void *p)
{
	size_t i = hash_slot(p);

	while (hash[i])
		i = (i + 1) & (HASH_SIZE - 1);
	hash[i] = p;
}

/* Deletion with backward shift (linear probing). */
static void hash_del(const void *p)
{
	size_t i = hash_slot(p), j;

	while (hash[i] != p) {
		assert_non_null(hash[i]);
		i = (i + 1) & (HASH_SIZE - 1);
	}
	hash[i] = NULL;
	for (j = (i + 1) & (HASH_SIZE - 1); hash[j]; j = (j + 1) & (HASH_SIZE - 1)) {
		size_t home = hash_slot(hash[j]);

		if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
			hash[i] = hash[j];
			hash[j] = NULL;
			i = j;
		}
	}
}

static unsigned char pattern(u64 id, size_t off)
{
	return (unsigned char)((id * 131 + off * 7) ^ (id >> 8));
}

static size_t obj_bytes(const struct live *l)
{
	return l->cache == KMALLOC_IDX ? l->size : cache_spec[l->cache].size;
}

static void fill(struct live *l)
{
	unsigned char *b = l->p;
	size_t n = obj_bytes(l);

	for (size_t off = 0; off < n; off++)
		b[off] = pattern(l->id, off);
}

static void check_pattern(const struct live *l)
{
	const unsigned char *b = l->p;
	size_t n = obj_bytes(l);

	for (size_t off = 0; off < n; off++)
		if (b[off] != pattern(l->id, off))
			fail_msg("object %p (id %llu, cache %d, %zu bytes): byte %zu is %#x, not %#x",
				 l->p, (unsigned long long)l->id, l->cache, n, off, b[off],
				 pattern(l->id, off));
}

static void validate_cache(struct kmem_cache *s)
{
	if (s && validate_slab_cache(s)) {
		char *log = linmm_dmesg(3);

		fail_msg("validate_slab_cache(%s) failed:\n%s", s->name, log ? log : "");
	}
}

static struct kmem_cache *cache_of(const struct live *l)
{
	struct slab *slab;

	if (l->cache != KMALLOC_IDX)
		return caches[l->cache];
	slab = virt_to_slab(l->p);
	return slab ? slab->slab_cache : NULL;
}

/* A new object: not live, in the right place, then recorded and filled. */
static void add_live(void *p, int cache, size_t size)
{
	struct live *l;

	if (hash_has(p))
		fail_msg("%p handed out twice", p);
	if (cache != KMALLOC_IDX) {
		struct slab *slab = virt_to_slab(p);

		assert_non_null(slab);
		assert_ptr_equal(slab->slab_cache, caches[cache]);
		assert_int_equal((uintptr_t)p % caches[cache]->align, 0);
		if (cache_spec[cache].ctor)
			for (int i = 0; i < 700; i += 97)
				assert_int_equal(((unsigned char *)p)[i], CTOR_BYTE);
	} else {
		assert_true(ksize(p) >= size);
	}
	assert_true(nr_live < MAX_LIVE);
	l = &live[nr_live++];
	*l = (struct live){ .p = p, .cache = cache, .size = size, .id = next_id++ };
	hash_add(p);
	fill(l);
}

static void drop_live(int i)
{
	struct live *l = &live[i];

	check_pattern(l);
	if (l->cache != KMALLOC_IDX && cache_spec[l->cache].ctor)
		memset(l->p, CTOR_BYTE, 700);	/* back to constructed state */
	hash_del(l->p);
	live[i] = live[--nr_live];
}

static gfp_t random_gfp(void)
{
	return next_rand() % 4 ? GFP_KERNEL : GFP_ATOMIC;
}

static size_t random_kmalloc_size(void)
{
	u64 r = next_rand();

	switch (r % 8) {
	case 0:
		return 8193 + (r >> 8) % 12000;		/* large kmalloc */
	case 1: case 2:
		return 1 + (r >> 8) % 8192;
	default:
		return 1 + (r >> 8) % 256;
	}
}

static void op_alloc(void)
{
	int c = (int)(next_rand() % (NR_CACHES + 1));
	void *p;

	if (c == KMALLOC_IDX) {
		size_t size = random_kmalloc_size();

		p = kmalloc(size, random_gfp());
		if (!p) {
			nr_failed++;
			return;
		}
		add_live(p, KMALLOC_IDX, size);
		validate_cache(cache_of(&live[nr_live - 1]));
		return;
	}
	p = kmem_cache_alloc(caches[c], random_gfp());
	if (!p) {
		nr_failed++;
		return;
	}
	add_live(p, c, 0);
	validate_cache(caches[c]);
}

static void op_free(void)
{
	int i = (int)(next_rand() % (u64)nr_live);
	struct kmem_cache *s = cache_of(&live[i]);
	void *p = live[i].p;
	int cache = live[i].cache;

	drop_live(i);
	if (cache == KMALLOC_IDX)
		kfree(p);
	else
		kmem_cache_free(caches[cache], p);
	validate_cache(s);
}

static void op_krealloc(void)
{
	int i = (int)(next_rand() % (u64)nr_live);
	struct live *l = &live[i];
	size_t new_size = random_kmalloc_size(), keep;
	void *q;

	if (l->cache != KMALLOC_IDX)
		return;
	check_pattern(l);
	keep = min(l->size, new_size);
	q = krealloc(l->p, new_size, random_gfp());
	if (!q) {
		nr_failed++;		/* the old object stays */
		return;
	}
	for (size_t off = 0; off < keep; off++)
		if (((unsigned char *)q)[off] != pattern(l->id, off))
			fail_msg("krealloc lost byte %zu of id %llu", off, (unsigned long long)l->id);
	hash_del(l->p);
	live[i] = live[--nr_live];
	add_live(q, KMALLOC_IDX, new_size);
	validate_cache(cache_of(&live[nr_live - 1]));
}

static void op_bulk(void)
{
	int c = (int)(next_rand() % NR_CACHES);
	size_t n = 1 + next_rand() % 32;
	void *p[32];

	if (nr_live + (int)n >= MAX_LIVE)
		return;
	if (!kmem_cache_alloc_bulk(caches[c], random_gfp(), n, p)) {
		nr_failed++;
		validate_cache(caches[c]);
		return;
	}
	for (size_t k = 0; k < n; k++)
		add_live(p[k], c, 0);
	validate_cache(caches[c]);
	if (next_rand() % 2) {
		/* ... and free them again in one call. */
		for (size_t k = 0; k < n; k++) {
			for (int i = nr_live - 1; i >= 0; i--) {
				if (live[i].p == p[k]) {
					drop_live(i);
					break;
				}
			}
		}
		kmem_cache_free_bulk(caches[c], n, p);
		validate_cache(caches[c]);
	}
}

static void run(unsigned long ops)
{
	for (unsigned long step = 0; step < ops; step++) {
		u64 r = next_rand();

		assert_int_equal(linmm_cpu_enter((int)(r % nr_cpu_ids)), 0);
		r >>= 8;
		if (nr_live < 50 || (r % 100 < 48 && nr_live < MAX_LIVE - 64))
			op_alloc();
		else if (r % 100 < 88)
			op_free();
		else if (r % 100 < 93)
			op_krealloc();
		else if (r % 100 < 99)
			op_bulk();
		else
			kmem_cache_shrink(caches[next_rand() % NR_CACHES]);
		if (step % 256 == 255)
			assert_int_equal(validate_all_slab_caches(), 0);
		nr_ops_done++;
	}
}

static void free_everything(void)
{
	while (nr_live)
		op_free();
	assert_int_equal(linmm_cpu_enter(0), 0);
	for (int c = 0; c < NR_CACHES; c++) {
		struct slabinfo si;

		kmem_cache_shrink(caches[c]);
		get_slabinfo(caches[c], &si);
		assert_int_equal(si.active_objs, 0);
		assert_int_equal(si.num_slabs, 0);
	}
	assert_int_equal(validate_all_slab_caches(), 0);
}

static long slab_bytes_pages(void)
{
	refresh_vm_stats();
	return global_node_page_state(NR_SLAB_RECLAIMABLE_B) +
	       global_node_page_state(NR_SLAB_UNRECLAIMABLE_B);
}

static void test_slab_model(void **state)
{
	unsigned long ops = env_ulong("LINMM_MODEL_OPS", 200000);
	long pages0;

	linmm_test_rnd = env_ulong("LINMM_MODEL_SEED", 1) ?: 1;
	boot_or_fail("mem=512M nodes=2 cpus=4");
	for (int c = 0; c < NR_CACHES; c++) {
		caches[c] = kmem_cache_create(cache_spec[c].name, cache_spec[c].size, 0,
					      cache_spec[c].flags,
					      cache_spec[c].ctor ? model_ctor : NULL);
		assert_non_null(caches[c]);
	}
	/* Every kmalloc cache holds its empty state too: shrink them all first. */
	for (unsigned int i = 1; i <= KMALLOC_SHIFT_HIGH; i++)
		if (kmalloc_caches[KMALLOC_NORMAL][i])
			kmem_cache_shrink(kmalloc_caches[KMALLOC_NORMAL][i]);
	pages0 = slab_bytes_pages();

	run(ops);
	free_everything();
	for (unsigned int i = 1; i <= KMALLOC_SHIFT_HIGH; i++)
		if (kmalloc_caches[KMALLOC_NORMAL][i])
			kmem_cache_shrink(kmalloc_caches[KMALLOC_NORMAL][i]);
	assert_int_equal(slab_bytes_pages(), pages0);
	check_machine();

	/* Again, with failslab failing 10% of the allocations. */
	failslab.ignore_gfp_reclaim = false;
	failslab.attr.probability = 10;
	atomic_store(&failslab.attr.times, -1);
	failslab.attr.verbose = 0;
	nr_failed = 0;
	run(ops / 2);
	assert_true(nr_failed > 0);
	failslab_reset();
	free_everything();
	for (unsigned int i = 1; i <= KMALLOC_SHIFT_HIGH; i++)
		if (kmalloc_caches[KMALLOC_NORMAL][i])
			kmem_cache_shrink(kmalloc_caches[KMALLOC_NORMAL][i]);
	assert_int_equal(slab_bytes_pages(), pages0);
	check_machine();
	print_message("%lu operations, %lu injected or real allocation failures\n", nr_ops_done,
		      nr_failed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_slab_model, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
