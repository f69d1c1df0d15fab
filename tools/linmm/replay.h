/* SPDX-License-Identifier: MIT */
/*
 * replay.h - the state of one `linmm replay` run, shared by the driver
 * (replay.c: load, layout, replay) and its report (replay_report.c: text
 * and JSON).  Tools side, not part of liblinmm.  replay.c's header comment
 * describes the phases.
 */
#ifndef LINMM_TOOLS_REPLAY_H
#define LINMM_TOOLS_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#include <linmm/tlbflush.h>

#include "tools/linmm/script.h"
#include "tools/linmm/trace.h"

/* How the trace touched a page. */
#define PG_R 1u			/* loaded (or fetched, or modified) */
#define PG_W 2u			/* stored or modified */
#define PG_X 4u			/* fetched */
#define PG_FLAGS_BITS 3
#define SEEN_SLOTS 256		/* the load pass's cache of pages already noted */

/* The pages a trace touches: open addressing, key vpn + 1 (0: empty), value PG_* bits. */
struct page_set {
	uint64_t *keys;
	unsigned char *flags;
	size_t cap, nr;
};

/* Phase 1: the trace, loaded and checked. */
struct trace_load {
	const char *name;		/* as given ("-": "<stdin>") */
	const char *format;		/* "lackey" or "lmt" */
	unsigned char *buf;		/* the trace as an LMT stream */
	size_t len;
	char command[TRACE_COMMAND_MAX];
	uint64_t kinds[NR_TRACE_KINDS], total, crossings;
	struct page_set pages;
	/* Pages noted lately, direct mapped by vpn: key vpn + 1 (0: empty) and its flags. */
	uint64_t seen_key[SEEN_SLOTS];
	unsigned char seen_flags[SEEN_SLOTS];
	char err[TRACE_ERR_MAX];
};

/* Phase 2: one VMA of the layout, and a cluster of VMAs mapped together. */
struct replay_vma {
	uint64_t start, end;		/* trace addresses */
	unsigned long prot;
	bool stack;
};

struct replay_cluster {
	uint64_t start, end;		/* trace addresses */
	int first, nr;			/* its VMAs */
	uint64_t delta;			/* mapped address - trace address (mod 2^64) */
	bool stack;
};

struct replay_layout {
	struct replay_vma *vmas;	/* in address order */
	struct replay_cluster *clusters;
	int nr_vmas, nr_clusters, relocated;
};

/* Phase 3: the counters every N accesses (since the replay began). */
struct replay_sample {
	uint64_t accesses;
	unsigned long rss, min_flt, maj_flt, tlb_hits, tlb_misses, pgalloc, pgfree;
};

struct replay {
	struct trace_load tl;
	struct replay_layout lo;
	struct task_struct *tsk;
	const struct replay_cluster *last;	/* relocation: the cluster of the last access */
	struct linmm_script s;			/* for the observers and tracepoints */
	uint64_t every, done, translations;
	struct replay_sample *samples;		/* the last one is at the end of the replay */
	size_t nr_samples;
	struct tlb_stats tlb0, tlb1;		/* before and after the replay */
	unsigned long pgalloc0, pgfree0;
	bool killed;
	uint64_t killed_at;
	double seconds, load_seconds;		/* the replay loop; loading and layout */
};

/*
 * replay_report.c: phase 4, the report of @rp with the machine still up:
 * replay_report_text() prints it to stdout; replay_report_json() is the
 * JSON document of a run ending with exit status @status (json_object_put()
 * it).  replay_sample_text() is sample @i's one-line summary (the HTML steps).
 */
struct json_object;
void replay_report_text(const struct replay *rp);
struct json_object *replay_report_json(const struct replay *rp, int status);
void replay_sample_text(const struct replay *rp, size_t i, char *buf, size_t size);

#endif /* LINMM_TOOLS_REPLAY_H */
