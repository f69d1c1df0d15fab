// SPDX-License-Identifier: MIT
/*
 * test_fault_diff.c - page faults and residency against the host kernel.
 *
 * The same sequence of mmap / touch / mprotect / munmap / madvise(DONTNEED)
 * / mremap(MAYMOVE|FIXED) / fork / child exit calls runs in a
 * forked host child, inside a window of WINDOW_PAGES pages at a fixed
 * address (raw system calls, MAP_FIXED inside a range the child first
 * claims with MAP_FIXED_NOREPLACE), and in a linmm task at the same
 * addresses.  After every step both must agree on:
 *   - the return value or errno of the call;
 *   - the minor faults a touch took (getrusage ru_minflt around the access
 *     loop on the host, task_struct.min_flt in linmm);
 *   - the outcome of a touch that faults badly: SIGSEGV and its si_code
 *     (the host child catches it with a handler and siglongjmp; the linmm
 *     task dies, so a bad touch ends the sequence on both sides);
 *   - residency of every page of the window: mincore() of each page on
 *     both sides (1 for a present PTE, the zero page included), and "no
 *     mapping" for mincore's ENOMEM;
 *   - the bytes read back (a write stores a known byte per page);
 *   - the /proc/self/pagemap entry of every page (fs/proc/task_mmu.c):
 *     present, swapped, file/shared and exclusively-mapped bits, and
 *     whether a present page shows a nonzero pfn (the host child reads
 *     its own pagemap; pfns are compared only as "shown" when it runs as
 *     root, since frame numbers differ).  Soft-dirty (bit 55) is left out:
 *     linmm models CONFIG_MEM_SOFT_DIRTY=y, the host kernel may not.
 *
 * THP is off in the child (PR_SET_THP_DISABLE), MAP_POPULATE is never
 * used, and every code path of the child is run once on a scratch mapping
 * before measuring, so that faults on its own text, stack and data are
 * not counted.  Hand-written sequences first (zero page, COW of the zero
 * page, mprotect with and without write-back upgrade, PROT_NONE, munmap
 * and re-fault), then LINMM_DIFF_SEQS (default 100) random sequences from
 * LINMM_DIFF_SEED (default 1).  Skipped if the window is not free.
 *
 *   WINDOW  |p0|p1|p2|...|p15|      one mapping or several, touched per page
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../linmm_test.h"

#include <linmm/memory.h>
#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/mmu.h>
#include <linmm/proc_pagemap.h>
#include <linmm/rmap.h>
#include <linmm/sched.h>

#define P 4096UL
#define WINDOW 0x310000000000UL
#define WINDOW_PAGES 16
#define MAX_OPS 40

enum op_kind { OP_MMAP, OP_MUNMAP, OP_MPROTECT, OP_READ, OP_WRITE, OP_DONTNEED, OP_MREMAP,
	       OP_FORK, OP_CHILD_EXIT, NR_OP_KINDS };

struct op {
	enum op_kind kind;
	unsigned long first, pages;	/* page range inside the window */
	int prot;
	unsigned long dst;		/* OP_MREMAP: the page it moves to (MAYMOVE|FIXED) */
};

#define RES_NONE 2	/* no mapping (mincore: ENOMEM) */

/* What one step gave, on either side. */
struct step {
	long ret;			/* 0 or -errno (mmap: 0 for the asked address) */
	long faults;			/* minor faults of a touch */
	int segv_code;			/* si_code of SIGSEGV, 0 if none */
	unsigned char res[WINDOW_PAGES];
	unsigned char data[WINDOW_PAGES];	/* first byte of each page read */
	u64 pm[WINDOW_PAGES];		/* pagemap flags compared (pm_compared()) */
};

struct result {
	int nr;
	bool skipped;
	struct step steps[MAX_OPS];
};

/* ---- the host child ---- */

static sigjmp_buf segv_jmp;
static volatile int segv_code;
static pid_t host_child;	/* OP_FORK's child: it waits to be killed */

static void host_warm_up(void);

static void segv_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	segv_code = si->si_code;
	siglongjmp(segv_jmp, 1);
}

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

static unsigned char pattern(unsigned long page)
{
	return (unsigned char)(0x41 + page);
}

/*
 * The access loop: one load or store per page; returns the faults it took.
 * Not instrumented: ASan's shadow check of a fresh window page would fault
 * on its shadow page and be counted too.
 */
static __attribute__((noinline, no_sanitize("address"))) long host_touch(unsigned long base, const struct op *o,
						 struct step *st)
{
	volatile unsigned char *p;
	long f0 = minflt(), f1;

	segv_code = 0;
	if (sigsetjmp(segv_jmp, 1) == 0) {
		for (unsigned long i = 0; i < o->pages; i++) {
			p = (volatile unsigned char *)(base + (o->first + i) * P);
			if (o->kind == OP_WRITE)
				*p = pattern(o->first + i);
			else
				st->data[o->first + i] = *p;
		}
	}
	f1 = minflt();
	st->segv_code = segv_code;
	return f1 - f0;
}

static long host_call(long r)
{
	return r < 0 ? -errno : 0;
}

/* The pagemap bits compared, plus bit 0 for "a pfn is shown" (a privileged reader). */
static u64 pm_compared(u64 e, bool privileged)
{
	u64 v = e & (PM_PRESENT | PM_SWAP | PM_FILE | PM_MMAP_EXCLUSIVE);

	if (privileged && (e & PM_PRESENT) && (e & PM_PFRAME_MASK))
		v |= 1;
	return v;
}

static void host_residency(unsigned long base, struct step *st)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	bool root = geteuid() == 0;

	for (unsigned long i = 0; i < WINDOW_PAGES; i++) {
		unsigned char v = 0;
		u64 e = 0;

		if (syscall(SYS_mincore, base + i * P, P, &v))
			st->res[i] = RES_NONE;
		else
			st->res[i] = v & 1;
		if (fd >= 0 && pread(fd, &e, sizeof(e), (off_t)((base / P + i) * sizeof(e))) == sizeof(e))
			st->pm[i] = pm_compared(e, root);
		else
			st->pm[i] = ~0ULL;
	}
	if (fd >= 0)
		close(fd);
}

static void host_step(unsigned long base, const struct op *o, struct step *st)
{
	void *a = (void *)(base + o->first * P);
	size_t len = o->pages * P;

	switch (o->kind) {
	case OP_MMAP:
		st->ret = (unsigned long)syscall(SYS_mmap, a, len, o->prot,
						 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
				  (unsigned long)a ? 0 : -errno;
		break;
	case OP_MUNMAP:
		st->ret = host_call(syscall(SYS_munmap, a, len));
		break;
	case OP_MPROTECT:
		st->ret = host_call(syscall(SYS_mprotect, a, len, o->prot));
		break;
	case OP_DONTNEED:
		st->ret = host_call(syscall(SYS_madvise, a, len, MADV_DONTNEED));
		break;
	case OP_MREMAP: {
		unsigned long to = base + o->dst * P;

		st->ret = (unsigned long)syscall(SYS_mremap, a, len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
						 to) == to ? 0 : -errno;
		break;
	}
	case OP_READ:
	case OP_WRITE:
		st->faults = host_touch(base, o, st);
		break;
	case OP_FORK:
		if (host_child)
			break;
		host_child = fork();
		if (!host_child)
			for (;;)
				pause();
		/* Our own stack and data are shared copy-on-write now: break that first. */
		host_warm_up();
		break;
	case OP_CHILD_EXIT:
		if (!host_child)
			break;
		kill(host_child, SIGKILL);
		waitpid(host_child, NULL, 0);
		host_child = 0;
		break;
	default:
		break;
	}
	host_residency(base, st);
}

/* Run every code path once on the second half of the claim. */
static void host_warm_up(void)
{
	static const struct op warm[] = {
		{ OP_MMAP, 0, 2, PROT_READ | PROT_WRITE, 0 }, { OP_READ, 0, 2, 0, 0 },
		{ OP_WRITE, 0, 2, 0, 0 }, { OP_MPROTECT, 0, 2, PROT_NONE, 0 }, { OP_READ, 0, 1, 0, 0 },
		{ OP_MUNMAP, 0, 2, 0, 0 },
	};
	static struct step scratch;

	for (size_t i = 0; i < sizeof(warm) / sizeof(warm[0]); i++)
		host_step(WINDOW + WINDOW_PAGES * P, &warm[i], &scratch);
}

static void run_host(const struct op *ops, int n, struct result *res)
{
	struct sigaction sa = { .sa_sigaction = segv_handler, .sa_flags = SA_SIGINFO | SA_NODEFER };
	void *claim;

	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	sigaction(SIGSEGV, &sa, NULL);
	claim = (void *)syscall(SYS_mmap, (void *)WINDOW, 2 * WINDOW_PAGES * P, PROT_NONE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0);
	if (claim != (void *)WINDOW) {
		res->skipped = true;
		return;
	}
	host_warm_up();
	syscall(SYS_munmap, (void *)WINDOW, WINDOW_PAGES * P);
	for (int i = 0; i < n; i++) {
		host_step(WINDOW, &ops[i], &res->steps[i]);
		res->nr = i + 1;
		if (res->steps[i].segv_code)
			break;
	}
	if (host_child) {
		kill(host_child, SIGKILL);
		waitpid(host_child, NULL, 0);
		host_child = 0;
	}
}

static bool host_result(const struct op *ops, int n, struct result *res)
{
	struct result *shared = mmap(NULL, sizeof(*res), PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int status;

	assert_true(shared != MAP_FAILED);
	memset(shared, 0, sizeof(*shared));
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		run_host(ops, n, shared);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	*res = *shared;
	munmap(shared, sizeof(*res));
	return !res->skipped;
}

/* ---- linmm ---- */

static struct task_struct *tsk, *child;

static void linmm_residency(struct step *st)
{
	/* One page per call, as the host child asks: a hole is that page's ENOMEM. */
	for (unsigned long i = 0; i < WINDOW_PAGES; i++) {
		unsigned char v = 0xee;
		int ret = linmm_mincore(tsk, WINDOW + i * P, P, &v);

		assert_true(ret == 0 || ret == -ENOMEM);
		st->res[i] = ret ? RES_NONE : v & 1;
	}
	{
		u64 e[WINDOW_PAGES];
		bool root = geteuid() == 0;

		/* The host child reads as itself: pfns only when it is root. */
		assert_int_equal(pagemap_read(tsk, WINDOW / P * sizeof(u64), sizeof(e), e, root),
				 sizeof(e));
		for (int i = 0; i < WINDOW_PAGES; i++)
			st->pm[i] = pm_compared(e[i], root);
	}
}

static void linmm_step(const struct op *o, struct step *st)
{
	unsigned long a = WINDOW + o->first * P, len = o->pages * P, r, f0 = tsk->min_flt;

	switch (o->kind) {
	case OP_MMAP:
		r = linmm_mmap(tsk, a, len, (unsigned long)o->prot,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		st->ret = r == a ? 0 : (long)r;
		break;
	case OP_MUNMAP:
		st->ret = linmm_munmap(tsk, a, len);
		break;
	case OP_MPROTECT:
		st->ret = linmm_mprotect(tsk, a, len, (unsigned long)o->prot);
		break;
	case OP_DONTNEED:
		st->ret = linmm_madvise(tsk, a, len, MADV_DONTNEED);
		break;
	case OP_MREMAP:
		r = linmm_mremap(tsk, a, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, WINDOW + o->dst * P);
		st->ret = r == WINDOW + o->dst * P ? 0 : (long)r;
		break;
	case OP_FORK:
		if (!child) {
			child = linmm_fork(tsk);
			assert_non_null(child);
		}
		break;
	case OP_CHILD_EXIT:
		if (child)
			linmm_task_exit(child);
		child = NULL;
		break;
	case OP_READ:
	case OP_WRITE:
		for (unsigned long i = 0; i < o->pages; i++) {
			unsigned long pa = WINDOW + (o->first + i) * P;
			unsigned char b = pattern(o->first + i);
			int ret = o->kind == OP_WRITE ? linmm_user_write(tsk, pa, &b, 1)
						      : linmm_user_read(tsk, pa, &st->data[o->first + i], 1);

			if (ret) {
				st->segv_code = tsk->last_siginfo.code;
				break;
			}
		}
		st->faults = (long)(tsk->min_flt - f0);
		break;
	default:
		break;
	}
	linmm_residency(st);
	assert_int_equal(validate_mm(tsk->mm), 0);
	assert_int_equal(validate_page_tables(tsk->mm), 0);
	assert_int_equal(validate_anon_vmas(tsk->mm), 0);
	if (child) {
		assert_int_equal(validate_page_tables(child->mm), 0);
		assert_int_equal(validate_anon_vmas(child->mm), 0);
	}
}

static const char *const op_names[] = { "mmap", "munmap", "mprotect", "read", "write",
					"dontneed", "mremap", "fork", "child_exit" };

/* Run @ops on both sides; fail with the sequence up to the first difference. */
static bool compare(const struct op *ops, int n)
{
	static struct result host, sim;

	if (!host_result(ops, n, &host))
		return false;
	boot_or_fail("mem=256M");
	tsk = linmm_spawn("diff");
	assert_non_null(tsk);
	child = NULL;
	memset(&sim, 0, sizeof(sim));
	for (int i = 0; i < host.nr; i++) {
		const struct step *h = &host.steps[i];
		struct step *s = &sim.steps[i];

		linmm_step(&ops[i], s);
		if (h->ret != s->ret || h->faults != s->faults || h->segv_code != s->segv_code ||
		    memcmp(h->res, s->res, sizeof(h->res)) || memcmp(h->data, s->data, sizeof(h->data)) ||
		    memcmp(h->pm, s->pm, sizeof(h->pm))) {
			for (int j = 0; j <= i; j++)
				print_message("  %s pages %lu+%lu prot %d dst %lu\n", op_names[ops[j].kind],
					      ops[j].first, ops[j].pages, ops[j].prot, ops[j].dst);
			print_message("step %d: host ret %ld faults %ld segv %d, linmm ret %ld faults %ld "
				      "segv %d\n", i, h->ret, h->faults, h->segv_code, s->ret, s->faults,
				      s->segv_code);
			for (int p = 0; p < WINDOW_PAGES; p++)
				print_message("  page %2d: host res %d data %02x pagemap %#llx, linmm res %d "
					      "data %02x pagemap %#llx\n", p, h->res[p], h->data[p],
					      (unsigned long long)h->pm[p], s->res[p], s->data[p],
					      (unsigned long long)s->pm[p]);
			fail_msg("linmm and the host kernel disagree");
		}
		if (h->segv_code)
			break;
	}
	linmm_shutdown();
	return true;
}

#define RW (PROT_READ | PROT_WRITE)

/*
 * zero page then COW; write-then-read; mprotect R and back (no fault for
 * the exclusive page, a COW fault for the zero-page one); PROT_NONE;
 * munmap of the middle and re-fault.
 */
static void test_hand_sequences(void **state)
{
	static const struct op zero_cow[] = {
		{ OP_MMAP, 0, 8, RW, 0 }, { OP_READ, 0, 4, 0, 0 }, { OP_READ, 2, 4, 0, 0 },
		{ OP_WRITE, 1, 2, 0, 0 }, { OP_WRITE, 0, 8, 0, 0 }, { OP_READ, 0, 8, 0, 0 },
	};
	static const struct op mprotect_upgrade[] = {
		{ OP_MMAP, 0, 8, RW, 0 }, { OP_WRITE, 0, 2, 0, 0 }, { OP_READ, 2, 2, 0, 0 },
		{ OP_MPROTECT, 0, 8, PROT_READ, 0 }, { OP_READ, 0, 8, 0, 0 },
		{ OP_MPROTECT, 0, 8, RW, 0 }, { OP_WRITE, 0, 8, 0, 0 }, { OP_READ, 0, 8, 0, 0 },
	};
	static const struct op munmap_refault[] = {
		{ OP_MMAP, 0, 12, RW, 0 }, { OP_WRITE, 0, 12, 0, 0 }, { OP_MUNMAP, 4, 4, 0, 0 },
		{ OP_MMAP, 4, 4, PROT_READ, 0 }, { OP_READ, 0, 12, 0, 0 }, { OP_MUNMAP, 0, 16, 0, 0 },
		{ OP_MMAP, 0, 4, RW, 0 }, { OP_READ, 0, 4, 0, 0 },
	};
	static const struct op write_ro[] = {
		{ OP_MMAP, 0, 4, RW, 0 }, { OP_WRITE, 0, 1, 0, 0 }, { OP_MPROTECT, 0, 4, PROT_READ, 0 },
		{ OP_WRITE, 0, 1, 0, 0 },
	};
	static const struct op prot_none[] = {
		{ OP_MMAP, 0, 4, RW, 0 }, { OP_WRITE, 0, 2, 0, 0 }, { OP_MPROTECT, 1, 2, PROT_NONE, 0 },
		{ OP_READ, 0, 1, 0, 0 }, { OP_READ, 1, 1, 0, 0 },
	};
	static const struct op no_vma[] = {
		{ OP_MMAP, 0, 2, RW, 0 }, { OP_WRITE, 0, 2, 0, 0 }, { OP_WRITE, 2, 1, 0, 0 },
	};
	static const struct op dontneed_mremap[] = {
		{ OP_MMAP, 0, 8, RW, 0 }, { OP_WRITE, 0, 8, 0, 0 }, { OP_DONTNEED, 2, 2, 0, 0 },
		{ OP_READ, 0, 8, 0, 0 }, { OP_MREMAP, 0, 4, 0, 10 }, { OP_READ, 10, 4, 0, 0 },
		{ OP_WRITE, 10, 4, 0, 0 }, { OP_MREMAP, 4, 4, 0, 0 }, { OP_READ, 0, 14, 0, 0 },
	};
	/*
	 * After fork a write copies; mprotect R -> RW upgrades no shared page,
	 * not even once the child has gone (the page is not AnonExclusive
	 * until a write fault reuses it).
	 */
	static const struct op fork_cow[] = {
		{ OP_MMAP, 0, 8, RW, 0 }, { OP_WRITE, 0, 4, 0, 0 }, { OP_READ, 4, 2, 0, 0 },
		{ OP_FORK, 0, 1, 0, 0 }, { OP_READ, 0, 8, 0, 0 }, { OP_WRITE, 0, 2, 0, 0 },
		{ OP_WRITE, 4, 1, 0, 0 }, { OP_MPROTECT, 0, 8, PROT_READ, 0 },
		{ OP_MPROTECT, 0, 8, RW, 0 }, { OP_WRITE, 0, 3, 0, 0 }, { OP_CHILD_EXIT, 0, 1, 0, 0 },
		{ OP_MPROTECT, 0, 8, PROT_READ, 0 }, { OP_MPROTECT, 0, 8, RW, 0 },
		{ OP_WRITE, 0, 8, 0, 0 }, { OP_READ, 0, 8, 0, 0 },
	};
	static const struct { const struct op *ops; int n; } seqs[] = {
		{ dontneed_mremap, ARRAY_SIZE(dontneed_mremap) },
		{ fork_cow, ARRAY_SIZE(fork_cow) },
		{ zero_cow, ARRAY_SIZE(zero_cow) }, { mprotect_upgrade, ARRAY_SIZE(mprotect_upgrade) },
		{ munmap_refault, ARRAY_SIZE(munmap_refault) }, { write_ro, ARRAY_SIZE(write_ro) },
		{ prot_none, ARRAY_SIZE(prot_none) }, { no_vma, ARRAY_SIZE(no_vma) },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(seqs); i++)
		if (!compare(seqs[i].ops, seqs[i].n))
			skip();
}

static unsigned long env_ulong(const char *name, unsigned long dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : dflt;
}

static void test_random_sequences(void **state)
{
	static const int prots[] = { PROT_NONE, PROT_READ, RW, RW, RW };
	unsigned long nseq = env_ulong("LINMM_DIFF_SEQS", 100);
	struct op ops[MAX_OPS];

	(void)state;
	linmm_test_rnd = env_ulong("LINMM_DIFF_SEED", 1) | 1;
	for (unsigned long s = 0; s < nseq; s++) {
		int n = 4 + (int)(next_rand() % (MAX_OPS - 4));

		for (int i = 0; i < n; i++) {
			struct op *o = &ops[i];

			o->kind = i == 0 ? OP_MMAP : (enum op_kind)(next_rand() % NR_OP_KINDS);
			o->first = next_rand() % WINDOW_PAGES;
			o->pages = 1 + next_rand() % (WINDOW_PAGES - o->first);
			o->prot = prots[next_rand() % ARRAY_SIZE(prots)];
			o->dst = next_rand() % (WINDOW_PAGES - o->pages + 1);
		}
		if (!compare(ops, n))
			skip();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_hand_sequences, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_random_sequences, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
