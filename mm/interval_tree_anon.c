// SPDX-License-Identifier: MIT
/*
 * interval_tree_anon.c - the anon_vma interval tree (the anon_vma half of
 * mm/interval_tree.c, whose file-mapping half (i_mmap) lives apart,
 * include/linux/interval_tree_generic.h).
 *
 * An augmented red-black tree of anon_vma_chains ordered by the start of
 * their VMA's linear page range [vm_pgoff, vm_pgoff + pages - 1]; each
 * node also keeps rb_subtree_last, the largest range end in its subtree,
 * so that a stabbing query skips every subtree that ends before it:
 *
 *                 [10,19] last 40
 *                /               \
 *      [2,5] last 5          [30,40] last 40
 *
 *   query [8, 12]: left subtree ends at 5 < 8, skipped; [10,19] meets it;
 *   [30,40] starts after 12, so neither it nor its right subtree can.
 *
 * Equal starts go to the right, so chains of one start keep insertion
 * order.  Keys are read from the VMA each time: a VMA's range may change
 * only while its chains are out of the trees (pre/post_update_vma).
 *
 * Locks: the caller holds the anon_vma lock for writing to change a tree,
 * for reading to query it.
 */
#include <linmm/mmap.h>
#include <linmm/printk.h>
#include <linmm/rmap.h>

#include "mm/internal.h"

unsigned long avc_start_pgoff(const struct anon_vma_chain *avc)
{
	return avc->vma->vm_pgoff;
}

unsigned long avc_last_pgoff(const struct anon_vma_chain *avc)
{
	return avc->vma->vm_pgoff + vma_pages(avc->vma) - 1;
}

static struct anon_vma_chain *rb_avc(const struct rb_node *node)
{
	return rb_entry_safe(node, struct anon_vma_chain, rb);
}

static unsigned long subtree_last(const struct rb_node *node)
{
	return node ? rb_avc(node)->rb_subtree_last : 0;
}

static unsigned long compute_subtree_last(const struct anon_vma_chain *avc)
{
	unsigned long last = avc_last_pgoff(avc);

	last = max(last, subtree_last(avc->rb.rb_left));
	return max(last, subtree_last(avc->rb.rb_right));
}

static void avc_propagate(struct rb_node *node, struct rb_node *stop)
{
	for (; node != stop; node = rb_parent(node))
		rb_avc(node)->rb_subtree_last = compute_subtree_last(rb_avc(node));
}

static void avc_copy(struct rb_node *old, struct rb_node *new)
{
	rb_avc(new)->rb_subtree_last = rb_avc(old)->rb_subtree_last;
}

static void avc_rotate(struct rb_node *old, struct rb_node *new)
{
	rb_avc(new)->rb_subtree_last = rb_avc(old)->rb_subtree_last;
	rb_avc(old)->rb_subtree_last = compute_subtree_last(rb_avc(old));
}

static const struct rb_augment_callbacks avc_callbacks = {
	.propagate = avc_propagate,
	.copy = avc_copy,
	.rotate = avc_rotate,
};

void anon_vma_interval_tree_insert(struct anon_vma_chain *avc, struct rb_root *root)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;
	unsigned long start = avc_start_pgoff(avc), last = avc_last_pgoff(avc);

	while (*link) {
		struct anon_vma_chain *p = rb_avc(*link);

		parent = *link;
		/* Keep the path's augmented values covering the new node. */
		if (p->rb_subtree_last < last)
			p->rb_subtree_last = last;
		link = start < avc_start_pgoff(p) ? &parent->rb_left : &parent->rb_right;
	}
	avc->rb_subtree_last = last;
	rb_link_node(&avc->rb, parent, link);
	rb_insert_augmented(&avc->rb, root, &avc_callbacks);
}

void anon_vma_interval_tree_remove(struct anon_vma_chain *avc, struct rb_root *root)
{
	rb_erase_augmented(&avc->rb, root, &avc_callbacks);
	RB_CLEAR_NODE(&avc->rb);
}

/* The leftmost node of the subtree at @node that meets [first, last]. */
static struct anon_vma_chain *subtree_search(struct rb_node *node, unsigned long first,
					     unsigned long last)
{
	while (node) {
		struct anon_vma_chain *avc = rb_avc(node);

		if (node->rb_left && subtree_last(node->rb_left) >= first) {
			node = node->rb_left;	/* something on the left ends late enough */
			continue;
		}
		if (avc_start_pgoff(avc) > last)
			return NULL;		/* this and everything right start too late */
		if (avc_last_pgoff(avc) >= first)
			return avc;
		if (!node->rb_right || subtree_last(node->rb_right) < first)
			return NULL;
		node = node->rb_right;
	}
	return NULL;
}

struct anon_vma_chain *anon_vma_interval_tree_iter_first(struct rb_root *root,
							 unsigned long first, unsigned long last)
{
	if (!root->rb_node || subtree_last(root->rb_node) < first)
		return NULL;
	return subtree_search(root->rb_node, first, last);
}

struct anon_vma_chain *anon_vma_interval_tree_iter_next(struct anon_vma_chain *avc,
							unsigned long first, unsigned long last)
{
	struct rb_node *node = &avc->rb, *prev;

	for (;;) {
		struct anon_vma_chain *up;

		/* Everything after @node in order: its right subtree, then the ancestors. */
		if (node->rb_right && subtree_last(node->rb_right) >= first)
			return subtree_search(node->rb_right, first, last);
		do {
			prev = node;
			node = rb_parent(node);
			if (!node)
				return NULL;
		} while (prev == node->rb_right);
		up = rb_avc(node);
		if (avc_start_pgoff(up) > last)
			return NULL;
		if (avc_last_pgoff(up) >= first)
			return up;
	}
}

static int verify_subtree(const struct rb_node *node, unsigned long *min_start)
{
	const struct anon_vma_chain *avc;

	if (!node)
		return 0;
	avc = rb_avc(node);
	if (verify_subtree(node->rb_left, min_start))
		return -EINVAL;
	if (avc_start_pgoff(avc) < *min_start) {
		pr_err("anon_vma interval tree: chain of vma %lx-%lx out of order\n",
		       avc->vma->vm_start, avc->vma->vm_end);
		return -EINVAL;
	}
	*min_start = avc_start_pgoff(avc);
	if (avc->rb_subtree_last != compute_subtree_last(avc)) {
		pr_err("anon_vma interval tree: vma %lx-%lx subtree_last %lu, expected %lu\n",
		       avc->vma->vm_start, avc->vma->vm_end, avc->rb_subtree_last,
		       compute_subtree_last(avc));
		return -EINVAL;
	}
	return verify_subtree(node->rb_right, min_start);
}

int anon_vma_interval_tree_verify(struct rb_root *root)
{
	unsigned long min_start = 0;

	if (rb_validate(root) < 0) {
		pr_err("anon_vma interval tree: red-black properties broken\n");
		return -EINVAL;
	}
	return verify_subtree(root->rb_node, &min_start);
}

void anon_vma_interval_tree_pre_update_vma(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc;

	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
		anon_vma_interval_tree_remove(avc, &avc->anon_vma->rb_root);
}

void anon_vma_interval_tree_post_update_vma(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc;

	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
		anon_vma_interval_tree_insert(avc, &avc->anon_vma->rb_root);
}
