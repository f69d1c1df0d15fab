/* SPDX-License-Identifier: MIT */
/*
 * commands_expect.c - `expect`, the assertion of scenario tests:
 *
 *   expect SOURCE [node=N] [zone=NAME] [field=NAME] [KEY] OP VALUE
 *   expect SOURCE contains TEXT
 *   expect SOURCE lacks TEXT
 *
 * SOURCE is a /proc or /sys path, a sysctl name or `dmesg`.  KEY picks the
 * first line that starts with KEY followed by ':' or a blank ("MemFree" in
 * meminfo, "pages free" in zoneinfo, "nr_free_pages" in vmstat); its value is
 * the number after the key.  Without KEY the text itself must start with a
 * number (a sysctl, /proc/sys/vm/min_free_kbytes).  node=/zone= narrow the
 * search to one "Node N, zone NAME" section of zoneinfo-style files.
 * field=NAME takes the value from the column of KEY's line that a header
 * line starting with '#' names NAME or <NAME> (/proc/slabinfo's
 * "# name <active_objs> <num_objs> <objsize> ..."), instead of the first
 * number after the key.  OP is
 * one of == != < <= > >=; VALUE is a number or another KEY of the same text:
 *
 *   expect /proc/meminfo MemFree <= MemTotal
 *   expect /proc/zoneinfo zone=Normal managed > 0
 *   expect vm.min_free_kbytes == 4096
 *   expect dmesg contains "Zone ranges:"
 *   expect /proc/slabinfo field=num_objs kmalloc-128 >= 32
 *
 * A handle of alloc_pages, kmalloc, krealloc or kmem_cache_alloc as SOURCE
 * asserts the allocation's result:
 *
 *   expect H == NULL            the allocation failed (also: expect H failed)
 *   expect H != NULL            it succeeded (ZERO_SIZE_PTR counts as not NULL)
 *
 * A task name as SOURCE asserts the task's state (commands_fault.c):
 *
 *   expect P killed [SIGSEGV]   P died of a signal (of that one)
 *   expect P alive
 *   expect P min_flt == 3       its minor (maj_flt: major) fault count
 *
 * A failed expectation prints "script:line: expect failed: ..." to stderr
 * and ends the script with SCRIPT_EXPECT_FAILED.  Linmm's own front-end
 * mechanism: no kernel counterpart (the kernel's selftests use shell).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/linmm.h>
#include <linmm/mm.h>
#include <linmm/slab.h>

#include "mm/internal.h"
#include "tools/linmm/script.h"

enum expect_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, NR_OPS };

static const char *const op_names[NR_OPS] = { "==", "!=", "<", "<=", ">", ">=" };

static int parse_op(const char *s)
{
	for (int i = 0; i < NR_OPS; i++)
		if (!strcmp(s, op_names[i]))
			return i;
	return -1;
}

static bool compare(long long a, enum expect_op op, long long b)
{
	switch (op) {
	case OP_EQ:
		return a == b;
	case OP_NE:
		return a != b;
	case OP_LT:
		return a < b;
	case OP_LE:
		return a <= b;
	case OP_GT:
		return a > b;
	case OP_GE:
		return a >= b;
	default:
		return false;
	}
}

/* A whole word that is a number ("4096", "-1", "0x1000"). */
static bool parse_number(const char *s, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(s, &end, 0);
	return *s && !errno && !*end && end != s;
}

/*
 * The column a header line names @field or <@field>: the first line that
 * starts with '#'; the word after '#' is column 0 (a row's KEY).
 * Return: the column, or -1.
 */
static int header_column(const char *text, const char *field)
{
	size_t fl = strlen(field);
	const char *p = text;
	int col = 0;

	while (p && *p != '#')
		p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
	if (!p)
		return -1;
	for (p++;; col++) {
		size_t len;

		p += strspn(p, " \t");
		len = strcspn(p, " \t\n");
		if (!len)
			return -1;
		if ((len == fl && !strncmp(p, field, fl)) ||
		    (len == fl + 2 && p[0] == '<' && !strncmp(p + 1, field, fl) && p[fl + 1] == '>'))
			return col;
		p += len;
	}
}

/*
 * Look @key up in [start, end): the first line (after leading blanks) that
 * starts with @key followed by ':' or a blank; its value is the number after
 * the key, or with @col > 0 the word in column @col of that line (the key
 * is column 0).  An empty @key means the number at the very start of the text.
 * Return: true and *val, or false (no such key, or no number after it).
 */
static bool lookup_key(const char *start, const char *end, const char *key, int col,
		       long long *val)
{
	size_t kl = strlen(key);

	for (const char *p = start; p && p < end; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *q = p;
		char *num_end;

		while (*q == ' ' || *q == '\t')
			q++;
		if (kl) {
			if (strncmp(q, key, kl) || (q[kl] != ':' && q[kl] != ' ' && q[kl] != '\t'))
				continue;
			q += kl;
			for (int c = 0; c < col; c++) {
				q += strspn(q, " \t");
				q += c ? strcspn(q, " \t\n") : 0;
			}
			while (*q == ':' || *q == ' ' || *q == '\t')
				q++;
		}
		errno = 0;
		*val = strtoll(q, &num_end, 0);
		return num_end != q && !errno;
	}
	return false;
}

static enum script_status expect_text(struct linmm_script *s, const char *what, const char *text,
				      bool want, int argc, char **argv)
{
	char needle[1024] = "";

	if (!argc)
		return script_error(s, "expect: %s needs a TEXT to look for", want ? "contains" : "lacks");
	for (int i = 0; i < argc; i++) {
		if (i)
			strncat(needle, " ", sizeof(needle) - strlen(needle) - 1);
		strncat(needle, argv[i], sizeof(needle) - strlen(needle) - 1);
	}
	if (!!strstr(text, needle) == want)
		return SCRIPT_OK;
	script_error(s, "expect failed: %s %s '%s'", what, want ? "does not contain" : "contains",
		     needle);
	return SCRIPT_EXPECT_FAILED;
}

/* Is @what a handle name rather than a /proc path, a sysctl or dmesg? */
static bool is_handle(const char *what)
{
	return strcmp(what, "dmesg") && script_handle_name_ok(what);
}

/* "expect H == NULL", "expect H != NULL", "expect H failed". */
static enum script_status expect_handle(struct linmm_script *s, int argc, char **argv)
{
	const char *name = argv[0];
	bool found, want_null, is_null;
	struct page *page = script_alloc_lookup(name, &found);
	void *ptr = NULL;
	char seen[64];

	if (argc == 2 && !strcmp(argv[1], "failed"))
		want_null = true;
	else if (argc == 3 && !strcmp(argv[2], "NULL") && (!strcmp(argv[1], "==") ||
							 !strcmp(argv[1], "!=")))
		want_null = argv[1][0] == '=';
	else
		return script_error(s, "usage: expect H == NULL, expect H != NULL or expect H "
				    "failed (H: a handle of alloc_pages, kmalloc, krealloc or "
				    "kmem_cache_alloc)");
	if (found) {
		is_null = !page;
		snprintf(seen, sizeof(seen), "pfn=0x%lx", page ? page_to_pfn(page) : 0UL);
	} else {
		ptr = script_slab_lookup(name, &found);
		if (!found)
			return script_error(s, "expect: no allocation handle named '%s'", name);
		is_null = !ptr;
		if (ptr == ZERO_SIZE_PTR)
			snprintf(seen, sizeof(seen), "ZERO_SIZE_PTR");
		else
			snprintf(seen, sizeof(seen), "0x%lx", linmm_kernel_address(ptr));
	}
	if (is_null == want_null)
		return SCRIPT_OK;
	if (is_null)
		script_error(s, "expect failed: %s is NULL (the allocation failed), expected != NULL",
			     name);
	else
		script_error(s, "expect failed: %s is %s, expected NULL (a failed allocation)", name,
			     seen);
	return SCRIPT_EXPECT_FAILED;
}

enum script_status cmd_expect(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	static const char usage[] = "usage: expect SOURCE [node=N] [zone=NAME] [field=NAME] [KEY] OP "
				    "VALUE, or expect SOURCE contains|lacks TEXT";
	const char *what, *key = "", *zone = NULL, *field = NULL, *start, *end;
	int col = 0;
	long long node = 0, lhs, rhs;
	enum script_status st = SCRIPT_OK;
	bool rhs_is_key;
	char *text;
	int op;

	if (argc < 2)
		return script_error(s, "%s", usage);
	if (script_task_exists(argv[0]) && (!strcmp(argv[1], "alive") || !strcmp(argv[1], "killed") ||
					    !strcmp(argv[1], "min_flt") || !strcmp(argv[1], "maj_flt")))
		return script_expect_task(s, argc, argv);
	if (is_handle(argv[0]))
		return expect_handle(s, argc, argv);
	what = argv[0];
	argc--;
	argv++;
	text = script_read_source(s, what);
	if (!text)
		return SCRIPT_ERROR;

	if (!strcmp(argv[0], "contains") || !strcmp(argv[0], "lacks")) {
		st = expect_text(s, what, text, argv[0][0] == 'c', argc - 1, argv + 1);
		goto out_free;
	}
	for (; argc && (!strncmp(argv[0], "node=", 5) || !strncmp(argv[0], "zone=", 5) ||
			!strncmp(argv[0], "field=", 6)); argc--, argv++) {
		if (argv[0][0] == 'f')
			field = argv[0] + 6;
		else if (argv[0][0] == 'z')
			zone = argv[0] + 5;
		else if (!parse_number(argv[0] + 5, &node) || node < 0) {
			st = script_error(s, "expect: bad node '%s'", argv[0] + 5);
			goto out_free;
		}
	}
	if (argc == 3) {
		key = argv[0];
		argc--;
		argv++;
	}
	if (argc != 2 || (op = parse_op(argv[0])) < 0) {
		st = script_error(s, "%s (OP: == != < <= > >=)", usage);
		goto out_free;
	}

	start = text;
	end = text + strlen(text);
	if (zone && !script_text_section(&start, &end, node, zone)) {
		st = script_error(s, "expect: %s has no section 'Node %lld, zone %s'", what, node, zone);
		goto out_free;
	}
	if (field && (!key[0] || (col = header_column(text, field)) < 0)) {
		st = key[0] ? script_error(s, "expect: %s has no column '%s' (none in a header line "
					       "starting with '#')", what, field)
			    : script_error(s, "expect: field=%s needs a KEY (the row)", field);
		goto out_free;
	}
	if (!lookup_key(start, end, key, col, &lhs)) {
		st = key[0] ? script_error(s, "expect: %s has no number for '%s'", what, key)
			    : script_error(s, "expect: %s does not start with a number", what);
		goto out_free;
	}
	rhs_is_key = !parse_number(argv[1], &rhs);
	if (rhs_is_key && !lookup_key(start, end, argv[1], col, &rhs)) {
		st = script_error(s, "expect: '%s' is neither a number nor a key of %s", argv[1], what);
		goto out_free;
	}
	if (!compare(lhs, op, rhs)) {
		if (rhs_is_key)
			script_error(s, "expect failed: %s%s%s%s%s is %lld, expected %s %s (%lld)",
				     what, key[0] ? " " : "", key, field ? " " : "", field ? field : "",
				     lhs, op_names[op], argv[1], rhs);
		else
			script_error(s, "expect failed: %s%s%s%s%s is %lld, expected %s %lld", what,
				     key[0] ? " " : "", key, field ? " " : "", field ? field : "",
				     lhs, op_names[op], rhs);
		st = SCRIPT_EXPECT_FAILED;
	}
out_free:
	linmm_free(text);
	return st;
}
