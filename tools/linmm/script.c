/* SPDX-License-Identifier: MIT */
/*
 * script.c - the linmm script interpreter: read a script line by line,
 * split each line into words, dispatch to the command table, report errors
 * as "script:line: what was wrong", and own the machine's lifetime for the
 * run (boot explicitly with `boot PARAMS`, or the default machine at the
 * first command that needs one; shut down at the end).
 *
 * Mirrors nothing in the kernel: this is linmm's own front end.  The
 * language is described for users in docs/scripts.md.
 *
 * Words: separated by blanks; "double quotes" group blanks into one word,
 * and inside quotes \" and \\ stand for " and \.  `echo` and `boot` take
 * the rest of the line as it is instead (boot parameters are the kernel's
 * own syntax, quotes included).  `#` starts a comment only as the first
 * non-blank character of a line, so `echo # not a comment` prints
 * "# not a comment".
 *
 * Invariants: at most one machine per run, booted at most once; when
 * script_run() returns no machine is up and no allocation handle is held.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/linmm.h>
#include <linmm/printk.h>

#include "tools/linmm/script.h"

/* Kernel messages at this level or more severe reach the console (stdout). */
#define SCRIPT_CONSOLE_LOGLEVEL 4	/* KERN_WARNING */

static enum script_status cmd_boot(struct linmm_script *s, int argc, char **argv, const char *rest);
static enum script_status cmd_echo(struct linmm_script *s, int argc, char **argv, const char *rest);

const struct script_cmd script_commands[] = {
	/* name, usage, needs_machine, raw, fn */
	{ "alloc_pages", "alloc_pages NAME order=N [gfp=FLAGS] [node=N]", true, false, cmd_alloc_pages },
	{ "boot", "boot [PARAM=VALUE...]", false, true, cmd_boot },
	{ "cat", "cat PATH [node=N zone=NAME]", true, false, cmd_cat },
	{ "dmesg", "dmesg", true, false, cmd_dmesg },
	{ "drain", "drain", true, false, cmd_drain },
	{ "echo", "echo TEXT", false, true, cmd_echo },
	{ "expect", "expect SOURCE [node=N zone=NAME] [field=NAME] [KEY] OP VALUE\n"
		    "  expect SOURCE contains|lacks TEXT", true, false, cmd_expect },
	{ "fill", "fill H[+OFF|-OFF] LEN BYTE", true, false, cmd_fill },
	{ "free_pages", "free_pages NAME", true, false, cmd_free_pages },
	{ "kfree", "kfree H", true, false, cmd_kfree },
	{ "kmalloc", "kmalloc H SIZE [gfp=FLAGS] [node=N]", true, false, cmd_kmalloc },
	{ "kmap", "kmap NAME PAGES", true, false, cmd_kmap },
	{ "kmap_local", "kmap_local NAME PAGES", true, false, cmd_kmap_local },
	{ "kmem_cache_alloc", "kmem_cache_alloc H CACHE [gfp=FLAGS] [node=N]", true, false,
	  cmd_kmem_cache_alloc },
	{ "kmem_cache_create", "kmem_cache_create NAME SIZE [align=N] [flags=FLAG|FLAG...]", true,
	  false, cmd_kmem_cache_create },
	{ "kmem_cache_destroy", "kmem_cache_destroy NAME", true, false, cmd_kmem_cache_destroy },
	{ "kmem_cache_free", "kmem_cache_free H", true, false, cmd_kmem_cache_free },
	{ "kmem_cache_shrink", "kmem_cache_shrink CACHE", true, false, cmd_kmem_cache_shrink },
	{ "krealloc", "krealloc H SIZE [gfp=FLAGS]", true, false, cmd_krealloc },
	{ "kunmap", "kunmap NAME", true, false, cmd_kunmap },
	{ "kunmap_local", "kunmap_local NAME", true, false, cmd_kunmap_local },
	{ "slabtop", "slabtop [-s KEY] [-n N] [FILE]", true, false, cmd_slabtop },
	{ "sysctl", "sysctl NAME[=VALUE] | sysctl -a", true, false, cmd_sysctl },
	{ "vfree", "vfree NAME", true, false, cmd_vfree },
	{ "vm_unmap_aliases", "vm_unmap_aliases", true, false, cmd_vm_unmap_aliases },
	{ "vmalloc", "vmalloc NAME SIZE", true, false, cmd_vmalloc },
	{ "vmap", "vmap NAME PAGES...", true, false, cmd_vmap },
	{ "vunmap", "vunmap NAME", true, false, cmd_vunmap },
	{ "vzalloc", "vzalloc NAME SIZE", true, false, cmd_vzalloc },
	{ "write", "write H[+OFF|-OFF] BYTE...", true, false, cmd_write },
	{ NULL, NULL, false, false, NULL },
};

void script_print_commands(FILE *f)
{
	for (const struct script_cmd *c = script_commands; c->name; c++)
		fprintf(f, "  %s\n", c->usage);
}

enum script_status script_error(struct linmm_script *s, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	if (s->no_lines)
		fprintf(stderr, "%s: ", s->name);
	else
		fprintf(stderr, "%s:%u: ", s->name, s->lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return SCRIPT_ERROR;
}

static enum script_status script_boot(struct linmm_script *s, const char *cmdline)
{
	int ret;

	/* Boot quietly: the boot log is there for `dmesg`. */
	linmm_printk_set_console(-1, 0);
	ret = linmm_boot(cmdline);
	if (ret)
		return script_error(s, "boot: %s", linmm_last_error());
	s->booted = true;
	fflush(stdout);
	linmm_printk_set_console(1, SCRIPT_CONSOLE_LOGLEVEL);
	return SCRIPT_OK;
}

const char *script_default_cmdline;

enum script_status script_ensure_booted(struct linmm_script *s)
{
	return s->booted ? SCRIPT_OK : script_boot(s, script_default_cmdline);
}

static void script_shutdown(struct linmm_script *s)
{
	if (!s->booted)
		return;
	fflush(stdout);
	linmm_printk_set_console(-1, 0);
	script_alloc_reset();
	script_highmem_reset();
	script_vmalloc_reset();
	script_slab_reset();
	linmm_shutdown();
	s->booted = false;
}

static enum script_status cmd_boot(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	if (s->booted)
		return script_error(s, "boot: the machine is already up; boot must come before "
				    "every command that uses the machine");
	return script_boot(s, rest);
}

static enum script_status cmd_echo(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	puts(rest);
	return SCRIPT_OK;
}

/* Levenshtein distance of two short words, for "did you mean". */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[64];

	if (la >= 64 || lb >= 64)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static enum script_status unknown_command(struct linmm_script *s, const char *word)
{
	const struct script_cmd *best = NULL;
	size_t best_d = 3;	/* suggest only close misspellings */
	char names[1024] = "";

	for (const struct script_cmd *c = script_commands; c->name; c++) {
		size_t d = edit_distance(word, c->name);

		if (d < best_d) {
			best_d = d;
			best = c;
		}
		if (names[0])
			strncat(names, " ", sizeof(names) - strlen(names) - 1);
		strncat(names, c->name, sizeof(names) - strlen(names) - 1);
	}
	if (best)
		return script_error(s, "unknown command '%s'; did you mean '%s'? (commands: %s)",
				    word, best->name, names);
	return script_error(s, "unknown command '%s' (commands: %s)", word, names);
}

/*
 * split_words - split @line in place into words (see the file comment);
 * @orig is an unmodified copy of @line, for messages.
 * Return: the number of words, or -1 after script_error().
 */
static int split_words(struct linmm_script *s, const char *orig, char *line, char **argv, int max)
{
	char *in = line, *out = line;
	const char *word;
	int argc = 0;

	for (;;) {
		while (isblank((unsigned char)*in))
			in++;
		if (!*in)
			return argc;
		if (argc == max) {
			script_error(s, "too many words on one line (at most %d)", max);
			return -1;
		}
		word = orig + (in - line);	/* @line is rewritten in place */
		argv[argc++] = out;
		while (*in && !isblank((unsigned char)*in)) {
			if (*in != '"') {
				*out++ = *in++;
				continue;
			}
			in++;
			while (*in && *in != '"') {
				if (*in == '\\' && (in[1] == '"' || in[1] == '\\'))
					in++;
				*out++ = *in++;
			}
			if (!*in) {
				script_error(s, "unterminated \" in %s", word);
				return -1;
			}
			in++;
		}
		/* The word ends here; @out never passes @in, so this is safe. */
		if (*in)
			in++;
		*out++ = '\0';
	}
}

static const struct script_cmd *find_command(const char *name)
{
	for (const struct script_cmd *c = script_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* Strip the line ending and trailing blanks; return the first non-blank. */
static char *trim(char *line)
{
	size_t n = strlen(line);

	while (n && isspace((unsigned char)line[n - 1]))
		line[--n] = '\0';
	while (isspace((unsigned char)*line))
		line++;
	return line;
}

static enum script_status run_line(struct linmm_script *s, char *line)
{
	char *argv[SCRIPT_MAX_ARGS];
	const struct script_cmd *cmd;
	char *text = trim(line), *rest, *copy;
	size_t namelen;
	enum script_status st;
	int argc = 0;

	if (!*text || *text == '#')
		return SCRIPT_OK;
	namelen = strcspn(text, " \t");
	rest = text + namelen;
	while (isblank((unsigned char)*rest))
		rest++;
	copy = strdup(text);
	if (!copy)
		return script_error(s, "out of host memory");
	copy[namelen] = '\0';
	cmd = find_command(copy);
	if (!cmd) {
		st = unknown_command(s, copy);
		goto out_free;
	}
	if (!cmd->raw) {
		argc = split_words(s, rest, copy + (rest - text), argv, SCRIPT_MAX_ARGS);
		if (argc < 0) {
			st = SCRIPT_ERROR;
			goto out_free;
		}
	}
	if (cmd->needs_machine) {
		st = script_ensure_booted(s);
		if (st != SCRIPT_OK)
			goto out_free;
	}
	fflush(stdout);
	st = cmd->fn(s, argc, argv, rest);
	fflush(stdout);
out_free:
	free(copy);
	return st;
}

enum script_status script_exec(struct linmm_script *s, const char *line)
{
	char *copy = strdup(line);
	enum script_status st;

	s->lineno++;
	if (!copy)
		return script_error(s, "out of host memory");
	st = run_line(s, copy);
	free(copy);
	return st;
}

void script_end(struct linmm_script *s)
{
	script_shutdown(s);
	fflush(stdout);
}

enum script_status script_run(FILE *f, const char *name)
{
	struct linmm_script s = { .name = name };
	enum script_status st = SCRIPT_OK;
	char *line = NULL;
	size_t cap = 0;

	while (getline(&line, &cap, f) >= 0) {
		s.lineno++;
		st = run_line(&s, line);
		if (st != SCRIPT_OK)
			break;
	}
	if (st == SCRIPT_OK && ferror(f))
		st = script_error(&s, "read error: %s", strerror(errno));
	free(line);
	script_end(&s);
	return st;
}

enum script_status script_run_text(const char *text, const char *name)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	enum script_status st;

	if (!f) {
		fprintf(stderr, "%s: %s\n", name, strerror(errno));
		return SCRIPT_ERROR;
	}
	st = script_run(f, name);
	fclose(f);
	return st;
}
