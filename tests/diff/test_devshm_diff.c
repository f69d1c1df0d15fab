// SPDX-License-Identifier: MIT
/*
 * test_devshm_diff.c - tmpfs files on /dev/shm against the host kernel.
 *
 * The same sequence of open/close/write/pwrite/pread/lseek/ftruncate/
 * fstat/fsync/unlink calls and mmap/munmap/touch steps runs on files in
 * the host's real /dev/shm (names unique to this run, removed at the end)
 * and on linmm's /dev/shm (one linmm task), and after every step both
 * must agree on:
 *   - the return value or errno (descriptors and addresses: success only);
 *   - the bytes a read, or a load through a mapping, returned;
 *   - of every name and every open descriptor: st_size, st_blocks (the
 *     host's tmpfs has huge=never, so 8 per allocated page, as linmm)
 *     and st_nlink, and the whole contents (through a second descriptor);
 *   - mincore() residency of every page of every mapping (the system
 *     call on both sides: a present PTE, else the file page in the cache);
 *   - at the end of each sequence, each mapping's smaps Rss and
 *     Shared/Private Clean/Dirty (PG_dirty of tmpfs pages);
 *   - the outcome of a touch: SIGBUS or SIGSEGV (the host catches it with
 *     sigsetjmp; the linmm task dies, so a bad touch ends the sequence on
 *     both sides).
 *
 *   host:  /dev/shm/linmm-dsd-PID-a   <->   linmm: /dev/shm/a
 *   maps:  m0 = mmap(fd slot, pages, shared|private)  m1 = ...
 *
 * Hand-written sequences first (holes, shared stores seen by pread,
 * private COW, truncation under a mapping and SIGBUS, unlink while
 * mapped), then LINMM_DIFF_SEQS (default 400) random sequences from
 * LINMM_DIFF_SEED (default 1), with validate_page_cache() after every
 * step.  Touching host mappings is skipped under ThreadSanitizer.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host_syscalls.h"
#include "../linmm_test.h"

#include <linmm/fs.h>
#include <linmm/memory.h>
#include <linmm/mmap.h>
#include <linmm/mmu.h>
#include <linmm/pagemap.h>
#include <linmm/sched.h>

#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#else
#define UNDER_TSAN 0
#endif

#define P 4096L
#define NR_NAMES 3
#define NR_SLOTS 3
#define NR_MAPS 2
#define MAX_PAGES 12
#define MAX_IO (MAX_PAGES * P)

enum op_kind { OP_OPEN, OP_CLOSE, OP_WRITE, OP_PWRITE, OP_PREAD, OP_LSEEK, OP_FTRUNCATE,
	       OP_FSTAT, OP_FSYNC, OP_UNLINK, OP_MMAP, OP_MUNMAP, OP_TOUCH, NR_OPS };

struct op {
	enum op_kind kind;
	int slot;		/* descriptor slot */
	int name;		/* open, unlink */
	int flags;		/* open; mmap: MAP_SHARED or MAP_PRIVATE */
	long len;		/* bytes; mmap: pages */
	long off;		/* position; mmap: page offset; touch: page */
	int map;		/* mmap, munmap, touch */
	int prot;		/* mmap; touch: PROT_WRITE for a store */
};

struct mapping {
	unsigned long host, linmm;	/* 0: none */
	long pages;
};

static const char *const names[NR_NAMES] = { "a", "b", "c" };
static struct task_struct *p, *checker;
static int host_fd[NR_SLOTS], linmm_fd[NR_SLOTS];
static struct mapping maps[NR_MAPS];
static unsigned char wbuf[MAX_IO], hbuf[MAX_IO], lbuf[MAX_IO];
static bool ended;		/* a touch was fatal: the rest of the sequence is skipped */

static void host_path(char *out, size_t n, int name)
{
	snprintf(out, n, "/dev/shm/linmm-dsd-%d-%s", (int)getpid(), names[name]);
}

static void linmm_path(char *out, size_t n, int name)
{
	snprintf(out, n, "/dev/shm/%s", names[name]);
}

static long host_ret(long r)
{
	return r < 0 ? -errno : r;
}

/* ---- touching a host mapping, catching SIGBUS and SIGSEGV ---- */

static sigjmp_buf touch_jmp;
static volatile int touch_sig;

static void touch_handler(int sig)
{
	touch_sig = sig;
	siglongjmp(touch_jmp, 1);
}

/* One load or store; the signal it raised, 0 if none.  Not instrumented (ASan). */
static __attribute__((noinline, no_sanitize("address"))) int host_touch(unsigned long addr,
									 bool store,
									 unsigned char val,
									 unsigned char *out)
{
	struct sigaction sa = { .sa_handler = touch_handler }, obus, osegv;
	volatile unsigned char *q = (volatile unsigned char *)addr;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &obus);
	sigaction(SIGSEGV, &sa, &osegv);
	touch_sig = 0;
	if (sigsetjmp(touch_jmp, 1) == 0) {
		if (store)
			*q = val;
		*out = *q;
	}
	sigaction(SIGBUS, &obus, NULL);
	sigaction(SIGSEGV, &osegv, NULL);
	return touch_sig;
}

/* linmm's mincore() of one page of a mapping (mm/mincore.c); the page is mapped. */
static int linmm_resident(unsigned long addr)
{
	unsigned char v = 0xee;

	assert_int_equal(linmm_mincore(p, addr, P, &v), 0);
	assert_true(v <= 1);
	return v;
}

static void fail_step(int seq, int step, const struct op *o, const char *what, long h, long l)
{
	fail_msg("seq %d step %d: op %d slot %d name %s flags %#x len %ld off %ld map %d prot %d: "
		 "%s: host %ld, linmm %ld", seq, step, o->kind, o->slot, names[o->name], o->flags,
		 o->len, o->off, o->map, o->prot, what, h, l);
}

static void run_op(const struct op *o, int seq, int step)
{
	int hfd = host_fd[o->slot], lfd = linmm_fd[o->slot];
	struct mapping *mp = &maps[o->map];
	char hp[128], lp[64];
	long h = 0, l = 0;

	for (long i = 0; i < MAX_IO; i++)
		wbuf[i] = (unsigned char)(seq * 31 + step * 7 + i);
	host_path(hp, sizeof(hp), o->name);
	linmm_path(lp, sizeof(lp), o->name);
	if (hfd < 0)
		lfd = 999;	/* a closed slot: EBADF on both sides */
	switch (o->kind) {
	case OP_OPEN:
		if (host_fd[o->slot] >= 0)
			return;		/* slot busy: keep it simple */
		h = host_ret(open(hp, o->flags, 0644));
		l = linmm_open(p, lp, o->flags, 0644);
		if (h >= 0)
			host_fd[o->slot] = (int)h;
		if (l >= 0)
			linmm_fd[o->slot] = (int)l;
		h = h < 0 ? h : 0;
		l = l < 0 ? l : 0;
		break;
	case OP_CLOSE:
		h = hfd < 0 ? -EBADF : host_ret(close(hfd));
		l = linmm_close(p, lfd);
		host_fd[o->slot] = linmm_fd[o->slot] = -1;
		break;
	case OP_WRITE:
		h = hfd < 0 ? -EBADF : host_ret(write(hfd, wbuf, (size_t)o->len));
		l = linmm_write(p, lfd, wbuf, (size_t)o->len);
		break;
	case OP_PWRITE:
		h = hfd < 0 ? -EBADF : host_ret(pwrite(hfd, wbuf, (size_t)o->len, o->off));
		l = linmm_pwrite(p, lfd, wbuf, (size_t)o->len, o->off);
		break;
	case OP_PREAD:
		h = hfd < 0 ? -EBADF : host_ret(pread(hfd, hbuf, (size_t)o->len, o->off));
		l = linmm_pread(p, lfd, lbuf, (size_t)o->len, o->off);
		if (h > 0 && h == l && memcmp(hbuf, lbuf, (size_t)h))
			fail_step(seq, step, o, "pread data differs", h, l);
		break;
	case OP_LSEEK:
		h = hfd < 0 ? -EBADF : host_ret(lseek(hfd, o->off, SEEK_SET));
		l = linmm_lseek(p, lfd, o->off, SEEK_SET);
		break;
	case OP_FTRUNCATE:
		h = hfd < 0 ? -EBADF : host_ret(ftruncate(hfd, o->len));
		l = linmm_ftruncate(p, lfd, o->len);
		break;
	case OP_FSTAT:
		break;		/* every descriptor is compared after each step */
	case OP_FSYNC:
		h = hfd < 0 ? -EBADF : host_ret(fsync(hfd));
		l = linmm_fsync(p, lfd);
		break;
	case OP_UNLINK:
		h = host_ret(unlink(hp));
		l = linmm_unlink(p, lp);
		break;
	case OP_MMAP: {
		void *ha;
		unsigned long la;

		if (mp->host)
			return;
		ha = mmap(NULL, (size_t)(o->len * P), o->prot, o->flags, hfd, o->off * P);
		la = linmm_mmap(p, 0, (unsigned long)(o->len * P), (unsigned long)o->prot,
				(unsigned long)o->flags, lfd, (unsigned long)(o->off * P));
		h = ha == MAP_FAILED ? -errno : 0;
		l = IS_ERR_VALUE(la) ? (long)la : 0;
		if (!h && !l) {
			mp->host = (unsigned long)ha;
			mp->linmm = la;
			mp->pages = o->len;
		} else {
			if (!h)
				munmap(ha, (size_t)(o->len * P));
			if (!l)
				assert_int_equal(linmm_munmap(p, la, (unsigned long)(o->len * P)), 0);
		}
		break;
	}
	case OP_MUNMAP:
		if (!mp->host)
			return;
		h = host_ret(munmap((void *)mp->host, (size_t)(mp->pages * P)));
		l = linmm_munmap(p, mp->linmm, (unsigned long)(mp->pages * P));
		mp->host = mp->linmm = 0;
		break;
	case OP_TOUCH: {
		bool store = o->prot & PROT_WRITE;
		unsigned char hv = 0, lv = 0, val = wbuf[0];
		unsigned long off;
		int r;

		if (!mp->host)
			mp = &maps[!o->map];	/* the other one, if that is mapped */
		if (!mp->host)
			return;
		off = (unsigned long)(o->off % mp->pages * P);
		h = host_touch(mp->host + off, store, val, &hv);
		r = store ? linmm_user_write(p, mp->linmm + off, &val, 1) : 0;
		if (!r)
			r = linmm_user_read(p, mp->linmm + off, &lv, 1);
		l = r ? p->exit_signal_nr : 0;
		if (!h && !l && hv != lv)
			fail_step(seq, step, o, "byte through the mapping", hv, lv);
		if (h || l)
			ended = true;
		break;
	}
	default:
		return;
	}
	if (h != l)
		fail_step(seq, step, o, "result", h, l);
}

static void compare_stat(int seq, int step, const char *what, int hfd, int lfd)
{
	struct linmm_stat lst;
	struct stat hst;

	assert_int_equal(fstat(hfd, &hst), 0);
	assert_int_equal(linmm_fstat(p, lfd, &lst), 0);
	if (hst.st_size != lst.st_size || (unsigned long)hst.st_blocks != lst.st_blocks ||
	    hst.st_nlink != lst.st_nlink)
		fail_msg("seq %d step %d: %s size %ld/%lld blocks %ld/%lu nlink %lu/%u (host/linmm)",
			 seq, step, what, (long)hst.st_size, (long long)lst.st_size,
			 (long)hst.st_blocks, lst.st_blocks, (unsigned long)hst.st_nlink,
			 lst.st_nlink);
}

/* Every name, every descriptor and every mapping, both sides. */
static void compare_state(int seq, int step)
{
	for (int n = 0; n < NR_NAMES; n++) {
		char hp[128], lp[64];
		long hl, ll;
		int hfd, lfd;

		host_path(hp, sizeof(hp), n);
		linmm_path(lp, sizeof(lp), n);
		hfd = open(hp, O_RDONLY);
		lfd = linmm_open(checker, lp, O_RDONLY, 0);
		if ((hfd < 0) != (lfd < 0))
			fail_msg("seq %d step %d: %s exists on one side only (host %d, linmm %d)", seq,
				 step, names[n], hfd, lfd);
		if (hfd < 0)
			continue;
		hl = pread(hfd, hbuf, MAX_IO, 0);
		ll = linmm_pread(checker, lfd, lbuf, MAX_IO, 0);
		if (hl != ll || memcmp(hbuf, lbuf, (size_t)(hl > 0 ? hl : 0)))
			fail_msg("seq %d step %d: %s contents differ (%ld/%ld bytes)", seq, step,
				 names[n], hl, ll);
		close(hfd);
		assert_int_equal(linmm_close(checker, lfd), 0);
	}
	for (int s = 0; s < NR_SLOTS; s++)
		if (host_fd[s] >= 0 && linmm_fd[s] >= 0)
			compare_stat(seq, step, "descriptor", host_fd[s], linmm_fd[s]);
	for (int m = 0; m < NR_MAPS; m++) {
		unsigned char vec[MAX_PAGES];

		if (!maps[m].host)
			continue;
		assert_int_equal(mincore((void *)maps[m].host, (size_t)(maps[m].pages * P), vec), 0);
		for (long i = 0; i < maps[m].pages; i++)
			if ((vec[i] & 1) != linmm_resident(maps[m].linmm + (unsigned long)(i * P)))
				fail_msg("seq %d step %d: map %d page %ld residency host %d, linmm %d",
					 seq, step, m, i, vec[i] & 1,
					 linmm_resident(maps[m].linmm + (unsigned long)(i * P)));
	}
	assert_int_equal(validate_page_cache(), 0);
	if (p->mm) {
		assert_int_equal(validate_mm(p->mm), 0);
		assert_int_equal(validate_page_tables(p->mm), 0);
	}
}

static void reset_sides(void)
{
	for (int m = 0; m < NR_MAPS; m++) {
		if (maps[m].host)
			munmap((void *)maps[m].host, (size_t)(maps[m].pages * P));
		maps[m].host = maps[m].linmm = 0;
	}
	for (int s = 0; s < NR_SLOTS; s++) {
		if (host_fd[s] >= 0)
			close(host_fd[s]);
		host_fd[s] = linmm_fd[s] = -1;
	}
	for (int n = 0; n < NR_NAMES; n++) {
		char hp[128], lp[64];

		host_path(hp, sizeof(hp), n);
		linmm_path(lp, sizeof(lp), n);
		unlink(hp);
		linmm_unlink(checker, lp);
	}
	/* A fresh task: its descriptors and mappings go with the old one. */
	if (p)
		linmm_task_exit(p);
	p = linmm_spawn("p");
	assert_non_null(p);
	ended = false;
	check_machine();
}

static int setup(void **state)
{
	(void)state;
	boot_or_fail("mem=512M");
	checker = linmm_spawn("checker");
	p = NULL;
	for (int s = 0; s < NR_SLOTS; s++)
		host_fd[s] = linmm_fd[s] = -1;
	memset(maps, 0, sizeof(maps));
	return checker ? 0 : -1;
}

static int teardown(void **state)
{
	reset_sides();
	return linmm_test_shutdown(state);
}

static int smaps_compared, smaps_skipped;	/* mappings whose Rss agreed / did not */

/* The smaps page counters that tell clean from dirty tmpfs pages. */
static const char *const smaps_fields[] = {
	"Rss:", "Shared_Clean:", "Shared_Dirty:", "Private_Clean:", "Private_Dirty:",
};
#define NR_SMAPS_FIELDS (sizeof(smaps_fields) / sizeof(smaps_fields[0]))

/* The counters (kB) of the VMA starting at @start in smaps @text; false if it is not there. */
static bool smaps_counts(const char *text, unsigned long start, long *kb)
{
	char head[32];
	const char *v;

	snprintf(head, sizeof(head), "%lx-", start);
	for (v = text; v && strncmp(v, head, strlen(head)); v = strchr(v, '\n'), v = v ? v + 1 : v)
		;
	if (!v)
		return false;
	for (size_t f = 0; f < NR_SMAPS_FIELDS; f++) {
		const char *at = strstr(v, smaps_fields[f]);

		if (!at || sscanf(at + strlen(smaps_fields[f]), "%ld", &kb[f]) != 1)
			return false;
	}
	return true;
}

static char *read_host_smaps(void)
{
	size_t cap = 1 << 20, len = 0;
	char *buf = malloc(cap);
	int fd = open("/proc/self/smaps", O_RDONLY);
	ssize_t n;

	assert_non_null(buf);
	assert_true(fd >= 0);
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (cap - len < 4096) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
	}
	close(fd);
	buf[len] = 0;
	return buf;
}

/*
 * At the end of a sequence: Rss and the clean/dirty split of each mapping
 * in smaps.  A tmpfs page written by write(2) or through a PTE is PG_dirty
 * (Private_Dirty even when the PTE is clean), one a read fault created is
 * clean, on both sides.
 */
static void compare_smaps(int seq)
{
	char path[32], *htext, *ltext;

	if (ended || !p->mm)
		return;
	snprintf(path, sizeof(path), "/proc/%d/smaps", p->pid);
	ltext = linmm_proc_read(path);
	assert_non_null(ltext);
	htext = read_host_smaps();
	/*
	 * The host's fault-around is opportunistic: it skips a page that is
	 * locked at that moment (by compaction migrating it, say), so under
	 * load one mapping's Rss can be a page short where mincore (the page
	 * cache) still agrees, and with it the other mapping's Shared/Private
	 * split (the page's mapcount).  Compare the split only when every
	 * mapping has the same Rss on both sides.
	 */
	for (int m = 0; m < NR_MAPS; m++) {
		long hkb[NR_SMAPS_FIELDS], lkb[NR_SMAPS_FIELDS];

		if (!maps[m].host)
			continue;
		assert_true(smaps_counts(htext, maps[m].host, hkb));
		assert_true(smaps_counts(ltext, maps[m].linmm, lkb));
		if (hkb[0] != lkb[0]) {
			smaps_skipped++;
			goto out;
		}
	}
	for (int m = 0; m < NR_MAPS; m++) {
		long hkb[NR_SMAPS_FIELDS], lkb[NR_SMAPS_FIELDS];

		if (!maps[m].host)
			continue;
		assert_true(smaps_counts(htext, maps[m].host, hkb));
		assert_true(smaps_counts(ltext, maps[m].linmm, lkb));
		smaps_compared++;
		for (size_t f = 0; f < NR_SMAPS_FIELDS; f++)
			if (hkb[f] != lkb[f])
				fail_msg("seq %d: map %d smaps %s host %ld kB, linmm %ld kB", seq, m,
					 smaps_fields[f], hkb[f], lkb[f]);
	}
out:
	free(htext);
	free(ltext);
}

static void run_seq(const struct op *ops, int n, int seq)
{
	reset_sides();
	for (int i = 0; i < n && !ended; i++) {
		run_op(&ops[i], seq, i);
		compare_state(seq, i);
	}
	compare_smaps(seq);
}

#define OPEN(slot, name, flags) { OP_OPEN, slot, name, flags, 0, 0, 0, 0 }
#define CLOSE(slot) { OP_CLOSE, slot, 0, 0, 0, 0, 0, 0 }
#define WRITE(slot, len) { OP_WRITE, slot, 0, 0, len, 0, 0, 0 }
#define PWRITE(slot, len, off) { OP_PWRITE, slot, 0, 0, len, off, 0, 0 }
#define PREAD(slot, len, off) { OP_PREAD, slot, 0, 0, len, off, 0, 0 }
#define FTRUNC(slot, len) { OP_FTRUNCATE, slot, 0, 0, len, 0, 0, 0 }
#define FSYNC(slot) { OP_FSYNC, slot, 0, 0, 0, 0, 0, 0 }
#define UNLINK(name) { OP_UNLINK, 0, name, 0, 0, 0, 0, 0 }
#define MMAP(map, slot, pages, pgoff, prot, flags) { OP_MMAP, slot, 0, flags, pages, pgoff, map, prot }
#define MUNMAP(map) { OP_MUNMAP, 0, 0, 0, 0, 0, map, 0 }
#define LOAD(map, page) { OP_TOUCH, 0, 0, 0, 0, page, map, PROT_READ }
#define STORE(map, page) { OP_TOUCH, 0, 0, 0, 0, page, map, PROT_WRITE }

#define RW (PROT_READ | PROT_WRITE)

static void test_hand_sequences(void **state)
{
	/* Holes: pread of them allocates nothing; st_blocks counts written pages. */
	static const struct op holes[] = {
		OPEN(0, 0, O_RDWR | O_CREAT | O_EXCL), WRITE(0, 100), PWRITE(0, 10, 5 * P),
		PREAD(0, 4 * P, P), FTRUNC(0, 10 * P), PREAD(0, 3 * P, 7 * P), PWRITE(0, 2 * P, 3 * P + 1),
		FSYNC(0), FTRUNC(0, 3 * P + 7), PREAD(0, 100, 3 * P), CLOSE(0),
	};
	/* Shared stores reach pread and the other mapping; a private store copies. */
	static const struct op shared[] = {
		OPEN(0, 1, O_RDWR | O_CREAT), FTRUNC(0, 6 * P), MMAP(0, 0, 6, 0, RW, MAP_SHARED),
		MMAP(1, 0, 4, 2, RW, MAP_PRIVATE), LOAD(1, 0), STORE(0, 2), LOAD(1, 0), STORE(1, 1),
		PWRITE(0, 5 * P, 0), LOAD(1, 1), LOAD(1, 2), STORE(0, 5), PREAD(0, 6 * P, 0),
		MUNMAP(1), MUNMAP(0), CLOSE(0),
	};
	/* Truncation under a mapping: the EOF page stays, beyond it SIGBUS. */
	static const struct op trunc[] = {
		OPEN(0, 2, O_RDWR | O_CREAT | O_TRUNC), WRITE(0, 5 * P), MMAP(0, 0, 8, 0, RW, MAP_SHARED),
		STORE(0, 4), FTRUNC(0, 2 * P + 100), LOAD(0, 2), FTRUNC(0, 6 * P), LOAD(0, 5),
		FTRUNC(0, P), LOAD(0, 3),
	};
	/* Unlink while open and mapped; a new file of the same name is another inode. */
	static const struct op unlinked[] = {
		OPEN(0, 0, O_RDWR | O_CREAT), WRITE(0, 3 * P), MMAP(0, 0, 3, 0, RW, MAP_SHARED),
		UNLINK(0), UNLINK(0), STORE(0, 1), PREAD(0, 10, P), CLOSE(0), LOAD(0, 1),
		OPEN(1, 0, O_RDWR | O_CREAT | O_EXCL), PREAD(1, 10, 0), MMAP(1, 1, 2, 0, PROT_READ,
									MAP_SHARED),
		LOAD(1, 0), MUNMAP(0), CLOSE(1), UNLINK(0),
	};
	/* mmap's errors on tmpfs descriptors, and a store through a read-only mapping. */
	static const struct op errors[] = {
		OPEN(0, 1, O_RDWR | O_CREAT), OPEN(1, 1, O_RDONLY), OPEN(2, 1, O_WRONLY),
		MMAP(0, 1, 2, 0, RW, MAP_SHARED), MMAP(0, 2, 2, 0, PROT_READ, MAP_SHARED),
		MMAP(0, 1, 2, 0, RW, MAP_PRIVATE), FTRUNC(1, 0), WRITE(1, 1), PREAD(2, 1, 0),
		FTRUNC(0, P), MMAP(1, 1, 1, 0, PROT_READ, MAP_SHARED), STORE(1, 0),
	};

	(void)state;
	if (UNDER_TSAN)
		skip();
	run_seq(holes, ARRAY_SIZE(holes), 1);
	run_seq(shared, ARRAY_SIZE(shared), 2);
	run_seq(trunc, ARRAY_SIZE(trunc), 3);
	run_seq(unlinked, ARRAY_SIZE(unlinked), 4);
	run_seq(errors, ARRAY_SIZE(errors), 5);
}

static int env_int(const char *name, int def)
{
	const char *v = getenv(name);

	return v && *v ? atoi(v) : def;
}

static void test_random_sequences(void **state)
{
	static const int open_flags[] = {
		O_RDONLY, O_WRONLY, O_RDWR, O_RDWR | O_CREAT, O_WRONLY | O_CREAT | O_TRUNC,
		O_RDWR | O_CREAT | O_EXCL, O_RDWR | O_APPEND | O_CREAT, O_RDWR | O_CREAT | O_TRUNC,
	};
	static const int prots[] = { PROT_READ, RW, RW, PROT_WRITE };
	/* Weighted: mappings and touches are where tmpfs differs from linmmfs. */
	static const enum op_kind kinds[] = {
		OP_OPEN, OP_OPEN, OP_CLOSE, OP_WRITE, OP_WRITE, OP_PWRITE, OP_PWRITE, OP_PREAD,
		OP_PREAD, OP_LSEEK, OP_FTRUNCATE, OP_FTRUNCATE, OP_FSTAT, OP_FSYNC, OP_UNLINK,
		OP_MMAP, OP_MMAP, OP_MMAP, OP_MUNMAP, OP_TOUCH, OP_TOUCH, OP_TOUCH, OP_TOUCH,
		OP_TOUCH, OP_TOUCH,
	};
	int nseq = env_int("LINMM_DIFF_SEQS", 400);

	(void)state;
	if (UNDER_TSAN)
		skip();
	linmm_test_rnd = (u64)env_int("LINMM_DIFF_SEED", 1) * 0x9e3779b97f4a7c15ULL + 1;
	for (int seq = 0; seq < nseq; seq++) {
		struct op ops[40];
		int n = 12 + (int)(next_rand() % 28);

		for (int i = 0; i < n; i++) {
			struct op *o = &ops[i];

			memset(o, 0, sizeof(*o));
			o->kind = kinds[next_rand() % ARRAY_SIZE(kinds)];
			o->slot = (int)(next_rand() % NR_SLOTS);
			o->name = (int)(next_rand() % NR_NAMES);
			o->map = (int)(next_rand() % NR_MAPS);
			o->flags = open_flags[next_rand() % ARRAY_SIZE(open_flags)];
			if (i < 2) {	/* two descriptors to start with, the first read-write */
				o->kind = OP_OPEN;
				o->slot = i;
				if (!i)
					o->flags = O_RDWR | O_CREAT;
			}
			o->len = (long)(next_rand() % (3 * P));
			o->off = (long)(next_rand() % (8 * P));
			switch (o->kind) {
			case OP_FTRUNCATE:
				o->len = (long)(next_rand() % (MAX_PAGES * P));
				break;
			case OP_MMAP:
				o->slot = (int)(next_rand() % 2);	/* mostly an open one */
				o->len = 1 + (long)(next_rand() % 8);
				o->off = (long)(next_rand() % 4);
				o->prot = prots[next_rand() % ARRAY_SIZE(prots)];
				o->flags = next_rand() % 3 ? MAP_SHARED : MAP_PRIVATE;
				break;
			case OP_TOUCH:
				o->off = (long)(next_rand() % 8);
				o->prot = next_rand() % 2 ? PROT_WRITE : PROT_READ;
				break;
			default:
				break;
			}
		}
		run_seq(ops, n, 100 + seq);
	}
	/* A host that never lets the split be compared would make the check vacuous. */
	print_message("smaps split compared for %d mappings, %d sequences skipped (host Rss differed)\n",
		      smaps_compared, smaps_skipped);
	assert_true(smaps_compared > 4 * smaps_skipped);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hand_sequences, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_sequences, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
