// SPDX-License-Identifier: MIT
/*
 * test_trace_events.c - the kmem tracepoints (kernel/trace/trace_events.c).
 *
 * The oracle for the text of each event is the host kernel: its tracefs
 * has /sys/kernel/tracing/events/kmem/NAME/format, whose "print fmt:" line
 * is the TP_printk() format linmm must print.  The test reads it (mounting
 * tracefs on a temporary directory if it is not mounted and the test may)
 * and is skipped where neither works.  The other cases check the records
 * against what the allocators returned, the rendered text against its
 * format (as a regular expression), and when events are delivered.
 */
#define _GNU_SOURCE
#include <regex.h>
#include <sys/mount.h>
#include <unistd.h>

#include "../linmm_test.h"

#include <linmm/slab.h>
#include <linmm/tracepoint.h>

#include "mm/slab.h"

#define MAX_RECS 256

static struct trace_event_record recs[MAX_RECS];
static char texts[MAX_RECS][512];
static int nr_recs;

static void sink(const struct trace_event_record *rec, void *arg)
{
	(void)arg;
	if (nr_recs >= MAX_RECS)
		return;
	recs[nr_recs] = *rec;
	trace_event_format(rec, texts[nr_recs], sizeof(texts[0]));
	nr_recs++;
}

static int teardown(void **state)
{
	linmm_trace_subscribe(0, NULL, NULL);
	nr_recs = 0;
	return linmm_test_shutdown(state);
}

/* The first record of @id at or after *@from; fails the test if there is none. */
static struct trace_event_record *next_rec(enum trace_event_id id, int *from)
{
	for (int i = *from; i < nr_recs; i++) {
		if (recs[i].id == id) {
			*from = i + 1;
			return &recs[i];
		}
	}
	fail_msg("no %s event after record %d (of %d)", trace_event_name(id), *from, nr_recs);
	return NULL;
}

/*
 * @fmt as a POSIX extended regex anchored at both ends: %pS a symbol, %p 16
 * hex digits, 0x%lx hex, %d signed, %u/%zu/%lu unsigned, %s a word.
 */
static void fmt_to_regex(const char *fmt, char *re, size_t size)
{
	size_t n = 0;

	n += snprintf(re + n, size - n, "^");
	for (const char *p = fmt; *p && n < size - 32; p++) {
		if (*p != '%') {
			if (strchr(".[]()*+?{}|^$\\", *p))
				re[n++] = '\\';
			re[n++] = *p;
			continue;
		}
		p++;
		if (!strncmp(p, "pS", 2)) {
			n += snprintf(re + n, size - n, "[^ ]+");
			p++;
		} else if (*p == 'p') {
			n += snprintf(re + n, size - n, "[0-9a-f]{16}");
		} else if (*p == 'd') {
			n += snprintf(re + n, size - n, "-?[0-9]+");
		} else if (!strncmp(p, "lx", 2)) {
			n += snprintf(re + n, size - n, "[0-9a-f]+");
			p++;
		} else if (!strncmp(p, "zu", 2) || !strncmp(p, "lu", 2)) {
			n += snprintf(re + n, size - n, "[0-9]+");
			p++;
		} else if (*p == 'u') {
			n += snprintf(re + n, size - n, "[0-9]+");
		} else if (*p == 's') {
			n += snprintf(re + n, size - n, "[^ ]+");
		} else {
			fail_msg("format %s: unexpected conversion %%%c", fmt, *p);
		}
	}
	snprintf(re + n, size - n, "$");
}

static void assert_text_matches_fmt(int i)
{
	const char *fmt = trace_event_print_fmt(recs[i].id);
	char re_text[1024];
	regex_t re;

	assert_non_null(fmt);
	fmt_to_regex(fmt, re_text, sizeof(re_text));
	assert_int_equal(regcomp(&re, re_text, REG_EXTENDED | REG_NOSUB), 0);
	if (regexec(&re, texts[i], 0, NULL, 0))
		fail_msg("%s: \"%s\" does not match \"%s\"", trace_event_name(recs[i].id), texts[i],
			 fmt);
	regfree(&re);
}

/* ---- the host kernel as the oracle ---- */

/* The "print fmt" string literal of @path's format file into @out; false if unreadable. */
static bool host_print_fmt(const char *dir, const char *event, char *out, size_t size)
{
	char path[512], line[16384];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/events/kmem/%s/format", dir, event);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char *q, *end;

		if (strncmp(line, "print fmt: \"", 12))
			continue;
		q = line + 12;
		end = strchr(q, '"');
		if (!end)
			break;
		if ((size_t)(end - q) >= size)
			break;
		memcpy(out, q, (size_t)(end - q));
		out[end - q] = '\0';
		found = true;
		break;
	}
	fclose(f);
	return found;
}

static void test_formats_match_host(void **state)
{
	char dir[] = "/tmp/linmm-tracefs-XXXXXX", fmt[1024];
	const char *where = "/sys/kernel/tracing";
	bool mounted = false;

	(void)state;
	if (!host_print_fmt(where, "kfree", fmt, sizeof(fmt))) {
		if (!mkdtemp(dir))
			skip();
		if (mount("nodev", dir, "tracefs", 0, NULL)) {
			rmdir(dir);
			print_message("tracefs not available here: the host comparison is skipped\n");
			skip();
		}
		mounted = true;
		where = dir;
	}
	for (int id = 0; id < NR_TRACE_EVENTS; id++) {
		if (!host_print_fmt(where, trace_event_name(id), fmt, sizeof(fmt)))
			fail_msg("the host has no kmem:%s event", trace_event_name(id));
		assert_string_equal(trace_event_print_fmt(id), fmt);
	}
	if (mounted) {
		umount(dir);
		rmdir(dir);
	}
}

/* ---- records and their text ---- */

static void test_page_events(void **state)
{
	struct page *page;
	int from = 0;

	(void)state;
	boot_or_fail("mem=256M");
	linmm_trace_subscribe(1UL << TRACE_MM_PAGE_ALLOC | 1UL << TRACE_MM_PAGE_FREE, sink, NULL);
	page = alloc_pages(GFP_KERNEL, 2);
	assert_non_null(page);
	__free_pages(page, 2);
	check_machine();
	assert_int_equal(nr_recs, 2);
	{
		struct trace_event_record *a = next_rec(TRACE_MM_PAGE_ALLOC, &from);
		struct trace_event_record *f = next_rec(TRACE_MM_PAGE_FREE, &from);
		char want[128];

		assert_int_equal(a->page.pfn, page_to_pfn(page));
		assert_int_equal(a->page.order, 2);
		assert_int_equal(a->page.migratetype, MIGRATE_UNMOVABLE);
		assert_int_equal(a->page.gfp_flags, GFP_KERNEL);
		assert_int_equal(f->page.pfn, page_to_pfn(page));
		assert_int_equal(f->page.order, 2);
		snprintf(want, sizeof(want), "page=%016lx pfn=0x%lx order=2 migratetype=0 "
			 "gfp_flags=GFP_KERNEL", linmm_kernel_address(page), page_to_pfn(page));
		assert_string_equal(texts[0], want);
		/* x86_64: struct pages are in the vmemmap at 0xffffea0000000000. */
		assert_int_equal(strncmp(texts[0], "page=ffffea", 11), 0);
	}
	for (int i = 0; i < nr_recs; i++)
		assert_text_matches_fmt(i);
}

static void test_failed_page_alloc(void **state)
{
	const gfp_t gfp = GFP_DMA | __GFP_NOWARN | __GFP_NORETRY;
	struct page *held[8];
	int n = 0, last;

	(void)state;
	/* ZONE_DMA (16 MiB) has at most 4 blocks of 4 MiB: take them until one fails. */
	boot_or_fail("mem=256M");
	linmm_trace_subscribe(1UL << TRACE_MM_PAGE_ALLOC, sink, NULL);
	while (n < 8 && (held[n] = alloc_pages(gfp, MAX_PAGE_ORDER)))
		n++;
	assert_true(n < 8);
	assert_int_equal(nr_recs, n + 1);
	last = nr_recs - 1;
	assert_int_equal(recs[last].page.pfn, -1UL);
	/* The kernel prints pfn -1 as a NULL page and pfn 0. */
	assert_int_equal(strncmp(texts[last], "page=0000000000000000 pfn=0x0 order=10 ", 39), 0);
	for (int i = 0; i < nr_recs; i++)
		assert_text_matches_fmt(i);
	while (n--)
		__free_pages(held[n], MAX_PAGE_ORDER);
	check_machine();
}

static void test_slab_events(void **state)
{
	struct kmem_cache *c;
	void *a, *b, *big;
	int from;

	(void)state;
	boot_or_fail("mem=256M");
	c = kmem_cache_create("trace_test", 100, 0, SLAB_ACCOUNT, NULL);
	assert_non_null(c);
	linmm_trace_subscribe(TRACE_EVENTS_ALL, sink, NULL);
	a = kmalloc(115, GFP_KERNEL);
	b = kmem_cache_alloc(c, GFP_KERNEL);
	big = kmalloc(20000, GFP_KERNEL_ACCOUNT);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(big);
	kmem_cache_free(c, b);
	kfree(a);
	kfree(big);
	kfree(NULL);		/* traced, as the kernel traces it */
	check_machine();

	from = 0;
	{
		struct trace_event_record *r = next_rec(TRACE_KMALLOC, &from);

		assert_ptr_equal(r->alloc.ptr, a);
		assert_int_equal(r->alloc.bytes_req, 115);
		assert_int_equal(r->alloc.bytes_alloc, 128);
		assert_string_equal(r->alloc.name, "kmalloc-128");
		assert_int_equal(r->alloc.node, NUMA_NO_NODE);
		assert_false(r->alloc.accounted);
		assert_int_not_equal(r->alloc.call_site, 0);
	}
	{
		struct trace_event_record *r = next_rec(TRACE_KMEM_CACHE_ALLOC, &from);

		assert_ptr_equal(r->alloc.ptr, b);
		assert_int_equal(r->alloc.bytes_req, 100);
		assert_int_equal(r->alloc.bytes_alloc, c->size);
		assert_string_equal(r->alloc.name, "trace_test");
		assert_true(r->alloc.accounted);	/* SLAB_ACCOUNT cache */
	}
	{
		/* A large kmalloc: the page allocator's event first, then kmalloc's. */
		struct trace_event_record *p = next_rec(TRACE_MM_PAGE_ALLOC, &from);
		struct trace_event_record *r = next_rec(TRACE_KMALLOC, &from);

		assert_int_equal(p->page.order, 3);
		assert_ptr_equal(r->alloc.ptr, big);
		assert_int_equal(r->alloc.bytes_req, 20000);
		assert_int_equal(r->alloc.bytes_alloc, 32768);
		assert_null(r->alloc.name);
		assert_true(r->alloc.accounted);	/* __GFP_ACCOUNT */
	}
	{
		struct trace_event_record *r = next_rec(TRACE_KMEM_CACHE_FREE, &from);

		assert_ptr_equal(r->free.ptr, b);
		assert_string_equal(r->free.name, "trace_test");
		r = next_rec(TRACE_KFREE, &from);
		assert_ptr_equal(r->free.ptr, a);
		r = next_rec(TRACE_KFREE, &from);
		assert_ptr_equal(r->free.ptr, big);
		/* kfree of the large block gives its pages back: order 3 */
		assert_int_equal(next_rec(TRACE_MM_PAGE_FREE, &from)->page.order, 3);
		r = next_rec(TRACE_KFREE, &from);
		assert_null(r->free.ptr);
	}
	for (int i = 0; i < nr_recs; i++)
		assert_text_matches_fmt(i);
	kmem_cache_destroy(c);
}

static void test_delivery_window(void **state)
{
	void *p;

	(void)state;
	/* Subscribed before boot: boot's own frees are not traced, as in the kernel. */
	linmm_trace_subscribe(TRACE_EVENTS_ALL, sink, NULL);
	boot_or_fail("mem=256M");
	assert_int_equal(nr_recs, 0);
	p = kmalloc(64, GFP_KERNEL);
	assert_int_equal(recs[nr_recs - 1].id, TRACE_KMALLOC);
	kfree(p);
	/* Only the events asked for. */
	nr_recs = 0;
	linmm_trace_subscribe(1UL << TRACE_KFREE, sink, NULL);
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	assert_int_equal(nr_recs, 1);
	assert_int_equal(recs[0].id, TRACE_KFREE);
	/* Unsubscribed: nothing. */
	linmm_trace_subscribe(0, NULL, NULL);
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	assert_int_equal(nr_recs, 1);
	/* Shutdown is not traced either. */
	linmm_trace_subscribe(TRACE_EVENTS_ALL, sink, NULL);
	nr_recs = 0;
	linmm_shutdown();
	assert_int_equal(nr_recs, 0);
}

static void test_names(void **state)
{
	(void)state;
	for (int id = 0; id < NR_TRACE_EVENTS; id++) {
		assert_int_equal(trace_event_lookup(trace_event_name(id)), id);
		assert_string_equal(trace_event_system(id), "kmem");
	}
	assert_int_equal(trace_event_lookup("mm_page_alloc_zone_locked"), -1);
	assert_null(trace_event_name(NR_TRACE_EVENTS));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats_match_host),
		cmocka_unit_test_teardown(test_page_events, teardown),
		cmocka_unit_test_teardown(test_failed_page_alloc, teardown),
		cmocka_unit_test_teardown(test_slab_events, teardown),
		cmocka_unit_test_teardown(test_delivery_window, teardown),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
