// SPDX-License-Identifier: MIT
/*
 * vmalloc_debug.c - /proc/vmallocinfo and vmalloc's invariant checker
 * (the kernel's vmalloc_info_show()/s_show() in mm/vmalloc.c; the checker
 * is linmm's, in the spirit of the kernel's CONFIG_DEBUG_VM checks).
 *
 * Both read the vmap_area trees and lists of mm/vmalloc.c through
 * mm/vmalloc.h and change nothing:
 *
 *   VMALLOC_START                                       vmalloc_free_end
 *   |[busy]g[busy]g......[purge]g[busy]g....[vmap block]..............|
 *    vmallocinfo lines:  busy by address, then "unpurged vm_area"
 *    validate_vmalloc(): busy + free + purge cover it exactly
 *
 * Invariants checked (validate_vmalloc()): each tree is a valid red-black
 * tree whose in-order walk is its list; areas are page aligned, non-empty
 * and disjoint; free areas are never adjacent and carry the right
 * subtree_max_size; only the purge list holds VMAP_STALE areas;
 * vmap_lazy_nr and vmap_stale_nr match the purge list; every vmap block's
 * counts agree with its bitmap.
 *
 * Locks: each walk holds the lock of the tree it walks (vmap_area_lock,
 * free_vmap_area_lock, purge_vmap_area_lock, vmap_blocks_lock then each
 * vb->lock), one tree at a time, as mm/vmalloc.c orders them.
 */
#include <linmm/seq_file.h>

#include "arch/arch.h"
#include "kernel/host.h"
#include "mm/internal.h"
#include "mm/vmalloc.h"

/* ---- /proc/vmallocinfo ---- */

static void seq_kva_range(struct seq_file *m, u64 start, u64 end, u64 size)
{
	if (linmm_arch->bits == 64)
		seq_printf(m, "0x%016llx-0x%016llx %7lld", (unsigned long long)start,
			   (unsigned long long)end, (long long)size);
	else
		seq_printf(m, "0x%08llx-0x%08llx %7lld", (unsigned long long)start,
			   (unsigned long long)end, (long long)size);
}

static void show_numa_info(struct seq_file *m, const struct vm_struct *v)
{
	unsigned int counters[MAX_NUMNODES] = { 0 };

	if (!linmm_arch->numa || !v->nr_pages || (v->flags & VM_UNINITIALIZED))
		return;
	for (unsigned int i = 0; i < v->nr_pages; i++)
		counters[page_to_nid(v->pages[i])]++;
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		if (counters[nid])
			seq_printf(m, " N%d=%u", nid, counters[nid]);
}

/**
 * vmalloc_info_show - render /proc/vmallocinfo (the kernel's vmalloc_info_show/s_show)
 * @m: output
 *
 * One line per busy area by address, then the lazily freed ones:
 *   0xffffc90000000000-0xffffc90000002000    8192 func+0x1e/0x30 pages=1 vmalloc N0=1
 *   0xffffc90000004000-0xffffc90000005000    4096 vm_map_ram
 *   0xffffc90000006000-0xffffc90000008000    8192 unpurged vm_area
 *
 * Context: takes vmap_area_lock, then purge_vmap_area_lock.
 */
void vmalloc_info_show(struct seq_file *m)
{
	const struct vmap_area *va;
	char sym[256];

	spin_lock(&vmap_area_lock);
	list_for_each_entry(va, &vmap_area_list, list) {
		const struct vm_struct *v = va->vm;

		if (!v) {
			if (va->flags & VMAP_RAM) {
				seq_kva_range(m, va->va_start, va->va_end, va_size(va));
				seq_puts(m, " vm_map_ram\n");
			}
			continue;
		}
		if (v->flags & VM_UNINITIALIZED)
			continue;
		seq_kva_range(m, va->va_start, va->va_start + v->size, (u64)v->size);
		if (v->caller) {
			linmm_host_symbolize((unsigned long)v->caller, sym, sizeof(sym));
			seq_printf(m, " %s", sym);
		}
		if (v->nr_pages)
			seq_printf(m, " pages=%u", v->nr_pages);
		if (v->phys_addr)
			seq_printf(m, " phys=0x%0*llx", linmm_arch->bits == 64 ? 16 : 8,
				   (unsigned long long)v->phys_addr);
		if (v->flags & VM_IOREMAP)
			seq_puts(m, " ioremap");
		if (v->flags & VM_ALLOC)
			seq_puts(m, " vmalloc");
		if (v->flags & VM_MAP)
			seq_puts(m, " vmap");
		if (v->flags & VM_USERMAP)
			seq_puts(m, " user");
		if (v->flags & VM_DMA_COHERENT)
			seq_puts(m, " dma-coherent");
		if (v->pages && is_vmalloc_addr(v->pages))
			seq_puts(m, " vpages");
		show_numa_info(m, v);
		seq_putc(m, '\n');
	}
	spin_unlock(&vmap_area_lock);

	spin_lock(&purge_vmap_area_lock);
	list_for_each_entry(va, &purge_vmap_area_list, list) {
		seq_kva_range(m, va->va_start, va->va_end, va_size(va));
		seq_puts(m, " unpurged vm_area\n");
	}
	spin_unlock(&purge_vmap_area_lock);
}

/* ---- invariants ---- */

static unsigned long bitmap_weight(const u64 *map)
{
	unsigned long n = 0;

	for (size_t i = 0; i < VMAP_BBMAP_BITS_MAX / 64; i++)
		n += (unsigned long)__builtin_popcountll(map[i]);
	return n;
}

static int validate_tree(const struct rb_root *root, const struct list_head *head, bool augment,
			 u64 *bytes)
{
	const struct vmap_area *va, *prev = NULL;
	const struct rb_node *node = rb_first(root);

	if (rb_validate(root) < 0)
		return -EINVAL;
	list_for_each_entry(va, head, list) {
		if (&va->rb_node != node || va->va_start >= va->va_end ||
		    !IS_ALIGNED(va->va_start | va->va_end, PAGE_SIZE) ||
		    (prev && prev->va_end > va->va_start) ||
		    (augment && prev && prev->va_end == va->va_start) ||
		    (augment && va->subtree_max_size != compute_subtree_max_size(va)))
			return -EINVAL;
		*bytes += va_size(va);
		prev = va;
		node = rb_next(node);
	}
	return node ? -EINVAL : 0;
}

/* Every vmap block: a busy VMAP_BLOCK area of its size; used pages = bits - free - dirty. */
static int validate_vmap_blocks(void)
{
	int ret = 0;

	spin_lock(&vmap_blocks_lock);
	for (struct rb_node *n = rb_first(&vmap_blocks); n && !ret; n = rb_next(n)) {
		struct vmap_block *vb = rb_entry(n, struct vmap_block, rb);

		spin_lock(&vb->lock);
		if (vb->free + vb->dirty > vmap_bbmap_bits ||
		    bitmap_weight(vb->used_map) != vmap_bbmap_bits - vb->free - vb->dirty ||
		    !(vb->va->flags & VMAP_BLOCK) || RB_EMPTY_NODE(&vb->va->rb_node) ||
		    va_size(vb->va) != (u64)vmap_bbmap_bits << PAGE_SHIFT)
			ret = -EINVAL;
		spin_unlock(&vb->lock);
	}
	spin_unlock(&vmap_blocks_lock);
	return ret;
}

/**
 * validate_vmalloc - check the vmap_area trees
 *
 * Every tree is a valid red-black tree whose in-order walk is its list;
 * areas are page aligned and disjoint; free areas are never adjacent (they
 * are merged) and carry the right subtree_max_size; busy, free and purge
 * areas together cover the vmalloc area exactly; vmap_lazy_nr is the size
 * of the purge list and vmap_stale_nr that of its VMAP_STALE areas (which
 * only the purge list holds); every vmap block's counts agree with its
 * bitmap.
 *
 * Context: takes every vmalloc lock in turn; nothing may run concurrently.
 * Return: 0 or -EINVAL.
 */
int validate_vmalloc(void)
{
	u64 busy = 0, free = 0, lazy = 0, stale = 0;
	const struct vmap_area *va;
	int ret;

	if (!vmalloc_ready)
		return 0;
	spin_lock(&vmap_area_lock);
	ret = validate_tree(&vmap_area_root, &vmap_area_list, false, &busy);
	list_for_each_entry(va, &vmap_area_list, list)
		if (va->flags & VMAP_STALE)
			ret = -EINVAL;
	spin_unlock(&vmap_area_lock);
	spin_lock(&free_vmap_area_lock);
	ret = ret ?: validate_tree(&free_vmap_area_root, &free_vmap_area_list, true, &free);
	spin_unlock(&free_vmap_area_lock);
	spin_lock(&purge_vmap_area_lock);
	ret = ret ?: validate_tree(&purge_vmap_area_root, &purge_vmap_area_list, false, &lazy);
	list_for_each_entry(va, &purge_vmap_area_list, list)
		if (va->flags & VMAP_STALE)
			stale += va_size(va);
	spin_unlock(&purge_vmap_area_lock);
	if (ret)
		return ret;
	if (busy + free + lazy != vmalloc_free_end - VMALLOC_START ||
	    (lazy >> PAGE_SHIFT) != (u64)atomic_load(&vmap_lazy_nr) ||
	    (stale >> PAGE_SHIFT) != (u64)atomic_load(&vmap_stale_nr))
		return -EINVAL;
	return validate_vmap_blocks();
}
