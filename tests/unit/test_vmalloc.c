/* SPDX-License-Identifier: MIT */
/*
 * test_vmalloc.c - vmalloc, vmap, vm_map_ram, lazy purging, vmallocinfo,
 * guard-page oopses, kvmalloc.
 *
 * Oracles (none computed by the code under test):
 *   - the host MMU: bytes written through a vmalloc address are read back
 *     through the direct-map address of the page the init_mm walk names;
 *     a guard page really faults;
 *   - the kernel's numbers and texts: a 1-page vmalloc shows size 8192
 *     (guard page), lazy_max_pages() = fls(ncpus) x 8192 pages (16384 with
 *     2 CPUs), VmallocTotal 34359738367 kB on x86_64, the oops lines of
 *     arch/x86/mm/fault.c, "vmap allocation for size %lu failed: use
 *     vmalloc=<size> to increase size", the vmallocinfo line layout
 *     "0x%pK-0x%pK %7ld %pS pages=%d vmalloc N0=%u";
 *   - address arithmetic drawn by hand: the allocator is lowest fit:
 *
 *       A.B...C.      A, C: 1 page + guard; B: 4 pages + guard
 *       A.    C.      vfree(B), purge: a 5-page hole
 *       A.D...C.      vmalloc(4 pages) lands in it
 *
 * validate_vmalloc() and check_machine() run after every step.
 */
#include "linmm_test.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linmm/fault-inject.h>
#include <linmm/gfp.h>
#include <linmm/highmem.h>
#include <linmm/pgtable.h>
#include <linmm/printk.h>
#include <linmm/slab.h>
#include <linmm/vmalloc.h>
#include <linmm/vmstat.h>

#include "kernel/host.h"
#include "kernel/machine.h"
#include "mm/internal.h"

#define PG 4096UL

static void check_all(void)
{
	check_machine();
	assert_int_equal(validate_vmalloc(), 0);
}

static u64 kva(const void *p)
{
	return host_to_kva(p);
}

static char *vmallocinfo(void)
{
	char *s = linmm_proc_read("/proc/vmallocinfo");

	assert_non_null(s);
	return s;
}

/* The vmallocinfo line starting with the address of @p, or NULL (caller frees). */
static char *info_line(const void *p)
{
	char *all = vmallocinfo(), *line, *end, *ret = NULL;
	char key[40];

	snprintf(key, sizeof(key), "0x%016llx-", (unsigned long long)kva(p));
	line = strstr(all, key);
	if (line) {
		end = strchr(line, '\n');
		ret = strndup(line, (size_t)(end - line));
	}
	free(all);
	return ret;
}

static void test_contiguous_and_scattered(void **state)
{
	enum { N = 64 };
	struct page *hold[2 * N];
	unsigned long pfns[N];
	bool contiguous = true;
	char want[32];
	char *p;

	(void)state;
	boot_or_fail("mem=1G cpus=2 arch=x86_64");
	/* Fragment the free pages: every other page of a run stays allocated. */
	for (int i = 0; i < 2 * N; i++)
		hold[i] = alloc_page(GFP_KERNEL);
	for (int i = 0; i < 2 * N; i += 2)
		__free_page(hold[i]);
	p = vmalloc(N * PG);
	assert_non_null(p);
	assert_true(is_vmalloc_addr(p));
	assert_true(kva(p) >= VMALLOC_START && kva(p) < VMALLOC_END);
	for (int i = 0; i < N; i++) {
		struct page *page = kernel_walk_page(kva(p) + i * PG);

		assert_non_null(page);
		assert_ptr_equal(vmalloc_to_page(p + i * PG + 17), page);
		assert_int_equal(vmalloc_to_pfn(p + i * PG), page_to_pfn(page));
		pfns[i] = page_to_pfn(page);
		/* Write through vmalloc, read through the direct map. */
		snprintf(p + i * PG + 100, 32, "page %d", i);
		snprintf(want, sizeof(want), "page %d", i);
		assert_string_equal((char *)page_address(page) + 100, want);
		for (int j = 0; j < i; j++)
			assert_int_not_equal(pfns[j], pfns[i]);
		if (i && pfns[i] != pfns[i - 1] + 1)
			contiguous = false;
	}
	assert_false(contiguous);
	/* The guard page after the area is not mapped. */
	assert_null(kernel_walk_page(kva(p) + N * PG));
	check_all();
	vfree(p);
	for (int i = 1; i < 2 * N; i += 2)
		__free_page(hold[i]);
	check_all();
}

/*
 * vfree() hands the pages back so that the next vmalloc maps one physical
 * run: pages that came off the per-CPU list in descending pfn order (a
 * list reversed by a first-to-last free) come back ascending.
 *
 *   pcp head -> 31 30 29 ... 0     vmalloc A maps them descending
 *   vfree(A), pcp head -> 0 1 ... 31   vmalloc B maps them ascending
 */
static void test_vfree_turns_list_around(void **state)
{
	enum { N = 32 };
	unsigned long a[N], b[N];
	struct page *hold[N];
	char *p;

	(void)state;
	boot_or_fail("mem=1G cpus=1 arch=x86_64");
	/* Warm up: slab caches and page tables of the first areas exist. */
	p = vmalloc(N * PG);
	assert_non_null(p);
	vfree(p);
	check_all();
	for (int i = 0; i < N; i++) {
		hold[i] = alloc_page(GFP_KERNEL);
		assert_non_null(hold[i]);
	}
	for (int i = 0; i < N; i++)	/* first to last: the list head is the last one */
		__free_page(hold[i]);
	check_all();
	p = vmalloc(N * PG);
	assert_non_null(p);
	for (int i = 0; i < N; i++)
		a[i] = vmalloc_to_pfn(p + i * PG);
	check_all();
	vfree(p);
	check_all();
	p = vmalloc(N * PG);
	assert_non_null(p);
	for (int i = 0; i < N; i++)
		b[i] = vmalloc_to_pfn(p + i * PG);
	/* B: A's pages, ascending. */
	for (int i = 1; i < N; i++)
		assert_true(b[i] > b[i - 1]);
	for (int i = 0; i < N; i++) {
		bool found = false;

		for (int j = 0; j < N; j++)
			found |= a[j] == b[i];
		assert_true(found);
	}
	check_all();
	vfree(p);
	check_all();
}

struct overrun {
	volatile char *p;
	unsigned long off;
	bool write;
};

static void overrun_fn(void *arg)
{
	struct overrun *o = arg;

	if (o->write)
		o->p[o->off] = 'x';
	else
		(void)o->p[o->off];
}

static void test_guard_page_oops(void **state)
{
	struct overrun o;
	char line[128];
	char *p;

	(void)state;
	boot_or_fail("mem=1G cpus=2 arch=x86_64");
	p = vmalloc(2 * PG);
	assert_non_null(p);
	/* In bounds: no fault. */
	o = (struct overrun){ p, 2 * PG - 1, true };
	assert_int_equal(linmm_oops_catch(overrun_fn, &o), 0);
	/* One byte past the end: the guard page. */
	o.off = 2 * PG;
	assert_int_equal(linmm_oops_catch(overrun_fn, &o), -EFAULT);
	snprintf(line, sizeof(line), "BUG: unable to handle page fault for address: %016llx",
		 (unsigned long long)(kva(p) + 2 * PG));
	assert_true(dmesg_contains(line));
	assert_true(dmesg_contains("#PF: supervisor write access in kernel mode"));
	assert_true(dmesg_contains("#PF: error_code(0x0002) - not-present page"));
	assert_true(dmesg_contains("Oops: 0002 [#1] PREEMPT SMP NOPTI"));
	assert_true(dmesg_contains(" PTE 0 \n") || dmesg_contains(" PTE 0 "));
	snprintf(line, sizeof(line), "CR2: %016llx", (unsigned long long)(kva(p) + 2 * PG));
	assert_true(dmesg_contains(line));
	/* A read is reported as one, and counted as the second oops. */
	o.write = false;
	assert_int_equal(linmm_oops_catch(overrun_fn, &o), -EFAULT);
	assert_true(dmesg_contains("#PF: supervisor read access in kernel mode"));
	assert_true(dmesg_contains("Oops: 0000 [#2]"));
	/* The process lives on and the area is intact. */
	p[0] = 'a';
	assert_int_equal(p[0], 'a');
	vfree(p);
	/*
	 * Use after vfree: the PTEs go at once (the walk finds nothing), the
	 * TLB flush waits for the purge, and the host mapping is that TLB:
	 * until the purge the old page is still reached, after it the access
	 * faults (the kernel's own stale-TLB window, see mm/vmalloc.c).
	 */
	assert_null(vmalloc_to_page(p));
	o = (struct overrun){ p, 0, false };
	assert_int_equal(linmm_oops_catch(overrun_fn, &o), 0);
	vm_unmap_aliases();
	assert_int_equal(linmm_oops_catch(overrun_fn, &o), -EFAULT);
	snprintf(line, sizeof(line), "BUG: unable to handle page fault for address: %016llx",
		 (unsigned long long)kva(p));
	assert_true(dmesg_contains(line));
	check_all();
}

/*
 * The purge's host flush goes run by run, never over the union of the
 * purged ranges, which holds live areas:
 *
 *   A.B.C.D.   1 page + guard each; vfree A, C, D: lazy, still host-mapped
 *   ..B.....   purge: A and C+D are holes (two runs), B keeps its mapping
 */
static void test_purge_keeps_busy_mappings(void **state)
{
	char *a, *b, *c, *d;
	struct overrun o;

	(void)state;
	boot_or_fail("mem=1G cpus=2 arch=x86_64");
	a = vmalloc(PG);
	b = vmalloc(PG);
	c = vmalloc(PG);
	d = vmalloc(PG);
	assert_true(a && b && c && d);
	assert_int_equal(kva(b), kva(a) + 2 * PG);
	assert_int_equal(kva(d), kva(c) + 2 * PG);
	b[0] = 'b';
	vfree(a);
	vfree(c);
	vfree(d);
	check_all();
	vm_unmap_aliases();
	check_all();
	assert_int_equal(b[0], 'b');
	b[PG - 1] = 'B';
	assert_int_equal(((char *)page_address(vmalloc_to_page(b)))[PG - 1], 'B');
	o = (struct overrun){ a, 0, false };
	assert_int_equal(linmm_oops_catch(overrun_fn, &o), -EFAULT);
	o.p = c;
	assert_int_equal(linmm_oops_catch(overrun_fn, &o), -EFAULT);
	o.p = d;
	assert_int_equal(linmm_oops_catch(overrun_fn, &o), -EFAULT);
	/* The holes are reused (lowest fit) and map again. */
	a = vmalloc(PG);
	assert_int_equal(kva(a), kva(b) - 2 * PG);
	a[0] = 'a';
	assert_int_equal(((char *)page_address(vmalloc_to_page(a)))[0], 'a');
	vfree(a);
	vfree(b);
	check_all();
}

/*
 * With 8 CPUs lazy_max_pages() is fls(8) x 8192 = 32768, but at most 16384
 * lazily freed pages keep their host mapping (host VMAs are limited).  A
 * 4 MiB vfree leaves 1028 lazy pages (area 1025 + its pages[] array 3, see
 * test_lazy_purge_threshold): after 15 of them 15420 are stale; the 16th
 * area would make 16445, so it is unmapped from the host at once and a use
 * after vfree faults; the earlier ones still reach their old pages.
 */
static void test_stale_budget(void **state)
{
	struct vmalloc_stats st;
	struct overrun o;
	char *p[16];

	(void)state;
	boot_or_fail("mem=1G cpus=8 arch=x86_64");
	vmalloc_get_stats(&st);
	assert_int_equal(st.lazy_max_pages, 32768);
	for (int i = 0; i < 16; i++) {
		p[i] = vmalloc(4 * SZ_1M);
		assert_non_null(p[i]);
	}
	for (int i = 0; i < 16; i++)
		vfree(p[i]);
	check_all();
	vmalloc_get_stats(&st);
	assert_int_equal(st.lazy_pages, 16 * 1028);
	assert_int_equal(st.tlb_flushes, 0);
	o = (struct overrun){ p[14], 4 * SZ_1M - 1, false };
	assert_int_equal(linmm_oops_catch(overrun_fn, &o), 0);
	o.p = p[15];
	o.off = 0;
	assert_int_equal(linmm_oops_catch(overrun_fn, &o), -EFAULT);
	vm_unmap_aliases();
	o.p = p[14];
	assert_int_equal(linmm_oops_catch(overrun_fn, &o), -EFAULT);
	check_all();
}

/* Exported (ENABLE_EXPORTS) so that %pS names it: "test_vmalloc_caller+0x../0x..". */
void *test_vmalloc_caller(unsigned long size);
__attribute__((noinline)) void *test_vmalloc_caller(unsigned long size)
{
	void *p = vmalloc(size);

	/* No tail call: the callee's return address must be in this function. */
	__asm__ volatile("" : "+r"(p));
	return p;
}

/*
 * With no linmm_oops_catch() around it, an overrun is the kernel's oops,
 * printed from the signal handler, and the process dies of SIGSEGV as the
 * kernel kills the task.  Run in a child; its console is a pipe.
 */
static void test_uncaught_oops_kills(void **state)
{
	char buf[8192], want[96];
	size_t len = 0;
	int fds[2], status;
	pid_t pid;
	char *p;

	(void)state;
#ifdef __SANITIZE_THREAD__
	/* The report allocates in signal context, which TSan reports; the path is the same. */
	skip();
#endif
	boot_or_fail("mem=1G cpus=2 arch=x86_64");
	p = vmalloc(PG);
	assert_non_null(p);
	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		linmm_printk_set_console(fds[1], 7);
		((volatile char *)p)[PG] = 1;	/* the guard page */
		_exit(0);
	}
	close(fds[1]);
	for (ssize_t n; (n = read(fds[0], buf + len, sizeof(buf) - 1 - len)) > 0;)
		len += (size_t)n;
	buf[len] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSEGV);
	snprintf(want, sizeof(want), "BUG: unable to handle page fault for address: %016llx",
		 (unsigned long long)(kva(p) + PG));
	assert_non_null(strstr(buf, want));
	assert_non_null(strstr(buf, "Oops: 0002 [#1]"));
	vfree(p);
	check_all();
}

static void test_vmallocinfo_format(void **state)
{
	struct vmalloc_stats st;
	char *line, want[160];
	char *p, *q, *big;

	(void)state;
	boot_or_fail("mem=1G cpus=2 arch=x86_64");
	p = test_vmalloc_caller(PG);
	assert_non_null(p);
	line = info_line(p);
	assert_non_null(line);
	snprintf(want, sizeof(want), "0x%016llx-0x%016llx    8192 test_vmalloc_caller+0x",
		 (unsigned long long)kva(p), (unsigned long long)(kva(p) + 2 * PG));
	assert_true(!strncmp(line, want, strlen(want)));
	assert_non_null(strstr(line, " pages=1 vmalloc N0=1"));
	assert_int_equal(line[strlen(line) - 1], '1');
	free(line);

	/* 600 pages need a 4800-byte pages[] array: vmalloc'ed itself ("vpages"). */
	big = vzalloc(600 * PG);
	assert_non_null(big);
	line = info_line(big);
	assert_non_null(strstr(line, " pages=600 vmalloc vpages N0=600"));
	free(line);
	for (unsigned long i = 0; i < 600 * PG; i += 997)
		assert_int_equal(big[i], 0);

	q = vmalloc_user(3 * PG);
	line = info_line(q);
	assert_non_null(strstr(line, "   16384 "));
	assert_non_null(strstr(line, " pages=3 vmalloc user N0=3"));
	free(line);

	/* VmallocUsed counts the pages of vmalloc areas (1 + 600 + 2 for pages[] + 3). */
	assert_int_equal(vmalloc_nr_pages(), 1 + 600 + 2 + 3);
	line = linmm_proc_read("/proc/meminfo");
	assert_non_null(strstr(line, "VmallocTotal:   34359738367 kB"));
	snprintf(want, sizeof(want), "VmallocUsed:    %8lu kB", (1 + 600 + 2 + 3) * 4UL);
	assert_non_null(strstr(line, want));
	assert_non_null(strstr(line, "VmallocChunk:          0 kB"));
	free(line);

	/* Freed areas stay as "unpurged vm_area" until purged. */
	vfree(q);
	line = vmallocinfo();
	snprintf(want, sizeof(want), "0x%016llx-0x%016llx   16384 unpurged vm_area\n",
		 (unsigned long long)kva(q), (unsigned long long)(kva(q) + 4 * PG));
	assert_non_null(strstr(line, want));
	free(line);
	vmalloc_get_stats(&st);
	assert_int_equal(st.lazy_pages, 4);
	vm_unmap_aliases();
	line = vmallocinfo();
	assert_null(strstr(line, "unpurged"));
	free(line);
	vmalloc_get_stats(&st);
	assert_int_equal(st.lazy_pages, 0);
	assert_int_equal(st.tlb_flushes, 1);
	assert_int_equal(st.tlb_flush_pages, 4);
	vfree(big);
	vfree(p);
	check_all();
}

static void test_gap_search_and_alignment(void **state)
{
	char *a, *b, *c, *d, *e, *al;

	(void)state;
	boot_or_fail("mem=1G cpus=2 arch=x86_64");
	a = vmalloc(PG);
	b = vmalloc(4 * PG);
	c = vmalloc(PG);
	assert_int_equal(kva(a), VMALLOC_START);
	assert_int_equal(kva(b), VMALLOC_START + 2 * PG);
	assert_int_equal(kva(c), VMALLOC_START + 7 * PG);
	vfree(b);
	check_all();
	/* Not purged yet: the hole is not free, a new area goes after C. */
	e = vmalloc(PG);
	assert_int_equal(kva(e), VMALLOC_START + 9 * PG);
	vm_unmap_aliases();
	check_all();
	/* A 5-page request (4 + guard) fits the hole exactly. */
	d = vmalloc(4 * PG);
	assert_int_equal(kva(d), VMALLOC_START + 2 * PG);
	vfree(d);
	vfree(e);
	vm_unmap_aliases();
	/* Alignment: 64 KiB aligned start, lowest such address. */
	al = __vmalloc_node(PG, 16 * PG, GFP_KERNEL, NUMA_NO_NODE, NULL);
	assert_int_equal(kva(al) % (16 * PG), 0);
	assert_int_equal(kva(al), VMALLOC_START + 16 * PG);
	check_all();
	/*
	 * A.....C..[9 .. 16)AL.   holes of 5 and 7 pages below the aligned area:
	 * 4 pages go to the lower hole, 6 pages only fit the upper one.
	 */
	e = vmalloc(3 * PG);
	assert_int_equal(kva(e), VMALLOC_START + 2 * PG);
	d = vmalloc(5 * PG);
	assert_int_equal(kva(d), VMALLOC_START + 9 * PG);
	vfree(a);
	vfree(c);
	vfree(d);
	vfree(e);
	vfree(al);
	vm_unmap_aliases();
	check_all();
	/* Everything merged back: the next area is at VMALLOC_START again. */
	a = vmalloc(PG);
	assert_int_equal(kva(a), VMALLOC_START);
	vfree(a);
	check_all();
}

/* Many areas freed in random order: the trees stay valid and merge fully. */
static void test_fragmentation(void **state)
{
	enum { N = 300 };
	char *p[N];

	(void)state;
	boot_or_fail("mem=1G cpus=2 arch=x86_64");
	linmm_test_rnd = 42;
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < N; i++) {
			p[i] = vmalloc((next_rand() % 5 + 1) * PG);
			assert_non_null(p[i]);
		}
		assert_int_equal(validate_vmalloc(), 0);
		for (int i = 0; i < N; i++) {
			int j = (int)(next_rand() % N);
			char *t = p[i];

			p[i] = p[j];
			p[j] = t;
		}
		for (int i = 0; i < N; i++) {
			vfree(p[i]);
			if (i % 37 == 0) {
				vm_unmap_aliases();
				assert_int_equal(validate_vmalloc(), 0);
			}
		}
	}
	vm_unmap_aliases();
	check_all();
	p[0] = vmalloc(PG);
	assert_int_equal(kva(p[0]), VMALLOC_START);
	vfree(p[0]);
}

/*
 * lazy_max_pages() with 2 CPUs: fls(2) x 8192 = 16384 pages.  A 4 MiB
 * vmalloc is 1025 pages of area plus its 8 KiB pages[] array, vmalloc'ed
 * too (2 pages + guard): 1028 lazy pages per vfree, laid out back to back:
 *
 *   [area 1025][array 3][area 1025][array 3] ...
 *
 * The 16th vfree passes the threshold after its area (15 x 1028 + 1025 =
 * 16445 > 16384): one flush over exactly those 16445 pages, and only the
 * 16th array (3 pages) is left lazy.
 */
static void test_lazy_purge_threshold(void **state)
{
	struct vmalloc_stats st;
	char *p;

	(void)state;
	boot_or_fail("mem=1G cpus=2 arch=x86_64");
	vmalloc_get_stats(&st);
	assert_int_equal(st.lazy_max_pages, 16384);
	for (int i = 1; i <= 16; i++) {
		p = vmalloc(4 * SZ_1M);
		assert_non_null(p);
		vfree(p);
		vmalloc_get_stats(&st);
		if (i < 16) {
			assert_int_equal(st.lazy_pages, 1028UL * i);
			assert_int_equal(st.tlb_flushes, 0);
		}
		assert_int_equal(validate_vmalloc(), 0);
	}
	vmalloc_get_stats(&st);
	assert_int_equal(st.lazy_pages, 3);
	assert_int_equal(st.nr_purges, 1);
	assert_int_equal(st.tlb_flushes, 1);
	assert_int_equal(st.tlb_flush_pages, 15 * 1028 + 1025);
	check_all();
}

static void test_vmap_and_vm_map_ram(void **state)
{
	struct page *pages[3], *order[3], *many[65];
	char *v, *r, *r2, *r3, *line;

	(void)state;
	boot_or_fail("mem=1G cpus=2 arch=x86_64");
	for (int i = 0; i < 3; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		snprintf(page_address(pages[i]), 16, "page%d", i);
	}
	order[0] = pages[2];
	order[1] = pages[0];
	order[2] = pages[1];
	v = vmap(order, 3, VM_MAP, PAGE_KERNEL);
	assert_non_null(v);
	assert_string_equal(v, "page2");
	assert_string_equal(v + PG, "page0");
	assert_string_equal(v + 2 * PG, "page1");
	assert_ptr_equal(vmalloc_to_page(v + PG), pages[0]);
	line = info_line(v);
	assert_non_null(strstr(line, "   16384 "));
	assert_non_null(strstr(line, " vmap"));
	assert_null(strstr(line, "pages="));
	free(line);
	/* Writes through the vmap land in the pages. */
	v[PG + 1] = 'A';
	assert_int_equal(((char *)page_address(pages[0]))[1], 'A');

	/*
	 * 3 pages: rounded up to 4 and carved from this CPU's vmap block of
	 * VMAP_BBMAP_BITS = 1024 pages, shown as one 4 MiB vm_map_ram area; a
	 * second request follows in the same block.
	 */
	r = vm_map_ram(pages, 3, NUMA_NO_NODE);
	assert_non_null(r);
	assert_string_equal(r + 2 * PG, "page2");
	line = info_line(r);
	assert_non_null(line);
	assert_non_null(strstr(line, " 4194304 vm_map_ram"));
	free(line);
	assert_int_equal(kva(r) % (4 * SZ_1M), 0);
	r2 = vm_map_ram(pages, 1, NUMA_NO_NODE);
	assert_int_equal(kva(r2), kva(r) + 4 * PG);
	assert_null(kernel_walk_page(kva(r) + 3 * PG));	/* the 4th page of the first chunk */
	/* 65 pages (more than VMAP_MAX_ALLOC = 64) get an area of their own, no guard. */
	for (int i = 0; i < 65; i++)
		many[i] = pages[i % 3];
	r3 = vm_map_ram(many, 65, NUMA_NO_NODE);
	line = info_line(r3);
	assert_non_null(strstr(line, "  266240 vm_map_ram"));
	free(line);
	assert_string_equal(r3 + 64 * PG, "page1");
	check_all();
	vm_unmap_ram(r, 3);
	vm_unmap_ram(r2, 1);
	vm_unmap_ram(r3, 65);
	assert_null(kernel_walk_page(kva(r)));
	/* Nothing is left in the block: vm_unmap_aliases frees and purges it. */
	vm_unmap_aliases();
	line = vmallocinfo();
	assert_null(strstr(line, "vm_map_ram"));
	free(line);
	check_all();
	vunmap(v);
	assert_null(vmalloc_to_page(v));
	/* The pages were only borrowed. */
	for (int i = 0; i < 3; i++)
		__free_page(pages[i]);
	vm_unmap_aliases();
	check_all();
}

static void test_kvmalloc(void **state)
{
	void *small, *large, *huge;

	(void)state;
	boot_or_fail("mem=1G cpus=2 arch=x86_64");
	small = kvmalloc(100, GFP_KERNEL);
	assert_non_null(small);
	assert_false(is_vmalloc_addr(small));
	large = kvmalloc(3 * PG, GFP_KERNEL);
	assert_non_null(large);
	assert_false(is_vmalloc_addr(large));
	/* Beyond KMALLOC_MAX_SIZE (4 MiB) only vmalloc can serve it. */
	huge = kvzalloc(8 * SZ_1M, GFP_KERNEL);
	assert_non_null(huge);
	assert_true(is_vmalloc_addr(huge));
	assert_int_equal(((char *)huge)[8 * SZ_1M - 1], 0);
	/* A non-blocking request gets no vmalloc fallback. */
	assert_null(kvmalloc(8 * SZ_1M, GFP_NOWAIT));
	assert_null(kvmalloc_array(SIZE_MAX / 2, 4, GFP_KERNEL));
	kvfree(small);
	kvfree(large);
	kvfree(huge);
	kvfree(NULL);
	vm_unmap_aliases();
	check_all();
}

/* kmalloc of 3 pages fails (injected): kvmalloc falls back to vmalloc. */
static void test_kvmalloc_fallback(void **state)
{
	void *p;

	(void)state;
	boot_or_fail("mem=1G cpus=2 arch=x86_64");
	assert_int_equal(setup_fault_attr(&fail_page_alloc.attr, "1,100,0,1"), 0);
	fail_page_alloc.ignore_gfp_reclaim = false;
	p = kvmalloc(3 * PG, GFP_KERNEL);
	fail_page_alloc_reset();
	assert_non_null(p);
	assert_true(is_vmalloc_addr(p));
	kvfree(p);
	check_all();
}

/* kB free, in slabs (/proc/meminfo MemFree + Slab) or in init_mm's page tables. */
static unsigned long free_plus_slab_kb(void)
{
	char *mi = linmm_proc_read("/proc/meminfo");
	unsigned long memfree = 0, slab = 0;
	char *l;

	assert_non_null(mi);
	l = strstr(mi, "MemFree:");
	assert_non_null(l);
	memfree = strtoul(l + 8, NULL, 10);
	l = strstr(mi, "\nSlab:");
	assert_non_null(l);
	slab = strtoul(l + 6, NULL, 10);
	free(mi);
	/* Page tables of init_mm stay once made (areas at new addresses need new ones). */
	return memfree + slab + (unsigned long)atomic_load(&init_mm.pgtables_bytes) / 1024;
}

/*
 * A page allocation failure at every point of a vmalloc (the vm_struct's
 * slab, the 16 pages, the page tables) leaks nothing: the machine's free
 * and slab pages return to where they were, the trees validate.
 */
static void test_failure_no_leak(void **state)
{
	unsigned long before;
	struct vmalloc_stats st;
	int failures = 0;
	char *p;

	(void)state;
	boot_or_fail("mem=1G cpus=2 arch=x86_64");
	/* Warm up: page tables and slabs for the first areas exist from now on. */
	p = vmalloc(64 * PG);
	vfree(p);
	vm_unmap_aliases();
	drain_all_pages(NULL);
	refresh_vm_stats();
	before = free_plus_slab_kb();
	for (int n = 1; n <= 24; n++) {
		char spec[32];

		/*
		 * Let n - 1 page allocations through, fail the n-th and the
		 * next: a failed alloc_pages_bulk() call falls back to single
		 * pages, and the first of those must fail too.
		 */
		snprintf(spec, sizeof(spec), "1,100,%d,2", n);
		assert_int_equal(setup_fault_attr(&fail_page_alloc.attr, spec), 0);
		fail_page_alloc.ignore_gfp_reclaim = false;
		fail_page_alloc.min_order = 0;
		fail_page_alloc.ignore_gfp_highmem = false;
		p = vmalloc(16 * PG);
		fail_page_alloc_reset();
		if (p)
			vfree(p);	/* the failure hit an allocation with a fallback */
		else
			failures++;
		assert_int_equal(validate_vmalloc(), 0);
	}
	/*
	 * The 16 pages are one alloc_pages_bulk() call (one injection point,
	 * as in the kernel) and its single-page fallback; a failure there
	 * fails the vmalloc.  One that hits a slab refill (which retries at a
	 * lower order) does not, nor do those past the end.
	 */
	assert_true(failures >= 1);
	assert_true(dmesg_contains("vmalloc error: size 65536, failed to allocate pages"));
	/*
	 * failslab (space counts object bytes): the vm_struct, the vmap_area,
	 * the spare and the pages[] array fail in turn as space grows.
	 */
	failures = 0;
	for (int n = 1; n <= 400; n += 8) {
		char spec[32];

		snprintf(spec, sizeof(spec), "1,100,%d,1", n);
		assert_int_equal(setup_fault_attr(&failslab.attr, spec), 0);
		failslab.ignore_gfp_reclaim = false;
		p = vmalloc(16 * PG);
		failslab_reset();
		if (p)
			vfree(p);
		else
			failures++;
		assert_int_equal(validate_vmalloc(), 0);
	}
	assert_true(failures >= 3);
	vm_unmap_aliases();
	drain_all_pages(NULL);
	refresh_vm_stats();
	assert_int_equal(free_plus_slab_kb(), before);
	assert_int_equal(vmalloc_nr_pages(), 0);
	vmalloc_get_stats(&st);
	assert_int_equal(st.lazy_pages, 0);
	check_all();
}

/* x86_32: vmalloc pages come from HighMem, the window is the arch's ~100 MiB. */
static void test_x86_32(void **state)
{
	static const char *const cmdlines[] = { "mem=2G arch=x86_32", "mem=2G arch=x86_32-pae" };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cmdlines); i++) {
		char *p, *all, want[96];
		struct page *page;

		boot_or_fail(cmdlines[i]);
		p = vmalloc(4 * PG);
		assert_non_null(p);
		assert_int_equal(kva(p), VMALLOC_START);
		page = vmalloc_to_page(p + PG);
		assert_non_null(page);
		assert_true(PageHighMem(page));
		assert_null(page_address(page));
		memset(p, 0x5a, 4 * PG);
		assert_int_equal(p[4 * PG - 1], 0x5a);
		all = vmallocinfo();
		snprintf(want, sizeof(want), "0x%08llx-0x%08llx   20480 ", (unsigned long long)VMALLOC_START,
			 (unsigned long long)(VMALLOC_START + 5 * PG));
		assert_non_null(strstr(all, want));
		assert_null(strstr(all, " N0="));	/* no NUMA on x86_32 */
		free(all);
		/* vmap blocks are 64 pages here (VMAP_MAX_ALLOC = BITS_PER_LONG = 32). */
		{
			char *r = vm_map_ram(&page, 1, NUMA_NO_NODE);

			assert_non_null(r);
			assert_int_equal(r[0], 0x5a);	/* the HighMem page, a second view */
			all = vmallocinfo();
			assert_non_null(strstr(all, "  262144 vm_map_ram"));
			free(all);
			vm_unmap_ram(r, 1);
		}
		/* Larger than the window: the kernel's message, NULL. */
		assert_null(vmalloc(200 * SZ_1M));
		snprintf(want, sizeof(want), "vmap allocation for size %llu failed: use vmalloc=<size> to increase size",
			 (unsigned long long)(200 * SZ_1M + PG));
		assert_true(dmesg_contains(want));
		vfree(p);
		check_all();
		linmm_shutdown();
	}
}

/* NUMA: vmalloc_node() takes its pages on the node; vmallocinfo counts them per node. */
static void test_numa_nodes(void **state)
{
	char *p, *q, *line;

	(void)state;
	boot_or_fail("mem=2G nodes=2 cpus=2 arch=x86_64");
	p = vmalloc_node(8 * PG, 1);
	assert_non_null(p);
	for (int i = 0; i < 8; i++)
		assert_int_equal(page_to_nid(vmalloc_to_page(p + i * PG)), 1);
	line = info_line(p);
	assert_non_null(strstr(line, " pages=8 vmalloc N1=8"));
	free(line);
	q = vzalloc_node(3 * PG, 0);
	line = info_line(q);
	assert_non_null(strstr(line, " pages=3 vmalloc N0=3"));
	free(line);
	vfree(p);
	vfree(q);
	check_all();
}

/*
 * x86_64: the host reserves 16 GiB of the 32 TiB vmalloc area; a larger
 * request fails at the address reservation, before any page is taken,
 * with the kernel's message (VmallocTotal still reports the 32 TiB).
 */
static void test_x86_64_window_bound(void **state)
{
	char want[128];
	unsigned long free_before;

	(void)state;
	boot_or_fail("mem=20G cpus=2 arch=x86_64 backing=none");
	drain_all_pages(NULL);
	refresh_vm_stats();
	free_before = free_plus_slab_kb();
	assert_null(vmalloc(17 * SZ_1G));
	snprintf(want, sizeof(want),
		 "vmap allocation for size %llu failed: use vmalloc=<size> to increase size",
		 17 * SZ_1G + PG);
	assert_true(dmesg_contains(want));
	assert_true(dmesg_contains("vmalloc error: size 18253611008, vm_struct allocation failed"));
	/* No page was taken (the vm_struct's slab may be new: count it with the free pages). */
	drain_all_pages(NULL);
	refresh_vm_stats();
	assert_int_equal(free_plus_slab_kb(), free_before);
	check_all();
}

struct thread_arg {
	int cpu;
	unsigned long failed;
	u64 seed;
};

/* One simulated CPU: vmalloc areas of random sizes, each checked and freed. */
static void *thread_vmalloc(void *p)
{
	struct thread_arg *a = p;
	char *held[8] = { 0 };

	linmm_cpu_enter(a->cpu);
	for (int i = 0; i < 400; i++) {
		int slot;
		unsigned long pages;

		a->seed ^= a->seed << 13;
		a->seed ^= a->seed >> 7;
		a->seed ^= a->seed << 17;
		slot = (int)(a->seed % 8);
		pages = a->seed % 7 + 1;
		if (held[slot]) {
			if (held[slot][0] != (char)('a' + a->cpu))
				a->failed++;
			vfree(held[slot]);
			held[slot] = NULL;
			continue;
		}
		held[slot] = vmalloc(pages * PG);
		if (!held[slot]) {
			a->failed++;
			continue;
		}
		memset(held[slot], 'a' + a->cpu, pages * PG);
		if (vmalloc_to_page(held[slot] + (pages - 1) * PG) == NULL)
			a->failed++;
		/* A second view of the last page through this CPU's vmap block. */
		{
			struct page *pg = vmalloc_to_page(held[slot] + (pages - 1) * PG);
			char *r = vm_map_ram(&pg, 1, NUMA_NO_NODE);

			if (!r || r[5] != (char)('a' + a->cpu))
				a->failed++;
			if (r)
				vm_unmap_ram(r, 1);
		}
	}
	for (int i = 0; i < 8; i++)
		vfree(held[i]);
	return NULL;
}

/* Four CPUs allocate and free at once; the trees and page tables stay consistent. */
static void test_threads(void **state)
{
	struct thread_arg args[4];
	linmm_host_thread_t *t[4];
	char *p;

	(void)state;
	boot_or_fail("mem=1G cpus=4 arch=x86_64");
	for (int i = 0; i < 4; i++) {
		args[i] = (struct thread_arg){ .cpu = i, .seed = 0x9e3779b97f4a7c15ULL * (u64)(i + 1) };
		assert_int_equal(linmm_host_thread_create(&t[i], thread_vmalloc, &args[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(linmm_host_thread_join(t[i]), 0);
		assert_int_equal(args[i].failed, 0);
	}
	assert_int_equal(vmalloc_nr_pages(), 0);
	vm_unmap_aliases();
	check_all();
	p = vmalloc(PG);
	assert_int_equal(kva(p), VMALLOC_START);
	vfree(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_contiguous_and_scattered, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_vfree_turns_list_around, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_guard_page_oops, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_uncaught_oops_kills, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_vmallocinfo_format, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_gap_search_and_alignment, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_fragmentation, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_lazy_purge_threshold, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_purge_keeps_busy_mappings, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_stale_budget, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_vmap_and_vm_map_ram, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_kvmalloc, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_kvmalloc_fallback, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_failure_no_leak, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_x86_32, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_x86_64_window_bound, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_numa_nodes, linmm_test_shutdown),
		cmocka_unit_test_teardown(test_threads, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
