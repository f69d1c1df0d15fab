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
 *
 * Also kvmalloc()/kvfree() (mm/util.c's __kvmalloc_node): kmalloc first,
 * quietly and without retrying hard for more than a page, then vmalloc.
 */
#include <limits.h>

#include <linmm/memblock.h>
#include <linmm/mm.h>
#include <linmm/mman.h>
#include <linmm/pgtable.h>
#include <linmm/slab.h>
#include <linmm/vmalloc.h>
#include <linmm/vmstat.h>

#include "mm/internal.h"

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

/* kmalloc_gfp_adjust(): above a page kmalloc may fail fast, vmalloc will retry. */
static gfp_t kmalloc_gfp_adjust(gfp_t flags, size_t size)
{
	if (size > PAGE_SIZE) {
		flags |= __GFP_NOWARN;
		if (!(flags & __GFP_RETRY_MAYFAIL))
			flags |= __GFP_NORETRY;
		flags &= ~__GFP_NOFAIL;
	}
	return flags;
}

/**
 * kvmalloc_node - kmalloc, falling back to vmalloc
 * @size: bytes
 * @flags: GFP flags; the vmalloc fallback needs a blocking context
 * @node: preferred node or NUMA_NO_NODE
 *
 * Requests of up to a page are kmalloc's alone.  Larger ones try kmalloc
 * with __GFP_NOWARN | __GFP_NORETRY (unless __GFP_RETRY_MAYFAIL), then
 * vmalloc with the caller's flags.  Sizes above INT_MAX are refused.
 *
 * Context: may sleep if @flags allow.
 * Return: memory to release with kvfree(), or NULL.
 */
void *kvmalloc_node(size_t size, gfp_t flags, int node)
{
	void *ret = kmalloc_node(size, kmalloc_gfp_adjust(flags, size), node);

	if (ret || size <= PAGE_SIZE)
		return ret;
	if (!gfpflags_allow_blocking(flags))
		return NULL;
	if (size > INT_MAX) {
		WARN_ON_ONCE(!(flags & __GFP_NOWARN));
		return NULL;
	}
	return __vmalloc_node_range(size, 1, flags, PAGE_KERNEL, VM_ALLOW_HUGE_VMAP, node,
				    __builtin_return_address(0));
}

void *kvmalloc(size_t size, gfp_t flags)
{
	return kvmalloc_node(size, flags, NUMA_NO_NODE);
}

void *kvzalloc(size_t size, gfp_t flags)
{
	return kvmalloc_node(size, flags | __GFP_ZERO, NUMA_NO_NODE);
}

void *kvmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kvmalloc_node(bytes, flags, NUMA_NO_NODE);
}

void *kvcalloc(size_t n, size_t size, gfp_t flags)
{
	return kvmalloc_array(n, size, flags | __GFP_ZERO);
}

/**
 * kvfree - free memory from kvmalloc() and friends
 * @p: the pointer (NULL is ignored)
 *
 * Context: may not be called from a non-sleeping context for vmalloc'ed
 * memory in the kernel (vfree may sleep); linmm does not check.
 */
void kvfree(const void *p)
{
	if (is_vmalloc_addr(p))
		vfree(p);
	else
		kfree(p);
}
