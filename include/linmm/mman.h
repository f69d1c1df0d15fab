/* SPDX-License-Identifier: MIT */
/*
 * mman.h - the overcommit policy (include/linux/mman.h, mm/util.c).
 *
 * vm.overcommit_memory picks how address-space commitments are checked:
 * OVERCOMMIT_GUESS (0, heuristic), OVERCOMMIT_ALWAYS (1), OVERCOMMIT_NEVER
 * (2: strict, against the commit limit).  The commit limit is
 *   overcommit_kbytes ? overcommit_kbytes / 4
 *                     : (totalram - hugetlb pages) * overcommit_ratio / 100
 * plus swap pages (vm_commit_limit()); /proc/meminfo shows it as
 * CommitLimit and the committed total as Committed_AS.
 */
#ifndef LINMM_MMAN_H
#define LINMM_MMAN_H

#include <linmm/sysctl.h>
#include <linmm/types.h>

#define OVERCOMMIT_GUESS 0
#define OVERCOMMIT_ALWAYS 1
#define OVERCOMMIT_NEVER 2

extern int sysctl_overcommit_memory;		/* OVERCOMMIT_GUESS */
extern int sysctl_overcommit_ratio;		/* 50 */
extern unsigned long sysctl_overcommit_kbytes;	/* 0: use the ratio */
extern unsigned long sysctl_admin_reserve_kbytes;	/* min(3% of free, 8 MiB) */
extern unsigned long sysctl_user_reserve_kbytes;	/* min(3% of free, 128 MiB) */

/* vm_commit_limit - pages that may be committed under OVERCOMMIT_NEVER. */
unsigned long vm_commit_limit(void);
/* vm_memory_committed - pages of address space committed (Committed_AS). */
unsigned long vm_memory_committed(void);
/* vm_acct_memory / vm_unacct_memory - add or remove @pages of commitment. */
void vm_acct_memory(long pages);
void vm_unacct_memory(long pages);

/*
 * mm_util_init - reset the overcommit knobs to their defaults and size the
 * admin and user reserves from the free memory, as init_admin_reserve() and
 * init_user_reserve() do at subsys_initcall time.
 * Context: boot, after memblock_free_all() (needs NR_FREE_PAGES).
 */
void mm_util_init(void);

/* The sysctl handlers of vm.overcommit_ratio and vm.overcommit_kbytes (each clears the other). */
proc_handler overcommit_ratio_handler;
proc_handler overcommit_kbytes_handler;

#endif /* LINMM_MMAN_H */
