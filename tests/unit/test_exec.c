// SPDX-License-Identifier: MIT
/*
 * test_exec.c - linmm_execve(): the initial layout of a program, address
 * randomisation (kernel.randomize_va_space) and the /proc/PID files that
 * describe it (maps, smaps, smaps_rollup, status, statm).
 *
 * The unrandomised layout of a program with 8 KiB of text, 4 KiB of data
 * and 4 KiB of bss, as an x86_64 PIE run under `setarch -R` has it:
 *
 *   555555554000-555555556000 r-xp   text
 *   555555556000-555555558000 rw-p   data + bss (one anonymous VMA)
 *   555555558000                     start_brk = brk: [heap] after brk()
 *            ...       mmap area below mmap_base = 7ffff7fff000
 *   7ffffffde000-7ffffffff000 rw-p   [stack]: 4 KiB + 128 KiB, ends at STACK_TOP
 */
#include "../linmm_test.h"

#include <linmm/binfmts.h>
#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/sched.h>

#define P PAGE_SIZE
#define TEXT 0x555555554000UL
#define STACK_TOP 0x7ffffffff000UL

static const struct linmm_exec_image prog = {
	.path = "/usr/bin/prog", .text_size = 8192, .data_size = 4096, .bss_size = 4096,
};

static struct task_struct *tsk;

static int setup(void **state)
{
	(void)state;
	boot_or_fail("mem=256M cpus=4");
	tsk = linmm_spawn("sh");
	return tsk ? 0 : -1;
}

static void check(void)
{
	assert_int_equal(validate_mm(tsk->mm), 0);
	check_machine();
}

static char *read_pid_file(const char *file)
{
	char path[64], *text;

	snprintf(path, sizeof(path), "/proc/%d/%s", tsk->pid, file);
	text = linmm_proc_read(path);
	assert_non_null(text);
	return text;
}

static unsigned long status_kb(const char *field)
{
	char *text = read_pid_file("status"), *p = strstr(text, field);
	unsigned long v;

	assert_non_null(p);
	assert_int_equal(sscanf(p + strlen(field), ":\t%lu kB", &v), 1);
	free(text);
	return v;
}

static void test_layout(void **state)
{
	static const char maps[] =
		"555555554000-555555556000 r-xp 00000000 00:00 0 \n"
		"555555556000-555555558000 rw-p 00000000 00:00 0 \n"
		"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0"
		"                          [stack]\n";
	struct mm_struct *mm;
	char *text;

	(void)state;
	assert_int_equal(linmm_execve(tsk, &prog), 0);
	check();
	mm = tsk->mm;
	assert_string_equal(tsk->comm, "prog");
	assert_int_equal(mm->start_code, TEXT);
	assert_int_equal(mm->end_code, TEXT + 8192);
	assert_int_equal(mm->start_data, TEXT + 8192);
	assert_int_equal(mm->end_data, TEXT + 12288);
	assert_int_equal(mm->start_brk, TEXT + 16384);
	assert_int_equal(mm->brk, mm->start_brk);
	assert_int_equal(mm->mmap_base, 0x7ffff7fff000UL);
	/* bprm->p: below a NULL word and two copies of the path. */
	assert_int_equal(mm->start_stack, STACK_TOP - 8 - 2 * sizeof("/usr/bin/prog"));
	assert_int_equal(vma_lookup(mm, STACK_TOP - P)->vm_flags & (VM_GROWSDOWN | VM_ACCOUNT),
			 VM_GROWSDOWN | VM_ACCOUNT);
	assert_false(tsk->flags & PF_RANDOMIZE);
	text = read_pid_file("maps");
	assert_string_equal(text, maps);
	free(text);

	/* The heap starts right after the bss, as its own VMA. */
	assert_int_equal(linmm_brk(tsk, mm->brk + 100), TEXT + 16384 + 100);
	check();
	text = read_pid_file("maps");
	assert_non_null(strstr(text, "555555558000-555555559000 rw-p 00000000 00:00 0"
				     "                          [heap]\n"));
	free(text);
	/* An mmap goes below mmap_base, top down. */
	assert_int_equal(linmm_mmap(tsk, 0, P, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), 0x7ffff7ffe000UL);
	check();
}

/* The bss VMA ending where an empty heap starts is not the heap (6.18). */
static void test_heap_name_strict(void **state)
{
	char *text;

	(void)state;
	assert_int_equal(linmm_execve(tsk, &prog), 0);
	text = read_pid_file("maps");
	assert_null(strstr(text, "[heap]"));
	free(text);
}

/* Every charge is the overcommit policy's; the commitment is the new image's. */
static void test_accounting(void **state)
{
	char *limit;

	(void)state;
	assert_false(IS_ERR_VALUE(linmm_mmap(tsk, 0, 1UL << 20, PROT_READ | PROT_WRITE,
					     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
	assert_int_equal(vm_memory_committed(), 256);
	assert_int_equal(linmm_execve(tsk, &prog), 0);
	/* data + bss (2 pages) and the stack (33 pages); the text is read-only. */
	assert_int_equal(vm_memory_committed(), 35);
	assert_int_equal(status_kb("VmPeak"), 148);
	assert_int_equal(status_kb("VmSize"), 148);
	assert_int_equal(status_kb("VmData"), 8);
	assert_int_equal(status_kb("VmStk"), 132);
	assert_int_equal(status_kb("VmExe"), 8);
	assert_int_equal(status_kb("VmLib"), 0);
	assert_int_equal(status_kb("VmRSS"), 0);

	/* Strict overcommit with no room: exec fails, the old image stays. */
	assert_int_equal(linmm_sysctl_write("vm.overcommit_kbytes", "4"), 0);
	assert_int_equal(linmm_sysctl_write("vm.overcommit_memory", "2"), 0);
	limit = read_pid_file("maps");
	assert_int_equal(linmm_execve(tsk, &prog), -ENOMEM);
	check();
	{
		char *after = read_pid_file("maps");

		assert_string_equal(after, limit);
		free(after);
	}
	free(limit);
	assert_int_equal(vm_memory_committed(), 35);
	assert_string_equal(tsk->comm, "prog");
}

/* VmPeak remembers the largest VmSize. */
static void test_vmpeak(void **state)
{
	unsigned long addr;

	(void)state;
	assert_int_equal(linmm_execve(tsk, &prog), 0);
	addr = linmm_mmap(tsk, 0, 1UL << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_false(IS_ERR_VALUE(addr));
	assert_int_equal(linmm_munmap(tsk, addr, 1UL << 20), 0);
	assert_int_equal(status_kb("VmSize"), 148);
	assert_int_equal(status_kb("VmPeak"), 148 + 1024);
}

struct layout {
	unsigned long start_code, start_brk, mmap_base, stack_end;
};

static struct layout exec_layout(const char *randomize)
{
	struct layout l;
	struct vm_area_struct *stack;

	assert_int_equal(linmm_sysctl_write("kernel.randomize_va_space", randomize), 0);
	assert_int_equal(linmm_execve(tsk, &prog), 0);
	check();
	stack = vma_lookup(tsk->mm, tsk->mm->start_stack);
	assert_non_null(stack);
	l.start_code = tsk->mm->start_code;
	l.start_brk = tsk->mm->start_brk;
	l.mmap_base = tsk->mm->mmap_base;
	l.stack_end = stack->vm_end;
	/* The stack is always 132 KiB, named, and below it the guard gap is free. */
	assert_int_equal(stack->vm_end - stack->vm_start, 132UL << 10);
	return l;
}

static void test_randomize(void **state)
{
	struct layout a, b, c;
	unsigned long data_end = 4 * P;

	(void)state;
	assert_int_equal(randomize_va_space, 0);	/* linmm's default */
	a = exec_layout("2");
	assert_true(tsk->flags & PF_RANDOMIZE);
	/* Load bias: up to 2^28 pages above ELF_ET_DYN_BASE. */
	assert_in_range(a.start_code, TEXT, TEXT + (1UL << (28 + PAGE_SHIFT)) - P);
	/* brk: one page after the bss, then up to 1 GiB higher. */
	assert_in_range(a.start_brk, a.start_code + data_end + P,
			a.start_code + data_end + P + (1UL << 30) - P);
	/* Stack top: up to 16 GiB (and 8 KiB of alignment) below STACK_TOP. */
	assert_in_range(a.stack_end, STACK_TOP - (0x3fffffUL << PAGE_SHIFT) - 8192, STACK_TOP);
	/* mmap_base: below the stack's whole random range, then 2^28 pages lower. */
	assert_true(a.mmap_base <= STACK_TOP - (0x3fffffUL << PAGE_SHIFT) - (9UL << 20));
	assert_true(a.mmap_base >= STACK_TOP - (0x3fffffUL << PAGE_SHIFT) - (9UL << 20) -
				   (1UL << (28 + PAGE_SHIFT)));
	b = exec_layout("2");
	assert_true(a.start_code != b.start_code || a.mmap_base != b.mmap_base);

	/* 1: everything but the break. */
	c = exec_layout("1");
	assert_int_equal(c.start_brk, c.start_code + data_end);

	/* 0: the fixed layout again. */
	c = exec_layout("0");
	assert_int_equal(c.start_code, TEXT);
	assert_int_equal(c.stack_end, STACK_TOP);
	assert_int_equal(c.mmap_base, 0x7ffff7fff000UL);
	assert_false(tsk->flags & PF_RANDOMIZE);
}

/* The random stream restarts at each boot: the same steps give the same layout. */
static void test_randomize_deterministic(void **state)
{
	struct layout a, b;

	(void)state;
	a = exec_layout("2");
	linmm_test_shutdown(NULL);
	setup(NULL);
	b = exec_layout("2");
	assert_memory_equal(&a, &b, sizeof(a));
}

/* smaps, smaps_rollup, status and statm in the kernel's format. */
static void test_proc_formats(void **state)
{
	static const char stack_smaps[] =
		"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0"
		"                          [stack]\n"
		"Size:                132 kB\n"
		"KernelPageSize:        4 kB\n"
		"MMUPageSize:           4 kB\n"
		"Rss:                   0 kB\n"
		"Pss:                   0 kB\n"
		"Pss_Dirty:             0 kB\n"
		"Shared_Clean:          0 kB\n"
		"Shared_Dirty:          0 kB\n"
		"Private_Clean:         0 kB\n"
		"Private_Dirty:         0 kB\n"
		"Referenced:            0 kB\n"
		"Anonymous:             0 kB\n"
		"KSM:                   0 kB\n"
		"LazyFree:              0 kB\n"
		"AnonHugePages:         0 kB\n"
		"ShmemPmdMapped:        0 kB\n"
		"FilePmdMapped:         0 kB\n"
		"Shared_Hugetlb:        0 kB\n"
		"Private_Hugetlb:       0 kB\n"
		"Swap:                  0 kB\n"
		"SwapPss:               0 kB\n"
		"Locked:                0 kB\n"
		"THPeligible:           0\n"
		"ProtectionKey:         0\n"
		"VmFlags: rd wr mr mw me gd ac sd \n";
	static const char rollup_head[] =
		"555555554000-7ffffffff000 ---p 00000000 00:00 0"
		"                          [rollup]\n"
		"Rss:                   0 kB\n"
		"Pss:                   0 kB\n"
		"Pss_Dirty:             0 kB\n"
		"Pss_Anon:              0 kB\n";
	static const char status_head[] = "Name:\tprog\nUmask:\t0022\nState:\tS (sleeping)\n"
					  "Tgid:\t1\n";
	char *text, *p;

	(void)state;
	assert_int_equal(linmm_execve(tsk, &prog), 0);
	text = read_pid_file("smaps");
	p = strstr(text, "7ffffffde000-");
	assert_non_null(p);
	assert_string_equal(p, stack_smaps);
	/* The text: read and execute, no accounting. */
	assert_non_null(strstr(text, "555555554000-555555556000 r-xp 00000000 00:00 0 \n"
				     "Size:                  8 kB\n"));
	assert_non_null(strstr(text, "VmFlags: rd ex mr mw me sd \n"));
	assert_non_null(strstr(text, "VmFlags: rd wr mr mw me ac sd \n"));
	free(text);

	text = read_pid_file("smaps_rollup");
	assert_true(!strncmp(text, rollup_head, strlen(rollup_head)));
	assert_non_null(strstr(text, "Locked:                0 kB\n"));
	assert_null(strstr(text, "VmFlags"));
	free(text);

	text = read_pid_file("status");
	assert_true(!strncmp(text, status_head, strlen(status_head)));
	assert_non_null(strstr(text, "\nVmPeak:\t     148 kB\nVmSize:\t     148 kB\n"
				     "VmLck:\t       0 kB\nVmPin:\t       0 kB\n"
				     "VmHWM:\t       0 kB\nVmRSS:\t       0 kB\n"
				     "RssAnon:\t       0 kB\nRssFile:\t       0 kB\n"
				     "RssShmem:\t       0 kB\nVmData:\t       8 kB\n"
				     "VmStk:\t     132 kB\nVmExe:\t       8 kB\n"
				     "VmLib:\t       0 kB\nVmPTE:\t"));
	assert_non_null(strstr(text, "\nVmSwap:\t       0 kB\nHugetlbPages:\t       0 kB\n"));
	assert_non_null(strstr(text, "\nCpus_allowed:\tf\nCpus_allowed_list:\t0-3\n"
				     "Mems_allowed:\t00000000,00000001\nMems_allowed_list:\t0\n"));
	free(text);

	/* statm: size resident shared text lib data dt, in pages. */
	text = read_pid_file("statm");
	assert_string_equal(text, "37 0 0 2 0 35 0\n");
	free(text);

	/* An unknown file or task. */
	assert_null(linmm_proc_read("/proc/1/nothing"));
	assert_null(linmm_proc_read("/proc/99/status"));
}

static void test_exec_errors(void **state)
{
	struct linmm_exec_image bad = prog;
	char longpath[3000];

	(void)state;
	bad.text_size = 0;
	assert_int_equal(linmm_execve(tsk, &bad), -EINVAL);
	bad = prog;
	bad.path = "";
	assert_int_equal(linmm_execve(tsk, &bad), -EINVAL);
	bad = prog;
	bad.text_size = 1UL << 47;
	assert_int_equal(linmm_execve(tsk, &bad), -EINVAL);
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	bad = prog;
	bad.path = longpath;
	assert_int_equal(linmm_execve(tsk, &bad), -E2BIG);
	assert_null(vma_first(tsk->mm));
	assert_string_equal(tsk->comm, "sh");
	assert_int_equal(vm_memory_committed(), 0);
	check();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_layout, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_heap_name_strict, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_accounting, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_vmpeak, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_randomize, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_randomize_deterministic, setup,
						linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_proc_formats, setup, linmm_test_shutdown),
		cmocka_unit_test_setup_teardown(test_exec_errors, setup, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
