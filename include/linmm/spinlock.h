/* SPDX-License-Identifier: MIT */
/*
 * spinlock.h - kernel spinlocks over C11 atomics.
 *
 * A spinlock_t is a test-and-test-and-set lock with acquire/release
 * ordering; after a bounded spin it yields the host CPU (the simulated
 * machine may have more CPUs than the host has cores).  lockdep_assert_held()
 * checks that the lock is held (by someone: ownership is not tracked).
 */
#ifndef LINMM_SPINLOCK_H
#define LINMM_SPINLOCK_H

#include <linmm/types.h>
#include <linmm/bug.h>

typedef struct {
	_Atomic int locked;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED { 0 }

void linmm_spin_contended(spinlock_t *lock);

static inline void spin_lock_init(spinlock_t *lock)
{
	atomic_init(&lock->locked, 0);
}

static inline void spin_lock(spinlock_t *lock)
{
	if (likely(!atomic_exchange_explicit(&lock->locked, 1, memory_order_acquire)))
		return;
	linmm_spin_contended(lock);
}

static inline bool spin_trylock(spinlock_t *lock)
{
	return !atomic_exchange_explicit(&lock->locked, 1, memory_order_acquire);
}

static inline void spin_unlock(spinlock_t *lock)
{
	atomic_store_explicit(&lock->locked, 0, memory_order_release);
}

static inline bool spin_is_locked(spinlock_t *lock)
{
	return atomic_load_explicit(&lock->locked, memory_order_relaxed);
}

/* Interrupts do not exist in linmm; the _irqsave forms keep kernel call sites readable. */
#define spin_lock_irqsave(l, flags) do { (void)(flags); spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) do { (void)(flags); spin_unlock(l); } while (0)

#define lockdep_assert_held(l) VM_WARN_ON_ONCE(!spin_is_locked(l))

/*
 * spin_lock_nested - take a second lock of the same class inside the first
 * (fork: the parent's PTE table lock inside the child's).  There is no
 * lockdep: the subclass only documents the nesting.
 */
#define SINGLE_DEPTH_NESTING 1
#define spin_lock_nested(l, subclass) do { (void)(subclass); spin_lock(l); } while (0)

#endif /* LINMM_SPINLOCK_H */
