// SPDX-License-Identifier: MIT
/*
 * rwsem.c - reader-writer semaphores (kernel/locking/rwsem.c), slow paths.
 *
 * The state is one atomic word (see include/linmm/rwsem.h): readers add 1
 * with a compare-and-swap while no writer holds it; a writer swaps 0 for
 * RWSEM_WRITER_LOCKED.  Acquisition has acquire ordering, release has
 * release ordering.  A waiter spins RWSEM_SPINS times and then yields the
 * host CPU between attempts.
 */
#include <linmm/rwsem.h>

#include "kernel/host.h"

#define RWSEM_SPINS 64

static bool read_trylock(struct rw_semaphore *sem)
{
	long c = atomic_load_explicit(&sem->count, memory_order_relaxed);

	while (c >= 0) {
		if (atomic_compare_exchange_weak_explicit(&sem->count, &c, c + 1,
							  memory_order_acquire,
							  memory_order_relaxed))
			return true;
	}
	return false;
}

void down_read(struct rw_semaphore *sem)
{
	for (int spins = 0; !read_trylock(sem); spins++)
		if (spins >= RWSEM_SPINS)
			linmm_host_yield();
}

void up_read(struct rw_semaphore *sem)
{
	long old = atomic_fetch_sub_explicit(&sem->count, 1, memory_order_release);

	VM_WARN_ON_ONCE(old <= 0);
}

bool down_write_trylock(struct rw_semaphore *sem)
{
	long free = 0;

	return atomic_compare_exchange_strong_explicit(&sem->count, &free, RWSEM_WRITER_LOCKED,
						       memory_order_acquire,
						       memory_order_relaxed);
}

void down_write(struct rw_semaphore *sem)
{
	for (int spins = 0; !down_write_trylock(sem); spins++)
		if (spins >= RWSEM_SPINS)
			linmm_host_yield();
}

void up_write(struct rw_semaphore *sem)
{
	VM_WARN_ON_ONCE(!rwsem_is_write_locked(sem));
	atomic_store_explicit(&sem->count, 0, memory_order_release);
}
