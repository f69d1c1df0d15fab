/* SPDX-License-Identifier: MIT */
/*
 * swap.h - the LRU lists' API (include/linux/swap.h, mm/swap.c,
 * include/linux/mm_inline.h).
 *
 * Page-cache pages join their node's inactive file list when they enter
 * the cache (folio_add_lru()); the second access (mark_page_accessed())
 * moves a page to the active list, as the kernel's two-touch rule does:
 *
 *   new page: inactive, !referenced --access--> inactive, referenced
 *             --access--> active, !referenced (pgactivate)
 *
 * Unlike the kernel, pages go to the lists at once rather than through
 * per-CPU folio batches, so the NR_*_FILE counters never lag.
 */
#ifndef LINMM_SWAP_H
#define LINMM_SWAP_H

#include <linmm/mm.h>

/* folio_add_lru - put the new @page on its node's inactive (file) list. */
void folio_add_lru(struct page *page);
/*
 * folio_evictable - may @page be reclaimed: not if its mapping is
 * unevictable (SHM_LOCK, mapping_set_unevictable()) or it is mlocked.
 * folio_add_lru() puts a page that is not on the unevictable list.
 */
bool folio_evictable(const struct page *page);
/* check_move_unevictable_folios - after an unlock: @nr referenced pages back to evictable lists. */
void check_move_unevictable_folios(struct page **pages, unsigned int nr);
/* lru_cache_del - take @page off its LRU list (PG_lru cleared); no-op if not on one. */
void lru_cache_del(struct page *page);
/* mark_page_accessed - the two-touch rule above (folio_mark_accessed()). */
void mark_page_accessed(struct page *page);
/* page_lru - the list @page belongs on (folio_lru_list()). */
enum lru_list page_lru(const struct page *page);
/*
 * validate_lru - every page on node @nid's lists has PG_lru, PG_active
 * matching the list, and the lists' lengths equal NR_LRU_BASE+lru counters.
 * Return: 0 or -EINVAL after a pr_err().
 */
int validate_lru(int nid);

#endif /* LINMM_SWAP_H */
