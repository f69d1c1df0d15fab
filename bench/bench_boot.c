/* SPDX-License-Identifier: MIT */
/*
 * bench_boot.c - boot time and memmap memory against machine size.
 *
 * Boots machines of 1 GiB, 16 GiB and 64 GiB (the last metadata-only,
 * backing=none) several times each and prints, per machine, the median boot
 * time, the boot time per page of RAM (the ratio that shows whether boot
 * scales linearly), the memmap that boot populated (memmap_pages_total *
 * PAGE_SIZE: the struct pages, 64 bytes per 4 KiB page, 1/64 of RAM) and the
 * growth of the host's resident set while the machine is up.
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

#define REPS 5
#define MIB (1024.0 * 1024.0)

struct machine_case {
	const char *cmdline;
	u64 ram;		/* bytes, for the per-page ratio */
};

static const struct machine_case cases[] = {
	{ "mem=1G", 1ULL << 30 },
	{ "mem=16G", 16ULL << 30 },
	{ "mem=64G backing=none", 64ULL << 30 },
};

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

int main(void)
{
	printf("boot time and memmap memory, median of %d boots each\n\n", REPS);
	printf("%-22s %12s %12s %12s %10s %14s\n", "machine", "boot ms", "ns/page",
	       "memmap MiB", "memmap %", "host RSS +MiB");

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const struct machine_case *m = &cases[c];
		u64 ns[REPS];
		long long rss[REPS];
		unsigned long memmap_pages = 0;

		for (int r = 0; r < REPS; r++) {
			long long rss0 = host_rss();
			u64 t0 = linmm_host_now_ns();

			if (linmm_boot(m->cmdline)) {
				fprintf(stderr, "bench_boot: boot '%s' failed: %s\n", m->cmdline,
					linmm_last_error());
				return 1;
			}
			ns[r] = linmm_host_now_ns() - t0;
			rss[r] = host_rss() - rss0;
			memmap_pages = memmap_pages_total;
			linmm_shutdown();
		}
		qsort(ns, REPS, sizeof(ns[0]), cmp_u64);
		qsort(rss, REPS, sizeof(rss[0]), cmp_ll);

		double memmap = (double)memmap_pages * PAGE_SIZE;
		u64 pages = m->ram / PAGE_SIZE;

		printf("%-22s %12.2f %12.2f %12.1f %9.2f%% %14.1f\n", m->cmdline,
		       ns[REPS / 2] / 1e6, (double)ns[REPS / 2] / (double)pages, memmap / MIB,
		       100.0 * memmap / (double)m->ram, rss[REPS / 2] / MIB);
	}
	printf("\nmemmap %% is memmap memory over RAM: struct page is %zu bytes per %lu-byte page"
	       " (%.2f%%).\n", sizeof(struct page), PAGE_SIZE,
	       100.0 * (double)sizeof(struct page) / PAGE_SIZE);
	return 0;
}
