// SPDX-License-Identifier: MIT
/*
 * commands_highmem.c - the script commands of high memory (mm/highmem.c):
 *
 *   kmap NAME PAGES          kmap() the first page of alloc_pages handle PAGES
 *   kunmap NAME              kunmap() it
 *   kmap_local NAME PAGES    kmap_local_page() on the current CPU
 *   kunmap_local NAME        kunmap_local() of that mapping (LIFO, or a WARNING)
 *
 * Each line shows where the page landed as Linux would show it: the kernel
 * virtual address in the simulated layout, and for kmap() the pkmap entry
 * and its pkmap_count (2 for the first user; see mm/highmem.c):
 *
 *   kmap k1: pfn=0x38000 zone=HighMem vaddr=0xff401000 pkmap_nr=1 pkmap_count=2
 *   kmap_local l1: pfn=0x38000 zone=HighMem vaddr=0xffebb000 cpu=0 depth=1
 *   kmap k2: pfn=0x1234 zone=Normal vaddr=0xc1234000 (direct map)
 *
 * A NAME is a script-chosen name for one mapping, in its own namespace
 * (PAGES names an alloc_pages handle).  A kmap that fails (pkmap window
 * full) is not a script error: it says so and keeps no handle.  Invariant:
 * each live handle holds exactly one mapping made by its command, and the
 * table is emptied (without unmapping: the machine goes away) before
 * shutdown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/highmem.h>
#include <linmm/mm.h>
#include <linmm/mmzone.h>
#include <linmm/pgtable.h>
#include <linmm/smp.h>

#include "mm/internal.h"
#include "tools/linmm/script.h"

#define KMAP_NAME_MAX 32

struct kmap_handle {
	char name[KMAP_NAME_MAX];
	struct page *page;
	void *addr;
	bool local;		/* kmap_local_page(), else kmap() */
};

static struct kmap_handle *handles;
static size_t nr_handles, handles_cap;

void script_highmem_reset(void)
{
	free(handles);
	handles = NULL;
	nr_handles = handles_cap = 0;
}

static struct kmap_handle *handle_find(const char *name)
{
	for (size_t i = 0; i < nr_handles; i++)
		if (!strcmp(handles[i].name, name))
			return &handles[i];
	return NULL;
}

/* Check NAME and PAGES of `CMD NAME PAGES`; *page is the page to map. */
static enum script_status parse_map_args(struct linmm_script *s, const char *cmd, int argc,
					 char **argv, struct page **page)
{
	bool found;

	if (argc != 2)
		return script_error(s, "usage: %s NAME PAGES (PAGES: an alloc_pages name)", cmd);
	if (!script_handle_name_ok(argv[0]) || strlen(argv[0]) >= KMAP_NAME_MAX)
		return script_error(s, "%s: bad name '%s' (letters, digits and _, at most %d)",
				    cmd, argv[0], KMAP_NAME_MAX - 1);
	if (handle_find(argv[0]))
		return script_error(s, "%s: '%s' already holds a mapping; unmap it first", cmd, argv[0]);
	*page = script_alloc_lookup(argv[1], &found);
	if (!found)
		return script_error(s, "%s: no allocation named '%s'", cmd, argv[1]);
	if (!*page)
		return script_error(s, "%s: allocation '%s' failed, there is no page to map", cmd,
				    argv[1]);
	return SCRIPT_OK;
}

static enum script_status handle_add(struct linmm_script *s, const char *name, struct page *page,
				     void *addr, bool local)
{
	struct kmap_handle *h;

	if (nr_handles == handles_cap) {
		size_t cap = handles_cap ? 2 * handles_cap : 16;
		struct kmap_handle *n = realloc(handles, cap * sizeof(*n));

		if (!n)
			return script_error(s, "out of host memory");
		handles = n;
		handles_cap = cap;
	}
	h = &handles[nr_handles++];
	snprintf(h->name, sizeof(h->name), "%s", name);
	h->page = page;
	h->addr = addr;
	h->local = local;
	return SCRIPT_OK;
}

/* "NAME: pfn=0x... zone=Z vaddr=0x..." up to the command's own fields. */
static void print_mapping(const char *cmd, const char *name, struct page *page, void *addr)
{
	printf("%s %s: pfn=0x%lx zone=%s vaddr=0x%llx", cmd, name, page_to_pfn(page),
	       zone_names[page_zonenum(page)], (unsigned long long)host_to_kva(addr));
}

enum script_status cmd_kmap(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	enum script_status st;
	struct page *page;
	void *addr;

	st = parse_map_args(s, "kmap", argc, argv, &page);
	if (st != SCRIPT_OK)
		return st;
	addr = kmap(page);
	if (!addr) {
		printf("kmap %s: pfn=0x%lx failed: pkmap window full\n", argv[0], page_to_pfn(page));
		return SCRIPT_OK;
	}
	st = handle_add(s, argv[0], page, addr, /* local = */ false);
	if (st != SCRIPT_OK) {
		kunmap(page);
		return st;
	}
	print_mapping("kmap", argv[0], page, addr);
	if (PageHighMem(page))
		printf(" pkmap_nr=%lu pkmap_count=%d\n", PKMAP_NR(host_to_kva(addr)),
		       pkmap_count_of(page));
	else
		printf(" (direct map)\n");
	return SCRIPT_OK;
}

enum script_status cmd_kmap_local(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	enum script_status st;
	struct page *page;
	void *addr;

	st = parse_map_args(s, "kmap_local", argc, argv, &page);
	if (st != SCRIPT_OK)
		return st;
	addr = kmap_local_page(page);
	if (!addr) {
		printf("kmap_local %s: pfn=0x%lx failed: no free slot on CPU %d\n", argv[0],
		       page_to_pfn(page), smp_processor_id());
		return SCRIPT_OK;
	}
	st = handle_add(s, argv[0], page, addr, /* local = */ true);
	if (st != SCRIPT_OK) {
		kunmap_local(addr);
		return st;
	}
	print_mapping("kmap_local", argv[0], page, addr);
	if (PageHighMem(page))
		printf(" cpu=%d depth=%d\n", smp_processor_id(), kmap_local_depth());
	else
		printf(" (direct map)\n");
	return SCRIPT_OK;
}

/* Look up the handle of `CMD NAME` made by the matching map command. */
static struct kmap_handle *unmap_handle(struct linmm_script *s, const char *cmd, bool local,
					int argc, char **argv)
{
	struct kmap_handle *h;

	if (argc != 1) {
		script_error(s, "usage: %s NAME", cmd);
		return NULL;
	}
	h = handle_find(argv[0]);
	if (!h) {
		script_error(s, "%s: no mapping named '%s'", cmd, argv[0]);
		return NULL;
	}
	if (h->local != local) {
		script_error(s, "%s: '%s' was made by %s; use %s", cmd, argv[0],
			     h->local ? "kmap_local" : "kmap", h->local ? "kunmap_local" : "kunmap");
		return NULL;
	}
	return h;
}

enum script_status cmd_kunmap(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	struct kmap_handle *h = unmap_handle(s, "kunmap", /* local = */ false, argc, argv);

	if (!h)
		return SCRIPT_ERROR;
	kunmap(h->page);
	if (PageHighMem(h->page))
		printf("kunmap %s: pfn=0x%lx pkmap_count=%d\n", h->name, page_to_pfn(h->page),
		       pkmap_count_of(h->page));
	else
		printf("kunmap %s: pfn=0x%lx (direct map: nothing to undo)\n", h->name,
		       page_to_pfn(h->page));
	*h = handles[--nr_handles];
	return SCRIPT_OK;
}

enum script_status cmd_kunmap_local(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	struct kmap_handle *h = unmap_handle(s, "kunmap_local", /* local = */ true, argc, argv);
	bool high;

	if (!h)
		return SCRIPT_ERROR;
	high = PageHighMem(h->page);
	kunmap_local(h->addr);
	printf("kunmap_local %s: vaddr=0x%llx", h->name, (unsigned long long)host_to_kva(h->addr));
	if (high)
		printf(" cpu=%d depth=%d\n", smp_processor_id(), kmap_local_depth());
	else
		printf(" (direct map: nothing to undo)\n");
	*h = handles[--nr_handles];
	return SCRIPT_OK;
}
