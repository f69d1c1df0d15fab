/* SPDX-License-Identifier: MIT */
/*
 * bench_slab.c - the slab allocator (SLUB) against glibc, jemalloc, tcmalloc
 * and mimalloc, measured in the same run.
 *
 * Cases, each single-threaded and with one host thread per simulated CPU
 * (every thread enters its own CPU with linmm_cpu_enter()):
 *
 *   kmem_cache_alloc + kmem_cache_free     a cache per size, 16 .. 8192 bytes
 *   kmalloc + kfree                        16, 32, 64 ... 8192 bytes
 *   kmem_cache_alloc_bulk + free_bulk      batches of 16 and of 128, per object
 *   peers: malloc + free of the same sizes; bulk = a batch of mallocs, then
 *   their frees
 *
 * and memory beside time: after a fill of N live objects of one size
 * (N = FILL_BYTES / size, also for sizes that are no power of two), linmm's
 * slab overhead is the bytes of slab pages
 * (the NR_SLAB_UNRECLAIMABLE_B node counter, as /proc/meminfo's SUnreclaim)
 * per byte of live objects; a peer's is its growth of resident memory per
 * byte of live objects (each object is written in full, so every page it
 * uses is resident).
 *
 * The peers run as child processes of this benchmark: the same binary,
 * re-executed as `bench_slab --peer NAME THREADS SCALE` (the timed cases)
 * and `bench_slab --peer-fill NAME I` (one fill per fresh process), with
 * the peer's malloc preloaded (LD_PRELOAD; none for glibc; tcmalloc is
 * gperftools' libtcmalloc_minimal, without the profiler), reporting
 * through a pipe.  Loading four mallocs into one process cannot work (each replaces
 * malloc for the whole process), and the prefixed APIs (mi_malloc,
 * tc_malloc) exist for only two of them; a preloaded child measures each
 * one as programs really use it.  The child checks that the preload took
 * (jemalloc exports mallctl, tcmalloc tc_malloc, mimalloc mi_malloc).  The
 * libraries are found with `ldconfig -p`, then in the multiarch library
 * directories; a missing one is reported and its column left empty
 * (scripts/deps.sh --bench installs libjemalloc-dev,
 * libgoogle-perftools-dev and libmimalloc-dev).
 *
 * Printed: ns per pair (per object for bulk, per thread when threaded; the
 * best of REPEATS runs of each case, after an untimed warm-up run; linmm
 * and the peers run the same loops: a call, the volatile store of the
 * pointer, the free, memory untouched) and the ratio linmm/peer (below 1:
 * linmm faster).  The kernel's own SLUB fast path costs about 11 ns per
 * alloc+free pair.  `bench_slab N` runs N times as many pairs.  Build with
 * CMAKE_BUILD_TYPE=Release and -DLINMM_DEBUG_VM=OFF (`make bench` does):
 * CONFIG_DEBUG_VM checks cost more than the fast paths they check.
 *
 * Measured, never asserted: this is a benchmark, not a test.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linmm/linmm.h>
#include <linmm/slab.h>
#include <linmm/vmstat.h>

#include "bench.h"

#include "kernel/host.h"
#include "mm/internal.h"

#define MAX_THREADS 8
#define NR_SIZES 10
#define FILL_BYTES (16UL << 20)		/* live bytes per fill */
#define PAIRS_BASE 2000000UL		/* pairs per thread for 16-byte objects */
#define MAX_BATCH 128
#define REPEATS 3			/* timed runs of each case (after a warm-up); the best counts */

static const size_t sizes[NR_SIZES] = { 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192 };
/* Fills: the same sizes and some that are no power of two (slab tail waste). */
#define NR_FILL_SIZES 15
static const size_t fill_sizes[NR_FILL_SIZES] = {
	16, 24, 32, 64, 96, 128, 192, 256, 512, 700, 1024, 2048, 3000, 4096, 8192,
};
static const unsigned int batches[] = { 16, 128 };
#define NR_BATCHES (sizeof(batches) / sizeof(batches[0]))

enum peer { GLIBC, JEMALLOC, TCMALLOC, MIMALLOC, NR_PEERS };

static const struct {
	const char *name;
	const char *soname;	/* NULL: the C library's own malloc */
	const char *symbol;	/* exported only by this malloc: proves the preload */
} peers[NR_PEERS] = {
	[GLIBC] = { "glibc", NULL, NULL },
	[JEMALLOC] = { "jemalloc", "libjemalloc.so.2", "mallctl" },
	[TCMALLOC] = { "tcmalloc", "libtcmalloc_minimal.so.4", "tc_malloc" },
	[MIMALLOC] = { "mimalloc", "libmimalloc.so.2", "mi_malloc" },
};

/* Results: ns per pair/object [peer or linmm][size][threads: 0 one, 1 many]. */
struct results {
	double pair[NR_SIZES][2];
	double bulk[NR_SIZES][NR_BATCHES][2];
	double fill_ratio[NR_FILL_SIZES];	/* bytes used per live byte */
	bool valid;
};

static void *volatile sink;

enum workload { W_MALLOC, W_MALLOC_BULK, W_KMALLOC, W_CACHE, W_CACHE_BULK };

struct worker {
	enum workload w;
	size_t size;
	unsigned int batch;
	unsigned long iters;		/* pairs, or batches */
	struct kmem_cache *cache;
	int cpu;
	int nr_threads;
	u64 ns;
	unsigned long failed;
};

static atomic_int start_line;

static unsigned long pairs_for(size_t size, unsigned long scale)
{
	unsigned long n = PAIRS_BASE * scale;

	/* Larger objects touch more memory per pair; keep each case short. */
	for (size_t s = 16; s < size && n > 200000; s *= 4)
		n /= 2;
	return n;
}

static void run_loop(struct worker *w)
{
	void *p[MAX_BATCH];

	switch (w->w) {
	case W_MALLOC:
		for (unsigned long i = 0; i < w->iters; i++) {
			void *obj = malloc(w->size);

			sink = obj;
			free(obj);
		}
		break;
	case W_MALLOC_BULK:
		for (unsigned long i = 0; i < w->iters; i++) {
			for (unsigned int j = 0; j < w->batch; j++)
				p[j] = malloc(w->size);
			sink = p[w->batch - 1];
			for (unsigned int j = 0; j < w->batch; j++)
				free(p[j]);
		}
		break;
	case W_KMALLOC:
		for (unsigned long i = 0; i < w->iters; i++) {
			void *obj = kmalloc(w->size, GFP_KERNEL);

			if (!obj) {		/* the same loop shape as W_CACHE */
				w->failed++;
				continue;
			}
			sink = obj;
			kfree(obj);
		}
		break;
	case W_CACHE:
		for (unsigned long i = 0; i < w->iters; i++) {
			void *obj = kmem_cache_alloc(w->cache, GFP_KERNEL);

			if (!obj) {
				w->failed++;
				continue;
			}
			sink = obj;
			kmem_cache_free(w->cache, obj);
		}
		break;
	case W_CACHE_BULK:
		for (unsigned long i = 0; i < w->iters; i++) {
			if (!kmem_cache_alloc_bulk(w->cache, GFP_KERNEL, w->batch, p)) {
				w->failed++;
				continue;
			}
			sink = p[0];
			kmem_cache_free_bulk(w->cache, w->batch, p);
		}
		break;
	}
}

static void *run_worker(void *arg)
{
	struct worker *w = arg;
	u64 t0;

	if (w->w >= W_KMALLOC)
		linmm_cpu_enter(w->cpu);
	/* Start together, so threaded cases really overlap. */
	atomic_fetch_add(&start_line, 1);
	while (atomic_load(&start_line) < w->nr_threads)
		;
	t0 = linmm_host_now_ns();
	run_loop(w);
	w->ns = linmm_host_now_ns() - t0;
	return NULL;
}

/* ns per pair (per object for bulk) per thread: the slowest thread's. */
static double run_case_once(const struct worker *proto, int threads, unsigned long *failed)
{
	struct worker w[MAX_THREADS];
	linmm_host_thread_t *t[MAX_THREADS];
	u64 max_ns = 0;

	atomic_store(&start_line, 0);
	for (int i = 0; i < threads; i++) {
		w[i] = *proto;
		w[i].cpu = i;
		w[i].nr_threads = threads;
		if (threads == 1) {
			run_worker(&w[i]);
		} else if (linmm_host_thread_create(&t[i], run_worker, &w[i])) {
			fprintf(stderr, "bench_slab: cannot create a thread\n");
			exit(1);
		}
	}
	for (int i = 0; i < threads; i++) {
		if (threads > 1)
			linmm_host_thread_join(t[i]);
		max_ns = w[i].ns > max_ns ? w[i].ns : max_ns;
		if (failed)
			*failed += w[i].failed;
	}
	if (proto->w == W_MALLOC_BULK || proto->w == W_CACHE_BULK)
		return (double)max_ns / ((double)proto->iters * proto->batch);
	return (double)max_ns / (double)proto->iters;
}

/*
 * The best of REPEATS runs, after one untimed warm-up run (the first case
 * of a fresh process otherwise pays for page faults and cold caches, and
 * the peers' first case would be measured colder than the rest): the
 * machine is shared, and a run that lost its CPU to another process
 * measures that process, not the allocator.
 */
static double run_case(const struct worker *proto, int threads, unsigned long *failed)
{
	double best;

	run_case_once(proto, threads, failed);
	best = run_case_once(proto, threads, failed);
	for (int i = 1; i < REPEATS; i++) {
		double ns = run_case_once(proto, threads, failed);

		best = ns < best ? ns : best;
	}
	return best;
}

/* ---- the peer side (a child process, its malloc preloaded) ---- */

/* RSS growth per live byte after N objects of @size, each written in full. */
static double peer_fill(size_t size)
{
	size_t n = FILL_BYTES / size;
	void **objs = malloc(n * sizeof(*objs));
	long long before, after;
	double ratio;

	if (!objs)
		return -1;
	memset(objs, 0xff, n * sizeof(*objs));	/* resident before, not calloc()ed */
	before = host_rss();
	for (size_t i = 0; i < n; i++) {
		objs[i] = malloc(size);
		if (objs[i])
			memset(objs[i], 0x5a, size);
	}
	after = host_rss();
	ratio = (double)(after - before) / (double)(n * size);
	for (size_t i = 0; i < n; i++)
		free(objs[i]);
	free(objs);
	return ratio;
}

/* The peer named @name, or -1 after printing why (its preload must have taken). */
static int peer_check(const char *name)
{
	for (int p = 0; p < NR_PEERS; p++) {
		if (strcmp(peers[p].name, name))
			continue;
		if (peers[p].symbol && !dlsym(RTLD_DEFAULT, peers[p].symbol)) {
			printf("error %s is not loaded (LD_PRELOAD did not take)\n", name);
			return -1;
		}
		return p;
	}
	printf("error no peer '%s'\n", name);
	return -1;
}

/* `--peer NAME THREADS SCALE`: every timed case. */
static int peer_main(const char *name, int threads, unsigned long scale)
{
	if (peer_check(name) < 0)
		return 1;
	for (int i = 0; i < NR_SIZES; i++) {
		struct worker w = { .w = W_MALLOC, .size = sizes[i],
				    .iters = pairs_for(sizes[i], scale) };

		printf("pair %d 0 %.3f\n", i, run_case(&w, 1, NULL));
		printf("pair %d 1 %.3f\n", i, run_case(&w, threads, NULL));
		for (unsigned int b = 0; b < NR_BATCHES; b++) {
			w = (struct worker){ .w = W_MALLOC_BULK, .size = sizes[i],
					     .batch = batches[b],
					     .iters = pairs_for(sizes[i], scale) / batches[b] };
			printf("bulk %d %u 0 %.3f\n", i, b, run_case(&w, 1, NULL));
			printf("bulk %d %u 1 %.3f\n", i, b, run_case(&w, threads, NULL));
		}
	}
	fflush(stdout);
	return 0;
}

/*
 * `--peer-fill NAME I`: one fill of sizes[I], in a fresh process (memory a
 * malloc got back from free() stays resident, so a second fill in the same
 * process would grow nothing).
 */
static int peer_fill_main(const char *name, int i)
{
	if (peer_check(name) < 0 || i < 0 || i >= NR_FILL_SIZES)
		return 1;
	printf("fill %d %.4f\n", i, peer_fill(fill_sizes[i]));
	fflush(stdout);
	return 0;
}

/* ---- the linmm side ---- */

/* Where @soname lives: `ldconfig -p`, then the usual library directories. */
static bool find_library(const char *soname, char *path, size_t size)
{
	static const char *const dirs[] = {
		"/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
		"/usr/lib64", "/usr/lib", "/usr/local/lib",
	};
	char line[512], cmd[64];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "%s", access("/sbin/ldconfig", X_OK) ? "ldconfig -p" :
		 "/sbin/ldconfig -p");
	f = popen(cmd, "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *arrow = strstr(line, "=> ");
		const char *name = line + strspn(line, " \t");

		if (!arrow || strncmp(name, soname, strlen(soname)) || name[strlen(soname)] != ' ')
			continue;
		snprintf(path, size, "%s", arrow + 3);
		path[strcspn(path, "\n")] = '\0';
		pclose(f);
		return true;
	}
	if (f)
		pclose(f);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, size, "%s/%s", dirs[i], soname);
		if (!access(path, R_OK))
			return true;
	}
	return false;
}

/* Parse the child's report lines into @r. */
static void parse_peer_line(const char *line, struct results *r)
{
	int i, b, t;
	double v;

	if (sscanf(line, "pair %d %d %lf", &i, &t, &v) == 3 && i >= 0 && i < NR_SIZES &&
	    (t == 0 || t == 1))
		r->pair[i][t] = v;
	else if (sscanf(line, "bulk %d %d %d %lf", &i, &b, &t, &v) == 4 && i >= 0 &&
		 i < NR_SIZES && b >= 0 && b < (int)NR_BATCHES && (t == 0 || t == 1))
		r->bulk[i][b][t] = v;
	else if (sscanf(line, "fill %d %lf", &i, &v) == 2 && i >= 0 && i < NR_FILL_SIZES)
		r->fill_ratio[i] = v;
}

/*
 * Run `SELF MODE PEER A B` in a child with peer @p's malloc preloaded (@lib,
 * "" for none) and parse its report into @r.  Return false if it failed.
 */
static bool run_child(int p, const char *lib, const char *self, const char *mode,
		      const char *a, const char *b, struct results *r)
{
	char line[256];
	int fd[2], status;
	pid_t pid;
	FILE *in;

	if (pipe(fd)) {
		perror("bench_slab: pipe");
		return false;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("bench_slab: fork");
		close(fd[0]);
		close(fd[1]);
		return false;
	}
	if (pid == 0) {
		dup2(fd[1], STDOUT_FILENO);
		close(fd[0]);
		close(fd[1]);
		if (lib[0])
			setenv("LD_PRELOAD", lib, 1);
		else
			unsetenv("LD_PRELOAD");
		execl(self, self, mode, peers[p].name, a, b, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	in = fdopen(fd[0], "r");
	while (in && fgets(line, sizeof(line), in)) {
		if (!strncmp(line, "error ", 6))
			fprintf(stderr, "bench_slab: %s", line + 6);
		parse_peer_line(line, r);
	}
	if (in)
		fclose(in);
	else
		close(fd[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "bench_slab: the %s child (%s) failed\n", peers[p].name, mode);
		return false;
	}
	return true;
}

/* Every case of peer @p, each in a child with its malloc preloaded; fill @r. */
static void run_peer(int p, const char *self, int threads, unsigned long scale, struct results *r)
{
	char lib[512] = "", a[32], b[32];

	memset(r, 0, sizeof(*r));
	if (peers[p].soname && !find_library(peers[p].soname, lib, sizeof(lib))) {
		fprintf(stderr, "bench_slab: %s (%s) not found: install it with scripts/deps.sh "
			"--bench; its column stays empty\n", peers[p].name, peers[p].soname);
		return;
	}
	snprintf(a, sizeof(a), "%d", threads);
	snprintf(b, sizeof(b), "%lu", scale);
	r->valid = run_child(p, lib, self, "--peer", a, b, r);
	for (int i = 0; i < NR_FILL_SIZES && r->valid; i++) {
		snprintf(a, sizeof(a), "%d", i);
		r->valid = run_child(p, lib, self, "--peer-fill", a, "0", r);
	}
}

/* Slab pages per live byte after a fill of FILL_BYTES in @size-byte objects. */
static double linmm_fill(struct kmem_cache *cache, size_t size)
{
	size_t n = FILL_BYTES / size;
	void **objs = calloc(n, sizeof(*objs));
	long before, after;

	if (!objs)
		return -1;
	kmem_cache_shrink(cache);
	refresh_vm_stats();
	before = global_node_page_state(NR_SLAB_UNRECLAIMABLE_B);
	for (size_t i = 0; i < n; i++)
		objs[i] = kmem_cache_alloc(cache, GFP_KERNEL);
	refresh_vm_stats();
	after = global_node_page_state(NR_SLAB_UNRECLAIMABLE_B);
	for (size_t i = 0; i < n; i++)
		if (objs[i])
			kmem_cache_free(cache, objs[i]);
	free(objs);
	kmem_cache_shrink(cache);
	return (double)(after - before) * PAGE_SIZE / (double)(n * size);
}

static void run_linmm(int threads, unsigned long scale, struct results *kmalloc_r,
		      struct results *cache_r, unsigned long *failed)
{
	char name[32];

	for (int i = 0; i < NR_SIZES; i++) {
		struct kmem_cache *c;
		struct worker w;

		snprintf(name, sizeof(name), "bench-%zu", sizes[i]);
		c = kmem_cache_create(name, (unsigned int)sizes[i], 0, SLAB_NO_MERGE, NULL);
		if (!c) {
			fprintf(stderr, "bench_slab: kmem_cache_create(%s) failed\n", name);
			exit(1);
		}
		w = (struct worker){ .w = W_KMALLOC, .size = sizes[i],
				     .iters = pairs_for(sizes[i], scale) };
		kmalloc_r->pair[i][0] = run_case(&w, 1, failed);
		kmalloc_r->pair[i][1] = run_case(&w, threads, failed);
		w.w = W_CACHE;
		w.cache = c;
		cache_r->pair[i][0] = run_case(&w, 1, failed);
		cache_r->pair[i][1] = run_case(&w, threads, failed);
		for (unsigned int b = 0; b < NR_BATCHES; b++) {
			w = (struct worker){ .w = W_CACHE_BULK, .cache = c, .size = sizes[i],
					     .batch = batches[b],
					     .iters = pairs_for(sizes[i], scale) / batches[b] };
			cache_r->bulk[i][b][0] = run_case(&w, 1, failed);
			cache_r->bulk[i][b][1] = run_case(&w, threads, failed);
		}
		kmem_cache_destroy(c);
	}
	for (int i = 0; i < NR_FILL_SIZES; i++) {
		struct kmem_cache *c;

		snprintf(name, sizeof(name), "fill-%zu", fill_sizes[i]);
		c = kmem_cache_create(name, (unsigned int)fill_sizes[i], 0, SLAB_NO_MERGE, NULL);
		if (!c) {
			fprintf(stderr, "bench_slab: kmem_cache_create(%s) failed\n", name);
			exit(1);
		}
		cache_r->fill_ratio[i] = linmm_fill(c, fill_sizes[i]);
		kmem_cache_destroy(c);
	}
	kmalloc_r->valid = cache_r->valid = true;
}

/* "  12.3 0.85": a peer's ns and linmm's ratio to it; blanks without a number. */
static void print_peer_cell(double linmm, double peer)
{
	if (peer > 0)
		printf(" %8.1f %5.2f", peer, linmm / peer);
	else
		printf(" %8s %5s", "-", "");
}

static void print_table_head(const char *what)
{
	printf("\n%s\n%-22s %3s %8s", what, "case", "thr", "linmm");
	for (int p = 0; p < NR_PEERS; p++)
		printf(" %8s %5s", peers[p].name, "ratio");
	printf("\n");
}

int main(int argc, char **argv)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int threads = ncpu < 2 ? 2 : ncpu > MAX_THREADS ? MAX_THREADS : (int)ncpu;
	unsigned long scale = 1, failed = 0;
	static struct results peer_r[NR_PEERS], kmalloc_r, cache_r;
	char self[4096], cmdline[64];
	ssize_t len;

	if (argc == 5 && !strcmp(argv[1], "--peer"))
		return peer_main(argv[2], atoi(argv[3]), strtoul(argv[4], NULL, 0));
	if (argc == 5 && !strcmp(argv[1], "--peer-fill"))
		return peer_fill_main(argv[2], atoi(argv[3]));
	if (argc > 1)
		scale = strtoul(argv[1], NULL, 0);
	if (!scale)
		scale = 1;
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len < 0) {
		perror("bench_slab: /proc/self/exe");
		return 1;
	}
	self[len] = '\0';

	snprintf(cmdline, sizeof(cmdline), "mem=4G cpus=%d", threads);
	if (linmm_boot(cmdline)) {
		fprintf(stderr, "bench_slab: boot '%s' failed: %s\n", cmdline, linmm_last_error());
		return 1;
	}
	printf("slab alloc+free, machine '%s', CONFIG_DEBUG_VM=%d, %d threads in the threaded "
	       "rows\n", cmdline, CONFIG_DEBUG_VM, threads);
	printf("ns per pair (bulk: per object), per thread; ratio = linmm / peer (below 1: linmm "
	       "faster).\nThe kernel's SLUB fast path: about 11 ns per pair.\n");
	run_linmm(threads, scale, &kmalloc_r, &cache_r, &failed);
	linmm_shutdown();
	for (int p = 0; p < NR_PEERS; p++)
		run_peer(p, self, threads, scale, &peer_r[p]);

	for (int k = 0; k < 2; k++) {
		const struct results *r = k ? &cache_r : &kmalloc_r;

		print_table_head(k ? "kmem_cache_alloc + kmem_cache_free vs malloc + free"
				   : "kmalloc + kfree vs malloc + free");
		for (int i = 0; i < NR_SIZES; i++) {
			for (int t = 0; t < 2; t++) {
				printf("%-8s %-13zu %3d %8.1f", k ? "cache" : "kmalloc", sizes[i],
				       t ? threads : 1, r->pair[i][t]);
				for (int p = 0; p < NR_PEERS; p++)
					print_peer_cell(r->pair[i][t], peer_r[p].valid ?
							peer_r[p].pair[i][t] : 0);
				printf("\n");
			}
		}
	}
	print_table_head("kmem_cache_alloc_bulk + kmem_cache_free_bulk vs a batch of malloc, "
			 "then of free (per object)");
	for (int i = 0; i < NR_SIZES; i++) {
		for (unsigned int b = 0; b < NR_BATCHES; b++) {
			for (int t = 0; t < 2; t++) {
				char label[32];

				snprintf(label, sizeof(label), "bulk %-4zu x%u", sizes[i], batches[b]);
				printf("%-22s %3d %8.1f", label, t ? threads : 1,
				       cache_r.bulk[i][b][t]);
				for (int p = 0; p < NR_PEERS; p++)
					print_peer_cell(cache_r.bulk[i][b][t], peer_r[p].valid ?
							peer_r[p].bulk[i][b][t] : 0);
				printf("\n");
			}
		}
	}
	printf("\nmemory for %lu MiB of live objects: bytes used per live byte (linmm: slab "
	       "pages; peers: RSS growth)\n%-22s %8s", FILL_BYTES >> 20, "size", "linmm");
	for (int p = 0; p < NR_PEERS; p++)
		printf(" %8s", peers[p].name);
	printf("\n");
	for (int i = 0; i < NR_FILL_SIZES; i++) {
		printf("%-22zu %8.3f", fill_sizes[i], cache_r.fill_ratio[i]);
		for (int p = 0; p < NR_PEERS; p++) {
			if (peer_r[p].valid)
				printf(" %8.3f", peer_r[p].fill_ratio[i]);
			else
				printf(" %8s", "-");
		}
		printf("\n");
	}
	if (failed)
		printf("\n%lu linmm allocations failed (their pairs were not timed)\n", failed);
	return 0;
}
