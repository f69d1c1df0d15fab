// SPDX-License-Identifier: MIT
/*
 * replay.c - `linmm replay`: a real program's memory accesses, replayed by a
 * simulated process (the traces: trace.h, valgrind lackey text or linmm's
 * binary LMT; the report: replay_report.c; the converter: trace_convert.c).
 *
 * A replay runs in four phases:
 *
 *  1. Load.  The trace is read once, checked (a malformed line stops
 *     everything with "TRACE:LINE: what" and exit status 2 before a machine
 *     boots) and kept in memory as an LMT stream, about 1.7 bytes an
 *     access; each page it touches is noted with how: fetched (X), loaded
 *     (R), stored (W).  A modify is R and W.
 *
 *  2. Layout.  The touched pages become VMAs, as the program had them:
 *     pages closer than CLUSTER_GAP pages apart form one cluster (an ELF
 *     image, the heap, the stack, a library's segments...).
 *       - a cluster without fetches is data: one rw- VMA (r-- if nothing
 *         in it was stored: read-only data or a file never written);
 *       - a cluster with fetches is an executable image: runs of pages of
 *         one class become VMAs, r-x for code (rwx if it was also
 *         written: JIT code), r-- for read-only data, rw- for data, each
 *         untouched page going with the run before it, so the VMAs of an
 *         image are contiguous as ld.so maps them;
 *       - the highest cluster, if it is data that was written, is the
 *         stack: rw- with VM_GROWSDOWN, and mm->start_stack in it so that
 *         /proc/PID/maps names it [stack].
 *
 *         cluster 1 (fetches)           cluster 2     ...   cluster 3 (top)
 *       |r-x r-x|r--|rw- rw-|          |rw-  rw-|          |rw- rw- rw-|
 *        XXX XX  RR   W W  <=16 gap>     W R  W              W  W  RW
 *
 *     Each VMA is mmap()ed anonymous and private at the trace's own address
 *     (MAP_FIXED_NOREPLACE).  A cluster that does not fit the simulated
 *     user address space (below vm.mmap_min_addr, above the task size -
 *     e.g. any 64-bit trace on arch=x86_32 - or non-canonical) is mapped,
 *     once all the others are, in the highest free range that holds it
 *     (off a stack's guard gap), and its accesses are moved by the same
 *     offset.
 *
 *  3. Replay.  Every access goes through the simulated CPU's user-mode
 *     access path (arch/x86/mmu.c linmm_cpu_access(): the TLB, the page
 *     walk, and on a #PF the kernel's handler, handle_mm_fault()): a fetch
 *     is an exec access, a load a read, a store a write.  A modify is ONE
 *     write access: an x86 read-modify-write instruction translates its
 *     operand for writing once, so a first touch takes one write fault, not
 *     a read fault and then a write fault.  An access that straddles a page
 *     boundary is one access per page, as on the CPU.  Every N accesses
 *     (--sample-every, default a twentieth of the trace) the resident set,
 *     faults and TLB counters are sampled.
 *
 *  4. Report: accesses by kind, faults, the TLB (hits, misses, flushes),
 *     page-allocator activity (vmstat pgalloc_* and pgfree during the
 *     replay), the samples, and the task's /proc/PID/maps and the Vm and
 *     Rss lines of /proc/PID/status at the end; as text, or as one JSON
 *     document with --json.  --html adds the HTML report (html.c) with one
 *     step per sample; --trace-events streams the kmem tracepoints with
 *     "line" the 1-based number of the access that caused them (modulo
 *     2^32).
 *
 * What to expect on anonymous memory (mm/memory.c): a read or fetch of an
 * untouched page maps the shared zero page (one minor fault, no page
 * allocated, not resident); a later store to it faults again (do_wp_page
 * copies the zero page: a page allocated and a TLB flush); a first store
 * allocates at once.  So minor faults = pages touched + pages first read
 * and later written, and the resident set at the end = pages written.
 *
 * Progress: with standard error a terminal, a bar with the rate and the
 * time left, redrawn at most PROGRESS_HZ times a second and erased at the
 * end; never otherwise, so the output of a replay is deterministic.
 *
 * No kernel counterpart: linmm's front end.  One replay per process.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include <linmm/linmm.h>
#include <linmm/memory.h>
#include <linmm/mmap.h>
#include <linmm/mmu.h>
#include <linmm/sched.h>
#include <linmm/tlbflush.h>
#include <linmm/vmstat.h>

#include "arch/x86/mmu.h"
#include "kernel/machine.h"
#include "tools/linmm/replay.h"
#include "tools/linmm/script.h"
#include "tools/linmm/trace.h"

#define CLUSTER_GAP 16		/* pages: touched pages closer than this share a cluster */
#define DEFAULT_SAMPLES 20	/* samples of a replay without --sample-every */
#define PROGRESS_HZ 10		/* redraws a second at most */
#define PROGRESS_EVERY 65536	/* accesses between looks at the clock */
#define REPLAY_CONSOLE_LOGLEVEL 4	/* KERN_WARNING and worse reach standard error */

const char linmm_replay_help[] =
	"usage: linmm replay [--json] [--html FILE] [--trace-events FILE [--events LIST]]\n"
	"                    [--sample-every N] [--time] [PARAM=VALUE...] TRACE\n"
	"Replay the memory accesses of a real program in a simulated process: boot the\n"
	"machine PARAM=VALUE... (default: \"" LINMM_DEFAULT_CMDLINE "\"), spawn a task, map\n"
	"the trace's address ranges as its VMAs (code r-x, data rw-, the stack at the\n"
	"top growing down, at the trace's own addresses where they fit), and perform\n"
	"every access through the simulated MMU, TLB and page-fault handler.\n"
	"TRACE: valgrind lackey text (valgrind --tool=lackey --trace-mem=yes\n"
	"--log-file=TRACE PROG) or linmm's binary format (linmm trace-convert); - reads\n"
	"standard input.  A malformed trace stops with \"TRACE:LINE: what was wrong\"\n"
	"and exit status 2.\n"
	"Report: accesses by kind, minor faults, the resident set every N accesses,\n"
	"TLB hits, misses and flushes, pages allocated and freed, and the task's\n"
	"/proc/PID/maps and status at the end.\n"
	"--json: the report as one JSON document on standard output instead.\n"
	"--html FILE: the HTML report (as run --html), one step per sample.\n"
	"--trace-events FILE: the kmem tracepoints as JSON lines (as run\n"
	"--trace-events), \"line\" being the number of the access.\n"
	"--sample-every N: sample every N accesses (default: 20 samples in all).\n"
	"--time: print the replay's speed (accesses per second) to standard error.\n"
	"On a terminal, a progress bar on standard error shows the rate and time left.\n"
	"Exit status: 0, 1 if the task was killed (SIGSEGV...) before the end, 2 error.\n"
	"docs/replay.md has the details and the LMT format.\n";

/* ---- progress bar (standard error, terminals only) ---- */

struct progress {
	bool on;
	const char *what;
	double t0, last;
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void progress_start(struct progress *p, const char *what, bool allowed)
{
	p->on = allowed && isatty(STDERR_FILENO);
	p->what = what;
	p->t0 = p->last = p->on ? now_seconds() : 0;
}

/* "12.3M" for @v into @buf. */
static const char *human(double v, char *buf, size_t size)
{
	static const char units[] = " kMGT";
	int u = 0;

	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	snprintf(buf, size, u ? "%.1f%c" : "%.0f%c", v, u ? units[u] : '\0');
	return buf;
}

/* Redraw if 1/PROGRESS_HZ s has passed: @done of @total (@unit: "accesses", "bytes"). */
static void progress_update(struct progress *p, double done, double total, const char *unit)
{
	char a[16], b[16], r[16], bar[31];
	double t, rate, left;
	int fill;

	if (!p->on)
		return;
	t = now_seconds();
	if (t - p->last < 1.0 / PROGRESS_HZ)
		return;
	p->last = t;
	rate = done / (t - p->t0 > 1e-9 ? t - p->t0 : 1e-9);
	left = rate > 0 && total > done ? (total - done) / rate : 0;
	fill = total > 0 ? (int)(30 * (done < total ? done / total : 1)) : 0;
	memset(bar, ' ', 30);
	memset(bar, '=', (size_t)fill);
	bar[30] = '\0';
	fprintf(stderr, "\r%s [%s] %3d%% %s/%s %s, %s/s, %d:%02d left ", p->what, bar,
		total > 0 ? (int)(100 * done / total) : 0, human(done, a, sizeof(a)),
		human(total, b, sizeof(b)), unit, human(rate, r, sizeof(r)), (int)left / 60,
		(int)left % 60);
	fflush(stderr);
}

static void progress_end(struct progress *p)
{
	if (p->on && p->last > p->t0) {
		fputs("\r\033[2K", stderr);
		fflush(stderr);
	}
	p->on = false;
}

/* ---- the pages a trace touches ---- */

static uint64_t *pset_slot(const struct page_set *ps, uint64_t key, size_t *idx)
{
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 20) & (ps->cap - 1);

	while (ps->keys[i] && ps->keys[i] != key)
		i = (i + 1) & (ps->cap - 1);
	*idx = i;
	return &ps->keys[i];
}

static int pset_grow(struct page_set *ps)
{
	struct page_set n = { .cap = ps->cap ? 2 * ps->cap : 1024, .nr = ps->nr };

	n.keys = calloc(n.cap, sizeof(*n.keys));
	n.flags = calloc(n.cap, 1);
	if (!n.keys || !n.flags) {
		free(n.keys);
		free(n.flags);
		return -ENOMEM;
	}
	for (size_t i = 0; i < ps->cap; i++) {
		size_t j;

		if (!ps->keys[i])
			continue;
		*pset_slot(&n, ps->keys[i], &j) = ps->keys[i];
		n.flags[j] = ps->flags[i];
	}
	free(ps->keys);
	free(ps->flags);
	*ps = n;
	return 0;
}

static int pset_add(struct page_set *ps, uint64_t vpn, unsigned int fl)
{
	uint64_t *k;
	size_t i;

	if (2 * (ps->nr + 1) > ps->cap && pset_grow(ps))
		return -ENOMEM;
	k = pset_slot(ps, vpn + 1, &i);
	if (!*k) {
		*k = vpn + 1;
		ps->nr++;
	}
	ps->flags[i] |= (unsigned char)fl;
	return 0;
}

static void pset_release(struct page_set *ps)
{
	free(ps->keys);
	free(ps->flags);
	memset(ps, 0, sizeof(*ps));
}

/* ---- phase 1: load ---- */

static const unsigned int kind_flags[NR_TRACE_KINDS] = { PG_X | PG_R, PG_R, PG_W, PG_R | PG_W };

static int note_access(struct trace_load *tl, const struct trace_access *a)
{
	uint64_t first = a->addr >> PAGE_SHIFT, last = (a->addr + a->size - 1) >> PAGE_SHIFT;
	unsigned int fl = kind_flags[a->kind];

	tl->kinds[a->kind]++;
	tl->total++;
	if (first != last)
		tl->crossings++;
	for (uint64_t vpn = first;; vpn++) {
		unsigned int slot = (unsigned int)vpn & (SEEN_SLOTS - 1);

		if (tl->seen_key[slot] != vpn + 1 || (tl->seen_flags[slot] & fl) != fl) {
			if (pset_add(&tl->pages, vpn, fl))
				return -ENOMEM;
			if (tl->seen_key[slot] != vpn + 1)
				tl->seen_flags[slot] = 0;
			tl->seen_key[slot] = vpn + 1;
			tl->seen_flags[slot] |= (unsigned char)fl;
		}
		if (vpn == last)
			break;
	}
	return 0;
}

static int load_error(struct trace_load *tl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int load_error(struct trace_load *tl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tl->err, sizeof(tl->err), fmt, ap);
	va_end(ap);
	return -1;
}

/* Lackey text from @f into tl->buf as LMT, noting pages. */
static int load_lackey(struct trace_load *tl, FILE *f, off_t size, bool progress_ok)
{
	struct lackey_reader lr;
	struct lmt_writer w;
	struct trace_access a;
	struct progress pg;
	bool started = false;
	int ret = 0, r;

	tl->format = "lackey";
	lackey_init(&lr, f, tl->name);
	progress_start(&pg, "loading", progress_ok && size > 0);
	while ((r = lackey_next(&lr, &a)) > 0) {
		if (!started) {
			if (lmt_writer_init(&w, NULL, lr.command))
				goto out_oom;
			started = true;
		}
		if (lmt_write(&w, &a) || note_access(tl, &a))
			goto out_oom;
		if (pg.on && !(tl->total % PROGRESS_EVERY))
			progress_update(&pg, (double)ftello(f), (double)size, "bytes");
	}
	progress_end(&pg);
	if (r < 0) {
		ret = load_error(tl, "%s", lr.err);
		goto out;
	}
	if (!started && lmt_writer_init(&w, NULL, lr.command)) {
		started = false;
		goto out_oom;
	}
	started = true;
	if (lmt_writer_finish(&w))
		goto out_oom;
	snprintf(tl->command, sizeof(tl->command), "%s", lr.command);
	tl->buf = lmt_writer_take(&w, &tl->len);
	goto out;
out_oom:
	progress_end(&pg);
	ret = load_error(tl, "%s: out of host memory", tl->name);
out:
	if (started)
		lmt_writer_release(&w);
	lackey_release(&lr);
	return ret;
}

/* An LMT stream already in tl->buf: check it whole and note its pages. */
static int load_lmt(struct trace_load *tl)
{
	struct lmt_reader rd;
	struct trace_access a;
	int r;

	tl->format = "lmt";
	if (lmt_reader_init(&rd, tl->buf, tl->len, tl->name))
		return load_error(tl, "%s", rd.err);
	while ((r = lmt_next(&rd, &a)) > 0)
		if (note_access(tl, &a))
			return load_error(tl, "%s: out of host memory", tl->name);
	if (r < 0)
		return load_error(tl, "%s", rd.err);
	snprintf(tl->command, sizeof(tl->command), "%s", rd.command);
	return 0;
}

/*
 * load_trace - phase 1 for @path ("-": standard input), either format.
 * Return: 0, or -1 with tl->err set.
 */
static int load_trace(struct trace_load *tl, const char *path, bool progress_ok)
{
	unsigned char magic[LMT_MAGIC_LEN];
	bool is_stdin = !strcmp(path, "-");
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	struct stat stbuf;
	off_t size = 0;
	size_t n;
	int ret;

	memset(tl, 0, sizeof(*tl));
	tl->name = is_stdin ? "<stdin>" : path;
	if (!f)
		return load_error(tl, "linmm: cannot open trace '%s': %s", path, strerror(errno));
	if (!fstat(fileno(f), &stbuf) && S_ISREG(stbuf.st_mode))
		size = stbuf.st_size;
	n = fread(magic, 1, sizeof(magic), f);
	if (lmt_is_lmt(magic, n)) {
		ret = trace_read_all(f, magic, n, &tl->buf, &tl->len);
		ret = ret ? load_error(tl, "%s: %s", tl->name, strerror(-ret)) : load_lmt(tl);
	} else if (size > 0 && !fseeko(f, 0, SEEK_SET)) {
		ret = load_lackey(tl, f, size, progress_ok);
	} else {
		/* A pipe: the bytes already read go back in front through a memory stream. */
		unsigned char *all = NULL;
		size_t len = 0;
		FILE *mf = NULL;

		ret = trace_read_all(f, magic, n, &all, &len);
		if (ret)
			ret = load_error(tl, "%s: %s", tl->name, strerror(-ret));
		else if (len && !(mf = fmemopen(all, len, "rb")))
			ret = load_error(tl, "%s: %s", tl->name, strerror(errno));
		else
			ret = load_lackey(tl, mf, 0, false);
		if (mf)
			fclose(mf);
		free(all);
	}
	if (!is_stdin)
		fclose(f);
	return ret;
}

/* ---- phase 2: layout ---- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static unsigned long class_prot(unsigned int fl)
{
	if (fl & PG_X)
		return PROT_READ | PROT_EXEC | (fl & PG_W ? PROT_WRITE : 0);
	return PROT_READ | (fl & PG_W ? PROT_WRITE : 0);
}

/* Append [@start, @end) to the current cluster, or grow its last VMA if @prot matches. */
static void layout_add_vma(struct replay_layout *lo, uint64_t start, uint64_t end,
			   unsigned long prot)
{
	struct replay_cluster *c = &lo->clusters[lo->nr_clusters - 1];
	struct replay_vma *v;

	if (c->nr) {
		v = &lo->vmas[lo->nr_vmas - 1];
		if (v->end == start && v->prot == prot) {
			v->end = end;
			return;
		}
	}
	v = &lo->vmas[lo->nr_vmas++];
	*v = (struct replay_vma){ .start = start, .end = end, .prot = prot };
	c->nr++;
}

/* The VMAs of the cluster of sorted packed pages [@pg, @pg + @n). */
static void layout_cluster(struct replay_layout *lo, const uint64_t *pg, size_t n)
{
	struct replay_cluster *c = &lo->clusters[lo->nr_clusters++];
	unsigned int all = 0;

	*c = (struct replay_cluster){
		.start = (pg[0] >> PG_FLAGS_BITS) << PAGE_SHIFT,
		.end = ((pg[n - 1] >> PG_FLAGS_BITS) + 1) << PAGE_SHIFT,
		.first = lo->nr_vmas,
	};
	for (size_t i = 0; i < n; i++)
		all |= (unsigned int)(pg[i] & 7);
	if (!(all & PG_X)) {
		layout_add_vma(lo, c->start, c->end, class_prot(all & PG_W));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t start = (pg[i] >> PG_FLAGS_BITS) << PAGE_SHIFT;
		uint64_t end = i + 1 < n ? (pg[i + 1] >> PG_FLAGS_BITS) << PAGE_SHIFT : c->end;

		layout_add_vma(lo, start, end, class_prot((unsigned int)(pg[i] & 7)));
	}
}

/* Phase 2: clusters and VMAs from the pages of @tl. Return: 0 or -ENOMEM. */
static int build_layout(const struct trace_load *tl, struct replay_layout *lo)
{
	size_t n = 0, i, first;
	uint64_t *pg;

	memset(lo, 0, sizeof(*lo));
	if (!tl->pages.nr)
		return 0;
	pg = malloc(tl->pages.nr * sizeof(*pg));
	lo->vmas = malloc(tl->pages.nr * sizeof(*lo->vmas));
	lo->clusters = malloc(tl->pages.nr * sizeof(*lo->clusters));
	if (!pg || !lo->vmas || !lo->clusters) {
		free(pg);
		return -ENOMEM;
	}
	for (i = 0; i < tl->pages.cap; i++)
		if (tl->pages.keys[i])
			pg[n++] = (tl->pages.keys[i] - 1) << PG_FLAGS_BITS | tl->pages.flags[i];
	qsort(pg, n, sizeof(*pg), cmp_u64);
	for (first = 0, i = 1; i <= n; i++) {
		if (i < n && (pg[i] >> PG_FLAGS_BITS) - (pg[i - 1] >> PG_FLAGS_BITS) <= CLUSTER_GAP)
			continue;
		layout_cluster(lo, pg + first, i - first);
		first = i;
	}
	/* The stack: the highest cluster, if it is written data. */
	{
		struct replay_cluster *top = &lo->clusters[lo->nr_clusters - 1];
		struct replay_vma *v = &lo->vmas[top->first];

		if (top->nr == 1 && !(v->prot & PROT_EXEC) && (v->prot & PROT_WRITE))
			top->stack = v->stack = true;
	}
	free(pg);
	return 0;
}

static void layout_release(struct replay_layout *lo)
{
	free(lo->vmas);
	free(lo->clusters);
	memset(lo, 0, sizeof(*lo));
}

/* mmap one VMA @v of @c at @addr (@fixed: MAP_FIXED, else MAP_FIXED_NOREPLACE). */
static unsigned long map_vma(struct task_struct *tsk, const struct replay_vma *v,
			     unsigned long addr, unsigned long fixed)
{
	return linmm_mmap(tsk, addr, (unsigned long)(v->end - v->start), v->prot,
			  MAP_PRIVATE | MAP_ANONYMOUS | fixed | (v->stack ? MAP_GROWSDOWN : 0), -1,
			  0);
}

/*
 * The highest free range of @len bytes in @tsk's user address space (between
 * vm.mmap_min_addr and user_addr_max()), or 0.  mmap() without an address
 * would find one too, but it places it by the 64-bit layout even on
 * arch=x86_32 (mm->task_size), beyond what a 32-bit MMU can address.
 */
static unsigned long highest_gap(struct task_struct *tsk, unsigned long len)
{
	unsigned long prev_end = mmap_min_addr, best = 0, top = user_addr_max();
	struct mm_struct *mm = tsk->mm;
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	for_each_vma(mm, vma) {
		unsigned long start = vm_start_gap(vma);	/* keep off a stack's guard gap */
		unsigned long end = start < top ? start : top;

		if (end > prev_end && end - prev_end >= len)
			best = end - len;
		if (vma->vm_end > prev_end)
			prev_end = vma->vm_end;
	}
	if (top > prev_end && top - prev_end >= len)
		best = top - len;
	mmap_read_unlock(mm);
	return best;
}

/*
 * Map cluster @c in @tsk at its own address.
 * Return: true, or false with nothing of @c left mapped (it does not fit).
 */
static bool map_cluster_fixed(struct task_struct *tsk, struct replay_layout *lo,
			      struct replay_cluster *c)
{
	unsigned long ret;
	int i;

	for (i = 0; i < c->nr; i++) {
		const struct replay_vma *v = &lo->vmas[c->first + i];

		/*
		 * Beyond the arch's user address space (mm->task_size is the
		 * 64-bit one even on arch=x86_32), or the last page of 2^64.
		 */
		if (v->end < v->start || v->end > user_addr_max())
			break;
		ret = map_vma(tsk, v, (unsigned long)v->start, MAP_FIXED_NOREPLACE);
		if (IS_ERR_VALUE(ret))
			break;
	}
	if (i == c->nr)
		return true;
	if (i)
		linmm_munmap(tsk, (unsigned long)c->start,
			     (unsigned long)(lo->vmas[c->first + i - 1].end - c->start));
	return false;
}

/*
 * Map cluster @c in @tsk in the highest free range that holds it, once
 * every cluster that fits at its own address is there.
 * Return: 0, or -errno.
 */
static long map_cluster_moved(struct task_struct *tsk, struct replay_layout *lo,
			      struct replay_cluster *c)
{
	unsigned long base, ret;

	base = highest_gap(tsk, (unsigned long)(c->end - c->start));
	if (!base)
		return -ENOMEM;
	base = linmm_mmap(tsk, base, (unsigned long)(c->end - c->start), PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (IS_ERR_VALUE(base))
		return (long)base;
	for (int i = 0; i < c->nr; i++) {
		const struct replay_vma *v = &lo->vmas[c->first + i];

		ret = map_vma(tsk, v, base + (unsigned long)(v->start - c->start), MAP_FIXED);
		if (IS_ERR_VALUE(ret))
			return (long)ret;
	}
	c->delta = base - c->start;
	lo->relocated++;
	return 0;
}

/* Phase 2's end: every cluster mapped, at its address where it fits. Return: 0 or -1 (said). */
static int map_layout(struct task_struct *tsk, struct replay_layout *lo)
{
	bool *moved = calloc((size_t)lo->nr_clusters, sizeof(*moved));

	if (!moved) {
		fprintf(stderr, "linmm: replay: out of host memory\n");
		return -1;
	}
	for (int i = 0; i < lo->nr_clusters; i++)
		moved[i] = !map_cluster_fixed(tsk, lo, &lo->clusters[i]);
	for (int i = 0; i < lo->nr_clusters; i++) {
		struct replay_cluster *c = &lo->clusters[i];
		long err = moved[i] ? map_cluster_moved(tsk, lo, c) : 0;

		if (err) {
			fprintf(stderr, "linmm: replay: cannot map %#llx-%#llx of the trace: %s\n",
				(unsigned long long)c->start, (unsigned long long)c->end,
				script_errno_name(err));
			free(moved);
			return -1;
		}
		if (c->stack)
			tsk->mm->start_stack = (unsigned long)(c->end + c->delta) - sizeof(void *);
	}
	free(moved);
	return 0;
}

/* ---- phase 3: replay ---- */

static unsigned long pgalloc_total(void)
{
	unsigned long n = 0;

	for (int i = PGALLOC_DMA; i <= PGALLOC_DEVICE; i++)
		n += sum_vm_event((enum vm_event_item)i);
	return n;
}

static void take_sample(struct replay *rp, struct replay_sample *sm)
{
	struct tlb_stats st;

	tlb_get_stats(-1, &st);
	*sm = (struct replay_sample){
		.accesses = rp->done,
		.rss = get_mm_rss(rp->tsk->mm),
		.min_flt = rp->tsk->min_flt,
		.maj_flt = rp->tsk->maj_flt,
		.tlb_hits = st.hits - rp->tlb0.hits,
		.tlb_misses = st.misses - rp->tlb0.misses,
		.pgalloc = pgalloc_total() - rp->pgalloc0,
		.pgfree = sum_vm_event(PGFREE) - rp->pgfree0,
	};
}

static void record_sample(struct replay *rp)
{
	struct replay_sample *sm = &rp->samples[rp->nr_samples];
	unsigned int lineno = rp->s.lineno;
	char text[256];

	take_sample(rp, sm);
	rp->nr_samples++;
	/* For --html: each sample is a "line" and a step of its own. */
	replay_sample_text(rp, rp->nr_samples - 1, text, sizeof(text));
	rp->s.lineno = (unsigned int)rp->nr_samples;
	script_notify_line(&rp->s, text);
	script_notify_step(&rp->s, rp->s.lineno, text, SCRIPT_OK);
	rp->s.lineno = lineno;
}

static const struct replay_cluster *find_cluster(const struct replay *rp, uint64_t addr)
{
	int lo = 0, hi = rp->lo.nr_clusters - 1;

	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;

		if (rp->lo.clusters[mid].start <= addr)
			lo = mid;
		else
			hi = mid - 1;
	}
	return &rp->lo.clusters[lo];
}

/* Accesses of one trace record beyond its first page: one per page, at the page start. */
static int access_rest(struct replay *rp, unsigned long addr, uint32_t size,
		       enum linmm_access acc)
{
	unsigned long end = addr + size - 1, pfn;
	int ret = 0;

	for (unsigned long a = (addr & PAGE_MASK) + PAGE_SIZE; !ret && a && a <= end;
	     a += PAGE_SIZE) {
		rp->translations++;
		ret = linmm_cpu_access(rp->tsk, a, acc, LINMM_MMU_USER, &pfn);
	}
	return ret;
}

static const enum linmm_access kind_access[NR_TRACE_KINDS] = {
	[TRACE_INSTR] = LINMM_ACCESS_EXEC,
	[TRACE_LOAD] = LINMM_ACCESS_READ,
	[TRACE_STORE] = LINMM_ACCESS_WRITE,
	[TRACE_MODIFY] = LINMM_ACCESS_WRITE,	/* one write access: see the top */
};

/*
 * Phase 3: every access of the trace.  The loop keeps its counters in
 * locals (the calls into the MMU would make the compiler reload them) and
 * stops for samples and the progress bar at one precomputed count.
 * Return: 0 (the end, or the task was killed), -EINVAL (the stream is bad).
 */
static int replay_run(struct replay *rp, bool progress_ok)
{
	struct task_struct *prev = get_current(), *tsk = rp->tsk;
	const bool relocate = rp->lo.relocated;
	uint64_t next_sample = rp->every, next_event, done = 0;
	struct trace_access a;
	struct lmt_reader rd;
	struct progress pg;
	double t0;
	int r;

	if (lmt_reader_init(&rd, rp->tl.buf, rp->tl.len, rp->tl.name))
		return -EINVAL;
	rp->last = &rp->lo.clusters[0];
	progress_start(&pg, "replay", progress_ok);
	next_event = pg.on && PROGRESS_EVERY < next_sample ? PROGRESS_EVERY : next_sample;
	set_current(tsk);
	t0 = now_seconds();
	while ((r = lmt_next(&rd, &a)) > 0) {
		unsigned long addr = (unsigned long)a.addr, pfn;
		enum linmm_access acc = kind_access[a.kind];
		int ret;

		if (relocate) {
			const struct replay_cluster *c = rp->last;

			if (a.addr - c->start >= c->end - c->start)
				rp->last = c = find_cluster(rp, a.addr);
			addr += (unsigned long)c->delta;
		}
		rp->s.lineno = (unsigned int)++done;	/* for --trace-events */
		ret = linmm_cpu_access(tsk, addr, acc, LINMM_MMU_USER, &pfn);
		if (__builtin_expect((addr & ~PAGE_MASK) + a.size > PAGE_SIZE, 0) && !ret)
			ret = access_rest(rp, addr, a.size, acc);
		if (__builtin_expect(ret != 0, 0)) {
			rp->killed = true;
			rp->killed_at = done;
			break;
		}
		if (__builtin_expect(done == next_event, 0)) {
			rp->done = done;
			if (done == next_sample) {
				record_sample(rp);
				next_sample += rp->every;
			}
			progress_update(&pg, (double)done, (double)rp->tl.total, "accesses");
			next_event = pg.on && done + PROGRESS_EVERY < next_sample ?
				     done + PROGRESS_EVERY : next_sample;
		}
	}
	rp->seconds = now_seconds() - t0;
	rp->done = done;
	rp->translations += done;	/* access_rest() counted the further pages */
	set_current(prev);
	progress_end(&pg);
	if (r < 0)
		return -EINVAL;
	if (!rp->nr_samples || rp->samples[rp->nr_samples - 1].accesses != rp->done)
		record_sample(rp);
	return 0;
}

/* ---- the subcommand ---- */

/* ---- the subcommand ---- */

struct replay_opts {
	bool json, time;
	const char *html_path, *trace_path, *events, *trace;
	uint64_t every;
	char cmdline[LINMM_CMDLINE_MAX];
};

static bool parse_opts(int argc, char **argv, struct replay_opts *o)
{
	unsigned long every;
	size_t len = 0;

	memset(o, 0, sizeof(*o));
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--json")) {
			o->json = true;
		} else if (!strcmp(a, "--time")) {
			o->time = true;
		} else if (!strcmp(a, "--html") || !strcmp(a, "--trace-events") ||
			   !strcmp(a, "--events") || !strcmp(a, "--sample-every")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "linmm: replay: %s needs a value\n", a);
				return false;
			}
			if (a[2] == 'h')
				o->html_path = argv[++i];
			else if (a[2] == 't')
				o->trace_path = argv[++i];
			else if (a[2] == 'e')
				o->events = argv[++i];
			else if (!script_parse_size(argv[++i], ~0UL, &every) || !every) {
				fprintf(stderr, "linmm: replay: --sample-every wants a number above 0, "
					"not '%s'\n", argv[i]);
				return false;
			} else
				o->every = every;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "linmm: replay: unknown option '%s' (see linmm replay --help)\n",
				a);
			return false;
		} else {
			/* Every word but the last is a boot parameter. */
			if (o->trace) {
				int n = snprintf(o->cmdline + len, sizeof(o->cmdline) - len, "%s%s",
						 len ? " " : "", o->trace);

				if (n < 0 || (size_t)n >= sizeof(o->cmdline) - len) {
					fprintf(stderr, "linmm: replay: the boot parameters are too "
						"long\n");
					return false;
				}
				len += (size_t)n;
			}
			o->trace = a;
		}
	}
	if (!o->trace) {
		fprintf(stderr, "linmm: replay needs a TRACE (a file, or - for standard input) "
			"after the options and boot parameters\n");
		return false;
	}
	if (o->events && !o->trace_path) {
		fprintf(stderr, "linmm: replay: --events goes with --trace-events FILE\n");
		return false;
	}
	return true;
}

/* The task's name: the command's program name without its directory. */
static void task_comm(const char *command, char *buf, size_t size)
{
	size_t n = strcspn(command, " \t");
	const char *p = command, *slash;

	while ((slash = memchr(p, '/', n - (size_t)(p - command))))
		p = slash + 1;
	n -= (size_t)(p - command);
	if (!n)
		snprintf(buf, size, "replay");
	else
		snprintf(buf, size, "%.*s", (int)n, p);
}

static int write_json(struct json_object *doc)
{
	const char *out = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
							 JSON_C_TO_STRING_NOSLASHESCAPE);

	if (fputs(out, stdout) == EOF || putchar('\n') == EOF || fflush(stdout))
		return -EIO;
	return 0;
}

/* Boot, spawn, map, replay and report. Return: the exit status. */
static int replay_machine(struct replay *rp, const struct replay_opts *o)
{
	char comm[TASK_COMM_LEN];
	int st = SCRIPT_OK, ret;

	linmm_printk_set_console(-1, 0);
	ret = linmm_boot(o->cmdline[0] ? o->cmdline : NULL);
	if (ret) {
		fprintf(stderr, "linmm: replay: boot: %s\n", linmm_last_error());
		return SCRIPT_ERROR;
	}
	linmm_printk_set_console(STDERR_FILENO, REPLAY_CONSOLE_LOGLEVEL);
	rp->s = (struct linmm_script){ .name = rp->tl.name, .booted = true };
	script_running = &rp->s;
	task_comm(rp->tl.command, comm, sizeof(comm));
	rp->tsk = linmm_spawn(comm);
	if (!rp->tsk) {
		fprintf(stderr, "linmm: replay: spawn: %s\n", linmm_last_error());
		st = SCRIPT_ERROR;
		goto out_shutdown;
	}
	if (map_layout(rp->tsk, &rp->lo)) {
		st = SCRIPT_ERROR;
		goto out_shutdown;
	}
	rp->every = o->every ? o->every :
		    rp->tl.total > DEFAULT_SAMPLES ? (rp->tl.total + DEFAULT_SAMPLES - 1) /
						     DEFAULT_SAMPLES : 1;
	rp->samples = calloc(rp->tl.total / rp->every + 2, sizeof(*rp->samples));
	if (!rp->samples) {
		fprintf(stderr, "linmm: replay: out of host memory\n");
		st = SCRIPT_ERROR;
		goto out_shutdown;
	}
	tlb_get_stats(-1, &rp->tlb0);
	rp->pgalloc0 = pgalloc_total();
	rp->pgfree0 = sum_vm_event(PGFREE);
	fflush(stdout);
	if (replay_run(rp, /* progress_ok = */ true)) {
		fprintf(stderr, "linmm: replay: %s: the trace changed under us\n", rp->tl.name);
		st = SCRIPT_ERROR;
		goto out_shutdown;
	}
	tlb_get_stats(-1, &rp->tlb1);
	if (rp->killed)
		st = SCRIPT_EXPECT_FAILED;
	if (o->json) {
		struct json_object *doc = replay_report_json(rp, st);

		if (write_json(doc))
			st = SCRIPT_ERROR;
		json_object_put(doc);
	} else {
		replay_report_text(rp);
		fflush(stdout);
	}
	if (o->time)
		fprintf(stderr, "replay: %llu accesses in %.3f s: %.2f M accesses/s (loading the "
			"trace %.3f s)\n", (unsigned long long)rp->done, rp->seconds,
			rp->seconds > 0 ? (double)rp->done / rp->seconds / 1e6 : 0.0,
			rp->load_seconds);
out_shutdown:
	script_running = NULL;
	linmm_printk_set_console(-1, 0);
	linmm_shutdown();
	return st;
}

int linmm_replay_main(int argc, char **argv)
{
	struct replay_opts *o = calloc(1, sizeof(*o));
	struct replay *rp = calloc(1, sizeof(*rp));
	int st = SCRIPT_ERROR;

	if (!o || !rp || !parse_opts(argc, argv, o))
		goto out_free;
	rp->load_seconds = now_seconds();
	if (load_trace(&rp->tl, o->trace, /* progress_ok = */ true)) {
		fprintf(stderr, "%s\n", rp->tl.err);
		goto out_free;
	}
	if (!rp->tl.total) {
		fprintf(stderr, "%s: no accesses in the trace\n", rp->tl.name);
		goto out_free;
	}
	if (build_layout(&rp->tl, &rp->lo)) {
		fprintf(stderr, "linmm: replay: out of host memory\n");
		goto out_free;
	}
	rp->load_seconds = now_seconds() - rp->load_seconds;
	if (o->trace_path && script_trace_begin(o->trace_path, o->events))
		goto out_free;
	if (o->html_path)
		script_html_begin(rp->tl.name);
	st = replay_machine(rp, o);
	if (o->html_path) {
		int ret = script_html_write(o->html_path, st);

		if (ret) {
			fprintf(stderr, "linmm: --html: cannot write '%s': %s\n", o->html_path,
				strerror(-ret));
			if (st == SCRIPT_OK)
				st = SCRIPT_ERROR;
		}
	}
	if (o->trace_path && script_trace_end() && st == SCRIPT_OK)
		st = SCRIPT_ERROR;
out_free:
	if (rp) {
		free(rp->samples);
		layout_release(&rp->lo);
		pset_release(&rp->tl.pages);
		free(rp->tl.buf);
	}
	free(rp);
	free(o);
	return st;
}
