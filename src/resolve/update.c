/* Updating a resolution: the configuration's journal says which objects changed since the
 * resolution was made. When they are all routes, the new resolution re-resolves only those
 * routes against copies of the old listeners and shares everything else with the old one (the
 * statuses, explanations and attachments of the other routes, the Gateways' conditions).
 * Anything else (a Gateway, a class, a Service, a grant, a policy...) may change what every
 * route sees: the resolution is then made from scratch, as gwapi_resolve() would. Either way
 * the result equals gwapi_resolve() of the configuration as it is now. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "model/schema.h"
#include "resolve/resolve.h"
#include "util/addresses.h"
#include "util/context.h"
#include "util/diag.h"

/* The objects an update takes in, past which it starts from scratch. */
#define GW_UPDATE_MAX_OBJECTS 1024

/* What one update re-resolves. */
struct update {
    const gwapi_resolution *prev;
    gwapi_resolution *r;
    const gwapi_object **dropped; /* the versions of prev it leaves out (admitted in prev) */
    size_t n_dropped;
    const gwapi_object **added;   /* the versions it takes in, admitted */
    size_t n_added;
    const gwapi_object **touched; /* every version of the source it looked at */
    size_t n_touched;
};

/* Is obj in list (sorted by address)? */
static bool
listed(const gwapi_object *const *list, size_t n, const gwapi_object *obj)
{
    return gw_addresses_have((const void *const *)list, n, obj);
}

static bool
same_identity(const struct gw_touch *t, const gwapi_object *o)
{
    const char *ns = o->metadata->namespace_;
    return o->kind == t->kind && o->dialect == t->dialect && !strcmp(o->metadata->name, t->name) &&
           !strcmp(ns ? ns : "", t->ns ? t->ns : "");
}

/* The touches since prev, each identity once; false when an update cannot follow them. */
static bool
distinct_touches(const gwapi_resolution *prev, const gwapi_config *source,
                 const struct gw_touch ***out, size_t *n)
{
    const struct gw_touch *journal;
    size_t count;

    *out = NULL;
    *n = 0;
    if (!gw_config_touched_since(source, prev->source_version, &journal, &count) ||
        count > GW_UPDATE_MAX_OBJECTS)
        return false;
    if (!count)
        return true;
    *out = gw_calloc(prev->ctx, count, sizeof(**out));
    if (!*out)
        return false;
    for (size_t i = 0; i < count; i++) {
        const struct gw_touch *t = &journal[i];
        bool seen = false;
        /* Binding never reads EndpointSlices: they only say where a backend's pods are. */
        if (t->kind == GWAPI_KIND_ENDPOINT_SLICE)
            continue;
        /* Only routes of today's API leave the rest of the resolution as it was. */
        if (t->dialect != GWAPI_DIALECT_V1 || !gw_is_route_kind(t->kind)) {
            gw_free(prev->ctx, *out);
            *out = NULL;
            *n = 0;
            return false;
        }
        for (size_t k = 0; k < *n && !seen; k++)
            seen = (*out)[k]->kind == t->kind && !strcmp((*out)[k]->name, t->name) &&
                   !strcmp((*out)[k]->ns ? (*out)[k]->ns : "", t->ns ? t->ns : "");
        if (!seen)
            (*out)[(*n)++] = t;
    }
    return true;
}

/* Memory: the versions built since the last one made from scratch keep what they superseded;
 * once that is a quarter of the first version's, the next version starts from scratch. */
static bool
worth_updating(const gwapi_resolution *prev)
{
    size_t base = prev->stores.items[prev->stores.n > 1 ? 1 : 0]->arena.bytes;
    size_t added = gw_stores_added_bytes(&prev->stores) +
                   (prev->stores.n > 1 ? prev->stores.items[0]->arena.bytes : 0);
    return !prev->have_policies && added <= base / 4;
}

static bool
push(const gwapi_ctx *ctx, const gwapi_object ***list, size_t *n, const gwapi_object *obj)
{
    const gwapi_object **grown = gw_realloc(ctx, *list, (*n + 1) * sizeof(*grown));
    if (!grown)
        return false;
    grown[(*n)++] = obj;
    *list = grown;
    return true;
}

/* The object of prev (admitted or refused) with the identity of t, or NULL. */
static const gwapi_object *
previous_version(const gwapi_resolution *prev, const struct gw_touch *t)
{
    struct gw_object_rec *rec = gw_config_lookup(prev->cfg, t->kind, t->dialect, t->ns, t->name,
                                                 NULL);
    if (rec)
        return &rec->pub;
    for (size_t i = 0; i < prev->n_refused; i++)
        if (same_identity(t, prev->refused[i].obj))
            return prev->refused[i].obj;
    return NULL;
}

/* Admit the current version of each touched identity, and note what goes and what comes. */
static bool
admit_touched(struct update *u, const gwapi_config *source, const struct gw_touch **touches,
              size_t n)
{
    const gwapi_ctx *ctx = u->r->ctx;
    gwapi_diags *scratch;
    bool ok = true;

    if (gwapi_diags_new(&scratch, (gwapi_ctx *)ctx))
        return false;
    for (size_t i = 0; i < n && ok; i++) {
        const gwapi_object *old = previous_version(u->prev, touches[i]);
        struct gw_object_rec *rec = gw_config_lookup(source, touches[i]->kind,
                                                     touches[i]->dialect, touches[i]->ns,
                                                     touches[i]->name, NULL);
        const gwapi_object *now = rec ? &rec->pub : NULL;
        if (old == now)
            continue; /* changed and changed back, or never there */
        if (old && !gw_find_refusal(u->prev, old))
            ok = push(ctx, &u->dropped, &u->n_dropped, old);
        if (ok && now) {
            ok = push(ctx, &u->touched, &u->n_touched, now);
            if (ok && gw_admit_object(u->r, now, scratch))
                ok = push(ctx, &u->added, &u->n_added, now);
        }
    }
    gwapi_diags_free(scratch);
    gw_addresses_sort((const void **)u->dropped, u->n_dropped);
    gw_addresses_sort((const void **)u->added, u->n_added);
    gw_addresses_sort((const void **)u->touched, u->n_touched);
    return ok && !u->r->out_of_memory;
}

/* The snapshot keeps what prev kept, and the new versions admitted. */
static bool
keep_admitted(const gwapi_object *obj, void *user)
{
    const struct update *u = user;

    if (listed(u->touched, u->n_touched, obj))
        return listed(u->added, u->n_added, obj);
    return !gw_find_refusal(u->prev, obj);
}

/* The refusals of prev that still stand (of objects the source still holds as they were),
 * with those of this update. */
static bool
carry_refusals(struct update *u, const gwapi_config *source)
{
    gwapi_resolution *r = u->r;

    for (size_t i = 0; i < u->prev->n_refused; i++) {
        const struct gw_refusal *f = &u->prev->refused[i];
        const struct gw_object_rec *now = gw_config_lookup(source, f->obj->kind, f->obj->dialect,
                                                           f->obj->metadata->namespace_,
                                                           f->obj->metadata->name, NULL);
        if (!now || &now->pub != f->obj)
            continue;
        if (gw_grow(r->ctx, (void **)&r->refused, &r->refused_capacity, r->n_refused + 1,
                    sizeof(*r->refused)))
            return false;
        gw_refuse(r, f->obj, f->step);
    }
    gw_sort_refusals(r);
    return true;
}

/* The statuses and explanations of the objects both resolutions hold: both snapshots keep the
 * source's order, so one walk pairs them. */
static void
carry_records(struct update *u)
{
    const gwapi_resolution *prev = u->prev;
    gwapi_resolution *r = u->r;
    size_t n_prev = gwapi_config_count(prev->cfg), i = 0;

    for (size_t j = 0; j < gwapi_config_count(r->cfg); j++) {
        const gwapi_object *obj = gwapi_config_get(r->cfg, j);
        size_t at;
        if (listed(u->added, u->n_added, obj)) {
            r->rank_at[j] = gw_status_rank(obj);
            continue;
        }
        at = i;
        while (at < n_prev && gwapi_config_get(prev->cfg, at) != obj)
            at++;
        if (at < n_prev) {
            i = at + 1;
        } else if (!gw_config_lookup(prev->cfg, obj->kind, obj->dialect,
                                     obj->metadata->namespace_, obj->metadata->name, &at) ||
                   gwapi_config_get(prev->cfg, at) != obj) {
            continue; /* not in order after all: looked up */
        }
        r->by_index[j] = prev->by_index[at];
        r->explain_at[j] = prev->explain_at[at];
        r->rank_at[j] = prev->rank_at[at];
    }
}

/* An attachment of a route dropped, for the router to take its entries out. */
static bool
note_dropped(gwapi_resolution *r, const struct gw_listener *l, const struct gw_attachment *a)
{
    if (gw_grow(r->ctx, (void **)&r->dropped_attachments, &r->dropped_attachments_capacity,
                r->n_dropped_attachments + 1, sizeof(*r->dropped_attachments)))
        return false;
    r->dropped_attachments[r->n_dropped_attachments].listener = l;
    r->dropped_attachments[r->n_dropped_attachments++].attachment = *a;
    return true;
}

/* The new listener for an old one (the same position in the new Gateway). */
static struct gw_listener *
new_listener_of(const gwapi_resolution *prev, gwapi_resolution *r, const struct gw_listener *old)
{
    for (size_t g = 0; g < prev->n_gateways; g++)
        for (size_t l = 0; l < prev->gateways[g]->n_listeners; l++)
            if (prev->gateways[g]->listeners[l] == old)
                return r->gateways[g]->listeners[l];
    return NULL;
}

static struct gw_gateway *
new_gateway_of(const gwapi_resolution *prev, gwapi_resolution *r, const struct gw_gateway *old)
{
    for (size_t g = 0; old && g < prev->n_gateways; g++)
        if (prev->gateways[g] == old)
            return r->gateways[g];
    return NULL;
}

/* Copies of the Gateways and ListenerSets and their listeners, without the attachments of the
 * routes dropped; their statuses are published again once the routes are resolved. */
static bool
copy_gateways(struct update *u)
{
    const gwapi_resolution *prev = u->prev;
    gwapi_resolution *r = u->r;

    r->gateways = gw_calloc(r->ctx, prev->n_gateways + 1, sizeof(*r->gateways));
    if (!r->gateways)
        return false;
    for (size_t g = 0; g < prev->n_gateways; g++) {
        const struct gw_gateway *old = prev->gateways[g];
        struct gw_gateway *copy = gw_res_alloc(r, sizeof(*copy));
        if (!copy)
            return false;
        *copy = *old;
        r->gateways[r->n_gateways++] = copy;
        copy->listeners = gw_res_alloc(r, (old->n_listeners + 1) * sizeof(*copy->listeners));
        if (!copy->listeners) {
            copy->n_listeners = 0;
            return false;
        }
        for (size_t l = 0; l < old->n_listeners; l++) {
            const struct gw_listener *ol = old->listeners[l];
            struct gw_listener *nl = gw_res_alloc(r, sizeof(*nl));
            if (!nl) {
                copy->n_listeners = l;
                return false;
            }
            *nl = *ol;
            nl->attachments = NULL;
            nl->n_attachments = nl->attachments_capacity = 0;
            nl->pub.attached_routes = 0;
            copy->listeners[l] = nl;
            for (size_t a = 0; a < ol->n_attachments; a++)
                if (!listed(u->dropped, u->n_dropped, ol->attachments[a].route))
                    gw_listener_attach(r, nl, &ol->attachments[a]);
                else if (!note_dropped(r, nl, &ol->attachments[a]))
                    return false;
            /* The routes resolved again attach after these. */
            nl->first_added = nl->n_attachments;
        }
    }
    /* The links between them, now that every copy exists. */
    for (size_t g = 0; g < r->n_gateways && !r->out_of_memory; g++) {
        struct gw_gateway *copy = r->gateways[g];
        copy->parent = new_gateway_of(prev, r, copy->parent);
        for (size_t l = 0; l < copy->n_listeners; l++)
            copy->listeners[l]->gateway = new_gateway_of(prev, r, copy->listeners[l]->gateway);
        if (copy->n_merged) {
            struct gw_listener **merged = gw_res_alloc(r, copy->n_merged * sizeof(*merged));
            if (!merged)
                return false;
            for (size_t l = 0; l < copy->n_merged; l++)
                merged[l] = new_listener_of(prev, r, copy->merged[l]);
            copy->merged = merged;
        }
    }
    return !r->out_of_memory;
}

/* A Gateway's (or ListenerSet's) status again: the same conditions, its listeners' counts of
 * attached routes as they are now. */
static void
republish_gateway(gwapi_resolution *r, struct gw_gateway *g)
{
    gwapi_status *st;
    const gwapi_listener_status **ls;
    size_t index;

    if (!g->status)
        return;
    st = gw_res_alloc(r, sizeof(*st));
    ls = gw_res_alloc(r, (g->n_listeners + 1) * sizeof(*ls));
    if (!st || !ls)
        return;
    *st = *g->status;
    for (size_t l = 0; l < g->n_listeners; l++)
        ls[l] = &g->listeners[l]->pub;
    st->listeners = ls;
    st->n_listeners = g->n_listeners;
    g->status = st;
    if (gw_config_lookup(r->cfg, g->obj->kind, g->obj->dialect, g->obj->metadata->namespace_,
                         g->obj->metadata->name, &index))
        r->by_index[index] = st;
}

static void *
copy_array(gwapi_resolution *r, const void *items, size_t n, size_t size)
{
    void *copy = gw_calloc(r->ctx, n + 1, size);
    if (!copy)
        r->out_of_memory = true;
    else if (n)
        memcpy(copy, items, n * size);
    return copy;
}

/* The update proper; false when out of memory. */
static bool
update(struct update *u, gwapi_config *source, const struct gw_touch **touches, size_t n)
{
    const gwapi_resolution *prev = u->prev;
    gwapi_resolution *r = u->r;

    r->source_id = source->id;
    r->source_version = source->version;
    r->base_serial = prev->serial;
    r->have_classes = prev->have_classes;
    r->have_services = prev->have_services;
    r->have_secrets = prev->have_secrets;
    r->have_config_maps = prev->have_config_maps;
    r->have_namespaces = prev->have_namespaces;
    r->have_policies = prev->have_policies;
    r->have_v1alpha1 = prev->have_v1alpha1;
    if (!admit_touched(u, source, touches, n) ||
        gw_config_snapshot(&r->cfg, source, keep_admitted, u) || !gw_resolution_index(r) ||
        !carry_refusals(u, source))
        return false;
    carry_records(u);
    r->grants = copy_array(r, prev->grants, prev->n_grants, sizeof(*r->grants));
    r->n_grants = prev->n_grants;
    r->broken_services = copy_array(r, prev->broken_services, prev->n_broken_services,
                                    sizeof(*r->broken_services));
    r->n_broken_services = prev->n_broken_services;
    r->tls_policies = copy_array(r, prev->tls_policies, prev->n_tls_policies,
                                 sizeof(*r->tls_policies));
    r->n_tls_policies = prev->n_tls_policies;
    if (r->out_of_memory || !copy_gateways(u))
        return false;
    for (size_t i = 0; i < u->n_added && !r->out_of_memory; i++)
        gw_resolve_route(r, u->added[i]);
    for (size_t g = 0; g < r->n_gateways; g++)
        republish_gateway(r, r->gateways[g]);
    gw_collect_statuses(r);
    return !r->out_of_memory;
}

GWAPI_EXPORT int
gwapi_resolution_update(gwapi_resolution **out, gwapi_resolution *prev, gwapi_config *source,
                        gwapi_diags *diags)
{
    const struct gw_touch **touches = NULL;
    struct update u = { 0 };
    size_t n = 0;
    bool ok;

    if (!out || !prev || !source || prev->ctx != source->ctx)
        return GWAPI_EINVAL;
    *out = NULL;
    if (prev->source_id != source->id || !worth_updating(prev) ||
        !distinct_touches(prev, source, &touches, &n))
        return gw_resolve_full(out, source, prev->controller, prev->include_invalid, diags);
    if (n == 0 && prev->source_version == source->version) {
        *out = gwapi_resolution_ref(prev);
        return GWAPI_OK;
    }
    u.prev = prev;
    u.r = gw_resolution_new(prev->ctx, prev->controller, prev->include_invalid, prev);
    if (!u.r) {
        gw_free(prev->ctx, touches);
        return GWAPI_ENOMEM;
    }
    u.r->diags = diags;
    ok = !u.r->out_of_memory && update(&u, source, touches, n);
    u.r->diags = NULL;
    u.r->dropped = u.dropped;
    u.r->n_dropped = u.n_dropped;
    u.r->added = u.added;
    u.r->n_added = u.n_added;
    gw_free(prev->ctx, u.touched);
    gw_free(prev->ctx, touches);
    if (!ok) {
        gwapi_resolution_unref(u.r);
        return GWAPI_ENOMEM;
    }
    *out = u.r;
    return GWAPI_OK;
}
