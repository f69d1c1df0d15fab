/* SPDX-License-Identifier: MIT */
/*
 * mm_types.h - struct page, the descriptor of one 4 KiB page frame.
 *
 * Mirrors include/linux/mm_types.h.  Exactly 64 bytes on 64-bit hosts
 * (a static assertion below), laid out as the kernel lays it out:
 *
 *   0   flags          PG_* bits low, zone/node ids high (page-flags.h)
 *   8   5-word union   {lru|buddy_list|pcp_list, mapping, index, private}
 *                      or {compound_head, ...} for tail pages
 *   48  _mapcount      or page_type for never-mapped pages (6.11+ encoding:
 *                      top byte is the type, e.g. 0xf0 buddy)
 *   52  _refcount      0 while free, 1 after allocation
 *   56  memcg_data
 *
 * A free buddy block's head page has page_type PGTY_buddy and its order in
 * private; a page on a per-CPU list has its order in private too.
 */
#ifndef LINMM_MM_TYPES_H
#define LINMM_MM_TYPES_H

#include <linmm/list.h>
#include <linmm/maple_tree.h>
#include <linmm/rbtree.h>
#include <linmm/rwsem.h>
#include <linmm/spinlock.h>
#include <linmm/types.h>

struct page {
	unsigned long flags;
	union {
		struct {
			union {
				struct list_head lru;
				struct list_head buddy_list;
				struct list_head pcp_list;
			};
			void *mapping;
			unsigned long index;
			union {
				unsigned long private;
				spinlock_t ptl;	/* a PTE table page: its split lock */
			};
		};
		struct {			/* tail pages of a compound page */
			unsigned long compound_head;	/* head address | 1 */
			unsigned char compound_order;	/* first tail only */
			unsigned char _tail_pad[7];
			_Atomic int _entire_mapcount;	/* first tail only */
			_Atomic int _pincount;		/* first tail only */
		};
	};
	union {
		_Atomic int _mapcount;
		unsigned int page_type;
	};
	_Atomic int _refcount;
	unsigned long memcg_data;
};

_Static_assert(sizeof(void *) != 8 || sizeof(struct page) == 64,
	       "struct page must be 64 bytes on 64-bit hosts");

/*
 * struct mm_struct - an address space's page tables (include/linux/mm_types.h).
 * Only what the page-table code needs so far; user address spaces extend it.
 * @pgd: host address of the top-level table (a page of simulated RAM; the
 *	entry format is pgtable_fmt's, see pgtable.h)
 * @page_table_lock: serialises populating tables (pgd/pud/pmd entries)
 * @pgtables_bytes: bytes of page-table pages below the pgd
 */
/* Resident-page counters of an mm (the kernel's MM_* rss_stat items). */
enum {
	MM_FILEPAGES,
	MM_ANONPAGES,
	MM_SWAPENTS,
	MM_SHMEMPAGES,
	NR_MM_COUNTERS
};

struct mm_struct {
	void *pgd;
	spinlock_t page_table_lock;
	_Atomic long pgtables_bytes;
	/*
	 * User address spaces (mm/mmap.c, mm/vma.c; init_mm leaves these zero).
	 * @mm_mt: the VMAs by address, [vm_start, vm_end - 1] -> vma, in a
	 *	maple tree that tracks the largest free range below each node
	 *	(MM_MT_FLAGS; lib/maple_tree.c)
	 * @map_count: VMAs in @mm_mt
	 * @highest_vm_end: vm_end of the last VMA (0 if none)
	 * @mmap_lock: protects @mm_mt, the VMAs' fields and the counters below;
	 *	taken before page_table_lock
	 * @mmap_base: top of the top-down mmap area
	 * @task_size: end of the user address space
	 * @total_vm..@stack_vm: pages mapped, locked, data, exec and stack (vm_stat_account)
	 * @def_flags: VM_* flags every new VMA gets
	 */
	struct maple_tree mm_mt;
	int map_count;
	unsigned long highest_vm_end;
	struct rw_semaphore mmap_lock;
	unsigned long mmap_base;
	unsigned long task_size;
	unsigned long start_brk, brk, start_stack;
	unsigned long total_vm, locked_vm, data_vm, exec_vm, stack_vm;
	unsigned long def_flags;
	/*
	 * Page tables and the MMU (mm/memory.c, arch/x86/tlb.c).
	 * @rss_stat: resident pages per type (MM_ANONPAGES, ...: get_mm_counter())
	 * @context: the arch's TLB context (arch/x86 mm_context_t): @ctx_id
	 *	names the mm to every CPU's ASID slots (never reused, never 0),
	 *	@tlb_gen counts page-table changes that needed a TLB flush
	 * @cpu_bitmap: CPUs that have this mm loaded now (mm_cpumask())
	 */
	_Atomic long rss_stat[NR_MM_COUNTERS];
	struct {
		u64 ctx_id;
		_Atomic u64 tlb_gen;
	} context;
	_Atomic unsigned long cpu_bitmap;
	/*
	 * The program image and its limits (fs/exec.c, fs/proc/array.c).
	 * @hiwater_vm: the highest total_vm so far (VmPeak)
	 * @hiwater_rss: the highest RSS so far (VmHWM), updated, as in the
	 *	kernel, just before the RSS drops (update_hiwater_rss())
	 * @pinned_vm: pages pinned by long-term GUP (VmPin; none yet)
	 * @start_code..@end_data: text and data of the exec image (VmExe)
	 * @owner: the task whose mm this is (the kernel's CONFIG_MEMCG
	 *	mm->owner), named in __vm_enough_memory's warning; NULL for init_mm
	 */
	unsigned long hiwater_vm, hiwater_rss, pinned_vm;
	unsigned long start_code, end_code, start_data, end_data;
	struct task_struct *owner;
};

typedef unsigned long vm_flags_t;

struct anon_vma;
struct file;

/*
 * struct vm_area_struct - one mapping [vm_start, vm_end) of an mm
 * (include/linux/mm_types.h).
 * @vm_pgoff: offset of vm_start in the object, in pages (private anonymous:
 *	vm_start >> PAGE_SHIFT at creation)
 * @vm_file: the mapped file, a reference held (NULL: anonymous memory)
 * @anon_vma: reverse-mapping anchor, NULL until the first anonymous fault
 * @anon_vma_chain: this VMA's anon_vma_chains (mm/rmap.c), newest first
 * @vm_ops: the backing object's fault handlers (NULL: anonymous memory);
 *	set by the file's mmap (generic_file_mmap, shmem_mmap, shm_mmap)
 * @shared: node in vm_file's mapping->i_mmap interval tree, keyed by
 *	[vm_pgoff, vm_pgoff + pages - 1] (mm/interval_tree.c)
 */
struct vm_operations_struct;

struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	struct mm_struct *vm_mm;
	pgprot_t vm_page_prot;
	vm_flags_t vm_flags;
	unsigned long vm_pgoff;
	struct file *vm_file;
	struct anon_vma *anon_vma;
	struct list_head anon_vma_chain;
	void *vm_private_data;
	const struct vm_operations_struct *vm_ops;
	struct {
		struct rb_node rb;
		unsigned long rb_subtree_last;
	} shared;
};

#endif /* LINMM_MM_TYPES_H */
