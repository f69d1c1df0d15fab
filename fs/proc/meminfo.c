// SPDX-License-Identifier: MIT
/*
 * meminfo.c - /proc/meminfo (fs/proc/meminfo.c, with mm/show_mem.c's
 * si_mem_available(), mm/hugetlb.c's hugetlb_report_meminfo() and
 * arch/x86/mm/pat/set_memory.c's arch_report_meminfo()).
 *
 * Fields and order are those of Linux 6.18 on x86_64 (the host's file);
 * 32-bit models add HighTotal/HighFree/LowTotal/LowFree after Mlocked, drop
 * the THP lines without PAE and show DirectMap4M instead of 2M without PAE,
 * as an i386 kernel does.  Each line is the label padded to 16 columns, the
 * value in KiB right-aligned in 8 (wider values widen the line), " kB".
 *
 * Every value is computed from linmm's state; mechanisms that do not exist
 * yet (swap, zswap, hugetlb) contribute 0, as they would on a kernel where
 * they hold nothing.  Buffers (the block devices' own page cache,
 * nr_blockdev_pages) is 0: ram0 is only ever reached through files, whose
 * pages are Cached (NR_FILE_PAGES), Dirty and Writeback (mm/filemap.c).
 *
 * DirectMap: the x86 direct map covers [0, 1 MiB) with 4 KiB pages and
 * every RAM range above it with the largest pages its alignment allows,
 * split like split_mem_range():
 *
 *   start        2M           1G                    1G           2M     end
 *     |  4k head |  2M pages  |  1G pages (64-bit)  |  2M pages  | 4k tail |
 *
 * (32-bit: 4 MiB or, with PAE, 2 MiB pages, never 1G).  linmm never splits
 * large mappings later (no set_memory_*), so the counts are those of boot.
 *
 * Locks: none; counters are read approximately, as the kernel reads them.
 */
#include <linmm/memblock.h>
#include <linmm/mm.h>
#include <linmm/mman.h>
#include <linmm/seq_file.h>
#include <linmm/vmstat.h>

#include "arch/arch.h"
#include "fs/proc/internal.h"
#include "kernel/machine.h"
#include "mm/internal.h"

#define K(pages) ((unsigned long)(pages) << (PAGE_SHIFT - 10))
#define ISA_END_ADDRESS 0x100000ULL

enum { DM_4K, DM_PMD, DM_PUD, DM_NR };

/* show_val_kb(): "Label:" padded to 16, value in KiB in 8 columns. */
static void show_val_kb(struct seq_file *m, const char *label, unsigned long pages)
{
	seq_printf(m, "%-16s%8lu kB\n", label, K(pages));
}

/**
 * si_mem_available - pages available for new allocations without swapping:
 * free pages above the reserves, plus the page cache and reclaimable slab
 * that reclaim could free, each less what must stay to keep the low
 * watermarks.
 *
 * Context: any.
 * Return: the estimate, in pages (0 at worst).
 */
long si_mem_available(void)
{
	unsigned long wmark_low = 0, pagecache, reclaimable;
	struct zone *zone;
	long available;

	for_each_zone(zone)
		wmark_low += low_wmark_pages(zone);
	available = global_zone_page_state(NR_FREE_PAGES) - (long)totalreserve_pages;
	pagecache = global_node_page_state(NR_ACTIVE_FILE) + global_node_page_state(NR_INACTIVE_FILE);
	pagecache -= min(pagecache / 2, wmark_low);
	available += pagecache;
	reclaimable = global_node_page_state(NR_SLAB_RECLAIMABLE_B) +
		      global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE);
	reclaimable -= min(reclaimable / 2, wmark_low);
	available += reclaimable;
	return available < 0 ? 0 : available;
}

/* Free pages of the highmem zones (nr_free_highpages). */
static unsigned long nr_free_highpages(void)
{
	unsigned long sum = 0;
	int nid;

	if (!arch_zone_configured(ZONE_HIGHMEM))
		return 0;
	for_each_online_node(nid)
		sum += zone_page_state(&NODE_DATA(nid)->node_zones[ZONE_HIGHMEM], NR_FREE_PAGES);
	return sum;
}

static void count_range(u64 count[DM_NR], int level, u64 start, u64 end)
{
	if (start < end)
		count[level] += end - start;
}

/* Bytes of [start, end) mapped at each page size (split_mem_range()). */
static void direct_map_split(u64 count[DM_NR], u64 start, u64 end, u64 pmd, bool gbpages)
{
	u64 pos = start, e;

	e = min(ALIGN(pos, pmd), end);			/* 4k head */
	count_range(count, DM_4K, pos, e);
	pos = max(pos, e);
	if (gbpages) {
		e = min(ALIGN(pos, SZ_1G), ALIGN_DOWN(end, pmd));	/* 2M up to 1G */
		count_range(count, DM_PMD, pos, e);
		pos = max(pos, e);
		e = ALIGN_DOWN(end, SZ_1G);			/* 1G body */
		count_range(count, DM_PUD, pos, e);
		pos = max(pos, e);
	}
	e = ALIGN_DOWN(end, pmd);				/* big pages tail */
	count_range(count, DM_PMD, pos, e);
	pos = max(pos, e);
	count_range(count, DM_4K, pos, end);		/* 4k tail */
}

static void direct_map_counts(u64 count[DM_NR])
{
	bool is64 = linmm_arch->bits == 64;
	u64 pmd = linmm_arch->pgtable_levels == 2 ? 4 * SZ_1M : 2 * SZ_1M;

	count[DM_4K] = ISA_END_ADDRESS;		/* init_memory_mapping(0, ISA_END_ADDRESS) */
	count[DM_PMD] = count[DM_PUD] = 0;
	for (unsigned long i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		u64 s = max(r->base, ISA_END_ADDRESS);
		u64 e = min(r->base + r->size, (u64)direct_map_end);

		if (s < e)
			direct_map_split(count, s, e, pmd, is64);
	}
}

/* arch_report_meminfo() for x86. */
static void arch_report_meminfo(struct seq_file *m)
{
	u64 count[DM_NR];

	direct_map_counts(count);
	seq_printf(m, "DirectMap4k:    %8llu kB\n", (unsigned long long)(count[DM_4K] >> 10));
	if (linmm_arch->pgtable_levels == 2)
		seq_printf(m, "DirectMap4M:    %8llu kB\n", (unsigned long long)(count[DM_PMD] >> 10));
	else
		seq_printf(m, "DirectMap2M:    %8llu kB\n", (unsigned long long)(count[DM_PMD] >> 10));
	if (linmm_arch->bits == 64)
		seq_printf(m, "DirectMap1G:    %8llu kB\n", (unsigned long long)(count[DM_PUD] >> 10));
}

/* hugetlb_report_meminfo(): no hugetlb pool exists yet, so every count is 0. */
static void hugetlb_report_meminfo(struct seq_file *m)
{
	unsigned long hpage_kb = (arch_hpage_pmd_nr() * PAGE_SIZE) >> 10;

	seq_printf(m,
		   "HugePages_Total:   %5lu\n"
		   "HugePages_Free:    %5lu\n"
		   "HugePages_Rsvd:    %5lu\n"
		   "HugePages_Surp:    %5lu\n"
		   "Hugepagesize:   %8lu kB\n",
		   0UL, 0UL, 0UL, 0UL, hpage_kb);
	seq_printf(m, "Hugetlb:        %8lu kB\n", 0UL);
}

/**
 * meminfo_proc_show - render /proc/meminfo.
 * @m: output
 *
 * Context: machine booted.
 */
void meminfo_proc_show(struct seq_file *m)
{
	unsigned long totalram = totalram_pages();
	unsigned long freeram = (unsigned long)global_zone_page_state(NR_FREE_PAGES);
	unsigned long sreclaimable = global_node_page_state(NR_SLAB_RECLAIMABLE_B);
	unsigned long sunreclaim = global_node_page_state(NR_SLAB_UNRECLAIMABLE_B);
	unsigned long active_anon = global_node_page_state(NR_ACTIVE_ANON);
	unsigned long inactive_anon = global_node_page_state(NR_INACTIVE_ANON);
	unsigned long active_file = global_node_page_state(NR_ACTIVE_FILE);
	unsigned long inactive_file = global_node_page_state(NR_INACTIVE_FILE);
	long cached;

	cached = global_node_page_state(NR_FILE_PAGES) - global_node_page_state(NR_SWAPCACHE);
	if (cached < 0)
		cached = 0;

	show_val_kb(m, "MemTotal:", totalram);
	show_val_kb(m, "MemFree:", freeram);
	show_val_kb(m, "MemAvailable:", (unsigned long)si_mem_available());
	show_val_kb(m, "Buffers:", 0);
	show_val_kb(m, "Cached:", (unsigned long)cached);
	show_val_kb(m, "SwapCached:", global_node_page_state(NR_SWAPCACHE));
	show_val_kb(m, "Active:", active_anon + active_file);
	show_val_kb(m, "Inactive:", inactive_anon + inactive_file);
	show_val_kb(m, "Active(anon):", active_anon);
	show_val_kb(m, "Inactive(anon):", inactive_anon);
	show_val_kb(m, "Active(file):", active_file);
	show_val_kb(m, "Inactive(file):", inactive_file);
	show_val_kb(m, "Unevictable:", global_node_page_state(NR_UNEVICTABLE));
	show_val_kb(m, "Mlocked:", global_zone_page_state(NR_MLOCK));
	if (arch_zone_configured(ZONE_HIGHMEM)) {
		unsigned long freehigh = nr_free_highpages();

		show_val_kb(m, "HighTotal:", totalhigh_pages_count);
		show_val_kb(m, "HighFree:", freehigh);
		show_val_kb(m, "LowTotal:", totalram - totalhigh_pages_count);
		show_val_kb(m, "LowFree:", freeram - min(freeram, freehigh));
	}
	show_val_kb(m, "SwapTotal:", 0);
	show_val_kb(m, "SwapFree:", 0);
	show_val_kb(m, "Zswap:", 0);
	show_val_kb(m, "Zswapped:", 0);
	show_val_kb(m, "Dirty:", global_node_page_state(NR_FILE_DIRTY));
	show_val_kb(m, "Writeback:", global_node_page_state(NR_WRITEBACK));
	show_val_kb(m, "AnonPages:", global_node_page_state(NR_ANON_MAPPED));
	show_val_kb(m, "Mapped:", global_node_page_state(NR_FILE_MAPPED));
	show_val_kb(m, "Shmem:", global_node_page_state(NR_SHMEM));
	show_val_kb(m, "KReclaimable:",
		    sreclaimable + global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE));
	show_val_kb(m, "Slab:", sreclaimable + sunreclaim);
	show_val_kb(m, "SReclaimable:", sreclaimable);
	show_val_kb(m, "SUnreclaim:", sunreclaim);
	seq_printf(m, "%-16s%8lu kB\n", "KernelStack:",
		   (unsigned long)global_node_page_state(NR_KERNEL_STACK_KB));
	show_val_kb(m, "PageTables:", global_node_page_state(NR_PAGETABLE));
	show_val_kb(m, "SecPageTables:", global_node_page_state(NR_SECONDARY_PAGETABLE));
	show_val_kb(m, "NFS_Unstable:", 0);
	show_val_kb(m, "Bounce:", 0);
	show_val_kb(m, "WritebackTmp:", 0);
	show_val_kb(m, "CommitLimit:", vm_commit_limit());
	show_val_kb(m, "Committed_AS:", vm_memory_committed());
	seq_printf(m, "%-16s%8llu kB\n", "VmallocTotal:",
		   (unsigned long long)(VMALLOC_TOTAL >> 10));
	show_val_kb(m, "VmallocUsed:", vmalloc_nr_pages());
	show_val_kb(m, "VmallocChunk:", 0);
	show_val_kb(m, "Percpu:", pcpu_nr_pages);
	if (arch_has_transparent_hugepage()) {
		show_val_kb(m, "AnonHugePages:", global_node_page_state(NR_ANON_THPS));
		show_val_kb(m, "ShmemHugePages:", global_node_page_state(NR_SHMEM_THPS));
		show_val_kb(m, "ShmemPmdMapped:", global_node_page_state(NR_SHMEM_PMDMAPPED));
		show_val_kb(m, "FileHugePages:", global_node_page_state(NR_FILE_THPS));
		show_val_kb(m, "FilePmdMapped:", global_node_page_state(NR_FILE_PMDMAPPED));
	}
	show_val_kb(m, "Balloon:", global_node_page_state(NR_BALLOON_PAGES));
	hugetlb_report_meminfo(m);
	arch_report_meminfo(m);
}
