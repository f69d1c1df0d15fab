// SPDX-License-Identifier: MIT
/*
 * file.c - descriptor tables (fs/file.c).
 *
 *   files_struct.fdtab: fd[0..max_fds)    NULL = free
 *                       fd[3] -> struct file
 *
 * alloc_fd_install() hands out the lowest free descriptor (from next_fd,
 * the lowest that may be free), growing the table by doubling from
 * NR_OPEN_DEFAULT (64) slots up to RLIMIT_NOFILE (1024): EMFILE beyond.
 * Descriptors 0-2 are not special: linmm tasks have no terminal, so a
 * task's first open() returns 0, as it would after close(0..2).
 *
 * The table is allocated at a task's first open() (spawned tasks start
 * empty) from "files_cache"; its fd array is kmalloc'd.  fork copies it
 * (dup_fd(): the child's descriptors share the parent's open files and
 * offsets); exit_files() closes everything at exit.
 *
 * Locks: files->file_lock protects the table and next_fd; it is never held
 * across fput().
 */
#include <errno.h>
#include <string.h>

#include <linmm/fdtable.h>
#include <linmm/fs.h>
#include <linmm/sched.h>
#include <linmm/slab.h>

#include "fs/internal.h"
#include "kernel/machine.h"

static struct kmem_cache *files_cachep;
static unsigned long files_cache_boot;

static struct files_struct *get_files(struct task_struct *tsk)
{
	struct files_struct *files;

	if (tsk->files)
		return tsk->files;
	if (!files_cachep || files_cache_boot != linmm_boot_seq) {
		files_cachep = kmem_cache_create("files_cache", sizeof(struct files_struct), 0,
						 SLAB_ACCOUNT, NULL);
		files_cache_boot = linmm_boot_seq;
		if (!files_cachep)
			return NULL;
	}
	files = kmem_cache_alloc(files_cachep, GFP_KERNEL);
	if (!files)
		return NULL;
	memset(files, 0, sizeof(*files));
	spin_lock_init(&files->file_lock);
	files->fdtab.fd = kcalloc(NR_OPEN_DEFAULT, sizeof(struct file *), GFP_KERNEL);
	if (!files->fdtab.fd) {
		kmem_cache_free(files_cachep, files);
		return NULL;
	}
	files->fdtab.max_fds = NR_OPEN_DEFAULT;
	tsk->files = files;
	return files;
}

/* expand_fdtable(): room for descriptor @nr.  Called and returns with file_lock held. */
static int expand_fdtable(struct files_struct *files, unsigned int nr)
{
	unsigned int max = files->fdtab.max_fds;
	struct file **fd;

	while (max <= nr)
		max *= 2;
	max = min(max, (unsigned int)NR_OPEN_DEFAULT_LINMM);
	spin_unlock(&files->file_lock);
	fd = kcalloc(max, sizeof(*fd), GFP_KERNEL);
	spin_lock(&files->file_lock);
	if (!fd)
		return -ENOMEM;
	memcpy(fd, files->fdtab.fd, files->fdtab.max_fds * sizeof(*fd));
	kfree(files->fdtab.fd);
	files->fdtab.fd = fd;
	files->fdtab.max_fds = max;
	return 0;
}

int alloc_fd_install(struct task_struct *tsk, struct file *file)
{
	struct files_struct *files = get_files(tsk);
	unsigned int fd;
	int err;

	if (!files)
		return -ENOMEM;
	spin_lock(&files->file_lock);
	for (;;) {
		for (fd = files->next_fd; fd < files->fdtab.max_fds && files->fdtab.fd[fd]; fd++)
			;
		if (fd < files->fdtab.max_fds)
			break;
		if (fd >= NR_OPEN_DEFAULT_LINMM) {
			spin_unlock(&files->file_lock);
			return -EMFILE;
		}
		err = expand_fdtable(files, fd);
		if (err) {
			spin_unlock(&files->file_lock);
			return err;
		}
	}
	files->fdtab.fd[fd] = file;
	files->next_fd = fd + 1;
	spin_unlock(&files->file_lock);
	return (int)fd;
}

struct file *close_fd(struct task_struct *tsk, int fd)
{
	struct files_struct *files = tsk->files;
	struct file *file = NULL;

	if (!files || fd < 0)
		return NULL;
	spin_lock(&files->file_lock);
	if ((unsigned int)fd < files->fdtab.max_fds) {
		file = files->fdtab.fd[fd];
		files->fdtab.fd[fd] = NULL;
		if (file && (unsigned int)fd < files->next_fd)
			files->next_fd = (unsigned int)fd;
	}
	spin_unlock(&files->file_lock);
	return file;
}

/**
 * fget - the file of descriptor @fd of @tsk, with a reference.
 * @tsk: the task
 * @fd: the descriptor
 *
 * Context: takes files->file_lock.
 * Return: the file (fput() it), or NULL for a bad descriptor.
 */
struct file *fget(struct task_struct *tsk, int fd)
{
	struct files_struct *files = tsk->files;
	struct file *file = NULL;

	if (!files || fd < 0)
		return NULL;
	spin_lock(&files->file_lock);
	if ((unsigned int)fd < files->fdtab.max_fds)
		file = files->fdtab.fd[fd];
	if (file)
		atomic_fetch_add(&file->f_count, 1);
	spin_unlock(&files->file_lock);
	return file;
}

int dup_fd(struct task_struct *child, struct task_struct *parent)
{
	struct files_struct *old = parent->files, *files;
	struct file **fd;
	unsigned int max;

	child->files = NULL;
	if (!old)
		return 0;
	files = get_files(child);
	if (!files)
		return -ENOMEM;
	spin_lock(&old->file_lock);
	max = old->fdtab.max_fds;
	spin_unlock(&old->file_lock);
	fd = kcalloc(max, sizeof(*fd), GFP_KERNEL);
	if (!fd) {
		exit_files(child);
		return -ENOMEM;
	}
	spin_lock(&old->file_lock);
	/* The table cannot have grown: the parent is in fork, not in open. */
	for (unsigned int i = 0; i < max; i++) {
		fd[i] = old->fdtab.fd[i];
		if (fd[i])
			atomic_fetch_add(&fd[i]->f_count, 1);
	}
	files->next_fd = old->next_fd;
	spin_unlock(&old->file_lock);
	kfree(files->fdtab.fd);
	files->fdtab.fd = fd;
	files->fdtab.max_fds = max;
	return 0;
}

void exit_files(struct task_struct *tsk)
{
	struct files_struct *files = tsk->files;

	if (!files)
		return;
	for (unsigned int fd = 0; fd < files->fdtab.max_fds; fd++)
		if (files->fdtab.fd[fd])
			fput(files->fdtab.fd[fd]);
	kfree(files->fdtab.fd);
	kmem_cache_free(files_cachep, files);
	tsk->files = NULL;
}

void fs_files_cache_teardown(void)
{
	if (files_cachep && files_cache_boot == linmm_boot_seq)
		kmem_cache_destroy(files_cachep);
	files_cachep = NULL;
}
