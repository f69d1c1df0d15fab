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
 * Blocks: "repeat N [VAR] {" opens a block that ends at the matching line
 * "}".  Its lines are collected (script_feed(), also line by line from the
 * shell) and run once it is closed: N times, with "$VAR"/"${VAR}" replaced
 * by 0..N-1 in each line before it is split.  Nested blocks are found again
 * in the collected lines by counting "repeat"/"}" lines:
 *
 *   repeat 2 {          <- lines[0]: exec_repeat(0, 4)
 *     repeat 3 j {      <- lines[1]: exec_repeat(1, 3), per outer iteration
 *       echo $i $j      <- lines[2]
 *     }                 <- lines[3]
 *   }                   <- lines[4]
 *
 * Invariants: at most one machine per run, booted at most once; when
 * script_run() returns no machine is up and no allocation handle is held.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/linmm.h>
#include <linmm/printk.h>

#include "kernel/machine.h"
#include "tools/linmm/script.h"

/* Kernel messages at this level or more severe reach the console (stdout). */
#define SCRIPT_CONSOLE_LOGLEVEL 4	/* KERN_WARNING */

static enum script_status cmd_boot(struct linmm_script *s, int argc, char **argv, const char *rest);
static enum script_status cmd_echo(struct linmm_script *s, int argc, char **argv, const char *rest);

const struct script_cmd script_commands[] = {
	/* name, usage, needs_machine, raw, fn */
	{ "alloc_pages", "alloc_pages NAME order=N [gfp=FLAGS] [node=N]", true, false, cmd_alloc_pages },
	{ "bdev", "bdev [latency=DURATION]", true, false, cmd_bdev },
	{ "boot", "boot [PARAM=VALUE...]", false, true, cmd_boot },
	{ "brk", "brk P [ADDR|+N|-N]", true, false, cmd_brk },
	{ "cat", "cat PATH [node=N zone=NAME]", true, false, cmd_cat },
	{ "close", "close P FD", true, false, cmd_close },
	{ "df", "df /dev/shm", true, false, cmd_df },
	{ "dmesg", "dmesg", true, false, cmd_dmesg },
	{ "drain", "drain", true, false, cmd_drain },
	{ "echo", "echo TEXT", false, true, cmd_echo },
	{ "exec", "exec P [PATH] [text=N] [data=N] [bss=N]", true, false, cmd_exec },
	{ "exit", "exit P", true, false, cmd_exit },
	{ "expect", "expect SOURCE [node=N zone=NAME] [field=NAME] [KEY] OP VALUE\n"
		    "  expect SOURCE contains|lacks TEXT", true, false, cmd_expect },
	{ "fill", "fill H[+OFF|-OFF] LEN BYTE", true, false, cmd_fill },
	{ "fork", "fork P Q", true, false, cmd_fork },
	{ "fread", "fread P FD LEN", true, false, cmd_fread },
	{ "free_pages", "free_pages NAME", true, false, cmd_free_pages },
	{ "fstat", "fstat P FD", true, false, cmd_fstat },
	{ "fsync", "fsync P FD", true, false, cmd_fsync },
	{ "ftruncate", "ftruncate P FD LEN", true, false, cmd_ftruncate },
	{ "fwrite", "fwrite P FD \"data\"|LEN [byte=C]", true, false, cmd_fwrite },
	{ "grep", "grep [-E] [-v] PATTERN SOURCE [node=N zone=NAME]", true, false, cmd_grep },
	{ "help", "help [COMMAND]", false, false, cmd_help },
	{ "ipcs", "ipcs [-m]", true, false, cmd_ipcs },
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
	{ "load", "load HOSTPATH as PATH", true, false, cmd_load },
	{ "lseek", "lseek P FD OFF [set|cur|end]", true, false, cmd_lseek },
	{ "madvise", "madvise P ADDR|H [LEN] ADVICE", true, false, cmd_madvise },
	{ "mincore", "mincore P ADDR|H [LEN]", true, false, cmd_mincore },
	{ "mlock", "mlock P ADDR|H [LEN] [onfault]", true, false, cmd_mlock },
	{ "mlockall", "mlockall P current,future,onfault", true, false, cmd_mlockall },
	{ "mmap", "mmap P H LEN [prot=rw] [flags=private,anonymous,...] [addr=A] [fd=FD offset=N]",
	  true, false,
	  cmd_mmap },
	{ "mount", "mount -o remount,size=N /dev/shm", true, false, cmd_mount },
	{ "mprotect", "mprotect P ADDR|H [LEN] prot=P", true, false, cmd_mprotect },
	{ "mremap", "mremap P ADDR|H[+OFF] OLD_LEN NEW_LEN [flags=maymove,fixed,dontunmap] "
		    "[addr=A]", true, false, cmd_mremap },
	{ "msync", "msync P ADDR|H [LEN] [sync|async|invalidate]", true, false, cmd_msync },
	{ "munlock", "munlock P ADDR|H [LEN]", true, false, cmd_munlock },
	{ "munlockall", "munlockall P", true, false, cmd_munlockall },
	{ "munmap", "munmap P ADDR|H [LEN]", true, false, cmd_munmap },
	{ "open", "open P FD PATH [flags=rdwr,creat,excl,trunc,append,sync] [mode=0644]", true,
	  false, cmd_open },
	{ "pagemap", "pagemap P ADDR|H[+OFF] [LEN]", true, false, cmd_pagemap },
	{ "pread", "pread P FD LEN OFF", true, false, cmd_pread },
	{ "pwrite", "pwrite P FD OFF \"data\"|LEN [byte=C]", true, false, cmd_pwrite },
	{ "read", "read P ADDR|H[+OFF] [LEN]", true, false, cmd_read },
	{ "shmat", "shmat P H SHMID [addr=A] [rdonly] [rnd] [remap] [exec]", true, false,
	  cmd_shmat },
	{ "shmctl", "shmctl P SHMID rmid|stat|set|lock|unlock|info|shm_info|shm_stat|shm_stat_any "
		    "[mode=0600] [uid=N] [gid=N]", true, false, cmd_shmctl },
	{ "shmdt", "shmdt P ADDR|H", true, false, cmd_shmdt },
	{ "shmget", "shmget P H KEY|private SIZE [creat,excl] [mode=0600]", true, false,
	  cmd_shmget },
	{ "slabtop", "slabtop [-s KEY] [-n N] [FILE]", true, false, cmd_slabtop },
	{ "sleep", "sleep DURATION", true, false, cmd_sleep },
	{ "spawn", "spawn P [comm=NAME]", true, false, cmd_spawn },
	{ "sync", "sync", true, false, cmd_sync },
	{ "sysctl", "sysctl NAME[=VALUE] | sysctl -a", true, false, cmd_sysctl },
	{ "touch", "touch P ADDR|H[+OFF] [LEN] read|write|exec", true, false, cmd_touch },
	{ "unlink", "unlink P PATH", true, false, cmd_unlink },
	{ "vfree", "vfree NAME", true, false, cmd_vfree },
	{ "vm_unmap_aliases", "vm_unmap_aliases", true, false, cmd_vm_unmap_aliases },
	{ "vmalloc", "vmalloc NAME SIZE", true, false, cmd_vmalloc },
	{ "vmap", "vmap NAME PAGES...", true, false, cmd_vmap },
	{ "vunmap", "vunmap NAME", true, false, cmd_vunmap },
	{ "vzalloc", "vzalloc NAME SIZE", true, false, cmd_vzalloc },
	{ "write", "write H[+OFF|-OFF] BYTE...\n"
		   "  write P ADDR|H[+OFF] \"bytes\"", true, false, cmd_write_any },
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

/* ---- run observers (json.c, html.c) ---- */

#define SCRIPT_MAX_OBSERVERS 4
static const struct script_observer *observers[SCRIPT_MAX_OBSERVERS];
static int nr_observers;

int script_observe(const struct script_observer *o)
{
	if (nr_observers == SCRIPT_MAX_OBSERVERS)
		return -ENOSPC;
	observers[nr_observers++] = o;
	return 0;
}

void script_unobserve(const struct script_observer *o)
{
	for (int i = 0; i < nr_observers; i++) {
		if (observers[i] != o)
			continue;
		memmove(&observers[i], &observers[i + 1],
			(size_t)(nr_observers - i - 1) * sizeof(observers[0]));
		nr_observers--;
		return;
	}
}

static void observe_line(const struct linmm_script *s, const char *text)
{
	for (int i = 0; i < nr_observers; i++)
		if (observers[i]->line)
			observers[i]->line(s, text);
}

static void observe_cat(const struct linmm_script *s, const char *command, const char *path)
{
	for (int i = 0; i < nr_observers; i++)
		if (observers[i]->cat)
			observers[i]->cat(s, command, path);
}

/* A step ran: only with a machine up (`echo` before any boot is no step). */
static void observe_step(const struct linmm_script *s, unsigned int first_line,
			 const char *command, enum script_status st)
{
	if (!s->booted)
		return;
	fflush(stdout);
	for (int i = 0; i < nr_observers; i++)
		if (observers[i]->step)
			observers[i]->step(s, first_line, command, st);
}

static void observe_final(const struct linmm_script *s)
{
	for (int i = 0; i < nr_observers; i++)
		if (observers[i]->final)
			observers[i]->final(s);
}

/* A run that is not a script (replay.c) reports its lines and steps to the observers too. */
void script_notify_line(const struct linmm_script *s, const char *text)
{
	observe_line(s, text);
}

void script_notify_step(const struct linmm_script *s, unsigned int first_line, const char *command,
			enum script_status st)
{
	observe_step(s, first_line, command, st);
}

static void script_shutdown(struct linmm_script *s)
{
	if (!s->booted)
		return;
	fflush(stdout);
	observe_final(s);
	linmm_printk_set_console(-1, 0);
	script_alloc_reset();
	script_highmem_reset();
	script_vmalloc_reset();
	script_shm_reset();
	script_slab_reset();
	script_task_reset();
	script_file_reset();
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
	const struct linmm_script *prev_running;
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
	prev_running = script_running;
	script_running = s;
	st = cmd->fn(s, argc, argv, rest);
	script_running = prev_running;
	fflush(stdout);
	if (st == SCRIPT_OK && cmd->fn == cmd_cat && argc >= 1)
		observe_cat(s, text, argv[0]);
	if (!s->nr_vars)	/* a top-level command; a repeat block is one step */
		observe_step(s, s->lineno, text, st);
out_free:
	free(copy);
	return st;
}

/* ---- sizes, handle offsets, flag lists ---- */

bool script_parse_size(const char *str, unsigned long max, unsigned long *out)
{
	const char *end;
	u64 v;

	if (!isdigit((unsigned char)*str))
		return false;
	end = memparse(str, &v);
	if (!end || *end || v > max)
		return false;
	*out = (unsigned long)v;
	return true;
}

bool script_parse_target(const char *arg, char *name, size_t namesize, long *off)
{
	size_t n = strcspn(arg, "+-");
	unsigned long v = 0;

	if (!n || n >= namesize)
		return false;
	if (arg[n] && !script_parse_size(arg + n + 1, LONG_MAX, &v))
		return false;
	memcpy(name, arg, n);
	name[n] = '\0';
	*off = arg[n] == '-' ? -(long)v : (long)v;
	return true;
}

bool script_parse_flag_list(const char *str, const char *seps,
			    const struct script_flag_name *names, size_t n, unsigned long *flags)
{
	char buf[128], *save = NULL;

	if (strlen(str) >= sizeof(buf))
		return false;
	snprintf(buf, sizeof(buf), "%s", str);
	*flags = 0;
	for (char *w = strtok_r(buf, seps, &save); w; w = strtok_r(NULL, seps, &save)) {
		size_t i;

		for (i = 0; i < n && strcmp(w, names[i].name); i++)
			;
		if (i == n)
			return false;
		*flags |= names[i].value;
	}
	return true;
}

/* ---- repeat blocks ---- */

unsigned long script_repeat_limit = 1000000;
const struct linmm_script *script_running;

struct script_line {
	unsigned int lineno;
	char *text;
};

/* The lines of a repeat block, from its "repeat N {" to the matching "}". */
struct script_block {
	struct script_line *lines;
	size_t nr, cap;
	unsigned int depth;	/* blocks open at the last line read */
};

bool script_in_block(const struct linmm_script *s)
{
	return s->block != NULL;
}

static void block_free(struct script_block *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->nr; i++)
		free(b->lines[i].text);
	free(b->lines);
	free(b);
}

/* Is the first word of @line @word? */
static bool first_word_is(const char *line, const char *word)
{
	size_t n = strlen(word);

	line += strspn(line, " \t");
	return !strncmp(line, word, n) && (!line[n] || isspace((unsigned char)line[n]));
}

/* Is @line (any blanks around) only "}"? */
static bool is_block_end(const char *line)
{
	line += strspn(line, " \t");
	if (*line++ != '}')
		return false;
	return !line[strspn(line, " \t\r\n")];
}

/* Does @line end with "{" (blanks after it allowed)? */
static bool ends_with_brace(const char *line)
{
	size_t n = strlen(line);

	while (n && isspace((unsigned char)line[n - 1]))
		n--;
	return n && line[n - 1] == '{';
}

static const struct script_var *var_find(const struct linmm_script *s, const char *name,
					 size_t len)
{
	for (int i = s->nr_vars - 1; i >= 0; i--)
		if (strlen(s->vars[i].name) == len && !strncmp(s->vars[i].name, name, len))
			return &s->vars[i];
	return NULL;
}

/*
 * substitute - @line with every "$VAR" or "${VAR}" of an enclosing repeat
 * block replaced by its value; other '$' text stays (the kernel's
 * memmap=64M$256M).  Return: host-heap text, or NULL (out of memory).
 */
static char *substitute(const struct linmm_script *s, const char *line)
{
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);

	if (!f)
		return NULL;
	while (*line) {
		const char *name = line + 1 + (line[1] == '{');
		size_t len = 0;
		const struct script_var *v = NULL;

		if (*line == '$' && (isalpha((unsigned char)*name) || *name == '_')) {
			while (isalnum((unsigned char)name[len]) || name[len] == '_')
				len++;
			if (name[-1] != '{' || name[len] == '}')
				v = var_find(s, name, len);
		}
		if (!v) {
			fputc(*line++, f);
			continue;
		}
		fprintf(f, "%lu", v->value);
		line = name + len + (name[-1] == '{');
	}
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}

/*
 * parse_repeat - "repeat N [VAR] {" (after substitution) into *count and
 * @var (default "i").  Return: SCRIPT_OK or script_error().
 */
static enum script_status parse_repeat(struct linmm_script *s, char *line, unsigned long *count,
				       char *var)
{
	static const char usage[] = "usage: repeat N [VAR] { (VAR defaults to i; the block "
				    "ends with a line '}')";
	char *argv[4];
	int argc;

	line = trim(line);
	argc = split_words(s, line, line, argv, 4);

	if (argc < 0)
		return SCRIPT_ERROR;
	if (argc < 3 || argc > 4 || strcmp(argv[argc - 1], "{"))
		return script_error(s, "repeat: %s", usage);
	if (!script_parse_size(argv[1], script_repeat_limit, count))
		return script_error(s, "repeat: bad count '%s' (0..%lu)", argv[1],
				    script_repeat_limit);
	strcpy(var, "i");
	if (argc == 4) {
		if (!script_handle_name_ok(argv[2]) || strlen(argv[2]) >= SCRIPT_VAR_MAX)
			return script_error(s, "repeat: bad variable name '%s' (letters, digits and "
					    "_, not a digit first)", argv[2]);
		strcpy(var, argv[2]);
	}
	return SCRIPT_OK;
}

/* The index of the "}" that closes the block opened at @lines[@open]. */
static size_t block_close(const struct script_line *lines, size_t open)
{
	unsigned int depth = 0;
	size_t i;

	for (i = open; ; i++) {
		if (first_word_is(lines[i].text, "repeat"))
			depth++;
		else if (is_block_end(lines[i].text) && !--depth)
			return i;
	}
}

static enum script_status exec_lines(struct linmm_script *s, const struct script_line *lines,
				     size_t from, size_t to);

/* Run the repeat block @lines[@open..@close]; the header is line @open. */
static enum script_status exec_repeat(struct linmm_script *s, const struct script_line *lines,
				      size_t open, size_t close)
{
	struct script_var *v;
	unsigned long count;
	enum script_status st;
	char *header;

	s->lineno = lines[open].lineno;
	if (s->nr_vars == SCRIPT_MAX_DEPTH)
		return script_error(s, "repeat: blocks nested too deep (at most %d)",
				    SCRIPT_MAX_DEPTH);
	header = substitute(s, lines[open].text);
	if (!header)
		return script_error(s, "out of host memory");
	v = &s->vars[s->nr_vars];
	st = parse_repeat(s, header, &count, v->name);
	free(header);
	if (st != SCRIPT_OK)
		return st;
	s->nr_vars++;
	for (v->value = 0; v->value < count && st == SCRIPT_OK; v->value++) {
		if (++s->iterations > script_repeat_limit) {
			s->lineno = lines[open].lineno;
			st = script_error(s, "repeat: more than %lu iterations in this run",
					  script_repeat_limit);
			break;
		}
		st = exec_lines(s, lines, open + 1, close);
	}
	s->nr_vars--;
	s->lineno = lines[close].lineno;
	return st;
}

/* Run @lines[@from..@to): commands and whole nested repeat blocks. */
static enum script_status exec_lines(struct linmm_script *s, const struct script_line *lines,
				     size_t from, size_t to)
{
	enum script_status st = SCRIPT_OK;

	for (size_t i = from; i < to && st == SCRIPT_OK; i++) {
		char *text;

		if (first_word_is(lines[i].text, "repeat")) {
			size_t close = block_close(lines, i);

			st = exec_repeat(s, lines, i, close);
			i = close;
			continue;
		}
		s->lineno = lines[i].lineno;
		text = substitute(s, lines[i].text);
		if (!text)
			return script_error(s, "out of host memory");
		st = run_line(s, text);
		free(text);
	}
	return st;
}

/* Add @line to the block being read; run the block once it is closed. */
static enum script_status block_add(struct linmm_script *s, const char *line)
{
	struct script_block *b = s->block;
	enum script_status st;

	if (b->nr == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 16;
		struct script_line *n = realloc(b->lines, cap * sizeof(*n));

		if (!n)
			return script_error(s, "out of host memory");
		b->lines = n;
		b->cap = cap;
	}
	b->lines[b->nr].text = strdup(line);
	if (!b->lines[b->nr].text)
		return script_error(s, "out of host memory");
	b->lines[b->nr++].lineno = s->lineno;
	if (first_word_is(line, "repeat")) {
		if (!ends_with_brace(line))
			return script_error(s, "repeat: the line must end with '{' (repeat N [VAR] {)");
		b->depth++;
	} else if (is_block_end(line) && !--b->depth) {
		s->block = NULL;
		st = exec_repeat(s, b->lines, 0, b->nr - 1);
		observe_step(s, b->lines[0].lineno, b->lines[0].text, st);
		block_free(b);
		return st;
	}
	return SCRIPT_OK;
}

/* One line read from the script (s->lineno already counts it). */
static enum script_status script_feed(struct linmm_script *s, char *line)
{
	enum script_status st;

	observe_line(s, line);
	if (!s->block && first_word_is(line, "repeat")) {
		s->block = calloc(1, sizeof(*s->block));
		if (!s->block)
			return script_error(s, "out of host memory");
	}
	if (s->block) {
		st = block_add(s, line);
		if (st != SCRIPT_OK) {
			/* A bad line drops the unfinished block (the shell goes on). */
			block_free(s->block);
			s->block = NULL;
		}
		return st;
	}
	if (is_block_end(line))
		return script_error(s, "'}' without a repeat block to end");
	return run_line(s, line);
}

enum script_status script_exec(struct linmm_script *s, const char *line)
{
	char *copy = strdup(line);
	enum script_status st;

	s->lineno++;
	if (!copy)
		return script_error(s, "out of host memory");
	st = script_feed(s, copy);
	free(copy);
	return st;
}

enum script_status script_finish(struct linmm_script *s)
{
	struct script_block *b = s->block;

	if (!b)
		return SCRIPT_OK;
	s->block = NULL;
	s->lineno = b->lines[0].lineno;
	block_free(b);
	return script_error(s, "repeat: the block has no closing '}'");
}

void script_end(struct linmm_script *s)
{
	block_free(s->block);
	s->block = NULL;
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
		st = script_feed(&s, line);
		if (st != SCRIPT_OK)
			break;
	}
	if (st == SCRIPT_OK && ferror(f))
		st = script_error(&s, "read error: %s", strerror(errno));
	if (st == SCRIPT_OK)
		st = script_finish(&s);
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
