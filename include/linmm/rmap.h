/* SPDX-License-Identifier: MIT */
/*
 * rmap.h - reverse mapping of anonymous and page-cache pages
 * (include/linux/rmap.h).
 *
 * An anonymous page points at an anon_vma through page->mapping (| 
 * PAGE_MAPPING_ANON) and records its linear index (vm_pgoff + page offset
 * in the VMA that created it) in page->index.  The anon_vma keeps, in an
 * interval tree keyed by each VMA's [vm_pgoff, vm_pgoff + pages - 1], one
 * anon_vma_chain per VMA that may map its pages; each VMA keeps the list
 * of its own chains (vma->anon_vma_chain).  Fork links a child VMA to every
 * anon_vma its parent VMA is linked to, plus one new anon_vma of its own
 * whose parent is the parent VMA's anon_vma:
 *
 *   parent VMA P --avc--> AV_P <--avc-- child VMA C --avc--> AV_C (parent AV_P)
 *
 * so a page created by P (mapping AV_P) is found in P and in C, and a page
 * C copies on write (mapping AV_C) only in C and C's own children.
 * _mapcount counts the PTEs mapping a page (-1: none).
 *
 * A page-cache page (file or shmem) needs no anon_vma: page->mapping is
 * its address_space, whose i_mmap tree holds every VMA mapping the file,
 * so the VMAs covering page->index are the candidates (mm/rmap_file.c).
 *
 * Locks: the anon_vma lock is the root anon_vma's rwsem (write: changing
 * any tree of the hierarchy; read: rmap walks); a file's walks take its
 * i_mmap_rwsem for reading, with the page locked.  Lock order: mmap_lock
 * -> page lock -> anon_vma lock or i_mmap_rwsem -> page-table lock.
 */
#ifndef LINMM_RMAP_H
#define LINMM_RMAP_H

#include <linmm/list.h>
#include <linmm/mm_types.h>
#include <linmm/pgtable.h>
#include <linmm/rbtree.h>
#include <linmm/rwsem.h>

/**
 * struct anon_vma - the anchor of the anonymous pages of a family of VMAs.
 * @root:	the root of the fork hierarchy (itself for a first anon_vma);
 *		its @rwsem locks every tree of the hierarchy
 * @rwsem:	the anon_vma lock (used in the root only)
 * @refcount:	1 while its tree is not empty, +1 per anon_vma whose root it is
 * @parent:	the anon_vma this one was forked from (itself for a root)
 * @num_children: anon_vmas whose @parent this is and whose tree is not empty
 *		(a root counts its link to itself)
 *		(a root counts itself)
 * @num_active_vmas: VMAs whose vma->anon_vma is this one
 * @rb_root:	interval tree of anon_vma_chains by the VMA's pgoff range
 */
struct anon_vma {
	struct anon_vma *root;
	struct rw_semaphore rwsem;
	_Atomic int refcount;
	struct anon_vma *parent;
	unsigned long num_children;
	unsigned long num_active_vmas;
	struct rb_root rb_root;
};

/**
 * struct anon_vma_chain - one (VMA, anon_vma) link.
 * @vma:	the VMA that may map pages of @anon_vma
 * @anon_vma:	the anon_vma
 * @same_vma:	on vma->anon_vma_chain (newest first: the VMA's own
 *		anon_vma at the head, the root's at the tail)
 * @rb:		node in anon_vma->rb_root
 * @rb_subtree_last: the largest last pgoff in the subtree (augmented)
 */
struct anon_vma_chain {
	struct vm_area_struct *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma;
	struct rb_node rb;
	unsigned long rb_subtree_last;
};

/* ---- mm/interval_tree_anon.c: the anon_vma interval tree ---- */

/* First and last linear page index a VMA covers (vma_start_pgoff/vma_last_pgoff). */
unsigned long avc_start_pgoff(const struct anon_vma_chain *avc);
unsigned long avc_last_pgoff(const struct anon_vma_chain *avc);
void anon_vma_interval_tree_insert(struct anon_vma_chain *avc, struct rb_root *root);
void anon_vma_interval_tree_remove(struct anon_vma_chain *avc, struct rb_root *root);
/* The first / next chain in @root whose range meets [@first, @last], or NULL. */
struct anon_vma_chain *anon_vma_interval_tree_iter_first(struct rb_root *root,
							 unsigned long first, unsigned long last);
struct anon_vma_chain *anon_vma_interval_tree_iter_next(struct anon_vma_chain *avc,
							unsigned long first, unsigned long last);
/* 0 if every key and augmented value of @root is right; -EINVAL (printed) otherwise. */
int anon_vma_interval_tree_verify(struct rb_root *root);

#define anon_vma_interval_tree_foreach(avc, root, start, last)			\
	for (avc = anon_vma_interval_tree_iter_first(root, start, last); avc;	\
	     avc = anon_vma_interval_tree_iter_next(avc, start, last))

/*
 * anon_vma_interval_tree_pre_update_vma/post_update_vma - take @vma's
 * chains out of their trees before its vm_start/vm_end/vm_pgoff change, and
 * put them back after.  Context: mmap_lock (write) and the anon_vma lock.
 */
void anon_vma_interval_tree_pre_update_vma(struct vm_area_struct *vma);
void anon_vma_interval_tree_post_update_vma(struct vm_area_struct *vma);

/* ---- mm/rmap.c ---- */

void anon_vma_lock_write(struct anon_vma *anon_vma);
void anon_vma_unlock_write(struct anon_vma *anon_vma);
void anon_vma_lock_read(struct anon_vma *anon_vma);
void anon_vma_unlock_read(struct anon_vma *anon_vma);

/**
 * anon_vma_prepare - make sure @vma has an anon_vma (before its first anonymous page)
 * @vma: the VMA
 *
 * Reuses a compatible neighbour's anon_vma (find_mergeable_anon_vma), so
 * that an mprotect split can merge back, or allocates a new one.
 * Context: mmap_lock held (read); takes the anon_vma lock and page_table_lock.
 * Return: 0 or -ENOMEM.
 */
int anon_vma_prepare(struct vm_area_struct *vma);

/**
 * anon_vma_clone - link @dst to every anon_vma @src is linked to
 * @dst: a new VMA (split piece, mremap copy, fork child), its chain empty
 * @src: the VMA it was made from
 *
 * If @dst->anon_vma is NULL (fork), an anon_vma of the hierarchy with no
 * VMA left and fewer than two children is reused for it.
 * Context: mmap_lock (write) of @dst's mm.  Return: 0, or -ENOMEM with
 * @dst unlinked again and @dst->anon_vma NULL.
 */
int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src);

/**
 * anon_vma_fork - give the fork child's VMA @vma (copied from @pvma) its rmap links
 * @vma: the child's VMA (a vm_area_dup() of @pvma, chain empty)
 * @pvma: the parent's VMA
 *
 * The child is linked to every anon_vma of @pvma (anon_vma_clone) and
 * gets an anon_vma of its own whose parent is @pvma's, unless clone
 * reused one.  Context: the child's mm is not yet visible.
 * Return: 0, or -ENOMEM with @vma unlinked and @vma->anon_vma NULL.
 */
int anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma);

/**
 * unlink_anon_vmas - drop every chain of @vma (the VMA is going away or
 * gives up its anonymous memory); anon_vmas whose tree empties lose
 * their reference and are freed with their last one.
 * Context: mmap_lock (write); takes the anon_vma lock.
 */
void unlink_anon_vmas(struct vm_area_struct *vma);

/*
 * dup_anon_vma - a merge makes @dst cover pages of @src: if @dst has no
 * anon_vma yet it takes @src's and @src's links.  0 or -ENOMEM.
 */
int dup_anon_vma(struct vm_area_struct *dst, struct vm_area_struct *src);

/*
 * vma_is_fork_child - @vma has an anon_vma and more than one chain: it
 * (or an ancestor) was forked, so pages of other anon_vmas may be mapped
 * in it and it may not adopt or lend its anon_vma in a merge (6.18).
 */
bool vma_is_fork_child(const struct vm_area_struct *vma);

/*
 * folio_add_new_anon_rmap - @page (new, exclusive) is now mapped once at
 * @address of @vma: mapping/index set, _mapcount 0, SwapBacked, AnonPages + 1.
 */
void folio_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma,
			     unsigned long address);
/* folio_add_anon_rmap_pte - one more PTE maps the anonymous @page (fork, remap). */
void folio_add_anon_rmap_pte(struct page *page);
/* folio_remove_rmap_pte - one PTE less maps @page; AnonPages - 1 when it was the last. */
void folio_remove_rmap_pte(struct page *page);
/* The kernel's older names for the same calls. */
#define page_add_anon_rmap(page)	folio_add_anon_rmap_pte(page)
#define page_remove_rmap(page)		folio_remove_rmap_pte(page)
/*
 * folio_move_anon_rmap - a write fault reuses @page (mapped only here):
 * it now belongs to @vma's own anon_vma.  Context: the PTE lock.
 */
void folio_move_anon_rmap(struct page *page, struct vm_area_struct *vma);

/* page_mapped - some PTE maps @page. */
static inline bool page_mapped(const struct page *page)
{
	return page_mapcount(page) > 0;
}

/* page_anon_vma - the anon_vma of an anonymous page, NULL otherwise. */
struct anon_vma *page_anon_vma(const struct page *page);

/* vma_address - where @page would be mapped in @vma; -EFAULT if outside it. */
unsigned long vma_address(const struct page *page, const struct vm_area_struct *vma);

/**
 * struct rmap_walk_control - what rmap_walk() does at each mapping.
 * @arg:	passed to the callbacks
 * @rmap_one:	called for each (vma, address) whose PTE maps the page, with
 *		the PTE pointer and that mm's page-table lock and the PTE
 *		table's lock held; return false to stop the walk
 * @done:	if set, checked after each VMA: true stops the walk
 * @invalid_vma: if set, a VMA for which it returns true is skipped
 */
struct rmap_walk_control {
	void *arg;
	bool (*rmap_one)(struct page *page, struct vm_area_struct *vma, unsigned long address,
			 pte_t *ptep, void *arg);
	bool (*done)(struct page *page, void *arg);
	bool (*invalid_vma)(struct vm_area_struct *vma, void *arg);
};

/**
 * rmap_walk - visit every PTE that maps @page
 * @page: an anonymous page, or a page-cache (file or shmem) page
 * @rwc: the callbacks
 *
 * An anonymous page: the chains of its anon_vma whose VMA range covers
 * page->index.  A page-cache page: the VMAs of page->mapping->i_mmap
 * whose file range covers page->index (rmap_walk_file, mm/rmap_file.c),
 * shared and private alike; a private VMA's COW copy of the page is an
 * anonymous page of its own and is not found here.  In each VMA, the PTE
 * at vma_address() if it is present and maps @page.
 * Context: a page-cache page must be locked (truncation cannot take it
 * out of its mapping meanwhile); takes the anon_vma lock or the
 * mapping's i_mmap_rwsem (read), and each mm's page-table lock.
 */
void rmap_walk(struct page *page, struct rmap_walk_control *rwc);
/*
 * rmap_walk_locked - the same with the page's anon_vma lock, or its
 * mapping's i_mmap_rwsem, already held for reading (migration).
 */
void rmap_walk_locked(struct page *page, struct rmap_walk_control *rwc);

/**
 * folio_referenced - test and clear the Accessed bit of every PTE mapping @page
 * @page: a mapped anonymous or page-cache page
 * @is_locked: the caller holds the page lock (else a page-cache page is
 *	trylocked here, and counted as referenced if that fails)
 * @vm_flags: VM_* flags of the VMAs that had it referenced (out, may be NULL)
 *
 * Each young PTE is made old and its TLB entry flushed
 * (ptep_clear_flush_young), so the next access sets Accessed again.  A
 * VMA with VM_SEQ_READ or VM_RAND_READ has no recency (vma_has_recency)
 * and is skipped, its bits untouched.  A VM_LOCKED VMA mapping the page
 * ends the walk with VM_LOCKED in *@vm_flags (reclaim must keep the
 * page); VM_LOCKED is otherwise never reported.  PG_idle is cleared if
 * any PTE was young.
 * Return: the number of VMAs (one PTE each) that had it referenced; 1
 * if the page lock could not be taken; 0 for an unmapped page.
 */
int folio_referenced(struct page *page, int is_locked, unsigned long *vm_flags);
/* page_referenced - folio_referenced() of a page the caller has not locked. */
int page_referenced(struct page *page, unsigned long *vm_flags);

/* try_to_unmap() flags (enum ttu_flags). */
#define TTU_IGNORE_MLOCK	0x8	/* unmap even from VM_LOCKED VMAs */
#define TTU_BATCH_FLUSH		0x20	/* accepted; each PTE is still flushed at once */

/**
 * try_to_unmap - unmap @page from every PTE, for reclaim (try_to_unmap_one)
 * @page: the page
 * @flags: TTU_*
 *
 * A page-cache page (file or shmem): each PTE the rmap walk finds is
 * cleared and its TLB entry flushed; a dirty PTE's Dirty bit goes to the
 * page (set_page_dirty), the mm's MM_FILEPAGES or MM_SHMEMPAGES drops,
 * the mapcount (NR_FILE_MAPPED with the last) and the PTE's reference go.
 * A later access refaults it from the page cache (a minor fault).  A
 * VM_LOCKED VMA stops the walk unless TTU_IGNORE_MLOCK: the page stays
 * mapped there (and wherever the walk had not reached).
 *
 * An anonymous page needs a place in swap before its PTEs can go (the
 * swap entry is what the PTE becomes).  Until swap exists there is no
 * swap space: like the kernel without swap (folio_alloc_swap fails and
 * reclaim keeps the page), no PTE is touched and the page stays mapped.
 * Context: a page-cache page is locked by the caller; no mmap_lock or
 * page-table lock held.
 * Return: true if the page is no longer mapped.
 */
bool try_to_unmap(struct page *page, unsigned int flags);

/*
 * try_to_unmap_swap_entry - the swap issue's hook: the swap entry an
 * anonymous page's PTE becomes when reclaim unmaps it.  Without swap
 * space it fails with -ENOSPC and try_to_unmap() leaves the page mapped.
 */
int try_to_unmap_swap_entry(struct page *page, u64 *swp_pte);

/**
 * validate_anon_vmas - check the reverse mapping of @mm
 * @mm: the address space
 *
 * Every chain of every VMA links that VMA and a live anon_vma and is in
 * that anon_vma's interval tree with the VMA's current range; the VMA's
 * own anon_vma is among its chains; every anonymous page mapped in a VMA
 * belongs to an anon_vma reachable from that VMA's chains, and an rmap
 * walk finds exactly _mapcount + 1 PTEs mapping it (over all mms),
 * including this one.
 * Context: takes mmap_lock (read).  Return: 0 or -EINVAL (printed).
 */
int validate_anon_vmas(struct mm_struct *mm);

/**
 * validate_file_rmap - check the reverse map of the page-cache pages @mm maps
 * @mm: the address space
 *
 * Every page-cache page mapped in a VMA with a vm_file belongs to that
 * file's mapping, sits in its cache at page->index, page->index gives
 * this address in the VMA, and the i_mmap walk finds exactly _mapcount
 * + 1 PTEs mapping it (over all mms), including this one.  A page whose
 * lock someone holds is skipped.
 * Context: takes mmap_lock (read), the page lock (trylock), i_mmap_rwsem.
 * Return: 0 or -EINVAL (printed).
 */
int validate_file_rmap(struct mm_struct *mm);

/* rmap_teardown - destroy the "anon_vma"/"anon_vma_chain" caches (shutdown). */
void rmap_teardown(void);

#endif /* LINMM_RMAP_H */
