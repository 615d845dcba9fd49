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
static void
collect_statuses(gwapi_resolution *r)
{
    static const gwapi_kind order[] = {
        GWAPI_KIND_GATEWAY_CLASS, GWAPI_KIND_GATEWAY, GWAPI_KIND_LISTENER_SET,
        GWAPI_KIND_HTTP_ROUTE, GWAPI_KIND_GRPC_ROUTE, GWAPI_KIND_TLS_ROUTE, GWAPI_KIND_TCP_ROUTE,
        GWAPI_KIND_UDP_ROUTE, GWAPI_KIND_BACKEND_TLS_POLICY,
    };
    size_t n = gwapi_config_count(r->cfg), k = 0;

    r->statuses = gw_res_alloc(r, (n + 1) * sizeof(*r->statuses));
    if (!r->statuses)
        return;
    for (int dialect = GWAPI_DIALECT_V1; dialect <= GWAPI_DIALECT_V1ALPHA1; dialect++)
        for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++)
            for (size_t i = 0; i < n; i++) {
                const gwapi_object *obj = gwapi_config_get(r->cfg, i);
                if (obj->kind == order[o] && (int)obj->dialect == dialect && r->by_index[i])
                    r->statuses[k++] = r->by_index[i];
            }
    r->n_statuses = k;
}

GWAPI_EXPORT int
gwapi_resolve(gwapi_resolution **out, gwapi_config *source, const gwapi_resolve_options *options,
              gwapi_diags *diags)
{
    gwapi_resolve_options opts = GWAPI_RESOLVE_OPTIONS_INIT;
    gwapi_resolution *r;
    gwapi_config *cfg;

    if (!out || !source || (options && options->size < sizeof(size_t) + sizeof(void *)))
        return GWAPI_EINVAL;
    /* A caller built against an older, smaller struct leaves the newer fields at their
     * defaults. */
    if (options)
        memcpy(&opts, options, options->size < sizeof(opts) ? options->size : sizeof(opts));
    *out = NULL;
    r = gw_calloc(source->ctx, 1, sizeof(*r));
    if (!r)
        return GWAPI_ENOMEM;
    gw_ref_init(&r->refs);
    r->ctx = gwapi_ctx_ref(source->ctx);
    r->diags = diags;
    gw_arena_init(&r->arena, r->ctx, 64 * 1024);
    if (opts.controller_name)
        r->controller = gw_arena_strndup(&r->arena, opts.controller_name,
                                         strlen(opts.controller_name));
    gw_admit_objects(r, source, (opts.flags & GWAPI_RESOLVE_INCLUDE_INVALID) != 0);
    if (r->out_of_memory) {
        r->diags = NULL;
        gwapi_resolution_unref(r);
        return GWAPI_ENOMEM;
    }
    cfg = r->cfg;
    r->by_index = gw_res_alloc(r, (gwapi_config_count(cfg) + 1) * sizeof(*r->by_index));
    r->explain_of = gw_res_alloc(r, (gwapi_config_count(cfg) + 1) * sizeof(*r->explain_of));
    for (size_t i = 0; i < gwapi_config_count(cfg); i++) {
        switch (gwapi_config_get(cfg, i)->kind) {
        case GWAPI_KIND_GATEWAY_CLASS: r->have_classes |= gwapi_config_get(cfg, i)->dialect == GWAPI_DIALECT_V1; break;
        case GWAPI_KIND_SERVICE: r->have_services = true; break;
        case GWAPI_KIND_SECRET: r->have_secrets = true; break;
        case GWAPI_KIND_CONFIG_MAP: r->have_config_maps = true; break;
        case GWAPI_KIND_NAMESPACE: r->have_namespaces = true; break;
        default: break;
        }
    }
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
        collect_statuses(r);
    }
    r->diags = NULL;
    if (r->out_of_memory) {
        gwapi_resolution_unref(r);
        return GWAPI_ENOMEM;
    }
    *out = r;
    return GWAPI_OK;
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
    for (size_t i = 0; i < r->n_explains; i++)
        gw_free(ctx, r->explains[i].steps);
    gw_free(ctx, r->explains);
    gw_free(ctx, r->gateways);
    gw_free(ctx, r->refused);
    gw_free(ctx, r->broken_services);
    gw_arena_release(&r->arena);
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
