// SPDX-License-Identifier: MIT
/*
 * proc.c - the file namespace behind linmm_proc_read(), linmm_proc_write()
 * and linmm_proc_paths() (fs/proc/root.c and generic.c, fs/sysfs).
 *
 * A path is one of:
 *   /proc/<name>                         a fixed renderer (meminfo, zoneinfo...)
 *   /proc/sys/<dir>/<knob>               a sysctl (kernel/sysctl.c)
 *   /proc/<pid>/<file>                   a task's file (fs/proc/task_mmu.c: maps)
 *   /sys/devices/system/node/nodeN/<f>   a per-node file (NUMA models only)
 *   /sys/block/ram0/...                  the disk's stat and queue/read_ahead_kb
 * Renderers write into a seq_file whose text the caller takes and frees
 * with linmm_free().  Reading never changes the machine except for the
 * folding of pending per-CPU NUMA events, as in the kernel.
 *
 * Locks: none here.  linmm_proc_paths() returns a table in static storage,
 * valid until its next call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/blkdev.h>
#include <linmm/ioport.h>
#include <linmm/kernel-page-flags.h>
#include <linmm/proc_pagemap.h>
#include <linmm/sched.h>
#include <linmm/linmm.h>
#include <linmm/seq_file.h>
#include <linmm/sysctl.h>

#include "arch/arch.h"
#include "fs/proc/internal.h"
#include <linmm/shm.h>

#include "kernel/host.h"
#include "kernel/machine.h"
#include "mm/internal.h"

#define PROC_SYS "/proc/sys/"
#define PROC_PID "/proc/"	/* followed by a pid: /proc/<pid>/<file> */
#define NODE_DIR "/sys/devices/system/node/node"
#define PROC_PATH_MAX 96
#define PROC_PATHS_MAX 256

static const struct {
	const char *path;
	void (*show)(struct seq_file *m);
} proc_files[] = {
	{ "/proc/buddyinfo", frag_show },
	{ "/proc/iomem", iomem_show },
	{ "/proc/meminfo", meminfo_proc_show },
	{ "/proc/pagetypeinfo", pagetypeinfo_show },
	{ "/proc/slabinfo", slabinfo_show },
	{ "/proc/sysvipc/shm", sysvipc_shm_show },	/* ipc/shm.c */
	{ "/proc/vmallocinfo", vmalloc_info_show },
	{ "/proc/vmstat", vmstat_show },
	{ "/proc/zoneinfo", zoneinfo_show },
	{ "/sys/block/ram0/queue/read_ahead_kb", bdev_ra_show },	/* fs/block_dev.c, writable */
	{ "/sys/block/ram0/stat", bdev_stat_show },	/* fs/block_dev.c */
};

static const struct {
	const char *name;
	void (*show)(struct seq_file *m, int nid);
} node_files[] = {
	{ "meminfo", node_read_meminfo },
	{ "numastat", node_read_numastat },
};

static char *render(void (*show)(struct seq_file *m), const char *path)
{
	struct seq_file m;
	char *text;

	seq_file_init(&m);
	show(&m);
	text = seq_file_take(&m);
	if (!text)
		linmm_set_error("out of host memory rendering %s", path);
	return text;
}

/* "/sys/devices/system/node/node<N>/<file>": the node and the file's index, or -1. */
static int parse_node_path(const char *path, int *nid)
{
	const char *p = path + strlen(NODE_DIR);
	char *end;
	long n;

	if (strncmp(path, NODE_DIR, strlen(NODE_DIR)) || *p < '0' || *p > '9')
		return -1;
	n = strtol(p, &end, 10);
	if (*end != '/' || (end - p > 1 && *p == '0') || n >= nr_online_nodes)
		return -1;
	for (int i = 0; i < (int)ARRAY_SIZE(node_files); i++) {
		if (!strcmp(end + 1, node_files[i].name)) {
			*nid = (int)n;
			return i;
		}
	}
	return -1;
}

/*
 * The binary files: /proc/<pid>/pagemap (fs/proc/task_mmu.c) and
 * /proc/kpageflags (fs/proc/page.c), both arrays of u64 read at 8-byte
 * aligned offsets, as the kernel requires (-EINVAL otherwise).
 */
long linmm_proc_read_binary(const char *path, unsigned long long offset, size_t len, void *buf)
{
	const char *p = path + strlen(PROC_PID);
	struct task_struct *tsk;
	char *end;
	long pid;

	if (!linmm_booted) {
		linmm_set_error("no machine is booted");
		return -ENODEV;
	}
	if (!strcmp(path, "/proc/kpageflags")) {
		if ((offset % sizeof(u64)) || (len % sizeof(u64)))
			return -EINVAL;
		return (long)(linmm_kpageflags_read(buf, (unsigned long)(offset / sizeof(u64)),
						    len / sizeof(u64)) * sizeof(u64));
	}
	if (strncmp(path, PROC_PID, strlen(PROC_PID)) || *p < '1' || *p > '9')
		goto enoent;
	pid = strtol(p, &end, 10);
	if (strcmp(end, "/pagemap") || pid > INT32_MAX)
		goto enoent;
	tsk = find_task_by_vpid((int)pid);
	if (!tsk)
		goto enoent;
	return pagemap_read(tsk, offset, len, buf, /* show_pfn = */ true);
enoent:
	linmm_set_error("No such file or directory");
	return -ENOENT;
}

char *linmm_proc_read(const char *path)
{
	struct seq_file m;
	int nid, file;
	char *text;

	if (!linmm_booted) {
		linmm_set_error("no machine is booted");
		return NULL;
	}
	if (!strncmp(path, PROC_SYS, strlen(PROC_SYS)))
		return sysctl_read(path + strlen(PROC_SYS));
	for (size_t i = 0; i < ARRAY_SIZE(proc_files); i++)
		if (!strcmp(path, proc_files[i].path))
			return render(proc_files[i].show, path);
	if (!strncmp(path, PROC_PID, strlen(PROC_PID)) && path[strlen(PROC_PID)] >= '1' &&
	    path[strlen(PROC_PID)] <= '9') {
		seq_file_init(&m);
		if (proc_pid_show(&m, path + strlen(PROC_PID))) {
			seq_file_release(&m);
			linmm_set_error("No such file or directory");
			return NULL;
		}
		text = seq_file_take(&m);
		if (!text)
			linmm_set_error("out of host memory rendering %s", path);
		return text;
	}
	file = linmm_arch->numa ? parse_node_path(path, &nid) : -1;
	if (file < 0) {
		linmm_set_error("No such file or directory");
		return NULL;
	}
	seq_file_init(&m);
	node_files[file].show(&m, nid);
	text = seq_file_take(&m);
	if (!text)
		linmm_set_error("out of host memory rendering %s", path);
	return text;
}

int linmm_proc_write(const char *path, const char *value)
{
	int nid;

	if (!linmm_booted) {
		linmm_set_error("no machine is booted");
		return -ENODEV;
	}
	if (!strncmp(path, PROC_SYS, strlen(PROC_SYS)))
		return sysctl_write(path + strlen(PROC_SYS), value);
	if (!strcmp(path, "/sys/block/ram0/queue/read_ahead_kb")) {
		int err = bdev_ra_store(value);

		if (err)
			linmm_set_error("read_ahead_kb: Invalid argument");
		return err;
	}
	for (size_t i = 0; i < ARRAY_SIZE(proc_files); i++) {
		if (!strcmp(path, proc_files[i].path)) {
			linmm_set_error("Permission denied");
			return -EACCES;
		}
	}
	if (linmm_arch->numa && parse_node_path(path, &nid) >= 0) {
		linmm_set_error("Permission denied");
		return -EACCES;
	}
	linmm_set_error("No such file or directory");
	return -ENOENT;
}

struct path_table {
	char names[PROC_PATHS_MAX][PROC_PATH_MAX];
	const char *ptrs[PROC_PATHS_MAX + 1];
	int n;
};

static void path_add(struct path_table *t, const char *path)
{
	if (t->n == PROC_PATHS_MAX)
		return;
	snprintf(t->names[t->n], PROC_PATH_MAX, "%s", path);
	t->ptrs[t->n] = t->names[t->n];
	t->n++;
}

static void add_sysctl_path(const char *dir, const char *name, void *arg)
{
	char path[PROC_PATH_MAX];

	snprintf(path, sizeof(path), PROC_SYS "%s/%s", dir, name);
	path_add(arg, path);
}

static int path_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char *const *linmm_proc_paths(void)
{
	static struct path_table table;
	char path[PROC_PATH_MAX];
	int nid;

	table.n = 0;
	for (size_t i = 0; i < ARRAY_SIZE(proc_files); i++)
		path_add(&table, proc_files[i].path);
	if (linmm_booted) {
		sysctl_for_each(add_sysctl_path, &table);
		if (linmm_arch->numa) {
			for_each_online_node(nid) {
				for (size_t i = 0; i < ARRAY_SIZE(node_files); i++) {
					snprintf(path, sizeof(path), NODE_DIR "%d/%s", nid,
						 node_files[i].name);
					path_add(&table, path);
				}
			}
		}
	}
	qsort(table.ptrs, table.n, sizeof(table.ptrs[0]), path_cmp);
	table.ptrs[table.n] = NULL;
	return table.ptrs;
}

void linmm_free(void *p)
{
	linmm_host_free(p);
}
