/* SPDX-License-Identifier: MIT */
/*
 * trace.h - the event sites' side of the tracepoints (kernel/trace/trace_events.c).
 *
 * Each site tests trace_event_enabled(TRACE_X) (one load of a global word,
 * the kernel's static key plays this role) and only then calls the
 * out-of-line emitter, which fills a record and hands it to the
 * subscriber.  Public API and the record layout: include/linmm/tracepoint.h.
 */
#ifndef LINMM_KERNEL_TRACE_TRACE_H
#define LINMM_KERNEL_TRACE_TRACE_H

#include <linmm/types.h>
#include <linmm/tracepoint.h>

struct page;
struct kmem_cache;

/* Bit TRACE_X set: event X has a subscriber.  Written only by linmm_trace_subscribe(). */
extern unsigned long trace_events_enabled;

static inline bool trace_event_enabled(enum trace_event_id id)
{
	return unlikely(__atomic_load_n(&trace_events_enabled, __ATOMIC_RELAXED) & (1UL << id));
}

/* Any event at all: the fast paths test this once and sort it out in the emitter. */
static inline bool trace_any_enabled(void)
{
	return unlikely(__atomic_load_n(&trace_events_enabled, __ATOMIC_RELAXED) != 0);
}

/*
 * Events are delivered only between the end of linmm_boot() and the start
 * of linmm_shutdown() (the kernel's tracing starts after the memory
 * manager's boot, whose frees are not traced).  Called by kernel/machine.c.
 */
void trace_events_machine_up(bool up);

void trace_mm_page_alloc(struct page *page, unsigned int order, gfp_t gfp, int migratetype);
void trace_mm_page_free(struct page *page, unsigned int order);
/* @s NULL: a large kmalloc served by the page allocator. */
void trace_kmalloc(unsigned long call_site, const void *ptr, size_t bytes_req,
		   size_t bytes_alloc, gfp_t gfp, int node, const struct kmem_cache *s);
void trace_kfree(unsigned long call_site, const void *ptr);
void trace_kmem_cache_alloc(unsigned long call_site, const void *ptr,
			    const struct kmem_cache *s, gfp_t gfp, int node);
void trace_kmem_cache_free(unsigned long call_site, const void *ptr,
			   const struct kmem_cache *s);

#endif /* LINMM_KERNEL_TRACE_TRACE_H */
