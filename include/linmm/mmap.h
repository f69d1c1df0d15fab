/* SPDX-License-Identifier: MIT */
/*
 * mmap.h - user address spaces: VMA flags, the mmap family of system calls
 * and VMA lookup (include/linux/mm.h, include/uapi/asm-generic/mman*.h,
 * mm/mmap.c, mm/vma.c, mm/mprotect.c, mm/mremap.c).
 *
 * An mm_struct holds its VMAs in a maple tree, mm->mm_mt, that maps each
 * VMA's range to it and tracks the largest free range below each node
 * (lib/maple_tree.c; struct vm_area_struct in mm_types.h).  VMAs never
 * overlap, are page aligned and non-empty.  Every function here that
 * reads the tree needs mm->mmap_lock (read or write); those that change it
 * need it for writing.  The linmm_* system-call entry points take the
 * lock themselves.
 *
 * Errors are the kernel's: mmap and mremap return the address or -errno
 * (test with IS_ERR_VALUE()), munmap and mprotect 0 or -errno.
 */
#ifndef LINMM_MMAP_H
#define LINMM_MMAP_H

#include <linmm/mm_types.h>
#include <linmm/mmzone.h>
#include <linmm/types.h>

struct task_struct;

/* VMA flags (include/linux/mm.h). */
#define VM_NONE		0x00000000UL
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_MAYREAD	0x00000010UL	/* VM_MAYx = VM_x << 4: what mprotect may add */
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_MAYSHARE	0x00000080UL
#define VM_GROWSDOWN	0x00000100UL
#define VM_UFFD_MISSING	0x00000200UL
#define VM_PFNMAP	0x00000400UL
#define VM_UFFD_WP	0x00001000UL
#define VM_LOCKED	0x00002000UL
#define VM_IO		0x00004000UL
#define VM_SEQ_READ	0x00008000UL
#define VM_RAND_READ	0x00010000UL
#define VM_DONTCOPY	0x00020000UL
#define VM_DONTEXPAND	0x00040000UL
#define VM_LOCKONFAULT	0x00080000UL
#define VM_ACCOUNT	0x00100000UL
#define VM_NORESERVE	0x00200000UL
#define VM_HUGETLB	0x00400000UL
#define VM_SYNC		0x00800000UL
#define VM_ARCH_1	0x01000000UL
#define VM_WIPEONFORK	0x02000000UL
#define VM_DONTDUMP	0x04000000UL
#define VM_SOFTDIRTY	0x08000000UL
#define VM_MIXEDMAP	0x10000000UL
#define VM_HUGEPAGE	0x20000000UL
#define VM_NOHUGEPAGE	0x40000000UL
#define VM_MERGEABLE	0x80000000UL

#define VM_GROWSUP	VM_NONE		/* x86: stacks grow down only */
#define VM_STACK	VM_GROWSDOWN
#define VM_ACCESS_FLAGS	(VM_READ | VM_WRITE | VM_EXEC)
/* The bits mlock, munlock and mlockall set and clear. */
#define VM_LOCKED_MASK	(VM_LOCKED | VM_LOCKONFAULT)
/* Never merged, never expanded by mremap. */
#define VM_SPECIAL	(VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)
/* Differences in these do not prevent a merge. */
#define VM_IGNORE_MERGE	VM_SOFTDIRTY
/* x86 data (brk) memory without READ_IMPLIES_EXEC (VM_DATA_FLAGS_TSK_EXEC). */
#define VM_DATA_DEFAULT_FLAGS \
	(VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)

/*
 * The uapi constants (asm-generic/mman-common.h, x86 values).  Guarded so a
 * program that also includes the host's <sys/mman.h> first gets one
 * definition (the values are identical on x86_64 Linux).
 */
#ifndef PROT_READ
#define PROT_NONE		0x0
#define PROT_READ		0x1
#define PROT_WRITE		0x2
#define PROT_EXEC		0x4
#define PROT_SEM		0x8
#define PROT_GROWSDOWN		0x01000000
#define PROT_GROWSUP		0x02000000
#endif
#ifndef MAP_SHARED
#define MAP_SHARED		0x01
#define MAP_PRIVATE		0x02
#define MAP_FIXED		0x10
#define MAP_ANONYMOUS		0x20
#define MAP_GROWSDOWN		0x0100
#define MAP_DENYWRITE		0x0800
#define MAP_EXECUTABLE		0x1000
#define MAP_LOCKED		0x2000
#define MAP_NORESERVE		0x4000
#define MAP_POPULATE		0x8000
#define MAP_NONBLOCK		0x10000
#define MAP_STACK		0x20000
#define MAP_HUGETLB		0x40000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE	0x03
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif
#ifndef MAP_TYPE
#define MAP_TYPE		0x0f
#endif
/* mremap() flags (uapi/linux/mman.h). */
#ifndef MREMAP_MAYMOVE
#define MREMAP_MAYMOVE		1	/* may move the mapping to grow it */
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED		2	/* move to new_addr (needs MAYMOVE) */
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP	4	/* move, keeping the old range mapped */
#endif

/* madvise() advice (asm-generic/mman-common.h), each guarded as above. */
#ifndef MADV_NORMAL
#define MADV_NORMAL			0	/* no special treatment */
#endif
#ifndef MADV_RANDOM
#define MADV_RANDOM			1	/* VM_RAND_READ */
#endif
#ifndef MADV_SEQUENTIAL
#define MADV_SEQUENTIAL			2	/* VM_SEQ_READ */
#endif
#ifndef MADV_WILLNEED
#define MADV_WILLNEED			3	/* read ahead / swap in */
#endif
#ifndef MADV_DONTNEED
#define MADV_DONTNEED			4	/* zap the pages */
#endif
#ifndef MADV_FREE
#define MADV_FREE			8	/* lazy free (anonymous) */
#endif
#ifndef MADV_REMOVE
#define MADV_REMOVE			9	/* punch a hole in the shmem object */
#endif
#ifndef MADV_DONTFORK
#define MADV_DONTFORK			10	/* VM_DONTCOPY */
#endif
#ifndef MADV_DOFORK
#define MADV_DOFORK			11	/* clear VM_DONTCOPY */
#endif
#ifndef MADV_MERGEABLE
#define MADV_MERGEABLE			12	/* VM_MERGEABLE (KSM) */
#endif
#ifndef MADV_UNMERGEABLE
#define MADV_UNMERGEABLE		13	/* clear VM_MERGEABLE */
#endif
#ifndef MADV_HUGEPAGE
#define MADV_HUGEPAGE			14	/* VM_HUGEPAGE */
#endif
#ifndef MADV_NOHUGEPAGE
#define MADV_NOHUGEPAGE			15	/* VM_NOHUGEPAGE */
#endif
#ifndef MADV_DONTDUMP
#define MADV_DONTDUMP			16	/* VM_DONTDUMP */
#endif
#ifndef MADV_DODUMP
#define MADV_DODUMP			17	/* clear VM_DONTDUMP */
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK			18	/* VM_WIPEONFORK */
#endif
#ifndef MADV_KEEPONFORK
#define MADV_KEEPONFORK			19	/* clear VM_WIPEONFORK */
#endif
#ifndef MADV_COLD
#define MADV_COLD			20	/* deactivate */
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT			21	/* reclaim */
#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ		22	/* prefault readable */
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE		23	/* prefault writable */
#endif
#ifndef MADV_DONTNEED_LOCKED
#define MADV_DONTNEED_LOCKED		24	/* MADV_DONTNEED, mlocked ranges too */
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE			25	/* collapse into THPs */
#endif
#ifndef MADV_HWPOISON
#define MADV_HWPOISON			100	/* memory-failure injection */
#endif
#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE		101
#endif
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL		102	/* guard-region PTE markers */
#endif
#ifndef MADV_GUARD_REMOVE
#define MADV_GUARD_REMOVE		103
#endif
/* mlockall() flags, mlock2() flags (asm-generic/mman.h) and msync() flags. */
#ifndef MCL_CURRENT
#define MCL_CURRENT		1	/* lock what is mapped now */
#endif
#ifndef MCL_FUTURE
#define MCL_FUTURE		2	/* and what is mapped later (mm->def_flags) */
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT		4	/* as pages are faulted in (VM_LOCKONFAULT) */
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT		0x01	/* mlock2(): VM_LOCKONFAULT */
#endif
#ifndef MS_ASYNC
#define MS_ASYNC		1
#endif
#ifndef MS_INVALIDATE
#define MS_INVALIDATE		2
#endif
#ifndef MS_SYNC
#define MS_SYNC			4
#endif

#ifndef IS_ERR_VALUE
#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)
#endif

#ifndef offset_in_page
#define offset_in_page(p) ((unsigned long)(p) & ~PAGE_MASK)
#endif

/*
 * The end of the user address space and of the default mmap window of the
 * running arch (arch/x86/mmap.c): x86_64 4-level 2^47 - 4096 for both,
 * la57 2^56 - 4096 with the 47-bit window, x86_32 0xc0000000 (3G/1G).
 */
unsigned long task_size_max(void);
unsigned long default_map_window(void);
#define TASK_SIZE_MAX		task_size_max()
#define DEFAULT_MAP_WINDOW	default_map_window()

/* Tunables: vm.max_map_count (65530), vm.mmap_min_addr (65536), stack_guard_gap (256 pages). */
extern int sysctl_max_map_count;
extern unsigned long mmap_min_addr;
extern unsigned long stack_guard_gap;

static inline unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

/* vm_start_gap - lowest address a new mapping below @vma may end at (stack guard gap). */
static inline unsigned long vm_start_gap(const struct vm_area_struct *vma)
{
	unsigned long start = vma->vm_start;

	if (vma->vm_flags & VM_GROWSDOWN) {
		start -= stack_guard_gap;
		if (start > vma->vm_start)
			start = 0;
	}
	return start;
}

/* vm_end_gap - lowest address a new mapping above @vma may start at (no VM_GROWSUP on x86). */
static inline unsigned long vm_end_gap(const struct vm_area_struct *vma)
{
	return vma->vm_end;
}

static inline bool vma_is_anonymous(const struct vm_area_struct *vma)
{
	return !vma->vm_file;
}

/* ---- lookup (mm/vma.c); Context: mmap_lock held ---- */

/* find_vma - the first VMA with vm_end > @addr, or NULL. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
/* find_vma_prev - find_vma(), and in *@pprev the VMA before it (or the last VMA, or NULL). */
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev);
/* vma_lookup - the VMA containing @addr, or NULL. */
struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr);
/* find_vma_intersection - the first VMA overlapping [@start, @end), or NULL. */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end);
/* vma_next / vma_prev - the neighbour of @vma in address order, or NULL. */
struct vm_area_struct *vma_next(struct vm_area_struct *vma);
struct vm_area_struct *vma_prev(struct vm_area_struct *vma);
/* vma_first - the lowest VMA of @mm, or NULL. */
struct vm_area_struct *vma_first(struct mm_struct *mm);

#define for_each_vma(mm, vma) \
	for ((vma) = vma_first(mm); (vma); (vma) = vma_next(vma))

/* ---- the mmap family (mm/mmap.c, mm/mprotect.c, mm/mremap.c) ---- */

/**
 * linmm_mmap - mmap(2) in @tsk's address space.
 * @tsk: the calling task
 * @addr: hint, or the address with MAP_FIXED / MAP_FIXED_NOREPLACE
 * @len: length in bytes (rounded up to pages)
 * @prot: PROT_* bits
 * @flags: MAP_* bits (MAP_SHARED_VALIDATE checks the rest for a file)
 * @fd: the file to map (a descriptor of @tsk); ignored with MAP_ANONYMOUS
 * @off: file offset in bytes (must be page aligned)
 *
 * Context: takes @tsk->mm->mmap_lock for writing.
 * Return: the start address, or -errno as an unsigned long (IS_ERR_VALUE):
 * -EINVAL (zero length, unaligned offset or fixed address, bad map type),
 * -ENOMEM (no room, above the task size, too many mappings, refused by
 * the overcommit policy), -EEXIST (MAP_FIXED_NOREPLACE over a mapping), -EPERM (fixed address below
 * mmap_min_addr), -EBADF (no such descriptor), -EAGAIN (MAP_LOCKED beyond
 * RLIMIT_MEMLOCK); for a file -EACCES (PROT_WRITE|MAP_SHARED of a
 * descriptor not open for writing, any mapping of one not open for
 * reading), -EOVERFLOW (offset + length beyond the largest file),
 * -ENODEV (a directory), -EOPNOTSUPP (MAP_SHARED_VALIDATE, unknown flag).
 */
unsigned long linmm_mmap(struct task_struct *tsk, unsigned long addr, unsigned long len,
			 unsigned long prot, unsigned long flags, int fd, unsigned long off);

/**
 * linmm_munmap - munmap(2): remove [@addr, @addr + @len) from @tsk's mm.
 * @tsk: the calling task
 * @addr: page-aligned start
 * @len: length in bytes (rounded up to pages)
 *
 * Context: takes @tsk->mm->mmap_lock for writing.
 * Return: 0 (also when nothing was mapped there), -EINVAL (unaligned,
 * zero length, beyond the task size) or -ENOMEM (a split would exceed
 * vm.max_map_count).
 */
int linmm_munmap(struct task_struct *tsk, unsigned long addr, unsigned long len);

/**
 * linmm_mprotect - mprotect(2): set the access rights of [@start, @start + @len).
 * @tsk: the calling task
 * @start: page-aligned start
 * @len: length in bytes (rounded up to pages)
 * @prot: PROT_* bits (PROT_GROWSDOWN extends the range down to the VMA start)
 *
 * VMAs are split at the range ends and merged with neighbours that become
 * compatible.  As in the kernel, VMAs before an error keep their new rights.
 * Context: takes @tsk->mm->mmap_lock for writing.
 * Return: 0, -EINVAL (unaligned start, unknown prot bits), -ENOMEM (a hole
 * in the range, too many mappings, making private memory writable refused
 * by the overcommit policy) or -EACCES (a right the VMA may not get).
 */
int linmm_mprotect(struct task_struct *tsk, unsigned long start, unsigned long len,
		   unsigned long prot);

/**
 * linmm_brk - brk(2): move @tsk's program break to @brk.
 * @tsk: the calling task
 * @brk: the new break (0 or below start_brk: just ask for the current one)
 *
 * Growing maps [PAGE_ALIGN(old), PAGE_ALIGN(@brk)) as data memory
 * (rw-p, VM_ACCOUNT), extending the heap VMA when it can merge; it is
 * refused when it would come within stack_guard_gap of the next mapping.
 * Shrinking unmaps the pages above the new break.
 * Context: takes @tsk->mm->mmap_lock for writing.
 * Return: the new break, or the unchanged one if the request failed
 * (never -errno, as in Linux).
 */
unsigned long linmm_brk(struct task_struct *tsk, unsigned long brk);

/* ---- mlock, madvise, msync (mm/mlock.c, mm/madvise.c, mm/msync.c) ---- */

/**
 * linmm_mlock - mlock(2): lock [@start, @start + @len) of @tsk's mm in memory.
 * @tsk: the calling task (its cap_effective and rlim_memlock apply)
 * @start: start; rounded down to a page, the length grows by the same amount
 * @len: length in bytes (rounded up to pages)
 *
 * The VMAs of the range get VM_LOCKED (split and merged as by mprotect)
 * and count in mm->locked_vm; then the range is populated (a PAGE-TABLE
 * HOOK until user page tables exist).
 * Context: takes @tsk->mm->mmap_lock for writing, then for reading.
 * Return: 0; -EPERM (RLIMIT_MEMLOCK is 0 and no CAP_IPC_LOCK); -ENOMEM
 * (the limit would be passed, a hole in the range, a PROT_NONE VMA that
 * cannot be faulted in, too many mappings); -EINVAL (the end wraps).
 */
int linmm_mlock(struct task_struct *tsk, unsigned long start, unsigned long len);

/**
 * linmm_mlock2 - mlock2(2): linmm_mlock() with @flags.
 * @tsk: the calling task
 * @start: start (rounded down to a page)
 * @len: length in bytes
 * @flags: 0 or MLOCK_ONFAULT (VM_LOCKONFAULT: lock pages as they are
 *	faulted in, populate nothing now)
 *
 * Context: as linmm_mlock().
 * Return: as linmm_mlock(); -EINVAL for other @flags.
 */
int linmm_mlock2(struct task_struct *tsk, unsigned long start, unsigned long len, int flags);

/**
 * linmm_munlock - munlock(2): clear VM_LOCKED and VM_LOCKONFAULT over a range.
 * @tsk: the calling task
 * @start: start (rounded down to a page)
 * @len: length in bytes
 *
 * Context: takes @tsk->mm->mmap_lock for writing.
 * Return: 0, -ENOMEM (a hole, too many mappings) or -EINVAL (the end wraps).
 */
int linmm_munlock(struct task_struct *tsk, unsigned long start, unsigned long len);

/**
 * linmm_mlockall - mlockall(2): lock every mapping, now and/or in future.
 * @tsk: the calling task
 * @flags: MCL_CURRENT (lock every VMA), MCL_FUTURE (mm->def_flags gets
 *	VM_LOCKED: every later mapping is locked), MCL_ONFAULT with either
 *	(VM_LOCKONFAULT).  Each call replaces the MCL_FUTURE state of the last.
 *
 * Context: takes @tsk->mm->mmap_lock for writing, then for reading.
 * Return: 0; -EINVAL (no flag, an unknown flag, MCL_ONFAULT alone); -EPERM
 * (RLIMIT_MEMLOCK is 0); -ENOMEM (MCL_CURRENT, total_vm beyond the limit,
 * no CAP_IPC_LOCK).
 */
int linmm_mlockall(struct task_struct *tsk, int flags);

/**
 * linmm_munlockall - munlockall(2): unlock every VMA and clear MCL_FUTURE.
 * @tsk: the calling task
 *
 * Context: takes @tsk->mm->mmap_lock for writing.
 * Return: 0.
 */
int linmm_munlockall(struct task_struct *tsk);

/**
 * linmm_madvise - madvise(2): advice @behavior (MADV_*) for a range.
 * @tsk: the calling task
 * @start: page-aligned start
 * @len: length in bytes (rounded up to pages)
 * @behavior: MADV_* advice
 *
 * Flag advice (NORMAL, RANDOM, SEQUENTIAL, DONTFORK, DOFORK, WIPEONFORK,
 * KEEPONFORK, DONTDUMP, DODUMP, HUGEPAGE, NOHUGEPAGE, MERGEABLE,
 * UNMERGEABLE) splits and merges VMAs; page advice (DONTNEED, FREE,
 * WILLNEED, COLD, PAGEOUT, REMOVE, POPULATE_READ/WRITE, ...) checks the
 * VMAs as Linux does and leaves the page work to the page tables.  Holes
 * do not stop the advice: the mapped parts are advised, then -ENOMEM.
 * Context: takes @tsk->mm->mmap_lock (for writing for flag advice).
 * Return: 0; -EINVAL (unknown advice, unaligned start, the length wraps,
 * advice the VMA refuses: DONTNEED of locked memory, FREE or WIPEONFORK
 * of shared memory, POPULATE of memory without the permission); -ENOMEM
 * (a hole); -EACCES (REMOVE of shared memory mapped without write
 * permission ever); -EAGAIN (no memory to split a VMA).
 */
int linmm_madvise(struct task_struct *tsk, unsigned long start, unsigned long len, int behavior);

/**
 * linmm_msync - msync(2): check a range and write its shared file pages back.
 * @tsk: the calling task
 * @start: page-aligned start
 * @len: length in bytes (rounded up to pages)
 * @flags: MS_ASYNC or MS_SYNC, optionally MS_INVALIDATE
 *
 * Context: takes @tsk->mm->mmap_lock for reading.
 * Return: 0; -EINVAL (unknown flags, MS_ASYNC | MS_SYNC, unaligned start);
 * -ENOMEM (a hole, the end wraps); -EBUSY (MS_INVALIDATE of a locked VMA).
 */
int linmm_msync(struct task_struct *tsk, unsigned long start, unsigned long len, int flags);

/**
 * linmm_mincore - mincore(2) into a kernel buffer: residency of a range of @tsk.
 * @tsk: the calling task
 * @start: page-aligned start
 * @len: length in bytes (rounded up to pages)
 * @vec: one byte per page: 1 resident (a present PTE, a migration entry, or
 *	for a file VMA the file page cached and uptodate), 0 not
 *
 * Context: takes @tsk->mm->mmap_lock for reading, per chunk of PAGE_SIZE pages.
 * Return: 0; -EINVAL (unaligned start); -ENOMEM (the range leaves user
 * space, or a page of it is not mapped: @vec then holds the entries of the
 * pages before the first hole, the rest is untouched).
 */
int linmm_mincore(struct task_struct *tsk, unsigned long start, size_t len, unsigned char *vec);

/**
 * linmm_sys_mincore - mincore(2) with @vec a user address of @tsk (copy_to_user).
 * @tsk: the calling task
 * @start: page-aligned start
 * @len: length in bytes (rounded up to pages)
 * @vec: user address of the vector
 *
 * Context: as linmm_mincore(); no locks held (the copies may fault).
 * Return: as linmm_mincore(), and -EFAULT (@vec beyond user space, or a
 * chunk's copy faulted: the chunks before it are copied); -EAGAIN (no page
 * for the chunk buffer).
 */
int linmm_sys_mincore(struct task_struct *tsk, unsigned long start, size_t len,
		      unsigned long vec);

/**
 * linmm_mremap - mremap(2): resize [@addr, @addr + @old_len) of @tsk's mm, or move it.
 * @tsk: the calling task
 * @addr: page-aligned start of the range, inside one VMA
 * @old_len: its length in bytes (rounded up to pages); 0 with a shared
 *	mapping maps the same memory again elsewhere
 * @new_len: the length wanted (rounded up to pages)
 * @flags: MREMAP_MAYMOVE, MREMAP_FIXED (with MAYMOVE: move to @new_addr,
 *	unmapping what is there), MREMAP_DONTUNMAP (with MAYMOVE and
 *	@old_len == @new_len: move, but leave the old range mapped)
 * @new_addr: the destination with MREMAP_FIXED, a hint with MREMAP_DONTUNMAP
 *
 * Shrinking unmaps the tail; growing extends the VMA when the pages after
 * it are free (merging with the next VMA when compatible) and otherwise
 * moves it if MREMAP_MAYMOVE allows.  MREMAP_FIXED with equal lengths
 * moves every VMA of the range, keeping the holes between them.  Growth of
 * an accounted mapping is charged to Committed_AS.  The checks come in
 * Linux 6.18's order, so each bad call fails as it would there.
 * Context: takes @tsk->mm->mmap_lock for writing.
 * Return: the (new) start address, or -errno as an unsigned long
 * (IS_ERR_VALUE): -EINVAL (unknown flag, unaligned address, zero new
 * length, FIXED/DONTUNMAP without MAYMOVE, DONTUNMAP resizing, overlapping
 * ranges, old_len 0 of a private mapping, DONTUNMAP of a VM_DONTEXPAND or
 * VM_PFNMAP mapping), -EFAULT (nothing mapped at @addr, a range crossing
 * the VMA's end, growing VM_DONTEXPAND/VM_PFNMAP), -ENOMEM (no room
 * without MAYMOVE, too many mappings, refused by the overcommit policy),
 * -EAGAIN (growing a locked mapping beyond RLIMIT_MEMLOCK), -EPERM (a
 * destination below mmap_min_addr).
 */
unsigned long linmm_mremap(struct task_struct *tsk, unsigned long addr, unsigned long old_len,
			   unsigned long new_len, unsigned long flags, unsigned long new_addr);

static inline void mmap_read_lock(struct mm_struct *mm) { down_read(&mm->mmap_lock); }
static inline void mmap_read_unlock(struct mm_struct *mm) { up_read(&mm->mmap_lock); }
static inline void mmap_write_lock(struct mm_struct *mm) { down_write(&mm->mmap_lock); }
static inline void mmap_write_unlock(struct mm_struct *mm) { up_write(&mm->mmap_lock); }
#define mmap_assert_locked(mm) VM_WARN_ON_ONCE(!rwsem_is_locked(&(mm)->mmap_lock))
#define mmap_assert_write_locked(mm) VM_WARN_ON_ONCE(!rwsem_is_write_locked(&(mm)->mmap_lock))

#endif /* LINMM_MMAP_H */
