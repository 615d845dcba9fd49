/* Building a router's tables (compile.c): the pieces that the build from scratch and the
 * update (update.c) share. */
#ifndef GW_ROUTER_BUILD_H
#define GW_ROUTER_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "resolve/resolve.h"
#include "router/router.h"

struct rt_builder {
    gwapi_router *rt;
    gwapi_resolution *res;
    gwapi_diags *diags;
    bool owned;                      /* tables' arrays are the router's own (an update) */
    bool oom;
};

struct rt_keyed {                    /* an entry and the effective hostname it is filed under */
    const char *host;                /* NULL: hostless */
    const struct rt_entry *entry;
};

struct rt_entry_list {
    struct rt_keyed *items;
    size_t n, cap;
};

/* Memory: in the router's store (shared with the routers updated from it), or for a table's
 * arrays of tiers and index slots, the router's own when b->owned. */
void *gw_rt_balloc(struct rt_builder *b, size_t size);
void *gw_rt_table_alloc(struct rt_builder *b, size_t size);

/* A router with nothing in it yet, in its own store, inheriting from's stores (or NULL). */
gwapi_router *gw_rt_router_new(gwapi_resolution *res, const char *gateway,
                              const gwapi_router *from);
int gw_rt_compile_full(gwapi_router **out, gwapi_resolution *res, const char *gateway,
                    gwapi_diags *diags);
/* Report regular expressions left to the interpreter; false when out of memory. */
bool gw_rt_report_interpreted(gwapi_router *rt, gwapi_diags *diags);

const struct gw_gateway *gw_rt_find_gateway(const gwapi_resolution *res, const char *id);
void gw_rt_gateway_listeners(const struct gw_gateway *g, struct gw_listener *const **listeners,
                          size_t *n);

/* The entries of one attachment, into http or grpc by the route's kind. */
void gw_rt_route_entries(struct rt_builder *b, struct rt_entry_list *http,
                      struct rt_entry_list *grpc, const struct gw_attachment *a);
bool gw_rt_is_stream_route(const gwapi_object *route);
void gw_rt_compile_streams(struct rt_builder *b, struct rt_listener *out,
                           const struct gw_listener *l);

/* A table's next tier for host (exact, "*.suffix" or NULL: hostless), in arrays with room for
 * it; then its entries; then, once every tier is in, the table's hash indices. */
struct rt_tier *gw_rt_tier_for(struct rt_builder *b, struct rt_table *table, const char *host);
void gw_rt_fill_tier(struct rt_builder *b, struct rt_tier *t, const struct rt_entry *const *entries,
                  size_t n);
void gw_rt_index_tiers(struct rt_builder *b, struct rt_table *table);

#endif
