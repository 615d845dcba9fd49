/* Sets of pointers kept as arrays sorted by address: what an update dropped and added, found
 * by bsearch without reading what they point to. */
#ifndef GW_UTIL_ADDRESSES_H
#define GW_UTIL_ADDRESSES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* qsort()/bsearch() order of two pointers, given the addresses of the array items. */
static inline int
gw_by_address(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(const void *const *)a, y = (uintptr_t)*(const void *const *)b;
    return x < y ? -1 : x > y;
}

static inline void
gw_addresses_sort(const void **items, size_t n)
{
    if (n > 1)
        qsort(items, n, sizeof(*items), gw_by_address);
}

static inline bool
gw_addresses_have(const void *const *items, size_t n, const void *p)
{
    return n && bsearch(&p, items, n, sizeof(*items), gw_by_address);
}

#endif
