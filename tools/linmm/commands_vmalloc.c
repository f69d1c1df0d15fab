// SPDX-License-Identifier: MIT
/*
 * commands_vmalloc.c - the script commands of vmalloc (mm/vmalloc.c):
 *
 *   vmalloc NAME SIZE           vmalloc(SIZE)  (SIZE: bytes, or 16K, 1M, ...)
 *   vzalloc NAME SIZE           vzalloc(SIZE)
 *   vfree NAME                  vfree() (lazily: the range stays "unpurged")
 *   vmap NAME PAGES...          vmap() the first page of each alloc_pages handle
 *   vunmap NAME                 vunmap()
 *   vm_unmap_aliases            purge the lazily freed areas now
 *
 * Each line shows the area as /proc/vmallocinfo would, in the simulated
 * layout, with the page frames the init_mm walk finds behind it:
 *
 *   vmalloc v1: 0xffffc90000000000-0xffffc90000003000 size=12288 pages=2 pfns=0x3f2a1,0x3f2a0
 *   vmap m1: 0xffffc90000004000-0xffffc90000006000 size=8192 pages=1 pfns=0x1234
 *
 * A failed allocation is not a script error: it prints "failed" and keeps
 * no handle.  Invariant: each live handle holds exactly one area made by
 * its command; the table is emptied (without freeing: the machine goes
 * away) before shutdown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/mm.h>
#include <linmm/pgtable.h>
#include <linmm/vmalloc.h>

#include "arch/arch.h"
#include "kernel/machine.h"
#include "mm/internal.h"
#include "tools/linmm/script.h"

#define VMALLOC_NAME_MAX 32
#define PFNS_SHOWN 8		/* longer areas print the first ones and "..." */

struct vmalloc_handle {
	char name[VMALLOC_NAME_MAX];
	void *addr;
	bool vmap;		/* vmap(), else vmalloc()/vzalloc() */
	struct page **pages;	/* vmap: the array passed (freed with the handle) */
};

static struct vmalloc_handle *handles;
static size_t nr_handles, handles_cap;

void script_vmalloc_reset(void)
{
	for (size_t i = 0; i < nr_handles; i++)
		free(handles[i].pages);
	free(handles);
	handles = NULL;
	nr_handles = handles_cap = 0;
}

static struct vmalloc_handle *handle_find(const char *name)
{
	for (size_t i = 0; i < nr_handles; i++)
		if (!strcmp(handles[i].name, name))
			return &handles[i];
	return NULL;
}

static enum script_status handle_add(struct linmm_script *s, const char *name, void *addr,
				     bool vmap, struct page **pages)
{
	struct vmalloc_handle *h;

	if (nr_handles == handles_cap) {
		size_t cap = handles_cap ? 2 * handles_cap : 16;
		struct vmalloc_handle *n = realloc(handles, cap * sizeof(*n));

		if (!n)
			return script_error(s, "out of host memory");
		handles = n;
		handles_cap = cap;
	}
	h = &handles[nr_handles++];
	snprintf(h->name, sizeof(h->name), "%s", name);
	h->addr = addr;
	h->vmap = vmap;
	h->pages = pages;
	return SCRIPT_OK;
}

/* "CMD NAME: 0xSTART-0xEND size=N pages=N pfns=..." for the area at @addr. */
static void print_area(const char *cmd, const char *name, const void *addr)
{
	const struct vm_struct *vm = find_vm_area(addr);
	const int w = linmm_arch->bits == 64 ? 16 : 8;
	u64 start = host_to_kva(addr), size = vm ? vm->size : 0;
	unsigned long nr = size ? (unsigned long)(size / PAGE_SIZE - 1) : 0;

	printf("%s %s: 0x%0*llx-0x%0*llx size=%llu pages=%lu pfns=", cmd, name, w,
	       (unsigned long long)start, w, (unsigned long long)(start + size),
	       (unsigned long long)size, nr);
	for (unsigned long i = 0; i < nr && i < PFNS_SHOWN; i++) {
		struct page *page = kernel_walk_page(start + i * PAGE_SIZE);

		printf("%s0x%lx", i ? "," : "", page ? page_to_pfn(page) : 0UL);
	}
	printf("%s\n", nr > PFNS_SHOWN ? ",..." : "");
}

static enum script_status do_vmalloc(struct linmm_script *s, const char *cmd, int argc,
				     char **argv, bool zero)
{
	const char *end;
	u64 size;
	void *p;

	if (argc != 2)
		return script_error(s, "usage: %s NAME SIZE", cmd);
	if (!script_handle_name_ok(argv[0]))
		return script_error(s, "%s: bad name '%s' (letters, digits and _, at most %d)", cmd,
				    argv[0], VMALLOC_NAME_MAX - 1);
	if (handle_find(argv[0]))
		return script_error(s, "%s: '%s' is in use; vfree %s first", cmd, argv[0], argv[0]);
	end = memparse(argv[1], &size);
	if (!end || *end || !size || size > (1ULL << 40))
		return script_error(s, "%s: bad size '%s' (bytes, or with K, M, G)", cmd, argv[1]);
	p = zero ? vzalloc((unsigned long)size) : vmalloc((unsigned long)size);
	if (!p) {
		printf("%s %s: size=%llu failed\n", cmd, argv[0], (unsigned long long)size);
		return SCRIPT_OK;
	}
	if (handle_add(s, argv[0], p, /* vmap = */ false, NULL) != SCRIPT_OK) {
		vfree(p);
		return SCRIPT_ERROR;
	}
	print_area(cmd, argv[0], p);
	return SCRIPT_OK;
}

enum script_status cmd_vmalloc(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	return do_vmalloc(s, "vmalloc", argc, argv, /* zero = */ false);
}

enum script_status cmd_vzalloc(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	return do_vmalloc(s, "vzalloc", argc, argv, /* zero = */ true);
}

enum script_status cmd_vmap(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	struct page **pages;
	void *p;

	if (argc < 2)
		return script_error(s, "usage: vmap NAME PAGES...");
	if (!script_handle_name_ok(argv[0]))
		return script_error(s, "vmap: bad name '%s' (letters, digits and _, at most %d)",
				    argv[0], VMALLOC_NAME_MAX - 1);
	if (handle_find(argv[0]))
		return script_error(s, "vmap: '%s' is in use; vunmap %s first", argv[0], argv[0]);
	pages = calloc((size_t)argc - 1, sizeof(*pages));
	if (!pages)
		return script_error(s, "out of host memory");
	for (int i = 1; i < argc; i++) {
		bool found;

		pages[i - 1] = script_alloc_lookup(argv[i], &found);
		if (!pages[i - 1]) {
			free(pages);
			return script_error(s, found ? "vmap: '%s' holds no pages (its allocation failed)"
						     : "vmap: no alloc_pages handle '%s'", argv[i]);
		}
	}
	p = vmap(pages, (unsigned int)argc - 1, VM_MAP, PAGE_KERNEL);
	if (!p) {
		free(pages);
		printf("vmap %s: failed\n", argv[0]);
		return SCRIPT_OK;
	}
	if (handle_add(s, argv[0], p, /* vmap = */ true, pages) != SCRIPT_OK) {
		vunmap(p);
		free(pages);
		return SCRIPT_ERROR;
	}
	print_area("vmap", argv[0], p);
	return SCRIPT_OK;
}

static enum script_status do_unmap(struct linmm_script *s, const char *cmd, int argc, char **argv,
				   bool vmap)
{
	struct vmalloc_handle *h;

	if (argc != 1)
		return script_error(s, "usage: %s NAME", cmd);
	h = handle_find(argv[0]);
	if (!h || h->vmap != vmap)
		return script_error(s, "%s: no %s handle '%s'", cmd, vmap ? "vmap" : "vmalloc",
				    argv[0]);
	printf("%s %s: 0x%llx\n", cmd, h->name, (unsigned long long)host_to_kva(h->addr));
	if (vmap)
		vunmap(h->addr);
	else
		vfree(h->addr);
	free(h->pages);
	*h = handles[--nr_handles];
	return SCRIPT_OK;
}

enum script_status cmd_vfree(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	return do_unmap(s, "vfree", argc, argv, /* vmap = */ false);
}

enum script_status cmd_vunmap(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	return do_unmap(s, "vunmap", argc, argv, /* vmap = */ true);
}

enum script_status cmd_vm_unmap_aliases(struct linmm_script *s, int argc, char **argv,
					const char *rest)
{
	struct vmalloc_stats st;

	if (argc)
		return script_error(s, "usage: vm_unmap_aliases");
	vm_unmap_aliases();
	vmalloc_get_stats(&st);
	printf("vm_unmap_aliases: tlb_flushes=%lu tlb_flush_pages=%lu\n", st.tlb_flushes,
	       st.tlb_flush_pages);
	return SCRIPT_OK;
}
