/* SPDX-License-Identifier: MIT */
/*
 * arch.c - the x86 arch models (arch/x86/include/asm/page_*_types.h,
 * pgtable_*_types.h, sparsemem.h and arch/x86/mm/init.c:zone_sizes_init()).
 *
 * The kernel image sizes for x86_64 are those a 6.18 x86_64 kernel reports
 * in its "Memory:" boot line; the 32-bit image is a typical i386 defconfig.
 */
#include "arch/arch.h"

#include <string.h>

#include <linmm/mmzone.h>

const struct linmm_arch *linmm_arch;

const struct linmm_arch arch_x86_64 = {
	.name = "x86_64",
	.bits = 64,
	.pgtable_levels = 4,
	.max_physmem_bits = 46,
	.section_size_bits = 27,
	.max_dma_phys = SZ_16M,
	.max_dma32_phys = SZ_4G,
	.lowmem_limit = 0,
	.zones_configured = BIT(ZONE_DMA) | BIT(ZONE_DMA32) | BIT(ZONE_NORMAL) |
			    BIT(ZONE_MOVABLE) | BIT(ZONE_DEVICE),
	.page_offset = 0xffff888000000000ULL,
	.vmalloc_start = 0xffffc90000000000ULL,
	.vmalloc_end = 0xffffe8ffffffffffULL,
	.vmemmap_base = 0xffffea0000000000ULL,
	.default_model = LINMM_SPARSEMEM_VMEMMAP,
	.numa = true,
	.kernel_start = 0x1000000,
	.kernel_code_k = 18478,
	.kernel_rwdata_k = 2544,
	.kernel_rodata_k = 10280,
	.kernel_init_k = 3728,
	.kernel_bss_k = 1168,
};

/* What the two 32-bit models share: the 3G/1G split, lowmem and HighMem. */
#define X86_32_COMMON							\
	.bits = 32,							\
	.max_dma_phys = SZ_16M,						\
	.max_dma32_phys = 0,						\
	.lowmem_limit = 896 * SZ_1M,					\
	.zones_configured = BIT(ZONE_DMA) | BIT(ZONE_NORMAL) |		\
			    BIT(ZONE_HIGHMEM) | BIT(ZONE_MOVABLE),	\
	.page_offset = 0xc0000000ULL,					\
	/* vmalloc follows high_memory: computed at boot (kernel_layout) */ \
	.vmalloc_start = 0,						\
	.vmalloc_end = 0,						\
	.vmemmap_base = 0,						\
	.default_model = LINMM_FLATMEM,					\
	.numa = false,							\
	.kernel_start = 0x1000000,					\
	.kernel_code_k = 10240,						\
	.kernel_rwdata_k = 1536,					\
	.kernel_rodata_k = 3072,					\
	.kernel_init_k = 1024,						\
	.kernel_bss_k = 1024

const struct linmm_arch arch_x86_32 = {
	X86_32_COMMON,
	.name = "x86_32",
	.pgtable_levels = 2,
	.max_physmem_bits = 32,
	.section_size_bits = 26,
};

const struct linmm_arch arch_x86_32_pae = {
	X86_32_COMMON,
	.name = "x86_32-pae",
	.pgtable_levels = 3,
	.max_physmem_bits = 36,
	.section_size_bits = 29,
};

const struct linmm_arch *linmm_arch_find(const char *name)
{
	static const struct linmm_arch *const all[] = { &arch_x86_64, &arch_x86_32, &arch_x86_32_pae };

	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}
