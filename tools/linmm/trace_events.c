// SPDX-License-Identifier: MIT
/*
 * trace_events.c - `linmm run --trace-events FILE [--events LIST]`: the
 * kmem tracepoints of a run as JSON lines, one object per event, in the
 * order they happened (include/linmm/tracepoint.h has the events):
 *
 *   {"event":"kmalloc","system":"kmem","cpu":0,"ts_ns":0,"script":"x.linmm",
 *    "line":4,"ptr":"0xffff888003808040","bytes_req":115,"bytes_alloc":128,
 *    "gfp_flags":"GFP_KERNEL","node":-1,"accounted":false,"cache":"kmalloc-128",
 *    "call_site":"cmd_kmalloc+0x9e/0x1c0",
 *    "text":"call_site=cmd_kmalloc+0x9e/0x1c0 ptr=ffff888003808040 ..."}
 *
 * "text" is the line the kernel's `cat /sys/kernel/tracing/trace` would
 * show after "kmalloc: "; the other keys are its fields, numbers as JSON
 * numbers, pointers and pfns-as-addresses as hex strings in the simulated
 * layout.  "line" is the script line that caused the event (0: none, e.g.
 * the implicit boot).  FILE "-" is standard output, interleaved with the
 * commands' own lines.  LIST is a comma-separated list of event names
 * ("kmalloc,kfree" or "kmem:kmalloc"); the default is every event.
 *
 * Each line is built with json-c and written at once, so a run that dies
 * leaves whole lines behind.  Linmm's own front end: no kernel counterpart
 * (ftrace's trace_pipe is the nearest).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include <linmm/gfp.h>
#include <linmm/linmm.h>
#include <linmm/tracepoint.h>

#include "kernel/host.h"
#include "mm/internal.h"
#include "tools/linmm/script.h"

static FILE *trace_out;
static bool trace_out_is_stdout;

static void add_hex(struct json_object *o, const char *key, unsigned long v)
{
	char buf[2 + 16 + 1];

	snprintf(buf, sizeof(buf), "0x%lx", v);
	json_object_object_add(o, key, json_object_new_string(buf));
}

static void add_gfp(struct json_object *o, gfp_t gfp)
{
	char buf[160];

	format_gfp_flags(gfp, buf, sizeof(buf));
	json_object_object_add(o, "gfp_flags", json_object_new_string(buf));
}

static void add_call_site(struct json_object *o, unsigned long call_site)
{
	char buf[128];

	linmm_host_symbolize(call_site, buf, sizeof(buf));
	json_object_object_add(o, "call_site", json_object_new_string(buf));
}

static unsigned long shown(const void *p)
{
	return (unsigned long)p <= 16 ? (unsigned long)p : linmm_kernel_address(p);
}

static void trace_sink(const struct trace_event_record *rec, void *arg)
{
	const struct linmm_script *s = script_running;
	struct json_object *o = json_object_new_object();
	char text[512];

	if (!o)
		return;
	json_object_object_add(o, "event", json_object_new_string(trace_event_name(rec->id)));
	json_object_object_add(o, "system", json_object_new_string(trace_event_system(rec->id)));
	json_object_object_add(o, "cpu", json_object_new_int(rec->cpu));
	json_object_object_add(o, "ts_ns", json_object_new_int64((int64_t)rec->ts_ns));
	json_object_object_add(o, "script", json_object_new_string(s ? s->name : ""));
	json_object_object_add(o, "line", json_object_new_int(s ? (int)s->lineno : 0));
	switch (rec->id) {
	case TRACE_MM_PAGE_ALLOC:
	case TRACE_MM_PAGE_FREE:
		if (rec->page.pfn == -1UL) {
			json_object_object_add(o, "page", NULL);
			json_object_object_add(o, "pfn", NULL);
		} else {
			add_hex(o, "page", shown(pfn_to_page(rec->page.pfn)));
			json_object_object_add(o, "pfn", json_object_new_int64((int64_t)rec->page.pfn));
		}
		json_object_object_add(o, "order", json_object_new_int((int)rec->page.order));
		if (rec->id == TRACE_MM_PAGE_ALLOC) {
			json_object_object_add(o, "migratetype",
					       json_object_new_int(rec->page.migratetype));
			add_gfp(o, rec->page.gfp_flags);
		}
		break;
	case TRACE_KMALLOC:
	case TRACE_KMEM_CACHE_ALLOC:
		add_hex(o, "ptr", shown(rec->alloc.ptr));
		json_object_object_add(o, "bytes_req",
				       json_object_new_int64((int64_t)rec->alloc.bytes_req));
		json_object_object_add(o, "bytes_alloc",
				       json_object_new_int64((int64_t)rec->alloc.bytes_alloc));
		add_gfp(o, rec->alloc.gfp_flags);
		json_object_object_add(o, "node", json_object_new_int(rec->alloc.node));
		json_object_object_add(o, "accounted", json_object_new_boolean(rec->alloc.accounted));
		json_object_object_add(o, "cache", rec->alloc.name ?
				       json_object_new_string(rec->alloc.name) : NULL);
		add_call_site(o, rec->alloc.call_site);
		break;
	case TRACE_KFREE:
	case TRACE_KMEM_CACHE_FREE:
		add_hex(o, "ptr", shown(rec->free.ptr));
		if (rec->id == TRACE_KMEM_CACHE_FREE)
			json_object_object_add(o, "cache", json_object_new_string(
						       rec->free.name ? rec->free.name : ""));
		add_call_site(o, rec->free.call_site);
		break;
	default:
		break;
	}
	trace_event_format(rec, text, sizeof(text));
	json_object_object_add(o, "text", json_object_new_string(text));
	if (trace_out_is_stdout)
		fflush(stdout);
	fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					     JSON_C_TO_STRING_NOSLASHESCAPE), trace_out);
	fputc('\n', trace_out);
	if (trace_out_is_stdout)
		fflush(trace_out);
	json_object_put(o);
}

/* "kmalloc,kmem:kfree" -> event mask; 0 after printing what was wrong. */
static unsigned long parse_events(const char *list)
{
	unsigned long mask = 0;
	char name[64];

	if (!list || !*list)
		return TRACE_EVENTS_ALL;
	while (*list) {
		size_t n = strcspn(list, ",");
		const char *p = list;
		int id;

		if (n > 5 && !strncmp(p, "kmem:", 5)) {
			p += 5;
			n -= 5;
		}
		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, p, n);
		name[n] = '\0';
		if (!strcmp(name, "*") || !strcmp(name, "all")) {
			mask |= TRACE_EVENTS_ALL;
		} else {
			id = trace_event_lookup(name);
			if (id < 0) {
				fprintf(stderr, "linmm: --events: no event '%s' (events: ", name);
				for (int i = 0; i < NR_TRACE_EVENTS; i++)
					fprintf(stderr, "%s%s", i ? ", " : "", trace_event_name(i));
				fprintf(stderr, ")\n");
				return 0;
			}
			mask |= 1UL << id;
		}
		list += strcspn(list, ",");
		if (*list == ',')
			list++;
	}
	return mask;
}

int script_trace_begin(const char *path, const char *events)
{
	unsigned long mask = parse_events(events);

	if (!mask)
		return -EINVAL;
	if (!strcmp(path, "-")) {
		trace_out = stdout;
		trace_out_is_stdout = true;
	} else {
		trace_out = fopen(path, "w");
		if (!trace_out) {
			fprintf(stderr, "linmm: --trace-events %s: %s\n", path, strerror(errno));
			return -errno;
		}
		trace_out_is_stdout = false;
	}
	linmm_trace_subscribe(mask, trace_sink, NULL);
	return 0;
}

int script_trace_end(void)
{
	int ret = 0;

	linmm_trace_subscribe(0, NULL, NULL);
	if (!trace_out)
		return 0;
	if (trace_out_is_stdout) {
		fflush(stdout);
	} else if (fclose(trace_out)) {
		fprintf(stderr, "linmm: --trace-events: %s\n", strerror(errno));
		ret = -EIO;
	}
	trace_out = NULL;
	return ret;
}
