/* SPDX-License-Identifier: MIT */
/*
 * spinlock.c - the contended path of spin_lock() (kernel/locking/).
 * Spin on a plain load (no cache-line ping-pong), then yield the host CPU:
 * a simulated machine may run more CPU threads than the host has cores.
 */
#include <linmm/spinlock.h>

#include "kernel/host.h"

void linmm_spin_contended(spinlock_t *lock)
{
	unsigned int spins = 0;

	for (;;) {
		while (atomic_load_explicit(&lock->locked, memory_order_relaxed)) {
			if (++spins > 64) {
				linmm_host_yield();
				spins = 0;
			}
		}
		if (!atomic_exchange_explicit(&lock->locked, 1, memory_order_acquire))
			return;
	}
}
