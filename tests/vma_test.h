/* SPDX-License-Identifier: MIT */
/*
 * vma_test.h - helpers shared by the VMA unit tests (test_vma.c,
 * test_mremap.c, test_mlock.c, test_madvise.c), in the manner of the
 * kernel's tools/testing/vma.
 *
 * Each case spawns one task (tsk) on a fresh machine and works in pages
 * from BASE, drawn one character per page:
 *
 *   BASE = 0x10000000 (well below mmap_base, above mmap_min_addr)
 *   page   0  1  2  3  4  5  6  7
 *          A  A  A  .  B  B  B  .      map_at(0, 3, ...), map_at(4, 3, ...)
 *   layout()  ->  "0-3:rw-p 4-7:rw-p"
 *
 * layout() prints every VMA as "start-end:perms" in pages from BASE; a test
 * file may append codes for vm_flags (",lo" for VM_LOCKED, ...) by defining
 * VMA_TEST_CODES, a list of { flag, "code" } initialisers, and may stop
 * the layout at BASE + VMA_TEST_LAYOUT_SPAN, before the include.
 *
 * check_mm() runs validate_mm() and what the file asks for in
 * VMA_TEST_CHECKS (VMA_CHECK_* flags, defined before the include);
 * spawn() and map_at() call it, and so should every helper that changes
 * the address space.
 */
#ifndef LINMM_VMA_TEST_H
#define LINMM_VMA_TEST_H

#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/sched.h>

#include "linmm_test.h"

#define P PAGE_SIZE
#define BASE 0x10000000UL
#define PG(i) (BASE + (unsigned long)(i) * P)
#define RW (PROT_READ | PROT_WRITE)

/* VMA_TEST_CHECKS: what check_mm() checks beyond validate_mm(). */
#define VMA_CHECK_PAGE_TABLES	0x1	/* validate_page_tables() */
#define VMA_CHECK_LOCKED_VM	0x2	/* locked_vm == pages of VM_LOCKED VMAs */
#define VMA_CHECK_MACHINE	0x4	/* check_machine(): free lists, zones, ... */
#ifndef VMA_TEST_CHECKS
#define VMA_TEST_CHECKS 0
#endif

struct vma_flag_code {
	vm_flags_t flag;
	const char *code;
};

/* The file's VMA_TEST_CODES, then a terminator. */
static const struct vma_flag_code vma_test_codes[] = {
#ifdef VMA_TEST_CODES
	VMA_TEST_CODES,
#endif
	{ 0, NULL },
};

static struct task_struct *tsk;

/* Pages of VM_LOCKED VMAs: what locked_vm must be. */
static inline unsigned long locked_pages(void)
{
	struct vm_area_struct *vma;
	unsigned long n = 0;

	mmap_read_lock(tsk->mm);
	for_each_vma(tsk->mm, vma)
		if (vma->vm_flags & VM_LOCKED)
			n += vma_pages(vma);
	mmap_read_unlock(tsk->mm);
	return n;
}

static inline void check_mm(void)
{
	assert_int_equal(validate_mm(tsk->mm), 0);
	if (VMA_TEST_CHECKS & VMA_CHECK_PAGE_TABLES)
		assert_int_equal(validate_page_tables(tsk->mm), 0);
	if (VMA_TEST_CHECKS & VMA_CHECK_LOCKED_VM)
		assert_int_equal(tsk->mm->locked_vm, locked_pages());
	if (VMA_TEST_CHECKS & VMA_CHECK_MACHINE)
		check_machine();
}

/* Boot a fresh machine (@cmdline) and spawn tsk on it. */
static inline struct task_struct *spawn_on(const char *cmdline, const char *comm)
{
	boot_or_fail(cmdline);
	tsk = linmm_spawn(comm);
	assert_non_null(tsk);
	check_mm();
	return tsk;
}

static inline struct task_struct *spawn(void)
{
	return spawn_on("mem=256M", "test");
}

/* Map @n pages at page @i from BASE with MAP_FIXED; it must succeed. */
static inline void map_at(unsigned long i, unsigned long n, unsigned long prot,
			  unsigned long flags)
{
	assert_int_equal(linmm_mmap(tsk, PG(i), n * P, prot, flags | MAP_FIXED, -1, 0), PG(i));
	check_mm();
}

/* The vm_flags of the VMA holding @addr, which must exist. */
static inline vm_flags_t vma_flags_at(unsigned long addr)
{
	struct vm_area_struct *vma;
	vm_flags_t flags;

	mmap_read_lock(tsk->mm);
	vma = vma_lookup(tsk->mm, addr);
	assert_non_null(vma);
	flags = vma->vm_flags;
	mmap_read_unlock(tsk->mm);
	return flags;
}

/* The same for page @i from BASE. */
static inline vm_flags_t flags_at(unsigned long i)
{
	return vma_flags_at(PG(i));
}

/*
 * The VMAs as "start-end:perms[,code...] ..." with addresses in pages from
 * BASE, below BASE + VMA_TEST_LAYOUT_SPAN if the file sets one.  Fails the
 * test if the text does not fit.
 */
static inline const char *layout(void)
{
	static char buf[2048];
	struct vm_area_struct *vma;
	size_t n = 0;

	buf[0] = '\0';
	mmap_read_lock(tsk->mm);
	for_each_vma(tsk->mm, vma) {
#ifdef VMA_TEST_LAYOUT_SPAN
		if (vma->vm_start >= BASE + VMA_TEST_LAYOUT_SPAN)
			break;
#endif
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%ld-%ld:%c%c%c%c", n ? " " : "",
				      (long)(vma->vm_start - BASE) / (long)P,
				      (long)(vma->vm_end - BASE) / (long)P,
				      vma->vm_flags & VM_READ ? 'r' : '-',
				      vma->vm_flags & VM_WRITE ? 'w' : '-',
				      vma->vm_flags & VM_EXEC ? 'x' : '-',
				      vma->vm_flags & VM_MAYSHARE ? 's' : 'p');
		for (const struct vma_flag_code *c = vma_test_codes; c->code && n < sizeof(buf); c++)
			if (vma->vm_flags & c->flag)
				n += (size_t)snprintf(buf + n, sizeof(buf) - n, ",%s", c->code);
		if (n >= sizeof(buf))
			break;
	}
	mmap_read_unlock(tsk->mm);
	assert_true(n < sizeof(buf));
	return buf;
}

#endif /* LINMM_VMA_TEST_H */
