// SPDX-License-Identifier: MIT
/*
 * replay_report.c - the report of a `linmm replay` (replay.c has the
 * replay), with the machine still up:
 *
 *   text     to stdout: the trace, machine and task; the layout (each VMA
 *            with its trace address, "-> ADDR" where it was moved); accesses
 *            by kind; faults; the TLB (translations, hits, misses, hit rate,
 *            flushes) and the PDE cache (hits, misses); pages allocated and freed (vmstat pgalloc_* and pgfree
 *            during the replay); the samples; /proc/PID/maps; the Vm and Rss
 *            lines of /proc/PID/status
 *   JSON     the same as one document (--json; docs/replay.md lists the
 *            keys), plus /proc/meminfo and /proc/vmstat at the end, built
 *            with json-c as json.c builds run --json's
 *
 * Counters are differences from just before the first access to just after
 * the last, so the boot and the mapping do not count.  The TLB hit rate is
 * printed with two decimals in both, so the JSON stays byte-for-byte
 * deterministic.  No kernel counterpart: linmm's front end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include <linmm/linmm.h>
#include <linmm/memory.h>
#include <linmm/mmap.h>
#include <linmm/sched.h>
#include <linmm/tlbflush.h>

#include "kernel/machine.h"
#include "tools/linmm/replay.h"

/* The text of sample @i (from the previous one): a report line and the HTML step. */
void replay_sample_text(const struct replay *rp, size_t i, char *buf, size_t size)
{
	const struct replay_sample *sm = &rp->samples[i];
	uint64_t from = i ? rp->samples[i - 1].accesses + 1 : 1;

	snprintf(buf, size, "accesses %llu-%llu: rss %lu pages, %lu minor faults, "
		 "TLB %lu hits %lu misses", (unsigned long long)from,
		 (unsigned long long)sm->accesses, sm->rss, sm->min_flt, sm->tlb_hits,
		 sm->tlb_misses);
}

static const char *prot_str(unsigned long prot, char buf[5])
{
	buf[0] = prot & PROT_READ ? 'r' : '-';
	buf[1] = prot & PROT_WRITE ? 'w' : '-';
	buf[2] = prot & PROT_EXEC ? 'x' : '-';
	buf[3] = 'p';
	buf[4] = '\0';
	return buf;
}

static char *task_file(const struct replay *rp, const char *file)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", rp->tsk->pid, file);
	return linmm_proc_read(path);
}

/* The "Vm..." and "Rss..." lines of /proc/PID/status (host heap; NULL if none). */
static char *status_vm_lines(const struct replay *rp)
{
	char *text = task_file(rp, "status"), *out, *o;

	if (!text)
		return NULL;
	out = o = malloc(strlen(text) + 1);
	if (out) {
		for (const char *p = text; *p;) {
			size_t n = strcspn(p, "\n");

			if (!strncmp(p, "Vm", 2) || !strncmp(p, "Rss", 3)) {
				memcpy(o, p, n);
				o += n;
				*o++ = '\n';
			}
			p += n + (p[n] == '\n');
		}
		*o = '\0';
	}
	linmm_free(text);
	return out;
}

static const char *sig_name(int sig)
{
	return sig == LINMM_SIGSEGV ? "SIGSEGV" : sig == LINMM_SIGBUS ? "SIGBUS" :
	       sig == LINMM_SIGKILL ? "SIGKILL" : "a signal";
}

static unsigned long tlb_flushes(const struct tlb_stats *t)
{
	return t->local_flush_all + t->local_flush_one + t->remote_flush;
}

static void tlb_delta(const struct replay *rp, struct tlb_stats *d)
{
	const unsigned long *a = (const unsigned long *)&rp->tlb1;
	const unsigned long *b = (const unsigned long *)&rp->tlb0;
	unsigned long *o = (unsigned long *)d;

	for (size_t i = 0; i < sizeof(*d) / sizeof(unsigned long); i++)
		o[i] = a[i] - b[i];
}

/* "83.33" percent of hits, as text (deterministic in JSON too). */
static void hit_rate(const struct tlb_stats *d, char buf[16])
{
	unsigned long n = d->hits + d->misses;

	if (!n)
		snprintf(buf, 16, "0.00");
	else
		snprintf(buf, 16, "%.2f", 100.0 * (double)d->hits / (double)n);
}

void replay_report_text(const struct replay *rp)
{
	const struct trace_load *tl = &rp->tl;
	const struct replay_sample *last = &rp->samples[rp->nr_samples - 1];
	char prot[5], rate[16], *maps, *status;
	struct tlb_stats d;

	tlb_delta(rp, &d);
	hit_rate(&d, rate);
	printf("replay %s: %s trace of %llu accesses", tl->name, tl->format,
	       (unsigned long long)tl->total);
	if (tl->command[0])
		printf(", command \"%s\"", tl->command);
	printf("\nmachine: %s; task %s, pid %d\n", boot_params.cmdline, rp->tsk->comm,
	       rp->tsk->pid);
	printf("layout: %llu pages touched in %d cluster%s, %d VMA%s", (unsigned long long)tl->pages.nr,
	       rp->lo.nr_clusters, rp->lo.nr_clusters == 1 ? "" : "s", rp->lo.nr_vmas,
	       rp->lo.nr_vmas == 1 ? "" : "s");
	if (rp->lo.relocated)
		printf(" (%d cluster%s moved: outside the user address space)\n", rp->lo.relocated,
		       rp->lo.relocated == 1 ? "" : "s");
	else
		printf(" at the trace's addresses\n");
	for (int i = 0; i < rp->lo.nr_clusters; i++) {
		const struct replay_cluster *c = &rp->lo.clusters[i];

		for (int j = 0; j < c->nr; j++) {
			const struct replay_vma *v = &rp->lo.vmas[c->first + j];

			printf("  %012llx-%012llx %s%s", (unsigned long long)v->start,
			       (unsigned long long)v->end, prot_str(v->prot, prot),
			       v->stack ? " stack" : "");
			if (c->delta)
				printf(" -> %012llx", (unsigned long long)(v->start + c->delta));
			putchar('\n');
		}
	}
	printf("accesses: %llu (instruction fetches %llu, loads %llu, stores %llu, modifies %llu); "
	       "%llu cross a page boundary\n", (unsigned long long)rp->done,
	       (unsigned long long)tl->kinds[TRACE_INSTR], (unsigned long long)tl->kinds[TRACE_LOAD],
	       (unsigned long long)tl->kinds[TRACE_STORE], (unsigned long long)tl->kinds[TRACE_MODIFY],
	       (unsigned long long)tl->crossings);
	if (rp->killed)
		printf("killed: %s (%s) at access %llu, address 0x%lx\n",
		       sig_name(rp->tsk->last_siginfo.signo),
		       rp->tsk->last_siginfo.code == LINMM_SEGV_ACCERR ? "SEGV_ACCERR" :
		       "SEGV_MAPERR", (unsigned long long)rp->killed_at, rp->tsk->last_siginfo.addr);
	printf("faults: %lu minor, %lu major\n", rp->tsk->min_flt, rp->tsk->maj_flt);
	printf("TLB: %llu translations, %lu hits, %lu misses (%s%% hits), %lu dirty-bit walks; "
	       "%lu flushes (%lu single page, %lu full, %lu remote)\n",
	       (unsigned long long)rp->translations, d.hits, d.misses, rate, d.dirty_walks,
	       tlb_flushes(&d), d.local_flush_one, d.local_flush_all, d.remote_flush);
	printf("PDE cache: %lu hits, %lu misses (page walks that began at the PTE, at the top)\n",
	       d.pde_hits, d.pde_misses);
	printf("page allocator: %lu pages allocated, %lu freed (vmstat pgalloc_*, pgfree)\n",
	       last->pgalloc, last->pgfree);
	printf("resident set, every %llu accesses:\n", (unsigned long long)rp->every);
	printf("  %12s %10s %12s %12s %12s %10s\n", "accesses", "rss_pages", "minor_faults",
	       "tlb_hits", "tlb_misses", "pgalloc");
	for (size_t i = 0; i < rp->nr_samples; i++) {
		const struct replay_sample *sm = &rp->samples[i];

		printf("  %12llu %10lu %12lu %12lu %12lu %10lu\n", (unsigned long long)sm->accesses,
		       sm->rss, sm->min_flt, sm->tlb_hits, sm->tlb_misses, sm->pgalloc);
	}
	maps = task_file(rp, "maps");
	printf("/proc/%d/maps:\n%s", rp->tsk->pid, maps ? maps : "");
	linmm_free(maps);
	status = status_vm_lines(rp);
	printf("/proc/%d/status:\n%s", rp->tsk->pid, status ? status : "");
	free(status);
}

static struct json_object *json_u64(uint64_t v)
{
	return json_object_new_int64((int64_t)v);
}

static struct json_object *json_hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return json_object_new_string(buf);
}

static struct json_object *json_proc_fields(const char *path)
{
	char *text = linmm_proc_read(path);
	struct json_object *o = text ? script_json_fields(text) : NULL;

	linmm_free(text);
	return o;
}

struct json_object *replay_report_json(const struct replay *rp, int status)
{
	const struct trace_load *tl = &rp->tl;
	const struct replay_sample *last = &rp->samples[rp->nr_samples - 1];
	struct json_object *doc = json_object_new_object(), *o, *arr;
	char prot[5], rate[16], *text;
	struct tlb_stats d;

	tlb_delta(rp, &d);
	hit_rate(&d, rate);
	json_object_object_add(doc, "trace", json_object_new_string(tl->name));
	json_object_object_add(doc, "format", json_object_new_string(tl->format));
	json_object_object_add(doc, "command", json_object_new_string(tl->command));
	json_object_object_add(doc, "machine", json_object_new_string(boot_params.cmdline));
	json_object_object_add(doc, "pid", json_object_new_int(rp->tsk->pid));
	json_object_object_add(doc, "comm", json_object_new_string(rp->tsk->comm));

	o = json_object_new_object();
	json_object_object_add(o, "total", json_u64(rp->done));
	json_object_object_add(o, "instruction_fetches", json_u64(tl->kinds[TRACE_INSTR]));
	json_object_object_add(o, "loads", json_u64(tl->kinds[TRACE_LOAD]));
	json_object_object_add(o, "stores", json_u64(tl->kinds[TRACE_STORE]));
	json_object_object_add(o, "modifies", json_u64(tl->kinds[TRACE_MODIFY]));
	json_object_object_add(o, "page_crossings", json_u64(tl->crossings));
	json_object_object_add(o, "translations", json_u64(rp->translations));
	json_object_object_add(doc, "accesses", o);

	o = json_object_new_object();
	json_object_object_add(o, "pages_touched", json_u64(tl->pages.nr));
	json_object_object_add(o, "clusters", json_object_new_int(rp->lo.nr_clusters));
	json_object_object_add(o, "relocated_clusters", json_object_new_int(rp->lo.relocated));
	arr = json_object_new_array();
	for (int i = 0; i < rp->lo.nr_clusters; i++) {
		const struct replay_cluster *c = &rp->lo.clusters[i];

		for (int j = 0; j < c->nr; j++) {
			const struct replay_vma *v = &rp->lo.vmas[c->first + j];
			struct json_object *m = json_object_new_object();

			json_object_object_add(m, "start", json_hex(v->start + c->delta));
			json_object_object_add(m, "end", json_hex(v->end + c->delta));
			json_object_object_add(m, "trace_start", json_hex(v->start));
			json_object_object_add(m, "prot", json_object_new_string(prot_str(v->prot,
											    prot)));
			json_object_object_add(m, "stack", json_object_new_boolean(v->stack));
			json_object_array_add(arr, m);
		}
	}
	json_object_object_add(o, "vmas", arr);
	json_object_object_add(doc, "layout", o);

	o = json_object_new_object();
	json_object_object_add(o, "minor", json_u64(rp->tsk->min_flt));
	json_object_object_add(o, "major", json_u64(rp->tsk->maj_flt));
	json_object_object_add(doc, "faults", o);

	o = json_object_new_object();
	json_object_object_add(o, "hits", json_u64(d.hits));
	json_object_object_add(o, "misses", json_u64(d.misses));
	json_object_object_add(o, "hit_rate_percent", json_object_new_double_s(atof(rate), rate));
	json_object_object_add(o, "dirty_walks", json_u64(d.dirty_walks));
	json_object_object_add(o, "fills", json_u64(d.fills));
	json_object_object_add(o, "evictions", json_u64(d.evictions));
	json_object_object_add(o, "flushes", json_u64(tlb_flushes(&d)));
	json_object_object_add(o, "local_flush_one", json_u64(d.local_flush_one));
	json_object_object_add(o, "local_flush_all", json_u64(d.local_flush_all));
	json_object_object_add(o, "remote_flush", json_u64(d.remote_flush));
	json_object_object_add(o, "pde_hits", json_u64(d.pde_hits));
	json_object_object_add(o, "pde_misses", json_u64(d.pde_misses));
	json_object_object_add(doc, "tlb", o);

	o = json_object_new_object();
	json_object_object_add(o, "allocated", json_u64(last->pgalloc));
	json_object_object_add(o, "freed", json_u64(last->pgfree));
	json_object_object_add(doc, "page_alloc", o);

	json_object_object_add(doc, "sample_every", json_u64(rp->every));
	arr = json_object_new_array();
	for (size_t i = 0; i < rp->nr_samples; i++) {
		const struct replay_sample *sm = &rp->samples[i];
		struct json_object *m = json_object_new_object();

		json_object_object_add(m, "accesses", json_u64(sm->accesses));
		json_object_object_add(m, "rss_pages", json_u64(sm->rss));
		json_object_object_add(m, "minor_faults", json_u64(sm->min_flt));
		json_object_object_add(m, "major_faults", json_u64(sm->maj_flt));
		json_object_object_add(m, "tlb_hits", json_u64(sm->tlb_hits));
		json_object_object_add(m, "tlb_misses", json_u64(sm->tlb_misses));
		json_object_object_add(m, "pages_allocated", json_u64(sm->pgalloc));
		json_object_object_add(m, "pages_freed", json_u64(sm->pgfree));
		json_object_array_add(arr, m);
	}
	json_object_object_add(doc, "samples", arr);

	if (rp->killed) {
		o = json_object_new_object();
		json_object_object_add(o, "signal", json_object_new_string(
					       sig_name(rp->tsk->last_siginfo.signo)));
		json_object_object_add(o, "at_access", json_u64(rp->killed_at));
		json_object_object_add(o, "address", json_hex(rp->tsk->last_siginfo.addr));
	} else {
		o = NULL;
	}
	json_object_object_add(doc, "killed", o);

	text = status_vm_lines(rp);
	json_object_object_add(doc, "status", text ? script_json_fields(text) : NULL);
	free(text);
	text = task_file(rp, "maps");
	json_object_object_add(doc, "maps", json_object_new_string(text ? text : ""));
	linmm_free(text);
	o = json_object_new_object();
	json_object_object_add(o, "meminfo", json_proc_fields("/proc/meminfo"));
	json_object_object_add(o, "vmstat", json_proc_fields("/proc/vmstat"));
	json_object_object_add(doc, "final", o);
	json_object_object_add(doc, "exit_status", json_object_new_int(status));
	return doc;
}
