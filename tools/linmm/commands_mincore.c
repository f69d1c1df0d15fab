// SPDX-License-Identifier: MIT
/*
 * commands_mincore.c - the script command of mincore(2) (mm/mincore.c):
 *
 *   mincore P ADDR|H [LEN]     which pages of the range are resident
 *
 * The range is an address and a length, or an mmap handle with its own
 * length unless LEN is given.  The command prints its words, the result
 * and the vector, one character per page: 1 resident, 0 not, and '-' for
 * an entry mincore did not fill (the pages after a hole):
 *
 *   mincore p m: 0 1100
 *   mincore p 0x10000000 32K: ENOMEM 1100----
 *
 * A failing call is not a script error, as for madvise and friends.  The
 * vector is filled through linmm_mincore() (a kernel buffer), so the
 * command itself touches no page of the task.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/mmap.h>
#include <linmm/sched.h>

#include "tools/linmm/script.h"

#define MINCORE_MAX_PAGES 4096	/* one line of at most this many characters */
#define MINCORE_UNFILLED 0xee	/* mincore writes only 0 and 1 */

enum script_status cmd_mincore(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	static const char usage[] = "usage: mincore P ADDR|H [LEN]";
	enum script_status st = SCRIPT_OK;
	unsigned long addr, len, pages;
	struct task_struct *tsk;
	unsigned char *vec;
	int used, ret;

	(void)rest;
	if (argc < 2 || argc > 3)
		return script_error(s, "%s", usage);
	tsk = script_need_task(s, "mincore", argc, argv, &st);
	if (!tsk)
		return st;
	if (!script_parse_range(tsk, argc - 1, argv + 1, &used, &addr, &len) || used != argc - 1)
		return script_error(s, "%s", usage);
	pages = len / PAGE_SIZE + (len % PAGE_SIZE != 0);
	if (pages > MINCORE_MAX_PAGES)
		return script_error(s, "mincore: at most %d pages", MINCORE_MAX_PAGES);
	vec = malloc(pages + 1);
	if (!vec)
		return script_error(s, "mincore: out of host memory");
	memset(vec, MINCORE_UNFILLED, pages);
	ret = linmm_mincore(tsk, addr, len, vec);
	printf("mincore");
	for (int i = 0; i < argc; i++)
		printf(" %s", argv[i]);
	printf(": %s%s", ret ? script_errno_name(ret) : "0", pages ? " " : "");
	for (unsigned long i = 0; i < pages; i++)
		putchar(vec[i] == MINCORE_UNFILLED ? '-' : vec[i] ? '1' : '0');
	putchar('\n');
	free(vec);
	return SCRIPT_OK;
}
