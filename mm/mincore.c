// SPDX-License-Identifier: MIT
/*
 * mincore.c - mincore(2): which pages of a range are resident (mm/mincore.c).
 *
 * One byte per page of [start, start + len), 1 if the page is "in core",
 * 0 if not, decided as Linux 6.18 decides it, from the page tables first:
 *
 *   PTE                          vec  why
 *   present (zero page too)       1   mapped: no fault would have to read it
 *   migration / hwpoison entry    1   the page exists (mincore_swap, !shmem)
 *   swap entry                    0   the swap cache would answer; linmm
 *                                     has no swap yet
 *   none, marker, no PTE table:
 *     anonymous VMA               0   nothing there
 *     file VMA (shmem included)   ?   the page cache answers: the page at
 *                                     the slot's file offset is cached and
 *                                     uptodate (mincore_page)
 *
 * A file VMA's vec is its file's cache, not its own pages: a private
 * mapping shows the file's cached pages where it has no COW copy, an
 * untouched shared mapping of a cached file shows 1s.  The kernel reveals
 * page-cache state only to a caller that owns the file or could open it
 * for writing (can_do_mincore(); others see all 1s); linmm has one user,
 * the owner of every inode, so every VMA is walked.
 *
 * The checks come in the kernel's order: an unaligned start is -EINVAL; a
 * range not inside the user address space (access_ok: the end above
 * TASK_SIZE_MAX, or wrapping) -ENOMEM; len rounds up to pages; for the
 * system-call form a vec range beyond user space -EFAULT.  Then chunks of
 * at most PAGE_SIZE pages, each inside one VMA, are filled under
 * mmap_lock (do_mincore) and handed out; a chunk starting in a hole is
 * -ENOMEM, so vec holds the entries of every page before the first hole
 * and nothing after it:
 *
 *   range      [--------------------------)
 *   VMAs       AAAAAAAAA    BBBBBBBB
 *   vec        111001100 -> -ENOMEM, the rest of vec untouched
 *
 * The system-call form (linmm_sys_mincore) builds each chunk in a page of
 * its own (GFP_USER; none: -EAGAIN) and copies it to the task's vec with
 * copy_to_user() after dropping mmap_lock; a chunk that faults is -EFAULT,
 * the chunks before it stay copied.
 *
 * Locks: mm->mmap_lock for reading per chunk; each PTE table is looked up
 * under mm->page_table_lock and read under its own split lock (as the
 * other walkers: fs/proc/task_mmu.c, mm/rmap.c); page-cache lookups run
 * after the PTE lock is dropped (a stale answer is allowed: the result
 * may be out of date the moment it is returned, as mincore(2) says).
 * There are no huge user mappings yet (no PMD/PUD leaves, no hugetlb).
 */
#include <string.h>

#include <linmm/gfp.h>
#include <linmm/mm.h>
#include <linmm/mmap.h>
#include <linmm/pagemap.h>
#include <linmm/sched.h>
#include <linmm/swapops.h>
#include <linmm/uaccess.h>

#include "mm/internal.h"

/* A vec slot whose answer the page cache gives (set under the PTE lock, resolved after). */
#define MINCORE_ASK_CACHE 0xff

/* mincore_page: 1 if @index of @mapping is cached and uptodate (shmem: in memory). */
static unsigned char mincore_page(struct address_space *mapping, pgoff_t index)
{
	struct page *page = filemap_get_folio(mapping, index);
	unsigned char present;

	if (!page)
		return 0;
	present = PageUptodate(page);
	put_page(page);
	return present;
}

/*
 * mincore_swap: a non-present, non-none PTE.  Entries that name a page
 * (migration, hwpoison, device) are resident; real swap entries would ask
 * the swap cache, which linmm does not have yet.
 */
static unsigned char mincore_swap(pte_t pte)
{
	swp_entry_t entry = pte_to_swp_entry(pte);

	return swp_type(entry) >= MAX_SWAPFILES ? 1 : 0;
}

static bool pte_is_marker(pte_t pte)
{
	return is_swap_pte(pte) && swp_type(pte_to_swp_entry(pte)) == SWP_PTE_MARKER;
}

/* The file page behind @addr of @vma (linear_page_index()). */
static pgoff_t mincore_pgoff(const struct vm_area_struct *vma, unsigned long addr)
{
	return vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
}

/*
 * Fill @vec for [@addr, @end), which lies inside one PTE table's span of
 * @vma: from the PTEs under the table's lock, then the slots marked
 * MINCORE_ASK_CACHE from the page cache (__mincore_unmapped_range).
 */
static void mincore_pte_range(struct vm_area_struct *vma, unsigned long addr, unsigned long end,
			      unsigned char *vec)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long nr = (end - addr) >> PAGE_SHIFT;
	spinlock_t *ptl;
	pte_t *ptep;

	spin_lock(&mm->page_table_lock);
	ptep = mm_find_pte(mm, addr);
	if (!ptep) {
		/* No table (the pte_hole callback): all slots are none. */
		spin_unlock(&mm->page_table_lock);
		memset(vec, MINCORE_ASK_CACHE, nr);
	} else {
		ptl = ptep_lockptr(ptep);
		spin_lock(ptl);
		spin_unlock(&mm->page_table_lock);
		for (unsigned long i = 0; i < nr; i++) {
			/* Entries are entry_size apart (4 bytes on 2-level x86_32), not sizeof(pte_t). */
			pte_t pte = ptep_get((pte_t *)((char *)ptep + i * pgtable_fmt->entry_size));

			if (pte_none(pte) || pte_is_marker(pte))
				vec[i] = MINCORE_ASK_CACHE;
			else if (pte_present(pte))
				vec[i] = 1;
			else
				vec[i] = mincore_swap(pte);
		}
		spin_unlock(ptl);
	}
	for (unsigned long i = 0; i < nr; i++) {
		if (vec[i] != MINCORE_ASK_CACHE)
			continue;
		if (vma->vm_file)
			vec[i] = mincore_page(vma->vm_file->f_mapping,
					      mincore_pgoff(vma, addr + (i << PAGE_SHIFT)));
		else
			vec[i] = 0;
	}
}

/*
 * do_mincore - fill @vec for up to @pages pages from @addr, stopping at the
 * end of the VMA that holds @addr.
 * Context: @mm's mmap_lock held for reading.
 * Return: the number of entries filled (> 0), or -ENOMEM if no VMA holds @addr.
 */
static long do_mincore(struct mm_struct *mm, unsigned long addr, unsigned long pages,
		       unsigned char *vec)
{
	unsigned long span = (unsigned long)PTRS_PER_PTE << PAGE_SHIFT;
	struct vm_area_struct *vma;
	unsigned long end, next;
	long nr;

	mmap_assert_locked(mm);
	vma = vma_lookup(mm, addr);
	if (!vma)
		return -ENOMEM;
	end = min(vma->vm_end, addr + (pages << PAGE_SHIFT));
	nr = (long)((end - addr) >> PAGE_SHIFT);
	for (; addr < end; addr = next) {
		next = min(ALIGN_DOWN(addr, span) + span, end);
		mincore_pte_range(vma, addr, next, vec);
		vec += (next - addr) >> PAGE_SHIFT;
	}
	return nr;
}

/*
 * The syscall's argument checks.  *@pages: the entries wanted.
 * Return: 0, or -EINVAL / -ENOMEM.
 */
static int mincore_check(struct task_struct *tsk, unsigned long start, size_t len,
			 unsigned long *pages)
{
	if (offset_in_page(start))
		return -EINVAL;
	if (!access_ok(start, len))
		return -ENOMEM;
	if (!tsk->mm)
		return -ENOMEM;
	/* Rounding up without PAGE_ALIGN(len), which could wrap. */
	*pages = (len >> PAGE_SHIFT) + (offset_in_page(len) != 0);
	return 0;
}

int linmm_mincore(struct task_struct *tsk, unsigned long start, size_t len, unsigned char *vec)
{
	unsigned long pages;
	long ret;
	int err;

	err = mincore_check(tsk, start, len, &pages);
	if (err)
		return err;
	while (pages) {
		mmap_read_lock(tsk->mm);
		ret = do_mincore(tsk->mm, start, min(pages, (unsigned long)PAGE_SIZE), vec);
		mmap_read_unlock(tsk->mm);
		if (ret < 0)
			return (int)ret;
		pages -= (unsigned long)ret;
		vec += ret;
		start += (unsigned long)ret << PAGE_SHIFT;
	}
	return 0;
}

int linmm_sys_mincore(struct task_struct *tsk, unsigned long start, size_t len,
		      unsigned long vec)
{
	unsigned long pages, tmp;
	long ret = 0;
	int err;

	err = mincore_check(tsk, start, len, &pages);
	if (err)
		return err;
	if (!access_ok(vec, pages))
		return -EFAULT;
	tmp = __get_free_page(GFP_USER);
	if (!tmp)
		return -EAGAIN;
	while (pages) {
		mmap_read_lock(tsk->mm);
		ret = do_mincore(tsk->mm, start, min(pages, (unsigned long)PAGE_SIZE),
				 (unsigned char *)tmp);
		mmap_read_unlock(tsk->mm);
		if (ret < 0)
			break;
		if (copy_to_user(tsk, vec, (void *)tmp, (unsigned long)ret)) {
			ret = -EFAULT;
			break;
		}
		pages -= (unsigned long)ret;
		vec += (unsigned long)ret;
		start += (unsigned long)ret << PAGE_SHIFT;
		ret = 0;
	}
	free_page(tmp);
	return (int)ret;
}
