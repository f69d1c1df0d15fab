/* SPDX-License-Identifier: MIT */
/*
 * slab.h - SLUB's internal structures (mm/slab.h in the kernel).
 *
 * Shared by mm/slub.c (allocation and freeing, slab sizing), mm/slab_common.c
 * (cache creation, merging, kmalloc, /proc/slabinfo) and mm/slub_debug.c
 * (slub_debug= red zones, poisoning, tracking, checks and reports).
 *
 * A slab is one page or a compound page of 2^order pages.  struct slab
 * overlays the head struct page (the kernel's "same memory, new type",
 * 5.17+), page_type PGTY_slab:
 *
 *   struct page                 struct slab
 *   0   flags                   __page_flags
 *   8   lru (16 bytes)          slab_list (node partial/full list)
 *                               or {next, slabs} on a per-CPU partial list
 *   24  mapping                 slab_cache
 *   32  index                   freelist (first free object, encoded)
 *   40  private                 counters {inuse:16, objects:15, frozen:1}
 *   48  page_type               page_type (PGTY_slab << 24)
 *   52  _refcount               __page_refcount
 *   56  memcg_data              obj_exts
 *
 * Object layout inside a slot of s->size bytes (the comment above the
 * kernel's check_pad_bytes()):
 *
 *   [red_left_pad][object_size      ][pad+right red zone][at s->inuse: free pointer
 *    (Z only)      free pointer may    (Z only)           if outside, 2 x struct track
 *                  sit at s->offset                       (U), orig_size (U, kmalloc)]
 *                  inside the object                      [padding to s->size]
 *
 * The address handed out is slot start + red_left_pad.
 */
#ifndef LINMM_MM_SLAB_H
#define LINMM_MM_SLAB_H

#include <stdatomic.h>

#include <linmm/list.h>
#include <linmm/mm_types.h>
#include <linmm/mmzone.h>
#include <linmm/page-flags.h>
#include <linmm/slab.h>
#include <linmm/spinlock.h>

#include <linmm/fault-inject.h>
#include <linmm/memblock.h>
#include <linmm/smp.h>

/* Tuning defaults (mm/slub.c). */
#define MIN_PARTIAL 5
#define MAX_PARTIAL 10
#define SLUB_MAX_ORDER_DEFAULT 3	/* PAGE_ALLOC_COSTLY_ORDER */
#define OO_SHIFT 16
#define OO_MASK ((1u << OO_SHIFT) - 1)
#define MAX_OBJS_PER_PAGE 32767		/* objects is a 15-bit field */

/* Debug flags slub_debug= can set; any of them forces the slow paths. */
#define SLAB_DEBUG_FLAGS (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | \
			  SLAB_TRACE | SLAB_CONSISTENCY_CHECKS)
/* Flags that keep a cache from being merged with another one. */
#define SLAB_NEVER_MERGE (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | \
			  SLAB_TRACE | SLAB_TYPESAFE_BY_RCU | SLAB_NOLEAKTRACE | \
			  SLAB_FAILSLAB | SLAB_NO_MERGE)
/* Flags that must be equal for two caches to merge. */
#define SLAB_MERGE_SAME (SLAB_RECLAIM_ACCOUNT | SLAB_CACHE_DMA | \
			 SLAB_CACHE_DMA32 | SLAB_ACCOUNT)

/* Fixed internal-only cache state (s->flags high bits). */
#define __OBJECT_POISON		(1u << 28)	/* poison objects (POISON_FREE/END) */
#define __CMPXCHG_DOUBLE	(1u << 29)

/* The kernel's poison bytes (include/linux/poison.h). */
#define POISON_INUSE	0x5a	/* padding and new slabs */
#define POISON_FREE	0x6b	/* a free object */
#define POISON_END	0xa5	/* last byte of a poisoned object */
#define SLUB_RED_INACTIVE 0xbb	/* red zone of a free object */
#define SLUB_RED_ACTIVE	0xcc	/* red zone of an allocated object */

/* freelist_ptr_encode(): what is stored in a free object. */
typedef struct { unsigned long v; } freeptr_t;

struct slab {
	unsigned long __page_flags;
	union {
		struct list_head slab_list;
		struct {			/* on a per-CPU partial list */
			struct slab *next;
			int slabs;		/* slabs left in the list from here */
		};
	};
	struct kmem_cache *slab_cache;
	void *freelist;			/* first free object (raw pointer) */
	union {
		unsigned long counters;
		struct {
			unsigned inuse : 16;
			unsigned objects : 15;
			unsigned frozen : 1;
		};
	};
	unsigned int __page_type;
	_Atomic int __page_refcount;
	unsigned long obj_exts;
};

_Static_assert(sizeof(struct slab) == sizeof(struct page), "struct slab overlays struct page");

static inline struct slab *page_slab(const struct page *page)
{
	return (struct slab *)compound_head((struct page *)page);
}
static inline struct page *slab_page(const struct slab *slab)
{
	return (struct page *)slab;
}
static inline void *slab_address(const struct slab *slab)
{
	return page_address(slab_page(slab));
}
static inline unsigned int slab_order(const struct slab *slab)
{
	return compound_order(slab_page(slab));
}
static inline size_t slab_size(const struct slab *slab)
{
	return PAGE_SIZE << slab_order(slab);
}
static inline int slab_nid(const struct slab *slab)
{
	return page_to_nid(slab_page(slab));
}
/* The slab holding @obj, NULL if it is not on a slab page. */
struct slab *virt_to_slab(const void *obj);

/*
 * slab_addr_valid - the cheap hardening of the free paths: @p is inside
 * the direct map, below max_pfn (a host pointer or garbage is refused).
 * A pointer into a memory hole below max_pfn is not caught; the kernel's
 * kfree() checks nothing at all.
 */
static inline bool slab_addr_valid(const void *p)
{
	unsigned long pa = (unsigned long)((uintptr_t)p - (uintptr_t)linmm_direct_map);

	return pa < direct_map_end && (pa >> PAGE_SHIFT) < max_pfn;
}

/*
 * Statistics kept per CPU, only with CONFIG_SLUB_STATS (off by default, as
 * in distribution kernels: nothing reads them yet, and the two counters of
 * the fast paths cost about 5% of an alloc+free pair).  Build with
 * -DCONFIG_SLUB_STATS=1 to count.
 */
#ifndef CONFIG_SLUB_STATS
#define CONFIG_SLUB_STATS 0
#endif
enum stat_item {
	ALLOC_FASTPATH, ALLOC_SLOWPATH, FREE_FASTPATH, FREE_SLOWPATH,
	FREE_FROZEN, FREE_ADD_PARTIAL, FREE_REMOVE_PARTIAL, ALLOC_FROM_PARTIAL,
	ALLOC_SLAB, ALLOC_REFILL, ALLOC_NODE_MISMATCH, FREE_SLAB,
	CPUSLAB_FLUSH, DEACTIVATE_FULL, DEACTIVATE_EMPTY, DEACTIVATE_TO_HEAD,
	DEACTIVATE_TO_TAIL, DEACTIVATE_REMOTE_FREES, DEACTIVATE_BYPASS,
	ORDER_FALLBACK, CMPXCHG_DOUBLE_CPU_FAIL, CMPXCHG_DOUBLE_FAIL,
	CPU_PARTIAL_ALLOC, CPU_PARTIAL_FREE, CPU_PARTIAL_NODE, CPU_PARTIAL_DRAIN,
	NR_SLUB_STAT_ITEMS
};

/*
 * Per-CPU state of a cache.  Owned by the host thread that runs the CPU:
 * the fast paths read and write freelist with plain loads and stores.
 * Other CPUs never touch it directly (see slub.c "flushing other CPUs").
 */
struct kmem_cache_cpu {
	void **freelist;		/* next free object of slab, raw pointer */
	struct slab *slab;		/* the CPU's active (frozen) slab */
	struct slab *partial;		/* per-CPU partial slabs */
	spinlock_t lock;		/* local_lock: slow path vs remote flush */
	unsigned long stat[NR_SLUB_STAT_ITEMS];
} __attribute__((aligned(64)));

struct kmem_cache_node {
	spinlock_t list_lock;
	unsigned long nr_partial;
	struct list_head partial;
	/* SLUB_DEBUG counters (always kept: slabinfo needs them) */
	_Atomic long nr_slabs;
	_Atomic long total_objects;
	struct list_head full;		/* full slabs, only with SLAB_STORE_USER */
};

/* Packed order/objects ("oo"): order << 16 | objects. */
struct kmem_cache_order_objects {
	unsigned int x;
};
static inline unsigned int oo_order(struct kmem_cache_order_objects x)
{
	return x.x >> OO_SHIFT;
}
static inline unsigned int oo_objects(struct kmem_cache_order_objects x)
{
	return x.x & OO_MASK;
}

struct kmem_cache {
	struct kmem_cache_cpu *cpu_slab;	/* [nr_cpu_ids] */
	slab_flags_t flags;
	unsigned long min_partial;
	unsigned int size;		/* slot size, metadata included */
	unsigned int object_size;	/* what the user asked for */
	unsigned int offset;		/* free pointer offset in the slot */
	unsigned int cpu_partial;	/* objects kept on per-CPU partials */
	unsigned int cpu_partial_slabs;
	struct kmem_cache_order_objects oo;	/* preferred order/objects */
	struct kmem_cache_order_objects min;	/* fallback: smallest order */
	gfp_t allocflags;		/* __GFP_COMP, DMA, RECLAIMABLE... */
	int refcount;			/* 1 + aliases */
	void (*ctor)(void *);
	unsigned int inuse;		/* offset of the metadata */
	unsigned int align;
	unsigned int red_left_pad;	/* left red zone (SLAB_RED_ZONE) */
	const char *name;		/* host heap copy */
	struct list_head list;		/* slab_caches */
	unsigned long random;		/* SLAB_FREELIST_HARDENED key */
	unsigned int useroffset, usersize;
	unsigned int reciprocal_size;	/* ceil(2^32 / size): object index checks */
	void *cpu_slab_alloc;		/* host allocation holding cpu_slab */
	struct kmem_cache_node *node[MAX_NUMNODES];
};

/*
 * Which list a slab is on, kept in slab->obj_exts (linmm has no memcg
 * object extensions; the word is cleared before the pages are freed).
 * Changed under the node's list_lock only (see mm/slub.c).
 */
enum slab_list_state {
	SLAB_ON_NONE,		/* being built or freed */
	SLAB_ON_CPU,		/* a CPU's active slab (frozen) */
	SLAB_ON_CPU_PARTIAL,	/* a CPU's partial list */
	SLAB_ON_NODE_PARTIAL,	/* n->partial */
	SLAB_ON_FULL,		/* n->full */
};
static inline enum slab_list_state slab_list_state(const struct slab *slab)
{
	return (enum slab_list_state)slab->obj_exts;
}
static inline void set_slab_list_state(struct slab *slab, enum slab_list_state st)
{
	slab->obj_exts = st;
}

/* The order of a block of at least @size bytes (the kernel's get_order()). */
static inline unsigned int slab_size_order(size_t size)
{
	return size <= PAGE_SIZE ? 0 : (unsigned int)fls64((size - 1) >> PAGE_SHIFT);
}

/* ---- mm/slab_common.c ---- */
extern spinlock_t slab_mutex;		/* protects slab_caches and refcounts */
extern struct list_head slab_caches;	/* every cache, creation order */
extern bool slab_nomerge;		/* slab_nomerge / slub_merge */
extern enum slab_state { DOWN, PARTIAL, UP, FULL } slab_state;

/* kmalloc cache families (enum kmalloc_cache_type). */
enum kmalloc_cache_type {
	KMALLOC_NORMAL,
	KMALLOC_RECLAIM,	/* kmalloc-rcl-N: __GFP_RECLAIMABLE */
	KMALLOC_DMA,		/* dma-kmalloc-N: __GFP_DMA */
	KMALLOC_CGROUP,		/* kmalloc-cg-N: __GFP_ACCOUNT */
	NR_KMALLOC_TYPES
};
extern struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];
/* Index into kmalloc_caches for @size (1 .. KMALLOC_MAX_CACHE_SIZE). */
unsigned int kmalloc_index(size_t size);
/* kmalloc_info[i].name[type] and .size (the kernel's table). */
struct kmalloc_info_struct {
	const char *name[NR_KMALLOC_TYPES];
	unsigned int size;
};
extern const struct kmalloc_info_struct kmalloc_info[];

/* ---- mm/slab_common.c, continued: boot ---- */
/* The cache of struct kmem_cache (slab_common.c allocates every other cache from it). */
extern struct kmem_cache *kmem_cache;
/* Set up a statically allocated cache (kmem_cache, kmem_cache_node). 0 or -errno. */
int create_boot_cache(struct kmem_cache *s, const char *name, unsigned int size,
		      slab_flags_t flags);
/* Create every kmalloc cache (kmem_cache_init calls it). 0 or -ENOMEM. */
int create_kmalloc_caches(void);

/* ---- mm/slub.c ---- */
/* Flags no slab allocation may carry (kmalloc_fix_flags() drops them with a warning). */
#define GFP_SLAB_BUG_MASK (__GFP_DMA32 | __GFP_HIGHMEM | ~__GFP_BITS_MASK)
gfp_t kmalloc_fix_flags(gfp_t flags);
/*
 * The allocation and free paths behind every entry point (kmem_cache_alloc,
 * kmalloc...): @addr is the caller's return address (slub_debug tracks),
 * @orig_size the requested size (kmalloc's orig_size).  slab_free() checks
 * that @obj starts an object of @slab; @s must be slab->slab_cache.
 * Context: any thread on any simulated CPU; may take node list locks.
 */
static inline void *slab_alloc_node(struct kmem_cache *s, gfp_t gfp, int node,
				    unsigned long addr, unsigned int orig_size);
static inline void slab_free(struct kmem_cache *s, struct slab *slab, void *obj,
			     unsigned long addr);
void *slab_alloc_slow(struct kmem_cache *s, gfp_t gfp, int node, unsigned long addr,
		      unsigned int orig_size, struct kmem_cache_cpu *c);
void slab_free_slow(struct kmem_cache *s, struct kmem_cache_cpu *c, struct slab *slab, void *obj,
		    unsigned long addr);
/* Boot: create kmem_cache/kmem_cache_node caches and the kmalloc caches. Return 0/-ENOMEM. */
int __must_check kmem_cache_init(void);
/* Shutdown: forget every cache (memory goes with the machine). */
void kmem_cache_teardown(void);
/* Size the slots of @s and pick its order (calculate_sizes/calculate_order). 0 or -EINVAL. */
int calculate_sizes(struct kmem_cache *s);
unsigned int slub_max_order_param(void);
/* Object alignment for @flags/@align/@size (calculate_alignment(), HWCACHE_ALIGN halving). */
unsigned int calculate_alignment(slab_flags_t flags, unsigned int align, unsigned int size);
/*
 * slab_rcu_barrier - end the simulated RCU grace period: free the slab pages
 * of SLAB_TYPESAFE_BY_RCU caches whose return was deferred (rcu_barrier()).
 */
void slab_rcu_barrier(void);
/* Slab pages waiting for slab_rcu_barrier(). */
unsigned long slab_rcu_deferred_pages(void);
/* Allocate cpu_slab and node structures of a sized cache. 0 or -ENOMEM. */
int __kmem_cache_create(struct kmem_cache *s, slab_flags_t flags);
/* Flush every CPU, free empty slabs; report leftover objects. 0, or -EBUSY if objects remain. */
int __kmem_cache_shutdown(struct kmem_cache *s);
void __kmem_cache_release(struct kmem_cache *s);
int __kmem_cache_shrink(struct kmem_cache *s);
/* Move every CPU's active and partial slabs of @s to the node lists. */
void flush_all(struct kmem_cache *s);
/* Counts for slabinfo: slabs, objects, inuse objects (cpu slabs included). */
struct slabinfo {
	unsigned long active_objs, num_objs, active_slabs, num_slabs;
	unsigned long shared_avail, limit, batchcount, shared;
	unsigned int objects_per_slab, cache_order;
};
void get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo);
/* Free pointer of free object @object (decoded). */
void *get_freepointer(const struct kmem_cache *s, void *object);
void set_freepointer(const struct kmem_cache *s, void *object, void *fp);
/*
 * Is @obj the start of an object of @slab?  One multiply, no division, and
 * no look at the counters (other CPUs change them under the list lock):
 * objects == slab_size / s->size, so idx < objects <=> off <= slab_size -
 * size (which also keeps off below 2^32, as the multiply needs).  Offsets
 * are physical: __pa(obj) minus the slab's pfn << PAGE_SHIFT, the latter a
 * byte difference in the memmap times PAGE_SIZE / sizeof(struct page).
 */
static inline bool slab_obj_is_start(const struct kmem_cache *s, const struct slab *slab,
				       const void *obj)
{
	unsigned long slab_pa = (unsigned long)((const char *)slab - (const char *)vmemmap) *
				(PAGE_SIZE / sizeof(struct page));
	unsigned long off = __pa(obj) - slab_pa - s->red_left_pad;
	unsigned long idx = (off * s->reciprocal_size) >> 32;

	return off <= slab_size(slab) - s->size && idx * s->size == off;
}
/*
 * The slab of @obj, whose address is known valid (slab_addr_valid()), or
 * NULL.  The page's own type first: a head page's compound_head word is
 * slab_list, which other CPUs rewrite under the list lock.
 */
static inline struct slab *__virt_to_slab(const void *obj)
{
	struct page *page = virt_to_page(obj);

	if (PageSlab(page))
		return (struct slab *)page;
	page = compound_head(page);
	return PageSlab(page) ? (struct slab *)page : NULL;
}

/* Object address of slot @idx in @slab, and back. */
static inline void *slab_obj_addr(const struct kmem_cache *s, const struct slab *slab, unsigned int idx)
{
	return (char *)slab_address(slab) + (size_t)idx * s->size + s->red_left_pad;
}
static inline unsigned int slab_obj_index(const struct kmem_cache *s, const struct slab *slab, const void *obj)
{
	return (unsigned int)(((const char *)obj - s->red_left_pad - (const char *)slab_address(slab)) / s->size);
}
/*
 * Slab invariant checker: for every slab of @s (node partial and full lists,
 * per-CPU slabs): inuse <= objects, freelists reachable, in bounds, aligned
 * and disjoint, no object on two lists, node counters equal the sums.
 * With debug flags, also red zones and poison of every free object.
 * Return: 0, or -EINVAL after a pr_err describing the first violation.
 */
int validate_slab_cache(struct kmem_cache *s);
/* Run @fn as every CPU of @s, or have occupied CPUs flush @s (mm/slub.c). */
void on_each_cpu_slab(struct kmem_cache *s,
		      void (*fn)(struct kmem_cache *s, struct kmem_cache_cpu *c, void *arg),
		      void *arg);
int validate_all_slab_caches(void);

/* ---- mm/slub_debug.c: slub_debug= (CONFIG_SLUB_DEBUG) ---- */
/* Parse "FZPU[,cache...][;...]"; 0 or -EINVAL with linmm_set_error(). */
int setup_slub_debug(const char *str);
void slub_debug_reset(void);
/* Debug flags slub_debug= gives cache @name created with @flags. */
slab_flags_t kmem_cache_flags(slab_flags_t flags, const char *name);
static inline bool kmem_cache_debug(const struct kmem_cache *s)
{
	return s->flags & SLAB_DEBUG_FLAGS;
}
/*
 * struct track (SLAB_STORE_USER): who allocated/freed an object.  The call
 * stack is kept in the stack depot and the track holds its handle, as in
 * kernels with CONFIG_STACKDEPOT (5.17+), so a track is 32 bytes and debug
 * slot sizes are the kernel's.
 */
#define TRACK_ADDRS_COUNT 16
typedef u32 depot_stack_handle_t;	/* 0: no stack saved */
struct track {
	unsigned long addr;		/* caller (host return address) */
	depot_stack_handle_t handle;	/* call stack, innermost first */
	int cpu;
	int pid;
	unsigned long when;		/* jiffies */
};
/*
 * slub_debug=O: calculate_sizes() drops DEBUG_METADATA_FLAGS from a cache
 * whose minimum order they would raise (kmem_cache_open() in the kernel).
 */
#define DEBUG_METADATA_FLAGS (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)
extern bool disable_higher_order_debug;
enum track_item { TRACK_ALLOC, TRACK_FREE };
/* Bytes of metadata slub_debug adds at s->inuse (tracks, orig_size). */
unsigned int slub_debug_metadata_size(const struct kmem_cache *s);
/*
 * kmalloc caches with SLAB_STORE_USER keep the requested size: krealloc()
 * within the same object calls set_orig_size() with the new size, ksize()
 * calls skip_orig_size_check() (its caller may use the whole object).
 */
void set_orig_size(struct kmem_cache *s, void *object, unsigned int orig_size);
void skip_orig_size_check(struct kmem_cache *s, const void *object);
/* Poison and red-zone a new slab (every slot), before the freelist is built. */
void setup_slab_debug(struct kmem_cache *s, struct slab *slab, void *addr);
void setup_object_debug(struct kmem_cache *s, void *object);
/* Checks at allocation; false: the object is corrupt and must not be handed out. */
bool alloc_debug_processing(struct kmem_cache *s, struct slab *slab, void *object,
			    unsigned long addr, unsigned int orig_size);
/* Checks at free (double free, foreign pointer, red zones); false: drop the free. */
bool free_debug_processing(struct kmem_cache *s, struct slab *slab, void *object,
			   unsigned long addr);
/* Check one slab's objects; print reports; return the number of errors. */
int validate_slab_debug(struct kmem_cache *s, struct slab *slab);
/* "Objects remaining in NAME on __kmem_cache_shutdown()" and the object list. */
void list_slab_objects(struct kmem_cache *s, struct slab *slab, const char *text);
/* The kernel's BUG report header for cache @s: "BUG NAME (Tainted: ...): fmt". */
void slab_bug(struct kmem_cache *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void slab_err(struct kmem_cache *s, struct slab *slab, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- mm/slub.c: failslab (fault injection, should_failslab()) ---- */
bool should_failslab(struct kmem_cache *s, gfp_t gfpflags);

/* ---- mm/slub.c: the fast paths, inline in every caller ---- */

/* Flush requests to occupied CPUs: the flusher posts the cache, the owner acknowledges. */
struct slub_flush_slot {
	struct kmem_cache *_Atomic req;
} __attribute__((aligned(64)));
extern struct slub_flush_slot slub_flush[NR_CPUS];
void slub_service_flush(int cpu);

/* Every allocation and slow free starts here: one relaxed load, no locked instruction. */
static inline void slub_check_flush(int cpu)
{
	if (unlikely(atomic_load_explicit(&slub_flush[cpu].req, memory_order_relaxed)))
		slub_service_flush(cpu);
}

/* SLAB_FREELIST_HARDENED: next ^ s->random ^ bswap64(address of the stored word). */
static inline unsigned long freeptr_key(const struct kmem_cache *s, const void *ptr_addr)
{
	return s->random ^ __builtin_bswap64((unsigned long)ptr_addr);
}

static inline void *freelist_next(const struct kmem_cache *s, void *object)
{
	unsigned long *p = (unsigned long *)((char *)object + s->offset);

	return (void *)(*p ^ freeptr_key(s, p));
}

/* Store the encoded @fp in @object (callers check object != fp: a double free). */
static inline void freelist_store(const struct kmem_cache *s, void *object, void *fp)
{
	unsigned long *p = (unsigned long *)((char *)object + s->offset);

	*p = (unsigned long)fp ^ freeptr_key(s, p);
}

/*
 * The whole paths behind the inline fast paths below (mm/slub.c): failslab,
 * servicing a flush request, then this CPU's freelist or the slow half.
 * The fast paths call them in tail position only, so that they need no
 * stack frame and save no registers.
 */
void *slab_alloc_node_full(struct kmem_cache *s, gfp_t gfp, int node, unsigned long addr,
			   unsigned int orig_size);
void slab_free_full(struct kmem_cache *s, struct slab *slab, void *obj, unsigned long addr);

/*
 * slab_alloc_node - allocate one object of @s (see the declaration above).
 * Fast path: pop this CPU's lockless freelist; debug caches never have one.
 * Anything unusual (failslab armed, a flush request, an empty freelist, a
 * node mismatch) goes to slab_alloc_node_full(), which starts over.
 */
static inline void *slab_alloc_node(struct kmem_cache *s, gfp_t gfp, int node,
				    unsigned long addr, unsigned int orig_size)
{
	int cpu = smp_processor_id();
	struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
	void *object;

	if (unlikely(failslab.attr.probability ||
		     atomic_load_explicit(&slub_flush[cpu].req, memory_order_relaxed)))
		return slab_alloc_node_full(s, gfp, node, addr, orig_size);
	object = c->freelist;
	if (unlikely(!object || (node != NUMA_NO_NODE && slab_nid(c->slab) != node)))
		return slab_alloc_node_full(s, gfp, node, addr, orig_size);
	c->freelist = freelist_next(s, object);
	if (CONFIG_SLUB_STATS)
		c->stat[ALLOC_FASTPATH]++;
	if (unlikely(gfp & __GFP_ZERO))
		return __builtin_memset(object, 0, s->object_size);
	return object;
}

/*
 * slab_free - free @obj of @slab (see the declaration above).  Fast path:
 * push onto this CPU's freelist when @slab is its active slab, @obj starts
 * an object and is not the freelist's head (the naive double free).
 * Anything else goes to slab_free_full(), which starts over.  The fast
 * path does not look for flush requests (slub.c, "Flushing other CPUs"):
 * a run of them is bounded by the allocated objects of this CPU's active
 * slabs, and every allocation and every other free looks.
 */
static inline void slab_free(struct kmem_cache *s, struct slab *slab, void *obj,
			     unsigned long addr)
{
	int cpu = smp_processor_id();
	struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
	void *head;

	head = c->freelist;
	if (unlikely(slab != c->slab || obj == head || !slab_obj_is_start(s, slab, obj))) {
		slab_free_full(s, slab, obj, addr);
		return;
	}
	freelist_store(s, obj, head);
	c->freelist = obj;
	if (CONFIG_SLUB_STATS)
		c->stat[FREE_FASTPATH]++;
}

#endif /* LINMM_MM_SLAB_H */
