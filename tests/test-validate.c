/* Validation: every CEL rule's cases (tests/data/cel), transition rules, each kind of schema
 * constraint, and the upstream invalid examples. */
#include <stdio.h>
#include <stdlib.h>

#include "test-common.h"

static const char *
annotation(const gwapi_object *o, const char *key)
{
    const gwapi_string_map *a = &o->metadata->annotations;
    for (size_t i = 0; i < a->count; i++)
        if (strcmp(a->keys[i], key) == 0)
            return a->values[i];
    return NULL;
}

static bool
names(const gwapi_diag *d, const gwapi_object *o)
{
    return d->name && strcmp(d->name, o->metadata->name) == 0 && d->kind &&
           strcmp(d->kind, o->kind_name) == 0;
}

static const char *
base_name(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');
    snprintf(buf, size, "%s", slash ? slash + 1 : path);
    if (strlen(buf) > 5)
        buf[strlen(buf) - 5] = '\0'; /* ".yaml" */
    return buf;
}

/* Each file is named after its check; each object says what it expects. */
START_TEST(every_rule_passes_and_fails_its_cases)
{
    char dir[1024];
    size_t count, checked = 0;
    char **paths;

    snprintf(dir, sizeof(dir), "%s/cel", TEST_DATA_DIR);
    paths = list_files(dir, &count);
    ck_assert_uint_ge(count, 84);
    for (size_t i = 0; i < count; i++) {
        struct fixture f;
        char check[256];
        size_t valid = 0, invalid = 0;

        base_name(paths[i], check, sizeof(check));
        fixture_init(&f);
        ck_assert_int_eq(gwapi_config_load_file(f.cfg, paths[i], NULL, f.diags), 0);
        for (size_t k = 0; k < gwapi_config_count(f.cfg); k++) {
            const gwapi_object *o = gwapi_config_get(f.cfg, k);
            const char *expect = annotation(o, "gwapi.test/expect");
            bool found = false;
            gwapi_diags_clear(f.diags);
            gwapi_object_validate(o, f.diags);
            ck_assert_ptr_nonnull(expect);
            if (strcmp(expect, "valid") == 0) {
                valid++;
                if (gwapi_diags_count(f.diags)) {
                    char line[1024];
                    gwapi_diag_format(gwapi_diags_get(f.diags, 0), line, sizeof(line));
                    ck_abort_msg("%s: %s should be valid: %s", check, o->metadata->name, line);
                }
                continue;
            }
            invalid++;
            for (size_t j = 0; j < gwapi_diags_count(f.diags) && !found; j++) {
                const gwapi_diag *d = gwapi_diags_get(f.diags, j);
                const char *msg = annotation(o, "gwapi.test/message");
                size_t n = strlen(d->message), m = strlen(msg);
                found = names(d, o) && strcmp(d->code, check) == 0 && d->path &&
                        strcmp(d->path, annotation(o, "gwapi.test/path")) == 0 &&
                        d->severity == GWAPI_SEVERITY_ERROR && n >= m &&
                        strcmp(d->message + n - m, msg) == 0 && d->line > 0;
            }
            if (!found)
                ck_abort_msg("%s: %s should fail the rule at %s", check, o->metadata->name,
                             annotation(o, "gwapi.test/path"));
        }
        ck_assert_uint_ge(valid, 1);
        if (strcmp(check, "controller-name-immutable") != 0)
            ck_assert_uint_ge(invalid, 1);
        checked++;
        fixture_release(&f);
    }
    free_paths(paths, count);
    ck_assert_uint_ge(checked, 84);
}
END_TEST

START_TEST(transition_rules_run_on_update)
{
    struct fixture f;
    const gwapi_diag *d;
    static const char first[] = "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\n"
                                "metadata: {name: gc}\nspec: {controllerName: example.com/a}\n";
    static const char changed[] = "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\n"
                                  "metadata: {name: gc}\nspec: {controllerName: example.com/b}\n";

    fixture_init(&f);
    ck_assert_int_eq(fixture_load_text(&f, first, GWAPI_LOAD_VALIDATE), 0);
    /* The same controller again: fine; another one: the CRD's transition rule refuses it. */
    ck_assert_int_eq(fixture_load_text(&f, first, GWAPI_LOAD_VALIDATE), 0);
    ck_assert_ptr_null(fixture_find_diag(&f, "controller-name-immutable"));
    ck_assert_int_eq(fixture_load_text(&f, changed, GWAPI_LOAD_VALIDATE), GWAPI_EINPUT);
    d = fixture_find_diag(&f, "controller-name-immutable");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->path, "spec.controllerName");
    ck_assert_str_eq(d->message, "Invalid value: \"string\": field is immutable");
    fixture_release(&f);

    /* Through watch events too. */
    fixture_init(&f);
    ck_assert_int_eq(fixture_load_text(&f,
        "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"gateway.networking.k8s.io/v1\","
        "\"kind\":\"GatewayClass\",\"metadata\":{\"name\":\"gc\"},\"spec\":{\"controllerName\":\"example.com/a\"}}}\n"
        "{\"type\":\"MODIFIED\",\"object\":{\"apiVersion\":\"gateway.networking.k8s.io/v1\","
        "\"kind\":\"GatewayClass\",\"metadata\":{\"name\":\"gc\"},\"spec\":{\"controllerName\":\"example.com/c\"}}}\n",
        GWAPI_LOAD_VALIDATE), GWAPI_EINPUT);
    ck_assert_ptr_nonnull(fixture_find_diag(&f, "controller-name-immutable"));
    fixture_release(&f);
}
END_TEST

/* One schema constraint: a passing and a failing variant of one manifest. */
struct constraint_case {
    const char *good, *bad;
    const char *code, *path, *message;
};

#define ROUTE "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: n}\nspec:\n"
#define GATEWAY "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g, namespace: n}\nspec:\n  gatewayClassName: c\n"

static const struct constraint_case constraints[] = {
    { ROUTE "  rules: [{backendRefs: [{name: s, port: 80}]}]\n",
      ROUTE "  rules: [{backendRefs: [{port: 80}]}]\n",
      "required", "spec.rules[0].backendRefs[0].name", "Required value" },
    { ROUTE "  rules: [{matches: [{method: GET}]}]\n",
      ROUTE "  rules: [{matches: [{method: get}]}]\n",
      "unsupported-value", "spec.rules[0].matches[0].method",
      "Unsupported value: \"get\": supported values: \"GET\", \"HEAD\", \"POST\", \"PUT\", \"DELETE\", "
      "\"CONNECT\", \"OPTIONS\", \"TRACE\", \"PATCH\"" },
    { ROUTE "  rules: [{filters: [{type: RequestRedirect, requestRedirect: {statusCode: 308}}]}]\n",
      ROUTE "  rules: [{filters: [{type: RequestRedirect, requestRedirect: {statusCode: 300}}]}]\n",
      "unsupported-value", "spec.rules[0].filters[0].requestRedirect.statusCode",
      "Unsupported value: 300: supported values: 301, 302, 303, 307, 308" },
    { GATEWAY "  listeners: [{name: a, port: 1, protocol: HTTP}]\n",
      GATEWAY "  listeners: [{name: a, port: 0, protocol: HTTP}]\n",
      "minimum", "spec.listeners[0].port", "Invalid value: 0: spec.listeners[0].port in body should be greater than or equal to 1" },
    { GATEWAY "  listeners: [{name: a, port: 65535, protocol: HTTP}]\n",
      GATEWAY "  listeners: [{name: a, port: 70000, protocol: HTTP}]\n",
      "maximum", "spec.listeners[0].port", "Invalid value: 70000: spec.listeners[0].port in body should be less than or equal to 65535" },
    { GATEWAY "  listeners: [{name: a, port: 80, protocol: H}]\n",
      GATEWAY "  listeners: [{name: a, port: 80, protocol: ''}]\n",
      "min-length", "spec.listeners[0].protocol", "Invalid value: \"\": spec.listeners[0].protocol in body should be at least 1 chars long" },
    { ROUTE "  rules: [{backendRefs: [{kind: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, name: b}]}]\n",
      ROUTE "  rules: [{backendRefs: [{kind: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, name: b}]}]\n",
      "max-length", "spec.rules[0].backendRefs[0].kind", "Too long: may not be more than 63 bytes" },
    { ROUTE "  hostnames: [a.example.com]\n",
      ROUTE "  hostnames: [A.example.com]\n",
      "pattern", "spec.hostnames[0]",
      "Invalid value: \"A.example.com\": spec.hostnames[0] in body should match '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'" },
    { GATEWAY "  listeners: [{name: a, port: 80, protocol: HTTP}]\n",
      GATEWAY "  listeners: []\n",
      "min-items", "spec.listeners", "Invalid value: 0: spec.listeners in body should have at least 1 items" },
    { ROUTE "  hostnames: [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p]\n",
      ROUTE "  hostnames: [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q]\n",
      "max-items", "spec.hostnames", "Too many: 17: must have at most 16 items" },
    { ROUTE "  rules: [{filters: [{type: RequestHeaderModifier, requestHeaderModifier: {remove: [a, b]}}]}]\n",
      ROUTE "  rules: [{filters: [{type: RequestHeaderModifier, requestHeaderModifier: {remove: [a, a]}}]}]\n",
      "duplicate", "spec.rules[0].filters[0].requestHeaderModifier.remove[1]", "Duplicate value: \"a\"" },
    { ROUTE "  rules: [{matches: [{queryParams: [{name: a, value: b}, {name: A, value: b}]}]}]\n",
      ROUTE "  rules: [{matches: [{queryParams: [{name: a, value: b}, {name: a, value: c}]}]}]\n",
      "duplicate", "spec.rules[0].matches[0].queryParams[1]", "Duplicate value: {\"name\":\"a\"}" },
    { GATEWAY "  listeners: [{name: a, port: 80, protocol: HTTP}]\n  infrastructure: {labels: {a: b}}\n",
      GATEWAY "  listeners: [{name: a, port: 80, protocol: HTTP}]\n  infrastructure: {labels: {a: b, b: b, c: b, d: b, e: b, f: b, g: b, h: b, i: b}}\n",
      "max-items", "spec.infrastructure.labels", "Too many: 9: must have at most 8 items" },
    { GATEWAY "  listeners: [{name: a, port: 80, protocol: HTTP}]\n  infrastructure: {labels: {a: b-c}}\n",
      GATEWAY "  listeners: [{name: a, port: 80, protocol: HTTP}]\n  infrastructure: {labels: {a: -b}}\n",
      "pattern", "spec.infrastructure.labels[a]",
      "Invalid value: \"-b\": spec.infrastructure.labels[a] in body should match '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$'" },
    { GATEWAY "  listeners: [{name: a, port: 80, protocol: HTTP}]\n  addresses: [{value: '2001:db8::1'}, {type: example.com/x, value: anything}]\n",
      GATEWAY "  listeners: [{name: a, port: 80, protocol: HTTP}]\n  addresses: [{value: 256.1.1.1}]\n",
      "ip-address", "spec.addresses[0].value",
      "Invalid value: \"256.1.1.1\": spec.addresses[0].value in body must be of type ipv4: \"256.1.1.1\"" },
    { GATEWAY "  listeners: [{name: a, port: 80, protocol: HTTP}]\n  addresses: [{value: 1.2.3.4}]\n",
      GATEWAY "  listeners: [{name: a, port: 80, protocol: HTTP}]\n  addresses: [{type: IPAddress, value: '1.2.3.4:8080'}]\n",
      "ip-address", "spec.addresses[0].value",
      "Invalid value: \"1.2.3.4:8080\": spec.addresses[0].value in body must be of type ipv4: \"1.2.3.4:8080\"" },
    { "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: gc}\nspec: {controllerName: example.com/x}\n",
      "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: gc}\nspec: {controllerName: example.com}\n",
      "pattern", "spec.controllerName", NULL },
    { "apiVersion: gateway.networking.k8s.io/v1\nkind: ReferenceGrant\nmetadata: {name: rg}\nspec:\n  from: [{group: '', kind: Gateway, namespace: a}]\n  to: [{group: '', kind: Secret}]\n",
      "apiVersion: gateway.networking.k8s.io/v1\nkind: ReferenceGrant\nmetadata: {name: rg}\nspec:\n  from: [{group: '', kind: Gateway, namespace: A_}]\n  to: [{group: '', kind: Secret}]\n",
      "pattern", "spec.from[0].namespace", NULL },
    /* ObjectMeta, as the API server validates it for custom resources and the core kinds. */
#define META_ROUTE(meta) "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: " meta "\nspec: {}\n"
    { META_ROUTE("{name: a.b-c, namespace: n}"), META_ROUTE("{name: Foo, namespace: n}"),
      "pattern", "metadata.name",
      "Invalid value: \"Foo\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')" },
    { META_ROUTE("{name: a, namespace: n}"),
      META_ROUTE("{name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, namespace: n}"),
      "max-length", "metadata.name", NULL },
    { META_ROUTE("{name: a, namespace: n-1}"), META_ROUTE("{name: a, namespace: n.1}"),
      "pattern", "metadata.namespace",
      "Invalid value: \"n.1\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')" },
    { META_ROUTE("{name: a, namespace: n, labels: {example.com/app: web_1}}"),
      META_ROUTE("{name: a, namespace: n, labels: {-app: web}}"),
      "pattern", "metadata.labels",
      "Invalid value: \"-app\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')" },
    { META_ROUTE("{name: a, namespace: n, labels: {app: ''}}"),
      META_ROUTE("{name: a, namespace: n, labels: {app: 'web server'}}"),
      "pattern", "metadata.labels",
      "Invalid value: \"web server\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')" },
    { META_ROUTE("{name: a, namespace: n, labels: {example.com/App: x}}"),
      META_ROUTE("{name: a, namespace: n, labels: {Example_com/app: x}}"),
      "pattern", "metadata.labels", NULL },
    { META_ROUTE("{name: a, namespace: n, annotations: {Example.com/Note: x}}"),
      META_ROUTE("{name: a, namespace: n, annotations: {a/b/c: x}}"),
      "pattern", "metadata.annotations",
      "Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')" },
    { "apiVersion: v1\nkind: Service\nmetadata: {name: web-1, namespace: n}\nspec: {ports: [{port: 80}]}\n",
      "apiVersion: v1\nkind: Service\nmetadata: {name: 1web, namespace: n}\nspec: {ports: [{port: 80}]}\n",
      "pattern", "metadata.name",
      "Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')" },
    { "apiVersion: v1\nkind: Namespace\nmetadata: {name: team-1}\n",
      "apiVersion: v1\nkind: Namespace\nmetadata: {name: team.1}\n",
      "pattern", "metadata.name", NULL },
    { "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ca.example, namespace: n}\n",
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: CA, namespace: n}\n",
      "pattern", "metadata.name", NULL },
    { "apiVersion: networking.x-k8s.io/v1alpha1\nkind: HTTPRoute\nmetadata: {name: r}\nspec:\n  rules: [{matches: [{path: {type: Prefix, value: /}}]}]\n",
      "apiVersion: networking.x-k8s.io/v1alpha1\nkind: HTTPRoute\nmetadata: {name: r}\nspec:\n  rules: [{matches: [{path: {type: PathPrefix, value: /}}]}]\n",
      "unsupported-value", "spec.rules[0].matches[0].path.type", NULL },
};

/* Annotations total at most 256 KiB, keys and values counted, as the API server counts them. */
START_TEST(annotations_total_at_most_256_kib)
{
    for (size_t over = 0; over < 2; over++) {
        /* "a: " + value: the key is one byte, so the value is 262143 bytes, or one more. */
        size_t value = 256 * 1024 - 1 + over;
        size_t size = value + 256;
        char *text = malloc(size);
        int n = snprintf(text, size, "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
                                     "metadata: {name: r, namespace: n, annotations: {a: ");
        struct fixture f;
        memset(text + n, 'x', value);
        snprintf(text + n + value, size - (size_t)n - value, "}}\nspec: {}\n");
        fixture_init(&f);
        ck_assert_int_eq(fixture_load_text(&f, text, GWAPI_LOAD_VALIDATE), over ? GWAPI_EINPUT : 0);
        if (over)
            ck_assert_str_eq(gwapi_diags_get(f.diags, 0)->message,
                             "Too long: may not be more than 262144 bytes");
        fixture_release(&f);
        free(text);
    }
}
END_TEST

START_TEST(schema_constraints_pass_and_fail)
{
    for (size_t i = 0; i < sizeof(constraints) / sizeof(constraints[0]); i++) {
        const struct constraint_case *c = &constraints[i];
        struct fixture f;
        const gwapi_diag *d = NULL;

        fixture_init(&f);
        if (fixture_load_text(&f, c->good, GWAPI_LOAD_VALIDATE | GWAPI_LOAD_STRICT) != 0) {
            char line[1024];
            gwapi_diag_format(gwapi_diags_get(f.diags, 0), line, sizeof(line));
            ck_abort_msg("case %zu: the good variant fails: %s", i, line);
        }
        fixture_release(&f);

        fixture_init(&f);
        if (fixture_load_text(&f, c->bad, GWAPI_LOAD_VALIDATE) != GWAPI_EINPUT)
            ck_abort_msg("case %zu: the bad variant is accepted", i);
        for (size_t j = 0; j < gwapi_diags_count(f.diags) && !d; j++) {
            const gwapi_diag *x = gwapi_diags_get(f.diags, j);
            if (strcmp(x->code, c->code) == 0 && x->path && strcmp(x->path, c->path) == 0)
                d = x;
        }
        if (!d)
            ck_abort_msg("case %zu: no %s error at %s (first: %s %s: %s)", i, c->code, c->path,
                         gwapi_diags_get(f.diags, 0)->code, gwapi_diags_get(f.diags, 0)->path,
                         gwapi_diags_get(f.diags, 0)->message);
        if (c->message)
            ck_assert_str_eq(d->message, c->message);
        ck_assert_uint_gt(d->line, 0);
        /* The object is still loaded: a controller would see it, and say why it is ignored. */
        ck_assert_uint_eq(gwapi_config_count(f.cfg), 1);
        fixture_release(&f);
    }
}
END_TEST

/* hack/invalid-examples: each is rejected, for the reason the API server gives first. */
static const struct {
    const char *file;
    const char *code;
} invalid_examples[] = {
    { "gateway/duplicate-listeners.yaml", "listener-name-unique" },
    { "gateway/hostname-tcp.yaml", "listener-hostname-forbidden" },
    { "gateway/hostname-udp.yaml", "listener-hostname-forbidden" },
    { "gateway/invalid-addresses.yaml", "ip-address" },
    { "gateway/invalid-listener-name.yaml", "pattern" },
    { "gateway/invalid-listener-port.yaml", "maximum" },
    { "gateway/invalid-tls-mode.yaml", "listener-https-tls-terminate" },
    { "gateway/tlsconfig-tcp.yaml", "listener-tls-forbidden" },
    { "gatewayclass/invalid-controller.yaml", "pattern" },
    { "httproute/duplicate-header-match.yaml", "duplicate" },
    { "httproute/duplicate-query-match.yaml", "duplicate" },
    { "httproute/httproute-portless-backend.yaml", "backend-ref-service-port-required" },
    { "httproute/httproute-portless-service.yaml", "backend-ref-service-port-required" },
    { "httproute/invalid-backend-group.yaml", "pattern" },
    { "httproute/invalid-backend-kind.yaml", "pattern" },
    { "httproute/invalid-backend-port.yaml", "maximum" },
    { "httproute/invalid-filter-duplicate-header.yaml", "duplicate" },
    { "httproute/invalid-filter-duplicate.yaml", "filter-request-header-modifier-once" },
    { "httproute/invalid-filter-empty.yaml", "filter-request-header-modifier-required" },
    { "httproute/invalid-filter-wrong-field.yaml", "filter-request-redirect-nil" },
    { "httproute/invalid-header-name.yaml", "pattern" },
    { "httproute/invalid-hostname.yaml", "pattern" },
    { "httproute/invalid-httpredirect-hostname.yaml", "pattern" },
    { "httproute/invalid-method.yaml", "unsupported-value" },
    { "httproute/invalid-path-alphanum-specialchars-mix.yaml", "path-characters-valid" },
    { "httproute/invalid-path-specialchars.yaml", "path-characters-valid" },
    { "httproute/invalid-request-redirect-with-backendref.yaml", "rule-redirect-without-backends" },
    { "referencegrant/missing-from.yaml", "required" },
    { "referencegrant/missing-ns.yaml", "required" },
    { "referencegrant/missing-to.yaml", "required" },
    { "tlsroute/invalid-hostname.yaml", "tls-route-hostnames-rfc1123" },
    { "tlsroute/no-hostname.yaml", "required" },
};

START_TEST(every_invalid_example_is_rejected)
{
    char dir[1024];
    size_t count;
    char **paths;

    snprintf(dir, sizeof(dir), "%s/upstream/invalid-examples", TEST_DATA_DIR);
    paths = list_files(dir, &count);
    ck_assert_uint_eq(count, 32);
    ck_assert_uint_eq(sizeof(invalid_examples) / sizeof(invalid_examples[0]), 32);
    for (size_t i = 0; i < 32; i++) {
        struct fixture f;
        char rel[512];
        fixture_init(&f);
        snprintf(rel, sizeof(rel), "upstream/invalid-examples/%s", invalid_examples[i].file);
        ck_assert_int_eq(fixture_load_data(&f, rel, GWAPI_LOAD_VALIDATE), GWAPI_EINPUT);
        /* Every document is an invalid object, and the expected rule is among the reasons. */
        for (size_t k = 0; k < gwapi_config_count(f.cfg); k++) {
            const gwapi_object *o = gwapi_config_get(f.cfg, k);
            bool invalid = false;
            for (size_t j = 0; j < gwapi_diags_count(f.diags); j++)
                invalid |= names(gwapi_diags_get(f.diags, j), o);
            if (!invalid)
                ck_abort_msg("%s: %s was not rejected", invalid_examples[i].file, o->metadata->name);
        }
        if (!fixture_find_diag(&f, invalid_examples[i].code))
            ck_abort_msg("%s: expected %s, first was %s: %s", invalid_examples[i].file,
                         invalid_examples[i].code, gwapi_diags_get(f.diags, 0)->code,
                         gwapi_diags_get(f.diags, 0)->message);
        fixture_release(&f);
    }
    free_paths(paths, count);
}
END_TEST

START_TEST(validation_api)
{
    struct fixture f;
    fixture_init(&f);
    ck_assert_int_eq(gwapi_object_validate(NULL, NULL), GWAPI_EINVAL);
    ck_assert_int_eq(gwapi_config_validate(NULL, NULL), GWAPI_EINVAL);
    ck_assert_int_eq(fixture_load_data(&f, "malformed/string-for-int.yaml", 0), GWAPI_EINPUT);
    ck_assert_int_eq(gwapi_config_validate(f.cfg, f.diags), 0);
    ck_assert_int_eq(fixture_load_text(&f, ROUTE "  hostnames: [BAD]\n", 0), 0);
    ck_assert_int_eq(gwapi_config_validate(f.cfg, NULL), GWAPI_EINPUT);
    ck_assert_int_eq(gwapi_object_validate_update(gwapi_config_get(f.cfg, 0), NULL, NULL),
                     GWAPI_EINVAL);
    fixture_release(&f);
}
END_TEST

Suite *
suite_validate(void)
{
    Suite *s = suite_create("validate");
    TCase *tc = tcase_create("validate");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, every_rule_passes_and_fails_its_cases);
    tcase_add_test(tc, transition_rules_run_on_update);
    tcase_add_test(tc, schema_constraints_pass_and_fail);
    tcase_add_test(tc, annotations_total_at_most_256_kib);
    tcase_add_test(tc, every_invalid_example_is_rejected);
    tcase_add_test(tc, validation_api);
    suite_add_tcase(s, tc);
    return s;
}
