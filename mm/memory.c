// SPDX-License-Identifier: MIT
/*
 * memory.c - user page tables and page faults (mm/memory.c, the
 * pagetable_alloc()/ctor parts of include/linux/mm.h).
 *
 * Every user mm has page tables in simulated RAM in the arch's format
 * (include/linmm/pgtable.h): the pgd from pgd_alloc() (arch/x86/pgtable.c),
 * the tables below it allocated on demand by the fault path.  A table page
 * is a PageTable-typed page counted in NR_PAGETABLE (meminfo PageTables,
 * the pgd included, as 6.x counts it) and, below the pgd, in
 * mm->pgtables_bytes (VmPTE).  A walk from the pgd towards a PTE on
 * x86_64 4-level:
 *
 *   addr 0x00007f12_3456_7000
 *        pgd[254] --> pud table [72] --> pmd table [418] --> pte table [359] --> frame
 *        (p4d folded onto the pgd; 2-level x86_32 goes pgd --> pte table)
 *
 * Faults (handle_mm_fault): a missing PTE of an anonymous VMA becomes the
 * shared zero page, read-only and special, on a read fault, and a new
 * zeroed page (GFP_HIGHUSER_MOVABLE) mapped with vm_page_prot made
 * writable and dirty on a write fault (do_anonymous_page); a write to a
 * present read-only PTE of a writable private VMA reuses an exclusive
 * anonymous page (refcount 1) or copies it, the zero page into a fresh
 * zeroed page (do_wp_page).  A VMA with a file (a linmmfs file, or the
 * shmem object behind shared anonymous memory and SysV segments) faults
 * through its vm_ops (do_fault: read, COW and shared faults, with
 * fault-around).  No swap entries exist yet; a migration entry
 * (mm/migrate.c) makes the fault wait for the migration and retry.
 *
 * Unmapping (unmap_region, exit_mmap_pgtables, zap_page_range_single):
 * PTEs are cleared, the TLB is flushed for the range through an mmu_gather
 * (mm/mmu_gather.c) and only then are the pages released, a page being
 * freed when its last reference goes; page-table pages entirely inside
 * [floor, ceiling) - the gap between the neighbouring VMAs - are freed
 * too (free_pgtables).  mprotect changes PTEs with change_protection()
 * and flushes the range; mremap moves PTEs (move_page_ptes); fork copies
 * them, write-protecting both sides of a private mapping
 * (copy_page_range); MAP_POPULATE, mlock and MADV_POPULATE_* fault pages
 * in without regs, as get_user_pages does (faultin_page_range).
 *
 * Invariants (validate_page_tables): every table page is PageTable and
 * counted once in pgtables_bytes; every present PTE lies in a VMA and
 * grants no right the VMA lacks; MM_ANONPAGES is the number of PTEs
 * mapping anonymous pages; a mapped page's _mapcount + 1 <= _refcount.
 *
 * Locks: mmap_lock (read) around faults, (write) around unmapping and
 * mprotect; mm->page_table_lock for populating and clearing upper-level
 * entries (pgd..pmd), and each PTE table's own split lock (ptep_lockptr,
 * in the table page's struct page) for its entries: vmf->ptl in a fault.
 * Walkers that may race with free_pgtables (rmap, mkclean) look the table
 * up under page_table_lock and take its PTE lock inside it.
 * The software MMU reads entries locklessly and sets A/D with cmpxchg.
 * Lock order: mmap_lock -> page_table_lock -> PTE lock -> a CPU's TLB lock.
 * fork copies a PTE table under the child's PTE lock with the parent's
 * nested inside it (copy_pte_range, spin_lock_nested).
 */
#include <string.h>

#include <linmm/highmem.h>
#include <linmm/ioport.h>
#include <linmm/memory.h>
#include <linmm/migrate.h>
#include <linmm/mmap.h>
#include <linmm/pagemap.h>
#include <linmm/printk.h>
#include <linmm/rmap.h>
#include <linmm/sched.h>
#include <linmm/swapops.h>
#include <linmm/tlbflush.h>
#include <linmm/vmstat.h>
#include <linmm/writeback.h>

#include "arch/arch.h"
#include "arch/x86/mmu.h"
#include "mm/internal.h"

#define GFP_PGTABLE_USER (GFP_KERNEL_ACCOUNT | __GFP_ZERO)

unsigned long user_addr_max(void)
{
	return linmm_arch && linmm_arch->bits == 32 ? (unsigned long)PAGE_OFFSET : TASK_SIZE_MAX;
}

/* End of the user part of the pgd: tables are freed and walked below it only. */
static u64 user_pgtables_ceiling(void)
{
	u64 top = user_addr_max();

	return ALIGN(top, 1ULL << PGDIR_SHIFT);
}

/* ---- page-table pages ---- */

void *pgtable_page_alloc(void)
{
	struct page *page = alloc_page(GFP_PGTABLE_USER);

	if (!page)
		return NULL;
	__SetPageTable(page);
	page->private = 0;
	spin_lock_init(&page->ptl);	/* ptlock_init(): used when it is a PTE table */
	mod_node_page_state(page_pgdat(page), NR_PAGETABLE, 1);
	return page_address(page);
}

void pgtable_page_free(void *table)
{
	struct page *page = virt_to_page(table);

	VM_WARN_ON_ONCE(!PageTable(page));
	VM_WARN_ON_ONCE(spin_is_locked(&page->ptl));
	page->private = 0;
	mod_node_page_state(page_pgdat(page), NR_PAGETABLE, -1);
	__ClearPageTable(page);
	__free_page(page);
}

/* The next level below @lvl that has tables of its own (folded ones skipped). */
static enum pgtable_level next_level(enum pgtable_level lvl)
{
	int l = (int)lvl + 1;

	while (l < PGT_PTE && pgtable_fmt->folded[l])
		l++;
	return (enum pgtable_level)l;
}

/*
 * __pgtable_alloc - __pud_alloc()/__pmd_alloc()/__pte_alloc() in one: give
 * the empty entry @e of level @lvl a zeroed table.  The table is allocated
 * outside the lock and freed if another thread populated @e first.
 */
static int __pgtable_alloc(struct mm_struct *mm, enum pgtable_level lvl, void *e)
{
	u64 flags = lvl == PGT_PGD ? pgtable_fmt->top_table_flags : _PAGE_TABLE;
	void *table = pgtable_page_alloc();

	if (!table)
		return -ENOMEM;
	spin_lock(&mm->page_table_lock);
	if (!pgtable_entry_read(e)) {
		pgtable_entry_write(e, (__pa(table) & PTE_PFN_MASK) | flags);
		atomic_fetch_add(&mm->pgtables_bytes, (long)PAGE_SIZE);	/* mm_inc_nr_ptes/pmds/puds */
		table = NULL;
	}
	spin_unlock(&mm->page_table_lock);
	if (table)
		pgtable_page_free(table);
	return 0;
}

/*
 * The PTE slot for @addr in @mm, allocating missing tables with @alloc.
 * NULL if a table is missing (*@err 0), out of memory (*@err -ENOMEM) or a
 * large page is in the way (*@err -EEXIST).
 */
static pte_t *user_pte_offset(struct mm_struct *mm, unsigned long addr, bool alloc, int *err)
{
	enum pgtable_level prev = PGT_PGD;
	void *e = pgd_offset(mm, addr);

	*err = 0;
	for (int lvl = PGT_P4D; lvl <= PGT_PTE; lvl++) {
		u64 v;

		if (pgtable_fmt->folded[lvl])
			continue;
		v = pgtable_entry_read(e);
		if (v & _PAGE_PSE) {
			*err = -EEXIST;
			return NULL;
		}
		if (!v) {
			if (!alloc)
				return NULL;
			*err = __pgtable_alloc(mm, prev, e);
			if (*err)
				return NULL;
		}
		e = pgtable_offset((enum pgtable_level)lvl, e, addr);
		prev = (enum pgtable_level)lvl;
	}
	return e;
}

pte_t *mm_find_pte(struct mm_struct *mm, unsigned long addr)
{
	int err;

	lockdep_assert_held(&mm->page_table_lock);
	if (addr >= user_addr_max())
		return NULL;
	return user_pte_offset(mm, addr, /* alloc = */ false, &err);
}

int follow_pte(struct mm_struct *mm, unsigned long address, pte_t *pte)
{
	pte_t *ptep;
	int err;

	if (address >= user_addr_max())
		return -EINVAL;
	spin_lock(&mm->page_table_lock);
	ptep = user_pte_offset(mm, address, /* alloc = */ false, &err);
	if (ptep)
		*pte = ptep_get(ptep);
	spin_unlock(&mm->page_table_lock);
	return ptep ? 0 : -EINVAL;
}

/*
 * Call @fn for every non-empty PTE of [start, end) that has a table,
 * skipping missing tables at every level, with each PTE table's split
 * lock held while its entries are visited.  Context: the tables cannot go
 * (mmap_lock, or page_table_lock); @fn runs under a PTE lock.
 */
typedef void (*pte_range_fn)(pte_t *ptep, unsigned long addr, void *arg);

static void walk_level(enum pgtable_level lvl, void *e, u64 base, u64 start, u64 end,
		       pte_range_fn fn, void *arg)
{
	enum pgtable_level nl = next_level(lvl);
	u64 v = pgtable_entry_read(e), step = 1ULL << (nl == PGT_PTE ? PAGE_SHIFT : pgtable_fmt->shift[nl]);
	u64 span = 1ULL << pgtable_fmt->shift[lvl];
	char *table;
	u64 a = max(start, base), stop = min(end, base + span);

	if (!v || (v & _PAGE_PSE))
		return;
	table = pgtable_entry_table(v);
	if (nl == PGT_PTE)
		spin_lock(ptep_lockptr((pte_t *)table));	/* this PTE table's split lock */
	for (a = ALIGN_DOWN(a, step); a < stop; a += step) {
		void *child = table + pgtable_index(nl, a) * (unsigned long)pgtable_fmt->entry_size;

		if (nl == PGT_PTE) {
			if (pgtable_entry_read(child))
				fn(child, (unsigned long)a, arg);
		} else {
			walk_level(nl, child, a, start, end, fn, arg);
		}
	}
	if (nl == PGT_PTE)
		spin_unlock(ptep_lockptr((pte_t *)table));
}

static void walk_pte_range(struct mm_struct *mm, u64 start, u64 end, pte_range_fn fn, void *arg)
{
	u64 span = PGDIR_SIZE;

	end = min(end, user_pgtables_ceiling());
	for (u64 a = ALIGN_DOWN(start, span); a < end; a += span)
		walk_level(PGT_PGD, pgd_offset(mm, a), a, start, end, fn, arg);
}

struct walk_vma_args {
	void (*fn)(pte_t pte, unsigned long addr, void *arg);
	void *arg;
};

static void walk_vma_one(pte_t *ptep, unsigned long addr, void *arg)
{
	struct walk_vma_args *w = arg;

	w->fn(ptep_get(ptep), addr, w->arg);
}

void walk_page_vma_ptes(struct vm_area_struct *vma,
			void (*fn)(pte_t pte, unsigned long addr, void *arg), void *arg)
{
	struct mm_struct *mm = vma->vm_mm;
	struct walk_vma_args w = { .fn = fn, .arg = arg };

	mmap_assert_locked(mm);
	spin_lock(&mm->page_table_lock);
	walk_pte_range(mm, vma->vm_start, vma->vm_end, walk_vma_one, &w);
	spin_unlock(&mm->page_table_lock);
}

/* ---- the zero page and normal pages ---- */

unsigned long my_zero_pfn(unsigned long addr)
{
	struct linmm_kernel_image img;

	(void)addr;
	linmm_kernel_image_layout(linmm_arch, &img);
	return (unsigned long)PHYS_PFN(img.bss_start);
}

static bool is_zero_pfn(unsigned long pfn)
{
	return pfn == my_zero_pfn(0);
}

struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr, pte_t pte)
{
	unsigned long pfn = pte_pfn(pte);

	(void)vma;
	(void)addr;
	if (pte_special(pte) || !pfn_valid(pfn))
		return NULL;
	return pfn_to_page(pfn);
}

/* ---- faults ---- */

/* struct vm_fault: include/linmm/memory.h (the file faults' vm_ops see it). */

void set_pte_at(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pte)
{
	(void)addr;
	(void)mm;
	lockdep_assert_held(ptep_lockptr(ptep));
	set_pte(ptep, pte);
}

/*
 * ptep_set_access_flags - store @entry (the old one plus A/D/RW) if it
 * differs.  x86 needs no flush for such an upgrade: a stale, weaker TLB
 * entry just faults again, and the fault drops it.
 */
static bool ptep_set_access_flags(struct vm_fault *vmf, pte_t entry)
{
	bool changed = !pte_same(ptep_get(vmf->pte), entry);

	if (changed)
		set_pte_at(vmf->vma->vm_mm, vmf->address, vmf->pte, entry);
	return changed;
}

/* ptep_clear_flush - clear a PTE and flush it before a new one goes in. */
pte_t ptep_clear_flush(struct vm_area_struct *vma, unsigned long address, pte_t *ptep)
{
	pte_t old = ptep_get_and_clear(ptep);

	if (pte_val(old) & _PAGE_PRESENT)
		flush_tlb_page(vma, address);
	return old;
}

/* maybe_mkwrite - writable only where the VMA allows writes (FOLL_FORCE may fault read-only VMAs). */
static pte_t maybe_mkwrite(pte_t pte, struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_WRITE ? pte_mkwrite(pte) : pte;
}

static struct page *alloc_zeroed_user_page(void)
{
	return alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO);
}

static vm_fault_t do_anonymous_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct page *page;
	pte_t entry;

	/* Shared anonymous memory has a shmem vm_file (do_fault); nothing else shared is anonymous. */
	if (vma->vm_flags & VM_SHARED)
		return VM_FAULT_SIGBUS;
	if (!(vmf->flags & FAULT_FLAG_WRITE)) {
		entry = pte_mkspecial(pfn_pte(my_zero_pfn(vmf->address), vma->vm_page_prot));
		spin_lock(vmf->ptl);
		if (pte_none(ptep_get(vmf->pte)))
			set_pte_at(mm, vmf->address, vmf->pte, entry);
		spin_unlock(vmf->ptl);
		return 0;
	}
	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	page = alloc_zeroed_user_page();
	if (!page)
		return VM_FAULT_OOM;
	entry = mk_pte(page, vma->vm_page_prot);
	if (vma->vm_flags & VM_WRITE)
		entry = pte_mkwrite(pte_mkdirty(entry));
	spin_lock(vmf->ptl);
	if (!pte_none(ptep_get(vmf->pte))) {
		/* Someone else filled it: theirs stands. */
		spin_unlock(vmf->ptl);
		put_page(page);
		return 0;
	}
	add_mm_counter(mm, MM_ANONPAGES, 1);
	folio_add_new_anon_rmap(page, vma, vmf->address);
	set_pte_at(mm, vmf->address, vmf->pte, entry);
	spin_unlock(vmf->ptl);
	return 0;
}

/*
 * wp_page_copy - give the faulting PTE a private copy of @old (NULL or the
 * zero page: a zeroed page).  Entered with the PTE lock dropped and a
 * reference on @old held by the caller, which this drops.
 */
static vm_fault_t wp_page_copy(struct vm_fault *vmf, struct page *old)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct page *new;
	pte_t entry;

	if (anon_vma_prepare(vma))
		goto oom;
	if (!old) {
		new = alloc_zeroed_user_page();
	} else {
		new = alloc_page(GFP_HIGHUSER_MOVABLE);
		if (new)
			copy_highpage(new, old);
	}
	if (!new)
		goto oom;
	spin_lock(vmf->ptl);
	if (!pte_same(ptep_get(vmf->pte), vmf->orig_pte)) {
		spin_unlock(vmf->ptl);
		put_page(new);
		if (old)
			put_page(old);
		return 0;
	}
	if (!old || !PageAnon(old)) {
		if (old)
			add_mm_counter(mm, mm_counter_file(old), -1);
		add_mm_counter(mm, MM_ANONPAGES, 1);
	}
	entry = maybe_mkwrite(pte_mkdirty(mk_pte(new, vma->vm_page_prot)), vma);
	/* Old translation out of every TLB before the new one can be used. */
	ptep_clear_flush(vma, vmf->address, vmf->pte);
	folio_add_new_anon_rmap(new, vma, vmf->address);
	set_pte_at(mm, vmf->address, vmf->pte, entry);
	if (old)
		folio_remove_rmap_pte(old);
	spin_unlock(vmf->ptl);
	if (old) {
		put_page(old);		/* the mapping's reference */
		put_page(old);		/* ours */
	}
	return 0;
oom:
	if (old)
		put_page(old);
	return VM_FAULT_OOM;
}

/*
 * An exclusive anonymous page is reused at once; another one only if
 * nobody else holds it any more (wp_can_reuse_anon_folio(): refcount 1,
 * the other side of a fork has copied or exited), and it becomes exclusive.
 */
static bool wp_can_reuse_anon_page(struct page *page, struct vm_area_struct *vma)
{
	if (!PageAnon(page))
		return false;
	if (PageAnonExclusive(page))
		return true;
	if (page_ref_count(page) != 1 || page_mapcount(page) != 1)
		return false;
	/* Ours alone now: it moves to this VMA's own anon_vma (out of the parent's). */
	folio_move_anon_rmap(page, vma);
	SetPageAnonExclusive(page);
	return true;
}

/* ---- file faults (do_fault: do_read_fault, do_cow_fault, do_shared_fault) ---- */

/*
 * A missing PTE in a VMA with a file (a linmmfs file, or shmem) is filled
 * from the file's page cache through vm_ops:
 *
 *   read fault            do_read_fault: fault-around first (map_pages maps
 *                         whatever is cached and uptodate in the 64 KiB
 *                         window around the address, no I/O), then ->fault
 *   write, private        do_cow_fault: ->fault, copy into a new anonymous
 *                         page, map that (the file page is not mapped)
 *   write, shared         do_shared_fault: ->fault, ->page_mkwrite (dirty
 *                         it, give it a block), map it writable and dirty
 *
 * ->fault reports VM_FAULT_MAJOR when the page had to be read; beyond EOF
 * it is VM_FAULT_SIGBUS.  Each PTE holds a page reference and a mapcount.
 */
unsigned long fault_around_bytes = 65536;

int mm_counter_file(const struct page *page)
{
	return PageSwapBacked(page) ? MM_SHMEMPAGES : MM_FILEPAGES;
}

int mm_counter(const struct page *page)
{
	return PageAnon(page) ? MM_ANONPAGES : mm_counter_file(page);
}

pte_t *pte_offset_map_vma(struct vm_area_struct *vma, unsigned long addr)
{
	int err;

	/* The tables stay: the caller holds mmap_lock, or page_table_lock. */
	return user_pte_offset(vma->vm_mm, addr, /* alloc = */ false, &err);
}

void set_pte_range(struct vm_fault *vmf, struct page *page, unsigned int nr, unsigned long addr)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	bool write = vmf->flags & FAULT_FLAG_WRITE;

	lockdep_assert_held(vmf->ptl);
	for (unsigned int i = 0; i < nr; i++, page++, addr += PAGE_SIZE) {
		pte_t *ptep = addr == vmf->address ? vmf->pte : pte_offset_map_vma(vma, addr);
		pte_t entry = mk_pte(page, vma->vm_page_prot);

		if (write)
			entry = maybe_mkwrite(pte_mkdirty(entry), vma);
		if (write && !(vma->vm_flags & VM_SHARED)) {
			/* The private copy of do_cow_fault. */
			add_mm_counter(mm, MM_ANONPAGES, 1);
			folio_add_new_anon_rmap(page, vma, addr);
		} else {
			add_mm_counter(mm, mm_counter_file(page), 1);
			folio_add_file_rmap_pte(page);
		}
		set_pte_at(mm, addr, ptep, entry);
	}
}

/* __do_fault(): vm_ops->fault; the page comes back locked with a reference. */
static vm_fault_t __do_fault(struct vm_fault *vmf)
{
	vm_fault_t ret = vmf->vma->vm_ops->fault(vmf);

	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		return ret;
	if (!(ret & VM_FAULT_LOCKED))
		lock_page(vmf->page);
	return ret;
}

/* finish_fault(): map vmf->cow_page or vmf->page at the fault address, unless someone did. */
static vm_fault_t finish_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	bool cow = (vmf->flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_SHARED);
	struct page *page = cow ? vmf->cow_page : vmf->page;

	if (cow && anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	spin_lock(vmf->ptl);
	if (!pte_none(ptep_get(vmf->pte))) {
		spin_unlock(vmf->ptl);
		return VM_FAULT_NOPAGE;
	}
	set_pte_range(vmf, page, 1, vmf->address);
	spin_unlock(vmf->ptl);
	return 0;
}

/* should_fault_around() and do_fault_around(): the window of fault_around_bytes. */
static vm_fault_t do_fault_around(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long nr_pages = fault_around_bytes >> PAGE_SHIFT;
	unsigned long pte_off = (vmf->address >> PAGE_SHIFT) & (PTRS_PER_PTE - 1);
	unsigned long vma_off = vmf->pgoff - vma->vm_pgoff;
	unsigned long from_pte, to_pte;

	/*
	 *   PTE table:  |....[ window of nr_pages, aligned ]....|
	 *   VMA:             [vm_start ............ vm_end)
	 *   mapped:     the window clipped to the VMA and to this PTE table
	 */
	from_pte = max(ALIGN_DOWN(pte_off, nr_pages), pte_off - min(pte_off, vma_off));
	to_pte = min(min(from_pte + nr_pages, (unsigned long)PTRS_PER_PTE),
		     pte_off + vma_pages(vma) - vma_off) - 1;
	return vma->vm_ops->map_pages(vmf, vmf->pgoff + from_pte - pte_off,
				      vmf->pgoff + to_pte - pte_off);
}

static vm_fault_t do_read_fault(struct vm_fault *vmf)
{
	vm_fault_t ret;

	if (vmf->vma->vm_ops->map_pages && (fault_around_bytes >> PAGE_SHIFT) > 1) {
		ret = do_fault_around(vmf);
		if (ret)
			return ret;
	}
	ret = __do_fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		return ret;
	ret |= finish_fault(vmf);
	unlock_page(vmf->page);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		put_page(vmf->page);	/* otherwise the PTE's reference */
	return ret;
}

static vm_fault_t do_cow_fault(struct vm_fault *vmf)
{
	vm_fault_t ret;

	if (anon_vma_prepare(vmf->vma))
		return VM_FAULT_OOM;
	vmf->cow_page = alloc_page(GFP_HIGHUSER_MOVABLE);
	if (!vmf->cow_page)
		return VM_FAULT_OOM;
	ret = __do_fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		goto out_put_cow;
	copy_highpage(vmf->cow_page, vmf->page);
	SetPageUptodate(vmf->cow_page);
	ret |= finish_fault(vmf);
	unlock_page(vmf->page);
	put_page(vmf->page);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		goto out_put_cow;
	return ret;
out_put_cow:
	put_page(vmf->cow_page);
	return ret;
}

/* do_page_mkwrite(): ->page_mkwrite with the page unlocked; it returns it locked. */
static vm_fault_t do_page_mkwrite(struct vm_fault *vmf, struct page *page)
{
	vm_fault_t ret;

	vmf->page = page;
	vmf->flags |= FAULT_FLAG_MKWRITE;
	ret = vmf->vma->vm_ops->page_mkwrite(vmf);
	vmf->flags &= ~FAULT_FLAG_MKWRITE;
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))
		return ret;
	if (!(ret & VM_FAULT_LOCKED))
		lock_page(page);
	if (!page->mapping) {		/* truncated meanwhile */
		unlock_page(page);
		return VM_FAULT_NOPAGE;
	}
	return ret | VM_FAULT_LOCKED;
}

/* fault_dirty_shared_page(): the page is written through a PTE now: dirty, then throttle. */
static void fault_dirty_shared_page(struct vm_fault *vmf, struct page *page)
{
	struct address_space *mapping = page_file_mapping(page);
	bool dirtied = set_page_dirty(page);

	unlock_page(page);
	if (mapping && (dirtied || vmf->vma->vm_ops->page_mkwrite))
		balance_dirty_pages_ratelimited(mapping);
}

static vm_fault_t do_shared_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct page *page;
	vm_fault_t ret, tmp;

	ret = __do_fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		return ret;
	page = vmf->page;
	if (vma->vm_ops->page_mkwrite) {
		unlock_page(page);
		tmp = do_page_mkwrite(vmf, page);
		if (tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)) {
			put_page(page);
			return tmp;
		}
	}
	ret |= finish_fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)) {
		unlock_page(page);
		put_page(page);
		return ret;
	}
	fault_dirty_shared_page(vmf, page);
	return ret;
}

/* do_fault(): a missing PTE of a VMA with a file.  Entered without the PTE lock. */
static vm_fault_t do_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;

	if (!vma->vm_ops || !vma->vm_ops->fault)
		return VM_FAULT_SIGBUS;
	vmf->pgoff = ((vmf->address - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
	if (!(vmf->flags & FAULT_FLAG_WRITE))
		return do_read_fault(vmf);
	if (!(vma->vm_flags & VM_SHARED))
		return do_cow_fault(vmf);
	return do_shared_fault(vmf);
}

/*
 * wp_page_shared(): a write to a read-only PTE of a shared file page (the
 * write-notify protection): page_mkwrite dirties the page, then the PTE
 * becomes writable.  Entered with the PTE lock (vmf->ptl) held; drops it.
 */
static vm_fault_t wp_page_shared(struct vm_fault *vmf, struct page *page)
{
	vm_fault_t tmp;
	pte_t entry;

	get_page(page);
	spin_unlock(vmf->ptl);
	tmp = do_page_mkwrite(vmf, page);
	if (tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)) {
		put_page(page);
		return tmp & VM_FAULT_ERROR;
	}
	spin_lock(vmf->ptl);
	if (!pte_same(ptep_get(vmf->pte), vmf->orig_pte)) {
		/* Changed under us (truncated, unmapped): let the access fault again. */
		spin_unlock(vmf->ptl);
		unlock_page(page);
		put_page(page);
		return 0;
	}
	entry = maybe_mkwrite(pte_mkdirty(pte_mkyoung(vmf->orig_pte)), vmf->vma);
	ptep_set_access_flags(vmf, entry);
	spin_unlock(vmf->ptl);
	fault_dirty_shared_page(vmf, page);
	put_page(page);
	return 0;
}

void unmap_mapping_range(struct address_space *mapping, loff_t holebegin, loff_t holelen,
			 int even_cows)
{
	pgoff_t first = (pgoff_t)((u64)holebegin >> PAGE_SHIFT), last = ~0UL;
	struct vm_area_struct *vma;

	if (holelen) {
		u64 pages = ((u64)holelen + PAGE_SIZE - 1) >> PAGE_SHIFT;

		if (first + pages > first)
			last = first + (pgoff_t)pages - 1;
	}
	down_read(&mapping->i_mmap_rwsem);
	vma_interval_tree_foreach(vma, &mapping->i_mmap, first, last) {
		pgoff_t vfirst = max(first, vma->vm_pgoff);
		pgoff_t vlast = min(last, vma->vm_pgoff + vma_pages(vma) - 1);
		unsigned long start = vma->vm_start + ((vfirst - vma->vm_pgoff) << PAGE_SHIFT);

		/* Without even_cows a private mapping keeps its copies (they are not the file's). */
		if (!even_cows && !(vma->vm_flags & VM_SHARED) && vma->anon_vma)
			continue;
		zap_page_range_single(vma, start, (vlast - vfirst + 1) << PAGE_SHIFT);
	}
	up_read(&mapping->i_mmap_rwsem);
}

/* do_wp_page - write fault on a present read-only PTE. Entered with vmf->ptl held. */
static vm_fault_t do_wp_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct page *page = vm_normal_page(vma, vmf->address, vmf->orig_pte);
	pte_t entry;

	/* A shared file page under dirty tracking: page_mkwrite first (mm/filemap.c). */
	if ((vma->vm_flags & VM_SHARED) && page && !PageAnon(page) && vma->vm_ops &&
	    vma->vm_ops->page_mkwrite)
		return wp_page_shared(vmf, page);
	if ((vma->vm_flags & (VM_SHARED | VM_MAYSHARE)) ||
	    (page && wp_can_reuse_anon_page(page, vma))) {
		/* wp_page_reuse: the page is ours alone (or shared memory). */
		entry = maybe_mkwrite(pte_mkdirty(pte_mkyoung(vmf->orig_pte)), vma);
		ptep_set_access_flags(vmf, entry);
		spin_unlock(vmf->ptl);
		if (!(vma->vm_flags & (VM_SHARED | VM_MAYSHARE)))
			count_vm_event(PGREUSE);
		return 0;
	}
	if (page && is_zero_pfn(page_to_pfn(page)))
		page = NULL;
	if (page)
		get_page(page);
	spin_unlock(vmf->ptl);
	return wp_page_copy(vmf, page);
}

static vm_fault_t handle_pte_fault(struct vm_fault *vmf)
{
	struct mm_struct *mm = vmf->vma->vm_mm;
	pte_t entry;

	spin_lock(vmf->ptl);
	entry = ptep_get(vmf->pte);
	vmf->orig_pte = entry;
	if (pte_none(entry)) {
		spin_unlock(vmf->ptl);
		if (vmf->vma->vm_file)
			return do_fault(vmf);
		if (!vma_is_anonymous(vmf->vma))
			return VM_FAULT_SIGBUS;
		return do_anonymous_page(vmf);
	}
	if (!pte_present(entry)) {
		spin_unlock(vmf->ptl);
		/* do_swap_page(): a migration entry waits, then the access retries. */
		if (is_migration_entry(pte_to_swp_entry(entry))) {
			migration_entry_wait(mm, vmf->pte);
			return 0;
		}
		return VM_FAULT_SIGBUS;			/* swap entries: with swap */
	}
	if (vmf->flags & (FAULT_FLAG_WRITE | FAULT_FLAG_UNSHARE)) {
		if (!pte_write(entry))
			return do_wp_page(vmf);
		entry = pte_mkdirty(entry);
	}
	entry = pte_mkyoung(entry);
	/* Present and allowed: a spurious fault (a stale TLB entry); x86 flushes nothing. */
	ptep_set_access_flags(vmf, entry);
	spin_unlock(vmf->ptl);
	return 0;
}

static vm_fault_t __handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
				    unsigned int flags)
{
	struct vm_fault vmf = {
		.vma = vma,
		.address = address & PAGE_MASK,
		.flags = flags,
	};
	int err;

	vmf.pte = user_pte_offset(vma->vm_mm, vmf.address, /* alloc = */ true, &err);
	if (!vmf.pte)
		return err == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
	vmf.ptl = ptep_lockptr(vmf.pte);	/* pte_offset_map_lock() without the lock yet */
	return handle_pte_fault(&vmf);
}

/*
 * mm_account_fault - PGFAULT, and min_flt/maj_flt of the faulting task
 * (never for errors or remote faults).  An attempt that returns
 * VM_FAULT_RETRY is counted when the fault completes; the completed fault
 * is major if it or an earlier attempt was (FAULT_FLAG_TRIED).
 */
static void mm_account_fault(struct pt_regs *regs, unsigned int flags, vm_fault_t ret)
{
	struct task_struct *tsk = get_current();

	if (ret & VM_FAULT_RETRY)
		return;
	/* PGFAULT records failed faults too, as older kernels did. */
	count_vm_event(PGFAULT);
	if (ret & VM_FAULT_ERROR)
		return;
	if (!regs || !tsk)
		return;
	if ((ret & VM_FAULT_MAJOR) || (flags & FAULT_FLAG_TRIED))
		tsk->maj_flt++;
	else
		tsk->min_flt++;
}

vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address, unsigned int flags,
			   struct pt_regs *regs)
{
	vm_fault_t ret;

	mmap_assert_locked(vma->vm_mm);
	ret = __handle_mm_fault(vma, address, flags);
	mm_account_fault(regs, flags, ret);
	return ret;
}

/* ---- unmapping ---- */

struct zap_args {
	struct mmu_gather *tlb;
	struct mm_struct *mm;
};

static void zap_one_pte(pte_t *ptep, unsigned long addr, void *arg)
{
	struct zap_args *z = arg;
	pte_t old = ptep_get_and_clear(ptep);
	struct page *page;

	/*
	 * zap_nonpresent_ptes(): a migration entry still counts in the rss it
	 * left, of its page's kind (the migration holds the page meanwhile).
	 */
	if (is_swap_pte(old) && is_migration_entry(pte_to_swp_entry(old)))
		add_mm_counter(z->mm, mm_counter(pfn_to_page(swp_offset_pfn(pte_to_swp_entry(old)))),
			       -1);
	if (!pte_present(old))
		return;
	tlb_remove_tlb_entry(z->tlb, addr);
	page = vm_normal_page(NULL, addr, old);
	if (!page)
		return;
	/* zap_present_ptes(): a dirty PTE's data goes to the file page. */
	if (!PageAnon(page) && pte_dirty(old))
		set_page_dirty(page);
	add_mm_counter(z->mm, mm_counter(page), -1);
	folio_remove_rmap_pte(page);
	tlb_remove_page(z->tlb, page);
}

/* unmap_page_range - clear the PTEs of [start, end), pages gathered in @tlb. */
static void unmap_page_range(struct mmu_gather *tlb, struct mm_struct *mm, unsigned long start,
			     unsigned long end)
{
	struct zap_args z = { .tlb = tlb, .mm = mm };

	spin_lock(&mm->page_table_lock);
	walk_pte_range(mm, start, end, zap_one_pte, &z);
	spin_unlock(&mm->page_table_lock);
}

/* True if the table page @table (of any level) has no entry. */
static bool table_empty(const char *table)
{
	for (unsigned long i = 0; i < PAGE_SIZE; i += sizeof(u64))
		if (*(const u64 *)(table + i))
			return false;
	return true;
}

/*
 * Free the tables below entry @e of level @lvl (covering [base, base +
 * span)) that serve only [floor, ceiling), recursing over the part that
 * meets [start, end).  The kernel's free_p4d/pud/pmd_range in one.
 */
static void free_level(struct mmu_gather *tlb, struct mm_struct *mm, enum pgtable_level lvl,
		       void *e, u64 base, u64 start, u64 end, u64 floor, u64 ceiling)
{
	enum pgtable_level nl = next_level(lvl);
	u64 v = pgtable_entry_read(e), span = 1ULL << pgtable_fmt->shift[lvl];
	char *table;

	if (!v || (v & _PAGE_PSE))
		return;
	table = pgtable_entry_table(v);
	if (nl != PGT_PTE) {
		u64 step = 1ULL << pgtable_fmt->shift[nl];
		u64 stop = min(end, base + span);

		for (u64 a = ALIGN_DOWN(max(start, base), step); a < stop; a += step)
			free_level(tlb, mm, nl, table + pgtable_index(nl, a) *
					  (unsigned long)pgtable_fmt->entry_size,
				   a, start, end, floor, ceiling);
	}
	if (base < floor || base + span > ceiling)
		return;
	if (!table_empty(table)) {
		pr_err("free_pgtables: table at %#llx for %#llx not empty\n",
		       (unsigned long long)__pa(table), (unsigned long long)base);
		return;
	}
	pgtable_entry_write(e, 0);
	atomic_fetch_sub(&mm->pgtables_bytes, (long)PAGE_SIZE);
	/*
	 * An rmap walker that found this PTE table before the entry went
	 * holds its lock: wait for it before the table can be freed.
	 */
	if (nl == PGT_PTE) {
		spin_lock(ptep_lockptr((pte_t *)table));
		spin_unlock(ptep_lockptr((pte_t *)table));
	}
	tlb_remove_table(tlb, table);
}

/* free_pgtables - the tables under [start, end) not shared with [.., floor) or [ceiling, ..). */
static void free_pgtables(struct mmu_gather *tlb, struct mm_struct *mm, u64 start, u64 end,
			  u64 floor, u64 ceiling)
{
	u64 span = PGDIR_SIZE;

	ceiling = min(ceiling, user_pgtables_ceiling());
	end = min(end, ceiling);
	spin_lock(&mm->page_table_lock);
	for (u64 a = ALIGN_DOWN(start, span); a < end; a += span)
		free_level(tlb, mm, PGT_PGD, pgd_offset(mm, a), a, start, end, floor, ceiling);
	spin_unlock(&mm->page_table_lock);
}

void unmap_region(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *prev, *next;
	struct mmu_gather tlb;
	u64 floor, ceiling;

	mmap_assert_write_locked(mm);
	find_vma_prev(mm, start, &prev);
	next = find_vma(mm, end);
	floor = prev && prev->vm_end <= start ? prev->vm_end : 0;
	ceiling = next ? next->vm_start : user_pgtables_ceiling();
	tlb_gather_mmu(&tlb, mm);
	unmap_page_range(&tlb, mm, start, end);
	free_pgtables(&tlb, mm, start, end, floor, ceiling);
	tlb_finish_mmu(&tlb);
}

void zap_page_range_single(struct vm_area_struct *vma, unsigned long address, unsigned long size)
{
	struct mmu_gather tlb;

	tlb_gather_mmu(&tlb, vma->vm_mm);
	unmap_page_range(&tlb, vma->vm_mm, address, address + size);
	tlb_finish_mmu(&tlb);
}

void exit_mmap_pgtables(struct mm_struct *mm)
{
	struct mmu_gather tlb;

	if (!mm->pgd)
		return;
	tlb_gather_mmu_fullmm(&tlb, mm);
	unmap_page_range(&tlb, mm, 0, user_pgtables_ceiling());
	free_pgtables(&tlb, mm, 0, user_pgtables_ceiling(), 0, user_pgtables_ceiling());
	tlb_finish_mmu(&tlb);
}

/* ---- fork: copy_page_range ---- */

/*
 * The child's side of one copy_page_range() call: dst_table[lvl] is the
 * child's table holding the level-@lvl entries for the address being
 * copied, NULL until it is looked up (or allocated) for a present PTE.
 * Child tables are created only under present parent PTEs, as before:
 *
 *   parent  pgd --> pud --> pmd --> pte table [ - P - P - ]   walked once
 *   child   pgd --> pud --> pmd --> pte table [ - P - P - ]   allocated once
 *                                             (when the first P is found)
 */
struct copy_args {
	struct vm_area_struct *dst_vma, *src_vma;
	bool cow;
	void *dst_table[PGT_PTE + 1];
};

/* ptep_set_wrprotect(): clear RW, keeping whatever A/D the hardware sets meanwhile. */
static void ptep_set_wrprotect(pte_t *ptep)
{
	u64 v;

	do {
		v = pte_val(ptep_get(ptep));
	} while (!pgtable_entry_cmpxchg(ptep, v, v & ~_PAGE_RW));
}

/* The level above @lvl that has tables of its own (folded ones skipped). */
static enum pgtable_level prev_level(enum pgtable_level lvl)
{
	int l = (int)lvl - 1;

	while (l > PGT_PGD && pgtable_fmt->folded[l])
		l--;
	return (enum pgtable_level)l;
}

/*
 * The child's table of level-@lvl entries covering @addr: found in, or
 * allocated under, the child's table one level up (p4d_alloc(), pud_alloc(),
 * pmd_alloc(), pte_alloc() of copy_p4d_range() .. copy_pte_range()).
 */
static void *copy_dst_table(struct copy_args *c, enum pgtable_level lvl, u64 addr, int *err)
{
	enum pgtable_level up;
	char *parent;
	void *e;
	u64 v;

	if (c->dst_table[lvl])
		return c->dst_table[lvl];
	up = prev_level(lvl);
	parent = copy_dst_table(c, up, addr, err);
	if (!parent)
		return NULL;
	e = parent + pgtable_index(up, addr) * (unsigned long)pgtable_fmt->entry_size;
	if (!pgtable_entry_read(e)) {
		*err = __pgtable_alloc(c->dst_vma->vm_mm, up, e);
		if (*err)
			return NULL;
	}
	v = pgtable_entry_read(e);
	VM_WARN_ON_ONCE(v & _PAGE_PSE);	/* the child has no large pages */
	c->dst_table[lvl] = pgtable_entry_table(v);
	return c->dst_table[lvl];
}

/* add_mm_rss_vec(): one atomic add per counter per PTE table. */
static void add_mm_rss_vec(struct mm_struct *mm, const long *rss)
{
	for (int i = 0; i < NR_MM_COUNTERS; i++)
		if (rss[i])
			add_mm_counter(mm, i, rss[i]);
}

/*
 * copy_present_pte(): the child maps the same page; in a COW mapping both
 * sides lose the write bit, so the first write of either copies (or
 * reuses, once the other side has gone).  The child's entry starts old.
 * Context: both PTE tables' locks held.
 */
static void copy_present_pte(struct copy_args *c, pte_t *dst, pte_t *src, pte_t pte,
			     unsigned long addr, long *rss)
{
	struct page *page = vm_normal_page(c->src_vma, addr, pte);

	if (page) {
		get_page(page);
		folio_add_anon_rmap_pte(page);	/* folio_try_dup_anon_rmap_pte() */
		ClearPageAnonExclusive(page);
		rss[mm_counter(page)]++;
	}
	if (c->cow && pte_write(pte)) {
		ptep_set_wrprotect(src);
		pte = pte_wrprotect(pte);
	}
	if (c->dst_vma->vm_flags & VM_SHARED)
		pte = pte_mkclean(pte);
	pte = pte_mkold(pte);
	set_pte_at(c->dst_vma->vm_mm, addr, dst, pte);
}

/*
 * copy_pte_range(): the present PTEs of [@addr, @end) in the parent's PTE
 * table @src_table (one table: @end does not cross a PMD boundary) into
 * the child's, under both tables' locks taken once, the child's first and
 * the parent's nested inside it, as the kernel nests them.  Non-present
 * entries are not copied (migration entries cannot be half done under the
 * anon_vma lock; no swap entries exist).
 */
static int copy_pte_range(struct copy_args *c, char *src_table, u64 addr, u64 end)
{
	unsigned long esz = pgtable_fmt->entry_size;
	spinlock_t *src_ptl = ptep_lockptr((pte_t *)src_table), *dst_ptl;
	long rss[NR_MM_COUNTERS] = { 0 };
	char *dst_table;
	int err = 0;

	/* The first present entry: the child gets a table only if there is one. */
	spin_lock(src_ptl);
	for (; addr < end; addr += PAGE_SIZE)
		if (pte_present(ptep_get((pte_t *)(src_table + pgtable_index(PGT_PTE, addr) * esz))))
			break;
	spin_unlock(src_ptl);
	if (addr >= end)
		return 0;
	dst_table = copy_dst_table(c, PGT_PTE, addr, &err);
	if (!dst_table)
		return err ? err : -ENOMEM;

	dst_ptl = ptep_lockptr((pte_t *)dst_table);
	spin_lock(dst_ptl);
	spin_lock_nested(src_ptl, SINGLE_DEPTH_NESTING);
	for (; addr < end; addr += PAGE_SIZE) {
		unsigned long off = pgtable_index(PGT_PTE, addr) * esz;
		pte_t *src = (pte_t *)(src_table + off);
		pte_t pte = ptep_get(src);

		if (pte_present(pte))
			copy_present_pte(c, (pte_t *)(dst_table + off), src, pte, (unsigned long)addr, rss);
	}
	spin_unlock(src_ptl);
	spin_unlock(dst_ptl);
	add_mm_rss_vec(c->dst_vma->vm_mm, rss);
	return 0;
}

/*
 * copy_p4d_range() .. copy_pmd_range() in one: the parent's entry @src_e
 * of level @lvl covers [@base, @base + its span); copy what of [@start,
 * @end) lies under it, skipping empty entries (and large pages, which
 * linmm's user tables do not have).
 */
static int copy_pgtable_range(struct copy_args *c, enum pgtable_level lvl, void *src_e, u64 base,
			      u64 start, u64 end)
{
	enum pgtable_level nl = next_level(lvl);
	u64 v = pgtable_entry_read(src_e);
	u64 step = 1ULL << (nl == PGT_PTE ? PAGE_SHIFT : pgtable_fmt->shift[nl]);
	u64 a = max(start, base), stop = min(end, base + (1ULL << pgtable_fmt->shift[lvl]));
	char *table;
	int err;

	if (!v || (v & _PAGE_PSE))
		return 0;
	table = pgtable_entry_table(v);
	if (nl == PGT_PTE)
		return copy_pte_range(c, table, a, stop);
	for (a = ALIGN_DOWN(a, step); a < stop; a += step) {
		c->dst_table[next_level(nl)] = NULL;	/* another child table below */
		err = copy_pgtable_range(c, nl, table + pgtable_index(nl, a) * (unsigned long)pgtable_fmt->entry_size,
					 a, start, end);
		if (err)
			return err;
	}
	return 0;
}

int copy_page_range(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma)
{
	struct mm_struct *src_mm = src_vma->vm_mm;
	struct copy_args c = {
		.dst_vma = dst_vma,
		.src_vma = src_vma,
		.cow = (src_vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE,
	};
	u64 start = src_vma->vm_start, end = min((u64)src_vma->vm_end, user_pgtables_ceiling());
	int err = 0;

	/* vma_needs_copy(): without an anon_vma there are no anonymous pages to share. */
	if (!src_vma->anon_vma)
		return 0;
	c.dst_table[PGT_PGD] = dst_vma->vm_mm->pgd;
	/*
	 * The anon_vma lock for writing: a migration (which holds it for
	 * reading from unmap to remap, mm/migrate.c) is not half done, so no
	 * PTE of this range is a migration entry that the copy would miss.
	 * The caller (dup_mmap) flushes the parent's TLB once for all VMAs.
	 */
	anon_vma_lock_write(src_vma->anon_vma);
	spin_lock(&src_mm->page_table_lock);
	for (u64 a = ALIGN_DOWN(start, PGDIR_SIZE); a < end && !err; a += PGDIR_SIZE) {
		c.dst_table[next_level(PGT_PGD)] = NULL;
		err = copy_pgtable_range(&c, PGT_PGD, pgd_offset(src_mm, a), a, start, end);
	}
	spin_unlock(&src_mm->page_table_lock);
	anon_vma_unlock_write(src_vma->anon_vma);
	return err;
}

/* ---- mremap and populate (the page-table halves of mm/mremap.c and mm/gup.c) ---- */

unsigned long move_page_ptes(struct vm_area_struct *vma, unsigned long old_addr,
			     struct vm_area_struct *new_vma, unsigned long new_addr,
			     unsigned long len)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long done, flushed_end = old_addr;
	int err;

	mmap_assert_write_locked(mm);
	for (done = 0; done < len; done += PAGE_SIZE) {
		pte_t *old, *new, pte;

		spin_lock(&mm->page_table_lock);
		old = user_pte_offset(mm, old_addr + done, /* alloc = */ false, &err);
		pte = old ? ptep_get(old) : __pte(0);
		spin_unlock(&mm->page_table_lock);
		if (pte_none(pte))
			continue;
		/* The destination table first: allocating takes page_table_lock itself. */
		new = user_pte_offset(mm, new_addr + done, /* alloc = */ true, &err);
		if (!new)
			break;
		/* Both PTE locks (one, if the two PTEs share a table), as move_ptes() takes them. */
		spin_lock(ptep_lockptr(old));
		if (ptep_lockptr(new) != ptep_lockptr(old))
			spin_lock(ptep_lockptr(new));
		pte = ptep_get_and_clear(old);
		set_pte(new, pte);
		if (ptep_lockptr(new) != ptep_lockptr(old))
			spin_unlock(ptep_lockptr(new));
		spin_unlock(ptep_lockptr(old));
		flushed_end = old_addr + done + PAGE_SIZE;
	}
	(void)new_vma;
	/* The old translations go before anyone can reuse the old range. */
	if (flushed_end > old_addr)
		flush_tlb_range(vma, old_addr, flushed_end);
	return done;
}

long faultin_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end,
			bool write)
{
	unsigned int fault_flags = FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_KILLABLE |
				   (write ? FAULT_FLAG_WRITE : 0);
	long nr = 0;

	mmap_assert_locked(vma->vm_mm);
	for (unsigned long a = start; a < end; a += PAGE_SIZE, nr++) {
		pte_t pte;
		vm_fault_t ret;

		if (!follow_pte(vma->vm_mm, a, &pte) && (pte_val(pte) & _PAGE_PRESENT) &&
		    (!write || pte_write(pte)))
			continue;
		/*
		 * get_user_pages: no regs, so not counted in the task's min_flt;
		 * it may let go of mmap_lock (populate passes "locked"), and
		 * retries a VM_FAULT_RETRY with FOLL_TRIED.
		 */
		ret = handle_mm_fault(vma, a, fault_flags, NULL);
		if (ret & VM_FAULT_RETRY)
			ret = handle_mm_fault(vma, a, fault_flags | FAULT_FLAG_TRIED, NULL);
		if (ret & VM_FAULT_OOM)
			return nr ? nr : -ENOMEM;
		if (ret & VM_FAULT_ERROR)
			return nr ? nr : -EFAULT;
	}
	return nr;
}

/* ---- mprotect ---- */

struct change_prot_args {
	struct vm_area_struct *vma;
	pgprot_t newprot;
	bool try_writable;
	unsigned long pages;
};

/*
 * can_change_pte_writable(): a private PTE may be made writable at once
 * when it maps an anonymous page nobody else maps (the kernel's
 * PageAnonExclusive), so the next write does not fault.
 */
static bool can_change_pte_writable(struct vm_area_struct *vma, unsigned long addr, pte_t pte)
{
	struct page *page;

	if (!(pte_val(pte) & _PAGE_PRESENT))
		return false;
	if (vma->vm_flags & VM_SHARED)
		return pte_dirty(pte);
	page = vm_normal_page(vma, addr, pte);
	return page && PageAnon(page) && PageAnonExclusive(page);
}

static void change_one_pte(pte_t *ptep, unsigned long addr, void *arg)
{
	struct change_prot_args *c = arg;
	pte_t old = ptep_get(ptep), new;

	if (!pte_present(old))
		return;
	new = pte_modify(old, c->newprot);
	if (c->try_writable && !pte_write(new) && can_change_pte_writable(c->vma, addr, new))
		new = pte_mkwrite(new);
	if (pte_same(old, new))
		return;
	/* ptep_modify_prot_start/commit: the hardware's A/D bits are kept. */
	old = ptep_get_and_clear(ptep);
	set_pte(ptep, pte_modify(old, __pgprot(pte_val(new) & ~_PAGE_CHG_MASK)));
	c->pages++;
}

unsigned long change_protection(struct vm_area_struct *vma, unsigned long start,
				unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	struct change_prot_args c = {
		.vma = vma,
		.newprot = vma->vm_page_prot,
		/* vma_wants_manual_pte_write_upgrade(): private writable memory. */
		.try_writable = (vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE,
	};

	mmap_assert_write_locked(mm);
	spin_lock(&mm->page_table_lock);
	walk_pte_range(mm, start, end, change_one_pte, &c);
	spin_unlock(&mm->page_table_lock);
	if (c.pages)
		flush_tlb_range(vma, start, end);
	return c.pages;
}

/* ---- invariants ---- */

struct validate_args {
	struct mm_struct *mm;
	unsigned long anon, file, shmem, tables;
	int err;
};

static void validate_one_pte(pte_t *ptep, unsigned long addr, void *arg)
{
	struct validate_args *va = arg;
	pte_t pte = ptep_get(ptep);
	struct vm_area_struct *vma;
	struct page *page;

	if (!pte_present(pte))
		return;
	vma = vma_lookup(va->mm, addr);
	if (!vma) {
		pr_err("validate_page_tables: pte %#llx at %#lx outside any vma\n",
		       (unsigned long long)pte_val(pte), addr);
		va->err = -EINVAL;
		return;
	}
	if ((pte_write(pte) && !(vma->vm_flags & VM_WRITE)) ||
	    ((pte_val(pte) & _PAGE_PRESENT) && !(pte_val(pte) & _PAGE_USER)) ||
	    (pte_exec(pte) && (__supported_pte_mask & _PAGE_NX) && (pte_val(pte) & _PAGE_PRESENT) &&
	     !(vma->vm_flags & VM_EXEC))) {
		pr_err("validate_page_tables: pte %#llx at %#lx exceeds vma flags %#lx\n",
		       (unsigned long long)pte_val(pte), addr, vma->vm_flags);
		va->err = -EINVAL;
	}
	page = vm_normal_page(vma, addr, pte);
	if (!page) {
		if (!is_zero_pfn(pte_pfn(pte)) || pte_write(pte)) {
			pr_err("validate_page_tables: special pte %#llx at %#lx\n",
			       (unsigned long long)pte_val(pte), addr);
			va->err = -EINVAL;
		}
		return;
	}
	if (PageAnon(page))
		va->anon++;
	else if (PageSwapBacked(page))
		va->shmem++;
	else
		va->file++;
	if (page_mapcount(page) < 1 || page_ref_count(page) < page_mapcount(page)) {
		pr_err("validate_page_tables: page pfn %#lx at %#lx mapcount %d refcount %d\n",
		       page_to_pfn(page), addr, page_mapcount(page), page_ref_count(page));
		va->err = -EINVAL;
	}
}

/* Count the table pages below entry @e of level @lvl; each must be a PageTable page. */
static unsigned long count_tables(enum pgtable_level lvl, void *e, int *err)
{
	enum pgtable_level nl = next_level(lvl);
	u64 v = pgtable_entry_read(e);
	unsigned long n = 1;
	char *table;

	if (!v || (v & _PAGE_PSE))
		return 0;
	table = pgtable_entry_table(v);
	if (!PageTable(virt_to_page(table))) {
		pr_err("validate_page_tables: table at %#llx is not PageTable\n",
		       (unsigned long long)__pa(table));
		*err = -EINVAL;
	}
	if (nl != PGT_PTE)
		for (unsigned int i = 0; i < pgtable_fmt->ptrs[nl]; i++)
			n += count_tables(nl, table + i * (unsigned long)pgtable_fmt->entry_size, err);
	return n;
}

int validate_page_tables(struct mm_struct *mm)
{
	struct validate_args va = { .mm = mm };
	unsigned long user_entries = (unsigned long)(user_pgtables_ceiling() >> PGDIR_SHIFT);

	if (!mm->pgd || !PageTable(virt_to_page(mm->pgd))) {
		pr_err("validate_page_tables: pgd missing or not PageTable\n");
		return -EINVAL;
	}
	mmap_read_lock(mm);
	spin_lock(&mm->page_table_lock);
	for (unsigned long i = 0; i < user_entries && i < PTRS_PER_PGD; i++)
		va.tables += count_tables(PGT_PGD, (char *)mm->pgd + i * (unsigned long)pgtable_fmt->entry_size,
					  &va.err);
	walk_pte_range(mm, 0, user_pgtables_ceiling(), validate_one_pte, &va);
	spin_unlock(&mm->page_table_lock);
	mmap_read_unlock(mm);
	if (va.tables * PAGE_SIZE != mm_pgtables_bytes(mm)) {
		pr_err("validate_page_tables: %lu tables, pgtables_bytes %lu\n", va.tables,
		       mm_pgtables_bytes(mm));
		va.err = -EINVAL;
	}
	if (va.anon != get_mm_counter(mm, MM_ANONPAGES) ||
	    va.file != get_mm_counter(mm, MM_FILEPAGES) ||
	    va.shmem != get_mm_counter(mm, MM_SHMEMPAGES)) {
		pr_err("validate_page_tables: %lu anon / %lu file / %lu shmem ptes, rss_stat %lu / %lu / %lu\n",
		       va.anon, va.file, va.shmem, get_mm_counter(mm, MM_ANONPAGES),
		       get_mm_counter(mm, MM_FILEPAGES), get_mm_counter(mm, MM_SHMEMPAGES));
		va.err = -EINVAL;
	}
	return va.err;
}

void memory_teardown(void)
{
	tlb_reset_all();
	rmap_teardown();
	set_current(NULL);
}
