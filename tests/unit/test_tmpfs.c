// SPDX-License-Identifier: MIT
/*
 * test_tmpfs.c - named tmpfs files on /dev/shm (mm/shmem.c, mm/tmpfs.c,
 * fs/namespace.c): holes, lifetimes, size= and nr_inodes= limits, the
 * path rules of the flat directory, and what drop_caches and sync leave.
 *
 *   /dev/shm/f:  [p0][  ][  ][  ][  ][p5]     read of 1..4: zeros, no page
 *   unlink while mapped: the pages live until the last munmap
 *   size=3 pages: write(4 pages) = 3 pages, then ENOSPC; a fault: SIGBUS
 */
#include <errno.h>

#include "../linmm_test.h"

#include <linmm/fs.h>
#include <linmm/mmap.h>
#include <linmm/mmu.h>
#include <linmm/sched.h>
#include <linmm/shmem_fs.h>
#include <linmm/vmstat.h>

#define P 4096L

static struct task_struct *p;

static int setup(void **state)
{
	(void)state;
	boot_or_fail("mem=256M");
	p = linmm_spawn("p");
	return p ? 0 : -1;
}

static void check(void)
{
	assert_int_equal(validate_page_cache(), 0);
	if (p->mm) {
		assert_int_equal(validate_mm(p->mm), 0);
		assert_int_equal(validate_page_tables(p->mm), 0);
	}
	check_machine();
}

static long nr_shmem(void)
{
	refresh_vm_stats();
	return global_node_page_state(NR_SHMEM);
}

static unsigned long st_blocks(int fd)
{
	struct linmm_stat st;

	assert_int_equal(linmm_fstat(p, fd, &st), 0);
	return st.st_blocks;
}

/* A hole reads as zeros and allocates nothing; write allocates exactly its pages. */
static void test_holes(void **state)
{
	int fd = linmm_open(p, "/dev/shm/f", O_RDWR | O_CREAT | O_EXCL, 0600);
	char buf[4 * P];
	struct linmm_stat st;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(linmm_write(p, fd, "head", 4), 4);
	assert_int_equal(linmm_pwrite(p, fd, "tail", 4, 5 * P), 4);
	assert_int_equal(linmm_fstat(p, fd, &st), 0);
	assert_int_equal(st.st_size, 5 * P + 4);
	assert_int_equal(st.st_blocks, 16);
	assert_int_equal(st.st_nlink, 1);
	assert_int_equal(st.st_ino, 2);		/* the root is 1 */
	assert_int_equal(nr_shmem(), 2);
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(linmm_pread(p, fd, buf, sizeof(buf), P), sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(st_blocks(fd), 16);	/* reading holes allocated nothing */
	assert_int_equal(nr_shmem(), 2);
	assert_int_equal(linmm_pread(p, fd, buf, 10, 5 * P), 4);
	assert_memory_equal(buf, "tail", 4);
	assert_int_equal(linmm_pread(p, fd, buf, 10, 6 * P), 0);
	assert_int_equal(linmm_lseek(p, fd, 0, SEEK_END), 5 * P + 4);
	assert_int_equal(linmm_fsync(p, fd), 0);
	check();
	/* Growing is sparse; shrinking frees the pages beyond and zeroes the EOF page's tail. */
	assert_int_equal(linmm_ftruncate(p, fd, 100 * P), 0);
	assert_int_equal(st_blocks(fd), 16);
	assert_int_equal(linmm_ftruncate(p, fd, 2), 0);
	assert_int_equal(st_blocks(fd), 8);
	assert_int_equal(nr_shmem(), 1);
	assert_int_equal(linmm_ftruncate(p, fd, 4), 0);
	assert_int_equal(linmm_pread(p, fd, buf, 10, 0), 4);
	assert_memory_equal(buf, "he\0\0", 4);
	check();
	assert_int_equal(linmm_close(p, fd), 0);
	assert_int_equal(linmm_unlink(p, "/dev/shm/f"), 0);
	assert_int_equal(nr_shmem(), 0);
	check();
}

static bool maps_has(struct task_struct *tsk, const char *text)
{
	char path[64], *maps;
	bool found;

	snprintf(path, sizeof(path), "/proc/%d/maps", tsk->pid);
	maps = linmm_proc_read(path);
	found = maps && strstr(maps, text);
	free(maps);
	return found;
}

/*
 * Unlink while mapped by a task and its fork: the name goes, the data
 * stays for both; the last munmap frees the pages and the inode.
 *
 *   p: m = MAP_SHARED [0..2]    c (fork): the same pages
 */
static void test_unlink_while_mapped(void **state)
{
	int fd = linmm_open(p, "/dev/shm/seg", O_RDWR | O_CREAT, 0644);
	struct linmm_statfs before, after;
	struct task_struct *c;
	unsigned long m;
	char b[8];

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(shmem_statfs(&before), 0);
	assert_int_equal(linmm_ftruncate(p, fd, 3 * P), 0);
	m = linmm_mmap(p, 0, 3 * P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_false(IS_ERR_VALUE(m));
	assert_int_equal(linmm_user_write(p, m + P, "shared", 6), 0);
	assert_int_equal(st_blocks(fd), 8);	/* the fault allocated one page */
	c = linmm_fork(p);
	assert_non_null(c);
	assert_int_equal(linmm_close(p, fd), 0);
	assert_int_equal(linmm_unlink(p, "/dev/shm/seg"), 0);
	assert_int_equal(linmm_open(p, "/dev/shm/seg", O_RDONLY, 0), -ENOENT);
	assert_true(maps_has(p, " 00:1a 2 "));
	assert_true(maps_has(c, "/dev/shm/seg (deleted)"));
	assert_int_equal(linmm_user_read(c, m + P, b, 6), 0);
	assert_memory_equal(b, "shared", 6);
	assert_int_equal(linmm_user_write(c, m + 2 * P, "child", 5), 0);
	assert_int_equal(linmm_user_read(p, m + 2 * P, b, 5), 0);
	assert_memory_equal(b, "child", 5);
	assert_int_equal(nr_shmem(), 2);
	check();
	linmm_task_exit(c);
	assert_int_equal(nr_shmem(), 2);	/* p still maps them */
	assert_int_equal(linmm_munmap(p, m, 3 * P), 0);
	assert_int_equal(nr_shmem(), 0);
	assert_int_equal(shmem_statfs(&after), 0);
	assert_int_equal(after.f_ffree, before.f_ffree + 1);	/* the inode went too */
	assert_int_equal(after.f_bfree, after.f_blocks);
	check();
}

/* size=: a write stops at the limit (short, then ENOSPC); a fault needing a page is SIGBUS. */
static void test_enospc(void **state)
{
	static char buf[4 * P];
	int fd = linmm_open(p, "/dev/shm/big", O_RDWR | O_CREAT, 0644);
	struct task_struct *c;
	unsigned long m;
	char b;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(shmem_reconfigure(3 * P), 0);
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(linmm_write(p, fd, buf, sizeof(buf)), 3 * P);
	assert_int_equal(linmm_write(p, fd, buf, 1), -ENOSPC);
	assert_int_equal(linmm_pwrite(p, fd, buf, 1, 0), 1);	/* an allocated page takes no block */
	assert_int_equal(st_blocks(fd), 24);
	assert_int_equal(shmem_reconfigure(2 * P), -EINVAL);	/* below what the files hold */
	check();
	assert_int_equal(linmm_ftruncate(p, fd, 5 * P), 0);
	m = linmm_mmap(p, 0, 5 * P, PROT_READ, MAP_SHARED, fd, 0);
	assert_false(IS_ERR_VALUE(m));
	assert_int_equal(linmm_user_read(p, m + 2 * P, &b, 1), 0);
	assert_int_equal(b, 'x');
	c = linmm_fork(p);
	assert_non_null(c);
	assert_int_equal(linmm_user_read(c, m + 3 * P, &b, 1), -EFAULT);	/* a hole, no block */
	assert_int_equal(c->exit_signal_nr, LINMM_SIGBUS);
	linmm_task_exit(c);
	check();
	/* Truncation gives the blocks back. */
	assert_int_equal(linmm_ftruncate(p, fd, P), 0);
	assert_int_equal(linmm_pwrite(p, fd, buf, 2 * P, 3 * P), 2 * P);
	assert_int_equal(st_blocks(fd), 24);
	assert_int_equal(linmm_munmap(p, m, 5 * P), 0);
	assert_int_equal(shmem_reconfigure(0), 0);		/* unlimited */
	assert_int_equal(shmem_reconfigure(100 * P), -EINVAL);	/* no limiting afterwards */
	assert_int_equal(linmm_write(p, fd, buf, sizeof(buf)), sizeof(buf));
	assert_int_equal(linmm_close(p, fd), 0);
	check();
}

/* The kernel's defaults: size= half of RAM, nr_inodes= min(lowmem, RAM / 2); then running out of inodes. */
static void test_limits(void **state)
{
	struct super_block *sb = shmem_get_sb();
	struct shmem_sb_info *sbinfo;
	struct linmm_statfs st;
	int fd;

	(void)state;
	assert_non_null(sb);
	sbinfo = SHMEM_SB(sb);
	assert_int_equal(shmem_statfs(&st), 0);
	assert_int_equal(st.f_bsize, P);
	assert_int_equal(st.f_blocks, totalram_pages() / 2);
	assert_int_equal(st.f_files, min(totalram_pages() - totalhigh_pages_count,
					 totalram_pages() / 2));
	assert_int_equal(st.f_ffree, st.f_files - 1);	/* the root */
	/* Leave room for one more inode (as nr_inodes=2 would). */
	sbinfo->max_inodes = 2;
	sbinfo->free_ispace = BOGO_INODE_SIZE;
	fd = linmm_open(p, "/dev/shm/one", O_RDWR | O_CREAT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(linmm_open(p, "/dev/shm/two", O_RDWR | O_CREAT, 0644), -ENOSPC);
	check();
	assert_int_equal(linmm_unlink(p, "/dev/shm/one"), 0);
	assert_int_equal(linmm_open(p, "/dev/shm/two", O_RDWR | O_CREAT, 0644), -ENOSPC);
	assert_int_equal(linmm_close(p, fd), 0);	/* now the inode goes */
	fd = linmm_open(p, "/dev/shm/two", O_RDWR | O_CREAT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(linmm_close(p, fd), 0);
	check();
}

/* The flat directory's path rules, as Linux answers them for /dev/shm. */
static void test_paths(void **state)
{
	int fd = linmm_open(p, "/dev/shm//x", O_RDWR | O_CREAT, 0644), dir;
	unsigned long m;
	char b[4];

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(linmm_open(p, "/dev/shm/a/b", O_RDWR | O_CREAT, 0644), -ENOENT);
	assert_int_equal(linmm_open(p, "/dev/shm/y/", O_RDWR | O_CREAT, 0644), -EISDIR);
	assert_int_equal(linmm_open(p, "/dev/shm/x/", O_RDONLY, 0), -ENOTDIR);
	assert_int_equal(linmm_open(p, "/dev/shm/x/z", O_RDWR | O_CREAT, 0644), -ENOTDIR);
	assert_int_equal(linmm_unlink(p, "/dev/shm/x/"), -ENOTDIR);
	assert_int_equal(linmm_unlink(p, "/dev/shm/nope"), -ENOENT);
	assert_int_equal(linmm_unlink(p, "/dev/shm"), -EISDIR);
	assert_int_equal(linmm_open(p, "/dev/shm", O_RDWR, 0), -EISDIR);
	dir = linmm_open(p, "/dev/shm/", O_RDONLY | O_DIRECTORY, 0);
	assert_true(dir >= 0);
	assert_int_equal(linmm_read(p, dir, b, 1), -EISDIR);
	assert_int_equal(linmm_close(p, dir), 0);
	m = linmm_mmap(p, 0, P, PROT_READ, MAP_SHARED, fd, 0);
	assert_false(IS_ERR_VALUE(m));
	assert_true(maps_has(p, " 00:1a 2                          /dev/shm/x\n"));
	/* "/dev/shmx" is not below the mount: a linmmfs file (ram0, 01:00). */
	assert_int_equal(linmm_close(p, fd), 0);
	fd = linmm_open(p, "/dev/shmx", O_RDWR | O_CREAT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(linmm_write(p, fd, "disk", 4), 4);
	m = linmm_mmap(p, 0, P, PROT_READ, MAP_SHARED, fd, 0);
	assert_false(IS_ERR_VALUE(m));
	assert_true(maps_has(p, " 01:00 2 "));
	assert_int_equal(linmm_close(p, fd), 0);
	check();
}

/* drop_caches cannot drop tmpfs pages (they are its data) and sync writes none of them. */
static void test_drop_caches_and_sync(void **state)
{
	int fd = linmm_open(p, "/dev/shm/keep", O_RDWR | O_CREAT, 0644);
	char b[5];

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(linmm_write(p, fd, "kept!", 5), 5);
	linmm_sync();
	assert_int_equal(linmm_sysctl_write("vm.drop_caches", "3"), 0);
	assert_int_equal(nr_shmem(), 1);
	assert_int_equal(linmm_pread(p, fd, b, 5, 0), 5);
	assert_memory_equal(b, "kept!", 5);
	refresh_vm_stats();
	assert_int_equal(global_node_page_state(NR_FILE_DIRTY), 0);
	assert_int_equal(global_node_page_state(NR_WRITEBACK), 0);
	assert_int_equal(linmm_close(p, fd), 0);
	check();
}

/* MAP_PRIVATE: a store copies; a read fault of a hole allocates the shmem page, as the kernel. */
static void test_private_cow(void **state)
{
	int fd = linmm_open(p, "/dev/shm/cow", O_RDWR | O_CREAT, 0644);
	unsigned long m;
	char b[4];

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(linmm_write(p, fd, "file", 4), 4);
	assert_int_equal(linmm_ftruncate(p, fd, 2 * P), 0);
	m = linmm_mmap(p, 0, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	assert_false(IS_ERR_VALUE(m));
	assert_int_equal(linmm_user_write(p, m, "priv", 4), 0);
	assert_int_equal(linmm_pread(p, fd, b, 4, 0), 4);
	assert_memory_equal(b, "file", 4);
	assert_int_equal(linmm_user_read(p, m + P, b, 4), 0);
	assert_int_equal(st_blocks(fd), 16);
	assert_int_equal(linmm_pwrite(p, fd, "new!", 4, P), 4);
	assert_int_equal(linmm_user_read(p, m + P, b, 4), 0);
	assert_memory_equal(b, "new!", 4);	/* not copied yet: sees the file */
	check();
	assert_int_equal(linmm_munmap(p, m, 2 * P), 0);
	assert_int_equal(linmm_close(p, fd), 0);
	check();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_holes, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_unlink_while_mapped, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_enospc, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_limits, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_paths, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_drop_caches_and_sync, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_private_cow, setup, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
