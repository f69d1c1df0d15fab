/* SPDX-License-Identifier: MIT */
/*
 * maple_tree.h - a B-tree of ranges (include/linux/maple_tree.h).
 *
 * A maple tree maps every index of [0, ULONG_MAX] to an entry; a store
 * gives the range [index, last] one entry (NULL erases), overwriting what
 * was there.  Ranges live in the slots of 256-byte nodes: a slot covers
 * from the previous pivot + 1 (the node's minimum for slot 0) up to its
 * own pivot (the node's maximum for the last slot):
 *
 *	leaf [min=0x1000, max=0x8fff]  pivot:  1fff   4fff   8fff
 *	                               slot:   vmaA   NULL   vmaB
 *	vmaA covers 0x1000-0x1fff, the gap 0x2000-0x4fff, vmaB 0x5000-0x8fff
 *
 * Node types (the kernel's layouts):
 *   maple_leaf_64     16 slots, 15 pivots: leaves of every tree
 *   maple_range_64    16 slots, 15 pivots: internal nodes of a plain tree
 *   maple_arange_64   10 slots, 9 pivots and 10 gaps: internal nodes of an
 *                     allocation-range tree (MT_FLAGS_ALLOC_RANGE, the
 *                     mm's VMA tree), gap[i] the largest NULL range below
 *                     slot i, so that mas_empty_area() finds free space in
 *                     O(log n)
 *
 * Entries are pointers or values with bit 1 clear in their low two bits
 * ((entry & 3) != 2: that pattern marks nodes).  Nodes come from the slab
 * cache "maple_node" (/proc/slabinfo).
 *
 * Locks: the tree does no locking itself (the kernel's
 * MT_FLAGS_LOCK_EXTERN): the owner serialises writers and excludes
 * readers while writing (the mm: mmap_lock).  A store that stays inside
 * one leaf rewrites that leaf in place and allocates nothing; any other
 * builds new nodes and frees the old ones only at the end, so a failed
 * allocation (-ENOMEM) leaves the tree as it was.
 */
#ifndef LINMM_MAPLE_TREE_H
#define LINMM_MAPLE_TREE_H

#include <limits.h>

#include <linmm/types.h>	/* gfp_t */

#define MAPLE_NODE_SLOTS	31	/* a 256-byte node as slots (dense nodes; unused) */
#define MAPLE_RANGE64_SLOTS	16
#define MAPLE_ARANGE64_SLOTS	10
#define MAPLE_HEIGHT_MAX	31

/* Tree flags (ma_flags); the height is kept in bits 2-6, as in the kernel. */
#define MT_FLAGS_ALLOC_RANGE	0x01	/* internal nodes track gaps */
#define MT_FLAGS_USE_RCU	0x02
#define MT_FLAGS_HEIGHT_OFFSET	0x02
#define MT_FLAGS_HEIGHT_MASK	0x7C
#define MT_FLAGS_LOCK_EXTERN	0x300	/* the owner's lock protects the tree */
/* The mm's tree: gaps tracked, locked by mmap_lock. */
#define MM_MT_FLAGS		(MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_EXTERN | MT_FLAGS_USE_RCU)

enum maple_type {
	maple_dense,
	maple_leaf_64,
	maple_range_64,
	maple_arange_64,
};

/* An encoded node pointer: the node's address | type << 3 | 2. */
struct maple_enode;
/* An encoded parent pointer: the parent's address | slot << 3 | type bits, or the tree | 1. */
struct maple_pnode;

struct maple_metadata {
	unsigned char end;	/* the last used slot */
	unsigned char gap;	/* the slot with the largest gap */
};

struct maple_range_64 {
	struct maple_pnode *parent;
	unsigned long pivot[MAPLE_RANGE64_SLOTS - 1];
	void *slot[MAPLE_RANGE64_SLOTS];
};

struct maple_arange_64 {
	struct maple_pnode *parent;
	unsigned long pivot[MAPLE_ARANGE64_SLOTS - 1];
	void *slot[MAPLE_ARANGE64_SLOTS];
	unsigned long gap[MAPLE_ARANGE64_SLOTS];
	struct maple_metadata meta;
};

struct maple_node {
	union {
		struct {
			struct maple_pnode *parent;
			void *slot[MAPLE_NODE_SLOTS];
		};
		struct maple_range_64 mr64;
		struct maple_arange_64 ma64;
	};
};

_Static_assert(sizeof(void *) != 8 || sizeof(struct maple_node) == 256,
	       "maple nodes are 256 bytes on 64-bit hosts");

/**
 * struct maple_tree - the root of a maple tree.
 * @ma_root: NULL (empty: every index maps to NULL) or the encoded root node
 * @ma_flags: MT_FLAGS_*, and the height
 */
struct maple_tree {
	void *ma_root;
	unsigned int ma_flags;
};

#define MTREE_INIT(name, flags) { .ma_root = NULL, .ma_flags = (flags) }

static inline void mt_init_flags(struct maple_tree *mt, unsigned int flags)
{
	mt->ma_root = NULL;
	mt->ma_flags = flags & ~MT_FLAGS_HEIGHT_MASK;
}

static inline void mt_init(struct maple_tree *mt)
{
	mt_init_flags(mt, 0);
}

static inline bool mtree_empty(const struct maple_tree *mt)
{
	return mt->ma_root == NULL;
}

static inline unsigned int mt_height(const struct maple_tree *mt)
{
	return (mt->ma_flags & MT_FLAGS_HEIGHT_MASK) >> MT_FLAGS_HEIGHT_OFFSET;
}

/* Where a maple state is (the kernel's enum maple_status). */
enum maple_status {
	ma_active,	/* on the range [index, last] of a leaf */
	ma_start,	/* not walked yet: the next operation walks to index */
	ma_none,	/* the tree is empty */
	ma_overflow,	/* an iteration went past its maximum */
	ma_underflow,	/* an iteration went below its minimum */
};

/**
 * struct ma_state - a position in a maple tree, for iteration and stores.
 * @tree: the tree
 * @index, @last: the range found (or to store)
 * @node: the leaf holding it (ma_active)
 * @min, @max: the range the leaf covers
 * @offset: the slot in @node
 * @status: see enum maple_status
 */
struct ma_state {
	struct maple_tree *tree;
	unsigned long index;
	unsigned long last;
	struct maple_enode *node;
	unsigned long min;
	unsigned long max;
	unsigned char offset;
	enum maple_status status;
};

#define MA_STATE(name, mt, first, end)					\
	struct ma_state name = {					\
		.tree = (mt), .index = (first), .last = (end),		\
		.node = NULL, .min = 0, .max = ULONG_MAX,		\
		.offset = 0, .status = ma_start,			\
	}

/* Point @mas at [@start, @last] (or @index), to be walked afresh. */
static inline void mas_set_range(struct ma_state *mas, unsigned long start, unsigned long last)
{
	mas->index = start;
	mas->last = last;
	mas->status = ma_start;
	mas->node = NULL;
}

static inline void mas_set(struct ma_state *mas, unsigned long index)
{
	mas_set_range(mas, index, index);
}

static inline void mas_reset(struct ma_state *mas)
{
	mas->status = ma_start;
	mas->node = NULL;
}

/* ---- reading (Context: the owner's lock, for reading at least) ---- */

/* mtree_load - the entry at @index (NULL if none). */
void *mtree_load(struct maple_tree *mt, unsigned long index);
/*
 * mt_find - the first entry at or after *@index and at or below @max;
 * *@index becomes the index after its range (to continue from).  NULL if
 * none (*@index unchanged).
 */
void *mt_find(struct maple_tree *mt, unsigned long *index, unsigned long max);
/* mt_next - the first entry after the range holding @index, up to @max. */
void *mt_next(struct maple_tree *mt, unsigned long index, unsigned long max);
/* mt_prev - the last entry before the range holding @index, down to @min. */
void *mt_prev(struct maple_tree *mt, unsigned long index, unsigned long min);

/* mas_walk - the entry at mas->index; [index, last] becomes its range (NULL's too). */
void *mas_walk(struct ma_state *mas);
/*
 * mas_find - the first entry at or after mas->index (first call) or after
 * the current range (later calls), up to @max; NULL (ma_overflow) if none.
 */
void *mas_find(struct ma_state *mas, unsigned long max);
/* mas_next - the first entry after the current range, up to @max, or NULL. */
void *mas_next(struct ma_state *mas, unsigned long max);
/* mas_prev - the last entry before the current range, down to @min, or NULL. */
void *mas_prev(struct ma_state *mas, unsigned long min);

/**
 * mas_empty_area - the lowest free space of @size indices in [@min, @max].
 * @mas: the state; on success [index, last] is the space found
 * @min: the lowest index it may start at
 * @max: the highest index it may end at
 * @size: the number of indices (> 0)
 *
 * Free space is a NULL range (clipped to [@min, @max]).  mas_empty_area_rev
 * finds the highest instead: it ends as high as the space and @max allow.
 * Alignment is the caller's: ask for @size + align - 1 and round inside.
 * Context: the owner's lock, for reading at least.
 * Return: 0, -EBUSY (no space big enough), -EINVAL (@size 0, @min > @max
 * or the window smaller than @size).
 */
int mas_empty_area(struct ma_state *mas, unsigned long min, unsigned long max,
		   unsigned long size);
int mas_empty_area_rev(struct ma_state *mas, unsigned long min, unsigned long max,
		       unsigned long size);

/* ---- writing (Context: the owner's lock, for writing; may allocate with @gfp) ---- */

/**
 * mas_store_gfp - store @entry at [mas->index, mas->last].
 * @mas: the state; it is reset (ma_start) afterwards
 * @entry: the entry (NULL: erase the range)
 * @gfp: for node allocations
 *
 * What the range overwrites is gone; parts of other entries' ranges outside
 * it stay.  Neighbouring NULL ranges are joined into one.
 * Return: 0, -ENOMEM (the tree is unchanged), -EINVAL (last < index, or
 * @entry looks like a node).
 */
int mas_store_gfp(struct ma_state *mas, void *entry, gfp_t gfp);
/* mas_erase - erase the entry at mas->index (its whole range). Return: the entry, or NULL. */
void *mas_erase(struct ma_state *mas);
/* mtree_store_range - store @entry at [@first, @last]. Return: as mas_store_gfp(). */
int mtree_store_range(struct maple_tree *mt, unsigned long first, unsigned long last,
		      void *entry, gfp_t gfp);
/* mtree_erase - erase the entry at @index (its whole range). Return: the entry, or NULL. */
void *mtree_erase(struct maple_tree *mt, unsigned long index);
/* mtree_destroy - free every node; the tree is empty afterwards (entries are the caller's). */
void mtree_destroy(struct maple_tree *mt);

/**
 * mt_validate - check the whole tree.
 * @mt: the tree
 *
 * Pivots strictly increasing inside each node's [min, max], unused pivots
 * and slots zero, the node's maximum as the pivot after its last slot, no
 * NULL next to NULL (across nodes too), every non-root node at least
 * mt_min_slots full, all leaves at mt_height(), parent pointers naming the
 * parent and slot, gaps and metadata of maple_arange_64 nodes exact.
 * Context: the owner's lock, for reading at least.
 * Return: 0, or -EINVAL after pr_err() says what is wrong where.
 */
int mt_validate(struct maple_tree *mt);
/* Nodes in the tree (for statistics and tests). */
unsigned long mt_nr_nodes(struct maple_tree *mt);

/* The "maple_node" slab cache: created on first use in each boot; shutdown forgets it. */
void maple_tree_teardown(void);

#endif /* LINMM_MAPLE_TREE_H */
