/* SPDX-License-Identifier: MIT */
/*
 * e820.h - the firmware memory map (arch/x86/include/asm/e820/api.h).
 */
#ifndef LINMM_ARCH_X86_E820_H
#define LINMM_ARCH_X86_E820_H

#include <linmm/types.h>

#include "kernel/machine.h"

#define E820_MAX_ENTRIES 128

struct e820_entry {
	u64 addr;
	u64 size;
	enum e820_type type;
};

struct e820_table {
	u32 nr_entries;
	struct e820_entry entries[E820_MAX_ENTRIES];
};

extern struct e820_table *e820_table;

/* Build the simulated firmware's map for @bp, print it and apply memmap=. Return 0 or -errno. */
int __must_check e820__memory_setup(const struct linmm_boot_params *bp);
void e820__range_add(u64 start, u64 size, enum e820_type type);
/* Change [start, start+size) of type @old to @new; print "e820: update ..." */
void e820__range_update(u64 start, u64 size, enum e820_type old, enum e820_type new);
/* Drop [start, start+size) of type @old (or any type when @check_type is false). */
void e820__range_remove(u64 start, u64 size, enum e820_type old, bool check_type);
void e820__print_table(const char *who);
const char *e820_type_name(enum e820_type type);
/* Last pfn of RAM below @limit_pfn + 1 (e820__end_of_ram_pfn). */
unsigned long e820__end_of_ram_pfn(unsigned long limit_pfn);
/* Add every usable range to memblock.memory.  Return 0 or -errno. */
int __must_check e820__memblock_setup(void);
void e820__teardown(void);

#endif /* LINMM_ARCH_X86_E820_H */
