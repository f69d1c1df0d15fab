/* SPDX-License-Identifier: MIT */
/*
 * host.c - POSIX/Linux implementation of the host seam (kernel/host.h).
 *
 * This is the only file in the core that includes host system headers.
 * Reservations are PROT_NONE, MAP_NORESERVE anonymous mappings: they cost
 * address space, not memory.  RAM mappings are MAP_SHARED views of a memfd
 * placed with MAP_FIXED inside a reservation, so one page of simulated RAM
 * can be visible at several host addresses (direct map, vmemmap, vmalloc).
 */
#define _GNU_SOURCE
#include "kernel/host.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static _Atomic int host_fail_countdown;

void linmm_host_fault_inject(int countdown)
{
	atomic_store(&host_fail_countdown, countdown);
}

static bool host_should_fail(void)
{
	int c = atomic_load(&host_fail_countdown);

	while (c > 0) {
		if (atomic_compare_exchange_weak(&host_fail_countdown, &c, c - 1))
			return c == 1;
	}
	return false;
}

static int to_host_prot(enum linmm_prot prot)
{
	int p = PROT_NONE;

	if (prot & LINMM_PROT_READ)
		p |= PROT_READ;
	if (prot & LINMM_PROT_WRITE)
		p |= PROT_WRITE;
	return p;
}

void *linmm_host_reserve(u64 size, int *err)
{
	void *p;

	if (host_should_fail()) {
		if (err)
			*err = -ENOMEM;
		return NULL;
	}
	p = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		if (err)
			*err = -errno;
		return NULL;
	}
	return p;
}

int linmm_host_release(void *addr, u64 size)
{
	return munmap(addr, size) ? -errno : 0;
}

int linmm_host_map_fd(void *addr, u64 size, int fd, u64 offset, enum linmm_prot prot)
{
	void *p;

	if (host_should_fail())
		return -ENOMEM;
	p = mmap(addr, size, to_host_prot(prot), MAP_SHARED | MAP_FIXED, fd, (off_t)offset);
	return p == MAP_FAILED ? -errno : 0;
}

int linmm_host_map_anon(void *addr, u64 size, enum linmm_prot prot)
{
	void *p;

	if (host_should_fail())
		return -ENOMEM;
	p = mmap(addr, size, to_host_prot(prot),
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
	return p == MAP_FAILED ? -errno : 0;
}

int linmm_host_unmap(void *addr, u64 size)
{
	void *p = mmap(addr, size, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);

	return p == MAP_FAILED ? -errno : 0;
}

int linmm_host_protect(void *addr, u64 size, enum linmm_prot prot)
{
	return mprotect(addr, size, to_host_prot(prot)) ? -errno : 0;
}

int linmm_host_discard(void *addr, u64 size)
{
	return madvise(addr, size, MADV_REMOVE) && madvise(addr, size, MADV_DONTNEED) ? -errno : 0;
}

void linmm_host_advise_hugepage(void *addr, u64 size)
{
	madvise(addr, size, MADV_HUGEPAGE);
}

int linmm_host_memfd(const char *name, u64 size)
{
	int fd;

	if (host_should_fail())
		return -ENOMEM;
	fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size)) {
		int e = -errno;

		close(fd);
		return e;
	}
	return fd;
}

int linmm_host_memfd_resize(int fd, u64 size)
{
	return ftruncate(fd, (off_t)size) ? -errno : 0;
}

int linmm_host_close(int fd)
{
	return close(fd) ? -errno : 0;
}

void *linmm_host_alloc(size_t size)
{
	return malloc(size);
}

void *linmm_host_zalloc(size_t size)
{
	return calloc(1, size);
}

void *linmm_host_realloc(void *p, size_t size)
{
	return realloc(p, size);
}

void linmm_host_free(void *p)
{
	free(p);
}

u64 linmm_host_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

int linmm_host_write(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

struct linmm_host_thread {
	pthread_t tid;
};

int linmm_host_thread_create(linmm_host_thread_t **t, void *(*fn)(void *), void *arg)
{
	struct linmm_host_thread *th = malloc(sizeof(*th));
	int ret;

	if (!th)
		return -ENOMEM;
	ret = pthread_create(&th->tid, NULL, fn, arg);
	if (ret) {
		free(th);
		return -ret;
	}
	*t = th;
	return 0;
}

int linmm_host_thread_join(linmm_host_thread_t *t)
{
	int ret = pthread_join(t->tid, NULL);

	free(t);
	return -ret;
}

void linmm_host_abort(void)
{
	abort();
}

void linmm_host_yield(void)
{
	sched_yield();
}
