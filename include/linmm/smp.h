/* SPDX-License-Identifier: MIT */
/*
 * smp.h - simulated CPUs.
 *
 * A host thread "enters" a simulated CPU with linmm_cpu_enter(); until then
 * it runs on CPU 0.  smp_processor_id() is the CPU the calling thread has
 * entered, and indexes every per-CPU structure (pcp lists, vmstat deltas...).
 * Two host threads must not be inside the same simulated CPU at once (as two
 * tasks cannot run on one CPU); the threaded tests give each thread its CPU.
 */
#ifndef LINMM_SMP_H
#define LINMM_SMP_H

#include <linmm/types.h>

/*
 * initial-exec: one %fs-relative load, no __tls_get_addr() call, in the
 * static and the shared library alike (smp_processor_id() is on every
 * allocator fast path).
 */
#define __linmm_tls __attribute__((tls_model("initial-exec")))
extern _Thread_local int linmm_this_cpu __linmm_tls;

static inline int smp_processor_id(void)
{
	return linmm_this_cpu;
}

/* Move the calling host thread onto simulated CPU @cpu. Return 0 or -EINVAL. */
int linmm_cpu_enter(int cpu);
/*
 * CPU occupancy, for work the kernel runs on every CPU (SLUB's flush_all()):
 * a CPU a thread has entered is occupied until the thread calls
 * linmm_cpu_leave(), enters another CPU, or exits (automatic).  A thread
 * that never entered runs on CPU 0 untracked.  linmm_cpu_claim() lets
 * another thread act as an unoccupied @cpu (linmm_cpu_enter() of @cpu waits
 * meanwhile) until linmm_cpu_unclaim(); the claim and the last occupant's
 * leave order every per-CPU access (acquire/release).
 */
void linmm_cpu_leave(void);
bool linmm_cpu_claim(int cpu);
void linmm_cpu_unclaim(int cpu);
/* Node of @cpu (CPUs are spread over nodes in contiguous blocks). */
int cpu_to_node(int cpu);
static inline int numa_node_id(void)
{
	return cpu_to_node(smp_processor_id());
}
/* SLIT distance between nodes (10 local, 20 remote unless numa_distance= says otherwise). */
int node_distance(int a, int b);

#endif /* LINMM_SMP_H */
