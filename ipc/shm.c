// SPDX-License-Identifier: MIT
/*
 * shm.c - System V shared memory: shmget, shmat, shmdt, shmctl and
 * /proc/sysvipc/shm (ipc/shm.c, the shm parts of ipc/util.c).
 *
 * A segment (struct shmid_kernel) owns a shmem object of its size,
 * "SYSV<key>", and lives until IPC_RMID *and* its last detach:
 *
 *   shmget(k, 8192)     segment id 0, nattch 0, object inode 7
 *   shmat(id)           a VMA whose vm_file is a new file on inode 7
 *                       (shm_mmap: nattch 1); fork, a split: vm_ops->open
 *                       (nattch 2, ...); munmap/exit: vm_ops->close
 *   shmctl(id, IPC_RMID) while attached: mode |= SHM_DEST, key becomes
 *                       IPC_PRIVATE (a new shmget(k) makes a new segment)
 *   last detach         destroyed: the object's last reference goes
 *
 * IDs (ipc_idr_alloc()): an index taken cyclically (the lowest free one
 * at or after the last taken + 1, below max(in_use * 3 / 2, 64), then
 * from 0 again), plus seq << 15, where seq grows whenever a new segment
 * takes an index not above the last one taken.  A stale id (wrong seq)
 * is EINVAL.  The limits: kernel.shmmax bytes per segment, kernel.shmall
 * pages in all, kernel.shmmni segments (ENOSPC beyond the last two).
 *
 * shmctl(2) has the kernel's commands and order of checks (ksys_shmctl):
 *
 *   IPC_STAT, SHM_STAT, SHM_STAT_ANY   the ds; SHM_STAT* take an index
 *                         (the id's low 15 bits) and return the full id
 *   IPC_SET               uid, gid and the low 9 mode bits; shm_ctime
 *   IPC_RMID              as above
 *   IPC_INFO, SHM_INFO    the limits / the usage; both return the highest
 *                         index in use (ipc_get_maxidx(), 0 when none)
 *   SHM_LOCK, SHM_UNLOCK  shmem_lock(): charged to RLIMIT_MEMLOCK unless
 *                         CAP_IPC_LOCK; mode |= SHM_LOCKED; pages faulted
 *                         from then on are unevictable (those already
 *                         resident stay where they are, as on Linux until
 *                         reclaim meets them); SHM_UNLOCK moves them back
 *
 * Credentials: every linmm task runs as uid and gid 0 (LINMM_TASK_UID)
 * with the capabilities of its cap_effective (none at spawn).  The
 * owner checks are the kernel's (euid is the uid or the cuid, else
 * CAP_SYS_ADMIN / CAP_IPC_LOCK), so a task is always the creator and an
 * IPC_SET to another uid keeps its rights through cuid.  ipcperms()
 * picks the owner's mode bits for the same reason.
 *
 * -EIDRM: the kernel returns it when a segment is destroyed between its
 * lock-free lookup and taking its lock; here lookup and use happen under
 * one hold of shm_ids_lock, so that window does not exist.
 *
 * Locks: shm_ids_lock (a spinlock) protects the table, the counters and
 * each segment's fields; it is never held across an mmap, munmap or
 * fput (vm_ops->close takes it from inside munmap).  shmem_lock() and
 * user_shm_lock()'s spinlock nest inside it; shmem_unlock_mapping()
 * (xa_lock, lru_lock) runs after it is dropped.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linmm/fs.h>
#include <linmm/memory.h>
#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/pagemap.h>
#include <linmm/printk.h>
#include <linmm/sched.h>
#include <linmm/seq_file.h>
#include <linmm/shm.h>
#include <linmm/slab.h>

#include "fs/internal.h"
#include "kernel/machine.h"
#include "mm/internal.h"

#define HZ_LINMM 1000
/* The uid, euid, gid and egid of every linmm task (they run as root without capabilities). */
#define LINMM_TASK_UID 0u
#define S_IRWXUGO_LINMM 0777
#define SHM_MIN_CYCLE 64	/* ipc_min_cycle: RADIX_TREE_MAP_SIZE */

unsigned long shm_ctlmax = SHMMAX_LINMM;
unsigned long shm_ctlall = SHMALL_LINMM;
int shm_ctlmni = SHMMNI_LINMM;

struct shmid_kernel {
	int key;
	int id;
	unsigned int seq;
	unsigned int mode;		/* low 9 bits, SHM_DEST, SHM_LOCKED */
	unsigned int uid, gid, cuid, cgid;
	size_t segsz;
	long atime, dtime, ctime;
	int cpid, lpid;
	unsigned long nattch;
	struct file *shm_file;		/* the shmem object's own file */
};

static struct shmid_kernel *shm_idr[IPCMNI_LINMM];
static unsigned long shm_boot;
static int shm_in_use, shm_last_idx = -1, shm_max_idx = -1;
static unsigned int shm_seq, shm_idr_next;	/* ids->seq, the idr's cyclic cursor */
static unsigned long shm_tot;		/* pages of every segment */
static spinlock_t shm_ids_lock = __SPIN_LOCK_UNLOCKED;

static long now_seconds(void)
{
	return (long)(get_jiffies_64() / HZ_LINMM);
}

/* A new boot starts with no segments (the previous boot freed its memory wholesale). */
static void shm_ids_check_boot(void)
{
	if (shm_boot == linmm_boot_seq)
		return;
	memset(shm_idr, 0, sizeof(shm_idr));
	shm_in_use = 0;
	shm_last_idx = -1;
	shm_max_idx = -1;
	shm_seq = 0;
	shm_idr_next = 0;
	shm_tot = 0;
	shm_boot = linmm_boot_seq;
}

/* shm_obtain_object(): the segment at the index of @id (its low 15 bits), any sequence. */
static struct shmid_kernel *shm_obtain_object(int id)
{
	if (id < 0)
		return NULL;
	return shm_idr[id & (IPCMNI_LINMM - 1)];
}

/* shm_obtain_object_check(): the segment of @id, NULL if none or a stale sequence. */
static struct shmid_kernel *shm_obtain_object_check(int id)
{
	struct shmid_kernel *shp = shm_obtain_object(id);

	if (!shp || (unsigned int)id >> IPCMNI_SHIFT_LINMM != shp->seq)
		return NULL;
	return shp;
}

static struct shmid_kernel *shm_findkey(int key)
{
	for (int i = 0; i < IPCMNI_LINMM; i++)
		if (shm_idr[i] && shm_idr[i]->key == key)
			return shm_idr[i];
	return NULL;
}

/*
 * ipcperms(): may @tsk have the access of @flag (S_IRUGO/S_IWUGO/S_IXUGO-style
 * bits, or a shmflg's mode)?  The owner's bits if its euid is the uid or
 * the cuid, the group's if its group is, else the others'; CAP_IPC_OWNER
 * passes every check.
 */
static bool shm_perm_ok(const struct task_struct *tsk, const struct shmid_kernel *shp,
			unsigned int flag)
{
	unsigned int requested = ((flag >> 6) | (flag >> 3) | flag) & 0007;
	unsigned int granted = shp->mode;

	if (LINMM_TASK_UID == shp->cuid || LINMM_TASK_UID == shp->uid)
		granted >>= 6;
	else if (LINMM_TASK_UID == shp->cgid || LINMM_TASK_UID == shp->gid)
		granted >>= 3;
	return !(requested & ~granted) || (tsk && has_capability(tsk, CAP_IPC_OWNER));
}

/* The euid is the segment's uid or cuid (ipcctl_obtain_check(), shmctl_do_lock()). */
static bool shm_is_owner(const struct shmid_kernel *shp)
{
	return LINMM_TASK_UID == shp->uid || LINMM_TASK_UID == shp->cuid;
}

/* ipc_search_maxidx(): the highest used index at or below @limit, -1 if none. */
static int shm_search_maxidx(int limit)
{
	for (int i = limit; i >= 0; i--)
		if (shm_idr[i])
			return i;
	return -1;
}

/* Take the segment out of the table (the key and id stop working). Context: shm_ids_lock. */
static struct file *shm_rmid_locked(struct shmid_kernel *shp)
{
	struct file *file = shp->shm_file;
	int idx = shp->id & (IPCMNI_LINMM - 1);

	shm_idr[idx] = NULL;
	shm_in_use--;
	if (idx == shm_max_idx)			/* ipc_rmid() */
		shm_max_idx = shm_search_maxidx(idx - 1);
	shm_tot -= PAGE_ALIGN(shp->segsz) >> PAGE_SHIFT;
	if (shp->mode & SHM_LOCKED_LINMM)	/* shm_destroy(): give the charge back */
		shmem_lock(file, 0, NULL);
	kfree(shp);
	return file;
}

/* The lowest free index in [@from, @end), or -1. Context: shm_ids_lock. */
static int shm_idr_find_free(int from, int end)
{
	for (int i = from; i < end; i++)
		if (!shm_idr[i])
			return i;
	return -1;
}

/*
 * ipc_idr_alloc()'s idr_alloc_cyclic(): the lowest free index at or after
 * the cursor, below max(in_use * 3 / 2, 64) (ipc_min_cycle is
 * RADIX_TREE_MAP_SIZE) and IPCMNI, wrapping to 0 once; -1 if none.
 *
 *   cursor 5, max 64:  [0 1 . . 4 . . ...]  -> 5; rmid 5, next -> 6 (not 5)
 *
 * Context: shm_ids_lock.
 */
static int shm_idr_alloc_cyclic(void)
{
	int end = min(max(shm_in_use * 3 / 2, SHM_MIN_CYCLE), IPCMNI_LINMM);
	int idx = -1;

	if (shm_idr_next < (unsigned int)end)
		idx = shm_idr_find_free((int)shm_idr_next, end);
	if (idx < 0 && shm_idr_next > 0)
		idx = shm_idr_find_free(0, end);
	if (idx >= 0)
		shm_idr_next = (unsigned int)idx + 1;
	return idx;
}

/* newseg(): a new segment of @size for @key.  The id, or -errno. */
static int newseg(struct task_struct *tsk, int key, size_t size, int shmflg)
{
	unsigned long numpages = PAGE_ALIGN(size) >> PAGE_SHIFT;
	struct shmid_kernel *shp;
	char name[16];
	int idx = -1;

	if (size < SHMMIN_LINMM || size > shm_ctlmax)
		return -EINVAL;
	if (numpages << PAGE_SHIFT < size)
		return -ENOSPC;
	if (shm_tot + numpages < shm_tot || shm_tot + numpages > shm_ctlall)
		return -ENOSPC;
	shp = kzalloc(sizeof(*shp), GFP_KERNEL);
	if (!shp)
		return -ENOMEM;
	snprintf(name, sizeof(name), "/SYSV%08x", (unsigned int)key);
	shp->shm_file = shmem_file_setup(name, (loff_t)size);
	if (!shp->shm_file) {
		kfree(shp);
		return -ENOMEM;
	}
	spin_lock(&shm_ids_lock);
	if (shm_in_use < min(shm_ctlmni, IPCMNI_LINMM))	/* ipc_addid()'s limit */
		idx = shm_idr_alloc_cyclic();
	if (idx < 0) {
		spin_unlock(&shm_ids_lock);
		fput(shp->shm_file);
		kfree(shp);
		return -ENOSPC;
	}
	if (idx <= shm_last_idx && ++shm_seq > (0x7fffffffU >> IPCMNI_SHIFT_LINMM))
		shm_seq = 0;
	shm_last_idx = idx;
	if (idx > shm_max_idx)
		shm_max_idx = idx;
	shp->seq = shm_seq;
	shp->id = (int)((shm_seq << IPCMNI_SHIFT_LINMM) + (unsigned int)idx);
	shp->key = key;
	shp->mode = (unsigned int)shmflg & S_IRWXUGO_LINMM;
	shp->uid = shp->cuid = LINMM_TASK_UID;
	shp->gid = shp->cgid = LINMM_TASK_UID;
	shp->segsz = size;
	shp->cpid = tsk->pid;
	shp->ctime = now_seconds();
	shm_idr[idx] = shp;
	shm_in_use++;
	shm_tot += numpages;
	spin_unlock(&shm_ids_lock);
	return shp->id;
}

int linmm_shmget(struct task_struct *tsk, int key, size_t size, int shmflg)
{
	struct shmid_kernel *shp;
	int err;

	shm_ids_check_boot();
	if (key == IPC_PRIVATE)
		return newseg(tsk, key, size, shmflg);
	/* ipcget_public() */
	spin_lock(&shm_ids_lock);
	shp = shm_findkey(key);
	if (!shp) {
		spin_unlock(&shm_ids_lock);
		return (shmflg & IPC_CREAT) ? newseg(tsk, key, size, shmflg) : -ENOENT;
	}
	if ((shmflg & IPC_CREAT) && (shmflg & IPC_EXCL))
		err = -EEXIST;
	else if (shp->segsz < size)	/* shm_more_checks() */
		err = -EINVAL;
	else if (!shm_perm_ok(tsk, shp, (unsigned int)shmflg & S_IRWXUGO_LINMM))
		err = -EACCES;
	else
		err = shp->id;
	spin_unlock(&shm_ids_lock);
	return err;
}

/* ---- attaching: the VMA's vm_ops count the attaches ---- */

static struct shmid_kernel *shm_of(const struct vm_area_struct *vma)
{
	return vma->vm_file->private_data;
}

/* __shm_open(): one more VMA maps the segment. */
static void shm_open(struct vm_area_struct *vma)
{
	struct shmid_kernel *shp = shm_of(vma);
	struct task_struct *tsk = get_current();

	spin_lock(&shm_ids_lock);
	shp->atime = now_seconds();
	shp->lpid = tsk ? tsk->pid : shp->lpid;
	shp->nattch++;
	spin_unlock(&shm_ids_lock);
}

/* shm_close(): one VMA less; the last of a removed segment destroys it. */
static void shm_close(struct vm_area_struct *vma)
{
	struct shmid_kernel *shp = shm_of(vma);
	struct task_struct *tsk = get_current();
	struct file *destroy = NULL;

	spin_lock(&shm_ids_lock);
	shp->dtime = now_seconds();
	shp->lpid = tsk ? tsk->pid : shp->lpid;
	shp->nattch--;
	if (!shp->nattch && (shp->mode & SHM_DEST_LINMM))
		destroy = shm_rmid_locked(shp);
	spin_unlock(&shm_ids_lock);
	if (destroy)
		fput(destroy);
}

/* Faults go to the shmem object's handlers, as shm_fault() calls the shmem file's. */
static const struct vm_operations_struct shm_vm_ops = {
	.open = shm_open,
	.close = shm_close,
	.fault = shmem_fault,
	.map_pages = filemap_map_pages,
};

/* shm_mmap(): the attach's file is mapped: the VMA counts as an attach. */
static int shm_mmap(struct file *file, struct vm_area_struct *vma)
{
	(void)file;
	vma->vm_ops = &shm_vm_ops;
	shm_open(vma);
	return 0;
}

static const struct file_operations shm_file_operations = {
	.mmap = shm_mmap,
};

unsigned long linmm_shmat(struct task_struct *tsk, int shmid, unsigned long addr, int shmflg)
{
	struct mm_struct *mm = tsk->mm;
	unsigned long prot, flags = MAP_SHARED, size, ret;
	struct task_struct *prev;
	struct shmid_kernel *shp;
	struct file *sfd;
	unsigned int acc;

	shm_ids_check_boot();
	if (shmid < 0)
		return (unsigned long)-EINVAL;
	if (addr) {
		if (addr & (PAGE_SIZE - 1)) {		/* SHMLBA is PAGE_SIZE on x86 */
			if (!(shmflg & SHM_RND))
				return (unsigned long)-EINVAL;
			addr &= PAGE_MASK;
			if (!addr && (shmflg & SHM_REMAP))
				return (unsigned long)-EINVAL;
		}
		flags |= MAP_FIXED;
	} else if (shmflg & SHM_REMAP) {
		return (unsigned long)-EINVAL;
	}
	if (shmflg & SHM_RDONLY) {
		prot = PROT_READ;
		acc = 0444;
	} else {
		prot = PROT_READ | PROT_WRITE;
		acc = 0666;
	}
	if (shmflg & SHM_EXEC) {
		prot |= PROT_EXEC;
		acc |= 0111;
	}
	spin_lock(&shm_ids_lock);
	shp = shm_obtain_object_check(shmid);
	if (!shp) {
		spin_unlock(&shm_ids_lock);
		return (unsigned long)-EINVAL;
	}
	if (!shm_perm_ok(tsk, shp, acc)) {
		spin_unlock(&shm_ids_lock);
		return (unsigned long)-EACCES;
	}
	size = shp->segsz;
	/* Held for the call, as do_shmat()'s shm_nattch++: a racing RMID cannot destroy it. */
	shp->nattch++;
	spin_unlock(&shm_ids_lock);

	ihold(shp->shm_file->f_inode);
	sfd = alloc_file(shp->shm_file->f_inode, (shmflg & SHM_RDONLY) ? O_RDONLY : O_RDWR);
	if (!sfd) {
		iput(shp->shm_file->f_inode);
		ret = (unsigned long)-ENOMEM;
		goto out_nattch;
	}
	sfd->f_pathname = kstrdup(shp->shm_file->f_pathname, GFP_KERNEL);
	sfd->f_op = &shm_file_operations;
	sfd->private_data = shp;

	mmap_write_lock(mm);
	prev = get_current();
	set_current(tsk);		/* the caller: shm_open() records its pid */
	if (addr && !(shmflg & SHM_REMAP) &&
	    (addr + size < addr || find_vma_intersection(mm, addr, addr + size)))
		ret = (unsigned long)-EINVAL;
	else
		ret = do_mmap_file(mm, sfd, addr, size, prot, flags, 0);
	set_current(prev);
	mmap_write_unlock(mm);
	fput(sfd);		/* the VMA holds its own reference */
out_nattch:
	{
		struct file *destroy = NULL;

		spin_lock(&shm_ids_lock);
		shp->nattch--;
		if (!shp->nattch && (shp->mode & SHM_DEST_LINMM))
			destroy = shm_rmid_locked(shp);
		spin_unlock(&shm_ids_lock);
		if (destroy)
			fput(destroy);
	}
	return ret;
}

int linmm_shmdt(struct task_struct *tsk, unsigned long addr)
{
	struct mm_struct *mm = tsk->mm;
	struct vm_area_struct *vma, *next;
	struct task_struct *prev;
	struct file *file = NULL;
	unsigned long end = 0;
	int ret = -EINVAL;

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	mmap_write_lock(mm);
	prev = get_current();
	set_current(tsk);		/* shm_close() records the caller's pid */
	/*
	 * The first VMA at @addr that is an attach starting at its offset 0
	 * names the segment; then every VMA of that attach within the
	 * segment's size is unmapped (pieces left by partial munmaps too).
	 */
	for (vma = find_vma(mm, addr); vma; vma = vma_next(vma)) {
		if (vma->vm_ops == &shm_vm_ops && (vma->vm_start - addr) / PAGE_SIZE == vma->vm_pgoff) {
			file = vma->vm_file;
			end = addr + PAGE_ALIGN(i_size_read(file->f_inode));
			break;
		}
	}
	for (; vma && vma->vm_start < end; vma = next) {
		next = vma_next(vma);
		if (vma->vm_file == file && vma->vm_ops == &shm_vm_ops &&
		    (vma->vm_start - addr) / PAGE_SIZE == vma->vm_pgoff) {
			unsigned long s = vma->vm_start, len = vma->vm_end - vma->vm_start;

			next = find_vma(mm, vma->vm_end);
			if (!do_munmap(mm, s, len))
				ret = 0;
		}
	}
	set_current(prev);
	mmap_write_unlock(mm);
	return ret;
}

/* ---- shmctl ---- */

/*
 * ipc_get_maxidx(): the highest index in use, as IPC_INFO and SHM_INFO
 * return it: 0 when none (the kernel's -1, clamped by both). Context: shm_ids_lock.
 */
static int shm_get_maxidx(void)
{
	if (!shm_in_use)
		return 0;
	if (shm_in_use == IPCMNI_LINMM)
		return IPCMNI_LINMM - 1;
	return shm_max_idx;
}

/* shmctl_ipc_info(): the limits (struct shminfo64), the highest index. */
static int shmctl_ipc_info(struct linmm_shminfo *buf)
{
	struct linmm_shminfo info;
	int maxidx;

	memset(&info, 0, sizeof(info));
	info.shmmni = info.shmseg = (unsigned long)shm_ctlmni;
	info.shmmax = shm_ctlmax;
	info.shmall = shm_ctlall;
	info.shmmin = SHMMIN_LINMM;
	spin_lock(&shm_ids_lock);
	maxidx = shm_get_maxidx();
	spin_unlock(&shm_ids_lock);
	if (!buf)
		return -EFAULT;
	*buf = info;
	return maxidx;
}

/* shmctl_shm_info(): the usage in pages (struct shm_info), the highest index. */
static int shmctl_shm_info(struct linmm_shm_info *buf)
{
	struct linmm_shm_info info;
	int maxidx;

	memset(&info, 0, sizeof(info));
	spin_lock(&shm_ids_lock);
	info.used_ids = shm_in_use;
	for (int i = 0, seen = 0; seen < shm_in_use; i++) {	/* shm_get_stat() */
		if (!shm_idr[i])
			continue;
		info.shm_rss += shm_idr[i]->shm_file->f_mapping->nrpages;
		seen++;
	}
	info.shm_swp = 0;		/* no swap yet */
	info.shm_tot = shm_tot;
	maxidx = shm_get_maxidx();
	spin_unlock(&shm_ids_lock);
	if (!buf)
		return -EFAULT;
	*buf = info;
	return maxidx;
}

/* kernel_to_ipc64_perm() and the rest of shmctl_stat()'s copy. Context: shm_ids_lock. */
static void shm_fill_ds(const struct shmid_kernel *shp, struct linmm_shmid_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ds->key = shp->key;
	ds->uid = shp->uid;
	ds->gid = shp->gid;
	ds->cuid = shp->cuid;
	ds->cgid = shp->cgid;
	ds->mode = shp->mode;
	ds->seq = shp->seq;
	ds->shm_segsz = shp->segsz;
	ds->shm_atime = shp->atime;
	ds->shm_dtime = shp->dtime;
	ds->shm_ctime = shp->ctime;
	ds->shm_cpid = shp->cpid;
	ds->shm_lpid = shp->lpid;
	ds->shm_nattch = shp->nattch;
}

/*
 * shmctl_stat(): IPC_STAT by id (0), SHM_STAT / SHM_STAT_ANY by index (the
 * full id).  SHM_STAT_ANY skips the read check, as /proc/sysvipc/shm does.
 */
static int shmctl_stat(const struct task_struct *tsk, int shmid, int cmd,
		       struct linmm_shmid_ds *buf)
{
	struct linmm_shmid_ds ds;
	struct shmid_kernel *shp;
	int err;

	spin_lock(&shm_ids_lock);
	shp = cmd == IPC_STAT ? shm_obtain_object_check(shmid) : shm_obtain_object(shmid);
	if (!shp) {
		err = -EINVAL;
		goto out_unlock;
	}
	if (cmd != SHM_STAT_ANY && !shm_perm_ok(tsk, shp, 0444)) {
		err = -EACCES;
		goto out_unlock;
	}
	shm_fill_ds(shp, &ds);
	err = cmd == IPC_STAT ? 0 : shp->id;
out_unlock:
	spin_unlock(&shm_ids_lock);
	if (err < 0)
		return err;
	if (!buf)
		return -EFAULT;
	*buf = ds;
	return err;
}

/*
 * shmctl_down(): IPC_SET and IPC_RMID, for the owner or CAP_SYS_ADMIN
 * (ipcctl_obtain_check()).  IPC_SET takes uid, gid and the low 9 mode
 * bits of @in (ipc_update_perm(): uid or gid (uid_t)-1 is -EINVAL) and
 * sets shm_ctime.
 */
static int shmctl_down(const struct task_struct *tsk, int shmid, int cmd,
		       const struct linmm_shmid_ds *in)
{
	struct shmid_kernel *shp;
	struct file *destroy = NULL;
	int err = 0;

	spin_lock(&shm_ids_lock);
	shp = shm_obtain_object_check(shmid);
	if (!shp) {
		err = -EINVAL;
		goto out_unlock;
	}
	if (!shm_is_owner(shp) && !(tsk && has_capability(tsk, CAP_SYS_ADMIN))) {
		err = -EPERM;
		goto out_unlock;
	}
	if (cmd == IPC_RMID) {
		/* do_shm_rmid(): destroyed now, or at the last detach. */
		if (shp->nattch) {
			shp->mode |= SHM_DEST_LINMM;
			shp->key = IPC_PRIVATE;
		} else {
			destroy = shm_rmid_locked(shp);
		}
		goto out_unlock;
	}
	if (in->uid == (unsigned int)-1 || in->gid == (unsigned int)-1) {
		err = -EINVAL;
		goto out_unlock;
	}
	shp->uid = in->uid;
	shp->gid = in->gid;
	shp->mode = (shp->mode & ~S_IRWXUGO_LINMM) | (in->mode & S_IRWXUGO_LINMM);
	shp->ctime = now_seconds();
out_unlock:
	spin_unlock(&shm_ids_lock);
	if (destroy)
		fput(destroy);
	return err;
}

/*
 * shmctl_do_lock(): SHM_LOCK / SHM_UNLOCK.  Without CAP_IPC_LOCK the
 * caller must be the owner, and SHM_LOCK needs a non-zero RLIMIT_MEMLOCK
 * (-EPERM); the charge itself may fail with -ENOMEM (shmem_lock()).
 */
static int shmctl_do_lock(const struct task_struct *tsk, int shmid, int cmd)
{
	struct shmid_kernel *shp;
	struct file *shm_file;
	int err = 0;

	spin_lock(&shm_ids_lock);
	shp = shm_obtain_object_check(shmid);
	if (!shp) {
		err = -EINVAL;
		goto out_unlock;
	}
	if (!has_capability(tsk, CAP_IPC_LOCK)) {
		if (!shm_is_owner(shp) || (cmd == SHM_LOCK && !tsk->rlim_memlock)) {
			err = -EPERM;
			goto out_unlock;
		}
	}
	shm_file = shp->shm_file;
	if (cmd == SHM_LOCK) {
		err = shmem_lock(shm_file, 1, tsk);
		if (!err)
			shp->mode |= SHM_LOCKED_LINMM;
		goto out_unlock;
	}
	if (!(shp->mode & SHM_LOCKED_LINMM))
		goto out_unlock;
	shmem_lock(shm_file, 0, tsk);
	shp->mode &= ~SHM_LOCKED_LINMM;
	get_file(shm_file);
	spin_unlock(&shm_ids_lock);
	shmem_unlock_mapping(shm_file->f_mapping);
	fput(shm_file);
	return 0;
out_unlock:
	spin_unlock(&shm_ids_lock);
	return err;
}

int linmm_shmctl(struct task_struct *tsk, int shmid, int cmd, void *buf)
{
	shm_ids_check_boot();
	if (cmd < 0 || shmid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
		return shmctl_ipc_info(buf);
	case SHM_INFO:
		return shmctl_shm_info(buf);
	case IPC_STAT:
	case SHM_STAT:
	case SHM_STAT_ANY:
		return shmctl_stat(tsk, shmid, cmd, buf);
	case IPC_SET:
		if (!buf)
			return -EFAULT;	/* copy_shmid_from_user() */
		return shmctl_down(tsk, shmid, cmd, buf);
	case IPC_RMID:
		return shmctl_down(tsk, shmid, cmd, NULL);
	case SHM_LOCK:
	case SHM_UNLOCK:
		return shmctl_do_lock(tsk, shmid, cmd);
	default:
		return -EINVAL;
	}
}

void sysvipc_shm_show(struct seq_file *m)
{
	shm_ids_check_boot();
	seq_printf(m, "       key      shmid perms                  size  cpid  lpid nattch   uid   gid"
		      "  cuid  cgid      atime      dtime      ctime                   rss"
		      "                  swap\n");
	spin_lock(&shm_ids_lock);
	for (int i = 0; i < IPCMNI_LINMM; i++) {
		struct shmid_kernel *shp = shm_idr[i];

		if (!shp)
			continue;
		seq_printf(m, "%10d %10d  %4o %21lu %5u %5u  %5lu %5u %5u %5u %5u %10llu %10llu %10llu "
			      "%21lu %21lu\n",
			   shp->key, shp->id, shp->mode, (unsigned long)shp->segsz,
			   (unsigned int)shp->cpid, (unsigned int)shp->lpid, shp->nattch, shp->uid,
			   shp->gid, shp->cuid, shp->cgid, (unsigned long long)shp->atime, (unsigned long long)shp->dtime,
			   (unsigned long long)shp->ctime,
			   shp->shm_file->f_mapping->nrpages * PAGE_SIZE, 0UL);
	}
	spin_unlock(&shm_ids_lock);
}

unsigned long shm_nr_segments(void)
{
	shm_ids_check_boot();
	return (unsigned long)shm_in_use;
}

void shm_destroy_all(void)
{
	shm_ids_check_boot();
	for (int i = 0; i < IPCMNI_LINMM; i++) {
		struct file *file = NULL;

		spin_lock(&shm_ids_lock);
		if (shm_idr[i])
			file = shm_rmid_locked(shm_idr[i]);
		spin_unlock(&shm_ids_lock);
		if (file)
			fput(file);
	}
	shm_ctlmax = SHMMAX_LINMM;
	shm_ctlall = SHMALL_LINMM;
	shm_ctlmni = SHMMNI_LINMM;
	shm_boot = 0;
}
