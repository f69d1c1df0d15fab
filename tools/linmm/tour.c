/* SPDX-License-Identifier: MIT */
/*
 * tour.c - the built-in default tour: what `linmm` with no arguments shows.
 *
 * Boots a machine (LINMM_DEFAULT_CMDLINE unless told otherwise), then walks
 * through the seed material in short steps, each a heading with a one-line
 * explanation, then every command of the step as `linmm> COMMAND` followed
 * by what it printed:
 *
 *   boot and zones        dmesg, /proc/meminfo, /proc/buddyinfo, the
 *                         largest zone's watermarks in /proc/zoneinfo
 *   the buddy allocator   an order-5 block split off a larger one, then
 *                         merged back
 *   the slab allocator    kmalloc(115) from kmalloc-128, slabtop
 *   vmalloc               64 KiB from scattered pages, VmallocUsed
 *   a process             a VMA; read faults mapping the zero page, write
 *                         faults; fork with copy on write (smaps_rollup
 *                         Rss/Pss/Shared_Dirty, AnonPages, pgfault); a
 *                         SIGSEGV and the kernel's segfault line
 *   files                 a write() into the page cache (Cached, Dirty),
 *                         sync writing it back to ram0
 *   shared memory         a /dev/shm (tmpfs) file written by one task,
 *                         mapped MAP_SHARED and read by a second (Shmem),
 *                         unlinked while mapped ("(deleted)" in maps)
 *
 * Each command is an ordinary script line run through script_exec(), so the
 * tour shows nothing a script could not; the commands read as they would be
 * typed into `linmm shell` (whose prompt is "linmm> ").  "@ZONE@" in a
 * command stands for the name of the largest zone of node 0.
 *
 * Linmm's own front end; no kernel counterpart.
 */
#include <stdio.h>
#include <string.h>

#include <linmm/linmm.h>
#include <linmm/mmzone.h>

#include "kernel/machine.h"
#include "tools/linmm/script.h"

#define TOUR_ZONE "@ZONE@"
#define TOUR_MAX_CMDS 10

struct tour_step {
	const char *title;
	const char *what;	/* the one-line explanation */
	const char *cmds[TOUR_MAX_CMDS];
};

/* The meminfo and smaps lines the tour comes back to. */
#define MEMINFO_LINES "\"^(MemTotal|MemFree|MemAvailable|Cached|Dirty|AnonPages|Slab|PageTables|" \
		      "VmallocUsed):\""
#define SMAPS_LINES "\"^(Rss|Pss|Shared_Dirty|Private_Dirty):\""
#define CACHE_LINES "grep -E \"^(Cached|Dirty|Writeback):\" /proc/meminfo"

static const struct tour_step tour_steps[] = {
	{ "dmesg", "what the kernel said while it booted", { "dmesg" } },
	{ "/proc/meminfo", "how much memory there is and where it went (the lines this tour "
	  "comes back to)", { "grep -E " MEMINFO_LINES " /proc/meminfo" } },
	{ "/proc/buddyinfo", "free blocks of 1, 2, 4 ... 1024 pages in each zone",
	  { "cat /proc/buddyinfo" } },
	{ "/proc/zoneinfo", "the largest zone: its free pages and watermarks (below low, "
	  "kswapd wakes)",
	  { "grep -E \"^Node|pages free|^ +(min|low|high|managed) \" /proc/zoneinfo zone=" TOUR_ZONE } },
	{ "the buddy allocator", "take an order-5 block (32 pages): a larger free block is "
	  "split in halves", { "alloc_pages demo order=5", "cat /proc/buddyinfo" } },
	{ "the buddy allocator", "free it: the halves merge with their buddies again",
	  { "free_pages demo", "cat /proc/buddyinfo" } },
	{ "the slab allocator", "kmalloc(115) comes from the kmalloc-128 cache; slabtop sums up "
	  "/proc/slabinfo", { "kmalloc obj 115", "slabtop -s c -n 5", "kfree obj" } },
	{ "vmalloc", "64 KiB at consecutive kernel addresses, made of 16 scattered pages "
	  "(the range has one more, unmapped: the guard page)",
	  { "vmalloc buf 64K", "grep VmallocUsed /proc/meminfo", "vfree buf" } },
	{ "a process", "it maps 16 KiB of anonymous memory: one VMA in /proc/PID/maps, "
	  "no pages yet", { "spawn p comm=demo", "mmap p buf 16K", "cat /proc/p/maps" } },
	{ "page faults", "reading each page faults once and maps the shared zero page: "
	  "still no memory of its own (Rss 0)",
	  { "touch p buf read", "grep -E \"^(Rss|Anonymous):\" /proc/p/smaps_rollup" } },
	{ "page faults", "writing two pages: each write fault swaps the zero page for a "
	  "zeroed page of its own", { "touch p buf 8K write",
	  "grep -E \"^(Rss|Anonymous):\" /proc/p/smaps_rollup" } },
	{ "fork", "the child gets copies of the page tables, the pages shared copy-on-write: "
	  "Pss counts half of each", { "fork p c", "grep -E " SMAPS_LINES " /proc/c/smaps_rollup" } },
	{ "copy on write", "the child's first write faults and copies the page; the parent "
	  "keeps the original", { "write c buf \"child\"",
	  "grep -E " SMAPS_LINES " /proc/c/smaps_rollup" } },
	{ "counters", "reading stat_refresh folds in the per-CPU deltas (the vmstat worker "
	  "does every second): 3 anonymous pages, 7 faults",
	  { "cat /proc/sys/vm/stat_refresh", "grep AnonPages /proc/meminfo",
	    "grep \"^pgfault \" /proc/vmstat" } },
	{ "SIGSEGV", "a write to address 0, where no VMA is, kills the task; the kernel logs "
	  "it (error 6: a user-mode write, no page)", { "write c 0x0 \"x\"", "grep segfault dmesg", "exit c" } },
	{ "files", "a 64 KiB write() lands in the page cache as dirty pages",
	  { "open p f /tmp/notes flags=rdwr,creat", "fwrite p f 64K",
	    "cat /proc/sys/vm/stat_refresh", CACHE_LINES } },
	{ "writeback", "sync writes the dirty pages to the disk, ram0; they stay cached, clean",
	  { "sync", "cat /proc/sys/vm/stat_refresh", CACHE_LINES, "bdev" } },
	{ "shared memory", "a file on /dev/shm (tmpfs) lives in memory only (Shmem, part of "
	  "Cached); a second task opens it by name and maps it shared; unlinked, it lives on "
	  "while mapped",
	  { "open p s /dev/shm/notes flags=rdwr,creat", "fwrite p s \"hello from p\"",
	    "spawn q comm=reader", "open q s /dev/shm/notes flags=rdwr",
	    "mmap q shm 4K fd=s flags=shared", "read q shm 12", "cat /proc/sys/vm/stat_refresh",
	    "grep -E \"^(Cached|Shmem):\" /proc/meminfo", "unlink p /dev/shm/notes",
	    "grep /dev/shm /proc/q/maps" } },
};

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

/* @cmd with TOUR_ZONE replaced by the largest zone's name, into @buf. */
static const char *expand(const char *cmd, char *buf, size_t size)
{
	const char *at = strstr(cmd, TOUR_ZONE);

	if (!at)
		return cmd;
	snprintf(buf, size, "%.*s%s%s", (int)(at - cmd), cmd, largest_zone(),
		 at + strlen(TOUR_ZONE));
	return buf;
}

static enum script_status run_step(struct linmm_script *s, const struct tour_step *step)
{
	char buf[512];

	printf("\n=== %s: %s ===\n", step->title, step->what);
	for (int i = 0; i < TOUR_MAX_CMDS && step->cmds[i]; i++) {
		const char *cmd = expand(step->cmds[i], buf, sizeof(buf));
		enum script_status st;

		printf("linmm> %s\n", cmd);
		st = script_exec(s, cmd);
		if (st != SCRIPT_OK)
			return st;
	}
	return SCRIPT_OK;
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
	for (size_t i = 0; st == SCRIPT_OK && i < sizeof(tour_steps) / sizeof(tour_steps[0]); i++)
		st = run_step(&s, &tour_steps[i]);
	if (st != SCRIPT_OK)
		goto out;

	printf("\nNext: `linmm tour mem=6G nodes=2` tours another machine; `linmm tour --html FILE`\n"
	       "draws it; `linmm run FILE` runs a script of your own (docs/scripts.md);\n"
	       "`linmm shell` takes these commands one by one; `linmm --help` lists them all.\n");
out:
	script_end(&s);
	return st;
}
