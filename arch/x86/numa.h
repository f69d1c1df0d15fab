/* SPDX-License-Identifier: MIT */
/* numa.h - NUMA node discovery (arch/x86/mm/numa.c, srat.c). Internal. */
#ifndef LINMM_ARCH_X86_NUMA_H
#define LINMM_ARCH_X86_NUMA_H

#include <linmm/types.h>

#include "kernel/machine.h"

/* Physical span of each node: [numa_node_start[n], numa_node_end[n]). */
extern phys_addr_t numa_node_start[];
extern phys_addr_t numa_node_end[];

/*
 * numa_init - split RAM into nodes, tag memblock.memory with node ids, print
 * the SRAT (or "No NUMA configuration found"/"Faking a node") lines.
 * Return: 0, or -EINVAL with linmm_set_error() when a node would be empty.
 */
int __must_check numa_init(const struct linmm_boot_params *bp);
void numa_teardown(void);

#endif /* LINMM_ARCH_X86_NUMA_H */
