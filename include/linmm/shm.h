/* SPDX-License-Identifier: MIT */
/*
 * shm.h - System V shared memory (include/uapi/linux/shm.h, ipc.h;
 * ipc/shm.c): shmget, shmat, shmdt, shmctl.
 *
 * A segment is a shmem object (mm/shmem.c) named "SYSV<key in hex>",
 * so maps shows an attached one as "/SYSV0000abcd (deleted)".  IDs are
 * the kernel's: index + (sequence << 15), the sequence counting every
 * segment created since boot.  All linmm tasks run as one user (uid and
 * gid 0) with the capabilities of their cap_effective (none at spawn: no
 * CAP_IPC_OWNER), so permissions are checked against the owner's mode
 * bits; the creator stays an owner (cuid 0) after IPC_SET changes uid.
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

/*
 * struct shmid64_ds as IPC_STAT fills it, its shm_perm fields first (times
 * in seconds of the simulated clock).  IPC_SET reads uid, gid and mode.
 */
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

/* struct shminfo64 (IPC_INFO): the limits.  shmseg is shmmni, as Linux reports it. */
struct linmm_shminfo {
	unsigned long shmmax;		/* kernel.shmmax, bytes */
	unsigned long shmmin;		/* SHMMIN, 1 */
	unsigned long shmmni;		/* kernel.shmmni */
	unsigned long shmseg;		/* kernel.shmmni */
	unsigned long shmall;		/* kernel.shmall, pages */
};

/* struct shm_info (SHM_INFO): the usage, in pages. */
struct linmm_shm_info {
	int used_ids;			/* segments that exist */
	unsigned long shm_tot;		/* their sizes, pages */
	unsigned long shm_rss;		/* their resident pages */
	unsigned long shm_swp;		/* their swapped pages (0: no swap) */
	unsigned long swap_attempts;	/* 0, as Linux */
	unsigned long swap_successes;	/* 0, as Linux */
};

/* shmget(2): the id of the segment of @key (IPC_PRIVATE: a new one).  -EINVAL, -EEXIST, -ENOENT, -ENOSPC, -EACCES, -ENOMEM. */
int linmm_shmget(struct task_struct *tsk, int key, size_t size, int shmflg);
/* shmat(2): attach at @addr (0: anywhere).  The address, or -errno as an unsigned long. */
unsigned long linmm_shmat(struct task_struct *tsk, int shmid, unsigned long addr, int shmflg);
/* shmdt(2): detach the segment attached at @addr.  0 or -EINVAL. */
int linmm_shmdt(struct task_struct *tsk, unsigned long addr);
/**
 * linmm_shmctl - shmctl(2).
 * @tsk: the caller (its capabilities and RLIMIT_MEMLOCK); may be NULL (no
 *	capabilities) except for SHM_LOCK and SHM_UNLOCK
 * @shmid: the id; for SHM_STAT/SHM_STAT_ANY an index; ignored (but must
 *	not be negative) by IPC_INFO and SHM_INFO
 * @cmd: IPC_STAT, IPC_SET, IPC_RMID, IPC_INFO, SHM_INFO, SHM_STAT,
 *	SHM_STAT_ANY, SHM_LOCK or SHM_UNLOCK
 * @buf: struct linmm_shmid_ds (IPC_STAT, SHM_STAT*, IPC_SET),
 *	struct linmm_shminfo (IPC_INFO), struct linmm_shm_info (SHM_INFO);
 *	unused by IPC_RMID, SHM_LOCK and SHM_UNLOCK.  NULL where the kernel
 *	would copy is -EFAULT (after the errors the kernel checks first).
 *
 * Context: no locks held; SHM_UNLOCK takes the LRU locks.
 * Return: 0; the full id for SHM_STAT*; the highest index in use for
 * IPC_INFO and SHM_INFO; or -EINVAL (bad command or id, uid/gid -1 for
 * IPC_SET), -EACCES, -EPERM, -EFAULT, -ENOMEM (SHM_LOCK past
 * RLIMIT_MEMLOCK without CAP_IPC_LOCK).
 */
int linmm_shmctl(struct task_struct *tsk, int shmid, int cmd, void *buf);
/* /proc/sysvipc/shm. */
void sysvipc_shm_show(struct seq_file *m);
/* The segments that exist (SHM_INFO's used_ids). */
unsigned long shm_nr_segments(void);
/* Destroy every segment (machine shutdown). */
void shm_destroy_all(void);

#endif /* LINMM_SHM_H */
