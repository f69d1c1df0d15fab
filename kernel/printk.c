/* SPDX-License-Identifier: MIT */
/*
 * printk.c - the kernel log buffer (kernel/printk/printk.c, much reduced).
 *
 * Records are {timestamp, level, text} kept in a host-heap array that grows
 * up to LOG_MAX_RECORDS and then drops the oldest, as the kernel's ring
 * buffer does.  KERN_CONT text is appended to the previous record.  Output
 * of `dmesg` is "[%5lu.%06lu] text" per record.
 *
 * Lock: log_lock protects the record array.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linmm/printk.h>
#include <linmm/seq_file.h>
#include <linmm/spinlock.h>

#include "kernel/host.h"

#define LOG_LINE_MAX 1024
#define LOG_MAX_RECORDS 65536
#define LOGLEVEL_DEFAULT 4

struct printk_record {
	u64 ts_nsec;
	int level;
	char *text;
};

static struct printk_record *log_buf;
static size_t log_first, log_count, log_cap;
static spinlock_t log_lock;
static int console_fd = -1;
static int console_loglevel = 7;
static bool log_line_open;	/* the last record did not end with a newline */
static int log_last_level = LOGLEVEL_DEFAULT;

void linmm_printk_set_console(int fd, int loglevel)
{
	console_fd = fd;
	console_loglevel = loglevel;
}

void linmm_printk_reset(void)
{
	spin_lock(&log_lock);
	for (size_t i = 0; i < log_count; i++)
		linmm_host_free(log_buf[(log_first + i) % log_cap].text);
	linmm_host_free(log_buf);
	log_buf = NULL;
	log_first = log_count = log_cap = 0;
	log_line_open = false;
	spin_unlock(&log_lock);
}

static struct printk_record *log_last(void)
{
	return log_count ? &log_buf[(log_first + log_count - 1) % log_cap] : NULL;
}

static void log_append(int level, bool cont, const char *text)
{
	struct printk_record *r = cont && log_line_open ? log_last() : NULL;

	if (r) {
		size_t old = strlen(r->text), add = strlen(text);
		char *t = linmm_host_realloc(r->text, old + add + 1);

		if (t) {
			memcpy(t + old, text, add + 1);
			r->text = t;
		}
		return;
	}
	if (log_count == log_cap) {
		if (log_cap < LOG_MAX_RECORDS) {
			size_t ncap = log_cap ? log_cap * 2 : 256;
			struct printk_record *nb = linmm_host_alloc(ncap * sizeof(*nb));

			if (!nb)
				return;
			for (size_t i = 0; i < log_count; i++)
				nb[i] = log_buf[(log_first + i) % log_cap];
			linmm_host_free(log_buf);
			log_buf = nb;
			log_first = 0;
			log_cap = ncap;
		} else {
			linmm_host_free(log_buf[log_first].text);
			log_first = (log_first + 1) % log_cap;
			log_count--;
		}
	}
	r = &log_buf[(log_first + log_count) % log_cap];
	r->text = linmm_host_alloc(strlen(text) + 1);
	if (!r->text)
		return;
	strcpy(r->text, text);
	r->ts_nsec = local_clock();
	r->level = level;
	log_count++;
}

int printk(const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	int level = LOGLEVEL_DEFAULT;
	bool cont = false;
	va_list ap;
	int n;

	while (fmt[0] == KERN_SOH[0] && fmt[1]) {
		if (fmt[1] == 'c')
			cont = true;
		else if (fmt[1] >= '0' && fmt[1] <= '7')
			level = fmt[1] - '0';
		fmt += 2;
	}
	va_start(ap, fmt);
	n = kernel_vsnprintf(line, sizeof(line), fmt, ap);
	/* A continuation keeps the level of the line it continues. */
	va_end(ap);
	if (n < 0)
		return n;
	/* One record per line: split on newlines, drop the trailing one. */
	char *s = line;

	spin_lock(&log_lock);
	if (cont && log_line_open)
		level = log_last_level;
	log_last_level = level;
	while (*s) {
		char *nl = strchr(s, '\n');

		if (nl)
			*nl = '\0';
		if (*s || !nl)
			log_append(level, cont, s);
		else if (!cont || !log_line_open)
			log_append(level, false, "");
		log_line_open = !nl;
		if (console_fd >= 0 && level <= console_loglevel) {
			linmm_host_write(console_fd, s, strlen(s));
			if (nl)
				linmm_host_write(console_fd, "\n", 1);
		}
		if (!nl)
			break;
		s = nl + 1;
		cont = false;
	}
	spin_unlock(&log_lock);
	return n;
}

char *linmm_dmesg(int min_level)
{
	struct seq_file m;

	seq_file_init(&m);
	spin_lock(&log_lock);
	for (size_t i = 0; i < log_count; i++) {
		struct printk_record *r = &log_buf[(log_first + i) % log_cap];

		if (r->level > min_level)
			continue;
		seq_printf(&m, "[%5llu.%06llu] %s\n",
			   (unsigned long long)(r->ts_nsec / 1000000000ULL),
			   (unsigned long long)(r->ts_nsec % 1000000000ULL / 1000),
			   r->text);
	}
	spin_unlock(&log_lock);
	return seq_file_take(&m);
}
