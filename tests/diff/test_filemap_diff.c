// SPDX-License-Identifier: MIT
/*
 * test_filemap_diff.c - file mappings against the host kernel.
 *
 * A 32-page file is written with write(2) in a fresh host temporary
 * directory (on /dev/shm's tmpfs: single-page folios, as linmm caches)
 * and in linmmfs, then both sides run the same steps and must
 * agree after each:
 *
 *   - mmap's errno for bad requests (EACCES, EINVAL, EOVERFLOW, ENODEV);
 *   - the bytes seen through a MAP_SHARED and a MAP_PRIVATE mapping and
 *     through pread, after write(2)s and stores in both directions;
 *   - read faults with fault-around on the cached file: both map it at
 *     the same 64 KiB-aligned fixed address and touch every page once;
 *     the minor faults taken (host: getrusage ru_minflt delta) must match
 *     (one per 16-page window, with fault_around_bytes at its default);
 *   - msync(MS_SYNC) results;
 *   - after ftruncate, a load in the page holding EOF works and one past
 *     it is SIGBUS (host: a child catches it with sigsetjmp).
 *
 *   file pages  0 ....... 15 | 16 ...... 31        at FIXED_ADDR both sides
 *   faults       1 (window)  |  1 (window)
 *
 * The host's fault_around_bytes is debugfs-only; a host configured away
 * from 64 KiB would fail the fault count, which the message says.
 *
 * Two more tests need a file on a disk file system (ext4 or xfs, in
 * $TMPDIR or /tmp; skipped with a message otherwise): where mmap(NULL) and
 * mremap place file mappings (test_file_placement: 2 MiB alignment by file
 * offset, in a child whose address space above a top is reserved, see
 * host_pin.h) and which pages major faults read, mmap_miss included
 * (test_mmap_miss: cachestat(2) after each fault on a dropped cache, with
 * linmm's read_ahead_kb set to the host disk's).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../linmm_test.h"

/*
 * ThreadSanitizer keeps its shadow where this test's fixed host window is
 * and cannot instrument accesses to memory mapped outside its application
 * ranges: the cases that touch host mappings run in the plain and ASan
 * builds only.
 */
#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#else
#define UNDER_TSAN 0
#endif

#include <linmm/fs.h>
#include <linmm/mmap.h>
#include <linmm/mmu.h>
#include <linmm/pagemap.h>
#include <linmm/sched.h>

/* The host calls of the tests above stay libc's; the pinned child's are raw. */
#define HOST_SYSCALLS_NO_MACROS
#include "host_pin.h"

#define FILE_PAGES 32
#define FIXED_ADDR 0x7e0000000000UL	/* 2 MiB aligned (a PTE table starts there), clear of ASan's shadow */

static char hostdir[] = "/dev/shm/linmm-mdiff-XXXXXX";
static char hostfile[64];
static struct task_struct *p;
static int hfd, lfd;
static unsigned char data[FILE_PAGES * 4096];

static int setup(void **state)
{
	(void)state;
	/*
	 * tmpfs (huge=never, its default) caches in single pages as linmm
	 * does; a disk file system with large folios maps a whole folio per
	 * fault-around, which linmm (no large folios) cannot match.
	 */
	snprintf(hostdir, sizeof(hostdir), "/dev/shm/linmm-mdiff-XXXXXX");
	if (!mkdtemp(hostdir)) {
		snprintf(hostdir, sizeof(hostdir), "/tmp/linmm-mdiff-XXXXXX");
		assert_non_null(mkdtemp(hostdir));
	}
	snprintf(hostfile, sizeof(hostfile), "%s/f", hostdir);
	boot_or_fail("mem=256M");
	p = linmm_spawn("p");
	assert_non_null(p);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7 + 3);
	hfd = open(hostfile, O_RDWR | O_CREAT | O_TRUNC, 0644);
	lfd = linmm_open(p, "/f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	assert_true(hfd >= 0 && lfd >= 0);
	assert_int_equal(write(hfd, data, sizeof(data)), (long)sizeof(data));
	assert_int_equal(linmm_write(p, lfd, data, sizeof(data)), (long)sizeof(data));
	return 0;
}

static int teardown(void **state)
{
	close(hfd);
	unlink(hostfile);
	rmdir(hostdir);
	return linmm_test_shutdown(state);
}

static void check(void)
{
	assert_int_equal(validate_page_cache(), 0);
	assert_int_equal(validate_mm(p->mm), 0);
	assert_int_equal(validate_page_tables(p->mm), 0);
	check_machine();
}

static long host_mmap_err(size_t len, int prot, int flags, int fd, off_t off)
{
	void *a = mmap(NULL, len, prot, flags, fd, off);

	if (a == MAP_FAILED)
		return -errno;
	munmap(a, len);
	return 0;
}

static long linmm_mmap_err(unsigned long len, int prot, int flags, int fd, unsigned long off)
{
	unsigned long a = linmm_mmap(p, 0, len, (unsigned long)prot, (unsigned long)flags, fd, off);

	if (IS_ERR_VALUE(a))
		return (long)a;
	assert_int_equal(linmm_munmap(p, a, len), 0);
	return 0;
}

/* The errno of each bad request, host against linmm. */
static void test_mmap_errors(void **state)
{
	int hro = open(hostfile, O_RDONLY), lro = linmm_open(p, "/f", O_RDONLY, 0);
	int hwo = open(hostfile, O_WRONLY), lwo = linmm_open(p, "/f", O_WRONLY, 0);
	int hdir = open(hostdir, O_RDONLY), ldir = linmm_open(p, "/", O_RDONLY, 0);
	const struct {
		const char *what;
		unsigned long len, off;
		int prot, flags, which;	/* which: 0 rw, 1 ro, 2 wo, 3 dir */
	} cases[] = {
		{ "shared write on O_RDONLY", 4096, 0, PROT_READ | PROT_WRITE, MAP_SHARED, 1 },
		{ "shared read on O_RDONLY", 4096, 0, PROT_READ, MAP_SHARED, 1 },
		{ "private write on O_RDONLY", 4096, 0, PROT_READ | PROT_WRITE, MAP_PRIVATE, 1 },
		{ "private on O_WRONLY", 4096, 0, PROT_READ, MAP_PRIVATE, 2 },
		{ "shared write on O_WRONLY", 4096, 0, PROT_WRITE, MAP_SHARED, 2 },
		{ "unaligned offset", 4096, 100, PROT_READ, MAP_SHARED, 0 },
		{ "offset overflow", 8192, ~0xfffUL, PROT_READ, MAP_SHARED, 0 },
		{ "directory", 4096, 0, PROT_READ, MAP_PRIVATE, 3 },
		{ "no map type", 4096, 0, PROT_READ, 0, 0 },
		{ "shared_validate unknown flag", 4096, 0, PROT_READ, MAP_SHARED_VALIDATE | 0x800000, 0 },
		{ "beyond EOF is fine", 1 << 20, 0, PROT_READ, MAP_SHARED, 0 },
		{ "growsdown file", 4096, 0, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, 0 },
	};

	(void)state;
	assert_true(hro >= 0 && lro >= 0 && hwo >= 0 && lwo >= 0 && hdir >= 0 && ldir >= 0);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int hf[] = { hfd, hro, hwo, hdir }, lf[] = { lfd, lro, lwo, ldir };
		long h = host_mmap_err(cases[i].len, cases[i].prot, cases[i].flags,
				       hf[cases[i].which], (off_t)cases[i].off);
		long l = linmm_mmap_err(cases[i].len, cases[i].prot, cases[i].flags,
					lf[cases[i].which], cases[i].off);

		if (h != l)
			fail_msg("%s: host %ld, linmm %ld", cases[i].what, h, l);
		check();
	}
	assert_int_equal(host_mmap_err(4096, PROT_READ, MAP_SHARED, 999, 0),
			 linmm_mmap_err(4096, PROT_READ, MAP_SHARED, 999, 0));	/* EBADF */
	close(hro), close(hwo), close(hdir);
	linmm_close(p, lro), linmm_close(p, lwo), linmm_close(p, ldir);
}

/* One load per page, uninstrumented: ASan's shadow loads would fault too. */
__attribute__((no_sanitize_address, noinline))
static unsigned char host_touch_pages(const volatile unsigned char *map, size_t len)
{
	unsigned char sum = 0;

	for (size_t off = 0; off < len; off += 4096)
		sum += map[off];
	return sum;
}

static long host_minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* Shared and private semantics, both directions, and the fault-around counts. */
static void test_data_and_faults(void **state)
{
	size_t len = sizeof(data);
	unsigned char *hs, *hp, hb[16], lb[16];
	unsigned long ls, lp;
	long h0, l0, hflt, lflt;
	volatile unsigned char sink = 0;

	(void)state;
	if (UNDER_TSAN)
		skip();
	/* A window reserved first so the fixed address is free on the host. */
	hs = mmap((void *)FIXED_ADDR, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE,
		  hfd, 0);
	assert_true(hs != MAP_FAILED);
	ls = linmm_mmap(p, FIXED_ADDR, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, lfd, 0);
	assert_int_equal(ls, FIXED_ADDR);
	h0 = host_minflt();
	l0 = (long)p->min_flt;
	sink += host_touch_pages(hs, len);
	hflt = host_minflt() - h0;
	assert_int_equal(linmm_touch(p, ls, len, LINMM_ACCESS_READ), 0);
	lflt = (long)p->min_flt - l0;
	(void)sink;
	if (hflt != lflt)
		fail_msg("read faults over %d cached pages: host %ld, linmm %ld (host "
			 "fault_around_bytes not 64 KiB?)", FILE_PAGES, hflt, lflt);
	assert_int_equal(p->maj_flt, 0);
	check();

	hp = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, hfd, 0);
	lp = linmm_mmap(p, 0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, lfd, 0);
	assert_true(hp != MAP_FAILED && !IS_ERR_VALUE(lp));
	/* write(2) -> both mappings; a store through shared -> pread and private. */
	assert_int_equal(pwrite(hfd, "syscall", 7, 5000), 7);
	assert_int_equal(linmm_pwrite(p, lfd, "syscall", 7, 5000), 7);
	memcpy(hs + 9000, "store", 5);
	assert_int_equal(linmm_user_write(p, ls + 9000, "store", 5), 0);
	for (int round = 0; round < 2; round++) {
		const unsigned long offs[] = { 5000, 9000, 20000 };

		for (size_t i = 0; i < ARRAY_SIZE(offs); i++) {
			assert_int_equal(linmm_user_read(p, lp + offs[i], lb, 8), 0);
			assert_memory_equal(hp + offs[i], lb, 8);
			assert_int_equal(linmm_user_read(p, ls + offs[i], lb, 8), 0);
			assert_memory_equal(hs + offs[i], lb, 8);
			assert_int_equal(pread(hfd, hb, 8, (off_t)offs[i]), 8);
			assert_int_equal(linmm_pread(p, lfd, lb, 8, (loff_t)offs[i]), 8);
			assert_memory_equal(hb, lb, 8);
		}
		/* The private mapping writes: its copy only; later file changes stop reaching it. */
		memcpy(hp + 5000, "PRIVATE", 7);
		assert_int_equal(linmm_user_write(p, lp + 5000, "PRIVATE", 7), 0);
		assert_int_equal(pwrite(hfd, "again!!", 7, 5000), 7);
		assert_int_equal(linmm_pwrite(p, lfd, "again!!", 7, 5000), 7);
		check();
	}
	assert_int_equal(msync(hs, len, MS_SYNC), 0);
	assert_int_equal(linmm_msync(p, ls, len, MS_SYNC), 0);
	assert_int_equal(msync(hs + 1, len, MS_SYNC) ? -errno : 0,
			 linmm_msync(p, ls + 1, len, MS_SYNC));
	assert_int_equal(msync(hs, len, MS_SYNC | MS_ASYNC) ? -errno : 0,
			 linmm_msync(p, ls, len, MS_SYNC | MS_ASYNC));
	munmap(hp, len);
	munmap(hs, len);
	check();
}

static sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(bus_jmp, 1);
}

/* In a host child: 0 if a load at @off of the mapping works, 1 if SIGBUS. */
static int host_load_sigbus(unsigned char *map, size_t off)
{
	pid_t pid = fork();
	int status;

	if (!pid) {
		volatile unsigned char c;

		signal(SIGBUS, on_sigbus);
		if (sigsetjmp(bus_jmp, 1))
			_exit(1);
		c = map[off];
		(void)c;
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* ftruncate shrinking: the EOF page stays readable (its tail zeroed), beyond it SIGBUS. */
static void test_truncate_sigbus(void **state)
{
	size_t len = sizeof(data), offs[] = { 0, 10000, 10300, 12287, 12288, 20000 };
	unsigned char *hs = mmap(NULL, len, PROT_READ, MAP_SHARED, hfd, 0);
	unsigned long ls = linmm_mmap(p, 0, len, PROT_READ, MAP_SHARED, lfd, 0);

	(void)state;
	if (UNDER_TSAN)
		skip();
	assert_true(hs != MAP_FAILED && !IS_ERR_VALUE(ls));
	assert_int_equal(linmm_touch(p, ls, len, LINMM_ACCESS_READ), 0);
	assert_int_equal(ftruncate(hfd, 10240), 0);
	assert_int_equal(linmm_ftruncate(p, lfd, 10240), 0);
	check();
	for (size_t i = 0; i < ARRAY_SIZE(offs); i++) {
		int h = host_load_sigbus(hs, offs[i]);
		struct task_struct *c = linmm_fork(p);
		unsigned char b = 0xee;
		int l;

		assert_non_null(c);
		l = linmm_user_read(c, ls + offs[i], &b, 1) ? c->exit_signal_nr == LINMM_SIGBUS : 0;
		if (h != l)
			fail_msg("load at %zu after truncation to 10240: host %s, linmm %s", offs[i],
				 h ? "SIGBUS" : "ok", l ? "SIGBUS" : "ok");
		if (!l)
			assert_int_equal(b, hs[offs[i]]);
		linmm_task_exit(c);
		check();
	}
	munmap(hs, len);
}

/* ---- on a disk file system: placement and the mmap_miss heuristic ---- */

/*
 * The file systems whose f_op->get_unmapped_area is thp_get_unmapped_area
 * (as linmmfs's): ext2/3/4 (one magic) and xfs.  The tests below skip on
 * any other, saying so.
 */
#define EXT4_MAGIC 0xEF53
#define XFS_MAGIC 0x58465342

static char diskdir[PATH_MAX];
static char diskfile[PATH_MAX + 8];
static const char *disk_skip;		/* why the disk tests cannot run, or NULL */
static int dfd = -1, ldfd = -1;

static int setup_disk(void **state)
{
	const char *tmp = getenv("TMPDIR");
	struct statfs sfs;

	(void)state;
	disk_skip = NULL;
	snprintf(diskdir, sizeof(diskdir), "%s/linmm-fdiff-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(diskdir));
	snprintf(diskfile, sizeof(diskfile), "%s/f", diskdir);
	assert_int_equal(statfs(diskdir, &sfs), 0);
	if (sfs.f_type != EXT4_MAGIC && sfs.f_type != XFS_MAGIC)
		disk_skip = "the temporary directory is not on ext4 or xfs "
			    "(set TMPDIR to a directory on one)";
	dfd = open(diskfile, O_RDWR | O_CREAT | O_TRUNC, 0644);
	assert_true(dfd >= 0);
	boot_or_fail("mem=256M");
	p = linmm_spawn("p");
	assert_non_null(p);
	return 0;
}

static int teardown_disk(void **state)
{
	if (dfd >= 0)
		close(dfd);
	dfd = ldfd = -1;
	unlink(diskfile);
	rmdir(diskdir);
	return linmm_test_shutdown(state);
}

/* ---- placement of file mappings ---- */

/*
 * Where mmap(NULL) and mremap place a file mapping: a file system with
 * thp_get_unmapped_area aligns the address to the file offset modulo
 * 2 MiB when the mapped range of the file holds a whole 2 MiB unit (a
 * search for 2 MiB more, shifted up into it), private or shared; other
 * requests are placed plainly.  The host child reserves every gap above
 * a top inside PLACE_WINDOW (host_pin.h), linmm's task the same up to its
 * mmap_base, so both search down from the same address.  Each case starts
 * with an empty window; after each step the address and the window's maps
 * lines (addresses, permissions, offset) must agree.
 *
 *   offset 0, 3M:    [ 0 ...... 2M ... 3M)       a whole unit: aligned,
 *   offset 4K, 3M:     [4K .. 2M ... 3M+4K)      not: [2M, 3M+4K) is short
 *   offset 1M, 3M:      [1M .. 2M ....... 4M)    a whole unit: addr = 1M mod 2M
 */
#define PLACE_WINDOW 0x310000000000UL
#define PLACE_TOP (PLACE_WINDOW + (64UL << 20))	/* 2 MiB aligned; + 20 KiB: not */
#define PLACE_STEPS 3
#define PLACE_LINES 6
#define PLACE_CASES 64
#define MiB (1UL << 20)

enum { PL_MAP, PL_REMAP };

struct place_step {
	int kind;
	unsigned long len, off;		/* PL_MAP: length and file offset */
	int flags;			/* PL_MAP: MAP_PRIVATE or MAP_SHARED */
	int of;				/* PL_REMAP: the step whose mapping moves, */
	unsigned long sub, new_len;	/* from @sub into it, @len of it, to @new_len */
};

struct place_case {
	int nsteps;
	struct place_step steps[PLACE_STEPS];
};

struct place_seen {
	long ret;
	int nlines;
	char lines[PLACE_LINES][48];
};

struct place_host {
	bool busy;
	int pin_err;
	struct place_seen seen[PLACE_CASES][PLACE_STEPS];
};

static char place_maps[1 << 20];

/* Every single mapping of the grid, then stacked mappings and mremaps. */
static int place_cases(struct place_case *c)
{
	static const unsigned long offs[] = { 0, 4096, MiB, 2 * MiB };
	static const unsigned long lens[] = { MiB, 2 * MiB, 3 * MiB };
	static const int flags[] = { MAP_PRIVATE, MAP_SHARED };
	int n = 0;

	memset(c, 0, PLACE_CASES * sizeof(*c));
	for (size_t f = 0; f < ARRAY_SIZE(flags); f++)
		for (size_t o = 0; o < ARRAY_SIZE(offs); o++)
			for (size_t l = 0; l < ARRAY_SIZE(lens); l++)
				c[n++] = (struct place_case){ 1, { { PL_MAP, lens[l], offs[o],
								      flags[f], 0, 0, 0 } } };
	/* Stacked: aligned mappings go right below each other; 3M at 2M after them. */
	c[n++] = (struct place_case){ 3, { { PL_MAP, 2 * MiB, 0, MAP_SHARED, 0, 0, 0 },
					   { PL_MAP, 2 * MiB, 0, MAP_SHARED, 0, 0, 0 },
					   { PL_MAP, 3 * MiB, 2 * MiB, MAP_PRIVATE, 0, 0, 0 } } };
	c[n++] = (struct place_case){ 2, { { PL_MAP, 4096, 0, MAP_PRIVATE, 0, 0, 0 },
					   { PL_MAP, 4 * MiB, 4096, MAP_PRIVATE, 0, 0, 0 } } };
	/* mremap grows a large file mapping: blocked above, it moves, placed by its offset. */
	c[n++] = (struct place_case){ 2, { { PL_MAP, 2 * MiB, 0, MAP_SHARED, 0, 0, 0 },
					   { PL_REMAP, 2 * MiB, 0, 0, 0, 0, 4 * MiB } } };
	/* ... or a part of one: the moved part starts at file offset 1M. */
	c[n++] = (struct place_case){ 2, { { PL_MAP, 4 * MiB, 0, MAP_PRIVATE, 0, 0, 0 },
					   { PL_REMAP, MiB, 0, 0, 0, MiB, 3 * MiB } } };
	/* ... and one whose new range holds no whole unit: placed plainly. */
	c[n++] = (struct place_case){ 2, { { PL_MAP, 2 * MiB, 4096, MAP_PRIVATE, 0, 0, 0 },
					   { PL_REMAP, MiB, 0, 0, 0, MiB, MiB + 8192 } } };
	assert_true(n <= PLACE_CASES);
	return n;
}

/* The maps lines starting in [PLACE_WINDOW, @top): "start-end perms offset". */
static void place_lines(const char *maps, unsigned long top, struct place_seen *seen)
{
	seen->nlines = 0;
	for (const char *l = maps; l; l = pin_next_line(l)) {
		unsigned long start, end, off;
		char perms[8];

		if (sscanf(l, "%lx-%lx %7s %lx", &start, &end, perms, &off) != 4 ||
		    start < PLACE_WINDOW || start >= top || seen->nlines == PLACE_LINES)
			continue;
		snprintf(seen->lines[seen->nlines++], sizeof(seen->lines[0]), "%lx-%lx %s %08lx",
			 start, end, perms, off);
	}
}

static unsigned long place_step_addr(const struct place_seen *seen, const struct place_step *st)
{
	return (unsigned long)seen[st->of].ret + st->sub;
}

/* In the host child: all of /proc/self/maps into place_maps (no allocation). */
static int place_read_maps(void)
{
	int fd = open("/proc/self/maps", O_RDONLY);
	size_t len = 0;
	ssize_t r;

	if (fd < 0)
		return -1;
	while ((r = read(fd, place_maps + len, sizeof(place_maps) - 1 - len)) > 0)
		len += (size_t)r;
	close(fd);
	place_maps[len] = '\0';
	return len == sizeof(place_maps) - 1 ? -1 : 0;	/* full: may be cut short */
}

/* The host child: pin, then every case in an empty window. */
static void place_host_run(struct place_host *h, const struct place_case *c, int n,
			   unsigned long top)
{
	void *probe = raw_mmap((void *)PLACE_WINDOW, top - PLACE_WINDOW, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (probe != (void *)PLACE_WINDOW) {
		h->busy = true;
		_exit(0);
	}
	raw_munmap(probe, top - PLACE_WINDOW);
	if (place_read_maps())
		_exit(3);
	h->pin_err = host_pin_gaps(place_maps, top);
	if (h->pin_err)
		_exit(0);
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < c[i].nsteps; j++) {
			const struct place_step *st = &c[i].steps[j];
			struct place_seen *seen = &h->seen[i][j];
			void *a;

			if (st->kind == PL_MAP)
				a = raw_mmap(NULL, st->len, PROT_READ, st->flags, dfd, (off_t)st->off);
			else
				a = raw_mremap((void *)place_step_addr(h->seen[i], st), st->len,
					       st->new_len, MREMAP_MAYMOVE, NULL);
			seen->ret = a == MAP_FAILED ? -errno : (long)a;
			if (place_read_maps())
				_exit(3);
			place_lines(place_maps, top, seen);
		}
		raw_munmap((void *)PLACE_WINDOW, top - PLACE_WINDOW);
	}
	_exit(0);
}

static void place_print(const char *who, const struct place_seen *s)
{
	print_message("  %s: %#lx (%ld), %d lines\n", who, (unsigned long)s->ret, s->ret,
		      s->nlines);
	for (int l = 0; l < s->nlines; l++)
		print_message("    %s\n", s->lines[l]);
}

/* Run every case under @top on both sides; false if the host window was busy. */
static bool place_compare(struct place_host *h, const struct place_case *c, int n,
			  unsigned long top)
{
	struct place_seen mine[PLACE_STEPS];
	char path[32];
	int status;
	pid_t pid;

	memset(h, 0, sizeof(*h));
	pid = fork();
	assert_true(pid >= 0);
	if (!pid)
		place_host_run(h, c, n, top);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (h->busy)
		return false;
	if (h->pin_err)
		fail_msg("reserving the host's gaps above %#lx: %s", top, strerror(-h->pin_err));
	assert_int_equal(linmm_pin_gaps(p, top), 0);
	snprintf(path, sizeof(path), "/proc/%d/maps", p->pid);
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < c[i].nsteps; j++) {
			const struct place_step *st = &c[i].steps[j];
			const struct place_seen *hs = &h->seen[i][j];
			unsigned long a;
			char *text;
			bool same;

			if (st->kind == PL_MAP)
				a = linmm_mmap(p, 0, st->len, PROT_READ, (unsigned long)st->flags,
					       ldfd, st->off);
			else
				a = linmm_mremap(p, place_step_addr(mine, st), st->len, st->new_len,
						 MREMAP_MAYMOVE, 0);
			mine[j].ret = (long)a;
			text = linmm_proc_read(path);
			assert_non_null(text);
			place_lines(text, top, &mine[j]);
			free(text);
			check();
			same = hs->ret == mine[j].ret && hs->nlines == mine[j].nlines;
			for (int l = 0; same && l < hs->nlines; l++)
				same = !strcmp(hs->lines[l], mine[j].lines[l]);
			if (!same) {
				print_message("case %d step %d: %s len %#lx off %#lx (%s); top %#lx\n",
					      i, j, st->kind == PL_MAP ? "mmap" : "mremap",
					      st->len, st->off,
					      st->flags == MAP_SHARED ? "shared" : "private", top);
				place_print("host ", hs);
				place_print("linmm", &mine[j]);
				fail_msg("file mapping placed differently from the host");
			}
		}
		assert_int_equal(linmm_munmap(p, PLACE_WINDOW, top - PLACE_WINDOW), 0);
		check();
	}
	return true;
}

static void test_file_placement(void **state)
{
	static struct place_case cases[PLACE_CASES];
	const char *why = host_pin_unsupported();
	struct place_host *h;
	int n;

	(void)state;
	if (UNDER_TSAN)
		skip();		/* TSan's runtime maps memory of its own in the child */
	if (disk_skip || why) {
		print_message("file placement skipped: %s\n", disk_skip ? disk_skip : why);
		skip();
	}
	/* A sparse 8 MiB file on both sides: placement reads nothing. */
	assert_int_equal(ftruncate(dfd, 8 * MiB), 0);
	ldfd = linmm_open(p, "/f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	assert_true(ldfd >= 0);
	assert_int_equal(linmm_ftruncate(p, ldfd, 8 * MiB), 0);
	n = place_cases(cases);
	h = mmap(NULL, sizeof(*h), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(h != MAP_FAILED);
	/* An aligned top, then one 20 KiB higher (the 20 KiB freed again in linmm). */
	if (!place_compare(h, cases, n, PLACE_TOP)) {
		munmap(h, sizeof(*h));
		skip();
	}
	assert_int_equal(linmm_munmap(p, PLACE_TOP, 5 * 4096), 0);
	if (!place_compare(h, cases, n, PLACE_TOP + 5 * 4096)) {
		munmap(h, sizeof(*h));
		skip();
	}
	munmap(h, sizeof(*h));
}

/* ---- mmap_miss: the pages major faults read ---- */

/*
 * A 3 MiB file on disk, written and fsynced on both sides; before each step
 * its clean cache is dropped (host: POSIX_FADV_DONTNEED, checked with
 * cachestat(2); linmm: vm.drop_caches=1).  A step maps part of the file at
 * FIXED_ADDR (the same address on both sides, so fault-around windows
 * agree), faults one page and unmaps it; then the file's cached pages and
 * the major faults taken must agree.  cachestat counts pages whose read is
 * still in flight, so nothing waits for the host's I/O but the next drop.
 * linmm's read_ahead_kb is set to that of the host file's disk first, so
 * ra_pages agree (the host's 8 MiB: 2048 pages, more than the file).
 *
 *   exec (PROT_EXEC)   from the page on, ra_pages, clipped to the VMA;
 *                      under MADV_RANDOM too
 *   read-around        ra_pages centred on the page, clipped to the file
 *   MADV_RANDOM        the page alone
 *   MADV_HUGEPAGE      the page's 2 MiB unit (and the next, past EOF here)
 *   write misses       +1 on mmap_miss each (write faults do not fault
 *                      around): from the 101st on, the page alone; read
 *                      faults over cached pages take 16 off per fault-around
 *
 *   write miss k:   VMA [8k, 8k+4) rwx, page 8k written:
 *                   [8k, 8k+4) cached, from the 101st miss on [8k] alone
 */
#define MISS_PAGES 768UL
#define RA_KB_PATH "/sys/block/ram0/queue/read_ahead_kb"

#ifndef __NR_cachestat
#define __NR_cachestat 451
#endif

struct host_cachestat_range {
	u64 off, len;
};

struct host_cachestat {
	u64 nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted;
};

enum { MS_FAULT, MS_HITS };

struct miss_step {
	const char *what;
	int kind;
	int prot, flags, advice;
	unsigned long vma_pg, vma_pages, touch;	/* file page, pages, page in the VMA */
	bool write;
	int repeat;				/* times; if more than once, the k-th
						   VMA at vma_pg + 8k (mod 760) */
};

#define RX (PROT_READ | PROT_EXEC)
#define RWX (PROT_READ | PROT_WRITE | PROT_EXEC)

static const struct miss_step miss_steps[] = {
	{ "exec read", MS_FAULT, RX, MAP_PRIVATE, 0, 40, 16, 3, false, 1 },
	{ "exec read, last page", MS_FAULT, RX, MAP_PRIVATE, 0, 40, 16, 15, false, 1 },
	{ "exec read across EOF", MS_FAULT, RX, MAP_PRIVATE, 0, MISS_PAGES - 8, 16, 2, false, 1 },
	{ "exec read, MADV_RANDOM", MS_FAULT, RX, MAP_PRIVATE, MADV_RANDOM, 40, 16, 5, false, 1 },
	{ "read, MADV_RANDOM", MS_FAULT, PROT_READ, MAP_PRIVATE, MADV_RANDOM, 40, 16, 5, false, 1 },
	{ "read-around", MS_FAULT, PROT_READ, MAP_SHARED, 0, 0, MISS_PAGES, 600, false, 1 },
	{ "read, MADV_HUGEPAGE", MS_FAULT, PROT_READ, MAP_PRIVATE, MADV_HUGEPAGE, 0, MISS_PAGES,
	  600, false, 1 },
	{ "write misses", MS_FAULT, RWX, MAP_PRIVATE, 0, 0, 4, 0, true, 110 },
	{ "read faults over 64 cached pages", MS_HITS, PROT_READ, MAP_SHARED, 0, 0, 64, 0, false,
	  1 },
	{ "write misses again", MS_FAULT, RWX, MAP_PRIVATE, 0, 120, 4, 0, true, 55 },
	{ "exec read, too many misses", MS_FAULT, RX, MAP_PRIVATE, 0, 40, 16, 3, false, 1 },
};

static long host_cachestat(unsigned long pg, unsigned long n)
{
	struct host_cachestat_range r = { pg * 4096, n * 4096 };
	struct host_cachestat cs;

	if (syscall(__NR_cachestat, dfd, &r, &cs, 0))
		return -errno;
	return (long)cs.nr_cache;
}

/* Drop the host file's cache; false if pages stay (read still in flight for seconds). */
static bool host_drop(void)
{
	for (int i = 0; i < 5000; i++) {
		struct timespec ts = { 0, 1000000 };

		assert_int_equal(posix_fadvise(dfd, 0, 0, POSIX_FADV_DONTNEED), 0);
		if (!host_cachestat(0, MISS_PAGES))
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

static void linmm_drop(struct file *file)
{
	assert_int_equal(linmm_proc_write("/proc/sys/vm/drop_caches", "1"), 0);
	assert_int_equal(file->f_mapping->nrpages, 0);
}

static void cached_pages(struct file *file, unsigned char *host_v, unsigned char *linmm_v)
{
	for (unsigned long pg = 0; pg < MISS_PAGES; pg++) {
		struct page *page = find_get_page(file->f_mapping, pg);

		host_v[pg] = host_cachestat(pg, 1) > 0;
		linmm_v[pg] = page != NULL;
		if (page)
			put_page(page);
	}
}

static void print_ranges(const char *who, const unsigned char *v)
{
	char buf[512];
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned long i = 0; i < MISS_PAGES && n < sizeof(buf) - 24;) {
		unsigned long j = i;

		if (!v[i]) {
			i++;
			continue;
		}
		while (j < MISS_PAGES && v[j])
			j++;
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " [%lu, %lu)", i, j);
		i = j;
	}
	print_message("  %s cached:%s\n", who, n ? buf : " nothing");
}

/* A store, uninstrumented (see host_touch_pages). */
__attribute__((no_sanitize_address, noinline))
static void host_store(volatile unsigned char *addr)
{
	*addr = 1;
}

static long host_majflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_majflt;
}

/* The host disk's read_ahead_kb ("8192\n"), of the disk holding the file; false if unknown. */
static bool host_read_ahead_kb(char *buf, size_t size)
{
	static const char *const fmt[] = { "/sys/dev/block/%u:%u/queue/read_ahead_kb",
					   "/sys/dev/block/%u:%u/../queue/read_ahead_kb" };
	struct stat st;

	assert_int_equal(fstat(dfd, &st), 0);
	for (size_t i = 0; i < ARRAY_SIZE(fmt); i++) {
		char path[96];
		ssize_t n;
		int fd;

		snprintf(path, sizeof(path), fmt[i], major(st.st_dev), minor(st.st_dev));
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, buf, size - 1);
		close(fd);
		if (n > 0) {
			buf[n] = '\0';
			return true;
		}
	}
	return false;
}

/* One step's mapping on both sides: map, advise, touch one page (or several), unmap. */
static void miss_fault(const struct miss_step *s, unsigned long vma_pg, int touches)
{
	size_t len = s->vma_pages * 4096;
	unsigned char *h = mmap((void *)FIXED_ADDR, len, s->prot, s->flags | MAP_FIXED_NOREPLACE,
				dfd, (off_t)(vma_pg * 4096));
	unsigned long l = linmm_mmap(p, FIXED_ADDR, len, (unsigned long)s->prot,
				     (unsigned long)(s->flags | MAP_FIXED), ldfd, vma_pg * 4096);
	volatile unsigned char sink = 0;

	assert_true(h == (void *)FIXED_ADDR);
	assert_int_equal(l, FIXED_ADDR);
	if (s->advice) {
		assert_int_equal(madvise(h, len, s->advice), 0);
		assert_int_equal(linmm_madvise(p, l, len, s->advice), 0);
	}
	for (int t = 0; t < touches; t++) {
		unsigned long off = (s->touch + 16UL * (unsigned long)t) * 4096;

		if (s->write)
			host_store(h + off);
		else
			sink += host_touch_pages(h + off, 4096);
		assert_int_equal(linmm_touch(p, l + off, 1, s->write ? LINMM_ACCESS_WRITE
								     : LINMM_ACCESS_READ), 0);
	}
	(void)sink;
	assert_int_equal(munmap(h, len), 0);
	assert_int_equal(linmm_munmap(p, l, len), 0);
}

static void test_mmap_miss(void **state)
{
	static unsigned char miss_data[MISS_PAGES * 4096], hv[MISS_PAGES], lv[MISS_PAGES];
	char ra_kb[32];
	struct file *file;

	(void)state;
	if (UNDER_TSAN)
		skip();
	if (disk_skip) {
		print_message("mmap_miss skipped: %s\n", disk_skip);
		skip();
	}
	if (host_cachestat(0, 1) == -ENOSYS) {
		print_message("mmap_miss skipped: the host has no cachestat(2)\n");
		skip();
	}
	if (!host_read_ahead_kb(ra_kb, sizeof(ra_kb))) {
		print_message("mmap_miss skipped: no read_ahead_kb for the file's disk\n");
		skip();
	}
	assert_int_equal(linmm_proc_write(RA_KB_PATH, ra_kb), 0);
	for (size_t i = 0; i < sizeof(miss_data); i++)
		miss_data[i] = (unsigned char)(i * 13 + 1);
	ldfd = linmm_open(p, "/f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	assert_true(ldfd >= 0);
	assert_int_equal(write(dfd, miss_data, sizeof(miss_data)), (long)sizeof(miss_data));
	assert_int_equal(linmm_write(p, ldfd, miss_data, sizeof(miss_data)),
			 (long)sizeof(miss_data));
	assert_int_equal(fsync(dfd), 0);
	assert_int_equal(linmm_fsync(p, ldfd), 0);
	file = fget(p, ldfd);
	assert_non_null(file);
	assert_int_equal(file->f_ra.ra_pages, strtoul(ra_kb, NULL, 10) / 4);
	for (size_t i = 0; i < ARRAY_SIZE(miss_steps); i++) {
		const struct miss_step *s = &miss_steps[i];

		for (int k = 0; k < s->repeat; k++) {
			unsigned long vma_pg = s->repeat == 1 ? s->vma_pg
							      : (s->vma_pg + 8UL * (unsigned long)k) % 760;
			long h0 = host_majflt(), l0 = (long)p->maj_flt, hmaj, lmaj;

			if (!host_drop()) {
				fput(file);
				print_message("mmap_miss skipped: the host keeps the file cached\n");
				skip();
			}
			linmm_drop(file);
			if (s->kind == MS_HITS) {
				/* Cache pages [0, 64) by write(2), page by page, cleaned. */
				for (unsigned long pg = 0; pg < s->vma_pages; pg++) {
					assert_int_equal(pwrite(dfd, miss_data + pg * 4096, 4096,
								(off_t)(pg * 4096)), 4096);
					assert_int_equal(linmm_pwrite(p, ldfd, miss_data + pg * 4096,
								      4096, (loff_t)(pg * 4096)),
							 4096);
				}
				assert_int_equal(fsync(dfd), 0);
				assert_int_equal(linmm_fsync(p, ldfd), 0);
				h0 = host_majflt();
				l0 = (long)p->maj_flt;
				miss_fault(s, 0, 4);	/* pages 0, 16, 32, 48 */
			} else {
				miss_fault(s, vma_pg, 1);
			}
			hmaj = host_majflt() - h0;
			lmaj = (long)p->maj_flt - l0;
			cached_pages(file, hv, lv);
			check();
			if (memcmp(hv, lv, sizeof(hv)) || hmaj != lmaj) {
				print_message("%s, #%d: VMA at file page %lu, major faults host %ld, "
					      "linmm %ld; mmap_miss now %u\n", s->what, k, vma_pg,
					      hmaj, lmaj, file->f_ra.mmap_miss);
				print_ranges("host ", hv);
				print_ranges("linmm", lv);
				fput(file);
				fail_msg("%s: the page cache differs from the host's", s->what);
			}
		}
	}
	fput(file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mmap_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_and_faults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncate_sigbus, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_placement, setup_disk, teardown_disk),
		cmocka_unit_test_setup_teardown(test_mmap_miss, setup_disk, teardown_disk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
