/* SPDX-License-Identifier: MIT */
/*
 * commands_alloc.c - the script commands of the page allocator:
 *
 *   alloc_pages NAME order=N [gfp=FLAGS] [node=N]   alloc_pages()/alloc_pages_node()
 *   free_pages NAME                                  __free_pages()
 *   drain                                            drain_all_pages(NULL)
 *
 * Mirrors the page allocator's API (mm/page_alloc.c) as a caller in the
 * kernel would use it; the output lines follow the mm_page_alloc and
 * mm_page_free tracepoints ("pfn=0x1a2b3 order=0 ... gfp_flags=GFP_KERNEL").
 *
 * A handle is a script-chosen name for one allocation.  A failed allocation
 * is not a script error: it prints what happened and keeps the name with no
 * pages, so `free_pages NAME` after it is harmless.  Invariant: each live
 * handle holds exactly the block alloc_pages() returned (or none), and the
 * table is emptied (without freeing: the machine goes away) before shutdown.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/gfp.h>
#include <linmm/linmm.h>
#include <linmm/mm.h>
#include <linmm/mmzone.h>

#include "tools/linmm/script.h"

#define HANDLE_NAME_MAX 32
#define ORDER_LIMIT 31		/* larger orders are rejected by the script, not the kernel */

struct alloc_handle {
	char name[HANDLE_NAME_MAX];
	struct page *page;	/* NULL: the allocation failed */
	unsigned int order;
};

static struct alloc_handle *handles;
static size_t nr_handles, handles_cap;

void script_alloc_reset(void)
{
	free(handles);
	handles = NULL;
	nr_handles = handles_cap = 0;
}

static struct alloc_handle *handle_find(const char *name)
{
	for (size_t i = 0; i < nr_handles; i++)
		if (!strcmp(handles[i].name, name))
			return &handles[i];
	return NULL;
}

static void handle_remove(struct alloc_handle *h)
{
	*h = handles[--nr_handles];
}

static bool valid_handle_name(const char *name)
{
	size_t n = strlen(name);

	if (!n || n >= HANDLE_NAME_MAX || isdigit((unsigned char)name[0]))
		return false;
	for (; *name; name++)
		if (!isalnum((unsigned char)*name) && *name != '_')
			return false;
	return true;
}

bool script_handle_name_ok(const char *name)
{
	return valid_handle_name(name);
}

struct page *script_alloc_lookup(const char *name, bool *found)
{
	struct alloc_handle *h = handle_find(name);

	*found = h != NULL;
	return h ? h->page : NULL;
}

/* Parse a decimal number of at most @max into *out. Return false if malformed. */
static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return !errno && !*end && *out <= max;
}

enum script_status cmd_alloc_pages(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	static const char usage[] = "usage: alloc_pages NAME order=N [gfp=FLAGS] [node=N]";
	unsigned long order = 0, nid = 0;
	bool have_order = false, have_node = false;
	gfp_t gfp = GFP_KERNEL;
	struct alloc_handle *h;
	struct page *page;
	char flags[256];

	if (argc < 1)
		return script_error(s, "%s", usage);
	if (!valid_handle_name(argv[0]))
		return script_error(s, "alloc_pages: bad name '%s' (letters, digits and _, at most %d)",
				    argv[0], HANDLE_NAME_MAX - 1);
	h = handle_find(argv[0]);
	if (h && h->page)
		return script_error(s, "alloc_pages: '%s' already holds pages; free_pages %s first",
				    argv[0], argv[0]);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strncmp(a, "order=", 6)) {
			if (!parse_uint(a + 6, ORDER_LIMIT, &order))
				return script_error(s, "alloc_pages: bad order '%s' (0..%d, at most %d "
						    "succeeds)", a + 6, ORDER_LIMIT, MAX_PAGE_ORDER);
			have_order = true;
		} else if (!strncmp(a, "gfp=", 4)) {
			if (parse_gfp_flags(a + 4, &gfp))
				return script_error(s, "alloc_pages: bad gfp flags '%s' (e.g. "
						    "GFP_KERNEL|__GFP_ZERO, or a hex mask)", a + 4);
		} else if (!strncmp(a, "node=", 5)) {
			if (!parse_uint(a + 5, (unsigned long)nr_online_nodes - 1, &nid))
				return script_error(s, "alloc_pages: bad node '%s' (this machine has "
						    "nodes 0..%d)", a + 5, nr_online_nodes - 1);
			have_node = true;
		} else {
			return script_error(s, "alloc_pages: unknown argument '%s'; %s", a, usage);
		}
	}
	if (!have_order)
		return script_error(s, "alloc_pages: order=N is missing; %s", usage);

	if (have_node)
		page = alloc_pages_node((int)nid, gfp, (unsigned int)order);
	else
		page = alloc_pages(gfp, (unsigned int)order);

	format_gfp_flags(gfp, flags, sizeof(flags));
	if (!h) {
		if (nr_handles == handles_cap) {
			size_t cap = handles_cap ? 2 * handles_cap : 16;
			struct alloc_handle *n = realloc(handles, cap * sizeof(*n));

			if (!n) {
				if (page)
					__free_pages(page, (unsigned int)order);
				return script_error(s, "alloc_pages: out of host memory");
			}
			handles = n;
			handles_cap = cap;
		}
		h = &handles[nr_handles++];
		snprintf(h->name, sizeof(h->name), "%s", argv[0]);
	}
	h->page = page;
	h->order = (unsigned int)order;
	if (!page) {
		printf("alloc_pages %s: failed order=%lu gfp_flags=%s\n", h->name, order, flags);
		return SCRIPT_OK;
	}
	printf("alloc_pages %s: pfn=0x%lx order=%lu node=%d zone=%s gfp_flags=%s\n", h->name,
	       page_to_pfn(page), order, page_to_nid(page), zone_names[page_zonenum(page)], flags);
	return SCRIPT_OK;
}

enum script_status cmd_free_pages(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	struct alloc_handle *h;

	if (argc != 1)
		return script_error(s, "usage: free_pages NAME");
	h = handle_find(argv[0]);
	if (!h)
		return script_error(s, "free_pages: no allocation named '%s'", argv[0]);
	if (!h->page) {
		printf("free_pages %s: nothing to free (the allocation failed)\n", h->name);
	} else {
		printf("free_pages %s: pfn=0x%lx order=%u\n", h->name, page_to_pfn(h->page), h->order);
		__free_pages(h->page, h->order);
	}
	handle_remove(h);
	return SCRIPT_OK;
}

enum script_status cmd_drain(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	if (argc)
		return script_error(s, "usage: drain (takes no arguments)");
	drain_all_pages(NULL);
	return SCRIPT_OK;
}
