/* SPDX-License-Identifier: MIT */
/*
 * mempolicy.c - NUMA memory policies for page allocations (mm/mempolicy.c).
 *
 * A policy turns an allocation request into a preferred node and an
 * optional nodemask for __alloc_pages():
 *
 *   mode                 preferred node            nodemask
 *   MPOL_LOCAL/DEFAULT   the caller's node         none
 *   MPOL_PREFERRED       the policy's node         none (falls back anywhere)
 *   MPOL_PREFERRED_MANY  the caller's node         the set, then anywhere
 *   MPOL_BIND            the caller's node         the set (never leaves it)
 *   MPOL_INTERLEAVE      next node of the set      none
 *
 * The zonelist of the preferred node then orders the fallback by distance.
 * MPOL_BIND only restricts allocations that may use policy_zone (the
 * highest non-Movable zone any node has): a GFP_DMA request under BIND
 * still gets DMA memory wherever it is, as in the kernel.
 *
 * Interleaving without an index rotates the task's il_prev over the set:
 * starting at the first node after set_mempolicy(), deterministic.
 * MPOL_WEIGHTED_INTERLEAVE uses the kernel's default weight of 1 for every
 * node, which makes it rotate exactly like MPOL_INTERLEAVE.
 *
 * Without a task policy, allocations prefer the local node
 * (preferred_node_policy[] in the kernel), and __GFP_THISNODE requests
 * ignore the task policy.
 *
 * linmm has one "current" task, so the task policy is one structure.
 * Locks: task_lock protects current_task (the kernel's task_lock(current));
 * it is never held across an allocation.
 */
#include <linmm/mempolicy.h>
#include <linmm/memblock.h>
#include <linmm/smp.h>
#include <linmm/vmstat.h>

#include "arch/arch.h"
#include "mm/internal.h"

/* Largest nodemask the syscalls accept (PAGE_SIZE * BITS_PER_BYTE bits). */
#define MAX_NODEMASK_BITS (PAGE_SIZE * 8)
#define HPAGE_PMD_ORDER 9

int policy_zone;

static struct {
	spinlock_t lock;
	_Atomic bool has_policy;	/* written under lock; read locklessly by the fast path */
	struct mempolicy pol;
	int il_prev;		/* last interleave node */
} current_task = { .lock = __SPIN_LOCK_UNLOCKED };

static struct mempolicy default_policy = {
	.mode = MPOL_LOCAL,
	.home_node = NUMA_NO_NODE,
};

static int nodes_weight(const nodemask_t *m)
{
	int w = 0;

	for (int i = 0; i < NODEMASK_LONGS; i++)
		w += __builtin_popcountl(m->bits[i]);
	return w;
}

/* The next node of @m after @nid, wrapping; MAX_NUMNODES if @m is empty. */
static int next_node_in(int nid, const nodemask_t *m)
{
	for (int i = 1; i <= MAX_NUMNODES; i++) {
		int n = (nid + i) % MAX_NUMNODES;

		if (node_in_mask(n, m))
			return n;
	}
	return MAX_NUMNODES;
}

/* cpuset_current_mems_allowed & node_states[N_MEMORY]: online nodes with memory. */
static void nodes_with_memory(nodemask_t *m)
{
	int nid;

	nodes_clear(m);
	for_each_online_node(nid)
		if (node_has_memory(nid))
			node_set(nid, m);
}

static void nodes_and(nodemask_t *dst, const nodemask_t *a, const nodemask_t *b)
{
	for (int i = 0; i < NODEMASK_LONGS; i++)
		dst->bits[i] = a->bits[i] & b->bits[i];
}

/*
 * mpol_relative_nodemask: bit i of @orig (folded modulo the weight of @rel)
 * selects the i-th node of @rel.
 */
static void mpol_relative_nodemask(nodemask_t *ret, const nodemask_t *orig,
				   const nodemask_t *rel)
{
	int w = nodes_weight(rel);

	nodes_clear(ret);
	if (!w)
		return;
	for (int b = 0; b < MAX_NUMNODES; b++) {
		int target, n = -1;

		if (!node_in_mask(b, orig))
			continue;
		target = b % w;
		for (int k = 0; k <= target; k++)
			n = next_node_in(n < 0 ? MAX_NUMNODES - 1 : n, rel);
		node_set(n, ret);
	}
}

/* get_nodes(): copy the syscall's node bitmap, rejecting bits past MAX_NUMNODES. */
static int get_nodes(nodemask_t *nodes, const unsigned long *nmask, unsigned long maxnode)
{
	nodes_clear(nodes);
	--maxnode;
	if (maxnode == 0 || !nmask)
		return 0;
	if (maxnode > MAX_NODEMASK_BITS)
		return -EINVAL;
	for (unsigned long bit = MAX_NUMNODES; bit < maxnode; bit++)
		if (nmask[bit / BITS_PER_LONG] & (1UL << (bit % BITS_PER_LONG)))
			return -EINVAL;
	for (unsigned long bit = 0; bit < min(maxnode, (unsigned long)MAX_NUMNODES); bit++)
		if (nmask[bit / BITS_PER_LONG] & (1UL << (bit % BITS_PER_LONG)))
			node_set((int)bit, nodes);
	return 0;
}

static int sanitize_mpol_flags(int *mode, unsigned short *flags)
{
	*flags = (unsigned short)(*mode & MPOL_MODE_FLAGS);
	*mode &= ~MPOL_MODE_FLAGS;

	if ((unsigned int)*mode >= MPOL_MAX)
		return -EINVAL;
	if ((*flags & MPOL_F_STATIC_NODES) && (*flags & MPOL_F_RELATIVE_NODES))
		return -EINVAL;
	if (*flags & MPOL_F_NUMA_BALANCING) {
		if (*mode != MPOL_BIND && *mode != MPOL_PREFERRED_MANY)
			return -EINVAL;
		*flags |= MPOL_F_MOF | MPOL_F_MORON;
	}
	return 0;
}

static bool mpol_store_user_nodemask(const struct mempolicy *pol)
{
	return pol->flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES);
}

/*
 * mpol_new() + mpol_set_nodemask(): build policy @pol from @mode/@flags/@nodes.
 * Return: 1 for a real policy, 0 for MPOL_DEFAULT (no task policy), -EINVAL.
 */
static int mpol_build(struct mempolicy *pol, unsigned short mode, unsigned short flags,
		      const nodemask_t *nodes)
{
	nodemask_t allowed, effective;

	if (mode == MPOL_DEFAULT)
		return nodes_empty(nodes) ? 0 : -EINVAL;

	if (mode == MPOL_PREFERRED) {
		if (nodes_empty(nodes)) {
			if (flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES))
				return -EINVAL;
			mode = MPOL_LOCAL;
		}
	} else if (mode == MPOL_LOCAL) {
		if (!nodes_empty(nodes) || (flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES)))
			return -EINVAL;
	} else if (nodes_empty(nodes)) {
		return -EINVAL;
	}

	*pol = (struct mempolicy){ .mode = mode, .flags = flags, .home_node = NUMA_NO_NODE };
	if (mode == MPOL_LOCAL)
		return 1;

	nodes_with_memory(&allowed);
	if (flags & MPOL_F_RELATIVE_NODES)
		mpol_relative_nodemask(&effective, nodes, &allowed);
	else
		nodes_and(&effective, nodes, &allowed);
	if (mpol_store_user_nodemask(pol))
		pol->user_nodemask = *nodes;
	if (nodes_empty(&effective))
		return -EINVAL;

	if (mode == MPOL_PREFERRED)
		node_set(first_node(&effective), &pol->nodes);
	else
		pol->nodes = effective;
	return 1;
}

/**
 * set_mempolicy - set the current task's NUMA policy (set_mempolicy(2))
 * @mode: MPOL_* or'ed with optional MPOL_F_* mode flags
 * @nmask: node bitmap (may be NULL)
 * @maxnode: number of bits in @nmask plus one
 *
 * Context: machine booted; takes task_lock.
 * Return: 0; -EINVAL for an unknown mode, conflicting flags, a node bit past
 * MAX_NUMNODES, an empty set where one is needed, a set for MPOL_DEFAULT or
 * MPOL_LOCAL, or a set without a node that has memory; -ENOSYS without NUMA.
 */
long set_mempolicy(int mode, const unsigned long *nmask, unsigned long maxnode)
{
	struct mempolicy pol;
	unsigned short flags;
	nodemask_t nodes;
	int lmode = mode;
	int ret;

	if (!linmm_arch->numa)
		return -ENOSYS;
	ret = sanitize_mpol_flags(&lmode, &flags);
	if (ret)
		return ret;
	ret = get_nodes(&nodes, nmask, maxnode);
	if (ret)
		return ret;
	ret = mpol_build(&pol, (unsigned short)lmode, flags, &nodes);
	if (ret < 0)
		return ret;

	spin_lock(&current_task.lock);
	current_task.has_policy = ret > 0;
	if (ret > 0)
		current_task.pol = pol;
	if (ret > 0 && (pol.mode == MPOL_INTERLEAVE || pol.mode == MPOL_WEIGHTED_INTERLEAVE))
		current_task.il_prev = MAX_NUMNODES - 1;
	spin_unlock(&current_task.lock);
	return 0;
}

static int copy_nodes_out(unsigned long *nmask, unsigned long maxnode, const nodemask_t *nodes)
{
	unsigned long bits = maxnode - 1;

	if (bits > MAX_NODEMASK_BITS)
		return -EINVAL;
	for (unsigned long w = 0; w < DIV_ROUND_UP(bits, BITS_PER_LONG); w++)
		nmask[w] = w < NODEMASK_LONGS ? nodes->bits[w] : 0;
	return 0;
}

/**
 * get_mempolicy - read the current task's policy (get_mempolicy(2))
 * @mode: out: the mode (with its MPOL_F_STATIC/RELATIVE flags), or with
 *        MPOL_F_NODE the node the next interleaved allocation uses
 * @nmask: out (may be NULL): the policy's nodes, or the allowed nodes
 * @maxnode: bits of @nmask plus one; at least the number of nodes
 * @addr: only with MPOL_F_ADDR, else 0
 * @flags: 0, MPOL_F_NODE, MPOL_F_MEMS_ALLOWED or MPOL_F_ADDR
 *
 * Context: machine booted; takes task_lock.
 * Return: 0; -EINVAL for bad flags/@addr/@maxnode or MPOL_F_NODE without an
 * interleave policy; -EFAULT for MPOL_F_ADDR (the task has no VMAs);
 * -ENOSYS without NUMA.
 */
long get_mempolicy(int *mode, unsigned long *nmask, unsigned long maxnode,
		   unsigned long addr, unsigned long flags)
{
	struct mempolicy pol;
	nodemask_t nodes;
	bool task_pol;
	int il_prev;

	if (!linmm_arch->numa)
		return -ENOSYS;
	if (nmask && maxnode < (unsigned long)nr_online_nodes)
		return -EINVAL;
	if (flags & ~(unsigned long)(MPOL_F_NODE | MPOL_F_ADDR | MPOL_F_MEMS_ALLOWED))
		return -EINVAL;

	if (flags & MPOL_F_MEMS_ALLOWED) {
		if (flags & (MPOL_F_NODE | MPOL_F_ADDR))
			return -EINVAL;
		*mode = 0;
		nodes_clear(&nodes);
		for (int nid = 0; nid < nr_online_nodes; nid++)
			node_set(nid, &nodes);
		return nmask ? copy_nodes_out(nmask, maxnode, &nodes) : 0;
	}
	if (flags & MPOL_F_ADDR)
		return -EFAULT;
	if (addr)
		return -EINVAL;

	spin_lock(&current_task.lock);
	task_pol = current_task.has_policy;
	pol = task_pol ? current_task.pol : default_policy;
	il_prev = current_task.il_prev;
	spin_unlock(&current_task.lock);

	if (flags & MPOL_F_NODE) {
		if (!task_pol || (pol.mode != MPOL_INTERLEAVE &&
				  pol.mode != MPOL_WEIGHTED_INTERLEAVE))
			return -EINVAL;
		*mode = next_node_in(il_prev, &pol.nodes);
	} else {
		*mode = (task_pol ? pol.mode : MPOL_DEFAULT) | (pol.flags & MPOL_MODE_FLAGS);
	}

	if (!nmask)
		return 0;
	if (mpol_store_user_nodemask(&pol))
		nodes = pol.user_nodemask;
	else if (!task_pol || pol.mode == MPOL_LOCAL)
		nodes_clear(&nodes);
	else
		nodes = pol.nodes;
	return copy_nodes_out(nmask, maxnode, &nodes);
}

/* interleave_nodes(): rotate the task's il_prev over @pol's nodes. */
static int interleave_nodes(const struct mempolicy *pol)
{
	int nid;

	spin_lock(&current_task.lock);
	nid = next_node_in(current_task.il_prev, &pol->nodes);
	if (nid < MAX_NUMNODES)
		current_task.il_prev = nid;
	spin_unlock(&current_task.lock);
	return nid;
}

/* interleave_nid(): the (@ilx mod weight)-th node of @pol's nodes. */
static int interleave_nid(const struct mempolicy *pol, unsigned long ilx)
{
	int nnodes = nodes_weight(&pol->nodes), nid;
	unsigned long target;

	if (!nnodes)
		return numa_node_id();
	target = ilx % (unsigned long)nnodes;
	nid = first_node(&pol->nodes);
	while (target--)
		nid = next_node_in(nid, &pol->nodes);
	return nid;
}

/*
 * apply_policy_zone(): BIND restricts only allocations that may reach
 * policy_zone (or Movable when the set has Movable memory only).
 */
static bool apply_policy_zone(const struct mempolicy *pol, int zone)
{
	int dynamic_policy_zone = policy_zone;
	bool has_kernel_memory = false;
	int nid;

	for_each_online_node(nid) {
		if (!node_in_mask(nid, &pol->nodes))
			continue;
		for (int z = 0; z < ZONE_MOVABLE; z++)
			if (populated_zone(&NODE_DATA(nid)->node_zones[z]))
				has_kernel_memory = true;
	}
	if (!has_kernel_memory)
		dynamic_policy_zone = ZONE_MOVABLE;
	return zone >= dynamic_policy_zone;
}

/* policy_nodemask(): the nodemask for @pol, and the preferred node in *@nid. */
static const unsigned long *policy_nodemask(gfp_t gfp, const struct mempolicy *pol,
					    unsigned long ilx, int *nid)
{
	switch (pol->mode) {
	case MPOL_PREFERRED:
		*nid = first_node(&pol->nodes);
		return NULL;
	case MPOL_PREFERRED_MANY:
		if (pol->home_node != NUMA_NO_NODE)
			*nid = pol->home_node;
		return pol->nodes.bits;
	case MPOL_BIND:
		if (pol->home_node != NUMA_NO_NODE)
			*nid = pol->home_node;
		/* __GFP_THISNODE would break the promise to stay in the set. */
		WARN_ON_ONCE(gfp & __GFP_THISNODE);
		return apply_policy_zone(pol, gfp_zone(gfp)) ? pol->nodes.bits : NULL;
	case MPOL_INTERLEAVE:
	case MPOL_WEIGHTED_INTERLEAVE:
		*nid = ilx == NO_INTERLEAVE_INDEX ? interleave_nodes(pol) : interleave_nid(pol, ilx);
		return NULL;
	default:
		return NULL;
	}
}

/*
 * Two passes: the preferred nodes without direct reclaim or a warning, then
 * any node with the caller's full flags.
 */
static struct page *alloc_pages_preferred_many(gfp_t gfp, unsigned int order, int nid,
					       const unsigned long *nodemask)
{
	gfp_t preferred_gfp = (gfp | __GFP_NOWARN) & ~(__GFP_DIRECT_RECLAIM | __GFP_NOFAIL);
	struct page *page;

	page = __alloc_pages(preferred_gfp, order, nid, nodemask);
	if (!page)
		page = __alloc_pages(gfp, order, nid, NULL);
	return page;
}

/**
 * alloc_pages_mpol - allocate 2^@order pages following policy @pol
 * @gfp: GFP flags
 * @order: allocation order
 * @pol: the policy
 * @ilx: interleave index (NO_INTERLEAVE_INDEX: rotate per call)
 * @nid: the caller's preferred node, used unless the policy overrides it
 *
 * A PMD-order (THP) allocation under a non-interleave policy that allows
 * the preferred node first tries that node alone (__GFP_THISNODE |
 * __GFP_NORETRY), and only a caller that may reclaim tries further.
 * Interleaved pages that land on the intended node count numa_interleave.
 *
 * Context: may sleep if @gfp allows; no locks held.
 * Return: the first page, or NULL.
 */
struct page *alloc_pages_mpol(gfp_t gfp, unsigned int order, struct mempolicy *pol,
			      unsigned long ilx, int nid)
{
	const unsigned long *nodemask = policy_nodemask(gfp, pol, ilx, &nid);
	struct page *page;

	if (pol->mode == MPOL_PREFERRED_MANY)
		return alloc_pages_preferred_many(gfp, order, nid, nodemask);

	if (order == HPAGE_PMD_ORDER && ilx != NO_INTERLEAVE_INDEX &&
	    pol->mode != MPOL_INTERLEAVE && pol->mode != MPOL_WEIGHTED_INTERLEAVE &&
	    (!nodemask || (nodemask[nid / BITS_PER_LONG] & (1UL << (nid % BITS_PER_LONG))))) {
		page = __alloc_pages(gfp | __GFP_THISNODE | __GFP_NORETRY, order, nid, NULL);
		if (page || !(gfp & __GFP_DIRECT_RECLAIM))
			return page;
	}

	page = __alloc_pages(gfp, order, nid, nodemask);

	if (page && (pol->mode == MPOL_INTERLEAVE || pol->mode == MPOL_WEIGHTED_INTERLEAVE) &&
	    page_to_nid(page) == nid)
		__count_numa_event(page_zone(page), NUMA_INTERLEAVE_HIT);
	return page;
}

/**
 * alloc_pages_mpol_current - allocate for the current task (alloc_pages())
 * @gfp: GFP flags
 * @order: allocation order
 *
 * The task policy applies unless @gfp has __GFP_THISNODE; without a task
 * policy the local node is preferred.
 *
 * Context: may sleep if @gfp allows; no locks held.
 * Return: the first page, or NULL.
 */
struct page *alloc_pages_mpol_current(gfp_t gfp, unsigned int order)
{
	struct mempolicy pol = default_policy;

	/* The common case, no task policy, takes no lock (the kernel reads current->mempolicy). */
	if (linmm_arch->numa && !(gfp & __GFP_THISNODE) &&
	    atomic_load_explicit(&current_task.has_policy, memory_order_acquire)) {
		spin_lock(&current_task.lock);
		if (current_task.has_policy)
			pol = current_task.pol;
		spin_unlock(&current_task.lock);
	}
	return alloc_pages_mpol(gfp, order, &pol, NO_INTERLEAVE_INDEX, numa_node_id());
}

/* Bulk under MPOL_INTERLEAVE: an equal share per node, the first ones one more. */
static unsigned long alloc_pages_bulk_interleave(gfp_t gfp, const struct mempolicy *pol,
						 int nr_pages, struct page **page_array)
{
	int nodes = nodes_weight(&pol->nodes), per_node, delta;
	unsigned long nr, total = 0;

	if (!nodes)
		return __alloc_pages_bulk(gfp, numa_node_id(), NULL, nr_pages, page_array);
	per_node = nr_pages / nodes;
	delta = nr_pages - nodes * per_node;
	for (int i = 0; i < nodes; i++) {
		nr = __alloc_pages_bulk(gfp, interleave_nodes(pol), NULL,
					delta ? per_node + 1 : per_node, page_array);
		if (delta)
			delta--;
		page_array += nr;
		total += nr;
	}
	return total;
}

/**
 * alloc_pages_bulk_mempolicy - alloc_pages_bulk() under the task's policy
 * @gfp: GFP flags (__GFP_THISNODE: the default policy)
 * @nr_pages: slots in @page_array
 * @page_array: NULL slots are filled
 *
 * The kernel's alloc_pages_bulk_mempolicy_noprof(): INTERLEAVE splits the
 * request over the policy's nodes, PREFERRED_MANY tries the preferred set
 * without reclaim first, the other policies give __alloc_pages_bulk() a
 * preferred node and nodemask.  WEIGHTED_INTERLEAVE allocates page by page
 * through alloc_pages_mpol() (the kernel's weighted bulk split is not
 * modelled: same nodes, different order).
 *
 * Context: as __alloc_pages_bulk().
 * Return: as __alloc_pages_bulk() (for INTERLEAVE, the pages allocated).
 */
unsigned long alloc_pages_bulk_mempolicy(gfp_t gfp, int nr_pages, struct page **page_array)
{
	struct mempolicy pol = default_policy;
	const unsigned long *nodemask;
	unsigned long nr;
	int nid;

	if (linmm_arch->numa && !(gfp & __GFP_THISNODE) &&
	    atomic_load_explicit(&current_task.has_policy, memory_order_acquire)) {
		spin_lock(&current_task.lock);
		if (current_task.has_policy)
			pol = current_task.pol;
		spin_unlock(&current_task.lock);
	}
	switch (pol.mode) {
	case MPOL_INTERLEAVE:
		return alloc_pages_bulk_interleave(gfp, &pol, nr_pages, page_array);
	case MPOL_WEIGHTED_INTERLEAVE:
		for (nr = 0; nr < (unsigned long)nr_pages && page_array[nr]; nr++)
			;
		for (; nr < (unsigned long)nr_pages; nr++) {
			if (page_array[nr])
				continue;
			page_array[nr] = alloc_pages_mpol(gfp, 0, &pol, NO_INTERLEAVE_INDEX,
							  numa_node_id());
			if (!page_array[nr])
				break;
		}
		return nr;
	case MPOL_PREFERRED_MANY: {
		gfp_t preferred_gfp = (gfp | __GFP_NOWARN) & ~(__GFP_DIRECT_RECLAIM | __GFP_NOFAIL);

		nr = __alloc_pages_bulk(preferred_gfp, numa_node_id(), pol.nodes.bits, nr_pages,
					page_array);
		if (nr < (unsigned long)nr_pages)
			nr += __alloc_pages_bulk(gfp, numa_node_id(), NULL, nr_pages - (int)nr,
						 page_array + nr);
		return nr;
	}
	default:
		nid = numa_node_id();
		nodemask = policy_nodemask(gfp, &pol, NO_INTERLEAVE_INDEX, &nid);
		return __alloc_pages_bulk(gfp, nid, nodemask, nr_pages, page_array);
	}
}

/**
 * numa_policy_init - boot state: no task policy, policy_zone recomputed
 *
 * Context: boot, before the zonelists are built.
 */
void numa_policy_init(void)
{
	spin_lock(&current_task.lock);
	current_task.has_policy = false;
	current_task.pol = default_policy;
	current_task.il_prev = 0;
	spin_unlock(&current_task.lock);
	policy_zone = 0;
}
