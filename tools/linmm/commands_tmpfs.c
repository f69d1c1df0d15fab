// SPDX-License-Identifier: MIT
/*
 * commands_tmpfs.c - the script commands of the /dev/shm tmpfs
 * (mm/tmpfs.c): its usage and its size limit.
 *
 *   df /dev/shm                          statfs(2) as df(1) prints it
 *   mount -o remount,size=N /dev/shm     shmem_reconfigure(): a new size=
 *                                        (N a size, 64K or 16M; 0 unlimited)
 *
 *   df /dev/shm
 *   Filesystem     1K-blocks  Used Available Use% Mounted on
 *   tmpfs              65536    40     65496   1% /dev/shm
 *
 * Files on /dev/shm are opened, written, mapped and unlinked with the
 * ordinary file commands (commands_file.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linmm/shmem_fs.h>

#include "tools/linmm/script.h"

enum script_status cmd_df(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	struct linmm_statfs st;
	unsigned long kb_per_block, total, avail, used;
	int err;

	(void)rest;
	if (argc != 1 || strcmp(argv[0], "/dev/shm"))
		return script_error(s, "usage: df /dev/shm");
	err = shmem_statfs(&st);
	if (err)
		return script_error(s, "df: %s", script_errno_name(err));
	kb_per_block = st.f_bsize / 1024;
	total = st.f_blocks * kb_per_block;
	avail = st.f_bavail * kb_per_block;
	used = (st.f_blocks - st.f_bfree) * kb_per_block;
	printf("Filesystem     1K-blocks  Used Available Use%% Mounted on\n");
	/* df rounds the percentage up. */
	printf("%-14s %9lu %5lu %9lu %3lu%% %s\n", "tmpfs", total, used, avail,
	       used + avail ? (used * 100 + used + avail - 1) / (used + avail) : 0, argv[0]);
	return SCRIPT_OK;
}

enum script_status cmd_mount(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	unsigned long size;
	int err;

	(void)rest;
	if (argc != 3 || strcmp(argv[0], "-o") || strncmp(argv[1], "remount,size=", 13) ||
	    strcmp(argv[2], "/dev/shm") || !script_parse_size(argv[1] + 13, ~0UL, &size))
		return script_error(s, "usage: mount -o remount,size=N /dev/shm");
	err = shmem_reconfigure(size);
	printf("mount /dev/shm %s: %s\n", argv[1], err ? script_errno_name(err) : "ok");
	return SCRIPT_OK;
}
