// SPDX-License-Identifier: MIT
/*
 * rmap.c - reverse mapping of anonymous pages, and the rmap walk and its
 * users for every page (mm/rmap.c).
 *
 * Each VMA that has had anonymous pages has an anon_vma (vma->anon_vma)
 * and a list of anon_vma_chains, one per anon_vma whose pages it may map;
 * each anon_vma keeps the chains of its VMAs in an interval tree by pgoff
 * range (mm/interval_tree.c).  How the links are made:
 *
 *   anon_vma_prepare   first anonymous fault: a compatible neighbour's
 *                      anon_vma (find_mergeable_anon_vma) or a new root
 *   anon_vma_clone     split, mremap copy, merge (dup_anon_vma): the new
 *                      VMA gets a chain to every anon_vma of the old one
 *   anon_vma_fork      the child VMA: clone the parent VMA's chains, and
 *                      an anon_vma of its own (parent: the parent VMA's),
 *                      unless clone found one of the hierarchy to reuse:
 *                      no VMA uses it any more and it has fewer than two
 *                      children (so long fork chains do not grow forever)
 *   unlink_anon_vmas   the VMA goes: its chains leave the trees; an
 *                      anon_vma whose tree empties drops its reference
 *
 *   fork twice, the middle one COWs page y:
 *     P --> AV_P                       page x: mapping AV_P (P, C, G map it)
 *     C --> AV_P, AV_C (parent AV_P)   page y: mapping AV_C (C, G map it)
 *     G --> AV_P, AV_C, AV_G
 *
 * The rmap walk goes from a page to its anon_vma and visits every chain
 * whose VMA range covers page->index, at vma_address(); a page-cache page
 * has no anon_vma and is found through its file's i_mmap tree instead
 * (rmap_walk_file, mm/rmap_file.c).  Its users: folio_referenced() (test
 * and clear Accessed, with a TLB flush; a VM_LOCKED mapping says "keep"),
 * try_to_unmap() (reclaim: a page-cache page's PTEs are cleared and it
 * refaults from the cache; an anonymous page needs swap, see there) and
 * migration (mm/migrate.c), which unmaps every mapping into migration
 * entries.
 *
 * Refcounts: anon_vma->refcount is 1 while its tree has chains, plus one
 * per anon_vma whose root it is; the root is freed last.  Pages hold no
 * reference: a mapped page's anon_vma is alive because the VMA mapping
 * it is chained to it; an unmapped page's mapping is a stale pointer read
 * only by PageAnon() until the page is freed.
 *
 * Locks: the root anon_vma's rwsem (anon_vma_lock_write/read) guards every
 * tree of a hierarchy and the VMAs on them (a VMA leaves its trees before
 * it is freed); mm->page_table_lock guards vma->anon_vma's first setting
 * (anon_vma_prepare) and the walk to a PTE table, whose split lock guards
 * the PTE.  Order: mmap_lock -> anon_vma lock -> page_table_lock -> PTE
 * lock.  _mapcount changes are atomic, under the PTE's lock.
 */
#include <string.h>

#include <linmm/memory.h>
#include <linmm/mmap.h>
#include <linmm/pagemap.h>
#include <linmm/printk.h>
#include <linmm/rmap.h>
#include <linmm/slab.h>
#include <linmm/tlbflush.h>
#include <linmm/vmstat.h>

#include "mm/internal.h"

static struct kmem_cache *anon_vma_cachep, *anon_vma_chain_cachep;
static spinlock_t anon_vma_cache_lock = __SPIN_LOCK_UNLOCKED;

static bool rmap_caches_init(void)
{
	spin_lock(&anon_vma_cache_lock);
	if (!anon_vma_cachep)
		anon_vma_cachep = kmem_cache_create("anon_vma", sizeof(struct anon_vma), 0,
						    SLAB_ACCOUNT, NULL);
	if (!anon_vma_chain_cachep)
		anon_vma_chain_cachep = kmem_cache_create("anon_vma_chain",
							  sizeof(struct anon_vma_chain), 0,
							  SLAB_ACCOUNT, NULL);
	spin_unlock(&anon_vma_cache_lock);
	return anon_vma_cachep && anon_vma_chain_cachep;
}

/* ---- locking and lifetime ---- */

void anon_vma_lock_write(struct anon_vma *anon_vma)
{
	down_write(&anon_vma->root->rwsem);
}

void anon_vma_unlock_write(struct anon_vma *anon_vma)
{
	up_write(&anon_vma->root->rwsem);
}

void anon_vma_lock_read(struct anon_vma *anon_vma)
{
	down_read(&anon_vma->root->rwsem);
}

void anon_vma_unlock_read(struct anon_vma *anon_vma)
{
	up_read(&anon_vma->root->rwsem);
}

static struct anon_vma *anon_vma_alloc(void)
{
	struct anon_vma *av;

	if (!rmap_caches_init())
		return NULL;
	av = kmem_cache_alloc(anon_vma_cachep, GFP_KERNEL);
	if (!av)
		return NULL;
	memset(av, 0, sizeof(*av));
	init_rwsem(&av->rwsem);
	atomic_store(&av->refcount, 1);
	av->root = av;
	av->parent = av;
	av->rb_root = RB_ROOT;
	return av;
}

static void get_anon_vma(struct anon_vma *av)
{
	atomic_fetch_add(&av->refcount, 1);
}

/* put_anon_vma - drop a reference; the last one frees it and then its root's. */
static void put_anon_vma(struct anon_vma *av)
{
	while (av && atomic_fetch_sub(&av->refcount, 1) == 1) {
		struct anon_vma *root = av->root;

		VM_WARN_ON_ONCE(!RB_EMPTY_ROOT(&av->rb_root));
		kmem_cache_free(anon_vma_cachep, av);
		av = root != av ? root : NULL;
	}
}

static struct anon_vma_chain *anon_vma_chain_alloc(void)
{
	if (!rmap_caches_init())
		return NULL;
	return kmem_cache_alloc(anon_vma_chain_cachep, GFP_KERNEL);
}

static void anon_vma_chain_free(struct anon_vma_chain *avc)
{
	kmem_cache_free(anon_vma_chain_cachep, avc);
}

/* Link @vma and @av with @avc.  Context: the anon_vma lock (write). */
static void anon_vma_chain_link(struct vm_area_struct *vma, struct anon_vma_chain *avc,
				struct anon_vma *av)
{
	avc->vma = vma;
	avc->anon_vma = av;
	list_add(&avc->same_vma, &vma->anon_vma_chain);
	anon_vma_interval_tree_insert(avc, &av->rb_root);
}

/* ---- linking VMAs ---- */

/* anon_vma_compatible(): @a and @b could be one VMA but for their rights. */
static bool anon_vma_compatible(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_file == b->vm_file &&
	       !((a->vm_flags ^ b->vm_flags) & ~(VM_ACCESS_FLAGS | VM_SOFTDIRTY)) &&
	       b->vm_pgoff == a->vm_pgoff + vma_pages(a);
}

/*
 * reusable_anon_vma(): a neighbour's anon_vma may be shared only if the
 * neighbour maps nothing of another anon_vma (a single chain): pages
 * inherited through fork must not become reachable from a VMA that
 * never had them.
 */
static struct anon_vma *reusable_anon_vma(struct vm_area_struct *old, struct vm_area_struct *a,
					  struct vm_area_struct *b)
{
	/* READ_ONCE: a fault of the neighbour may be publishing its anon_vma now. */
	struct anon_vma *av = __atomic_load_n(&old->anon_vma, __ATOMIC_ACQUIRE);

	if (anon_vma_compatible(a, b) && av && list_is_singular(&old->anon_vma_chain))
		return av;
	return NULL;
}

/* find_mergeable_anon_vma(): the anon_vma of a neighbour @vma could merge with. */
static struct anon_vma *find_mergeable_anon_vma(struct vm_area_struct *vma)
{
	struct vm_area_struct *next = vma_next(vma), *prev = vma_prev(vma);
	struct anon_vma *av = NULL;

	if (next)
		av = reusable_anon_vma(next, vma, next);
	if (!av && prev)
		av = reusable_anon_vma(prev, prev, vma);
	return av;
}

int anon_vma_prepare(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct anon_vma *av, *allocated = NULL;
	struct anon_vma_chain *avc;

	/* Lockless fast path: another fault of this mm may be publishing it (see below). */
	if (__atomic_load_n(&vma->anon_vma, __ATOMIC_ACQUIRE))
		return 0;
	avc = anon_vma_chain_alloc();
	if (!avc)
		return -ENOMEM;
	av = find_mergeable_anon_vma(vma);
	if (!av) {
		av = anon_vma_alloc();
		if (!av) {
			anon_vma_chain_free(avc);
			return -ENOMEM;
		}
		av->num_children++;	/* a root is its own parent */
		allocated = av;
	}
	anon_vma_lock_write(av);
	spin_lock(&mm->page_table_lock);
	if (!vma->anon_vma) {
		anon_vma_chain_link(vma, avc, av);
		av->num_active_vmas++;
		/* Published last: a lockless reader that sees it sees the chain too. */
		__atomic_store_n(&vma->anon_vma, av, __ATOMIC_RELEASE);
		allocated = NULL;
		avc = NULL;
	}
	spin_unlock(&mm->page_table_lock);
	anon_vma_unlock_write(av);
	if (allocated)
		put_anon_vma(allocated);
	if (avc)
		anon_vma_chain_free(avc);
	return 0;
}

int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	struct anon_vma_chain *pavc;
	struct anon_vma *root = NULL;

	if (list_empty(&src->anon_vma_chain))
		return 0;
	root = list_first_entry(&src->anon_vma_chain, struct anon_vma_chain, same_vma)->anon_vma;
	anon_vma_lock_write(root);
	/* Oldest first, so that dst's list has src's order. */
	list_for_each_entry_reverse(pavc, &src->anon_vma_chain, same_vma) {
		struct anon_vma_chain *avc = anon_vma_chain_alloc();
		struct anon_vma *av = pavc->anon_vma;

		if (!avc)
			goto enomem;
		anon_vma_chain_link(dst, avc, av);
		/*
		 * Fork (dst has no anon_vma yet) reuses an anon_vma no VMA has
		 * as its own any more, if at most one child (counting a root's
		 * link to itself) hangs below it: the hierarchy stays shallow.
		 */
		if (!dst->anon_vma && src->anon_vma && av->num_children < 2 &&
		    av->num_active_vmas == 0)
			dst->anon_vma = av;
	}
	if (dst->anon_vma)
		dst->anon_vma->num_active_vmas++;
	anon_vma_unlock_write(root);
	return 0;

enomem:
	anon_vma_unlock_write(root);
	dst->anon_vma = NULL;
	unlink_anon_vmas(dst);
	return -ENOMEM;
}

int anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma)
{
	struct anon_vma_chain *avc;
	struct anon_vma *av;

	INIT_LIST_HEAD(&vma->anon_vma_chain);
	vma->anon_vma = NULL;
	if (!pvma->anon_vma)
		return 0;
	if (anon_vma_clone(vma, pvma))
		return -ENOMEM;
	if (vma->anon_vma)
		return 0;		/* reused one of the hierarchy */
	av = anon_vma_alloc();
	if (!av)
		goto out_unlink;
	avc = anon_vma_chain_alloc();
	if (!avc) {
		put_anon_vma(av);
		goto out_unlink;
	}
	av->num_active_vmas = 1;
	av->root = pvma->anon_vma->root;
	av->parent = pvma->anon_vma;
	get_anon_vma(av->root);		/* the root outlives every anon_vma under it */
	vma->anon_vma = av;
	anon_vma_lock_write(av);
	anon_vma_chain_link(vma, avc, av);
	av->parent->num_children++;
	anon_vma_unlock_write(av);
	return 0;

out_unlink:
	unlink_anon_vmas(vma);
	return -ENOMEM;
}

void unlink_anon_vmas(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc, *next;
	struct anon_vma *root;

	/* No chain: an unlinked copy (vm_area_dup) that was never counted. */
	if (list_empty(&vma->anon_vma_chain)) {
		vma->anon_vma = NULL;
		return;
	}
	root = list_first_entry(&vma->anon_vma_chain, struct anon_vma_chain,
				same_vma)->anon_vma->root;
	down_write(&root->rwsem);
	list_for_each_entry_safe(avc, next, &vma->anon_vma_chain, same_vma) {
		struct anon_vma *av = avc->anon_vma;

		anon_vma_interval_tree_remove(avc, &av->rb_root);
		/* An empty anon_vma stays on the list, to be put outside the lock. */
		if (RB_EMPTY_ROOT(&av->rb_root)) {
			av->parent->num_children--;	/* a root: its link to itself */
			continue;
		}
		list_del(&avc->same_vma);
		anon_vma_chain_free(avc);
	}
	if (vma->anon_vma) {
		vma->anon_vma->num_active_vmas--;
		vma->anon_vma = NULL;
	}
	up_write(&root->rwsem);
	list_for_each_entry_safe(avc, next, &vma->anon_vma_chain, same_vma) {
		list_del(&avc->same_vma);
		put_anon_vma(avc->anon_vma);
		anon_vma_chain_free(avc);
	}
}

int dup_anon_vma(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	if (!src->anon_vma || dst->anon_vma)
		return 0;
	dst->anon_vma = src->anon_vma;
	return anon_vma_clone(dst, src);
}

bool vma_is_fork_child(const struct vm_area_struct *vma)
{
	return vma->anon_vma && !list_is_singular(&vma->anon_vma_chain);
}

/* ---- a page's rmap ---- */

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
	if (atomic_fetch_add(&page->_mapcount, 1) == -1 && PageAnon(page))
		mod_node_page_state(page_pgdat(page), NR_ANON_MAPPED, 1);
}

void folio_remove_rmap_pte(struct page *page)
{
	if (atomic_fetch_sub(&page->_mapcount, 1) == 0)
		mod_node_page_state(page_pgdat(page), PageAnon(page) ? NR_ANON_MAPPED :
						      NR_FILE_MAPPED, -1);	/* file: mm/rmap_file.c */
}

void folio_move_anon_rmap(struct page *page, struct vm_area_struct *vma)
{
	page->mapping = (void *)((uintptr_t)vma->anon_vma | PAGE_MAPPING_ANON);
}

struct anon_vma *page_anon_vma(const struct page *page)
{
	uintptr_t m = (uintptr_t)page->mapping;

	return m & PAGE_MAPPING_ANON ? (struct anon_vma *)(m - PAGE_MAPPING_ANON) : NULL;
}

unsigned long vma_address(const struct page *page, const struct vm_area_struct *vma)
{
	unsigned long addr;

	if (page->index < vma->vm_pgoff || page->index - vma->vm_pgoff >= vma_pages(vma))
		return (unsigned long)-EFAULT;
	addr = vma->vm_start + ((page->index - vma->vm_pgoff) << PAGE_SHIFT);
	return addr;
}

/* ---- the walk ---- */

/* page_vma_mapped_walk() of a small page: rmap_one if @vma's PTE at @addr maps @page. */
static bool rmap_walk_one(struct page *page, struct vm_area_struct *vma, unsigned long addr,
			  struct rmap_walk_control *rwc)
{
	struct mm_struct *mm = vma->vm_mm;
	bool more = true;
	pte_t *ptep;

	/* page_table_lock keeps the table from free_pgtables; its own lock guards the PTE. */
	spin_lock(&mm->page_table_lock);
	ptep = mm_find_pte(mm, addr);
	if (ptep) {
		spin_lock(ptep_lockptr(ptep));
		/* page_vma_mapped_walk(): only a present PTE of this page counts. */
		if (pte_present(ptep_get(ptep)) && pte_pfn(ptep_get(ptep)) == page_to_pfn(page))
			more = rwc->rmap_one(page, vma, addr, ptep, rwc->arg);
		spin_unlock(ptep_lockptr(ptep));
	}
	spin_unlock(&mm->page_table_lock);
	return more;
}

bool rmap_walk_vma(struct page *page, struct vm_area_struct *vma, struct rmap_walk_control *rwc)
{
	unsigned long addr = vma_address(page, vma);

	if (IS_ERR_VALUE(addr))
		return true;
	if (rwc->invalid_vma && rwc->invalid_vma(vma, rwc->arg))
		return true;
	if (!rmap_walk_one(page, vma, addr, rwc))
		return false;
	return !(rwc->done && rwc->done(page, rwc->arg));
}

/* rmap_walk_anon(): the chains of the page's anon_vma; its lock held. */
static void rmap_walk_anon(struct page *page, struct rmap_walk_control *rwc)
{
	struct anon_vma *av = page_anon_vma(page);
	struct anon_vma_chain *avc;
	unsigned long pgoff = page->index;

	anon_vma_interval_tree_foreach(avc, &av->rb_root, pgoff, pgoff) {
		if (!rmap_walk_vma(page, avc->vma, rwc))
			break;
	}
}

void rmap_walk_locked(struct page *page, struct rmap_walk_control *rwc)
{
	if (PageAnon(page))
		rmap_walk_anon(page, rwc);
	else if (page->mapping)
		rmap_walk_file(page, rwc, /* locked = */ true);
}

void rmap_walk(struct page *page, struct rmap_walk_control *rwc)
{
	struct anon_vma *av = page_anon_vma(page);

	if (!av) {
		if (page->mapping)
			rmap_walk_file(page, rwc, /* locked = */ false);
		return;
	}
	anon_vma_lock_read(av);
	rmap_walk_anon(page, rwc);
	anon_vma_unlock_read(av);
}

/* ---- page_referenced ---- */

struct folio_referenced_arg {
	int mapcount;		/* PTEs not yet visited: 0 ends the walk */
	int referenced;
	unsigned long vm_flags;
};

/* ptep_clear_flush_young(): clear Accessed; flush so the next access sets it again. */
static bool ptep_clear_flush_young(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	u64 v;

	do {
		v = pte_val(ptep_get(ptep));
		if (!(v & _PAGE_ACCESSED))
			return false;
	} while (!pgtable_entry_cmpxchg(ptep, v, v & ~_PAGE_ACCESSED));
	flush_tlb_page(vma, addr);
	return true;
}

/*
 * folio_referenced_one(): a VM_LOCKED mapping ends the walk (the page must
 * stay; the kernel also restores a missed mlock here, linmm's folios keep
 * no mlock state yet); otherwise test and clear Accessed, count the VMA.
 * (The kernel also counts a PG_young left by idle page tracking, which
 * linmm does not have: nothing sets PG_young.)
 */
static bool folio_referenced_one(struct page *page, struct vm_area_struct *vma,
				 unsigned long addr, pte_t *ptep, void *arg)
{
	struct folio_referenced_arg *pra = arg;

	if (vma->vm_flags & VM_LOCKED) {
		pra->mapcount--;
		pra->vm_flags |= VM_LOCKED;
		return false;
	}
	pra->mapcount--;
	if (ptep_clear_flush_young(vma, addr, ptep)) {
		clear_page_flag(page, PG_idle);
		pra->referenced++;
		pra->vm_flags |= vma->vm_flags & ~VM_LOCKED;
	}
	return pra->mapcount > 0;
}

/* vma_has_recency(): MADV_SEQUENTIAL/MADV_RANDOM mappings do not vote on reclaim. */
static bool invalid_folio_referenced_vma(struct vm_area_struct *vma, void *arg)
{
	(void)arg;
	return vma->vm_flags & (VM_SEQ_READ | VM_RAND_READ);
}

int folio_referenced(struct page *page, int is_locked, unsigned long *vm_flags)
{
	struct folio_referenced_arg pra = { .mapcount = page_mapcount(page) };
	struct rmap_walk_control rwc = {
		.arg = &pra,
		.rmap_one = folio_referenced_one,
		.invalid_vma = invalid_folio_referenced_vma,
	};
	bool we_locked = false;

	if (vm_flags)
		*vm_flags = 0;
	if (!pra.mapcount || !page->mapping)
		return 0;
	/* A page-cache page's mapping holds only under its lock (truncation). */
	if (!is_locked && !PageAnon(page)) {
		we_locked = trylock_page(page);
		if (!we_locked)
			return 1;
	}
	rmap_walk(page, &rwc);
	if (vm_flags)
		*vm_flags = pra.vm_flags;
	if (we_locked)
		unlock_page(page);
	return pra.referenced;
}

int page_referenced(struct page *page, unsigned long *vm_flags)
{
	return folio_referenced(page, /* is_locked = */ 0, vm_flags);
}

/* ---- try_to_unmap ---- */

/* update_hiwater_rss(): VmHWM keeps the peak before the RSS drops. */
static void update_hiwater_rss(struct mm_struct *mm)
{
	unsigned long rss = get_mm_rss(mm);

	if (mm->hiwater_rss < rss)
		mm->hiwater_rss = rss;
}

/*
 * try_to_unmap_one(): the PTE of the page-cache @page at @addr goes
 * (anonymous pages never get here: they would need a swap entry).
 *
 *   before   pte -> page (D)      page: mapcount 2, ref 3 (cache + 2 PTEs)
 *   after    pte none             page: dirty, mapcount 1, ref 2; rss - 1
 */
static bool try_to_unmap_one(struct page *page, struct vm_area_struct *vma,
			     unsigned long addr, pte_t *ptep, void *arg)
{
	unsigned int flags = *(unsigned int *)arg;
	struct mm_struct *mm = vma->vm_mm;
	pte_t pteval;

	VM_BUG_ON(PageAnon(page));
	/* An mlock()ed VMA keeps its pages (walk_abort). */
	if (!(flags & TTU_IGNORE_MLOCK) && (vma->vm_flags & VM_LOCKED))
		return false;
	pteval = ptep_clear_flush(vma, addr, ptep);	/* no CPU may still write through it */
	/* The PTE's Dirty bit is the only record of writes through it: to the page. */
	if (pte_dirty(pteval))
		set_page_dirty(page);
	update_hiwater_rss(mm);
	add_mm_counter(mm, mm_counter_file(page), -1);
	folio_remove_rmap_pte(page);
	put_page(page);			/* the PTE's reference; the cache keeps one */
	return true;
}

static bool folio_not_mapped(struct page *page, void *arg)
{
	(void)arg;
	return !page_mapped(page);
}

int try_to_unmap_swap_entry(struct page *page, u64 *swp_pte)
{
	(void)page;
	(void)swp_pte;
	return -ENOSPC;		/* no swap space: folio_alloc_swap() fails */
}

bool try_to_unmap(struct page *page, unsigned int flags)
{
	struct rmap_walk_control rwc = {
		.arg = &flags,
		.rmap_one = try_to_unmap_one,
		.done = folio_not_mapped,
	};
	u64 swp;

	if (!page_mapped(page))
		return true;
	/* add_to_swap() first, as shrink_folio_list() does; without swap the page stays. */
	if (PageAnon(page)) {
		if (try_to_unmap_swap_entry(page, &swp))
			return false;
		return !page_mapped(page);
	}
	VM_BUG_ON(!PageLocked(page));
	rmap_walk(page, &rwc);
	return !page_mapped(page);
}

/* ---- invariants ---- */

struct count_arg {
	struct vm_area_struct *vma;
	unsigned long addr;
	int ptes;
	bool found;
};

static bool count_one(struct page *page, struct vm_area_struct *vma, unsigned long addr,
		      pte_t *ptep, void *arg)
{
	struct count_arg *ca = arg;

	(void)page;
	(void)ptep;
	ca->ptes++;
	if (vma == ca->vma && addr == ca->addr)
		ca->found = true;
	return true;
}

int rmap_count_ptes(struct page *page, struct vm_area_struct *vma, unsigned long addr,
		    bool *found)
{
	struct count_arg ca = { .vma = vma, .addr = addr };
	struct rmap_walk_control rwc = { .arg = &ca, .rmap_one = count_one };

	rmap_walk(page, &rwc);
	*found = ca.found;
	return ca.ptes;
}

static bool vma_chained_to(const struct vm_area_struct *vma, const struct anon_vma *av)
{
	struct anon_vma_chain *avc;

	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
		if (avc->anon_vma == av)
			return true;
	return false;
}

static bool avc_in_tree(struct anon_vma_chain *avc)
{
	struct anon_vma_chain *it;

	anon_vma_interval_tree_foreach(it, &avc->anon_vma->rb_root, avc_start_pgoff(avc),
				       avc_last_pgoff(avc))
		if (it == avc)
			return true;
	return false;
}

static int validate_vma_chains(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc;
	bool own = !vma->anon_vma;

	if (vma->anon_vma && list_empty(&vma->anon_vma_chain)) {
		pr_err("validate_anon_vmas: vma %lx-%lx has an anon_vma but no chain\n",
		       vma->vm_start, vma->vm_end);
		return -EINVAL;
	}
	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma) {
		struct anon_vma *av = avc->anon_vma;

		if (avc->vma != vma || !av || atomic_load(&av->refcount) < 1 ||
		    atomic_load(&av->root->refcount) < 1 || av->root->root != av->root) {
			pr_err("validate_anon_vmas: vma %lx-%lx: bad chain (vma %p, anon_vma %p)\n",
			       vma->vm_start, vma->vm_end, (void *)avc->vma, (void *)av);
			return -EINVAL;
		}
		if (anon_vma_interval_tree_verify(&av->rb_root) || !avc_in_tree(avc)) {
			pr_err("validate_anon_vmas: vma %lx-%lx: chain not in its anon_vma's tree\n",
			       vma->vm_start, vma->vm_end);
			return -EINVAL;
		}
		if (av == vma->anon_vma)
			own = true;
		if (av->num_active_vmas == 0 && av == vma->anon_vma) {
			pr_err("validate_anon_vmas: vma %lx-%lx: its anon_vma counts no vma\n",
			       vma->vm_start, vma->vm_end);
			return -EINVAL;
		}
	}
	if (!own) {
		pr_err("validate_anon_vmas: vma %lx-%lx: own anon_vma not among its chains\n",
		       vma->vm_start, vma->vm_end);
		return -EINVAL;
	}
	return 0;
}

struct validate_rmap_arg {
	struct vm_area_struct *vma;
	unsigned long addr[64];
	unsigned long pfn[64];
	int nr;
	int err;
};

static void collect_anon_pte(pte_t pte, unsigned long addr, void *arg)
{
	struct validate_rmap_arg *va = arg;

	if (!pte_present(pte) || pte_special(pte) || !pfn_valid(pte_pfn(pte)))
		return;
	if (va->nr == (int)ARRAY_SIZE(va->addr)) {
		va->err = -EAGAIN;	/* batch full: the caller walks the rest */
		return;
	}
	va->addr[va->nr] = addr;
	va->pfn[va->nr++] = pte_pfn(pte);
}

static int validate_anon_page(struct vm_area_struct *vma, unsigned long addr, struct page *page)
{
	struct anon_vma *av = page_anon_vma(page);
	bool found;
	int ptes;

	if (!PageAnon(page))
		return 0;
	if (!vma_chained_to(vma, av)) {
		pr_err("validate_anon_vmas: page pfn %#lx at %lx: anon_vma %p not reachable from the vma\n",
		       page_to_pfn(page), addr, (void *)av);
		return -EINVAL;
	}
	if (vma_address(page, vma) != addr) {
		pr_err("validate_anon_vmas: page pfn %#lx at %lx: index %#lx gives %lx\n",
		       page_to_pfn(page), addr, page->index, vma_address(page, vma));
		return -EINVAL;
	}
	ptes = rmap_count_ptes(page, vma, addr, &found);
	if (!found || ptes != page_mapcount(page)) {
		pr_err("validate_anon_vmas: page pfn %#lx at %lx: rmap walk finds %d ptes%s, mapcount %d\n",
		       page_to_pfn(page), addr, ptes, found ? "" : " (not this one)",
		       page_mapcount(page));
		return -EINVAL;
	}
	return 0;
}

/* @check on every normal page mapped in @vma.  Context: mmap_lock (read). */
static int validate_vma_pages(struct vm_area_struct *vma,
			      int (*check)(struct vm_area_struct *vma, unsigned long addr,
					   struct page *page))
{
	unsigned long start = vma->vm_start;
	int err = 0;

	/* Collect in batches (the walk holds page_table_lock; rmap_walk takes it). */
	while (!err && start < vma->vm_end) {
		struct validate_rmap_arg va = { .vma = vma };
		struct vm_area_struct tmp = *vma;

		tmp.vm_start = start;
		walk_page_vma_ptes(&tmp, collect_anon_pte, &va);
		for (int i = 0; i < va.nr && !err; i++)
			err = check(vma, va.addr[i], pfn_to_page(va.pfn[i]));
		if (va.err != -EAGAIN)
			break;
		start = va.addr[va.nr - 1] + PAGE_SIZE;
	}
	return err;
}

int validate_anon_vmas(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	int err = 0;

	mmap_read_lock(mm);
	for_each_vma(mm, vma) {
		err = validate_vma_chains(vma);
		if (!err)
			err = validate_vma_pages(vma, validate_anon_page);
		if (err)
			break;
	}
	mmap_read_unlock(mm);
	return err;
}

int validate_file_rmap(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	int err = 0;

	mmap_read_lock(mm);
	for_each_vma(mm, vma) {
		if (vma->vm_file)
			err = validate_vma_pages(vma, validate_file_page);	/* mm/rmap_file.c */
		if (err)
			break;
	}
	mmap_read_unlock(mm);
	return err;
}

void rmap_teardown(void)
{
	if (anon_vma_chain_cachep)
		kmem_cache_destroy(anon_vma_chain_cachep);
	if (anon_vma_cachep)
		kmem_cache_destroy(anon_vma_cachep);
	anon_vma_chain_cachep = NULL;
	anon_vma_cachep = NULL;
}
