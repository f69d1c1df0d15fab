/* SPDX-License-Identifier: MIT */
/*
 * memory_hotplug.h - adding memory to a running machine and taking it
 * away again (include/linux/memory_hotplug.h, mm/memory_hotplug.c,
 * drivers/base/memory.c).
 *
 * Memory comes and goes in memory blocks of memory_block_size_bytes()
 * (one 128 MiB section on x86_64), as through
 * /sys/devices/system/memory/memoryN/state:
 *
 *   add_memory(nid, start, size)          sections present, memmap allocated,
 *                                         "System RAM" in /proc/iomem; offline
 *   memory_block_online(N, MMOP_ONLINE)   pages join a zone and the buddy
 *   memory_block_offline(N)               free pages leave it again (-EBUSY
 *                                         if any page is in use: no migration)
 *
 * Only 64-bit SPARSEMEM machines hot-plug memory (the kernel's
 * MEMORY_HOTPLUG depends on 64BIT and SPARSEMEM).
 */
#ifndef LINMM_MEMORY_HOTPLUG_H
#define LINMM_MEMORY_HOTPLUG_H

#include <linmm/mmzone.h>
#include <linmm/types.h>

typedef int mhp_t;
#define MHP_NONE 0

/* Online types (the words of memoryN/state and memhp_default_state=). */
enum {
	MMOP_OFFLINE,
	MMOP_ONLINE,		/* the zone the range belongs to, else ZONE_NORMAL */
	MMOP_ONLINE_KERNEL,	/* a kernel zone (DMA..NORMAL) */
	MMOP_ONLINE_MOVABLE,	/* ZONE_MOVABLE */
};

/* Bytes per memory block (memory_block_size_bytes()). */
unsigned long memory_block_size_bytes(void);

/* The memory block holding physical address @phys (memoryN). */
static inline unsigned long phys_to_block_id(phys_addr_t phys)
{
	return (unsigned long)(phys / memory_block_size_bytes());
}

/*
 * add_memory - make [@start, @start + @size) present RAM of node @nid,
 * offline.  Both must be multiples of memory_block_size_bytes().
 * Return: 0; -EINVAL (misaligned, bad node); -EEXIST (range already in
 * /proc/iomem); -E2BIG (beyond what the direct map can hold); -ENOMEM;
 * -EOPNOTSUPP (32-bit or FLATMEM machine).
 */
int add_memory(int nid, u64 start, u64 size, mhp_t mhp_flags);

/*
 * memory_block_online - online memory block @block_id into the zone
 * @online_type selects (never MMOP_OFFLINE).
 * Return: 0; -EINVAL (no such block, already online, bad type).
 */
int memory_block_online(unsigned long block_id, int online_type);

/*
 * memory_block_offline - offline memory block @block_id.
 * Return: 0; -EINVAL (no such block, not online); -EBUSY (pages in use).
 */
int memory_block_offline(unsigned long block_id);

/* Is memory block @block_id present (added) / online? */
bool memory_block_present(unsigned long block_id);
bool memory_block_is_online(unsigned long block_id);

/* The zone @online_type puts [start_pfn, start_pfn + nr_pages) of @nid into. */
struct zone *zone_for_pfn_range(int online_type, int nid, unsigned long start_pfn,
				unsigned long nr_pages);

/*
 * online_pages / offline_pages - the kernel's primitives under the memory
 * block operations: @start_pfn pageblock-aligned, the end section-aligned.
 */
int online_pages(unsigned long pfn, unsigned long nr_pages, struct zone *zone);
int offline_pages(unsigned long start_pfn, unsigned long nr_pages);

/* The page of @pfn if its section is online, else NULL. */
struct page *pfn_to_online_page(unsigned long pfn);

#endif /* LINMM_MEMORY_HOTPLUG_H */
