// SPDX-License-Identifier: MIT
/*
 * resource.c - the physical address resource tree and /proc/iomem
 * (kernel/resource.c, with arch/x86/kernel/e820.c's e820__reserve_resources
 * and setup_arch()'s kernel image resources).
 *
 * The tree: every resource has a parent, a sorted singly linked list of
 * children (child, then sibling) and inclusive bounds.  Insertion finds the
 * slot among the children of a parent; a child that overlaps is a
 * "conflict".  request_resource() stops at a conflict; insert_resource()
 * descends into a conflict that contains the new range, and when the new
 * range instead contains a run of siblings it becomes their parent:
 *
 *   before:  root ─ [RAM .............................]
 *   insert "Kernel code" [01000000-0220b7ff]:
 *   after:   root ─ [RAM ─ [Kernel code] .............]
 *
 *   before:  root ─ [code] [rodata]            (image inserted first)
 *   insert "System RAM" [00100000-3fffffff]:
 *   after:   root ─ [System RAM ─ [code] [rodata]]
 *
 * Resources come from a fixed pool, so building the tree never touches the
 * host heap; the kernel image resources are static.
 *
 * Invariants: siblings are sorted by start and disjoint; every child lies
 * within its parent; every resource in the tree has parent set.
 * Locks: resource_lock protects the whole tree (the kernel's rwlock).
 */
#include <string.h>

#include <linmm/ioport.h>
#include <linmm/mmzone.h>
#include <linmm/spinlock.h>

#include "arch/arch.h"
#include "arch/x86/e820.h"

#define NR_RESOURCES 512
#define ISA_END_ADDRESS 0x100000ULL

struct resource iomem_resource = {
	.name = "PCI mem",
	.start = 0,
	.end = ~0ULL,
	.flags = IORESOURCE_MEM,
};

static spinlock_t resource_lock = __SPIN_LOCK_UNLOCKED;

static struct resource resource_pool[NR_RESOURCES];
static bool resource_pool_used[NR_RESOURCES];

static struct resource code_resource = { .name = "Kernel code" };
static struct resource rodata_resource = { .name = "Kernel rodata" };
static struct resource data_resource = { .name = "Kernel data" };
static struct resource bss_resource = { .name = "Kernel bss" };

/* The e820 entries' resources, in table order, for the late pass. */
static struct resource *e820_res[E820_MAX_ENTRIES];

static struct resource *alloc_resource(void)
{
	for (int i = 0; i < NR_RESOURCES; i++) {
		if (!resource_pool_used[i]) {
			resource_pool_used[i] = true;
			memset(&resource_pool[i], 0, sizeof(resource_pool[i]));
			return &resource_pool[i];
		}
	}
	return NULL;
}

static void free_resource(struct resource *res)
{
	if (res >= resource_pool && res < resource_pool + NR_RESOURCES)
		resource_pool_used[res - resource_pool] = false;
}

/*
 * Link @new among @root's children if it overlaps none of them.
 * Return: NULL when linked, else the conflicting child, or @root itself when
 * @new does not fit inside it.
 */
static struct resource *__request_resource(struct resource *root, struct resource *new)
{
	struct resource **link = &root->child;
	struct resource *tmp;

	if (new->end < new->start || new->start < root->start || new->end > root->end)
		return root;
	for (tmp = *link; tmp; link = &tmp->sibling, tmp = *link) {
		if (tmp->start > new->end)
			break;		/* slot found: everything after starts later */
		if (tmp->end >= new->start)
			return tmp;	/* overlap */
	}
	new->sibling = tmp;
	new->parent = root;
	*link = new;
	return NULL;
}

/*
 * Insert @new below @parent (see the pictures above).
 * Return: NULL when inserted, else the resource in the way.
 */
static struct resource *__insert_resource(struct resource *parent, struct resource *new)
{
	struct resource *first, *last, **link;

	for (;;) {
		first = __request_resource(parent, new);
		if (!first || first == parent || first == new)
			return first;
		if (first->start > new->start || first->end < new->end)
			break;		/* @first does not contain @new */
		if (first->start == new->start && first->end == new->end)
			break;		/* same range: @new wraps @first */
		parent = first;		/* descend */
	}

	/* @new must contain @first and every following sibling it overlaps. */
	for (last = first;; last = last->sibling) {
		if (last->start < new->start || last->end > new->end)
			return last;	/* partial overlap */
		if (!last->sibling || last->sibling->start > new->end)
			break;
	}

	for (link = &parent->child; *link != first; link = &(*link)->sibling)
		;
	*link = new;
	new->parent = parent;
	new->child = first;
	new->sibling = last->sibling;
	last->sibling = NULL;
	for (struct resource *r = first; r; r = r->sibling)
		r->parent = new;
	return NULL;
}

int request_resource(struct resource *root, struct resource *new)
{
	struct resource *conflict;

	spin_lock(&resource_lock);
	conflict = __request_resource(root, new);
	spin_unlock(&resource_lock);
	return conflict ? -EBUSY : 0;
}

int insert_resource(struct resource *parent, struct resource *new)
{
	struct resource *conflict;

	spin_lock(&resource_lock);
	conflict = __insert_resource(parent, new);
	spin_unlock(&resource_lock);
	return conflict ? -EBUSY : 0;
}

static int __release_resource(struct resource *old)
{
	struct resource **link;

	if (!old->parent || old->child)
		return -EINVAL;
	for (link = &old->parent->child; *link; link = &(*link)->sibling) {
		if (*link == old) {
			*link = old->sibling;
			old->parent = NULL;
			old->sibling = NULL;
			return 0;
		}
	}
	return -EINVAL;
}

int release_resource(struct resource *old)
{
	int ret;

	spin_lock(&resource_lock);
	ret = __release_resource(old);
	spin_unlock(&resource_lock);
	return ret;
}

struct resource *__request_region(struct resource *parent, resource_size_t start,
				  resource_size_t n, const char *name, unsigned long flags)
{
	struct resource *res, *conflict;

	spin_lock(&resource_lock);
	res = alloc_resource();
	if (!res)
		goto out_unlock;
	res->start = start;
	res->end = start + n - 1;
	res->name = name;
	res->flags = flags | IORESOURCE_BUSY;
	for (;;) {
		conflict = __request_resource(parent, res);
		if (!conflict)
			break;
		/* Nest inside a non-busy resource that contains the region. */
		if (conflict != parent && !(conflict->flags & IORESOURCE_BUSY) &&
		    conflict->start <= res->start && conflict->end >= res->end) {
			parent = conflict;
			continue;
		}
		free_resource(res);
		res = NULL;
		break;
	}
out_unlock:
	spin_unlock(&resource_lock);
	return res;
}

/* Find the busy region [start, end] at or below @parent. */
static struct resource *find_region(struct resource *parent, resource_size_t start,
				    resource_size_t end)
{
	for (struct resource *r = parent->child; r; r = r->sibling) {
		if (r->start == start && r->end == end && (r->flags & IORESOURCE_BUSY))
			return r;
		if (r->start <= start && r->end >= end)
			return find_region(r, start, end);
		if (r->start > end)
			break;
	}
	return NULL;
}

void __release_region(struct resource *parent, resource_size_t start, resource_size_t n)
{
	struct resource *res;

	spin_lock(&resource_lock);
	res = find_region(parent, start, start + n - 1);
	if (res && !__release_resource(res))
		free_resource(res);
	spin_unlock(&resource_lock);
}

/* Claim [start, end] at @root's level wherever it is free, splitting around conflicts. */
static int __reserve_region_with_split(struct resource *root, resource_size_t start,
				       resource_size_t end, const char *name)
{
	struct resource *res = alloc_resource();
	struct resource *conflict;
	int ret = 0;

	if (!res)
		return -ENOMEM;
	res->start = start;
	res->end = end;
	res->name = name;
	res->flags = (root->flags & IORESOURCE_MEM) | IORESOURCE_BUSY;
	conflict = __request_resource(root, res);
	if (!conflict)
		return 0;
	free_resource(res);
	if (conflict == root)
		return 0;
	if (conflict->start > start)
		ret = __reserve_region_with_split(root, start, conflict->start - 1, name);
	if (!ret && conflict->end < end)
		ret = __reserve_region_with_split(root, conflict->end + 1, end, name);
	return ret;
}

void reserve_region_with_split(struct resource *root, resource_size_t start,
			       resource_size_t end, const char *name)
{
	spin_lock(&resource_lock);
	__reserve_region_with_split(root, start, end, name);
	spin_unlock(&resource_lock);
}

int insert_resource_named(u64 start, u64 end, const char *name)
{
	struct resource *res;
	int ret = 0;

	spin_lock(&resource_lock);
	res = alloc_resource();
	if (!res) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	res->start = start;
	res->end = end;
	res->name = name;
	res->flags = IORESOURCE_MEM | IORESOURCE_BUSY;
	if (__insert_resource(&iomem_resource, res)) {
		free_resource(res);
		ret = -EBUSY;
	}
out_unlock:
	spin_unlock(&resource_lock);
	return ret;
}

void linmm_kernel_image_layout(const struct linmm_arch *arch, struct linmm_kernel_image *img)
{
	phys_addr_t align = arch->bits == 64 ? 2 * SZ_1M : PAGE_SIZE;

	img->code_start = arch->kernel_start;
	img->code_end = img->code_start + arch->kernel_code_k * SZ_1K;
	img->rodata_start = ALIGN(img->code_end, align);
	img->rodata_end = img->rodata_start + arch->kernel_rodata_k * SZ_1K;
	img->data_start = ALIGN(img->rodata_end, align);
	img->data_end = img->data_start + arch->kernel_rwdata_k * SZ_1K;
	img->init_start = ALIGN(img->data_end, PAGE_SIZE);
	img->init_end = img->init_start + arch->kernel_init_k * SZ_1K;
	img->bss_start = ALIGN(img->init_end, PAGE_SIZE);
	img->bss_end = img->bss_start + arch->kernel_bss_k * SZ_1K;
	img->start = img->code_start;
	img->end = ALIGN(img->bss_end, PAGE_SIZE);
}

/* e820_type_to_string(): the names /proc/iomem shows. */
static const char *e820_type_to_string(enum e820_type type)
{
	switch (type) {
	case E820_TYPE_RAM: return "System RAM";
	case E820_TYPE_ACPI: return "ACPI Tables";
	case E820_TYPE_NVS: return "ACPI Non-volatile Storage";
	case E820_TYPE_UNUSABLE: return "Unusable memory";
	case E820_TYPE_PRAM: return "Persistent Memory (legacy)";
	case E820_TYPE_PMEM: return "Persistent Memory";
	case E820_TYPE_RESERVED: return "Reserved";
	}
	return "Unknown E820 type";
}

/*
 * do_mark_busy(): everything below 1 MiB and every kind of RAM goes in at
 * once; reserved and persistent ranges above 1 MiB wait for the late pass,
 * because on real hardware PCI windows may claim them first.
 */
static bool e820_insert_early(enum e820_type type, resource_size_t start)
{
	if (start < ISA_END_ADDRESS)
		return true;
	switch (type) {
	case E820_TYPE_RESERVED:
	case E820_TYPE_PRAM:
	case E820_TYPE_PMEM:
		return false;
	default:
		return true;
	}
}

/* ram_alignment(): how far past the end of RAM the "RAM buffer" reaches. */
static resource_size_t ram_alignment(resource_size_t pos)
{
	unsigned long mb = (unsigned long)(pos >> 20);

	if (!mb)
		return 64 * SZ_1K;
	if (mb < 16)
		return SZ_1M;
	return 64 * SZ_1M;
}

static void insert_resource_expand_to_fit(struct resource *root, struct resource *new)
{
	struct resource *conflict;

	while ((conflict = __insert_resource(root, new)) && conflict != root && conflict != new) {
		new->start = min(new->start, conflict->start);
		new->end = max(new->end, conflict->end);
	}
}

static void insert_kernel_resources(void)
{
	struct linmm_kernel_image img;
	struct {
		struct resource *res;
		phys_addr_t start, end;
	} parts[4];

	linmm_kernel_image_layout(linmm_arch, &img);
	parts[0].res = &code_resource, parts[0].start = img.code_start, parts[0].end = img.code_end;
	parts[1].res = &rodata_resource, parts[1].start = img.rodata_start, parts[1].end = img.rodata_end;
	parts[2].res = &data_resource, parts[2].start = img.data_start, parts[2].end = img.data_end;
	parts[3].res = &bss_resource, parts[3].start = img.bss_start, parts[3].end = img.bss_end;
	for (int i = 0; i < 4; i++) {
		struct resource *res = parts[i].res;

		res->start = parts[i].start;
		res->end = parts[i].end - 1;
		res->flags = IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY;
		res->parent = res->sibling = res->child = NULL;
		__insert_resource(&iomem_resource, res);
	}
}

/* The late pass: deferred reserved ranges, then "RAM buffer" after each RAM range. */
static int e820__reserve_resources_late(void)
{
	int ret = 0;

	for (u32 i = 0; i < e820_table->nr_entries; i++)
		if (e820_res[i] && !e820_res[i]->parent)
			insert_resource_expand_to_fit(&iomem_resource, e820_res[i]);
	for (u32 i = 0; i < e820_table->nr_entries && !ret; i++) {
		const struct e820_entry *e = &e820_table->entries[i];
		resource_size_t start, end;

		if (e->type != E820_TYPE_RAM)
			continue;
		start = e->addr + e->size;
		end = ALIGN(start, ram_alignment(start)) - 1;
		end = min(end, iomem_resource.end);
		if (start >= end)
			continue;
		ret = __reserve_region_with_split(&iomem_resource, start, end, "RAM buffer");
	}
	return ret;
}

static void __iomem_teardown(void)
{
	memset(resource_pool_used, 0, sizeof(resource_pool_used));
	memset(e820_res, 0, sizeof(e820_res));
	iomem_resource.child = NULL;
}

int e820__reserve_resources(void)
{
	int ret = 0;

	spin_lock(&resource_lock);
	__iomem_teardown();
	iomem_resource.end = (1ULL << linmm_arch->max_physmem_bits) - 1;
	insert_kernel_resources();
	for (u32 i = 0; i < e820_table->nr_entries; i++) {
		const struct e820_entry *e = &e820_table->entries[i];
		struct resource *res;

		if (e->addr + e->size - 1 > iomem_resource.end)
			continue;
		res = alloc_resource();
		if (!res) {
			ret = -ENOMEM;
			goto out_unlock;
		}
		res->start = e->addr;
		res->end = e->addr + e->size - 1;
		res->name = e820_type_to_string(e->type);
		res->flags = e->type == E820_TYPE_RAM ? IORESOURCE_SYSTEM_RAM : IORESOURCE_MEM;
		e820_res[i] = res;
		if (e820_insert_early(e->type, res->start)) {
			res->flags |= IORESOURCE_BUSY;
			__insert_resource(&iomem_resource, res);
		}
	}
	ret = e820__reserve_resources_late();
out_unlock:
	spin_unlock(&resource_lock);
	return ret;
}

void iomem_teardown(void)
{
	spin_lock(&resource_lock);
	__iomem_teardown();
	spin_unlock(&resource_lock);
}

/* Depth-first successor of @r below the root. */
static struct resource *next_resource(struct resource *r)
{
	if (r->child)
		return r->child;
	while (!r->sibling && r->parent != &iomem_resource)
		r = r->parent;
	return r->sibling;
}

void iomem_show(struct seq_file *m)
{
	int width = iomem_resource.end < 0x10000 ? 4 : 8;

	spin_lock(&resource_lock);
	for (struct resource *r = iomem_resource.child; r; r = next_resource(r)) {
		int depth = 0;

		for (struct resource *p = r->parent; p != &iomem_resource; p = p->parent)
			depth++;
		seq_printf(m, "%*s%0*llx-%0*llx : %s\n", depth * 2, "", width,
			   (unsigned long long)r->start, width, (unsigned long long)r->end,
			   r->name ? r->name : "<BAD>");
	}
	spin_unlock(&resource_lock);
}
