/* SPDX-License-Identifier: MIT */
/*
 * bug.h - assertions in levels under one switch (CONFIG_DEBUG_VM).
 *
 *   BUG_ON(c)          always checked; prints "kernel BUG at file:line!" and aborts.
 *   WARN_ON(c)         always checked; prints a WARNING line to dmesg, returns c.
 *   VM_BUG_ON(c)       checked when CONFIG_DEBUG_VM is 1 (debug and test builds);
 *   VM_WARN_ON(c)      otherwise the expression is type-checked but not evaluated.
 *
 * Build with -DCONFIG_DEBUG_VM=1 (the default for Debug builds and tests).
 */
#ifndef LINMM_BUG_H
#define LINMM_BUG_H

#ifndef CONFIG_DEBUG_VM
#define CONFIG_DEBUG_VM 0
#endif

#define IS_ENABLED(option) (option)

void linmm_bug(const char *file, int line, const char *cond) __attribute__((noreturn));
void linmm_warn(const char *file, int line, const char *cond);

#define BUG() linmm_bug(__FILE__, __LINE__, "BUG")
#define BUG_ON(c) do { if (__builtin_expect(!!(c), 0)) linmm_bug(__FILE__, __LINE__, #c); } while (0)
#define WARN_ON(c) ({ int __w = !!(c); if (__builtin_expect(__w, 0)) linmm_warn(__FILE__, __LINE__, #c); __w; })
#define WARN_ON_ONCE(c) ({ static int __once; int __w = !!(c); \
	if (__builtin_expect(__w, 0) && !__once) { __once = 1; linmm_warn(__FILE__, __LINE__, #c); } __w; })

#define VM_BUG_ON(c) do { if (IS_ENABLED(CONFIG_DEBUG_VM)) BUG_ON(c); else (void)sizeof(!!(c)); } while (0)
#define VM_WARN_ON(c) do { if (IS_ENABLED(CONFIG_DEBUG_VM)) WARN_ON(c); else (void)sizeof(!!(c)); } while (0)
#define VM_WARN_ON_ONCE(c) do { if (IS_ENABLED(CONFIG_DEBUG_VM)) WARN_ON_ONCE(c); else (void)sizeof(!!(c)); } while (0)

#endif /* LINMM_BUG_H */
