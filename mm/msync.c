// SPDX-License-Identifier: MIT
/*
 * msync.c - msync(2): write a mapped range back to its file (mm/msync.c).
 *
 * The checks come in the kernel's order: unknown flags, an unaligned
 * start, MS_ASYNC together with MS_SYNC are -EINVAL; a range whose end
 * wraps is -ENOMEM, an empty one 0.  Then the VMAs of the range are
 * walked: MS_INVALIDATE of an mlocked VMA is -EBUSY; MS_SYNC of a shared
 * file mapping writes its part of the file back (vfs_fsync_range); a hole
 * makes the result -ENOMEM, at once for a plain MS_ASYNC (which has
 * nothing to do anyway), after the walk otherwise.
 *
 *	range       [----------------)
 *	VMAs       AAAA   BBBB   CCCCCC
 *	MS_SYNC     syncs AAA, BBBB, CC; returns -ENOMEM for the holes
 *	MS_ASYNC    stops at the first hole: -ENOMEM
 *
 * A shared mapping of a linmmfs file writes the dirty pages of its part
 * of the file and waits (the write-back write-protects their PTEs, so a
 * later store dirties the page again); shmem (shared anonymous memory,
 * SysV segments, /dev/shm files) has no backing store: its fsync does nothing
 * (noop_fsync), and private mappings are never written back.
 *
 * Locks: mm->mmap_lock for reading during the walk (the kernel drops it
 * around the write-back; linmm has no I/O to wait for).
 */
#include <limits.h>

#include <linmm/fs.h>
#include <linmm/mmap.h>
#include <linmm/pagemap.h>
#include <linmm/sched.h>
#include <linmm/writeback.h>

#include "mm/internal.h"

/* vfs_fsync_range(): write bytes [fstart, fend] of @vma's file back and wait. */
static int msync_fsync_range(struct vm_area_struct *vma, unsigned long long fstart,
			     unsigned long long fend)
{
	struct address_space *mapping = vma->vm_file->f_mapping;
	struct writeback_control wbc = {
		.sync_mode = WB_SYNC_ALL,
		.nr_to_write = LONG_MAX,
		.range_start = (long long)fstart,
		.range_end = (long long)min(fend, (unsigned long long)MAX_LFS_FILESIZE),
	};
	int err, err2;

	if (shmem_mapping(mapping))
		return 0;		/* noop_fsync */
	err = do_writepages(mapping, &wbc);
	err2 = filemap_fdatawait(mapping);
	return err ? err : err2;
}

int linmm_msync(struct task_struct *tsk, unsigned long start, unsigned long len, int flags)
{
	struct mm_struct *mm = tsk->mm;
	struct vm_area_struct *vma;
	int unmapped_error = 0;
	unsigned long end;
	int err;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (offset_in_page(start))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;

	mmap_read_lock(mm);
	vma = find_vma(mm, start);
	for (;;) {
		unsigned long long fstart, fend;

		err = -ENOMEM;
		if (!vma)
			break;
		if (start < vma->vm_start) {
			/* MS_ASYNC alone would have nothing to do: stop at the hole. */
			if (flags == MS_ASYNC)
				break;
			start = vma->vm_start;
			if (start >= end)
				break;
			unmapped_error = -ENOMEM;
		}
		if ((flags & MS_INVALIDATE) && (vma->vm_flags & VM_LOCKED)) {
			err = -EBUSY;
			break;
		}
		fstart = (start - vma->vm_start) + ((unsigned long long)vma->vm_pgoff << PAGE_SHIFT);
		fend = fstart + (min(end, vma->vm_end) - start) - 1;
		start = vma->vm_end;
		if ((flags & MS_SYNC) && !vma_is_anonymous(vma) && (vma->vm_flags & VM_SHARED)) {
			err = msync_fsync_range(vma, fstart, fend);
			if (err || start >= end)
				break;
		} else if (start >= end) {
			err = 0;
			break;
		}
		vma = find_vma(mm, start);
	}
	mmap_read_unlock(mm);
	return err ? err : unmapped_error;
}
