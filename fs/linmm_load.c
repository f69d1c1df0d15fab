// SPDX-License-Identifier: MIT
/*
 * linmm_load.c - importing a host file into linmmfs (`load HOSTPATH as
 * PATH`), and the file system's boot and shutdown hooks.
 *
 * linmm's own (the kernel has no such call; think of `cp` from a host
 * share).  The data goes through the page cache exactly as write(2) would
 * put it there (create or truncate, write in 64 KiB pieces, which dirties
 * pages, may throttle and starts writeback), then the file is fsync'ed,
 * so afterwards its pages are in the cache, clean, and on ram0.  The host
 * file is read through kernel/host.h into a kmalloc'd bounce buffer.
 *
 * Locks: none of its own; the file is opened in an internal kernel task
 * context (no descriptor table is involved).
 */
#include <errno.h>

#include <linmm/blkdev.h>
#include <linmm/pagemap.h>
#include <linmm/shmem_fs.h>
#include <linmm/slab.h>
#include <linmm/writeback.h>

#include "fs/internal.h"
#include "kernel/host.h"
#include "mm/internal.h"

#define LOAD_CHUNK (64 * 1024)

struct file *do_filp_open(const char *path, int flags, unsigned int mode, int *err);

long linmm_load_file(const char *hostpath, const char *path)
{
	struct file *file;
	long total = 0, ret = 0;
	char *buf;
	int hfd, err = getname(path);

	if (err)
		return err;
	fs_syscall_enter();
	hfd = linmm_host_open_read(hostpath);
	if (hfd < 0)
		return hfd;
	buf = kmalloc(LOAD_CHUNK, GFP_KERNEL);
	if (!buf) {
		ret = -ENOMEM;
		goto out_close;
	}
	file = do_filp_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644, &err);
	if (!file) {
		ret = err;
		goto out_free;
	}
	ret = do_truncate(file->f_inode, 0);
	while (!ret) {
		long n = linmm_host_read(hfd, buf, LOAD_CHUNK), done = 0;

		if (n <= 0) {
			ret = n;
			break;
		}
		while (done < n) {
			long w;

			w = file->f_op->write_iter(file, &file->f_pos, buf + done,
						   (size_t)(n - done));
			if (w < 0) {
				ret = w;
				break;
			}
			done += w;
			total += w;
		}
	}
	if (!ret)
		ret = filemap_write_and_wait(file->f_mapping);
	fput(file);
out_free:
	kfree(buf);
out_close:
	linmm_host_close(hfd);
	return ret ? ret : total;
}

void vfs_caches_init(void)
{
	drop_caches_reset();
	wb_init();
}

/*
 * vfs_teardown - machine shutdown, after every task's files are closed:
 * unmount /dev/shm (every name and inode, their pages), linmmfs (sync,
 * evict every inode, free ram0), then the caches.
 */
void vfs_teardown(void)
{
	tmpfs_kill_sb();
	linmmfs_kill_sb();
	fs_file_cache_teardown();
	fs_files_cache_teardown();
	xa_teardown();
}
