/* SPDX-License-Identifier: MIT */
/*
 * tour.c - the built-in default tour: what `linmm` with no arguments shows.
 *
 * Boots a machine (LINMM_DEFAULT_CMDLINE unless told otherwise), then shows,
 * under short headings, the files a person would look at on a real Linux
 * machine: the boot log, /proc/meminfo, /proc/buddyinfo and the zoneinfo of
 * the largest zone, the buddy allocator splitting a block and merging it
 * back, and finally the slab allocator serving a small kmalloc() from its
 * size class, with slabtop's summary of /proc/slabinfo.  Each step is an ordinary script line run through
 * script_exec(), so the tour shows nothing a script could not.
 *
 * Linmm's own front end; no kernel counterpart.
 */
#include <stdio.h>

#include <linmm/linmm.h>
#include <linmm/mmzone.h>

#include "kernel/machine.h"
#include "tools/linmm/script.h"

/* The order of the demo allocation: above the per-CPU lists' orders, so it
 * goes straight to the buddy free lists and splits a larger block. */
#define TOUR_DEMO_ORDER 5

/* The zone of node 0 with the most managed pages (GFP_KERNEL's usual zone). */
static const char *largest_zone(void)
{
	pg_data_t *pgdat = NODE_DATA(0);
	const char *name = zone_names[0];
	unsigned long best = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++) {
		unsigned long managed = zone_managed_pages(&pgdat->node_zones[i]);

		if (managed > best) {
			best = managed;
			name = zone_names[i];
		}
	}
	return name;
}

static void heading(const char *title, const char *what)
{
	printf("\n=== %s: %s ===\n", title, what);
}

enum script_status linmm_tour(const char *cmdline)
{
	struct linmm_script s = { .name = "linmm tour", .no_lines = true };
	enum script_status st;
	char line[LINMM_CMDLINE_MAX + 16];

	if (!cmdline || !*cmdline)
		cmdline = LINMM_DEFAULT_CMDLINE;
	printf("linmm: the Linux kernel's memory manager, rebuilt in user space.\n");
	printf("Booting a simulated machine with the kernel command line \"%s\".\n", cmdline);
	snprintf(line, sizeof(line), "boot %s", cmdline);
	st = script_exec(&s, line);
	if (st != SCRIPT_OK)
		goto out;

	heading("dmesg", "what the kernel said while it booted");
	st = script_exec(&s, "dmesg");
	if (st != SCRIPT_OK)
		goto out;

	heading("/proc/meminfo", "how much memory there is and where it went");
	st = script_exec(&s, "cat /proc/meminfo");
	if (st != SCRIPT_OK)
		goto out;

	heading("/proc/buddyinfo", "free blocks of 1, 2, 4 ... 1024 pages in each zone");
	st = script_exec(&s, "cat /proc/buddyinfo");
	if (st != SCRIPT_OK)
		goto out;

	snprintf(line, sizeof(line), "cat /proc/zoneinfo node=0 zone=%s", largest_zone());
	heading("/proc/zoneinfo", "the largest zone: its size, watermarks and counters");
	st = script_exec(&s, line);
	if (st != SCRIPT_OK)
		goto out;

	snprintf(line, sizeof(line), "take an order-%d block (%d pages): a larger free block is "
		 "split in halves", TOUR_DEMO_ORDER, 1 << TOUR_DEMO_ORDER);
	heading("the buddy allocator", line);
	snprintf(line, sizeof(line), "alloc_pages demo order=%d", TOUR_DEMO_ORDER);
	st = script_exec(&s, line);
	if (st == SCRIPT_OK)
		st = script_exec(&s, "cat /proc/buddyinfo");
	if (st != SCRIPT_OK)
		goto out;
	heading("the buddy allocator", "free it: the halves merge with their buddies again");
	st = script_exec(&s, "free_pages demo");
	if (st == SCRIPT_OK)
		st = script_exec(&s, "cat /proc/buddyinfo");
	if (st != SCRIPT_OK)
		goto out;

	heading("the slab allocator", "kmalloc(115) comes from the kmalloc-128 cache; slabtop "
		"sums up /proc/slabinfo");
	st = script_exec(&s, "kmalloc obj 115");
	if (st == SCRIPT_OK)
		st = script_exec(&s, "slabtop -s c -n 5");
	if (st == SCRIPT_OK)
		st = script_exec(&s, "kfree obj");
	if (st != SCRIPT_OK)
		goto out;

	printf("\nNext: `linmm tour mem=6G nodes=2` tours another machine; `linmm run FILE` runs\n"
	       "a script of your own (docs/scripts.md); `linmm --help` lists the commands.\n");
out:
	script_end(&s);
	return st;
}
