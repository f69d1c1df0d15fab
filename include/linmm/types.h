/* SPDX-License-Identifier: MIT */
/*
 * types.h - basic kernel types and helpers used across linmm.
 *
 * Mirrors include/linux/types.h, include/linux/compiler.h and the bits of
 * include/linux/kernel.h / math.h that mm code leans on.  Everything here is
 * plain C11 with GNU extensions; no host calls.
 */
#ifndef LINMM_TYPES_H
#define LINMM_TYPES_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/* Simulated physical addresses are always 64-bit, whatever the arch model. */
typedef u64 phys_addr_t;
typedef unsigned int gfp_t;

#define __must_check __attribute__((warn_unused_result))
#define __maybe_unused __attribute__((unused))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
/* The caller's address, for allocation tracking (include/linux/instruction_pointer.h). */
#define _RET_IP_ ((unsigned long)__builtin_return_address(0))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define clamp(v, lo, hi) min(max(v, lo), hi)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define ALIGN(x, a) (((x) + ((__typeof__(x))(a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define BIT(n) (1UL << (n))

#define SZ_1K 0x400ULL
#define SZ_4K 0x1000ULL
#define SZ_64K 0x10000ULL
#define SZ_1M 0x100000ULL
#define SZ_16M 0x1000000ULL
#define SZ_128M 0x8000000ULL
#define SZ_1G 0x40000000ULL
#define SZ_4G 0x100000000ULL

/* Errno values are the host's (Linux) values; operations return 0 or -errno. */
#include <errno.h>

static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

static inline int ilog2_u64(u64 x)
{
	return fls64(x) - 1;
}

static inline u64 rounddown_pow_of_two(u64 x)
{
	return x ? 1ULL << ilog2_u64(x) : 0;
}

/*
 * Page protections: the architecture's PTE bits (x86: _PAGE_PRESENT,
 * _PAGE_RW, _PAGE_USER, ..., _PAGE_NX), wrapped so they are not mixed up
 * with other integers.  PAGE_KERNEL and friends live in pgtable.h.
 */
typedef struct { u64 pgprot; } pgprot_t;
#define __pgprot(x) ((pgprot_t){ (x) })
#define pgprot_val(x) ((x).pgprot)

/* int_sqrt() from lib/math/int_sqrt.c: floor(sqrt(x)). */
unsigned long int_sqrt(unsigned long x);

#endif /* LINMM_TYPES_H */
