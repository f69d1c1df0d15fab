// SPDX-License-Identifier: MIT
/*
 * test_maple_tree.c - the maple tree (lib/maple_tree.c) against a sorted
 * array of ranges.
 *
 * The reference keeps the non-NULL ranges in order; everything between
 * them is NULL.  A store cuts the ranges it overlaps:
 *
 *	before        [AAAAAA]  [BBBB]   [CC]
 *	store X       ....[XXXXXXXXX]
 *	after         [AA][XXXXXXXXX]B]   [CC]      (A keeps its head, B its tail)
 *
 * Random stores (short, long and spanning many leaves; near 0 and
 * ULONG_MAX), NULL stores, erases, walks, find/next/prev and gap searches
 * (forward and reverse, with alignment) run on a tree with gap tracking
 * and on a plain one; mt_validate() runs after every operation and the
 * whole tree is compared with the reference.  Node allocation failures
 * (failslab) must leave the tree as it was.
 */
#include "../linmm_test.h"

#include <limits.h>

#include <linmm/fault-inject.h>
#include <linmm/maple_tree.h>
#include <linmm/slab.h>

#define MAXR 4096

struct ref {
	unsigned int n;
	unsigned long lo[MAXR], hi[MAXR];
	void *entry[MAXR];
};

static struct ref ref, tmp;
static unsigned long universe;	/* most indices are below this */

static void *value(unsigned long v)
{
	return (void *)((v << 1) | 1);	/* like xa_mk_value(): never a node */
}

static void ref_store(struct ref *r, unsigned long a, unsigned long b, void *entry)
{
	unsigned int i;

	tmp.n = 0;
	for (i = 0; i < r->n; i++) {
		if (entry && r->lo[i] > b && (!tmp.n || tmp.hi[tmp.n - 1] < a)) {
			tmp.lo[tmp.n] = a;
			tmp.hi[tmp.n] = b;
			tmp.entry[tmp.n++] = entry;
			entry = NULL;
		}
		if (r->hi[i] < a || r->lo[i] > b) {
			tmp.lo[tmp.n] = r->lo[i];
			tmp.hi[tmp.n] = r->hi[i];
			tmp.entry[tmp.n++] = r->entry[i];
			continue;
		}
		if (r->lo[i] < a) {
			tmp.lo[tmp.n] = r->lo[i];
			tmp.hi[tmp.n] = a - 1;
			tmp.entry[tmp.n++] = r->entry[i];
		}
		if (entry) {
			tmp.lo[tmp.n] = a;
			tmp.hi[tmp.n] = b;
			tmp.entry[tmp.n++] = entry;
			entry = NULL;
		}
		if (r->hi[i] > b) {
			tmp.lo[tmp.n] = b + 1;
			tmp.hi[tmp.n] = r->hi[i];
			tmp.entry[tmp.n++] = r->entry[i];
		}
	}
	if (entry) {
		tmp.lo[tmp.n] = a;
		tmp.hi[tmp.n] = b;
		tmp.entry[tmp.n++] = entry;
	}
	assert_true(tmp.n < MAXR);
	memcpy(r, &tmp, sizeof(*r));
}

/* The range holding @x: its entry; its bounds in lo and hi; in pos its index (or the next one's). */
static void *ref_walk(const struct ref *r, unsigned long x, unsigned long *lo, unsigned long *hi,
		      unsigned int *pos)
{
	unsigned int i;

	for (i = 0; i < r->n && r->hi[i] < x; i++)
		;
	*pos = i;
	if (i < r->n && r->lo[i] <= x) {
		*lo = r->lo[i];
		*hi = r->hi[i];
		return r->entry[i];
	}
	*lo = i ? r->hi[i - 1] + 1 : 0;
	*hi = i < r->n ? r->lo[i] - 1 : ULONG_MAX;
	return NULL;
}

/* The lowest (highest if @rev) free [index, last] of @size in [min, max]; false if none. */
static bool ref_empty(const struct ref *r, unsigned long min, unsigned long max,
		      unsigned long size, bool rev, unsigned long *index)
{
	bool found = false;
	unsigned int i;

	for (i = 0; i <= r->n; i++) {
		unsigned long glo = i ? r->hi[i - 1] + 1 : 0;
		unsigned long ghi = i < r->n ? r->lo[i] - 1 : ULONG_MAX;
		unsigned long a = glo > min ? glo : min, b = ghi < max ? ghi : max;

		if (i && r->hi[i - 1] == ULONG_MAX)
			break;
		if (i < r->n && r->lo[i] == glo)
			continue;	/* no gap before range i */
		if (a > b || b - a < size - 1)
			continue;
		*index = rev ? b - (size - 1) : a;
		found = true;
		if (!rev)
			break;
	}
	return found;
}

static void check_tree(struct maple_tree *mt, int step)
{
	MA_STATE(mas, mt, 0, 0);
	unsigned int i = 0;
	void *entry;

	if (mt_validate(mt)) {
		char *log = linmm_dmesg(7);

		fail_msg("step %d: %s", step, log && strstr(log, "mt_validate") ?
			 strstr(log, "mt_validate") : "mt_validate failed");
	}
	while ((entry = mas_find(&mas, ULONG_MAX))) {
		assert_true(i < ref.n);
		if (mas.index != ref.lo[i] || mas.last != ref.hi[i] || entry != ref.entry[i])
			fail_msg("step %d: range %u is [%lx, %lx] %p, expected [%lx, %lx] %p", step,
				 i, mas.index, mas.last, entry, ref.lo[i], ref.hi[i], ref.entry[i]);
		i++;
	}
	assert_int_equal(i, ref.n);
	assert_int_equal(mtree_empty(mt), ref.n == 0);
}

/* A random index: mostly in a small window (so ranges collide), some at the ends. */
static unsigned long rand_index(void)
{
	switch (next_rand() % 16) {
	case 0:
		return next_rand() % 8;
	case 1:
		return ULONG_MAX - next_rand() % 8;
	default:
		return next_rand() % universe;
	}
}

static unsigned long rand_len(void)
{
	switch (next_rand() % 8) {
	case 0:
		return next_rand() % 800;	/* spans many leaves */
	case 1:
		return 0;
	default:
		return next_rand() % 12;
	}
}

/* One random reading check at a random index. */
static void check_reads(struct maple_tree *mt, int step)
{
	unsigned long x = rand_index(), lo, hi, max, min;
	unsigned int pos;
	void *want = ref_walk(&ref, x, &lo, &hi, &pos), *got;
	MA_STATE(mas, mt, x, x);

	assert_ptr_equal(mtree_load(mt, x), want);
	got = mas_walk(&mas);
	assert_ptr_equal(got, want);
	if (mas.index != lo || mas.last != hi)
		fail_msg("step %d: walk %lx: [%lx, %lx], expected [%lx, %lx]", step, x, mas.index,
			 mas.last, lo, hi);

	/* mas_find: the range at x if it is one, then the next ones, up to max. */
	max = x + next_rand() % 3000;
	if (max < x)
		max = ULONG_MAX;
	mas_set(&mas, x);
	for (unsigned int i = pos, k = 0; k < 5; k++, i++) {
		bool in = i < ref.n && ref.lo[i] <= max;

		got = mas_find(&mas, max);
		assert_ptr_equal(got, in ? ref.entry[i] : NULL);
		if (!in)
			break;
		assert_int_equal(mas.index, ref.lo[i]);
		assert_int_equal(mas.last, ref.hi[i]);
	}

	/* mas_next / mas_prev from the range holding x. */
	mas_set(&mas, x);
	{
		unsigned int i = want ? pos + 1 : pos;

		got = mas_next(&mas, ULONG_MAX);
		assert_ptr_equal(got, i < ref.n ? ref.entry[i] : NULL);
		if (got)
			assert_int_equal(mas.index, ref.lo[i]);
		assert_ptr_equal(mt_next(mt, x, ULONG_MAX), i < ref.n ? ref.entry[i] : NULL);
	}
	min = x > 2000 ? x - 2000 : 0;
	mas_set(&mas, x);
	for (unsigned int i = pos, k = 0; k < 4; k++) {
		bool in = i > 0 && ref.hi[i - 1] >= min;

		got = mas_prev(&mas, min);
		assert_ptr_equal(got, in ? ref.entry[i - 1] : NULL);
		if (!in)
			break;
		i--;
		assert_int_equal(mas.index, ref.lo[i]);
		assert_int_equal(mas.last, ref.hi[i]);
	}
	assert_ptr_equal(mt_prev(mt, x, 0), pos ? ref.entry[pos - 1] : NULL);
	{
		unsigned long idx = x;
		unsigned int i = pos;

		got = mt_find(mt, &idx, ULONG_MAX);
		assert_ptr_equal(got, i < ref.n ? ref.entry[i] : NULL);
		if (got)
			assert_int_equal(idx, ref.hi[i] + 1);
	}
}

/*
 * Free space, with and without alignment (the caller's part: ask for
 * size + align - 1, round the start up, or the end's start down when
 * reverse, as vm_unmapped_area() does).
 */
static void check_empty(struct maple_tree *mt, int step)
{
	unsigned long min = rand_index(), max = min + next_rand() % 7000, want = 0;
	unsigned long size = 1 + next_rand() % 40, align = 1UL << (next_rand() % 5);
	unsigned long ask = size + align - 1;
	bool rev = next_rand() & 1, found;
	MA_STATE(mas, mt, 0, 0);
	int err;

	if (max < min)
		max = ULONG_MAX;
	if (max - min < ask - 1) {
		err = rev ? mas_empty_area_rev(&mas, min, max, ask)
			  : mas_empty_area(&mas, min, max, ask);
		assert_int_equal(err, -EINVAL);
		return;
	}
	found = ref_empty(&ref, min, max, ask, rev, &want);
	err = rev ? mas_empty_area_rev(&mas, min, max, ask) : mas_empty_area(&mas, min, max, ask);
	if (!found) {
		if (err != -EBUSY)
			fail_msg("step %d: empty%s [%lx, %lx] size %lu: %d at %lx, expected none",
				 step, rev ? "_rev" : "", min, max, ask, err, mas.index);
		return;
	}
	if (err || mas.index != want || mas.last != want + ask - 1)
		fail_msg("step %d: empty%s [%lx, %lx] size %lu: %d at %lx, expected %lx", step,
			 rev ? "_rev" : "", min, max, ask, err, mas.index, want);
	/* The aligned piece of size @size lies inside, and is free. */
	{
		unsigned long start = rev ? (mas.last - (size - 1)) & ~(align - 1)
					  : (mas.index + align - 1) & ~(align - 1);
		unsigned long lo, hi;
		unsigned int pos;

		assert_true(start >= mas.index && start + (size - 1) <= mas.last);
		assert_null(ref_walk(&ref, start, &lo, &hi, &pos));
		assert_true(hi >= start + (size - 1));
		assert_null(mt_find(mt, &start, start + (size - 1)));
	}
}

static void run_model(unsigned int flags, u64 seed, int steps, unsigned long window)
{
	struct maple_tree mt;

	mt_init_flags(&mt, flags);
	universe = window;
	memset(&ref, 0, sizeof(ref));
	linmm_test_rnd = seed;
	for (int step = 0; step < steps; step++) {
		unsigned long a = rand_index(), len = rand_len(), b = a + len;
		void *entry;

		if (b < a)
			b = ULONG_MAX;
		switch (next_rand() % 8) {
		case 0:
		case 1:
		case 2:
		case 3:
			entry = value(step + 1);
			assert_int_equal(mtree_store_range(&mt, a, b, entry, GFP_KERNEL), 0);
			ref_store(&ref, a, b, entry);
			break;
		case 4:
			assert_int_equal(mtree_store_range(&mt, a, b, NULL, GFP_KERNEL), 0);
			ref_store(&ref, a, b, NULL);
			break;
		case 5: {
			unsigned long lo, hi;
			unsigned int pos;
			void *want = ref_walk(&ref, a, &lo, &hi, &pos);

			assert_ptr_equal(mtree_erase(&mt, a), want);
			if (want)
				ref_store(&ref, lo, hi, NULL);
			break;
		}
		case 6:
			check_empty(&mt, step);
			break;
		default:
			check_reads(&mt, step);
		}
		check_tree(&mt, step);
	}
	mtree_destroy(&mt);
	assert_true(mtree_empty(&mt));
	assert_int_equal(mt_validate(&mt), 0);
}

static void test_model_alloc_range(void **state)
{
	(void)state;
	run_model(MT_FLAGS_ALLOC_RANGE, 42, 12000, 6000);
	/* A wide window: thousands of ranges, four levels. */
	run_model(MM_MT_FLAGS, 7, 8000, 200000);
}

static void test_model_plain(void **state)
{
	(void)state;
	run_model(0, 1234, 8000, 6000);
	run_model(0, 99, 5000, 200000);
}

/*
 * Fill and empty: sequential and interleaved stores grow the tree to
 * several levels, erasing every other and then all entries shrinks it
 * back to nothing (no node left).
 *
 *	0    10   20   30           one range of 10 per entry, gaps between
 *	[AAA] [BBB] [CCC] ...
 */
static void test_grow_shrink(void **state)
{
	struct maple_tree mt = MTREE_INIT(mt, MT_FLAGS_ALLOC_RANGE);
	struct kmem_cache *cache;
	unsigned long i, n = 20000;
	MA_STATE(mas, &mt, 0, 0);

	(void)state;
	for (i = 0; i < n; i++) {
		assert_int_equal(mtree_store_range(&mt, i * 10, i * 10 + 6, value(i), GFP_KERNEL), 0);
		if (!(i % 1000))
			assert_int_equal(mt_validate(&mt), 0);
	}
	assert_int_equal(mt_validate(&mt), 0);
	assert_true(mt_height(&mt) >= 4);
	cache = kmem_cache_find("maple_node");
	assert_non_null(cache);
	for (i = 0; i < n; i++)
		assert_ptr_equal(mtree_load(&mt, i * 10 + 3), value(i));
	/* The lowest gap of 5 is the first hole; the highest below 100000 ends at 99999. */
	assert_int_equal(mas_empty_area(&mas, 0, ULONG_MAX, 3), 0);
	assert_int_equal(mas.index, 7);
	assert_int_equal(mas_empty_area(&mas, 0, ULONG_MAX, 4), 0);
	assert_int_equal(mas.index, n * 10 - 3);
	assert_int_equal(mas_empty_area_rev(&mas, 0, 100000, 3), 0);
	assert_int_equal(mas.last, 99999);
	assert_int_equal(mas_empty_area_rev(&mas, 0, 99996, 3), 0);
	assert_int_equal(mas.last, 99989);
	assert_int_equal(mas_empty_area(&mas, 0, n * 10 - 4, 4), -EBUSY);
	for (i = 0; i < n; i += 2)
		assert_ptr_equal(mtree_erase(&mt, i * 10), value(i));
	assert_int_equal(mt_validate(&mt), 0);
	/* Erasing every other entry joined gaps of 3 + 7 + 3 (the first one is 0-9). */
	assert_int_equal(mas_empty_area(&mas, 0, ULONG_MAX, 11), 0);
	assert_int_equal(mas.index, 17);
	assert_int_equal(mas_empty_area(&mas, 0, ULONG_MAX, 14), 0);
	assert_int_equal(mas.index, n * 10 - 3);
	for (i = 1; i < n; i += 2)
		assert_ptr_equal(mtree_erase(&mt, i * 10 + 6), value(i));
	assert_int_equal(mt_validate(&mt), 0);
	assert_true(mtree_empty(&mt));
	assert_int_equal(mt_nr_nodes(&mt), 0);
	assert_int_equal(mt_height(&mt), 0);
}

/* Allocation failures in the middle of stores leave the tree (and the reference) unchanged. */
static void test_alloc_failure(void **state)
{
	struct maple_tree mt = MTREE_INIT(mt, MT_FLAGS_ALLOC_RANGE);
	int failed = 0, done = 0;

	(void)state;
	memset(&ref, 0, sizeof(ref));
	linmm_test_rnd = 99;
	for (int i = 0; i < 400; i++) {
		unsigned long a = next_rand() % 4000, b = a + next_rand() % 20;

		assert_int_equal(mtree_store_range(&mt, a, b, value(i + 1), GFP_KERNEL), 0);
		ref_store(&ref, a, b, value(i + 1));
	}
	check_tree(&mt, -1);
	failslab.attr.probability = 20;
	failslab.attr.interval = 1;
	failslab.attr.times = -1;
	failslab.attr.verbose = 0;
	for (int step = 0; step < 3000; step++) {
		unsigned long a = next_rand() % 4000, b = a + rand_len();
		void *entry = next_rand() % 3 ? value(step + 1000) : NULL;
		int err = mtree_store_range(&mt, a, b, entry, GFP_NOWAIT);

		if (err) {
			assert_int_equal(err, -ENOMEM);
			failed++;
		} else {
			ref_store(&ref, a, b, entry);
			done++;
		}
		check_tree(&mt, step);
	}
	failslab_reset();
	assert_true(failed > 100 && done > 100);
	mtree_destroy(&mt);
}

/* Bad arguments: an inverted range, an entry that looks like a node, empty searches. */
static void test_bad_args(void **state)
{
	struct maple_tree mt = MTREE_INIT(mt, MT_FLAGS_ALLOC_RANGE);
	MA_STATE(mas, &mt, 0, 0);

	(void)state;
	assert_int_equal(mtree_store_range(&mt, 10, 9, value(1), GFP_KERNEL), -EINVAL);
	assert_int_equal(mtree_store_range(&mt, 10, 19, (void *)0x10002UL, GFP_KERNEL), -EINVAL);
	assert_int_equal(mas_empty_area(&mas, 0, 100, 0), -EINVAL);
	assert_int_equal(mas_empty_area(&mas, 100, 10, 1), -EINVAL);
	assert_int_equal(mas_empty_area(&mas, 0, 9, 11), -EINVAL);
	/* An empty tree is all free. */
	assert_int_equal(mas_empty_area_rev(&mas, 5, 100, 10), 0);
	assert_int_equal(mas.index, 91);
	assert_int_equal(mas_empty_area(&mas, 0, ULONG_MAX, ULONG_MAX), 0);
	assert_int_equal(mas.index, 0);
	assert_null(mtree_erase(&mt, 5));
	assert_int_equal(mtree_store_range(&mt, 0, ULONG_MAX, value(3), GFP_KERNEL), 0);
	assert_ptr_equal(mtree_load(&mt, ULONG_MAX), value(3));
	assert_int_equal(mas_empty_area(&mas, 0, ULONG_MAX, 1), -EBUSY);
	assert_int_equal(mt_validate(&mt), 0);
	assert_ptr_equal(mtree_erase(&mt, 77), value(3));
	assert_true(mtree_empty(&mt));
}

static int setup(void **state)
{
	(void)state;
	boot_or_fail("mem=256M");
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_args, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_grow_shrink, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_model_alloc_range, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_model_plain, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_alloc_failure, setup, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
