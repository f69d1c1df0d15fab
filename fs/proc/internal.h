/* SPDX-License-Identifier: MIT */
/*
 * internal.h - the renderers behind linmm_proc_read() that live in fs/
 * (fs/proc/internal.h).  The mm/ renderers are declared in mm/internal.h,
 * /proc/iomem in include/linmm/ioport.h, /proc/sys in include/linmm/sysctl.h.
 */
#ifndef LINMM_FS_PROC_INTERNAL_H
#define LINMM_FS_PROC_INTERNAL_H

#include <linmm/seq_file.h>

/* fs/proc/meminfo.c: /proc/meminfo. */
void meminfo_proc_show(struct seq_file *m);

/* fs/sysfs/node.c: /sys/devices/system/node/nodeN/{meminfo,numastat}. */
void node_read_meminfo(struct seq_file *m, int nid);
void node_read_numastat(struct seq_file *m, int nid);

struct mm_struct;
struct task_struct;

/*
 * fs/proc/base.c: "/proc/<pid>/<file>" with @pid_path = "<pid>/<file>"
 * (maps, smaps, smaps_rollup, statm, status).  0, or -ENOENT for an
 * unknown task or file.
 */
int proc_pid_show(struct seq_file *m, const char *pid_path);

/* fs/proc/task_mmu.c (show_maps() is in mm/internal.h); each takes mmap_lock for reading. */
void show_smaps(struct seq_file *m, struct mm_struct *mm);
void show_smaps_rollup(struct seq_file *m, struct mm_struct *mm);
/* The Vm* and Rss* lines of status, and HugetlbPages. */
void task_mem(struct seq_file *m, struct mm_struct *mm);
/* statm's numbers, in pages: returns total_vm. */
unsigned long task_statm(struct mm_struct *mm, unsigned long *shared, unsigned long *text,
			 unsigned long *data, unsigned long *resident);

/* fs/proc/array.c: /proc/<pid>/status and statm. */
void proc_pid_status(struct seq_file *m, struct task_struct *tsk);
void proc_pid_statm(struct seq_file *m, struct task_struct *tsk);

#endif /* LINMM_FS_PROC_INTERNAL_H */
