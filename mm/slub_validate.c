// SPDX-License-Identifier: MIT
/*
 * slub_validate.c - SLUB's invariant checker (validate_slab_cache(), the
 * kernel's validate_slab_cache()/validate_slab_node() in mm/slub.c, made
 * the main testing tool here).
 *
 * For every slab of a cache, found where it should be (mm/slub.c):
 *   - it is a slab page of this cache, its list state says that list, it
 *     is frozen exactly when it is a CPU's active slab;
 *   - objects == slab_size / size, inuse <= objects;
 *   - slab->freelist (and a CPU slab's c->freelist) only hold object
 *     starts of this slab, no object twice (one bitmap for both lists), and
 *     |slab->freelist| == objects - inuse;
 *   - partial slabs have a free object, full slabs none; a CPU's partial
 *     list counts its slabs right (slab->slabs);
 *   - per node: nr_partial matches the list, nr_slabs/total_objects the
 *     slabs found; debug caches also pass validate_slab_debug().
 * A debug slab frozen on the full list was taken out of use by a failed
 * check (slub_debug.c): it is counted, not trusted.
 *
 * Locks: each slab is checked under its node's list_lock; per-CPU state is
 * checked as that CPU (on_each_cpu_slab()), occupied CPUs are flushed
 * first.  Nothing may allocate from the cache meanwhile on other CPUs, or
 * the counts move under the checker.
 */
#include <stdarg.h>
#include <string.h>

#include <linmm/printk.h>

#include "kernel/host.h"
#include "mm/internal.h"
#include "mm/slab.h"

#define LONG_BITS (8 * sizeof(long))

struct validate_ctx {
	long slabs[MAX_NUMNODES];	/* slabs seen per node */
	long objects[MAX_NUMNODES];	/* their objects */
	int err;
};

static __printf(2, 3) int validate_fail(struct kmem_cache *s, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	kernel_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pr_err("SLUB %s: validate_slab_cache: %s\n", s->name, buf);
	return -EINVAL;
}

/* Walk one freelist of @slab marking @seen; return its length or -1 on an error. */
static long walk_freelist(struct kmem_cache *s, struct slab *slab, void *head, unsigned long *seen,
			  const char *which)
{
	long n = 0;

	for (void *p = head; p; p = get_freepointer(s, p)) {
		unsigned int idx;

		if (n >= slab->objects || !slab_obj_is_start(s, slab, p)) {
			validate_fail(s, "%s freelist of slab %#lx: bad pointer %#lx after %ld objects",
				      which, linmm_kernel_address(slab_page(slab)),
				      linmm_kernel_address(p), n);
			return -1;
		}
		idx = slab_obj_index(s, slab, p);
		if (seen[idx / LONG_BITS] & (1UL << (idx % LONG_BITS))) {
			validate_fail(s, "object %u of slab %#lx is free twice (%s freelist)", idx,
				      linmm_kernel_address(slab_page(slab)), which);
			return -1;
		}
		seen[idx / LONG_BITS] |= 1UL << (idx % LONG_BITS);
		n++;
	}
	return n;
}

/*
 * One slab on list @expect (its node's list_lock held): type, cache,
 * counters, freelists (@cpu_freelist too for a CPU slab), debug checks.
 */
static int validate_slab(struct kmem_cache *s, struct slab *slab, void *cpu_freelist,
			 enum slab_list_state expect, struct validate_ctx *ctx)
{
	static _Thread_local unsigned long seen[(MAX_OBJS_PER_PAGE + 1) / LONG_BITS + 1];
	unsigned long addr = linmm_kernel_address(slab_page(slab));
	long nfree, ncpu = 0;

	if (!PageSlab(slab_page(slab)) || slab->slab_cache != s)
		return validate_fail(s, "slab %#lx on its lists is not one of its slabs", addr);
	if (slab_list_state(slab) != expect)
		return validate_fail(s, "slab %#lx: list state %d, found on list %d", addr,
				     (int)slab_list_state(slab), (int)expect);
	/* A debug slab failing a check is frozen on the full list (taken out of use). */
	if (slab->frozen != (expect == SLAB_ON_CPU) &&
	    !(kmem_cache_debug(s) && expect == SLAB_ON_FULL))
		return validate_fail(s, "slab %#lx: frozen %u on list %d", addr, slab->frozen,
				     (int)expect);
	if (slab->objects != (unsigned int)(slab_size(slab) / s->size) || slab->inuse > slab->objects)
		return validate_fail(s, "slab %#lx: objects %u inuse %u for order %u", addr,
				     slab->objects, slab->inuse, slab_order(slab));
	if (slab->frozen && expect == SLAB_ON_FULL) {
		/* Taken out of use by a failed debug check: nothing in it is trusted. */
		ctx->slabs[slab_nid(slab)]++;
		ctx->objects[slab_nid(slab)] += slab->objects;
		return 0;
	}
	memset(seen, 0, (slab->objects / LONG_BITS + 1) * sizeof(seen[0]));
	nfree = walk_freelist(s, slab, slab->freelist, seen, "slab");
	if (nfree >= 0 && cpu_freelist)
		ncpu = walk_freelist(s, slab, cpu_freelist, seen, "cpu");
	if (nfree < 0 || ncpu < 0)
		return -EINVAL;
	/* A CPU slab's free objects on c->freelist count as in use. */
	if (nfree != (long)(slab->objects - slab->inuse))
		return validate_fail(s, "slab %#lx: %ld free objects on its freelist, counters say %u",
				     addr, nfree, slab->objects - slab->inuse);
	if (expect == SLAB_ON_NODE_PARTIAL && !nfree)
		return validate_fail(s, "slab %#lx on the partial list has no free object", addr);
	if (expect == SLAB_ON_FULL && nfree)
		return validate_fail(s, "slab %#lx on the full list has %ld free objects", addr, nfree);
	if (kmem_cache_debug(s) && validate_slab_debug(s, slab))
		return validate_fail(s, "slab %#lx: slub_debug checks failed", addr);
	ctx->slabs[slab_nid(slab)]++;
	ctx->objects[slab_nid(slab)] += slab->objects;
	return 0;
}

static int validate_locked(struct kmem_cache *s, struct slab *slab, void *cpu_freelist,
			   enum slab_list_state expect, struct validate_ctx *ctx)
{
	struct kmem_cache_node *n = s->node[slab_nid(slab)];
	int ret;

	spin_lock(&n->list_lock);
	ret = validate_slab(s, slab, cpu_freelist, expect, ctx);
	spin_unlock(&n->list_lock);
	return ret;
}

/* As one CPU: its active slab and partial list. */
static void validate_cpu_fn(struct kmem_cache *s, struct kmem_cache_cpu *c, void *arg)
{
	struct validate_ctx *ctx = arg;
	int len = 0;

	if (ctx->err)
		return;
	if (c->freelist && !c->slab) {
		ctx->err = validate_fail(s, "cpu freelist without a cpu slab");
		return;
	}
	if (kmem_cache_debug(s) && (c->slab || c->partial)) {
		ctx->err = validate_fail(s, "debug cache with per-CPU slabs");
		return;
	}
	if (c->slab)
		ctx->err = validate_locked(s, c->slab, c->freelist, SLAB_ON_CPU, ctx);
	for (struct slab *slab = c->partial; slab && !ctx->err; slab = slab->next)
		len++;
	for (struct slab *slab = c->partial; slab && !ctx->err; slab = slab->next, len--) {
		if (slab->slabs != len)
			ctx->err = validate_fail(s, "cpu partial slab counts %d slabs, %d remain",
						 slab->slabs, len);
		else
			ctx->err = validate_locked(s, slab, NULL, SLAB_ON_CPU_PARTIAL, ctx);
	}
}

/**
 * validate_slab_cache - check every invariant of @s
 * @s: the cache
 *
 * Per-CPU slabs of this CPU and of unoccupied CPUs are checked in place;
 * occupied CPUs are flushed first (flush_all()).  Then every node's
 * partial and full lists.  See mm/slab.h for the list of checks; node
 * counters must equal the sums, so nothing may allocate from @s meanwhile.
 * Context: any thread.
 * Return: 0, or -EINVAL after a pr_err describing the first violation.
 */
int validate_slab_cache(struct kmem_cache *s)
{
	struct validate_ctx *ctx = linmm_host_zalloc(sizeof(*ctx));
	int node, err;

	if (!ctx)
		return -ENOMEM;
	on_each_cpu_slab(s, validate_cpu_fn, ctx);
	err = ctx->err;
	for_each_online_node(node) {
		struct kmem_cache_node *n = s->node[node];
		unsigned long nr_partial = 0;
		struct slab *slab;

		if (err)
			break;
		spin_lock(&n->list_lock);
		list_for_each_entry(slab, &n->partial, slab_list) {
			nr_partial++;
			err = validate_slab(s, slab, NULL, SLAB_ON_NODE_PARTIAL, ctx);
			if (err)
				break;
		}
		if (!err && nr_partial != n->nr_partial)
			err = validate_fail(s, "node %d: nr_partial %lu, %lu on the list", node,
					    n->nr_partial, nr_partial);
		if (!err) {
			list_for_each_entry(slab, &n->full, slab_list) {
				err = validate_slab(s, slab, NULL, SLAB_ON_FULL, ctx);
				if (err)
					break;
			}
		}
		spin_unlock(&n->list_lock);
		if (!err && (ctx->slabs[node] != atomic_load(&n->nr_slabs) ||
			     ctx->objects[node] != atomic_load(&n->total_objects)))
			err = validate_fail(s, "node %d: counters say %ld slabs %ld objects, found %ld %ld",
					    node, atomic_load(&n->nr_slabs),
					    atomic_load(&n->total_objects), ctx->slabs[node],
					    ctx->objects[node]);
	}
	linmm_host_free(ctx);
	return err;
}

/**
 * validate_all_slab_caches - validate_slab_cache() of every cache
 *
 * Context: no cache is destroyed meanwhile.
 * Return: 0 or the first error.
 */
int validate_all_slab_caches(void)
{
	struct kmem_cache **caches, *s;
	size_t n = 0, cap = 0;
	int err = 0;

	spin_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list)
		cap++;
	caches = linmm_host_alloc((cap + 1) * sizeof(*caches));
	if (caches)
		list_for_each_entry(s, &slab_caches, list)
			caches[n++] = s;
	spin_unlock(&slab_mutex);
	if (!caches)
		return -ENOMEM;
	for (size_t i = 0; i < n && !err; i++)
		err = validate_slab_cache(caches[i]);
	linmm_host_free(caches);
	return err;
}
