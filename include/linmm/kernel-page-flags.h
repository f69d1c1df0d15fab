/* SPDX-License-Identifier: MIT */
/*
 * kernel-page-flags.h - the KPF_* bits of /proc/kpageflags (fs/proc/page.c).
 *
 * Mirrors include/uapi/linux/kernel-page-flags.h (the stable bits, 0..26)
 * and include/linux/kernel-page-flags.h (the "kernel hacking assistance"
 * bits from 32 on, which the kernel warns may change).  Same numbers, so a
 * tool written for Linux's page-types reads linmm's words unchanged.
 *
 * /proc/kpageflags is an array of one u64 per pfn; linmm's /proc files are
 * text, so the array is read with linmm_kpageflags_read() instead of
 * pread(fd, buf, 8 * count, 8 * pfn).
 */
#ifndef LINMM_KERNEL_PAGE_FLAGS_H
#define LINMM_KERNEL_PAGE_FLAGS_H

#include <linmm/types.h>

#define KPF_LOCKED		0
#define KPF_ERROR		1
#define KPF_REFERENCED		2
#define KPF_UPTODATE		3
#define KPF_DIRTY		4
#define KPF_LRU			5
#define KPF_ACTIVE		6
#define KPF_SLAB		7
#define KPF_WRITEBACK		8
#define KPF_RECLAIM		9
#define KPF_BUDDY		10
#define KPF_MMAP		11
#define KPF_ANON		12
#define KPF_SWAPCACHE		13
#define KPF_SWAPBACKED		14
#define KPF_COMPOUND_HEAD	15
#define KPF_COMPOUND_TAIL	16
#define KPF_HUGE		17
#define KPF_UNEVICTABLE		18
#define KPF_HWPOISON		19
#define KPF_NOPAGE		20
#define KPF_KSM			21
#define KPF_THP			22
#define KPF_OFFLINE		23
#define KPF_ZERO_PAGE		24
#define KPF_IDLE		25
#define KPF_PGTABLE		26

#define KPF_RESERVED		32
#define KPF_MLOCKED		33
#define KPF_OWNER_2		34
#define KPF_PRIVATE		35
#define KPF_PRIVATE_2		36
#define KPF_OWNER_PRIVATE	37
#define KPF_ARCH		38
#define KPF_UNCACHED		39
#define KPF_SOFTDIRTY		40
#define KPF_ARCH_2		41
#define KPF_ARCH_3		42

struct page;

/**
 * stable_page_flags - the /proc/kpageflags word of one page frame
 * @page: the frame's struct page, or NULL for a hole (no memmap)
 *
 * As the kernel: KPF_NOPAGE for a hole; KPF_BUDDY for every page of a free
 * buddy block (the head by its page type, the rest by is_free_buddy_page()
 * when the refcount is 0), not for pages on per-CPU lists; KPF_SLAB,
 * KPF_PGTABLE, KPF_OFFLINE from the page type; KPF_ANON from mapping's low
 * bit; KPF_MMAP when mapped; compound head/tail; the PG_* bits copied.
 *
 * Context: may take the zone's lock (is_free_buddy_page()).
 * Return: the KPF_* bits.
 */
u64 stable_page_flags(const struct page *page);

/**
 * linmm_kpageflags_read - read /proc/kpageflags: the words of @count pfns
 * @buf: room for @count words
 * @pfn: the first pfn
 * @count: words wanted
 *
 * The file ends at max_pfn rounded up to a memory section (SPARSEMEM) or at
 * max_pfn (FLATMEM), as the kernel's; a pfn below that without a memmap
 * reads as KPF_NOPAGE.
 *
 * Context: a machine is up.
 * Return: the number of words stored (fewer than @count at the end of the
 * file, 0 past it).
 */
unsigned long linmm_kpageflags_read(u64 *buf, unsigned long pfn, unsigned long count);

#endif /* LINMM_KERNEL_PAGE_FLAGS_H */
