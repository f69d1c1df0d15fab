/* SPDX-License-Identifier: MIT */
/*
 * test_proc_formats.c - differential format test: linmm's x86_64
 * /proc/{meminfo,vmstat,zoneinfo,buddyinfo,pagetypeinfo,iomem} against the
 * host kernel's live files, read at test time.
 *
 * Values differ between the machines; what must agree is the shape:
 *   - the sequence of line "keys": each line with runs of blanks collapsed
 *     and each number replaced by '#' ("Node #, zone DMA32 # # ...");
 *   - the columns: for every number of a matched line pair, either its first
 *     or its last column is the same in both (left- or right-aligned
 *     fields), so a wrong field width shows even when values differ.
 * Repetition that depends on the machine is reduced first: only node 0 is
 * compared, per-CPU pagesets only for CPU 0, zones only where both machines
 * have the zone populated (or both empty).
 *
 * Config-dependent lines are dropped when only one side has them: the host
 * may be built with or without CONFIG_ZSWAP (Zswap, Zswapped, zswp*),
 * CONFIG_MEMORY_BALLOON (Balloon, balloon_*, nr_balloon_pages),
 * CONFIG_CMA (CmaTotal, CmaFree, cma_*, type CMA), CONFIG_SWAP (swap_ra*,
 * swp*_zero, nr_swapcached), CONFIG_KSM, CONFIG_NUMA_BALANCING
 * (pgpromote_*, numa_pte_updates...), CONFIG_ZSMALLOC (nr_zspages),
 * CONFIG_UNACCEPTED_MEMORY, CONFIG_SHADOW_CALL_STACK, CONFIG_MEMORY_FAILURE
 * (HardwareCorrupted), CONFIG_MEMTEST (EarlyMemtestBad), CONFIG_IOMMU_SUPPORT
 * (nr_iommu_pages), CONFIG_HUGETLB_PAGE, CONFIG_DEBUG_TLBFLUSH,
 * CONFIG_PER_VMA_LOCK_STATS, CONFIG_DEBUG_STACK_USAGE, PUD-sized THP, GB
 * pages (DirectMap1G), and ZONE_DEVICE/ZONE_DMA (pgalloc_device ...).
 * Anything else that differs fails the test.  A file the host does not let
 * us read (pagetypeinfo is 0400), or a host kernel other than 6.18, skips
 * the test.
 */
#include "linmm_test.h"

#include <ctype.h>

#include "kernel/machine.h"

#define MAX_LINES 4096

struct lines {
	char *buf;
	char *line[MAX_LINES];
	int n;
};

static const char *const config_dependent[] = {
	/* meminfo */
	"Zswap", "Zswapped", "Balloon", "ShadowCallStack", "HardwareCorrupted",
	"EarlyMemtestBad", "CmaTotal", "CmaFree", "Unaccepted", "DirectMap1G", "MmapCopy",
	/* vmstat / zoneinfo names (prefixes end with '*') */
	"nr_zspages", "nr_unaccepted", "nr_shadow_call_stack", "nr_iommu_pages", "nr_swapcached",
	"pgpromote_*", "nr_hugetlb", "nr_balloon_pages", "cma_*", "balloon_*", "nr_tlb_*",
	"swap_ra*", "swpin_zero", "swpout_zero", "ksm_swpin_copy", "cow_ksm", "zswp*",
	"vma_lock_*", "kstack_*", "thp_split_pud", "htlb_buddy_alloc_*", "numa_pte_updates",
	"numa_huge_pte_updates", "numa_hint_faults*", "numa_pages_migrated",
	"pgalloc_device", "allocstall_device", "pgskip_device", "pgalloc_dma",
	"allocstall_dma", "pgskip_dma", "nr_free_cma",
	/* CONFIG_NUMA */
	"numa_hit", "numa_miss", "numa_foreign", "numa_interleave", "numa_local", "numa_other",
	"zone_reclaim_*",
	/* CONFIG_TRANSPARENT_HUGEPAGE, CONFIG_HUGETLB_PAGE */
	"thp_*", "AnonHugePages", "ShmemHugePages", "ShmemPmdMapped", "FileHugePages",
	"FilePmdMapped", "HugePages_*", "Hugepagesize", "Hugetlb",
};

static char *read_host(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t size = 0, cap = 65536;
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(cap);
	assert_non_null(buf);
	for (;;) {
		size_t n = fread(buf + size, 1, cap - size - 1, f);

		size += n;
		if (size + 1 < cap)
			break;
		cap *= 2;
		buf = realloc(buf, cap);
		assert_non_null(buf);
	}
	fclose(f);
	buf[size] = '\0';
	if (!size) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Take ownership of @text and index its lines (newlines become NULs). */
static void split(struct lines *l, char *text)
{
	l->buf = text;
	l->n = 0;
	for (char *p = text; *p && l->n < MAX_LINES;) {
		char *nl = strchr(p, '\n');

		l->line[l->n++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
}

static void lines_free(struct lines *l, bool linmm_owned)
{
	if (linmm_owned)
		linmm_free(l->buf);
	else
		free(l->buf);
}

/* Blanks collapsed, numbers as '#', leading/trailing blanks dropped. */
static void key_of(const char *line, char *key, size_t size)
{
	size_t k = 0;

	while (*line == ' ' || *line == '\t')
		line++;
	while (*line && k + 2 < size) {
		if (*line == ' ' || *line == '\t') {
			while (*line == ' ' || *line == '\t')
				line++;
			if (*line)
				key[k++] = ' ';
			continue;
		}
		if (isdigit((unsigned char)*line)) {
			while (isdigit((unsigned char)*line))
				line++;
			key[k++] = '#';
			continue;
		}
		key[k++] = *line++;
	}
	key[k] = '\0';
}

/* The line's name: the first word, without a trailing ':'. */
static void name_of(const char *line, char *name, size_t size)
{
	size_t k = 0;

	while (*line == ' ')
		line++;
	while (*line && *line != ' ' && *line != ':' && k + 1 < size)
		name[k++] = *line++;
	name[k] = '\0';
}

static bool is_config_dependent(const char *name)
{
	for (size_t i = 0; i < sizeof(config_dependent) / sizeof(config_dependent[0]); i++) {
		const char *c = config_dependent[i];
		size_t len = strlen(c);

		if (c[len - 1] == '*' ? !strncmp(name, c, len - 1) : !strcmp(name, c))
			return true;
	}
	return false;
}

static bool has_name(const struct lines *l, const char *name)
{
	char n[128];

	for (int i = 0; i < l->n; i++) {
		name_of(l->line[i], n, sizeof(n));
		if (!strcmp(n, name))
			return true;
	}
	return false;
}

/* Drop config-dependent lines that the other side lacks. */
static void filter_config(struct lines *a, const struct lines *b)
{
	int k = 0;
	char n[128];

	for (int i = 0; i < a->n; i++) {
		name_of(a->line[i], n, sizeof(n));
		if (is_config_dependent(n) && !has_name(b, n))
			continue;
		a->line[k++] = a->line[i];
	}
	a->n = k;
}

/*
 * Each number sits where the other line's does: measured from the end of the
 * previous number, either its start (left-aligned or free fields, "%lu")
 * or its end (right-aligned fields, "%8lu") matches.
 */
static void check_columns(const char *a, const char *b, const char *what)
{
	const char *pa = a, *pb = b, *ea = a, *eb = b;

	for (;;) {
		long ga, gb, wa = 0, wb = 0;

		while (*pa && !isdigit((unsigned char)*pa))
			pa++;
		while (*pb && !isdigit((unsigned char)*pb))
			pb++;
		if (!*pa || !*pb)
			break;
		ga = pa - ea;
		gb = pb - eb;
		while (isdigit((unsigned char)pa[wa]))
			wa++;
		while (isdigit((unsigned char)pb[wb]))
			wb++;
		if (ga != gb && ga + wa != gb + wb)
			fail_msg("%s: column mismatch\n  linmm: '%s'\n  host:  '%s'", what, a, b);
		pa += wa;
		pb += wb;
		ea = pa;
		eb = pb;
	}
}

static void compare_lines(const struct lines *ours, const struct lines *host, const char *what)
{
	char ka[512], kb[512];
	int n = ours->n < host->n ? ours->n : host->n;

	for (int i = 0; i < n; i++) {
		key_of(ours->line[i], ka, sizeof(ka));
		key_of(host->line[i], kb, sizeof(kb));
		if (strcmp(ka, kb))
			fail_msg("%s line %d differs\n  linmm: '%s'\n  host:  '%s'", what, i + 1,
				 ours->line[i], host->line[i]);
		check_columns(ours->line[i], host->line[i], what);
	}
	if (ours->n != host->n)
		fail_msg("%s: %d lines in linmm, %d on the host (first extra: '%s')", what, ours->n,
			 host->n, ours->n > host->n ? ours->line[n] : host->line[n]);
}

/* The formats compared are 6.18's: other host kernels skip the comparison. */
static bool host_is_6_18(void)
{
	char *release = read_host("/proc/sys/kernel/osrelease");
	bool ok = release && !strncmp(release, "6.18.", 5);

	free(release);
	return ok;
}

static bool read_both(const char *path, struct lines *ours, struct lines *host)
{
	char *h;
	char *o;

	if (!host_is_6_18())
		return false;
	h = read_host(path);
	if (!h)
		return false;
	o = linmm_proc_read(path);
	if (!o)
		fail_msg("%s: %s", path, linmm_last_error());
	split(host, h);
	split(ours, o);
	return true;
}

static void test_meminfo(void **state)
{
	struct lines ours, host;

	boot_or_fail("mem=6G cpus=2");
	if (!read_both("/proc/meminfo", &ours, &host))
		skip();
	filter_config(&ours, &host);
	filter_config(&host, &ours);
	compare_lines(&ours, &host, "/proc/meminfo");
	lines_free(&ours, true);
	lines_free(&host, false);
}

static void test_vmstat(void **state)
{
	struct lines ours, host;

	boot_or_fail("mem=6G cpus=2");
	if (!read_both("/proc/vmstat", &ours, &host))
		skip();
	filter_config(&ours, &host);
	filter_config(&host, &ours);
	compare_lines(&ours, &host, "/proc/vmstat");
	lines_free(&ours, true);
	lines_free(&host, false);
}

/* The lines of node 0's zone @zone, pagesets of CPU 0 only; n = 0 if absent. */
static void zone_block(const struct lines *all, const char *zone, struct lines *out)
{
	char header[64];
	bool in = false, skip_cpu = false;

	snprintf(header, sizeof(header), "Node 0, zone %8s", zone);
	out->buf = NULL;
	out->n = 0;
	for (int i = 0; i < all->n; i++) {
		const char *l = all->line[i];
		int cpu;

		if (!strncmp(l, "Node ", 5)) {
			in = !strcmp(l, header);
			skip_cpu = false;
		}
		if (!in)
			continue;
		if (sscanf(l, "    cpu: %d", &cpu) == 1)
			skip_cpu = cpu != 0;
		else if (!strncmp(l, "  node_unreclaimable", 20))
			skip_cpu = false;
		if (!skip_cpu)
			out->line[out->n++] = all->line[i];
	}
}

static bool block_populated(const struct lines *b)
{
	for (int i = 0; i < b->n; i++)
		if (!strncmp(b->line[i], "  pagesets", 10))
			return true;
	return false;
}

static void test_zoneinfo(void **state)
{
	static const char *const zones[] = { "DMA", "DMA32", "Normal", "HighMem", "Movable",
					     "Device" };
	struct lines ours, host;
	int compared = 0;

	boot_or_fail("mem=6G cpus=2");
	if (!read_both("/proc/zoneinfo", &ours, &host))
		skip();
	for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		struct lines a, b;
		char what[64];
		bool first_a, first_b;

		zone_block(&ours, zones[z], &a);
		zone_block(&host, zones[z], &b);
		if (!a.n || !b.n || block_populated(&a) != block_populated(&b))
			continue;
		/* Per-node stats only follow the first populated zone of each machine. */
		first_a = a.n > 1 && !strcmp(a.line[1], "  per-node stats");
		first_b = b.n > 1 && !strcmp(b.line[1], "  per-node stats");
		if (first_a != first_b)
			continue;
		filter_config(&a, &b);
		filter_config(&b, &a);
		snprintf(what, sizeof(what), "/proc/zoneinfo zone %s", zones[z]);
		compare_lines(&a, &b, what);
		compared++;
	}
	assert_true(compared >= 3);	/* DMA (with per-node stats), DMA32, Normal or empties */
	lines_free(&ours, true);
	lines_free(&host, false);
}

/* Keep the lines of node 0 naming a zone populated on both sides, plus headers. */
static void common_zone_lines(struct lines *a, const struct lines *b)
{
	static const char *const zones[] = { "DMA", "DMA32", "Normal", "HighMem", "Movable" };
	int k = 0;

	for (int i = 0; i < a->n; i++) {
		const char *l = a->line[i];
		bool keep = true;

		if (!strncmp(l, "Node ", 5)) {
			keep = false;
			for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
				char pat[40];
				bool in_b = false;

				snprintf(pat, sizeof(pat), "zone %8s", zones[z]);
				if (!strstr(l, pat) || (strncmp(l, "Node 0,", 7) && strncmp(l, "Node    0,", 10)))
					continue;
				for (int j = 0; j < b->n && !in_b; j++)
					in_b = strstr(b->line[j], pat) != NULL;
				keep = in_b;
			}
		}
		if (strstr(l, "type          CMA"))
			keep = false;
		if (keep)
			a->line[k++] = a->line[i];
	}
	a->n = k;
}

static void test_buddyinfo(void **state)
{
	struct lines ours, host;

	boot_or_fail("mem=6G cpus=2");
	if (!read_both("/proc/buddyinfo", &ours, &host))
		skip();
	common_zone_lines(&ours, &host);
	common_zone_lines(&host, &ours);
	assert_true(ours.n >= 2);
	compare_lines(&ours, &host, "/proc/buddyinfo");
	lines_free(&ours, true);
	lines_free(&host, false);
}

static void test_pagetypeinfo(void **state)
{
	struct lines ours, host;
	bool host_cma;

	boot_or_fail("mem=6G cpus=2");
	if (!read_both("/proc/pagetypeinfo", &ours, &host))
		skip();
	/* A CONFIG_CMA host has one more column in the block counts: compare the free part only. */
	host_cma = false;
	for (int i = 0; i < host.n; i++)
		if (!strncmp(host.line[i], "Number of blocks type", 21) && strstr(host.line[i], " CMA "))
			host_cma = true;
	if (host_cma) {
		for (int i = 0; i < host.n; i++)
			if (!strncmp(host.line[i], "Number of blocks type", 21))
				host.n = i;
		for (int i = 0; i < ours.n; i++)
			if (!strncmp(ours.line[i], "Number of blocks type", 21))
				ours.n = i;
	}
	common_zone_lines(&ours, &host);
	common_zone_lines(&host, &ours);
	compare_lines(&ours, &host, "/proc/pagetypeinfo");
	lines_free(&ours, true);
	lines_free(&host, false);
}

/* iomem: every line is "%*s%08llx-%08llx : name" with two blanks per level. */
static void check_iomem_line(const char *l, const char *what)
{
	int indent = 0;
	const char *p = l;
	size_t w1 = 0, w2 = 0;

	while (*p == ' ')
		p++, indent++;
	if (indent % 2)
		fail_msg("%s: odd indentation: '%s'", what, l);
	while (isxdigit((unsigned char)p[w1]))
		w1++;
	if (p[w1] != '-')
		fail_msg("%s: no '-': '%s'", what, l);
	while (isxdigit((unsigned char)p[w1 + 1 + w2]))
		w2++;
	if (w1 < 8 || w2 < 8 || strncmp(p + w1 + 1 + w2, " : ", 3))
		fail_msg("%s: bad range format: '%s'", what, l);
}

static void test_iomem(void **state)
{
	struct lines ours, host;
	bool host_zeroes = true;

	boot_or_fail("mem=6G cpus=2");
	if (!read_both("/proc/iomem", &ours, &host))
		skip();
	for (int i = 0; i < host.n; i++) {
		check_iomem_line(host.line[i], "host /proc/iomem");
		host_zeroes &= !strncmp(host.line[i] + strspn(host.line[i], " "), "00000000-00000000", 17);
	}
	for (int i = 0; i < ours.n; i++)
		check_iomem_line(ours.line[i], "linmm /proc/iomem");
	/* The names both machines share appear with the same nesting (unless the host hid addresses). */
	if (!host_zeroes) {
		static const char *const names[] = { ": System RAM", ": Kernel code", ": Kernel rodata",
						     ": Kernel data", ": Kernel bss" };

		for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
			int ia = -1, ib = -1;

			for (int i = 0; i < ours.n && ia < 0; i++)
				if (strstr(ours.line[i], names[n]))
					ia = (int)strspn(ours.line[i], " ");
			for (int i = 0; i < host.n && ib < 0; i++)
				if (strstr(host.line[i], names[n]))
					ib = (int)strspn(host.line[i], " ");
			if (ia >= 0 && ib >= 0)
				assert_int_equal(ia, ib);
		}
	}
	lines_free(&ours, true);
	lines_free(&host, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_meminfo, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_vmstat, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_zoneinfo, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_buddyinfo, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_pagetypeinfo, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_iomem, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
