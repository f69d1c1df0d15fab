/* SPDX-License-Identifier: MIT */
/*
 * binfmts.h - execve: replacing a task's address space with a program
 * image (include/linux/binfmts.h, fs/exec.c, fs/binfmt_elf.c).
 *
 * No files exist yet, so a program is described by its segment sizes, as
 * an ELF position-independent executable's program headers would give
 * them.  linmm_execve() builds the address space load_elf_binary() builds
 * for such a program (without the interpreter and the vDSO):
 *
 *   start_code  text         r-xp   ELF_ET_DYN_BASE (0x555555554000)
 *   start_data  data + bss   rw-p   right after the text
 *   start_brk   [heap]              after the bss, empty until brk(2)
 *      ...      mmap area, top down from mmap_base
 *               stack guard gap (stack_guard_gap, 1 MiB)
 *               [stack]      rw-p   VM_GROWSDOWN, 4 KiB of arguments
 *                                   + 128 KiB, ending at STACK_TOP
 *
 * With kernel.randomize_va_space = 1 the load address, mmap_base and the
 * stack top move by random amounts (mmap_rnd_bits = 28 bits of pages,
 * 22 bits of pages for the stack); with 2 the program break moves too
 * (up to 1 GiB above the bss).  linmm's default is 0 (see mm/util.c).
 */
#ifndef LINMM_BINFMTS_H
#define LINMM_BINFMTS_H

struct task_struct;

/*
 * struct linmm_exec_image - the program to run.
 * @path: its file name: comm becomes its last component (at most 15
 *	characters), and exec copies it onto the new stack as the kernel
 *	copies the file name and argv[0]
 * @text_size: bytes of code (rounded up to pages; must not be 0)
 * @data_size: bytes of initialised data
 * @bss_size: bytes of zero-initialised data after @data_size
 */
struct linmm_exec_image {
	const char *path;
	unsigned long text_size;
	unsigned long data_size;
	unsigned long bss_size;
};

/**
 * linmm_execve - replace @tsk's address space with a fresh one running @img.
 * @tsk: the task (its pid stays; its comm becomes @img's base name)
 * @img: the program
 *
 * The text and data are anonymous memory (no files exist yet): /proc/PID/maps
 * shows them without a path, device or inode, and the data and its bss
 * are one VMA (an ELF file's data segment and its bss are two, since one
 * maps the file and the other does not).  Every charge goes through the
 * overcommit policy.  On error @tsk keeps its old address space (the
 * kernel would kill a task that fails after the point of no return).
 * Context: no locks held; allocates VMAs and an mm.
 * Return: 0, -EINVAL (no path or no text, sizes beyond the address space),
 * -E2BIG (a path too long for the argument page) or -ENOMEM (out of
 * memory, refused by vm.overcommit_memory).
 */
int linmm_execve(struct task_struct *tsk, const struct linmm_exec_image *img);

#endif /* LINMM_BINFMTS_H */
