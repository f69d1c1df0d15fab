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
 * IDs (ipc_idr_alloc()): the lowest free index below kernel.shmmni (at
 * most IPCMNI), plus seq << 15, where seq grows whenever a new segment
 * takes an index not above the last one taken.  A stale id (wrong seq)
 * is EINVAL.  The limits: kernel.shmmax bytes per segment, kernel.shmall
 * pages in all, kernel.shmmni segments (ENOSPC beyond the last two).
 *
 * Locks: shm_ids_lock (a spinlock) protects the table, the counters and
 * each segment's fields; it is never held across an mmap, munmap or
 * fput (vm_ops->close takes it from inside munmap).
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

unsigned long shm_ctlmax = SHMMAX_LINMM;
unsigned long shm_ctlall = SHMALL_LINMM;
int shm_ctlmni = SHMMNI_LINMM;

struct shmid_kernel {
	int key;
	int id;
	unsigned int seq;
	unsigned int mode;
	size_t segsz;
	long atime, dtime, ctime;
	int cpid, lpid;
	unsigned long nattch;
	struct file *shm_file;		/* the shmem object's own file */
};

static struct shmid_kernel *shm_idr[IPCMNI_LINMM];
static unsigned long shm_boot;
static int shm_in_use, shm_last_idx = -1;
static unsigned int shm_seq;
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
	shm_seq = 0;
	shm_tot = 0;
	shm_boot = linmm_boot_seq;
}

static struct shmid_kernel *shm_obtain_object_check(int id)
{
	struct shmid_kernel *shp;

	if (id < 0)
		return NULL;
	shp = shm_idr[id & (IPCMNI_LINMM - 1)];
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

/* ipcperms(): all tasks are the owner; @acc S_IRUGO/S_IWUGO-style bits 0444/0222. */
static bool shm_perm_ok(const struct shmid_kernel *shp, unsigned int acc)
{
	unsigned int granted = (shp->mode >> 6) & 7, want = 0;

	if (acc & 0444)
		want |= 4;
	if (acc & 0222)
		want |= 2;
	if (acc & 0111)
		want |= 1;
	return (want & ~granted) == 0;
}

/* Take the segment out of the table (the key and id stop working). Context: shm_ids_lock. */
static struct file *shm_rmid_locked(struct shmid_kernel *shp)
{
	struct file *file = shp->shm_file;

	shm_idr[shp->id & (IPCMNI_LINMM - 1)] = NULL;
	shm_in_use--;
	shm_tot -= PAGE_ALIGN(shp->segsz) >> PAGE_SHIFT;
	kfree(shp);
	return file;
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
	if (shm_in_use < shm_ctlmni) {
		for (int i = 0; i < min(shm_ctlmni, IPCMNI_LINMM); i++)
			if (!shm_idr[i]) {
				idx = i;
				break;
			}
	}
	if (idx < 0) {
		spin_unlock(&shm_ids_lock);
		fput(shp->shm_file);
		kfree(shp);
		return -ENOSPC;
	}
	if (idx <= shm_last_idx && ++shm_seq > (0x7fffffffU >> IPCMNI_SHIFT_LINMM))
		shm_seq = 0;
	shm_last_idx = idx;
	shp->seq = shm_seq;
	shp->id = (int)((shm_seq << IPCMNI_SHIFT_LINMM) + (unsigned int)idx);
	shp->key = key;
	shp->mode = (unsigned int)shmflg & 0777;
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
	else if (!shm_perm_ok(shp, (unsigned int)shmflg & 0777))
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
	if (!shm_perm_ok(shp, acc)) {
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

int linmm_shmctl(struct task_struct *tsk, int shmid, int cmd, struct linmm_shmid_ds *buf)
{
	struct shmid_kernel *shp;
	struct file *destroy = NULL;
	int err = 0;

	(void)tsk;
	shm_ids_check_boot();
	if (cmd < 0 || shmid < 0)
		return -EINVAL;
	if (cmd != IPC_STAT && cmd != IPC_RMID)
		return -EINVAL;		/* IPC_SET, IPC_INFO, SHM_LOCK...: not modelled */
	spin_lock(&shm_ids_lock);
	shp = shm_obtain_object_check(shmid);
	if (!shp) {
		err = -EINVAL;
	} else if (cmd == IPC_STAT) {
		if (!shm_perm_ok(shp, 0444)) {
			err = -EACCES;
		} else if (!buf) {
			err = -EFAULT;
		} else {
			memset(buf, 0, sizeof(*buf));
			buf->key = shp->key;
			buf->mode = shp->mode;
			buf->seq = shp->seq;
			buf->shm_segsz = shp->segsz;
			buf->shm_atime = shp->atime;
			buf->shm_dtime = shp->dtime;
			buf->shm_ctime = shp->ctime;
			buf->shm_cpid = shp->cpid;
			buf->shm_lpid = shp->lpid;
			buf->shm_nattch = shp->nattch;
		}
	} else {
		/* do_shm_rmid(): destroyed now, or at the last detach. */
		if (shp->nattch) {
			shp->mode |= SHM_DEST_LINMM;
			shp->key = IPC_PRIVATE;
		} else {
			destroy = shm_rmid_locked(shp);
		}
	}
	spin_unlock(&shm_ids_lock);
	if (destroy)
		fput(destroy);
	return err;
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
			   (unsigned int)shp->cpid, (unsigned int)shp->lpid, shp->nattch, 0u, 0u, 0u,
			   0u, (unsigned long long)shp->atime, (unsigned long long)shp->dtime,
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
