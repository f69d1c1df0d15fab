/* SPDX-License-Identifier: MIT */
/*
 * fuzz_gfp.c - libFuzzer target for GFP flags as text (mm/gfp.c):
 * parse_gfp_flags() and its inverse format_gfp_flags().
 *
 * Two round trips per input:
 *
 *   text -> mask:  whatever parses, formatted and parsed again, gives the
 *                  same mask;
 *   mask -> text:  the first bytes of the input as a mask always format to
 *                  text that parses back to that mask.
 *
 * Also: a failed parse leaves the output alone; formatting into every
 * smaller buffer gives a NUL-terminated prefix and the same return value
 * (snprintf's contract).
 */
#include <linmm/gfp.h>

#include "tests/fuzz/fuzz.h"

#define FUZZ_GFP_MAX_LEN	1024
#define GFP_SENTINEL		((gfp_t)0x5a5a5a5a)

static char text[2048], small[2048];

/* Format @mask, check the truncated renderings, and check it parses back. */
static void check_format(gfp_t mask)
{
	gfp_t back = GFP_SENTINEL;
	int len = format_gfp_flags(mask, text, sizeof(text));

	FUZZ_CHECK(len >= 0 && (size_t)len < sizeof(text), "length %d", len);
	FUZZ_CHECK(strlen(text) == (size_t)len, "returned %d for '%s'", len, text);
	for (size_t size = 0; size <= (size_t)len + 1; size++) {
		memset(small, 0x7f, sizeof(small));
		FUZZ_CHECK(format_gfp_flags(mask, small, size) == len, "size %zu", size);
		if (size == 0) {
			FUZZ_CHECK(small[0] == 0x7f, "wrote into a 0-byte buffer");
			continue;
		}
		FUZZ_CHECK(strlen(small) == min((size_t)len, size - 1) &&
			   !strncmp(small, text, strlen(small)),
			   "size %zu: '%s' is not a prefix of '%s'", size, small, text);
		FUZZ_CHECK(small[size] == 0x7f, "size %zu: wrote past the buffer", size);
	}
	FUZZ_CHECK(parse_gfp_flags(text, &back) == 0, "'%s' (%#x) does not parse", text, mask);
	FUZZ_CHECK(back == mask, "'%s': %#x parsed back as %#x", text, mask, back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size, FUZZ_GFP_MAX_LEN);
	gfp_t mask = GFP_SENTINEL, raw = 0;
	int ret;

	if (!s)
		return -1;
	memcpy(&raw, data, min(size, sizeof(raw)));
	check_format(raw);

	ret = parse_gfp_flags(s, &mask);
	FUZZ_CHECK(ret == 0 || ret == -EINVAL, "ret %d", ret);
	if (ret) {
		FUZZ_CHECK(mask == GFP_SENTINEL, "a failed parse wrote %#x", mask);
		goto out;
	}
	check_format(mask);
out:
	free(s);
	return 0;
}
