// SPDX-License-Identifier: MIT
/*
 * vma.c - the VMA tree of an mm: lookup, gap search, insertion, removal,
 * split and merge (mm/vma.c, the tree parts of mm/mmap.c).
 *
 * As in the kernel (6.1+), an mm's VMAs live in a maple tree, mm->mm_mt
 * (lib/maple_tree.c): each VMA is the entry of its range [vm_start,
 * vm_end - 1], the free space between VMAs is NULL ranges, and the tree's
 * internal nodes track the largest NULL range below them, so that
 * vm_unmapped_area() finds the highest (top-down) or lowest (bottom-up)
 * free range in O(log n) with mas_empty_area_rev() / mas_empty_area().
 * The tree knows nothing of stack guard gaps: as in the kernel, a found
 * range is checked against its neighbours (vm_start_gap()) afterwards.
 *
 *	 prev             free (NULL)             vma
 *	[AAAA)  . . . . . . . . . . . . . . [gggBBBB)
 *	                                      ^vm_start_gap(vma)  (g: guard gap
 *	                                                of a VM_GROWSDOWN vma)
 *
 * Invariants (validate_mm): mt_validate(); VMAs are non-empty, page
 * aligned, sorted and disjoint, each exactly its tree range; map_count is
 * the number of VMAs and highest_vm_end the last vm_end.
 *
 * Locks: every function needs mm->mmap_lock, for writing if it changes
 * the tree.  The slab caches ("vm_area_struct", "mm_struct") are created
 * on first use after each boot (mm_caches_init()) and die with the slab
 * allocator at shutdown.
 */
#include <limits.h>
#include <string.h>

#include <linmm/maple_tree.h>
#include <linmm/memory.h>
#include <linmm/mmap.h>
#include <linmm/printk.h>
#include <linmm/rmap.h>
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
	maple_tree_teardown();		/* the "maple_node" cache of the VMA trees */
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
	mtree_destroy(&mm->mm_mt);	/* empty by now: mmput() unlinked every VMA */
	kmem_cache_free(mm_cachep, mm);
}

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma = kmem_cache_alloc(vm_area_cachep, GFP_KERNEL);

	if (!vma)
		return NULL;
	memset(vma, 0, sizeof(*vma));
	vma->vm_mm = mm;
	INIT_LIST_HEAD(&vma->anon_vma_chain);
	RB_CLEAR_NODE(&vma->shared.rb);	/* in no i_mmap yet */
	return vma;
}

struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig)
{
	struct vm_area_struct *vma = kmem_cache_alloc(vm_area_cachep, GFP_KERNEL);

	if (!vma)
		return NULL;
	*vma = *orig;
	/* No chains yet: the caller links them (anon_vma_clone / anon_vma_fork). */
	INIT_LIST_HEAD(&vma->anon_vma_chain);
	vma_dup_file(vma);		/* get_file(), vm_ops->open (mm/interval_tree.c's caller) */
	return vma;
}

void vm_area_free(struct vm_area_struct *vma)
{
	if (!list_empty(&vma->anon_vma_chain))
		unlink_anon_vmas(vma);	/* mm/rmap.c */
	vma_release_file(vma);		/* vm_ops->close, fput() */
	kmem_cache_free(vm_area_cachep, vma);
}

/* ---- the maple tree of VMAs ---- */

/*
 * A store into the mm's tree.  The kernel preallocates the nodes a VMA
 * change needs (vma_iter_prealloc()) and fails the system call with -ENOMEM
 * before it touches anything; linmm's callers of vma_link() and friends
 * cannot fail yet, so the stores are __GFP_NOFAIL (failslab leaves those
 * alone).  Most stores rewrite one leaf in place and allocate nothing.
 */
static void vma_tree_store(struct mm_struct *mm, unsigned long start, unsigned long end,
			   struct vm_area_struct *vma)
{
	MA_STATE(mas, &mm->mm_mt, start, end - 1);

	WARN_ON(mas_store_gfp(&mas, vma, GFP_KERNEL | __GFP_NOFAIL));
}

static void mm_update_highest(struct mm_struct *mm)
{
	struct vm_area_struct *last = mt_prev(&mm->mm_mt, ULONG_MAX, 0);

	mm->highest_vm_end = last ? last->vm_end : 0;
}

void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	mmap_assert_write_locked(mm);
	VM_WARN_ON_ONCE(find_vma_intersection(mm, vma->vm_start, vma->vm_end));
	vma_tree_store(mm, vma->vm_start, vma->vm_end, vma);
	mm->map_count++;
	if (vma->vm_end > mm->highest_vm_end)
		mm->highest_vm_end = vma->vm_end;
	vma_link_file(vma);		/* the file's i_mmap (mm/interval_tree.c) */
}

void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	mmap_assert_write_locked(mm);
	VM_WARN_ON_ONCE(mtree_load(&mm->mm_mt, vma->vm_start) != vma);
	vma_unlink_file(vma);
	vma_tree_store(mm, vma->vm_start, vma->vm_end, NULL);
	mm->map_count--;
	if (vma->vm_end == mm->highest_vm_end)
		mm_update_highest(mm);
}

/*
 * In the tree, the parts of the old range the new one drops become NULL,
 * then the new range is stored whole if it grew (the growth must be free):
 *
 *	old  [VVVVVVVV]        shrink: ..[VVVVVV]       grow: [VVVVVVVVVVV]
 *	                       (head NULLed)            (stored whole)
 */
void vma_set_range(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		   unsigned long pgoff)
{
	bool rekey_anon = !list_empty(&vma->anon_vma_chain);
	struct mm_struct *mm = vma->vm_mm;
	unsigned long old_start = vma->vm_start, old_end = vma->vm_end;
	bool linked = old_start < old_end && mtree_load(&mm->mm_mt, old_start) == vma;

	mmap_assert_write_locked(vma->vm_mm);
	vma_unlink_file(vma);		/* its i_mmap key changes */
	if (rekey_anon) {		/* and its anon_vma interval-tree keys */
		anon_vma_lock_write(vma->anon_vma);
		anon_vma_interval_tree_pre_update_vma(vma);
	}
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_pgoff = pgoff;
	if (rekey_anon) {
		anon_vma_interval_tree_post_update_vma(vma);
		anon_vma_unlock_write(vma->anon_vma);
	}
	if (!linked)
		return;
	vma_link_file(vma);
	if (start > old_start)
		vma_tree_store(mm, old_start, min(start, old_end), NULL);
	if (end < old_end)
		vma_tree_store(mm, max(end, old_start), old_end, NULL);
	if (start < old_start || end > old_end)
		vma_tree_store(mm, start, end, vma);
	if (end > mm->highest_vm_end)
		mm->highest_vm_end = end;
	else if (end < old_end && old_end == mm->highest_vm_end)
		mm_update_highest(mm);
}

void vma_set_flags(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags = flags;
	vma_set_page_prot(vma);		/* with writenotify for shared file mappings */
}

/* ---- lookup ---- */

struct vm_area_struct *vma_first(struct mm_struct *mm)
{
	unsigned long index = 0;

	return mt_find(&mm->mm_mt, &index, ULONG_MAX);
}

struct vm_area_struct *vma_next(struct vm_area_struct *vma)
{
	unsigned long index = vma->vm_end;

	return mt_find(&vma->vm_mm->mm_mt, &index, ULONG_MAX);
}

struct vm_area_struct *vma_prev(struct vm_area_struct *vma)
{
	return mt_prev(&vma->vm_mm->mm_mt, vma->vm_start, 0);
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	unsigned long index = addr;

	mmap_assert_locked(mm);
	return mt_find(&mm->mm_mt, &index, ULONG_MAX);
}

struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev)
{
	MA_STATE(mas, &mm->mm_mt, addr, addr);
	struct vm_area_struct *vma;

	mmap_assert_locked(mm);
	vma = mas_find(&mas, ULONG_MAX);
	*pprev = vma ? mas_prev(&mas, 0) : mt_prev(&mm->mm_mt, ULONG_MAX, 0);
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
 * The tree knows free ranges, not stack guard gaps, so a candidate is
 * checked against its neighbours afterwards, as the kernel's
 * unmapped_area() does: when the next VMA grows down, the candidate must
 * end below its guard gap (vm_start_gap()), else the search goes on above
 * that VMA (bottom-up) or below its guard gap (top-down):
 *
 *	    free range found                 stack VMA
 *	[AA)  . . . [cand....] . . . . [ggggSSSS)
 *	                  ^end must be <= ^vm_start_gap
 *
 * The length searched includes align_mask, so an aligned start always fits.
 */
static unsigned long unmapped_area(struct mm_struct *mm, const struct vm_unmapped_area_info *info)
{
	unsigned long length = info->length + info->align_mask, low_limit = info->low_limit;
	struct vm_area_struct *next, *prev;
	MA_STATE(mas, &mm->mm_mt, 0, 0);
	unsigned long gap, index;

	if (length < info->length)
		return -ENOMEM;
retry:
	if (low_limit >= info->high_limit ||
	    mas_empty_area(&mas, low_limit, info->high_limit - 1, length))
		return -ENOMEM;
	gap = mas.index;
	gap += (info->align_offset - gap) & info->align_mask;
	index = mas.index;
	next = mt_find(&mm->mm_mt, &index, ULONG_MAX);
	if (next && (next->vm_flags & VM_GROWSDOWN)) {
		if (vm_start_gap(next) < gap + length - 1) {
			low_limit = next->vm_end;
			goto retry;
		}
	} else {
		prev = mt_prev(&mm->mm_mt, mas.index, 0);
		if (prev && vm_end_gap(prev) > gap) {
			low_limit = vm_end_gap(prev);
			goto retry;
		}
	}
	return gap;
}

static unsigned long unmapped_area_topdown(struct mm_struct *mm,
					   const struct vm_unmapped_area_info *info)
{
	unsigned long length = info->length + info->align_mask, high_limit = info->high_limit;
	struct vm_area_struct *next, *prev;
	MA_STATE(mas, &mm->mm_mt, 0, 0);
	unsigned long gap, gap_end, index;

	if (length < info->length)
		return -ENOMEM;
retry:
	if (info->low_limit >= high_limit ||
	    mas_empty_area_rev(&mas, info->low_limit, high_limit - 1, length))
		return -ENOMEM;
	gap_end = mas.last + 1;
	gap = gap_end - info->length;
	gap -= (gap - info->align_offset) & info->align_mask;
	index = mas.index;
	next = mt_find(&mm->mm_mt, &index, ULONG_MAX);
	if (next && (next->vm_flags & VM_GROWSDOWN)) {
		if (vm_start_gap(next) < gap_end) {
			high_limit = vm_start_gap(next);
			goto retry;
		}
	} else {
		prev = mt_prev(&mm->mm_mt, mas.index, 0);
		if (prev && vm_end_gap(prev) > gap) {
			high_limit = prev->vm_start;
			goto retry;
		}
	}
	return gap;
}

unsigned long vm_unmapped_area(struct mm_struct *mm, const struct vm_unmapped_area_info *info)
{
	mmap_assert_locked(mm);
	return info->topdown ? unmapped_area_topdown(mm, info) : unmapped_area(mm, info);
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
	} else {
		new->vm_start = addr;
		new->vm_pgoff += pgoff_delta;
	}
	/* The new piece may map the same anonymous pages: the same rmap links. */
	if (anon_vma_clone(new, vma)) {
		vm_area_free(new);
		return -ENOMEM;
	}
	if (new_below)
		vma_set_range(vma, addr, vma->vm_end, vma->vm_pgoff + pgoff_delta);
	else
		vma_set_range(vma, vma->vm_start, addr, vma->vm_pgoff);
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
	/* A VMA whose object counts its VMAs (vm_ops->close: SysV shm) never merges. */
	if (vma->vm_ops && vma->vm_ops->close)
		return false;
	return vma->vm_file == d->file;
}

/*
 * is_mergeable_anon_vma (6.18): can @tgt take in the range of @d, whose
 * anonymous pages belong to d->anon_vma (the source: d->middle for an
 * existing range, d->copied_from for an mremap copy, nothing for a new
 * mapping)?  Equal anon_vmas always; if only one side has one, it is
 * lent or adopted (dup_anon_vma) unless the VMA that has it is a fork
 * child, whose chains reach pages the other side never mapped.
 */
static bool is_mergeable_anon_vma(const struct vma_merge_desc *d,
				  const struct vm_area_struct *tgt)
{
	const struct vm_area_struct *src = d->middle ? d->middle : d->copied_from;

	if (!tgt->anon_vma && d->anon_vma)
		return !src || !vma_is_fork_child(src);
	if (tgt->anon_vma && !d->anon_vma)
		return !vma_is_fork_child(tgt);
	return tgt->anon_vma == d->anon_vma;
}

/* prev and next may both be merged over the range: their anon_vmas agree. */
static bool anon_vmas_compatible(const struct vm_area_struct *prev,
				 const struct vm_area_struct *next)
{
	if (!prev->anon_vma || !next->anon_vma)
		return !vma_is_fork_child(prev) && !vma_is_fork_child(next);
	return prev->anon_vma == next->anon_vma;
}

/* @prev can grow up over [d->start, ...) with page offset d->pgoff. */
static bool can_vma_merge_after(const struct vm_area_struct *prev, const struct vma_merge_desc *d)
{
	return is_mergeable_vma(prev, d) && is_mergeable_anon_vma(d, prev) &&
	       prev->vm_pgoff + vma_pages(prev) == d->pgoff;
}

/* @next can grow down over [..., d->end). */
static bool can_vma_merge_before(const struct vm_area_struct *next,
				 const struct vma_merge_desc *d)
{
	return is_mergeable_vma(next, d) && is_mergeable_anon_vma(d, next) &&
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

	if (left && right && !anon_vmas_compatible(prev, next))
		right = false;
	/* The surviving VMA adopts the anon_vma of what it takes in (dup_anon_vma). */
	if (left && right && (dup_anon_vma(prev, next) ||
			      (d->copied_from && dup_anon_vma(prev, d->copied_from))))
		return NULL;
	if (left && !right && d->copied_from && dup_anon_vma(prev, d->copied_from))
		return NULL;
	if (right && !left && d->copied_from && dup_anon_vma(next, d->copied_from))
		return NULL;
	if (left && right) {
		unsigned long end = next->vm_end;

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
		.anon_vma = vma->anon_vma,
		.copied_from = vma,
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
	/* The moved pages keep their anon_vma: the copy gets the source's links. */
	if (anon_vma_clone(new, vma)) {
		vm_area_free(new);
		return NULL;
	}
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

	if (merge_left && merge_right && !anon_vmas_compatible(prev, next))
		merge_right = false;
	if (merge_left && merge_right && (dup_anon_vma(prev, middle) || dup_anon_vma(prev, next)))
		return NULL;
	if (merge_left && !merge_right && dup_anon_vma(prev, middle))
		return NULL;
	if (merge_right && !merge_left && dup_anon_vma(next, middle))
		return NULL;
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

int validate_mm(struct mm_struct *mm)
{
	struct vm_area_struct *vma, *prev = NULL;
	MA_STATE(mas, &mm->mm_mt, 0, 0);
	int count = 0;

	if (mt_validate(&mm->mm_mt))
		return -EINVAL;
	while ((vma = mas_find(&mas, ULONG_MAX))) {
		if (mas.index != vma->vm_start || mas.last != vma->vm_end - 1) {
			pr_err("validate_mm: vma %lx-%lx is in the tree at [%lx, %lx]\n",
			       vma->vm_start, vma->vm_end, mas.index, mas.last);
			return -EINVAL;
		}
		if (vma->vm_mm != mm || vma->vm_start >= vma->vm_end ||
		    !IS_ALIGNED(vma->vm_start, PAGE_SIZE) || !IS_ALIGNED(vma->vm_end, PAGE_SIZE) ||
		    vma->vm_end > mm->task_size || (prev && prev->vm_end > vma->vm_start)) {
			pr_err("validate_mm: bad vma %lx-%lx (prev ends %lx)\n", vma->vm_start,
			       vma->vm_end, prev ? prev->vm_end : 0);
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
	return 0;
}
