// SPDX-License-Identifier: MIT
/*
 * sysctl.c - the /proc/sys knobs: the vm table, the generic proc_do*vec
 * handlers and the lookup by path or dotted name (kernel/sysctl.c,
 * fs/proc/proc_sysctl.c, and the vm entries the kernel keeps in
 * mm/page_alloc.c, mm/util.c, mm/page-writeback.c and mm/vmstat.c).
 *
 * Reading a knob prints its value as the kernel does ("%d\n", vectors
 * tab-separated).  Writing parses the text like proc_dointvec: blanks,
 * tabs and newlines separate numbers, a number may be negative and may be
 * written in hex (0x...) or octal (0...).  Every value is checked against
 * the entry's bounds before anything is stored, so a bad write changes
 * nothing; knobs whose change must be propagated (watermarks, pcp sizes,
 * lowmem reserves) hand the checked value to their mechanism's setter.
 *
 * linmm differs from the kernel in two details, both to help the user: an
 * empty write and trailing garbage after the last number are -EINVAL (the
 * kernel ignores them), and every error says what was accepted.
 *
 * The table is sorted by name, which is the order `ls` and `sysctl -a`
 * list the files in.
 *
 * Locks: none here; setters take their mechanism's locks.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/linmm.h>
#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/sysctl.h>
#include <linmm/vmstat.h>
#include <linmm/writeback.h>

#include "arch/arch.h"
#include <linmm/shm.h>

#include "kernel/host.h"
#include "kernel/machine.h"
#include "mm/internal.h"

#define SYSCTL_ERR_MAX 256

const int sysctl_vals_zero = 0;
const int sysctl_vals_one = 1;
const int sysctl_vals_two = 2;
const int sysctl_vals_one_hundred = 100;
static const int three_thousand = 3000;
static const int sysctl_four = 4;	/* drop_caches: 1..4 */
static const unsigned long ulong_one = 1;

/* ---- parsing and printing ---- */

static bool is_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static const char *skip_seps(const char *p)
{
	while (*p && is_sep(*p))
		p++;
	return p;
}

/*
 * Parse one number at *@pp (proc_get_long): optional '-', then a digit,
 * base 0 as strtoul; it must end at a separator or the end of the text.
 * Return: 0 with *@mag and *@neg set, or -EINVAL.
 */
static int parse_number(const char **pp, unsigned long long *mag, bool *neg)
{
	const char *p = *pp;
	char *end;

	*neg = *p == '-';
	if (*neg)
		p++;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	errno = 0;
	*mag = strtoull(p, &end, 0);
	if (errno || (*end && !is_sep(*end)))
		return -EINVAL;
	*pp = end;
	return 0;
}

/* The first token of @p, for error messages. */
static void first_token(const char *p, char *tok, size_t size)
{
	size_t n = 0;

	while (p[n] && !is_sep(p[n]) && n + 1 < size)
		n++;
	memcpy(tok, p, n);
	tok[n] = '\0';
}

static void int_range_text(const struct ctl_table *table, char *buf, size_t size)
{
	const int *lo = table->extra1, *hi = table->extra2;

	snprintf(buf, size, "integers from %d to %d", lo ? *lo : INT_MIN, hi ? *hi : INT_MAX);
}

static void ulong_range_text(const struct ctl_table *table, char *buf, size_t size)
{
	const unsigned long *lo = table->extra1, *hi = table->extra2;

	snprintf(buf, size, "integers from %lu to %lu", lo ? *lo : 0UL, hi ? *hi : ULONG_MAX);
}

/*
 * Walk the numbers of @buf: @store is called with each (sign, magnitude)
 * and checks and stores it.  Shared by the int and unsigned long parsers.
 */
static int parse_vec(const struct ctl_table *table, const char *buf, int max, int *nr,
		     int (*store)(const struct ctl_table *t, int i, bool neg,
				  unsigned long long mag, const char *tok, void *vals),
		     void *vals, void (*range_text)(const struct ctl_table *, char *, size_t))
{
	char accepted[96], tok[48];
	const char *p = skip_seps(buf);
	int n = 0;

	range_text(table, accepted, sizeof(accepted));
	if (!*p) {
		linmm_set_error("empty value (accepted: %s)", accepted);
		return -EINVAL;
	}
	while (*p) {
		unsigned long long mag;
		bool neg;
		int ret;

		first_token(p, tok, sizeof(tok));
		if (n == max) {
			linmm_set_error("too many values: '%s' after %d (accepted: %d %s)", tok, max,
					max, max == 1 ? "value" : "values");
			return -EINVAL;
		}
		if (parse_number(&p, &mag, &neg)) {
			linmm_set_error("'%s' is not a number (accepted: %s)", tok, accepted);
			return -EINVAL;
		}
		ret = store(table, n, neg, mag, tok, vals);
		if (ret) {
			linmm_set_error("%s is out of range (accepted: %s)", tok, accepted);
			return ret;
		}
		n++;
		p = skip_seps(p);
	}
	*nr = n;
	return 0;
}

static int store_int(const struct ctl_table *table, int i, bool neg, unsigned long long mag,
		     const char *tok, void *vals)
{
	const int *lo = table->extra1, *hi = table->extra2;
	long long v;

	if (mag > (unsigned long long)INT_MAX + (neg ? 1 : 0))
		return -EINVAL;
	v = neg ? -(long long)mag : (long long)mag;
	if ((lo && v < *lo) || (hi && v > *hi))
		return -EINVAL;
	((int *)vals)[i] = (int)v;
	return 0;
}

static int store_ulong(const struct ctl_table *table, int i, bool neg, unsigned long long mag,
		       const char *tok, void *vals)
{
	const unsigned long *lo = table->extra1, *hi = table->extra2;

	if (neg || mag > ULONG_MAX)
		return -EINVAL;
	if ((lo && mag < *lo) || (hi && mag > *hi))
		return -EINVAL;
	((unsigned long *)vals)[i] = (unsigned long)mag;
	return 0;
}

int proc_parse_ints(const struct ctl_table *table, const char *buf, int *vals, int max, int *nr)
{
	return parse_vec(table, buf, max, nr, store_int, vals, int_range_text);
}

int proc_parse_ulongs(const struct ctl_table *table, const char *buf, unsigned long *vals,
		      int max, int *nr)
{
	return parse_vec(table, buf, max, nr, store_ulong, vals, ulong_range_text);
}

void proc_show_ints(struct seq_file *m, const int *vals, int n)
{
	for (int i = 0; i < n; i++)
		seq_printf(m, i ? "\t%d" : "%d", vals[i]);
	seq_putc(m, '\n');
}

/* ---- generic handlers ---- */

static int do_intvec(const struct ctl_table *table, int write, struct seq_file *m,
		     const char *buf)
{
	int n = table->maxlen / (int)sizeof(int);
	int vals[MAX_NR_ZONES > 8 ? MAX_NR_ZONES : 8];
	int nr, ret;

	if (!write) {
		proc_show_ints(m, table->data, n);
		return 0;
	}
	if (n > (int)ARRAY_SIZE(vals))
		return -EINVAL;
	ret = proc_parse_ints(table, buf, vals, n, &nr);
	if (ret)
		return ret;
	memcpy(table->data, vals, nr * sizeof(int));
	return 0;
}

/**
 * proc_dointvec - show or set an int (or int vector) without bounds.
 * @table: the entry (data: int or int[], maxlen: its size)
 * @write: 0 show, 1 set
 * @m: output for a show
 * @buf: the text written
 *
 * Context: sysctl.
 * Return: 0 or -EINVAL.
 */
int proc_dointvec(const struct ctl_table *table, int write, struct seq_file *m, const char *buf)
{
	struct ctl_table unbounded = *table;

	unbounded.extra1 = NULL;
	unbounded.extra2 = NULL;
	return do_intvec(&unbounded, write, m, buf);
}

/**
 * proc_dointvec_minmax - as proc_dointvec(), each value within extra1..extra2.
 * @table: the entry (extra1/extra2: const int *, NULL for no bound)
 * @write: 0 show, 1 set
 * @m: output for a show
 * @buf: the text written
 *
 * Context: sysctl.
 * Return: 0 or -EINVAL (nothing stored).
 */
int proc_dointvec_minmax(const struct ctl_table *table, int write, struct seq_file *m,
			 const char *buf)
{
	return do_intvec(table, write, m, buf);
}

/**
 * proc_doulongvec_minmax - show or set an unsigned long within extra1..extra2.
 * @table: the entry (extra1/extra2: const unsigned long *, NULL for no bound)
 * @write: 0 show, 1 set
 * @m: output for a show
 * @buf: the text written
 *
 * Context: sysctl.
 * Return: 0 or -EINVAL (nothing stored).
 */
int proc_doulongvec_minmax(const struct ctl_table *table, int write, struct seq_file *m,
			   const char *buf)
{
	int n = table->maxlen / (int)sizeof(unsigned long);
	unsigned long vals[4];
	int nr, ret;

	if (!write) {
		const unsigned long *data = table->data;

		for (int i = 0; i < n; i++)
			seq_printf(m, i ? "\t%lu" : "%lu", data[i]);
		seq_putc(m, '\n');
		return 0;
	}
	if (n > (int)ARRAY_SIZE(vals))
		return -EINVAL;
	ret = proc_parse_ulongs(table, buf, vals, n, &nr);
	if (ret)
		return ret;
	memcpy(table->data, vals, nr * sizeof(unsigned long));
	return 0;
}

/* ---- the watermark knobs: checked here, applied by mm/watermark.c ---- */

/* Parse one bounded int and hand it to @set. */
static int intvec_apply(const struct ctl_table *table, int write, struct seq_file *m,
			const char *buf, int (*set)(long v))
{
	int v, nr, ret;

	if (!write)
		return proc_dointvec(table, write, m, buf);
	ret = proc_parse_ints(table, buf, &v, 1, &nr);
	if (ret)
		return ret;
	ret = set(v);
	if (ret)
		linmm_set_error("%d was refused", v);
	return ret;
}

static int min_free_kbytes_sysctl_handler(const struct ctl_table *table, int write,
					  struct seq_file *m, const char *buf)
{
	return intvec_apply(table, write, m, buf, sysctl_set_min_free_kbytes);
}

static int watermark_scale_factor_sysctl_handler(const struct ctl_table *table, int write,
						 struct seq_file *m, const char *buf)
{
	return intvec_apply(table, write, m, buf, sysctl_set_watermark_scale_factor);
}

static int watermark_boost_factor_sysctl_handler(const struct ctl_table *table, int write,
						 struct seq_file *m, const char *buf)
{
	return intvec_apply(table, write, m, buf, sysctl_set_watermark_boost_factor);
}

static int percpu_pagelist_high_fraction_sysctl_handler(const struct ctl_table *table, int write,
							 struct seq_file *m, const char *buf)
{
	int v, nr, ret;

	if (!write)
		return proc_dointvec(table, write, m, buf);
	ret = proc_parse_ints(table, buf, &v, 1, &nr);
	if (!ret && v && v < MIN_PERCPU_PAGELIST_HIGH_FRACTION) {
		linmm_set_error("%d is out of range (accepted: 0 for automatic, or %d to %d)", v,
				MIN_PERCPU_PAGELIST_HIGH_FRACTION, INT_MAX);
		ret = -EINVAL;
	}
	if (!ret)
		ret = sysctl_set_percpu_pagelist_high_fraction(v);
	return ret;
}

/* One value per configured zone, lowest zone first ("256\t256\t32\t0\t0" on x86_64). */
static int lowmem_reserve_ratio_sysctl_handler(const struct ctl_table *table, int write,
					       struct seq_file *m, const char *buf)
{
	int vals[MAX_NR_ZONES];
	long lvals[MAX_NR_ZONES];
	int n = 0, nr, ret;

	if (!write) {
		for (int idx = 0; idx < MAX_NR_ZONES; idx++)
			if (arch_zone_configured(idx))
				vals[n++] = sysctl_lowmem_reserve_ratio[idx];
		proc_show_ints(m, vals, n);
		return 0;
	}
	for (int idx = 0; idx < MAX_NR_ZONES; idx++)
		n += arch_zone_configured(idx);
	ret = proc_parse_ints(table, buf, vals, n, &nr);
	if (ret)
		return ret;
	for (int i = 0; i < nr; i++)
		lvals[i] = vals[i];
	ret = sysctl_set_lowmem_reserve_ratio(lvals, nr);
	if (ret)
		linmm_set_error("the ratios were refused");
	return ret;
}

static bool numa_configured(void)
{
	return linmm_arch->numa;
}

/* ---- the vm table ---- */

/* A directory of knobs; @present (NULL: always) hides entries a model compiles out. */
struct ctl_dir_entry {
	struct ctl_table table;
	bool (*present)(void);
};

#define INT_ENTRY(name, var, handler, lo, hi)                                       \
	{ .table = { .procname = name, .data = &(var), .maxlen = sizeof(var), .mode = 0644, \
		     .proc_handler = handler, .extra1 = lo, .extra2 = hi } }
#define ULONG_ENTRY(name, var, handler, lo)                                         \
	{ .table = { .procname = name, .data = &(var), .maxlen = sizeof(var), .mode = 0644, \
		     .proc_handler = handler, .extra1 = lo } }

static int ipcmni_max = IPCMNI_LINMM;

/* The kernel directory: what mm owns there (mm/memory.c's randomize_va_space). */
static const struct ctl_dir_entry kernel_table[] = {
	/* proc_dointvec, unbounded, as the kernel's: above 2 acts as 2. */
	INT_ENTRY("randomize_va_space", randomize_va_space, proc_dointvec, NULL, NULL),
	/* ipc/shm.c's limits: shmall in pages, shmmax in bytes, shmmni at most IPCMNI. */
	ULONG_ENTRY("shmall", shm_ctlall, proc_doulongvec_minmax, NULL),
	ULONG_ENTRY("shmmax", shm_ctlmax, proc_doulongvec_minmax, NULL),
	INT_ENTRY("shmmni", shm_ctlmni, proc_dointvec_minmax, SYSCTL_ZERO, &ipcmni_max),
};

static const struct ctl_dir_entry vm_table[] = {
	ULONG_ENTRY("admin_reserve_kbytes", sysctl_admin_reserve_kbytes, proc_doulongvec_minmax,
		    NULL),
	ULONG_ENTRY("dirty_background_bytes", dirty_background_bytes,
		    dirty_background_bytes_handler, &ulong_one),
	INT_ENTRY("dirty_background_ratio", dirty_background_ratio, dirty_background_ratio_handler,
		  SYSCTL_ZERO, SYSCTL_ONE_HUNDRED),
	ULONG_ENTRY("dirty_bytes", vm_dirty_bytes, dirty_bytes_handler, &dirty_bytes_min),
	INT_ENTRY("dirty_expire_centisecs", dirty_expire_interval, proc_dointvec_minmax,
		  SYSCTL_ZERO, NULL),
	INT_ENTRY("dirty_ratio", vm_dirty_ratio, dirty_ratio_handler, SYSCTL_ZERO,
		  SYSCTL_ONE_HUNDRED),
	INT_ENTRY("dirty_writeback_centisecs", dirty_writeback_interval,
		  dirty_writeback_centisecs_handler, NULL, NULL),
	/* Write-only, as the kernel's 0200: 1 page cache, 2 slab, 3 both (fs/drop_caches.c). */
	{ .table = { .procname = "drop_caches", .data = &sysctl_drop_caches,
		     .maxlen = sizeof(int), .mode = 0200, .proc_handler = drop_caches_sysctl_handler,
		     .extra1 = SYSCTL_ONE, .extra2 = &sysctl_four } },
	INT_ENTRY("lowmem_reserve_ratio", sysctl_lowmem_reserve_ratio,
		  lowmem_reserve_ratio_sysctl_handler, NULL, NULL),
	INT_ENTRY("max_map_count", sysctl_max_map_count, proc_dointvec_minmax, SYSCTL_ZERO, NULL),
	INT_ENTRY("min_free_kbytes", min_free_kbytes, min_free_kbytes_sysctl_handler, SYSCTL_ZERO,
		  NULL),
	ULONG_ENTRY("mmap_min_addr", mmap_min_addr, proc_doulongvec_minmax, NULL),
	{ .table = { .procname = "numa_stat", .data = &sysctl_vm_numa_stat, .maxlen = sizeof(int),
		     .mode = 0644, .proc_handler = sysctl_vm_numa_stat_handler,
		     .extra1 = SYSCTL_ZERO, .extra2 = SYSCTL_ONE },
	  .present = numa_configured },
	ULONG_ENTRY("overcommit_kbytes", sysctl_overcommit_kbytes, overcommit_kbytes_handler, NULL),
	INT_ENTRY("overcommit_memory", sysctl_overcommit_memory, proc_dointvec_minmax, SYSCTL_ZERO,
		  SYSCTL_TWO),
	INT_ENTRY("overcommit_ratio", sysctl_overcommit_ratio, overcommit_ratio_handler, SYSCTL_ZERO,
		  NULL),
	INT_ENTRY("percpu_pagelist_high_fraction", percpu_pagelist_high_fraction,
		  percpu_pagelist_high_fraction_sysctl_handler, SYSCTL_ZERO, NULL),
	{ .table = { .procname = "stat_refresh", .mode = 0600, .proc_handler = vmstat_refresh } },
	ULONG_ENTRY("user_reserve_kbytes", sysctl_user_reserve_kbytes, proc_doulongvec_minmax,
		    NULL),
	INT_ENTRY("watermark_boost_factor", watermark_boost_factor,
		  watermark_boost_factor_sysctl_handler, SYSCTL_ZERO, NULL),
	INT_ENTRY("watermark_scale_factor", watermark_scale_factor,
		  watermark_scale_factor_sysctl_handler, SYSCTL_ONE, &three_thousand),
};

static const struct {
	const char *name;
	const struct ctl_dir_entry *entries;
	size_t nr;
} sysctl_dirs[] = {
	{ "kernel", kernel_table, ARRAY_SIZE(kernel_table) },
	{ "vm", vm_table, ARRAY_SIZE(vm_table) },
};

/* Find "dir/name"; NULL if there is no such (present) knob. */
static const struct ctl_dir_entry *sysctl_lookup(const char *path, const char **dir)
{
	for (size_t d = 0; d < ARRAY_SIZE(sysctl_dirs); d++) {
		size_t len = strlen(sysctl_dirs[d].name);

		if (strncmp(path, sysctl_dirs[d].name, len) || path[len] != '/')
			continue;
		for (size_t i = 0; i < sysctl_dirs[d].nr; i++) {
			const struct ctl_dir_entry *e = &sysctl_dirs[d].entries[i];

			if (!strcmp(path + len + 1, e->table.procname) && (!e->present || e->present())) {
				*dir = sysctl_dirs[d].name;
				return e;
			}
		}
	}
	return NULL;
}

void sysctl_for_each(void (*fn)(const char *dir, const char *name, void *arg), void *arg)
{
	for (size_t d = 0; d < ARRAY_SIZE(sysctl_dirs); d++)
		for (size_t i = 0; i < sysctl_dirs[d].nr; i++) {
			const struct ctl_dir_entry *e = &sysctl_dirs[d].entries[i];

			if (!e->present || e->present())
				fn(sysctl_dirs[d].name, e->table.procname, arg);
		}
}

/* Look @path up for a read (0444) or write (0222).  Return 0 or -errno, with the error set. */
static int sysctl_find(const char *path, unsigned short need_mode,
		       const struct ctl_dir_entry **ep, const char **dir)
{
	if (!linmm_booted) {
		linmm_set_error("no machine is booted");
		return -ENODEV;
	}
	*ep = sysctl_lookup(path, dir);
	if (!*ep) {
		linmm_set_error("No such file or directory");
		return -ENOENT;
	}
	if (!((*ep)->table.mode & need_mode)) {
		linmm_set_error("Permission denied");
		return -EACCES;
	}
	return 0;
}

/**
 * sysctl_read - render /proc/sys/@path.
 * @path: relative to /proc/sys, e.g. "vm/min_free_kbytes"
 *
 * Context: machine booted.
 * Return: host-heap text (free with linmm_free), or NULL with linmm_set_error().
 */
char *sysctl_read(const char *path)
{
	const struct ctl_dir_entry *e;
	struct seq_file m;
	const char *dir;
	char *text;

	if (sysctl_find(path, 0444, &e, &dir))
		return NULL;
	seq_file_init(&m);
	if (e->table.proc_handler(&e->table, 0, &m, NULL)) {
		seq_file_release(&m);
		return NULL;
	}
	text = seq_file_take(&m);
	if (!text)
		linmm_set_error("out of host memory rendering /proc/sys/%s", path);
	return text;
}

/**
 * sysctl_write - write @value to /proc/sys/@path.
 * @path: relative to /proc/sys, e.g. "vm/min_free_kbytes"
 * @value: the text, as `echo VALUE >` would write it
 *
 * Context: machine booted.
 * Return: 0, -ENODEV (no machine), -ENOENT (no such knob), -EACCES
 * (read-only) or -EINVAL (bad value: the old value stays and
 * linmm_last_error() says what is accepted).
 */
int sysctl_write(const char *path, const char *value)
{
	const struct ctl_dir_entry *e;
	char msg[SYSCTL_ERR_MAX];
	const char *dir;
	int ret;

	ret = sysctl_find(path, 0222, &e, &dir);
	if (ret)
		return ret;
	ret = e->table.proc_handler(&e->table, 1, NULL, value ? value : "");
	if (ret) {
		snprintf(msg, sizeof(msg), "%s", linmm_last_error());
		linmm_set_error("%s.%s: %s", dir, e->table.procname, msg);
	}
	return ret;
}

/* "vm.min_free_kbytes" or "/proc/sys/vm/min_free_kbytes" -> "vm/min_free_kbytes". */
static int sysctl_name_to_path(const char *name, char *path, size_t size)
{
	static const char prefix[] = "/proc/sys/";
	size_t n;

	if (!strncmp(name, prefix, sizeof(prefix) - 1)) {
		name += sizeof(prefix) - 1;
		n = strlen(name);
		if (n >= size)
			return -ENAMETOOLONG;
		memcpy(path, name, n + 1);
		return 0;
	}
	n = strlen(name);
	if (n >= size)
		return -ENAMETOOLONG;
	for (size_t i = 0; i <= n; i++)
		path[i] = name[i] == '.' ? '/' : name[i];
	return 0;
}

char *linmm_sysctl_read(const char *name)
{
	char path[256];

	if (sysctl_name_to_path(name, path, sizeof(path))) {
		linmm_set_error("sysctl name too long");
		return NULL;
	}
	return sysctl_read(path);
}

int linmm_sysctl_write(const char *name, const char *value)
{
	char path[256];

	if (sysctl_name_to_path(name, path, sizeof(path))) {
		linmm_set_error("sysctl name too long");
		return -ENAMETOOLONG;
	}
	return sysctl_write(path, value);
}
