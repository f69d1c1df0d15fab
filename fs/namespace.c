// SPDX-License-Identifier: MIT
/*
 * namespace.c - the mount table: which file system a path lies on
 * (fs/namespace.c, fs/namei.c's path walk across mount points).
 *
 * linmm has two mounts and no mount(2): tmpfs on "/dev/shm" (systemd
 * mounts it at boot; here it mounts at its first use after a boot, as
 * linmmfs does) and linmmfs on "/".  The longest matching mount point
 * wins (the table is in that order), on a component boundary:
 *
 *   "/dev/shm/x"  -> tmpfs,   name "x"
 *   "/dev/shm"    -> tmpfs,   name ""   (its root directory)
 *   "/dev/shmx"   -> linmmfs, name "/dev/shmx"
 *   "/data/a"     -> linmmfs, name "/data/a" (its flat names are whole paths)
 *
 * Locks: none; each file system serialises its own mount.
 */
#include <errno.h>
#include <string.h>

#include <linmm/shmem_fs.h>

#include "fs/internal.h"

/* The mounts, most specific first; the last is the root ("/", whole paths). */
static const struct vfsmount {
	const char *mnt_point;
	struct super_block *(*get_sb)(void);
} mounts[] = {
	{ "/dev/shm", shmem_get_sb },
	{ NULL, get_sb },
};

int lookup_mnt(const char *path, struct mount_path *mp)
{
	const struct vfsmount *mnt = mounts;

	for (; mnt->mnt_point; mnt++) {
		size_t len = strlen(mnt->mnt_point);

		if (!strncmp(path, mnt->mnt_point, len) && (path[len] == '/' || !path[len])) {
			for (path += len; *path == '/'; path++)
				;
			break;
		}
	}
	mp->mnt_point = mnt->mnt_point;
	mp->name = path;
	mp->sb = mnt->get_sb();
	return mp->sb ? 0 : -ENOMEM;
}
