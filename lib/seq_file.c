/* SPDX-License-Identifier: MIT */
/*
 * seq_file.c - growable text buffers for renderers (include/linmm/seq_file.h).
 * The buffer doubles when full; it lives on the host heap through the seam.
 */
#include <stdio.h>
#include <string.h>

#include <linmm/printk.h>
#include <linmm/seq_file.h>

#include "kernel/host.h"

void seq_file_init(struct seq_file *m)
{
	m->buf = NULL;
	m->count = 0;
	m->size = 0;
	m->overflow = false;
}

static bool seq_reserve(struct seq_file *m, size_t extra)
{
	size_t want = m->count + extra + 1;
	char *nb;

	if (m->overflow)
		return false;
	if (want <= m->size)
		return true;
	size_t nsize = m->size ? m->size : 4096;

	while (nsize < want)
		nsize *= 2;
	nb = linmm_host_realloc(m->buf, nsize);
	if (!nb) {
		m->overflow = true;
		return false;
	}
	m->buf = nb;
	m->size = nsize;
	return true;
}

void seq_vprintf(struct seq_file *m, const char *fmt, va_list args)
{
	va_list again;
	int n;

	va_copy(again, args);
	n = kernel_vsnprintf(NULL, 0, fmt, args);
	if (n < 0 || !seq_reserve(m, (size_t)n)) {
		va_end(again);
		return;
	}
	kernel_vsnprintf(m->buf + m->count, (size_t)n + 1, fmt, again);
	va_end(again);
	m->count += (size_t)n;
}

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	seq_vprintf(m, fmt, ap);
	va_end(ap);
}

void seq_puts(struct seq_file *m, const char *s)
{
	size_t n = strlen(s);

	if (!seq_reserve(m, n))
		return;
	memcpy(m->buf + m->count, s, n + 1);
	m->count += n;
}

void seq_putc(struct seq_file *m, char c)
{
	if (!seq_reserve(m, 1))
		return;
	m->buf[m->count++] = c;
	m->buf[m->count] = '\0';
}

char *seq_file_take(struct seq_file *m)
{
	char *b;

	if (m->overflow) {
		seq_file_release(m);
		return NULL;
	}
	if (!m->buf && !seq_reserve(m, 0))
		return NULL;
	m->buf[m->count] = '\0';
	b = m->buf;
	seq_file_init(m);
	return b;
}

void seq_file_release(struct seq_file *m)
{
	linmm_host_free(m->buf);
	seq_file_init(m);
}
