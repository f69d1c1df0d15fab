/* SPDX-License-Identifier: MIT */
/*
 * bug.c - BUG() and WARN() reports (kernel/panic.c, lib/bug.c).
 *
 * BUG prints "kernel BUG at FILE:LINE!" to dmesg and to stderr and aborts
 * the host process (a simulated kernel cannot continue past BUG).  WARN
 * prints the kernel's "WARNING: CPU: N PID: 0 at FILE:LINE" line and taints.
 */
#include <string.h>

#include <linmm/bug.h>
#include <linmm/printk.h>
#include <linmm/smp.h>

#include "kernel/host.h"
#include "kernel/machine.h"

void linmm_bug(const char *file, int line, const char *cond)
{
	char *log;

	printk(KERN_EMERG "kernel BUG at %s:%d! (%s)\n", file, line, cond);
	log = linmm_dmesg(7);
	if (log) {
		linmm_host_write(2, log, strlen(log));
		linmm_host_free(log);
	}
	linmm_host_abort();
}

void linmm_warn(const char *file, int line, const char *cond)
{
	printk(KERN_WARNING "WARNING: CPU: %d PID: 0 at %s:%d (%s)\n",
	       smp_processor_id(), file, line, cond);
	add_taint(TAINT_WARN);
}
