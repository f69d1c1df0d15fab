/* SPDX-License-Identifier: MIT */
/*
 * memblock.h - the boot-time memory allocator (mm/memblock.c).
 *
 * Two sorted, non-overlapping, merged region arrays: `memblock.memory`
 * (all RAM the firmware reported) and `memblock.reserved` (what boot code
 * claimed: the first 1 MiB, the kernel image, memmap, node data...).  Free
 * memory is memory minus reserved.  Allocations search free ranges top-down
 * below `current_limit` (max_low_pfn on 32-bit) and reserve what they return.
 * The arrays start with INIT_MEMBLOCK_REGIONS entries and double on demand.
 */
#ifndef LINMM_MEMBLOCK_H
#define LINMM_MEMBLOCK_H

#include <linmm/types.h>

#define INIT_MEMBLOCK_REGIONS 128
#define NUMA_NO_NODE (-1)
#define MEMBLOCK_ALLOC_ACCESSIBLE 0
#define MEMBLOCK_ALLOC_ANYWHERE (~(phys_addr_t)0)

enum memblock_flags {
	MEMBLOCK_NONE = 0x0,
	MEMBLOCK_HOTPLUG = 0x1,
	MEMBLOCK_MIRROR = 0x2,
	MEMBLOCK_NOMAP = 0x4,
	MEMBLOCK_DRIVER_MANAGED = 0x8,
	MEMBLOCK_RSRV_NOINIT = 0x10,
};

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
	enum memblock_flags flags;
	int nid;
};

struct memblock_type {
	unsigned long cnt;
	unsigned long max;
	phys_addr_t total_size;
	struct memblock_region *regions;
	const char *name;
};

struct memblock {
	bool bottom_up;
	phys_addr_t current_limit;
	struct memblock_type memory;
	struct memblock_type reserved;
};

extern struct memblock memblock;

void memblock_init(void);
void memblock_teardown(void);
int __must_check memblock_add(phys_addr_t base, phys_addr_t size);
int __must_check memblock_add_node(phys_addr_t base, phys_addr_t size, int nid,
				   enum memblock_flags flags);
int __must_check memblock_remove(phys_addr_t base, phys_addr_t size);
int __must_check memblock_reserve(phys_addr_t base, phys_addr_t size);
int __must_check memblock_phys_free(phys_addr_t base, phys_addr_t size);
int __must_check memblock_set_node(phys_addr_t base, phys_addr_t size, int nid);
void memblock_trim_memory(phys_addr_t align);
void memblock_set_current_limit(phys_addr_t limit);

/*
 * memblock_phys_alloc_range - allocate and reserve @size bytes aligned to @align
 * within [@start, @end) on node @nid (NUMA_NO_NODE: any node; falls back to
 * any node if @nid has no room).  @end of MEMBLOCK_ALLOC_ACCESSIBLE means
 * current_limit.  Return: physical address, or 0 on failure.
 */
phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align,
				      phys_addr_t start, phys_addr_t end, int nid);
phys_addr_t memblock_phys_alloc_try_nid(phys_addr_t size, phys_addr_t align, int nid);
/* As above but returns the zeroed direct-map address (NULL on failure). */
void *memblock_alloc_try_nid(phys_addr_t size, phys_addr_t align, int nid);

phys_addr_t memblock_phys_mem_size(void);
phys_addr_t memblock_reserved_size(void);
phys_addr_t memblock_start_of_DRAM(void);
phys_addr_t memblock_end_of_DRAM(void);
bool memblock_is_memory(phys_addr_t addr);
bool memblock_is_reserved(phys_addr_t addr);
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size);
/* Number of pages of [start_pfn, end_pfn) that are in memblock.memory (on @nid, or any). */
unsigned long memblock_present_pages(unsigned long start_pfn, unsigned long end_pfn, int nid);

/*
 * Iterate over free ranges (memory minus reserved) in ascending order:
 *   u64 i = 0; phys_addr_t s, e; int nid;
 *   while (memblock_next_free_range(&i, &s, &e, &nid)) ...
 */
bool memblock_next_free_range(u64 *idx, phys_addr_t *start, phys_addr_t *end, int *nid);

/* Check the region arrays are sorted, non-overlapping and merged. Return 0 or -EINVAL. */
int validate_memblock(void);

#endif /* LINMM_MEMBLOCK_H */
