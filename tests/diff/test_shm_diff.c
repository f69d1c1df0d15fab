// SPDX-License-Identifier: MIT
/*
 * test_shm_diff.c - System V shared memory against the host kernel.
 *
 * The same shmget/shmat/shmdt/shmctl steps run on the host and in linmm;
 * after each, the return (an errno; for ids and addresses only success)
 * and the IPC_STAT fields that do not depend on the machine (segsz,
 * nattch, the SHM_DEST bit, the key, cpid == lpid of the caller or not)
 * must agree.  Keys are derived from the host pid so a test run does not
 * meet another's segments; every host segment is removed at the end.
 *
 *   shmget(key, 3 pages, CREAT)   shmat x2, fork-free   RMID while attached
 *   nattch 0 -> 1 -> 2 -> 1        key -> IPC_PRIVATE    last shmdt: gone (EINVAL)
 *
 * Permission errors are not compared: the host test may run as root
 * (CAP_IPC_OWNER passes every check); linmm's tasks never are.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

#include "../linmm_test.h"

#include <linmm/mmap.h>
#include <linmm/mmu.h>
#include <linmm/sched.h>
#include <linmm/shm.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_shm_sequence, setup, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
