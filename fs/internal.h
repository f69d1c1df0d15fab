/* SPDX-License-Identifier: MIT */
/*
 * internal.h - cross-file internals of fs/ (fs/internal.h in the kernel),
 * grouped by the file that defines them.
 */
#ifndef LINMM_FS_INTERNAL_H
#define LINMM_FS_INTERNAL_H

#include <linmm/fdtable.h>
#include <linmm/fs.h>
#include <linmm/writeback.h>

/* ---- fs/inode.c: inode lifetimes ---- */
/* new_inode - an inode of @sb with i_count 1, i_nlink 0, on the sb's list; NULL: no memory. */
struct inode *new_inode(struct super_block *sb);
void ihold(struct inode *inode);		/* +1 i_count */
/* iput - drop a reference; the last one of an unlinked inode evicts it (pages, blocks). */
void iput(struct inode *inode);

/* ---- fs/linmmfs/: the file system ---- */
/*
 * get_sb - the mounted linmmfs, mounting it (ram0, root, caches) at the
 * first call after a boot.  Return: the super block, or NULL (no memory).
 */
struct super_block *get_sb(void);
/* The mounted super block or NULL, without mounting (checkers, drop_caches). */
struct super_block *current_sb(void);
/* lookup: the inode of @path with a reference, or an ERR_PTR-style NULL + *err (-ENOENT...). */
struct inode *linmmfs_lookup(const char *path, int *err);
/* create: a new regular file @path with a reference.  -EEXIST, -ENOMEM. */
struct inode *linmmfs_create(const char *path, unsigned int mode, int *err);
int linmmfs_unlink(const char *path);
/* setsize: truncate or extend @inode to @size (i_rwsem held).  0 or -errno. */
int linmmfs_setsize(struct inode *inode, loff_t size);
/* Unmount (shutdown): sync, drop every file, free ram0 and the caches. */
void linmmfs_kill_sb(void);
/* The block map of every inode agrees with the allocation bitmap.  0 or -EINVAL. */
int linmmfs_validate(struct super_block *sb);

/* ---- fs/file_table.c: struct file ---- */
struct file *alloc_file(struct inode *inode, unsigned int flags);
void fs_file_cache_teardown(void);

/* ---- fs/file.c: descriptor tables ---- */
/* alloc_fd_install - the lowest free descriptor of @tsk, now naming @file.  fd or -EMFILE/-ENOMEM. */
int alloc_fd_install(struct task_struct *tsk, struct file *file);
/* close_fd - detach descriptor @fd.  Return: its file (the table's reference), or NULL. */
struct file *close_fd(struct task_struct *tsk, int fd);
void fs_files_cache_teardown(void);

/* ---- fs/namei.c: paths ---- */
/* getname - check @path: "" -ENOENT, not absolute -EINVAL, too long -ENAMETOOLONG.  0 if fine. */
int getname(const char *path);

/*
 * A file system call starts: reap completed disk writes and run the
 * flusher if its timer is due (the deterministic stand-in for the
 * kernel's kworker and block-completion interrupts).
 */
static inline void fs_syscall_enter(void)
{
	wb_check_timer();
}

/* ---- fs/drop_caches.c ---- */
void drop_caches_reset(void);

/* ---- lifetimes at boot and shutdown (kernel/machine.c; fs/linmm_load.c) ---- */
void vfs_caches_init(void);
void vfs_teardown(void);

#endif /* LINMM_FS_INTERNAL_H */
