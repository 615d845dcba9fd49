/* What every stage of resolving writes into: the resolution's memory, conditions, status
 * records and the explanation steps of routes. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "model/schema.h"
#include "resolve/resolve.h"
#include "util/context.h"
#include "util/diag.h"

const char gw_group[] = "gateway.networking.k8s.io";

void *
gw_res_alloc(gwapi_resolution *r, size_t size)
{
    void *p = gw_arena_alloc(r->arena, size, _Alignof(max_align_t));
    if (!p)
        r->out_of_memory = true;
    return p;
}

char *
gw_res_printf(gwapi_resolution *r, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = gw_arena_vprintf(r->arena, fmt, ap);
    va_end(ap);
    if (!s)
        r->out_of_memory = true;
    return s;
}

int64_t
gw_generation(const gwapi_object *obj)
{
    return obj->metadata->generation > 0 ? obj->metadata->generation : 1;
}

/* Set (or replace) the condition of that type. */
void
gw_cond_set(gwapi_resolution *r, struct gw_conditions *c, const char *type, const char *status,
            const char *reason, int64_t generation, const char *message)
{
    gwapi_condition *cond = NULL;

    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->items[i]->type, type) == 0)
            cond = c->items[i];
    if (!cond) {
        if (c->count == GW_MAX_CONDITIONS)
            return;
        cond = gw_res_alloc(r, sizeof(*cond));
        if (!cond)
            return;
        c->items[c->count++] = cond;
    }
    cond->type = type;
    cond->status = status;
    cond->reason = reason;
    cond->message = message ? message : "";
    cond->observed_generation = generation;
}

void
gw_cond_publish(gwapi_resolution *r, const struct gw_conditions *c,
                const gwapi_condition *const **out, size_t *count)
{
    const gwapi_condition **items = gw_res_alloc(r, (c->count + 1) * sizeof(*items));

    if (!items)
        return;
    for (size_t i = 0; i < c->count; i++)
        items[i] = c->items[i];
    *out = items;
    *count = c->count;
}

gwapi_status *
gw_status_new(gwapi_resolution *r, const gwapi_object *obj)
{
    const struct gwapi_config *cfg = r->cfg;
    gwapi_status *st = gw_res_alloc(r, sizeof(*st));
    size_t index;

    if (!st)
        return NULL;
    st->object = obj;
    if (gw_config_lookup(cfg, obj->kind, obj->dialect, obj->metadata->namespace_,
                         obj->metadata->name, &index))
        r->by_index[index] = st;
    return st;
}

void
gw_listener_attach(gwapi_resolution *r, struct gw_listener *l, const struct gw_attachment *a)
{
    if (gw_grow(r->ctx, (void **)&l->attachments, &l->attachments_capacity, l->n_attachments + 1,
                sizeof(*l->attachments))) {
        r->out_of_memory = true;
        return;
    }
    l->attachments[l->n_attachments++] = *a;
    l->pub.attached_routes++;
}

/* The explanation of a route, found through its config index (a scan would make resolving
 * quadratic in the number of routes); NULL when it has none yet. */
struct gw_explain *
gw_find_explain(const gwapi_resolution *r, const gwapi_object *route, size_t *index)
{
    size_t i;

    if (!gw_config_lookup(r->cfg, route->kind, route->dialect, route->metadata->namespace_,
                          route->metadata->name, &i) ||
        gwapi_config_get(r->cfg, i) != route) {
        *index = SIZE_MAX;
        return NULL;
    }
    *index = i;
    return r->explain_at[i];
}

void
gw_explain_add(gwapi_resolution *r, const gwapi_object *route, const char *parent,
               const char *listener, const char *check, bool passed, const char *reason,
               const char *message)
{
    struct gw_explain *e = NULL;
    gwapi_explain_step *step;
    size_t index;

    if (r->last_explain && r->last_explain->route == route)
        e = r->last_explain;
    else if (!(e = gw_find_explain(r, route, &index))) {
        if (index == SIZE_MAX) /* not in the configuration: nothing can ask for it */
            return;
        if (!(e = gw_res_alloc(r, sizeof(*e))))
            return;
        e->route = route;
        r->explain_at[index] = e;
    }
    r->last_explain = e;
    /* The steps live in the store, shared with the resolutions updated from this one: the
     * array doubles, the old one is left behind. */
    if (e->count == e->capacity) {
        size_t capacity = e->capacity ? 2 * e->capacity : 8;
        gwapi_explain_step **steps = gw_res_alloc(r, capacity * sizeof(*steps));
        if (!steps)
            return;
        if (e->count)
            memcpy(steps, e->steps, e->count * sizeof(*steps));
        e->steps = steps;
        e->capacity = capacity;
    }
    step = gw_res_alloc(r, sizeof(*step));
    if (!step)
        return;
    step->parent = parent;
    step->listener = listener;
    step->check = check;
    step->passed = passed;
    step->reason = passed ? NULL : reason;
    step->message = message;
    e->steps[e->count++] = step;
}
