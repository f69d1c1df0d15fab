// SPDX-License-Identifier: MIT
/*
 * interval_tree.c - the i_mmap interval tree: every VMA mapping a file,
 * by the range of file pages it maps (mm/interval_tree.c,
 * include/linux/interval_tree_generic.h).
 *
 * A red-black tree ordered by vm_pgoff (then by address of the VMA, so
 * equal starts have a stable order), augmented with the largest last page
 * (vm_pgoff + pages - 1) in each subtree, so that "which VMAs map any of
 * file pages [first, last]" visits only the subtrees that can answer:
 *
 *   file pages   0    4    8    12   16
 *   VMA A        [----]                    pgoff 0, 5 pages: [0, 4]
 *   VMA B             [---------]          pgoff 4, 10 pages: [4, 13]
 *   VMA C                  [-]             pgoff 8, 2 pages: [8, 9]
 *   query [9, 9]: B and C;  query [14, 20]: none
 *
 * Membership follows the mm tree: vma_link_file() when a VMA with a
 * vm_file is linked into its mm, vma_unlink_file() when it is unlinked,
 * and both around a change of its range (vma_set_range()), as the
 * kernel's vma_prepare()/vma_complete() do.
 *
 * Locks: mapping->i_mmap_rwsem, for writing around changes (taken here),
 * for reading around walks (by the walker: unmap_mapping_range, mkclean).
 * Order: mmap_lock, then i_mmap_rwsem, then page_table_lock.
 */
#include <linmm/fs.h>
#include <linmm/mmap.h>
#include <linmm/printk.h>

#include "mm/internal.h"

static unsigned long vma_last_pgoff(const struct vm_area_struct *vma)
{
	return vma->vm_pgoff + vma_pages(vma) - 1;
}

static struct vm_area_struct *shared_vma(const struct rb_node *node)
{
	return rb_entry_safe(node, struct vm_area_struct, shared.rb);
}

static unsigned long subtree_last(const struct rb_node *node)
{
	return node ? shared_vma(node)->shared.rb_subtree_last : 0;
}

static unsigned long compute_subtree_last(const struct vm_area_struct *vma)
{
	unsigned long last = vma_last_pgoff(vma);

	last = max(last, subtree_last(vma->shared.rb.rb_left));
	return max(last, subtree_last(vma->shared.rb.rb_right));
}

static void last_propagate(struct rb_node *node, struct rb_node *stop)
{
	for (; node != stop; node = rb_parent(node))
		shared_vma(node)->shared.rb_subtree_last = compute_subtree_last(shared_vma(node));
}

static void last_copy(struct rb_node *old, struct rb_node *new)
{
	shared_vma(new)->shared.rb_subtree_last = shared_vma(old)->shared.rb_subtree_last;
}

static void last_rotate(struct rb_node *old, struct rb_node *new)
{
	last_copy(old, new);
	shared_vma(old)->shared.rb_subtree_last = compute_subtree_last(shared_vma(old));
}

static const struct rb_augment_callbacks i_mmap_callbacks = {
	.propagate = last_propagate,
	.copy = last_copy,
	.rotate = last_rotate,
};

static bool vma_before(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	if (a->vm_pgoff != b->vm_pgoff)
		return a->vm_pgoff < b->vm_pgoff;
	return (uintptr_t)a < (uintptr_t)b;
}

/**
 * vma_interval_tree_insert - add @vma to @root by its page range.
 * @vma: a VMA not in any i_mmap tree
 * @root: mapping->i_mmap
 *
 * Context: i_mmap_rwsem held for writing.
 */
void vma_interval_tree_insert(struct vm_area_struct *vma, struct rb_root *root)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;
	unsigned long last = vma_last_pgoff(vma);

	while (*link) {
		struct vm_area_struct *p = shared_vma(*link);

		parent = *link;
		if (p->shared.rb_subtree_last < last)
			p->shared.rb_subtree_last = last;
		link = vma_before(vma, p) ? &parent->rb_left : &parent->rb_right;
	}
	vma->shared.rb_subtree_last = last;
	rb_link_node(&vma->shared.rb, parent, link);
	rb_insert_augmented(&vma->shared.rb, root, &i_mmap_callbacks);
}

/* vma_interval_tree_remove - take @vma out of @root.  Context: i_mmap_rwsem for writing. */
void vma_interval_tree_remove(struct vm_area_struct *vma, struct rb_root *root)
{
	rb_erase_augmented(&vma->shared.rb, root, &i_mmap_callbacks);
	RB_CLEAR_NODE(&vma->shared.rb);
}

/* The leftmost VMA of @node's subtree overlapping [first, last]. */
static struct vm_area_struct *subtree_search(struct rb_node *node, unsigned long first,
					     unsigned long last)
{
	while (node) {
		struct vm_area_struct *vma = shared_vma(node);

		if (node->rb_left && subtree_last(node->rb_left) >= first) {
			node = node->rb_left;	/* an overlap, if any, is further left */
			continue;
		}
		if (vma->vm_pgoff > last)
			return NULL;		/* everything right starts later still */
		if (vma_last_pgoff(vma) >= first)
			return vma;
		node = node->rb_right;
		if (!node || subtree_last(node) < first)
			return NULL;
	}
	return NULL;
}

/**
 * vma_interval_tree_iter_first - the first VMA of @root mapping any of file pages [@first, @last].
 * @root: mapping->i_mmap
 * @first: first page offset
 * @last: last page offset (inclusive)
 *
 * Context: i_mmap_rwsem held.
 * Return: the VMA, or NULL.
 */
struct vm_area_struct *vma_interval_tree_iter_first(struct rb_root *root, unsigned long first,
						    unsigned long last)
{
	if (!root->rb_node || subtree_last(root->rb_node) < first)
		return NULL;
	return subtree_search(root->rb_node, first, last);
}

/* vma_interval_tree_iter_next - the next VMA after @vma overlapping [@first, @last], or NULL. */
struct vm_area_struct *vma_interval_tree_iter_next(struct vm_area_struct *vma,
						   unsigned long first, unsigned long last)
{
	struct rb_node *node = &vma->shared.rb, *prev;

	for (;;) {
		/* The right subtree of the current node, then up to where we came from the left. */
		if (node->rb_right && subtree_last(node->rb_right) >= first) {
			struct vm_area_struct *hit = subtree_search(node->rb_right, first, last);

			if (hit)
				return hit;
		}
		do {
			prev = node;
			node = rb_parent(node);
			if (!node)
				return NULL;
		} while (node->rb_right == prev);
		vma = shared_vma(node);
		if (vma->vm_pgoff > last)
			return NULL;
		if (vma_last_pgoff(vma) >= first)
			return vma;
	}
}

void vma_link_file(struct vm_area_struct *vma)
{
	struct address_space *mapping;

	if (!vma->vm_file)
		return;
	mapping = vma->vm_file->f_mapping;
	down_write(&mapping->i_mmap_rwsem);
	vma_interval_tree_insert(vma, &mapping->i_mmap);
	up_write(&mapping->i_mmap_rwsem);
}

void vma_unlink_file(struct vm_area_struct *vma)
{
	struct address_space *mapping;

	if (!vma->vm_file || RB_EMPTY_NODE(&vma->shared.rb))
		return;
	mapping = vma->vm_file->f_mapping;
	down_write(&mapping->i_mmap_rwsem);
	vma_interval_tree_remove(vma, &mapping->i_mmap);
	up_write(&mapping->i_mmap_rwsem);
}

static int validate_i_mmap_subtree(const struct rb_node *node, const struct address_space *mapping)
{
	const struct vm_area_struct *vma;

	if (!node)
		return 0;
	vma = shared_vma(node);
	if (!vma->vm_file || vma->vm_file->f_mapping != mapping ||
	    vma->shared.rb_subtree_last != compute_subtree_last(vma) ||
	    (node->rb_left && !vma_before(shared_vma(node->rb_left), vma)) ||
	    (node->rb_right && vma_before(shared_vma(node->rb_right), vma))) {
		pr_err("i_mmap: vma %lx-%lx pgoff %lu subtree_last %lu (expected %lu) out of place\n",
		       vma->vm_start, vma->vm_end, vma->vm_pgoff, vma->shared.rb_subtree_last,
		       compute_subtree_last(vma));
		return -EINVAL;
	}
	if (validate_i_mmap_subtree(node->rb_left, mapping))
		return -EINVAL;
	return validate_i_mmap_subtree(node->rb_right, mapping);
}

int validate_i_mmap(struct address_space *mapping)
{
	int ret;

	down_read(&mapping->i_mmap_rwsem);
	ret = rb_validate(&mapping->i_mmap) < 0 ? -EINVAL : 0;
	if (ret)
		pr_err("i_mmap: red-black properties broken\n");
	else
		ret = validate_i_mmap_subtree(mapping->i_mmap.rb_node, mapping);
	up_read(&mapping->i_mmap_rwsem);
	return ret;
}

unsigned long i_mmap_count(struct address_space *mapping)
{
	unsigned long n = 0;

	down_read(&mapping->i_mmap_rwsem);
	for (struct rb_node *node = rb_first(&mapping->i_mmap); node; node = rb_next(node))
		n++;
	up_read(&mapping->i_mmap_rwsem);
	return n;
}
