// SPDX-License-Identifier: MIT
/*
 * commands_task.c - the script commands of tasks and their address spaces
 * (kernel/fork.c, mm/mmap.c, mm/mprotect.c):
 *
 *   spawn P [comm=NAME]                       a task with an empty mm
 *   exec P [PATH] [text=N] [data=N] [bss=N]   a fresh mm with a program's
 *                                             layout (fs/exec.c)
 *   fork P Q                                  Q: a copy of P, memory shared
 *                                             copy-on-write (P's mapping
 *                                             names work for Q too)
 *   exit P                                    end it (unmaps everything)
 *   mmap P H LEN [prot=P] [flags=F,F...] [addr=A]
 *                                             map; H names the result
 *   munmap P ADDR|H [LEN]                     unmap (LEN defaults to H's)
 *   mprotect P ADDR|H [LEN] prot=P            change rights
 *   mremap P ADDR|H[+OFF] OLD_LEN NEW_LEN [flags=maymove,fixed,dontunmap]
 *          [addr=A]                           resize or move (mm/mremap.c);
 *                                             a plain H follows the mapping
 *   brk P [ADDR|+N|-N]                        move the program break
 *
 * prot is a string of r, w, x ("rw", "r", "none"); flags are the MAP_*
 * names in lower case without the prefix (private, shared, anonymous,
 * fixed, fixed_noreplace, noreserve, growsdown, stack), default
 * "private,anonymous".  A call that fails is not a script error: it prints
 * the errno name ("mmap H: EEXIST") and the script goes on, so that
 * scripts can show Linux's refusals.  The address space is read with
 * `cat /proc/PID/maps`.
 *
 * Output:
 *   spawn p1: pid=1 comm=p1
 *   mmap a: 0x7ffff7ffe000-0x7ffff7fff000
 *   munmap 0x7ffff7ffe000 4096: 0
 *
 * exec's PATH defaults to /usr/bin/P, the sizes to text=8K data=4K bss=4K;
 * it prints "exec P: pid=1 comm=NAME" or the errno name.  A task's name
 * also stands for its pid in /proc paths: `cat /proc/P/maps`
 * (script_proc_path()).
 *
 * Task names and mapping names each have their own namespace; a mapping
 * handle remembers its task, address and length.  Both tables are emptied
 * before shutdown (the machine ends the tasks itself).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/binfmts.h>
#include <linmm/linmm.h>
#include <linmm/mmap.h>
#include <linmm/sched.h>

#include "tools/linmm/script.h"

#define TASK_NAME_MAX 32
#define MAX_TASKS 64
#define MAX_MAPS 256

struct task_handle {
	char name[TASK_NAME_MAX];
	struct task_struct *tsk;
	struct task_struct *parent;	/* fork's parent, whose mapping names it shares */
};

struct map_handle {
	char name[TASK_NAME_MAX];
	struct task_struct *tsk;
	unsigned long addr, len;
};

static struct task_handle tasks[MAX_TASKS];
static struct map_handle maps[MAX_MAPS];

void script_task_reset(void)
{
	memset(tasks, 0, sizeof(tasks));
	memset(maps, 0, sizeof(maps));
}

static const char *errno_name(long err)
{
	static const struct { int err; const char *name; } names[] = {
		{ EINVAL, "EINVAL" }, { ENOMEM, "ENOMEM" }, { EEXIST, "EEXIST" },
		{ EPERM, "EPERM" }, { EBADF, "EBADF" }, { EACCES, "EACCES" },
		{ EOVERFLOW, "EOVERFLOW" }, { EAGAIN, "EAGAIN" }, { E2BIG, "E2BIG" },
		{ EBUSY, "EBUSY" },
		{ EFAULT, "EFAULT" },
		{ ENOENT, "ENOENT" }, { ENOSPC, "ENOSPC" }, { ENODEV, "ENODEV" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { EIDRM, "EIDRM" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == -err)
			return names[i].name;
	return "E?";
}

static struct task_handle *task_find(const char *name)
{
	for (int i = 0; i < MAX_TASKS; i++)
		if (tasks[i].tsk && !strcmp(tasks[i].name, name))
			return &tasks[i];
	return NULL;
}

/* A mapping name of @m's task is valid in @tsk and its fork descendants (same addresses). */
static bool map_usable(const struct map_handle *m, struct task_struct *tsk)
{
	for (int depth = 0; tsk && depth < MAX_TASKS; depth++) {
		struct task_struct *parent = NULL;

		if (m->tsk == tsk)
			return true;
		for (int i = 0; i < MAX_TASKS; i++)
			if (tasks[i].tsk == tsk)
				parent = tasks[i].parent;
		tsk = parent;
	}
	return false;
}

static struct map_handle *map_find(const char *name)
{
	for (int i = 0; i < MAX_MAPS; i++)
		if (maps[i].tsk && !strcmp(maps[i].name, name))
			return &maps[i];
	return NULL;
}

static bool name_ok(const char *name)
{
	return script_handle_name_ok(name) && strlen(name) < TASK_NAME_MAX;
}

/* A free slot of tasks[] for a new task @name, or -1 after reporting why there is none. */
static int new_task_slot(struct linmm_script *s, const char *cmd, const char *name,
			 enum script_status *st)
{
	int slot;

	if (!name_ok(name)) {
		*st = script_error(s, "%s: bad name '%s' (letters, digits and _, at most %d)", cmd,
				   name, TASK_NAME_MAX - 1);
		return -1;
	}
	if (task_find(name)) {
		*st = script_error(s, "%s: a task named '%s' exists", cmd, name);
		return -1;
	}
	for (slot = 0; slot < MAX_TASKS && tasks[slot].tsk; slot++)
		;
	if (slot == MAX_TASKS) {
		*st = script_error(s, "%s: at most %d tasks", cmd, MAX_TASKS);
		return -1;
	}
	return slot;
}

/* A free slot of maps[], or -1. */
static int free_map_slot(void)
{
	for (int slot = 0; slot < MAX_MAPS; slot++)
		if (!maps[slot].tsk)
			return slot;
	return -1;
}

static void map_set(int slot, const char *name, struct task_struct *tsk, unsigned long addr,
		    unsigned long len)
{
	snprintf(maps[slot].name, sizeof(maps[slot].name), "%s", name);
	maps[slot].tsk = tsk;
	maps[slot].addr = addr;
	maps[slot].len = len;
}

/* The task named by argv[0], or NULL after reporting the error. */
static struct task_struct *need_task(struct linmm_script *s, const char *cmd, int argc,
				     char **argv, enum script_status *st)
{
	struct task_handle *t = argc ? task_find(argv[0]) : NULL;

	if (!t) {
		*st = script_error(s, "%s: no task named '%s' (spawn it first)", cmd,
				   argc ? argv[0] : "");
		return NULL;
	}
	return t->tsk;
}

const char *script_proc_path(const char *path)
{
	static char buf[256];
	const char *name = path + strlen("/proc/"), *slash;
	char task[TASK_NAME_MAX];
	struct task_handle *t;

	if (strncmp(path, "/proc/", strlen("/proc/")) || !(slash = strchr(name, '/')) ||
	    slash == name || slash - name >= TASK_NAME_MAX)
		return path;
	memcpy(task, name, (size_t)(slash - name));
	task[slash - name] = '\0';
	t = task_find(task);
	if (!t)
		return path;
	snprintf(buf, sizeof(buf), "/proc/%d%s", t->tsk->pid, slash);
	return buf;
}

/* "r", "rw", "rwx", "none" -> PROT_* bits. */
static bool parse_prot(const char *str, unsigned long *prot)
{
	*prot = PROT_NONE;
	if (!strcmp(str, "none"))
		return true;
	for (const char *c = str; *c; c++) {
		if (*c == 'r')
			*prot |= PROT_READ;
		else if (*c == 'w')
			*prot |= PROT_WRITE;
		else if (*c == 'x')
			*prot |= PROT_EXEC;
		else
			return false;
	}
	return *str != '\0';
}

/* "private,anonymous" -> MAP_* bits. */
static bool parse_flags(const char *str, unsigned long *flags)
{
	static const struct script_flag_name names[] = {
		{ "private", MAP_PRIVATE }, { "shared", MAP_SHARED },
		{ "anonymous", MAP_ANONYMOUS }, { "fixed", MAP_FIXED },
		{ "fixed_noreplace", MAP_FIXED_NOREPLACE }, { "noreserve", MAP_NORESERVE },
		{ "growsdown", MAP_GROWSDOWN }, { "stack", MAP_STACK },
	};

	return script_parse_flag_list(str, ",", names, ARRAY_SIZE(names), flags);
}

enum script_status cmd_spawn(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	enum script_status st = SCRIPT_OK;
	const char *comm;
	struct task_struct *tsk;
	int slot;

	(void)rest;
	if (argc < 1 || argc > 2 || (argc == 2 && strncmp(argv[1], "comm=", 5)))
		return script_error(s, "usage: spawn P [comm=NAME]");
	slot = new_task_slot(s, "spawn", argv[0], &st);
	if (slot < 0)
		return st;
	comm = argc == 2 ? argv[1] + 5 : argv[0];
	tsk = linmm_spawn(comm);
	if (!tsk)
		return script_error(s, "spawn: %s", linmm_last_error());
	snprintf(tasks[slot].name, sizeof(tasks[slot].name), "%s", argv[0]);
	tasks[slot].tsk = tsk;
	printf("spawn %s: pid=%d comm=%s\n", argv[0], tsk->pid, tsk->comm);
	return SCRIPT_OK;
}

/* fork P Q: Q is a copy of P (kernel/fork.c); Q may use P's mapping names. */
enum script_status cmd_fork(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	enum script_status st = SCRIPT_OK;
	struct task_struct *parent, *tsk;
	int slot;

	(void)rest;
	if (argc != 2)
		return script_error(s, "usage: fork P Q");
	parent = need_task(s, "fork", argc, argv, &st);
	if (!parent)
		return st;
	slot = new_task_slot(s, "fork", argv[1], &st);
	if (slot < 0)
		return st;
	tsk = linmm_fork(parent);
	if (!tsk) {
		printf("fork %s: ENOMEM\n", argv[0]);
		return SCRIPT_OK;
	}
	snprintf(tasks[slot].name, sizeof(tasks[slot].name), "%s", argv[1]);
	tasks[slot].tsk = tsk;
	tasks[slot].parent = parent;
	printf("fork %s %s: pid=%d comm=%s\n", argv[0], argv[1], tsk->pid, tsk->comm);
	return SCRIPT_OK;
}

enum script_status cmd_exit(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	struct task_handle *t;

	(void)rest;
	if (argc != 1)
		return script_error(s, "usage: exit P");
	t = task_find(argv[0]);
	if (!t)
		return script_error(s, "exit: no task named '%s'", argv[0]);
	for (int i = 0; i < MAX_MAPS; i++)
		if (maps[i].tsk == t->tsk)
			memset(&maps[i], 0, sizeof(maps[i]));
	printf("exit %s: pid=%d\n", argv[0], t->tsk->pid);
	linmm_task_exit(t->tsk);
	memset(t, 0, sizeof(*t));
	return SCRIPT_OK;
}

enum script_status cmd_exec(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	static const char usage[] = "usage: exec P [PATH] [text=N] [data=N] [bss=N]";
	struct linmm_exec_image img = { .text_size = 8 << 10, .data_size = 4 << 10,
					.bss_size = 4 << 10 };
	enum script_status st = SCRIPT_OK;
	struct task_struct *tsk;
	char path[128];
	int i = 1, ret;

	(void)rest;
	if (argc < 1)
		return script_error(s, usage);
	tsk = need_task(s, "exec", argc, argv, &st);
	if (!tsk)
		return st;
	snprintf(path, sizeof(path), "/usr/bin/%s", argv[0]);
	if (argc > 1 && !strchr(argv[1], '=')) {
		if (strlen(argv[1]) >= sizeof(path))
			return script_error(s, "exec: path too long");
		snprintf(path, sizeof(path), "%s", argv[1]);
		i = 2;
	}
	for (; i < argc; i++) {
		unsigned long *size = !strncmp(argv[i], "text=", 5) ? &img.text_size :
				      !strncmp(argv[i], "data=", 5) ? &img.data_size :
				      !strncmp(argv[i], "bss=", 4) ? &img.bss_size : NULL;

		if (!size || !script_parse_size(strchr(argv[i], '=') + 1, ~0UL, size))
			return script_error(s, "exec: bad argument '%s'; %s", argv[i], usage);
	}
	img.path = path;
	ret = linmm_execve(tsk, &img);
	if (ret) {
		printf("exec %s: %s\n", argv[0], errno_name(ret));
		return SCRIPT_OK;
	}
	/* The old mappings went with the old mm. */
	for (int m = 0; m < MAX_MAPS; m++)
		if (maps[m].tsk == tsk)
			memset(&maps[m], 0, sizeof(maps[m]));
	printf("exec %s: pid=%d comm=%s\n", argv[0], tsk->pid, tsk->comm);
	return SCRIPT_OK;
}

enum script_status cmd_mmap(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	unsigned long len, prot = PROT_READ | PROT_WRITE, flags = MAP_PRIVATE | MAP_ANONYMOUS;
	unsigned long addr = 0, ret, fd = ~0UL, offset = 0;
	enum script_status st = SCRIPT_OK;
	struct task_struct *tsk;
	bool flags_given = false;
	int slot;

	(void)rest;
	if (argc < 3)
		return script_error(s, "usage: mmap P H LEN [prot=rw] [flags=private,anonymous] "
				    "[addr=A] [fd=FD offset=N]");
	tsk = need_task(s, "mmap", argc, argv, &st);
	if (!tsk)
		return st;
	if (!name_ok(argv[1]) || map_find(argv[1]))
		return script_error(s, "mmap: bad or used mapping name '%s'", argv[1]);
	if (!script_parse_size(argv[2], ~0UL, &len))
		return script_error(s, "mmap: bad length '%s'", argv[2]);
	for (int i = 3; i < argc; i++) {
		bool ok;

		if (!strncmp(argv[i], "prot=", 5))
			ok = parse_prot(argv[i] + 5, &prot);
		else if (!strncmp(argv[i], "flags=", 6))
			ok = flags_given = parse_flags(argv[i] + 6, &flags);
		else if (!strncmp(argv[i], "addr=", 5))
			ok = script_parse_size(argv[i] + 5, ~0UL, &addr);
		else if (!strncmp(argv[i], "fd=", 3)) {
			int v;

			ok = script_parse_fd(argv[0], argv[i] + 3, &v) && v >= 0;
			fd = (unsigned long)v;
		}
		else if (!strncmp(argv[i], "offset=", 7))
			ok = script_parse_size(argv[i] + 7, ~0UL, &offset);
		else
			ok = false;
		if (!ok)
			return script_error(s, "mmap: bad argument '%s'", argv[i]);
	}
	/* A file mapping: private unless flags= says otherwise. */
	if (fd != ~0UL && !flags_given)
		flags = MAP_PRIVATE;
	slot = free_map_slot();
	if (slot < 0)
		return script_error(s, "mmap: at most %d mapping names", MAX_MAPS);
	ret = linmm_mmap(tsk, addr, len, prot, flags, fd == ~0UL ? -1 : (int)fd, offset);
	if (IS_ERR_VALUE(ret)) {
		printf("mmap %s: %s\n", argv[1], errno_name((long)ret));
		return SCRIPT_OK;
	}
	map_set(slot, argv[1], tsk, ret, PAGE_ALIGN(len));
	printf("mmap %s: 0x%lx-0x%lx\n", argv[1], ret, ret + PAGE_ALIGN(len));
	return SCRIPT_OK;
}

bool script_map_add(struct task_struct *tsk, const char *name, unsigned long addr,
		    unsigned long len)
{
	int slot = free_map_slot();

	if (!name_ok(name) || map_find(name) || slot < 0)
		return false;
	map_set(slot, name, tsk, addr, len);
	return true;
}

/* "ADDR|H [LEN]": the range; LEN is required with an address. */
static bool parse_range(struct task_struct *tsk, int argc, char **argv, int *used,
			unsigned long *addr, unsigned long *len)
{
	struct map_handle *m = map_find(argv[0]);
	bool has_len = argc > 1 && !strchr(argv[1], '=');

	*used = 1 + has_len;
	if (m && map_usable(m, tsk)) {
		*addr = m->addr;
		*len = m->len;
	} else if (!has_len || !script_parse_size(argv[0], ~0UL, addr)) {
		return false;
	}
	return !has_len || script_parse_size(argv[1], ~0UL, len);
}

enum script_status cmd_munmap(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	enum script_status st = SCRIPT_OK;
	unsigned long addr, len;
	struct task_struct *tsk;
	int used, ret;

	(void)rest;
	if (argc < 2)
		return script_error(s, "usage: munmap P ADDR|H [LEN]");
	tsk = need_task(s, "munmap", argc, argv, &st);
	if (!tsk)
		return st;
	if (!parse_range(tsk, argc - 1, argv + 1, &used, &addr, &len) || used != argc - 1)
		return script_error(s, "usage: munmap P ADDR|H [LEN]");
	ret = linmm_munmap(tsk, addr, len);
	printf("munmap 0x%lx %lu: %s\n", addr, len, ret ? errno_name(ret) : "0");
	return SCRIPT_OK;
}

enum script_status cmd_mprotect(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	enum script_status st = SCRIPT_OK;
	unsigned long addr, len, prot;
	struct task_struct *tsk;
	int used, ret;

	(void)rest;
	if (argc < 3)
		return script_error(s, "usage: mprotect P ADDR|H [LEN] prot=P");
	tsk = need_task(s, "mprotect", argc, argv, &st);
	if (!tsk)
		return st;
	if (!parse_range(tsk, argc - 1, argv + 1, &used, &addr, &len) || used != argc - 2 ||
	    strncmp(argv[argc - 1], "prot=", 5) || !parse_prot(argv[argc - 1] + 5, &prot))
		return script_error(s, "usage: mprotect P ADDR|H [LEN] prot=P");
	ret = linmm_mprotect(tsk, addr, len, prot);
	printf("mprotect 0x%lx %lu %s: %s\n", addr, len, argv[argc - 1] + 5,
	       ret ? errno_name(ret) : "0");
	return SCRIPT_OK;
}

/* "maymove,fixed,dontunmap" -> MREMAP_* bits. */
static bool parse_mremap_flags(const char *str, unsigned long *flags)
{
	static const struct script_flag_name names[] = {
		{ "maymove", MREMAP_MAYMOVE }, { "fixed", MREMAP_FIXED },
		{ "dontunmap", MREMAP_DONTUNMAP },
	};

	return script_parse_flag_list(str, ",", names, ARRAY_SIZE(names), flags);
}

/*
 * "mremap P ADDR|H[+OFF] OLD_LEN NEW_LEN [flags=...] [addr=A]".  A plain H
 * (no offset) is moved along: after a success it names the new range.
 */
enum script_status cmd_mremap(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	static const char usage[] = "usage: mremap P ADDR|H[+OFF] OLD_LEN NEW_LEN "
				    "[flags=maymove,fixed,dontunmap] [addr=A]";
	unsigned long addr, old_len, new_len, flags = 0, new_addr = 0, ret;
	enum script_status st = SCRIPT_OK;
	struct map_handle *m = NULL;
	struct task_struct *tsk;
	char name[TASK_NAME_MAX];
	long off = 0;

	(void)rest;
	if (argc < 4)
		return script_error(s, "%s", usage);
	tsk = need_task(s, "mremap", argc, argv, &st);
	if (!tsk)
		return st;
	if (script_parse_target(argv[1], name, sizeof(name), &off))
		m = map_find(name);
	if (m && m->tsk == tsk)
		addr = m->addr + (unsigned long)off;
	else if (!script_parse_size(argv[1], ~0UL, &addr))
		return script_error(s, "mremap: '%s' is neither an address nor a mapping of %s",
				    argv[1], argv[0]);
	else
		m = NULL;
	if (!script_parse_size(argv[2], ~0UL, &old_len) ||
	    !script_parse_size(argv[3], ~0UL, &new_len))
		return script_error(s, "%s", usage);
	for (int i = 4; i < argc; i++) {
		bool ok;

		if (!strncmp(argv[i], "flags=", 6))
			ok = parse_mremap_flags(argv[i] + 6, &flags);
		else if (!strncmp(argv[i], "addr=", 5))
			ok = script_parse_size(argv[i] + 5, ~0UL, &new_addr);
		else
			ok = false;
		if (!ok)
			return script_error(s, "mremap: bad argument '%s'", argv[i]);
	}
	ret = linmm_mremap(tsk, addr, old_len, new_len, flags, new_addr);
	if (IS_ERR_VALUE(ret)) {
		printf("mremap %s: %s\n", argv[1], errno_name((long)ret));
		return SCRIPT_OK;
	}
	printf("mremap %s: 0x%lx-0x%lx\n", argv[1], ret, ret + PAGE_ALIGN(new_len));
	if (m && !off) {
		m->addr = ret;
		m->len = PAGE_ALIGN(new_len);
	}
	return SCRIPT_OK;
}

enum script_status cmd_brk(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	enum script_status st = SCRIPT_OK;
	unsigned long arg = 0, cur, ret;
	struct task_struct *tsk;

	(void)rest;
	if (argc < 1 || argc > 2)
		return script_error(s, "usage: brk P [ADDR|+N|-N]");
	tsk = need_task(s, "brk", argc, argv, &st);
	if (!tsk)
		return st;
	cur = linmm_brk(tsk, 0);
	if (argc == 2) {
		const char *v = argv[1];
		bool rel = *v == '+' || *v == '-';

		if (!script_parse_size(v + rel, ~0UL, &arg))
			return script_error(s, "brk: bad value '%s'", v);
		if (*v == '+')
			arg = cur + arg;
		else if (*v == '-')
			arg = cur - arg;
	}
	ret = linmm_brk(tsk, arg);
	printf("brk %s: 0x%lx\n", argv[0], ret);
	return SCRIPT_OK;
}

/* ---- for the other task commands (commands_madvise.c) ---- */

const char *script_errno_name(long err)
{
	return errno_name(err);
}

struct task_struct *script_need_task(struct linmm_script *s, const char *cmd, int argc,
				     char **argv, enum script_status *st)
{
	return need_task(s, cmd, argc, argv, st);
}

bool script_parse_range(struct task_struct *tsk, int argc, char **argv, int *used,
			unsigned long *addr, unsigned long *len)
{
	return parse_range(tsk, argc, argv, used, addr, len);
}

bool script_task_exists(const char *name)
{
	return task_find(name) != NULL;
}
