/* SPDX-License-Identifier: MIT */
/*
 * test_rbtree.c - lib/rbtree.c, plain and augmented, against a reference.
 *
 * Oracles: a sorted array of the keys inserted (the in-order walk, rb_next
 * and rb_prev must reproduce it), the red-black properties (rb_validate:
 * black root, no red-red edge, equal black height; so the height is at most
 * 2 log2(n + 1)), and for the augmented tree the subtree maximum recomputed
 * from scratch at every node after every operation.  Random operation
 * sequences are seeded, so a failure repeats.
 */
#include "linmm_test.h"

#include <linmm/rbtree.h>

struct item {
	struct rb_node rb;
	u64 key;
	u64 val;
	u64 subtree_max;	/* augmented: max val in the subtree */
};

#define N 2000

static struct item items[N];

/* ---- augmentation: subtree_max = max(val, children's subtree_max) ---- */

static u64 node_max(const struct rb_node *n)
{
	return n ? rb_entry(n, struct item, rb)->subtree_max : 0;
}

static u64 compute(const struct item *it)
{
	return max(it->val, max(node_max(it->rb.rb_left), node_max(it->rb.rb_right)));
}

static void aug_propagate(struct rb_node *n, struct rb_node *stop)
{
	for (; n != stop; n = rb_parent(n))
		rb_entry(n, struct item, rb)->subtree_max = compute(rb_entry(n, struct item, rb));
}

static void aug_copy(struct rb_node *old, struct rb_node *new)
{
	rb_entry(new, struct item, rb)->subtree_max = rb_entry(old, struct item, rb)->subtree_max;
}

static void aug_rotate(struct rb_node *old, struct rb_node *new)
{
	aug_copy(old, new);
	rb_entry(old, struct item, rb)->subtree_max = compute(rb_entry(old, struct item, rb));
}

static const struct rb_augment_callbacks aug = { aug_propagate, aug_copy, aug_rotate };

/* Recompute every node's maximum bottom-up and compare; returns the subtree max. */
static u64 check_aug(const struct rb_node *n)
{
	const struct item *it;
	u64 l, r, m;

	if (!n)
		return 0;
	it = rb_entry(n, struct item, rb);
	l = check_aug(n->rb_left);	/* max() evaluates its arguments twice */
	r = check_aug(n->rb_right);
	m = max(it->val, max(l, r));
	assert_int_equal(it->subtree_max, m);
	return m;
}

static int height(const struct rb_node *n)
{
	int l, r;

	if (!n)
		return 0;
	l = height(n->rb_left);
	r = height(n->rb_right);
	return 1 + max(l, r);
}

static void insert(struct rb_root *root, struct item *it, bool augmented)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		link = it->key < rb_entry(parent, struct item, rb)->key ? &parent->rb_left
									: &parent->rb_right;
	}
	rb_link_node(&it->rb, parent, link);
	if (augmented) {
		it->subtree_max = it->val;
		rb_insert_augmented(&it->rb, root, &aug);
	} else {
		rb_insert_color(&it->rb, root);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* The tree holds exactly the items with in[i] set, in key order, both directions. */
static void check_tree(const struct rb_root *root, const bool *in, bool augmented)
{
	static u64 keys[N];
	size_t n = 0, i = 0;
	int bh;

	for (size_t k = 0; k < N; k++)
		if (in[k])
			keys[n++] = items[k].key;
	qsort(keys, n, sizeof(keys[0]), cmp_u64);
	bh = rb_validate(root);
	assert_true(bh >= 0);
	for (const struct rb_node *p = rb_first(root); p; p = rb_next(p))
		assert_int_equal(rb_entry(p, struct item, rb)->key, keys[i++]);
	assert_int_equal(i, n);
	for (const struct rb_node *p = rb_last(root); p; p = rb_prev(p))
		assert_int_equal(rb_entry(p, struct item, rb)->key, keys[--i]);
	/* height <= 2 log2(n + 1) */
	assert_true(height(root->rb_node) <= 2 * (fls((unsigned int)n + 1)));
	if (augmented)
		check_aug(root->rb_node);
}

static void run(bool augmented)
{
	struct rb_root root = RB_ROOT;
	static bool in[N];

	linmm_test_rnd = augmented ? 7 : 3;
	memset(in, 0, sizeof(in));
	for (size_t i = 0; i < N; i++) {
		items[i].key = next_rand() % 100000;
		items[i].val = next_rand() % 1000000;
	}
	for (int step = 0; step < 6000; step++) {
		size_t i = next_rand() % N;

		if (in[i]) {
			if (augmented)
				rb_erase_augmented(&items[i].rb, &root, &aug);
			else
				rb_erase(&items[i].rb, &root);
			in[i] = false;
		} else {
			insert(&root, &items[i], augmented);
			in[i] = true;
		}
		if (step % 97 == 0 || step < 50)
			check_tree(&root, in, augmented);
	}
	check_tree(&root, in, augmented);
	/* Erase everything in key order, then in reverse insertion order: empty tree. */
	while (root.rb_node) {
		struct item *it = rb_entry(rb_first(&root), struct item, rb);

		if (augmented)
			rb_erase_augmented(&it->rb, &root, &aug);
		else
			rb_erase(&it->rb, &root);
		in[it - items] = false;
		if (next_rand() % 50 == 0)
			check_tree(&root, in, augmented);
	}
	assert_true(RB_EMPTY_ROOT(&root));
	assert_int_equal(rb_validate(&root), 0);
}

static void test_plain(void **state)
{
	(void)state;
	run(/* augmented = */ false);
}

static void test_augmented(void **state)
{
	(void)state;
	run(/* augmented = */ true);
}

/* Ascending inserts (the vmalloc pattern) stay balanced: black height grows as log n. */
static void test_sequential(void **state)
{
	struct rb_root root = RB_ROOT;

	(void)state;
	for (size_t i = 0; i < N; i++) {
		items[i].key = i;
		items[i].val = i;
		insert(&root, &items[i], true);
	}
	assert_true(height(root.rb_node) <= 2 * fls(N + 1));
	check_aug(root.rb_node);
	assert_int_equal(node_max(root.rb_node), N - 1);
	for (size_t i = 0; i < N; i += 2)
		rb_erase_augmented(&items[i].rb, &root, &aug);
	assert_true(rb_validate(&root) >= 0);
	check_aug(root.rb_node);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_augmented),
		cmocka_unit_test(test_sequential),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
