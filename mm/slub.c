// SPDX-License-Identifier: MIT
/*
 * slub.c - the SLUB allocator: slabs, per-CPU slabs, partial lists
 * (mm/slub.c).  Cache creation, merging and kmalloc are in slab_common.c,
 * slub_debug= in slub_debug.c, /proc/slabinfo in slabinfo.c, the
 * invariant checker in slub_validate.c, failslab in failslab.c.  The fast
 * paths (slab_alloc_node(), slab_free()) are inline in mm/slab.h so that
 * kmalloc()/kfree() and kmem_cache_alloc()/free() inline them; when they
 * decline they jump to slab_alloc_node_full()/slab_free_full() here, whose
 * slow halves are slab_alloc_slow()/slab_free_slow().
 *
 * A slab is a (compound) page carved into s->oo objects of s->size bytes;
 * a free object holds the encoded address of the next free one at
 * s->offset (SLAB_FREELIST_HARDENED):
 *
 *   stored = next ^ s->random ^ bswap64(address of the stored word)
 *
 * Where a slab can be:
 *
 *   CPU c:  c->slab (frozen, SLAB_ON_CPU) + c->freelist   lockless, owner only
 *           c->partial -> slab -> slab (SLAB_ON_CPU_PARTIAL, ->next/->slabs)
 *   node n: n->partial (SLAB_ON_NODE_PARTIAL), n->full (SLAB_ON_FULL; linmm
 *           keeps every full slab there, the kernel only with SLAB_STORE_USER,
 *           so that validate_slab_cache() sees every slab)
 *
 * Fast paths (slab_alloc_node/slab_free) touch only this CPU's
 * kmem_cache_cpu with plain loads and stores: pop/push c->freelist.  No
 * lock and no locked instruction: a simulated CPU is run by at most one
 * host thread (smp.h), so there is no transaction id (the kernel's c->tid
 * pairs with its this_cpu_cmpxchg, which linmm does not need).  They call
 * nothing on the way (the slow halves are tail calls, so the fast paths
 * save no registers), and kmem_cache_free() finds the per-CPU state
 * through its @s argument, not through the load of slab->slab_cache.
 * The cheap hardening on the free path: the pointer is in the direct map,
 * on a slab page, at an object start (one multiply by s->reciprocal_size),
 * and not the CPU freelist's head (the naive double free, a BUG as with
 * SLAB_FREELIST_HARDENED).  SLAB_FREELIST_HARDENED's encoding stays on
 * both fast paths.
 *
 * Everything else is under the slab's node list_lock: slab->freelist and
 * the counters {inuse, objects, frozen}, the list state, n->partial/full.
 * A free into a slab that is not this CPU's active slab (a "remote" free)
 * pushes onto slab->freelist under that lock (linmm's choice instead of the
 * kernel's cmpxchg on {freelist, counters}).  A frozen slab counts the
 * objects on its CPU's c->freelist as in use, as in the kernel:
 * inuse == objects - |slab->freelist|.
 *
 * Flushing other CPUs (flush_all): the kernel runs the flush on each CPU
 * from a workqueue.  Here the flusher (one at a time, slub_flush_lock)
 *   - flushes its own CPU directly;
 *   - flushes a CPU no thread occupies after linmm_cpu_claim() (entering
 *     it waits meanwhile; claim/leave are acquire/release, so the last
 *     owner's plain stores are visible);
 *   - for an occupied CPU posts the cache in slub_flush[cpu].req and waits;
 *     the owner checks that word (one relaxed load, no lock prefix) at
 *     every allocation and every free that leaves the fast path, flushes
 *     its own state and clears it (release), or the flusher claims the CPU
 *     once the owner has left it.  Fast-path frees do not look (the check
 *     cost 6% of a kmem_cache_alloc+free pair): each returns an
 *     allocated object of this CPU's active slab, so a run of them ends
 *     within the objects those slabs hold, at an allocation or a slow free.
 * So a thread that sits on a CPU without calling the allocator, while
 * another thread shrinks, validates or destroys a cache, stalls that call
 * until it returns or leaves (as a CPU that never schedules stalls the
 * kernel's flush_all).  Calls are serviced between operations, never in
 * the middle of one.
 *
 * Debug caches (kmem_cache_debug(s)) never use c->freelist: every
 * allocation and free goes one object at a time through the node lists
 * under list_lock, with slub_debug.c's checks, as the kernel's
 * alloc_single_from_partial()/free_to_partial_list().
 *
 * SLAB_TYPESAFE_BY_RCU: an empty slab leaves the cache at once (slabinfo),
 * but its pages wait on slab_rcu_deferred until slab_rcu_barrier(), the
 * simulated end of a grace period (called by shrink and destroy).
 *
 * Lock order: slub_flush_lock -> n->list_lock -> zone locks (page
 * allocator).  slab_mutex (slab_common.c) is never held while flushing.
 */
#include <string.h>

#include <linmm/fault-inject.h>
#include <linmm/memblock.h>
#include <linmm/printk.h>
#include <linmm/smp.h>
#include <linmm/vmstat.h>

#include "kernel/host.h"
#include "kernel/machine.h"
#include "mm/internal.h"
#include "mm/slab.h"

#define DEACTIVATE_TO_HEAD 0
#define DEACTIVATE_TO_TAIL 1
#define CACHE_LINE_SIZE 64
#define SHRINK_PROMOTE_MAX 32
/* GFP_RECLAIM_MASK | GFP_CONSTRAINT_MASK (mm/internal.h in the kernel). */
#define SLAB_GFP_PASS (__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | __GFP_NOWARN | \
		       __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | __GFP_NORETRY | __GFP_MEMALLOC | \
		       __GFP_NOMEMALLOC | __GFP_HARDWALL | __GFP_THISNODE)

static unsigned int slub_min_order;
static unsigned int slub_max_order = SLUB_MAX_ORDER_DEFAULT;
static unsigned int slub_min_objects;
static u64 slab_random_state;		/* per-boot generator of s->random */
static _Atomic unsigned int slub_oom_reports;	/* "Unable to allocate" reports this boot */

/* The two caches every other cache is made of, statically allocated. */
struct kmem_cache *kmem_cache;
static struct kmem_cache *kmem_cache_node;
static struct kmem_cache boot_kmem_cache, boot_kmem_cache_node;
static struct kmem_cache_node boot_nodes[2][MAX_NUMNODES];

/* Flush requests to occupied CPUs (see the header). */
struct slub_flush_slot slub_flush[NR_CPUS];
static spinlock_t slub_flush_lock;

/* Slab pages of SLAB_TYPESAFE_BY_RCU caches waiting for a grace period. */
static spinlock_t slab_rcu_lock;
static struct list_head slab_rcu_deferred = LIST_HEAD_INIT(slab_rcu_deferred);
static unsigned long slab_rcu_pages;

/* CONFIG_SLUB_STATS counters (mm/slab.h); compiled out by default. */
static inline void stat(struct kmem_cache_cpu *c, enum stat_item si)
{
	if (CONFIG_SLUB_STATS)
		c->stat[si]++;
}

static inline struct kmem_cache_node *get_node(const struct kmem_cache *s, int nid)
{
	return s->node[nid];
}

static inline bool kmem_cache_has_cpu_partial(const struct kmem_cache *s)
{
	return !kmem_cache_debug(s);
}

unsigned int slub_max_order_param(void)
{
	return slub_max_order;
}

/* ---- the free pointer ---- */

/* freelist_store() with the hardened check: freeing the list head is a BUG. */
static inline void freelist_link(const struct kmem_cache *s, void *object, void *fp)
{
	BUG_ON(object == fp);	/* naive detection of double free or corruption */
	freelist_store(s, object, fp);
}

/**
 * get_freepointer - the next free object after @object
 * @s: the cache
 * @object: a free object
 *
 * Context: the caller owns the freelist @object is on.
 * Return: the decoded pointer (NULL at the end of the list).
 */
void *get_freepointer(const struct kmem_cache *s, void *object)
{
	return freelist_next(s, object);
}

/**
 * set_freepointer - link free object @object to @fp
 * @s: the cache
 * @object: the object being freed
 * @fp: the current head of the list it joins
 *
 * Freeing the object that already heads the list is the naive double free
 * that SLAB_FREELIST_HARDENED turns into a BUG, before anything is written.
 * Context: the caller owns the freelist.
 */
void set_freepointer(const struct kmem_cache *s, void *object, void *fp)
{
	freelist_link(s, object, fp);
}

/* ---- sizing: calculate_alignment, calculate_order, calculate_sizes ---- */

/**
 * calculate_alignment - alignment of the objects of a cache
 * @flags: SLAB_HWCACHE_ALIGN halves the cache line while the object fits twice
 * @align: the caller's minimum
 * @size: object size
 *
 * Return: at least 8 (ARCH_SLAB_MINALIGN, word size).
 */
unsigned int calculate_alignment(slab_flags_t flags, unsigned int align, unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = CACHE_LINE_SIZE;

		while (size <= ralign / 2)
			ralign /= 2;
		align = max(align, ralign);
	}
	align = max(align, (unsigned int)sizeof(unsigned long long));
	return ALIGN(align, (unsigned int)sizeof(void *));
}

static inline unsigned int order_objects(unsigned int order, unsigned int size)
{
	return (unsigned int)((PAGE_SIZE << order) / size);
}

static inline struct kmem_cache_order_objects oo_make(unsigned int order, unsigned int size)
{
	return (struct kmem_cache_order_objects){ (order << OO_SHIFT) + order_objects(order, size) };
}

/* Smallest order in [min_order, max_order] wasting at most 1/@fract_leftover. */
static unsigned int calc_slab_order(unsigned int size, unsigned int min_order,
				    unsigned int max_order, unsigned int fract_leftover)
{
	unsigned int order;

	for (order = min_order; order <= max_order; order++) {
		unsigned int slab_size = (unsigned int)PAGE_SIZE << order;

		if (slab_size % size <= slab_size / fract_leftover)
			break;
	}
	return order;
}

static int calculate_order(unsigned int size)
{
	unsigned int min_objects = slub_min_objects, max_objects, min_order, order;

	if (!min_objects)
		min_objects = 4 * ((unsigned int)fls(nr_cpu_ids) + 1);
	max_objects = max(order_objects(slub_max_order, size), 1u);
	min_objects = min(min_objects, max_objects);
	min_order = max(slub_min_order, slab_size_order((size_t)min_objects * size));
	if (order_objects(min_order, size) > MAX_OBJS_PER_PAGE)
		return (int)slab_size_order((size_t)size * MAX_OBJS_PER_PAGE) - 1;
	/* Accept 1/16 of waste, then 1/8, 1/4, 1/2, within slub_max_order. */
	for (unsigned int fraction = 16; fraction > 1; fraction /= 2) {
		order = calc_slab_order(size, min_order, slub_max_order, fraction);
		if (order <= slub_max_order)
			return (int)order;
	}
	order = slab_size_order(size);
	return order <= MAX_PAGE_ORDER ? (int)order : -ENOSYS;
}

static inline bool slub_debug_orig_size(const struct kmem_cache *s)
{
	return (s->flags & SLAB_STORE_USER) && (s->flags & SLAB_KMALLOC);
}

/**
 * calculate_sizes - lay out the slot of @s and choose its slab order
 * @s: a cache with flags, object_size, align and ctor set
 *
 * Sets inuse, offset, red_left_pad, size, oo, min and allocflags as the
 * kernel's calculate_sizes(): word-rounded object, the free pointer in the
 * middle of the object unless RCU, poisoning, a constructor or red zoning
 * of tiny/kmalloc objects put it behind, slub_debug metadata, left and
 * right red zones, then the cache alignment.
 * Context: cache creation.
 * Return: 0, or -EINVAL if no order can hold an object.
 */
int calculate_sizes(struct kmem_cache *s)
{
	slab_flags_t flags = s->flags;
	unsigned int size = ALIGN(s->object_size, (unsigned int)sizeof(void *));
	int order;

	if ((flags & SLAB_POISON) && !(flags & SLAB_TYPESAFE_BY_RCU) && !s->ctor)
		s->flags |= __OBJECT_POISON;
	else
		s->flags &= ~__OBJECT_POISON;
	/* A right red zone needs room: one word if the object fills its words. */
	if ((flags & SLAB_RED_ZONE) && size == s->object_size)
		size += sizeof(void *);
	s->inuse = size;

	if ((flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)) || s->ctor ||
	    ((flags & SLAB_RED_ZONE) &&
	     (s->object_size < sizeof(void *) || slub_debug_orig_size(s)))) {
		/* The object must stay intact while free: the pointer goes behind it. */
		s->offset = size;
		size += sizeof(void *);
	} else {
		s->offset = ALIGN_DOWN(s->object_size / 2, (unsigned int)sizeof(void *));
	}
	if (flags & SLAB_STORE_USER)
		size += slub_debug_metadata_size(s);
	s->red_left_pad = 0;
	if (flags & SLAB_RED_ZONE) {
		size += sizeof(void *);
		s->red_left_pad = ALIGN((unsigned int)sizeof(void *), s->align);
		size += s->red_left_pad;
	}
	size = ALIGN(size, s->align);
	s->size = size;
	s->reciprocal_size = (unsigned int)(((1ULL << 32) + size - 1) / size);
	order = calculate_order(size);
	if (order < 0)
		return -EINVAL;
	s->allocflags = __GFP_COMP;
	if (s->flags & SLAB_CACHE_DMA)
		s->allocflags |= GFP_DMA;
	if (s->flags & SLAB_CACHE_DMA32)
		s->allocflags |= GFP_DMA32;
	if (s->flags & SLAB_RECLAIM_ACCOUNT)
		s->allocflags |= __GFP_RECLAIMABLE;
	s->oo = oo_make((unsigned int)order, size);
	s->min = oo_make(slab_size_order(size), size);
	return oo_objects(s->oo) ? 0 : -EINVAL;
}

/* Objects kept on per-CPU partial lists (5.16+ values), as slabs. */
static void set_cpu_partial(struct kmem_cache *s)
{
	unsigned int nr_objects;

	if (!kmem_cache_has_cpu_partial(s))
		nr_objects = 0;
	else if (s->size >= PAGE_SIZE)
		nr_objects = 6;
	else if (s->size >= 1024)
		nr_objects = 24;
	else if (s->size >= 256)
		nr_objects = 52;
	else
		nr_objects = 120;
	s->cpu_partial = nr_objects;
	/* Assume half-full slabs (slub_set_cpu_partial()). */
	s->cpu_partial_slabs = DIV_ROUND_UP(nr_objects * 2, oo_objects(s->oo));
}

/* xorshift64*: the per-boot stream that keys the free pointers. */
static unsigned long slab_random(void)
{
	return (unsigned long)linmm_prandom_next(&slab_random_state);
}

/* ---- slab pages ---- */

static inline enum node_stat_item cache_vmstat_idx(const struct kmem_cache *s)
{
	return (s->flags & SLAB_RECLAIM_ACCOUNT) ? NR_SLAB_RECLAIMABLE_B : NR_SLAB_UNRECLAIMABLE_B;
}

static inline void inc_slabs_node(struct kmem_cache *s, int nid, unsigned int objects)
{
	struct kmem_cache_node *n = get_node(s, nid);

	atomic_fetch_add_explicit(&n->nr_slabs, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&n->total_objects, objects, memory_order_relaxed);
}

static inline void dec_slabs_node(struct kmem_cache *s, int nid, unsigned int objects)
{
	struct kmem_cache_node *n = get_node(s, nid);

	atomic_fetch_sub_explicit(&n->nr_slabs, 1, memory_order_relaxed);
	atomic_fetch_sub_explicit(&n->total_objects, objects, memory_order_relaxed);
}

static struct page *alloc_slab_page(gfp_t flags, int node, struct kmem_cache_order_objects oo)
{
	if (node == NUMA_NO_NODE)
		return alloc_pages(flags, oo_order(oo));
	return alloc_pages_node(node, flags, oo_order(oo));
}

/* Debug hooks, then the constructor, for one new object. */
static void *setup_object(struct kmem_cache *s, void *object)
{
	if (kmem_cache_debug(s))
		setup_object_debug(s, object);
	if (s->ctor)
		s->ctor(object);
	return object;
}

/*
 * allocate_slab - pages for a new slab of @s, its objects linked in address
 * order.  The preferred order first (without reclaim beyond s->min), then
 * s->min.  The slab is on no list and not yet counted in the node.
 */
static struct slab *allocate_slab(struct kmem_cache *s, gfp_t flags, int node,
				  struct kmem_cache_cpu *c)
{
	struct kmem_cache_order_objects oo = s->oo;
	gfp_t alloc_gfp;
	struct page *page;
	struct slab *slab;
	char *start, *p;

	flags = (flags & SLAB_GFP_PASS) | s->allocflags;
	alloc_gfp = (flags | __GFP_NOWARN | __GFP_NORETRY) & ~__GFP_NOFAIL;
	if ((alloc_gfp & __GFP_DIRECT_RECLAIM) && oo_order(oo) > oo_order(s->min))
		alloc_gfp = (alloc_gfp | __GFP_NOMEMALLOC) & ~__GFP_RECLAIM;
	page = alloc_slab_page(alloc_gfp, node, oo);
	if (unlikely(!page)) {
		oo = s->min;
		page = alloc_slab_page(flags, node, oo);
		if (unlikely(!page))
			return NULL;
		if (c)
			stat(c, ORDER_FALLBACK);
	}
	slab = page_slab(page);
	__SetPageSlab(page);
	slab->slab_cache = s;
	slab->freelist = NULL;
	slab->counters = 0;
	slab->objects = oo_objects(oo);
	set_slab_list_state(slab, SLAB_ON_NONE);
	mod_node_page_state(page_pgdat(page), cache_vmstat_idx(s), (long)(PAGE_SIZE << oo_order(oo)));

	start = slab_address(slab);
	if (kmem_cache_debug(s))
		setup_slab_debug(s, slab, start);
	start += s->red_left_pad;
	p = setup_object(s, start);
	slab->freelist = p;
	for (unsigned int idx = 0; idx + 1 < slab->objects; idx++) {
		char *next = setup_object(s, p + s->size);

		freelist_link(s, p, next);
		p = next;
	}
	freelist_link(s, p, NULL);
	return slab;
}

static struct slab *new_slab(struct kmem_cache *s, gfp_t flags, int node, struct kmem_cache_cpu *c)
{
	if (unlikely(flags & GFP_SLAB_BUG_MASK))
		flags = kmalloc_fix_flags(flags);
	return allocate_slab(s, flags, node, c);
}

static void __free_slab(struct kmem_cache *s, struct slab *slab)
{
	struct page *page = slab_page(slab);
	unsigned int order = slab_order(slab);

	mod_node_page_state(page_pgdat(page), cache_vmstat_idx(s), -(long)(PAGE_SIZE << order));
	slab->slab_cache = NULL;
	slab->freelist = NULL;
	slab->counters = 0;
	slab->obj_exts = 0;
	__ClearPageSlab(page);
	__free_pages(page, order);
}

static void free_slab(struct kmem_cache *s, struct slab *slab)
{
	if (unlikely(s->flags & SLAB_TYPESAFE_BY_RCU)) {
		/* Readers may still look at the objects: wait for a grace period. */
		spin_lock(&slab_rcu_lock);
		list_add_tail(&slab->slab_list, &slab_rcu_deferred);
		slab_rcu_pages += 1UL << slab_order(slab);
		spin_unlock(&slab_rcu_lock);
		return;
	}
	__free_slab(s, slab);
}

static void discard_slab(struct kmem_cache *s, struct slab *slab)
{
	dec_slabs_node(s, slab_nid(slab), slab->objects);
	free_slab(s, slab);
}

void slab_rcu_barrier(void)
{
	struct list_head list;

	INIT_LIST_HEAD(&list);
	spin_lock(&slab_rcu_lock);
	list_splice_init(&slab_rcu_deferred, &list);
	slab_rcu_pages = 0;
	spin_unlock(&slab_rcu_lock);
	while (!list_empty(&list)) {
		struct slab *slab = list_first_entry(&list, struct slab, slab_list);

		list_del(&slab->slab_list);
		__free_slab(slab->slab_cache, slab);
	}
}

unsigned long slab_rcu_deferred_pages(void)
{
	unsigned long n;

	spin_lock(&slab_rcu_lock);
	n = slab_rcu_pages;
	spin_unlock(&slab_rcu_lock);
	return n;
}

/* ---- node lists (n->list_lock held) ---- */

static void add_partial(struct kmem_cache_node *n, struct slab *slab, int tail)
{
	lockdep_assert_held(&n->list_lock);
	n->nr_partial++;
	if (tail == DEACTIVATE_TO_TAIL)
		list_add_tail(&slab->slab_list, &n->partial);
	else
		list_add(&slab->slab_list, &n->partial);
	set_slab_list_state(slab, SLAB_ON_NODE_PARTIAL);
}

static void remove_partial(struct kmem_cache_node *n, struct slab *slab)
{
	lockdep_assert_held(&n->list_lock);
	list_del(&slab->slab_list);
	n->nr_partial--;
	set_slab_list_state(slab, SLAB_ON_NONE);
}

static void add_full(struct kmem_cache_node *n, struct slab *slab)
{
	lockdep_assert_held(&n->list_lock);
	list_add(&slab->slab_list, &n->full);
	set_slab_list_state(slab, SLAB_ON_FULL);
}

static void remove_full(struct kmem_cache_node *n, struct slab *slab)
{
	lockdep_assert_held(&n->list_lock);
	list_del(&slab->slab_list);
	set_slab_list_state(slab, SLAB_ON_NONE);
}

/* Take every free object of @slab for a CPU: it becomes (or stays) frozen. */
static void *freeze_slab(struct kmem_cache_node *n, struct slab *slab)
{
	void *freelist = slab->freelist;

	lockdep_assert_held(&n->list_lock);
	slab->freelist = NULL;
	slab->inuse = slab->objects;
	slab->frozen = 1;
	set_slab_list_state(slab, SLAB_ON_CPU);
	return freelist;
}

/* ---- per-CPU slabs ---- */

/*
 * deactivate_slab - give the CPU slab @slab back to its node with the
 * CPU's remaining free objects @freelist: partial, full, or freed if empty
 * and the node has min_partial partial slabs already.
 */
static void deactivate_slab(struct kmem_cache *s, struct kmem_cache_cpu *c, struct slab *slab,
			    void *freelist)
{
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));
	unsigned int cnt = 0;
	void *tail = NULL;
	bool discard = false;

	for (void *p = freelist; p; p = freelist_next(s, p)) {
		tail = p;
		cnt++;
	}
	spin_lock(&n->list_lock);
	if (tail) {
		freelist_link(s, tail, slab->freelist);
		slab->freelist = freelist;
	}
	slab->inuse -= cnt;
	slab->frozen = 0;
	if (!slab->inuse && n->nr_partial >= s->min_partial) {
		set_slab_list_state(slab, SLAB_ON_NONE);
		discard = true;
	} else if (slab->freelist) {
		add_partial(n, slab, tail ? DEACTIVATE_TO_TAIL : DEACTIVATE_TO_HEAD);
		stat(c, tail ? DEACTIVATE_TO_TAIL : DEACTIVATE_TO_HEAD);
	} else {
		add_full(n, slab);
		stat(c, DEACTIVATE_FULL);
	}
	spin_unlock(&n->list_lock);
	if (discard) {
		stat(c, DEACTIVATE_EMPTY);
		discard_slab(s, slab);
		stat(c, FREE_SLAB);
	}
}

/* Unfreeze a chain of CPU partial slabs onto their node lists (__put_partials). */
static void put_partials(struct kmem_cache *s, struct kmem_cache_cpu *c, struct slab *partial)
{
	struct kmem_cache_node *n = NULL;
	struct slab *discard = NULL;

	while (partial) {
		struct slab *slab = partial;
		struct kmem_cache_node *n2 = get_node(s, slab_nid(slab));

		partial = slab->next;
		if (n != n2) {
			if (n)
				spin_unlock(&n->list_lock);
			n = n2;
			spin_lock(&n->list_lock);
		}
		if (!slab->inuse && n->nr_partial >= s->min_partial) {
			set_slab_list_state(slab, SLAB_ON_NONE);
			slab->next = discard;
			discard = slab;
		} else {
			add_partial(n, slab, DEACTIVATE_TO_TAIL);
			stat(c, FREE_ADD_PARTIAL);
		}
	}
	if (n)
		spin_unlock(&n->list_lock);
	while (discard) {
		struct slab *slab = discard;

		discard = slab->next;
		discard_slab(s, slab);
		stat(c, FREE_SLAB);
	}
}

/*
 * put_cpu_partial - add @slab (state SLAB_ON_CPU_PARTIAL) to @c's partial
 * list; with @drain, a list already holding cpu_partial_slabs slabs goes
 * to the node lists first.
 */
static void put_cpu_partial(struct kmem_cache *s, struct kmem_cache_cpu *c, struct slab *slab,
			    bool drain)
{
	struct slab *oldslab = c->partial, *slab_to_put = NULL;
	int slabs = 0;

	if (oldslab) {
		if (drain && (unsigned int)oldslab->slabs >= s->cpu_partial_slabs) {
			slab_to_put = oldslab;
			oldslab = NULL;
		} else {
			slabs = oldslab->slabs;
		}
	}
	slab->slabs = slabs + 1;
	slab->next = oldslab;
	c->partial = slab;
	if (slab_to_put) {
		put_partials(s, c, slab_to_put);
		stat(c, CPU_PARTIAL_DRAIN);
	}
}

/* Empty @c: active slab and partial list back to the nodes. */
static void flush_cpu_state(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct slab *slab = c->slab, *partial = c->partial;
	void *freelist = c->freelist;

	c->slab = NULL;
	c->freelist = NULL;
	c->partial = NULL;
	if (slab) {
		deactivate_slab(s, c, slab, freelist);
		stat(c, CPUSLAB_FLUSH);
	}
	if (partial)
		put_partials(s, c, partial);
}

/**
 * slub_service_flush - a flusher asked this CPU to flush a cache: do it, acknowledge
 * @cpu: this CPU
 *
 * Context: the thread running @cpu, between slab operations.
 */
void slub_service_flush(int cpu)
{
	struct kmem_cache *s = atomic_load_explicit(&slub_flush[cpu].req, memory_order_acquire);

	if (!s)
		return;
	flush_cpu_state(s, &s->cpu_slab[cpu]);
	atomic_store_explicit(&slub_flush[cpu].req, NULL, memory_order_release);
}

/**
 * on_each_cpu_slab - run @fn(s, c, arg) as every CPU of @s
 * @s: the cache
 * @fn: what to do with a CPU's kmem_cache_cpu
 * @arg: passed to @fn
 *
 * Directly for this CPU and unoccupied ones; an occupied CPU is asked to
 * flush @s instead (its owner does so at its next slab call) and waited for.
 * Context: any thread; see the header on flushing.
 */
void on_each_cpu_slab(struct kmem_cache *s,
			     void (*fn)(struct kmem_cache *s, struct kmem_cache_cpu *c, void *arg),
			     void *arg)
{
	int self = smp_processor_id();
	bool posted[NR_CPUS] = { false };

	while (!spin_trylock(&slub_flush_lock)) {
		slub_check_flush(self);
		linmm_host_yield();
	}
	slub_check_flush(self);
	for (int cpu = 0; cpu < (int)nr_cpu_ids; cpu++) {
		if (cpu == self) {
			fn(s, &s->cpu_slab[cpu], arg);
		} else if (linmm_cpu_claim(cpu)) {
			fn(s, &s->cpu_slab[cpu], arg);
			linmm_cpu_unclaim(cpu);
		} else {
			atomic_store_explicit(&slub_flush[cpu].req, s, memory_order_release);
			posted[cpu] = true;
		}
	}
	for (int cpu = 0; cpu < (int)nr_cpu_ids; cpu++) {
		while (posted[cpu] && atomic_load_explicit(&slub_flush[cpu].req, memory_order_acquire)) {
			if (linmm_cpu_claim(cpu)) {
				/* The owner left before answering: flush as that CPU. */
				if (atomic_exchange_explicit(&slub_flush[cpu].req, NULL,
							     memory_order_acquire))
					flush_cpu_state(s, &s->cpu_slab[cpu]);
				linmm_cpu_unclaim(cpu);
				break;
			}
			linmm_host_yield();
		}
	}
	spin_unlock(&slub_flush_lock);
}

static void flush_fn(struct kmem_cache *s, struct kmem_cache_cpu *c, void *arg)
{
	(void)arg;
	flush_cpu_state(s, c);
}

/**
 * flush_all - move every CPU's active and partial slabs of @s to the nodes
 * @s: the cache
 *
 * Context: any thread; waits for occupied CPUs to answer (see the header).
 */
void flush_all(struct kmem_cache *s)
{
	on_each_cpu_slab(s, flush_fn, NULL);
}

/* ---- allocation ---- */

/* One partial slab of node @n for @c (frozen, freelist returned), more to c->partial. */
static void *get_partial_node(struct kmem_cache *s, struct kmem_cache_node *n,
			      struct kmem_cache_cpu *c, struct slab **ret)
{
	struct slab *slab, *tmp;
	void *object = NULL;
	unsigned int partial_slabs = 0;

	spin_lock(&n->list_lock);
	list_for_each_entry_safe(slab, tmp, &n->partial, slab_list) {
		if (!object) {
			remove_partial(n, slab);
			object = freeze_slab(n, slab);
			*ret = slab;
			continue;
		}
		remove_partial(n, slab);
		set_slab_list_state(slab, SLAB_ON_CPU_PARTIAL);
		put_cpu_partial(s, c, slab, /* drain = */ false);
		stat(c, CPU_PARTIAL_NODE);
		if (++partial_slabs > s->cpu_partial_slabs / 2)
			break;
	}
	spin_unlock(&n->list_lock);
	return object;
}

/* get_partial(): the requested (or local) node, then the others by distance. */
static void *get_partial(struct kmem_cache *s, gfp_t gfp, int node, struct kmem_cache_cpu *c,
			 struct slab **ret)
{
	int searchnode = node == NUMA_NO_NODE ? numa_node_id() : node;
	void *object = get_partial_node(s, get_node(s, searchnode), c, ret);

	if (object || node != NUMA_NO_NODE || nr_online_nodes == 1)
		return object;
	/* get_any_partial(): nearer nodes first; only nodes above min_partial. */
	for (int dist = 1; dist < 256 && !object; dist++) {
		int nid;

		for_each_online_node(nid) {
			struct kmem_cache_node *n = get_node(s, nid);
			bool enough;

			if (nid == searchnode || node_distance(searchnode, nid) != dist)
				continue;
			spin_lock(&n->list_lock);
			enough = n->nr_partial > s->min_partial;
			spin_unlock(&n->list_lock);
			if (enough && (object = get_partial_node(s, n, c, ret)))
				break;
		}
	}
	return object;
}

static void slab_out_of_memory(struct kmem_cache *s, gfp_t gfp, int nid)
{
	char gfpbuf[256];
	int node;

	if ((gfp & __GFP_NOWARN) || atomic_fetch_add(&slub_oom_reports, 1) >= 10)
		return;
	format_gfp_flags(gfp, gfpbuf, sizeof(gfpbuf));
	pr_warn("SLUB: Unable to allocate memory on node %d, gfp=%#x(%s)\n", nid, gfp, gfpbuf);
	pr_warn("  cache: %s, object size: %u, buffer size: %u, default order: %u, min order: %u\n",
		s->name, s->object_size, s->size, oo_order(s->oo), oo_order(s->min));
	for_each_online_node(node) {
		struct kmem_cache_node *n = get_node(s, node);
		unsigned long nr_free = 0;
		struct slab *slab;

		spin_lock(&n->list_lock);
		list_for_each_entry(slab, &n->partial, slab_list)
			nr_free += slab->objects - slab->inuse;
		spin_unlock(&n->list_lock);
		pr_warn("  node %d: slabs: %ld, objs: %ld, free: %lu\n", node,
			atomic_load(&n->nr_slabs), atomic_load(&n->total_objects), nr_free);
	}
}

/* ___slab_alloc(): refill @c and return one object, or NULL. */
static void *___slab_alloc(struct kmem_cache *s, gfp_t gfp, int node, struct kmem_cache_cpu *c)
{
	struct slab *slab;
	void *freelist;

	stat(c, ALLOC_SLOWPATH);
	slab = c->slab;
	if (slab) {
		struct kmem_cache_node *n = get_node(s, slab_nid(slab));

		if (unlikely(node != NUMA_NO_NODE && slab_nid(slab) != node)) {
			stat(c, ALLOC_NODE_MISMATCH);
			c->slab = NULL;
			freelist = c->freelist;
			c->freelist = NULL;
			deactivate_slab(s, c, slab, freelist);
			goto new_slab;
		}
		/* Objects freed remotely to our slab meanwhile? */
		spin_lock(&n->list_lock);
		freelist = freeze_slab(n, slab);
		spin_unlock(&n->list_lock);
		if (freelist) {
			stat(c, ALLOC_REFILL);
			goto load_freelist;
		}
		c->slab = NULL;
		deactivate_slab(s, c, slab, NULL);
	}
new_slab:
	while (c->partial) {
		struct kmem_cache_node *n;

		slab = c->partial;
		c->partial = slab->next;
		if (unlikely(node != NUMA_NO_NODE && slab_nid(slab) != node)) {
			slab->next = NULL;
			put_partials(s, c, slab);
			continue;
		}
		n = get_node(s, slab_nid(slab));
		spin_lock(&n->list_lock);
		freelist = freeze_slab(n, slab);
		spin_unlock(&n->list_lock);
		c->slab = slab;
		stat(c, CPU_PARTIAL_ALLOC);
		goto load_freelist;
	}
	freelist = get_partial(s, gfp, node, c, &slab);
	if (freelist) {
		c->slab = slab;
		stat(c, ALLOC_FROM_PARTIAL);
		goto load_freelist;
	}
	slab = new_slab(s, gfp, node, c);
	if (unlikely(!slab)) {
		slab_out_of_memory(s, gfp, node);
		return NULL;
	}
	stat(c, ALLOC_SLAB);
	inc_slabs_node(s, slab_nid(slab), slab->objects);
	freelist = slab->freelist;
	slab->freelist = NULL;
	slab->inuse = slab->objects;
	slab->frozen = 1;
	set_slab_list_state(slab, SLAB_ON_CPU);
	c->slab = slab;
load_freelist:
	c->freelist = freelist_next(s, freelist);
	return freelist;
}

/* A debug cache's allocation: one object from a node partial or a new slab. */
static void *alloc_debug_slow(struct kmem_cache *s, gfp_t gfp, int node, unsigned long addr,
			      unsigned int orig_size, struct kmem_cache_cpu *c)
{
	int searchnode = node == NUMA_NO_NODE ? numa_node_id() : node;
	struct kmem_cache_node *n = get_node(s, searchnode);
	struct slab *slab;
	void *object;

	stat(c, ALLOC_SLOWPATH);
	spin_lock(&n->list_lock);
	if (!list_empty(&n->partial)) {
		slab = list_first_entry(&n->partial, struct slab, slab_list);
		object = slab->freelist;
		slab->freelist = freelist_next(s, object);
		slab->inuse++;
		if (!alloc_debug_processing(s, slab, object, addr, orig_size)) {
			/* Corrupt: the slab is taken out of use (leaked), never the object handed out. */
			if (slab_list_state(slab) == SLAB_ON_NODE_PARTIAL) {
				remove_partial(n, slab);
				add_full(n, slab);
			}
			spin_unlock(&n->list_lock);
			return alloc_debug_slow(s, gfp, node, addr, orig_size, c);	/* next slab */
		}
		if (slab->inuse == slab->objects) {
			remove_partial(n, slab);
			add_full(n, slab);
		}
		spin_unlock(&n->list_lock);
		stat(c, ALLOC_FROM_PARTIAL);
		return object;
	}
	spin_unlock(&n->list_lock);

	slab = new_slab(s, gfp, node, c);
	if (unlikely(!slab)) {
		slab_out_of_memory(s, gfp, node);
		return NULL;
	}
	stat(c, ALLOC_SLAB);
	object = slab->freelist;
	slab->freelist = freelist_next(s, object);
	slab->inuse = 1;
	n = get_node(s, slab_nid(slab));
	spin_lock(&n->list_lock);
	inc_slabs_node(s, slab_nid(slab), slab->objects);
	if (!alloc_debug_processing(s, slab, object, addr, orig_size)) {
		add_full(n, slab);
		spin_unlock(&n->list_lock);
		return NULL;
	}
	if (slab->inuse == slab->objects)
		add_full(n, slab);
	else
		add_partial(n, slab, DEACTIVATE_TO_HEAD);
	spin_unlock(&n->list_lock);
	return object;
}

/**
 * slab_alloc_slow - slab_alloc_node() when this CPU's freelist cannot serve
 * @s: the cache
 * @gfp: GFP flags
 * @node: node to allocate on, or NUMA_NO_NODE
 * @addr: the caller (tracks)
 * @orig_size: requested size (kmalloc) or object_size
 * @c: this CPU's kmem_cache_cpu of @s
 *
 * Context: this CPU's thread; takes node list locks, may allocate pages.
 * Return: the object, or NULL.
 */
void *slab_alloc_slow(struct kmem_cache *s, gfp_t gfp, int node, unsigned long addr,
		      unsigned int orig_size, struct kmem_cache_cpu *c)
{
	if (unlikely(kmem_cache_debug(s)))
		return alloc_debug_slow(s, gfp, node, addr, orig_size, c);
	return ___slab_alloc(s, gfp, node, c);
}

/**
 * slab_alloc_node_full - slab_alloc_node() when its fast path declined
 * @s: the cache
 * @gfp: GFP flags
 * @node: node to allocate on, or NUMA_NO_NODE
 * @addr: the caller (tracks)
 * @orig_size: requested size (kmalloc) or object_size
 *
 * failslab, a pending flush request of this CPU, then this CPU's freelist
 * or slab_alloc_slow(); __GFP_ZERO zeroes the object.
 * Context: this CPU's thread; takes node list locks, may allocate pages.
 * Return: the object, or NULL.
 */
void *slab_alloc_node_full(struct kmem_cache *s, gfp_t gfp, int node, unsigned long addr,
			   unsigned int orig_size)
{
	int cpu = smp_processor_id();
	struct kmem_cache_cpu *c;
	void *object;

	if (unlikely(failslab.attr.probability) && should_failslab(s, gfp))
		return NULL;
	slub_check_flush(cpu);
	c = &s->cpu_slab[cpu];
	object = c->freelist;
	if (object && (node == NUMA_NO_NODE || slab_nid(c->slab) == node)) {
		c->freelist = freelist_next(s, object);
		stat(c, ALLOC_FASTPATH);
	} else {
		object = slab_alloc_slow(s, gfp, node, addr, orig_size, c);
	}
	if (unlikely(gfp & __GFP_ZERO) && object)
		memset(object, 0, s->object_size);
	return object;
}

/* ---- freeing ---- */

/* __slab_free(): @cnt objects @head..@tail into @slab, which is not this CPU's slab. */
static void __slab_free(struct kmem_cache *s, struct kmem_cache_cpu *c, struct slab *slab,
			void *head, void *tail, unsigned int cnt)
{
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));
	struct slab *discard = NULL;
	bool to_cpu_partial = false;

	stat(c, FREE_SLOWPATH);
	spin_lock(&n->list_lock);
	freelist_link(s, tail, slab->freelist);
	slab->freelist = head;
	slab->inuse -= cnt;
	switch (slab_list_state(slab)) {
	case SLAB_ON_CPU:
		stat(c, FREE_FROZEN);
		break;
	case SLAB_ON_FULL:
		remove_full(n, slab);
		if (kmem_cache_has_cpu_partial(s)) {
			set_slab_list_state(slab, SLAB_ON_CPU_PARTIAL);
			to_cpu_partial = true;
			stat(c, CPU_PARTIAL_FREE);
		} else if (!slab->inuse && n->nr_partial >= s->min_partial) {
			discard = slab;
		} else {
			add_partial(n, slab, DEACTIVATE_TO_TAIL);
			stat(c, FREE_ADD_PARTIAL);
		}
		break;
	case SLAB_ON_NODE_PARTIAL:
		if (!slab->inuse && n->nr_partial >= s->min_partial) {
			remove_partial(n, slab);
			discard = slab;
			stat(c, FREE_REMOVE_PARTIAL);
		}
		break;
	default:		/* SLAB_ON_CPU_PARTIAL: stays on that CPU's list */
		break;
	}
	spin_unlock(&n->list_lock);
	if (to_cpu_partial)
		put_cpu_partial(s, c, slab, /* drain = */ true);
	if (discard) {
		discard_slab(s, discard);
		stat(c, FREE_SLAB);
	}
}

/* free_to_partial_list(): a debug cache's free, checked, one object. */
static void free_debug_slow(struct kmem_cache *s, struct kmem_cache_cpu *c, struct slab *slab,
			    void *object, unsigned long addr)
{
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));
	struct slab *discard = NULL;
	void *prior;

	stat(c, FREE_SLOWPATH);
	spin_lock(&n->list_lock);
	if (!free_debug_processing(s, slab, object, addr))
		goto out;
	prior = slab->freelist;
	freelist_link(s, object, prior);
	slab->freelist = object;
	slab->inuse--;
	if (slab->frozen)	/* taken out of use by a failed check: stays there */
		goto out;
	if (!slab->inuse && n->nr_partial >= s->min_partial) {
		if (slab_list_state(slab) == SLAB_ON_FULL)
			remove_full(n, slab);
		else
			remove_partial(n, slab);
		discard = slab;
	} else if (slab_list_state(slab) == SLAB_ON_FULL) {
		remove_full(n, slab);
		add_partial(n, slab, DEACTIVATE_TO_TAIL);
	}
out:
	spin_unlock(&n->list_lock);
	if (discard)
		discard_slab(s, discard);
}

/**
 * slab_free_slow - slab_free() of an object that is not on this CPU's slab
 * @s: slab->slab_cache
 * @c: this CPU's kmem_cache_cpu of @s
 * @slab: the slab holding @obj
 * @obj: the object; a pointer that does not start an object is reported
 * @addr: the caller
 *
 * Context: this CPU's thread; takes the slab's node list lock.
 */
void slab_free_slow(struct kmem_cache *s, struct kmem_cache_cpu *c, struct slab *slab, void *obj,
		    unsigned long addr)
{
	if (unlikely(!slab_obj_is_start(s, slab, obj))) {
		slab_err(s, slab, "Invalid object pointer 0x%lx", linmm_kernel_address(obj));
		return;
	}
	if (slab == c->slab) {
		/* Only a free of the CPU freelist's head gets here: the naive double free. */
		freelist_link(s, obj, c->freelist);
		c->freelist = obj;
		return;
	}
	if (unlikely(kmem_cache_debug(s)))
		free_debug_slow(s, c, slab, obj, addr);
	else
		__slab_free(s, c, slab, obj, obj, 1);
}

/**
 * slab_free_full - slab_free() when its fast path declined
 * @s: slab->slab_cache
 * @slab: the slab holding @obj
 * @obj: the object
 * @addr: the caller
 *
 * A pending flush request of this CPU first, then this CPU's freelist or
 * slab_free_slow().
 * Context: this CPU's thread; takes the slab's node list lock.
 */
void slab_free_full(struct kmem_cache *s, struct slab *slab, void *obj, unsigned long addr)
{
	int cpu = smp_processor_id();
	struct kmem_cache_cpu *c;

	slub_check_flush(cpu);
	c = &s->cpu_slab[cpu];
	if (slab == c->slab && obj != c->freelist && slab_obj_is_start(s, slab, obj)) {
		freelist_store(s, obj, c->freelist);
		c->freelist = obj;
		stat(c, FREE_FASTPATH);
		return;
	}
	slab_free_slow(s, c, slab, obj, addr);
}

/**
 * virt_to_slab - the slab an address belongs to
 * @obj: any pointer
 *
 * Return: the slab, or NULL if @obj is not in the direct map or its page
 * is not a slab page.
 */
struct slab *virt_to_slab(const void *obj)
{
	return slab_addr_valid(obj) ? __virt_to_slab(obj) : NULL;
}

/* ---- shrinking, shutdown, creation ---- */

/**
 * __kmem_cache_shrink - flush the CPUs, free empty slabs, sort the partials
 * @s: the cache
 *
 * Partial slabs are reordered fullest first (they are allocated from
 * first), deferred RCU slabs are released.
 * Context: any thread; see flush_all().
 * Return: 0 if every slab was freed, 1 if some remain (in use).
 */
int __kmem_cache_shrink(struct kmem_cache *s)
{
	struct list_head promote[SHRINK_PROMOTE_MAX], discard;
	struct slab *slab, *tmp;
	int node, ret = 0;

	flush_all(s);
	for_each_online_node(node) {
		struct kmem_cache_node *n = get_node(s, node);

		INIT_LIST_HEAD(&discard);
		for (int i = 0; i < SHRINK_PROMOTE_MAX; i++)
			INIT_LIST_HEAD(promote + i);
		spin_lock(&n->list_lock);
		list_for_each_entry_safe(slab, tmp, &n->partial, slab_list) {
			unsigned int free = slab->objects - slab->inuse;

			if (free == slab->objects) {
				remove_partial(n, slab);
				list_add(&slab->slab_list, &discard);
			} else if (free <= SHRINK_PROMOTE_MAX) {
				list_move(&slab->slab_list, promote + free - 1);
			}
		}
		for (int i = SHRINK_PROMOTE_MAX - 1; i >= 0; i--)
			list_splice_init(promote + i, &n->partial);
		spin_unlock(&n->list_lock);
		list_for_each_entry_safe(slab, tmp, &discard, slab_list) {
			list_del(&slab->slab_list);
			discard_slab(s, slab);
		}
		if (atomic_load(&n->nr_slabs))
			ret = 1;
	}
	slab_rcu_barrier();
	return ret;
}

/* free_partial(): empty slabs go, slabs with objects in use are reported. */
static void free_node_slabs(struct kmem_cache *s, struct kmem_cache_node *n)
{
	struct list_head discard;
	struct slab *slab, *tmp;

	INIT_LIST_HEAD(&discard);
	spin_lock(&n->list_lock);
	list_for_each_entry_safe(slab, tmp, &n->partial, slab_list) {
		if (!slab->inuse) {
			remove_partial(n, slab);
			list_add(&slab->slab_list, &discard);
		} else {
			list_slab_objects(s, slab, "Objects remaining in %s on __kmem_cache_shutdown()");
		}
	}
	list_for_each_entry(slab, &n->full, slab_list)
		list_slab_objects(s, slab, "Objects remaining in %s on __kmem_cache_shutdown()");
	spin_unlock(&n->list_lock);
	list_for_each_entry_safe(slab, tmp, &discard, slab_list) {
		list_del(&slab->slab_list);
		discard_slab(s, slab);
	}
}

/**
 * __kmem_cache_shutdown - empty @s before it is destroyed
 * @s: the cache
 *
 * Context: nobody allocates from @s any more; any thread.
 * Return: 0, or -EBUSY if objects remain (reported, and their slabs leaked).
 */
int __kmem_cache_shutdown(struct kmem_cache *s)
{
	int node, ret = 0;

	flush_all(s);
	for_each_online_node(node) {
		struct kmem_cache_node *n = get_node(s, node);

		free_node_slabs(s, n);
		if (atomic_load(&n->nr_slabs))
			ret = -EBUSY;
	}
	slab_rcu_barrier();
	return ret;
}

static bool is_boot_cache(const struct kmem_cache *s)
{
	return s == &boot_kmem_cache || s == &boot_kmem_cache_node;
}

/**
 * __kmem_cache_release - free the per-CPU and per-node structures of @s
 * @s: a cache that is empty (or leaked)
 *
 * Context: cache destruction or machine shutdown.
 */
void __kmem_cache_release(struct kmem_cache *s)
{
	int node;

	linmm_host_free(s->cpu_slab_alloc);
	s->cpu_slab_alloc = NULL;
	s->cpu_slab = NULL;
	/* A cache from kmem_cache has node[] up to nr_online_nodes only. */
	for_each_online_node(node) {
		if (s->node[node] && !is_boot_cache(s) && kmem_cache_node)
			slab_free(kmem_cache_node, virt_to_slab(s->node[node]), s->node[node], _RET_IP_);
		s->node[node] = NULL;
	}
}

static void init_kmem_cache_node(struct kmem_cache_node *n)
{
	memset(n, 0, sizeof(*n));
	spin_lock_init(&n->list_lock);
	INIT_LIST_HEAD(&n->partial);
	INIT_LIST_HEAD(&n->full);
}

static int init_kmem_cache_nodes(struct kmem_cache *s)
{
	int node;

	for_each_online_node(node) {
		struct kmem_cache_node *n;

		if (s == &boot_kmem_cache_node)
			n = &boot_nodes[0][node];
		else if (s == &boot_kmem_cache)
			n = &boot_nodes[1][node];
		else
			n = slab_alloc_node(kmem_cache_node, GFP_KERNEL, node, _RET_IP_,
					    kmem_cache_node->object_size);
		if (!n)
			return -ENOMEM;
		init_kmem_cache_node(n);
		s->node[node] = n;
	}
	return 0;
}

static int alloc_kmem_cache_cpus(struct kmem_cache *s)
{
	size_t bytes = (size_t)nr_cpu_ids * sizeof(struct kmem_cache_cpu);
	char *raw = linmm_host_zalloc(bytes + CACHE_LINE_SIZE);

	if (!raw)
		return -ENOMEM;
	s->cpu_slab_alloc = raw;
	s->cpu_slab = (struct kmem_cache_cpu *)ALIGN((uintptr_t)raw, CACHE_LINE_SIZE);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		spin_lock_init(&s->cpu_slab[cpu].lock);
	return 0;
}

/**
 * __kmem_cache_create - finish creating @s: flags, sizes, nodes, CPUs
 * @s: cache with name, object_size, align and ctor set
 * @flags: the creator's SLAB_* flags (slub_debug= may add some)
 *
 * Context: slab_mutex held (boot caches: boot).
 * Return: 0, -EINVAL (no possible layout) or -ENOMEM.
 */
int __kmem_cache_create(struct kmem_cache *s, slab_flags_t flags)
{
	int err;

	s->flags = kmem_cache_flags(flags, s->name);
	s->random = slab_random();
	err = calculate_sizes(s);
	if (err)
		return err;
	s->min_partial = clamp((unsigned long)ilog2_u64(s->size) / 2, (unsigned long)MIN_PARTIAL,
			       (unsigned long)MAX_PARTIAL);
	set_cpu_partial(s);
	err = init_kmem_cache_nodes(s);
	if (!err)
		err = alloc_kmem_cache_cpus(s);
	if (err)
		__kmem_cache_release(s);
	return err;
}

/**
 * kmem_cache_init - boot the slab allocator (mm_core_init)
 *
 * The two static caches kmem_cache_node and kmem_cache, then every kmalloc
 * cache, then the "SLUB: HWalign=..." line.
 * Context: boot, after the page allocator is up.
 * Return: 0 or -ENOMEM.
 */
int kmem_cache_init(void)
{
	int err;

	slub_min_order = boot_params.slub_min_order;
	slub_max_order = boot_params.slub_max_order;
	slub_min_objects = boot_params.slub_min_objects;
	slab_nomerge = boot_params.slab_merge == 0;
	slab_random_state = 0x5d1b5eedULL;	/* same boot, same keys */
	atomic_store(&slub_oom_reports, 0);
	failslab_reset();
	INIT_LIST_HEAD(&slab_caches);
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		atomic_store(&slub_flush[cpu].req, NULL);
	slab_state = DOWN;

	kmem_cache_node = &boot_kmem_cache_node;
	err = create_boot_cache(kmem_cache_node, "kmem_cache_node", sizeof(struct kmem_cache_node),
				SLAB_HWCACHE_ALIGN | SLAB_NO_OBJ_EXT);
	if (err)
		return err;
	slab_state = PARTIAL;
	kmem_cache = &boot_kmem_cache;
	err = create_boot_cache(kmem_cache, "kmem_cache",
				(unsigned int)(offsetof(struct kmem_cache, node) +
					       (size_t)nr_online_nodes * sizeof(struct kmem_cache_node *)),
				SLAB_HWCACHE_ALIGN | SLAB_NO_OBJ_EXT);
	if (err)
		return err;
	/* kmem_cache is the older one in slab_caches, as after the kernel's bootstrap(). */
	list_move(&kmem_cache->list, &slab_caches);
	slab_state = UP;
	err = create_kmalloc_caches();
	if (err)
		return err;
	pr_info("SLUB: HWalign=%d, Order=%u-%u, MinObjects=%u, CPUs=%u, Nodes=%d\n",
		CACHE_LINE_SIZE, slub_min_order, slub_max_order, slub_min_objects, nr_cpu_ids,
		nr_online_nodes);
	slab_state = FULL;
	return 0;
}

/**
 * kmem_cache_teardown - forget every cache at machine shutdown
 *
 * Slab pages go with the machine's memory; only host-side allocations
 * (names, per-CPU arrays) are freed here.
 * Context: shutdown; no allocation runs.
 */
void kmem_cache_teardown(void)
{
	struct kmem_cache *s, *tmp;

	if (!slab_caches.next)
		return;
	list_for_each_entry_safe(s, tmp, &slab_caches, list) {
		list_del(&s->list);
		linmm_host_free(s->cpu_slab_alloc);
		linmm_host_free((void *)s->name);
		for (int node = 0; node < nr_online_nodes; node++)
			s->node[node] = NULL;
		s->cpu_slab_alloc = NULL;
		s->cpu_slab = NULL;
		s->name = NULL;
	}
	spin_lock(&slab_rcu_lock);
	INIT_LIST_HEAD(&slab_rcu_deferred);
	slab_rcu_pages = 0;
	spin_unlock(&slab_rcu_lock);
	memset(kmalloc_caches, 0, sizeof(kmalloc_caches));
	kmem_cache = kmem_cache_node = NULL;
	slab_state = DOWN;
}

/**
 * get_slabinfo - the counts /proc/slabinfo shows for @s
 * @s: the cache
 * @sinfo: filled in; objects on CPU slabs count as active, as in the kernel
 *
 * Context: takes each node's list_lock.
 */
void get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo)
{
	unsigned long nr_slabs = 0, nr_objs = 0, nr_free = 0;
	int node;

	for_each_online_node(node) {
		struct kmem_cache_node *n = get_node(s, node);
		struct slab *slab;

		nr_slabs += (unsigned long)atomic_load(&n->nr_slabs);
		nr_objs += (unsigned long)atomic_load(&n->total_objects);
		spin_lock(&n->list_lock);
		list_for_each_entry(slab, &n->partial, slab_list)
			nr_free += slab->objects - slab->inuse;
		spin_unlock(&n->list_lock);
	}
	memset(sinfo, 0, sizeof(*sinfo));
	sinfo->active_objs = nr_objs - nr_free;
	sinfo->num_objs = nr_objs;
	sinfo->active_slabs = nr_slabs;
	sinfo->num_slabs = nr_slabs;
	sinfo->objects_per_slab = oo_objects(s->oo);
	sinfo->cache_order = oo_order(s->oo);
}
