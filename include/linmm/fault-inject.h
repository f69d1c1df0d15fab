/* SPDX-License-Identifier: MIT */
/*
 * fault-inject.h - fault injection attributes (include/linux/fault-inject.h)
 * and the page allocator's injector, fail_page_alloc.
 *
 * A struct fault_attr decides, call by call, whether to inject a failure,
 * with the kernel's knobs (Documentation/fault-injection):
 *
 *   probability  percent of eligible calls that fail (0: never)
 *   interval     only every interval-th eligible call may fail
 *   times        failures left (-1: unlimited; the default is 1)
 *   space        bytes (for pages: 2^order) let through before failing
 *   verbose      0 quiet, 1 "FAULT_INJECTION: forcing a failure." lines,
 *                2 the same (the kernel adds a stack dump)
 *
 * The random numbers come from a per-attribute xorshift generator seeded
 * explicitly (fault_attr_seed()), so a run is reproducible.
 *
 * fail_page_alloc adds the page allocator's filters: ignore-gfp-highmem
 * (default on), ignore-gfp-wait (requests that may sleep, default on) and
 * min-order (default 1); __GFP_NOFAIL requests never fail.  The boot
 * parameter "fail_page_alloc=<interval>,<probability>,<space>,<times>"
 * goes through setup_fault_attr().
 */
#ifndef LINMM_FAULT_INJECT_H
#define LINMM_FAULT_INJECT_H

#include <linmm/spinlock.h>
#include <linmm/types.h>

struct fault_attr {
	spinlock_t lock;		/* protects the generator, count and ratelimit */
	const char *name;
	unsigned long probability;
	unsigned long interval;
	_Atomic int times;
	_Atomic int space;
	unsigned long verbose;
	unsigned long count;		/* eligible calls seen (for interval) */
	u64 rnd_state;
	u64 rs_begin;			/* verbose messages: 10 per 5 s of simulated time */
	int rs_printed;
};

/* should_fail_ex() flags */
#define FAULT_NOWARN 0x1	/* inject, but print nothing (__GFP_NOWARN) */

/*
 * The kernel's FAULT_ATTR_INITIALIZER defaults: probability 0 (off), interval 1,
 * times 1, space 0, verbose 2, seed 1; @n names the attribute in messages.
 */
#define FAULT_ATTR_INITIALIZER(n) \
	{ .name = (n), .interval = 1, .times = 1, .verbose = 2, .rnd_state = 1 }
/* The same defaults set at run time. */
void fault_attr_init(struct fault_attr *attr, const char *name);
/* Restart the attribute's random generator from @seed (0 is taken as 1). */
void fault_attr_seed(struct fault_attr *attr, u64 seed);
/*
 * setup_fault_attr - parse "<interval>,<probability>,<space>,<times>" into @attr.
 * Return: 0, or -EINVAL (then @attr is unchanged).
 */
int __must_check setup_fault_attr(struct fault_attr *attr, const char *str);
/* should_fail_ex - decide one call of @size units. Context: any. Return: true to fail it. */
bool should_fail_ex(struct fault_attr *attr, long size, int flags);

struct fail_page_alloc_attr {
	struct fault_attr attr;
	bool ignore_gfp_highmem;
	bool ignore_gfp_reclaim;	/* "ignore-gfp-wait" */
	unsigned int min_order;
};

extern struct fail_page_alloc_attr fail_page_alloc;

/* Back to the defaults (probability 0: off), generator seeded with 1. */
void fail_page_alloc_reset(void);

/*
 * failslab (mm/failslab.c): the slab allocator's injector.  Allocations
 * that may sleep are never failed while ignore_gfp_reclaim is set (the
 * default, "ignore-gfp-wait"), nor __GFP_NOFAIL ones; with cache_filter
 * only caches created with SLAB_FAILSLAB (slub_debug=A) fail.  Boot
 * parameter "failslab=<interval>,<probability>,<space>,<times>" (space
 * counts bytes of object size).
 */
struct failslab_attr {
	struct fault_attr attr;
	bool ignore_gfp_reclaim;
	bool cache_filter;
};

extern struct failslab_attr failslab;

/* Back to the defaults (off, ignore-gfp-wait on, no cache filter). */
void failslab_reset(void);

#endif /* LINMM_FAULT_INJECT_H */
