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

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <execinfo.h>
#include <link.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <ucontext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int linmm_host_open_read(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

long linmm_host_read(int fd, void *buf, size_t len)
{
	for (;;) {
		ssize_t n = read(fd, buf, len);

		if (n >= 0)
			return (long)n;
		if (errno != EINTR)
			return -errno;
	}
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

static pthread_key_t thread_exit_key;
static pthread_once_t thread_exit_once = PTHREAD_ONCE_INIT;
static void (*_Atomic thread_exit_fn)(void);

static void thread_exit_destructor(void *arg)
{
	void (*fn)(void) = atomic_load(&thread_exit_fn);

	(void)arg;
	if (fn)
		fn();
}

static void thread_exit_key_init(void)
{
	pthread_key_create(&thread_exit_key, thread_exit_destructor);
}

void linmm_host_thread_atexit(void (*fn)(void))
{
	pthread_once(&thread_exit_once, thread_exit_key_init);
	atomic_store(&thread_exit_fn, fn);
	if (!pthread_getspecific(thread_exit_key))
		pthread_setspecific(thread_exit_key, (void *)1);
}

struct linmm_host_waitq {
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

int linmm_host_waitq_create(linmm_host_waitq_t **wq)
{
	struct linmm_host_waitq *w = malloc(sizeof(*w));
	int ret;

	if (!w)
		return -ENOMEM;
	ret = pthread_mutex_init(&w->lock, NULL);
	if (ret)
		goto out_free;
	ret = pthread_cond_init(&w->cond, NULL);
	if (ret)
		goto out_mutex;
	*wq = w;
	return 0;
out_mutex:
	pthread_mutex_destroy(&w->lock);
out_free:
	free(w);
	return -ret;
}

void linmm_host_waitq_destroy(linmm_host_waitq_t *wq)
{
	pthread_cond_destroy(&wq->cond);
	pthread_mutex_destroy(&wq->lock);
	free(wq);
}

void linmm_host_waitq_lock(linmm_host_waitq_t *wq)
{
	pthread_mutex_lock(&wq->lock);
}

void linmm_host_waitq_unlock(linmm_host_waitq_t *wq)
{
	pthread_mutex_unlock(&wq->lock);
}

void linmm_host_waitq_wait(linmm_host_waitq_t *wq)
{
	pthread_cond_wait(&wq->cond, &wq->lock);
}

void linmm_host_waitq_wake_all(linmm_host_waitq_t *wq)
{
	pthread_cond_broadcast(&wq->cond);
}

int linmm_host_backtrace(unsigned long *addrs, int max, int skip)
{
	void *frames[64];
	int n, i;

	if (max <= 0)
		return 0;
	n = backtrace(frames, 64);
	/* frames[0] is this function. */
	skip += 1;
	for (i = 0; i + skip < n && i < max; i++)
		addrs[i] = (unsigned long)frames[i + skip];
	return i;
}

void linmm_host_symbolize(unsigned long addr, char *buf, size_t len)
{
	const ElfW(Sym) *sym = NULL;
	Dl_info info;

	if (!dladdr1((void *)addr, &info, (void **)&sym, RTLD_DL_SYMENT) || !info.dli_fname) {
		snprintf(buf, len, "0x%lx", addr);
		return;
	}
	if (!info.dli_sname) {
		/* No exported symbol: the object file and the offset, the same every run. */
		const char *base = strrchr(info.dli_fname, '/');

		snprintf(buf, len, "%s+0x%lx", base ? base + 1 : info.dli_fname,
			 addr - (unsigned long)info.dli_fbase);
		return;
	}
	if (sym && sym->st_size)
		snprintf(buf, len, "%s+0x%lx/0x%lx", info.dli_sname,
			 addr - (unsigned long)info.dli_saddr, (unsigned long)sym->st_size);
	else
		snprintf(buf, len, "%s+0x%lx", info.dli_sname, addr - (unsigned long)info.dli_saddr);
}

/* ---- host faults ---- */

static bool (*fault_is_ours)(const struct linmm_host_fault *f);
static void (*fault_report)(const struct linmm_host_fault *f);
static struct sigaction fault_old_segv, fault_old_bus;
static pthread_mutex_t fault_install_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local sigjmp_buf *fault_jmp;
static _Thread_local struct linmm_host_fault *fault_info;
static _Thread_local char *fault_altstack;

#define FAULT_ALTSTACK_SIZE (64 * 1024)

static void fault_chain(int sig, siginfo_t *si, void *uc)
{
	const struct sigaction *old = sig == SIGBUS ? &fault_old_bus : &fault_old_segv;

	if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction) {
		old->sa_sigaction(sig, si, uc);
		return;
	}
	if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
		old->sa_handler(sig);
		return;
	}
	/* Default action: returning re-executes the access, which now kills. */
	signal(sig, SIG_DFL);
}

static void fault_signal(int sig, siginfo_t *si, void *ucv)
{
	struct linmm_host_fault f = { .addr = si->si_addr, .signo = sig };
#if defined(__x86_64__)
	const ucontext_t *uc = ucv;

	f.ip = (unsigned long)uc->uc_mcontext.gregs[REG_RIP];
	f.error_code = (unsigned long)uc->uc_mcontext.gregs[REG_ERR];
	f.write = f.error_code & 0x2;
	f.instr = f.error_code & 0x10;
#endif
	if (!fault_is_ours || !fault_is_ours(&f)) {
		fault_chain(sig, si, ucv);
		return;
	}
	if (fault_jmp) {
		*fault_info = f;
		siglongjmp(*fault_jmp, 1);
	}
	if (fault_report)
		fault_report(&f);
	signal(sig, SIG_DFL);
}

/* (Re)install for @sig unless ours is in place (a test harness may swap handlers). */
static void fault_install(int sig, struct sigaction *old)
{
	struct sigaction sa, cur;

	if (sigaction(sig, NULL, &cur) || ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == fault_signal))
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fault_signal;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, old);
}

void linmm_host_set_fault_handler(bool (*is_ours)(const struct linmm_host_fault *f),
				  void (*report)(const struct linmm_host_fault *f))
{
	pthread_mutex_lock(&fault_install_lock);
	fault_is_ours = is_ours;
	fault_report = report;
	fault_install(SIGSEGV, &fault_old_segv);
	fault_install(SIGBUS, &fault_old_bus);
	pthread_mutex_unlock(&fault_install_lock);
}

/* An alternate signal stack for this thread, unless one (a sanitizer's) exists. */
static void fault_ensure_altstack(void)
{
	stack_t old, ss;

	if (fault_altstack || sigaltstack(NULL, &old) || !(old.ss_flags & SS_DISABLE))
		return;
	fault_altstack = malloc(FAULT_ALTSTACK_SIZE);
	if (!fault_altstack)
		return;
	ss.ss_sp = fault_altstack;
	ss.ss_size = FAULT_ALTSTACK_SIZE;
	ss.ss_flags = 0;
	sigaltstack(&ss, NULL);
}

int linmm_host_fault_catch(void (*fn)(void *), void *arg, struct linmm_host_fault *info)
{
	sigjmp_buf env, *saved_jmp = fault_jmp;
	struct linmm_host_fault *saved_info = fault_info;

	fault_ensure_altstack();
	if (sigsetjmp(env, 1)) {
		fault_jmp = saved_jmp;
		fault_info = saved_info;
		return -EFAULT;
	}
	fault_info = info;
	fault_jmp = &env;
	fn(arg);
	fault_jmp = saved_jmp;
	fault_info = saved_info;
	return 0;
}
