/* SPDX-License-Identifier: MIT */
/*
 * main.c - the `linmm` command line: parse argv and hand over to the tour
 * (tour.c) or the script interpreter (script.c).
 *
 *   linmm                       the default tour on the default machine
 *   linmm tour [PARAM=VALUE...] the tour on a machine of your choice
 *   linmm run SCRIPT|-          run a script file, or standard input
 *   linmm --help | --version
 *
 * Exit status: 0 success, 1 an `expect` failed, 2 anything else went wrong
 * (usage, unknown command, bad boot parameter...), as enum script_status.
 */
#include <stdio.h>
#include <string.h>

#include <linmm/linmm.h>

#include "kernel/machine.h"
#include "tools/linmm/script.h"

/* The build passes the project version (CMakeLists.txt project(VERSION)). */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: linmm                        boot the default machine and show what booted\n"
		"       linmm tour [PARAM=VALUE...]  the same tour on another machine\n"
		"       linmm run SCRIPT             run a script (SCRIPT - reads standard input)\n"
		"       linmm --help | --version\n"
		"\n"
		"The default machine is \"%s\".\n"
		"Boot parameters are the kernel's, e.g. mem=6G nodes=2 cpus=4 arch=x86_32\n"
		"(docs/scripts.md lists them all).\n"
		"\n"
		"Script commands, one per line (# starts a comment line):\n",
		LINMM_DEFAULT_CMDLINE);
	script_print_commands(f);
	fprintf(f,
		"\n"
		"Exit status: 0 ok, 1 an expect failed, 2 error (the message names script:line).\n"
		"More: docs/scripts.md; example: echo 'cat /proc/buddyinfo' | linmm run -\n");
}

static int run_file(const char *path)
{
	enum script_status st;
	FILE *f;

	if (!strcmp(path, "-"))
		return script_run(stdin, "<stdin>");
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "linmm: cannot open script '%s': %m\n", path);
		return SCRIPT_ERROR;
	}
	st = script_run(f, path);
	fclose(f);
	return st;
}

/* Join argv[0..argc) with blanks into @buf. Return false if it does not fit. */
static bool join_args(int argc, char **argv, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < argc; i++) {
		int n = snprintf(buf + len, size - len, "%s%s", i ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= size - len)
			return false;
		len += (size_t)n;
	}
	return true;
}

int main(int argc, char **argv)
{
	static char cmdline[LINMM_CMDLINE_MAX];

	if (argc == 1)
		return linmm_tour(NULL);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("linmm %s\n", LINMM_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "run")) {
		if (argc != 3) {
			fprintf(stderr, "linmm: run needs exactly one SCRIPT (a file, or - for "
				"standard input)\n");
			return SCRIPT_ERROR;
		}
		return run_file(argv[2]);
	}
	if (!strcmp(argv[1], "tour")) {
		if (!join_args(argc - 2, argv + 2, cmdline, sizeof(cmdline))) {
			fprintf(stderr, "linmm: tour: the command line is too long\n");
			return SCRIPT_ERROR;
		}
		return linmm_tour(cmdline);
	}
	fprintf(stderr, "linmm: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return SCRIPT_ERROR;
}
