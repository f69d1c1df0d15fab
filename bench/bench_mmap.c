/* SPDX-License-Identifier: MIT */
/*
 * bench_mmap.c - linmm's address-space calls against the host kernel's own
 * calls, measured in the same run, with 10, 1,000 and 60,000 VMAs in the
 * address space (issue 6), so that the growth with the VMA count shows.
 *
 * The address space of each case: N VMAs from REGION_BASE up, built with
 * MAP_FIXED_NOREPLACE, the same calls at the same addresses in a linmm task
 * and in this process (the host's range is far from everything else: the
 * host puts the heap near 0x55.., mmap_base near 0x7f..; a mapping already
 * there makes MAP_FIXED_NOREPLACE fail with EEXIST and the case is skipped).
 * N - 1 one-page VMAs alternate PROT_READ and PROT_NONE, so no two
 * neighbours merge; in the middle are a one-page hole and a three-page
 * read-write work VMA (page numbers from REGION_BASE, N = 10: h = 4):
 *
 *   0   1   2   3   4   5   6   7   8   9  10  11  12  13
 *   |r--|---|r--|---|   |r--|rw-|rw-|rw-|---|r--|---|r--|
 *                    hole   sep  work VMA
 *
 * Cases (each the best of REPEATS runs after an untimed warm-up run, as in
 * bench_slab; `bench_mmap S` runs S times as many operations):
 *
 *   mmap+munmap       mmap(hole, 1 page, rw-, MAP_PRIVATE | MAP_ANONYMOUS |
 *                     MAP_FIXED_NOREPLACE), then munmap: a VMA inserted into
 *                     and removed from the middle of the tree (rw- merges
 *                     with neither neighbour); ns per pair.
 *   mprotect split+   mprotect(the work VMA's middle page, PROT_READ) splits
 *   merge             it in three, mprotect(..., rw-) merges the three back;
 *                     ns per pair of calls.
 *   find_vma          linmm: mmap_read_lock, find_vma(a random VMA's start),
 *                     mmap_read_unlock.  The host has no system call that
 *                     only looks a VMA up; its peer is msync(addr, 1 page,
 *                     MS_ASYNC): mm/msync.c takes mmap_read_lock, does one
 *                     find_vma() and, for a private anonymous VMA and
 *                     MS_ASYNC, nothing else (mincore would add a page-table
 *                     walk and a copy to user space; madvise(MADV_NORMAL)
 *                     takes the lock for writing).  The host figure thus
 *                     includes the system-call entry and exit, printed on
 *                     its own as the "null system call" (getppid) line.
 *
 * Memory beside time, per case: the bytes of the "vm_area_struct" slab
 * cache's slab pages per VMA while the N VMAs are live (its slot size is
 * the ideal), and the growth of the host's resident set (host_rss()) while
 * each side built its N VMAs: linmm's slab pages live in the machine's
 * memfd and become resident when first used; the host kernel's own
 * vm_area_structs are kernel memory and never show in the process's RSS
 * (its growth there is only the benchmark's address array, about zero).
 *
 * Headroom: the host side needs N + 2 more mappings (the hole's mapping and
 * the mprotect split) than the process already has, below
 * vm.max_map_count (65530 by default); with less, the host case is skipped
 * and its columns stay empty.
 *
 * Build with CMAKE_BUILD_TYPE=Release and -DLINMM_DEBUG_VM=OFF (`make
 * bench` does).  Measured, never asserted: this is a benchmark, not a test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linmm/linmm.h>
#include <linmm/mmap.h>
#include <linmm/sched.h>
#include <linmm/slab.h>

#include "bench.h"

#include "kernel/host.h"
#include "mm/internal.h"
#include "mm/slab.h"

#define REGION_BASE	0x200000000000UL	/* 32 TiB: far below the host's mmap_base */
#define PAIRS_BASE	5000UL			/* mmap+munmap and mprotect pairs per run */
#define LOOKUPS_BASE	100000UL		/* find_vma lookups per run */
#define REPEATS		3			/* timed runs of each case; the best counts */
#define NR_ADDRS	4096			/* random lookup addresses, cycled */

static const unsigned long nr_vmas[] = { 10, 1000, 60000 };
#define NR_CASES (sizeof(nr_vmas) / sizeof(nr_vmas[0]))

enum op { OP_MMAP, OP_MPROTECT, OP_FIND, NR_OPS };

static const char *const op_names[NR_OPS] = {
	[OP_MMAP] = "mmap+munmap pair",
	[OP_MPROTECT] = "mprotect split+merge",
	[OP_FIND] = "find_vma (host: msync)",
};

/* One case's layout and results. */
struct layout {
	unsigned long n;		/* VMAs */
	unsigned long half;		/* page of the hole */
	unsigned long span;		/* pages from REGION_BASE to the last VMA's end */
	unsigned long hole, work;	/* addresses */
	unsigned long addrs[NR_ADDRS];	/* starts of random VMAs, for the lookups */
};

struct result {
	double ns[NR_OPS][2];		/* [op][0 linmm, 1 host]; 0: not measured */
	double slab_per_vma;		/* bytes of vm_area_struct slab pages per VMA */
	unsigned int slab_obj;		/* the cache's slot size */
	double rss_per_vma[2];		/* RSS growth per VMA while building, [linmm, host] */
	bool host_skipped;
};

static void *volatile sink;
static unsigned long pairs = PAIRS_BASE, lookups = LOOKUPS_BASE;

/* Page (from REGION_BASE) of one-page VMA @j: the hole, sep and work VMA sit after h - 1. */
static unsigned long slot_page(const struct layout *l, unsigned long j)
{
	if (j < l->half)
		return j;
	if (j == l->half)
		return l->half + 1;
	return j + 4;
}

static unsigned long slot_prot(unsigned long j)
{
	return j & 1 ? PROT_NONE : PROT_READ;
}

static void layout_init(struct layout *l, unsigned long n)
{
	unsigned long seed = 0x9e3779b97f4a7c15UL ^ n;

	l->n = n;
	l->half = (n - 1) / 2;
	l->span = n - 1 + 4;
	l->hole = REGION_BASE + l->half * PAGE_SIZE;
	l->work = REGION_BASE + (l->half + 2) * PAGE_SIZE;
	for (int i = 0; i < NR_ADDRS; i++) {
		unsigned long j;

		seed ^= seed << 13;	/* xorshift64: the same addresses every run */
		seed ^= seed >> 7;
		seed ^= seed << 17;
		j = seed % n;		/* j == n - 1 stands for the work VMA */
		l->addrs[i] = j == n - 1 ? l->work : REGION_BASE + slot_page(l, j) * PAGE_SIZE;
	}
}

/* The best of REPEATS timed runs of @fn after one untimed warm-up. */
static double best_of(double (*fn)(void *, const struct layout *), void *arg,
		      const struct layout *l)
{
	double best;

	fn(arg, l);
	best = fn(arg, l);
	for (int i = 1; i < REPEATS; i++) {
		double ns = fn(arg, l);

		best = ns < best ? ns : best;
	}
	return best;
}

static void die(const char *what, long err)
{
	fprintf(stderr, "bench_mmap: %s failed: %s\n", what, strerror((int)-err));
	exit(1);
}

/* ---- linmm ---- */

static unsigned long cache_bytes(struct kmem_cache *s)
{
	struct slabinfo sinfo = { 0 };

	get_slabinfo(s, &sinfo);
	return (sinfo.num_slabs << sinfo.cache_order) * PAGE_SIZE;
}

static double linmm_mmap_pairs(void *arg, const struct layout *l)
{
	struct task_struct *tsk = arg;
	u64 t0 = linmm_host_now_ns();

	for (unsigned long i = 0; i < pairs; i++) {
		unsigned long addr = linmm_mmap(tsk, l->hole, PAGE_SIZE, PROT_READ | PROT_WRITE,
						MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
						-1, 0);
		int err;

		if (IS_ERR_VALUE(addr))
			die("linmm_mmap", (long)addr);
		err = linmm_munmap(tsk, addr, PAGE_SIZE);
		if (err)
			die("linmm_munmap", err);
	}
	return (double)(linmm_host_now_ns() - t0) / (double)pairs;
}

static double linmm_mprotect_pairs(void *arg, const struct layout *l)
{
	struct task_struct *tsk = arg;
	unsigned long mid = l->work + PAGE_SIZE;
	u64 t0 = linmm_host_now_ns();

	for (unsigned long i = 0; i < pairs; i++) {
		int err = linmm_mprotect(tsk, mid, PAGE_SIZE, PROT_READ);

		if (!err)
			err = linmm_mprotect(tsk, mid, PAGE_SIZE, PROT_READ | PROT_WRITE);
		if (err)
			die("linmm_mprotect", err);
	}
	return (double)(linmm_host_now_ns() - t0) / (double)pairs;
}

static double linmm_lookups(void *arg, const struct layout *l)
{
	struct mm_struct *mm = ((struct task_struct *)arg)->mm;
	u64 t0 = linmm_host_now_ns();

	for (unsigned long i = 0; i < lookups; i++) {
		mmap_read_lock(mm);
		sink = find_vma(mm, l->addrs[i % NR_ADDRS]);
		mmap_read_unlock(mm);
	}
	return (double)(linmm_host_now_ns() - t0) / (double)lookups;
}

static void run_linmm(const struct layout *l, struct result *r)
{
	struct task_struct *tsk = linmm_spawn("bench_mmap");
	struct kmem_cache *vma_cache;
	long long rss0;

	if (!tsk) {
		fprintf(stderr, "bench_mmap: linmm_spawn failed\n");
		exit(1);
	}
	/* Created by the first spawn after boot (mm_caches_init()). */
	vma_cache = kmem_cache_find("vm_area_struct");
	if (!vma_cache) {
		fprintf(stderr, "bench_mmap: no vm_area_struct cache\n");
		exit(1);
	}
	kmem_cache_shrink(vma_cache);
	rss0 = host_rss();
	for (unsigned long j = 0; j < l->n; j++) {
		bool work = j == l->n - 1;
		unsigned long start = work ? l->work : REGION_BASE + slot_page(l, j) * PAGE_SIZE;
		unsigned long addr = linmm_mmap(tsk, start, (work ? 3 : 1) * PAGE_SIZE,
						work ? PROT_READ | PROT_WRITE : slot_prot(j),
						MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
						-1, 0);

		if (IS_ERR_VALUE(addr))
			die("linmm_mmap (build)", (long)addr);
	}
	r->rss_per_vma[0] = (double)(host_rss() - rss0) / (double)l->n;
	r->slab_per_vma = (double)cache_bytes(vma_cache) / (double)l->n;
	r->slab_obj = vma_cache->size;
	if ((unsigned long)tsk->mm->map_count != l->n) {
		fprintf(stderr, "bench_mmap: linmm built %d VMAs, not %lu\n", tsk->mm->map_count,
			l->n);
		exit(1);
	}
	r->ns[OP_MMAP][0] = best_of(linmm_mmap_pairs, tsk, l);
	r->ns[OP_MPROTECT][0] = best_of(linmm_mprotect_pairs, tsk, l);
	r->ns[OP_FIND][0] = best_of(linmm_lookups, tsk, l);
	if ((unsigned long)tsk->mm->map_count != l->n) {
		fprintf(stderr, "bench_mmap: linmm has %d VMAs after the runs, not %lu\n",
			tsk->mm->map_count, l->n);
		exit(1);
	}
	linmm_task_exit(tsk);
	kmem_cache_shrink(vma_cache);
}

/* ---- the host ---- */

/* Lines of /proc/self/maps: all of them, or (@in_region) those in the benchmark's range. */
static long host_map_count(bool in_region)
{
	unsigned long start, end = REGION_BASE + (1UL << 40);
	char line[512];
	long n = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!in_region || (sscanf(line, "%lx-", &start) == 1 && start >= REGION_BASE &&
				   start < end))
			n++;
	}
	fclose(f);
	return n;
}

static long read_max_map_count(void)
{
	long v = -1;
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static double host_mmap_pairs(void *arg, const struct layout *l)
{
	u64 t0 = linmm_host_now_ns();

	(void)arg;
	for (unsigned long i = 0; i < pairs; i++) {
		void *p = mmap((void *)l->hole, PAGE_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

		if (p == MAP_FAILED)
			die("mmap", -errno);
		if (munmap(p, PAGE_SIZE))
			die("munmap", -errno);
	}
	return (double)(linmm_host_now_ns() - t0) / (double)pairs;
}

static double host_mprotect_pairs(void *arg, const struct layout *l)
{
	void *mid = (void *)(l->work + PAGE_SIZE);
	u64 t0 = linmm_host_now_ns();

	(void)arg;
	for (unsigned long i = 0; i < pairs; i++) {
		if (mprotect(mid, PAGE_SIZE, PROT_READ) ||
		    mprotect(mid, PAGE_SIZE, PROT_READ | PROT_WRITE))
			die("mprotect", -errno);
	}
	return (double)(linmm_host_now_ns() - t0) / (double)pairs;
}

static double host_lookups(void *arg, const struct layout *l)
{
	u64 t0 = linmm_host_now_ns();

	(void)arg;
	for (unsigned long i = 0; i < lookups; i++) {
		if (msync((void *)l->addrs[i % NR_ADDRS], PAGE_SIZE, MS_ASYNC))
			die("msync", -errno);
	}
	return (double)(linmm_host_now_ns() - t0) / (double)lookups;
}

static double host_null_syscalls(void *arg, const struct layout *l)
{
	u64 t0 = linmm_host_now_ns();

	(void)arg;
	(void)l;
	for (unsigned long i = 0; i < lookups; i++)
		sink = (void *)syscall(SYS_getppid);
	return (double)(linmm_host_now_ns() - t0) / (double)lookups;
}

static void run_host(const struct layout *l, long max_map_count, struct result *r)
{
	long have = host_map_count(false);
	long long rss0;

	if (have < 0 || max_map_count < 0 || have + (long)l->n + 2 > max_map_count) {
		fprintf(stderr, "bench_mmap: host: %ld mappings + %lu > vm.max_map_count %ld: "
			"%lu VMAs skipped\n", have, l->n + 2, max_map_count, l->n);
		r->host_skipped = true;
		return;
	}
	if (host_map_count(true)) {
		fprintf(stderr, "bench_mmap: host: the range at %#lx is not empty: skipped\n",
			REGION_BASE);
		r->host_skipped = true;
		return;
	}
	rss0 = host_rss();
	for (unsigned long j = 0; j < l->n; j++) {
		bool work = j == l->n - 1;
		unsigned long start = work ? l->work : REGION_BASE + slot_page(l, j) * PAGE_SIZE;
		void *p = mmap((void *)start, (work ? 3 : 1) * PAGE_SIZE,
			       work ? PROT_READ | PROT_WRITE : (int)slot_prot(j),
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

		if (p == MAP_FAILED)
			die("mmap (build)", -errno);
	}
	r->rss_per_vma[1] = (double)(host_rss() - rss0) / (double)l->n;
	if (host_map_count(true) != (long)l->n) {
		fprintf(stderr, "bench_mmap: the host built %ld VMAs, not %lu\n",
			host_map_count(true), l->n);
		exit(1);
	}
	r->ns[OP_MMAP][1] = best_of(host_mmap_pairs, NULL, l);
	r->ns[OP_MPROTECT][1] = best_of(host_mprotect_pairs, NULL, l);
	r->ns[OP_FIND][1] = best_of(host_lookups, NULL, l);
	if (host_map_count(true) != (long)l->n) {
		fprintf(stderr, "bench_mmap: the host has %ld VMAs after the runs, not %lu\n",
			host_map_count(true), l->n);
		exit(1);
	}
	if (munmap((void *)REGION_BASE, l->span * PAGE_SIZE))
		die("munmap (teardown)", -errno);
}

int main(int argc, char **argv)
{
	static struct layout layouts[NR_CASES];
	static struct result res[NR_CASES];
	const char *cmdline = "mem=1G cpus=2 arch=x86_64";
	long max_map_count = read_max_map_count();
	unsigned long scale = argc > 1 ? strtoul(argv[1], NULL, 0) : 1;
	double null_ns;

	if (!scale)
		scale = 1;
	pairs = PAIRS_BASE * scale;
	lookups = LOOKUPS_BASE * scale;
	if (linmm_boot(cmdline)) {
		fprintf(stderr, "bench_mmap: boot '%s' failed: %s\n", cmdline, linmm_last_error());
		return 1;
	}
	for (size_t c = 0; c < NR_CASES; c++) {
		layout_init(&layouts[c], nr_vmas[c]);
		run_linmm(&layouts[c], &res[c]);
		run_host(&layouts[c], max_map_count, &res[c]);
	}
	null_ns = best_of(host_null_syscalls, NULL, &layouts[0]);

	printf("address-space calls, machine '%s', CONFIG_DEBUG_VM=%d; host "
	       "vm.max_map_count %ld, %ld host mappings besides the benchmark's\n", cmdline,
	       CONFIG_DEBUG_VM, max_map_count, host_map_count(false));
	printf("ns per pair (find_vma: per lookup), best of %d runs; ratio = linmm / host "
	       "(below 1: linmm faster)\n\n", REPEATS);
	printf("%-24s %6s %10s %10s %7s\n", "op", "VMAs", "linmm ns", "host ns", "ratio");
	for (int op = 0; op < NR_OPS; op++) {
		for (size_t c = 0; c < NR_CASES; c++) {
			const struct result *r = &res[c];

			printf("%-24s %6lu %10.1f", op_names[op], nr_vmas[c], r->ns[op][0]);
			if (r->host_skipped)
				printf(" %10s %7s\n", "-", "");
			else
				printf(" %10.1f %7.2f\n", r->ns[op][1], r->ns[op][0] / r->ns[op][1]);
		}
	}
	printf("host null system call (getppid): %.1f ns; every host call above pays it once "
	       "(a pair twice)\n\n", null_ns);
	printf("memory: bytes per VMA while the VMAs are live\n");
	printf("%-24s %6s %10s %10s %10s\n", "", "VMAs", "slab B", "linmm RSS", "host RSS");
	for (size_t c = 0; c < NR_CASES; c++) {
		const struct result *r = &res[c];

		printf("%-24s %6lu %10.1f %10.1f", "vm_area_struct", nr_vmas[c], r->slab_per_vma,
		       r->rss_per_vma[0]);
		if (r->host_skipped)
			printf(" %10s\n", "-");
		else
			printf(" %10.1f\n", r->rss_per_vma[1]);
	}
	printf("slab B: the vm_area_struct cache's slab pages / VMAs (its slot: %u bytes); "
	       "RSS: the host\nresident set's growth while the VMAs were built (the host's own "
	       "VMAs are kernel memory, not RSS)\n", res[0].slab_obj);
	linmm_shutdown();
	return 0;
}
