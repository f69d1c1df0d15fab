/* SPDX-License-Identifier: MIT */
/*
 * proc_pagemap.h - /proc/PID/pagemap, one 64-bit entry per virtual page
 * (fs/proc/task_mmu.c, Documentation/admin-guide/mm/pagemap.rst).
 *
 *   bit 63 present, 62 swapped, 61 file page or shared anonymous,
 *   58 guard region, 57 uffd-wp, 56 exclusively mapped, 55 soft-dirty,
 *   0-54 the pfn (present, privileged reader) or swap type 0-4 and
 *   offset 5-54 (swapped).
 *
 * The pfn is shown only to a reader with CAP_SYS_ADMIN, as the kernel
 * decides at open; linmm_proc_read_binary() reads as root (pfns shown),
 * pagemap_read() lets the caller choose.
 */
#ifndef LINMM_PROC_PAGEMAP_H
#define LINMM_PROC_PAGEMAP_H

#include <stdbool.h>
#include <stddef.h>

#include <linmm/types.h>

struct task_struct;

#define PM_ENTRY_BYTES		8
#define PM_PFRAME_BITS		55
#define PM_PFRAME_MASK		((1ULL << PM_PFRAME_BITS) - 1)
#define PM_SOFT_DIRTY		(1ULL << 55)
#define PM_MMAP_EXCLUSIVE	(1ULL << 56)
#define PM_UFFD_WP		(1ULL << 57)
#define PM_GUARD_REGION		(1ULL << 58)
#define PM_FILE			(1ULL << 61)
#define PM_SWAP			(1ULL << 62)
#define PM_PRESENT		(1ULL << 63)

/**
 * pagemap_read - entries of @tsk's pagemap from byte @pos
 * @tsk: the task
 * @pos: file offset, a multiple of 8 (the entry of page pos / 8)
 * @count: bytes wanted, a multiple of 8
 * @buf: @count / 8 entries (out)
 * @show_pfn: the reader has CAP_SYS_ADMIN: pfns and swap offsets shown
 *
 * Context: takes the mm's mmap_lock (read) and page_table_lock.
 * Return: bytes stored (0 at or past TASK_SIZE), or -EINVAL for an
 * unaligned @pos or @count.
 */
long pagemap_read(struct task_struct *tsk, u64 pos, size_t count, u64 *buf, bool show_pfn);

#endif /* LINMM_PROC_PAGEMAP_H */
