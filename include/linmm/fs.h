/* SPDX-License-Identifier: MIT */
/*
 * fs.h - files, inodes and address spaces (include/linux/fs.h,
 * include/uapi/asm-generic/fcntl.h), and the file system calls.
 *
 * Two file systems are mounted (fs/namespace.c): tmpfs (mm/shmem.c,
 * mm/tmpfs.c) on "/dev/shm", and linmmfs (fs/linmmfs/), on the RAM disk
 * "ram0" (fs/block_dev.c), everywhere else.  Both namespaces are flat:
 * "/data/name" is one name in linmmfs's root directory "/", "/dev/shm/x"
 * one name in tmpfs's root, and there are no other directories to create.
 * The VFS reaches a file system only through its operations (struct
 * inode_operations of the root directory and of files, struct
 * file_operations), as the kernel's does.
 *
 *   task->files->fd[3] -> struct file (f_pos, f_flags, f_ra)
 *                           |
 *                           v
 *                         struct inode (i_size, i_nlink, i_count)
 *                           |  i_mapping
 *                           v
 *                         struct address_space: i_pages (xarray of pages,
 *                           DIRTY/WRITEBACK/TOWRITE marks), nrpages, a_ops
 *
 * Lifetimes: a file holds a reference on its inode (i_count); a directory
 * entry holds i_nlink.  An unlinked inode lives on while a file is open,
 * and its pages and blocks go when the last reference does (iput()).
 *
 * The system calls take kernel buffers (the kernel's kernel_read() and
 * kernel_write()), not a task's user addresses; they return what the Linux
 * system call returns: a count or 0, or -errno (EBADF, ENOENT, EEXIST,
 * EISDIR, ENOTDIR, EINVAL, ENOSPC, EFBIG, ENAMETOOLONG, EMFILE, ESPIPE, EOVERFLOW).
 */
#ifndef LINMM_FS_H
#define LINMM_FS_H

#include <linmm/list.h>
#include <linmm/rbtree.h>
#include <linmm/rwsem.h>
#include <linmm/spinlock.h>
#include <linmm/types.h>
#include <linmm/xarray.h>

/* Open flags and whence values: Linux's x86_64 numbers (the host's headers agree). */
#ifndef O_ACCMODE
#define O_ACCMODE	00000003
#endif
#ifndef O_RDONLY
#define O_RDONLY	00000000
#endif
#ifndef O_WRONLY
#define O_WRONLY	00000001
#endif
#ifndef O_RDWR
#define O_RDWR		00000002
#endif
#ifndef O_CREAT
#define O_CREAT		00000100
#endif
#ifndef O_EXCL
#define O_EXCL		00000200
#endif
#ifndef O_TRUNC
#define O_TRUNC		00001000
#endif
#ifndef O_APPEND
#define O_APPEND	00002000
#endif
#ifndef O_SYNC
#define O_SYNC		04010000
#endif
#ifndef O_DIRECTORY
#define O_DIRECTORY	00200000
#endif
#ifndef SEEK_SET
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#endif

#define NAME_MAX_LINMM 255	/* NAME_MAX: bytes of one path component */
#define PATH_MAX_LINMM 4096	/* PATH_MAX, with the NUL */
#define NR_OPEN_DEFAULT_LINMM 1024	/* RLIMIT_NOFILE soft limit at spawn */
#define MAX_LFS_FILESIZE ((long long)0x7fffffffffffffffLL)

#define S_IFMT_LINMM  0170000
#define S_IFDIR_LINMM 0040000
#define S_IFREG_LINMM 0100000

typedef s64 loff_t;	/* the same type as the host C library's loff_t (long on LP64) */
typedef unsigned long pgoff_t;

struct address_space;
struct file;
struct inode;
struct page;
struct super_block;
struct task_struct;
struct writeback_control;

/* Page-cache operations a file system provides (include/linux/fs.h). */
struct address_space_operations {
	/* Fill the locked, !uptodate @page from the disk; unlock it.  0 or -errno. */
	int (*read_folio)(struct file *file, struct page *page);
	/* Start writing the locked, dirty-cleared @page (PG_writeback set); unlock it. */
	int (*writepage)(struct page *page, struct writeback_control *wbc);
	/* Prepare blocks for a write into @page (block allocation).  0 or -ENOSPC. */
	int (*write_begin)(struct address_space *mapping, struct page *page);
};

/* mapping->flags bits (include/linux/pagemap.h AS_*; AS_UNEVICTABLE: SHM_LOCK, pagemap.h). */
enum { AS_EIO = 0, AS_ENOSPC = 1, AS_UNEVICTABLE = 3 };

/*
 * struct address_space - the page cache of one inode.
 * @host: the owner
 * @i_pages: page index -> struct page; marks PAGECACHE_TAG_*
 * @nrpages: pages in @i_pages
 * @writeback_index: where cyclic writeback goes on next
 * @a_ops: the file system's page operations
 * @flags: AS_EIO/AS_ENOSPC: a writeback error for fsync() to report
 * @i_mmap: the VMAs mapping this file, an interval tree by page range
 *	(mm/interval_tree.c): the file half of the reverse map
 * @i_mmap_rwsem: protects @i_mmap (i_mmap_lock_read/write())
 */
struct address_space {
	struct inode *host;
	struct xarray i_pages;
	unsigned long nrpages;
	pgoff_t writeback_index;
	const struct address_space_operations *a_ops;
	unsigned long flags;
	struct rb_root i_mmap;
	struct rw_semaphore i_mmap_rwsem;
};

/* inode->i_state bits (include/linux/fs.h). */
#define I_DIRTY_PAGES	(1UL << 2)
#define I_FREEING	(1UL << 5)

/*
 * struct inode.
 * @i_count: references (open files, the directory's lookup, the flusher)
 * @i_nlink: directory entries (0 once unlinked)
 * @i_state: I_DIRTY_PAGES while it is on the flusher's b_dirty list
 * @dirtied_when: jiffies when it became dirty (dirty_expire_centisecs)
 * @i_io_list: on the bdi_writeback's b_dirty list
 * @i_sb_list: on the super block's list of inodes
 * @i_rwsem: serialises writes and truncation (inode_lock())
 * @i_blockmap: page index -> disk block, as value entries (linmmfs's
 *	block map, the ext2 i_data[] of this file system)
 * @i_blocks: 512-byte sectors allocated (stat's st_blocks)
 */
struct inode_operations;
struct file_operations;

struct inode {
	unsigned long i_ino;
	unsigned int i_mode;
	unsigned int i_nlink;
	loff_t i_size;
	_Atomic int i_count;
	unsigned long i_state;
	unsigned long dirtied_when;
	struct list_head i_io_list;
	struct list_head i_sb_list;
	struct rw_semaphore i_rwsem;
	struct super_block *i_sb;
	struct address_space *i_mapping;
	struct address_space i_data;
	struct xarray i_blockmap;
	unsigned long i_blocks;
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;	/* what open() gives its files (f_op) */
};

/*
 * struct inode_operations - what the VFS asks of a file system's inodes
 * (include/linux/fs.h).  A directory has lookup, create and unlink; a
 * regular file has setattr.  @name is the path below the mount point
 * (fs/namespace.c): for linmmfs the whole path, for tmpfs the name after
 * "/dev/shm/"; "" is the directory itself.
 */
struct inode_operations {
	/* The inode of @name in @dir with a reference; NULL and *err (-ENOENT, -ENOTDIR...). */
	struct inode *(*lookup)(struct inode *dir, const char *name, int *err);
	/* A new regular file @name in @dir with a reference; NULL and *err (-EEXIST, -ENOSPC...). */
	struct inode *(*create)(struct inode *dir, const char *name, unsigned int mode, int *err);
	/* Remove @name from @dir.  0 or -errno (-ENOENT, -EISDIR). */
	int (*unlink)(struct inode *dir, const char *name);
	/* setattr(ATTR_SIZE): truncate or extend to @size, i_rwsem held.  0 or -errno. */
	int (*setattr)(struct inode *inode, loff_t size);
};

/*
 * struct super_block - the mounted linmmfs.
 * @s_inodes: every inode, under @s_inode_list_lock
 * @s_fs_info: linmmfs's own state (fs/linmmfs/linmmfs.h)
 */
struct super_operations {
	/* The last reference to an unlinked inode went: free its blocks. */
	void (*evict_inode)(struct inode *inode);
};

/* Device numbers as /proc/PID/maps prints them (MAJOR:MINOR). */
#define MKDEV_LINMM(ma, mi) (((unsigned int)(ma) << 20) | (unsigned int)(mi))
#define MAJOR_LINMM(dev) ((unsigned int)(dev) >> 20)
#define MINOR_LINMM(dev) ((unsigned int)(dev) & ((1U << 20) - 1))

/*
 * @s_dev: the device (ram0 is 1:0 as RAMDISK_MAJOR; shmem's internal mount
 * 0:1; /dev/shm's tmpfs 0:1a).  @s_root: the root directory's inode.
 */
struct super_block {
	const struct super_operations *s_op;
	unsigned int s_dev;
	struct block_device *s_bdev;
	struct list_head s_inodes;
	spinlock_t s_inode_list_lock;
	loff_t s_maxbytes;
	void *s_fs_info;
	struct inode *s_root;
};

/* struct file_ra_state - a file's readahead window (include/linux/fs.h). */
struct file_ra_state {
	pgoff_t start;			/* first page of the current window */
	unsigned int size;		/* pages in it */
	unsigned int async_size;	/* the last pages: hitting the first of them reads ahead */
	unsigned int ra_pages;		/* the most pages one window may have */
	loff_t prev_pos;		/* end of the last read */
	unsigned int mmap_miss;		/* major faults minus cache hits of its mappings (filemap.c) */
};

#define FMODE_READ	0x1
#define FMODE_WRITE	0x2

struct mm_struct;
struct vm_area_struct;
/*
 * struct file_operations - a file's calls (include/linux/fs.h); the VFS
 * checks the descriptor's mode and clamps counts first.  read_iter and
 * write_iter take a kernel buffer; write_iter takes i_rwsem and does
 * generic_write_checks() itself, as the kernel's do.  A missing read_iter/
 * write_iter/fsync is EINVAL; a missing mmap is generic_file_mmap.
 */
struct file_operations {
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
	long (*read_iter)(struct file *file, loff_t *pos, void *buf, size_t count);
	long (*write_iter)(struct file *file, loff_t *pos, const void *buf, size_t count);
	int (*fsync)(struct file *file);
	/* Where a mapping of it goes (mm/mmap.c __get_unmapped_area); NULL: the plain search. */
	unsigned long (*get_unmapped_area)(struct mm_struct *mm, struct file *file,
					   unsigned long addr, unsigned long len,
					   unsigned long pgoff, unsigned long flags);
};

struct file {
	struct inode *f_inode;
	struct address_space *f_mapping;
	loff_t f_pos;
	unsigned int f_flags;
	unsigned int f_mode;
	_Atomic long f_count;
	struct file_ra_state f_ra;
	char *f_pathname;	/* the path it was opened by (d_path()); NULL: none */
	const struct file_operations *f_op;
	void *private_data;	/* SysV shm: the segment of a shmat() file */
};

/* get_file - one more reference on @file (a VMA's vm_file, a descriptor). */
static inline struct file *get_file(struct file *file)
{
	atomic_fetch_add(&file->f_count, 1);
	return file;
}

/* i_size_read/i_size_write (include/linux/fs.h). */
static inline loff_t i_size_read(const struct inode *inode)
{
	return inode->i_size;
}

static inline void i_size_write(struct inode *inode, loff_t size)
{
	inode->i_size = size;
}

static inline bool S_ISDIR_LINMM(unsigned int mode)
{
	return (mode & S_IFMT_LINMM) == S_IFDIR_LINMM;
}

/* ---- the system calls (fs/open.c, fs/read_write.c, fs/sync.c, fs/namei.c) ---- */

/**
 * linmm_open - open(2) in @tsk.
 * @path: absolute path ("/data/x")
 * @flags: O_RDONLY/O_WRONLY/O_RDWR | O_CREAT, O_EXCL, O_TRUNC, O_APPEND
 * @mode: permission bits for a new file (kept, not enforced)
 *
 * Context: a booted machine, no locks.
 * Return: the lowest free file descriptor, or -errno.
 */
int linmm_open(struct task_struct *tsk, const char *path, int flags, unsigned int mode);
/* close(2).  Return: 0 or -EBADF. */
int linmm_close(struct task_struct *tsk, int fd);
/* read(2) into the kernel buffer @buf.  Return: bytes read (0 at EOF) or -errno. */
long linmm_read(struct task_struct *tsk, int fd, void *buf, size_t count);
/* write(2) from @buf.  Return: bytes written or -errno. */
long linmm_write(struct task_struct *tsk, int fd, const void *buf, size_t count);
/* pread64(2)/pwrite64(2): at @pos, f_pos unchanged.  Return as read/write. */
long linmm_pread(struct task_struct *tsk, int fd, void *buf, size_t count, loff_t pos);
long linmm_pwrite(struct task_struct *tsk, int fd, const void *buf, size_t count, loff_t pos);
/* lseek(2) with SEEK_SET/SEEK_CUR/SEEK_END.  Return: the new offset or -errno. */
loff_t linmm_lseek(struct task_struct *tsk, int fd, loff_t offset, int whence);
/* ftruncate(2).  Return: 0 or -errno (-EINVAL: negative or not open for writing). */
int linmm_ftruncate(struct task_struct *tsk, int fd, loff_t length);
/* fsync(2): write the file's dirty pages and wait for them.  Return: 0 or -errno. */
int linmm_fsync(struct task_struct *tsk, int fd);
/* unlink(2).  Return: 0 or -errno (-ENOENT, -EISDIR for "/"). */
int linmm_unlink(struct task_struct *tsk, const char *path);
/* sync(2): write back every dirty page and wait. */
void linmm_sync(void);

/* struct linmm_stat - what fstat(2) gives that linmm models. */
struct linmm_stat {
	unsigned long st_ino;
	unsigned int st_mode;
	unsigned int st_nlink;
	loff_t st_size;
	unsigned long st_blocks;	/* 512-byte units */
};
/* fstat(2).  Return: 0 or -EBADF. */
int linmm_fstat(struct task_struct *tsk, int fd, struct linmm_stat *st);

/**
 * linmm_load_file - import host file @hostpath as @path (created or
 * truncated), through the page cache as a write would, then synced.
 * Context: a booted machine.
 * Return: bytes imported, or -errno (a host error, or the file system's).
 */
long linmm_load_file(const char *hostpath, const char *path);

/* ---- files and descriptors (fs/file.c, fs/file_table.c) ---- */

struct file *fget(struct task_struct *tsk, int fd);	/* +1 f_count, or NULL */
void fput(struct file *file);
/* exit_files - close every descriptor of @tsk (do_exit()). */
void exit_files(struct task_struct *tsk);
/*
 * dup_fd - fork's copy_files(): give @child a copy of @parent's descriptor
 * table, each descriptor a new reference to the same open file (shared
 * offset).  Return: 0 or -ENOMEM.
 */
int dup_fd(struct task_struct *child, struct task_struct *parent);

#endif /* LINMM_FS_H */
