/* SPDX-License-Identifier: MIT */
/*
 * fuzz_cmdline.c - libFuzzer target for the kernel command line parser
 * (kernel/params.c linmm_parse_cmdline, memparse) and the boot path behind
 * it (kernel/machine.c linmm_boot/linmm_shutdown).
 *
 * The input is the command line (up to the first NUL byte).  Invariants:
 *
 *   - a failed parse says why: a non-empty, terminated message;
 *   - a parse that succeeds gives sane parameters (nodes, cpus, mem, arch,
 *     memmap count within their limits, the line kept verbatim), and the
 *     same ones every time;
 *   - a machine within the fuzzing limits (fuzz.h) then boots or fails with a
 *     message; once booted every validator holds; shutdown releases
 *     everything (LeakSanitizer), and a failed boot leaves nothing up.
 */
#include "tests/fuzz/fuzz.h"

/* A little over the longest line the parser takes, to reach its length check. */
#define FUZZ_CMDLINE_MAX_LEN	(LINMM_CMDLINE_MAX + 16)

static struct linmm_boot_params bp, bp_again;

static void check_params(const char *cmdline)
{
	FUZZ_CHECK(bp.nr_nodes >= 1 && bp.nr_nodes <= MAX_NUMNODES, "nodes %d", bp.nr_nodes);
	FUZZ_CHECK(bp.nr_cpus >= 1 && bp.nr_cpus <= NR_CPUS, "cpus %d", bp.nr_cpus);
	FUZZ_CHECK(bp.mem > 0, "mem 0");
	FUZZ_CHECK(bp.arch, "no arch");
	FUZZ_CHECK(bp.nr_memmap >= 0 && bp.nr_memmap <= LINMM_MAX_MEMMAP_ARGS, "%d memmap=",
		   bp.nr_memmap);
	FUZZ_CHECK(!bp.numa_off || bp.nr_nodes == 1, "numa=off with %d nodes", bp.nr_nodes);
	FUZZ_CHECK(!strcmp(bp.cmdline, cmdline), "cmdline not kept");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512], err_again[512];
	char *cmdline = fuzz_strndup(data, size, FUZZ_CMDLINE_MAX_LEN);
	int ret;

	if (!cmdline)
		return -1;
	err[0] = '\0';
	ret = linmm_parse_cmdline(cmdline, &bp, err, sizeof(err));
	FUZZ_CHECK(ret == 0 || ret == -EINVAL, "ret %d", ret);
	err_again[0] = '\0';
	FUZZ_CHECK(linmm_parse_cmdline(cmdline, &bp_again, err_again, sizeof(err_again)) == ret,
		   "a second parse disagrees");
	if (ret) {
		FUZZ_CHECK(err[0] != '\0', "failed without a message");
		FUZZ_CHECK(!strcmp(err, err_again), "two messages: '%s' / '%s'", err, err_again);
		goto out;
	}
	check_params(cmdline);
	FUZZ_CHECK(!memcmp(&bp, &bp_again, sizeof(bp)), "a second parse gives other parameters");

	if (!fuzz_params_small(&bp))
		goto out;
	ret = linmm_boot(cmdline);
	if (ret) {
		const char *msg = linmm_last_error();

		FUZZ_CHECK(ret == -EINVAL || ret == -ENOMEM || ret == -E2BIG, "boot: %d", ret);
		FUZZ_CHECK(msg && msg[0], "boot failed (%d) without a message", ret);
		FUZZ_CHECK(!linmm_booted, "a failed boot left the machine up");
	} else {
		FUZZ_CHECK(linmm_booted, "booted but linmm_booted is false");
		fuzz_check_machine();
	}
	linmm_shutdown();
	FUZZ_CHECK(!linmm_booted, "shutdown left the machine up");
out:
	free(cmdline);
	return 0;
}
