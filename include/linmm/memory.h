/* SPDX-License-Identifier: MIT */
/*
 * memory.h - page faults and user page tables: the parts of
 * include/linux/mm.h, mm_types.h and asm/ptrace.h that mm/memory.c serves.
 *
 * handle_mm_fault() resolves one fault on one address of a VMA and says how
 * with VM_FAULT_* bits (0: a minor fault, resolved); the caller (the arch
 * fault handler, arch/x86/fault.c) holds mm->mmap_lock for reading.  The
 * per-mm resident-page counters (get_mm_counter) and the fault counters of
 * a task (task_struct.min_flt/maj_flt) follow the kernel's accounting.
 */
#ifndef LINMM_MEMORY_H
#define LINMM_MEMORY_H

#include <linmm/fs.h>		/* loff_t */
#include <linmm/mm_types.h>
#include <linmm/pgtable.h>
#include <linmm/types.h>

/* enum vm_fault_reason (include/linux/mm_types.h). */
typedef unsigned int vm_fault_t;
#define VM_FAULT_OOM		0x000001u
#define VM_FAULT_SIGBUS		0x000002u
#define VM_FAULT_MAJOR		0x000004u
#define VM_FAULT_HWPOISON	0x000010u
#define VM_FAULT_HWPOISON_LARGE	0x000020u
#define VM_FAULT_SIGSEGV	0x000040u
#define VM_FAULT_NOPAGE		0x000100u
#define VM_FAULT_LOCKED		0x000200u
#define VM_FAULT_RETRY		0x000400u
#define VM_FAULT_FALLBACK	0x000800u
#define VM_FAULT_DONE_COW	0x001000u
#define VM_FAULT_NEEDDSYNC	0x002000u
#define VM_FAULT_COMPLETED	0x004000u
#define VM_FAULT_ERROR (VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV | VM_FAULT_HWPOISON | \
			VM_FAULT_HWPOISON_LARGE | VM_FAULT_FALLBACK)

/* enum fault_flag (include/linux/mm_types.h). */
#define FAULT_FLAG_WRITE		(1u << 0)
#define FAULT_FLAG_MKWRITE		(1u << 1)
#define FAULT_FLAG_ALLOW_RETRY		(1u << 2)
#define FAULT_FLAG_RETRY_NOWAIT		(1u << 3)
#define FAULT_FLAG_KILLABLE		(1u << 4)
#define FAULT_FLAG_TRIED		(1u << 5)
#define FAULT_FLAG_USER			(1u << 6)
#define FAULT_FLAG_REMOTE		(1u << 7)
#define FAULT_FLAG_INSTRUCTION		(1u << 8)
#define FAULT_FLAG_INTERRUPTIBLE	(1u << 9)
#define FAULT_FLAG_UNSHARE		(1u << 10)
#define FAULT_FLAG_DEFAULT (FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_KILLABLE | FAULT_FLAG_INTERRUPTIBLE)

/*
 * struct pt_regs - the registers of the faulting context that the fault
 * path reads (asm/ptrace.h): a simulated access has no real instruction,
 * so @ip is the fetched address for an instruction fetch and 0 otherwise.
 */
struct pt_regs {
	unsigned long ip;
	unsigned long sp;
};

/* x86 page-fault error code bits (arch/x86/include/asm/trap_pf.h). */
#define X86_PF_PROT	0x01	/* 0: not-present page, 1: protection violation */
#define X86_PF_WRITE	0x02
#define X86_PF_USER	0x04
#define X86_PF_RSVD	0x08
#define X86_PF_INSTR	0x10

struct page;
struct address_space;
typedef unsigned long pgoff_t;	/* as fs.h (C11 allows the repeat) */

/*
 * struct vm_fault - one fault being resolved (include/linux/mm.h).
 * @pgoff: the page's offset in the VMA's object (file faults)
 * @pte/@orig_pte: the PTE slot and what it held when the fault began
 * @cow_page: the private copy a write to a private file mapping gets
 * @page: the object's page, locked and referenced, from ->fault
 */
struct vm_fault {
	struct vm_area_struct *vma;
	unsigned long address;		/* page aligned */
	unsigned int flags;
	pgoff_t pgoff;
	pte_t *pte;
	spinlock_t *ptl;		/* the lock of vmf->pte's table (pte_lockptr) */
	pte_t orig_pte;
	struct page *cow_page;
	struct page *page;
};

/*
 * struct vm_operations_struct - how a file-backed VMA's faults are served
 * (include/linux/mm.h).
 * @open/@close: a VMA copy appears (split, fork) / a VMA goes; SysV shm
 *	counts attaches with them (a VMA with @close is never merged)
 * @fault: put the locked page for vmf->pgoff in vmf->page (VM_FAULT_LOCKED,
 *	VM_FAULT_MAJOR if it had to be read), or VM_FAULT_SIGBUS beyond EOF
 * @map_pages: map the cached, uptodate pages of [start, end] around the
 *	fault without waiting (fault-around); Return VM_FAULT_NOPAGE if the
 *	faulting address itself got mapped
 * @page_mkwrite: a read-only PTE of a shared mapping is about to become
 *	writable: dirty the page (VM_FAULT_LOCKED: returned locked)
 */
struct vm_operations_struct {
	void (*open)(struct vm_area_struct *vma);
	void (*close)(struct vm_area_struct *vma);
	vm_fault_t (*fault)(struct vm_fault *vmf);
	vm_fault_t (*map_pages)(struct vm_fault *vmf, pgoff_t start_pgoff, pgoff_t end_pgoff);
	vm_fault_t (*page_mkwrite)(struct vm_fault *vmf);
};

/* fault_around_bytes (debugfs in the kernel): 64 KiB, a power of two from PAGE_SIZE. */
extern unsigned long fault_around_bytes;

/*
 * set_pte_range - map @nr consecutive pages of @vmf's object from @page at
 * @addr (finish_fault, fault-around): file rmap and MM_FILEPAGES /
 * MM_SHMEMPAGES counted; a write fault's entry is writable and dirty.
 * Context: mm->page_table_lock held; the PTEs are empty.
 */
void set_pte_range(struct vm_fault *vmf, struct page *page, unsigned int nr, unsigned long addr);
/* The PTE slot of @addr in @vma's mm, NULL if its table is missing.  Context: page_table_lock. */
pte_t *pte_offset_map_vma(struct vm_area_struct *vma, unsigned long addr);

/**
 * unmap_mapping_range - unmap the pages of bytes [@holebegin, @holebegin +
 * @holelen) of @mapping from every VMA in its i_mmap (0 length: to EOF)
 * @mapping: the file's page cache
 * @holebegin: byte offset (rounded down to a page)
 * @holelen: bytes (rounded up), 0 for "to the end"
 * @even_cows: also the private copies of private mappings (truncation)
 *
 * Context: takes i_mmap_rwsem for reading and each mm's page_table_lock.
 */
void unmap_mapping_range(struct address_space *mapping, loff_t holebegin, loff_t holelen,
			 int even_cows);

/* mm_counter_file - MM_SHMEMPAGES for a swap-backed (shmem) page, MM_FILEPAGES otherwise. */
int mm_counter_file(const struct page *page);
/* mm_counter - the rss_stat member a mapped @page counts in. */
int mm_counter(const struct page *page);

/**
 * handle_mm_fault - resolve a page fault at @address in @vma
 * @vma: the VMA containing @address (the caller checked access_error())
 * @address: the faulting address
 * @flags: FAULT_FLAG_* (WRITE, USER, INSTRUCTION, ...)
 * @regs: the faulting context; NULL for faults taken on behalf of another
 *	task (access_process_vm), which are not counted in min_flt/maj_flt
 *
 * Anonymous memory: a read fault maps the shared zero page read-only, a
 * write fault a new zeroed page (do_anonymous_page); a write to a
 * read-only present PTE of a writable private VMA copies or reuses the
 * page (do_wp_page).  Counts PGFAULT, and min_flt/maj_flt of the task
 * owning @vma->vm_mm when @regs is given.
 *
 * Context: mmap_lock held (read); may allocate (GFP_HIGHUSER_MOVABLE, page tables).
 * Return: 0 or VM_FAULT_* bits (VM_FAULT_OOM, VM_FAULT_SIGBUS...).
 */
vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address, unsigned int flags,
			   struct pt_regs *regs);

/**
 * follow_pte - the PTE mapping @address in @mm, read without faulting
 * @mm: the address space
 * @address: user address
 * @pte: out, the entry (present or not)
 *
 * Context: any; takes mm->page_table_lock.
 * Return: 0, or -EINVAL if no page table covers @address (*@pte untouched).
 */
int follow_pte(struct mm_struct *mm, unsigned long address, pte_t *pte);

/**
 * vm_normal_page - the struct page a PTE maps, NULL for the zero page and
 * other special (pte_special) mappings, and for frames without a struct page.
 * @vma: the VMA the PTE belongs to
 * @addr: its address
 * @pte: the entry
 *
 * Context: page table lock held or the caller owns the PTE.
 */
struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr, pte_t pte);

/**
 * walk_page_vma_ptes - call @fn for every non-empty PTE of @vma, in address order
 * @vma: the VMA
 * @fn: gets the entry's value and address (it must not change page tables)
 * @arg: for @fn
 *
 * Missing tables are skipped at every level (mm/pagewalk.c's walk_page_vma
 * for the PTE level only: there are no huge user mappings yet).
 * Context: mmap_lock held; takes mm->page_table_lock around the walk.
 */
void walk_page_vma_ptes(struct vm_area_struct *vma,
			void (*fn)(pte_t pte, unsigned long addr, void *arg), void *arg);

/* The shared zero page (empty_zero_page: the first page of the kernel image's .bss). */
unsigned long my_zero_pfn(unsigned long addr);
#define ZERO_PAGE(vaddr) pfn_to_page(my_zero_pfn(vaddr))

/**
 * zap_page_range_single - unmap the pages of [@address, @address + @size) of @vma
 * @vma: the VMA
 * @address: page-aligned start inside @vma
 * @size: bytes
 *
 * Anonymous pages are freed when their last mapping goes; page tables stay
 * (madvise(MADV_DONTNEED) semantics).  The TLB is flushed for the range.
 * Context: mmap_lock held.
 */
void zap_page_range_single(struct vm_area_struct *vma, unsigned long address, unsigned long size);

static inline unsigned long get_mm_counter(struct mm_struct *mm, int member)
{
	long v = atomic_load_explicit(&mm->rss_stat[member], memory_order_relaxed);

	return v < 0 ? 0 : (unsigned long)v;
}

static inline void add_mm_counter(struct mm_struct *mm, int member, long value)
{
	atomic_fetch_add_explicit(&mm->rss_stat[member], value, memory_order_relaxed);
}

/* get_mm_rss - resident pages of @mm (file + anon + shmem). */
static inline unsigned long get_mm_rss(struct mm_struct *mm)
{
	return get_mm_counter(mm, MM_FILEPAGES) + get_mm_counter(mm, MM_ANONPAGES) +
	       get_mm_counter(mm, MM_SHMEMPAGES);
}

/* mm_pgtables_bytes - bytes of page-table pages below the pgd (VmPTE). */
static inline unsigned long mm_pgtables_bytes(const struct mm_struct *mm)
{
	return (unsigned long)atomic_load(&((struct mm_struct *)mm)->pgtables_bytes);
}

/* The highest user address + 1 of the running arch (TASK_SIZE_MAX; x86_32: PAGE_OFFSET). */
unsigned long user_addr_max(void);

#endif /* LINMM_MEMORY_H */
