// SPDX-License-Identifier: MIT
/*
 * test_smaps_diff.c - /proc/PID/smaps and the overcommit heuristic against
 * the host kernel.
 *
 * 1. VmFlags: a few mmap/mprotect cases run in a forked host child inside a
 *    window at a fixed address and in a linmm task at the same addresses;
 *    each VMA's maps line and VmFlags line must agree.  The host is asked
 *    whether its kernel shows "sd" (CONFIG_MEM_SOFT_DIRTY): linmm always
 *    tracks soft-dirty VMAs, so "sd" is dropped from linmm's line when the
 *    host has none.  Pictures (one character per page from the window):
 *
 *      AAAA.BBBB.CCCC.DDDD.EEEE.FFFF.GGGG.HHHH.IIII
 *      A rw-p   B r--p   C rw-s   D rwxp   E rw-p -> r--p (uncharged)
 *      F r--p -> rw-p (charged)   G rw-p MAP_NORESERVE   H ---p
 *      I rw-p MAP_GROWSDOWN
 *
 * 2. Field names: every smaps field of the host's first VMA, in order,
 *    against linmm's (the values differ: nothing is resident in linmm yet).
 *
 * 3. vm.overcommit_memory = 0 on the host: one private writable mapping of
 *    MemTotal + SwapTotal is allowed and one page more is refused, the rule
 *    linmm's __vm_enough_memory() applies (skipped in other modes or under
 *    an RLIMIT_AS).
 *
 * The child disables THP and never touches the memory.
 */
#define _GNU_SOURCE
#include "../linmm_test.h"

#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/sched.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host_syscalls.h"

#define P 4096UL
#define WINDOW 0x310000000000UL
#define NCASES 9
#define LINE_LEN 200
#define MAX_FIELDS 40
#define BUF_SIZE (1 << 20)

struct vma_lines {
	char header[LINE_LEN];
	char flags[LINE_LEN];
};

struct host_result {
	bool busy;
	int nvmas;
	struct vma_lines vmas[NCASES];
	int nfields;
	char fields[MAX_FIELDS][32];
};

static struct host_result *host;
static char buf[BUF_SIZE];

static const struct {
	unsigned long prot, flags, new_prot;	/* new_prot: mprotect afterwards, or ~0 */
} cases[NCASES] = {
	{ PROT_READ | PROT_WRITE, MAP_PRIVATE, ~0UL },
	{ PROT_READ, MAP_PRIVATE, ~0UL },
	{ PROT_READ | PROT_WRITE, MAP_SHARED, ~0UL },
	{ PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE, ~0UL },
	{ PROT_READ | PROT_WRITE, MAP_PRIVATE, PROT_READ },
	{ PROT_READ, MAP_PRIVATE, PROT_READ | PROT_WRITE },
	{ PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE, ~0UL },
	{ PROT_NONE, MAP_PRIVATE, ~0UL },
	{ PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_GROWSDOWN, ~0UL },
};

static unsigned long case_addr(int i)
{
	return WINDOW + (unsigned long)i * 5 * P;
}

/*
 * Parse smaps text: the header and VmFlags line of each VMA inside the
 * window, and (if @fields) the field names of the first VMA of all.
 */
static void parse_smaps(const char *text, struct vma_lines *out, int *nvmas,
			char (*fields)[32], int *nfields)
{
	const char *line = text;
	bool in_window = false, first = true;

	*nvmas = 0;
	if (nfields)
		*nfields = 0;
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		const char *colon = memchr(line, ':', len);
		bool header = colon && memchr(line, '-', len) &&
			      (size_t)(memchr(line, '-', len) - (const void *)line) < (size_t)(colon - line);

		if (len >= LINE_LEN)
			len = LINE_LEN - 1;
		if (header && strchr(line, ' ') < colon) {
			unsigned long start = strtoul(line, NULL, 16);

			if (nfields && *nfields)
				first = false;
			in_window = start >= WINDOW && start < WINDOW + NCASES * 5 * P &&
				    *nvmas < NCASES;
			if (in_window) {
				memcpy(out[*nvmas].header, line, len);
				out[*nvmas].header[len] = '\0';
			}
		} else if (colon) {
			if (nfields && first && *nfields < MAX_FIELDS &&
			    (size_t)(colon - line) < sizeof(fields[0])) {
				memcpy(fields[*nfields], line, (size_t)(colon - line));
				fields[*nfields][colon - line] = '\0';
				(*nfields)++;
			}
			if (in_window && !strncmp(line, "VmFlags:", 8)) {
				memcpy(out[*nvmas].flags, line, len);
				out[*nvmas].flags[len] = '\0';
				(*nvmas)++;
				in_window = false;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
}

static void host_child(void)
{
	int fd;
	size_t n = 0;
	ssize_t r;

	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	for (int i = 0; i < NCASES; i++) {
		void *p = mmap((void *)case_addr(i), 4 * P, (int)cases[i].prot,
			       (int)(cases[i].flags | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE), -1, 0);

		if (p != (void *)case_addr(i)) {
			host->busy = true;
			_exit(0);
		}
		if (cases[i].new_prot != ~0UL && mprotect(p, 4 * P, (int)cases[i].new_prot))
			_exit(3);
	}
	fd = open("/proc/self/smaps", O_RDONLY);
	if (fd < 0)
		_exit(4);
	while ((r = read(fd, buf + n, BUF_SIZE - 1 - n)) > 0)
		n += (size_t)r;
	close(fd);
	buf[n] = '\0';
	parse_smaps(buf, host->vmas, &host->nvmas, host->fields, &host->nfields);
	_exit(0);
}

static int setup(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	host = mmap(NULL, sizeof(*host), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		    -1, 0);
	if (host == MAP_FAILED)
		return -1;
	memset(host, 0, sizeof(*host));
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		host_child();
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	return linmm_boot("mem=256M");
}

static int teardown(void **state)
{
	(void)state;
	linmm_shutdown();
	munmap(host, sizeof(*host));
	return 0;
}

/* Run the cases in linmm; its smaps parsed like the host's. */
static void linmm_smaps(struct vma_lines *vmas, int *nvmas, char (*fields)[32], int *nfields)
{
	struct task_struct *tsk = linmm_spawn("diff");
	char path[32], *text;

	assert_non_null(tsk);
	for (int i = 0; i < NCASES; i++) {
		unsigned long a = linmm_mmap(tsk, case_addr(i), 4 * P, cases[i].prot,
					     cases[i].flags | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
					     -1, 0);

		assert_int_equal(a, case_addr(i));
		if (cases[i].new_prot != ~0UL)
			assert_int_equal(linmm_mprotect(tsk, a, 4 * P, cases[i].new_prot), 0);
		assert_int_equal(validate_mm(tsk->mm), 0);
	}
	snprintf(path, sizeof(path), "/proc/%d/smaps", tsk->pid);
	text = linmm_proc_read(path);
	assert_non_null(text);
	parse_smaps(text, vmas, nvmas, fields, nfields);
	free(text);
	linmm_task_exit(tsk);
}

/*
 * Maps lines agree but for the inode of a shared anonymous mapping (a
 * shmem inode each): compare the first four columns and the name.
 */
static bool same_header(const char *h, const char *l)
{
	char hf[4][40], lf[4][40], hname[LINE_LEN] = "", lname[LINE_LEN] = "";
	unsigned long hino, lino;

	if (!strcmp(h, l))
		return true;
	if (sscanf(h, "%39s %39s %39s %39s %lu %199[^\n]", hf[0], hf[1], hf[2], hf[3], &hino,
		   hname) < 5 ||
	    sscanf(l, "%39s %39s %39s %39s %lu %199[^\n]", lf[0], lf[1], lf[2], lf[3], &lino,
		   lname) < 5)
		return false;
	for (int i = 0; i < 4; i++)
		if (strcmp(hf[i], lf[i]))
			return false;
	return !strcmp(hname, lname) && strchr(hf[1], 's');
}

/* Remove the " sd" code from a VmFlags line. */
static void drop_sd(char *flags)
{
	char *p = strstr(flags, " sd");

	if (p && (p[3] == ' ' || p[3] == '\0'))
		memmove(p, p + 3, strlen(p + 3) + 1);
}

static void test_vmflags(void **state)
{
	static struct vma_lines mine[NCASES];
	static char fields[MAX_FIELDS][32];
	bool host_sd = false;
	int n, nf;

	(void)state;
	if (host->busy)
		skip();
	assert_int_equal(host->nvmas, NCASES);
	for (int i = 0; i < NCASES; i++)
		host_sd |= strstr(host->vmas[i].flags, " sd") != NULL;
	linmm_smaps(mine, &n, fields, &nf);
	assert_int_equal(n, NCASES);
	for (int i = 0; i < NCASES; i++) {
		if (!host_sd)
			drop_sd(mine[i].flags);
		if (!same_header(host->vmas[i].header, mine[i].header) ||
		    strcmp(mine[i].flags, host->vmas[i].flags)) {
			print_message("case %d\n  host:  %s\n         %s\n  linmm: %s\n         %s\n",
				      i, host->vmas[i].header, host->vmas[i].flags, mine[i].header,
				      mine[i].flags);
			fail_msg("smaps of case %d differs from the host", i);
		}
	}
}

static void test_field_names(void **state)
{
	static struct vma_lines mine[NCASES];
	static char fields[MAX_FIELDS][32];
	int n, nf;

	(void)state;
	if (host->busy)
		skip();
	linmm_smaps(mine, &n, fields, &nf);
	assert_true(host->nfields > 20);
	for (int i = 0; i < host->nfields && i < nf; i++)
		assert_string_equal(fields[i], host->fields[i]);
	assert_int_equal(nf, host->nfields);
}

static unsigned long host_meminfo_kb(const char *field)
{
	int fd = open("/proc/meminfo", O_RDONLY);
	ssize_t r;
	unsigned long v = 0;
	char *p;

	assert_true(fd >= 0);
	r = read(fd, buf, BUF_SIZE - 1);
	close(fd);
	assert_true(r > 0);
	buf[r] = '\0';
	p = strstr(buf, field);
	assert_non_null(p);
	assert_int_equal(sscanf(p + strlen(field), " %lu", &v), 1);
	return v;
}

static void test_host_guess_boundary(void **state)
{
	struct rlimit as;
	char mode[4] = "";
	unsigned long bytes;
	void *p;
	int fd = open("/proc/sys/vm/overcommit_memory", O_RDONLY);

	(void)state;
	if (fd < 0)
		skip();
	if (read(fd, mode, sizeof(mode) - 1) <= 0)
		mode[0] = '?';
	close(fd);
	if (mode[0] != '0' || getrlimit(RLIMIT_AS, &as) || as.rlim_cur != RLIM_INFINITY)
		skip();
	bytes = (host_meminfo_kb("MemTotal:") + host_meminfo_kb("SwapTotal:")) << 10;
	p = mmap(NULL, bytes + P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p == MAP_FAILED);
	assert_int_equal(errno, ENOMEM);
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	munmap(p, bytes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vmflags),
		cmocka_unit_test(test_field_names),
		cmocka_unit_test(test_host_guess_boundary),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
