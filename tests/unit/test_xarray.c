// SPDX-License-Identifier: MIT
/*
 * test_xarray.c - the radix tree behind the page cache (lib/xarray.c).
 *
 * Shapes, as xa_validate() sees them after each step:
 *
 *   store 0          root shift 0: [0]
 *   store 64         root shift 6: [0] -> leaf{0}, [1] -> leaf{64}
 *   store 4096       root shift 12: [0] -> {old root}, [1] -> ... -> {4096}
 *   erase 64, 4096   shrinks back to a leaf root holding 0
 *
 * Marks propagate: an interior bit is set iff something below has the
 * mark; xa_find() with a mark skips unmarked subtrees.  A random sequence
 * of stores, erases and mark changes is checked against a plain array
 * model after every step.
 */
#include "../linmm_test.h"

#include <linmm/xarray.h>

static int setup(void **state)
{
	(void)state;
	boot_or_fail("mem=256M");
	return 0;
}

/* Entries: fake aligned pointers made from the index. */
static void *entry_of(unsigned long index)
{
	return (void *)((index << 4) | 0x1000UL << 32);
}

static void test_grow_and_shrink(void **state)
{
	struct xarray xa;
	unsigned long idx[] = { 0, 63, 64, 4095, 4096, 1UL << 30, ~0UL };

	(void)state;
	xa_init(&xa);
	assert_true(xa_empty(&xa));
	assert_null(xa_load(&xa, 5));
	for (size_t i = 0; i < ARRAY_SIZE(idx); i++) {
		assert_null(xa_store(&xa, idx[i], entry_of(idx[i]), GFP_KERNEL));
		assert_int_equal(xa_validate(&xa), 0);
		for (size_t j = 0; j <= i; j++)
			assert_ptr_equal(xa_load(&xa, idx[j]), entry_of(idx[j]));
	}
	/* 64 bits of index need 11 levels: 6 * 10 = 60, so the root has shift 60. */
	assert_int_equal(xa.xa_head->shift, 60);
	assert_int_equal(xa.nr_entries, ARRAY_SIZE(idx));
	assert_null(xa_load(&xa, 1));
	assert_null(xa_load(&xa, (1UL << 30) + 1));
	/* Replacing returns the old entry and keeps the count. */
	assert_ptr_equal(xa_store(&xa, 63, entry_of(1), GFP_KERNEL), entry_of(63));
	assert_int_equal(xa.nr_entries, ARRAY_SIZE(idx));
	for (size_t i = ARRAY_SIZE(idx); i-- > 1;) {
		assert_non_null(xa_erase(&xa, idx[i]));
		assert_int_equal(xa_validate(&xa), 0);
	}
	/* Only index 0 is left: the root shrank back to one leaf. */
	assert_int_equal(xa.xa_head->shift, 0);
	assert_null(xa_erase(&xa, 12345));	/* nothing there */
	assert_non_null(xa_erase(&xa, 0));
	assert_true(xa_empty(&xa));
	assert_int_equal(xa_validate(&xa), 0);
	/* Value entries and refused internal entries. */
	assert_null(xa_store(&xa, 7, xa_mk_value(42), GFP_KERNEL));
	assert_true(xa_is_value(xa_load(&xa, 7)));
	assert_int_equal(xa_to_value(xa_load(&xa, 7)), 42);
	assert_int_equal(xa_err(xa_store(&xa, 8, (void *)0x2, GFP_KERNEL)), -EINVAL);
	assert_int_equal(__extension__({
		int r;
		xa_lock(&xa);
		r = __xa_insert(&xa, 7, entry_of(7), GFP_KERNEL);
		xa_unlock(&xa);
		r;
	}), -EBUSY);
	xa_destroy(&xa);
	assert_true(xa_empty(&xa));
}

static void test_marks(void **state)
{
	struct xarray xa;
	unsigned long index;
	void *entry;
	int n;

	(void)state;
	xa_init(&xa);
	for (unsigned long i = 0; i < 300; i++)
		assert_null(xa_store(&xa, i * 7, entry_of(i), GFP_KERNEL));
	/* Mark every 10th entry: at indices 0, 70, 140, ... */
	for (unsigned long i = 0; i < 300; i += 10)
		xa_set_mark(&xa, i * 7, XA_MARK_0);
	xa_set_mark(&xa, 1, XA_MARK_0);		/* empty slot: no effect */
	assert_false(xa_get_mark(&xa, 1, XA_MARK_0));
	assert_int_equal(xa_validate(&xa), 0);
	assert_true(xa_marked(&xa, XA_MARK_0));
	assert_false(xa_marked(&xa, XA_MARK_1));
	n = 0;
	xa_for_each_marked(&xa, index, entry, XA_MARK_0) {
		assert_int_equal(index, (unsigned long)n * 70);
		assert_ptr_equal(entry, entry_of((unsigned long)n * 10));
		n++;
	}
	assert_int_equal(n, 30);
	/* Clearing all marks of a leaf clears its parent's bit (validate checks). */
	for (unsigned long i = 0; i < 300; i += 10)
		xa_clear_mark(&xa, i * 7, XA_MARK_0);
	assert_int_equal(xa_validate(&xa), 0);
	assert_false(xa_marked(&xa, XA_MARK_0));
	/* Erasing a marked entry drops the mark. */
	xa_set_mark(&xa, 700, XA_MARK_2);
	xa_erase(&xa, 700);
	assert_false(xa_marked(&xa, XA_MARK_2));
	assert_int_equal(xa_validate(&xa), 0);
	/* Ranged iteration. */
	n = 0;
	xa_for_each_range(&xa, index, entry, 100, 200)
		n++;
	assert_int_equal(n, 14);	/* 105, 112, ..., 196 */
	xa_destroy(&xa);
}

#define MODEL_N 512

static void test_random_against_model(void **state)
{
	static void *model[MODEL_N];
	static bool marked[MODEL_N][XA_MAX_MARKS];
	struct xarray xa;

	(void)state;
	memset(model, 0, sizeof(model));
	memset(marked, 0, sizeof(marked));
	xa_init(&xa);
	linmm_test_rnd = 42;
	for (int step = 0; step < 4000; step++) {
		/* Indices spread over several levels: low, middle and high ones. */
		unsigned long slot = next_rand() % MODEL_N;
		unsigned long index = slot < 256 ? slot : slot * 4099;
		xa_mark_t m = (xa_mark_t)(next_rand() % XA_MAX_MARKS);

		switch (next_rand() % 4) {
		case 0:
		case 1:
			assert_ptr_equal(xa_store(&xa, index, entry_of(index + step), GFP_KERNEL),
					 model[slot]);
			if (!model[slot])
				memset(marked[slot], 0, sizeof(marked[slot]));
			model[slot] = entry_of(index + step);
			break;
		case 2:
			assert_ptr_equal(xa_erase(&xa, index), model[slot]);
			model[slot] = NULL;
			memset(marked[slot], 0, sizeof(marked[slot]));
			break;
		default:
			xa_set_mark(&xa, index, m);
			if (model[slot])
				marked[slot][m] = true;
			if (next_rand() & 1) {
				xa_clear_mark(&xa, index, m);
				marked[slot][m] = false;
			}
		}
		if (xa_validate(&xa)) {
			char *log = linmm_dmesg(7);

			fail_msg("step %d: %s", step, log && strstr(log, "xarray") ? strstr(log, "xarray") : "");
		}
		if (step % 97)
			continue;
		for (unsigned long s = 0; s < MODEL_N; s++) {
			unsigned long i = s < 256 ? s : s * 4099;

			assert_ptr_equal(xa_load(&xa, i), model[s]);
			for (xa_mark_t k = 0; k < XA_MAX_MARKS; k++)
				assert_int_equal(xa_get_mark(&xa, i, k), marked[s][k]);
		}
	}
	xa_destroy(&xa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_grow_and_shrink, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_marks, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_random_against_model, setup, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
