/* SPDX-License-Identifier: MIT */
/*
 * script.h - the linmm script interpreter (tools side, not part of liblinmm).
 *
 * A script is one command per line; `#` as the first non-blank character
 * starts a comment; blank lines are ignored.  The interpreter (script.c)
 * splits a line into words, looks the first word up in the command table and
 * calls the command with the remaining words.  Commands live in one file per
 * mechanism:
 *
 *   script.c            reading, splitting, dispatch, repeat blocks, sizes,
 *                       boot, echo, errors
 *   commands_proc.c     cat, dmesg, sysctl        (the /proc and /sys files)
 *   commands_alloc.c    alloc_pages, free_pages, drain   (the page allocator)
 *   commands_expect.c   expect                    (assertions for tests)
 *   commands_highmem.c  kmap, kunmap, kmap_local, kunmap_local  (mm/highmem.c)
 *   commands_vmalloc.c  vmalloc, vzalloc, vfree, vmap, vunmap, vm_unmap_aliases
 *   commands_slab.c     kmem_cache_*, kmalloc, krealloc, kfree, write, fill  (slab)
 *   commands_slabtop.c  slabtop                   (procps' slabtop over /proc/slabinfo)
 *   commands_grep.c     grep                      (grep(1) over a /proc file or dmesg)
 *   commands_task.c     spawn, exit, mmap, munmap, mprotect, brk  (tasks and VMAs)
 *   commands_fault.c    touch, read, write P ...  (a task's accesses: the MMU and faults)
 *   commands_madvise.c  mlock, munlock, mlockall, munlockall, madvise, msync
 *   commands_mincore.c  mincore                   (mm/mincore.c: residency of a range)
 *   commands_file.c     open, close, fread, fwrite, pread, pwrite, lseek, ftruncate,
 *                       fsync, fstat, unlink, sync, load, sleep, bdev  (files, page cache)
 *   help.c              help                      (usage and a one-line explanation)
 *   shell.c             `linmm shell`             (libedit: editing, history, completion)
 *   tour.c              the built-in default tour (drives script_exec())
 *   json.c, html.c      --json and --html: observers of a run (struct script_observer)
 *
 * Exit status of a script run: SCRIPT_OK, SCRIPT_EXPECT_FAILED when an
 * `expect` did not hold, SCRIPT_ERROR for anything else that went wrong
 * (unknown command, bad argument, failed boot, unreadable file).
 *
 * Output: the commands write to stdout with stdio; kernel messages at
 * KERN_WARNING and above that are logged after boot are echoed to stdout
 * by printk's console (write(2) on fd 1), so the interpreter flushes stdout
 * around every command to keep the two in order.  Error messages go to stderr.
 */
#ifndef LINMM_TOOLS_SCRIPT_H
#define LINMM_TOOLS_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum script_status {
	SCRIPT_OK = 0,
	SCRIPT_EXPECT_FAILED = 1,
	SCRIPT_ERROR = 2,
};

#define SCRIPT_MAX_ARGS 64

#define SCRIPT_MAX_DEPTH 16	/* nested repeat blocks */
#define SCRIPT_VAR_MAX 32	/* a loop variable's name, with its NUL */

/* A loop variable of an enclosing `repeat` block and its current value. */
struct script_var {
	char name[SCRIPT_VAR_MAX];
	unsigned long value;
};

struct script_block;		/* a repeat block being read (script.c) */

/* One script run: where we are (for messages) and whether a machine is up. */
struct linmm_script {
	const char *name;	/* as given on the command line; "<stdin>" for "-" */
	unsigned int lineno;	/* current line, 1-based */
	bool booted;		/* this run booted the machine */
	bool no_lines;		/* messages without ":LINE" (the tour has no file) */
	struct script_block *block;	/* an unfinished repeat block, or NULL */
	struct script_var vars[SCRIPT_MAX_DEPTH];	/* innermost last */
	int nr_vars;
	unsigned long iterations;	/* repeat iterations run so far */
};

/*
 * The most repeat iterations (all loops together) one run may make, so that
 * a runaway `repeat 1000000 { repeat 1000000 {` ends with an error.  The
 * fuzz target lowers it to keep each input fast.
 */
extern unsigned long script_repeat_limit;

/*
 * A command: @fn gets the words after the command name in @argv (quotes
 * removed) and the text after the name as it is in @rest.
 */
struct script_cmd {
	const char *name;
	const char *usage;	/* "NAME order=N [gfp=FLAGS] [node=N]" */
	bool needs_machine;	/* boot the default machine first if none is up */
	bool raw;		/* takes only @rest: the line is not split into words */
	enum script_status (*fn)(struct linmm_script *s, int argc, char **argv, const char *rest);
};

/*
 * script_run - run a whole script from @f.
 * @name: the script's name for messages ("tests/x.linmm", "<stdin>").
 * Context: no machine booted; the machine is shut down again on return.
 * Return: a script_status, which is also the process exit status.
 */
enum script_status script_run(FILE *f, const char *name);

/*
 * script_run_text - run a script held in a string (the built-in tour).
 * Context and return as script_run().
 */
enum script_status script_run_text(const char *text, const char *name);

/*
 * script_exec - run one line in an ongoing run @s (the tour drives the
 * interpreter line by line); counts the line.
 * Return: a script_status; the caller stops at the first that is not SCRIPT_OK.
 */
enum script_status script_exec(struct linmm_script *s, const char *line);

/*
 * script_in_block - is @s inside an unfinished `repeat` block (the shell
 * prompts for more lines)?
 */
bool script_in_block(const struct linmm_script *s);

/*
 * script_parse_size - parse a size: a decimal or 0x number with an optional
 * K, M or G suffix (memparse(), as the kernel's boot parameters), at most @max.
 * Return: false if malformed or too big (*out unspecified).
 */
bool script_parse_size(const char *str, unsigned long max, unsigned long *out);

/*
 * script_parse_target - split "H", "H+OFF" or "H-OFF" (OFF a size as
 * script_parse_size()) into the handle name (at most @namesize - 1
 * characters) and a signed offset.
 * Return: false if malformed.
 */
bool script_parse_target(const char *arg, char *name, size_t namesize, long *off);

/* A word of a flag list and the bits it stands for (script_parse_flag_list()). */
struct script_flag_name {
	const char *name;
	unsigned long value;
};

/*
 * script_parse_flag_list - "a,b,c" (words split at any of @seps, under 128
 * characters) of @names[0 .. @n) -> the OR of their values in *@flags; an
 * empty list is 0.
 * Return: false if a word is not in @names or the list is too long.
 */
bool script_parse_flag_list(const char *str, const char *seps,
			    const struct script_flag_name *names, size_t n, unsigned long *flags);

/*
 * script_finish - the end of the text of a run driven by script_exec(): an
 * unfinished repeat block is an error, reported at its first line.
 * Return: SCRIPT_OK, or SCRIPT_ERROR (message printed).
 */
enum script_status script_finish(struct linmm_script *s);

/* script_end - end a run driven by script_exec(): shut the machine down. */
void script_end(struct linmm_script *s);

/*
 * script_error - report an error at the current line: "NAME:LINE: message".
 * Return: SCRIPT_ERROR, so a command can `return script_error(s, ...)`.
 */
__attribute__((format(printf, 2, 3)))
enum script_status script_error(struct linmm_script *s, const char *fmt, ...);

/*
 * script_ensure_booted - boot the default machine if this run has none yet.
 * Return: SCRIPT_OK or SCRIPT_ERROR (message printed).
 */
enum script_status script_ensure_booted(struct linmm_script *s);

/*
 * The command line of the default machine that script_ensure_booted()
 * boots; NULL (the initial value) is linmm's default machine
 * (LINMM_DEFAULT_CMDLINE).  The fuzz target (tests/fuzz/fuzz_script.c)
 * sets a smaller one to keep each run fast; `linmm` never changes it.
 */
extern const char *script_default_cmdline;

/* The command table, sorted by name, NULL-terminated; for --help. */
extern const struct script_cmd script_commands[];

/* Print "  usage" lines of every command to @f. */
void script_print_commands(FILE *f);

/* commands_proc.c */
enum script_status cmd_cat(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_dmesg(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_sysctl(struct linmm_script *s, int argc, char **argv, const char *rest);
/*
 * script_read_source - the text behind the SOURCE of `expect`: a
 * /proc or /sys path, a sysctl name ("vm.min_free_kbytes") or "dmesg".
 * Return: host-heap text for linmm_free(), or NULL after script_error().
 */
char *script_read_source(struct linmm_script *s, const char *what);
/*
 * script_text_section - narrow [*start, *end) to the section of a
 * zoneinfo-style text that begins with the line "Node @node, zone @zone" and
 * ends before the next line starting with "Node ".
 * Return: false if there is no such section (*start, *end unchanged).
 */
bool script_text_section(const char **start, const char **end, long long node, const char *zone);

/* commands_alloc.c */
enum script_status cmd_alloc_pages(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_free_pages(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_drain(struct linmm_script *s, int argc, char **argv, const char *rest);
/* Forget every handle (the machine is going away). */
void script_alloc_reset(void);
/* A handle name other commands may use too: letters, digits and _, not a digit first. */
bool script_handle_name_ok(const char *name);
struct page;
/*
 * script_alloc_lookup - the first page of alloc_pages handle @name
 * (*found false: no such handle; NULL with *found true: the allocation failed).
 */
struct page *script_alloc_lookup(const char *name, bool *found);

/* commands_highmem.c */
enum script_status cmd_kmap(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_kunmap(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_kmap_local(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_kunmap_local(struct linmm_script *s, int argc, char **argv, const char *rest);
/* Forget every kmap handle (the machine is going away). */
void script_highmem_reset(void);

/* commands_vmalloc.c */
enum script_status cmd_vmalloc(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_vzalloc(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_vfree(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_vmap(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_vunmap(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_vm_unmap_aliases(struct linmm_script *s, int argc, char **argv,
					const char *rest);
/* Forget every vmalloc/vmap handle (the machine is going away). */
void script_vmalloc_reset(void);

/* commands_task.c */
enum script_status cmd_spawn(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_exit(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_fork(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_exec(struct linmm_script *s, int argc, char **argv, const char *rest);
/* "/proc/NAME/..." with NAME a task's script name -> "/proc/PID/..." (static buffer); else @path. */
const char *script_proc_path(const char *path);
enum script_status cmd_mmap(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_munmap(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_mprotect(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_mremap(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_brk(struct linmm_script *s, int argc, char **argv, const char *rest);
/* Forget every task and mapping name (the machine is going away). */
void script_task_reset(void);
/* "EINVAL" for -EINVAL (the errno values the mm calls return); "E?" otherwise. */
const char *script_errno_name(long err);
struct task_struct;
/* Name [addr, addr + len) of @tsk as mapping handle @name.  False: bad/used name, table full. */
bool script_map_add(struct task_struct *tsk, const char *name, unsigned long addr,
		    unsigned long len);
/* The task named by argv[0], or NULL after script_error() (status in *@st). */
struct task_struct *script_need_task(struct linmm_script *s, const char *cmd, int argc,
				     char **argv, enum script_status *st);
/*
 * script_parse_range - "ADDR LEN" or "H [LEN]" (an mmap handle of @tsk; LEN
 * defaults to its length) from the first @argc words of @argv; *@used is
 * how many words it took.  Return: false if malformed.
 */
bool script_parse_range(struct task_struct *tsk, int argc, char **argv, int *used,
			unsigned long *addr, unsigned long *len);

/* commands_file.c: FD of task @task: an open handle name or a number.  False: neither. */
bool script_parse_fd(const char *task, const char *arg, int *fd);

/* commands_shm.c */
enum script_status cmd_shmget(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_shmat(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_shmdt(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_shmctl(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_ipcs(struct linmm_script *s, int argc, char **argv, const char *rest);
/* Forget every shmget handle (the machine is going away). */
void script_shm_reset(void);

/* commands_madvise.c */
enum script_status cmd_mlock(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_munlock(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_mlockall(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_munlockall(struct linmm_script *s, int argc, char **argv,
				  const char *rest);
enum script_status cmd_madvise(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_msync(struct linmm_script *s, int argc, char **argv, const char *rest);

/* commands_mincore.c: mincore P ADDR|H [LEN] */
enum script_status cmd_mincore(struct linmm_script *s, int argc, char **argv, const char *rest);

/* commands_expect.c */
enum script_status cmd_expect(struct linmm_script *s, int argc, char **argv, const char *rest);

/* commands_fault.c: user-mode accesses of a task */
enum script_status cmd_touch(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_read(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_pagemap(struct linmm_script *s, int argc, char **argv, const char *rest);
/* `write`: a task's stores when the first word names a task, else commands_slab.c's cmd_write. */
enum script_status cmd_write_any(struct linmm_script *s, int argc, char **argv, const char *rest);
/* "expect P alive|killed [SIG]" and "expect P min_flt|maj_flt OP N" (argv[0] is a task). */
enum script_status script_expect_task(struct linmm_script *s, int argc, char **argv);
/* commands_task.c: a task of that name exists. */
bool script_task_exists(const char *name);

/* commands_file.c: files, the page cache and writeback */
enum script_status cmd_open(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_close(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_fread(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_fwrite(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_pread(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_pwrite(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_lseek(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_ftruncate(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_fsync(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_fstat(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_unlink(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_sync(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_load(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_sleep(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_bdev(struct linmm_script *s, int argc, char **argv, const char *rest);
/* Forget every descriptor name (the machine is going away). */
void script_file_reset(void);

/* commands_tmpfs.c */
enum script_status cmd_df(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_mount(struct linmm_script *s, int argc, char **argv, const char *rest);

/* commands_slab.c */
enum script_status cmd_kmem_cache_create(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_kmem_cache_alloc(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_kmem_cache_free(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_kmem_cache_shrink(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_kmem_cache_destroy(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_kmalloc(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_krealloc(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_kfree(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_write(struct linmm_script *s, int argc, char **argv, const char *rest);
enum script_status cmd_fill(struct linmm_script *s, int argc, char **argv, const char *rest);
/* Forget every cache and object handle (the machine is going away). */
void script_slab_reset(void);
/*
 * script_slab_lookup - the object of kmalloc/kmem_cache_alloc handle @name
 * (*found false: no such handle; NULL with *found true: the allocation failed).
 */
void *script_slab_lookup(const char *name, bool *found);

/* commands_slabtop.c */
enum script_status cmd_slabtop(struct linmm_script *s, int argc, char **argv, const char *rest);

/* commands_grep.c: grep [-E] [-v] PATTERN SOURCE */
enum script_status cmd_grep(struct linmm_script *s, int argc, char **argv, const char *rest);

/*
 * Run observers: what --json (json.c) and --html (html.c) record.  The
 * interpreter calls each hook that is not NULL, in the order observers
 * were added:
 *   @line	every line read (script file, standard input, the tour's lines),
 *		as written, before a repeat block runs it
 *   @cat	a `cat` printed the file @path (command line @command)
 *   @step	one step ran, with status @st: a top-level command, or a whole
 *		repeat block (@command its "repeat" line, @first_line its line,
 *		s->lineno its "}"); only while a machine is up
 *   @final	the run is ending; the machine is still up
 * script_observe() adds one for the rest of the process (Return: 0, or
 * -ENOSPC past 4); script_unobserve() removes it.
 */
struct script_observer {
	void (*line)(const struct linmm_script *s, const char *text);
	void (*cat)(const struct linmm_script *s, const char *command, const char *path);
	void (*step)(const struct linmm_script *s, unsigned int first_line, const char *command,
		     enum script_status st);
	void (*final)(const struct linmm_script *s);
};
int script_observe(const struct script_observer *o);
void script_unobserve(const struct script_observer *o);
/*
 * script_notify_line / script_notify_step - call the observers' @line and
 * @step hooks for a run that is not a script: `linmm replay` (replay.c)
 * reports each sample of a trace replay as a line and a step.
 */
void script_notify_line(const struct linmm_script *s, const char *text);
void script_notify_step(const struct linmm_script *s, unsigned int first_line, const char *command,
			enum script_status st);

/*
 * json.c: `linmm run --json`.  script_json_begin() starts the document of
 * the run of script @name and observes the run (every `cat` and the final
 * counters); script_json_write() adds @status, writes the document to @fd
 * and frees it (Return: 0 or -errno).  script_json_fields() is the numbers
 * of a key-value file ("KEY[:] NUMBER [kB]" lines: meminfo, vmstat) as a
 * json-c object, or NULL if @text has another shape.
 */
struct json_object;
void script_json_begin(const char *name);
int script_json_write(int fd, int status);
struct json_object *script_json_fields(const char *text);

/*
 * html.c: `--html FILE`, the self-contained HTML report.  script_html_begin()
 * observes the run of script @name (every line, a sample of the machine at
 * every step, the last before shutdown); script_html_write() writes the
 * report of a run that ended with @status to @path.
 * Return: 0, or -errno (the file could not be written).
 */
void script_html_begin(const char *name);
int script_html_write(const char *path, int status);

/*
 * trace_events.c: `linmm run --trace-events FILE [--events LIST]`.
 * script_trace_begin() opens @path ("-": standard output) and subscribes
 * to the events of @events (comma-separated names, NULL: all); Return: 0,
 * or -errno after printing what was wrong.  script_trace_end()
 * unsubscribes and closes the file; Return: 0 or -EIO.
 */
int script_trace_begin(const char *path, const char *events);
int script_trace_end(void);
/* The run whose command is executing now (NULL between commands): for event lines. */
extern const struct linmm_script *script_running;

/* help.c */
enum script_status cmd_help(struct linmm_script *s, int argc, char **argv, const char *rest);

/*
 * shell.c: `linmm shell`, the interactive interpreter on standard input
 * (line editing, history and completion when it is a terminal).
 * Return: the worst script_status of the session's commands.
 */
int linmm_shell(void);

/* tour.c: the built-in default tour, on @cmdline (NULL: the default machine). */
enum script_status linmm_tour(const char *cmdline);

#endif /* LINMM_TOOLS_SCRIPT_H */
