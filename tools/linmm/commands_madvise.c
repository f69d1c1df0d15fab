// SPDX-License-Identifier: MIT
/*
 * commands_madvise.c - the script commands of memory locking, advice and
 * msync (mm/mlock.c, mm/madvise.c, mm/msync.c):
 *
 *   mlock P ADDR|H [LEN] [onfault]      mlock(), or mlock2(MLOCK_ONFAULT)
 *   munlock P ADDR|H [LEN]              munlock()
 *   mlockall P current,future,onfault   mlockall() with those MCL_* flags
 *   munlockall P                        munlockall()
 *   madvise P ADDR|H [LEN] ADVICE       madvise(); ADVICE is the MADV_ name
 *                                       in lower case without the prefix
 *                                       (dontneed, dontfork, hugepage, ...)
 *                                       or a number
 *   msync P ADDR|H [LEN] [sync|async|invalidate[,...]]
 *                                       msync() (no flags: 0)
 *
 * A range is an address and a length, or an mmap handle H with its own
 * length unless LEN is given.  Each command prints its words and the
 * result, "madvise a dontfork: 0" or "mlock a: ENOMEM"; a failing call is
 * not a script error, the script goes on as a program would.  What the
 * calls changed shows in `cat /proc/P/maps` (splits and merges) and in
 * VmLck of /proc/P/status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/mmap.h>
#include <linmm/sched.h>

#include "tools/linmm/script.h"

static const struct script_flag_name advice_names[] = {
	{ "normal", MADV_NORMAL }, { "random", MADV_RANDOM },
	{ "sequential", MADV_SEQUENTIAL }, { "willneed", MADV_WILLNEED },
	{ "dontneed", MADV_DONTNEED }, { "free", MADV_FREE }, { "remove", MADV_REMOVE },
	{ "dontfork", MADV_DONTFORK }, { "dofork", MADV_DOFORK },
	{ "mergeable", MADV_MERGEABLE }, { "unmergeable", MADV_UNMERGEABLE },
	{ "hugepage", MADV_HUGEPAGE }, { "nohugepage", MADV_NOHUGEPAGE },
	{ "dontdump", MADV_DONTDUMP }, { "dodump", MADV_DODUMP },
	{ "wipeonfork", MADV_WIPEONFORK }, { "keeponfork", MADV_KEEPONFORK },
	{ "cold", MADV_COLD }, { "pageout", MADV_PAGEOUT },
	{ "populate_read", MADV_POPULATE_READ }, { "populate_write", MADV_POPULATE_WRITE },
	{ "dontneed_locked", MADV_DONTNEED_LOCKED }, { "collapse", MADV_COLLAPSE },
	{ "hwpoison", MADV_HWPOISON }, { "soft_offline", MADV_SOFT_OFFLINE },
	{ "guard_install", MADV_GUARD_INSTALL }, { "guard_remove", MADV_GUARD_REMOVE },
};

static const struct script_flag_name mcl_names[] = {
	{ "current", MCL_CURRENT }, { "future", MCL_FUTURE }, { "onfault", MCL_ONFAULT },
};

static const struct script_flag_name ms_names[] = {
	{ "sync", MS_SYNC }, { "async", MS_ASYNC }, { "invalidate", MS_INVALIDATE },
};

/* "a,b,c" of @names -> the OR of their values; false if empty or a word is unknown. */
static bool parse_flag_list(const char *str, const struct script_flag_name *names, size_t n,
			    int *out)
{
	unsigned long flags;

	if (!*str || !script_parse_flag_list(str, ",", names, n, &flags))
		return false;
	*out = (int)flags;
	return true;
}

static bool parse_advice(const char *str, int *advice)
{
	char *end;
	long v;

	for (size_t i = 0; i < ARRAY_SIZE(advice_names); i++) {
		if (!strcmp(str, advice_names[i].name)) {
			*advice = (int)advice_names[i].value;
			return true;
		}
	}
	/* A number: to show what Linux says to advice it does not know. */
	v = strtol(str, &end, 0);
	if (*str == '\0' || *end != '\0' || v < -2147483647L - 1 || v > 2147483647L)
		return false;
	*advice = (int)v;
	return true;
}

/* "CMD WORDS...: RESULT" */
static void print_result(const char *cmd, int argc, char **argv, int ret)
{
	printf("%s", cmd);
	for (int i = 1; i < argc; i++)
		printf(" %s", argv[i]);
	printf(": %s\n", ret ? script_errno_name(ret) : "0");
}

/*
 * The task in argv[0] and the range in argv[1 .. 1 + @nrange), which must
 * use all of them.  NULL after reporting @usage.
 */
static struct task_struct *task_and_range(struct linmm_script *s, const char *cmd,
					  const char *usage, int argc, char **argv, int nrange,
					  unsigned long *addr, unsigned long *len,
					  enum script_status *st)
{
	struct task_struct *tsk;
	int used;

	if (nrange < 1 || nrange > 2) {
		*st = script_error(s, "usage: %s", usage);
		return NULL;
	}
	tsk = script_need_task(s, cmd, argc, argv, st);
	if (!tsk)
		return NULL;
	if (!script_parse_range(tsk, nrange, argv + 1, &used, addr, len) || used != nrange) {
		*st = script_error(s, "usage: %s", usage);
		return NULL;
	}
	return tsk;
}

enum script_status cmd_mlock(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	static const char usage[] = "mlock P ADDR|H [LEN] [onfault]";
	enum script_status st = SCRIPT_OK;
	bool onfault = argc > 2 && !strcmp(argv[argc - 1], "onfault");
	unsigned long addr, len;
	struct task_struct *tsk;
	int ret;

	(void)rest;
	tsk = task_and_range(s, "mlock", usage, argc, argv, argc - 1 - onfault, &addr, &len, &st);
	if (!tsk)
		return st;
	ret = onfault ? linmm_mlock2(tsk, addr, len, MLOCK_ONFAULT) : linmm_mlock(tsk, addr, len);
	print_result("mlock", argc, argv, ret);
	return SCRIPT_OK;
}

enum script_status cmd_munlock(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	static const char usage[] = "munlock P ADDR|H [LEN]";
	enum script_status st = SCRIPT_OK;
	unsigned long addr, len;
	struct task_struct *tsk;

	(void)rest;
	tsk = task_and_range(s, "munlock", usage, argc, argv, argc - 1, &addr, &len, &st);
	if (!tsk)
		return st;
	print_result("munlock", argc, argv, linmm_munlock(tsk, addr, len));
	return SCRIPT_OK;
}

enum script_status cmd_mlockall(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	enum script_status st = SCRIPT_OK;
	struct task_struct *tsk;
	int flags;

	(void)rest;
	if (argc != 2)
		return script_error(s, "usage: mlockall P current,future,onfault");
	tsk = script_need_task(s, "mlockall", argc, argv, &st);
	if (!tsk)
		return st;
	if (!parse_flag_list(argv[1], mcl_names, ARRAY_SIZE(mcl_names), &flags))
		return script_error(s, "mlockall: bad flags '%s' (current, future, onfault)",
				    argv[1]);
	print_result("mlockall", argc, argv, linmm_mlockall(tsk, flags));
	return SCRIPT_OK;
}

enum script_status cmd_munlockall(struct linmm_script *s, int argc, char **argv,
				  const char *rest)
{
	enum script_status st = SCRIPT_OK;
	struct task_struct *tsk;

	(void)rest;
	if (argc != 1)
		return script_error(s, "usage: munlockall P");
	tsk = script_need_task(s, "munlockall", argc, argv, &st);
	if (!tsk)
		return st;
	print_result("munlockall", argc, argv, linmm_munlockall(tsk));
	return SCRIPT_OK;
}

enum script_status cmd_madvise(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	static const char usage[] = "madvise P ADDR|H [LEN] ADVICE";
	enum script_status st = SCRIPT_OK;
	unsigned long addr, len;
	struct task_struct *tsk;
	int advice;

	(void)rest;
	if (argc < 3)
		return script_error(s, "usage: %s", usage);
	tsk = task_and_range(s, "madvise", usage, argc, argv, argc - 2, &addr, &len, &st);
	if (!tsk)
		return st;
	if (!parse_advice(argv[argc - 1], &advice))
		return script_error(s, "madvise: unknown advice '%s' (dontneed, dontfork, "
				    "hugepage, ... or a number)", argv[argc - 1]);
	print_result("madvise", argc, argv, linmm_madvise(tsk, addr, len, advice));
	return SCRIPT_OK;
}

enum script_status cmd_msync(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	static const char usage[] = "msync P ADDR|H [LEN] [sync|async|invalidate[,...]]";
	enum script_status st = SCRIPT_OK;
	unsigned long addr, len;
	struct task_struct *tsk;
	int flags = 0, nflags = 0;

	(void)rest;
	if (argc > 2 && parse_flag_list(argv[argc - 1], ms_names, ARRAY_SIZE(ms_names), &flags))
		nflags = 1;
	tsk = task_and_range(s, "msync", usage, argc, argv, argc - 1 - nflags, &addr, &len, &st);
	if (!tsk)
		return st;
	print_result("msync", argc, argv, linmm_msync(tsk, addr, len, flags));
	return SCRIPT_OK;
}
