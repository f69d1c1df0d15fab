/* SPDX-License-Identifier: MIT */
/*
 * pgtable.c - the x86 page-table formats and the kernel's virtual windows
 * (arch/x86/include/asm/pgtable_64_types.h, pgtable-2level_types.h,
 * pgtable-3level_types.h, pgtable_32_areas.h, fixmap.h, cpu_entry_area.h).
 *
 * Data only, plus pgtable_arch_init(), which picks the running machine's
 * format and computes the x86_32 windows top-down from FIXADDR_TOP as the
 * kernel's macros do (see the picture in include/linmm/pgtable.h).  The
 * x86_32 fixmap is modelled with NR_CPUS = 64 (linmm's NR_CPUS):
 *
 *   index  0            FIX_HOLE
 *          1            FIX_EARLYCON_MEM_BASE
 *          2            FIX_APIC_BASE
 *          3 .. 66      FIX_IO_APIC_BASE_0 .. _END (MAX_IO_APICS 64)
 *         67 .. 1090    FIX_KMAP_BEGIN .. FIX_KMAP_END (KM_MAX_IDX x NR_CPUS)
 *       1091            FIX_PCIE_MCFG
 *       1092            __end_of_permanent_fixed_addresses
 *                       then TOTAL_FIX_BTMAPS (512) boot-time slots, moved
 *                       up so they do not straddle a page table
 *
 * and struct cpu_entry_area as 6 pages per CPU.  Invariants: every window is
 * page aligned; VMALLOC_END < PKMAP_BASE < LDT_BASE_ADDR <
 * CPU_ENTRY_AREA_BASE < FIXADDR_TOT_START <= FIXADDR_START < FIXADDR_TOP.
 * No locks: written once at boot before anything reads it.
 */
#include <string.h>

#include <linmm/mm.h>
#include <linmm/pgtable.h>
#include <linmm/tlbflush.h>

#include "arch/arch.h"
#include "kernel/machine.h"
#include "mm/internal.h"

const struct pgtable_format pgtable_x86_64_4level = {
	.name = "x86-64 4-level",
	.levels = 4,
	.entry_size = 8,
	.shift = { 39, 39, 30, 21, 12 },
	.ptrs = { 512, 1, 512, 512, 512 },
	.folded = { false, true, false, false, false },
	.leaf = { false, false, true, true, false },
	.pfn_mask = 0x000ffffffffff000ULL,	/* bits 12-51 */
	.supported_mask = ~0ULL,
	.top_table_flags = _PAGE_TABLE,
};

/*
 * 5-level (CONFIG_X86_5LEVEL with LA57): the p4d level is unfolded,
 * PGDIR_SHIFT 48, 512 entries at every level; 57-bit virtual addresses
 * (pgtable_64_types.h).  MAX_PHYSMEM_BITS becomes 52 in the kernel; the
 * entry format (bits 12-51 of frame) is the same as 4-level's.
 */
const struct pgtable_format pgtable_x86_64_5level = {
	.name = "x86-64 5-level",
	.levels = 5,
	.entry_size = 8,
	.shift = { 48, 39, 30, 21, 12 },
	.ptrs = { 512, 512, 512, 512, 512 },
	.folded = { false, false, false, false, false },
	.leaf = { false, false, true, true, false },
	.pfn_mask = 0x000ffffffffff000ULL,
	.supported_mask = ~0ULL,
	.top_table_flags = _PAGE_TABLE,
};

const struct pgtable_format pgtable_x86_32_pae = {
	.name = "x86 PAE 3-level",
	.levels = 3,
	.entry_size = 8,
	.shift = { 30, 30, 30, 21, 12 },
	.ptrs = { 4, 1, 1, 512, 512 },
	.folded = { false, true, true, false, false },
	.leaf = { false, false, false, true, false },
	.pfn_mask = 0x000ffffffffff000ULL,
	.supported_mask = ~0ULL,
	.top_table_flags = _PAGE_PRESENT,	/* PDPTEs: other bits reserved */
};

const struct pgtable_format pgtable_x86_32_2level = {
	.name = "x86 2-level",
	.levels = 2,
	.entry_size = 4,
	.shift = { 22, 22, 22, 22, 12 },
	.ptrs = { 1024, 1, 1, 1, 1024 },
	.folded = { false, true, true, true, false },
	.leaf = { false, false, false, true, false },
	.pfn_mask = 0xfffff000ULL,
	.supported_mask = ~_PAGE_NX,
	.top_table_flags = _PAGE_TABLE,
};

const struct pgtable_format *pgtable_fmt = &pgtable_x86_64_4level;
u64 __supported_pte_mask = ~0ULL;
struct kernel_vm_layout kernel_layout;

#define X86_32_NR_CPUS		64
#define X86_32_MAX_IO_APICS	64
#define X86_32_CEA_PAGES	6	/* DIV_ROUND_UP(sizeof(struct cpu_entry_area), PAGE_SIZE) */
#define TOTAL_FIX_BTMAPS	512	/* NR_FIX_BTMAPS (64) x FIX_BTMAPS_SLOTS (8) */

static void x86_32_layout(struct kernel_vm_layout *l)
{
	const u64 pmd_mask = PMD_MASK & 0xffffffffULL;
	unsigned int end_permanent, btmap_end, end_fixed;

	l->fixaddr_top = 0xfffff000ULL;
	l->fix_kmap_begin = 3 + X86_32_MAX_IO_APICS;
	l->fix_kmap_end = l->fix_kmap_begin + KM_MAX_IDX * X86_32_NR_CPUS - 1;
	end_permanent = l->fix_kmap_end + 2;		/* FIX_PCIE_MCFG, then the end */
	/* The boot-time slots must sit in one page table (fixmap.h). */
	btmap_end = end_permanent;
	if ((end_permanent ^ (end_permanent + TOTAL_FIX_BTMAPS - 1)) & ~(PTRS_PER_PTE - 1))
		btmap_end = end_permanent + TOTAL_FIX_BTMAPS - (end_permanent & (TOTAL_FIX_BTMAPS - 1));
	end_fixed = btmap_end + TOTAL_FIX_BTMAPS;
	l->fixaddr_start = l->fixaddr_top - ((u64)end_permanent << PAGE_SHIFT);
	l->fixaddr_tot_start = l->fixaddr_top - ((u64)end_fixed << PAGE_SHIFT);

	/* The +1 is the read-only IDT page. */
	l->cpu_entry_area_map_size = (u64)(X86_32_NR_CPUS * X86_32_CEA_PAGES + 1) << PAGE_SHIFT;
	l->cpu_entry_area_base = (l->fixaddr_tot_start - l->cpu_entry_area_map_size) & pmd_mask;
	l->ldt_base = (l->cpu_entry_area_base - PAGE_SIZE) & pmd_mask;
	l->pkmap_base = (l->ldt_base - PAGE_SIZE) & pmd_mask;
	l->last_pkmap = pgtable_fmt->levels == 2 ? 1024 : 512;
	l->vmalloc_end = l->pkmap_base - 2 * PAGE_SIZE;
	l->vmalloc_start = l->high_memory + VMALLOC_OFFSET;
}

void pgtable_arch_init(void)
{
	const struct linmm_arch *a = linmm_arch;
	struct kernel_vm_layout *l = &kernel_layout;

	if (a->bits == 64)
		pgtable_fmt = boot_params.la57 ? &pgtable_x86_64_5level : &pgtable_x86_64_4level;
	else if (a->pgtable_levels == 3)
		pgtable_fmt = &pgtable_x86_32_pae;
	else
		pgtable_fmt = &pgtable_x86_32_2level;
	__supported_pte_mask = pgtable_fmt->supported_mask;

	*l = (struct kernel_vm_layout){ 0 };
	l->page_offset = a->page_offset;
	l->high_memory = a->page_offset + PFN_PHYS(max_low_pfn);
	if (a->bits == 64) {
		l->vmalloc_start = a->vmalloc_start;
		l->vmalloc_end = a->vmalloc_end;
		return;
	}
	x86_32_layout(l);
}

/*
 * ---- user pgds (arch/x86/mm/pgtable.c: pgd_alloc, pgd_ctor, pgd_free) ----
 *
 * A new pgd is a page-table page whose kernel part, from
 * KERNEL_PGD_BOUNDARY = pgd_index(PAGE_OFFSET) up, is a copy of init_mm's
 * (clone_pgd_range; on PAE that shares the kernel's pmd behind pgd[3]).
 * PAE loads all four PDPTEs with CR3, so the three user pmds are
 * allocated with the pgd (PREALLOCATED_PMDS) and counted in pgtables_bytes.
 * The pgd itself counts in NR_PAGETABLE but not in pgtables_bytes.
 */
int mm_alloc_pgd(struct mm_struct *mm)
{
	const unsigned long esz = (unsigned long)pgtable_fmt->entry_size;
	unsigned long boundary = pgtable_index(PGT_PGD, PAGE_OFFSET);
	char *pgd = pgtable_page_alloc();

	if (!pgd)
		return -ENOMEM;
	if (init_mm.pgd)
		memcpy(pgd + boundary * esz, (char *)init_mm.pgd + boundary * esz,
		       (PTRS_PER_PGD - boundary) * esz);
	mm->pgd = pgd;
	if (pgtable_fmt->levels == 3) {
		for (unsigned long i = 0; i < boundary; i++) {
			void *pmd = pgtable_page_alloc();

			if (!pmd) {
				mm_free_pgd(mm);
				return -ENOMEM;
			}
			pgtable_entry_write(pgd + i * esz, (__pa(pmd) & PTE_PFN_MASK) | _PAGE_PRESENT);
			atomic_fetch_add(&mm->pgtables_bytes, (long)PAGE_SIZE);
		}
	}
	init_new_context(mm);
	return 0;
}

void mm_free_pgd(struct mm_struct *mm)
{
	const unsigned long esz = (unsigned long)pgtable_fmt->entry_size;
	unsigned long boundary = pgtable_index(PGT_PGD, PAGE_OFFSET);
	char *pgd = mm->pgd;

	if (!pgd)
		return;
	destroy_context(mm);
	/* pgd_mop_up(): PAE pmds that exit_mmap left (all of them, if it ran). */
	for (unsigned long i = 0; i < boundary; i++) {
		u64 v = pgtable_entry_read(pgd + i * esz);

		if (!v)
			continue;
		pgtable_page_free(pgtable_entry_table(v));
		atomic_fetch_sub(&mm->pgtables_bytes, (long)PAGE_SIZE);
	}
	pgtable_page_free(pgd);
	mm->pgd = NULL;
}
