// SPDX-License-Identifier: MIT
/*
 * commands_file.c - the script commands of files, the page cache and
 * writeback (fs/open.c, fs/read_write.c, fs/sync.c, mm/filemap.c):
 *
 *   open P FD PATH [flags=rdwr,creat,...] [mode=0644]   open(2); FD names the descriptor
 *   close P FD                                     close(2)
 *   fread P FD LEN                                 read(2): count and the first bytes
 *   fwrite P FD "data" | fwrite P FD LEN [byte=C]  write(2) of a string or LEN bytes
 *                                                  (a word that is a size, 4096 or 64K,
 *                                                  is a length; anything else is data)
 *   pread P FD LEN OFF, pwrite P FD OFF "data"|LEN pread64(2)/pwrite64(2)
 *   lseek P FD OFF [set|cur|end]                   lseek(2)
 *   ftruncate P FD LEN, fsync P FD, fstat P FD     ftruncate(2), fsync(2), fstat(2)
 *   unlink P PATH                                  unlink(2)
 *   sync                                           sync(2)
 *   load HOSTPATH as PATH                          import a host file (then synced)
 *   sleep DURATION                                 let simulated time pass (the flusher runs)
 *   bdev [latency=DURATION]                        ram0's counters; set its I/O latency
 *
 * The issue writes these as `P open FD PATH`; the script language puts the
 * command first everywhere (`mmap P H LEN`), so it is `open P FD PATH`
 * here.  `read` and `write` already are a task's user-memory accesses
 * (commands_fault.c: `read P ADDR`, `write P ADDR "bytes"`), and an FD
 * cannot be told from an address, so file I/O is `fread`/`fwrite` (and
 * `pread`/`pwrite`, the system calls' own names).
 *
 * FD is a name the script gives the descriptor (letters, digits, _), or a
 * number used as the descriptor itself (to show EBADF).  flags are open's
 * O_* names in lower case without the prefix: rdonly (default), wronly,
 * rdwr, creat, excl, trunc, append, sync.  Durations take ns, us, ms or s
 * (default s).  A failing call prints the errno name and the script goes
 * on, as with mmap:
 *
 *   open p f /data/a flags=rdwr,creat: fd 0
 *   fwrite p f 4096: 4096
 *   fread p f 5: 5 "hello"
 *   open p g /none: ENOENT
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/blkdev.h>
#include <linmm/fs.h>
#include <linmm/linmm.h>
#include <linmm/printk.h>
#include <linmm/sched.h>
#include <linmm/writeback.h>

#include "fs/internal.h"
#include "tools/linmm/script.h"

#define FD_NAME_MAX 32
#define MAX_FDS 128
#define IO_MAX (64UL << 20)	/* bytes one fread/fwrite may move */
#define SHOW_MAX 32		/* bytes fread prints */

struct fd_handle {
	char task[FD_NAME_MAX];
	char name[FD_NAME_MAX];
	int fd;
};

static struct fd_handle fds[MAX_FDS];

void script_file_reset(void)
{
	memset(fds, 0, sizeof(fds));
}

static const char *err_name(long err)
{
	static const struct { int err; const char *name; } names[] = {
		{ ENOENT, "ENOENT" }, { EEXIST, "EEXIST" }, { EISDIR, "EISDIR" },
		{ ENOTDIR, "ENOTDIR" }, { EBADF, "EBADF" }, { EINVAL, "EINVAL" },
		{ ENOSPC, "ENOSPC" }, { EFBIG, "EFBIG" }, { ENAMETOOLONG, "ENAMETOOLONG" },
		{ EMFILE, "EMFILE" }, { ESPIPE, "ESPIPE" }, { EIO, "EIO" }, { ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" }, { EPERM, "EPERM" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].err == -err)
			return names[i].name;
	return script_errno_name(err);
}

static struct fd_handle *fd_find(const char *task, const char *name)
{
	for (int i = 0; i < MAX_FDS; i++)
		if (fds[i].name[0] && !strcmp(fds[i].task, task) && !strcmp(fds[i].name, name))
			return &fds[i];
	return NULL;
}

/* FD of task @task: a handle name, or a decimal descriptor.  Return: false if neither. */
static bool parse_fd(const char *task, const char *arg, int *fd)
{
	struct fd_handle *h = fd_find(task, arg);
	char *end;
	long v;

	if (h) {
		*fd = h->fd;
		return true;
	}
	v = strtol(arg, &end, 10);
	if (end == arg || *end || v < -1 || v > 1 << 20)
		return false;
	*fd = (int)v;
	return true;
}

bool script_parse_fd(const char *task, const char *arg, int *fd)
{
	return parse_fd(task, arg, fd);
}

static bool parse_open_flags(const char *str, int *flags)
{
	static const struct script_flag_name names[] = {
		{ "rdonly", O_RDONLY }, { "wronly", O_WRONLY }, { "rdwr", O_RDWR },
		{ "creat", O_CREAT }, { "create", O_CREAT }, { "excl", O_EXCL },
		{ "trunc", O_TRUNC }, { "append", O_APPEND }, { "sync", O_SYNC },
		{ "directory", O_DIRECTORY },
	};
	unsigned long v;

	if (!script_parse_flag_list(str, ",|", names, ARRAY_SIZE(names), &v))
		return false;
	*flags = (int)v;
	return true;
}

/* "10ms", "5s", "250us", "100ns", "3" (seconds) -> nanoseconds. */
static bool parse_duration(const char *str, u64 *ns)
{
	static const struct { const char *suffix; u64 mult; } units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 }, { "", 1000000000 },
	};
	char *end;
	unsigned long long v = strtoull(str, &end, 10);

	if (end == str || *str == '-')
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++)
		if (!strcmp(end, units[i].suffix)) {
			if (v > ~0ULL / units[i].mult)
				return false;
			*ns = v * units[i].mult;
			return true;
		}
	return false;
}

static void print_bytes(const unsigned char *b, unsigned long n)
{
	putchar('"');
	for (unsigned long i = 0; i < n; i++) {
		if (b[i] == '"' || b[i] == '\\')
			printf("\\%c", b[i]);
		else if (b[i] >= 0x20 && b[i] < 0x7f)
			putchar(b[i]);
		else
			printf("\\x%02x", b[i]);
	}
	putchar('"');
}

/* The task P and descriptor FD of "CMD P FD ...", or NULL after an error. */
static struct task_struct *need_task_fd(struct linmm_script *s, const char *cmd, int argc,
					char **argv, int *fd, enum script_status *st)
{
	struct task_struct *tsk = script_need_task(s, cmd, argc, argv, st);

	if (!tsk)
		return NULL;
	if (argc < 2 || !parse_fd(argv[0], argv[1], fd)) {
		*st = script_error(s, "%s: '%s' is not a descriptor of %s (open it first)", cmd,
				   argc < 2 ? "" : argv[1], argv[0]);
		return NULL;
	}
	return tsk;
}

enum script_status cmd_open(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	static const char usage[] = "usage: open P FD PATH [flags=rdwr,creat,...] [mode=0644]";
	enum script_status st = SCRIPT_OK;
	unsigned int mode = 0644;
	struct task_struct *tsk;
	struct fd_handle *h;
	int flags = O_RDONLY, fd;

	(void)rest;
	if (argc < 3)
		return script_error(s, usage);
	tsk = script_need_task(s, "open", argc, argv, &st);
	if (!tsk)
		return st;
	if (!script_handle_name_ok(argv[1]) || strlen(argv[1]) >= FD_NAME_MAX)
		return script_error(s, "open: bad descriptor name '%s' (letters, digits and _)",
				    argv[1]);
	for (int i = 3; i < argc; i++) {
		char *end;

		if (!strncmp(argv[i], "flags=", 6) && parse_open_flags(argv[i] + 6, &flags))
			continue;
		if (!strncmp(argv[i], "mode=", 5)) {
			mode = (unsigned int)strtoul(argv[i] + 5, &end, 8);
			if (!*end && end != argv[i] + 5)
				continue;
		}
		return script_error(s, "open: bad argument '%s'; %s", argv[i], usage);
	}
	h = fd_find(argv[0], argv[1]);
	if (!h) {
		for (h = fds; h < fds + MAX_FDS && h->name[0]; h++)
			;
		if (h == fds + MAX_FDS)
			return script_error(s, "open: at most %d descriptor names", MAX_FDS);
	}
	printf("open %s %s %s", argv[0], argv[1], argv[2]);
	for (int i = 3; i < argc; i++)
		printf(" %s", argv[i]);
	fd = linmm_open(tsk, argv[2], flags, mode);
	if (fd < 0) {
		printf(": %s\n", err_name(fd));
		return SCRIPT_OK;
	}
	snprintf(h->task, sizeof(h->task), "%s", argv[0]);
	snprintf(h->name, sizeof(h->name), "%s", argv[1]);
	h->fd = fd;
	printf(": fd %d\n", fd);
	return SCRIPT_OK;
}

enum script_status cmd_close(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	enum script_status st = SCRIPT_OK;
	struct task_struct *tsk;
	struct fd_handle *h;
	int fd, ret;

	(void)rest;
	if (argc != 2)
		return script_error(s, "usage: close P FD");
	tsk = need_task_fd(s, "close", argc, argv, &fd, &st);
	if (!tsk)
		return st;
	ret = linmm_close(tsk, fd);
	h = fd_find(argv[0], argv[1]);
	if (h && !ret)
		memset(h, 0, sizeof(*h));
	printf("close %s %s: %s\n", argv[0], argv[1], ret ? err_name(ret) : "0");
	return SCRIPT_OK;
}

/* "fread P FD LEN" and "pread P FD LEN OFF". */
static enum script_status do_read(struct linmm_script *s, const char *cmd, int argc, char **argv,
				  bool positional)
{
	enum script_status st = SCRIPT_OK;
	unsigned long len, off = 0;
	struct task_struct *tsk;
	unsigned char *buf;
	long ret;
	int fd;

	if (argc != (positional ? 4 : 3))
		return script_error(s, positional ? "usage: pread P FD LEN OFF"
						  : "usage: fread P FD LEN");
	tsk = need_task_fd(s, cmd, argc, argv, &fd, &st);
	if (!tsk)
		return st;
	if (!script_parse_size(argv[2], IO_MAX, &len) ||
	    (positional && !script_parse_size(argv[3], ~0UL >> 1, &off)))
		return script_error(s, "%s: bad length or offset (at most %lu bytes)", cmd, IO_MAX);
	buf = malloc(len ? len : 1);
	if (!buf)
		return script_error(s, "%s: out of host memory", cmd);
	ret = positional ? linmm_pread(tsk, fd, buf, len, (loff_t)off)
			 : linmm_read(tsk, fd, buf, len);
	printf("%s %s %s %s", cmd, argv[0], argv[1], argv[2]);
	if (positional)
		printf(" %s", argv[3]);
	if (ret < 0) {
		printf(": %s\n", err_name(ret));
	} else {
		printf(": %ld", ret);
		if (ret) {
			putchar(' ');
			print_bytes(buf, min((unsigned long)ret, (unsigned long)SHOW_MAX));
			if (ret > SHOW_MAX)
				printf("...");
		}
		putchar('\n');
	}
	free(buf);
	return SCRIPT_OK;
}

enum script_status cmd_fread(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	(void)rest;
	return do_read(s, "fread", argc, argv, false);
}

enum script_status cmd_pread(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	(void)rest;
	return do_read(s, "pread", argc, argv, true);
}

/*
 * "fwrite P FD DATA [byte=C]" and "pwrite P FD OFF DATA [byte=C]": DATA is
 * a number (that many bytes of C, default 'a') or, in quotes or not a
 * number, the bytes themselves.
 */
static enum script_status do_write(struct linmm_script *s, const char *cmd, int argc,
				   char **argv, bool positional)
{
	int data_arg = positional ? 3 : 2;
	enum script_status st = SCRIPT_OK;
	unsigned long len, off = 0;
	struct task_struct *tsk;
	const char *data;
	char *fill = NULL;
	int fd, byte = 'a';
	long ret;

	if (argc < data_arg + 1 || argc > data_arg + 2)
		return script_error(s, positional ? "usage: pwrite P FD OFF \"data\"|LEN [byte=C]"
						  : "usage: fwrite P FD \"data\"|LEN [byte=C]");
	tsk = need_task_fd(s, cmd, argc, argv, &fd, &st);
	if (!tsk)
		return st;
	if (positional && !script_parse_size(argv[2], ~0UL >> 1, &off))
		return script_error(s, "%s: bad offset '%s'", cmd, argv[2]);
	if (argc == data_arg + 2) {
		const char *b = argv[data_arg + 1];

		if (strncmp(b, "byte=", 5) || strlen(b) != 6)
			return script_error(s, "%s: bad argument '%s' (byte=C)", cmd, b);
		byte = (unsigned char)b[5];
	}
	data = argv[data_arg];
	if (script_parse_size(data, ~0UL, &len)) {
		if (len > IO_MAX)
			return script_error(s, "%s: at most %lu bytes at a time", cmd, IO_MAX);
		fill = malloc(len ? len : 1);
		if (!fill)
			return script_error(s, "%s: out of host memory", cmd);
		memset(fill, byte, len);
		data = fill;
	} else {
		len = strlen(data);
	}
	ret = positional ? linmm_pwrite(tsk, fd, data, len, (loff_t)off)
			 : linmm_write(tsk, fd, data, len);
	printf("%s %s %s", cmd, argv[0], argv[1]);
	if (positional)
		printf(" %s", argv[2]);
	printf(" %s%s%s: ", fill ? "" : "\"", argv[data_arg], fill ? "" : "\"");
	if (ret < 0)
		printf("%s\n", err_name(ret));
	else
		printf("%ld\n", ret);
	free(fill);
	return SCRIPT_OK;
}

enum script_status cmd_fwrite(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	(void)rest;
	return do_write(s, "fwrite", argc, argv, false);
}

enum script_status cmd_pwrite(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	(void)rest;
	return do_write(s, "pwrite", argc, argv, true);
}

enum script_status cmd_lseek(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	static const char usage[] = "usage: lseek P FD OFF [set|cur|end]";
	enum script_status st = SCRIPT_OK;
	struct task_struct *tsk;
	int fd, whence = SEEK_SET;
	char *end;
	long long off;
	loff_t ret;

	(void)rest;
	if (argc < 3 || argc > 4)
		return script_error(s, usage);
	tsk = need_task_fd(s, "lseek", argc, argv, &fd, &st);
	if (!tsk)
		return st;
	off = strtoll(argv[2], &end, 0);
	if (end == argv[2] || *end) {
		unsigned long uoff;

		if (!script_parse_size(argv[2], ~0UL >> 1, &uoff))	/* "60M" */
			return script_error(s, "lseek: bad offset '%s'; %s", argv[2], usage);
		off = (long long)uoff;
	}
	if (argc == 4) {
		if (!strcmp(argv[3], "set"))
			whence = SEEK_SET;
		else if (!strcmp(argv[3], "cur"))
			whence = SEEK_CUR;
		else if (!strcmp(argv[3], "end"))
			whence = SEEK_END;
		else
			return script_error(s, "lseek: bad whence '%s'; %s", argv[3], usage);
	}
	ret = linmm_lseek(tsk, fd, (loff_t)off, whence);
	printf("lseek %s %s %s%s%s: ", argv[0], argv[1], argv[2], argc == 4 ? " " : "",
	       argc == 4 ? argv[3] : "");
	if (ret < 0)
		printf("%s\n", err_name((long)ret));
	else
		printf("%lld\n", (long long)ret);
	return SCRIPT_OK;
}

enum script_status cmd_ftruncate(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	enum script_status st = SCRIPT_OK;
	struct task_struct *tsk;
	unsigned long ulen = 0;
	char *end;
	long long len;
	int fd, ret;
	bool ok;

	(void)rest;
	if (argc != 3)
		return script_error(s, "usage: ftruncate P FD LEN");
	tsk = need_task_fd(s, "ftruncate", argc, argv, &fd, &st);
	if (!tsk)
		return st;
	if (argv[2][0] == '-') {	/* negative: EINVAL from the call, as Linux */
		len = strtoll(argv[2], &end, 0);
		ok = end != argv[2] && !*end;
	} else {
		ok = script_parse_size(argv[2], ~0UL >> 1, &ulen);
		len = (long long)ulen;
	}
	if (!ok)
		return script_error(s, "ftruncate: bad length '%s'", argv[2]);
	ret = linmm_ftruncate(tsk, fd, (loff_t)len);
	printf("ftruncate %s %s %s: %s\n", argv[0], argv[1], argv[2], ret ? err_name(ret) : "0");
	return SCRIPT_OK;
}

enum script_status cmd_fsync(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	enum script_status st = SCRIPT_OK;
	struct task_struct *tsk;
	int fd, ret;

	(void)rest;
	if (argc != 2)
		return script_error(s, "usage: fsync P FD");
	tsk = need_task_fd(s, "fsync", argc, argv, &fd, &st);
	if (!tsk)
		return st;
	ret = linmm_fsync(tsk, fd);
	printf("fsync %s %s: %s\n", argv[0], argv[1], ret ? err_name(ret) : "0");
	return SCRIPT_OK;
}

enum script_status cmd_fstat(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	enum script_status st = SCRIPT_OK;
	struct task_struct *tsk;
	struct linmm_stat sb;
	int fd, ret;

	(void)rest;
	if (argc != 2)
		return script_error(s, "usage: fstat P FD");
	tsk = need_task_fd(s, "fstat", argc, argv, &fd, &st);
	if (!tsk)
		return st;
	ret = linmm_fstat(tsk, fd, &sb);
	if (ret) {
		printf("fstat %s %s: %s\n", argv[0], argv[1], err_name(ret));
		return SCRIPT_OK;
	}
	printf("fstat %s %s: ino %lu mode %o nlink %u size %lld blocks %lu\n", argv[0], argv[1],
	       sb.st_ino, sb.st_mode, sb.st_nlink, (long long)sb.st_size, sb.st_blocks);
	return SCRIPT_OK;
}

enum script_status cmd_unlink(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	enum script_status st = SCRIPT_OK;
	struct task_struct *tsk;
	int ret;

	(void)rest;
	if (argc != 2)
		return script_error(s, "usage: unlink P PATH");
	tsk = script_need_task(s, "unlink", argc, argv, &st);
	if (!tsk)
		return st;
	ret = linmm_unlink(tsk, argv[1]);
	printf("unlink %s %s: %s\n", argv[0], argv[1], ret ? err_name(ret) : "0");
	return SCRIPT_OK;
}

enum script_status cmd_sync(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	(void)argv;
	(void)rest;
	if (argc)
		return script_error(s, "usage: sync");
	linmm_sync();
	printf("sync\n");
	return SCRIPT_OK;
}

enum script_status cmd_load(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	long ret;

	(void)rest;
	if (argc != 3 || strcmp(argv[1], "as"))
		return script_error(s, "usage: load HOSTPATH as PATH");
	ret = linmm_load_file(argv[0], argv[2]);
	if (ret < 0)
		printf("load %s: %s\n", argv[2], err_name(ret));
	else
		printf("load %s: %ld bytes\n", argv[2], ret);
	return SCRIPT_OK;
}

enum script_status cmd_sleep(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	u64 ns;

	(void)rest;
	if (argc != 1 || !parse_duration(argv[0], &ns))
		return script_error(s, "usage: sleep DURATION (e.g. 5s, 250ms, 100us)");
	wb_sleep(ns);
	printf("sleep %s: clock %llu.%06llu\n", argv[0],
	       (unsigned long long)(local_clock() / 1000000000ULL),
	       (unsigned long long)(local_clock() % 1000000000ULL / 1000));
	return SCRIPT_OK;
}

enum script_status cmd_bdev(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	struct block_device *bdev;
	u64 ns = 0;

	(void)rest;
	if (argc > 1 || (argc == 1 && (strncmp(argv[0], "latency=", 8) ||
				       !parse_duration(argv[0] + 8, &ns))))
		return script_error(s, "usage: bdev [latency=DURATION]");
	/* The disk appears with the file system: mount it if no file call did yet. */
	if (!get_sb() || !ram0)
		return script_error(s, "bdev: out of memory mounting the file system");
	bdev = ram0;
	if (argc == 1)
		bdev->latency_ns = ns;
	printf("bdev %s: %llu blocks, reads %lu (%lu merged, %lu sectors), writes %lu "
	       "(%lu merged, %lu sectors), in flight %lu, latency %lluns\n", bdev->bd_name,
	       (unsigned long long)bdev->nr_blocks, bdev->ios[BDEV_READ], bdev->merges[BDEV_READ],
	       bdev->sectors[BDEV_READ], bdev->ios[BDEV_WRITE], bdev->merges[BDEV_WRITE],
	       bdev->sectors[BDEV_WRITE], bdev->inflight, (unsigned long long)bdev->latency_ns);
	return SCRIPT_OK;
}
