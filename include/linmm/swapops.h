/* SPDX-License-Identifier: MIT */
/*
 * swapops.h - non-present PTEs that name something: swap entries and
 * migration entries (include/linux/swapops.h, include/linux/swap.h,
 * arch/x86/include/asm/pgtable_64.h and pgtable-2level.h).
 *
 * A swp_entry_t is (type, offset).  Types from MAX_SWAPFILES up are not
 * swap devices but special entries; as 6.18 configures them on x86_64
 * (5 type bits: 32 types; 2 device-private, 3 migration, 1 hwpoison, 1
 * marker type), MAX_SWAPFILES is 25:
 *
 *   type  0..24   swap areas        offset: slot in the area
 *   type 25       SWP_HWPOISON
 *   type 26..28   SWP_MIGRATION_READ, _READ_EXCLUSIVE, _WRITE  offset: the pfn
 *   type 29..30   SWP_DEVICE_WRITE, SWP_DEVICE_READ
 *   type 31       SWP_PTE_MARKER
 *
 * In a PTE (present bit and PROTNONE clear), 8-byte formats put the type in
 * bits 59-63 and the inverted offset in bits 9-58 (x86_64 __swp_entry, so
 * that an L1TF-speculated frame number points nowhere); the 2-level format
 * puts the type in bits 1-5 and the offset from bit 9.  PAE uses the
 * 8-byte layout here (the kernel's PAE keeps the offset in the high word:
 * a documented difference no user can see, since the entries are not
 * exported; /proc/PID/pagemap shows type and offset, not the PTE).
 */
#ifndef LINMM_SWAPOPS_H
#define LINMM_SWAPOPS_H

#include <linmm/pgtable.h>

typedef struct { unsigned long val; } swp_entry_t;

#define MAX_SWAPFILES_SHIFT	5
#define SWP_TYPE_BITS		MAX_SWAPFILES_SHIFT
#define MAX_SWAPFILES		25
#define SWP_HWPOISON		MAX_SWAPFILES
#define SWP_MIGRATION_READ	(MAX_SWAPFILES + 1)
#define SWP_MIGRATION_READ_EXCLUSIVE (MAX_SWAPFILES + 2)
#define SWP_MIGRATION_WRITE	(MAX_SWAPFILES + 3)
#define SWP_PTE_MARKER		31

#define SWP_OFFSET_BITS		(64 - SWP_TYPE_BITS)
#define SWP_OFFSET_MASK		((1UL << SWP_OFFSET_BITS) - 1)

static inline swp_entry_t swp_entry(unsigned int type, unsigned long offset)
{
	return (swp_entry_t){ ((unsigned long)type << SWP_OFFSET_BITS) | (offset & SWP_OFFSET_MASK) };
}

static inline unsigned int swp_type(swp_entry_t e) { return (unsigned int)(e.val >> SWP_OFFSET_BITS); }
static inline unsigned long swp_offset(swp_entry_t e) { return e.val & SWP_OFFSET_MASK; }

/* Bit layout of a swap PTE (see the header comment). */
#define SWP_PTE_OFFSET_FIRST_BIT 9

static inline pte_t swp_entry_to_pte(swp_entry_t e)
{
	u64 off = swp_offset(e), type = swp_type(e);

	if (pgtable_fmt->entry_size == 4)
		return __pte((type << 1) | (off << SWP_PTE_OFFSET_FIRST_BIT));
	/* ~offset in bits 9..58, type in 59..63 */
	return __pte(((~off << (SWP_PTE_OFFSET_FIRST_BIT + SWP_TYPE_BITS)) >> SWP_TYPE_BITS) |
		     (type << (64 - SWP_TYPE_BITS)));
}

static inline swp_entry_t pte_to_swp_entry(pte_t pte)
{
	u64 v = pte_val(pte);

	if (pgtable_fmt->entry_size == 4)
		return swp_entry((unsigned int)((v >> 1) & 0x1f), (unsigned long)(v >> SWP_PTE_OFFSET_FIRST_BIT));
	return swp_entry((unsigned int)(v >> (64 - SWP_TYPE_BITS)),
			 (unsigned long)((~v << SWP_TYPE_BITS) >> (SWP_PTE_OFFSET_FIRST_BIT + SWP_TYPE_BITS)));
}

/* is_swap_pte - neither empty nor present: a swap-format entry. */
static inline bool is_swap_pte(pte_t pte)
{
	return !pte_none(pte) && !pte_present(pte);
}

static inline bool is_migration_entry(swp_entry_t e)
{
	return swp_type(e) >= SWP_MIGRATION_READ && swp_type(e) <= SWP_MIGRATION_WRITE;
}

static inline bool is_writable_migration_entry(swp_entry_t e)
{
	return swp_type(e) == SWP_MIGRATION_WRITE;
}

static inline swp_entry_t make_migration_entry(unsigned long pfn, bool writable, bool exclusive)
{
	return swp_entry(writable ? SWP_MIGRATION_WRITE :
			 exclusive ? SWP_MIGRATION_READ_EXCLUSIVE : SWP_MIGRATION_READ, pfn);
}

/* The pfn a migration (or other pfn-carrying) entry names. */
static inline unsigned long swp_offset_pfn(swp_entry_t e)
{
	return swp_offset(e);
}

#endif /* LINMM_SWAPOPS_H */
