/* Repeated keys spotted in linear time: a hash index over items that the caller keeps in its
 * own array (the keys of a map being decoded, the anchors of a YAML document), each item
 * starting with its key (a const char *). A map of a million keys then costs a million
 * probes, not a million squared comparisons. */
#ifndef GW_UTIL_KEYSET_H
#define GW_UTIL_KEYSET_H

#include <stddef.h>
#include <stdint.h>

#include "gatewayapi/context.h"

struct gw_keyset {
    const gwapi_ctx *ctx;
    size_t stride;    /* bytes from one item to the next */
    uint32_t *slots;  /* position + 1 in the caller's array; 0: empty */
    size_t mask;      /* slots - 1, or 0 before the first insert */
    size_t count;
};

/* An empty index of items of stride bytes; it allocates on its first insert. */
void gw_keyset_init(struct gw_keyset *set, const gwapi_ctx *ctx, size_t stride);
/* The position in items of an inserted item whose key equals key, or SIZE_MAX. */
size_t gw_keyset_find(const struct gw_keyset *set, const void *items, const char *key);
/* Index position at, whose key is not in the index yet and stays while the index lives.
 * Returns 0, or GWAPI_ENOMEM / GWAPI_ELIMIT (past 2^31 items). */
int gw_keyset_insert(struct gw_keyset *set, const void *items, size_t at);
void gw_keyset_clear(struct gw_keyset *set);
void gw_keyset_release(struct gw_keyset *set);

#endif
