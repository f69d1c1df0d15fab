// SPDX-License-Identifier: MIT
/*
 * commands_shm.c - the SysV shared memory commands (ipc/shm.c):
 *
 *   shmget P H KEY SIZE [creat,excl] [mode=0600]   H names the id
 *   shmat P H SHMID|H [addr=A] [rdonly] [rnd] [remap] [exec]
 *                                                  H names the mapping
 *   shmdt P ADDR|H
 *   shmctl P SHMID|H rmid|stat|set|lock|unlock|info|shm_info|shm_stat|shm_stat_any
 *                [mode=0600] [uid=N] [gid=N]      (set: from IPC_STAT, these changed)
 *   ipcs [-m]                                      util-linux's ipcs -m table
 *
 * KEY is a number or "private" (IPC_PRIVATE); for shm_stat* SHMID is an
 * index, for info and shm_info any number >= 0.  Output:
 *
 *   shmget seg: shmid 0
 *   shmat p1 a: 0x7ffff7ff0000-0x7ffff7ff2000
 *   shmctl seg stat: key 0x00001234 segsz 8192 nattch 1 mode 0600 uid 0 gid 0 cpid 1 lpid 1
 *   shmctl 0 shm_stat: shmid 0 key 0x00001234 segsz 8192 ...
 *   shmctl 0 info: maxidx 0 shmmax ... shmmin 1 shmmni 4096 shmseg 4096 shmall ...
 *   shmctl 0 shm_info: maxidx 0 used_ids 1 shm_tot 2 shm_rss 1 shm_swp 0 ...
 *   shmctl seg lock: ok
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

static const struct {
	const char *name;
	int cmd;
} shmctl_cmds[] = {
	{ "rmid", IPC_RMID }, { "set", IPC_SET }, { "stat", IPC_STAT }, { "info", IPC_INFO },
	{ "lock", SHM_LOCK }, { "unlock", SHM_UNLOCK }, { "shm_stat", SHM_STAT },
	{ "shm_info", SHM_INFO }, { "shm_stat_any", SHM_STAT_ANY },
};

static void print_ds(const struct linmm_shmid_ds *ds)
{
	printf("key 0x%08x segsz %lu nattch %lu mode %04o uid %u gid %u cpid %d lpid %d\n",
	       (unsigned int)ds->key, ds->shm_segsz, ds->shm_nattch, ds->mode, ds->uid, ds->gid,
	       ds->shm_cpid, ds->shm_lpid);
}

/* IPC_SET's input: the segment's IPC_STAT with mode=, uid=, gid= applied. */
static bool parse_set_args(struct linmm_script *s, struct task_struct *tsk, int id, int argc,
			   char **argv, struct linmm_shmid_ds *ds)
{
	if (linmm_shmctl(tsk, id, IPC_STAT, ds))
		memset(ds, 0, sizeof(*ds));
	for (int i = 3; i < argc; i++) {
		unsigned long v;
		char *end;

		if (!strncmp(argv[i], "mode=", 5)) {
			v = strtoul(argv[i] + 5, &end, 8);
			if (argv[i][5] == '\0' || *end || v > 07777) {
				script_error(s, "shmctl: bad mode '%s'", argv[i]);
				return false;
			}
			ds->mode = (unsigned int)v;
		} else if (!strncmp(argv[i], "uid=", 4) || !strncmp(argv[i], "gid=", 4)) {
			if (!script_parse_size(argv[i] + 4, 0xffffffffUL, &v)) {
				script_error(s, "shmctl: bad id '%s'", argv[i]);
				return false;
			}
			if (argv[i][0] == 'u')
				ds->uid = (unsigned int)v;
			else
				ds->gid = (unsigned int)v;
		} else {
			script_error(s, "shmctl: bad argument '%s' (mode=, uid=, gid=)", argv[i]);
			return false;
		}
	}
	return true;
}

enum script_status cmd_shmctl(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	static const char usage[] = "usage: shmctl P SHMID rmid|stat|set|lock|unlock|info|"
				    "shm_info|shm_stat|shm_stat_any [mode=0600] [uid=N] [gid=N]";
	enum script_status st = SCRIPT_OK;
	struct linmm_shm_info shm_info;
	struct linmm_shminfo shminfo;
	struct linmm_shmid_ds ds;
	struct task_struct *tsk;
	int id, ret, cmd = -1;
	void *buf = &ds;

	(void)rest;
	if (argc < 3)
		return script_error(s, usage);
	tsk = script_need_task(s, "shmctl", argc, argv, &st);
	if (!tsk)
		return st;
	if (!parse_shmid(argv[1], &id))
		return script_error(s, "shmctl: bad shmid '%s'", argv[1]);
	for (size_t i = 0; i < sizeof(shmctl_cmds) / sizeof(shmctl_cmds[0]); i++)
		if (!strcmp(argv[2], shmctl_cmds[i].name))
			cmd = shmctl_cmds[i].cmd;
	if (cmd < 0)
		return script_error(s, "shmctl: bad command '%s'; %s", argv[2], usage);
	if (cmd == IPC_SET) {
		if (!parse_set_args(s, tsk, id, argc, argv, &ds))
			return SCRIPT_ERROR;
	} else if (argc > 3) {
		return script_error(s, "shmctl: '%s' takes no arguments; %s", argv[2], usage);
	}
	if (cmd == IPC_INFO)
		buf = &shminfo;
	else if (cmd == SHM_INFO)
		buf = &shm_info;
	ret = linmm_shmctl(tsk, id, cmd, buf);
	printf("shmctl %s %s: ", argv[1], argv[2]);
	if (ret < 0) {
		printf("%s\n", script_errno_name(ret));
		return SCRIPT_OK;
	}
	switch (cmd) {
	case IPC_STAT:
		print_ds(&ds);
		break;
	case SHM_STAT:
	case SHM_STAT_ANY:
		printf("shmid %d ", ret);
		print_ds(&ds);
		break;
	case IPC_INFO:
		printf("maxidx %d shmmax %lu shmmin %lu shmmni %lu shmseg %lu shmall %lu\n", ret,
		       shminfo.shmmax, shminfo.shmmin, shminfo.shmmni, shminfo.shmseg,
		       shminfo.shmall);
		break;
	case SHM_INFO:
		printf("maxidx %d used_ids %d shm_tot %lu shm_rss %lu shm_swp %lu "
		       "swap_attempts %lu swap_successes %lu\n", ret, shm_info.used_ids,
		       shm_info.shm_tot, shm_info.shm_rss, shm_info.shm_swp,
		       shm_info.swap_attempts, shm_info.swap_successes);
		break;
	default:
		printf("ok\n");
		break;
	}
	return SCRIPT_OK;
}

/*
 * ipcs -m as util-linux prints it (the segments by SHM_INFO's highest
 * index and SHM_STAT_ANY; the owner is "root" for uid 0, else the number):
 *
 *   ------ Shared Memory Segments --------
 *   key        shmid      owner      perms      bytes      nattch     status
 *   0x00001234 0          root       600        8192       1          dest   locked
 */
enum script_status cmd_ipcs(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	struct task_struct *tsk = NULL;	/* SHM_INFO and SHM_STAT_ANY check no credentials */
	struct linmm_shm_info info;
	int maxidx;

	(void)rest;
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "-m")))
		return script_error(s, "usage: ipcs [-m] (linmm has shared memory only)");
	maxidx = linmm_shmctl(tsk, 0, SHM_INFO, &info);
	printf("\n------ Shared Memory Segments --------\n");
	printf("%-10s %-10s %-10s %-10s %-10s %-10s %-12s\n", "key", "shmid", "owner", "perms",
	       "bytes", "nattch", "status");
	for (int i = 0; i <= maxidx && info.used_ids; i++) {
		struct linmm_shmid_ds ds;
		int id = linmm_shmctl(tsk, i, SHM_STAT_ANY, &ds);

		if (id < 0)
			continue;
		printf("0x%08x %-10d ", (unsigned int)ds.key, id);
		if (ds.uid == 0)
			printf("%-10.10s ", "root");
		else
			printf("%-10u ", ds.uid);
		printf("%-10o %-10lu %-10lu %-6s %-6s\n", ds.mode & 0777, ds.shm_segsz,
		       ds.shm_nattch, (ds.mode & SHM_DEST_LINMM) ? "dest" : " ",
		       (ds.mode & SHM_LOCKED_LINMM) ? "locked" : " ");
	}
	printf("\n");
	return SCRIPT_OK;
}
