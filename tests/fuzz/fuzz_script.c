/* SPDX-License-Identifier: MIT */
/*
 * fuzz_script.c - libFuzzer target for the linmm script interpreter
 * (tools/linmm/script.c and its commands: word splitting and quotes, boot,
 * cat, sysctl, alloc_pages/free_pages with GFP names, expect), run through
 * script_run_text() exactly as `linmm run` runs a file.
 *
 * The input is the script (up to the first NUL byte).  Invariants: the run
 * ends with an exit status of enum script_status, and with no machine up
 * (the interpreter shuts down what it booted, whatever went wrong).  ASan,
 * UBSan and LeakSanitizer watch everything in between.
 *
 * Machine size: before running, every `boot` line is parsed with the boot
 * parameter parser, and an input that would boot a machine beyond the
 * fuzzing limits (fuzz.h) is skipped, so each input stays fast.  A script
 * without `boot` gets FUZZ_SCRIPT_DEFAULT_MACHINE instead of linmm's 1 GiB
 * default machine (script_default_cmdline), for the same reason.  Inputs
 * with `write` or `fill` are skipped too: those commands corrupt slab
 * memory on purpose (slub_debug demos), and a corrupted free pointer
 * crashes SLUB as it crashes the kernel.  The
 * interpreter's output goes to stdout and stderr: run with
 * -close_fd_mask=3 (`make fuzz` does) to keep the fuzzer's log readable.
 */
#include <ctype.h>

#include "tests/fuzz/fuzz.h"
#include "tools/linmm/script.h"

#define FUZZ_SCRIPT_MAX_LEN	(64 * 1024)
#define FUZZ_SCRIPT_DEFAULT_MACHINE	"mem=128M cpus=2"

/*
 * Does the `boot` line @line (without its newline) ask for a machine
 * beyond the limits?  The interpreter trims the line, takes the first word
 * up to a blank as the command and the rest, from its first non-blank, as
 * the command line (script.c run_line).
 */
static bool boot_too_big(const char *line, size_t len)
{
	static struct linmm_boot_params bp;
	char err[512], *copy, *text, *rest;
	size_t n;
	bool big = false;

	copy = fuzz_strndup((const uint8_t *)line, len, len);
	text = copy;
	while (isspace((unsigned char)*text))
		text++;
	n = strlen(text);
	while (n && isspace((unsigned char)text[n - 1]))
		text[--n] = '\0';
	n = strcspn(text, " \t");
	if (n == 4 && !strncmp(text, "boot", 4)) {
		rest = text + n;
		while (*rest == ' ' || *rest == '\t')
			rest++;
		big = !linmm_parse_cmdline(rest, &bp, err, sizeof(err)) && !fuzz_params_small(&bp);
	}
	free(copy);
	return big;
}

static bool script_too_big(const char *text)
{
	const char *line = text;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		if (boot_too_big(line, len))
			return true;
		line += len + (nl != NULL);
	}
	return false;
}

/* Does a line of @text start with `write` or `fill` (commands_slab.c)? */
static bool script_pokes_memory(const char *text)
{
	for (const char *line = text; line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		const char *w = line + strspn(line, " \t");
		size_t n = strcspn(w, " \t\n");

		if ((n == 5 && !strncmp(w, "write", 5)) || (n == 4 && !strncmp(w, "fill", 4)))
			return true;
	}
	return false;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	script_default_cmdline = FUZZ_SCRIPT_DEFAULT_MACHINE;
	script_repeat_limit = 1000;	/* repeat blocks: keep each input fast */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strndup(data, size, FUZZ_SCRIPT_MAX_LEN);
	enum script_status st;

	if (!text)
		return -1;
	if (script_too_big(text) || script_pokes_memory(text)) {
		free(text);
		return -1;
	}
	st = script_run_text(text, "fuzz.linmm");
	FUZZ_CHECK(st == SCRIPT_OK || st == SCRIPT_EXPECT_FAILED || st == SCRIPT_ERROR,
		   "status %d", st);
	FUZZ_CHECK(!linmm_booted, "the script left its machine up");
	free(text);
	return 0;
}
