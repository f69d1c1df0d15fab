/* SPDX-License-Identifier: MIT */
/*
 * ioport.h - the physical address resource tree behind /proc/iomem
 * (include/linux/ioport.h, kernel/resource.c).
 *
 * A resource is an inclusive range [start, end] with a name; children nest
 * inside their parent and siblings are sorted and never overlap.  The root
 * is iomem_resource, covering the arch's physical address space.  At boot
 * the firmware map becomes "System RAM", "Reserved", "ACPI Tables", ...
 * entries and the kernel image ("Kernel code", "Kernel rodata",
 * "Kernel data", "Kernel bss") nests inside the System RAM that holds it:
 *
 *   00100000-3fffffff : System RAM
 *     01000000-0220b7ff : Kernel code
 *     02400000-02e09fff : Kernel rodata
 *
 * Boot builds the tree in one call, e820__reserve_resources(), in the
 * kernel's order (image first, firmware map around it, deferred reserved
 * ranges last).  Memory hotplug adds its "System RAM" with
 * __request_region() and gives it back with __release_region().
 */
#ifndef LINMM_IOPORT_H
#define LINMM_IOPORT_H

#include <linmm/seq_file.h>
#include <linmm/types.h>

struct linmm_arch;

typedef u64 resource_size_t;

#define IORESOURCE_MEM 0x00000200UL
#define IORESOURCE_SYSRAM 0x01000000UL
#define IORESOURCE_BUSY 0x80000000UL
#define IORESOURCE_SYSTEM_RAM (IORESOURCE_MEM | IORESOURCE_SYSRAM)

struct resource {
	resource_size_t start;
	resource_size_t end;		/* inclusive */
	const char *name;
	unsigned long flags;
	struct resource *parent, *sibling, *child;
};

extern struct resource iomem_resource;

static inline resource_size_t resource_size(const struct resource *res)
{
	return res->end - res->start + 1;
}

/*
 * request_resource - insert @new as a child of @root if it overlaps no child.
 * Context: takes resource_lock.
 * Return: 0, or -EBUSY (overlap, or @new not inside @root).
 */
int __must_check request_resource(struct resource *root, struct resource *new);
/*
 * insert_resource - insert @new below @parent, descending into a child that
 * contains it and adopting the children it contains.
 * Return: 0, or -EBUSY when @new partly overlaps a resource.
 */
int __must_check insert_resource(struct resource *parent, struct resource *new);
/* release_resource - unlink @old (it must have no children).  Return 0 or -EINVAL. */
int release_resource(struct resource *old);

/*
 * __request_region - claim [@start, @start + @n) under @parent with a new
 * resource named @name (flags | IORESOURCE_BUSY), nesting inside non-busy
 * resources that contain it.
 * Return: the resource, or NULL (overlap with a busy region, or no room in
 * the resource pool).
 */
struct resource *__request_region(struct resource *parent, resource_size_t start,
				  resource_size_t n, const char *name, unsigned long flags);
/* __release_region - release the busy region that exactly covers [@start, @start + @n). */
void __release_region(struct resource *parent, resource_size_t start, resource_size_t n);
#define request_mem_region(start, n, name) \
	__request_region(&iomem_resource, (start), (n), (name), IORESOURCE_MEM)
#define release_mem_region(start, n) __release_region(&iomem_resource, (start), (n))

/*
 * reserve_region_with_split - claim [@start, @end] named @name wherever it is
 * still free at @root's level, split around what is already there.
 */
void reserve_region_with_split(struct resource *root, resource_size_t start,
			       resource_size_t end, const char *name);

/*
 * The simulated kernel image in physical memory (System.map order), each
 * range [start, end): .text at arch->kernel_start, .rodata and .data each at
 * the next 2 MiB boundary on 64-bit (the next page on 32-bit, whose linker
 * script does not align them to large pages), then .init (freed after boot)
 * and .bss at the next page boundaries, sized by the arch's kernel_*_k
 * numbers.  [start, end) is the whole image, which boot reserves in memblock.
 */
struct linmm_kernel_image {
	phys_addr_t start, end;			/* whole image [start, end) */
	phys_addr_t code_start, code_end;
	phys_addr_t rodata_start, rodata_end;
	phys_addr_t data_start, data_end;
	phys_addr_t init_start, init_end;
	phys_addr_t bss_start, bss_end;
};

/* linmm_kernel_image_layout - fill @img for @arch.  Context: any (pure). */
void linmm_kernel_image_layout(const struct linmm_arch *arch, struct linmm_kernel_image *img);

/*
 * e820__reserve_resources - build /proc/iomem: empty the tree, insert the
 * kernel image ("Kernel code/rodata/data/bss"), then one resource per e820
 * entry ("System RAM", "Reserved", "ACPI Tables", ...), which adopts the
 * image resources it contains, then the deferred reserved ranges above
 * 1 MiB and the "RAM buffer" gaps after RAM (e820__reserve_resources_late).
 * Context: boot, after the e820 table is final.
 * Return: 0, or -ENOMEM when the resource pool is exhausted.
 */
int __must_check e820__reserve_resources(void);
/*
 * insert_resource_named - insert [@start, @end] named @name (busy memory)
 * under the deepest resource containing it.
 * Return: 0, -EBUSY (partial overlap) or -ENOMEM (resource pool exhausted).
 */
int __must_check insert_resource_named(u64 start, u64 end, const char *name);
/* iomem_teardown - empty the tree and return every resource to the pool (shutdown). */
void iomem_teardown(void);

/* iomem_show - /proc/iomem: "%0*llx-%0*llx : %s", two spaces per nesting level. */
void iomem_show(struct seq_file *m);

#endif /* LINMM_IOPORT_H */
