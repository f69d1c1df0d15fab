/* SPDX-License-Identifier: MIT */
/*
 * host.h - the one seam between linmm and the host operating system.
 *
 * Every host call the core makes goes through here: address-space
 * reservations and mappings (the direct map, vmemmap and later vmalloc and
 * user mappings are host mappings of simulated RAM), memfd objects that hold
 * simulated RAM, the host heap for tooling-side buffers, threads, clocks and
 * output.  Nothing in mm/, kernel/, arch/, fs/ or lib/ includes a host header
 * other than through this file, so the seam can be faked in tests
 * (see linmm_host_fault_inject()).
 *
 * Conventions: functions return 0 or -errno; pointer-returning functions
 * return NULL and leave the reason in *err when err is not NULL.
 */
#ifndef LINMM_KERNEL_HOST_H
#define LINMM_KERNEL_HOST_H

#include <linmm/types.h>

enum linmm_prot {
	LINMM_PROT_NONE = 0,
	LINMM_PROT_READ = 1,
	LINMM_PROT_WRITE = 2,
	LINMM_PROT_RW = 3,
};

/* Address space. */
void *linmm_host_reserve(u64 size, int *err);
int linmm_host_release(void *addr, u64 size);
int linmm_host_map_fd(void *addr, u64 size, int fd, u64 offset, enum linmm_prot prot);
int linmm_host_map_anon(void *addr, u64 size, enum linmm_prot prot);
int linmm_host_unmap(void *addr, u64 size); /* back to a reserved PROT_NONE hole */
int linmm_host_protect(void *addr, u64 size, enum linmm_prot prot);
int linmm_host_discard(void *addr, u64 size); /* drop contents (MADV_DONTNEED / punch) */
/* Ask for transparent huge pages behind an anonymous mapping (a hint: errors ignored). */
void linmm_host_advise_hugepage(void *addr, u64 size);

/* memfd objects holding simulated RAM. */
int linmm_host_memfd(const char *name, u64 size);
int linmm_host_memfd_resize(int fd, u64 size);
int linmm_host_close(int fd);

/* Host heap (tooling-side buffers only: reports, parsers, test harness). */
void *linmm_host_alloc(size_t size);
void *linmm_host_zalloc(size_t size);
void *linmm_host_realloc(void *p, size_t size);
void linmm_host_free(void *p);

/* Clocks: monotonic host time, for benchmarks and progress only. */
u64 linmm_host_now_ns(void);

/* Output: write all of buf to a host file descriptor (1 = stdout, 2 = stderr). */
int linmm_host_write(int fd, const char *buf, size_t len);

/* Threads. */
typedef struct linmm_host_thread linmm_host_thread_t;
int linmm_host_thread_create(linmm_host_thread_t **t, void *(*fn)(void *), void *arg);
int linmm_host_thread_join(linmm_host_thread_t *t);
void linmm_host_yield(void);

/* End the host process after a simulated kernel BUG(). */
void linmm_host_abort(void) __attribute__((noreturn));

/*
 * Fault injection for the seam itself: the next @countdown-th host
 * reservation/mapping/memfd call fails with -ENOMEM (0 disables).  Lets tests
 * prove that boot unwinds cleanly when the host refuses memory.
 */
void linmm_host_fault_inject(int countdown);

#endif /* LINMM_KERNEL_HOST_H */
