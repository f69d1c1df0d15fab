// SPDX-License-Identifier: MIT
/*
 * array.c - /proc/<pid>/status and /proc/<pid>/statm (fs/proc/array.c:
 * proc_pid_status, proc_pid_statm).
 *
 * status is "Name:\tvalue" lines in the kernel's order.  The memory lines
 * (VmPeak ... HugetlbPages) are task_mem()'s in task_mmu.c; the rest say
 * what a simulated task is: one thread, never traced, sleeping between
 * script steps, run by an unprivileged user (uid and gid 1000, no
 * capabilities: the overcommit and mmap_min_addr checks treat tasks the
 * same way), allowed on every CPU and every online node:
 *
 *   Name:	p1
 *   Umask:	0022
 *   State:	S (sleeping)
 *   Tgid:	1          (Ngid, Pid, PPid, TracerPid, Uid, Gid, NStgid, NSpid, Kthread)
 *   VmPeak:	     132 kB  ... task_mem() ...
 *   CoreDumping:	0      (THP_enabled, Threads)
 *   Cpus_allowed:	3      (%*pb: 32-bit hex chunks, the first one trimmed)
 *   Cpus_allowed_list:	0-1
 *   Mems_allowed:	00000000,00000001   (MAX_NUMNODES bits)
 *   Mems_allowed_list:	0
 *   voluntary_ctxt_switches:	0 (and nonvoluntary_)
 *
 * The kernel's signal, capability, seccomp and speculation lines have no
 * counterpart in linmm and are left out.  statm is seven numbers in pages:
 * size resident shared text lib data dt (lib and dt are always 0).
 *
 * Locks: the renderers in task_mmu.c take the mm's mmap_lock for reading.
 */
#include <linmm/mmzone.h>
#include <linmm/sched.h>
#include <linmm/seq_file.h>

#include "fs/proc/internal.h"
#include "mm/internal.h"

#define TASK_UID 1000	/* simulated tasks run as an ordinary user */
#define CHUNK_BITS 32

/* "%*pb": @nbits of @mask in 32-bit hex chunks, most significant first. */
static void seq_bitmap(struct seq_file *m, u64 mask, int nbits)
{
	int chunk = nbits % CHUNK_BITS ? nbits % CHUNK_BITS : CHUNK_BITS;

	for (int lo = ((nbits + CHUNK_BITS - 1) / CHUNK_BITS - 1) * CHUNK_BITS; lo >= 0;
	     lo -= CHUNK_BITS) {
		u64 val = (lo < 64 ? mask >> lo : 0) & ((1ULL << chunk) - 1);

		seq_printf(m, "%s%0*llx", lo + chunk < nbits ? "," : "", (chunk + 3) / 4,
			   (unsigned long long)val);
		chunk = CHUNK_BITS;
	}
}

/* "%*pbl" of the first @n bits all set: "0", "0-N". */
static void seq_range_list(struct seq_file *m, int n)
{
	if (n == 1)
		seq_puts(m, "0");
	else
		seq_printf(m, "0-%d", n - 1);
}

static u64 low_bits(int n)
{
	return n >= 64 ? ~0ULL : (1ULL << n) - 1;
}

void proc_pid_status(struct seq_file *m, struct task_struct *tsk)
{
	int cpus = (int)nr_cpu_ids, nodes = nr_online_nodes;

	seq_printf(m, "Name:\t%s\n", tsk->comm);
	seq_puts(m, "Umask:\t0022\n");
	seq_puts(m, "State:\tS (sleeping)\n");
	seq_printf(m, "Tgid:\t%d\n", tsk->pid);
	seq_puts(m, "Ngid:\t0\n");
	seq_printf(m, "Pid:\t%d\n", tsk->pid);
	seq_puts(m, "PPid:\t0\n");
	seq_puts(m, "TracerPid:\t0\n");
	seq_printf(m, "Uid:\t%d\t%d\t%d\t%d\n", TASK_UID, TASK_UID, TASK_UID, TASK_UID);
	seq_printf(m, "Gid:\t%d\t%d\t%d\t%d\n", TASK_UID, TASK_UID, TASK_UID, TASK_UID);
	seq_printf(m, "NStgid:\t%d\n", tsk->pid);
	seq_printf(m, "NSpid:\t%d\n", tsk->pid);
	seq_puts(m, "Kthread:\t0\n");
	task_mem(m, tsk->mm);
	seq_puts(m, "CoreDumping:\t0\n");
	seq_puts(m, "THP_enabled:\t1\n");
	seq_puts(m, "Threads:\t1\n");
	seq_puts(m, "Cpus_allowed:\t");
	seq_bitmap(m, low_bits(cpus), cpus);
	seq_puts(m, "\nCpus_allowed_list:\t");
	seq_range_list(m, cpus);
	seq_puts(m, "\nMems_allowed:\t");
	seq_bitmap(m, low_bits(nodes), MAX_NUMNODES);
	seq_puts(m, "\nMems_allowed_list:\t");
	seq_range_list(m, nodes);
	seq_puts(m, "\nvoluntary_ctxt_switches:\t0\n");
	seq_puts(m, "nonvoluntary_ctxt_switches:\t0\n");
}

void proc_pid_statm(struct seq_file *m, struct task_struct *tsk)
{
	unsigned long size, resident, shared, text, data;

	size = task_statm(tsk->mm, &shared, &text, &data, &resident);
	seq_printf(m, "%lu %lu %lu %lu 0 %lu 0\n", size, resident, shared, text, data);
}
