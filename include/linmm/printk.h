/* SPDX-License-Identifier: MIT */
/*
 * printk.h - the kernel log (dmesg) and the simulated clock.
 *
 * printk() appends a record to the machine's log buffer, stamped with the
 * simulated clock (local_clock()), so output is deterministic.  Levels use the
 * kernel's "\001N" prefix convention through the KERN_* macros.
 */
#ifndef LINMM_PRINTK_H
#define LINMM_PRINTK_H

#include <stdarg.h>

#include <linmm/types.h>

#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"
#define KERN_CONT KERN_SOH "c"

__printf(1, 2) int printk(const char *fmt, ...);
/* vsnprintf with the kernel's "%#x" semantics (prefix always printed, counted in width). */
int kernel_vsnprintf(char *buf, size_t size, const char *fmt, va_list args);

#define pr_emerg(fmt, ...) printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...) printk(KERN_CONT fmt, ##__VA_ARGS__)
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

/* Simulated time since boot in nanoseconds (kernel/time.c). */
u64 local_clock(void);
void linmm_clock_advance(u64 ns);
/*
 * jiffies: the simulated clock in ticks of 1/HZ seconds (HZ 1000, as the
 * distribution kernels build), counted from boot.
 */
#define HZ 1000
u64 get_jiffies_64(void);

/*
 * linmm_dmesg - render the log as `dmesg` prints it ("[%5lu.%06lu] text\n").
 * @min_level: only records with level <= min_level (7 for all).
 * Return: a host-heap string the caller frees with linmm_host_free(), or NULL.
 */
char *linmm_dmesg(int min_level);
/* Echo new records to a host fd as they are logged (-1 turns echo off). */
void linmm_printk_set_console(int fd, int loglevel);
void linmm_printk_reset(void);

#endif /* LINMM_PRINTK_H */
