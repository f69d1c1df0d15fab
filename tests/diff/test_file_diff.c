// SPDX-License-Identifier: MIT
/*
 * test_file_diff.c - file system calls against the host kernel.
 *
 * The same sequence of open/close/read/write/pread/pwrite/lseek/ftruncate/
 * fsync/unlink calls runs on files in a fresh host temporary directory
 * and on linmmfs (one linmm task), and after every call the two must agree
 * on the return value (counts, offsets, the descriptor relative to the
 * first one each side handed out, or the errno), on the bytes a read
 * returned, and on the size, link count and whole contents of every file
 * (read through a second descriptor that is closed again at once, and, on
 * linmm, from another task so the first task's descriptor numbers do not
 * move).  Host file systems differ in block allocation, so st_blocks is
 * not compared.
 *
 *   host:  /tmp/linmm-fdiff-XXXXXX/a   <->   linmm: /a
 *
 * Hand-written sequences cover the rules with sharp edges (O_TRUNC with
 * O_RDONLY truncates, pwrite on O_APPEND appends, ftruncate of a read-only
 * descriptor is EINVAL, an unlinked file stays readable); then
 * LINMM_DIFF_SEQS (default 200) random sequences from LINMM_DIFF_SEED
 * (default 1), with validate_page_cache() after every step.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../linmm_test.h"

#include <linmm/fs.h>
#include <linmm/sched.h>

#define NR_NAMES 3
#define NR_SLOTS 4
#define MAX_IO 20000

enum op_kind { OP_OPEN, OP_CLOSE, OP_READ, OP_WRITE, OP_PREAD, OP_PWRITE, OP_LSEEK,
	       OP_FTRUNCATE, OP_FSYNC, OP_UNLINK, NR_OPS };

struct op {
	enum op_kind kind;
	int slot;		/* descriptor slot (open: where the result goes) */
	int name;		/* open, unlink */
	int flags;		/* open */
	long len;		/* read/write count, ftruncate length */
	long off;		/* pread/pwrite position, lseek offset */
	int whence;
};

static char hostdir[] = "/tmp/linmm-fdiff-XXXXXX";
static const char *const names[NR_NAMES] = { "a", "b", "data_c" };
static struct task_struct *p, *checker;
/* Descriptors per slot, -1 when closed; the first descriptor each side ever got. */
static int host_fd[NR_SLOTS], linmm_fd[NR_SLOTS], host_base = -1, linmm_base = -1;
static unsigned char wbuf[MAX_IO], hbuf[MAX_IO], lbuf[MAX_IO];
static char *hfile, *lfile;

static void host_path(char *out, size_t n, int name)
{
	snprintf(out, n, "%s/%s", hostdir, names[name]);
}

static void linmm_path(char *out, size_t n, int name)
{
	snprintf(out, n, "/%s", names[name]);
}

static long host_ret(long r)
{
	return r < 0 ? -errno : r;
}

/* Run @o on both sides; compare. */
static void run_op(const struct op *o, int seq, int step)
{
	char hp[256], lp[64];
	long h = 0, l = 0;
	int hfd = host_fd[o->slot], lfd = linmm_fd[o->slot];

	for (long i = 0; i < o->len && i < MAX_IO; i++)
		wbuf[i] = (unsigned char)(seq * 31 + step * 7 + i);
	host_path(hp, sizeof(hp), o->name);
	linmm_path(lp, sizeof(lp), o->name);
	switch (o->kind) {
	case OP_OPEN:
		if (hfd >= 0)
			return;		/* slot busy: keep it simple */
		h = host_ret(open(hp, o->flags, 0644));
		l = linmm_open(p, lp, o->flags, 0644);
		if (h >= 0) {
			host_fd[o->slot] = (int)h;
			if (host_base < 0)
				host_base = (int)h;
			h -= host_base;
		}
		if (l >= 0) {
			linmm_fd[o->slot] = (int)l;
			if (linmm_base < 0)
				linmm_base = (int)l;
			l -= linmm_base;
		}
		break;
	case OP_CLOSE:
		h = hfd < 0 ? -EBADF : host_ret(close(hfd));
		l = linmm_close(p, lfd < 0 ? 999 : lfd);
		host_fd[o->slot] = linmm_fd[o->slot] = -1;
		break;
	case OP_READ:
		h = hfd < 0 ? -EBADF : host_ret(read(hfd, hbuf, (size_t)o->len));
		l = linmm_read(p, lfd < 0 ? 999 : lfd, lbuf, (size_t)o->len);
		break;
	case OP_PREAD:
		h = hfd < 0 ? -EBADF : host_ret(pread(hfd, hbuf, (size_t)o->len, o->off));
		l = linmm_pread(p, lfd < 0 ? 999 : lfd, lbuf, (size_t)o->len, o->off);
		break;
	case OP_WRITE:
		h = hfd < 0 ? -EBADF : host_ret(write(hfd, wbuf, (size_t)o->len));
		l = linmm_write(p, lfd < 0 ? 999 : lfd, wbuf, (size_t)o->len);
		break;
	case OP_PWRITE:
		h = hfd < 0 ? -EBADF : host_ret(pwrite(hfd, wbuf, (size_t)o->len, o->off));
		l = linmm_pwrite(p, lfd < 0 ? 999 : lfd, wbuf, (size_t)o->len, o->off);
		break;
	case OP_LSEEK:
		h = hfd < 0 ? -EBADF : host_ret(lseek(hfd, o->off, o->whence));
		l = linmm_lseek(p, lfd < 0 ? 999 : lfd, o->off, o->whence);
		break;
	case OP_FTRUNCATE:
		h = hfd < 0 ? (o->len < 0 ? -EINVAL : -EBADF) : host_ret(ftruncate(hfd, o->len));
		l = linmm_ftruncate(p, lfd < 0 ? 999 : lfd, o->len);
		break;
	case OP_FSYNC:
		h = hfd < 0 ? -EBADF : host_ret(fsync(hfd));
		l = linmm_fsync(p, lfd < 0 ? 999 : lfd);
		break;
	case OP_UNLINK:
		h = host_ret(unlink(hp));
		l = linmm_unlink(p, lp);
		break;
	default:
		return;
	}
	if (h != l)
		fail_msg("seq %d step %d: op %d slot %d name %s flags %#o len %ld off %ld whence %d: "
			 "host %ld, linmm %ld", seq, step, o->kind, o->slot, names[o->name], o->flags,
			 o->len, o->off, o->whence, h, l);
	if ((o->kind == OP_READ || o->kind == OP_PREAD) && h > 0 && memcmp(hbuf, lbuf, (size_t)h))
		fail_msg("seq %d step %d: read data differs", seq, step);
}

/* Size, link count and contents of every name, through fresh descriptors. */
static void compare_files(int seq, int step)
{
	for (int n = 0; n < NR_NAMES; n++) {
		char hp[256], lp[64];
		struct linmm_stat lst;
		struct stat hst;
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
		assert_int_equal(fstat(hfd, &hst), 0);
		assert_int_equal(linmm_fstat(checker, lfd, &lst), 0);
		if (hst.st_size != lst.st_size || hst.st_nlink != lst.st_nlink)
			fail_msg("seq %d step %d: %s size %ld/%lld nlink %lu/%u (host/linmm)", seq, step,
				 names[n], (long)hst.st_size, (long long)lst.st_size,
				 (unsigned long)hst.st_nlink, lst.st_nlink);
		hl = pread(hfd, hfile, 1 << 20, 0);
		ll = linmm_pread(checker, lfd, lfile, 1 << 20, 0);
		if (hl != ll || memcmp(hfile, lfile, (size_t)(hl > 0 ? hl : 0)))
			fail_msg("seq %d step %d: %s contents differ (%ld/%ld bytes)", seq, step,
				 names[n], hl, ll);
		close(hfd);
		assert_int_equal(linmm_close(checker, lfd), 0);
	}
	assert_int_equal(validate_page_cache(), 0);
}

static void reset_sides(void)
{
	for (int s = 0; s < NR_SLOTS; s++) {
		if (host_fd[s] >= 0)
			close(host_fd[s]);
		if (linmm_fd[s] >= 0)
			linmm_close(p, linmm_fd[s]);
		host_fd[s] = linmm_fd[s] = -1;
	}
	for (int n = 0; n < NR_NAMES; n++) {
		char hp[256], lp[64];

		host_path(hp, sizeof(hp), n);
		linmm_path(lp, sizeof(lp), n);
		unlink(hp);
		linmm_unlink(p, lp);
	}
}

static int setup(void **state)
{
	(void)state;
	memcpy(hostdir, "/tmp/linmm-fdiff-XXXXXX", sizeof(hostdir));
	if (!mkdtemp(hostdir))
		return -1;
	boot_or_fail("mem=512M");
	p = linmm_spawn("p");
	checker = linmm_spawn("checker");
	hfile = malloc(1 << 20);
	lfile = malloc(1 << 20);
	for (int s = 0; s < NR_SLOTS; s++)
		host_fd[s] = linmm_fd[s] = -1;
	return p && checker && hfile && lfile ? 0 : -1;
}

static int teardown(void **state)
{
	reset_sides();
	rmdir(hostdir);
	free(hfile);
	free(lfile);
	return linmm_test_shutdown(state);
}

static void run_seq(const struct op *ops, int n, int seq)
{
	reset_sides();
	for (int i = 0; i < n; i++) {
		run_op(&ops[i], seq, i);
		compare_files(seq, i);
	}
}

#define OPEN(slot, name, flags) { OP_OPEN, slot, name, flags, 0, 0, 0 }
#define CLOSE(slot) { OP_CLOSE, slot, 0, 0, 0, 0, 0 }
#define READ(slot, len) { OP_READ, slot, 0, 0, len, 0, 0 }
#define WRITE(slot, len) { OP_WRITE, slot, 0, 0, len, 0, 0 }
#define PREAD(slot, len, off) { OP_PREAD, slot, 0, 0, len, off, 0 }
#define PWRITE(slot, len, off) { OP_PWRITE, slot, 0, 0, len, off, 0 }
#define LSEEK(slot, off, wh) { OP_LSEEK, slot, 0, 0, 0, off, wh }
#define FTRUNC(slot, len) { OP_FTRUNCATE, slot, 0, 0, len, 0, 0 }
#define FSYNC(slot) { OP_FSYNC, slot, 0, 0, 0, 0, 0 }
#define UNLINK(name) { OP_UNLINK, 0, name, 0, 0, 0, 0 }

static void test_hand_sequences(void **state)
{
	static const struct op seq_basic[] = {
		OPEN(0, 0, O_RDONLY),			/* ENOENT */
		OPEN(0, 0, O_RDWR | O_CREAT), WRITE(0, 5000), LSEEK(0, 0, SEEK_CUR),
		LSEEK(0, 100, SEEK_SET), READ(0, 10000), READ(0, 10),
		LSEEK(0, -1, SEEK_SET), LSEEK(0, 8000, SEEK_END), WRITE(0, 3),	/* a hole */
		PREAD(0, 20000, 0), PREAD(0, 10, -1), PWRITE(0, 4096, 12000), FSYNC(0),
		FTRUNC(0, 4097), FTRUNC(0, -1), FTRUNC(0, 10000), READ(0, 100), CLOSE(0), CLOSE(0),
	};
	static const struct op seq_flags[] = {
		OPEN(0, 1, O_WRONLY | O_CREAT | O_EXCL), WRITE(0, 9000),
		OPEN(1, 1, O_RDWR | O_CREAT | O_EXCL),	/* EEXIST */
		OPEN(1, 1, O_RDONLY | O_EXCL),		/* O_EXCL without O_CREAT: ignored */
		READ(0, 10),				/* EBADF: write-only */
		WRITE(1, 10),				/* EBADF: read-only */
		FTRUNC(1, 0),				/* EINVAL: not open for writing */
		OPEN(2, 1, O_RDONLY | O_TRUNC),		/* truncates, as on Linux */
		CLOSE(2), OPEN(2, 1, O_WRONLY | O_APPEND), WRITE(2, 100), PWRITE(2, 50, 0),
		LSEEK(2, 0, SEEK_CUR), CLOSE(0), CLOSE(1), CLOSE(2),
	};
	static const struct op seq_unlink[] = {
		OPEN(0, 2, O_RDWR | O_CREAT | O_TRUNC), WRITE(0, 12345), UNLINK(2), UNLINK(2),
		PREAD(0, 200, 12000), WRITE(0, 10), OPEN(1, 2, O_RDWR | O_CREAT), PREAD(1, 10, 0),
		CLOSE(0), WRITE(1, 20), CLOSE(1), UNLINK(2),
	};

	(void)state;
	run_seq(seq_basic, ARRAY_SIZE(seq_basic), 1);
	run_seq(seq_flags, ARRAY_SIZE(seq_flags), 2);
	run_seq(seq_unlink, ARRAY_SIZE(seq_unlink), 3);
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
		O_RDWR | O_CREAT | O_EXCL, O_WRONLY | O_APPEND, O_RDWR | O_APPEND | O_CREAT,
		O_RDONLY | O_TRUNC,
	};
	int nseq = env_int("LINMM_DIFF_SEQS", 200);

	(void)state;
	linmm_test_rnd = (u64)env_int("LINMM_DIFF_SEED", 1) * 0x9e3779b97f4a7c15ULL + 1;
	for (int seq = 0; seq < nseq; seq++) {
		struct op ops[24];
		int n = 8 + (int)(next_rand() % 16);

		for (int i = 0; i < n; i++) {
			struct op *o = &ops[i];

			memset(o, 0, sizeof(*o));
			o->kind = (enum op_kind)(next_rand() % NR_OPS);
			if (i < 2)
				o->kind = OP_OPEN;
			o->slot = (int)(next_rand() % NR_SLOTS);
			o->name = (int)(next_rand() % NR_NAMES);
			o->flags = open_flags[next_rand() % ARRAY_SIZE(open_flags)];
			o->len = (long)(next_rand() % MAX_IO);
			if (o->kind == OP_FTRUNCATE && next_rand() % 8 == 0)
				o->len = -1;
			o->off = (long)(next_rand() % 30000);
			if (o->kind == OP_LSEEK) {
				o->whence = (int)(next_rand() % 3);
				o->off -= 15000;
			}
		}
		run_seq(ops, n, 100 + seq);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hand_sequences, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_sequences, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
