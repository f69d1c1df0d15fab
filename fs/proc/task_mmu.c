// SPDX-License-Identifier: MIT
/*
 * task_mmu.c - /proc/PID/maps, smaps, smaps_rollup and the memory lines of
 * status and statm (fs/proc/task_mmu.c: show_map_vma, show_smap,
 * show_smaps_rollup, task_mem, task_statm).
 *
 * maps: one line per VMA in address order:
 *
 *   start-end perms offset major:minor inode [padding name]
 *
 * start and end in at least 8 lowercase hex digits; perms r/w/x and 's'
 * (VM_MAYSHARE) or 'p'; offset = vm_pgoff << PAGE_SHIFT in at least 8 hex
 * digits for a file mapping, 0 for anonymous memory; the device as
 * %02x:%02x and the inode in decimal, both 0 for anonymous memory; then
 * a space.  A named mapping pads the line with spaces to column 72 on
 * 64-bit (25 + 6 * sizeof(void *) - 1), adds one more space and prints
 * its name: "/dev/zero (deleted)" for shared anonymous memory (its shmem
 * file, on device 00:01), "[heap]" for a VMA overlapping the heap
 * (vma_is_initial_heap(): vm_start < brk and vm_end > start_brk, so a bss
 * VMA ending at an empty heap is not named), "[stack]" for the one holding
 * start_stack.  An unnamed line ends in the space after the inode, as in
 * the kernel.
 *
 * smaps: each maps line followed by the kernel's fields in its order and
 * widths ("Label:" padded to 16 columns, "%8lu kB"), then VmFlags with the
 * two-letter codes of show_smap_vma_flags().  Sizes come from the VMA; the
 * page counts (Rss, Pss, ...) from smap_gather_stats(), the one place that
 * looks at resident pages.  smaps_rollup sums them over the mm under a
 * "[rollup]" header spanning the first to the last VMA.
 *
 * ProtectionKey is shown (as on an x86_64 CPU with protection keys; every
 * VMA has key 0); THPeligible is 0 (no transparent huge pages yet).  "sd"
 * (VM_SOFTDIRTY) is shown as a kernel built with CONFIG_MEM_SOFT_DIRTY
 * shows it, since linmm tracks soft-dirty VMAs.
 *
 * Locks: takes the task's mmap_lock for reading.  A task must not exit
 * while its files are read (tasks have no reference counts yet).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/fs.h>
#include <linmm/memory.h>
#include <linmm/mmap.h>
#include <linmm/proc_pagemap.h>
#include <linmm/swapops.h>
#include <linmm/sched.h>
#include <linmm/seq_file.h>

#include "arch/arch.h"
#include "fs/proc/internal.h"
#include "mm/internal.h"

#define MAPS_NAME_COLUMN (25 + 6 * (int)sizeof(void *) - 1)

/*
 * vma_name - what maps prints after the inode: a file's path (d_path(),
 * " (deleted)" once unlinked: shmem objects always are), [heap], [stack].
 * @buf: room for a file's name
 */
static const char *vma_name(const struct vm_area_struct *vma, char *buf, size_t size)
{
	const struct mm_struct *mm = vma->vm_mm;

	if (vma->vm_file) {
		const struct file *file = vma->vm_file;

		snprintf(buf, size, "%s%s", file->f_pathname ? file->f_pathname : "",
			 file->f_inode->i_nlink ? "" : " (deleted)");
		return buf;
	}
	if (vma->vm_start < mm->brk && vma->vm_end > mm->start_brk)
		return "[heap]";
	if (vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack && mm->start_stack)
		return "[stack]";
	return NULL;
}

static void show_map_vma(struct seq_file *m, const struct vm_area_struct *vma)
{
	vm_flags_t flags = vma->vm_flags;
	unsigned long long pgoff = 0;
	unsigned long ino = 0;
	int major = 0, minor = 0;
	char namebuf[PATH_MAX_LINMM + 16];
	const char *name = vma_name(vma, namebuf, sizeof(namebuf));
	size_t line_start = m->count;

	if (vma->vm_file) {
		const struct inode *inode = vma->vm_file->f_inode;

		pgoff = (unsigned long long)vma->vm_pgoff << PAGE_SHIFT;
		ino = inode->i_ino;
		major = (int)MAJOR_LINMM(inode->i_sb->s_dev);
		minor = (int)MINOR_LINMM(inode->i_sb->s_dev);
	}
	seq_printf(m, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ", vma->vm_start, vma->vm_end,
		   flags & VM_READ ? 'r' : '-', flags & VM_WRITE ? 'w' : '-',
		   flags & VM_EXEC ? 'x' : '-', flags & VM_MAYSHARE ? 's' : 'p', pgoff, major, minor,
		   ino);
	if (name) {
		int used = (int)(m->count - line_start);

		/* seq_pad(): spaces up to the column, then one more, then the name. */
		seq_printf(m, "%*s %s", used < MAPS_NAME_COLUMN ? MAPS_NAME_COLUMN - used : 0, "",
			   name);
	}
	seq_putc(m, '\n');
}

void show_maps(struct seq_file *m, struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	for_each_vma(mm, vma)
		show_map_vma(m, vma);
	mmap_read_unlock(mm);
}

/* ---- smaps ---- */

#define PSS_SHIFT 12	/* PSS kept in 1/4096ths of a byte */

/* Per-VMA (or, for smaps_rollup, per-mm) page statistics (struct mem_size_stats). */
struct mem_size_stats {
	unsigned long resident;
	unsigned long shared_clean, shared_dirty;
	unsigned long private_clean, private_dirty;
	unsigned long referenced, anonymous, ksm, lazyfree;
	unsigned long anonymous_thp, shmem_thp, file_thp;
	unsigned long swap, shared_hugetlb, private_hugetlb;
	u64 pss, pss_anon, pss_file, pss_shmem, pss_dirty, pss_locked, swap_pss;
};

/*
 * smap_gather_stats - add the resident pages of @vma to @mss (bytes; PSS
 * in bytes << PSS_SHIFT).
 *
 * The VMA's page tables are walked (walk_page_vma_ptes(), mm/memory.c) as
 * the kernel walks them (walk_page_vma() with smaps_pte_range()), and for
 * each present PTE smaps_account() gets the page, pte_young(), pte_dirty():
 * resident += size; anonymous += size for PageAnon (lazyfree too if it is
 * clean and !PageSwapBacked); referenced if young or PG_referenced; a page
 * mapped once is private (clean/dirty by pte_dirty || PageDirty) and adds
 * size << PSS_SHIFT to pss, one mapped N >= 2 times is shared and adds
 * (size << PSS_SHIFT) / N; pss_anon/pss_file/pss_shmem by page type,
 * pss_dirty for dirty pages; a swap PTE adds PAGE_SIZE to swap and its
 * share to swap_pss; pss_locked gets the VMA's pss if VM_LOCKED.
 * The zero page and other special PTEs have no struct page to account
 * and are not resident here (vm_normal_page() is NULL), unlike mincore().
 * No swap entries exist yet.
 *
 * Context: the mm's mmap_lock held for reading.
 */
struct smaps_walk {
	const struct vm_area_struct *vma;
	struct mem_size_stats *mss;
};

static void smaps_page_accumulate(struct mem_size_stats *mss, struct page *page,
				  unsigned long size, u64 pss, bool dirty, bool locked, bool private)
{
	mss->pss += pss;
	if (PageAnon(page))
		mss->pss_anon += pss;
	else if (PageSwapBacked(page))
		mss->pss_shmem += pss;
	else
		mss->pss_file += pss;
	if (locked)
		mss->pss_locked += pss;
	if (dirty || PageDirty(page)) {
		mss->pss_dirty += pss;
		if (private)
			mss->private_dirty += size;
		else
			mss->shared_dirty += size;
	} else if (private) {
		mss->private_clean += size;
	} else {
		mss->shared_clean += size;
	}
}

static void smaps_pte_entry(pte_t pte, unsigned long addr, void *arg)
{
	struct smaps_walk *w = arg;
	struct mem_size_stats *mss = w->mss;
	bool locked = w->vma->vm_flags & VM_LOCKED, dirty = pte_dirty(pte);
	struct page *page;
	int mapcount;
	u64 pss = (u64)PAGE_SIZE << PSS_SHIFT;

	if (!pte_present(pte))
		return;
	page = vm_normal_page((struct vm_area_struct *)w->vma, addr, pte);
	if (!page)
		return;
	if (PageAnon(page)) {
		mss->anonymous += PAGE_SIZE;
		if (!PageSwapBacked(page) && !dirty && !PageDirty(page))
			mss->lazyfree += PAGE_SIZE;
	}
	mss->resident += PAGE_SIZE;
	if (pte_young(pte) || PageReferenced(page))
		mss->referenced += PAGE_SIZE;
	/* smaps_account(): a page only we hold is private; else shared among its mappers. */
	mapcount = page_ref_count(page) == 1 ? 1 : page_mapcount(page);
	if (mapcount >= 2)
		pss /= (u64)mapcount;
	smaps_page_accumulate(mss, page, PAGE_SIZE, pss, dirty, locked, mapcount < 2);
}

static void smap_gather_stats(const struct vm_area_struct *vma, struct mem_size_stats *mss)
{
	struct smaps_walk w = { .vma = vma, .mss = mss };

	walk_page_vma_ptes((struct vm_area_struct *)vma, smaps_pte_entry, &w);
}

/* The two-letter codes of show_smap_vma_flags(), by bit. */
static const char smap_mnemonics[32][3] = {
	[0] = "rd", [1] = "wr", [2] = "ex", [3] = "sh", [4] = "mr", [5] = "mw", [6] = "me",
	[7] = "ms", [8] = "gd", [9] = "um", [10] = "pf", [11] = "??", [12] = "uw", [13] = "lo",
	[14] = "io", [15] = "sr", [16] = "rr", [17] = "dc", [18] = "de", [19] = "lf",
	[20] = "ac", [21] = "nr", [22] = "ht", [23] = "sf", [24] = "ar", [25] = "wf",
	[26] = "dd", [27] = "sd", [28] = "mm", [29] = "hg", [30] = "nh", [31] = "mg",
};

_Static_assert(VM_READ == 1UL << 0 && VM_UFFD_MISSING == 1UL << 9 &&
	       VM_LOCKONFAULT == 1UL << 19 && VM_SOFTDIRTY == 1UL << 27 &&
	       VM_MERGEABLE == 1UL << 31, "smap_mnemonics follows the VM_* bits");

static void show_smap_vma_flags(struct seq_file *m, const struct vm_area_struct *vma)
{
	seq_puts(m, "VmFlags: ");
	for (int i = 0; i < 32; i++)
		if (vma->vm_flags & (1UL << i))
			seq_printf(m, "%s ", smap_mnemonics[i]);
	seq_putc(m, '\n');
}

/* SEQ_PUT_DEC: "Label:" padded to 16 columns, the value in kB in 8. */
static void put_kb(struct seq_file *m, const char *label, unsigned long bytes)
{
	seq_printf(m, "%-16s%8lu kB\n", label, bytes >> 10);
}

/* __show_smap(): the fields shared by smaps and smaps_rollup. */
static void __show_smap(struct seq_file *m, const struct mem_size_stats *mss, bool rollup)
{
	put_kb(m, "Rss:", mss->resident);
	put_kb(m, "Pss:", (unsigned long)(mss->pss >> PSS_SHIFT));
	put_kb(m, "Pss_Dirty:", (unsigned long)(mss->pss_dirty >> PSS_SHIFT));
	if (rollup) {
		/* Only the rollup splits PSS by type. */
		put_kb(m, "Pss_Anon:", (unsigned long)(mss->pss_anon >> PSS_SHIFT));
		put_kb(m, "Pss_File:", (unsigned long)(mss->pss_file >> PSS_SHIFT));
		put_kb(m, "Pss_Shmem:", (unsigned long)(mss->pss_shmem >> PSS_SHIFT));
	}
	put_kb(m, "Shared_Clean:", mss->shared_clean);
	put_kb(m, "Shared_Dirty:", mss->shared_dirty);
	put_kb(m, "Private_Clean:", mss->private_clean);
	put_kb(m, "Private_Dirty:", mss->private_dirty);
	put_kb(m, "Referenced:", mss->referenced);
	put_kb(m, "Anonymous:", mss->anonymous);
	put_kb(m, "KSM:", mss->ksm);
	put_kb(m, "LazyFree:", mss->lazyfree);
	put_kb(m, "AnonHugePages:", mss->anonymous_thp);
	put_kb(m, "ShmemPmdMapped:", mss->shmem_thp);
	put_kb(m, "FilePmdMapped:", mss->file_thp);
	put_kb(m, "Shared_Hugetlb:", mss->shared_hugetlb);
	put_kb(m, "Private_Hugetlb:", mss->private_hugetlb);
	put_kb(m, "Swap:", mss->swap);
	put_kb(m, "SwapPss:", (unsigned long)(mss->swap_pss >> PSS_SHIFT));
	put_kb(m, "Locked:", (unsigned long)(mss->pss_locked >> PSS_SHIFT));
}

/* arch_pkeys_enabled(): x86_64 models a CPU with protection keys. */
static bool pkeys_shown(void)
{
	return linmm_arch->bits == 64;
}

static void show_smap(struct seq_file *m, const struct vm_area_struct *vma)
{
	struct mem_size_stats mss = { 0 };

	smap_gather_stats(vma, &mss);
	show_map_vma(m, vma);
	put_kb(m, "Size:", vma->vm_end - vma->vm_start);
	put_kb(m, "KernelPageSize:", PAGE_SIZE);
	put_kb(m, "MMUPageSize:", PAGE_SIZE);
	__show_smap(m, &mss, /* rollup = */ false);
	seq_printf(m, "THPeligible:    %8u\n", 0u);
	if (pkeys_shown())
		seq_printf(m, "ProtectionKey:  %8u\n", 0u);
	show_smap_vma_flags(m, vma);
}

void show_smaps(struct seq_file *m, struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	for_each_vma(mm, vma)
		show_smap(m, vma);
	mmap_read_unlock(mm);
}

static void mss_add(struct mem_size_stats *sum, const struct mem_size_stats *v)
{
	sum->resident += v->resident;
	sum->shared_clean += v->shared_clean;
	sum->shared_dirty += v->shared_dirty;
	sum->private_clean += v->private_clean;
	sum->private_dirty += v->private_dirty;
	sum->referenced += v->referenced;
	sum->anonymous += v->anonymous;
	sum->ksm += v->ksm;
	sum->lazyfree += v->lazyfree;
	sum->anonymous_thp += v->anonymous_thp;
	sum->shmem_thp += v->shmem_thp;
	sum->file_thp += v->file_thp;
	sum->swap += v->swap;
	sum->shared_hugetlb += v->shared_hugetlb;
	sum->private_hugetlb += v->private_hugetlb;
	sum->pss += v->pss;
	sum->pss_anon += v->pss_anon;
	sum->pss_file += v->pss_file;
	sum->pss_shmem += v->pss_shmem;
	sum->pss_dirty += v->pss_dirty;
	sum->pss_locked += v->pss_locked;
	sum->swap_pss += v->swap_pss;
}

void show_smaps_rollup(struct seq_file *m, struct mm_struct *mm)
{
	struct mem_size_stats mss = { 0 };
	struct vm_area_struct *vma;
	unsigned long first = 0, last = 0;
	size_t line_start = m->count;
	int used;

	mmap_read_lock(mm);
	for_each_vma(mm, vma) {
		struct mem_size_stats one = { 0 };

		if (!first)
			first = vma->vm_start;
		last = vma->vm_end;
		smap_gather_stats(vma, &one);
		mss_add(&mss, &one);
	}
	mmap_read_unlock(mm);
	/* show_vma_header_prefix() over the whole mm, then the name. */
	seq_printf(m, "%08lx-%08lx ---p %08x %02x:%02x %lu ", first, last, 0, 0, 0, 0UL);
	used = (int)(m->count - line_start);
	seq_printf(m, "%*s [rollup]\n", used < MAPS_NAME_COLUMN ? MAPS_NAME_COLUMN - used : 0, "");
	__show_smap(m, &mss, /* rollup = */ true);
}

/* ---- status and statm ---- */

static unsigned long text_kb(const struct mm_struct *mm)
{
	return (PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK)) >> 10;
}

void task_mem(struct seq_file *m, struct mm_struct *mm)
{
	unsigned long anon = get_mm_counter(mm, MM_ANONPAGES);
	unsigned long file = get_mm_counter(mm, MM_FILEPAGES);
	unsigned long shmem = get_mm_counter(mm, MM_SHMEMPAGES);
	unsigned long hiwater_vm, total_vm, hiwater_rss, total_rss, text, lib;
	const int ks = PAGE_SHIFT - 10;

	mmap_read_lock(mm);
	/* The high-water marks are kept only as the totals drop: take the larger. */
	hiwater_vm = total_vm = mm->total_vm;
	if (hiwater_vm < mm->hiwater_vm)
		hiwater_vm = mm->hiwater_vm;
	hiwater_rss = total_rss = anon + file + shmem;
	if (hiwater_rss < mm->hiwater_rss)
		hiwater_rss = mm->hiwater_rss;
	text = text_kb(mm);
	lib = (mm->exec_vm << ks) - text;
	seq_printf(m, "VmPeak:\t%8lu kB\n", hiwater_vm << ks);
	seq_printf(m, "VmSize:\t%8lu kB\n", total_vm << ks);
	seq_printf(m, "VmLck:\t%8lu kB\n", mm->locked_vm << ks);
	seq_printf(m, "VmPin:\t%8lu kB\n", mm->pinned_vm << ks);
	seq_printf(m, "VmHWM:\t%8lu kB\n", hiwater_rss << ks);
	seq_printf(m, "VmRSS:\t%8lu kB\n", total_rss << ks);
	seq_printf(m, "RssAnon:\t%8lu kB\n", anon << ks);
	seq_printf(m, "RssFile:\t%8lu kB\n", file << ks);
	seq_printf(m, "RssShmem:\t%8lu kB\n", shmem << ks);
	seq_printf(m, "VmData:\t%8lu kB\n", mm->data_vm << ks);
	seq_printf(m, "VmStk:\t%8lu kB\n", mm->stack_vm << ks);
	seq_printf(m, "VmExe:\t%8lu kB\n", text);
	seq_printf(m, "VmLib:\t%8lu kB\n", lib);
	seq_printf(m, "VmPTE:\t%8lu kB\n", mm_pgtables_bytes(mm) >> 10);
	seq_printf(m, "VmSwap:\t%8lu kB\n", get_mm_counter(mm, MM_SWAPENTS) << ks);
	/* hugetlb_report_usage(): no hugetlb pages yet. */
	seq_printf(m, "HugetlbPages:\t%8lu kB\n", 0UL);
	mmap_read_unlock(mm);
}

unsigned long task_statm(struct mm_struct *mm, unsigned long *shared, unsigned long *text,
			 unsigned long *data, unsigned long *resident)
{
	unsigned long total;

	mmap_read_lock(mm);
	*shared = get_mm_counter(mm, MM_FILEPAGES) + get_mm_counter(mm, MM_SHMEMPAGES);
	*text = (PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK)) >> PAGE_SHIFT;
	*data = mm->data_vm + mm->stack_vm;
	*resident = *shared + get_mm_counter(mm, MM_ANONPAGES);
	total = mm->total_vm;
	mmap_read_unlock(mm);
	return total;
}

/*
 * ---- /proc/PID/pagemap (pagemap_read, pte_to_pagemap_entry) ----
 *
 * One 64-bit little-endian entry per virtual page, at file offset
 * (address >> PAGE_SHIFT) * 8, as Documentation/admin-guide/mm/pagemap.rst
 * defines it:
 *
 *   63 present   62 swapped   61 file page or shared anonymous
 *   58 guard region   57 uffd-wp   56 exclusively mapped   55 soft-dirty
 *   0-54 pfn if present (only for a CAP_SYS_ADMIN reader, else 0);
 *        if swapped: 0-4 swap type, 5-54 swap offset (a migration entry
 *        shows the pfn as its offset)
 *
 * Pages outside any VMA read as 0; inside a VM_SOFTDIRTY VMA every entry
 * has bit 55 (linmm's PTEs have no soft-dirty bit of their own: every
 * VMA is soft-dirty until clear_refs, which does not exist yet).  The zero
 * page is present but neither file nor exclusive; a page is exclusive
 * when one PTE maps it (folio_precise_page_mapcount() == 1).
 */
static u64 pte_to_pagemap_entry(const struct vm_area_struct *vma, unsigned long addr, pte_t pte,
				bool show_pfn)
{
	u64 frame = 0, flags = 0;
	struct page *page = NULL;

	if (pte_present(pte)) {
		if (show_pfn)
			frame = pte_pfn(pte);
		flags |= PM_PRESENT;
		page = vm_normal_page((struct vm_area_struct *)vma, addr, pte);
	} else if (is_swap_pte(pte)) {
		swp_entry_t e = pte_to_swp_entry(pte);

		if (show_pfn) {
			unsigned long offset = is_migration_entry(e) ? swp_offset_pfn(e) : swp_offset(e);

			frame = swp_type(e) | ((u64)offset << MAX_SWAPFILES_SHIFT);
		}
		flags |= PM_SWAP;
		if (is_migration_entry(e) && pfn_valid(swp_offset_pfn(e)))
			page = pfn_to_page(swp_offset_pfn(e));
	}
	if (page) {
		if (!PageAnon(page))
			flags |= PM_FILE;
		if ((flags & PM_PRESENT) && page_mapcount(page) == 1)
			flags |= PM_MMAP_EXCLUSIVE;
	}
	if (vma->vm_flags & VM_SOFTDIRTY)
		flags |= PM_SOFT_DIRTY;
	return (frame & PM_PFRAME_MASK) | flags;
}

long pagemap_read(struct task_struct *tsk, u64 pos, size_t count, u64 *buf, bool show_pfn)
{
	struct mm_struct *mm = tsk->mm;
	u64 svpfn, end_vpfn;
	size_t n = 0;

	if ((pos % PM_ENTRY_BYTES) || (count % PM_ENTRY_BYTES))
		return -EINVAL;
	if (!mm)
		return 0;
	svpfn = pos / PM_ENTRY_BYTES;
	end_vpfn = mm->task_size >> PAGE_SHIFT;
	if (svpfn >= end_vpfn)
		return 0;
	count = (size_t)min((u64)count / PM_ENTRY_BYTES, end_vpfn - svpfn);
	mmap_read_lock(mm);
	while (n < count) {
		unsigned long addr = (unsigned long)((svpfn + n) << PAGE_SHIFT);
		struct vm_area_struct *vma = find_vma(mm, addr);

		/* A hole up to the next VMA (or the end) reads as zeroes. */
		if (!vma || vma->vm_start > addr) {
			u64 stop = vma ? vma->vm_start >> PAGE_SHIFT : end_vpfn;

			for (; n < count && svpfn + n < stop; n++)
				buf[n] = 0;
			continue;
		}
		for (; n < count && ((svpfn + n) << PAGE_SHIFT) < vma->vm_end; n++) {
			unsigned long a = (unsigned long)((svpfn + n) << PAGE_SHIFT);
			pte_t *ptep, pte = __pte(0);

			spin_lock(&mm->page_table_lock);
			ptep = mm_find_pte(mm, a);
			if (ptep)
				pte = ptep_get(ptep);
			spin_unlock(&mm->page_table_lock);
			buf[n] = pte_to_pagemap_entry(vma, a, pte, show_pfn);
		}
	}
	mmap_read_unlock(mm);
	return (long)(n * PM_ENTRY_BYTES);
}
