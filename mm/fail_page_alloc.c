/* SPDX-License-Identifier: MIT */
/*
 * fail_page_alloc.c - allocation failure injection for the page allocator.
 *
 * Mirrors lib/fault-inject.c (struct fault_attr, should_fail_ex) and
 * mm/fail_page_alloc.c (should_fail_alloc_page).  The generic attribute
 * engine lives here until a second injector (failslab) needs it; its API
 * is in <linmm/fault-inject.h>.
 *
 * Decision for one eligible call of @size units, in the kernel's order:
 *   probability 0 -> no; times 0 -> no; space > size -> space -= size, no;
 *   interval > 1 -> count++, no unless count % interval == 0;
 *   a random number in [0, 100) >= probability -> no;
 *   otherwise fail: print (unless verbose 0 or FAULT_NOWARN), times-- if >= 0.
 * The random numbers come from the attribute's own xorshift64* generator,
 * seeded by fault_attr_seed(), so a seeded run is reproducible as long as
 * the calls come in the same order.
 *
 * Locks: attr->lock protects the generator, count and ratelimit; times and
 * space are atomics.
 */
#include <stdio.h>

#include <linmm/fault-inject.h>
#include <linmm/gfp.h>
#include <linmm/printk.h>

#include "mm/internal.h"

struct fail_page_alloc_attr fail_page_alloc = {
	.attr = FAULT_ATTR_INITIALIZER("fail_page_alloc"),
	.ignore_gfp_highmem = true,
	.ignore_gfp_reclaim = true,
	.min_order = 1,
};

/**
 * fault_attr_init - set @attr to the kernel's FAULT_ATTR_INITIALIZER
 * @attr: the attribute
 * @name: its name in messages ("fail_page_alloc")
 *
 * probability 0 (off), interval 1, times 1, space 0, verbose 2, seed 1.
 * Context: no concurrent user of @attr.
 */
void fault_attr_init(struct fault_attr *attr, const char *name)
{
	spin_lock_init(&attr->lock);
	attr->name = name;
	attr->probability = 0;
	attr->interval = 1;
	atomic_store(&attr->times, 1);
	atomic_store(&attr->space, 0);
	attr->verbose = 2;
	attr->count = 0;
	attr->rnd_state = 1;
	attr->rs_begin = 0;
	attr->rs_printed = 0;
}

/**
 * fault_attr_seed - restart @attr's random generator
 * @attr: the attribute
 * @seed: any value (0 is taken as 1: xorshift needs a nonzero state)
 *
 * Context: takes attr->lock.
 */
void fault_attr_seed(struct fault_attr *attr, u64 seed)
{
	spin_lock(&attr->lock);
	attr->rnd_state = seed ? seed : 1;
	attr->count = 0;
	spin_unlock(&attr->lock);
}

/**
 * setup_fault_attr - parse a fault injection boot parameter
 * @attr: the attribute to set
 * @str: "<interval>,<probability>,<space>,<times>"
 *
 * Context: no concurrent user of @attr.
 * Return: 0, or -EINVAL (a warning is logged and @attr is unchanged).
 */
int setup_fault_attr(struct fault_attr *attr, const char *str)
{
	unsigned long probability, interval;
	int times, space;
	char end;

	if (!str || sscanf(str, "%lu,%lu,%d,%d%c", &interval, &probability, &space, &times,
			   &end) != 4 || probability > 100 || !interval) {
		pr_warn("FAULT_INJECTION: failed to parse arguments\n");
		return -EINVAL;
	}
	attr->probability = probability;
	attr->interval = interval;
	atomic_store(&attr->times, times);
	atomic_store(&attr->space, space);
	return 0;
}

/* xorshift64*: the next number in [0, 100). attr->lock held. */
static unsigned long fault_random_below_100(struct fault_attr *attr)
{
	return (unsigned long)((linmm_prandom_next(&attr->rnd_state) >> 32) % 100);
}

static void fail_dump(struct fault_attr *attr)
{
	u64 now = local_clock();
	bool show;

	if (!attr->verbose)
		return;
	spin_lock(&attr->lock);
	if (!attr->rs_begin || now < attr->rs_begin || now - attr->rs_begin >= 5000000000ULL) {
		attr->rs_begin = now ? now : 1;
		attr->rs_printed = 0;
	}
	show = attr->rs_printed++ < 10;
	spin_unlock(&attr->lock);
	if (show)
		printk(KERN_NOTICE "FAULT_INJECTION: forcing a failure.\n"
		       "name %s, interval %lu, probability %lu, space %d, times %d\n",
		       attr->name, attr->interval, attr->probability, atomic_load(&attr->space),
		       atomic_load(&attr->times));
}

/**
 * should_fail_ex - decide whether to inject a failure into one call
 * @attr: the attribute
 * @size: units this call consumes from "space" (pages for the allocator)
 * @flags: FAULT_NOWARN to fail silently
 *
 * Context: any; takes attr->lock.
 * Return: true if the call must fail.
 */
bool should_fail_ex(struct fault_attr *attr, long size, int flags)
{
	int times;
	bool fail;

	if (!attr->probability)
		return false;
	if (!atomic_load(&attr->times))
		return false;
	if (atomic_load(&attr->space) > size) {
		atomic_fetch_sub(&attr->space, (int)size);
		return false;
	}
	spin_lock(&attr->lock);
	if (attr->interval > 1 && ++attr->count % attr->interval) {
		spin_unlock(&attr->lock);
		return false;
	}
	fail = fault_random_below_100(attr) < attr->probability;
	spin_unlock(&attr->lock);
	if (!fail)
		return false;

	if (!(flags & FAULT_NOWARN))
		fail_dump(attr);
	/* times-- unless unlimited (-1) or already 0. */
	times = atomic_load(&attr->times);
	while (times > 0 && !atomic_compare_exchange_weak(&attr->times, &times, times - 1))
		;
	return true;
}

/**
 * should_fail_alloc_page - inject a page allocation failure?
 * @gfp_mask: flags of the request
 * @order: its order
 *
 * Requests below min-order, __GFP_NOFAIL ones, __GFP_HIGHMEM ones (if
 * ignore-gfp-highmem) and ones that may sleep (if ignore-gfp-wait) are
 * never failed.  __GFP_NOWARN requests fail silently.
 *
 * Context: any.
 * Return: true if the allocation must fail.
 */
bool should_fail_alloc_page(gfp_t gfp_mask, unsigned int order)
{
	if (likely(!fail_page_alloc.attr.probability))
		return false;
	if (order < fail_page_alloc.min_order)
		return false;
	if (gfp_mask & __GFP_NOFAIL)
		return false;
	if (fail_page_alloc.ignore_gfp_highmem && (gfp_mask & __GFP_HIGHMEM))
		return false;
	if (fail_page_alloc.ignore_gfp_reclaim && (gfp_mask & __GFP_DIRECT_RECLAIM))
		return false;
	return should_fail_ex(&fail_page_alloc.attr, 1L << order,
			      (gfp_mask & __GFP_NOWARN) ? FAULT_NOWARN : 0);
}

/**
 * fail_page_alloc_reset - fail_page_alloc back to its defaults (off)
 *
 * Context: no allocation running concurrently.
 */
void fail_page_alloc_reset(void)
{
	fault_attr_init(&fail_page_alloc.attr, "fail_page_alloc");
	fail_page_alloc.ignore_gfp_highmem = true;
	fail_page_alloc.ignore_gfp_reclaim = true;
	fail_page_alloc.min_order = 1;
}
