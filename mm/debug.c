/* SPDX-License-Identifier: MIT */
/*
 * debug.c - page dumps and "Bad page state" reports, and the name tables
 * of page flags, migrate types and zones.
 *
 * Mirrors mm/debug.c (dump_page, the names of include/trace/events/
 * mmflags.h), bad_page() of mm/page_alloc.c and the %pGp page-flags
 * format of lib/vsprintf.c.  A report looks like the kernel's:
 *
 *   BUG: Bad page state in process linmm  pfn:1fe00
 *   page: refcount:0 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x1fe00
 *   flags: 0x400000000000000(node=0|zone=2)
 *   page_type: f0(buddy)
 *   raw: 0400000000000000 ffffea00007f8008 ffffea00007f8008 0000000000000000
 *   raw: 0000000000000000 0000000000000000 00000000f0000000 0000000000000000
 *   page dumped because: VM_BUG_ON_PAGE(page_ref_count(page) == 0)
 *   Modules linked in:
 *
 * Host pointers in a dump (mapping, raw words) are shown as the kernel
 * addresses they stand for: direct map at arch->page_offset, struct pages
 * at arch->vmemmap_base (SPARSEMEM_VMEMMAP).  linmm has no tasks yet, so the
 * process is always "linmm", and no stack is printed.
 *
 * Locks: bad_lock serialises the bad_page() rate limit.
 */
#include <stdio.h>
#include <string.h>

#include <linmm/mm.h>
#include <linmm/printk.h>

#include "arch/arch.h"
#include "kernel/machine.h"
#include "mm/internal.h"

const char *const zone_names[MAX_NR_ZONES] = {
	[ZONE_DMA] = "DMA",
	[ZONE_DMA32] = "DMA32",
	[ZONE_NORMAL] = "Normal",
	[ZONE_HIGHMEM] = "HighMem",
	[ZONE_MOVABLE] = "Movable",
	[ZONE_DEVICE] = "Device",
};

const char *const migratetype_names[MIGRATE_TYPES] = {
	[MIGRATE_UNMOVABLE] = "Unmovable",
	[MIGRATE_MOVABLE] = "Movable",
	[MIGRATE_RECLAIMABLE] = "Reclaimable",
	[MIGRATE_HIGHATOMIC] = "HighAtomic",
	[MIGRATE_CMA] = "CMA",
	[MIGRATE_ISOLATE] = "Isolate",
};

const char *const pageflag_names[__NR_PAGEFLAGS] = {
	[PG_locked] = "locked",
	[PG_writeback] = "writeback",
	[PG_referenced] = "referenced",
	[PG_uptodate] = "uptodate",
	[PG_dirty] = "dirty",
	[PG_lru] = "lru",
	[PG_head] = "head",
	[PG_waiters] = "waiters",
	[PG_active] = "active",
	[PG_workingset] = "workingset",
	[PG_owner_priv_1] = "owner_priv_1",
	[PG_owner_2] = "owner_2",
	[PG_arch_1] = "arch_1",
	[PG_reserved] = "reserved",
	[PG_private] = "private",
	[PG_private_2] = "private_2",
	[PG_reclaim] = "reclaim",
	[PG_swapbacked] = "swapbacked",
	[PG_unevictable] = "unevictable",
	[PG_dropbehind] = "dropbehind",
	[PG_mlocked] = "mlocked",
	[PG_hwpoison] = "hwpoison",
	[PG_young] = "young",
	[PG_idle] = "idle",
};

/* The order %pGp prints flags in: the kernel's __def_pageflag_names table. */
static const enum pageflags pageflag_print_order[__NR_PAGEFLAGS] = {
	PG_locked, PG_waiters, PG_referenced, PG_uptodate, PG_dirty, PG_lru,
	PG_active, PG_workingset, PG_owner_priv_1, PG_owner_2, PG_arch_1, PG_reserved,
	PG_private, PG_private_2, PG_writeback, PG_head, PG_reclaim, PG_swapbacked,
	PG_unevictable, PG_dropbehind, PG_mlocked, PG_hwpoison, PG_idle, PG_young,
};

/* Names of page types, indexed by (page_type >> 24) - PGTY_buddy. */
static const char *const page_type_names[] = {
	"buddy", "offline", "table", "guard", "hugetlb", "slab", "zsmalloc", "unaccepted",
	"large_kmalloc",
};

static spinlock_t bad_lock;

extern int linmm_pfn_section_shift;

/**
 * linmm_kernel_address - the kernel virtual address a host pointer stands for
 * @p: a host pointer
 *
 * Direct-map pointers become arch->page_offset + physical address;
 * pointers into the vmemmap become arch->vmemmap_base + offset; pointers
 * into the vmalloc/pkmap/fixmap window their kva (host_to_kva()).  Anything
 * else (NULL, poison values, host heap) is returned unchanged.
 *
 * Context: any, while a machine is booted.
 * Return: the address to print.
 */
unsigned long linmm_kernel_address(const void *p)
{
	const char *c = p;

	if (!p || !linmm_arch)
		return (unsigned long)p;
	if (linmm_direct_map && c >= linmm_direct_map && c < linmm_direct_map + direct_map_end)
		return (unsigned long)(linmm_arch->page_offset + (u64)(c - linmm_direct_map));
	if (linmm_arch->vmemmap_base && boot_params.model != LINMM_FLATMEM && vmemmap &&
	    c >= (const char *)vmemmap &&
	    c < (const char *)(vmemmap + (nr_mem_sections << linmm_pfn_section_shift)))
		return (unsigned long)(linmm_arch->vmemmap_base + (u64)(c - (const char *)vmemmap));
	/* vmalloc, and on x86_32 pkmap and fixmap: the window of mm/init_mm.c. */
	if (host_to_kva(p))
		return (unsigned long)host_to_kva(p);
	return (unsigned long)p;
}

/**
 * format_page_flags - render page flags as %pGp does
 * @flags: page->flags
 * @buf: output
 * @size: size of @buf
 *
 * "0x<flags>(<name>|<name>|node=<n>|zone=<z>)": set PG_* flags by name in
 * the kernel's table order, then the node field (NUMA arch models) and
 * the zone field.
 *
 * Context: any.
 * Return: characters written, excluding the NUL.
 */
int format_page_flags(unsigned long flags, char *buf, size_t size)
{
	size_t len = 0;
	bool first = true;

#define emit(...)                                                                    \
	do {                                                                         \
		int __n = snprintf(buf + len, len < size ? size - len : 0, __VA_ARGS__); \
		if (__n > 0)                                                         \
			len += (size_t)__n;                                          \
		if (len >= size)                                                     \
			len = size ? size - 1 : 0;                                   \
	} while (0)

	if (!size)
		return 0;
	buf[0] = '\0';
	emit("%#lx(", flags);
	for (int i = 0; i < __NR_PAGEFLAGS; i++) {
		enum pageflags f = pageflag_print_order[i];

		if (flags & (1UL << f)) {
			emit("%s%s", first ? "" : "|", pageflag_names[f]);
			first = false;
		}
	}
	if (!linmm_arch || linmm_arch->numa) {
		emit("%snode=%lu", first ? "" : "|", (flags >> NODES_PGSHIFT) & NODES_MASK);
		first = false;
	}
	emit("%szone=%lu)", first ? "" : "|", (flags >> ZONES_PGSHIFT) & ZONES_MASK);
#undef emit
	return (int)len;
}

static int pointer_digits(void)
{
	return linmm_arch && linmm_arch->bits == 32 ? 8 : 16;
}

/**
 * dump_page - print the state of a page to the kernel log
 * @page: the page
 * @reason: why ("page dumped because: <reason>"), or NULL
 *
 * Context: any.
 */
void dump_page(const struct page *page, const char *reason)
{
	const struct page *head = compound_head((struct page *)page);
	int mapcount = page_has_type(page) ? 0 : atomic_load(&((struct page *)page)->_mapcount) + 1;
	const unsigned long *raw = (const unsigned long *)page;
	int w = pointer_digits();
	char flags[256];

	/* mapping and index are the compound page's (a tail's fields overlay others). */
	pr_warn("page: refcount:%d mapcount:%d mapping:%0*lx index:%#lx pfn:%#lx\n",
		page_ref_count(page), mapcount, w, linmm_kernel_address(head->mapping),
		head->index + (unsigned long)(page - head), page_to_pfn(page));
	if (PageCompound(page)) {
		pr_warn("head: order:%u mapcount:%d entire_mapcount:%d nr_pages_mapped:%d pincount:%d\n",
			compound_order((struct page *)head), page_mapcount(head),
			atomic_load(&head[1]._entire_mapcount) + 1, 0,
			atomic_load(&head[1]._pincount));
	}
	if (page->memcg_data)
		pr_warn("memcg:%lx\n", page->memcg_data);
	format_page_flags(page->flags, flags, sizeof(flags));
	pr_warn("flags: %s\n", flags);
	if (page_has_type(page)) {
		unsigned int type = page->page_type >> 24;
		const char *name = type >= PGTY_buddy && type - PGTY_buddy < ARRAY_SIZE(page_type_names)
					   ? page_type_names[type - PGTY_buddy] : "unknown";

		pr_warn("page_type: %x(%s)\n", type, name);
	}
	for (size_t i = 0; i < sizeof(struct page) / sizeof(unsigned long); i += 4) {
		pr_warn("raw: %016lx %016lx %016lx %016lx\n",
			linmm_kernel_address((void *)raw[i]), linmm_kernel_address((void *)raw[i + 1]),
			linmm_kernel_address((void *)raw[i + 2]), linmm_kernel_address((void *)raw[i + 3]));
	}
	if (reason)
		pr_warn("page dumped because: %s\n", reason);
}

/**
 * bad_page - report a page found in a bad state and taint the kernel
 * @page: the page
 * @reason: what is wrong with it
 *
 * Prints "BUG: Bad page state in process linmm  pfn:%05lx", the page dump
 * and "Modules linked in:", then sets TAINT_BAD_PAGE.  After 60 reports the
 * next are suppressed for a minute of simulated time, then counted
 * ("BUG: Bad page state: N messages suppressed").  The caller leaks the
 * page.  The kernel also clears PageBuddy here; linmm keeps it because the
 * only pages that reach this with the buddy type are on a free list (a
 * double free) and clearing it would corrupt that list.
 *
 * Context: any; takes bad_lock.
 */
void bad_page(const struct page *page, const char *reason)
{
	static u64 resume;
	static unsigned long nr_shown, nr_unshown;
	u64 now = local_clock();
	bool show = true;

	spin_lock(&bad_lock);
	/* A new boot restarts the simulated clock: start counting afresh. */
	if (nr_shown && now + 60ULL * 1000000000ULL < resume)
		nr_shown = nr_unshown = 0;
	if (nr_shown == 60) {
		if (now < resume) {
			nr_unshown++;
			show = false;
		} else {
			if (nr_unshown)
				printk(KERN_ALERT "BUG: Bad page state: %lu messages suppressed\n", nr_unshown);
			nr_unshown = 0;
			nr_shown = 0;
		}
	}
	if (show && nr_shown++ == 0)
		resume = now + 60ULL * 1000000000ULL;
	spin_unlock(&bad_lock);

	if (show) {
		printk(KERN_ALERT "BUG: Bad page state in process %s  pfn:%05lx\n", "linmm",
			 page_to_pfn(page));
		dump_page(page, reason);
		pr_warn("Modules linked in:\n");
	}
	add_taint(TAINT_BAD_PAGE);
}
