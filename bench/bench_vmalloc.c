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
 *                                        unmaps (one host mmap) and queues
 *                                        the range for the lazy purge
 *   mmap(n pages, anonymous) + munmap()  the host kernel's own pair
 *
 * both without touching the memory and with one write per page (the host's
 * pages are allocated on that first touch; linmm's already exist, its host
 * view of the memfd page is faulted in).  Printed: ns per pair, the ratio
 * to the host pair, the lazy purges and TLB flushes counted, and the host's
 * resident set after the case.  The kernel's own vmalloc+vfree of one page
 * costs about 0.66-1.2 us (lib/test_vmalloc.c figures); linmm's pair does
 * two host system calls, so expect a few microseconds.  Build with
 * CMAKE_BUILD_TYPE=Release and -DLINMM_DEBUG_VM=OFF.
 *
 * Measured, never asserted: this is a benchmark, not a test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <linmm/linmm.h>
#include <linmm/vmalloc.h>

#include "bench.h"

#include "kernel/host.h"
#include "mm/internal.h"

#define PAIRS 20000UL

static void touch(char *p, unsigned long pages)
{
	for (unsigned long i = 0; i < pages; i++)
		((volatile char *)p)[i * PAGE_SIZE] = 1;
}

static double bench_vmalloc(unsigned long pages, bool write)
{
	u64 t0 = linmm_host_now_ns();

	for (unsigned long i = 0; i < PAIRS; i++) {
		char *p = vmalloc(pages * PAGE_SIZE);

		if (!p) {
			fprintf(stderr, "vmalloc(%lu pages) failed\n", pages);
			exit(1);
		}
		if (write)
			touch(p, pages);
		vfree(p);
	}
	return (double)(linmm_host_now_ns() - t0) / PAIRS;
}

static double bench_mmap(unsigned long pages, bool write)
{
	u64 t0 = linmm_host_now_ns();

	for (unsigned long i = 0; i < PAIRS; i++) {
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
	return (double)(linmm_host_now_ns() - t0) / PAIRS;
}

int main(void)
{
	static const unsigned long sizes[] = { 1, 4, 64 };

	if (linmm_boot("mem=4G cpus=2 arch=x86_64")) {
		fprintf(stderr, "boot: %s\n", linmm_last_error());
		return 1;
	}
	printf("%-8s %-6s %12s %12s %7s %8s %8s %9s\n", "pages", "touch", "vmalloc ns", "mmap ns",
	       "ratio", "purges", "flushes", "rss MiB");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (int w = 0; w <= 1; w++) {
			struct vmalloc_stats st;
			double v, m;

			/* Warm up: page tables, per-CPU lists, host page cache. */
			bench_vmalloc(sizes[i], w);
			v = bench_vmalloc(sizes[i], w);
			m = bench_mmap(sizes[i], w);
			vmalloc_get_stats(&st);
			printf("%-8lu %-6s %12.0f %12.0f %7.2f %8lu %8lu %9.1f\n", sizes[i],
			       w ? "yes" : "no", v, m, v / m, st.nr_purges, st.tlb_flushes,
			       (double)host_rss() / (1 << 20));
		}
	}
	linmm_shutdown();
	return 0;
}
