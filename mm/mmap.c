// SPDX-License-Identifier: MIT
/*
 * mmap.c - mmap and munmap of anonymous memory, address-space layout and
 * the mm lifecycle (mm/mmap.c, mm/vma.c's munmap half, mm/util.c's
 * vm_mmap_pgoff, arch/x86/mm/mmap.c, kernel/fork.c's mm_alloc).
 *
 * do_mmap() follows the kernel's order of checks, so that each bad call
 * fails with the errno Linux 6.18 gives: zero length, then the rounded
 * length, then vm.max_map_count, then the address (get_unmapped_area:
 * MAP_FIXED as given, a free hint as given, otherwise the highest fitting
 * gap below mmap_base, then bottom-up from TASK_UNMAPPED_BASE), then
 * MAP_FIXED_NOREPLACE, then the map type.  mmap_region() unmaps what a
 * MAP_FIXED mapping replaces, tries to merge with the neighbours and
 * otherwise links a new VMA.
 *
 * Layout of a task (x86_64, 4-level, no randomisation):
 *
 *   0 .. mmap_min_addr            never mapped without CAP_SYS_RAWIO
 *   TASK_UNMAPPED_BASE            bottom-up fallback start (TASK_SIZE / 3)
 *   start_brk = ELF_ET_DYN_BASE   0x555555554000: the heap grows up (brk)
 *   ...                  <- mmap area grows down from mmap_base
 *   mmap_base = TASK_SIZE - clamp(8 MiB stack rlimit + stack_guard_gap,
 *                                  128 MiB, TASK_SIZE / 6 * 5)
 *   TASK_SIZE = 2^47 - 4096
 *
 * Placement of large mappings (__get_unmapped_area, as Linux 6.18 with
 * THP configured, whatever transparent_hugepage/enabled says): a private
 * anonymous mapping without a hint whose length is a multiple of 2 MiB,
 * and a file mapping of linmmfs (thp_get_unmapped_area, as ext4 and xfs)
 * whose file range [off, off + len) holds a whole 2 MiB unit, are placed
 * so that address and offset (0 for anonymous memory) agree modulo 2 MiB:
 * a gap is searched for len + 2 MiB, and the mapping shifted up into it
 * (by a whole 2 MiB, to the top, when the found start is aligned already,
 * which keeps top-down mappings adjacent).  Anything else -- other
 * lengths, an anonymous mapping with a hint (even one that is taken),
 * shared anonymous memory, tmpfs and SysV shm (huge=never) -- goes to a
 * free hint as given, else plainly to the top of the highest fitting gap.
 * mremap places a moved mapping by the same rules, at the moved part's
 * offset.  tests/diff compares both with the host's placement.
 *
 *   gap found for len + 2M:  [ret ............................ ret + len + 2M)
 *   aligned mapping:              [ret + off_sub .... + len)
 *                            off_sub = (off - ret) mod 2M, or 2M when 0
 *   e.g. 2 MiB below a top at 64M + 20K:  [62M ... 64M) 20K free | top
 *
 * A file mapping (fd from the task's table) holds a reference on its
 * struct file (vm_file; get_file() per VMA, fput() when the VMA goes) and
 * sits in the file's i_mmap tree; the file's mmap gives it vm_ops
 * (generic_file_mmap, shmem_mmap).  The file checks come in do_mmap()'s
 * order: EOVERFLOW (pgoff + len beyond the largest file), EOPNOTSUPP
 * (unknown flags with MAP_SHARED_VALIDATE), EACCES (PROT_WRITE|MAP_SHARED
 * on a descriptor not open for writing; any mapping of one not open for
 * reading), ENODEV (a directory).  A shared mapping of a read-only
 * descriptor loses VM_MAYWRITE and VM_SHARED (mprotect cannot add write).
 *
 * A shared anonymous mapping is backed by a shmem file "/dev/zero" of its
 * own (shmem_zero_setup(), mm/shmem.c): offset 0, never merged.
 *
 * Accounting (vm_stat_account): total_vm, and data_vm / exec_vm / stack_vm
 * by the kernel's classification; locked_vm for VM_LOCKED (MAP_LOCKED is
 * refused with -EAGAIN beyond the 8 MiB RLIMIT_MEMLOCK; no pages are
 * populated yet); private
 * writable mappings without MAP_NORESERVE get VM_ACCOUNT and are charged
 * to Committed_AS through security_vm_enough_memory_mm() (mm/util.c),
 * which may refuse with -ENOMEM under vm.overcommit_memory.  As since
 * Linux 6.12, the charge is checked before a MAP_FIXED mapping unmaps
 * what it replaces (so a refusal leaves the old mapping in place), and
 * only the pages not already accounted there are charged.  brk growth is
 * charged the same way.  hiwater_vm keeps the highest total_vm (VmPeak).
 *
 * Locks: mm->mmap_lock for writing around every change (taken by the
 * linmm_* entry points); the shmem inode counter is an atomic.
 */
#include <linmm/fs.h>
#include <linmm/memory.h>
#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/pagemap.h>
#include <linmm/sched.h>

#include "mm/internal.h"

#define DEFAULT_MAX_MAP_COUNT	65530
#define DEFAULT_MMAP_MIN_ADDR	65536UL		/* CONFIG_DEFAULT_MMAP_MIN_ADDR */

int sysctl_max_map_count = DEFAULT_MAX_MAP_COUNT;	/* vm.max_map_count */
unsigned long mmap_min_addr = DEFAULT_MMAP_MIN_ADDR;	/* vm.mmap_min_addr */
unsigned long stack_guard_gap = 256UL << PAGE_SHIFT;

#define PMD_SIZE_BYTES	(2UL << 20)
#define TASK_UNMAPPED_BASE(mm) PAGE_ALIGN((mm)->task_size / 3)


/* x86 protection_map[]: private writable pages start read-only (copy on write). */
pgprot_t vm_get_page_prot(vm_flags_t vm_flags)
{
	u64 prot = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;

	if (!(vm_flags & VM_ACCESS_FLAGS))
		return __pgprot(__PAGE_NONE);
	if ((vm_flags & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED))
		prot |= _PAGE_RW;
	if (!(vm_flags & VM_EXEC))
		prot |= _PAGE_NX;
	return __pgprot(prot & __supported_pte_mask);
}

void vm_stat_account(struct mm_struct *mm, vm_flags_t flags, long npages)
{
	/* update_hiwater_vm() before the address space shrinks. */
	if (npages < 0 && mm->hiwater_vm < mm->total_vm)
		mm->hiwater_vm = mm->total_vm;
	mm->total_vm += npages;
	if ((flags & (VM_EXEC | VM_WRITE | VM_STACK)) == VM_EXEC)
		mm->exec_vm += npages;
	else if ((flags & VM_STACK) == VM_STACK)
		mm->stack_vm += npages;
	else if ((flags & (VM_WRITE | VM_SHARED | VM_STACK)) == VM_WRITE)
		mm->data_vm += npages;
}

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm;

	if (mm_caches_init())
		return NULL;
	mm = mm_struct_alloc();
	if (!mm)
		return NULL;
	spin_lock_init(&mm->page_table_lock);
	init_rwsem(&mm->mmap_lock);
	mt_init_flags(&mm->mm_mt, MM_MT_FLAGS);
	mm->task_size = TASK_SIZE_MAX;
	arch_pick_mmap_layout(mm, /* tsk = */ NULL);	/* unrandomised */
	/*
	 * No program image is loaded yet: the break starts where an
	 * unrandomised x86_64 PIE would be loaded, ELF_ET_DYN_BASE.
	 */
	mm->start_brk = mm->brk = ELF_ET_DYN_BASE(mm->task_size) & PAGE_MASK;
	/* mm_alloc_pgd() + init_new_context(): page tables (mm/memory.c). */
	if (mm_alloc_pgd(mm)) {
		mm_struct_free(mm);
		return NULL;
	}
	return mm;
}

/* ---- the file of a VMA ---- */

void vma_dup_file(struct vm_area_struct *vma)
{
	RB_CLEAR_NODE(&vma->shared.rb);
	if (vma->vm_file)
		get_file(vma->vm_file);
	if (vma->vm_ops && vma->vm_ops->open)
		vma->vm_ops->open(vma);
}

void vma_release_file(struct vm_area_struct *vma)
{
	if (vma->vm_ops && vma->vm_ops->close)
		vma->vm_ops->close(vma);
	if (vma->vm_file)
		fput(vma->vm_file);
	vma->vm_file = NULL;
}

/*
 * vma_wants_writenotify(): a shared writable mapping of a file whose
 * dirty pages are written back maps its pages read-only at first, so the
 * first write faults and dirties the page (do_wp_page -> page_mkwrite).
 * shmem has no writeback: its pages are mapped writable at once.
 */
static bool vma_wants_writenotify(const struct vm_area_struct *vma)
{
	if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) != (VM_WRITE | VM_SHARED))
		return false;
	return vma->vm_file && !shmem_mapping(vma->vm_file->f_mapping);
}

void vma_set_page_prot(struct vm_area_struct *vma)
{
	vm_flags_t flags = vma->vm_flags;

	if (vma_wants_writenotify(vma))
		flags &= ~VM_SHARED;	/* the private (COW) protection: read-only PTEs */
	vma->vm_page_prot = vm_get_page_prot(flags);
}

/* Unlink and free @vma, undoing its accounting. */
static void remove_vma(struct mm_struct *mm, struct vm_area_struct *vma)
{
	long pages = (long)vma_pages(vma);

	vm_stat_account(mm, vma->vm_flags, -pages);
	if (vma->vm_flags & VM_ACCOUNT)
		vm_unacct_memory(pages);
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm -= pages;
	vma_unlink(mm, vma);
	vm_area_free(vma);
}

void mmput(struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	mmap_write_lock(mm);
	exit_mmap_pgtables(mm);		/* pages and page tables (mm/memory.c) */
	while ((vma = vma_first(mm)))
		remove_vma(mm, vma);
	mmap_write_unlock(mm);
	mm_free_pgd(mm);
	mm_struct_free(mm);
}

/**
 * mmap_teardown - forget the per-boot state (the shmem inode numbers, the
 * "vm_area_struct"/"mm_struct" caches, vm.max_map_count and vm.mmap_min_addr).
 *
 * Context: machine shutdown, after every mm has been freed.
 */
void mmap_teardown(void)
{
	shmem_teardown();
	sysctl_max_map_count = DEFAULT_MAX_MAP_COUNT;
	mmap_min_addr = DEFAULT_MMAP_MIN_ADDR;
	mremap_teardown();
	mm_caches_teardown();
}

/* ---- munmap ---- */

int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	struct vm_area_struct *vma, *next;
	unsigned long end;
	int err;

	mmap_assert_write_locked(mm);
	if (offset_in_page(start) || start > mm->task_size || len > mm->task_size - start)
		return -EINVAL;
	end = start + PAGE_ALIGN(len);
	if (end == start)
		return -EINVAL;
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start >= end)
		return 0;
	/*
	 * Split off what stays below start; a hole punched in the middle
	 * (one VMA becomes two) must leave map_count within its limit.
	 */
	if (start > vma->vm_start) {
		if (end < vma->vm_end && mm->map_count >= sysctl_max_map_count)
			return -ENOMEM;
		err = __split_vma(mm, vma, start, 1);
		if (err)
			return err;
	}
	next = find_vma(mm, end - 1);
	if (next && next->vm_start < end && next->vm_end > end) {
		err = __split_vma(mm, next, end, 0);
		if (err)
			return err;
	}
	unmap_region(mm, start, end);	/* pages and page tables (mm/memory.c) */
	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = next) {
		next = vma_next(vma);
		remove_vma(mm, vma);
	}
	return 0;
}

/* ---- get_unmapped_area ---- */

/*
 * @hint above DEFAULT_MAP_WINDOW (2^47 - 4096, la57 only) opens the space
 * up to TASK_SIZE_MAX (2^56 - 4096) to the search; otherwise nothing
 * above the 47-bit window is handed out.
 */
static unsigned long unmapped_area(struct mm_struct *mm, unsigned long len, unsigned long hint)
{
	unsigned long window = min(mm->task_size, DEFAULT_MAP_WINDOW);
	unsigned long extra = hint > window ? mm->task_size - window : 0;
	struct vm_unmapped_area_info info = {
		.topdown = true,
		.length = len,
		.low_limit = max(PAGE_SIZE, mmap_min_addr),
		.high_limit = mm->mmap_base + extra,
	};
	unsigned long addr = vm_unmapped_area(mm, &info);

	if (!IS_ERR_VALUE(addr))
		return addr;
	/* Top-down found nothing: bottom-up over the whole legacy area. */
	info.topdown = false;
	info.low_limit = max(TASK_UNMAPPED_BASE(mm), mmap_min_addr);
	info.high_limit = window + extra;
	return vm_unmapped_area(mm, &info);
}

/* arch_get_unmapped_area_topdown(): the fixed address, a free hint, or a gap. */
static unsigned long arch_get_unmapped_area(struct mm_struct *mm, unsigned long addr,
					    unsigned long len, unsigned long flags)
{
	struct vm_area_struct *vma;

	if (flags & MAP_FIXED)
		return addr;
	/* mmap_address_hint_valid(): a hint may not straddle the 47-bit window's end. */
	if (addr && addr <= mm->task_size - len &&
	    (addr > DEFAULT_MAP_WINDOW) == (addr + len > DEFAULT_MAP_WINDOW)) {
		vma = find_vma(mm, addr);
		if (!vma || addr + len <= vm_start_gap(vma))
			return addr;
	}
	return unmapped_area(mm, len, addr);
}

/*
 * __thp_get_unmapped_area(): place a mapping so that file offset and
 * address agree modulo 2 MiB, which lets whole 2 MiB units of it be
 * mapped by one PMD.  Only if [off, off + len) holds a whole aligned
 * unit; then ask for one unit more than needed and shift into it:
 *
 *   padded gap found:   [ret ........................ ret + len + 2M)
 *   placed:                  [ret + off_sub ... + len)
 *                       off_sub = (off - ret) mod 2M; when that is 0 the
 *                       top of the padded area is used (ret + 2M), which
 *                       keeps top-down mappings adjacent.
 *
 * A hint that fits the padded length is used as it is.  0: no padded area
 * (the caller places the mapping unpadded) or nothing to align.
 */
static unsigned long __thp_get_unmapped_area(struct mm_struct *mm, unsigned long addr,
					     unsigned long len, u64 off, unsigned long flags)
{
	u64 off_end = off + len, off_align = ALIGN(off, (u64)PMD_SIZE_BYTES);
	unsigned long len_pad = len + PMD_SIZE_BYTES, ret, off_sub;

	if (off_end <= off_align || off_end - off_align < PMD_SIZE_BYTES)
		return 0;
	if (len_pad < len || off + len_pad < off)
		return 0;
	ret = arch_get_unmapped_area(mm, addr, len_pad, flags);
	if (IS_ERR_VALUE(ret))
		return 0;
	if (ret == addr)	/* the hint (or MAP_FIXED's address): no alignment */
		return addr;
	off_sub = (unsigned long)(off - ret) & (PMD_SIZE_BYTES - 1);
	if (!off_sub)		/* MMF_TOPDOWN: linmm's layout is always top-down */
		return ret + PMD_SIZE_BYTES;
	return ret + off_sub;
}

/**
 * thp_get_unmapped_area - the get_unmapped_area of a file system whose
 * files may be mapped by PMDs (ext4, xfs; linmmfs models them).
 * @mm: the address space
 * @file: the file (unused: the alignment depends on the offset only)
 * @addr: the hint, or the address with MAP_FIXED
 * @len: page-aligned length
 * @pgoff: file offset of the mapping, in pages
 * @flags: MAP_* flags
 *
 * Context: mmap_lock held.
 * Return: the address, or -errno from the unpadded search.
 */
unsigned long thp_get_unmapped_area(struct mm_struct *mm, struct file *file, unsigned long addr,
				    unsigned long len, unsigned long pgoff, unsigned long flags)
{
	unsigned long ret = __thp_get_unmapped_area(mm, addr, len, (u64)pgoff << PAGE_SHIFT, flags);

	(void)file;
	return ret ? ret : arch_get_unmapped_area(mm, addr, len, flags);
}

/*
 * __get_unmapped_area() as Linux 6.18 chooses, with CONFIG_TRANSPARENT_
 * HUGEPAGE=y (the choice never reads transparent_hugepage/enabled, nor
 * PR_SET_THP_DISABLE: the host places the same under "never"):
 *
 *   a file with f_op->get_unmapped_area   that (linmmfs: thp_get_unmapped_area;
 *                                         an offset range with a whole 2 MiB
 *                                         unit is placed offset-aligned)
 *   other files (tmpfs, SysV shm)         plain (shmem_get_unmapped_area aligns
 *                                         only huge shmem; linmm's is huge=never)
 *   MAP_SHARED anonymous                  plain (shmem_get_unmapped_area, as above)
 *   private anonymous, no hint, len a     2 MiB aligned (thp_get_unmapped_area
 *   multiple of 2 MiB                     with offset 0)
 *   anything else                         plain: MAP_FIXED, a free hint, a gap
 */
unsigned long __get_unmapped_area(struct mm_struct *mm, struct file *file, unsigned long addr,
				  unsigned long len, unsigned long pgoff, unsigned long flags)
{
	if (len > mm->task_size)
		return -ENOMEM;
	if (file && file->f_op && file->f_op->get_unmapped_area)
		addr = file->f_op->get_unmapped_area(mm, file, addr, len, pgoff, flags);
	else if (!file && !(flags & MAP_SHARED) && !addr && IS_ALIGNED(len, PMD_SIZE_BYTES))
		addr = thp_get_unmapped_area(mm, NULL, 0, len, 0, flags);
	else
		addr = arch_get_unmapped_area(mm, addr, len, flags);
	if (IS_ERR_VALUE(addr))
		return addr;
	if (addr > mm->task_size - len)
		return -ENOMEM;
	if (offset_in_page(addr))
		return -EINVAL;
	/* security_mmap_addr(): the low pages need CAP_SYS_RAWIO, which tasks lack. */
	if (addr < mmap_min_addr)
		return -EPERM;
	return addr;
}

unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long addr, unsigned long len,
				unsigned long flags)
{
	return __get_unmapped_area(mm, NULL, addr, len, 0, flags);
}

/* ---- brk ---- */

/*
 * do_brk_flags: map [addr, addr + len) as data memory after @brkvma
 * (the heap VMA, or NULL), growing it when it can merge.
 */
static int do_brk_flags(struct mm_struct *mm, struct vm_area_struct *brkvma,
			unsigned long addr, unsigned long len)
{
	vm_flags_t flags = VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT | mm->def_flags;
	unsigned long pages = len >> PAGE_SHIFT;
	struct vma_merge_desc d = {
		.prev = brkvma,
		.start = addr,
		.end = addr + len,
		.pgoff = addr >> PAGE_SHIFT,
		.vm_flags = flags,
	};
	struct vm_area_struct *vma;

	if (mm->map_count > sysctl_max_map_count)
		return -ENOMEM;
	if (security_vm_enough_memory_mm(mm, (long)pages))
		return -ENOMEM;
	vma = vma_merge_new_range(mm, &d);
	if (!vma) {
		vma = vm_area_alloc(mm);
		if (!vma) {
			vm_unacct_memory((long)pages);
			return -ENOMEM;
		}
		vma->vm_start = addr;
		vma->vm_end = addr + len;
		vma->vm_pgoff = d.pgoff;
		vma->vm_flags = flags;
		vma->vm_page_prot = vm_get_page_prot(flags);
		vma_link(mm, vma);
	}
	vma->vm_flags |= VM_SOFTDIRTY;
	vm_stat_account(mm, flags, (long)pages);
	if (flags & VM_LOCKED)
		mm->locked_vm += pages;
	return 0;
}

unsigned long linmm_brk(struct task_struct *tsk, unsigned long brk)
{
	struct mm_struct *mm = tsk->mm;
	struct vm_area_struct *next, *brkvma;
	unsigned long origbrk, newbrk, oldbrk;

	mmap_write_lock(mm);
	origbrk = mm->brk;
	if (brk < mm->start_brk)
		goto out;
	newbrk = PAGE_ALIGN(brk);
	oldbrk = PAGE_ALIGN(mm->brk);
	if (oldbrk == newbrk) {
		mm->brk = brk;
		goto success;
	}
	if (brk <= mm->brk) {
		/* Shrink: unmap what lies above the new break. */
		mm->brk = brk;
		if (do_munmap(mm, newbrk, oldbrk - newbrk))
			goto out;
		goto success;
	}
	/* Grow: keep a guard gap below the next mapping (check_brk_limits too). */
	next = find_vma(mm, oldbrk);
	if (next && newbrk + PAGE_SIZE > vm_start_gap(next))
		goto out;
	if (IS_ERR_VALUE(get_unmapped_area(mm, oldbrk, newbrk - oldbrk, MAP_FIXED)))
		goto out;
	/* After mlockall(MCL_FUTURE) the new heap is locked: RLIMIT_MEMLOCK. */
	if (!mlock_future_ok(mm, mm->def_flags, newbrk - oldbrk))
		goto out;
	find_vma_prev(mm, oldbrk, &brkvma);
	if (brkvma && brkvma->vm_end <= mm->start_brk)
		brkvma = NULL;
	if (do_brk_flags(mm, brkvma, oldbrk, newbrk - oldbrk))
		goto out;
	mm->brk = brk;
success:
	mmap_write_unlock(mm);
	return brk;
out:
	mm->brk = origbrk;
	mmap_write_unlock(mm);
	return origbrk;
}

/* ---- mmap ---- */

/* Private writable memory is charged to the commit (accountable_mapping). */
static bool accountable_mapping(vm_flags_t vm_flags)
{
	return (vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE;
}

/* Pages of VM_ACCOUNT mappings inside [start, end) (vms->nr_accounted). */
static long accounted_pages(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma;
	long nr = 0;

	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(vma))
		if (vma->vm_flags & VM_ACCOUNT)
			nr += (long)((min(vma->vm_end, end) - max(vma->vm_start, start)) >>
				     PAGE_SHIFT);
	return nr;
}

static unsigned long mmap_region(struct mm_struct *mm, struct file *file, unsigned long addr,
				 unsigned long len, vm_flags_t vm_flags, unsigned long pgoff)
{
	unsigned long end = addr + len, pages = len >> PAGE_SHIFT;
	struct vma_merge_desc d = {
		.start = addr,
		.end = end,
		.pgoff = pgoff,
		.file = file,
	};
	struct vm_area_struct *vma = NULL;
	bool replaces = find_vma_intersection(mm, addr, end);
	long charged = 0, nr_accounted = 0;
	int err;

	/*
	 * Private writable memory: check the commitment before anything is
	 * unmapped, charging only what the replaced mappings did not already
	 * hold (their charge passes to the new mapping).
	 */
	if (accountable_mapping(vm_flags)) {
		if (replaces)
			nr_accounted = accounted_pages(mm, addr, end);
		charged = (long)pages - nr_accounted;
		if (charged && security_vm_enough_memory_mm(mm, charged))
			return (unsigned long)-ENOMEM;
		vm_flags |= VM_ACCOUNT;
	}
	if (replaces) {
		err = do_munmap(mm, addr, len);
		if (err)
			goto out_unacct;
		/* do_munmap() took back the replaced pages' charge: keep it. */
		vm_acct_memory(nr_accounted);
	}
	d.vm_flags = vm_flags;
	d.next = find_vma_prev(mm, addr, &d.prev);
	/* A shared anonymous mapping gets a shmem file of its own: no merge. */
	if (file || !(vm_flags & VM_SHARED))
		vma = vma_merge_new_range(mm, &d);
	if (!vma) {
		vma = vm_area_alloc(mm);
		if (!vma) {
			err = -ENOMEM;
			charged += nr_accounted;
			goto out_unacct;
		}
		vma->vm_start = addr;
		vma->vm_end = end;
		vma->vm_pgoff = pgoff;
		vma->vm_flags = vm_flags;
		RB_CLEAR_NODE(&vma->shared.rb);
		if (file) {
			vma->vm_file = get_file(file);
			err = file->f_op && file->f_op->mmap ? file->f_op->mmap(file, vma) :
			      generic_file_mmap(file, vma);
		} else if (vm_flags & VM_SHARED) {
			err = shmem_zero_setup(vma);
		} else {
			err = 0;
		}
		if (err) {
			vm_area_free(vma);	/* drops the file */
			charged += nr_accounted;
			goto out_unacct;
		}
		vma_set_page_prot(vma);
		vma_link(mm, vma);
	}
	/* Soft-dirty tracking starts dirty for a new mapping; ignored by merges. */
	vma->vm_flags |= VM_SOFTDIRTY;
	vm_stat_account(mm, vm_flags, (long)pages);
	if (vm_flags & VM_LOCKED)
		mm->locked_vm += pages;
	return addr;

out_unacct:
	if (charged)
		vm_unacct_memory(charged);
	return (unsigned long)(long)err;
}

/*
 * mlock_future_ok: locking @bytes more stays within the caller's
 * RLIMIT_MEMLOCK (8 MiB at spawn), or the caller has CAP_IPC_LOCK.  The
 * caller is the mm's owner (an mm without one: an unprivileged task).
 */
bool mlock_future_ok(struct mm_struct *mm, vm_flags_t vm_flags, unsigned long bytes)
{
	const struct task_struct *tsk = mm->owner;
	unsigned long limit = tsk ? tsk->rlim_memlock : MLOCK_LIMIT;

	if (!(vm_flags & VM_LOCKED) || (tsk && has_capability(tsk, CAP_IPC_LOCK)))
		return true;
	return (bytes >> PAGE_SHIFT) + mm->locked_vm <= (limit >> PAGE_SHIFT);
}

/* calc_vm_prot_bits() and calc_vm_flag_bits() for anonymous memory. */
static vm_flags_t calc_vm_flags(unsigned long prot, unsigned long flags)
{
	vm_flags_t vm_flags = 0;

	if (prot & PROT_READ)
		vm_flags |= VM_READ;
	if (prot & PROT_WRITE)
		vm_flags |= VM_WRITE;
	if (prot & PROT_EXEC)
		vm_flags |= VM_EXEC;
	if (flags & MAP_GROWSDOWN)
		vm_flags |= VM_GROWSDOWN;
	if (flags & MAP_LOCKED)
		vm_flags |= VM_LOCKED;
	if (flags & MAP_STACK)
		vm_flags |= VM_NOHUGEPAGE;
	return vm_flags;
}

/**
 * do_mmap - map anonymous memory into @mm.
 * @mm: the address space
 * @addr: hint, or the address with MAP_FIXED
 * @len: length in bytes
 * @prot: PROT_* bits
 * @flags: MAP_* bits (MAP_ANONYMOUS assumed)
 * @pgoff: offset in pages (ignored for anonymous memory, overflow-checked)
 *
 * Context: mm->mmap_lock held for writing.
 * Return: the address, or -errno as an unsigned long.
 */
unsigned long do_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags, unsigned long pgoff)
{
	return do_mmap_file(mm, NULL, addr, len, prot, flags, pgoff);
}

/* file_mmap_ok(): [pgoff, pgoff + len) fits below the largest file size. */
static bool file_mmap_ok(const struct file *file, unsigned long pgoff, unsigned long len)
{
	u64 maxsize = (u64)file->f_inode->i_sb->s_maxbytes;

	if (len > maxsize)
		return false;
	maxsize -= len;
	return pgoff <= (maxsize >> PAGE_SHIFT);
}

/* The MAP_* bits MAP_SHARED keeps and MAP_SHARED_VALIDATE accepts (LEGACY_MAP_MASK). */
#define LEGACY_MAP_MASK (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE | \
			 MAP_EXECUTABLE | MAP_UNINITIALIZED_LINMM | MAP_GROWSDOWN | MAP_LOCKED | \
			 MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB)
#define MAP_UNINITIALIZED_LINMM 0x4000000

/* The MAP_TYPE checks of a file mapping; adjusts *@vm_flags.  0 or -errno. */
static int mmap_file_checks(struct file *file, unsigned long prot, unsigned long *flags,
			    vm_flags_t *vm_flags)
{
	switch (*flags & MAP_TYPE) {
	case MAP_SHARED:
		*flags &= LEGACY_MAP_MASK;
		__attribute__((fallthrough));
	case MAP_SHARED_VALIDATE:
		if (*flags & ~(unsigned long)LEGACY_MAP_MASK)
			return -EOPNOTSUPP;
		if ((prot & PROT_WRITE) && !(file->f_mode & FMODE_WRITE))
			return -EACCES;
		*vm_flags |= VM_SHARED | VM_MAYSHARE;
		if (!(file->f_mode & FMODE_WRITE))
			*vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
		__attribute__((fallthrough));
	case MAP_PRIVATE:
		if (!(file->f_mode & FMODE_READ))
			return -EACCES;
		if (S_ISDIR_LINMM(file->f_inode->i_mode))
			return -ENODEV;		/* no ->mmap */
		if (*vm_flags & (VM_GROWSDOWN | VM_GROWSUP))
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

unsigned long do_mmap_file(struct mm_struct *mm, struct file *file, unsigned long addr,
			   unsigned long len, unsigned long prot, unsigned long flags,
			   unsigned long pgoff)
{
	vm_flags_t vm_flags;

	mmap_assert_write_locked(mm);
	if (!len)
		return -EINVAL;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	/* round_hint_to_min(): a hint in the low pages moves up to mmap_min_addr. */
	if (!(flags & MAP_FIXED)) {
		addr &= PAGE_MASK;
		if (addr && addr < mmap_min_addr)
			addr = PAGE_ALIGN(mmap_min_addr);
	}
	len = PAGE_ALIGN(len);
	if (!len)
		return -ENOMEM;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (mm->map_count > sysctl_max_map_count)
		return -ENOMEM;
	vm_flags = calc_vm_flags(prot, flags) | mm->def_flags | VM_MAYREAD | VM_MAYWRITE |
		   VM_MAYEXEC;
	addr = __get_unmapped_area(mm, file, addr, len, pgoff, flags);
	if (IS_ERR_VALUE(addr))
		return addr;
	if ((flags & MAP_FIXED_NOREPLACE) && find_vma_intersection(mm, addr, addr + len))
		return -EEXIST;
	if ((flags & MAP_LOCKED) && mm->owner && !can_do_mlock(mm->owner))
		return -EPERM;
	/* VM_LOCKED from MAP_LOCKED or from mlockall(MCL_FUTURE)'s def_flags. */
	if (!mlock_future_ok(mm, vm_flags, len))
		return -EAGAIN;
	if (file) {
		int err;

		if (!file_mmap_ok(file, pgoff, len))
			return -EOVERFLOW;
		err = mmap_file_checks(file, prot, &flags, &vm_flags);
		if (err)
			return (unsigned long)(long)err;
		if ((flags & MAP_NORESERVE) && sysctl_overcommit_memory != OVERCOMMIT_NEVER)
			vm_flags |= VM_NORESERVE;
		return mmap_region(mm, file, addr, len, vm_flags, pgoff);
	}
	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
		if (vm_flags & (VM_GROWSDOWN | VM_GROWSUP))
			return -EINVAL;
		pgoff = 0;
		vm_flags |= VM_SHARED | VM_MAYSHARE;
		break;
	case MAP_PRIVATE:
		pgoff = addr >> PAGE_SHIFT;
		break;
	default:
		return -EINVAL;
	}
	if ((flags & MAP_NORESERVE) && sysctl_overcommit_memory != OVERCOMMIT_NEVER)
		vm_flags |= VM_NORESERVE;
	return mmap_region(mm, NULL, addr, len, vm_flags, pgoff);
}

unsigned long linmm_mmap(struct task_struct *tsk, unsigned long addr, unsigned long len,
			 unsigned long prot, unsigned long flags, int fd, unsigned long off)
{
	struct mm_struct *mm = tsk->mm;
	struct file *file = NULL;
	unsigned long ret;

	if (offset_in_page(off))
		return -EINVAL;
	/* ksys_mmap_pgoff(): a file mapping holds the descriptor's file for the call. */
	if (!(flags & MAP_ANONYMOUS)) {
		file = fd >= 0 ? fget(tsk, fd) : NULL;
		if (!file)
			return -EBADF;
	}
	mmap_write_lock(mm);
	ret = do_mmap_file(mm, file, addr, len, prot, flags, off >> PAGE_SHIFT);
	mmap_write_unlock(mm);
	if (file)
		fput(file);
	/* vm_mmap_pgoff(): MAP_POPULATE (without MAP_NONBLOCK) and MAP_LOCKED prefault. */
	if (!IS_ERR_VALUE(ret) && ((flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE ||
				   (flags & MAP_LOCKED)))
		__mm_populate(mm, ret, len, /* ignore_errors = */ 1);
	return ret;
}

int linmm_munmap(struct task_struct *tsk, unsigned long addr, unsigned long len)
{
	struct mm_struct *mm = tsk->mm;
	int ret;

	mmap_write_lock(mm);
	ret = do_munmap(mm, addr, len);
	mmap_write_unlock(mm);
	return ret;
}

/* ---- stack growth (expand_stack, expand_downwards, acct_stack_growth) ---- */

/*
 * expand_downwards - grow the VM_GROWSDOWN @vma down to cover @address
 * (the page fault path calls it for an address just below a stack).
 *
 *   prev        guard gap (stack_guard_gap)    new start   vma
 *   [PPPP)  . . . . . . . . . . . . . . . . .  [ssss......SSSS)
 *
 * Refused (-ENOMEM) if the gap to an accessible non-stack VMA below would
 * shrink under stack_guard_gap, if the stack would exceed RLIMIT_STACK
 * (8 MiB), or if the commitment is refused; -EPERM below mmap_min_addr.
 * Context: mmap_lock held for writing.
 * Return: 0 or -errno.
 */
int expand_downwards(struct vm_area_struct *vma, unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *prev;
	unsigned long grow, size;

	mmap_assert_write_locked(mm);
	if (!(vma->vm_flags & VM_GROWSDOWN))
		return -EFAULT;
	address &= PAGE_MASK;
	if (address < mmap_min_addr)
		return -EPERM;
	if (address >= vma->vm_start)
		return 0;
	prev = vma_prev(vma);
	if (prev && !(prev->vm_flags & VM_GROWSDOWN) && (prev->vm_flags & VM_ACCESS_FLAGS) &&
	    (address < prev->vm_end || address - prev->vm_end < stack_guard_gap))
		return -ENOMEM;
	grow = (vma->vm_start - address) >> PAGE_SHIFT;
	size = vma->vm_end - address;
	if (size > _STK_LIM)
		return -ENOMEM;
	if ((vma->vm_flags & VM_LOCKED) && mm->owner &&
	    !has_capability(mm->owner, CAP_IPC_LOCK) &&
	    (mm->locked_vm + grow) << PAGE_SHIFT > mm->owner->rlim_memlock)
		return -ENOMEM;
	if ((vma->vm_flags & VM_ACCOUNT) && security_vm_enough_memory_mm(mm, (long)grow))
		return -ENOMEM;
	vma_set_range(vma, address, vma->vm_end, vma->vm_pgoff - grow);
	vm_stat_account(mm, vma->vm_flags, (long)grow);
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm += grow;
	return 0;
}
