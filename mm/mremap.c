// SPDX-License-Identifier: MIT
/*
 * mremap.c - resizing and moving a mapping (mm/mremap.c).
 *
 * linmm_mremap() follows Linux 6.18's do_mremap().  The arguments are
 * checked first (check_mremap_params: flags, alignment, the new length,
 * the destination, its overlap with the source, room below
 * vm.max_map_count), then the VMA at the address (check_prep_vma), then
 * one of these, the ranges drawn one character per page:
 *
 *   same length, no move   nothing: the address comes back (only the first
 *                          page of the range must be mapped)
 *   shrink                 VVVVVVVV -> VVVV....   unmap the tail, which may
 *                          reach into the following VMAs, as in the kernel
 *   grow in place          VVVV....NN -> VVVVVVVVNN  when the range ends at
 *                          vm_end and the pages after it are free; the next
 *                          VMA joins when compatible (vma_merge_extend)
 *   move                   no room and MREMAP_MAYMOVE, or MREMAP_FIXED, or
 *                          MREMAP_DONTUNMAP: copy_vma() at the new place
 *                          (merging there), move_page_tables(), then unmap
 *                          the old range unless DONTUNMAP:
 *                            VVVVVVVV ........ -> VV....VV ....  (the new VMA)
 *   move only              MREMAP_FIXED with old_len == new_len moves every
 *                          VMA of the range, keeping the holes between them
 *                          (remap_move):
 *                            A.BB..C ....... -> ....... A.BB..C
 *
 * Accounting: a VM_ACCOUNT mapping is charged to Committed_AS for what it
 * grows by, or for the whole new length with DONTUNMAP (the old range
 * stays).  Before a move unmaps the old range, VM_ACCOUNT is hidden so
 * that the charge the new VMA now carries is not given back.  A move that
 * also shrinks is charged the shrunk amount, which nothing gives back:
 * 6.18 does exactly that (on the host, Committed_AS grows by it for good).
 * locked_vm grows with a locked mapping, also by the copy DONTUNMAP makes,
 * whose old VMA loses VM_LOCKED while locked_vm keeps counting it (as on
 * the host: VmLck grows).
 *
 * The pages move with their page-table entries (move_page_tables(), over
 * mm/memory.c's move_page_ptes()); a locked mapping that grew is faulted
 * in after the lock is dropped (mm_populate), as in the kernel.
 *
 * Not modelled: RLIMIT_AS/RLIMIT_DATA (may_expand_vm; both unlimited by
 * default), mseal (-EPERM), hugetlb alignment, userfaultfd events.
 *
 * Locks: mm->mmap_lock for writing throughout; linmm_mremap() takes it
 * (before the argument checks, which read map_count: the kernel reads it
 * unlocked).  The kernel may drop the lock early after a shrink; nothing
 * follows that needs it here.
 */
#include <stdatomic.h>

#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/printk.h>
#include <linmm/rmap.h>
#include <linmm/sched.h>

#include "mm/internal.h"

enum mremap_type {
	MREMAP_INVALID,		/* not classified yet */
	MREMAP_NO_RESIZE,	/* old_len == new_len */
	MREMAP_SHRINK,		/* old_len > new_len */
	MREMAP_EXPAND,		/* old_len < new_len */
};

/* One mremap() call, threaded through the steps (the kernel's struct vma_remap_struct). */
struct vma_remap_struct {
	struct task_struct *tsk;
	struct mm_struct *mm;
	unsigned long addr;		/* start of the range (of one VMA's part in remap_move) */
	unsigned long old_len;
	unsigned long new_len;
	unsigned long flags;		/* MREMAP_* */
	unsigned long new_addr;		/* the destination; addr when not moving */
	struct vm_area_struct *vma;	/* the VMA at addr, NULL once a change invalidated it */
	unsigned long delta;		/* |new_len - old_len| */
	enum mremap_type remap_type;
	unsigned long charged;		/* pages charged to Committed_AS */
	bool populate_expand;		/* a locked mapping grows: fault the growth in */
};

static _Atomic bool warned_private_dup;	/* pr_warn_once() below */

/**
 * mremap_teardown - forget that the private-duplication warning was printed.
 *
 * Context: machine shutdown (mmap_teardown()).
 */
void mremap_teardown(void)
{
	atomic_store(&warned_private_dup, false);
}

static void vrm_set_delta(struct vma_remap_struct *vrm)
{
	vrm->delta = vrm->old_len > vrm->new_len ? vrm->old_len - vrm->new_len
						 : vrm->new_len - vrm->old_len;
}

static enum mremap_type vrm_remap_type(const struct vma_remap_struct *vrm)
{
	if (vrm->old_len == vrm->new_len)
		return MREMAP_NO_RESIZE;
	return vrm->old_len > vrm->new_len ? MREMAP_SHRINK : MREMAP_EXPAND;
}

/* Do [addr, addr + old_len) and [new_addr, new_addr + new_len) overlap? */
static bool vrm_overlaps(const struct vma_remap_struct *vrm)
{
	return vrm->addr + vrm->old_len > vrm->new_addr &&
	       vrm->new_addr + vrm->new_len > vrm->addr;
}

/* Is there a destination address: MREMAP_FIXED's, or DONTUNMAP's hint? */
static bool vrm_implies_new_addr(const struct vma_remap_struct *vrm)
{
	return vrm->flags & (MREMAP_FIXED | MREMAP_DONTUNMAP);
}

/* Will address space be mapped that was not: growth or a move? */
static bool vrm_will_map_new(const struct vma_remap_struct *vrm)
{
	return vrm->remap_type == MREMAP_EXPAND || vrm_implies_new_addr(vrm);
}

/* A pure move to a fixed place, which may span several VMAs. */
static bool vrm_move_only(const struct vma_remap_struct *vrm)
{
	return (vrm->flags & MREMAP_FIXED) && vrm->old_len == vrm->new_len;
}

/* The checks that need no VMA, in 6.18's order. */
static unsigned long check_mremap_params(const struct vma_remap_struct *vrm)
{
	unsigned long task_size = vrm->mm->task_size;

	if (vrm->flags & ~(unsigned long)(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if (offset_in_page(vrm->addr))
		return -EINVAL;
	/* old_len 0 is the old "duplicate a shared mapping" idiom; new_len 0 means nothing. */
	if (!vrm->new_len)
		return -EINVAL;
	if (vrm->new_len > task_size)
		return -EINVAL;
	/* Without a destination, new_addr is not even looked at. */
	if (!vrm_implies_new_addr(vrm))
		return 0;
	if (vrm->new_addr > task_size - vrm->new_len)
		return -EINVAL;
	if (offset_in_page(vrm->new_addr))
		return -EINVAL;
	if (!(vrm->flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((vrm->flags & MREMAP_DONTUNMAP) && vrm->old_len != vrm->new_len)
		return -EINVAL;
	if (vrm_overlaps(vrm))
		return -EINVAL;
	/*
	 * Unmapping the destination and shrinking may each split a VMA before
	 * move_vma() checks for its own two: refuse now rather than half way.
	 */
	if (vrm->mm->map_count + 2 >= sysctl_max_map_count - 3)
		return -ENOMEM;
	return 0;
}

/* The checks of the VMA at vrm->addr; classifies the call (remap_type, delta). */
static unsigned long check_prep_vma(struct vma_remap_struct *vrm)
{
	struct vm_area_struct *vma = vrm->vma;
	unsigned long old_len, new_len, pgoff;

	if (!vma)
		return -EFAULT;
	vrm_set_delta(vrm);
	vrm->remap_type = vrm_remap_type(vrm);
	if (!vrm_implies_new_addr(vrm))
		vrm->new_addr = vrm->addr;
	/* A shrink or a no-op in place needs nothing more, not even the range inside the VMA. */
	if (!vrm_will_map_new(vrm))
		return 0;

	old_len = vrm->old_len;
	new_len = vrm->new_len;
	if (!old_len && !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE))) {
		if (!atomic_exchange(&warned_private_dup, true))
			pr_warn("%s (%d): attempted to duplicate a private mapping with mremap.  "
				"This is not supported.\n", vrm->tsk->comm, vrm->tsk->pid);
		return -EINVAL;
	}
	if ((vrm->flags & MREMAP_DONTUNMAP) && (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP)))
		return -EINVAL;
	/* What a shrink unmaps may cross VMAs; what is kept (and moved) may not. */
	if (vrm->remap_type == MREMAP_SHRINK)
		old_len = new_len;
	if (old_len > vma->vm_end - vrm->addr)
		return -EFAULT;
	if (new_len == old_len)
		return 0;

	/* Growing. */
	if (vma->vm_flags & VM_LOCKED)
		vrm->populate_expand = true;
	pgoff = vma->vm_pgoff + ((vrm->addr - vma->vm_start) >> PAGE_SHIFT);
	if (pgoff + (new_len >> PAGE_SHIFT) < pgoff)
		return -EINVAL;
	if (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP))
		return -EFAULT;
	if (!mlock_future_ok(vrm->mm, vma->vm_flags, vrm->delta))
		return -EAGAIN;
	return 0;
}

/*
 * Pick the destination: MREMAP_FIXED's address, DONTUNMAP's hint if free,
 * or a gap, as mmap() would for the mapping's kind.
 */
static unsigned long vrm_set_new_addr(struct vma_remap_struct *vrm)
{
	unsigned long map_flags = 0, hint = vrm_implies_new_addr(vrm) ? vrm->new_addr : 0;
	unsigned long res;

	if (vrm->flags & MREMAP_FIXED)
		map_flags |= MAP_FIXED;
	if (vrm->vma->vm_flags & VM_MAYSHARE)
		map_flags |= MAP_SHARED;
	/* As mmap() would place it: a file by its f_op, at the moved part's offset. */
	res = __get_unmapped_area(vrm->mm, vrm->vma->vm_file, hint, vrm->new_len,
				  vrm->vma->vm_pgoff +
				  ((vrm->addr - vrm->vma->vm_start) >> PAGE_SHIFT), map_flags);
	if (IS_ERR_VALUE(res))
		return res;
	vrm->new_addr = res;
	return 0;
}

/*
 * Charge an accounted mapping's growth (with DONTUNMAP the whole copy) to
 * Committed_AS.  False if the overcommit policy refuses.
 */
static bool vrm_calc_charge(struct vma_remap_struct *vrm)
{
	unsigned long charged;

	if (!(vrm->vma->vm_flags & VM_ACCOUNT))
		return true;
	charged = (vrm->flags & MREMAP_DONTUNMAP ? vrm->new_len : vrm->delta) >> PAGE_SHIFT;
	if (security_vm_enough_memory_mm(vrm->mm, (long)charged))
		return false;
	vrm->charged = charged;
	return true;
}

static void vrm_uncharge(struct vma_remap_struct *vrm)
{
	if (!(vrm->vma->vm_flags & VM_ACCOUNT))
		return;
	vm_unacct_memory((long)vrm->charged);
	vrm->charged = 0;
}

/* total_vm and friends, and locked_vm for a locked mapping, grow by @bytes. */
static void vrm_stat_account(struct vma_remap_struct *vrm, unsigned long bytes)
{
	unsigned long pages = bytes >> PAGE_SHIFT;
	struct vm_area_struct *vma = vrm->vma;

	vm_stat_account(vrm->mm, vma->vm_flags, (long)pages);
	if (vma->vm_flags & VM_LOCKED)
		vrm->mm->locked_vm += pages;
}

/*
 * move_page_tables - move the page-table entries of [@old_addr, @old_addr +
 * @len) in @vma to @new_addr in @new_vma.
 *
 * The PTEs move one by one (mm/memory.c move_page_ptes(); the kernel moves
 * whole PMD/PUD tables when both sides are aligned, and sets soft-dirty,
 * which linmm does not model), then the old range is flushed from the
 * TLBs; a short count (no memory for a page table) makes
 * copy_vma_and_data() move the entries back and unmap the new range
 * instead of the old.
 * Return: the bytes moved.
 */
static unsigned long move_page_tables(struct vm_area_struct *vma, unsigned long old_addr,
				      struct vm_area_struct *new_vma, unsigned long new_addr,
				      unsigned long len)
{
	VM_WARN_ON_ONCE(old_addr < vma->vm_start || old_addr + len > vma->vm_end);
	VM_WARN_ON_ONCE(new_addr < new_vma->vm_start || new_addr + len > new_vma->vm_end);
	return move_page_ptes(vma, old_addr, new_vma, new_addr, len);
}

/*
 * The new VMA, and the pages moved into it.  On a failed page-table move
 * the entries go back and vrm is turned round so that the caller unmaps
 * the new range instead of the old.  *@new_vma_ptr is NULL only if no new
 * VMA could be made.
 */
static int copy_vma_and_data(struct vma_remap_struct *vrm, struct vm_area_struct **new_vma_ptr)
{
	struct vm_area_struct *vma = vrm->vma, *new_vma;
	unsigned long pgoff = vma->vm_pgoff + ((vrm->addr - vma->vm_start) >> PAGE_SHIFT);
	unsigned long moved;

	new_vma = copy_vma(vrm->mm, &vma, vrm->new_addr, vrm->new_len, pgoff);
	*new_vma_ptr = new_vma;
	if (!new_vma) {
		vrm_uncharge(vrm);
		return -ENOMEM;
	}
	vrm->vma = vma;		/* the merge may have taken in the source */
	moved = move_page_tables(vma, vrm->addr, new_vma, vrm->new_addr, vrm->old_len);
	if (moved == vrm->old_len)
		return 0;
	move_page_tables(new_vma, vrm->new_addr, vma, vrm->addr, moved);
	vrm->vma = new_vma;
	vrm->old_len = vrm->new_len;
	vrm->addr = vrm->new_addr;
	return -ENOMEM;
}

/*
 * DONTUNMAP leaves the old range mapped, now without pages: it is not
 * locked any more (locked_vm is left alone, as in the kernel), and if the
 * whole VMA moved it lets go of its anon_vma.
 */
static void dontunmap_complete(struct vma_remap_struct *vrm, struct vm_area_struct *new_vma)
{
	struct vm_area_struct *vma = vrm->vma;
	bool whole = vrm->addr == vma->vm_start && vrm->addr + vrm->old_len == vma->vm_end;

	vma_set_flags(vma, vma->vm_flags & ~(VM_LOCKED | VM_LOCKONFAULT));
	if (new_vma != vma && whole)
		unlink_anon_vmas(vma);	/* its pages went with new_vma */
}

/*
 * Unmap the old range after the copy, without giving back the charge the
 * new VMA now carries: VM_ACCOUNT is hidden for the unmap and put back on
 * what is left of the VMA either side:
 *
 *	AAAA|old|BBBB  ->  AAAA.....BBBB   (A and B accounted again)
 */
static void unmap_source_vma(struct vma_remap_struct *vrm)
{
	struct vm_area_struct *vma = vrm->vma, *piece;
	unsigned long addr = vrm->addr, end = vrm->addr + vrm->old_len;
	unsigned long vm_start = vma->vm_start, vm_end = vma->vm_end;
	/* After a failed move (vrm turned round) DONTUNMAP's new VMA goes, charge and all. */
	bool accountable_move = (vma->vm_flags & VM_ACCOUNT) && !(vrm->flags & MREMAP_DONTUNMAP);

	if (accountable_move)
		vma->vm_flags &= ~VM_ACCOUNT;
	vrm->vma = NULL;
	if (do_munmap(vrm->mm, addr, vrm->old_len)) {
		/* Could not split: both ranges stay; the kernel just fixes the count. */
		vm_acct_memory((long)(vrm->old_len >> PAGE_SHIFT));
		return;
	}
	if (!accountable_move)
		return;
	if (vm_start < addr) {
		piece = vma_lookup(vrm->mm, addr - PAGE_SIZE);
		piece->vm_flags |= VM_ACCOUNT;
	}
	if (vm_end > end) {
		piece = vma_lookup(vrm->mm, end);
		piece->vm_flags |= VM_ACCOUNT;
	}
}

static unsigned long move_vma(struct vma_remap_struct *vrm)
{
	struct mm_struct *mm = vrm->mm;
	struct vm_area_struct *new_vma;
	unsigned long hiwater_vm;
	int err;

	/* The copy may not merge (+1) and the unmap may split (+1). */
	if (mm->map_count >= sysctl_max_map_count - 3)
		return -ENOMEM;
	if (!vrm_calc_charge(vrm))
		return -ENOMEM;
	err = copy_vma_and_data(vrm, &new_vma);
	if (err && !new_vma)
		return (unsigned long)(long)err;
	/*
	 * total_vm counts both ranges until the unmap: keep that moment out of
	 * hiwater_vm (VmPeak).
	 */
	hiwater_vm = mm->hiwater_vm;
	vrm_stat_account(vrm, vrm->new_len);
	if (!err && (vrm->flags & MREMAP_DONTUNMAP))
		dontunmap_complete(vrm, new_vma);
	else
		unmap_source_vma(vrm);
	mm->hiwater_vm = hiwater_vm;
	return err ? (unsigned long)(long)err : vrm->new_addr;
}

/* Unmap [addr + new_len, addr + old_len); vrm->vma is the VMA at addr again after. */
static unsigned long shrink_vma(struct vma_remap_struct *vrm)
{
	int err = do_munmap(vrm->mm, vrm->addr + vrm->new_len, vrm->delta);

	vrm->vma = NULL;
	if (err)
		return (unsigned long)(long)err;
	vrm->vma = vma_lookup(vrm->mm, vrm->addr);
	return vrm->vma ? 0 : -EFAULT;
}

/* A move with a destination (MREMAP_FIXED, or DONTUNMAP's hint). */
static unsigned long mremap_to(struct vma_remap_struct *vrm)
{
	unsigned long err;
	int ret;

	if (vrm->flags & MREMAP_FIXED) {
		/* Like MAP_FIXED: whatever is at the destination goes first. */
		ret = do_munmap(vrm->mm, vrm->new_addr, vrm->new_len);
		vrm->vma = NULL;
		if (ret)
			return (unsigned long)(long)ret;
		vrm->vma = vma_lookup(vrm->mm, vrm->addr);
		if (!vrm->vma)
			return -EFAULT;
	}
	if (vrm->remap_type == MREMAP_SHRINK) {
		err = shrink_vma(vrm);
		if (err)
			return err;
		vrm->old_len = vrm->new_len;
	}
	err = vrm_set_new_addr(vrm);
	if (err)
		return err;
	return move_vma(vrm);
}

/*
 * Can @vma grow by @delta in place: no overflow, nothing mapped in the
 * way, and the grown VMA a valid MAP_FIXED range (below the task size,
 * above mmap_min_addr)?  No stack guard gap is kept, as in the kernel.
 */
static bool vma_expandable(struct vm_area_struct *vma, unsigned long delta)
{
	unsigned long end = vma->vm_end + delta;

	if (end < vma->vm_end)
		return false;
	if (find_vma_intersection(vma->vm_mm, vma->vm_end, end))
		return false;
	if (offset_in_page(get_unmapped_area(vma->vm_mm, vma->vm_start, end - vma->vm_start,
					     MAP_FIXED)))
		return false;
	return true;
}

static unsigned long expand_vma_in_place(struct vma_remap_struct *vrm)
{
	struct vm_area_struct *vma;

	if (!vrm_calc_charge(vrm))
		return -ENOMEM;
	vma = vma_merge_extend(vrm->mm, vrm->vma, vrm->delta);
	if (!vma) {
		vrm_uncharge(vrm);
		return -ENOMEM;
	}
	vrm->vma = vma;
	vrm_stat_account(vrm, vrm->delta);
	return 0;
}

/* Grow without a destination: in place if the range ends the VMA and there is room, else move. */
static unsigned long expand_vma(struct vma_remap_struct *vrm)
{
	unsigned long err;

	if (vrm->vma->vm_end - vrm->addr == vrm->old_len && vma_expandable(vrm->vma, vrm->delta)) {
		err = expand_vma_in_place(vrm);
		return err ? err : vrm->addr;
	}
	if (!(vrm->flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	err = vrm_set_new_addr(vrm);
	if (err)
		return err;
	return move_vma(vrm);
}

/* Resize where it is if possible (no destination given). */
static unsigned long mremap_at(struct vma_remap_struct *vrm)
{
	unsigned long err;

	switch (vrm->remap_type) {
	case MREMAP_NO_RESIZE:
		return vrm->addr;
	case MREMAP_SHRINK:
		err = shrink_vma(vrm);
		return err ? err : vrm->addr;
	case MREMAP_EXPAND:
		return expand_vma(vrm);
	case MREMAP_INVALID:
		break;
	}
	VM_WARN_ON_ONCE(1);
	return -EINVAL;
}

/*
 * MREMAP_FIXED with old_len == new_len: move each VMA of [addr, addr +
 * old_len) in turn, the holes between them kept (the range must start in
 * a VMA; a hole at its end is simply not moved, and what lies at the
 * destination of a hole stays).  All anonymous and shmem mappings may
 * move together.  An error stops the walk with what moved moved.
 */
static unsigned long remap_move(struct vma_remap_struct *vrm)
{
	unsigned long start = vrm->addr, end = vrm->addr + vrm->old_len;
	unsigned long target = vrm->new_addr, last_end = start, res = -EFAULT;
	struct vm_area_struct *vma;
	bool seen_vma = false;

	/*
	 * Each step resumes the search where the VMA just moved used to end:
	 * the copy may have merged into it (a destination right after it),
	 * and that VMA must not be seen again.
	 */
	for (vma = find_vma(vrm->mm, start); vma && vma->vm_start < end && last_end < end;
	     vma = find_vma(vrm->mm, last_end)) {
		unsigned long addr = max(vma->vm_start, start);
		unsigned long len = min(end, vma->vm_end) - addr;
		unsigned long offset, res_vma;

		if (!seen_vma && start < vma->vm_start)
			return -EFAULT;
		offset = seen_vma ? vma->vm_start - last_end : 0;
		last_end = vma->vm_end;
		vrm->vma = vma;
		vrm->addr = addr;
		vrm->new_addr = target + offset;
		vrm->old_len = vrm->new_len = len;
		res_vma = check_prep_vma(vrm);
		if (!res_vma)
			res_vma = mremap_to(vrm);
		if (IS_ERR_VALUE(res_vma))
			return res_vma;
		if (!seen_vma)
			res = res_vma;
		seen_vma = true;
		target = res_vma + len;
	}
	return res;
}

unsigned long linmm_mremap(struct task_struct *tsk, unsigned long addr, unsigned long old_len,
			   unsigned long new_len, unsigned long flags, unsigned long new_addr)
{
	struct mm_struct *mm = tsk->mm;
	struct vma_remap_struct vrm = {
		.tsk = tsk,
		.mm = mm,
		.addr = addr,
		.old_len = PAGE_ALIGN(old_len),
		.new_len = PAGE_ALIGN(new_len),
		.flags = flags,
		.new_addr = new_addr,
		.remap_type = MREMAP_INVALID,
	};
	unsigned long res;

	mmap_write_lock(mm);
	res = check_mremap_params(&vrm);
	if (res)
		goto out_unlock;
	if (vrm_move_only(&vrm)) {
		res = remap_move(&vrm);
		goto out_unlock;
	}
	vrm.vma = vma_lookup(mm, vrm.addr);
	res = check_prep_vma(&vrm);
	if (res)
		goto out_unlock;
	res = vrm_implies_new_addr(&vrm) ? mremap_to(&vrm) : mremap_at(&vrm);
out_unlock:
	mmap_write_unlock(mm);
	/* mlock() promises the pages are there: fault in what the locked mapping grew by. */
	if (!IS_ERR_VALUE(res) && vrm.populate_expand)
		__mm_populate(mm, vrm.new_addr + vrm.old_len, vrm.delta, /* ignore_errors = */ 1);
	return res;
}
