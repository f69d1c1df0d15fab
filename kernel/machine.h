/* SPDX-License-Identifier: MIT */
/*
 * machine.h - the simulated machine's configuration and lifecycle (internal).
 *
 * `boot_params` is what the kernel command line said (kernel/params.c);
 * kernel/machine.c boots and shuts down the machine in the kernel's order:
 * setup_arch (e820, memblock, NUMA, direct map, sparse/memmap), then
 * free_area_init, mm_core_init (zonelists, memblock_free_all, "Memory:"),
 * then the post-core initcalls (per-CPU pagesets, watermarks).
 */
#ifndef LINMM_KERNEL_MACHINE_H
#define LINMM_KERNEL_MACHINE_H

#include <linmm/types.h>

#include "arch/arch.h"

enum linmm_backing {
	LINMM_BACKING_MEMFD,	/* RAM is a memfd per node (default) */
	LINMM_BACKING_NONE,	/* metadata only: anonymous lazily-allocated RAM, contents never touched */
};

/* e820 entry types (arch/x86/include/asm/e820/types.h). */
enum e820_type {
	E820_TYPE_RAM = 1,
	E820_TYPE_RESERVED = 2,
	E820_TYPE_ACPI = 3,
	E820_TYPE_NVS = 4,
	E820_TYPE_UNUSABLE = 5,
	E820_TYPE_PMEM = 7,
	E820_TYPE_PRAM = 12,
};

#define LINMM_MAX_MEMMAP_ARGS 32
#define LINMM_CMDLINE_MAX 4096

struct linmm_memmap_arg {
	phys_addr_t start;
	phys_addr_t size;
	enum e820_type type;
};

struct linmm_boot_params {
	char cmdline[LINMM_CMDLINE_MAX];
	u64 mem;			/* bytes of RAM the firmware reports */
	int nr_nodes;
	bool numa_off;
	int numa_distance_remote;	/* SLIT distance between distinct nodes */
	int nr_cpus;
	const struct linmm_arch *arch;
	bool la57;			/* x86_64 with 5-level page tables (57-bit addresses) */
	enum linmm_backing backing;
	enum linmm_memory_model model;
	int nr_memmap;
	struct linmm_memmap_arg memmap[LINMM_MAX_MEMMAP_ARGS];
	bool memblock_debug;
	char fail_page_alloc[64];	/* "<interval>,<probability>,<space>,<times>" or "" */
	char failslab[64];		/* failslab=, same syntax, or "" */
	int slab_merge;			/* slab_nomerge: 0, slab_merge/slub_merge: 1, default -1 */
	unsigned int slub_min_order;	/* slub_min_order= (slab_min_order=) */
	unsigned int slub_max_order;	/* slub_max_order= (slab_max_order=), default 3 */
	unsigned int slub_min_objects;	/* slub_min_objects= (slab_min_objects=), 0: automatic */
	bool slub_debug_given;		/* slub_debug= or slab_debug= was on the command line */
	char slub_debug[256];		/* its value: "FZPU,kmalloc-*;..." ("" = full debugging) */
};

extern struct linmm_boot_params boot_params;
extern bool linmm_booted;
/* Boots so far in this process (1 during the first): per-boot static state compares it. */
extern unsigned long linmm_boot_seq;
/* Pages of the per-CPU areas (setup_per_cpu_areas); /proc/meminfo "Percpu". */
extern unsigned long pcpu_nr_pages;

#define LINMM_DEFAULT_CMDLINE "mem=1G nodes=1 cpus=2 arch=x86_64"

/*
 * linmm_parse_cmdline - parse a kernel-style command line into @bp.
 * @err/@errlen: on failure, a message naming the parameter and what is accepted.
 * Return: 0 or -EINVAL.
 */
int __must_check linmm_parse_cmdline(const char *cmdline, struct linmm_boot_params *bp,
				     char *err, size_t errlen);
/* memparse(): "64K", "1G", "0x1000" ... into *out; return pointer past the number or NULL. */
const char *memparse(const char *s, u64 *out);

/* Record a boot error message (shown by linmm_last_error()). */
__printf(1, 2) void linmm_set_error(const char *fmt, ...);

/* Taint flags (kernel/panic.c), printed as in "Tainted: G    B   W". */
enum {
	TAINT_BAD_PAGE = 5,
	TAINT_DIE = 7,
	TAINT_WARN = 9,
};
void add_taint(unsigned int flag);
unsigned long get_taint(void);
/*
 * print_tainted - the taint state as the kernel's reports show it:
 * "Not tainted", or "Tainted: " and one column per taint flag in the
 * kernel's order (P/G F S R M B U D A W C I O E L K X T N J), e.g.
 * "Tainted: G    B   W          ".  Return: a per-thread buffer.
 */
const char *print_tainted(void);
void linmm_clock_reset(void);

#endif /* LINMM_KERNEL_MACHINE_H */
