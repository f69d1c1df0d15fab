// SPDX-License-Identifier: MIT
/*
 * trace_convert.c - `linmm trace-convert IN OUT`: a memory-access trace
 * from one format to the other (trace.h).  Lackey text IN becomes LMT,
 * an LMT IN becomes lackey text; which one IN is, its first bytes say (the
 * "LINMMTRC" magic).  "-" is standard input or output.  The lackey writer
 * prints lackey's own format and the LMT command header becomes a
 * "==0== Command: ..." line, so lackey -> LMT -> lackey gives the access
 * lines byte for byte and LMT -> lackey -> LMT the same file.  On malformed
 * input the message names IN's line ("IN:LINE: what was wrong"), the
 * exit status is 2 and a partly written OUT file is removed.
 * No kernel counterpart: linmm's front end.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/linmm/script.h"
#include "tools/linmm/trace.h"

const char linmm_trace_convert_help[] =
	"usage: linmm trace-convert IN OUT\n"
	"Convert a memory-access trace: lackey text IN becomes linmm's binary format\n"
	"(LMT, about a tenth of the size) in OUT; an LMT trace IN becomes lackey text\n"
	"(for reading it, or for other tools).  - is standard input or output.\n"
	"Converting lackey text to LMT and back gives the same access lines byte for\n"
	"byte (valgrind's own \"==PID==\" lines are dropped, except the command).\n"
	"A malformed IN stops with \"IN:LINE: what was wrong\" and exit status 2.\n";

/* LMT in [@buf, @buf + @len) to lackey text on @out. Return: 0 or -1 (message printed). */
static int lmt_to_lackey(const unsigned char *buf, size_t len, const char *name, FILE *out)
{
	struct lmt_reader rd;
	struct trace_access a;
	int r;

	if (lmt_reader_init(&rd, buf, len, name)) {
		fprintf(stderr, "%s\n", rd.err);
		return -1;
	}
	if (rd.command[0])
		fprintf(out, "==0== Command: %s\n", rd.command);
	while ((r = lmt_next(&rd, &a)) > 0)
		lackey_write(out, &a);
	if (r < 0) {
		fprintf(stderr, "%s\n", rd.err);
		return -1;
	}
	return 0;
}

/* Lackey text on @in to LMT on @out. Return: 0 or -1 (message printed). */
static int lackey_to_lmt(FILE *in, const char *name, FILE *out)
{
	struct lackey_reader lr;
	struct lmt_writer w;
	struct trace_access a;
	bool started = false;
	int r, ret = 0;

	lackey_init(&lr, in, name);
	while ((r = lackey_next(&lr, &a)) > 0) {
		if (!started && lmt_writer_init(&w, out, lr.command))
			goto out_oom;
		started = true;
		if (lmt_write(&w, &a))
			goto out_io;
	}
	if (r < 0) {
		fprintf(stderr, "%s\n", lr.err);
		ret = -1;
		goto out;
	}
	if (!started && lmt_writer_init(&w, out, lr.command))
		goto out_oom;
	started = true;
	if (lmt_writer_finish(&w))
		goto out_io;
	goto out;
out_oom:
	fprintf(stderr, "linmm: trace-convert: out of host memory\n");
	ret = -1;
	goto out;
out_io:
	fprintf(stderr, "linmm: trace-convert: cannot write the output: %s\n", strerror(errno));
	ret = -1;
out:
	if (started)
		lmt_writer_release(&w);
	lackey_release(&lr);
	return ret;
}

int linmm_trace_convert_main(int argc, char **argv)
{
	unsigned char magic[LMT_MAGIC_LEN];
	FILE *in, *out, *mf = NULL;
	const char *name;
	unsigned char *all = NULL;
	size_t n, len;
	int ret;

	if (argc != 2) {
		fputs(linmm_trace_convert_help, stderr);
		return SCRIPT_ERROR;
	}
	name = strcmp(argv[0], "-") ? argv[0] : "<stdin>";
	in = strcmp(argv[0], "-") ? fopen(argv[0], "rb") : stdin;
	if (!in) {
		fprintf(stderr, "linmm: cannot open trace '%s': %s\n", argv[0], strerror(errno));
		return SCRIPT_ERROR;
	}
	out = strcmp(argv[1], "-") ? fopen(argv[1], "wb") : stdout;
	if (!out) {
		fprintf(stderr, "linmm: cannot create '%s': %s\n", argv[1], strerror(errno));
		if (in != stdin)
			fclose(in);
		return SCRIPT_ERROR;
	}
	n = fread(magic, 1, sizeof(magic), in);
	if (trace_read_all(in, magic, n, &all, &len)) {
		fprintf(stderr, "linmm: cannot read '%s': %s\n", name, strerror(errno));
		ret = -1;
	} else if (lmt_is_lmt(all, len)) {
		ret = lmt_to_lackey(all, len, name, out);
	} else {
		if (len && !(mf = fmemopen(all, len, "rb")))
			ret = -1;
		else
			ret = lackey_to_lmt(mf, name, out);
		if (mf)
			fclose(mf);
	}
	free(all);
	if (in != stdin)
		fclose(in);
	if (fflush(out) || ferror(out)) {
		fprintf(stderr, "linmm: cannot write '%s': %s\n", argv[1], strerror(errno));
		ret = -1;
	}
	if (out != stdout)
		fclose(out);
	if (ret && strcmp(argv[1], "-"))
		unlink(argv[1]);
	return ret ? SCRIPT_ERROR : SCRIPT_OK;
}
