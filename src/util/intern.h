/* Sharing of short strings within one load: manifests repeat the same few values ("Service",
 * "PathPrefix", namespace and host names) thousands of times. A small direct-mapped cache of
 * recent strings catches most repeats at the cost of one hash: a full table would catch every
 * repeat but costs more time than it saves memory (measured on the 10,000-route workload). */
#ifndef GW_UTIL_INTERN_H
#define GW_UTIL_INTERN_H

#include <stddef.h>

#include "util/arena.h"

#define GW_INTERN_SLOTS 1024

struct gw_interner {
    struct gw_arena *arena; /* where the strings live */
    const char *slots[GW_INTERN_SLOTS];
};

void gw_interner_init(struct gw_interner *in, struct gw_arena *arena);
/* A copy of s[0..len) in the arena, shared with an equal earlier one when the cache has it;
 * NULL when out of memory. */
const char *gw_intern(struct gw_interner *in, const char *s, size_t len);

#endif
