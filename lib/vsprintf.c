/* SPDX-License-Identifier: MIT */
/*
 * vsprintf.c - the kernel's printf dialect on top of the C library's
 * (lib/vsprintf.c).
 *
 * The one difference that shows in mm's output: the kernel's "%#x" family
 * always prints the "0x" prefix and counts it in the field width, even for
 * zero ("%#018llx" of 0 is "0x0000000000000000"; C prints 18 zeros).
 * kernel_vsnprintf() rewrites such conversions to "0x%0<w-2>llx" before
 * handing the format to vsnprintf().
 */
#include <stdio.h>
#include <string.h>

#include <linmm/printk.h>

#define FMT_MAX 1024

static const char *kernel_format(const char *fmt, char *out, size_t outlen)
{
	size_t o = 0;

	if (!strstr(fmt, "%#"))
		return fmt;
	for (const char *p = fmt; *p; p++) {
		if (o + 16 >= outlen)
			return fmt;	/* too long to rewrite: C semantics */
		if (p[0] != '%' || p[1] != '#') {
			out[o++] = *p;
			if (p[0] == '%' && p[1] == '%')
				out[o++] = *++p;
			continue;
		}
		/* %#[0][width][length]x */
		const char *q = p + 2;
		bool zero = false;
		int width = 0;

		if (*q == '0') {
			zero = true;
			q++;
		}
		while (*q >= '0' && *q <= '9')
			width = width * 10 + (*q++ - '0');
		const char *len = q;

		while (*q == 'l' || *q == 'h' || *q == 'z' || *q == 'L')
			q++;
		if (*q != 'x' && *q != 'X') {
			out[o++] = *p;	/* other conversions keep C's '#' meaning */
			continue;
		}
		out[o++] = '0';
		out[o++] = 'x';
		o += (size_t)snprintf(out + o, outlen - o, "%%%s", zero ? "0" : "");
		if (width > 2)
			o += (size_t)snprintf(out + o, outlen - o, "%d", width - 2);
		for (const char *l = len; l < q; l++)
			out[o++] = *l == 'L' ? 'l' : *l;
		if (*len == 'L')
			out[o++] = 'l';
		out[o++] = *q;
		p = q;
	}
	out[o] = '\0';
	return out;
}

int kernel_vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	char kfmt[FMT_MAX];

	return vsnprintf(buf, size, kernel_format(fmt, kfmt, sizeof(kfmt)), args);
}
