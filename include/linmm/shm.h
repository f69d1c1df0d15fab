/* SPDX-License-Identifier: MIT */
/*
 * shm.h - System V shared memory (include/uapi/linux/shm.h, ipc.h;
 * ipc/shm.c): shmget, shmat, shmdt, shmctl.
 *
 * A segment is a shmem object (mm/shmem.c) named "SYSV<key in hex>",
 * so maps shows an attached one as "/SYSV0000abcd (deleted)".  IDs are
 * the kernel's: index + (sequence << 15), the sequence counting every
 * segment created since boot.  All linmm tasks run as one user (uid and
 * gid 0, no CAP_IPC_OWNER), so permissions are checked against the
 * owner's mode bits.
 *
 * The calls return what Linux returns: an id, an address, 0, or -errno.
 */
#ifndef LINMM_SHM_H
#define LINMM_SHM_H

#include <linmm/types.h>

struct task_struct;
struct seq_file;

#ifndef IPC_PRIVATE
#define IPC_PRIVATE	0
#define IPC_CREAT	00001000
#define IPC_EXCL	00002000
#define IPC_NOWAIT	00004000
#define IPC_RMID	0
#define IPC_SET		1
#define IPC_STAT	2
#define IPC_INFO	3
#endif
#ifndef SHM_RDONLY
#define SHM_RDONLY	010000
#define SHM_RND		020000
#define SHM_REMAP	040000
#define SHM_EXEC	0100000
#define SHM_LOCK	11
#define SHM_UNLOCK	12
#define SHM_STAT	13
#define SHM_INFO	14
#define SHM_STAT_ANY	15
#endif
#define SHM_DEST_LINMM		01000	/* shm_perm.mode: removed, destroyed at last detach */
#define SHM_LOCKED_LINMM	02000
#define SHMMIN_LINMM		1UL
#define SHMMNI_LINMM		4096
#define IPCMNI_LINMM		32768
#define IPCMNI_SHIFT_LINMM	15
/* SHMMAX and SHMALL (pages): ULONG_MAX - 2^24, "practically unlimited". */
#define SHMMAX_LINMM		(~0UL - (1UL << 24))
#define SHMALL_LINMM		(~0UL - (1UL << 24))

/* kernel.shmmax (bytes), kernel.shmall (pages), kernel.shmmni (segments). */
extern unsigned long shm_ctlmax, shm_ctlall;
extern int shm_ctlmni;

/* struct shmid64_ds as IPC_STAT fills it (times in seconds of the simulated clock). */
struct linmm_shmid_ds {
	int key;
	unsigned int uid, gid, cuid, cgid;
	unsigned int mode;		/* low 9 bits, SHM_DEST, SHM_LOCKED */
	unsigned int seq;
	unsigned long shm_segsz;
	long shm_atime, shm_dtime, shm_ctime;
	int shm_cpid, shm_lpid;
	unsigned long shm_nattch;
};

/* shmget(2): the id of the segment of @key (IPC_PRIVATE: a new one).  -EINVAL, -EEXIST, -ENOENT, -ENOSPC, -EACCES, -ENOMEM. */
int linmm_shmget(struct task_struct *tsk, int key, size_t size, int shmflg);
/* shmat(2): attach at @addr (0: anywhere).  The address, or -errno as an unsigned long. */
unsigned long linmm_shmat(struct task_struct *tsk, int shmid, unsigned long addr, int shmflg);
/* shmdt(2): detach the segment attached at @addr.  0 or -EINVAL. */
int linmm_shmdt(struct task_struct *tsk, unsigned long addr);
/* shmctl(2) with IPC_STAT (fills @buf) or IPC_RMID.  0 or -errno (-EINVAL, -EFAULT). */
int linmm_shmctl(struct task_struct *tsk, int shmid, int cmd, struct linmm_shmid_ds *buf);
/* /proc/sysvipc/shm. */
void sysvipc_shm_show(struct seq_file *m);
/* The segments that exist (IPC_INFO's used_ids) and their pages (shm_tot). */
unsigned long shm_nr_segments(void);
/* Destroy every segment (machine shutdown). */
void shm_destroy_all(void);

#endif /* LINMM_SHM_H */
