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
/* Unmount (shutdown): sync, drop every file, free ram0 and the caches. */
void linmmfs_kill_sb(void);
/* The block map of every inode agrees with the allocation bitmap.  0 or -EINVAL. */
int linmmfs_validate(struct super_block *sb);

/* ---- fs/namespace.c: the mount table ---- */
/*
 * struct mount_path - where a path lies: @sb (its root directory
 * sb->s_root), @name below the mount point (what the root's
 * inode_operations take), @mnt_point ("/dev/shm"; NULL for "/", whose
 * file system takes whole paths).
 */
struct mount_path {
	struct super_block *sb;
	const char *mnt_point;
	const char *name;
};
/*
 * lookup_mnt - fill @mp for @path (checked by getname()), mounting its
 * file system if this is its first use since boot.  Return: 0 or -ENOMEM.
 */
int lookup_mnt(const char *path, struct mount_path *mp);

/* ---- fs/read_write.c: the generic file calls (mm/filemap.c's in the kernel) ---- */
/* generic_write_checks - O_APPEND, s_maxbytes (EFBIG); clamps *@count.  i_rwsem held. */
int generic_write_checks(struct file *file, loff_t *pos, size_t *count);
long generic_file_read_iter(struct file *file, loff_t *pos, void *buf, size_t count);
long generic_file_write_iter(struct file *file, loff_t *pos, const void *buf, size_t count);

/* ---- fs/open.c ---- */
/* do_truncate - the size change of ftruncate/O_TRUNC: i_op->setattr under i_rwsem. */
int do_truncate(struct inode *inode, loff_t length);

/* ---- fs/sync.c ---- */
/* generic_file_fsync: write the dirty pages and wait; noop_fsync: nothing to write (tmpfs). */
int generic_file_fsync(struct file *file);
int noop_fsync(struct file *file);

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
