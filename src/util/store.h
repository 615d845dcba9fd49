/* Memory shared between versions. A resolution or a router built from an earlier one points
 * into the earlier one's memory for everything the change left alone, so that memory lives
 * as long as any version that points into it: a store is an arena with a reference count, and
 * a version holds its own store and a reference to each store it inherits. */
#ifndef GW_UTIL_STORE_H
#define GW_UTIL_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/refcount.h"

struct gw_store {
    gw_refcount refs;
    struct gw_arena arena;
    void (*finish)(struct gw_store *store); /* what else to free with it, or NULL */
};

/* The stores of one version: items[0] is its own, the rest inherited, oldest first. */
struct gw_stores {
    struct gw_store **items;
    size_t n;
};

/* A new store of size bytes (at least sizeof(struct gw_store)), its arena growing by chunk
 * bytes; the caller may embed the store at the start of a larger struct. NULL when out of
 * memory. */
struct gw_store *gw_store_new(const gwapi_ctx *ctx, size_t size, size_t chunk);
void gw_store_unref(struct gw_store *store);

/* A version's stores: own, a new one, then every store of from (when from is not NULL), each
 * referenced once more. False when out of memory (nothing is then held). */
bool gw_stores_init(struct gw_stores *s, const gwapi_ctx *ctx, struct gw_store *own,
                    const struct gw_stores *from);
void gw_stores_release(struct gw_stores *s, const gwapi_ctx *ctx);
/* The bytes of the inherited stores that are not the first version's (the one built from
 * scratch): what the versions built since have added, some of it superseded. */
size_t gw_stores_added_bytes(const struct gw_stores *s);

#endif
