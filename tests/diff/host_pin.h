/* SPDX-License-Identifier: MIT */
/*
 * host_pin.h - make an unhinted mmap() land at the same address on the
 * host and in linmm, so that placement (get_unmapped_area) can be
 * compared address for address.
 *
 * Both kernels place an unhinted mapping top-down: in the highest free
 * gap below mmap_base that fits (unmapped_area_topdown()).  The host's
 * mmap_base is randomised and the process has libraries, the vdso and
 * sanitizer ranges below it; linmm's task has a fixed mmap_base and
 * nothing.  Filling every gap from a chosen @top up to mmap_base with
 * PROT_NONE reservations leaves the window below @top as the highest
 * free space on both sides:
 *
 *   host:   [window ..... top)[fill][lib][fill][vdso][fill] .. mmap_base .. [stack]
 *   linmm:  [window ..... top)[fill ...............................] mmap_base
 *                     ^ the next unhinted mmap ends at top (or below it,
 *                       as the placement rules say), on both sides
 *
 * The host does not say where mmap_base is, but arch/x86/mm/mmap.c keeps
 * it at least RLIMIT_STACK + stack_guard_gap below the stack's randomised
 * top (the stack's own randomisation is part of the gap), so filling up to
 * [stack]'s end - RLIMIT_STACK covers it and leaves the stack its room.
 * That needs the top-down layout: host_pin_unsupported() says why not.
 *
 * host_pin_gaps() runs in a forked child (it takes the whole address
 * space above @top from the process) and allocates nothing; its calls are
 * raw system calls (host_syscalls.h), so no sanitizer stands in between.
 * The fills are PROT_NONE and MAP_NORESERVE: they cost neither memory nor
 * commit charge.
 */
#ifndef LINMM_TESTS_DIFF_HOST_PIN_H
#define LINMM_TESTS_DIFF_HOST_PIN_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <unistd.h>

#include "host_syscalls.h"

#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/sched.h>

#define PIN_FILL_FLAGS (MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE)

/* Why the host would not place unhinted mappings top-down (NULL: it does). */
static __maybe_unused const char *host_pin_unsupported(void)
{
	struct rlimit rl;
	char c = '0';
	int fd;

	if (getrlimit(RLIMIT_STACK, &rl) || rl.rlim_cur == RLIM_INFINITY)
		return "RLIMIT_STACK is unlimited: the host lays out bottom-up (legacy)";
	if (personality(0xffffffff) & ADDR_COMPAT_LAYOUT)
		return "the ADDR_COMPAT_LAYOUT personality lays out bottom-up";
	fd = open("/proc/sys/vm/legacy_va_layout", O_RDONLY);
	if (fd >= 0) {
		if (read(fd, &c, 1) != 1)
			c = '0';
		close(fd);
	}
	return c == '0' ? NULL : "vm.legacy_va_layout is set: the host lays out bottom-up";
}

/* The line after @l in a maps text, NULL at the end. */
static __maybe_unused const char *pin_next_line(const char *l)
{
	const char *nl = strchr(l, '\n');

	return nl && nl[1] ? nl + 1 : NULL;
}

/*
 * host_pin_gaps - in a host child: reserve every gap of [@top, [stack]'s end
 * - RLIMIT_STACK) (see above).  @maps is this process's /proc/self/maps,
 * read just before.  Return: 0, -ESRCH without a [stack] line, or the
 * errno of the reservation that failed.
 */
static __maybe_unused int host_pin_gaps(const char *maps, unsigned long top)
{
	unsigned long stack_end = 0, limit, cursor = top, start, end;
	struct rlimit rl;

	for (const char *l = maps; l; l = pin_next_line(l)) {
		const char *s = strstr(l, "[stack]"), *nl = strchr(l, '\n');

		if (s && (!nl || s < nl) && sscanf(l, "%lx-%lx", &start, &end) == 2)
			stack_end = end;
	}
	if (!stack_end || getrlimit(RLIMIT_STACK, &rl) || rl.rlim_cur >= stack_end - top)
		return -ESRCH;
	limit = stack_end - rl.rlim_cur;
	for (const char *l = maps; l && cursor < limit; l = pin_next_line(l)) {
		if (sscanf(l, "%lx-%lx", &start, &end) != 2 || end <= cursor)
			continue;
		if (start >= limit)
			break;
		if (start > cursor &&
		    raw_mmap((void *)cursor, start - cursor, PROT_NONE, PIN_FILL_FLAGS, -1, 0) !=
			    (void *)cursor)
			return -errno;
		cursor = end;
	}
	if (cursor < limit &&
	    raw_mmap((void *)cursor, limit - cursor, PROT_NONE, PIN_FILL_FLAGS, -1, 0) !=
		    (void *)cursor)
		return -errno;
	return 0;
}

/*
 * linmm_pin_gaps - the same for a linmm task: reserve every gap of
 * [@top, mmap_base).  Return: 0 or the -errno of linmm_mmap().
 */
static __maybe_unused int linmm_pin_gaps(struct task_struct *tsk, unsigned long top)
{
	struct mm_struct *mm = tsk->mm;
	unsigned long cursor = top, end = mm->mmap_base;

	while (cursor < end) {
		struct vm_area_struct *vma;
		unsigned long to, next = end, ret;

		mmap_read_lock(mm);
		vma = find_vma(mm, cursor);
		to = vma && vma->vm_start < end ? vma->vm_start : end;
		if (vma && vma->vm_start <= cursor)
			next = vma->vm_end;
		mmap_read_unlock(mm);
		if (to > cursor) {
			ret = linmm_mmap(tsk, cursor, to - cursor, PROT_NONE, PIN_FILL_FLAGS, -1, 0);
			if (IS_ERR_VALUE(ret))
				return (int)ret;
			next = to;
		}
		cursor = next;
	}
	return 0;
}

#endif /* LINMM_TESTS_DIFF_HOST_PIN_H */
