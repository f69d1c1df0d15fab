// SPDX-License-Identifier: MIT
/*
 * highmem.c - temporary kernel mappings of high memory (mm/highmem.c).
 *
 * On arch=x86_32 (2-level and PAE) only the first 896 MiB of RAM is in the
 * direct map; a HighMem page has no kernel address until it is mapped.
 * Three ways to map one, as in the kernel:
 *
 *   kmap()/kunmap()          the persistent pkmap window: LAST_PKMAP entries
 *                            (1024, PAE 512) at PKMAP_BASE, reference
 *                            counted, shared by all CPUs, may sleep
 *   kmap_local_page()/       per-CPU fixmap slots, KM_MAX_IDX (16) deep,
 *   kunmap_local()           strictly nested (LIFO)
 *   kmap_atomic()/           the same slots, plus preemption and page faults
 *   kunmap_atomic()          disabled until the unmap
 *
 *   PKMAP_BASE                                  FIXADDR_TOP
 *   | pkmap: entry 0 1 2 ... LAST_PKMAP-1 | ... | fixmap ... kmap slots ... |
 *                                                 cpu N: FIX_KMAP_BEGIN + 16N + idx
 *                                                 (fixmap grows downwards:
 *                                                 __fix_to_virt(x) = TOP - x pages)
 *
 * Both windows are real: an entry is a PTE in init_mm (kernel page tables in
 * simulated RAM) and a host mapping of the page's memfd page at the host
 * address standing for the kernel VA (kernel_map_pages(), mm/init_mm.c), so
 * data written through one mapping of a page is read through any other.
 *
 * pkmap_count[nr] is not a plain count (as in the kernel):
 *   0    the entry is free and no stale TLB entry can exist: usable;
 *   1    mapped, no users, but not flushed since: unusable until
 *        flush_all_zero_pkmaps() clears it (done when the round-robin
 *        search wraps past entry 0, with one TLB flush for all entries);
 *   n+1  n kmap() references.
 * A kmapped page is found by page_address() through page_address_htable
 * (HASHED_PAGE_VIRTUAL: 128 buckets of page_address_map entries, one per
 * pkmap entry), until the flush that clears its entry.
 *
 * Full window: the kernel sleeps on pkmap_map_wait until a kunmap() drops
 * an entry to 1.  linmm sleeps on a host condition variable only when
 * somebody else can wake it: when some pkmap reference was taken by another
 * host thread (references are accounted to the thread that took them).  If
 * every reference is the caller's own, waiting would deadlock a
 * single-threaded program: kmap() then warns ("pkmap window full") and
 * returns NULL, which no kernel kmap() does.
 *
 * Other departures from the kernel, so a script survives a misuse: kunmap()
 * of a page that is not kmapped, a 17th nested kmap_local and unbalanced
 * kunmap_atomic() WARN and return where the kernel BUGs or lets its
 * counts go wrong.  An out-of-order
 * kunmap_local() warns as kunmap_local_indexed() does and, like it, then
 * unmaps the innermost slot (the address given stays mapped).  Warnings are
 * given every time, not once per boot, so every machine reports its misuse.
 *
 * On x86_64 every page is in the direct map: kmap*() return page_address()
 * and the unmaps do nothing; kmap_atomic() still keeps the preemption and
 * page-fault bookkeeping, as the kernel's !CONFIG_HIGHMEM version does.
 *
 * Locks: kmap_lock protects pkmap_count[], last_pkmap_nr, the pkmap PTEs and
 * the reference totals; each page_address_htable bucket has its own lock,
 * taken inside kmap_lock (order: kmap_lock -> bucket lock; kmap_lock ->
 * pkmap_map_wait's mutex, which a waiter drops before retaking kmap_lock).
 * The kmap_local stack of a CPU is touched only by the thread on that CPU.
 */
#include <string.h>

#include <linmm/bug.h>
#include <linmm/highmem.h>
#include <linmm/list.h>
#include <linmm/pgtable.h>
#include <linmm/printk.h>
#include <linmm/smp.h>
#include <linmm/spinlock.h>

#include "kernel/host.h"
#include "kernel/machine.h"
#include "mm/internal.h"

#define PKMAP_ENTRIES_MAX 1024		/* LAST_PKMAP of 2-level x86_32, the larger model */
#define PA_HASH_ORDER 7
#define PA_HASH_SIZE (1u << PA_HASH_ORDER)
#define GOLDEN_RATIO_64 0x61C8864680B583EBull

/* One page->virtual association of a pkmap entry (page_address_maps[nr]). */
struct page_address_map {
	struct page *page;
	void *virtual;
	struct list_head list;
};

struct page_address_slot {
	struct list_head lh;		/* page_address_maps hashed here */
	spinlock_t lock;
};

/* The kmap_local stack of one CPU, and kmap_atomic()'s bookkeeping. */
struct kmap_ctrl {
	int idx;			/* slots in use */
	struct page *pages[KM_MAX_IDX];	/* page mapped in slot i (the kernel keeps the pteval) */
	int preempt_count;
	int pagefault_disabled;
	unsigned long nr_local;		/* highmem slots mapped */
	unsigned long nr_local_bad;	/* out-of-order unmaps */
};

static spinlock_t kmap_lock;
static int pkmap_count[PKMAP_ENTRIES_MAX];
static unsigned int last_pkmap_nr;
static unsigned int nr_pkmap;		/* LAST_PKMAP of this machine, 0: no highmem */
static long pkmap_refs;			/* sum of (pkmap_count - 1) over entries in use */
/* ... of them taken by this thread (reset at boot for the booting thread only). */
static _Thread_local long pkmap_refs_mine;
static _Atomic int pkmap_waiters;
static linmm_host_waitq_t *pkmap_map_wait;	/* created at the first boot, kept */
static struct page_address_map page_address_maps[PKMAP_ENTRIES_MAX];
static struct page_address_slot page_address_htable[PA_HASH_SIZE];
static struct kmap_ctrl kmap_ctrl[NR_CPUS];
static struct highmem_stats stats;	/* pkmap fields under kmap_lock */
static bool highmem_ready;

/* The pkmap entry of a (host) address inside the pkmap window. */
static inline unsigned int pkmap_nr(const void *vaddr)
{
	return (unsigned int)PKMAP_NR(host_to_kva(vaddr));
}

/* Fixmap address of kmap_local slot @idx of @cpu (kmap_local_calc_idx()). */
static inline u64 kmap_local_slot_addr(int cpu, int idx)
{
	return __fix_to_virt(FIX_KMAP_BEGIN + idx + KM_MAX_IDX * cpu);
}

static struct page_address_slot *page_slot(const struct page *page)
{
	return &page_address_htable[((uintptr_t)page * GOLDEN_RATIO_64) >> (64 - PA_HASH_ORDER)];
}

/**
 * page_address_highmem - the pkmap address of a kmapped HighMem page
 * @page: a HighMem page
 *
 * page_address() of a HighMem page (the kernel's hashed page_address()).
 * Context: any; takes the page's hash bucket lock.
 * Return: the (host) address of its pkmap entry, or NULL if not kmapped.
 */
void *page_address_highmem(const struct page *page)
{
	struct page_address_slot *pas;
	struct page_address_map *pam;
	void *ret = NULL;

	if (!highmem_ready)
		return NULL;
	pas = page_slot(page);
	spin_lock(&pas->lock);
	list_for_each_entry(pam, &pas->lh, list) {
		if (pam->page == page) {
			ret = pam->virtual;
			break;
		}
	}
	spin_unlock(&pas->lock);
	return ret;
}

/* Record (or with NULL forget) the pkmap address of @page.  kmap_lock held. */
static void set_page_address(struct page *page, void *virtual)
{
	struct page_address_slot *pas = page_slot(page);
	struct page_address_map *pam;

	lockdep_assert_held(&kmap_lock);
	VM_BUG_ON(!PageHighMem(page));
	spin_lock(&pas->lock);
	if (virtual) {
		pam = &page_address_maps[pkmap_nr(virtual)];
		pam->page = page;
		pam->virtual = virtual;
		list_add_tail(&pam->list, &pas->lh);
	} else {
		list_for_each_entry(pam, &pas->lh, list) {
			if (pam->page == page) {
				list_del_init(&pam->list);
				pam->page = NULL;
				pam->virtual = NULL;
				break;
			}
		}
	}
	spin_unlock(&pas->lock);
}

/*
 * Unmap every entry with count 1 (mapped, unused) and flush the TLB once
 * for the whole window.  kmap_lock held.
 */
static void flush_all_zero_pkmaps(void)
{
	bool need_flush = false;

	lockdep_assert_held(&kmap_lock);
	for (unsigned int i = 0; i < nr_pkmap; i++) {
		struct page *page;

		if (pkmap_count[i] != 1)
			continue;
		pkmap_count[i] = 0;
		page = kernel_walk_page(PKMAP_ADDR(i));
		BUG_ON(!page);
		kernel_unmap_pages(PKMAP_ADDR(i), 1);
		set_page_address(page, NULL);
		stats.pkmap_unmapped++;
		need_flush = true;
	}
	if (need_flush)
		stats.pkmap_flushes++;	/* flush_tlb_kernel_range(PKMAP_ADDR(0), PKMAP_ADDR(LAST_PKMAP)) */
}

/**
 * kmap_flush_unused - unmap all unused pkmap entries now
 *
 * Context: may take kmap_lock.
 */
void kmap_flush_unused(void)
{
	if (!nr_pkmap)
		return;
	spin_lock(&kmap_lock);
	flush_all_zero_pkmaps();
	spin_unlock(&kmap_lock);
}

/*
 * Sleep until a kunmap() frees an entry, if another thread holds one.
 * Called and returns with kmap_lock held (dropped while asleep).
 * Return: 0 after a wakeup, -EDEADLK if nobody could wake us.
 */
static int pkmap_wait(void)
{
	lockdep_assert_held(&kmap_lock);
	if (!pkmap_map_wait || pkmap_refs <= max(pkmap_refs_mine, 0)) {
		stats.pkmap_full++;
		pr_warn("kmap: pkmap window full (%u entries in use), %s\n", nr_pkmap,
			pkmap_map_wait ? "all by this thread: waiting for a kunmap() would deadlock"
				       : "and no host wait queue to sleep on");
		WARN_ON(pkmap_refs <= max(pkmap_refs_mine, 0));
		return -EDEADLK;
	}
	linmm_host_waitq_lock(pkmap_map_wait);
	atomic_fetch_add(&pkmap_waiters, 1);
	stats.pkmap_waits++;
	spin_unlock(&kmap_lock);
	linmm_host_waitq_wait(pkmap_map_wait);
	atomic_fetch_sub(&pkmap_waiters, 1);
	linmm_host_waitq_unlock(pkmap_map_wait);
	spin_lock(&kmap_lock);
	return 0;
}

/* Give @page a pkmap entry (count 1).  kmap_lock held.  NULL: none to be had. */
static void *map_new_virtual(struct page *page)
{
	unsigned int count;
	void *vaddr;

start:
	count = nr_pkmap;
	for (;;) {
		last_pkmap_nr = (last_pkmap_nr + 1) & (nr_pkmap - 1);
		if (!last_pkmap_nr) {
			flush_all_zero_pkmaps();
			count = nr_pkmap;
		}
		if (!pkmap_count[last_pkmap_nr])
			break;
		if (--count)
			continue;
		if (pkmap_wait())
			return NULL;
		/* Somebody else might have mapped it while we slept. */
		vaddr = page_address_highmem(page);
		if (vaddr)
			return vaddr;
		goto start;
	}
	if (kernel_map_pages(PKMAP_ADDR(last_pkmap_nr), &page, 1, PAGE_KERNEL)) {
		pr_warn("kmap: cannot map pfn 0x%lx at pkmap entry %u\n", page_to_pfn(page),
			last_pkmap_nr);
		return NULL;
	}
	vaddr = kva_to_host(PKMAP_ADDR(last_pkmap_nr));
	pkmap_count[last_pkmap_nr] = 1;
	set_page_address(page, vaddr);
	stats.pkmap_mapped++;
	return vaddr;
}

static void *kmap_high(struct page *page)
{
	unsigned int nr;
	void *vaddr;

	spin_lock(&kmap_lock);
	vaddr = page_address_highmem(page);
	if (!vaddr)
		vaddr = map_new_virtual(page);
	if (vaddr) {
		nr = pkmap_nr(vaddr);
		pkmap_count[nr]++;
		BUG_ON(pkmap_count[nr] < 2);
		pkmap_refs++;
		pkmap_refs_mine++;
		stats.kmap_high++;
	}
	spin_unlock(&kmap_lock);
	return vaddr;
}

static void kunmap_high(struct page *page)
{
	bool need_wakeup = false;
	unsigned int nr;
	void *vaddr;

	spin_lock(&kmap_lock);
	vaddr = page_address_highmem(page);
	nr = vaddr ? pkmap_nr(vaddr) : 0;
	if (WARN_ON(!vaddr || pkmap_count[nr] < 2)) {
		pr_warn("kunmap: pfn 0x%lx is not kmapped\n", page_to_pfn(page));
		goto out_unlock;
	}
	/* A count never drops to 0 without a TLB flush: 1 waits for the next one. */
	if (--pkmap_count[nr] == 1)
		need_wakeup = atomic_load(&pkmap_waiters) > 0;
	pkmap_refs--;
	pkmap_refs_mine--;
	stats.kunmap_high++;
out_unlock:
	spin_unlock(&kmap_lock);
	if (need_wakeup) {
		linmm_host_waitq_lock(pkmap_map_wait);
		linmm_host_waitq_wake_all(pkmap_map_wait);
		linmm_host_waitq_unlock(pkmap_map_wait);
	}
}

/*
 * might_sleep(): kmap() and kunmap() may sleep, which an atomic section
 * (kmap_atomic()) forbids; report it as CONFIG_DEBUG_ATOMIC_SLEEP does.
 */
#define might_sleep() __might_sleep(__FILE__, __LINE__)

static void __might_sleep(const char *file, int line)
{
	int count = kmap_ctrl[smp_processor_id()].preempt_count;

	if (likely(!count))
		return;
	pr_err("BUG: sleeping function called from invalid context at %s:%d\n", file, line);
	pr_err("in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 0, name: swapper/%d\n",
	       smp_processor_id());
	pr_err("preempt_count: %x, expected: 0\n", count);
}

/**
 * kmap - map a page for long-term use
 * @page: the page
 *
 * Lowmem pages return their direct-map address.  A HighMem page gets (or
 * shares) a pkmap entry and a reference to it; page_address() finds it
 * until the entry is recycled.
 * Context: may sleep (waiting for a free pkmap entry): not inside
 * kmap_atomic() ("BUG: sleeping function called from invalid context");
 * takes kmap_lock.
 * Return: the page's kernel (host) address; NULL only if the window is full
 * and only the caller could free an entry (see the file comment), or if
 * init_mm could not get a page table for the entry.
 */
void *kmap(struct page *page)
{
	might_sleep();
	if (!PageHighMem(page))
		return page_address(page);
	return kmap_high(page);
}

/**
 * kunmap - drop a reference taken by kmap()
 * @page: the page kmap() was given
 *
 * Context: may sleep, as kmap(); takes kmap_lock; may wake a waiter.
 * Lowmem pages: nothing to do.
 */
void kunmap(struct page *page)
{
	might_sleep();
	if (!PageHighMem(page))
		return;
	kunmap_high(page);
}

/* Map @page into the next kmap_local slot of this CPU. */
static void *kmap_local_high(struct page *page)
{
	int cpu = smp_processor_id();
	struct kmap_ctrl *kc = &kmap_ctrl[cpu];
	u64 kva;

	if (WARN_ON(kc->idx >= KM_MAX_IDX)) {
		pr_warn("kmap_local: more than %d nested mappings on CPU %d\n", KM_MAX_IDX, cpu);
		return NULL;
	}
	kva = kmap_local_slot_addr(cpu, kc->idx);
	VM_WARN_ON(kernel_walk_page(kva));
	if (kernel_map_pages(kva, &page, 1, PAGE_KERNEL)) {
		pr_warn("kmap_local: cannot map pfn 0x%lx in slot %d of CPU %d\n",
			page_to_pfn(page), kc->idx, cpu);
		return NULL;
	}
	kc->pages[kc->idx++] = page;
	kc->nr_local++;
	return kva_to_host(kva);
}

/**
 * kmap_local_page - map a page for short, CPU-local use
 * @page: the page
 *
 * Lowmem pages return their direct-map address; a HighMem page is mapped
 * into this CPU's next fixmap slot.  Mappings nest and must be undone in
 * reverse order with kunmap_local().
 * Context: stays on this CPU until kunmap_local(); does not sleep.
 * Return: the mapping's (host) address, NULL if the slots are exhausted.
 */
void *kmap_local_page(struct page *page)
{
	if (!PageHighMem(page))
		return page_address(page);
	return kmap_local_high(page);
}

/**
 * kunmap_local - undo the innermost kmap_local_page() of this CPU
 * @addr: any address inside the mapping kmap_local_page() returned
 *
 * An address outside the kmap_local slots is a lowmem page's direct-map
 * address: nothing to undo (one that is no kernel address at all warns).
 * An address that is not the innermost slot of this CPU warns, as the
 * kernel's kunmap_local_indexed() does, and the innermost slot is unmapped
 * anyway.
 * Context: the CPU that made the mapping.
 */
void kunmap_local(const void *addr)
{
	int cpu = smp_processor_id();
	struct kmap_ctrl *kc = &kmap_ctrl[cpu];
	u64 kva, top;

	if (!nr_pkmap)
		return;
	kva = host_to_kva(addr) & PAGE_MASK;
	if (kva < __fix_to_virt(FIX_KMAP_END) || kva > __fix_to_virt(FIX_KMAP_BEGIN)) {
		/* A lowmem page's address: nothing to undo.  Not a kernel address: a bug. */
		WARN_ON(kva < PAGE_OFFSET);
		return;
	}
	if (WARN_ON(kc->idx <= 0)) {
		pr_warn("kunmap_local: no kmap_local mapping on CPU %d\n", cpu);
		return;
	}
	top = kmap_local_slot_addr(cpu, kc->idx - 1);
	if (WARN_ON(kva != top))
		kc->nr_local_bad++;
	kernel_unmap_pages(top, 1);
	kc->pages[--kc->idx] = NULL;
}

/**
 * kmap_atomic - kmap_local_page() with preemption and page faults disabled
 * @page: the page
 *
 * Deprecated in the kernel in favour of kmap_local_page().
 * Context: atomic until kunmap_atomic(): must not sleep.
 * Return: as kmap_local_page().
 */
void *kmap_atomic(struct page *page)
{
	struct kmap_ctrl *kc = &kmap_ctrl[smp_processor_id()];

	kc->preempt_count++;
	kc->pagefault_disabled++;
	return kmap_local_page(page);
}

/**
 * kunmap_atomic - undo kmap_atomic()
 * @addr: the address kmap_atomic() returned
 *
 * Context: the CPU that made the mapping; re-enables page faults and
 * preemption.
 */
void kunmap_atomic(const void *addr)
{
	struct kmap_ctrl *kc = &kmap_ctrl[smp_processor_id()];

	kunmap_local(addr);
	if (WARN_ON(kc->pagefault_disabled <= 0 || kc->preempt_count <= 0))
		return;
	kc->pagefault_disabled--;
	kc->preempt_count--;
}

/**
 * preempt_count - how deeply preemption is disabled on this CPU
 *
 * Only kmap_atomic() disables preemption in linmm so far.
 * Return: the count, 0 when preemptible.
 */
int preempt_count(void)
{
	return kmap_ctrl[smp_processor_id()].preempt_count;
}

/**
 * pagefault_disabled - nonzero while page faults may not be handled here
 *
 * Return: this CPU's pagefault_disable() depth.
 */
int pagefault_disabled(void)
{
	return kmap_ctrl[smp_processor_id()].pagefault_disabled;
}

/**
 * kmap_local_depth - kmap_local mappings this CPU holds
 *
 * Return: the slots in use (0..KM_MAX_IDX).
 */
int kmap_local_depth(void)
{
	return kmap_ctrl[smp_processor_id()].idx;
}

/**
 * pkmap_count_of - the pkmap_count[] of a kmapped page's entry
 * @page: any page
 *
 * Context: takes kmap_lock.
 * Return: 0 if @page has no pkmap entry, 1 if mapped but unused, n + 1 for
 * n kmap() references.
 */
int pkmap_count_of(const struct page *page)
{
	void *vaddr;
	int ret = 0;

	if (!nr_pkmap || !PageHighMem(page))
		return 0;
	spin_lock(&kmap_lock);
	vaddr = page_address_highmem(page);
	if (vaddr)
		ret = pkmap_count[pkmap_nr(vaddr)];
	spin_unlock(&kmap_lock);
	return ret;
}

/**
 * highmem_get_stats - the kmap counters since boot
 * @st: filled in
 *
 * Context: takes kmap_lock.
 */
void highmem_get_stats(struct highmem_stats *st)
{
	spin_lock(&kmap_lock);
	*st = stats;
	spin_unlock(&kmap_lock);
	st->kmap_local = 0;
	st->kmap_local_bad = 0;
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		st->kmap_local += kmap_ctrl[cpu].nr_local;
		st->kmap_local_bad += kmap_ctrl[cpu].nr_local_bad;
	}
}

/* ---- helpers that go through a temporary mapping ---- */

/**
 * clear_highpage - fill a page with zeroes
 * @page: any page, HighMem included
 *
 * Context: does not sleep.
 */
void clear_highpage(struct page *page)
{
	void *kaddr = kmap_local_page(page);

	if (!kaddr)
		return;
	memset(kaddr, 0, PAGE_SIZE);
	kunmap_local(kaddr);
}

/**
 * zero_user_segment - zero bytes [@start, @end) of a page
 * @page: any page
 * @start: first byte
 * @end: one past the last byte, at most PAGE_SIZE
 *
 * Context: does not sleep.
 */
void zero_user_segment(struct page *page, unsigned int start, unsigned int end)
{
	void *kaddr;

	if (WARN_ON(start > end || end > PAGE_SIZE))
		return;
	kaddr = kmap_local_page(page);
	if (!kaddr)
		return;
	memset((char *)kaddr + start, 0, end - start);
	kunmap_local(kaddr);
}

/**
 * copy_highpage - copy one page's contents to another
 * @to: destination page
 * @from: source page
 *
 * With backing=none RAM has no contents (as prep_new_page() skips
 * zeroing): nothing is copied.
 *
 * Context: does not sleep; uses two nested kmap_local slots.
 */
void copy_highpage(struct page *to, struct page *from)
{
	char *vfrom, *vto;

	if (boot_params.backing == LINMM_BACKING_NONE)
		return;
	vfrom = kmap_local_page(from);
	if (!vfrom)
		return;
	vto = kmap_local_page(to);
	if (vto) {
		memcpy(vto, vfrom, PAGE_SIZE);
		kunmap_local(vto);
	}
	kunmap_local(vfrom);
}

/**
 * memcpy_to_page - copy bytes into a page
 * @page: destination page
 * @offset: where in the page
 * @from: source buffer
 * @len: bytes; @offset + @len at most PAGE_SIZE
 *
 * Context: does not sleep.
 */
void memcpy_to_page(struct page *page, size_t offset, const char *from, size_t len)
{
	char *to;

	if (WARN_ON(offset + len > PAGE_SIZE))
		return;
	to = kmap_local_page(page);
	if (!to)
		return;
	memcpy(to + offset, from, len);
	kunmap_local(to);
}

/**
 * memcpy_from_page - copy bytes out of a page
 * @to: destination buffer
 * @page: source page
 * @offset: where in the page
 * @len: bytes; @offset + @len at most PAGE_SIZE
 *
 * Context: does not sleep.
 */
void memcpy_from_page(char *to, struct page *page, size_t offset, size_t len)
{
	char *from;

	if (WARN_ON(offset + len > PAGE_SIZE))
		return;
	from = kmap_local_page(page);
	if (!from)
		return;
	memcpy(to, from + offset, len);
	kunmap_local(from);
}

/* ---- boot and the invariant checker ---- */

/**
 * page_address_init - reset the kmap state for a new machine
 *
 * Empties the pkmap window, the hash and every CPU's kmap_local stack;
 * creates pkmap_map_wait at the first boot.  Mappings a previous machine
 * left behind went away with its windows.
 * Context: boot, single-threaded, after the kernel windows exist.
 */
void page_address_init(void)
{
	highmem_ready = false;
	spin_lock_init(&kmap_lock);
	memset(pkmap_count, 0, sizeof(pkmap_count));
	memset(page_address_maps, 0, sizeof(page_address_maps));
	memset(kmap_ctrl, 0, sizeof(kmap_ctrl));
	memset(&stats, 0, sizeof(stats));
	for (unsigned int i = 0; i < PA_HASH_SIZE; i++) {
		INIT_LIST_HEAD(&page_address_htable[i].lh);
		spin_lock_init(&page_address_htable[i].lock);
	}
	for (unsigned int i = 0; i < PKMAP_ENTRIES_MAX; i++)
		INIT_LIST_HEAD(&page_address_maps[i].list);
	last_pkmap_nr = 0;
	pkmap_refs = 0;
	pkmap_refs_mine = 0;
	atomic_store(&pkmap_waiters, 0);
	nr_pkmap = LAST_PKMAP;	/* 0 on x86_64 */
	BUG_ON(nr_pkmap > PKMAP_ENTRIES_MAX || (nr_pkmap & (nr_pkmap - 1)));
	if (nr_pkmap && !pkmap_map_wait && linmm_host_waitq_create(&pkmap_map_wait))
		pkmap_map_wait = NULL;	/* a full window then reports instead of waiting */
	highmem_ready = true;
}

static int highmem_invalid(const char *what, unsigned int nr, long a, long b)
{
	pr_err("validate_highmem: %s (entry %u: %ld vs %ld)\n", what, nr, a, b);
	return -EINVAL;
}

/* pkmap entry @nr: count, PTE and hash agree.  *@refs accumulates references. */
static int validate_pkmap_entry(unsigned int nr, long *refs, unsigned int *mapped)
{
	struct page_address_map *pam = &page_address_maps[nr];
	struct page *page = kernel_walk_page(PKMAP_ADDR(nr));
	int count = pkmap_count[nr];

	if (count < 0)
		return highmem_invalid("negative pkmap_count", nr, count, 0);
	if (!count) {
		if (page)
			return highmem_invalid("free entry has a PTE", nr, (long)page_to_pfn(page), 0);
		if (pam->page || !list_empty(&pam->list))
			return highmem_invalid("free entry is hashed", nr, 0, 0);
		return 0;
	}
	if (!page)
		return highmem_invalid("entry in use has no PTE", nr, count, 0);
	if (!PageHighMem(page))
		return highmem_invalid("pkmap maps a lowmem page", nr, (long)page_to_pfn(page), 0);
	if (pam->page != page)
		return highmem_invalid("PTE and page_address_map disagree", nr,
				       (long)page_to_pfn(page),
				       pam->page ? (long)page_to_pfn(pam->page) : -1);
	if (pam->virtual != kva_to_host(PKMAP_ADDR(nr)) ||
	    page_address_highmem(page) != pam->virtual)
		return highmem_invalid("page_address() is not the entry's address", nr,
				       (long)page_to_pfn(page), 0);
	*refs += count - 1;
	(*mapped)++;
	return 0;
}

/* Every hashed entry sits in its page's bucket and belongs to a live pkmap entry. */
static int validate_page_address_htable(unsigned int mapped)
{
	unsigned int hashed = 0;

	for (unsigned int b = 0; b < PA_HASH_SIZE; b++) {
		struct page_address_slot *pas = &page_address_htable[b];
		struct page_address_map *pam;

		list_for_each_entry(pam, &pas->lh, list) {
			unsigned int nr = (unsigned int)(pam - page_address_maps);

			if (!pam->page || page_slot(pam->page) != pas)
				return highmem_invalid("entry hashed in the wrong bucket", nr, b, 0);
			if (!pkmap_count[nr])
				return highmem_invalid("hashed entry is free", nr, 0, 0);
			hashed++;
		}
	}
	if (hashed != mapped)
		return highmem_invalid("hashed entries vs entries in use", 0, hashed, mapped);
	return 0;
}

/* Slots below idx map the recorded pages, slots above are empty. */
static int validate_kmap_local(int cpu)
{
	struct kmap_ctrl *kc = &kmap_ctrl[cpu];

	if (kc->idx < 0 || kc->idx > KM_MAX_IDX)
		return highmem_invalid("kmap_local depth out of range", (unsigned int)cpu, kc->idx, 0);
	if (kc->preempt_count < 0 || kc->pagefault_disabled < 0)
		return highmem_invalid("negative preempt/pagefault count", (unsigned int)cpu,
				       kc->preempt_count, kc->pagefault_disabled);
	if (!nr_pkmap)
		return kc->idx ? highmem_invalid("kmap_local slot used without highmem",
						 (unsigned int)cpu, kc->idx, 0) : 0;
	for (int i = 0; i < KM_MAX_IDX; i++) {
		struct page *page = kernel_walk_page(kmap_local_slot_addr(cpu, i));
		struct page *want = i < kc->idx ? kc->pages[i] : NULL;

		if (page != want)
			return highmem_invalid("kmap_local slot PTE vs stack", (unsigned int)i,
					       page ? (long)page_to_pfn(page) : -1,
					       want ? (long)page_to_pfn(want) : -1);
	}
	return 0;
}

/**
 * validate_highmem - check the kmap invariants
 *
 * For every pkmap entry, pkmap_count[], the PTE in init_mm and
 * page_address_htable agree (a free entry has no PTE and no hash entry; an
 * entry in use maps a HighMem page that page_address() finds at the entry's
 * address); the reference total matches; every CPU's kmap_local slots below
 * its depth map the pages recorded there and the others are empty.
 * Context: no concurrent kmap users (tests); takes kmap_lock.  Without a
 * booted machine there is nothing to check.
 * Return: 0, or -EINVAL after a "validate_highmem:" line in dmesg.
 */
int validate_highmem(void)
{
	unsigned int mapped = 0;
	long refs = 0;
	int ret = 0;

	if (!highmem_ready || !linmm_booted)
		return 0;
	spin_lock(&kmap_lock);
	for (unsigned int nr = 0; nr < nr_pkmap && !ret; nr++)
		ret = validate_pkmap_entry(nr, &refs, &mapped);
	if (!ret && refs != pkmap_refs)
		ret = highmem_invalid("kmap references vs pkmap_count", 0, refs, pkmap_refs);
	if (!ret)
		ret = validate_page_address_htable(mapped);
	spin_unlock(&kmap_lock);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids && !ret; cpu++)
		ret = validate_kmap_local((int)cpu);
	return ret;
}
