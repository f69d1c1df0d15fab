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

/*
 * Host files, for importing them into the simulated file system (`load`):
 * open @path read-only (Return: a host fd or -errno), read up to @len
 * bytes (Return: bytes, 0 at end, or -errno); close with linmm_host_close().
 */
int linmm_host_open_read(const char *path);
long linmm_host_read(int fd, void *buf, size_t len);

/* Threads. */
typedef struct linmm_host_thread linmm_host_thread_t;
int linmm_host_thread_create(linmm_host_thread_t **t, void *(*fn)(void *), void *arg);
int linmm_host_thread_join(linmm_host_thread_t *t);
void linmm_host_yield(void);
/* Run @fn when the calling thread exits (one function for every thread; idempotent). */
void linmm_host_thread_atexit(void (*fn)(void));

/*
 * Wait queues: a host mutex and condition variable, for a simulated kernel
 * path that must sleep until another host thread wakes it (the kernel's
 * wait_queue_head_t; kmap() waits on one when the pkmap window is full).
 * wait() atomically unlocks, sleeps and relocks; wakeups may be spurious,
 * so callers re-check their condition.
 */
typedef struct linmm_host_waitq linmm_host_waitq_t;
int linmm_host_waitq_create(linmm_host_waitq_t **wq);
void linmm_host_waitq_destroy(linmm_host_waitq_t *wq);
void linmm_host_waitq_lock(linmm_host_waitq_t *wq);
void linmm_host_waitq_unlock(linmm_host_waitq_t *wq);
void linmm_host_waitq_wait(linmm_host_waitq_t *wq);
void linmm_host_waitq_wake_all(linmm_host_waitq_t *wq);

/*
 * Call stacks, for debugging reports (SLUB's alloc/free tracks).
 * linmm_host_backtrace() stores up to @max return addresses of the caller's
 * stack, innermost first, leaving out its own frame and the @skip frames
 * above it; it returns how many were stored.  linmm_host_symbolize() names
 * a code address as the kernel's %pS does: "func+0xoff/0xsize" when the
 * symbol and its size are known, "func+0xoff" when only the name is,
 * "file+0xoff" (the offset in the loaded object: the same every run) when
 * it has no exported symbol (a program must be linked with -rdynamic for
 * its own functions to have names), "0x<addr>" outside any object.
 */
int linmm_host_backtrace(unsigned long *addrs, int max, int skip);
void linmm_host_symbolize(unsigned long addr, char *buf, size_t len);

/*
 * Host faults (SIGSEGV/SIGBUS) in linmm's windows.  linmm_host_set_fault_handler()
 * installs a SA_SIGINFO handler (on an alternate stack) after any
 * sanitizer's, and remembers the previous one; called again, it reinstalls
 * itself if something (a test harness) replaced it.  On a fault @is_ours
 * (async-signal-safe: no allocation, no locks) says whether the address is
 * linmm's.  If it is, the thread returns into linmm_host_fault_catch() with
 * -EFAULT and the fault in *info, for the caller to report; with no catch
 * active, @report prints the report in signal context and the thread dies
 * of the signal's default action.  Faults linmm does not claim go to the
 * previous handler (ASan, UBSan, TSan) or the default action.  The access
 * kind comes from the x86_64 ucontext error code (REG_ERR: bit 1 write,
 * bit 4 fetch).
 */
struct linmm_host_fault {
	void *addr;			/* si_addr */
	unsigned long ip;		/* faulting instruction */
	unsigned long error_code;	/* host page-fault error code (0 if unknown) */
	bool write;
	bool instr;
	int signo;
};
void linmm_host_set_fault_handler(bool (*is_ours)(const struct linmm_host_fault *f),
				  void (*report)(const struct linmm_host_fault *f));
/* Run @fn(@arg); return 0, or -EFAULT (with @info) if it faulted in a linmm window. */
int linmm_host_fault_catch(void (*fn)(void *), void *arg, struct linmm_host_fault *info);

/* End the host process after a simulated kernel BUG(). */
void linmm_host_abort(void) __attribute__((noreturn));

/*
 * Fault injection for the seam itself: the next @countdown-th host
 * reservation/mapping/memfd call fails with -ENOMEM (0 disables).  Lets tests
 * prove that boot unwinds cleanly when the host refuses memory.
 */
void linmm_host_fault_inject(int countdown);

#endif /* LINMM_KERNEL_HOST_H */
