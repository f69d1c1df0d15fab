/* SPDX-License-Identifier: MIT */
/*
 * vmalloc.h - virtually contiguous kernel memory (mm/vmalloc.c).
 *
 * Mirrors include/linux/vmalloc.h.  vmalloc() maps scattered physical
 * pages at consecutive addresses of the vmalloc window, a host reservation
 * standing for the arch's VMALLOC_START..VMALLOC_END; every area is followed
 * by an unmapped guard page that really faults.  Pointers returned are
 * usable host pointers; reports show them in the arch's layout.
 */
#ifndef LINMM_VMALLOC_H
#define LINMM_VMALLOC_H

#include <linmm/gfp.h>
#include <linmm/types.h>

/* vm_struct flags (the kernel's values). */
#define VM_IOREMAP		0x00000001
#define VM_ALLOC		0x00000002
#define VM_MAP			0x00000004
#define VM_USERMAP		0x00000008
#define VM_DMA_COHERENT		0x00000010
#define VM_UNINITIALIZED	0x00000020
#define VM_NO_GUARD		0x00000040
#define VM_KASAN		0x00000080
#define VM_FLUSH_RESET_PERMS	0x00000100
#define VM_MAP_PUT_PAGES	0x00000200
#define VM_ALLOW_HUGE_VMAP	0x00000400

struct page;

/**
 * struct vm_struct - one vmalloc/vmap area (include/linux/vmalloc.h).
 * @next:	unused (the kernel's early vmlist)
 * @addr:	first byte (host pointer; reports show the arch's kva)
 * @size:	bytes including the guard page (unless VM_NO_GUARD)
 * @flags:	VM_*
 * @pages:	the pages mapped (vmalloc; vmap with VM_MAP_PUT_PAGES), or NULL
 * @nr_pages:	entries of @pages
 * @phys_addr:	ioremap only
 * @caller:	return address of the allocating call (vmallocinfo's %pS)
 */
struct vm_struct {
	struct vm_struct *next;
	void *addr;
	unsigned long size;
	unsigned long flags;
	struct page **pages;
	unsigned int nr_pages;
	phys_addr_t phys_addr;
	const void *caller;
};

/* The vm_struct of the area starting at @addr (vmalloc or vmap), or NULL. */
struct vm_struct *find_vm_area(const void *addr);

void *vmalloc(unsigned long size);
void *vzalloc(unsigned long size);
void *vmalloc_node(unsigned long size, int node);
void *vzalloc_node(unsigned long size, int node);
void *vmalloc_user(unsigned long size);
void *vmalloc_huge(unsigned long size, gfp_t gfp_mask);
void *vmalloc_array(size_t n, size_t size);
void *vcalloc(size_t n, size_t size);
void *__vmalloc(unsigned long size, gfp_t gfp_mask);
void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp_mask, int node,
		     const void *caller);
void vfree(const void *addr);

/* vmap - map @count pages at consecutive addresses (VM_MAP). Return NULL on failure. */
void *vmap(struct page **pages, unsigned int count, unsigned long flags, pgprot_t prot);
void vunmap(const void *addr);
void *vm_map_ram(struct page **pages, unsigned int count, int node);
void vm_unmap_ram(const void *mem, unsigned int count);

bool is_vmalloc_addr(const void *x);
struct page *vmalloc_to_page(const void *addr);
unsigned long vmalloc_to_pfn(const void *addr);
/* Purge lazily freed areas now (the kernel's vm_unmap_aliases()). */
void vm_unmap_aliases(void);

#endif /* LINMM_VMALLOC_H */
