/* SPDX-License-Identifier: MIT */
/*
 * commands_grep.c - `grep [-E] [-v] PATTERN SOURCE [node=N zone=NAME]`: the
 * lines of a /proc or /sys file, a sysctl, or the kernel log (SOURCE
 * "dmesg") that match PATTERN, as grep(1) prints them.
 *
 *   grep -E '^(MemFree|AnonPages):' /proc/meminfo
 *   grep -E 'pages free|^ +(min|low|high) ' /proc/zoneinfo zone=DMA32
 *   grep segfault dmesg
 *
 * PATTERN is a POSIX basic regular expression, an extended one with -E
 * (the host's regcomp(3), as grep uses); -v prints the lines that do not
 * match.  SOURCE is what `expect` reads (script_read_source()): a path,
 * where a task's name stands for its pid (/proc/P/smaps), a sysctl name
 * or dmesg; node= and zone= narrow a zoneinfo-style file to one zone's
 * section first, as for `cat`.  No matching line is not an error (grep's exit status 1 has
 * no meaning inside a script): nothing is printed.
 *
 * The user-space tool grep(1); no kernel counterpart.
 */
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/linmm.h>

#include "tools/linmm/script.h"

enum script_status cmd_grep(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	static const char usage[] = "usage: grep [-E] [-v] PATTERN SOURCE [node=N zone=NAME] "
				    "(SOURCE: a /proc or /sys path, a sysctl name or dmesg)";
	int cflags = REG_NOSUB, ret;
	const char *zone = NULL;
	long long node = 0;
	bool invert = false;
	char *text, *line, *end;
	regex_t re;

	for (; argc && argv[0][0] == '-' && argv[0][1]; argc--, argv++) {
		for (const char *o = argv[0] + 1; *o; o++) {
			if (*o == 'E')
				cflags |= REG_EXTENDED;
			else if (*o == 'v')
				invert = true;
			else
				return script_error(s, "grep: unknown option '-%c'; %s", *o, usage);
		}
	}
	for (; argc > 2; argc--) {
		const char *a = argv[argc - 1];
		char *after;

		if (!strncmp(a, "zone=", 5) && a[5]) {
			zone = a + 5;
		} else if (!strncmp(a, "node=", 5) && isdigit((unsigned char)a[5])) {
			node = strtoll(a + 5, &after, 10);
			if (*after)
				break;
		} else {
			break;
		}
	}
	if (argc != 2)
		return script_error(s, "%s", usage);
	ret = regcomp(&re, argv[0], cflags);
	if (ret) {
		char msg[128];

		regerror(ret, &re, msg, sizeof(msg));
		return script_error(s, "grep: bad pattern '%s': %s", argv[0], msg);
	}
	if (argv[1][0] == '/') {
		text = linmm_proc_read(script_proc_path(argv[1]));
		if (!text)
			script_error(s, "grep: %s: %s", argv[1], linmm_last_error());
	} else {
		text = script_read_source(s, argv[1]);
	}
	if (!text) {
		regfree(&re);
		return SCRIPT_ERROR;
	}
	line = text;
	end = text + strlen(text);
	if (zone && !script_text_section((const char **)&line, (const char **)&end, node, zone)) {
		script_error(s, "grep: %s has no section 'Node %lld, zone %s'", argv[1], node, zone);
		linmm_free(text);
		regfree(&re);
		return SCRIPT_ERROR;
	}
	*end = '\0';
	for (; *line;) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		if ((regexec(&re, line, 0, NULL, 0) == 0) != invert)
			printf("%s\n", line);
		if (!nl)
			break;
		line = nl + 1;
	}
	linmm_free(text);
	regfree(&re);
	return SCRIPT_OK;
}
