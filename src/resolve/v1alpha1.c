/* networking.x-k8s.io/v1alpha1 binding: a listener selects routes (kind,
 * namespaces, label selector) AND the route allows the Gateway (spec.gateways.allow, by default
 * SameNamespace). Status in v1alpha1's own shape: routes get an "Admitted" condition per
 * Gateway that selects them. */
#include <string.h>

#include "resolve/resolve.h"
#include "model/schema.h"
#include "util/context.h"

#define V1ALPHA1_GROUP "networking.x-k8s.io"

static bool
eq(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

struct v1a1_route {
    const gwapi_object *obj;
    const gwapi_v1alpha1_route_gateways *gateways;
    const char *const *hostnames;
    size_t n_hostnames;
    const gwapi_parent_status **entries; /* one per Gateway that selects it */
    size_t n_entries, entries_capacity;
};

/* The v1alpha1 CRDs do not require a spec: a route without one has no hostnames and the
 * default gateways.allow. */
static bool
route_of(const gwapi_object *o, struct v1a1_route *v)
{
    memset(v, 0, sizeof(*v));
    v->obj = o;
    if (gwapi_object_v1alpha1_http_route(o)) {
        const gwapi_v1alpha1_http_route_spec *s = gwapi_object_v1alpha1_http_route(o)->spec;
        if (s)
            v->gateways = s->gateways, v->hostnames = s->hostnames, v->n_hostnames = s->n_hostnames;
    } else if (gwapi_object_v1alpha1_tcp_route(o)) {
        const gwapi_v1alpha1_tcp_route_spec *s = gwapi_object_v1alpha1_tcp_route(o)->spec;
        v->gateways = s ? s->gateways : NULL;
    } else if (gwapi_object_v1alpha1_tls_route(o)) {
        const gwapi_v1alpha1_tls_route_spec *s = gwapi_object_v1alpha1_tls_route(o)->spec;
        v->gateways = s ? s->gateways : NULL;
    } else if (gwapi_object_v1alpha1_udp_route(o)) {
        const gwapi_v1alpha1_udp_route_spec *s = gwapi_object_v1alpha1_udp_route(o)->spec;
        v->gateways = s ? s->gateways : NULL;
    } else {
        return false;
    }
    return true;
}

/* The route's status entry for Gateway o, made on first use. */
static gwapi_parent_status *
entry_for(gwapi_resolution *r, struct v1a1_route *v, const gwapi_object *o, const char *controller,
          bool *made)
{
    gwapi_parent_status *ps;

    *made = false;
    if (v->n_entries && v->entries[v->n_entries - 1]->parent == o)
        return (gwapi_parent_status *)v->entries[v->n_entries - 1];
    /* Gateways are resolved one after the other: an earlier entry is another Gateway's. */
    if (gw_grow(r->ctx, (void **)&v->entries, &v->entries_capacity, v->n_entries + 1,
                sizeof(*v->entries))) {
        r->out_of_memory = true;
        return NULL;
    }
    ps = gw_res_alloc(r, sizeof(*ps));
    if (!ps)
        return NULL;
    ps->group = V1ALPHA1_GROUP;
    ps->kind = "Gateway";
    ps->ns = o->metadata->namespace_;
    ps->name = o->metadata->name;
    ps->controller_name = controller;
    ps->parent = o;
    v->entries[v->n_entries++] = ps;
    *made = true;
    return ps;
}

/* route_allows(R, G): the route's own gateways.allow. */
static bool
route_allows(gwapi_resolution *r, const struct v1a1_route *v, const gwapi_object *gw, char **why)
{
    const char *allow = v->gateways && v->gateways->allow ? v->gateways->allow : "SameNamespace";
    const char *gns = gw->metadata->namespace_, *rns = v->obj->metadata->namespace_;

    if (eq(allow, "All"))
        return true;
    if (eq(allow, "FromList")) {
        for (size_t i = 0; i < v->gateways->n_gateway_refs; i++) {
            const gwapi_v1alpha1_gateway_reference *g = v->gateways->gateway_refs[i];
            if (eq(g->name, gw->metadata->name) && eq(g->namespace_, gns))
                return true;
        }
        *why = gw_res_printf(r, "route %s/%s allows only the Gateways it lists "
                             "(gateways.allow: FromList); %s/%s is not among them", rns,
                             v->obj->metadata->name, gns, gw->metadata->name);
        return false;
    }
    if (eq(gns, rns))
        return true;
    *why = gw_res_printf(r, "route %s/%s allows only Gateways in its own namespace "
                         "(gateways.allow: SameNamespace%s); Gateway %s/%s is in %s", rns,
                         v->obj->metadata->name,
                         v->gateways && gw_field_state(v->gateways, "allow") == GWAPI_FIELD_GIVEN
                             ? "" : ", the default",
                         gns, gw->metadata->name, gns);
    return false;
}

/* listener_selects(L, R): kind, namespaces, labels. */
static bool
listener_selects(gwapi_resolution *r, const gwapi_v1alpha1_listener *l, const char *lname,
                 const gwapi_object *gw, const gwapi_object *route, char **why, const char **check)
{
    const gwapi_v1alpha1_route_binding_selector *sel = l->routes;
    const char *group = sel && sel->group ? sel->group : V1ALPHA1_GROUP;
    const gwapi_v1alpha1_route_namespaces *nss = sel ? sel->namespaces : NULL;
    const char *from = nss && nss->from ? nss->from : "Same";
    const char *rns = route->metadata->namespace_, *gns = gw->metadata->namespace_;

    *check = "kind";
    if (!sel || !eq(sel->kind, route->kind_name) || !eq(group, V1ALPHA1_GROUP)) {
        *why = gw_res_printf(r, "listener %s selects %s routes, not %s", lname,
                             sel ? sel->kind : "no", route->kind_name);
        return false;
    }
    *check = "namespace";
    if (eq(from, "Same") && !eq(rns, gns)) {
        *why = gw_res_printf(r, "listener %s of %s/%s selects routes from namespace %s only; "
                             "route is in %s", lname, gns, gw->metadata->name, gns, rns);
        return false;
    }
    if (eq(from, "Selector") && !(nss->selector && gw_namespace_selected(r, nss->selector, rns))) {
        *why = gw_res_printf(r, "listener %s selects routes from namespaces matching its "
                             "selector; %s does not match", lname, rns);
        return false;
    }
    *check = "selector";
    if (sel->selector && !gw_selector_matches(sel->selector, &route->metadata->labels, NULL)) {
        *why = gw_res_printf(r, "listener %s selects routes by label; route %s/%s's labels do "
                             "not match", lname, rns, route->metadata->name);
        return false;
    }
    return true;
}

/* A name for a listener, which v1alpha1 does not give: its protocol, lower-cased, or with the
 * port when several listeners share a protocol. */
static const char *
listener_name(gwapi_resolution *r, const gwapi_v1alpha1_gateway *gw, size_t index)
{
    const gwapi_v1alpha1_listener *l = gw->spec->listeners[index];
    char name[64];
    size_t same = 0, i;

    for (i = 0; i < gw->spec->n_listeners; i++)
        same += eq(gw->spec->listeners[i]->protocol, l->protocol);
    for (i = 0; l->protocol && l->protocol[i] && i < 40; i++)
        name[i] = (char)((l->protocol[i] >= 'A' && l->protocol[i] <= 'Z') ? l->protocol[i] + 32
                                                                          : l->protocol[i]);
    name[i] = '\0';
    return same > 1 ? gw_res_printf(r, "%s-%lld", name, (long long)l->port)
                    : gw_res_printf(r, "%s", name);
}

/* The first Service an HTTPRoute's forwardTo names that the configuration does not hold (when
 * it holds Services at all), or NULL. */
static const char *
missing_service(gwapi_resolution *r, const gwapi_object *route)
{
    const gwapi_v1alpha1_http_route *hr = gwapi_object_v1alpha1_http_route(route);

    if (!hr || !hr->spec || !r->have_services)
        return NULL;
    for (size_t i = 0; i < hr->spec->n_rules; i++)
        for (size_t k = 0; k < hr->spec->rules[i]->n_forward_to; k++) {
            const char *name = hr->spec->rules[i]->forward_to[k]->service_name;
            if (name && !gwapi_config_find(r->cfg, GWAPI_KIND_SERVICE, GWAPI_DIALECT_V1,
                                           route->metadata->namespace_, name))
                return name;
        }
    return NULL;
}

void
gw_resolve_v1alpha1(gwapi_resolution *r)
{
    size_t n = gwapi_config_count(r->cfg);
    struct v1a1_route *routes = gw_res_alloc(r, (n + 1) * sizeof(*routes));
    size_t n_routes = 0;

    if (!routes)
        return;
    for (size_t i = 0; i < n; i++)
        if (route_of(gwapi_config_get(r->cfg, i), &routes[n_routes]))
            n_routes++;

    for (size_t i = 0; i < n && !r->out_of_memory; i++) {
        const gwapi_object *o = gwapi_config_get(r->cfg, i);
        const gwapi_v1alpha1_gateway *gw = gwapi_object_v1alpha1_gateway(o);
        struct gw_gateway *g;
        gwapi_status *st;
        int64_t gen;
        const gwapi_listener_status **ls;
        const char *controller = r->controller ? r->controller : "libgatewayapi/controller";
        const char *label;
        size_t n_listeners;

        if (!gw)
            continue;
        n_listeners = gw->spec ? gw->spec->n_listeners : 0;
        gen = gw_generation(o);
        g = gw_res_alloc(r, sizeof(*g));
        st = gw_status_new(r, o);
        ls = gw_res_alloc(r, (n_listeners + 1) * sizeof(*ls));
        label = gw_res_printf(r, "Gateway %s/%s", o->metadata->namespace_, o->metadata->name);
        if (!g || !st || !ls || !label)
            goto done;
        g->obj = o;
        g->managed = true;
        g->controller = controller;
        g->status = st;
        g->listeners = gw_res_alloc(r, (n_listeners + 1) * sizeof(*g->listeners));
        if (!g->listeners)
            goto done;
        /* Listed at once: the arrays of its listeners are freed through the list. */
        {
            struct gw_gateway **grown = gw_realloc(r->ctx, r->gateways,
                                                   (r->n_gateways + 1) * sizeof(*grown));
            if (!grown) {
                r->out_of_memory = true;
                goto done;
            }
            r->gateways = grown;
            r->gateways[r->n_gateways++] = g;
        }
        for (size_t k = 0; k < n_listeners; k++) {
            const gwapi_v1alpha1_listener *spec = gw->spec->listeners[k];
            struct gw_listener *l = gw_res_alloc(r, sizeof(*l));
            bool cert_ok = true;
            if (!l)
                goto done;
            l->owner = o;
            l->gateway = g;
            l->v1alpha1 = spec;
            l->pub.name = listener_name(r, gw, k);
            l->pub.port = spec->port;
            l->pub.protocol = spec->protocol;
            l->pub.hostname = spec->hostname && *spec->hostname && strcmp(spec->hostname, "*")
                                  ? spec->hostname : NULL;
            l->tls_mode = spec->tls ? spec->tls->mode : NULL;
            l->protocol_supported = true;
            if (spec->tls && eq(spec->tls->mode, "Terminate")) {
                const gwapi_v1alpha1_local_object_ref *c = spec->tls->certificate_ref;
                cert_ok = c && c->group && c->kind && c->name;
            }
            gw_cond_set(r, &l->conds, "Detached", "False", "Attached", gen, "listener attached");
            gw_cond_set(r, &l->conds, "ResolvedRefs", cert_ok ? "True" : "False",
                        cert_ok ? "ResolvedRefs" : "InvalidCertificateRef", gen,
                        cert_ok ? "all references resolved"
                                : "tls.certificateRef needs group, kind and name");
            l->valid = true;
            g->listeners[g->n_listeners++] = l;

            for (size_t rt = 0; rt < n_routes; rt++) {
                struct v1a1_route *v = &routes[rt];
                const char *check = NULL;
                char *why = NULL;
                struct gw_conditions c = { { 0 }, 0 };
                gwapi_parent_status *ps;
                bool allows, made;

                if (!listener_selects(r, spec, l->pub.name, o, v->obj, &why, &check)) {
                    gw_explain_add(r, v->obj, label, l->pub.name, check, false, "NotSelected", why);
                    continue;
                }
                gw_explain_add(r, v->obj, label, l->pub.name, "selector", true, NULL,
                               gw_res_printf(r, "listener %s selects this route", l->pub.name));
                allows = route_allows(r, v, o, &why);
                gw_explain_add(r, v->obj, label, l->pub.name, "route-allows", allows,
                               "GatewayNotAllowed",
                               allows ? gw_res_printf(r, "the route allows Gateway %s/%s",
                                                      o->metadata->namespace_, o->metadata->name)
                                      : why);
                if (allows) {
                    /* A forwardTo whose Service cannot be found drops the whole HTTPRoute from
                     * the Gateway, and the listener says its routes are degraded. */
                    const char *missing = missing_service(r, v->obj);
                    if (missing) {
                        char *degraded = gw_res_printf(r, "HTTPRoute %s/%s forwards to Service "
                                                       "%s, which does not exist: the route is "
                                                       "dropped", v->obj->metadata->namespace_,
                                                       v->obj->metadata->name, missing);
                        gw_explain_add(r, v->obj, label, l->pub.name, "forward-to", false,
                                       "DegradedRoutes", degraded);
                        if (cert_ok)
                            gw_cond_set(r, &l->conds, "ResolvedRefs", "False", "DegradedRoutes",
                                        gen, degraded);
                    } else {
                        struct gw_attachment a = { v->obj, v->hostnames, v->n_hostnames };
                        gw_listener_attach(r, l, &a);
                    }
                }
                /* One entry per (route, Gateway): a later listener may only upgrade it. */
                ps = entry_for(r, v, o, controller, &made);
                if (!ps)
                    goto done;
                if (!made && !allows)
                    continue;
                gw_cond_set(r, &c, "Admitted", allows ? "True" : "False",
                            allows ? "Admitted" : "GatewayNotAllowed", gw_generation(v->obj),
                            allows ? gw_res_printf(r, "admitted by Gateway %s/%s",
                                                   o->metadata->namespace_, o->metadata->name)
                                   : why);
                gw_cond_publish(r, &c, &ps->conditions, &ps->n_conditions);
            }
            gw_cond_publish(r, &l->conds, &l->pub.conditions, &l->pub.n_conditions);
            ls[k] = &l->pub;
        }
        gw_cond_set(r, &g->conds, "Scheduled", "True", "Scheduled", gen, "Gateway scheduled");
        gw_cond_set(r, &g->conds, "Ready", "True", "Ready", gen, "Gateway ready");
        gw_cond_publish(r, &g->conds, &st->conditions, &st->n_conditions);
        st->listeners = ls;
        st->n_listeners = n_listeners;
    }
done:
    for (size_t rt = 0; rt < n_routes; rt++) {
        gwapi_status *st = gw_status_new(r, routes[rt].obj);
        const gwapi_parent_status **entries =
            gw_res_alloc(r, (routes[rt].n_entries + 1) * sizeof(*entries));
        if (st && entries) {
            if (routes[rt].n_entries)
                memcpy(entries, routes[rt].entries, routes[rt].n_entries * sizeof(*entries));
            st->parents = entries;
            st->n_parents = routes[rt].n_entries;
        }
        gw_free(r->ctx, routes[rt].entries);
    }
}
