// SPDX-License-Identifier: MIT
/*
 * util.c - the overcommit policy and its accounting (mm/util.c).
 *
 * Holds the vm.overcommit_* and vm.{admin,user}_reserve_kbytes knobs, the
 * commit limit derived from them and the committed-memory counter that the
 * mmap family charges (vm_acct_memory) and /proc/meminfo reports.  The
 * kernel's vm_committed_as is a percpu_counter read approximately; here it
 * is one atomic, which is exact.
 *
 * The commit limit counts RAM only: linmm has no hugetlb pool and no swap
 * yet, and both join vm_commit_limit() when they arrive.
 *
 * Invariants: at most one of overcommit_ratio / overcommit_kbytes drives the
 * limit (a sysctl write to either zeroes the other).
 * Locks: none; knobs are read racily, the counter is atomic.
 */
#include <linmm/mm.h>
#include <linmm/mman.h>
#include <linmm/vmstat.h>

#define DEFAULT_OVERCOMMIT_RATIO 50
#define ADMIN_RESERVE_MAX_KB (8UL * 1024)	/* 8 MiB */
#define USER_RESERVE_MAX_KB (128UL * 1024)	/* 128 MiB */

int sysctl_overcommit_memory = OVERCOMMIT_GUESS;
int sysctl_overcommit_ratio = DEFAULT_OVERCOMMIT_RATIO;
unsigned long sysctl_overcommit_kbytes;
unsigned long sysctl_admin_reserve_kbytes = ADMIN_RESERVE_MAX_KB;
unsigned long sysctl_user_reserve_kbytes = USER_RESERVE_MAX_KB;

static _Atomic long vm_committed_as;

unsigned long vm_commit_limit(void)
{
	unsigned long allowed;

	if (sysctl_overcommit_kbytes)
		allowed = sysctl_overcommit_kbytes >> (PAGE_SHIFT - 10);
	else
		allowed = totalram_pages() * (unsigned long)sysctl_overcommit_ratio / 100;
	return allowed;
}

unsigned long vm_memory_committed(void)
{
	long v = atomic_load_explicit(&vm_committed_as, memory_order_relaxed);

	return v > 0 ? (unsigned long)v : 0;
}

void vm_acct_memory(long pages)
{
	atomic_fetch_add_explicit(&vm_committed_as, pages, memory_order_relaxed);
}

void vm_unacct_memory(long pages)
{
	vm_acct_memory(-pages);
}

void mm_util_init(void)
{
	unsigned long free_kb = (unsigned long)global_zone_page_state(NR_FREE_PAGES)
				<< (PAGE_SHIFT - 10);

	sysctl_overcommit_memory = OVERCOMMIT_GUESS;
	sysctl_overcommit_ratio = DEFAULT_OVERCOMMIT_RATIO;
	sysctl_overcommit_kbytes = 0;
	atomic_store_explicit(&vm_committed_as, 0, memory_order_relaxed);
	/* init_admin_reserve() / init_user_reserve(): 1/32 (~3%) of free memory, capped. */
	sysctl_admin_reserve_kbytes = min(free_kb / 32, ADMIN_RESERVE_MAX_KB);
	sysctl_user_reserve_kbytes = min(free_kb / 32, USER_RESERVE_MAX_KB);
}

int overcommit_ratio_handler(const struct ctl_table *table, int write, struct seq_file *m,
			     const char *buf)
{
	int ret = proc_dointvec_minmax(table, write, m, buf);

	if (!ret && write)
		sysctl_overcommit_kbytes = 0;
	return ret;
}

int overcommit_kbytes_handler(const struct ctl_table *table, int write, struct seq_file *m,
			      const char *buf)
{
	int ret = proc_doulongvec_minmax(table, write, m, buf);

	if (!ret && write)
		sysctl_overcommit_ratio = 0;
	return ret;
}
