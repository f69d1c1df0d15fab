/* SPDX-License-Identifier: MIT */
/*
 * shell.c - `linmm shell`: the script language typed one line at a time.
 *
 * Standard input a terminal: libedit's readline-compatible API gives line
 * editing, a history (up/down, Ctrl-R; the last SHELL_HISTORY_MAX lines are
 * kept in ~/.linmm_history between sessions) and Tab completion of command
 * names (first word, or the word after `help`), of /proc and /sys paths
 * (words starting with '/', from linmm_proc_paths(); the per-node and sysctl
 * files appear once the machine is up) and of sysctl names (the word after
 * `sysctl` or `expect`).  Standard input not a terminal (a pipe, a file, a
 * test): plain line reads, no prompt, so the output is the commands' own.
 *
 * Unlike `linmm run`, an error or a failed expect does not end the session:
 * the message is printed and the next line is read.  A `repeat N {` line
 * opens a block that runs once its '}' is typed (the prompt shows "...>"
 * meanwhile).  `quit`, `exit` alone or end of input leave (inside a block too: the
 * unfinished block is reported as an error); the exit status is the worst
 * script_status of the session (0, 1 a failed expect, 2 an error).
 *
 * Linmm's own front end: no kernel counterpart.  Single-threaded; the
 * completion generator keeps its position in static storage, as readline's
 * generator protocol requires.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <editline/readline.h>

#include <linmm/linmm.h>

#include "tools/linmm/script.h"

#define SHELL_PROMPT	"linmm> "
#define SHELL_PROMPT2	"...> "
#define SHELL_HISTORY_MAX 1000

/* Words that are not in the command table but are understood by the shell. */
static const char *const shell_words[] = { "repeat", "quit", "exit", NULL };

/* The candidates of the completion in progress, and the next to offer. */
static const char *const *cand_table;	/* NULL-terminated */
static bool cand_commands;		/* script_commands[] then shell_words[] */
static size_t cand_next;

static bool is_command(const char *name)
{
	for (const struct script_cmd *c = script_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return true;
	return false;
}

/* Candidate @i, or NULL after the last; *@shell_word: one of shell_words[]. */
static const char *candidate(size_t i, bool *shell_word)
{
	size_t n = 0;

	*shell_word = false;
	if (!cand_commands)
		return cand_table[i];
	while (script_commands[n].name)
		n++;
	if (i < n)
		return script_commands[i].name;
	*shell_word = true;
	return shell_words[i - n];
}

/* readline's generator: the next candidate that starts with @text, or NULL. */
static char *complete_next(const char *text, int state)
{
	size_t len = strlen(text);
	bool shell_word;
	const char *c;

	if (!state)
		cand_next = 0;
	while ((c = candidate(cand_next, &shell_word)) != NULL) {
		cand_next++;
		/* A shell word that is also a command ("exit P") is offered once. */
		if (!strncmp(c, text, len) && !(shell_word && is_command(c)))
			return strdup(c);
	}
	return NULL;
}

/*
 * The sysctl names ("vm.min_free_kbytes") of the /proc/sys files there are
 * now, NULL-terminated; rebuilt at each call, freed by sysctl_names(true).
 */
static const char *const *sysctl_names(bool free_only)
{
	static const char *const none[] = { NULL };
	static char **names;
	const char *const *paths;
	size_t n = 0;

	for (size_t i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
	names = NULL;
	if (free_only)
		return none;
	paths = linmm_proc_paths();
	while (paths[n])
		n++;
	names = calloc(n + 1, sizeof(*names));
	if (!names)
		return none;
	n = 0;
	for (size_t i = 0; paths[i]; i++) {
		char *name;

		if (strncmp(paths[i], "/proc/sys/", 10) || !(name = strdup(paths[i] + 10)))
			continue;
		for (char *c = name; *c; c++)
			if (*c == '/')
				*c = '.';
		names[n++] = name;
	}
	return (const char *const *)names;
}

/* Is the word at @start the second of the line, after @first? */
static bool second_word_of(int start, const char *first)
{
	const char *p = rl_line_buffer;
	size_t n = strlen(first);

	p += strspn(p, " \t");
	return !strncmp(p, first, n) && isblank((unsigned char)p[n]) &&
	       (int)(p + n + strspn(p + n, " \t") - rl_line_buffer) == start;
}

static char **complete(const char *text, int start, int end)
{
	bool first = (int)strspn(rl_line_buffer, " \t") >= start;

	rl_attempted_completion_over = 1;	/* never fall back to host file names */
	cand_commands = first || second_word_of(start, "help");
	if (!cand_commands) {
		if (text[0] == '/')
			cand_table = linmm_proc_paths();
		else if (second_word_of(start, "sysctl") || second_word_of(start, "expect"))
			cand_table = sysctl_names(false);
		else
			return NULL;
	}
	return rl_completion_matches(text, complete_next);
}

/* Is @line `quit` or `exit` alone (blanks around allowed; `exit P` ends a task)? */
static bool is_quit(const char *line)
{
	size_t n;

	line += strspn(line, " \t");
	n = strcspn(line, " \t\r\n");
	return ((n == 4 && !strncmp(line, "quit", 4)) || (n == 4 && !strncmp(line, "exit", 4))) &&
	       !line[n + strspn(line + n, " \t\r\n")];
}

/* The next line: from readline on a terminal, else getline. NULL at the end. */
static char *shell_read(const struct linmm_script *s, bool tty, char **buf, size_t *cap)
{
	char *line;

	if (!tty)
		return getline(buf, cap, stdin) >= 0 ? *buf : NULL;
	free(*buf);
	*buf = NULL;
	line = readline(script_in_block(s) ? SHELL_PROMPT2 : SHELL_PROMPT);
	if (line && line[strspn(line, " \t")])
		add_history(line);
	*buf = line;
	return line;
}

int linmm_shell(void)
{
	struct linmm_script s = { .name = "<shell>" };
	enum script_status st, worst = SCRIPT_OK;
	bool tty = isatty(STDIN_FILENO);
	const char *home = getenv("HOME");
	char history[PATH_MAX] = "";
	size_t cap = 0;
	char *buf = NULL, *line;

	if (tty) {
		rl_readline_name = "linmm";
		rl_attempted_completion_function = complete;
		using_history();
		stifle_history(SHELL_HISTORY_MAX);
		if (home && *home &&
		    snprintf(history, sizeof(history), "%s/.linmm_history", home) < (int)sizeof(history))
			read_history(history);	/* none yet is fine */
		else
			history[0] = '\0';
		printf("linmm %s shell: help lists the commands, Tab completes, quit or Ctrl-D "
		       "leaves.\n", LINMM_VERSION);
	}
	while ((line = shell_read(&s, tty, &buf, &cap)) != NULL) {
		if (is_quit(line))
			break;
		st = script_exec(&s, line);
		if (st > worst)
			worst = st;
	}
	if (tty && !line)
		putchar('\n');
	if (history[0])
		write_history(history);
	sysctl_names(true);
	free(buf);
	if (script_finish(&s) != SCRIPT_OK)
		worst = SCRIPT_ERROR;
	script_end(&s);
	return worst;
}
