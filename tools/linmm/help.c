/* SPDX-License-Identifier: MIT */
/*
 * help.c - `help` and `help COMMAND`: one line of usage (from the command
 * table, script_commands[]) and a one-line explanation (from the table
 * below) for every command of the script language, and for the `repeat`
 * block, which is syntax rather than a command.
 *
 * Linmm's own front end: no kernel counterpart.  The explanations live here,
 * apart from the command table in script.c, so that adding a command and
 * its explanation are two additive edits.  A command without an entry here
 * is shown with its usage line only.
 */
#include <stdio.h>
#include <string.h>

#include "tools/linmm/script.h"

static const struct {
	const char *name;
	const char *text;
} help_texts[] = {
	{ "alloc_pages", "allocate 2^N pages with alloc_pages() and keep them under NAME" },
	{ "bdev", "show ram0's I/O counters (requests, merges, sectors, in flight); "
		  "latency= sets the simulated cost of each request" },
	{ "boot", "boot the machine from a kernel-style command line (mem=, nodes=, cpus=, arch=...)" },
	{ "brk", "brk(): move task P's program break to ADDR, up or down by N, or print it" },
	{ "cat", "print a /proc or /sys file, or one 'Node N, zone NAME' section of it" },
	{ "close", "close(): drop task P's descriptor FD (an unlinked file goes with its "
		  "last close)" },
	{ "df", "statfs() of the /dev/shm tmpfs as df prints it: size= and the pages its "
		"files hold" },
	{ "dmesg", "print the kernel log with its timestamps" },
	{ "drain", "drain_all_pages(): empty every CPU's per-CPU page lists" },
	{ "echo", "print the rest of the line" },
	{ "exec", "execve(): give task P a fresh address space laid out like a program "
		  "(text, data, bss, heap, stack); see /proc/P/maps" },
	{ "exit", "end task P: unmap its address space and free it" },
	{ "expect", "assert a /proc value, a sysctl, dmesg text or a handle's result (H == NULL, "
		    "H failed); exit status 1 if not" },
	{ "fill", "memset() LEN bytes at a handle (plus or minus an offset) to BYTE" },
	{ "fork", "fork(): task Q gets a copy of P's address space, private pages shared "
		  "copy-on-write (the first write of either side copies)" },
	{ "fread", "read(): LEN bytes from FD at its offset through the page cache "
		  "(readahead); prints the count and the first bytes" },
	{ "free_pages", "__free_pages() the pages of alloc_pages handle NAME" },
	{ "fstat", "fstat(): inode number, mode, link count, size and 512-byte blocks of "
		  "FD's file" },
	{ "fsync", "fsync(): write FD's dirty pages and wait for the disk (the simulated "
		  "clock advances)" },
	{ "ftruncate", "ftruncate(): cut FD's file to LEN (its pages and blocks beyond go) or "
		  "extend it with a hole" },
	{ "fwrite", "write(): a string, or LEN bytes of C, at FD's offset into the page "
		  "cache (dirty pages; may throttle)" },
	{ "grep", "print the lines of a /proc or /sys file, a sysctl or dmesg that match a "
		  "regular expression (-E extended, -v the others)" },
	{ "help", "list the commands, or show one command's usage and what it does" },
	{ "ipcs", "ipcs -m as util-linux prints it: every SysV segment's key, id, owner, perms, "
		  "size, attaches and dest/locked status" },
	{ "kfree", "kfree() the object of kmalloc handle H" },
	{ "kmalloc", "kmalloc() SIZE bytes (K, M, G suffixes) and keep the object under H" },
	{ "kmap", "kmap() the first page of alloc_pages handle PAGES (pkmap for HighMem)" },
	{ "kmap_local", "kmap_local_page(): a per-CPU fixmap slot for a HighMem page" },
	{ "kmem_cache_alloc", "allocate an object from CACHE and keep it under H" },
	{ "kmem_cache_create", "create a slab cache of SIZE-byte objects (may merge with an "
			       "existing one)" },
	{ "kmem_cache_destroy", "destroy a cache the script created" },
	{ "kmem_cache_free", "kmem_cache_free() the object of handle H" },
	{ "kmem_cache_shrink", "give CACHE's empty slabs back to the page allocator" },
	{ "krealloc", "krealloc() the object of kmalloc handle H to SIZE bytes" },
	{ "kunmap", "kunmap() a kmap mapping" },
	{ "kunmap_local", "kunmap_local(): undo kmap_local mappings, innermost first" },
	{ "load", "copy host file HOSTPATH into linmm's file system as PATH, through the "
		  "page cache, then sync it" },
	{ "lseek", "lseek(): move FD's offset (set, cur or end)" },
	{ "madvise", "madvise(): advice for a range of task P (dontfork, hugepage, dontneed, "
		     "populate_read, ...); flag advice splits and merges VMAs" },
	{ "mincore", "mincore(): which pages of a range of task P are resident, as a string of "
		     "0/1 ('-': not filled, after a hole); file pages answer from the page cache" },
	{ "mlock", "mlock() a range of task P (mlock2(MLOCK_ONFAULT) with onfault); "
		   "VM_LOCKED splits and merges VMAs, RLIMIT_MEMLOCK applies" },
	{ "mlockall", "mlockall(): lock every mapping of task P now (current) and/or later "
		      "(future)" },
	{ "mmap", "mmap() LEN bytes of anonymous memory in task P and name the range H; "
		  "a refusal prints its errno (EEXIST, ENOMEM...)" },
	{ "mount", "remount the /dev/shm tmpfs with a new size= limit (EINVAL below what its "
		   "files hold; 0: unlimited)" },
	{ "mprotect", "mprotect(): change the rights of a range of task P (splits and merges VMAs)" },
	{ "mremap", "mremap(): shrink, grow or move a mapping of task P; a plain H follows it; "
		    "a refusal prints its errno (EFAULT, ENOMEM...)" },
	{ "msync", "msync() a range of task P: the kernel's checks (EINVAL, ENOMEM, EBUSY); "
		   "no flags is 0" },
	{ "munlock", "munlock() a range of task P" },
	{ "munlockall", "munlockall(): unlock every mapping of task P and forget mlockall(future)" },
	{ "munmap", "munmap() a range of task P, given by address and length or by mmap name H" },
	{ "open", "open() PATH in task P and name the descriptor FD; flags are O_* names "
		  "(rdwr,creat,excl,trunc,append,sync)" },
	{ "pread", "pread64(): LEN bytes at offset OFF without moving FD's offset" },
	{ "pagemap", "/proc/PID/pagemap of a range, one decoded entry per page (read as root: "
		     "pfns shown)" },
	{ "pwrite", "pwrite64(): write at offset OFF (at the end for an O_APPEND file, as "
		  "Linux)" },
	{ "read", "user-mode loads by task P (faulting pages in); prints the bytes as a C string" },
	{ "repeat", "run the lines up to the matching '}' N times; $VAR or ${VAR} (default i) "
		    "counts 0..N-1" },
	{ "shmctl", "shmctl(): IPC_RMID, IPC_STAT, IPC_SET (mode=, uid=, gid=), SHM_LOCK/SHM_UNLOCK "
		    "(unevictable pages), IPC_INFO/SHM_INFO (limits, usage), SHM_STAT[_ANY] by index" },
	{ "slabtop", "slabtop(1)'s one-shot report over /proc/slabinfo (or a saved FILE)" },
	{ "sleep", "let DURATION of simulated time pass (ns, us, ms, s); the flusher "
		  "writes back expired dirty pages" },
	{ "spawn", "create task P with an empty address space (see /proc/PID/maps)" },
	{ "sync", "sync(): write back every dirty page and wait" },
	{ "sysctl", "print or set a sysctl as sysctl(8) does" },
	{ "touch", "task P accesses every page of a range (read, write or exec): page faults, "
		   "or SIGSEGV with the kernel's segfault line in dmesg" },
	{ "unlink", "unlink() PATH; an open file keeps its inode and pages until its last "
		  "close" },
	{ "vfree", "vfree() a vmalloc area (lazily: the range is purged later)" },
	{ "vm_unmap_aliases", "purge the lazily freed vmalloc areas now" },
	{ "vmalloc", "vmalloc() SIZE bytes (K, M, G) under NAME and show the area and its pages" },
	{ "vmap", "vmap() the first page of each alloc_pages handle into one virtual area" },
	{ "vunmap", "vunmap() a vmap area" },
	{ "vzalloc", "vzalloc(): vmalloc() with zeroed memory" },
	{ "write", "write BYTEs at a handle plus or minus an offset (slub_debug demos); with a "
		   "task P first: user-mode stores of the string by P" },
};

#define REPEAT_USAGE "repeat N [VAR] {  ...  }"

static const char *help_text(const char *name)
{
	for (size_t i = 0; i < sizeof(help_texts) / sizeof(help_texts[0]); i++)
		if (!strcmp(help_texts[i].name, name))
			return help_texts[i].text;
	return NULL;
}

/* "  USAGE\n      TEXT\n" for one command. */
static void print_one(const char *name, const char *usage)
{
	const char *text = help_text(name);

	printf("  %s\n", usage);
	if (text)
		printf("      %s\n", text);
}

enum script_status cmd_help(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	if (argc > 1)
		return script_error(s, "usage: help [COMMAND]");
	if (argc == 1) {
		if (!strcmp(argv[0], "repeat")) {
			print_one("repeat", REPEAT_USAGE);
			return SCRIPT_OK;
		}
		for (const struct script_cmd *c = script_commands; c->name; c++) {
			if (!strcmp(c->name, argv[0])) {
				print_one(c->name, c->usage);
				return SCRIPT_OK;
			}
		}
		return script_error(s, "help: no command '%s' (help lists them)", argv[0]);
	}
	printf("Commands (help COMMAND shows one):\n");
	for (const struct script_cmd *c = script_commands; c->name; c++)
		print_one(c->name, c->usage);
	print_one("repeat", REPEAT_USAGE);
	return SCRIPT_OK;
}
