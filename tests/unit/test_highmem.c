// SPDX-License-Identifier: MIT
/*
 * test_highmem.c - kmap, kmap_local and kmap_atomic (mm/highmem.c).
 *
 * Every case runs on arch=x86_32 and arch=x86_32-pae with mem=2G, i.e.
 * 896 MiB of lowmem and 1152 MiB of HighMem, plus one x86_64 case.
 *
 *   PKMAP_BASE                                     FIXADDR_TOP
 *   | 0 | 1 | 2 | ... | LAST_PKMAP-1 |  ...  | slot 15 ... slot 1 slot 0 | (CPU 0)
 *     ^ kmap() entries, round robin from 1       ^ kmap_local slots, downwards
 *
 * Oracles (none computed by mm/highmem.c):
 *   - LAST_PKMAP = 1024 (2-level) and 512 (PAE), KM_MAX_IDX = 16
 *     (arch/x86/include/asm/pgtable_32_areas.h, include/asm-generic/kmap_size.h);
 *   - the kernel's search order: get_next_pkmap_nr() pre-increments, so the
 *     first kmap() of a machine takes entry 1, entry 0 comes last, and the
 *     wrap to 0 flushes the unused entries at once (mm/highmem.c);
 *   - fixmap slots grow downwards one page apart (__fix_to_virt());
 *   - HighMem starts at 896 MiB (pfn 0x38000);
 *   - contents: a byte pattern written through one mapping of a page and read
 *     through another proves both map the same RAM;
 *   - the init_mm walk (kernel_walk_page(), mm/init_mm.c) for every mapping;
 *   - the kernel's report texts: "BUG: sleeping function called from invalid
 *     context at" (__might_resched), the WARNING of kunmap_local_indexed().
 * validate_highmem() and check_machine() run after every step.
 */
#include "linmm_test.h"

#include <linmm/highmem.h>
#include <linmm/pgtable.h>

#include "arch/arch.h"
#include "kernel/host.h"
#include "mm/internal.h"

#define HIGHMEM_START_PFN 0x38000UL	/* 896 MiB */

static const char *const cmdline_2level = "arch=x86_32 mem=2G cpus=2";
static const char *const cmdline_pae = "arch=x86_32-pae mem=2G cpus=2";

static void check(void)
{
	if (validate_highmem()) {
		char *log = linmm_dmesg(3);

		fail_msg("validate_highmem() failed:\n%s", log ? log : "");
	}
	check_machine();
}

static int boot_state(void **state)
{
	boot_or_fail(*state);
	check();
	return 0;
}

static struct page *alloc_highmem_page(void)
{
	struct page *page = alloc_pages(GFP_HIGHUSER, 0);

	assert_non_null(page);
	assert_true(PageHighMem(page));
	assert_true(page_to_pfn(page) >= HIGHMEM_START_PFN);
	assert_int_equal(page_zonenum(page), ZONE_HIGHMEM);
	return page;
}

static unsigned int expected_last_pkmap(void)
{
	return linmm_arch->pgtable_levels == 2 ? 1024 : 512;
}

static struct highmem_stats stats_now(void)
{
	struct highmem_stats st;

	highmem_get_stats(&st);
	return st;
}

/* The pkmap entry a kmap() address is in; fails unless it is in the window. */
static unsigned int pkmap_entry(const void *addr)
{
	u64 kva = host_to_kva(addr);

	assert_true(kva >= PKMAP_BASE);
	assert_true(kva < PKMAP_BASE + ((u64)expected_last_pkmap() << PAGE_SHIFT));
	assert_int_equal(kva & (PAGE_SIZE - 1), 0);
	return (unsigned int)((kva - PKMAP_BASE) >> PAGE_SHIFT);
}

static void fill(void *addr, int byte)
{
	memset(addr, byte, PAGE_SIZE);
}

static void assert_filled(const void *addr, int byte)
{
	const unsigned char *p = addr;

	for (size_t i = 0; i < PAGE_SIZE; i++)
		if (p[i] != (unsigned char)byte)
			fail_msg("byte %zu is 0x%02x, expected 0x%02x", i, p[i], byte);
}

/* ---- kmap() and the pkmap window ---- */

static void test_layout_constants(void **state)
{
	assert_int_equal(LAST_PKMAP, expected_last_pkmap());
	assert_int_equal(KM_MAX_IDX, 16);
	/* The window is PMD aligned and lies below the fixmap. */
	assert_int_equal(PKMAP_BASE & (PMD_SIZE - 1), 0);
	assert_true(PKMAP_BASE + ((u64)LAST_PKMAP << PAGE_SHIFT) <= __fix_to_virt(FIX_KMAP_END));
	assert_true(VMALLOC_END < PKMAP_BASE);
}

static void test_no_address_until_kmapped(void **state)
{
	struct page *page = alloc_highmem_page();
	void *addr;

	assert_null(page_address(page));
	assert_int_equal(pkmap_count_of(page), 0);

	addr = kmap(page);
	check();
	assert_non_null(addr);
	/* The first kmap() of a machine takes entry 1 (pre-increment). */
	assert_int_equal(pkmap_entry(addr), 1);
	assert_ptr_equal(page_address(page), addr);
	assert_ptr_equal(kernel_walk_page(host_to_kva(addr)), page);
	assert_int_equal(pkmap_count_of(page), 2);

	kunmap(page);
	check();
	/* Unused but not flushed: the entry and page_address() stay. */
	assert_int_equal(pkmap_count_of(page), 1);
	assert_ptr_equal(page_address(page), addr);

	kmap_flush_unused();
	check();
	assert_int_equal(pkmap_count_of(page), 0);
	assert_null(page_address(page));
	assert_null(kernel_walk_page(host_to_kva(addr)));
	assert_int_equal(stats_now().pkmap_flushes, 1);
	__free_pages(page, 0);
	check();
}

static void test_kmap_twice_counts_references(void **state)
{
	struct page *page = alloc_highmem_page();
	void *a, *b;

	a = kmap(page);
	check();
	b = kmap(page);
	check();
	assert_non_null(a);
	assert_ptr_equal(a, b);
	assert_int_equal(pkmap_count_of(page), 3);
	assert_int_equal(stats_now().pkmap_mapped, 1);
	assert_int_equal(stats_now().kmap_high, 2);

	kunmap(page);
	check();
	assert_int_equal(pkmap_count_of(page), 2);
	/* A kmap of an unused (count 1) entry reuses it without a new entry. */
	kunmap(page);
	check();
	assert_int_equal(pkmap_count_of(page), 1);
	b = kmap(page);
	check();
	assert_ptr_equal(a, b);
	assert_int_equal(pkmap_count_of(page), 2);
	assert_int_equal(stats_now().pkmap_mapped, 1);
	kunmap(page);
	check();
	__free_pages(page, 0);
	check();
}

/*
 * An entry whose last user leaves after a flush keeps count 1 and is skipped
 * until the next flush: its stale TLB entries may still exist.
 *
 *   fill:   entries 1 .. LAST_PKMAP-1, 0 all in use
 *   unmap all but entry 5, kmap P: wrap, flush, P takes 0
 *   kunmap entry 5 (count 1), kmap Q1..Q5: entries 1, 2, 3, 4, then 6
 */
static void test_unused_entry_waits_for_flush(void **state)
{
	unsigned int n = LAST_PKMAP;
	struct page **pages = calloc(n + 6, sizeof(*pages));
	void *addr;

	assert_non_null(pages);
	for (unsigned int i = 0; i < n + 6; i++)
		pages[i] = alloc_highmem_page();
	for (unsigned int i = 0; i < n; i++)
		assert_non_null(kmap(pages[i]));
	for (unsigned int i = 0; i < n; i++)
		if (i != 4)
			kunmap(pages[i]);
	assert_int_equal(pkmap_entry(page_address(pages[4])), 5);
	addr = kmap(pages[n]);
	check();
	assert_int_equal(pkmap_entry(addr), 0);
	assert_int_equal(stats_now().pkmap_flushes, 1);
	assert_int_equal(stats_now().pkmap_unmapped, n - 1);

	kunmap(pages[4]);
	check();
	assert_int_equal(pkmap_count_of(pages[4]), 1);
	for (unsigned int i = 1; i <= 5; i++) {
		addr = kmap(pages[n + i]);
		check();
		assert_int_equal(pkmap_entry(addr), i < 5 ? i : 6);
	}
	assert_int_equal(pkmap_entry(page_address(pages[4])), 5);
	assert_int_equal(stats_now().pkmap_flushes, 1);

	for (unsigned int i = 0; i <= 5; i++)
		kunmap(pages[n + i]);
	check();
	for (unsigned int i = 0; i < n + 6; i++)
		__free_pages(pages[i], 0);
	check();
	free(pages);
}

static void test_kmap_data_through_other_mappings(void **state)
{
	struct page *page = alloc_highmem_page();
	char *a, *local;

	a = kmap(page);
	assert_non_null(a);
	fill(a, 0x5a);
	check();

	/* x86 has no kmap_high_get(): kmap_local maps a second alias. */
	local = kmap_local_page(page);
	check();
	assert_non_null(local);
	assert_ptr_not_equal(local, a);
	assert_ptr_equal(kernel_walk_page(host_to_kva(local)), page);
	assert_filled(local, 0x5a);
	fill(local, 0xc3);
	kunmap_local(local);
	check();
	assert_filled(a, 0xc3);

	kunmap(page);
	kmap_flush_unused();
	check();
	assert_null(page_address(page));
	a = kmap(page);
	check();
	assert_non_null(a);
	assert_filled(a, 0xc3);
	kunmap(page);
	check();
	__free_pages(page, 0);
	check();
}

static void test_pkmap_window_recycles(void **state)
{
	unsigned int n = LAST_PKMAP;
	struct page **pages = calloc(n + 1, sizeof(*pages));
	void **addrs = calloc(n, sizeof(*addrs));
	bool *seen = calloc(n, sizeof(*seen));
	struct highmem_stats st;
	void *addr;

	assert_non_null(pages);
	assert_non_null(addrs);
	assert_non_null(seen);
	for (unsigned int i = 0; i <= n; i++)
		pages[i] = alloc_highmem_page();

	/* Fill the window: entries 1, 2, ..., LAST_PKMAP - 1, then 0. */
	for (unsigned int i = 0; i < n; i++) {
		unsigned int nr;

		addrs[i] = kmap(pages[i]);
		assert_non_null(addrs[i]);
		nr = pkmap_entry(addrs[i]);
		assert_int_equal(nr, (i + 1) % n);
		assert_false(seen[nr]);
		seen[nr] = true;
		*(unsigned int *)addrs[i] = i;
	}
	check();
	st = stats_now();
	assert_int_equal(st.pkmap_mapped, n);
	assert_int_equal(st.pkmap_flushes, 0);	/* the wrap found nothing to flush */

	/* Full, and every entry is this thread's: kmap() reports, never sleeps. */
	addr = kmap(pages[n]);
	assert_null(addr);
	assert_true(dmesg_contains("pkmap window full"));
	assert_int_equal(stats_now().pkmap_full, 1);
	assert_int_equal(stats_now().pkmap_waits, 0);
	check();

	for (unsigned int i = 0; i < n; i++) {
		assert_int_equal(*(unsigned int *)addrs[i], i);
		kunmap(pages[i]);
	}
	check();
	/* All count 1: still mapped until the search wraps. */
	assert_ptr_equal(page_address(pages[0]), addrs[0]);

	addr = kmap(pages[n]);
	check();
	st = stats_now();
	assert_non_null(addr);
	assert_int_equal(st.pkmap_flushes, 1);
	assert_int_equal(st.pkmap_unmapped, n);
	/* The search ran 1 .. LAST_PKMAP - 1 (all count 1), wrapped, flushed, took 0. */
	assert_int_equal(pkmap_entry(addr), 0);
	assert_ptr_equal(addr, addrs[n - 1]);	/* reused */
	for (unsigned int i = 0; i < n; i++)
		assert_null(page_address(pages[i]));
	kunmap(pages[n]);
	check();

	for (unsigned int i = 0; i <= n; i++)
		__free_pages(pages[i], 0);
	check();
	free(pages);
	free(addrs);
	free(seen);
}

/* A second host thread (CPU 1) waits in kmap() for the main thread's kunmap(). */
struct waiter {
	struct page *page;
	void *addr;
};

static void *kmap_waiter(void *arg)
{
	struct waiter *w = arg;

	assert_int_equal(linmm_cpu_enter(1), 0);
	w->addr = kmap(w->page);
	return NULL;
}

static void test_kmap_waits_for_another_thread(void **state)
{
	unsigned int n = LAST_PKMAP;
	struct page **pages = calloc(n, sizeof(*pages));
	struct waiter w = { .page = alloc_highmem_page() };
	linmm_host_thread_t *t;
	void *freed;

	assert_non_null(pages);
	for (unsigned int i = 0; i < n; i++) {
		pages[i] = alloc_highmem_page();
		assert_non_null(kmap(pages[i]));
	}
	check();
	assert_int_equal(linmm_host_thread_create(&t, kmap_waiter, &w), 0);
	/* Wait (no timeout) until the other thread sleeps on pkmap_map_wait. */
	while (!stats_now().pkmap_waits)
		linmm_host_yield();
	assert_null(w.addr);
	freed = page_address(pages[7]);
	kunmap(pages[7]);
	assert_int_equal(linmm_host_thread_join(t), 0);
	assert_non_null(w.addr);
	assert_ptr_equal(page_address(w.page), w.addr);
	/* The only unused entry is the one just given back. */
	assert_ptr_equal(w.addr, freed);
	assert_int_equal(stats_now().pkmap_full, 0);
	check();

	kunmap(w.page);
	for (unsigned int i = 0; i < n; i++)
		if (i != 7)
			kunmap(pages[i]);
	check();
	for (unsigned int i = 0; i < n; i++)
		__free_pages(pages[i], 0);
	__free_pages(w.page, 0);
	check();
	free(pages);
}

/*
 * Two host threads on CPUs 0 and 1 kmap and kmap_local random pages of a
 * shared pool larger than the window, each holding up to HOLD kmaps at a
 * time (never enough to fill the window together).  Every page carries its
 * pfn; every mapping must show it.  Deterministic per thread (own seed).
 */
#define STRESS_POOL 1536
#define STRESS_HOLD 8
#define STRESS_OPS 6000

struct stress {
	int cpu;
	u64 seed;
	struct page **pool;
	unsigned long bad;
};

static void *kmap_stress(void *arg)
{
	struct stress *st = arg;
	struct page *held[STRESS_HOLD] = { 0 };
	u64 x = st->seed;

	linmm_cpu_enter(st->cpu);
	for (int op = 0; op < STRESS_OPS; op++) {
		int slot = op % STRESS_HOLD;
		struct page *page;
		unsigned long *p, *l;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		page = st->pool[x % STRESS_POOL];
		if (held[slot])
			kunmap(held[slot]);
		held[slot] = page;
		p = kmap(page);
		if (!p || *p != page_to_pfn(page))
			st->bad++;
		l = kmap_local_page(page);
		if (!l || *l != page_to_pfn(page) || l == p)
			st->bad++;
		if (l)
			kunmap_local(l);
	}
	for (int i = 0; i < STRESS_HOLD; i++)
		if (held[i])
			kunmap(held[i]);
	return NULL;
}

static void test_kmap_threads(void **state)
{
	struct page **pool = calloc(STRESS_POOL, sizeof(*pool));
	struct stress st[2] = { { 0, 88172645463325252ULL, pool, 0 },
				{ 1, 0x9e3779b97f4a7c15ULL, pool, 0 } };
	linmm_host_thread_t *t[2];

	assert_non_null(pool);
	for (int i = 0; i < STRESS_POOL; i++) {
		unsigned long pfn;

		pool[i] = alloc_highmem_page();
		pfn = page_to_pfn(pool[i]);
		memcpy_to_page(pool[i], 0, (const char *)&pfn, sizeof(pfn));
	}
	for (int i = 0; i < 2; i++)
		assert_int_equal(linmm_host_thread_create(&t[i], kmap_stress, &st[i]), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(linmm_host_thread_join(t[i]), 0);
	assert_int_equal(st[0].bad, 0);
	assert_int_equal(st[1].bad, 0);
	check();
	/* More distinct pages than entries went through: the window wrapped. */
	assert_true(stats_now().pkmap_flushes > 0);
	assert_int_equal(stats_now().pkmap_full, 0);
	assert_int_equal(stats_now().kmap_high, 2 * STRESS_OPS);
	assert_int_equal(stats_now().kunmap_high, 2 * STRESS_OPS);
	assert_false(dmesg_contains("WARNING"));
	for (int i = 0; i < STRESS_POOL; i++) {
		assert_int_equal(pkmap_count_of(pool[i]) <= 1, 1);
		__free_pages(pool[i], 0);
	}
	check();
	free(pool);
}

static void test_kmap_lowmem_is_direct_map(void **state)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	void *addr;

	assert_non_null(page);
	assert_false(PageHighMem(page));
	addr = kmap(page);
	assert_ptr_equal(addr, lowmem_page_address(page));
	assert_ptr_equal(kmap_local_page(page), addr);
	assert_int_equal(kmap_local_depth(), 0);
	kunmap_local(addr);
	kunmap(page);
	check();
	assert_int_equal(stats_now().pkmap_mapped, 0);
	assert_int_equal(stats_now().kmap_local, 0);
	assert_false(dmesg_contains("WARNING"));
	__free_pages(page, 0);
	check();
}

/* ---- kmap_local and kmap_atomic ---- */

static void test_kmap_local_nests_lifo(void **state)
{
	struct page *pages[KM_MAX_IDX + 1];
	char *addrs[KM_MAX_IDX];

	for (int i = 0; i <= KM_MAX_IDX; i++)
		pages[i] = alloc_highmem_page();
	for (int i = 0; i < KM_MAX_IDX; i++) {
		addrs[i] = kmap_local_page(pages[i]);
		check();
		assert_non_null(addrs[i]);
		assert_int_equal(kmap_local_depth(), i + 1);
		assert_ptr_equal(kernel_walk_page(host_to_kva(addrs[i])), pages[i]);
		/* Slots grow downwards from FIX_KMAP_BEGIN, one page apart. */
		assert_int_equal(host_to_kva(addrs[i]), __fix_to_virt(FIX_KMAP_BEGIN + i));
		/* A kmap_local mapping is not the page's page_address(). */
		assert_null(page_address(pages[i]));
		fill(addrs[i], i);
	}
	/* A 17th nesting level does not exist. */
	assert_null(kmap_local_page(pages[KM_MAX_IDX]));
	assert_true(dmesg_contains("more than 16 nested"));
	assert_int_equal(kmap_local_depth(), KM_MAX_IDX);
	check();

	for (int i = KM_MAX_IDX - 1; i >= 0; i--) {
		assert_filled(addrs[i], i);
		/* Any address inside the mapping will do. */
		kunmap_local(addrs[i] + 100);
		check();
		assert_int_equal(kmap_local_depth(), i);
		assert_null(kernel_walk_page(host_to_kva(addrs[i])));
	}
	assert_int_equal(stats_now().kmap_local, KM_MAX_IDX);
	assert_int_equal(stats_now().kmap_local_bad, 0);
	for (int i = 0; i <= KM_MAX_IDX; i++)
		__free_pages(pages[i], 0);
	check();
}

static void test_kunmap_local_out_of_order_warns(void **state)
{
	struct page *p1 = alloc_highmem_page(), *p2 = alloc_highmem_page();
	char *a, *b;

	a = kmap_local_page(p1);
	b = kmap_local_page(p2);
	check();
	assert_false(dmesg_contains("WARNING"));

	kunmap_local(a);	/* b is the innermost */
	check();
	assert_true(dmesg_contains("WARNING"));
	assert_int_equal(stats_now().kmap_local_bad, 1);
	assert_int_equal(kmap_local_depth(), 1);
	/* As the kernel does: the innermost slot (b's) went, a's stays. */
	assert_null(kernel_walk_page(host_to_kva(b)));
	assert_ptr_equal(kernel_walk_page(host_to_kva(a)), p1);

	kunmap_local(a);
	check();
	assert_int_equal(kmap_local_depth(), 0);
	assert_int_equal(stats_now().kmap_local_bad, 1);
	__free_pages(p1, 0);
	__free_pages(p2, 0);
	check();
}

static void test_kmap_local_per_cpu(void **state)
{
	struct page *p0 = alloc_highmem_page(), *p1 = alloc_highmem_page();
	char *a, *b;

	a = kmap_local_page(p0);
	assert_int_equal(linmm_cpu_enter(1), 0);
	assert_int_equal(kmap_local_depth(), 0);
	b = kmap_local_page(p1);
	check();
	/* CPU 1's slots start KM_MAX_IDX fixmap indices further. */
	assert_int_equal(host_to_kva(b), __fix_to_virt(FIX_KMAP_BEGIN + KM_MAX_IDX));
	assert_int_equal(host_to_kva(a), __fix_to_virt(FIX_KMAP_BEGIN));
	kunmap_local(b);
	assert_int_equal(linmm_cpu_enter(0), 0);
	assert_int_equal(kmap_local_depth(), 1);
	kunmap_local(a);
	check();
	assert_false(dmesg_contains("WARNING"));
	__free_pages(p0, 0);
	__free_pages(p1, 0);
	check();
}

static void test_kmap_atomic_bookkeeping(void **state)
{
	struct page *hi = alloc_highmem_page(), *lo = alloc_pages(GFP_KERNEL, 0);
	char *a, *b;

	assert_non_null(lo);
	assert_int_equal(preempt_count(), 0);
	assert_int_equal(pagefault_disabled(), 0);
	a = kmap_atomic(hi);
	assert_int_equal(preempt_count(), 1);
	assert_int_equal(pagefault_disabled(), 1);
	assert_int_equal(kmap_local_depth(), 1);
	b = kmap_atomic(lo);
	assert_ptr_equal(b, lowmem_page_address(lo));
	assert_int_equal(preempt_count(), 2);
	assert_int_equal(pagefault_disabled(), 2);
	assert_int_equal(kmap_local_depth(), 1);	/* lowmem takes no slot */
	check();
	assert_false(dmesg_contains("sleeping function called from invalid context"));
	/* kmap() may sleep: inside kmap_atomic() that is a bug the kernel reports. */
	assert_non_null(kmap(lo));
	assert_true(dmesg_contains("BUG: sleeping function called from invalid context at "
				   "mm/highmem.c:"));
	assert_true(dmesg_contains("preempt_count: 2, expected: 0"));
	kunmap(lo);
	kunmap_atomic(b);
	assert_int_equal(preempt_count(), 1);
	kunmap_atomic(a);
	assert_int_equal(preempt_count(), 0);
	assert_int_equal(pagefault_disabled(), 0);
	assert_int_equal(kmap_local_depth(), 0);
	check();
	assert_false(dmesg_contains("WARNING"));
	__free_pages(hi, 0);
	__free_pages(lo, 0);
	check();
}

/* ---- helpers and __GFP_ZERO ---- */

static void test_gfp_zero_highmem(void **state)
{
	struct page *page = alloc_highmem_page(), *again;
	unsigned long pfn = page_to_pfn(page);
	char buf[PAGE_SIZE];
	unsigned long local_before;

	memset(buf, 0xa5, sizeof(buf));
	memcpy_to_page(page, 0, buf, PAGE_SIZE);
	__free_pages(page, 0);
	check();

	/* The pcp list hands the same (hot) page back, dirty without __GFP_ZERO. */
	again = alloc_pages(GFP_HIGHUSER, 0);
	assert_non_null(again);
	assert_int_equal(page_to_pfn(again), pfn);
	memset(buf, 0, sizeof(buf));
	memcpy_from_page(buf, again, 0, PAGE_SIZE);
	assert_filled(buf, 0xa5);
	__free_pages(again, 0);
	check();

	local_before = stats_now().kmap_local;
	again = alloc_pages(GFP_HIGHUSER | __GFP_ZERO, 0);
	check();
	assert_non_null(again);
	assert_int_equal(page_to_pfn(again), pfn);
	assert_int_equal(stats_now().kmap_local, local_before + 1);	/* zeroed via a slot */
	memset(buf, 0x11, sizeof(buf));
	memcpy_from_page(buf, again, 0, PAGE_SIZE);
	assert_filled(buf, 0);
	assert_int_equal(kmap_local_depth(), 0);
	__free_pages(again, 0);
	check();
}

static void test_gfp_zero_highmem_order2(void **state)
{
	struct page *page = alloc_pages(GFP_HIGHUSER, 2);
	unsigned long pfn;
	char buf[PAGE_SIZE];

	assert_non_null(page);
	assert_true(PageHighMem(page));
	pfn = page_to_pfn(page);
	memset(buf, 0x77, sizeof(buf));
	for (int i = 0; i < 4; i++)
		memcpy_to_page(page + i, 0, buf, PAGE_SIZE);
	__free_pages(page, 2);
	check();
	page = alloc_pages(GFP_HIGHUSER | __GFP_ZERO, 2);
	assert_non_null(page);
	assert_int_equal(page_to_pfn(page), pfn);
	for (int i = 0; i < 4; i++) {
		memcpy_from_page(buf, page + i, 0, PAGE_SIZE);
		assert_filled(buf, 0);
	}
	__free_pages(page, 2);
	check();
}

static void test_copy_and_zero_helpers(void **state)
{
	struct page *hi = alloc_highmem_page(), *lo = alloc_pages(GFP_KERNEL, 0);
	char buf[PAGE_SIZE], *p;

	assert_non_null(lo);
	memset(buf, 0x3c, sizeof(buf));
	memcpy_to_page(hi, 0, buf, PAGE_SIZE);
	memcpy_to_page(hi, 100, "linmm", 5);

	copy_highpage(lo, hi);
	check();
	p = lowmem_page_address(lo);
	assert_memory_equal(p + 100, "linmm", 5);
	assert_int_equal((unsigned char)p[0], 0x3c);
	assert_int_equal((unsigned char)p[PAGE_SIZE - 1], 0x3c);

	zero_user_segment(hi, 200, 300);
	clear_highpage(lo);
	copy_highpage(lo, hi);
	check();
	for (int i = 0; i < (int)PAGE_SIZE; i++) {
		unsigned char want = i >= 200 && i < 300 ? 0 : (i >= 100 && i < 105 ? "linmm"[i - 100] : 0x3c);

		if ((unsigned char)p[i] != want)
			fail_msg("byte %d is 0x%02x, expected 0x%02x", i, (unsigned char)p[i], want);
	}
	memcpy_from_page(buf, hi, 100, 5);
	assert_memory_equal(buf, "linmm", 5);
	assert_int_equal(kmap_local_depth(), 0);
	assert_false(dmesg_contains("WARNING"));
	__free_pages(hi, 0);
	__free_pages(lo, 0);
	check();
}

/* ---- x86_64: everything is direct-mapped ---- */

static void test_x86_64_trivial(void **state)
{
	struct page *page;
	void *addr;

	boot_or_fail("arch=x86_64 mem=1G");
	check();
	assert_int_equal(LAST_PKMAP, 0);
	page = alloc_pages(GFP_HIGHUSER, 0);
	assert_non_null(page);
	assert_false(PageHighMem(page));
	addr = kmap(page);
	assert_ptr_equal(addr, page_address(page));
	assert_ptr_equal(kmap_local_page(page), addr);
	assert_int_equal(kmap_local_depth(), 0);
	assert_ptr_equal(kmap_atomic(page), addr);
	assert_int_equal(preempt_count(), 1);
	assert_int_equal(pagefault_disabled(), 1);
	check();
	kunmap_atomic(addr);
	kunmap_local(addr);
	kunmap(page);
	assert_int_equal(preempt_count(), 0);
	assert_int_equal(pkmap_count_of(page), 0);
	fill(addr, 0x42);
	__free_pages(page, 0);
	page = alloc_pages(GFP_HIGHUSER | __GFP_ZERO, 0);
	assert_ptr_equal(page_address(page), addr);
	assert_filled(addr, 0);
	assert_int_equal(stats_now().pkmap_mapped, 0);
	assert_false(dmesg_contains("WARNING"));
	__free_pages(page, 0);
	check();
}

/* Each case on both 32-bit models, named "case/model". */
#define HM_TEST(fn)								\
	{ #fn "/x86_32", fn, boot_state, linmm_test_shutdown, (void *)cmdline_2level }, \
	{ #fn "/x86_32-pae", fn, boot_state, linmm_test_shutdown, (void *)cmdline_pae }

int main(void)
{
	const struct CMUnitTest tests[] = {
		HM_TEST(test_layout_constants),
		HM_TEST(test_no_address_until_kmapped),
		HM_TEST(test_kmap_twice_counts_references),
		HM_TEST(test_unused_entry_waits_for_flush),
		HM_TEST(test_kmap_data_through_other_mappings),
		HM_TEST(test_pkmap_window_recycles),
		HM_TEST(test_kmap_waits_for_another_thread),
		HM_TEST(test_kmap_threads),
		HM_TEST(test_kmap_lowmem_is_direct_map),
		HM_TEST(test_kmap_local_nests_lifo),
		HM_TEST(test_kunmap_local_out_of_order_warns),
		HM_TEST(test_kmap_local_per_cpu),
		HM_TEST(test_kmap_atomic_bookkeeping),
		HM_TEST(test_gfp_zero_highmem),
		HM_TEST(test_gfp_zero_highmem_order2),
		HM_TEST(test_copy_and_zero_helpers),
		cmocka_unit_test_teardown(test_x86_64_trivial, linmm_test_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
