// SPDX-License-Identifier: MIT
/*
 * ratelimit.c - the kernel's message rate limit on the simulated clock
 * (lib/ratelimit.c).
 *
 * An interval begins at the first call (of a boot) and lasts
 * rs->interval ns; in it the first rs->burst calls may print, the others
 * are counted.  The first call after the interval ends reports the count
 * ("warn_alloc: 3 callbacks suppressed") and begins a new interval.
 *
 * Locks: rs->lock protects every field of @rs.
 */
#include <linmm/printk.h>
#include <linmm/ratelimit.h>

#include "kernel/machine.h"

bool ___ratelimit(struct ratelimit_state *rs, const char *func)
{
	u64 now = local_clock();
	bool ok;

	if (!rs->interval || !rs->burst)
		return true;
	spin_lock(&rs->lock);
	if (rs->boot != linmm_boot_seq || now - rs->begin >= rs->interval) {
		if (rs->boot == linmm_boot_seq && rs->missed)
			printk(KERN_WARNING "%s: %d callbacks suppressed\n", func, rs->missed);
		rs->boot = linmm_boot_seq;
		rs->begin = now;
		rs->printed = 0;
		rs->missed = 0;
	}
	ok = rs->printed < rs->burst;
	if (ok)
		rs->printed++;
	else
		rs->missed++;
	spin_unlock(&rs->lock);
	return ok;
}
