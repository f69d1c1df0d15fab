/* SPDX-License-Identifier: MIT */
/*
 * migrate.h - moving pages between page frames (include/linux/migrate.h):
 * anonymous pages and page-cache (file and shmem) pages.
 * See mm/migrate.c for the unmap / copy / remap sequence.
 */
#ifndef LINMM_MIGRATE_H
#define LINMM_MIGRATE_H

#include <linmm/mm_types.h>
#include <linmm/pgtable.h>

/**
 * migrate_anon_page - move a mapped anonymous page to a new page frame
 * @page: a small anonymous page mapped by at least one PTE
 * @nid: the node to allocate the new page on, or NUMA_NO_NODE
 * @newpagep: the new page (out, may be NULL); valid while it stays mapped
 *
 * Every PTE of every mm that maps @page (the rmap walk) maps the new page
 * afterwards, with the same bits; the old page is freed.
 * Context: no mmap_lock or page_table_lock held; takes the page lock, the
 * anon_vma lock (read) and each mapping mm's page_table_lock.
 * Return: 0; -EINVAL (not a mapped small anonymous page), -ENOMEM, or
 * -EAGAIN (someone else holds a reference: nothing changed).
 */
int migrate_anon_page(struct page *page, int nid, struct page **newpagep);

/**
 * migrate_file_page - move a page-cache page (a file's or shmem's) to a new page frame
 * @page: a small page in a page cache, mapped or not
 * @nid: the node to allocate the new page on, or NUMA_NO_NODE
 * @newpagep: the new page (out, may be NULL); valid while it stays cached
 *
 * The new page takes the old one's place in the mapping's xarray with its
 * data, flags (dirty, uptodate, referenced, active, ...) and LRU list;
 * every PTE that mapped the old page maps the new one, with the same bits;
 * the old page is freed.  A page under writeback is waited for first.
 * Context: no mmap_lock, page lock or page_table_lock held; takes the page
 * lock, i_mmap_rwsem (read) and each mapping mm's page_table_lock.
 * Return: 0; -EINVAL (not a small page-cache page), -ENOMEM, -EBUSY (not
 * on an LRU list: truncated or isolated by someone else) or -EAGAIN
 * (someone else holds a reference: nothing changed).
 */
int migrate_file_page(struct page *page, int nid, struct page **newpagep);

/*
 * migration_entry_wait - a fault found a migration entry at @ptep of @mm:
 * wait until the migration has finished with it (the page lock), then the
 * access is retried.  Context: mmap_lock (read); no page_table_lock.
 */
void migration_entry_wait(struct mm_struct *mm, pte_t *ptep);

#endif /* LINMM_MIGRATE_H */
