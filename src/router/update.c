/* Updating a router: after a resolution updated from its router's (gwapi_resolution_update()),
 * only the host tiers that hold the routes it re-resolved are built again, from the entries
 * the old tier kept and those of the new versions; every other tier, and the entries and rules
 * of every other route, are shared with the old router. A listener's TLS, TCP and UDP routes
 * are gathered again when one of them changed. Anything else makes the router from scratch,
 * as gwapi_router_new() would: either way the result is the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "resolve/resolve.h"
#include "router/build.h"
#include "router/router.h"
#include "util/addresses.h"
#include "util/context.h"
#include "util/diag.h"

/* Is route in list (sorted by address, as a resolution's dropped and added are)? */
static bool
listed(const gwapi_object *const *list, size_t n, const gwapi_object *route)
{
    return gw_addresses_have((const void *const *)list, n, route);
}

/* The host keys of one table that the update touches: an exact host, "*.suffix", or NULL for
 * the hostless tier. */
struct keys {
    const char **items;
    size_t n, cap;
    bool oom;
};

static bool
same_key(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static void
add_key(const gwapi_ctx *ctx, struct keys *k, const char *host)
{
    for (size_t i = 0; i < k->n; i++)
        if (same_key(k->items[i], host))
            return;
    if (gw_grow(ctx, (void **)&k->items, &k->cap, k->n + 1, sizeof(*k->items))) {
        k->oom = true;
        return;
    }
    k->items[k->n++] = host;
}

static void
add_keys(const gwapi_ctx *ctx, struct keys *k, const struct gw_attachment *a)
{
    if (!a->n_hostnames)
        add_key(ctx, k, NULL);
    for (size_t h = 0; h < a->n_hostnames; h++)
        add_key(ctx, k, a->hostnames[h]);
}

/* The entries a tier is built from: those of the old tier whose route stays, and the new. */
struct gather {
    const struct rt_entry **items;
    size_t n, cap;
};

static bool
gather_entry(struct rt_builder *b, struct gather *g, const struct rt_entry *e)
{
    if (gw_grow(b->res->ctx, (void **)&g->items, &g->cap, g->n + 1, sizeof(*g->items))) {
        b->oom = true;
        return false;
    }
    g->items[g->n++] = e;
    return true;
}

static void
gather_buckets(struct rt_builder *b, struct gather *g, const struct rt_path_bucket *buckets,
               size_t n)
{
    const gwapi_resolution *res = b->res;

    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < buckets[i].n; k++)
            if (!listed(res->dropped, res->n_dropped, buckets[i].entries[k]->rule->route))
                gather_entry(b, g, buckets[i].entries[k]);
}

static void
gather_tier(struct rt_builder *b, struct gather *g, const struct rt_tier *t)
{
    const gwapi_resolution *res = b->res;

    if (!t)
        return;
    gather_buckets(b, g, t->exact, t->n_exact);
    gather_buckets(b, g, t->prefix, t->n_prefix);
    for (size_t k = 0; k < t->n_regex; k++)
        if (!listed(res->dropped, res->n_dropped, t->regex[k]->rule->route))
            gather_entry(b, g, t->regex[k]);
}

/* The old table's tier for a key, or NULL. */
static const struct rt_tier *
old_tier(const struct rt_table *old, const char *key)
{
    if (!key)
        return old->any;
    if (strncmp(key, "*.", 2) == 0)
        return rt_find_tier(old->wildcard, &old->wildcard_index, key + 2, strlen(key) - 2,
                            rt_host_hash(key + 2, strlen(key) - 2));
    return rt_find_tier(old->exact, &old->exact_index, key, strlen(key),
                        rt_host_hash(key, strlen(key)));
}

/* Drop the tiers left empty (host NULL) from an array. */
static size_t
compact_tiers(struct rt_tier *tiers, size_t n)
{
    size_t kept = 0;

    for (size_t i = 0; i < n; i++)
        if (tiers[i].host)
            tiers[kept++] = tiers[i];
    return kept;
}

/* One table: the old one's tiers copied into arrays of the router's own, the tiers of the keys
 * built again (or dropped when empty, or added), the indices made anew. */
static void
update_table(struct rt_builder *b, struct rt_table *table, const struct rt_table *old,
             const struct keys *keys, const struct rt_entry_list *added)
{
    size_t n_exact = 0, n_wildcard = 0;
    struct gather g = { NULL, 0, 0 };

    for (size_t k = 0; k < keys->n; k++) {
        if (!keys->items[k])
            continue;
        if (strncmp(keys->items[k], "*.", 2) == 0)
            n_wildcard++;
        else
            n_exact++;
    }
    table->exact = gw_rt_table_alloc(b, (old->n_exact + n_exact + 1) * sizeof(*table->exact));
    table->wildcard = gw_rt_table_alloc(b, (old->n_wildcard + n_wildcard + 1) *
                                            sizeof(*table->wildcard));
    if (!table->exact || !table->wildcard)
        return;
    if (old->n_exact)
        memcpy(table->exact, old->exact, old->n_exact * sizeof(*table->exact));
    if (old->n_wildcard)
        memcpy(table->wildcard, old->wildcard, old->n_wildcard * sizeof(*table->wildcard));
    /* New hosts go after the copies (gw_rt_tier_for() appends). */
    table->n_exact = old->n_exact;
    table->n_wildcard = old->n_wildcard;
    for (size_t k = 0; k < keys->n && !b->oom; k++) {
        const char *key = keys->items[k];
        const struct rt_tier *was = old_tier(old, key);
        struct rt_tier *t;
        g.n = 0;
        gather_tier(b, &g, was);
        for (size_t i = 0; i < added->n; i++)
            if (same_key(added->items[i].host, key))
                gather_entry(b, &g, added->items[i].entry);
        if (!key) {
            table->any = NULL;
            if (g.n && (t = gw_rt_tier_for(b, table, NULL)))
                gw_rt_fill_tier(b, t, g.items, g.n);
            continue;
        }
        if (was) {
            /* In place: the same host at the same position, its contents built again. */
            bool wildcard = strncmp(key, "*.", 2) == 0;
            t = wildcard ? &table->wildcard[was - old->wildcard] : &table->exact[was - old->exact];
            memset(t, 0, sizeof(*t));
            t->host = was->host;
            t->host_len = was->host_len;
            t->hash = was->hash;
            memcpy(t->inline_host, was->inline_host, sizeof(t->inline_host));
            if (g.n)
                gw_rt_fill_tier(b, t, g.items, g.n);
            else
                t->host = NULL; /* left empty: compacted away below */
        } else if (g.n && (t = gw_rt_tier_for(b, table, key))) {
            gw_rt_fill_tier(b, t, g.items, g.n);
        }
    }
    gw_free(b->res->ctx, g.items);
    table->n_exact = compact_tiers(table->exact, table->n_exact);
    table->n_wildcard = compact_tiers(table->wildcard, table->n_wildcard);
    gw_rt_index_tiers(b, table);
}

/* One listener: what its dropped and added routes touch, built again. The resolution says
 * which attachments went (dropped_attachments) and which came (from first_added on). */
static void
update_listener(struct rt_builder *b, struct rt_listener *out, const struct rt_listener *old,
                const struct gw_listener *now)
{
    const gwapi_resolution *res = b->res;
    const gwapi_ctx *ctx = res->ctx;
    struct keys http_keys = { 0 }, grpc_keys = { 0 };
    struct rt_entry_list http = { 0 }, grpc = { 0 };
    bool streams = false;

    for (size_t k = 0; k < res->n_dropped_attachments; k++) {
        const struct gw_attachment *a = &res->dropped_attachments[k].attachment;
        if (res->dropped_attachments[k].listener != now)
            continue;
        if (gw_rt_is_stream_route(a->route))
            streams = true;
        else
            add_keys(ctx, a->route->kind == GWAPI_KIND_GRPC_ROUTE ? &grpc_keys : &http_keys, a);
    }
    for (size_t k = now->first_added; k < now->n_attachments && !b->oom; k++) {
        const struct gw_attachment *a = &now->attachments[k];
        if (gw_rt_is_stream_route(a->route)) {
            streams = true;
            continue;
        }
        add_keys(ctx, a->route->kind == GWAPI_KIND_GRPC_ROUTE ? &grpc_keys : &http_keys, a);
        gw_rt_route_entries(b, &http, &grpc, a);
    }
    if (http_keys.oom || grpc_keys.oom)
        b->oom = true;
    if (streams)
        gw_rt_compile_streams(b, out, now);
    update_table(b, &out->http_routes, &old->http_routes, &http_keys, &http);
    update_table(b, &out->grpc_routes, &old->grpc_routes, &grpc_keys, &grpc);
    gw_free(ctx, http_keys.items);
    gw_free(ctx, grpc_keys.items);
    gw_free(ctx, http.items);
    gw_free(ctx, grpc.items);
}

/* Memory: what the routers updated since the last one built from scratch have added (some of
 * it superseded) stays below a quarter of that one's. */
static bool
worth_updating(const gwapi_router *prev)
{
    size_t base = prev->stores.items[prev->stores.n > 1 ? 1 : 0]->arena.bytes;
    size_t added = gw_stores_added_bytes(&prev->stores) +
                   (prev->stores.n > 1 ? prev->stores.items[0]->arena.bytes : 0);
    return added <= base / 4;
}

GWAPI_EXPORT int
gwapi_router_update(gwapi_router **out, gwapi_router *prev, gwapi_resolution *res,
                    gwapi_diags *diags)
{
    const struct gw_gateway *g_old, *g_new;
    struct gw_listener *const *was, *const *now;
    size_t n_was, n_now;
    struct rt_builder b = { 0 };
    gwapi_router *rt;

    if (!out || !prev || !res || prev->res->ctx != res->ctx)
        return GWAPI_EINVAL;
    *out = NULL;
    if (res == prev->res) {
        *out = gwapi_router_ref(prev);
        return GWAPI_OK;
    }
    g_old = gw_rt_find_gateway(prev->res, prev->gateway);
    g_new = gw_rt_find_gateway(res, prev->gateway);
    /* Only a resolution updated from the old router's, with the same Gateway, can share. */
    if (res->base_serial != prev->res->serial || !g_old || !g_new || !worth_updating(prev))
        return gw_rt_compile_full(out, res, prev->gateway, diags);
    gw_rt_gateway_listeners(g_old, &was, &n_was);
    gw_rt_gateway_listeners(g_new, &now, &n_now);
    if (n_was != n_now)
        return gw_rt_compile_full(out, res, prev->gateway, diags);
    rt = gw_rt_router_new(res, prev->gateway, prev);
    if (!rt)
        return GWAPI_ENOMEM;
    b.rt = rt;
    b.res = res;
    b.diags = diags;
    b.owned = true;
    rt->listeners = gw_rt_table_alloc(&b, (prev->n_listeners + 1) * sizeof(*rt->listeners));
    if (rt->listeners) {
        memcpy(rt->listeners, prev->listeners, prev->n_listeners * sizeof(*rt->listeners));
        rt->n_listeners = prev->n_listeners;
    }
    for (size_t i = 0; i < rt->n_listeners && !b.oom; i++) {
        size_t source = rt->listeners[i].source;
        update_listener(&b, &rt->listeners[i], &prev->listeners[i], now[source]);
    }
    if (b.oom || !gw_rt_report_interpreted(rt, diags)) {
        gwapi_router_unref(rt);
        return GWAPI_ENOMEM;
    }
    *out = rt;
    return GWAPI_OK;
}
