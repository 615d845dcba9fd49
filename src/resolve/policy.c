/* BackendTLSPolicy: its target Services, its CA certificate references,
 * conflicts between policies on one target (oldest wins), and one ancestor entry per Gateway
 * whose attached routes send traffic to a target.
 *
 * Policies, targets and the Services routes use are each indexed once (sorted arrays searched
 * by halves), so that resolving stays linear in the configuration however many policies,
 * routes and Gateways it holds. */
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "model/schema.h"
#include "resolve/resolve.h"
#include "util/context.h"

static bool
eq(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static int
cmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* One targetRef of one policy; the targets of every policy, sorted by what they target and
 * then oldest first, so that the first of a run is the one that wins. */
struct target {
    const char *ns, *group, *kind, *name, *section;
    const gwapi_object *policy;
};

static int
compare_targeted(const struct target *a, const struct target *b)
{
    int c;
    if ((c = cmp(a->ns, b->ns)) || (c = cmp(a->group, b->group)) || (c = cmp(a->kind, b->kind)) ||
        (c = cmp(a->name, b->name)))
        return c;
    return cmp(a->section, b->section);
}

static int
by_target_then_age(const void *pa, const void *pb)
{
    const struct target *a = pa, *b = pb;
    int c = compare_targeted(a, b);
    return c ? c : gw_object_age_cmp(a->policy, b->policy);
}

/* A Service a Gateway's attached routes send traffic to. */
struct service_use {
    const char *ns, *name;
    size_t gateway; /* index in r->gateways */
};

static int
compare_service(const char *ns_a, const char *name_a, const char *ns_b, const char *name_b)
{
    int c = cmp(ns_a, ns_b);
    return c ? c : cmp(name_a, name_b);
}

static int
by_service_then_gateway(const void *pa, const void *pb)
{
    const struct service_use *a = pa, *b = pb;
    int c = compare_service(a->ns, a->name, b->ns, b->name);
    return c ? c : (a->gateway > b->gateway) - (a->gateway < b->gateway);
}

struct index {
    struct target *targets;
    size_t n_targets, cap_targets;
    struct service_use *uses;
    size_t n_uses, cap_uses;
};

static void
add_use(gwapi_resolution *r, struct index *ix, const char *ns, const char *name, size_t gateway)
{
    if (gw_grow(r->ctx, (void **)&ix->uses, &ix->cap_uses, ix->n_uses + 1, sizeof(*ix->uses))) {
        r->out_of_memory = true;
        return;
    }
    ix->uses[ix->n_uses].ns = ns;
    ix->uses[ix->n_uses].name = name;
    ix->uses[ix->n_uses++].gateway = gateway;
}

/* The Services a route's backendRefs name, recorded as used by Gateway g. */
static void
add_route_uses(gwapi_resolution *r, struct index *ix, const gwapi_object *route, size_t g)
{
    const gwapi_http_route *http = gwapi_object_http_route(route);
    const gwapi_grpc_route *grpc = gwapi_object_grpc_route(route);
    const gwapi_tls_route *tls = gwapi_object_tls_route(route);
    size_t n_rules = http ? http->spec->n_rules : grpc ? grpc->spec->n_rules
                   : tls ? tls->spec->n_rules : 0;

    for (size_t i = 0; i < n_rules; i++) {
        const gwapi_backend_ref *const *refs = http ? http->spec->rules[i]->backend_refs
                                             : grpc ? grpc->spec->rules[i]->backend_refs
                                                    : tls->spec->rules[i]->backend_refs;
        size_t n = http ? http->spec->rules[i]->n_backend_refs
                 : grpc ? grpc->spec->rules[i]->n_backend_refs
                        : tls->spec->rules[i]->n_backend_refs;
        for (size_t k = 0; k < n; k++)
            if (eq(refs[k]->kind, "Service") && eq(refs[k]->group, "") && refs[k]->name)
                add_use(r, ix, refs[k]->namespace_ ? refs[k]->namespace_
                                                   : route->metadata->namespace_,
                        refs[k]->name, g);
    }
}

static void
build_index(gwapi_resolution *r, struct index *ix)
{
    size_t n = gwapi_config_count(r->cfg);

    for (size_t i = 0; i < n && !r->out_of_memory; i++) {
        const gwapi_object *o = gwapi_config_get(r->cfg, i);
        const gwapi_backend_tls_policy *p = gwapi_object_backend_tls_policy(o);
        for (size_t t = 0; p && t < p->spec->n_target_refs; t++) {
            const gwapi_policy_target_ref *ref = p->spec->target_refs[t];
            struct target *x;
            if (gw_grow(r->ctx, (void **)&ix->targets, &ix->cap_targets, ix->n_targets + 1,
                        sizeof(*ix->targets))) {
                r->out_of_memory = true;
                return;
            }
            x = &ix->targets[ix->n_targets++];
            x->ns = o->metadata->namespace_;
            x->group = ref->group;
            x->kind = ref->kind;
            x->name = ref->name;
            x->section = ref->section_name;
            x->policy = o;
        }
    }
    if (ix->n_targets > 1)
        qsort(ix->targets, ix->n_targets, sizeof(*ix->targets), by_target_then_age);
    for (size_t g = 0; g < r->n_gateways && !r->out_of_memory; g++) {
        struct gw_gateway *gw = r->gateways[g];
        if (gw->is_listener_set || !gw->managed)
            continue;
        for (size_t l = 0; l < gw->n_merged; l++)
            for (size_t a = 0; a < gw->merged[l]->n_attachments; a++)
                add_route_uses(r, ix, gw->merged[l]->attachments[a].route, g);
    }
    if (ix->n_uses > 1)
        qsort(ix->uses, ix->n_uses, sizeof(*ix->uses), by_service_then_gateway);
}

/* The policy that wins the target of key (the oldest of those naming it). */
static const gwapi_object *
winner(const struct index *ix, const struct target *key)
{
    size_t lo = 0, hi = ix->n_targets;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (compare_targeted(&ix->targets[mid], key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ix->n_targets && compare_targeted(&ix->targets[lo], key) == 0
               ? ix->targets[lo].policy : NULL;
}

/* The first entry of the uses of Service ns/name. */
static size_t
first_use(const struct index *ix, const char *ns, const char *name)
{
    size_t lo = 0, hi = ix->n_uses;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (compare_service(ix->uses[mid].ns, ix->uses[mid].name, ns, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const char *
check_ca_refs(gwapi_resolution *r, const gwapi_object *o, const gwapi_backend_tls_validation *v,
              char **why)
{
    for (size_t i = 0; v && i < v->n_ca_certificate_refs; i++) {
        const gwapi_object_ref *ref = v->ca_certificate_refs[i];
        const gwapi_object *cm;
        const gwapi_config_map *map;
        bool has_ca = false;

        if (!eq(ref->group, "") || !eq(ref->kind, "ConfigMap")) {
            *why = gw_res_printf(r, "caCertificateRef %s %s: only ConfigMaps are supported",
                                 ref->kind, ref->name);
            return "InvalidKind";
        }
        cm = gwapi_config_find(r->cfg, GWAPI_KIND_CONFIG_MAP, GWAPI_DIALECT_V1,
                               o->metadata->namespace_, ref->name);
        map = gwapi_object_config_map(cm);
        for (size_t k = 0; map && k < map->n_data; k++)
            has_ca |= strcmp(map->data[k], "ca.crt") == 0 &&
                      strcmp(map->data_content[k], "PEM CERTIFICATE") == 0;
        if (r->have_config_maps && !has_ca) {
            *why = gw_res_printf(r, "caCertificateRef: ConfigMap %s/%s %s", o->metadata->namespace_,
                                 ref->name, map ? "has no PEM certificate in ca.crt"
                                                : "does not exist");
            return "InvalidCACertificateRef";
        }
    }
    return NULL;
}

/* Whether the policy is accepted: its targets in order (a kind other than Service, a missing
 * Service, an older policy on the same target), then its CA references. */
static const char *
acceptance(gwapi_resolution *r, const struct index *ix, const gwapi_object *o,
           const gwapi_backend_tls_policy *p, const char *refs, char *refs_why, char **why)
{
    for (size_t t = 0; t < p->spec->n_target_refs; t++) {
        const gwapi_policy_target_ref *target = p->spec->target_refs[t];
        struct target key = { o->metadata->namespace_, target->group, target->kind, target->name,
                              target->section_name, o };
        const gwapi_object *first;

        if (!eq(target->group, "") || !eq(target->kind, "Service")) {
            *why = gw_res_printf(r, "targetRef %s %s: only Services can be targeted",
                                 target->kind, target->name);
            return "Invalid";
        }
        if (r->have_services &&
            !gwapi_config_find(r->cfg, GWAPI_KIND_SERVICE, GWAPI_DIALECT_V1,
                               o->metadata->namespace_, target->name)) {
            *why = gw_res_printf(r, "Service %s/%s does not exist", o->metadata->namespace_,
                                 target->name);
            return "TargetNotFound";
        }
        first = winner(ix, &key);
        if (first && first != o && gw_object_age_cmp(first, o) < 0) {
            *why = gw_res_printf(r, "BackendTLSPolicy %s/%s, older, already targets Service %s",
                                 first->metadata->namespace_, first->metadata->name,
                                 target->name);
            return "Conflicted";
        }
    }
    if (refs)
        *why = refs_why;
    return refs ? "NoValidCACertificate" : NULL;
}

static int
by_index(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* One ancestor entry per Gateway with an accepted route to a target Service, in the order of
 * the Gateways. */
static void
publish_ancestors(gwapi_resolution *r, const struct index *ix, const gwapi_object *o,
                  const char *accepted, const char *accepted_why, const char *refs,
                  const char *refs_why)
{
    const gwapi_backend_tls_policy *p = gwapi_object_backend_tls_policy(o);
    int64_t gen = gw_generation(o);
    size_t n_gateways = 0, n = 0, cap = 0, *gateways = NULL;
    const gwapi_parent_status **ancestors;
    gwapi_status *st;

    for (size_t t = 0; t < p->spec->n_target_refs; t++)
        for (size_t u = first_use(ix, o->metadata->namespace_, p->spec->target_refs[t]->name);
             u < ix->n_uses && compare_service(ix->uses[u].ns, ix->uses[u].name,
                                               o->metadata->namespace_,
                                               p->spec->target_refs[t]->name) == 0;
             u++) {
            if (gw_grow(r->ctx, (void **)&gateways, &cap, n + 1, sizeof(*gateways))) {
                r->out_of_memory = true;
                goto done;
            }
            gateways[n++] = ix->uses[u].gateway;
        }
    ancestors = gw_res_alloc(r, (n + 1) * sizeof(*ancestors));
    if (!ancestors)
        goto done;
    if (n > 1)
        qsort(gateways, n, sizeof(*gateways), by_index);
    n_gateways = 0;
    for (size_t i = 0; i < n; i++) {
        struct gw_gateway *gw;
        gwapi_parent_status *ps;
        struct gw_conditions c = { { 0 }, 0 };
        if (i && gateways[i] == gateways[i - 1])
            continue;
        gw = r->gateways[gateways[i]];
        ps = gw_res_alloc(r, sizeof(*ps));
        if (!ps)
            goto done;
        ps->group = gw_group;
        ps->kind = "Gateway";
        ps->ns = gw->obj->metadata->namespace_;
        ps->name = gw->obj->metadata->name;
        ps->controller_name = gw->controller;
        ps->parent = gw->obj;
        gw_cond_set(r, &c, "Accepted", accepted ? "False" : "True",
                    accepted ? accepted : "Accepted", gen,
                    accepted ? accepted_why : "policy accepted");
        gw_cond_set(r, &c, "ResolvedRefs", refs ? "False" : "True", refs ? refs : "ResolvedRefs",
                    gen, refs ? refs_why : "all references resolved");
        gw_cond_publish(r, &c, &ps->conditions, &ps->n_conditions);
        ancestors[n_gateways++] = ps;
    }
    st = gw_status_new(r, o);
    if (st) {
        st->parents = ancestors;
        st->n_parents = n_gateways;
    }
done:
    gw_free(r->ctx, gateways);
}

static int
by_service(const void *pa, const void *pb)
{
    const struct gw_service_ref *a = pa, *b = pb;
    return compare_service(a->ns, a->name, b->ns, b->name);
}

/* Remember the Services a policy that cannot be honoured targets: their traffic fails. */
static void
add_broken(gwapi_resolution *r, size_t *cap, const gwapi_object *o)
{
    const gwapi_backend_tls_policy *p = gwapi_object_backend_tls_policy(o);

    for (size_t t = 0; t < p->spec->n_target_refs; t++) {
        if (!eq(p->spec->target_refs[t]->kind, "Service"))
            continue;
        if (gw_grow(r->ctx, (void **)&r->broken_services, cap, r->n_broken_services + 1,
                    sizeof(*r->broken_services))) {
            r->out_of_memory = true;
            return;
        }
        r->broken_services[r->n_broken_services].ns = o->metadata->namespace_;
        r->broken_services[r->n_broken_services++].name = p->spec->target_refs[t]->name;
    }
}

static int
by_policy_target(const void *pa, const void *pb)
{
    const struct gw_tls_policy *a = pa, *b = pb;
    int c = compare_service(a->ns, a->name, b->ns, b->name);
    return c ? c : cmp(a->section, b->section);
}

/* Remember where an accepted policy is in force: each Service (port) it targets. */
static void
add_in_force(gwapi_resolution *r, size_t *cap, const gwapi_object *o)
{
    const gwapi_backend_tls_policy *p = gwapi_object_backend_tls_policy(o);

    for (size_t t = 0; t < p->spec->n_target_refs; t++) {
        struct gw_tls_policy *in;
        if (gw_grow(r->ctx, (void **)&r->tls_policies, cap, r->n_tls_policies + 1,
                    sizeof(*r->tls_policies))) {
            r->out_of_memory = true;
            return;
        }
        in = &r->tls_policies[r->n_tls_policies++];
        in->ns = o->metadata->namespace_;
        in->name = p->spec->target_refs[t]->name;
        in->section = p->spec->target_refs[t]->section_name;
        in->policy = o;
    }
}

void
gw_resolve_policies(gwapi_resolution *r)
{
    struct index ix;
    size_t n = gwapi_config_count(r->cfg), cap_broken = 0, cap_policies = 0, i_policy;

    memset(&ix, 0, sizeof(ix));
    for (i_policy = 0; i_policy < n; i_policy++)
        if (gwapi_object_backend_tls_policy(gwapi_config_get(r->cfg, i_policy)))
            break;
    if (i_policy == n)
        return; /* no policy: nothing to index */
    build_index(r, &ix);
    for (size_t i = 0; i < n && !r->out_of_memory; i++) {
        const gwapi_object *o = gwapi_config_get(r->cfg, i);
        const gwapi_backend_tls_policy *p = gwapi_object_backend_tls_policy(o);
        const char *accepted, *refs;
        char *accepted_why = NULL, *refs_why = NULL;

        if (!p)
            continue;
        refs = check_ca_refs(r, o, p->spec->validation, &refs_why);
        accepted = acceptance(r, &ix, o, p, refs, refs_why, &accepted_why);
        publish_ancestors(r, &ix, o, accepted, accepted_why, refs, refs_why);
        if ((accepted && strcmp(accepted, "Conflicted") != 0) || refs)
            add_broken(r, &cap_broken, o);
        else if (!accepted)
            add_in_force(r, &cap_policies, o);
    }
    if (r->n_tls_policies > 1)
        qsort(r->tls_policies, r->n_tls_policies, sizeof(*r->tls_policies), by_policy_target);
    if (r->n_broken_services > 1)
        qsort(r->broken_services, r->n_broken_services, sizeof(*r->broken_services), by_service);
    gw_free(r->ctx, ix.targets);
    gw_free(r->ctx, ix.uses);
}

const gwapi_object *
gw_backend_tls_policy(const gwapi_resolution *r, const char *ns, const char *name, int64_t port)
{
    const gwapi_service *svc = NULL;
    const char *port_name = NULL;
    const gwapi_object *any = NULL;
    size_t lo = 0, hi = r->n_tls_policies;

    while (lo < hi) { /* the first entry of the Service */
        size_t mid = lo + (hi - lo) / 2;
        if (compare_service(r->tls_policies[mid].ns, r->tls_policies[mid].name, ns, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == r->n_tls_policies ||
        compare_service(r->tls_policies[lo].ns, r->tls_policies[lo].name, ns, name) != 0)
        return NULL;
    svc = gwapi_object_service(gwapi_config_find(r->cfg, GWAPI_KIND_SERVICE, GWAPI_DIALECT_V1,
                                                 ns, name));
    for (size_t i = 0; svc && svc->spec && i < svc->spec->n_ports; i++)
        if (svc->spec->ports[i]->port == port)
            port_name = svc->spec->ports[i]->name;
    for (size_t i = lo; i < r->n_tls_policies &&
                        !compare_service(r->tls_policies[i].ns, r->tls_policies[i].name, ns, name);
         i++) {
        if (!r->tls_policies[i].section)
            any = any ? any : r->tls_policies[i].policy;
        else if (port_name && eq(r->tls_policies[i].section, port_name))
            return r->tls_policies[i].policy;
    }
    return any;
}

bool
gw_backend_tls_broken(const gwapi_resolution *r, const char *ns, const char *name)
{
    struct gw_service_ref key = { ns, name };
    return r->n_broken_services &&
           bsearch(&key, r->broken_services, r->n_broken_services, sizeof(key), by_service);
}
