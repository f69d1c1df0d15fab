// SPDX-License-Identifier: MIT
/*
 * xarray.c - the radix tree behind the page cache (lib/xarray.c).
 *
 * Layout and marks are described in include/linmm/xarray.h.  Operations:
 *
 *   store   grow the root until it covers the index (the old root becomes
 *           slot 0 of the new one, its marks summarised in bit 0), then
 *           walk down creating missing nodes, and write the slot;
 *   erase   clear the slot and its marks, free nodes that became empty
 *           bottom-up, then shrink the root while only slot 0 is used;
 *   marks   set at the leaf and propagated upwards until a parent bit is
 *           already set; cleared upwards while a node's bitmap becomes 0;
 *   find    descend to the first slot at or after the index that is
 *           non-NULL (XA_PRESENT) or has the mark bit, climbing back up
 *           and on to the next slot when a node has none left.
 *
 *   root shift 6:   [0][1]...[63]          covers 0 .. 4095
 *                    |
 *   leaf shift 0:   [0]..[63]              covers 0 .. 63
 *
 * Invariants (xa_validate()): a child's shift is its parent's minus 6;
 * node->count is the number of non-NULL slots and is never 0 except for
 * nothing (an empty array has no root); interior mark bit i is set iff
 * child i has any bit of that mark; leaf marks only on present slots; the
 * root has shift 0 or uses a slot other than 0.
 *
 * Locks: xa->xa_lock around every operation.  Node allocation under the
 * lock is GFP_NOWAIT; xa_store() retries after an allocation with the
 * caller's gfp outside the lock, as the kernel's xas_nomem() does.
 */
#include <errno.h>
#include <string.h>

#include <linmm/gfp.h>
#include <linmm/printk.h>
#include <linmm/slab.h>
#include <linmm/xarray.h>

#include "kernel/machine.h"

static struct kmem_cache *radix_tree_node_cachep;
static unsigned long node_cache_boot;	/* linmm_boot_seq the cache belongs to */
static spinlock_t node_cache_lock = __SPIN_LOCK_UNLOCKED;

static struct kmem_cache *node_cache(void)
{
	spin_lock(&node_cache_lock);
	if (!radix_tree_node_cachep || node_cache_boot != linmm_boot_seq) {
		radix_tree_node_cachep = kmem_cache_create("radix_tree_node",
							   sizeof(struct xa_node), 0,
							   SLAB_RECLAIM_ACCOUNT, NULL);
		node_cache_boot = linmm_boot_seq;
	}
	spin_unlock(&node_cache_lock);
	return radix_tree_node_cachep;
}

void xa_teardown(void)
{
	spin_lock(&node_cache_lock);
	if (radix_tree_node_cachep && node_cache_boot == linmm_boot_seq)
		kmem_cache_destroy(radix_tree_node_cachep);
	radix_tree_node_cachep = NULL;
	spin_unlock(&node_cache_lock);
}

/* Mask of the index bits a node of @shift spans (all of them at the top). */
static unsigned long node_span_mask(unsigned int shift)
{
	return shift + XA_CHUNK_SHIFT >= 64 ? ~0UL : (1UL << (shift + XA_CHUNK_SHIFT)) - 1;
}

static unsigned long node_max_index(const struct xa_node *node)
{
	return node_span_mask(node->shift);
}

static unsigned int node_offset(const struct xa_node *node, unsigned long index)
{
	return (unsigned int)((index >> node->shift) & XA_CHUNK_MASK);
}

static bool node_marked(const struct xa_node *node, xa_mark_t mark)
{
	return node->marks[mark] != 0;
}

static struct xa_node *xa_node_alloc(struct xarray *xa, unsigned int shift, struct xa_node **spare,
				     gfp_t gfp)
{
	struct xa_node *node = *spare;
	struct kmem_cache *cache = node_cache();

	if (node)
		*spare = NULL;
	else if (cache)
		node = kmem_cache_alloc(cache, gfp);
	if (!node)
		return NULL;
	memset(node, 0, sizeof(*node));
	node->shift = (unsigned char)shift;
	node->array = xa;
	return node;
}

static void xa_node_free(struct xa_node *node)
{
	kmem_cache_free(radix_tree_node_cachep, node);
}

/* Propagate "slot @offset of @node has @mark" upwards. */
static void node_set_mark(struct xa_node *node, unsigned int offset, xa_mark_t mark)
{
	while (node) {
		bool had = node_marked(node, mark);

		node->marks[mark] |= 1UL << offset;
		if (had)
			return;
		offset = node->offset;
		node = node->parent;
	}
}

static void node_clear_mark(struct xa_node *node, unsigned int offset, xa_mark_t mark)
{
	while (node) {
		node->marks[mark] &= ~(1UL << offset);
		if (node_marked(node, mark))
			return;
		offset = node->offset;
		node = node->parent;
	}
}

/* The leaf holding @index, or NULL. */
static struct xa_node *xa_leaf(struct xarray *xa, unsigned long index)
{
	struct xa_node *node = xa->xa_head;

	if (!node || index > node_max_index(node))
		return NULL;
	while (node && node->shift)
		node = node->slots[node_offset(node, index)];
	return node;
}

void *xa_load(struct xarray *xa, unsigned long index)
{
	void *entry;

	spin_lock(&xa->xa_lock);
	entry = __xa_load(xa, index);
	spin_unlock(&xa->xa_lock);
	return entry;
}

/* Add levels on top until the root covers @index.  Return 0 or -ENOMEM. */
static int xa_grow(struct xarray *xa, unsigned long index, struct xa_node **spare)
{
	struct xa_node *root = xa->xa_head;

	while (index > node_max_index(root)) {
		struct xa_node *top = xa_node_alloc(xa, root->shift + XA_CHUNK_SHIFT, spare,
						    GFP_NOWAIT);

		if (!top)
			return -ENOMEM;
		top->slots[0] = root;
		top->count = 1;
		for (xa_mark_t m = 0; m < XA_MAX_MARKS; m++)
			if (node_marked(root, m))
				top->marks[m] = 1;
		root->parent = top;
		root->offset = 0;
		xa->xa_head = top;
		root = top;
	}
	return 0;
}

/* Free empty nodes from @node up, then shrink a root that only uses slot 0. */
static void xa_prune(struct xarray *xa, struct xa_node *node)
{
	while (node && !node->count) {
		struct xa_node *parent = node->parent;

		if (parent) {
			parent->slots[node->offset] = NULL;
			parent->count--;
			for (xa_mark_t m = 0; m < XA_MAX_MARKS; m++)
				node_clear_mark(parent, node->offset, m);
		} else {
			xa->xa_head = NULL;
		}
		xa_node_free(node);
		node = parent;
	}
	node = xa->xa_head;
	while (node && node->shift && node->count == 1 && node->slots[0]) {
		struct xa_node *child = node->slots[0];

		child->parent = NULL;
		child->offset = 0;
		xa->xa_head = child;
		xa_node_free(node);
		node = child;
	}
}

/* Undo the empty nodes a failed store left on the path to @index. */
static void xa_prune_path(struct xarray *xa, unsigned long index)
{
	struct xa_node *node = xa->xa_head;

	while (node && node->shift && index <= node_max_index(node) &&
	       node->slots[node_offset(node, index)])
		node = node->slots[node_offset(node, index)];
	if (node && !node->count)
		xa_prune(xa, node);
	else if (node)
		xa_prune(xa, NULL);	/* just the root shrink */
}

/* One attempt at a store under the lock.  Return 0, -ENOMEM (retry) or the old entry. */
static int __xa_store_once(struct xarray *xa, unsigned long index, void *entry, void **old,
		      struct xa_node **spare)
{
	struct xa_node *node;
	unsigned int off;

	if (!xa->xa_head) {
		unsigned int shift = 0;

		if (!entry) {
			*old = NULL;
			return 0;
		}
		/* A first root just tall enough for @index (growing an empty one would leave it behind). */
		while (index > node_span_mask(shift))
			shift += XA_CHUNK_SHIFT;
		xa->xa_head = xa_node_alloc(xa, shift, spare, GFP_NOWAIT);
		if (!xa->xa_head)
			return -ENOMEM;
	}
	if (index > node_max_index(xa->xa_head)) {
		if (!entry) {
			*old = NULL;
			return 0;
		}
		if (xa_grow(xa, index, spare))
			return -ENOMEM;
	}
	node = xa->xa_head;
	while (node->shift) {
		struct xa_node *child;

		off = node_offset(node, index);
		child = node->slots[off];
		if (!child) {
			if (!entry) {
				*old = NULL;
				return 0;
			}
			child = xa_node_alloc(xa, node->shift - XA_CHUNK_SHIFT, spare, GFP_NOWAIT);
			if (!child)
				return -ENOMEM;
			child->parent = node;
			child->offset = (unsigned char)off;
			node->slots[off] = child;
			node->count++;
		}
		node = child;
	}
	off = node_offset(node, index);
	*old = node->slots[off];
	node->slots[off] = entry;
	if (!*old && entry) {
		node->count++;
		xa->nr_entries++;
	} else if (*old && !entry) {
		node->count--;
		xa->nr_entries--;
		for (xa_mark_t m = 0; m < XA_MAX_MARKS; m++)
			if (node->marks[m] & (1UL << off))
				node_clear_mark(node, off, m);
		xa_prune(xa, node);
	} else if (!*old && !entry) {
		xa_prune(xa, node);	/* a path made for nothing */
	}
	return 0;
}

/* Store under xa_lock, dropping it to allocate with @gfp when GFP_NOWAIT fails. */
static void *xa_store_locked(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp,
			     bool insert)
{
	struct xa_node *spare = NULL;
	void *old = NULL;
	int ret;

	lockdep_assert_held(&xa->xa_lock);
	if (((unsigned long)entry & 3UL) == 2UL)	/* internal entries are not storable */
		return xa_mk_err(-EINVAL);
	for (;;) {
		if (insert) {
			struct xa_node *leaf = xa_leaf(xa, index);

			if (leaf && leaf->slots[node_offset(leaf, index)]) {
				old = xa_mk_err(-EBUSY);
				break;
			}
		}
		ret = __xa_store_once(xa, index, entry, &old, &spare);
		if (ret != -ENOMEM)
			break;
		/* xas_nomem(): allocate outside the lock with the caller's flags, retry. */
		spin_unlock(&xa->xa_lock);
		spare = node_cache() ? kmem_cache_alloc(radix_tree_node_cachep, gfp) : NULL;
		spin_lock(&xa->xa_lock);
		if (!spare) {
			xa_prune_path(xa, index);
			return xa_mk_err(-ENOMEM);
		}
	}
	if (spare)
		xa_node_free(spare);
	return old;
}

void *__xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	return xa_store_locked(xa, index, entry, gfp, false);
}

int __xa_insert(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	void *old;

	if (!entry)
		return -EINVAL;
	old = xa_store_locked(xa, index, entry, gfp, true);
	return xa_err(old);
}

void *__xa_erase(struct xarray *xa, unsigned long index)
{
	return xa_store_locked(xa, index, NULL, GFP_NOWAIT, false);
}

void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	void *old;

	spin_lock(&xa->xa_lock);
	old = __xa_store(xa, index, entry, gfp);
	spin_unlock(&xa->xa_lock);
	return old;
}

void *xa_erase(struct xarray *xa, unsigned long index)
{
	void *old;

	spin_lock(&xa->xa_lock);
	old = __xa_erase(xa, index);
	spin_unlock(&xa->xa_lock);
	return old;
}

void *__xa_load(struct xarray *xa, unsigned long index)
{
	struct xa_node *leaf = xa_leaf(xa, index);

	lockdep_assert_held(&xa->xa_lock);
	return leaf ? leaf->slots[node_offset(leaf, index)] : NULL;
}

void __xa_set_mark(struct xarray *xa, unsigned long index, xa_mark_t mark)
{
	struct xa_node *leaf = xa_leaf(xa, index);

	VM_BUG_ON(mark >= XA_MAX_MARKS);
	if (leaf && leaf->slots[node_offset(leaf, index)])
		node_set_mark(leaf, node_offset(leaf, index), mark);
}

void __xa_clear_mark(struct xarray *xa, unsigned long index, xa_mark_t mark)
{
	struct xa_node *leaf = xa_leaf(xa, index);

	VM_BUG_ON(mark >= XA_MAX_MARKS);
	if (leaf && (leaf->marks[mark] & (1UL << node_offset(leaf, index))))
		node_clear_mark(leaf, node_offset(leaf, index), mark);
}

void xa_set_mark(struct xarray *xa, unsigned long index, xa_mark_t mark)
{
	spin_lock(&xa->xa_lock);
	__xa_set_mark(xa, index, mark);
	spin_unlock(&xa->xa_lock);
}

void xa_clear_mark(struct xarray *xa, unsigned long index, xa_mark_t mark)
{
	spin_lock(&xa->xa_lock);
	__xa_clear_mark(xa, index, mark);
	spin_unlock(&xa->xa_lock);
}

bool xa_get_mark(struct xarray *xa, unsigned long index, xa_mark_t mark)
{
	struct xa_node *leaf;
	bool ret = false;

	VM_BUG_ON(mark >= XA_MAX_MARKS);
	spin_lock(&xa->xa_lock);
	leaf = xa_leaf(xa, index);
	if (leaf)
		ret = leaf->marks[mark] & (1UL << node_offset(leaf, index));
	spin_unlock(&xa->xa_lock);
	return ret;
}

bool xa_marked(struct xarray *xa, xa_mark_t mark)
{
	bool ret;

	spin_lock(&xa->xa_lock);
	ret = xa->xa_head && node_marked(xa->xa_head, mark);
	spin_unlock(&xa->xa_lock);
	return ret;
}

/* First slot >= @from of @node that matches @filter, or XA_CHUNK_SIZE. */
static unsigned int node_next_slot(const struct xa_node *node, unsigned int from, xa_mark_t filter)
{
	if (filter == XA_PRESENT) {
		for (unsigned int i = from; i < XA_CHUNK_SIZE; i++)
			if (node->slots[i])
				return i;
		return XA_CHUNK_SIZE;
	}
	if (from >= XA_CHUNK_SIZE)
		return XA_CHUNK_SIZE;
	{
		unsigned long bits = node->marks[filter] & (~0UL << from);

		return bits ? (unsigned int)__builtin_ctzl(bits) : XA_CHUNK_SIZE;
	}
}

static void *__xa_find(struct xarray *xa, unsigned long *indexp, unsigned long max,
		       xa_mark_t filter)
{
	struct xa_node *node = xa->xa_head;
	unsigned long index = *indexp;

	if (!node || index > node_max_index(node))
		return NULL;
	for (;;) {
		unsigned int off = node_offset(node, index);
		unsigned int i = node_next_slot(node, off, filter);

		if (i == XA_CHUNK_SIZE) {
			/*
			 * Nothing left here: on to the next slot of the nearest
			 * ancestor that has one.  An ancestor whose span @next
			 * has left is done too (its node_offset would wrap to 0).
			 */
			unsigned long next = (index | node_span_mask(node->shift)) + 1;

			do
				node = node->parent;
			while (node && next && !(next & node_span_mask(node->shift)));
			if (!node || !next)
				return NULL;
			index = next;
			if (index > max)
				return NULL;
			continue;
		}
		if (i != off)
			index = (index & ~node_span_mask(node->shift)) |
				((unsigned long)i << node->shift);
		if (index > max)
			return NULL;
		if (!node->shift) {
			*indexp = index;
			return node->slots[i];
		}
		node = node->slots[i];
	}
}

void *xa_find(struct xarray *xa, unsigned long *indexp, unsigned long max, xa_mark_t filter)
{
	void *entry;

	VM_BUG_ON(filter != XA_PRESENT && filter >= XA_MAX_MARKS);
	spin_lock(&xa->xa_lock);
	entry = __xa_find(xa, indexp, max, filter);
	spin_unlock(&xa->xa_lock);
	return entry;
}

void *xa_find_after(struct xarray *xa, unsigned long *indexp, unsigned long max,
		    xa_mark_t filter)
{
	unsigned long index = *indexp + 1;
	void *entry;

	if (!index || index > max)
		return NULL;
	entry = xa_find(xa, &index, max, filter);
	if (entry)
		*indexp = index;
	return entry;
}

static void xa_destroy_node(struct xa_node *node)
{
	if (node->shift)
		for (unsigned int i = 0; i < XA_CHUNK_SIZE; i++)
			if (node->slots[i])
				xa_destroy_node(node->slots[i]);
	xa_node_free(node);
}

void xa_destroy(struct xarray *xa)
{
	spin_lock(&xa->xa_lock);
	if (xa->xa_head)
		xa_destroy_node(xa->xa_head);
	xa->xa_head = NULL;
	xa->nr_entries = 0;
	spin_unlock(&xa->xa_lock);
}

/* Check @node and its subtree; add its entries to *@nr.  0 or -EINVAL. */
static int xa_validate_node(struct xarray *xa, struct xa_node *node, unsigned long *nr)
{
	unsigned int count = 0;

	if (node->array != xa) {
		pr_err("xarray %p: node %p belongs to array %p\n", (void *)xa, (void *)node,
		       (void *)node->array);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < XA_CHUNK_SIZE; i++) {
		struct xa_node *child = node->slots[i];

		if (!child) {
			for (xa_mark_t m = 0; m < XA_MAX_MARKS; m++)
				if (node->marks[m] & (1UL << i)) {
					pr_err("xarray %p: node %p slot %u empty but has mark %u\n",
					       (void *)xa, (void *)node, i, m);
					return -EINVAL;
				}
			continue;
		}
		count++;
		if (!node->shift) {
			(*nr)++;
			continue;
		}
		if (child->parent != node || child->offset != i ||
		    child->shift + XA_CHUNK_SHIFT != node->shift) {
			pr_err("xarray %p: node %p slot %u: child %p has parent %p offset %u "
			       "shift %u\n", (void *)xa, (void *)node, i, (void *)child,
			       (void *)child->parent, child->offset, child->shift);
			return -EINVAL;
		}
		for (xa_mark_t m = 0; m < XA_MAX_MARKS; m++)
			if (!!(node->marks[m] & (1UL << i)) != node_marked(child, m)) {
				pr_err("xarray %p: node %p slot %u: mark %u bit %d, child marks "
				       "0x%lx\n", (void *)xa, (void *)node, i, m,
				       !!(node->marks[m] & (1UL << i)), child->marks[m]);
				return -EINVAL;
			}
		if (xa_validate_node(xa, child, nr))
			return -EINVAL;
	}
	if (count != node->count || !count) {
		pr_err("xarray %p: node %p count %u, %u slots used\n", (void *)xa, (void *)node,
		       node->count, count);
		return -EINVAL;
	}
	return 0;
}

int xa_validate(struct xarray *xa)
{
	struct xa_node *root;
	unsigned long nr = 0;
	int ret = 0;

	spin_lock(&xa->xa_lock);
	root = xa->xa_head;
	if (root) {
		if (root->parent) {
			pr_err("xarray %p: root %p has a parent\n", (void *)xa, (void *)root);
			ret = -EINVAL;
		} else if (root->shift && root->count == 1 && root->slots[0]) {
			pr_err("xarray %p: root %p (shift %u) only uses slot 0\n", (void *)xa,
			       (void *)root, root->shift);
			ret = -EINVAL;
		} else {
			ret = xa_validate_node(xa, root, &nr);
		}
	}
	if (!ret && nr != xa->nr_entries) {
		pr_err("xarray %p: %lu entries, nr_entries %lu\n", (void *)xa, nr, xa->nr_entries);
		ret = -EINVAL;
	}
	spin_unlock(&xa->xa_lock);
	return ret;
}
