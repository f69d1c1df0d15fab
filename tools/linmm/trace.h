/* SPDX-License-Identifier: MIT */
/*
 * trace.h - memory-access traces for `linmm replay` and `linmm
 * trace-convert`: one access is a kind, an address and a size.  Two
 * formats, one reader and one writer each:
 *
 *   trace_lackey.c   valgrind's lackey text (valgrind --tool=lackey
 *                    --trace-mem=yes): "I  04000000,3", " L 7ff000ff8,8"
 *   trace_lmt.c      linmm's compact binary format ("LMT"), specified in
 *                    trace_lmt.c and docs/replay.md: magic "LINMMTRC",
 *                    delta-encoded addresses as varints, kind in the low bits
 *
 * The LMT decoder's per-record step is inline here: the replay loop
 * (replay.c) runs it once per access and it must cost a few nanoseconds.
 *
 * Errors: a reader that meets malformed input returns -1 and leaves
 * "NAME:N: what was wrong" in its @err (N: the line of a lackey file, the
 * record number of an LMT file).  No kernel counterpart: linmm's front end.
 */
#ifndef LINMM_TOOLS_TRACE_H
#define LINMM_TOOLS_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum trace_kind {
	TRACE_INSTR,		/* instruction fetch (lackey "I") */
	TRACE_LOAD,		/* data load ("L") */
	TRACE_STORE,		/* data store ("S") */
	TRACE_MODIFY,		/* load and store of the same bytes ("M") */
	NR_TRACE_KINDS,
};

/* The largest size one access may have (lackey's biggest are xsave areas of a few KiB). */
#define TRACE_SIZE_MAX (1U << 20)
#define TRACE_ERR_MAX 320
#define TRACE_COMMAND_MAX 4096	/* the traced command line, as the header gives it */

struct trace_access {
	uint64_t addr;
	uint32_t size;		/* 1..TRACE_SIZE_MAX */
	enum trace_kind kind;
};

/* The one-letter name of @kind in lackey ("I", "L", "S", "M"). */
extern const char trace_kind_letter[NR_TRACE_KINDS];

/* ---- lackey text (trace_lackey.c) ---- */

struct lackey_reader {
	FILE *f;
	const char *name;	/* for messages */
	unsigned long lineno;
	char *line;		/* getline() buffer */
	size_t cap;
	char command[TRACE_COMMAND_MAX];	/* from "==PID== Command: ...", or "" */
	char err[TRACE_ERR_MAX];
};

/* lackey_init - read lackey text from @f; @name is used in messages. */
void lackey_init(struct lackey_reader *r, FILE *f, const char *name);
/*
 * lackey_next - the next access of the trace into @a.  Lines of valgrind's
 * own ("==PID== ..."), lackey's superblock lines ("SB ADDR") and blank lines
 * are skipped; the "Command:" line is kept in @r->command.
 * Return: 1 (an access), 0 (end of input), -1 (malformed: @r->err).
 */
int lackey_next(struct lackey_reader *r, struct trace_access *a);
/* lackey_release - free the line buffer (@r->f stays open). */
void lackey_release(struct lackey_reader *r);
/* lackey_write - @a as lackey prints it, with its newline. Return: as fprintf(). */
int lackey_write(FILE *f, const struct trace_access *a);

/* ---- linmm's binary format (trace_lmt.c) ---- */

#define LMT_MAGIC "LINMMTRC"
#define LMT_MAGIC_LEN 8
#define LMT_VERSION 1

/* Record header bits (the first byte of a record; trace_lmt.c has the format). */
#define LMT_KIND_MASK	0x03u
#define LMT_FLAG	0x04u	/* fetch: a jump delta follows; data: a size follows */
#define LMT_LOW_SHIFT	3	/* bits 3..6: fetch: the size; data: the delta's low 4 bits */
#define LMT_LOW_MASK	0x0fu
#define LMT_CONT	0x80u	/* data: more delta bits follow; fetch: reserved (0) */

/* The delta bases and last sizes both sides of the format keep. */
struct lmt_state {
	uint64_t next_instr;	/* previous instruction's address + size */
	uint64_t prev_data;	/* previous load/store/modify address */
	uint32_t size[NR_TRACE_KINDS];	/* previous size per data kind; 0: none yet */
};

struct lmt_writer {
	FILE *f;		/* flushed here when the buffer fills; NULL: keep all in memory */
	unsigned char *buf;
	size_t len, cap;
	struct lmt_state st;
	uint64_t count;		/* records written */
	bool oom;
};

/*
 * lmt_writer_init - start an LMT stream with @command (may be "") in the
 * header; into @f, or into memory when @f is NULL (lmt_writer_take()).
 * Return: 0 or -ENOMEM.
 */
int lmt_writer_init(struct lmt_writer *w, FILE *f, const char *command);
/* lmt_write - append one record. Return: 0 or -ENOMEM / -EIO. */
int lmt_write(struct lmt_writer *w, const struct trace_access *a);
/*
 * lmt_writer_finish - write the end marker and the record count, flush.
 * Return: 0 or -ENOMEM / -EIO.  The memory buffer stays for lmt_writer_take().
 */
int lmt_writer_finish(struct lmt_writer *w);
/* lmt_writer_take - hand the in-memory stream (*@len bytes) to the caller, who frees it. */
unsigned char *lmt_writer_take(struct lmt_writer *w, size_t *len);
/* lmt_writer_release - free what the writer still holds. */
void lmt_writer_release(struct lmt_writer *w);

struct lmt_reader {
	const unsigned char *start, *p, *end;	/* the whole stream in memory */
	const char *name;
	struct lmt_state st;
	uint64_t count;		/* records read */
	uint64_t declared;	/* the trailer's count, once read */
	bool done;
	char command[TRACE_COMMAND_MAX];
	char err[TRACE_ERR_MAX];
};

/* lmt_is_lmt - do the @len bytes at @buf start with the LMT magic? */
bool lmt_is_lmt(const void *buf, size_t len);
/*
 * lmt_reader_init - read the LMT stream in [@buf, @buf + @len) (kept by the
 * caller); parses the header.  Return: 0, or -1 (malformed: @r->err).
 */
int lmt_reader_init(struct lmt_reader *r, const void *buf, size_t len, const char *name);
/* The slow path of lmt_next(): long varints, explicit sizes, the end, errors. */
int lmt_next_slow(struct lmt_reader *r, struct trace_access *a);

/*
 * lmt_next - the next record into @a.
 * Return: 1 (an access), 0 (the end marker and a matching count were read
 * and nothing follows), -1 (malformed or truncated: @r->err).
 */
static inline int lmt_next(struct lmt_reader *r, struct trace_access *a)
{
	unsigned int b, kind, n = 1;
	uint64_t addr, zz;
	uint32_t size;

	/*
	 * Fast path: a fetch of the next instruction (one byte), or a data
	 * access of its kind's last size whose delta takes at most two more
	 * bytes; lmt_next_slow() has everything else.
	 */
	if (__builtin_expect(r->end - r->p < 3, 0))
		return lmt_next_slow(r, a);
	b = r->p[0];
	kind = b & LMT_KIND_MASK;
	zz = (b >> LMT_LOW_SHIFT) & LMT_LOW_MASK;
	if (b & LMT_FLAG)
		return lmt_next_slow(r, a);
	if (kind == TRACE_INSTR) {
		if (b & LMT_CONT)
			return lmt_next_slow(r, a);
		size = (uint32_t)zz;
		addr = r->st.next_instr;
	} else {
		if (b & LMT_CONT) {
			zz |= (uint64_t)(r->p[1] & 0x7f) << 4;
			n = 2;
			if (r->p[1] & 0x80) {
				if (r->p[2] & 0x80)
					return lmt_next_slow(r, a);
				zz |= (uint64_t)r->p[2] << 11;
				n = 3;
			}
		}
		size = r->st.size[kind];
		addr = r->st.prev_data + ((zz >> 1) ^ -(zz & 1));
	}
	if (__builtin_expect(!size || addr + (size - 1) < addr, 0))
		return lmt_next_slow(r, a);
	r->p += n;
	a->kind = (enum trace_kind)kind;
	a->size = size;
	a->addr = addr;
	if (kind == TRACE_INSTR)
		r->st.next_instr = addr + size;
	else
		r->st.prev_data = addr;
	r->count++;
	return 1;
}

/*
 * trace_read_all - all of @f into a malloc()ed buffer *@out of *@len bytes,
 * after the @npre bytes at @pre already read from it (a format sniff).
 * Return: 0, -ENOMEM or -EIO.
 */
int trace_read_all(FILE *f, const unsigned char *pre, size_t npre, unsigned char **out,
		   size_t *len);

/* ---- the subcommands (replay.c, trace_convert.c) ---- */

/* `linmm replay ...`: argv after "replay". Return: the exit status. */
int linmm_replay_main(int argc, char **argv);
/* `linmm trace-convert IN OUT` (trace_convert.c): argv after "trace-convert". Return: the exit status. */
int linmm_trace_convert_main(int argc, char **argv);
/* The --help texts of both. */
extern const char linmm_replay_help[];
extern const char linmm_trace_convert_help[];

#endif /* LINMM_TOOLS_TRACE_H */
