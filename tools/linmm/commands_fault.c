// SPDX-License-Identifier: MIT
/*
 * commands_fault.c - the script commands that make a task touch its memory
 * (the simulated CPU's user-mode accesses: arch/x86/mmu.c; the faults they
 * take: mm/memory.c, arch/x86/fault.c):
 *
 *   touch P ADDR|H[+OFF] [LEN] read|write|exec   one access per page
 *   write P ADDR|H[+OFF] "bytes"                 user-mode stores
 *   read P ADDR|H[+OFF] LEN                      user-mode loads, printed
 *   pagemap P ADDR|H[+OFF] [LEN]                 /proc/PID/pagemap, decoded
 *   expect P alive | expect P killed [SIGSEGV|SIGBUS|SIGKILL]
 *   expect P min_flt|maj_flt OP N                the task's fault counters
 *
 * LEN defaults to the rest of mapping H.  `write H BYTE...` with a slab or
 * page handle H is commands_slab.c's write: the first word decides (a task
 * name here).  Output, with the faults the command took:
 *
 *   touch p1 0x7ffff7ff0000 16384 write: ok, 4 faults
 *   read p1 0x7ffff7ff0000 5: "hello"
 *   touch p1 0x0 1 write: SIGSEGV (SEGV_MAPERR) at 0x0, p1 killed
 *
 * The kernel's "segfault at" line goes to dmesg (KERN_INFO, or KERN_EMERG
 * for pid 1, which therefore also reaches the console).  A killed task
 * keeps its mm until `exit P`; further accesses are refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/linmm.h>
#include <linmm/mm.h>
#include <linmm/mmu.h>
#include <linmm/proc_pagemap.h>
#include <linmm/sched.h>

#include "tools/linmm/script.h"

#define READ_MAX (64UL << 10)	/* bytes `read` prints at most */

static const char *sig_name(int sig)
{
	switch (sig) {
	case LINMM_SIGSEGV: return "SIGSEGV";
	case LINMM_SIGBUS: return "SIGBUS";
	case LINMM_SIGKILL: return "SIGKILL";
	default: return "signal";
	}
}

static const char *code_name(int sig, int code)
{
	if (sig == LINMM_SIGSEGV)
		return code == LINMM_SEGV_MAPERR ? "SEGV_MAPERR" :
		       code == LINMM_SEGV_ACCERR ? "SEGV_ACCERR" : "SI_KERNEL";
	if (sig == LINMM_SIGBUS)
		return "BUS_ADRERR";
	return "SI_KERNEL";
}

/* ADDR, or H[+OFF|-OFF] of @tsk: the address and what is left of H from it (0 for an ADDR). */
static bool parse_where(struct task_struct *tsk, const char *arg, unsigned long *addr,
			unsigned long *left)
{
	char name[64], *v[1] = { name };
	unsigned long len;
	long off;
	int used;

	*left = 0;
	if (script_parse_size(arg, ~0UL, addr))
		return true;
	if (!script_parse_target(arg, name, sizeof(name), &off) ||
	    !script_parse_range(tsk, 1, v, &used, addr, &len))
		return false;
	if ((off < 0 && (unsigned long)-off > *addr) || (off > 0 && (unsigned long)off > len))
		return false;
	*addr += (unsigned long)off;
	*left = len - (unsigned long)off;
	return true;
}

/* Print the outcome of an access that started with @flt0 faults. */
static void report(struct task_struct *tsk, const char *name, int ret, unsigned long flt0)
{
	unsigned long n = tsk->min_flt + tsk->maj_flt - flt0;

	if (!ret) {
		printf("ok, %lu fault%s\n", n, n == 1 ? "" : "s");
	} else if (ret == -ESRCH) {
		printf("refused: %s was killed by %s\n", name, sig_name(tsk->exit_signal_nr));
	} else {
		printf("%s (%s) at 0x%lx, %s killed\n", sig_name(tsk->last_siginfo.signo),
		       code_name(tsk->last_siginfo.signo, tsk->last_siginfo.code),
		       tsk->last_siginfo.addr, name);
	}
}

enum script_status cmd_touch(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	static const char usage[] = "usage: touch P ADDR|H[+OFF] [LEN] read|write|exec";
	static const char *const kinds[] = { "read", "write", "exec" };
	enum script_status st = SCRIPT_OK;
	unsigned long addr, len, flt0;
	struct task_struct *tsk;
	int kind = -1, ret;

	(void)rest;
	if (argc < 3 || argc > 4)
		return script_error(s, "%s", usage);
	tsk = script_need_task(s, "touch", argc, argv, &st);
	if (!tsk)
		return st;
	for (int i = 0; i < 3; i++)
		if (!strcmp(argv[argc - 1], kinds[i]))
			kind = i;
	if (kind < 0 || !parse_where(tsk, argv[1], &addr, &len) ||
	    (argc == 4 && !script_parse_size(argv[2], ~0UL, &len)) || !len)
		return script_error(s, "%s", usage);
	flt0 = tsk->min_flt + tsk->maj_flt;
	ret = linmm_touch(tsk, addr, len, (enum linmm_access)kind);
	printf("touch %s 0x%lx %lu %s: ", argv[0], addr, len, kinds[kind]);
	report(tsk, argv[0], ret, flt0);
	return SCRIPT_OK;
}

/* `write P ADDR|H "bytes"`: user-mode stores of the string's bytes. */
static enum script_status user_write(struct linmm_script *s, struct task_struct *tsk, int argc,
				     char **argv)
{
	unsigned long addr, left, flt0;
	size_t n;
	int ret;

	if (argc != 3 || !parse_where(tsk, argv[1], &addr, &left))
		return script_error(s, "usage: write P ADDR|H[+OFF] \"bytes\"");
	n = strlen(argv[2]);
	flt0 = tsk->min_flt + tsk->maj_flt;
	ret = linmm_user_write(tsk, addr, argv[2], n);
	printf("write %s 0x%lx %zu: ", argv[0], addr, n);
	report(tsk, argv[0], ret, flt0);
	return SCRIPT_OK;
}

enum script_status cmd_write_any(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	enum script_status st = SCRIPT_OK;

	if (argc >= 1 && script_task_exists(argv[0]))
		return user_write(s, script_need_task(s, "write", argc, argv, &st), argc, argv);
	return cmd_write(s, argc, argv, rest);
}

/* Print @n bytes as a C string literal: printable ASCII as is, the rest escaped. */
static void print_bytes(const unsigned char *b, unsigned long n)
{
	putchar('"');
	for (unsigned long i = 0; i < n; i++) {
		if (b[i] == '"' || b[i] == '\\')
			printf("\\%c", b[i]);
		else if (b[i] >= 0x20 && b[i] < 0x7f)
			putchar(b[i]);
		else
			printf("\\x%02x", b[i]);
	}
	putchar('"');
}

enum script_status cmd_read(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	static const char usage[] = "usage: read P ADDR|H[+OFF] [LEN]";
	enum script_status st = SCRIPT_OK;
	unsigned long addr, len, flt0;
	struct task_struct *tsk;
	unsigned char *buf;
	int ret;

	(void)rest;
	if (argc < 2 || argc > 3)
		return script_error(s, "%s", usage);
	tsk = script_need_task(s, "read", argc, argv, &st);
	if (!tsk)
		return st;
	if (!parse_where(tsk, argv[1], &addr, &len) ||
	    (argc == 3 && !script_parse_size(argv[2], READ_MAX, &len)) || !len || len > READ_MAX)
		return script_error(s, "%s (LEN at most %lu)", usage, READ_MAX);
	buf = calloc(1, len);
	if (!buf)
		return script_error(s, "read: out of host memory");
	flt0 = tsk->min_flt + tsk->maj_flt;
	ret = linmm_user_read(tsk, addr, buf, len);
	printf("read %s 0x%lx %lu: ", argv[0], addr, len);
	if (!ret) {
		print_bytes(buf, len);
		putchar('\n');
	} else {
		report(tsk, argv[0], ret, flt0);
	}
	free(buf);
	return SCRIPT_OK;
}

/* commands_expect.c: "expect P alive|killed [SIG]", "expect P min_flt|maj_flt OP N". */
enum script_status script_expect_task(struct linmm_script *s, int argc, char **argv)
{
	enum script_status st = SCRIPT_OK;
	struct task_struct *tsk = script_need_task(s, "expect", argc, argv, &st);
	unsigned long have, want;
	const char *op;
	bool ok;

	if (!tsk)
		return st;
	if (!strcmp(argv[1], "alive") || !strcmp(argv[1], "killed")) {
		bool killed = tsk->exit_signal_nr != 0;

		if (argc > 3 || (argc == 3 && argv[1][0] == 'a'))
			return script_error(s, "usage: expect P alive | expect P killed [SIGNAL]");
		if (argv[1][0] == 'a' ? killed
				      : (!killed || (argc == 3 &&
						     strcmp(argv[2], sig_name(tsk->exit_signal_nr))))) {
			script_error(s, "expect failed: %s is %s%s, expected %s%s%s", argv[0],
				     killed ? "killed by " : "alive",
				     killed ? sig_name(tsk->exit_signal_nr) : "", argv[1],
				     argc == 3 ? " by " : "", argc == 3 ? argv[2] : "");
			return SCRIPT_EXPECT_FAILED;
		}
		return SCRIPT_OK;
	}
	if (argc != 4 || (strcmp(argv[1], "min_flt") && strcmp(argv[1], "maj_flt")) ||
	    !script_parse_size(argv[3], ~0UL, &want))
		return script_error(s, "usage: expect P min_flt|maj_flt OP N");
	have = argv[1][1] == 'i' ? tsk->min_flt : tsk->maj_flt;
	op = argv[2];
	if (!strcmp(op, "=="))
		ok = have == want;
	else if (!strcmp(op, "!="))
		ok = have != want;
	else if (!strcmp(op, "<"))
		ok = have < want;
	else if (!strcmp(op, "<="))
		ok = have <= want;
	else if (!strcmp(op, ">"))
		ok = have > want;
	else if (!strcmp(op, ">="))
		ok = have >= want;
	else
		return script_error(s, "usage: expect P min_flt|maj_flt OP N (OP: == != < <= > >=)");
	if (!ok) {
		script_error(s, "expect failed: %s %s is %lu, expected %s %lu", argv[0], argv[1], have,
			     op, want);
		return SCRIPT_EXPECT_FAILED;
	}
	return SCRIPT_OK;
}

/*
 * `pagemap P ADDR|H[+OFF] [LEN]`: /proc/PID/pagemap read as root (pfns
 * shown), one decoded line per page:
 *
 *   pagemap p1 0x10000000 2:
 *     0x10000000 0x818000000000a123 present exclusive soft-dirty pfn 0xa123
 *     0x10001000 0x0080000000000000 soft-dirty
 */
#define PAGEMAP_MAX_PAGES 4096

static void print_pagemap_entry(unsigned long addr, u64 e)
{
	static const struct { u64 bit; const char *name; } bits[] = {
		{ PM_PRESENT, "present" }, { PM_SWAP, "swapped" }, { PM_FILE, "file-or-shared" },
		{ PM_GUARD_REGION, "guard" }, { PM_UFFD_WP, "uffd-wp" },
		{ PM_MMAP_EXCLUSIVE, "exclusive" }, { PM_SOFT_DIRTY, "soft-dirty" },
	};

	printf("  0x%lx 0x%016llx", addr, (unsigned long long)e);
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (e & bits[i].bit)
			printf(" %s", bits[i].name);
	if (e & PM_PRESENT)
		printf(" pfn 0x%llx", (unsigned long long)(e & PM_PFRAME_MASK));
	else if (e & PM_SWAP)
		printf(" type %llu offset 0x%llx", (unsigned long long)(e & 0x1f),
		       (unsigned long long)((e & PM_PFRAME_MASK) >> 5));
	putchar('\n');
}

enum script_status cmd_pagemap(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	static const char usage[] = "usage: pagemap P ADDR|H[+OFF] [LEN]";
	enum script_status st = SCRIPT_OK;
	unsigned long addr, len, pages;
	struct task_struct *tsk;
	char path[48];
	u64 *buf;
	long got;

	(void)rest;
	if (argc < 2 || argc > 3)
		return script_error(s, "%s", usage);
	tsk = script_need_task(s, "pagemap", argc, argv, &st);
	if (!tsk)
		return st;
	if (!parse_where(tsk, argv[1], &addr, &len) ||
	    (argc == 3 && !script_parse_size(argv[2], ~0UL, &len)) || !len)
		return script_error(s, "%s", usage);
	addr &= ~(unsigned long)(PAGE_SIZE - 1);
	pages = (len + PAGE_SIZE - 1) / PAGE_SIZE;
	if (pages > PAGEMAP_MAX_PAGES)
		return script_error(s, "pagemap: at most %d pages", PAGEMAP_MAX_PAGES);
	buf = calloc(pages, sizeof(*buf));
	if (!buf)
		return script_error(s, "pagemap: out of host memory");
	snprintf(path, sizeof(path), "/proc/%d/pagemap", tsk->pid);
	got = linmm_proc_read_binary(path, (unsigned long long)(addr / PAGE_SIZE) * PM_ENTRY_BYTES,
				     pages * PM_ENTRY_BYTES, buf);
	printf("pagemap %s 0x%lx %lu:\n", argv[0], addr, pages);
	for (long i = 0; got > 0 && i < got / PM_ENTRY_BYTES; i++)
		print_pagemap_entry(addr + (unsigned long)i * PAGE_SIZE, buf[i]);
	free(buf);
	return SCRIPT_OK;
}
