// SPDX-License-Identifier: MIT
/*
 * test_file_mmap.c - file mappings, shmem and SysV shm (mm/filemap.c's
 * fault handlers, mm/memory.c's do_fault, mm/interval_tree.c,
 * mm/rmap_file.c, mm/shmem.c, ipc/shm.c).
 *
 * Every case checks the page cache (validate_page_cache: every mapping,
 * its i_mmap tree, shmem), the page tables and VMAs of each task, and the
 * machine after each step.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "../mm_test.h"

#include <linmm/fs.h>
#include <linmm/memory.h>
#include <linmm/mmap.h>
#include <linmm/mmu.h>
#include <linmm/pagemap.h>
#include <linmm/rmap.h>
#include <linmm/sched.h>
#include <linmm/shm.h>
#include <linmm/vmstat.h>

static struct task_struct *p;

static int setup(void **state)
{
	(void)state;
	p = boot_and_spawn("mem=256M", "p");
	return 0;
}

static void check_task(struct task_struct *t)
{
	assert_int_equal(validate_mm(t->mm), 0);
	assert_int_equal(validate_page_tables(t->mm), 0);
	assert_int_equal(validate_file_rmap(t->mm), 0);	/* i_mmap walk == mapcount */
}

static void check(void)
{
	assert_int_equal(validate_page_cache(), 0);
	check_task(p);
	check_machine();
}

static int make_file(const char *path, size_t len, char byte)
{
	static char buf[64 << 10];
	int fd = linmm_open(p, path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_true(len <= sizeof(buf));
	memset(buf, byte, len);
	assert_int_equal(linmm_write(p, fd, buf, len), (long)len);
	assert_int_equal(linmm_fsync(p, fd), 0);
	return fd;
}

/*
 * The i_mmap tree against a brute-force scan: mappings of one file at
 * random offsets and lengths, then munmap and mprotect splits; after each
 * step every query [first, last] finds exactly the VMAs whose page range
 * overlaps it.
 *
 *   file pages  0 ........................ 63
 *   VMAs        [--A--]   [----B----]  [C]      (random, overlapping)
 */
static void test_i_mmap_tree(void **state)
{
	int fd = make_file("/data/t", 64 << 10, 'x');
	struct file *file = fget(p, fd);
	struct address_space *mapping = file->f_mapping;
	unsigned long addrs[24];

	(void)state;
	for (int i = 0; i < 24; i++) {
		unsigned long off = (next_rand() % 16) << PAGE_SHIFT, len = (1 + next_rand() % 8) << PAGE_SHIFT;

		addrs[i] = linmm_mmap(p, 0, len, PROT_READ, MAP_SHARED, fd, off);
		assert_false(IS_ERR_VALUE(addrs[i]));
		if (i % 3 == 2)
			assert_int_equal(linmm_munmap(p, addrs[i - 1] + PAGE_SIZE, PAGE_SIZE), 0);
		if (i % 5 == 4)
			assert_int_equal(linmm_mprotect(p, addrs[i], PAGE_SIZE, PROT_NONE), 0);
		assert_int_equal(validate_i_mmap(mapping), 0);
		for (unsigned long first = 0; first < 26; first += 1 + next_rand() % 3) {
			unsigned long last = first + next_rand() % 6, expect = 0, found = 0;
			struct vm_area_struct *vma;

			mmap_read_lock(p->mm);
			for_each_vma(p->mm, vma)
				if (vma->vm_file && vma->vm_file->f_mapping == mapping &&
				    vma->vm_pgoff <= last && vma->vm_pgoff + vma_pages(vma) - 1 >= first)
					expect++;
			down_read(&mapping->i_mmap_rwsem);
			vma_interval_tree_foreach(vma, &mapping->i_mmap, first, last) {
				assert_true(vma->vm_pgoff <= last);
				assert_true(vma->vm_pgoff + vma_pages(vma) - 1 >= first);
				found++;
			}
			up_read(&mapping->i_mmap_rwsem);
			mmap_read_unlock(p->mm);
			assert_int_equal(found, expect);
		}
		check();
	}
	assert_int_equal(i_mmap_count(mapping), (unsigned long)p->mm->map_count);
	fput(file);
	assert_int_equal(linmm_close(p, fd), 0);
	/* The VMAs hold the file: the tree is intact after the close and empties at exit. */
	check();
}

/*
 * Coherence: a shared mapping and read()/write() see one page cache, in
 * both directions; a private mapping sees the file until it writes, then
 * only its copy.
 */
static void test_coherence(void **state)
{
	int fd = make_file("/data/c", 3 * PAGE_SIZE, 'a');
	unsigned long s = linmm_mmap(p, 0, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	unsigned long q = linmm_mmap(p, 0, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	char b[8];

	(void)state;
	assert_false(IS_ERR_VALUE(s));
	assert_false(IS_ERR_VALUE(q));
	assert_int_equal(linmm_pwrite(p, fd, "WRITE", 5, PAGE_SIZE), 5);
	assert_int_equal(linmm_user_read(p, s + PAGE_SIZE, b, 5), 0);
	assert_memory_equal(b, "WRITE", 5);
	assert_int_equal(linmm_user_read(p, q + PAGE_SIZE, b, 5), 0);
	assert_memory_equal(b, "WRITE", 5);
	assert_int_equal(linmm_user_write(p, s + 2 * PAGE_SIZE, "STORE", 5), 0);
	assert_int_equal(linmm_pread(p, fd, b, 5, 2 * PAGE_SIZE), 5);
	assert_memory_equal(b, "STORE", 5);
	check();
	/* The private copy: the file and the shared mapping keep their data. */
	assert_int_equal(linmm_user_write(p, q, "PRIV", 4), 0);
	assert_int_equal(linmm_pread(p, fd, b, 4, 0), 4);
	assert_memory_equal(b, "aaaa", 4);
	assert_int_equal(linmm_user_read(p, s, b, 4), 0);
	assert_memory_equal(b, "aaaa", 4);
	assert_int_equal(get_mm_counter(p->mm, MM_ANONPAGES), 1);
	/* A later write(2) reaches the shared mapping, not the private copy. */
	assert_int_equal(linmm_pwrite(p, fd, "LATE", 4, 0), 4);
	assert_int_equal(linmm_user_read(p, s, b, 4), 0);
	assert_memory_equal(b, "LATE", 4);
	assert_int_equal(linmm_user_read(p, q, b, 4), 0);
	assert_memory_equal(b, "PRIV", 4);
	check();
	assert_int_equal(linmm_close(p, fd), 0);
}

/* Mapped and dirty accounting; msync cleans and write-protects; truncation SIGBUSes. */
static void test_counters_msync_truncate(void **state)
{
	int fd = make_file("/data/m", 8 * PAGE_SIZE, 'z');
	long mapped0 = node_stat(NR_FILE_MAPPED), dirty0;
	unsigned long a = linmm_mmap(p, 0, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	pte_t pte;

	(void)state;
	assert_int_equal(linmm_touch(p, a, 1, LINMM_ACCESS_READ), 0);
	/* One fault; fault-around mapped the whole cached file. */
	assert_int_equal(p->min_flt, 1);
	assert_int_equal(node_stat(NR_FILE_MAPPED) - mapped0, 8);
	assert_int_equal(get_mm_counter(p->mm, MM_FILEPAGES), 8);
	dirty0 = node_stat(NR_FILE_DIRTY);
	assert_int_equal(linmm_user_write(p, a + PAGE_SIZE, "d", 1), 0);
	assert_int_equal(node_stat(NR_FILE_DIRTY) - dirty0, 1);
	assert_int_equal(follow_pte(p->mm, a + PAGE_SIZE, &pte), 0);
	assert_true(pte_write(pte));
	check();
	assert_int_equal(linmm_msync(p, a, 8 * PAGE_SIZE, MS_SYNC), 0);
	assert_int_equal(node_stat(NR_FILE_DIRTY), dirty0);
	assert_int_equal(follow_pte(p->mm, a + PAGE_SIZE, &pte), 0);
	assert_false(pte_write(pte));
	check();
	/* Truncation to 2.5 pages: pages 3.. unmapped from the mapping; page 2 stays. */
	assert_int_equal(linmm_ftruncate(p, fd, 2 * PAGE_SIZE + 100), 0);
	assert_int_equal(get_mm_counter(p->mm, MM_FILEPAGES), 3);
	assert_int_equal(node_stat(NR_FILE_MAPPED) - mapped0, 3);
	check();
	assert_int_equal(linmm_touch(p, a + 2 * PAGE_SIZE + 200, 1, LINMM_ACCESS_READ), 0);
	assert_int_not_equal(linmm_touch(p, a + 3 * PAGE_SIZE, 1, LINMM_ACCESS_READ), 0);
	assert_int_equal(p->exit_signal_nr, LINMM_SIGBUS);
	assert_int_equal(linmm_close(p, fd), 0);
	linmm_task_exit(p);
	p = linmm_spawn("p2");
	assert_int_equal(node_stat(NR_FILE_MAPPED), mapped0);
	check();
}

/* Shared anonymous memory: shmem pages shared across fork, counted in Shmem and RssShmem. */
static void test_shmem_fork(void **state)
{
	long shmem0 = node_stat(NR_SHMEM);
	unsigned long a = linmm_mmap(p, 0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct task_struct *c;
	char b[8];

	(void)state;
	assert_false(IS_ERR_VALUE(a));
	assert_int_equal(linmm_user_write(p, a, "par", 3), 0);
	c = linmm_fork(p);
	assert_non_null(c);
	assert_int_equal(linmm_user_read(c, a, b, 3), 0);
	assert_memory_equal(b, "par", 3);
	assert_int_equal(linmm_user_write(c, a + PAGE_SIZE, "kid", 3), 0);
	assert_int_equal(linmm_user_read(p, a + PAGE_SIZE, b, 3), 0);
	assert_memory_equal(b, "kid", 3);
	assert_int_equal(node_stat(NR_SHMEM) - shmem0, 2);
	assert_int_equal(get_mm_counter(p->mm, MM_SHMEMPAGES), 2);
	assert_int_equal(get_mm_counter(c->mm, MM_SHMEMPAGES), 2);
	check_task(c);
	check();
	linmm_task_exit(c);
	assert_int_equal(linmm_munmap(p, a, 4 * PAGE_SIZE), 0);
	/* The last mapping went: the object and its pages with it. */
	assert_int_equal(node_stat(NR_SHMEM), shmem0);
	check();
}

/*
 * SysV lifetime: IPC_RMID while attached marks the segment (SHM_DEST, key
 * IPC_PRIVATE); it lives through the attaches, including one inherited by
 * fork, and goes at the last detach.
 */
static void test_shm_rmid_while_attached(void **state)
{
	struct linmm_shmid_ds ds;
	long shmem0 = node_stat(NR_SHMEM);
	int id = linmm_shmget(p, 0x77, 3 * PAGE_SIZE, IPC_CREAT | 0600);
	unsigned long a;
	struct task_struct *c;
	char b[4];

	(void)state;
	assert_true(id >= 0);
	assert_int_equal(linmm_shmget(p, 0x77, PAGE_SIZE, 0), id);
	assert_int_equal(linmm_shmget(p, 0x77, 4 * PAGE_SIZE, 0), -EINVAL);
	assert_int_equal(linmm_shmget(p, 0x77, PAGE_SIZE, IPC_CREAT | IPC_EXCL), -EEXIST);
	assert_int_equal(linmm_shmget(p, 0x78, PAGE_SIZE, 0), -ENOENT);
	assert_int_equal(linmm_shmget(p, IPC_PRIVATE, 0, IPC_CREAT), -EINVAL);
	a = linmm_shmat(p, id, 0, 0);
	assert_false(IS_ERR_VALUE(a));
	assert_int_equal(linmm_user_write(p, a, "abc", 3), 0);
	c = linmm_fork(p);
	assert_non_null(c);
	assert_int_equal(linmm_shmctl(p, id, IPC_STAT, &ds), 0);
	assert_int_equal(ds.shm_nattch, 2);
	assert_int_equal(ds.shm_segsz, 3 * PAGE_SIZE);
	assert_int_equal(linmm_shmctl(p, id, IPC_RMID, NULL), 0);
	assert_int_equal(linmm_shmctl(p, id, IPC_STAT, &ds), 0);
	assert_int_equal(ds.key, IPC_PRIVATE);
	assert_true(ds.mode & SHM_DEST_LINMM);
	assert_int_equal(linmm_shmget(p, 0x77, PAGE_SIZE, 0), -ENOENT);
	assert_int_equal(linmm_shmdt(p, a), 0);
	assert_int_equal(linmm_shmdt(p, a), -EINVAL);
	check();
	/* Still alive for the child. */
	assert_int_equal(linmm_user_read(c, a, b, 3), 0);
	assert_memory_equal(b, "abc", 3);
	assert_int_equal(node_stat(NR_SHMEM) - shmem0, 1);
	check_task(c);
	linmm_task_exit(c);
	assert_int_equal(linmm_shmctl(p, id, IPC_STAT, &ds), -EINVAL);
	assert_int_equal(shm_nr_segments(), 0);
	assert_int_equal(node_stat(NR_SHMEM), shmem0);
	check();
}

/* shmat's checks: SHM_RND, unaligned, SHM_RDONLY write faults, overlapping addresses. */
static void test_shmat_errors(void **state)
{
	int id = linmm_shmget(p, IPC_PRIVATE, PAGE_SIZE, 0600);
	unsigned long a, b;

	(void)state;
	assert_true(id >= 0);
	assert_int_equal((long)linmm_shmat(p, -1, 0, 0), -EINVAL);
	assert_int_equal((long)linmm_shmat(p, id + 1, 0, 0), -EINVAL);
	assert_int_equal((long)linmm_shmat(p, id + (1 << 15), 0, 0), -EINVAL);	/* stale seq */
	a = linmm_shmat(p, id, 0, SHM_RDONLY);
	assert_false(IS_ERR_VALUE(a));
	assert_int_equal((long)linmm_shmat(p, id, a + 1, 0), -EINVAL);
	assert_int_equal((long)linmm_shmat(p, id, a, 0), -EINVAL);	/* in use, no SHM_REMAP */
	assert_int_equal(linmm_shmat(p, id, a + 1, SHM_RND | SHM_REMAP), a);
	assert_int_equal(linmm_user_write(p, a, "w", 1), 0);	/* the remap is writable */
	b = linmm_shmat(p, id, 0, SHM_RDONLY);
	assert_int_not_equal(linmm_user_write(p, b, "w", 1), 0);
	assert_int_equal(p->exit_signal_nr, LINMM_SIGSEGV);
	assert_int_equal(linmm_shmctl(p, id, IPC_RMID, NULL), 0);
	check();
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, linmm_test_shutdown)
	const struct CMUnitTest tests[] = {
		T(test_i_mmap_tree), T(test_coherence), T(test_counters_msync_truncate),
		T(test_shmem_fork), T(test_shm_rmid_while_attached), T(test_shmat_errors),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
