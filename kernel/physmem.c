/* SPDX-License-Identifier: MIT */
/*
 * physmem.c - simulated RAM objects (see kernel/physmem.h).
 */
#include <stdio.h>

#include "kernel/host.h"
#include "kernel/machine.h"
#include "kernel/physmem.h"

struct linmm_node_ram node_ram[MAX_NUMNODES];

int physmem_node_init(int nid, phys_addr_t base, u64 size)
{
	char name[32];
	int fd = -1;

	if (boot_params.backing == LINMM_BACKING_MEMFD) {
		snprintf(name, sizeof(name), "linmm-node%d", nid);
		fd = linmm_host_memfd(name, size);
		if (fd < 0)
			return fd;
	}
	node_ram[nid] = (struct linmm_node_ram){ fd, base, size };
	return 0;
}

int physmem_node_grow(int nid, phys_addr_t end)
{
	struct linmm_node_ram *r = &node_ram[nid];
	int ret;

	if (end <= r->base + r->size)
		return 0;
	if (r->fd < 0) {
		r->size = end - r->base;
		return 0;
	}
	ret = linmm_host_memfd_resize(r->fd, end - r->base);
	if (ret)
		return ret;
	r->size = end - r->base;
	return 0;
}

int physmem_map(void *addr, int nid, phys_addr_t phys, u64 size)
{
	const struct linmm_node_ram *r = &node_ram[nid];

	if (phys < r->base || phys + size > r->base + r->size)
		return -EINVAL;
	if (r->fd < 0)
		return linmm_host_map_anon(addr, size, LINMM_PROT_RW);
	return linmm_host_map_fd(addr, size, r->fd, phys - r->base, LINMM_PROT_RW);
}

void physmem_teardown(void)
{
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		if (node_ram[nid].fd >= 0 && node_ram[nid].size)
			linmm_host_close(node_ram[nid].fd);
		node_ram[nid] = (struct linmm_node_ram){ -1, 0, 0 };
	}
}
