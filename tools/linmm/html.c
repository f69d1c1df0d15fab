/* SPDX-License-Identifier: MIT */
/*
 * html.c - `--html FILE`: the run as one self-contained HTML report.
 *
 * The report needs no network: the page (html_page.h: markup, CSS, the
 * script that draws on <canvas>) is written with the run's data embedded as
 * one JSON block, <script type="application/json" id="linmm-data">:
 *
 *   {
 *     "format": "linmm-html 1", "script": "x.linmm", "machine": "mem=128M",
 *     "codes": [ {"state": "free", "order": 0}, ... ],   cell code -> meaning
 *     "states": ["hole", "free", ...], "migratetypes": ["Unmovable", ...],
 *     "lines": [ {"line": 1, "text": "boot mem=128M"}, ... ],  every line read
 *     "steps": [                 one per top-level command or repeat block
 *       { "first_line": 3, "last_line": 5, "command": "repeat 3 {", "status": 0,
 *         "pages_per_cell": 1,
 *         "zones": [ { "node": 0, "zone": "DMA32", "start_pfn": 4096,
 *                      "end_pfn": 32768, "managed": 27000,
 *                      "free": [ nr_free of order 0..10 ],   as /proc/buddyinfo
 *                      "states": [ pages per frame state ],
 *                      "map": "RLE", "blocks": "RLE" } ],
 *         "meminfo": {...}, "vmstat": {...},
 *         "tasks": [ { "pid": 1, "comm": "demo", "killed": null | "SIGSEGV",
 *                      "vmas": [ { "start": "7ffff7ffb000", "end": "7ffff7fff000",
 *                                  "perms": "rw-p", "name": "[heap]", "pages": 4,
 *                                  "rss_kb": 8, "pss_kb": 6,
 *                                  "resident": [[0, 1, "a"], [1, 1, "s"], ...],
 *                                  "truncated": false } ] } ] } ],
 *     "exit_status": 0
 *   }
 *
 * The frame map comes from the library (linmm_frame_states(),
 * include/linmm/page_state.h).  A zone's map is a row of cells from its
 * start_pfn rounded down to pages_per_cell; pages_per_cell (a power of two)
 * keeps a whole machine within HTML_MAX_CELLS cells, and a cell of several
 * pages shows the code most of its pages have (ties: the lowest code).
 * Cell codes:
 *
 *   0..10   free, in a buddy block of order 0..10
 *   11..21  free on a per-CPU list of order 0..10
 *   22..    the other frame states (reserved, slab, ... kernel), then hole
 *
 * "blocks" is the migrate type of each pageblock of the zone from its start
 * rounded down to pageblock_nr_pages (MIGRATE_TYPES: no struct page).
 *
 * "tasks" is every process's address space at the step (next_tgid() in pid
 * order): its VMAs as /proc/PID/smaps shows them (start and end in hex
 * strings, as JavaScript numbers cannot hold every address; Rss and Pss from
 * the kernel's own smaps text), and which of its pages are resident, from
 * a walk of its page tables (walk_page_vma_ptes()): runs [first page,
 * pages, kind] of present PTEs, kind "a" an anonymous page mapped once,
 * "s" one mapped more than once (shared copy-on-write after fork), "z" the
 * shared zero page, "f" a page-cache page.  At most HTML_MAX_RUNS runs per
 * VMA are kept ("truncated": true beyond).
 *
 * RLE: runs of (code, count), each a byte with the code (< 64) followed by
 * the count in groups of 6 bits, least significant first, bit 6 (0x40) set
 * on all but the last group; the bytes are then base64.  Every byte is
 * ASCII, so `jq '@base64d | explode'` reads a map too (tests/cli_html.sh).
 *
 * Size: maps dominate.  Once the maps of a run pass HTML_MAP_BUDGET bytes,
 * each new step's map replaces the previous step's (which is dropped,
 * "map": null), so the first steps and the last one always keep theirs.
 *
 * Determinism: no time, no addresses; json-c keeps keys in insertion order.
 * Linmm's own front end; no kernel counterpart.  One run per process.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include <linmm/linmm.h>
#include <linmm/memory.h>
#include <linmm/mmap.h>
#include <linmm/page_state.h>
#include <linmm/sched.h>

#include "kernel/machine.h"
#include "tools/linmm/html_page.h"
#include "tools/linmm/script.h"

#define HTML_MAX_CELLS (1UL << 19)	/* per machine: 512 columns x 1024 rows */
#define HTML_MAP_BUDGET (8UL << 20)	/* encoded map bytes kept for the run */
#define HTML_CHUNK 65536UL		/* frames described per linmm_frame_states() call */
#define HTML_MAX_RUNS 4096		/* resident-page runs kept per VMA */

#define CODE_PCP_BASE NR_PAGE_ORDERS			/* 11 */
#define CODE_STATE_BASE (2 * NR_PAGE_ORDERS)		/* 22: FRAME_RESERVED */
#define CODE_HOLE (CODE_STATE_BASE + NR_FRAME_STATES - FRAME_RESERVED)
#define NR_CODES (CODE_HOLE + 1)

_Static_assert(NR_CODES <= 64, "cell codes must fit the RLE's 6 bits");

static struct json_object *doc;		/* NULL: --html is off */
static struct json_object *lines, *steps;
static size_t *step_map_bytes;		/* per step: bytes of its maps (0: dropped) */
static size_t nr_steps_alloc, map_bytes;

/* The cell code of one frame. */
static unsigned int frame_code(const struct linmm_frame *f)
{
	switch (f->state) {
	case FRAME_FREE:
		return f->order;
	case FRAME_PCP:
		return CODE_PCP_BASE + f->order;
	case FRAME_HOLE:
		return CODE_HOLE;
	default:
		return CODE_STATE_BASE + f->state - FRAME_RESERVED;
	}
}

/* ---- RLE + base64 ---- */

struct rle {
	char *buf;
	size_t len, cap;
	int code;		/* of the current run; -1 before the first */
	unsigned long run;
	bool oom;
};

static void rle_byte(struct rle *r, unsigned char b)
{
	if (r->len == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 256;
		char *n = realloc(r->buf, cap);

		if (!n) {
			r->oom = true;
			return;
		}
		r->buf = n;
		r->cap = cap;
	}
	r->buf[r->len++] = (char)b;
}

static void rle_flush(struct rle *r)
{
	unsigned long n = r->run;

	if (r->code < 0 || !n)
		return;
	rle_byte(r, (unsigned char)r->code);
	while (n >= 0x40) {
		rle_byte(r, (unsigned char)(0x40 | (n & 0x3f)));
		n >>= 6;
	}
	rle_byte(r, (unsigned char)n);
}

static void rle_push(struct rle *r, unsigned int code)
{
	if ((int)code == r->code) {
		r->run++;
		return;
	}
	rle_flush(r);
	r->code = (int)code;
	r->run = 1;
}

/* The RLE bytes as a base64 json string (NULL when out of memory); frees them. */
static struct json_object *rle_finish(struct rle *r, size_t *bytes)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct json_object *str = NULL;
	size_t out_len, o = 0;
	char *out;

	rle_flush(r);
	out_len = (r->len + 2) / 3 * 4;
	out = r->oom ? NULL : malloc(out_len + 1);
	if (out) {
		for (size_t i = 0; i < r->len; i += 3) {
			unsigned long v = (unsigned long)(unsigned char)r->buf[i] << 16;

			if (i + 1 < r->len)
				v |= (unsigned long)(unsigned char)r->buf[i + 1] << 8;
			if (i + 2 < r->len)
				v |= (unsigned char)r->buf[i + 2];
			out[o++] = b64[(v >> 18) & 63];
			out[o++] = b64[(v >> 12) & 63];
			out[o++] = i + 1 < r->len ? b64[(v >> 6) & 63] : '=';
			out[o++] = i + 2 < r->len ? b64[v & 63] : '=';
		}
		out[o] = '\0';
		str = json_object_new_string_len(out, (int)o);
		*bytes += o;
		free(out);
	}
	free(r->buf);
	*r = (struct rle){ .code = -1 };
	return str;
}

/* ---- one zone at one step ---- */

/* Pages per cell: the smallest power of two that keeps the machine within HTML_MAX_CELLS. */
static unsigned long pages_per_cell(void)
{
	unsigned long total = 0, n = 1;
	struct zone *zone;

	for_each_populated_zone(zone)
		total += zone->spanned_pages;
	while (total / n > HTML_MAX_CELLS)
		n *= 2;
	return n;
}

/* The most frequent code of @counts (ties: the lowest), or CODE_HOLE if none. */
static unsigned int majority(const unsigned long counts[NR_CODES])
{
	unsigned int best = CODE_HOLE;
	unsigned long most = 0;

	for (unsigned int c = 0; c < NR_CODES; c++) {
		if (counts[c] > most) {
			most = counts[c];
			best = c;
		}
	}
	return best;
}

/*
 * The map, pageblock types and state counts of @zone into @z.
 * Return: encoded bytes added, or 0 when out of host memory (map left out).
 */
static size_t zone_map(struct zone *zone, unsigned long ppc, struct linmm_frame *frames,
		       struct json_object *z)
{
	unsigned long start = zone->zone_start_pfn, end = zone_end_pfn(zone);
	unsigned long cell_start = start & ~(ppc - 1), cell = cell_start;
	unsigned long counts[NR_CODES] = { 0 }, states[NR_FRAME_STATES] = { 0 };
	struct rle map = { .code = -1 }, blocks = { .code = -1 };
	struct json_object *arr, *m, *b;
	size_t bytes = 0;

	for (unsigned long pfn = start; pfn < end; pfn += HTML_CHUNK) {
		unsigned long nr = end - pfn < HTML_CHUNK ? end - pfn : HTML_CHUNK;

		if (linmm_frame_states(pfn, nr, frames))
			break;
		for (unsigned long i = 0; i < nr; i++) {
			const struct linmm_frame *f = &frames[i];
			unsigned long p = pfn + i;
			bool ours = f->state == FRAME_HOLE ||
				    (f->zone == zone_idx(zone) && f->nid == zone_to_nid(zone));

			while (p >= cell + ppc) {	/* the cell before @p is complete */
				rle_push(&map, majority(counts));
				memset(counts, 0, sizeof(counts));
				cell += ppc;
			}
			if (p == start || !(p & (pageblock_nr_pages - 1)))
				rle_push(&blocks, f->state == FRAME_HOLE ? MIGRATE_TYPES
								  : f->migratetype);
			if (!ours)
				continue;
			counts[frame_code(f)]++;
			states[f->state]++;
		}
	}
	rle_push(&map, majority(counts));	/* the last cell */

	arr = json_object_new_array();
	for (int s = 0; s < NR_FRAME_STATES; s++)
		json_object_array_add(arr, json_object_new_int64((int64_t)states[s]));
	json_object_object_add(z, "states", arr);
	m = rle_finish(&map, &bytes);
	b = rle_finish(&blocks, &bytes);
	if (!m || !b) {
		json_object_put(m);
		json_object_put(b);
		return 0;
	}
	json_object_object_add(z, "map", m);
	json_object_object_add(z, "blocks", b);
	return bytes;
}

/* Node, name, span, buddyinfo counts and map of @zone. */
static struct json_object *zone_sample(struct zone *zone, unsigned long ppc,
				       struct linmm_frame *frames, size_t *bytes)
{
	struct json_object *z = json_object_new_object(), *free_arr = json_object_new_array();

	json_object_object_add(z, "node", json_object_new_int(zone_to_nid(zone)));
	json_object_object_add(z, "zone", json_object_new_string(zone->name));
	json_object_object_add(z, "start_pfn", json_object_new_int64((int64_t)zone->zone_start_pfn));
	json_object_object_add(z, "end_pfn", json_object_new_int64((int64_t)zone_end_pfn(zone)));
	json_object_object_add(z, "managed", json_object_new_int64((int64_t)zone_managed_pages(zone)));
	spin_lock(&zone->lock);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		json_object_array_add(free_arr,
				      json_object_new_int64((int64_t)zone->free_area[o].nr_free));
	spin_unlock(&zone->lock);
	json_object_object_add(z, "free", free_arr);
	if (frames)
		*bytes += zone_map(zone, ppc, frames, z);
	return z;
}

/* ---- each process's address space at one step ---- */

/* A resident-page walk of one VMA: runs of pages of one kind. */
struct resident_walk {
	struct vm_area_struct *vma;
	struct json_object *runs;
	unsigned long first, count;	/* the open run, in pages from vm_start */
	char kind;			/* of the open run; 0 before the first */
	bool truncated;
};

static void resident_flush(struct resident_walk *w)
{
	struct json_object *run;
	char kind[2] = { w->kind, 0 };

	if (!w->kind)
		return;
	if (json_object_array_length(w->runs) >= HTML_MAX_RUNS) {
		w->truncated = true;
		return;
	}
	run = json_object_new_array();
	json_object_array_add(run, json_object_new_int64((int64_t)w->first));
	json_object_array_add(run, json_object_new_int64((int64_t)w->count));
	json_object_array_add(run, json_object_new_string(kind));
	json_object_array_add(w->runs, run);
}

static void resident_pte(pte_t pte, unsigned long addr, void *arg)
{
	struct resident_walk *w = arg;
	unsigned long idx = (addr - w->vma->vm_start) >> PAGE_SHIFT;
	struct page *page;
	char kind;

	if (!pte_present(pte))
		return;
	page = vm_normal_page(w->vma, addr, pte);
	if (page)
		kind = !PageAnon(page) ? 'f' : page_mapcount(page) > 1 ? 's' : 'a';
	else if (pte_pfn(pte) == my_zero_pfn(addr))
		kind = 'z';
	else
		return;		/* another special mapping: nothing to show */
	if (kind == w->kind && idx == w->first + w->count) {
		w->count++;
		return;
	}
	resident_flush(w);
	w->kind = kind;
	w->first = idx;
	w->count = 1;
}

/* The resident runs of the VMA of @mm starting at @start (mmap_lock taken here). */
static void vma_resident(struct mm_struct *mm, unsigned long start, struct json_object *v)
{
	struct resident_walk w = { .runs = json_object_new_array() };

	mmap_read_lock(mm);
	w.vma = vma_lookup(mm, start);
	if (w.vma && w.vma->vm_start == start)
		walk_page_vma_ptes(w.vma, resident_pte, &w);
	mmap_read_unlock(mm);
	resident_flush(&w);
	json_object_object_add(v, "resident", w.runs);
	json_object_object_add(v, "truncated", json_object_new_boolean(w.truncated));
}

/* "KEY:   N kB" of an smaps line into @v as @name (kB), if @line is that field. */
static void smaps_field(const char *line, const char *key, const char *name, struct json_object *v)
{
	size_t n = strlen(key);
	unsigned long kb;

	if (!strncmp(line, key, n) && sscanf(line + n, " %lu kB", &kb) == 1)
		json_object_object_add(v, name, json_object_new_int64((int64_t)kb));
}

/* The VMAs of @tsk from its /proc/PID/smaps, each with its resident pages. */
static struct json_object *task_vmas(struct task_struct *tsk)
{
	struct json_object *vmas = json_object_new_array(), *v = NULL;
	char path[64], *text, *line, *nl;

	snprintf(path, sizeof(path), "/proc/%d/smaps", tsk->pid);
	text = linmm_proc_read(path);
	for (line = text; line && *line; line = nl ? nl + 1 : NULL) {
		unsigned long start, end, off, ino;
		char perms[8], dev[16];
		int name_at = 0;

		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (sscanf(line, "%lx-%lx %7s %lx %15s %lu %n", &start, &end, perms, &off, dev, &ino,
			   &name_at) == 6 && name_at) {
			v = json_object_new_object();
			snprintf(path, sizeof(path), "%lx", start);
			json_object_object_add(v, "start", json_object_new_string(path));
			snprintf(path, sizeof(path), "%lx", end);
			json_object_object_add(v, "end", json_object_new_string(path));
			json_object_object_add(v, "perms", json_object_new_string(perms));
			json_object_object_add(v, "name", json_object_new_string(line + name_at));
			json_object_object_add(v, "pages",
					       json_object_new_int64((int64_t)((end - start) >> PAGE_SHIFT)));
			json_object_array_add(vmas, v);
			if (tsk->mm)
				vma_resident(tsk->mm, start, v);
		} else if (v) {
			smaps_field(line, "Rss:", "rss_kb", v);
			smaps_field(line, "Pss:", "pss_kb", v);
		}
	}
	linmm_free(text);
	return vmas;
}

static const char *signal_name(int sig)
{
	switch (sig) {
	case 0:
		return NULL;
	case LINMM_SIGBUS:
		return "SIGBUS";
	case LINMM_SIGKILL:
		return "SIGKILL";
	case LINMM_SIGSEGV:
		return "SIGSEGV";
	default:
		return "a signal";
	}
}

/* Every task at this step, in pid order. */
static struct json_object *tasks_sample(void)
{
	struct json_object *arr = json_object_new_array();

	for (struct task_struct *t = next_tgid(1); t; t = next_tgid(t->pid + 1)) {
		struct json_object *o = json_object_new_object();
		const char *sig = signal_name(t->exit_signal_nr);

		json_object_object_add(o, "pid", json_object_new_int(t->pid));
		json_object_object_add(o, "comm", json_object_new_string(t->comm));
		json_object_object_add(o, "killed", sig ? json_object_new_string(sig) : NULL);
		json_object_object_add(o, "vmas", task_vmas(t));
		json_object_array_add(arr, o);
	}
	return arr;
}

/* Drop the maps of step @i (the budget is spent). */
static void drop_maps(size_t i)
{
	struct json_object *zones = json_object_object_get(json_object_array_get_idx(steps, i),
							   "zones");

	for (size_t z = 0; z < json_object_array_length(zones); z++) {
		struct json_object *zo = json_object_array_get_idx(zones, z);

		json_object_object_add(zo, "map", NULL);
		json_object_object_add(zo, "blocks", NULL);
	}
	map_bytes -= step_map_bytes[i];
	step_map_bytes[i] = 0;
}

/* ---- the observer ---- */

static void html_line(const struct linmm_script *s, const char *text)
{
	struct json_object *l = json_object_new_object();
	size_t n = strcspn(text, "\r\n");

	json_object_object_add(l, "line", json_object_new_int64(s->lineno));
	json_object_object_add(l, "text", json_object_new_string_len(text, (int)n));
	json_object_array_add(lines, l);
}

static void html_step(const struct linmm_script *s, unsigned int first_line, const char *command,
		      enum script_status st)
{
	struct json_object *step = json_object_new_object(), *zones = json_object_new_array();
	static const char *const files[][2] = {
		{ "meminfo", "/proc/meminfo" },
		{ "vmstat", "/proc/vmstat" },
	};
	size_t n = json_object_array_length(steps), bytes = 0;
	struct linmm_frame *frames = NULL;
	unsigned long ppc = pages_per_cell();
	struct zone *zone;

	if (n == nr_steps_alloc) {
		size_t cap = nr_steps_alloc ? 2 * nr_steps_alloc : 64;
		size_t *p = realloc(step_map_bytes, cap * sizeof(*p));

		if (p) {
			step_map_bytes = p;
			nr_steps_alloc = cap;
		}
	}
	if (n < nr_steps_alloc) {	/* else out of host memory: this step has no map */
		step_map_bytes[n] = 0;
		frames = malloc(HTML_CHUNK * sizeof(*frames));
	}

	if (!json_object_object_get_ex(doc, "machine", NULL))
		json_object_object_add(doc, "machine", json_object_new_string(boot_params.cmdline));
	json_object_object_add(step, "first_line", json_object_new_int64(first_line));
	json_object_object_add(step, "last_line", json_object_new_int64(s->lineno));
	json_object_object_add(step, "command", json_object_new_string_len(command,
					(int)strcspn(command, "\r\n")));
	json_object_object_add(step, "status", json_object_new_int(st));
	json_object_object_add(step, "pages_per_cell", json_object_new_int64((int64_t)ppc));
	for_each_populated_zone(zone)
		json_object_array_add(zones, zone_sample(zone, ppc, frames, &bytes));
	json_object_object_add(step, "zones", zones);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *text = linmm_proc_read(files[i][1]);
		struct json_object *fields = text ? script_json_fields(text) : NULL;

		json_object_object_add(step, files[i][0], fields);
		linmm_free(text);
	}
	json_object_object_add(step, "tasks", tasks_sample());
	json_object_array_add(steps, step);
	if (!frames)
		return;
	free(frames);
	step_map_bytes[n] = bytes;
	map_bytes += bytes;
	if (map_bytes > HTML_MAP_BUDGET && n > 0 && n - 1 < nr_steps_alloc && step_map_bytes[n - 1])
		drop_maps(n - 1);
}

static const struct script_observer html_observer = {
	.line = html_line,
	.step = html_step,
};

void script_html_begin(const char *name)
{
	struct json_object *codes = json_object_new_array(), *names = json_object_new_array();
	struct json_object *mts = json_object_new_array();

	doc = json_object_new_object();
	lines = json_object_new_array();
	steps = json_object_new_array();
	json_object_object_add(doc, "format", json_object_new_string("linmm-html 1"));
	json_object_object_add(doc, "script", json_object_new_string(name));
	for (unsigned int c = 0; c < NR_CODES; c++) {
		struct json_object *code = json_object_new_object();
		const char *state = c < CODE_PCP_BASE ? "free" : c < CODE_STATE_BASE ? "pcp" :
				    c == CODE_HOLE ? "hole" :
				    linmm_frame_state_names[FRAME_RESERVED + c - CODE_STATE_BASE];

		json_object_object_add(code, "state", json_object_new_string(state));
		if (c < CODE_STATE_BASE)
			json_object_object_add(code, "order", json_object_new_int((int)c %
										  NR_PAGE_ORDERS));
		json_object_array_add(codes, code);
	}
	json_object_object_add(doc, "codes", codes);
	for (int s = 0; s < NR_FRAME_STATES; s++)
		json_object_array_add(names, json_object_new_string(linmm_frame_state_names[s]));
	json_object_object_add(doc, "states", names);
	for (int mt = 0; mt < MIGRATE_TYPES; mt++)
		json_object_array_add(mts, json_object_new_string(migratetype_names[mt]));
	json_object_object_add(doc, "migratetypes", mts);
	json_object_object_add(doc, "lines", lines);
	json_object_object_add(doc, "steps", steps);
	script_observe(&html_observer);
}

/* Write @s to @f with every '<' as \u003c, so nothing in it can end the <script>. */
static void put_json(FILE *f, const char *s)
{
	for (const char *p; (p = strchr(s, '<')); s = p + 1) {
		fwrite(s, 1, (size_t)(p - s), f);
		fputs("\\u003c", f);
	}
	fputs(s, f);
}

int script_html_write(const char *path, int status)
{
	FILE *f;
	int ret = 0;

	script_unobserve(&html_observer);
	json_object_object_add(doc, "exit_status", json_object_new_int(status));
	f = fopen(path, "w");
	if (!f) {
		ret = -errno;
		goto out_free;
	}
	fputs(html_page_head, f);
	put_json(f, json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN));
	fputs(html_page_tail, f);
	if (ferror(f))
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
out_free:
	json_object_put(doc);
	doc = lines = steps = NULL;
	free(step_map_bytes);
	step_map_bytes = NULL;
	nr_steps_alloc = map_bytes = 0;
	return ret;
}
