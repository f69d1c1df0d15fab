// SPDX-License-Identifier: MIT
/*
 * util.c - the overcommit policy and its accounting, and the randomisation
 * of a new address space's layout (mm/util.c; arch/x86/mm/mmap.c's
 * mmap_base and arch_mmap_rnd, arch/x86/kernel/process.c's
 * arch_randomize_brk and arch_align_stack).
 *
 * Overcommit.  Holds the vm.overcommit_* and vm.{admin,user}_reserve_kbytes
 * knobs, the commit limit derived from them and the committed-memory
 * counter that the mmap family charges and /proc/meminfo reports.  Every
 * new commitment goes through __vm_enough_memory(), which charges first
 * and takes the charge back if the policy refuses:
 *
 *   mode 1 ALWAYS  never refuses
 *   mode 0 GUESS   refuses one request larger than totalram + swap pages
 *                  (a heuristic about this request alone, not the total)
 *   mode 2 NEVER   refuses when Committed_AS (after the charge) is not below
 *                  CommitLimit - admin reserve (tasks have no CAP_SYS_ADMIN)
 *                  - min(total_vm / 32, user reserve)
 *
 *   CommitLimit = overcommit_kbytes ? overcommit_kbytes / 4
 *                 : (totalram - hugetlb pages) * overcommit_ratio / 100
 *                 + swap pages
 *
 * The kernel's vm_committed_as is a percpu_counter read approximately;
 * here it is one atomic, which is exact.  linmm has no hugetlb pool and no
 * swap yet: both terms are 0.  A refusal prints the kernel's ratelimited
 * warning (10 per 5 s of simulated time).
 *
 * Layout randomisation (kernel.randomize_va_space: 0 off, 1 mmap base and
 * stack, 2 also the program break).  The kernel's default is 2; linmm's is
 * 0, so that every run lays a process out at the addresses of an
 * unrandomised x86_64 process (setarch -R) and scripts are repeatable.
 * When switched on, the random numbers come from a xorshift64* stream that
 * restarts from the same seed at every boot: same script, same layout.
 * Only exec (fs/exec.c) randomises, as in the kernel.
 *
 * Invariants: at most one of overcommit_ratio / overcommit_kbytes drives the
 * limit (a sysctl write to either zeroes the other).
 * Locks: none; knobs are read racily, the counter is atomic; the random
 * stream and the warning's ratelimit are racy like the kernel's
 * per-CPU batches (callers hold an mmap_lock, scripts are one thread).
 *
 * Also kvmalloc()/kvfree() (mm/util.c's __kvmalloc_node): kmalloc first,
 * quietly and without retrying hard for more than a page, then vmalloc.
 */
#include <limits.h>
#include <string.h>

#include <linmm/memblock.h>
#include <linmm/mm.h>
#include <linmm/mman.h>
#include <linmm/pgtable.h>
#include <linmm/printk.h>
#include <linmm/ratelimit.h>
#include <linmm/sched.h>
#include <linmm/slab.h>
#include <linmm/vmalloc.h>
#include <linmm/vmstat.h>

#include "mm/internal.h"

#define DEFAULT_OVERCOMMIT_RATIO 50
#define ADMIN_RESERVE_MAX_KB (8UL * 1024)	/* 8 MiB */
#define USER_RESERVE_MAX_KB (128UL * 1024)	/* 128 MiB */
#define LAYOUT_RND_SEED 0x6c696e6d6d2d766dULL		/* any nonzero value */

int sysctl_overcommit_memory = OVERCOMMIT_GUESS;
int sysctl_overcommit_ratio = DEFAULT_OVERCOMMIT_RATIO;
unsigned long sysctl_overcommit_kbytes;
unsigned long sysctl_admin_reserve_kbytes = ADMIN_RESERVE_MAX_KB;
unsigned long sysctl_user_reserve_kbytes = USER_RESERVE_MAX_KB;

long total_swap_pages;		/* mm/swapfile.c's, when swap exists */
int randomize_va_space;		/* kernel.randomize_va_space (kernel: 2) */
int mmap_rnd_bits = 28;	/* MMAP_RND_BITS_DEFAULT, set per arch at boot */

static _Atomic long vm_committed_as;
static u64 layout_rnd_state = LAYOUT_RND_SEED;

/* The kernel's pr_warn_ratelimited() state for the refusal warning. */
static struct ratelimit_state enough_memory_rs =
	RATELIMIT_STATE_INIT(DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);

/* hugetlb_total_pages(): no hugetlb pool exists yet. */
static unsigned long hugetlb_total_pages(void)
{
	return 0;
}

unsigned long vm_commit_limit(void)
{
	unsigned long allowed;

	if (sysctl_overcommit_kbytes)
		allowed = sysctl_overcommit_kbytes >> (PAGE_SHIFT - 10);
	else
		allowed = (totalram_pages() - hugetlb_total_pages()) *
			  (unsigned long)sysctl_overcommit_ratio / 100;
	allowed += (unsigned long)total_swap_pages;
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

/**
 * __vm_enough_memory - charge @pages of commitment if the overcommit policy allows
 * @mm: the address space asking (its total_vm sizes the user reserve), or NULL
 * @pages: pages to commit
 * @cap_sys_admin: nonzero if the caller may dip into the admin reserve
 *
 * The pages are added to Committed_AS first; on refusal they are taken
 * back and the kernel's "__vm_enough_memory: pid: ..." warning is logged.
 * Context: any; the mmap family holds @mm's mmap_lock for writing.
 * Return: 0 (charged) or -ENOMEM (nothing charged).
 */
int __vm_enough_memory(struct mm_struct *mm, long pages, int cap_sys_admin)
{
	const struct task_struct *tsk = mm ? mm->owner : NULL;
	long allowed;

	vm_acct_memory(pages);
	if (sysctl_overcommit_memory == OVERCOMMIT_ALWAYS)
		return 0;
	if (sysctl_overcommit_memory == OVERCOMMIT_GUESS) {
		/* The same unsigned comparison as the kernel's. */
		if ((unsigned long)pages > totalram_pages() + (unsigned long)total_swap_pages)
			goto error;
		return 0;
	}
	allowed = (long)vm_commit_limit();
	if (!cap_sys_admin)
		allowed -= (long)(sysctl_admin_reserve_kbytes >> (PAGE_SHIFT - 10));
	if (mm) {
		long reserve = (long)(sysctl_user_reserve_kbytes >> (PAGE_SHIFT - 10));

		allowed -= min((long)(mm->total_vm / 32), reserve);
	}
	if ((long)vm_memory_committed() < allowed)
		return 0;
error:
	if (___ratelimit(&enough_memory_rs, "__vm_enough_memory"))
		pr_warn("__vm_enough_memory: pid: %d, comm: %s, bytes: %lu not enough memory for "
			"the allocation\n", tsk ? tsk->pid : 0, tsk ? tsk->comm : "swapper/0",
			(unsigned long)pages << PAGE_SHIFT);
	vm_unacct_memory(pages);
	return -ENOMEM;
}

/**
 * security_vm_enough_memory_mm - __vm_enough_memory() for a task's mm
 * @mm: the address space
 * @pages: pages to commit
 *
 * The capability LSM's cap_vm_enough_memory() grants the admin reserve to
 * CAP_SYS_ADMIN; simulated tasks are unprivileged, so they never get it.
 * Context: as __vm_enough_memory().
 * Return: 0 (charged) or -ENOMEM.
 */
int security_vm_enough_memory_mm(struct mm_struct *mm, long pages)
{
	return __vm_enough_memory(mm, pages, /* cap_sys_admin = */ 0);
}

/* ---- layout randomisation ---- */

/**
 * linmm_prandom_next - the next number of a xorshift64* stream
 * @state: the stream's state, not 0; advanced
 *
 * Marsaglia's xorshift64 (shifts 12, 25, 27) scrambled by Vigna's
 * multiplier: deterministic, so a seed fixes every run.
 *
 * Context: any; the caller serialises use of @state.
 * Return: the number.
 */
u64 linmm_prandom_next(u64 *state)
{
	u64 x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* get_random_long(): the next number of the per-boot xorshift64* stream. */
unsigned long get_random_long(void)
{
	return (unsigned long)linmm_prandom_next(&layout_rnd_state);
}

static bool task_randomizes(const struct task_struct *tsk)
{
	return tsk && (tsk->flags & PF_RANDOMIZE);
}

unsigned long arch_mmap_rnd(void)
{
	return (get_random_long() & ((1UL << mmap_rnd_bits) - 1)) << PAGE_SHIFT;
}

unsigned long randomize_page(unsigned long start, unsigned long range)
{
	if (offset_in_page(start)) {
		range -= PAGE_ALIGN(start) - start;
		start = PAGE_ALIGN(start);
	}
	if (start > ULONG_MAX - range)
		range = ULONG_MAX - start;
	range >>= PAGE_SHIFT;
	if (!range)
		return start;
	return start + ((get_random_long() % range) << PAGE_SHIFT);
}

unsigned long randomize_stack_top(const struct task_struct *tsk, unsigned long stack_top)
{
	unsigned long random_variable = 0;

	if (task_randomizes(tsk))
		random_variable = (get_random_long() & STACK_RND_MASK) << PAGE_SHIFT;
	return PAGE_ALIGN(stack_top) - random_variable;
}

unsigned long arch_align_stack(const struct task_struct *tsk, unsigned long sp)
{
	if (task_randomizes(tsk) && randomize_va_space)
		sp -= get_random_long() % 8192;
	return sp & ~0xfUL;
}

unsigned long arch_randomize_brk(struct mm_struct *mm)
{
	return randomize_page(mm->brk, SZ_1G);
}

/*
 * arch/x86/mm/mmap.c mmap_base(): below the stack's rlimit, guard gap and
 * (when randomising) the stack's random range, clamped to [128 MiB,
 * 5/6 of the task size], then a random number of pages lower.
 */
static unsigned long mmap_base(unsigned long rnd, unsigned long task_size, bool randomize)
{
	unsigned long gap = _STK_LIM;
	unsigned long pad = stack_guard_gap;

	if (randomize)
		pad += STACK_RND_MASK << PAGE_SHIFT;	/* stack_maxrandom_size() */
	if (gap + pad > gap)
		gap += pad;
	gap = clamp(gap, (unsigned long)SZ_128M, (task_size / 6) * 5);
	return PAGE_ALIGN(task_size - gap - rnd);
}

void arch_pick_mmap_layout(struct mm_struct *mm, const struct task_struct *tsk)
{
	bool randomize = task_randomizes(tsk);
	unsigned long rnd = randomize ? arch_mmap_rnd() : 0;

	/* task_size_64bit(0): below the 47-bit window, also with 5-level tables. */
	mm->mmap_base = mmap_base(rnd, min(mm->task_size, DEFAULT_MAP_WINDOW), randomize);
}

void mm_util_init(void)
{
	unsigned long free_kb = (unsigned long)global_zone_page_state(NR_FREE_PAGES)
				<< (PAGE_SHIFT - 10);

	sysctl_overcommit_memory = OVERCOMMIT_GUESS;
	sysctl_overcommit_ratio = DEFAULT_OVERCOMMIT_RATIO;
	sysctl_overcommit_kbytes = 0;
	atomic_store_explicit(&vm_committed_as, 0, memory_order_relaxed);
	randomize_va_space = 0;
	mmap_rnd_bits = MMAP_RND_BITS_DEFAULT;
	layout_rnd_state = LAYOUT_RND_SEED;
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
