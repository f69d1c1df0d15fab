/* SPDX-License-Identifier: MIT */
/*
 * commands_slab.c - the script commands of the slab allocator:
 *
 *   kmem_cache_create NAME SIZE [align=N] [flags=F|F...]   kmem_cache_create()
 *   kmem_cache_alloc H CACHE [gfp=FLAGS] [node=N]           kmem_cache_alloc(_node)()
 *   kmem_cache_free H                                       kmem_cache_free()
 *   kmem_cache_shrink CACHE                                 kmem_cache_shrink()
 *   kmem_cache_destroy NAME                                 kmem_cache_destroy()
 *   kmalloc H SIZE [gfp=FLAGS] [node=N]                     kmalloc(_node)()
 *   krealloc H SIZE [gfp=FLAGS]                             krealloc()
 *   kfree H                                                 kfree()
 *   write H[+OFF|-OFF] BYTE...                              poke bytes (slub_debug demos)
 *   fill H[+OFF|-OFF] LEN BYTE                              memset() the same way
 *
 * SIZE, LEN and OFF take K, M and G suffixes (script_parse_size(),
 * script_parse_target() in script.c).
 *
 * (slabtop is in commands_slabtop.c.)  Mirrors the slab API
 * (include/linux/slab.h) as a caller in the kernel uses it.  The output
 * lines follow the kmem tracepoints (kmem_cache_alloc, kmalloc, kfree,
 * kmem_cache_free: "ptr=... bytes_req=... bytes_alloc=... gfp_flags=..."),
 * with pointers as Linux shows them (the direct map at 0xffff888000000000
 * on x86_64).  The line of a free is printed (and stdout flushed) before
 * the call, so a report the kernel makes about that free (slub_debug=)
 * follows it on the console.
 *
 * Two name spaces, both emptied without freeing when the machine goes away
 * (script_slab_reset()):
 *   - caches the script created, under the script's name.  CACHE arguments
 *     look there first, then at every cache of the machine (kmalloc-64,
 *     kmem_cache...) through kmem_cache_find().  Only the script's own caches
 *     can be destroyed.  A cache merged into an existing one (an alias) is
 *     shown as such; destroying it drops one reference.
 *   - handles: a name for one object.  A failed allocation is not a script
 *     error: it prints what happened and keeps the name with no object.
 * Invariant: a handle holds exactly the pointer the allocator returned, and
 * the cache it came from (NULL for kmalloc) is still alive.  Destroying the
 * last reference of a cache with live objects gets the kernel's report and
 * leaks them, as the kernel does; their handles are forgotten.
 *
 * `write`/`fill` poke bytes at a handle's address plus an offset, on
 * purpose past the object's end (red zones, padding, free pointer): the
 * range is only held to the slab (or the pages of a large kmalloc) the
 * object lives in, so a script can corrupt the slab but not the host.  An
 * alloc_pages handle works too (its page, or its compound page).

 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/gfp.h>
#include <linmm/linmm.h>
#include <linmm/memblock.h>
#include <linmm/mm.h>
#include <linmm/slab.h>

#include "mm/internal.h"
#include "mm/slab.h"
#include "tools/linmm/script.h"

#define SLAB_NAME_MAX 64	/* script cache and handle names */

struct script_cache {
	char name[SLAB_NAME_MAX];
	struct kmem_cache *s;	/* what kmem_cache_create() returned (maybe an alias) */
};

struct slab_handle {
	char name[SLAB_NAME_MAX];
	void *ptr;		/* NULL: the allocation failed */
	struct kmem_cache *s;	/* NULL: from kmalloc */
	size_t size;		/* bytes requested */
};

static struct script_cache *caches;
static size_t nr_caches, caches_cap;
static struct slab_handle *handles;
static size_t nr_handles, handles_cap;

void script_slab_reset(void)
{
	free(caches);
	caches = NULL;
	nr_caches = caches_cap = 0;
	free(handles);
	handles = NULL;
	nr_handles = handles_cap = 0;
}

/* Grow *@arr (of @elem-byte entries) so one more fits. Return false if out of memory. */
static bool table_reserve(void **arr, size_t elem, size_t nr, size_t *cap)
{
	size_t n;
	void *p;

	if (nr < *cap)
		return true;
	n = *cap ? 2 * *cap : 16;
	p = realloc(*arr, n * elem);
	if (!p)
		return false;
	*arr = p;
	*cap = n;
	return true;
}

static struct slab_handle *handle_find(const char *name)
{
	for (size_t i = 0; i < nr_handles; i++)
		if (!strcmp(handles[i].name, name))
			return &handles[i];
	return NULL;
}

void *script_slab_lookup(const char *name, bool *found)
{
	struct slab_handle *h = handle_find(name);

	*found = h != NULL;
	return h ? h->ptr : NULL;
}

static void handle_remove(struct slab_handle *h)
{
	*h = handles[--nr_handles];
}

static struct script_cache *script_cache_find(const char *name)
{
	for (size_t i = 0; i < nr_caches; i++)
		if (!strcmp(caches[i].name, name))
			return &caches[i];
	return NULL;
}

/* A script cache by its script name, else any cache of the machine by name. */
static struct kmem_cache *cache_lookup(const char *name)
{
	struct script_cache *c = script_cache_find(name);

	return c ? c->s : kmem_cache_find(name);
}

/* Parse a number (decimal, 0x hex) of at most @max into *out. Return false if malformed. */
static bool parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*out = strtoul(s, &end, 0);
	return !errno && !*end && *out <= max;
}

/*
 * A new handle called @name, or the failed one of that name (reused).
 * Return: the handle, or NULL after script_error().
 */
static struct slab_handle *handle_new(struct linmm_script *s, const char *cmd, const char *name)
{
	struct slab_handle *h;

	if (!script_handle_name_ok(name) || strlen(name) >= SLAB_NAME_MAX) {
		script_error(s, "%s: bad name '%s' (letters, digits and _, not a digit first)", cmd,
			     name);
		return NULL;
	}
	h = handle_find(name);
	if (h && h->ptr) {
		script_error(s, "%s: '%s' already holds an object; %s %s first", cmd, name,
			     h->s ? "kmem_cache_free" : "kfree", name);
		return NULL;
	}
	if (h)
		return h;
	if (!table_reserve((void **)&handles, sizeof(*handles), nr_handles, &handles_cap)) {
		script_error(s, "%s: out of host memory", cmd);
		return NULL;
	}
	h = &handles[nr_handles++];
	*h = (struct slab_handle){ 0 };
	snprintf(h->name, sizeof(h->name), "%s", name);
	return h;
}

/*
 * Parse the allocation options in @argv[@first..]: "gfp=FLAGS", and
 * "node=N" when @nid is not NULL (it stays NUMA_NO_NODE without one).
 * Return: false after script_error() (@usage ends the message).
 */
static bool parse_alloc_opts(struct linmm_script *s, const char *cmd, const char *usage,
			     int argc, char **argv, int first, gfp_t *gfp, int *nid)
{
	unsigned long n;

	for (int i = first; i < argc; i++) {
		const char *a = argv[i];

		if (!strncmp(a, "gfp=", 4)) {
			if (parse_gfp_flags(a + 4, gfp)) {
				script_error(s, "%s: bad gfp flags '%s' (e.g. GFP_KERNEL|__GFP_ZERO, or "
					     "a hex mask)", cmd, a + 4);
				return false;
			}
		} else if (nid && !strncmp(a, "node=", 5)) {
			if (!parse_ulong(a + 5, (unsigned long)nr_online_nodes - 1, &n)) {
				script_error(s, "%s: bad node '%s' (this machine has nodes 0..%d)", cmd,
					     a + 5, nr_online_nodes - 1);
				return false;
			}
			*nid = (int)n;
		} else {
			script_error(s, "%s: unknown argument '%s'; usage: %s", cmd, a, usage);
			return false;
		}
	}
	return true;
}

/* The cache an object lives in ("kmalloc-128"), or "pages order=N" for a large kmalloc. */
static void object_home(const void *p, char *buf, size_t size)
{
	struct slab *slab = virt_to_slab(p);
	struct page *page;

	if (slab) {
		snprintf(buf, size, "cache=%s", slab->slab_cache->name);
		return;
	}
	page = compound_head(virt_to_page(p));
	snprintf(buf, size, "pages order=%u", compound_order(page));
}

/* ---- caches ---- */

static const struct {
	const char *name;
	slab_flags_t flag;
} slab_flag_names[] = {
	{ "CONSISTENCY_CHECKS", SLAB_CONSISTENCY_CHECKS },
	{ "RED_ZONE", SLAB_RED_ZONE },
	{ "POISON", SLAB_POISON },
	{ "HWCACHE_ALIGN", SLAB_HWCACHE_ALIGN },
	{ "CACHE_DMA", SLAB_CACHE_DMA },
	{ "CACHE_DMA32", SLAB_CACHE_DMA32 },
	{ "STORE_USER", SLAB_STORE_USER },
	{ "PANIC", SLAB_PANIC },
	{ "TYPESAFE_BY_RCU", SLAB_TYPESAFE_BY_RCU },
	{ "TRACE", SLAB_TRACE },
	{ "NOLEAKTRACE", SLAB_NOLEAKTRACE },
	{ "NO_MERGE", SLAB_NO_MERGE },
	{ "FAILSLAB", SLAB_FAILSLAB },
	{ "ACCOUNT", SLAB_ACCOUNT },
	{ "RECLAIM_ACCOUNT", SLAB_RECLAIM_ACCOUNT },
};

/* "HWCACHE_ALIGN|SLAB_POISON" (the SLAB_ prefix is optional). Return false if unknown. */
static bool parse_slab_flags(const char *str, slab_flags_t *out, char *bad, size_t badsize)
{
	const char *p = str;

	*out = 0;
	if (!*p) {
		snprintf(bad, badsize, "(none)");
		return false;
	}
	while (*p) {
		size_t len = strcspn(p, "|");
		const char *word = p;
		bool found = false;

		if (len > 5 && !strncmp(word, "SLAB_", 5)) {
			word += 5;
			len -= 5;
		}
		for (size_t i = 0; i < ARRAY_SIZE(slab_flag_names); i++) {
			if (strlen(slab_flag_names[i].name) == len &&
			    !strncmp(word, slab_flag_names[i].name, len)) {
				*out |= slab_flag_names[i].flag;
				found = true;
				break;
			}
		}
		if (!found) {
			snprintf(bad, badsize, "%.*s", (int)strcspn(p, "|"), p);
			if (!bad[0])
				snprintf(bad, badsize, "(empty)");
			return false;
		}
		p += strcspn(p, "|");
		if (*p == '|' && *++p == '\0') {
			snprintf(bad, badsize, "(nothing after the last |)");
			return false;
		}
	}
	return true;
}

enum script_status cmd_kmem_cache_create(struct linmm_script *s, int argc, char **argv,
					 const char *rest)
{
	static const char usage[] = "usage: kmem_cache_create NAME SIZE [align=N] [flags=F|F...]";
	unsigned long size, align = 0;
	slab_flags_t flags = 0;
	struct kmem_cache *c;
	char bad[64];

	if (argc < 2)
		return script_error(s, "%s", usage);
	if (strlen(argv[0]) >= SLAB_NAME_MAX || !argv[0][0])
		return script_error(s, "kmem_cache_create: bad name '%s' (1 to %d characters)",
				    argv[0], SLAB_NAME_MAX - 1);
	if (cache_lookup(argv[0]))
		return script_error(s, "kmem_cache_create: a cache named '%s' exists already",
				    argv[0]);
	if (!script_parse_size(argv[1], KMALLOC_MAX_SIZE, &size) || !size)
		return script_error(s, "kmem_cache_create: bad size '%s' (1 .. %lu bytes)", argv[1],
				    KMALLOC_MAX_SIZE);
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];

		if (!strncmp(a, "align=", 6)) {
			if (!parse_ulong(a + 6, PAGE_SIZE, &align) || (align & (align - 1)))
				return script_error(s, "kmem_cache_create: bad align '%s' (a power "
						    "of two up to %lu, or 0)", a + 6, PAGE_SIZE);
		} else if (!strncmp(a, "flags=", 6)) {
			if (!parse_slab_flags(a + 6, &flags, bad, sizeof(bad)))
				return script_error(s, "kmem_cache_create: bad flag '%s' in '%s' "
						    "(e.g. HWCACHE_ALIGN|RECLAIM_ACCOUNT|POISON|"
						    "RED_ZONE|STORE_USER|NO_MERGE)", bad, a + 6);
		} else {
			return script_error(s, "kmem_cache_create: unknown argument '%s'; %s", a,
					    usage);
		}
	}
	if (!table_reserve((void **)&caches, sizeof(*caches), nr_caches, &caches_cap))
		return script_error(s, "kmem_cache_create: out of host memory");

	c = kmem_cache_create(argv[0], (unsigned int)size, (unsigned int)align, flags, NULL);
	if (!c) {
		printf("kmem_cache_create %s: failed\n", argv[0]);
		return SCRIPT_OK;
	}
	caches[nr_caches] = (struct script_cache){ .s = c };
	snprintf(caches[nr_caches].name, SLAB_NAME_MAX, "%s", argv[0]);
	nr_caches++;
	printf("kmem_cache_create %s: object_size=%u size=%u align=%u objperslab=%u "
	       "pagesperslab=%u", argv[0], c->object_size, c->size, c->align, oo_objects(c->oo),
	       1u << oo_order(c->oo));
	if (strcmp(kmem_cache_name(c), argv[0]))
		printf(" alias_of=%s", kmem_cache_name(c));
	printf("\n");
	return SCRIPT_OK;
}

enum script_status cmd_kmem_cache_destroy(struct linmm_script *s, int argc, char **argv,
					  const char *rest)
{
	struct script_cache *c;
	struct kmem_cache *cache;
	unsigned long leaked = 0;
	bool last;

	if (argc != 1)
		return script_error(s, "usage: kmem_cache_destroy NAME");
	c = script_cache_find(argv[0]);
	if (!c)
		return script_error(s, "kmem_cache_destroy: no cache '%s' created by this script",
				    argv[0]);
	cache = c->s;
	*c = caches[--nr_caches];
	/* An alias (of another script cache or of a kernel one) only drops a reference. */
	spin_lock(&slab_mutex);
	last = cache->refcount == 1;
	spin_unlock(&slab_mutex);
	if (last) {
		for (size_t i = 0; i < nr_handles;) {
			if (handles[i].s == cache) {
				leaked += handles[i].ptr != NULL;
				handle_remove(&handles[i]);
			} else {
				i++;
			}
		}
	}
	printf("kmem_cache_destroy %s\n", argv[0]);
	fflush(stdout);		/* before the kernel's report, if any, reaches the console */
	kmem_cache_destroy(cache);
	if (leaked)
		printf("kmem_cache_destroy %s: %lu objects leaked, their handles are gone\n",
		       argv[0], leaked);
	return SCRIPT_OK;
}

enum script_status cmd_kmem_cache_shrink(struct linmm_script *s, int argc, char **argv,
					 const char *rest)
{
	struct kmem_cache *c;
	struct slabinfo before = { 0 }, after = { 0 };

	if (argc != 1)
		return script_error(s, "usage: kmem_cache_shrink CACHE");
	c = cache_lookup(argv[0]);
	if (!c)
		return script_error(s, "kmem_cache_shrink: no cache '%s'", argv[0]);
	get_slabinfo(c, &before);
	kmem_cache_shrink(c);
	get_slabinfo(c, &after);
	printf("kmem_cache_shrink %s: slabs %lu -> %lu, active_objs %lu -> %lu\n", argv[0],
	       before.num_slabs, after.num_slabs, before.active_objs, after.active_objs);
	return SCRIPT_OK;
}

/* ---- objects ---- */

enum script_status cmd_kmem_cache_alloc(struct linmm_script *s, int argc, char **argv,
					const char *rest)
{
	static const char usage[] = "kmem_cache_alloc H CACHE [gfp=FLAGS] [node=N]";
	gfp_t gfp = GFP_KERNEL;
	int nid = NUMA_NO_NODE;
	struct slab_handle *h;
	struct kmem_cache *c;
	char flags[256];

	if (argc < 2)
		return script_error(s, "usage: %s", usage);
	c = cache_lookup(argv[1]);
	if (!c)
		return script_error(s, "kmem_cache_alloc: no cache '%s' (kmem_cache_create it, or "
				    "name one of /proc/slabinfo)", argv[1]);
	if (!parse_alloc_opts(s, "kmem_cache_alloc", usage, argc, argv, 2, &gfp, &nid))
		return SCRIPT_ERROR;
	h = handle_new(s, "kmem_cache_alloc", argv[0]);
	if (!h)
		return SCRIPT_ERROR;
	h->ptr = nid == NUMA_NO_NODE ? kmem_cache_alloc(c, gfp) : kmem_cache_alloc_node(c, gfp, nid);
	h->s = c;
	h->size = c->object_size;
	format_gfp_flags(gfp, flags, sizeof(flags));
	if (!h->ptr) {
		printf("kmem_cache_alloc %s: failed name=%s gfp_flags=%s\n", h->name, c->name,
		       flags);
		return SCRIPT_OK;
	}
	printf("kmem_cache_alloc %s: ptr=0x%lx bytes_req=%u bytes_alloc=%u gfp_flags=%s node=%d "
	       "name=%s\n", h->name, linmm_kernel_address(h->ptr), c->object_size, c->size, flags,
	       page_to_nid(virt_to_page(h->ptr)), c->name);
	return SCRIPT_OK;
}

enum script_status cmd_kmem_cache_free(struct linmm_script *s, int argc, char **argv,
				       const char *rest)
{
	struct slab_handle *h;

	if (argc != 1)
		return script_error(s, "usage: kmem_cache_free H");
	h = handle_find(argv[0]);
	if (!h)
		return script_error(s, "kmem_cache_free: no object named '%s'", argv[0]);
	if (h->ptr && !h->s)
		return script_error(s, "kmem_cache_free: '%s' came from kmalloc; kfree %s", argv[0],
				    argv[0]);
	if (!h->ptr) {
		printf("kmem_cache_free %s: nothing to free (the allocation failed)\n", h->name);
	} else {
		printf("kmem_cache_free %s: ptr=0x%lx name=%s\n", h->name,
		       linmm_kernel_address(h->ptr), h->s->name);
		fflush(stdout);
		kmem_cache_free(h->s, h->ptr);
	}
	handle_remove(h);
	return SCRIPT_OK;
}

/*
 * kmalloc/krealloc: "H SIZE [gfp=FLAGS]" (and "[node=N]" when @nid is not
 * NULL) in @argv.  Return: false after script_error().
 */
static bool parse_kmalloc_args(struct linmm_script *s, const char *cmd, const char *usage,
			       int argc, char **argv, unsigned long *size, gfp_t *gfp, int *nid)
{
	if (argc < 2) {
		script_error(s, "usage: %s", usage);
		return false;
	}
	if (!script_parse_size(argv[1], ULONG_MAX, size)) {
		script_error(s, "%s: bad size '%s' (bytes, or with K, M, G)", cmd, argv[1]);
		return false;
	}
	return parse_alloc_opts(s, cmd, usage, argc, argv, 2, gfp, nid);
}

static void print_kmalloc(const char *cmd, const struct slab_handle *h, gfp_t gfp)
{
	char flags[256], home[96];

	format_gfp_flags(gfp, flags, sizeof(flags));
	if (!h->ptr) {
		printf("%s %s: failed bytes_req=%zu gfp_flags=%s\n", cmd, h->name, h->size, flags);
		return;
	}
	if (h->ptr == ZERO_SIZE_PTR) {
		printf("%s %s: ptr=ZERO_SIZE_PTR bytes_req=0 bytes_alloc=0 gfp_flags=%s\n", cmd,
		       h->name, flags);
		return;
	}
	object_home(h->ptr, home, sizeof(home));
	printf("%s %s: ptr=0x%lx bytes_req=%zu bytes_alloc=%zu gfp_flags=%s node=%d %s\n", cmd,
	       h->name, linmm_kernel_address(h->ptr), h->size, ksize(h->ptr), flags,
	       page_to_nid(virt_to_page(h->ptr)), home);
}

enum script_status cmd_kmalloc(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	unsigned long size;
	gfp_t gfp = GFP_KERNEL;
	int nid = NUMA_NO_NODE;
	struct slab_handle *h;

	if (!parse_kmalloc_args(s, "kmalloc", "kmalloc H SIZE [gfp=FLAGS] [node=N]", argc, argv,
				&size, &gfp, &nid))
		return SCRIPT_ERROR;
	h = handle_new(s, "kmalloc", argv[0]);
	if (!h)
		return SCRIPT_ERROR;
	h->ptr = nid == NUMA_NO_NODE ? kmalloc(size, gfp) : kmalloc_node(size, gfp, nid);
	h->s = NULL;
	h->size = size;
	print_kmalloc("kmalloc", h, gfp);
	return SCRIPT_OK;
}

enum script_status cmd_krealloc(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	unsigned long size;
	gfp_t gfp = GFP_KERNEL;
	struct slab_handle *h;
	void *p;

	if (!parse_kmalloc_args(s, "krealloc", "krealloc H SIZE [gfp=FLAGS]", argc, argv, &size,
				&gfp, NULL))
		return SCRIPT_ERROR;
	h = handle_find(argv[0]);
	if (!h)
		return script_error(s, "krealloc: no object named '%s' (kmalloc it first)", argv[0]);
	if (h->s)
		return script_error(s, "krealloc: '%s' came from kmem_cache_alloc, not kmalloc",
				    argv[0]);
	p = krealloc(h->ptr, size, gfp);
	if (!p && size) {
		/* The old object is untouched and still ours. */
		struct slab_handle failed = { .size = size };

		snprintf(failed.name, sizeof(failed.name), "%s", h->name);
		print_kmalloc("krealloc", &failed, gfp);
		return SCRIPT_OK;
	}
	if (p == h->ptr && p != ZERO_SIZE_PTR)
		printf("krealloc %s: in place\n", h->name);
	h->ptr = p;
	h->size = size;
	print_kmalloc("krealloc", h, gfp);
	return SCRIPT_OK;
}

enum script_status cmd_kfree(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	struct slab_handle *h;

	if (argc != 1)
		return script_error(s, "usage: kfree H");
	h = handle_find(argv[0]);
	if (!h)
		return script_error(s, "kfree: no object named '%s'", argv[0]);
	if (h->ptr && h->s)
		return script_error(s, "kfree: '%s' came from kmem_cache_alloc; kmem_cache_free %s",
				    argv[0], argv[0]);
	if (!h->ptr)
		printf("kfree %s: nothing to free (the allocation failed)\n", h->name);
	else if (h->ptr == ZERO_SIZE_PTR)
		printf("kfree %s: ptr=ZERO_SIZE_PTR\n", h->name);
	else
		printf("kfree %s: ptr=0x%lx\n", h->name, linmm_kernel_address(h->ptr));
	fflush(stdout);
	kfree(h->ptr);
	handle_remove(h);
	return SCRIPT_OK;
}

/* ---- write, fill ---- */

/* The pages (compound or one) that hold @page, as [*lo, *hi). */
static void page_range(struct page *page, char **lo, char **hi)
{
	page = compound_head(page);
	*lo = page_address(page);
	*hi = *lo + (PAGE_SIZE << compound_order(page));
}

/*
 * "H", "H+OFF" or "H-OFF": the address, and the range that may be written
 * around it: the slab holding the object, or the pages of a large kmalloc
 * or of an alloc_pages handle.
 * Return: the address, or NULL after script_error().
 */
static char *poke_target(struct linmm_script *s, const char *cmd, const char *arg,
			 char **lo, char **hi)
{
	char name[SLAB_NAME_MAX];
	long off;
	struct slab_handle *h;
	struct page *page;
	struct slab *slab;
	bool found;
	char *p;

	if (!script_parse_target(arg, name, sizeof(name), &off)) {
		script_error(s, "%s: bad target '%s' (H, H+OFFSET or H-OFFSET)", cmd, arg);
		return NULL;
	}
	h = handle_find(name);
	page = h ? NULL : script_alloc_lookup(name, &found);
	if (h && h->ptr && h->ptr != ZERO_SIZE_PTR) {
		p = (char *)h->ptr;
		slab = virt_to_slab(p);
		if (slab) {
			*lo = slab_address(slab);
			*hi = *lo + slab_size(slab);
		} else {
			page_range(virt_to_page(p), lo, hi);
		}
	} else if (page && page_address(page)) {
		page_range(page, lo, hi);
		p = page_address(page);
	} else {
		script_error(s, "%s: no live object or pages named '%s'%s", cmd, name,
			     page ? " with an address (a highmem page: kmap it)" : "");
		return NULL;
	}
	if (off < 0 && -off > p - *lo) {
		script_error(s, "%s: %s is before the start of %s's slab or pages", cmd, arg, name);
		return NULL;
	}
	if (off >= 0 && off >= *hi - p) {
		script_error(s, "%s: %s is past the end of %s's slab or pages", cmd, arg, name);
		return NULL;
	}
	return p + off;
}

enum script_status cmd_write(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	unsigned char bytes[SCRIPT_MAX_ARGS];
	char *p, *lo, *hi;
	unsigned long v;

	if (argc < 2)
		return script_error(s, "usage: write H[+OFF|-OFF] BYTE... (e.g. write a+64 0x00)");
	p = poke_target(s, "write", argv[0], &lo, &hi);
	if (!p)
		return SCRIPT_ERROR;
	for (int i = 1; i < argc; i++) {
		if (!parse_ulong(argv[i], 255, &v))
			return script_error(s, "write: bad byte '%s' (0..255, e.g. 0x41)", argv[i]);
		bytes[i - 1] = (unsigned char)v;
	}
	if ((size_t)(argc - 1) > (size_t)(hi - p))
		return script_error(s, "write: %d bytes at %s run past the end of its slab or "
				    "pages", argc - 1, argv[0]);
	memcpy(p, bytes, (size_t)argc - 1);
	printf("write %s: %d byte%s at 0x%lx\n", argv[0], argc - 1, argc == 2 ? "" : "s",
	       linmm_kernel_address(p));
	return SCRIPT_OK;
}

enum script_status cmd_fill(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	unsigned long len, v;
	char *p, *lo, *hi;

	if (argc != 3)
		return script_error(s, "usage: fill H[+OFF|-OFF] LEN BYTE (e.g. fill a 128 0x41)");
	p = poke_target(s, "fill", argv[0], &lo, &hi);
	if (!p)
		return SCRIPT_ERROR;
	if (!script_parse_size(argv[1], (unsigned long)(hi - p), &len))
		return script_error(s, "fill: bad length '%s' (at most %ld bytes fit in the slab or "
				    "pages from %s)", argv[1], (long)(hi - p), argv[0]);
	if (!parse_ulong(argv[2], 255, &v))
		return script_error(s, "fill: bad byte '%s' (0..255, e.g. 0x41)", argv[2]);
	memset(p, (int)v, len);
	printf("fill %s: %lu bytes of 0x%02lx at 0x%lx\n", argv[0], len, v,
	       linmm_kernel_address(p));
	return SCRIPT_OK;
}
