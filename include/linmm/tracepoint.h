/* SPDX-License-Identifier: MIT */
/*
 * tracepoint.h - the memory manager's tracepoints, as records a program can
 * subscribe to (include/trace/events/kmem.h, include/linux/tracepoint.h).
 *
 * The kernel emits an event at fixed points (mm_page_alloc when the page
 * allocator returns, kmalloc when kmalloc does, ...) into ftrace's ring
 * buffer, where `cat /sys/kernel/tracing/trace` shows it as one line:
 *
 *   mm_page_alloc: page=ffffea0000074000 pfn=0x1d00 order=0 migratetype=0 gfp_flags=GFP_KERNEL
 *
 * linmm emits the same events at the same points and hands each one, as a
 * struct trace_event_record, to the one subscriber a program registered
 * with linmm_trace_subscribe() (the command line writes them as JSON lines:
 * `linmm run --trace-events FILE`).  trace_event_format() renders a record
 * as the kernel's TP_printk() text above, pointers unhashed (the tracefs
 * option hash-ptr is off by default) and in the simulated architecture's
 * layout.
 *
 * Cost when nothing is subscribed: one load of a global word and a branch
 * per event site.  Events are delivered synchronously on the CPU thread
 * that caused them, so a subscriber must be thread-safe if the program
 * runs several CPU threads, and must not call back into the allocators.
 */
#ifndef LINMM_TRACEPOINT_H
#define LINMM_TRACEPOINT_H

#include <stddef.h>

#include <linmm/types.h>

/* Events, in the kernel's names (all of the "kmem" system). */
enum trace_event_id {
	TRACE_MM_PAGE_ALLOC,		/* __alloc_pages() returned (page may be NULL) */
	TRACE_MM_PAGE_FREE,		/* a block is freed to the buddy or a pcp list */
	TRACE_KMALLOC,			/* kmalloc() family returned */
	TRACE_KFREE,			/* kfree() called */
	TRACE_KMEM_CACHE_ALLOC,		/* kmem_cache_alloc() family returned */
	TRACE_KMEM_CACHE_FREE,		/* kmem_cache_free() called */
	NR_TRACE_EVENTS
};

#define TRACE_EVENTS_ALL ((1UL << NR_TRACE_EVENTS) - 1)

/**
 * struct trace_event_record - one event, with the fields of its TP_STRUCT__entry
 * @id: which event
 * @cpu: the simulated CPU it happened on
 * @ts_ns: simulated time (local_clock()), deterministic
 * @page: mm_page_alloc / mm_page_free: @pfn (-1UL: allocation failed),
 *	@order, @migratetype (-1 for frees), @gfp_flags (0 for frees)
 * @alloc: kmalloc / kmem_cache_alloc: @call_site (host return address),
 *	@ptr (host pointer, NULL on failure), @bytes_req, @bytes_alloc,
 *	@gfp_flags, @node (the node asked for, -1 for any), @accounted, and
 *	@name of the cache (NULL for a large kmalloc from the page allocator)
 * @free: kfree / kmem_cache_free: @call_site, @ptr, @name (kmem_cache_free only)
 */
struct trace_event_record {
	enum trace_event_id id;
	int cpu;
	u64 ts_ns;
	union {
		struct {
			unsigned long pfn;
			unsigned int order;
			int migratetype;
			gfp_t gfp_flags;
		} page;
		struct {
			unsigned long call_site;
			const void *ptr;
			size_t bytes_req;
			size_t bytes_alloc;
			gfp_t gfp_flags;
			int node;
			bool accounted;
			const char *name;
		} alloc;
		struct {
			unsigned long call_site;
			const void *ptr;
			const char *name;
		} free;
	};
};

typedef void (*trace_event_sink_t)(const struct trace_event_record *rec, void *arg);

/*
 * linmm_trace_subscribe - deliver the events in @mask (1UL << TRACE_*) to @sink
 * @mask: events wanted; 0 (or a NULL @sink) unsubscribes
 * @sink: called once per event, on the CPU thread of the event
 * @arg: passed to @sink
 *
 * One subscriber at a time; a new call replaces the previous one.  The
 * subscription survives linmm_shutdown() and the next boot.
 * Context: no event may be in flight (call it between operations).
 */
void linmm_trace_subscribe(unsigned long mask, trace_event_sink_t sink, void *arg);

/* "mm_page_alloc" ...; NULL for an unknown id. */
const char *trace_event_name(enum trace_event_id id);
/* The kernel's TP_printk() format of event @id ("page=%p pfn=0x%lx ..."), NULL if unknown. */
const char *trace_event_print_fmt(enum trace_event_id id);
/* The event system: "kmem" for every event here. */
const char *trace_event_system(enum trace_event_id id);
/* The id of event @name ("kmalloc"), or -1. */
int trace_event_lookup(const char *name);

/*
 * trace_event_format - render @rec as the kernel's TP_printk() text
 * @rec: the record
 * @buf: output, always NUL-terminated when @size > 0
 * @size: size of @buf
 *
 * "page=ffffea0000074000 pfn=0x1d00 order=0 migratetype=0 gfp_flags=GFP_KERNEL"
 * (without the "mm_page_alloc: " in front).  Needs the machine that emitted
 * the record to be still booted (pointers are translated through it).
 * Return: the length of the full text, as snprintf().
 */
int trace_event_format(const struct trace_event_record *rec, char *buf, size_t size);

#endif /* LINMM_TRACEPOINT_H */
