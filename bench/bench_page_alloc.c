/* SPDX-License-Identifier: MIT */
/*
 * bench_page_alloc.c - alloc+free pairs of the page allocator against
 * glibc malloc/free, measured in the same run.
 *
 * Cases, each single-threaded and with one host thread per simulated CPU
 * (every thread enters its own CPU with linmm_cpu_enter()):
 *
 *   order 0, through the per-CPU lists      alloc_pages(GFP_KERNEL, 0) + __free_pages
 *   order 0, pcp disabled                   zone_pcp_disable(): every pair takes zone->lock
 *   order 3, through the per-CPU lists      32 KiB
 *   order 9, through the per-CPU THP list   2 MiB
 *   glibc malloc(4096)/free, malloc(32768)/free, malloc(2 MiB)/free
 *
 * Printed: ns per pair (per thread), the ratio to the glibc pair of the
 * same size, and the host's resident set after the case.  The kernel's own
 * order-0 pcp pair costs 115-231 cycles (fact sheet), i.e. roughly 40-80 ns
 * at 3 GHz.  Build with CMAKE_BUILD_TYPE=Release and -DLINMM_DEBUG_VM=OFF
 * for numbers that mean anything: CONFIG_DEBUG_VM checks every page of a
 * block on allocation and free.
 *
 * Measured, never asserted: this is a benchmark, not a test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linmm/linmm.h>

#include "bench.h"

#include "kernel/host.h"
#include "mm/internal.h"

#define MAX_THREADS 8

static void *volatile sink;

enum kind { LINMM_PAIR, MALLOC_PAIR };

struct bench_case {
	const char *name;
	enum kind kind;
	unsigned int order;	/* LINMM_PAIR */
	size_t size;		/* MALLOC_PAIR */
	bool no_pcp;
	unsigned long pairs;	/* per thread */
};

struct worker {
	const struct bench_case *c;
	int cpu;
	u64 ns;
	unsigned long failed;
};

/* The host's resident set in MiB. */
static double host_rss_mib(void)
{
	long long rss = host_rss();

	return rss < 0 ? -1 : (double)rss / (1 << 20);
}

static void *run_worker(void *arg)
{
	struct worker *w = arg;
	const struct bench_case *c = w->c;
	u64 t0;

	if (c->kind == LINMM_PAIR)
		linmm_cpu_enter(w->cpu);
	t0 = linmm_host_now_ns();
	if (c->kind == LINMM_PAIR) {
		for (unsigned long i = 0; i < c->pairs; i++) {
			struct page *page = alloc_pages(GFP_KERNEL, c->order);

			if (!page) {
				w->failed++;
				continue;
			}
			__free_pages(page, c->order);
		}
	} else {
		for (unsigned long i = 0; i < c->pairs; i++) {
			void *p = malloc(c->size);

			sink = p;
			free(p);
		}
	}
	w->ns = linmm_host_now_ns() - t0;
	return NULL;
}

/*
 * ns per pair per thread, with @threads threads running the case at once.
 * "no pcp" disables the lists of the zone GFP_KERNEL allocations come from
 * (zone_pcp_disable() holds its lock until zone_pcp_enable(), as the
 * kernel's memory offline does, so only one zone at a time).
 */
static double run_case(const struct bench_case *c, int threads, unsigned long *failed)
{
	struct worker w[MAX_THREADS];
	linmm_host_thread_t *t[MAX_THREADS];
	struct zone *zone = NULL;
	u64 max_ns = 0;

	if (c->no_pcp) {
		struct page *page = alloc_page(GFP_KERNEL);

		zone = page_zone(page);
		__free_page(page);
		zone_pcp_disable(zone);
	}
	for (int i = 0; i < threads; i++) {
		w[i] = (struct worker){ .c = c, .cpu = i };
		if (threads == 1) {
			run_worker(&w[i]);
		} else if (linmm_host_thread_create(&t[i], run_worker, &w[i])) {
			fprintf(stderr, "bench_page_alloc: cannot create a thread\n");
			exit(1);
		}
	}
	*failed = 0;
	for (int i = 0; i < threads; i++) {
		if (threads > 1)
			linmm_host_thread_join(t[i]);
		max_ns = w[i].ns > max_ns ? w[i].ns : max_ns;
		*failed += w[i].failed;
	}
	if (c->no_pcp)
		zone_pcp_enable(zone);
	drain_all_pages(NULL);
	return (double)max_ns / (double)c->pairs;
}

int main(int argc, char **argv)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int threads = ncpu < 2 ? 2 : ncpu > MAX_THREADS ? MAX_THREADS : (int)ncpu;
	unsigned long scale = argc > 1 ? strtoul(argv[1], NULL, 0) : 1;
	char cmdline[64];
	const struct bench_case cases[] = {
		{ "malloc(4096)/free", MALLOC_PAIR, 0, 4096, false, 4000000 * scale },
		{ "order 0, pcp", LINMM_PAIR, 0, 0, false, 4000000 * scale },
		{ "order 0, no pcp", LINMM_PAIR, 0, 0, true, 2000000 * scale },
		{ "malloc(32768)/free", MALLOC_PAIR, 0, 32768, false, 2000000 * scale },
		{ "order 3, pcp", LINMM_PAIR, 3, 0, false, 2000000 * scale },
		{ "malloc(2 MiB)/free", MALLOC_PAIR, 0, 2 << 20, false, 200000 * scale },
		{ "order 9, pcp (THP list)", LINMM_PAIR, 9, 0, false, 200000 * scale },
	};
	double ref[2] = { 0, 0 };

	snprintf(cmdline, sizeof(cmdline), "mem=4G cpus=%d", threads);
	if (linmm_boot(cmdline)) {
		fprintf(stderr, "bench_page_alloc: boot '%s' failed: %s\n", cmdline, linmm_last_error());
		return 1;
	}
	printf("page allocator alloc+free pairs, machine '%s', CONFIG_DEBUG_VM=%d\n", cmdline,
	       CONFIG_DEBUG_VM);
	printf("ratio: ns per pair over the glibc pair of the same size (below 1: linmm faster)\n\n");
	printf("%-26s %10s %8s %14s %8s %10s\n", "case", "1 thread", "ratio",
	       "ns/pair x", "ratio", "RSS MiB");
	printf("%-26s %10s %8s %11s%-3d %8s %10s\n", "", "ns/pair", "", "", threads, "", "");

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bench_case *c = &cases[i];
		unsigned long failed1, failedn;
		double one = run_case(c, 1, &failed1);
		double many = run_case(c, threads, &failedn);

		if (c->kind == MALLOC_PAIR) {
			ref[0] = one;
			ref[1] = many;
			printf("%-26s %10.1f %8s %14.1f %8s %10.1f\n", c->name, one, "1.00", many, "1.00",
			       host_rss_mib());
		} else {
			printf("%-26s %10.1f %8.2f %14.1f %8.2f %10.1f%s\n", c->name, one, one / ref[0],
			       many, many / ref[1], host_rss_mib(),
			       failed1 + failedn ? "  (some allocations failed)" : "");
		}
	}
	printf("\nratios of the order-0 cases are against malloc(4096), order 3 against "
	       "malloc(32768), order 9 against malloc(2 MiB).\n");
	linmm_shutdown();
	return 0;
}
