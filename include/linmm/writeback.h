/* SPDX-License-Identifier: MIT */
/*
 * writeback.h - dirty page limits (include/linux/writeback.h,
 * mm/page-writeback.c).
 *
 * The dirty knobs come in pairs: a ratio of dirtyable memory (percent) or
 * an absolute byte count; setting one clears the other, as the kernel's
 * handlers do.  Dirtyable memory is free pages minus the kernel's reserves
 * plus the file LRU pages (global_dirtyable_memory); highmem counts only
 * when vm.highmem_is_dirtyable would allow it (never, in linmm).
 */
#ifndef LINMM_WRITEBACK_H
#define LINMM_WRITEBACK_H

#include <linmm/sysctl.h>
#include <linmm/types.h>

extern int vm_dirty_ratio;			/* 20 */
extern int dirty_background_ratio;		/* 10 */
extern unsigned long vm_dirty_bytes;		/* 0: use the ratio */
extern unsigned long dirty_background_bytes;	/* 0: use the ratio */
extern const unsigned long dirty_bytes_min;	/* 2 pages */

/*
 * global_dirty_limits - the system-wide dirty thresholds, in pages.
 * @pbackground: where background writeback starts (nr_dirty_background_threshold)
 * @pdirty: where writers are throttled (nr_dirty_threshold)
 * Context: any; reads counters without locks (approximate, as in the kernel).
 */
void global_dirty_limits(unsigned long *pbackground, unsigned long *pdirty);

/* Reset the dirty knobs to the kernel's defaults (boot). */
void page_writeback_init(void);

/* The sysctl handlers of vm.dirty_ratio, dirty_bytes, dirty_background_{ratio,bytes}. */
proc_handler dirty_ratio_handler;
proc_handler dirty_bytes_handler;
proc_handler dirty_background_ratio_handler;
proc_handler dirty_background_bytes_handler;

#endif /* LINMM_WRITEBACK_H */
