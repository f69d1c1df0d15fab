/* SPDX-License-Identifier: MIT */
/* int_sqrt.c - integer square root, floor(sqrt(x)) (lib/math/int_sqrt.c). */
#include <linmm/types.h>

unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, bit;

	if (x < 2)
		return x;
	bit = 1UL << ((fls64(x) - 1) & ~1);
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}
