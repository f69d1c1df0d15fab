// SPDX-License-Identifier: MIT
/*
 * namespace.c - the mount table: which file system a path lies on
 * (fs/namespace.c, fs/namei.c's path walk across mount points).
 *
 * linmm has two mounts and no mount(2): tmpfs on "/dev/shm" (systemd
 * mounts it at boot; here it mounts at its first use after a boot, as
 * linmmfs does) and linmmfs on "/".  The longest matching mount point
 * wins, on a component boundary:
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

#define DEV_SHM "/dev/shm"

int lookup_mnt(const char *path, struct mount_path *mp)
{
	size_t len = strlen(DEV_SHM);

	if (!strncmp(path, DEV_SHM, len) && (path[len] == '/' || !path[len])) {
		for (path += len; *path == '/'; path++)
			;
		mp->mnt_point = DEV_SHM;
		mp->sb = shmem_get_sb();
	} else {
		mp->mnt_point = NULL;
		mp->sb = get_sb();
	}
	mp->name = path;
	return mp->sb ? 0 : -ENOMEM;
}
