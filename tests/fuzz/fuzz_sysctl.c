/* SPDX-License-Identifier: MIT */
/*
 * fuzz_sysctl.c - libFuzzer target for the sysctl writers (kernel/sysctl.c:
 * name lookup, proc_dointvec-style parsing, bounds, and the handlers that
 * hand new values to the watermark, pcp, lowmem-reserve, dirty-limit and
 * overcommit code).
 *
 * One small machine is booted once (LLVMFuzzerInitialize) and lives for the
 * whole run, so the knobs' values carry over from input to input as they
 * would on a real machine.  The input is "NAME=VALUE" split at the first
 * '=' (no '=': the whole input is the name and the value is empty), written
 * with linmm_sysctl_write().  Invariants:
 *
 *   - a failed write says why and changes no knob at all (every knob is
 *     read before and after and compared);
 *   - after a successful write the knob reads back, and writing what was
 *     read back succeeds and reads back the same (the value is canonical);
 *   - after a successful write the node/zone layout, free-list and pcp
 *     validators still hold (after a failed one, nothing changed).
 */
#include <sanitizer/lsan_interface.h>

#include <linmm/sysctl.h>

#include "tests/fuzz/fuzz.h"

#define FUZZ_SYSCTL_MACHINE	"mem=288M nodes=2 cpus=2"
#define FUZZ_SYSCTL_MAX_LEN	1024
#define FUZZ_SYSCTL_MAX_KNOBS	64

static char knob_paths[FUZZ_SYSCTL_MAX_KNOBS][64];
static int nr_knobs;
static char *before[FUZZ_SYSCTL_MAX_KNOBS];

/* Every readable knob; write-only ones (vm.drop_caches, mode 0200) have no value to compare. */
static void add_knob(const char *dir, const char *name, void *arg)
{
	char *val;

	FUZZ_CHECK(nr_knobs < FUZZ_SYSCTL_MAX_KNOBS, "more than %d knobs", FUZZ_SYSCTL_MAX_KNOBS);
	snprintf(knob_paths[nr_knobs], sizeof(knob_paths[0]), "%s/%s", dir, name);
	val = sysctl_read(knob_paths[nr_knobs]);
	if (!val)
		return;
	linmm_free(val);
	nr_knobs++;
}

/*
 * The machine stays up for the whole run, and LeakSanitizer does not scan
 * the simulated RAM (host mappings outside the heap) where the machine keeps
 * pointers to host allocations (pg_data_t): its boot allocations are not
 * leaks, so LSan is told to ignore them.
 */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int ret;

	__lsan_disable();
	ret = linmm_boot(FUZZ_SYSCTL_MACHINE);
	__lsan_enable();
	if (ret) {
		fprintf(stderr, "fuzz_sysctl: boot \"%s\": %s\n", FUZZ_SYSCTL_MACHINE,
			linmm_last_error());
		abort();
	}
	sysctl_for_each(add_knob, NULL);
	return 0;
}

static void snapshot(char **vals)
{
	for (int i = 0; i < nr_knobs; i++) {
		vals[i] = sysctl_read(knob_paths[i]);
		FUZZ_CHECK(vals[i], "%s does not read: %s", knob_paths[i], linmm_last_error());
	}
}

static void release(char **vals)
{
	for (int i = 0; i < nr_knobs; i++) {
		linmm_free(vals[i]);
		vals[i] = NULL;
	}
}

/* A failed write changed nothing: every knob reads as it did. */
static void check_unchanged(const char *name)
{
	for (int i = 0; i < nr_knobs; i++) {
		char *now = sysctl_read(knob_paths[i]);

		FUZZ_CHECK(now, "%s does not read: %s", knob_paths[i], linmm_last_error());
		FUZZ_CHECK(!strcmp(now, before[i]),
			   "failed write to '%s' changed %s from '%s' to '%s'", name,
			   knob_paths[i], before[i], now);
		linmm_free(now);
	}
}

/* A successful write reads back, and the read-back value is a fixed point. */
static void check_read_back(const char *name)
{
	char *val = linmm_sysctl_read(name), *again;

	if (!val && strstr(linmm_last_error(), "Permission denied"))
		return;		/* a write-only knob (vm.drop_caches) */
	FUZZ_CHECK(val, "'%s' written but does not read: %s", name, linmm_last_error());
	if (!val[0] || !strcmp(val, "\n")) {
		/* A trigger (stat_refresh): nothing to write back. */
		linmm_free(val);
		return;
	}
	FUZZ_CHECK(linmm_sysctl_write(name, val) == 0, "'%s' refuses its own value '%s': %s",
		   name, val, linmm_last_error());
	again = linmm_sysctl_read(name);
	FUZZ_CHECK(again && !strcmp(again, val), "'%s': wrote back '%s', read '%s'", name, val,
		   again ? again : "(null)");
	linmm_free(again);
	linmm_free(val);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *name = fuzz_strndup(data, size, FUZZ_SYSCTL_MAX_LEN);
	char *value, *eq;
	int ret;

	if (!name)
		return -1;
	eq = strchr(name, '=');
	value = eq ? eq + 1 : name + strlen(name);
	if (eq)
		*eq = '\0';

	snapshot(before);
	ret = linmm_sysctl_write(name, value);
	if (ret) {
		const char *msg = linmm_last_error();

		FUZZ_CHECK(ret == -EINVAL || ret == -ENOENT || ret == -EACCES ||
			   ret == -ENAMETOOLONG, "'%s=%s': %d", name, value, ret);
		FUZZ_CHECK(msg && msg[0], "'%s=%s' failed (%d) without a message", name, value, ret);
		check_unchanged(name);
	} else {
		check_read_back(name);
		fuzz_check_machine();
	}
	release(before);
	free(name);
	return 0;
}
