/* SPDX-License-Identifier: MIT */
/*
 * physmem.h - simulated RAM: the host objects that hold it and the
 * mappings that make it addressable (internal).
 *
 * Each node's RAM is one memfd whose offset 0 is the node's first physical
 * byte (node_ram[nid].base); holes inside a node's span are never touched
 * and cost nothing.  physmem_map() maps physical RAM at any host address
 * inside a reservation - the direct map, the vmemmap and (later) vmalloc,
 * kmap and user mappings are all such views of the same pages.
 * With backing=none RAM is anonymous memory: each view is private, so views
 * do not alias (metadata-only machines never look at page contents).
 */
#ifndef LINMM_KERNEL_PHYSMEM_H
#define LINMM_KERNEL_PHYSMEM_H

#include <linmm/mmzone.h>

struct linmm_node_ram {
	int fd;			/* memfd, -1 with backing=none */
	phys_addr_t base;	/* physical address of memfd offset 0 */
	u64 size;		/* memfd size */
};

extern struct linmm_node_ram node_ram[MAX_NUMNODES];

/* Create node @nid's RAM object covering [base, base + size). Return 0 or -errno. */
int __must_check physmem_node_init(int nid, phys_addr_t base, u64 size);
/* Grow node @nid's RAM object so it covers up to @end (memory hotplug). */
int __must_check physmem_node_grow(int nid, phys_addr_t end);
/* Map physical [phys, phys + size) of node @nid at host address @addr. Return 0 or -errno. */
int __must_check physmem_map(void *addr, int nid, phys_addr_t phys, u64 size);
void physmem_teardown(void);

#endif /* LINMM_KERNEL_PHYSMEM_H */
