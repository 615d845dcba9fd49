/* The typed model: the founding document's manifests, defaults, field states, core kinds. */
#include "test-common.h"

START_TEST(seed_manifests_load_in_their_own_dialect)
{
    struct fixture f;
    const gwapi_object *o;
    const gwapi_v1alpha1_http_route *foo, *bar;
    const gwapi_v1alpha1_gateway *gw;
    const gwapi_v1alpha1_listener *l;
    const gwapi_v1alpha1_http_route_rule *rule;

    fixture_init(&f);
    ck_assert_int_eq(fixture_load_data(&f, "seed/seed-manifests.yaml", GWAPI_LOAD_STRICT), 0);
    fixture_assert_no_diags(&f, GWAPI_SEVERITY_INFO);
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 3);

    o = fixture_find(&f, GWAPI_KIND_HTTP_ROUTE, GWAPI_DIALECT_V1ALPHA1, "foo", "foo-route");
    ck_assert_ptr_nonnull(o);
    ck_assert_ptr_null(gwapi_object_http_route(o)); /* not rewritten into v1 */
    foo = gwapi_object_v1alpha1_http_route(o);
    ck_assert_ptr_nonnull(foo);
    ck_assert_str_eq(o->metadata->labels.keys[0], "gateway");
    ck_assert_str_eq(o->metadata->labels.values[0], "external-https-prod");
    ck_assert_str_eq(foo->spec->hostnames[0], "foo.example.com");
    ck_assert_uint_eq(foo->spec->n_rules, 3);
    {
        static const char *const paths[] = { "/login", "/home", "/" };
        static const char *const services[] = { "foo-auth", "foo-home", "foo-404" };
        for (size_t i = 0; i < 3; i++) {
            rule = foo->spec->rules[i];
            ck_assert_str_eq(rule->matches[0]->path->type, "Prefix");
            ck_assert_str_eq(rule->matches[0]->path->value, paths[i]);
            ck_assert_str_eq(rule->forward_to[0]->service_name, services[i]);
            ck_assert_int_eq(rule->forward_to[0]->port, 8080);
            ck_assert_int_eq(rule->forward_to[0]->weight, 1);
            ck_assert_int_eq(gwapi_field_state_of(rule->forward_to[0], "weight"),
                             GWAPI_FIELD_DEFAULTED);
        }
    }
    /* v1alpha1's own default: routes only bind to Gateways of their namespace. */
    ck_assert_str_eq(foo->spec->gateways->allow, "SameNamespace");
    ck_assert_int_eq(gwapi_field_state_of(foo->spec, "gateways"), GWAPI_FIELD_DEFAULTED);

    o = fixture_find(&f, GWAPI_KIND_HTTP_ROUTE, GWAPI_DIALECT_V1ALPHA1, "bar", "bar-route");
    bar = gwapi_object_v1alpha1_http_route(o);
    ck_assert_ptr_nonnull(bar);
    rule = bar->spec->rules[0];
    ck_assert_uint_eq(rule->n_forward_to, 2);
    ck_assert_str_eq(rule->forward_to[0]->service_name, "bar-v1");
    ck_assert_int_eq(rule->forward_to[0]->weight, 90);
    ck_assert_str_eq(rule->forward_to[1]->service_name, "bar-v2");
    ck_assert_int_eq(rule->forward_to[1]->weight, 10);
    ck_assert_int_eq(gwapi_field_state_of(rule->forward_to[1], "weight"), GWAPI_FIELD_GIVEN);
    /* Rule 0 has no matches: the CRD default is one Prefix "/" match. */
    ck_assert_int_eq(gwapi_field_state_of(rule, "matches"), GWAPI_FIELD_DEFAULTED);
    ck_assert_str_eq(rule->matches[0]->path->value, "/");
    rule = bar->spec->rules[1];
    ck_assert_str_eq(rule->matches[0]->headers->type, "Exact");
    ck_assert_str_eq(rule->matches[0]->headers->values.keys[0], "env");
    ck_assert_str_eq(rule->matches[0]->headers->values.values[0], "canary");
    ck_assert_str_eq(rule->forward_to[0]->service_name, "bar-v2");

    /* The Gateway has no namespace in the document: "default", marked as defaulted. */
    o = fixture_find(&f, GWAPI_KIND_GATEWAY, GWAPI_DIALECT_V1ALPHA1, "default", "prod-web");
    ck_assert_ptr_nonnull(o);
    ck_assert_int_eq(gwapi_field_state_of(o->metadata, "namespace"), GWAPI_FIELD_DEFAULTED);
    gw = gwapi_object_v1alpha1_gateway(o);
    ck_assert_str_eq(gw->spec->gateway_class_name, "acme-lb");
    l = gw->spec->listeners[0];
    ck_assert_str_eq(l->protocol, "HTTPS");
    ck_assert_int_eq(l->port, 443);
    ck_assert_str_eq(l->routes->kind, "HTTPRoute");
    ck_assert_str_eq(l->routes->group, "networking.x-k8s.io");
    ck_assert_str_eq(l->routes->selector->match_labels.values[0], "external-https-prod");
    ck_assert_str_eq(l->routes->namespaces->from, "All");
    ck_assert_str_eq(l->tls->certificate_ref->name, "admin-controlled-cert");
    ck_assert_str_eq(l->tls->mode, "Terminate");
    ck_assert_str_eq(l->tls->route_override->certificate, "Deny");
    fixture_release(&f);
}
END_TEST

START_TEST(v1_defaults_and_field_states)
{
    struct fixture f;
    const gwapi_gateway *gw;
    const gwapi_listener *l;
    const gwapi_http_route *r;
    unsigned line, column;

    fixture_init(&f);
    fixture_load_text(&f,
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g, namespace: n}\n"
        "spec:\n  gatewayClassName: c\n  listeners:\n  - name: web\n    port: 80\n    protocol: HTTP\n"
        "  - name: tls\n    port: 443\n    protocol: HTTPS\n    allowedRoutes: {}\n"
        "    tls: {certificateRefs: [{name: cert}]}\n"
        "---\n"
        "apiVersion: gateway.networking.k8s.io/v1beta1\nkind: HTTPRoute\nmetadata: {name: r, namespace: n}\n"
        "spec:\n  parentRefs: [{name: g}]\n", GWAPI_LOAD_STRICT);
    fixture_assert_no_diags(&f, GWAPI_SEVERITY_INFO);
    gw = gwapi_object_gateway(fixture_find(&f, GWAPI_KIND_GATEWAY, GWAPI_DIALECT_V1, "n", "g"));
    ck_assert_ptr_nonnull(gw);
    l = gw->spec->listeners[0];
    ck_assert_int_eq(gwapi_field_state_of(l, "allowedRoutes"), GWAPI_FIELD_DEFAULTED);
    ck_assert_str_eq(l->allowed_routes->namespaces->from, "Same");
    ck_assert_int_eq(gwapi_field_state_of(l, "hostname"), GWAPI_FIELD_ABSENT);
    ck_assert_int_eq(gwapi_field_state_of(l, "port"), GWAPI_FIELD_GIVEN);
    ck_assert_int_eq(gwapi_field_position(l, "port", &line, &column), 0);
    ck_assert_uint_eq(line, 8);
    ck_assert_uint_eq(column, 11);
    l = gw->spec->listeners[1];
    /* allowedRoutes: {} is present; its namespaces are defaulted inside it. */
    ck_assert_int_eq(gwapi_field_state_of(l, "allowedRoutes"), GWAPI_FIELD_GIVEN);
    ck_assert_int_eq(gwapi_field_state_of(l->allowed_routes, "namespaces"), GWAPI_FIELD_DEFAULTED);
    ck_assert_str_eq(l->tls->mode, "Terminate");
    ck_assert_str_eq(l->tls->certificate_refs[0]->kind, "Secret");
    ck_assert_str_eq(l->tls->certificate_refs[0]->group, "");
    ck_assert_ptr_null(l->tls->certificate_refs[0]->namespace_);
    ck_assert_int_eq(gwapi_field_state_of(l, "nonexistent"), GWAPI_FIELD_UNKNOWN);
    ck_assert_int_eq(gwapi_field_position(l, "nonexistent", &line, &column), GWAPI_ENOTFOUND);

    /* v1beta1 is served and reads into the same model; rules default to one "/" prefix rule. */
    r = gwapi_object_http_route(fixture_find(&f, GWAPI_KIND_HTTP_ROUTE, GWAPI_DIALECT_V1, "n", "r"));
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(r->spec->parent_refs[0]->group, "gateway.networking.k8s.io");
    ck_assert_str_eq(r->spec->parent_refs[0]->kind, "Gateway");
    ck_assert_uint_eq(r->spec->n_rules, 1);
    ck_assert_uint_eq(r->spec->rules[0]->n_backend_refs, 0);
    ck_assert_str_eq(r->spec->rules[0]->matches[0]->path->type, "PathPrefix");
    ck_assert_int_eq(gwapi_field_state_of(r->spec, "rules"), GWAPI_FIELD_DEFAULTED);

    /* The same, by path from the object: no pointer to get wrong. */
    {
        const gwapi_object *o = fixture_find(&f, GWAPI_KIND_GATEWAY, GWAPI_DIALECT_V1, "n", "g");
        ck_assert_int_eq(gwapi_object_field_state(o, "spec.listeners[0].allowedRoutes"), GWAPI_FIELD_DEFAULTED);
        ck_assert_int_eq(gwapi_object_field_state(o, "spec.listeners[0].port"), GWAPI_FIELD_GIVEN);
        ck_assert_int_eq(gwapi_object_field_state(o, "spec.listeners[1].allowedRoutes.namespaces"), GWAPI_FIELD_DEFAULTED);
        ck_assert_int_eq(gwapi_object_field_state(o, "spec.listeners[0].hostname"), GWAPI_FIELD_ABSENT);
        ck_assert_int_eq(gwapi_object_field_state(o, "spec.listeners[0].tls.mode"), GWAPI_FIELD_ABSENT); /* no tls */
        ck_assert_int_eq(gwapi_object_field_state(o, "spec.listeners[7].port"), GWAPI_FIELD_ABSENT);
        ck_assert_int_eq(gwapi_object_field_state(o, "spec.listeners"), GWAPI_FIELD_GIVEN);
        ck_assert_int_eq(gwapi_object_field_state(o, "spec.listeners[1]"), GWAPI_FIELD_GIVEN);
        ck_assert_int_eq(gwapi_object_field_state(o, "metadata.namespace"), GWAPI_FIELD_GIVEN);
        ck_assert_int_eq(gwapi_object_field_state(o, "spec.nonexistent"), GWAPI_FIELD_UNKNOWN);
        ck_assert_int_eq(gwapi_object_field_state(o, "spec.gatewayClassName[0]"), GWAPI_FIELD_UNKNOWN);
        ck_assert_int_eq(gwapi_object_field_state(o, "spec.listeners.port"), GWAPI_FIELD_UNKNOWN);
        ck_assert_int_eq(gwapi_object_field_state(o, "spec..x"), GWAPI_FIELD_UNKNOWN);
        ck_assert_int_eq(gwapi_object_field_state(o, "spec.listeners[-1]"), GWAPI_FIELD_UNKNOWN);
        ck_assert_int_eq(gwapi_object_field_state(o, ""), GWAPI_FIELD_UNKNOWN);
        ck_assert_int_eq(gwapi_object_field_state(NULL, "spec"), GWAPI_FIELD_UNKNOWN);
        ck_assert_int_eq(gwapi_object_field_position(o, "spec.listeners[0].port", &line, &column), 0);
        ck_assert_uint_eq(line, 8);
        ck_assert_uint_eq(column, 11);
        ck_assert_int_eq(gwapi_object_field_position(o, "spec.listeners[1]", &line, &column), 0);
        ck_assert_uint_eq(line, 10);
        ck_assert_uint_eq(column, 5);
        ck_assert_int_eq(gwapi_object_field_position(o, "spec.listeners[9]", &line, &column), GWAPI_ENOTFOUND);
        ck_assert_int_eq(gwapi_object_field_position(o, "spec.listeners[0].tls.mode", &line, &column), GWAPI_ENOTFOUND);
        ck_assert_int_eq(gwapi_object_field_position(o, "spec.bogus", &line, &column), GWAPI_EINVAL);
    }
    fixture_release(&f);
}
END_TEST

START_TEST(empty_list_is_present_and_not_defaulted)
{
    struct fixture f;
    const gwapi_http_route *r;

    fixture_init(&f);
    fixture_load_text(&f,
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\n"
        "spec:\n  rules:\n  - matches: []\n", 0);
    r = gwapi_object_http_route(gwapi_config_get(f.cfg, 0));
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(r->spec->rules[0]->n_matches, 0);
    ck_assert_int_eq(gwapi_field_state_of(r->spec->rules[0], "matches"), GWAPI_FIELD_GIVEN);
    fixture_release(&f);
}
END_TEST

START_TEST(explicit_null_is_pruned_then_defaulted)
{
    struct fixture f;
    const gwapi_http_route *r;

    fixture_init(&f);
    fixture_load_text(&f,
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\n"
        "spec:\n  rules:\n  - backendRefs:\n    - {name: s, port: 80, weight: null}\n", 0);
    fixture_assert_no_diags(&f, GWAPI_SEVERITY_INFO);
    r = gwapi_object_http_route(gwapi_config_get(f.cfg, 0));
    ck_assert_int_eq(r->spec->rules[0]->backend_refs[0]->weight, 1);
    ck_assert_int_eq(gwapi_field_state_of(r->spec->rules[0]->backend_refs[0], "weight"),
                     GWAPI_FIELD_DEFAULTED);
    fixture_release(&f);
}
END_TEST

START_TEST(core_kinds_binding_needs)
{
    struct fixture f;
    const gwapi_service *svc;
    const gwapi_secret *secret;
    const gwapi_config_map *cm;
    const gwapi_object *ns;

    fixture_init(&f);
    fixture_load_text(&f,
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {env: prod}\n"
        "---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n"
        "spec:\n  type: ClusterIP\n  selector: {app: web}\n  sessionAffinity: None\n"
        "  ports:\n  - {name: http, port: 80, targetPort: 8080}\n  - {name: grpc, port: 9090, targetPort: grpc, protocol: TCP, appProtocol: kubernetes.io/h2c}\n"
        "---\napiVersion: v1\nkind: Secret\nmetadata: {name: cert, namespace: shop}\n"
        "type: kubernetes.io/tls\ndata:\n  tls.crt: LS0t\n  tls.key: LS0t\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ca, namespace: shop}\n"
        "data:\n  ca.crt: |\n    -----BEGIN CERTIFICATE-----\n", GWAPI_LOAD_STRICT);
    fixture_assert_no_diags(&f, GWAPI_SEVERITY_INFO);
    ns = fixture_find(&f, GWAPI_KIND_NAMESPACE, GWAPI_DIALECT_V1, NULL, "shop");
    ck_assert_ptr_nonnull(ns);
    ck_assert_ptr_null(ns->metadata->namespace_);
    ck_assert_str_eq(ns->metadata->labels.values[0], "prod");
    svc = gwapi_object_service(fixture_find(&f, GWAPI_KIND_SERVICE, GWAPI_DIALECT_V1, "shop", "web"));
    ck_assert_ptr_nonnull(svc);
    ck_assert_str_eq(svc->spec->type, "ClusterIP");
    ck_assert_uint_eq(svc->spec->n_ports, 2);
    ck_assert_int_eq(svc->spec->ports[0]->port, 80);
    ck_assert_str_eq(svc->spec->ports[0]->target_port, "8080");
    ck_assert_str_eq(svc->spec->ports[0]->protocol, "TCP");
    ck_assert_str_eq(svc->spec->ports[1]->target_port, "grpc");
    ck_assert_str_eq(svc->spec->ports[1]->app_protocol, "kubernetes.io/h2c");
    secret = gwapi_object_secret(fixture_find(&f, GWAPI_KIND_SECRET, GWAPI_DIALECT_V1, "shop", "cert"));
    ck_assert_ptr_nonnull(secret);
    ck_assert_str_eq(secret->type, "kubernetes.io/tls");
    ck_assert_uint_eq(secret->n_data, 2);
    ck_assert_str_eq(secret->data[0], "tls.crt");
    ck_assert_str_eq(secret->data[1], "tls.key");
    cm = gwapi_object_config_map(fixture_find(&f, GWAPI_KIND_CONFIG_MAP, GWAPI_DIALECT_V1, "shop", "ca"));
    ck_assert_ptr_nonnull(cm);
    ck_assert_uint_eq(cm->n_data, 1);
    ck_assert_str_eq(cm->data[0], "ca.crt");
    fixture_release(&f);
}
END_TEST

START_TEST(every_standard_kind_has_its_accessor)
{
    struct fixture f;
    fixture_init(&f);
    fixture_load_text(&f,
        "apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata: {name: g}\n"
        "spec:\n  rules:\n  - matches:\n    - method: {service: foo.Bar, method: Get}\n"
        "---\napiVersion: gateway.networking.k8s.io/v1\nkind: TLSRoute\nmetadata: {name: t}\n"
        "spec:\n  hostnames: [a.example.com]\n  rules: [{backendRefs: [{name: s, port: 443}]}]\n"
        "---\napiVersion: gateway.networking.k8s.io/v1\nkind: TCPRoute\nmetadata: {name: t}\n"
        "spec:\n  rules: [{backendRefs: [{name: s, port: 5432}]}]\n"
        "---\napiVersion: gateway.networking.k8s.io/v1\nkind: UDPRoute\nmetadata: {name: u}\n"
        "spec:\n  rules: [{backendRefs: [{name: s, port: 53}]}]\n"
        "---\napiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {name: rg}\n"
        "spec:\n  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: a}]\n"
        "  to: [{group: '', kind: Service}]\n"
        "---\napiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: gc}\n"
        "spec: {controllerName: example.com/ctl}\n"
        "---\napiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata: {name: ls}\n"
        "spec:\n  parentRef: {name: gw}\n  listeners: [{name: a, port: 80, protocol: HTTP}]\n"
        "---\napiVersion: gateway.networking.k8s.io/v1\nkind: BackendTLSPolicy\nmetadata: {name: p}\n"
        "spec:\n  targetRefs: [{group: '', kind: Service, name: s}]\n"
        "  validation: {hostname: s.example.com, wellKnownCACertificates: System}\n",
        GWAPI_LOAD_STRICT);
    fixture_assert_no_diags(&f, GWAPI_SEVERITY_INFO);
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 8);
    {
        const gwapi_grpc_route *g = gwapi_object_grpc_route(gwapi_config_get(f.cfg, 0));
        ck_assert_str_eq(g->spec->rules[0]->matches[0]->method->type, "Exact");
        ck_assert_str_eq(g->spec->rules[0]->matches[0]->method->service, "foo.Bar");
    }
    ck_assert_str_eq(gwapi_object_tls_route(gwapi_config_get(f.cfg, 1))->spec->hostnames[0],
                     "a.example.com");
    ck_assert_int_eq(gwapi_object_tcp_route(gwapi_config_get(f.cfg, 2))->spec->rules[0]->backend_refs[0]->port, 5432);
    ck_assert_int_eq(gwapi_object_udp_route(gwapi_config_get(f.cfg, 3))->spec->rules[0]->backend_refs[0]->port, 53);
    ck_assert_str_eq(gwapi_object_reference_grant(gwapi_config_get(f.cfg, 4))->spec->from[0]->namespace_, "a");
    ck_assert_str_eq(gwapi_object_gateway_class(gwapi_config_get(f.cfg, 5))->spec->controller_name,
                     "example.com/ctl");
    ck_assert_str_eq(gwapi_object_listener_set(gwapi_config_get(f.cfg, 6))->spec->parent_ref->kind,
                     "Gateway");
    ck_assert_str_eq(gwapi_object_backend_tls_policy(gwapi_config_get(f.cfg, 7))->spec->validation->hostname,
                     "s.example.com");
    /* A kind's accessor refuses other kinds. */
    ck_assert_ptr_null(gwapi_object_tcp_route(gwapi_config_get(f.cfg, 1)));
    ck_assert_str_eq(gwapi_kind_name(GWAPI_KIND_BACKEND_TLS_POLICY), "BackendTLSPolicy");
    ck_assert_str_eq(gwapi_kind_name((gwapi_kind)999), "Unknown");
    fixture_release(&f);
}
END_TEST

Suite *
suite_model(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("model");
    tcase_add_test(tc, seed_manifests_load_in_their_own_dialect);
    tcase_add_test(tc, v1_defaults_and_field_states);
    tcase_add_test(tc, empty_list_is_present_and_not_defaulted);
    tcase_add_test(tc, explicit_null_is_pruned_then_defaulted);
    tcase_add_test(tc, core_kinds_binding_needs);
    tcase_add_test(tc, every_standard_kind_has_its_accessor);
    suite_add_tcase(s, tc);
    return s;
}
