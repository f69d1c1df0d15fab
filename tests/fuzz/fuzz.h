/* SPDX-License-Identifier: MIT */
/*
 * fuzz.h - helpers shared by the libFuzzer targets in tests/fuzz/.
 *
 * Each target is one fuzz_NAME.c with LLVMFuzzerTestOneInput(); it turns the
 * fuzzer's bytes into the text a parser takes (fuzz_strndup), calls the
 * parser and checks its invariants with FUZZ_CHECK, which aborts with the
 * failed condition so that libFuzzer saves the input as a crash.  ASan and
 * UBSan (the build adds them) catch the memory errors and undefined
 * behaviour; LeakSanitizer the leaks.
 *
 * The machine-size limits keep every input fast: a target boots only
 * machines within them (fuzz_params_small()).
 */
#ifndef LINMM_FUZZ_H
#define LINMM_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/linmm.h>

#include "kernel/machine.h"
#include "mm/internal.h"

/* The largest machine a fuzz input may boot. */
#define FUZZ_MAX_MEM		(512ULL << 20)
#define FUZZ_MAX_NODES		4
#define FUZZ_MAX_CPUS		8
/* memmap=nn@ss (usable RAM) may add RAM only below this address. */
#define FUZZ_MAX_RAM_END	(8ULL << 30)

#define FUZZ_CHECK(cond, ...)                                                       \
	do {                                                                        \
		if (!(cond)) {                                                      \
			fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed: ", __FILE__, \
				__LINE__, #cond);                                   \
			fprintf(stderr, __VA_ARGS__);                               \
			fputc('\n', stderr);                                        \
			abort();                                                    \
		}                                                                   \
	} while (0)

/*
 * fuzz_strndup - the fuzzer's bytes as a C string: a host-heap copy of at
 * most @max bytes of @data, ending at the first NUL byte if there is one.
 * Return: the copy (free()), or NULL if @size is over @max.
 */
static inline char *fuzz_strndup(const uint8_t *data, size_t size, size_t max)
{
	const uint8_t *nul;
	char *s;

	if (size > max)
		return NULL;
	nul = memchr(data, '\0', size);
	if (nul)
		size = (size_t)(nul - data);
	s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * fuzz_params_small - is the machine @bp describes within the fuzzing limits
 * (RAM, nodes, CPUs, and RAM added by memmap=nn@ss)?
 */
static inline bool fuzz_params_small(const struct linmm_boot_params *bp)
{
	u64 added = 0;

	if (bp->mem > FUZZ_MAX_MEM || bp->nr_nodes > FUZZ_MAX_NODES ||
	    bp->nr_cpus > FUZZ_MAX_CPUS)
		return false;
	for (int i = 0; i < bp->nr_memmap; i++) {
		const struct linmm_memmap_arg *m = &bp->memmap[i];

		if (m->type != E820_TYPE_RAM)
			continue;
		if (m->start > FUZZ_MAX_RAM_END || m->size > FUZZ_MAX_RAM_END - m->start)
			return false;
		added += m->size;
	}
	return added <= FUZZ_MAX_MEM;
}

/* Every invariant checker over the booted machine. */
static inline void fuzz_check_machine(void)
{
	struct zone *zone;

	FUZZ_CHECK(validate_memblock() == 0, "%s", linmm_last_error());
	FUZZ_CHECK(validate_zones() == 0, "%s", linmm_last_error());
	for_each_populated_zone(zone) {
		FUZZ_CHECK(validate_free_lists(zone) == 0, "zone %s", zone->name);
		FUZZ_CHECK(validate_pcp_lists(zone) == 0, "zone %s", zone->name);
	}
}

#endif /* LINMM_FUZZ_H */
