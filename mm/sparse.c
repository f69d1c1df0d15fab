/* SPDX-License-Identifier: MIT */
/*
 * sparse.c - memory sections and the memmap (mm/sparse.c,
 * mm/sparse-vmemmap.c, and FLATMEM's alloc_node_mem_map()).
 *
 * SPARSEMEM_VMEMMAP: physical memory is cut into sections of
 * 2^section_size_bits bytes (128 MiB on x86_64 = 32768 pages).  The section
 * table is two-level (SPARSEMEM_EXTREME): roots of SECTIONS_PER_ROOT
 * entries allocated when a section in them first becomes present.  All
 * struct pages live in one virtually contiguous window, the vmemmap:
 *
 *   vmemmap window (host reservation, PROT_NONE until populated)
 *   +---------+---------+---------+---------+
 *   | sect 0  | sect 1  | (hole)  | sect 3  |   2 MiB of struct page each
 *   +----|----+----|----+---------+----|----+
 *        v         v                   v
 *   simulated RAM pages holding the memmap (memblock-allocated on the
 *   section's node), mapped from the node's memfd: the memmap really lives
 *   in simulated RAM, as in the kernel.
 *
 * so pfn_to_page(pfn) is `vmemmap + pfn` and a section without memory costs
 * only address space.  Each present section also has its pageblock usemap
 * (4 bits per pageblock).
 *
 * FLATMEM: one mem_map array for [0, max_pfn) allocated from memblock in
 * lowmem, reached through the direct map; vmemmap then points at it
 * (ARCH_PFN_OFFSET is 0 on x86).  Pageblock flags live per zone.
 */
#include <string.h>

#include <linmm/memblock.h>
#include <linmm/mm.h>
#include <linmm/printk.h>
#include <linmm/vmstat.h>

#include "kernel/host.h"
#include "kernel/machine.h"
#include "kernel/physmem.h"
#include "mm/internal.h"

#define SECTIONS_PER_ROOT (PAGE_SIZE / sizeof(struct mem_section))

struct mem_section **mem_section;
unsigned long nr_mem_sections;
unsigned long memmap_pages_total;
int linmm_pfn_section_shift;
struct page *vmemmap;

static void *vmemmap_reservation;	/* vmemmap_window, before 2 MiB alignment */
static void *vmemmap_window;
static u64 vmemmap_window_size;
static unsigned long nr_section_roots;

unsigned long section_nr_pages(void)
{
	return 1UL << linmm_pfn_section_shift;
}

struct mem_section *__pfn_to_section(unsigned long pfn)
{
	unsigned long nr = pfn_to_section_nr(pfn);
	unsigned long root = nr / SECTIONS_PER_ROOT;

	if (nr >= nr_mem_sections || !mem_section || !mem_section[root])
		return NULL;
	return &mem_section[root][nr % SECTIONS_PER_ROOT];
}

bool pfn_valid(unsigned long pfn)
{
	struct mem_section *ms;

	if (boot_params.model == LINMM_FLATMEM)
		return pfn < max_pfn;
	ms = __pfn_to_section(pfn);
	return ms && (ms->section_mem_map & SECTION_HAS_MEM_MAP);
}

static struct mem_section *section_get(unsigned long nr)
{
	unsigned long root = nr / SECTIONS_PER_ROOT;

	if (nr >= nr_mem_sections)
		return NULL;
	if (!mem_section[root]) {
		mem_section[root] = linmm_host_zalloc(SECTIONS_PER_ROOT * sizeof(struct mem_section));
		if (!mem_section[root])
			return NULL;
	}
	return &mem_section[root][nr % SECTIONS_PER_ROOT];
}

static phys_addr_t section_memmap_bytes(void)
{
	return section_nr_pages() * sizeof(struct page);
}

/*
 * sparse_populate_section - give section @nr (node @nid) its memmap and usemap.
 * The memmap is allocated from memblock at boot; after boot (hotplug) it is
 * carved from the start of the added memory itself, as with the kernel's
 * memmap_on_memory (the caller reserves those pages).
 * Context: boot, or memory hotplug with the hotplug lock held.
 * Return: 0 or -errno.
 */
int sparse_populate_section(unsigned long nr, int nid)
{
	struct mem_section *ms = section_get(nr);
	phys_addr_t bytes = section_memmap_bytes(), pa;
	unsigned long usemap_bytes = DIV_ROUND_UP((section_nr_pages() / pageblock_nr_pages) * 4, 8);
	char *va;
	int ret;

	if (!ms)
		return -ENOMEM;
	if (ms->section_mem_map & SECTION_HAS_MEM_MAP)
		return 0;
	ms->pageblock_flags = linmm_host_zalloc(max(usemap_bytes, sizeof(unsigned long)));
	if (!ms->pageblock_flags)
		return -ENOMEM;
	va = (char *)vmemmap_window + nr * bytes;
	if (linmm_booted) {
		/* memmap_on_memory: the first pages of the section itself. */
		pa = PFN_PHYS(nr << linmm_pfn_section_shift);
	} else {
		pa = memblock_phys_alloc_try_nid(bytes, min(bytes, (phys_addr_t)(2 * SZ_1M)), nid);
		if (!pa)
			return -ENOMEM;
	}
	ret = physmem_map(va, nid, pa, bytes);
	if (ret)
		return ret;
	/*
	 * Metadata-only RAM is private anonymous memory: back a section's
	 * memmap with huge pages, as the kernel backs the vmemmap with PMDs
	 * (one 2 MiB page per 128 MiB section), which makes booting a large
	 * machine cost a few hundred host faults instead of a quarter million.
	 */
	if (boot_params.backing == LINMM_BACKING_NONE)
		linmm_host_advise_hugepage(va, bytes);
	memmap_pages_total += bytes >> PAGE_SHIFT;
	if (linmm_booted)
		memmap_pages_add((long)(bytes >> PAGE_SHIFT));	/* nr_memmap_pages, not boot */
	ms->nid = nid;
	/* Boot memory is online from the start; hot-added memory is onlined later. */
	ms->section_mem_map = SECTION_MARKED_PRESENT | SECTION_HAS_MEM_MAP |
			      (linmm_booted ? 0 : SECTION_IS_EARLY | SECTION_IS_ONLINE);
	return 0;
}

static int flatmem_init(void)
{
	phys_addr_t bytes = PAGE_ALIGN((phys_addr_t)max_pfn * sizeof(struct page));
	phys_addr_t pa = memblock_phys_alloc_try_nid(bytes, PAGE_SIZE, 0);

	if (!pa) {
		linmm_set_error("no room in lowmem for a %llu KiB FLATMEM mem_map",
				(unsigned long long)(bytes >> 10));
		return -ENOMEM;
	}
	vmemmap = __va(pa);
	memmap_pages_total = bytes >> PAGE_SHIFT;
	NODE_DATA(0)->node_mem_map = vmemmap;
	return 0;
}

int sparse_init(void)
{
	const struct linmm_arch *a = linmm_arch;
	unsigned long nr, last = 0;
	int err = 0;

	linmm_pfn_section_shift = a->section_size_bits - PAGE_SHIFT;
	if (boot_params.model == LINMM_FLATMEM)
		return flatmem_init();

	/* The window covers every pfn the direct map window could ever hold. */
	u64 phys_span = a->lowmem_limit ? (1ULL << a->max_physmem_bits) : direct_map_window_size();

	nr_mem_sections = (unsigned long)(phys_span >> a->section_size_bits);
	nr_section_roots = DIV_ROUND_UP(nr_mem_sections, SECTIONS_PER_ROOT);
	mem_section = linmm_host_zalloc(nr_section_roots * sizeof(*mem_section));
	if (!mem_section)
		return -ENOMEM;
	vmemmap_window_size = (u64)nr_mem_sections * section_memmap_bytes() + 2 * SZ_1M;
	vmemmap_reservation = linmm_host_reserve(vmemmap_window_size, &err);
	vmemmap_window = (void *)ALIGN((uintptr_t)vmemmap_reservation, (uintptr_t)(2 * SZ_1M));
	if (!vmemmap_reservation) {
		linmm_set_error("the host refused to reserve %llu MiB of address space for the vmemmap",
				(unsigned long long)(vmemmap_window_size >> 20));
		return err ? err : -ENOMEM;
	}
	vmemmap = vmemmap_window;

	/* memory_present(): one pass over memblock.memory, section by section. */
	const struct memblock_type *t = &memblock.memory;

	for (unsigned long i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];
		unsigned long s = pfn_to_section_nr(PFN_DOWN(r->base));
		unsigned long e = pfn_to_section_nr(PFN_UP(r->base + r->size) - 1);

		for (nr = s; nr <= e; nr++) {
			int ret;

			if (nr < last && last)
				continue;
			ret = sparse_populate_section(nr, r->nid);
			if (ret) {
				linmm_set_error("could not allocate the memmap of section %lu (%d)", nr, ret);
				return ret;
			}
			last = nr + 1;
		}
	}
	return 0;
}

void sparse_teardown(void)
{
	if (mem_section) {
		for (unsigned long r = 0; r < nr_section_roots; r++) {
			if (!mem_section[r])
				continue;
			for (unsigned long i = 0; i < SECTIONS_PER_ROOT; i++)
				linmm_host_free(mem_section[r][i].pageblock_flags);
			linmm_host_free(mem_section[r]);
		}
		linmm_host_free(mem_section);
	}
	if (vmemmap_reservation)
		linmm_host_release(vmemmap_reservation, vmemmap_window_size);
	mem_section = NULL;
	vmemmap_reservation = NULL;
	vmemmap_window = NULL;
	vmemmap_window_size = 0;
	nr_mem_sections = nr_section_roots = 0;
	memmap_pages_total = 0;
	vmemmap = NULL;
}
