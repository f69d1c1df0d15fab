// SPDX-License-Identifier: MIT
/*
 * swap.c - the LRU lists: adding pages, the two-touch activation, and
 * removal (mm/swap.c, include/linux/mm_inline.h).
 *
 * Each node has one lruvec (pgdat->__lruvec) with five lists; a page on a
 * list has PG_lru, and PG_active when it is on an active list.  The lists
 * are ordered newest first (list_add at the head), as the kernel's; reclaim
 * (the next issue) takes from the tail.
 *
 *   inactive_file:  head [newest] ... [oldest] tail
 *                        ^ folio_add_lru()
 *   active_file:    head [just activated] ... tail
 *
 * Only page-cache pages use the lists so far; anonymous pages join them
 * with reclaim.  A page of an unevictable mapping (a SHM_LOCKed segment)
 * goes to the unevictable list when it is added (unevictable_pgs_culled);
 * pages already on a list stay there (the kernel moves them when reclaim
 * meets them), and check_move_unevictable_folios() brings them back after
 * SHM_UNLOCK (unevictable_pgs_rescued).  Differences from the kernel: no per-CPU folio batches (a
 * page is on its list as soon as it is added, so the counters are exact),
 * no workingset shadow entries, no MGLRU.
 *
 * Invariants (validate_lru()): PG_lru iff on a list; PG_active iff on an
 * active list; each list's length equals its NR_LRU_BASE + lru counter.
 * Locks: lruvec->lru_lock protects the lists and PG_lru/PG_active.
 */
#include <linmm/pagemap.h>
#include <linmm/printk.h>
#include <linmm/swap.h>
#include <linmm/vmstat.h>

#include "mm/internal.h"

void lruvec_init(struct lruvec *lruvec)
{
	for (int lru = 0; lru < NR_LRU_LISTS; lru++)
		INIT_LIST_HEAD(&lruvec->lists[lru]);
	spin_lock_init(&lruvec->lru_lock);
}

static struct lruvec *page_lruvec(const struct page *page)
{
	return &page_pgdat(page)->__lruvec;
}

/* folio_is_file_lru(): page cache that is not swap-backed (shmem is). */
static bool page_is_file_lru(const struct page *page)
{
	return !PageSwapBacked(page);
}

enum lru_list page_lru(const struct page *page)
{
	enum lru_list lru;

	if (PageUnevictable(page))
		return LRU_UNEVICTABLE;
	lru = page_is_file_lru(page) ? LRU_INACTIVE_FILE : LRU_INACTIVE_ANON;
	if (PageActive(page))
		lru += 1;	/* LRU_ACTIVE = 1 */
	return lru;
}

/* update_lru_size(): the node counter and, for the zone, NR_ZONE_LRU_BASE + lru. */
static void update_lru_size(struct page *page, enum lru_list lru, long nr)
{
	__mod_node_page_state(page_pgdat(page), NR_LRU_BASE + lru, nr);
	__mod_zone_page_state(page_zone(page), NR_ZONE_LRU_BASE + lru, nr);
}

static void lruvec_add_folio(struct lruvec *lruvec, struct page *page)
{
	enum lru_list lru = page_lru(page);

	lockdep_assert_held(&lruvec->lru_lock);
	update_lru_size(page, lru, 1);
	list_add(&page->lru, &lruvec->lists[lru]);
}

static void lruvec_del_folio(struct lruvec *lruvec, struct page *page)
{
	lockdep_assert_held(&lruvec->lru_lock);
	list_del(&page->lru);
	update_lru_size(page, page_lru(page), -1);
}

/**
 * folio_add_lru - put a page on its node's LRU (lru_add() of the batch).
 * @page: a page that is not on any list (new in the page cache)
 *
 * Context: takes the node's lru_lock.
 */
void folio_add_lru(struct page *page)
{
	struct lruvec *lruvec = page_lruvec(page);
	bool was_unevictable = PageUnevictable(page);

	VM_BUG_ON(PageLRU(page));
	spin_lock(&lruvec->lru_lock);
	/* lru_add(): a page of an unevictable mapping goes to the unevictable list. */
	ClearPageUnevictable(page);
	if (folio_evictable(page)) {
		if (was_unevictable)
			__count_vm_events(UNEVICTABLE_PGS_RESCUED, 1);
	} else {
		ClearPageActive(page);
		SetPageUnevictable(page);
		if (!was_unevictable)
			__count_vm_events(UNEVICTABLE_PGS_CULLED, 1);
	}
	SetPageLRU(page);
	lruvec_add_folio(lruvec, page);
	spin_unlock(&lruvec->lru_lock);
}

/**
 * lru_cache_del - take a page off its list (__page_cache_release()).
 * @page: the page; nothing happens if it is not on a list
 *
 * PG_active is cleared too: the page starts afresh if it comes back.
 * Context: takes the node's lru_lock.
 */
void lru_cache_del(struct page *page)
{
	struct lruvec *lruvec = page_lruvec(page);

	spin_lock(&lruvec->lru_lock);
	if (PageLRU(page)) {
		lruvec_del_folio(lruvec, page);
		ClearPageLRU(page);
		ClearPageActive(page);
		ClearPageUnevictable(page);	/* __folio_clear_lru_flags() */
	}
	spin_unlock(&lruvec->lru_lock);
}

/*
 * folio_evictable(): may reclaim take @page?  Not when its mapping is
 * unevictable (SHM_LOCK) or it is mlocked.
 */
bool folio_evictable(const struct page *page)
{
	const struct address_space *mapping = NULL;

	if (!PageAnon(page))
		mapping = page_file_mapping(page);
	return !mapping_unevictable(mapping) && !PageMlocked(page);
}

/**
 * check_move_unevictable_folios - move pages that became evictable back to
 * the evictable lists (mm/vmscan.c; reclaim is not modelled yet, so it
 * lives with the lists).
 * @pages: the pages, each with a reference held by the caller
 * @nr: how many
 *
 * Counts every page as unevictable_pgs_scanned and each moved one as
 * unevictable_pgs_rescued, as the kernel does after SHM_UNLOCK.
 * Context: takes each page's lru_lock.
 */
void check_move_unevictable_folios(struct page **pages, unsigned int nr)
{
	unsigned long scanned = 0, rescued = 0;

	for (unsigned int i = 0; i < nr; i++) {
		struct page *page = pages[i];
		struct lruvec *lruvec = page_lruvec(page);

		scanned++;
		spin_lock(&lruvec->lru_lock);
		if (PageLRU(page) && PageUnevictable(page) && folio_evictable(page)) {
			lruvec_del_folio(lruvec, page);
			ClearPageUnevictable(page);
			lruvec_add_folio(lruvec, page);
			rescued++;
		}
		spin_unlock(&lruvec->lru_lock);
	}
	if (scanned)
		count_vm_events(UNEVICTABLE_PGS_SCANNED, scanned);
	if (rescued)
		count_vm_events(UNEVICTABLE_PGS_RESCUED, rescued);
}

/* folio_activate(): move an inactive page on a list to the active list. */
static void folio_activate(struct page *page)
{
	struct lruvec *lruvec = page_lruvec(page);

	spin_lock(&lruvec->lru_lock);
	if (PageLRU(page) && !PageActive(page) && !PageUnevictable(page)) {
		lruvec_del_folio(lruvec, page);
		SetPageActive(page);
		lruvec_add_folio(lruvec, page);
		__count_vm_events(PGACTIVATE, 1);
	}
	spin_unlock(&lruvec->lru_lock);
}

/**
 * mark_page_accessed - note a use of @page (folio_mark_accessed()).
 * @page: a page-cache page
 *
 * inactive,unreferenced -> inactive,referenced -> active,unreferenced;
 * an active page just stays referenced.  Clears PG_idle.
 * Context: takes the node's lru_lock when it activates.
 */
void mark_page_accessed(struct page *page)
{
	if (!PageReferenced(page)) {
		SetPageReferenced(page);
	} else if (!PageUnevictable(page) && !PageActive(page)) {
		if (PageLRU(page))
			folio_activate(page);
		else
			SetPageActive(page);	/* __lru_cache_activate_folio() */
		ClearPageReferenced(page);
	}
	clear_page_flag(page, PG_idle);
}

int validate_lru(int nid)
{
	pg_data_t *pgdat = NODE_DATA(nid);
	struct lruvec *lruvec = &pgdat->__lruvec;
	int ret = 0;

	refresh_vm_stats();	/* exact counters to compare with */
	spin_lock(&lruvec->lru_lock);
	for (int lru = 0; lru < NR_LRU_LISTS && !ret; lru++) {
		long n = 0;
		struct page *page;

		list_for_each_entry(page, &lruvec->lists[lru], lru) {
			n++;
			if (!PageLRU(page) || page_to_nid(page) != nid || page_lru(page) != lru) {
				pr_err("lru: node %d list %d: pfn %#lx flags %#lx belongs on list %d\n",
				       nid, lru, page_to_pfn(page), page->flags, (int)page_lru(page));
				ret = -EINVAL;
				break;
			}
		}
		if (!ret && n != node_page_state(pgdat, NR_LRU_BASE + lru)) {
			pr_err("lru: node %d list %d has %ld pages, counter %ld\n", nid, lru, n,
			       node_page_state(pgdat, NR_LRU_BASE + lru));
			ret = -EINVAL;
		}
	}
	spin_unlock(&lruvec->lru_lock);
	return ret;
}
