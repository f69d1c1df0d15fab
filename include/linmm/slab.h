/* SPDX-License-Identifier: MIT */
/*
 * slab.h - the slab allocator (SLUB) and kmalloc.
 *
 * Mirrors include/linux/slab.h.  Caches of equal-size objects carved out
 * of pages (kmem_cache_*), and kmalloc as a family of such caches by size:
 *
 *   8 16 32 64 96 128 192 256 512 1k 2k 4k 8k   (KMALLOC_MIN_SIZE 8,
 *                                                KMALLOC_MAX_CACHE_SIZE 8 KiB)
 *   larger requests: compound pages straight from the page allocator,
 *   up to KMALLOC_MAX_SIZE (4 MiB, 2^MAX_PAGE_ORDER pages).
 *
 * Every pointer returned is a usable host pointer into the direct map.
 */
#ifndef LINMM_SLAB_H
#define LINMM_SLAB_H

#include <linmm/gfp.h>
#include <linmm/types.h>

/* Cache flags (slab_flags_t), the kernel's names; values are linmm's. */
typedef unsigned int slab_flags_t;
#define SLAB_CONSISTENCY_CHECKS	(1u << 0)	/* slub_debug=F */
#define SLAB_RED_ZONE		(1u << 1)	/* slub_debug=Z */
#define SLAB_POISON		(1u << 2)	/* slub_debug=P */
#define SLAB_KMALLOC		(1u << 3)	/* a kmalloc cache */
#define SLAB_HWCACHE_ALIGN	(1u << 4)	/* align objects on cache lines */
#define SLAB_CACHE_DMA		(1u << 5)	/* GFP_DMA pages */
#define SLAB_CACHE_DMA32	(1u << 6)	/* GFP_DMA32 pages */
#define SLAB_STORE_USER		(1u << 7)	/* slub_debug=U: alloc/free tracks */
#define SLAB_PANIC		(1u << 8)	/* creation failure is a panic */
#define SLAB_TYPESAFE_BY_RCU	(1u << 9)	/* slab pages freed after a grace period */
#define SLAB_TRACE		(1u << 10)	/* slub_debug=T: print alloc/free */
#define SLAB_NOLEAKTRACE	(1u << 11)
#define SLAB_NO_MERGE		(1u << 12)	/* never merge with another cache */
#define SLAB_FAILSLAB		(1u << 13)	/* slub_debug=A: fault injection */
#define SLAB_ACCOUNT		(1u << 14)	/* memcg accounting (kmalloc-cg-) */
#define SLAB_NO_USER_FLAGS	(1u << 15)	/* slub_debug= does not apply */
#define SLAB_RECLAIM_ACCOUNT	(1u << 16)	/* SReclaimable, not SUnreclaim */
#define SLAB_NO_OBJ_EXT		(1u << 17)

/* kmalloc limits (x86_64 values, PAGE_SHIFT 12, MAX_PAGE_ORDER 10). */
#define KMALLOC_SHIFT_LOW	3
#define KMALLOC_SHIFT_HIGH	(PAGE_SHIFT + 1)
#define KMALLOC_SHIFT_MAX	(MAX_PAGE_ORDER + PAGE_SHIFT)
#define KMALLOC_MIN_SIZE	(1UL << KMALLOC_SHIFT_LOW)
#define KMALLOC_MAX_CACHE_SIZE	(1UL << KMALLOC_SHIFT_HIGH)
#define KMALLOC_MAX_SIZE	(1UL << KMALLOC_SHIFT_MAX)

/* kmalloc(0) returns ZERO_SIZE_PTR: not NULL, but faults when touched. */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

struct kmem_cache;

/*
 * kmem_cache_create - create a cache of @size-byte objects.
 * @name: shown in /proc/slabinfo; the string is copied.
 * @size: object size in bytes (1 .. KMALLOC_MAX_SIZE)
 * @align: minimum alignment (0: word), a power of two
 * @flags: SLAB_* flags
 * @ctor: called once per object when its slab is created, or NULL
 * Context: may sleep; takes slab_mutex.
 * Return: the cache (possibly an alias of a compatible existing cache), or
 * NULL on failure (a panic with SLAB_PANIC).
 */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *));
/* kmem_cache_destroy - destroy @s; objects still allocated are reported and leaked. */
void kmem_cache_destroy(struct kmem_cache *s);
/* kmem_cache_shrink - release empty slabs of @s (per-CPU ones too). Return 0. */
int kmem_cache_shrink(struct kmem_cache *s);

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags);
void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t flags, int node);
void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t flags);
void kmem_cache_free(struct kmem_cache *s, void *obj);
/* Return: @size when all objects were allocated, 0 on failure (none kept). */
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size, void **p);
void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p);
unsigned int kmem_cache_size(struct kmem_cache *s);	/* object_size */
const char *kmem_cache_name(const struct kmem_cache *s);
/* Find a cache (not an alias) by name, or NULL.  For tools and scripts. */
struct kmem_cache *kmem_cache_find(const char *name);

void *kmalloc(size_t size, gfp_t flags);
void *kmalloc_node(size_t size, gfp_t flags, int node);
void *kzalloc(size_t size, gfp_t flags);
void *kzalloc_node(size_t size, gfp_t flags, int node);
void *kmalloc_array(size_t n, size_t size, gfp_t flags);	/* NULL on overflow */
void *kcalloc(size_t n, size_t size, gfp_t flags);
void *krealloc(const void *p, size_t new_size, gfp_t flags);
void *krealloc_array(void *p, size_t new_n, size_t new_size, gfp_t flags);
void kfree(const void *p);
void kfree_sensitive(const void *p);
/* The usable size of a kmalloc'ed object: its size class (or 2^order pages). */
size_t ksize(const void *p);
char *kstrdup(const char *s, gfp_t gfp);
char *kstrndup(const char *s, size_t max, gfp_t gfp);
void *kmemdup(const void *src, size_t len, gfp_t gfp);
/* The size class kmalloc(@size) is served from (0 for size 0, size > 8 KiB: page multiple). */
size_t kmalloc_size_roundup(size_t size);

/* kvmalloc: kmalloc, falling back to vmalloc for large or failed requests (mm/util.c). */
void *kvmalloc_node(size_t size, gfp_t flags, int node);
void *kvmalloc(size_t size, gfp_t flags);
void *kvzalloc(size_t size, gfp_t flags);
void *kvmalloc_array(size_t n, size_t size, gfp_t flags);
void *kvcalloc(size_t n, size_t size, gfp_t flags);
void kvfree(const void *p);

#endif /* LINMM_SLAB_H */
