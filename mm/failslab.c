// SPDX-License-Identifier: MIT
/*
 * failslab.c - fault injection for the slab allocator (mm/failslab.c).
 *
 * should_failslab() is asked before every slab allocation; it uses the
 * generic fault_attr engine of fail_page_alloc.c with the kernel's
 * filters, in the kernel's order: never the kmem_cache cache itself (the
 * bootstrap cache), never __GFP_NOFAIL, never a request that may sleep
 * while ignore-gfp-wait is on (the default), and with cache-filter only
 * caches created with SLAB_FAILSLAB.  "space" counts object bytes.
 * __GFP_NOWARN failures print nothing.
 *
 * Locks: those of struct fault_attr; the knobs are set at boot or from
 * tests while nothing allocates.
 */
#include <linmm/fault-inject.h>

#include "mm/slab.h"

struct failslab_attr failslab = {
	.attr = FAULT_ATTR_INITIALIZER("failslab"),
	.ignore_gfp_reclaim = true,
};

/**
 * should_failslab - inject a slab allocation failure?
 * @s: the cache
 * @gfpflags: flags of the request
 *
 * Context: any.
 * Return: true if the allocation must fail.
 */
bool should_failslab(struct kmem_cache *s, gfp_t gfpflags)
{
	if (unlikely(s == kmem_cache))
		return false;
	if (gfpflags & __GFP_NOFAIL)
		return false;
	if (failslab.ignore_gfp_reclaim && (gfpflags & __GFP_DIRECT_RECLAIM))
		return false;
	if (failslab.cache_filter && !(s->flags & SLAB_FAILSLAB))
		return false;
	return should_fail_ex(&failslab.attr, s->object_size,
			      (gfpflags & __GFP_NOWARN) ? FAULT_NOWARN : 0);
}

/**
 * failslab_reset - failslab back to its defaults (off)
 *
 * Context: no allocation running concurrently (boot).
 */
void failslab_reset(void)
{
	fault_attr_init(&failslab.attr, "failslab");
	failslab.ignore_gfp_reclaim = true;
	failslab.cache_filter = false;
}
