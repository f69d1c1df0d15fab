/* SPDX-License-Identifier: MIT */
/*
 * arch.h - architecture models as data.
 *
 * An arch model is a table of numbers the rest of linmm reads: physical
 * address width, section size, zone boundaries, the kernel's virtual layout
 * (used to show addresses as Linux shows them) and the size of the simulated
 * kernel image.  Page-table formats join this table with the MMU.
 *
 *   x86_64       4-level, 46-bit phys, 128 MiB sections, DMA < 16M,
 *                DMA32 < 4G, Normal; all RAM direct-mapped at 0xffff888000000000
 *   x86_32       2-level, 32-bit phys, 3G/1G split: lowmem < 896 MiB
 *                direct-mapped at 0xc0000000, HighMem above
 *   x86_32-pae   as x86_32 with 3-level tables and 36-bit phys
 */
#ifndef LINMM_ARCH_H
#define LINMM_ARCH_H

#include <linmm/types.h>

enum linmm_memory_model {
	LINMM_FLATMEM,
	LINMM_SPARSEMEM_VMEMMAP,
};

struct linmm_arch {
	const char *name;
	int bits;			/* 64 or 32 */
	int pgtable_levels;
	int max_physmem_bits;
	int section_size_bits;
	phys_addr_t max_dma_phys;	/* end of ZONE_DMA */
	phys_addr_t max_dma32_phys;	/* end of ZONE_DMA32, 0 if not configured */
	phys_addr_t lowmem_limit;	/* end of direct map, 0: all RAM */
	unsigned int zones_configured;	/* BIT(ZONE_*) */
	u64 page_offset;		/* virtual address of physical 0 */
	u64 vmalloc_start, vmalloc_end;
	u64 vmemmap_base;
	enum linmm_memory_model default_model;
	bool numa;			/* NUMA configured (x86_64) */
	phys_addr_t kernel_start;	/* CONFIG_PHYSICAL_START */
	/* Simulated kernel image, KiB, as "Memory:" prints them. */
	unsigned long kernel_code_k, kernel_rwdata_k, kernel_rodata_k, kernel_init_k, kernel_bss_k;
};

extern const struct linmm_arch arch_x86_64;
extern const struct linmm_arch arch_x86_32;
extern const struct linmm_arch arch_x86_32_pae;

/* The running machine's arch model (valid between boot and shutdown). */
extern const struct linmm_arch *linmm_arch;

const struct linmm_arch *linmm_arch_find(const char *name);

static inline bool arch_zone_configured(int zone_idx)
{
	return linmm_arch->zones_configured & (1u << zone_idx);
}

/* HAVE_ARCH_TRANSPARENT_HUGEPAGE: x86_64 and PAE, whose PMD maps 2 MiB. */
static inline bool arch_has_transparent_hugepage(void)
{
	return linmm_arch->bits == 64 || linmm_arch->pgtable_levels == 3;
}

/* HPAGE_PMD_NR: base pages per PMD-mapped huge page (512, or 1024 on 2-level x86_32). */
static inline unsigned long arch_hpage_pmd_nr(void)
{
	return linmm_arch->pgtable_levels == 2 ? 1024 : 512;
}

#endif /* LINMM_ARCH_H */
