// SPDX-License-Identifier: MIT
/*
 * test_mincore_diff.c - mincore(2) (mm/mincore.c) against the host kernel.
 *
 * The test process claims a window of WINDOW_PAGES pages at a fixed
 * address (MAP_FIXED_NOREPLACE, then MAP_FIXED inside it) and builds the
 * same mappings in it as a linmm task builds at the same addresses; then
 * the same mincore() calls run on both sides, which must agree on the
 * return value or errno and on every byte of vec (filled with 0xee
 * before, so untouched entries are compared too):
 *
 *   WINDOW page  0 1 2 3  4  5 6 7  8  9  10     16 .. 25     32 .. 39
 *                A A A A  .  B B B  V  R  .      S (file)     Q (file)
 *   A, B  anonymous rw; pages 0 and 2 written
 *   V     rw page for a vec in memory; R read-only; 4 and 10 holes
 *   S     MAP_SHARED of the 8-page file f and 2 pages beyond its end
 *   Q     MAP_PRIVATE of f, page by page COW-written
 *
 * Argument checks (unaligned start, len 0, ranges beyond user space or
 * wrapping, holes at the start, in the middle and at the end, with what
 * vec holds up to the hole) through the kernel-buffer form and through
 * the system call (linmm_sys_mincore) with vec at V, beyond user space,
 * at a hole, at R and straddling V and R (a partial copy).
 *
 * The file case: f is written and synced on both sides, its cache dropped
 * (host: posix_fadvise(POSIX_FADV_DONTNEED), linmm: vm.drop_caches=1),
 * and pages 1, 3 and 6 rewritten whole (cached again without a read);
 * then read faults through S, COW faults through Q, another drop and a
 * truncation to the middle of page 3 (past EOF the pages go, COW copies
 * too; the page holding EOF is read to zero its tail) are each followed
 * by mincore of S and Q.  Both mappings are MADV_RANDOM, so a fault reads
 * its own page only.  The file lives in a fresh host temporary directory;
 * the case is skipped if that file system does not drop clean pages.
 * Skipped altogether if the window is taken, and under ThreadSanitizer
 * (the window is outside its application ranges).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "host_syscalls.h"
#include "../linmm_test.h"

#include <linmm/fs.h>
#include <linmm/mmap.h>
#include <linmm/mmu.h>
#include <linmm/sched.h>

#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#else
#define UNDER_TSAN 0
#endif

#define P 4096UL
#define WINDOW 0x320000000000UL
#define WINDOW_PAGES 48
#define W(i) (WINDOW + (unsigned long)(i) * P)
#define FILE_PAGES 8
#define MAX_VEC 64
#define UNTOUCHED 0xee
#define TASK_TOP 0x7ffffffff000UL	/* TASK_SIZE_MAX of 4-level x86_64 */

static struct task_struct *tsk;
static char hostdir[] = "/tmp/linmm-mcdiff-XXXXXX";
static char hostfile[sizeof(hostdir) + 8];
static int host_fd = -1, linmm_fd = -1;

/* Host accesses to the window: not instrumented (a sanitizer's shadow would be touched too). */
static __attribute__((noinline, no_sanitize("address", "thread"))) void host_store(unsigned long addr,
										   unsigned char v)
{
	*(volatile unsigned char *)addr = v;
}

static __attribute__((noinline, no_sanitize("address", "thread"))) unsigned char host_load(unsigned long addr)
{
	return *(volatile unsigned char *)addr;
}

/* "1100-" for @n entries (0xee: '-'), for messages; one of two static buffers. */
static const char *vec_str(const unsigned char *vec, unsigned long n)
{
	static char bufs[2][MAX_VEC + 1];
	static int which;
	char *b = bufs[which ^= 1];

	for (unsigned long i = 0; i < n && i < MAX_VEC; i++)
		b[i] = vec[i] == UNTOUCHED ? '-' : vec[i] <= 1 ? (char)('0' + vec[i]) : '?';
	b[min(n, (unsigned long)MAX_VEC)] = '\0';
	return b;
}

static void check_linmm(void)
{
	assert_int_equal(validate_mm(tsk->mm), 0);
	assert_int_equal(validate_page_tables(tsk->mm), 0);
	assert_int_equal(validate_page_cache(), 0);
	check_machine();
}

/*
 * mincore(@start, @len) into a buffer on both sides, comparing the result
 * and the first @n entries of vec (the pages asked for plus a margin).
 */
static void compare(const char *what, unsigned long start, unsigned long len, unsigned long n)
{
	unsigned char hvec[MAX_VEC], lvec[MAX_VEC];
	long h, l;

	assert_true(n <= MAX_VEC);
	memset(hvec, UNTOUCHED, sizeof(hvec));
	memset(lvec, UNTOUCHED, sizeof(lvec));
	h = syscall(SYS_mincore, start, len, hvec) ? -errno : 0;
	l = linmm_mincore(tsk, start, len, lvec);
	check_linmm();
	if (h != l || memcmp(hvec, lvec, n))
		fail_msg("%s: mincore(%#lx, %#lx): host %ld %s, linmm %ld %s", what, start, len, h,
			 vec_str(hvec, n), l, vec_str(lvec, n));
}

/*
 * The system call with vec at the user address @vec on both sides; the
 * @n bytes at @vec are compared afterwards when they are readable (V).
 */
static void compare_sys(const char *what, unsigned long start, unsigned long len,
			unsigned long vec, unsigned long n)
{
	unsigned char hvec[MAX_VEC], lvec[MAX_VEC];
	long h, l;

	if (n) {
		unsigned char fill[MAX_VEC];

		memset(fill, UNTOUCHED, sizeof(fill));
		for (unsigned long i = 0; i < n; i++)
			host_store(vec + i, UNTOUCHED);
		assert_int_equal(linmm_user_write(tsk, vec, fill, n), 0);
	}
	h = syscall(SYS_mincore, start, len, vec) ? -errno : 0;
	l = linmm_sys_mincore(tsk, start, len, vec);
	check_linmm();
	if (h != l)
		fail_msg("%s: mincore(%#lx, %#lx, vec %#lx): host %ld, linmm %ld", what, start, len,
			 vec, h, l);
	if (!n)
		return;
	for (unsigned long i = 0; i < n; i++)
		hvec[i] = host_load(vec + i);
	assert_int_equal(linmm_user_read(tsk, vec, lvec, n), 0);
	if (memcmp(hvec, lvec, n))
		fail_msg("%s: vec at %#lx: host %s, linmm %s", what, vec, vec_str(hvec, n),
			 vec_str(lvec, n));
}

/* mmap the same on both sides (anonymous: @fd -1 and -1). */
static void map_both(unsigned long first, unsigned long pages, int prot, int flags, int hfd,
		     int lfd, unsigned long off)
{
	void *h = raw_mmap((void *)W(first), pages * P, prot, flags | MAP_FIXED, hfd, (off_t)off);
	unsigned long l = linmm_mmap(tsk, W(first), pages * P, (unsigned long)prot,
				     (unsigned long)(flags | MAP_FIXED), lfd, off);

	assert_true(h == (void *)W(first));
	assert_int_equal(l, W(first));
	check_linmm();
}

static void store_both(unsigned long page, unsigned char v)
{
	host_store(W(page), v);
	assert_int_equal(linmm_user_write(tsk, W(page), &v, 1), 0);
	check_linmm();
}

static void load_both(unsigned long page)
{
	unsigned char v;

	(void)host_load(W(page));
	assert_int_equal(linmm_user_read(tsk, W(page), &v, 1), 0);
	check_linmm();
}

static bool claim_window(void)
{
	void *claim;

	if (UNDER_TSAN)
		return false;
	claim = raw_mmap((void *)WINDOW, WINDOW_PAGES * P, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0);
	if (claim != (void *)WINDOW) {
		if (claim != MAP_FAILED)
			raw_munmap(claim, WINDOW_PAGES * P);
		return false;
	}
	raw_munmap((void *)WINDOW, WINDOW_PAGES * P);
	return true;
}

static int setup(void **state)
{
	(void)state;
	if (!claim_window())
		return 0;
	boot_or_fail("mem=256M");
	tsk = linmm_spawn("diff");
	assert_non_null(tsk);
	return 0;
}

static int teardown(void **state)
{
	raw_munmap((void *)WINDOW, WINDOW_PAGES * P);
	if (host_fd >= 0) {
		close(host_fd);
		unlink(hostfile);
		rmdir(hostdir);
		host_fd = -1;
	}
	linmm_fd = -1;
	if (tsk) {
		tsk = NULL;
		return linmm_test_shutdown(state);
	}
	return 0;
}

/* The A/B/V/R layout of the header on both sides. */
static void build_anon_layout(void)
{
	map_both(0, 4, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, -1, 0);
	map_both(5, 3, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, -1, 0);
	map_both(8, 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, -1, 0);
	map_both(9, 1, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, -1, 0);
	store_both(0, 'a');
	store_both(2, 'b');
	load_both(5);		/* the zero page: present, resident */
}

static void test_errors(void **state)
{
	(void)state;
	if (!tsk)
		skip();
	build_anon_layout();
	compare("A", W(0), 4 * P, 6);
	compare("A, len rounds up", W(0), 2 * P + 1, 4);
	compare("A, one byte", W(2), 1, 2);
	compare("unaligned start", W(0) + 8, P, 2);
	compare("unaligned start, len 0", W(0) + 8, 0, 2);
	compare("len 0 at a hole", W(4), 0, 2);
	compare("len 0 at 0", 0, 0, 2);
	compare("a hole at the start", W(4), 2 * P, 3);
	compare("A, a hole, B", W(0), 8 * P, 10);
	compare("B, ending in a hole", W(5), 6 * P, 8);
	compare("B and V, R", W(5), 5 * P, 7);
	compare("start at the top of user space", TASK_TOP, P, 2);
	compare("len 0 at the top", TASK_TOP, 0, 2);
	compare("crossing the top", TASK_TOP - P, 2 * P, 3);
	compare("non-canonical start, len 0", 1UL << 63, 0, 2);
	compare("len wraps", W(0), ~0UL - W(0) + 2, 2);
	compare("len huge", W(0), 1UL << 62, 6);

	/* The system call: vec in memory. */
	compare_sys("vec at V", W(0), 4 * P, W(8) + 100, 6);
	compare_sys("vec at V, a hole", W(0), 8 * P, W(8) + 200, 10);
	compare_sys("vec at V, V itself", W(8), 2 * P, W(8) + 300, 3);
	compare_sys("vec beyond user space", W(0), 4 * P, TASK_TOP - 2, 0);
	compare_sys("vec up to the top", W(0), 4 * P, TASK_TOP - 4, 0);
	compare_sys("vec non-canonical", W(0), P, 1UL << 63, 0);
	compare_sys("vec at a hole", W(0), 4 * P, W(10), 0);
	compare_sys("vec read-only", W(0), 4 * P, W(9), 0);
	compare_sys("vec straddles V and R", W(0), 4 * P, W(9) - 2, 2);
	compare_sys("a hole first, bad vec", W(4), P, W(10), 0);
	compare_sys("unaligned first, bad vec", W(0) + 1, P, 1UL << 63, 0);
	compare_sys("beyond first, bad vec", TASK_TOP, P, 1UL << 63, 0);
	compare_sys("len 0, vec at a hole", W(0), 0, W(10), 0);
	compare_sys("len 0, vec non-canonical", W(0), 0, 1UL << 63, 0);
	compare_sys("len 0, vec NULL", W(4), 0, 0, 0);
	/* Residency after the copies: V was faulted in by them. */
	compare("after the copies: V resident", W(5), 5 * P, 7);
	assert_int_equal(tsk->exit_signal_nr, 0);
}

/* Host: is f's page cache empty now (the file system dropped it)? */
static bool host_file_dropped(void)
{
	void *m = raw_mmap(NULL, FILE_PAGES * P, PROT_READ, MAP_SHARED, host_fd, 0);
	unsigned char vec[FILE_PAGES];
	bool empty = true;

	if (m == MAP_FAILED)
		return false;
	if (mincore(m, FILE_PAGES * P, vec))
		empty = false;
	for (int i = 0; i < FILE_PAGES && empty; i++)
		empty = !(vec[i] & 1);
	raw_munmap(m, FILE_PAGES * P);
	return empty;
}

static void drop_both(void)
{
	assert_int_equal(fsync(host_fd), 0);
	assert_int_equal(posix_fadvise(host_fd, 0, 0, POSIX_FADV_DONTNEED), 0);
	assert_int_equal(linmm_fsync(tsk, linmm_fd), 0);
	assert_int_equal(linmm_sysctl_write("vm.drop_caches", "1"), 0);
	check_linmm();
}

static void pwrite_page_both(unsigned long page, char byte)
{
	static char buf[P];

	memset(buf, byte, sizeof(buf));
	assert_int_equal(pwrite(host_fd, buf, P, (off_t)(page * P)), (ssize_t)P);
	assert_int_equal(linmm_pwrite(tsk, linmm_fd, buf, P, (loff_t)(page * P)), (long)P);
	check_linmm();
}

static void compare_file_maps(const char *what)
{
	char s[96], q[96];

	snprintf(s, sizeof(s), "%s: S", what);
	snprintf(q, sizeof(q), "%s: Q", what);
	compare(s, W(16), (FILE_PAGES + 2) * P, FILE_PAGES + 3);
	compare(q, W(32), FILE_PAGES * P, FILE_PAGES + 1);
}

static void test_file(void **state)
{
	(void)state;
	if (!tsk)
		skip();
	assert_non_null(mkdtemp(hostdir));
	snprintf(hostfile, sizeof(hostfile), "%s/f", hostdir);
	host_fd = open(hostfile, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(host_fd >= 0);
	linmm_fd = linmm_open(tsk, "/data/f", O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(linmm_fd >= 0);
	for (unsigned long i = 0; i < FILE_PAGES; i++)
		pwrite_page_both(i, 'f');
	drop_both();
	if (!host_file_dropped()) {
		print_message("host file system keeps clean pages cached: file case skipped\n");
		skip();
	}
	pwrite_page_both(1, 'x');
	pwrite_page_both(3, 'x');
	pwrite_page_both(6, 'x');
	map_both(16, FILE_PAGES + 2, PROT_READ | PROT_WRITE, MAP_SHARED, host_fd, linmm_fd, 0);
	map_both(32, FILE_PAGES, PROT_READ | PROT_WRITE, MAP_PRIVATE, host_fd, linmm_fd, 0);
	assert_int_equal(madvise((void *)W(16), (FILE_PAGES + 2) * P, MADV_RANDOM), 0);
	assert_int_equal(madvise((void *)W(32), FILE_PAGES * P, MADV_RANDOM), 0);
	assert_int_equal(linmm_madvise(tsk, W(16), (FILE_PAGES + 2) * P, MADV_RANDOM), 0);
	assert_int_equal(linmm_madvise(tsk, W(32), FILE_PAGES * P, MADV_RANDOM), 0);
	compare_file_maps("pages 1, 3, 6 cached");
	compare("S and beyond, to the hole", W(16), 16 * P, 17);

	load_both(16 + 1);	/* S: a cached page */
	load_both(16 + 4);	/* S: an uncached page, read by the fault */
	compare_file_maps("read faults through S");
	store_both(32 + 3, 'q');	/* Q: COW of a cached page */
	store_both(32 + 5, 'q');	/* Q: COW of an uncached page, read first */
	load_both(32 + 7);		/* Q: a read fault maps the file page */
	compare_file_maps("COW faults through Q");

	drop_both();			/* mapped pages stay, the rest goes */
	compare_file_maps("after the drop");

	assert_int_equal(ftruncate(host_fd, 3 * P + 100), 0);
	assert_int_equal(linmm_ftruncate(tsk, linmm_fd, 3 * P + 100), 0);
	check_linmm();
	compare_file_maps("truncated into page 3");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
