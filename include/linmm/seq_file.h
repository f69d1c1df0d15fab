/* SPDX-License-Identifier: MIT */
/*
 * seq_file.h - growable text buffers for /proc-style renderers.
 *
 * The kernel's seq_file API (seq_printf, seq_puts, seq_putc) over a buffer
 * on the host heap.  A renderer writes into a struct seq_file; the caller
 * takes the text with seq_file_take() or frees it with seq_file_release().
 * On allocation failure `overflow` is set and further output is dropped.
 */
#ifndef LINMM_SEQ_FILE_H
#define LINMM_SEQ_FILE_H

#include <stdarg.h>

#include <linmm/types.h>

struct seq_file {
	char *buf;
	size_t count;
	size_t size;
	bool overflow;
};

void seq_file_init(struct seq_file *m);
__printf(2, 3) void seq_printf(struct seq_file *m, const char *fmt, ...);
void seq_vprintf(struct seq_file *m, const char *fmt, va_list args);
void seq_puts(struct seq_file *m, const char *s);
void seq_putc(struct seq_file *m, char c);
/* Take ownership of the NUL-terminated text (free with linmm_host_free); NULL on overflow. */
char *seq_file_take(struct seq_file *m);
void seq_file_release(struct seq_file *m);

#endif /* LINMM_SEQ_FILE_H */
