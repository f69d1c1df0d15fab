// SPDX-License-Identifier: MIT
/*
 * slab_common.c - cache creation, merging and destruction; kmalloc
 * (mm/slab_common.c, and the kmalloc entry points of mm/slub.c).
 *
 * Caches live on slab_caches in creation order (oldest first) under
 * slab_mutex.  kmem_cache_create() first looks for a compatible existing
 * cache (find_mergeable(): no constructor, no debug or never-merge flags,
 * same SLAB_MERGE_SAME flags, slot at most a word larger and aligned
 * enough) and returns it as an alias (refcount + 1) unless slab_nomerge.
 * struct kmem_cache itself comes from the "kmem_cache" cache; the name is
 * a host copy.
 *
 * kmalloc size classes (x86_64, KMALLOC_MIN_SIZE 8):
 *
 *   index  1   2   3  4  5  6  7   8   9   10 11 12 13
 *   size   96  192 8  16 32 64 128 256 512 1k 2k 4k 8k
 *
 * sizes up to 192 through kmalloc_size_index[(size - 1) / 8] (65..96 -> 96,
 * 129..192 -> 192), above that fls(size - 1).  Four families by GFP flags:
 * kmalloc- (normal), kmalloc-rcl- (__GFP_RECLAIMABLE), dma-kmalloc-
 * (__GFP_DMA), kmalloc-cg- (__GFP_ACCOUNT).  Power-of-two caches are
 * aligned to their size.  Above 8 KiB kmalloc takes compound pages
 * (PGTY_large_kmalloc, counted in NR_SLAB_UNRECLAIMABLE_B).
 *
 * Locks: slab_mutex protects slab_caches and refcounts; it is never held
 * while a cache is flushed or shut down (see slub.c on flushing).
 */
#include <string.h>

#include <linmm/memblock.h>
#include <linmm/printk.h>
#include <linmm/vmstat.h>

#include "kernel/host.h"
#include "kernel/machine.h"
#include "kernel/trace/trace.h"
#include "mm/internal.h"
#include "mm/slab.h"

#define ARCH_KMALLOC_MINALIGN 8u
/* kmem_cache_create() accepts these; the rest are slub_debug= or internal. */
#define SLAB_FLAGS_PERMITTED (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | \
			      SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | \
			      SLAB_STORE_USER | SLAB_PANIC | SLAB_TYPESAFE_BY_RCU | SLAB_TRACE | \
			      SLAB_NOLEAKTRACE | SLAB_NO_MERGE | SLAB_FAILSLAB | SLAB_ACCOUNT | \
			      SLAB_NO_USER_FLAGS | SLAB_RECLAIM_ACCOUNT | SLAB_NO_OBJ_EXT)

spinlock_t slab_mutex;
struct list_head slab_caches;
bool slab_nomerge;
enum slab_state slab_state;
struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];

#define INIT_KMALLOC_INFO(__size, __short)					\
	{ .name = { "kmalloc-" #__short, "kmalloc-rcl-" #__short,		\
		    "dma-kmalloc-" #__short, "kmalloc-cg-" #__short },		\
	  .size = __size }

const struct kmalloc_info_struct kmalloc_info[] = {
	INIT_KMALLOC_INFO(0, 0),	INIT_KMALLOC_INFO(96, 96),
	INIT_KMALLOC_INFO(192, 192),	INIT_KMALLOC_INFO(8, 8),
	INIT_KMALLOC_INFO(16, 16),	INIT_KMALLOC_INFO(32, 32),
	INIT_KMALLOC_INFO(64, 64),	INIT_KMALLOC_INFO(128, 128),
	INIT_KMALLOC_INFO(256, 256),	INIT_KMALLOC_INFO(512, 512),
	INIT_KMALLOC_INFO(1024, 1k),	INIT_KMALLOC_INFO(2048, 2k),
	INIT_KMALLOC_INFO(4096, 4k),	INIT_KMALLOC_INFO(8192, 8k),
};

/* Index for sizes 1..192, by (size - 1) / 8 (the kernel's kmalloc_size_index). */
static const u8 kmalloc_size_index[24] = {
	3, 4, 5, 5, 6, 6, 6, 6,		/*   8 ..  64 */
	1, 1, 1, 1, 7, 7, 7, 7,		/*  72 .. 128 */
	2, 2, 2, 2, 2, 2, 2, 2,		/* 136 .. 192 */
};

/**
 * kmalloc_index - index into kmalloc_caches for @size
 * @size: 1 .. KMALLOC_MAX_CACHE_SIZE
 *
 * Return: the index, 0 for size 0.
 */
static inline unsigned int __kmalloc_index(size_t size)
{
	if (size <= 192)
		return kmalloc_size_index[(size - 1) / 8];
	return (unsigned int)fls64(size - 1);
}

unsigned int kmalloc_index(size_t size)
{
	return size ? __kmalloc_index(size) : 0;
}

/* kmalloc_type(): the family a request's GFP flags select. */
static inline enum kmalloc_cache_type kmalloc_type(gfp_t flags)
{
	if (likely(!(flags & (__GFP_RECLAIMABLE | __GFP_DMA | __GFP_ACCOUNT))))
		return KMALLOC_NORMAL;
	if (flags & __GFP_DMA)
		return KMALLOC_DMA;
	if (flags & __GFP_RECLAIMABLE)
		return KMALLOC_RECLAIM;
	return KMALLOC_CGROUP;
}

static inline struct kmem_cache *kmalloc_slab(size_t size, gfp_t flags)
{
	unsigned int index = __kmalloc_index(size);

	if (likely(!(flags & (__GFP_RECLAIMABLE | __GFP_DMA | __GFP_ACCOUNT))))
		return kmalloc_caches[KMALLOC_NORMAL][index];
	return kmalloc_caches[kmalloc_type(flags)][index];
}

/**
 * kmalloc_fix_flags - drop GFP flags a slab allocation may not carry
 * @flags: the request's flags (with some of GFP_SLAB_BUG_MASK)
 *
 * Return: @flags without them, after the kernel's warning.
 */
gfp_t kmalloc_fix_flags(gfp_t flags)
{
	gfp_t invalid_mask = flags & GFP_SLAB_BUG_MASK;
	char a[256], b[256];

	flags &= ~GFP_SLAB_BUG_MASK;
	format_gfp_flags(invalid_mask, a, sizeof(a));
	format_gfp_flags(flags, b, sizeof(b));
	pr_warn("Unexpected gfp: %#x (%s). Fixing up to gfp: %#x (%s). Fix your code!\n",
		invalid_mask, a, flags, b);
	return flags;
}

/* ---- cache creation and merging ---- */

static bool slab_unmergeable(const struct kmem_cache *s)
{
	return slab_nomerge || (s->flags & SLAB_NEVER_MERGE) || s->ctor || s->usersize ||
	       s->refcount < 0;
}

/* find_mergeable(): the oldest cache that can stand in for a new one. slab_mutex held. */
static struct kmem_cache *find_mergeable(unsigned int size, unsigned int align,
					 slab_flags_t flags, const char *name, void (*ctor)(void *))
{
	struct kmem_cache *s;

	if (slab_nomerge || ctor)
		return NULL;
	flags = kmem_cache_flags(flags, name);
	if (flags & SLAB_NEVER_MERGE)
		return NULL;
	size = ALIGN(size, (unsigned int)sizeof(void *));
	align = calculate_alignment(flags, align, size);
	size = ALIGN(size, align);
	list_for_each_entry(s, &slab_caches, list) {
		if (slab_unmergeable(s) || size > s->size)
			continue;
		if ((flags & SLAB_MERGE_SAME) != (s->flags & SLAB_MERGE_SAME))
			continue;
		if ((s->size & ~(align - 1)) != s->size)
			continue;
		if (s->size - size >= sizeof(void *))
			continue;
		return s;
	}
	return NULL;
}

static char *host_strdup(const char *name)
{
	size_t len = strlen(name) + 1;
	char *copy = linmm_host_alloc(len);

	if (copy)
		memcpy(copy, name, len);
	return copy;
}

/**
 * create_boot_cache - set up a cache whose struct is already allocated
 * @s: zeroed struct kmem_cache (static, or from the kmem_cache cache)
 * @name: its name (copied)
 * @size: object size
 * @flags: SLAB_* flags; SLAB_KMALLOC caches are aligned to the largest
 *	   power of two dividing @size
 *
 * Adds @s to slab_caches with refcount -1 (exempt from merging).
 * Context: boot, or slab_mutex held.
 * Return: 0 or -errno.
 */
int create_boot_cache(struct kmem_cache *s, const char *name, unsigned int size,
		      slab_flags_t flags)
{
	unsigned int align = ARCH_KMALLOC_MINALIGN;
	int err;

	if (flags & SLAB_KMALLOC)
		align = max(align, size & -size);
	s->name = host_strdup(name);
	if (!s->name)
		return -ENOMEM;
	s->object_size = s->size = size;
	s->align = calculate_alignment(flags, align, size);
	err = __kmem_cache_create(s, flags);
	if (err) {
		linmm_host_free((void *)s->name);
		s->name = NULL;
		return err;
	}
	s->refcount = -1;
	list_add_tail(&s->list, &slab_caches);
	return 0;
}

static struct kmem_cache *create_cache(const char *name, unsigned int object_size,
				       unsigned int align, slab_flags_t flags,
				       void (*ctor)(void *), int *errp)
{
	struct kmem_cache *s = slab_alloc_node(kmem_cache, GFP_KERNEL | __GFP_ZERO, NUMA_NO_NODE,
					       _RET_IP_, kmem_cache->object_size);
	int err = -ENOMEM;

	if (!s)
		goto out;
	s->name = host_strdup(name);
	if (!s->name)
		goto out_free;
	s->object_size = s->size = object_size;
	s->align = calculate_alignment(flags, align, object_size);
	s->ctor = ctor;
	err = __kmem_cache_create(s, flags);
	if (err)
		goto out_free_name;
	s->refcount = 1;
	list_add_tail(&s->list, &slab_caches);
	return s;
out_free_name:
	linmm_host_free((void *)s->name);
out_free:
	kmem_cache_free(kmem_cache, s);
out:
	*errp = err;
	return NULL;
}

/**
 * kmem_cache_create - create a cache (see <linmm/slab.h>)
 * @name: shown in /proc/slabinfo; copied
 * @size: object size (1 .. KMALLOC_MAX_SIZE)
 * @align: minimum alignment (0: word)
 * @flags: SLAB_* flags
 * @ctor: constructor, run once per object when its slab is made, or NULL
 *
 * Context: takes slab_mutex.
 * Return: the cache or an alias, NULL on failure (a panic with SLAB_PANIC).
 */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *))
{
	struct kmem_cache *s = NULL;
	int err = 0;

	spin_lock(&slab_mutex);
	if (!name || !size || size > KMALLOC_MAX_SIZE || (align & (align - 1))) {
		pr_err("kmem_cache_create(%s) integrity check failed\n", name ? name : "(null)");
		err = -EINVAL;
		goto out_unlock;
	}
	if (flags & ~SLAB_FLAGS_PERMITTED) {
		err = -EINVAL;
		goto out_unlock;
	}
	s = find_mergeable(size, align, flags, name, ctor);
	if (s) {
		s->refcount++;
		s->object_size = max(s->object_size, size);
		s->inuse = max(s->inuse, ALIGN(size, (unsigned int)sizeof(void *)));
		goto out_unlock;
	}
	s = create_cache(name, size, align, flags, ctor, &err);
out_unlock:
	spin_unlock(&slab_mutex);
	if (err) {
		if (flags & SLAB_PANIC) {
			printk(KERN_EMERG "Kernel panic - not syncing: __kmem_cache_create_args: "
			       "Failed to create slab '%s'. Error %d\n", name ? name : "(null)", err);
			BUG();
		}
		pr_warn("__kmem_cache_create_args(%s) failed with error %d\n",
			name ? name : "(null)", err);
		return NULL;
	}
	return s;
}

/**
 * kmem_cache_destroy - drop a reference to @s; the last one destroys it
 * @s: the cache (NULL is ignored)
 *
 * Objects still allocated are reported (list_slab_objects() and the
 * kernel's WARN) and the cache is leaked: it stays on slab_caches.
 * Context: takes slab_mutex; flushes every CPU (slub.c).
 */
void kmem_cache_destroy(struct kmem_cache *s)
{
	unsigned long caller = _RET_IP_;
	int err;

	if (!s)
		return;
	spin_lock(&slab_mutex);
	if (--s->refcount) {
		spin_unlock(&slab_mutex);
		return;
	}
	spin_unlock(&slab_mutex);

	err = __kmem_cache_shutdown(s);
	if (err) {
		char sym[128];

		linmm_host_symbolize(caller, sym, sizeof(sym));
		printk(KERN_WARNING "kmem_cache_destroy %s: Slab cache still has objects when "
		       "called from %s\n", s->name, sym);
		WARN_ON(err);
		return;
	}
	spin_lock(&slab_mutex);
	list_del(&s->list);
	spin_unlock(&slab_mutex);
	__kmem_cache_release(s);
	linmm_host_free((void *)s->name);
	kmem_cache_free(kmem_cache, s);
}

/**
 * kmem_cache_shrink - release the empty slabs of @s, per-CPU ones too
 * @s: the cache
 *
 * Context: flushes every CPU (slub.c).
 * Return: 0 if every slab was released, 1 if some hold objects (the kernel's
 * __kmem_cache_shrink()).
 */
int kmem_cache_shrink(struct kmem_cache *s)
{
	return __kmem_cache_shrink(s);
}

/* kmem_cache_size - the object size of @s (object_size). Context: any. */
unsigned int kmem_cache_size(struct kmem_cache *s)
{
	return s->object_size;
}

/* kmem_cache_name - the name of @s as /proc/slabinfo shows it. Context: any. */
const char *kmem_cache_name(const struct kmem_cache *s)
{
	return s->name;
}

/**
 * kmem_cache_find - look a cache up by name (aliases have none of their own)
 * @name: the cache's name
 *
 * Context: takes slab_mutex.
 * Return: the cache or NULL.
 */
struct kmem_cache *kmem_cache_find(const char *name)
{
	struct kmem_cache *s, *found = NULL;

	spin_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		if (!strcmp(s->name, name)) {
			found = s;
			break;
		}
	}
	spin_unlock(&slab_mutex);
	return found;
}

/* ---- kmem_cache_alloc / free ---- */

/**
 * kmem_cache_alloc - allocate an object of @s
 * @s: the cache
 * @flags: GFP flags
 *
 * kmem_cache_alloc_node() asks for node @node, kmem_cache_zalloc() zeroes.
 * Context: any; may sleep if @flags allow.
 * Return: the object or NULL.
 */
/*
 * The allocation, then its kmem_cache_alloc event (the kernel traces with
 * the node asked for).  The event test is one load after the fast path.
 */
static inline void *cache_alloc_traced(struct kmem_cache *s, gfp_t flags, int node,
				       unsigned long caller)
{
	void *ret = slab_alloc_node(s, flags, node, caller, s->object_size);

	if (trace_event_enabled(TRACE_KMEM_CACHE_ALLOC))
		trace_kmem_cache_alloc(caller, ret, s, flags, node);
	return ret;
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags)
{
	return cache_alloc_traced(s, flags, NUMA_NO_NODE, _RET_IP_);
}

void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t flags, int node)
{
	return cache_alloc_traced(s, flags, node, _RET_IP_);
}

void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t flags)
{
	return cache_alloc_traced(s, flags | __GFP_ZERO, NUMA_NO_NODE, _RET_IP_);
}

/* cache_from_obj(): the cache @x really belongs to, NULL if none (both warned). */
static struct kmem_cache *cache_from_obj(struct kmem_cache *s, const void *x,
					 struct slab **slabp)
{
	struct slab *slab = virt_to_slab(x);

	if (unlikely(!slab)) {
		pr_warn("kmem_cache_free: Object is not a Slab page!\n");
		WARN_ON(1);
		return NULL;
	}
	*slabp = slab;
	if (unlikely(slab->slab_cache != s)) {
		pr_warn("kmem_cache_free: Wrong slab cache. %s but object is from %s\n", s->name,
			slab->slab_cache->name);
		WARN_ON(1);
	}
	return slab->slab_cache;
}

/* kmem_cache_free() of an object not on a slab of @s: warn, free it to its own cache. */
static __attribute__((noinline)) void kmem_cache_free_mismatch(struct kmem_cache *s, void *x,
								unsigned long addr)
{
	struct slab *slab;

	s = cache_from_obj(s, x, &slab);
	if (!s)
		return;
	if (trace_event_enabled(TRACE_KMEM_CACHE_FREE))
		trace_kmem_cache_free(addr, x, s);
	slab_free(s, slab, x, addr);
}

/**
 * kmem_cache_free - free an object of @s
 * @s: the cache (a different cache is reported and the object's own used)
 * @x: the object
 *
 * Context: any.
 */
void kmem_cache_free(struct kmem_cache *s, void *x)
{
	struct slab *slab = slab_addr_valid(x) ? __virt_to_slab(x) : NULL;

	/*
	 * The caller's @s when the slab agrees: its per-CPU state is found
	 * without waiting for the load of slab->slab_cache.
	 */
	if (likely(slab && slab->slab_cache == s)) {
		if (trace_event_enabled(TRACE_KMEM_CACHE_FREE))
			trace_kmem_cache_free(_RET_IP_, x, s);
		slab_free(s, slab, x, _RET_IP_);
		return;
	}
	kmem_cache_free_mismatch(s, x, _RET_IP_);
}

/**
 * kmem_cache_alloc_bulk - allocate @size objects of @s into @p
 * @s: the cache
 * @flags: GFP flags
 * @size: how many
 * @p: array of @size pointers
 *
 * Context: any.
 * Return: @size, or 0 (nothing kept) on failure.
 */
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size, void **p)
{
	unsigned long caller = _RET_IP_;

	for (size_t i = 0; i < size; i++) {
		p[i] = slab_alloc_node(s, flags, NUMA_NO_NODE, caller, s->object_size);
		if (unlikely(!p[i])) {
			kmem_cache_free_bulk(s, i, p);
			return 0;
		}
	}
	return (int)size;
}

/**
 * kmem_cache_free_bulk - free @size objects (NULL entries skipped)
 * @s: their cache, or NULL for kmalloc objects (kfree_bulk)
 * @size: how many
 * @p: the objects
 *
 * Context: any.
 */
void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p)
{
	for (size_t i = 0; i < size; i++) {
		struct kmem_cache *c;
		struct slab *slab;

		if (!p[i])
			continue;
		if (!s) {		/* kfree_bulk() */
			kfree(p[i]);
			continue;
		}
		c = cache_from_obj(s, p[i], &slab);
		if (c)
			slab_free(c, slab, p[i], _RET_IP_);
	}
}

/* ---- kmalloc ---- */

/* ___kmalloc_large_node(): compound pages straight from the page allocator. */
static void *__kmalloc_large_node(size_t size, gfp_t flags, int node)
{
	unsigned int order = slab_size_order(size);
	struct page *page;

	if (unlikely(flags & GFP_SLAB_BUG_MASK))
		flags = kmalloc_fix_flags(flags);
	if (order > MAX_PAGE_ORDER) {
		WARN_ON(!(flags & __GFP_NOWARN));
		return NULL;
	}
	flags |= __GFP_COMP;
	page = node == NUMA_NO_NODE ? alloc_pages(flags, order) : alloc_pages_node(node, flags, order);
	if (!page)
		return NULL;
	mod_node_page_state(page_pgdat(page), NR_SLAB_UNRECLAIMABLE_B, (long)(PAGE_SIZE << order));
	__SetPageLargeKmalloc(page);
	return page_address(page);
}

/* A large kmalloc and its kmalloc event (failures too, as in the kernel). */
static __attribute__((noinline)) void *kmalloc_large_node(size_t size, gfp_t flags, int node,
							     unsigned long caller)
{
	void *ret = __kmalloc_large_node(size, flags, node);

	if (trace_event_enabled(TRACE_KMALLOC))
		trace_kmalloc(caller, ret, size, PAGE_SIZE << slab_size_order(size), flags, node,
			      NULL);
	return ret;
}

static __attribute__((noinline)) void free_large_kmalloc(struct page *page,
							  const void *object)
{
	unsigned int order = compound_order(page);

	if (WARN_ON(!PageLargeKmalloc(page))) {
		dump_page(page, "Not a kmalloc allocation");
		return;
	}
	if (WARN_ON(object != page_address(page))) {
		pr_warn("object pointer: 0x%lx\n", linmm_kernel_address(object));
		return;
	}
	mod_node_page_state(page_pgdat(page), NR_SLAB_UNRECLAIMABLE_B, -(long)(PAGE_SIZE << order));
	__ClearPageLargeKmalloc(page);
	__free_pages(page, order);
}

/* The kmalloc event of a cache allocation; large ones trace in kmalloc_large_node(). */
static __attribute__((noinline)) void trace_kmalloc_slab(unsigned long caller, const void *ret,
							  size_t size, gfp_t flags, int node)
{
	const struct kmem_cache *s = kmalloc_slab(size, flags);

	trace_kmalloc(caller, ret, size, s->size, flags, node, s);
}

static inline void *do_kmalloc_node(size_t size, gfp_t flags, int node, unsigned long caller)
{
	void *ret;

	if (unlikely(size - 1 >= KMALLOC_MAX_CACHE_SIZE)) {	/* 0 or large, one compare */
		/* as the kernel, size 0 is not traced */
		return size ? kmalloc_large_node(size, flags, node, caller) : ZERO_SIZE_PTR;
	}
	ret = slab_alloc_node(kmalloc_slab(size, flags), flags, node, caller, (unsigned int)size);
	if (trace_event_enabled(TRACE_KMALLOC))
		trace_kmalloc_slab(caller, ret, size, flags, node);
	return ret;
}

/**
 * kmalloc - allocate @size bytes
 * @size: bytes (0: ZERO_SIZE_PTR; above 8 KiB: compound pages)
 * @flags: GFP flags; __GFP_DMA, __GFP_RECLAIMABLE, __GFP_ACCOUNT pick the family
 *
 * kmalloc_node(), kzalloc(), kzalloc_node(), kmalloc_array() and kcalloc()
 * (NULL when n * size overflows) are the same with a node, zeroing or a count.
 * Context: any; may sleep if @flags allow.
 * Return: the memory or NULL.
 */
void *kmalloc(size_t size, gfp_t flags)
{
	return do_kmalloc_node(size, flags, NUMA_NO_NODE, _RET_IP_);
}

void *kmalloc_node(size_t size, gfp_t flags, int node)
{
	return do_kmalloc_node(size, flags, node, _RET_IP_);
}

void *kzalloc(size_t size, gfp_t flags)
{
	return do_kmalloc_node(size, flags | __GFP_ZERO, NUMA_NO_NODE, _RET_IP_);
}

void *kzalloc_node(size_t size, gfp_t flags, int node)
{
	return do_kmalloc_node(size, flags | __GFP_ZERO, node, _RET_IP_);
}

void *kmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return do_kmalloc_node(bytes, flags, NUMA_NO_NODE, _RET_IP_);
}

void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return do_kmalloc_node(bytes, flags | __GFP_ZERO, NUMA_NO_NODE, _RET_IP_);
}

/**
 * kfree - free memory from kmalloc (NULL and ZERO_SIZE_PTR are ignored)
 * @x: the pointer; one that is not a kmalloc object start is reported and ignored
 *
 * Context: any.
 */
void kfree(const void *x)
{
	struct slab *slab;

	if (trace_event_enabled(TRACE_KFREE))	/* NULL too, as the kernel */
		trace_kfree(_RET_IP_, x);
	if (unlikely(ZERO_OR_NULL_PTR(x)))
		return;
	if (WARN_ON(!slab_addr_valid(x)))
		return;
	slab = __virt_to_slab(x);
	if (likely(slab)) {
		slab_free(slab->slab_cache, slab, (void *)x, _RET_IP_);
		return;
	}
	free_large_kmalloc(compound_head(virt_to_page(x)), x);
}

/* slab_ksize(): what the caller may use of an object of @s. */
static size_t slab_ksize(const struct kmem_cache *s)
{
	if (s->flags & (SLAB_RED_ZONE | SLAB_POISON))
		return s->object_size;
	if (s->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_STORE_USER))
		return s->inuse;
	return s->size;
}

/**
 * ksize - how much of a kmalloc object the caller may use
 * @objp: the object
 *
 * Context: any.
 * Return: the slot's usable size (its size class) or the pages' size; 0 for NULL.
 */
size_t ksize(const void *objp)
{
	struct slab *slab;
	struct page *page;

	if (unlikely(ZERO_OR_NULL_PTR(objp)))
		return 0;
	if (WARN_ON(!slab_addr_valid(objp)))
		return 0;
	slab = __virt_to_slab(objp);
	if (slab) {
		skip_orig_size_check(slab->slab_cache, objp);	/* caller may use it all */
		return slab_ksize(slab->slab_cache);
	}
	page = compound_head(virt_to_page(objp));
	if (WARN_ON(!PageLargeKmalloc(page)))
		return 0;
	return PAGE_SIZE << compound_order(page);
}

/* kmalloc_size_roundup - the size kmalloc(@size) really provides. Context: any. */
size_t kmalloc_size_roundup(size_t size)
{
	if (size && size <= KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_slab(size, GFP_KERNEL)->object_size;
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return PAGE_SIZE << slab_size_order(size);
	return size;
}

/* __do_krealloc(): keep @p if it is big enough, else move the contents. */
static void *do_krealloc(const void *p, size_t new_size, gfp_t flags, unsigned long caller)
{
	size_t ks = ZERO_OR_NULL_PTR(p) ? 0 : ksize(p);
	void *ret;

	if (ks >= new_size) {
		if (flags & __GFP_ZERO)
			memset((char *)p + new_size, 0, ks - new_size);
		return (void *)p;
	}
	ret = do_kmalloc_node(new_size, flags, NUMA_NO_NODE, caller);
	if (ret && ks)
		memcpy(ret, p, ks);
	return ret;
}

/* krealloc() for @caller: 0 bytes frees; a move frees the old object. */
static void *__krealloc(const void *p, size_t new_size, gfp_t flags, unsigned long caller)
{
	void *ret;

	if (unlikely(!new_size)) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	ret = do_krealloc(p, new_size, flags, caller);
	if (ret && p != ret)
		kfree(p);
	return ret;
}

/**
 * krealloc - resize a kmalloc object, keeping its contents
 * @p: the object (NULL: kmalloc)
 * @new_size: new size (0: kfree, ZERO_SIZE_PTR returned)
 * @flags: GFP flags (__GFP_ZERO clears what grows)
 *
 * The object stays where it is while it fits its slot; krealloc_array()
 * checks n * size for overflow first.
 * Context: any; may sleep if @flags allow.
 * Return: the object (moved or not) or NULL (then @p is untouched).
 */
void *krealloc(const void *p, size_t new_size, gfp_t flags)
{
	return __krealloc(p, new_size, flags, _RET_IP_);
}

void *krealloc_array(void *p, size_t new_n, size_t new_size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(new_n, new_size, &bytes)))
		return NULL;
	return __krealloc(p, bytes, flags, _RET_IP_);
}

/* kfree_sensitive - clear the whole object (ksize bytes), then kfree it. Context: any. */
void kfree_sensitive(const void *p)
{
	size_t ks = ksize(p);

	if (ks) {
		memset((void *)p, 0, ks);
		__asm__ __volatile__("" : : "r"(p) : "memory");	/* memzero_explicit */
	}
	kfree(p);
}

/**
 * kstrdup - copy a string into kmalloc memory
 * @s: the string (NULL: NULL)
 * @gfp: GFP flags
 *
 * kstrndup() copies at most @max characters, kmemdup() @len bytes.
 * Context: any; may sleep if @gfp allows.
 * Return: the copy or NULL.
 */
char *kstrdup(const char *s, gfp_t gfp)
{
	size_t len;
	char *buf;

	if (!s)
		return NULL;
	len = strlen(s) + 1;
	buf = do_kmalloc_node(len, gfp, NUMA_NO_NODE, _RET_IP_);
	if (buf)
		memcpy(buf, s, len);
	return buf;
}

char *kstrndup(const char *s, size_t max, gfp_t gfp)
{
	size_t len;
	char *buf;

	if (!s)
		return NULL;
	len = strnlen(s, max);
	buf = do_kmalloc_node(len + 1, gfp, NUMA_NO_NODE, _RET_IP_);
	if (buf) {
		memcpy(buf, s, len);
		buf[len] = '\0';
	}
	return buf;
}

void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = do_kmalloc_node(len, gfp, NUMA_NO_NODE, _RET_IP_);

	if (p && !ZERO_OR_NULL_PTR(p))
		memcpy(p, src, len);
	return p;
}

/* ---- the kmalloc caches ---- */

static int new_kmalloc_cache(unsigned int idx, enum kmalloc_cache_type type)
{
	struct kmem_cache *s;
	slab_flags_t flags = SLAB_KMALLOC;
	int err;

	if (type == KMALLOC_RECLAIM)
		flags |= SLAB_RECLAIM_ACCOUNT;
	else if (type == KMALLOC_CGROUP)
		flags |= SLAB_ACCOUNT;
	else if (type == KMALLOC_DMA)
		flags |= SLAB_CACHE_DMA;
	else
		flags |= SLAB_NO_MERGE;	/* CONFIG_MEMCG: kmalloc-N never merges */
	s = slab_alloc_node(kmem_cache, GFP_NOWAIT | __GFP_ZERO, NUMA_NO_NODE, _RET_IP_,
			    kmem_cache->object_size);
	if (!s)
		return -ENOMEM;
	err = create_boot_cache(s, kmalloc_info[idx].name[type], kmalloc_info[idx].size, flags);
	if (err) {
		kmem_cache_free(kmem_cache, s);
		return err;
	}
	s->refcount = 1;
	kmalloc_caches[type][idx] = s;
	return 0;
}

/**
 * create_kmalloc_caches - every kmalloc cache of every family
 *
 * Per family: kmalloc-96 and kmalloc-192 first, then 8 .. 8k, the order
 * the host's /proc/slabinfo shows them in.
 * Context: boot (kmem_cache_init()).
 * Return: 0 or -errno.
 */
int create_kmalloc_caches(void)
{
	for (int type = KMALLOC_NORMAL; type < NR_KMALLOC_TYPES; type++) {
		for (unsigned int i = 1; i <= KMALLOC_SHIFT_HIGH; i++) {
			int err;

			if (i > 2 && i < KMALLOC_SHIFT_LOW)
				continue;
			err = new_kmalloc_cache(i, (enum kmalloc_cache_type)type);
			if (err)
				return err;
		}
	}
	return 0;
}
