// SPDX-License-Identifier: MIT
/*
 * rmap.c - anon_vma and the anonymous page's mapping (mm/rmap.c), minimal.
 *
 * What exists: anon_vma_prepare() gives a VMA its anon_vma at the first
 * anonymous fault, reusing the anon_vma of an adjacent compatible VMA
 * (same flags except access rights and soft-dirty, contiguous pgoff, same
 * backing) as find_mergeable_anon_vma() does, so that mprotect can merge
 * the pieces back; the rmap calls set and count what a page carries
 * (mapping, index, _mapcount, AnonPages); anon_vma_fork() gives a
 * child's VMA an anon_vma of its own whose root is the parent's.  What
 * does not exist yet: anon_vma_chain, the interval tree and rmap walks
 * (rmap_walk, page_referenced, try_to_unmap) - a page inherited through
 * fork still points at the parent's anon_vma, and nothing walks from an
 * anon_vma to its VMAs.  Without chains an anon_vma cannot tell when its
 * last VMA goes, so the anon_vmas of an mm live on mm->anon_vmas until
 * the mm dies (a page outliving its parent mm keeps a stale mapping
 * pointer that only PageAnon() reads, until the page is freed).
 *
 * Locks: mm->page_table_lock serialises setting vma->anon_vma (the
 * kernel's anon_vma lock + page_table_lock in __anon_vma_prepare) and the
 * mm's list.  _mapcount changes are atomic; the caller holds the PTE's lock.
 */
#include <string.h>

#include <linmm/mmap.h>
#include <linmm/rmap.h>
#include <linmm/slab.h>
#include <linmm/vmstat.h>

#include "mm/internal.h"

static struct kmem_cache *anon_vma_cachep;
static spinlock_t anon_vma_cache_lock = __SPIN_LOCK_UNLOCKED;

static struct anon_vma *anon_vma_alloc(void)
{
	struct anon_vma *av;

	spin_lock(&anon_vma_cache_lock);
	if (!anon_vma_cachep)
		anon_vma_cachep = kmem_cache_create("anon_vma", sizeof(struct anon_vma), 0,
						    SLAB_ACCOUNT, NULL);
	spin_unlock(&anon_vma_cache_lock);
	if (!anon_vma_cachep)
		return NULL;
	av = kmem_cache_alloc(anon_vma_cachep, GFP_KERNEL);
	if (!av)
		return NULL;
	memset(av, 0, sizeof(*av));
	av->root = av;
	atomic_store(&av->refcount, 1);
	return av;
}

/* anon_vma_compatible(): @a and @b could be one VMA but for their rights. */
static bool anon_vma_compatible(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_file == b->vm_file &&
	       a->vm_shmem_ino == b->vm_shmem_ino &&
	       !((a->vm_flags ^ b->vm_flags) & ~(VM_ACCESS_FLAGS | VM_SOFTDIRTY)) &&
	       b->vm_pgoff == a->vm_pgoff + vma_pages(a);
}

/* find_mergeable_anon_vma(): the anon_vma of a neighbour @vma could merge with. */
static struct anon_vma *find_mergeable_anon_vma(struct vm_area_struct *vma)
{
	struct vm_area_struct *next = vma_next(vma), *prev = vma_prev(vma);

	if (next && next->anon_vma && anon_vma_compatible(vma, next))
		return next->anon_vma;
	if (prev && prev->anon_vma && anon_vma_compatible(prev, vma))
		return prev->anon_vma;
	return NULL;
}

int anon_vma_prepare(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct anon_vma *av, *fresh = NULL;

	if (vma->anon_vma)
		return 0;
	av = find_mergeable_anon_vma(vma);
	if (!av) {
		fresh = anon_vma_alloc();
		if (!fresh)
			return -ENOMEM;
		av = fresh;
	}
	spin_lock(&mm->page_table_lock);
	if (!vma->anon_vma) {
		vma->anon_vma = av;
		av->num_active_vmas++;
		if (fresh) {
			fresh->mm_next = mm->anon_vmas;
			mm->anon_vmas = fresh;
			fresh = NULL;
		}
	}
	spin_unlock(&mm->page_table_lock);
	if (fresh)
		kmem_cache_free(anon_vma_cachep, fresh);
	return 0;
}

int anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct anon_vma *av;

	vma->anon_vma = NULL;
	if (!pvma->anon_vma)
		return 0;
	av = anon_vma_alloc();
	if (!av)
		return -ENOMEM;
	av->root = pvma->anon_vma->root;
	pvma->anon_vma->num_children++;
	av->num_active_vmas = 1;
	spin_lock(&mm->page_table_lock);
	vma->anon_vma = av;
	av->mm_next = mm->anon_vmas;
	mm->anon_vmas = av;
	spin_unlock(&mm->page_table_lock);
	return 0;
}

void folio_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma,
			     unsigned long address)
{
	page->mapping = (void *)((uintptr_t)vma->anon_vma | PAGE_MAPPING_ANON);
	page->index = ((address - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
	SetPageSwapBacked(page);
	SetPageAnonExclusive(page);
	atomic_store(&page->_mapcount, 0);
	mod_node_page_state(page_pgdat(page), NR_ANON_MAPPED, 1);
}

void folio_add_anon_rmap_pte(struct page *page)
{
	atomic_fetch_add(&page->_mapcount, 1);
}

void folio_remove_rmap_pte(struct page *page)
{
	if (atomic_fetch_sub(&page->_mapcount, 1) == 0 && PageAnon(page))
		mod_node_page_state(page_pgdat(page), NR_ANON_MAPPED, -1);
}

struct anon_vma *page_anon_vma(const struct page *page)
{
	uintptr_t m = (uintptr_t)page->mapping;

	return m & PAGE_MAPPING_ANON ? (struct anon_vma *)(m - PAGE_MAPPING_ANON) : NULL;
}

void unlink_anon_vmas_mm(struct mm_struct *mm)
{
	while (mm->anon_vmas) {
		struct anon_vma *av = mm->anon_vmas;

		mm->anon_vmas = av->mm_next;
		kmem_cache_free(anon_vma_cachep, av);
	}
}

void rmap_teardown(void)
{
	if (anon_vma_cachep)
		kmem_cache_destroy(anon_vma_cachep);
	anon_vma_cachep = NULL;
}
