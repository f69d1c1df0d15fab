/* SPDX-License-Identifier: MIT */
/*
 * migrate.h - moving pages between page frames (include/linux/migrate.h).
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

/*
 * migration_entry_wait - a fault found a migration entry at @ptep of @mm:
 * wait until the migration has finished with it (the page lock), then the
 * access is retried.  Context: mmap_lock (read); no page_table_lock.
 */
void migration_entry_wait(struct mm_struct *mm, pte_t *ptep);

#endif /* LINMM_MIGRATE_H */
