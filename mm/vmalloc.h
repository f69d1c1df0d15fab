/* SPDX-License-Identifier: MIT */
/*
 * vmalloc.h - vmalloc's internal structures (private to mm/vmalloc.c and
 * mm/vmalloc_debug.c; the kernel keeps them static in mm/vmalloc.c).
 *
 * mm/vmalloc.c allocates, maps and frees the areas; mm/vmalloc_debug.c
 * reads the same trees, lists and vmap blocks to render /proc/vmallocinfo
 * and to check them (validate_vmalloc()).  Nothing else may include this
 * header: the rest of the tree goes through include/linmm/vmalloc.h and
 * mm/internal.h.
 *
 * Three address-ordered trees of vmap_areas, each with its sorted list:
 *
 *   VMALLOC_START                                       vmalloc_free_end
 *   |[busy]g[busy]g......[purge]g[busy]g....[vmap block]..............|
 *                 free          free                    free
 *
 *   busy   vmap_area_root / vmap_area_list          (vmap_area_lock)
 *   free   free_vmap_area_root / free_vmap_area_list (free_vmap_area_lock),
 *          augmented with subtree_max_size, never two adjacent
 *   purge  purge_vmap_area_root / purge_vmap_area_list (purge_vmap_area_lock)
 *
 * Invariants: every tree's in-order walk is its list; the three together
 * cover [VMALLOC_START, vmalloc_free_end) exactly; vmap_lazy_nr is the size
 * of the purge list in pages and vmap_stale_nr that of its VMAP_STALE
 * areas.  Every vmap block (vmap_blocks, by address, vmap_blocks_lock) is a
 * busy VMAP_RAM | VMAP_BLOCK area of vmap_bbmap_bits pages.
 *
 * Locks and their order: see mm/vmalloc.c.  A reader here takes the lock
 * of the tree it walks, one at a time.
 */
#ifndef LINMM_MM_VMALLOC_H
#define LINMM_MM_VMALLOC_H

#include <stdatomic.h>
#include <stdbool.h>

#include <linmm/list.h>
#include <linmm/rbtree.h>
#include <linmm/spinlock.h>
#include <linmm/types.h>
#include <linmm/vmalloc.h>

/* va->flags */
#define VMAP_RAM	0x1	/* a vm_map_ram area (no vm_struct) */
#define VMAP_BLOCK	0x2	/* the area is a vmap block */
#define VMAP_STALE	0x4	/* purge tree: the host still maps it (flush owed) */

struct vmap_area {
	u64 va_start;
	u64 va_end;
	struct rb_node rb_node;
	struct list_head list;
	union {
		u64 subtree_max_size;	/* in the free tree */
		struct vm_struct *vm;	/* in the busy tree */
	};
	unsigned long flags;
};

#define VMAP_BBMAP_BITS_MAX	1024

/* A vmap block: vmap_bbmap_bits pages carved by vm_map_ram() (mm/vmalloc.c). */
struct vmap_block {
	spinlock_t lock;
	struct vmap_area *va;
	unsigned long free, dirty;
	unsigned long dirty_min, dirty_max;	/* dirty range not yet flushed, pages */
	u64 used_map[VMAP_BBMAP_BITS_MAX / 64];
	struct list_head free_list;
	struct rb_node rb;	/* in vmap_blocks, by va->va_start */
	int cpu;
};

/* The trees, lists and locks (defined in mm/vmalloc.c). */
extern struct rb_root vmap_area_root, free_vmap_area_root, purge_vmap_area_root;
extern struct list_head vmap_area_list, free_vmap_area_list, purge_vmap_area_list;
extern spinlock_t vmap_area_lock, free_vmap_area_lock, purge_vmap_area_lock;
extern u64 vmalloc_free_end;		/* end of the host-backed part of the area */
extern bool vmalloc_ready;		/* between vmalloc_init() and vmalloc_teardown() */
extern _Atomic long vmap_lazy_nr;	/* pages on the purge tree */
extern _Atomic long vmap_stale_nr;	/* pages of VMAP_STALE areas on the purge tree */
extern struct rb_root vmap_blocks;
extern spinlock_t vmap_blocks_lock;
extern unsigned long vmap_bbmap_bits;	/* VMAP_BBMAP_BITS of this machine */

static inline u64 va_size(const struct vmap_area *va)
{
	return va->va_end - va->va_start;
}

/* The largest free area in the subtree below @node (0 for none). */
static inline u64 get_subtree_max_size(const struct rb_node *node)
{
	return node ? rb_entry(node, struct vmap_area, rb_node)->subtree_max_size : 0;
}

/* What @va's subtree_max_size must be: its own size or a child's, the larger. */
static inline u64 compute_subtree_max_size(const struct vmap_area *va)
{
	u64 l = get_subtree_max_size(va->rb_node.rb_left);
	u64 r = get_subtree_max_size(va->rb_node.rb_right);

	return max(va_size(va), max(l, r));
}

#endif /* LINMM_MM_VMALLOC_H */
