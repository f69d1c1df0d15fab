// SPDX-License-Identifier: MIT
/*
 * migrate.c - moving an anonymous page to another page frame
 * (mm/migrate.c: migrate_pages' unmap/move/remap for one small anonymous
 * folio, and try_to_migrate from mm/rmap.c).
 *
 * The page is locked, then every PTE that maps it - in every mm, found by
 * the rmap walk - becomes a migration entry (a non-present entry naming
 * the old pfn and whether it was writable, include/linmm/swapops.h) and
 * its TLB entry is flushed; once nobody can reach the old page, its data
 * is copied and each migration entry becomes a PTE of the new page with
 * the old entry's bits:
 *
 *   before   P: pte -> old   C: pte -> old          old: mapcount 2, ref 2
 *   unmap    P: mig(old)     C: mig(old)            old: mapcount 0, ref 1 (ours)
 *   copy     old -> new
 *   remap    P: pte -> new   C: pte -> new          new: mapcount 2, ref 2
 *   put      old freed
 *
 * A fault on a migration entry waits for the page lock and retries
 * (migration_entry_wait).  If anything but the mappings holds the page
 * (a pin, a gathered unmap that has not flushed yet), the move is
 * abandoned and the entries point at the old page again (-EAGAIN), as
 * folio_migrate_mapping() refuses an unexpected reference count.
 *
 * Locks: the page lock, then the anon_vma lock (read, held from unmap to
 * remap so no mapping VMA can go away), then each mm's page_table_lock
 * (the table stays while it is held) and the PTE table's split lock.
 * The caller holds no mmap_lock (migration works on other tasks' mms).
 */
#include <linmm/gfp.h>
#include <linmm/highmem.h>
#include <linmm/memblock.h>
#include <linmm/migrate.h>
#include <linmm/pagemap.h>
#include <linmm/rmap.h>
#include <linmm/slab.h>
#include <linmm/swapops.h>
#include <linmm/tlbflush.h>
#include <linmm/vmstat.h>

#include "mm/internal.h"

/* One mapping turned into a migration entry: where, and what the PTE was. */
struct migration_target {
	struct vm_area_struct *vma;
	unsigned long addr;
	pte_t orig;
};

struct migrate_arg {
	struct migration_target *t;
	unsigned int nr, max;
	int err;
};

/* try_to_migrate_one(): the PTE of @page at @addr becomes a migration entry. */
static bool try_to_migrate_one(struct page *page, struct vm_area_struct *vma,
			       unsigned long addr, pte_t *ptep, void *arg)
{
	struct migrate_arg *ma = arg;
	pte_t old;
	swp_entry_t e;

	if (ma->nr == ma->max) {
		ma->err = -ENOMEM;
		return false;
	}
	old = ptep_get_and_clear(ptep);
	flush_tlb_page(vma, addr);	/* ptep_clear_flush: no CPU may still write the old frame */
	e = make_migration_entry(page_to_pfn(page), pte_write(old), PageAnonExclusive(page));
	set_pte(ptep, swp_entry_to_pte(e));
	ma->t[ma->nr++] = (struct migration_target){ .vma = vma, .addr = addr, .orig = old };
	folio_remove_rmap_pte(page);
	put_page(page);			/* the mapping's reference */
	return true;
}

/*
 * remove_migration_ptes(): each entry still naming @old (a zap may have
 * cleared one meanwhile) maps @new with the original entry's bits.
 */
static void remove_migration_ptes(struct page *old, struct page *new, struct migrate_arg *ma)
{
	for (unsigned int i = 0; i < ma->nr; i++) {
		struct migration_target *t = &ma->t[i];
		struct mm_struct *mm = t->vma->vm_mm;
		pte_t cur, *ptep;

		/* Looked up again: an munmap may have freed the table meanwhile. */
		spin_lock(&mm->page_table_lock);
		ptep = mm_find_pte(mm, t->addr);
		if (!ptep) {
			spin_unlock(&mm->page_table_lock);
			continue;
		}
		spin_lock(ptep_lockptr(ptep));
		cur = ptep_get(ptep);
		if (is_swap_pte(cur) && is_migration_entry(pte_to_swp_entry(cur)) &&
		    swp_offset_pfn(pte_to_swp_entry(cur)) == page_to_pfn(old)) {
			get_page(new);
			folio_add_anon_rmap_pte(new);
			set_pte(ptep, pfn_pte(page_to_pfn(new), __pgprot(pte_flags(t->orig))));
		}
		spin_unlock(ptep_lockptr(ptep));
		spin_unlock(&mm->page_table_lock);
	}
}

/* The anonymous identity of @old passes to @new (folio_migrate_flags / mapping). */
static void migrate_page_states(struct page *new, struct page *old)
{
	new->mapping = old->mapping;
	new->index = old->index;
	SetPageSwapBacked(new);
	if (PageAnonExclusive(old))
		SetPageAnonExclusive(new);
	if (PageDirty(old))
		SetPageDirty(new);
	/* The new page starts unmapped; each remapped PTE counts it once. */
	atomic_store(&new->_mapcount, -1);
}

int migrate_anon_page(struct page *page, int nid, struct page **newpagep)
{
	struct migrate_arg ma = { 0 };
	struct rmap_walk_control rwc = { .arg = &ma, .rmap_one = try_to_migrate_one };
	struct anon_vma *av;
	struct page *new;
	int err = 0;

	if (newpagep)
		*newpagep = NULL;
	if (!PageAnon(page) || PageCompound(page) || !page_mapped(page))
		return -EINVAL;
	new = nid == NUMA_NO_NODE ? alloc_page(GFP_HIGHUSER_MOVABLE)
				  : alloc_pages_node(nid, GFP_HIGHUSER_MOVABLE | __GFP_THISNODE, 0);
	if (!new)
		return -ENOMEM;
	ma.max = (unsigned int)page_mapcount(page) + 1;
	ma.t = kmalloc_array(ma.max, sizeof(*ma.t), GFP_KERNEL);
	if (!ma.t) {
		put_page(new);
		return -ENOMEM;
	}
	get_page(page);			/* isolation: ours until the end */
	lock_page(page);
	av = page_anon_vma(page);
	anon_vma_lock_read(av);		/* held to the remap: the VMAs stay */
	rmap_walk_locked(page, &rwc);
	if (!ma.err && (page_mapped(page) || page_ref_count(page) != 1))
		ma.err = -EAGAIN;	/* a mapping we could not reach, or a pin */
	if (ma.err) {
		err = ma.err;
		remove_migration_ptes(page, page, &ma);
		anon_vma_unlock_read(av);
		unlock_page(page);
		put_page(page);
		put_page(new);
		goto out;
	}
	copy_highpage(new, page);
	migrate_page_states(new, page);
	/* AnonPages: the old page left it at its last unmap, the new one joins at its first map. */
	remove_migration_ptes(page, new, &ma);
	anon_vma_unlock_read(av);
	unlock_page(page);
	count_vm_event(PGMIGRATE_SUCCESS);
	put_page(page);			/* the old page is freed here */
	if (newpagep)
		*newpagep = new;
	put_page(new);			/* the allocation's reference: the mappings hold it */
out:
	kfree(ma.t);
	return err;
}

void migration_entry_wait(struct mm_struct *mm, pte_t *ptep)
{
	struct page *page = NULL;
	pte_t pte;

	(void)mm;
	spin_lock(ptep_lockptr(ptep));	/* mmap_lock held: the table stays */
	pte = ptep_get(ptep);
	/*
	 * Still a migration entry under the lock: the migration has not
	 * remapped it, so it still holds its reference on the old page.
	 */
	if (is_swap_pte(pte) && is_migration_entry(pte_to_swp_entry(pte)) &&
	    pfn_valid(swp_offset_pfn(pte_to_swp_entry(pte)))) {
		page = pfn_to_page(swp_offset_pfn(pte_to_swp_entry(pte)));
		get_page(page);
	}
	spin_unlock(ptep_lockptr(ptep));
	if (!page)
		return;
	/* The migration holds the page lock from unmap to remap. */
	lock_page(page);
	unlock_page(page);
	put_page(page);
}
