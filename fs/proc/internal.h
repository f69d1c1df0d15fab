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

/*
 * fs/proc/task_mmu.c: "/proc/<pid>/<file>" with @pid_path = "<pid>/<file>"
 * (maps).  0, or -ENOENT for an unknown task or file.
 */
int proc_pid_show(struct seq_file *m, const char *pid_path);

#endif /* LINMM_FS_PROC_INTERNAL_H */
