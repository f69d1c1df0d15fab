/* SPDX-License-Identifier: MIT */
/*
 * e820.c - the simulated BIOS memory map (arch/x86/kernel/e820.c).
 *
 * The firmware reports `mem=` bytes of RAM the way PC firmware (and QEMU's)
 * lays it out:
 *
 *   0x00000000 +-----------------+
 *              | usable 639 KiB  |  conventional memory
 *   0x0009fc00 | reserved        |  EBDA
 *   0x000a0000 |   (VGA, ROMs)   |  not RAM
 *   0x000f0000 | reserved        |  BIOS
 *   0x00100000 | usable          |  up to min(mem, 3 GiB)
 *              |   ...           |
 *   0xc0000000 |   PCI hole      |  only when mem >= 3.5 GiB: the rest of RAM
 *   0xfeffc000 | reserved        |  moves above 4 GiB
 *   0xfffc0000 | reserved        |  BIOS ROM
 *  0x100000000 | usable          |  mem - 3 GiB (large machines)
 *              +-----------------+
 *
 * The table is kept sorted and non-overlapping; every edit recomputes it
 * over the elementary intervals between entry boundaries, and where
 * entries overlap the larger type value wins, as in e820__update_table().
 */
#include <string.h>

#include <linmm/memblock.h>
#include <linmm/mmzone.h>
#include <linmm/printk.h>

#include "arch/x86/e820.h"
#include "kernel/host.h"

struct e820_table *e820_table;

const char *e820_type_name(enum e820_type type)
{
	switch (type) {
	case E820_TYPE_RAM: return "usable";
	case E820_TYPE_RESERVED: return "reserved";
	case E820_TYPE_ACPI: return "ACPI data";
	case E820_TYPE_NVS: return "ACPI NVS";
	case E820_TYPE_UNUSABLE: return "unusable";
	case E820_TYPE_PMEM: return "persistent (type 7)";
	case E820_TYPE_PRAM: return "persistent (type 12)";
	}
	return "type ?";
}

/*
 * Rebuild the table: for every elementary interval between boundaries,
 * @fn decides the resulting type from the current one (0: no entry).
 */
typedef int (*e820_edit_fn)(u64 start, u64 end, int cur, const void *arg);

static void e820_edit(u64 start, u64 end, e820_edit_fn fn, const void *arg)
{
	u64 bounds[2 * E820_MAX_ENTRIES + 2];
	struct e820_table *old = e820_table;
	struct e820_table nt;
	int nb = 0;

	for (u32 i = 0; i < old->nr_entries; i++) {
		bounds[nb++] = old->entries[i].addr;
		bounds[nb++] = old->entries[i].addr + old->entries[i].size;
	}
	bounds[nb++] = start;
	bounds[nb++] = end;
	/* insertion sort + dedup: at most 258 boundaries */
	for (int i = 1; i < nb; i++)
		for (int j = i; j > 0 && bounds[j - 1] > bounds[j]; j--) {
			u64 t = bounds[j];

			bounds[j] = bounds[j - 1];
			bounds[j - 1] = t;
		}
	nt.nr_entries = 0;
	for (int i = 0; i + 1 < nb; i++) {
		u64 s = bounds[i], e = bounds[i + 1];
		int cur = 0, type;

		if (s == e)
			continue;
		for (u32 k = 0; k < old->nr_entries; k++)
			if (old->entries[k].addr <= s && s < old->entries[k].addr + old->entries[k].size)
				cur = (int)old->entries[k].type;
		type = (s >= start && e <= end) ? fn(s, e, cur, arg) : cur;
		if (!type)
			continue;
		if (nt.nr_entries) {
			struct e820_entry *last = &nt.entries[nt.nr_entries - 1];

			if ((int)last->type == type && last->addr + last->size == s) {
				last->size += e - s;
				continue;
			}
		}
		if (nt.nr_entries == E820_MAX_ENTRIES)
			break;	/* the kernel drops entries past the table size too */
		nt.entries[nt.nr_entries++] = (struct e820_entry){ s, e - s, (enum e820_type)type };
	}
	*e820_table = nt;
}

static int add_fn(u64 s, u64 e, int cur, const void *arg)
{
	int t = *(const int *)arg;

	return cur > t ? cur : t;
}

void e820__range_add(u64 start, u64 size, enum e820_type type)
{
	int t = (int)type;

	if (size)
		e820_edit(start, start + size, add_fn, &t);
}

struct e820_update_arg {
	int old, new;
	bool check;
};

static int update_fn(u64 s, u64 e, int cur, const void *arg)
{
	const struct e820_update_arg *a = arg;

	if (!cur || (a->check && cur != a->old))
		return cur;
	return a->new;
}

void e820__range_update(u64 start, u64 size, enum e820_type old, enum e820_type new)
{
	struct e820_update_arg a = { (int)old, (int)new, true };

	pr_info("e820: update [mem %#010llx-%#010llx] %s ==> %s\n",
		(unsigned long long)start, (unsigned long long)(start + size - 1),
		e820_type_name(old), e820_type_name(new));
	e820_edit(start, start + size, update_fn, &a);
}

void e820__range_remove(u64 start, u64 size, enum e820_type old, bool check_type)
{
	struct e820_update_arg a = { (int)old, 0, check_type };

	if (check_type)
		pr_info("e820: remove [mem %#010llx-%#010llx] %s\n", (unsigned long long)start,
			(unsigned long long)(start + size - 1), e820_type_name(old));
	else
		pr_info("e820: remove [mem %#010llx-%#010llx]\n", (unsigned long long)start,
			(unsigned long long)(start + size - 1));
	e820_edit(start, start + size, update_fn, &a);
}

void e820__print_table(const char *who)
{
	for (u32 i = 0; i < e820_table->nr_entries; i++) {
		const struct e820_entry *e = &e820_table->entries[i];

		pr_info("%s: [mem %#018llx-%#018llx] %s\n", who, (unsigned long long)e->addr,
			(unsigned long long)(e->addr + e->size - 1), e820_type_name(e->type));
	}
}

unsigned long e820__end_of_ram_pfn(unsigned long limit_pfn)
{
	unsigned long last = 0;

	for (u32 i = 0; i < e820_table->nr_entries; i++) {
		const struct e820_entry *e = &e820_table->entries[i];
		unsigned long s = PFN_UP(e->addr), end = PFN_DOWN(e->addr + e->size);

		if (e->type != E820_TYPE_RAM || s >= limit_pfn)
			continue;
		if (end > limit_pfn)
			end = limit_pfn;
		if (end > last)
			last = end;
	}
	return last;
}

int e820__memory_setup(const struct linmm_boot_params *bp)
{
	u64 mem = bp->mem, below_4g, above_4g;

	e820_table = linmm_host_zalloc(sizeof(*e820_table));
	if (!e820_table)
		return -ENOMEM;

	below_4g = mem >= 0xe0000000ULL ? 0xc0000000ULL : mem;
	above_4g = mem - below_4g;
	/* The legacy hole hides RAM behind it, as on a PC: it is not reported. */
	e820__range_add(0, 0x9fc00, E820_TYPE_RAM);
	e820__range_add(0x9fc00, 0x400, E820_TYPE_RESERVED);
	e820__range_add(0xf0000, 0x10000, E820_TYPE_RESERVED);
	e820__range_add(0x100000, below_4g - 0x100000, E820_TYPE_RAM);
	if (above_4g) {
		e820__range_add(0xfeffc000ULL, 0x4000, E820_TYPE_RESERVED);
		e820__range_add(SZ_4G, above_4g, E820_TYPE_RAM);
	}
	e820__range_add(0xfffc0000ULL, 0x40000, E820_TYPE_RESERVED);

	pr_info("BIOS-provided physical RAM map:\n");
	e820__print_table("BIOS-e820");

	if (bp->nr_memmap) {
		for (int i = 0; i < bp->nr_memmap; i++) {
			const struct linmm_memmap_arg *m = &bp->memmap[i];

			if (m->type == E820_TYPE_RAM)
				e820__range_add(m->start, m->size, E820_TYPE_RAM);
			else
				e820__range_add(m->start, m->size, m->type);
		}
		pr_info("user-defined physical RAM map:\n");
		e820__print_table("user");
	}
	return 0;
}

int e820__memblock_setup(void)
{
	for (u32 i = 0; i < e820_table->nr_entries; i++) {
		const struct e820_entry *e = &e820_table->entries[i];
		int ret;

		if (e->type != E820_TYPE_RAM)
			continue;
		ret = memblock_add(e->addr, e->size);
		if (ret)
			return ret;
	}
	memblock_trim_memory(PAGE_SIZE);
	return 0;
}

void e820__teardown(void)
{
	linmm_host_free(e820_table);
	e820_table = NULL;
}
