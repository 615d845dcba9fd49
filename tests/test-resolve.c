/* Binding resolution and status: the binding rules of the specification, one test each, and the
 * founding document's scenario. */
#include <stdlib.h>

#include "test-common.h"

#define GC "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: gc}\nspec: {controllerName: example.com/ctl}\n---\n"
#define NS(n, labels) "apiVersion: v1\nkind: Namespace\nmetadata: {name: " n ", labels: " labels "}\n---\n"

struct resolved {
    struct fixture f;
    gwapi_resolution *res;
};

static void
resolve_text_flags(struct resolved *r, const char *text, const char *controller, unsigned flags)
{
    gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
    fixture_init(&r->f);
    fixture_load_text(&r->f, text, 0);
    options.controller_name = controller;
    options.flags = flags;
    ck_assert_int_eq(gwapi_resolve(&r->res, r->f.cfg, &options, r->f.diags), 0);
}

static void
resolve_text(struct resolved *r, const char *text, const char *controller)
{
    resolve_text_flags(r, text, controller, 0);
}

static void
release(struct resolved *r)
{
    gwapi_resolution_unref(r->res);
    fixture_release(&r->f);
}

static const gwapi_status *
status_of(struct resolved *r, gwapi_kind kind, const char *ns, const char *name)
{
    const gwapi_object *o = fixture_find(&r->f, kind, GWAPI_DIALECT_V1, ns, name);
    ck_assert_ptr_nonnull(o);
    return gwapi_resolution_status(r->res, o);
}

static const gwapi_condition *
cond(const gwapi_condition *const *conds, size_t n, const char *type)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(conds[i]->type, type) == 0)
            return conds[i];
    return NULL;
}

/* Assert the route's entry for a parent: Accepted status and reason. */
static void
assert_route(struct resolved *r, gwapi_kind kind, const char *name, size_t parent,
             const char *status, const char *reason)
{
    const gwapi_status *st = status_of(r, kind, "r", name);
    const gwapi_condition *c;
    ck_assert_ptr_nonnull(st);
    ck_assert_uint_gt(st->n_parents, parent);
    c = cond(st->parents[parent]->conditions, st->parents[parent]->n_conditions, "Accepted");
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(c->status, status);
    ck_assert_str_eq(c->reason, reason);
}

static const gwapi_listener_status *
listener_in(struct resolved *r, const char *ns, const char *gw, const char *name)
{
    const gwapi_status *st = status_of(r, GWAPI_KIND_GATEWAY, ns, gw);
    for (size_t i = 0; st && i < st->n_listeners; i++)
        if (strcmp(st->listeners[i]->name, name) == 0)
            return st->listeners[i];
    ck_abort_msg("no listener %s", name);
    return NULL;
}

START_TEST(hostname_intersection)
{
    /* Listener hostname x route hostname -> attached or not. */
    static const struct { const char *listener, *route; bool attaches; } cases[] = {
        { "foo.example.com", "foo.example.com", true }, { "foo.example.com", "bar.example.com", false },
        { "foo.example.com", "*.example.com", true }, { "*.example.com", "foo.example.com", true },
        { "*.example.com", "example.com", false }, { "*.example.com", "*.com", true },
        { "*.foo.example.com", "*.example.com", true }, { "*.example.com", "*.example.org", false },
        { "*.com", "a.b.example.com", true },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct resolved r;
        char text[2048];
        snprintf(text, sizeof(text), GC
                 "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: r}\n"
                 "spec: {gatewayClassName: gc, listeners: [{name: l, port: 80, protocol: HTTP, hostname: '%s'}]}\n---\n"
                 "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: h, namespace: r}\n"
                 "spec: {parentRefs: [{name: gw}], hostnames: ['%s']}\n", cases[i].listener, cases[i].route);
        resolve_text(&r, text, NULL);
        assert_route(&r, GWAPI_KIND_HTTP_ROUTE, "h", 0, cases[i].attaches ? "True" : "False",
                     cases[i].attaches ? "Accepted" : "NoMatchingListenerHostname");
        release(&r);
    }
}
END_TEST

#define GW_LISTENERS(ns, listeners) \
    "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: " ns "}\n" \
    "spec: {gatewayClassName: gc, listeners: " listeners "}\n---\n"

START_TEST(allowed_routes_namespaces)
{
    struct resolved r;
    resolve_text(&r, GC NS("r", "{team: a}") NS("other", "{team: b}")
        GW_LISTENERS("g", "[{name: same, port: 80, protocol: HTTP},"
                          " {name: all, port: 81, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}},"
                          " {name: sel, port: 82, protocol: HTTP, allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {team: a}}}}},"
                          " {name: selname, port: 83, protocol: HTTP, allowedRoutes: {namespaces: {from: Selector, selector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [other]}]}}}}]")
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: same, namespace: r}\n"
        "spec: {parentRefs: [{name: gw, namespace: g, sectionName: same}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: all, namespace: r}\n"
        "spec: {parentRefs: [{name: gw, namespace: g, sectionName: all}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: sel, namespace: r}\n"
        "spec: {parentRefs: [{name: gw, namespace: g, sectionName: sel}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: selname, namespace: r}\n"
        "spec: {parentRefs: [{name: gw, namespace: g, sectionName: selname}]}\n", NULL);
    assert_route(&r, GWAPI_KIND_HTTP_ROUTE, "same", 0, "False", "NotAllowedByListeners");
    assert_route(&r, GWAPI_KIND_HTTP_ROUTE, "all", 0, "True", "Accepted");
    assert_route(&r, GWAPI_KIND_HTTP_ROUTE, "sel", 0, "True", "Accepted");
    assert_route(&r, GWAPI_KIND_HTTP_ROUTE, "selname", 0, "False", "NotAllowedByListeners");
    ck_assert_int_eq(listener_in(&r, "g", "gw", "all")->attached_routes, 1);
    ck_assert_int_eq(listener_in(&r, "g", "gw", "same")->attached_routes, 0);
    {
        /* explain names the listener and both namespaces */
        const gwapi_object *route = fixture_find(&r.f, GWAPI_KIND_HTTP_ROUTE, GWAPI_DIALECT_V1, "r", "same");
        const gwapi_explain_step *const *steps;
        size_t n;
        bool found = false;
        ck_assert_int_eq(gwapi_resolution_explain(r.res, route, &steps, &n), 0);
        for (size_t i = 0; i < n; i++)
            if (!steps[i]->passed && strcmp(steps[i]->check, "namespace") == 0) {
                ck_assert_str_eq(steps[i]->reason, "NotAllowedByListeners");
                ck_assert_str_eq(steps[i]->message, "listener same of g/gw allows routes from namespace g only; route is in r");
                found = true;
            }
        ck_assert(found);
    }
    release(&r);
}
END_TEST

START_TEST(section_name_port_and_kinds)
{
    struct resolved r;
    /* by-port names gw with and without sectionName, which the API server refuses (CEL
     * "sectionName must be specified when parentRefs includes 2 or more references to the
     * same parent"): included on purpose, to see each parentRef's verdict. */
    resolve_text_flags(&r, GC
        GW_LISTENERS("r", "[{name: http, port: 80, protocol: HTTP}, {name: tcp, port: 90, protocol: TCP},"
                          " {name: grpc-only, port: 81, protocol: HTTP, allowedRoutes: {kinds: [{kind: GRPCRoute}]}}]")
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: by-port, namespace: r}\n"
        "spec: {parentRefs: [{name: gw, port: 80}, {name: gw, port: 8080}, {name: gw, sectionName: nope}, {name: gw, sectionName: tcp}, {name: gw, sectionName: grpc-only}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: TCPRoute\nmetadata: {name: t, namespace: r}\n"
        "spec: {parentRefs: [{name: gw}], rules: [{backendRefs: [{name: s, port: 5432}]}]}\n", NULL,
        GWAPI_RESOLVE_INCLUDE_INVALID);
    assert_route(&r, GWAPI_KIND_HTTP_ROUTE, "by-port", 0, "True", "Accepted");
    assert_route(&r, GWAPI_KIND_HTTP_ROUTE, "by-port", 1, "False", "NoMatchingParent");
    assert_route(&r, GWAPI_KIND_HTTP_ROUTE, "by-port", 2, "False", "NoMatchingParent");
    assert_route(&r, GWAPI_KIND_HTTP_ROUTE, "by-port", 3, "False", "NotAllowedByListeners");
    assert_route(&r, GWAPI_KIND_HTTP_ROUTE, "by-port", 4, "False", "NotAllowedByListeners");
    /* A TCPRoute without sectionName attaches to the TCP listener only. */
    assert_route(&r, GWAPI_KIND_TCP_ROUTE, "t", 0, "True", "Accepted");
    ck_assert_int_eq(listener_in(&r, "r", "gw", "tcp")->attached_routes, 1);
    ck_assert_int_eq(listener_in(&r, "r", "gw", "http")->attached_routes, 1);
    ck_assert_uint_eq(listener_in(&r, "r", "gw", "grpc-only")->n_supported_kinds, 1);
    ck_assert_str_eq(listener_in(&r, "r", "gw", "grpc-only")->supported_kinds[0]->kind, "GRPCRoute");
    release(&r);
}
END_TEST

START_TEST(reference_grants_and_backends)
{
    struct resolved r;
    static const char base[] = GC
        GW_LISTENERS("r", "[{name: http, port: 80, protocol: HTTP}]")
        "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: r}\nspec: {ports: [{port: 80}]}\n---\n"
        "apiVersion: v1\nkind: Service\nmetadata: {name: far, namespace: b}\nspec: {ports: [{port: 80}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: ok, namespace: r}\n"
        "spec: {parentRefs: [{name: gw}], rules: [{backendRefs: [{name: s, port: 80}]}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: missing, namespace: r}\n"
        "spec: {parentRefs: [{name: gw}], rules: [{backendRefs: [{name: nope, port: 80}]}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: badport, namespace: r}\n"
        "spec: {parentRefs: [{name: gw}], rules: [{backendRefs: [{name: s, port: 81}]}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: kind, namespace: r}\n"
        "spec: {parentRefs: [{name: gw}], rules: [{backendRefs: [{group: example.com, kind: Bucket, name: b}]}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: cross, namespace: r}\n"
        "spec: {parentRefs: [{name: gw}], rules: [{backendRefs: [{name: far, namespace: b, port: 80}]}]}\n";
    static const struct { const char *route, *status, *reason; } want[] = {
        { "ok", "True", "ResolvedRefs" }, { "missing", "False", "BackendNotFound" },
        { "badport", "False", "BackendNotFound" }, { "kind", "False", "InvalidKind" },
        { "cross", "False", "RefNotPermitted" },
    };
    char text[4096];

    for (int granted = 0; granted < 2; granted++) {
        snprintf(text, sizeof(text), "%s%s", base, granted ?
                 "---\napiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {name: rg, namespace: b}\n"
                 "spec: {from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: r}], to: [{group: '', kind: Service}]}\n" : "");
        resolve_text(&r, text, NULL);
        for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
            const gwapi_status *st = status_of(&r, GWAPI_KIND_HTTP_ROUTE, "r", want[i].route);
            const gwapi_condition *c = cond(st->parents[0]->conditions, st->parents[0]->n_conditions, "ResolvedRefs");
            bool cross_ok = granted && !strcmp(want[i].route, "cross");
            ck_assert_str_eq(c->status, cross_ok ? "True" : want[i].status);
            ck_assert_str_eq(c->reason, cross_ok ? "ResolvedRefs" : want[i].reason);
            /* Bad references never stop the attachment. */
            ck_assert_str_eq(cond(st->parents[0]->conditions, st->parents[0]->n_conditions, "Accepted")->status, "True");
        }
        release(&r);
    }
}
END_TEST

START_TEST(listener_conflicts_and_tls)
{
    struct resolved r;
    resolve_text(&r, GC
        "apiVersion: v1\nkind: Secret\nmetadata: {name: cert, namespace: g}\ntype: kubernetes.io/tls\n"
        "data: {tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==, tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCg==}\n---\n"
        "apiVersion: v1\nkind: Secret\nmetadata: {name: junk, namespace: g}\ntype: kubernetes.io/tls\n"
        "data: {tls.crt: SGVsbG8K, tls.key: SGVsbG8K}\n---\n"
        GW_LISTENERS("g", "[{name: http, port: 80, protocol: HTTP}, {name: tcp, port: 80, protocol: TCP},"
                          " {name: https, port: 443, protocol: HTTPS, hostname: a.example.com, tls: {certificateRefs: [{name: cert}]}},"
                          " {name: wild, port: 443, protocol: HTTPS, hostname: '*.example.com', tls: {certificateRefs: [{name: cert}]}},"
                          " {name: junk, port: 8443, protocol: HTTPS, tls: {certificateRefs: [{name: junk}]}},"
                          " {name: other-ns, port: 9443, protocol: HTTPS, tls: {certificateRefs: [{name: cert, namespace: x}]}},"
                          " {name: weird, port: 99, protocol: example.com/proto}]"), NULL);
    ck_assert_str_eq(cond(listener_in(&r, "g", "gw", "http")->conditions, listener_in(&r, "g", "gw", "http")->n_conditions, "Conflicted")->reason, "ProtocolConflict");
    ck_assert_str_eq(cond(listener_in(&r, "g", "gw", "tcp")->conditions, listener_in(&r, "g", "gw", "tcp")->n_conditions, "Accepted")->reason, "ProtocolConflict");
    ck_assert_uint_eq(listener_in(&r, "g", "gw", "tcp")->n_supported_kinds, 0);
    ck_assert_str_eq(cond(listener_in(&r, "g", "gw", "https")->conditions, listener_in(&r, "g", "gw", "https")->n_conditions, "Programmed")->status, "True");
    ck_assert_str_eq(cond(listener_in(&r, "g", "gw", "https")->conditions, listener_in(&r, "g", "gw", "https")->n_conditions, "OverlappingTLSConfig")->reason, "OverlappingHostnames");
    ck_assert_str_eq(cond(listener_in(&r, "g", "gw", "junk")->conditions, listener_in(&r, "g", "gw", "junk")->n_conditions, "ResolvedRefs")->reason, "InvalidCertificateRef");
    ck_assert_str_eq(cond(listener_in(&r, "g", "gw", "junk")->conditions, listener_in(&r, "g", "gw", "junk")->n_conditions, "Programmed")->status, "False");
    ck_assert_str_eq(cond(listener_in(&r, "g", "gw", "other-ns")->conditions, listener_in(&r, "g", "gw", "other-ns")->n_conditions, "ResolvedRefs")->reason, "RefNotPermitted");
    ck_assert_str_eq(cond(listener_in(&r, "g", "gw", "weird")->conditions, listener_in(&r, "g", "gw", "weird")->n_conditions, "Accepted")->reason, "UnsupportedProtocol");
    {
        const gwapi_status *st = status_of(&r, GWAPI_KIND_GATEWAY, "g", "gw");
        const gwapi_condition *a = cond(st->conditions, st->n_conditions, "Accepted");
        ck_assert_str_eq(a->status, "True");
        ck_assert_str_eq(a->reason, "ListenersNotValid");
    }
    release(&r);
}
END_TEST

START_TEST(listener_sets_attach_in_order)
{
    struct resolved r;
    resolve_text(&r, GC
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: g}\n"
        "spec: {gatewayClassName: gc, allowedListeners: {namespaces: {from: Same}}, listeners: [{name: http, port: 80, protocol: HTTP, hostname: a.example.com}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata: {name: older, namespace: g, creationTimestamp: '2026-01-01T00:00:00Z'}\n"
        "spec: {parentRef: {name: gw}, listeners: [{name: one, port: 80, protocol: HTTP, hostname: b.example.com}, {name: dup, port: 80, protocol: HTTP, hostname: a.example.com}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata: {name: newer, namespace: g, creationTimestamp: '2026-02-01T00:00:00Z'}\n"
        "spec: {parentRef: {name: gw}, listeners: [{name: two, port: 80, protocol: HTTP, hostname: b.example.com}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata: {name: outsider, namespace: o}\n"
        "spec: {parentRef: {name: gw, namespace: g}, listeners: [{name: x, port: 81, protocol: HTTP}]}\n", NULL);
    {
        const gwapi_status *older = status_of(&r, GWAPI_KIND_LISTENER_SET, "g", "older");
        const gwapi_status *newer = status_of(&r, GWAPI_KIND_LISTENER_SET, "g", "newer");
        const gwapi_status *outsider = status_of(&r, GWAPI_KIND_LISTENER_SET, "o", "outsider");
        const gwapi_status *gw = status_of(&r, GWAPI_KIND_GATEWAY, "g", "gw");
        ck_assert_str_eq(cond(older->conditions, older->n_conditions, "Accepted")->reason, "ListenersNotValid");
        ck_assert_str_eq(cond(older->conditions, older->n_conditions, "Accepted")->status, "True");
        ck_assert_str_eq(cond(older->listeners[1]->conditions, older->listeners[1]->n_conditions, "Conflicted")->reason, "HostnameConflict");
        ck_assert_str_eq(cond(newer->conditions, newer->n_conditions, "Accepted")->reason, "ListenersNotValid");
        ck_assert_str_eq(cond(newer->conditions, newer->n_conditions, "Accepted")->status, "False");
        ck_assert_str_eq(cond(outsider->conditions, outsider->n_conditions, "Accepted")->reason, "NotAllowed");
        ck_assert_int_eq(gw->attached_listener_sets, 1);
    }
    release(&r);
}
END_TEST

START_TEST(gateway_classes_and_controllers)
{
    struct resolved r;
    static const char text[] = GC
        "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: theirs}\nspec: {controllerName: other.com/ctl}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: mine, namespace: g}\nspec: {gatewayClassName: gc, listeners: [{name: l, port: 80, protocol: HTTP}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: foreign, namespace: g}\nspec: {gatewayClassName: theirs, listeners: [{name: l, port: 80, protocol: HTTP}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: h, namespace: g}\nspec: {parentRefs: [{name: mine}, {name: foreign}]}\n";

    resolve_text(&r, text, "example.com/ctl");
    ck_assert_ptr_null(status_of(&r, GWAPI_KIND_GATEWAY_CLASS, NULL, "theirs"));
    ck_assert_str_eq(status_of(&r, GWAPI_KIND_GATEWAY_CLASS, NULL, "gc")->conditions[0]->status, "True");
    ck_assert_str_eq(status_of(&r, GWAPI_KIND_GATEWAY, "g", "foreign")->conditions[0]->reason, "Pending");
    /* Only the managed parent gets a status entry, with our controllerName. */
    ck_assert_uint_eq(status_of(&r, GWAPI_KIND_HTTP_ROUTE, "g", "h")->n_parents, 1);
    ck_assert_str_eq(status_of(&r, GWAPI_KIND_HTTP_ROUTE, "g", "h")->parents[0]->controller_name, "example.com/ctl");
    release(&r);

    /* By default every class is accepted. */
    resolve_text(&r, text, NULL);
    ck_assert_uint_eq(status_of(&r, GWAPI_KIND_HTTP_ROUTE, "g", "h")->n_parents, 2);
    release(&r);

    /* Without any GatewayClass, every Gateway's class is taken as accepted, said once. */
    resolve_text(&r, "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: g}\n"
                     "spec: {gatewayClassName: missing, listeners: [{name: l, port: 80, protocol: HTTP}]}\n", NULL);
    ck_assert_str_eq(status_of(&r, GWAPI_KIND_GATEWAY, "g", "gw")->conditions[0]->status, "True");
    ck_assert_ptr_nonnull(fixture_find_diag(&r.f, "resolve-skipped"));
    release(&r);
}
END_TEST

START_TEST(backend_tls_policy_conflicts_and_ancestors)
{
    struct resolved r;
    resolve_text(&r, GC
        GW_LISTENERS("r", "[{name: http, port: 80, protocol: HTTP}]")
        "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: r}\nspec: {ports: [{port: 443}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: h, namespace: r}\n"
        "spec: {parentRefs: [{name: gw}], rules: [{backendRefs: [{name: s, port: 443}]}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: BackendTLSPolicy\nmetadata: {name: first, namespace: r, creationTimestamp: '2026-01-01T00:00:00Z'}\n"
        "spec: {targetRefs: [{group: '', kind: Service, name: s}], validation: {hostname: s.example.com, wellKnownCACertificates: System}}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: BackendTLSPolicy\nmetadata: {name: second, namespace: r, creationTimestamp: '2026-02-01T00:00:00Z'}\n"
        "spec: {targetRefs: [{group: '', kind: Service, name: s}], validation: {hostname: s.example.com, wellKnownCACertificates: System}}\n", NULL);
    {
        const gwapi_status *first = status_of(&r, GWAPI_KIND_BACKEND_TLS_POLICY, "r", "first");
        const gwapi_status *second = status_of(&r, GWAPI_KIND_BACKEND_TLS_POLICY, "r", "second");
        ck_assert_uint_eq(first->n_parents, 1);
        ck_assert_str_eq(first->parents[0]->name, "gw");
        ck_assert_str_eq(cond(first->parents[0]->conditions, first->parents[0]->n_conditions, "Accepted")->status, "True");
        ck_assert_str_eq(cond(second->parents[0]->conditions, second->parents[0]->n_conditions, "Accepted")->reason, "Conflicted");
    }
    release(&r);
}
END_TEST

#define SEED_GATEWAY_FIXED \
    "kind: Gateway\napiVersion: networking.x-k8s.io/v1alpha1\nmetadata: {name: prod-web}\n" \
    "spec:\n  gatewayClassName: acme-lb\n  listeners:\n  - protocol: HTTPS\n    port: 443\n" \
    "    routes: {kind: HTTPRoute, selector: {matchLabels: {gateway: external-https-prod}}, namespaces: {from: All}}\n" \
    "    tls: {certificateRef: {group: core, kind: Secret, name: admin-controlled-cert}}\n---\n"

START_TEST(founding_document_scenario)
{
    struct fixture f;
    gwapi_resolution *res;
    gwapi_resolve_options include = GWAPI_RESOLVE_OPTIONS_INIT;
    char *text;
    size_t len;
    const gwapi_object *route, *gateway;
    const gwapi_explain_step *const *steps;
    size_t n;

    fixture_init(&f);
    ck_assert_int_eq(fixture_load_data(&f, "seed/seed-manifests.yaml", 0), 0);
    gateway = fixture_find(&f, GWAPI_KIND_GATEWAY, GWAPI_DIALECT_V1ALPHA1, "default", "prod-web");
    ck_assert_ptr_nonnull(gateway);

    /* As printed, the Gateway's certificateRef lacks the group and kind its CRD requires: the
     * API server would refuse it, so nothing can attach. */
    ck_assert_int_eq(gwapi_resolve(&res, f.cfg, NULL, f.diags), 0);
    ck_assert_ptr_null(gwapi_resolution_status(res, gateway));
    ck_assert_int_eq(gwapi_resolution_explain(res, gateway, &steps, &n), GWAPI_ENOTFOUND);
    {
        const gwapi_diag *d = fixture_find_diag(&f, "refused");
        ck_assert_ptr_nonnull(d);
        ck_assert_str_eq(d->kind, "Gateway");
        ck_assert_ptr_nonnull(strstr(d->message, "certificateRef"));
    }
    ck_assert_int_eq(gwapi_resolution_emit(res, "default/prod-web", GWAPI_FORMAT_JSON, &text, &len), GWAPI_ENOTFOUND);
    gwapi_resolution_unref(res);

    /* Included all the same, the routes keep v1alpha1's default gateways.allow: SameNamespace. */
    include.flags = GWAPI_RESOLVE_INCLUDE_INVALID;
    ck_assert_int_eq(gwapi_resolve(&res, f.cfg, &include, NULL), 0);
    for (int i = 0; i < 2; i++) {
        const gwapi_status *st;
        route = fixture_find(&f, GWAPI_KIND_HTTP_ROUTE, GWAPI_DIALECT_V1ALPHA1, i ? "bar" : "foo",
                             i ? "bar-route" : "foo-route");
        st = gwapi_resolution_status(res, route);
        ck_assert_uint_eq(st->n_parents, 1);
        ck_assert_str_eq(st->parents[0]->conditions[0]->type, "Admitted");
        ck_assert_str_eq(st->parents[0]->conditions[0]->status, "False");
        ck_assert_ptr_nonnull(strstr(st->parents[0]->conditions[0]->message, "SameNamespace, the default"));
        ck_assert_int_eq(gwapi_resolution_explain(res, route, &steps, &n), 0);
        ck_assert_uint_eq(n, 2);
        ck_assert(steps[0]->passed);
        ck_assert(!steps[1]->passed);
        ck_assert_str_eq(steps[1]->check, "route-allows");
    }
    ck_assert_int_eq(gwapi_resolution_emit(res, "default/prod-web", GWAPI_FORMAT_JSON, &text, &len), 0);
    ck_assert_ptr_nonnull(strstr(text, "\"gatewayRef\""));
    gwapi_free(text);
    ck_assert_int_eq(gwapi_resolution_emit(res, "default/nope", GWAPI_FORMAT_JSON, &text, &len), GWAPI_ENOTFOUND);
    gwapi_resolution_unref(res);

    /* With the certificateRef completed and the routes allowing every Gateway, both are
     * admitted on the HTTPS listener. */
    fixture_load_text(&f, SEED_GATEWAY_FIXED
        "kind: HTTPRoute\napiVersion: networking.x-k8s.io/v1alpha1\nmetadata: {name: foo-route, namespace: foo, labels: {gateway: external-https-prod}}\n"
        "spec: {gateways: {allow: All}, hostnames: [foo.example.com]}\n", 0);
    ck_assert_int_eq(gwapi_resolve(&res, f.cfg, NULL, NULL), 0);
    route = fixture_find(&f, GWAPI_KIND_HTTP_ROUTE, GWAPI_DIALECT_V1ALPHA1, "foo", "foo-route");
    ck_assert_str_eq(gwapi_resolution_status(res, route)->parents[0]->conditions[0]->status, "True");
    gwapi_resolution_unref(res);
    fixture_release(&f);
}
END_TEST

START_TEST(generation_follows_changes)
{
    struct fixture f;
    const gwapi_object *o;
    static const char a[] = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: h}\nspec: {hostnames: [a.example.com]}\n";
    static const char b[] = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: h}\nspec: {hostnames: [b.example.com]}\n";
    fixture_init(&f);
    fixture_load_text(&f, a, 0);
    fixture_load_text(&f, a, 0);
    o = gwapi_config_get(f.cfg, 0);
    ck_assert_int_eq(o->metadata->generation, 1); /* unchanged: the same generation */
    fixture_load_text(&f, b, 0);
    o = gwapi_config_get(f.cfg, 0);
    ck_assert_int_eq(o->metadata->generation, 2);
    ck_assert_int_eq(gwapi_field_state_of(o->metadata, "generation"), GWAPI_FIELD_DEFAULTED);
    fixture_release(&f);
}
END_TEST

#define ROUTE_EVENT(type, name, backend) \
    "{\"type\": \"" type "\", \"object\": {\"apiVersion\": \"gateway.networking.k8s.io/v1\", " \
    "\"kind\": \"HTTPRoute\", \"metadata\": {\"name\": \"" name "\", \"namespace\": \"n\"}, " \
    "\"spec\": {\"parentRefs\": [{\"name\": \"" backend "\"}], \"rules\": [{\"backendRefs\": " \
    "[{\"name\": \"s\", \"port\": 80}]}]}}}\n"

static gwapi_resolution *
resolve_now(struct fixture *f)
{
    gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
    gwapi_resolution *res;
    ck_assert_int_eq(gwapi_resolve(&res, f->cfg, &options, NULL), 0);
    return res;
}

/* What changed between two resolutions: nothing when nothing did; a route moved to another
 * Gateway changes its status and both Gateways' routers, not a third Gateway's; a Service
 * changes every router. */
START_TEST(changes_between_resolutions)
{
    struct fixture f;
    gwapi_resolution *a, *b;
    gwapi_changes c = GWAPI_CHANGES_INIT;

    fixture_init(&f);
    fixture_load_text(&f, GC
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g1, namespace: n}\n"
        "spec: {gatewayClassName: gc, listeners: [{name: web, port: 80, protocol: HTTP}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g2, namespace: n}\n"
        "spec: {gatewayClassName: gc, listeners: [{name: web, port: 80, protocol: HTTP}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g3, namespace: n}\n"
        "spec: {gatewayClassName: gc, listeners: [{name: web, port: 80, protocol: HTTP}]}\n---\n"
        "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: n}\nspec: {ports: [{port: 80}]}\n", 0);
    fixture_load_text(&f, ROUTE_EVENT("ADDED", "r", "g1") ROUTE_EVENT("ADDED", "q", "g3"), 0);
    a = resolve_now(&f);
    b = resolve_now(&f);
    ck_assert_int_eq(gwapi_resolution_changes(a, b, &c), 0);
    ck_assert_uint_eq(c.n_statuses, 0);
    ck_assert_uint_eq(c.n_gateways, 0);
    gwapi_changes_release(&c);
    gwapi_resolution_unref(a);

    fixture_load_text(&f, ROUTE_EVENT("MODIFIED", "r", "g2"), 0);
    a = b;
    b = resolve_now(&f);
    c.size = sizeof(c);
    ck_assert_int_eq(gwapi_resolution_changes(a, b, &c), 0);
    /* the route's status, and both Gateways' (attached route counts) */
    ck_assert_uint_eq(c.n_statuses, 3);
    ck_assert_uint_eq(c.n_gateways, 2);
    ck_assert_str_eq(c.gateways[0]->metadata->name, "g1");
    ck_assert_str_eq(c.gateways[1]->metadata->name, "g2");
    gwapi_changes_release(&c);
    gwapi_resolution_unref(a);

    fixture_load_text(&f, "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: n}\n"
                          "spec: {ports: [{port: 8080}]}\n", 0);
    a = b;
    b = resolve_now(&f);
    c.size = sizeof(c);
    ck_assert_int_eq(gwapi_resolution_changes(a, b, &c), 0);
    ck_assert_uint_eq(c.n_gateways, 3);
    gwapi_changes_release(&c);
    gwapi_changes_release(&c); /* released twice: harmless */
    gwapi_resolution_unref(a);
    gwapi_resolution_unref(b);
    fixture_release(&f);
}
END_TEST

Suite *
suite_resolve(void)
{
    Suite *s = suite_create("resolve");
    TCase *tc = tcase_create("resolve");
    tcase_add_test(tc, hostname_intersection);
    tcase_add_test(tc, allowed_routes_namespaces);
    tcase_add_test(tc, section_name_port_and_kinds);
    tcase_add_test(tc, reference_grants_and_backends);
    tcase_add_test(tc, listener_conflicts_and_tls);
    tcase_add_test(tc, listener_sets_attach_in_order);
    tcase_add_test(tc, gateway_classes_and_controllers);
    tcase_add_test(tc, backend_tls_policy_conflicts_and_ancestors);
    tcase_add_test(tc, founding_document_scenario);
    tcase_add_test(tc, generation_follows_changes);
    tcase_add_test(tc, changes_between_resolutions);
    suite_add_tcase(s, tc);
    return s;
}
