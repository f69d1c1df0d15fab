/* SPDX-License-Identifier: MIT */
/*
 * ioport.h - the physical resource tree behind /proc/iomem
 * (include/linux/ioport.h, kernel/resource.c), and the layout of the
 * simulated kernel image.
 */
#ifndef LINMM_IOPORT_H
#define LINMM_IOPORT_H

#include <linmm/types.h>

struct linmm_arch;

/*
 * The simulated kernel image in physical memory (System.map order):
 * .text at arch->kernel_start, .rodata at the next 2 MiB boundary, .data at
 * the next 2 MiB boundary, then .init (freed after boot) and .bss at the
 * next page boundaries.  Sizes come from the arch model.
 */
struct linmm_kernel_image {
	phys_addr_t start, end;			/* whole image [start, end) */
	phys_addr_t code_start, code_end;
	phys_addr_t rodata_start, rodata_end;
	phys_addr_t data_start, data_end;
	phys_addr_t init_start, init_end;
	phys_addr_t bss_start, bss_end;
};

void linmm_kernel_image_layout(const struct linmm_arch *arch, struct linmm_kernel_image *img);

struct resource {
	u64 start, end;		/* inclusive end, as the kernel */
	const char *name;
	unsigned long flags;
	struct resource *parent, *sibling, *child;
};

/*
 * e820__reserve_resources - build /proc/iomem from the e820 table and the
 * kernel image ("System RAM", "Reserved", "Kernel code", ...).
 * Context: boot, after e820 and memblock setup.  Return: 0 or -ENOMEM.
 */
int __must_check e820__reserve_resources(void);
/* Insert [start, end] named @name under the deepest resource containing it. 0 or -errno. */
int __must_check insert_resource_named(u64 start, u64 end, const char *name);
/* Free the whole tree (shutdown). Safe when empty. */
void iomem_teardown(void);

#endif /* LINMM_IOPORT_H */
