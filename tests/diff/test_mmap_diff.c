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
 * Placement sequences (hand_place[]) pin where unhinted mmaps land: every
 * gap of the host child above a top inside the window is reserved first
 * (host_pin.h), and the same range up to mmap_base in the linmm task, so
 * both search top-down from the same address; the addresses returned are
 * compared too.
 *
 * Hand-written sequences cover each merge and split rule; then
 * LINMM_DIFF_SEQS (default 300) random sequences from LINMM_DIFF_SEED
 * (default 1).  The test is skipped if the window is not free on the host.
 *
 * mlock, munlock, mlockall, munlockall, madvise and msync sequences
 * (hand_lock[], test_random_lock()) also compare each window VMA's smaps
 * VmFlags line with linmm's vm_flags rendered in the kernel's two-letter
 * codes, which shows flag changes that do not split a VMA; and they run
 * with CAP_IPC_LOCK (when the test has it) or without it and with a small
 * RLIMIT_MEMLOCK, the same on both sides.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

#include "../linmm_test.h"

#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/sched.h>

#include "host_syscalls.h"
#include "host_pin.h"

#define P 4096UL
#define WINDOW 0x300000000000UL
#define WINDOW_PAGES 32
#define MAX_OPS 200
#define MAX_LINES 40
#define LINE_LEN 160
#define MAPS_BUF (1 << 20)
#define SMAPS_BUF (8 << 20)
#define FLAGS_LEN 96

enum op_kind { OP_MMAP, OP_MUNMAP, OP_MPROTECT, OP_MREMAP,
	       OP_MLOCK, OP_MUNLOCK, OP_MLOCKALL, OP_MUNLOCKALL, OP_MADVISE, OP_MSYNC };

struct op {
	enum op_kind kind;
	unsigned long off;	/* from WINDOW, bytes */
	unsigned long len;
	unsigned long prot;
	unsigned long flags;
	unsigned long new_len;	/* OP_MREMAP: the new length, bytes */
	unsigned long new_off;	/* OP_MREMAP: new_addr (FIXED, DONTUNMAP) from WINDOW */
};

/*
 * Placement sequences (hand_place[]): every gap from pin_top up to
 * mmap_base is reserved on both sides (host_pin.h), so an unhinted mmap
 * lands below pin_top; the reservations are not compared.  0: no pinning.
 */
static unsigned long pin_top;
#define NOHINT (~0UL)	/* op->off of an mmap with addr NULL */

/* An address the window's /proc/PID/maps lines would show (window_lines()). */
static bool in_window(unsigned long addr)
{
	return addr >= WINDOW && addr < WINDOW + WINDOW_PAGES * P + (1UL << 30) &&
	       (!pin_top || addr < pin_top);
}

struct step {
	long ret;		/* 0/address, or -errno */
	bool at_hint;		/* mmap without MAP_FIXED: landed on the hint */
	int nlines;
	char lines[MAX_LINES][LINE_LEN];
	/* With diff_vmflags: each window VMA's smaps VmFlags ("rd wr mr mw me ac"). */
	int nflags;
	char vmflags[MAX_LINES][FLAGS_LEN];
};

struct seq_result {
	bool window_busy;
	int pin_err;		/* host_pin_gaps() failed with this -errno */
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

		if (in_window(start) && st->nlines < MAX_LINES) {
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

/* ---- mlock, madvise, msync: credentials, smaps VmFlags, the calls ---- */

/*
 * The credentials of the sequence: the host child drops CAP_IPC_LOCK and
 * lowers RLIMIT_MEMLOCK to @memlock_pages when @unprivileged; the linmm
 * task gets the same capability and limit the child ends up with.
 */
static struct {
	bool unprivileged;
	unsigned long memlock_pages;
} diff_creds;
static bool host_ipc_lock;		/* the test process has CAP_IPC_LOCK (root) */
static unsigned long host_memlock;	/* and this RLIMIT_MEMLOCK soft limit, bytes */
/* Compare smaps VmFlags too: every diff_vmflags steps and after the last (0: never). */
static int diff_vmflags;
static bool vmflags_now;		/* at this step */
static char smaps_buf[SMAPS_BUF];

static void host_apply_creds(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	struct rlimit rl;

	if (!diff_creds.unprivileged)
		return;
	if (syscall(SYS_capget, &hdr, data))
		_exit(5);
	data[0].effective &= ~(1U << CAP_IPC_LOCK);
	if (syscall(SYS_capset, &hdr, data) || getrlimit(RLIMIT_MEMLOCK, &rl))
		_exit(5);
	rl.rlim_cur = diff_creds.memlock_pages * P;
	if (rl.rlim_cur > rl.rlim_max || setrlimit(RLIMIT_MEMLOCK, &rl))
		_exit(5);
}

static void linmm_apply_creds(struct task_struct *tsk)
{
	tsk->cap_effective = host_ipc_lock && !diff_creds.unprivileged ? 1ULL << CAP_IPC_LOCK : 0;
	tsk->rlim_memlock = diff_creds.unprivileged ? diff_creds.memlock_pages * P : host_memlock;
}

/* "rd  wr mr " -> "rd wr mr" */
static void copy_words(char *dst, const char *src, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n + 1 < FLAGS_LEN; i++) {
		if (src[i] == ' ' || src[i] == '\t') {
			if (n && dst[n - 1] != ' ')
				dst[n++] = ' ';
			continue;
		}
		dst[n++] = src[i];
	}
	if (n && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}

/* The VmFlags lines of the window's VMAs in /proc/self/smaps. */
static void host_vmflags(struct step *st)
{
	int fd = open("/proc/self/smaps", O_RDONLY);
	bool inside = false;
	size_t n = 0;
	ssize_t r;

	if (fd < 0)
		_exit(3);
	while ((r = read(fd, smaps_buf + n, SMAPS_BUF - 1 - n)) > 0)
		n += (size_t)r;
	close(fd);
	if (n == SMAPS_BUF - 1)
		_exit(4);		/* may be cut short: make the buffer bigger */
	smaps_buf[n] = '\0';
	st->nflags = 0;
	for (const char *line = smaps_buf; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		unsigned long start, end;

		if (sscanf(line, "%lx-%lx ", &start, &end) == 2)
			inside = in_window(start);
		else if (inside && !strncmp(line, "VmFlags:", 8) && st->nflags < MAX_LINES)
			copy_words(st->vmflags[st->nflags++], line + 8, len - 8);
		line = nl ? nl + 1 : NULL;
	}
}

/*
 * The kernel's VmFlags codes (show_smap_vma_flags()), in bit order, for
 * the flags linmm has; VM_SOFTDIRTY ("sd") is left out because the host
 * kernel is built without CONFIG_MEM_SOFT_DIRTY.
 */
static void linmm_vmflags(struct task_struct *tsk, struct step *st)
{
	static const char *const codes[64] = {
		[0] = "rd", [1] = "wr", [2] = "ex", [3] = "sh", [4] = "mr", [5] = "mw",
		[6] = "me", [7] = "ms", [8] = "gd", [9] = "um", [10] = "pf", [12] = "uw",
		[13] = "lo", [14] = "io", [15] = "sr", [16] = "rr", [17] = "dc", [18] = "de",
		[19] = "lf", [20] = "ac", [21] = "nr", [22] = "ht", [23] = "sf", [24] = "ar",
		[25] = "wf", [26] = "dd", [28] = "mm", [29] = "hg", [30] = "nh", [31] = "mg",
	};
	struct vm_area_struct *vma;

	st->nflags = 0;
	mmap_read_lock(tsk->mm);
	for_each_vma(tsk->mm, vma) {
		size_t n = 0;

		if (!in_window(vma->vm_start) || st->nflags == MAX_LINES)
			continue;
		st->vmflags[st->nflags][0] = '\0';
		for (int bit = 0; bit < 64; bit++)
			if ((vma->vm_flags & (1UL << bit)) && codes[bit])
				n += (size_t)snprintf(st->vmflags[st->nflags] + n, FLAGS_LEN - n,
						      "%s%s", n ? " " : "", codes[bit]);
		st->nflags++;
	}
	mmap_read_unlock(tsk->mm);
}

static bool vmflags_step(int i, int nops)
{
	return diff_vmflags && (i % diff_vmflags == 0 || i == nops - 1);
}

static bool is_lock_op(enum op_kind kind)
{
	return kind >= OP_MLOCK && kind <= OP_MSYNC;
}

/* mlock2 flags, MCL_*, MADV_* or MS_* in op->flags. */
static long host_lock_op(const struct op *op)
{
	void *addr = (void *)(WINDOW + op->off);
	int f = (int)op->flags, ret;

	switch (op->kind) {
	case OP_MLOCK:
		ret = f ? mlock2(addr, op->len, f) : mlock(addr, op->len);
		break;
	case OP_MUNLOCK:
		ret = munlock(addr, op->len);
		break;
	case OP_MLOCKALL:
		ret = mlockall(f);
		break;
	case OP_MUNLOCKALL:
		ret = munlockall();
		break;
	case OP_MADVISE:
		ret = madvise(addr, op->len, f);
		break;
	default:
		ret = msync(addr, op->len, f);
		break;
	}
	return ret ? -errno : 0;
}

static long linmm_lock_op(struct task_struct *tsk, const struct op *op)
{
	unsigned long addr = WINDOW + op->off;
	int f = (int)op->flags;

	switch (op->kind) {
	case OP_MLOCK:
		return f ? linmm_mlock2(tsk, addr, op->len, f) : linmm_mlock(tsk, addr, op->len);
	case OP_MUNLOCK:
		return linmm_munlock(tsk, addr, op->len);
	case OP_MLOCKALL:
		return linmm_mlockall(tsk, f);
	case OP_MUNLOCKALL:
		return linmm_munlockall(tsk);
	case OP_MADVISE:
		return linmm_madvise(tsk, addr, op->len, f);
	default:
		return linmm_msync(tsk, addr, op->len, f);
	}
}

/* The address an OP_MMAP asks for: the window offset, or NULL (NOHINT). */
static unsigned long op_addr(const struct op *op)
{
	return op->off == NOHINT ? 0 : WINDOW + op->off;
}

/* Does a mapping at @p count as in place: at the hint, or anywhere below a pinned top. */
static bool placed(unsigned long p, const struct op *op)
{
	return p == op_addr(op) || (pin_top && in_window(p));
}

static void host_run(const struct op *ops, int nops)
{
	size_t probe_len = pin_top ? pin_top - WINDOW : (WINDOW_PAGES + 64) * P;
	void *probe;

	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	host_apply_creds();
	probe = mmap((void *)WINDOW, probe_len, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (probe != (void *)WINDOW) {
		host->window_busy = true;
		_exit(0);
	}
	munmap(probe, probe_len);
	if (pin_top) {
		struct step *st = &host->steps[0];

		host_maps(st);		/* reads all of /proc/self/maps into maps_buf */
		host->pin_err = host_pin_gaps(maps_buf, pin_top);
		if (host->pin_err)
			_exit(0);
	}
	for (int i = 0; i < nops; i++) {
		const struct op *op = &ops[i];
		struct step *st = &host->steps[i];
		long ret;

		errno = 0;
		switch (op->kind) {
		case OP_MMAP: {
			void *p = mmap((void *)op_addr(op), op->len, (int)op->prot, (int)op->flags,
				       -1, 0);

			ret = p == MAP_FAILED ? -errno : (long)p;
			st->at_hint = p != MAP_FAILED && placed((unsigned long)p, op);
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
		case OP_MREMAP: {
			void *p = mremap((void *)(WINDOW + op->off), op->len, op->new_len,
					 (int)op->flags, (void *)(WINDOW + op->new_off));

			ret = p == MAP_FAILED ? -errno : (long)p;
			/* Moved out of the window (a gap the kernel chose): give it back. */
			st->at_hint = p != MAP_FAILED && in_window((unsigned long)p);
			if (p != MAP_FAILED && !st->at_hint) {
				munmap(p, op->new_len);
				ret = 0;
			}
			break;
		}
		case OP_MLOCK: case OP_MUNLOCK: case OP_MLOCKALL: case OP_MUNLOCKALL:
		case OP_MADVISE: case OP_MSYNC:
			ret = host_lock_op(op);
			break;
		default:
			ret = mprotect((void *)(WINDOW + op->off), op->len, (int)op->prot) ? -errno
											    : 0;
			break;
		}
		st->ret = ret;
		host_maps(st);
		if (vmflags_step(i, nops))
			host_vmflags(st);
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
		unsigned long p = linmm_mmap(tsk, op_addr(op), op->len, op->prot, op->flags, -1, 0);

		ret = (long)p;
		st->at_hint = !IS_ERR_VALUE(p) && placed(p, op);
		if (!IS_ERR_VALUE(p) && !st->at_hint) {
			assert_int_equal(linmm_munmap(tsk, p, op->len), 0);
			ret = 0;
		}
		break;
	}
	case OP_MUNMAP:
		ret = linmm_munmap(tsk, addr, op->len);
		break;
	case OP_MREMAP: {
		unsigned long p = linmm_mremap(tsk, addr, op->len, op->new_len, op->flags,
					       WINDOW + op->new_off);

		ret = (long)p;
		st->at_hint = !IS_ERR_VALUE(p) && in_window(p);
		if (!IS_ERR_VALUE(p) && !st->at_hint) {
			assert_int_equal(linmm_munmap(tsk, p, op->new_len), 0);
			ret = 0;
		}
		break;
	}
	case OP_MLOCK: case OP_MUNLOCK: case OP_MLOCKALL: case OP_MUNLOCKALL:
	case OP_MADVISE: case OP_MSYNC:
		ret = linmm_lock_op(tsk, op);
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
	st->nflags = 0;
	if (vmflags_now)
		linmm_vmflags(tsk, st);
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
	static const char *const kinds[] = { "mmap", "munmap", "mprotect", "mremap", "mlock",
					     "munlock", "mlockall", "munlockall", "madvise",
					     "msync" };

	if (op->kind == OP_MREMAP) {
		snprintf(buf, size, "mremap(window+%#lx, %#lx, %#lx, flags %#lx, window+%#lx)",
			 op->off, op->len, op->new_len, op->flags, op->new_off);
		return buf;
	}
	if (op->kind == OP_MMAP && op->off == NOHINT) {
		snprintf(buf, size, "mmap(NULL, %#lx, prot %#lx, flags %#lx)", op->len, op->prot,
			 op->flags);
		return buf;
	}
	snprintf(buf, size, "%s(window+%#lx, %#lx, prot %#lx, flags %#lx)", kinds[op->kind],
		 op->off, op->len, op->prot, op->flags);
	return buf;
}

static void dump_lines(const char *who, const struct step *st)
{
	print_message("  %s: ret %ld, %d lines\n", who, st->ret, st->nlines);
	for (int i = 0; i < st->nlines; i++)
		print_message("    %s\n", st->lines[i]);
	for (int i = 0; i < st->nflags; i++)
		print_message("    VmFlags: %s\n", st->vmflags[i]);
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
	if (host->pin_err)
		fail_msg("%s: reserving the host's gaps above %#lx: %s", label, pin_top,
			 strerror(-host->pin_err));

	tsk = linmm_spawn("diff");
	assert_non_null(tsk);
	linmm_apply_creds(tsk);
	if (pin_top)
		assert_int_equal(linmm_pin_gaps(tsk, pin_top), 0);
	for (int i = 0; i < nops; i++) {
		const struct step *h = &host->steps[i];
		bool same;

		vmflags_now = vmflags_step(i, nops);
		linmm_do(tsk, &ops[i], &linmm_step);
		same = h->ret == linmm_step.ret && h->at_hint == linmm_step.at_hint &&
		       h->nlines == linmm_step.nlines;
		for (int l = 0; same && l < h->nlines; l++)
			same = same_line(h->lines[l], linmm_step.lines[l]);
		same = same && h->nflags == linmm_step.nflags;
		for (int l = 0; same && l < h->nflags; l++)
			same = !strcmp(h->vmflags[l], linmm_step.vmflags[l]);
		if (!same) {
			/* The steps that led here, with the host's window after the last one. */
			for (int j = 0; j < i; j++)
				print_message("  step %d: %s -> %ld\n", j,
					      op_name(&ops[j], buf, sizeof(buf)), host->steps[j].ret);
			if (i)
				dump_lines("before", &host->steps[i - 1]);
			print_message("%s: step %d: %s\n", label, i, op_name(&ops[i], buf, sizeof(buf)));
			dump_lines("host ", h);
			dump_lines("linmm", &linmm_step);
			fail_msg("%s differs from the host at step %d", label, i);
		}
	}
	linmm_task_exit(tsk);
	return true;
}

/* Does this process hold CAP_IPC_LOCK, and what is its RLIMIT_MEMLOCK? */
static int host_credentials(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	unsigned long long capeff = 0;
	char line[256];
	struct rlimit rl;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &capeff) == 1)
			break;
	fclose(f);
	if (getrlimit(RLIMIT_MEMLOCK, &rl))
		return -1;
	host_ipc_lock = capeff & (1ULL << CAP_IPC_LOCK);
	host_memlock = rl.rlim_cur == RLIM_INFINITY ? ~0UL : rl.rlim_cur;
	return 0;
}

static int diff_setup(void **state)
{
	(void)state;
	host = mmap(NULL, sizeof(*host), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		    -1, 0);
	if (host == MAP_FAILED)
		return -1;
	if (host_credentials())
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
#define MAP(pg, n, prot, flags) { OP_MMAP, (pg) * P, (n) * P, (prot), (flags), 0, 0 }
#define UNMAP(pg, n) { OP_MUNMAP, (pg) * P, (n) * P, 0, 0, 0, 0 }
#define PROTECT(pg, n, prot) { OP_MPROTECT, (pg) * P, (n) * P, (prot), 0, 0, 0 }

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
	{ "errno", 9, { MAP(0, 0, RW, FIXED), { OP_MMAP, 5, P, RW, FIXED, 0, 0 },
			MAP(0, 1, RW, MAP_ANONYMOUS | MAP_FIXED),
			MAP(0, 1, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS | MAP_FIXED),
			UNMAP(0, 0), { OP_MUNMAP, 7, P, 0, 0, 0, 0 },
			{ OP_MPROTECT, 3, P, PROT_READ, 0, 0, 0 }, PROTECT(0, 1, 0x40),
			PROTECT(0, 1, PROT_READ | PROT_GROWSDOWN) } },
};

static void test_hand_written(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(hand); i++)
		if (!run_sequence(hand[i].ops, hand[i].nops, hand[i].name))
			skip();
}

#define REMAP(pg, n, new_n, flags, new_pg) \
	{ OP_MREMAP, (pg) * P, (n) * P, 0, (flags), (new_n) * P, (new_pg) * P }
#define MAYMOVE MREMAP_MAYMOVE
#define RFIXED (MREMAP_MAYMOVE | MREMAP_FIXED)
#define DONTUNMAP (MREMAP_MAYMOVE | MREMAP_DONTUNMAP)

/*
 * mremap, one sequence per rule (measured on the host first); pages from
 * the window start, '.' a hole, lower case read-only.
 */
static const struct named_seq hand_mremap[] = {
	/* AAAAAAAA -> 3 pages: AAA; grown back by mmap; the middle shrunk: AAAA..AA */
	{ "mremap_shrink", 4, { MAP(0, 8, RW, FIXED), REMAP(0, 8, 3, 0, 0),
				MAP(3, 5, RW, FIXED), REMAP(2, 4, 2, 0, 0) } },
	/* AbbbCCCC, 7 pages to 1: the tail unmapped across VMAs; no-resize ignores the range */
	{ "mremap_shrink_across", 6, { MAP(0, 1, RW, FIXED), MAP(1, 3, PROT_READ, FIXED),
				       MAP(4, 4, RW, FIXED), REMAP(0, 7, 1, 0, 0),
				       REMAP(0, 20, 20, 0, 0), REMAP(0, 20, 20, MAYMOVE, 0) } },
	/* AAAA.. grows in place; blocked by b; not the end of the VMA; shared grows too */
	{ "mremap_grow", 8, { MAP(0, 4, RW, FIXED), REMAP(0, 4, 6, 0, 0),
			      MAP(7, 1, PROT_READ, FIXED), REMAP(0, 6, 8, 0, 0),
			      REMAP(0, 2, 3, 0, 0), REMAP(4, 2, 3, 0, 0),
			      MAP(10, 2, RW, SHARED_FIXED), REMAP(10, 2, 4, 0, 0) } },
	/* AA..BB -> AAAAAA (merged); AA..bb -> AAAAbb; NORESERVE stays apart */
	{ "mremap_grow_merge", 11, { MAP(0, 2, RW, FIXED), MAP(4, 2, RW, FIXED),
				     REMAP(0, 2, 4, 0, 0), MAP(10, 2, RW, FIXED),
				     MAP(14, 2, PROT_READ, FIXED), REMAP(10, 2, 4, 0, 0),
				     REMAP(10, 4, 7, 0, 0), MAP(20, 2, RW, FIXED | MAP_NORESERVE),
				     MAP(24, 2, RW, FIXED), REMAP(20, 2, 4, 0, 0),
				     REMAP(24, 2, 4, MAYMOVE, 0) } },
	/* AAAA.b grows by moving out of the window; b then grows in place */
	{ "mremap_grow_move", 4, { MAP(0, 4, RW, FIXED), MAP(5, 1, PROT_READ, FIXED),
				   REMAP(0, 4, 8, MAYMOVE, 0), REMAP(5, 1, 3, MAYMOVE, 0) } },
	/* AAAAAAAA: 2-3 to 20; back to 6 (merges with 4-5); 0-1 to 2 (one VMA 2-7) */
	{ "mremap_fixed", 5, { MAP(0, 8, RW, FIXED), REMAP(2, 2, 2, RFIXED, 20),
			       REMAP(20, 2, 2, RFIXED, 6), REMAP(0, 2, 2, RFIXED, 2),
			       REMAP(2, 2, 4, RFIXED, 12) } },
	/* AA..bbbb: to 4 replaces bb; overlapping destinations are EINVAL */
	{ "mremap_fixed_overlap", 7, { MAP(0, 2, RW, FIXED), MAP(4, 4, PROT_READ, FIXED),
				       REMAP(0, 2, 2, RFIXED, 4), REMAP(4, 2, 2, RFIXED, 5),
				       REMAP(4, 2, 2, RFIXED, 4), REMAP(4, 2, 4, RFIXED, 1),
				       REMAP(4, 2, 2, RFIXED, 2) } },
	/* A.bb..C. moved whole to 20 (holes kept, xx.y there half replaced); hole first: EFAULT */
	{ "mremap_several", 9, { MAP(0, 1, RW, FIXED), MAP(2, 2, PROT_READ, FIXED),
				 MAP(6, 1, RW, FIXED), MAP(22, 2, PROT_EXEC, FIXED),
				 MAP(25, 1, PROT_EXEC, FIXED), REMAP(0, 8, 8, RFIXED, 20),
				 REMAP(19, 4, 4, RFIXED, 10),
				 REMAP(20, 4, 4, RFIXED | MREMAP_DONTUNMAP, 8),
				 REMAP(20, 4, 5, RFIXED, 0) } },
	/* AAA: page 1 copied to 10, the old range stays (and still merges); hints; shared */
	{ "mremap_dontunmap", 10, { MAP(0, 3, RW, FIXED), REMAP(1, 1, 1, DONTUNMAP | MREMAP_FIXED, 10),
				    MAP(3, 1, RW, FIXED), MAP(11, 1, RW, FIXED),
				    REMAP(0, 1, 1, DONTUNMAP, 20), REMAP(20, 1, 1, DONTUNMAP, 21),
				    REMAP(0, 1, 1, MREMAP_DONTUNMAP, 30),
				    REMAP(0, 1, 2, DONTUNMAP, 30), MAP(26, 2, RW, SHARED_FIXED),
				    REMAP(26, 1, 1, DONTUNMAP, 29) } },
	/* AAA.: page 1 copied to 3 merges into the source (AAAA); again across A and a hole */
	{ "mremap_dontunmap_merge", 4, { MAP(0, 3, RW, FIXED),
					 REMAP(1, 1, 1, RFIXED | MREMAP_DONTUNMAP, 3),
					 MAP(5, 1, PROT_READ, FIXED),
					 REMAP(2, 4, 4, RFIXED | MREMAP_DONTUNMAP, 6) } },
	/* shared pieces keep their offsets and merge when they line up; old_len 0 duplicates */
	{ "mremap_shared", 8, { MAP(0, 4, RW, SHARED_FIXED), UNMAP(1, 1),
				REMAP(2, 1, 1, RFIXED, 1), REMAP(1, 1, 1, RFIXED, 2),
				REMAP(0, 0, 1, RFIXED, 10), REMAP(0, 0, 1, 0, 0),
				REMAP(0, 0, 1, MAYMOVE, 0), REMAP(2, 2, 1, RFIXED, 14) } },
	/* Ab shrunk and moved across the end of A; shrunk again; grown into the window start */
	{ "mremap_shrink_move", 4, { MAP(0, 2, RW, FIXED), MAP(2, 2, PROT_READ, FIXED),
				     REMAP(0, 3, 2, RFIXED, 10), REMAP(10, 2, 1, RFIXED, 20) } },
	/* errno cases */
	{ "mremap_errno", 14, { MAP(0, 2, RW, FIXED), MAP(2, 2, PROT_READ, FIXED),
				REMAP(0, 1, 1, 8, 0), { OP_MREMAP, 5, P, 0, 0, P, 0 },
				REMAP(0, 1, 0, 0, 0), REMAP(0, 1, 1, MREMAP_FIXED, 10),
				{ OP_MREMAP, 0, P, 0, RFIXED, P, 10 * P + 8 },
				REMAP(10, 1, 2, 0, 0), REMAP(10, 1, 1, RFIXED, 20),
				REMAP(0, 3, 4, MAYMOVE, 0), REMAP(0, 3, 3, DONTUNMAP, 10),
				REMAP(0, 0, 1, RFIXED, 10), REMAP(0, 1, 2, DONTUNMAP, 10),
				{ OP_MREMAP, 0, P, 0, 0, 1UL << 47, 0 } } },
};

static void test_hand_mremap(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(hand_mremap); i++)
		if (!run_sequence(hand_mremap[i].ops, hand_mremap[i].nops, hand_mremap[i].name))
			skip();
}

#define MAPN(n, prot, flags) { OP_MMAP, NOHINT, (n) * P, (prot), (flags), 0, 0 }
#define SHARED (MAP_SHARED | MAP_ANONYMOUS)
#define MIB(n) ((n) * 256UL)	/* MiB in pages */

/*
 * Placement of unhinted anonymous mappings (mm/mmap.c __get_unmapped_area,
 * thp_get_unmapped_area): every gap above pin_top is reserved on both
 * sides, so each mmap(NULL) lands in the highest gap below it that fits.
 * A private one whose length is a multiple of 2 MiB is 2 MiB aligned (a
 * search for 2 MiB more, then shifted up into it); other lengths, shared
 * anonymous memory and a hint that is taken are placed plainly.  Pictures
 * in MiB from the window start; pin_top = 64 MiB + @pin_extra pages.
 */
struct place_seq {
	const char *name;
	unsigned long pin_extra;	/* pages above the 64 MiB mark */
	int nops;
	struct op ops[16];
};

static const struct place_seq hand_place[] = {
	/*
	 * top at 64M + 20K, not aligned (steps as the host places them):
	 *   0 [62 A 64)20K| top   2M: a 4M search, shifted up to the 2M boundary
	 *   1 [58 r 62)           4M, aligned, right below
	 *   2 [56M-4K 58)         2M+4K, 3 [53M-4K ..) 3M, 4 [49M-4K ..) shared 4M:
	 *                         plain, each right below the last
	 *   5 [top-4K top)        one page: the highest gap is the 20K above A
	 *   6 A grows to 4M: blocked above, it moves: [44 48), aligned
	 *   7 [42 44)             2M: the 2M+16K hole at 62M cannot hold a 4M search
	 *   8 [64 64M+16K)        4 pages in that hole (merged with the page above)
	 *   9 hint 58M taken: 2M placed plainly, [62 64), filling the hole exactly
	 *  10 [39 42)             3M, merged with [42 44)
	 */
	{ "place_anon_unaligned_top", 5, 11,
	  { MAPN(512, RW, PRIV), MAPN(1024, PROT_READ, PRIV), MAPN(513, RW, PRIV),
	    MAPN(768, PROT_READ, PRIV), MAPN(1024, RW, SHARED), MAPN(1, RW, PRIV),
	    REMAP(MIB(62), 512, 1024, MAYMOVE, 0), MAPN(512, RW, PRIV), MAPN(4, RW, PRIV),
	    MAP(MIB(58), 512, RW, PRIV), MAPN(768, RW, PRIV) } },
	/*
	 * top at 64M, aligned: the padded search's result is already aligned
	 * (off_sub 0), so the mapping goes to its top and aligned mappings stack
	 * without holes (and merge):
	 *   0,1 [60 AA 64)        2M twice, one VMA
	 *   2 [58M-4K r 60)       2M+4K, plain
	 *   3 [52 B 56)           4M, aligned: [56, 58M-4K) stays free ...
	 *   4 [58M-8K 58M-4K)     ... one page goes there (merged with r), and
	 *   5 three pages below it
	 *   6 [48 52) shared 4M, plain; 7 [42 48) 6M NORESERVE, aligned
	 *   8 [60 62) of A grows to 4M: moves to [38 42), aligned
	 */
	{ "place_anon_aligned_top", 0, 9,
	  { MAPN(512, RW, PRIV), MAPN(512, RW, PRIV), MAPN(513, PROT_READ, PRIV),
	    MAPN(1024, RW, PRIV), MAPN(1, PROT_READ, PRIV), MAPN(3, RW, PRIV),
	    MAPN(1024, RW, SHARED), MAPN(1536, RW, PRIV | MAP_NORESERVE),
	    REMAP(MIB(60), 512, 1024, MAYMOVE, 0) } },
};

static void test_hand_place(void **state)
{
	const char *why = host_pin_unsupported();

	(void)state;
#if defined(__SANITIZE_THREAD__)
	/* TSan's runtime maps its own memory in the child, below a pinned top. */
	skip();
#endif
	if (why) {
		print_message("placement sequences skipped: %s\n", why);
		skip();
	}
	for (size_t i = 0; i < ARRAY_SIZE(hand_place); i++) {
		bool ran;

		pin_top = WINDOW + MIB(64) * P + hand_place[i].pin_extra * P;
		ran = run_sequence(hand_place[i].ops, hand_place[i].nops, hand_place[i].name);
		pin_top = 0;
		if (!ran)
			skip();
	}
}

static u64 diff_rnd;

static u64 rnd(u64 n)
{
	diff_rnd ^= diff_rnd << 13;
	diff_rnd ^= diff_rnd >> 7;
	diff_rnd ^= diff_rnd << 17;
	return diff_rnd % n;
}

/* Turn @op (off, len set) into a random mremap of that range. */
static void random_mremap(struct op *op)
{
	static const unsigned long flags[] = {
		0, 0, MREMAP_MAYMOVE, MREMAP_MAYMOVE, MREMAP_MAYMOVE | MREMAP_FIXED,
		MREMAP_MAYMOVE | MREMAP_FIXED, MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
		MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, MREMAP_FIXED,
	};

	op->kind = OP_MREMAP;
	op->flags = flags[rnd(ARRAY_SIZE(flags))];
	op->new_len = rnd(3) == 0 ? op->len : (1 + rnd(6)) * P;
	if ((op->flags & MREMAP_DONTUNMAP) && rnd(4))
		op->new_len = op->len;
	op->new_off = rnd(WINDOW_PAGES) * P;
	if (rnd(30) == 0)
		op->len = 0;		/* the duplicate idiom */
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
	/* One op in six is an mremap of the same range instead. */
	if (rnd(6) == 0)
		random_mremap(op);
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

#define ONF MLOCK_ONFAULT
#define MLOCK(pg, n, f) { OP_MLOCK, (pg) * P, (n) * P, 0, (f), 0, 0 }
#define MUNLOCK(pg, n) { OP_MUNLOCK, (pg) * P, (n) * P, 0, 0, 0, 0 }
#define MLOCKALL(f) { OP_MLOCKALL, 0, 0, 0, (f), 0, 0 }
#define MUNLOCKALL { OP_MUNLOCKALL, 0, 0, 0, 0, 0, 0 }
#define ADVISE(pg, n, adv) { OP_MADVISE, (pg) * P, (n) * P, 0, (adv), 0, 0 }
#define MSYNC(pg, n, f) { OP_MSYNC, (pg) * P, (n) * P, 0, (f), 0, 0 }

/*
 * mlock, madvise and msync, compared with the smaps VmFlags of the window
 * too.  The host must not fault anything in where that would give a VMA
 * an anon_vma (linmm has no page tables yet, so its VMAs have none, and
 * anon_vmas decide merges): mlock of private writable memory is always
 * MLOCK_ONFAULT here, plain mlock only of read-only, PROT_NONE, execute-
 * only and shared memory; MCL_CURRENT and MCL_FUTURE always come with
 * MCL_ONFAULT; no POPULATE_WRITE of private memory, no GUARD_INSTALL.
 * @unprivileged sequences run without CAP_IPC_LOCK and with
 * RLIMIT_MEMLOCK of @memlock_pages, on both sides.
 */
struct cred_seq {
	const char *name;
	bool unprivileged;
	unsigned long memlock_pages;
	int nops;
	struct op ops[16];
};

static const struct cred_seq hand_lock[] = {
	/* AAAAAAAA: AAaaAAAA, AAaaaaAA, aaaaaaAA, aaaaaaaa; munlock aaaAAaaa, AAAAAAAA */
	{ "mlock_split_merge", false, 0, 7, { MAP(0, 8, RW, FIXED), MLOCK(2, 2, ONF),
					      MLOCK(4, 2, ONF), MLOCK(0, 2, ONF),
					      MLOCK(6, 2, ONF), MUNLOCK(3, 2), MUNLOCK(0, 8) } },
	/*
	 * Plain mlock faults in: r--, r-x and shared fine, PROT_NONE -ENOMEM (but
	 * locked).  Not --x: on a CPU with protection keys the host gives
	 * execute-only memory a pkey that GUP may not read through (-ENOMEM);
	 * linmm models no pkeys and faults it in like a CPU without them.
	 */
	{ "mlock_populate", false, 0, 11, { MAP(0, 4, PROT_READ, FIXED),
					    MAP(4, 4, PROT_NONE, FIXED),
					    MAP(8, 2, PROT_READ | PROT_EXEC, FIXED),
					    MAP(10, 2, RW, SHARED_FIXED), MLOCK(0, 4, 0),
					    MLOCK(4, 4, 0), MLOCK(8, 2, 0), MLOCK(10, 2, 0),
					    MUNLOCK(0, 12), MLOCK(4, 4, ONF), MLOCK(2, 10, 0) } },
	/* AAAA..BBBB: holes, rounding, wrapping lengths, bad flags */
	{ "mlock_holes_args", false, 0, 12, { MAP(0, 4, RW, FIXED), MAP(6, 4, RW, FIXED),
					      MLOCK(0, 10, ONF), MLOCK(5, 2, ONF),
					      MLOCK(6, 6, ONF), MUNLOCK(4, 1), MUNLOCK(20, 1),
					      { OP_MLOCK, P + 1, 1, 0, ONF, 0, 0 },
					      { OP_MLOCK, 0, ~0UL, 0, ONF, 0, 0 },
					      { OP_MUNLOCK, P, -2 * P, 0, 0, 0, 0 },
					      MLOCK(0, 1, 2), MLOCK(0, 1, ONF | 4) } },
	/* RLIMIT_MEMLOCK of 6 pages: already locked pages are not charged again */
	{ "mlock_rlimit", true, 6, 13, { MAP(0, 12, RW, FIXED), MLOCK(0, 4, ONF),
					 MLOCK(4, 4, ONF), MLOCK(2, 4, ONF), MUNLOCK(0, 1),
					 MLOCK(1, 6, ONF), MLOCK(0, 1, ONF),
					 MAP(14, 1, PROT_READ, FIXED | MAP_LOCKED),
					 { OP_MLOCK, P, -2 * P, 0, ONF, 0, 0 },
					 MLOCKALL(MCL_FUTURE | MCL_ONFAULT), MAP(20, 1, RW, FIXED),
					 MUNLOCKALL, MAP(20, 1, RW, FIXED) } },
	/* RLIMIT_MEMLOCK of 0: mlock is -EPERM (after the flags check) */
	{ "mlock_rlimit_zero", true, 0, 8, { MAP(0, 2, RW, FIXED), MLOCK(0, 1, ONF),
					     MLOCK(0, 1, 2), MLOCKALL(MCL_FUTURE),
					     MLOCKALL(0), MUNLOCK(0, 1), MUNLOCKALL,
					     MAP(4, 1, PROT_READ, FIXED | MAP_LOCKED) } },
	/* AAAA.BBBB.S: all locked; a new VMA stays apart; munlockall merges; MCL_FUTURE */
	{ "mlockall", false, 0, 14, { MAP(0, 4, RW, FIXED), MAP(5, 4, PROT_READ, FIXED),
				      MAP(10, 1, RW, SHARED_FIXED),
				      MLOCKALL(MCL_CURRENT | MCL_ONFAULT), MAP(4, 1, RW, FIXED),
				      MUNLOCKALL, MLOCKALL(MCL_FUTURE | MCL_ONFAULT),
				      MAP(11, 2, RW, FIXED), MLOCKALL(MCL_CURRENT | MCL_ONFAULT),
				      MAP(14, 1, RW, FIXED), MUNLOCKALL, MLOCKALL(MCL_ONFAULT),
				      MLOCKALL(8), MLOCKALL(0) } },
	/* locked and mprotected pieces merge back once both agree */
	{ "mlock_mprotect", false, 0, 8, { MAP(0, 6, RW, FIXED), MLOCK(2, 2, ONF),
					   PROTECT(2, 2, PROT_READ), PROTECT(0, 6, PROT_READ),
					   MUNLOCK(0, 6), UNMAP(1, 1), MLOCK(0, 6, ONF),
					   MUNLOCK(3, 3) } },
	/* flag advice: splits, merges, exclusive pairs (see test_madvise.c) */
	{ "madvise_flags", false, 0, 16, { MAP(0, 8, RW, FIXED), ADVISE(2, 2, MADV_DONTFORK),
					   ADVISE(4, 4, MADV_DONTFORK), ADVISE(2, 6, MADV_DOFORK),
					   ADVISE(0, 4, MADV_SEQUENTIAL), ADVISE(2, 4, MADV_RANDOM),
					   ADVISE(0, 8, MADV_NORMAL), ADVISE(0, 4, MADV_HUGEPAGE),
					   ADVISE(2, 4, MADV_NOHUGEPAGE), ADVISE(7, 1, MADV_DONTDUMP),
					   ADVISE(6, 1, MADV_WIPEONFORK),
					   ADVISE(0, 1, MADV_MERGEABLE),
					   ADVISE(0, 8, MADV_UNMERGEABLE),
					   ADVISE(0, 8, MADV_KEEPONFORK), ADVISE(0, 8, MADV_DODUMP),
					   ADVISE(0, 8, MADV_NOHUGEPAGE) } },
	/* AAA..BBB..SSS: holes advised around; an error stops the walk; argument checks */
	{ "madvise_holes_errno", false, 0, 16, { MAP(0, 3, RW, FIXED), MAP(5, 3, RW, FIXED),
						 MAP(10, 3, RW, SHARED_FIXED),
						 ADVISE(1, 11, MADV_DONTFORK),
						 ADVISE(3, 2, MADV_DONTFORK),
						 ADVISE(14, 2, MADV_DONTFORK),
						 ADVISE(2, 10, MADV_WIPEONFORK),
						 ADVISE(0, 13, MADV_MERGEABLE),
						 { OP_MADVISE, 1, P, 0, MADV_NORMAL, 0, 0 },
						 ADVISE(0, 1, 77),
						 { OP_MADVISE, 0, ~0UL, 0, MADV_NORMAL, 0, 0 },
						 ADVISE(20, 0, 999), ADVISE(20, 0, MADV_NORMAL),
						 ADVISE(0, 1, MADV_HWPOISON),
						 ADVISE(0, 1, MADV_COLLAPSE),
						 ADVISE(20, 1, MADV_COLLAPSE) } },
	/* page advice on locked and shared memory */
	{ "madvise_locked_shared", false, 0, 16, { MAP(0, 2, RW, FIXED), MLOCK(0, 2, ONF),
						   MAP(6, 2, RW, FIXED),
						   MAP(8, 2, RW, SHARED_FIXED),
						   ADVISE(0, 1, MADV_DONTNEED),
						   ADVISE(0, 1, MADV_FREE), ADVISE(0, 2, MADV_COLD),
						   ADVISE(0, 1, MADV_PAGEOUT),
						   ADVISE(0, 1, MADV_REMOVE),
						   ADVISE(0, 1, MADV_DONTNEED_LOCKED),
						   ADVISE(0, 1, MADV_WILLNEED),
						   ADVISE(0, 2, MADV_GUARD_INSTALL),
						   ADVISE(8, 1, MADV_FREE),
						   ADVISE(8, 2, MADV_REMOVE),
						   ADVISE(6, 2, MADV_REMOVE),
						   ADVISE(6, 4, MADV_FREE) } },
	/* NNRRWW.S.w.x: POPULATE needs the access right; DONTNEED, COLD, PAGEOUT pass */
	{ "madvise_populate", false, 0, 16, { MAP(0, 2, PROT_NONE, FIXED),
					      MAP(2, 2, PROT_READ, FIXED), MAP(4, 2, RW, FIXED),
					      MAP(7, 1, RW, SHARED_FIXED),
					      MAP(9, 1, PROT_WRITE, FIXED),
					      MAP(11, 1, PROT_EXEC, FIXED),
					      ADVISE(0, 6, MADV_DONTNEED), ADVISE(0, 8, MADV_COLD),
					      ADVISE(0, 8, MADV_PAGEOUT),
					      ADVISE(0, 1, MADV_POPULATE_READ),
					      ADVISE(2, 4, MADV_POPULATE_READ),
					      ADVISE(2, 2, MADV_POPULATE_WRITE),
					      ADVISE(7, 1, MADV_POPULATE_WRITE),
					      ADVISE(7, 2, MADV_POPULATE_READ),
					      ADVISE(9, 1, MADV_POPULATE_READ),
					      ADVISE(11, 1, MADV_POPULATE_READ) } },
	/* AAAA..SSSS (S locked): msync's order of checks */
	{ "msync", false, 0, 16, { MAP(0, 4, RW, FIXED), MAP(6, 4, RW, SHARED_FIXED),
				   MLOCK(6, 4, ONF), MSYNC(0, 1, MS_ASYNC | MS_SYNC),
				   MSYNC(0, 1, 8), { OP_MSYNC, 1, P, 0, MS_SYNC, 0, 0 },
				   MSYNC(0, 4, MS_SYNC), MSYNC(6, 4, MS_SYNC),
				   MSYNC(2, 6, MS_ASYNC), MSYNC(2, 6, MS_SYNC), MSYNC(2, 6, 0),
				   MSYNC(0, 10, MS_INVALIDATE), MSYNC(5, 2, MS_INVALIDATE),
				   MSYNC(4, 2, MS_SYNC), MSYNC(10, 2, MS_SYNC),
				   { OP_MSYNC, P, -2 * P, 0, MS_SYNC, 0, 0 } } },
};

/*
 * Run @ops with the credentials, VmFlags compared every @vmflags_every
 * steps and after the last (reading the host's smaps is slow, the more so
 * under ASan); false if the host window was busy.
 */
static bool run_lock_sequence(const struct op *ops, int nops, const char *label,
			      bool unprivileged, unsigned long memlock_pages, int vmflags_every)
{
	bool ran;

	diff_creds.unprivileged = unprivileged;
	diff_creds.memlock_pages = memlock_pages;
	diff_vmflags = vmflags_every;
	ran = run_sequence(ops, nops, label);
	diff_vmflags = 0;
	diff_creds.unprivileged = false;
	return ran;
}

static void test_hand_lock(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(hand_lock); i++) {
		const struct cred_seq *c = &hand_lock[i];

		if (!run_lock_sequence(c->ops, c->nops, c->name, c->unprivileged, c->memlock_pages,
				       1))
			skip();
	}
}

/*
 * A random op of any kind, two in five an mlock, munlock, mlockall,
 * munlockall, madvise or msync (keeping random_op()'s range, bad
 * arguments included).  MCL_CURRENT only with CAP_IPC_LOCK: without it,
 * mlockall compares total_vm, which counts the whole host process.
 */
static void random_lock_op(struct op *op, bool ipc_lock)
{
	static const int advice[] = {
		MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_DONTNEED,
		MADV_FREE, MADV_REMOVE, MADV_DONTFORK, MADV_DOFORK, MADV_MERGEABLE,
		MADV_UNMERGEABLE, MADV_HUGEPAGE, MADV_NOHUGEPAGE, MADV_DONTDUMP, MADV_DODUMP,
		MADV_WIPEONFORK, MADV_KEEPONFORK, MADV_COLD, MADV_PAGEOUT, MADV_POPULATE_READ,
		MADV_DONTNEED_LOCKED, MADV_COLLAPSE, MADV_GUARD_REMOVE, 77,
	};
	static const int mcl[] = {
		MCL_FUTURE | MCL_ONFAULT, MCL_CURRENT | MCL_ONFAULT,
		MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT, MCL_ONFAULT, 0, 8,
	};
	static const int ms[] = {
		MS_ASYNC, MS_SYNC, MS_INVALIDATE, MS_SYNC | MS_INVALIDATE, 0, MS_ASYNC | MS_SYNC, 8,
	};
	u64 k;

	random_op(op);
	k = rnd(100);
	if (k >= 40)
		return;
	op->new_len = op->new_off = 0;
	op->prot = 0;
	if (k < 10) {
		op->kind = OP_MLOCK;
		op->flags = rnd(12) ? MLOCK_ONFAULT : 2;
	} else if (k < 16) {
		op->kind = OP_MUNLOCK;
		op->flags = 0;
	} else if (k < 19) {
		op->kind = OP_MLOCKALL;
		do
			op->flags = (unsigned long)mcl[rnd(ARRAY_SIZE(mcl))];
		while (!ipc_lock && (op->flags & MCL_CURRENT));
	} else if (k < 21) {
		op->kind = OP_MUNLOCKALL;
	} else if (k < 35) {
		op->kind = OP_MADVISE;
		op->flags = (unsigned long)advice[rnd(ARRAY_SIZE(advice))];
	} else {
		op->kind = OP_MSYNC;
		op->flags = (unsigned long)ms[rnd(ARRAY_SIZE(ms))];
	}
	assert_true(is_lock_op(op->kind));
}

/*
 * LINMM_DIFF_LOCK_SEQS (default 150) random sequences from LINMM_DIFF_SEED,
 * every other one without CAP_IPC_LOCK and with a small RLIMIT_MEMLOCK.
 */
static void test_random_lock(void **state)
{
	const char *env = getenv("LINMM_DIFF_LOCK_SEQS");
	const char *seed_env = getenv("LINMM_DIFF_SEED");
	long nseq = env ? atol(env) : 150;
	u64 seed = seed_env ? strtoull(seed_env, NULL, 0) : 1;
	static struct op ops[MAX_OPS];
	char label[80];

	(void)state;
	for (long s = 0; s < nseq; s++) {
		int nops = 20 + (int)((seed + (u64)s) % 40);
		bool unprivileged = (s & 1) || !host_ipc_lock;
		unsigned long memlock;

		diff_rnd = (seed << 24) ^ ((u64)s * 0xd1b54a32d192ed03ULL) ^ 0x7654321;
		memlock = 2 + rnd(14);
		for (int i = 0; i < nops; i++)
			random_lock_op(&ops[i], !unprivileged);
		snprintf(label, sizeof(label), "lock seed %llu sequence %ld%s",
			 (unsigned long long)seed, s, unprivileged ? " (unprivileged)" : "");
		if (!run_lock_sequence(ops, nops, label, unprivileged, memlock, 8))
			skip();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_written),
		cmocka_unit_test(test_hand_mremap),
		cmocka_unit_test(test_hand_place),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_hand_lock),
		cmocka_unit_test(test_random_lock),
	};

	return cmocka_run_group_tests(tests, diff_setup, diff_teardown);
}
