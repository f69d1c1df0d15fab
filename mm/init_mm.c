/* SPDX-License-Identifier: MIT */
/*
 * init_mm.c - the kernel's page tables (init_mm) and its virtual windows.
 *
 * Mirrors mm/init-mm.c, the kernel-table parts of arch/x86/mm/init_64.c /
 * init_32.c (kernel_physical_mapping_init) and mm/vmalloc.c's
 * vmap_pages_range()/vunmap_range() at the page-table level.
 *
 * init_mm.pgd and every table below it are pages of simulated RAM (memblock
 * at boot, the page allocator afterwards), in the running arch's format
 * (include/linmm/pgtable.h).  Two kinds of kernel mapping are described:
 *
 *   direct map   all of lowmem (x86_64: all RAM), described as
 *                init_memory_mapping() maps it: 1 GiB (x86_64) and 2 MiB /
 *                4 MiB (x86_32 PSE) large pages where the range is aligned,
 *                4 KiB pages at the edges.  The host mapping behind it is
 *                arch/x86/init.c's reservation.
 *   the window   one host reservation standing for the top of the kernel's
 *                address space where pages are mapped one by one:
 *                x86_64: [VMALLOC_START, + VMALLOC_HOST_SIZE) of the 32 TiB
 *                vmalloc area (host address space is finite, sanitizers
 *                need theirs); x86_32: [VMALLOC_START, 4 GiB), which holds
 *                vmalloc, pkmap, the cpu entry area and the fixmap.
 *
 *     kva:  PAGE_OFFSET ..direct map..  high_memory  8M  VMALLOC_START ..window.. top
 *     host: linmm_direct_map + (kva - PAGE_OFFSET)        window_host + (kva - VMALLOC_START)
 *
 * kernel_map_pages() writes the PTEs and maps each page's memfd offset at
 * the matching host address, so a software walk of init_mm and the host
 * MMU agree on every mapped page; kernel_unmap_pages() clears PTEs and
 * turns the host range back into a PROT_NONE hole, so stray accesses
 * really fault.  The host mapping plays the TLB: vmalloc's lazy free clears
 * the PTEs at once (kernel_unmap_pages_noflush()) and drops the host view
 * at its purge (kernel_flush_range()), as the kernel defers
 * flush_tlb_kernel_range(); in between the host still reaches the old,
 * possibly freed, pages, as stale TLB entries do.
 * Page-table pages are never freed while the machine runs (the kernel keeps
 * vmalloc's tables too) and are not counted in NR_PAGETABLE (the kernel
 * does not count init_mm's tables); init_mm.pgtables_bytes counts them.
 *
 * Locks: init_mm.page_table_lock serialises populating a table entry (a
 * table is allocated outside the lock and freed if someone else won).
 * Leaf PTEs of one range belong to its owner (a vmap_area, a pkmap slot),
 * so setting and clearing them needs no lock.  Lookups are lockless.
 */
#include <string.h>

#include <linmm/gfp.h>
#include <linmm/memblock.h>
#include <linmm/pgtable.h>
#include <linmm/printk.h>

#include "arch/arch.h"
#include "kernel/host.h"
#include "kernel/machine.h"
#include "kernel/physmem.h"
#include "mm/internal.h"

#define VMALLOC_HOST_SIZE (16 * SZ_1G)	/* x86_64: the part of the 32 TiB backed by host VA */

struct mm_struct init_mm;

static char *window_host;	/* host address of window_kva */
static u64 window_kva;
static u64 window_size;
static bool pgtable_from_buddy;	/* after boot: tables from the page allocator */

/* A zeroed page for a page table, or NULL. */
static void *pgtable_alloc_page(void)
{
	void *p;

	if (pgtable_from_buddy) {
		struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

		if (!page)
			return NULL;
		p = page_address(page);
	} else {
		phys_addr_t pa = memblock_phys_alloc_range(PAGE_SIZE, PAGE_SIZE, 0,
							   MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);

		if (!pa)
			return NULL;
		p = __va(pa);
		memset(p, 0, PAGE_SIZE);
	}
	atomic_fetch_add(&init_mm.pgtables_bytes, (long)PAGE_SIZE);
	return p;
}

static void pgtable_free_page(void *p)
{
	atomic_fetch_sub(&init_mm.pgtables_bytes, (long)PAGE_SIZE);
	if (pgtable_from_buddy)
		__free_page(virt_to_page(p));
	else if (memblock_phys_free(__pa(p), PAGE_SIZE))
		pr_warn("init_mm: page table at %#llx not in memblock\n",
			(unsigned long long)__pa(p));
}

/*
 * Make the entry @e of kernel level @lvl point to a table, allocating one if
 * it is empty.  Table entries carry _PAGE_TABLE as the kernel's
 * pmd_populate_kernel()/pud_populate() write them (0x67: "PMD 1a8d067" in
 * oops dumps); PAE's top-level PDPTEs only _PAGE_PRESENT.
 * Return: 0, -ENOMEM, or -EEXIST if @e maps a large page.
 */
static int pgtable_populate(enum pgtable_level lvl, void *e)
{
	u64 flags = lvl == PGT_PGD ? pgtable_fmt->top_table_flags : _PAGE_TABLE;
	u64 v = pgtable_entry_read(e);
	void *table;

	if (v)
		return v & _PAGE_PSE ? -EEXIST : 0;
	table = pgtable_alloc_page();
	if (!table)
		return -ENOMEM;
	spin_lock(&init_mm.page_table_lock);
	v = pgtable_entry_read(e);
	if (!v)
		pgtable_entry_write(e, (__pa(table) & PTE_PFN_MASK) | flags);
	spin_unlock(&init_mm.page_table_lock);
	if (v) {
		pgtable_free_page(table);
		return v & _PAGE_PSE ? -EEXIST : 0;
	}
	return 0;
}

/*
 * Walk from the pgd towards @stop for @kva.  With @alloc, missing tables
 * are created.  Return the entry of level @stop, or NULL (no table, or a
 * large page on the way; *@err says which when @alloc).
 */
static void *pgtable_walk(u64 kva, enum pgtable_level stop, bool alloc, int *err)
{
	enum pgtable_level prev = PGT_PGD;
	void *e = pgd_offset_k(kva);

	for (int lvl = PGT_P4D; lvl <= (int)stop; lvl++) {
		u64 v;

		if (pgtable_fmt->folded[lvl])
			continue;
		v = pgtable_entry_read(e);
		if (!v || (v & _PAGE_PSE)) {
			int ret;

			if (!alloc)
				return NULL;
			ret = pgtable_populate(prev, e);
			if (ret) {
				*err = ret;
				return NULL;
			}
		}
		e = pgtable_offset(lvl, e, kva);
		prev = lvl;
	}
	return e;
}

/* ---- the direct map ---- */

/* Largest leaf level that fits @addr..@end, or PGT_PTE. */
static enum pgtable_level direct_map_leaf(u64 phys, u64 end)
{
	static const enum pgtable_level order[] = { PGT_PUD, PGT_PMD };

	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		enum pgtable_level lvl = order[i];
		u64 size = 1ULL << pgtable_fmt->shift[lvl];

		if (!pgtable_fmt->leaf[lvl])
			continue;
		if (IS_ALIGNED(phys, size) && phys + size <= end)
			return lvl;
	}
	return PGT_PTE;
}

/**
 * kernel_physical_mapping_init - describe [start, end) of the direct map in init_mm
 * @start: first physical byte (page aligned)
 * @end: end of the range (page aligned)
 *
 * Large pages where aligned (x86_64: 1 GiB, 2 MiB; x86_32: 4 MiB / PAE
 * 2 MiB), 4 KiB pages at the edges, all PAGE_KERNEL.  Entries already
 * present, and parts already inside a large page, are left as they are.
 *
 * Context: boot or memory hotplug.
 * Return: 0 or -ENOMEM.
 */
int kernel_physical_mapping_init(phys_addr_t start, phys_addr_t end)
{
	u64 phys = start;
	int err = 0;

	while (phys < end) {
		enum pgtable_level lvl = direct_map_leaf(phys, end);
		u64 kva = PAGE_OFFSET + phys;
		u64 size = 1ULL << (lvl == PGT_PTE ? PAGE_SHIFT : pgtable_fmt->shift[lvl]);
		void *e = pgtable_walk(kva, lvl, /* alloc = */ true, &err);

		if (!e && err != -EEXIST)
			return err;
		if (!e) {
			/* A large page already covers @phys: skip to its end. */
			enum pgtable_level l = PGT_PMD;

			kernel_walk_entry(kva, &l);
			size = 1ULL << pgtable_fmt->shift[l];
			phys = ALIGN_DOWN(phys, size) + size;
			err = 0;
			continue;
		}
		if (!pgtable_entry_read(e)) {
			pgprot_t prot = lvl == PGT_PTE ? PAGE_KERNEL : PAGE_KERNEL_LARGE;

			pgtable_entry_write(e, pte_val(pfn_pte(PHYS_PFN(phys), prot)));
		}
		phys += size;
	}
	return 0;
}

/* ---- the window ---- */

static bool in_window(u64 kva, u64 len)
{
	return kva >= window_kva && kva - window_kva <= window_size &&
	       len <= window_size - (kva - window_kva);
}

/**
 * kva_to_host - the host address standing for a simulated kernel address
 * @kva: kernel virtual address in the arch's layout
 *
 * Context: any; lockless.
 * Return: the host pointer (direct map or window), NULL outside both.
 */
void *kva_to_host(u64 kva)
{
	if (kva >= PAGE_OFFSET && kva - PAGE_OFFSET < direct_map_window_size())
		return linmm_direct_map + (kva - PAGE_OFFSET);
	if (window_host && in_window(kva, 1))
		return window_host + (kva - window_kva);
	return NULL;
}

/**
 * host_to_kva - the simulated kernel address a host pointer stands for
 * @p: host pointer
 *
 * Context: any, async-signal-safe (the fault handler calls it).
 * Return: the kva, or 0 if @p is in neither the direct map nor the window.
 */
u64 host_to_kva(const void *p)
{
	const char *c = p;

	if (linmm_direct_map && c >= linmm_direct_map &&
	    (u64)(c - linmm_direct_map) < direct_map_window_size())
		return PAGE_OFFSET + (u64)(c - linmm_direct_map);
	if (window_host && c >= window_host && (u64)(c - window_host) < window_size)
		return window_kva + (u64)(c - window_host);
	return 0;
}

/**
 * kernel_window_range - the part of the kernel's address space backed by the window
 * @start: out, first kva
 * @end: out, end kva (exclusive)
 *
 * Context: machine booted.
 */
void kernel_window_range(u64 *start, u64 *end)
{
	*start = window_kva;
	*end = window_kva + window_size;
}

static enum linmm_prot host_prot(pgprot_t prot)
{
	u64 v = pgprot_val(prot);

	if (!(v & _PAGE_PRESENT))
		return LINMM_PROT_NONE;
	return v & _PAGE_RW ? LINMM_PROT_RW : LINMM_PROT_READ;
}

/* Map the memfd pages behind @pages[0..nr) at host @addr, one mmap per physical run. */
static int host_map_run(char *addr, struct page **pages, unsigned int nr, enum linmm_prot prot)
{
	unsigned int i = 0;

	while (i < nr) {
		unsigned long pfn = page_to_pfn(pages[i]);
		int nid = page_to_nid(pages[i]);
		const struct linmm_node_ram *r = &node_ram[nid];
		unsigned int n = 1;
		int ret;

		while (i + n < nr && page_to_pfn(pages[i + n]) == pfn + n &&
		       page_to_nid(pages[i + n]) == nid)
			n++;
		if (r->fd < 0)
			ret = linmm_host_map_anon(addr + (u64)i * PAGE_SIZE, (u64)n * PAGE_SIZE, prot);
		else
			ret = linmm_host_map_fd(addr + (u64)i * PAGE_SIZE, (u64)n * PAGE_SIZE, r->fd,
						PFN_PHYS(pfn) - r->base, prot);
		if (ret)
			return ret;
		i += n;
	}
	return 0;
}

/*
 * The PTE for @kva, walking from the pgd only when @pte is NULL or @kva
 * starts a new PTE table; otherwise the next entry of the same table (a
 * range walk touches each table once, as vmap_pte_range() does).
 */
static pte_t *pte_next(pte_t *pte, u64 kva, bool alloc, int *err)
{
	if (pte && pgtable_index(PGT_PTE, kva))
		return (pte_t *)((char *)pte + pgtable_fmt->entry_size);
	return pgtable_walk(kva, PGT_PTE, alloc, err);
}

/**
 * kernel_map_pages - map pages at consecutive kernel addresses of the window
 * @kva: first address, page aligned, inside the window
 * @pages: the pages, any zone (HighMem too), any node
 * @nr: how many
 * @prot: PAGE_KERNEL, PAGE_KERNEL_RO, ... (host protection follows RW/present)
 *
 * Writes one PTE per page in init_mm (tables allocated as needed) and maps
 * each page's memfd offset at the matching host address, one host call per
 * physically contiguous run.  On failure nothing stays mapped.
 *
 * Context: may allocate page tables (GFP_KERNEL); the caller owns the range.
 * Return: 0, -EINVAL (unaligned or outside the window), -EEXIST (a PTE is
 * already set), -ENOMEM (page table) or the host's error.
 */
int kernel_map_pages(u64 kva, struct page **pages, unsigned int nr, pgprot_t prot)
{
	pte_t *pte = NULL;
	unsigned int i;
	int err = 0;

	if (!IS_ALIGNED(kva, PAGE_SIZE) || !window_host || !in_window(kva, (u64)nr * PAGE_SIZE))
		return -EINVAL;
	for (i = 0; i < nr; i++) {
		pte = pte_next(pte, kva + (u64)i * PAGE_SIZE, /* alloc = */ true, &err);
		if (!pte)
			goto out_unmap;
		if (!pte_none(ptep_get(pte))) {
			err = -EEXIST;
			goto out_unmap;
		}
		set_pte(pte, mk_pte(pages[i], prot));
	}
	err = host_map_run(window_host + (kva - window_kva), pages, nr, host_prot(prot));
	if (!err)
		return 0;
out_unmap:
	kernel_unmap_pages(kva, i);
	return err;
}

/**
 * kernel_unmap_pages_noflush - clear @nr PTEs from @kva, leave the host mapping
 * @kva: first address (page aligned, inside the window)
 * @nr: pages
 *
 * The kernel's vunmap_range_noflush(): init_mm no longer maps the range
 * (a walk finds nothing), but the host mapping, which plays the TLB, still
 * reaches the old pages until kernel_flush_range() covers the range.  The
 * caller must not map the range again before that flush.
 * Context: the caller owns the range; tables are kept.
 */
void kernel_unmap_pages_noflush(u64 kva, unsigned int nr)
{
	pte_t *pte = NULL;

	if (!nr || !window_host || !in_window(kva, (u64)nr * PAGE_SIZE))
		return;
	for (unsigned int i = 0; i < nr; i++) {
		u64 a = kva + (u64)i * PAGE_SIZE;

		pte = pte_next(pte, a, /* alloc = */ false, NULL);
		if (!pte) {
			/* No table here: skip to the next one. */
			u64 span = (u64)pgtable_fmt->ptrs[PGT_PTE] << PAGE_SHIFT;
			u64 next = ALIGN_DOWN(a, span) + span;

			i = (unsigned int)min((u64)nr, (next - kva) >> PAGE_SHIFT) - 1;
			continue;
		}
		pte_clear(pte);
	}
}

/**
 * kernel_flush_range - drop the host's view of [@start, @end) of the window
 * @start: first address (page aligned)
 * @end: end (page aligned)
 *
 * The host side of flush_tlb_kernel_range(): the range becomes a PROT_NONE
 * hole again, with one host call, so any access faults.  Only ranges whose
 * PTEs are clear may be passed (nothing live is in them).
 * Context: the caller owns the range.
 */
void kernel_flush_range(u64 start, u64 end)
{
	if (start >= end || !window_host || !in_window(start, end - start))
		return;
	linmm_host_unmap(window_host + (start - window_kva), end - start);
}

/**
 * kernel_unmap_pages - clear @nr PTEs from @kva and unmap the host range
 * @kva: first address (page aligned, inside the window)
 * @nr: pages
 *
 * kernel_unmap_pages_noflush() and kernel_flush_range() together: the host
 * range is a PROT_NONE hole again at once, so an access faults.  No TLB
 * flush is counted here: that is the caller's (vmalloc's lazy purge, the
 * pkmap flush).
 * Context: the caller owns the range; tables are kept.
 */
void kernel_unmap_pages(u64 kva, unsigned int nr)
{
	if (!nr || !window_host || !in_window(kva, (u64)nr * PAGE_SIZE))
		return;
	kernel_unmap_pages_noflush(kva, nr);
	kernel_flush_range(kva, kva + (u64)nr * PAGE_SIZE);
}

/**
 * kernel_walk_entry - software walk of init_mm down to the leaf mapping @kva
 * @kva: kernel virtual address
 * @level: out (may be NULL), kernel level of the leaf (PGT_PTE, PGT_PMD, PGT_PUD)
 *
 * Context: any; lockless.
 * Return: the leaf entry value, 0 if @kva is not mapped.
 */
u64 kernel_walk_entry(u64 kva, enum pgtable_level *level)
{
	void *e;

	if (!init_mm.pgd)
		return 0;
	e = pgd_offset_k(kva);
	for (int lvl = PGT_P4D; lvl <= PGT_PTE; lvl++) {
		u64 v;

		if (pgtable_fmt->folded[lvl])
			continue;
		v = pgtable_entry_read(e);
		if (!(v & _PAGE_PRESENT))
			return 0;
		if (v & _PAGE_PSE) {
			if (level)
				*level = (enum pgtable_level)(lvl - 1);	/* lowest level sharing e */
			return v;
		}
		e = pgtable_offset(lvl, e, kva);
	}
	if (level)
		*level = PGT_PTE;
	return pgtable_entry_read(e) & _PAGE_PRESENT ? pgtable_entry_read(e) : 0;
}

/**
 * kernel_walk_page - the page init_mm maps at @kva
 * @kva: any kernel address (direct map, window)
 *
 * Context: any; lockless.
 * Return: the struct page (inside a large page: the 4 KiB page at @kva), or
 * NULL if nothing is mapped or the frame has no struct page.
 */
struct page *kernel_walk_page(u64 kva)
{
	enum pgtable_level lvl;
	u64 v = kernel_walk_entry(kva, &lvl);
	unsigned long pfn;

	if (!v)
		return NULL;
	pfn = (unsigned long)((v & PTE_PFN_MASK) >> PAGE_SHIFT);
	if (lvl != PGT_PTE) {
		/* Large pages keep PAT in bit 12: the frame is aligned to the page size. */
		u64 size = 1ULL << pgtable_fmt->shift[lvl];

		pfn = (unsigned long)(((v & PTE_PFN_MASK & ~(size - 1)) | (kva & (size - 1))) >> PAGE_SHIFT);
	}
	return pfn_valid(pfn) ? pfn_to_page(pfn) : NULL;
}

/* ---- boot and shutdown ---- */

static int init_mm_window(void)
{
	int err = 0;

	window_kva = VMALLOC_START;
	window_size = linmm_arch->bits == 64 ? VMALLOC_HOST_SIZE : SZ_4G - VMALLOC_START;
	window_host = linmm_host_reserve(window_size, &err);
	if (!window_host) {
		linmm_set_error("the host refused to reserve %llu MiB of address space for the "
				"vmalloc window (%d)", (unsigned long long)(window_size >> 20), err);
		return err ? err : -ENOMEM;
	}
	return 0;
}

/* x86_32: the pkmap and kmap fixmap slots get their page tables up front (page_table_range_init). */
static int init_mm_prealloc_kmap_tables(void)
{
	u64 ranges[2][2] = {
		{ PKMAP_BASE, PKMAP_ADDR(LAST_PKMAP) },
		{ __fix_to_virt(FIX_KMAP_END), __fix_to_virt(FIX_KMAP_BEGIN) + PAGE_SIZE },
	};
	int err = 0;

	if (!PKMAP_BASE)
		return 0;
	for (int r = 0; r < 2; r++)
		for (u64 a = ranges[r][0]; a < ranges[r][1]; a += PAGE_SIZE)
			if (!pgtable_walk(a, PGT_PTE, /* alloc = */ true, &err))
				return err;
	return 0;
}

/**
 * init_mm_init - build init_mm: the pgd, the direct map of lowmem, the window
 *
 * Called by setup_arch() once the direct map's host mapping exists (page
 * tables are written through it).  Tables come from memblock.
 *
 * Context: boot.
 * Return: 0 or -errno (linmm_last_error() says why).
 */
int init_mm_init(void)
{
	const struct memblock_type *t = &memblock.memory;
	int ret;

	pgtable_arch_init();
	spin_lock_init(&init_mm.page_table_lock);
	atomic_store(&init_mm.pgtables_bytes, 0);
	pgtable_from_buddy = false;
	init_mm.pgd = pgtable_alloc_page();
	if (!init_mm.pgd) {
		linmm_set_error("no memory for init_mm's page tables");
		return -ENOMEM;
	}
	atomic_fetch_sub(&init_mm.pgtables_bytes, (long)PAGE_SIZE);	/* the pgd is not counted */
	for (unsigned long i = 0; i < t->cnt; i++) {
		phys_addr_t s = t->regions[i].base;
		phys_addr_t e = min(t->regions[i].base + t->regions[i].size, direct_map_end);

		if (s >= e)
			continue;
		ret = kernel_physical_mapping_init(PFN_PHYS(PFN_DOWN(s)), PFN_PHYS(PFN_UP(e)));
		if (ret)
			goto nomem;
	}
	ret = init_mm_window();
	if (ret)
		return ret;
	ret = init_mm_prealloc_kmap_tables();
	if (ret)
		goto nomem;
	return 0;
nomem:
	linmm_set_error("no memory for init_mm's page tables");
	return ret;
}

/**
 * init_mm_late_init - page tables come from the page allocator from now on
 *
 * Context: boot, after memblock_free_all() (vmalloc_init() calls it).
 */
void init_mm_late_init(void)
{
	pgtable_from_buddy = true;
}

/**
 * init_mm_teardown - release the window reservation and forget init_mm
 *
 * The tables themselves are simulated RAM and go with it.
 * Context: shutdown, before the direct map is released.
 */
void init_mm_teardown(void)
{
	if (window_host)
		linmm_host_release(window_host, window_size);
	window_host = NULL;
	window_kva = window_size = 0;
	init_mm.pgd = NULL;
	atomic_store(&init_mm.pgtables_bytes, 0);
	pgtable_from_buddy = false;
}
