// SPDX-License-Identifier: MIT
/*
 * mmap.c - the size and layout constants of a user address space on x86
 * (arch/x86/include/asm/page_32_types.h, page_64_types.h, processor.h,
 * elf.h and the task-size half of arch/x86/mm/mmap.c).
 *
 * The kernel compiles these as constants per configuration; linmm runs
 * one configuration per boot, so they are functions of the running arch
 * model (and, on x86_64, of the la57 boot parameter):
 *
 *                    TASK_SIZE_MAX        DEFAULT_MAP_WINDOW  STACK_RND_MASK  ELF_ET_DYN_BASE    mmap_rnd_bits
 *   x86_32 (3G/1G)   0xc0000000           TASK_SIZE           0x7ff           0x400000           8
 *   x86_64 4-level   2^47 - 4096          2^47 - 4096         0x3fffff        WINDOW / 3 * 2     28
 *   x86_64 la57      2^56 - 4096          2^47 - 4096         0x3fffff        WINDOW / 3 * 2     28
 *
 * On x86_32 TASK_SIZE is PAGE_OFFSET (VMSPLIT_3G): the user part ends
 * where the kernel's direct map begins, STACK_TOP is TASK_SIZE, and
 * TASK_UNMAPPED_BASE is TASK_SIZE / 3 (0x40000000).  With 5-level tables
 * the user part grows to 56 bits, but mmap hands out addresses above the
 * 47-bit DEFAULT_MAP_WINDOW only to a caller whose hint lies above it
 * (arch_get_unmapped_area's high_limit), so programs that keep tags in the
 * top pointer bits keep working.
 *
 * No locks: pure functions of the boot configuration.
 */
#include <linmm/mmap.h>
#include <linmm/pgtable.h>

#include "arch/arch.h"
#include "mm/internal.h"

static bool is_32bit(void)
{
	return linmm_arch && linmm_arch->bits == 32;
}

unsigned long task_size_max(void)
{
	if (is_32bit())
		return (unsigned long)linmm_arch->page_offset;	/* TASK_SIZE = __PAGE_OFFSET */
	if (pgtable_l5_enabled())
		return (1UL << 56) - PAGE_SIZE;
	return (1UL << 47) - PAGE_SIZE;
}

unsigned long default_map_window(void)
{
	return is_32bit() ? task_size_max() : (1UL << 47) - PAGE_SIZE;
}

unsigned long stack_rnd_mask(void)
{
	return is_32bit() ? 0x7ffUL : 0x3fffffUL;	/* __STACK_RND_MASK(mmap_is_ia32()) */
}

unsigned long elf_et_dyn_base(unsigned long task_size)
{
	/* mmap_is_ia32(): a 32-bit kernel loads a PIE at 4 MiB. */
	if (is_32bit())
		return 0x400000UL;
	return min(task_size, default_map_window()) / 3 * 2;
}

int mmap_rnd_bits_default(void)
{
	return is_32bit() ? 8 : 28;	/* CONFIG_ARCH_MMAP_RND_BITS (= _MIN) */
}
