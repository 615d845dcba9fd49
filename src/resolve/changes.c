/* What changed from one resolution to the next: the objects whose status a controller must
 * write again, and the Gateways whose router must be compiled again.
 *
 * Snapshots share the objects that did not change, so an object is unchanged exactly when both
 * resolutions hold the same pointer for its identity. A router is compiled from its Gateway,
 * the routes attached to its listeners, and the objects backends are checked against (Services,
 * ReferenceGrants, BackendTLSPolicies and what they reference): a Gateway's router is counted
 * as changed when any of those is. Never fewer than changed; sometimes more. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "model/schema.h"
#include "resolve/resolve.h"
#include "util/addresses.h"
#include "util/context.h"
#include "util/strbuf.h"

/* The object of the same identity in the other resolution's snapshot, or NULL. */
static const gwapi_object *
counterpart(const gwapi_resolution *r, const gwapi_object *o)
{
    struct gw_object_rec *rec = gw_config_lookup(r->cfg, o->kind, o->dialect,
                                                 o->metadata->namespace_, o->metadata->name,
                                                 NULL);
    return rec ? &rec->pub : NULL;
}

static bool
same_status(const gwapi_status *a, const gwapi_status *b, struct gw_strbuf *x,
            struct gw_strbuf *y, bool *oom)
{
    if (!a || !b || a == b)
        return a == b; /* a record shared by both resolutions is the same status */
    if (!gw_status_json(a, x) || !gw_status_json(b, y)) {
        *oom = true;
        return false;
    }
    return x->len == y->len && memcmp(x->data, y->data, x->len) == 0;
}

/* Kinds that any router's backends are checked against. */
static bool
backs_routers(gwapi_kind kind)
{
    return kind == GWAPI_KIND_SERVICE || kind == GWAPI_KIND_REFERENCE_GRANT ||
           kind == GWAPI_KIND_BACKEND_TLS_POLICY || kind == GWAPI_KIND_SECRET ||
           kind == GWAPI_KIND_CONFIG_MAP;
}

/* Did an object of such a kind appear, change or go? */
static bool
backends_changed(const gwapi_resolution *before, const gwapi_resolution *after)
{
    size_t n_before = 0, n_after = 0;

    for (size_t i = 0; i < gwapi_config_count(after->cfg); i++) {
        const gwapi_object *o = gwapi_config_get(after->cfg, i);
        if (!backs_routers(o->kind))
            continue;
        n_after++;
        if (counterpart(before, o) != o)
            return true;
    }
    for (size_t i = 0; i < gwapi_config_count(before->cfg); i++)
        n_before += backs_routers(gwapi_config_get(before->cfg, i)->kind);
    return n_before != n_after;
}

static const struct gw_gateway *
gateway_of(const gwapi_resolution *r, const gwapi_object *o)
{
    for (size_t i = 0; i < r->n_gateways; i++)
        if (r->gateways[i]->obj == o)
            return r->gateways[i];
    return NULL;
}

/* The same listeners with the same attachments (the same route objects, the same effective
 * hostnames) in the same order. */
static bool
same_attachments(const struct gw_gateway *a, const struct gw_gateway *b)
{
    if (!a || !b || a->n_merged != b->n_merged)
        return a == b;
    for (size_t l = 0; l < a->n_merged; l++) {
        const struct gw_listener *la = a->merged[l], *lb = b->merged[l];
        if (la->spec != lb->spec || la->valid != lb->valid ||
            la->n_attachments != lb->n_attachments)
            return false;
        for (size_t k = 0; k < la->n_attachments; k++) {
            const struct gw_attachment *x = &la->attachments[k], *y = &lb->attachments[k];
            if (x->hostnames == y->hostnames && x->route == y->route)
                continue;
            if (x->route != y->route || x->n_hostnames != y->n_hostnames)
                return false;
            for (size_t h = 0; h < x->n_hostnames; h++)
                if (strcmp(x->hostnames[h], y->hostnames[h]) != 0)
                    return false;
        }
    }
    return true;
}

/* Did any v1alpha1 route appear, change or go (its Gateways' routers are then counted as
 * changed: their attachments are not kept apart)? */
static bool
v1alpha1_routes_changed(const gwapi_resolution *before, const gwapi_resolution *after)
{
    size_t n_before = 0, n_after = 0;

    for (size_t i = 0; i < gwapi_config_count(after->cfg); i++) {
        const gwapi_object *o = gwapi_config_get(after->cfg, i);
        if (o->dialect != GWAPI_DIALECT_V1ALPHA1 || !gw_is_route_kind(o->kind))
            continue;
        n_after++;
        if (counterpart(before, o) != o)
            return true;
    }
    for (size_t i = 0; i < gwapi_config_count(before->cfg); i++) {
        const gwapi_object *o = gwapi_config_get(before->cfg, i);
        n_before += o->dialect == GWAPI_DIALECT_V1ALPHA1 && gw_is_route_kind(o->kind);
    }
    return n_before != n_after;
}

static bool
push(const gwapi_resolution *r, const gwapi_object ***list, size_t *n, size_t *cap,
     const gwapi_object *o)
{
    if (gw_grow(r->ctx, (void **)list, cap, *n + 1, sizeof(**list)))
        return false;
    (*list)[(*n)++] = o;
    return true;
}

/* Does a Gateway's router see another set of attachments in after, an update of before? */
static bool
attachments_moved(const gwapi_resolution *after, const struct gw_gateway *g)
{
    for (size_t l = 0; l < g->n_merged; l++) {
        if (g->merged[l]->first_added < g->merged[l]->n_attachments)
            return true;
        for (size_t k = 0; k < after->n_dropped_attachments; k++)
            if (after->dropped_attachments[k].listener == g->merged[l])
                return true;
    }
    return false;
}

/* After an update of before (gwapi_resolution_update()): only the routes it resolved again
 * and the Gateways and ListenerSets whose status it published again can differ; every other
 * status is the same record. The candidates are few: their records are found first, then
 * picked out of the status list in its order by address alone. */
static bool
updated_changes(const gwapi_resolution *before, const gwapi_resolution *after,
                const gwapi_object ***statuses, size_t *n_statuses, const gwapi_object ***gateways,
                size_t *n_gateways)
{
    struct gw_strbuf x = { 0 }, y = { 0 };
    const gwapi_status **candidates = gw_calloc(after->ctx, after->n_added + after->n_gateways + 1,
                                                sizeof(*candidates));
    size_t n = 0, cap_statuses = 0, cap_gateways = 0;
    bool oom = !candidates;

    for (size_t k = 0; k < after->n_added && !oom; k++)
        if ((candidates[n] = gwapi_resolution_status(after, after->added[k])))
            n++;
    for (size_t k = 0; k < after->n_gateways && !oom; k++)
        if ((candidates[n] = after->gateways[k]->status))
            n++;
    gw_addresses_sort((const void **)candidates, n);
    for (size_t i = 0; i < after->n_statuses && !oom; i++) {
        const gwapi_status *st = after->statuses[i];
        const gwapi_object *old;
        if (!gw_addresses_have((const void *const *)candidates, n, st))
            continue;
        old = counterpart(before, st->object);
        if (!same_status(st, old ? gwapi_resolution_status(before, old) : NULL, &x, &y, &oom) &&
            !push(after, statuses, n_statuses, &cap_statuses, st->object))
            oom = true;
    }
    for (size_t i = 0; i < after->n_gateways && !oom; i++) {
        const struct gw_gateway *g = after->gateways[i];
        bool changed;
        if (g->is_listener_set || g->obj->dialect != GWAPI_DIALECT_V1)
            continue;
        changed = attachments_moved(after, g);
        for (size_t k = 0; k < *n_statuses && !changed; k++)
            changed = (*statuses)[k] == g->obj;
        if (changed && !push(after, gateways, n_gateways, &cap_gateways, g->obj))
            oom = true;
    }
    gw_free(after->ctx, candidates);
    gw_strbuf_free(&x);
    gw_strbuf_free(&y);
    return !oom;
}

GWAPI_EXPORT int
gwapi_resolution_changes(const gwapi_resolution *before, const gwapi_resolution *after,
                         gwapi_changes *out)
{
    gwapi_changes c = GWAPI_CHANGES_INIT;
    struct gw_strbuf x = { 0 }, y = { 0 };
    const gwapi_object **statuses = NULL, **gateways = NULL;
    size_t n_statuses = 0, cap_statuses = 0, n_gateways = 0, cap_gateways = 0;
    bool oom = false, everything, v1alpha1;

    if (!before || !after || !out || out->size < sizeof(size_t) || before->ctx != after->ctx)
        return GWAPI_EINVAL;
    if (after->base_serial == before->serial) {
        oom = !updated_changes(before, after, &statuses, &n_statuses, &gateways, &n_gateways);
        goto done;
    }
    for (size_t i = 0; i < after->n_statuses && !oom; i++) {
        const gwapi_status *st = after->statuses[i];
        const gwapi_object *old = counterpart(before, st->object);
        const gwapi_status *was = old ? gwapi_resolution_status(before, old) : NULL;
        if (!same_status(st, was, &x, &y, &oom) &&
            !push(after, &statuses, &n_statuses, &cap_statuses, st->object))
            oom = true;
    }
    everything = backends_changed(before, after);
    v1alpha1 = v1alpha1_routes_changed(before, after);
    for (size_t i = 0; i < gwapi_config_count(after->cfg) && !oom; i++) {
        const gwapi_object *o = gwapi_config_get(after->cfg, i);
        const gwapi_object *old;
        bool changed;
        if (o->kind != GWAPI_KIND_GATEWAY)
            continue;
        old = counterpart(before, o);
        changed = everything || old != o ||
                  !same_status(gwapi_resolution_status(after, o),
                               old ? gwapi_resolution_status(before, old) : NULL, &x, &y, &oom);
        if (!changed)
            changed = o->dialect == GWAPI_DIALECT_V1ALPHA1
                          ? v1alpha1
                          : !same_attachments(gateway_of(after, o), gateway_of(before, old));
        if (changed && !push(after, &gateways, &n_gateways, &cap_gateways, o))
            oom = true;
    }
    gw_strbuf_free(&x);
    gw_strbuf_free(&y);
done:
    if (oom) {
        gw_free(after->ctx, statuses);
        gw_free(after->ctx, gateways);
        return GWAPI_ENOMEM;
    }
    c.ctx = gwapi_ctx_ref((gwapi_ctx *)after->ctx);
    c.statuses = statuses;
    c.n_statuses = n_statuses;
    c.gateways = gateways;
    c.n_gateways = n_gateways;
    c.size = out->size;
    memcpy(out, &c, out->size < sizeof(c) ? out->size : sizeof(c));
    return GWAPI_OK;
}

GWAPI_EXPORT void
gwapi_changes_release(gwapi_changes *c)
{
    gwapi_changes empty = GWAPI_CHANGES_INIT;

    if (!c || c->size < sizeof(*c))
        return;
    gw_free(c->ctx, (void *)c->statuses);
    gw_free(c->ctx, (void *)c->gateways);
    gwapi_ctx_unref(c->ctx);
    *c = empty;
}
