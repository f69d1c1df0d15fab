/* SPDX-License-Identifier: MIT */
/*
 * ratelimit.h - at most @burst messages per @interval (include/linux/ratelimit.h).
 *
 *   static struct ratelimit_state rs = RATELIMIT_STATE_INIT(DEFAULT_RATELIMIT_INTERVAL,
 *							    DEFAULT_RATELIMIT_BURST);
 *   if (__ratelimit(&rs))
 *           pr_warn(...);
 *
 * Time is the simulated clock (local_clock(), nanoseconds), so what is
 * suppressed is the same on every run.  A state belongs to one boot: the
 * first call after a new boot starts a fresh interval, as a rebooted kernel
 * starts with fresh static state.  When an interval with suppressed
 * messages ends, the next call prints "FUNC: N callbacks suppressed" first.
 */
#ifndef LINMM_RATELIMIT_H
#define LINMM_RATELIMIT_H

#include <linmm/spinlock.h>
#include <linmm/types.h>

#define DEFAULT_RATELIMIT_INTERVAL (5ULL * 1000000000ULL)	/* 5 * HZ */
#define DEFAULT_RATELIMIT_BURST 10

struct ratelimit_state {
	spinlock_t lock;		/* protects the fields below */
	u64 interval;			/* ns; 0: never limit */
	int burst;			/* messages per interval; 0: never limit */
	int printed;			/* in this interval */
	int missed;			/* suppressed in this interval */
	u64 begin;			/* start of this interval */
	unsigned long boot;		/* linmm_boot_seq when @begin was set; 0: never */
};

#define RATELIMIT_STATE_INIT(interval_ns, burst_msgs) \
	{ .lock = __SPIN_LOCK_UNLOCKED, .interval = (interval_ns), .burst = (burst_msgs) }

/*
 * ___ratelimit - may the caller print now?
 * @rs: the state
 * @func: named in the "callbacks suppressed" line
 *
 * Context: any; takes @rs->lock.
 * Return: true to print, false to stay quiet (counted as missed).
 */
bool ___ratelimit(struct ratelimit_state *rs, const char *func);
#define __ratelimit(rs) ___ratelimit(rs, __func__)

#endif /* LINMM_RATELIMIT_H */
