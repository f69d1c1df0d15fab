/* SPDX-License-Identifier: MIT */
/*
 * time.c - the simulated clock.
 *
 * Simulated time advances only when the simulation says so (daemons,
 * scenario `sleep`, modelled costs), never with host time, so logs and
 * reports are byte-identical across runs.  Boot-time lines stamp 0.000000,
 * as on a real machine before timekeeping starts.
 */
#include <linmm/printk.h>

static _Atomic u64 sim_clock_ns;

u64 local_clock(void)
{
	return atomic_load_explicit(&sim_clock_ns, memory_order_relaxed);
}

void linmm_clock_advance(u64 ns)
{
	atomic_fetch_add_explicit(&sim_clock_ns, ns, memory_order_relaxed);
}

void linmm_clock_reset(void)
{
	atomic_store(&sim_clock_ns, 0);
}

u64 get_jiffies_64(void)
{
	return local_clock() / (1000000000ULL / HZ);
}
