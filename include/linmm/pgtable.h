/* SPDX-License-Identifier: MIT */
/*
 * pgtable.h - page-table formats and the kernel's accessors (x86).
 *
 * Mirrors arch/x86/include/asm/pgtable_types.h, pgtable.h, pgtable_64.h,
 * pgtable-2level.h, pgtable-3level.h and include/asm-generic/pgtable-nop4d.h,
 * -nopud.h, -nopmd.h.  Page tables live in simulated RAM pages in the
 * architecture's own format; one description (struct pgtable_format) per
 * arch model says how many entries each level has, how wide an entry is and
 * which levels are folded:
 *
 *                 pgd        p4d      pud       pmd        pte
 *   x86_64      39/512    folded    30/512    21/512     12/512   8-byte
 *   x86_64 la57 48/512    39/512    30/512    21/512     12/512   8-byte
 *   x86_32-pae  30/4      folded    folded    21/512     12/512   8-byte
 *   x86_32      22/1024   folded    folded    folded     12/1024  4-byte
 *               (shift / entries per table)
 *
 * A folded level has one entry which *is* the entry of the level above
 * (p4d_offset(pgd, a) returns the pgd pointer cast), and its _none()/
 * _present() tests are answered by the lowest level sharing the entry, as in
 * the asm-generic nop headers.  Large pages: PSE at the pmd (2 MiB, or 4 MiB
 * on 2-level) and at the pud on x86_64 (1 GiB).
 *
 * Entries are values of one type per level (pte_t, pmd_t, ...) holding up to
 * 64 bits; a pointer to an entry (pte_t *) is the entry's host address in
 * its table.  Because 2-level entries are 4 bytes wide, entries are read and
 * written only through ptep_get()/set_pte() and friends, never by
 * dereferencing the pointer.  Reads and writes are single atomic accesses
 * (READ_ONCE/WRITE_ONCE), so a lockless walker sees old or new.
 *
 * The same format serves user page tables (issue 7): nothing here is
 * specific to init_mm except pgd_offset_k().
 */
#ifndef LINMM_PGTABLE_H
#define LINMM_PGTABLE_H

#include <linmm/mm.h>
#include <linmm/mm_types.h>
#include <linmm/types.h>

/* x86 PTE bits (pgtable_types.h). */
#define _PAGE_BIT_PRESENT	0
#define _PAGE_BIT_RW		1
#define _PAGE_BIT_USER		2
#define _PAGE_BIT_PWT		3
#define _PAGE_BIT_PCD		4
#define _PAGE_BIT_ACCESSED	5
#define _PAGE_BIT_DIRTY		6
#define _PAGE_BIT_PSE		7
#define _PAGE_BIT_PAT		7	/* on 4 KiB pages */
#define _PAGE_BIT_GLOBAL	8
#define _PAGE_BIT_SOFTW1	9
#define _PAGE_BIT_PAT_LARGE	12
#define _PAGE_BIT_NX		63

#define _PAGE_PRESENT	(1ULL << _PAGE_BIT_PRESENT)
#define _PAGE_RW	(1ULL << _PAGE_BIT_RW)
#define _PAGE_USER	(1ULL << _PAGE_BIT_USER)
#define _PAGE_PWT	(1ULL << _PAGE_BIT_PWT)
#define _PAGE_PCD	(1ULL << _PAGE_BIT_PCD)
#define _PAGE_ACCESSED	(1ULL << _PAGE_BIT_ACCESSED)
#define _PAGE_DIRTY	(1ULL << _PAGE_BIT_DIRTY)
#define _PAGE_PSE	(1ULL << _PAGE_BIT_PSE)
#define _PAGE_GLOBAL	(1ULL << _PAGE_BIT_GLOBAL)
#define _PAGE_SPECIAL	(1ULL << _PAGE_BIT_SOFTW1)
#define _PAGE_PROTNONE	_PAGE_GLOBAL	/* only when _PAGE_PRESENT is clear */
/* NX exists only with 8-byte entries; __supported_pte_mask drops it on 2-level. */
#define _PAGE_NX	(1ULL << _PAGE_BIT_NX)

/* Protections before masking with __supported_pte_mask (the kernel's __PAGE_KERNEL...). */
#define __PAGE_KERNEL_EXEC	(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL)
#define __PAGE_KERNEL		(__PAGE_KERNEL_EXEC | _PAGE_NX)
#define __PAGE_KERNEL_RO	(_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL | _PAGE_NX)
#define __PAGE_KERNEL_LARGE	(__PAGE_KERNEL | _PAGE_PSE)
#define __PAGE_NONE		(_PAGE_ACCESSED | _PAGE_GLOBAL)
/* Table entries: a lower-level table referenced from a kernel / user table. */
#define _KERNPG_TABLE		(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define _PAGE_TABLE		(_KERNPG_TABLE | _PAGE_USER)

/* Bits the running CPU supports (no NX on 2-level), as the kernel masks them. */
extern u64 __supported_pte_mask;

#define PAGE_KERNEL		__pgprot(__PAGE_KERNEL & __supported_pte_mask)
#define PAGE_KERNEL_RO		__pgprot(__PAGE_KERNEL_RO & __supported_pte_mask)
#define PAGE_KERNEL_EXEC	__pgprot(__PAGE_KERNEL_EXEC & __supported_pte_mask)
#define PAGE_KERNEL_LARGE	__pgprot(__PAGE_KERNEL_LARGE & __supported_pte_mask)
#define PAGE_NONE		__pgprot(__PAGE_NONE)

/* The kernel's page-table levels; folded ones share the entry above. */
enum pgtable_level {
	PGT_PGD,
	PGT_P4D,
	PGT_PUD,
	PGT_PMD,
	PGT_PTE,
	PGT_NR_LEVELS,
};

/**
 * struct pgtable_format - one architecture's page-table format.
 * @name:	"x86-64 4-level", ...
 * @levels:	levels that exist in memory (2, 3, 4 or 5)
 * @entry_size:	bytes per entry (4 or 8)
 * @shift:	address bits below each kernel level's index (folded: the level above's)
 * @ptrs:	entries per table (folded: 1)
 * @folded:	level has no table of its own
 * @leaf:	a PSE large page may end the walk at this level
 * @pfn_mask:	physical address bits of an entry (PTE_PFN_MASK)
 * @supported_mask: bits the CPU implements (drops NX on 2-level)
 * @top_table_flags: flags of a top-table entry pointing at a lower table
 *		(_PAGE_TABLE; PAE PDPTEs take only _PAGE_PRESENT)
 */
struct pgtable_format {
	const char *name;
	int levels;
	int entry_size;
	int shift[PGT_NR_LEVELS];
	unsigned int ptrs[PGT_NR_LEVELS];
	bool folded[PGT_NR_LEVELS];
	bool leaf[PGT_NR_LEVELS];
	u64 pfn_mask;
	u64 supported_mask;
	u64 top_table_flags;
};

extern const struct pgtable_format pgtable_x86_64_4level;
extern const struct pgtable_format pgtable_x86_64_5level;
extern const struct pgtable_format pgtable_x86_32_2level;
extern const struct pgtable_format pgtable_x86_32_pae;

/* The running machine's format (set by pgtable_arch_init() at boot). */
extern const struct pgtable_format *pgtable_fmt;

/* pgtable_l5_enabled - x86_64 booted with la57: five levels, 57-bit addresses. */
static inline bool pgtable_l5_enabled(void)
{
	return pgtable_fmt->levels == 5;
}

#define PGDIR_SHIFT	(pgtable_fmt->shift[PGT_PGD])
#define P4D_SHIFT	(pgtable_fmt->shift[PGT_P4D])
#define PUD_SHIFT	(pgtable_fmt->shift[PGT_PUD])
#define PMD_SHIFT	(pgtable_fmt->shift[PGT_PMD])
#define PTRS_PER_PGD	(pgtable_fmt->ptrs[PGT_PGD])
#define PTRS_PER_P4D	(pgtable_fmt->ptrs[PGT_P4D])
#define PTRS_PER_PUD	(pgtable_fmt->ptrs[PGT_PUD])
#define PTRS_PER_PMD	(pgtable_fmt->ptrs[PGT_PMD])
#define PTRS_PER_PTE	(pgtable_fmt->ptrs[PGT_PTE])
#define PGDIR_SIZE	(1ULL << PGDIR_SHIFT)
#define PUD_SIZE	(1ULL << PUD_SHIFT)
#define PMD_SIZE	(1ULL << PMD_SHIFT)
#define PUD_MASK	(~(PUD_SIZE - 1))
#define PMD_MASK	(~(PMD_SIZE - 1))
#define PTE_PFN_MASK	(pgtable_fmt->pfn_mask)
#define PTE_FLAGS_MASK	(~PTE_PFN_MASK)

typedef struct { u64 pte; } pte_t;
typedef struct { u64 pmd; } pmd_t;
typedef struct { u64 pud; } pud_t;
typedef struct { u64 p4d; } p4d_t;
typedef struct { u64 pgd; } pgd_t;

#define pte_val(x) ((x).pte)
#define pmd_val(x) ((x).pmd)
#define pud_val(x) ((x).pud)
#define p4d_val(x) ((x).p4d)
#define pgd_val(x) ((x).pgd)
#define __pte(x) ((pte_t){ (x) })
#define __pmd(x) ((pmd_t){ (x) })
#define __pud(x) ((pud_t){ (x) })
#define __p4d(x) ((p4d_t){ (x) })
#define __pgd(x) ((pgd_t){ (x) })

/*
 * Raw entry access: one atomic load/store of entry_size bytes.  Stores
 * release and loads acquire, so a walker that sees a new table entry also
 * sees the zeroed table behind it (the kernel's smp_wmb() before
 * pmd_populate() and the address dependency of the walk); on x86 both are
 * plain moves.
 */
static inline u64 pgtable_entry_read(const void *p)
{
	if (pgtable_fmt->entry_size == 4)
		return __atomic_load_n((const u32 *)p, __ATOMIC_ACQUIRE);
	return __atomic_load_n((const u64 *)p, __ATOMIC_ACQUIRE);
}

static inline void pgtable_entry_write(void *p, u64 v)
{
	if (pgtable_fmt->entry_size == 4)
		__atomic_store_n((u32 *)p, (u32)v, __ATOMIC_RELEASE);
	else
		__atomic_store_n((u64 *)p, v, __ATOMIC_RELEASE);
}

/* Index of @addr in a table of kernel level @lvl. */
static inline unsigned long pgtable_index(enum pgtable_level lvl, u64 addr)
{
	return (unsigned long)((addr >> pgtable_fmt->shift[lvl]) & (pgtable_fmt->ptrs[lvl] - 1));
}

/*
 * True if level @lvl answers _none()/_present() for its entry: the level
 * below is not folded onto it (the pte level always answers).
 */
static inline bool pgtable_level_checks(enum pgtable_level lvl)
{
	return lvl == PGT_PTE || !pgtable_fmt->folded[lvl + 1];
}

/* The host address of the table an entry value points to (tables are lowmem). */
static inline void *pgtable_entry_table(u64 val)
{
	return __va(val & PTE_PFN_MASK);
}

/* Step from the entry @parent of level @lvl - 1 to the entry for @addr at @lvl. */
static inline void *pgtable_offset(enum pgtable_level lvl, void *parent, u64 addr)
{
	if (pgtable_fmt->folded[lvl])
		return parent;
	return (char *)pgtable_entry_table(pgtable_entry_read(parent)) +
	       pgtable_index(lvl, addr) * (unsigned long)pgtable_fmt->entry_size;
}

static inline bool pgtable_entry_none(enum pgtable_level lvl, u64 v)
{
	return pgtable_level_checks(lvl) && v == 0;
}

static inline bool pgtable_entry_present(enum pgtable_level lvl, u64 v)
{
	return !pgtable_level_checks(lvl) || (v & (_PAGE_PRESENT | _PAGE_PROTNONE));
}

/* pgd/p4d/pud/pmd/pte offsets (the kernel's names). */
static inline pgd_t *pgd_offset_pgd(void *pgd_table, u64 addr)
{
	return (pgd_t *)((char *)pgd_table +
			 pgtable_index(PGT_PGD, addr) * (unsigned long)pgtable_fmt->entry_size);
}
#define pgd_offset(mm, addr) pgd_offset_pgd((mm)->pgd, (addr))
#define pgd_offset_k(addr) pgd_offset(&init_mm, (addr))

static inline p4d_t *p4d_offset(pgd_t *pgd, u64 addr)
{
	return pgtable_offset(PGT_P4D, pgd, addr);
}

static inline pud_t *pud_offset(p4d_t *p4d, u64 addr)
{
	return pgtable_offset(PGT_PUD, p4d, addr);
}

static inline pmd_t *pmd_offset(pud_t *pud, u64 addr)
{
	return pgtable_offset(PGT_PMD, pud, addr);
}

static inline pte_t *pte_offset_kernel(pmd_t *pmd, u64 addr)
{
	return pgtable_offset(PGT_PTE, pmd, addr);
}

static inline pgd_t pgdp_get(const pgd_t *p) { return __pgd(pgtable_entry_read(p)); }
static inline p4d_t p4dp_get(const p4d_t *p) { return __p4d(pgtable_entry_read(p)); }
static inline pud_t pudp_get(const pud_t *p) { return __pud(pgtable_entry_read(p)); }
static inline pmd_t pmdp_get(const pmd_t *p) { return __pmd(pgtable_entry_read(p)); }
static inline pte_t ptep_get(const pte_t *p) { return __pte(pgtable_entry_read(p)); }

static inline void set_pgd(pgd_t *p, pgd_t v) { pgtable_entry_write(p, pgd_val(v)); }
static inline void set_p4d(p4d_t *p, p4d_t v) { pgtable_entry_write(p, p4d_val(v)); }
static inline void set_pud(pud_t *p, pud_t v) { pgtable_entry_write(p, pud_val(v)); }
static inline void set_pmd(pmd_t *p, pmd_t v) { pgtable_entry_write(p, pmd_val(v)); }
static inline void set_pte(pte_t *p, pte_t v) { pgtable_entry_write(p, pte_val(v)); }
static inline void pte_clear(pte_t *p) { pgtable_entry_write(p, 0); }
static inline void pmd_clear(pmd_t *p) { pgtable_entry_write(p, 0); }
static inline void pud_clear(pud_t *p) { pgtable_entry_write(p, 0); }

static inline bool pgd_none(pgd_t v) { return pgtable_entry_none(PGT_PGD, pgd_val(v)); }
static inline bool p4d_none(p4d_t v) { return pgtable_entry_none(PGT_P4D, p4d_val(v)); }
static inline bool pud_none(pud_t v) { return pgtable_entry_none(PGT_PUD, pud_val(v)); }
static inline bool pmd_none(pmd_t v) { return pgtable_entry_none(PGT_PMD, pmd_val(v)); }
static inline bool pte_none(pte_t v) { return pte_val(v) == 0; }
static inline bool pgd_present(pgd_t v) { return pgtable_entry_present(PGT_PGD, pgd_val(v)); }
static inline bool p4d_present(p4d_t v) { return pgtable_entry_present(PGT_P4D, p4d_val(v)); }
static inline bool pud_present(pud_t v) { return pgtable_entry_present(PGT_PUD, pud_val(v)); }
static inline bool pmd_present(pmd_t v) { return pgtable_entry_present(PGT_PMD, pmd_val(v)); }
static inline bool pte_present(pte_t v) { return pte_val(v) & (_PAGE_PRESENT | _PAGE_PROTNONE); }

/* Large-page leaves (pud_leaf only where the format allows 1 GiB pages). */
static inline bool pud_leaf(pud_t v)
{
	return pgtable_fmt->leaf[PGT_PUD] && !pgtable_fmt->folded[PGT_PUD] &&
	       (pud_val(v) & (_PAGE_PSE | _PAGE_PRESENT)) == (_PAGE_PSE | _PAGE_PRESENT);
}

static inline bool pmd_leaf(pmd_t v)
{
	return (pmd_val(v) & (_PAGE_PSE | _PAGE_PRESENT)) == (_PAGE_PSE | _PAGE_PRESENT);
}

static inline unsigned long pte_pfn(pte_t v) { return (unsigned long)((pte_val(v) & PTE_PFN_MASK) >> PAGE_SHIFT); }
static inline unsigned long pmd_pfn(pmd_t v) { return (unsigned long)((pmd_val(v) & PTE_PFN_MASK) >> PAGE_SHIFT); }
static inline unsigned long pud_pfn(pud_t v) { return (unsigned long)((pud_val(v) & PTE_PFN_MASK) >> PAGE_SHIFT); }
static inline u64 pte_flags(pte_t v) { return pte_val(v) & PTE_FLAGS_MASK; }
#define pte_page(pte) pfn_to_page(pte_pfn(pte))

static inline pte_t pfn_pte(unsigned long pfn, pgprot_t prot)
{
	return __pte((PFN_PHYS(pfn) & PTE_PFN_MASK) | (pgprot_val(prot) & __supported_pte_mask));
}

static inline pmd_t pfn_pmd(unsigned long pfn, pgprot_t prot)
{
	return __pmd((PFN_PHYS(pfn) & PTE_PFN_MASK) | (pgprot_val(prot) & __supported_pte_mask));
}

static inline pud_t pfn_pud(unsigned long pfn, pgprot_t prot)
{
	return __pud((PFN_PHYS(pfn) & PTE_PFN_MASK) | (pgprot_val(prot) & __supported_pte_mask));
}

#define mk_pte(page, prot) pfn_pte(page_to_pfn(page), (prot))

static inline bool pte_write(pte_t v) { return pte_val(v) & _PAGE_RW; }
static inline bool pte_dirty(pte_t v) { return pte_val(v) & _PAGE_DIRTY; }
static inline bool pte_young(pte_t v) { return pte_val(v) & _PAGE_ACCESSED; }
static inline bool pte_global(pte_t v) { return pte_val(v) & _PAGE_GLOBAL; }
static inline bool pte_exec(pte_t v) { return !(pte_val(v) & _PAGE_NX); }
static inline bool pte_special(pte_t v) { return pte_val(v) & _PAGE_SPECIAL; }
static inline bool pte_same(pte_t a, pte_t b) { return pte_val(a) == pte_val(b); }

/* PTE modifiers (arch/x86/include/asm/pgtable.h). */
static inline pte_t pte_mkwrite(pte_t v) { return __pte(pte_val(v) | _PAGE_RW); }
static inline pte_t pte_wrprotect(pte_t v) { return __pte(pte_val(v) & ~_PAGE_RW); }
static inline pte_t pte_mkdirty(pte_t v) { return __pte(pte_val(v) | _PAGE_DIRTY); }
static inline pte_t pte_mkclean(pte_t v) { return __pte(pte_val(v) & ~_PAGE_DIRTY); }
static inline pte_t pte_mkyoung(pte_t v) { return __pte(pte_val(v) | _PAGE_ACCESSED); }
static inline pte_t pte_mkold(pte_t v) { return __pte(pte_val(v) & ~_PAGE_ACCESSED); }
static inline pte_t pte_mkspecial(pte_t v) { return __pte(pte_val(v) | _PAGE_SPECIAL); }

/*
 * _PAGE_CHG_MASK: what pte_modify() keeps of the old entry (frame, cache
 * bits, special, accessed, dirty); the protection bits come from @newprot.
 */
#define _PAGE_CHG_MASK (PTE_PFN_MASK | _PAGE_PCD | _PAGE_PWT | _PAGE_SPECIAL | _PAGE_ACCESSED | \
			_PAGE_DIRTY)

static inline pte_t pte_modify(pte_t v, pgprot_t newprot)
{
	return __pte((pte_val(v) & _PAGE_CHG_MASK) |
		     (pgprot_val(newprot) & __supported_pte_mask & ~_PAGE_CHG_MASK));
}

/* One atomic exchange of the entry (ptep_get_and_clear: hardware may be setting A/D). */
static inline pte_t ptep_get_and_clear(pte_t *p)
{
	if (pgtable_fmt->entry_size == 4)
		return __pte(__atomic_exchange_n((u32 *)p, 0, __ATOMIC_ACQ_REL));
	return __pte(__atomic_exchange_n((u64 *)p, 0, __ATOMIC_ACQ_REL));
}

/* Compare-and-exchange of an entry (the hardware's locked A/D update). */
static inline bool pgtable_entry_cmpxchg(void *p, u64 old, u64 new)
{
	if (pgtable_fmt->entry_size == 4) {
		u32 o = (u32)old;

		return __atomic_compare_exchange_n((u32 *)p, &o, (u32)new, false, __ATOMIC_ACQ_REL,
						   __ATOMIC_ACQUIRE);
	}
	return __atomic_compare_exchange_n((u64 *)p, &old, new, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE);
}

/*
 * Split page-table locks (USE_SPLIT_PTE_PTLOCKS, on as in every kernel with
 * NR_CPUS >= 4): each PTE table page carries its own spinlock in its
 * struct page (ptdesc->ptl), which guards the entries of that table; the
 * mm's page_table_lock guards the upper levels (populating and clearing
 * pgd/p4d/pud/pmd entries).  Lock order: page_table_lock -> a PTE lock.
 *
 *   pmd entry --> PTE table page [pte 0 .. pte 511]   lock: that page's ptl
 */
#define USE_SPLIT_PTE_PTLOCKS 1

/* ptep_lockptr - the lock of the PTE table that contains @ptep. */
static inline spinlock_t *ptep_lockptr(const pte_t *ptep)
{
	return &virt_to_page((void *)ptep)->ptl;
}

/* pte_lockptr - the lock of the PTE table @pmd points to. */
static inline spinlock_t *pte_lockptr(struct mm_struct *mm, pmd_t *pmd)
{
	(void)mm;
	return &virt_to_page(pgtable_entry_table(pmd_val(pmdp_get(pmd))))->ptl;
}

/*
 * pte_offset_map_lock - the PTE for @addr in the table @pmd points to,
 * with that table's lock taken (*@ptlp).  Context: the table must not go
 * away: mmap_lock held, or page_table_lock held while looking it up.
 */
static inline pte_t *pte_offset_map_lock(struct mm_struct *mm, pmd_t *pmd, u64 addr,
					 spinlock_t **ptlp)
{
	pte_t *pte = pte_offset_kernel(pmd, addr);

	*ptlp = pte_lockptr(mm, pmd);
	spin_lock(*ptlp);
	return pte;
}

static inline void pte_unmap_unlock(pte_t *pte, spinlock_t *ptl)
{
	(void)pte;
	spin_unlock(ptl);
}

/*
 * The kernel's page tables.  Only what the page tables need lives here;
 * user address spaces (issue 7) extend struct mm_struct.
 */
extern struct mm_struct init_mm;

/*
 * The kernel's virtual windows of the running machine, computed at boot
 * from the arch model (arch/x86/pgtable.c) as the kernel's macros compute
 * them.  x86_32 (pgtable_32_areas.h, fixmap.h), NR_CPUS = 64:
 *
 *   FIXADDR_TOP 0xfffff000  fixmap, permanent part: FIX_KMAP_BEGIN.. holds
 *                           KM_MAX_IDX slots per CPU; __fix_to_virt(i) =
 *                           FIXADDR_TOP - i * PAGE_SIZE (grows down)
 *   FIXADDR_TOT_START       + the boot-time btmap slots
 *   CPU_ENTRY_AREA_BASE     PMD-aligned below the fixmap
 *   LDT_BASE_ADDR           one PMD below that
 *   PKMAP_BASE              one PMD below that: LAST_PKMAP pages (4 / 2 MiB)
 *   VMALLOC_END             PKMAP_BASE - 2 pages
 *   VMALLOC_START           high_memory + VMALLOC_OFFSET (8 MiB)
 *   PAGE_OFFSET 0xc0000000  lowmem (direct map) up to high_memory
 *
 * x86_64: VMALLOC_START 0xffffc90000000000, VMALLOC_END 0xffffe8ffffffffff
 * (inclusive, as the kernel defines it); no pkmap or fixmap kmap slots.
 */
#define KM_MAX_IDX 16
#define VMALLOC_OFFSET (8 * SZ_1M)

struct kernel_vm_layout {
	u64 page_offset;
	u64 high_memory;		/* end of lowmem's virtual range */
	u64 vmalloc_start, vmalloc_end;
	u64 pkmap_base;			/* 0 on x86_64 */
	unsigned int last_pkmap;
	u64 ldt_base;
	u64 cpu_entry_area_base, cpu_entry_area_map_size;
	u64 fixaddr_top, fixaddr_start, fixaddr_tot_start;
	unsigned int fix_kmap_begin, fix_kmap_end;
};

extern struct kernel_vm_layout kernel_layout;

#define PAGE_OFFSET		(kernel_layout.page_offset)
#define VMALLOC_START		(kernel_layout.vmalloc_start)
#define VMALLOC_END		(kernel_layout.vmalloc_end)
#define VMALLOC_TOTAL		(VMALLOC_END - VMALLOC_START)
#define PKMAP_BASE		(kernel_layout.pkmap_base)
#define LAST_PKMAP		(kernel_layout.last_pkmap)
#define LAST_PKMAP_MASK		(LAST_PKMAP - 1)
#define PKMAP_NR(virt)		((unsigned long)(((virt) - PKMAP_BASE) >> PAGE_SHIFT))
#define PKMAP_ADDR(nr)		(PKMAP_BASE + ((u64)(nr) << PAGE_SHIFT))
#define FIXADDR_TOP		(kernel_layout.fixaddr_top)
#define FIXADDR_START		(kernel_layout.fixaddr_start)
#define FIXADDR_TOT_START	(kernel_layout.fixaddr_tot_start)
#define FIX_KMAP_BEGIN		(kernel_layout.fix_kmap_begin)
#define FIX_KMAP_END		(kernel_layout.fix_kmap_end)
#define __fix_to_virt(x)	(FIXADDR_TOP - ((u64)(x) << PAGE_SHIFT))
#define __virt_to_fix(x)	((unsigned int)((FIXADDR_TOP - ((x) & PAGE_MASK_U64)) >> PAGE_SHIFT))
#define PAGE_MASK_U64		(~(u64)(PAGE_SIZE - 1))

/*
 * pgtable_arch_init - pick the running arch's page-table format and compute
 * kernel_layout (needs max_low_pfn).  Context: boot, before init_mm_init().
 */
void pgtable_arch_init(void);

#endif /* LINMM_PGTABLE_H */
