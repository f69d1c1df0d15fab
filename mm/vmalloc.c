/* SPDX-License-Identifier: MIT */
/*
 * vmalloc.c - virtually contiguous kernel memory (mm/vmalloc.c).
 *
 * The vmalloc area is carved into vmap_areas.  Three address-ordered
 * trees, each with a sorted list beside it, hold them:
 *
 *   busy   areas in use (vmalloc, vmap, vm_map_ram); va->vm is the vm_struct
 *   free   the gaps, augmented: each node keeps subtree_max_size, the
 *          largest gap below it, so find_vmap_lowest_match() finds the
 *          lowest gap that fits in O(log n) and the allocator is
 *          lowest-address first fit
 *   purge  lazily freed areas: PTEs clear, TLB (host) flush deferred
 *
 *   VMALLOC_START                                             free_end
 *   |[AAAA]g[BB]g.........[CCCCCC]g[DD]g.......................|
 *    busy   guard  free     purge (unpurged vm_area)   free
 *
 * Each area of vmalloc()/vmap() is followed by a guard page (size +
 * PAGE_SIZE, unless VM_NO_GUARD) that stays unmapped, so an overrun
 * faults (see arch/x86/fault.c for the oops).  vmalloc() takes order-0
 * pages from the page allocator with alloc_pages_bulk(), up to 100 per
 * call, single pages after a short bulk call (HighMem first on x86_32,
 * as the kernel adds __GFP_HIGHMEM), maps them with kernel_map_pages() (PTEs in init_mm
 * and the host memfd pages at the same addresses) and returns the host
 * address standing for the area's kva.
 *
 * Lazy freeing: vfree()/vunmap() clear the PTEs at once but put the area
 * on the purge tree and add its pages to vmap_lazy_nr; when that exceeds
 * lazy_max_pages() = fls(num_online_cpus) x 32 MiB of pages (or on
 * vm_unmap_aliases(), or when an allocation finds no room) one
 * flush_tlb_kernel_range() over the union of the purged ranges is counted
 * and every purged area returns to the free tree, merged with its
 * neighbours.
 *
 * The host mapping of the window plays the TLB, so its teardown is the
 * flush and waits for the purge too: vfree() clears the init_mm PTEs (a
 * walk, vmalloc_to_page(), finds nothing) and frees the pages at once, as
 * the kernel does, but the host keeps mapping them (VMAP_STALE) until the
 * purge turns each run of adjacent purged areas back into a PROT_NONE hole
 * with one host call.  A use after vfree() therefore reaches the freed
 * pages until the purge, as through the kernel's stale TLB entries, and
 * faults after it; the area itself is never handed out again before its
 * host mapping is gone.  This saves vfree() its host call: a vmalloc+vfree
 * pair costs one host mmap per physical run plus a share of the purge.
 * Past VMAP_STALE_MAX_PAGES stale pages (host VMAs are limited) vfree()
 * unmaps from the host at once.  vm_unmap_ram() of a vmap block unmaps
 * from the host at once: a block's dirty range may hold live mappings.
 * The kernel shards the busy and purge trees per "vmap node" (6.9+); linmm
 * keeps one of each, which gives the same addresses.
 *
 * Metadata comes from the slab allocator as in the kernel: vmap_areas from
 * the "vmap_area" cache, vm_structs and pages[] arrays up to a page from
 * kmalloc (node-local); larger pages[] arrays are vmalloc'ed themselves
 * ("vpages" in /proc/vmallocinfo).  The per-CPU vmap block queues, static
 * per-CPU data in the kernel, are one host-heap array.
 *
 * The structures and trees are declared in mm/vmalloc.h, which
 * mm/vmalloc_debug.c shares: it renders /proc/vmallocinfo and holds the
 * invariant checker validate_vmalloc().
 *
 * Locks:
 *   free_vmap_area_lock  the free tree and list
 *   vmap_area_lock       the busy tree and list, the vm_structs
 *   purge_vmap_area_lock the purge tree and list
 *   vmap_purge_lock      one purger at a time (a trylock from vfree)
 * Order: vmap_purge_lock, then purge_vmap_area_lock or free_vmap_area_lock
 * (one at a time); vmap_area_lock is never held with another.  No
 * allocation happens under a spinlock: spare vmap_areas are allocated
 * before free_vmap_area_lock is taken.  Page-table locking is init_mm's
 * (mm/init_mm.c).
 */
#include <stdlib.h>
#include <string.h>

#include <linmm/gfp.h>
#include <linmm/memblock.h>
#include <linmm/pgtable.h>
#include <linmm/printk.h>
#include <linmm/rbtree.h>
#include <linmm/slab.h>
#include <linmm/smp.h>
#include <linmm/vmalloc.h>

#include "arch/arch.h"
#include "kernel/host.h"
#include "kernel/machine.h"
#include "mm/internal.h"
#include "mm/vmalloc.h"

#define U64_MAX (~0ULL)

/* The allocation flags a nested allocation inherits (mm/internal.h GFP_RECLAIM_MASK). */
#define GFP_RECLAIM_MASK (__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | __GFP_NOWARN | \
			  __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | __GFP_NORETRY | __GFP_MEMALLOC | \
			  __GFP_NOMEMALLOC)

static struct kmem_cache *vmap_area_cachep;
/* Shared with mm/vmalloc_debug.c through mm/vmalloc.h. */
struct rb_root vmap_area_root, free_vmap_area_root, purge_vmap_area_root;
struct list_head vmap_area_list, free_vmap_area_list, purge_vmap_area_list;
spinlock_t vmap_area_lock, free_vmap_area_lock, purge_vmap_area_lock;
u64 vmalloc_free_end;
bool vmalloc_ready;
_Atomic long vmap_lazy_nr;
_Atomic long vmap_stale_nr;

static spinlock_t vmap_purge_lock;
static _Atomic long nr_vmalloc_pages;
static _Atomic long vmap_nr_purges, vmap_tlb_flushes, vmap_tlb_flush_pages;

static inline u64 get_vm_area_size(const struct vm_struct *area)
{
	return area->flags & VM_NO_GUARD ? area->size : area->size - PAGE_SIZE;
}

static struct vmap_area *va_alloc(gfp_t gfp, int node)
{
	struct vmap_area *va = kmem_cache_alloc_node(vmap_area_cachep, gfp & GFP_RECLAIM_MASK, node);

	if (va)
		memset(va, 0, sizeof(*va));
	return va;
}

static void va_free(struct vmap_area *va)
{
	kmem_cache_free(vmap_area_cachep, va);
}

/* ---- the augmented free tree ---- */

static void free_vmap_propagate(struct rb_node *node, struct rb_node *stop)
{
	for (; node != stop; node = rb_parent(node)) {
		struct vmap_area *va = rb_entry(node, struct vmap_area, rb_node);

		va->subtree_max_size = compute_subtree_max_size(va);
	}
}

static void free_vmap_copy(struct rb_node *old, struct rb_node *new)
{
	rb_entry(new, struct vmap_area, rb_node)->subtree_max_size =
		rb_entry(old, struct vmap_area, rb_node)->subtree_max_size;
}

static void free_vmap_rotate(struct rb_node *old, struct rb_node *new)
{
	struct vmap_area *o = rb_entry(old, struct vmap_area, rb_node);

	free_vmap_copy(old, new);
	o->subtree_max_size = compute_subtree_max_size(o);
}

static const struct rb_augment_callbacks free_vmap_area_rb_augment_cb = {
	.propagate = free_vmap_propagate,
	.copy = free_vmap_copy,
	.rotate = free_vmap_rotate,
};

/* ---- tree + list insertion and removal (all three trees) ---- */

/* Where @va goes in @root: the link to fill and its parent. */
static struct rb_node **find_va_links(const struct vmap_area *va, struct rb_root *root,
				      struct rb_node **parent)
{
	struct rb_node **link = &root->rb_node;

	*parent = NULL;
	while (*link) {
		const struct vmap_area *tmp = rb_entry(*link, struct vmap_area, rb_node);

		*parent = *link;
		if (va->va_end <= tmp->va_start)
			link = &(*link)->rb_left;
		else if (va->va_start >= tmp->va_end)
			link = &(*link)->rb_right;
		else
			return NULL;	/* overlap: a bug of the caller */
	}
	return link;
}

/* The list position after which the node linked at @link under @parent goes. */
static struct list_head *list_pos(struct rb_node *parent, struct rb_node **link,
				  struct list_head *head)
{
	if (!parent)
		return head;
	if (link == &parent->rb_right)
		return &rb_entry(parent, struct vmap_area, rb_node)->list;
	return rb_entry(parent, struct vmap_area, rb_node)->list.prev;
}

static void link_va(struct vmap_area *va, struct rb_root *root, struct rb_node *parent,
		    struct rb_node **link, struct list_head *head, bool augment)
{
	list_add(&va->list, list_pos(parent, link, head));
	rb_link_node(&va->rb_node, parent, link);
	if (augment) {
		va->subtree_max_size = 0;
		rb_insert_augmented(&va->rb_node, root, &free_vmap_area_rb_augment_cb);
	} else {
		rb_insert_color(&va->rb_node, root);
	}
}

static void unlink_va(struct vmap_area *va, struct rb_root *root, bool augment)
{
	if (augment)
		rb_erase_augmented(&va->rb_node, root, &free_vmap_area_rb_augment_cb);
	else
		rb_erase(&va->rb_node, root);
	list_del_init(&va->list);
	RB_CLEAR_NODE(&va->rb_node);
}

static void insert_vmap_area(struct vmap_area *va, struct rb_root *root, struct list_head *head)
{
	struct rb_node *parent, **link = find_va_links(va, root, &parent);

	BUG_ON(!link);
	link_va(va, root, parent, link, head, /* augment = */ false);
}

/*
 * Put @va back in the free tree, merged with the gaps right before and
 * after it.  Return the area that now holds the range.
 * Context: free_vmap_area_lock held.
 */
static struct vmap_area *merge_or_add_vmap_area(struct vmap_area *va)
{
	struct list_head *head = &free_vmap_area_list, *prev_pos;
	struct rb_node *parent, **link = find_va_links(va, &free_vmap_area_root, &parent);
	struct vmap_area *sibling;
	bool merged = false;

	BUG_ON(!link);
	prev_pos = list_pos(parent, link, head);
	if (prev_pos->next != head) {
		sibling = list_entry(prev_pos->next, struct vmap_area, list);
		if (sibling->va_start == va->va_end) {
			sibling->va_start = va->va_start;
			va_free(va);
			va = sibling;
			merged = true;
		}
	}
	if (prev_pos != head) {
		sibling = list_entry(prev_pos, struct vmap_area, list);
		if (sibling->va_end == va->va_start) {
			if (merged)
				unlink_va(va, &free_vmap_area_root, /* augment = */ true);
			sibling->va_end = va->va_end;
			va_free(va);
			va = sibling;
			merged = true;
		}
	}
	if (!merged)
		link_va(va, &free_vmap_area_root, parent, link, head, /* augment = */ true);
	else
		free_vmap_propagate(&va->rb_node, NULL);
	return va;
}

/* ---- finding and clipping a gap ---- */

static bool is_within_this_va(const struct vmap_area *va, u64 size, u64 align, u64 vstart)
{
	u64 nva_start = ALIGN(max(va->va_start, vstart), align);

	return nva_start + size > nva_start && nva_start + size <= va->va_end;
}

/*
 * The lowest free area that can hold @size bytes aligned to @align at or
 * above @vstart.  With an alignment above a page, subtrees whose largest
 * gap is below size + align - 1 are skipped (such a gap might fit after
 * alignment; the kernel skips it too).
 * Context: free_vmap_area_lock held.
 */
static struct vmap_area *find_vmap_lowest_match(u64 size, u64 align, u64 vstart)
{
	u64 length = align <= PAGE_SIZE ? size : size + align - 1;
	struct rb_node *node = free_vmap_area_root.rb_node;

	while (node) {
		struct vmap_area *va = rb_entry(node, struct vmap_area, rb_node);
		struct rb_node *parent;

		if (get_subtree_max_size(node->rb_left) >= length && vstart < va->va_start) {
			node = node->rb_left;
			continue;
		}
		if (is_within_this_va(va, size, align, vstart))
			return va;
		if (get_subtree_max_size(node->rb_right) >= length) {
			node = node->rb_right;
			continue;
		}
		/* Climb to the first ancestor entered from the left that fits or has room right. */
		for (;;) {
			parent = rb_parent(node);
			if (!parent)
				return NULL;
			if (node == parent->rb_left) {
				va = rb_entry(parent, struct vmap_area, rb_node);
				if (is_within_this_va(va, size, align, vstart))
					return va;
				if (get_subtree_max_size(parent->rb_right) >= length) {
					node = parent->rb_right;
					break;
				}
			}
			node = parent;
		}
	}
	return NULL;
}

/*
 * Take [nva_start, nva_start + size) out of the free area @va: the whole
 * area (FL), its left or right edge (LE/RE), or its middle (NE, which
 * needs the spare @lva for the left remainder; *lva is cleared if used).
 * Context: free_vmap_area_lock held.
 */
static void adjust_va_to_fit_type(struct vmap_area *va, u64 nva_start, u64 size,
				  struct vmap_area **lva)
{
	if (va->va_start == nva_start && va->va_end == nva_start + size) {
		unlink_va(va, &free_vmap_area_root, /* augment = */ true);
		va_free(va);
		return;
	}
	if (va->va_start == nva_start) {
		va->va_start += size;
	} else if (va->va_end == nva_start + size) {
		va->va_end = nva_start;
	} else {
		struct vmap_area *left = *lva;
		struct rb_node *parent, **link;

		*lva = NULL;
		left->va_start = va->va_start;
		left->va_end = nva_start;
		va->va_start = nva_start + size;
		free_vmap_propagate(&va->rb_node, NULL);
		link = find_va_links(left, &free_vmap_area_root, &parent);
		link_va(left, &free_vmap_area_root, parent, link, &free_vmap_area_list,
			/* augment = */ true);
		return;
	}
	free_vmap_propagate(&va->rb_node, NULL);
}

/* ---- lazy freeing ---- */

static unsigned long lazy_max_pages(void)
{
	return (unsigned long)fls(nr_cpu_ids) * (unsigned long)(32 * SZ_1M / PAGE_SIZE);
}

/*
 * At most this many lazily freed pages keep their host mapping: each may be
 * a host VMA of its own (a one-page physical run, a guard page), and the
 * host allows vm.max_map_count (65530) in all.  lazy_max_pages() is
 * 16384 with 2 CPUs, so by default every lazy area keeps it until the
 * purge; with more CPUs the areas past the budget are unmapped from the
 * host at vfree time (a real TLB's capacity bounds stale entries too).
 */
#define VMAP_STALE_MAX_PAGES 16384L

/* The TLB flush the kernel would do over [start, end) (x86: one IPI per purge). */
static void flush_tlb_kernel_range(u64 start, u64 end)
{
	atomic_fetch_add(&vmap_tlb_flushes, 1);
	atomic_fetch_add(&vmap_tlb_flush_pages, (long)((end - start) >> PAGE_SHIFT));
}

/*
 * The host side of the purge's flush: every run of adjacent purged areas
 * that the host still maps becomes a PROT_NONE hole with one host call.
 * Not the union [start, end) the kernel flushes: busy areas may lie inside
 * it, and their host mappings must stay.
 *
 *   purge list   [A s][B s]   [C]   [D s][E s][F]
 *   host calls   |--one---|         |----one-----|   (C: nothing owed)
 *
 * Context: vmap_purge_lock held; @local is off the purge tree.
 */
static void purge_flush_host(struct list_head *local)
{
	u64 run_start = 0, run_end = 0;
	bool stale = false;
	long nr = 0;
	struct vmap_area *va;

	list_for_each_entry(va, local, list) {
		if (va->va_start != run_end) {
			if (stale)
				kernel_flush_range(run_start, run_end);
			run_start = va->va_start;
			stale = false;
		}
		run_end = va->va_end;
		if (va->flags & VMAP_STALE) {
			stale = true;
			nr += (long)(va_size(va) >> PAGE_SHIFT);
			va->flags &= ~VMAP_STALE;
		}
	}
	if (stale)
		kernel_flush_range(run_start, run_end);
	atomic_fetch_sub(&vmap_stale_nr, nr);
}

/*
 * Return every lazily freed area to the free tree after one TLB flush over
 * their union, widened to [@start, @end) (dirty vmap-block ranges; pass
 * start > end for none).  The host mappings of the areas go first, so a
 * range is a hole again before anyone can allocate it.
 * Return: true if anything was purged (and flushed).
 * Context: vmap_purge_lock held.
 */
static bool __purge_vmap_area_lazy(u64 start, u64 end)
{
	struct list_head local;
	struct vmap_area *va, *n;
	long nr = 0;

	INIT_LIST_HEAD(&local);
	spin_lock(&purge_vmap_area_lock);
	if (list_empty(&purge_vmap_area_list)) {
		spin_unlock(&purge_vmap_area_lock);
		return false;
	}
	list_splice_init(&purge_vmap_area_list, &local);
	purge_vmap_area_root = RB_ROOT;
	spin_unlock(&purge_vmap_area_lock);

	start = min(start, list_first_entry(&local, struct vmap_area, list)->va_start);
	end = max(end, list_last_entry(&local, struct vmap_area, list)->va_end);
	flush_tlb_kernel_range(start, end);
	purge_flush_host(&local);
	spin_lock(&free_vmap_area_lock);
	list_for_each_entry_safe(va, n, &local, list) {
		nr += (long)(va_size(va) >> PAGE_SHIFT);
		list_del_init(&va->list);
		RB_CLEAR_NODE(&va->rb_node);
		merge_or_add_vmap_area(va);
	}
	spin_unlock(&free_vmap_area_lock);
	atomic_fetch_sub(&vmap_lazy_nr, nr);
	atomic_fetch_add(&vmap_nr_purges, 1);
	return true;
}

static bool purge_vmap_area_lazy(void)
{
	bool purged;

	spin_lock(&vmap_purge_lock);
	purged = __purge_vmap_area_lazy(U64_MAX, 0);
	spin_unlock(&vmap_purge_lock);
	return purged;
}

/*
 * @va's PTEs are clear and it is off the busy tree: defer its flush (with
 * @stale, the host still maps it), purge past the threshold.
 */
static void free_vmap_area_noflush(struct vmap_area *va, bool stale)
{
	long nr_lazy = atomic_fetch_add(&vmap_lazy_nr, (long)(va_size(va) >> PAGE_SHIFT)) +
		       (long)(va_size(va) >> PAGE_SHIFT);

	va->flags = stale ? VMAP_STALE : 0;
	spin_lock(&purge_vmap_area_lock);
	insert_vmap_area(va, &purge_vmap_area_root, &purge_vmap_area_list);
	spin_unlock(&purge_vmap_area_lock);
	/* The kernel queues drain_vmap_work; linmm purges now, unless someone is. */
	if ((unsigned long)nr_lazy > lazy_max_pages() && spin_trylock(&vmap_purge_lock)) {
		__purge_vmap_area_lazy(U64_MAX, 0);
		spin_unlock(&vmap_purge_lock);
	}
}

/*
 * vunmap_range_noflush() and the lazy free: the PTEs go now, the host
 * mapping (the TLB) at the purge, unless the stale budget is used up.
 */
static void free_unmap_vmap_area(struct vmap_area *va)
{
	long nr = (long)(va_size(va) >> PAGE_SHIFT);
	bool stale = atomic_fetch_add(&vmap_stale_nr, nr) + nr <=
		     min((long)lazy_max_pages(), VMAP_STALE_MAX_PAGES);

	kernel_unmap_pages_noflush(va->va_start, (unsigned int)nr);
	if (!stale) {
		atomic_fetch_sub(&vmap_stale_nr, nr);
		kernel_flush_range(va->va_start, va->va_end);
	}
	free_vmap_area_noflush(va, stale);
}

/* ---- reserving and releasing address ranges ---- */

/*
 * alloc_vmap_area - reserve @size bytes of the vmalloc area, lowest fit
 * Return: the busy area, or NULL (the "vmap allocation ... failed" warning
 * unless __GFP_NOWARN).
 */
static struct vmap_area *alloc_vmap_area(u64 size, u64 align, gfp_t gfp, int node,
					 unsigned long va_flags)
{
	struct vmap_area *va, *free, *lva;
	bool purged = false;
	u64 addr = 0;

	if (!vmalloc_ready || !size || !IS_ALIGNED(size, PAGE_SIZE))
		return NULL;
	va = va_alloc(gfp, node);
	if (!va)
		return NULL;
retry:
	lva = va_alloc(gfp, node);
	spin_lock(&free_vmap_area_lock);
	free = find_vmap_lowest_match(size, align, VMALLOC_START);
	if (free) {
		addr = ALIGN(max(free->va_start, VMALLOC_START), align);
		if (addr != free->va_start && addr + size != free->va_end && !lva)
			free = NULL;	/* a split needs the spare */
		else
			adjust_va_to_fit_type(free, addr, size, &lva);
	}
	spin_unlock(&free_vmap_area_lock);
	if (lva)
		va_free(lva);
	if (!free) {
		if (!purged) {
			purged = true;
			if (purge_vmap_area_lazy())
				goto retry;
		}
		if (!(gfp & __GFP_NOWARN))
			pr_warn("vmap allocation for size %llu failed: use vmalloc=<size> to increase size\n",
				(unsigned long long)size);
		va_free(va);
		return NULL;
	}
	va->va_start = addr;
	va->va_end = addr + size;
	va->vm = NULL;
	va->flags = va_flags;
	spin_lock(&vmap_area_lock);
	insert_vmap_area(va, &vmap_area_root, &vmap_area_list);
	spin_unlock(&vmap_area_lock);
	return va;
}

static struct vmap_area *__find_vmap_area(u64 addr)
{
	struct rb_node *n = vmap_area_root.rb_node;

	while (n) {
		struct vmap_area *va = rb_entry(n, struct vmap_area, rb_node);

		if (addr < va->va_start)
			n = n->rb_left;
		else if (addr >= va->va_end)
			n = n->rb_right;
		else
			return va;
	}
	return NULL;
}

/* Take the busy area starting at @addr off the busy tree. */
static struct vmap_area *find_unlink_vmap_area(u64 addr)
{
	struct vmap_area *va;

	spin_lock(&vmap_area_lock);
	va = __find_vmap_area(addr);
	if (va && va->va_start == addr)
		unlink_va(va, &vmap_area_root, /* augment = */ false);
	else
		va = NULL;
	spin_unlock(&vmap_area_lock);
	return va;
}

static struct vm_struct *__get_vm_area_node(unsigned long size, unsigned long align,
					    unsigned long flags, gfp_t gfp, int node,
					    const void *caller)
{
	struct vm_struct *area;
	struct vmap_area *va;

	size = ALIGN(size, PAGE_SIZE);
	if (!size)
		return NULL;
	area = kzalloc_node(sizeof(*area), gfp & GFP_RECLAIM_MASK, node);
	if (!area)
		return NULL;
	if (!(flags & VM_NO_GUARD))
		size += PAGE_SIZE;
	va = alloc_vmap_area(size, max(align, PAGE_SIZE), gfp, node, 0);
	if (!va) {
		kfree(area);
		return NULL;
	}
	area->addr = kva_to_host(va->va_start);
	area->size = size;
	area->flags = flags;
	area->caller = caller;
	spin_lock(&vmap_area_lock);
	va->vm = area;
	spin_unlock(&vmap_area_lock);
	return area;
}

/* Remove the area at @addr: unmap it, queue its range for lazy freeing. */
static struct vm_struct *remove_vm_area(const void *addr)
{
	u64 kva = host_to_kva(addr);
	struct vmap_area *va;
	struct vm_struct *vm;

	if (!kva)
		return NULL;
	va = find_unlink_vmap_area(kva);
	if (!va || !va->vm) {
		if (va) {	/* a vm_map_ram area: not ours to free here */
			spin_lock(&vmap_area_lock);
			insert_vmap_area(va, &vmap_area_root, &vmap_area_list);
			spin_unlock(&vmap_area_lock);
		}
		return NULL;
	}
	vm = va->vm;
	va->vm = NULL;
	free_unmap_vmap_area(va);
	return vm;
}

struct vm_struct *find_vm_area(const void *addr)
{
	u64 kva = host_to_kva(addr);
	struct vmap_area *va;
	struct vm_struct *vm = NULL;

	if (!kva)
		return NULL;
	spin_lock(&vmap_area_lock);
	va = __find_vmap_area(kva);
	if (va)
		vm = va->vm;
	spin_unlock(&vmap_area_lock);
	return vm;
}

/* ---- vmalloc ---- */

/* qsort() order of vm_area_free_pages(): ascending pfn. */
static int page_pfn_cmp(const void *a, const void *b)
{
	unsigned long pa = page_to_pfn(*(struct page *const *)a);
	unsigned long pb = page_to_pfn(*(struct page *const *)b);

	return pa < pb ? -1 : pa > pb;
}

/*
 * Free the pages highest pfn first: the per-CPU list is LIFO, so the next
 * vmalloc gets them back in ascending pfn order and kernel_map_pages() maps
 * a physical run with one host call instead of one per page.  An area
 * mapped in ascending order is freed last to first; one in descending
 * order (a list that an earlier first-to-last free left reversed) first to
 * last, which turns the list around; any other order is sorted first.  (The
 * kernel frees first to last; the order has no other visible effect.)
 */
static void vm_area_free_pages(struct vm_struct *area)
{
	unsigned int n = area->nr_pages, up = 0, down = 0;

	for (unsigned int i = 1; i < n; i++) {
		if (page_to_pfn(area->pages[i]) > page_to_pfn(area->pages[i - 1]))
			up++;
		else
			down++;
	}
	if (up && down) {
		qsort(area->pages, n, sizeof(area->pages[0]), page_pfn_cmp);
		down = 0;
	}
	if (down)
		for (unsigned int i = 0; i < n; i++)
			__free_page(area->pages[i]);
	else
		for (unsigned int i = n; i-- > 0;)
			__free_page(area->pages[i]);
	kvfree(area->pages);
	area->pages = NULL;
	area->nr_pages = 0;
}

/* Pages per alloc_pages_bulk() call: bounds the time one pcp->lock is held. */
#define VMALLOC_BULK_MAX 100

/*
 * Order-0 pages for @area, HighMem allowed unless a DMA zone is asked for.
 * As the kernel's vm_area_alloc_pages(): alloc_pages_bulk() in requests of
 * at most VMALLOC_BULK_MAX pages (the task's policy for NUMA_NO_NODE),
 * and the first request that comes back short hands the rest to the
 * single-page allocator, which may reclaim.
 */
static void vm_area_alloc_pages(struct vm_struct *area, gfp_t gfp, int node,
				unsigned int nr_pages)
{
	unsigned int n = 0;

	gfp &= ~__GFP_ZERO;	/* zeroed through the mapping: HighMem pages have no address */
	if (!(gfp & (__GFP_DMA | __GFP_DMA32)))
		gfp |= __GFP_HIGHMEM;
	while (n < nr_pages) {
		int want = (int)min(nr_pages - n, (unsigned int)VMALLOC_BULK_MAX);
		unsigned long got;

		if (linmm_arch->numa && node == NUMA_NO_NODE)
			got = alloc_pages_bulk_mempolicy(gfp, want, area->pages + n);
		else
			got = alloc_pages_bulk_node(gfp, node, want, area->pages + n);
		n += (unsigned int)got;
		area->nr_pages = n;
		if (got != (unsigned long)want)
			break;
	}
	for (; n < nr_pages; n++) {
		struct page *page = node == NUMA_NO_NODE ? alloc_pages(gfp, 0)
							 : alloc_pages_node(node, gfp, 0);

		if (!page)
			break;
		area->pages[n] = page;
		area->nr_pages = n + 1;
	}
}

static void *__vmalloc_area_node(struct vm_struct *area, gfp_t gfp, pgprot_t prot, int node)
{
	unsigned int nr_pages = (unsigned int)(get_vm_area_size(area) >> PAGE_SHIFT);
	unsigned long array_size = (unsigned long)nr_pages * sizeof(struct page *);
	gfp_t nested_gfp = (gfp & (__GFP_NOWARN | __GFP_NORETRY | __GFP_NOFAIL)) | GFP_KERNEL |
			   __GFP_ZERO;

	if (array_size > PAGE_SIZE)
		area->pages = __vmalloc_node(array_size, 1, nested_gfp, node, area->caller);
	else
		area->pages = kmalloc_node(array_size, nested_gfp, node);
	if (!area->pages) {
		warn_alloc(gfp, NULL, "vmalloc error: size %lu, failed to allocate page array size %lu",
			   nr_pages * PAGE_SIZE, array_size);
		return NULL;
	}
	vm_area_alloc_pages(area, gfp, node, nr_pages);
	atomic_fetch_add(&nr_vmalloc_pages, (long)area->nr_pages);
	if (area->nr_pages != nr_pages) {
		warn_alloc(gfp, NULL, "vmalloc error: size %lu, failed to allocate pages",
			   nr_pages * PAGE_SIZE);
		return NULL;
	}
	if (kernel_map_pages(host_to_kva(area->addr), area->pages, nr_pages, prot)) {
		warn_alloc(gfp, NULL, "vmalloc error: size %lu, failed to map pages",
			   nr_pages * PAGE_SIZE);
		return NULL;
	}
	if (gfp & __GFP_ZERO)
		memset(area->addr, 0, get_vm_area_size(area));
	return area->addr;
}

static void __vfree_area(struct vm_struct *vm)
{
	atomic_fetch_sub(&nr_vmalloc_pages, (long)vm->nr_pages);
	vm_area_free_pages(vm);
	kfree(vm);
}

/**
 * __vmalloc_node_range - allocate virtually contiguous memory
 * @size: bytes (rounded up to pages)
 * @align: alignment of the start (at least PAGE_SIZE)
 * @gfp_mask: flags for the pages (__GFP_ZERO zeroes, __GFP_NOWARN is quiet)
 * @prot: protection of the mapping (PAGE_KERNEL)
 * @vm_flags: extra VM_* flags (VM_USERMAP, VM_NO_GUARD, ...)
 * @node: preferred node, NUMA_NO_NODE for the task's policy
 * @caller: shown by /proc/vmallocinfo
 *
 * Context: may sleep (direct reclaim through the page allocator).
 * Return: the host address of the mapping, or NULL.
 */
void *__vmalloc_node_range(unsigned long size, unsigned long align, gfp_t gfp_mask,
			   pgprot_t prot, unsigned long vm_flags, int node, const void *caller)
{
	unsigned long real_size = size;
	struct vm_struct *area;
	void *ret;

	size = ALIGN(size, PAGE_SIZE);
	if (!size || size >> PAGE_SHIFT > totalram_pages()) {
		if (!(gfp_mask & __GFP_NOWARN))
			warn_alloc(gfp_mask, NULL, "vmalloc error: size %lu, exceeds total pages",
				   real_size);
		return NULL;
	}
	area = __get_vm_area_node(size, align, VM_ALLOC | VM_UNINITIALIZED | vm_flags, gfp_mask,
				  node, caller);
	if (!area) {
		warn_alloc(gfp_mask, NULL, "vmalloc error: size %lu, vm_struct allocation failed",
			   real_size);
		return NULL;
	}
	ret = __vmalloc_area_node(area, gfp_mask, prot, node);
	if (!ret) {
		vfree(area->addr);
		return NULL;
	}
	/* clear_vm_uninitialized_flag(): vmallocinfo may show the area now. */
	spin_lock(&vmap_area_lock);
	area->flags &= ~VM_UNINITIALIZED;
	spin_unlock(&vmap_area_lock);
	return ret;
}

void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp_mask, int node,
		     const void *caller)
{
	return __vmalloc_node_range(size, align, gfp_mask, PAGE_KERNEL, 0, node, caller);
}

void *__vmalloc(unsigned long size, gfp_t gfp_mask)
{
	return __vmalloc_node(size, 1, gfp_mask, NUMA_NO_NODE, __builtin_return_address(0));
}

/**
 * vmalloc - allocate virtually contiguous memory
 * @size: bytes (rounded up to whole pages; a guard page follows)
 *
 * Context: may sleep.
 * Return: the address (a usable host pointer), or NULL.
 */
void *vmalloc(unsigned long size)
{
	return __vmalloc_node(size, 1, GFP_KERNEL, NUMA_NO_NODE, __builtin_return_address(0));
}

void *vzalloc(unsigned long size)
{
	return __vmalloc_node(size, 1, GFP_KERNEL | __GFP_ZERO, NUMA_NO_NODE,
			      __builtin_return_address(0));
}

void *vmalloc_node(unsigned long size, int node)
{
	return __vmalloc_node(size, 1, GFP_KERNEL, node, __builtin_return_address(0));
}

void *vzalloc_node(unsigned long size, int node)
{
	return __vmalloc_node(size, 1, GFP_KERNEL | __GFP_ZERO, node, __builtin_return_address(0));
}

void *vmalloc_user(unsigned long size)
{
	return __vmalloc_node_range(size, PAGE_SIZE, GFP_KERNEL | __GFP_ZERO, PAGE_KERNEL,
				    VM_USERMAP, NUMA_NO_NODE, __builtin_return_address(0));
}

/* Huge mappings are not built: the area is order-0 pages, as with nohugevmalloc. */
void *vmalloc_huge(unsigned long size, gfp_t gfp_mask)
{
	return __vmalloc_node_range(size, 1, gfp_mask, PAGE_KERNEL, VM_ALLOW_HUGE_VMAP,
				    NUMA_NO_NODE, __builtin_return_address(0));
}

void *vmalloc_array(size_t n, size_t size)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return __vmalloc_node(bytes, 1, GFP_KERNEL, NUMA_NO_NODE, __builtin_return_address(0));
}

void *vcalloc(size_t n, size_t size)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return __vmalloc_node(bytes, 1, GFP_KERNEL | __GFP_ZERO, NUMA_NO_NODE,
			      __builtin_return_address(0));
}

/**
 * vfree - release memory from vmalloc() and friends
 * @addr: the address vmalloc returned, or NULL
 *
 * The PTEs go at once (a later access faults); the range waits on the
 * purge list for its TLB flush; the pages go back to the page allocator.
 * A foreign or misaligned address is reported ("Trying to vfree() ...")
 * with a WARNING and ignored.
 *
 * Context: may not be called while holding a vmalloc lock.
 */
void vfree(const void *addr)
{
	struct vm_struct *vm;

	if (!addr)
		return;
	if (!IS_ALIGNED((uintptr_t)addr, PAGE_SIZE)) {
		pr_err("Trying to vfree() bad address (%016llx)\n",
		       (unsigned long long)host_to_kva(addr));
		WARN_ON(1);
		return;
	}
	vm = remove_vm_area(addr);
	if (!vm) {
		pr_err("Trying to vfree() nonexistent vm area (%016llx)\n",
		       (unsigned long long)host_to_kva(addr));
		WARN_ON(1);
		return;
	}
	__vfree_area(vm);
}

/* ---- vmap, vm_map_ram ---- */

/**
 * vmap - map an array of pages at consecutive addresses
 * @pages: the pages (they stay the caller's unless VM_MAP_PUT_PAGES)
 * @count: how many
 * @flags: VM_* (VM_MAP for /proc/vmallocinfo's "vmap")
 * @prot: protection of the mapping
 *
 * Context: may sleep.
 * Return: the address, or NULL.
 */
void *vmap(struct page **pages, unsigned int count, unsigned long flags, pgprot_t prot)
{
	struct vm_struct *area;

	if (!count || count > totalram_pages())
		return NULL;
	area = __get_vm_area_node((unsigned long)count << PAGE_SHIFT, 1, flags, GFP_KERNEL,
				  NUMA_NO_NODE, __builtin_return_address(0));
	if (!area)
		return NULL;
	if (kernel_map_pages(host_to_kva(area->addr), pages, count, prot)) {
		vunmap(area->addr);
		return NULL;
	}
	if (flags & VM_MAP_PUT_PAGES) {
		area->pages = pages;
		area->nr_pages = count;
	}
	return area->addr;
}

void vunmap(const void *addr)
{
	struct vm_struct *vm;

	if (!addr)
		return;
	vm = remove_vm_area(addr);
	if (!vm) {
		pr_err("Trying to vunmap() nonexistent vm area (%016llx)\n",
		       (unsigned long long)host_to_kva(addr));
		WARN_ON(1);
		return;
	}
	if (vm->flags & VM_MAP_PUT_PAGES) {
		for (unsigned int i = 0; i < vm->nr_pages; i++)
			__free_page(vm->pages[i]);
		kvfree(vm->pages);
	}
	kfree(vm);
}

/*
 * ---- vm_map_ram and vmap blocks ----
 *
 * vm_map_ram() areas have no vm_struct and no guard page.  Requests of up
 * to VMAP_MAX_ALLOC pages are carved, rounded up to a power of two, from
 * per-CPU vmap blocks: areas of VMAP_BBMAP_BITS pages (1024 on x86_64, 64
 * on x86_32, whose VMAP_MAX_ALLOC is 32) handed out front to back and never
 * reused until the whole block is dirty:
 *
 *   block  |used|used|dirty|used|...free...|      free: never handed out
 *          0                 ^ VMAP_BBMAP_BITS - free
 *
 * vm_unmap_ram() unmaps at once and marks the range dirty (its TLB flush is
 * owed); a fully dirty block goes to the lazy purge as one area.
 * vm_unmap_aliases() flushes the dirty ranges of every block and frees the
 * blocks nothing is left in (free + dirty = all).  Larger requests get an
 * area of their own.  /proc/vmallocinfo shows a block as one vm_map_ram line.
 *
 * Locks: each CPU's vmap_block_queue lock protects its list; vb->lock the
 * block's counts and bitmap; order vbq->lock then vb->lock.  vmap_blocks_lock
 * protects the tree of all blocks (by address), never held with another.
 */
#define VMAP_MAX_ALLOC		((unsigned int)linmm_arch->bits)	/* BITS_PER_LONG */
#define VMAP_BBMAP_BITS_MIN	(VMAP_MAX_ALLOC * 2)

struct vmap_block_queue {
	spinlock_t lock;
	struct list_head free;	/* blocks of this CPU with free pages */
};

static struct vmap_block_queue *vmap_block_queues;	/* [nr_cpu_ids], host heap */
struct rb_root vmap_blocks;		/* struct vmap_block: mm/vmalloc.h */
spinlock_t vmap_blocks_lock;
unsigned long vmap_bbmap_bits;

static void bitmap_assign(u64 *map, unsigned long start, unsigned long nr, bool set)
{
	for (unsigned long i = start; i < start + nr; i++) {
		if (set)
			map[i / 64] |= 1ULL << (i % 64);
		else
			map[i / 64] &= ~(1ULL << (i % 64));
	}
}

/*
 * VMAP_BBMAP_BITS: VMALLOC pages / roundup_pow_of_two(NR_CPUS) / 16, clamped to
 * [2 x VMAP_MAX_ALLOC, 1024]: 1024 on x86_64, 64 on x86_32 (VMAP_MAX_ALLOC 32).
 */
static unsigned long vmap_bbmap_bits_for(u64 vmalloc_size)
{
	u64 bits = vmalloc_size / PAGE_SIZE / NR_CPUS / 16;

	return (unsigned long)min(max(bits, (u64)VMAP_BBMAP_BITS_MIN), (u64)VMAP_BBMAP_BITS_MAX);
}

static struct vmap_block *vmap_block_find(u64 addr)
{
	struct rb_node *n = vmap_blocks.rb_node;
	u64 size = (u64)vmap_bbmap_bits << PAGE_SHIFT;

	while (n) {
		struct vmap_block *vb = rb_entry(n, struct vmap_block, rb);

		if (addr < vb->va->va_start)
			n = n->rb_left;
		else if (addr >= vb->va->va_start + size)
			n = n->rb_right;
		else
			return vb;
	}
	return NULL;
}

/* A new block for this CPU with its first 2^order pages taken. Return their address or 0. */
static u64 new_vmap_block(unsigned int order, int node)
{
	struct vmap_block_queue *vbq = &vmap_block_queues[smp_processor_id()];
	struct rb_node **link = &vmap_blocks.rb_node, *parent = NULL;
	struct vmap_block *vb;
	struct vmap_area *va;

	vb = kzalloc_node(sizeof(*vb), GFP_KERNEL, node);
	if (!vb)
		return 0;
	va = alloc_vmap_area((u64)vmap_bbmap_bits << PAGE_SHIFT, (u64)vmap_bbmap_bits << PAGE_SHIFT,
			     GFP_KERNEL, node, VMAP_RAM | VMAP_BLOCK);
	if (!va) {
		kfree(vb);
		return 0;
	}
	spin_lock_init(&vb->lock);
	vb->va = va;
	vb->free = vmap_bbmap_bits - (1UL << order);
	vb->dirty_min = vmap_bbmap_bits;
	vb->cpu = smp_processor_id();
	bitmap_assign(vb->used_map, 0, 1UL << order, true);
	spin_lock(&vmap_blocks_lock);
	while (*link) {
		parent = *link;
		link = va->va_start < rb_entry(parent, struct vmap_block, rb)->va->va_start
			       ? &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&vb->rb, parent, link);
	rb_insert_color(&vb->rb, &vmap_blocks);
	spin_unlock(&vmap_blocks_lock);
	spin_lock(&vbq->lock);
	list_add_tail(&vb->free_list, &vbq->free);
	spin_unlock(&vbq->lock);
	return va->va_start;
}

/* The whole block is unmapped: its area goes to the lazy purge. */
static void free_vmap_block(struct vmap_block *vb)
{
	spin_lock(&vmap_blocks_lock);
	rb_erase(&vb->rb, &vmap_blocks);
	spin_unlock(&vmap_blocks_lock);
	spin_lock(&vmap_area_lock);
	unlink_va(vb->va, &vmap_area_root, /* augment = */ false);
	spin_unlock(&vmap_area_lock);
	free_vmap_area_noflush(vb->va, /* stale = */ false);	/* vb_free() unmapped it */
	kfree(vb);
}

static unsigned int pages_order(unsigned int count)
{
	return count <= 1 ? 0 : (unsigned int)fls(count - 1);
}

static u64 vb_alloc(unsigned int count, int node)
{
	struct vmap_block_queue *vbq = &vmap_block_queues[smp_processor_id()];
	unsigned int order = pages_order(count);
	struct vmap_block *vb;
	u64 addr = 0;

	spin_lock(&vbq->lock);
	list_for_each_entry(vb, &vbq->free, free_list) {
		unsigned long off;

		spin_lock(&vb->lock);
		if (vb->free < (1UL << order)) {
			spin_unlock(&vb->lock);
			continue;
		}
		off = vmap_bbmap_bits - vb->free;
		addr = vb->va->va_start + ((u64)off << PAGE_SHIFT);
		vb->free -= 1UL << order;
		bitmap_assign(vb->used_map, off, 1UL << order, true);
		if (!vb->free)
			list_del_init(&vb->free_list);
		spin_unlock(&vb->lock);
		break;
	}
	spin_unlock(&vbq->lock);
	return addr ? addr : new_vmap_block(order, node);
}

static void vb_free(u64 addr, unsigned int count)
{
	unsigned int order = pages_order(count);
	struct vmap_block *vb;
	unsigned long off;

	spin_lock(&vmap_blocks_lock);
	vb = vmap_block_find(addr);
	spin_unlock(&vmap_blocks_lock);
	if (!vb) {
		pr_err("vm_unmap_ram: no vmap block holds %016llx\n", (unsigned long long)addr);
		BUG();
	}
	off = (unsigned long)((addr - vb->va->va_start) >> PAGE_SHIFT);
	kernel_unmap_pages(addr, 1U << order);
	spin_lock(&vb->lock);
	bitmap_assign(vb->used_map, off, 1UL << order, false);
	vb->dirty_min = min(vb->dirty_min, off);
	vb->dirty_max = max(vb->dirty_max, off + (1UL << order));
	vb->dirty += 1UL << order;
	if (vb->dirty == vmap_bbmap_bits) {
		spin_unlock(&vb->lock);
		free_vmap_block(vb);
		return;
	}
	spin_unlock(&vb->lock);
}

/**
 * vm_map_ram - map pages quickly, without a vm_struct
 * @pages: the pages
 * @count: how many (up to VMAP_MAX_ALLOC: from a vmap block)
 * @node: preferred node of the metadata
 *
 * Context: may sleep.
 * Return: the address, or NULL; undo with vm_unmap_ram(addr, @count).
 */
void *vm_map_ram(struct page **pages, unsigned int count, int node)
{
	struct vmap_area *va = NULL;
	u64 addr;

	if (!count || !vmalloc_ready)
		return NULL;
	if (count <= VMAP_MAX_ALLOC) {
		addr = vb_alloc(count, node);
	} else {
		va = alloc_vmap_area((u64)count << PAGE_SHIFT, PAGE_SIZE, GFP_KERNEL, node, VMAP_RAM);
		addr = va ? va->va_start : 0;
	}
	if (!addr)
		return NULL;
	if (kernel_map_pages(addr, pages, count, PAGE_KERNEL)) {
		vm_unmap_ram(kva_to_host(addr), count);
		return NULL;
	}
	return kva_to_host(addr);
}

void vm_unmap_ram(const void *mem, unsigned int count)
{
	u64 kva = host_to_kva(mem);
	struct vmap_area *va;

	if (count <= VMAP_MAX_ALLOC) {
		vb_free(kva, count);
		return;
	}
	va = kva ? find_unlink_vmap_area(kva) : NULL;
	if (!va || !(va->flags & VMAP_RAM) || va_size(va) != (u64)count << PAGE_SHIFT) {
		pr_err("vm_unmap_ram: no vm_map_ram area of %u pages at %016llx\n", count,
		       (unsigned long long)kva);
		BUG();
	}
	free_unmap_vmap_area(va);
}

/*
 * Flush every block's dirty range, free the blocks with nothing left in
 * them, then purge the lazy areas; one flush covers all.
 * Context: takes vmap_purge_lock, each CPU's queue and block locks.
 */
static void _vm_unmap_aliases(void)
{
	u64 start = U64_MAX, end = 0;
	bool flush = false;

	spin_lock(&vmap_purge_lock);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct vmap_block_queue *vbq = &vmap_block_queues[cpu];
		struct vmap_block *vb, *n;
		struct list_head purge;

		INIT_LIST_HEAD(&purge);
		spin_lock(&vbq->lock);
		list_for_each_entry_safe(vb, n, &vbq->free, free_list) {
			spin_lock(&vb->lock);
			if (vb->free + vb->dirty == vmap_bbmap_bits && vb->dirty != vmap_bbmap_bits) {
				/* Fragmented: nothing in use any more, free it whole. */
				vb->free = 0;
				vb->dirty = vmap_bbmap_bits;
				list_move(&vb->free_list, &purge);
			} else if (vb->dirty_max) {
				start = min(start, vb->va->va_start + ((u64)vb->dirty_min << PAGE_SHIFT));
				end = max(end, vb->va->va_start + ((u64)vb->dirty_max << PAGE_SHIFT));
				vb->dirty_min = vmap_bbmap_bits;
				vb->dirty_max = 0;
				flush = true;
			}
			spin_unlock(&vb->lock);
		}
		spin_unlock(&vbq->lock);
		list_for_each_entry_safe(vb, n, &purge, free_list) {
			list_del_init(&vb->free_list);
			free_vmap_block(vb);
		}
	}
	if (!__purge_vmap_area_lazy(start, end) && flush)
		flush_tlb_kernel_range(start, end);
	spin_unlock(&vmap_purge_lock);
}

/* ---- lookups ---- */

bool is_vmalloc_addr(const void *x)
{
	u64 kva = host_to_kva(x);

	return kva >= VMALLOC_START && kva < VMALLOC_END;
}

struct page *vmalloc_to_page(const void *addr)
{
	u64 kva = host_to_kva(addr);

	return kva ? kernel_walk_page(kva) : NULL;
}

unsigned long vmalloc_to_pfn(const void *addr)
{
	struct page *page = vmalloc_to_page(addr);

	return page ? page_to_pfn(page) : 0;
}

void vm_unmap_aliases(void)
{
	if (vmalloc_ready)
		_vm_unmap_aliases();
}

unsigned long vmalloc_nr_pages(void)
{
	return (unsigned long)atomic_load(&nr_vmalloc_pages);
}

void vmalloc_for_each_page(void (*fn)(struct page *page, void *arg), void *arg)
{
	const struct vmap_area *va;

	if (!vmalloc_ready)
		return;
	spin_lock(&vmap_area_lock);
	list_for_each_entry(va, &vmap_area_list, list) {
		const struct vm_struct *v = va->vm;

		if (!v || !(v->flags & VM_ALLOC) || (v->flags & VM_UNINITIALIZED) || !v->pages)
			continue;
		for (unsigned int i = 0; i < v->nr_pages; i++)
			if (v->pages[i])
				fn(v->pages[i], arg);
	}
	spin_unlock(&vmap_area_lock);
}

void vmalloc_get_stats(struct vmalloc_stats *st)
{
	st->lazy_pages = (unsigned long)atomic_load(&vmap_lazy_nr);
	st->lazy_max_pages = lazy_max_pages();
	st->nr_purges = (unsigned long)atomic_load(&vmap_nr_purges);
	st->tlb_flushes = (unsigned long)atomic_load(&vmap_tlb_flushes);
	st->tlb_flush_pages = (unsigned long)atomic_load(&vmap_tlb_flush_pages);
}

/* ---- boot, shutdown (/proc/vmallocinfo and validate_vmalloc: mm/vmalloc_debug.c) ---- */

int vmalloc_init(void)
{
	struct vmap_area *va;
	u64 wstart, wend;

	vmalloc_teardown();
	init_mm_late_init();
	kernel_window_range(&wstart, &wend);
	vmalloc_free_end = min(wend, VMALLOC_END);
	vmap_area_cachep = kmem_cache_create("vmap_area", sizeof(struct vmap_area), 0, SLAB_PANIC,
					     NULL);
	vmap_bbmap_bits = vmap_bbmap_bits_for(VMALLOC_END - VMALLOC_START);
	/* The kernel's static per-CPU vmap_block_queue: host memory, not slab. */
	vmap_block_queues = linmm_host_zalloc(nr_cpu_ids * sizeof(*vmap_block_queues));
	if (!vmap_block_queues)
		return -ENOMEM;
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		spin_lock_init(&vmap_block_queues[cpu].lock);
		INIT_LIST_HEAD(&vmap_block_queues[cpu].free);
	}
	va = vmap_area_cachep ? va_alloc(GFP_KERNEL, NUMA_NO_NODE) : NULL;
	if (!va)
		return -ENOMEM;
	va->va_start = VMALLOC_START;
	va->va_end = vmalloc_free_end;
	spin_lock(&free_vmap_area_lock);
	link_va(va, &free_vmap_area_root, NULL, &free_vmap_area_root.rb_node, &free_vmap_area_list,
		/* augment = */ true);
	spin_unlock(&free_vmap_area_lock);
	vmalloc_ready = true;
	x86_fault_init();
	return 0;
}

/**
 * vmalloc_teardown - forget every area
 *
 * The areas, their metadata (slab objects) and their pages are simulated
 * RAM and go with the machine.
 * Context: shutdown, before init_mm_teardown().
 */
void vmalloc_teardown(void)
{
	vmap_area_cachep = NULL;
	linmm_host_free(vmap_block_queues);
	vmap_block_queues = NULL;
	vmap_blocks = RB_ROOT;
	spin_lock_init(&vmap_blocks_lock);
	vmap_bbmap_bits = 0;
	vmap_area_root = free_vmap_area_root = purge_vmap_area_root = RB_ROOT;
	INIT_LIST_HEAD(&vmap_area_list);
	INIT_LIST_HEAD(&free_vmap_area_list);
	INIT_LIST_HEAD(&purge_vmap_area_list);
	spin_lock_init(&vmap_area_lock);
	spin_lock_init(&free_vmap_area_lock);
	spin_lock_init(&purge_vmap_area_lock);
	spin_lock_init(&vmap_purge_lock);
	atomic_store(&nr_vmalloc_pages, 0);
	atomic_store(&vmap_lazy_nr, 0);
	atomic_store(&vmap_stale_nr, 0);
	atomic_store(&vmap_nr_purges, 0);
	atomic_store(&vmap_tlb_flushes, 0);
	atomic_store(&vmap_tlb_flush_pages, 0);
	vmalloc_free_end = 0;
	vmalloc_ready = false;
}
