/* SPDX-License-Identifier: MIT */
/*
 * bench_replay.c - `linmm replay` throughput in accesses per second (issue
 * 9), on two generated traces of ACCESSES accesses each, in linmm's binary
 * format (tools/linmm/trace_lmt.c writes them):
 *
 *   hit-heavy   a loop: 48 sequential instruction fetches in one code page,
 *               then 16 loads and stores over a 16-page stack and data area;
 *               everything stays in the 256-entry TLB (hit rate ~100%)
 *   miss-heavy  the same code, but every data access goes to a random page
 *               of a 256 MiB heap (65,536 pages: the TLB holds 1/256 of it),
 *               xorshift-random, one store for every three loads
 *
 * Each trace is replayed by the `linmm` binary next to this one (the build
 * directory) as `linmm replay --time TRACE`, which times its replay loop
 * alone (not the boot, the trace's loading or the report) and prints
 * "replay: N accesses in S s: R M accesses/s" on standard error; the best
 * of REPEATS runs is reported, with the child's peak RSS beside it.
 *
 *   bench_replay [M]   M million accesses per trace (default 10)
 *
 * Build with CMAKE_BUILD_TYPE=Release and -DLINMM_DEBUG_VM=OFF (`make
 * bench` does).  Measured, never asserted: a benchmark, not a test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tools/linmm/trace.h"

#define REPEATS 3
#define CODE_BASE 0x400000ULL
#define STACK_TOP 0x7ffffffde000ULL
#define HEAP_BASE 0x10000000ULL
#define HEAP_PAGES 65536ULL

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Write a trace of @n accesses to @path; @miss: random heap pages. Return: 0 or -1. */
static int gen_trace(const char *path, uint64_t n, bool miss)
{
	struct lmt_writer w;
	uint64_t seed = 0x9e3779b97f4a7c15ULL, done = 0;
	FILE *f = fopen(path, "wb");
	int ret = -1;

	if (!f || lmt_writer_init(&w, f, miss ? "bench miss-heavy" : "bench hit-heavy"))
		goto out;
	while (done < n) {
		for (int i = 0; i < 48 && done < n; i++, done++) {
			struct trace_access a = { CODE_BASE + 4 * (uint64_t)i, 4, TRACE_INSTR };

			if (lmt_write(&w, &a))
				goto out_release;
		}
		for (int i = 0; i < 16 && done < n; i++, done++) {
			uint64_t r = xorshift(&seed);
			struct trace_access a = {
				.size = 8,
				.kind = (r & 3) == 3 ? TRACE_STORE : TRACE_LOAD,
			};

			if (miss)
				a.addr = HEAP_BASE + (r >> 16) % HEAP_PAGES * 4096 + (r & 0xff8);
			else
				a.addr = STACK_TOP - 4096 * ((r >> 8) % 16) - 8 * (r & 0x1f) - 8;
			if (lmt_write(&w, &a))
				goto out_release;
		}
	}
	ret = lmt_writer_finish(&w) ? -1 : 0;
out_release:
	lmt_writer_release(&w);
out:
	if (f && fclose(f))
		ret = -1;
	return ret;
}

/* The linmm binary beside this program. */
static int linmm_path(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	char *slash;

	if (n < 0)
		return -1;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash || (size_t)(slash - buf) + sizeof("/linmm") > size)
		return -1;
	strcpy(slash, "/linmm");
	return 0;
}

/* One `linmm replay --time`: its M accesses/s (from its stderr) and peak RSS. */
static int run_once(const char *linmm, const char *trace, double *rate, long *maxrss_kb)
{
	int pipefd[2], status;
	char out[512] = "";
	struct rusage ru;
	size_t len = 0;
	ssize_t got;
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		dup2(pipefd[1], STDERR_FILENO);
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		close(pipefd[0]);
		execl(linmm, linmm, "replay", "--time", trace, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	while ((got = read(pipefd[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += (size_t)got;
	out[len] = '\0';
	close(pipefd[0]);
	if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	{
		const char *p = strstr(out, "s: ");

		if (!p || sscanf(p, "s: %lf M accesses/s", rate) != 1)
			return -1;
	}
	*maxrss_kb = ru.ru_maxrss;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		bool miss;
	} cases[] = { { "hit-heavy", false }, { "miss-heavy", true } };
	uint64_t n = (argc > 1 ? strtoull(argv[1], NULL, 10) : 10) * 1000000ULL;
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char linmm[PATH_MAX], trace[PATH_MAX];

	if (!n || linmm_path(linmm, sizeof(linmm)) || access(linmm, X_OK)) {
		fprintf(stderr, "usage: %s [MILLIONS]  (needs the linmm binary beside it)\n", argv[0]);
		return 2;
	}
	printf("linmm replay, %llu accesses per trace, best of %d (replay loop only)\n",
	       (unsigned long long)n, REPEATS);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		double best = 0;
		long rss = 0;

		snprintf(trace, sizeof(trace), "%s/linmm-bench-replay-%d.lmt", tmp, (int)getpid());
		if (gen_trace(trace, n, cases[c].miss)) {
			fprintf(stderr, "bench_replay: cannot write %s: %s\n", trace, strerror(errno));
			unlink(trace);
			return 1;
		}
		for (int r = 0; r < REPEATS; r++) {
			double rate;
			long kb;

			if (run_once(linmm, trace, &rate, &kb)) {
				fprintf(stderr, "bench_replay: %s replay %s failed\n", linmm, trace);
				unlink(trace);
				return 1;
			}
			if (rate > best)
				best = rate;
			rss = kb;
		}
		unlink(trace);
		printf("  %-11s %8.2f M accesses/s   (linmm peak RSS %ld MiB)\n", cases[c].name, best,
		       rss / 1024);
	}
	return 0;
}
