/* SPDX-License-Identifier: MIT */
/*
 * linmm.h - the linmm library: boot a simulated machine, use its memory
 * manager through the kernel's API, read its /proc files, shut it down.
 *
 *   if (linmm_boot("mem=1G nodes=2 cpus=4 arch=x86_64"))
 *           fprintf(stderr, "%s\n", linmm_last_error());
 *   struct page *p = alloc_pages(GFP_KERNEL, 0);
 *   ...
 *   linmm_shutdown();
 *
 * One machine per process, as the kernel manages one machine.
 */
#ifndef LINMM_LINMM_H
#define LINMM_LINMM_H

#include <linmm/gfp.h>
#include <linmm/memblock.h>
#include <linmm/mm.h>
#include <linmm/mmzone.h>
#include <linmm/printk.h>
#include <linmm/smp.h>
#include <linmm/types.h>

/*
 * linmm_boot - boot a machine from a kernel-style command line.
 * @cmdline: "mem=1G nodes=2 cpus=4 arch=x86_64 ..."; NULL or "" for the default.
 * Context: no machine booted.
 * Return: 0, or -EINVAL (bad parameter), -ENOMEM (host refused memory),
 * -E2BIG (machine larger than the arch or host can address), -EBUSY (booted).
 * linmm_last_error() then says what was wrong.
 */
int __must_check linmm_boot(const char *cmdline);

/* linmm_shutdown - release every host resource of the machine. Safe to call twice. */
void linmm_shutdown(void);

/* The message of the last failed linmm_boot()/proc/sysctl call. */
const char *linmm_last_error(void);

/*
 * linmm_proc_read - render a /proc or /sys file ("/proc/meminfo").
 * Return: host-heap text to free with linmm_free(), or NULL (linmm_last_error()).
 */
char *linmm_proc_read(const char *path);
/*
 * linmm_proc_read_binary - read @len bytes at @offset of a binary /proc
 * file: "/proc/<pid>/pagemap" (read as root: pfns shown) or
 * "/proc/kpageflags".  Return: bytes read into @buf (0 at the end), or
 * -errno (-ENOENT unknown file, -EINVAL unaligned offset or length).
 */
long linmm_proc_read_binary(const char *path, unsigned long long offset, size_t len, void *buf);
/* linmm_proc_write - write @value to a writable file (/proc/sys/vm/...). Return 0 or -errno. */
int __must_check linmm_proc_write(const char *path, const char *value);
/* Names of all renderable files, NULL-terminated. */
const char *const *linmm_proc_paths(void);

/* sysctl by dotted name ("vm.min_free_kbytes"). */
char *linmm_sysctl_read(const char *name);
int __must_check linmm_sysctl_write(const char *name, const char *value);

void linmm_free(void *p);

#endif /* LINMM_LINMM_H */
