/* SPDX-License-Identifier: MIT */
/*
 * mempolicy.h - NUMA memory policies (include/uapi/linux/mempolicy.h,
 * include/linux/mempolicy.h, include/linux/nodemask.h; mm/mempolicy.c).
 *
 * A policy says on which nodes an allocation may be placed: the local node
 * (MPOL_DEFAULT / MPOL_LOCAL), a preferred node with fallback
 * (MPOL_PREFERRED), a preferred set with fallback (MPOL_PREFERRED_MANY), a
 * set it must stay in (MPOL_BIND), or a set it rotates over
 * (MPOL_INTERLEAVE, MPOL_WEIGHTED_INTERLEAVE with every weight 1).
 *
 * linmm has one task for now: set_mempolicy() sets its policy, and
 * alloc_pages() follows it.  Mode numbers, flags and errno values are the
 * kernel's, so numactl-style callers port unchanged.
 */
#ifndef LINMM_MEMPOLICY_H
#define LINMM_MEMPOLICY_H

#include <linmm/gfp.h>
#include <linmm/mmzone.h>
#include <linmm/types.h>

#define BITS_PER_LONG ((int)(8 * sizeof(long)))
#define NODEMASK_LONGS ((MAX_NUMNODES + BITS_PER_LONG - 1) / BITS_PER_LONG)

/* A set of node ids; .bits is what __alloc_pages() takes as a nodemask. */
typedef struct {
	unsigned long bits[NODEMASK_LONGS];
} nodemask_t;

static inline void nodes_clear(nodemask_t *m)
{
	for (int i = 0; i < NODEMASK_LONGS; i++)
		m->bits[i] = 0;
}

static inline void node_set(int nid, nodemask_t *m)
{
	m->bits[nid / BITS_PER_LONG] |= 1UL << (nid % BITS_PER_LONG);
}

static inline bool node_in_mask(int nid, const nodemask_t *m)
{
	return m->bits[nid / BITS_PER_LONG] & (1UL << (nid % BITS_PER_LONG));
}

static inline bool nodes_empty(const nodemask_t *m)
{
	for (int i = 0; i < NODEMASK_LONGS; i++)
		if (m->bits[i])
			return false;
	return true;
}

/* Lowest node in @m, or MAX_NUMNODES when empty. */
static inline int first_node(const nodemask_t *m)
{
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		if (node_in_mask(nid, m))
			return nid;
	return MAX_NUMNODES;
}

/* Policy modes (set_mempolicy(2)). */
enum {
	MPOL_DEFAULT,
	MPOL_PREFERRED,
	MPOL_BIND,
	MPOL_INTERLEAVE,
	MPOL_LOCAL,
	MPOL_PREFERRED_MANY,
	MPOL_WEIGHTED_INTERLEAVE,
	MPOL_MAX,
};

/* Mode flags, or'ed into the mode argument. */
#define MPOL_F_STATIC_NODES (1 << 15)
#define MPOL_F_RELATIVE_NODES (1 << 14)
#define MPOL_F_NUMA_BALANCING (1 << 13)
#define MPOL_MODE_FLAGS (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING)

/* get_mempolicy(2) flags. */
#define MPOL_F_NODE (1 << 0)
#define MPOL_F_ADDR (1 << 1)
#define MPOL_F_MEMS_ALLOWED (1 << 2)

/* Internal policy flags (kernel values). */
#define MPOL_F_MOF (1 << 3)	/* this policy wants migrate on fault */
#define MPOL_F_MORON (1 << 4)	/* migrate on protnone reference */

/* Interleave index meaning "rotate per allocation" (alloc_pages()). */
#define NO_INTERLEAVE_INDEX (~0UL)

struct mempolicy {
	unsigned short mode;
	unsigned short flags;
	int home_node;			/* NUMA_NO_NODE unless set_mempolicy_home_node() */
	nodemask_t nodes;		/* the effective nodes */
	nodemask_t user_nodemask;	/* as given, for STATIC/RELATIVE policies */
};

/*
 * set_mempolicy - set the task's policy (set_mempolicy(2)).
 * @mode: MPOL_* optionally or'ed with MPOL_F_STATIC_NODES/RELATIVE_NODES/NUMA_BALANCING
 * @nmask: node bitmap, or NULL
 * @maxnode: bits in @nmask plus one (the syscall's historical convention)
 * Return: 0, -EINVAL (bad mode, flags or nodes; no node with memory left),
 * or -ENOSYS on an arch without NUMA.
 */
long set_mempolicy(int mode, const unsigned long *nmask, unsigned long maxnode);

/*
 * get_mempolicy - read the task's policy (get_mempolicy(2)) with @flags 0,
 * MPOL_F_NODE or MPOL_F_MEMS_ALLOWED.  The task has no address space, so
 * MPOL_F_ADDR finds no VMA at @addr and fails with -EFAULT as the kernel does.
 * Return: 0 or -errno.
 */
long get_mempolicy(int *mode, unsigned long *nmask, unsigned long maxnode,
		   unsigned long addr, unsigned long flags);

/*
 * alloc_pages_mpol - allocate 2^@order pages as @pol directs.
 * @ilx: interleave index, NO_INTERLEAVE_INDEX to rotate per call
 * @nid: the node the caller would prefer (numa_node_id() usually)
 * Return: the first page, or NULL.
 */
struct page *alloc_pages_mpol(gfp_t gfp, unsigned int order, struct mempolicy *pol,
			      unsigned long ilx, int nid);

#endif /* LINMM_MEMPOLICY_H */
