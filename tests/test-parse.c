/* Parsing: YAML streams and JSON forms into objects, scalar typing, positions. */
#include <stdlib.h>

#include "test-common.h"

START_TEST(yaml_multi_document_stream)
{
    struct fixture f;
    fixture_init(&f);
    ck_assert_int_eq(fixture_load_text(&f,
        "# a comment before anything\n"
        "---\n"
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"
        "---\n"
        "# an empty document\n"
        "---\n"
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: b  # trailing comment\n"
        "...\n", 0), 0);
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 2);
    ck_assert_str_eq(gwapi_config_get(f.cfg, 0)->metadata->name, "a");
    ck_assert_str_eq(gwapi_config_get(f.cfg, 1)->metadata->name, "b");
    ck_assert_uint_eq(gwapi_config_get(f.cfg, 1)->line, 9);
    fixture_assert_no_diags(&f, GWAPI_SEVERITY_INFO);
    fixture_release(&f);
}
END_TEST

START_TEST(yaml_scalars_follow_the_core_schema)
{
    struct fixture f;
    const gwapi_object *o;
    const gwapi_object_meta *m;
    fixture_init(&f);
    /* Quoted numbers and YAML 1.1 booleans stay strings; 0x10 is an integer. */
    fixture_load_text(&f,
        "apiVersion: v1\nkind: Namespace\n"
        "metadata:\n  name: yes\n  generation: 0x10\n"
        "  labels: {a: \"1\", b: 'true', c: on, d: !!str 12}\n", 0);
    fixture_assert_no_diags(&f, GWAPI_SEVERITY_INFO);
    o = gwapi_config_get(f.cfg, 0);
    ck_assert_ptr_nonnull(o);
    m = o->metadata;
    ck_assert_str_eq(m->name, "yes");
    ck_assert_int_eq(m->generation, 16);
    ck_assert_uint_eq(m->labels.count, 4);
    ck_assert_str_eq(m->labels.values[0], "1");
    ck_assert_str_eq(m->labels.values[1], "true");
    ck_assert_str_eq(m->labels.values[2], "on");
    ck_assert_str_eq(m->labels.values[3], "12");
    fixture_release(&f);
}
END_TEST

START_TEST(yaml_unquoted_number_for_string_is_a_type_error)
{
    struct fixture f;
    const gwapi_diag *d;
    fixture_init(&f);
    ck_assert_int_eq(fixture_load_text(&f,
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n  labels: {version: 1.5}\n", 0),
        GWAPI_EINPUT);
    d = fixture_find_diag(&f, "type");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->path, "metadata.labels[version]");
    ck_assert_uint_eq(d->line, 5);
    ck_assert_uint_eq(d->column, 21);
    ck_assert_ptr_nonnull(strstr(d->message, "must be of type string"));
    /* The object is kept, without the bad label. */
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 1);
    ck_assert_uint_eq(gwapi_config_get(f.cfg, 0)->metadata->labels.count, 0);
    fixture_release(&f);
}
END_TEST

START_TEST(yaml_anchors_and_aliases_expand)
{
    struct fixture f;
    const gwapi_object *o;
    fixture_init(&f);
    fixture_load_text(&f,
        "apiVersion: v1\nkind: Namespace\nmetadata:\n"
        "  name: n\n  labels: &l {a: b, c: d}\n  annotations: *l\n", 0);
    fixture_assert_no_diags(&f, GWAPI_SEVERITY_INFO);
    o = gwapi_config_get(f.cfg, 0);
    ck_assert_uint_eq(o->metadata->annotations.count, 2);
    ck_assert_str_eq(o->metadata->annotations.keys[1], "c");
    fixture_release(&f);
}
END_TEST

START_TEST(json_single_object)
{
    struct fixture f;
    fixture_init(&f);
    ck_assert_int_eq(fixture_load_text(&f,
        "  {\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"j\"}}", 0), 0);
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 1);
    ck_assert_str_eq(gwapi_config_get(f.cfg, 0)->metadata->name, "j");
    ck_assert_uint_eq(gwapi_config_get(f.cfg, 0)->line, 1);
    ck_assert_uint_eq(gwapi_config_get(f.cfg, 0)->column, 3);
    fixture_release(&f);
}
END_TEST

START_TEST(kubectl_yaml_list_with_status_and_managed_fields)
{
    struct fixture f;
    const gwapi_object *gw, *route;
    fixture_init(&f);
    ck_assert_int_eq(fixture_load_data(&f, "kubectl/get-routes.yaml", GWAPI_LOAD_STRICT), 0);
    fixture_assert_no_diags(&f, GWAPI_SEVERITY_INFO);
    gw = fixture_find(&f, GWAPI_KIND_GATEWAY, GWAPI_DIALECT_V1, "default", "prod-web");
    route = fixture_find(&f, GWAPI_KIND_HTTP_ROUTE, GWAPI_DIALECT_V1, "default", "web");
    ck_assert_ptr_nonnull(gw);
    ck_assert_ptr_nonnull(route);
    ck_assert_int_eq(gw->metadata->generation, 3);
    ck_assert_str_eq(gw->metadata->resource_version, "48213");
    ck_assert_str_eq(gw->metadata->uid, "5b0c5f8e-8c1e-4d0b-9a55-4b1d7b2e6d11");
    ck_assert_str_eq(gw->metadata->creation_timestamp, "2026-11-01T10:00:00Z");
    ck_assert_str_eq(gwapi_object_gateway(gw)->spec->listeners[0]->name, "http");
    fixture_release(&f);
}
END_TEST

START_TEST(kubectl_json_typed_list_items_inherit_kind)
{
    struct fixture f;
    const gwapi_object *o;
    const gwapi_http_route *r;
    fixture_init(&f);
    ck_assert_int_eq(fixture_load_data(&f, "kubectl/get-routes.json", GWAPI_LOAD_STRICT), 0);
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 2);
    o = fixture_find(&f, GWAPI_KIND_HTTP_ROUTE, GWAPI_DIALECT_V1, "shop", "web");
    ck_assert_ptr_nonnull(o);
    ck_assert_str_eq(o->api_version, "gateway.networking.k8s.io/v1");
    r = gwapi_object_http_route(o);
    ck_assert_str_eq(r->spec->rules[0]->matches[0]->method, "POST");
    ck_assert_int_eq(r->spec->rules[0]->backend_refs[0]->weight, 3);
    o = fixture_find(&f, GWAPI_KIND_HTTP_ROUTE, GWAPI_DIALECT_V1, "shop", "api");
    ck_assert_ptr_nonnull(o);
    /* Defaults: kind Service and weight 1 on the backend, the default match on the rule. */
    r = gwapi_object_http_route(o);
    ck_assert_str_eq(r->spec->rules[0]->backend_refs[0]->kind, "Service");
    ck_assert_int_eq(r->spec->rules[0]->backend_refs[0]->weight, 1);
    ck_assert_str_eq(r->spec->rules[0]->matches[0]->path->value, "/");
    fixture_release(&f);
}
END_TEST

START_TEST(json_watch_events_add_modify_delete)
{
    struct fixture f;
    const gwapi_object *a;
    fixture_init(&f);
    ck_assert_int_eq(fixture_load_data(&f, "kubectl/watch.jsonl", 0), 0);
    fixture_assert_no_diags(&f, GWAPI_SEVERITY_INFO);
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 2);
    a = fixture_find(&f, GWAPI_KIND_NAMESPACE, GWAPI_DIALECT_V1, NULL, "a");
    ck_assert_ptr_nonnull(a);
    ck_assert_str_eq(a->metadata->labels.values[0], "y");
    ck_assert_uint_eq(a->line, 3);
    ck_assert_ptr_null(fixture_find(&f, GWAPI_KIND_NAMESPACE, GWAPI_DIALECT_V1, NULL, "b"));
    ck_assert_ptr_nonnull(fixture_find(&f, GWAPI_KIND_HTTP_ROUTE, GWAPI_DIALECT_V1, "a", "r"));
    fixture_release(&f);
}
END_TEST

START_TEST(json_error_event_is_reported)
{
    struct fixture f;
    const gwapi_diag *d;
    fixture_init(&f);
    ck_assert_int_eq(fixture_load_text(&f,
        "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
        "\"message\":\"too old resource version\",\"code\":410}}\n", 0), GWAPI_EINPUT);
    /* 410 Gone: the caller must list again */
    d = fixture_find_diag(&f, "relist");
    ck_assert_ptr_nonnull(d);
    ck_assert_ptr_nonnull(strstr(d->message, "too old resource version"));
    ck_assert_ptr_nonnull(strstr(d->message, "GWAPI_LOAD_REPLACE"));
    fixture_release(&f);
    fixture_init(&f);
    ck_assert_int_eq(fixture_load_text(&f,
        "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
        "\"message\":\"internal error\",\"code\":500}}\n", 0), GWAPI_EINPUT);
    ck_assert_ptr_nonnull(fixture_find_diag(&f, "watch-event"));
    fixture_release(&f);
}
END_TEST

START_TEST(json_bad_line_does_not_stop_the_stream)
{
    struct fixture f;
    const gwapi_diag *d;
    fixture_init(&f);
    ck_assert_int_eq(fixture_load_text(&f,
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"a\"}}\n"
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":}}\n"
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"c\"}}\n", 0),
        GWAPI_EINPUT);
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 2);
    d = fixture_find_diag(&f, "syntax");
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(d->line, 2);
    fixture_release(&f);
}
END_TEST

/* libyaml decodes 16 KB ahead of its parser: the documents before a byte it refuses were
 * dropped without a word. Every one is kept, and the bad one alone is reported. */
START_TEST(refused_bytes_hide_no_other_document)
{
    static const char *const bad[] = { "\xff", "\x01", "\xc0\x80", "\xed\xa0\x80" };

    for (size_t b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
        struct fixture f;
        char *text = malloc(64 * 1024);
        size_t len = 0;

        for (int i = 0; i < 40; i++)
            len += (size_t)sprintf(text + len, "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: n%d}\n", i);
        len += (size_t)sprintf(text + len, "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: \"bad%s\"}\n", bad[b]);
        for (int i = 40; i < 50; i++)
            len += (size_t)sprintf(text + len, "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: n%d}\n", i);
        fixture_init(&f);
        fixture_load_text(&f, text, 0);
        ck_assert_uint_eq(gwapi_config_count(f.cfg), 50);
        ck_assert_uint_eq(fixture_count_severity(&f, GWAPI_SEVERITY_ERROR), 1);
        ck_assert_ptr_nonnull(fixture_find_diag(&f, "encoding"));
        ck_assert_uint_eq(fixture_find_diag(&f, "encoding")->line, 164);
        fixture_release(&f);
        free(text);
    }
}
END_TEST

/* An error at the very end of a document is an error: the stream after it is parsed document
 * by document, so that many broken documents cost their length (they cost 16 KB of
 * read-ahead each, and a scan of the rest of the stream). */
START_TEST(broken_documents_cost_their_length)
{
    struct fixture f;
    size_t n = 20000, len = 0;
    char *text = malloc(n * 6 + 128);

    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, "---\n[\n");
    sprintf(text + len, "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: last}\n");
    fixture_init(&f);
    fixture_load_text(&f, text, 0);
    ck_assert_uint_eq(fixture_count_severity(&f, GWAPI_SEVERITY_ERROR), n);
    ck_assert_ptr_nonnull(fixture_find(&f, GWAPI_KIND_NAMESPACE, GWAPI_DIALECT_V1, NULL, "last"));
    fixture_release(&f);
    free(text);
}
END_TEST

/* Merge keys as kubectl resolves them: the merged maps' keys join unless the map has them,
 * earlier maps of a list first; a quoted "<<" is an ordinary key. They were ignored, and only
 * an unrelated "Required value" was shown. */
START_TEST(yaml_merge_keys_as_kubectl)
{
    struct fixture f;
    const gwapi_object *obj;
    const gwapi_http_route *route;
    const gwapi_backend_ref *const *refs;

    fixture_init(&f);
    fixture_load_text(&f,
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
        "metadata: {name: r, namespace: n, labels: {<<: {team: a}, team: b}}\n"
        "spec:\n  parentRefs: [{name: gw}]\n  rules:\n  - backendRefs:\n"
        "    - &svc {name: s, port: 80}\n"
        "    - <<: *svc\n      port: 81\n"
        "    - <<: [{name: x, weight: 3}, *svc]\n      name: y\n", GWAPI_LOAD_VALIDATE);
    fixture_assert_no_diags(&f, GWAPI_SEVERITY_WARNING);
    obj = fixture_find(&f, GWAPI_KIND_HTTP_ROUTE, GWAPI_DIALECT_V1, "n", "r");
    route = gwapi_object_http_route(obj);
    ck_assert_ptr_nonnull(route);
    ck_assert_str_eq(obj->metadata->labels.values[0], "b");
    refs = route->spec->rules[0]->backend_refs;
    ck_assert_uint_eq(route->spec->rules[0]->n_backend_refs, 3);
    ck_assert_str_eq(refs[1]->name, "s");
    ck_assert_int_eq(refs[1]->port, 81);
    ck_assert_str_eq(refs[2]->name, "y");
    ck_assert_int_eq(refs[2]->port, 80);
    ck_assert_int_eq(refs[2]->weight, 3);
    fixture_release(&f);

    fixture_init(&f);
    fixture_load_text(&f, "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: a}\n"
                          "spec: {\"<<\": {description: d}, controllerName: example.com/c}\n", 0);
    ck_assert_ptr_nonnull(fixture_find_diag(&f, "unknown-field"));
    ck_assert_ptr_null(gwapi_object_gateway_class(fixture_find(&f, GWAPI_KIND_GATEWAY_CLASS, GWAPI_DIALECT_V1, NULL, "a"))->spec->description);
    fixture_release(&f);

    fixture_init(&f);
    fixture_load_text(&f, "apiVersion: v1\nkind: Namespace\nmetadata: {name: a, <<: [{x: y}, 5]}\n", 0);
    ck_assert_ptr_nonnull(fixture_find_diag(&f, "merge-key"));
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 0);
    fixture_release(&f);
}
END_TEST

START_TEST(crlf_line_endings)
{
    struct fixture f;
    fixture_init(&f);
    ck_assert_int_eq(fixture_load_text(&f,
        "apiVersion: v1\r\nkind: Namespace\r\nmetadata:\r\n  name: crlf\r\n---\r\n"
        "apiVersion: v1\r\nkind: Namespace\r\nmetadata:\r\n  name: crlf2\r\n", 0), 0);
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 2);
    ck_assert_str_eq(gwapi_config_get(f.cfg, 1)->metadata->name, "crlf2");
    fixture_release(&f);
}
END_TEST

Suite *
suite_parse(void)
{
    Suite *s = suite_create("parse");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, yaml_multi_document_stream);
    tcase_add_test(tc, yaml_scalars_follow_the_core_schema);
    tcase_add_test(tc, yaml_unquoted_number_for_string_is_a_type_error);
    tcase_add_test(tc, yaml_anchors_and_aliases_expand);
    tcase_add_test(tc, json_single_object);
    tcase_add_test(tc, kubectl_yaml_list_with_status_and_managed_fields);
    tcase_add_test(tc, kubectl_json_typed_list_items_inherit_kind);
    tcase_add_test(tc, json_watch_events_add_modify_delete);
    tcase_add_test(tc, json_error_event_is_reported);
    tcase_add_test(tc, json_bad_line_does_not_stop_the_stream);
    tcase_add_test(tc, crlf_line_endings);
    tcase_add_test(tc, yaml_merge_keys_as_kubectl);
    tcase_add_test(tc, refused_bytes_hide_no_other_document);
    tcase_add_test(tc, broken_documents_cost_their_length);
    suite_add_tcase(s, tc);
    return s;
}
