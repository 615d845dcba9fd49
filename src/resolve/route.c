/* Routes of every kind: each parentRef resolved to its
 * relevant listeners, the handshake with each (kind, namespace, hostname), the effective
 * hostnames of each attachment, the route's reference checks, and one parent status entry per
 * parentRef of a parent we manage. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "resolve/resolve.h"
#include "model/schema.h"
#include "util/context.h"

static bool
eq(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* What a route of any kind offers to resolution, read once from its typed body. */
struct route_view {
    const gwapi_object *obj;
    const gwapi_parent_ref *const *parents;
    size_t n_parents;
    const char *const *hostnames;
    size_t n_hostnames;
    bool uses_hostnames; /* HTTPRoute, GRPCRoute, TLSRoute */
};

static bool
view_of(const gwapi_object *o, struct route_view *v)
{
    memset(v, 0, sizeof(*v));
    v->obj = o;
    if (gwapi_object_http_route(o)) {
        const gwapi_http_route_spec *s = gwapi_object_http_route(o)->spec;
        v->parents = s->parent_refs, v->n_parents = s->n_parent_refs;
        v->hostnames = s->hostnames, v->n_hostnames = s->n_hostnames;
        v->uses_hostnames = true;
    } else if (gwapi_object_grpc_route(o)) {
        const gwapi_grpc_route_spec *s = gwapi_object_grpc_route(o)->spec;
        v->parents = s->parent_refs, v->n_parents = s->n_parent_refs;
        v->hostnames = s->hostnames, v->n_hostnames = s->n_hostnames;
        v->uses_hostnames = true;
    } else if (gwapi_object_tls_route(o)) {
        const gwapi_tls_route_spec *s = gwapi_object_tls_route(o)->spec;
        v->parents = s->parent_refs, v->n_parents = s->n_parent_refs;
        v->hostnames = s->hostnames, v->n_hostnames = s->n_hostnames;
        v->uses_hostnames = true;
    } else if (gwapi_object_tcp_route(o)) {
        const gwapi_tcp_route_spec *s = gwapi_object_tcp_route(o)->spec;
        v->parents = s->parent_refs, v->n_parents = s->n_parent_refs;
    } else if (gwapi_object_udp_route(o)) {
        const gwapi_udp_route_spec *s = gwapi_object_udp_route(o)->spec;
        v->parents = s->parent_refs, v->n_parents = s->n_parent_refs;
    } else {
        return false;
    }
    return true;
}

/* --- references: kind, then permission, then existence ------------------------------- */

struct refs_result {
    const char *reason;
    char *message;
};

/* Why a backendRef cannot be used, or NULL: kind, then permission, then existence.
 * Permission comes before existence: a reference to another namespace without a grant is
 * refused whether or not its target exists (conformance expects RefNotPermitted for a missing
 * Service in another namespace). The router asks the same question of every backend. */
const char *
gw_backend_problem(gwapi_resolution *r, const gwapi_object *route, const char *group,
                   const char *kind, const char *ns, const char *name, int64_t port, bool has_port)
{
    const gwapi_service *svc;

    if (!eq(group, "") || !eq(kind, "Service"))
        return "InvalidKind";
    if (!gw_reference_granted(r, gw_group, route->kind_name, route->metadata->namespace_, "",
                              "Service", ns, name))
        return "RefNotPermitted";
    if (!r->have_services)
        return NULL;
    svc = gwapi_object_service(gwapi_config_find(r->cfg, GWAPI_KIND_SERVICE, GWAPI_DIALECT_V1,
                                                 ns, name));
    if (!svc)
        return "BackendNotFound";
    if (has_port && svc->spec) {
        for (size_t i = 0; i < svc->spec->n_ports; i++)
            if (svc->spec->ports[i]->port == port)
                return NULL;
        return "BackendNotFound";
    }
    return NULL;
}

static void
check_backend(gwapi_resolution *r, const gwapi_object *route, const char *group, const char *kind,
              const char *ref_ns, const char *name, int64_t port, bool has_port,
              struct refs_result *out)
{
    const char *ns = ref_ns ? ref_ns : route->metadata->namespace_;
    const char *reason;

    if (out->reason)
        return; /* the first failing reference names the condition */
    reason = gw_backend_problem(r, route, group, kind, ns, name, port, has_port);
    if (!reason)
        return;
    out->reason = reason;
    if (!strcmp(reason, "InvalidKind"))
        out->message = gw_res_printf(r, "backendRef %s/%s: kind %s%s%s is not supported", ns,
                                     name, group && *group ? group : "", group && *group ? "/" : "",
                                     kind);
    else if (!strcmp(reason, "RefNotPermitted"))
        out->message = gw_res_printf(r, "backendRef to Service %s/%s is in another namespace and "
                                     "no ReferenceGrant in %s permits it", ns, name, ns);
    else if (has_port && gwapi_config_find(r->cfg, GWAPI_KIND_SERVICE, GWAPI_DIALECT_V1, ns, name))
        out->message = gw_res_printf(r, "backendRef: Service %s/%s has no port %lld", ns, name,
                                     (long long)port);
    else
        out->message = gw_res_printf(r, "backendRef: Service %s/%s does not exist", ns, name);
}

static void
check_filters(gwapi_resolution *r, const gwapi_object *route, const gwapi_filter *const *filters,
              size_t n, struct refs_result *out)
{
    for (size_t i = 0; i < n; i++) {
        const gwapi_request_mirror *m = filters[i]->request_mirror;
        if (m && m->backend_ref)
            check_backend(r, route, m->backend_ref->group, m->backend_ref->kind,
                          m->backend_ref->namespace_, m->backend_ref->name, m->backend_ref->port,
                          gw_field_state(m->backend_ref, "port") != GWAPI_FIELD_ABSENT, out);
    }
}

static void
check_backend_refs(gwapi_resolution *r, const gwapi_object *route, const gwapi_backend_ref *const *refs,
                   size_t n, struct refs_result *out)
{
    for (size_t i = 0; i < n; i++) {
        const gwapi_backend_ref *b = refs[i];
        check_backend(r, route, b->group, b->kind, b->namespace_, b->name, b->port,
                      gw_field_state(b, "port") != GWAPI_FIELD_ABSENT, out);
        check_filters(r, route, b->filters, b->n_filters, out);
    }
}

static struct refs_result
check_route_refs(gwapi_resolution *r, const gwapi_object *o)
{
    struct refs_result out = { NULL, NULL };

    if (gwapi_object_http_route(o)) {
        const gwapi_http_route_spec *s = gwapi_object_http_route(o)->spec;
        for (size_t i = 0; i < s->n_rules; i++) {
            check_backend_refs(r, o, s->rules[i]->backend_refs, s->rules[i]->n_backend_refs, &out);
            check_filters(r, o, s->rules[i]->filters, s->rules[i]->n_filters, &out);
        }
    } else if (gwapi_object_grpc_route(o)) {
        const gwapi_grpc_route_spec *s = gwapi_object_grpc_route(o)->spec;
        for (size_t i = 0; i < s->n_rules; i++) {
            check_backend_refs(r, o, s->rules[i]->backend_refs, s->rules[i]->n_backend_refs, &out);
            check_filters(r, o, s->rules[i]->filters, s->rules[i]->n_filters, &out);
        }
    } else {
        const gwapi_l4_route_rule *const *rules = NULL;
        size_t n = 0;
        if (gwapi_object_tls_route(o))
            rules = gwapi_object_tls_route(o)->spec->rules, n = gwapi_object_tls_route(o)->spec->n_rules;
        else if (gwapi_object_tcp_route(o))
            rules = gwapi_object_tcp_route(o)->spec->rules, n = gwapi_object_tcp_route(o)->spec->n_rules;
        else if (gwapi_object_udp_route(o))
            rules = gwapi_object_udp_route(o)->spec->rules, n = gwapi_object_udp_route(o)->spec->n_rules;
        for (size_t i = 0; i < n; i++)
            check_backend_refs(r, o, rules[i]->backend_refs, rules[i]->n_backend_refs, &out);
    }
    return out;
}

/* --- the handshake --------------------------------------------------------------------------- */

static bool
supports_kind(const struct gw_listener *l, const char *kind)
{
    for (size_t i = 0; i < l->n_kinds; i++)
        if (eq(l->kinds[i].kind, kind) && eq(l->kinds[i].group, gw_group))
            return true;
    return false;
}

static bool
namespace_allowed(gwapi_resolution *r, const struct gw_listener *l, const char *route_ns,
                  char **why)
{
    const gwapi_allowed_routes *ar = l->spec->allowed_routes;
    const gwapi_from_namespaces *from = ar ? ar->namespaces : NULL;
    const char *mode = from && from->from ? from->from : "Same";
    const char *owner_ns = l->owner->metadata->namespace_;

    if (eq(mode, "All"))
        return true;
    if (eq(mode, "Selector")) {
        if (from->selector && gw_namespace_selected(r, from->selector, route_ns))
            return true;
        *why = gw_res_printf(r, "listener %s of %s/%s allows routes from namespaces matching "
                             "its selector only; namespace %s does not match", l->pub.name,
                             owner_ns, l->owner->metadata->name, route_ns);
        return false;
    }
    if (eq(owner_ns, route_ns))
        return true;
    *why = gw_res_printf(r, "listener %s of %s/%s allows routes from namespace %s only; route is "
                         "in %s", l->pub.name, owner_ns, l->owner->metadata->name, owner_ns,
                         route_ns);
    return false;
}

/* Effective hostnames of the route on this listener; false when none intersect. */
static bool
effective_hostnames(gwapi_resolution *r, const struct gw_listener *l, const struct route_view *v,
                    const char ***out, size_t *n)
{
    const char **hosts;

    *out = NULL;
    *n = 0;
    if (!v->uses_hostnames || v->n_hostnames == 0) {
        if (l->pub.hostname && v->uses_hostnames) {
            hosts = gw_res_alloc(r, sizeof(*hosts));
            if (!hosts)
                return false;
            hosts[0] = l->pub.hostname;
            *out = hosts;
            *n = 1;
        }
        return true;
    }
    hosts = gw_res_alloc(r, v->n_hostnames * sizeof(*hosts));
    if (!hosts)
        return false;
    for (size_t i = 0; i < v->n_hostnames; i++) {
        const char *h = gw_hostname_intersect(l->pub.hostname, v->hostnames[i]);
        bool seen = false;
        for (size_t k = 0; h && k < *n; k++)
            seen |= strcmp(hosts[k], h) == 0;
        if (h && !seen)
            hosts[(*n)++] = h;
    }
    *out = hosts;
    return *n > 0;
}

static void
attach(gwapi_resolution *r, struct gw_listener *l, const gwapi_object *route, const char **hosts,
       size_t n_hosts)
{
    struct gw_attachment a;

    /* A route attaching twice to one listener (two parentRefs) is one route; its parentRefs
     * are resolved one after the other, so only the last attachment can be the same route. */
    if (l->n_attachments && l->attachments[l->n_attachments - 1].route == route)
        return;
    a.route = route;
    a.hostnames = hosts;
    a.n_hostnames = n_hosts;
    gw_listener_attach(r, l, &a);
}

static struct gw_gateway *
find_parent(gwapi_resolution *r, const char *kind, const char *ns, const char *name)
{
    for (size_t i = 0; i < r->n_gateways; i++) {
        struct gw_gateway *g = r->gateways[i];
        if (g->is_listener_set == eq(kind, "ListenerSet") && eq(g->obj->metadata->namespace_, ns) &&
            eq(g->obj->metadata->name, name))
            return g;
    }
    return NULL;
}

/* The Gateway or ListenerSet a parentRef names, when it is one of ours; why not is explained. */
static struct gw_gateway *
managed_parent(gwapi_resolution *r, const gwapi_object *route, const gwapi_parent_ref *p,
               const char *ns, const char *label)
{
    struct gw_gateway *g;

    if (!eq(p->group, gw_group) || !(eq(p->kind, "Gateway") || eq(p->kind, "ListenerSet"))) {
        gw_explain_add(r, route, label, NULL, "parent", false, NULL,
                       gw_res_printf(r, "parents of kind %s/%s are not supported", p->group, p->kind));
        return NULL;
    }
    g = find_parent(r, p->kind, ns, p->name);
    if (!g) {
        gw_explain_add(r, route, label, NULL, "parent", false, NULL,
                       gw_res_printf(r, "%s does not exist", label));
        return NULL;
    }
    if (!g->managed) {
        gw_explain_add(r, route, label, NULL, "class", false, NULL,
                       gw_res_printf(r, "%s is not managed here (%s)", label,
                                     g->conds.count ? g->conds.items[0]->message : "no class"));
        return NULL;
    }
    gw_explain_add(r, route, label, NULL, "parent", true, NULL,
                   gw_res_printf(r, "%s exists and is managed by %s", label, g->controller));
    return g;
}

/* How far a route got with the listeners a parentRef selects. */
struct parent_tally {
    size_t relevant;  /* selected by sectionName and port */
    size_t allowed;   /* that accept the route's kind and namespace */
    size_t attached;  /* that also share a hostname with it */
};

/* Attach the route to one listener if everything allows it, explaining each check. */
static void
try_listener(gwapi_resolution *r, const struct route_view *v, const gwapi_parent_ref *p,
             bool has_port, const char *label, struct gw_listener *l, struct parent_tally *t)
{
    const gwapi_object *route = v->obj;
    const char **hosts = NULL;
    size_t n_hosts = 0;
    char *why = NULL;

    if (p->section_name && !eq(l->pub.name, p->section_name))
        return;
    if (has_port && (l->pub.port != p->port || !supports_kind(l, route->kind_name)))
        return;
    t->relevant++;
    if (!supports_kind(l, route->kind_name)) {
        gw_explain_add(r, route, label, l->pub.name, "kind", false, "NotAllowedByListeners",
                       gw_res_printf(r, "listener %s (%s) does not accept %s routes%s",
                                     l->pub.name, l->pub.protocol, route->kind_name,
                                     l->conflict_reason ? ": it lost a conflict" : ""));
        return;
    }
    if (!namespace_allowed(r, l, route->metadata->namespace_, &why)) {
        gw_explain_add(r, route, label, l->pub.name, "namespace", false, "NotAllowedByListeners",
                       why);
        return;
    }
    t->allowed++;
    gw_explain_add(r, route, label, l->pub.name, "kind", true, NULL,
                   gw_res_printf(r, "listener %s accepts %s routes from namespace %s",
                                 l->pub.name, route->kind_name, route->metadata->namespace_));
    if (!effective_hostnames(r, l, v, &hosts, &n_hosts)) {
        gw_explain_add(r, route, label, l->pub.name, "hostname", false,
                       "NoMatchingListenerHostname",
                       gw_res_printf(r, "no route hostname intersects listener %s's hostname %s",
                                     l->pub.name, l->pub.hostname));
        return;
    }
    if (v->uses_hostnames)
        gw_explain_add(r, route, label, l->pub.name, "hostname", true, NULL,
                       n_hosts ? gw_res_printf(r, "effective hostnames on listener %s: %s%s",
                                               l->pub.name, hosts[0], n_hosts > 1 ? ", ..." : "")
                               : gw_res_printf(r, "listener %s and route accept any host",
                                               l->pub.name));
    attach(r, l, route, hosts, n_hosts);
    t->attached++;
}

/* Why the route is not accepted by the parent (NULL when it is), with *message. */
static const char *
refusal_reason(gwapi_resolution *r, const gwapi_parent_ref *p, bool has_port, const char *label,
               const struct parent_tally *t, char **message)
{
    if (t->relevant == 0) {
        *message = p->section_name || has_port
                       ? gw_res_printf(r, "%s has no listener%s%s%s%s", label,
                                       p->section_name ? " named " : "",
                                       p->section_name ? p->section_name : "",
                                       has_port ? " on port " : "",
                                       has_port ? gw_res_printf(r, "%lld", (long long)p->port) : "")
                       : gw_res_printf(r, "%s has no listeners", label);
        return "NoMatchingParent";
    }
    if (t->attached == 0 && t->allowed == 0) {
        *message = gw_res_printf(r, "no listener of %s allows this route", label);
        return "NotAllowedByListeners";
    }
    if (t->attached == 0) {
        *message = gw_res_printf(r, "no listener of %s that allows this route has a hostname "
                                    "matching it", label);
        return "NoMatchingListenerHostname";
    }
    return NULL;
}

/* One parentRef: returns the status entry, or NULL when the parent is not ours to report on. */
static gwapi_parent_status *
resolve_parent(gwapi_resolution *r, const struct route_view *v, const gwapi_parent_ref *p,
               const struct refs_result *refs)
{
    const gwapi_object *route = v->obj;
    const char *ns = p->namespace_ ? p->namespace_ : route->metadata->namespace_;
    const char *label = gw_res_printf(r, "%s %s/%s", p->kind, ns, p->name);
    bool has_port = gw_field_state(p, "port") != GWAPI_FIELD_ABSENT;
    int64_t gen = gw_generation(route);
    struct gw_conditions conds = { { 0 }, 0 };
    struct parent_tally tally = { 0, 0, 0 };
    struct gw_gateway *g = managed_parent(r, route, p, ns, label);
    gwapi_parent_status *ps;
    const char *reason;
    char *message = NULL;

    if (!g)
        return NULL;
    for (size_t i = 0; i < g->n_listeners; i++)
        try_listener(r, v, p, has_port, label, g->listeners[i], &tally);
    reason = refusal_reason(r, p, has_port, label, &tally, &message);
    gw_explain_add(r, route, label, NULL, "accepted", reason == NULL, reason,
                   reason ? message : gw_res_printf(r, "attached to %zu listener%s of %s",
                                                    tally.attached, tally.attached == 1 ? "" : "s",
                                                    label));
    ps = gw_res_alloc(r, sizeof(*ps));
    if (!ps)
        return NULL;
    ps->group = p->group;
    ps->kind = p->kind;
    ps->ns = p->namespace_;
    ps->name = p->name;
    ps->section_name = p->section_name;
    ps->port = has_port ? p->port : 0;
    ps->controller_name = g->controller;
    ps->parent = g->obj;
    gw_cond_set(r, &conds, "Accepted", reason ? "False" : "True", reason ? reason : "Accepted", gen,
                reason ? message : gw_res_printf(r, "accepted by %s", label));
    gw_cond_set(r, &conds, "ResolvedRefs", refs->reason ? "False" : "True",
                refs->reason ? refs->reason : "ResolvedRefs", gen,
                refs->reason ? refs->message : "all references resolved");
    gw_cond_publish(r, &conds, &ps->conditions, &ps->n_conditions);
    return ps;
}

/* One route: its references, each parentRef, and its status. */
void
gw_resolve_route(gwapi_resolution *r, const gwapi_object *o)
{
    struct route_view v;
    struct refs_result refs;
    const gwapi_parent_status **parents;
    gwapi_status *st;
    size_t n = 0;

    if (!view_of(o, &v))
        return;
    refs = check_route_refs(r, o);
    parents = gw_res_alloc(r, (v.n_parents + 1) * sizeof(*parents));
    if (!parents)
        return;
    for (size_t k = 0; k < v.n_parents; k++) {
        gwapi_parent_status *ps = resolve_parent(r, &v, v.parents[k], &refs);
        if (ps)
            parents[n++] = ps;
    }
    st = gw_status_new(r, o);
    if (st) {
        st->parents = parents;
        st->n_parents = n;
    }
}

void
gw_resolve_routes(gwapi_resolution *r)
{
    for (size_t i = 0; i < gwapi_config_count(r->cfg) && !r->out_of_memory; i++)
        gw_resolve_route(r, gwapi_config_get(r->cfg, i));
}
