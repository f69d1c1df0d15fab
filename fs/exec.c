// SPDX-License-Identifier: MIT
/*
 * exec.c - execve: a fresh address space with a program's initial layout
 * (fs/exec.c: bprm_mm_init, exec_mmap, setup_new_exec, setup_arg_pages;
 * fs/binfmt_elf.c: load_elf_binary for a position-independent executable).
 *
 * The steps, and the random numbers they draw when the task has
 * PF_RANDOMIZE, in the kernel's order:
 *
 *   1. mm_alloc(); arch_pick_mmap_layout(): mmap_base, minus arch_mmap_rnd()
 *   2. the stack: one page at STACK_TOP (charged as insert_vm_struct()
 *      charges it), moved to randomize_stack_top() and arch_align_stack(),
 *      then grown by 128 KiB (setup_arg_pages' stack_expand, charged as a
 *      stack expansion is)
 *   3. the text at ELF_ET_DYN_BASE + arch_mmap_rnd(), the data and bss
 *      above it (MAP_FIXED_NOREPLACE, as elf_map() does)
 *   4. the break: after the bss, or with randomize_va_space = 2 one page
 *      further and then arch_randomize_brk() (up to 1 GiB higher)
 *   5. the task switches to the new mm and the old one is released
 *
 *       0x555555554000  text   r-xp
 *                       data   rw-p   (+ bss)
 *       start_brk = brk        [heap] appears with the first brk(2)
 *                 ...
 *       mmap_base (0x7ffff7fff000 unrandomised)   mmap area grows down
 *                 ... 8 MiB rlimit + 1 MiB guard gap ...
 *       0x7ffffffde000-0x7ffffffff000  [stack]   rw-p, 132 KiB
 *
 * Locks: the new mm's mmap_lock for writing while it is built (nobody else
 * can see it yet); the task's old mm is released after the switch.
 */
#include <string.h>

#include <linmm/binfmts.h>
#include <linmm/mman.h>
#include <linmm/mmap.h>
#include <linmm/sched.h>

#include "mm/internal.h"

#define STACK_EXPAND	(128UL << 10)	/* setup_arg_pages: 32 pages past the arguments */
/* VM_STACK_FLAGS on x86: VM_STACK | VM_STACK_DEFAULT_FLAGS (= data defaults) | VM_ACCOUNT. */
#define VM_STACK_FLAGS	(VM_STACK | VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT)

/*
 * bprm_mm_init() and setup_arg_pages(): the stack VMA ending at @stack_top
 * with the first page holding the strings exec copies (the file name and
 * argv[0], both @path), grown down by STACK_EXPAND.  Sets start_stack.
 */
static int setup_stack(struct mm_struct *mm, unsigned long stack_top, const char *path)
{
	unsigned long strings = 2 * (strlen(path) + 1);
	unsigned long start, grow = STACK_EXPAND >> PAGE_SHIFT;
	vm_flags_t flags = VM_STACK_FLAGS | VM_SOFTDIRTY | mm->def_flags;
	struct vm_area_struct *vma;

	if (strings > PAGE_SIZE - sizeof(void *))
		return -E2BIG;
	/* insert_vm_struct(): the first page is charged as it is linked. */
	if (security_vm_enough_memory_mm(mm, 1))
		return -ENOMEM;
	vma = vm_area_alloc(mm);
	if (!vma) {
		vm_unacct_memory(1);
		return -ENOMEM;
	}
	vma->vm_start = stack_top - PAGE_SIZE;
	vma->vm_end = stack_top;
	vma->vm_pgoff = vma->vm_start >> PAGE_SHIFT;
	vma->vm_flags = flags;
	vma->vm_page_prot = vm_get_page_prot(flags);
	vma_link(mm, vma);
	vm_stat_account(mm, flags, 1);
	/* bprm->p: below a NULL word, the strings; the stack pointer starts here. */
	mm->start_stack = stack_top - sizeof(void *) - strings;

	/*
	 * expand_downwards() / acct_stack_growth(): the 128 KiB below the
	 * arguments, within RLIMIT_STACK (8 MiB) and charged like any
	 * accounted memory.  Nothing lies below a fresh stack, so the guard
	 * gap holds.
	 */
	grow = min(grow, (_STK_LIM >> PAGE_SHIFT) - 1);
	if (security_vm_enough_memory_mm(mm, (long)grow))
		return -ENOMEM;		/* the VMA goes with the mm */
	start = vma->vm_start - (grow << PAGE_SHIFT);
	vma_set_range(vma, start, vma->vm_end, start >> PAGE_SHIFT);
	vm_stat_account(mm, flags, (long)grow);
	return 0;
}

/* elf_map(): one segment, private and fixed, failing rather than replacing. */
static int map_segment(struct mm_struct *mm, unsigned long addr, unsigned long len,
		       unsigned long prot)
{
	unsigned long ret = do_mmap(mm, addr, len, prot,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, 0);

	if (IS_ERR_VALUE(ret))
		return (int)(long)ret;
	return 0;
}

/* load_elf_binary() for a PIE: text, data + bss, then the break. */
static int load_image(struct task_struct *tsk, struct mm_struct *mm,
		      const struct linmm_exec_image *img)
{
	unsigned long load_bias = ELF_ET_DYN_BASE(mm->task_size);
	unsigned long text_end, data_end;
	int err;

	if (tsk->flags & PF_RANDOMIZE)
		load_bias += arch_mmap_rnd();
	load_bias &= PAGE_MASK;				/* ELF_PAGESTART */
	if (img->text_size > mm->task_size - load_bias ||
	    img->data_size > mm->task_size - load_bias - img->text_size ||
	    img->bss_size > mm->task_size - load_bias - img->text_size - img->data_size)
		return -EINVAL;
	mm->start_code = load_bias;
	mm->end_code = load_bias + img->text_size;
	mm->start_data = PAGE_ALIGN(mm->end_code);
	mm->end_data = mm->start_data + img->data_size;
	text_end = PAGE_ALIGN(mm->end_code);
	data_end = PAGE_ALIGN(mm->end_data + img->bss_size);

	err = map_segment(mm, mm->start_code, text_end - mm->start_code, PROT_READ | PROT_EXEC);
	if (err)
		return err;
	if (data_end > mm->start_data) {
		err = map_segment(mm, mm->start_data, data_end - mm->start_data,
				  PROT_READ | PROT_WRITE);
		if (err)
			return err;
	}
	mm->start_brk = mm->brk = data_end;		/* ELF_PAGEALIGN(elf_brk) */
	if ((tsk->flags & PF_RANDOMIZE) && randomize_va_space > 1) {
		/* Leave a gap between .bss and brk, then move the break. */
		mm->start_brk = mm->brk = mm->brk + PAGE_SIZE;
		mm->start_brk = mm->brk = arch_randomize_brk(mm);
	}
	return 0;
}

int linmm_execve(struct task_struct *tsk, const struct linmm_exec_image *img)
{
	const char *base;
	unsigned int old_flags = tsk->flags;
	struct mm_struct *mm, *old;
	unsigned long stack_top;
	int err;

	if (!img->path || !*img->path || !img->text_size)
		return -EINVAL;
	mm = mm_alloc();
	if (!mm)
		return -ENOMEM;
	mm->owner = tsk;
	mmap_write_lock(mm);

	/* begin_new_exec() / load_elf_binary(): randomise if the sysctl says so. */
	tsk->flags &= ~PF_RANDOMIZE;
	if (randomize_va_space)
		tsk->flags |= PF_RANDOMIZE;
	arch_pick_mmap_layout(mm, tsk);

	stack_top = randomize_stack_top(tsk, mm->task_size);	/* STACK_TOP */
	stack_top = PAGE_ALIGN(arch_align_stack(tsk, stack_top));
	err = setup_stack(mm, stack_top, img->path);
	if (err)
		goto out_free_mm;
	err = load_image(tsk, mm, img);
	if (err)
		goto out_free_mm;
	mmap_write_unlock(mm);

	/* exec_mmap(): the point of no return. */
	old = tsk->mm;
	tsk->mm = mm;
	if (old)
		mmput(old);
	base = strrchr(img->path, '/');
	base = base && base[1] ? base + 1 : img->path;
	memset(tsk->comm, 0, sizeof(tsk->comm));
	strncpy(tsk->comm, base, sizeof(tsk->comm) - 1);
	return 0;

out_free_mm:
	mmap_write_unlock(mm);
	mmput(mm);
	tsk->flags = old_flags;
	return err;
}
