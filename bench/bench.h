/* SPDX-License-Identifier: MIT */
/* bench.h - helpers shared by the benchmarks (not part of the core). */
#ifndef LINMM_BENCH_H
#define LINMM_BENCH_H

#include <stdio.h>
#include <unistd.h>

/* The host's resident set of this process, in bytes (/proc/self/statm), -1 if unknown. */
static inline long long host_rss(void)
{
	long long size, resident;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return -1;
	if (fscanf(f, "%lld %lld", &size, &resident) != 2)
		resident = -1;
	fclose(f);
	return resident < 0 ? -1 : resident * sysconf(_SC_PAGESIZE);
}

#endif /* LINMM_BENCH_H */
