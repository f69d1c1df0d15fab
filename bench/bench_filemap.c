// SPDX-License-Identifier: MIT
/*
 * bench_filemap.c - read(2) through linmm's page cache against the host
 * kernel's read(2) of a tmpfs file, measured in the same run (issue 8).
 *
 * One FILE_MB MiB file on each side (linmmfs on ram0; the host's in
 * /dev/shm, or $TMPDIR if there is no /dev/shm), written once.  Cases, each
 * the best of REPEATS runs after an untimed warm-up (`bench_filemap S`
 * reads S times as much):
 *
 *   seq 4K, cached     read() of 4 KiB chunks from offset 0 to the end;
 *                      every page is in the cache on both sides
 *   seq 4K, cold       linmm only: drop_caches first, so every window is
 *                      read ahead from ram0 (latency 0: the copy cost of
 *                      the RAM disk plus readahead and page-cache insertion;
 *                      tmpfs has no cold case)
 *   random 4K pread    pread() of 4 KiB at random page-aligned offsets
 *
 * ns per 4 KiB call and MiB/s.  Memory beside time: the page cache each
 * side holds for the file (linmm's Cached, the host file's st_blocks), and
 * the growth of the host's resident set while linmm's file was written:
 * twice the file, its page-cache pages (in the machine's memfd) plus its
 * blocks on ram0 (host memory) -- the host kernel's page cache and tmpfs
 * pages are kernel memory and never show in the process's RSS.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linmm/fs.h>
#include <linmm/linmm.h>
#include <linmm/sched.h>
#include <linmm/vmstat.h>

#include "bench/bench.h"
#include "mm/internal.h"

#define FILE_MB 64
#define CHUNK 4096
#define REPEATS 5

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static unsigned long long rnd = 88172645463325252ULL;

static unsigned long long next_rnd(void)
{
	rnd ^= rnd << 13;
	rnd ^= rnd >> 7;
	rnd ^= rnd << 17;
	return rnd;
}

static char buf[CHUNK];

/* One pass; Return: ns per call. */
static double linmm_pass(struct task_struct *p, int fd, long calls, bool random)
{
	long size = FILE_MB << 20;
	double t0 = now_ns();

	if (!random)
		linmm_lseek(p, fd, 0, SEEK_SET);
	for (long i = 0; i < calls; i++) {
		if (random)
			linmm_pread(p, fd, buf, CHUNK, (long)(next_rnd() % (size / CHUNK)) * CHUNK);
		else if (linmm_read(p, fd, buf, CHUNK) != CHUNK)
			linmm_lseek(p, fd, 0, SEEK_SET);
	}
	return (now_ns() - t0) / calls;
}

static double host_pass(int fd, long calls, bool random)
{
	long size = FILE_MB << 20;
	double t0 = now_ns();

	if (!random)
		lseek(fd, 0, SEEK_SET);
	for (long i = 0; i < calls; i++) {
		if (random) {
			if (pread(fd, buf, CHUNK, (long)(next_rnd() % (size / CHUNK)) * CHUNK) < 0)
				return -1;
		} else if (read(fd, buf, CHUNK) != CHUNK) {
			lseek(fd, 0, SEEK_SET);
		}
	}
	return (now_ns() - t0) / calls;
}

static void report(const char *name, double linmm_ns, double host_ns)
{
	printf("%-20s linmm %8.0f ns (%6.0f MiB/s)", name, linmm_ns,
	       CHUNK / linmm_ns * 1e9 / (1 << 20));
	if (host_ns > 0)
		printf("   host %8.0f ns (%6.0f MiB/s)   linmm/host %.2f", host_ns,
		       CHUNK / host_ns * 1e9 / (1 << 20), linmm_ns / host_ns);
	printf("\n");
}

int main(int argc, char **argv)
{
	long scale = argc > 1 ? atol(argv[1]) : 1, calls;
	char hpath[256];
	struct task_struct *p;
	long long rss0, rss1;
	struct stat st;
	int fd, hfd;

	if (scale < 1)
		scale = 1;
	calls = scale * (FILE_MB << 20) / CHUNK;
	if (linmm_boot("mem=1G")) {
		fprintf(stderr, "boot: %s\n", linmm_last_error());
		return 1;
	}
	p = linmm_spawn("bench");
	snprintf(hpath, sizeof(hpath), "%s/linmm-bench-filemap-%d",
		 access("/dev/shm", W_OK) ? (getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp")
					  : "/dev/shm", getpid());
	hfd = open(hpath, O_RDWR | O_CREAT | O_TRUNC, 0600);
	fd = linmm_open(p, "/bench", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!p || hfd < 0 || fd < 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	unlink(hpath);
	memset(buf, 'x', sizeof(buf));
	rss0 = host_rss();
	for (long i = 0; i < (FILE_MB << 20) / CHUNK; i++) {
		if (write(hfd, buf, CHUNK) != CHUNK || linmm_write(p, fd, buf, CHUNK) != CHUNK) {
			fprintf(stderr, "write failed\n");
			return 1;
		}
	}
	linmm_fsync(p, fd);
	rss1 = host_rss();
	printf("bench_filemap: %d MiB file, %ld calls of %d bytes per case (best of %d)\n",
	       FILE_MB, calls, CHUNK, REPEATS);
	for (int c = 0; c < 3; c++) {
		double best_l = 1e30, best_h = 1e30;
		bool random = c == 2, cold = c == 1;

		linmm_pass(p, fd, calls / 8, random);	/* warm-up */
		host_pass(hfd, calls / 8, random);
		for (int r = 0; r < REPEATS; r++) {
			double l, h;

			if (cold && linmm_sysctl_write("vm.drop_caches", "1"))
				return 1;
			l = linmm_pass(p, fd, cold ? (FILE_MB << 20) / CHUNK : calls, random);
			h = cold ? -1 : host_pass(hfd, calls, random);
			best_l = l < best_l ? l : best_l;
			best_h = h < best_h ? h : best_h;
		}
		report(c == 0 ? "seq 4K, cached" : cold ? "seq 4K, cold" : "random 4K pread",
		       best_l, cold ? -1 : best_h);
	}
	refresh_vm_stats();
	fstat(hfd, &st);
	printf("page cache: linmm %ld KiB (Cached), host %lld KiB (tmpfs blocks); "
	       "host RSS growth while linmm's cache filled: %lld KiB\n",
	       global_node_page_state(NR_FILE_PAGES) * 4, (long long)st.st_blocks / 2,
	       (rss1 - rss0) / 1024);
	close(hfd);
	linmm_close(p, fd);
	linmm_shutdown();
	return 0;
}
