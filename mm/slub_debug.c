/* SPDX-License-Identifier: MIT */
/*
 * slub_debug.c - SLUB debugging (CONFIG_SLUB_DEBUG): the slub_debug= boot
 * option, red zones, poisoning, alloc/free tracking with call stacks,
 * consistency checks on allocation and free, and the kernel's corruption
 * reports and repairs.
 *
 * Mirrors the CONFIG_SLUB_DEBUG half of mm/slub.c as of 6.18
 * (setup_slub_debug, kmem_cache_flags, init_object, check_object,
 * check_bytes_and_report, print_trailer, alloc/free_debug_processing,
 * validate_slab, list_slab_objects) and the part of lib/stackdepot.c the
 * tracks need.  mm/slub.c calls in at the points listed in mm/slab.h; debug
 * caches never take its lockless paths.
 *
 * One slot of s->size bytes (the picture above check_pad_bytes() in the
 * kernel), with every debug flag on:
 *
 *   slot start                object (the pointer handed out)
 *   |                         |
 *   [ left red zone          ][ object_size bytes ][ right red zone ]
 *     red_left_pad, 0xbb/0xcc  0x6b..0x6b 0xa5       to s->inuse, 0xbb/0xcc
 *                              (kmalloc: bytes past
 *                               the request are 0xcc)
 *   at s->inuse: [free pointer][track alloc][track free][orig_size][padding]
 *                 if outside    32 bytes     32 bytes    kmalloc,   0x5a to
 *                 the object    (U)          (U)         4 bytes    the slot end
 *
 * Byte values (include/linux/poison.h): POISON_FREE 0x6b fills a free
 * object (last byte POISON_END 0xa5), POISON_INUSE 0x5a fills padding and
 * new slabs, SLUB_RED_INACTIVE 0xbb and SLUB_RED_ACTIVE 0xcc are the red
 * zones of free and allocated objects.  With P an allocated object keeps
 * the poison until its user writes it, as in the kernel.
 *
 * Reports follow the kernel's text: a "[Right Redzone overwritten] ..."
 * line, the "BUG <cache> (<taint>): Object corrupt" banner, the tracks,
 * the slab and object lines, hex dumps, a WARNING, and "FIX <cache>:
 * Restoring ..." once the bytes are repaired, so the cache stays usable.
 * An object that fails the checks on free is leaked ("Object at ... not
 * freed"); a slab whose free object fails them on allocation is marked
 * full and frozen ("Marking all objects used"), disabled for good: frees
 * into it report "Slab disabled since SLUB metadata consistency check
 * failed" and leak the object.  Every report sets TAINT_BAD_PAGE.
 *
 * Pointers are printed as the kernel addresses they stand for
 * (linmm_kernel_address(): direct map, vmemmap), as with no_hash_pointers,
 * which the kernel turns on whenever slub_debug is.  Call stacks come from
 * the host (linmm_host_backtrace) and are named with dladdr.
 *
 * Locks: callers hold the slab's node list_lock (mm/slub.c) around the
 * processing hooks; depot_lock protects the stack depot and nests inside
 * it (it may take zone->lock for a new pool).  slub_debug= state is written
 * at boot only.
 */
#include <stdio.h>
#include <string.h>

#include <linmm/bug.h>
#include <linmm/printk.h>
#include <linmm/smp.h>

#include "kernel/host.h"
#include "kernel/machine.h"
#include "mm/internal.h"
#include "mm/slab.h"

#define DEBUG_DEFAULT_FLAGS (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | \
			     SLAB_STORE_USER)

/* ---- slub_debug= ---- */

static slab_flags_t slub_debug;
static char slub_debug_string[sizeof(boot_params.slub_debug)];
static bool slub_debug_has_string;
bool disable_higher_order_debug;

/*
 * Parse one block of slab_debug options ("FZ,cache,cache").  Blocks are
 * delimited by ';'.  @flags gets the block's flags (DEBUG_DEFAULT_FLAGS
 * when it names caches but no letters), @slabs the start of its cache list
 * or NULL.  At boot (@init) unknown letters are reported.
 * Return: the next block, or NULL.
 */
static const char *parse_slub_debug_flags(const char *str, slab_flags_t *flags,
					  const char **slabs, bool init, int *unknown)
{
	bool higher_order_disable = false;

	while (*str == ';')
		str++;
	if (*str == ',') {
		*flags = DEBUG_DEFAULT_FLAGS;
		goto check_slabs;
	}
	*flags = 0;
	for (; *str && *str != ',' && *str != ';'; str++) {
		switch (*str >= 'A' && *str <= 'Z' ? *str - 'A' + 'a' : *str) {
		case '-':
			*flags = 0;
			break;
		case 'f':
			*flags |= SLAB_CONSISTENCY_CHECKS;
			break;
		case 'z':
			*flags |= SLAB_RED_ZONE;
			break;
		case 'p':
			*flags |= SLAB_POISON;
			break;
		case 'u':
			*flags |= SLAB_STORE_USER;
			break;
		case 't':
			*flags |= SLAB_TRACE;
			break;
		case 'a':
			*flags |= SLAB_FAILSLAB;
			break;
		case 'o':
			/* Keep debugging off caches whose minimum order it would raise. */
			higher_order_disable = true;
			break;
		default:
			if (init) {
				pr_err("slab_debug option '%c' unknown. skipped\n", *str);
				if (!(*unknown)++)
					linmm_set_error("slab_debug option '%c' unknown. skipped "
							"(accepted: F Z P U T A O -)", *str);
			}
		}
	}
check_slabs:
	*slabs = *str == ',' ? ++str : NULL;
	while (*str && *str != ';')
		str++;
	while (*str == ';')
		str++;
	if (init && higher_order_disable)
		disable_higher_order_debug = true;
	return *str ? str : NULL;
}

/**
 * setup_slub_debug - apply the slub_debug= (slab_debug=) boot option
 * @str: its value; "" or NULL switches full debugging (FZPU) on for every cache
 *
 * The kernel's syntax: option letters F (sanity checks), Z (red zones),
 * P (poisoning), U (user tracking), T (trace), A (failslab), O (not for
 * caches whose order would grow), '-' (off), optionally followed by
 * ",cache,cache" (a trailing '*' is a prefix glob, "kmalloc-*"), and more
 * such blocks after ';'.  A block without a cache list sets the flags of
 * every cache; blocks with lists apply to the caches they name only.
 * Unknown letters are reported in dmesg and skipped.
 *
 * Context: boot, before the first cache is created.
 * Return: 0, or -EINVAL when a letter was unknown (the others still apply;
 * linmm_set_error() names it).
 */
int setup_slub_debug(const char *str)
{
	slab_flags_t flags, global_flags = DEBUG_DEFAULT_FLAGS;
	bool global_changed = false, list_specified = false;
	const char *slab_list;
	int unknown = 0;

	if (!str)
		str = "";
	if (strlen(str) >= sizeof(slub_debug_string)) {
		linmm_set_error("slub_debug=: value too long (at most %zu characters)",
				sizeof(slub_debug_string) - 1);
		return -EINVAL;
	}
	for (const char *p = str; p && *p;) {
		p = parse_slub_debug_flags(p, &flags, &slab_list, true, &unknown);
		if (!slab_list) {
			global_flags = flags;
			global_changed = true;
		} else {
			list_specified = true;
		}
	}
	/*
	 * A single block with a cache list changes those caches only: the
	 * global flags stay as they were (0, no CONFIG_SLUB_DEBUG_ON).
	 */
	if (list_specified) {
		if (!global_changed)
			global_flags = slub_debug;
		snprintf(slub_debug_string, sizeof(slub_debug_string), "%s", str);
		slub_debug_has_string = true;
	}
	slub_debug = global_flags;
	return unknown ? -EINVAL : 0;
}

/* Does cache list entry [@item, @end) name cache @name ("kmalloc-*" globs)? */
static bool slab_list_match(const char *name, const char *item, const char *end)
{
	const char *glob = memchr(item, '*', (size_t)(end - item));
	size_t len = strlen(name);

	if (glob)
		return !strncmp(name, item, (size_t)(glob - item));
	/* The kernel compares max(len, entry length) bytes: an exact match. */
	return (size_t)(end - item) == len && !strncmp(name, item, len);
}

/**
 * kmem_cache_flags - the debug flags slub_debug= gives a new cache
 * @flags: the flags the cache is created with
 * @name: its name
 *
 * The first block whose cache list names @name adds its flags; with no
 * such block the global flags are added.  SLAB_NO_USER_FLAGS caches are
 * left alone; SLAB_NOLEAKTRACE caches get no user tracking from the global
 * flags.
 *
 * Context: cache creation (slab_mutex held).
 * Return: @flags with the debug flags added.
 */
slab_flags_t kmem_cache_flags(slab_flags_t flags, const char *name)
{
	slab_flags_t local = slub_debug, block_flags;
	const char *next = slub_debug_has_string ? slub_debug_string : NULL;
	const char *iter;
	int unknown = 0;

	if (flags & SLAB_NO_USER_FLAGS)
		return flags;
	if (flags & SLAB_NOLEAKTRACE)
		local &= ~SLAB_STORE_USER;
	while (next) {
		next = parse_slub_debug_flags(next, &block_flags, &iter, false, &unknown);
		if (!iter)
			continue;
		while (*iter) {
			const char *end = iter + strcspn(iter, ",");

			if (next && next < end)
				end = next - 1;
			if (slab_list_match(name, iter, end))
				return flags | block_flags;
			if (!*end || *end == ';')
				break;
			iter = end + 1;
		}
	}
	return flags | local;
}

/* ---- stack depot (lib/stackdepot.c, reduced) ---- */

/*
 * Call stacks are stored once and named by a 32-bit handle, so a track
 * costs 32 bytes however deep the stack.  Records live in pools of
 * simulated RAM (order-2 pages, like the kernel's DEPOT_POOL_ORDER) taken
 * from the page allocator without reclaim; when none can be had the handle
 * is 0 and reports say "object allocation/free stack trace missing".
 * Pools belong to the machine and go with it; slub_debug_reset() forgets
 * them at boot.
 */
#define DEPOT_POOL_ORDER 2
#define DEPOT_POOL_SIZE (PAGE_SIZE << DEPOT_POOL_ORDER)
#define DEPOT_MAX_POOLS 8192
#define DEPOT_HASH_BITS 12

struct stack_record {
	u32 next;			/* handle of the next record in the bucket */
	u32 hash;
	u32 size;			/* entries used */
	u32 pad;
	unsigned long entries[TRACK_ADDRS_COUNT];
};
#define DEPOT_RECORDS_PER_POOL (DEPOT_POOL_SIZE / sizeof(struct stack_record))

static spinlock_t depot_lock;
static struct stack_record *depot_pools[DEPOT_MAX_POOLS];
static u32 depot_nr_records;
static u32 depot_buckets[1u << DEPOT_HASH_BITS];

static struct stack_record *depot_record(depot_stack_handle_t handle)
{
	u32 r = handle - 1;

	if (!handle || r >= depot_nr_records)
		return NULL;
	return &depot_pools[r / DEPOT_RECORDS_PER_POOL][r % DEPOT_RECORDS_PER_POOL];
}

static u32 depot_hash(const unsigned long *entries, unsigned int nr)
{
	u64 h = 0xcbf29ce484222325ULL;	/* FNV-1a over the words */

	for (unsigned int i = 0; i < nr; i++) {
		h ^= entries[i];
		h *= 0x100000001b3ULL;
	}
	return (u32)(h ^ (h >> 32));
}

static depot_stack_handle_t stack_depot_save(const unsigned long *entries, unsigned int nr)
{
	u32 hash = depot_hash(entries, nr), *bucket;
	depot_stack_handle_t handle = 0;
	struct stack_record *rec;

	spin_lock(&depot_lock);
	bucket = &depot_buckets[hash & ((1u << DEPOT_HASH_BITS) - 1)];
	for (u32 h = *bucket; (rec = depot_record(h)); h = rec->next) {
		if (rec->hash == hash && rec->size == nr &&
		    !memcmp(rec->entries, entries, nr * sizeof(*entries))) {
			handle = h;
			goto out;
		}
	}
	if (depot_nr_records % DEPOT_RECORDS_PER_POOL == 0) {
		u32 pool = depot_nr_records / DEPOT_RECORDS_PER_POOL;
		struct page *page;

		if (pool >= DEPOT_MAX_POOLS)
			goto out;
		page = alloc_pages(GFP_NOWAIT | __GFP_NOWARN, DEPOT_POOL_ORDER);
		if (!page)
			goto out;
		depot_pools[pool] = page_address(page);
	}
	handle = ++depot_nr_records;
	rec = depot_record(handle);
	rec->hash = hash;
	rec->size = nr;
	memcpy(rec->entries, entries, nr * sizeof(*entries));
	rec->next = *bucket;
	*bucket = handle;
out:
	spin_unlock(&depot_lock);
	return handle;
}

/* The entries of @handle in *@entries; return their number (0: unknown handle). */
static unsigned int stack_depot_fetch(depot_stack_handle_t handle, const unsigned long **entries)
{
	struct stack_record *rec;
	unsigned int nr = 0;

	spin_lock(&depot_lock);
	rec = depot_record(handle);
	if (rec) {
		*entries = rec->entries;
		nr = rec->size;
	}
	spin_unlock(&depot_lock);
	return nr;
}

/**
 * slub_debug_reset - forget slub_debug= and the stack depot
 *
 * Context: boot, before setup_slub_debug().
 */
void slub_debug_reset(void)
{
	slub_debug = 0;
	slub_debug_string[0] = '\0';
	slub_debug_has_string = false;
	disable_higher_order_debug = false;
	spin_lock(&depot_lock);
	memset(depot_buckets, 0, sizeof(depot_buckets));
	memset(depot_pools, 0, sizeof(depot_pools));
	depot_nr_records = 0;
	spin_unlock(&depot_lock);
}

/* ---- object layout ---- */

static bool freeptr_outside_object(const struct kmem_cache *s)
{
	return s->offset >= s->inuse;
}

/* Offset of the end of the info block: inuse, plus the free pointer if it is outside. */
static unsigned int get_info_end(const struct kmem_cache *s)
{
	return freeptr_outside_object(s) ? s->inuse + (unsigned int)sizeof(void *) : s->inuse;
}

/* kmalloc caches with user tracking keep the size that was asked for. */
static bool slub_debug_orig_size(const struct kmem_cache *s)
{
	return (s->flags & SLAB_STORE_USER) && (s->flags & SLAB_KMALLOC);
}

static unsigned int size_from_object(const struct kmem_cache *s)
{
	return s->flags & SLAB_RED_ZONE ? s->size - s->red_left_pad : s->size;
}

static u8 *restore_red_left(const struct kmem_cache *s, u8 *p)
{
	return s->flags & SLAB_RED_ZONE ? p - s->red_left_pad : p;
}

/**
 * slub_debug_metadata_size - bytes slub_debug adds at s->inuse
 * @s: the cache being sized, s->flags final
 *
 * Two struct track (alloc, free) with SLAB_STORE_USER, and the original
 * kmalloc request size (an unsigned int) for kmalloc caches with it.  The
 * free pointer, red zones and padding are calculate_sizes()'s.
 *
 * Context: cache creation.
 * Return: the bytes.
 */
unsigned int slub_debug_metadata_size(const struct kmem_cache *s)
{
	unsigned int size = 0;

	if (s->flags & SLAB_STORE_USER) {
		size += 2 * sizeof(struct track);
		if (s->flags & SLAB_KMALLOC)
			size += sizeof(unsigned int);
	}
	return size;
}

static unsigned int *orig_size_ptr(const struct kmem_cache *s, void *object)
{
	return (unsigned int *)((u8 *)object + get_info_end(s) + 2 * sizeof(struct track));
}

/**
 * set_orig_size - record the size kmalloc was asked for
 * @s: a kmalloc cache
 * @object: the object
 * @orig_size: the request (krealloc passes the new size)
 *
 * No-op unless the cache keeps it (kmalloc with SLAB_STORE_USER).  The
 * bytes past it up to object_size are the "kmalloc Redzone".
 *
 * Context: the object is allocated.
 */
void set_orig_size(struct kmem_cache *s, void *object, unsigned int orig_size)
{
	if (slub_debug_orig_size(s))
		*orig_size_ptr(s, object) = orig_size;
}

static unsigned int get_orig_size(const struct kmem_cache *s, void *object)
{
	return slub_debug_orig_size(s) ? *orig_size_ptr(s, object) : s->object_size;
}

/**
 * skip_orig_size_check - stop checking the kmalloc red zone of @object
 * @s: its cache
 * @object: an object whose user may now use all of object_size (ksize())
 *
 * Context: the object is allocated.
 */
void skip_orig_size_check(struct kmem_cache *s, const void *object)
{
	set_orig_size(s, (void *)object, s->object_size);
}

/* ---- printing ---- */

static int ptr_digits(void)
{
	return linmm_arch && linmm_arch->bits == 32 ? 8 : 16;
}

#define KADDR(p) ptr_digits(), linmm_kernel_address(p)

static void print_section(bool info, const char *text, const u8 *addr, unsigned int length)
{
	/* print_hex_dump(DUMP_PREFIX_ADDRESS, rowsize 16, groupsize 1, ascii) */
	for (unsigned int off = 0; off < length; off += 16) {
		unsigned int n = length - off < 16 ? length - off : 16;
		char line[16 * 3 + 2 + 16 + 1];
		int lx = 0;

		for (unsigned int j = 0; j < n; j++)
			lx += snprintf(line + lx, sizeof(line) - lx, "%02x ", addr[off + j]);
		lx--;
		while (lx < 16 * 3 + 1)
			line[lx++] = ' ';
		for (unsigned int j = 0; j < n; j++) {
			u8 c = addr[off + j];

			line[lx++] = c >= 0x20 && c < 0x7f ? (char)c : '.';
		}
		line[lx] = '\0';
		if (info)
			pr_info("%s%0*lx: %s\n", text, KADDR(addr + off), line);
		else
			pr_err("%s%0*lx: %s\n", text, KADDR(addr + off), line);
	}
}

static void print_stack(const unsigned long *entries, unsigned int nr)
{
	char sym[256];

	for (unsigned int i = 0; i < nr; i++) {
		linmm_host_symbolize(entries[i], sym, sizeof(sym));
		pr_err(" %s\n", sym);
	}
}

static struct track *get_track(const struct kmem_cache *s, void *object, enum track_item alloc)
{
	return (struct track *)((u8 *)object + get_info_end(s)) + alloc;
}

/*
 * The stack from the allocator's entry point down: skip this frame and the
 * hook's (alloc/free_debug_processing; set_track() is always inlined).
 */
static __attribute__((noinline)) depot_stack_handle_t set_track_prepare(void)
{
	unsigned long entries[TRACK_ADDRS_COUNT];
	int nr = linmm_host_backtrace(entries, TRACK_ADDRS_COUNT, 2);

	return nr > 0 ? stack_depot_save(entries, (unsigned int)nr) : 0;
}

static inline __attribute__((always_inline)) void set_track(struct kmem_cache *s, void *object,
							    enum track_item alloc, unsigned long addr)
{
	depot_stack_handle_t handle = set_track_prepare();
	struct track *p = get_track(s, object, alloc);

	p->addr = addr;
	p->handle = handle;
	p->cpu = smp_processor_id();
	p->pid = 0;		/* no tasks yet: swapper */
	p->when = (unsigned long)get_jiffies_64();
}

static void init_tracking(struct kmem_cache *s, void *object)
{
	if (s->flags & SLAB_STORE_USER)
		memset(get_track(s, object, TRACK_ALLOC), 0, 2 * sizeof(struct track));
}

static void print_track(const char *what, const struct track *t, unsigned long pr_time)
{
	const unsigned long *entries;
	unsigned int nr;
	char sym[256];

	if (!t->addr)
		return;
	linmm_host_symbolize(t->addr, sym, sizeof(sym));
	pr_err("%s in %s age=%lu cpu=%u pid=%d\n", what, sym, pr_time - t->when,
	       (unsigned int)t->cpu, t->pid);
	nr = stack_depot_fetch(t->handle, &entries);
	if (nr)
		print_stack(entries, nr);
	else
		pr_err("object allocation/free stack trace missing\n");
}

static void print_tracking(struct kmem_cache *s, void *object)
{
	unsigned long pr_time = (unsigned long)get_jiffies_64();

	if (!(s->flags & SLAB_STORE_USER))
		return;
	print_track("Allocated", get_track(s, object, TRACK_ALLOC), pr_time);
	print_track("Freed", get_track(s, object, TRACK_FREE), pr_time);
}

static void print_slab_info(const struct slab *slab)
{
	char flags[256];

	format_page_flags(slab->__page_flags, flags, sizeof(flags));
	pr_err("Slab 0x%0*lx objects=%u used=%u fp=0x%0*lx flags=%s\n", KADDR(slab),
	       slab->objects, slab->inuse, KADDR(slab->freelist), flags);
}

static void __slab_bug(struct kmem_cache *s, const char *fmt, va_list args)
{
	char buf[256];

	kernel_vsnprintf(buf, sizeof(buf), fmt, args);
	pr_err("=============================================================================\n");
	pr_err("BUG %s (%s): %s\n", s ? s->name : "<unknown>", print_tainted(), buf);
	pr_err("-----------------------------------------------------------------------------\n\n");
}

/**
 * slab_bug - the banner that opens every SLUB report
 * @s: the cache, or NULL ("<unknown>")
 * @fmt: what is wrong
 *
 * "=====...", "BUG <cache> (<taint>): <what>", "-----..." and a blank line.
 *
 * Context: any.
 */
void slab_bug(struct kmem_cache *s, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	__slab_bug(s, fmt, args);
	va_end(args);
}

static __printf(2, 3) void slab_fix(struct kmem_cache *s, const char *fmt, ...)
{
	char buf[256];
	va_list args;

	va_start(args, fmt);
	kernel_vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	pr_err("FIX %s: %s\n", s->name, buf);
}

static void __slab_err(struct slab *slab)
{
	print_slab_info(slab);
	add_taint(TAINT_BAD_PAGE);
	WARN_ON(1);
}

/**
 * slab_err - report a slab-level inconsistency
 * @s: the cache
 * @slab: the slab
 * @fmt: what is wrong
 *
 * The banner, the slab line, TAINT_BAD_PAGE and a WARNING.
 *
 * Context: any.
 */
void slab_err(struct kmem_cache *s, struct slab *slab, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	__slab_bug(s, fmt, args);
	va_end(args);
	__slab_err(slab);
}

/* Is @object the start of an object of @slab (NULL is)? */
static bool check_valid_pointer(struct kmem_cache *s, struct slab *slab, void *object)
{
	u8 *base = slab_address(slab), *p;

	if (!object)
		return true;
	p = restore_red_left(s, object);
	return p >= base && p < base + (size_t)slab->objects * s->size &&
	       (size_t)(p - base) % s->size == 0;
}

static void print_trailer(struct kmem_cache *s, struct slab *slab, u8 *p)
{
	u8 *addr = slab_address(slab);
	unsigned int off;

	print_tracking(s, p);
	print_slab_info(slab);
	pr_err("Object 0x%0*lx @offset=%tu fp=0x%0*lx\n\n", KADDR(p), p - addr,
	       KADDR(get_freepointer(s, p)));
	if (s->flags & SLAB_RED_ZONE)
		print_section(false, "Redzone  ", p - s->red_left_pad, s->red_left_pad);
	else if (p > addr + 16)
		print_section(false, "Bytes b4 ", p - 16, 16);
	print_section(false, "Object   ", p, s->object_size < PAGE_SIZE ? s->object_size : PAGE_SIZE);
	if (s->flags & SLAB_RED_ZONE)
		print_section(false, "Redzone  ", p + s->object_size, s->inuse - s->object_size);
	off = get_info_end(s) + slub_debug_metadata_size(s);
	if (off != size_from_object(s))
		/* Beginning of the filler is the free pointer */
		print_section(false, "Padding  ", p + off, size_from_object(s) - off);
}

static void object_err(struct kmem_cache *s, struct slab *slab, u8 *object, const char *reason)
{
	slab_bug(s, "%s", reason);
	if (!object || !check_valid_pointer(s, slab, object)) {
		print_slab_info(slab);
		pr_err("Invalid pointer 0x%0*lx\n", KADDR(object));
	} else {
		print_trailer(s, slab, object);
	}
	add_taint(TAINT_BAD_PAGE);
	WARN_ON(1);
}

/* ---- poisoning and checks ---- */

static void init_object(struct kmem_cache *s, void *object, u8 val)
{
	unsigned int poison_size = s->object_size;
	u8 *p = object;

	if (s->flags & SLAB_RED_ZONE) {
		memset(p - s->red_left_pad, val, s->red_left_pad);
		/* kmalloc: what was not asked for is red zone too, and is not poisoned. */
		if (slub_debug_orig_size(s) && val == SLUB_RED_ACTIVE) {
			poison_size = get_orig_size(s, object);
			if (poison_size > s->object_size)
				poison_size = s->object_size;
		}
	}
	if ((s->flags & __OBJECT_POISON) && poison_size) {
		memset(p, POISON_FREE, poison_size - 1);
		p[poison_size - 1] = POISON_END;
	}
	if (s->flags & SLAB_RED_ZONE)
		memset(p + poison_size, val, s->inuse - poison_size);
}

static void restore_bytes(struct kmem_cache *s, const char *message, u8 data, u8 *from, u8 *to)
{
	slab_fix(s, "Restoring %s 0x%0*lx-0x%0*lx=0x%x", message, KADDR(from), KADDR(to - 1), data);
	memset(from, data, (size_t)(to - from));
}

static u8 *memchr_inv(u8 *start, u8 value, size_t bytes)
{
	for (size_t i = 0; i < bytes; i++)
		if (start[i] != value)
			return start + i;
	return NULL;
}

/*
 * Check that [@start, @start + @bytes) all hold @value; if not, report the
 * damaged range (with the whole object when @obj_print: the first problem
 * found in an object) and restore it.  Return: true if intact.
 */
static bool check_bytes_and_report(struct kmem_cache *s, struct slab *slab, u8 *object,
				   const char *what, u8 *start, u8 value, unsigned int bytes,
				   bool obj_print)
{
	u8 *addr = slab_address(slab), *fault, *end;

	fault = memchr_inv(start, value, bytes);
	if (!fault)
		return true;
	end = start + bytes;
	while (end > fault && end[-1] == value)
		end--;
	pr_err("[%s overwritten] 0x%0*lx-0x%0*lx @offset=%tu. First byte 0x%x instead of 0x%x\n",
	       what, KADDR(fault), KADDR(end - 1), fault - addr, fault[0], value);
	if (obj_print)
		object_err(s, slab, object, "Object corrupt");
	restore_bytes(s, what, value, fault, end);
	return false;
}

/* The padding after the metadata, up to the slot end, must be POISON_INUSE. */
static bool check_pad_bytes(struct kmem_cache *s, struct slab *slab, u8 *p)
{
	unsigned int off = get_info_end(s) + slub_debug_metadata_size(s);

	if (size_from_object(s) == off)
		return true;
	return check_bytes_and_report(s, slab, p, "Object padding", p + off, POISON_INUSE,
				      size_from_object(s) - off, true);
}

/* The bytes past the last object of a slab must be POISON_INUSE (P only). */
static bool slab_pad_check(struct kmem_cache *s, struct slab *slab)
{
	u8 *start, *fault, *end, *pad;
	size_t length, remainder;

	if (!(s->flags & SLAB_POISON))
		return true;
	start = slab_address(slab);
	length = slab_size(slab);
	end = start + length;
	remainder = length % s->size;
	if (!remainder)
		return true;
	pad = end - remainder;
	fault = memchr_inv(pad, POISON_INUSE, remainder);
	if (!fault)
		return true;
	while (end > fault && end[-1] == POISON_INUSE)
		end--;
	slab_bug(s, "Padding overwritten. 0x%0*lx-0x%0*lx @offset=%tu", KADDR(fault),
		 KADDR(end - 1), fault - start);
	print_section(false, "Padding ", pad, (unsigned int)remainder);
	__slab_err(slab);
	restore_bytes(s, "slab padding", POISON_INUSE, fault, end);
	return false;
}

/*
 * Check one object: red zones hold @val (SLUB_RED_ACTIVE for an allocated
 * object, SLUB_RED_INACTIVE for a free one), a free object still holds
 * its poison, the padding its POISON_INUSE, and the free pointer (where it
 * can be read) points into the slab.  Damage is reported and repaired.
 * Return: true if the object was intact.
 */
static bool check_object(struct kmem_cache *s, struct slab *slab, void *object, u8 val)
{
	u8 *p = object, *endobject = p + s->object_size;
	bool ret = true;

	if (s->flags & SLAB_RED_ZONE) {
		if (!check_bytes_and_report(s, slab, p, "Left Redzone", p - s->red_left_pad, val,
					    s->red_left_pad, ret))
			ret = false;
		if (!check_bytes_and_report(s, slab, p, "Right Redzone", endobject, val,
					    s->inuse - s->object_size, ret))
			ret = false;
		if (slub_debug_orig_size(s) && val == SLUB_RED_ACTIVE) {
			unsigned int orig_size = get_orig_size(s, object);

			if (s->object_size > orig_size &&
			    !check_bytes_and_report(s, slab, p, "kmalloc Redzone", p + orig_size, val,
						    s->object_size - orig_size, ret))
				ret = false;
		}
	} else if ((s->flags & SLAB_POISON) && s->object_size < s->inuse) {
		if (!check_bytes_and_report(s, slab, p, "Alignment padding", endobject,
					    POISON_INUSE, s->inuse - s->object_size, ret))
			ret = false;
	}
	if (s->flags & SLAB_POISON) {
		if (val != SLUB_RED_ACTIVE && (s->flags & __OBJECT_POISON)) {
			if (!check_bytes_and_report(s, slab, p, "Poison", p, POISON_FREE,
						    s->object_size - 1, ret))
				ret = false;
			if (!check_bytes_and_report(s, slab, p, "End Poison", p + s->object_size - 1,
						    POISON_END, 1, ret))
				ret = false;
		}
		if (!check_pad_bytes(s, slab, p))
			ret = false;
	}
	/* An allocated object's free pointer is user data unless it lives outside. */
	if ((freeptr_outside_object(s) || val != SLUB_RED_ACTIVE) &&
	    !check_valid_pointer(s, slab, get_freepointer(s, p))) {
		object_err(s, slab, p, "Freepointer corrupt");
		/* Zap it: the rest of this slab's free objects are lost. */
		set_freepointer(s, p, NULL);
		ret = false;
	}
	return ret;
}

/* Objects per slab of this order: the kernel's order_objects(). */
static unsigned int order_objects(unsigned int order, unsigned int size)
{
	unsigned int n = (unsigned int)(PAGE_SIZE << order) / size;

	return n > MAX_OBJS_PER_PAGE ? MAX_OBJS_PER_PAGE : n;
}

static bool check_slab_counts(struct kmem_cache *s, struct slab *slab)
{
	unsigned int maxobj = order_objects(slab_order(slab), s->size);

	if (slab->objects > maxobj) {
		slab_err(s, slab, "objects %u > max %u", slab->objects, maxobj);
		return false;
	}
	if (slab->inuse > slab->objects) {
		slab_err(s, slab, "inuse %u > max %u", slab->inuse, slab->objects);
		return false;
	}
	return true;
}

/*
 * Is the slab sane and in use?  A slab disabled by a failed allocation
 * check (frozen: debug caches have no per-CPU slabs) is not.  Its end
 * padding is checked and repaired on the way.
 */
static bool check_slab(struct kmem_cache *s, struct slab *slab)
{
	if (!check_slab_counts(s, slab))
		return false;
	if (slab->frozen) {
		slab_err(s, slab, "Slab disabled since SLUB metadata consistency check failed");
		return false;
	}
	slab_pad_check(s, slab);
	return true;
}

/*
 * Is @search on @slab's freelist?  Walks the list, repairing what it can:
 * a corrupt pointer ends the list, a cycle or wrong counts are fixed.
 * *@errs counts the reports.  With @search NULL, return false only if the
 * freelist had to be cleared.
 */
static bool on_freelist(struct kmem_cache *s, struct slab *slab, void *search, int *errs)
{
	unsigned int nr = 0, max_objects;
	void *fp = slab->freelist, *object = NULL;

	while (fp && nr <= slab->objects) {
		if (fp == search)
			return true;
		if (!check_valid_pointer(s, slab, fp)) {
			(*errs)++;
			if (object) {
				object_err(s, slab, object, "Freechain corrupt");
				set_freepointer(s, object, NULL);
				break;
			}
			slab_err(s, slab, "Freepointer corrupt");
			slab->freelist = NULL;
			slab->inuse = slab->objects;
			slab_fix(s, "Freelist cleared");
			return false;
		}
		object = fp;
		fp = get_freepointer(s, object);
		nr++;
	}
	if (nr > slab->objects) {
		(*errs)++;
		slab_err(s, slab, "Freelist cycle detected");
		slab->freelist = NULL;
		slab->inuse = slab->objects;
		slab_fix(s, "Freelist cleared");
		return false;
	}
	max_objects = order_objects(slab_order(slab), s->size);
	if (slab->objects != max_objects) {
		(*errs)++;
		slab_err(s, slab, "Wrong number of objects. Found %d but should be %d",
			 slab->objects, max_objects);
		slab->objects = max_objects;
		slab_fix(s, "Number of objects adjusted");
	}
	if (slab->inuse != slab->objects - nr) {
		(*errs)++;
		slab_err(s, slab, "Wrong object count. Counter is %d but counted were %d",
			 slab->inuse, slab->objects - nr);
		slab->inuse = slab->objects - nr;
		slab_fix(s, "Object count adjusted");
	}
	return search == NULL;
}

/* slub_debug=T: log every allocation and free of the cache. */
static void trace(struct kmem_cache *s, struct slab *slab, void *object, bool alloc)
{
	unsigned long entries[TRACK_ADDRS_COUNT];
	int nr;

	if (!(s->flags & SLAB_TRACE))
		return;
	pr_info("TRACE %s %s 0x%0*lx inuse=%d fp=0x%0*lx\n", s->name, alloc ? "alloc" : "free",
		KADDR(object), slab->inuse, KADDR(slab->freelist));
	if (!alloc)
		print_section(true, "Object ", object, s->object_size);
	/* dump_stack(), without the CPU and hardware lines. */
	nr = linmm_host_backtrace(entries, TRACK_ADDRS_COUNT, 1);
	pr_info("Call Trace:\n");
	pr_info(" <TASK>\n");
	print_stack(entries, (unsigned int)nr);
	pr_info(" </TASK>\n");
}

/* ---- the hooks mm/slub.c calls ---- */

/* The lock the processing hooks run under: @slab's node list_lock. */
static spinlock_t *slab_list_lock(struct kmem_cache *s, struct slab *slab)
{
	return &s->node[slab_nid(slab)]->list_lock;
}

/**
 * setup_slab_debug - prepare a new slab of a debug cache
 * @s: the cache
 * @slab: the new slab
 * @addr: its first byte
 *
 * With SLAB_POISON the whole slab is filled with POISON_INUSE, so the
 * padding of every slot and past the last one can be checked later.
 *
 * Context: new_slab(), before any object is set up.
 */
void setup_slab_debug(struct kmem_cache *s, struct slab *slab, void *addr)
{
	if (s->flags & SLAB_POISON)
		memset(addr, POISON_INUSE, slab_size(slab));
}

/**
 * setup_object_debug - poison and red-zone one object of a new slab
 * @s: the cache
 * @object: the object (slot start + red_left_pad)
 *
 * The object is set up as free: poison, inactive red zones, empty tracks.
 *
 * Context: new_slab(), before the constructor and the free pointer.
 */
void setup_object_debug(struct kmem_cache *s, void *object)
{
	if (!(s->flags & (SLAB_STORE_USER | SLAB_RED_ZONE | __OBJECT_POISON)))
		return;
	init_object(s, object, SLUB_RED_INACTIVE);
	init_tracking(s, object);
}

/**
 * alloc_debug_processing - checks and bookkeeping before an object is handed out
 * @s: a debug cache
 * @slab: the slab @object comes from
 * @object: the free object about to be allocated
 * @addr: the allocator's caller (for the alloc track)
 * @orig_size: the size asked for (kmalloc), or s->object_size
 *
 * With SLAB_CONSISTENCY_CHECKS the slab and the object must be intact: a
 * pointer into the slab, poison and red zones of a free object.  Damage
 * is reported and repaired, and the slab is then disabled: marked full
 * (inuse = objects, empty freelist) and frozen, so none of its remaining
 * free objects is handed out and frees into it are refused (leaked).  On success the alloc track, the original size and the
 * active red zones are set.
 *
 * Context: the caller holds the node's list_lock.
 * Return: true if @object may be handed out.
 */
bool alloc_debug_processing(struct kmem_cache *s, struct slab *slab, void *object,
			    unsigned long addr, unsigned int orig_size)
{
	lockdep_assert_held(slab_list_lock(s, slab));
	if (s->flags & SLAB_CONSISTENCY_CHECKS) {
		if (!check_slab(s, slab))
			goto bad;
		if (!check_valid_pointer(s, slab, object)) {
			object_err(s, slab, object, "Freelist Pointer check fails");
			goto bad;
		}
		if (!check_object(s, slab, object, SLUB_RED_INACTIVE))
			goto bad;
	}
	if (s->flags & SLAB_STORE_USER)
		set_track(s, object, TRACK_ALLOC, addr);
	trace(s, slab, object, true);
	set_orig_size(s, object, orig_size);
	init_object(s, object, SLUB_RED_ACTIVE);
	return true;
bad:
	/*
	 * Marking every object used keeps the damaged ones from being touched;
	 * frozen marks the slab disabled, so frees into it are refused too.
	 */
	slab_fix(s, "Marking all objects used");
	slab->inuse = slab->objects;
	slab->freelist = NULL;
	slab->frozen = 1;
	return false;
}

static bool free_consistency_checks(struct kmem_cache *s, struct slab *slab, void *object)
{
	int errs = 0;

	if (!check_valid_pointer(s, slab, object)) {
		slab_err(s, slab, "Invalid object pointer 0x%0*lx", KADDR(object));
		return false;
	}
	if (on_freelist(s, slab, object, &errs)) {
		object_err(s, slab, object, "Object already free");
		return false;
	}
	if (!check_object(s, slab, object, SLUB_RED_ACTIVE))
		return false;
	if (s != slab->slab_cache) {
		if (!slab->slab_cache)
			slab_err(NULL, slab, "No slab cache for object 0x%0*lx", KADDR(object));
		else
			object_err(s, slab, object, "page slab pointer corrupt.");
		return false;
	}
	return true;
}

/**
 * free_debug_processing - checks and bookkeeping before an object is freed
 * @s: a debug cache
 * @slab: the slab @object points into
 * @object: the pointer being freed
 * @addr: the caller of the free (for the free track)
 *
 * With SLAB_CONSISTENCY_CHECKS: the pointer must be an object start of
 * this slab ("Invalid object pointer"), not already free ("Object already
 * free"), with intact red zones and padding ("Right Redzone overwritten",
 * ...).  A failed free is reported ("Object at 0x... not freed") and must
 * be dropped: the object is leaked, never reused.  On success the free
 * track is set and the object poisoned and red-zoned as free; the caller
 * then links it into the freelist.
 *
 * Context: the caller holds the node's list_lock.
 * Return: true if the free may proceed.
 */
bool free_debug_processing(struct kmem_cache *s, struct slab *slab, void *object,
			   unsigned long addr)
{
	bool checks_ok = false;

	lockdep_assert_held(slab_list_lock(s, slab));
	if ((s->flags & SLAB_CONSISTENCY_CHECKS) && !check_slab(s, slab))
		goto out;
	if (slab->inuse < 1) {
		slab_err(s, slab, "Slab has %d allocated objects but %d are to be freed\n",
			 slab->inuse, 1);
		goto out;
	}
	if ((s->flags & SLAB_CONSISTENCY_CHECKS) && !free_consistency_checks(s, slab, object))
		goto out;
	if (s->flags & SLAB_STORE_USER)
		set_track(s, object, TRACK_FREE, addr);
	trace(s, slab, object, false);
	/* The free pointer is not overwritten: poisoning moved it outside. */
	init_object(s, object, SLUB_RED_INACTIVE);
	checks_ok = true;
out:
	if (!checks_ok)
		slab_fix(s, "Object at 0x%0*lx not freed", KADDR(object));
	return checks_ok;
}

#define BITS_PER_LONG_ (8 * sizeof(unsigned long))
#define OBJECT_MAP_LONGS ((MAX_OBJS_PER_PAGE + BITS_PER_LONG_ - 1) / BITS_PER_LONG_)

/* Mark the free objects of @slab (those on slab->freelist) in @map. */
static void fill_map(unsigned long *map, struct kmem_cache *s, struct slab *slab)
{
	unsigned int nr = 0;

	memset(map, 0, OBJECT_MAP_LONGS * sizeof(*map));
	/* Bounded and checked: list_slab_objects() walks an unvalidated list. */
	for (void *p = slab->freelist; p && nr++ < slab->objects; p = get_freepointer(s, p)) {
		unsigned int idx;

		if (!check_valid_pointer(s, slab, p))
			break;
		idx = slab_obj_index(s, slab, p);
		map[idx / BITS_PER_LONG_] |= 1UL << (idx % BITS_PER_LONG_);
	}
}

static bool map_test(const unsigned long *map, unsigned int idx)
{
	return map[idx / BITS_PER_LONG_] & (1UL << (idx % BITS_PER_LONG_));
}

/**
 * validate_slab_debug - check every object of one slab
 * @s: a debug cache
 * @slab: a slab whose free objects are all on slab->freelist (no CPU
 *        freelist: validate_slab_cache() flushes the CPUs first)
 *
 * The slab's counts and freelist, its end padding, then each object as
 * free or allocated (the kernel's validate_slab(): it stops at the first
 * damaged object).  Every problem is reported and repaired.
 *
 * Context: the caller holds the node's list_lock.
 * Return: the number of problems found (0: intact).
 */
int validate_slab_debug(struct kmem_cache *s, struct slab *slab)
{
	unsigned long map[OBJECT_MAP_LONGS];
	int errs = 0;

	lockdep_assert_held(slab_list_lock(s, slab));
	/*
	 * A slab disabled by a failed check was reported then and is never
	 * used again; the kernel repeats "Slab disabled ..." on every
	 * validation, linmm's checker counts new damage only.
	 */
	if (slab->frozen)
		return 0;
	if (!check_slab_counts(s, slab))
		return 1;
	if (!slab_pad_check(s, slab))
		errs++;
	if (!on_freelist(s, slab, NULL, &errs))
		return errs;
	fill_map(map, s, slab);
	for (unsigned int i = 0; i < slab->objects; i++) {
		void *p = slab_obj_addr(s, slab, i);
		u8 val = map_test(map, i) ? SLUB_RED_INACTIVE : SLUB_RED_ACTIVE;

		if (!check_object(s, slab, p, val)) {
			errs++;
			break;
		}
	}
	return errs;
}

/**
 * list_slab_objects - report the objects still allocated in a slab
 * @s: the cache being destroyed
 * @slab: a slab with objects in use
 * @text: the banner, a format taking the cache name ("Objects remaining
 *        in %s on __kmem_cache_shutdown()")
 *
 * The banner, "Object 0x... @offset=N" and its tracks for each allocated
 * object, the slab line, TAINT_BAD_PAGE and a WARNING.
 *
 * Context: __kmem_cache_shutdown(), the node's list_lock held.
 */
void list_slab_objects(struct kmem_cache *s, struct slab *slab, const char *text)
{
	unsigned long map[OBJECT_MAP_LONGS];
	u8 *addr = slab_address(slab);

	lockdep_assert_held(slab_list_lock(s, slab));
	slab_bug(s, text, s->name);
	fill_map(map, s, slab);
	for (unsigned int i = 0; i < slab->objects; i++) {
		u8 *p = slab_obj_addr(s, slab, i);

		if (map_test(map, i))
			continue;
		pr_err("Object 0x%0*lx @offset=%tu\n", KADDR(p), p - addr);
		print_tracking(s, p);
	}
	__slab_err(slab);
}
