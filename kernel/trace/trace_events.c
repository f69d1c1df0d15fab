// SPDX-License-Identifier: MIT
/*
 * trace_events.c - the kmem tracepoints: who listens, the records and their
 * text (kernel/trace/trace_events.c, include/trace/events/kmem.h).
 *
 * An event site (mm/alloc_pages.c, mm/slab_common.c) tests its bit in
 * trace_events_enabled and, if set, calls its emitter here; the emitter
 * fills a struct trace_event_record and calls the subscriber.  The text of
 * each event is the kernel's TP_printk() of 6.18:
 *
 *   mm_page_alloc     page=%p pfn=0x%lx order=%d migratetype=%d gfp_flags=%s
 *   mm_page_free      page=%p pfn=0x%lx order=%d
 *   kmalloc           call_site=%pS ptr=%p bytes_req=%zu bytes_alloc=%zu
 *                     gfp_flags=%s node=%d accounted=%s
 *   kmem_cache_alloc  call_site=%pS ptr=%p name=%s bytes_req=%zu
 *                     bytes_alloc=%zu gfp_flags=%s node=%d accounted=%s
 *   kfree             call_site=%pS ptr=%p
 *   kmem_cache_free   call_site=%pS ptr=%p name=%s
 *
 * (the "print fmt" lines of /sys/kernel/tracing/events/kmem/NAME/format on
 * the host kernel, which tests/unit/test_trace_events.c compares with).
 * kmalloc's accounted is __GFP_ACCOUNT in the flags; kmem_cache_alloc's
 * also counts SLAB_ACCOUNT caches (CONFIG_MEMCG, as distribution kernels).
 *
 * %p is unhashed (tracefs's hash-ptr option is off by default): 16 hex
 * digits, no 0x, the address in the simulated layout (a struct page in the
 * vmemmap at 0xffffea0000000000 on x86_64, an object in the direct map).
 * A failed page allocation prints page=0000000000000000 pfn=0x0, as the
 * kernel does for pfn -1.
 *
 * Locks: none.  trace_events_enabled and the subscriber are written only
 * by linmm_trace_subscribe(), between operations; sites read the word with
 * a relaxed load.
 */
#include <stdio.h>
#include <string.h>

#include <linmm/gfp.h>
#include <linmm/printk.h>
#include <linmm/slab.h>
#include <linmm/smp.h>

#include "kernel/host.h"
#include "kernel/trace/trace.h"
#include "mm/internal.h"
#include "mm/slab.h"

unsigned long trace_events_enabled;
static trace_event_sink_t trace_sink;
static void *trace_sink_arg;
static bool trace_machine_up;

static const char *const event_names[NR_TRACE_EVENTS] = {
	[TRACE_MM_PAGE_ALLOC] = "mm_page_alloc",
	[TRACE_MM_PAGE_FREE] = "mm_page_free",
	[TRACE_KMALLOC] = "kmalloc",
	[TRACE_KFREE] = "kfree",
	[TRACE_KMEM_CACHE_ALLOC] = "kmem_cache_alloc",
	[TRACE_KMEM_CACHE_FREE] = "kmem_cache_free",
};

void linmm_trace_subscribe(unsigned long mask, trace_event_sink_t sink, void *arg)
{
	if (!sink)
		mask = 0;
	__atomic_store_n(&trace_events_enabled, 0, __ATOMIC_RELAXED);
	trace_sink = sink;
	trace_sink_arg = arg;
	__atomic_store_n(&trace_events_enabled, mask & TRACE_EVENTS_ALL, __ATOMIC_RELEASE);
}

void trace_events_machine_up(bool up)
{
	trace_machine_up = up;
}

static const char *const event_fmts[NR_TRACE_EVENTS] = {
	[TRACE_MM_PAGE_ALLOC] = "page=%p pfn=0x%lx order=%d migratetype=%d gfp_flags=%s",
	[TRACE_MM_PAGE_FREE] = "page=%p pfn=0x%lx order=%d",
	[TRACE_KMALLOC] = "call_site=%pS ptr=%p bytes_req=%zu bytes_alloc=%zu gfp_flags=%s "
			  "node=%d accounted=%s",
	[TRACE_KFREE] = "call_site=%pS ptr=%p",
	[TRACE_KMEM_CACHE_ALLOC] = "call_site=%pS ptr=%p name=%s bytes_req=%zu bytes_alloc=%zu "
				   "gfp_flags=%s node=%d accounted=%s",
	[TRACE_KMEM_CACHE_FREE] = "call_site=%pS ptr=%p name=%s",
};

const char *trace_event_print_fmt(enum trace_event_id id)
{
	return (unsigned int)id < NR_TRACE_EVENTS ? event_fmts[id] : NULL;
}

const char *trace_event_name(enum trace_event_id id)
{
	return (unsigned int)id < NR_TRACE_EVENTS ? event_names[id] : NULL;
}

const char *trace_event_system(enum trace_event_id id)
{
	return (unsigned int)id < NR_TRACE_EVENTS ? "kmem" : NULL;
}

int trace_event_lookup(const char *name)
{
	for (int i = 0; i < NR_TRACE_EVENTS; i++)
		if (!strcmp(event_names[i], name))
			return i;
	return -1;
}

/* The record's common fields; the caller fills the union. */
static void record_init(struct trace_event_record *rec, enum trace_event_id id)
{
	memset(rec, 0, sizeof(*rec));
	rec->id = id;
	rec->cpu = smp_processor_id();
	rec->ts_ns = local_clock();
}

static void deliver(const struct trace_event_record *rec)
{
	trace_event_sink_t sink = trace_sink;

	if (sink && trace_machine_up && trace_event_enabled(rec->id))
		sink(rec, trace_sink_arg);
}

void trace_mm_page_alloc(struct page *page, unsigned int order, gfp_t gfp, int migratetype)
{
	struct trace_event_record rec;

	record_init(&rec, TRACE_MM_PAGE_ALLOC);
	rec.page.pfn = page ? page_to_pfn(page) : -1UL;
	rec.page.order = order;
	rec.page.migratetype = migratetype;
	rec.page.gfp_flags = gfp;
	deliver(&rec);
}

void trace_mm_page_free(struct page *page, unsigned int order)
{
	struct trace_event_record rec;

	record_init(&rec, TRACE_MM_PAGE_FREE);
	rec.page.pfn = page_to_pfn(page);
	rec.page.order = order;
	rec.page.migratetype = -1;
	deliver(&rec);
}


void trace_kmalloc(unsigned long call_site, const void *ptr, size_t bytes_req,
		   size_t bytes_alloc, gfp_t gfp, int node, const struct kmem_cache *s)
{
	struct trace_event_record rec;

	record_init(&rec, TRACE_KMALLOC);
	rec.alloc.call_site = call_site;
	rec.alloc.ptr = ptr;
	rec.alloc.bytes_req = bytes_req;
	rec.alloc.bytes_alloc = ptr ? bytes_alloc : 0;
	rec.alloc.gfp_flags = gfp;
	rec.alloc.node = node;
	rec.alloc.accounted = gfp & __GFP_ACCOUNT;
	rec.alloc.name = s ? s->name : NULL;
	deliver(&rec);
}

void trace_kmem_cache_alloc(unsigned long call_site, const void *ptr,
			    const struct kmem_cache *s, gfp_t gfp, int node)
{
	struct trace_event_record rec;

	record_init(&rec, TRACE_KMEM_CACHE_ALLOC);
	rec.alloc.call_site = call_site;
	rec.alloc.ptr = ptr;
	rec.alloc.bytes_req = s->object_size;
	rec.alloc.bytes_alloc = ptr ? s->size : 0;
	rec.alloc.gfp_flags = gfp;
	rec.alloc.node = node;
	rec.alloc.accounted = (gfp & __GFP_ACCOUNT) || (s->flags & SLAB_ACCOUNT);
	rec.alloc.name = s->name;
	deliver(&rec);
}

void trace_kfree(unsigned long call_site, const void *ptr)
{
	struct trace_event_record rec;

	record_init(&rec, TRACE_KFREE);
	rec.free.call_site = call_site;
	rec.free.ptr = ptr;
	deliver(&rec);
}

void trace_kmem_cache_free(unsigned long call_site, const void *ptr, const struct kmem_cache *s)
{
	struct trace_event_record rec;

	record_init(&rec, TRACE_KMEM_CACHE_FREE);
	rec.free.call_site = call_site;
	rec.free.ptr = ptr;
	rec.free.name = s ? s->name : NULL;
	deliver(&rec);
}

/* %p unhashed: the simulated address, 16 hex digits, no 0x. */
static unsigned long shown(const void *p)
{
	return ZERO_OR_NULL_PTR(p) ? (unsigned long)p : linmm_kernel_address(p);
}

/* %s of show_gfp_flags(): "none" for no flags. */
static void gfp_text(gfp_t flags, char *buf, size_t size)
{
	if (flags)
		format_gfp_flags(flags, buf, size);
	else
		snprintf(buf, size, "none");
}

int trace_event_format(const struct trace_event_record *rec, char *buf, size_t size)
{
	char gfp[160], site[128];
	unsigned long pfn;

	switch (rec->id) {
	case TRACE_MM_PAGE_ALLOC:
		pfn = rec->page.pfn;
		gfp_text(rec->page.gfp_flags, gfp, sizeof(gfp));
		return snprintf(buf, size,
				"page=%016lx pfn=0x%lx order=%u migratetype=%d gfp_flags=%s",
				pfn == -1UL ? 0UL : shown(pfn_to_page(pfn)), pfn == -1UL ? 0UL : pfn,
				rec->page.order, rec->page.migratetype, gfp);
	case TRACE_MM_PAGE_FREE:
		return snprintf(buf, size, "page=%016lx pfn=0x%lx order=%u",
				shown(pfn_to_page(rec->page.pfn)), rec->page.pfn, rec->page.order);
	case TRACE_KMALLOC:
	case TRACE_KMEM_CACHE_ALLOC:
		linmm_host_symbolize(rec->alloc.call_site, site, sizeof(site));
		gfp_text(rec->alloc.gfp_flags, gfp, sizeof(gfp));
		return snprintf(buf, size,
				"call_site=%s ptr=%016lx%s%s bytes_req=%zu bytes_alloc=%zu gfp_flags=%s "
				"node=%d accounted=%s", site, shown(rec->alloc.ptr),
				rec->id == TRACE_KMEM_CACHE_ALLOC ? " name=" : "",
				rec->id == TRACE_KMEM_CACHE_ALLOC ? rec->alloc.name : "",
				rec->alloc.bytes_req, rec->alloc.bytes_alloc, gfp, rec->alloc.node,
				rec->alloc.accounted ? "true" : "false");
	case TRACE_KFREE:
		linmm_host_symbolize(rec->free.call_site, site, sizeof(site));
		return snprintf(buf, size, "call_site=%s ptr=%016lx", site, shown(rec->free.ptr));
	case TRACE_KMEM_CACHE_FREE:
		linmm_host_symbolize(rec->free.call_site, site, sizeof(site));
		return snprintf(buf, size, "call_site=%s ptr=%016lx name=%s", site,
				shown(rec->free.ptr), rec->free.name ? rec->free.name : "");
	default:
		if (size)
			buf[0] = '\0';
		return 0;
	}
}
