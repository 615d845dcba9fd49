/* The resolution: the public entry, which admits the objects and runs the stages in order
 * (gateway.c, route.c, policy.c, v1alpha1.c), and the accessors of its result. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "model/schema.h"
#include "resolve/resolve.h"
#include "util/context.h"
#include "util/diag.h"

static void
note_missing_kind(gwapi_resolution *r, bool present, const char *kind, const char *what)
{
    struct gw_site site = { 0 };
    if (!present && gw_report(r->diags, GWAPI_SEVERITY_INFO, GW_CODE_RESOLVE_SKIPPED, &site,
                              "the configuration holds no %s: %s", kind, what))
        r->out_of_memory = true;
}

/* Every status, in emit order: classes, Gateways, ListenerSets, routes, policies; v1alpha1. */
static const gwapi_kind status_order[] = {
    GWAPI_KIND_GATEWAY_CLASS, GWAPI_KIND_GATEWAY, GWAPI_KIND_LISTENER_SET,
    GWAPI_KIND_HTTP_ROUTE, GWAPI_KIND_GRPC_ROUTE, GWAPI_KIND_TLS_ROUTE, GWAPI_KIND_TCP_ROUTE,
    GWAPI_KIND_UDP_ROUTE, GWAPI_KIND_BACKEND_TLS_POLICY,
};
#define STATUS_KINDS (sizeof(status_order) / sizeof(status_order[0]))

uint8_t
gw_status_rank(const gwapi_object *obj)
{
    for (size_t k = 0; k < STATUS_KINDS; k++)
        if (obj->kind == status_order[k])
            return (uint8_t)(1 + (size_t)obj->dialect * STATUS_KINDS + k);
    return 0;
}

/* One pass counts the statuses of each rank, a second places them: neither reads an object
 * (their ranks are kept by config index), which matters when they are many. */
void
gw_collect_statuses(gwapi_resolution *r)
{
    size_t n = gwapi_config_count(r->cfg), start[2 * STATUS_KINDS + 2] = { 0 };

    gw_free(r->ctx, r->statuses);
    r->statuses = gw_calloc(r->ctx, n + 1, sizeof(*r->statuses));
    if (!r->statuses) {
        r->out_of_memory = true;
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (r->by_index[i] && r->rank_at[i])
            start[r->rank_at[i]]++;
    for (size_t b = 1; b < 2 * STATUS_KINDS + 2; b++)
        start[b] += start[b - 1];
    r->n_statuses = start[2 * STATUS_KINDS + 1];
    for (size_t i = 0; i < n; i++)
        if (r->by_index[i] && r->rank_at[i])
            r->statuses[start[r->rank_at[i] - 1]++] = r->by_index[i];
}

/* A resolution with nothing in it yet: its memory, options and serial number. */
gwapi_resolution *
gw_resolution_new(const gwapi_ctx *ctx, const char *controller, bool include_invalid,
                  const gwapi_resolution *from)
{
    static uint64_t next_serial;
    gwapi_resolution *r = gw_calloc(ctx, 1, sizeof(*r));
    struct gw_store *own;

    if (!r)
        return NULL;
    gw_ref_init(&r->refs);
    r->ctx = gwapi_ctx_ref((gwapi_ctx *)ctx);
    r->serial = __atomic_add_fetch(&next_serial, 1, __ATOMIC_RELAXED);
    r->include_invalid = include_invalid;
    /* Built from scratch, a resolution's memory grows in large chunks; updated, in small ones
     * (an update adds little, and every version after it keeps that memory). */
    own = gw_store_new(ctx, sizeof(*own), from ? 4096 : 64 * 1024);
    if (!own || !gw_stores_init(&r->stores, ctx, own, from ? &from->stores : NULL)) {
        gw_store_unref(own);
        gwapi_ctx_unref((gwapi_ctx *)ctx);
        gw_free(ctx, r);
        return NULL;
    }
    r->arena = &own->arena;
    if (controller)
        r->controller = from && from->controller == controller
                            ? controller
                            : gw_arena_strndup(r->arena, controller, strlen(controller));
    if (controller && !r->controller)
        r->out_of_memory = true;
    return r;
}

/* The arrays indexed by config object, for r->cfg. */
bool
gw_resolution_index(gwapi_resolution *r)
{
    size_t n = gwapi_config_count(r->cfg) + 1;

    r->by_index = gw_calloc(r->ctx, n, sizeof(*r->by_index));
    r->explain_at = gw_calloc(r->ctx, n, sizeof(*r->explain_at));
    r->rank_at = gw_calloc(r->ctx, n, sizeof(*r->rank_at));
    if (!r->by_index || !r->explain_at || !r->rank_at)
        r->out_of_memory = true;
    return !r->out_of_memory;
}

/* Which kinds the configuration holds at all, and the rank of each object's status. */
void
gw_note_kinds(gwapi_resolution *r)
{
    for (size_t i = 0; i < gwapi_config_count(r->cfg); i++) {
        const gwapi_object *o = gwapi_config_get(r->cfg, i);
        r->rank_at[i] = gw_status_rank(o);
        r->have_v1alpha1 |= o->dialect == GWAPI_DIALECT_V1ALPHA1;
        switch (o->kind) {
        case GWAPI_KIND_GATEWAY_CLASS: r->have_classes |= o->dialect == GWAPI_DIALECT_V1; break;
        case GWAPI_KIND_SERVICE: r->have_services = true; break;
        case GWAPI_KIND_SECRET: r->have_secrets = true; break;
        case GWAPI_KIND_CONFIG_MAP: r->have_config_maps = true; break;
        case GWAPI_KIND_NAMESPACE: r->have_namespaces = true; break;
        case GWAPI_KIND_BACKEND_TLS_POLICY: r->have_policies = true; break;
        default: break;
        }
    }
}

/* gwapi_resolve() for options already read. */
int
gw_resolve_full(gwapi_resolution **out, gwapi_config *source, const char *controller,
                bool include_invalid, gwapi_diags *diags)
{
    gwapi_resolution *r = gw_resolution_new(source->ctx, controller, include_invalid, NULL);

    *out = NULL;
    if (!r)
        return GWAPI_ENOMEM;
    r->diags = diags;
    r->source_id = source->id;
    r->source_version = source->version;
    if (!r->out_of_memory)
        gw_admit_objects(r, source, include_invalid);
    if (r->out_of_memory || !gw_resolution_index(r)) {
        r->diags = NULL;
        gwapi_resolution_unref(r);
        return GWAPI_ENOMEM;
    }
    gw_note_kinds(r);
    gw_index_grants(r);
    note_missing_kind(r, r->have_classes, "GatewayClass",
                      "every Gateway's class is taken as present and accepted");
    note_missing_kind(r, r->have_services, "Service", "backend existence and ports are not checked");
    note_missing_kind(r, r->have_secrets, "Secret", "certificate references are not checked");
    note_missing_kind(r, r->have_namespaces, "Namespace",
                      "namespace selectors see only the kubernetes.io/metadata.name label");
    if (!r->out_of_memory) {
        gw_resolve_gateways(r);
        gw_resolve_routes(r);
        gw_resolve_policies(r);
        gw_resolve_v1alpha1(r);
        gw_collect_statuses(r);
    }
    r->diags = NULL;
    if (r->out_of_memory) {
        gwapi_resolution_unref(r);
        return GWAPI_ENOMEM;
    }
    *out = r;
    return GWAPI_OK;
}

/* The options, from a caller's struct of any version. */
static bool
read_options(const gwapi_resolve_options *options, gwapi_resolve_options *opts)
{
    gwapi_resolve_options defaults = GWAPI_RESOLVE_OPTIONS_INIT;

    *opts = defaults;
    if (options && options->size < sizeof(size_t) + sizeof(void *))
        return false;
    /* A caller built against an older, smaller struct leaves the newer fields at their
     * defaults. */
    if (options)
        memcpy(opts, options, options->size < sizeof(*opts) ? options->size : sizeof(*opts));
    return true;
}

GWAPI_EXPORT int
gwapi_resolve(gwapi_resolution **out, gwapi_config *source, const gwapi_resolve_options *options,
              gwapi_diags *diags)
{
    gwapi_resolve_options opts;

    if (!out || !source || !read_options(options, &opts))
        return GWAPI_EINVAL;
    return gw_resolve_full(out, source, opts.controller_name,
                           (opts.flags & GWAPI_RESOLVE_INCLUDE_INVALID) != 0, diags);
}

GWAPI_EXPORT gwapi_resolution *
gwapi_resolution_ref(gwapi_resolution *r)
{
    if (r)
        gw_ref_inc(&r->refs);
    return r;
}

GWAPI_EXPORT void
gwapi_resolution_unref(gwapi_resolution *r)
{
    gwapi_ctx *ctx;

    if (!r || !gw_ref_dec(&r->refs))
        return;
    ctx = (gwapi_ctx *)r->ctx;
    /* Each resolution has listeners of its own (an update copies them), and their arrays of
     * attachments. */
    for (size_t g = 0; g < r->n_gateways; g++)
        for (size_t l = 0; l < r->gateways[g]->n_listeners; l++)
            gw_free(ctx, r->gateways[g]->listeners[l]->attachments);
    gw_free(ctx, r->gateways);
    for (size_t i = 0; i < r->n_refused; i++)
        gw_segment_unref(((struct gw_object_rec *)r->refused[i].obj)->segment);
    gw_free(ctx, r->refused);
    gw_free(ctx, r->broken_services);
    gw_free(ctx, r->tls_policies);
    gw_free(ctx, r->grants);
    gw_free(ctx, r->by_index);
    gw_free(ctx, r->explain_at);
    gw_free(ctx, r->rank_at);
    gw_free(ctx, r->statuses);
    gw_free(ctx, r->dropped);
    gw_free(ctx, r->added);
    gw_free(ctx, r->dropped_attachments);
    gw_stores_release(&r->stores, ctx);
    gwapi_config_unref(r->cfg);
    gw_free(ctx, r);
    gwapi_ctx_unref(ctx);
}

GWAPI_EXPORT size_t
gwapi_resolution_count(const gwapi_resolution *r)
{
    return r ? r->n_statuses : 0;
}

GWAPI_EXPORT const gwapi_status *
gwapi_resolution_get(const gwapi_resolution *r, size_t index)
{
    return r && index < r->n_statuses ? r->statuses[index] : NULL;
}

GWAPI_EXPORT const gwapi_status *
gwapi_resolution_status(const gwapi_resolution *r, const gwapi_object *obj)
{
    size_t index;

    if (!r || !obj ||
        !gw_config_lookup(r->cfg, obj->kind, obj->dialect, obj->metadata->namespace_,
                          obj->metadata->name, &index) ||
        gwapi_config_get(r->cfg, index) != obj)
        return NULL;
    return r->by_index[index];
}

GWAPI_EXPORT int
gwapi_resolution_explain(const gwapi_resolution *r, const gwapi_object *route,
                         const gwapi_explain_step *const **steps, size_t *count)
{
    const struct gw_refusal *refusal;
    const struct gw_explain *e;
    size_t index;

    if (!r || !route || !steps || !count)
        return GWAPI_EINVAL;
    *steps = NULL;
    *count = 0;
    if ((refusal = gw_find_refusal(r, route))) {
        if (!gw_is_route_kind(route->kind))
            return GWAPI_ENOTFOUND;
        *steps = (const gwapi_explain_step *const *)&refusal->step;
        *count = 1;
        return GWAPI_OK;
    }
    if ((e = gw_find_explain(r, route, &index))) {
        *steps = (const gwapi_explain_step *const *)e->steps;
        *count = e->count;
        return GWAPI_OK;
    }
    if (index == SIZE_MAX)
        return GWAPI_EINVAL; /* not an object of the configuration resolved */
    /* A route without parentRefs: nothing to explain. */
    return gw_is_route_kind(route->kind) ? GWAPI_OK : GWAPI_ENOTFOUND;
}

bool
gw_is_route_kind(gwapi_kind kind)
{
    switch (kind) {
    case GWAPI_KIND_HTTP_ROUTE: case GWAPI_KIND_GRPC_ROUTE: case GWAPI_KIND_TLS_ROUTE:
    case GWAPI_KIND_TCP_ROUTE: case GWAPI_KIND_UDP_ROUTE:
        return true;
    default:
        return false;
    }
}
