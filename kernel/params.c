/* SPDX-License-Identifier: MIT */
/*
 * params.c - the kernel command line (init/main.c parse_args, lib/cmdline.c).
 *
 * Boot parameters use the kernel's names and value syntax:
 *
 *   mem=nn[KMGTP]            RAM the firmware reports (like qemu -m; see below)
 *   memmap=nn[KMG]$ss[KMG]   mark a range reserved (also nn#ss ACPI, nn!ss
 *                            persistent, nn@ss usable), as many as needed,
 *                            but never over the kernel image
 *   nodes=N                  NUMA nodes (an SRAT with N proximity domains)
 *   numa=off                 ignore the SRAT: one node
 *   cpus=N                   simulated CPUs (nr_cpus)
 *   arch=x86_64|x86_32|x86_32-pae
 *   la57                     x86_64 with 5-level page tables (57-bit user addresses)
 *   backing=memfd|none       RAM contents in a memfd, or metadata only
 *   memory_model=flatmem|sparsemem   the kernel's Kconfig choice, made at boot
 *   memblock=debug           log every memblock call
 *   fail_page_alloc=<interval>,<probability>,<space>,<times>
 *                            fault injection (Documentation/fault-injection)
 *   failslab=<interval>,<probability>,<space>,<times>   slab fault injection
 *   slab_nomerge, slab_merge (slub_ too)   cache merging off / on
 *   slub_min_order=, slub_max_order=, slub_min_objects= (slab_ too)   slab sizing
 *   slub_debug=[FZPUTAO-][,cache,...][;...]   (also slab_debug=) SLUB debugging:
 *                            sanity checks, red zones, poisoning, user tracking
 *                            for all caches or the listed ones (kmalloc-* globs)
 *
 * On a real x86 kernel `mem=` caps the RAM of a larger firmware map; a
 * simulated machine has no firmware map of its own, so here `mem=` is the
 * amount of RAM the (simulated) firmware reports, laid out around the
 * usual legacy holes and the PCI hole below 4 GiB (arch/x86/e820.c).
 *
 * Every parameter is checked; an unknown or malformed one is an error that
 * names it and says what is accepted.  Parsing is table-driven: later
 * subsystems add rows to boot_param_table.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/ioport.h>
#include <linmm/mmzone.h>

#include "kernel/machine.h"

struct boot_param {
	const char *name;	/* "mem" */
	const char *accepts;	/* for error messages */
	int (*parse)(const char *val, struct linmm_boot_params *bp, char *err, size_t errlen);
};

const char *memparse(const char *s, u64 *out)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	/* A digit first, as the kernel's simple_strtoull: no blanks, no sign. */
	if (!s || *s < '0' || *s > '9')
		return NULL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (end == s || errno)
		return NULL;
	switch (*end) {
	case 'E': case 'e': shift = 60; break;
	case 'P': case 'p': shift = 50; break;
	case 'T': case 't': shift = 40; break;
	case 'G': case 'g': shift = 30; break;
	case 'M': case 'm': shift = 20; break;
	case 'K': case 'k': shift = 10; break;
	default: break;
	}
	if (shift) {
		if (v > (~0ULL >> shift))
			return NULL;
		v <<= shift;
		end++;
	}
	*out = v;
	return end;
}

static int parse_int(const char *val, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (!*val)
		return -EINVAL;
	errno = 0;
	v = strtol(val, &end, 10);
	if (*end || errno || v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

static int p_mem(const char *val, struct linmm_boot_params *bp, char *err, size_t errlen)
{
	u64 v;
	const char *end = memparse(val, &v);

	if (!end || *end || v == 0) {
		snprintf(err, errlen, "mem=%s: not a size: use nn[KMGT], e.g. mem=4G", val);
		return -EINVAL;
	}
	bp->mem = v;
	return 0;
}

static int p_memmap(const char *val, struct linmm_boot_params *bp, char *err, size_t errlen)
{
	struct linmm_memmap_arg *m;
	u64 size, start;
	const char *p = memparse(val, &size);

	if (bp->nr_memmap >= LINMM_MAX_MEMMAP_ARGS) {
		snprintf(err, errlen, "memmap=%s: too many memmap= entries (at most %d)",
			 val, LINMM_MAX_MEMMAP_ARGS);
		return -EINVAL;
	}
	m = &bp->memmap[bp->nr_memmap];
	if (!p || !size)
		goto bad;
	switch (*p) {
	case '$': m->type = E820_TYPE_RESERVED; break;
	case '#': m->type = E820_TYPE_ACPI; break;
	case '!': m->type = E820_TYPE_PRAM; break;
	case '@': m->type = E820_TYPE_RAM; break;
	default: goto bad;
	}
	p = memparse(p + 1, &start);
	if (!p || *p)
		goto bad;
	m->start = start;
	m->size = size;
	bp->nr_memmap++;
	return 0;
bad:
	snprintf(err, errlen,
		 "memmap=%s: expected nn[KMG]$ss[KMG] (reserve), nn[KMG]#ss[KMG] (ACPI data), "
		 "nn[KMG]!ss[KMG] (persistent) or nn[KMG]@ss[KMG] (usable)", val);
	return -EINVAL;
}

static int p_nodes(const char *val, struct linmm_boot_params *bp, char *err, size_t errlen)
{
	long v;

	if (parse_int(val, 1, MAX_NUMNODES, &v)) {
		snprintf(err, errlen, "nodes=%s: expected a node count from 1 to %d", val, MAX_NUMNODES);
		return -EINVAL;
	}
	bp->nr_nodes = (int)v;
	return 0;
}

static int p_numa(const char *val, struct linmm_boot_params *bp, char *err, size_t errlen)
{
	if (strcmp(val, "off")) {
		snprintf(err, errlen, "numa=%s: only numa=off is accepted", val);
		return -EINVAL;
	}
	bp->numa_off = true;
	return 0;
}

static int p_cpus(const char *val, struct linmm_boot_params *bp, char *err, size_t errlen)
{
	long v;

	if (parse_int(val, 1, NR_CPUS, &v)) {
		snprintf(err, errlen, "cpus=%s: expected a CPU count from 1 to %d (NR_CPUS)", val, NR_CPUS);
		return -EINVAL;
	}
	bp->nr_cpus = (int)v;
	return 0;
}

static int p_arch(const char *val, struct linmm_boot_params *bp, char *err, size_t errlen)
{
	const struct linmm_arch *a = linmm_arch_find(val);

	if (!a) {
		snprintf(err, errlen, "arch=%s: unknown architecture (accepted: x86_64, x86_32, x86_32-pae)", val);
		return -EINVAL;
	}
	bp->arch = a;
	return 0;
}

/* la57: the CPU has 5-level paging and the kernel uses it (the kernel's no5lvl turns it off). */
static int p_la57(const char *val, struct linmm_boot_params *bp, char *err, size_t errlen)
{
	if (*val) {
		snprintf(err, errlen, "la57 takes no value");
		return -EINVAL;
	}
	bp->la57 = true;
	return 0;
}

static int p_backing(const char *val, struct linmm_boot_params *bp, char *err, size_t errlen)
{
	if (!strcmp(val, "memfd")) {
		bp->backing = LINMM_BACKING_MEMFD;
	} else if (!strcmp(val, "none")) {
		bp->backing = LINMM_BACKING_NONE;
	} else {
		snprintf(err, errlen, "backing=%s: expected backing=memfd (RAM with contents) or "
			 "backing=none (metadata only)", val);
		return -EINVAL;
	}
	return 0;
}

static int p_model(const char *val, struct linmm_boot_params *bp, char *err, size_t errlen)
{
	if (!strcmp(val, "flatmem")) {
		bp->model = LINMM_FLATMEM;
	} else if (!strcmp(val, "sparsemem")) {
		bp->model = LINMM_SPARSEMEM_VMEMMAP;
	} else {
		snprintf(err, errlen, "memory_model=%s: expected flatmem or sparsemem", val);
		return -EINVAL;
	}
	return 0;
}

static int p_memblock(const char *val, struct linmm_boot_params *bp, char *err, size_t errlen)
{
	if (strcmp(val, "debug")) {
		snprintf(err, errlen, "memblock=%s: only memblock=debug is accepted", val);
		return -EINVAL;
	}
	bp->memblock_debug = true;
	return 0;
}

static int p_fail_page_alloc(const char *val, struct linmm_boot_params *bp, char *err,
			     size_t errlen)
{
	unsigned long interval, probability;
	int space, times, n = -1;

	if (sscanf(val, "%lu,%lu,%d,%d%n", &interval, &probability, &space, &times, &n) != 4 ||
	    n < 0 || val[n] || probability > 100 || strlen(val) >= sizeof(bp->fail_page_alloc)) {
		snprintf(err, errlen, "fail_page_alloc=%s: expected <interval>,<probability 0-100>,"
			 "<space>,<times>, e.g. fail_page_alloc=1,10,0,-1", val);
		return -EINVAL;
	}
	snprintf(bp->fail_page_alloc, sizeof(bp->fail_page_alloc), "%s", val);
	return 0;
}

/*
 * slub_debug= and slab_debug= (6.8+ name): kept as given and parsed at boot
 * by setup_slub_debug() (mm/slub_debug.c), which reports unknown option
 * letters in dmesg and skips them, as the kernel does.
 */
static int p_slub_debug(const char *val, struct linmm_boot_params *bp, char *err, size_t errlen)
{
	if (strlen(val) >= sizeof(bp->slub_debug)) {
		snprintf(err, errlen, "slub_debug=%.40s...: too long (at most %zu characters)", val,
			 sizeof(bp->slub_debug) - 1);
		return -EINVAL;
	}
	snprintf(bp->slub_debug, sizeof(bp->slub_debug), "%s", val);
	bp->slub_debug_given = true;
	return 0;
}

static int p_failslab(const char *val, struct linmm_boot_params *bp, char *err, size_t errlen)
{
	unsigned long interval, probability;
	int space, times, n = -1;

	if (sscanf(val, "%lu,%lu,%d,%d%n", &interval, &probability, &space, &times, &n) != 4 ||
	    n < 0 || val[n] || probability > 100 || strlen(val) >= sizeof(bp->failslab)) {
		snprintf(err, errlen, "failslab=%s: expected <interval>,<probability 0-100>,"
			 "<space>,<times>, e.g. failslab=1,10,0,-1", val);
		return -EINVAL;
	}
	snprintf(bp->failslab, sizeof(bp->failslab), "%s", val);
	return 0;
}

/* slab_nomerge, slab_merge (and the older slub_ spellings): no value. */
static int p_slab_merge(const char *val, struct linmm_boot_params *bp, char *err, size_t errlen,
			const char *name, int merge)
{
	if (*val) {
		snprintf(err, errlen, "%s=%s: %s takes no value", name, val, name);
		return -EINVAL;
	}
	bp->slab_merge = merge;
	return 0;
}

static int p_slab_nomerge(const char *val, struct linmm_boot_params *bp, char *err, size_t errlen)
{
	return p_slab_merge(val, bp, err, errlen, "slab_nomerge", 0);
}

static int p_slub_nomerge(const char *val, struct linmm_boot_params *bp, char *err, size_t errlen)
{
	return p_slab_merge(val, bp, err, errlen, "slub_nomerge", 0);
}

static int p_slab_merge_on(const char *val, struct linmm_boot_params *bp, char *err, size_t errlen)
{
	return p_slab_merge(val, bp, err, errlen, "slab_merge", 1);
}

static int p_slub_merge_on(const char *val, struct linmm_boot_params *bp, char *err, size_t errlen)
{
	return p_slab_merge(val, bp, err, errlen, "slub_merge", 1);
}

/*
 * slub_min_order= / slub_max_order= / slub_min_objects= (6.8+ also slab_*):
 * orders are capped at MAX_PAGE_ORDER and kept min <= max as the kernel's
 * setup functions do (the later parameter wins).
 */
static int p_slub_uint(const char *val, const char *what, long hi, unsigned int *out, char *err,
		       size_t errlen)
{
	long v;

	if (parse_int(val, 0, hi, &v)) {
		snprintf(err, errlen, "%s=%s: expected a number from 0 to %ld", what, val, hi);
		return -EINVAL;
	}
	*out = (unsigned int)v;
	return 0;
}

static int p_slub_min_order(const char *val, struct linmm_boot_params *bp, char *err, size_t errlen)
{
	if (p_slub_uint(val, "slub_min_order", MAX_PAGE_ORDER, &bp->slub_min_order, err, errlen))
		return -EINVAL;
	if (bp->slub_min_order > bp->slub_max_order)
		bp->slub_max_order = bp->slub_min_order;
	return 0;
}

static int p_slub_max_order(const char *val, struct linmm_boot_params *bp, char *err, size_t errlen)
{
	if (p_slub_uint(val, "slub_max_order", MAX_PAGE_ORDER, &bp->slub_max_order, err, errlen))
		return -EINVAL;
	if (bp->slub_min_order > bp->slub_max_order)
		bp->slub_min_order = bp->slub_max_order;
	return 0;
}

static int p_slub_min_objects(const char *val, struct linmm_boot_params *bp, char *err,
			      size_t errlen)
{
	return p_slub_uint(val, "slub_min_objects", 32767, &bp->slub_min_objects, err, errlen);
}

static const struct boot_param boot_param_table[] = {
	{ "mem", "mem=nn[KMGT]", p_mem },
	{ "memmap", "memmap=nn[KMG]$ss[KMG]", p_memmap },
	{ "nodes", "nodes=N", p_nodes },
	{ "numa", "numa=off", p_numa },
	{ "cpus", "cpus=N", p_cpus },
	{ "arch", "arch=x86_64|x86_32|x86_32-pae", p_arch },
	{ "la57", "la57", p_la57 },
	{ "backing", "backing=memfd|none", p_backing },
	{ "memory_model", "memory_model=flatmem|sparsemem", p_model },
	{ "memblock", "memblock=debug", p_memblock },
	{ "fail_page_alloc", "fail_page_alloc=<interval>,<probability>,<space>,<times>",
	  p_fail_page_alloc },
	{ "slub_debug", "slub_debug[=[FZPUTAO-][,cache,...][;...]]", p_slub_debug },
	{ "slab_debug", "slab_debug[=[FZPUTAO-][,cache,...][;...]]", p_slub_debug },
	{ "failslab", "failslab=<interval>,<probability>,<space>,<times>", p_failslab },
	{ "slab_nomerge", "slab_nomerge", p_slab_nomerge },
	{ "slub_nomerge", "slub_nomerge", p_slub_nomerge },
	{ "slab_merge", "slab_merge", p_slab_merge_on },
	{ "slub_merge", "slub_merge", p_slub_merge_on },
	{ "slub_min_order", "slub_min_order=N", p_slub_min_order },
	{ "slab_min_order", "slab_min_order=N", p_slub_min_order },
	{ "slub_max_order", "slub_max_order=N", p_slub_max_order },
	{ "slab_max_order", "slab_max_order=N", p_slub_max_order },
	{ "slub_min_objects", "slub_min_objects=N", p_slub_min_objects },
	{ "slab_min_objects", "slab_min_objects=N", p_slub_min_objects },
};

/* Parameters that may be given bare ("slab_nomerge"): their parser gets "". */
static bool param_takes_no_value(const char *name)
{
	static const char *const bare[] = { "slab_nomerge", "slub_nomerge", "slab_merge",
					    "slub_merge", "slub_debug", "slab_debug", "la57" };

	for (size_t i = 0; i < ARRAY_SIZE(bare); i++)
		if (!strcmp(name, bare[i]))
			return true;
	return false;
}

static void accepted_list(char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(boot_param_table) && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? " " : "",
					boot_param_table[i].accepts);
}

/* @v as memparse() reads it back: "64M", "1G", or plain bytes. */
static void memsize_text(u64 v, char *buf, size_t len)
{
	static const char suffix[] = "KMGTPE";
	int i;

	for (i = 5; i >= 0; i--)
		if (v && !(v & ((1ULL << (10 * (i + 1))) - 1)))
			break;
	if (i < 0)
		snprintf(buf, len, "%llu", (unsigned long long)v);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)(v >> (10 * (i + 1))), suffix[i]);
}

/*
 * A memmap= that makes any part of the kernel image something other than
 * usable RAM would leave the running kernel outside RAM (the kernel's
 * .init pages could not be freed to a zone; a real kernel would not
 * survive it either): refuse it, naming the image's range.  Checked once
 * the arch, and so the image's place, is known.
 */
static int check_memmap_kernel(const struct linmm_boot_params *bp, char *err, size_t errlen)
{
	static const char type_char[] = {
		[E820_TYPE_RESERVED] = '$', [E820_TYPE_ACPI] = '#', [E820_TYPE_PRAM] = '!',
	};
	struct linmm_kernel_image img;
	char size[24], start[24];

	linmm_kernel_image_layout(bp->arch, &img);
	for (int i = 0; i < bp->nr_memmap; i++) {
		const struct linmm_memmap_arg *m = &bp->memmap[i];

		if (m->type == E820_TYPE_RAM || m->start >= img.end ||
		    (m->start < img.start && m->size <= img.start - m->start))
			continue;
		memsize_text(m->size, size, sizeof(size));
		memsize_text(m->start, start, sizeof(start));
		snprintf(err, errlen, "memmap=%s%c%s: covers the kernel image [mem %#010llx-%#010llx] "
			 "of arch=%s, which must stay usable RAM", size, type_char[m->type], start,
			 (unsigned long long)img.start, (unsigned long long)(img.end - 1),
			 bp->arch->name);
		return -EINVAL;
	}
	return 0;
}

static void set_defaults(struct linmm_boot_params *bp)
{
	memset(bp, 0, sizeof(*bp));
	bp->mem = SZ_1G;
	bp->nr_nodes = 1;
	bp->nr_cpus = 2;
	bp->numa_distance_remote = 20;
	bp->arch = &arch_x86_64;
	bp->backing = LINMM_BACKING_MEMFD;
	bp->model = -1;
	bp->slab_merge = -1;
	bp->slub_max_order = 3;		/* PAGE_ALLOC_COSTLY_ORDER */
}

int linmm_parse_cmdline(const char *cmdline, struct linmm_boot_params *bp, char *err, size_t errlen)
{
	char tok[512];
	const char *p = cmdline ? cmdline : "";

	set_defaults(bp);
	if (strlen(p) >= sizeof(bp->cmdline)) {
		snprintf(err, errlen, "command line too long (%zu bytes, at most %zu)",
			 strlen(p), sizeof(bp->cmdline) - 1);
		return -EINVAL;
	}
	snprintf(bp->cmdline, sizeof(bp->cmdline), "%s", p);

	while (*p) {
		size_t n;
		char *eq;
		size_t i;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		n = strcspn(p, " \t\n");
		if (n >= sizeof(tok)) {
			snprintf(err, errlen, "boot parameter too long: '%.40s...'", p);
			return -EINVAL;
		}
		memcpy(tok, p, n);
		tok[n] = '\0';
		p += n;

		eq = strchr(tok, '=');
		if (eq)
			*eq = '\0';
		for (i = 0; i < ARRAY_SIZE(boot_param_table); i++)
			if (!strcmp(tok, boot_param_table[i].name))
				break;
		if (i == ARRAY_SIZE(boot_param_table)) {
			char acc[512];

			accepted_list(acc, sizeof(acc));
			if (eq)
				*eq = '=';
			snprintf(err, errlen, "unknown boot parameter '%s' (accepted: %s)", tok, acc);
			return -EINVAL;
		}
		if (!eq && !param_takes_no_value(tok)) {
			snprintf(err, errlen, "%s: missing value: use %s", tok,
				 boot_param_table[i].accepts);
			return -EINVAL;
		}
		if (boot_param_table[i].parse(eq ? eq + 1 : "", bp, err, errlen))
			return -EINVAL;
	}
	if ((int)bp->model == -1)
		bp->model = bp->arch->default_model;
	if (bp->la57 && bp->arch->bits != 64) {
		snprintf(err, errlen, "la57: 5-level paging needs arch=x86_64");
		return -EINVAL;
	}
	if (bp->numa_off)
		bp->nr_nodes = 1;
	return check_memmap_kernel(bp, err, errlen);
}
