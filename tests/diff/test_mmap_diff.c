// SPDX-License-Identifier: MIT
/*
 * test_mmap_diff.c - mmap/munmap/mprotect against the host kernel.
 *
 * Each sequence of calls runs twice: on the host, in a forked child, inside
 * a window of WINDOW_PAGES pages at a fixed address far from anything the
 * process maps (WINDOW, in the part of the address space that ASan and
 * TSan leave alone), and in a linmm task at the same addresses.  After
 * every call the two must agree on the return value (address or errno) and
 * on the /proc/self/maps lines inside the window versus linmm's
 * /proc/PID/maps lines: byte for byte for private anonymous memory; for
 * shared anonymous memory ("/dev/zero (deleted)", a shmem inode each) all
 * columns but the inode number.
 *
 * The child disables THP (PR_SET_THP_DISABLE), never touches the mapped
 * memory (no anon_vma is ever created, on either side) and never uses
 * MAP_GROWSDOWN.  It writes its results into a shared mapping made before
 * the fork and allocates nothing while the sequence runs.
 *
 * Hand-written sequences cover each merge and split rule; then
 * LINMM_DIFF_SEQS (default 300) random sequences from LINMM_DIFF_SEED
 * (default 1).  The test is skipped if the window is not free on the host.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../linmm_test.h"

#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/sched.h>

#define P 4096UL
#define WINDOW 0x300000000000UL
#define WINDOW_PAGES 32
#define MAX_OPS 200
#define MAX_LINES 40
#define LINE_LEN 160
#define MAPS_BUF (1 << 20)

enum op_kind { OP_MMAP, OP_MUNMAP, OP_MPROTECT };

struct op {
	enum op_kind kind;
	unsigned long off;	/* from WINDOW, bytes */
	unsigned long len;
	unsigned long prot;
	unsigned long flags;
};

struct step {
	long ret;		/* 0/address, or -errno */
	bool at_hint;		/* mmap without MAP_FIXED: landed on the hint */
	int nlines;
	char lines[MAX_LINES][LINE_LEN];
};

struct seq_result {
	bool window_busy;
	struct step steps[MAX_OPS];
};

static struct seq_result *host;	/* shared with the child */
static struct step linmm_step;
static char maps_buf[MAPS_BUF];

/* Keep the lines of @text that start inside the window. */
static void window_lines(const char *text, struct step *st)
{
	const char *line = text;

	st->nlines = 0;
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		unsigned long start = strtoul(line, NULL, 16);

		if (start >= WINDOW && start < WINDOW + WINDOW_PAGES * P + (1UL << 30) &&
		    st->nlines < MAX_LINES) {
			if (len >= LINE_LEN)
				len = LINE_LEN - 1;
			memcpy(st->lines[st->nlines], line, len);
			st->lines[st->nlines][len] = '\0';
			st->nlines++;
		}
		line = nl ? nl + 1 : NULL;
	}
}

/* ---- the host side (child process: no allocation) ---- */

static void host_maps(struct step *st)
{
	int fd = open("/proc/self/maps", O_RDONLY);
	size_t n = 0;
	ssize_t r;

	if (fd < 0)
		_exit(3);
	while ((r = read(fd, maps_buf + n, MAPS_BUF - 1 - n)) > 0)
		n += (size_t)r;
	close(fd);
	maps_buf[n] = '\0';
	window_lines(maps_buf, st);
}

static void host_run(const struct op *ops, int nops)
{
	void *probe;

	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	probe = mmap((void *)WINDOW, (WINDOW_PAGES + 64) * P, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (probe != (void *)WINDOW) {
		host->window_busy = true;
		_exit(0);
	}
	munmap(probe, (WINDOW_PAGES + 64) * P);
	for (int i = 0; i < nops; i++) {
		const struct op *op = &ops[i];
		struct step *st = &host->steps[i];
		long ret;

		errno = 0;
		switch (op->kind) {
		case OP_MMAP: {
			void *p = mmap((void *)(WINDOW + op->off), op->len, (int)op->prot,
				       (int)op->flags, -1, 0);

			ret = p == MAP_FAILED ? -errno : (long)p;
			st->at_hint = p == (void *)(WINDOW + op->off);
			/* Landed elsewhere: not ours to compare; give it back. */
			if (p != MAP_FAILED && !st->at_hint) {
				munmap(p, op->len);
				ret = 0;
			}
			break;
		}
		case OP_MUNMAP:
			ret = munmap((void *)(WINDOW + op->off), op->len) ? -errno : 0;
			break;
		default:
			ret = mprotect((void *)(WINDOW + op->off), op->len, (int)op->prot) ? -errno
											    : 0;
			break;
		}
		st->ret = ret;
		host_maps(st);
	}
	_exit(0);
}

/* ---- the linmm side ---- */

static void linmm_do(struct task_struct *tsk, const struct op *op, struct step *st)
{
	unsigned long addr = WINDOW + op->off;
	long ret;
	char path[32], *text;

	st->at_hint = false;
	switch (op->kind) {
	case OP_MMAP: {
		unsigned long p = linmm_mmap(tsk, addr, op->len, op->prot, op->flags, -1, 0);

		ret = (long)p;
		st->at_hint = p == addr;
		if (!IS_ERR_VALUE(p) && !st->at_hint) {
			assert_int_equal(linmm_munmap(tsk, p, op->len), 0);
			ret = 0;
		}
		break;
	}
	case OP_MUNMAP:
		ret = linmm_munmap(tsk, addr, op->len);
		break;
	default:
		ret = linmm_mprotect(tsk, addr, op->len, op->prot);
		break;
	}
	st->ret = ret;
	assert_int_equal(validate_mm(tsk->mm), 0);
	snprintf(path, sizeof(path), "/proc/%d/maps", tsk->pid);
	text = linmm_proc_read(path);
	assert_non_null(text);
	window_lines(text, st);
	free(text);
}

/*
 * Shared anonymous lines differ in the inode only: compare the other
 * columns, and the column the name starts in.
 */
static bool same_line(const char *h, const char *l)
{
	char hf[4][40], lf[4][40];
	unsigned long hino, lino;
	const char *hn = strchr(h, '/'), *ln = strchr(l, '/');

	if (!strcmp(h, l))
		return true;
	if (!hn || !ln || strcmp(hn, ln) || hn - h != ln - l)
		return false;
	if (sscanf(h, "%39s %39s %39s %39s %lu", hf[0], hf[1], hf[2], hf[3], &hino) != 5 ||
	    sscanf(l, "%39s %39s %39s %39s %lu", lf[0], lf[1], lf[2], lf[3], &lino) != 5)
		return false;
	for (int i = 0; i < 4; i++)
		if (strcmp(hf[i], lf[i]))
			return false;
	return true;
}

static const char *op_name(const struct op *op, char *buf, size_t size)
{
	static const char *const kinds[] = { "mmap", "munmap", "mprotect" };

	snprintf(buf, size, "%s(window+%#lx, %#lx, prot %#lx, flags %#lx)", kinds[op->kind],
		 op->off, op->len, op->prot, op->flags);
	return buf;
}

static void dump_lines(const char *who, const struct step *st)
{
	print_message("  %s: ret %ld, %d lines\n", who, st->ret, st->nlines);
	for (int i = 0; i < st->nlines; i++)
		print_message("    %s\n", st->lines[i]);
}

/* Run @ops on both sides, failing at the first difference; false if the host window was busy. */
static bool run_sequence(const struct op *ops, int nops, const char *label)
{
	struct task_struct *tsk;
	int status;
	pid_t pid;
	char buf[160];

	memset(host, 0, sizeof(*host));
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		host_run(ops, nops);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (host->window_busy)
		return false;

	tsk = linmm_spawn("diff");
	assert_non_null(tsk);
	for (int i = 0; i < nops; i++) {
		const struct step *h = &host->steps[i];
		bool same;

		linmm_do(tsk, &ops[i], &linmm_step);
		same = h->ret == linmm_step.ret && h->at_hint == linmm_step.at_hint &&
		       h->nlines == linmm_step.nlines;
		for (int l = 0; same && l < h->nlines; l++)
			same = same_line(h->lines[l], linmm_step.lines[l]);
		if (!same) {
			print_message("%s: step %d: %s\n", label, i, op_name(&ops[i], buf, sizeof(buf)));
			dump_lines("host ", h);
			dump_lines("linmm", &linmm_step);
			fail_msg("%s differs from the host at step %d", label, i);
		}
	}
	linmm_task_exit(tsk);
	return true;
}

static int diff_setup(void **state)
{
	(void)state;
	host = mmap(NULL, sizeof(*host), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		    -1, 0);
	if (host == MAP_FAILED)
		return -1;
	return linmm_boot("mem=256M");
}

static int diff_teardown(void **state)
{
	(void)state;
	linmm_shutdown();
	munmap(host, sizeof(*host));
	return 0;
}

#define RW (PROT_READ | PROT_WRITE)
#define PRIV (MAP_PRIVATE | MAP_ANONYMOUS)
#define FIXED (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
#define SHARED_FIXED (MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED)
#define MAP(pg, n, prot, flags) { OP_MMAP, (pg) * P, (n) * P, (prot), (flags) }
#define UNMAP(pg, n) { OP_MUNMAP, (pg) * P, (n) * P, 0, 0 }
#define PROTECT(pg, n, prot) { OP_MPROTECT, (pg) * P, (n) * P, (prot), 0 }

struct named_seq {
	const char *name;
	int nops;
	struct op ops[16];
};

/*
 * One sequence per rule; pictures show pages from the window start.
 */
static const struct named_seq hand[] = {
	/* AAA.BBB + map 3 -> AAAAAAA; then punch a hole: AA.AAAA */
	{ "merge_both_new", 4, { MAP(0, 3, RW, FIXED), MAP(4, 3, RW, FIXED),
				 MAP(3, 1, RW, FIXED), UNMAP(2, 1) } },
	/* AAA + map after -> AAAA; map before -> AAAAA */
	{ "merge_prev_next_new", 3, { MAP(2, 3, RW, FIXED), MAP(5, 1, RW, FIXED),
				      MAP(1, 1, RW, FIXED) } },
	/* different prot and shared mappings stay apart */
	{ "no_merge_new", 4, { MAP(0, 2, RW, FIXED), MAP(2, 2, PROT_READ, FIXED),
			       MAP(4, 2, RW, SHARED_FIXED), MAP(6, 2, RW, SHARED_FIXED) } },
	/* PPPPMMMMNNNN, M -> r--: all merge */
	{ "mprotect_merge_both", 4, { MAP(0, 4, PROT_READ, FIXED), MAP(4, 4, RW, FIXED),
				      MAP(8, 4, PROT_READ, FIXED), PROTECT(4, 4, PROT_READ) } },
	/* PPPPMMmm: prev grows over part of middle; then next grows down */
	{ "mprotect_merge_partial", 5, { MAP(0, 4, PROT_READ, FIXED), MAP(4, 4, RW, FIXED),
					 PROTECT(4, 2, PROT_READ), MAP(8, 4, PROT_EXEC, FIXED),
					 PROTECT(7, 1, PROT_EXEC) } },
	/* split in three and merge back; VM_ACCOUNT comes and goes */
	{ "mprotect_split_merge", 5, { MAP(0, 6, RW, FIXED), PROTECT(2, 2, PROT_READ),
				       PROTECT(2, 2, RW), PROTECT(0, 6, PROT_NONE),
				       MAP(6, 2, PROT_NONE, FIXED) } },
	/* read-only then writable: charged again, merges with rw neighbours */
	{ "mprotect_account", 4, { MAP(0, 2, PROT_READ, FIXED), MAP(2, 2, RW, FIXED),
				   PROTECT(0, 2, RW), PROTECT(0, 4, PROT_READ) } },
	/* shared pieces keep their offsets and merge back when contiguous */
	{ "shared_split", 5, { MAP(0, 6, RW, SHARED_FIXED), UNMAP(2, 1),
			       PROTECT(3, 1, PROT_READ), PROTECT(3, 1, RW),
			       PROTECT(0, 2, PROT_READ) } },
	/* holes: mprotect changes up to the hole, then ENOMEM */
	{ "mprotect_hole", 4, { MAP(0, 2, RW, FIXED), MAP(3, 2, RW, FIXED),
				PROTECT(0, 5, PROT_READ), PROTECT(6, 1, PROT_READ) } },
	/* MAP_FIXED over several VMAs; NOREPLACE over one; hints */
	{ "fixed_noreplace_hint", 6, { MAP(0, 2, RW, FIXED), MAP(2, 2, PROT_READ, FIXED),
				       MAP(1, 2, PROT_EXEC, FIXED),
				       MAP(3, 2, RW, PRIV | MAP_FIXED_NOREPLACE),
				       MAP(8, 2, RW, PRIV), MAP(8, 1, RW, PRIV) } },
	/* MAP_NORESERVE never merges with accounted memory */
	{ "noreserve", 3, { MAP(0, 2, RW, FIXED), MAP(2, 2, RW, FIXED | MAP_NORESERVE),
			    PROTECT(0, 4, PROT_READ) } },
	/* errno cases */
	{ "errno", 9, { MAP(0, 0, RW, FIXED), { OP_MMAP, 5, P, RW, FIXED },
			MAP(0, 1, RW, MAP_ANONYMOUS | MAP_FIXED),
			MAP(0, 1, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS | MAP_FIXED),
			UNMAP(0, 0), { OP_MUNMAP, 7, P, 0, 0 },
			{ OP_MPROTECT, 3, P, PROT_READ, 0 }, PROTECT(0, 1, 0x40),
			PROTECT(0, 1, PROT_READ | PROT_GROWSDOWN) } },
};

static void test_hand_written(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(hand); i++)
		if (!run_sequence(hand[i].ops, hand[i].nops, hand[i].name))
			skip();
}

static u64 diff_rnd;

static u64 rnd(u64 n)
{
	diff_rnd ^= diff_rnd << 13;
	diff_rnd ^= diff_rnd >> 7;
	diff_rnd ^= diff_rnd << 17;
	return diff_rnd % n;
}

static void random_op(struct op *op)
{
	static const unsigned long prots[] = { PROT_NONE, PROT_READ, RW, PROT_READ | PROT_EXEC,
					       RW | PROT_EXEC, PROT_WRITE };
	unsigned long pg = rnd(WINDOW_PAGES), n = 1 + rnd(6);
	u64 kind = rnd(100);

	memset(op, 0, sizeof(*op));
	op->off = pg * P;
	op->len = n * P;
	op->prot = prots[rnd(ARRAY_SIZE(prots))];
	if (kind < 40) {
		u64 f = rnd(20);

		op->kind = OP_MMAP;
		op->flags = f < 3 ? SHARED_FIXED : FIXED;
		if (f == 3)
			op->flags = PRIV | MAP_FIXED_NOREPLACE;
		else if (f == 4)
			op->flags = PRIV;		/* a hint */
		else if (f == 5)
			op->flags |= MAP_NORESERVE;
	} else if (kind < 65) {
		op->kind = OP_MUNMAP;
	} else {
		op->kind = OP_MPROTECT;
	}
	/* Now and then a bad argument: unaligned start, zero length. */
	if (rnd(40) == 0)
		op->off += 1 + rnd(P - 1);
	if (rnd(40) == 0)
		op->len = 0;
	else if (rnd(10) == 0)
		op->len -= rnd(P);		/* rounded up */
}

static void test_random(void **state)
{
	const char *env = getenv("LINMM_DIFF_SEQS");
	const char *seed_env = getenv("LINMM_DIFF_SEED");
	long nseq = env ? atol(env) : 300;
	u64 seed = seed_env ? strtoull(seed_env, NULL, 0) : 1;
	static struct op ops[MAX_OPS];
	char label[64];

	(void)state;
	for (long s = 0; s < nseq; s++) {
		int nops = 20 + (int)((seed + (u64)s) % 60);

		diff_rnd = (seed << 20) ^ ((u64)s * 0x9e3779b97f4a7c15ULL) ^ 0x1234567;
		for (int i = 0; i < nops; i++)
			random_op(&ops[i]);
		snprintf(label, sizeof(label), "seed %llu sequence %ld",
			 (unsigned long long)seed, s);
		if (!run_sequence(ops, nops, label))
			skip();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_written),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, diff_setup, diff_teardown);
}
