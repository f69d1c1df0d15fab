/* SPDX-License-Identifier: MIT */
/*
 * host_syscalls.h - the differential tests' host side calls the host
 * kernel with raw system calls.
 *
 * A sanitizer's interceptor must not stand between a test and its oracle:
 * ThreadSanitizer refuses mappings outside its application ranges (and
 * the tests' fixed windows are outside them), so mmap() and friends would
 * fail under `make check SANITIZE=thread` for a reason the kernel never
 * sees.  Include after <sys/mman.h>: the libc names become these.  The
 * host children never touch what they map through these calls except
 * where a test says so.
 */
#ifndef LINMM_TESTS_DIFF_HOST_SYSCALLS_H
#define LINMM_TESTS_DIFF_HOST_SYSCALLS_H

#include <stdarg.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linmm/types.h>

static __maybe_unused void *raw_mmap(void *a, size_t l, int p, int f, int fd, off_t o)
{
	return (void *)syscall(SYS_mmap, a, l, p, f, fd, o);	/* -1: MAP_FAILED */
}

/*
 * new_addr always goes to the kernel, as linmm_mremap() gets it: glibc's
 * mremap() would pass it only with MREMAP_FIXED, dropping DONTUNMAP's hint
 * (and the kernel must be seen ignoring it without either flag).
 */
static __maybe_unused void *raw_mremap(void *a, size_t ol, size_t nl, int f, void *na)
{
	return (void *)syscall(SYS_mremap, a, ol, nl, f, na);
}

static __maybe_unused int raw_munmap(void *a, size_t l)
{
	return (int)syscall(SYS_munmap, a, l);
}
static __maybe_unused int raw_mprotect(void *a, size_t l, int p)
{
	return (int)syscall(SYS_mprotect, a, l, p);
}
static __maybe_unused int raw_madvise(void *a, size_t l, int adv)
{
	return (int)syscall(SYS_madvise, a, l, adv);
}
static __maybe_unused int raw_mlock(const void *a, size_t l)
{
	return (int)syscall(SYS_mlock, a, l);
}
static __maybe_unused int raw_mlock2(const void *a, size_t l, unsigned int f)
{
	return (int)syscall(SYS_mlock2, a, l, f);
}
static __maybe_unused int raw_munlock(const void *a, size_t l)
{
	return (int)syscall(SYS_munlock, a, l);
}
static __maybe_unused int raw_mlockall(int f)
{
	return (int)syscall(SYS_mlockall, f);
}
static __maybe_unused int raw_munlockall(void)
{
	return (int)syscall(SYS_munlockall);
}
static __maybe_unused int raw_msync(void *a, size_t l, int f)
{
	return (int)syscall(SYS_msync, a, l, f);
}
/* A file whose own host calls must stay libc's defines HOST_SYSCALLS_NO_MACROS first. */
#ifndef HOST_SYSCALLS_NO_MACROS
#define mmap raw_mmap
#define mremap raw_mremap
#define munmap raw_munmap
#define mprotect raw_mprotect
#define madvise raw_madvise
#define mlock raw_mlock
#define mlock2 raw_mlock2
#define munlock raw_munlock
#define mlockall raw_mlockall
#define munlockall raw_munlockall
#define msync raw_msync
#endif

#endif /* LINMM_TESTS_DIFF_HOST_SYSCALLS_H */
