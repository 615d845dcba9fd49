/* Reference counts. Every handle's count is atomic: a router's last reference may go on any
 * thread, and it walks down to the resolution, the configuration snapshot, the segments of
 * objects and the context. */
#ifndef GW_UTIL_REFCOUNT_H
#define GW_UTIL_REFCOUNT_H

#include <stdbool.h>
#include <stddef.h>

typedef size_t gw_refcount;

static inline void
gw_ref_init(gw_refcount *refs)
{
    __atomic_store_n(refs, 1, __ATOMIC_RELAXED);
}

static inline void
gw_ref_inc(gw_refcount *refs)
{
    __atomic_add_fetch(refs, 1, __ATOMIC_RELAXED);
}

/* True when this was the last reference: the caller frees. The acquire-release order makes
 * every write of the other holders visible to the one that frees. */
static inline bool
gw_ref_dec(gw_refcount *refs)
{
    return __atomic_sub_fetch(refs, 1, __ATOMIC_ACQ_REL) == 0;
}

/* n references at once (n > 0), and n dropped at once: true when these were the last. */
static inline void
gw_ref_add(gw_refcount *refs, size_t n)
{
    __atomic_add_fetch(refs, n, __ATOMIC_RELAXED);
}

static inline bool
gw_ref_sub(gw_refcount *refs, size_t n)
{
    return __atomic_sub_fetch(refs, n, __ATOMIC_ACQ_REL) == 0;
}

#endif
