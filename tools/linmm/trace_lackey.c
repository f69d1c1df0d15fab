// SPDX-License-Identifier: MIT
/*
 * trace_lackey.c - valgrind lackey's memory trace as text
 * (`valgrind --tool=lackey --trace-mem=yes PROG`; valgrind's
 * lackey/lk_main.c prints it).  One access per line:
 *
 *   I  04000000,3        instruction fetch: "I", two blanks
 *    L 1fff000708,8      load:   blank, "L", blank
 *    S 1fff000700,8      store
 *    M 0401f0a8,4        modify: a load and a store of the same bytes
 *
 * The address is hexadecimal (lackey prints at least 8 digits, "%08lx"),
 * the size decimal.  Everything else valgrind writes to the same stream
 * starts with "==PID==" (the banner, "Command: PROG", the summary) and is
 * skipped; so are blank lines, with --trace-superblocks=yes lackey's
 * "SB ADDR" lines, and (linmm's addition, for traces written by hand)
 * comment lines starting with "#".  The reader accepts any run of blanks around the kind
 * letter and a trailing "\r"; anything else is an error that names the
 * line: "trace.txt:12: expected ADDR,SIZE after 'L'".  Sizes are 1 to
 * TRACE_SIZE_MAX, addresses at most 16 hex digits, and an access may not
 * wrap around the end of the address space.
 *
 * The writer prints exactly lackey's format, so converting lackey text to
 * LMT and back gives the access lines byte for byte.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tools/linmm/trace.h"

const char trace_kind_letter[NR_TRACE_KINDS] = { 'I', 'L', 'S', 'M' };

void lackey_init(struct lackey_reader *r, FILE *f, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->f = f;
	r->name = name;
}

void lackey_release(struct lackey_reader *r)
{
	free(r->line);
	r->line = NULL;
	r->cap = 0;
}

__attribute__((format(printf, 2, 3)))
static int lackey_error(struct lackey_reader *r, const char *fmt, ...)
{
	int n = snprintf(r->err, sizeof(r->err), "%s:%lu: ", r->name, r->lineno);
	va_list ap;

	if (n < 0 || (size_t)n >= sizeof(r->err))
		return -1;
	va_start(ap, fmt);
	vsnprintf(r->err + n, sizeof(r->err) - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "==PID== Command: PROG ARGS" -> @r->command; other valgrind lines are ignored. */
static void valgrind_line(struct lackey_reader *r, const char *p)
{
	const char *q = strstr(p + 2, "==");
	static const char key[] = " Command: ";

	if (!q || strncmp(q + 2, key, sizeof(key) - 1) || r->command[0])
		return;
	q += 2 + sizeof(key) - 1;
	snprintf(r->command, sizeof(r->command), "%.*s", (int)strcspn(q, "\r\n"), q);
}

/* Parse "ADDR,SIZE" with optional trailing blanks at @p into @a. Return: 1 or -1. */
static int parse_access(struct lackey_reader *r, const char *p, struct trace_access *a)
{
	uint64_t addr = 0, size = 0;
	int digits = 0, v;

	while (*p == ' ' || *p == '\t')
		p++;
	while ((v = hexval((unsigned char)*p)) >= 0) {
		if (++digits > 16)
			return lackey_error(r, "address longer than 16 hex digits");
		addr = addr << 4 | (unsigned int)v;
		p++;
	}
	if (!digits || *p != ',')
		return lackey_error(r, "expected ADDR,SIZE after '%c' (ADDR hexadecimal, SIZE "
				    "decimal)", trace_kind_letter[a->kind]);
	p++;
	digits = 0;
	while (*p >= '0' && *p <= '9') {
		size = size * 10 + (unsigned int)(*p++ - '0');
		if (size > TRACE_SIZE_MAX)
			return lackey_error(r, "size larger than %u", TRACE_SIZE_MAX);
		digits++;
	}
	if (!digits)
		return lackey_error(r, "expected a decimal SIZE after ','");
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p)
		return lackey_error(r, "unexpected '%.*s' after the size",
				    (int)(strcspn(p, "\r\n") < 20 ? strcspn(p, "\r\n") : 20), p);
	if (!size)
		return lackey_error(r, "size 0");
	if (addr + (size - 1) < addr)
		return lackey_error(r, "access wraps around the end of the address space");
	a->addr = addr;
	a->size = (uint32_t)size;
	return 1;
}

int lackey_next(struct lackey_reader *r, struct trace_access *a)
{
	if (!r->f)		/* empty input */
		return 0;
	for (;;) {
		ssize_t n = getline(&r->line, &r->cap, r->f);
		const char *p;

		if (n < 0) {
			if (ferror(r->f))
				return lackey_error(r, "read error: %s", strerror(errno));
			return 0;
		}
		r->lineno++;
		if ((size_t)n != strlen(r->line))
			return lackey_error(r, "NUL byte in the line");
		p = r->line;
		/* The common lines first: "I  " and " L ". */
		if (p[0] == 'I' && p[1] == ' ' && p[2] == ' ') {
			a->kind = TRACE_INSTR;
			return parse_access(r, p + 3, a);
		}
		if (p[0] == ' ' && p[1] && strchr("LSM", p[1]) && p[2] == ' ') {
			a->kind = p[1] == 'L' ? TRACE_LOAD : p[1] == 'S' ? TRACE_STORE : TRACE_MODIFY;
			return parse_access(r, p + 3, a);
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '\n' || (*p == '\r' && p[1] == '\n') || (*p == '\r' && !p[1]))
			continue;
		if (p == r->line && p[0] == '=' && p[1] == '=') {
			valgrind_line(r, p);
			continue;
		}
		if ((p[0] == 'S' && p[1] == 'B' && (p[2] == ' ' || p[2] == '\t')) || p[0] == '#')
			continue;
		if (strchr("ILSM", *p) && (p[1] == ' ' || p[1] == '\t')) {
			a->kind = *p == 'I' ? TRACE_INSTR : *p == 'L' ? TRACE_LOAD :
				  *p == 'S' ? TRACE_STORE : TRACE_MODIFY;
			return parse_access(r, p + 1, a);
		}
		return lackey_error(r, "not a lackey line: expected 'I', 'L', 'S' or 'M' and "
				    "ADDR,SIZE, got '%.*s'", (int)strcspn(p, "\r\n") > 40 ? 40 :
				    (int)strcspn(p, "\r\n"), p);
	}
}

int lackey_write(FILE *f, const struct trace_access *a)
{
	if (a->kind == TRACE_INSTR)
		return fprintf(f, "I  %08llx,%u\n", (unsigned long long)a->addr, a->size);
	return fprintf(f, " %c %08llx,%u\n", trace_kind_letter[a->kind],
		       (unsigned long long)a->addr, a->size);
}
