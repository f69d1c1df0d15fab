/* SPDX-License-Identifier: MIT */
/*
 * sysctl.h - runtime knobs under /proc/sys (include/linux/sysctl.h).
 *
 * A knob is a struct ctl_table entry: its file name, the variable it shows,
 * and a proc_handler that prints the value (read) or parses, checks and
 * applies a new one (write).  The generic handlers are the kernel's:
 * proc_dointvec (ints, tab-separated when the variable is a vector),
 * proc_dointvec_minmax (with bounds in extra1/extra2, pointers to int) and
 * proc_doulongvec_minmax (unsigned longs, bounds as pointers to unsigned
 * long).  Numbers are parsed as the kernel parses them: optional '-',
 * decimal, 0x hex or 0 octal, separated by blanks, tabs or newlines.  A bad
 * write returns -EINVAL, leaves the old value and says why through
 * linmm_set_error(); the caller (kernel/sysctl.c) prefixes the dotted name.
 *
 * Handlers that must recompute state on a write (watermarks, dirty limits)
 * parse with proc_parse_ints()/proc_parse_ulongs() and then call the
 * owning mechanism's setter, exactly where the kernel's custom handlers
 * would call setup_per_zone_wmarks() and friends.
 */
#ifndef LINMM_SYSCTL_H
#define LINMM_SYSCTL_H

#include <linmm/seq_file.h>
#include <linmm/types.h>

struct ctl_table;

/*
 * proc_handler - show or change one knob.
 * @write: 0 to print the value into @m, 1 to parse and apply @buf.
 * Return: 0, or -EINVAL (bad value; linmm_set_error() says why).
 */
typedef int proc_handler(const struct ctl_table *table, int write, struct seq_file *m,
			 const char *buf);

struct ctl_table {
	const char *procname;	/* file name under its directory ("min_free_kbytes") */
	void *data;		/* the variable (int, int[], unsigned long) */
	int maxlen;		/* sizeof(*data) in bytes; vectors hold maxlen/elem values */
	unsigned short mode;	/* 0644, 0600, 0200 ... */
	proc_handler *proc_handler;
	const void *extra1;	/* lower bound (minmax handlers), NULL: none */
	const void *extra2;	/* upper bound, NULL: none */
};

/* Bounds shared by the tables, as the kernel's SYSCTL_ZERO etc. */
extern const int sysctl_vals_zero, sysctl_vals_one, sysctl_vals_two, sysctl_vals_one_hundred;
#define SYSCTL_ZERO (&sysctl_vals_zero)
#define SYSCTL_ONE (&sysctl_vals_one)
#define SYSCTL_TWO (&sysctl_vals_two)
#define SYSCTL_ONE_HUNDRED (&sysctl_vals_one_hundred)

int proc_dointvec(const struct ctl_table *table, int write, struct seq_file *m, const char *buf);
int proc_dointvec_minmax(const struct ctl_table *table, int write, struct seq_file *m,
			 const char *buf);
int proc_doulongvec_minmax(const struct ctl_table *table, int write, struct seq_file *m,
			   const char *buf);

/*
 * proc_parse_ints - parse up to @max ints from @buf into @vals, checking each
 * against table->extra1/extra2 (pointers to int, NULL for no bound).
 * @nr: set to the number of values parsed (at least 1 on success).
 * Context: any.  Does not touch table->data.
 * Return: 0, or -EINVAL with linmm_set_error() saying what was wrong and what
 * is accepted.
 */
int proc_parse_ints(const struct ctl_table *table, const char *buf, int *vals, int max, int *nr);
/* As proc_parse_ints() for unsigned longs (bounds are pointers to unsigned long). */
int proc_parse_ulongs(const struct ctl_table *table, const char *buf, unsigned long *vals,
		      int max, int *nr);
/* Print @n ints tab-separated with a newline, as proc_dointvec shows a vector. */
void proc_show_ints(struct seq_file *m, const int *vals, int n);

/*
 * sysctl_read - render the file @path relative to /proc/sys ("vm/swappiness").
 * Return: host-heap text (free with linmm_free), or NULL with linmm_set_error().
 */
char *sysctl_read(const char *path);
/* sysctl_write - write @value to /proc/sys/@path.  Return 0 or -errno (-ENOENT, -EACCES, -EINVAL). */
int __must_check sysctl_write(const char *path, const char *value);
/* Call @fn for every knob's path relative to /proc/sys, in `ls -R` order. */
void sysctl_for_each(void (*fn)(const char *dir, const char *name, void *arg), void *arg);

#endif /* LINMM_SYSCTL_H */
