/* SPDX-License-Identifier: MIT */
/*
 * bench_vmalloc.c - vmalloc+vfree pairs against host mmap+munmap of the
 * same size, measured in the same run.
 *
 * Cases: 1, 4 and 64 pages, each
 *
 *   vmalloc(n pages) + vfree()           linmm: VA from the vmap_area trees,
 *                                        n order-0 pages, init_mm PTEs and one
 *                                        host mmap per physical run; vfree
 *                                        clears the PTEs, frees the pages and
 *                                        queues the range for the lazy purge,
 *                                        whose flush unmaps each run of
 *                                        purged areas from the host with one
 *                                        call (the host mapping is the TLB)
 *   mmap(n pages, anonymous) + munmap()  the host kernel's own pair
 *
 * both without touching the memory and with one write per page (the host's
 * pages are allocated on that first touch; linmm's already exist, its host
 * view of the memfd page is faulted in).  Printed: ns per pair, the ratio
 * to the host pair, the lazy purges and TLB flushes counted, and the host's
 * resident set after the case.  Times are the thread's CPU time (user +
 * system), and the two loops take turns in chunks of 500 pairs, so that a
 * loaded machine slows both alike; `bench_vmalloc N` runs N pairs per case
 * instead of 20000 (for strace -c).  purges and flushes are those of the timed
 * vmalloc loop alone: __purge_vmap_area_lazy() runs that purged something
 * (the kernel's purge_vmap_area_lazy trace event) and flush_tlb_kernel_range()
 * calls from vmalloc (one per purge, plus vm_unmap_aliases() flushes of
 * vmap blocks; none here).  The kernel's own vmalloc+vfree of one page
 * costs about 0.66-1.2 us (lib/test_vmalloc.c figures); linmm's pair does
 * one host system call per physical run of pages (and, per purge, one per
 * run of purged areas), so expect a few microseconds.  Build with
 * CMAKE_BUILD_TYPE=Release and -DLINMM_DEBUG_VM=OFF.
 *
 * Measured, never asserted: this is a benchmark, not a test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#include <linmm/linmm.h>
#include <linmm/vmalloc.h>

#include "bench.h"

#include "kernel/host.h"
#include "mm/internal.h"

#define PAIRS 20000UL
#define CHUNK 500UL	/* pairs per turn: vmalloc and mmap take turns */

static unsigned long pairs = PAIRS;

/* CPU time of this thread (user + system), so other processes on the machine cost nothing. */
static u64 cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

static void touch(char *p, unsigned long pages)
{
	for (unsigned long i = 0; i < pages; i++)
		((volatile char *)p)[i * PAGE_SIZE] = 1;
}

/* @n vmalloc+vfree pairs; return their CPU time in ns. */
static u64 bench_vmalloc(unsigned long pages, bool write, unsigned long n)
{
	u64 t0 = cpu_ns();

	for (unsigned long i = 0; i < n; i++) {
		char *p = vmalloc(pages * PAGE_SIZE);

		if (!p) {
			fprintf(stderr, "vmalloc(%lu pages) failed\n", pages);
			exit(1);
		}
		if (write)
			touch(p, pages);
		vfree(p);
	}
	return cpu_ns() - t0;
}

/* @n mmap+munmap pairs; return their CPU time in ns. */
static u64 bench_mmap(unsigned long pages, bool write, unsigned long n)
{
	u64 t0 = cpu_ns();

	for (unsigned long i = 0; i < n; i++) {
		char *p = mmap(NULL, pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("mmap");
			exit(1);
		}
		if (write)
			touch(p, pages);
		munmap(p, pages * PAGE_SIZE);
	}
	return cpu_ns() - t0;
}

int main(int argc, char **argv)
{
	static const unsigned long sizes[] = { 1, 4, 64 };

	if (argc > 1)
		pairs = max(strtoul(argv[1], NULL, 0) / CHUNK, 1UL) * CHUNK;
	if (linmm_boot("mem=4G cpus=2 arch=x86_64")) {
		fprintf(stderr, "boot: %s\n", linmm_last_error());
		return 1;
	}
	printf("%-8s %-6s %12s %12s %7s %8s %8s %9s\n", "pages", "touch", "vmalloc ns", "mmap ns",
	       "ratio", "purges", "flushes", "rss MiB");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (int w = 0; w <= 1; w++) {
			struct vmalloc_stats st0, st;
			u64 vt = 0, mt = 0;
			double v, m;

			/* Warm up: page tables, per-CPU lists, host page cache. */
			bench_vmalloc(sizes[i], w, pairs);
			vmalloc_get_stats(&st0);
			for (unsigned long done = 0; done < pairs; done += CHUNK) {
				vt += bench_vmalloc(sizes[i], w, CHUNK);
				mt += bench_mmap(sizes[i], w, CHUNK);
			}
			vmalloc_get_stats(&st);
			v = (double)vt / (double)pairs;
			m = (double)mt / (double)pairs;
			printf("%-8lu %-6s %12.0f %12.0f %7.2f %8lu %8lu %9.1f\n", sizes[i],
			       w ? "yes" : "no", v, m, v / m, st.nr_purges - st0.nr_purges,
			       st.tlb_flushes - st0.tlb_flushes, (double)host_rss() / (1 << 20));
		}
	}
	linmm_shutdown();
	return 0;
}
