// SPDX-License-Identifier: MIT
/*
 * commands_shm.c - the SysV shared memory commands (ipc/shm.c):
 *
 *   shmget P H KEY SIZE [creat,excl] [mode=0600]   H names the id
 *   shmat P H SHMID|H [addr=A] [rdonly] [rnd] [remap] [exec]
 *                                                  H names the mapping
 *   shmdt P ADDR|H
 *   shmctl P SHMID|H rmid|stat
 *
 * KEY is a number or "private" (IPC_PRIVATE).  Output:
 *
 *   shmget seg: shmid 0
 *   shmat p1 a: 0x7ffff7ff0000-0x7ffff7ff2000
 *   shmctl p1 seg stat: key 0x00001234 segsz 8192 nattch 1 mode 0600 cpid 1 lpid 1
 *   shmget seg2: EEXIST
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/mmap.h>
#include <linmm/sched.h>
#include <linmm/shm.h>

#include "tools/linmm/script.h"

#define MAX_SHM_HANDLES 64

static struct {
	char name[32];
	int id;
} shm_handles[MAX_SHM_HANDLES];

void script_shm_reset(void)
{
	memset(shm_handles, 0, sizeof(shm_handles));
}

/* A shmid: a number, or an shmget handle's. */
static bool parse_shmid(const char *arg, int *id)
{
	char *end;
	long v;

	for (int i = 0; i < MAX_SHM_HANDLES; i++)
		if (shm_handles[i].name[0] && !strcmp(shm_handles[i].name, arg)) {
			*id = shm_handles[i].id;
			return true;
		}
	v = strtol(arg, &end, 0);
	if (*arg == '\0' || *end || v < -2147483648L || v > 2147483647L)
		return false;
	*id = (int)v;
	return true;
}

enum script_status cmd_shmget(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	static const char usage[] = "usage: shmget P H KEY SIZE [creat,excl] [mode=0600]";
	enum script_status st = SCRIPT_OK;
	unsigned long size, key, mode = 0600;
	struct task_struct *tsk;
	int flags = 0, ret, slot = -1;

	(void)rest;
	if (argc < 4)
		return script_error(s, usage);
	tsk = script_need_task(s, "shmget", argc, argv, &st);
	if (!tsk)
		return st;
	if (!script_handle_name_ok(argv[1]) || strlen(argv[1]) >= sizeof(shm_handles[0].name))
		return script_error(s, "shmget: bad handle name '%s'", argv[1]);
	if (!strcmp(argv[2], "private"))
		key = IPC_PRIVATE;
	else if (!script_parse_size(argv[2], 0xffffffffUL, &key))
		return script_error(s, "shmget: bad key '%s'; %s", argv[2], usage);
	if (!script_parse_size(argv[3], ~0UL, &size))
		return script_error(s, "shmget: bad size '%s'; %s", argv[3], usage);
	for (int i = 4; i < argc; i++) {
		char buf[64], *save = NULL;

		if (!strncmp(argv[i], "mode=", 5)) {
			char *end;

			mode = strtoul(argv[i] + 5, &end, 8);
			if (*end || mode > 0777)
				return script_error(s, "shmget: bad mode '%s'", argv[i]);
			continue;
		}
		snprintf(buf, sizeof(buf), "%s", argv[i]);
		for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
			if (!strcmp(w, "creat"))
				flags |= IPC_CREAT;
			else if (!strcmp(w, "excl"))
				flags |= IPC_EXCL;
			else
				return script_error(s, "shmget: bad flag '%s'; %s", w, usage);
		}
	}
	ret = linmm_shmget(tsk, (int)(unsigned int)key, size, flags | (int)mode);
	if (ret < 0) {
		printf("shmget %s: %s\n", argv[1], script_errno_name(ret));
		return SCRIPT_OK;
	}
	for (int i = 0; i < MAX_SHM_HANDLES; i++)
		if (!shm_handles[i].name[0] || !strcmp(shm_handles[i].name, argv[1])) {
			slot = i;
			break;
		}
	if (slot < 0)
		return script_error(s, "shmget: at most %d handles", MAX_SHM_HANDLES);
	snprintf(shm_handles[slot].name, sizeof(shm_handles[slot].name), "%s", argv[1]);
	shm_handles[slot].id = ret;
	printf("shmget %s: shmid %d\n", argv[1], ret);
	return SCRIPT_OK;
}

enum script_status cmd_shmat(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	static const char usage[] =
		"usage: shmat P H SHMID [addr=A] [rdonly] [rnd] [remap] [exec]";
	enum script_status st = SCRIPT_OK;
	struct linmm_shmid_ds ds;
	struct task_struct *tsk;
	unsigned long addr = 0, ret;
	int id, flags = 0;

	(void)rest;
	if (argc < 3)
		return script_error(s, usage);
	tsk = script_need_task(s, "shmat", argc, argv, &st);
	if (!tsk)
		return st;
	if (!parse_shmid(argv[2], &id))
		return script_error(s, "shmat: bad shmid '%s'; %s", argv[2], usage);
	for (int i = 3; i < argc; i++) {
		if (!strncmp(argv[i], "addr=", 5) && script_parse_size(argv[i] + 5, ~0UL, &addr))
			continue;
		if (!strcmp(argv[i], "rdonly"))
			flags |= SHM_RDONLY;
		else if (!strcmp(argv[i], "rnd"))
			flags |= SHM_RND;
		else if (!strcmp(argv[i], "remap"))
			flags |= SHM_REMAP;
		else if (!strcmp(argv[i], "exec"))
			flags |= SHM_EXEC;
		else
			return script_error(s, "shmat: bad argument '%s'; %s", argv[i], usage);
	}
	ret = linmm_shmat(tsk, id, addr, flags);
	if (IS_ERR_VALUE(ret)) {
		printf("shmat %s: %s\n", argv[1], script_errno_name((long)ret));
		return SCRIPT_OK;
	}
	if (linmm_shmctl(tsk, id, IPC_STAT, &ds))
		ds.shm_segsz = PAGE_SIZE;
	if (!script_map_add(tsk, argv[1], ret, PAGE_ALIGN(ds.shm_segsz)))
		return script_error(s, "shmat: bad or used mapping name '%s'", argv[1]);
	printf("shmat %s: 0x%lx-0x%lx\n", argv[1], ret, ret + PAGE_ALIGN(ds.shm_segsz));
	return SCRIPT_OK;
}

enum script_status cmd_shmdt(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	enum script_status st = SCRIPT_OK;
	struct task_struct *tsk;
	unsigned long addr, len;
	int used, ret;

	(void)rest;
	if (argc < 2)
		return script_error(s, "usage: shmdt P ADDR|H");
	tsk = script_need_task(s, "shmdt", argc, argv, &st);
	if (!tsk)
		return st;
	if (!script_parse_range(tsk, 1, argv + 1, &used, &addr, &len) &&
	    !script_parse_size(argv[1], ~0UL, &addr))
		return script_error(s, "shmdt: bad address '%s'", argv[1]);
	ret = linmm_shmdt(tsk, addr);
	printf("shmdt %s: %s\n", argv[1], ret ? script_errno_name(ret) : "ok");
	return SCRIPT_OK;
}

enum script_status cmd_shmctl(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	enum script_status st = SCRIPT_OK;
	struct linmm_shmid_ds ds;
	struct task_struct *tsk;
	int id, ret, cmd;

	(void)rest;
	if (argc < 3)
		return script_error(s, "usage: shmctl P SHMID rmid|stat");
	tsk = script_need_task(s, "shmctl", argc, argv, &st);
	if (!tsk)
		return st;
	if (!parse_shmid(argv[1], &id))
		return script_error(s, "shmctl: bad shmid '%s'", argv[1]);
	if (!strcmp(argv[2], "rmid"))
		cmd = IPC_RMID;
	else if (!strcmp(argv[2], "stat"))
		cmd = IPC_STAT;
	else
		return script_error(s, "shmctl: bad command '%s' (rmid, stat)", argv[2]);
	ret = linmm_shmctl(tsk, id, cmd, &ds);
	if (ret) {
		printf("shmctl %s %s: %s\n", argv[1], argv[2], script_errno_name(ret));
		return SCRIPT_OK;
	}
	if (cmd == IPC_RMID)
		printf("shmctl %s rmid: ok\n", argv[1]);
	else
		printf("shmctl %s stat: key 0x%08x segsz %lu nattch %lu mode %04o cpid %d lpid %d\n",
		       argv[1], (unsigned int)ds.key, ds.shm_segsz, ds.shm_nattch, ds.mode,
		       ds.shm_cpid, ds.shm_lpid);
	return SCRIPT_OK;
}
