/* The resolution object and what every stage of resolving shares: memory, conditions,
 * label selectors, ReferenceGrants, hostnames. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "model/schema.h"
#include "gatewayapi/validate.h"
#include "resolve/resolve.h"
#include "util/context.h"
#include "util/diag.h"

const char gw_group[] = "gateway.networking.k8s.io";

void *
gw_res_alloc(gwapi_resolution *r, size_t size)
{
    void *p = gw_arena_alloc(&r->arena, size, _Alignof(max_align_t));
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
    s = gw_arena_vprintf(&r->arena, fmt, ap);
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

static bool
map_get(const gwapi_string_map *m, const char *key, const char **value)
{
    for (size_t i = 0; m && i < m->count; i++) {
        if (strcmp(m->keys[i], key) == 0) {
            *value = m->values[i];
            return true;
        }
    }
    return false;
}

/* Labels of a namespace, and the kubernetes.io/metadata.name label every Namespace carries. */
static bool
label_of(const gwapi_string_map *labels, const char *ns_name, const char *key, const char **value)
{
    if (strcmp(key, "kubernetes.io/metadata.name") == 0 && ns_name) {
        *value = ns_name;
        return true;
    }
    return map_get(labels, key, value);
}

bool
gw_selector_matches(const gwapi_label_selector *sel, const gwapi_string_map *labels,
                    const char *ns_name)
{
    if (!sel)
        return false;
    for (size_t i = 0; i < sel->match_labels.count; i++) {
        const char *v;
        if (!label_of(labels, ns_name, sel->match_labels.keys[i], &v) ||
            strcmp(v, sel->match_labels.values[i]) != 0)
            return false;
    }
    for (size_t i = 0; i < sel->n_match_expressions; i++) {
        const gwapi_label_selector_requirement *e = sel->match_expressions[i];
        const char *v = NULL;
        bool has = e->key && label_of(labels, ns_name, e->key, &v), in = false;
        for (size_t j = 0; has && j < e->n_values; j++)
            in |= strcmp(e->values[j], v) == 0;
        if (!e->operator_)
            return false;
        if (strcmp(e->operator_, "In") == 0 ? !in
            : strcmp(e->operator_, "NotIn") == 0 ? in
            : strcmp(e->operator_, "Exists") == 0 ? !has
            : strcmp(e->operator_, "DoesNotExist") == 0 ? has
            : true)
            return false;
    }
    return true;
}

bool
gw_namespace_selected(gwapi_resolution *r, const gwapi_label_selector *sel, const char *ns)
{
    const gwapi_object *o = gwapi_config_find(r->cfg, GWAPI_KIND_NAMESPACE, GWAPI_DIALECT_V1,
                                              NULL, ns);
    return gw_selector_matches(sel, o ? &o->metadata->labels : NULL, ns);
}

static bool
same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static int
by_grant_namespace(const void *a, const void *b)
{
    const gwapi_object *x = *(const gwapi_object *const *)a, *y = *(const gwapi_object *const *)b;
    return strcmp(x->metadata->namespace_, y->metadata->namespace_);
}

/* The ReferenceGrants, sorted by namespace: a reference looks only at those of its target's
 * namespace, so that checking every backendRef stays linear in the configuration. */
static void
index_grants(gwapi_resolution *r)
{
    size_t n = 0;

    r->grants = gw_res_alloc(r, (gwapi_config_count(r->cfg) + 1) * sizeof(*r->grants));
    if (!r->grants)
        return;
    for (size_t i = 0; i < gwapi_config_count(r->cfg); i++) {
        const gwapi_object *o = gwapi_config_get(r->cfg, i);
        if (gwapi_object_reference_grant(o) && o->metadata->namespace_)
            r->grants[n++] = o;
    }
    qsort(r->grants, n, sizeof(*r->grants), by_grant_namespace);
    r->n_grants = n;
}

static bool
grant_permits(const gwapi_reference_grant *rg, const char *from_group, const char *from_kind,
              const char *from_ns, const char *to_group, const char *to_kind, const char *to_name)
{
    bool from = false;

    for (size_t j = 0; j < rg->spec->n_from && !from; j++) {
        const gwapi_reference_grant_from *f = rg->spec->from[j];
        from = same(f->group, from_group) && same(f->kind, from_kind) &&
               same(f->namespace_, from_ns);
    }
    for (size_t j = 0; j < rg->spec->n_to && from; j++) {
        const gwapi_reference_grant_to *t = rg->spec->to[j];
        if (same(t->group, to_group) && same(t->kind, to_kind) &&
            (!t->name || same(t->name, to_name)))
            return true;
    }
    return false;
}

bool
gw_reference_granted(gwapi_resolution *r, const char *from_group, const char *from_kind,
                     const char *from_ns, const char *to_group, const char *to_kind,
                     const char *to_ns, const char *to_name)
{
    size_t lo = 0, hi = r->n_grants;

    if (same(from_ns, to_ns))
        return true;
    if (!to_ns)
        return false;
    while (lo < hi) { /* the first grant of to_ns */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(r->grants[mid]->metadata->namespace_, to_ns) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < r->n_grants && same(r->grants[i]->metadata->namespace_, to_ns); i++)
        if (grant_permits(gwapi_object_reference_grant(r->grants[i]), from_group, from_kind,
                          from_ns, to_group, to_kind, to_name))
            return true;
    return false;
}

static bool
ends_with_label(const char *host, const char *suffix)
{
    size_t h = strlen(host), s = strlen(suffix);
    /* "*.s" covers one or more whole labels before ".s". */
    return h > s + 1 && strcmp(host + h - s, suffix) == 0 && host[h - s - 1] == '.';
}

bool
gw_host_matches(const char *pattern, const char *host)
{
    if (!pattern)
        return true;
    if (strncmp(pattern, "*.", 2) == 0)
        return ends_with_label(host, pattern + 2);
    return strcmp(pattern, host) == 0;
}

/* the effective hostname of listener x route, or NULL for none. A NULL
 * listener hostname is "any". */
const char *
gw_hostname_intersect(const char *listener, const char *route)
{
    bool lw, rw;

    if (!listener)
        return route;
    lw = strncmp(listener, "*.", 2) == 0;
    rw = strncmp(route, "*.", 2) == 0;
    if (!lw && !rw)
        return strcmp(listener, route) == 0 ? listener : NULL;
    if (!lw && rw)
        return gw_host_matches(route, listener) ? listener : NULL;
    if (lw && !rw)
        return gw_host_matches(listener, route) ? route : NULL;
    if (strcmp(listener, route) == 0)
        return listener;
    if (ends_with_label(route + 2, listener + 2))
        return route;
    if (ends_with_label(listener + 2, route + 2))
        return listener;
    return NULL;
}

/* The explanation of a route, found through its config index (a scan would make resolving
 * quadratic in the number of routes); NULL when it has none yet. */
static struct gw_explain *
find_explain(const gwapi_resolution *r, const gwapi_object *route, size_t *index)
{
    size_t i;

    if (!gw_config_lookup(r->cfg, route->kind, route->dialect, route->metadata->namespace_,
                          route->metadata->name, &i) ||
        gwapi_config_get(r->cfg, i) != route) {
        *index = SIZE_MAX;
        return NULL;
    }
    *index = i;
    return r->explain_of[i] ? &r->explains[r->explain_of[i] - 1] : NULL;
}

void
gw_explain_add(gwapi_resolution *r, const gwapi_object *route, const char *parent,
               const char *listener, const char *check, bool passed, const char *reason,
               const char *message)
{
    struct gw_explain *e = NULL;
    gwapi_explain_step *step;
    size_t index;

    if (r->n_explains && r->explains[r->n_explains - 1].route == route)
        e = &r->explains[r->n_explains - 1];
    else if (!(e = find_explain(r, route, &index))) {
        if (index == SIZE_MAX) /* not in the configuration: nothing can ask for it */
            return;
        if (gw_grow(r->ctx, (void **)&r->explains, &r->explains_capacity, r->n_explains + 1,
                    sizeof(*r->explains))) {
            r->out_of_memory = true;
            return;
        }
        e = &r->explains[r->n_explains++];
        memset(e, 0, sizeof(*e));
        e->route = route;
        r->explain_of[index] = r->n_explains;
    }
    if (gw_grow(r->ctx, (void **)&e->steps, &e->capacity, e->count + 1, sizeof(*e->steps))) {
        r->out_of_memory = true;
        return;
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

/* Admitting objects into the snapshot: those the API server would have stored. */
struct admission {
    gwapi_resolution *r;
    gwapi_diags *scratch;
    bool include_invalid;
    size_t capacity;
};

/* A Gateway API kind whose CRD requires a spec, without one: nothing of it can be resolved,
 * even when invalid objects are included. */
static bool
lacks_spec(const gwapi_object *obj)
{
    return obj->dialect == GWAPI_DIALECT_V1 && obj->kind >= GWAPI_KIND_GATEWAY_CLASS &&
           obj->kind <= GWAPI_KIND_BACKEND_TLS_POLICY &&
           gw_field_state(obj->body, "spec") == GWAPI_FIELD_ABSENT;
}

/* Why the API server would refuse obj, or NULL when it would store it. */
static const char *
refusal_of(struct admission *a, const gwapi_object *obj)
{
    const struct gw_object_rec *rec = (const struct gw_object_rec *)obj;
    const gwapi_diag *first = NULL;
    int err;

    if (a->include_invalid)
        return lacks_spec(obj) ? "spec: Required value" : NULL;
    if (rec->read_error)
        return rec->read_error;
    gwapi_diags_clear(a->scratch);
    err = gwapi_object_validate(obj, a->scratch);
    if (err == GWAPI_ENOMEM) {
        a->r->out_of_memory = true;
        return NULL;
    }
    if (err != GWAPI_EINPUT)
        return NULL;
    for (size_t i = 0; i < gwapi_diags_count(a->scratch) && !first; i++) {
        const gwapi_diag *d = gwapi_diags_get(a->scratch, i);
        if (d->severity == GWAPI_SEVERITY_ERROR)
            first = d;
    }
    if (!first)
        return "fails validation";
    return gw_res_printf(a->r, "%s%s%s", first->path ? first->path : "", first->path ? ": " : "",
                         first->message);
}

static bool
admit(const gwapi_object *obj, void *user)
{
    struct admission *a = user;
    gwapi_resolution *r = a->r;
    struct gw_site site;
    gwapi_explain_step *step;
    const char *why;

    if (r->out_of_memory || !(why = refusal_of(a, obj)))
        return true;
    site = gw_object_site(obj);
    if (gw_report(r->diags, GWAPI_SEVERITY_WARNING, GW_CODE_REFUSED, &site,
                  "left out of binding and routing: the API server would refuse it (%s)", why))
        r->out_of_memory = true;
    step = gw_res_alloc(r, sizeof(*step));
    if (!step || gw_grow(r->ctx, (void **)&r->refused, &a->capacity, r->n_refused + 1,
                         sizeof(*r->refused))) {
        r->out_of_memory = true;
        return false;
    }
    step->check = "valid";
    step->passed = false;
    step->reason = "Invalid";
    step->message = gw_res_printf(r, "refused, as the API server would refuse it: %s", why);
    r->refused[r->n_refused].obj = obj;
    r->refused[r->n_refused].step = step;
    r->n_refused++;
    return false;
}

static int
compare_refusals(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const struct gw_refusal *)a)->obj;
    uintptr_t y = (uintptr_t)((const struct gw_refusal *)b)->obj;
    return x < y ? -1 : x > y;
}

static const struct gw_refusal *
find_refusal(const gwapi_resolution *r, const gwapi_object *obj)
{
    struct gw_refusal key = { obj, NULL };
    return r->n_refused ? bsearch(&key, r->refused, r->n_refused, sizeof(key), compare_refusals)
                        : NULL;
}

/* The snapshot of cfg the resolution works on, without the objects the API server would
 * refuse. */
static void
admit_objects(gwapi_resolution *r, const gwapi_config *cfg, bool include_invalid)
{
    struct admission a = { r, NULL, include_invalid, 0 };

    if (gwapi_diags_new(&a.scratch, cfg->ctx)) {
        r->out_of_memory = true;
        return;
    }
    if (gw_config_snapshot(&r->cfg, cfg, admit, &a))
        r->out_of_memory = true;
    gwapi_diags_free(a.scratch);
    if (r->n_refused)
        qsort(r->refused, r->n_refused, sizeof(*r->refused), compare_refusals);
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
    admit_objects(r, source, (opts.flags & GWAPI_RESOLVE_INCLUDE_INVALID) != 0);
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
    index_grants(r);
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
    if ((refusal = find_refusal(r, route))) {
        if (!gw_is_route_kind(route->kind))
            return GWAPI_ENOTFOUND;
        *steps = (const gwapi_explain_step *const *)&refusal->step;
        *count = 1;
        return GWAPI_OK;
    }
    if ((e = find_explain(r, route, &index))) {
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
