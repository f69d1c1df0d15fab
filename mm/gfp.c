/* SPDX-License-Identifier: MIT */
/*
 * gfp.c - GFP flags as text: the kernel's %pGg rendering and its inverse.
 *
 * Mirrors lib/vsprintf.c's format_flags() over the gfpflag_names[] table
 * built from include/trace/events/mmflags.h (__def_gfpflag_names):
 *
 *   1. compound masks, most bits first (GFP_TRANSHUGE ... GFP_DMA32,
 *      __GFP_RECLAIM); a name is printed when all its bits are still set,
 *      and its bits are then taken out;
 *   2. the single __GFP_* bits in bit order;
 *   3. whatever is left over is printed as "0x%lx".
 *
 * Names are joined with '|'.  An empty mask renders as the empty string, as
 * %pGg does ("mode:0x0()" in warn_alloc and OOM reports).
 *
 * __GFP_SKIP_ZERO and __GFP_SKIP_KASAN exist only with CONFIG_KASAN_HW_TAGS
 * (arm64 MTE); on the x86 models they are 0, so they are not in the table.
 *
 * No state, no locks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/gfp.h>

struct gfp_name {
	gfp_t mask;
	const char *name;
};

#define GFP_NAME(flag) { (flag), #flag }

/* The order of __def_gfpflag_names in include/trace/events/mmflags.h (6.18). */
static const struct gfp_name gfpflag_names[] = {
	GFP_NAME(GFP_TRANSHUGE),
	GFP_NAME(GFP_TRANSHUGE_LIGHT),
	GFP_NAME(GFP_HIGHUSER_MOVABLE),
	GFP_NAME(GFP_HIGHUSER),
	GFP_NAME(GFP_USER),
	GFP_NAME(GFP_KERNEL_ACCOUNT),
	GFP_NAME(GFP_KERNEL),
	GFP_NAME(GFP_NOFS),
	GFP_NAME(GFP_ATOMIC),
	GFP_NAME(GFP_NOIO),
	GFP_NAME(GFP_NOWAIT),
	GFP_NAME(GFP_DMA),
	GFP_NAME(GFP_DMA32),
	GFP_NAME(__GFP_RECLAIM),
	/* TRACE_GFP_FLAGS: the single bits, in bit order. */
	GFP_NAME(__GFP_DMA),
	GFP_NAME(__GFP_HIGHMEM),
	GFP_NAME(__GFP_DMA32),
	GFP_NAME(__GFP_MOVABLE),
	GFP_NAME(__GFP_RECLAIMABLE),
	GFP_NAME(__GFP_HIGH),
	GFP_NAME(__GFP_IO),
	GFP_NAME(__GFP_FS),
	GFP_NAME(__GFP_ZERO),
	GFP_NAME(__GFP_DIRECT_RECLAIM),
	GFP_NAME(__GFP_KSWAPD_RECLAIM),
	GFP_NAME(__GFP_WRITE),
	GFP_NAME(__GFP_NOWARN),
	GFP_NAME(__GFP_RETRY_MAYFAIL),
	GFP_NAME(__GFP_NOFAIL),
	GFP_NAME(__GFP_NORETRY),
	GFP_NAME(__GFP_MEMALLOC),
	GFP_NAME(__GFP_COMP),
	GFP_NAME(__GFP_NOMEMALLOC),
	GFP_NAME(__GFP_HARDWALL),
	GFP_NAME(__GFP_THISNODE),
	GFP_NAME(__GFP_ACCOUNT),
	GFP_NAME(__GFP_ZEROTAGS),
};

/* Append @s to @buf (size @size) at *@pos, counting what would not fit. */
static void gfp_emit(char *buf, size_t size, size_t *pos, const char *s)
{
	size_t n = strlen(s);

	if (*pos < size) {
		size_t room = size - *pos - 1;

		memcpy(buf + *pos, s, min(n, room));
	}
	*pos += n;
}

/**
 * format_gfp_flags - render @flags as the kernel's %pGg does
 * @flags: the mask
 * @buf: output buffer, always NUL-terminated when @size > 0
 * @size: size of @buf
 *
 * Context: any.
 * Return: the length of the full rendering (like snprintf: a value >= @size
 * means it was truncated).
 */
int format_gfp_flags(gfp_t flags, char *buf, size_t size)
{
	unsigned long left = flags;
	size_t pos = 0;
	char hex[2 + 2 * sizeof(unsigned long) + 1];

	for (size_t i = 0; i < ARRAY_SIZE(gfpflag_names) && left; i++) {
		unsigned long mask = gfpflag_names[i].mask;

		if ((left & mask) != mask)
			continue;
		gfp_emit(buf, size, &pos, gfpflag_names[i].name);
		left &= ~mask;
		if (left)
			gfp_emit(buf, size, &pos, "|");
	}
	if (left) {
		snprintf(hex, sizeof(hex), "%#lx", left);
		gfp_emit(buf, size, &pos, hex);
	}
	if (size)
		buf[min(pos, size - 1)] = '\0';
	return (int)pos;
}

static int gfp_lookup(const char *name, size_t len, gfp_t *mask)
{
	for (size_t i = 0; i < ARRAY_SIZE(gfpflag_names); i++) {
		if (strlen(gfpflag_names[i].name) == len &&
		    !strncmp(gfpflag_names[i].name, name, len)) {
			*mask = gfpflag_names[i].mask;
			return 0;
		}
	}
	return -EINVAL;
}

static int gfp_parse_number(const char *s, size_t len, gfp_t *mask)
{
	char tmp[24];
	char *end;
	unsigned long v;

	if (len == 0 || len >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (tmp[0] == '-' || tmp[0] == '+')
		return -EINVAL;
	v = strtoul(tmp, &end, 0);
	if (*end || v > (unsigned long)(gfp_t)~0u)
		return -EINVAL;
	*mask = (gfp_t)v;
	return 0;
}

/**
 * parse_gfp_flags - parse a GFP mask as format_gfp_flags() writes it
 * @s: '|'-separated names (compound GFP_* or single __GFP_*) and numbers
 *     ("0x40dc0", "0"), blanks around names allowed; "" parses as 0
 * @out: the mask, written only on success
 *
 * format_gfp_flags() output always parses back to the same mask.
 *
 * Context: any.
 * Return: 0, or -EINVAL naming nothing (an unknown name or a bad number).
 */
int parse_gfp_flags(const char *s, gfp_t *out)
{
	gfp_t flags = 0;

	if (!s)
		return -EINVAL;
	for (;;) {
		const char *tok, *end;
		gfp_t mask;
		size_t len;
		int ret;

		while (*s == ' ' || *s == '\t')
			s++;
		tok = s;
		end = strchr(s, '|');
		if (!end)
			end = s + strlen(s);
		len = (size_t)(end - tok);
		while (len && (tok[len - 1] == ' ' || tok[len - 1] == '\t'))
			len--;
		if (!len) {
			/* An empty token is only allowed as the whole string. */
			if (*end == '|' || flags)
				return -EINVAL;
		} else {
			if (tok[0] >= '0' && tok[0] <= '9')
				ret = gfp_parse_number(tok, len, &mask);
			else
				ret = gfp_lookup(tok, len, &mask);
			if (ret)
				return ret;
			flags |= mask;
		}
		if (*end != '|')
			break;
		s = end + 1;
		if (!*s)
			return -EINVAL;	/* trailing '|' */
	}
	*out = flags;
	return 0;
}
