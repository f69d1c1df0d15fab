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
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
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
#include <linmm/sched.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mmap_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_and_faults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncate_sigbus, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
