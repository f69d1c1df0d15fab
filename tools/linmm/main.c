/* SPDX-License-Identifier: MIT */
/*
 * main.c - the `linmm` command line: parse argv and hand over to the tour
 * (tour.c) or the script interpreter (script.c).
 *
 *   linmm                       the default tour on the default machine
 *   linmm tour [PARAM=VALUE...] the tour on a machine of your choice
 *   linmm run SCRIPT|-          run a script file, or standard input
 *   linmm run --json SCRIPT|-   the same, as a JSON document (json.c)
 *   linmm run --html FILE SCRIPT and an HTML report with pictures in FILE (html.c)
 *   linmm tour --html FILE ...  the tour, with its HTML report
 *   linmm shell                 the script language, interactively (shell.c)
 *   linmm replay ... TRACE      replay a memory-access trace (replay.c)
 *   linmm trace-convert IN OUT  lackey text <-> LMT (replay.c)
 *   linmm SUBCOMMAND --help     what one subcommand does
 *   linmm --help | --version
 *
 * Exit status: 0 success, 1 an `expect` failed, 2 anything else went wrong
 * (usage, unknown command, bad boot parameter...), as enum script_status.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linmm/linmm.h>

#include "kernel/machine.h"
#include "tools/linmm/script.h"
#include "tools/linmm/trace.h"

/* The build passes the project version (CMakeLists.txt project(VERSION)). */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: linmm                        the tour: boot the default machine and show it\n"
		"       linmm tour [PARAM=VALUE...]  the same tour on another machine\n"
		"       linmm run SCRIPT             run a script (SCRIPT - reads standard input)\n"
		"       linmm run --json SCRIPT      the same: /proc snapshots and counters as JSON\n"
		"       linmm run --html FILE SCRIPT and a self-contained HTML report in FILE:\n"
		"                                    physical memory map, free blocks, counters\n"
		"       linmm run --trace-events FILE [--events LIST] SCRIPT\n"
		"                                    and the kmem tracepoints as JSON lines\n"
		"       linmm shell                  type commands: line editing, history, Tab\n"
		"       linmm replay [--json] [--html FILE] [PARAM=VALUE...] TRACE\n"
		"                                    replay a valgrind lackey or LMT memory trace\n"
		"       linmm trace-convert IN OUT   lackey text <-> linmm's binary trace format\n"
		"       linmm SUBCOMMAND --help      help on tour, run, shell, replay, trace-convert\n"
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
		"  repeat N [VAR] {  ...  }   (the lines up to '}', N times; $VAR counts from 0)\n"
		"\n"
		"Exit status: 0 ok, 1 an expect failed, 2 error (the message names script:line).\n"
		"More: docs/scripts.md; example: echo 'cat /proc/buddyinfo' | linmm run -\n");
}

/* `linmm SUBCOMMAND --help`. */
static const struct {
	const char *name;
	const char *text;
} subcommand_help[] = {
	{ "run",
	  "usage: linmm run [--json] [--html FILE] [--trace-events FILE [--events LIST]] SCRIPT\n"
	  "Run the script file SCRIPT (- reads standard input): one command per line,\n"
	  "`repeat N [VAR] {` ... `}` blocks, `expect` assertions.  The first error\n"
	  "stops it with \"SCRIPT:LINE: what was wrong\" and exit status 2; a failed\n"
	  "expect stops it with exit status 1.  `linmm --help` lists the commands;\n"
	  "docs/scripts.md describes the language.\n"
	  "--json: write every `cat` snapshot and the final /proc/meminfo and\n"
	  "/proc/vmstat counters as one JSON document to standard output (the\n"
	  "commands' own output goes to standard error).\n"
	  "--trace-events FILE: write every kmem tracepoint (mm_page_alloc,\n"
	  "mm_page_free, kmalloc, kfree, kmem_cache_alloc, kmem_cache_free) as one\n"
	  "JSON object per line to FILE (- : standard output); --events LIST keeps\n"
	  "only the comma-separated events of LIST.\n"
	  "--html FILE: also write one self-contained HTML report to FILE (no\n"
	  "network needed to view it): a map of every page frame coloured by its\n"
	  "state and the migrate type of its pageblock, free blocks per order and\n"
	  "zone, /proc/meminfo and /proc/vmstat counters after every step, and the\n"
	  "script with its steps.  Combines with --json.\n" },
	{ "shell",
	  "usage: linmm shell\n"
	  "Read script commands from standard input one line at a time; on a terminal\n"
	  "with line editing, history and Tab completion of commands and /proc paths.\n"
	  "Errors and failed expects are reported and the session goes on; `help`,\n"
	  "`help COMMAND`; `quit`, `exit` alone or Ctrl-D leave.  Exit status: the worst\n"
	  "of the session (0 ok, 1 an expect failed, 2 an error).\n" },
	{ "replay", linmm_replay_help },
	{ "trace-convert", linmm_trace_convert_help },
	{ "tour",
	  "usage: linmm tour [--html FILE] [PARAM=VALUE...]\n"
	  "Boot a machine from the kernel-style command line PARAM=VALUE... (default:\n"
	  "\"" LINMM_DEFAULT_CMDLINE "\") and walk through it, step by step: boot and\n"
	  "zones, buddy splits and merges, slab caches, vmalloc, a process's page faults,\n"
	  "fork and copy on write, a SIGSEGV, files in the page cache and writeback.\n"
	  "Each step shows its commands as `linmm shell` takes them and what they print.\n"
	  "--html FILE: also write the HTML report of the tour to FILE (as run --html).\n" },
};

/* Print @cmd's help if the rest of the command line asks for it. */
static bool subcommand_wants_help(const char *cmd, int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[2], "--help") && strcmp(argv[2], "-h")))
		return false;
	for (size_t i = 0; i < sizeof(subcommand_help) / sizeof(subcommand_help[0]); i++) {
		if (!strcmp(subcommand_help[i].name, cmd)) {
			fputs(subcommand_help[i].text, stdout);
			return true;
		}
	}
	return false;
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

/*
 * `run --json SCRIPT`: the JSON document alone on standard output; what the
 * commands print (and the kernel's console) goes to standard error.
 */
static int run_json(const char *path)
{
	int json_fd = dup(STDOUT_FILENO), st;

	fflush(stdout);
	if (json_fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		fprintf(stderr, "linmm: run --json: %m\n");
		return SCRIPT_ERROR;
	}
	script_json_begin(!strcmp(path, "-") ? "<stdin>" : path);
	st = run_file(path);
	fflush(stdout);
	if (script_json_write(json_fd, st)) {
		fprintf(stderr, "linmm: run --json: cannot write the document: %m\n");
		st = SCRIPT_ERROR;
	}
	close(json_fd);
	return st;
}

/* The options of `linmm run`, in any order before SCRIPT. */
struct run_opts {
	bool json;			/* --json */
	const char *html_path;		/* --html FILE */
	const char *trace_path;		/* --trace-events FILE */
	const char *events;		/* --events LIST */
	const char *script;
};

static bool parse_run_opts(int argc, char **argv, struct run_opts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--json")) {
			o->json = true;
		} else if (!strcmp(a, "--html")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "linmm: run: --html needs a FILE\n");
				return false;
			}
			o->html_path = argv[++i];
		} else if (!strcmp(a, "--trace-events") || !strcmp(a, "--events")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "linmm: run: %s needs a value\n", a);
				return false;
			}
			*(a[2] == 't' ? &o->trace_path : &o->events) = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "linmm: run: unknown option '%s' (see linmm run --help)\n", a);
			return false;
		} else if (o->script) {
			fprintf(stderr, "linmm: run: one SCRIPT only ('%s' and '%s')\n", o->script, a);
			return false;
		} else {
			o->script = a;
		}
	}
	if (!o->script) {
		fprintf(stderr, "linmm: run needs exactly one SCRIPT (a file, or - for standard "
			"input), after the options\n");
		return false;
	}
	if (o->events && !o->trace_path) {
		fprintf(stderr, "linmm: run: --events goes with --trace-events FILE\n");
		return false;
	}
	return true;
}

/* Write the --html report of a run that ended with @st. Return: 0 or -errno (reported). */
static int html_end(const char *path, int st)
{
	int ret = script_html_write(path, st);

	if (ret)
		fprintf(stderr, "linmm: --html: cannot write '%s': %s\n", path, strerror(-ret));
	return ret;
}

/* `linmm run [--json] [--html FILE] [--trace-events FILE [--events LIST]] SCRIPT`. */
static int run_main(int argc, char **argv)
{
	struct run_opts o;
	int st;

	if (!parse_run_opts(argc, argv, &o))
		return SCRIPT_ERROR;
	if (o.trace_path && script_trace_begin(o.trace_path, o.events))
		return SCRIPT_ERROR;
	if (o.html_path)
		script_html_begin(!strcmp(o.script, "-") ? "<stdin>" : o.script);
	st = o.json ? run_json(o.script) : run_file(o.script);
	if (o.html_path && html_end(o.html_path, st) && st == SCRIPT_OK)
		st = SCRIPT_ERROR;
	if (o.trace_path && script_trace_end() && st == SCRIPT_OK)
		st = SCRIPT_ERROR;
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
	if (subcommand_wants_help(argv[1], argc, argv))
		return 0;
	if (!strcmp(argv[1], "run"))
		return run_main(argc - 2, argv + 2);
	if (!strcmp(argv[1], "replay"))
		return linmm_replay_main(argc - 2, argv + 2);
	if (!strcmp(argv[1], "trace-convert"))
		return linmm_trace_convert_main(argc - 2, argv + 2);
	if (!strcmp(argv[1], "shell")) {
		if (argc != 2) {
			fprintf(stderr, "linmm: shell takes no arguments (boot PARAMS is its first "
				"command)\n");
			return SCRIPT_ERROR;
		}
		return linmm_shell();
	}
	if (!strcmp(argv[1], "tour")) {
		const char *html_path = NULL;
		int first = 2, st;

		if (argc > 2 && !strcmp(argv[2], "--html")) {
			if (argc == 3) {
				fprintf(stderr, "linmm: tour: --html needs a FILE\n");
				return SCRIPT_ERROR;
			}
			html_path = argv[3];
			first = 4;
		}
		if (!join_args(argc - first, argv + first, cmdline, sizeof(cmdline))) {
			fprintf(stderr, "linmm: tour: the command line is too long\n");
			return SCRIPT_ERROR;
		}
		if (html_path)
			script_html_begin("linmm tour");
		st = linmm_tour(cmdline);
		if (html_path && html_end(html_path, st) && st == SCRIPT_OK)
			st = SCRIPT_ERROR;
		return st;
	}
	fprintf(stderr, "linmm: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return SCRIPT_ERROR;
}
