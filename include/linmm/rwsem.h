/* SPDX-License-Identifier: MIT */
/*
 * rwsem.h - reader-writer semaphores (include/linux/rwsem.h), the lock
 * behind mm->mmap_lock.
 *
 * One atomic word: 0 free, n > 0 held by n readers, RWSEM_WRITER_LOCKED
 * held by one writer.  Waiters spin briefly and then yield the host CPU
 * (kernel/rwsem.c): linmm's simulated CPUs are host threads, and a holder
 * never sleeps inside the lock for long.  Writers are not given priority,
 * so a stream of readers can starve a writer; no linmm path takes
 * mmap_lock for long enough for that to matter.
 */
#ifndef LINMM_RWSEM_H
#define LINMM_RWSEM_H

#include <linmm/bug.h>
#include <linmm/types.h>

#define RWSEM_WRITER_LOCKED (-1L)

struct rw_semaphore {
	_Atomic long count;
};

#define __RWSEM_INITIALIZER { 0 }

static inline void init_rwsem(struct rw_semaphore *sem)
{
	atomic_init(&sem->count, 0);
}

/* down_read - take @sem shared.  Context: may spin and yield. */
void down_read(struct rw_semaphore *sem);
/* up_read - drop a shared hold of @sem. */
void up_read(struct rw_semaphore *sem);
/* down_write - take @sem exclusive.  Context: may spin and yield. */
void down_write(struct rw_semaphore *sem);
/* up_write - drop the exclusive hold of @sem. */
void up_write(struct rw_semaphore *sem);
/* down_write_trylock - take @sem exclusive if it is free.  Return: true if taken. */
bool down_write_trylock(struct rw_semaphore *sem);

static inline bool rwsem_is_locked(struct rw_semaphore *sem)
{
	return atomic_load_explicit(&sem->count, memory_order_relaxed) != 0;
}

static inline bool rwsem_is_write_locked(struct rw_semaphore *sem)
{
	return atomic_load_explicit(&sem->count, memory_order_relaxed) == RWSEM_WRITER_LOCKED;
}

#endif /* LINMM_RWSEM_H */
