/* SPDX-License-Identifier: MIT */
/*
 * rbtree.h - red-black trees, plain and augmented (lib/rbtree.c).
 *
 * Mirrors include/linux/rbtree.h and rbtree_augmented.h.  The tree is
 * intrusive: a struct rb_node is embedded in the caller's object, and the
 * caller does the search, as in the kernel:
 *
 *	struct rb_node **link = &root->rb_node, *parent = NULL;
 *	while (*link) {
 *		parent = *link;
 *		link = key < rb_entry(parent, T, node)->key ? &parent->rb_left
 *							     : &parent->rb_right;
 *	}
 *	rb_link_node(&obj->node, parent, link);
 *	rb_insert_color(&obj->node, root);
 *
 * Augmented trees keep a per-node value computed from the node and its
 * children (e.g. the largest free gap in a subtree).  The callbacks:
 *   propagate(node, stop)  recompute node and its ancestors up to, not
 *                          including, stop (NULL: up to the root)
 *   copy(old, new)         new takes old's value (new replaces old)
 *   rotate(old, new)       after a rotation: new (now on top) takes old's
 *                          value, old is recomputed
 * rb_insert_augmented() expects the new node's own value set; it
 * propagates from it before rebalancing.  rb_erase_augmented() leaves
 * every value on the changed path correct.
 *
 * The parent pointer and the colour share one word (__rb_parent_color;
 * colour in bit 0: 0 red, 1 black).  No locking: callers serialise.
 */
#ifndef LINMM_RBTREE_H
#define LINMM_RBTREE_H

#include <linmm/types.h>

struct rb_node {
	unsigned long __rb_parent_color;
	struct rb_node *rb_right;
	struct rb_node *rb_left;
} __attribute__((aligned(sizeof(long))));

struct rb_root {
	struct rb_node *rb_node;
};

struct rb_augment_callbacks {
	void (*propagate)(struct rb_node *node, struct rb_node *stop);
	void (*copy)(struct rb_node *old, struct rb_node *new);
	void (*rotate)(struct rb_node *old, struct rb_node *new);
};

#define RB_ROOT ((struct rb_root){ NULL })
#define RB_RED 0UL
#define RB_BLACK 1UL
#define rb_entry(ptr, type, member) container_of(ptr, type, member)
#define rb_entry_safe(ptr, type, member) ((ptr) ? rb_entry(ptr, type, member) : NULL)
#define RB_EMPTY_ROOT(root) ((root)->rb_node == NULL)
/* A node not in any tree points to itself (RB_CLEAR_NODE). */
#define RB_EMPTY_NODE(node) ((node)->__rb_parent_color == (unsigned long)(node))
#define RB_CLEAR_NODE(node) ((node)->__rb_parent_color = (unsigned long)(node))

static inline struct rb_node *rb_parent(const struct rb_node *node)
{
	return (struct rb_node *)(node->__rb_parent_color & ~3UL);
}

static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **rb_link)
{
	node->__rb_parent_color = (unsigned long)parent;	/* red */
	node->rb_left = node->rb_right = NULL;
	*rb_link = node;
}

void rb_insert_color(struct rb_node *node, struct rb_root *root);
void rb_erase(struct rb_node *node, struct rb_root *root);
void rb_insert_augmented(struct rb_node *node, struct rb_root *root,
			 const struct rb_augment_callbacks *augment);
void rb_erase_augmented(struct rb_node *node, struct rb_root *root,
			const struct rb_augment_callbacks *augment);

struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);

/*
 * rb_validate - check the red-black properties of @root: parent links,
 * no red node with a red child, equal black height on every path.
 * Return: the black height (>= 0), or -EINVAL.
 */
int rb_validate(const struct rb_root *root);

#endif /* LINMM_RBTREE_H */
