// SPDX-License-Identifier: MIT
/*
 * migrate.c - moving a page to another page frame (mm/migrate.c:
 * migrate_pages' unmap/move/remap for one small folio, anonymous or in
 * the page cache, and try_to_migrate from mm/rmap.c).
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
 * A page-cache page (a file's or shmem's, mapped or not) is first taken
 * off its LRU list (isolation: our reference); after the unmap
 * folio_migrate_mapping() puts the new page into the old one's xarray
 * slot (its DIRTY/TOWRITE marks stay with the slot) with the cache's
 * reference, and the page's states go across (folio_migrate_flags):
 *
 *   i_pages[index]:  old (ref: cache + isolation)  ->  new (ref: cache + alloc)
 *   flags moved:     dirty, uptodate, referenced, active, unevictable,
 *                    workingset, readahead, young, idle; PG_lru by putback
 *   counters moved:  NR_FILE_PAGES, NR_SHMEM, NR_FILE_DIRTY and
 *                    NR_ZONE_WRITE_PENDING (dirty) when node/zone differ;
 *                    NR_FILE_MAPPED by the unmap and remap
 *
 * A fault on a migration entry waits for the page lock and retries
 * (migration_entry_wait).  If anything but the mappings (and, for a
 * page-cache page, the cache and the isolation) holds the page (a pin, a
 * gathered unmap that has not flushed yet, a reader between lookup and
 * put), the move is abandoned and the entries point at the old page
 * again (-EAGAIN), as folio_migrate_mapping() refuses an unexpected
 * reference count: it freezes the count (expected -> 0) under the xarray
 * lock, so no lookup can take a reference to the old page meanwhile.
 *
 * Locks: the page lock (old, then new), then the anon_vma lock or the
 * mapping's i_mmap_rwsem (read, held from unmap to remap so no mapping
 * VMA can go away), then each mm's page_table_lock (the table stays while
 * it is held) and the PTE table's split lock; xa_lock inside the page
 * locks, lru_lock inside xa_lock.  The caller holds no mmap_lock
 * (migration works on other tasks' mms).
 */
#include <linmm/gfp.h>
#include <linmm/highmem.h>
#include <linmm/memblock.h>
#include <linmm/migrate.h>
#include <linmm/pagemap.h>
#include <linmm/rmap.h>
#include <linmm/slab.h>
#include <linmm/swap.h>
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

/* page_ref_freeze(): the count from @count to 0, if it is @count (include/linux/page_ref.h). */
static bool page_ref_freeze(struct page *page, int count)
{
	int expected = count;

	return atomic_compare_exchange_strong(&page->_refcount, &expected, 0);
}

static void page_ref_unfreeze(struct page *page, int count)
{
	VM_BUG_ON(page_ref_count(page) != 0);
	atomic_store_explicit(&page->_refcount, count, memory_order_release);
}

/* get_page_unless_zero(): a reference, unless the page is frozen or free. */
static bool get_page_unless_zero(struct page *page)
{
	int v = page_ref_count(page);

	while (v > 0)
		if (atomic_compare_exchange_weak(&page->_refcount, &v, v + 1))
			return true;
	return false;
}

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
	/* A file page's writes through this PTE are recorded in the page now (the remap keeps D too). */
	if (!PageAnon(page) && pte_dirty(old))
		set_page_dirty(page);
	e = make_migration_entry(page_to_pfn(page), pte_write(old),
				 PageAnon(page) && PageAnonExclusive(page));
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
			if (PageAnon(new))
				folio_add_anon_rmap_pte(new);
			else
				folio_add_file_rmap_pte(new);
			set_pte(ptep, pfn_pte(page_to_pfn(new), __pgprot(pte_flags(t->orig))));
		}
		spin_unlock(ptep_lockptr(ptep));
		spin_unlock(&mm->page_table_lock);
	}
}

/*
 * folio_migrate_flags(): the states of @old pass to @new; PG_active and
 * PG_unevictable move (the old page is freed without them).
 */
static void folio_migrate_flags(struct page *new, struct page *old)
{
	static const enum pageflags copied[] = {
		PG_referenced, PG_uptodate, PG_workingset, PG_reclaim /* PG_readahead */,
		PG_young, PG_idle,
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(copied); i++)
		if (test_page_flag(old, copied[i]))
			set_page_flag(new, copied[i]);
	if (PageActive(old)) {
		ClearPageActive(old);
		SetPageActive(new);
	} else if (PageUnevictable(old)) {
		ClearPageUnevictable(old);
		SetPageUnevictable(new);
	}
	/* Dirty moved with the mapping for a page-cache page; an anonymous one's here. */
	if (PageDirty(old))
		SetPageDirty(new);
}

/* The anonymous identity of @old passes to @new (folio_migrate_mapping without a mapping). */
static void migrate_page_states(struct page *new, struct page *old)
{
	new->mapping = old->mapping;
	new->index = old->index;
	SetPageSwapBacked(new);
	if (PageAnonExclusive(old))
		SetPageAnonExclusive(new);
	folio_migrate_flags(new, old);
	/* The new page starts unmapped; each remapped PTE counts it once. */
	atomic_store(&new->_mapcount, -1);
}

static struct page *alloc_migration_target(int nid)
{
	return nid == NUMA_NO_NODE ? alloc_page(GFP_HIGHUSER_MOVABLE)
				   : alloc_pages_node(nid, GFP_HIGHUSER_MOVABLE | __GFP_THISNODE, 0);
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
	new = alloc_migration_target(nid);
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

/* Move @nr of node stat @item from @old's node to @new's (__mod_lruvec_state pairs). */
static void move_node_stat(struct page *old, struct page *new, enum node_stat_item item)
{
	__mod_node_page_state(page_pgdat(old), item, -1);
	__mod_node_page_state(page_pgdat(new), item, 1);
}

/*
 * folio_migrate_mapping(): @new takes @old's slot in @mapping, if nobody
 * but the cache and the isolation holds @old (expected refcount 2; its
 * PTEs are migration entries by now).  Context: both pages locked.
 * Return: 0, or -EAGAIN with nothing changed.
 */
static int folio_migrate_mapping(struct address_space *mapping, struct page *new,
				 struct page *old)
{
	int expected = 1 /* the cache */ + 1 /* isolation */ + page_mapcount(old);
	void *replaced;
	bool dirty;

	xa_lock(&mapping->i_pages);
	if (!page_ref_freeze(old, expected)) {
		xa_unlock(&mapping->i_pages);
		return -EAGAIN;
	}
	new->index = old->index;
	new->mapping = old->mapping;
	page_ref_inc(new);		/* the cache's reference */
	if (PageSwapBacked(old))
		SetPageSwapBacked(new);
	/* Dirty moves while the old page is frozen and the new one not yet visible. */
	dirty = PageDirty(old);
	if (dirty) {
		ClearPageDirty(old);
		SetPageDirty(new);
	}
	/* Replacing the entry keeps its marks (DIRTY, TOWRITE); no node is allocated. */
	replaced = __xa_store(&mapping->i_pages, old->index, new, GFP_ATOMIC);
	VM_BUG_ON(replaced != old);
	page_ref_unfreeze(old, expected - 1);	/* the cache's reference goes */
	if (page_zone(old) != page_zone(new)) {
		move_node_stat(old, new, NR_FILE_PAGES);
		if (PageSwapBacked(old))
			move_node_stat(old, new, NR_SHMEM);
		if (dirty && mapping_can_writeback(mapping)) {
			move_node_stat(old, new, NR_FILE_DIRTY);
			__mod_zone_page_state(page_zone(old), NR_ZONE_WRITE_PENDING, -1);
			__mod_zone_page_state(page_zone(new), NR_ZONE_WRITE_PENDING, 1);
		}
	}
	xa_unlock(&mapping->i_pages);
	return 0;
}

/*
 * isolate_file_page(): folio_isolate_lru() - off its list, with our
 * reference; PG_active and PG_unevictable are kept for the move.
 * Context: page locked, so truncation cannot take it off meanwhile.
 */
static bool isolate_file_page(struct page *page)
{
	unsigned long keep = page->flags & (1UL << PG_active | 1UL << PG_unevictable);

	if (!PageLRU(page))
		return false;
	get_page(page);
	lru_cache_del(page);
	__atomic_fetch_or(&page->flags, keep, __ATOMIC_RELAXED);
	return true;
}

/* folio_putback_lru(): back on the list its flags name, and the isolation reference dropped. */
static void putback_file_page(struct page *page)
{
	/* folio_add_lru() re-decides unevictable; it counts a cull only for a new one. */
	folio_add_lru(page);
	put_page(page);
}

int migrate_file_page(struct page *page, int nid, struct page **newpagep)
{
	struct migrate_arg ma = { 0 };
	struct rmap_walk_control rwc = { .arg = &ma, .rmap_one = try_to_migrate_one };
	struct address_space *mapping;
	struct page *new;
	int err;

	if (newpagep)
		*newpagep = NULL;
	if (PageAnon(page) || PageCompound(page) || !page->mapping)
		return -EINVAL;
	new = alloc_migration_target(nid);
	if (!new)
		return -ENOMEM;
	lock_page(page);
	mapping = page_file_mapping(page);
	if (!mapping || !isolate_file_page(page)) {
		err = -EBUSY;		/* truncated, or isolated by someone else */
		goto out_unlock;
	}
	wait_on_page_writeback(page);	/* MIGRATE_SYNC: a page under I/O cannot move */
	/* The new page is locked before anyone can find it in the cache. */
	set_page_flag(new, PG_locked);
	down_read(&mapping->i_mmap_rwsem);	/* held to the remap: the VMAs stay */
	/* No new PTE can map the page while we hold its lock: the count is exact. */
	ma.max = (unsigned int)page_mapcount(page);
	if (ma.max) {
		ma.t = kmalloc_array(ma.max, sizeof(*ma.t), GFP_KERNEL);
		if (!ma.t) {
			err = -ENOMEM;
			goto out_restore;
		}
		rmap_walk_locked(page, &rwc);
	}
	err = ma.err;
	if (!err && page_mapped(page))
		err = -EAGAIN;		/* a mapping we could not reach */
	if (!err) {
		/* __migrate_folio(): the data first, then the slot, then the states. */
		copy_highpage(new, page);
		err = folio_migrate_mapping(mapping, new, page);
	}
	if (err)
		goto out_restore;
	folio_migrate_flags(new, page);
	page->mapping = NULL;		/* a page-cache page leaves unowned (move_to_new_folio) */
	/* Mapped: the old page left NR_FILE_MAPPED at its last unmap, the new one joins here. */
	remove_migration_ptes(page, new, &ma);
	up_read(&mapping->i_mmap_rwsem);
	putback_file_page(new);		/* on the LRU, and the allocation's reference goes */
	unlock_page(new);
	unlock_page(page);
	count_vm_event(PGMIGRATE_SUCCESS);
	if (newpagep)
		*newpagep = new;
	put_page(page);			/* the isolation's reference: the old page is freed */
	kfree(ma.t);
	return 0;

out_restore:
	remove_migration_ptes(page, page, &ma);
	up_read(&mapping->i_mmap_rwsem);
	clear_page_flag(new, PG_locked);
	putback_file_page(page);
	kfree(ma.t);
out_unlock:
	unlock_page(page);
	put_page(new);
	count_vm_event(PGMIGRATE_FAIL);
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
		/* Frozen by folio_migrate_mapping() right now: it is about to be remapped. */
		if (!get_page_unless_zero(page))
			page = NULL;
	}
	spin_unlock(ptep_lockptr(ptep));
	if (!page)
		return;
	/* The migration holds the page lock from unmap to remap. */
	lock_page(page);
	unlock_page(page);
	put_page(page);
}
