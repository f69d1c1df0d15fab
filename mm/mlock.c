// SPDX-License-Identifier: MIT
/*
 * mlock.c - locking ranges of an address space in memory: mlock, mlock2,
 * munlock, mlockall and munlockall (mm/mlock.c), and the VMA walk of
 * __mm_populate() (mm/gup.c) that faults a newly locked range in.
 *
 * A locked VMA carries VM_LOCKED (and VM_LOCKONFAULT for MLOCK_ONFAULT /
 * MCL_ONFAULT: lock pages only as they are faulted in).  Locking a range
 * gives each VMA's part of it the new flags through mlock_fixup(), which
 * splits or merges (vma_modify_flags() in vma.c), exactly as mprotect:
 *
 *	before       AAAAAAAA          mlock of the middle of A
 *	after        AAaaaaAA          a = A | VM_LOCKED: three VMAs
 *	munlock      AAAAAAAA          all three merge back into one
 *
 * The walk has the kernel's order of checks and errors: a start in a hole
 * is -ENOMEM with nothing changed; a hole further on is -ENOMEM after the
 * VMAs before it were changed.  VM_SPECIAL and hugetlb VMAs are skipped
 * (never locked, never counted).
 *
 * Limits: mm->locked_vm counts the pages of VM_LOCKED VMAs.  Without
 * CAP_IPC_LOCK, mlock fails with -ENOMEM when locked_vm plus the pages of
 * the range not yet locked would pass RLIMIT_MEMLOCK (8 MiB at spawn),
 * mlockall(MCL_CURRENT) when total_vm would; a limit of 0 makes every
 * mlock -EPERM (can_do_mlock()).  A task's credentials are in its
 * task_struct (cap_effective, rlim_memlock); linmm's system calls run as
 * the task they are given, the kernel's `current`.
 *
 * Pages: the two places where the kernel touches pages are hooks named as
 * in the kernel:
 *   mlock_vma_pages_range()   mlock/munlock the folios already mapped in
 *                             the range (mlock_pte_range, the unevictable
 *                             LRU, NR_MLOCK): only the flags change so far
 *   populate_vma_page_range() fault the range in: GUP's VMA checks (mlock
 *                             of a PROT_NONE range fails with -ENOMEM as
 *                             on Linux), then faultin_page_range()
 *
 * SHM_LOCK's charge (user_shm_lock()/user_shm_unlock(), at the end) is
 * the kernel's too: the pages of the user's locked segments, against the
 * caller's RLIMIT_MEMLOCK unless it has CAP_IPC_LOCK; it does not count
 * in locked_vm, nor locked_vm in it.
 *
 * Locks: mm->mmap_lock for writing while the flags change (the linmm_*
 * entry points take it); __mm_populate() takes it for reading afterwards,
 * as the kernel does.  shmlock_user_lock (a spinlock) guards the charge.
 */
#include <limits.h>

#include <linmm/mmap.h>
#include <linmm/sched.h>

#include "kernel/machine.h"
#include "mm/internal.h"

bool can_do_mlock(const struct task_struct *tsk)
{
	return tsk->rlim_memlock != 0 || has_capability(tsk, CAP_IPC_LOCK);
}

/*
 * PAGE-TABLE HOOK (mlock_vma_pages_range): the kernel sets the new flags
 * and then walks the PTEs of [start, end), mlocking (VM_LOCKED set) or
 * munlocking (cleared) each folio mapped there; while it walks, VM_IO
 * marks the VMA so that reclaim, which may mlock a folio of a VM_LOCKED
 * VMA by itself, does not count a folio twice.  Only the flags change so
 * far (folios keep no mlock state yet); the page-table code plugs its walk
 * in here.
 */
static void mlock_vma_pages_range(struct vm_area_struct *vma, unsigned long start,
				  unsigned long end, vm_flags_t newflags)
{
	(void)start;
	(void)end;
	vma_set_flags(vma, newflags);
}

/*
 * mlock_fixup: give [start, end) of *@pvma the lock flags of @newflags.
 * *@pprev is the VMA before it; on return both point at the VMA that now
 * covers the range.  0 or -ENOMEM (a split beyond vm.max_map_count).
 */
static int mlock_fixup(struct mm_struct *mm, struct vm_area_struct **pvma,
		       struct vm_area_struct **pprev, unsigned long start, unsigned long end,
		       vm_flags_t newflags)
{
	struct vm_area_struct *vma = *pvma;
	vm_flags_t oldflags = vma->vm_flags;
	long nr_pages;
	int err = 0;

	/* Special and hugetlb mappings are never locked, and not counted. */
	if (newflags == oldflags || (oldflags & (VM_SPECIAL | VM_HUGETLB)))
		goto out;
	err = vma_modify_flags(mm, *pprev, pvma, start, end, newflags);
	if (err)
		goto out;
	vma = *pvma;
	nr_pages = (long)((end - start) >> PAGE_SHIFT);
	if (!(newflags & VM_LOCKED))
		nr_pages = -nr_pages;
	else if (oldflags & VM_LOCKED)
		nr_pages = 0;
	mm->locked_vm += nr_pages;
	/* Locked before and after (onfault changes): no folio to mlock again. */
	if ((newflags & VM_LOCKED) && (oldflags & VM_LOCKED))
		vma_set_flags(vma, newflags);
	else
		mlock_vma_pages_range(vma, start, end, newflags);
out:
	*pprev = vma;
	return err;
}

/*
 * apply_vma_lock_flags: set the lock bits of every VMA in [start, start +
 * len) to @flags (VM_LOCKED, VM_LOCKED | VM_LOCKONFAULT, or 0 to unlock).
 */
static int apply_vma_lock_flags(struct mm_struct *mm, unsigned long start, unsigned long len,
				vm_flags_t flags)
{
	struct vm_area_struct *vma, *prev;
	unsigned long nstart, end, tmp;

	VM_WARN_ON(offset_in_page(start) || offset_in_page(len));
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	vma = vma_lookup(mm, start);
	if (!vma)
		return -ENOMEM;
	prev = start > vma->vm_start ? vma : vma_prev(vma);

	nstart = start;
	tmp = vma->vm_start;
	for (; vma && vma->vm_start < end; vma = vma_next(vma)) {
		vm_flags_t newflags = (vma->vm_flags & ~VM_LOCKED_MASK) | flags;
		int err;

		if (vma->vm_start != tmp)
			return -ENOMEM;
		tmp = min(vma->vm_end, end);
		err = mlock_fixup(mm, &vma, &prev, nstart, tmp, newflags);
		if (err)
			return err;
		tmp = vma->vm_end;
		nstart = tmp;
	}
	if (tmp < end)
		return -ENOMEM;
	return 0;
}

/* Pages of [start, start + len) in VM_LOCKED VMAs (already counted in locked_vm). */
static unsigned long count_mm_mlocked_page_nr(struct mm_struct *mm, unsigned long start,
					      unsigned long len)
{
	unsigned long end = ULONG_MAX - len < start ? ULONG_MAX : start + len;
	struct vm_area_struct *vma;
	unsigned long count = 0;

	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(vma)) {
		if (!(vma->vm_flags & VM_LOCKED))
			continue;
		count += min(end, vma->vm_end) - max(start, vma->vm_start);
	}
	return count >> PAGE_SHIFT;
}

/*
 * PAGE-TABLE HOOK (populate_vma_page_range): fault [start, end) of @vma in
 * with get_user_pages, a write fault for private writable memory (to break
 * COW) and a read fault otherwise.  Done here: what GUP decides from the
 * VMA alone.  A VM_LOCKONFAULT VMA is not faulted in at all; any other
 * VMA but a PROT_NONE one may be (FOLL_FORCE lets mlock fault in
 * write-only and execute-only memory), and a PROT_NONE one fails GUP's
 * check_vma_flags() with -EFAULT.  The faults themselves are
 * faultin_page_range()'s (mm/memory.c): handle_mm_fault() for each page
 * not present, without regs (no min_flt, as GUP).
 * Return: the pages done (all of them), or -EFAULT.
 */
static long populate_vma_page_range(struct vm_area_struct *vma, unsigned long start,
				    unsigned long end)
{
	long nr_pages = (long)((end - start) >> PAGE_SHIFT);

	if (vma->vm_flags & VM_LOCKONFAULT)
		return nr_pages;
	if (!(vma->vm_flags & VM_ACCESS_FLAGS))
		return -EFAULT;
	/* FOLL_WRITE for private writable memory (break COW now), FOLL_FORCE (mm/memory.c). */
	return faultin_page_range(vma, start, end,
				  (vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE);
}

int __mm_populate(struct mm_struct *mm, unsigned long start, unsigned long len,
		  int ignore_errors)
{
	unsigned long end = start + len, nstart, nend;
	struct vm_area_struct *vma;
	long ret = 0;

	VM_WARN_ON(offset_in_page(start) || offset_in_page(len));
	mmap_read_lock(mm);
	for (nstart = start; nstart < end; nstart = nend) {
		vma = find_vma_intersection(mm, nstart, end);
		if (!vma)
			break;
		nend = min(end, vma->vm_end);
		if (vma->vm_flags & (VM_IO | VM_PFNMAP))
			continue;
		nstart = max(nstart, vma->vm_start);
		ret = populate_vma_page_range(vma, nstart, nend);
		if (ret < 0) {
			if (ignore_errors) {
				ret = 0;
				continue;	/* on with the next VMA */
			}
			break;
		}
		nend = nstart + (unsigned long)ret * PAGE_SIZE;
		ret = 0;
	}
	mmap_read_unlock(mm);
	return (int)ret;
}

/* mlock returns -ENOMEM for what GUP calls -EFAULT, -EAGAIN for its -ENOMEM. */
static int __mlock_posix_error_return(int err)
{
	if (err == -EFAULT)
		return -ENOMEM;
	if (err == -ENOMEM)
		return -EAGAIN;
	return err;
}

static int do_mlock(struct task_struct *tsk, unsigned long start, unsigned long len,
		    vm_flags_t flags)
{
	struct mm_struct *mm = tsk->mm;
	bool ipc_lock = has_capability(tsk, CAP_IPC_LOCK);
	unsigned long locked, lock_limit;
	int err = -ENOMEM;

	if (!can_do_mlock(tsk))
		return -EPERM;
	/* The range grows to whole pages; a length near ULONG_MAX wraps to 0. */
	len = PAGE_ALIGN(len + offset_in_page(start));
	start &= PAGE_MASK;
	lock_limit = tsk->rlim_memlock >> PAGE_SHIFT;
	locked = len >> PAGE_SHIFT;

	mmap_write_lock(mm);
	locked += mm->locked_vm;
	/* Pages of the range that are locked already are not charged again. */
	if (locked > lock_limit && !ipc_lock)
		locked -= count_mm_mlocked_page_nr(mm, start, len);
	if (locked <= lock_limit || ipc_lock)
		err = apply_vma_lock_flags(mm, start, len, flags);
	mmap_write_unlock(mm);
	if (err)
		return err;

	err = __mm_populate(mm, start, len, 0);
	return err ? __mlock_posix_error_return(err) : 0;
}

int linmm_mlock(struct task_struct *tsk, unsigned long start, unsigned long len)
{
	return do_mlock(tsk, start, len, VM_LOCKED);
}

int linmm_mlock2(struct task_struct *tsk, unsigned long start, unsigned long len, int flags)
{
	vm_flags_t vm_flags = VM_LOCKED;

	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	if (flags & MLOCK_ONFAULT)
		vm_flags |= VM_LOCKONFAULT;
	return do_mlock(tsk, start, len, vm_flags);
}

int linmm_munlock(struct task_struct *tsk, unsigned long start, unsigned long len)
{
	struct mm_struct *mm = tsk->mm;
	int ret;

	len = PAGE_ALIGN(len + offset_in_page(start));
	start &= PAGE_MASK;
	mmap_write_lock(mm);
	ret = apply_vma_lock_flags(mm, start, len, 0);
	mmap_write_unlock(mm);
	return ret;
}

/*
 * apply_mlockall_flags: MCL_FUTURE sets the lock bits of mm->def_flags
 * (every later mapping is locked); without it they are cleared, so
 * mlockall() calls do not add up.  MCL_CURRENT locks every VMA; 0
 * (munlockall) unlocks every VMA.  Errors are ignored, VMA by VMA.
 */
static void apply_mlockall_flags(struct mm_struct *mm, int flags)
{
	struct vm_area_struct *vma, *prev = NULL;
	vm_flags_t to_add = 0;

	mm->def_flags &= ~VM_LOCKED_MASK;
	if (flags & MCL_FUTURE) {
		mm->def_flags |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			mm->def_flags |= VM_LOCKONFAULT;
		if (!(flags & MCL_CURRENT))
			return;
	}
	if (flags & MCL_CURRENT) {
		to_add |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			to_add |= VM_LOCKONFAULT;
	}
	for (vma = vma_first(mm); vma; vma = vma_next(vma)) {
		vm_flags_t newflags = (vma->vm_flags & ~VM_LOCKED_MASK) | to_add;
		struct vm_area_struct *this = vma;

		if (mlock_fixup(mm, &vma, &prev, vma->vm_start, vma->vm_end, newflags)) {
			vma = this;
			prev = vma;
		}
	}
}

int linmm_mlockall(struct task_struct *tsk, int flags)
{
	struct mm_struct *mm = tsk->mm;
	unsigned long lock_limit;
	int ret = -ENOMEM;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	if (!can_do_mlock(tsk))
		return -EPERM;
	lock_limit = tsk->rlim_memlock >> PAGE_SHIFT;

	mmap_write_lock(mm);
	if (!(flags & MCL_CURRENT) || mm->total_vm <= lock_limit ||
	    has_capability(tsk, CAP_IPC_LOCK)) {
		apply_mlockall_flags(mm, flags);
		ret = 0;
	}
	mmap_write_unlock(mm);
	if (!ret && (flags & MCL_CURRENT))
		__mm_populate(mm, 0, mm->task_size, /* ignore_errors = */ 1);
	return ret;
}

int linmm_munlockall(struct task_struct *tsk)
{
	struct mm_struct *mm = tsk->mm;

	mmap_write_lock(mm);
	apply_mlockall_flags(mm, 0);
	mmap_write_unlock(mm);
	return 0;
}

/*
 * SHM_LOCK's accounting (user_shm_lock(), kernel/ucount.c's
 * UCOUNT_RLIMIT_MEMLOCK): the pages of every segment the user has locked,
 * one count per user; all linmm tasks are one user.  Separate from
 * mm->locked_vm: mlock and SHM_LOCK do not limit each other.
 */
static unsigned long shm_locked_pages;
static unsigned long shm_locked_boot;
static spinlock_t shmlock_user_lock = __SPIN_LOCK_UNLOCKED;

/* Context: shmlock_user_lock.  A new boot starts with nothing locked. */
static void shm_locked_check_boot(void)
{
	if (shm_locked_boot != linmm_boot_seq) {
		shm_locked_pages = 0;
		shm_locked_boot = linmm_boot_seq;
	}
}

bool user_shm_lock(size_t size, const struct task_struct *tsk)
{
	unsigned long locked = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	unsigned long lock_limit = tsk->rlim_memlock;
	bool allowed = true;

	if (lock_limit != RLIM_INFINITY)
		lock_limit >>= PAGE_SHIFT;
	spin_lock(&shmlock_user_lock);
	shm_locked_check_boot();
	if ((shm_locked_pages + locked < shm_locked_pages ||
	     shm_locked_pages + locked > lock_limit) && !has_capability(tsk, CAP_IPC_LOCK))
		allowed = false;
	else
		shm_locked_pages += locked;
	spin_unlock(&shmlock_user_lock);
	return allowed;
}

void user_shm_unlock(size_t size)
{
	unsigned long locked = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;

	spin_lock(&shmlock_user_lock);
	shm_locked_check_boot();
	VM_BUG_ON(locked > shm_locked_pages);
	shm_locked_pages -= min(locked, shm_locked_pages);
	spin_unlock(&shmlock_user_lock);
}

unsigned long user_shm_locked_pages(void)
{
	unsigned long pages;

	spin_lock(&shmlock_user_lock);
	shm_locked_check_boot();
	pages = shm_locked_pages;
	spin_unlock(&shmlock_user_lock);
	return pages;
}
