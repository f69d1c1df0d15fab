/* SPDX-License-Identifier: MIT */
/*
 * commands_slabtop.c - `slabtop [-s KEY] [-n N] [FILE]`: the one-shot
 * summary procps-ng's slabtop(1) prints with --once, over /proc/slabinfo
 * (or FILE: a slabinfo saved from a real machine with
 * `cat /proc/slabinfo > FILE`, so the two can be compared).
 *
 * Mirrors the user-space tool, not the kernel: it parses slabinfo 2.x text
 * as procps' library does and does the same arithmetic, so its output for
 * a given slabinfo is what slabtop prints for it:
 *
 *    Active / Total Objects (% used)    : 294931 / 308423 (95.6%)
 *    Active / Total Slabs (% used)      : 10566 / 10566 (100.0%)
 *    Active / Total Caches (% used)     : 121 / 235 (51.5%)
 *    Active / Total Size (% used)       : 80967.26K / 83557.45K (96.9%)
 *    Minimum / Average / Maximum Object : 0.01K / 0.27K / 8.00K
 *
 *     OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME
 *    66885  65285  97%    0.19K   3185       21     12740K dentry
 *
 * Sizes are objsize (the slot size) times objects; CACHE SIZE is slabs x
 * pages per slab x 4 KiB; USE is active/total objects, truncated (computed
 * in float, as procps does); a cache is "active" when it has any object.
 * Sort keys (descending, except n): a active objects, b objects per slab,
 * c cache size, l slabs, v active slabs, n name, o objects (default),
 * p pages per slab, s object size, u use.  Rows that tie keep slabinfo
 * order, where procps leaves them to qsort().  The lines are padded as
 * procps pads them (heading to 78 columns, names to 23).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/linmm.h>
#include <linmm/mm.h>

#include "tools/linmm/script.h"

#define SLABTOP_NAME_LEN 128	/* procps' SLABINFO_NAME_LEN */
#define SLABTOP_DEFAULT_KEY 'o'
#define SLABTOP_FILE_MAX (4 << 20)	/* a real slabinfo is some 100 KiB at most */

struct slabtop_row {
	char name[SLABTOP_NAME_LEN + 1];
	unsigned int nr_objs, nr_active_objs, obj_size, objs_per_slab, pages_per_slab;
	unsigned int nr_slabs, nr_active_slabs, use;
	unsigned long cache_size;
	size_t order;		/* position in the file: ties keep it */
};

struct slabtop_summary {
	unsigned int nr_objs, nr_active_objs, nr_slabs, nr_active_slabs;
	unsigned int nr_caches, nr_active_caches, min_obj_size, max_obj_size, avg_obj_size;
	unsigned long active_size, total_size;
};

static char sort_key;

/* The sort key's value of @r; name sorting is handled by the caller. */
static unsigned long row_key(const struct slabtop_row *r)
{
	switch (sort_key) {
	case 'a': return r->nr_active_objs;
	case 'b': return r->objs_per_slab;
	case 'c': return r->cache_size;
	case 'l': return r->nr_slabs;
	case 'v': return r->nr_active_slabs;
	case 'p': return r->pages_per_slab;
	case 's': return r->obj_size;
	case 'u': return r->use;
	default: return r->nr_objs;
	}
}

static int row_cmp(const void *pa, const void *pb)
{
	const struct slabtop_row *a = pa, *b = pb;
	int c = 0;

	if (sort_key == 'n')
		c = strcmp(a->name, b->name);
	else if (row_key(a) != row_key(b))
		c = row_key(a) > row_key(b) ? -1 : 1;
	if (c)
		return c;
	return a->order < b->order ? -1 : a->order > b->order;
}

/*
 * Parse slabinfo 2.x @text into *@rows and @sum.
 * Return: the number of rows, or -1 with @why set.
 */
static long parse_slabinfo(char *text, struct slabtop_row **rows, struct slabtop_summary *sum,
			   const char **why)
{
	size_t n = 0, cap = 0;
	int major, minor;
	char *line, *save;

	*rows = NULL;
	*sum = (struct slabtop_summary){ .min_obj_size = INT_MAX };
	line = strtok_r(text, "\n", &save);
	if (!line || sscanf(line, "slabinfo - version: %d.%d", &major, &minor) != 2 ||
	    major != 2) {
		*why = "not a slabinfo 2.x file (its first line is not \"slabinfo - version: 2.x\")";
		return -1;
	}
	while ((line = strtok_r(NULL, "\n", &save))) {
		struct slabtop_row *r;

		if (line[0] == '#')
			continue;
		if (n == cap) {
			struct slabtop_row *p = realloc(*rows, (cap = cap ? 2 * cap : 64) * sizeof(*p));

			if (!p) {
				*why = "out of host memory";
				return -1;
			}
			*rows = p;
		}
		r = &(*rows)[n];
		*r = (struct slabtop_row){ .order = n };
		if (sscanf(line, "%128s %u %u %u %u %u : tunables %*u %*u %*u : slabdata %u %u %*u",
			   r->name, &r->nr_active_objs, &r->nr_objs, &r->obj_size, &r->objs_per_slab,
			   &r->pages_per_slab, &r->nr_active_slabs, &r->nr_slabs) < 8) {
			*why = "a line does not read as a slabinfo 2.x row";
			return -1;
		}
		sum->min_obj_size = r->obj_size < sum->min_obj_size ? r->obj_size : sum->min_obj_size;
		sum->max_obj_size = r->obj_size > sum->max_obj_size ? r->obj_size : sum->max_obj_size;
		r->cache_size = (unsigned long)r->nr_slabs * r->pages_per_slab * PAGE_SIZE;
		if (r->nr_objs) {
			r->use = (unsigned int)(100 * ((float)r->nr_active_objs / r->nr_objs));
			sum->nr_active_caches++;
		}
		sum->nr_objs += r->nr_objs;
		sum->nr_active_objs += r->nr_active_objs;
		sum->total_size += (unsigned long)r->nr_objs * r->obj_size;
		sum->active_size += (unsigned long)r->nr_active_objs * r->obj_size;
		sum->nr_slabs += r->nr_slabs;
		sum->nr_active_slabs += r->nr_active_slabs;
		sum->nr_caches++;
		n++;
	}
	if (sum->nr_objs)
		sum->avg_obj_size = (unsigned int)(sum->total_size / sum->nr_objs);
	return (long)n;
}

static void print_slabtop(const struct slabtop_summary *t, const struct slabtop_row *rows,
			  size_t n)
{
	printf(" %-35s: %u / %u (%.1f%%)\n", "Active / Total Objects (% used)", t->nr_active_objs,
	       t->nr_objs, 100.0 * t->nr_active_objs / t->nr_objs);
	printf(" %-35s: %u / %u (%.1f%%)\n", "Active / Total Slabs (% used)", t->nr_active_slabs,
	       t->nr_slabs, 100.0 * t->nr_active_slabs / t->nr_slabs);
	printf(" %-35s: %u / %u (%.1f%%)\n", "Active / Total Caches (% used)",
	       t->nr_active_caches, t->nr_caches, 100.0 * t->nr_active_caches / t->nr_caches);
	printf(" %-35s: %.2fK / %.2fK (%.1f%%)\n", "Active / Total Size (% used)",
	       t->active_size / 1024.0, t->total_size / 1024.0,
	       100.0 * t->active_size / t->total_size);
	printf(" %-35s: %.2fK / %.2fK / %.2fK\n\n", "Minimum / Average / Maximum Object",
	       t->min_obj_size / 1024.0, t->avg_obj_size / 1024.0, t->max_obj_size / 1024.0);
	printf("%-78s\n", "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME");
	for (size_t i = 0; i < n; i++) {
		const struct slabtop_row *r = &rows[i];

		printf("%6u %6u %3u%% %7.2fK %6u %8u %9luK %-23s\n", r->nr_objs, r->nr_active_objs,
		       r->use, r->obj_size / 1024.0, r->nr_slabs, r->objs_per_slab,
		       r->cache_size / 1024, r->name);
	}
}

/* The text of @path (a host file); NULL after script_error(). Free with free(). */
static char *read_host_file(struct linmm_script *s, const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0;

	if (!f) {
		script_error(s, "slabtop: %s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		char *p = realloc(text, len + 4096 + 1);
		size_t got;

		if (!p) {
			free(text);
			fclose(f);
			script_error(s, "slabtop: out of host memory");
			return NULL;
		}
		text = p;
		got = fread(text + len, 1, 4096, f);
		len += got;
		if (got < 4096)
			break;
		if (len > SLABTOP_FILE_MAX) {
			free(text);
			fclose(f);
			script_error(s, "slabtop: %s: larger than %d MiB, not a slabinfo", path,
				     SLABTOP_FILE_MAX >> 20);
			return NULL;
		}
	}
	text[len] = '\0';
	if (ferror(f)) {
		script_error(s, "slabtop: %s: read error", path);
		free(text);
		text = NULL;
	}
	fclose(f);
	return text;
}

/* Parse "-s KEY"/"-sKEY" and "-n N"/"-nN"; *i is advanced past a separate value. */
static enum script_status parse_option(struct linmm_script *s, int argc, char **argv, int *i,
				       char *key, long *limit)
{
	const char *opt = argv[*i], *val = opt[2] ? opt + 2 : NULL;
	char *end;

	if (opt[1] != 's' && opt[1] != 'n')
		return script_error(s, "slabtop: unknown option '%s'; usage: slabtop [-s KEY] "
				    "[-n N] [FILE] (KEY: a b c l v n o p s u)", opt);
	if (!val && *i + 1 == argc)
		return script_error(s, "slabtop: option '%s' needs a value", opt);
	if (!val)
		val = argv[++*i];
	if (opt[1] == 's') {
		if (strlen(val) != 1 || !strchr("abclvnopsu", val[0]))
			return script_error(s, "slabtop: bad sort key '%s' (a b c l v n o p s u: "
					    "see docs/scripts.md)", val);
		*key = val[0];
		return SCRIPT_OK;
	}
	errno = 0;
	*limit = strtol(val, &end, 10);
	if (errno || *end || end == val || *limit < 0)
		return script_error(s, "slabtop: bad row count '%s'", val);
	return SCRIPT_OK;
}

enum script_status cmd_slabtop(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	const char *file = NULL, *why = NULL;
	struct slabtop_summary sum;
	struct slabtop_row *rows;
	enum script_status st;
	char key = SLABTOP_DEFAULT_KEY;
	long limit = -1, n;
	char *text;

	for (int i = 0; i < argc; i++) {
		if (argv[i][0] == '-') {
			st = parse_option(s, argc, argv, &i, &key, &limit);
			if (st != SCRIPT_OK)
				return st;
		} else if (!file) {
			file = argv[i];
		} else {
			return script_error(s, "slabtop: one FILE at most; usage: slabtop [-s KEY] "
					    "[-n N] [FILE]");
		}
	}
	text = file ? read_host_file(s, file) : linmm_proc_read("/proc/slabinfo");
	if (!text)
		return file ? SCRIPT_ERROR : script_error(s, "slabtop: /proc/slabinfo: %s",
							  linmm_last_error());
	n = parse_slabinfo(text, &rows, &sum, &why);
	if (file)
		free(text);
	else
		linmm_free(text);
	if (n < 0) {
		free(rows);
		return script_error(s, "slabtop: %s: %s", file ? file : "/proc/slabinfo", why);
	}
	sort_key = key;
	if (n > 1)
		qsort(rows, (size_t)n, sizeof(*rows), row_cmp);
	print_slabtop(&sum, rows, limit >= 0 && limit < n ? (size_t)limit : (size_t)n);
	free(rows);
	return SCRIPT_OK;
}
