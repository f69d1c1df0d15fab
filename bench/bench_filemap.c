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
 *
 * Then the same file read through a file mapping, each side mapping it
 * MAP_SHARED PROT_READ afresh for every run and loading one 8-byte word per
 * 4 KiB page (linmm: linmm_user_read() of the task, the simulated CPU's TLB
 * and page-table walk; host: a volatile load), in page order (seq) or in a
 * random permutation of the pages (random, the same one on both sides):
 *
 *   file mapping (the file's pages all in the page cache on both sides)
 *   +------+------+------+------+------+------+-- ... --+------+
 *   | pg 0 | pg 1 | pg 2 |  ..  | pg15 | pg16 |   ...   | last |
 *   +------+------+------+------+------+------+-- ... --+------+
 *   |<---- one fault maps 64 KiB: fault-around ---->|
 *
 *   cold    the first pass over the fresh mapping: a minor fault per
 *           fault_around_bytes window (64 KiB, 16 pages, on both sides)
 *           maps the window's cached pages; the others are PTE hits
 *   warm    the second pass: no faults, TLB hits or page-table walks
 *   seq, uncached   linmm only: drop_caches before mapping, so each fault
 *           reads ahead from ram0 (major faults; tmpfs has no such case)
 *
 * ns per page, linmm/host, and the faults of one pass on each side (the
 * linmm task's min_flt/maj_flt, the host's getrusage ru_minflt/ru_majflt
 * deltas).  Memory beside time: what one full mapping costs each side --
 * resident file pages and page tables (linmm's MM_FILEPAGES and VmPTE of
 * the task; the host's RSS growth and VmPTE growth of this process).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linmm/fs.h>
#include <linmm/linmm.h>
#include <linmm/memory.h>
#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/mmu.h>
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

/* ---- reads through a file mapping ---- */

#define NPAGES ((FILE_MB << 20) / CHUNK)

static long order[NPAGES];	/* page indices of one pass: 0..NPAGES-1 or a permutation */

static void set_order(bool random)
{
	for (long i = 0; i < NPAGES; i++)
		order[i] = i;
	for (long i = NPAGES - 1; random && i > 0; i--) {
		long j = (long)(next_rnd() % (unsigned long long)(i + 1)), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
}

/* One pass of one 8-byte load per page at @addr of @p; Return: ns per page, -1 on a fault. */
static double linmm_map_pass(struct task_struct *p, unsigned long addr, unsigned long *sum)
{
	unsigned long word;
	double t0 = now_ns();

	for (long i = 0; i < NPAGES; i++) {
		if (linmm_user_read(p, addr + order[i] * CHUNK, &word, sizeof(word)))
			return -1;
		*sum += word;
	}
	return (now_ns() - t0) / NPAGES;
}

static double host_map_pass(const char *map, unsigned long *sum)
{
	double t0 = now_ns();

	for (long i = 0; i < NPAGES; i++)
		*sum += *(const volatile unsigned long *)(map + order[i] * CHUNK);
	return (now_ns() - t0) / NPAGES;
}

/* VmPTE of this process in KiB (/proc/self/status), -1 if unknown. */
static long long host_vmpte_kb(void)
{
	char line[128];
	long long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPTE: %lld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static long host_faults(bool major)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return major ? ru.ru_majflt : ru.ru_minflt;
}

/* The best of one side's cold or warm passes and the faults of that run. */
struct map_result {
	double ns;
	unsigned long min_flt, maj_flt;
};

static void map_best(struct map_result *best, double ns, unsigned long min_flt,
		     unsigned long maj_flt)
{
	if (ns < best->ns) {
		best->ns = ns;
		best->min_flt = min_flt;
		best->maj_flt = maj_flt;
	}
}

static void map_report(const char *name, const struct map_result *l, const struct map_result *h)
{
	printf("%-22s linmm %6.0f ns/page", name, l->ns);
	if (h)
		printf("   host %6.1f ns/page   linmm/host %6.1f", h->ns, l->ns / h->ns);
	else
		printf("   %-40s", "host -");
	printf("   faults/pass: linmm min %lu maj %lu", l->min_flt, l->maj_flt);
	if (h)
		printf(", host min %lu maj %lu", h->min_flt, h->maj_flt);
	printf("\n");
}

struct map_memory {
	unsigned long linmm_rss_kb, linmm_pte_kb;
	long long host_rss_kb, host_pte_kb;
	unsigned long linmm_off, host_off;	/* mapping start mod fault_around_bytes */
};

/*
 * Case @c: 0 seq, 1 random, 2 seq with the page cache dropped (linmm only).
 * Return: 0, -1 on a failed mapping or access.
 */
static int map_case(struct task_struct *p, int fd, int hfd, int c, struct map_memory *mem)
{
	unsigned long len = NPAGES * CHUNK, sum = 0;
	struct map_result lc = { 1e30, 0, 0 }, lw = { 1e30, 0, 0 };
	struct map_result hc = { 1e30, 0, 0 }, hw = { 1e30, 0, 0 };
	bool uncached = c == 2;

	set_order(c == 1);
	for (int r = 0; r < REPEATS; r++) {
		unsigned long addr, min0, maj0;
		long long rss0, pte0;
		long hmin0, hmaj0;
		double ns;
		char *map;

		if (uncached && linmm_sysctl_write("vm.drop_caches", "1"))
			return -1;
		addr = linmm_mmap(p, 0, len, PROT_READ, MAP_SHARED, fd, 0);
		if (IS_ERR_VALUE(addr)) {
			fprintf(stderr, "linmm_mmap: %ld\n", (long)addr);
			return -1;
		}
		min0 = p->min_flt;
		maj0 = p->maj_flt;
		ns = linmm_map_pass(p, addr, &sum);
		if (ns < 0)
			return -1;
		map_best(&lc, ns, p->min_flt - min0, p->maj_flt - maj0);
		min0 = p->min_flt;
		maj0 = p->maj_flt;
		ns = linmm_map_pass(p, addr, &sum);
		if (ns < 0)
			return -1;
		map_best(&lw, ns, p->min_flt - min0, p->maj_flt - maj0);
		if (c == 0 && r == 0) {
			mem->linmm_rss_kb = get_mm_counter(p->mm, MM_FILEPAGES) * 4;
			mem->linmm_pte_kb = mm_pgtables_bytes(p->mm) / 1024;
			mem->linmm_off = addr % fault_around_bytes;
		}
		if (linmm_munmap(p, addr, len))
			return -1;
		if (uncached)
			continue;

		rss0 = host_rss();
		pte0 = host_vmpte_kb();
		map = mmap(NULL, len, PROT_READ, MAP_SHARED, hfd, 0);
		if (map == MAP_FAILED) {
			perror("mmap");
			return -1;
		}
		hmin0 = host_faults(false);
		hmaj0 = host_faults(true);
		ns = host_map_pass(map, &sum);
		map_best(&hc, ns, host_faults(false) - hmin0, host_faults(true) - hmaj0);
		hmin0 = host_faults(false);
		hmaj0 = host_faults(true);
		ns = host_map_pass(map, &sum);
		map_best(&hw, ns, host_faults(false) - hmin0, host_faults(true) - hmaj0);
		if (c == 0 && r == 0) {
			mem->host_rss_kb = (host_rss() - rss0) / 1024;
			mem->host_pte_kb = host_vmpte_kb() - pte0;
			mem->host_off = (unsigned long)map % fault_around_bytes;
		}
		munmap(map, len);
	}
	/* Every word is "xxxxxxxx": a pass that read wrong data shows here. */
	if (sum != (unsigned long)REPEATS * NPAGES * (uncached ? 2 : 4) * 0x7878787878787878UL) {
		fprintf(stderr, "mapped reads returned wrong data\n");
		return -1;
	}
	if (uncached) {
		map_report("mmap seq uncached,cold", &lc, NULL);
		return 0;
	}
	map_report(c ? "mmap random, cold" : "mmap seq, cold", &lc, &hc);
	map_report(c ? "mmap random, warm" : "mmap seq, warm", &lw, &hw);
	return 0;
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

	struct map_memory mem = { .host_rss_kb = -1, .host_pte_kb = -1 };

	printf("file mapping: %d MiB MAP_SHARED PROT_READ, one 8-byte load per 4 KiB page, "
	       "%ld pages per pass (best of %d fresh mappings)\n", FILE_MB, (long)NPAGES, REPEATS);
	for (int c = 0; c < 3; c++)
		if (map_case(p, fd, hfd, c, &mem))
			return 1;
	printf("one full mapping: linmm task %lu KiB file pages (MM_FILEPAGES) + %lu KiB page "
	       "tables; host RSS growth %lld KiB + VmPTE growth %lld KiB\n",
	       mem.linmm_rss_kb, mem.linmm_pte_kb, mem.host_rss_kb, mem.host_pte_kb);
	/*
	 * The first fault maps the 16 pages from the VMA's start, later ones
	 * their aligned window: a start off the 64 KiB grid costs one fault more.
	 */
	printf("mapping start mod %lu KiB: linmm %#lx, host %#lx (unaligned: one cold fault more)\n",
	       fault_around_bytes / 1024, mem.linmm_off, mem.host_off);
	close(hfd);
	linmm_close(p, fd);
	linmm_shutdown();
	return 0;
}
