/* SPDX-License-Identifier: MIT */
/*
 * test_slub_debug.c - slub_debug=: red zones, poisoning, tracking, the
 * consistency checks and the kernel's corruption reports.
 *
 * Oracles (none of them computed by the code under test):
 *   - a real report of Linux 6.18.7 (Fedora, x86_64, slub_debug=FZPU) for a
 *     write past a 32-byte kmalloc object:
 *       [Right Redzone overwritten] 0x...680-0x...683 @offset=1664. First byte 0x78 instead of 0xcc
 *       BUG kmalloc-rnd-04-32 (Tainted: G           OE      ): Object corrupt
 *       Slab 0x... objects=25 used=22 fp=0x... flags=0x...
 *       Object 0x...660 @offset=1632 fp=0x...
 *       Redzone  ...640: cc x16 / ...650: cc x16   (32-byte left red zone)
 *       Object   ...660: 6b x16 / ...670: 6b x15 a5
 *       Redzone  ...680: 78 cc cc 78 cc cc cc cc    (8-byte right red zone)
 *       Padding  ...6d4: 5a x12                     (metadata ends at +116)
 *       FIX kmalloc-rnd-04-32: Restoring Right Redzone 0x...680-0x...683=0xcc
 *       FIX kmalloc-rnd-04-32: Object at 0x...660 not freed
 *     so a debug kmalloc-32 slot is 160 bytes, 25 to an order-0 slab, the
 *     object at slot + 32, its metadata 116 bytes from it;
 *   - the kernel's report texts (mm/slub.c of 6.18: check_bytes_and_report,
 *     free_consistency_checks, parse_slub_debug_flags, slab_fix);
 *   - the slot layout of the fact sheet 3.2/3.3 for kmalloc-64 (no oracle
 *     found for it: 64 + 8 red zone + 8 free pointer + 2 x 32 tracks + 4
 *     orig_size + 8 debug word + 64 left red zone = 220, aligned to 64 = 256).
 * validate_all_slab_caches() runs after every step.
 *
 * One kmalloc-64 slot with slub_debug=FZPU (offsets from the object):
 *
 *   -64      0        64       72   80          144  148         192
 *   [LLLLLLLL][object  ][RRRRRRR][fp ][track track][osz][ padding  ]
 *    0xbb/cc   6b..a5   0xbb/cc        alloc free        0x5a
 */
#include "linmm_test.h"

#include <linmm/slab.h>

#include "kernel/host.h"
#include "kernel/machine.h"
#include "mm/internal.h"
#include "mm/slab.h"

#define FZPU (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)

/* ---- helpers ---- */

static void validate_all(void)
{
	if (validate_all_slab_caches()) {
		char *log = linmm_dmesg(7);

		fail_msg("validate_all_slab_caches() failed:\n%s", log ? log : "");
	}
	/* The hooks ran under the node's list_lock (lockdep_assert_held). */
	assert_false(dmesg_contains("spin_is_locked"));
	check_machine();
}

static void boot_debug(const char *cmdline)
{
	boot_or_fail(cmdline);
	validate_all();
}

static int shutdown_after(void **state)
{
	(void)state;
	linmm_shutdown();
	return 0;
}

/* Times @needle occurs in dmesg. */
static int dmesg_count(const char *needle)
{
	char *log = linmm_dmesg(7);
	int n = 0;

	for (const char *p = log; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	free(log);
	return n;
}

static void assert_dmesg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void assert_dmesg(const char *fmt, ...)
{
	char needle[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(needle, sizeof(needle), fmt, ap);
	va_end(ap);
	if (!dmesg_contains(needle)) {
		char *log = linmm_dmesg(7);

		fail_msg("dmesg lacks \"%s\":\n%s", needle, log ? log : "");
	}
}

static unsigned long ka(const void *p)
{
	return linmm_kernel_address(p);
}

/* Exported (the test is linked with -rdynamic) so the track can name it. */
__attribute__((noinline)) void *slub_debug_test_alloc(size_t size)
{
	void *p = kmalloc(size, GFP_KERNEL);

	/* No tail call: the callee's return address must be in this function. */
	__asm__ volatile("" : "+r"(p));
	return p;
}

/* A report was made, the kernel tainted, and the cache is still sound and usable. */
static void assert_survives(struct kmem_cache *s, size_t size)
{
	void *p[8];

	assert_true(get_taint() & (1UL << TAINT_BAD_PAGE));
	/* The repair leaves nothing for the checker to find. */
	assert_int_equal(validate_slab_cache(s), 0);
	int bugs = dmesg_count("BUG ");

	for (int i = 0; i < 8; i++) {
		p[i] = kmalloc(size, GFP_KERNEL);
		assert_non_null(p[i]);
		memset(p[i], 0x11, size);
	}
	for (int i = 0; i < 8; i++)
		kfree(p[i]);
	assert_int_equal(dmesg_count("BUG "), bugs);
	validate_all();
}

/* ---- slub_debug= parsing ---- */

static void test_parse(void **state)
{
	const slab_flags_t F = SLAB_CONSISTENCY_CHECKS, Z = SLAB_RED_ZONE, P = SLAB_POISON,
			   U = SLAB_STORE_USER;

	boot_debug(NULL);

	/* No letters: the kernel's full debugging. */
	slub_debug_reset();
	assert_int_equal(setup_slub_debug(""), 0);
	assert_int_equal(kmem_cache_flags(0, "dentry"), FZPU);
	assert_int_equal(kmem_cache_flags(SLAB_HWCACHE_ALIGN, "x"), FZPU | SLAB_HWCACHE_ALIGN);

	slub_debug_reset();
	assert_int_equal(setup_slub_debug("FZ"), 0);
	assert_int_equal(kmem_cache_flags(0, "kmalloc-64"), F | Z);
	slub_debug_reset();
	assert_int_equal(setup_slub_debug("fzpu"), 0);		/* letters are case-blind */
	assert_int_equal(kmem_cache_flags(0, "kmalloc-64"), FZPU);
	slub_debug_reset();
	assert_int_equal(setup_slub_debug("TA"), 0);
	assert_int_equal(kmem_cache_flags(0, "a"), SLAB_TRACE | SLAB_FAILSLAB);
	slub_debug_reset();
	assert_int_equal(setup_slub_debug("FZ-P"), 0);		/* '-' clears what came before */
	assert_int_equal(kmem_cache_flags(0, "a"), P);

	/* One block with a cache list changes those caches only. */
	slub_debug_reset();
	assert_int_equal(setup_slub_debug("U,kmalloc-64,dentry"), 0);
	assert_int_equal(kmem_cache_flags(0, "kmalloc-64"), U);
	assert_int_equal(kmem_cache_flags(0, "dentry"), U);
	assert_int_equal(kmem_cache_flags(0, "kmalloc-128"), 0);
	assert_int_equal(kmem_cache_flags(0, "kmalloc-6"), 0);	/* exact names */
	assert_int_equal(kmem_cache_flags(0, "kmalloc-640"), 0);
	slub_debug_reset();
	assert_int_equal(setup_slub_debug(",dentry"), 0);	/* a list alone: full debugging */
	assert_int_equal(kmem_cache_flags(0, "dentry"), FZPU);
	assert_int_equal(kmem_cache_flags(0, "inode_cache"), 0);

	/* The kernel's "kmalloc-*" glob: a prefix match. */
	slub_debug_reset();
	assert_int_equal(setup_slub_debug("P,kmalloc-*"), 0);
	assert_int_equal(kmem_cache_flags(0, "kmalloc-8"), P);
	assert_int_equal(kmem_cache_flags(0, "kmalloc-rcl-1k"), P);
	assert_int_equal(kmem_cache_flags(0, "dma-kmalloc-64"), 0);

	/*
	 * Blocks: global flags, and per-list flags that replace them.  (No
	 * ";;" after a list, nor a ';' at the end: the kernel's list scan then
	 * takes the ';' into the last name, and so does linmm.)
	 */
	slub_debug_reset();
	assert_int_equal(setup_slub_debug("FZ;U,kmalloc-64;P,dentry"), 0);
	assert_int_equal(kmem_cache_flags(0, "kmalloc-64"), U);
	assert_int_equal(kmem_cache_flags(0, "dentry"), P);
	assert_int_equal(kmem_cache_flags(0, "kmalloc-128"), F | Z);

	/* Caches that opt out, and debugging caches without user tracking. */
	slub_debug_reset();
	assert_int_equal(setup_slub_debug(""), 0);
	assert_int_equal(kmem_cache_flags(SLAB_NO_USER_FLAGS, "x"), SLAB_NO_USER_FLAGS);
	assert_int_equal(kmem_cache_flags(SLAB_NOLEAKTRACE, "x"), SLAB_NOLEAKTRACE | F | Z | P);

	/* O: only a switch for calculate_sizes(). */
	slub_debug_reset();
	assert_false(disable_higher_order_debug);
	assert_int_equal(setup_slub_debug("FO"), 0);
	assert_true(disable_higher_order_debug);
	assert_int_equal(kmem_cache_flags(0, "x"), F);

	/* Unknown letters: reported as the kernel does and skipped. */
	slub_debug_reset();
	assert_int_equal(setup_slub_debug("FXZ"), -EINVAL);
	assert_dmesg("slab_debug option 'X' unknown. skipped");
	assert_non_null(strstr(linmm_last_error(), "'X'"));
	assert_int_equal(kmem_cache_flags(0, "x"), F | Z);

	slub_debug_reset();
	assert_int_equal(kmem_cache_flags(0, "kmalloc-64"), 0);
}

/* The boot parameter, both spellings, bare and with unknown letters. */
static void test_boot_param(void **state)
{
	struct kmem_cache *s;

	boot_debug("mem=256M slub_debug=FZPQ");
	assert_dmesg("slab_debug option 'Q' unknown. skipped");
	s = kmem_cache_find("kmalloc-64");
	assert_non_null(s);
	assert_int_equal(s->flags & SLAB_DEBUG_FLAGS, FZPU & ~SLAB_STORE_USER);
	linmm_shutdown();

	boot_debug("mem=256M slab_debug=U,kmalloc-128");
	assert_int_equal(kmem_cache_find("kmalloc-128")->flags & SLAB_DEBUG_FLAGS, SLAB_STORE_USER);
	assert_int_equal(kmem_cache_find("kmalloc-64")->flags & SLAB_DEBUG_FLAGS, 0);
	linmm_shutdown();

	boot_debug("mem=256M slub_debug");
	assert_int_equal(kmem_cache_find("kmalloc-96")->flags & SLAB_DEBUG_FLAGS, FZPU);
	linmm_shutdown();

	/* Not on the command line: no debugging. */
	boot_debug("mem=256M");
	assert_int_equal(kmem_cache_find("kmalloc-64")->flags & SLAB_DEBUG_FLAGS, 0);
}

/* ---- layout ---- */

static void test_layout(void **state)
{
	struct kmem_cache *s;

	boot_debug("mem=256M slub_debug=FZPU");

	/* Linux 6.18.7: kmalloc-32 slots of 160 bytes, 25 per order-0 slab. */
	s = kmem_cache_find("kmalloc-32");
	assert_non_null(s);
	assert_int_equal(s->size, 160);
	assert_int_equal(s->red_left_pad, 32);
	assert_int_equal(s->inuse, 40);
	assert_int_equal(oo_objects(s->oo), 25);
	assert_int_equal(oo_order(s->oo), 0);
	assert_int_equal(slub_debug_metadata_size(s), 2 * 32 + 4);

	/* kmalloc-64 from the fact-sheet layout (picture above). */
	s = kmem_cache_find("kmalloc-64");
	assert_int_equal(s->size, 256);
	assert_int_equal(s->red_left_pad, 64);
	assert_int_equal(s->inuse, 72);
	assert_int_equal(s->offset, 72);
	assert_int_equal(oo_objects(s->oo), 16);

	/* A fresh allocation is poisoned and red-zoned as the kernel leaves it. */
	u8 *p = kmalloc(32, GFP_KERNEL);
	assert_non_null(p);
	for (int i = -32; i < 0; i++)
		assert_int_equal(p[i], SLUB_RED_ACTIVE);
	for (int i = 0; i < 31; i++)
		assert_int_equal(p[i], POISON_FREE);
	assert_int_equal(p[31], POISON_END);
	for (int i = 32; i < 40; i++)
		assert_int_equal(p[i], SLUB_RED_ACTIVE);
	for (int i = 116; i < 128; i++)
		assert_int_equal(p[i], POISON_INUSE);
	kfree(p);
	/* Freed: inactive red zones, poison. */
	assert_int_equal(p[-1], SLUB_RED_INACTIVE);
	assert_int_equal(p[32], SLUB_RED_INACTIVE);
	assert_int_equal(p[0], POISON_FREE);
	validate_all();
}

/* ---- reports ---- */

/* The 6.18.7 report, line by line, for a write past kmalloc(32). */
static void test_right_redzone_kmalloc32(void **state)
{
	struct kmem_cache *s;
	u8 *p;

	boot_debug("mem=256M slub_debug=FZPU");
	s = kmem_cache_find("kmalloc-32");
	p = slub_debug_test_alloc(32);
	assert_non_null(p);
	p[32] = 'x';
	p[35] = 'x';
	kfree(p);

	assert_dmesg("[Right Redzone overwritten] 0x%016lx-0x%016lx @offset=", ka(p + 32), ka(p + 35));
	assert_dmesg(". First byte 0x78 instead of 0xcc\n");
	assert_dmesg("=============================================================================\n");
	assert_dmesg("BUG kmalloc-32 (Not tainted): Object corrupt\n");
	assert_dmesg("Allocated in slub_debug_test_alloc+0x");
	assert_dmesg(" age=0 cpu=0 pid=0\n");
	assert_dmesg("Object 0x%016lx @offset=", ka(p));
	assert_dmesg("Redzone  %016lx: cc cc cc cc cc cc cc cc cc cc cc cc cc cc cc cc  ................\n",
		     ka(p - 16));
	assert_dmesg("Object   %016lx: 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b a5  kkkkkkkkkkkkkkk.\n",
		     ka(p + 16));
	assert_dmesg("Redzone  %016lx: 78 cc cc 78 cc cc cc cc                          x..x....\n",
		     ka(p + 32));
	assert_dmesg("Padding  %016lx: 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a              ZZZZZZZZZZZZ\n",
		     ka(p + 116));
	assert_dmesg("FIX kmalloc-32: Restoring Right Redzone 0x%016lx-0x%016lx=0xcc\n", ka(p + 32),
		     ka(p + 35));
	assert_dmesg("FIX kmalloc-32: Object at 0x%016lx not freed\n", ka(p));
	/* The slab line: struct slab address, the counts. */
	assert_dmesg("Slab 0x%016lx objects=25 used=", ka(virt_to_slab(p)));
	/* The report taints the kernel: the next one says so. */
	assert_true(get_taint() & (1UL << TAINT_BAD_PAGE));
	assert_survives(s, 32);
	/* The object stays leaked: never handed out again. */
	for (int i = 0; i < 64; i++) {
		void *q = kmalloc(32, GFP_KERNEL);

		assert_ptr_not_equal(q, p);
	}
}

static void test_right_redzone_kmalloc64(void **state)
{
	u8 *p;

	boot_debug("mem=256M slub_debug=FZPU");
	p = kmalloc(64, GFP_KERNEL);
	p[64] = 0x42;
	kfree(p);
	assert_dmesg("[Right Redzone overwritten] 0x%016lx-0x%016lx @offset=", ka(p + 64), ka(p + 64));
	assert_dmesg(". First byte 0x42 instead of 0xcc\n");
	assert_dmesg("BUG kmalloc-64 (Not tainted): Object corrupt\n");
	assert_dmesg("FIX kmalloc-64: Restoring Right Redzone 0x%016lx-0x%016lx=0xcc\n", ka(p + 64),
		     ka(p + 64));
	assert_survives(kmem_cache_find("kmalloc-64"), 64);
}

static void test_left_redzone(void **state)
{
	u8 *p;

	boot_debug("mem=256M slub_debug=FZPU");
	p = kmalloc(64, GFP_KERNEL);
	p[-3] = 0;
	kfree(p);
	assert_dmesg("[Left Redzone overwritten] 0x%016lx-0x%016lx @offset=", ka(p - 3), ka(p - 3));
	assert_dmesg(". First byte 0x0 instead of 0xcc\n");
	assert_dmesg("FIX kmalloc-64: Restoring Left Redzone 0x%016lx-0x%016lx=0xcc\n", ka(p - 3),
		     ka(p - 3));
	assert_dmesg("FIX kmalloc-64: Object at 0x%016lx not freed\n", ka(p));
	assert_survives(kmem_cache_find("kmalloc-64"), 64);
}

/* kmalloc(40) from kmalloc-64: bytes 40..63 are the "kmalloc Redzone". */
static void test_kmalloc_redzone(void **state)
{
	u8 *p;

	boot_debug("mem=256M slub_debug=FZPU");
	p = kmalloc(40, GFP_KERNEL);
	assert_int_equal(p[38], POISON_FREE);
	assert_int_equal(p[39], POISON_END);
	for (int i = 40; i < 72; i++)
		assert_int_equal(p[i], SLUB_RED_ACTIVE);
	memset(p, 0, 40);			/* all it asked for: fine */
	p[41] = 7;
	kfree(p);
	assert_dmesg("[kmalloc Redzone overwritten] 0x%016lx-0x%016lx @offset=", ka(p + 41),
		     ka(p + 41));
	assert_dmesg(". First byte 0x7 instead of 0xcc\n");
	assert_dmesg("FIX kmalloc-64: Restoring kmalloc Redzone 0x%016lx-0x%016lx=0xcc\n", ka(p + 41),
		     ka(p + 41));
	assert_survives(kmem_cache_find("kmalloc-64"), 40);

	/* The whole request may be used without a report. */
	int bugs = dmesg_count("BUG ");
	p = kmalloc(40, GFP_KERNEL);
	memset(p, 0xff, 40);
	kfree(p);
	assert_int_equal(dmesg_count("BUG "), bugs);
}

/*
 * ksize() hands the whole object to its caller, so its kmalloc red zone is
 * no longer checked (the kernel's skip_orig_size_check()): neither
 * kfree_sensitive() (which clears ksize() bytes) nor a krealloc() that
 * grows in place is reported.
 */
static void test_ksize_krealloc(void **state)
{
	u8 *p;
	int bugs;

	boot_debug("mem=256M slub_debug=FZPU");
	bugs = dmesg_count("BUG ");
	p = kmalloc(40, GFP_KERNEL);
	assert_int_equal(ksize(p), 64);
	memset(p, 0x55, 64);
	kfree(p);
	p = kmalloc(40, GFP_KERNEL);
	kfree_sensitive(p);
	p = kmalloc(40, GFP_KERNEL);
	p = krealloc(p, 60, GFP_KERNEL);
	memset(p, 0x66, 60);
	kfree(p);
	assert_int_equal(dmesg_count("BUG "), bugs);
	validate_all();
}

/* A write after free, found by validate (and repaired). */
static void test_poison_validate(void **state)
{
	struct kmem_cache *s;
	u8 *keep, *p;

	boot_debug("mem=256M slub_debug=FZPU");
	s = kmem_cache_find("kmalloc-64");
	keep = kmalloc(64, GFP_KERNEL);
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	p[10] = 0x33;
	assert_int_not_equal(validate_slab_cache(s), 0);
	assert_dmesg("[Poison overwritten] 0x%016lx-0x%016lx @offset=", ka(p + 10), ka(p + 10));
	assert_dmesg(". First byte 0x33 instead of 0x6b\n");
	assert_dmesg("FIX kmalloc-64: Restoring Poison 0x%016lx-0x%016lx=0x6b\n", ka(p + 10),
		     ka(p + 10));
	assert_dmesg("Freed in ");
	kfree(keep);
	assert_survives(s, 64);
}

/* A write after free, found when the object is about to be handed out again. */
static void test_poison_alloc(void **state)
{
	struct kmem_cache *s;
	u8 *keep, *p, *q;

	boot_debug("mem=256M slub_debug=FZPU");
	s = kmem_cache_find("kmalloc-64");
	keep = kmalloc(64, GFP_KERNEL);
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	p[63] = 0;			/* the POISON_END byte */
	q = kmalloc(64, GFP_KERNEL);
	assert_non_null(q);
	assert_ptr_not_equal(q, p);
	assert_dmesg("[End Poison overwritten] 0x%016lx-0x%016lx @offset=", ka(p + 63), ka(p + 63));
	assert_dmesg(". First byte 0x0 instead of 0xa5\n");
	assert_dmesg("FIX kmalloc-64: Marking all objects used\n");
	memset(q, 1, 64);
	kfree(q);
	/* The slab is disabled: its objects are leaked, not freed into it. */
	kfree(keep);
	assert_dmesg("BUG kmalloc-64 (Tainted: G    B   W          ): Slab disabled since SLUB "
		     "metadata consistency check failed\n");
	assert_dmesg("FIX kmalloc-64: Object at 0x%016lx not freed\n", ka(keep));
	assert_survives(s, 64);
}

static void test_double_free(void **state)
{
	struct kmem_cache *s;
	void *a, *b;

	boot_debug("mem=256M slub_debug=FZPU");
	s = kmem_cache_find("kmalloc-64");
	a = slub_debug_test_alloc(64);
	b = kmalloc(64, GFP_KERNEL);
	kfree(a);
	validate_all();
	kfree(a);
	assert_dmesg("BUG kmalloc-64 (Not tainted): Object already free\n");
	assert_dmesg("Object 0x%016lx @offset=", ka(a));
	assert_dmesg("Allocated in slub_debug_test_alloc+0x");
	assert_dmesg("Freed in ");
	assert_dmesg("FIX kmalloc-64: Object at 0x%016lx not freed\n", ka(a));
	validate_all();
	kfree(b);
	assert_survives(s, 64);
}

static void test_invalid_pointer(void **state)
{
	struct kmem_cache *s;
	u8 *p;
	int bugs;

	boot_debug("mem=256M slub_debug=FZPU");
	s = kmem_cache_find("kmalloc-64");
	p = kmalloc(64, GFP_KERNEL);
	kfree(p + 8);
	/*
	 * The kernel adds "FIX kmalloc-64: Object at 0x... not freed"; linmm's
	 * slab_free() refuses the pointer (for every cache) before the debug
	 * checks run, with the same BUG report.
	 */
	assert_dmesg("BUG kmalloc-64 (Not tainted): Invalid object pointer 0x%016lx\n", ka(p + 8));
	assert_dmesg("Slab 0x%016lx objects=16 used=", ka(virt_to_slab(p)));
	validate_all();
	/* The object itself is still allocated and frees cleanly. */
	bugs = dmesg_count("BUG ");
	kfree(p);
	assert_int_equal(dmesg_count("BUG "), bugs);
	assert_survives(s, 64);
}

/* The padding between the metadata (ends at +148) and the slot end (+192). */
static void test_padding(void **state)
{
	u8 *p;

	boot_debug("mem=256M slub_debug=FZPU");
	p = kmalloc(64, GFP_KERNEL);
	assert_int_equal(p[148], POISON_INUSE);
	assert_int_equal(p[191], POISON_INUSE);
	p[150] = 0x99;
	p[151] = 0x99;
	kfree(p);
	assert_dmesg("[Object padding overwritten] 0x%016lx-0x%016lx @offset=", ka(p + 150),
		     ka(p + 151));
	assert_dmesg(". First byte 0x99 instead of 0x5a\n");
	assert_dmesg("FIX kmalloc-64: Restoring Object padding 0x%016lx-0x%016lx=0x5a\n", ka(p + 150),
		     ka(p + 151));
	assert_survives(kmem_cache_find("kmalloc-64"), 64);
}

/*
 * A free object's free pointer (outside the object with P) overwritten:
 * found when the object is next allocated; its slab is taken out of use.
 */
static void test_freepointer_corrupt(void **state)
{
	struct kmem_cache *s;
	u8 *keep, *p;

	boot_debug("mem=256M slub_debug=FZPU");
	s = kmem_cache_find("kmalloc-64");
	keep = kmalloc(64, GFP_KERNEL);
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	memset(p + s->offset, 0x41, sizeof(void *));
	kmalloc(64, GFP_KERNEL);
	assert_dmesg("BUG kmalloc-64 (Not tainted): Freepointer corrupt\n");
	assert_dmesg("Object 0x%016lx @offset=", ka(p));
	assert_dmesg("FIX kmalloc-64: Marking all objects used\n");
	validate_all();
	kfree(keep);
	assert_survives(s, 64);
}

/* An allocated object's red zone, damaged and found by validate: repaired in place. */
static void test_validate_allocated(void **state)
{
	struct kmem_cache *s;
	u8 *p;
	int bugs;

	boot_debug("mem=256M slub_debug=FZPU");
	s = kmem_cache_find("kmalloc-64");
	p = kmalloc(64, GFP_KERNEL);
	p[70] = 0;
	assert_int_not_equal(validate_slab_cache(s), 0);
	assert_dmesg("[Right Redzone overwritten] 0x%016lx-0x%016lx @offset=", ka(p + 70), ka(p + 70));
	assert_dmesg("FIX kmalloc-64: Restoring Right Redzone 0x%016lx-0x%016lx=0xcc\n", ka(p + 70),
		     ka(p + 70));
	assert_int_equal(validate_slab_cache(s), 0);
	/* Repaired: the object frees without a report. */
	bugs = dmesg_count("BUG ");
	kfree(p);
	assert_int_equal(dmesg_count("BUG "), bugs);
	validate_all();
}

/*
 * The bytes past the last slot of a slab (kmalloc-32: 25 x 160 = 4000, so
 * 96 bytes) hold POISON_INUSE; the slab check finds and repairs them.
 */
static void test_slab_padding(void **state)
{
	u8 *p, *base;

	boot_debug("mem=256M slub_debug=FZPU");
	p = kmalloc(32, GFP_KERNEL);
	base = slab_address(virt_to_slab(p));
	assert_int_equal(base[4000], POISON_INUSE);
	assert_int_equal(base[4095], POISON_INUSE);
	base[4010] = 1;
	base[4011] = 2;
	kfree(p);
	assert_dmesg("BUG kmalloc-32 (Not tainted): Padding overwritten. 0x%016lx-0x%016lx @offset=4010\n",
		     ka(base + 4010), ka(base + 4011));
	assert_dmesg("Padding %016lx: 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 01 02 5a 5a 5a 5a  ZZZZZZZZZZ..ZZZZ\n",
		     ka(base + 4000));
	assert_dmesg("FIX kmalloc-32: Restoring slab padding 0x%016lx-0x%016lx=0x5a\n", ka(base + 4010),
		     ka(base + 4011));
	assert_int_equal(base[4010], POISON_INUSE);
	assert_survives(kmem_cache_find("kmalloc-32"), 32);
}

/*
 * Without red zones (slub_debug=FP) the word padding after a 60-byte
 * object is POISON_INUSE ("Alignment padding"), and the dump shows the 16
 * bytes before the object ("Bytes b4").
 */
static void test_alignment_padding(void **state)
{
	struct kmem_cache *s;
	u8 *a, *b;

	boot_debug("mem=256M slub_debug=FP,sd_fp");
	s = kmem_cache_create("sd_fp", 60, 0, 0, NULL);
	assert_non_null(s);
	assert_int_equal(s->flags & SLAB_DEBUG_FLAGS, SLAB_CONSISTENCY_CHECKS | SLAB_POISON);
	assert_int_equal(s->inuse, 64);
	assert_int_equal(s->red_left_pad, 0);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	assert_true(b > a);
	for (int i = 60; i < 64; i++)
		assert_int_equal(b[i], POISON_INUSE);
	b[61] = 0xee;
	kmem_cache_free(s, b);
	assert_dmesg("[Alignment padding overwritten] 0x%016lx-0x%016lx @offset=", ka(b + 61),
		     ka(b + 61));
	assert_dmesg(". First byte 0xee instead of 0x5a\n");
	assert_dmesg("BUG sd_fp (Not tainted): Object corrupt\n");
	assert_dmesg("Bytes b4 %016lx: ", ka(b - 16));
	assert_dmesg("FIX sd_fp: Restoring Alignment padding 0x%016lx-0x%016lx=0x5a\n", ka(b + 61),
		     ka(b + 61));
	kmem_cache_free(s, a);
	validate_all();
}

static int ctor_calls;

static void sd_ctor(void *obj)
{
	ctor_calls++;
	memset(obj, 0x3c, 48);
}

/*
 * A cache with a constructor is not poisoned (its objects keep their
 * constructed state while free: the kernel's __OBJECT_POISON rule), but
 * keeps its red zones and padding checks.
 */
static void test_ctor_not_poisoned(void **state)
{
	struct kmem_cache *s;
	u8 *p;

	boot_debug("mem=256M slub_debug=FZPU,sd_ctor");
	ctor_calls = 0;
	s = kmem_cache_create("sd_ctor", 48, 0, 0, sd_ctor);
	assert_non_null(s);
	assert_false(s->flags & __OBJECT_POISON);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(ctor_calls, (int)oo_objects(s->oo));	/* once per object, at slab creation */
	for (int i = 0; i < 48; i++)
		assert_int_equal(p[i], 0x3c);
	assert_int_equal(p[-1], SLUB_RED_ACTIVE);
	assert_int_equal(p[48], SLUB_RED_ACTIVE);
	kmem_cache_free(s, p);
	validate_all();
	p = kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 0; i < 48; i++)
		assert_int_equal(p[i], 0x3c);
	p[48] = 0;
	kmem_cache_free(s, p);
	assert_dmesg("BUG sd_ctor (Not tainted): Object corrupt\n");
	assert_dmesg("FIX sd_ctor: Restoring Right Redzone 0x%016lx-0x%016lx=0xcc\n", ka(p + 48),
		     ka(p + 48));
	validate_all();
}

/* Objects left in a cache that is destroyed are listed with their tracks. */
static void test_objects_remaining(void **state)
{
	struct kmem_cache *s;
	void *a, *b, *c;

	boot_debug("mem=256M slub_debug=FZPU,sd_test");
	s = kmem_cache_create("sd_test", 100, 0, 0, NULL);
	assert_non_null(s);
	assert_int_equal(s->flags & SLAB_DEBUG_FLAGS, FZPU);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	c = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, b);
	validate_all();
	kmem_cache_destroy(s);
	assert_dmesg("BUG sd_test (Not tainted): Objects remaining");
	assert_dmesg("Object 0x%016lx @offset=", ka(a));
	assert_dmesg("Object 0x%016lx @offset=", ka(c));
	/* The freed one is not listed. */
	char freed[64];

	snprintf(freed, sizeof(freed), "Object 0x%016lx @offset=", ka(b));
	assert_false(dmesg_contains(freed));
	assert_true(get_taint() & (1UL << TAINT_BAD_PAGE));
}

/* Caches not named in the list are not debugged; T traces the named one. */
static void test_trace_and_lists(void **state)
{
	void *p, *q;

	boot_debug("mem=256M slub_debug=T,kmalloc-96");
	assert_int_equal(kmem_cache_find("kmalloc-96")->flags & SLAB_DEBUG_FLAGS, SLAB_TRACE);
	assert_int_equal(kmem_cache_find("kmalloc-64")->flags & SLAB_DEBUG_FLAGS, 0);
	p = kmalloc(96, GFP_KERNEL);
	assert_dmesg("TRACE kmalloc-96 alloc 0x%016lx inuse=", ka(p));
	q = kmalloc(64, GFP_KERNEL);
	assert_false(dmesg_contains("TRACE kmalloc-64"));
	kfree(p);
	kfree(q);
	assert_dmesg("TRACE kmalloc-96 free 0x%016lx inuse=", ka(p));
	validate_all();
}

/* The CPU in the track is the allocating CPU. */
static void test_track_cpu(void **state)
{
	void *a, *b;

	boot_debug("mem=256M cpus=2 slub_debug=FZPU,kmalloc-192");
	assert_int_equal(linmm_cpu_enter(1), 0);
	a = kmalloc(192, GFP_KERNEL);
	b = kmalloc(192, GFP_KERNEL);
	kfree(a);
	kfree(a);
	linmm_cpu_enter(0);
	assert_dmesg("BUG kmalloc-192 (Not tainted): Object already free\n");
	assert_dmesg(" age=0 cpu=1 pid=0\n");
	kfree(b);
	validate_all();
}

/* ---- threads ---- */

struct thread_arg {
	int cpu;
	int failed;
};

/* Random kmalloc/kfree on one CPU, every object written in full (its request). */
static void *thread_kmalloc(void *p)
{
	struct thread_arg *arg = p;
	void *objs[128];
	u64 r = 0x9E3779B97F4A7C15ULL * (u64)(arg->cpu + 1);
	int n = 0;

	linmm_cpu_enter(arg->cpu);
	for (int i = 0; i < 4000; i++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		if (n && (r % 2 || n == 128)) {
			int k = (int)((r >> 8) % (u64)n);

			kfree(objs[k]);
			objs[k] = objs[--n];
		} else {
			size_t size = 1 + (r >> 16) % 512;

			objs[n] = kmalloc(size, GFP_KERNEL);
			if (!objs[n]) {
				arg->failed++;
				continue;
			}
			memset(objs[n++], 0x77, size);
		}
	}
	while (n)
		kfree(objs[--n]);
	linmm_cpu_leave();
	return NULL;
}

/* Debug caches under concurrent use: no false report, every cache sound. */
static void test_threads(void **state)
{
	struct thread_arg args[4];
	linmm_host_thread_t *t[4];

	boot_debug("mem=512M cpus=4 slub_debug=FZPU");
	linmm_cpu_leave();		/* CPU 0 is a worker's */
	for (int i = 0; i < 4; i++) {
		args[i] = (struct thread_arg){ .cpu = i };
		assert_int_equal(linmm_host_thread_create(&t[i], thread_kmalloc, &args[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(linmm_host_thread_join(t[i]), 0);
		assert_int_equal(args[i].failed, 0);
	}
	linmm_cpu_enter(0);
	assert_false(dmesg_contains("BUG "));
	assert_int_equal(get_taint(), 0);
	validate_all();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_parse, shutdown_after),
		cmocka_unit_test_teardown(test_boot_param, shutdown_after),
		cmocka_unit_test_teardown(test_layout, shutdown_after),
		cmocka_unit_test_teardown(test_right_redzone_kmalloc32, shutdown_after),
		cmocka_unit_test_teardown(test_right_redzone_kmalloc64, shutdown_after),
		cmocka_unit_test_teardown(test_left_redzone, shutdown_after),
		cmocka_unit_test_teardown(test_kmalloc_redzone, shutdown_after),
		cmocka_unit_test_teardown(test_ksize_krealloc, shutdown_after),
		cmocka_unit_test_teardown(test_poison_validate, shutdown_after),
		cmocka_unit_test_teardown(test_poison_alloc, shutdown_after),
		cmocka_unit_test_teardown(test_double_free, shutdown_after),
		cmocka_unit_test_teardown(test_invalid_pointer, shutdown_after),
		cmocka_unit_test_teardown(test_padding, shutdown_after),
		cmocka_unit_test_teardown(test_freepointer_corrupt, shutdown_after),
		cmocka_unit_test_teardown(test_validate_allocated, shutdown_after),
		cmocka_unit_test_teardown(test_slab_padding, shutdown_after),
		cmocka_unit_test_teardown(test_alignment_padding, shutdown_after),
		cmocka_unit_test_teardown(test_ctor_not_poisoned, shutdown_after),
		cmocka_unit_test_teardown(test_objects_remaining, shutdown_after),
		cmocka_unit_test_teardown(test_trace_and_lists, shutdown_after),
		cmocka_unit_test_teardown(test_track_cpu, shutdown_after),
		cmocka_unit_test_teardown(test_threads, shutdown_after),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
