/* SPDX-License-Identifier: MIT */
/*
 * rmap.h - the anonymous reverse-mapping anchor (include/linux/rmap.h).
 *
 * Minimal: one anon_vma per group of VMAs that took it (anon_vma_prepare()
 * reuses a compatible neighbour's, as find_mergeable_anon_vma() does), a
 * fresh one per child VMA at fork (root: the parent's), no anon_vma_chain
 * and no rmap walk yet, and the anon_vmas of an mm are freed with the mm.  A new anonymous page points
 * at its anon_vma through page->mapping (| PAGE_MAPPING_ANON) and records
 * its linear index (vm_pgoff + page offset in the VMA) in page->index, as
 * the kernel sets them.  _mapcount counts the PTEs mapping the page
 * (-1: none); the page's NR_ANON_MAPPED (AnonPages) counts while >= 0.
 */
#ifndef LINMM_RMAP_H
#define LINMM_RMAP_H

#include <linmm/mm_types.h>

struct anon_vma {
	struct anon_vma *root;		/* itself until fork links trees */
	_Atomic int refcount;
	unsigned long num_children;
	unsigned long num_active_vmas;
	struct anon_vma *mm_next;	/* on mm->anon_vmas */
};

/**
 * anon_vma_prepare - make sure @vma has an anon_vma (before its first anonymous page)
 * @vma: the VMA
 *
 * Context: mmap_lock held (read); takes mm->page_table_lock.
 * Return: 0 or -ENOMEM.
 */
int anon_vma_prepare(struct vm_area_struct *vma);

/*
 * anon_vma_fork - the child's VMA @vma (copied from @pvma) gets an anon_vma
 * of its own whose root is the parent's (no chain links it to the
 * parent's pages yet: rmap walks come with anon_vma_chain).
 * Context: the child's mm not yet visible.  Return: 0 or -ENOMEM.
 */
int anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma);

/*
 * folio_add_new_anon_rmap - @page (new, exclusive) is now mapped once at
 * @address of @vma: mapping/index set, _mapcount 0, SwapBacked, AnonPages + 1.
 */
void folio_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma,
			     unsigned long address);
/* folio_add_anon_rmap_pte - one more PTE maps the anonymous @page (fork). */
void folio_add_anon_rmap_pte(struct page *page);
/* folio_remove_rmap_pte - one PTE less maps @page; AnonPages - 1 when it was the last. */
void folio_remove_rmap_pte(struct page *page);

/* page_anon_vma - the anon_vma of an anonymous page, NULL otherwise. */
struct anon_vma *page_anon_vma(const struct page *page);

/* unlink_anon_vmas_mm - free every anon_vma of @mm (exit_mmap). Context: mm dying. */
void unlink_anon_vmas_mm(struct mm_struct *mm);

/* rmap_teardown - destroy the "anon_vma" cache (machine shutdown). */
void rmap_teardown(void);

#endif /* LINMM_RMAP_H */
