/* SPDX-License-Identifier: MIT */
/*
 * machine.c - boot and shut down the simulated machine
 * (init/main.c start_kernel, arch/x86/kernel/setup.c setup_arch,
 * mm/mm_init.c mm_core_init), plus the machine-wide odds and ends:
 * simulated CPUs, taint flags and the last error message.
 *
 * Boot order, as the kernel does it:
 *
 *   linmm_parse_cmdline          the command line
 *   setup_arch:
 *     e820__memory_setup         firmware map (+ memmap=)
 *     trim_low_memory            e820 update of page 0, legacy hole removed
 *     max_pfn, max_low_pfn       "last_pfn = ... max_arch_pfn = ..."
 *     memblock + reservations    first 1 MiB, kernel image
 *     numa_init                  nodes, SRAT lines
 *     node RAM + direct map      one memfd per node, init_memory_mapping
 *     init_mm_init               init_mm's page tables (direct map), the vmalloc window
 *     NODE_DATA(n) allocated     pg_data_t in simulated RAM
 *     sparse_init                memmap (vmemmap) per present section
 *     setup_per_cpu_areas        percpu chunks from memblock
 *   vmstat_init, free_area_init  zones, memmap init, "On node ..." lines
 *   mm_core_init:
 *     build_all_zonelists        "Built N zonelists ..."
 *     memblock_free_all          memory to the buddy allocator
 *     mem_init_print_info        "Memory: ..."
 *     kmem_cache_init            SLUB and the kmalloc caches ("SLUB: HWalign=...")
 *     vmalloc_init               the vmap_area trees; page faults in the windows oops
 *   setup_per_cpu_pageset, init_per_zone_wmark_min (postcore initcalls)
 *   free_initmem                 "Freeing unused kernel image (initmem) memory"
 *
 * Shutdown releases everything in reverse; it is safe after a failed boot
 * at any step, so linmm_boot() unwinds by calling it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linmm/fault-inject.h>
#include <linmm/ioport.h>
#include <linmm/linmm.h>
#include <linmm/mman.h>
#include <linmm/sched.h>
#include <linmm/vmstat.h>
#include <linmm/writeback.h>

#include "arch/x86/e820.h"
#include "arch/x86/numa.h"
#include "kernel/host.h"
#include "fs/internal.h"
#include "kernel/machine.h"
#include "kernel/trace/trace.h"
#include "kernel/physmem.h"
#include "mm/internal.h"
#include "mm/slab.h"

struct linmm_boot_params boot_params;
bool linmm_booted;
unsigned long linmm_boot_seq;
struct pglist_data *node_data[MAX_NUMNODES];
int nr_online_nodes;
unsigned int nr_cpu_ids;
_Thread_local int linmm_this_cpu __linmm_tls;
unsigned long max_pfn, max_low_pfn, min_low_pfn;
_Atomic long _totalram_pages;
unsigned long totalhigh_pages_count;
unsigned long pcpu_nr_pages;

static char last_error[1024];
static _Atomic unsigned long taint_mask;

/* From arch/x86/init.c. */
int init_direct_map_window(void);
int init_mem_mapping(void);
void direct_map_teardown(void);
void print_virtual_kernel_memory_layout(void);

#define PCPU_UNIT_PAGES 53	/* static + reserved + dynamic percpu area of one CPU */

void linmm_set_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
}

const char *linmm_last_error(void)
{
	return last_error;
}

void add_taint(unsigned int flag)
{
	atomic_fetch_or(&taint_mask, 1UL << flag);
}

unsigned long get_taint(void)
{
	return atomic_load(&taint_mask);
}

const char *print_tainted(void)
{
	/* kernel/panic.c taint_flags[]: the letter when set (P's is 'G' when clear). */
	static const char letters[] = "PFSRMBUDAWCIOELKXTNJ";
	static _Thread_local char buf[sizeof("Tainted: ") + sizeof(letters)];
	unsigned long mask = get_taint();
	size_t n = sizeof("Tainted: ") - 1;

	if (!mask)
		return "Not tainted";
	memcpy(buf, "Tainted: ", n);
	for (size_t i = 0; i < sizeof(letters) - 1; i++)
		buf[n + i] = mask & (1UL << i) ? letters[i] : (i ? ' ' : 'G');
	buf[n + sizeof(letters) - 1] = '\0';
	return buf;
}

/*
 * CPU occupancy (smp.h): cpu_occupancy[cpu] is CPU_FREE, CPU_OCCUPIED (a
 * thread entered it) or CPU_CLAIMED (another thread acts as it, e.g. SLUB
 * flushing its per-CPU slabs).  entered_cpu is the CPU this thread occupies.
 */
enum { CPU_FREE, CPU_OCCUPIED, CPU_CLAIMED };
static _Atomic int cpu_occupancy[NR_CPUS];
static _Thread_local int entered_cpu = -1;

static void cpu_occupancy_reset(void)
{
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		atomic_store(&cpu_occupancy[cpu], CPU_FREE);
	entered_cpu = -1;
}

void linmm_cpu_leave(void)
{
	if (entered_cpu >= 0)
		atomic_store_explicit(&cpu_occupancy[entered_cpu], CPU_FREE, memory_order_release);
	entered_cpu = -1;
	linmm_this_cpu = 0;
}

bool linmm_cpu_claim(int cpu)
{
	int expected = CPU_FREE;

	return atomic_compare_exchange_strong_explicit(&cpu_occupancy[cpu], &expected, CPU_CLAIMED,
						       memory_order_acquire, memory_order_relaxed);
}

void linmm_cpu_unclaim(int cpu)
{
	atomic_store_explicit(&cpu_occupancy[cpu], CPU_FREE, memory_order_release);
}

int linmm_cpu_enter(int cpu)
{
	if (cpu < 0 || (unsigned int)cpu >= nr_cpu_ids)
		return -EINVAL;
	if (entered_cpu == cpu)
		return 0;
	linmm_cpu_leave();
	for (;;) {
		int cur = CPU_FREE;

		if (atomic_compare_exchange_weak_explicit(&cpu_occupancy[cpu], &cur, CPU_OCCUPIED,
							  memory_order_acquire, memory_order_relaxed))
			break;
		if (cur == CPU_OCCUPIED)	/* two threads on one CPU: the caller's bug */
			break;
		if (cur == CPU_CLAIMED)
			linmm_host_yield();
	}
	entered_cpu = cpu;
	linmm_this_cpu = cpu;
	/* A thread that exits leaves its CPU. */
	linmm_host_thread_atexit(linmm_cpu_leave);
	return 0;
}

static void print_banner(void)
{
	pr_notice("Linux version 6.18.0-linmm (linmm@linmm) (linmm %s) #1 SMP PREEMPT_DYNAMIC\n",
		  LINMM_VERSION);
	pr_info("Command line: %s\n", boot_params.cmdline);
}

static int check_machine_size(void)
{
	const struct linmm_arch *a = boot_params.arch;
	struct linmm_kernel_image img;
	u64 need;

	linmm_kernel_image_layout(a, &img);
	need = ALIGN(img.end + 32 * SZ_1M, 16 * SZ_1M);
	if (boot_params.mem < need) {
		linmm_set_error("mem=%lluM: machine too small to boot: the %s kernel image ends at "
				"%lluM and needs 32M above it; use mem=%lluM or more",
				(unsigned long long)(boot_params.mem >> 20), a->name,
				(unsigned long long)(img.end >> 20), (unsigned long long)(need >> 20));
		return -EINVAL;
	}
	if (a->bits == 64 && boot_params.mem + SZ_1G > (1ULL << a->max_physmem_bits)) {
		linmm_set_error("mem=%lluG: larger than the %d-bit physical address space of arch=%s "
				"(%lluT with the PCI hole)", (unsigned long long)(boot_params.mem >> 30),
				a->max_physmem_bits, a->name,
				(unsigned long long)(1ULL << (a->max_physmem_bits - 40)));
		return -E2BIG;
	}
	if (boot_params.nr_nodes > 1 && !a->numa) {
		linmm_set_error("nodes=%d: arch=%s is built without NUMA (CONFIG_NUMA); use nodes=1",
				boot_params.nr_nodes, a->name);
		return -EINVAL;
	}
	if (boot_params.nr_nodes > 1 && boot_params.model == LINMM_FLATMEM) {
		linmm_set_error("nodes=%d: memory_model=flatmem supports one node; use "
				"memory_model=sparsemem", boot_params.nr_nodes);
		return -EINVAL;
	}
	return 0;
}

/* Trim RAM the arch cannot address (x86_32 without PAE above 4 GiB). */
static void trim_unaddressable(void)
{
	const struct linmm_arch *a = linmm_arch;
	u64 limit = 1ULL << a->max_physmem_bits;

	if (PFN_PHYS(e820__end_of_ram_pfn(~0UL)) <= limit)
		return;
	e820__range_remove(limit, ~0ULL - limit, E820_TYPE_RAM, true);
	pr_warn("Warning only %lluGB will be used.\n", (unsigned long long)(limit >> 30));
	if (a->max_physmem_bits == 32)
		pr_warn("Use a HIGHMEM64G enabled kernel.\n");
}

static int reserve_kernel_image(void)
{
	struct linmm_kernel_image img;

	linmm_kernel_image_layout(linmm_arch, &img);
	/* x86 reserves the first 1 MiB (BIOS, real mode trampoline) and the image. */
	if (memblock_reserve(0, SZ_1M))
		return -ENOMEM;
	return memblock_reserve(img.start, img.end - img.start);
}

static int setup_node_data(void)
{
	int nid;

	for_each_online_node(nid) {
		phys_addr_t size = ALIGN(sizeof(pg_data_t), 64);
		phys_addr_t pa = memblock_phys_alloc_try_nid(size, 64, nid);

		if (!pa) {
			linmm_set_error("no memory for NODE_DATA(%d)", nid);
			return -ENOMEM;
		}
		node_data[nid] = __va(pa);
		memset(node_data[nid], 0, size);
		pr_info("NODE_DATA(%d) allocated [mem %#010llx-%#010llx]\n", nid,
			(unsigned long long)pa, (unsigned long long)(pa + size - 1));
	}
	return 0;
}

static int setup_physmem(void)
{
	int nid, ret;

	for_each_online_node(nid) {
		ret = physmem_node_init(nid, numa_node_start[nid],
					numa_node_end[nid] - numa_node_start[nid]);
		if (ret) {
			linmm_set_error("the host refused a %lluM memfd for node %d (%d)",
					(unsigned long long)((numa_node_end[nid] - numa_node_start[nid]) >> 20),
					nid, ret);
			return ret;
		}
	}
	ret = init_direct_map_window();
	return ret ? ret : init_mem_mapping();
}

/* setup_per_cpu_areas(): one embedded percpu unit per CPU, on the CPU's node. */
static int setup_per_cpu_areas(void)
{
	u64 unit = rounddown_pow_of_two(PCPU_UNIT_PAGES * PAGE_SIZE) * 2;

	pr_info("setup_percpu: NR_CPUS:%d nr_cpumask_bits:%u nr_cpu_ids:%u nr_node_ids:%d\n",
		NR_CPUS, nr_cpu_ids, nr_cpu_ids, nr_online_nodes);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (!memblock_phys_alloc_try_nid(unit, PAGE_SIZE, cpu_to_node((int)cpu)))
			return -ENOMEM;
	pcpu_nr_pages = (unsigned long)nr_cpu_ids * PCPU_UNIT_PAGES;
	pr_info("percpu: Embedded %d pages/cpu s%d r%d d%d u%llu\n", PCPU_UNIT_PAGES, 185560,
		0, 31528, (unsigned long long)unit);
	return 0;
}

/* free_initmem(): the .init section goes back to the page allocator. */
static void free_initmem(void)
{
	struct linmm_kernel_image img;
	unsigned long spfn, epfn;

	linmm_kernel_image_layout(linmm_arch, &img);
	spfn = PFN_UP(img.init_start);
	epfn = PFN_DOWN(img.init_end);
	for (unsigned long pfn = spfn; pfn < epfn; pfn++) {
		ClearPageReserved(pfn_to_page(pfn));
		__free_pages_core(pfn_to_page(pfn), 0);
	}
	if (memblock_phys_free(PFN_PHYS(spfn), PFN_PHYS(epfn - spfn)))
		return;
	pr_info("Freeing unused kernel image (initmem) memory: %luK\n",
		(epfn - spfn) << (PAGE_SHIFT - 10));
}

static int setup_arch(void)
{
	const struct linmm_arch *a = linmm_arch;
	unsigned long max_arch_pfn = 1UL << (a->max_physmem_bits - PAGE_SHIFT);
	int ret;

	ret = e820__memory_setup(&boot_params);
	if (ret)
		return ret;
	if (a->bits == 64)
		pr_info("NX (Execute Disable) protection: active\n");
	e820__range_update(0, PAGE_SIZE, E820_TYPE_RAM, E820_TYPE_RESERVED);
	e820__range_remove(0xa0000, 0x100000 - 0xa0000, E820_TYPE_RAM, true);
	trim_unaddressable();

	max_pfn = e820__end_of_ram_pfn(max_arch_pfn);
	pr_info("last_pfn = %#lx max_arch_pfn = %#lx\n", max_pfn, max_arch_pfn);
	if (a->lowmem_limit) {
		max_low_pfn = min(max_pfn, (unsigned long)PHYS_PFN(a->lowmem_limit));
		if (max_pfn > max_low_pfn)
			pr_info("%luMB HIGHMEM available.\n", (max_pfn - max_low_pfn) >> (20 - PAGE_SHIFT));
		pr_notice("%luMB LOWMEM available.\n", max_low_pfn >> (20 - PAGE_SHIFT));
	} else {
		max_low_pfn = e820__end_of_ram_pfn(1UL << (32 - PAGE_SHIFT));
		if (max_pfn > max_low_pfn)
			pr_info("last_pfn = %#lx max_arch_pfn = %#lx\n", max_low_pfn, max_arch_pfn);
	}

	memblock_init();
	if (!memblock.memory.regions)
		return -ENOMEM;
	ret = e820__memblock_setup();
	if (!ret)
		ret = reserve_kernel_image();
	if (ret)
		return ret;
	memblock_set_current_limit(a->lowmem_limit ? PFN_PHYS(max_low_pfn) : MEMBLOCK_ALLOC_ANYWHERE);

	ret = numa_init(&boot_params);
	if (ret)
		return ret;
	if (a->lowmem_limit) {
		pr_info("  mapped low ram: 0 - %08llx\n", (unsigned long long)PFN_PHYS(max_low_pfn));
		pr_info("  low ram: 0 - %08llx\n", (unsigned long long)PFN_PHYS(max_low_pfn));
	}
	ret = setup_physmem();
	if (ret)
		return ret;
	ret = init_mm_init();
	if (ret)
		return ret;
	ret = setup_node_data();
	if (ret)
		return ret;
	ret = sparse_init();
	if (ret)
		return ret;
	return setup_per_cpu_areas();
}

int linmm_boot(const char *cmdline)
{
	char err[sizeof(last_error)];
	int ret;

	if (linmm_booted) {
		linmm_set_error("a machine is already booted: call linmm_shutdown() first");
		return -EBUSY;
	}
	last_error[0] = '\0';
	linmm_boot_seq++;
	if (!cmdline || !*cmdline)
		cmdline = LINMM_DEFAULT_CMDLINE;
	ret = linmm_parse_cmdline(cmdline, &boot_params, err, sizeof(err));
	if (ret) {
		linmm_set_error("%s", err);
		return ret;
	}
	ret = check_machine_size();
	if (ret)
		return ret;

	linmm_printk_reset();
	linmm_clock_reset();
	atomic_store(&taint_mask, 0);
	linmm_arch = boot_params.arch;
	nr_cpu_ids = (unsigned int)boot_params.nr_cpus;
	linmm_this_cpu = 0;
	cpu_occupancy_reset();

	print_banner();
	fail_page_alloc_reset();
	/* __setup("slub_debug"): unknown letters are reported in dmesg and skipped. */
	slub_debug_reset();
	if (boot_params.slub_debug_given && setup_slub_debug(boot_params.slub_debug))
		last_error[0] = '\0';
	ret = setup_arch();
	if (ret)
		goto fail;
	/* The kmap state (pkmap window, page_address hash); needs the kernel layout. */
	page_address_init();
	vmstat_init();
	ret = free_area_init();
	if (ret)
		goto fail;
	build_all_zonelists();
	memblock_free_all();
	mem_init_print_info();
	ret = kmem_cache_init();
	if (ret)
		goto fail;
	ret = vmalloc_init();
	if (ret)
		goto fail;
	print_virtual_kernel_memory_layout();
	setup_per_cpu_pageset();
	init_per_zone_wmark_min();
	page_writeback_init();
	vfs_caches_init();	/* linmmfs mounts at the first file call */
	mm_util_init();
	free_initmem();
	ret = e820__reserve_resources();
	if (ret)
		goto fail;
	/* Fault injection starts once the machine is up, as a late initcall would. */
	if (boot_params.fail_page_alloc[0] &&
	    setup_fault_attr(&fail_page_alloc.attr, boot_params.fail_page_alloc)) {
		ret = -EINVAL;
		goto fail;
	}
	if (boot_params.failslab[0] && setup_fault_attr(&failslab.attr, boot_params.failslab)) {
		ret = -EINVAL;
		goto fail;
	}
	/* The vmstat worker would have folded the per-CPU deltas by now. */
	refresh_vm_stats();
	linmm_booted = true;
	trace_events_machine_up(true);	/* as tracing starts after mm_core_init() */
	return 0;
fail:
	if (!last_error[0])
		linmm_set_error("boot failed: %s", strerror(-ret));
	linmm_shutdown();
	return ret;
}

void linmm_shutdown(void)
{
	trace_events_machine_up(false);
	exit_all_tasks();
	vfs_teardown();		/* unmount linmmfs: its pages and ram0 */
	iomem_teardown();
	kmem_cache_teardown();
	mm_init_teardown();
	sparse_teardown();
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		node_data[nid] = NULL;
	vmalloc_teardown();
	init_mm_teardown();
	direct_map_teardown();
	physmem_teardown();
	numa_teardown();
	memblock_teardown();
	e820__teardown();
	max_pfn = max_low_pfn = min_low_pfn = 0;
	atomic_store(&_totalram_pages, 0);
	totalhigh_pages_count = 0;
	pcpu_nr_pages = 0;
	nr_cpu_ids = 0;
	linmm_arch = NULL;
	linmm_booted = false;
}
