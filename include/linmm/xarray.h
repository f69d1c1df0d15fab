/* SPDX-License-Identifier: MIT */
/*
 * xarray.h - a radix tree of pointers indexed by unsigned long, with three
 * search marks (include/linux/xarray.h, lib/xarray.c).
 *
 * The tree is made of 64-slot nodes.  A node of shift S covers 64 << S
 * indices; its slot i holds either a child node of shift S - 6 (S > 0) or an
 * entry (S == 0).  The root covers [0, (64 << root->shift) - 1]; storing a
 * larger index grows the tree on top, erasing shrinks it again:
 *
 *   xa_head -> node shift 6        index 0x1234 = slot 0x12 of the root,
 *              [0x12] -> node shift 0      then slot 0x34 of the leaf
 *                        [0x34] -> entry
 *
 * Each node has one 64-bit bitmap per mark; a bit in an interior node is
 * set iff some entry below that slot carries the mark, so marked entries are
 * found without visiting unmarked subtrees.  The page cache uses the marks
 * as PAGECACHE_TAG_DIRTY, _WRITEBACK and _TOWRITE.
 *
 * Unlike the kernel, a non-empty array always has a root node (the kernel
 * keeps a lone entry at index 0 in xa_head), and there are no multi-index
 * entries.  Entries are pointers aligned to 4 bytes or value entries
 * (xa_mk_value(), low bit 1); an entry whose low bits are 10 is internal
 * (errors) and cannot be stored.
 *
 * Locks: every call takes xa->xa_lock itself (the kernel's xa_* helpers do
 * too; lookups use RCU there).  Nodes come from the "radix_tree_node" slab
 * cache; xa_store() allocates with GFP_NOWAIT under the lock and, when that
 * fails, drops the lock to allocate with the caller's gfp and retries.
 */
#ifndef LINMM_XARRAY_H
#define LINMM_XARRAY_H

#include <linmm/spinlock.h>
#include <linmm/types.h>

#define XA_CHUNK_SHIFT 6
#define XA_CHUNK_SIZE (1UL << XA_CHUNK_SHIFT)
#define XA_CHUNK_MASK (XA_CHUNK_SIZE - 1)
#define XA_MAX_MARKS 3

typedef unsigned int xa_mark_t;
#define XA_MARK_0 0U
#define XA_MARK_1 1U
#define XA_MARK_2 2U
#define XA_PRESENT 8U		/* xa_find() filter: any entry */

struct xarray;

struct xa_node {
	unsigned char shift;		/* index bits below this node's slots */
	unsigned char offset;		/* slot in the parent */
	unsigned char count;		/* non-NULL slots */
	struct xa_node *parent;		/* NULL for the root */
	struct xarray *array;
	void *slots[XA_CHUNK_SIZE];
	unsigned long marks[XA_MAX_MARKS];
};

struct xarray {
	spinlock_t xa_lock;
	struct xa_node *xa_head;	/* NULL when empty */
	unsigned long nr_entries;	/* non-NULL entries (a linmm addition, for checks) */
};

#define XARRAY_INIT { .xa_lock = __SPIN_LOCK_UNLOCKED, .xa_head = NULL, .nr_entries = 0 }

static inline void xa_init(struct xarray *xa)
{
	spin_lock_init(&xa->xa_lock);
	xa->xa_head = NULL;
	xa->nr_entries = 0;
}

static inline bool xa_empty(const struct xarray *xa)
{
	return xa->xa_head == NULL;
}

/* Value entries: integers stored in the tree (shadow entries, block numbers). */
static inline void *xa_mk_value(unsigned long v)
{
	return (void *)((v << 1) | 1UL);
}

static inline unsigned long xa_to_value(const void *entry)
{
	return (unsigned long)entry >> 1;
}

static inline bool xa_is_value(const void *entry)
{
	return (unsigned long)entry & 1UL;
}

/* Errors come back from xa_store() as internal entries. */
static inline void *xa_mk_err(int err)
{
	return (void *)(((unsigned long)(long)err << 2) | 2UL);
}

static inline bool xa_is_err(const void *entry)
{
	return ((unsigned long)entry & 3UL) == 2UL;
}

/* xa_err - the -errno in @entry, or 0 if it is not an error. */
static inline int xa_err(const void *entry)
{
	return xa_is_err(entry) ? (int)((long)entry >> 2) : 0;
}

/* xa_load - the entry at @index, or NULL.  Context: takes xa_lock. */
void *xa_load(struct xarray *xa, unsigned long index);

/**
 * xa_store - store @entry at @index (NULL erases).
 * @xa: the array
 * @index: where
 * @entry: a 4-byte-aligned pointer, a value entry, or NULL
 * @gfp: how to allocate nodes when GFP_NOWAIT under the lock fails
 *
 * Marks of a replaced entry stay; a new entry has none.
 * Context: takes xa_lock; may allocate.
 * Return: the old entry, or xa_mk_err(-ENOMEM / -EINVAL).
 */
void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);

/* xa_erase - remove the entry at @index.  Return: the old entry (NULL if none). */
void *xa_erase(struct xarray *xa, unsigned long index);

/*
 * The same with xa_lock held by the caller (the kernel's __xa_*): a store
 * may drop and retake the lock to allocate.  __xa_insert() stores only
 * into an empty slot: 0, -EBUSY (occupied), -ENOMEM or -EINVAL.
 */
#define xa_lock(xa) spin_lock(&(xa)->xa_lock)
#define xa_unlock(xa) spin_unlock(&(xa)->xa_lock)
void *__xa_load(struct xarray *xa, unsigned long index);
void *__xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
int __xa_insert(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
void *__xa_erase(struct xarray *xa, unsigned long index);
void __xa_set_mark(struct xarray *xa, unsigned long index, xa_mark_t mark);
void __xa_clear_mark(struct xarray *xa, unsigned long index, xa_mark_t mark);

/* Marks: only present entries carry marks; setting one on an empty index does nothing. */
void xa_set_mark(struct xarray *xa, unsigned long index, xa_mark_t mark);
void xa_clear_mark(struct xarray *xa, unsigned long index, xa_mark_t mark);
bool xa_get_mark(struct xarray *xa, unsigned long index, xa_mark_t mark);
/* xa_marked - does any entry carry @mark? */
bool xa_marked(struct xarray *xa, xa_mark_t mark);

/**
 * xa_find - the first entry at an index in [*@indexp, @max] matching @filter.
 * @indexp: start; set to the entry's index when one is found
 * @filter: XA_PRESENT or a mark
 *
 * Context: takes xa_lock.
 * Return: the entry, or NULL (*@indexp unchanged).
 */
void *xa_find(struct xarray *xa, unsigned long *indexp, unsigned long max, xa_mark_t filter);
/* xa_find_after - as xa_find() but strictly after *@indexp. */
void *xa_find_after(struct xarray *xa, unsigned long *indexp, unsigned long max,
		    xa_mark_t filter);

#define xa_for_each_range(xa, index, entry, start, last)                              \
	for ((index) = (start), (entry) = xa_find(xa, &(index), last, XA_PRESENT); (entry); \
	     (entry) = xa_find_after(xa, &(index), last, XA_PRESENT))
#define xa_for_each(xa, index, entry) xa_for_each_range(xa, index, entry, 0, ~0UL)
#define xa_for_each_marked(xa, index, entry, mark)                                    \
	for ((index) = 0, (entry) = xa_find(xa, &(index), ~0UL, mark); (entry);         \
	     (entry) = xa_find_after(xa, &(index), ~0UL, mark))

/* xa_destroy - free every node (the entries are the caller's).  Context: takes xa_lock. */
void xa_destroy(struct xarray *xa);

/*
 * xa_validate - check the tree: shifts decrease by 6 per level, parent and
 * offset links, slot counts, interior mark bits equal "some child marked",
 * no empty non-root node, a minimal root, nr_entries.
 * Context: takes xa_lock.
 * Return: 0, or -EINVAL after a pr_err() naming the broken node.
 */
int xa_validate(struct xarray *xa);

/* Free the node cache (machine shutdown, after every array is destroyed). */
void xa_teardown(void);

#endif /* LINMM_XARRAY_H */
