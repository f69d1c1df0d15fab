// SPDX-License-Identifier: MIT
/*
 * test_shm_diff.c - System V shared memory against the host kernel.
 *
 * The same shmget/shmat/shmdt/shmctl steps run on the host and in linmm;
 * after each, the return (an errno; for ids and addresses only success)
 * and the IPC_STAT fields that do not depend on the machine (segsz,
 * nattch, the SHM_DEST bit, the key, cpid == lpid of the caller or not)
 * must agree.  Keys are derived from the host pid so a test run does not
 * meet another's segments; every host segment is removed at the end, and
 * the teardown removes any a failure left (those whose cpid is ours).
 *
 *   shmget(key, 3 pages, CREAT)   shmat x2, fork-free   RMID while attached
 *   nattch 0 -> 1 -> 2 -> 1        key -> IPC_PRIVATE    last shmdt: gone (EINVAL)
 *
 * Permission errors are not compared: the host test may run as root
 * (CAP_IPC_OWNER passes every check); linmm's tasks never are.
 *
 * test_shmctl_namespace runs the rest of shmctl(2) on the host in a
 * forked child inside a new IPC namespace (unshare(CLONE_NEWIPC), so
 * root only; skipped otherwise): no other segment is there, the ids are
 * deterministic (cyclic from 0) and compared exactly, and the namespace
 * takes every segment with it when the child exits.  The child records
 * each step's return and fields in a shared page; linmm then runs the
 * same steps.  The child first runs as root (linmm's task gets the same
 * CAP_IPC_LOCK, CAP_IPC_OWNER, CAP_SYS_ADMIN), then drops every
 * capability (as a linmm task at spawn) for the permission and
 * RLIMIT_MEMLOCK errors:
 *
 *   seg0 6 MiB: touch pages 0..767, SHM_LOCK, touch 768..1535, SHM_UNLOCK
 *     Unevictable +0 kB, then +3072 kB, then back; Mlocked +0 throughout
 *     (host deltas within 1/8: per-CPU LRU batches and other processes)
 *   no capabilities, the host's RLIMIT_MEMLOCK (8 MiB by default): lock
 *     1 MiB 0, 96 MiB ENOMEM;
 *     RLIMIT_MEMLOCK 0: EPERM; mode 000: IPC_STAT/SHM_STAT EACCES,
 *     SHM_STAT_ANY the id
 *
 * An flock on /tmp serialises concurrent runs of this test (their meminfo
 * deltas and RLIMIT_MEMLOCK charges would mix).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../linmm_test.h"

#include <linmm/mmap.h>
#include <linmm/mmu.h>
#include <linmm/sched.h>
#include <linmm/shm.h>
#include <linmm/vmstat.h>

static struct task_struct *p;
static int hkey;

static int setup(void **state)
{
	(void)state;
	boot_or_fail("mem=256M");
	p = linmm_spawn("p");
	assert_non_null(p);
	hkey = 0x4c000000 | (getpid() & 0xffffff);
	return 0;
}

/*
 * Teardown: remove every host segment this process created that a failed
 * step left behind (SHM_INFO's highest index, SHM_STAT_ANY by index).
 */
static int teardown(void **state)
{
	struct shm_info info;
	int maxidx = (int)syscall(SYS_shmctl, 0, SHM_INFO, &info);

	for (int i = 0; i <= maxidx; i++) {
		struct shmid_ds ds;
		int id = (int)syscall(SYS_shmctl, i, SHM_STAT_ANY, &ds);

		if (id >= 0 && ds.shm_cpid == getpid())
			syscall(SYS_shmctl, id, IPC_RMID, NULL);
	}
	return linmm_test_shutdown(state);
}

static void check(void)
{
	assert_int_equal(validate_page_cache(), 0);
	assert_int_equal(validate_mm(p->mm), 0);
	assert_int_equal(validate_page_tables(p->mm), 0);
	check_machine();
}

static int h_get(int key, size_t size, int flg)
{
	int r = shmget(key, size, flg);

	return r < 0 ? -errno : r;
}

/* Compare a return: both errors equal, or both successes. */
static void same(const char *what, long h, long l)
{
	if ((h < 0 || l < 0) && h != l)
		fail_msg("%s: host %ld, linmm %ld", what, h, l);
}

static void same_stat(const char *what, int hid, int lid)
{
	struct shmid_ds hds;
	struct linmm_shmid_ds lds;
	int h = shmctl(hid, IPC_STAT, &hds) ? -errno : 0;
	int l = linmm_shmctl(p, lid, IPC_STAT, &lds);

	same(what, h, l);
	if (h || l)
		return;
	if (hds.shm_segsz != lds.shm_segsz || hds.shm_nattch != lds.shm_nattch ||
	    !!(hds.shm_perm.mode & SHM_DEST_LINMM) != !!(lds.mode & SHM_DEST_LINMM) ||
	    (hds.shm_perm.mode & 0777) != (lds.mode & 0777) ||
	    (hds.shm_perm.__key == hkey) != (lds.key == hkey) ||
	    (hds.shm_lpid == getpid()) != (lds.shm_lpid == p->pid))
		fail_msg("%s: host segsz %zu nattch %lu mode %o key %#x, linmm segsz %lu nattch %lu "
			 "mode %o key %#x", what, hds.shm_segsz, (unsigned long)hds.shm_nattch,
			 hds.shm_perm.mode, hds.shm_perm.__key, lds.shm_segsz, lds.shm_nattch, lds.mode,
			 lds.key);
}

static void test_shm_sequence(void **state)
{
	unsigned long sz = 3 * 4096 + 100;
	int hid, lid, hid2, lid2;
	void *ha, *hb;
	unsigned long la, lb;
	char buf[8];

	(void)state;
	shmctl(shmget(hkey, 1, 0), IPC_RMID, NULL);	/* a leftover of a killed run */
	same("get absent", h_get(hkey, sz, 0600), linmm_shmget(p, hkey, sz, 0600));
	same("get size 0", h_get(IPC_PRIVATE, 0, 0600), linmm_shmget(p, IPC_PRIVATE, 0, 0600));
	hid = h_get(hkey, sz, IPC_CREAT | 0600);
	lid = linmm_shmget(p, hkey, sz, IPC_CREAT | 0600);
	same("create", hid, lid);
	assert_true(hid >= 0 && lid >= 0);
	same("create excl", h_get(hkey, sz, IPC_CREAT | IPC_EXCL | 0600),
	     linmm_shmget(p, hkey, sz, IPC_CREAT | IPC_EXCL | 0600));
	same("bigger", h_get(hkey, sz + 4096, 0600), linmm_shmget(p, hkey, sz + 4096, 0600));
	same("smaller", h_get(hkey, 10, 0600), linmm_shmget(p, hkey, 10, 0600));
	same("again", h_get(hkey, sz, IPC_CREAT | 0600), linmm_shmget(p, hkey, sz, IPC_CREAT | 0600));
	same_stat("fresh", hid, lid);

	ha = shmat(hid, NULL, 0);
	la = linmm_shmat(p, lid, 0, 0);
	assert_true(ha != (void *)-1 && !IS_ERR_VALUE(la));
	same("at unaligned", shmat(hid, (char *)ha + 1, 0) == (void *)-1 ? -errno : 0,
	     (long)linmm_shmat(p, lid, la + 1, 0));
	same("at over a mapping", shmat(hid, ha, 0) == (void *)-1 ? -errno : 0,
	     (long)linmm_shmat(p, lid, la, 0));
	same("at bad id", shmat(-1, NULL, 0) == (void *)-1 ? -errno : 0,
	     (long)linmm_shmat(p, -1, 0, 0));
	same("remap without addr", shmat(hid, NULL, SHM_REMAP) == (void *)-1 ? -errno : 0,
	     (long)linmm_shmat(p, lid, 0, SHM_REMAP));
	same_stat("attached once", hid, lid);
	hb = shmat(hid, NULL, SHM_RDONLY);
	lb = linmm_shmat(p, lid, 0, SHM_RDONLY);
	assert_true(hb != (void *)-1 && !IS_ERR_VALUE(lb));
	memcpy(ha, "shared", 6);
	assert_int_equal(linmm_user_write(p, la, "shared", 6), 0);
	assert_int_equal(linmm_user_read(p, lb, buf, 6), 0);
	assert_memory_equal(hb, buf, 6);
	same_stat("attached twice", hid, lid);
	check();

	same("rmid", shmctl(hid, IPC_RMID, NULL) ? -errno : 0, linmm_shmctl(p, lid, IPC_RMID, NULL));
	same_stat("removed, attached", hid, lid);
	/* The key is free again: a new segment. */
	hid2 = h_get(hkey, 4096, IPC_CREAT | 0600);
	lid2 = linmm_shmget(p, hkey, 4096, IPC_CREAT | 0600);
	same("key reused", hid2, lid2);
	assert_true(hid2 != hid && lid2 != lid);
	same("dt unaligned", shmdt((char *)ha + 1) ? -errno : 0, linmm_shmdt(p, la + 1));
	same("dt a", shmdt(ha) ? -errno : 0, linmm_shmdt(p, la));
	same("dt a again", shmdt(ha) ? -errno : 0, linmm_shmdt(p, la));
	same_stat("one left", hid, lid);
	same("dt b", shmdt(hb) ? -errno : 0, linmm_shmdt(p, lb));
	same_stat("destroyed", hid, lid);
	same("rmid gone", shmctl(hid, IPC_RMID, NULL) ? -errno : 0,
	     linmm_shmctl(p, lid, IPC_RMID, NULL));
	same("rmid 2", shmctl(hid2, IPC_RMID, NULL) ? -errno : 0,
	     linmm_shmctl(p, lid2, IPC_RMID, NULL));
	same("stat negative", shmctl(-1, IPC_STAT, NULL) ? -errno : 0,
	     linmm_shmctl(p, -1, IPC_STAT, NULL));
	assert_int_equal(shm_nr_segments(), 0);
	check();
}

/* ---- the rest of shmctl(2), in a private IPC namespace ---- */

enum op_kind { OP_GET, OP_AT, OP_DT, OP_TOUCH, OP_CTL, OP_MEMINFO, OP_NOCAPS, OP_RLIMIT, OP_PROC };

/*
 * One step.  OP_GET: slot @seg = shmget(@key, @arg, @arg2).  OP_TOUCH:
 * write pages [@arg, @arg + @arg2) of the attach.  OP_CTL: shmctl(@cmd)
 * on slot @seg's id, or on the index @arg when @seg < 0; IPC_SET sets
 * mode @arg, uid @arg2, gid @arg3; @nullbuf passes NULL.  OP_RLIMIT:
 * RLIMIT_MEMLOCK = @arg bytes, or with @arg -1 the host's own limit (an
 * unprivileged process cannot raise it; linmm takes the host's value).
 */
struct shm_op {
	enum op_kind kind;
	int seg, cmd;
	long key, arg, arg2, arg3;
	bool nullbuf;
	const char *what;
};

#define F_MAX 8
struct shm_res {
	long ret;
	long f[F_MAX];		/* the fields the step compares (see res_fields()) */
	char text[1024];	/* OP_PROC: /proc/sysvipc/shm */
};

#define SEG_PAGES 1536L		/* 6 MiB */
#define HALF (SEG_PAGES / 2)
#define ROOT_CAPS ((1ULL << CAP_IPC_LOCK) | (1ULL << CAP_IPC_OWNER) | (1ULL << CAP_SYS_ADMIN))

static const struct shm_op ns_ops[] = {
	{ OP_CTL, -1, IPC_INFO, 0, 0, 0, 0, false, "IPC_INFO, empty" },
	{ OP_CTL, -1, SHM_INFO, 0, 0, 0, 0, false, "SHM_INFO, empty" },
	{ OP_CTL, -1, IPC_INFO, 0, -1, 0, 0, false, "IPC_INFO, id -1" },
	{ OP_CTL, -1, IPC_INFO, 0, 0, 0, 0, true, "IPC_INFO, NULL" },
	{ OP_GET, 0, 0, 0x4c5e0000, SEG_PAGES * 4096, IPC_CREAT | 0640, 0, false, "get seg0" },
	{ OP_GET, 1, 0, IPC_PRIVATE, 100, 0600, 0, false, "get seg1" },
	{ OP_CTL, 1, IPC_RMID, 0, 0, 0, 0, false, "rmid seg1" },
	{ OP_GET, 1, 0, IPC_PRIVATE, 3 * 4096, 0600, 0, false, "get seg1 again" },
	{ OP_CTL, -1, SHM_INFO, 0, 0, 0, 0, false, "SHM_INFO, two" },
	{ OP_CTL, -1, SHM_INFO, 0, 0, 0, 0, true, "SHM_INFO, NULL" },
	{ OP_CTL, 0, IPC_SET, 0, 0600, 1234, 99, false, "IPC_SET" },
	{ OP_CTL, 0, IPC_STAT, 0, 0, 0, 0, false, "stat after IPC_SET" },
	{ OP_CTL, 0, IPC_SET, 0, 0600, -1, 0, false, "IPC_SET uid -1" },
	{ OP_CTL, 0, IPC_SET, 0, 0600, 0, -1, false, "IPC_SET gid -1" },
	{ OP_CTL, 0, IPC_SET, 0, 0600, 0, 0, true, "IPC_SET NULL" },
	{ OP_CTL, -1, SHM_STAT, 0, 2, 0, 0, false, "SHM_STAT index 2" },
	{ OP_CTL, -1, SHM_STAT, 0, 2 + (7 << 15), 0, 0, false, "SHM_STAT index 2, high bits" },
	{ OP_CTL, -1, SHM_STAT_ANY, 0, 0, 0, 0, false, "SHM_STAT_ANY index 0" },
	{ OP_CTL, -1, SHM_STAT, 0, 1, 0, 0, false, "SHM_STAT unused index" },
	{ OP_CTL, -1, SHM_STAT, 0, 0, 0, 0, true, "SHM_STAT NULL" },
	{ OP_CTL, -1, 99, 0, 0, 0, 0, false, "bad command" },
	{ OP_CTL, -1, SHM_LOCK, 0, 1, 0, 0, false, "SHM_LOCK unused id" },
	{ OP_AT, 0, 0, 0, 0, 0, 0, false, "attach seg0" },
	{ OP_TOUCH, 0, 0, 0, 0, HALF, 0, false, "touch first half" },
	{ OP_MEMINFO, 0, 0, 0, 0, 0, 0, false, "meminfo before lock" },
	{ OP_CTL, 0, SHM_LOCK, 0, 0, 0, 0, false, "SHM_LOCK" },
	{ OP_CTL, 0, SHM_LOCK, 0, 0, 0, 0, false, "SHM_LOCK again" },
	{ OP_CTL, 0, IPC_STAT, 0, 0, 0, 0, false, "stat locked" },
	{ OP_MEMINFO, 0, 0, 0, 0, 0, 0, false, "meminfo after lock" },
	{ OP_TOUCH, 0, 0, 0, HALF, HALF, 0, false, "touch second half" },
	{ OP_MEMINFO, 0, 0, 0, 0, 0, 0, false, "meminfo after new faults" },
	{ OP_CTL, -1, SHM_INFO, 0, 0, 0, 0, false, "SHM_INFO, resident" },
	{ OP_PROC, 0, 0, 0, 0, 0, 0, false, "/proc/sysvipc/shm locked" },
	{ OP_CTL, 0, SHM_UNLOCK, 0, 0, 0, 0, false, "SHM_UNLOCK" },
	{ OP_CTL, 0, SHM_UNLOCK, 0, 0, 0, 0, false, "SHM_UNLOCK again" },
	{ OP_MEMINFO, 0, 0, 0, 0, 0, 0, false, "meminfo after unlock" },
	{ OP_CTL, 0, SHM_LOCK, 0, 0, 0, 0, false, "SHM_LOCK to remove" },
	{ OP_CTL, 0, IPC_RMID, 0, 0, 0, 0, false, "rmid seg0 attached" },
	{ OP_CTL, 0, IPC_STAT, 0, 0, 0, 0, false, "stat removed, locked" },
	{ OP_PROC, 0, 0, 0, 0, 0, 0, false, "/proc/sysvipc/shm removed" },
	{ OP_DT, 0, 0, 0, 0, 0, 0, false, "detach seg0" },
	{ OP_MEMINFO, 0, 0, 0, 0, 0, 0, false, "meminfo after destroy" },
	{ OP_CTL, 0, IPC_STAT, 0, 0, 0, 0, false, "stat destroyed" },
	{ OP_NOCAPS, 0, 0, 0, 0, 0, 0, false, "drop capabilities" },
	{ OP_RLIMIT, 0, 0, 0, -1, 0, 0, false, "RLIMIT_MEMLOCK as the host's" },
	{ OP_GET, 2, 0, IPC_PRIVATE, 1L << 20, 0600, 0, false, "get 1 MiB" },
	{ OP_GET, 3, 0, IPC_PRIVATE, 96L << 20, 0000, 0, false, "get 96 MiB, mode 000" },
	{ OP_CTL, 2, SHM_LOCK, 0, 0, 0, 0, false, "no caps: lock 1 MiB" },
	{ OP_CTL, 3, SHM_LOCK, 0, 0, 0, 0, false, "no caps: lock 96 MiB" },
	{ OP_CTL, 2, SHM_UNLOCK, 0, 0, 0, 0, false, "no caps: unlock" },
	{ OP_RLIMIT, 0, 0, 0, 0, 0, 0, false, "RLIMIT_MEMLOCK 0" },
	{ OP_CTL, 2, SHM_LOCK, 0, 0, 0, 0, false, "no caps, no limit: lock" },
	{ OP_CTL, 2, SHM_UNLOCK, 0, 0, 0, 0, false, "no caps, no limit: unlock" },
	{ OP_CTL, 3, IPC_STAT, 0, 0, 0, 0, false, "no caps: stat mode 000" },
	{ OP_CTL, -1, SHM_STAT, 0, 4, 0, 0, false, "no caps: SHM_STAT mode 000" },
	{ OP_CTL, -1, SHM_STAT_ANY, 0, 4, 0, 0, false, "no caps: SHM_STAT_ANY mode 000" },
	{ OP_CTL, -1, SHM_STAT, 0, 3, 0, 0, false, "no caps: SHM_STAT mode 600" },
	{ OP_AT, 3, 0, 0, 0, 0, 0, false, "no caps: attach mode 000" },
	{ OP_CTL, 3, IPC_SET, 0, 0400, 0, 0, false, "no caps: IPC_SET as creator" },
	{ OP_CTL, 3, IPC_STAT, 0, 0, 0, 0, false, "no caps: stat mode 0400" },
	{ OP_CTL, 3, IPC_RMID, 0, 0, 0, 0, false, "no caps: rmid" },
	{ OP_CTL, 2, IPC_RMID, 0, 0, 0, 0, false, "no caps: rmid 2" },
	{ OP_CTL, 1, IPC_RMID, 0, 0, 0, 0, false, "rmid seg1" },
	{ OP_CTL, -1, SHM_INFO, 0, 0, 0, 0, false, "SHM_INFO, none" },
};
#define NR_NS_OPS (sizeof(ns_ops) / sizeof(ns_ops[0]))

/* The fields of a shmctl result the comparison looks at. */
static void ds_fields(long *f, unsigned long mode, unsigned long uid, unsigned long gid,
		      unsigned long cuid, unsigned long cgid, unsigned long segsz,
		      unsigned long nattch, long key)
{
	f[0] = (long)mode;
	f[1] = (long)uid;
	f[2] = (long)gid;
	f[3] = (long)cuid;
	f[4] = (long)cgid;
	f[5] = (long)segsz;
	f[6] = (long)nattch;
	f[7] = key;
}

static long host_meminfo(const char *field)
{
	char line[256];
	long v = -1;
	FILE *f;

	f = fopen("/proc/meminfo", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, strlen(field)) && line[strlen(field)] == ':')
			v = atol(line + strlen(field) + 1);
	fclose(f);
	return v;
}

static void host_read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);

	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
}

/* The host child's side of one step. */
static void host_step(const struct shm_op *op, int *ids, char **addrs, struct shm_res *r)
{
	union {
		struct shmid_ds ds;
		struct shminfo si;
		struct shm_info info;
	} u;
	int id = op->seg >= 0 ? ids[op->seg] : (int)op->arg;

	memset(&u, 0, sizeof(u));
	switch (op->kind) {
	case OP_GET:
		r->ret = h_get((int)op->key, (size_t)op->arg, (int)op->arg2);
		ids[op->seg] = (int)r->ret;
		break;
	case OP_AT:
		addrs[op->seg] = shmat(id, NULL, 0);
		r->ret = addrs[op->seg] == (void *)-1 ? -errno : 0;
		break;
	case OP_DT:
		r->ret = shmdt(addrs[op->seg]) ? -errno : 0;
		break;
	case OP_TOUCH:
		for (long i = op->arg; i < op->arg + op->arg2; i++)
			addrs[op->seg][i * 4096] = 1;
		break;
	case OP_MEMINFO: {
		/* Fold the per-CPU vmstat deltas first. */
		int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY);

		if (fd >= 0) {
			if (write(fd, "1", 1) < 0)
				r->f[7] = errno;
			close(fd);
		}
		r->f[0] = host_meminfo("Unevictable");
		r->f[1] = host_meminfo("Mlocked");
		r->f[2] = host_meminfo("Shmem");
		break;
	}
	case OP_NOCAPS: {
		struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct data[2];

		r->ret = syscall(SYS_capget, &hdr, data) ? -errno : 0;
		data[0].effective = data[1].effective = 0;
		if (!r->ret)
			r->ret = syscall(SYS_capset, &hdr, data) ? -errno : 0;
		break;
	}
	case OP_RLIMIT: {
		struct rlimit rl = { (rlim_t)op->arg, (rlim_t)op->arg };

		if (op->arg < 0) {
			r->ret = getrlimit(RLIMIT_MEMLOCK, &rl) ? -errno : 0;
			r->f[0] = rl.rlim_cur == RLIM_INFINITY ? -1 : (long)rl.rlim_cur;
		} else {
			r->ret = setrlimit(RLIMIT_MEMLOCK, &rl) ? -errno : 0;
		}
		break;
	}
	case OP_PROC:
		host_read_text("/proc/sysvipc/shm", r->text, sizeof(r->text));
		break;
	case OP_CTL:
		if (op->cmd == IPC_SET) {
			u.ds.shm_perm.mode = (unsigned short)op->arg;
			u.ds.shm_perm.uid = (uid_t)op->arg2;
			u.ds.shm_perm.gid = (gid_t)op->arg3;
		}
		r->ret = syscall(SYS_shmctl, id, op->cmd, op->nullbuf ? NULL : &u);
		if (r->ret < 0)
			r->ret = -errno;
		if (r->ret < 0 || op->nullbuf)
			break;
		if (op->cmd == IPC_STAT || op->cmd == SHM_STAT || op->cmd == SHM_STAT_ANY)
			ds_fields(r->f, u.ds.shm_perm.mode, u.ds.shm_perm.uid, u.ds.shm_perm.gid,
				  u.ds.shm_perm.cuid, u.ds.shm_perm.cgid, u.ds.shm_segsz,
				  u.ds.shm_nattch, u.ds.shm_perm.__key);
		else if (op->cmd == IPC_INFO)
			ds_fields(r->f, u.si.shmmax, u.si.shmmin, u.si.shmmni, u.si.shmseg,
				  u.si.shmall, 0, 0, 0);
		else if (op->cmd == SHM_INFO)
			ds_fields(r->f, (unsigned long)u.info.used_ids, u.info.shm_tot,
				  u.info.shm_rss, u.info.shm_swp, u.info.swap_attempts,
				  u.info.swap_successes, 0, 0);
		break;
	}
}

/*
 * The host child: a new IPC namespace, every step, _exit().  res[0]: ret
 * the -errno of unshare(), f[0] the effective capabilities it started with.
 */
static void host_child(struct shm_res *res)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = { { 0 } };
	int ids[4] = { -1, -1, -1, -1 };
	char *addrs[4] = { 0 };

	if (!syscall(SYS_capget, &hdr, data))
		res[0].f[0] = (long)(data[0].effective | (u64)data[1].effective << 32);
	res[0].ret = unshare(CLONE_NEWIPC) ? -errno : 0;
	if (res[0].ret)
		_exit(0);
	for (size_t i = 0; i < NR_NS_OPS; i++)
		host_step(&ns_ops[i], ids, addrs, &res[i + 1]);
	_exit(0);
}

static void linmm_step(const struct shm_op *op, const struct shm_res *host, int *ids,
		       unsigned long *addrs, struct shm_res *r)
{
	union {
		struct linmm_shmid_ds ds;
		struct linmm_shminfo si;
		struct linmm_shm_info info;
	} u;
	int id = op->seg >= 0 ? ids[op->seg] : (int)op->arg;

	memset(&u, 0, sizeof(u));
	switch (op->kind) {
	case OP_GET:
		r->ret = linmm_shmget(p, (int)op->key, (size_t)op->arg, (int)op->arg2);
		ids[op->seg] = (int)r->ret;
		break;
	case OP_AT:
		addrs[op->seg] = linmm_shmat(p, id, 0, 0);
		r->ret = IS_ERR_VALUE(addrs[op->seg]) ? (long)addrs[op->seg] : 0;
		break;
	case OP_DT:
		r->ret = linmm_shmdt(p, addrs[op->seg]);
		break;
	case OP_TOUCH:
		for (long i = op->arg; i < op->arg + op->arg2; i++)
			assert_int_equal(linmm_user_write(p, addrs[op->seg] + i * PAGE_SIZE, "", 1),
					 0);
		break;
	case OP_MEMINFO:
		refresh_vm_stats();
		r->f[0] = global_node_page_state(NR_UNEVICTABLE) * (PAGE_SIZE / 1024);
		r->f[1] = global_zone_page_state(NR_MLOCK) * (PAGE_SIZE / 1024);
		r->f[2] = global_node_page_state(NR_SHMEM) * (PAGE_SIZE / 1024);
		break;
	case OP_NOCAPS:
		p->cap_effective = 0;
		break;
	case OP_RLIMIT:
		p->rlim_memlock = (unsigned long)(op->arg < 0 ? host->f[0] : op->arg);
		r->f[0] = host->f[0];
		break;
	case OP_PROC: {
		char *text = linmm_proc_read("/proc/sysvipc/shm");

		assert_non_null(text);
		snprintf(r->text, sizeof(r->text), "%s", text);
		free(text);
		break;
	}
	case OP_CTL:
		if (op->cmd == IPC_SET) {
			u.ds.mode = (unsigned int)op->arg;
			u.ds.uid = (unsigned int)op->arg2;
			u.ds.gid = (unsigned int)op->arg3;
		}
		r->ret = linmm_shmctl(p, id, op->cmd, op->nullbuf ? NULL : &u);
		if (r->ret < 0 || op->nullbuf)
			break;
		if (op->cmd == IPC_STAT || op->cmd == SHM_STAT || op->cmd == SHM_STAT_ANY)
			ds_fields(r->f, u.ds.mode, u.ds.uid, u.ds.gid, u.ds.cuid, u.ds.cgid,
				  u.ds.shm_segsz, u.ds.shm_nattch, u.ds.key);
		else if (op->cmd == IPC_INFO)
			ds_fields(r->f, u.si.shmmax, u.si.shmmin, u.si.shmmni, u.si.shmseg,
				  u.si.shmall, 0, 0, 0);
		else if (op->cmd == SHM_INFO)
			ds_fields(r->f, (unsigned long)u.info.used_ids, u.info.shm_tot,
				  u.info.shm_rss, u.info.shm_swp, u.info.swap_attempts,
				  u.info.swap_successes, 0, 0);
		break;
	}
	check();
}

/* The 16 numeric columns of a /proc/sysvipc/shm line (perms in octal).  The count read. */
static int sysvipc_columns(const char *line, unsigned long *v)
{
	char *end;
	int n;

	for (n = 0; n < 16; n++, line = end) {
		v[n] = strtoul(line, &end, n == 2 ? 8 : 10);
		if (end == line)
			break;
	}
	return n;
}

/*
 * /proc/sysvipc/shm: the header exactly; per segment every column but
 * cpid, lpid and the three times (pids and clocks differ), and the
 * line's width.
 */
static void same_sysvipc(const char *what, const char *h, const char *l)
{
	const char *hn = strchr(h, '\n'), *ln = strchr(l, '\n');

	assert_non_null(hn);
	assert_non_null(ln);
	if (hn - h != ln - l || memcmp(h, l, (size_t)(hn - h)))
		fail_msg("%s: header\nhost  %s\nlinmm %s", what, h, l);
	for (h = hn + 1, l = ln + 1; *h || *l; h = hn + 1, l = ln + 1) {
		unsigned long hv[16], lv[16];

		hn = strchr(h, '\n');
		ln = strchr(l, '\n');
		if (!hn || !ln || sysvipc_columns(h, hv) != 16 || sysvipc_columns(l, lv) != 16 ||
		    hn - h != ln - l)
			fail_msg("%s: lines differ in shape\nhost  %s\nlinmm %s", what, h, l);
		/* key shmid perms size [cpid lpid] nattch uid gid cuid cgid [times] rss swap */
		for (int c = 0; c < 16; c++)
			if (c != 4 && c != 5 && (c < 11 || c > 13) && hv[c] != lv[c])
				fail_msg("%s: column %d: host %lu, linmm %lu\nhost  %s\nlinmm %s",
					 what, c, hv[c], lv[c], h, l);
	}
}

/* Host deltas may differ from linmm's exact ones by 1/8 of the segment's touched half. */
#define MEMINFO_SLACK_KB (HALF * 4 / 8)

/* Unevictable and Mlocked changed alike since the last snapshot (the first: nothing to compare). */
static void same_meminfo_delta(const char *what, const struct shm_res *h, const struct shm_res *l,
			       struct shm_res *prev_h, struct shm_res *prev_l)
{
	static const char *const names[] = { "Unevictable", "Mlocked" };

	for (int f = 0; f < 2 && (prev_h->f[2] || prev_l->f[2]); f++) {
		long hd = h->f[f] - prev_h->f[f], ld = l->f[f] - prev_l->f[f];

		if (labs(hd - ld) > MEMINFO_SLACK_KB)
			fail_msg("%s: %s changed by %ld kB on the host, %ld kB in linmm", what,
				 names[f], hd, ld);
	}
	*prev_h = *h;
	*prev_l = *l;
}

static void same_fields(const char *what, const struct shm_res *h, const struct shm_res *l)
{
	for (int f = 0; f < F_MAX; f++)
		if (h->f[f] != l->f[f])
			fail_msg("%s: field %d: host %ld (%#lo), linmm %ld (%#lo)", what, f, h->f[f],
				 h->f[f], l->f[f], l->f[f]);
}

static void test_shmctl_namespace(void **state)
{
	struct shm_res *hres, lres = { 0 }, prev_h = { 0 }, prev_l = { 0 };
	int ids[4] = { -1, -1, -1, -1 }, status, lockfd;
	unsigned long addrs[4] = { 0 };
	pid_t pid;

	(void)state;
	if (geteuid() != 0)
		skip();
	hres = mmap(NULL, (NR_NS_OPS + 1) * sizeof(*hres), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(hres != MAP_FAILED);
	lockfd = open("/tmp/linmm-test_shm_diff.lock", O_RDWR | O_CREAT, 0600);
	assert_true(lockfd >= 0);
	assert_int_equal(flock(lockfd, LOCK_EX), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid)
		host_child(hres);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	flock(lockfd, LOCK_UN);
	close(lockfd);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (hres[0].ret) {
		munmap(hres, (NR_NS_OPS + 1) * sizeof(*hres));
		skip();		/* no CLONE_NEWIPC here */
	}

	/* The host child starts as root: linmm's task gets the capabilities linmm checks. */
	p->cap_effective = (u64)hres[0].f[0] & ROOT_CAPS;
	for (size_t i = 0; i < NR_NS_OPS; i++) {
		const struct shm_op *op = &ns_ops[i];
		struct shm_res *h = &hres[i + 1];

		memset(&lres, 0, sizeof(lres));
		linmm_step(op, h, ids, addrs, &lres);
		if (h->ret != lres.ret)
			fail_msg("%s: host %ld, linmm %ld", op->what, h->ret, lres.ret);
		if (op->kind == OP_PROC)
			same_sysvipc(op->what, h->text, lres.text);
		else if (op->kind == OP_MEMINFO)
			same_meminfo_delta(op->what, h, &lres, &prev_h, &prev_l);
		else
			same_fields(op->what, h, &lres);
	}
	munmap(hres, (NR_NS_OPS + 1) * sizeof(*hres));
	assert_int_equal(shm_nr_segments(), 0);
	assert_int_equal(user_shm_locked_pages(), 0);
	check();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_shm_sequence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shmctl_namespace, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
