/* SPDX-License-Identifier: MIT */
/*
 * init.c - the direct map and zone limits (arch/x86/mm/init.c, init_64.c,
 * init_32.c).
 *
 * The direct map is one host reservation of `direct_map_size` bytes; RAM
 * below direct_map_end (all RAM on x86_64, lowmem on x86_32) is mapped into
 * it range by range with init_memory_mapping(), which prints the kernel's
 * "init_memory_mapping: [mem ...]" line.  Past the boot RAM the window keeps
 * room for memory hot-added later (x86_64: 64 GiB more, within the
 * arch's physical address width).
 */
#include <linmm/memblock.h>
#include <linmm/mm.h>
#include <linmm/printk.h>

#include "arch/arch.h"
#include "kernel/host.h"
#include "kernel/machine.h"
#include "kernel/physmem.h"
#include "mm/internal.h"

char *linmm_direct_map;
phys_addr_t direct_map_end;
static u64 direct_map_size;

#define HOTPLUG_HEADROOM (64 * SZ_1G)

int init_direct_map_window(void)
{
	int err = 0;
	u64 limit = 1ULL << linmm_arch->max_physmem_bits;

	if (linmm_arch->lowmem_limit) {
		direct_map_size = linmm_arch->lowmem_limit;
		direct_map_end = min((phys_addr_t)PFN_PHYS(max_pfn), linmm_arch->lowmem_limit);
	} else {
		direct_map_size = min(PFN_PHYS(max_pfn) + HOTPLUG_HEADROOM, limit);
		direct_map_end = PFN_PHYS(max_pfn);
	}
	linmm_direct_map = linmm_host_reserve(direct_map_size, &err);
	if (!linmm_direct_map) {
		linmm_set_error("the host refused to reserve %llu MiB of address space for the "
				"direct map (%d)", (unsigned long long)(direct_map_size >> 20), err);
		return err ? err : -ENOMEM;
	}
	return 0;
}

u64 direct_map_window_size(void)
{
	return direct_map_size;
}

int init_memory_mapping(phys_addr_t start, phys_addr_t end, int nid)
{
	int ret;

	if (end > direct_map_size)
		return -E2BIG;
	pr_info("init_memory_mapping: [mem %#010llx-%#010llx]\n", (unsigned long long)start,
		(unsigned long long)(end - 1));
	ret = physmem_map(linmm_direct_map + start, nid, start, end - start);
	if (ret) {
		linmm_set_error("the host refused to map simulated RAM [%#llx-%#llx] (%d)",
				(unsigned long long)start, (unsigned long long)end, ret);
		return ret;
	}
	/* At boot init_mm_init() describes the ranges once the tables can be written. */
	return init_mm.pgd ? kernel_physical_mapping_init(start, end) : 0;
}

/* Map every memblock.memory range below direct_map_end (init_mem_mapping). */
int init_mem_mapping(void)
{
	const struct memblock_type *t = &memblock.memory;

	for (unsigned long i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];
		phys_addr_t s = r->base, e = min(r->base + r->size, direct_map_end);
		int ret;

		if (s >= e)
			continue;
		ret = init_memory_mapping(s, e, r->nid);
		if (ret)
			return ret;
	}
	return 0;
}

void direct_map_teardown(void)
{
	if (linmm_direct_map)
		linmm_host_release(linmm_direct_map, direct_map_size);
	linmm_direct_map = NULL;
	direct_map_end = 0;
	direct_map_size = 0;
}

/* zone_sizes_init(): the highest pfn each zone may reach. */
void zone_sizes_init(unsigned long *max_zone_pfns)
{
	for (int i = 0; i < MAX_NR_ZONES; i++)
		max_zone_pfns[i] = 0;
	max_zone_pfns[ZONE_DMA] = min(PHYS_PFN(linmm_arch->max_dma_phys), max_pfn);
	if (arch_zone_configured(ZONE_DMA32))
		max_zone_pfns[ZONE_DMA32] = min(PHYS_PFN(linmm_arch->max_dma32_phys), max_pfn);
	max_zone_pfns[ZONE_NORMAL] = max_low_pfn;
	if (arch_zone_configured(ZONE_HIGHMEM))
		max_zone_pfns[ZONE_HIGHMEM] = max_pfn;
	if (!linmm_arch->lowmem_limit)
		max_zone_pfns[ZONE_NORMAL] = max_pfn;
}

#define MLK(b, t) (unsigned long long)(b), (unsigned long long)(t), (unsigned long long)(((t) - (b)) >> 10)
#define MLM(b, t) (unsigned long long)(b), (unsigned long long)(t), (unsigned long long)(((t) - (b)) >> 20)

/* x86_32 mem_init(): the "virtual kernel memory layout" table (windows from kernel_layout). */
void print_virtual_kernel_memory_layout(void)
{
	const struct linmm_arch *a = linmm_arch;
	const struct kernel_vm_layout *l = &kernel_layout;
	const u64 text = a->page_offset + a->kernel_start;
	const u64 text_end = text + a->kernel_code_k * 1024;
	const u64 rodata_end = ALIGN(text_end, SZ_4K) + a->kernel_rodata_k * 1024;
	const u64 data_end = ALIGN(rodata_end, SZ_4K) + a->kernel_rwdata_k * 1024;
	const u64 init_end = ALIGN(data_end, SZ_4K) + a->kernel_init_k * 1024;

	if (a->bits != 32)
		return;
	pr_info("virtual kernel memory layout:\n");
	pr_info("    fixmap  : 0x%08llx - 0x%08llx   (%4lld kB)\n", MLK(l->fixaddr_start, l->fixaddr_top));
	pr_info("  cpu_entry : 0x%08llx - 0x%08llx   (%4lld kB)\n",
		MLK(l->cpu_entry_area_base, l->cpu_entry_area_base + l->cpu_entry_area_map_size));
	pr_info("    pkmap   : 0x%08llx - 0x%08llx   (%4lld kB)\n", MLK(l->pkmap_base, PKMAP_ADDR(LAST_PKMAP)));
	pr_info("    vmalloc : 0x%08llx - 0x%08llx   (%4lld MB)\n", MLM(l->vmalloc_start, l->vmalloc_end));
	pr_info("    lowmem  : 0x%08llx - 0x%08llx   (%4lld MB)\n", MLM(a->page_offset, l->high_memory));
	pr_info("      .init : 0x%08llx - 0x%08llx   (%4lld kB)\n", MLK(ALIGN(data_end, SZ_4K), init_end));
	pr_info("      .data : 0x%08llx - 0x%08llx   (%4lld kB)\n", MLK(ALIGN(text_end, SZ_4K), data_end));
	pr_info("      .text : 0x%08llx - 0x%08llx   (%4lld kB)\n", MLK(text, text_end));
}
