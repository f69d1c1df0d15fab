/* SPDX-License-Identifier: MIT */
/*
 * highmem.h - temporary kernel mappings of pages (mm/highmem.c).
 *
 * Mirrors include/linux/highmem.h.  On arch=x86_32 (with or without PAE)
 * pages above 896 MiB (ZONE_HIGHMEM) have no permanent kernel address:
 * kmap() maps one into the pkmap window (LAST_PKMAP slots, reference
 * counted, flushed when the window wraps), kmap_local_page() and
 * kmap_atomic() into per-CPU fixmap slots (nesting, KM_MAX_IDX deep).
 * On x86_64 every page is in the direct map and these return
 * page_address().
 */
#ifndef LINMM_HIGHMEM_H
#define LINMM_HIGHMEM_H

#include <linmm/mm.h>

void *kmap(struct page *page);
void kunmap(struct page *page);
void *kmap_local_page(struct page *page);
void kunmap_local(const void *addr);
void *kmap_atomic(struct page *page);
void kunmap_atomic(const void *addr);
/* The pkmap address of a kmapped highmem page, NULL if none (page_address() helper). */
void *page_address_highmem(const struct page *page);

void clear_highpage(struct page *page);
void zero_user_segment(struct page *page, unsigned int start, unsigned int end);
void copy_highpage(struct page *to, struct page *from);
void memcpy_to_page(struct page *page, size_t offset, const char *from, size_t len);
void memcpy_from_page(char *to, struct page *page, size_t offset, size_t len);

#endif /* LINMM_HIGHMEM_H */
