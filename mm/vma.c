// SPDX-License-Identifier: MIT
/*
 * vma.c - the VMA tree of an mm: lookup, gap search, insertion, removal,
 * split and merge (mm/vma.c, the tree parts of mm/mmap.c).
 *
 * The kernel keeps VMAs in a maple tree; linmm keeps them in an augmented
 * red-black tree ordered by address (as kernels before 6.1 did).  Each VMA
 * stores its own gap, the free space between the previous VMA and itself
 * with stack guard gaps applied:
 *
 *	 prev            gap              vma
 *	[AAAA)  . . . . . . . . . . . [gggBBBB)
 *	     ^vm_end_gap(prev)          ^vm_start_gap(vma)  (g: guard gap of a
 *	                                                      VM_GROWSDOWN vma)
 *
 * and rb_subtree_gap, the largest own gap in its subtree, so that
 * vm_unmapped_area() finds the highest (top-down) or lowest (bottom-up)
 * fitting gap in O(log n).  A VMA's gap depends on its predecessor, so any
 * change of a VMA's extent also refreshes its successor's gap.
 *
 * Invariants (validate_mm): VMAs are non-empty, page aligned, sorted and
 * disjoint; every vm_gap and rb_subtree_gap is exact; map_count is the
 * number of VMAs and highest_vm_end the last vm_end.
 *
 * Locks: every function needs mm->mmap_lock, for writing if it changes
 * the tree.  The slab caches ("vm_area_struct", "mm_struct") are created
 * on first use after each boot (mm_caches_init()) and die with the slab
 * allocator at shutdown.
 */
#include <limits.h>
#include <string.h>

#include <linmm/mmap.h>
#include <linmm/printk.h>
#include <linmm/slab.h>

#include "mm/internal.h"

static struct kmem_cache *vm_area_cachep;
static struct kmem_cache *mm_cachep;

int mm_caches_init(void)
{
	if (vm_area_cachep)
		return 0;
	/*
	 * Neither cache is merged with another, as in the kernel: vm_area_struct
	 * asks for SLAB_NO_MERGE, mm_struct has a usercopy region (saved_auxv).
	 */
	vm_area_cachep = kmem_cache_create("vm_area_struct", sizeof(struct vm_area_struct), 0,
					   SLAB_HWCACHE_ALIGN | SLAB_NO_MERGE | SLAB_ACCOUNT,
					   NULL);
	if (!vm_area_cachep)
		return -ENOMEM;
	mm_cachep = kmem_cache_create("mm_struct", sizeof(struct mm_struct), 0,
				      SLAB_HWCACHE_ALIGN | SLAB_NO_MERGE | SLAB_ACCOUNT, NULL);
	if (!mm_cachep) {
		kmem_cache_destroy(vm_area_cachep);
		vm_area_cachep = NULL;
		return -ENOMEM;
	}
	return 0;
}

void mm_caches_teardown(void)
{
	if (mm_cachep)
		kmem_cache_destroy(mm_cachep);
	if (vm_area_cachep)
		kmem_cache_destroy(vm_area_cachep);
	mm_cachep = NULL;
	vm_area_cachep = NULL;
}

struct mm_struct *mm_struct_alloc(void)
{
	struct mm_struct *mm = kmem_cache_alloc(mm_cachep, GFP_KERNEL);

	if (mm)
		memset(mm, 0, sizeof(*mm));
	return mm;
}

void mm_struct_free(struct mm_struct *mm)
{
	kmem_cache_free(mm_cachep, mm);
}

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma = kmem_cache_alloc(vm_area_cachep, GFP_KERNEL);

	if (!vma)
		return NULL;
	memset(vma, 0, sizeof(*vma));
	vma->vm_mm = mm;
	RB_CLEAR_NODE(&vma->vm_rb);
	return vma;
}

struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig)
{
	struct vm_area_struct *vma = kmem_cache_alloc(vm_area_cachep, GFP_KERNEL);

	if (!vma)
		return NULL;
	*vma = *orig;
	RB_CLEAR_NODE(&vma->vm_rb);
	return vma;
}

void vm_area_free(struct vm_area_struct *vma)
{
	kmem_cache_free(vm_area_cachep, vma);
}

/* ---- the augmented tree ---- */

static inline struct vm_area_struct *rb_vma(const struct rb_node *node)
{
	return rb_entry_safe(node, struct vm_area_struct, vm_rb);
}

static unsigned long subtree_gap(const struct rb_node *node)
{
	return node ? rb_vma(node)->rb_subtree_gap : 0;
}

static unsigned long compute_subtree_gap(const struct vm_area_struct *vma)
{
	unsigned long gap = vma->vm_gap;

	gap = max(gap, subtree_gap(vma->vm_rb.rb_left));
	return max(gap, subtree_gap(vma->vm_rb.rb_right));
}

static void gap_propagate(struct rb_node *node, struct rb_node *stop)
{
	for (; node != stop; node = rb_parent(node))
		rb_vma(node)->rb_subtree_gap = compute_subtree_gap(rb_vma(node));
}

static void gap_copy(struct rb_node *old, struct rb_node *new)
{
	rb_vma(new)->rb_subtree_gap = rb_vma(old)->rb_subtree_gap;
}

static void gap_rotate(struct rb_node *old, struct rb_node *new)
{
	rb_vma(new)->rb_subtree_gap = rb_vma(old)->rb_subtree_gap;
	rb_vma(old)->rb_subtree_gap = compute_subtree_gap(rb_vma(old));
}

static const struct rb_augment_callbacks vma_gap_callbacks = {
	.propagate = gap_propagate,
	.copy = gap_copy,
	.rotate = gap_rotate,
};

static unsigned long compute_gap(const struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = rb_vma(rb_prev(&vma->vm_rb));
	unsigned long end = vm_start_gap(vma);
	unsigned long start = prev ? vm_end_gap(prev) : 0;

	return end > start ? end - start : 0;
}

/* Recompute @vma's own gap and the subtree gaps above it. */
static void vma_gap_update(struct vm_area_struct *vma)
{
	if (!vma)
		return;
	vma->vm_gap = compute_gap(vma);
	gap_propagate(&vma->vm_rb, NULL);
}

static void mm_update_highest(struct mm_struct *mm)
{
	struct vm_area_struct *last = rb_vma(rb_last(&mm->mm_rb));

	mm->highest_vm_end = last ? last->vm_end : 0;
}

void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct rb_node **link = &mm->mm_rb.rb_node, *parent = NULL;

	mmap_assert_write_locked(mm);
	while (*link) {
		parent = *link;
		link = vma->vm_start < rb_vma(parent)->vm_start ? &parent->rb_left
								 : &parent->rb_right;
	}
	rb_link_node(&vma->vm_rb, parent, link);
	vma->vm_gap = compute_gap(vma);
	vma->rb_subtree_gap = vma->vm_gap;
	rb_insert_augmented(&vma->vm_rb, &mm->mm_rb, &vma_gap_callbacks);
	vma_gap_update(vma_next(vma));
	mm->map_count++;
	mm_update_highest(mm);
}

void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *next = vma_next(vma);

	mmap_assert_write_locked(mm);
	rb_erase_augmented(&vma->vm_rb, &mm->mm_rb, &vma_gap_callbacks);
	RB_CLEAR_NODE(&vma->vm_rb);
	vma_gap_update(next);
	mm->map_count--;
	mm_update_highest(mm);
}

void vma_set_range(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		   unsigned long pgoff)
{
	mmap_assert_write_locked(vma->vm_mm);
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_pgoff = pgoff;
	vma_gap_update(vma);
	vma_gap_update(vma_next(vma));
	mm_update_highest(vma->vm_mm);
}

void vma_set_flags(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags = flags;
	vma->vm_page_prot = vm_get_page_prot(flags);
	/* VM_GROWSDOWN moves the start gap. */
	vma_gap_update(vma);
}

/* ---- lookup ---- */

struct vm_area_struct *vma_first(struct mm_struct *mm)
{
	return rb_vma(rb_first(&mm->mm_rb));
}

struct vm_area_struct *vma_next(struct vm_area_struct *vma)
{
	return rb_vma(rb_next(&vma->vm_rb));
}

struct vm_area_struct *vma_prev(struct vm_area_struct *vma)
{
	return rb_vma(rb_prev(&vma->vm_rb));
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct rb_node *node = mm->mm_rb.rb_node;
	struct vm_area_struct *found = NULL;

	mmap_assert_locked(mm);
	while (node) {
		struct vm_area_struct *vma = rb_vma(node);

		if (vma->vm_end > addr) {
			found = vma;
			if (vma->vm_start <= addr)
				break;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	return found;
}

struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	*pprev = vma ? vma_prev(vma) : rb_vma(rb_last(&mm->mm_rb));
	return vma;
}

struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && vma->vm_start <= addr ? vma : NULL;
}

struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	return vma && vma->vm_start < end ? vma : NULL;
}

/* ---- gap search ---- */

/*
 * The fitting candidate in [gap_start, gap_end) clipped to the limits:
 * top-down the highest start, bottom-up the lowest.  0 if none fits
 * (address 0 is never a valid result: low_limit >= mmap_min_addr > 0).
 */
static unsigned long gap_fit(const struct vm_unmapped_area_info *info, unsigned long gap_start,
			     unsigned long gap_end)
{
	unsigned long lo = max(gap_start, info->low_limit);
	unsigned long hi = min(gap_end, info->high_limit);

	if (hi <= lo || hi - lo < info->length)
		return 0;
	return info->topdown ? hi - info->length : lo;
}

/* Search the subtree at @node in the direction of @info; 0 if nothing fits. */
static unsigned long gap_search(struct rb_node *node, const struct vm_unmapped_area_info *info)
{
	struct rb_node *first, *second;
	struct vm_area_struct *vma;
	unsigned long addr;

	if (!node || subtree_gap(node) < info->length)
		return 0;
	vma = rb_vma(node);
	first = info->topdown ? node->rb_right : node->rb_left;
	second = info->topdown ? node->rb_left : node->rb_right;
	addr = gap_search(first, info);
	if (addr)
		return addr;
	if (vma->vm_gap >= info->length) {
		unsigned long end = vm_start_gap(vma);

		addr = gap_fit(info, end - vma->vm_gap, end);
		if (addr)
			return addr;
	}
	return gap_search(second, info);
}

unsigned long vm_unmapped_area(struct mm_struct *mm, const struct vm_unmapped_area_info *info)
{
	struct vm_area_struct *last = rb_vma(rb_last(&mm->mm_rb));
	unsigned long above = last ? vm_end_gap(last) : 0;
	unsigned long addr;

	mmap_assert_locked(mm);
	if (info->topdown) {
		addr = gap_fit(info, above, ULONG_MAX);
		if (addr)
			return addr;
	}
	addr = gap_search(mm->mm_rb.rb_node, info);
	if (!addr && !info->topdown)
		addr = gap_fit(info, above, ULONG_MAX);
	return addr ? addr : (unsigned long)-ENOMEM;
}

/* ---- split and merge ---- */

int __split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr,
		int new_below)
{
	unsigned long pgoff_delta = (addr - vma->vm_start) >> PAGE_SHIFT;
	struct vm_area_struct *new;

	VM_WARN_ON_ONCE(addr <= vma->vm_start || addr >= vma->vm_end);
	new = vm_area_dup(vma);
	if (!new)
		return -ENOMEM;
	if (new_below) {
		new->vm_end = addr;
		vma_set_range(vma, addr, vma->vm_end, vma->vm_pgoff + pgoff_delta);
	} else {
		new->vm_start = addr;
		new->vm_pgoff += pgoff_delta;
		vma_set_range(vma, vma->vm_start, addr, vma->vm_pgoff);
	}
	vma_link(mm, new);
	return 0;
}

int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr,
	      int new_below)
{
	if (mm->map_count >= sysctl_max_map_count)
		return -ENOMEM;
	return __split_vma(mm, vma, addr, new_below);
}

/* Flags (ignoring VM_IGNORE_MERGE) and backing object allow a merge; never VM_SPECIAL. */
static bool is_mergeable_vma(const struct vm_area_struct *vma, const struct vma_merge_desc *d)
{
	if ((vma->vm_flags ^ d->vm_flags) & ~VM_IGNORE_MERGE)
		return false;
	if (vma->vm_flags & VM_SPECIAL)
		return false;
	return vma->vm_file == d->file && vma->vm_shmem_ino == d->shmem_ino;
}

/*
 * Two anon_vmas are compatible when equal or when one VMA has none yet (it
 * has never been faulted, so it can adopt the other's).
 */
static bool is_mergeable_anon_vma(const struct anon_vma *a, const struct anon_vma *b)
{
	return !a || !b || a == b;
}

/* @prev can grow up over [d->start, ...) with page offset d->pgoff. */
static bool can_vma_merge_after(const struct vm_area_struct *prev, const struct vma_merge_desc *d)
{
	return is_mergeable_vma(prev, d) && is_mergeable_anon_vma(prev->anon_vma, d->anon_vma) &&
	       prev->vm_pgoff + vma_pages(prev) == d->pgoff;
}

/* @next can grow down over [..., d->end). */
static bool can_vma_merge_before(const struct vm_area_struct *next,
				 const struct vma_merge_desc *d)
{
	return is_mergeable_vma(next, d) && is_mergeable_anon_vma(next->anon_vma, d->anon_vma) &&
	       next->vm_pgoff == d->pgoff + ((d->end - d->start) >> PAGE_SHIFT);
}

/*
 * vma_merge_new_range: a new range [start, end) goes between @prev and
 * @next (either may be NULL or not adjacent).  The cases:
 *
 *	PPPP****NNNN   both: prev grows over the range and next, next goes
 *	PPPP****       prev grows up
 *	    ****NNNN   next grows down
 */
struct vm_area_struct *vma_merge_new_range(struct mm_struct *mm, const struct vma_merge_desc *d)
{
	struct vm_area_struct *prev = d->prev, *next = d->next;
	bool left = prev && prev->vm_end == d->start && can_vma_merge_after(prev, d);
	bool right = next && next->vm_start == d->end && can_vma_merge_before(next, d);

	if (left && right && !is_mergeable_anon_vma(prev->anon_vma, next->anon_vma))
		right = false;
	if (left && right) {
		unsigned long end = next->vm_end;

		if (!prev->anon_vma)
			prev->anon_vma = next->anon_vma;
		vma_unlink(mm, next);
		vm_area_free(next);
		vma_set_range(prev, prev->vm_start, end, prev->vm_pgoff);
		return prev;
	}
	if (left) {
		vma_set_range(prev, prev->vm_start, d->end, prev->vm_pgoff);
		return prev;
	}
	if (right) {
		vma_set_range(next, d->start, next->vm_end, d->pgoff);
		return next;
	}
	return NULL;
}

/*
 * vma_merge_extend: mremap grows @vma in place.  The extension is a new
 * range right after it, so @vma always takes it (it is never VM_SPECIAL
 * here: mremap refused those) and the next VMA joins when it now touches
 * and is compatible:
 *
 *	VVVV++++NNNN   -> VVVVVVVVVVVV   (N compatible: freed)
 *	VVVV++++  NN   -> VVVVVVVV  NN
 */
struct vm_area_struct *vma_merge_extend(struct mm_struct *mm, struct vm_area_struct *vma,
					unsigned long delta)
{
	struct vma_merge_desc d = {
		.prev = vma,
		.next = vma_next(vma),
		.start = vma->vm_end,
		.end = vma->vm_end + delta,
		.pgoff = vma->vm_pgoff + vma_pages(vma),
		.vm_flags = vma->vm_flags,
		.file = vma->vm_file,
		.shmem_ino = vma->vm_shmem_ino,
		.anon_vma = vma->anon_vma,
	};

	return vma_merge_new_range(mm, &d);
}

/*
 * copy_vma: the destination of an mremap move.  The range [addr, addr + len)
 * is free; it merges with its neighbours there as a new mapping with the
 * source's attributes would.  The neighbour may be the source itself (a
 * move right next to it), whose VMA then covers both for a moment:
 *
 *	SSSS....  move S's range to just after it:  SSSSssss  (one VMA)
 *
 * mremap unmaps the old range from it afterwards.
 */
struct vm_area_struct *copy_vma(struct mm_struct *mm, struct vm_area_struct **vmap,
				unsigned long addr, unsigned long len, unsigned long pgoff)
{
	struct vm_area_struct *vma = *vmap, *new;
	unsigned long vma_start = vma->vm_start;
	struct vma_merge_desc d = {
		.start = addr,
		.end = addr + len,
		.vm_flags = vma->vm_flags,
		.file = vma->vm_file,
		.shmem_ino = vma->vm_shmem_ino,
		.anon_vma = vma->anon_vma,
	};

	/* Never faulted: nothing ties it to its old offset, so take the new place's. */
	if (vma_is_anonymous(vma) && !vma->anon_vma)
		pgoff = addr >> PAGE_SHIFT;
	d.pgoff = pgoff;
	d.next = find_vma_prev(mm, addr, &d.prev);
	VM_WARN_ON_ONCE(d.next && d.next->vm_start < addr + len);
	new = vma_merge_new_range(mm, &d);
	if (new) {
		if (vma_start >= new->vm_start && vma_start < new->vm_end)
			*vmap = new;
		return new;
	}
	new = vm_area_dup(vma);
	if (!new)
		return NULL;
	new->vm_start = addr;
	new->vm_end = addr + len;
	new->vm_pgoff = pgoff;
	vma_link(mm, new);
	return new;
}

/*
 * vma_merge_existing_range: [start, end) inside @d->middle gets new flags.
 * It merges with prev only if it starts at middle's start, with next only
 * if it ends at middle's end:
 *
 *	PPPPMMMMNNNN   all three become prev (middle and next freed)
 *	PPPPMMMM       prev grows over middle (middle freed)
 *	PPPPMMmm       prev grows over MM, middle keeps mm
 *	    MMMMNNNN   next grows down over middle (middle freed)
 *	    mmMMNNNN   next grows down over MM, middle keeps mm
 */
static struct vm_area_struct *vma_merge_existing_range(struct mm_struct *mm,
						       const struct vma_merge_desc *d)
{
	struct vm_area_struct *middle = d->middle, *prev = d->prev, *next = vma_next(middle);
	bool left_side = d->start == middle->vm_start;
	bool right_side = d->end == middle->vm_end;
	bool merge_left = left_side && prev && prev->vm_end == d->start &&
			  can_vma_merge_after(prev, d);
	bool merge_right = right_side && next && next->vm_start == d->end &&
			   can_vma_merge_before(next, d);

	if (merge_left && merge_right && !is_mergeable_anon_vma(prev->anon_vma, next->anon_vma))
		merge_right = false;
	if (merge_left && merge_right) {
		unsigned long end = next->vm_end;

		vma_unlink(mm, middle);
		vm_area_free(middle);
		vma_unlink(mm, next);
		vm_area_free(next);
		vma_set_range(prev, prev->vm_start, end, prev->vm_pgoff);
		return prev;
	}
	if (merge_left) {
		if (right_side) {
			vma_unlink(mm, middle);
			vm_area_free(middle);
		} else {
			vma_set_range(middle, d->end, middle->vm_end,
				      middle->vm_pgoff + ((d->end - middle->vm_start) >> PAGE_SHIFT));
		}
		vma_set_range(prev, prev->vm_start, d->end, prev->vm_pgoff);
		return prev;
	}
	if (merge_right) {
		if (left_side) {
			vma_unlink(mm, middle);
			vm_area_free(middle);
		} else {
			vma_set_range(middle, middle->vm_start, d->start, middle->vm_pgoff);
		}
		vma_set_range(next, d->start, next->vm_end, d->pgoff);
		return next;
	}
	return NULL;
}

int vma_modify_flags(struct mm_struct *mm, struct vm_area_struct *prev,
		     struct vm_area_struct **pvma, unsigned long start, unsigned long end,
		     vm_flags_t new_flags)
{
	struct vm_area_struct *vma = *pvma;
	struct vma_merge_desc d = {
		.prev = prev,
		.middle = vma,
		.start = start,
		.end = end,
		.vm_flags = new_flags,
		.pgoff = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT),
		.file = vma->vm_file,
		.shmem_ino = vma->vm_shmem_ino,
		.anon_vma = vma->anon_vma,
	};
	struct vm_area_struct *merged = vma_merge_existing_range(mm, &d);
	int err;

	if (merged) {
		*pvma = merged;
		return 0;
	}
	if (start > vma->vm_start) {
		err = split_vma(mm, vma, start, 1);
		if (err)
			return err;
	}
	if (end < vma->vm_end) {
		err = split_vma(mm, vma, end, 0);
		if (err)
			return err;
	}
	vma_set_flags(vma, new_flags);
	return 0;
}

/* ---- validation ---- */

static int validate_subtree(const struct rb_node *node)
{
	const struct vm_area_struct *vma;

	if (!node)
		return 0;
	vma = rb_vma(node);
	if (vma->rb_subtree_gap != compute_subtree_gap(vma)) {
		pr_err("validate_mm: vma %lx-%lx subtree gap %lu, expected %lu\n",
		       vma->vm_start, vma->vm_end, vma->rb_subtree_gap, compute_subtree_gap(vma));
		return -EINVAL;
	}
	if (validate_subtree(node->rb_left))
		return -EINVAL;
	return validate_subtree(node->rb_right);
}

int validate_mm(struct mm_struct *mm)
{
	struct vm_area_struct *vma, *prev = NULL;
	int count = 0;

	if (rb_validate(&mm->mm_rb) < 0) {
		pr_err("validate_mm: red-black properties broken\n");
		return -EINVAL;
	}
	for_each_vma(mm, vma) {
		if (vma->vm_mm != mm || vma->vm_start >= vma->vm_end ||
		    !IS_ALIGNED(vma->vm_start, PAGE_SIZE) || !IS_ALIGNED(vma->vm_end, PAGE_SIZE) ||
		    vma->vm_end > mm->task_size || (prev && prev->vm_end > vma->vm_start)) {
			pr_err("validate_mm: bad vma %lx-%lx (prev ends %lx)\n", vma->vm_start,
			       vma->vm_end, prev ? prev->vm_end : 0);
			return -EINVAL;
		}
		if (vma->vm_gap != compute_gap(vma)) {
			pr_err("validate_mm: vma %lx-%lx gap %lu, expected %lu\n", vma->vm_start,
			       vma->vm_end, vma->vm_gap, compute_gap(vma));
			return -EINVAL;
		}
		prev = vma;
		count++;
	}
	if (count != mm->map_count || mm->highest_vm_end != (prev ? prev->vm_end : 0)) {
		pr_err("validate_mm: map_count %d (counted %d), highest_vm_end %lx\n",
		       mm->map_count, count, mm->highest_vm_end);
		return -EINVAL;
	}
	return validate_subtree(mm->mm_rb.rb_node);
}
