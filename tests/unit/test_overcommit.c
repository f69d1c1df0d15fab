// SPDX-License-Identifier: MIT
/*
 * test_overcommit.c - vm.overcommit_memory 0, 1 and 2: which commitments
 * are refused, CommitLimit and Committed_AS in /proc/meminfo.
 *
 * The expected limits are computed here from what /proc/meminfo and the
 * sysctls report, with the kernel's formulas (mm/util.c):
 *
 *   CommitLimit = overcommit_kbytes ? overcommit_kbytes
 *                 : MemTotal * overcommit_ratio / 100      (+ SwapTotal; kB)
 *   mode 0: refuse one request of more than MemTotal + SwapTotal
 *   mode 2: refuse unless Committed_AS + request < CommitLimit
 *           - admin_reserve_kbytes - min(total_vm / 32, user_reserve_kbytes)
 *
 * The seed question: on a mem=1G machine can a process mmap (malloc)
 * 1.6 GiB of private writable memory?  Mode 0: no (more than RAM + swap,
 * and there is no swap); mode 1: yes; mode 2: no.
 */
#include "../linmm_test.h"

#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/printk.h>
#include <linmm/sched.h>

#define P PAGE_SIZE
#define RW (PROT_READ | PROT_WRITE)
#define PRIV (MAP_PRIVATE | MAP_ANONYMOUS)
#define BASE 0x10000000UL
#define LEN_1_6G 1717986918UL		/* 1.6 GiB, as malloc(1.6G) asks */

static struct task_struct *tsk;

/* A field of /proc/meminfo in kB. */
static unsigned long meminfo_kb(const char *field)
{
	char *text = linmm_proc_read("/proc/meminfo"), *p;
	unsigned long v;

	assert_non_null(text);
	p = strstr(text, field);
	assert_non_null(p);
	assert_int_equal(sscanf(p + strlen(field), " %lu kB", &v), 1);
	free(text);
	return v;
}

static unsigned long sysctl_ul(const char *name)
{
	char *text = linmm_sysctl_read(name);
	unsigned long v;

	assert_non_null(text);
	assert_int_equal(sscanf(text, "%lu", &v), 1);
	free(text);
	return v;
}

static void set_sysctl(const char *name, const char *value)
{
	assert_int_equal(linmm_sysctl_write(name, value), 0);
}

static void check(void)
{
	assert_int_equal(validate_mm(tsk->mm), 0);
	check_machine();
}

static int setup(void **state)
{
	(void)state;
	boot_or_fail("mem=1G");
	tsk = linmm_spawn("oc");
	return tsk ? 0 : -1;
}

/* The independent CommitLimit in kB, from meminfo and the knobs. */
static unsigned long expected_commit_limit_kb(void)
{
	unsigned long kbytes = sysctl_ul("vm.overcommit_kbytes");
	unsigned long limit;

	if (kbytes)
		limit = kbytes;
	else
		limit = meminfo_kb("MemTotal:") / 4 * sysctl_ul("vm.overcommit_ratio") / 100 * 4;
	return limit + meminfo_kb("SwapTotal:");
}

/* Mode 2's ceiling in pages for @tsk, from the reported numbers. */
static long mode2_allowed_pages(void)
{
	long allowed = (long)expected_commit_limit_kb() / 4;
	long user = (long)sysctl_ul("vm.user_reserve_kbytes") / 4;

	allowed -= (long)sysctl_ul("vm.admin_reserve_kbytes") / 4;
	allowed -= min((long)tsk->mm->total_vm / 32, user);
	return allowed;
}

static long map(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags)
{
	unsigned long ret = linmm_mmap(tsk, addr, len, prot, flags, -1, 0);

	check();
	return IS_ERR_VALUE(ret) ? (long)ret : 0;
}

static void test_commit_limit_formula(void **state)
{
	(void)state;
	assert_int_equal(meminfo_kb("CommitLimit:"), expected_commit_limit_kb());
	set_sysctl("vm.overcommit_ratio", "80");
	assert_int_equal(meminfo_kb("CommitLimit:"), expected_commit_limit_kb());
	set_sysctl("vm.overcommit_kbytes", "300000");
	assert_int_equal(sysctl_ul("vm.overcommit_ratio"), 0);
	assert_int_equal(meminfo_kb("CommitLimit:"), 300000);
	set_sysctl("vm.overcommit_ratio", "50");
	assert_int_equal(sysctl_ul("vm.overcommit_kbytes"), 0);
	assert_int_equal(meminfo_kb("CommitLimit:"), expected_commit_limit_kb());
	/* init_admin_reserve() / init_user_reserve(): 1/32 of free memory, capped. */
	assert_true(sysctl_ul("vm.admin_reserve_kbytes") == 8192);
	assert_true(sysctl_ul("vm.user_reserve_kbytes") <= 131072);
	assert_int_equal(meminfo_kb("Committed_AS:"), 0);
}

/* Mode 0: only one request larger than RAM + swap is refused. */
static void test_guess(void **state)
{
	unsigned long ram_pages = meminfo_kb("MemTotal:") / 4 + meminfo_kb("SwapTotal:") / 4;

	(void)state;
	assert_int_equal(sysctl_ul("vm.overcommit_memory"), OVERCOMMIT_GUESS);
	/* The seed question: 1.6 GiB on a 1 GiB machine without swap. */
	assert_true(LEN_1_6G / P > ram_pages);
	assert_int_equal(map(0, LEN_1_6G, RW, PRIV), -ENOMEM);
	assert_true(dmesg_contains("__vm_enough_memory: pid: 1, comm: oc, bytes: 1717989376 not "
				   "enough memory for the allocation"));
	assert_int_equal(meminfo_kb("Committed_AS:"), 0);
	assert_null(vma_first(tsk->mm));
	/* Exactly RAM + swap passes; one page more does not. */
	assert_int_equal(map(BASE, ram_pages * P, RW, PRIV | MAP_FIXED), 0);
	assert_int_equal(meminfo_kb("Committed_AS:"), ram_pages * 4);
	assert_int_equal(map(0, (ram_pages + 1) * P, RW, PRIV), -ENOMEM);
	/* The heuristic looks at one request: the total may pass RAM + swap. */
	assert_int_equal(map(0, ram_pages * P, RW, PRIV), 0);
	assert_int_equal(meminfo_kb("Committed_AS:"), 2 * ram_pages * 4);
	/* Read-only and shared mappings are not charged at all. */
	assert_int_equal(map(0, LEN_1_6G, PROT_READ, PRIV), 0);
	assert_int_equal(map(0, LEN_1_6G, RW, MAP_SHARED | MAP_ANONYMOUS), 0);
	assert_int_equal(meminfo_kb("Committed_AS:"), 2 * ram_pages * 4);
	/* MAP_NORESERVE skips the charge in modes 0 and 1. */
	assert_int_equal(map(0, LEN_1_6G, RW, PRIV | MAP_NORESERVE), 0);
	assert_int_equal(meminfo_kb("Committed_AS:"), 2 * ram_pages * 4);
	/* brk is checked the same way: the break stays. */
	assert_int_equal(linmm_brk(tsk, tsk->mm->brk + LEN_1_6G), tsk->mm->start_brk);
	check();
}

/* Mode 1: nothing is refused; everything is still counted. */
static void test_always(void **state)
{
	(void)state;
	set_sysctl("vm.overcommit_memory", "1");
	assert_int_equal(map(0, LEN_1_6G, RW, PRIV), 0);
	assert_int_equal(map(0, 64UL << 30, RW, PRIV), 0);
	assert_int_equal(meminfo_kb("Committed_AS:"),
			 PAGE_ALIGN(LEN_1_6G) / 1024 + (64UL << 20));
	assert_false(dmesg_contains("__vm_enough_memory"));
}

/* Mode 2: Committed_AS must stay below the limit less the reserves. */
static void test_never(void **state)
{
	unsigned long brk;
	long n;

	(void)state;
	set_sysctl("vm.overcommit_memory", "2");
	/* The seed question once more: refused. */
	assert_int_equal(map(0, LEN_1_6G, RW, PRIV), -ENOMEM);
	/* MAP_NORESERVE is ignored in mode 2. */
	assert_int_equal(map(0, LEN_1_6G, RW, PRIV | MAP_NORESERVE), -ENOMEM);

	/*
	 * Fill up to the ceiling: committed + n < allowed, so n = allowed - 1
	 * pages pass (total_vm is 0, so the user reserve subtracts nothing).
	 */
	n = mode2_allowed_pages() - (long)meminfo_kb("Committed_AS:") / 4 - 1;
	assert_true(n > 0);
	assert_int_equal(map(BASE, (unsigned long)n * P, RW, PRIV | MAP_FIXED), 0);
	assert_int_equal(meminfo_kb("Committed_AS:"), (unsigned long)n * 4);
	/* total_vm grew: the user reserve now takes total_vm / 32 more pages. */
	assert_true(mode2_allowed_pages() <= (long)meminfo_kb("Committed_AS:") / 4);
	assert_int_equal(map(0, P, RW, PRIV), -ENOMEM);
	/* Not charged: read-only private, shared. */
	assert_int_equal(map(0, 16 * P, PROT_READ, PRIV), 0);
	assert_int_equal(map(0, 16 * P, RW, MAP_SHARED | MAP_ANONYMOUS), 0);

	/*
	 * MAP_FIXED over accounted memory charges only what is new:
	 *
	 *   AAAAAAAA          replaced by BBBBBBBB: no new charge, allowed
	 *   AAAAAAAA          replaced by BBBBBBBBB (one page more): refused,
	 *                     and A is still there
	 */
	assert_int_equal(map(BASE, 8 * P, RW, PRIV | MAP_FIXED), 0);
	assert_int_equal(meminfo_kb("Committed_AS:"), (unsigned long)n * 4);
	assert_int_equal(map(BASE + (unsigned long)n * P - 8 * P, 9 * P, RW, PRIV | MAP_FIXED),
			 -ENOMEM);
	assert_non_null(vma_lookup(tsk->mm, BASE + (unsigned long)n * P - P));
	assert_int_equal(meminfo_kb("Committed_AS:"), (unsigned long)n * 4);

	/* mprotect making private memory writable is charged: refused, unchanged. */
	assert_int_equal(linmm_mprotect(tsk, BASE, P, PROT_READ), 0);	/* uncharges it */
	assert_int_equal(meminfo_kb("Committed_AS:"), (unsigned long)(n - 1) * 4);
	check();
	assert_true((long)meminfo_kb("Committed_AS:") / 4 + 1 >= mode2_allowed_pages());
	assert_int_equal(linmm_mprotect(tsk, BASE, P, RW), -ENOMEM);
	assert_int_equal(vma_lookup(tsk->mm, BASE)->vm_flags & VM_WRITE, 0);
	assert_int_equal(meminfo_kb("Committed_AS:"), (unsigned long)(n - 1) * 4);
	check();

	/* brk: refused, the break stays. */
	brk = linmm_brk(tsk, 0);
	assert_int_equal(linmm_brk(tsk, brk + P), brk);

	/* Giving the memory back makes room again. */
	assert_int_equal(linmm_munmap(tsk, BASE + P, (unsigned long)(n - 1) * P), 0);
	assert_int_equal(meminfo_kb("Committed_AS:"), 0);
	assert_int_equal(linmm_mprotect(tsk, BASE, P, RW), 0);
	assert_int_equal(linmm_brk(tsk, brk + P), brk + P);
	assert_int_equal(meminfo_kb("Committed_AS:"), 8);
	check();
}

/* Refusals are logged at most 10 times per 5 seconds, then counted. */
static void test_warning_ratelimit(void **state)
{
	char *log;
	int lines = 0;

	(void)state;
	for (int i = 0; i < 13; i++)
		assert_int_equal(map(0, LEN_1_6G, RW, PRIV), -ENOMEM);
	log = linmm_dmesg(7);
	assert_non_null(log);
	for (char *p = log; (p = strstr(p, "not enough memory for the allocation")); p++)
		lines++;
	free(log);
	assert_int_equal(lines, 10);
	linmm_clock_advance(5000000000ULL);
	assert_int_equal(map(0, LEN_1_6G, RW, PRIV), -ENOMEM);
	assert_true(dmesg_contains("__vm_enough_memory: 3 callbacks suppressed"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commit_limit_formula, setup,
						linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_guess, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_always, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_never, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_warning_ratelimit, setup,
						linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
