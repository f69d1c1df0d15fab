/* SPDX-License-Identifier: MIT */
/*
 * memblock.c - the boot-time memory allocator (mm/memblock.c).
 *
 * Two region arrays, memblock.memory and memblock.reserved, each sorted by
 * base, non-overlapping, with adjacent regions of the same node and flags
 * merged.  Free memory is memory minus reserved:
 *
 *   memory:    [=========]   [=====================]
 *   reserved:     [==]           [===]      [==]
 *   free:      [=]    [==]   [==]     [====]    [==]
 *
 * Allocation is top-down (highest free address first) below current_limit,
 * as the kernel does unless memblock is set bottom-up.  The region arrays
 * start with INIT_MEMBLOCK_REGIONS slots and double when full; they live on
 * the host heap (the kernel moves them into memblock-allocated memory; the
 * layout of simulated RAM is the same either way, but the arrays' own bytes
 * are not accounted as reserved here).
 *
 * Locking: boot is single-threaded, as in the kernel.
 */
#include <string.h>

#include <linmm/memblock.h>
#include <linmm/mm.h>
#include <linmm/printk.h>

#include "kernel/host.h"
#include "kernel/machine.h"

struct memblock memblock;

#define memblock_dbg(fmt, ...)                                 \
	do {                                                   \
		if (boot_params.memblock_debug)                \
			pr_info(fmt, ##__VA_ARGS__);           \
	} while (0)

static int type_init(struct memblock_type *type, const char *name)
{
	type->regions = linmm_host_zalloc(INIT_MEMBLOCK_REGIONS * sizeof(*type->regions));
	if (!type->regions)
		return -ENOMEM;
	type->max = INIT_MEMBLOCK_REGIONS;
	type->cnt = 0;
	type->total_size = 0;
	type->name = name;
	return 0;
}

void memblock_init(void)
{
	memblock_teardown();
	if (type_init(&memblock.memory, "memory") || type_init(&memblock.reserved, "reserved"))
		memblock_teardown();
	memblock.bottom_up = false;
	memblock.current_limit = MEMBLOCK_ALLOC_ANYWHERE;
}

void memblock_teardown(void)
{
	linmm_host_free(memblock.memory.regions);
	linmm_host_free(memblock.reserved.regions);
	memset(&memblock, 0, sizeof(memblock));
}

static int memblock_double_array(struct memblock_type *type)
{
	struct memblock_region *nr;

	nr = linmm_host_realloc(type->regions, 2 * type->max * sizeof(*nr));
	if (!nr)
		return -ENOMEM;
	memblock_dbg("memblock: %s is doubled to %ld\n", type->name, (long)(type->max * 2));
	type->regions = nr;
	type->max *= 2;
	return 0;
}

static int insert_region(struct memblock_type *type, unsigned long idx, phys_addr_t base,
			 phys_addr_t size, int nid, enum memblock_flags flags)
{
	if (type->cnt == type->max && memblock_double_array(type))
		return -ENOMEM;
	memmove(&type->regions[idx + 1], &type->regions[idx],
		(type->cnt - idx) * sizeof(*type->regions));
	type->regions[idx] = (struct memblock_region){ base, size, flags, nid };
	type->cnt++;
	type->total_size += size;
	return 0;
}

static void remove_region(struct memblock_type *type, unsigned long idx)
{
	type->total_size -= type->regions[idx].size;
	memmove(&type->regions[idx], &type->regions[idx + 1],
		(type->cnt - idx - 1) * sizeof(*type->regions));
	type->cnt--;
}

static void merge_regions(struct memblock_type *type)
{
	unsigned long i = 0;

	while (i + 1 < type->cnt) {
		struct memblock_region *a = &type->regions[i], *b = &type->regions[i + 1];

		if (a->base + a->size != b->base || a->nid != b->nid || a->flags != b->flags) {
			i++;
			continue;
		}
		a->size += b->size;
		memmove(b, b + 1, (type->cnt - i - 2) * sizeof(*b));
		type->cnt--;
	}
}

/* Add the parts of [base, base+size) not already covered. */
static int memblock_add_range(struct memblock_type *type, phys_addr_t base, phys_addr_t size,
			      int nid, enum memblock_flags flags)
{
	phys_addr_t end = base + size;
	unsigned long i;
	int ret;

	if (!size)
		return 0;
	if (end < base)
		return -EINVAL;
	for (i = 0; i < type->cnt && base < end; i++) {
		struct memblock_region *r = &type->regions[i];
		phys_addr_t rend = r->base + r->size;

		if (rend <= base)
			continue;
		if (r->base >= end)
			break;
		if (r->base > base) {
			ret = insert_region(type, i, base, r->base - base, nid, flags);
			if (ret)
				return ret;
			i++;
			r = &type->regions[i];
		}
		base = min(rend, end);
	}
	if (base < end) {
		ret = insert_region(type, i, base, end - base, nid, flags);
		if (ret)
			return ret;
	}
	merge_regions(type);
	return 0;
}

/* Split regions so that base and end are region boundaries. */
static int isolate_range(struct memblock_type *type, phys_addr_t base, phys_addr_t end)
{
	for (unsigned long i = 0; i < type->cnt; i++) {
		struct memblock_region *r = &type->regions[i];
		phys_addr_t rend = r->base + r->size;
		phys_addr_t cut = 0;
		int ret;

		if (r->base < base && base < rend)
			cut = base;
		else if (r->base < end && end < rend)
			cut = end;
		if (!cut)
			continue;
		struct memblock_region copy = *r;

		r->size = cut - r->base;
		type->total_size -= rend - cut;
		ret = insert_region(type, i + 1, cut, rend - cut, copy.nid, copy.flags);
		if (ret)
			return ret;
	}
	return 0;
}

static int memblock_remove_range(struct memblock_type *type, phys_addr_t base, phys_addr_t size)
{
	phys_addr_t end = base + size;
	int ret;

	if (!size)
		return 0;
	ret = isolate_range(type, base, end);
	if (ret)
		return ret;
	for (unsigned long i = type->cnt; i-- > 0;) {
		struct memblock_region *r = &type->regions[i];

		if (r->base >= base && r->base + r->size <= end)
			remove_region(type, i);
	}
	return 0;
}

int memblock_add_node(phys_addr_t base, phys_addr_t size, int nid, enum memblock_flags flags)
{
	memblock_dbg("memblock_add: [%#018llx-%#018llx] nid=%d flags=%x\n",
		     (unsigned long long)base, (unsigned long long)(base + size - 1), nid, flags);
	return memblock_add_range(&memblock.memory, base, size, nid, flags);
}

int memblock_add(phys_addr_t base, phys_addr_t size)
{
	return memblock_add_node(base, size, NUMA_NO_NODE, MEMBLOCK_NONE);
}

int memblock_remove(phys_addr_t base, phys_addr_t size)
{
	memblock_dbg("memblock_remove: [%#018llx-%#018llx]\n", (unsigned long long)base,
		     (unsigned long long)(base + size - 1));
	return memblock_remove_range(&memblock.memory, base, size);
}

int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	memblock_dbg("memblock_reserve: [%#018llx-%#018llx]\n", (unsigned long long)base,
		     (unsigned long long)(base + size - 1));
	return memblock_add_range(&memblock.reserved, base, size, NUMA_NO_NODE, MEMBLOCK_NONE);
}

int memblock_phys_free(phys_addr_t base, phys_addr_t size)
{
	memblock_dbg("memblock_phys_free: [%#018llx-%#018llx]\n", (unsigned long long)base,
		     (unsigned long long)(base + size - 1));
	return memblock_remove_range(&memblock.reserved, base, size);
}

int memblock_set_node(phys_addr_t base, phys_addr_t size, int nid)
{
	struct memblock_type *type = &memblock.memory;
	phys_addr_t end = base + size;
	int ret = isolate_range(type, base, end);

	if (ret)
		return ret;
	for (unsigned long i = 0; i < type->cnt; i++) {
		struct memblock_region *r = &type->regions[i];

		if (r->base >= base && r->base + r->size <= end)
			r->nid = nid;
	}
	merge_regions(type);
	return 0;
}

void memblock_trim_memory(phys_addr_t align)
{
	struct memblock_type *type = &memblock.memory;

	for (unsigned long i = 0; i < type->cnt;) {
		struct memblock_region *r = &type->regions[i];
		phys_addr_t s = ALIGN(r->base, align), e = ALIGN_DOWN(r->base + r->size, align);

		if (s >= e) {
			remove_region(type, i);
			continue;
		}
		type->total_size -= r->size - (e - s);
		r->base = s;
		r->size = e - s;
		i++;
	}
}

void memblock_set_current_limit(phys_addr_t limit)
{
	memblock.current_limit = limit;
}

/*
 * The idx-th free range (memory minus reserved), ascending.  The index
 * encodes (memory region << 32 | reserved cursor) so that a walk is linear.
 */
bool memblock_next_free_range(u64 *idx, phys_addr_t *out_start, phys_addr_t *out_end, int *out_nid)
{
	struct memblock_type *mem = &memblock.memory, *rsv = &memblock.reserved;
	unsigned long mi = (unsigned long)(*idx >> 32), ri = (unsigned long)(*idx & 0xffffffffu);

	for (; mi < mem->cnt; mi++, ri = 0) {
		const struct memblock_region *m = &mem->regions[mi];
		phys_addr_t mbase = m->base, mend = m->base + m->size;

		/* ri counts the gaps between reserved regions: gap k lies after reserved[k-1]. */
		for (; ri <= rsv->cnt; ri++) {
			phys_addr_t gstart = ri ? rsv->regions[ri - 1].base + rsv->regions[ri - 1].size : 0;
			phys_addr_t gend = ri < rsv->cnt ? rsv->regions[ri].base : MEMBLOCK_ALLOC_ANYWHERE;

			if (gstart >= mend)
				break;
			if (gend <= mbase)
				continue;
			*out_start = max(gstart, mbase);
			*out_end = min(gend, mend);
			if (out_nid)
				*out_nid = m->nid;
			*idx = ((u64)mi << 32) | (ri + 1);
			return true;
		}
	}
	*idx = (u64)mem->cnt << 32;
	return false;
}

phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align, phys_addr_t start,
				      phys_addr_t end, int nid)
{
	phys_addr_t best = 0;
	phys_addr_t s, e;
	u64 idx = 0;
	int rnid;

	if (!align)
		align = PAGE_SIZE;
	if (end == MEMBLOCK_ALLOC_ACCESSIBLE || end > memblock.current_limit)
		end = memblock.current_limit;
	if (!start)
		start = PAGE_SIZE;	/* never hand out physical 0 */
	while (memblock_next_free_range(&idx, &s, &e, &rnid)) {
		phys_addr_t cand;

		if (nid != NUMA_NO_NODE && rnid != nid)
			continue;
		s = max(s, start);
		e = min(e, end);
		if (s >= e || e - s < size)
			continue;
		cand = ALIGN_DOWN(e - size, align);
		if (cand < s)
			continue;
		if (!best || cand > best)
			best = cand;	/* top-down: keep the highest fit */
	}
	if (!best && nid != NUMA_NO_NODE)
		return memblock_phys_alloc_range(size, align, start, end, NUMA_NO_NODE);
	if (!best || memblock_reserve(best, size))
		return 0;
	memblock_dbg("memblock_alloc_range: %llu bytes align=%#llx nid=%d -> %#llx\n",
		     (unsigned long long)size, (unsigned long long)align, nid,
		     (unsigned long long)best);
	return best;
}

phys_addr_t memblock_phys_alloc_try_nid(phys_addr_t size, phys_addr_t align, int nid)
{
	return memblock_phys_alloc_range(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE, nid);
}

void *memblock_alloc_try_nid(phys_addr_t size, phys_addr_t align, int nid)
{
	phys_addr_t pa = memblock_phys_alloc_try_nid(size, align, nid);
	void *va;

	if (!pa)
		return NULL;
	va = __va(pa);
	memset(va, 0, size);
	return va;
}

phys_addr_t memblock_phys_mem_size(void)
{
	return memblock.memory.total_size;
}

phys_addr_t memblock_reserved_size(void)
{
	return memblock.reserved.total_size;
}

phys_addr_t memblock_start_of_DRAM(void)
{
	return memblock.memory.cnt ? memblock.memory.regions[0].base : 0;
}

phys_addr_t memblock_end_of_DRAM(void)
{
	const struct memblock_type *t = &memblock.memory;

	return t->cnt ? t->regions[t->cnt - 1].base + t->regions[t->cnt - 1].size : 0;
}

static long search(const struct memblock_type *type, phys_addr_t addr)
{
	unsigned long lo = 0, hi = type->cnt;

	while (lo < hi) {
		unsigned long mid = (lo + hi) / 2;
		const struct memblock_region *r = &type->regions[mid];

		if (addr < r->base)
			hi = mid;
		else if (addr >= r->base + r->size)
			lo = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}

bool memblock_is_memory(phys_addr_t addr)
{
	return search(&memblock.memory, addr) >= 0;
}

bool memblock_is_reserved(phys_addr_t addr)
{
	return search(&memblock.reserved, addr) >= 0;
}

bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size)
{
	const struct memblock_type *t = &memblock.reserved;

	for (unsigned long i = 0; i < t->cnt; i++)
		if (t->regions[i].base < base + size && base < t->regions[i].base + t->regions[i].size)
			return true;
	return false;
}

unsigned long memblock_present_pages(unsigned long start_pfn, unsigned long end_pfn, int nid)
{
	const struct memblock_type *t = &memblock.memory;
	unsigned long n = 0;

	for (unsigned long i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];
		unsigned long s = PFN_UP(r->base), e = PFN_DOWN(r->base + r->size);

		if (nid != NUMA_NO_NODE && r->nid != nid)
			continue;
		s = max(s, start_pfn);
		e = min(e, end_pfn);
		if (s < e)
			n += e - s;
	}
	return n;
}

static int validate_type(const struct memblock_type *t)
{
	phys_addr_t total = 0;

	for (unsigned long i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];

		if (!r->size || r->base + r->size < r->base)
			return -EINVAL;
		if (i) {
			const struct memblock_region *p = &t->regions[i - 1];

			if (p->base + p->size > r->base)
				return -EINVAL;	/* unsorted or overlapping */
			if (p->base + p->size == r->base && p->nid == r->nid && p->flags == r->flags)
				return -EINVAL;	/* should have been merged */
		}
		total += r->size;
	}
	return total == t->total_size ? 0 : -EINVAL;
}

int validate_memblock(void)
{
	if (validate_type(&memblock.memory) || validate_type(&memblock.reserved))
		return -EINVAL;
	return 0;
}
