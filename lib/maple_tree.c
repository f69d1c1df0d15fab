// SPDX-License-Identifier: MIT
/*
 * maple_tree.c - a B-tree of ranges with gap tracking (lib/maple_tree.c).
 *
 * The layout is in include/linmm/maple_tree.h.  A node does not store its
 * own range: the walk from the root derives it, a child covering from its
 * parent's previous pivot + 1 to its own pivot.  A node whose last used
 * slot is not its last slot stores its maximum as that slot's pivot, so a
 * walk for any index in the node stops at a used slot and the used count
 * can be read back (ma_data_end()).
 *
 * Reading walks down scanning pivots, at most 16 per level: a 60,000-VMA
 * address space is 4 levels deep instead of the ~20 of a red-black tree.
 * Iteration moves along a leaf and walks down afresh at its end.
 *
 * Writing (mas_store_gfp()): a store inside one leaf that keeps it between
 * mt_min_slots and full rewrites the leaf in place and carries the new
 * largest gap up the path (mas_wr_in_place(): most VMA changes).  Any
 * other store rebuilds the nodes on the path instead of editing them,
 * collecting the new content of a node in a "big node"
 * (struct maple_big_node) first:
 *
 *   leaf:      the ranges before the store (the one it cuts keeps its head),
 *              the stored range, the ranges after it (the cut one's tail)
 *   internal:  children before and after copied, the one or two children
 *              the range's ends fall in rebuilt recursively (each becomes
 *              0, 1 or 2 nodes of the same height), the children wholly
 *              inside the range freed with their subtrees
 *
 *       [ a | b | c | d ]        store over part of b .. part of d:
 *         |   |   |   |          b rebuilt (its head), c freed,
 *       [ a | b'| d'  ]          d rebuilt (stored range + d's tail)
 *
 * A big node above a node's capacity becomes two halves; a rebuilt node
 * below mt_min_slots is merged with a neighbour (and split again if the
 * two overflow), which may in turn leave the parent short; a root with
 * one child is replaced by that child and a full set of root children
 * gets a new root: all leaves stay at the same depth.  New nodes take
 * their parent pointers only at the end (ma_wr_commit()), when the old
 * nodes are freed; until then the tree is untouched, so an allocation
 * failure just frees the new nodes.  NULL stores first widen to the NULL
 * ranges next to them, so no two NULL ranges are ever adjacent and a
 * gap is always one slot, and gap[i] of an allocation-range node is the
 * largest NULL range below its slot i.
 *
 * Locks: none here; see the header (the owner's lock, MT_FLAGS_LOCK_EXTERN).
 * The "maple_node" cache is created on first use in each boot, under
 * maple_cache_lock.
 */
#include <limits.h>
#include <string.h>

#include <linmm/bug.h>
#include <linmm/gfp.h>
#include <linmm/maple_tree.h>
#include <linmm/printk.h>
#include <linmm/slab.h>
#include <linmm/spinlock.h>

#include "kernel/machine.h"

#define MAPLE_NODE_MASK		255UL
#define MAPLE_NODE_TYPE_SHIFT	3
#define MAPLE_NODE_TYPE_MASK	0x0fUL
#define MAPLE_ENODE_MARK	2UL	/* (x & 3) == 2: a node, never an entry */
#define MA_ROOT_PARENT		1UL
#define MAPLE_PARENT_SLOT_SHIFT	3
#define MAPLE_PARENT_RANGE64	2UL
#define MAPLE_PARENT_ARANGE64	4UL

/* A big node holds two full nodes and what a store adds to one. */
#define MAPLE_BIG_SLOTS		(2 * MAPLE_RANGE64_SLOTS + 8)
/* New and retired nodes of one store: a few per level. */
#define MA_WR_NODES		256

static const unsigned char mt_slots[] = {
	[maple_dense] = MAPLE_NODE_SLOTS,
	[maple_leaf_64] = MAPLE_RANGE64_SLOTS,
	[maple_range_64] = MAPLE_RANGE64_SLOTS,
	[maple_arange_64] = MAPLE_ARANGE64_SLOTS,
};

static const unsigned char mt_pivots[] = {
	[maple_dense] = 0,
	[maple_leaf_64] = MAPLE_RANGE64_SLOTS - 1,
	[maple_range_64] = MAPLE_RANGE64_SLOTS - 1,
	[maple_arange_64] = MAPLE_ARANGE64_SLOTS - 1,
};

/* The fill every node but the root keeps (the kernel's mt_min_slots). */
static const unsigned char mt_min_slots[] = {
	[maple_dense] = MAPLE_NODE_SLOTS / 2,
	[maple_leaf_64] = MAPLE_RANGE64_SLOTS / 2 - 2,
	[maple_range_64] = MAPLE_RANGE64_SLOTS / 2 - 2,
	[maple_arange_64] = MAPLE_ARANGE64_SLOTS / 2 - 1,
};

/* ---- the node cache ---- */

static struct kmem_cache *_Atomic maple_node_cache;
static _Atomic unsigned long maple_cache_boot;	/* linmm_boot_seq the cache belongs to */
static spinlock_t maple_cache_lock = __SPIN_LOCK_UNLOCKED;

static struct kmem_cache *maple_cache(void)
{
	struct kmem_cache *s = atomic_load_explicit(&maple_node_cache, memory_order_acquire);

	if (s && atomic_load_explicit(&maple_cache_boot, memory_order_relaxed) == linmm_boot_seq)
		return s;
	spin_lock(&maple_cache_lock);
	s = maple_node_cache;
	if (!s || maple_cache_boot != linmm_boot_seq) {
		/* Its own cache, never merged (6.18's sheaves keep it apart). */
		s = kmem_cache_create("maple_node", sizeof(struct maple_node),
				      sizeof(struct maple_node), SLAB_NO_MERGE, NULL);
		maple_cache_boot = linmm_boot_seq;
		atomic_store_explicit(&maple_node_cache, s, memory_order_release);
	}
	spin_unlock(&maple_cache_lock);
	return s;
}

void maple_tree_teardown(void)
{
	spin_lock(&maple_cache_lock);
	if (maple_node_cache && maple_cache_boot == linmm_boot_seq)
		kmem_cache_destroy(maple_node_cache);
	maple_node_cache = NULL;
	spin_unlock(&maple_cache_lock);
}

static struct maple_node *mt_alloc_one(gfp_t gfp)
{
	struct kmem_cache *s = maple_cache();
	struct maple_node *node = s ? kmem_cache_zalloc(s, gfp) : NULL;

	/* The low 8 bits of a node's address carry its type and the parent's slot. */
	BUG_ON((unsigned long)node & MAPLE_NODE_MASK);
	return node;
}

static void mt_free_one(struct maple_node *node)
{
	kmem_cache_free(maple_node_cache, node);
}

/* ---- encodings and node accessors ---- */

static inline struct maple_node *mte_to_node(const struct maple_enode *enode)
{
	return (struct maple_node *)((unsigned long)enode & ~MAPLE_NODE_MASK);
}

static inline enum maple_type mte_node_type(const struct maple_enode *enode)
{
	return ((unsigned long)enode >> MAPLE_NODE_TYPE_SHIFT) & MAPLE_NODE_TYPE_MASK;
}

static inline struct maple_enode *mt_mk_node(const struct maple_node *node, enum maple_type type)
{
	return (struct maple_enode *)((unsigned long)node | (type << MAPLE_NODE_TYPE_SHIFT) |
				      MAPLE_ENODE_MARK);
}

static inline bool mt_is_node(const void *entry)
{
	return ((unsigned long)entry & 3) == MAPLE_ENODE_MARK && (unsigned long)entry > 4096;
}

static inline bool ma_is_leaf(enum maple_type type)
{
	return type < maple_range_64;
}

static inline enum maple_type mt_internal_type(const struct maple_tree *mt)
{
	return (mt->ma_flags & MT_FLAGS_ALLOC_RANGE) ? maple_arange_64 : maple_range_64;
}

static inline unsigned long *ma_pivots(struct maple_node *node, enum maple_type type)
{
	return type == maple_arange_64 ? node->ma64.pivot : node->mr64.pivot;
}

static inline void **ma_slots(struct maple_node *node, enum maple_type type)
{
	return type == maple_arange_64 ? node->ma64.slot : node->mr64.slot;
}

static inline unsigned long *ma_gaps(struct maple_node *node, enum maple_type type)
{
	return type == maple_arange_64 ? node->ma64.gap : NULL;
}

static inline struct maple_pnode *ma_parent_ptr(const struct maple_node *parent,
						enum maple_type ptype, unsigned int slot)
{
	return (struct maple_pnode *)((unsigned long)parent | (slot << MAPLE_PARENT_SLOT_SHIFT) |
				      (ptype == maple_arange_64 ? MAPLE_PARENT_ARANGE64
								: MAPLE_PARENT_RANGE64));
}

static inline struct maple_pnode *ma_root_parent(const struct maple_tree *mt)
{
	return (struct maple_pnode *)((unsigned long)mt | MA_ROOT_PARENT);
}

/* A node retired during a store points at itself (the kernel's dead node). */
static inline void ma_set_node_dead(struct maple_node *node)
{
	node->parent = (struct maple_pnode *)node;
}

static inline bool ma_node_dead(const struct maple_node *node)
{
	return node->parent == (const struct maple_pnode *)node;
}

/* The last used slot of @node, whose range ends at @max. */
static unsigned char ma_data_end(struct maple_node *node, enum maple_type type, unsigned long max)
{
	const unsigned long *pivots;
	unsigned char i;

	if (type == maple_arange_64)
		return node->ma64.meta.end;
	pivots = node->mr64.pivot;
	for (i = 0; i < mt_pivots[type]; i++)
		if (pivots[i] >= max)
			return i;
	return mt_pivots[type];
}

/* The number of indices in [lo, hi], saturated: the whole space counts ULONG_MAX. */
static inline unsigned long ma_range_size(unsigned long lo, unsigned long hi)
{
	return hi - lo == ULONG_MAX ? ULONG_MAX : hi - lo + 1;
}

static inline void mt_set_height(struct maple_tree *mt, unsigned int height)
{
	mt->ma_flags = (mt->ma_flags & ~MT_FLAGS_HEIGHT_MASK) | (height << MT_FLAGS_HEIGHT_OFFSET);
}

/* ---- reading ---- */

/*
 * The slot of @node (of @type) whose range holds @index; *@min and *@max,
 * the node's range on entry, narrow to the slot's.  Pivot k ends slot k:
 *
 *   *min          pivots[0]   pivots[1]            *max
 *   |-- slot 0 --||-- slot 1 --||-- ... last slot --|
 */
static unsigned char ma_pivot_offset(struct maple_node *node, enum maple_type type,
				     unsigned long index, unsigned long *min, unsigned long *max)
{
	const unsigned long *pivots = ma_pivots(node, type);
	unsigned char npivots = mt_pivots[type], offset = 0;

	while (offset < npivots && pivots[offset] < index)
		offset++;
	if (offset)
		*min = pivots[offset - 1] + 1;
	if (offset < npivots)
		*max = pivots[offset];
	return offset;
}

/* The end of slot @offset of @mas's leaf. */
static inline unsigned long mas_slot_max(const struct ma_state *mas, unsigned char offset)
{
	return offset < mt_pivots[maple_leaf_64] ? mte_to_node(mas->node)->mr64.pivot[offset]
						  : mas->max;
}

static inline void *mas_slot_entry(const struct ma_state *mas)
{
	return mte_to_node(mas->node)->mr64.slot[mas->offset];
}

/*
 * Walk down to the leaf range holding @index: mas->node/min/max the leaf,
 * mas->index/last the range.  Return: its entry (NULL: empty range or tree).
 */
static void *mas_descend(struct ma_state *mas, unsigned long index)
{
	struct maple_enode *enode = mas->tree->ma_root;
	unsigned long min = 0, max = ULONG_MAX;

	if (!enode) {
		mas->status = ma_none;
		mas->node = NULL;
		mas->index = 0;
		mas->last = ULONG_MAX;
		return NULL;
	}
	for (;;) {
		enum maple_type type = mte_node_type(enode);
		struct maple_node *node = mte_to_node(enode);
		unsigned long lo = min, hi = max;
		unsigned char offset = ma_pivot_offset(node, type, index, &lo, &hi);

		if (ma_is_leaf(type)) {
			mas->node = enode;
			mas->min = min;
			mas->max = max;
			mas->offset = offset;
			mas->index = lo;
			mas->last = hi;
			mas->status = ma_active;
			return node->mr64.slot[offset];
		}
		enode = ma_slots(node, type)[offset];
		min = lo;
		max = hi;
	}
}

/* Move @mas to the next range. Return: false at the end of the index space. */
static bool mas_next_range(struct ma_state *mas)
{
	if (mas->last == mas->max) {
		if (mas->max == ULONG_MAX)
			return false;
		mas_descend(mas, mas->max + 1);
		return true;
	}
	mas->offset++;
	mas->index = mas->last + 1;
	mas->last = mas_slot_max(mas, mas->offset);
	return true;
}

/* Move @mas to the previous range. Return: false at index 0. */
static bool mas_prev_range(struct ma_state *mas)
{
	if (mas->index == mas->min) {
		if (!mas->min)
			return false;
		mas_descend(mas, mas->min - 1);
		return true;
	}
	mas->offset--;
	mas->last = mas->index - 1;
	mas->index = mas->offset ? mas_slot_max(mas, mas->offset - 1) + 1 : mas->min;
	return true;
}

void *mtree_load(struct maple_tree *mt, unsigned long index)
{
	MA_STATE(mas, mt, index, index);

	return mas_descend(&mas, index);
}

void *mas_walk(struct ma_state *mas)
{
	return mas_descend(mas, mas->index);
}

/* The next non-empty range after the current one, up to @max; NULL and ma_overflow past it. */
static void *mas_next_entry(struct ma_state *mas, unsigned long max)
{
	void *entry;

	for (;;) {
		if (!mas_next_range(mas) || mas->index > max) {
			mas->status = ma_overflow;
			return NULL;
		}
		entry = mas_slot_entry(mas);
		if (entry)
			return entry;
	}
}

/*
 * Ready @mas for a step: from ma_start, walk down to mas->index (*@entry its
 * entry, else NULL).  Return: false if there is nothing to step through (an
 * empty tree, or @mas past either end).
 */
static bool mas_step_start(struct ma_state *mas, void **entry)
{
	*entry = NULL;
	if (mas->status == ma_start) {
		*entry = mas_descend(mas, mas->index);
		return mas->status != ma_none;
	}
	return mas->status == ma_active;
}

/* mas_find(): from ma_start, the entry at mas->index counts; mas_next(): it does not. */

void *mas_find(struct ma_state *mas, unsigned long max)
{
	void *entry;

	if (!mas_step_start(mas, &entry))
		return NULL;
	return entry ?: mas_next_entry(mas, max);
}

void *mas_next(struct ma_state *mas, unsigned long max)
{
	void *entry;

	if (!mas_step_start(mas, &entry))
		return NULL;
	return mas_next_entry(mas, max);
}

void *mas_prev(struct ma_state *mas, unsigned long min)
{
	void *entry;

	if (!mas_step_start(mas, &entry))
		return NULL;
	for (;;) {
		if (!mas_prev_range(mas) || mas->last < min) {
			mas->status = ma_underflow;
			return NULL;
		}
		entry = mas_slot_entry(mas);
		if (entry)
			return entry;
	}
}

void *mt_find(struct maple_tree *mt, unsigned long *index, unsigned long max)
{
	MA_STATE(mas, mt, *index, *index);
	void *entry = mas_find(&mas, max);

	if (entry)
		*index = mas.last + 1;
	return entry;
}

void *mt_next(struct maple_tree *mt, unsigned long index, unsigned long max)
{
	MA_STATE(mas, mt, index, index);

	return mas_next(&mas, max);
}

void *mt_prev(struct maple_tree *mt, unsigned long index, unsigned long min)
{
	MA_STATE(mas, mt, index, index);

	return mas_prev(&mas, min);
}

/* ---- free space ---- */

struct ma_gap_req {
	unsigned long min, max, size;	/* the window and the size wanted */
	bool rev;			/* the highest fit, not the lowest */
	unsigned long lo, hi;		/* the NULL range found, clipped to the window */
};

/*
 * Depth-first over the slots of @enode ([nmin, nmax]) that meet the window,
 * lowest first (highest when rev), skipping subtrees whose gap is too small.
 */
static bool mas_empty_node(struct maple_enode *enode, unsigned long nmin, unsigned long nmax,
			   struct ma_gap_req *r)
{
	enum maple_type type = mte_node_type(enode);
	struct maple_node *node = mte_to_node(enode);
	const unsigned long *pivots = ma_pivots(node, type), *gaps = ma_gaps(node, type);
	void **slots = ma_slots(node, type);
	int end = ma_data_end(node, type, nmax), npivots = mt_pivots[type];
	int i = r->rev ? end : 0, step = r->rev ? -1 : 1;

	for (; i >= 0 && i <= end; i += step) {
		unsigned long lo = i ? pivots[i - 1] + 1 : nmin;
		unsigned long hi = i < npivots ? pivots[i] : nmax;

		if (hi < r->min) {
			if (r->rev)
				break;
			continue;
		}
		if (lo > r->max) {
			if (!r->rev)
				break;
			continue;
		}
		if (ma_is_leaf(type)) {
			unsigned long a = max(lo, r->min), b = min(hi, r->max);

			if (!slots[i] && b - a >= r->size - 1) {
				r->lo = a;
				r->hi = b;
				return true;
			}
		} else if ((!gaps || gaps[i] >= r->size) && mas_empty_node(slots[i], lo, hi, r)) {
			return true;
		}
	}
	return false;
}

static int mas_empty_search(struct ma_state *mas, unsigned long min, unsigned long max,
			    unsigned long size, bool rev)
{
	struct ma_gap_req r = { .min = min, .max = max, .size = size, .rev = rev };

	if (!size || min > max || max - min < size - 1)
		return -EINVAL;
	if (!mas->tree->ma_root) {
		r.lo = min;
		r.hi = max;
	} else if (!mas_empty_node(mas->tree->ma_root, 0, ULONG_MAX, &r)) {
		return -EBUSY;
	}
	if (rev) {
		mas->last = r.hi;
		mas->index = r.hi - (size - 1);
	} else {
		mas->index = r.lo;
		mas->last = r.lo + (size - 1);
	}
	mas->status = ma_start;
	mas->node = NULL;
	return 0;
}

int mas_empty_area(struct ma_state *mas, unsigned long min, unsigned long max,
		   unsigned long size)
{
	return mas_empty_search(mas, min, max, size, /* rev = */ false);
}

int mas_empty_area_rev(struct ma_state *mas, unsigned long min, unsigned long max,
		       unsigned long size)
{
	return mas_empty_search(mas, min, max, size, /* rev = */ true);
}

/* ---- writing ---- */

/*
 * The content of one or two nodes being built: ranges (leaf) or children
 * (internal), each with its last index; the first starts at @min.
 */
struct maple_big_node {
	unsigned long min;
	unsigned int n;
	int hot;	/* where the store landed (-1: nowhere in particular) */
	unsigned long pivot[MAPLE_BIG_SLOTS];
	void *slot[MAPLE_BIG_SLOTS];
	unsigned long gap[MAPLE_BIG_SLOTS];	/* children: their largest gap */
	bool under[MAPLE_BIG_SLOTS];		/* children: below mt_min_slots */
};

/* One store: the range and entry, the nodes made, the nodes to free when done. */
struct ma_wr_state {
	struct maple_tree *mt;
	unsigned long index, last;
	void *entry;
	gfp_t gfp;
	bool joined;		/* a NULL store has taken in its NULL neighbours */
	unsigned int nr_new, nr_old, nr_dead;
	struct maple_enode *new_nodes[MA_WR_NODES];
	struct maple_node *old_nodes[MA_WR_NODES];
	struct maple_enode *dead[MA_WR_NODES];	/* whole subtrees */
};

static void mab_push(struct maple_big_node *b, unsigned long pivot, void *slot,
		     unsigned long gap, bool under)
{
	BUG_ON(b->n >= MAPLE_BIG_SLOTS);
	b->pivot[b->n] = pivot;
	b->slot[b->n] = slot;
	b->gap[b->n] = gap;
	b->under[b->n] = under;
	b->n++;
}

/* Node @enode's item count, for a node covering up to @max. */
static unsigned int mte_count(struct maple_enode *enode, unsigned long max)
{
	return ma_data_end(mte_to_node(enode), mte_node_type(enode), max) + 1;
}

/*
 * Append @enode's ranges or children ([min, max]) to @b.  @check: find out
 * which children are short (only an internal node that is itself short
 * can have one: see mab_rebalance()).
 */
static void mab_append_node(struct maple_big_node *b, struct maple_enode *enode,
			    unsigned long min, unsigned long max, bool check)
{
	enum maple_type type = mte_node_type(enode);
	struct maple_node *node = mte_to_node(enode);
	const unsigned long *pivots = ma_pivots(node, type), *gaps = ma_gaps(node, type);
	void **slots = ma_slots(node, type);
	unsigned int i, end = ma_data_end(node, type, max), npivots = mt_pivots[type];

	for (i = 0; i <= end; i++) {
		unsigned long hi = i < npivots ? pivots[i] : max;
		bool under = false;

		if (check && !ma_is_leaf(type))
			under = mte_count(slots[i], hi) < mt_min_slots[mte_node_type(slots[i])];
		mab_push(b, hi, slots[i], gaps ? gaps[i] : 0, under);
	}
}

/* @enode is replaced: a node of this store dies now, an old one when it commits. */
static void ma_wr_retire(struct ma_wr_state *wr, struct maple_enode *enode)
{
	struct maple_node *node = mte_to_node(enode);

	if (!node->parent) {
		ma_set_node_dead(node);
		return;
	}
	BUG_ON(wr->nr_old >= MA_WR_NODES);
	wr->old_nodes[wr->nr_old++] = node;
}

/*
 * Fill @node (of @type, zeroed or to be overwritten whole) with @cnt items of
 * @b from @first, the first starting at @min.  Return: its largest gap.
 */
static unsigned long ma_fill_node(struct maple_node *node, enum maple_type type,
				  const struct maple_big_node *b, unsigned int first,
				  unsigned int cnt, unsigned long min)
{
	unsigned long *pivots = ma_pivots(node, type), *gaps = ma_gaps(node, type);
	unsigned int i, npivots = mt_pivots[type], gap_off = 0;
	void **slots = ma_slots(node, type);
	unsigned long lo = min, max_gap = 0;

	for (i = 0; i < mt_slots[type]; i++) {
		unsigned long hi, gap;
		void *slot;

		if (i >= cnt) {
			if (i < npivots)
				pivots[i] = 0;
			slots[i] = NULL;
			if (gaps)
				gaps[i] = 0;
			continue;
		}
		hi = b->pivot[first + i];
		slot = b->slot[first + i];
		if (i < npivots)
			pivots[i] = hi;
		slots[i] = slot;
		if (ma_is_leaf(type))
			gap = slot ? 0 : ma_range_size(lo, hi);
		else
			gap = b->gap[first + i];
		if (gaps)
			gaps[i] = gap;
		if (gap > max_gap) {
			max_gap = gap;
			gap_off = i;
		}
		lo = hi + 1;
	}
	if (type == maple_arange_64) {
		node->ma64.meta.end = cnt - 1;
		node->ma64.meta.gap = gap_off;
	}
	return max_gap;
}

/* Write @cnt items of @b from @first into a new node of @type starting at @min; push it to @out. */
static int mab_emit(struct ma_wr_state *wr, const struct maple_big_node *b, unsigned int first,
		    unsigned int cnt, enum maple_type type, unsigned long min,
		    struct maple_big_node *out)
{
	struct maple_node *node = mt_alloc_one(wr->gfp);
	unsigned long max_gap;

	if (!node)
		return -ENOMEM;
	BUG_ON(wr->nr_new >= MA_WR_NODES || cnt > mt_slots[type] || !cnt);
	wr->new_nodes[wr->nr_new++] = mt_mk_node(node, type);
	max_gap = ma_fill_node(node, type, b, first, cnt, min);
	mab_push(out, b->pivot[first + cnt - 1], mt_mk_node(node, type), max_gap,
		 cnt < mt_min_slots[type]);
	return 0;
}

/* Write @b as nodes of @type: one, or two halves if it does not fit. */
static int mab_emit_all(struct ma_wr_state *wr, const struct maple_big_node *b,
			enum maple_type type, struct maple_big_node *out)
{
	unsigned int split;
	int err;

	if (!b->n)
		return 0;
	if (b->n <= mt_slots[type])
		return mab_emit(wr, b, 0, b->n, type, b->min, out);
	BUG_ON(b->n > 2 * mt_slots[type]);
	/*
	 * Even halves, except when the store landed at one end: then the
	 * other half is left as full as the short one's minimum allows, so
	 * that ascending (or descending) inserts leave full nodes behind.
	 */
	split = (b->n + 1) / 2;
	if (b->hot >= 0 && b->hot + 3 >= (int)b->n)
		split = min(b->n - mt_min_slots[type], (unsigned int)mt_slots[type]);
	else if (b->hot >= 0 && b->hot <= 2)
		split = max(mt_min_slots[type], b->n - mt_slots[type]);
	err = mab_emit(wr, b, 0, split, type, b->min, out);
	if (err)
		return err;
	return mab_emit(wr, b, split, b->n - split, type, b->pivot[split - 1] + 1, out);
}

static int mab_rebalance(struct ma_wr_state *wr, struct maple_big_node *b);

/* Replace children @lo and @lo + 1 of @b by their merge (one node, or two again). */
static int mab_merge_pair(struct ma_wr_state *wr, struct maple_big_node *b, unsigned int lo)
{
	struct maple_big_node m, out;
	struct maple_enode *left = b->slot[lo], *right = b->slot[lo + 1];
	enum maple_type type = mte_node_type(left);
	unsigned long min = lo ? b->pivot[lo - 1] + 1 : b->min;
	unsigned int i;
	int err;

	m.n = 0;
	m.hot = -1;
	m.min = min;
	mab_append_node(&m, left, min, b->pivot[lo], b->under[lo]);
	mab_append_node(&m, right, b->pivot[lo] + 1, b->pivot[lo + 1], b->under[lo + 1]);
	ma_wr_retire(wr, left);
	ma_wr_retire(wr, right);
	if (!ma_is_leaf(type)) {
		err = mab_rebalance(wr, &m);
		if (err)
			return err;
	}
	out.n = 0;
	out.hot = -1;
	out.min = min;
	err = mab_emit_all(wr, &m, type, &out);
	if (err)
		return err;
	/* out has 1 or 2 nodes in place of the 2. */
	if (out.n == 1) {
		for (i = lo + 1; i + 1 < b->n; i++) {
			b->pivot[i] = b->pivot[i + 1];
			b->slot[i] = b->slot[i + 1];
			b->gap[i] = b->gap[i + 1];
			b->under[i] = b->under[i + 1];
		}
		b->n--;
	}
	for (i = 0; i < out.n; i++) {
		b->pivot[lo + i] = out.pivot[i];
		b->slot[lo + i] = out.slot[i];
		b->gap[lo + i] = out.gap[i];
		b->under[lo + i] = out.under[i];
	}
	return 0;
}

/*
 * Merge every short child of @b with a neighbour until none is short or
 * only one child is left (then the node holding @b is short itself and its
 * parent rebalances it).
 */
static int mab_rebalance(struct ma_wr_state *wr, struct maple_big_node *b)
{
	unsigned int i = 0;

	while (i < b->n && b->n > 1) {
		unsigned int lo;
		int err;

		if (!b->under[i]) {
			i++;
			continue;
		}
		lo = i + 1 < b->n ? i : i - 1;
		err = mab_merge_pair(wr, b, lo);
		if (err)
			return err;
		i = lo;
	}
	return 0;
}

static int mas_wr_node(struct ma_wr_state *wr, struct maple_enode *enode, unsigned long min,
		       unsigned long max, struct maple_big_node *out);

/*
 * The new content of leaf @node ([min, max]) in @b: the ranges before the
 * store (the cut one keeps its head), the stored range if it ends here,
 * the ranges after it (the cut one keeps its tail).
 */
static void mab_leaf_store(const struct ma_wr_state *wr, struct maple_node *node,
			   unsigned long min, unsigned long max, struct maple_big_node *b)
{
	const unsigned long *pivots = node->mr64.pivot;
	unsigned int i, end = ma_data_end(node, maple_leaf_64, max);
	unsigned long lo = min;
	bool stored = false;

	b->n = 0;
	b->hot = -1;
	b->min = min < wr->index ? min : wr->index;
	for (i = 0; i <= end; i++) {
		unsigned long hi = i < mt_pivots[maple_leaf_64] ? pivots[i] : max;
		void *entry = node->mr64.slot[i];

		if (hi < wr->index) {
			mab_push(b, hi, entry, 0, false);
		} else {
			if (lo < wr->index)
				mab_push(b, wr->index - 1, entry, 0, false);
			if (!stored && wr->last <= max) {
				b->hot = b->n;
				mab_push(b, wr->last, wr->entry, 0, false);
				stored = true;
			}
			if (hi > wr->last)
				mab_push(b, hi, entry, 0, false);
		}
		lo = hi + 1;
	}
}

/* Rebuild leaf @enode ([min, max]) for the store, appending its replacement to @out. */
static int mas_wr_leaf(struct ma_wr_state *wr, struct maple_enode *enode, unsigned long min,
		       unsigned long max, struct maple_big_node *out)
{
	struct maple_big_node b;

	mab_leaf_store(wr, mte_to_node(enode), min, max, &b);
	ma_wr_retire(wr, enode);
	return mab_emit_all(wr, &b, maple_leaf_64, out);
}

/* Rebuild internal node @enode ([min, max]) for the store, appending its replacement to @out. */
static int mas_wr_internal(struct ma_wr_state *wr, struct maple_enode *enode,
			   unsigned long min, unsigned long max, struct maple_big_node *out)
{
	enum maple_type type = mte_node_type(enode);
	struct maple_node *node = mte_to_node(enode);
	const unsigned long *pivots = ma_pivots(node, type), *gaps = ma_gaps(node, type);
	void **slots = ma_slots(node, type);
	unsigned int i, end = ma_data_end(node, type, max), npivots = mt_pivots[type];
	unsigned long lo = min;
	struct maple_big_node b;
	int err;

	b.n = 0;
	b.hot = -1;
	b.min = min < wr->index ? min : wr->index;
	for (i = 0; i <= end; i++) {
		unsigned long hi = i < npivots ? pivots[i] : max;

		if (hi < wr->index || lo > wr->last) {
			mab_push(&b, hi, slots[i], gaps ? gaps[i] : 0, false);
		} else if ((lo <= wr->index && wr->index <= hi) ||
			   (lo <= wr->last && wr->last <= hi)) {
			if (b.hot < 0)
				b.hot = b.n;
			err = mas_wr_node(wr, slots[i], lo, hi, &b);
			if (err)
				return err;
		} else {
			BUG_ON(wr->nr_dead >= MA_WR_NODES);
			wr->dead[wr->nr_dead++] = slots[i];
		}
		lo = hi + 1;
	}
	ma_wr_retire(wr, enode);
	err = mab_rebalance(wr, &b);
	if (err)
		return err;
	return mab_emit_all(wr, &b, type, out);
}

static int mas_wr_node(struct ma_wr_state *wr, struct maple_enode *enode, unsigned long min,
		       unsigned long max, struct maple_big_node *out)
{
	if (ma_is_leaf(mte_node_type(enode)))
		return mas_wr_leaf(wr, enode, min, max, out);
	return mas_wr_internal(wr, enode, min, max, out);
}

static void mt_free_subtree(struct maple_enode *enode)
{
	enum maple_type type = mte_node_type(enode);
	struct maple_node *node = mte_to_node(enode);
	unsigned int i;

	if (!ma_is_leaf(type)) {
		void **slots = ma_slots(node, type);

		for (i = 0; i < mt_slots[type] && slots[i]; i++)
			mt_free_subtree(slots[i]);
	}
	mt_free_one(node);
}

/* Install @root (of @height): parent pointers of the new nodes, then free the old ones. */
static void ma_wr_commit(struct ma_wr_state *wr, struct maple_enode *root, unsigned int height)
{
	struct maple_tree *mt = wr->mt;
	unsigned int i, j;

	mt->ma_root = root;
	mt_set_height(mt, height);
	if (root)
		mte_to_node(root)->parent = ma_root_parent(mt);
	for (i = 0; i < wr->nr_new; i++) {
		struct maple_enode *enode = wr->new_nodes[i];
		enum maple_type type = mte_node_type(enode);
		struct maple_node *node = mte_to_node(enode);
		void **slots;

		if (ma_node_dead(node)) {
			mt_free_one(node);
			continue;
		}
		if (ma_is_leaf(type))
			continue;
		slots = ma_slots(node, type);
		for (j = 0; j < mt_slots[type] && slots[j]; j++)
			mte_to_node(slots[j])->parent = ma_parent_ptr(node, type, j);
	}
	for (i = 0; i < wr->nr_old; i++)
		mt_free_one(wr->old_nodes[i]);
	for (i = 0; i < wr->nr_dead; i++)
		mt_free_subtree(wr->dead[i]);
}

static inline void ma_leaf_set(struct maple_node *leaf, unsigned int k, unsigned long pivot,
			       void *entry)
{
	if (k < mt_pivots[maple_leaf_64])
		leaf->mr64.pivot[k] = pivot;
	leaf->mr64.slot[k] = entry;
}

/*
 * The common store: it stays inside one leaf, which neither overflows nor
 * falls short.  The leaf's slots i..j that the range [index, last] touches
 * are replaced in place (readers are excluded by the owner's lock):
 *
 *	slots   ... [ i ][ ... ][ j ] ...
 *	become  ... [head][new][tail] ...   (head: the part of i before index,
 *	                                     tail: the part of j after last)
 *
 * A NULL store first takes in NULL neighbours in the leaf.  The new largest
 * gap then climbs the path until a parent's largest gap does not change.
 * Nothing is allocated.
 * Return: true if done, false if the store needs the full path (it spans
 * leaves, the leaf would overflow or fall short, or a NULL store may join
 * a NULL range in the next or previous leaf and @wr->joined is not set).
 */
static bool mas_wr_in_place(struct ma_wr_state *wr)
{
	struct {
		struct maple_node *node;
		unsigned char offset;
	} path[MAPLE_HEIGHT_MAX];
	const unsigned int npivots = mt_pivots[maple_leaf_64];
	struct maple_enode *enode = wr->mt->ma_root;
	unsigned long min = 0, max = ULONG_MAX, index = wr->index, last = wr->last;
	unsigned long lo_i, hi_j, gap, lo, saved_pivot[MAPLE_RANGE64_SLOTS];
	void *saved_slot[MAPLE_RANGE64_SLOTS], *entry_i, *entry_j;
	unsigned int depth = 0, i, j, k, n, end, nsaved;
	struct maple_node *leaf;
	unsigned long *pivots;
	bool head, tail;
	void **slots;

	for (;;) {
		enum maple_type type = mte_node_type(enode);
		struct maple_node *node = mte_to_node(enode);
		unsigned char offset;

		if (ma_is_leaf(type))
			break;
		offset = ma_pivot_offset(node, type, index, &min, &max);
		path[depth].node = node;
		path[depth].offset = offset;
		depth++;
		enode = ma_slots(node, type)[offset];
	}
	if (last > max)
		return false;
	leaf = mte_to_node(enode);
	pivots = leaf->mr64.pivot;
	slots = leaf->mr64.slot;
	end = ma_data_end(leaf, maple_leaf_64, max);
#define LEAF_HI(k) ((k) < npivots ? pivots[k] : max)
#define LEAF_LO(k) ((k) ? pivots[(k) - 1] + 1 : min)
	for (i = 0; i < end && pivots[i] < index; i++)
		;
	for (j = i; j < end && pivots[j] < last; j++)
		;
	if (!wr->entry) {
		if (!slots[i]) {
			index = LEAF_LO(i);
		} else if (index == LEAF_LO(i) && i && !slots[i - 1]) {
			i--;
			index = LEAF_LO(i);
		} else if (index == min && !i && min && !wr->joined) {
			return false;	/* the previous leaf may end with NULL */
		}
		if (!slots[j]) {
			last = LEAF_HI(j);
		} else if (last == LEAF_HI(j) && j < end && !slots[j + 1]) {
			j++;
			last = LEAF_HI(j);
		} else if (last == max && j == end && max != ULONG_MAX && !wr->joined) {
			return false;	/* the next leaf may start with NULL */
		}
		wr->index = index;
		wr->last = last;
	}
	lo_i = LEAF_LO(i);
	hi_j = LEAF_HI(j);
	head = lo_i < index;
	tail = hi_j > last;
	n = i + head + 1 + tail + (end - j);
	if (n > MAPLE_RANGE64_SLOTS || (depth && n < mt_min_slots[maple_leaf_64]) ||
	    (!depth && n == 1 && !wr->entry))
		return false;
	if (!head && !tail && i == j) {
		slots[i] = wr->entry;		/* exactly one range: replace its entry */
	} else {
		entry_i = slots[i];
		entry_j = slots[j];
		for (nsaved = 0, k = j + 1; k <= end; k++, nsaved++) {
			saved_pivot[nsaved] = LEAF_HI(k);
			saved_slot[nsaved] = slots[k];
		}
		k = i;
		if (head)
			ma_leaf_set(leaf, k++, index - 1, entry_i);
		ma_leaf_set(leaf, k++, last, wr->entry);
		if (tail)
			ma_leaf_set(leaf, k++, hi_j, entry_j);
		for (j = 0; j < nsaved; j++)
			ma_leaf_set(leaf, k++, saved_pivot[j], saved_slot[j]);
		for (; k <= end; k++)		/* past the old end all is zero already */
			ma_leaf_set(leaf, k, 0, NULL);
	}
	if (mt_internal_type(wr->mt) != maple_arange_64)
		return true;
	for (gap = 0, lo = min, k = 0; k < n; k++) {
		unsigned long hi = LEAF_HI(k);

		if (!slots[k] && ma_range_size(lo, hi) > gap)
			gap = ma_range_size(lo, hi);
		lo = hi + 1;
	}
#undef LEAF_HI
#undef LEAF_LO
	while (depth--) {
		struct maple_arange_64 *an = &path[depth].node->ma64;
		unsigned int off = 0, slot = path[depth].offset;
		unsigned long old_max;

		if (an->gap[slot] == gap)
			break;
		old_max = an->gap[an->meta.gap];
		an->gap[slot] = gap;
		for (k = 1; k <= an->meta.end; k++)
			if (an->gap[k] > an->gap[off])
				off = k;
		an->meta.gap = off;
		gap = an->gap[off];
		if (gap == old_max)
			break;	/* the parent's view of this node is unchanged */
	}
	return true;
}

/* Build the new tree for @wr and commit it; on failure free what was built. */
static int mas_wr_store(struct ma_wr_state *wr)
{
	struct maple_tree *mt = wr->mt;
	struct maple_enode *root = mt->ma_root;
	unsigned int height = root ? mt_height(mt) : 1, i;
	struct maple_big_node out, top;
	int err;

	if (root && mas_wr_in_place(wr))
		return 0;
	out.n = 0;
	out.hot = -1;
	out.min = 0;
	if (!root) {
		top.n = 0;
		top.hot = -1;
		top.min = 0;
		if (wr->index)
			mab_push(&top, wr->index - 1, NULL, 0, false);
		mab_push(&top, wr->last, wr->entry, 0, false);
		if (wr->last != ULONG_MAX)
			mab_push(&top, ULONG_MAX, NULL, 0, false);
		err = mab_emit_all(wr, &top, maple_leaf_64, &out);
	} else {
		err = mas_wr_node(wr, root, 0, ULONG_MAX, &out);
	}
	while (!err && out.n > 1) {
		err = mab_rebalance(wr, &out);
		if (err || out.n == 1)
			break;
		top.n = 0;
		top.hot = -1;
		top.min = 0;
		err = mab_emit_all(wr, &out, mt_internal_type(mt), &top);
		out = top;
		height++;
	}
	if (err)
		goto out_free;
	root = out.slot[0];
	/* A root with one child gives way to it; a leaf root of one NULL range is no tree. */
	while (!ma_is_leaf(mte_node_type(root)) && mte_count(root, ULONG_MAX) == 1) {
		struct maple_enode *child = ma_slots(mte_to_node(root), mte_node_type(root))[0];

		ma_wr_retire(wr, root);
		root = child;
		height--;
	}
	if (ma_is_leaf(mte_node_type(root)) && mte_count(root, ULONG_MAX) == 1 &&
	    !mte_to_node(root)->mr64.slot[0]) {
		ma_wr_retire(wr, root);
		root = NULL;
		height = 0;
	}
	ma_wr_commit(wr, root, height);
	return 0;

out_free:
	for (i = 0; i < wr->nr_new; i++)
		mt_free_one(mte_to_node(wr->new_nodes[i]));
	return err;
}

/* The range holding @index: from @mas's leaf when it covers @index, else by a walk. */
static void *mas_leaf_range(struct ma_state *mas, unsigned long index)
{
	unsigned long lo, hi;

	if (mas->status != ma_active || index < mas->min || index > mas->max)
		return mas_descend(mas, index);
	lo = mas->min;
	hi = mas->max;
	mas->offset = ma_pivot_offset(mte_to_node(mas->node), maple_leaf_64, index, &lo, &hi);
	mas->index = lo;
	mas->last = hi;
	return mas_slot_entry(mas);
}

int mas_store_gfp(struct ma_state *mas, void *entry, gfp_t gfp)
{
	struct ma_wr_state wr;	/* the node lists are only filled as far as counted */

	mas_reset(mas);
	if (WARN_ON_ONCE(mas->last < mas->index || mt_is_node(entry)))
		return -EINVAL;
	wr.mt = mas->tree;
	wr.index = mas->index;
	wr.last = mas->last;
	wr.entry = entry;
	wr.gfp = gfp;
	wr.nr_new = wr.nr_old = wr.nr_dead = 0;
	wr.joined = false;
	if (!mas->tree->ma_root && !entry)
		return 0;
	if (mas->tree->ma_root && mas_wr_in_place(&wr))
		return 0;
	if (!entry) {
		MA_STATE(nb, mas->tree, 0, 0);

		/* Join the NULL ranges on either side. */
		if (wr.index && !mas_descend(&nb, wr.index - 1))
			wr.index = nb.index;
		if (wr.last != ULONG_MAX && !mas_leaf_range(&nb, wr.last + 1))
			wr.last = nb.last;
		wr.joined = true;
	}
	return mas_wr_store(&wr);
}

void *mas_erase(struct ma_state *mas)
{
	void *entry = mas_walk(mas);

	if (!entry)
		return NULL;
	/* The kernel retries with GFP_KERNEL; here the caller cannot fail. */
	WARN_ON(mas_store_gfp(mas, NULL, GFP_KERNEL | __GFP_NOFAIL));
	return entry;
}

int mtree_store_range(struct maple_tree *mt, unsigned long first, unsigned long last,
		      void *entry, gfp_t gfp)
{
	MA_STATE(mas, mt, first, last);

	return mas_store_gfp(&mas, entry, gfp);
}

void *mtree_erase(struct maple_tree *mt, unsigned long index)
{
	MA_STATE(mas, mt, index, index);

	return mas_erase(&mas);
}

void mtree_destroy(struct maple_tree *mt)
{
	if (mt->ma_root)
		mt_free_subtree(mt->ma_root);
	mt->ma_root = NULL;
	mt_set_height(mt, 0);
}

/* ---- validation ---- */

struct mt_check {
	struct maple_tree *mt;
	unsigned int height;
	bool prev_null;		/* the range before the current one is NULL */
	unsigned long nodes;
};

static int mt_validate_node(struct mt_check *c, struct maple_enode *enode, unsigned long min,
			    unsigned long max, unsigned int depth, struct maple_pnode *parent,
			    unsigned long *gap_out)
{
	enum maple_type type = mte_node_type(enode), want;
	struct maple_node *node = mte_to_node(enode);
	const unsigned long *pivots, *gaps;
	unsigned int i, end, npivots, nslots, gap_off = 0;
	unsigned long lo = min, max_gap = 0;
	void **slots;

	c->nodes++;
	want = depth == c->height ? maple_leaf_64 : mt_internal_type(c->mt);
	if (type != want) {
		pr_err("mt_validate: node %p [%lx, %lx] depth %u has type %d, expected %d\n",
		       node, min, max, depth, type, want);
		return -EINVAL;
	}
	if (node->parent != parent) {
		pr_err("mt_validate: node %p [%lx, %lx] parent %p, expected %p\n", node, min, max,
		       (void *)node->parent, (void *)parent);
		return -EINVAL;
	}
	pivots = ma_pivots(node, type);
	gaps = ma_gaps(node, type);
	slots = ma_slots(node, type);
	npivots = mt_pivots[type];
	nslots = mt_slots[type];
	for (end = 0; end < npivots && pivots[end] != max; end++) {
		if (pivots[end] < lo || pivots[end] > max) {
			pr_err("mt_validate: node %p [%lx, %lx] pivot %u = %lx out of order\n",
			       node, min, max, end, pivots[end]);
			return -EINVAL;
		}
		lo = pivots[end] + 1;
	}
	if (type == maple_arange_64 && node->ma64.meta.end != end) {
		pr_err("mt_validate: node %p [%lx, %lx] metadata end %u, data ends at %u\n", node,
		       min, max, node->ma64.meta.end, end);
		return -EINVAL;
	}
	if ((depth > 1 && end + 1 < mt_min_slots[type]) || (depth == 1 && depth < c->height &&
							   end < 1)) {
		pr_err("mt_validate: node %p [%lx, %lx] holds %u, below the minimum %u\n", node,
		       min, max, end + 1, depth > 1 ? mt_min_slots[type] : 2);
		return -EINVAL;
	}
	for (i = end + 1; i < nslots; i++) {
		if (slots[i] || (i < npivots && pivots[i])) {
			pr_err("mt_validate: node %p [%lx, %lx] slot %u past the end %u is used\n",
			       node, min, max, i, end);
			return -EINVAL;
		}
	}
	lo = min;
	for (i = 0; i <= end; i++) {
		unsigned long hi = i < npivots ? pivots[i] : max, gap;

		if (ma_is_leaf(type)) {
			if (mt_is_node(slots[i])) {
				pr_err("mt_validate: leaf %p [%lx, %lx] holds a node\n", node, lo, hi);
				return -EINVAL;
			}
			if (!slots[i] && c->prev_null) {
				pr_err("mt_validate: NULL range [%lx, %lx] follows a NULL range\n", lo,
				       hi);
				return -EINVAL;
			}
			c->prev_null = !slots[i];
			gap = slots[i] ? 0 : ma_range_size(lo, hi);
		} else {
			if (!mt_is_node(slots[i])) {
				pr_err("mt_validate: node %p slot %u [%lx, %lx] is no node\n", node, i,
				       lo, hi);
				return -EINVAL;
			}
			if (mt_validate_node(c, slots[i], lo, hi, depth + 1,
					     ma_parent_ptr(node, type, i), &gap))
				return -EINVAL;
			if (gaps && gaps[i] != gap) {
				pr_err("mt_validate: node %p slot %u [%lx, %lx] gap %lu, expected %lu\n",
				       node, i, lo, hi, gaps[i], gap);
				return -EINVAL;
			}
		}
		if (gap > max_gap) {
			max_gap = gap;
			gap_off = i;
		}
		lo = hi + 1;
	}
	if (type == maple_arange_64 && node->ma64.meta.gap != gap_off) {
		pr_err("mt_validate: node %p [%lx, %lx] metadata gap slot %u, largest is %u\n",
		       node, min, max, node->ma64.meta.gap, gap_off);
		return -EINVAL;
	}
	*gap_out = max_gap;
	return 0;
}

int mt_validate(struct maple_tree *mt)
{
	struct mt_check c = { .mt = mt, .height = mt_height(mt) };
	struct maple_enode *root = mt->ma_root;
	unsigned long gap;

	if (!root) {
		if (c.height) {
			pr_err("mt_validate: empty tree of height %u\n", c.height);
			return -EINVAL;
		}
		return 0;
	}
	if (!mt_is_node(root) || !c.height || c.height > MAPLE_HEIGHT_MAX) {
		pr_err("mt_validate: root %p, height %u\n", root, c.height);
		return -EINVAL;
	}
	if (mt_validate_node(&c, root, 0, ULONG_MAX, 1, ma_root_parent(mt), &gap))
		return -EINVAL;
	if (c.height == 1 && mte_count(root, ULONG_MAX) == 1 && !mte_to_node(root)->mr64.slot[0]) {
		pr_err("mt_validate: an empty tree keeps its root leaf\n");
		return -EINVAL;
	}
	return 0;
}

static unsigned long mt_count_nodes(struct maple_enode *enode)
{
	enum maple_type type = mte_node_type(enode);
	unsigned long nr = 1;
	unsigned int i;

	if (!ma_is_leaf(type)) {
		void **slots = ma_slots(mte_to_node(enode), type);

		for (i = 0; i < mt_slots[type] && slots[i]; i++)
			nr += mt_count_nodes(slots[i]);
	}
	return nr;
}

unsigned long mt_nr_nodes(struct maple_tree *mt)
{
	return mt->ma_root ? mt_count_nodes(mt->ma_root) : 0;
}
