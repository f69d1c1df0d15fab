// SPDX-License-Identifier: MIT
/*
 * madvise.c - advice about how a range of memory will be used
 * (mm/madvise.c, with ksm_madvise() of mm/ksm.c, hugepage_madvise() of
 * mm/khugepaged.c and the VMA checks of faultin_page_range() in mm/gup.c).
 *
 * do_madvise() checks the arguments before it looks at a VMA: an unknown
 * advice, an unaligned start, a length that rounds up past the end of the
 * address space are -EINVAL; an empty range is 0.  Then
 * madvise_walk_vmas() applies the advice to each VMA's part of the range:
 * unlike mprotect and mlock, holes do not stop it; they only make the
 * result -ENOMEM once the mapped parts have been advised.  An error from
 * a VMA stops the walk (the VMAs before it keep the advice).
 *
 *	range         [-------------------)
 *	VMAs        AAAAAA    BBBBBB    CCCCCC
 *	advised        AAA    BBBBBB    C          and -ENOMEM for the holes
 *
 * Two kinds of advice:
 *  - flag advice changes vm_flags over the range and so splits and merges
 *    VMAs (madvise_update_vma() -> vma_modify_flags()): MADV_NORMAL,
 *    RANDOM, SEQUENTIAL (VM_RAND_READ/VM_SEQ_READ), DONTFORK/DOFORK
 *    (VM_DONTCOPY), WIPEONFORK/KEEPONFORK, DONTDUMP/DODUMP, HUGEPAGE/
 *    NOHUGEPAGE, MERGEABLE/UNMERGEABLE (KSM: shared memory ignores it).
 *    Running out of memory for a split is -EAGAIN here, not -ENOMEM.
 *  - page advice works on the pages of the range and leaves the VMAs as
 *    they are: DONTNEED, DONTNEED_LOCKED, FREE, WILLNEED, COLD, PAGEOUT,
 *    REMOVE, POPULATE_READ/WRITE, COLLAPSE, GUARD_INSTALL/REMOVE.  Their
 *    VMA checks are the kernel's (DONTNEED of an mlocked VMA is -EINVAL,
 *    FREE of shared memory -EINVAL, POPULATE of a hole -ENOMEM and of
 *    memory without the right permission -EINVAL, ...); the page work
 *    itself is a PAGE-TABLE HOOK (madvise_*_pages() below) that does
 *    nothing yet.
 *
 * linmm is built like a kernel with CONFIG_KSM and CONFIG_TRANSPARENT_
 * HUGEPAGE but without CONFIG_MEMORY_FAILURE (MADV_HWPOISON and
 * MADV_SOFT_OFFLINE are unknown advice, -EINVAL) and CONFIG_ANON_VMA_NAME.
 * No transparent huge pages exist, so MADV_COLLAPSE finds no VMA that may
 * have one (-EINVAL, as on a kernel with THP disabled for the process).
 * Mappings cannot be sealed yet (mseal), so no advice is -EPERM.
 *
 * Locks: mm->mmap_lock for writing for flag advice, for reading otherwise
 * (the kernel tries a per-VMA lock first for DONTNEED and FREE; with one
 * lock only, linmm takes mmap_lock for reading).
 */
#include <linmm/memory.h>
#include <linmm/mmap.h>
#include <linmm/sched.h>

#include "mm/internal.h"

struct madvise_behavior {
	struct mm_struct *mm;
	int behavior;
	/* The part of the range in @vma that the advice applies to now. */
	unsigned long start, end;
	struct vm_area_struct *prev, *vma;
};

/* ---- PAGE-TABLE HOOKS: the page work of page advice ---- */

/*
 * Each of these stands where the kernel walks the page tables of
 * [mb->start, mb->end) in mb->vma.  dontneed and populate are done
 * (mm/memory.c); the others do nothing yet:
 *   dontneed  zap_page_range_single(): unmap and free the pages
 *   free      madvise_free_pte_range(): mark clean anonymous folios lazyfree
 *   willneed  swap in the range's swapped-out pages (anonymous, shmem)
 *   cold      deactivate the folios; pageout: reclaim them
 *   remove    punch a hole into the shmem object (vfs_fallocate)
 *   populate  fault each page in (handle_mm_fault), as a write fault for
 *             POPULATE_WRITE
 *   guard     install (anon_vma_prepare() first) or remove guard PTE markers
 *   unmerge   break the KSM pages of a VMA that becomes unmergeable
 */
static void madvise_dontneed_pages(struct madvise_behavior *mb)
{
	zap_page_range_single(mb->vma, mb->start, mb->end - mb->start);	/* mm/memory.c */
}

static void madvise_free_pages(struct madvise_behavior *mb)
{
	(void)mb;
}

static void madvise_willneed_pages(struct madvise_behavior *mb)
{
	(void)mb;
}

static void madvise_cold_pages(struct madvise_behavior *mb, bool pageout)
{
	(void)mb;
	(void)pageout;
}

static void madvise_remove_pages(struct madvise_behavior *mb)
{
	(void)mb;
}

static void madvise_populate_pages(struct vm_area_struct *vma, unsigned long start,
				   unsigned long end, bool write)
{
	/* mm/memory.c; a fault error (no memory) leaves the rest unpopulated. */
	faultin_page_range(vma, start, end, write);
}

static void madvise_guard_pages(struct madvise_behavior *mb, bool install)
{
	(void)mb;
	(void)install;
}

static void ksm_unmerge_pages(struct madvise_behavior *mb)
{
	(void)mb;
}

/* ---- flag advice ---- */

/*
 * Give the range @new_flags, splitting and merging; mb->vma becomes the
 * VMA that covers it.  0 or -ENOMEM.
 */
static int madvise_update_vma(vm_flags_t new_flags, struct madvise_behavior *mb)
{
	int err;

	if (new_flags == mb->vma->vm_flags)
		return 0;
	err = vma_modify_flags(mb->mm, mb->prev, &mb->vma, mb->start, mb->end, new_flags);
	if (err)
		return err;
	vma_set_flags(mb->vma, new_flags);
	return 0;
}

/* vma_ksm_compatible(): KSM merges only private, ordinary memory. */
static bool vma_ksm_compatible(const struct vm_area_struct *vma)
{
	return !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE | VM_PFNMAP | VM_IO | VM_DONTEXPAND |
				  VM_HUGETLB | VM_MIXEDMAP));
}

/* ksm_madvise(): MADV_MERGEABLE / MADV_UNMERGEABLE; other VMAs ignore the advice. */
static void ksm_madvise(struct madvise_behavior *mb, vm_flags_t *vm_flags)
{
	struct vm_area_struct *vma = mb->vma;

	if (mb->behavior == MADV_MERGEABLE) {
		if ((vma->vm_flags & VM_MERGEABLE) || !vma_ksm_compatible(vma))
			return;
		*vm_flags |= VM_MERGEABLE;
		return;
	}
	if (!(*vm_flags & VM_MERGEABLE))
		return;
	if (vma->anon_vma)
		ksm_unmerge_pages(mb);
	*vm_flags &= ~VM_MERGEABLE;
}

/* ---- page advice: the kernel's VMA checks ---- */

/* MADV_COLD and MADV_PAGEOUT leave locked, PFN and hugetlb memory alone. */
static bool can_madv_lru_vma(const struct vm_area_struct *vma)
{
	return !(vma->vm_flags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB));
}

static int madvise_dontneed_free(struct madvise_behavior *mb)
{
	vm_flags_t forbidden = VM_PFNMAP;

	if (mb->behavior != MADV_DONTNEED_LOCKED)
		forbidden |= VM_LOCKED;
	if (mb->vma->vm_flags & (forbidden | VM_HUGETLB))
		return -EINVAL;
	if (mb->start == mb->end)
		return 0;
	if (mb->behavior == MADV_FREE) {
		/* Lazy freeing is for anonymous memory only (not shmem). */
		if (!vma_is_anonymous(mb->vma))
			return -EINVAL;
		madvise_free_pages(mb);
		return 0;
	}
	madvise_dontneed_pages(mb);
	return 0;
}

static int madvise_remove(struct madvise_behavior *mb)
{
	struct vm_area_struct *vma = mb->vma;

	if (vma->vm_flags & VM_LOCKED)
		return -EINVAL;
	/* Only a file can have a hole punched; shared anonymous memory is shmem. */
	if (!vma->vm_file)
		return -EINVAL;
	if ((vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) != (VM_SHARED | VM_MAYWRITE))
		return -EACCES;
	madvise_remove_pages(mb);
	return 0;
}

/* Guard regions: never on special or hugetlb memory; installing never on locked. */
static int madvise_guard(struct madvise_behavior *mb, bool install)
{
	vm_flags_t disallowed = VM_SPECIAL | VM_HUGETLB;

	if (install)
		disallowed |= VM_LOCKED;
	if (mb->vma->vm_flags & disallowed)
		return -EINVAL;
	madvise_guard_pages(mb, install);
	return 0;
}

/* Apply the advice to [mb->start, mb->end) of mb->vma. */
static int madvise_vma_behavior(struct madvise_behavior *mb)
{
	struct vm_area_struct *vma = mb->vma;
	vm_flags_t new_flags = vma->vm_flags;
	int err;

	switch (mb->behavior) {
	case MADV_REMOVE:
		return madvise_remove(mb);
	case MADV_WILLNEED:
		madvise_willneed_pages(mb);
		return 0;
	case MADV_COLD:
	case MADV_PAGEOUT:
		if (!can_madv_lru_vma(vma))
			return -EINVAL;
		madvise_cold_pages(mb, mb->behavior == MADV_PAGEOUT);
		return 0;
	case MADV_FREE:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
		return madvise_dontneed_free(mb);
	case MADV_COLLAPSE:
		/* thp_vma_allowable_order() fails: no transparent huge pages. */
		return -EINVAL;
	case MADV_GUARD_INSTALL:
		return madvise_guard(mb, /* install = */ true);
	case MADV_GUARD_REMOVE:
		return madvise_guard(mb, /* install = */ false);

	/* The advice below changes vm_flags. */
	case MADV_NORMAL:
		new_flags &= ~(VM_RAND_READ | VM_SEQ_READ);
		break;
	case MADV_SEQUENTIAL:
		new_flags = (new_flags & ~VM_RAND_READ) | VM_SEQ_READ;
		break;
	case MADV_RANDOM:
		new_flags = (new_flags & ~VM_SEQ_READ) | VM_RAND_READ;
		break;
	case MADV_DONTFORK:
		new_flags |= VM_DONTCOPY;
		break;
	case MADV_DOFORK:
		if (new_flags & VM_IO)
			return -EINVAL;
		new_flags &= ~VM_DONTCOPY;
		break;
	case MADV_WIPEONFORK:
		/* Wiping a child's copy makes sense for private anonymous memory only. */
		if (vma->vm_file || (new_flags & VM_SHARED))
			return -EINVAL;
		new_flags |= VM_WIPEONFORK;
		break;
	case MADV_KEEPONFORK:
		new_flags &= ~VM_WIPEONFORK;
		break;
	case MADV_DONTDUMP:
		new_flags |= VM_DONTDUMP;
		break;
	case MADV_DODUMP:
		if (!(vma->vm_flags & VM_HUGETLB) && (new_flags & VM_SPECIAL))
			return -EINVAL;
		new_flags &= ~VM_DONTDUMP;
		break;
	case MADV_MERGEABLE:
	case MADV_UNMERGEABLE:
		ksm_madvise(mb, &new_flags);
		break;
	case MADV_HUGEPAGE:
		new_flags = (new_flags & ~VM_NOHUGEPAGE) | VM_HUGEPAGE;
		break;
	case MADV_NOHUGEPAGE:
		new_flags = (new_flags & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
		break;
	}
	mmap_assert_write_locked(mb->mm);
	err = madvise_update_vma(new_flags, mb);
	/* A kernel resource (a VMA for a split) was short: try again later. */
	return err == -ENOMEM ? -EAGAIN : err;
}

/*
 * madvise_populate: MADV_POPULATE_READ/WRITE fault the range in through
 * GUP (faultin_page_range()), which looks the VMAs up itself: a hole is
 * -ENOMEM, a VMA without the permission the access needs (read, or write
 * for POPULATE_WRITE; no FOLL_FORCE here) -EINVAL.  The pages before the
 * failing one stay populated.
 */
static int madvise_populate(struct madvise_behavior *mb)
{
	bool write = mb->behavior == MADV_POPULATE_WRITE;
	unsigned long start = mb->start, end = mb->end;

	while (start < end) {
		struct vm_area_struct *vma = vma_lookup(mb->mm, start);
		unsigned long nend;

		if (!vma)
			return -ENOMEM;
		if ((vma->vm_flags & (VM_IO | VM_PFNMAP)) ||
		    !(vma->vm_flags & (write ? VM_WRITE : VM_READ)))
			return -EINVAL;
		nend = min(end, vma->vm_end);
		madvise_populate_pages(vma, start, nend, write);
		start = nend;
	}
	return 0;
}

/*
 * madvise_walk_vmas: the advice for each VMA's part of [mb->start,
 * mb->end); holes make the result -ENOMEM but do not stop the walk.
 */
static int madvise_walk_vmas(struct madvise_behavior *mb)
{
	unsigned long last_end = mb->end;
	struct vm_area_struct *vma, *prev;
	int unmapped_error = 0;
	int err;

	vma = find_vma_prev(mb->mm, mb->start, &prev);
	if (vma && mb->start > vma->vm_start)
		prev = vma;
	for (;;) {
		if (!vma)
			return -ENOMEM;
		if (mb->start < vma->vm_start) {
			unmapped_error = -ENOMEM;
			mb->start = vma->vm_start;
			if (mb->start >= last_end)
				break;
		}
		mb->end = min(vma->vm_end, last_end);
		mb->prev = prev;
		mb->vma = vma;
		err = madvise_vma_behavior(mb);
		if (err)
			return err;
		vma = mb->vma;
		prev = vma;
		if (mb->end < vma->vm_end)
			mb->end = vma->vm_end;
		if (mb->end >= last_end)
			break;
		vma = find_vma(mb->mm, vma->vm_end);
		mb->start = mb->end;
	}
	return unmapped_error;
}

static bool madvise_behavior_valid(int behavior)
{
	switch (behavior) {
	case MADV_DOFORK:
	case MADV_DONTFORK:
	case MADV_NORMAL:
	case MADV_SEQUENTIAL:
	case MADV_RANDOM:
	case MADV_REMOVE:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
	case MADV_FREE:
	case MADV_COLD:
	case MADV_PAGEOUT:
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
	case MADV_MERGEABLE:		/* CONFIG_KSM */
	case MADV_UNMERGEABLE:
	case MADV_HUGEPAGE:		/* CONFIG_TRANSPARENT_HUGEPAGE */
	case MADV_NOHUGEPAGE:
	case MADV_COLLAPSE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case MADV_GUARD_INSTALL:
	case MADV_GUARD_REMOVE:
		return true;
	default:
		return false;
	}
}

/* Advice that changes vm_flags needs mmap_lock for writing (get_lock_mode()). */
static bool madvise_need_mmap_write(int behavior)
{
	switch (behavior) {
	case MADV_REMOVE:
	case MADV_WILLNEED:
	case MADV_COLD:
	case MADV_PAGEOUT:
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
	case MADV_COLLAPSE:
	case MADV_GUARD_INSTALL:
	case MADV_GUARD_REMOVE:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
	case MADV_FREE:
		return false;
	default:
		return true;
	}
}

int do_madvise(struct mm_struct *mm, unsigned long start, unsigned long len_in, int behavior)
{
	struct madvise_behavior mb = { .mm = mm, .behavior = behavior };
	unsigned long len = PAGE_ALIGN(len_in);
	bool write = madvise_need_mmap_write(behavior);
	int err;

	if (!madvise_behavior_valid(behavior) || offset_in_page(start))
		return -EINVAL;
	/* A length of nearly ULONG_MAX rounds up to 0; the end must not wrap. */
	if ((len_in && !len) || start + len < start)
		return -EINVAL;
	if (start + len == start)
		return 0;
	mb.start = start;
	mb.end = start + len;

	if (write)
		mmap_write_lock(mm);
	else
		mmap_read_lock(mm);
	if (behavior == MADV_POPULATE_READ || behavior == MADV_POPULATE_WRITE)
		err = madvise_populate(&mb);
	else
		err = madvise_walk_vmas(&mb);
	if (write)
		mmap_write_unlock(mm);
	else
		mmap_read_unlock(mm);
	return err;
}

int linmm_madvise(struct task_struct *tsk, unsigned long start, unsigned long len, int behavior)
{
	return do_madvise(tsk->mm, start, len, behavior);
}
